#!/usr/bin/env bash
# The training run of the profile-guided build (cmake/pgo.cmake, docs/DESIGN.md "Profile-guided
# optimisation"): the instrumented sec5g synthesizes traffic with its own simulator and audits,
# deciphers and decodes it, so that the profile records which branches and calls the real work
# takes. The profile files go where the instrumented binary was built to write them (its
# -fprofile-generate directory); they are removed first, so that a profile never mixes runs of
# two versions of the code.
#
# usage: scripts/pgo-train.sh SEC5G_INSTRUMENTED PROFILE_DIR WORK_DIR
set -euo pipefail
[[ $# == 3 ]] || { echo "usage: $0 SEC5G_INSTRUMENTED PROFILE_DIR WORK_DIR" >&2; exit 2; }
SEC5G=$1
PROFILE=$2
WORK=$3
[[ -x $SEC5G ]] || { echo "$0: no executable $SEC5G" >&2; exit 2; }
rm -rf "$PROFILE" "$WORK"
mkdir -p "$PROFILE" "$WORK"

# synth NAME ARGS...: a capture, its subscriber keys and home-network key under WORK.
synth() {
  local name=$1
  shift
  "$SEC5G" synth -q --seed 1 --gnbs 4 -o "$WORK/$name.pcapng" --keys-out "$WORK/$name.csv" \
    --hn-key-out "$WORK/$name.pem" "$@"
}
# audit NAME ARGS...: the audit of capture NAME with its keys, report discarded. Exit 1 (a
# finding at or above --fail-on) is the expected outcome of the attack scenarios.
audit() {
  local name=$1
  shift
  local rc=0
  "$SEC5G" audit "$WORK/$name.pcapng" --keys "$WORK/$name.csv" --hn-key "1:$WORK/$name.pem" \
    -o /dev/null "$@" || rc=$?
  ((rc <= 1)) || { echo "$0: audit of $name failed (exit $rc)" >&2; exit 1; }
}

# The benchmark's traffic, smaller: steady state (10 connected/idle cycles per UE) and the
# registration storm (one cycle), each with one and with two threads.
synth steady --scenario benign --ues 2000 --cycles 10 --nea 2 --nia 2
synth storm --scenario benign --ues 2000 --nea 2 --nia 2
for t in 1 2; do
  audit steady --format jsonl --threads $t
  audit storm --format jsonl --threads $t
done
# The other algorithms, EAP-AKA', the attack scenarios and the text report, once each (small).
synth nea1 --scenario benign --ues 200 --cycles 3 --nea 1 --nia 1
synth nea3 --scenario benign-eap --ues 200 --cycles 3 --nea 3 --nia 3
synth mixed --scenario mixed --ues 300 --nea 2 --nia 2
for name in nea1 nea3 mixed; do audit "$name" --format text; done
"$SEC5G" decipher "$WORK/mixed.pcapng" -o "$WORK/mixed-plain.pcapng" --keys "$WORK/mixed.csv" \
  --hn-key "1:$WORK/mixed.pem" > /dev/null
"$SEC5G" decode "$WORK/nea1.pcapng" --keys "$WORK/nea1.csv" --hn-key "1:$WORK/nea1.pem" \
  > /dev/null
rm -rf "$WORK"
