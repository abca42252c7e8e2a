#!/usr/bin/env python3
"""Compares two logit dumps of ponder-cli --dump-logits (float32 [tokens][vocab]).

    check_logits.py GPU.bin REFERENCE.bin VOCAB TOLERANCE

Prints the largest |gpu - reference| relative to the largest |reference| per
position (as tests/engine/tst_gpu_session.cpp measures it) and exits 1 when
it exceeds TOLERANCE, the sizes differ, or any value is not finite.
"""
import array
import math
import sys


def read(path):
    values = array.array("f")
    with open(path, "rb") as f:
        values.frombytes(f.read())
    if sys.byteorder != "little":
        values.byteswap()
    return values


def main():
    gpu, ref = read(sys.argv[1]), read(sys.argv[2])
    vocab, tolerance = int(sys.argv[3]), float(sys.argv[4])
    if len(gpu) != len(ref) or len(ref) == 0 or len(ref) % vocab:
        print(f"sizes differ: {len(gpu)} against {len(ref)} values (vocab {vocab})")
        return 1
    worst = 0.0
    for start in range(0, len(ref), vocab):
        g, r = gpu[start:start + vocab], ref[start:start + vocab]
        if not all(math.isfinite(v) for v in g):
            print(f"position {start // vocab}: a logit is not finite")
            return 1
        scale = max(abs(v) for v in r) or 1.0
        worst = max(worst, max(abs(a - b) for a, b in zip(g, r)) / scale)
    verdict = "ok" if worst <= tolerance else "TOO FAR"
    print(f"{len(ref) // vocab} positions, largest relative error {worst:.2e} (tolerance {tolerance:g}): {verdict}")
    return 0 if worst <= tolerance else 1


if __name__ == "__main__":
    sys.exit(main())
