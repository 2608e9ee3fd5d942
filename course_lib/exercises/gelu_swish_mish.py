"""Checks for the GELU, Swish and Mish notebook: a softplus that never overflows, SiLU's derivative
from its output and gate, and the Taylor coefficient behind GELU's tanh approximation."""

import math

import numpy as np

from course_lib import activations
from course_lib.exercises import (Hint, attempted, call, call_without_overflow, exercise,
                                  mismatches, number)
from course_lib.grading import UsesCourseLib, by_hand

# matches the x^3 terms of Phi and of the tanh form
GELU_TAYLOR_COEFFICIENT = 2 / (3 * math.pi) - 1 / 6


@exercise("gelu_swish_mish.1")
def check_stable_softplus(softplus):
    """ln(1 + e^x) for every float64 input: no overflow, and the tiny values for very negative x
    kept."""
    attempted(softplus)
    try:
        softplus = by_hand(softplus)
    except TypeError:   # not a Python function (a lambda is one): checked as it is
        pass
    try:
        _check_stable_softplus(softplus)
    except UsesCourseLib:
        raise Hint("it calls course_lib's softplus; the exercise asks you to write it with "
                   "NumPy") from None


def _check_stable_softplus(softplus):
    x = np.array([-1000.0, -745.0, -40.0, -1.0, 0.0, 1.0, 40.0, 709.0, 710.0, 1000.0, 1e308])
    result = call_without_overflow(
        softplus, x,
        "exp overflowed. np.where evaluates both branches, so e^x is computed for the large x "
        "too. Rewrite ln(1 + e^x) for x > 0 so that e is only raised to powers <= 0")
    expected = activations.softplus(x)
    if np.isnan(result).any():
        raise Hint(f"you return nan at x = {x[np.isnan(result)].tolist()}")
    wrong = mismatches(result, expected, x, rtol=1e-12)
    if wrong and all(value <= -40 for value in wrong):
        raise Hint(f"wrong values at x = {wrong}: 1 + e^x rounds to exactly 1 there, and "
                   "ln(1) = 0. Section 6 names the NumPy function that computes ln(1 + u) "
                   "without forming 1 + u")
    if wrong:
        raise Hint(f"wrong values at x = {wrong}; for x > 0, factor e^x out of 1 + e^x")


@exercise("gelu_swish_mish.2")
def check_silu_grad_from_output(silu_grad):
    """silu'(x) from the output a = x sigma(x) and the gate s = sigma(x): a + s (1 - a)."""
    # not near -1.278, where silu' = 0 cancels
    x = np.array([-30.0, -5.0, -2.0, -0.5, 0.0, 0.5, 3.0, 20.0])
    a, s = activations.silu(x), activations.sigmoid(x)
    result = np.asarray(call(silu_grad, a, s), dtype=float)
    if result.shape != x.shape:
        raise Hint(f"work elementwise: for arrays of shape {x.shape} you returned shape "
                   f"{result.shape}")
    expected = activations.silu_grad(x)
    if np.allclose(result, s * (1 - s), rtol=1e-9, atol=1e-15):
        raise Hint("that is the sigmoid's derivative; SiLU is x sigma(x), so use the product rule")
    if np.allclose(result, s + a * (1 - a), rtol=1e-9, atol=1e-15):
        raise Hint("close. In sigma' = sigma (1 - sigma) both factors are the gate s; which "
                   "letter did you put in the second one?")
    wrong = mismatches(result, expected, x, rtol=1e-9)
    if wrong:
        raise Hint(f"wrong values at x = {wrong}. Differentiate x sigma(x) with the product rule, "
                   "use sigma' = sigma (1 - sigma), and replace x sigma(x) by a")


@exercise("gelu_swish_mish.3")
def check_gelu_taylor_coefficient(c):
    """The c for which (1 + tanh(sqrt(2/pi) (x + c x^3))) / 2 and Phi(x) agree up to x^3:
    2/(3 pi) - 1/6."""
    c = number(c)
    if math.isclose(c, 0.044715, rel_tol=1e-6):
        raise Hint("that is the published constant; the exercise asks for the one the Taylor "
                   "series gives (they differ in the third digit)")
    if math.isclose(c, 2 / (3 * math.pi), rel_tol=1e-3) or math.isclose(c, 1 / 6, rel_tol=1e-3):
        raise Hint("two terms contribute to x^3 on the tanh side: k c x^3 from the argument, and "
                   "-u^3/3 from tanh u = u - u^3/3 + ...")
    if not math.isclose(c, GELU_TAYLOR_COEFFICIENT, rel_tol=1e-6):
        raise Hint(f"{c:.6g} is not it. Expand both sides to x^3: "
                   "Phi(x) = 1/2 + (x - x^3/6)/sqrt(2 pi) + ..., and tanh u = u - u^3/3 + ... "
                   "with u = k (x + c x^3), k = sqrt(2/pi)")
