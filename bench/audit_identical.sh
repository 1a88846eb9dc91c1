#!/usr/bin/env bash
# The correctness gate of a performance change to `sec5g audit`: audits every shared capture
# without keys and with each subscriber key file of ../shared/captures/keys, with both home-
# network keys, as JSON Lines, once with BIN_A `--threads 1` and once with BIN_B `--threads 2`,
# and compares the reports and exit statuses byte for byte (57 captures x 7 = 399 pairs of
# runs). A change that only makes the tool faster leaves every report identical, and the two
# thread counts must agree whatever the build. Exit 0 when all agree, 1 otherwise (the
# differing runs are listed; their outputs are kept in OUT).
#
# usage: bench/audit_identical.sh BIN_A BIN_B [OUT]
#   BIN_A, BIN_B  two sec5g binaries (the same one checks --threads 1 against --threads 2)
#   OUT           where the differing outputs go (default: a temporary directory, removed)
#   SEC5G_SHARED  the shared folder (default: ../shared beside the repository)
set -euo pipefail
(($# >= 2 && $# <= 3)) || { echo "usage: bench/audit_identical.sh BIN_A BIN_B [OUT]" >&2; exit 2; }
A=$1 B=$2
[[ -x $A && -x $B ]] || { echo "BIN_A and BIN_B must be executables" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
shared=${SEC5G_SHARED:-$here/../../shared}
caps=$shared/captures
keys=$caps/keys
[[ -d $caps && -d $keys ]] || { echo "no captures in $caps (set SEC5G_SHARED)" >&2; exit 2; }
hn_a=$keys/hnet-profile-a-open5gs-1.pem hn_b=$keys/hnet-profile-b-ts33501.pem
for f in "$hn_a" "$hn_b"; do [[ -f $f ]] || { echo "missing $f" >&2; exit 2; }; done
hn=(--hn-key "1:$hn_a" --hn-key "27:$hn_b")
if [[ -n ${3:-} ]]; then
  out=$3
  mkdir -p "$out"
else
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi

runs=0 differing=0
for c in "$caps"/*.pcap "$caps"/*.pcapng; do
  [[ -f $c ]] || continue
  for k in none "$keys"/*.csv; do
    ka=()
    [[ $k == none ]] || ka=(--keys "$k")
    args=(audit "$c" "${ka[@]}" "${hn[@]}" --format jsonl)
    ea=0 eb=0
    "$A" "${args[@]}" --threads 1 >"$out/a.jsonl" 2>/dev/null || ea=$?
    "$B" "${args[@]}" --threads 2 >"$out/b.jsonl" 2>/dev/null || eb=$?
    runs=$((runs + 1))
    if [[ $ea != "$eb" ]] || ! cmp -s "$out/a.jsonl" "$out/b.jsonl"; then
      differing=$((differing + 1))
      tag=$(basename "$c")-$(basename "$k" .csv)
      mv "$out/a.jsonl" "$out/$tag.a.jsonl"
      mv "$out/b.jsonl" "$out/$tag.b.jsonl"
      echo "DIFF $(basename "$c") keys $(basename "$k"): exit $ea / $eb"
    fi
  done
done
rm -f "$out/a.jsonl" "$out/b.jsonl"
echo "$runs pairs of audits, $differing differing"
((differing == 0))
