"""Checks for the notebook on what ReLU networks compute: a function as an affine term plus a sum
of ReLUs, and the regions of a small network counted by hand."""

import numpy as np

from course_lib import regions
from course_lib.exercises import Hint, attempted, exercise, number

# Exercise 1: the function through these points, continued with its end slopes.
TARGET_X = np.array([-1.0, 0.0, 1.0, 3.0])
TARGET_Y = np.array([0.0, 2.0, 1.0, 1.0])
TARGET_KNOTS = TARGET_X[1:-1]

# Exercise 2: one hidden layer of four ReLUs of two inputs; unit i switches on the line
# LINES_W[i] . x + LINES_B[i] = 0: x1 = 0, x1 = 1, x2 = 0, x1 + x2 = 1.
LINES_W = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
LINES_B = np.array([0.0, -1.0, 0.0, -1.0])


def lines_network():
    """The network of exercise 2, in the course's NumPy form (output weights all 1)."""
    return [{"W": LINES_W.copy(), "b": LINES_B[:, None].copy()},
            {"W": np.ones((1, 4)), "b": np.zeros((1, 1))}]


def lines_regions():
    """Its activation regions, counted on a grid that contains every crossing of the lines."""
    return regions.grid_activation_regions(lines_network(), -2.0, 3.0, resolution=401).n_regions


def _relu_sum_answer(answer):
    """The learner's dict {"slope", "intercept", "coefficients"} as a ReluSum on the target's
    knots."""
    if not isinstance(answer, dict) or set(answer) != {"slope", "intercept", "coefficients"}:
        raise Hint('give a dict with the keys "slope", "intercept" and "coefficients"')
    for value in answer.values():
        attempted(value)
    slope, intercept = number(answer["slope"]), number(answer["intercept"])
    coefficients = np.asarray(answer["coefficients"], dtype=float).reshape(-1)
    if coefficients.size != TARGET_KNOTS.size:
        raise Hint(f"one coefficient per knot: the knots are at x = {TARGET_KNOTS.tolist()}, "
                   f"you gave {coefficients.size} coefficient(s)")
    return regions.ReluSum(slope, intercept, TARGET_KNOTS, coefficients)


@exercise("relu_networks.1")
def check_relu_sum(answer):
    """slope = first segment's slope, intercept from the first point, coefficients = slope
    changes."""
    f = _relu_sum_answer(answer)
    truth = regions.relu_sum_from_points(TARGET_X, TARGET_Y)
    slopes = np.diff(TARGET_Y) / np.diff(TARGET_X)
    if (np.allclose(f.coefficients, slopes[1:])
            and not np.allclose(f.coefficients, truth.coefficients)):
        raise Hint("those are the slopes after each knot; a ReLU's coefficient is the *change* "
                   "of slope at its knot (slope after minus slope before)")
    if not np.isclose(f.slope, truth.slope):
        raise Hint("left of the first knot every ReLU is 0, so there the function is the affine "
                   "term alone: its slope is the slope of the first segment")
    if not np.isclose(f.intercept, truth.intercept):
        raise Hint(f"the slope is right; the affine term must pass through the first point "
                   f"({TARGET_X[0]:g}, {TARGET_Y[0]:g})")
    x = np.linspace(-4.0, 6.0, 201)
    wrong = x[~np.isclose(f(x), truth(x), rtol=1e-9, atol=1e-9)]
    if wrong.size:
        raise Hint(f"right up to the first knot, wrong from x = {wrong[0]:g}: check the "
                   "coefficient of each knot (slope after minus slope before)")


@exercise("relu_networks.2")
def check_lines_regions(count):
    """Nine activation regions: two parallel lines, three lines through (1, 0)."""
    if isinstance(count, float) and count.is_integer():
        count = int(count)
    attempted(count)
    if isinstance(count, bool) or not isinstance(count, (int, np.integer)):
        raise Hint(f"give a whole number of regions; got {type(count).__name__}")
    expected = lines_regions()
    if count == expected:
        return
    if count == regions.max_regions_shallow(4, 2):
        raise Hint("1 + n + C(n, 2) is the count for lines in general position; here two lines are "
                   "parallel and three pass through one point")
    if count == 2 ** 4:
        raise Hint("not every on/off pattern of 4 units occurs: count the regions in a sketch")
    if count == 4 + 1:
        raise Hint("n + 1 regions is the count on a line (one input); these units cut a plane")
    if count == expected + 1:
        raise Hint("close: three lines meet at (1, 0), so there is no small triangle there")
    raise Hint("sketch the four lines x1 = 0, x1 = 1, x2 = 0 and x1 + x2 = 1, then count the "
               "pieces of the plane, unbounded ones included")
