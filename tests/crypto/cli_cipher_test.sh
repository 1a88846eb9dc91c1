#!/usr/bin/env bash
# End-to-end test of `sec5g crypto nea|nia`: known answers (TS 33.401 Annex C / ETSI-SAGE test
# sets, the same as tests/data/vectors), --input JSON with overrides, and the error contract
# (one line on stderr, exit 2 for bad values, exit 3 for an unreadable --input).
# Usage: cli_cipher_test.sh PATH/TO/sec5g
set -u
bin="$1"
source "$(dirname "${BASH_SOURCE[0]}")/../support/cli_checks.sh"

K2=d3c5d592327fb11c4035c6680af8c6d1
P2=981ba6824c1bfb1ab485472029b71d808ce33e2cc3c0b5fc1f3de8a6dc66b1f0
C2=e9fed8a63d155304d71df20bf3e82214b20ed7dad2f233dc3c22d7bdeeed8e78

# 128-NEA2 test set 1 (253 bits), upper-case input, lower-case output.
expect_out "$C2" crypto nea --alg 2 --key "${K2^^}" --count 398A59B4 --bearer 21 --direction 1 --bits 253 --data "${P2^^}"
# deciphering is the same operation
expect_out "$P2" crypto nea --alg 2 --key $K2 --count 398a59b4 --bearer 21 --direction 1 --bits 253 --data $C2
# 128-NEA0 is the identity with the bits after --bits cleared
expect_out "ff80" crypto nea --alg 0 --key $K2 --count 00000000 --bearer 0 --direction 0 --bits 9 --data ffff
# 128-NEA1 test set 1 (TS 33.401 C.3.1 / 33.501 D.4.2)
expect_out "5d5bfe75eb04f68ce0a12377ea00b37d47c6a0ba06309155086a859c4341b378" \
  crypto nea --alg 1 --key d3c5d592327fb11c4035c6680af8c6d1 --count 398a59b4 --bearer 21 --direction 1 --bits 253 \
  --data 981ba6824c1bfb1ab485472029b71d808ce33e2cc3c0b5fc1f3de8a6dc66b1f0
# 128-NEA3 test set 1 (193 bits)
expect_out "a6c85fc66afb8533aafc2518dfe784940ee1e4b030238cc800" \
  crypto nea --alg 3 --key 173d14ba5003731d7a60049470f00a29 --count 66035492 --bearer 15 --direction 0 --bits 193 \
  --data 6cf65340735552ab0c9752fa6f9025fe0bd675d9005875b200
# 128-NIA1 test set 1, 128-NIA2 test set 1 (58 bits), 128-NIA3 test set 1 (1 bit), NIA0
expect_out "731f1165" crypto nia --alg 1 --key 2bd6459f82c5b300952c49104881ff48 --count 38a6f056 --bearer 31 --direction 0 --bits 88 --data 3332346263393861373479
expect_out "118c6eb8" crypto nia --alg 2 --key 2bd6459f82c5b300952c49104881ff48 --count 38a6f056 --bearer 24 --direction 0 --bits 58 --data 3332346263393840
expect_out "c8a9595e" crypto nia --alg 3 --key 00000000000000000000000000000000 --count 00000000 --bearer 0 --direction 0 --bits 1 --data 00
expect_out "00000000" crypto nia --alg 0 --key 00000000000000000000000000000000 --count 00000000 --bearer 0 --direction 0 --bits 8 --data 12

# --input FILE and --input - ; command-line options override fields of the JSON object.
cat >"$tmp/in.json" <<JSON
{"alg": 2, "key": "$K2", "count": "398a59b4", "bearer": 21, "direction": 1, "bits": 253, "data": "$P2"}
JSON
expect_out "$C2" crypto nea --input "$tmp/in.json"
expect_out "$C2" crypto nea --input - <"$tmp/in.json"
expect_out "$C2" crypto nea --input "$tmp/in.json" --bearer 21
expect_out "${C2:0:2}" crypto nea --input "$tmp/in.json" --bits 8
expect_out "$(bash -c "'$bin' crypto nea --alg 2 --key $K2 --count 398a59b4 --bearer 21 --direction 0 --bits 253 --data $P2")" \
  crypto nea --input "$tmp/in.json" --direction 0
echo "{\"alg\": \"3\", \"count\": 1711494290, \"bearer\": 15, \"direction\": 0, \"bits\": 193}" >"$tmp/partial.json"
expect_out "a6c85fc66afb8533aafc2518dfe784940ee1e4b030238cc800" crypto nea --input "$tmp/partial.json" \
  --key 173d14ba5003731d7a60049470f00a29 --data 6cf65340735552ab0c9752fa6f9025fe0bd675d9005875b200

# Errors: exit 2 for malformed or out-of-range values, exit 3 for an unreadable --input.
base=(--key $K2 --count 398a59b4 --bearer 21 --direction 1 --bits 253 --data $P2)
expect_err 2 crypto nea --alg 4 "${base[@]}"
expect_err 2 crypto nea --alg x "${base[@]}"
expect_err 2 crypto nea --alg 2 --key ${K2:0:30} --count 398a59b4 --bearer 21 --direction 1 --bits 253 --data $P2
expect_err 2 crypto nea --alg 2 --key ${K2:0:31}g --count 398a59b4 --bearer 21 --direction 1 --bits 253 --data $P2
expect_err 2 crypto nea --alg 2 --key $K2 --count 398a59 --bearer 21 --direction 1 --bits 253 --data $P2
expect_err 2 crypto nea --alg 2 --key $K2 --count 398a59b4 --bearer 32 --direction 1 --bits 253 --data $P2
expect_err 2 crypto nea --alg 2 --key $K2 --count 398a59b4 --bearer 21 --direction 2 --bits 253 --data $P2
expect_err 2 crypto nea --alg 2 --key $K2 --count 398a59b4 --bearer 21 --direction 1 --bits 257 --data $P2
expect_err 2 crypto nea --alg 2 --key $K2 --count 398a59b4 --bearer 21 --direction 1 --bits 253 --data ${P2}0
expect_err 2 crypto nea --alg 2 --key $K2 --count 398a59b4 --bearer 21 --direction 1 --bits -1 --data $P2
expect_err 2 crypto nea --alg 2 --key $K2 --count 398a59b4 --bearer 21 --direction 1 --bits 99999999999999999999 --data $P2
expect_err 2 crypto nia --alg 2 --key $K2 --count 398a59b4 --bearer 21 --direction 1 --bits 253
expect_err 2 crypto nia --alg 3 --key $K2 --count 398a59b4 --bearer 21 --direction 1 --bits 0 --data ""
expect_err 2 crypto nea --alg 3 --key $K2 --count 398a59b4 --bearer 21 --direction 1 --bits 65505 --data "$(printf "%016392d" 0)"
echo '{"alg": 2, "colour": "red"}' >"$tmp/unknown.json"
expect_err 2 crypto nia --input "$tmp/unknown.json"
echo '{"alg": 2, "key": 5}' >"$tmp/badtype.json"
expect_err 2 crypto nia --input "$tmp/badtype.json"
echo '{"alg": 2,' >"$tmp/broken.json"
expect_err 3 crypto nia --input "$tmp/broken.json"
expect_err 3 crypto nia --input "$tmp/does-not-exist.json"

cli_checks_summary
