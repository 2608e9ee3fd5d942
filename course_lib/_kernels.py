"""The stable kernels behind course_lib.activations: each formula on float64 arrays.

A kernel takes a read-only float64 array of at least one dimension (already validated;
see `_validation.elementwise`) and returns a new float64 array: the activation or its
derivative, written so that nothing overflows, cancels or is rounded twice (see each
docstring and the comment above each group). The public functions, with their
documentation, are in course_lib.activations.

Two layers, for speed (tools/bench_lib.py times them against the plain NumPy/SciPy
formulas): the `_careful_*` kernels and the `*_parts` functions hold every element to a
few ulp over the whole float range, at the price of many array passes; the kernels the
public functions call compute the cheap formula in place wherever it is accurate to the
same bound (measured: tools/accuracy_report.py) and hand only the rest (extreme inputs,
nan, the neighbourhood of a derivative's zero) to the careful forms.
"""

import functools
import math

import numpy as np

from scipy import special

from course_lib._floating import (by_region, double_double, near_zero, recompute_where, times,
                                  times_exp, two_product, two_sum, where_positive)

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946  # lambda in Klambauer et al. (2017)
GELU_TANH_COEFFICIENT = 0.044715  # the cubic term of GELU's tanh approximation

_SQRT_HALF = math.sqrt(0.5)
_ONE_OVER_SQRT_2PI = 1 / math.sqrt(2 * math.pi)
_GELU_TANH_SCALE = double_double("1.5957691216057307117597842397375274739")  # 2 sqrt(2/pi)
_GELU_TANH_CUBIC = double_double("0.044715")
_GELU_TANH_CUBIC_3 = double_double("0.134145")  # 3 * 0.044715, for x v'
_erfc = np.frompyfunc(math.erfc, 1, 1)  # NumPy has no erfc; the C library's is within about 2.3 ulp


# ---------------------------------------------------------------------------
# The formulas, on float64 arrays. The public functions in activations.py validate and cast.
#
# Written with w = e^-|x| <= 1, so exp never overflows: sigma(x) = e^min(x,0) / (1 + w)
# and sigma(-x) = e^-max(x,0) / (1 + w); the e^min(x,0) factor goes through times_exp.

def _careful_sigmoid(x):
    return times_exp(1 / (1 + np.exp(-np.abs(x))), np.minimum(x, 0))


def _careful_sigmoid_grad(x, scale=1.0):
    """scale * sigma'(x) = scale e^-|x| / (1 + e^-|x|)^2."""
    x = np.minimum(np.abs(x), 1e3)  # beyond, the answer underflowed long ago
    return times_exp(scale / (1 + np.exp(-x)) ** 2, -x)


def _careful_tanh_grad(x):
    # sech^2 x = 4 sigma'(2x)
    return _careful_sigmoid_grad(2 * np.minimum(np.abs(x), 1e3), scale=4.0)


def _careful_leaky(x, alpha):
    with np.errstate(over="ignore"):  # alpha * x beyond the float range is -inf, correctly
        return np.where(x > 0, x, times(x, alpha))  # alpha = 0 at x = -inf gives 0, not nan


def leaky_grad(x, alpha):
    return with_nan(np.where(x > 0, 1.0, alpha), x)


def elu(x, alpha):
    e = np.minimum(x, 0.0)
    np.expm1(e, out=e)
    e *= alpha
    return np.where(x > 0, x, e)


def _careful_elu_grad(x, alpha):
    return np.where(x > 0, 1.0, times_exp(alpha, np.minimum(x, 0)))


def selu(x):
    y = elu(x, SELU_ALPHA)
    with np.errstate(over="ignore"):  # scale * x beyond the float range is +inf, correctly
        y *= SELU_SCALE
    return y


def selu_grad(x):
    y = elu_grad(x, SELU_SCALE * SELU_ALPHA)
    y[x >= 0] = SELU_SCALE  # x = 0 takes the right slope
    return y


def gaussian(x, factor):
    """factor * e^(-x^2/2), with x^2 kept as p + p_lo: rounding x^2 alone would put an
    error of x^2/2 ulp into the exponential (700 ulp at x = -37)."""
    x = np.minimum(np.abs(x), 1e3)  # beyond, e^(-x^2/2) is 0
    p, p_lo = two_product(x, x)
    return times_exp(factor * (1 - 0.5 * p_lo), -0.5 * p)


def mills_ratio(t):
    """Mills' ratio Phi(-t) / phi(t) for t >= 37, from its asymptotic series
    (1/t) (1 - 1/t^2 + 3/t^4 - 15/t^6 + ...), whose error is below 1e-18 there."""
    u = 1 / (t * t)
    series = np.ones_like(t)
    for k in range(9, 0, -1):
        series = 1 - (2 * k - 1) * u * series
    return series / t


def normal_cdf_and_pdf(x):
    """(Phi(x) as hi + lo, phi(x)) for -37 <= x <= 1e3.

    Phi(x) = erfc(z)/2 with z = -x/sqrt2, but z is rounded, and erfc(z) is sensitive to
    its argument (a 1-ulp change in z moves erfc(20) by 800 ulp). erfc(z) = e^(-z^2) erfcx(z)
    where erfcx is not sensitive, so erfc(exact z) = erfc(z) e^(z^2 - x^2/2), with the
    tiny exponent computed from exact products; Phi's lo part is Phi times that exponent.
    """
    z = -_SQRT_HALF * x
    zz, zz_lo = two_product(z, z)
    xx, xx_lo = two_product(x, x)
    cdf = 0.5 * np.asarray(_erfc(z), dtype=np.float64)
    cdf_lo = np.where(x < 0, cdf * ((zz - 0.5 * xx) + (zz_lo - 0.5 * xx_lo)), 0.0)
    return cdf, cdf_lo, gaussian(x, _ONE_OVER_SQRT_2PI)


def gelu_exact_parts(x):
    """(gelu(x), gelu'(x)); for x < -37 from the Mills ratio, as e^(-x^2/2) times a
    factor near 1, so that subnormal results are rounded once."""
    cdf, cdf_lo, pdf = normal_cdf_and_pdf(np.clip(x, -37.0, 1e3))  # above 1e3: Phi = 1, phi = 0
    t = np.clip(-x, 37.0, 1e3)  # below -1e3 both results are 0
    mills = mills_ratio(t)
    tail = x < -37
    value = np.where(tail, gaussian(t, -t * mills * _ONE_OVER_SQRT_2PI), x * cdf + times(x, cdf_lo))
    slope = np.where(
        tail, gaussian(t, (mills - t) * _ONE_OVER_SQRT_2PI), cdf + (cdf_lo + times(x, pdf))
    )
    return value, slope


def gelu_exact_second(u):
    return gaussian(u, (2 - u * u) * _ONE_OVER_SQRT_2PI)


_GELU_ZERO = double_double("-0.75179152469356445745790494677952404")  # of gelu'


def _careful_gelu_exact(x):
    return gelu_exact_parts(x)[0]


def _careful_gelu_exact_grad(x):
    return gelu_exact_parts(x)[1]


def gelu_tanh_cubic(x, c):
    """2 sqrt(2/pi) x (1 + c x^2) as hi + lo, for the double-double constant c = (c, c_lo).

    With c = 0.044715 this is v, the argument of sigma in the tanh form (v/2 that of tanh);
    with 3c it is x v'. |v| reaches 745, where rounding it alone would cost 1000 ulp in e^v.
    """
    x = np.clip(x, -1e5, 1e5)  # beyond, sigma(v) is exactly 0 or 1
    (k, k_lo), (c, c_lo) = _GELU_TANH_SCALE, c
    xx, xx_lo = two_product(x, x)
    cxx, cxx_lo = two_product(c, xx)
    s, s_lo = two_sum(1.0, cxx)
    m, m_lo = two_product(x, s)
    m_lo += x * (s_lo + cxx_lo + c * xx_lo + c_lo * xx)
    hi, lo = two_product(k, m)
    return hi, lo + k * m_lo + k_lo * m


def gated(x, v, v_lo, x_dv, x_dv_lo):
    """(x sigma(v), d/dx x sigma(v)) for v(x) = v + v_lo, x v'(x) = x_dv + x_dv_lo: silu (v = x)
    and the tanh GELU.

    With w = e^-|v|, sigma(v) = e^min(v,0) / (1 + w) and the derivative
    sigma(v) (1 + x v' sigma(-v)) is e^v ((1 + x v') + w) / (1 + w)^2 for v <= 0 and
    (1 + w + x v' w) / (1 + w)^2 for v > 0: the only cancellation left is at its zero.
    v_lo enters as sigma(v + v_lo) = sigma(v) (1 + sigma(-v) v_lo).
    """
    w = np.exp(-np.abs(v))
    positive = v > 0
    # sigma(v + v_lo) / e^min(v,0)
    factor = (1 + np.where(positive, w, 1.0) / (1 + w) * v_lo) / (1 + w)
    numerator = np.where(positive, 1 + w + times(x_dv, w), (1 + x_dv) + (x_dv_lo + w))
    head = np.minimum(v, 0)
    return times_exp(x * factor, head), times_exp(factor / (1 + w) * numerator, head)


def gelu_tanh_parts(x):
    x = np.maximum(x, -1e5)  # below, both results are 0
    return gated(x, *gelu_tanh_cubic(x, _GELU_TANH_CUBIC), *gelu_tanh_cubic(x, _GELU_TANH_CUBIC_3))


def _careful_gelu_tanh(x):
    return gelu_tanh_parts(x)[0]


def _careful_gelu_tanh_grad(x):
    return gelu_tanh_parts(x)[1]


def _gelu_tanh_v(x):
    """v = 2 sqrt(2/pi) x (1 + 0.044715 x^2), plainly rounded (fine where v >= 0)."""
    v = x * x
    v *= GELU_TANH_COEFFICIENT
    v += 1
    v *= x
    v *= _GELU_TANH_SCALE[0]
    return v


def _gelu_tanh_positive(x):
    """x sigma(v) for 0 <= x <= 1e5: sigma(v) barely depends on v's last digits there."""
    y = special.expit(_gelu_tanh_v(x))
    y *= x
    return y


def _gelu_tanh_grad_positive(x):
    """(1 + w + x v' w) / (1 + w)^2, w = e^-v, x v' = 2 sqrt(2/pi) x (1 + 3 0.044715 x^2), for
    0 <= x <= 1e5: positive terms only."""
    w = _gelu_tanh_v(x)
    np.negative(w, out=w)
    np.exp(w, out=w)
    x_dv = x * x
    x_dv *= 3 * GELU_TANH_COEFFICIENT
    x_dv += 1
    x_dv *= x
    x_dv *= _GELU_TANH_SCALE[0]
    x_dv *= w
    x_dv += 1
    x_dv += w
    w += 1
    w *= w
    x_dv /= w
    return x_dv


def _gelu_tanh_fast_region(x):
    return (x >= 0) & (x <= 1e5)


def gelu_tanh(x):
    """x sigma(v): plainly for x >= 0, with v carried to 32 digits (gelu_tanh_parts) below."""
    return by_region(x, _gelu_tanh_fast_region(x), _gelu_tanh_positive, _careful_gelu_tanh)


def gelu_tanh_second(u):
    k, c = _GELU_TANH_SCALE[0], GELU_TANH_COEFFICIENT
    v = k * u * (1 + c * u * u)
    dv = k * (1 + 3 * c * u * u)
    return sigmoid_grad(v) * (2 * dv + u * ((1 - 2 * sigmoid(v)) * dv * dv + 6 * k * c * u))


_GELU_TANH_ZERO = double_double("-0.75246142207101625848795444328891609")  # of gelu' (tanh form)


def gelu_tanh_grad(x):
    y = by_region(x, _gelu_tanh_fast_region(x), _gelu_tanh_grad_positive, _careful_gelu_tanh_grad)
    return near_zero(x, y, _GELU_TANH_ZERO, (-0.95, -0.6), gelu_tanh_second, 12)


def silu_parts(x):
    return gated(x, x, 0.0, x, 0.0)  # v = x, x v' = x


def _careful_silu(x):
    return silu_parts(x)[0]


def silu_second(u):
    return sigmoid_grad(u) * (2 - u * np.tanh(u / 2))


_SILU_ZERO = double_double("-1.2784645427610737951093587390229802")  # of silu'


def _careful_silu_grad(x):
    return silu_parts(x)[1]


def softplus(x):
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def mish_parts(x):
    """(mish(x), mish'(x)) with g = tanh(softplus x) and g' = sech^2(softplus x) sigma(x) written
    in w = e^-|x|, so nothing overflows and nothing cancels except at the zero of mish':

    x > 0:  g = (1 + 2w) / (1 + 2w + 2w^2),    g' = 4 w^2 (1 + w) / (1 + 2w + 2w^2)^2
    x <= 0: g = e^x (w + 2) / (w^2 + 2w + 2),
            mish' = g + x g' = e^x ((4 + 4x) + w (6 + 4x + w (4 + w))) / (w^2 + 2w + 2)^2
    """
    w = np.exp(-np.abs(x))
    positive = x > 0
    negative_x = np.clip(x, -1e3, 0)  # for the x <= 0 formula; below -1e3, e^x is 0
    d_positive, d_negative = 1 + 2 * w + 2 * w * w, w * w + 2 * w + 2
    g = np.where(positive, (1 + 2 * w) / d_positive, (w + 2) / d_negative)
    slope_positive = g + times(x, 4 * w * w * (1 + w) / d_positive ** 2)
    slope_negative = ((4 + 4 * negative_x) + w * (6 + 4 * negative_x + w * (4 + w))) / d_negative**2
    head = np.minimum(x, 0)
    return times_exp(x * g, head), times_exp(
        np.where(positive, slope_positive, slope_negative), head
    )


def _careful_mish(x):
    return mish_parts(x)[0]


def mish_second(u):
    g = np.tanh(softplus(u))
    sig = sigmoid(u)
    dg = (1 - g * g) * sig
    return dg * (2 + u * (1 - sig - 2 * g * sig))


_MISH_ZERO = double_double("-1.1924312145154952121375883404207394")  # of mish'


def _careful_mish_grad(x):
    return mish_parts(x)[1]


# ---------------------------------------------------------------------------
# The rest of Keras' activations (issue 13): each formula on float64 arrays, kept apart from
# the kernels above. A branch on a comparison would turn nan into one of its sides, so each
# piecewise formula goes through `keep_nan`.

from fractions import Fraction  # noqa: E402  (only the kernels below use these)

from course_lib._floating import integral_from_zero  # noqa: E402

def keep_nan(x, y):
    """y, with nan wherever x is nan."""
    return np.where(np.isnan(x), x, y)


def exact_quotient(x, alpha):
    """x / alpha as hi + lo: hi = fl(x / alpha), lo the rest (x - hi alpha is exact, Dekker).
    lo is left 0 where |hi| >= 1e4 (e^hi is 0 there) or alpha > 1e280 (Dekker's split overflows)."""
    hi = x / alpha
    needed = (np.abs(hi) < 1e4) & (alpha < 1e280)
    p, p_lo = two_product(np.where(needed, hi, 0.0), np.where(needed, alpha, 0.0))
    return hi, np.where(needed, ((np.where(needed, x, 0.0) - p) - p_lo) / alpha, 0.0)


def expm1_over(u):
    """(e^u - 1) / u, 1 at u = 0: near 0 it is 1 + u/2, whatever the last digits of u."""
    safe = np.where(u == 0, 1.0, u)
    return np.where(u == 0, 1.0, np.expm1(safe) / safe)


def power_of_two(alpha):
    """Whether x / alpha is exact for every x whose quotient is a normal number."""
    return math.frexp(alpha)[0] == 0.5


def celu(x, alpha):
    """alpha (e^(x/alpha) - 1) for x <= 0. Where alpha is a power of 2 (the default 1), x/alpha is
    exact unless it is subnormal, where the answer is x itself. Otherwise the result is
    x (e^u - 1)/u for -1 <= u = x/alpha <= 0, which keeps subnormal x (and a u that underflowed)
    exact, and below that it comes from u = hi + lo, adding the term e^hi lo that rounding u alone
    would lose."""
    negative = np.minimum(x, 0)
    with np.errstate(over="ignore"):  # x / alpha below -1.8e308 is -inf: e^-inf - 1 = -1
        if power_of_two(alpha):
            u = negative / alpha
            result = np.where(u > -1e-300, negative, alpha * np.expm1(u))
        else:
            u, u_lo = exact_quotient(negative, alpha)
            far = alpha * (np.expm1(u) + np.exp(u) * u_lo)
            result = np.where(u < -1, far, negative * expm1_over(np.maximum(u, -1.0)))
    return np.where(x > 0, x, result)


def celu_grad(x, alpha):
    """e^(x/alpha) for x <= 0, with x/alpha carried as hi + lo unless alpha is a power of 2: at
    x/alpha = -700, rounding it alone would cost 350 ulp."""
    negative = np.minimum(x, 0)
    with np.errstate(over="ignore"):
        if power_of_two(alpha):
            slope = np.exp(negative / alpha)
        else:
            u, u_lo = exact_quotient(negative, alpha)
            slope = times_exp(1 + u_lo, np.maximum(u, -1e4))
    return np.where(x > 0, 1.0, slope)


def exponential(x):
    with np.errstate(over="ignore"):  # e^x beyond the float range is +inf, correctly
        return np.exp(x)


def hard_shrink(x, threshold):
    return keep_nan(x, np.where(np.abs(x) > threshold, x, 0.0))


def shrink_grad(x, threshold):
    """Slope 1 where |x| > threshold, 0 elsewhere (hard and soft shrink; 0 at |x| = threshold)."""
    return keep_nan(x, np.where(np.abs(x) > threshold, 1.0, 0.0))


def soft_shrink(x, threshold):
    return keep_nan(
        x, np.where(x > threshold, x - threshold, np.where(x < -threshold, x + threshold, 0.0))
    )


def hard_sigmoid(x):
    return np.clip(x + 3, 0.0, 6.0) / 6  # x + 3 is exact near -3, where the result is small


def hard_sigmoid_grad(x):
    return keep_nan(x, np.where((x > -3) & (x < 3), 1 / 6, 0.0))


def hard_silu(x):
    clipped = np.clip(x, -3.0, 3.0)  # so that -inf * 0 and 6 * 1e308 are never formed
    return np.where(x >= 3, x, clipped * (clipped + 3) / 6)


def hard_silu_grad(x):
    return keep_nan(
        x, np.where(x >= 3, 1.0, np.where(x > -3, (2 * np.clip(x, -3.0, 3.0) + 3) / 6, 0.0))
    )


def hard_tanh(x):
    return np.clip(x, -1.0, 1.0)


def hard_tanh_grad(x):
    return keep_nan(x, np.where(np.abs(x) <= 1, 1.0, 0.0))


def log_sigmoid(x):
    return -softplus(-x)


def log_sigmoid_grad(x):
    return sigmoid(-x)


def softsign(x):
    finite = np.where(np.isinf(x), 0.0, x)
    return np.where(np.isinf(x), np.sign(x), finite / (1 + np.abs(finite)))


def softsign_grad(x):
    """1 / (1 + |x|)^2 as a square of 1 / (1 + |x|), which cannot overflow; 1 + |x| is carried
    as hi + lo, so that its rounding (doubled by the square) does not reach the result."""
    hi, lo = two_sum(1.0, np.minimum(np.abs(x), 1e300))  # beyond 1e162 the answer is 0
    r = 1 / hi
    return r * (r * (1 - 2 * lo * r))


def sparse_plus(x):
    """(x + 1)^2 / 4 on (-1, 1), with x + 1 = s + e exactly, so that its rounding (doubled by the
    square) does not reach the result: (s + e)^2 = s^2 + 2 s e to the last bit."""
    s, e = two_sum(np.clip(x, -1.0, 1.0), 1.0)
    middle = 0.25 * (s * s + 2 * s * e)
    return keep_nan(x, np.where(x >= 1, x, np.where(x > -1, middle, 0.0)))


def sparse_plus_grad(x):
    return keep_nan(
        x, np.where(x >= 1, 1.0, np.where(x > -1, 0.5 * (np.clip(x, -1.0, 1.0) + 1), 0.0))
    )


def sparse_sigmoid(x):
    return 0.5 * (np.clip(x, -1.0, 1.0) + 1)


def sparse_sigmoid_grad(x):
    return keep_nan(x, np.where(np.abs(x) < 1, 0.5, 0.0))


def squareplus_parts(x, b):
    """(squareplus(x), sqrt(x^2 + b)). sqrt(x^2 + b) is hypot(x, sqrt b), which cannot overflow;
    for x < 0, (x + h)/2 cancels and is computed as (b/4) / ((h - x)/2), which does not."""
    if 1e-200 < b < 1e300:  # then x^2 may underflow only next to b, and beyond |x| = 1e150, h = |x|
        moderate = np.minimum(np.abs(x), 1e150)
        square, square_lo = two_product(moderate, moderate)
        total, total_lo = two_sum(square, b)
        root = np.sqrt(total)
        root_squared, root_squared_lo = two_product(root, root)
        residual = ((total - root_squared) - root_squared_lo) + (total_lo + square_lo)
        root = root + residual / (2 * root)  # one Newton step on x^2 + b carried exactly: 0.5 ulp
        h = np.where(np.abs(x) < 1e150, root, np.abs(x))
    else:
        h = np.hypot(x, math.sqrt(b))
    q = 0.5 * h - 0.5 * np.minimum(x, 0)
    below = 0.25 * b / np.where(q > 0, q, 1.0)
    positive = np.minimum(np.maximum(x, 0), 1e300)
    # (x + h)/2 keeps a subnormal x; halving first keeps x + h from overflowing
    above = np.where(
        x < 1e300, (positive + np.minimum(h, 1e300)) * 0.5, 0.5 * np.maximum(x, 0) + 0.5 * h
    )
    return keep_nan(x, np.where(x >= 0, above, below)), h


def squareplus(x, b):
    return squareplus_parts(x, b)[0]


def squareplus_grad(x, b):
    """(1 + x / h) / 2 = squareplus(x) / h, which has nothing to cancel for x < 0."""
    value, h = squareplus_parts(np.where(np.isinf(x), 0.0, x), b)
    slope = value / np.where(h > 0, h, 1.0)
    slope = np.where(h > 0, slope, 0.5)  # b = 0, x = 0: the mean of the two slopes of relu
    return keep_nan(x, np.where(np.isinf(x), np.where(x > 0, 1.0, 0.0), slope))


def tanh_shrink_series(terms):
    """Coefficients of x - tanh x = x^3/3 - 2x^5/15 + 17x^7/315 - ... in powers of u = x^2, after
    the factor x^3: from tanh' = 1 - tanh^2, tanh = sum a_k x^(2k+1) with a_0 = 1 and
    a_k = -(1 / (2k + 1)) sum_{j<k} a_j a_(k-1-j), computed exactly (fractions) and rounded once."""
    a = [Fraction(1)]
    for k in range(1, terms + 1):
        a.append(-sum(a[j] * a[k - 1 - j] for j in range(k)) / (2 * k + 1))
    return [float(-coefficient) for coefficient in a[1:]]


_TANH_SHRINK_COEFFICIENTS = tanh_shrink_series(48)  # for |x| < 1 the 48th term is below 1e-18
# The series below |x| = 1, in three bands, each with the terms it needs: (upper end, terms)
_TANH_SHRINK_BANDS = ((0.25, 12), (0.5, 19), (1.0, 48))
_TANH_SHRINK_INTEGRAL = 1.5  # below, x - tanh x would lose more than 2 bits to cancellation


def tanh_squared(u):
    return np.tanh(u) ** 2


def tanh_shrink(x):
    """x - tanh x, which cancels for small |x|: below |x| = 1 its Taylor series in u = x^2 (terms
    alternate, but the largest is 1.6 times the sum), from 1 to 1.5 the integral of its derivative
    tanh^2 from 0 (a sum of positive terms)."""
    result = np.array(x - np.tanh(x), dtype=np.float64)
    magnitude = np.abs(x)
    lower = 0.0
    for upper, terms in _TANH_SHRINK_BANDS:
        band = (magnitude >= lower) & (magnitude < upper)
        xs = x[band]
        u = xs * xs
        series = np.zeros_like(u)
        for coefficient in reversed(_TANH_SHRINK_COEFFICIENTS[:terms]):
            series = series * u + coefficient
        result[band] = xs * (u * series)
        lower = upper
    middle = (magnitude >= lower) & (magnitude < _TANH_SHRINK_INTEGRAL)
    result[middle] = integral_from_zero(x[middle], (0.0, 0.0), tanh_squared)
    return result


def tanh_shrink_grad(x):
    return np.tanh(x) ** 2


def threshold(x, threshold, default_value):
    return keep_nan(x, np.where(x > threshold, x, default_value))


def threshold_grad(x, threshold):
    return keep_nan(x, np.where(x > threshold, 1.0, 0.0))


def glu(a, b):
    """a sigma(b) for the halves a, b, as (a / (1 + w)) e^min(b, 0) with w = e^-|b| (sigmoid's
    form), rounded once into the subnormal range. An infinite a times a positive sigma(b) stays
    infinite; a = +-inf with b = -inf has no limit: nan."""
    value = times_exp(a / (1 + np.exp(-np.abs(b))), np.minimum(b, 0))
    infinite = np.isinf(a)
    return np.where(infinite, np.where(b == -np.inf, np.nan, a), value)


def glu_slopes(a, b):
    """(d glu / d a, d glu / d b) = (sigma(b), a sigma(b) sigma(-b)), with the same infinities."""
    infinite = np.isinf(a)
    gate_slope = _careful_sigmoid_grad(b, scale=np.where(infinite, 1.0, a))
    return sigmoid(b), np.where(infinite, np.where(np.isinf(b), np.nan, a), gate_slope)
# ---------------------------------------------------------------------------
# The fast kernels: the plain formula (SciPy's expit where there is a sigmoid) wherever it
# is accurate, computed in place; the careful forms above only on the few elements that
# need them (extreme inputs), found with one comparison; and near the zero of a
# derivative, the series of _floating.SlopeNearZero.


def with_nan(y, x):
    """y with nan where x is nan (a comparison such as x > 0 turns nan into False). The
    maximum of x, nan exactly when some x is nan, spares the search otherwise."""
    if x.size and np.isnan(np.max(x)):
        nan = np.isnan(x)
        y[nan] = np.nan
    return y


def linear_grad(x):
    return with_nan(np.ones_like(x), x)


def relu_grad(x):
    return with_nan((x > 0).astype(np.float64), x)


def relu6_grad(x):
    return with_nan(((x > 0) & (x < 6)).astype(np.float64), x)


def leaky(x, alpha):
    """max(x, alpha x) for a scalar 0 < alpha <= 1 (alpha x >= x exactly where x <= 0)."""
    if np.ndim(alpha) == 0 and 0 < alpha <= 1:
        return np.maximum(x, x * alpha)
    return _careful_leaky(x, alpha)


def sigmoid(x):
    """1 / (1 + w) for x >= 0 and w / (1 + w) for x < 0, w = e^-|x| (the same roundings as
    _careful_sigmoid, so the same bits); that one below x = -700, where w is subnormal."""
    w = np.abs(x)
    np.negative(w, out=w)
    np.exp(w, out=w)
    y = w + 1
    np.reciprocal(y, out=y)
    w *= y
    np.copyto(y, w, where=x < 0)
    return recompute_where(y, x < -700, _careful_sigmoid, x)


def sigmoid_grad(x):
    """a (1 - a) with a = sigma(-|x|) <= 1/2, so 1 - a loses nothing."""
    a = np.abs(x)
    tail = a > 700
    np.negative(a, out=a)
    special.expit(a, out=a)
    y = 1 - a
    y *= a
    return recompute_where(y, tail, _careful_sigmoid_grad, x)


def tanh_grad(x):
    """1 / cosh(x)^2, which has nothing to cancel; where cosh(x)^2 overflows (|x| > 355), the
    careful form (and nan stays nan)."""
    with np.errstate(over="ignore"):
        y = np.cosh(x)
        y *= y
    np.reciprocal(y, out=y)
    return recompute_where(y, y < 1e-300, _careful_tanh_grad, x)


def elu_grad(x, alpha):
    e = np.minimum(x, 0.0)
    np.exp(e, out=e)
    e *= alpha
    y = np.where(x > 0, 1.0, e)
    return recompute_where(y, x < -700, _careful_elu_grad, x, alpha)


def silu(x):
    y = special.expit(x)
    with np.errstate(invalid="ignore"):  # -inf * 0, recomputed below
        y *= x
    return recompute_where(y, x < -700, _careful_silu, x)


def silu_grad(x):
    """sigma(x) N / (1 + w) with w = e^-|x|: N = 1 + w (1 + x) for x > 0 and (1 + x) + w for
    x <= 0 (sigma(-x) (1 + w) is w or 1), so the terms cancel only near the zero (see gated)."""
    w = np.abs(x)
    tail = w > 700
    np.negative(w, out=w)
    np.exp(w, out=w)
    y = 1 + x
    with np.errstate(invalid="ignore"):  # inf * 0, recomputed below
        positive = y * w
        positive += 1  # 1 + w (1 + x)
        y += w  # (1 + x) + w
    np.copyto(y, positive, where=x > 0)
    w += 1
    y /= w
    with np.errstate(over="ignore", invalid="ignore"):  # e^-x = inf below -709: recomputed
        s = np.negative(x)
        np.exp(s, out=s)
        s += 1
        y /= s  # sigma(x) = 1 / (1 + e^-x)
    recompute_where(y, tail, _careful_silu_grad, x)
    return near_zero(x, y, _SILU_ZERO, (-1.45, -1.15), _silu_second, 12)


def _mish_numerator(x):
    """(E = e^x, n = E (E + 2), d = n + 2): tanh(softplus x) = n / d, with nothing to cancel."""
    e = np.exp(x)
    n = e + 2
    n *= e
    return e, n, n + 2


def mish(x):
    """x n / d (see _mish_numerator); the careful form where E^2 overflows or E is subnormal."""
    with np.errstate(over="ignore", invalid="ignore"):
        _, y, d = _mish_numerator(x)
        y /= d
        y *= x
    return recompute_where(y, ~((x > -700) & (x < 300)), _careful_mish, x)


def mish_grad(x):
    """mish' = g + x g', g = n / d, g' = 4 E (E + 1) / d^2 (see _mish_numerator): summed as
    such for x > -0.5 (g dominant), and below in the form of mish_parts,
    E ((4 + 4x) + E (6 + 4x + E (4 + E))) / d^2, whose terms cancel only near the zero,
    where mish' is the integral of mish'' (both forms measured within 5 ulp outside it)."""
    with np.errstate(over="ignore", invalid="ignore"):
        e, n, d = _mish_numerator(x)
        n /= d  # g
        d *= d
        four_x = 4 * x
        slope = e + 1
        slope *= e
        slope *= four_x
        slope /= d
        slope += n  # g + x g'
        y = e + 4
        y *= e
        y += 6
        y += four_x
        y *= e
        y += 4
        y += four_x
        y *= e
        y /= d
        y = np.where(x > -0.5, slope, y)
    recompute_where(y, ~((x > -700) & (x < 150)), _careful_mish_grad, x)
    return near_zero(x, y, _MISH_ZERO, (-1.45, -0.5), _mish_second, 8)


def _gelu_second(u):
    """gelu'' = (2 - u^2) phi(u), for u inside the window (no tails)."""
    return (2 - u * u) * np.exp(-0.5 * u * u) * _ONE_OVER_SQRT_2PI


def _mish_second(u):
    """mish'' = g' (2 + u (1 - s - 2 g s)), g = tanh(softplus u) = n / d, g' = 4 (n + 1) s / d^2,
    s = sigma(u), for u inside the window."""
    e = np.exp(u)
    n = e * (e + 2)
    d = n + 2
    g = n / d
    s = e / (1 + e)
    return 4 * (n + 1) * s / (d * d) * (2 + u * (1 - s - 2 * g * s))


def _silu_second(u):
    """silu'' = s (1 - s) (2 - u (2 s - 1)), s = sigma(u), for u inside the window."""
    s = 1 / (1 + np.exp(-u))
    return s * (1 - s) * (2 - u * (2 * s - 1))


# ---------------------------------------------------------------------------
# The exact GELU: Phi(x) and phi(x), fast.
#
# SciPy's erfc is within 2 ulp for arguments up to 0.5, but further out it rounds z^2
# before e^-z^2 (17 ulp at z = 4.6), and math.erfc, per element, is 15 times slower.
# For -8 <= x <= -0.5, Phi comes from its Taylor series around the nearest multiple x0
# of 1/128: x - x0 is exact, |x - x0| <= 1/256, and the coefficients
# Phi^(j)(x0) / j! = (-1)^(j-1) He_(j-1)(x0) phi(x0) / j! (He: the Hermite polynomials)
# are computed once, to 30 digits by mpmath (which SymPy installs), and rounded once.
# Each term is at most a thirtieth of the one before, so 9 terms reach 1e-19 and the
# sum is within about 1 ulp.
# Below -8 (0.4 % of N(0, 3^2) inputs) the careful form, with math.erfc, takes over.

_TABLE_STEP = 128  # x0 = k / 128
_TABLE_RANGE = (-8.0, -0.5)
_TAYLOR_TERMS = 9


@functools.lru_cache(maxsize=None)
def _normal_cdf_taylor_table():
    """(k of the first x0, columns [c_0 .. c_8, d_1 .. d_8], each an array over x0 = k / 128):
    Phi(x0 + h) = sum c_j h^j and phi(x0 + h) = sum d_j h^(j-1), d_j = j c_j."""
    import mpmath

    mp = mpmath.MPContext()
    mp.dps = 30
    ks = np.arange(round(_TABLE_RANGE[0] * _TABLE_STEP), round(_TABLE_RANGE[1] * _TABLE_STEP) + 1)
    table = np.empty((ks.size, 2 * _TAYLOR_TERMS - 1))
    for row, k in enumerate(ks):
        x0 = mp.mpf(int(k)) / _TABLE_STEP
        pdf = mp.npdf(x0)
        table[row, 0] = float(mp.ncdf(x0))
        he_before, he, factorial = mp.mpf(0), mp.mpf(1), mp.mpf(1)  # He_-1, He_0, 0!
        for j in range(1, _TAYLOR_TERMS):
            derivative = (-1) ** (j - 1) * he * pdf  # Phi^(j)(x0)
            factorial *= j
            table[row, j] = float(derivative / factorial)
            table[row, _TAYLOR_TERMS + j - 1] = float(derivative / (factorial / j))
            he_before, he = he, x0 * he - (j - 1) * he_before
    return int(ks[0]), np.ascontiguousarray(table.T)


def _normal_cdf_and_pdf_by_table(x, with_pdf=True):
    """(Phi(x), phi(x) or None) for x in [-8, -0.5], from the Taylor table."""
    first, columns = _normal_cdf_taylor_table()
    k = np.rint(x * _TABLE_STEP)
    h = x - k / _TABLE_STEP  # exact
    row = k.astype(np.intp) - first
    n = _TAYLOR_TERMS
    cdf = columns[n - 1].take(row)
    pdf = columns[2 * n - 2].take(row) if with_pdf else None
    for j in range(n - 2, -1, -1):
        cdf *= h
        cdf += columns[j].take(row)
        if with_pdf and j >= 1:
            pdf *= h
            pdf += columns[n + j - 1].take(row)
    return cdf, pdf


def _normal_cdf_and_pdf_fast(x, with_pdf=True):
    """(Phi(x), phi(x) or None) for x >= -8: SciPy's erfc and exp (x^2 rounded costs at most
    x^2/2 ulp in phi, negligible next to Phi above -0.5), replaced by the table below -0.5.
    (Integer indices: NumPy's boolean-mask indexing costs more than erfc on every element.)"""
    cdf, pdf = _normal_cdf_and_pdf_plainly(x, with_pdf)
    low = np.flatnonzero(x < _TABLE_RANGE[1])
    if low.size:
        low_cdf, low_pdf = _normal_cdf_and_pdf_by_table(x.take(low), with_pdf)
        np.put(cdf, low, low_cdf)  # flat indices, any shape
        if with_pdf:
            np.put(pdf, low, low_pdf)
    return cdf, pdf


def _normal_cdf_and_pdf_plainly(x, with_pdf):
    cdf = special.erfc(x * -_SQRT_HALF)
    cdf *= 0.5
    pdf = None
    if with_pdf:
        with np.errstate(over="ignore"):  # x^2 = inf gives phi = 0, rightly
            pdf = x * x
        pdf *= -0.5
        np.exp(pdf, out=pdf)
        pdf *= _ONE_OVER_SQRT_2PI
    return cdf, pdf


def _gelu_needs_care(x):
    """Where the fast GELU is not used: below -8, above 1e300 (x^2 overflows) and nan."""
    return ~((x >= _TABLE_RANGE[0]) & (x <= 1e300))


def gelu_exact(x):
    """x Phi(x): fast on the clipped x; the careful form below x = -8, above 1e300, for nan."""
    y, _ = _normal_cdf_and_pdf_fast(np.clip(x, _TABLE_RANGE[0], 1e300), with_pdf=False)
    with np.errstate(invalid="ignore"):  # inf * 0 where x is clipped: recomputed
        y *= x
    return recompute_where(y, _gelu_needs_care(x), _careful_gelu_exact, x)


def gelu_exact_grad(x):
    """Phi(x) + x phi(x) (fast as gelu_exact), and near its zero the integral of gelu''."""
    y, pdf = _normal_cdf_and_pdf_fast(np.clip(x, _TABLE_RANGE[0], 1e300))
    with np.errstate(invalid="ignore"):
        pdf *= x
    y += pdf
    recompute_where(y, _gelu_needs_care(x), _careful_gelu_exact_grad, x)
    return near_zero(x, y, _GELU_ZERO, (-1.0, -0.55), _gelu_second, 8)
