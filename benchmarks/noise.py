"""How long a 512x512 fBm image with 6 octaves takes (median of several runs).

Run: python benchmarks/noise.py [--repeats 21]
Also times the same noise through the straightforward per-pixel-gather formulation (the one most
NumPy Perlin snippets use), as a reference. Last line: fbm_512_ms=<median>.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from imgen_helpers import noise
from imgen_helpers.noise import _perlin_noise


def timed(fn, repeats: int) -> list[float]:
    fn()  # warm-up: first-call allocations
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def reference_fbm(shape, cells, octaves, seed):
    """Same octaves summed with the per-pixel gather path instead of the per-cell matmul."""
    rng = np.random.default_rng(seed)
    total, norm = np.zeros(shape, np.float32), 0.0
    for k in range(octaves):
        total += 0.5**k * _perlin_noise(shape, (cells * 2**k,) * 2, rng, False, force_gather=True)
        norm += 0.5**k
    return total / norm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=21)
    args = parser.parse_args()
    ours = timed(lambda: noise.fbm((512, 512), cells=4, octaves=6, seed=0), args.repeats)
    ref = timed(lambda: reference_fbm((512, 512), 4, 6, 0), args.repeats)
    np.testing.assert_allclose(
        noise.fbm((512, 512), cells=4, octaves=6, seed=0),
        reference_fbm((512, 512), 4, 6, 0),
        atol=1e-5,
    )
    print(
        f"per-pixel gather reference: median {statistics.median(ref):.1f} ms "
        f"over {args.repeats} runs"
    )
    print(
        f"imgen_helpers.noise.fbm:    median {statistics.median(ours):.1f} ms "
        f"(min {min(ours):.1f}, max {max(ours):.1f})"
    )
    print(f"speed-up over reference: {statistics.median(ref) / statistics.median(ours):.2f}x")
    print(f"fbm_512_ms={statistics.median(ours):.1f}")


if __name__ == "__main__":
    main()
