#!/usr/bin/env bash
# Compares the CPU time of two builds of `sec5g audit` on the benchmark captures of
# bench/audit_pipeline.sh, the way docs/performance/audit.md measures a change: PAIRS
# interleaved runs A, B, A, B, ... each pinned to one CPU (`taskset`), CPU time = user + sys of
# the process (GNU time), `--threads 1`. Prints both medians and minima and the median of the
# per-pair ratios B/A (below 1: B is faster). Interleaving puts both builds in the same minutes
# of a shared VM, whose speed drifts by more than most changes; the paired ratio cancels the
# drift that the two runs of a pair share.
#
# usage: bench/audit_ab.sh BIN_A BIN_B [PAIRS] [steady|storm]
#   BIN_A, BIN_B  two sec5g binaries (e.g. the Release build before and after a change, copied
#                 aside); PAIRS default 12; steady (default): the 20 000-UE x 10-cycle capture,
#                 storm: the 20 000-UE registration capture.
#   CPU=N         the CPU to pin to (default 1: on the build VM, CPU 0 also takes the
#                 interrupts). AUDIT_DIR as for bench/audit_pipeline.sh (default
#                 /tmp/sec5g-audit-bench), which makes the captures on its first run.
set -euo pipefail
usage() { echo "usage: bench/audit_ab.sh BIN_A BIN_B [PAIRS] [steady|storm]" >&2; exit 2; }
(($# >= 2 && $# <= 4)) || usage
A=$1 B=$2 PAIRS=${3:-12} KIND=${4:-steady}
[[ -x $A && -x $B ]] || { echo "BIN_A and BIN_B must be executables" >&2; exit 2; }
[[ $PAIRS =~ ^[1-9][0-9]*$ ]] || { echo "PAIRS must be a positive integer" >&2; exit 2; }
case $KIND in
  steady) NAME=20000-c10 ;;
  storm) NAME=20000 ;;
  *) usage ;;
esac
CPU=${CPU:-1}
[[ $CPU =~ ^[0-9]+$ ]] || { echo "CPU must be a CPU number" >&2; exit 2; }
source "$(dirname "${BASH_SOURCE[0]}")/audit_common.sh"  # TIME, DIR, median
command -v taskset >/dev/null || { echo "needs taskset (Debian package util-linux)" >&2; exit 2; }
CAP=$DIR/benign-$NAME.pcapng
if [[ ! -s $CAP ]]; then
  echo "no $CAP: make it with bench/audit_pipeline.sh BUILD 20000 1$([[ $KIND == steady ]] && echo ' 10')" >&2
  exit 2
fi
ARGS=(audit "$CAP" --keys "$DIR/keys-$NAME.csv" --hn-key "1:$DIR/hn-$NAME.pem" --format jsonl
      -o /dev/null --threads 1)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

# run BIN: the CPU seconds of one pinned audit.
run() {
  "$TIME" -f "%U %S" -o "$OUT/t" taskset -c "$CPU" "$1" "${ARGS[@]}" 2>"$OUT/err" || {
    echo "$1 failed:" >&2
    cat "$OUT/err" >&2
    exit 1
  }
  awk '{ printf "%.3f\n", $1 + $2 }' "$OUT/t"
}

echo "== $PAIRS pairs, $KIND capture, CPU $CPU: A=$A B=$B"
for ((i = 1; i <= PAIRS; i++)); do
  a=$(run "$A")
  b=$(run "$B")
  echo "$a $b" >>"$OUT/pairs"
  printf "  pair %2d: A %.3f s  B %.3f s  B/A %.3f\n" "$i" "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN { print b / a }')"
done
ma=$(awk '{ print $1 }' "$OUT/pairs" | median)
mb=$(awk '{ print $2 }' "$OUT/pairs" | median)
na=$(awk '{ print $1 }' "$OUT/pairs" | sort -n | head -1)
nb=$(awk '{ print $2 }' "$OUT/pairs" | sort -n | head -1)
ratio=$(awk '{ print $2 / $1 }' "$OUT/pairs" | median)
printf "A median %.3f s min %.3f s | B median %.3f s min %.3f s | paired B/A median x%.3f (%d pairs)\n" \
  "$ma" "$na" "$mb" "$nb" "$ratio" "$PAIRS"
