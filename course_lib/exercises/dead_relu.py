"""Checks for the dead-ReLU notebook: the dead fraction of a layer, the dead-unit test of a whole
network, and the width that makes a network unlikely to be born dead."""

import math
import numbers

import numpy as np

from course_lib.exercises import Hint, attempted, call, exercise
from course_lib.grading import UsesCourseLib, by_hand


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
        raise Hint("a unit whose z is exactly 0 on every input is dead too: relu'(0) = 0, so "
                   "the test is z <= 0")
    if any(np.isclose(result, wrong) for wrong in (3 / 5, 4 / 5, 1.0)):
        raise Hint("dead means z <= 0 on *every* input (np.all), not on some of them")
    if result >= 2 and result == int(result):  # a count of units, not a fraction
        raise Hint("that is a number of units: return the fraction, the dead units' count divided "
                   "by the number of units (columns)")
    if np.isclose(result, 1 / 3) or np.isclose(result, 0.0):
        raise Hint("units are the columns and inputs the rows: test each column over all rows")
    if not np.isclose(result, 2 / 5):
        raise Hint(f"on a test z of 3 inputs and 5 units your fraction, {result:.3g}, is not the "
                   "share of columns whose every entry is <= 0")


def _test_network():
    """A small ReLU network in Keras' layout and its data, built so that each usual mistake of
    the dead-unit test gives a different answer. Returns (x, layers, dead): `dead` is the right
    answer, one boolean array per layer."""
    x = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0], [2.0, -1.0]])      # 4 inputs, 2 features
    W1 = np.array([[1.0, -1.0, 0.0], [-1.0, -1.0, 0.0]])                   # (2 inputs, 3 units)
    b1 = np.array([0.0, -3.0, 0.0])      # unit 0 alive; unit 1: z < 0; unit 2: z = 0 everywhere
    W2 = np.array([[-1.0, 1.0, 2.0, -0.5], [5.0, 1.0, 0.0, 0.5], [1.0, 1.0, 0.0, 0.5]])
    b2 = np.array([0.5, -0.5, -0.5, -0.25])  # (3 inputs, 4 units)
    W3 = np.array([[1.0, 1.0], [-1.0, -1.0], [1.0, 0.5], [1.0, -1.0]])
    b3 = np.array([0.0, -0.5])
    layers = [(W1, b1), (W2, b2), (W3, b3)]
    dead, a = [], x
    for W, b in layers:
        z = a @ W + b
        dead.append(np.all(z <= 0, axis=0))
        a = np.maximum(z, 0.0)
    return x, layers, dead


def _answers(x, layers, test, relu=True):
    """The dead-unit test with the comparison `test` (a function of z), with or without the ReLU
    between layers: the answers of the usual mistakes."""
    result, a = [], x
    for W, b in layers:
        z = a @ W + b
        result.append(test(z))
        a = np.maximum(z, 0.0) if relu else z
    return result


def _same(result, expected):
    return len(result) == len(expected) and all(
        np.shape(r) == np.shape(e) and np.array_equal(r, e) for r, e in zip(result, expected))


@exercise("dead_relu.2")
def check_dead_units(dead_units):
    """dead_units(x, layers) -> one boolean array per layer, True for a unit whose pre-activation
    is <= 0 on every input (row of x); layers: (W, b) pairs in Keras' layout, ReLU between."""
    x, layers, expected = _test_network()
    attempted(dead_units)
    try:
        result = call(by_hand(dead_units), x.copy(), [(W.copy(), b.copy()) for W, b in layers])
    except UsesCourseLib:
        raise Hint("the exercise asks you to write the test with NumPy: course_lib's monitor "
                   "does it for you in the notebook, not here") from None
    except ValueError as error:
        if "matmul" in str(error) or "shapes" in str(error):
            raise Hint("Keras stores W with shape (inputs, units) and x with one row per input: "
                       "a layer computes z = x @ W + b") from None
        raise
    if isinstance(result, np.ndarray) and result.dtype != object:
        raise Hint(f"return a list with one boolean array per layer ({len(layers)} layers here), "
                   "not one array")
    result = [np.asarray(r) for r in result]
    if len(result) != len(layers):
        raise Hint(f"return one boolean array per layer: {len(layers)} layers, you returned "
                   f"{len(result)} arrays")
    for i, (r, e) in enumerate(zip(result, expected)):
        if r.shape != e.shape:
            raise Hint(f"layer {i + 1} has {e.size} units, so its array has shape {e.shape}; yours "
                       f"has shape {r.shape}. Test each unit (column) over all inputs (rows)")
    strict = _answers(x, layers, lambda z: np.all(z < 0, axis=0))
    if _same([r.astype(bool) for r in result], strict):
        raise Hint("a unit whose z is exactly 0 on every input is dead too: relu'(0) = 0")
    some = _answers(x, layers, lambda z: np.any(z <= 0, axis=0))
    if _same([r.astype(bool) for r in result], some):
        raise Hint("dead means z <= 0 on *every* input, not on some of them")
    linear = _answers(x, layers, lambda z: np.all(z <= 0, axis=0), relu=False)
    if _same([r.astype(bool) for r in result], linear):
        raise Hint("the next layer's input is the activation relu(z), not z itself")
    if result[0].dtype != bool and not np.array_equal(result[0], result[0].astype(bool)):
        raise Hint("return booleans (True for a dead unit), e.g. from a comparison")
    wrong = [i + 1 for i, (r, e) in enumerate(zip(result, expected))
             if not np.array_equal(r.astype(bool), e)]
    if wrong:
        raise Hint(f"on a small test network your answer is wrong for layer(s) {wrong}: compute "
                   "each layer's z from the previous layer's activations, then test every unit")


def _born_dead(width, depth):
    return 1.0 - (1.0 - 2.0 ** -float(width)) ** depth


@exercise("dead_relu.3")
def check_min_width(min_width):
    """min_width(depth, p) -> the smallest whole width N with 1 - (1 - 2^-N)^depth <= p."""
    cases = [(10, 0.9), (20, 0.01), (100, 0.5), (1000, 1e-3), (3, 0.2)]
    expected = [next(n for n in range(1, 200) if _born_dead(n, depth) <= p) for depth, p in cases]
    results = []
    for depth, p in cases:
        value = call(min_width, depth, p)
        if isinstance(value, np.ndarray) and value.size == 1:
            value = value.item()
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise Hint(f"return one number, a width; got {type(value).__name__}")
        results.append(float(value))
    if any(v != math.floor(v) for v in results):
        raise Hint("a layer has a whole number of units: return the smallest whole N that "
                   "meets the bound (round up, not to the nearest)")
    union = [max(1, math.ceil(math.log2(depth / p))) for depth, p in cases]
    if results == union and results != expected:
        raise Hint("L 2^-N <= p is the union bound, too cautious when p is large: use the exact "
                   "probability that all L layers survive")
    if all(_born_dead(n, depth) > p for n, (depth, p) in zip(results, cases)):
        raise Hint("your widths leave the network born dead with probability above p: they "
                   "are too narrow")
    if results != expected:
        bad = [(depth, p) for n, e, (depth, p) in zip(results, expected, cases) if n != e]
        raise Hint(f"not the smallest width meeting the bound for (depth, p) in {bad}: check "
                   "that P(N) <= p holds and P(N - 1) <= p does not")
