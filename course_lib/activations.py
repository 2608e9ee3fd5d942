"""Elementwise activation functions and their derivatives, NumPy in and NumPy out.

Every activation `f` has a derivative `f_grad` taking the same arguments::

    sigmoid(x), sigmoid_grad(x)
    leaky_relu(x, alpha=0.01), leaky_relu_grad(x, alpha=0.01)
    gelu(x, approximate=False), gelu_grad(x, approximate=False)

and so do the rest of keras.activations (celu, exponential, hard_shrink, hard_sigmoid,
hard_silu alias hard_swish, hard_tanh, log_sigmoid, soft_shrink, softsign, sparse_plus,
sparse_sigmoid, squareplus, tanh_shrink, threshold), with Keras' parameter names. Two act
along an axis instead of elementwise: glu(x, axis=-1) and sparsemax(x, axis=-1); their
glu_grad / sparsemax_grad(x, axis=-1, upstream=None) return the vector-Jacobian product
(upstream^T J, x's shape), and sparsemax_jacobian(z) the whole Jacobian for one vector.

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
`get(name)` looks one up, `summary_table()` lists them all and `gain(name, mode)` gives the
initial weight scale that keeps a signal's size through depth. They live in
`course_lib.registry` and are importable from here too, as is the softmax family
(`course_lib.softmax`).
"""

import numpy as np

from course_lib import _kernels as kernels
from course_lib._floating import times, where_positive
from course_lib._kernels import GELU_TANH_COEFFICIENT, SELU_ALPHA, SELU_SCALE
from course_lib._validation import boolean_parameter, elementwise, real_parameter, slope_array
from course_lib._validation import halves, positive_parameter, rounded_to, upstream_gradient

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
    "gain", "GAIN_MODES",
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
    formula = (
        kernels.gelu_tanh if boolean_parameter(approximate, "approximate") else kernels.gelu_exact
    )
    return elementwise(formula, x)


def gelu_grad(x, approximate=False):
    """Derivative of GELU (exact, or of the tanh form with approximate=True).

    The two terms cancel near x = -0.75 (where gelu is smallest); there the
    derivative is computed as the integral of gelu'' from that zero, which has
    nothing to cancel.

    gelu'(x) = Phi(x) + x phi(x),  phi(x) = e^(-x^2/2) / sqrt(2 pi)
    """
    formula = (
        kernels.gelu_tanh_grad
        if boolean_parameter(approximate, "approximate")
        else kernels.gelu_exact_grad
    )
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
# The rest of Keras' activations (issue 13), with Keras' parameter names. Same conventions as
# above; corners take the derivative tf.GradientTape gives on the Keras built-in (each docstring
# says which). glu acts along an axis; sparsemax lives with softmax (course_lib.softmax).

__all__ += [
    "celu", "celu_grad",
    "exponential", "exponential_grad",
    "glu", "glu_grad",
    "hard_shrink", "hard_shrink_grad",
    "hard_sigmoid", "hard_sigmoid_grad",
    "hard_silu", "hard_silu_grad", "hard_swish", "hard_swish_grad",
    "hard_tanh", "hard_tanh_grad",
    "log_sigmoid", "log_sigmoid_grad",
    "soft_shrink", "soft_shrink_grad",
    "softsign", "softsign_grad",
    "sparse_plus", "sparse_plus_grad",
    "sparse_sigmoid", "sparse_sigmoid_grad",
    "sparsemax", "sparsemax_grad", "sparsemax_jacobian",
    "squareplus", "squareplus_grad",
    "tanh_shrink", "tanh_shrink_grad",
    "threshold", "threshold_grad",
]


def celu(x, alpha=1.0):
    """Continuously differentiable ELU (Barron 2017, arXiv:1704.07483): ELU with the negative
    side stretched by alpha, so that its slope at 0 is 1 for every alpha > 0 (ELU's is alpha).

    celu(x) = x if x > 0 else alpha (e^(x/alpha) - 1)

    Uses expm1, and x/alpha carried to about 32 digits (e^u is sensitive to the last bit of u).
    alpha: a finite number > 0 (ValueError otherwise).
    """
    return elementwise(kernels.celu, x, positive_parameter(alpha, "alpha"))


def celu_grad(x, alpha=1.0):
    """Derivative of CELU: 1 for x > 0, e^(x/alpha) for x <= 0; celu'(0) = 1 from both sides.

    tf.GradientTape on keras.activations.celu gives 2 at x = 0, because Keras writes it as
    max(x, 0) + alpha expm1(min(x, 0)/alpha) and TensorFlow passes the gradient of a tie
    through both max and min; there is no corner, so this returns the true derivative, 1.
    """
    return elementwise(kernels.celu_grad, x, positive_parameter(alpha, "alpha"))


def exponential(x):
    """The exponential, e^x (keras.activations.exponential). Beyond x = 709.78 the result is
    +inf in float64, without a warning.

    f(x) = e^x
    """
    return elementwise(kernels.exponential, x)


def exponential_grad(x):
    """Derivative of the exponential: e^x itself."""
    return elementwise(kernels.exponential, x)


def glu(x, axis=-1):
    """Gated linear unit (Dauphin et al. 2017, arXiv:1612.08083; keras.activations.glu).

    x is split along `axis` into two halves a (first) and b (second):
    glu(x) = a * sigma(b)

    Shape: x's, with the length along `axis` halved; dtype: x's float dtype (float64 for
    integers, bools and lists). Raises ValueError for an odd length along `axis`, a scalar or
    an axis out of range, TypeError for a non-integer axis or non-real x.
    """
    a, b, dtype, _ = halves(x, axis)
    with np.errstate(under="ignore"):  # a closed gate underflows to 0: the right answer
        return rounded_to(kernels.glu(a, b), dtype)


def glu_grad(x, axis=-1, upstream=None):
    """Gradient of glu with respect to x (the same shape as x): the vector-Jacobian product
    upstream^T J, upstream being dL/dglu(x) (the output's shape; ones by default).

    Each output depends on one pair (a_i, b_i) only, so with the default upstream this holds
    every nonzero entry of the Jacobian, and equals what tf.GradientTape returns for the sum
    of keras.activations.glu's outputs:

    d glu / d a = sigma(b),   d glu / d b = a sigma(b) sigma(-b)   (placed where a and b were)
    """
    a, b, dtype, axis = halves(x, axis)
    g = upstream_gradient(upstream, a.shape)
    # (an upstream of 1e300 times a of 1e300 is inf)
    with np.errstate(under="ignore", over="ignore"):
        gate, gate_slope = kernels.glu_slopes(a, b)
        return rounded_to(np.concatenate([times(g, gate), times(g, gate_slope)], axis=axis), dtype)


def hard_shrink(x, threshold=0.5):
    """Hard shrinkage (hard thresholding): keep x where |x| > threshold, else 0.

    hard_shrink(x) = x if |x| > threshold else 0

    threshold: a finite number >= 0. Source: keras.activations.hard_shrink; hard thresholding
    of wavelet coefficients (Donoho & Johnstone 1994).
    """
    return elementwise(kernels.hard_shrink, x, real_parameter(threshold, "threshold", minimum=0))


def hard_shrink_grad(x, threshold=0.5):
    """Derivative of hard_shrink: 1 where |x| > threshold, else 0, and 0 at |x| = threshold (as
    tf.GradientTape returns; the function jumps there)."""
    return elementwise(kernels.shrink_grad, x, real_parameter(threshold, "threshold", minimum=0))


def hard_sigmoid(x):
    """Hard sigmoid, Keras' definition: relu6(x + 3) / 6 (MobileNetV3, Howard et al. 2019).

    hard_sigmoid(x) = min(max(x + 3, 0), 6) / 6 = 0 (x <= -3), x/6 + 1/2, 1 (x >= 3)
    """
    return elementwise(kernels.hard_sigmoid, x)


def hard_sigmoid_grad(x):
    """Derivative of hard_sigmoid: 1/6 for -3 < x < 3, else 0; 0 at both corners x = -3 and
    x = 3 (as tf.GradientTape returns, through relu6)."""
    return elementwise(kernels.hard_sigmoid_grad, x)


def hard_silu(x):
    """Hard SiLU, also called hard swish (MobileNetV3, Howard et al. 2019, arXiv:1905.02244):
    x times the hard sigmoid.

    hard_silu(x) = x relu6(x + 3) / 6 = 0 (x <= -3), x (x + 3) / 6, x (x >= 3)
    """
    return elementwise(kernels.hard_silu, x)


def hard_silu_grad(x):
    """Derivative of hard_silu: (2x + 3) / 6 for -3 < x < 3, 1 for x >= 3, 0 for x <= -3.

    At the corners, what tf.GradientTape returns: 0 at x = -3 (the left slope) and 1 at x = 3
    (the right slope).
    """
    return elementwise(kernels.hard_silu_grad, x)


hard_swish = hard_silu
hard_swish_grad = hard_silu_grad


def hard_tanh(x):
    """Hard tanh: x clipped to [-1, 1] (Collobert 2004; keras.activations.hard_tanh).

    hard_tanh(x) = min(max(x, -1), 1)
    """
    return elementwise(kernels.hard_tanh, x)


def hard_tanh_grad(x):
    """Derivative of hard_tanh: 1 for -1 <= x <= 1, else 0; 1 at both corners (as
    tf.GradientTape returns for tf.clip_by_value)."""
    return elementwise(kernels.hard_tanh_grad, x)


def log_sigmoid(x):
    """Logarithm of the sigmoid, computed as -softplus(-x): ln(1 / (1 + e^-x)) overflows for
    x < about -710 and is exactly 0 for x > about 37, where the answer is -e^-x.

    log_sigmoid(x) = ln sigma(x) = -ln(1 + e^-x)
    """
    return elementwise(kernels.log_sigmoid, x)


def log_sigmoid_grad(x):
    """Derivative of log_sigmoid: sigma(-x) = 1 - sigma(x)."""
    return elementwise(kernels.log_sigmoid_grad, x)


def soft_shrink(x, threshold=0.5):
    """Soft shrinkage (soft thresholding): move x towards 0 by threshold, and stop at 0. It is
    the proximal operator of threshold |x| (the L1 penalty; ISTA, Daubechies et al. 2004;
    Donoho 1995). Source: keras.activations.soft_shrink.

    soft_shrink(x) = x - threshold (x > threshold), x + threshold (x < -threshold), else 0

    threshold: a finite number >= 0.
    """
    return elementwise(kernels.soft_shrink, x, real_parameter(threshold, "threshold", minimum=0))


def soft_shrink_grad(x, threshold=0.5):
    """Derivative of soft_shrink: 1 where |x| > threshold, else 0; 0 at both corners (as
    tf.GradientTape returns)."""
    return elementwise(kernels.shrink_grad, x, real_parameter(threshold, "threshold", minimum=0))


def softsign(x):
    """Softsign (Bergstra et al. 2009; Glorot & Bengio 2010): like tanh, but approaching +-1
    polynomially.

    softsign(x) = x / (1 + |x|)
    """
    return elementwise(kernels.softsign, x)


def softsign_grad(x):
    """Derivative of softsign, as the square of 1 / (1 + |x|): (1 + |x|)^2 would overflow
    for |x| > 1.3e154, where the answer is still a normal or subnormal number.

    softsign'(x) = 1 / (1 + |x|)^2
    """
    return elementwise(kernels.softsign_grad, x)


def sparse_plus(x):
    """SparsePlus (Blondel et al. 2019, arXiv:1901.02324; keras.activations.sparse_plus): a
    softplus that reaches 0 and x exactly, joined by a parabola.

    sparse_plus(x) = 0 (x <= -1), (x + 1)^2 / 4 (-1 < x < 1), x (x >= 1)
    """
    return elementwise(kernels.sparse_plus, x)


def sparse_plus_grad(x):
    """Derivative of sparse_plus: the sparse sigmoid, 0 (x <= -1), (x + 1) / 2, 1 (x >= 1).
    Continuous, so its corners are unambiguous."""
    return elementwise(kernels.sparse_plus_grad, x)


def sparse_sigmoid(x):
    """Sparse sigmoid (Blondel et al. 2019; keras.activations.sparse_sigmoid): the derivative of
    sparse_plus, a sigmoid that reaches 0 and 1 exactly.

    sparse_sigmoid(x) = 0 (x <= -1), (x + 1) / 2 (-1 < x < 1), 1 (x >= 1)
    """
    return elementwise(kernels.sparse_sigmoid, x)


def sparse_sigmoid_grad(x):
    """Derivative of sparse_sigmoid: 1/2 for -1 < x < 1, else 0; 0 at both corners (as
    tf.GradientTape returns)."""
    return elementwise(kernels.sparse_sigmoid_grad, x)


def squareplus(x, b=4):
    """Squareplus (Barron 2021, arXiv:2112.11687): a smooth ReLU from a square root.

    squareplus(x) = (x + sqrt(x^2 + b)) / 2

    sqrt(x^2 + b) is hypot(x, sqrt b), which never overflows; for x < 0 the sum cancels and is
    computed as (b/4) / ((sqrt(x^2 + b) - x) / 2) (Keras' float32 formula gives inf for
    x = -1e30, where the answer is 1e-30). b: a finite number >= 0 (b = 0 is relu).
    """
    return elementwise(kernels.squareplus, x, real_parameter(b, "b", minimum=0))


def squareplus_grad(x, b=4):
    """Derivative of squareplus, computed as squareplus(x) / sqrt(x^2 + b), which does not
    cancel for x < 0. With b = 0 it is 1/2 at x = 0 (the mean of relu's two slopes).

    squareplus'(x) = (1 + x / sqrt(x^2 + b)) / 2
    """
    return elementwise(kernels.squareplus_grad, x, real_parameter(b, "b", minimum=0))


def tanh_shrink(x):
    """Tanh shrink: x - tanh(x) (keras.activations.tanh_shrink).

    For |x| < 1.5 the difference cancels (it is x^3/3 - 2x^5/15 + ...); below |x| = 1 it is
    computed from that Taylor series (48 terms), from 1 to 1.5 as the integral of its derivative
    tanh^2 from 0 (16-point Gauss-Legendre, a sum of positive terms).

    tanh_shrink(x) = x - tanh(x)
    """
    return elementwise(kernels.tanh_shrink, x)


def tanh_shrink_grad(x):
    """Derivative of tanh_shrink: 1 - sech^2 x = tanh^2 x."""
    return elementwise(kernels.tanh_shrink_grad, x)


def threshold(x, threshold, default_value):
    """Keep x where it exceeds `threshold`; elsewhere give `default_value`
    (keras.activations.threshold, torch.nn.Threshold). With default_value = 0 and threshold = 1
    it is the thresholded ReLU of Konda et al. (2015) (Keras 2's ThresholdedReLU).

    threshold(x) = x if x > threshold else default_value

    Both parameters are required, as in Keras; both finite real numbers.
    """
    return elementwise(kernels.threshold, x, real_parameter(threshold, "threshold"),
                       real_parameter(default_value, "default_value"))


def threshold_grad(x, threshold, default_value):
    """Derivative of threshold: 1 where x > threshold, else 0; 0 at x = threshold (as
    tf.GradientTape returns; the function jumps there unless default_value = threshold)."""
    real_parameter(default_value, "default_value")
    return elementwise(kernels.threshold_grad, x, real_parameter(threshold, "threshold"))


# ---------------------------------------------------------------------------
# Names that live in other modules, importable from here too.

from course_lib.softmax import (  # noqa: E402,F401  (the softmax family lives in its own module)
    softmax, log_softmax, logsumexp, softmax_jacobian,
    cross_entropy_from_logits, cross_entropy_from_logits_grad,
)
from course_lib.softmax import sparsemax, sparsemax_grad, sparsemax_jacobian  # noqa: E402,F401

_REGISTRY_NAMES = ("Activation", "Properties", "ACTIVATIONS", "ALIASES", "get", "summary_table",
                   "mean_output", "gain", "GAIN_MODES",
                   "MORE_ACTIVATIONS", "ALL_ACTIVATIONS", "FAMILIES")


def __getattr__(name):
    """The registry's names, from course_lib.registry. That module imports this one (it
    describes these functions), so they are fetched on first use, not at import."""
    if name in _REGISTRY_NAMES:
        from course_lib import registry
        return getattr(registry, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted({*globals(), *_REGISTRY_NAMES})
