"""Checks for the tanh notebook: sigmoid from tanh, a tanh derivative that does not break, half the
gradient."""

import math

import numpy as np

from course_lib import activations
from course_lib.exercises import (
    Hint,
    answer_by_hand,
    call_elementwise,
    call_without_overflow,
    exercise,
    mismatches,
    number,
)

HALF_GRADIENT_X = math.log(1 + math.sqrt(2))  # artanh(1/sqrt 2): where tanh' = 1 - tanh^2 = 1/2


@exercise("tanh.1")
def check_sigmoid_from_tanh(sigmoid_from_tanh):
    """sigma(x) = (1 + tanh(x / 2)) / 2, from tanh(x) = 2 sigma(2x) - 1."""
    x = np.linspace(-20.0, 20.0, 81)
    result = call_elementwise(answer_by_hand(sigmoid_from_tanh), x)
    if np.allclose(result, (1 + np.tanh(x)) / 2, atol=1e-12):
        raise Hint("that is sigma(2x): tanh(x) = 2 sigma(2x) - 1 relates tanh at x to sigma at 2x, "
                   "so sigma at x needs tanh at x / 2")
    if np.allclose(result, np.tanh(x / 2) / 2, atol=1e-12):
        raise Hint("your values are centred on 0, but sigma(0) = 1/2: something is missing")
    if not np.allclose(result, activations.sigmoid(x), rtol=0, atol=1e-12):
        raise Hint("solve tanh(y) = 2 sigma(2y) - 1 for sigma(2y), then put y = x / 2")


@exercise("tanh.2")
def check_stable_tanh_grad(tanh_grad):
    """tanh'(x) to 12 digits for |x| <= 400: no early 0 (1 - tanh^2), no overflow (cosh, e^2x)."""
    x = np.array([-400.0, -300.0, -30.0, -1.0, 0.0, 0.5, 5.0, 19.0, 30.0, 300.0, 400.0])
    result = call_without_overflow(answer_by_hand(tanh_grad), x, "something overflowed (cosh(400) "
                                                                 "and e^800 are beyond "
                                                                 "float64): "
                                   "write tanh' with e^(-2|x|), which is at most 1")
    expected = activations.tanh_grad(x)
    if np.all(result[np.abs(x) >= 30] == 0):
        raise Hint("you return 0 for |x| >= 30, but tanh'(30) is about 3.5e-26: 1 - tanh(x)^2 "
                   "subtracts two numbers that are both 1.0 in float64")
    wrong = mismatches(result, expected, x)
    if wrong:
        raise Hint(f"wrong values at x = {wrong}; tanh'(x) = 4 / (e^x + e^-x)^2: multiply top "
                   "and bottom by e^(-2|x|)")


@exercise("tanh.3")
def check_half_gradient(x_half):
    """The x > 0 where tanh'(x) = 1/2: tanh(x) = 1/sqrt(2), x = artanh(1/sqrt 2) = ln(1 + sqrt
    2)."""
    x_half = number(x_half)
    if abs(x_half - math.atanh(0.5)) < 1e-3:
        raise Hint("that x makes tanh(x) = 1/2; the gradient is 1 - tanh(x)^2, so you need "
                   "tanh(x)^2 = 1/2")
    if x_half < 0:
        raise Hint("the question asks for the positive solution")
    if abs(x_half - HALF_GRADIENT_X) > 1e-3:
        raise Hint(f"tanh'({x_half:g}) = {float(activations.tanh_grad(x_half)):.3f}, not 0.5. "
                   "Use the derivative from the output: find the output a = tanh(x) first, "
                   "then the x that gives it")
