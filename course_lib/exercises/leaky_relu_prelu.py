"""Checks for the Leaky ReLU and PReLU notebook: PReLU's derivative with respect to its slope, He initialisation for a leak."""

import math

import numpy as np

from course_lib.exercises import Hint, attempted, call, call_elementwise, exercise, mismatches, number


@exercise("leaky_relu_prelu.1")
def check_dprelu_dalpha(dprelu_dalpha):
    """d/d alpha of prelu(x, alpha) = min(x, 0): the signal a PReLU slope learns from."""
    attempted(dprelu_dalpha)
    x = np.array([-3.0, -0.5, -1e-3, 0.0, 1e-3, 0.5, 3.0])
    result, other = (call_elementwise(lambda v: dprelu_dalpha(v, alpha), x) for alpha in (0.25, 0.8))
    expected = np.minimum(x, 0.0)
    if np.allclose(result, np.where(x > 0, 1.0, 0.25)):
        raise Hint("that is the derivative with respect to x. Here x is fixed and alpha changes: by how much "
                   "does alpha * x change when alpha grows by 1?")
    if not np.allclose(result, other, rtol=1e-12, atol=0):
        raise Hint("your answer changes with alpha. For a fixed x the output is either x or alpha * x: a "
                   "straight line in alpha, so its slope in alpha does not depend on alpha")
    if np.allclose(result[x > 0], x[x > 0]):
        raise Hint("for x > 0 the output is x whatever alpha is, so the derivative with respect to alpha is 0 there")
    if np.allclose(result[x < 0], 1.0):
        raise Hint("for x < 0 the output is alpha * x: its derivative with respect to alpha is x, not 1")
    wrong = mismatches(result, expected, x, rtol=1e-12)
    if wrong:
        raise Hint(f"wrong values at x = {wrong}: expected 0 for x > 0 and x for x <= 0")


@exercise("leaky_relu_prelu.2")
def check_he_std(he_std):
    """The weight std that keeps Var(z) constant through Leaky ReLU layers: sqrt(2 / ((1 + alpha^2) n_in))."""
    cases = [(64, 0.0), (100, 0.01), (100, 0.25), (256, 1.0), (10, 0.5)]
    for n_in, alpha in cases:
        got = number(call(he_std, n_in, alpha))
        expected = math.sqrt(2 / ((1 + alpha ** 2) * n_in))
        if math.isclose(got, expected, rel_tol=1e-9):
            continue
        if math.isclose(got, expected ** 2, rel_tol=1e-9):
            raise Hint("that is the variance of the weights; the question asks for the standard deviation")
        if math.isclose(got, math.sqrt(2 / n_in), rel_tol=1e-9):
            raise Hint(f"right for ReLU (alpha = 0), but with alpha = {alpha:g} a negative z still passes "
                       "alpha * z: E[f(z)^2] is (1 + alpha^2) / 2 times Var(z), not 1/2")
        if math.isclose(got, math.sqrt(2 / ((1 + alpha) * n_in)), rel_tol=1e-9):
            raise Hint("the negative half contributes E[(alpha z)^2] = alpha^2 E[z^2], not alpha E[z^2]")
        if math.isclose(got, math.sqrt(1 / ((1 + alpha ** 2) * n_in)), rel_tol=1e-9):
            raise Hint("each half of the symmetric z carries half of E[z^2]: E[f(z)^2] = (1 + alpha^2) / 2 * Var(z)")
        raise Hint(f"for n_in = {n_in}, alpha = {alpha:g} you gave {got:.6g}. Solve "
                   "n_in * Var(w) * E[f(z)^2] = Var(z) for the std of w, with E[f(z)^2] for a symmetric z")
