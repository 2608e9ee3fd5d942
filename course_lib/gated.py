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
(`feed_forward`, `feed_forward_backward`), the parameter arithmetic, and the Keras layers
`FeedForward` and `GatedFeedForward` with a residual network built from them
(`build_residual_model`) and the equal-budget experiment around it (`learning_rate_sweep`).
Importing it does not import Keras.
"""

import dataclasses
import fractions
import math
from typing import Optional

import numpy as np

from course_lib import activations
from course_lib._validation import as_float_array


@dataclasses.dataclass(frozen=True)
class Variant:
    """One feed-forward block: its `name`, the `activation` (course and Keras name) and whether it is `gated`."""

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
    """Return the `Variant` called `name` (one of VARIANTS), or raise ValueError listing them."""
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
    """The weights of a feed-forward block: W (d_model, d_ff), V (d_model, d_ff) or None (plain), W2 (d_ff, d_out)."""

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

    z_gate = x W; z_linear = x V (None for a plain block); h = f(z_gate) * z_linear (or f(z_gate));
    y = h W2. All float64.
    """

    x: np.ndarray
    z_gate: np.ndarray
    z_linear: Optional[np.ndarray]
    h: np.ndarray
    y: np.ndarray


@dataclasses.dataclass(frozen=True)
class FeedForwardGradients:
    """dL/d of each input of the block, given dL/dy: x (n, d_model), W, V (None for a plain block), W2."""

    x: np.ndarray
    W: np.ndarray
    V: Optional[np.ndarray]
    W2: np.ndarray


def init_weights(variant, d_model, d_ff, rng, d_out=None):
    """Return `FeedForwardWeights` for `variant`, drawn from N(0, 1/fan_in) (LeCun normal) with `rng`.

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


def feed_forward(x, weights, variant):
    """Return the `FeedForwardPass` of the block `variant` on x: y = (f(x W) * (x V)) W2, or f(x W) W2.

    x: (n, d_model); weights: `FeedForwardWeights` (V required exactly when the variant is gated).
    float64. Source: Shazeer (2020), "GLU variants improve Transformer", equations (5)-(6).
    """
    variant = get_variant(variant)
    _check_weights(weights, variant)
    x = as_float_array(x).astype(np.float64)
    z_gate, z_linear = _projections(x, weights.W, weights.V)
    a = activations.get(variant.activation)(z_gate)
    h = a * z_linear if variant.gated else a
    return FeedForwardPass(x=x, z_gate=z_gate, z_linear=z_linear, h=h, y=h @ weights.W2)


def feed_forward_backward(forward, weights, variant, dy):
    """Return the `FeedForwardGradients` of the block, given its `forward` pass and dy = dL/dy.

    The chain rule, and the product rule at the gate h = f(z_gate) * z_linear:
        dW2 = h^T dy,   dh = dy W2^T,
        dz_gate = dh * z_linear * f'(z_gate),   dz_linear = dh * f(z_gate),
        dW = x^T dz_gate,   dV = x^T dz_linear,   dx = dz_gate W^T + dz_linear V^T.
    A plain block has dz_gate = dh * f'(z_gate) and no V. dy: (n, d_out), float64.
    """
    variant = get_variant(variant)
    _check_weights(weights, variant)
    dy = as_float_array(dy, "dy").astype(np.float64)
    if dy.shape != forward.y.shape:
        raise ValueError(f"dy: expected the shape of the output {forward.y.shape}, got {dy.shape}")
    f = activations.get(variant.activation)
    dh = dy @ weights.W2.T
    slope = f.grad(forward.z_gate)
    if variant.gated:
        dz_gate, dz_linear = dh * forward.z_linear * slope, dh * f(forward.z_gate)
        dx = dz_gate @ weights.W.T + dz_linear @ weights.V.T
        dV = forward.x.T @ dz_linear
    else:
        dz_gate, dV = dh * slope, None
        dx = dz_gate @ weights.W.T
    return FeedForwardGradients(x=dx, W=forward.x.T @ dz_gate, V=dV, W2=forward.h.T @ dy)


# --- How wide: the parameter arithmetic ------------------------------------------------------

LLAMA_MULTIPLE_OF = 256  # Meta's reference code rounds LLaMA's d_ff up to a multiple of this


def feed_forward_parameters(d_model, d_ff, gated):
    """The weights of a block without biases: 3 d_model d_ff when `gated` (W, V, W2), else 2 d_model d_ff."""
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
    d_ff = int(equal_parameter_d_ff(d_model))  # int() rounds down, as the reference code's int(2 * h / 3)
    return multiple_of * -(-d_ff // multiple_of)


# --- Keras: the two blocks as layers, a residual network of them, and the experiment --------


def build_residual_model(variant, d_model, d_ff, n_blocks, seed, input_dim, output_units,
                         output_activation):
    """Return an uncompiled Keras model: Dense(d_model), then `n_blocks` residual blocks, then the output.

    Each block is x + FFN(LayerNorm(x)) (pre-normalisation, as in LLaMA and T5), with the
    `FeedForward` or `GatedFeedForward` layer of `variant` and width `d_ff`; a final LayerNorm
    precedes the output Dense(output_units, output_activation). Weights are seeded from `seed`:
    the same call gives the same model.
    """
    keras = _keras()
    variant = get_variant(variant)
    for name, value in (("d_model", d_model), ("d_ff", d_ff), ("n_blocks", n_blocks)):
        _check_positive_int(value, name)

    def init(i):
        return keras.initializers.GlorotUniform(seed=seed * 1000 + i)

    inputs = keras.Input(shape=(input_dim,))
    x = keras.layers.Dense(d_model, kernel_initializer=init(0), name="embed")(inputs)
    for i in range(1, n_blocks + 1):
        block = feed_forward_layer(variant.name, d_ff, kernel_initializer=init(i), name=f"ffn_{i}")
        x = keras.layers.Add(name=f"residual_{i}")([x, block(keras.layers.LayerNormalization(name=f"norm_{i}")(x))])
    x = keras.layers.LayerNormalization(name="norm_out")(x)
    outputs = keras.layers.Dense(output_units, activation=output_activation, kernel_initializer=init(99),
                                 name="output")(x)
    return keras.Model(inputs, outputs, name=f"residual_{variant.name}_{n_blocks}x")


def feed_forward_layer(variant, intermediate_dim, **kwargs):
    """Return the Keras layer of `variant`: `GatedFeedForward` for a gated one, else `FeedForward`."""
    variant = get_variant(variant)
    layers = _layer_classes()
    if variant.gated:
        return layers["GatedFeedForward"](intermediate_dim, variant=variant.name, **kwargs)
    return layers["FeedForward"](intermediate_dim, activation=variant.activation, **kwargs)


@dataclasses.dataclass(frozen=True)
class SweepRun:
    """One training run of the sweep: the block, learning rate and seed, and the final model's scores.

    Losses are cross-entropies, accuracies fractions correct (`compare.loss_and_accuracy`), on the
    validation set (used to choose the learning rate) and on the test set (used for nothing else).
    """

    variant: str
    learning_rate: float
    seed: int
    parameters: int
    val_loss: float
    val_accuracy: float
    test_loss: float
    test_accuracy: float


def learning_rate_sweep(variant, task, x_test, y_test, seeds, learning_rates, d_model, d_ff, n_blocks,
                        protocol):
    """Train the residual model of `variant` once per (learning rate, seed); return one `SweepRun` each.

    `task` (`compare.Task`) gives the training and validation sets, `protocol` (`compare.Protocol`)
    the epochs, batch size and repeats (its learning_rate and hidden_sizes are not used). Adam,
    the cross-entropy that matches the output. The model is compiled once per variant; each run
    restores the seed's initial weights and Adam's initial state and sets the learning rate, which
    is exactly the run a freshly compiled model would give, without tracing a new graph per run.
    """
    from course_lib import compare, models

    keras = _keras()
    units, output_activation = task.output

    def build(seed):
        return build_residual_model(variant, d_model, d_ff, n_blocks, seed, input_dim=task.x_train.shape[1],
                                    output_units=units, output_activation=output_activation)

    seeds = [int(seed) for seed in seeds]
    model = build(seeds[0])
    _, steps = compare.batches(task, protocol, seeds[0])
    model.compile(optimizer=keras.optimizers.Adam(learning_rates[0]),
                  loss=models.default_loss(units, output_activation), steps_per_execution=steps)
    model.optimizer.build(model.trainable_variables)
    initial_state = [variable.numpy() for variable in model.optimizer.variables]
    runs = []
    for learning_rate in learning_rates:
        for seed in seeds:
            model.set_weights(build(seed).get_weights())
            for variable, value in zip(model.optimizer.variables, initial_state):
                variable.assign(value)
            model.optimizer.learning_rate.assign(learning_rate)
            keras.utils.set_random_seed(seed)
            data, steps = compare.batches(task, protocol, seed)
            model.fit(data, epochs=protocol.epochs, steps_per_epoch=steps, verbose=0)
            val_loss, val_accuracy = compare.loss_and_accuracy(model, task.x_val, task.y_val)
            test_loss, test_accuracy = compare.loss_and_accuracy(model, x_test, y_test)
            runs.append(SweepRun(variant=get_variant(variant).name, learning_rate=float(learning_rate),
                                 seed=seed, parameters=int(model.count_params()), val_loss=val_loss,
                                 val_accuracy=val_accuracy, test_loss=test_loss, test_accuracy=test_accuracy))
    return runs


def best_learning_rate(runs, metric="val_loss"):
    """The learning rate whose runs have the lowest median `metric` (a loss: lower is better)."""
    by_rate = {}
    for run in runs:
        by_rate.setdefault(run.learning_rate, []).append(getattr(run, metric))
    return min(by_rate, key=lambda rate: float(np.median(by_rate[rate])))


# --- Machinery ---------------------------------------------------------------------------------


def _check_positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name}: expected a positive int, got {value!r}")


def _gated(variant):
    variant = get_variant(variant)
    if not variant.gated:
        raise ValueError(f"variant: expected a gated variant ({', '.join(GATED_VARIANTS)}), got {variant.name!r}")
    return variant


def _matrix(w, name, rows):
    w = as_float_array(w, name).astype(np.float64)
    if w.ndim != 2 or w.shape[0] != rows:
        raise ValueError(f"{name}: expected a matrix with {rows} rows (one per input feature), got shape {w.shape}")
    return w


def _projections(x, W, V, b=None, c=None):
    """x W + b and x V + c (None when V is None), after checking that the shapes chain."""
    x = as_float_array(x).astype(np.float64)
    if x.ndim not in (1, 2):
        raise ValueError(f"x: expected shape (n, d) or (d,), got {x.shape}")
    W = _matrix(W, "W", x.shape[-1])
    z_gate = x @ W + (0.0 if b is None else _bias(b, "b", W.shape[1]))
    if V is None:
        return z_gate, None
    V = _matrix(V, "V", x.shape[-1])
    if V.shape != W.shape:
        raise ValueError(f"V: expected the shape of W {W.shape}, got {V.shape}")
    return z_gate, x @ V + (0.0 if c is None else _bias(c, "c", V.shape[1]))


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
    if np.shape(weights.W2)[0] != np.shape(weights.W)[1]:
        raise ValueError(f"W2: expected {np.shape(weights.W)[1]} rows (d_ff), got shape {np.shape(weights.W2)}")


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
    """Define FeedForward and GatedFeedForward (once): they subclass keras.layers.Layer, so need Keras."""
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
            self.W = self.add_weight(shape=(d_model, d_ff), initializer=self.kernel_initializer, name="W")
            if self.gated:
                self.V = self.add_weight(shape=(d_model, d_ff), initializer=self.kernel_initializer, name="V")
            self.W2 = self.add_weight(shape=(d_ff, units), initializer=self.kernel_initializer, name="W2")

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
            super().__init__(intermediate_dim, activation=VARIANTS[self.variant].activation, **kwargs)

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
