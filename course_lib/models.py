"""Keras models for the course's experiments: one builder, one training call, same rules for every
run.

Every model is a plain multilayer perceptron: Dense layers without activation,
each followed by its own activation layer. Keeping the activation in a separate
layer makes pre-activations (the Dense outputs, z) easy to inspect.
"""

import functools

import numpy as np

from course_lib import diagnostics
from course_lib._keras import load_keras, load_tensorflow
# re-exported: the notebooks call models.unit_fractions and models.hidden_pre_activations
from course_lib.diagnostics import (SATURATION_THRESHOLD, hidden_pre_activations,  # noqa: F401
                                    unit_fractions)

# Initialisation suited to each activation (He for the ReLU family, LeCun for SELU,
# Glorot elsewhere). A course activation not listed here gets Glorot uniform, Keras' default.
INITIALIZER_FOR = {
    "relu": "he_normal",
    "relu6": "he_normal",
    "leaky_relu": "he_normal",
    "prelu": "he_normal",
    "elu": "he_normal",
    "gelu": "he_normal",
    "silu": "he_normal",
    "swish": "he_normal",
    "mish": "he_normal",
    "selu": "lecun_normal",
    "sigmoid": "glorot_uniform",
    "tanh": "glorot_uniform",
    "softplus": "glorot_uniform",
    "linear": "glorot_uniform",
}
LEAKY_RELU_ALPHA = 0.01  # the literature's slope; Keras' own defaults are 0.2 and 0.3


def initializer_for(activation):
    """Return the name of the weight initialiser the course uses for `activation`."""
    return INITIALIZER_FOR.get(activation if isinstance(activation, str) else "", "glorot_uniform")


def activation_layer(activation, name=None, alpha=None):
    """Return a Keras layer that applies the course activation `activation` (None or "linear": no
    layer).

    Leaky ReLU gets the course's slope 0.01 and PReLU is a layer with a learnable slope;
    every other name is passed to `keras.layers.Activation`. `alpha` sets Leaky ReLU's slope,
    or PReLU's *initial* slope (Keras starts PReLU at 0, a plain ReLU; He et al. at 0.25).
    """
    keras = load_keras()
    if alpha is not None and activation not in ("leaky_relu", "prelu"):
        raise ValueError(f"alpha: only leaky_relu and prelu take a slope, got activation "
                         f"{activation!r}")
    if activation is None or activation == "linear":
        return None
    if activation == "leaky_relu":
        return keras.layers.LeakyReLU(
            negative_slope=LEAKY_RELU_ALPHA if alpha is None else alpha, name=name
        )
    if activation == "prelu":
        initial = "zeros" if alpha is None else keras.initializers.Constant(alpha)
        return keras.layers.PReLU(alpha_initializer=initial, name=name)
    if activation == "gelu":  # keras.activations.gelu is exact by default; say so explicitly
        # (a partial, not a lambda, so that diagnostics.hidden_layers can tell what it computes)
        exact = functools.partial(keras.activations.gelu, approximate=False)
        return keras.layers.Activation(exact, name=name)
    try:
        keras.activations.get(activation)
    except ValueError:
        raise ValueError(f"activation: Keras knows no activation {activation!r}") from None
    return keras.layers.Activation(activation, name=name)


def build_mlp(
    activation,
    hidden_sizes,
    seed,
    input_dim=2,
    output_units=1,
    output_activation="sigmoid",
    kernel_initializer=None,
    bias_initializer="zeros",
    alpha=None,
):
    """Return an uncompiled Keras MLP: input -> [Dense -> activation] per hidden size -> Dense
    output.

    Weights are drawn from `kernel_initializer` (default: the one suited to `activation`,
    see INITIALIZER_FOR), seeded per layer from `seed`, so the same call gives the same model.
    kernel_initializer="gain" (or "gain_backward") scales each hidden layer's weights by the
    activation's own gain, see `gain_initializer`; the output layer then gets Glorot uniform.
    Hidden layers are named dense_1, act_1, dense_2, act_2, ...; the output layer "output".
    `alpha`: the slope of leaky_relu, or the initial slope of prelu (see `activation_layer`).
    """
    keras = load_keras()
    hidden_sizes = list(hidden_sizes)
    if any(
        isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1 for n in hidden_sizes
    ):
        raise ValueError(f"hidden_sizes: expected positive ints, got {hidden_sizes!r}")
    init_name = kernel_initializer or initializer_for(activation)

    def init(i):
        if init_name in GAIN_INITIALIZERS:  # the output layer (i = 0) has no activation of its own
            if i > 0:
                return _gain_initializer_for(activation, init_name, seed * 1000 + i, alpha)
            return keras.initializers.GlorotUniform(seed=seed * 1000)
        return keras.initializers.get(
            {"class_name": init_name, "config": {"seed": seed * 1000 + i}}
        )

    def bias_init():
        return keras.initializers.get(bias_initializer)

    layers = [keras.Input(shape=(input_dim,))]
    for i, units in enumerate(hidden_sizes, start=1):
        layers.append(
            keras.layers.Dense(
                units, kernel_initializer=init(i), bias_initializer=bias_init(), name=f"dense_{i}"
            )
        )
        act = activation_layer(activation, name=f"act_{i}", alpha=alpha)
        if act is not None:
            layers.append(act)
    layers.append(keras.layers.Dense(output_units, activation=output_activation,
                                     kernel_initializer=init(0), name="output"))
    return keras.Sequential(layers, name=f"mlp_{activation or 'linear'}_{len(hidden_sizes)}x")


# --- Initialisation from the activation's gain (course_lib.activations.gain) ----------------

GAIN_INITIALIZERS = {"gain": "forward", "gain_backward": "backward"}  # build_mlp's names


def gain_initializer(activation, mode="forward", seed=None, distribution="truncated_normal",
                     **parameters):
    """Return a Keras initialiser drawing weights of mean 0 and variance gain^2 / fan.

        Var(W) = gain(activation, mode)^2 / fan_in    for mode="forward"  (keeps E[a^2])
        Var(W) = gain(activation, mode)^2 / fan_out   for mode="backward" (keeps E[(dL/da)^2])

    with the gain computed from the activation by `course_lib.activations.gain` (parameters
    such as alpha=0.2 go to it). It is keras.initializers.VarianceScaling(scale=gain^2, mode=
    "fan_in" or "fan_out", distribution, seed): for a Dense kernel of shape (fan_in, fan_out).
    distribution: "truncated_normal" (Keras' choice for he_normal: cut at 2 standard deviations
    and rescaled, so the variance is still gain^2 / fan), "untruncated_normal" or "uniform".

    The special cases are the published initialisers: relu gives He et al. (2015) (gain sqrt 2,
    "Delving deep into rectifiers"), linear gives LeCun / Glorot's fan-in form (gain 1; Glorot &
    Bengio 2010 average fan_in and fan_out), selu gives LeCun normal (gain 1, Klambauer et al.
    2017). For tanh (1.5925) and the sigmoid (1.8462 forward, 4.7226 backward) it differs from
    Glorot's gain 1, and from PyTorch's calculate_gain table (tanh 5/3, sigmoid 1), which is a
    convention, not this computation. Raises ValueError for an unknown activation or mode.
    """
    from course_lib.activations import GAIN_MODES, gain

    if mode not in GAIN_MODES:
        raise ValueError(f"mode: expected one of {', '.join(map(repr, GAIN_MODES))}, got {mode!r}")
    scale = gain("linear" if activation is None else activation, mode, **parameters) ** 2
    fan = "fan_in" if mode == "forward" else "fan_out"
    return load_keras().initializers.VarianceScaling(scale=scale, mode=fan,
                                                     distribution=distribution, seed=seed)


def _gain_initializer_for(activation, init_name, seed, alpha):
    """build_mlp's hidden-layer initialiser for kernel_initializer="gain" / "gain_backward",
    with the slope the model really applies: leaky_relu's (0.01 unless alpha), PReLU's initial
    one (0, Keras' start, unless alpha)."""
    parameters = {}
    if activation == "leaky_relu":
        parameters["alpha"] = LEAKY_RELU_ALPHA if alpha is None else alpha
    elif activation == "prelu":
        parameters["alpha"] = 0.0 if alpha is None else alpha
    return gain_initializer(activation, GAIN_INITIALIZERS[init_name], seed=seed, **parameters)


def default_loss(output_units, output_activation):
    """Return the loss that matches the output layer: BCE, sparse CE, or MSE."""
    if output_activation == "sigmoid" and output_units == 1:
        return "binary_crossentropy"
    if output_activation == "softmax":
        return "sparse_categorical_crossentropy"
    return "mse"


def compile_for_training(model, learning_rate=0.01, loss=None):
    """Compile `model` the way `train` does: Adam, the loss that matches the output layer
    (see `default_loss`) unless `loss` is given, and accuracy for the classification losses."""
    keras = load_keras()
    output = model.layers[-1]
    if loss is None:
        loss = default_loss(output.units, keras.activations.serialize(output.activation))
    metrics = ["accuracy"] if loss != "mse" else []
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=loss, metrics=metrics)


def train(
    model,
    x,
    y,
    epochs,
    seed,
    learning_rate=0.01,
    batch_size=32,
    validation_data=None,
    loss=None,
    callbacks=(),
    repeat=1,
):
    """Compile `model` with Adam and fit it silently; return the Keras History.

    The seed fixes the shuffling, so the same call gives the same curve. `loss`
    defaults to the one that matches the output layer (see `default_loss`).
    `repeat` shows the training set that many times per epoch: Keras spends about
    25 ms per epoch on bookkeeping, so tiny data sets train far faster this way. The History
    records it as `history.params["repeat"]` (the x-axis label of
    `plotting.plot_training_curves` reads it).
    """
    keras = load_keras()
    compile_for_training(model, learning_rate, loss)
    if repeat > 1:
        x, y = np.concatenate([x] * repeat), np.concatenate([y] * repeat)
    keras.utils.set_random_seed(seed)
    history = model.fit(x, y, epochs=epochs, batch_size=batch_size,
                        validation_data=validation_data, callbacks=list(callbacks), verbose=0,
                        shuffle=True)
    history.params = {**(history.params or {}), "repeat": repeat}
    return history


def predict(model, x):
    """Return the model's outputs for `x` as a NumPy array (no progress bar)."""
    return np.asarray(model(np.asarray(x, dtype=np.float32), training=False))


# --- Inside a model: gradient norms (dead and saturated units: course_lib.diagnostics) ----------

def layer_gradient_norms(model, x, y, loss=None):
    """Return {layer name: ||dL/dW||} for every Dense layer, input side first, on the batch (x, y).

    L is the mean loss over the batch (default: the loss that matches the output layer, see
    `default_loss`); ||.|| is the Frobenius norm of the gradient of the layer's kernel.
    Labels with one value per output (binary, regression) are reshaped to the output's shape.
    """
    keras, tf = load_keras(), load_tensorflow()
    output = model.layers[-1]
    loss_function = keras.losses.get(
        loss or default_loss(output.units, keras.activations.serialize(output.activation))
    )
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    x = tf.constant(np.asarray(x, dtype=np.float32))
    with tf.GradientTape() as tape:
        prediction = model(x, training=False)
        labels = np.asarray(y)
        if labels.size == int(np.prod(prediction.shape)):
            labels = labels.reshape(tuple(prediction.shape))
        value = tf.reduce_mean(loss_function(labels.astype(np.float32), prediction))
    grads = tape.gradient(value, [layer.kernel for layer in dense])
    return {layer.name: float(np.linalg.norm(grad)) for layer, grad in zip(dense, grads)}


def train_monitored(
    activation,
    hidden_sizes,
    x,
    y,
    seed,
    epochs,
    learning_rate,
    batch_size=32,
    probe_x=None,
    **build_options,
):
    """Build an MLP (`build_mlp`), train it (`train`) with a DeadUnitsMonitor; return (model,
    history, monitor).

    The monitor (`diagnostics.DeadUnitsMonitor`) measures the dead and saturated fractions of
    every hidden layer on `probe_x` (default: the training inputs `x`). `build_options`
    go to `build_mlp` (kernel_initializer, bias_initializer, ...).
    """
    x = np.asarray(x, dtype=np.float32)
    model = build_mlp(activation, hidden_sizes, seed, input_dim=x.shape[1], **build_options)
    monitor = diagnostics.DeadUnitsMonitor(x if probe_x is None else probe_x)
    history = train(
        model,
        x,
        y,
        epochs=epochs,
        seed=seed,
        learning_rate=learning_rate,
        batch_size=batch_size,
        callbacks=[monitor],
    )
    return model, history, monitor


def __getattr__(name):
    # DeadUnitsMonitor subclasses keras.callbacks.Callback, so it is defined on first use:
    # importing this module must not import Keras (see course_lib/_keras.py).
    if name == "DeadUnitsMonitor":
        return diagnostics.DeadUnitsMonitor
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
