"""Print the largest error, in units in the last place (ulp), of every activation and
derivative in course_lib.activations against a 50-digit mpmath reference (float64).

    .venv/bin/python tools/accuracy_report.py [--points N]

The grid is log-spaced over the whole float range (both signs, subnormals included),
dense over [-50, 50], over the tails where results become subnormal, and around the
zeros of the derivatives. The reference is the one tests/test_activations.py uses.
"""

import argparse
import pathlib
import sys
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from test_activations import CORNERS, REFERENCE, library_pair, max_ulp_error  # noqa: E402


def dense_grid(points, seed=0):
    """About 5 * points float64 inputs covering every region where accuracy is at risk."""
    rng = np.random.default_rng(seed)
    magnitudes = np.logspace(np.log10(5e-324), np.log10(1.7e308), points)
    zeros = [-1.2784645427610738, -1.1924312145154952, -0.7517915246935645, -0.7524614220710163]
    near_zeros = [zero + rng.normal(0, 0.5, points // 4) for zero in zeros]
    return np.unique(np.concatenate([
        -magnitudes, magnitudes,
        rng.uniform(-50, 50, points),
        rng.uniform(-760, -680, points // 2),  # e^x and x e^x become subnormal
        rng.uniform(-40, -20, points // 2),  # the GELU tails become subnormal
        rng.uniform(-2, 2, points),  # tanh_shrink's series, integral and x - tanh x
        *near_zeros,
        # hard, sparse, shrinkage
        *(corner + rng.normal(0, 1e-3, points // 16) for corner in CORNERS),
    ]))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--points", type=int, default=4000, help="points per region (default 4000)")
    x = dense_grid(parser.parse_args().points)
    start = time.perf_counter()
    print(f"largest error in ulp over {x.size} float64 points (at which x)\n")
    print(f"{'function':<34}{'f':>8}  {'at x':<13}{'derivative':>12}  {'at x':<13}")
    for name, (function, derivative, parameters) in REFERENCE.items():
        ours, our_derivative, _ = library_pair(name)
        f_error, f_at = max_ulp_error(ours, function, x, parameters)
        d_error, d_at = max_ulp_error(our_derivative, derivative, x, parameters)
        label = name.removesuffix("_b").removesuffix("_2") + "".join(
            f" {k}={v}" for k, v in parameters.items() if k != "approximate"
        )
        print(f"{label:<34}{f_error:>8.2f}  {f_at:<13.6g}{d_error:>12.2f}  {d_at:<13.6g}")
    print(f"\n({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
