#!/usr/bin/env bash
# End-to-end test of `sec5g crypto milenage|tuak|kdf|eap-aka-prime`, `sec5g keys derive` and
# `sec5g selftest`: known answers (tests/data/vectors), JSON key order, --input JSON (file and
# stdin) with option precedence, and the error contract (one line on stderr; exit 2 for bad
# values, 3 for unreadable input, 1 for failing vectors).
# Usage: cli_auth_test.sh PATH/TO/sec5g VECTORS_DIR
set -u
bin="$1"
vectors="$2"
source "$(dirname "${BASH_SOURCE[0]}")/../support/cli_checks.sh"

# MILENAGE TS 35.208 test set 1 (upper-case input, lower-case output, OP and OPc forms).
K=465b5ce8b199b49faa5f0a2ee238a6bc
OP=cdc202d5123e20f62b6d676ac72cb318
OPC=cd63cb71954a9f4e48a5994e37a02baf
RAND=23553cbe9637a89d218ae64dae47bf35
M1='{"opc":"cd63cb71954a9f4e48a5994e37a02baf","f1":"4a9ffac354dfafb3","f1star":"01cfaf9ec4e871e9","f2":"a54211d5e3ba50bf","f3":"b40ba9a3c58b2a05bbf0d987b21bf8cb","f4":"f769bcd751044604127672711c6d3441","f5":"aa689c648370","f5star":"451e8beca43b"}'
expect_out "$M1" crypto milenage --k "${K^^}" --op "${OP^^}" --rand $RAND --sqn FF9BB4D0B607 --amf B9B9
expect_out "$M1" crypto milenage --k $K --opc $OPC --rand $RAND --sqn ff9bb4d0b607 --amf b9b9
# --input from a file and from stdin; a command-line option wins over the JSON field.
printf '{"k":"%s","opc":"%s","rand":"%s","sqn":"ff9bb4d0b607","amf":"b9b9"}' $K $OPC $RAND >"$tmp/m.json"
expect_out "$M1" crypto milenage --input "$tmp/m.json"
got="$("$bin" crypto milenage --input - <"$tmp/m.json" 2>&1)"
[[ "$got" == "$M1" ]] && ok || bad "milenage --input - -> $got"
printf '{"k":"%s","opc":"%s","rand":"%s","sqn":"000000000000","amf":"b9b9"}' $K $OPC $RAND >"$tmp/m2.json"
expect_out "$M1" crypto milenage --input "$tmp/m2.json" --sqn ff9bb4d0b607

# TUAK test set 1 (TS 35.233) with RES of 32 bits; set 3 with 256-bit K, MAC and IK.
T1='{"topc":"bd04d9530e87513c5d837ac2ad954623a8e2330c115305a73eb45d1f40cccbff","f1":"f9a54e6aeaa8618d","f1star":"e94b4dc6c7297df3","f2":"657acd64","f3":"d71a1e5c6caffe986a26f783e5c78be1","f4":"be849fa2564f869aecee6f62d4337e72","f5":"719f1e9b9054","f5star":"e7af6b3d0e38"}'
expect_out "$T1" crypto tuak --k abababababababababababababababab --top 5555555555555555555555555555555555555555555555555555555555555555 --rand 42424242424242424242424242424242 --sqn 111111111111 --amf ffff --res-bits 32
T3='{"topc":"305425427e18c503c8a4b294ea72c95d0c36c6c6b29d0c65de5974d5977f8524","f1":"d97b75a1776065271b1e212bc3b1bf173f438b21e6c64a55a96c372e085e5cc5","f1star":"427bbf07c6e3a86c54f8c5216499f3909a6fd4a164c9fe235b1550258111b821","f2":"07021c73e7635c7d","f3":"4d59ac796834eb85d11fa148a5058c3c","f4":"126d47500136fdc5ddfd14f19ebf16749ce4b6435323fbb5715a3a796a6082bd","f5":"1d6622c4e59a","f5star":"f84eb338848c"}'
expect_out "$T3" crypto tuak --k fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0efeeedecebeae9e8e7e6e5e4e3e2e1e0 --topc 305425427e18c503c8a4b294ea72c95d0c36c6c6b29d0c65de5974d5977f8524 --rand 0123456789abcdef0123456789abcdef --sqn 0123456789ab --amf abcd --mac-bits 256 --ik-bits 256 --keccak-iterations 1

# KDF: K_SEAF vector of kdf.json (FC 0x6C, P0 = serving network name).
expect_out 6c50bfa5f32a89ade1ee6c707de6dcfea0790afb6d14f9e55943aeda58334548 crypto kdf --key d9c8ff91b69e250e256e92466acf80a1d82b65f094b7c071199c0312e067ff3b --fc 6C --param 35473a6d6e633037302e6d63633930312e336770706e6574776f726b2e6f7267
expect_out 46237ef051d6a16a3927525fa65cc39544cdfd7990b946ad796530e6d787a0da crypto kdf --key 6c50bfa5f32a89ade1ee6c707de6dcfea0790afb6d14f9e55943aeda58334548 --fc 6d --param 393031373030303030303231333039 --param 0000
printf '{"key":"6c50bfa5f32a89ade1ee6c707de6dcfea0790afb6d14f9e55943aeda58334548","fc":"6d","param":["393031373030303030303231333039","0000"]}' >"$tmp/kdf.json"
expect_out 46237ef051d6a16a3927525fa65cc39544cdfd7990b946ad796530e6d787a0da crypto kdf --input "$tmp/kdf.json"

# EAP-AKA' RFC 5448 test case 1.
E1='{"ck_prime":"0093962d0dd84aa5684b045c9edffa04","ik_prime":"ccfc230ca74fcc96c0a5d61164f5a76c","k_encr":"766fa0a6c317174b812d52fbcd11a179","k_aut":"0842ea722ff6835bfa2032499fc3ec23c2f0e388b4f07543ffc677f1696d71ea","k_re":"cf83aa8bc7e0aced892acc98e76a9b2095b558c7795c7094715cb3393aa7d17a","msk":"67c42d9aa56c1b79e295e3459fc3d187d42be0bf818d3070e362c5e967a4d544e8ecfe19358ab3039aff03b7c930588c055babee58a02650b067ec4e9347c75a","emsk":"f861703cd775590e16c7679ea3874ada866311de290764d760cf76df647ea01c313f69924bdd7650ca9bac141ea075c4ef9e8029c0e290cdbad5638b63bc23fb"}'
expect_out "$E1" crypto eap-aka-prime --ck 5349fbe098649f948f5d2e973a81c00f --ik 9744871ad32bf9bbd1dd5ce54e3e2e5a --sqn-xor-ak bb52e91c747a --network-name WLAN --identity 0555444333222111

# keys derive, MILENAGE test set 1: JSON key order, MILENAGE part equal to `crypto milenage`,
# K_SEAF and K_AMF equal to `crypto kdf` on the printed K_AUSF / K_SEAF.
D="$("$bin" keys derive --k $K --opc $OPC --rand $RAND --sqn ff9bb4d0b607 --amf b9b9 --snn 5G:mnc093.mcc208.3gppnetwork.org --supi imsi-208930000000001 2>&1)"
keys_order="$(grep -o '"[a-z_]*":' <<<"$D" | tr -d '":' | tr '\n' ' ')"
[[ "$keys_order" == "ck ik ak res mac_a autn res_star hxres_star k_ausf k_seaf k_amf k_nas_enc k_nas_int k_gnb " ]] && ok || bad "keys derive key order: $keys_order"
field() { sed -E "s/.*\"$1\":\"([0-9a-f]*)\".*/\1/" <<<"$D"; }
[[ "$(field ck)" == b40ba9a3c58b2a05bbf0d987b21bf8cb && "$(field res)" == a54211d5e3ba50bf && "$(field ak)" == aa689c648370 ]] && ok || bad "keys derive MILENAGE part: $D"
[[ "$(field autn)" == 55f328b43577b9b94a9ffac354dfafb3 ]] && ok || bad "keys derive AUTN: $(field autn)"
SNNHEX=35473a6d6e633039332e6d63633230382e336770706e6574776f726b2e6f7267
expect_out "$(field k_seaf)" crypto kdf --key "$(field k_ausf)" --fc 6c --param $SNNHEX
expect_out "$(field k_amf)" crypto kdf --key "$(field k_seaf)" --fc 6d --param 323038393330303030303030303031 --param 0000
expect_out "$(field k_gnb)" crypto kdf --key "$(field k_amf)" --fc 6e --param 00000000 --param 01
nas_int_full="$("$bin" crypto kdf --key "$(field k_amf)" --fc 69 --param 02 --param 02)"
[[ "${nas_int_full:32}" == "$(field k_nas_int)" ]] && ok || bad "k_nas_int is not the low half of the KDF"
printf '{"k":"%s","opc":"%s","rand":"%s","sqn":"ff9bb4d0b607","amf":"b9b9","snn":"5G:mnc093.mcc208.3gppnetwork.org","supi":"imsi-208930000000001","abba":"0000","nas_enc_alg":2,"nas_int_alg":"2","ul_nas_count":0}' $K $OPC $RAND >"$tmp/d.json"
expect_out "$D" keys derive --input "$tmp/d.json"
D7="$("$bin" keys derive --input "$tmp/d.json" --ul-nas-count 7)"
[[ "$D7" != "$D" && "${D7%%\"k_gnb\"*}" == "${D%%\"k_gnb\"*}" ]] && ok || bad "--ul-nas-count changes only k_gnb"

# selftest: the embedded vectors and a directory; failing and unknown vectors.
last="$("$bin" selftest --quiet)"; rc=$?
[[ $rc -eq 0 && "$last" =~ ^[0-9]+\ passed,\ 0\ failed ]] && ok || bad "selftest -> rc=$rc '$last'"
out="$("$bin" selftest --vectors "$vectors")"; rc=$?
[[ $rc -eq 0 && "$(tail -1 <<<"$out")" =~ ^[0-9]+\ passed,\ 0\ failed ]] && ok || bad "selftest --vectors -> rc=$rc"
grep -q '^PASS milenage.json:milenage-ts01$' <<<"$out" && ok || bad "no PASS line for milenage-ts01"
mkdir -p "$tmp/v"
sed 's/"f1": "4a9ffac354dfafb3"/"f1": "4a9ffac354dfafb4"/' "$vectors/milenage.json" >"$tmp/v/milenage.json"
printf '[{"id":"x1","algorithm":"MILENAGE-256","k":"00"}]' >"$tmp/v/future.json"
out="$("$bin" selftest --vectors "$tmp/v")"; rc=$?
[[ $rc -eq 1 && "$(tail -1 <<<"$out")" == "22 passed, 1 failed, 1 skipped" ]] && ok || bad "selftest with a broken vector -> rc=$rc '$(tail -1 <<<"$out")'"
grep -q '^FAIL milenage.json:milenage-ts01: ' <<<"$out" && ok || bad "no FAIL line"
grep -q '^SKIP future.json:x1: ' <<<"$out" && ok || bad "no SKIP line"
expect_err 3 selftest --vectors "$tmp/does-not-exist"

# Error contract.
expect_err 2 crypto milenage --k zz5b5ce8b199b49faa5f0a2ee238a6bc --opc $OPC --rand $RAND --sqn ff9bb4d0b607 --amf b9b9
expect_err 2 crypto milenage --k $K --opc $OPC --rand $RAND --sqn ff9bb4d0b6 --amf b9b9
expect_err 2 crypto milenage --k $K --op $OP --opc $OPC --rand $RAND --sqn ff9bb4d0b607 --amf b9b9
expect_err 2 crypto milenage --k $K --rand $RAND --sqn ff9bb4d0b607 --amf b9b9
expect_err 2 crypto tuak --k abab --top 5555555555555555555555555555555555555555555555555555555555555555 --rand 42424242424242424242424242424242 --sqn 111111111111 --amf ffff
expect_err 2 crypto tuak --k abababababababababababababababab --top 5555555555555555555555555555555555555555555555555555555555555555 --rand 42424242424242424242424242424242 --sqn 111111111111 --amf ffff --mac-bits 96
expect_err 2 crypto tuak --k abababababababababababababababab --top 5555555555555555555555555555555555555555555555555555555555555555 --rand 42424242424242424242424242424242 --sqn 111111111111 --amf ffff --keccak-iterations 0
expect_err 2 crypto kdf --key 00 --fc 100 --param 00
expect_err 2 crypto kdf --key 00 --fc 10 --param 0
expect_err 2 crypto eap-aka-prime --ck 00 --ik 9744871ad32bf9bbd1dd5ce54e3e2e5a --sqn-xor-ak bb52e91c747a --network-name WLAN --identity x
expect_err 2 keys derive --k $K --opc $OPC --rand $RAND --sqn ff9bb4d0b607 --amf b9b9 --snn 5G:mnc093.mcc208.3gppnetwork.org --supi 208930000000001
expect_err 2 keys derive --k $K --opc $OPC --rand $RAND --sqn ff9bb4d0b607 --amf b9b9 --snn 5G:mnc093.mcc208.3gppnetwork.org --supi imsi-208930000000001 --nas-enc-alg 4
expect_err 2 keys derive --k $K --opc $OPC --rand $RAND --sqn ff9bb4d0b607 --amf b9b9 --snn 5G:mnc093.mcc208.3gppnetwork.org --supi imsi-208930000000001 --abba 00
expect_err 2 keys derive --k $K --opc $OPC --rand $RAND --sqn ff9bb4d0b607 --amf b9b9 --snn 5G:mnc093.mcc208.3gppnetwork.org --supi imsi-208930000000001 --ul-nas-count 16777216
expect_err 2 keys derive --k $K --opc $OPC --rand $RAND --sqn ff9bb4d0b607 --amf b9b9 --snn mnc093.mcc208.3gppnetwork.org --supi imsi-208930000000001
expect_err 2 keys derive --k $K --opc $OPC --rand $RAND --sqn ff9bb4d0b607 --amf b9b9 --snn 5G: --supi imsi-208930000000001
printf '{"k":"%s","opc":"%s","surprise":1}' $K $OPC >"$tmp/bad.json"
expect_err 2 crypto milenage --input "$tmp/bad.json" --rand $RAND --sqn ff9bb4d0b607 --amf b9b9
printf 'not json' >"$tmp/notjson.json"
expect_err 3 crypto milenage --input "$tmp/notjson.json"
expect_err 3 keys derive --input "$tmp/missing.json"

cli_checks_summary cli_auth_test
