"""Checks for the linearity-collapse notebook."""

import numpy as np

from course_lib.exercises import Hint, attempted, call, exercise


@exercise("linearity.1")
def check_collapse(collapse):
    """collapse(W1, b1, W2, b2) -> (W, b) with W2 (W1 x + b1) + b2 = W x + b for every x."""
    rng = np.random.default_rng(101)
    W1, b1 = rng.normal(size=(4, 3)), rng.normal(size=4)
    W2, b2 = rng.normal(size=(2, 4)), rng.normal(size=2)
    result = call(collapse, W1, b1, W2, b2)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise Hint("return a pair (W, b)")
    W, b = (np.asarray(attempted(part), dtype=float) for part in result)
    if W.shape != (2, 3):
        raise Hint(f"W maps 3 inputs to 2 outputs, so it should have shape (2, 3); yours has {W.shape}. "
                   "Which matrix product has that shape?")
    if b.shape != (2,):
        raise Hint(f"b has one entry per output, shape (2,); yours has {b.shape}")
    x = rng.normal(size=3)
    if not np.allclose(W @ x, W2 @ (W1 @ x), rtol=1e-10, atol=1e-12):
        raise Hint("W is not right: apply the first layer's matrix first, then the second one")
    if not np.allclose(b, W2 @ b1 + b2, rtol=1e-10, atol=1e-12):
        raise Hint("W is right but b is not: the first bias also passes through the second layer's matrix")


@exercise("linearity.2")
def check_xor_weights(weights):
    """(W1, b1, w2, b2) for relu(W1 x + b1) -> w2 . h + b2 computing XOR exactly on the four corners."""
    attempted(weights)
    if not isinstance(weights, (tuple, list)) or len(weights) != 4:
        raise Hint("give four things: (W1, b1, w2, b2)")
    W1, b1, w2, b2 = (np.asarray(attempted(part), dtype=float) for part in weights)
    if W1.shape != (2, 2) or b1.shape != (2,) or w2.shape != (2,) or b2.shape not in ((), (1,)):
        raise Hint(f"expected shapes W1 (2, 2), b1 (2,), w2 (2,), b2 a number; got "
                   f"{W1.shape}, {b1.shape}, {w2.shape}, {b2.shape}")
    corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    hidden = np.maximum(0.0, corners @ W1.T + b1)
    outputs = hidden @ w2 + float(b2.reshape(-1)[0])
    expected = np.array([0.0, 1.0, 1.0, 0.0])
    if not np.allclose(outputs, expected, atol=1e-9):
        raise Hint(f"your network gives {np.round(outputs, 3).tolist()} on (0,0), (0,1), (1,0), (1,1); "
                   "expected [0, 1, 1, 0]. Try one unit that counts how many inputs are on, and one that "
                   "fires only when both are")
