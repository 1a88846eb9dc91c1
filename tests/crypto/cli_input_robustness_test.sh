#!/usr/bin/env bash
# Robustness of `--input FILE|-` (the JSON object every crypto / keys command accepts): malformed,
# truncated, deeply nested, wrongly typed, oversized or binary input gives exit 2 (bad value) or
# 3 (not a JSON object / unreadable), one error line on stderr, never a crash, a hang or key
# material echoed back.
# Usage: cli_input_robustness_test.sh PATH/TO/sec5g
set -u
bin="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
key=d3c5d592327fb11c4035c6680af8c6d1

commands=("crypto nea" "crypto nia" "crypto milenage" "crypto tuak" "crypto kdf"
          "crypto eap-aka-prime" "keys derive")
inputs=(
  ''
  '{'
  '{"alg":'
  '[]'
  '"text"'
  '42'
  'null'
  '{"alg":-1}'
  '{"alg":1.5}'
  '{"alg":true}'
  '{"alg":{"x":1}}'
  '{"key":["'"$key"'"]}'
  '{"unknown_field":"x"}'
  '{"count":99999999999999999999999}'
  '{"count":4294967296,"alg":2,"key":"'"$key"'","bearer":1,"direction":0,"data":"00"}'
  '{"key":"'"$key"'","k":"'"$key"'","data":"zz"}'
  '{"k":"'"$key"'0","opc":"'"$key"'","rand":"'"$key"'","sqn":"000000000001","amf":"8000"}'
)
# Deep nesting and a large object.
nested="$(printf '[%.0s' $(seq 1 200000))"
inputs+=("$nested")
big="{\"data\":\"$(head -c 300000 /dev/zero | tr '\0' 'a')\"}"
inputs+=("$big")

for c in "${commands[@]}"; do
  i=0
  for in in "${inputs[@]}" BINARY; do
    i=$((i + 1))
    if [[ "$in" == BINARY ]]; then head -c 4096 /dev/urandom >"$tmp/in"; else printf '%s' "$in" >"$tmp/in"; fi
    timeout 20 $bin $c --input "$tmp/in" >"$tmp/out" 2>"$tmp/err"; rc=$?
    if [[ $rc -ne 2 && $rc -ne 3 ]]; then
      fail=$((fail + 1)); echo "FAIL: $c --input case $i: exit $rc (expected 2 or 3)"; head -c 300 "$tmp/err"; continue
    fi
    if [[ $(wc -l <"$tmp/err") -ne 1 ]] || ! grep -q '^sec5g: error: ' "$tmp/err"; then
      fail=$((fail + 1)); echo "FAIL: $c --input case $i: stderr is not one error line"; head -c 300 "$tmp/err"; continue
    fi
    if grep -q "$key" "$tmp/err" "$tmp/out"; then
      fail=$((fail + 1)); echo "FAIL: $c --input case $i: key material echoed"; continue
    fi
    pass=$((pass + 1))
  done
done
# Unreadable file: exit 3.
$bin crypto nea --input "$tmp/does-not-exist" >/dev/null 2>"$tmp/err"; rc=$?
[[ $rc -eq 3 ]] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: missing --input file: exit $rc"; }
echo "--input robustness: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
