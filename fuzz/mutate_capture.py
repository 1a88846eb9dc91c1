#!/usr/bin/env python3
"""Mutates a capture for fuzz/cli_mutants.sh: 1-256 random edits after its first 64 octets
(random octet, bit flip, 0x00/0xff/0x7f/0x80, deletion of 1-31 octets, truncation).
Usage: mutate_capture.py IN OUT SEED"""
import random, sys
src, dst, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
r = random.Random(seed)
b = bytearray(open(src,'rb').read())
n = len(b)
k = r.choice([1, 4, 16, 64, 256])
for _ in range(k):
    op = r.random()
    i = r.randrange(64, n) if n > 64 else r.randrange(n)
    if op < 0.6:
        b[i] = r.randrange(256)
    elif op < 0.75:
        b[i] ^= 1 << r.randrange(8)
    elif op < 0.85:
        j = min(n, i + r.randrange(1, 32)); del b[i:j]; n = len(b)
    elif op < 0.95:
        v = r.choice([0, 0xff, 0x7f, 0x80]); b[i] = v
    else:
        b = b[:i]; n = len(b); break
open(dst,'wb').write(b)
