"""Checks for the sigmoid notebook: a sigmoid that never overflows, where float32 loses s(1 - s),
the input for a given probability (log-odds)."""

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

FLOAT32_ONE_THRESHOLD = 25 * math.log(2)  # sigma(x) rounds to 1 in float32 once e^-x < 2^-25


SMALLEST_NORMAL = float(np.finfo(np.float64).tiny)  # 2.2e-308; below it, subnormals


@exercise("sigmoid.1")
def check_stable_sigmoid(sigmoid):
    """A sigmoid without overflow, to 12 digits wherever the true value is a normal float64.

    Below 2.2e-308 (x < -708.4) the true value is subnormal: an answer may return it or flush it
    to 0 (as scipy.special.expit does), so the check there asks only for an absolute error below
    the smallest normal number.
    """
    x = np.array([-1000.0, -745.0, -720.0, -700.0, -40.0, -1.0, 0.0, 1.0, 40.0, 1000.0])
    result = call_without_overflow(
        answer_by_hand(sigmoid), x,
        "exp overflowed. Only ever take exp of a number <= 0: exp(-|x|). Careful: np.where "
        "evaluates both branches for every element, so a branch that overflows still overflows")
    expected = activations.sigmoid(x)
    if np.isnan(result).any():
        raise Hint(f"you return nan at x = {x[np.isnan(result)].tolist()}: inf / inf is nan")
    normal = expected >= SMALLEST_NORMAL
    wrong = mismatches(result[normal], expected[normal], x[normal])
    wrong += x[~normal & (np.abs(result - expected) >= SMALLEST_NORMAL)].tolist()
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
        raise Hint("that is where the naive 1 / (1 + e^-x) reaches 1 in float32 (1 + e^-x rounds "
                   "to 1 "
                   "first); the exercise asks about activations.sigmoid, which rounds only once")
    if abs(x_star - FLOAT32_ONE_THRESHOLD) > 0.01:
        side = "small: s(1 - s) is not 0 there yet" if x_star < FLOAT32_ONE_THRESHOLD else "large"
        raise Hint(f"{x_star:g} is too {side}. s(1 - s) is 0 exactly when s rounds to 1.0; in "
                   f"float32 "
                   "the number just below 1 is 1 - 2^-24, so s rounds to 1 once 1 - s = e^-x/(1 + "
                   "e^-x) "
                   "is below half that gap (to 0.01)")


LOGIT_SLOPE, LOGIT_INTERCEPT = 2.0, -1.0   # the classifier of exercise 3: p = sigma(2 x - 1)


@exercise("sigmoid.3")
def check_x_for_probability(x_for_probability):
    """The input x at which p = sigma(w x + b) with w = 2, b = -1: x = (ln(p / (1 - p)) - b) / w."""
    p = np.array([1e-12, 0.01, 0.25, 0.5, 0.75, 0.99])
    result = call_elementwise(answer_by_hand(x_for_probability), p)
    log_odds = np.log(p) - np.log1p(-p)
    expected = (log_odds - LOGIT_INTERCEPT) / LOGIT_SLOPE
    if np.allclose(result, expected, rtol=1e-9, atol=1e-12):
        return
    if np.allclose(result, log_odds, rtol=1e-9, atol=1e-12):
        raise Hint("that is z = w x + b, the log-odds; the exercise asks for the input x")
    if np.allclose(result, -expected, rtol=1e-9, atol=1e-12) or np.allclose(
            result, (-log_odds - LOGIT_INTERCEPT) / LOGIT_SLOPE, rtol=1e-9, atol=1e-12):
        raise Hint("the sign is flipped: a larger p must give a larger x (w > 0)")
    if not np.isclose(result[3], 0.5, atol=1e-12):
        raise Hint(f"at p = 0.5 the log-odds are 0, so w x + b = 0: x = -b / w. You give "
                   f"{result[3]:.4g} there")
    raise Hint("sigma(2 x - 1) of your x should give p back. Undo the sigmoid first (its inverse "
               "is in section 1), then the affine map")
