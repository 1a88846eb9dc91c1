#!/usr/bin/env bash
# Runs every benchmark binary of a build directory (see docs/PERFORMANCE.md).
set -euo pipefail
BUILD=${1:-build/release}
for b in "$BUILD"/bench/bench_*; do
  [[ -x "$b" ]] || continue
  echo "== $(basename "$b") =="
  "$b" --benchmark_min_time=0.2
done
