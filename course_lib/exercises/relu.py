"""Checks for the ReLU notebook: ReLU6's derivative, the bias that kills a unit, ReLU6 built from
ReLUs."""

import numpy as np

from course_lib import activations, datasets
from course_lib.exercises import Hint, answer_by_hand, call_elementwise, exercise, number

DEAD_UNIT_WEIGHTS = np.array([1.0, -2.0])

# Exercise 3 builds ReLU6 from ReLUs, subtraction and constants: these names would do the capping.
CAPPING_NAMES = ("minimum", "fmin", "min", "amin", "clip", "where", "select", "piecewise", "relu6")


def dead_unit_data():
    """The inputs of exercise relu.2: 100 points of the two-moons set (seed 0)."""
    return datasets.moons(n=100, noise=0.1, seed=0)[0].astype(np.float64)


def names_used(function):
    """The global and attribute names a Python function's code reads, nested functions included
    (`np.minimum` gives "np" and "minimum"); empty for anything that is not a Python function."""
    code = getattr(function, "__code__", None)
    return _names_in(code) if code is not None else set()


def _names_in(code):
    nested = (_names_in(const) for const in code.co_consts if hasattr(const, "co_names"))
    return set(code.co_names).union(*nested)


@exercise("relu.1")
def check_relu6_grad(relu6_grad):
    """1 on the open interval (0, 6), 0 elsewhere, 0 at both corners (TensorFlow's convention)."""
    x = np.array([-3.0, -1e-9, 0.0, 1e-9, 2.5, 6.0 - 1e-9, 6.0, 6.0 + 1e-9, 100.0])
    result = call_elementwise(answer_by_hand(relu6_grad), x)
    expected = activations.relu6_grad(x)
    inside, outside = (x > 0) & (x < 6), (x < 0) | (x > 6)
    if not np.array_equal(result[inside], expected[inside]):
        raise Hint("between the corners relu6(x) = x, so the slope there is 1")
    if not np.array_equal(result[outside], expected[outside]):
        raise Hint("below 0 and above 6 relu6 is constant (0 and 6), so the slope there is 0")
    if result[2] != 0 or result[6] != 0:
        raise Hint(f"at the corners you return {result[2]:g} (x = 0) and {result[6]:g} (x = 6); "
                   "TensorFlow (and the course) use 0 at both: test 0 < x < 6, strictly")


@exercise("relu.2")
def check_dead_bias(b_dead):
    """The largest b for which relu(w . x + b) is 0 on every input: b = -max_i (w . x_i)."""
    b_dead = number(b_dead)
    z_without_bias = dead_unit_data() @ DEAD_UNIT_WEIGHTS
    expected = -float(z_without_bias.max())
    if np.isclose(b_dead, -float(z_without_bias.min()), atol=1e-6):
        raise Hint("with that bias z = w . x + b >= 0 on every input: the unit is alive "
                   "everywhere. "
                   "Dead means z <= 0 on every input")
    if np.isclose(b_dead, float(z_without_bias.max()), atol=1e-6):
        raise Hint("check the sign: z = w . x + b <= 0 for every x means b <= -(w . x)")
    if b_dead > expected + 1e-6:
        alive = int(np.sum(z_without_bias + b_dead > 0))
        raise Hint(f"with b = {b_dead:g} the unit is still positive on {alive} of the 100 inputs: "
                   "the largest z = w . x + b must reach 0")
    if b_dead < expected - 1e-6:
        raise Hint(f"with b = {b_dead:g} the unit is dead, but it is also dead for somewhat "
                   f"larger b: "
                   "find the largest such b (where the largest z is exactly 0)")


@exercise("relu.3")
def check_relu6_from_relus(relu6_from_relus):
    """relu6(x) = relu(x) - relu(x - 6): a sum of ReLUs with a corner at 0 and one at 6."""
    x = np.linspace(-10.0, 16.0, 105)
    capping = sorted(set(names_used(relu6_from_relus)) & set(CAPPING_NAMES))
    if capping:
        raise Hint(f"your function uses {', '.join(capping)}: build the cap from ReLUs, "
                   "subtraction and constants only (where does a second ReLU switch on?)")
    relus = (activations.relu, activations.get("relu"))
    answer = answer_by_hand(relu6_from_relus, allowed=relus, note="call the ReLUs as relu_function")
    result = call_elementwise(answer, x)
    expected = activations.relu6(x)
    if np.allclose(result, activations.relu(x)):
        raise Hint("that is ReLU: the cap at 6 is missing. Where relu6 turns flat, what must a "
                   "second ReLU do to the slope?")
    if np.all(np.diff(result[x > 6]) > 0):
        raise Hint("above 6 your function keeps rising, but relu6 is flat there: the ReLU that "
                   "switches on at the cap must cancel the slope, not add to it")
    if not np.allclose(result, expected, rtol=0, atol=1e-12):
        wrong = x[~np.isclose(result, expected, rtol=0, atol=1e-12)]
        raise Hint(f"wrong values, e.g. at x = {wrong[0]:g}: relu6 is 0 below 0, x between 0 and "
                   f"6, 6 above; "
                   "relu(x - c) has its corner at x = c")
