"""Gated feed-forward blocks: GLU, ReGLU, GeGLU and SwiGLU, in NumPy and as a Keras layer.

A gated linear unit multiplies two linear projections of the same input, one of them passed
through an activation f (the gate):

    gated_unit(x) = f(x W + b) * (x V + c)                                   (elementwise *)

With f = sigmoid this is the GLU of Dauphin et al. (2017), "Language modeling with gated
convolutional networks" (they write it (x W + b) * sigmoid(x V + c): the same function with W and
V swapped). Shazeer (2020), "GLU variants improve Transformer", names the variants by their gate
and uses them as the feed-forward block of a transformer, without biases:

    FFN(x)       = f(x W) W2                  (the plain block: f = relu, or gelu)
    FFN_GLU(x)   = (f(x W) * (x V)) W2        (glu: sigmoid, reglu: relu, geglu: gelu, swiglu: silu)

Shapes: x is (n, d_model), W and V are (d_model, d_ff), W2 is (d_ff, d_out); float64 throughout
the NumPy functions. The gated block has three matrices where the plain one has two, so at an
equal parameter count its d_ff is 2/3 of the plain block's (`equal_parameter_d_ff`).

This module holds what a notebook calls: the forward and backward pass of both blocks
(`feed_forward`, `feed_forward_backward`, also for a stack of blocks), the parameter arithmetic,
the Keras layers `FeedForward` and `GatedFeedForward` and a residual network of them
(`build_residual_model`), and the equal-budget experiment: the same residual network in NumPy
(`residual_logits`, `residual_gradients`), many copies trained side by side with Adam
(`learning_rate_sweep`), which costs seconds where tracing a Keras graph per run costs minutes.
Importing it does not import Keras.
"""

import dataclasses
import fractions
import math
from typing import Optional

import numpy as np
from scipy import special

from course_lib import activations
from course_lib._validation import as_float_array


@dataclasses.dataclass(frozen=True)
class Variant:
    """One feed-forward block: its `name`, `activation` (course and Keras name), `gated` or not."""

    name: str
    activation: str
    gated: bool


VARIANTS = {variant.name: variant for variant in (
    Variant("relu", "relu", gated=False),
    Variant("gelu", "gelu", gated=False),
    Variant("glu", "sigmoid", gated=True),
    Variant("reglu", "relu", gated=True),
    Variant("geglu", "gelu", gated=True),
    Variant("swiglu", "silu", gated=True),
)}
GATED_VARIANTS = tuple(name for name, variant in VARIANTS.items() if variant.gated)


def get_variant(name):
    """Return the `Variant` called `name` (a key of VARIANTS, or a Variant); else ValueError."""
    if isinstance(name, Variant) and VARIANTS.get(name.name) == name:
        return name
    if not isinstance(name, str) or name not in VARIANTS:
        raise ValueError(f"variant: expected one of {', '.join(VARIANTS)}, got {name!r}")
    return VARIANTS[name]


# --- The gated unit and the feed-forward blocks, forward and backward -----------------------


def gated_unit(x, W, V, variant="swiglu", b=None, c=None):
    """Return f(x W + b) * (x V + c), the gate f of the gated `variant` (glu, reglu, geglu, swiglu).

    x: (n, d) or (d,); W, V: (d, h); b, c: (h,) or None (no bias). Returns (n, h) (or (h,)),
    float64. f is the course's sigmoid, relu, exact gelu or silu (`course_lib.activations`).
    Sources: Dauphin et al. (2017) for GLU, Shazeer (2020) for the variants.
    Raises ValueError for an ungated variant or shapes that do not chain.
    """
    variant = _gated(variant)
    z_gate, z_linear = _projections(x, W, V, b, c)
    return activations.get(variant.activation)(z_gate) * z_linear


@dataclasses.dataclass(frozen=True)
class FeedForwardWeights:
    """The weights of a feed-forward block, float64.

    W: (d_model, d_ff); V: (d_model, d_ff), or None for a plain block; W2: (d_ff, d_out).
    """

    W: np.ndarray
    V: Optional[np.ndarray]
    W2: np.ndarray

    @property
    def count(self):
        """The number of parameters: the entries of W, V and W2."""
        return sum(int(np.size(w)) for w in (self.W, self.V, self.W2) if w is not None)


@dataclasses.dataclass(frozen=True)
class FeedForwardPass:
    """What the forward pass keeps for the backward pass, and its output.

    z_gate = x W; z_linear = x V (None for a plain block); a = f(z_gate); h = a * z_linear (or a);
    y = h W2. All float64.
    """

    x: np.ndarray
    z_gate: np.ndarray
    z_linear: Optional[np.ndarray]
    a: np.ndarray
    h: np.ndarray
    y: np.ndarray


@dataclasses.dataclass(frozen=True)
class FeedForwardGradients:
    """dL/d of each input of the block, given dL/dy: x, W, V (None for a plain block), W2."""

    x: np.ndarray
    W: np.ndarray
    V: Optional[np.ndarray]
    W2: np.ndarray


def init_weights(variant, d_model, d_ff, rng, d_out=None):
    """Return `FeedForwardWeights` for `variant`, drawn from N(0, 1/fan_in) (LeCun normal).

    d_out defaults to d_model (a block inside a residual stream). V is None for a plain block.
    """
    variant = get_variant(variant)
    d_out = d_model if d_out is None else d_out
    for name, value in (("d_model", d_model), ("d_ff", d_ff), ("d_out", d_out)):
        _check_positive_int(value, name)
    W = rng.normal(0.0, 1.0 / math.sqrt(d_model), size=(d_model, d_ff))
    V = rng.normal(0.0, 1.0 / math.sqrt(d_model), size=(d_model, d_ff)) if variant.gated else None
    W2 = rng.normal(0.0, 1.0 / math.sqrt(d_ff), size=(d_ff, d_out))
    return FeedForwardWeights(W, V, W2)


def feed_forward(x, weights, variant, fast=False):
    """Return the `FeedForwardPass` of the block `variant` on x: (f(x W) * (x V)) W2, or f(x W) W2.

    x: (n, d_model); weights: `FeedForwardWeights` (V required exactly when the variant is gated).
    A stack of k blocks works too: weights of shape (k, d_model, d_ff) etc., x of shape (n, d_model)
    or (k, n, d_model), results (k, n, ...). float64. fast=True evaluates f and f' by the plain
    SciPy formulas (`FAST_GATES`) instead of the course's careful ones: many times faster on the
    arrays of a training run, and equal to a few ulp where training takes z.
    Source: Shazeer (2020), "GLU variants improve Transformer", equations (5)-(6).
    """
    variant = get_variant(variant)
    _check_weights(weights, variant)
    x = as_float_array(x).astype(np.float64)
    z_gate, z_linear = _projections(x, weights.W, weights.V)
    a = _gate(variant, fast)[0](z_gate)
    h = a * z_linear if variant.gated else a
    return FeedForwardPass(x=x, z_gate=z_gate, z_linear=z_linear, a=a, h=h, y=h @ weights.W2)


def feed_forward_backward(forward, weights, variant, dy, fast=False):
    """Return the `FeedForwardGradients` of the block, given its `forward` pass and dy = dL/dy.

    The chain rule, and the product rule at the gate h = f(z_gate) * z_linear:
        dW2 = h^T dy,   dh = dy W2^T,
        dz_gate = dh * z_linear * f'(z_gate),   dz_linear = dh * f(z_gate),
        dW = x^T dz_gate,   dV = x^T dz_linear,   dx = dz_gate W^T + dz_linear V^T.
    A plain block has dz_gate = dh * f'(z_gate) and no V. dy: (n, d_out) (or (k, n, d_out) for a
    stack of k blocks, see `feed_forward`), float64; `fast` as in `feed_forward`.
    """
    variant = get_variant(variant)
    _check_weights(weights, variant)
    dy = as_float_array(dy, "dy").astype(np.float64)
    if dy.shape != forward.y.shape:
        raise ValueError(f"dy: expected the shape of the output {forward.y.shape}, got {dy.shape}")
    dh = dy @ _t(weights.W2)
    slope = _gate(variant, fast)[1](forward.z_gate)
    if variant.gated:
        dz_gate, dz_linear = dh * forward.z_linear * slope, dh * forward.a
        dx = dz_gate @ _t(weights.W) + dz_linear @ _t(weights.V)
        dV = _t(forward.x) @ dz_linear
    else:
        dz_gate, dV = dh * slope, None
        dx = dz_gate @ _t(weights.W)
    return FeedForwardGradients(x=dx, W=_t(forward.x) @ dz_gate, V=dV, W2=_t(forward.h) @ dy)


def _phi(z):
    return np.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)


# (f, f') by the plain formulas on SciPy's expit (the sigmoid) and ndtr (Phi): for training runs,
# where z stays moderate; the course's `activations` are exact to a few ulp over every float.
FAST_GATES = {
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(np.float64)),
    "sigmoid": (special.expit, lambda z: special.expit(z) * special.expit(-z)),
    "gelu": (lambda z: z * special.ndtr(z), lambda z: special.ndtr(z) + z * _phi(z)),
    "silu": (lambda z: z * special.expit(z),
             lambda z: special.expit(z) * (1 + z * special.expit(-z))),
}


# --- How wide: the parameter arithmetic ------------------------------------------------------

LLAMA_MULTIPLE_OF = 256  # Meta's reference code rounds LLaMA's d_ff up to a multiple of this


def feed_forward_parameters(d_model, d_ff, gated):
    """The number of weights of a block without biases.

    3 d_model d_ff when `gated` (W, V, W2), else 2 d_model d_ff (W, W2).
    """
    _check_positive_int(d_model, "d_model")
    _check_positive_int(d_ff, "d_ff")
    return (3 if gated else 2) * d_model * d_ff


def equal_parameter_d_ff(d_model, expansion=4):
    """The d_ff of a gated block with the parameters of a plain one of width expansion * d_model.

    3 d_model h = 2 d_model (expansion d_model)  =>  h = 2/3 expansion d_model (8 d_model / 3 for
    the usual expansion 4). Returned exactly, as a `fractions.Fraction` (an integer only when
    3 divides 2 expansion d_model). Source: Shazeer (2020), section 2.
    """
    _check_positive_int(d_model, "d_model")
    _check_positive_int(expansion, "expansion")
    return fractions.Fraction(2 * expansion * d_model, 3)


def llama_d_ff(d_model, multiple_of=LLAMA_MULTIPLE_OF):
    """LLaMA's SwiGLU width: int(2/3 * 4 d_model), rounded *up* to a multiple of `multiple_of`.

    The rule of Meta's reference implementation (llama/model.py, FeedForward); d_model = 4096
    gives 11008. Touvron et al. (2023), "LLaMA: open and efficient foundation language models",
    state the 2/3 4d; the rounding keeps the matrices a friendly size for the hardware.
    """
    _check_positive_int(multiple_of, "multiple_of")
    d_ff = int(equal_parameter_d_ff(d_model))  # rounds down, as the reference code's int(2 * h / 3)
    return multiple_of * -(-d_ff // multiple_of)


# --- Keras: the two blocks as layers, a residual network of them, and the experiment --------


def build_residual_model(variant, d_model, d_ff, n_blocks, seed, input_dim, output_units=1,
                         output_activation="sigmoid", name=None, dtype="float32"):
    """Return an uncompiled Keras model of the network `residual_logits` computes in NumPy.

    Dense(d_model) (the embedding, with bias), then `n_blocks` residual blocks a <- a + FFN(a)
    with the `FeedForward` or `GatedFeedForward` layer of `variant` and width `d_ff`, then the
    output Dense(output_units, output_activation). Weights are LeCun normal, seeded from `seed`
    (the same call gives the same model); biases start at 0. `dtype`: of every layer (Keras' name).
    """
    keras = _keras()
    variant = get_variant(variant)
    for label, value in (("d_model", d_model), ("d_ff", d_ff), ("n_blocks", n_blocks)):
        _check_positive_int(value, label)

    def init(i):
        return keras.initializers.LecunNormal(seed=seed * 1000 + i)

    inputs = keras.Input(shape=(input_dim,), dtype=dtype)
    a = keras.layers.Dense(d_model, kernel_initializer=init(0), name="embed", dtype=dtype)(inputs)
    for i in range(1, n_blocks + 1):
        block = feed_forward_layer(variant.name, d_ff, kernel_initializer=init(i), name=f"ffn_{i}",
                                   dtype=dtype)
        a = keras.layers.Add(name=f"residual_{i}", dtype=dtype)([a, block(a)])
    outputs = keras.layers.Dense(output_units, activation=output_activation,
                                 kernel_initializer=init(99), name="output", dtype=dtype)(a)
    return keras.Model(inputs, outputs, name=name or f"residual_{variant.name}_{n_blocks}x")


def feed_forward_layer(variant, intermediate_dim, **kwargs):
    """Return the Keras layer of `variant`: `GatedFeedForward` if gated, else `FeedForward`."""
    variant = get_variant(variant)
    layers = _layer_classes()
    if variant.gated:
        return layers["GatedFeedForward"](intermediate_dim, variant=variant.name, **kwargs)
    return layers["FeedForward"](intermediate_dim, activation=variant.activation, **kwargs)


# --- The experiment: residual networks of blocks, trained side by side in NumPy ----------------


def init_residual_network(variant, input_dim, d_model, d_ff, n_blocks, seeds):
    """Return the weights of one residual network per seed, stacked along a first axis, by name.

    Names: "embed" (input_dim, d_model) and "embed_bias" (1, d_model); per block i = 1, 2, ...:
    "W_i", "V_i" (gated variants only), "W2_i" (`init_weights`); "readout" (d_model, 1) and
    "readout_bias" (1, 1). Weights N(0, 1/fan_in) (LeCun normal) from default_rng(seed), biases 0;
    each array gets a leading axis of length len(seeds).
    """
    variant = get_variant(variant)
    networks = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        network = {"embed": rng.normal(0.0, 1.0 / math.sqrt(input_dim), size=(input_dim, d_model)),
                   "embed_bias": np.zeros((1, d_model))}
        for i in range(1, n_blocks + 1):
            weights = init_weights(variant.name, d_model, d_ff, rng)
            network.update({f"W_{i}": weights.W, f"W2_{i}": weights.W2})
            if variant.gated:
                network[f"V_{i}"] = weights.V
        network.update(readout=rng.normal(0.0, 1.0 / math.sqrt(d_model), size=(d_model, 1)),
                       readout_bias=np.zeros((1, 1)))
        networks.append(network)
    return {name: np.stack([network[name] for network in networks]) for name in networks[0]}


@dataclasses.dataclass(frozen=True)
class ResidualPass:
    """The forward pass of a stack of k residual networks: `logits` (k, n), and what backprop needs.
    """

    x: np.ndarray
    blocks: tuple
    a: np.ndarray
    logits: np.ndarray


def residual_logits(params, x, variant, fast=True):
    """Return the `ResidualPass` of the networks `params` (`init_residual_network`) on x (n, d).

    a = x E + e;  a <- a + FFN_i(a) for every block;  logit = a r + r0  (one logit per input: a
    binary classifier, P(class 1) = sigmoid(logit)). `fast` as in `feed_forward`.
    """
    variant = get_variant(variant)
    x = as_float_array(x).astype(np.float64)
    a = x @ params["embed"] + params["embed_bias"]
    blocks = []
    for i in range(1, _n_blocks(params) + 1):
        block = feed_forward(a, _block_weights(params, i), variant, fast=fast)
        blocks.append(block)
        a = a + block.y
    logits = (a @ params["readout"] + params["readout_bias"])[..., 0]
    return ResidualPass(x=x, blocks=tuple(blocks), a=a, logits=logits)


def binary_cross_entropy(logits, y):
    """Mean over the last axis of -[y ln p + (1 - y) ln(1 - p)], p = sigmoid(logit), from logits.

    Written ln(1 + e^l) - y l (`np.logaddexp`), which neither overflows nor takes ln 0.
    """
    return np.mean(np.logaddexp(0.0, logits) - y * logits, axis=-1)


def residual_gradients(params, x, y, variant, fast=True):
    """Return (loss per network (k,), {name: dL/dparam}): `binary_cross_entropy`, backpropagated.

    Backpropagation through the residual stream: dL/dlogit = (sigmoid(logit) - y) / n; at each
    block the stream's gradient passes straight through the addition and also through the block
    (`feed_forward_backward`), and the two add up.
    """
    variant = get_variant(variant)
    forward = residual_logits(params, x, variant, fast=fast)
    y = np.asarray(y, dtype=np.float64)
    dlogits = (special.expit(forward.logits) - y) / y.shape[-1]
    grads = {"readout": _t(forward.a) @ dlogits[..., None],
             "readout_bias": dlogits.sum(-1)[:, None, None]}
    da = dlogits[..., None] @ _t(params["readout"])
    for i in range(len(forward.blocks), 0, -1):
        block = feed_forward_backward(forward.blocks[i - 1], _block_weights(params, i), variant, da,
                                      fast=fast)
        grads.update({f"W_{i}": block.W, f"W2_{i}": block.W2})
        if block.V is not None:
            grads[f"V_{i}"] = block.V
        da = da + block.x
    grads.update(embed=_t(forward.x) @ da, embed_bias=da.sum(-2, keepdims=True))
    return binary_cross_entropy(forward.logits, y), grads


@dataclasses.dataclass(frozen=True)
class SweepRun:
    """One network of the sweep after `epochs` epochs: block, learning rate, seed, size, scores.

    Losses are binary cross-entropies, accuracies fractions correct, on the validation set (used
    to choose the learning rate) and on the test set (used for nothing else).
    """

    variant: str
    epochs: int
    learning_rate: float
    seed: int
    parameters: int
    val_loss: float
    val_accuracy: float
    test_loss: float
    test_accuracy: float


ADAM = {"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7}  # keras.optimizers.Adam's defaults


def learning_rate_sweep(variant, task, x_test, y_test, seeds, learning_rates, d_model, d_ff,
                        n_blocks, budgets, batch_size=64, data_seed=0):
    """Train a residual network per (learning rate, seed) with Adam; return its `SweepRun`s.

    `budgets`: the numbers of epochs after which the networks are scored (training runs to the
    largest; a smaller budget is the same run stopped earlier).

    `task` (`compare.Task`, two classes) gives the training and validation sets. The seed sets a
    network's initial weights (`init_residual_network`), so the networks of one seed start equal
    at every learning rate; all see the same mini-batches (shuffled each epoch with `data_seed`).
    Adam as Keras defines it (`ADAM`), one learning rate per network.

    All the networks train side by side as one stack (`residual_gradients`): they share no weight
    and Adam updates each weight from its own gradient, so each follows exactly the steps it would
    follow alone, at the cost of one NumPy loop for all.
    """
    seeds, learning_rates = [int(seed) for seed in seeds], [float(rate) for rate in learning_rates]
    if not seeds or not learning_rates:
        raise ValueError("seeds and learning_rates: expected at least one of each, got none")
    if task.n_classes != 2:
        raise ValueError(f"task: expected two classes, got {task.n_classes}")
    params = init_residual_network(variant, task.x_train.shape[1], d_model, d_ff, n_blocks,
                                   seeds * len(learning_rates))
    rate = np.repeat(learning_rates, len(seeds))[:, None, None]
    moments = {name: (np.zeros_like(value), np.zeros_like(value)) for name, value in params.items()}
    budgets = sorted({int(epochs) for epochs in budgets})
    if not budgets or budgets[0] < 1:
        raise ValueError(f"budgets: expected positive numbers of epochs, got {budgets!r}")
    rng, n, step, runs = np.random.default_rng(data_seed), len(task.x_train), 0, []
    size = int(sum(value[0].size for value in params.values()))
    for epoch in range(1, budgets[-1] + 1):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            batch = order[start:start + batch_size]
            _, grads = residual_gradients(params, task.x_train[batch], task.y_train[batch], variant)
            step += 1
            for name, grad in grads.items():
                params[name] = params[name] - _adam_step(moments[name], grad, step, rate)
        if epoch in budgets:
            val_loss, val_accuracy = _scores(params, task.x_val, task.y_val, variant)
            test_loss, test_accuracy = _scores(params, x_test, y_test, variant)
            runs += [SweepRun(variant=get_variant(variant).name, epochs=epoch,
                              learning_rate=learning_rates[j // len(seeds)],
                              seed=seeds[j % len(seeds)], parameters=size,
                              val_loss=float(val_loss[j]), val_accuracy=float(val_accuracy[j]),
                              test_loss=float(test_loss[j]), test_accuracy=float(test_accuracy[j]))
                     for j in range(len(seeds) * len(learning_rates))]
    return runs


def best_learning_rate(runs, metric="val_loss"):
    """The learning rate whose runs have the lowest median `metric` (a loss: lower is better)."""
    by_rate = {}
    for run in runs:
        by_rate.setdefault(run.learning_rate, []).append(getattr(run, metric))
    return min(by_rate, key=lambda rate: float(np.median(by_rate[rate])))


# --- Machinery ---------------------------------------------------------------------------------


def _n_blocks(params):
    return sum(1 for name in params if name.startswith("W_"))


def _block_weights(params, i):
    return FeedForwardWeights(params[f"W_{i}"], params.get(f"V_{i}"), params[f"W2_{i}"])


def _adam_step(moment, grad, step, rate):
    """Update Adam's moments (m, v) in place; return the step to subtract, as keras.optimizers.Adam:
    m <- m + (1 - beta_1)(g - m), v <- v + (1 - beta_2)(g^2 - v),
    step = rate sqrt(1 - beta_2^t) / (1 - beta_1^t) * m / (sqrt(v) + epsilon)."""
    m, v = moment
    m += (1 - ADAM["beta_1"]) * (grad - m)
    v += (1 - ADAM["beta_2"]) * (grad * grad - v)
    alpha = rate * math.sqrt(1 - ADAM["beta_2"] ** step) / (1 - ADAM["beta_1"] ** step)
    return alpha * m / (np.sqrt(v) + ADAM["epsilon"])


def _scores(params, x, y, variant):
    """(loss, accuracy) per network of the stack on (x, y)."""
    logits = residual_logits(params, x, variant).logits
    return binary_cross_entropy(logits, y), np.mean((logits > 0) == (np.asarray(y) == 1), axis=-1)


def _check_positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name}: expected a positive int, got {value!r}")


def _gated(variant):
    variant = get_variant(variant)
    if not variant.gated:
        raise ValueError(f"variant: expected a gated variant ({', '.join(GATED_VARIANTS)}), "
                         f"got {variant.name!r}")
    return variant


def _matrix(w, name, rows):
    w = as_float_array(w, name).astype(np.float64)
    if w.ndim < 2 or w.shape[-2] != rows:
        raise ValueError(f"{name}: expected a matrix with {rows} rows (one per input feature), "
                         f"got shape {w.shape}")
    return w


def _t(a):
    """The transpose of a matrix, or of every matrix in a stack (the last two axes)."""
    return np.swapaxes(a, -1, -2)


def _projections(x, W, V, b=None, c=None):
    """x W + b and x V + c (None when V is None), after checking that the shapes chain."""
    x = as_float_array(x).astype(np.float64)
    if x.ndim < 1:
        raise ValueError("x: expected shape (n, d) or (d,), got a scalar")
    W = _matrix(W, "W", x.shape[-1])
    z_gate = x @ W + (0.0 if b is None else _bias(b, "b", W.shape[-1]))
    if V is None:
        return z_gate, None
    V = _matrix(V, "V", x.shape[-1])
    if V.shape != W.shape:
        raise ValueError(f"V: expected the shape of W {W.shape}, got {V.shape}")
    return z_gate, x @ V + (0.0 if c is None else _bias(c, "c", V.shape[-1]))


def _bias(b, name, size):
    b = as_float_array(b, name).astype(np.float64)
    if b.shape != (size,):
        raise ValueError(f"{name}: expected shape ({size},), got {b.shape}")
    return b


def _check_weights(weights, variant):
    if not isinstance(weights, FeedForwardWeights):
        raise TypeError(f"weights: expected FeedForwardWeights, got {type(weights).__name__}")
    if variant.gated and weights.V is None:
        raise ValueError(f"weights: the gated variant {variant.name!r} needs V, got V=None")
    if not variant.gated and weights.V is not None:
        raise ValueError(f"weights: the plain variant {variant.name!r} has no V, got one")
    if np.shape(weights.W2)[-2] != np.shape(weights.W)[-1]:
        raise ValueError(f"W2: expected {np.shape(weights.W)[-1]} rows (d_ff), "
                         f"got shape {np.shape(weights.W2)}")


def _gate(variant, fast):
    """(f, f') of the variant's activation: the course's careful functions, or `FAST_GATES`."""
    if fast:
        return FAST_GATES[variant.activation]
    f = activations.get(variant.activation)
    return f, f.grad


def _keras():
    from course_lib._keras import load_keras

    return load_keras()


def _keras_activation(name):
    """The Keras function for the course activation `name`; GELU exact, as the course's gelu.

    GELU is written z erfc(-z / sqrt 2) / 2 here, in the input's dtype: tf.nn.gelu's exact form
    is off by about 5e-8 (relative) in float64, and the erf form 1 + erf(.) loses the tail.
    """
    keras = _keras()
    if name == "gelu":
        from course_lib._keras import load_tensorflow

        erfc = load_tensorflow().math.erfc
        return lambda z: 0.5 * z * erfc(-z * 0.7071067811865476)
    return keras.activations.get(name)


_LAYERS = {}


def _layer_classes():
    """Define FeedForward and GatedFeedForward (once): they subclass keras.layers.Layer."""
    if _LAYERS:
        return _LAYERS
    keras = _keras()

    class FeedForward(keras.layers.Layer):
        """The plain transformer feed-forward block y = f(x W) W2, no biases (keras.layers.Layer).

        intermediate_dim: d_ff; activation: "relu" or "gelu" (exact) or another course activation;
        units: the output width (default: the input's last dimension, for a residual stream).
        Input (..., d_model) -> output (..., units). Source: Vaswani et al. (2017), section 3.3.
        """

        gated = False

        def __init__(self, intermediate_dim, activation="relu", units=None,
                     kernel_initializer="glorot_uniform", **kwargs):
            super().__init__(**kwargs)
            _check_positive_int(intermediate_dim, "intermediate_dim")
            if units is not None:
                _check_positive_int(units, "units")
            self.intermediate_dim, self.units = int(intermediate_dim), units
            self.activation_name = activation
            self.activation = _keras_activation(activation)
            self.kernel_initializer = keras.initializers.get(kernel_initializer)

        def build(self, input_shape):
            d_model, d_ff = int(input_shape[-1]), self.intermediate_dim
            units = d_model if self.units is None else self.units
            init = self.kernel_initializer
            self.W = self.add_weight(shape=(d_model, d_ff), initializer=init, name="W")
            if self.gated:
                self.V = self.add_weight(shape=(d_model, d_ff), initializer=init, name="V")
            self.W2 = self.add_weight(shape=(d_ff, units), initializer=init, name="W2")

        def hidden(self, x):
            return self.activation(keras.ops.matmul(x, self.W))

        def call(self, x):
            return keras.ops.matmul(self.hidden(x), self.W2)

        def get_config(self):
            return {**super().get_config(), "intermediate_dim": self.intermediate_dim,
                    "activation": self.activation_name, "units": self.units,
                    "kernel_initializer": keras.initializers.serialize(self.kernel_initializer)}

    class GatedFeedForward(FeedForward):
        """The gated feed-forward block y = (f(x W) * (x V)) W2, no biases (keras.layers.Layer).

        variant: "swiglu" (f = silu, the default), "geglu" (exact gelu), "reglu" (relu) or
        "glu" (sigmoid); intermediate_dim: d_ff (2/3 of a plain block's for the same parameters,
        `equal_parameter_d_ff`); units: as in `FeedForward`. Weights W, V: (d_model, d_ff),
        W2: (d_ff, units). Source: Shazeer (2020), "GLU variants improve Transformer".
        """

        gated = True

        def __init__(self, intermediate_dim, variant="swiglu", **kwargs):
            self.variant = _gated(variant).name
            activation = VARIANTS[self.variant].activation
            super().__init__(intermediate_dim, activation=activation, **kwargs)

        def hidden(self, x):
            return self.activation(keras.ops.matmul(x, self.W)) * keras.ops.matmul(x, self.V)

        def get_config(self):
            config = super().get_config()
            del config["activation"]
            return {**config, "variant": self.variant}

    _LAYERS.update(FeedForward=FeedForward, GatedFeedForward=GatedFeedForward)
    return _LAYERS


def __getattr__(name):
    # The Keras layers are defined on first use: importing this module must not import Keras.
    if name in ("FeedForward", "GatedFeedForward"):
        return _layer_classes()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
