"""Elementwise activation functions and their derivatives, NumPy in and NumPy out.

Every activation `f` has a derivative `f_grad` taking the same arguments::

    sigmoid(x), sigmoid_grad(x)
    leaky_relu(x, alpha=0.01), leaky_relu_grad(x, alpha=0.01)
    gelu(x, approximate=False), gelu_grad(x, approximate=False)

Conventions shared by every function here:

* Input: a number, a list or an array of real numbers. float16, float32 and
  float64 come back in the same dtype (longdouble too, but computed in float64);
  bools, integers and lists come back as float64. A scalar (or 0-d array) gives a
  NumPy scalar such as np.float64, like NumPy's own ufuncs; an array gives an array
  of the same shape. The input is never modified. bfloat16 (ml_dtypes, as TensorFlow
  and JAX use) is computed in float64 and rounded once back to bfloat16.
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

This module holds the definitions a learner reads; the machinery lives apart:
`course_lib._kernels` (each formula written so that nothing overflows or cancels),
`course_lib._floating` (exact sums and products) and `course_lib._validation`
(checking the input, evaluating in float64, rounding once).

`ACTIVATIONS` describes every activation (formula, range, properties, Keras
name, ...) and drives the plots and summary tables of the notebooks;
`get(name)` looks one up and `summary_table()` lists them all. They live in
`course_lib.registry` and are importable from here too, as is the softmax family
(`course_lib.softmax`).
"""

import numpy as np

from course_lib import _kernels as kernels
from course_lib._floating import where_positive
from course_lib._kernels import GELU_TANH_COEFFICIENT, SELU_ALPHA, SELU_SCALE
from course_lib._validation import boolean_parameter, elementwise, real_parameter, slope_array

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
    "mean_output",
]


# ---------------------------------------------------------------------------
# Public functions.

def linear(x):
    """Identity, f(x) = x: what a layer computes with no activation.

    f(x) = x
    """
    return elementwise(lambda v: v, x, blocks=False)


def linear_grad(x):
    """Derivative of `linear`: 1 everywhere (nan for nan).

    f'(x) = 1
    """
    return elementwise(kernels.linear_grad, x, blocks=False)


def sigmoid(x):
    """Logistic sigmoid. Uses w = e^-|x| (1 / (1 + w) for x >= 0, w / (1 + w) for x < 0)
    so that neither branch overflows.

    sigma(x) = 1 / (1 + e^-x) = e^x / (1 + e^x)
    """
    return elementwise(kernels.sigmoid, x)


def sigmoid_grad(x):
    """Derivative of the sigmoid, computed as a (1 - a) with a = sigma(-|x|) <= 1/2.

    The textbook sigma(1 - sigma) is exactly 0 once sigma rounds to 1 (x > about 37
    in float64); with a <= 1/2, 1 - a loses nothing and every digit is kept down to
    the underflow threshold.

    sigma'(x) = sigma(x) (1 - sigma(x)) = sigma(x) sigma(-x)
    """
    return elementwise(kernels.sigmoid_grad, x)


def tanh(x):
    """Hyperbolic tangent (NumPy's, which is accurate and never overflows).

    tanh(x) = (e^x - e^-x) / (e^x + e^-x)
    """
    return elementwise(np.tanh, x, blocks=False)


def tanh_grad(x):
    """Derivative of tanh, computed as 1 / cosh(x)^2 (and as 4 sigma'(2x) beyond |x| = 355,
    where cosh(x)^2 overflows).

    The textbook 1 - tanh(x)^2 is exactly 0 once tanh rounds to 1 (|x| > about 19
    in float64) and loses digits well before.

    tanh'(x) = 1 - tanh(x)^2 = sech(x)^2
    """
    return elementwise(kernels.tanh_grad, x)


def relu(x):
    """Rectified linear unit.

    relu(x) = max(0, x)
    """
    return elementwise(lambda v: np.maximum(v, 0.0), x, blocks=False)


def relu_grad(x):
    """Derivative of ReLU, with relu'(0) = 0 (as tf.GradientTape returns).

    relu'(x) = 1 if x > 0 else 0
    """
    return elementwise(kernels.relu_grad, x, blocks=False)


def relu6(x):
    """ReLU capped at 6 (MobileNets).

    relu6(x) = min(max(0, x), 6)
    """
    return elementwise(lambda v: np.clip(v, 0.0, 6.0), x, blocks=False)


def relu6_grad(x):
    """Derivative of ReLU6, 0 at both corners x = 0 and x = 6 (as tf.GradientTape returns).

    relu6'(x) = 1 if 0 < x < 6 else 0
    """
    return elementwise(kernels.relu6_grad, x, blocks=False)


def leaky_relu(x, alpha=0.01):
    """Leaky ReLU with slope `alpha` (>= 0) for negative inputs.

    Note the defaults differ: keras.activations.leaky_relu uses 0.2,
    keras.layers.LeakyReLU 0.3; this course (and the original paper) 0.01.

    leaky_relu(x) = x if x > 0 else alpha x
    """
    return elementwise(kernels.leaky, x, real_parameter(alpha, "alpha", minimum=0), blocks=False)


def leaky_relu_grad(x, alpha=0.01):
    """Derivative of Leaky ReLU, with leaky_relu'(0) = alpha (as tf.GradientTape returns).

    leaky_relu'(x) = 1 if x > 0 else alpha
    """
    return elementwise(kernels.leaky_grad, x, real_parameter(alpha, "alpha", minimum=0),
                       blocks=False)


def prelu(x, alpha):
    """Parametric ReLU: Leaky ReLU whose slope `alpha` is learned (a scalar or an array
    broadcastable to x's shape, e.g. one slope per channel). The result has x's shape.

    prelu(x) = x if x > 0 else alpha x
    """
    return elementwise(kernels.leaky, x, slope_array(alpha, x), blocks=False)


def prelu_grad(x, alpha):
    """Derivative of PReLU with respect to x, with prelu'(0) = alpha (like leaky_relu_grad).

    prelu'(x) = 1 if x > 0 else alpha
    """
    return elementwise(kernels.leaky_grad, x, slope_array(alpha, x), blocks=False)


def elu(x, alpha=1.0):
    """Exponential linear unit. Uses expm1, because exp(x) - 1 loses digits near 0.

    elu(x) = x if x > 0 else alpha (e^x - 1)
    """
    return elementwise(kernels.elu, x, real_parameter(alpha, "alpha", minimum=0))


def elu_grad(x, alpha=1.0):
    """Derivative of ELU, with elu'(0) = alpha (as tf.GradientTape returns).

    elu'(x) = 1 if x > 0 else alpha e^x  (= elu(x) + alpha for x <= 0)
    """
    return elementwise(kernels.elu_grad, x, real_parameter(alpha, "alpha", minimum=0))


def selu(x):
    """Scaled ELU with the self-normalising constants SELU_SCALE and SELU_ALPHA.

    selu(x) = scale x if x > 0 else scale alpha (e^x - 1)
    """
    return elementwise(kernels.selu, x)


def selu_grad(x):
    """Derivative of SELU, with selu'(0) = scale (as tf.GradientTape returns).

    selu'(x) = scale if x > 0 else scale alpha e^x
    """
    return elementwise(kernels.selu_grad, x)


def gelu(x, approximate=False):
    """Gaussian error linear unit, exact (erfc form) or with approximate=True the tanh form.

    The exact form uses erfc: x/2 (1 + erf(x/sqrt2)) is exactly 0 in the negative
    tail (x = -10 gives -7.6e-23). The tails are sensitive to the last bit of erfc's
    argument, and SciPy's erfc rounds z^2 before e^-z^2, so it is used only above
    x = -0.5; from -8 to -0.5, Phi comes from its Taylor series around the nearest
    multiple of 1/128 (coefficients computed once to 30 digits); below -8, from
    math.erfc with the argument carried to 32 digits, and below -37 from Mills' ratio
    so subnormal results are rounded once. The tanh form uses
    (1 + tanh u)/2 = sigmoid(2u) for the same reason, with its argument carried to
    32 digits for x < 0.

    gelu(x) = x Phi(x) = x/2 erfc(-x/sqrt2)
    approximate: x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
    """
    formula = kernels.gelu_tanh if boolean_parameter(approximate, "approximate") else kernels.gelu_exact
    return elementwise(formula, x)


def gelu_grad(x, approximate=False):
    """Derivative of GELU (exact, or of the tanh form with approximate=True).

    The two terms cancel near x = -0.75 (where gelu is smallest); there the
    derivative is computed as the integral of gelu'' from that zero, which has
    nothing to cancel.

    gelu'(x) = Phi(x) + x phi(x),  phi(x) = e^(-x^2/2) / sqrt(2 pi)
    """
    formula = kernels.gelu_tanh_grad if boolean_parameter(approximate, "approximate") else kernels.gelu_exact_grad
    return elementwise(formula, x)


def silu(x):
    """Sigmoid-weighted linear unit, also called swish.

    silu(x) = x sigma(x)
    """
    return elementwise(kernels.silu, x)


def silu_grad(x):
    """Derivative of SiLU, written as e^x ((1 + x) + e^x) / (1 + e^x)^2 for x <= 0 (so the
    terms cancel only near its zero at x = -1.278) and there as the integral of silu''.

    silu'(x) = sigma(x) + x sigma(x) sigma(-x) = sigma(x) (1 + x (1 - sigma(x)))
    """
    return elementwise(kernels.silu_grad, x)


swish = silu
swish_grad = silu_grad


def mish(x):
    """Mish. tanh(softplus(x)) is written as n / (n + 2) with n = e^x (e^x + 2), which
    loses no digits; where e^x overflows or is subnormal, as a ratio of polynomials in e^-|x|.

    mish(x) = x tanh(softplus(x)) = x tanh(ln(1 + e^x))
    """
    return elementwise(kernels.mish, x)


def mish_grad(x):
    """Derivative of Mish, as a ratio of polynomials in e^-|x| (see mish) and, near its
    zero at x = -1.192, as the integral of mish''.

    mish'(x) = tanh(softplus x) + x sech^2(softplus x) sigma(x)
    """
    return elementwise(kernels.mish_grad, x)


def softplus(x):
    """Softplus, computed as max(x, 0) + log1p(e^-|x|): log(1 + e^x) overflows for
    x > about 710 in float64 and loses every digit for x < about -37.

    softplus(x) = ln(1 + e^x)
    """
    return elementwise(kernels.softplus, x)


def softplus_grad(x):
    """Derivative of softplus: the sigmoid.

    softplus'(x) = sigma(x)
    """
    return elementwise(kernels.sigmoid, x)


# ---------------------------------------------------------------------------
# Names that live in other modules, importable from here too.

from course_lib.softmax import (  # noqa: E402,F401  (the softmax family lives in its own module)
    softmax, log_softmax, logsumexp, softmax_jacobian,
    cross_entropy_from_logits, cross_entropy_from_logits_grad,
)

_REGISTRY_NAMES = ("Activation", "Properties", "ACTIVATIONS", "ALIASES", "get", "summary_table",
                   "mean_output")


def __getattr__(name):
    """The registry's names, from course_lib.registry. That module imports this one (it
    describes these functions), so they are fetched on first use, not at import."""
    if name in _REGISTRY_NAMES:
        from course_lib import registry
        return getattr(registry, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted({*globals(), *_REGISTRY_NAMES})
