"""Tests of course_lib.activations: values against a 50-digit mpmath reference, special
values, identities (hypothesis), finite differences, Keras parity, dtypes, errors, registry.
"""

import math
import re
import warnings

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import activations as act

mp = mpmath.mp.clone() if hasattr(mpmath.mp, "clone") else mpmath.mp
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


def library_pair(name):
    """(function, derivative, parameters) from course_lib for a REFERENCE key."""
    registry_name = "gelu" if name == "gelu_tanh" else name
    entry = act.get(registry_name)
    return entry.function, entry.derivative, REFERENCE[name][2]


def ulp_error(got, exact):
    """|got - exact| in units of the last place of the float64 nearest to `exact`."""
    nearest = float(exact) if abs(exact) <= mp.mpf(np.finfo(np.float64).max) else math.copysign(math.inf, exact)
    if math.isinf(nearest) or math.isinf(got):
        return 0.0 if got == nearest else math.inf
    if exact == 0:
        return 0.0 if got == 0 else abs(got) / math.ulp(0.0)
    return float(abs(mp.mpf(got) - exact) / math.ulp(abs(nearest)))


def max_ulp_error(function, reference, x, parameters):
    """Largest ulp error of function(x) against reference over the float64 points x, and where."""
    got = np.asarray(function(x, **parameters), dtype=np.float64)
    errors = [ulp_error(float(g), reference(mp.mpf(float(xi)))) for g, xi in zip(got, x)]
    worst = int(np.argmax(errors))
    return errors[worst], float(x[worst])
