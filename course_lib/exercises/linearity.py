"""Checks for the linearity-collapse notebook."""

import numpy as np

from course_lib.exercises import Hint, NotAttempted, attempted, call, exercise


@exercise("linearity.1")
def check_collapse(collapse):
    """collapse(W1, b1, W2, b2) -> (W, b) with W2 (W1 x + b1) + b2 = W x + b for every x."""
    rng = np.random.default_rng(101)
    W1, b1 = rng.normal(size=(4, 3)), rng.normal(size=4)
    W2, b2 = rng.normal(size=(2, 4)), rng.normal(size=2)
    try:
        result = call(collapse, W1, b1, W2, b2)
    except ValueError as error:  # e.g. b1 + b2: shapes (4,) and (2,) do not add
        raise Hint(
            f"your code failed with shapes W1 (4, 3), b1 (4,), W2 (2, 4), b2 (2,): {error}. "
            "b1 has one entry per hidden unit and b2 one per output, so they cannot be "
            "added as they are: what happens to b1 on its way through the second layer?"
        ) from None
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise Hint("return a pair (W, b)")
    W, b = (np.asarray(attempted(part), dtype=float) for part in result)
    if W.shape != (2, 3):
        raise Hint(f"W maps 3 inputs to 2 outputs, so it should have shape (2, 3); yours has "
                   f"{W.shape}. "
                   "Which matrix product has that shape?")
    if b.shape != (2,):
        raise Hint(f"b has one entry per output, shape (2,); yours has {b.shape}")
    x = rng.normal(size=3)
    if not np.allclose(W @ x, W2 @ (W1 @ x), rtol=1e-10, atol=1e-12):
        raise Hint("W is not right: apply the first layer's matrix first, then the second one")
    if not np.allclose(b, W2 @ b1 + b2, rtol=1e-10, atol=1e-12):
        raise Hint("W is right but b is not: the first bias also passes through the second "
                   "layer's matrix")


@exercise("linearity.2")
def check_xor_weights(weights):
    """(W1, b1, w2, b2) for relu(W1 x + b1) -> w2 . h + b2 computing XOR exactly on the four
    corners."""
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
        raise Hint(f"your network gives {np.round(outputs, 3).tolist()} on (0,0), (0,1), (1,0), "
                   f"(1,1); "
                   "expected [0, 1, 1, 0]. Try one unit that counts how many inputs are on, and "
                   "one that "
                   "fires only when both are")


ACTIVATIONS_TO_COLLAPSE = {   # g -> whether layers with activation g still collapse (g affine)
    "3z": True,
    "z + 1": True,
    "z**2": False,
    "relu": False,
}
COLLAPSE_HINTS = {
    "3z": "g(z) = 3z: write out W2 g(W1 x + b1) + b2 and collect the terms in x",
    "z + 1": "g(z) = z + 1 is not linear (g(0) = 1), but where can the + 1 go in the next layer?",
    "z**2": "g(z) = z**2: one hidden unit with W1 = 1, b1 = 0 gives x**2; is that W x + b?",
    "relu": "relu bends at 0: relu(x) - relu(-x) = x but relu(x) + relu(-x) = |x|; is |x| affine?",
}


@exercise("linearity.3")
def check_collapsing_activations(collapses):
    """Which activations g let layers collapse into one affine layer: exactly the affine g."""
    attempted(collapses)
    if not isinstance(collapses, dict) or set(collapses) != set(ACTIVATIONS_TO_COLLAPSE):
        raise Hint(f"give a dict with the keys {list(ACTIVATIONS_TO_COLLAPSE)}, each True or False")
    if any(value is Ellipsis for value in collapses.values()):
        raise NotAttempted
    for key, truth in ACTIVATIONS_TO_COLLAPSE.items():
        if not isinstance(collapses[key], (bool, np.bool_)):
            raise Hint(f"{key!r}: answer True or False, got {collapses[key]!r}")
        if bool(collapses[key]) != truth:
            raise Hint(f"not {key!r}. {COLLAPSE_HINTS[key]}")
