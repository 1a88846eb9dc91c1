#!/bin/bash
# Whole-CLI robustness run: mutated shared captures (all of them, fuzz/mutate_capture.py)
# through `audit`, `decipher` (when subscriber keys exist) and `decode`, each with the
# capture's keys. Any exit status other than 0, 1 or 3,
# any sanitizer report or a 120 s timeout is a failure; the mutant is kept in OUT.
# Usage: [SEED=N] fuzz/cli_mutants.sh BUILD_DIR [SECONDS] [OUT]   (BUILD_DIR: ASan+UBSan)
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
names=()
for f in "$caps"/*.pcap "$caps"/*.pcapng; do [[ -f $f ]] && names+=("$(basename "$f")"); done
((${#names[@]} > 0)) || { echo "no captures in $caps" >&2; exit 2; }
seed=${SEED:-$RANDOM}  # mutant i of a run is mutate_capture.py's seed seed*1000000+i
echo "cli_mutants: seed $seed, ${#names[@]} captures, $secs s"
end=$(($(date +%s) + secs)); i=0; bad=0
while (($(date +%s) < end)); do
  i=$((i + 1))
  name=${names[$((RANDOM % ${#names[@]}))]}
  args=()  # the keys of each capture (../shared/captures/keys/README)
  case $name in
    oai_* | 5greplay_oai_*) args=(--keys "$keys/oai.csv") ;;
    authanomalies_*)
      args=(--keys "$keys/open5gs-default.csv" --hn-key "1:$keys/hnet-profile-a-open5gs-1.pem") ;;
    open5gs_5g_roaming_*) args=(--keys "$keys/open5gs-default.csv") ;;
    open5gs_testregistration*) args=(--keys "$keys/open5gs-2020.csv") ;;
    5greplay_ue_auth*) args=(--keys "$keys/open5gs-ueransim-op.csv") ;;
    telekom_free5gc* | sk_* | unifyair_*) args=(--keys "$keys/free5gc-test.csv") ;;
    tuc_fuzz_*) args=(--keys "$keys/tuc.csv") ;;
    rub_*) args=(--hn-key "27:$keys/hnet-profile-b-ts33501.pem") ;;
    montimage_*) args=(--hn-key "2:$keys/hnet-profile-b-ts33501.pem") ;;
  esac
  python3 "$here/mutate_capture.py" "$caps/$name" "$out/m.pcap" "$((seed * 1000000 + i))"
  for cmd in audit decipher decode; do
    case $cmd in
      audit)  # every other mutant: sequential, with the annotated copy and a findings cap
        mode=(--threads 2)
        ((i % 2)) && mode=(--threads 1 --max-findings 2 --annotate "$out/a.pcapng")
        timeout 120 "$bin" audit "$out/m.pcap" "${args[@]}" --format jsonl "${mode[@]}" \
          -o /dev/null 2>"$out/err" ;;
      decipher) grep -q -- --keys <<<"${args[*]:-}" || continue
        timeout 120 "$bin" decipher "$out/m.pcap" -o "$out/o.pcapng" "${args[@]}" >/dev/null \
          2>"$out/err" ;;
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
