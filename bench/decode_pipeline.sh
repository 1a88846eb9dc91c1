#!/usr/bin/env bash
# Decode-pipeline benchmark (issue 4, "Performance"); results in docs/performance/decode.md.
#
# In one run, on the same large capture:
#   sec5g decode --summary-only FILE                 (whole file)
#   sec5g decode --json FILE > /dev/null             (whole file)
#   tshark -T fields -e ngap.procedureCode -e nas_5gs.mm.message_type   (whole file)
#   sec5g decode --json and tshark -T ek             (on the first PREFIX frames: tshark ek is slow)
# and the peak RSS of --summary-only on files 1x, 10x and 100x in size (memory flat in file size).
# Reports wall and CPU (user+sys) seconds, peak RSS, messages/s (NGAP PDUs + NAS messages from
# the summary record) per CPU-second and per wall-second, and the ratios tshark / sec5g.
#
# usage: bench/decode_pipeline.sh [BUILD_DIR] [UES] [GNBS]
#   BUILD_DIR  a Release build (default build/release); UES default 50000 (~1.05M NGAP PDUs and
#   650k NAS messages with the benign scenario); GNBS default 100.
#   BENCH_DATA=dir   where captures are made or reused (default build/bench-data)
#   PREFIX=N         frames for the tshark -T ek comparison (default 50000)
#   SKIP_TSHARK=1    leave tshark out;  SKIP_FLAT=1  skip the 1x/10x/100x memory check
#   REPLAY=1         build the capture by replaying a real capture's flows with rewritten IPv4
#                    addresses instead of `sec5g synth` (also used when synth is unavailable);
#                    REPLAY_SRC=file (Ethernet or SLL, IPv4; pcap or pcapng), REPLAY_COPIES=N (default 150)
set -euo pipefail
BUILD=${1:-build/release}
UES=${2:-50000}
GNBS=${3:-100}
SEC5G=$BUILD/tools/sec5g/sec5g
[[ -x $SEC5G ]] || SEC5G=$BUILD/sec5g
[[ -x $SEC5G ]] || { echo "no sec5g binary under $BUILD" >&2; exit 2; }
DATA=${BENCH_DATA:-build/bench-data}
PREFIX=${PREFIX:-50000}
mkdir -p "$DATA"
OUT=$(mktemp -d "${TMPDIR:-/tmp}/decode_pipeline.XXXXXX")
trap 'rm -rf "$OUT"' EXIT

TIME=/usr/bin/time
have_gnu_time=1
[[ -x $TIME ]] || have_gnu_time=0

# measure NAME CMD...: runs CMD with stdout to /dev/null, or to $OUT/NAME.out when KEEP=1;
# sets WALL CPU KB.
measure() {
  local name=$1 out=/dev/null
  shift
  [[ -n ${KEEP:-} ]] && out=$OUT/$name.out
  if ((have_gnu_time)); then
    "$TIME" -f "%e %U %S %M" -o "$OUT/$name.time" "$@" >"$out" 2>"$OUT/$name.err" || {
      echo "$name failed: $(tail -3 "$OUT/$name.err")" >&2
      return 1
    }
    local u s
    read -r WALL u s KB <"$OUT/$name.time"
    CPU=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
  else
    # Fallback without GNU time: bash's times for CPU; peak RSS unknown.
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >"$out" 2>"$OUT/$name.err"
    t1=$(date +%s.%N)
    WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    CPU=$WALL
    KB=0
  fi
}

# ---- the capture ---------------------------------------------------------------------------
replay_capture() {  # replay_capture SRC COPIES OUT: COPIES copies; copy k: IPv4 octets 2,3 += k
  local src=$1 copies=$2 out=$3
  editcap -F pcap "$src" "$OUT/replay-src.pcap"
  python3 - "$OUT/replay-src.pcap" "$copies" "$out.pcap" <<'PY'
import struct, sys
src, copies, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
data = open(src, 'rb').read()
magic = data[:4]
end = '<' if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1') else '>'
link = struct.unpack(end + 'I', data[20:24])[0]
if link not in (1, 113):
    sys.exit('replay needs an Ethernet or Linux cooked (SLL) capture')
recs, off = [], 24
while off + 16 <= len(data):
    ts, tf, incl, orig = struct.unpack(end + 'IIII', data[off:off + 16])
    recs.append((ts, tf, orig, bytearray(data[off + 16:off + 16 + incl])))
    off += 16 + incl
span = (recs[-1][0] - recs[0][0] + 1) if recs else 1
def csum(h):
    s = sum(struct.unpack('!10H', bytes(h)))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff
with open(out, 'wb') as f:
    f.write(data[:24])
    for k in range(copies):
        for ts, tf, orig, pkt in recs:
            p = bytearray(pkt)
            o = 12 if link == 1 else 14
            while link == 1 and p[o:o + 2] == b'\x81\x00':
                o += 4
            if p[o:o + 2] == b'\x08\x00' and len(p) >= o + 22:
                ip = o + 2
                for a in (ip + 12, ip + 16):  # the same map for source and destination
                    p[a + 1] = (p[a + 1] + k) & 0xff
                    p[a + 2] = (p[a + 2] + (k >> 8)) & 0xff
                p[ip + 10:ip + 12] = b'\0\0'
                p[ip + 10:ip + 12] = struct.pack('!H', csum(p[ip:ip + 20]))
            f.write(struct.pack(end + 'IIII', ts + k * span, tf, len(p), orig))
            f.write(p)
PY
  mv "$out.pcap" "$out"
}

synth_ok=0
[[ -z ${REPLAY:-} ]] && "$SEC5G" synth --help >/dev/null 2>&1 && synth_ok=1
make_capture() {  # make_capture UES -> echoes the path
  local ues=$1 cap
  if ((synth_ok)); then
    cap=$DATA/benign-$ues.pcapng
    [[ -s $cap ]] || "$SEC5G" synth --scenario benign --ues "$ues" --gnbs "$GNBS" --seed 1 -q \
      -o "$cap" >&2
  else
    local src=${REPLAY_SRC:-/work/shared/captures/rub_suci_catcher_oneplus8_500.pcapng}
    local copies=$(((${REPLAY_COPIES:-150} * ues + UES - 1) / UES))
    cap=$DATA/replay-$(basename "${src%.*}")-x$copies.pcap
    [[ -s $cap ]] || replay_capture "$src" "$copies" "$cap"
  fi
  echo "$cap"
}

CAP=$(make_capture "$UES")
echo "== capture $CAP ($(du -m "$CAP" | awk '{ print $1 }') MB)"
echo "== $(uptime)"
PCAP=$DATA/$(basename "${CAP%.*}")-first$PREFIX.pcapng
[[ -s $PCAP ]] || editcap -F pcapng -r "$CAP" "$PCAP" "1-$PREFIX"

msgs_of() {  # messages (NGAP PDUs + NAS messages) from a summary record
  python3 -c 'import json,sys; s=json.loads(open(sys.argv[1]).read().strip().splitlines()[-1]); print(s["ngap_pdus"] + s["nas_messages"])' "$1"
}

declare -A wall cpu kb
run() {
  local name=$1
  shift
  measure "$name" "$@"
  wall[$name]=$WALL cpu[$name]=$CPU kb[$name]=$KB
}

KEEP=1 run summary "$SEC5G" decode --summary-only "$CAP"
MSGS=$(msgs_of "$OUT/summary.out")
"$SEC5G" decode --summary-only "$PCAP" >"$OUT/prefix_summary.out"
PMSGS=$(msgs_of "$OUT/prefix_summary.out")
run json "$SEC5G" decode --json "$CAP"
run json_prefix "$SEC5G" decode --json "$PCAP"
if [[ -z ${SKIP_TSHARK:-} ]] && command -v tshark >/dev/null; then
  run tshark_fields tshark -n -r "$CAP" -T fields -e ngap.procedureCode -e nas_5gs.mm.message_type
  run tshark_ek tshark -n -r "$PCAP" -T ek
fi

echo
echo "messages: $MSGS in the whole capture, $PMSGS in its first $PREFIX frames"
printf "%-14s %-7s %9s %9s %9s %14s %14s\n" run file wall_s cpu_s peak_MB msgs/cpu_s msgs/wall_s
row() {  # row NAME FILE MSGS
  [[ -n ${wall[$1]:-} ]] || return 0
  awk -v n="$1" -v f="$2" -v w="${wall[$1]}" -v c="${cpu[$1]}" -v k="${kb[$1]}" -v m="$3" 'BEGIN {
    printf "%-14s %-7s %9.2f %9.2f %9.1f %14.0f %14.0f\n", n, f, w, c, k / 1024,
      (c > 0 ? m / c : 0), (w > 0 ? m / w : 0) }'
}
row summary whole "$MSGS"
row json whole "$MSGS"
row tshark_fields whole "$MSGS"
row json_prefix prefix "$PMSGS"
row tshark_ek prefix "$PMSGS"
ratio() {  # ratio LABEL SLOW FAST
  [[ -n ${wall[$2]:-} && -n ${wall[$3]:-} ]] || return 0
  awk -v l="$1" -v sw="${wall[$2]}" -v sc="${cpu[$2]}" -v fw="${wall[$3]}" -v fc="${cpu[$3]}" 'BEGIN {
    printf "%-40s cpu %7.1fx   wall %7.1fx\n", l, (fc > 0 ? sc / fc : 0), (fw > 0 ? sw / fw : 0) }'
}
echo
ratio "tshark -T fields / decode --summary-only" tshark_fields summary
ratio "tshark -T ek / decode --json (prefix)" tshark_ek json_prefix

if [[ -z ${SKIP_FLAT:-} ]]; then
  echo
  echo "== memory flat in file size: peak RSS of decode --summary-only"
  for div in 100 10 1; do
    u=$((UES / div))
    ((u > 0)) || continue
    c=$(make_capture "$u")
    measure flat "$SEC5G" decode --summary-only "$c"
    printf "  %-50s %6d MB file  %8.1f MB peak RSS  %8.2f cpu_s\n" "$(basename "$c")" \
      "$(du -m "$c" | awk '{ print $1 }')" "$(awk -v k="$KB" 'BEGIN { print k / 1024 }')" "$CPU"
  done
fi
echo "== $(uptime)"
