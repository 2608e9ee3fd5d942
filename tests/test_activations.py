"""Tests of course_lib.activations: values against a 50-digit mpmath reference, special values,
identities (hypothesis), finite differences, Keras parity, dtypes and errors (the registry's
tests are in test_registry.py).

Accuracy is measured in ulps (units in the last place of the exact value's float). Bounds:
float64 within FLOAT64_ULPS of the exact value everywhere (tools/accuracy_report.py prints the
measured maxima); float32 and float16 within 1 ulp of their dtype (one rounding of a float64
result).
"""

import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from mpmath import MPContext

from course_lib import activations as act
from course_lib.gradcheck import (
    max_abs_difference,
    numerical_derivative,
    numerical_gradient,
    relative_error,
    tape_derivative,
)

mp = MPContext()  # a private context: setting its precision changes nothing for other tests
mp.dps = 50

# ---------------------------------------------------------------------------
# The reference: each activation and derivative in mpmath at 50 digits, written
# from the definitions in forms that mpmath evaluates without losing digits
# (mpmath's exponent range is unbounded, so nothing overflows).

SELU_ALPHA = mp.mpf("1.6732632423543772848170429916717")
SELU_SCALE = mp.mpf("1.0507009873554804934193349852946")
GELU_C = mp.mpf("0.044715")


def _s(x):
    return 1 / (1 + mp.exp(-x))


def _ds(x):
    return _s(x) * _s(-x)


def _ncdf(x):
    # mpmath's erfc overflows for huge arguments; beyond |x| = 1e4, Phi(x) is within
    # e^(-5e7) of 0 or 1, far below anything float64 can tell apart.
    return mp.ncdf(x) if abs(x) < 1e4 else mp.mpf(x > 0)


def _npdf(x):
    return mp.npdf(x) if abs(x) < 1e4 else mp.mpf(0)


def _softplus(x):
    return mp.log1p(mp.exp(x))


def _gelu_tanh_v(x):
    return 2 * mp.sqrt(2 / mp.pi) * (x + GELU_C * x**3)


def _gelu_tanh_dv(x):
    return 2 * mp.sqrt(2 / mp.pi) * (1 + 3 * GELU_C * x**2)


REFERENCE = {
    # name: (f, f', parameters)
    "linear": (lambda x: x, lambda x: mp.mpf(1), {}),
    "sigmoid": (_s, _ds, {}),
    "tanh": (mp.tanh, lambda x: mp.sech(x) ** 2, {}),
    "relu": (lambda x: max(x, 0), lambda x: mp.mpf(x > 0), {}),
    "relu6": (lambda x: min(max(x, 0), 6), lambda x: mp.mpf(0 < x < 6), {}),
    "leaky_relu": (lambda x: x if x > 0 else mp.mpf(0.01) * x,
                   lambda x: mp.mpf(1) if x > 0 else mp.mpf(0.01), {"alpha": 0.01}),
    "prelu": (lambda x: x if x > 0 else mp.mpf(0.25) * x,
              lambda x: mp.mpf(1) if x > 0 else mp.mpf(0.25), {"alpha": 0.25}),
    "elu": (lambda x: x if x > 0 else 1.5 * mp.expm1(x),
            lambda x: mp.mpf(1) if x > 0 else 1.5 * mp.exp(x), {"alpha": 1.5}),
    "selu": (lambda x: SELU_SCALE * (x if x > 0 else SELU_ALPHA * mp.expm1(x)),
             lambda x: SELU_SCALE * (1 if x >= 0 else SELU_ALPHA * mp.exp(x)), {}),
    "gelu": (lambda x: x * _ncdf(x), lambda x: _ncdf(x) + x * _npdf(x), {}),
    "gelu_tanh": (lambda x: x * _s(_gelu_tanh_v(x)),
                  lambda x: _s(_gelu_tanh_v(x)) + x * _ds(_gelu_tanh_v(x)) * _gelu_tanh_dv(x),
                  {"approximate": True}),
    "silu": (lambda x: x * _s(x), lambda x: _s(x) * (1 + x * _s(-x)), {}),
    "mish": (lambda x: x * mp.tanh(_softplus(x)),
             lambda x: mp.tanh(_softplus(x)) + x * mp.sech(_softplus(x)) ** 2 * _s(x), {}),
    "softplus": (_softplus, _s, {}),
}


# The rest of Keras' activations (issue 13).

def _clip(x, low, high):
    return min(max(x, low), high)


def _squareplus(x, b=4):
    root = mp.sqrt(x * x + b)
    return (x + root) / 2 if x >= 0 else b / (2 * (root - x))  # the same number, without cancelling


def _tanh_shrink(x):
    if abs(x) < mp.mpf("1e-10"):  # x^3/3 - 2x^5/15 + 17x^7/315, exact to 1e-60 relative here
        return x**3 / 3 - 2 * x**5 / 15 + 17 * x**7 / 315
    with mp.extradps(int(-2 * mp.log10(abs(x))) + 10 if abs(x) < 1 else 10):  # x - tanh x cancels
        return +(x - mp.tanh(x))


REFERENCE.update(
    {
        "celu": (
            lambda x: x if x > 0 else mp.mpf(1.5) * mp.expm1(x / mp.mpf(1.5)),
            lambda x: mp.mpf(1) if x > 0 else mp.exp(x / mp.mpf(1.5)),
            {"alpha": 1.5},
        ),
        "celu_2": (
            lambda x: x if x > 0 else 2 * mp.expm1(x / 2),
            lambda x: mp.mpf(1) if x > 0 else mp.exp(x / 2),
            {"alpha": 2.0},
        ),  # a power of 2: x / alpha is exact, another code path
        "exponential": (mp.exp, mp.exp, {}),
        "hard_shrink": (
            lambda x: x if abs(x) > 0.5 else mp.mpf(0),
            lambda x: mp.mpf(abs(x) > 0.5),
            {},
        ),
        "hard_sigmoid": (
            lambda x: _clip(x + 3, 0, 6) / 6,
            lambda x: mp.mpf(1) / 6 if -3 < x < 3 else mp.mpf(0),
            {},
        ),
        "hard_silu": (
            lambda x: x * _clip(x + 3, 0, 6) / 6,
            lambda x: mp.mpf(0) if x <= -3 else (mp.mpf(1) if x >= 3 else (2 * x + 3) / 6),
            {},
        ),
        "hard_tanh": (lambda x: _clip(x, -1, 1), lambda x: mp.mpf(abs(x) <= 1), {}),
        "log_sigmoid": (lambda x: -_softplus(-x), lambda x: _s(-x), {}),
        "soft_shrink": (
            lambda x: x - 0.5 if x > 0.5 else (x + 0.5 if x < -0.5 else mp.mpf(0)),
            lambda x: mp.mpf(abs(x) > 0.5),
            {},
        ),
        "softsign": (lambda x: x / (1 + abs(x)), lambda x: 1 / (1 + abs(x)) ** 2, {}),
        "sparse_plus": (
            lambda x: mp.mpf(0) if x <= -1 else ((x + 1) ** 2 / 4 if x < 1 else x),
            lambda x: _clip((x + 1) / 2, 0, 1),
            {},
        ),
        "sparse_sigmoid": (
            lambda x: _clip((x + 1) / 2, 0, 1),
            lambda x: mp.mpf(0.5) if -1 < x < 1 else mp.mpf(0),
            {},
        ),
        "squareplus": (_squareplus, lambda x: _squareplus(x) / mp.sqrt(x * x + 4), {}),
        "squareplus_b": (
            lambda x: _squareplus(x, mp.mpf(0.25)),
            lambda x: _squareplus(x, mp.mpf(0.25)) / mp.sqrt(x * x + mp.mpf(0.25)),
            {"b": 0.25},
        ),
        "tanh_shrink": (_tanh_shrink, lambda x: mp.tanh(x) ** 2, {}),
        "threshold": (
            lambda x: x if x > 1 else mp.mpf(-0.25),
            lambda x: mp.mpf(x > 1),
            {"threshold": 1.0, "default_value": -0.25},
        ),
    }
)


def library_pair(name):
    """(function, derivative, parameters) from course_lib for a REFERENCE key."""
    entry = act.get(
        {"gelu_tanh": "gelu", "squareplus_b": "squareplus", "celu_2": "celu"}.get(name, name)
    )
    return entry.function, entry.derivative, REFERENCE[name][2]


def ulp_error(got, exact, dtype=np.float64):
    """|got - exact| in units of the last place of the `dtype` number nearest to `exact`."""
    dtype = np.dtype(dtype).type
    finfo = np.finfo(dtype)
    # beyond max + half its ulp a number rounds to inf; below, to at most max
    rounds_to_inf = mp.mpf(float(finfo.max)) * (1 + mp.mpf(float(finfo.eps)) / 4)
    with np.errstate(over="ignore"):
        nearest = (
            dtype(float(exact))
            if abs(exact) < rounds_to_inf
            else dtype(math.copysign(math.inf, exact))
        )
    if np.isinf(nearest) or math.isinf(got):
        return 0.0 if got == nearest else math.inf
    if exact == 0:
        return abs(got) / float(np.finfo(dtype).smallest_subnormal)
    with np.errstate(over="ignore"):
        ulp = np.spacing(np.abs(nearest))  # inf at the largest float: use the spacing below it
    ulp = float(
        ulp if np.isfinite(ulp) else np.abs(nearest) - np.nextafter(np.abs(nearest), dtype(0))
    )
    return float(abs(mp.mpf(float(got)) - exact) / ulp)


def max_ulp_error(function, reference, x, parameters, dtype=np.float64):
    """Largest ulp error of function(x) against reference over the points x (of `dtype`), and
    where."""
    x = np.asarray(x, dtype=dtype)
    got = np.asarray(function(x, **parameters))
    assert got.dtype == x.dtype
    errors = [ulp_error(float(g), reference(mp.mpf(float(xi))), dtype) for g, xi in zip(got, x)]
    worst = int(np.argmax(errors))
    return errors[worst], float(x[worst])


# The interior zeros of silu', mish', gelu' and the tanh form's derivative: the hardest places
# (two terms cancel). Found here from the reference, independently of the library's constants.
ZEROS = [
    float(mp.findroot(REFERENCE[name][1], -1.0)) for name in ("silu", "mish", "gelu", "gelu_tanh")
]


def reference_grid():
    """About 270 float64 points: the whole float range by magnitude (subnormals included),
    [-40, 40], the tails where results become subnormal, and the neighbourhoods of ZEROS."""
    rng = np.random.default_rng(20251123)
    magnitudes = np.logspace(-323.3, 308.2, 60)
    special = [
        5e-324,
        1e-310,
        2.2250738585072014e-308,
        1e-300,
        1e308,
        np.finfo(np.float64).max,
        0.0,
    ]
    near_zeros = [zero + side * step for zero in ZEROS for side in (-1, 1)
                  for step in (1e-15, 1e-12, 1e-8, 1e-4, 0.05, 0.3)]
    return np.unique(np.concatenate([
        -magnitudes, magnitudes, special, np.negative(special), near_zeros,
        rng.uniform(-40, 40, 60), rng.uniform(-750, -700, 12), rng.uniform(-40, -20, 12),
        CORNERS, np.nextafter(CORNERS, -np.inf), np.nextafter(CORNERS, np.inf),
        rng.uniform(-2, 2, 40),  # where tanh_shrink switches from its integral to x - tanh x
    ]))


# of the hard, sparse and shrinkage functions
CORNERS = np.array([-3.0, -1.0, -0.5, 0.5, 1.0, 3.0, 6.0])


GRID = reference_grid()  # (after CORNERS)
FLOAT64_ULPS = 4  # bound for every function and derivative, except:
FLOAT64_ULPS_EXCEPTIONS = {
    # erfc from the C library is itself up to ~2.3 ulp off, and Phi + x phi cancels mildly.
    ("gelu", "derivative"): 6,
    # about a dozen roundings each, and mild cancellation next to the integration window
    ("gelu_tanh", "derivative"): 5,
    ("mish", "derivative"): 5,
}


CASES = [
    pytest.param(name, part, id=f"{name}-{part}")
    for name in REFERENCE
    for part in ("function", "derivative")
]


# ---------------------------------------------------------------------------
# Accuracy against the reference.

def test_reference_derivatives_are_derivatives_of_reference_functions():
    for name, (f, df, _) in REFERENCE.items():
        for x in map(mp.mpf, ("-3.7", "-1.1", "-0.3", "0.4", "2.9", "7.5")):
            assert mp.almosteq(mp.diff(f, x), df(x), rel_eps=mp.mpf(10) ** -30), (name, x)


@pytest.mark.parametrize("name, part", CASES)
def test_float64_within_a_few_ulp_of_the_50_digit_reference(name, part):
    function, derivative, parameters = library_pair(name)
    reference = REFERENCE[name][0 if part == "function" else 1]
    ours = function if part == "function" else derivative
    error, at = max_ulp_error(ours, reference, GRID, parameters)
    assert error <= FLOAT64_ULPS_EXCEPTIONS.get(
        (name, part), FLOAT64_ULPS
    ), f"{error:.2f} ulp at x = {at!r}"


@pytest.mark.parametrize("dtype", [np.float32, np.float16])
@pytest.mark.parametrize("name, part", CASES)
def test_float32_and_float16_within_one_ulp_of_their_dtype(name, part, dtype):
    function, derivative, parameters = library_pair(name)
    reference = REFERENCE[name][0 if part == "function" else 1]
    finfo = np.finfo(dtype)
    magnitudes = np.logspace(
        np.log10(float(finfo.smallest_subnormal)), np.log10(float(finfo.max)), 24
    )
    moderate = np.random.default_rng(1).uniform(-12, 12, 24)
    with np.errstate(over="ignore"):
        x = np.unique(np.concatenate([-magnitudes, magnitudes, moderate, ZEROS]).astype(dtype))
    error, at = max_ulp_error(
        function if part == "function" else derivative, reference, x, parameters, dtype
    )
    assert error <= 1, f"{error:.2f} ulp at x = {at!r}"


# ---------------------------------------------------------------------------
# Special values.

INF, NAN = np.inf, np.nan
SPECIAL = [-INF, -1e308, -5e-324, -0.0, 0.0, 5e-324, 1e308, INF]
# Expected values at SPECIAL, per (function, parameters); None where the exact value is
# checked by the reference test instead.
EXPECTED = {
    ("linear", ()): [-INF, -1e308, -5e-324, 0, 0, 5e-324, 1e308, INF],
    ("linear_grad", ()): [1, 1, 1, 1, 1, 1, 1, 1],
    ("sigmoid", ()): [0, 0, 0.5, 0.5, 0.5, 0.5, 1, 1],
    ("sigmoid_grad", ()): [0, 0, 0.25, 0.25, 0.25, 0.25, 0, 0],
    ("tanh", ()): [-1, -1, -5e-324, 0, 0, 5e-324, 1, 1],
    ("tanh_grad", ()): [0, 0, 1, 1, 1, 1, 0, 0],
    ("relu", ()): [0, 0, 0, 0, 0, 5e-324, 1e308, INF],
    ("relu_grad", ()): [0, 0, 0, 0, 0, 1, 1, 1],
    ("relu6", ()): [0, 0, 0, 0, 0, 5e-324, 6, 6],
    ("relu6_grad", ()): [0, 0, 0, 0, 0, 1, 0, 0],
    ("leaky_relu", ()): [-INF, -1e306, 0, 0, 0, 5e-324, 1e308, INF],
    ("leaky_relu_grad", ()): [0.01, 0.01, 0.01, 0.01, 0.01, 1, 1, 1],
    # 0 * -inf is taken as its limit, 0
    ("leaky_relu", (0.0,)): [0, 0, 0, 0, 0, 5e-324, 1e308, INF],
    ("prelu", (0.5,)): [-INF, -5e307, 0, 0, 0, 5e-324, 1e308, INF],
    ("prelu_grad", (0.5,)): [0.5, 0.5, 0.5, 0.5, 0.5, 1, 1, 1],
    ("elu", ()): [-1, -1, -5e-324, 0, 0, 5e-324, 1e308, INF],
    ("elu_grad", ()): [0, 0, 1, 1, 1, 1, 1, 1],
    ("elu_grad", (0.5,)): [0, 0, 0.5, 0.5, 0.5, 1, 1, 1],
    ("selu", ()): [
        -act.SELU_SCALE * act.SELU_ALPHA,
        None,
        None,
        0,
        0,
        5e-324,
        1e308 * act.SELU_SCALE,
        INF,
    ],
    ("selu_grad", ()): [
        0,
        0,
        None,
        act.SELU_SCALE,
        act.SELU_SCALE,
        act.SELU_SCALE,
        act.SELU_SCALE,
        act.SELU_SCALE,
    ],
    ("gelu", ()): [0, 0, 0, 0, 0, 0, 1e308, INF],
    ("gelu_grad", ()): [0, 0, 0.5, 0.5, 0.5, 0.5, 1, 1],
    ("gelu", (True,)): [0, 0, 0, 0, 0, 0, 1e308, INF],
    ("gelu_grad", (True,)): [0, 0, 0.5, 0.5, 0.5, 0.5, 1, 1],
    ("silu", ()): [0, 0, 0, 0, 0, 0, 1e308, INF],
    ("silu_grad", ()): [0, 0, 0.5, 0.5, 0.5, 0.5, 1, 1],
    ("mish", ()): [0, 0, -5e-324 * 0.6, 0, 0, 5e-324, 1e308, INF],
    ("mish_grad", ()): [0, 0, 0.6, 0.6, 0.6, 0.6, 1, 1],
    ("softplus", ()): [0, 0, math.log(2), math.log(2), math.log(2), math.log(2), 1e308, INF],
    ("softplus_grad", ()): [0, 0, 0.5, 0.5, 0.5, 0.5, 1, 1],
    # SPECIAL = [-INF, -1e308, -5e-324, -0.0, 0.0, 5e-324, 1e308, INF]
    ("celu", ()): [-1, -1, -5e-324, 0, 0, 5e-324, 1e308, INF],
    ("celu", (2.0,)): [-2, -2, -5e-324, 0, 0, 5e-324, 1e308, INF],  # x/alpha underflows, x does not
    ("celu_grad", ()): [0, 0, 1, 1, 1, 1, 1, 1],
    ("exponential", ()): [0, 0, 1, 1, 1, 1, INF, INF],
    ("hard_shrink", ()): [-INF, -1e308, 0, 0, 0, 0, 1e308, INF],
    ("hard_shrink_grad", ()): [1, 1, 0, 0, 0, 0, 1, 1],
    ("hard_sigmoid", ()): [0, 0, 0.5, 0.5, 0.5, 0.5, 1, 1],
    ("hard_sigmoid_grad", ()): [0, 0, 1 / 6, 1 / 6, 1 / 6, 1 / 6, 0, 0],
    ("hard_silu", ()): [0, 0, -5e-324 / 2, 0, 0, 0, 1e308, INF],  # x/2 rounds to -0 or -5e-324
    ("hard_silu_grad", ()): [0, 0, 0.5, 0.5, 0.5, 0.5, 1, 1],
    ("hard_tanh", ()): [-1, -1, -5e-324, 0, 0, 5e-324, 1, 1],
    ("hard_tanh_grad", ()): [0, 0, 1, 1, 1, 1, 0, 0],
    ("log_sigmoid", ()): [
        -INF,
        -1e308,
        -math.log(2),
        -math.log(2),
        -math.log(2),
        -math.log(2),
        0,
        0,
    ],
    ("log_sigmoid_grad", ()): [1, 1, 0.5, 0.5, 0.5, 0.5, 0, 0],
    ("soft_shrink", ()): [-INF, -1e308, 0, 0, 0, 0, 1e308, INF],
    ("soft_shrink_grad", ()): [1, 1, 0, 0, 0, 0, 1, 1],
    ("softsign", ()): [-1, -1, -5e-324, 0, 0, 5e-324, 1, 1],
    ("softsign_grad", ()): [0, 0, 1, 1, 1, 1, 0, 0],
    ("sparse_plus", ()): [0, 0, 0.25, 0.25, 0.25, 0.25, 1e308, INF],
    ("sparse_plus_grad", ()): [0, 0, 0.5, 0.5, 0.5, 0.5, 1, 1],
    ("sparse_sigmoid", ()): [0, 0, 0.5, 0.5, 0.5, 0.5, 1, 1],
    ("sparse_sigmoid_grad", ()): [0, 0, 0.5, 0.5, 0.5, 0.5, 0, 0],
    ("squareplus", ()): [0, 1e-308, 1, 1, 1, 1, 1e308, INF],  # 4 / (4 * 1e308): no cancellation
    ("squareplus_grad", ()): [0, 0, 0.5, 0.5, 0.5, 0.5, 1, 1],
    ("squareplus", (0.0,)): [0, 0, 0, 0, 0, 5e-324, 1e308, INF],  # b = 0: relu
    ("squareplus_grad", (0.0,)): [0, 0, 0, 0.5, 0.5, 1, 1, 1],
    ("tanh_shrink", ()): [-INF, -1e308, 0, 0, 0, 0, 1e308, INF],
    ("tanh_shrink_grad", ()): [1, 1, 0, 0, 0, 0, 1, 1],
    ("threshold", (0.0, -2.0)): [-2, -2, -2, -2, -2, 5e-324, 1e308, INF],
    ("threshold_grad", (0.0, -2.0)): [0, 0, 0, 0, 0, 1, 1, 1],
}


@pytest.mark.parametrize("name, arguments", list(EXPECTED), ids=lambda v: str(v))
def test_special_values(name, arguments):
    function = getattr(act, name)
    got = function(np.array(SPECIAL), *arguments)
    for x, value, expected in zip(SPECIAL, got, EXPECTED[name, arguments]):
        if expected is not None:
            assert value == expected, f"{name}({x}) = {value!r}, expected {expected!r}"
    assert np.isnan(function(NAN, *arguments))


def test_subnormal_results_are_not_flushed_to_zero():
    # subnormal: few digits exist
    assert act.sigmoid(-740.0) == pytest.approx(math.exp(-740), rel=1e-2)
    assert act.silu(-740.0) < 0
    assert act.mish(-740.0) < 0
    assert act.elu_grad(-740.0) > 0
    assert act.gelu(-38.5) < 0
    assert act.gelu(-38.5, approximate=True) == 0  # the tanh form's tail is far thinner
    assert act.gelu(-21.5, approximate=True) < 0
    assert act.celu_grad(-1480.0, alpha=2.0) == pytest.approx(math.exp(-740), rel=1e-2)
    assert act.log_sigmoid(740.0) == pytest.approx(-math.exp(-740), rel=1e-2)
    assert 0 < act.tanh_shrink(1e-103) < 1e-308  # x^3/3, subnormal
    assert 0 < act.softsign_grad(1e160) < 1e-308  # (1 + |x|)^2 overflows; its reciprocal does not


def test_the_naive_formulas_of_the_new_functions_fail_where_these_do_not():
    x = 1e-8
    # cancellation: not one digit right
    assert x - math.tanh(x) != pytest.approx(x**3 / 3, rel=0.1, abs=0)
    assert act.tanh_shrink(x) == pytest.approx(x**3 / 3 * (1 - 0.4 * x * x), rel=1e-15)
    assert math.log(1 / (1 + math.exp(-40.0))) == 0  # the naive log-sigmoid: no digit left
    assert act.log_sigmoid(40.0) == pytest.approx(-math.exp(-40.0), rel=1e-15)
    assert (-1e10 + math.sqrt(1e20 + 4)) / 2 == 0  # the naive squareplus for x < 0
    assert act.squareplus(-1e10) == pytest.approx(1e-10, rel=1e-15)
    assert act.squareplus_grad(-1e10) == pytest.approx(1e-20, rel=1e-15)
    assert act.celu(-1e-320, alpha=3.0) == -1e-320  # x/alpha alone would lose the subnormal digits


def test_the_course_gotchas_are_avoided():
    """The failures COURSE_PLAN.md lists for the naive formulas do not happen here."""
    naive_sigmoid = 1 / (1 + math.exp(-40.0))
    assert naive_sigmoid * (1 - naive_sigmoid) == 0  # s(1 - s) is exactly 0 ...
    # ... s(x) s(-x) is not
    assert act.sigmoid_grad(40.0) == pytest.approx(math.exp(-40), rel=1e-15)
    assert 1 - math.tanh(20.0) ** 2 == 0
    assert act.tanh_grad(20.0) == pytest.approx(4 * math.exp(-40), rel=1e-15)
    assert -10 / 2 * (1 + math.erf(-10 / math.sqrt(2))) == 0  # the erf form of GELU
    assert act.gelu(-10.0) == pytest.approx(-7.619853024160526e-23, rel=1e-15)
    assert math.exp(-1e-20) - 1 == 0
    assert act.elu(-1e-20) == -1e-20
    assert act.softplus(1000.0) == 1000.0
    assert act.softplus(np.float32(100.0)) == np.float32(100.0)
    assert act.gelu(-np.inf) == 0 and act.silu(-np.inf) == 0 and act.mish(-np.inf) == 0


def test_tanh_form_of_gelu_is_within_5e_4_of_the_exact_form_on_minus_6_to_6():
    x = np.linspace(-6, 6, 12001)
    gap = np.max(np.abs(act.gelu(x, approximate=True) - act.gelu(x)))
    assert 1e-4 < gap < 5e-4


# ---------------------------------------------------------------------------
# Identities and symmetries (hypothesis).

EPS = np.finfo(np.float64).eps
moderate = st.floats(-700, 700, allow_nan=False)
anywhere = st.floats(allow_nan=False, allow_infinity=False)


@given(moderate)
def test_tanh_is_twice_sigmoid_of_twice_x_minus_one(x):
    assert act.tanh(x) == pytest.approx(2 * act.sigmoid(2 * x) - 1, abs=4 * EPS, rel=4 * EPS)


@given(anywhere)
def test_sigmoid_of_minus_x_is_one_minus_sigmoid(x):
    assert act.sigmoid(-x) == pytest.approx(1 - act.sigmoid(x), abs=2 * EPS)


@given(anywhere)
def test_odd_and_even_symmetries_hold_exactly(x):
    assert act.tanh(-x) == -act.tanh(x)
    assert act.sigmoid_grad(-x) == act.sigmoid_grad(x)
    assert act.tanh_grad(-x) == act.tanh_grad(x)


@given(st.floats(-1e300, 1e300, allow_nan=False))
def test_x_weighted_gates_satisfy_f_of_x_minus_f_of_minus_x_equals_x(x):
    # x g(x) with g(x) + g(-x) = 1: sigmoid, Phi and the tanh form's sigmoid(v(x))
    for f in (act.silu, act.gelu, lambda v: act.gelu(v, approximate=True)):
        assert f(x) - f(-x) == pytest.approx(x, rel=4 * EPS, abs=1e-300)
    assert act.softplus(x) - act.softplus(-x) == pytest.approx(x, rel=4 * EPS, abs=2 * EPS)


@given(st.floats(-1e300, 1e300, allow_nan=False))
def test_their_derivatives_add_up_to_one_at_x_and_minus_x(x):
    for grad in (act.silu_grad, act.gelu_grad, lambda v: act.gelu_grad(v, approximate=True),
                 act.softplus_grad, act.sigmoid):
        assert grad(x) + grad(-x) == pytest.approx(1, abs=4 * EPS)


@given(st.floats(-700, 30, allow_nan=False))
def test_sigmoid_derivative_is_s_times_one_minus_s_where_s_is_not_near_one(x):
    s = act.sigmoid(x)
    assert act.sigmoid_grad(x) == pytest.approx(s * (1 - s), rel=1e-14 * max(1, math.exp(x)))


@given(st.floats(-5, 5, allow_nan=False))
def test_tanh_derivative_is_one_minus_tanh_squared(x):
    assert act.tanh_grad(x) == pytest.approx(1 - act.tanh(x) ** 2, abs=4 * EPS, rel=1e-13)


@given(st.floats(-700, 0), st.floats(0, 10))
def test_elu_derivative_is_elu_plus_alpha_for_x_at_most_zero(x, alpha):
    assert act.elu_grad(x, alpha) == pytest.approx(
        act.elu(x, alpha) + alpha, abs=4 * EPS * max(1, alpha)
    )


@given(st.floats(-700, 700, allow_nan=False))
def test_silu_is_x_times_sigmoid(x):
    assert act.silu(x) == pytest.approx(x * act.sigmoid(x), rel=4 * EPS, abs=1e-300)
    assert act.swish(x) == act.silu(x) and act.swish_grad(x) == act.silu_grad(x)


@given(anywhere)
def test_the_odd_new_functions_are_exactly_odd(x):
    for f in (act.softsign, act.hard_tanh, act.tanh_shrink, act.soft_shrink, act.hard_shrink):
        assert f(-x) == -f(x)
    for grad in (act.softsign_grad, act.hard_tanh_grad, act.tanh_shrink_grad, act.soft_shrink_grad):
        assert grad(-x) == grad(x)


@given(st.floats(-1e300, 1e300, allow_nan=False))
def test_identities_between_the_new_functions(x):
    assert act.log_sigmoid(x) == -act.softplus(-x)
    assert act.log_sigmoid_grad(x) + act.sigmoid(x) == pytest.approx(1, abs=2 * EPS)
    assert act.sparse_plus_grad(x) == act.sparse_sigmoid(x)  # sparse_plus' is the sparse sigmoid
    assert act.celu(x) == act.elu(x) and act.celu_grad(x) == act.elu_grad(x)  # alpha = 1
    assert act.hard_silu(x) == pytest.approx(x * act.hard_sigmoid(x), rel=4 * EPS, abs=1e-300)
    assert act.squareplus(x) - act.squareplus(-x) == pytest.approx(x, rel=4 * EPS, abs=4 * EPS)
    assert act.squareplus_grad(x) + act.squareplus_grad(-x) == pytest.approx(1, abs=4 * EPS)


@given(st.floats(-1e150, 1e150, allow_nan=False), st.floats(0.01, 100))
def test_squareplus_times_its_mirror_is_b_over_4(x, b):
    # (x + h)/2 * (-x + h)/2 = (h^2 - x^2)/4 = b/4, h = sqrt(x^2 + b)
    assert act.squareplus(x, b) * act.squareplus(-x, b) == pytest.approx(b / 4, rel=8 * EPS)


ELEMENTWISE = [entry for entry in act.ALL_ACTIVATIONS.values() if entry.elementwise]
FINITE_DIFFERENCE_CASES = [(entry.name, dict(entry.parameters)) for entry in ELEMENTWISE] + [
    ("gelu", {"approximate": True}), ("elu", {"alpha": 0.4}), ("leaky_relu", {"alpha": 0.2}),
    ("celu", {"alpha": 0.3}), ("squareplus", {"b": 0.5}), ("soft_shrink", {"threshold": 1.0})]


@pytest.mark.parametrize("name, parameters", FINITE_DIFFERENCE_CASES, ids=lambda v: str(v))
@settings(max_examples=50)
@given(x=st.floats(-30, 30, allow_nan=False))
def test_derivative_agrees_with_central_differences(name, parameters, x):
    entry = act.get(name)
    assume(min(abs(x), *np.abs(x - CORNERS)) > 1e-3)  # not across a corner or a jump
    numerical = numerical_derivative(lambda v: entry(v, **parameters), x)
    # abs. below 1e-4
    assert relative_error(entry.grad(x, **parameters), numerical, floor=1e-4) < 1e-6


@pytest.mark.parametrize(
    "entry",
    [e for e in act.ALL_ACTIVATIONS.values() if e.derivative_from_output],
    ids=lambda e: e.name,
)
def test_derivative_from_output_agrees_with_derivative(entry):
    x = np.linspace(-10, 10, 2001)
    a = entry(x)
    np.testing.assert_allclose(entry.derivative_from_output(a, **entry.parameters), entry.grad(x),
                               rtol=1e-9, atol=1e-15)


def test_prelu_derivative_from_output_refuses_negative_slopes():
    entry = act.get("prelu")
    x = np.array([-2.0, 3.0])
    np.testing.assert_array_equal(
        entry.derivative_from_output(entry(x, alpha=0.0), alpha=0.0), [0.0, 1.0]
    )
    with pytest.raises(ValueError, match="alpha >= 0"):
        entry.derivative_from_output(entry(x, alpha=-0.5), alpha=-0.5)  # both outputs are > 0
    with pytest.raises(ValueError, match="alpha >= 0"):
        entry.derivative_from_output(np.ones(2), alpha=np.array([0.25, -0.1]))


def test_sigmoid_tanh_and_elu_have_their_derivative_from_output_identities():
    assert {"sigmoid", "tanh", "elu"} <= {
        e.name for e in act.ACTIVATIONS.values() if e.derivative_from_output
    }


# ---------------------------------------------------------------------------
# Parity with Keras (TensorFlow backend), float32.

KERAS_TOLERANCE = 1e-5  # |ours - keras| / max(1, |ours|): Keras' float32 formulas lose a few digits
KERAS_PARAMETER_NAMES = {"alpha": {"leaky_relu": "negative_slope"}}
KERAS_GRID = np.concatenate([np.linspace(-12, 12, 2401), [0.0, 6.0, -100.0, 100.0],
                             CORNERS, -CORNERS]).astype(np.float32)
KERAS_CASES = [(entry.name, dict(entry.parameters)) for entry in ELEMENTWISE if entry.keras_name]
KERAS_CASES += [
    ("gelu", {"approximate": True}),
    ("elu", {"alpha": 0.5}),
    ("celu", {"alpha": 0.5}),
    ("squareplus", {"b": 1.0}),
    ("hard_shrink", {"threshold": 1.0}),
    ("soft_shrink", {"threshold": 1.0}),
    ("threshold", {"threshold": -1.0, "default_value": 3.0}),
]
# Where tf.GradientTape on the Keras built-in is not the derivative: celu = max(x, 0) +
# alpha expm1(min(x, 0)/alpha) gets 1 from max and 1 from min at x = 0 (a tie), 2 in all.
TAPE_EXCEPTIONS = {"celu": [0.0]}


def keras_gap(ours, theirs):
    """max |ours - theirs| / max(1, |ours|), counting equal values (infinities too) as no gap."""
    ours, theirs = np.asarray(ours, np.float64), np.asarray(theirs, np.float64)
    same = (ours == theirs) | (np.isnan(ours) & np.isnan(theirs))
    with np.errstate(invalid="ignore"):
        gaps = np.where(same, 0.0, np.abs(ours - theirs) / np.maximum(1, np.abs(ours)))
    return float(np.max(np.where(np.isnan(gaps), np.inf, gaps)))


@pytest.fixture(scope="module")
def keras():
    from course_lib._keras import load_keras

    return load_keras()


def _keras_function(keras, name, parameters):
    entry = act.get(name)
    renamed = {
        KERAS_PARAMETER_NAMES.get(key, {}).get(name, key): value
        for key, value in parameters.items()
    }
    keras_function = keras.activations.get(entry.keras_name)
    return lambda x: keras_function(x, **renamed)


@pytest.mark.parametrize("name, parameters", KERAS_CASES, ids=lambda v: str(v))
def test_values_match_keras_in_float32(keras, name, parameters):
    entry = act.get(name)
    theirs = np.asarray(_keras_function(keras, name, parameters)(KERAS_GRID))
    ours = entry(KERAS_GRID, **parameters)
    assert ours.dtype == np.float32
    assert keras_gap(ours, theirs) < KERAS_TOLERANCE


@pytest.mark.parametrize("name, parameters", KERAS_CASES, ids=lambda v: str(v))
def test_derivatives_match_gradient_tape_on_keras_including_the_corners(keras, name, parameters):
    entry = act.get(name)
    theirs = tape_derivative(_keras_function(keras, name, parameters), KERAS_GRID)
    ours = entry.grad(KERAS_GRID, **parameters)
    kept = ~np.isin(KERAS_GRID, TAPE_EXCEPTIONS.get(name, []))
    assert keras_gap(ours[kept], theirs[kept]) < KERAS_TOLERANCE


def test_celu_derivative_at_zero_is_one_where_the_tape_on_keras_gives_two(keras):
    assert tape_derivative(keras.activations.celu, [0.0])[0] == 2  # max and min both pass the tie
    assert act.celu_grad(0.0) == 1 == act.celu_grad(-1e-300) == act.celu_grad(1e-300)


def test_keras_squareplus_overflows_in_float32_where_ours_does_not(keras):
    x = np.float32(-1e30)
    assert np.isinf(np.asarray(keras.activations.squareplus(np.array([x])))[0])  # x^2 overflows
    assert act.squareplus(x) == np.float32(1e-30)


def test_prelu_matches_the_keras_layer_except_its_slope_at_zero(keras):
    layer = keras.layers.PReLU(alpha_initializer=keras.initializers.Constant(0.25))
    x = KERAS_GRID[None, :]
    assert max_abs_difference(act.prelu(x, 0.25), np.asarray(layer(x))) == 0
    theirs = tape_derivative(layer, x)
    ours = act.prelu_grad(x, 0.25)
    assert max_abs_difference(ours[x != 0], theirs[x != 0]) == 0
    # At 0 the layer's gradient is 0 (it computes relu(x)
    # - alpha relu(-x)); ours is alpha, like Leaky ReLU.
    assert act.prelu_grad(0.0, 0.25) == act.leaky_relu_grad(0.0, 0.25) == 0.25


def test_every_keras_name_is_a_keras_activation(keras):
    for entry in act.ALL_ACTIVATIONS.values():
        if entry.keras_name is not None:
            assert keras.activations.get(entry.keras_name).__name__ in (
                entry.keras_name,
                entry.name,
            )
    assert act.get("prelu").keras_name is None


# ---------------------------------------------------------------------------
# Dtypes, shapes, inputs, warnings.

def _all_functions():
    """Every public elementwise activation and derivative, with arguments for its parameters."""
    for entry in ELEMENTWISE:
        parameters = dict(entry.parameters)
        for function in (entry.function, entry.derivative):
            yield pytest.param(function, parameters, id=function.__name__)
    for function in (act.gelu, act.gelu_grad):
        yield pytest.param(function, {"approximate": True}, id=function.__name__ + "-approximate")


ALL_FUNCTIONS = list(_all_functions())


@pytest.mark.parametrize("function, parameters", ALL_FUNCTIONS)
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_float_dtypes_are_kept(function, parameters, dtype):
    x = np.linspace(-8, 8, 7).astype(dtype)
    assert function(x, **parameters).dtype == dtype
    assert isinstance(function(dtype(1.5), **parameters), dtype)


@pytest.mark.parametrize("function, parameters", ALL_FUNCTIONS)
def test_bfloat16_is_computed_in_float64_and_comes_back_in_bfloat16(function, parameters):
    ml_dtypes = pytest.importorskip("ml_dtypes")
    bfloat16 = ml_dtypes.bfloat16
    x = np.array([-40.0, -3.0, -1.0, -0.0, 0.5, 2.0, 6.0, 300.0, np.inf, np.nan]).astype(bfloat16)
    got = function(x, **parameters)
    assert got.dtype == bfloat16 and isinstance(function(x[1], **parameters), bfloat16)
    exact = function(x.astype(np.float64), **parameters)
    # the float64 result rounded once: no bfloat16 number is nearer to it than ours; beyond
    # bfloat16's range (e^300, say) the rounded result is +-inf, as IEEE overflow gives
    finite = np.isfinite(exact) & (np.abs(exact) <= float(ml_dtypes.finfo(bfloat16).max))
    overflowed = np.where(np.isnan(exact), np.nan, np.where(exact < 0, -np.inf, np.inf))
    assert np.array_equal(got[~finite].astype(np.float64), overflowed[~finite], equal_nan=True)
    ours = got[finite]
    error = np.abs(ours.astype(np.float64) - exact[finite])
    for direction in (np.inf, -np.inf):
        neighbour = np.nextafter(ours, np.full_like(ours, direction)).astype(np.float64)
        with np.errstate(invalid="ignore"):
            assert np.all(error <= np.abs(neighbour - exact[finite]))


@pytest.mark.parametrize("function, parameters", ALL_FUNCTIONS)
def test_ints_bools_lists_and_python_scalars_give_float64(function, parameters):
    expected = function(np.array([-2.0, 0.0, 3.0]), **parameters)
    for x in (
        [-2, 0, 3],
        np.array([-2, 0, 3], dtype=np.int8),
        np.array([-2, 0, 3], dtype=np.int64),
    ):
        result = function(x, **parameters)
        assert result.dtype == np.float64
        np.testing.assert_array_equal(result, expected)
    assert function([True, False], **parameters).dtype == np.float64
    scalar = function(3, **parameters)
    assert isinstance(scalar, np.float64) and scalar == expected[2]
    assert isinstance(function(np.array(3.0), **parameters), np.float64)  # 0-d in, NumPy scalar out


@pytest.mark.parametrize("function, parameters", ALL_FUNCTIONS)
@pytest.mark.parametrize("shape", [(0,), (0, 3), (2, 3, 4)])
def test_shapes_are_kept_and_empty_arrays_give_empty_results(function, parameters, shape):
    x = np.random.default_rng(0).normal(0, 3, shape).astype(np.float32)
    result = function(x, **parameters)
    assert result.shape == shape and result.dtype == np.float32
    if x.size:
        np.testing.assert_array_equal(result.ravel(), function(x.ravel(), **parameters))


@pytest.mark.parametrize("function, parameters", ALL_FUNCTIONS)
def test_input_is_never_modified(function, parameters):
    x = np.array([-800.0, -3.0, -1e-300, 0.0, 2.0, 7.0, np.inf, np.nan])
    before = x.copy()
    function(x, **parameters)
    np.testing.assert_array_equal(x, before)
    alpha = np.array([0.1, 0.2])
    act.prelu(np.ones((3, 2)), alpha), act.prelu_grad(np.ones((3, 2)), alpha)
    np.testing.assert_array_equal(alpha, [0.1, 0.2])


EXTREMES = [
    -np.inf,
    -1e308,
    -1e5,
    -800.0,
    -745.0,
    -40.0,
    -1.0,
    -5e-324,
    -0.0,
    0.0,
    5e-324,
    1.0,
    6.0,
    40.0,
    800.0,
    1e5,
    1e308,
    np.inf,
    np.nan,
]


@pytest.mark.parametrize("function, parameters", ALL_FUNCTIONS)
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_no_floating_point_warnings_for_any_input(function, parameters, dtype):
    with np.errstate(over="ignore", under="ignore"):
        x = np.array(EXTREMES).astype(dtype)  # (building the float16 input overflows, on purpose)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            result = function(x, **parameters)
            for value in x:
                function(value, **parameters)
    assert np.isnan(result[-1]) and not np.isnan(result[:-1]).any()


def test_float16_overflows_to_inf_only_where_the_result_is_beyond_its_range():
    big = np.float16(65504)
    assert act.softplus(big) == big and act.relu(big) == big and act.gelu(big) == big
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert act.selu(big) == np.inf  # 1.0507 * 65504 is beyond float16's 65504


def test_prelu_broadcasts_alpha_over_x():
    x = np.array([[-1.0, 2.0, -3.0], [4.0, -5.0, -6.0]])
    alpha = np.array([0.1, 0.2, 0.3])
    np.testing.assert_allclose(act.prelu(x, alpha), [[-0.1, 2.0, -0.9], [4.0, -1.0, -1.8]])
    np.testing.assert_array_equal(act.prelu_grad(x, alpha), [[0.1, 1.0, 0.3], [1.0, 0.2, 0.3]])
    np.testing.assert_array_equal(act.prelu(x, 0.5), act.leaky_relu(x, 0.5))
    assert act.prelu(x, alpha[:, None][:1]).shape == x.shape  # shape (1, 1) broadcasts too


# ---------------------------------------------------------------------------
# Errors.

@pytest.mark.parametrize("function, parameters", ALL_FUNCTIONS)
@pytest.mark.parametrize("bad, error, message", [
    ("1.0", TypeError, "expected real numbers.*got str"),
    (None, TypeError, "expected real numbers.*got NoneType"),
    (1 + 2j, TypeError, "got complex"),
    (np.array([1j]), TypeError, "got complex"),
    (np.array([object()]), TypeError, "expected real numbers"),
    ([[1.0, 2.0], [3.0]], TypeError, "regular"),
])
def test_bad_input_raises_saying_what_was_expected(function, parameters, bad, error, message):
    with pytest.raises(error, match=message):
        function(bad, **parameters)


@pytest.mark.parametrize(
    "function",
    [act.leaky_relu, act.leaky_relu_grad, act.elu, act.elu_grad, act.celu, act.celu_grad],
)
@pytest.mark.parametrize(
    "alpha, error, message",
    [
        ("0.1", TypeError, "alpha: expected a real number, got str"),
        (None, TypeError, "alpha: expected a real number, got NoneType"),
        (True, TypeError, "alpha: expected a real number, got bool"),
        ([0.1], TypeError, "alpha: expected a real number, got list"),
        (-0.1, ValueError, r"alpha: expected a number >(=)? 0, got -0.1"),
        (np.nan, ValueError, "alpha: expected a finite number"),
        (np.inf, ValueError, "alpha: expected a finite number"),
    ],
)
def test_bad_alpha_raises(function, alpha, error, message):
    with pytest.raises(error, match=message):
        function([1.0, -1.0], alpha)


@pytest.mark.parametrize("function", [act.celu, act.celu_grad])
def test_celu_alpha_must_be_positive(function):
    with pytest.raises(ValueError, match=r"alpha: expected a number > 0, got 0.0"):
        function([1.0, -1.0], alpha=0.0)  # e^(x/alpha) would divide by 0


@pytest.mark.parametrize(
    "function, name",
    [
        (act.hard_shrink, "threshold"),
        (act.hard_shrink_grad, "threshold"),
        (act.soft_shrink, "threshold"),
        (act.soft_shrink_grad, "threshold"),
        (act.squareplus, "b"),
        (act.squareplus_grad, "b"),
    ],
)
def test_bad_shrink_thresholds_and_squareplus_b_raise(function, name):
    with pytest.raises(ValueError, match=f"{name}: expected a number >= 0, got -1.0"):
        function([1.0], **{name: -1.0})
    with pytest.raises(TypeError, match=f"{name}: expected a real number, got str"):
        function([1.0], **{name: "0.5"})
    with pytest.raises(ValueError, match=f"{name}: expected a finite number"):
        function([1.0], **{name: np.nan})


@pytest.mark.parametrize("function", [act.threshold, act.threshold_grad])
def test_threshold_needs_both_parameters_as_in_keras(function):
    with pytest.raises(TypeError):
        function([1.0])
    with pytest.raises(TypeError, match="threshold: expected a real number, got NoneType"):
        function([1.0], None, 0.0)
    with pytest.raises(ValueError, match="default_value: expected a finite number"):
        function([1.0], 0.0, np.inf)
@pytest.mark.parametrize("function", [act.leaky_relu, act.leaky_relu_grad, act.elu, act.elu_grad])
@pytest.mark.parametrize("alpha, error, message", [
    (np.array([0.1, 0.2]), TypeError, (r"alpha: expected a real number \(a scalar\), got an array "
                                       r"of shape \(2,")),
    (np.array(0.1 + 1j), TypeError, (r"expected a real number \(a scalar\), got an array of shape "
                                     r"\(\)")),
    (np.array(True), TypeError, "alpha: expected a real number"),
    (np.float64(-0.1), ValueError, r"alpha: expected a number >= 0, got -0.1"),
    (np.array(np.inf), ValueError, "alpha: expected a finite number"),
])
def test_bad_numpy_alpha_raises(function, alpha, error, message):
    with pytest.raises(error, match=message):
        function([1.0, -1.0], alpha)


@pytest.mark.parametrize("alpha", [0.25, np.float32(0.25), np.float16(0.25), np.array(0.25),
                                   np.array(0.25, dtype=np.float32)])
def test_alpha_may_be_any_real_scalar_numpy_scalars_and_0d_arrays_included(alpha):
    x = np.array([-2.0, 3.0])
    np.testing.assert_array_equal(act.leaky_relu(x, alpha), [-0.5, 3.0])
    np.testing.assert_array_equal(act.leaky_relu_grad(x, alpha=alpha), [0.25, 1.0])
    np.testing.assert_array_equal(act.elu(x, alpha), [0.25 * math.expm1(-2.0), 3.0])
    np.testing.assert_array_equal(act.elu_grad(x, alpha), [0.25 * math.exp(-2.0), 1.0])
    np.testing.assert_array_equal(act.get("leaky_relu")(x, alpha=alpha), [-0.5, 3.0])
    assert act.leaky_relu(-4.0, np.array(1)) == -4.0 and act.elu(-1.0, np.int64(0)) == 0.0


def test_approximate_may_be_a_numpy_bool():
    assert act.gelu(1.0, approximate=np.array(True)) == act.gelu(1.0, approximate=True)
    assert act.gelu(1.0, approximate=np.False_) == act.gelu(1.0)


@pytest.mark.parametrize("function", [act.prelu, act.prelu_grad])
def test_bad_prelu_alpha_raises(function):
    x = np.ones((2, 3))
    with pytest.raises(ValueError, match=(r"alpha: expected a scalar or an array broadcastable to "
                                          r"x's shape \(2, 3\)")):
        function(x, np.ones(2))
    with pytest.raises(ValueError, match="broadcastable"):
        function(np.ones(3), np.ones((2, 3)))  # alpha must not enlarge x
    with pytest.raises(TypeError, match="alpha: expected real numbers"):
        function(x, "0.25")
    with pytest.raises(ValueError, match="alpha: expected finite numbers"):
        function(x, np.nan)
    with pytest.raises(TypeError):
        function(x)  # PReLU's slope has no default: it is learned


@pytest.mark.parametrize("function", [act.gelu, act.gelu_grad])
@pytest.mark.parametrize("approximate", ["tanh", 1, None, 0.0])
def test_approximate_must_be_true_or_false(function, approximate):
    with pytest.raises(TypeError, match="approximate: expected True or False"):
        function(1.0, approximate=approximate)
    assert function(1.0, approximate=np.True_) == function(1.0, approximate=True)


# ---------------------------------------------------------------------------
# glu: a gated linear unit along an axis (Dauphin et al. 2017).

def _glu_pairs():
    """Pairs (a, b) over the float range: gates closed and open, subnormal results, huge a."""
    rng = np.random.default_rng(11)
    a = np.concatenate(
        [rng.normal(0, 3, 60), np.logspace(-320, 300, 30), -np.logspace(-300, 300, 30)]
    )
    b = np.concatenate(
        [rng.uniform(-40, 40, 60), rng.uniform(-745, 745, 30), rng.uniform(-40, 40, 30)]
    )
    return a, b


def test_glu_and_its_gradient_are_within_a_few_ulp_of_the_50_digit_reference():
    a, b = _glu_pairs()
    x = np.concatenate([a, b])
    value, grad = act.glu(x), act.glu_grad(x)
    for i, (ai, bi) in enumerate(zip(map(mp.mpf, a.tolist()), map(mp.mpf, b.tolist()))):
        assert ulp_error(float(value[i]), ai * _s(bi)) <= FLOAT64_ULPS, (a[i], b[i])
        assert ulp_error(float(grad[i]), _s(bi)) <= FLOAT64_ULPS, (a[i], b[i])
        assert ulp_error(float(grad[a.size + i]), ai * _ds(bi)) <= FLOAT64_ULPS, (a[i], b[i])


def test_glu_halves_the_axis_and_keeps_dtype():
    x = np.arange(24.0).reshape(2, 3, 4).astype(np.float32) / 10
    assert act.glu(x).shape == (2, 3, 2) and act.glu(x).dtype == np.float32
    assert act.glu(x, axis=0).shape == (1, 3, 4) and act.glu_grad(x, axis=0).shape == x.shape
    np.testing.assert_array_equal(act.glu(x, axis=-1), act.glu(x, axis=2))
    np.testing.assert_allclose(act.glu(x, axis=0), x[:1] * act.sigmoid(x[1:]), rtol=1e-6)
    assert act.glu([1, 2]).dtype == np.float64 and act.glu(np.zeros((3, 0))).shape == (3, 0)
    assert act.glu(np.array([1.0, 0.0])) == np.array([0.5])  # an array, never a scalar


def test_glu_at_the_edges_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            value = act.glu(
                np.array(
                    [
                        [np.inf, 0.0],
                        [np.inf, -np.inf],
                        [3.0, -np.inf],
                        [-np.inf, -800.0],
                        [1e308, 1e308],
                        [np.nan, 1.0],
                    ]
                )
            )
            act.glu_grad(np.array([[np.inf, -np.inf], [1e308, -1e308], [np.nan, 0.0]]))
    np.testing.assert_array_equal(value[:5, 0], [np.inf, np.nan, 0.0, -np.inf, 1e308])
    assert np.isnan(value[5, 0])


def test_glu_grad_is_the_vector_jacobian_product():
    rng = np.random.default_rng(12)
    x, g = rng.normal(0, 2, (3, 8)), rng.normal(0, 1, (3, 4))
    loss = lambda v: float(np.sum(g * act.glu(v.reshape(3, 8))))  # noqa: E731
    numerical = numerical_gradient(loss, x.ravel().copy()).reshape(3, 8)
    np.testing.assert_allclose(act.glu_grad(x, upstream=g), numerical, rtol=1e-6, atol=1e-8)
    np.testing.assert_array_equal(act.glu_grad(x), act.glu_grad(x, upstream=np.ones((3, 4))))


@pytest.mark.parametrize("call, error, message", [
    (lambda: act.glu(np.ones(3)), ValueError, (r"x: expected an even length along axis 0 .*got "
                                               r"length 3")),
    (lambda: act.glu(np.ones((2, 5)), axis=1), ValueError, "even length along axis 1"),
    (lambda: act.glu(2.0), ValueError, "expected at least one axis"),
    (lambda: act.glu(np.ones(4), axis=1), ValueError, r"axis: expected an int in \[-1, 0\]"),
    (lambda: act.glu(np.ones(4), axis="last"), TypeError, "axis: expected an int, got str"),
    (lambda: act.glu("1.0"), TypeError, "expected real numbers"),
    (lambda: act.glu_grad(np.ones(4), upstream=np.ones(4)), ValueError,
     r"upstream: expected the output's shape \(2,\), got \(4,\)"),
])
def test_glu_bad_input_raises(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_glu_never_modifies_its_input():
    x, g = np.array([[1.0, -2.0, 3.0, np.inf]]), np.array([[2.0, 3.0]])
    before = x.copy(), g.copy()
    act.glu(x), act.glu_grad(x, upstream=g)
    np.testing.assert_array_equal(x, before[0]) and np.testing.assert_array_equal(g, before[1])


def test_glu_matches_keras_values_and_gradient_tape(keras):
    from course_lib._keras import load_tensorflow

    tf = load_tensorflow()
    x = np.random.default_rng(14).normal(0, 4, (64, 10)).astype(np.float32)
    assert keras_gap(act.glu(x), np.asarray(keras.activations.glu(x))) < KERAS_TOLERANCE
    g = np.random.default_rng(15).normal(0, 1, (64, 5)).astype(np.float32)
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        y = keras.activations.glu(xt)
    theirs = tape.gradient(y, xt, output_gradients=tf.constant(g)).numpy()
    assert keras_gap(act.glu_grad(x, upstream=g), theirs) < KERAS_TOLERANCE
    assert keras_gap(act.glu_grad(x), tape_derivative(keras.activations.glu, x)) < KERAS_TOLERANCE
