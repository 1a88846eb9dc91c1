#!/usr/bin/env bash
# Scale check of `sec5g audit` against the synthesizer's truth: every scenario at UES UEs on 20
# gNBs (SUCI profile A; null scheme for suci-null-scheme), audited with its keys, then the
# findings counted per rule and compared with the truth (--truth-out). Prints per scenario the
# summary's malformed / mac_failed / ues / evicted and the rules whose counts differ as
# {rule: (truth, audit)}. Expected differences at scale: ngap.key_in_clear (one per association,
# not in the truth), id.pei_before_security (one finding per message, two per truth entry) and
# per-gNB aka.auth_failure_storm (on top of the per-subscriber ones). Anything else, or
# malformed > 0, is worth a look.
#
# usage: bench/scale_truth.sh [BUILD_DIR] [UES] [OUT_DIR]   (defaults: build/release 20000
#        /tmp/sec5g-scale; needs python3)
set -euo pipefail
B=${1:-build/release}/tools/sec5g/sec5g
N=${2:-20000}
D=${3:-/tmp/sec5g-scale}
[[ -x $B ]] || { echo "no sec5g binary at $B" >&2; exit 2; }
[[ $N =~ ^[1-9][0-9]*$ ]] || { echo "UES must be a positive integer" >&2; exit 2; }
mkdir -p "$D"
for s in benign benign-eap null-integrity null-ciphering suci-null-scheme suci-replay \
  bidding-down smc-reject smc-ciphered unprotected-after-smc nas-replay mac-failure \
  auth-failure-storm registration-flood pei-before-security path-switch-bidding-down \
  caps-mismatch-ngap container-in-clear mixed; do
  hn_out=(--hn-key-out "$D/$s.pem")
  hn=(--hn-key "1:$D/$s.pem")
  profile=A
  if [[ $s == suci-null-scheme ]]; then profile=null; hn_out=(); hn=(); fi
  "$B" synth -q --scenario "$s" --ues "$N" --gnbs 20 --seed 9 --profile "$profile" \
    -o "$D/$s.pcapng" --keys-out "$D/$s.csv" --truth-out "$D/$s.truth" "${hn_out[@]}"
  rc=0
  "$B" audit "$D/$s.pcapng" --keys "$D/$s.csv" "${hn[@]}" --format jsonl -o "$D/$s.jsonl" \
    2>"$D/$s.err" || rc=$?
  ((rc == 0 || rc == 1)) || { echo "$s: audit exited $rc (see $D/$s.err)"; continue; }
  python3 - "$D/$s.truth" "$D/$s.jsonl" "$s" <<'PY'
import collections, json, sys
truth = collections.Counter(json.loads(l)["rule"] for l in open(sys.argv[1]) if l.strip())
summary = [json.loads(l) for l in open(sys.argv[2]) if l.strip()][-1]
got = collections.Counter(summary["findings"])
diff = {r: (truth.get(r, 0), got.get(r, 0)) for r in sorted(set(truth) | set(got))
        if truth.get(r, 0) != got.get(r, 0)}
print(f"{sys.argv[3]:26s} malformed={summary['malformed']} mac_failed={summary['mac_failed']} "
      f"ues={summary['ues']} evicted={summary['evicted']} differ={diff}")
PY
done
