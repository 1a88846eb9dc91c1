#!/usr/bin/env bash
# End-to-end tests of `sec5g audit`, `sec5g decipher` and `sec5g rules` on the shared captures:
# golden JSON Lines, the expected findings of issue 6, exit codes, deciphered output dissected
# by tshark, and a scan of every output for key material from the key files.
# Usage: audit_test.sh PATH/TO/sec5g SHARED_CAPTURES_DIR TESTS_E2E_DIR [--update]
set -u
bin="$1"; cap="$2"; here="$3"; update="${4:-}"
keys="$cap/keys"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
outputs=()

# run NAME ARGS...: runs sec5g, keeps stdout in $tmp/NAME.out, stderr in $tmp/NAME.err, rc in $rc
run() {
  local name="$1"; shift
  "$bin" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"; rc=$?
  outputs+=("$tmp/$name.out" "$tmp/$name.err")
}
has_rule() {  # has_rule NAME RULE: the JSONL output of NAME has a finding of RULE
  grep -q "\"type\":\"finding\",\"rule\":\"$2\"" "$tmp/$1.out"
}

# --- rules
run rules rules
[[ $rc -eq 0 && $(wc -l <"$tmp/rules.out") -eq 27 ]] && ok || bad "rules: rc=$rc lines=$(wc -l <"$tmp/rules.out")"
run rules_json rules --json
if [[ $rc -eq 0 && $(grep -c '"type":"rule","id":"' "$tmp/rules_json.out") -eq 27 ]] && grep -q '"id":"nas.ue_caps_null_only","severity":"medium"' "$tmp/rules_json.out"; then ok; else bad "rules --json"; fi

# --- golden JSON Lines
golden() {  # golden NAME ARGS...
  local name="$1"; shift
  run "$name" audit "$@" --format jsonl
  if [[ "$update" == "--update" ]]; then cp "$tmp/$name.out" "$here/$name.jsonl"; fi
  if [[ $rc -eq 0 ]] && diff -q "$here/$name.jsonl" "$tmp/$name.out" >/dev/null; then ok; else
    bad "golden $name (rc=$rc)"; diff "$here/$name.jsonl" "$tmp/$name.out" | head -5; fi
}
golden audit_oai_ueransim_registration "$cap/oai_ueransim_registration.pcap" --keys "$keys/oai.csv"
golden audit_authanomalies_supi_harvest "$cap/authanomalies_supi_harvest.pcap" \
  --keys "$keys/open5gs-default.csv" --hn-key "1:$keys/hnet-profile-a-open5gs-1.pem"
golden audit_rub_suci_catcher_oneplus8_32 "$cap/rub_suci_catcher_oneplus8_32.pcapng" \
  --hn-key "27:$keys/hnet-profile-b-ts33501.pem"

# --- the findings issue 6 expects
grep -q '"rule":"id.suci_null_scheme".*"supi":"imsi-001010000000003"' "$tmp/audit_authanomalies_supi_harvest.out" \
  && ok || bad "supi_harvest: id.suci_null_scheme for imsi-001010000000003"
grep -q '"deciphered":5,"mac_ok":6,"mac_failed":0' "$tmp/audit_oai_ueransim_registration.out" \
  && ok || bad "oai_ueransim: 5 deciphered, 6 MACs verified"
# --snn: the network's own name (PLMN 208/95) gives the report of the PLMN seen on N2; another
# well-formed name derives other keys (every MAC fails); a name without "5G:" is a usage error.
run snn_same audit "$cap/oai_ueransim_registration.pcap" --keys "$keys/oai.csv" \
  --snn 5G:mnc095.mcc208.3gppnetwork.org --format jsonl
[[ $rc -eq 0 ]] && cmp -s "$tmp/snn_same.out" "$tmp/audit_oai_ueransim_registration.out" && ok \
  || bad "--snn 5G:mnc095.mcc208.3gppnetwork.org: rc=$rc, report differs from the default"
run snn_other audit "$cap/oai_ueransim_registration.pcap" --keys "$keys/oai.csv" \
  --snn 5G:mnc001.mcc001.3gppnetwork.org --format jsonl
[[ $rc -eq 0 ]] && grep -q '"mac_ok":0,"mac_failed":6' "$tmp/snn_other.out" && ok \
  || bad "--snn of another network: rc=$rc $(tail -1 "$tmp/snn_other.out")"
run snn_bad audit "$cap/oai_ueransim_registration.pcap" --keys "$keys/oai.csv" \
  --snn mnc095.mcc208.3gppnetwork.org
[[ $rc -eq 2 ]] && grep -q "is not a serving network name" "$tmp/snn_bad.err" && ok \
  || bad "--snn without 5G:: rc=$rc err=$(cat "$tmp/snn_bad.err")"
# The command line parser's own errors (no FILE, an unknown option, no -o, no or an unknown
# command): exit 2, and the first stderr line in the form of every other diagnostic.
usage_case() {  # usage_case NAME ARGS...
  local name="$1"; shift
  run "$name" "$@"
  [[ $rc -eq 2 ]] && head -1 "$tmp/$name.err" | grep -q '^sec5g: error: ' && ok \
    || bad "$name: rc=$rc err=$(head -1 "$tmp/$name.err")"
}
usage_case no_file audit
usage_case unknown_option audit "$cap/oai_ueransim_registration.pcap" --no-such-option
usage_case no_output decipher "$cap/oai_ueransim_registration.pcap" --keys "$keys/oai.csv"
usage_case no_subcommand
usage_case unknown_command nosuch
grep -q "'nosuch' is not a command of sec5g (one of: .*audit" "$tmp/unknown_command.err" && ok \
  || bad "unknown command not named: $(head -1 "$tmp/unknown_command.err")"
usage_case unknown_subcommand crypto nosuch
has_rule audit_rub_suci_catcher_oneplus8_32 aka.auth_failure_storm && ok || bad "rub_suci_catcher_oneplus8_32: aka.auth_failure_storm"
for f in authanomalies_bidding_down authanomalies_test_bidding_down; do
  run "$f" audit "$cap/$f.pcap" --keys "$keys/open5gs-default.csv" --hn-key "1:$keys/hnet-profile-a-open5gs-1.pem" --format jsonl
  has_rule "$f" nas.ue_caps_null_only && ok || bad "$f: nas.ue_caps_null_only"
  grep -q '"type":"finding","rule":"id.suci_' "$tmp/$f.out" && grep -q '"supi":"imsi-00101' "$tmp/$f.out" && ok || bad "$f: SUCIs de-concealed"
done
for f in authanomalies_brute_force authanomalies_test_brute_force; do
  run "$f" audit "$cap/$f.pcap" --keys "$keys/open5gs-default.csv" --hn-key "1:$keys/hnet-profile-a-open5gs-1.pem" --format jsonl
  has_rule "$f" aka.auth_failure_storm && ok || bad "$f: aka.auth_failure_storm"
done

# --- rule thresholds from the command line: raised above what the capture holds, the storm
# rule stays silent; a zero count or window is a usage error.
run storm_high audit "$cap/rub_suci_catcher_oneplus8_32.pcapng" --format jsonl \
  --auth-failures-per-ue 100000 --auth-failures-per-gnb 100000
[[ $rc -eq 0 ]] && ! has_rule storm_high aka.auth_failure_storm && ok || bad "raised thresholds silence aka.auth_failure_storm (rc=$rc)"
run storm_short audit "$cap/rub_suci_catcher_oneplus8_32.pcapng" --format jsonl --auth-failures-per-ue 2 --auth-failure-window 1
[[ $rc -eq 0 ]] && grep -q '"threshold":2,"window_s":1' "$tmp/storm_short.out" && ok || bad "--auth-failures-per-ue/--auth-failure-window reach the evidence"
for a in "--auth-failures-per-ue 0" "--registration-window 0" "--identity-requests-per-gnb x"; do
  run bad_threshold audit "$cap/rub_suci_catcher_oneplus8_32.pcapng" $a
  [[ $rc -eq 2 ]] && ok || bad "audit $a: exit $rc, expected 2"
done
for f in rub_suci_catcher_oneplus8_500 rub_suci_catcher_quectel_500; do
  run "$f" audit "$cap/$f.pcapng" --hn-key "27:$keys/hnet-profile-b-ts33501.pem" --format jsonl --rules aka.auth_failure_storm
  has_rule "$f" aka.auth_failure_storm && ok || bad "$f: aka.auth_failure_storm"
done
run open5gs audit "$cap/open5gs_testregistration.pcapng" --keys "$keys/open5gs-2020.csv" --format jsonl
grep -q '"protected":1038,"deciphered":0,"mac_ok":1036,"mac_failed":0' "$tmp/open5gs.out" && ok || bad "open5gs_testregistration: 1036 of 1038 verify, 0 fail (2 without context)"
# Every network that selects 5G-EA0.
for f in authanomalies_normal_traffic.pcap oai_gnbsim.pcap open5gs_5g_roaming_hr.pcapng sk_free5gc_test_registration.pcap \
         oai_cotsue_core.pcap tuc_fuzz_open5gs_007e.pcapng rub_registration_quectel.pcapng; do
  run ea0 audit "$cap/$f" --format jsonl --rules nas.null_ciphering
  has_rule ea0 nas.null_ciphering && ok || bad "$f: nas.null_ciphering"
done
run ea1 audit "$cap/oai_ueransim_registration.pcap" --keys "$keys/oai.csv" --format jsonl --rules nas.null_ciphering
has_rule ea1 nas.null_ciphering && bad "oai_ueransim (128-NEA1): no nas.null_ciphering" || ok

# --- text report and exit codes
run text audit "$cap/authanomalies_supi_harvest.pcap" --keys "$keys/open5gs-default.csv"
[[ $rc -eq 0 ]] && grep -q '^== HIGH' "$tmp/text.out" && grep -q '^== SUMMARY ==' "$tmp/text.out" && ok || bad "text report"
run failon audit "$cap/authanomalies_supi_harvest.pcap" --fail-on high --format jsonl
[[ $rc -eq 1 ]] && ok || bad "--fail-on high: rc=$rc (want 1)"
run failon_none audit "$cap/oai_ueransim_registration.pcap" --keys "$keys/oai.csv" --rules nas.mac_failure --fail-on info
[[ $rc -eq 0 ]] && ok || bad "--fail-on info without findings: rc=$rc (want 0)"
run missing audit "$tmp/no_such.pcap"
[[ $rc -eq 3 ]] && ok || bad "unreadable input: rc=$rc (want 3)"
# A capture cut inside its seventh record (which starts at octet 4953): the six frames before
# it are audited, the warning names the frame and its offset, the exit code is the findings'.
head -c 5000 "$cap/oai_ueransim_registration.pcap" >"$tmp/cut.pcap"
for t in 1 2; do
  run "cut_t$t" audit "$tmp/cut.pcap" --format jsonl --threads "$t"
  if [[ $rc -eq 0 ]] && grep -q '"type":"summary","frames":6,' "$tmp/cut_t$t.out" &&
     grep -q "cut.pcap: frame 7 from offset 4953: read error (truncated dump file" "$tmp/cut_t$t.err"
  then ok; else bad "cut capture, --threads $t: rc=$rc err=$(cat "$tmp/cut_t$t.err")"; fi
done
run badfmt audit "$cap/oai_gnbsim.pcap" --format xml
[[ $rc -eq 2 ]] && ok || bad "--format xml: rc=$rc (want 2)"
run badrule audit "$cap/oai_gnbsim.pcap" --rules nas.nope
[[ $rc -eq 2 ]] && ok || bad "--rules unknown: rc=$rc (want 2)"
printf 'supi,k,opc\nimsi-001010000000001,465b5ce8b199b49faa5f0a2ee238a6bc,e8ed289deba952e4283b54e88e6183cZ\n' >"$tmp/bad.csv"
run badkeys audit "$cap/oai_gnbsim.pcap" --keys "$tmp/bad.csv"
[[ $rc -eq 3 ]] && grep -q "bad.csv:2:" "$tmp/badkeys.err" && ok || bad "bad key file: rc=$rc err=$(cat "$tmp/badkeys.err")"
run nokeys audit "$cap/oai_gnbsim.pcap" --keys "$tmp/no_such.csv"
[[ $rc -eq 3 ]] && grep -q "no_such.csv: cannot read file (No such file or directory)" "$tmp/nokeys.err" && ok || bad "missing key file: rc=$rc err=$(cat "$tmp/nokeys.err")"
# Sequential, and threaded (the key file then loads while the reader thread reads ahead).
for t in 1 2 3; do
  run "badkeys_t$t" audit "$cap/oai_gnbsim.pcap" --keys "$tmp/bad.csv" --threads "$t" --hn-key "1:$keys/hnet-profile-a-open5gs-1.pem"
  [[ $rc -eq 3 ]] && grep -q "bad.csv:2:" "$tmp/badkeys_t$t.err" && ok || bad "bad key file, --threads $t: rc=$rc err=$(cat "$tmp/badkeys_t$t.err")"
done
run dirkey audit "$cap/oai_gnbsim.pcap" --hn-key "1:$tmp"
[[ $rc -eq 3 ]] && grep -q "cannot read file (Is a directory)" "$tmp/dirkey.err" && ok || bad "--hn-key on a directory: rc=$rc err=$(cat "$tmp/dirkey.err")"
run badspec audit "$cap/oai_gnbsim.pcap" --hn-key "$keys/hnet-profile-a-open5gs-1.pem"
[[ $rc -eq 2 ]] && grep -q "is not ID:FILE.pem" "$tmp/badspec.err" && ok || bad "--hn-key without ID: rc=$rc err=$(cat "$tmp/badspec.err")"
# --max-findings: 3 of the 30 findings listed; the summary and --fail-on still count all 30.
run capped audit "$cap/authanomalies_brute_force.pcap" --format jsonl --max-findings 3 --fail-on high
if [[ $rc -eq 1 && $(grep -c '"type":"finding"' "$tmp/capped.out") -eq 3 ]] &&
  tail -1 "$tmp/capped.out" | grep -q '"findings":{"aka.auth_failure_storm":1,"id.suci_null_scheme":20,"nas.null_ciphering":8,"ngap.key_in_clear":1},"findings_not_listed":27}' &&
  grep -q "27 findings not listed" "$tmp/capped.err"; then ok; else
  bad "--max-findings 3: rc=$rc $(tail -1 "$tmp/capped.out") $(cat "$tmp/capped.err")"; fi
run output audit "$cap/oai_gnbsim.pcap" --format jsonl -o "$tmp/report.jsonl"
[[ $rc -eq 0 && ! -s "$tmp/output.out" ]] && tail -1 "$tmp/report.jsonl" | grep -q '"type":"summary"' && ok || bad "-o OUT"
outputs+=("$tmp/report.jsonl")

# --- annotate
run annotate audit "$cap/oai_ueransim_registration.pcap" --keys "$keys/oai.csv" --annotate "$tmp/annotated.pcapng" --format jsonl
outputs+=("$tmp/annotated.pcapng")
if [[ $rc -eq 0 ]] && command -v tshark >/dev/null; then
  n=$(tshark -r "$tmp/annotated.pcapng" -Y 'frame.comment contains "sec5g"' 2>/dev/null | wc -l)
  [[ $n -ge 5 ]] && ok || bad "annotate: $n commented packets"
  # The K_gNB of the InitialContextSetupRequest verified against the UE's hierarchy (A.9).
  tshark -r "$tmp/annotated.pcapng" -T fields -e frame.comment 2>/dev/null | grep -q 'SecurityKey (K_gNB) ok (uplink NAS COUNT 0)' \
    && ok || bad "annotate: K_gNB verdict comment"
  # Every comment at its frame, in order: verdicts first, then the findings at that frame.
  got=$(tshark -r "$tmp/annotated.pcapng" -Y frame.comment -T fields -e frame.number -e frame.comment 2>/dev/null |
    sed 's/: {.*//; s/ (TS [^)]*)//g' | tr '\t' ' ')
  want="37 sec5g: high id.suci_null_scheme
48 sec5g: NAS DL security_mode_command COUNT=0 MAC ok
49 sec5g: NAS UL security_mode_complete COUNT=0 MAC ok deciphered(128-NEA1)
50 sec5g: NAS DL registration_accept COUNT=1 MAC ok deciphered(128-NEA1),sec5g: SecurityKey (K_gNB) ok (uplink NAS COUNT 0),sec5g: info ngap.key_in_clear
53 sec5g: NAS UL registration_complete COUNT=1 MAC ok deciphered(128-NEA1),sec5g: NAS UL ul_nas_transport COUNT=2 MAC ok deciphered(128-NEA1)
62 sec5g: NAS DL dl_nas_transport COUNT=2 MAC ok deciphered(128-NEA1)"
  [[ "$got" == "$want" ]] && ok || bad "annotate: comments differ: $got"
fi

# --- several FILEs: each finding names its file, findings sorted by file, --annotate writes
# the files one after the other
two=("$cap/oai_ueransim_registration.pcap" "$cap/oai_slicing_multi_ue.pcap")
run multi audit "${two[@]}" --keys "$keys/oai.csv" --format jsonl --annotate "$tmp/multi.pcapng"
outputs+=("$tmp/multi.pcapng")
if [[ $rc -eq 0 ]] && ! grep '"type":"finding"' "$tmp/multi.out" | grep -vq '"file":"'; then ok; else bad "multi: rc=$rc, a finding without file"; fi
order=$(grep -o '"file":"[^"]*"' "$tmp/multi.out" | uniq | sed 's/.*captures\///; s/"$//' | tr '\n' ' ')
[[ $order == "oai_ueransim_registration.pcap oai_slicing_multi_ue.pcap " ]] && ok || bad "multi: file order '$order'"
tail -1 "$tmp/multi.out" | grep -q '"mac_ok":24,.*"files":\["' && ok || bad "multi summary: $(tail -1 "$tmp/multi.out")"
if command -v tshark >/dev/null; then
  n=$(tshark -r "$tmp/multi.pcapng" 2>/dev/null | wc -l)
  [[ $n -eq 736 ]] && ok || bad "multi annotate: $n packets (want 255 + 481)"
  # A finding of the second file lands on its packet: frame 138 of oai_slicing_multi_ue is
  # frame 255 + 138 of the concatenation.
  tshark -r "$tmp/multi.pcapng" -Y 'frame.number == 393' -T fields -e frame.comment 2>/dev/null | grep -q 'ngap.key_in_clear' \
    && ok || bad "multi annotate: comment of the second file's frame 138"
fi
# A capture cut in two: the evidence frames of the first part name their file.
if command -v editcap >/dev/null; then
  sc="$cap/rub_suci_catcher_oneplus8_32.pcapng"
  editcap -r "$sc" "$tmp/cut1.pcapng" 1-50 && editcap -r "$sc" "$tmp/cut2.pcapng" 51-1000000
  outputs+=("$tmp/cut1.pcapng" "$tmp/cut2.pcapng")
  run cut audit "$tmp/cut1.pcapng" "$tmp/cut2.pcapng" --hn-key "27:$keys/hnet-profile-b-ts33501.pem" --format jsonl
  grep -q "\"rule\":\"aka.auth_failure_storm\".*\"file\":\"$tmp/cut2.pcapng\",\"frame\":8,.*\"frames\":\[42,50,8\],\"frames_file\":\[\"$tmp/cut1.pcapng\",\"$tmp/cut1.pcapng\",\"$tmp/cut2.pcapng\"\]" "$tmp/cut.out" \
    && ok || bad "cut capture: storm frames without their files"
  grep '"rule":"id.suci_replay"' "$tmp/cut.out" | grep "\"file\":\"$tmp/cut2.pcapng\"" | head -1 \
    | grep -q "\"first_frame\":26,\"first_frame_file\":\"$tmp/cut1.pcapng\"" \
    && ok || bad "cut capture: suci_replay first_frame without its file"
  ! grep '"file":"'"$tmp"'/cut1.pcapng"' "$tmp/cut.out" | grep -q '_file"' \
    && ok || bad "cut capture: a finding of the first part names a file in its evidence"
fi
run multi_link audit "$cap/5greplay_oai_registration.pcap" "$cap/authanomalies_replay.pcap" --annotate "$tmp/ml.pcapng"
[[ $rc -eq 2 ]] && grep -q "different link types" "$tmp/multi_link.err" && ok || bad "annotate, Ethernet + SLL2: rc=$rc $(cat "$tmp/multi_link.err")"

# --- decipher: plain NAS for tshark without preferences, no malformed packets
for f in oai_ueransim_registration oai_slicing_multi_ue; do
  run "dec_$f" decipher "$cap/$f.pcap" -o "$tmp/$f.dec.pcapng" --keys "$keys/oai.csv"
  outputs+=("$tmp/$f.dec.pcapng")
  grep -q '"deciphered":5' "$tmp/dec_$f.out" && ok || bad "decipher $f: $(cat "$tmp/dec_$f.out" "$tmp/dec_$f.err")"
  if command -v tshark >/dev/null; then
    mal=$(tshark -r "$tmp/$f.dec.pcapng" -Y '_ws.malformed || _ws.expert.severity >= error' 2>/dev/null | wc -l)
    [[ $mal -eq 0 ]] && ok || bad "decipher $f: $mal malformed packets"
    # Every NAS-5GS message with a security header 1 or 3 must have a plain message type.
    unread=$(tshark -r "$tmp/$f.dec.pcapng" -Y 'nas-5gs && frame.comment contains "deciphered" && !nas_5gs.mm.message_type' 2>/dev/null | wc -l)
    plain=$(tshark -r "$tmp/$f.dec.pcapng" -Y 'frame.comment contains "deciphered with 128-NEA1"' -T fields -e nas_5gs.mm.message_type 2>/dev/null | grep -c 0x)
    [[ $unread -eq 0 && $plain -ge 4 ]] && ok || bad "decipher $f: unread=$unread plain=$plain"
    orig=$(tshark -r "$cap/$f.pcap" -Y 'nas-5gs' -T fields -e nas_5gs.mm.message_type 2>/dev/null | tr ',' '\n' | grep -c 0x)
    now=$(tshark -r "$tmp/$f.dec.pcapng" -Y 'nas-5gs' -T fields -e nas_5gs.mm.message_type 2>/dev/null | tr ',' '\n' | grep -c 0x)
    [[ $now -gt $orig ]] && ok || bad "decipher $f: message types readable before $orig after $now"
  fi
done
run dec_nokeys decipher "$cap/oai_gnbsim.pcap" -o "$tmp/x.pcapng"
[[ $rc -eq 2 ]] && ok || bad "decipher without --keys: rc=$rc (want 2)"

# --- an output that names an input (or another output) is refused before anything is written:
# the capture and the key file stay intact, and nothing runs.
mkdir -p "$tmp/same"
cp "$cap/oai_ueransim_registration.pcap" "$tmp/same/c.pcap"
cp "$keys/oai.csv" "$tmp/same/k.csv"
ln -s c.pcap "$tmp/same/link.pcap"
same_case() {  # same_case ARGS...: rc 2, inputs unchanged
  run same "$@"
  if [[ $rc -eq 2 ]] && grep -q "would destroy the input\|give each output its own file" "$tmp/same.err" \
    && cmp -s "$tmp/same/c.pcap" "$cap/oai_ueransim_registration.pcap" && cmp -s "$tmp/same/k.csv" "$keys/oai.csv"; then ok
  else bad "refused output: sec5g $* (rc=$rc: $(head -c 200 "$tmp/same.err"))"; fi
}
same_case decipher "$tmp/same/c.pcap" -o "$tmp/same/c.pcap" --keys "$tmp/same/k.csv"
same_case decipher "$tmp/same/c.pcap" -o "$tmp/same/link.pcap" --keys "$tmp/same/k.csv"
same_case decipher "$tmp/same/c.pcap" -o "$tmp/same/k.csv" --keys "$tmp/same/k.csv"
same_case audit "$tmp/same/c.pcap" -o "$tmp/same/./c.pcap"
same_case audit "$tmp/same/c.pcap" --keys "$tmp/same/k.csv" --annotate "$tmp/same/k.csv"
same_case audit "$tmp/same/c.pcap" -o "$tmp/same/r.txt" --annotate "$tmp/same/../same/r.txt"
[[ ! -e "$tmp/same/r.txt" ]] && ok || bad "a refused audit created its report"
same_case synth --ues 2 -o "$tmp/same/s.pcapng" --keys-out "$tmp/same/s.pcapng"
run same_null audit "$tmp/same/c.pcap" -o /dev/null --annotate /dev/null
[[ $rc -eq 0 ]] && ok || bad "audit -o /dev/null --annotate /dev/null: rc=$rc"
# A mistyped report path fails before the run (exit 3, no annotated copy written).
run bad_out audit "$tmp/same/c.pcap" -o "$tmp/no/such/dir/r.txt" --annotate "$tmp/same/a.pcapng"
[[ $rc -eq 3 ]] && grep -q "cannot open for writing" "$tmp/bad_out.err" && [[ ! -s "$tmp/same/a.pcapng" ]] \
  && ok || bad "audit -o into a missing directory: rc=$rc"

# --- a capture streamed through a pipe (`tcpdump -w - | sec5g audit /dev/stdin`): read once to
# the end, also when it has a second section (libpcap reads pipes; the direct reader's
# hand-over would re-read the file); audit --annotate, which reads its input twice, refuses a
# pipe.
cat "$cap/open5gs_testregistration.pcapng" "$cap/open5gs_testregistration.pcapng" >"$tmp/two_sections.pcapng"
run two_file audit "$tmp/two_sections.pcapng" --keys "$keys/open5gs-2020.csv" --format jsonl
cat "$tmp/two_sections.pcapng" | "$bin" audit /dev/stdin --keys "$keys/open5gs-2020.csv" --format jsonl >"$tmp/two_pipe.out" 2>"$tmp/two_pipe.err"; rc=$?
outputs+=("$tmp/two_pipe.out" "$tmp/two_pipe.err")
[[ $rc -eq 0 ]] && grep -q '"frames":8208,' "$tmp/two_pipe.out" && cmp -s "$tmp/two_file.out" "$tmp/two_pipe.out" \
  && ok || bad "audit of a two-section capture through a pipe: rc=$rc, $(tail -c 200 "$tmp/two_pipe.out")"
cat "$tmp/two_sections.pcapng" | "$bin" audit - --keys "$keys/open5gs-2020.csv" --format jsonl >"$tmp/two_dash.out" 2>/dev/null; rc=$?
[[ $rc -eq 0 ]] && cmp -s "$tmp/two_file.out" "$tmp/two_dash.out" && ok || bad "audit - (standard input): rc=$rc"
# decipher reads its input once: from a pipe or standard input as from the file, and with
# -o - it writes the capture to standard output (the summary to standard error), e.g. for
# `... | sec5g decipher - -o - --keys k.csv | wireshark -k -i -`.
run dec_file decipher "$cap/oai_ueransim_registration.pcap" -o "$tmp/file.dec.pcapng" --keys "$keys/oai.csv"
cat "$cap/oai_ueransim_registration.pcap" | "$bin" decipher - -o "$tmp/pipe.dec.pcapng" --keys "$keys/oai.csv" >"$tmp/pipe_dec.out" 2>"$tmp/pipe_dec.err"; rc=$?
outputs+=("$tmp/pipe_dec.out" "$tmp/pipe_dec.err")
[[ $rc -eq 0 ]] && cmp -s "$tmp/file.dec.pcapng" "$tmp/pipe.dec.pcapng" && cmp -s "$tmp/dec_file.out" "$tmp/pipe_dec.out" \
  && ok || bad "decipher - (standard input): rc=$rc"
cat "$cap/oai_ueransim_registration.pcap" | "$bin" decipher /dev/stdin -o - --keys "$keys/oai.csv" >"$tmp/stdout.dec.pcapng" 2>"$tmp/stdout_dec.err"; rc=$?
outputs+=("$tmp/stdout_dec.err")
[[ $rc -eq 0 ]] && cmp -s "$tmp/file.dec.pcapng" "$tmp/stdout.dec.pcapng" && cmp -s "$tmp/dec_file.out" "$tmp/stdout_dec.err" \
  && ok || bad "decipher -o - (standard output): rc=$rc"
cat "$cap/oai_ueransim_registration.pcap" | "$bin" audit /dev/stdin --annotate "$tmp/pipe.ann.pcapng" >/dev/null 2>"$tmp/pipe_ann.err"; rc=$?
[[ $rc -eq 2 ]] && grep -q "not a regular file" "$tmp/pipe_ann.err" && ok || bad "audit --annotate of a pipe: rc=$rc (want 2)"

# --- no key material in any output (hex in either case, and the raw octets). One grep per
# output for all the keys (a loop per key and output spawned ~9 000 processes: most of this
# test's time).
for kf in "$keys"/*.csv; do
  tail -n +2 "$kf" | tr ',' '\n' | grep -E '^[0-9a-fA-F]{32}$' | tr 'A-F' 'a-f'
done | sort -u >"$tmp/secrets.txt"
{ cat "$tmp/secrets.txt"; tr 'a-f' 'A-F' <"$tmp/secrets.txt"; } >"$tmp/secret_patterns.txt"
leaks=0
for o in "${outputs[@]}"; do
  [[ -f "$o" ]] || continue
  { xxd -p "$o" | tr -d '\n'; echo; } >"$tmp/scan.hex"
  if grep -q -F -f "$tmp/secret_patterns.txt" "$o" || grep -q -F -f "$tmp/secrets.txt" "$tmp/scan.hex"; then
    leaks=$((leaks + 1)); echo "LEAK: key material in $o"
  fi
done
[[ $leaks -eq 0 && $(wc -l <"$tmp/secrets.txt") -ge 5 ]] && ok || bad "key material found in outputs ($leaks)"

echo "audit e2e: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
