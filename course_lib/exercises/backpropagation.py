"""Checks for the backpropagation notebook: one layer's gradients with examples in rows (Keras'
layout), one step back through a sigmoid layer from its stored outputs, the BCE shortcut, and a
gradient checker by central differences."""


import numpy as np

from course_lib import activations
from course_lib.exercises import Hint, answer_by_hand, attempted, call, exercise


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # never overflows


def _call_with_shapes(function, hint, *args):
    """`call`, with a NumPy shape error (matmul, broadcasting) turned into `hint`."""
    try:
        return call(function, *args)
    except ValueError as error:
        text = str(error)
        if any(word in text for word in ("mismatch", "align", "broadcast", "shape")):
            raise Hint(hint) from None
        raise


@exercise("backpropagation.1")
def check_layer_gradients_rows(layer_gradients_rows):
    """layer_gradients_rows(dz, a_prev) -> (dW, db), examples in rows:
    dW = (1/m) a_prev^T dz of shape (n_prev, n_l), db = the mean of dz over the rows, shape (n_l,).
    """
    rng = np.random.default_rng(801)
    # m = 5 examples, 3 units, 4 inputs
    dz, a_prev = rng.normal(size=(5, 3)), rng.normal(size=(5, 4))
    m = dz.shape[0]
    result = _call_with_shapes(
        answer_by_hand(layer_gradients_rows),
        "a matrix product's sizes do not match: with examples in rows dz is (examples, units) = "
        "(5, 3) and a_prev is (examples, inputs) = (5, 4); Keras' kernel W is (inputs, units) = "
        "(4, 3). Which one needs a transpose so that the examples are summed over?",
        dz, a_prev)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise Hint("return a pair (dW, db)")
    dW, db = (np.asarray(attempted(part), dtype=float) for part in result)
    if dW.shape == (3, 4):
        raise Hint("that dW has the shape (units, inputs) = (3, 4) of the column form; Keras' "
                   "kernel "
                   "is (inputs, units) = (4, 3), the transpose")
    if dW.shape != (4, 3):
        raise Hint(f"dW has the shape of Keras' kernel, (inputs, units) = (4, 3); yours has "
                   f"{dW.shape}")
    if np.allclose(dW, a_prev.T @ dz):
        raise Hint("dW is m times too large: the loss is the mean over the m examples (rows), "
                   "divide by m")
    if not np.allclose(dW, a_prev.T @ dz / m):
        raise Hint("dW is not right: entry (k, j) is the mean over the examples of "
                   "(input k) x (dz of unit j)")
    if db.shape in ((1, 3), (3, 1)):
        raise Hint(f"Keras' bias is a vector of shape (units,) = (3,); yours has {db.shape}: "
                   "reduce over the examples without keepdims")
    if db.shape != (3,):
        raise Hint(f"db has the shape of Keras' bias, (units,) = (3,); yours has {db.shape}")
    if np.allclose(db, dz.sum(axis=0)):
        raise Hint("db is m times too large: take the mean over the examples, not the sum")
    if not np.allclose(db, dz.mean(axis=0)):
        raise Hint("db is the mean of dz over the examples, which are the rows (axis 0)")


@exercise("backpropagation.2")
def check_sigmoid_step_back(sigmoid_step_back):
    """sigmoid_step_back(dz, W, a_prev) -> dz_prev = (W^T dz) * a_prev (1 - a_prev), where a_prev is
    the stored sigmoid output sigma(z_prev) (examples in columns)."""
    rng = np.random.default_rng(802)
    dz, W = rng.normal(size=(3, 5)), rng.normal(size=(3, 4))        # 3 units, 4 inputs, 5 examples
    z_prev = rng.normal(0.0, 2.0, size=(4, 5))
    a_prev = _sigmoid(z_prev)
    result = np.asarray(_call_with_shapes(
        answer_by_hand(sigmoid_step_back),
        "a product's sizes do not match: W is (units, inputs) = (3, 4) and dz is (units, examples) "
        "= (3, 5); dz_prev must be (inputs, examples) = (4, 5). Which matrix product gives that?",
        dz, W, a_prev), dtype=float)
    if result.shape != (4, 5):
        raise Hint(f"dz_prev has the shape of a_prev, (inputs, examples) = (4, 5); yours has "
                   f"{result.shape}: W is (3, 4) and dz (3, 5), so the product uses W transposed")
    da_prev = W.T @ dz
    expected = da_prev * a_prev * (1 - a_prev)

    def close(value):
        return np.allclose(result, value, rtol=1e-10, atol=1e-12)

    if close(expected):
        return
    if close(da_prev):
        raise Hint("you have da_prev = W^T dz; multiply it elementwise by the sigmoid's derivative")
    if close(da_prev * a_prev):
        raise Hint("you multiplied by the sigmoid's value; multiply by its derivative, which can "
                   "be written with the value alone (notebook 02, or section 5 here)")
    if close(da_prev * _sigmoid(a_prev) * (1 - _sigmoid(a_prev))):
        raise Hint("a_prev is already sigma(z_prev): applying the sigmoid to it again computes "
                   "sigma(sigma(z)). Write sigma'(z_prev) with a_prev itself")
    if close(da_prev * 0.25):
        raise Hint("1/4 is sigma'(0) only; the derivative depends on each entry of a_prev")
    raise Hint("expected dz_prev = (W^T dz) times sigma'(z_prev) elementwise, with sigma'(z_prev) "
               "written from a_prev")


@exercise("backpropagation.3")
def check_bce_logit_gradient(bce_logit_gradient):
    """bce_logit_gradient(z, y) -> dL/dz of L = BCE(sigmoid(z), y): sigmoid(z) - y, finite even for
    |z| = 50."""
    z = np.array([-50.0, -2.0, 0.0, 0.5, 3.0, 50.0])
    y = np.array([1.0, 0.0, 1.0, 1.0, 0.0, 0.0])
    # a naive answer may divide by zero: report it as a hint, not a warning
    with np.errstate(all="ignore"):
        result = np.asarray(call(answer_by_hand(bce_logit_gradient, allowed=[activations]), z, y),
                            dtype=float)
    if result.shape != z.shape:
        raise Hint(f"give one derivative per example: shape {z.shape}, yours has {result.shape}")
    expected = _sigmoid(z) - y
    if not np.all(np.isfinite(result)):
        bad = z[~np.isfinite(result)].tolist()
        raise Hint(f"you get inf or nan at z = {bad}: there sigmoid(z) rounds to 0 or 1 and dL/da "
                   f"divides by 0. "
                   "Multiply the two derivatives on paper first: the product simplifies")
    if np.allclose(result, -expected, atol=1e-9):
        raise Hint("the sign is flipped: the loss falls when a moves towards y, so dL/dz has the "
                   "sign of a - y")
    if not np.allclose(result, expected, atol=1e-9):
        raise Hint(f"for z = {z.tolist()} and y = {y.tolist()} expected "
                   f"{np.round(expected, 4).tolist()}, "
                   f"got {np.round(result, 4).tolist()}")


def _cubic(w):
    return float(np.sum(w ** 3))


def _wavy(w):
    # not a sum of one-entry terms: a nudge left in one entry changes every other partial derivative
    weights = np.arange(1, w.size + 1).reshape(w.shape)
    return float(np.sum(np.sin(w) * weights) + 0.5 * np.sum(w ** 2) + 0.25 * np.sum(w) ** 2)


def _wavy_gradient(w):
    return np.cos(w) * np.arange(1, w.size + 1).reshape(w.shape) + w + 0.5 * np.sum(w)


def _forward_difference(cost, w, h=1e-5):
    grad = np.zeros_like(w)
    for i in np.ndindex(w.shape):
        nudged = w.copy()
        nudged[i] += h
        grad[i] = (cost(nudged) - cost(w)) / h
    return grad


@exercise("backpropagation.4")
def check_central_difference_gradient(central_difference_gradient):
    """central_difference_gradient(cost, w, h=1e-5): d cost / d w entry by entry,
    (cost(w + h e_i) - cost(w - h e_i)) / 2h, with w unchanged."""
    attempted(central_difference_gradient)
    answer = answer_by_hand(central_difference_gradient)
    w0 = np.array([[0.3, -1.2, 2.0], [0.0, 0.7, -0.4]])
    w = w0.copy()
    grad = np.asarray(attempted(call(answer, _wavy, w)), dtype=float)
    if not np.array_equal(w, w0):
        raise Hint("your function changed w: after nudging an entry, put its old value back (or "
                   "nudge a copy)")
    if grad.shape != w0.shape:
        raise Hint(f"return one partial derivative per entry of w, shape {w0.shape}; yours has "
                   f"{grad.shape}")
    exact = _wavy_gradient(w0)
    if np.allclose(grad, 2 * exact, rtol=1e-6):
        raise Hint("twice too large: the two points w + h and w - h are 2h apart")
    if np.allclose(grad, exact / 2, rtol=1e-6):
        raise Hint("half too small: the two points w + h and w - h are 2h apart, not 4h")
    if not np.allclose(grad, exact, rtol=1e-7, atol=1e-9):
        if np.allclose(grad, _forward_difference(_wavy, w0), rtol=1e-6, atol=1e-9):
            raise Hint("close, but a one-sided difference (cost(w + h) - cost(w)) / h has an error "
                       "of order h; the central one, with w - h, is of order h^2")
        raise Hint("not the gradient: nudge one entry at a time, by +h and by -h, and restore it "
                   "before the next one")
    h = 0.1  # for a cubic the central difference is 3 w^2 + h^2 exactly: it shows which h was used
    w = w0.copy()
    grad = np.asarray(call(answer, _cubic, w, h), dtype=float)
    if np.allclose(grad, 3 * w0 ** 2 + 1e-10, rtol=1e-6, atol=1e-8):
        raise Hint("your function ignores its argument h: use the h it is given")
    if not np.allclose(grad, 3 * w0 ** 2 + h ** 2, rtol=1e-9, atol=1e-9):
        raise Hint("with h = 0.1 on cost(w) = sum(w^3) a central difference gives 3 w^2 + h^2 "
                   "exactly; yours does not: is it central, and is it using h?")
