"""The registry of activations: what each one is, for plots, tables and lookups.

`ACTIVATIONS` maps a name to an `Activation`: its function and derivative (from
course_lib.activations), formulas in LaTeX, output range, Keras name, family, qualitative
`Properties`, the derivative's maximum and, where an identity exists, the derivative
as a function of the output. It holds the thirteen activations that notebooks 02-08 study
and notebook 15 compares; `MORE_ACTIVATIONS` the rest of keras.activations (celu ... threshold,
glu and sparsemax), and `ALL_ACTIVATIONS` both. `get(name)` looks one up in ALL_ACTIVATIONS
(aliases such as "swish" and "hard_swish" too), `mean_output` measures E[f(Z)] for
Z ~ N(0, 1), `gain` the initial weight scale that keeps a signal's second moment through
depth, and `summary_table()` lists ACTIVATIONS (or any entries given). `FAMILIES` describes
the families. Every name here is importable from course_lib.activations as well.
"""

import functools
import math
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Callable, Mapping, Optional

import numpy as np
from scipy import integrate

from course_lib import activations
from course_lib._floating import where_positive
from course_lib._kernels import SELU_ALPHA, SELU_SCALE
from course_lib._validation import elementwise, real_parameter, slope_array
from course_lib.activations import (elu, gelu, leaky_relu, leaky_relu_grad, linear, mish, prelu,
                                    prelu_grad, relu, relu6, relu6_grad, relu_grad, selu, sigmoid,
                                    silu, softplus, tanh)
from course_lib.activations import (celu, exponential, glu, hard_shrink, hard_sigmoid, hard_silu,
                                    hard_tanh, log_sigmoid, soft_shrink, softsign, sparse_plus,
                                    sparse_sigmoid, sparsemax, squareplus, tanh_shrink, threshold)

__all__ = ["Activation", "Properties", "ACTIVATIONS", "MORE_ACTIVATIONS", "ALL_ACTIVATIONS",
           "FAMILIES", "ALIASES", "get", "mean_output", "summary_table", "gain", "GAIN_MODES"]


# ---------------------------------------------------------------------------
# Derivatives written in terms of the output a = f(x), where such an identity exists.

def _sigmoid_grad_from_output(a):
    return elementwise(lambda s: s * (1 - s), a)


def _tanh_grad_from_output(a):
    return elementwise(lambda t: 1 - t * t, a)


def _elu_grad_from_output(a, alpha=1.0):
    alpha = real_parameter(alpha, "alpha", minimum=0)
    return elementwise(lambda e: where_positive(e, 1.0, e + alpha), a)


def _prelu_grad_from_output(a, alpha):
    # a > 0 exactly where x > 0 only while every slope
    # is >= 0: with alpha < 0, x < 0 gives a > 0 too
    slopes = slope_array(alpha, a)
    if np.any(slopes < 0):
        raise ValueError("alpha: the derivative can be read from the output only when alpha >= 0 "
                         "(with alpha < 0, a > 0 comes from x > 0 and from x < 0); use "
                         "prelu_grad(x, alpha)")
    return prelu_grad(a, alpha)


def _selu_grad_from_output(a):
    # a = 0 only at x = 0, where selu_grad takes the right slope, scale
    return elementwise(lambda e: np.where(e >= 0, SELU_SCALE, e + SELU_SCALE * SELU_ALPHA), a)


def _softplus_grad_from_output(a):
    return elementwise(lambda p: -np.expm1(-p), a)


# ---------------------------------------------------------------------------
# The registry.

FAMILIES = MappingProxyType({
    "classic": "the early, mostly S-shaped functions: linear, sigmoid, tanh and their relatives",
    "rectifier": "ReLU and the variants that change its negative side, clip or shift it",
    "smooth": "smooth functions that behave like ReLU for large |x| (softplus, GELU, SiLU, ...)",
    "hard": "piecewise-linear approximations of smooth functions, cheap in low precision",
    "shrinkage": "functions that pull small inputs to (or towards) 0: thresholding",
    "sparse": "functions that reach their bounds exactly (exact zeros)",
    "gated": "one half of the input scales the other (GLU and its variants)",
})


@dataclass(frozen=True)
class Properties:
    """Qualitative facts about an activation (at its default parameters).

    takes_both_signs: f(0) = 0 and f has negative and positive outputs. Needed for outputs of
        mean 0, not enough: mean_output(entry) measures how far from 0 the mean really is
        (Leaky ReLU's is close to ReLU's).
    monotonic: f never decreases.
    bounded_below / bounded_above: f has a finite lower / upper bound.
    smooth: f is continuously differentiable everywhere (no corner).
    saturates: where the derivative goes to 0, in words.
    continuous: f has no jump (hard_shrink and threshold jump at their thresholds).

    For the activations that act along an axis (glu, sparsemax), each fact is about one output
    as a function of the inputs it depends on.
    """

    takes_both_signs: bool
    monotonic: bool
    bounded_below: bool
    bounded_above: bool
    smooth: bool
    saturates: str
    continuous: bool = True


@dataclass(frozen=True)
class Activation:
    """One activation: its functions, formulas and facts. Calling it applies `function`
    with the registry's parameters (override them by keyword); `.grad` likewise.

    parameters: name -> default value. PReLU's alpha has no default in `prelu`; the
    registry holds 0.25, the initial value of He et al. (2015), for plots and tables.
    derivative_max: the supremum of f' at those parameters (inf where f' is unbounded; for
    glu and sparsemax, of the entries of the Jacobian).
    family: one of FAMILIES ("classic", "rectifier", "smooth", "hard", "shrinkage", "sparse",
    "gated"), for grouping tables and plots.
    elementwise: False for glu and sparsemax, which act along an axis (their `derivative` is a
    vector-Jacobian product, and mean_output does not apply).
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
    family: str
    parameters: Mapping[str, object] = field(default_factory=dict)
    derivative_from_output: Optional[Callable] = None
    derivative_from_output_formula: Optional[str] = None
    elementwise: bool = True

    def __post_init__(self):
        if self.family not in FAMILIES:
            raise ValueError(f"family: expected one of {', '.join(FAMILIES)}, got {self.family!r}")
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))

    def __call__(self, x, **parameters):
        return self.function(x, **{**self.parameters, **parameters})

    def grad(self, x, **parameters):
        return self.derivative(x, **{**self.parameters, **parameters})


def _entry(function, keras_builtin=True, **fields):
    """The Activation for `function`: its name is the function's, its derivative activations'
    `<name>_grad`, and its Keras name the same name unless Keras has no such built-in."""
    name = function.__name__
    return Activation(name=name, function=function, derivative=getattr(activations, f"{name}_grad"),
                      keras_name=name if keras_builtin else None, **fields)


def _registry(*activations):
    return MappingProxyType({activation.name: activation for activation in activations})


ACTIVATIONS = _registry(
    _entry(
        linear,
        family="classic",
        formula=r"f(x) = x",
        derivative_formula=r"f'(x) = 1",
        output_range=r"(-\infty, \infty)",
        properties=Properties(takes_both_signs=True, monotonic=True, bounded_below=False,
                              bounded_above=False, smooth=True, saturates="never"),
        derivative_max=1.0,
    ),
    _entry(
        sigmoid,
        family="classic",
        formula=r"\sigma(x) = \frac{1}{1 + e^{-x}}",
        derivative_formula=(r"\sigma'(x) = \sigma(x)\,\sigma(-x) = \sigma(x)\,\bigl(1 - "
                            r"\sigma(x)\bigr)"),
        output_range=r"(0, 1)",
        properties=Properties(takes_both_signs=False, monotonic=True, bounded_below=True,
                              bounded_above=True, smooth=True, saturates="both tails (x → ±∞)"),
        derivative_max=0.25,
        derivative_from_output=_sigmoid_grad_from_output,
        derivative_from_output_formula=r"\sigma' = a\,(1 - a)",
    ),
    _entry(
        tanh,
        family="classic",
        formula=r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}",
        derivative_formula=r"\tanh'(x) = 1 - \tanh^2(x) = \operatorname{sech}^2(x)",
        output_range=r"(-1, 1)",
        properties=Properties(takes_both_signs=True, monotonic=True, bounded_below=True,
                              bounded_above=True, smooth=True, saturates="both tails (x → ±∞)"),
        derivative_max=1.0,
        derivative_from_output=_tanh_grad_from_output,
        derivative_from_output_formula=r"\tanh' = 1 - a^2",
    ),
    _entry(
        relu,
        family="rectifier",
        formula=r"\operatorname{relu}(x) = \max(0, x)",
        derivative_formula=(r"\operatorname{relu}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 "
                            r"\end{cases}"),
        output_range=r"[0, \infty)",
        properties=Properties(takes_both_signs=False, monotonic=True, bounded_below=True,
                              bounded_above=False, smooth=False,
                              saturates="x < 0 (gradient exactly 0)"),
        derivative_max=1.0,
        derivative_from_output=relu_grad,  # a > 0 exactly where x > 0
        derivative_from_output_formula=(r"\operatorname{relu}' = \begin{cases} 1 & a > 0 \\ 0 & a "
                                        r"= 0 \end{cases}"),
    ),
    _entry(
        relu6,
        family="rectifier",
        formula=r"\operatorname{relu6}(x) = \min\bigl(\max(0, x), 6\bigr)",
        derivative_formula=(r"\operatorname{relu6}'(x) = \begin{cases} 1 & 0 < x < 6 \\ 0 & "
                            r"\text{otherwise} \end{cases}"),
        output_range=r"[0, 6]",
        properties=Properties(takes_both_signs=False, monotonic=True, bounded_below=True,
                              bounded_above=True, smooth=False,
                              saturates="x < 0 and x > 6 (gradient exactly 0)"),
        derivative_max=1.0,
        derivative_from_output=relu6_grad,  # 0 < a < 6 exactly where 0 < x < 6
        derivative_from_output_formula=(r"\operatorname{relu6}' = \begin{cases} 1 & 0 < a < 6 \\ 0 "
                                        r"& \text{otherwise} \end{cases}"),
    ),
    _entry(
        leaky_relu,
        family="rectifier",
        formula=r"f(x) = \begin{cases} x & x > 0 \\ \alpha x & x \le 0 \end{cases}",
        derivative_formula=r"f'(x) = \begin{cases} 1 & x > 0 \\ \alpha & x \le 0 \end{cases}",
        output_range=r"(-\infty, \infty)",
        properties=Properties(takes_both_signs=True, monotonic=True, bounded_below=False,
                              bounded_above=False, smooth=False, saturates="never"),
        derivative_max=1.0, parameters={"alpha": 0.01},
        derivative_from_output=leaky_relu_grad,  # a > 0 exactly where x > 0
        derivative_from_output_formula=(r"f' = \begin{cases} 1 & a > 0 \\ \alpha & a \le 0 "
                                        r"\end{cases}"),
    ),
    _entry(
        prelu,
        family="rectifier",
        formula=(r"f(x) = \begin{cases} x & x > 0 \\ \alpha x & x \le 0 \end{cases}\quad(\alpha\ "
                 r"\text{learned})"),
        derivative_formula=(r"\frac{\partial f}{\partial x} = \begin{cases} 1 & x > 0 \\ \alpha & "
                            r"x \le 0 \end{cases}"),
        output_range=r"(-\infty, \infty)", keras_builtin=False,
        properties=Properties(takes_both_signs=True, monotonic=True, bounded_below=False,
                              bounded_above=False, smooth=False, saturates="never"),
        derivative_max=1.0, parameters={"alpha": 0.25},
        derivative_from_output=_prelu_grad_from_output,
        derivative_from_output_formula=(r"f' = \begin{cases} 1 & a > 0 \\ \alpha & a \le 0 "
                                        r"\end{cases}"),
    ),
    _entry(
        elu,
        family="rectifier",
        formula=(r"\operatorname{elu}(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le "
                 r"0 \end{cases}"),
        derivative_formula=(r"\operatorname{elu}'(x) = \begin{cases} 1 & x > 0 \\ \alpha\,e^{x} & "
                            r"x \le 0 \end{cases}"),
        output_range=r"(-\alpha, \infty)",
        properties=Properties(takes_both_signs=True, monotonic=True, bounded_below=True,
                              bounded_above=False, smooth=True, saturates="x → -∞ (to -α)"),
        derivative_max=1.0, parameters={"alpha": 1.0},
        derivative_from_output=_elu_grad_from_output,
        derivative_from_output_formula=(r"\operatorname{elu}' = \begin{cases} 1 & a > 0 \\ a + "
                                        r"\alpha & a \le 0 \end{cases}"),
    ),
    _entry(
        selu,
        family="rectifier",
        formula=(r"\operatorname{selu}(x) = \lambda \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) "
                 r"& x \le 0 \end{cases}"),
        derivative_formula=(r"\operatorname{selu}'(x) = \lambda \begin{cases} 1 & x > 0 \\ "
                            r"\alpha\,e^{x} & x \le 0 \end{cases}"),
        output_range=r"(-\lambda\alpha, \infty) \approx (-1.758, \infty)",
        properties=Properties(takes_both_signs=True, monotonic=True, bounded_below=True,
                              bounded_above=False, smooth=False, saturates="x → -∞ (to -λα)"),
        derivative_max=SELU_SCALE * SELU_ALPHA,
        derivative_from_output=_selu_grad_from_output,
        derivative_from_output_formula=(r"\operatorname{selu}' = \begin{cases} \lambda & a \ge 0 "
                                        r"\\ a + \lambda\alpha & a < 0 \end{cases}"),
    ),
    _entry(
        gelu,
        family="smooth",
        formula=(r"\operatorname{gelu}(x) = x\,\Phi(x) = "
                 r"\frac{x}{2}\operatorname{erfc}\!\left(-\frac{x}{\sqrt{2}}\right)"),
        derivative_formula=(r"\operatorname{gelu}'(x) = \Phi(x) + x\,\varphi(x), \quad \varphi(x) "
                            r"= \frac{e^{-x^2/2}}{\sqrt{2\pi}}"),
        output_range=r"[-0.170, \infty)",
        properties=Properties(takes_both_signs=True, monotonic=False, bounded_below=True,
                              bounded_above=False, smooth=True, saturates="x → -∞"),
        derivative_max=1.1289, parameters={"approximate": False},
    ),
    _entry(
        silu,
        family="smooth",
        formula=r"\operatorname{silu}(x) = x\,\sigma(x)",
        derivative_formula=(r"\operatorname{silu}'(x) = \sigma(x)\,\bigl(1 + x\,(1 - "
                            r"\sigma(x))\bigr)"),
        output_range=r"[-0.278, \infty)",
        properties=Properties(takes_both_signs=True, monotonic=False, bounded_below=True,
                              bounded_above=False, smooth=True, saturates="x → -∞"),
        derivative_max=1.0998,
    ),
    _entry(
        mish,
        family="smooth",
        formula=r"\operatorname{mish}(x) = x \tanh\bigl(\operatorname{softplus}(x)\bigr)",
        derivative_formula=(r"\operatorname{mish}'(x) = "
                            r"\tanh\bigl(\operatorname{softplus}(x)\bigr) + "
                            r"x\,\operatorname{sech}^2\bigl(\operatorname{softplus}(x)\bigr)"
                            r"\,\sigma(x)"),
        output_range=r"[-0.309, \infty)",
        properties=Properties(takes_both_signs=True, monotonic=False, bounded_below=True,
                              bounded_above=False, smooth=True, saturates="x → -∞"),
        derivative_max=1.0885,
    ),
    _entry(
        softplus,
        family="smooth",
        formula=r"\operatorname{softplus}(x) = \ln\left(1 + e^{x}\right)",
        derivative_formula=r"\operatorname{softplus}'(x) = \sigma(x)",
        output_range=r"(0, \infty)",
        properties=Properties(takes_both_signs=False, monotonic=True, bounded_below=True,
                              bounded_above=False, smooth=True, saturates="x → -∞"),
        derivative_max=1.0,
        derivative_from_output=_softplus_grad_from_output,
        derivative_from_output_formula=r"\operatorname{softplus}' = 1 - e^{-a}",
    ),
)

# ---------------------------------------------------------------------------
# The rest of Keras' activations (issue 13): in the registry for lookups and tables, but not in
# ACTIVATIONS, the thirteen that notebooks 02-12 study and compare (and train, in notebook 11).

def _celu_grad_from_output(a, alpha=1.0):
    alpha = real_parameter(alpha, "alpha", minimum=0)
    return elementwise(lambda e: where_positive(e, 1.0, e / alpha + 1), a)


def _exponential_grad_from_output(a):
    return elementwise(lambda e: e, a)


def _hard_sigmoid_grad_from_output(a):
    return elementwise(lambda h: where_positive(h, np.where(h < 1, 1 / 6, 0.0), 0.0), a)


def _shrink_grad_from_output(a, threshold=0.5):
    # a != 0 exactly where |x| > threshold
    return elementwise(lambda h: np.where(np.isnan(h), h, np.where(h != 0, 1.0, 0.0)), a)


def _log_sigmoid_grad_from_output(a):
    return elementwise(lambda e: -np.expm1(e), a)


def _softsign_grad_from_output(a):
    return elementwise(lambda e: (1 - np.abs(e)) ** 2, a)


def _sparse_plus_grad_from_output(a):
    return elementwise(lambda e: np.minimum(np.sqrt(e), 1.0), a)


def _sparse_sigmoid_grad_from_output(a):
    return elementwise(lambda e: where_positive(e, np.where(e < 1, 0.5, 0.0), 0.0), a)


def _squareplus_grad_from_output(a, b=4):
    b = real_parameter(b, "b", minimum=0)
    return elementwise(lambda e: np.where(e > 0, e * e / (e * e + b / 4), 0.5), a)


_ALONG_AN_AXIS = {"elementwise": False}

MORE_ACTIVATIONS = _registry(
    _entry(
        celu,
        family="smooth",
        formula=(r"\operatorname{celu}(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^{x/\alpha} - 1) "
                 r"& x \le 0 \end{cases}"),
        derivative_formula=(r"\operatorname{celu}'(x) = \begin{cases} 1 & x > 0 \\ e^{x/\alpha} & "
                            r"x \le 0 \end{cases}"),
        output_range=r"(-\alpha, \infty)",
        properties=Properties(takes_both_signs=True, monotonic=True, bounded_below=True,
                              bounded_above=False, smooth=True, saturates="x → -∞ (to -α)"),
        derivative_max=1.0, parameters={"alpha": 1.0},
        derivative_from_output=_celu_grad_from_output,
        derivative_from_output_formula=(r"\operatorname{celu}' = \begin{cases} 1 & a > 0 \\ "
                                        r"a/\alpha + 1 & a \le 0 \end{cases}"),
    ),
    _entry(
        exponential,
        family="classic",
        formula=r"f(x) = e^{x}",
        derivative_formula=r"f'(x) = e^{x}",
        output_range=r"(0, \infty)",
        properties=Properties(takes_both_signs=False, monotonic=True, bounded_below=True,
                              bounded_above=False, smooth=True, saturates="x → -∞"),
        derivative_max=math.inf,
        derivative_from_output=_exponential_grad_from_output,
        derivative_from_output_formula=r"f' = a",
    ),
    _entry(
        glu,
        family="gated",
        formula=(r"\operatorname{glu}(x) = a \odot \sigma(b), \quad x = [a, b]\ \text{split along "
                 r"the axis}"),
        derivative_formula=(r"\frac{\partial\,\operatorname{glu}}{\partial a} = \sigma(b), \quad "
                            r"\frac{\partial\,\operatorname{glu}}{\partial b} = "
                            r"a\,\sigma(b)\,\sigma(-b)"),
        output_range=r"(-\infty, \infty)",
        properties=Properties(takes_both_signs=True, monotonic=False, bounded_below=False,
                              bounded_above=False, smooth=True,
                              saturates="b → -∞ (the gate closes)"),
        derivative_max=math.inf, parameters={"axis": -1}, **_ALONG_AN_AXIS,
    ),
    _entry(
        hard_shrink,
        family="shrinkage",
        formula=r"f(x) = \begin{cases} x & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}",
        derivative_formula=(r"f'(x) = \begin{cases} 1 & |x| > \lambda \\ 0 & |x| \le \lambda "
                            r"\end{cases}"),
        output_range=r"(-\infty, -\lambda) \cup \{0\} \cup (\lambda, \infty)",
        properties=Properties(takes_both_signs=True, monotonic=True,
                              bounded_below=False, bounded_above=False,
                              smooth=False,
                              saturates="|x| ≤ λ (gradient exactly 0)", continuous=False),
        derivative_max=1.0, parameters={"threshold": 0.5},
        derivative_from_output=_shrink_grad_from_output,
        derivative_from_output_formula=r"f' = \begin{cases} 1 & a \ne 0 \\ 0 & a = 0 \end{cases}",
    ),
    _entry(
        hard_sigmoid,
        family="hard",
        formula=(r"f(x) = \frac{\operatorname{relu6}(x + 3)}{6} = \min\bigl(\max(\tfrac{x}{6} + "
                 r"\tfrac12, 0), 1\bigr)"),
        derivative_formula=(r"f'(x) = \begin{cases} \tfrac16 & -3 < x < 3 \\ 0 & \text{otherwise} "
                            r"\end{cases}"),
        output_range=r"[0, 1]",
        properties=Properties(takes_both_signs=False, monotonic=True,
                              bounded_below=True, bounded_above=True,
                              smooth=False, saturates="x ≤ -3 and x ≥ 3 (gradient exactly 0)"),
        derivative_max=1 / 6,
        derivative_from_output=_hard_sigmoid_grad_from_output,
        derivative_from_output_formula=(r"f' = \begin{cases} \tfrac16 & 0 < a < 1 \\ 0 & "
                                        r"\text{otherwise} \end{cases}"),
    ),
    _entry(
        hard_silu,
        family="hard",
        formula=r"f(x) = x\,\frac{\operatorname{relu6}(x + 3)}{6}",
        derivative_formula=(r"f'(x) = \begin{cases} 0 & x \le -3 \\ \frac{2x + 3}{6} & -3 < x < 3 "
                            r"\\ 1 & x \ge 3 \end{cases}"),
        output_range=r"[-0.375, \infty)",
        properties=Properties(takes_both_signs=True, monotonic=False,
                              bounded_below=True, bounded_above=False,
                              smooth=False, saturates="x ≤ -3 (gradient exactly 0)"),
        derivative_max=1.5,
    ),
    _entry(
        hard_tanh,
        family="hard",
        formula=r"f(x) = \min\bigl(\max(x, -1), 1\bigr)",
        derivative_formula=(r"f'(x) = \begin{cases} 1 & -1 \le x \le 1 \\ 0 & \text{otherwise} "
                            r"\end{cases}"),
        output_range=r"[-1, 1]",
        properties=Properties(takes_both_signs=True, monotonic=True,
                              bounded_below=True, bounded_above=True,
                              smooth=False, saturates="|x| > 1 (gradient exactly 0)"),
        derivative_max=1.0,
    ),
    _entry(
        log_sigmoid,
        family="classic",
        formula=r"f(x) = \ln \sigma(x) = -\ln\left(1 + e^{-x}\right)",
        derivative_formula=r"f'(x) = \sigma(-x) = 1 - \sigma(x)",
        output_range=r"(-\infty, 0)",
        properties=Properties(takes_both_signs=False, monotonic=True, bounded_below=False,
                              bounded_above=True, smooth=True, saturates="x → +∞"),
        derivative_max=1.0,
        derivative_from_output=_log_sigmoid_grad_from_output,
        derivative_from_output_formula=r"f' = 1 - e^{a}",
    ),
    _entry(
        soft_shrink,
        family="shrinkage",
        formula=r"f(x) = \operatorname{sign}(x)\,\max(|x| - \lambda, 0)",
        derivative_formula=(r"f'(x) = \begin{cases} 1 & |x| > \lambda \\ 0 & |x| \le \lambda "
                            r"\end{cases}"),
        output_range=r"(-\infty, \infty)",
        properties=Properties(takes_both_signs=True, monotonic=True,
                              bounded_below=False, bounded_above=False,
                              smooth=False, saturates="|x| ≤ λ (gradient exactly 0)"),
        derivative_max=1.0, parameters={"threshold": 0.5},
        derivative_from_output=_shrink_grad_from_output,
        derivative_from_output_formula=r"f' = \begin{cases} 1 & a \ne 0 \\ 0 & a = 0 \end{cases}",
    ),
    _entry(
        softsign,
        family="classic",
        formula=r"f(x) = \frac{x}{1 + |x|}",
        derivative_formula=r"f'(x) = \frac{1}{(1 + |x|)^2}",
        output_range=r"(-1, 1)",
        properties=Properties(takes_both_signs=True, monotonic=True,
                              bounded_below=True, bounded_above=True,
                              smooth=True, saturates="both tails, slowly (f' ~ 1/x²)"),
        derivative_max=1.0,
        derivative_from_output=_softsign_grad_from_output,
        derivative_from_output_formula=r"f' = (1 - |a|)^2",
    ),
    _entry(
        sparse_plus,
        family="sparse",
        formula=(r"f(x) = \begin{cases} 0 & x \le -1 \\ \frac{(x + 1)^2}{4} & -1 < x < 1 \\ x & x "
                 r"\ge 1 \end{cases}"),
        derivative_formula=(r"f'(x) = \begin{cases} 0 & x \le -1 \\ \frac{x + 1}{2} & -1 < x < 1 "
                            r"\\ 1 & x \ge 1 \end{cases}"),
        output_range=r"[0, \infty)",
        properties=Properties(takes_both_signs=False, monotonic=True,
                              bounded_below=True, bounded_above=False,
                              smooth=True, saturates="x ≤ -1 (gradient exactly 0)"),
        derivative_max=1.0,
        derivative_from_output=_sparse_plus_grad_from_output,
        derivative_from_output_formula=r"f' = \min(\sqrt{a}, 1)",
    ),
    _entry(
        sparse_sigmoid,
        family="sparse",
        formula=r"f(x) = \min\bigl(\max(\tfrac{x + 1}{2}, 0), 1\bigr)",
        derivative_formula=(r"f'(x) = \begin{cases} \tfrac12 & -1 < x < 1 \\ 0 & \text{otherwise} "
                            r"\end{cases}"),
        output_range=r"[0, 1]",
        properties=Properties(takes_both_signs=False, monotonic=True,
                              bounded_below=True, bounded_above=True,
                              smooth=False, saturates="|x| ≥ 1 (gradient exactly 0)"),
        derivative_max=0.5,
        derivative_from_output=_sparse_sigmoid_grad_from_output,
        derivative_from_output_formula=(r"f' = \begin{cases} \tfrac12 & 0 < a < 1 \\ 0 & "
                                        r"\text{otherwise} \end{cases}"),
    ),
    _entry(
        sparsemax,
        family="sparse",
        formula=(r"\operatorname{sparsemax}(z)_i = \max(z_i - \tau(z), 0), \quad \textstyle\sum_i "
                 r"\operatorname{sparsemax}(z)_i = 1"),
        derivative_formula=(r"\frac{\partial p_i}{\partial z_j} = s_i \left(\delta_{ij} - "
                            r"\frac{s_j}{|S|}\right), \quad s_i = [p_i > 0]"),
        output_range=r"[0, 1]",
        properties=Properties(takes_both_signs=False, monotonic=True,
                              bounded_below=True, bounded_above=True,
                              smooth=False, saturates="logits at or below τ (gradient exactly 0)"),
        derivative_max=1.0, parameters={"axis": -1}, **_ALONG_AN_AXIS,
    ),
    _entry(
        squareplus,
        family="smooth",
        formula=r"f(x) = \frac{x + \sqrt{x^2 + b}}{2}",
        derivative_formula=r"f'(x) = \frac12\left(1 + \frac{x}{\sqrt{x^2 + b}}\right)",
        output_range=r"(0, \infty)",
        properties=Properties(takes_both_signs=False, monotonic=True, bounded_below=True,
                              bounded_above=False, smooth=True, saturates="x → -∞ (f' ~ b/(4x²))"),
        derivative_max=1.0, parameters={"b": 4.0},
        derivative_from_output=_squareplus_grad_from_output,
        derivative_from_output_formula=r"f' = \frac{a^2}{a^2 + b/4}",
    ),
    _entry(
        tanh_shrink,
        family="shrinkage",
        formula=r"f(x) = x - \tanh(x)",
        derivative_formula=r"f'(x) = \tanh^2(x)",
        output_range=r"(-\infty, \infty)",
        properties=Properties(takes_both_signs=True, monotonic=True,
                              bounded_below=False, bounded_above=False,
                              smooth=True, saturates="never (f' = tanh² x is 0 only at x = 0)"),
        derivative_max=1.0,
    ),
    _entry(
        threshold,
        family="rectifier",
        formula=r"f(x) = \begin{cases} x & x > \theta \\ v & x \le \theta \end{cases}",
        derivative_formula=r"f'(x) = \begin{cases} 1 & x > \theta \\ 0 & x \le \theta \end{cases}",
        output_range=r"\{v\} \cup (\theta, \infty)",
        properties=Properties(takes_both_signs=False, monotonic=True,
                              bounded_below=True, bounded_above=False,
                              smooth=False,
                              saturates="x ≤ θ (gradient exactly 0)", continuous=False),
        derivative_max=1.0, parameters={"threshold": 1.0, "default_value": 0.0},
    ),
)

ALL_ACTIVATIONS = MappingProxyType({**ACTIVATIONS, **MORE_ACTIVATIONS})

ALIASES = MappingProxyType({"swish": "silu", "hard_swish": "hard_silu"})


def get(name):
    """Return the registry entry for `name` (or an alias such as "swish"), from ALL_ACTIVATIONS."""
    key = ALIASES.get(name, name) if isinstance(name, str) else name
    if key not in ALL_ACTIVATIONS:
        known = ", ".join(sorted([*ALL_ACTIVATIONS, *ALIASES]))
        raise KeyError(f"unknown activation {name!r}; known: {known}")
    return ALL_ACTIVATIONS[key]


def mean_output(activation, **parameters):
    """E[f(Z)] for Z ~ N(0, 1): the mean output of a unit whose pre-activations are standard normal.

    0 for an odd f (tanh), and the number to read next to "takes both signs": a function can take
    both signs and still have a mean far from 0. Integrated by `_normal_expectation` (to about
    1e-12); the result is rounded to 10 decimals, so that an exact 0 prints as 0. Returns an
    np.float64, the NumPy scalar the activations return for a scalar. Raises ValueError for glu
    and sparsemax, which act along an axis.
    """
    entry = get(activation) if isinstance(activation, str) else activation
    if not entry.elementwise:
        raise ValueError(f"{entry.name} acts along an axis, not elementwise: "
                         "mean_output does not apply")
    total = _normal_expectation(lambda z: entry(z, **parameters))
    return np.float64(round(total, 10) + 0.0)  # + 0.0 turns -0.0 into 0.0



def summary_table(entries=None):
    """One row (a dict) per activation, for a notebook to render as a table.

    entries: the activations (entries or names) to list; by default ACTIVATIONS, the course's
    thirteen; ALL_ACTIVATIONS.values() adds the rest of Keras' (their mean_output is None for
    glu and sparsemax, which act along an axis).
    """
    entries = ACTIVATIONS.values() if entries is None else [
        get(entry) if isinstance(entry, str) else entry for entry in entries]
    return [
        {
            "name": activation.name,
            "family": activation.family,
            "formula": activation.formula,
            "range": activation.output_range,
            "takes_both_signs": activation.properties.takes_both_signs,
            "mean_output": mean_output(activation) if activation.elementwise else None,
            "monotonic": activation.properties.monotonic,
            "saturates": activation.properties.saturates,
            "derivative_max": activation.derivative_max,
            "keras_name": activation.keras_name,
        }
        for activation in entries
    ]


# ---------------------------------------------------------------------------
# The gain of an activation: the weight scale that keeps a signal's size through depth.

GAIN_MODES = ("forward", "backward")


def gain(activation, mode="forward", **parameters):
    """The gain of an activation f: the factor g such that weights of variance g^2 / fan_in keep
    the second moment of the signal through a layer, when the pre-activations are N(0, 1).

        mode="forward":   g = 1 / sqrt(E[f(Z)^2]),   Z ~ N(0, 1)
        mode="backward":  g = 1 / sqrt(E[f'(Z)^2]),  Z ~ N(0, 1)

    Why: a Dense layer computes z = sum_i a_i W_i over fan_in inputs a_i, with weights
    independent of the inputs, mean 0 and variance s^2, so E[z^2] = fan_in s^2 E[a^2]. With
    s^2 = g^2 / fan_in and a = f(z_prev), z_prev ~ N(0, 1), forward mode gives E[z^2] = 1 again:
    the activations keep their scale, layer after layer (a fixed point). Backwards, the gradient
    dL/da_prev = W dL/dz with dL/dz = f'(z) dL/da gives E[(dL/da_prev)^2] =
    fan_out s^2 E[f'(z)^2] E[(dL/da)^2]: backward mode keeps the gradient's second moment
    (with fan_out in place of fan_in; the same for square layers). The two agree only for
    positively homogeneous f such as ReLU (both sqrt 2) and linear (1); for tanh they are 1.5925
    and 1.4674, for the sigmoid 1.8462 and 4.7226.

    Computed from the activation itself (`get(activation)` and its derivative, with the
    registry's parameters unless given, e.g. alpha=0.2) by numerical integration against the
    normal density (`_normal_expectation`, accurate to about 1e-12), not read from a table.

    activation: a registry name ("tanh"; aliases such as "swish" too) or entry. Returns a float.
    Raises ValueError for an unknown activation or mode (naming the valid ones), and whatever
    the activation raises for invalid parameters.

    Sources: Glorot & Bengio (2010), "Understanding the difficulty of training deep feedforward
    neural networks" (the forward and backward conditions); He et al. (2015), "Delving deep into
    rectifiers" (gain sqrt 2 for ReLU, sqrt(2 / (1 + alpha^2)) for PReLU, forward and backward
    cases); Klambauer et al. (2017), "Self-normalizing neural networks" (SELU: gain 1 by
    construction). PyTorch's torch.nn.init.calculate_gain is a table of conventions (tanh 5/3,
    SELU 3/4, sigmoid 1), not this integral.
    """
    entry = _registry_entry(activation)
    if not entry.elementwise:
        raise ValueError(f"{entry.name} acts along an axis, not elementwise: gain does not apply")
    if mode not in GAIN_MODES:
        raise ValueError(f"mode: expected one of {', '.join(map(repr, GAIN_MODES))}, got {mode!r}")
    parameters = tuple(sorted({**entry.parameters, **parameters}.items()))
    if ACTIVATIONS.get(entry.name) is entry and _hashable(parameters):
        return _registry_gain(entry.name, mode, parameters)
    return _gain(entry, mode, parameters)


@functools.lru_cache(maxsize=1024)
def _registry_gain(name, mode, parameters):
    """`_gain` of a registry activation, computed once per mode and parameters (about 0.1 s)."""
    return _gain(ACTIVATIONS[name], mode, parameters)


def _hashable(value):
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _gain(entry, mode, parameters):
    function = entry.function if mode == "forward" else entry.derivative
    keywords = dict(parameters)
    second_moment = _normal_expectation(lambda z: float(function(z, **keywords)) ** 2)
    return 1.0 / math.sqrt(second_moment)


def _registry_entry(activation):
    """The registry entry for a name or entry; an unknown name is a ValueError listing the known."""
    if isinstance(activation, Activation):
        return activation
    try:
        return get(activation)
    except KeyError:
        known = ", ".join(sorted([*ALL_ACTIVATIONS, *ALIASES]))
        raise ValueError(f"activation: expected one of {known}; got {activation!r}") from None


# Where QUADPACK starts its subdivision: the corners of the course's activations (0, ReLU6's 6)
# and the kinks of common piecewise activations (+-0.5, +-1, +-2, +-2.5, +-3), so that every
# piece it integrates is smooth. A kink elsewhere still converges, adaptively, only more slowly.
_BREAKPOINTS = (-10.0, -6.0, -3.0, -2.5, -2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 2.5, 3.0, 6.0, 10.0)
_TAIL = 40.0  # the normal density beyond |z| = 40 is below 1e-347: 0 in float64


def _normal_expectation(function):
    """E[g(Z)] for Z ~ N(0, 1) and a scalar function g, by adaptive Gauss-Kronrod quadrature
    (scipy.integrate.quad, QUADPACK) of g(z) phi(z) on [-40, 40], split at _BREAKPOINTS.

    The error is about 1e-12 (relative) for the course's activations and their squares (their
    tests compare with mpmath); a tighter request meets QUADPACK's round-off limit and warns.
    Integrating on a finite range, not to infinity, keeps g away from the huge arguments
    (1e300) where relu(z)^2 overflows and inf * 0 gives nan.
    """
    def integrand(z):
        return function(z) * math.exp(-0.5 * z * z) / _ROOT_2PI

    value, _ = integrate.quad(integrand, -_TAIL, _TAIL, points=_BREAKPOINTS, limit=400,
                              epsabs=1e-13, epsrel=1e-12)
    return value


_ROOT_2PI = math.sqrt(2 * math.pi)
