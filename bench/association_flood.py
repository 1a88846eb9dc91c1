#!/usr/bin/env python3
"""Writes a crafted N2 capture for memory-bound checks of `sec5g audit` (docs/performance/audit.md).

usage: association_flood.py N OUT.pcap

N frames, each an InitialUEMessage (a Registration Request with a null-scheme SUCI, as the
synthesizer writes it) on its own SCTP association: its own gNB address 11.x.y.z, port and
verification tag. A capture like this opens a million associations, UE contexts and findings
in 78 MB; the auditor's memory must stay bounded (--max-ues, the per-gNB tables, the label
cache, --max-findings). SCTP checksums are left 0 (counted as bad, still delivered).
"""
import struct
import sys

NGAP = bytes.fromhex(
    "000f40440000050055000200010026001a197e004179000d0100f1100000000000000000102e04f0f0f0700079"
    "000f4000f110000004001000f110000001005a4001180070400100")


def main() -> int:
    if len(sys.argv) != 3 or not sys.argv[1].isdigit():
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    n, out = int(sys.argv[1]), sys.argv[2]
    chunk_len = 16 + len(NGAP)
    pad = b"\0" * ((-chunk_len) % 4)
    eth = bytes.fromhex("000102030405000102030406") + b"\x08\x00"
    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i in range(n):
            src = bytes([11, (i >> 16) & 255, (i >> 8) & 255, i & 255])
            sctp = struct.pack(">HHII", 1024 + i % 60000, 38412, i + 1, 0)
            sctp += struct.pack(">BBHIHHI", 0, 3, chunk_len, 1, 0, 0, 60) + NGAP + pad
            ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(sctp), 0, 0x4000, 64, 132, 0, src,
                             bytes([10, 0, 0, 1]))
            pkt = eth + ip + sctp
            f.write(struct.pack("<IIII", i // 1000, (i % 1000) * 1000, len(pkt), len(pkt)) + pkt)
    return 0


if __name__ == "__main__":
    sys.exit(main())
