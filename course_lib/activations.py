"""Elementwise activation functions and their derivatives, NumPy in and NumPy out.

Every activation `f` has a derivative `f_grad` taking the same arguments::

    sigmoid(x), sigmoid_grad(x)
    leaky_relu(x, alpha=0.01), leaky_relu_grad(x, alpha=0.01)
    gelu(x, approximate=False), gelu_grad(x, approximate=False)

Conventions shared by every function here:

* Input: a number, a list or an array of real numbers. float16, float32 and
  float64 come back in the same dtype (longdouble too, but computed in float64);
  bools, integers and lists come back as float64. A scalar (or 0-d array) gives a NumPy scalar such as np.float64,
  like NumPy's own ufuncs; an array gives an array of the same shape. The
  input is never modified.
* Precision: the arithmetic is done in float64 and the result rounded once to
  the input's dtype. In float64 the results are within a few units in the last
  place (ulp) of the exact value over the whole float range, including
  +-inf, subnormal inputs and results; nan gives nan. Where the obvious
  formula overflows, underflows or cancels, the docstring says what is done
  instead. A result beyond the dtype's range is +-inf, as for any float
  arithmetic, and no floating-point warning is raised.
* Kinks: where a function has a corner, its `_grad` returns the derivative
  TensorFlow's `tf.GradientTape` returns for the Keras built-in:
  relu'(0) = 0, relu6'(0) = relu6'(6) = 0, leaky_relu'(0) = alpha,
  elu'(0) = alpha (the left slope; no corner when alpha = 1), selu'(0) = scale
  (the right slope). prelu'(0) = alpha like leaky_relu (Keras' PReLU layer
  happens to give 0 there).

`ACTIVATIONS` describes every activation (formula, range, properties, Keras
name, ...) and drives the plots and summary tables of the notebooks;
`get(name)` looks one up and `summary_table()` lists them all.
"""

import math
import numbers
from decimal import Decimal
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Callable, Mapping, Optional

import numpy as np

from course_lib._validation import as_float_array

__all__ = [
    "linear", "linear_grad",
    "sigmoid", "sigmoid_grad",
    "tanh", "tanh_grad",
    "relu", "relu_grad",
    "relu6", "relu6_grad",
    "leaky_relu", "leaky_relu_grad",
    "prelu", "prelu_grad",
    "elu", "elu_grad",
    "selu", "selu_grad",
    "gelu", "gelu_grad",
    "silu", "silu_grad", "swish", "swish_grad",
    "mish", "mish_grad",
    "softplus", "softplus_grad",
    "SELU_ALPHA", "SELU_SCALE", "GELU_TANH_COEFFICIENT",
    "Activation", "Properties", "ACTIVATIONS", "ALIASES", "get", "summary_table",
]

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946  # lambda in Klambauer et al. (2017)
GELU_TANH_COEFFICIENT = 0.044715  # the cubic term of GELU's tanh approximation


def _double_double(digits):
    """A decimal constant as hi + lo: two floats whose sum carries about 32 digits."""
    exact = Decimal(digits)
    hi = float(exact)
    return hi, float(exact - Decimal(hi))


_SQRT_HALF = math.sqrt(0.5)
_ONE_OVER_SQRT_2PI = 1 / math.sqrt(2 * math.pi)
_GELU_TANH_SCALE = _double_double("1.5957691216057307117597842397375274739")  # 2 sqrt(2/pi)
_GELU_TANH_CUBIC = _double_double("0.044715")
_GELU_TANH_CUBIC_3 = _double_double("0.134145")  # 3 * 0.044715, for x v'
_EXP_MINUS_700 = math.exp(-700.0)
_erfc = np.frompyfunc(math.erfc, 1, 1)  # NumPy has no erfc; the C library's is within about 2.3 ulp


# ---------------------------------------------------------------------------
# Plumbing: validation, float64 evaluation, products that must not become nan.

def _elementwise(formula, x, *parameters):
    """Validate `x`, evaluate `formula` on it in float64 and round once back to x's dtype.

    Underflow to a subnormal number or to 0 is the correctly rounded answer of
    every formula here, so it is not reported; results beyond the dtype's range
    become +-inf without a warning.
    """
    x = as_float_array(x)
    with np.errstate(under="ignore", over="ignore"):
        x64 = x.astype(np.float64).reshape(x.shape or (1,))  # formulas see at least 1-d arrays
    with np.errstate(under="ignore"):
        y = np.asarray(formula(x64, *parameters), dtype=np.float64)
    with np.errstate(under="ignore", over="ignore"):
        y = y.astype(x.dtype, copy=False).reshape(x.shape)
    return y[()]  # a 0-d result becomes a NumPy scalar, an array stays an array


def _times(x, gate):
    """x * gate, with the limit 0 (not nan) where the gate is 0 and x is infinite; nan stays nan."""
    x_times_zero = np.where(np.isnan(x), x, np.copysign(0.0, x))
    product = np.broadcast_to(x_times_zero, np.broadcast(x, gate).shape).copy()
    return np.multiply(x, gate, out=product, where=gate != 0)


def _times_exp(factor, v):
    """factor * e^v, rounded only once into the subnormal range.

    Where e^v would be subnormal (v < -700) it is computed as e^(v + 700) e^-700:
    v + 700 is exact, and the few digits a subnormal e^v keeps are never
    multiplied up by a large factor (x e^x at x = -740 would be 370 ulp off).
    """
    tail = v < -700
    return _times(factor, np.exp(np.where(tail, v + 700, v))) * np.where(tail, _EXP_MINUS_700, 1.0)


def _two_sum(a, b):
    """a + b as s + e exactly (Knuth)."""
    s = a + b
    b_part = s - a
    return s, (a - (s - b_part)) + (b - b_part)


def _split(a):
    """a = hi + lo with hi holding the top 26 bits (Dekker); fine for |a| < 1e290."""
    c = 134217729.0 * a  # 2^27 + 1
    hi = c - (c - a)
    return hi, a - hi


def _two_product(a, b):
    """a * b as p + e exactly (Dekker's product, NumPy having no fused multiply-add)."""
    p = a * b
    a_hi, a_lo = _split(a)
    b_hi, b_lo = _split(b)
    return p, ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo


def _where_positive(x, positive, otherwise):
    """`positive` where x > 0, `otherwise` where x <= 0, nan where x is nan."""
    return np.where(x > 0, positive, np.where(np.isnan(x), x, otherwise))


def _real_parameter(value, name, minimum=None):
    """Return `value` as a finite float, or raise saying what was expected."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: expected a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name}: expected a finite number, got {value}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name}: expected a number >= {minimum}, got {value}")
    return value


def _boolean_parameter(value, name):
    """Return `value` as a bool, or raise if it is not True or False."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}: expected True or False, got {type(value).__name__} {value!r}")
    return bool(value)


def _slope_array(alpha, x):
    """Validate PReLU's alpha: finite real numbers whose shape broadcasts to x's shape."""
    alpha = as_float_array(alpha, "alpha").astype(np.float64)
    if not np.all(np.isfinite(alpha)):
        raise ValueError("alpha: expected finite numbers, got inf or nan")
    shape = np.shape(as_float_array(x))
    try:
        broadcast = np.broadcast_shapes(alpha.shape, shape)
    except ValueError:
        broadcast = None
    if broadcast != shape:
        raise ValueError(f"alpha: expected a scalar or an array broadcastable to x's shape {shape}, "
                         f"got shape {alpha.shape}")
    return alpha


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

_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(16)  # exact for polynomials of degree 31


def _integral_from_zero(x, zero, second_derivative):
    """f'(x) as the integral of f'' from f's zero `zero` = (hi, lo) to x."""
    hi, lo = zero
    t = (x - hi) - lo
    u = hi + 0.5 * t[..., None] * (1 + _NODES)
    return 0.5 * t * (second_derivative(u) @ _WEIGHTS)


def _near_zero(x, derivative, zero, window, second_derivative):
    """`derivative` (an array over x), recomputed by integration where x is inside `window`."""
    inside = (x > window[0]) & (x < window[1])
    result = np.array(derivative, dtype=np.float64)
    result[inside] = _integral_from_zero(x[inside], zero, second_derivative)
    return result


# ---------------------------------------------------------------------------
# The formulas, on float64 arrays. Public functions below validate and cast.
#
# Written with w = e^-|x| <= 1, so exp never overflows: sigma(x) = e^min(x,0) / (1 + w)
# and sigma(-x) = e^-max(x,0) / (1 + w); the e^min(x,0) factor goes through _times_exp.

def _sigmoid(x):
    return _times_exp(1 / (1 + np.exp(-np.abs(x))), np.minimum(x, 0))


def _sigmoid_grad(x, scale=1.0):
    """scale * sigma'(x) = scale e^-|x| / (1 + e^-|x|)^2."""
    x = np.minimum(np.abs(x), 1e3)  # beyond, the answer underflowed long ago
    return _times_exp(scale / (1 + np.exp(-x)) ** 2, -x)


def _tanh_grad(x):
    return _sigmoid_grad(2 * np.minimum(np.abs(x), 1e3), scale=4.0)  # sech^2 x = 4 sigma'(2x)


def _leaky(x, alpha):
    with np.errstate(over="ignore"):  # alpha * x beyond the float range is -inf, correctly
        return np.where(x > 0, x, _times(x, alpha))  # alpha = 0 at x = -inf gives 0, not nan


def _leaky_grad(x, alpha):
    return _where_positive(x, 1.0, alpha)


def _elu(x, alpha):
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))


def _elu_grad(x, alpha):
    return np.where(x > 0, 1.0, _times_exp(alpha, np.minimum(x, 0)))


def _selu(x):
    with np.errstate(over="ignore"):  # scale * x beyond the float range is +inf, correctly
        return SELU_SCALE * _elu(x, SELU_ALPHA)


def _selu_grad(x):
    return np.where(x >= 0, SELU_SCALE, _elu_grad(x, SELU_SCALE * SELU_ALPHA))


def _gaussian(x, factor):
    """factor * e^(-x^2/2), with x^2 kept as p + p_lo: rounding x^2 alone would put an
    error of x^2/2 ulp into the exponential (700 ulp at x = -37)."""
    x = np.minimum(np.abs(x), 1e3)  # beyond, e^(-x^2/2) is 0
    p, p_lo = _two_product(x, x)
    return _times_exp(factor * (1 - 0.5 * p_lo), -0.5 * p)


def _mills_ratio(t):
    """Mills' ratio Phi(-t) / phi(t) for t >= 37, from its asymptotic series
    (1/t) (1 - 1/t^2 + 3/t^4 - 15/t^6 + ...), whose error is below 1e-18 there."""
    u = 1 / (t * t)
    series = np.ones_like(t)
    for k in range(9, 0, -1):
        series = 1 - (2 * k - 1) * u * series
    return series / t


def _normal_cdf_and_pdf(x):
    """(Phi(x) as hi + lo, phi(x)) for -37 <= x <= 1e3.

    Phi(x) = erfc(z)/2 with z = -x/sqrt2, but z is rounded, and erfc(z) is sensitive to
    its argument (a 1-ulp change in z moves erfc(20) by 800 ulp). erfc(z) = e^(-z^2) erfcx(z)
    where erfcx is not sensitive, so erfc(exact z) = erfc(z) e^(z^2 - x^2/2), with the
    tiny exponent computed from exact products; Phi's lo part is Phi times that exponent.
    """
    z = -_SQRT_HALF * x
    zz, zz_lo = _two_product(z, z)
    xx, xx_lo = _two_product(x, x)
    cdf = 0.5 * np.asarray(_erfc(z), dtype=np.float64)
    cdf_lo = np.where(x < 0, cdf * ((zz - 0.5 * xx) + (zz_lo - 0.5 * xx_lo)), 0.0)
    return cdf, cdf_lo, _gaussian(x, _ONE_OVER_SQRT_2PI)


def _gelu_exact_parts(x):
    """(gelu(x), gelu'(x)); for x < -37 from the Mills ratio, as e^(-x^2/2) times a
    factor near 1, so that subnormal results are rounded once."""
    cdf, cdf_lo, pdf = _normal_cdf_and_pdf(np.clip(x, -37.0, 1e3))  # above 1e3: Phi = 1, phi = 0
    t = np.clip(-x, 37.0, 1e3)  # below -1e3 both results are 0
    mills = _mills_ratio(t)
    tail = x < -37
    value = np.where(tail, _gaussian(t, -t * mills * _ONE_OVER_SQRT_2PI), x * cdf + _times(x, cdf_lo))
    slope = np.where(tail, _gaussian(t, (mills - t) * _ONE_OVER_SQRT_2PI), cdf + (cdf_lo + _times(x, pdf)))
    return value, slope


def _gelu_exact(x):
    return _gelu_exact_parts(x)[0]


def _gelu_exact_second(u):
    return _gaussian(u, (2 - u * u) * _ONE_OVER_SQRT_2PI)


_GELU_ZERO = _double_double("-0.75179152469356445745790494677952404")  # of gelu'


def _gelu_exact_grad(x):
    slope = _gelu_exact_parts(x)[1]
    return _near_zero(x, slope, _GELU_ZERO, (-1.55, -0.15), _gelu_exact_second)


def _gelu_tanh_cubic(x, c):
    """2 sqrt(2/pi) x (1 + c x^2) as hi + lo, for the double-double constant c = (c, c_lo).

    With c = 0.044715 this is v, the argument of sigma in the tanh form (v/2 that of tanh);
    with 3c it is x v'. |v| reaches 745, where rounding it alone would cost 1000 ulp in e^v.
    """
    x = np.clip(x, -1e5, 1e5)  # beyond, sigma(v) is exactly 0 or 1
    (k, k_lo), (c, c_lo) = _GELU_TANH_SCALE, c
    xx, xx_lo = _two_product(x, x)
    cxx, cxx_lo = _two_product(c, xx)
    s, s_lo = _two_sum(1.0, cxx)
    m, m_lo = _two_product(x, s)
    m_lo += x * (s_lo + cxx_lo + c * xx_lo + c_lo * xx)
    hi, lo = _two_product(k, m)
    return hi, lo + k * m_lo + k_lo * m


def _gated(x, v, v_lo, x_dv, x_dv_lo):
    """(x sigma(v), d/dx x sigma(v)) for v(x) = v + v_lo, x v'(x) = x_dv + x_dv_lo: silu (v = x)
    and the tanh GELU.

    With w = e^-|v|, sigma(v) = e^min(v,0) / (1 + w) and the derivative
    sigma(v) (1 + x v' sigma(-v)) is e^v ((1 + x v') + w) / (1 + w)^2 for v <= 0 and
    (1 + w + x v' w) / (1 + w)^2 for v > 0: the only cancellation left is at its zero.
    v_lo enters as sigma(v + v_lo) = sigma(v) (1 + sigma(-v) v_lo).
    """
    w = np.exp(-np.abs(v))
    positive = v > 0
    factor = (1 + np.where(positive, w, 1.0) / (1 + w) * v_lo) / (1 + w)  # sigma(v + v_lo) / e^min(v,0)
    numerator = np.where(positive, 1 + w + _times(x_dv, w), (1 + x_dv) + (x_dv_lo + w))
    head = np.minimum(v, 0)
    return _times_exp(x * factor, head), _times_exp(factor / (1 + w) * numerator, head)


def _gelu_tanh_parts(x):
    x = np.maximum(x, -1e5)  # below, both results are 0
    return _gated(x, *_gelu_tanh_cubic(x, _GELU_TANH_CUBIC), *_gelu_tanh_cubic(x, _GELU_TANH_CUBIC_3))


def _gelu_tanh(x):
    return _gelu_tanh_parts(x)[0]


def _gelu_tanh_second(u):
    k, c = _GELU_TANH_SCALE[0], GELU_TANH_COEFFICIENT
    v = k * u * (1 + c * u * u)
    dv = k * (1 + 3 * c * u * u)
    return _sigmoid_grad(v) * (2 * dv + u * ((1 - 2 * _sigmoid(v)) * dv * dv + 6 * k * c * u))


_GELU_TANH_ZERO = _double_double("-0.75246142207101625848795444328891609")  # of gelu' (tanh form)


def _gelu_tanh_grad(x):
    slope = _gelu_tanh_parts(x)[1]
    return _near_zero(x, slope, _GELU_TANH_ZERO, (-1.15, -0.35), _gelu_tanh_second)


def _silu_parts(x):
    return _gated(x, x, 0.0, x, 0.0)  # v = x, x v' = x


def _silu(x):
    return _silu_parts(x)[0]


def _silu_second(u):
    return _sigmoid_grad(u) * (2 - u * np.tanh(u / 2))


_SILU_ZERO = _double_double("-1.2784645427610737951093587390229802")  # of silu'


def _silu_grad(x):
    slope = _silu_parts(x)[1]
    return _near_zero(x, slope, _SILU_ZERO, (-2.0, -0.5), _silu_second)


def _softplus(x):
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def _mish_parts(x):
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
    slope_positive = g + _times(x, 4 * w * w * (1 + w) / d_positive ** 2)
    slope_negative = ((4 + 4 * negative_x) + w * (6 + 4 * negative_x + w * (4 + w))) / d_negative ** 2
    head = np.minimum(x, 0)
    return _times_exp(x * g, head), _times_exp(np.where(positive, slope_positive, slope_negative), head)


def _mish(x):
    return _mish_parts(x)[0]


def _mish_second(u):
    g = np.tanh(_softplus(u))
    sig = _sigmoid(u)
    dg = (1 - g * g) * sig
    return dg * (2 + u * (1 - sig - 2 * g * sig))


_MISH_ZERO = _double_double("-1.1924312145154952121375883404207394")  # of mish'


def _mish_grad(x):
    slope = _mish_parts(x)[1]
    return _near_zero(x, slope, _MISH_ZERO, (-2.2, 0.0), _mish_second)


# ---------------------------------------------------------------------------
# Public functions.

def linear(x):
    """Identity, f(x) = x: what a layer computes with no activation.

    f(x) = x
    """
    return _elementwise(lambda v: v, x)


def linear_grad(x):
    """Derivative of `linear`: 1 everywhere (nan for nan).

    f'(x) = 1
    """
    return _elementwise(lambda v: np.where(np.isnan(v), v, 1.0), x)


def sigmoid(x):
    """Logistic sigmoid. Uses exp(-|x|) so that neither branch overflows.

    sigma(x) = 1 / (1 + e^-x) = e^x / (1 + e^x)
    """
    return _elementwise(_sigmoid, x)


def sigmoid_grad(x):
    """Derivative of the sigmoid, computed as sigma(x) sigma(-x) = e^-|x| / (1 + e^-|x|)^2.

    The textbook sigma(1 - sigma) is exactly 0 once sigma rounds to 1 (x > about 37
    in float64); this form keeps every digit down to the underflow threshold.

    sigma'(x) = sigma(x) (1 - sigma(x)) = sigma(x) sigma(-x)
    """
    return _elementwise(_sigmoid_grad, x)


def tanh(x):
    """Hyperbolic tangent (NumPy's, which is accurate and never overflows).

    tanh(x) = (e^x - e^-x) / (e^x + e^-x)
    """
    return _elementwise(np.tanh, x)


def tanh_grad(x):
    """Derivative of tanh, computed as 4 e^-2|x| / (1 + e^-2|x|)^2 = 4 sigma'(2x).

    The textbook 1 - tanh(x)^2 is exactly 0 once tanh rounds to 1 (|x| > about 19
    in float64) and loses digits well before.

    tanh'(x) = 1 - tanh(x)^2 = sech(x)^2
    """
    return _elementwise(_tanh_grad, x)


def relu(x):
    """Rectified linear unit.

    relu(x) = max(0, x)
    """
    return _elementwise(lambda v: np.maximum(v, 0.0), x)


def relu_grad(x):
    """Derivative of ReLU, with relu'(0) = 0 (as tf.GradientTape returns).

    relu'(x) = 1 if x > 0 else 0
    """
    return _elementwise(lambda v: _where_positive(v, 1.0, 0.0), x)


def relu6(x):
    """ReLU capped at 6 (MobileNets).

    relu6(x) = min(max(0, x), 6)
    """
    return _elementwise(lambda v: np.clip(v, 0.0, 6.0), x)


def relu6_grad(x):
    """Derivative of ReLU6, 0 at both corners x = 0 and x = 6 (as tf.GradientTape returns).

    relu6'(x) = 1 if 0 < x < 6 else 0
    """
    return _elementwise(lambda v: _where_positive(v, np.where(v < 6, 1.0, 0.0), 0.0), x)


def leaky_relu(x, alpha=0.01):
    """Leaky ReLU with slope `alpha` (>= 0) for negative inputs.

    Note the defaults differ: keras.activations.leaky_relu uses 0.2,
    keras.layers.LeakyReLU 0.3; this course (and the original paper) 0.01.

    leaky_relu(x) = x if x > 0 else alpha x
    """
    return _elementwise(_leaky, x, _real_parameter(alpha, "alpha", minimum=0))


def leaky_relu_grad(x, alpha=0.01):
    """Derivative of Leaky ReLU, with leaky_relu'(0) = alpha (as tf.GradientTape returns).

    leaky_relu'(x) = 1 if x > 0 else alpha
    """
    return _elementwise(_leaky_grad, x, _real_parameter(alpha, "alpha", minimum=0))


def prelu(x, alpha):
    """Parametric ReLU: Leaky ReLU whose slope `alpha` is learned (a scalar or an array
    broadcastable to x's shape, e.g. one slope per channel). The result has x's shape.

    prelu(x) = x if x > 0 else alpha x
    """
    return _elementwise(_leaky, x, _slope_array(alpha, x))


def prelu_grad(x, alpha):
    """Derivative of PReLU with respect to x, with prelu'(0) = alpha (like leaky_relu_grad).

    prelu'(x) = 1 if x > 0 else alpha
    """
    return _elementwise(_leaky_grad, x, _slope_array(alpha, x))


def elu(x, alpha=1.0):
    """Exponential linear unit. Uses expm1, because exp(x) - 1 loses digits near 0.

    elu(x) = x if x > 0 else alpha (e^x - 1)
    """
    return _elementwise(_elu, x, _real_parameter(alpha, "alpha", minimum=0))


def elu_grad(x, alpha=1.0):
    """Derivative of ELU, with elu'(0) = alpha (as tf.GradientTape returns).

    elu'(x) = 1 if x > 0 else alpha e^x  (= elu(x) + alpha for x <= 0)
    """
    return _elementwise(_elu_grad, x, _real_parameter(alpha, "alpha", minimum=0))


def selu(x):
    """Scaled ELU with the self-normalising constants SELU_SCALE and SELU_ALPHA.

    selu(x) = scale x if x > 0 else scale alpha (e^x - 1)
    """
    return _elementwise(_selu, x)


def selu_grad(x):
    """Derivative of SELU, with selu'(0) = scale (as tf.GradientTape returns).

    selu'(x) = scale if x > 0 else scale alpha e^x
    """
    return _elementwise(_selu_grad, x)


def gelu(x, approximate=False):
    """Gaussian error linear unit, exact (erfc form) or with approximate=True the tanh form.

    The exact form uses erfc: x/2 (1 + erf(x/sqrt2)) is exactly 0 in the negative
    tail (x = -10 gives -7.6e-23). The tanh form uses (1 + tanh u)/2 = sigmoid(2u)
    for the same reason. In both, the argument of erfc or sigmoid is carried to
    about 32 digits, because the tails are sensitive to its last bit; below
    x = -37 the exact form uses Mills' ratio so subnormal results are rounded once.

    gelu(x) = x Phi(x) = x/2 erfc(-x/sqrt2)
    approximate: x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
    """
    formula = _gelu_tanh if _boolean_parameter(approximate, "approximate") else _gelu_exact
    return _elementwise(formula, x)


def gelu_grad(x, approximate=False):
    """Derivative of GELU (exact, or of the tanh form with approximate=True).

    The two terms cancel near x = -0.75 (where gelu is smallest); there the
    derivative is computed as the integral of gelu'' from that zero, which has
    nothing to cancel.

    gelu'(x) = Phi(x) + x phi(x),  phi(x) = e^(-x^2/2) / sqrt(2 pi)
    """
    formula = _gelu_tanh_grad if _boolean_parameter(approximate, "approximate") else _gelu_exact_grad
    return _elementwise(formula, x)


def silu(x):
    """Sigmoid-weighted linear unit, also called swish.

    silu(x) = x sigma(x)
    """
    return _elementwise(_silu, x)


def silu_grad(x):
    """Derivative of SiLU, written as e^x ((1 + x) + e^x) / (1 + e^x)^2 for x <= 0 (so the
    terms cancel only near its zero at x = -1.278) and there as the integral of silu''.

    silu'(x) = sigma(x) + x sigma(x) sigma(-x) = sigma(x) (1 + x (1 - sigma(x)))
    """
    return _elementwise(_silu_grad, x)


swish = silu
swish_grad = silu_grad


def mish(x):
    """Mish. tanh(softplus(x)) is written as a ratio of polynomials in e^-|x|, which
    neither overflows nor loses digits.

    mish(x) = x tanh(softplus(x)) = x tanh(ln(1 + e^x))
    """
    return _elementwise(_mish, x)


def mish_grad(x):
    """Derivative of Mish, as a ratio of polynomials in e^-|x| (see mish) and, near its
    zero at x = -1.192, as the integral of mish''.

    mish'(x) = tanh(softplus x) + x sech^2(softplus x) sigma(x)
    """
    return _elementwise(_mish_grad, x)


def softplus(x):
    """Softplus, computed as max(x, 0) + log1p(e^-|x|): log(1 + e^x) overflows for
    x > about 710 in float64 and loses every digit for x < about -37.

    softplus(x) = ln(1 + e^x)
    """
    return _elementwise(_softplus, x)


def softplus_grad(x):
    """Derivative of softplus: the sigmoid.

    softplus'(x) = sigma(x)
    """
    return _elementwise(_sigmoid, x)


# ---------------------------------------------------------------------------
# Derivatives written in terms of the output a = f(x), where such an identity exists.

def _sigmoid_grad_from_output(a):
    return _elementwise(lambda s: s * (1 - s), a)


def _tanh_grad_from_output(a):
    return _elementwise(lambda t: 1 - t * t, a)


def _elu_grad_from_output(a, alpha=1.0):
    alpha = _real_parameter(alpha, "alpha", minimum=0)
    return _elementwise(lambda e: _where_positive(e, 1.0, e + alpha), a)


def _prelu_grad_from_output(a, alpha):
    # a > 0 exactly where x > 0 only while every slope is >= 0: with alpha < 0, x < 0 gives a > 0 too
    slopes = _slope_array(alpha, a)
    if np.any(slopes < 0):
        raise ValueError("alpha: the derivative can be read from the output only when alpha >= 0 "
                         "(with alpha < 0, a > 0 comes from x > 0 and from x < 0); use prelu_grad(x, alpha)")
    return prelu_grad(a, alpha)


def _selu_grad_from_output(a):
    # a = 0 only at x = 0, where selu_grad takes the right slope, scale
    return _elementwise(lambda e: np.where(e >= 0, SELU_SCALE, e + SELU_SCALE * SELU_ALPHA), a)


def _softplus_grad_from_output(a):
    return _elementwise(lambda p: -np.expm1(-p), a)


# ---------------------------------------------------------------------------
# The registry.

@dataclass(frozen=True)
class Properties:
    """Qualitative facts about an activation (at its default parameters).

    zero_centred: f(0) = 0 and f takes both signs. Needed for outputs of mean 0, not enough:
        mean_output(entry) measures how far from 0 the mean really is (Leaky ReLU's is ReLU's).
    monotonic: f never decreases.
    bounded_below / bounded_above: f has a finite lower / upper bound.
    smooth: f is continuously differentiable everywhere (no corner).
    saturates: where the derivative goes to 0, in words.
    """

    zero_centred: bool
    monotonic: bool
    bounded_below: bool
    bounded_above: bool
    smooth: bool
    saturates: str


@dataclass(frozen=True)
class Activation:
    """One activation: its functions, formulas and facts. Calling it applies `function`
    with the registry's parameters (override them by keyword); `.grad` likewise.

    parameters: name -> default value. PReLU's alpha has no default in `prelu`; the
    registry holds 0.25, the initial value of He et al. (2015), for plots and tables.
    derivative_max: the supremum of f' at those parameters.
    derivative_from_output: f' as a function of a = f(x), where such an identity exists.
    """

    name: str
    function: Callable
    derivative: Callable
    formula: str
    derivative_formula: str
    output_range: str
    keras_name: Optional[str]
    properties: Properties
    derivative_max: float
    parameters: Mapping[str, object] = field(default_factory=dict)
    derivative_from_output: Optional[Callable] = None
    derivative_from_output_formula: Optional[str] = None

    def __post_init__(self):
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))

    def __call__(self, x, **parameters):
        return self.function(x, **{**self.parameters, **parameters})

    def grad(self, x, **parameters):
        return self.derivative(x, **{**self.parameters, **parameters})


def _entry(function, keras_builtin=True, **fields):
    """The Activation for `function`: its name is the function's, its derivative the module's
    `<name>_grad`, and its Keras name the same name unless Keras has no such built-in."""
    name = function.__name__
    return Activation(name=name, function=function, derivative=globals()[f"{name}_grad"],
                      keras_name=name if keras_builtin else None, **fields)


def _registry(*activations):
    return MappingProxyType({activation.name: activation for activation in activations})


ACTIVATIONS = _registry(
    _entry(
        linear,
        formula=r"f(x) = x",
        derivative_formula=r"f'(x) = 1",
        output_range=r"(-\infty, \infty)",
        properties=Properties(zero_centred=True, monotonic=True, bounded_below=False,
                              bounded_above=False, smooth=True, saturates="never"),
        derivative_max=1.0,
    ),
    _entry(
        sigmoid,
        formula=r"\sigma(x) = \frac{1}{1 + e^{-x}}",
        derivative_formula=r"\sigma'(x) = \sigma(x)\,\sigma(-x) = \sigma(x)\,\bigl(1 - \sigma(x)\bigr)",
        output_range=r"(0, 1)",
        properties=Properties(zero_centred=False, monotonic=True, bounded_below=True,
                              bounded_above=True, smooth=True, saturates="both tails (x → ±∞)"),
        derivative_max=0.25,
        derivative_from_output=_sigmoid_grad_from_output,
        derivative_from_output_formula=r"\sigma' = a\,(1 - a)",
    ),
    _entry(
        tanh,
        formula=r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}",
        derivative_formula=r"\tanh'(x) = 1 - \tanh^2(x) = \operatorname{sech}^2(x)",
        output_range=r"(-1, 1)",
        properties=Properties(zero_centred=True, monotonic=True, bounded_below=True,
                              bounded_above=True, smooth=True, saturates="both tails (x → ±∞)"),
        derivative_max=1.0,
        derivative_from_output=_tanh_grad_from_output,
        derivative_from_output_formula=r"\tanh' = 1 - a^2",
    ),
    _entry(
        relu,
        formula=r"\operatorname{relu}(x) = \max(0, x)",
        derivative_formula=r"\operatorname{relu}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}",
        output_range=r"[0, \infty)",
        properties=Properties(zero_centred=False, monotonic=True, bounded_below=True,
                              bounded_above=False, smooth=False, saturates="x < 0 (gradient exactly 0)"),
        derivative_max=1.0,
        derivative_from_output=relu_grad,  # a > 0 exactly where x > 0
        derivative_from_output_formula=r"\operatorname{relu}' = \begin{cases} 1 & a > 0 \\ 0 & a = 0 \end{cases}",
    ),
    _entry(
        relu6,
        formula=r"\operatorname{relu6}(x) = \min\bigl(\max(0, x), 6\bigr)",
        derivative_formula=r"\operatorname{relu6}'(x) = \begin{cases} 1 & 0 < x < 6 \\ 0 & \text{otherwise} \end{cases}",
        output_range=r"[0, 6]",
        properties=Properties(zero_centred=False, monotonic=True, bounded_below=True,
                              bounded_above=True, smooth=False,
                              saturates="x < 0 and x > 6 (gradient exactly 0)"),
        derivative_max=1.0,
        derivative_from_output=relu6_grad,  # 0 < a < 6 exactly where 0 < x < 6
        derivative_from_output_formula=r"\operatorname{relu6}' = \begin{cases} 1 & 0 < a < 6 \\ 0 & \text{otherwise} \end{cases}",
    ),
    _entry(
        leaky_relu,
        formula=r"f(x) = \begin{cases} x & x > 0 \\ \alpha x & x \le 0 \end{cases}",
        derivative_formula=r"f'(x) = \begin{cases} 1 & x > 0 \\ \alpha & x \le 0 \end{cases}",
        output_range=r"(-\infty, \infty)",
        properties=Properties(zero_centred=True, monotonic=True, bounded_below=False,
                              bounded_above=False, smooth=False, saturates="never"),
        derivative_max=1.0, parameters={"alpha": 0.01},
        derivative_from_output=leaky_relu_grad,  # a > 0 exactly where x > 0
        derivative_from_output_formula=r"f' = \begin{cases} 1 & a > 0 \\ \alpha & a \le 0 \end{cases}",
    ),
    _entry(
        prelu,
        formula=r"f(x) = \begin{cases} x & x > 0 \\ \alpha x & x \le 0 \end{cases}\quad(\alpha\ \text{learned})",
        derivative_formula=r"\frac{\partial f}{\partial x} = \begin{cases} 1 & x > 0 \\ \alpha & x \le 0 \end{cases}",
        output_range=r"(-\infty, \infty)", keras_builtin=False,
        properties=Properties(zero_centred=True, monotonic=True, bounded_below=False,
                              bounded_above=False, smooth=False, saturates="never"),
        derivative_max=1.0, parameters={"alpha": 0.25},
        derivative_from_output=_prelu_grad_from_output,
        derivative_from_output_formula=r"f' = \begin{cases} 1 & a > 0 \\ \alpha & a \le 0 \end{cases}",
    ),
    _entry(
        elu,
        formula=r"\operatorname{elu}(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}",
        derivative_formula=r"\operatorname{elu}'(x) = \begin{cases} 1 & x > 0 \\ \alpha\,e^{x} & x \le 0 \end{cases}",
        output_range=r"(-\alpha, \infty)",
        properties=Properties(zero_centred=True, monotonic=True, bounded_below=True,
                              bounded_above=False, smooth=True, saturates="x → -∞ (to -α)"),
        derivative_max=1.0, parameters={"alpha": 1.0},
        derivative_from_output=_elu_grad_from_output,
        derivative_from_output_formula=r"\operatorname{elu}' = \begin{cases} 1 & a > 0 \\ a + \alpha & a \le 0 \end{cases}",
    ),
    _entry(
        selu,
        formula=r"\operatorname{selu}(x) = \lambda \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}",
        derivative_formula=r"\operatorname{selu}'(x) = \lambda \begin{cases} 1 & x > 0 \\ \alpha\,e^{x} & x \le 0 \end{cases}",
        output_range=r"(-\lambda\alpha, \infty) \approx (-1.758, \infty)",
        properties=Properties(zero_centred=True, monotonic=True, bounded_below=True,
                              bounded_above=False, smooth=False, saturates="x → -∞ (to -λα)"),
        derivative_max=SELU_SCALE * SELU_ALPHA,
        derivative_from_output=_selu_grad_from_output,
        derivative_from_output_formula=r"\operatorname{selu}' = \begin{cases} \lambda & a \ge 0 \\ a + \lambda\alpha & a < 0 \end{cases}",
    ),
    _entry(
        gelu,
        formula=r"\operatorname{gelu}(x) = x\,\Phi(x) = \frac{x}{2}\operatorname{erfc}\!\left(-\frac{x}{\sqrt{2}}\right)",
        derivative_formula=r"\operatorname{gelu}'(x) = \Phi(x) + x\,\varphi(x), \quad \varphi(x) = \frac{e^{-x^2/2}}{\sqrt{2\pi}}",
        output_range=r"[-0.170, \infty)",
        properties=Properties(zero_centred=True, monotonic=False, bounded_below=True,
                              bounded_above=False, smooth=True, saturates="x → -∞"),
        derivative_max=1.1289, parameters={"approximate": False},
    ),
    _entry(
        silu,
        formula=r"\operatorname{silu}(x) = x\,\sigma(x)",
        derivative_formula=r"\operatorname{silu}'(x) = \sigma(x)\,\bigl(1 + x\,(1 - \sigma(x))\bigr)",
        output_range=r"[-0.278, \infty)",
        properties=Properties(zero_centred=True, monotonic=False, bounded_below=True,
                              bounded_above=False, smooth=True, saturates="x → -∞"),
        derivative_max=1.0998,
    ),
    _entry(
        mish,
        formula=r"\operatorname{mish}(x) = x \tanh\bigl(\operatorname{softplus}(x)\bigr)",
        derivative_formula=r"\operatorname{mish}'(x) = \tanh\bigl(\operatorname{softplus}(x)\bigr) + x\,\operatorname{sech}^2\bigl(\operatorname{softplus}(x)\bigr)\,\sigma(x)",
        output_range=r"[-0.309, \infty)",
        properties=Properties(zero_centred=True, monotonic=False, bounded_below=True,
                              bounded_above=False, smooth=True, saturates="x → -∞"),
        derivative_max=1.0885,
    ),
    _entry(
        softplus,
        formula=r"\operatorname{softplus}(x) = \ln\left(1 + e^{x}\right)",
        derivative_formula=r"\operatorname{softplus}'(x) = \sigma(x)",
        output_range=r"(0, \infty)",
        properties=Properties(zero_centred=False, monotonic=True, bounded_below=True,
                              bounded_above=False, smooth=True, saturates="x → -∞"),
        derivative_max=1.0,
        derivative_from_output=_softplus_grad_from_output,
        derivative_from_output_formula=r"\operatorname{softplus}' = 1 - e^{-a}",
    ),
)

ALIASES = MappingProxyType({"swish": "silu"})


def get(name):
    """Return the registry entry for `name` (or an alias such as "swish")."""
    key = ALIASES.get(name, name) if isinstance(name, str) else name
    if key not in ACTIVATIONS:
        known = ", ".join(sorted([*ACTIVATIONS, *ALIASES]))
        raise KeyError(f"unknown activation {name!r}; known: {known}")
    return ACTIVATIONS[key]


def mean_output(activation, **parameters):
    """E[f(Z)] for Z ~ N(0, 1): the mean output of a unit whose pre-activations are standard normal.

    0 for an odd f (tanh), and the number to read next to "zero-centred": a function can take
    both signs and still have a mean far from 0. Simpson's rule on [-12, 12], split at the
    corners 0 and 6, is exact to about 1e-12 here (the tails beyond 12 carry less than 1e-30);
    the result is rounded to 10 decimals, so that an exact 0 prints as 0.
    """
    entry = get(activation) if isinstance(activation, str) else activation
    total = 0.0
    for start, stop in ((-12.0, 0.0), (0.0, 6.0), (6.0, 12.0)):
        z, step = np.linspace(start, stop, 6_001, retstep=True)
        weights = np.ones_like(z)
        weights[1:-1:2], weights[2:-1:2] = 4.0, 2.0
        density = np.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)
        total += float(step / 3 * np.sum(weights * entry(z, **parameters) * density))
    return round(total, 10) + 0.0  # + 0.0 turns -0.0 into 0.0


def summary_table():
    """One row (a dict) per activation, for a notebook to render as a table."""
    return [
        {
            "name": activation.name,
            "formula": activation.formula,
            "range": activation.output_range,
            "zero_centred": activation.properties.zero_centred,
            "mean_output": mean_output(activation),
            "monotonic": activation.properties.monotonic,
            "saturates": activation.properties.saturates,
            "derivative_max": activation.derivative_max,
            "keras_name": activation.keras_name,
        }
        for activation in ACTIVATIONS.values()
    ]


from course_lib.softmax import softmax, log_softmax, logsumexp, softmax_jacobian, cross_entropy_from_logits, cross_entropy_from_logits_grad  # noqa: E402,F401  (the softmax family lives in its own module)
