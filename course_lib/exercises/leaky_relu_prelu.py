"""Checks for the Leaky ReLU and PReLU notebook: PReLU's derivative with respect to its slope,
He initialisation for a leak, the unit with a slope of -1."""

import math

import numpy as np

from course_lib.exercises import (Hint, attempted, call, call_elementwise, exercise, mismatches,
                                  number)
from course_lib.grading import UsesCourseLib, by_hand


@exercise("leaky_relu_prelu.1")
def check_dprelu_dalpha(dprelu_dalpha):
    """d/d alpha of prelu(x, alpha) = min(x, 0): the signal a PReLU slope learns from."""
    attempted(dprelu_dalpha)
    x = np.array([-3.0, -0.5, -1e-3, 0.0, 1e-3, 0.5, 3.0])
    result, other = (call_elementwise(lambda v: dprelu_dalpha(v, alpha), x)
                     for alpha in (0.25, 0.8))
    expected = np.minimum(x, 0.0)
    if np.allclose(result, np.where(x > 0, 1.0, 0.25)):
        raise Hint("that is the derivative with respect to x. Here x is fixed and alpha changes: "
                   "by how much does alpha * x change when alpha grows by 1?")
    if not np.allclose(result, other, rtol=1e-12, atol=0):
        raise Hint("your answer changes with alpha. For a fixed x the output is either x or "
                   "alpha * x: a straight line in alpha, so its slope in alpha does not depend "
                   "on alpha")
    if np.allclose(result[x > 0], x[x > 0]):
        raise Hint("for x > 0 the output is x whatever alpha is, so the derivative with respect "
                   "to alpha is 0 there")
    if np.allclose(result[x < 0], 1.0):
        raise Hint("for x < 0 the output is alpha * x: its derivative with respect to alpha is "
                   "x, not 1")
    wrong = mismatches(result, expected, x, rtol=1e-12)
    if wrong:
        raise Hint(f"wrong values at x = {wrong}: expected 0 for x > 0 and x for x <= 0")


@exercise("leaky_relu_prelu.2")
def check_he_std(he_std):
    """The weight std that keeps Var(z) constant through Leaky ReLU layers:
    sqrt(2 / ((1 + alpha^2) n_in))."""
    cases = [(64, 0.0), (100, 0.01), (100, 0.25), (256, 1.0), (10, 0.5)]
    for n_in, alpha in cases:
        got = number(call(he_std, n_in, alpha))
        expected = math.sqrt(2 / ((1 + alpha ** 2) * n_in))
        if math.isclose(got, expected, rel_tol=1e-9):
            continue
        if math.isclose(got, expected ** 2, rel_tol=1e-9):
            raise Hint("that is the variance of the weights; the question asks for the standard "
                       "deviation")
        if math.isclose(got, math.sqrt(2 / n_in), rel_tol=1e-9):
            raise Hint(f"right for ReLU (alpha = 0), but with alpha = {alpha:g} a negative z "
                       "still passes alpha * z: E[f(z)^2] is (1 + alpha^2) / 2 times Var(z), "
                       "not 1/2")
        if math.isclose(got, math.sqrt(2 / ((1 + alpha) * n_in)), rel_tol=1e-9):
            raise Hint("the negative half contributes E[(alpha z)^2] = alpha^2 E[z^2], "
                       "not alpha E[z^2]")
        if math.isclose(got, math.sqrt(1 / ((1 + alpha ** 2) * n_in)), rel_tol=1e-9):
            raise Hint("each half of the symmetric z carries half of E[z^2]: "
                       "E[f(z)^2] = (1 + alpha^2) / 2 * Var(z)")
        raise Hint(f"for n_in = {n_in}, alpha = {alpha:g} you gave {got:.6g}. Solve "
                   "n_in * Var(w) * E[f(z)^2] = Var(z) for the std of w, with E[f(z)^2] for a "
                   "symmetric z")


@exercise("leaky_relu_prelu.3")
def check_prelu_at_minus_one(prelu_at_minus_one):
    """prelu(z, alpha=-1) = |z|, written with NumPy alone."""
    attempted(prelu_at_minus_one)
    z = np.array([-np.inf, -1e300, -2.5, -1.0, -1e-3, 0.0, 1e-3, 0.75, 3.0, 1e300, np.inf])
    try:
        result = call_elementwise(by_hand(prelu_at_minus_one), z)
    except UsesCourseLib:
        raise Hint("it calls course_lib (prelu?): the exercise asks which familiar function this "
                   "is, written with one NumPy function") from None
    if np.array_equal(result, z):
        raise Hint("that is the identity, PReLU with alpha = +1. With alpha = -1 a negative z "
                   "comes out as -1 * z")
    if np.array_equal(result, -np.abs(z)):
        raise Hint("check the sign for z > 0: PReLU passes a positive input unchanged")
    if np.array_equal(result, np.maximum(z, 0.0)):
        raise Hint("that is ReLU (alpha = 0): here a negative z is multiplied by -1, not by 0")
    wrong = mismatches(result, np.abs(z), z, rtol=0)
    if wrong:
        raise Hint(f"wrong values at z = {wrong}: for z > 0 the output is z, for z <= 0 it is "
                   "-1 * z")
