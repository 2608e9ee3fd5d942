"""Checks for the backpropagation notebook: one layer's gradients, one step back through a layer, the BCE shortcut."""

import numpy as np

from course_lib.exercises import Hint, attempted, call, exercise


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # never overflows


@exercise("backpropagation.1")
def check_layer_gradients(layer_gradients):
    """layer_gradients(dz, a_prev) -> (dW, db) with dW = (1/m) dz a_prev^T and db = (1/m) sum of dz over examples."""
    rng = np.random.default_rng(801)
    dz, a_prev = rng.normal(size=(3, 5)), rng.normal(size=(4, 5))  # 3 units, 4 inputs, m = 5 examples
    try:
        result = call(layer_gradients, dz, a_prev)
    except ValueError as error:
        if "mismatch" not in str(error) and "align" not in str(error):
            raise
        raise Hint("a matrix product's inner sizes do not match: dz is (units, examples) = (3, 5), "
                   "a_prev is (inputs, examples) = (4, 5), and dW must be (units, inputs) = (3, 4). "
                   "Which one needs a transpose?") from None
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise Hint("return a pair (dW, db)")
    dW, db = (np.asarray(attempted(part), dtype=float) for part in result)
    m = dz.shape[1]
    if dW.shape != (3, 4):
        raise Hint(f"dW has the shape of W, (units, inputs) = (3, 4); yours has {dW.shape}. "
                   "Which product of dz (3, 5) and a_prev (4, 5) has that shape?")
    if np.allclose(dW, dz @ a_prev.T):
        raise Hint("dW is m times too large: the loss is the mean over the m examples (columns), divide by m")
    if not np.allclose(dW, dz @ a_prev.T / m):
        raise Hint("dW is not (1/m) dz a_prev^T")
    if db.shape != (3, 1):
        raise Hint(f"db has the shape of b, (3, 1); yours has {db.shape}: sum over axis=1 with keepdims=True")
    if not np.allclose(db, dz.mean(axis=1, keepdims=True)):
        raise Hint("db is the mean of dz over the examples (the columns)")


@exercise("backpropagation.2")
def check_backprop_step(backprop_step):
    """backprop_step(dz, W, z_prev, g_prime) -> dz_prev = (W^T dz) * g'(z_prev)."""
    rng = np.random.default_rng(802)
    dz, W, z_prev = rng.normal(size=(3, 5)), rng.normal(size=(3, 4)), rng.normal(size=(4, 5))
    g_prime = lambda z: 1.0 - np.tanh(z) ** 2  # noqa: E731  (tanh')
    try:
        result = np.asarray(call(backprop_step, dz, W, z_prev, g_prime), dtype=float)
    except ValueError as error:
        if "mismatch" not in str(error) and "align" not in str(error):
            raise
        raise Hint("a matrix product's inner sizes do not match: W is (units, inputs) = (3, 4) and "
                   "dz is (units, examples) = (3, 5); dz_prev must be (inputs, examples) = (4, 5)") from None
    expected = (W.T @ dz) * g_prime(z_prev)
    if result.shape != (4, 5):
        raise Hint(f"dz_prev has the shape of z_prev, (4, 5); yours has {result.shape}: "
                   "W is (3, 4) and dz (3, 5), so the product that gives (4, 5) uses W transposed")
    if np.allclose(result, W.T @ dz):
        raise Hint("you have da_prev = W^T dz; multiply it elementwise by g'(z_prev) to get dz_prev")
    if np.allclose(result, (W.T @ dz) * np.tanh(z_prev)):
        raise Hint("multiply by the derivative g'(z_prev), not by the activation g(z_prev)")
    if not np.allclose(result, expected):
        raise Hint("expected dz_prev = (W.T @ dz) * g_prime(z_prev): an elementwise product, not a matrix product")


@exercise("backpropagation.3")
def check_bce_logit_gradient(bce_logit_gradient):
    """bce_logit_gradient(z, y) -> dL/dz of L = BCE(sigmoid(z), y): sigmoid(z) - y, finite even for |z| = 50."""
    z = np.array([-50.0, -2.0, 0.0, 0.5, 3.0, 50.0])
    y = np.array([1.0, 0.0, 1.0, 1.0, 0.0, 0.0])
    with np.errstate(all="ignore"):  # a naive answer may divide by zero: report it as a hint, not a warning
        result = np.asarray(call(bce_logit_gradient, z, y), dtype=float)
    if result.shape != z.shape:
        raise Hint(f"give one derivative per example: shape {z.shape}, yours has {result.shape}")
    expected = _sigmoid(z) - y
    if not np.all(np.isfinite(result)):
        bad = z[~np.isfinite(result)].tolist()
        raise Hint(f"you get inf or nan at z = {bad}: there sigmoid(z) rounds to 0 or 1 and dL/da divides by 0. "
                   "Multiply the two derivatives on paper first: the product simplifies")
    if np.allclose(result, -expected, atol=1e-9):
        raise Hint("the sign is flipped: dL/dz = a - y (the loss decreases when a moves towards y)")
    if not np.allclose(result, expected, atol=1e-9):
        raise Hint(f"for z = {z.tolist()} and y = {y.tolist()} expected {np.round(expected, 4).tolist()}, "
                   f"got {np.round(result, 4).tolist()}")
