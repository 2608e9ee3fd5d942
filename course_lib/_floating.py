"""Floating-point machinery behind course_lib.activations: exact sums and products.

NumPy has no fused multiply-add and no double-double type, so these helpers carry
a value as hi + lo (two floats whose sum holds about 32 digits) where one rounding
would cost the activations their last digits:

* `double_double`: a decimal constant as hi + lo;
* `two_sum`, `two_product` (with Dekker's `split`): a + b and a * b as s + e exactly;
* `times`, `times_exp`: products that must not become nan, or be rounded twice in the
  subnormal range;
* `where_positive`: a branch on x > 0 that keeps nan;
* `near_zero`: a derivative recomputed, near its zero, as the integral of the second
  derivative (nothing left to cancel);
* `recompute_where`: a fast formula fixed up where an accurate one is needed.

Private: the course's notebooks use course_lib.activations, never this module.
"""

import functools
import math
from decimal import Decimal

import numpy as np

_EXP_MINUS_700 = math.exp(-700.0)


def double_double(digits):
    """A decimal constant as hi + lo: two floats whose sum carries about 32 digits."""
    exact = Decimal(digits)
    hi = float(exact)
    return hi, float(exact - Decimal(hi))


def times(x, gate):
    """x * gate, with the limit 0 (not nan) where the gate is 0 and x is infinite; nan stays nan."""
    x_times_zero = np.where(np.isnan(x), x, np.copysign(0.0, x))
    product = np.broadcast_to(x_times_zero, np.broadcast(x, gate).shape).copy()
    return np.multiply(x, gate, out=product, where=gate != 0)


def times_exp(factor, v):
    """factor * e^v, rounded only once into the subnormal range.

    Where e^v would be subnormal (v < -700) it is computed as e^(v + 700) e^-700:
    v + 700 is exact, and the few digits a subnormal e^v keeps are never
    multiplied up by a large factor (x e^x at x = -740 would be 370 ulp off).
    """
    tail = v < -700
    return times(factor, np.exp(np.where(tail, v + 700, v))) * np.where(tail, _EXP_MINUS_700, 1.0)


def two_sum(a, b):
    """a + b as s + e exactly (Knuth)."""
    s = a + b
    b_part = s - a
    return s, (a - (s - b_part)) + (b - b_part)


def split(a):
    """a = hi + lo with hi holding the top 26 bits (Dekker); fine for |a| < 1e290."""
    c = 134217729.0 * a  # 2^27 + 1
    hi = c - (c - a)
    return hi, a - hi


def two_product(a, b):
    """a * b as p + e exactly (Dekker's product, NumPy having no fused multiply-add)."""
    p = a * b
    a_hi, a_lo = split(a)
    b_hi, b_lo = split(b)
    return p, ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo


def where_positive(x, positive, otherwise):
    """`positive` where x > 0, `otherwise` where x <= 0, nan where x is nan."""
    return np.where(x > 0, positive, np.where(np.isnan(x), x, otherwise))



# ---------------------------------------------------------------------------
# Near the zero of a derivative.
#
# silu', mish' and both gelu' are a sum of two terms that cancel at one negative
# x (where the activation has its minimum). Near there, a 1-ulp error in either
# term is a large relative error in the sum. But f'(x) = integral of f'' from the
# zero r to x, and f'' has one sign there, so a Gauss-Legendre sum of it has
# nothing to cancel. r is carried as hi + lo so that x - r is exact. Each window is
# where the integral measured more accurate than the direct formula
# (tools/accuracy_report.py); outside it the direct formula is within a few ulp.
# f'' is analytic and the windows are short, so 8 to 10 nodes reach full precision
# (the rule's error falls like rho^(-2 nodes), rho > 8 here).


@functools.lru_cache(maxsize=None)
def _gauss_legendre(nodes):
    return np.polynomial.legendre.leggauss(nodes)


def integral_from_zero(x, zero, second_derivative, nodes=16):
    """f'(x) as the integral of f'' from f's zero `zero` = (hi, lo) to x (one node at a time,
    so that the temporaries stay small)."""
    points, weights = _gauss_legendre(nodes)
    hi, lo = zero
    half = 0.5 * ((x - hi) - lo)
    total = np.zeros_like(x)
    for point, weight in zip(points, weights):
        total += weight * second_derivative(hi + half * (1 + point))
    return half * total


def near_zero(x, derivative, zero, window, second_derivative, nodes=16):
    """`derivative` (a new array over x), recomputed by integration where x is inside `window`.
    (Integer indices throughout: NumPy's boolean-mask indexing is slower.)"""
    inside = np.flatnonzero((x > window[0]) & (x < window[1]))
    if inside.size:
        np.put(derivative, inside, integral_from_zero(x.take(inside), zero, second_derivative,
                                                      nodes))
    return derivative


def recompute_where(y, care, careful, x, *parameters):
    """y, with careful(x, *parameters) where `care` is True: a fast formula, fixed up only on
    the few elements (extreme or special inputs) where it is not accurate."""
    if care.any():
        y[care] = careful(x[care], *parameters)
    return y


def by_region(x, fast_region, fast, careful):
    """fast(x) where `fast_region` is True and careful(x) elsewhere, each on its own elements."""
    if fast_region.all():
        return fast(x)
    y = np.empty_like(x)
    inside = np.flatnonzero(fast_region)
    outside = np.flatnonzero(~fast_region)
    np.put(y, inside, fast(x.take(inside)))
    np.put(y, outside, careful(x.take(outside)))
    return y
