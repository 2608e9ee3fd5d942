"""Checks for the start-here notebook: one warm-up exercise that shows how every check behaves."""

import numpy as np

from course_lib.exercises import Hint, call, exercise


@exercise("start_here.1")
def check_step(step):
    """The Heaviside step, the perceptron's activation: 1 where x > 0, else 0, elementwise."""
    x = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
    try:
        result = np.asarray(call(step, x), dtype=float)
    except ValueError as error:
        if "truth value of an array" not in str(error):
            raise
        raise Hint(
            "`if x > 0` asks one question about a whole array, which Python cannot answer; "
            "compare elementwise instead (NumPy's comparisons work on every element)"
        ) from None
    if result.shape != x.shape:
        raise Hint(f"give one output per input: for an input of shape {x.shape} you returned "
                   f"shape {result.shape}; "
                   "compare the whole array at once, e.g. `x > 0`")
    expected = np.array([0.0, 0.0, 0.0, 1.0, 1.0])
    if result[2] != 0.0:
        raise Hint("at x = 0 the step is 0 here: the unit fires only for x strictly greater than 0")
    if not np.array_equal(result, expected):
        raise Hint(f"for x = {x.tolist()} expected {expected.tolist()}, got {result.tolist()}")
