"""Checks for the sigmoid notebook: a sigmoid that never overflows, where float32 loses s(1 - s), the logit."""

import math

import numpy as np

from course_lib import activations
from course_lib.exercises import Hint, call_elementwise, call_without_overflow, exercise, mismatches, number

FLOAT32_ONE_THRESHOLD = 25 * math.log(2)  # sigma(x) rounds to 1 in float32 once e^-x < 2^-25


@exercise("sigmoid.1")
def check_stable_sigmoid(sigmoid):
    """A sigmoid that gives the right value for every float64 input without overflowing."""
    x = np.array([-1000.0, -745.0, -40.0, -1.0, 0.0, 1.0, 40.0, 1000.0])
    result = call_without_overflow(sigmoid, x, "exp overflowed. Only ever take exp of a number <= 0: exp(-|x|). "
                                   "Careful: np.where evaluates both branches for every element, so a "
                                   "branch that overflows still overflows")
    expected = activations.sigmoid(x)
    if np.isnan(result).any():
        raise Hint(f"you return nan at x = {x[np.isnan(result)].tolist()}: inf / inf is nan")
    wrong = mismatches(result, expected, x)
    if wrong:
        raise Hint(f"wrong values at x = {wrong}; for x < 0 use e^x / (1 + e^x), which keeps the "
                   "tiny values that 1 - (something close to 1) would round away")


@exercise("sigmoid.2")
def check_float32_threshold(x_star):
    """The x beyond which s(1 - s) is exactly 0 in float32 (about 25 ln 2 = 17.33)."""
    x_star = number(x_star)
    if abs(x_star - 37) < 1.5:
        raise Hint("that is the float64 threshold; redo it with float32 inputs (np.float32(x))")
    if abs(x_star - 24 * math.log(2)) < 0.01:
        raise Hint("that is where the naive 1 / (1 + e^-x) reaches 1 in float32 (1 + e^-x rounds to 1 "
                   "first); the exercise asks about activations.sigmoid, which rounds only once")
    if abs(x_star - FLOAT32_ONE_THRESHOLD) > 0.01:
        side = "small: s(1 - s) is not 0 there yet" if x_star < FLOAT32_ONE_THRESHOLD else "large"
        raise Hint(f"{x_star:g} is too {side}. s(1 - s) is 0 exactly when s rounds to 1.0; in float32 "
                   "the number just below 1 is 1 - 2^-24, so s rounds to 1 once 1 - s = e^-x/(1 + e^-x) "
                   "is below half that gap (to 0.01)")


@exercise("sigmoid.3")
def check_logit(logit):
    """The inverse of the sigmoid: logit(p) = ln(p / (1 - p)), for 0 < p < 1."""
    p = np.array([1e-12, 0.01, 0.25, 0.5, 0.75, 0.99])
    result = call_elementwise(logit, p)
    if not np.isclose(result[3], 0.0, atol=1e-12):
        raise Hint(f"logit(0.5) should be 0 (sigma(0) = 0.5), got {result[3]:.4g}")
    if np.allclose(result, -np.log(p / (1 - p)), rtol=1e-9):
        raise Hint("the sign is flipped: large p must give large positive x")
    back = activations.sigmoid(result)
    if not np.allclose(back, p, rtol=1e-9, atol=0):
        raise Hint("sigmoid(logit(p)) should give p back. Solve p = 1 / (1 + e^-x) for x: "
                   "first e^-x = (1 - p) / p")
