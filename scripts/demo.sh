#!/usr/bin/env bash
# The demo: what `make demo` runs on the bundled default.
set -euo pipefail
SEC5G=${1:-build/release/sec5g}
# The CMake build puts the binary under tools/sec5g/ of the build directory.
if [[ ! -x $SEC5G && -x $(dirname "$SEC5G")/tools/sec5g/sec5g ]]; then
  SEC5G=$(dirname "$SEC5G")/tools/sec5g/sec5g
fi

bold() { if [[ -t 1 ]]; then printf '\033[1m%s\033[0m\n' "$*"; else printf '%s\n' "$*"; fi; }

bold "== sec5g selftest: every bundled 3GPP/IETF test vector =="
# Per-file tallies, then the failures/skips with their reasons, then the summary line.
out="$("$SEC5G" selftest)" && rc=0 || rc=$?
awk '/^(PASS|FAIL|SKIP) / { split($2, a, ":"); f = a[1]; n[f]++; s[f, $1]++; files[f] = 1 }
     END { for (f in files) printf "  %-20s %3d vectors: %3d passed, %d failed, %d skipped\n",
                                  f, n[f], s[f, "PASS"], s[f, "FAIL"], s[f, "SKIP"] }' <<<"$out" | sort
grep -E '^(FAIL|SKIP) ' <<<"$out" | sed 's/^/  /' | head -20 || true
tail -1 <<<"$out"
[[ $rc -eq 0 ]] || { echo "selftest failed (exit $rc)"; exit "$rc"; }

echo
bold "== sec5g keys derive: the 5G-AKA key hierarchy (TS 33.501 Annex A) for MILENAGE test set 1 =="
echo "  K, OPc, RAND, SQN, AMF of TS 35.208 test set 1; SNN 5G:mnc093.mcc208.3gppnetwork.org;"
echo "  SUPI imsi-208930000000001; ABBA 0000; NEA2/NIA2; uplink NAS COUNT 0"
json="$("$SEC5G" keys derive --k 465b5ce8b199b49faa5f0a2ee238a6bc --opc cd63cb71954a9f4e48a5994e37a02baf \
  --rand 23553cbe9637a89d218ae64dae47bf35 --sqn ff9bb4d0b607 --amf b9b9 \
  --snn 5G:mnc093.mcc208.3gppnetwork.org --supi imsi-208930000000001)"
echo "$json"
# One key per line (the JSON above is the machine-readable form).
sed -e 's/^{//' -e 's/}$//' -e 's/","/"\n"/g' <<<"$json" | tr -d '"' |
  awk -F: '{ printf "  %-11s %s\n", $1, $2 }'

echo
bold "== sec5g synth: the embedded default, scenario 'mixed' (300 UEs, 4 gNBs, seed 1) =="
# Simulated UEs, gNBs and an AMF running the real procedures with real crypto; some UEs and
# network elements misbehave (docs/formats/synth.md). The subscriber keys, the home network
# key and the truth (what an auditor must find) are written next to the capture.
DEMO_DIR=${DEMO_DIR:-build/demo}
mkdir -p "$DEMO_DIR"
"$SEC5G" synth --scenario mixed --ues 300 --gnbs 4 --seed 1 -o "$DEMO_DIR/mixed.pcapng" \
  --keys-out "$DEMO_DIR/keys.csv" --hn-key-out "$DEMO_DIR/hn-key-a.pem" \
  --truth-out "$DEMO_DIR/mixed.truth.jsonl"
echo "  built to contain (rule: findings):"
grep -o '"rule":"[^"]*"' "$DEMO_DIR/mixed.truth.jsonl" | cut -d'"' -f4 | sort | uniq -c |
  awk '{ printf "    %-32s %s\n", $2, $1 }'

echo
if "$SEC5G" audit --help >/dev/null 2>&1; then
  bold "== sec5g audit $DEMO_DIR/mixed.pcapng --keys $DEMO_DIR/keys.csv --hn-key 1:$DEMO_DIR/hn-key-a.pem =="
  # Exit 1 means "findings at or above --fail-on": expected on this capture.
  "$SEC5G" audit "$DEMO_DIR/mixed.pcapng" --keys "$DEMO_DIR/keys.csv" \
    --hn-key "1:$DEMO_DIR/hn-key-a.pem" && rc=0 || rc=$?
  [[ $rc -le 1 ]] || { echo "audit failed (exit $rc)"; exit "$rc"; }
else
  echo "(sec5g audit is not in this build yet: skipping the audit of $DEMO_DIR/mixed.pcapng)"
fi
