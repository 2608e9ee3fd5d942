"""Time every course_lib activation and derivative against the plain NumPy/SciPy formula.

    python tools/bench_lib.py [--size 1000000] [--repeats 9] [--only gelu,silu_grad]

The inputs: `size` float64 values drawn from a normal distribution of standard deviation 3
(seed 0), what pre-activations look like, with a few in the tails. Everything runs in one
process; each round times ours and the plain formula one after the other (the order flipped
every round), so that a busy moment of the machine slows both, each timed call right after an
untimed call of the same function (a steady state, as in a training loop: a half-millisecond
function otherwise measures whether the memory allocator hands it fresh pages). The ratio is
the median time of ours over the median time of the plain formula. Before timing, each plain formula
is
checked to agree with ours on these inputs (to 1e-6 relative, 1e-12 absolute), so that the
table compares the same function.

The plain formulas are what a user would write: no care for overflow, cancellation or the
last digits, which is what course_lib adds (see its accuracy tests and
tools/accuracy_report.py). Goal (issue 11): median ratio at most 2, none above 3.
"""

import argparse
import math
import platform
import statistics
import sys
import time
import pathlib

import numpy as np
from scipy import special

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from course_lib import activations as act  # noqa: E402  (run as a script from the repository)

SQRT_HALF = math.sqrt(0.5)
ONE_OVER_SQRT_2PI = 1 / math.sqrt(2 * math.pi)
SQRT_2_OVER_PI = math.sqrt(2 / math.pi)
C = 0.044715
ALPHA, SELU_ALPHA, SELU_SCALE = 0.01, act.SELU_ALPHA, act.SELU_SCALE


def _sigmoid_grad(x):
    s = special.expit(x)
    return s * (1 - s)


def _gelu_tanh(x):
    return 0.5 * x * (1 + np.tanh(SQRT_2_OVER_PI * (x + C * x ** 3)))


def _gelu_tanh_grad(x):
    t = np.tanh(SQRT_2_OVER_PI * (x + C * x ** 3))
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * C * x * x)


def _silu_grad(x):
    s = special.expit(x)
    return s * (1 + x * (1 - s))


def _mish_grad(x):
    t = np.tanh(np.logaddexp(0, x))
    return t + x * (1 - t * t) * special.expit(x)


# name: (ours, the plain formula, the plain formula as text)
PAIRS = {
    "linear": (act.linear, np.copy, "np.copy(x)"),
    "linear_grad": (act.linear_grad, np.ones_like, "np.ones_like(x)"),
    "sigmoid": (act.sigmoid, special.expit, "expit(x)"),
    "sigmoid_grad": (act.sigmoid_grad, _sigmoid_grad, "s (1 - s), s = expit(x)"),
    "tanh": (act.tanh, np.tanh, "np.tanh(x)"),
    "tanh_grad": (act.tanh_grad, lambda x: 1 - np.tanh(x) ** 2, "1 - np.tanh(x)**2"),
    "relu": (act.relu, lambda x: np.maximum(x, 0), "np.maximum(x, 0)"),
    "relu_grad": (act.relu_grad, lambda x: np.where(x > 0, 1.0, 0.0), "np.where(x > 0, 1.0, 0.0)"),
    "relu6": (act.relu6, lambda x: np.clip(x, 0, 6), "np.clip(x, 0, 6)"),
    "relu6_grad": (act.relu6_grad, lambda x: np.where((x > 0) & (x < 6), 1.0, 0.0),
                   "np.where((x > 0) & (x < 6), 1.0, 0.0)"),
    "leaky_relu": (act.leaky_relu, lambda x: np.where(x > 0, x, ALPHA * x),
                   "np.where(x > 0, x, 0.01 * x)"),
    "leaky_relu_grad": (act.leaky_relu_grad, lambda x: np.where(x > 0, 1.0, ALPHA),
                        "np.where(x > 0, 1.0, 0.01)"),
    "prelu": (lambda x: act.prelu(x, 0.25), lambda x: np.where(x > 0, x, 0.25 * x),
              "np.where(x > 0, x, 0.25 * x)"),
    "prelu_grad": (lambda x: act.prelu_grad(x, 0.25), lambda x: np.where(x > 0, 1.0, 0.25),
                   "np.where(x > 0, 1.0, 0.25)"),
    "elu": (act.elu, lambda x: np.where(x > 0, x, np.expm1(x)), "np.where(x > 0, x, np.expm1(x))"),
    "elu_grad": (act.elu_grad, lambda x: np.where(x > 0, 1.0, np.exp(x)),
                 "np.where(x > 0, 1.0, np.exp(x))"),
    "selu": (act.selu, lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(x)),
             "scale * np.where(x > 0, x, alpha * np.expm1(x))"),
    "selu_grad": (act.selu_grad,
                  lambda x: SELU_SCALE * np.where(x > 0, 1.0, SELU_ALPHA * np.exp(x)),
                  "scale * np.where(x > 0, 1.0, alpha * np.exp(x))"),
    "gelu": (act.gelu, lambda x: 0.5 * x * special.erfc(-x * SQRT_HALF),
             "0.5 * x * erfc(-x / sqrt2)"),
    "gelu_grad": (act.gelu_grad,
                  lambda x: special.ndtr(x) + x * np.exp(-0.5 * x * x) * ONE_OVER_SQRT_2PI,
                  "ndtr(x) + x * np.exp(-x**2 / 2) / sqrt(2 pi)"),
    "gelu (tanh)": (lambda x: act.gelu(x, approximate=True), _gelu_tanh,
                    "0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))"),
    "gelu_grad (tanh)": (lambda x: act.gelu_grad(x, approximate=True), _gelu_tanh_grad,
                         "its derivative, through t = tanh(...)"),
    "silu": (act.silu, lambda x: x * special.expit(x), "x * expit(x)"),
    "silu_grad": (act.silu_grad, _silu_grad, "s (1 + x (1 - s)), s = expit(x)"),
    "mish": (act.mish, lambda x: x * np.tanh(np.logaddexp(0, x)), "x * tanh(logaddexp(0, x))"),
    "mish_grad": (act.mish_grad, _mish_grad, "t + x (1 - t^2) expit(x), t = tanh(softplus)"),
    "softplus": (act.softplus, lambda x: np.logaddexp(0, x), "np.logaddexp(0, x)"),
    "softplus_grad": (act.softplus_grad, special.expit, "expit(x)"),
}


# The rest of Keras' activations (issue 13), at their default parameters.

def _halves(x):
    return np.split(x, 2)


def _glu_grad(x):
    a, b = _halves(x)
    s = special.expit(b)
    return np.concatenate([s, a * s * (1 - s)])


def _sparsemax(x, n=10):
    """The paper's algorithm (Martins & Astudillo 2016), on rows of n logits."""
    z = x.reshape(-1, n)
    ordered = -np.sort(-z, axis=1)
    cumulative = np.cumsum(ordered, axis=1)
    support = 1 + np.arange(1, n + 1) * ordered > cumulative
    k = support.sum(axis=1, keepdims=True)
    tau = (np.take_along_axis(cumulative, k - 1, axis=1) - 1) / k
    return np.maximum(z - tau, 0).ravel()


PAIRS.update(
    {
        "celu": (
            act.celu,
            lambda x: np.where(x > 0, x, np.expm1(x)),
            "np.where(x > 0, x, np.expm1(x))",
        ),
        "celu_grad": (
            act.celu_grad,
            lambda x: np.where(x > 0, 1.0, np.exp(x)),
            "np.where(x > 0, 1.0, np.exp(x))",
        ),
        "exponential": (act.exponential, np.exp, "np.exp(x)"),
        "exponential_grad": (act.exponential_grad, np.exp, "np.exp(x)"),
        "glu": (act.glu, lambda x: _halves(x)[0] * special.expit(_halves(x)[1]), "a * expit(b)"),
        "glu_grad": (act.glu_grad, _glu_grad, "[s, a s (1 - s)], s = expit(b)"),
        "hard_shrink": (
            act.hard_shrink,
            lambda x: np.where(np.abs(x) > 0.5, x, 0.0),
            "np.where(np.abs(x) > 0.5, x, 0.0)",
        ),
        "hard_shrink_grad": (
            act.hard_shrink_grad,
            lambda x: np.where(np.abs(x) > 0.5, 1.0, 0.0),
            "np.where(np.abs(x) > 0.5, 1.0, 0.0)",
        ),
        "hard_sigmoid": (
            act.hard_sigmoid,
            lambda x: np.clip(x + 3, 0, 6) / 6,
            "np.clip(x + 3, 0, 6) / 6",
        ),
        "hard_sigmoid_grad": (
            act.hard_sigmoid_grad,
            lambda x: np.where((x > -3) & (x < 3), 1 / 6, 0.0),
            "np.where((x > -3) & (x < 3), 1/6, 0.0)",
        ),
        "hard_silu": (
            act.hard_silu,
            lambda x: x * np.clip(x + 3, 0, 6) / 6,
            "x * np.clip(x + 3, 0, 6) / 6",
        ),
        "hard_silu_grad": (
            act.hard_silu_grad,
            lambda x: np.where(x >= 3, 1.0, np.where(x > -3, (2 * x + 3) / 6, 0.0)),
            "np.where(x >= 3, 1.0, np.where(x > -3, (2x + 3) / 6, 0.0))",
        ),
        "hard_tanh": (act.hard_tanh, lambda x: np.clip(x, -1, 1), "np.clip(x, -1, 1)"),
        "hard_tanh_grad": (
            act.hard_tanh_grad,
            lambda x: np.where(np.abs(x) <= 1, 1.0, 0.0),
            "np.where(np.abs(x) <= 1, 1.0, 0.0)",
        ),
        "log_sigmoid": (act.log_sigmoid, special.log_expit, "log_expit(x)"),
        "log_sigmoid_grad": (act.log_sigmoid_grad, lambda x: special.expit(-x), "expit(-x)"),
        "soft_shrink": (
            act.soft_shrink,
            lambda x: np.sign(x) * np.maximum(np.abs(x) - 0.5, 0),
            "np.sign(x) * np.maximum(np.abs(x) - 0.5, 0)",
        ),
        "soft_shrink_grad": (
            act.soft_shrink_grad,
            lambda x: np.where(np.abs(x) > 0.5, 1.0, 0.0),
            "np.where(np.abs(x) > 0.5, 1.0, 0.0)",
        ),
        "softsign": (act.softsign, lambda x: x / (1 + np.abs(x)), "x / (1 + np.abs(x))"),
        "softsign_grad": (
            act.softsign_grad,
            lambda x: 1 / (1 + np.abs(x)) ** 2,
            "1 / (1 + np.abs(x))**2",
        ),
        "sparse_plus": (
            act.sparse_plus,
            lambda x: np.where(x >= 1, x, np.where(x > -1, 0.25 * (x + 1) ** 2, 0.0)),
            "np.where(x >= 1, x, np.where(x > -1, (x + 1)**2 / 4, 0.0))",
        ),
        "sparse_plus_grad": (
            act.sparse_plus_grad,
            lambda x: np.clip((x + 1) / 2, 0, 1),
            "np.clip((x + 1) / 2, 0, 1)",
        ),
        "sparse_sigmoid": (
            act.sparse_sigmoid,
            lambda x: np.clip((x + 1) / 2, 0, 1),
            "np.clip((x + 1) / 2, 0, 1)",
        ),
        "sparse_sigmoid_grad": (
            act.sparse_sigmoid_grad,
            lambda x: np.where(np.abs(x) < 1, 0.5, 0.0),
            "np.where(np.abs(x) < 1, 0.5, 0.0)",
        ),
        "sparsemax": (
            lambda x: act.sparsemax(x.reshape(-1, 10)).ravel(),
            _sparsemax,
            "the paper's algorithm (sort, cumsum), rows of 10",
        ),
        "squareplus": (
            act.squareplus,
            lambda x: (x + np.sqrt(x * x + 4)) / 2,
            "(x + np.sqrt(x*x + 4)) / 2",
        ),
        "squareplus_grad": (
            act.squareplus_grad,
            lambda x: 0.5 * (1 + x / np.sqrt(x * x + 4)),
            "(1 + x / np.sqrt(x*x + 4)) / 2",
        ),
        "tanh_shrink": (act.tanh_shrink, lambda x: x - np.tanh(x), "x - np.tanh(x)"),
        "tanh_shrink_grad": (act.tanh_shrink_grad, lambda x: np.tanh(x) ** 2, "np.tanh(x)**2"),
        "threshold": (
            lambda x: act.threshold(x, 1.0, 0.0),
            lambda x: np.where(x > 1, x, 0.0),
            "np.where(x > 1, x, 0.0)",
        ),
        "threshold_grad": (
            lambda x: act.threshold_grad(x, 1.0, 0.0),
            lambda x: np.where(x > 1, 1.0, 0.0),
            "np.where(x > 1, 1.0, 0.0)",
        ),
    }
)
NEW_IN_ISSUE_13 = [name for name in PAIRS if name.split("_grad")[0] in act.MORE_ACTIVATIONS]


def seconds(function, x):
    start = time.perf_counter()
    function(x)
    return time.perf_counter() - start


def check_agreement(x):
    """Raise if a plain formula is not the function it stands for (beyond 1e-6 relative, 1e-12
    absolute: the plain formulas lose the tails, which is not what this table measures)."""
    for name, (ours, plain, _) in PAIRS.items():
        a, b = ours(x), plain(x)
        difference = np.max(np.abs(a - b) / (np.abs(a) + 1e-6))
        if not difference < 1e-6:
            raise AssertionError(f"{name}: the plain formula differs from ours by {difference:.2g}")


def measure(x, repeats):
    """{name: (median seconds ours, median seconds plain)}, interleaved rounds."""
    times = {name: ([], []) for name in PAIRS}
    for round_ in range(repeats):
        for name, (ours, plain, _) in PAIRS.items():
            order = (0, 1) if round_ % 2 == 0 else (1, 0)
            for which in order:
                function = (ours, plain)[which]
                function(x)  # untimed: the timed call finds memory as its own last call left it
                times[name][which].append(seconds(function, x))
    return {name: (statistics.median(a), statistics.median(b)) for name, (a, b) in times.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--only", help="comma-separated names from the table (default: all)")
    args = parser.parse_args()
    if args.only:
        unknown = set(args.only.split(",")) - set(PAIRS)
        if unknown:
            parser.error(f"--only: unknown {sorted(unknown)}; known: {', '.join(PAIRS)}")
        for name in set(PAIRS) - set(args.only.split(",")):
            del PAIRS[name]
    x = np.random.default_rng(0).normal(0.0, 3.0, args.size)
    with np.errstate(all="ignore"):  # the plain formulas may overflow; ours never warn
        check_agreement(x[:10_000])
        for ours, plain, _ in PAIRS.values():  # warm up
            ours(x), plain(x)
        medians = measure(x, args.repeats)
    ratios = {name: ours / plain for name, (ours, plain) in medians.items()}
    print(f"{args.size:,} float64 inputs ~ N(0, 3^2); median of {args.repeats} interleaved rounds; "
          f"{platform.machine()}, Python {platform.python_version()}, NumPy {np.__version__}")
    print()
    print("| function | course_lib (ms) | plain (ms) | ratio | plain formula |")
    print("|---|---:|---:|---:|---|")
    for name, (ours, plain) in medians.items():
        print(f"| {name} | {1e3 * ours:.1f} | {1e3 * plain:.1f} | {ratios[name]:.2f}× "
              f"| `{PAIRS[name][2]}` |")
    worst = max(ratios, key=ratios.get)
    print()
    print(f"median ratio {statistics.median(ratios.values()):.2f}×, "
          f"largest {ratios[worst]:.2f}× ({worst}); goal: median <= 2×, none above 3×")
    new = {name: ratios[name] for name in NEW_IN_ISSUE_13}
    newest = max(new, key=new.get)
    print(f"the {len(new)} of issue 13: median {statistics.median(new.values()):.2f}×, "
          f"largest {new[newest]:.2f}× ({newest})")


if __name__ == "__main__":
    main()
