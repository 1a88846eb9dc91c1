#!/bin/bash
# Whole-CLI robustness run: mutated shared captures (fuzz/mutate_capture.py) through `audit`,
# `decipher` and `decode`, each with the capture's keys. Any exit status other than 0, 1 or 3,
# any sanitizer report or a 120 s timeout is a failure; the mutant is kept in OUT.
# Usage: fuzz/cli_mutants.sh BUILD_DIR [SECONDS] [OUT]   (BUILD_DIR: an ASan+UBSan build)
set -u
build=${1:?usage: fuzz/cli_mutants.sh BUILD_DIR [SECONDS] [OUT]}
secs=${2:-900}
out=${3:-/tmp/sec5g-cli-mutants}
here=$(cd "$(dirname "$0")" && pwd)
shared=${SEC5G_SHARED:-$here/../../shared}
bin=$build/tools/sec5g/sec5g
caps=$shared/captures
keys=$caps/keys
[[ -x $bin ]] || { echo "no $bin" >&2; exit 2; }
mkdir -p "$out"
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1
names=(oai_ueransim_registration.pcap oai_slicing_multi_ue.pcap open5gs_testregistration.pcapng
       authanomalies_supi_harvest.pcap telekom_free5gc_registration.pcap)
end=$(($(date +%s) + secs)); i=0; bad=0
while (($(date +%s) < end)); do
  i=$((i + 1))
  name=${names[$((RANDOM % ${#names[@]}))]}
  case $name in
    oai_*) args=(--keys "$keys/oai.csv") ;;
    authanomalies_*) args=(--keys "$keys/open5gs-default.csv" --hn-key "1:$keys/hnet-profile-a-open5gs-1.pem") ;;
    open5gs_testregistration*) args=(--keys "$keys/open5gs-2020.csv") ;;
    telekom_*) args=(--keys "$keys/free5gc-test.csv") ;;
  esac
  python3 "$here/mutate_capture.py" "$caps/$name" "$out/m.pcap" "$i"
  for cmd in audit decipher decode; do
    case $cmd in
      audit) timeout 120 "$bin" audit "$out/m.pcap" "${args[@]}" --format jsonl --threads 2 -o /dev/null 2>"$out/err" ;;
      decipher) timeout 120 "$bin" decipher "$out/m.pcap" -o "$out/o.pcapng" "${args[@]}" >/dev/null 2>"$out/err" ;;
      decode) timeout 120 "$bin" decode "$out/m.pcap" "${args[@]}" --json >/dev/null 2>"$out/err" ;;
    esac
    rc=$?
    if { ((rc != 0 && rc != 1 && rc != 3)) || grep -q "runtime error\|Sanitizer" "$out/err"; }; then
      bad=$((bad + 1))
      cp "$out/m.pcap" "$out/fail-$i-$cmd-$name"
      cp "$out/err" "$out/fail-$i-$cmd.err"
      echo "FAIL: mutant $i of $name, $cmd: exit $rc (kept as $out/fail-$i-$cmd-$name)"
    fi
  done
done
echo "cli_mutants: $i mutants, $bad failures"
((bad == 0))
