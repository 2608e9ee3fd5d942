"""Checks for the ELU and SELU notebook: CELU's derivative from its output, an ELU that neither
overflows nor loses digits, and the map that makes SELU self-normalising."""

import numpy as np

from course_lib import activations
from course_lib.exercises import (Hint, attempted, call, call_elementwise, call_without_overflow,
                                  exercise, mismatches, number)
from course_lib.grading import UsesCourseLib, by_hand

USES_COURSE_LIB = ("it calls course_lib's own ELU code; the exercise asks you to write it with "
                   "NumPy")


def _by_hand(function, allowed=()):
    """The learner's function, refusing calls into course_lib (only Python functions can be
    wrapped; anything else is passed on as it is)."""
    try:
        return by_hand(function, allowed)
    except TypeError:
        return function


@exercise("elu_selu.1")
def check_celu_grad_from_output(celu_grad_from_output):
    """celu'(x) from a = celu(x) alone (Barron 2017): 1 where a > 0, a / alpha + 1 where a <= 0."""
    attempted(celu_grad_from_output)
    try:
        _check_celu_grad_from_output(_by_hand(celu_grad_from_output))
    except UsesCourseLib:
        raise Hint("it calls course_lib's own code; the exercise asks you to write it with "
                   "NumPy") from None


def _check_celu_grad_from_output(celu_grad_from_output):
    x = np.array([-5.0, -3.0, -1.0, -0.25, 0.5, 2.0, 10.0])  # further left a / alpha + 1 cancels
    for alpha in (1.0, 0.5, 2.0):
        a = np.where(x > 0, x, alpha * np.expm1(x / alpha))
        result = call_elementwise(lambda out: celu_grad_from_output(out, alpha), a)
        expected = np.where(x > 0, 1.0, np.exp(x / alpha))
        if alpha != 1.0 and np.allclose(result, np.where(a > 0, 1.0, a + alpha), rtol=1e-9):
            raise Hint("that is ELU's derivative from its output. CELU's exponent is x / alpha: "
                       "differentiate alpha (e^(x / alpha) - 1) again, then write the result in "
                       "terms of a")
        if alpha != 1.0 and np.allclose(result, np.where(a > 0, 1.0, a + 1.0), rtol=1e-9):
            raise Hint(f"right for alpha = 1 only; with alpha = {alpha:g}, solve "
                       "a = alpha (e^(x / alpha) - 1) for e^(x / alpha)")
        if np.allclose(result, np.where(a > 0, 1.0, np.exp(a / alpha)), rtol=1e-9):
            raise Hint("e^(x / alpha) needs the input x, but the function is given the output a")
        if (np.allclose(result[a <= 0], expected[a <= 0], rtol=1e-9)
                and not np.allclose(result[a > 0], 1.0)):
            raise Hint("for a > 0 the unit is on its linear piece, a = x, whose slope is 1")
        wrong = mismatches(result, expected, x, rtol=1e-9)
        if wrong:
            raise Hint(f"with alpha = {alpha:g}, wrong values at the inputs x = {wrong}. On the "
                       "negative side a = alpha (e^(x / alpha) - 1): solve for e^(x / alpha)")


@exercise("elu_selu.2")
def check_stable_elu(elu):
    """ELU for every float64 input: no overflow (np.where evaluates both branches), expm1 near 0."""
    attempted(elu)
    try:
        _check_stable_elu(_by_hand(elu))
    except UsesCourseLib:
        raise Hint(USES_COURSE_LIB) from None


def _check_stable_elu(elu):
    x = np.array([-1000.0, -30.0, -1.0, -1e-6, -1e-12, -1e-300, 0.0, 1e-12, 1.0, 709.0, 710.0,
                  1e308])
    result = call_without_overflow(
        lambda v: elu(v, 1.0), x,
        "exp overflowed. np.where(x > 0, x, alpha * (np.exp(x) - 1)) computes exp(x) for every x, "
        "the large positive ones too, before choosing: keep the large ones away from exp")
    expected = activations.elu(x, 1.0)
    if np.isnan(result).any():
        raise Hint(f"you return nan at x = {x[np.isnan(result)].tolist()}")
    wrong = mismatches(result, expected, x, rtol=1e-12)
    if wrong:
        if all(-1e-3 < value < 0 for value in wrong):
            raise Hint(f"wrong values close to 0, at x = {wrong}: e^x rounds to a number next "
                       "to 1, "
                       "and subtracting 1 keeps only the rounding error. NumPy has a function "
                       "that computes e^x - 1 directly")
        raise Hint(f"wrong values at x = {wrong}")
    alpha_two = np.asarray(call(elu, np.array([-1.0, 1.0]), 2.0), dtype=float)
    if not np.allclose(alpha_two, activations.elu(np.array([-1.0, 1.0]), 2.0), rtol=1e-12):
        raise Hint("with alpha = 2 the negative side should be 2 (e^x - 1): use the alpha you are "
                   "given")


def _selu_moments(v):
    """(E[selu(z)], E[selu(z)^2]) for z ~ N(0, v), by the trapezoidal rule on a fine grid
    (error far below 1e-6)."""
    t = np.linspace(-12.0, 12.0, 240_001)
    weights = np.exp(-t * t / 2) / np.sqrt(2 * np.pi) * (t[1] - t[0])
    a = activations.selu(np.sqrt(v) * t)
    return float(np.sum(a * weights)), float(np.sum(a * a * weights))


@exercise("elu_selu.3")
def check_selu_second_moment(second_moment):
    """v -> E[selu(z)^2] for z ~ N(0, v): with lecun_normal weights, the next layer's
    pre-activation variance.

    The tolerance (1 %) admits a Monte Carlo estimate from a million samples.
    """
    attempted(second_moment)
    for v in (4.0, 0.25, 1.0):
        got = number(call(second_moment, v))
        mean, expected = _selu_moments(v)
        if np.isclose(got, expected, rtol=1e-2):
            continue
        if np.isclose(got, expected - mean ** 2, rtol=5e-3):
            raise Hint("that is the variance of selu(z). The next layer's z is a sum of w * a with "
                       "zero-mean weights, so its variance is n Var(w) E[a^2]: the mean square, "
                       "not the variance")
        if np.isclose(got, v, rtol=1e-3):
            raise Hint(f"SELU keeps the second moment at 1 only when v = 1; at v = {v:g} "
                       "compute it")
        if np.isclose(got, np.sqrt(expected), rtol=1e-2):
            raise Hint("that is the root mean square; the question asks for the mean of selu(z)^2")
        raise Hint(f"for v = {v:g} you gave {got:.4g}; average selu(z)^2 over z = sqrt(v) t with t "
                   "standard normal (a million samples, or a fine grid weighted by the normal "
                   "density)")
