"""Print the largest difference between every course_lib activation and its Keras built-in.

    .venv/bin/python tools/keras_parity.py

Values and derivatives in float32 on the grid of tests/test_activations.py (-12 to 12 by 0.01,
every corner, +-100), the derivative of Keras' function taken by tf.GradientTape. The difference
is |ours - keras| / max(1, |ours|), equal values (infinities too) counting as none; the tests
require it below 1e-5. glu and sparsemax act along the last axis of random batches; Keras 3.15's
sparsemax is compared only where one output is nonzero (keras-team/keras#23425), and its gap
elsewhere is printed too.
"""

import pathlib
import sys

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

# noqa: E402
from test_activations import (KERAS_CASES, KERAS_GRID, TAPE_EXCEPTIONS, _keras_function,
                              keras_gap)

from course_lib import activations as act  # noqa: E402
from course_lib._keras import load_keras, load_tensorflow  # noqa: E402
from course_lib.gradcheck import tape_derivative  # noqa: E402


def elementwise_rows(keras):
    for name, parameters in KERAS_CASES:
        entry, function = act.get(name), _keras_function(keras, name, parameters)
        value_gap = keras_gap(entry(KERAS_GRID, **parameters), np.asarray(function(KERAS_GRID)))
        kept = ~np.isin(KERAS_GRID, TAPE_EXCEPTIONS.get(name, []))
        derivative_gap = keras_gap(entry.grad(KERAS_GRID, **parameters)[kept],
                                   tape_derivative(function, KERAS_GRID)[kept])
        label = name + "".join(f" {k}={v}" for k, v in parameters.items())
        yield label, value_gap, derivative_gap


def vector_rows(keras):
    tf = load_tensorflow()
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.normal(0, 3, (500, 6)), rng.normal(0, 0.3, (500, 6))]).astype(
        np.float32
    )
    g = rng.normal(0, 1, (1000, 3)).astype(np.float32)
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        y = keras.activations.glu(xt)
    theirs = tape.gradient(y, xt, output_gradients=tf.constant(g)).numpy()
    yield "glu (axis -1, upstream g)", keras_gap(act.glu(x), np.asarray(y)), keras_gap(
        act.glu_grad(x, upstream=g), theirs
    )
    ours, theirs = act.sparsemax(x), np.asarray(keras.activations.sparsemax(x))
    one_hot = (ours > 0).sum(axis=-1) == 1
    yield f"sparsemax, one-hot rows ({one_hot.sum()})", keras_gap(
        ours[one_hot], theirs[one_hot]
    ), None
    yield f"sparsemax, other rows ({(~one_hot).sum()}; Keras bug)", keras_gap(
        ours[~one_hot], theirs[~one_hot]
    ), None


def main():
    keras = load_keras()
    print("largest |course_lib - keras| / max(1, |course_lib|), float32\n")
    print(f"{'function':<44}{'f':>10}{'derivative':>12}")
    for label, value_gap, derivative_gap in [*elementwise_rows(keras), *vector_rows(keras)]:
        derivative = "-" if derivative_gap is None else f"{derivative_gap:.1e}"
        print(f"{label:<44}{value_gap:>10.1e}{derivative:>12}")
    print("\n(celu's tape derivative at 0 is 2 in Keras, 1 here: not compared; see celu_grad)")


if __name__ == "__main__":
    main()
