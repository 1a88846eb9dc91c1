#!/usr/bin/env bash
# The demo: what `make demo` runs on the bundled default.
set -euo pipefail
SEC5G=${1:-build/release/sec5g}

echo "== sec5g selftest: every bundled 3GPP/IETF test vector =="
"$SEC5G" selftest

echo
echo "== sec5g keys derive: the 5G-AKA key hierarchy (TS 33.501 Annex A) for MILENAGE test set 1 =="
"$SEC5G" keys derive --k 465b5ce8b199b49faa5f0a2ee238a6bc --opc cd63cb71954a9f4e48a5994e37a02baf \
  --rand 23553cbe9637a89d218ae64dae47bf35 --sqn ff9bb4d0b607 --amf b9b9 \
  --snn 5G:mnc093.mcc208.3gppnetwork.org --supi imsi-208930000000001
