#!/usr/bin/env python3
"""Seeds for fuzz_analysis_tracker from a capture written by `sec5g synth` (docs/FUZZING.md).

Reads a little-endian pcapng of Ethernet/IPv4/SCTP frames, takes every unfragmented SCTP DATA
chunk with PPID 60 (NGAP) in capture order and writes the target's input format: each NGAP PDU
preceded by its length as 2 octets, big-endian.

  tracker_corpus_gen.py CAPTURE OUT [FIRST [LAST]]   (PDUs FIRST..LAST, 0-based, inclusive)
"""
import struct
import sys


def frames(path):
    data = open(path, "rb").read()
    at = 0
    while at + 12 <= len(data):
        btype, blen = struct.unpack_from("<II", data, at)
        if blen < 12 or at + blen > len(data):
            raise SystemExit(f"{path}: bad block at {at}")
        if btype == 6:  # EPB
            caplen = struct.unpack_from("<I", data, at + 20)[0]
            yield data[at + 28 : at + 28 + caplen]
        at += blen


def ngap_pdus(path):
    for f in frames(path):
        if len(f) < 34 or f[12:14] != b"\x08\x00":
            continue
        ihl = (f[14] & 0x0F) * 4
        if f[23] != 132:
            continue
        at = 14 + ihl + 12
        while at + 4 <= len(f):
            ctype, flags, clen = f[at], f[at + 1], struct.unpack_from(">H", f, at + 2)[0]
            if clen < 4 or at + clen > len(f):
                break
            if ctype == 0 and clen > 16 and flags & 3 == 3:
                if struct.unpack_from(">I", f, at + 12)[0] == 60:
                    yield f[at + 16 : at + clen]
            at += (clen + 3) & ~3


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    pdus = list(ngap_pdus(sys.argv[1]))
    first = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    last = int(sys.argv[4]) if len(sys.argv) > 4 else len(pdus) - 1
    out = bytearray()
    for p in pdus[first : last + 1]:
        if len(p) > 0xFFFF:
            raise SystemExit("PDU longer than 65535 octets")
        out += struct.pack(">H", len(p)) + p
    open(sys.argv[2], "wb").write(out)
    print(f"{sys.argv[2]}: {last + 1 - first} of {len(pdus)} NGAP PDUs, {len(out)} octets")


if __name__ == "__main__":
    main()
