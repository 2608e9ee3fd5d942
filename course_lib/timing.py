"""Measure what an activation costs on this machine, relative to ReLU.

"ReLU is faster" is a claim about hardware and implementations, so the course
measures it instead of quoting it. The numbers change from run to run and from
machine to machine: notebooks show them only in cells tagged nbval-ignore-output.
"""

import time

import numpy as np


def best_time(function, x, repeats=5):
    """Return the shortest of `repeats` wall-clock times (seconds) of `function(x)`.

    The minimum, not the mean: interruptions by other processes only ever add time.
    """
    if isinstance(repeats, bool) or not isinstance(repeats, (int, np.integer)) or repeats < 1:
        raise ValueError(f"repeats: expected a positive int, got {repeats!r}")
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        function(x)
        best = min(best, time.perf_counter() - start)
    return best


def _keras_pair(name):
    """(forward, derivative) of the Keras built-in, on a float32 tensor; derivative via
    tf.GradientTape."""
    from course_lib._keras import load_tensorflow
    from course_lib.gradcheck import keras_activation

    tf = load_tensorflow()
    function = keras_activation(name)
    if function is None:
        raise ValueError(f"{name}: Keras has no built-in activation to time")

    def derivative(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = function(x)
        return tape.gradient(y, x)

    return function, derivative


def _course_pair(name):
    from course_lib import activations

    entry = activations.get(name)
    return entry, entry.grad


def relative_cost(names, n=200_000, repeats=5, seed=0, implementation="course_lib"):
    """Time each activation and its derivative on `n` standard-normal inputs, relative to ReLU.

    Returns one dict per name: {"activation", "forward / relu", "derivative / relu"}: the
    best-of-`repeats` time divided by ReLU's, timed alternately with ReLU so that a busy
    moment of the machine slows both. `implementation` is "course_lib" (the NumPy functions
    and their `_grad`, float64) or "keras" (keras.activations on a float32 tensor, the
    derivative by tf.GradientTape).
    """
    if implementation not in ("course_lib", "keras"):
        raise ValueError(f"implementation: expected 'course_lib' or 'keras', got "
                         f"{implementation!r}")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n: expected a positive int, got {n!r}")
    pair = _course_pair if implementation == "course_lib" else _keras_pair
    x = np.random.default_rng(seed).standard_normal(n)
    if implementation == "keras":
        from course_lib._keras import load_tensorflow

        x = load_tensorflow().constant(x, dtype="float32")
    relu = pair("relu")
    rows = []
    for name in names:
        candidate = pair(name)
        ratios = []
        for which in (0, 1):  # 0: the function, 1: its derivative
            for function in (relu[which], candidate[which]):
                function(x)  # warm up: first calls allocate and (in TensorFlow) trace
            times = np.array([[best_time(f, x, 1) for f in (relu[which], candidate[which])]
                              for _ in range(repeats)])
            ratios.append(times[:, 1].min() / times[:, 0].min())
        rows.append(
            {"activation": name, "forward / relu": ratios[0], "derivative / relu": ratios[1]}
        )
    return rows


def cost_table(names, implementations=("course_lib", "keras"), **options):
    """Return `relative_cost` rows for each implementation, with an "implementation" column first.

    `options` (n, repeats, seed) go to `relative_cost`. For the properties section of the
    activation notebooks, shown with `report.markdown_table` in a volatile cell.
    """
    return [{"implementation": implementation, **row}
            for implementation in implementations
            for row in relative_cost(names, implementation=implementation, **options)]
