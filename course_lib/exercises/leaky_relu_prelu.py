"""Checks for the Leaky ReLU and PReLU notebook: the gradient of a batch loss with respect to
PReLU's slopes, He initialisation for a leak, the unit with a slope of -1."""

import math

import numpy as np

from course_lib.exercises import (Hint, attempted, call, call_elementwise, exercise, mismatches,
                                  number)
from course_lib.grading import UsesCourseLib, by_hand


@exercise("leaky_relu_prelu.1")
def check_dloss_dalpha(dloss_dalpha):
    """dL/d alpha_j = sum_n dL/da_nj min(z_nj, 0): what one PReLU slope per unit learns from a
    batch (z and the upstream gradient of shape (examples, units); the answer, shape (units,))."""
    attempted(dloss_dalpha)
    rng = np.random.default_rng(3)
    z, upstream = rng.standard_normal((6, 4)), rng.standard_normal((6, 4))
    z[0, 0], z[1, 1] = 0.0, 3.0
    result = np.asarray(call(dloss_dalpha, z, upstream), dtype=float)
    per_example = upstream * np.minimum(z, 0.0)
    expected = per_example.sum(axis=0)
    if result.shape == z.shape:
        raise Hint("one number per unit: the slope alpha_j is shared by every example of the "
                   "batch, so add up the examples' contributions")
    if result.shape == (z.shape[0],):
        raise Hint("that is one number per example: each unit has its own slope, so add up over "
                   "the examples (the rows), not over the units")
    if result.shape != expected.shape:
        raise Hint(f"for z of shape {z.shape} the answer has one number per unit, shape "
                   f"{expected.shape}; you returned shape {result.shape}")
    if np.allclose(result, np.minimum(z, 0.0).sum(axis=0)):
        raise Hint("the chain rule multiplies each example's d a / d alpha by the upstream "
                   "gradient dL/da of that example")
    if np.allclose(result, (upstream * np.maximum(z, 0.0)).sum(axis=0)):
        raise Hint("for z > 0 the output is z whatever alpha is: only negative inputs teach alpha")
    if np.allclose(result, (upstream * (z < 0)).sum(axis=0)) or np.allclose(
            result, (upstream * (z <= 0)).sum(axis=0)):
        raise Hint("for z < 0 the output is alpha * z: its derivative with respect to alpha is z, "
                   "not 1")
    if not np.allclose(result, expected, rtol=1e-12, atol=1e-15):
        raise Hint(f"wrong values: expected {np.round(expected, 4).tolist()} for this batch, got "
                   f"{np.round(result, 4).tolist()}")


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
