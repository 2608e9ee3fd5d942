"""A multilayer perceptron in NumPy, with the forward and backward passes written out by hand.

The notation is the course's, so that the code reads like the formulas:

- examples are *columns*: `x` has shape (n_0, m), labels `y` shape (n_L, m);
- layer l has weights W of shape (n_l, n_{l-1}) and a bias b of shape (n_l, 1);
- z = W a_prev + b is the pre-activation and a = g(z) the activation, with a_0 = x;
- dz, da are the derivatives of the loss of each example (one column per example), and
  dW = (1/m) dz a_prev^T, db = (1/m) sum of dz over the examples are those of the mean loss.

Hidden layers all use one activation g from the catalogue (`course_lib.activations`);
the output layer is a sigmoid with binary cross-entropy (loss="bce") or linear with the
squared error (loss="mse"). Everything is float64, so gradient checks can reach 1e-7.

A network is a list of layers, each a dict {"W": ..., "b": ...}; gradients have the
same shape: a list of dicts {"W": dW, "b": db}.
"""

from collections import namedtuple

import numpy as np

from course_lib import activations, diagnostics
from course_lib._validation import as_float_array

LOSSES = ("bce", "mse")

LayerValues = namedtuple("LayerValues", "z a")
LayerValues.__doc__ = ("A layer's pre-activation z and activation a, each (n_l, m); z is None at "
                       "the input.")


def activation_pair(activation):
    """Return (g, g_prime) for `activation`: a catalogue name, or a pair of functions already.

    A name is looked up with `activations.get`, so parameters take the registry's values
    (Leaky ReLU's alpha 0.01; PReLU's alpha, learned in Keras, fixed here at its initial 0.25).
    """
    if isinstance(activation, str):
        entry = activations.get(activation)
        return entry, entry.grad
    if isinstance(activation, tuple) and len(activation) == 2 and all(map(callable, activation)):
        return activation
    raise TypeError(f"activation: expected a name or a pair (g, g_prime) of functions, got "
                    f"{activation!r}")


def init_params(layer_sizes, seed, init="he"):
    """Return a network with layer sizes [n_0, n_1, ..., n_L]: weights random, biases zero.

    W is drawn from a normal distribution with variance 2/n_in ("he", for the ReLU family),
    2/(n_in + n_out) ("glorot", for sigmoid and tanh) or 1/n_in ("lecun", for SELU).
    """
    sizes = list(layer_sizes)
    if len(sizes) < 2 or any(
        isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1 for n in sizes
    ):
        raise ValueError(f"layer_sizes: expected at least two positive ints, got {layer_sizes!r}")
    variance = {"he": lambda n_in, n_out: 2.0 / n_in,
                "glorot": lambda n_in, n_out: 2.0 / (n_in + n_out),
                "lecun": lambda n_in, n_out: 1.0 / n_in}
    if init not in variance:
        raise ValueError(f"init: expected one of {sorted(variance)}, got {init!r}")
    rng = np.random.default_rng(seed)
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        W = rng.normal(0.0, np.sqrt(variance[init](n_in, n_out)), size=(n_out, n_in))
        params.append({"W": W, "b": np.zeros((n_out, 1))})
    return params


def _check_loss(loss):
    if loss not in LOSSES:
        raise ValueError(f"loss: expected one of {LOSSES}, got {loss!r}")


def forward(params, x, activation, loss="bce"):
    """Return (a_L, cache): the network's output and every layer's `LayerValues` (z, a).

    cache[0] is the input, (z=None, a=x); cache[l] is layer l, read as cache[l].z, cache[l].a.

    Hidden layers: z = W a_prev + b, a = g(z). Output layer: the sigmoid of z for
    loss="bce", z itself for loss="mse".
    """
    _check_loss(loss)
    g, _ = activation_pair(activation)
    a = as_float_array(x).astype(np.float64)
    cache = [LayerValues(None, a)]
    for l, layer in enumerate(params, start=1):
        z = layer["W"] @ a + layer["b"]
        if l < len(params):
            a = g(z)
        elif loss == "bce":
            a = activations.sigmoid(z)
        else:
            a = z
        cache.append(LayerValues(z, a))
    return a, cache


def cost(params, x, y, activation, loss="bce"):
    """Return the mean loss over the m examples (columns) of `x`.

    BCE is computed from the logits z as mean(log(1 + e^z) - y z), which equals
    -mean(y log a + (1 - y) log(1 - a)) but never takes log(0).
    MSE is the mean over examples of sum((y - a)^2) over the outputs.
    """
    a, cache = forward(params, x, activation, loss)
    y = as_float_array(y, "y").astype(np.float64)
    m = y.shape[1]
    if loss == "bce":
        z = cache[-1].z
        return float(np.sum(np.logaddexp(0.0, z) - y * z) / m)
    return float(np.sum((y - a) ** 2) / m)


def output_dz(a, y, loss="bce"):
    """Return dz of the output layer, one column per example.

    Sigmoid with binary cross-entropy: dz = a - y (the two derivatives' product simplifies).
    Linear with squared error L = (y - a)^2: dz = da = -2 (y - a).
    """
    _check_loss(loss)
    return a - y if loss == "bce" else -2.0 * (y - a)


def backward(params, cache, y, activation, loss="bce"):
    """Return the gradients [{"W": dW, "b": db}, ...] of the mean loss, layer by layer.

    Going from the output back to layer 1, for each layer l:
        dW = (1/m) dz a_prev^T      db = (1/m) sum of dz over examples
        da_prev = W^T dz            dz_prev = da_prev * g'(z_prev)
    The same code serves a stack of networks (`train_many`): every array then has a leading
    axis, one entry per network, and ^T transposes the last two axes.
    """
    _, g_prime = activation_pair(activation)
    y = as_float_array(y, "y").astype(np.float64)
    m = y.shape[-1]
    dz = output_dz(cache[-1].a, y, loss)
    grads = [None] * len(params)
    for l in range(len(params), 0, -1):  # l = L, L-1, ..., 1 as in the formulas
        W = params[l - 1]["W"]
        z_prev, a_prev = cache[l - 1]
        dW = dz @ _transpose(a_prev) / m  # _transpose: ^T on the last two axes
        db = np.sum(dz, axis=-1, keepdims=True) / m
        grads[l - 1] = {"W": dW, "b": db}
        if l > 1:
            da_prev = _transpose(W) @ dz
            dz = da_prev * g_prime(z_prev)
    return grads


def gradients(params, x, y, activation, loss="bce"):
    """Return the backpropagated gradients of `cost` at `params`: forward, then backward."""
    _, cache = forward(params, x, activation, loss)
    return backward(params, cache, y, activation, loss)


def gradient_norms(grads):
    """Return the Frobenius norm of dW for each layer, layer 1 first, as a NumPy array."""
    return np.array([np.linalg.norm(grad["W"]) for grad in grads])


def train(params, x, y, activation, learning_rate, epochs, loss="bce", batch_size=None, seed=0):
    """Train by (mini-batch) gradient descent; return (trained params, cost after each epoch).

    `params` is not modified. batch_size=None uses every example at each step (full batch);
    otherwise the examples are shuffled each epoch with a Generator seeded by `seed`.
    """
    x = as_float_array(x).astype(np.float64)
    y = as_float_array(y, "y").astype(np.float64)
    m = x.shape[1]
    batch_size = m if batch_size is None else int(batch_size)
    rng = np.random.default_rng(seed)
    params = [{"W": layer["W"].copy(), "b": layer["b"].copy()} for layer in params]
    costs = []
    for _ in range(epochs):
        order = rng.permutation(m) if batch_size < m else np.arange(m)
        for start in range(0, m, batch_size):
            batch = order[start:start + batch_size]
            grads = gradients(params, x[:, batch], y[:, batch], activation, loss)
            for layer, grad in zip(params, grads):
                layer["W"] -= learning_rate * grad["W"]
                layer["b"] -= learning_rate * grad["b"]
        costs.append(cost(params, x, y, activation, loss))
    return params, np.array(costs)


def train_many(
    layer_sizes,
    x,
    y,
    activation,
    learning_rates,
    seeds,
    epochs,
    loss="bce",
    batch_size=None,
    init="he",
):
    """Train one network per (learning rate, seed) at once; return the cost after each epoch.

    Returns a float64 array of shape (len(learning_rates), len(seeds), epochs): entry [i, j]
    is the curve of `train(init_params(layer_sizes, seeds[j], init), x, y, activation,
    learning_rates[i], epochs, loss, batch_size, seed=seeds[j])`, the same initial weights and
    the same shuffling, equal up to rounding. The networks are stacked along a leading axis
    and trained by the same `forward` and `backward`, so a step costs one batched product per
    layer for the whole grid instead of one Python step per network (the course's experiments
    run 10 seeds times a grid of rates in a second or two).
    """
    rates = np.asarray(learning_rates, dtype=np.float64).reshape(-1)
    seeds = [int(seed) for seed in seeds]
    if rates.size == 0 or not np.all((rates > 0) & np.isfinite(rates)):
        raise ValueError(f"learning_rates: expected positive numbers, got {rates.tolist()}")
    if not seeds:
        raise ValueError("seeds: expected at least one seed, got none")
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 1:
        raise ValueError(f"epochs: expected a positive int, got {epochs!r}")
    x = as_float_array(x).astype(np.float64)
    y = as_float_array(y, "y").astype(np.float64)
    m = x.shape[1]
    batch_size = m if batch_size is None else int(batch_size)
    starts = [init_params(layer_sizes, seed, init) for seed in seeds]
    n_rates, n_seeds = rates.size, len(seeds)
    params = [
        {
            key: np.stack([start[l][key] for _ in range(n_rates) for start in starts])
            for key in ("W", "b")
        }
        for l in range(len(starts[0]))
    ]  # network k = i * n_seeds + j: rate i, seed j
    step = np.repeat(rates, n_seeds)[:, None, None]
    rngs = [np.random.default_rng(seed) for seed in seeds]
    costs = np.empty((n_rates * n_seeds, epochs))
    for epoch in range(epochs):
        orders = [rng.permutation(m) if batch_size < m else np.arange(m) for rng in rngs]
        order = np.tile(np.stack(orders), (n_rates, 1))                   # one row per network
        for start in range(0, m, batch_size):
            batch = order[:, start:start + batch_size]
            x_batch, y_batch = np.moveaxis(x[:, batch], 0, 1), np.moveaxis(y[:, batch], 0, 1)
            grads = gradients(params, x_batch, y_batch, activation, loss)
            for layer, grad in zip(params, grads):
                layer["W"] -= step * grad["W"]
                layer["b"] -= step * grad["b"]
        costs[:, epoch] = _stacked_cost(params, x, y, activation, loss)
    return costs.reshape(n_rates, n_seeds, epochs)


def _transpose(array):
    """The transpose of the last two axes (of every matrix in a stack)."""
    return np.swapaxes(array, -1, -2)


def _stacked_cost(params, x, y, activation, loss):
    """`cost` of every network of a stack (leading axis) on the same (x, y)."""
    a, cache = forward(params, x, activation, loss)
    if loss == "bce":
        z = cache[-1].z
        return np.sum(np.logaddexp(0.0, z) - y * z, axis=(1, 2)) / y.shape[1]
    return np.sum((y - a) ** 2, axis=(1, 2)) / y.shape[1]


def dead_units(params, x, activation="relu"):
    """Return one boolean array per hidden layer: True for a dead unit, g'(z) = 0 on every example.

    The course's definition (`diagnostics.unit_states`, after Lu et al. 2019): such a unit
    passes no gradient back from any of these examples. For ReLU, z <= 0 on every example.
    """
    _, g_prime = activation_pair(activation)
    _, cache = forward(params, x, activation)
    return [diagnostics.unit_states(z.T, g_prime).dead for z, _ in cache[1:-1]]


# --- Born dead: deep ReLU networks at initialisation ---------------------------------------------

def born_dead_probability(width, depth):
    """Return 1 - (1 - 2^-N)^L: the probability that a ReLU network of L hidden layers of N units,
    with weights from a symmetric distribution and zero biases, outputs 0 from its last hidden
    layer for a given input (and so the constant output bias there).

    Each unit's z is positive or negative with probability 1/2 each, independently given the
    layer's input, so a layer switches off completely with probability 2^-N; once it has, every
    later layer sees 0 and stays off. Surviving L layers has probability (1 - 2^-N)^L.
    """
    return 1.0 - (1.0 - 2.0 ** -np.asarray(width, dtype=float)) ** np.asarray(depth, dtype=float)


def born_dead_monte_carlo(width, depth, n_networks, n_inputs=1, input_dim=2, seed=0):
    """Return, for L = 1, 2, ..., depth, the fraction of `n_networks` random ReLU networks of L
    hidden layers whose last hidden layer is 0 on every one of `n_inputs` random inputs, i.e.
    whose output is constant on them (an array of `depth` fractions).

    Weights are N(0, 2/n_in) (He), biases 0, inputs standard normal. All networks are drawn
    and evaluated at once, as a stack of matrices (no Python loop over networks), and the first
    L layers of a deep network are a network of depth L, so one pass gives every depth.
    With n_inputs=1 this estimates `born_dead_probability`; with more inputs the event is
    rarer (a network that is constant on many inputs is dead on each of them).
    """
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(n_networks, input_dim, n_inputs))
    fractions = []
    for _ in range(depth):
        n_in = a.shape[1]
        W = rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_networks, width, n_in))
        a = np.maximum(W @ a, 0.0)
        fractions.append(np.mean(np.all(a == 0, axis=(1, 2))))
    return np.array(fractions)
