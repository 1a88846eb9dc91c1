#!/usr/bin/env bash
# The issue-6 audit benchmark: on one large synthesized capture (20 000 UEs, 128-NEA2/NIA2,
# SUCI profile A; CYCLES connected/idle cycles per UE), in one run, RUNS times each:
#   tshark -T fields -e frame.number -e nas_5gs.mm.message_type   (single-threaded)
#   sec5g audit --keys --hn-key --format jsonl                    (default threads)
#   sec5g audit --keys --hn-key --format jsonl --threads 1        (sequential)
# with wall time, CPU time (user+sys) and peak RSS of each run, the load average before each
# run, and the ratios tshark / audit on the medians (wall; and CPU for tshark vs wall for audit,
# the fair figure on a loaded machine where tshark's wall time includes waiting for a core),
# and the NAS messages per CPU-second of the sequential audit (the summary's "nas" / its
# user+sys time).
# Documented in docs/performance/audit.md.
#
# usage: bench/audit_pipeline.sh [BUILD_DIR] [UES] [RUNS] [CYCLES]
#   BUILD_DIR a Release build (default build/release); UES default 20000; RUNS default 3;
#   CYCLES (or the environment variable CYCLES) `synth --cycles`, default 1: every UE registers
#   (SUCI de-concealment, 5G-AKA, SMC), makes one Service Request and deregisters, the
#   registration-storm capture; 10 gives steady-state N2 traffic where most NAS messages come
#   from UEs registered long ago (Service Requests, PDU sessions, periodic registrations).
#   AUDIT_DIR=... where the capture goes (default /tmp/sec5g-audit-bench; not the repository).
#   SKIP_TSHARK=1 leaves tshark out.
#   T1_CPU=N runs the `--threads 1` audit on CPU N only (taskset): on a VM whose vCPUs run at
#   different speeds (the build VM's two differed by ~1.5x for hours), the per-core figure of
#   each vCPU, instead of a mix of both.
set -euo pipefail
BUILD=${1:-build/release}
UES=${2:-20000}
RUNS=${3:-3}
CYCLES=${4:-${CYCLES:-1}}
[[ $CYCLES =~ ^[1-9][0-9]*$ ]] || { echo "CYCLES must be a positive integer" >&2; exit 2; }
SEC5G=$BUILD/tools/sec5g/sec5g
[[ -x $SEC5G ]] || { echo "no sec5g binary under $BUILD" >&2; exit 2; }
source "$(dirname "${BASH_SOURCE[0]}")/audit_common.sh"  # TIME, DIR, median
mkdir -p "$DIR"
# One cycle keeps the file names of earlier versions (same capture, byte for byte).
NAME=$UES
[[ $CYCLES == 1 ]] || NAME=$UES-c$CYCLES
CAP=$DIR/benign-$NAME.pcapng

if [[ ! -s $CAP ]]; then
  echo "== synthesizing $UES UEs x $CYCLES cycles -> $CAP"
  "$SEC5G" synth --scenario benign --ues "$UES" --cycles "$CYCLES" --seed 1 --nea 2 --nia 2 \
    --gnbs 4 -o "$CAP" --keys-out "$DIR/keys-$NAME.csv" --hn-key-out "$DIR/hn-$NAME.pem"
fi
echo "== $(nproc) cores; $(du -m "$CAP" | awk '{ print $1 }') MB capture ($UES UEs x $CYCLES cycles)"
if [[ -n ${T1_CPU:-} ]]; then
  [[ $T1_CPU =~ ^[0-9]+$ ]] || { echo "T1_CPU must be a CPU number" >&2; exit 2; }
  command -v taskset >/dev/null || { echo "T1_CPU needs taskset (Debian package util-linux)" >&2; exit 2; }
  echo "== the --threads 1 audit runs on CPU $T1_CPU"
fi

# one NAME CMD...: one timed run (stdout to /dev/null); appends "wall cpu rss_kb load1" to
# $DIR/NAME.runs.
one() {
  local name=$1
  shift
  local load
  load=$(awk '{ print $1 }' /proc/loadavg)
  "$TIME" -f "%e %U %S %M" -o "$DIR/$name.time" "$@" >/dev/null 2>"$DIR/$name.err" || {
    echo "$name failed: see $DIR/$name.err" >&2
    return 1
  }
  read -r wall user sys kb <"$DIR/$name.time"
  echo "$wall $(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }') $kb $load" \
    >>"$DIR/$name.runs"
  printf "  %-14s wall %6.2f s  cpu %6.2f s  rss %6.1f MB  (load %s)\n" "$name" "$wall" \
    "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" "$(awk -v k="$kb" 'BEGIN { print k / 1024 }')" "$load"
}

rm -f "$DIR"/*.runs
AUDIT=("$SEC5G" audit "$CAP" --keys "$DIR/keys-$NAME.csv" --hn-key "1:$DIR/hn-$NAME.pem" --format jsonl)
for ((i = 1; i <= RUNS; i++)); do
  echo "== run $i"
  [[ -n ${SKIP_TSHARK:-} ]] || one tshark tshark -n -r "$CAP" -T fields -e frame.number -e nas_5gs.mm.message_type
  one audit "${AUDIT[@]}" -o /dev/null --timing
  # The run's critical path: the larger per-thread CPU time (= the wall time on 2 idle cores).
  awk '/timing: threads/ { gsub(",", ""); t = $9; r = $12; print (t > r ? t : r) }' \
    "$DIR/audit.err" >>"$DIR/audit-critical.runs"
  printf "  %-14s tracker/reader thread CPU: %s\n" "" "$(grep -o 'tracker thread.*workers' "$DIR/audit.err" | head -1)"
  PIN=()
  [[ -z ${T1_CPU:-} ]] || PIN=(taskset -c "$T1_CPU")
  one audit-t1 "${PIN[@]}" "${AUDIT[@]}" -o "$DIR/audit-t1.jsonl" --threads 1
done

col() { awk -v c="$2" '{ print $c }' "$DIR/$1.runs" | median; }
echo
printf "%-10s %10s %10s %10s\n" "median" "wall s" "cpu s" "rss MB"
for t in tshark audit audit-t1; do
  [[ -s $DIR/$t.runs ]] || continue
  printf "%-10s %10.2f %10.2f %10.1f\n" "$t" "$(col "$t" 1)" "$(col "$t" 2)" "$(awk -v k="$(col "$t" 3)" 'BEGIN { print k / 1024 }')"
done
if [[ -s $DIR/tshark.runs ]]; then
  tw=$(col tshark 1) tc=$(col tshark 2)
  if [[ -s $DIR/audit-critical.runs ]]; then
    cp=$(col audit-critical 1)
    awk -v tc="$tc" -v cp="$cp" 'BEGIN {
      printf "tshark cpu / audit critical-path cpu (max thread CPU, 2 idle cores) %.2f s: %.1fx\n", cp, tc / cp }'
  fi
  for t in audit audit-t1; do
    aw=$(col "$t" 1) ac=$(col "$t" 2)
    awk -v t="$t" -v tw="$tw" -v tc="$tc" -v aw="$aw" -v ac="$ac" 'BEGIN {
      printf "tshark / %-9s wall/wall %5.1fx   tshark cpu / %s wall %5.1fx   cpu/cpu %5.1fx\n",
             t, tw / aw, t, tc / aw, tc / ac }'
  done
fi
# NAS messages per CPU-second of the sequential audit (one core: capture reading, SCTP, NGAP,
# NAS, SUCI de-concealment, key derivation, MACs, deciphering, rules).
nas=$(tail -n 1 "$DIR/audit-t1.jsonl" | grep -o '"nas":[0-9]*' | cut -d: -f2)
if [[ -n $nas && -s $DIR/audit-t1.runs ]]; then
  awk -v n="$nas" -v c="$(col audit-t1 2)" -v w="$(col audit-t1 1)" 'BEGIN {
    printf "audit --threads 1: %d NAS messages, %.0f k NAS/s per CPU-second (%.0f k/s wall)\n",
           n, n / c / 1000, n / w / 1000 }'
fi
