"""Checks for the dead-ReLU notebook: the dead fraction of a layer, and the born-dead probability."""

import numbers

import numpy as np

from course_lib.exercises import Hint, call, exercise


@exercise("dead_relu.1")
def check_dead_fraction(dead_fraction):
    """dead_fraction(z) -> the fraction of units (columns) with z <= 0 on every input (row)."""
    z = np.array([[-1.0, 2.0, 0.0, -3.0, 0.5],
                  [-2.0, -1.0, 0.0, -0.5, 0.1],
                  [-0.5, -4.0, 0.0, 1.0, -2.0]])  # 3 inputs, 5 units: units 0 and 2 are dead
    result = call(dead_fraction, z)
    if isinstance(result, np.ndarray) and result.size == 1:
        result = result.item()
    if isinstance(result, bool) or not isinstance(result, numbers.Real):
        raise Hint(f"return one number, the fraction of dead units; got {type(result).__name__}")
    result = float(result)
    if np.isclose(result, 1 / 5):
        raise Hint("a unit whose z is exactly 0 on every input is dead too: relu'(0) = 0, so use z <= 0")
    if any(np.isclose(result, wrong) for wrong in (3 / 5, 4 / 5, 1.0)):
        raise Hint("dead means z <= 0 on *every* input (np.all), not on some of them")
    if np.isclose(result, 1 / 3) or np.isclose(result, 0.0):
        raise Hint("units are the columns and inputs the rows: test each column over all rows (axis=0)")
    if not np.isclose(result, 2 / 5):
        raise Hint(f"for this z, 2 of the 5 units are dead (fraction 0.4); you returned {result:.3g}")


@exercise("dead_relu.2")
def check_born_dead_probability(probability):
    """probability(width, depth) -> 1 - (1 - 2^-width)^depth, elementwise for arrays."""
    widths, depths = np.array([1, 2, 3, 4, 8]), np.array([1, 5, 10, 3, 50])
    result = np.asarray(call(probability, widths, depths), dtype=float)
    expected = 1.0 - (1.0 - 2.0 ** -widths) ** depths
    if result.shape != expected.shape:
        raise Hint(f"work elementwise: for 5 widths and 5 depths return 5 probabilities, not shape {result.shape}")
    if np.allclose(result, 1.0 - expected):
        raise Hint("that is the probability that the network survives every layer; it is born dead otherwise")
    if np.allclose(result, np.minimum(1.0, depths * 2.0 ** -widths)):
        raise Hint("L 2^-N is only the union bound; the layers are independent, so multiply their survival "
                   "probabilities")
    if np.allclose(result, 1.0 - (1.0 - 2.0 ** -depths) ** widths):
        raise Hint("width and depth are swapped: a layer of N units is all off with probability 2^-N")
    if not np.allclose(result, expected):
        raise Hint(f"expected {np.round(expected, 4).tolist()} for widths {widths.tolist()} and depths "
                   f"{depths.tolist()}, got {np.round(result, 4).tolist()}")
