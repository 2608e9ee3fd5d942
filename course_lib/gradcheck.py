"""Check derivatives three ways: central finite differences, tf.GradientTape, and a relative error.

The relative error is the usual gradient-check measure
    max |a - b| / max(|a| + |b|)   (elementwise, with a floor so exact zeros compare),
which is about 1e-7 or smaller in float64 when two gradients agree.
"""

import numpy as np

from course_lib._keras import load_tensorflow
from course_lib._validation import as_float_array


def relative_error(a, b, floor=1e-12):
    """Return the largest elementwise |a - b| / max(|a| + |b|, floor); 0 for empty inputs."""
    a, b = as_float_array(a, "a").astype(np.float64), as_float_array(b, "b").astype(np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b: expected the same shape, got {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), floor)))


def central_difference_step(x):
    """Return the step h = cbrt(eps) * max(1, |x|): it balances truncation error (h^2) and rounding (eps/h)."""
    return np.cbrt(np.finfo(np.float64).eps) * np.maximum(1.0, np.abs(x))


def numerical_derivative(f, x, h=None):
    """Return f'(x) elementwise by central differences (f(x+h) - f(x-h)) / 2h, in float64."""
    x = as_float_array(x).astype(np.float64)
    h = central_difference_step(x) if h is None else float(h)
    return (np.asarray(f(x + h), dtype=np.float64) - np.asarray(f(x - h), dtype=np.float64)) / (2 * h)


def numerical_gradient(loss, w, h=1e-5):
    """Return d loss / d w for a scalar `loss(w)` by central differences, one entry of `w` at a time.

    `w` is not modified: each entry is nudged in a copy. Cost: 2 evaluations per entry,
    so keep `w` small (this is for checking, not for training).
    """
    w = as_float_array(w, "w").astype(np.float64)
    grad = np.zeros_like(w)
    nudged = w.copy()
    for i in np.ndindex(w.shape):
        nudged[i] = w[i] + h
        up = float(loss(nudged))
        nudged[i] = w[i] - h
        down = float(loss(nudged))
        nudged[i] = w[i]
        grad[i] = (up - down) / (2 * h)
    return grad


def tape_derivative(f, x, dtype="float32"):
    """Return f'(x) elementwise as TensorFlow's autodiff computes it, via tf.GradientTape.

    `f` takes and returns tensors (e.g. a `keras.activations` function); the result is a NumPy array.
    """
    tf = load_tensorflow()
    x = tf.constant(as_float_array(x), dtype=dtype)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    return tape.gradient(y, x).numpy()


def max_abs_difference(a, b):
    """Return max |a - b| in float64, treating equal infinities and nan-vs-nan as no difference."""
    a, b = as_float_array(a, "a").astype(np.float64), as_float_array(b, "b").astype(np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b: expected the same shape, got {a.shape} and {b.shape}")
    same = (a == b) | (np.isnan(a) & np.isnan(b))
    if same.all():
        return 0.0
    return float(np.max(np.abs(a[~same] - b[~same])))
