"""The registry of activations: what each one is, for plots, tables and lookups.

`ACTIVATIONS` maps a name to an `Activation`: its function and derivative (from
course_lib.activations), formulas in LaTeX, output range, Keras name, qualitative
`Properties`, the derivative's maximum and, where an identity exists, the derivative
as a function of the output. `get(name)` looks one up (aliases such as "swish" too),
`mean_output` measures E[f(Z)] for Z ~ N(0, 1), and `summary_table()` lists them all.
Every name here is importable from course_lib.activations as well.
"""

import math
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Callable, Mapping, Optional

import numpy as np

from course_lib import activations
from course_lib._floating import where_positive
from course_lib._kernels import SELU_ALPHA, SELU_SCALE
from course_lib._validation import elementwise, real_parameter, slope_array
from course_lib.activations import (elu, gelu, leaky_relu, leaky_relu_grad, linear, mish, prelu,
                                    prelu_grad, relu, relu6, relu6_grad, relu_grad, selu, sigmoid,
                                    silu, softplus, tanh)

__all__ = ["Activation", "Properties", "ACTIVATIONS", "ALIASES", "get", "mean_output",
           "summary_table"]


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
    # a > 0 exactly where x > 0 only while every slope is >= 0: with alpha < 0, x < 0 gives a > 0 too
    slopes = slope_array(alpha, a)
    if np.any(slopes < 0):
        raise ValueError("alpha: the derivative can be read from the output only when alpha >= 0 "
                         "(with alpha < 0, a > 0 comes from x > 0 and from x < 0); use prelu_grad(x, alpha)")
    return prelu_grad(a, alpha)


def _selu_grad_from_output(a):
    # a = 0 only at x = 0, where selu_grad takes the right slope, scale
    return elementwise(lambda e: np.where(e >= 0, SELU_SCALE, e + SELU_SCALE * SELU_ALPHA), a)


def _softplus_grad_from_output(a):
    return elementwise(lambda p: -np.expm1(-p), a)


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
    the result is rounded to 10 decimals, so that an exact 0 prints as 0. Returns an np.float64,
    the NumPy scalar the activations return for a scalar.
    """
    entry = get(activation) if isinstance(activation, str) else activation
    total = 0.0
    for start, stop in ((-12.0, 0.0), (0.0, 6.0), (6.0, 12.0)):
        z, step = np.linspace(start, stop, 6_001, retstep=True)
        weights = np.ones_like(z)
        weights[1:-1:2], weights[2:-1:2] = 4.0, 2.0
        density = np.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)
        total += float(step / 3 * np.sum(weights * entry(z, **parameters) * density))
    return np.float64(round(total, 10) + 0.0)  # + 0.0 turns -0.0 into 0.0


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
