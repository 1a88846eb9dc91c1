#!/usr/bin/env bash
# The pipeline benchmark: on the same large synthesized capture, in one run, the wall time and
# peak memory (RSS) of
#   sec5g audit --keys (with the home network key),
#   sec5g decode --summary-only,
#   tshark -T fields -e ngap.procedureCode -e nas_5gs.mm.message_type,
# and the ratios tshark / sec5g. Documented in docs/performance/synth.md.
#
# usage: bench/pipeline.sh [BUILD_DIR] [UES] [GNBS]
#   BUILD_DIR  a Release build (default build/release); UES default 100000; GNBS default 100.
#   PIPELINE_DIR=... to put the capture elsewhere (default BUILD_DIR/pipeline);
#   SKIP_TSHARK=1 to leave tshark out (it is by far the slowest).
set -euo pipefail
BUILD=${1:-build/release}
UES=${2:-100000}
GNBS=${3:-100}
SEC5G=$BUILD/tools/sec5g/sec5g
[[ -x $SEC5G ]] || SEC5G=$BUILD/sec5g
[[ -x $SEC5G ]] || { echo "no sec5g binary under $BUILD" >&2; exit 2; }
TIME=/usr/bin/time
[[ -x $TIME ]] || { echo "needs GNU time (/usr/bin/time, Debian package 'time')" >&2; exit 2; }
DIR=${PIPELINE_DIR:-$BUILD/pipeline}
mkdir -p "$DIR"
CAP=$DIR/benign-$UES.pcapng

# measure NAME CMD...: runs CMD with stdout to /dev/null; sets SECS and MB.
measure() {
  local name=$1
  shift
  "$TIME" -f "%e %M" -o "$DIR/$name.time" "$@" >/dev/null 2>"$DIR/$name.err" || {
    echo "$name failed (exit $?): see $DIR/$name.err" >&2
    return 1
  }
  read -r SECS KB <"$DIR/$name.time"
  MB=$(awk -v k="$KB" 'BEGIN { printf "%.1f", k / 1024 }')
}

echo "== synthesizing benign traffic: $UES UEs, $GNBS gNBs -> $CAP"
measure synth "$SEC5G" synth --scenario benign --ues "$UES" --gnbs "$GNBS" --seed 1 -o "$CAP" \
  --keys-out "$DIR/keys.csv" --hn-key-out "$DIR/hn-key.pem" --truth-out "$DIR/truth.jsonl"
SYNTH_SECS=$SECS SYNTH_MB=$MB
grep -o '[0-9]* NGAP, [0-9]* NAS' "$DIR/synth.err" | head -1 >"$DIR/counts" || true
NGAP=$(awk '{ print $1 }' "$DIR/counts")
NAS=$(awk '{ print $3 }' "$DIR/counts")
SIZE_MB=$(du -m "$CAP" | awk '{ print $1 }')
printf "  %s s, peak %s MB; capture %s MB, %s NGAP PDUs, %s NAS messages\n" \
  "$SYNTH_SECS" "$SYNTH_MB" "$SIZE_MB" "$NGAP" "$NAS"

declare -A secs mb
run() {
  local name=$1
  shift
  measure "$name" "$@"
  secs[$name]=$SECS
  mb[$name]=$MB
}
echo "== running the three readers on the same capture"
if "$SEC5G" audit --help >/dev/null 2>&1; then
  run audit "$SEC5G" audit "$CAP" --keys "$DIR/keys.csv" --hn-key "1:$DIR/hn-key.pem" --format jsonl
fi
if "$SEC5G" decode --help 2>/dev/null | grep -q -- --summary-only; then
  run decode "$SEC5G" decode --summary-only "$CAP"
fi
if [[ -z ${SKIP_TSHARK:-} ]] && command -v tshark >/dev/null; then
  run tshark tshark -n -r "$CAP" -T fields -e ngap.procedureCode -e nas_5gs.mm.message_type
fi

echo
printf "%-8s %10s %10s %16s %16s %14s\n" tool seconds "peak MB" "NGAP PDUs/s" "NAS msgs/s" "tshark/tool"
for t in audit decode tshark; do
  [[ -n ${secs[$t]:-} ]] || { printf "%-8s %10s\n" "$t" "(absent)"; continue; }
  awk -v t="$t" -v s="${secs[$t]}" -v m="${mb[$t]}" -v n="$NGAP" -v a="$NAS" -v ts="${secs[tshark]:-}" '
    BEGIN { r = (ts != "" && s > 0) ? sprintf("%.1fx", ts / s) : "-";
            printf "%-8s %10.2f %10s %16.0f %16.0f %14s\n", t, s, m, (s > 0 ? n / s : 0),
                   (s > 0 ? a / s : 0), r }'
done
