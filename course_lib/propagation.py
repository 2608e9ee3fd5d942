"""Keeping the signal alive: how the scale of activations and gradients survives depth, and the
diagnostics practitioners watch while a network trains.

- `propagate`: a deep random MLP at initialisation in NumPy, layer by layer: the second moments
  of the pre-activations and of the gradients, next to what the activation's gain predicts.
- `saturated_fraction`: the fraction of a layer's units whose derivative is below 1 % of its
  maximum on every input (`diagnostics.unit_states`, the course's one definition), or of its
  values.
- `layer_signals` and `plot_layer_histograms`: per-layer histograms of the activations and of
  the gradients dL/da of a Keras model on a batch.
- `UpdateRatioMonitor` and `plot_update_ratios`: the update-to-data ratio std(dW) / std(W) of
  every Dense kernel, step by step, during `model.fit`.
- `train_deep_mlp`: deep MLPs with or without BatchNorm / LayerNorm (before or after the
  activation) and residual connections, several seeds trained at once (NumPy, full batch).

Importing this module imports neither Keras nor TensorFlow.
"""

import dataclasses
import functools
import math
from typing import NamedTuple

import numpy as np

from course_lib import activations, diagnostics
from course_lib._keras import load_keras, load_tensorflow
from course_lib.registry import _registry_entry

__all__ = ["Propagation", "propagate", "saturated_fraction", "SATURATION_THRESHOLD",
           "LayerSignals", "layer_signals", "plot_layer_histograms", "plot_update_ratios",
           "UpdateRatioMonitor", "DeepRun", "train_deep_mlp", "NORMALIZATIONS", "PLACEMENTS"]

SATURATION_THRESHOLD = diagnostics.SATURATION_THRESHOLD  # |f'(z)| below 1 % of max |f'|


# ---------------------------------------------------------------------------
# Through depth, at initialisation (NumPy).

@dataclasses.dataclass(frozen=True)
class Propagation:
    """What `propagate` measured, one entry per layer (layer 1, nearest the input, first).

    activation, gain: what was propagated, with weights of variance gain^2 / width.
    layers: 1, 2, ..., depth.
    z_second_moment: E[z^2] over inputs and units (the forward gain predicts 1 at every layer).
    z_input_variance: the variance of z over the inputs, averaged over the units: the part of
        z that tells inputs apart (z_second_moment minus each unit's squared mean).
    a_second_moment: E[a^2], a = f(z).
    gradient_second_moment: E[(dL/dz)^2], backpropagated from dL/da ~ N(0, 1) at the top layer.
    saturated: the share of each layer's values z in the flat part of f, where |f'(z)| is below
        1 % of its maximum (`saturated_fraction(z, activation, over="values")`).
    """

    activation: str
    gain: float
    layers: np.ndarray
    z_second_moment: np.ndarray
    z_input_variance: np.ndarray
    a_second_moment: np.ndarray
    gradient_second_moment: np.ndarray
    saturated: np.ndarray


def propagate(activation, depth=50, width=256, gain=None, n=256, seed=0, **parameters):
    """Send n random inputs forward and a random gradient backward through a deep MLP at
    initialisation, and measure the second moments layer by layer. Returns a `Propagation`.

        z_1 ~ N(0, 1)                                  (n inputs, width units; standardised data)
        a_l = f(z_l),   z_{l+1} = a_l W_{l+1},         W ~ N(0, gain^2 / width), no bias
        dL/da_depth ~ N(0, 1),  dL/dz_l = dL/da_l * f'(z_l),  dL/da_{l-1} = dL/dz_l W_l^T

    With gain = activations.gain(activation) (the default) the theory predicts E[z_l^2] = 1 at
    every layer, and a gradient second moment multiplied by (gain / backward gain)^2 per layer
    going down (Glorot & Bengio 2010; He et al. 2015; Poole et al. 2016, "Exponential
    expressivity in deep neural networks through transient chaos", for the mean-field view).

    activation: a registry name or entry; parameters (alpha=...) go to it and to its gain.
    depth, width, n: positive ints. gain: a positive number (default: the forward gain).
    seed: the weights, inputs and top gradient come from np.random.default_rng(seed).
    Values too large for float64 come out as inf or nan (inf - inf), with no warning.
    Raises ValueError for bad input.
    """
    entry = _registry_entry(activation)
    depth, width, n = (_positive_int(value, label)
                       for value, label in ((depth, "depth"), (width, "width"), (n, "n")))
    if gain is None:
        gain = activations.gain(entry, "forward", **parameters)
    if isinstance(gain, bool) or not isinstance(gain, (int, float, np.floating, np.integer)) \
            or not 0 < gain < math.inf:
        raise ValueError(f"gain: expected a positive finite number, got {gain!r}")
    rng = np.random.default_rng(seed)
    scale = float(gain) / math.sqrt(width)
    maximum = diagnostics.derivative_maximum(entry.name, **parameters)
    with np.errstate(over="ignore", invalid="ignore"):
        z = rng.standard_normal((n, width))
        weights, slopes = [], []
        z_second, z_input, a_second, saturated = (np.empty(depth) for _ in range(4))
        for layer in range(depth):
            if layer > 0:
                weights.append(rng.standard_normal((width, width)) * scale)
                z = _product(a, weights[-1])
            a = entry(z, **parameters)
            slopes.append(entry.grad(z, **parameters))
            z_second[layer], a_second[layer] = np.mean(z * z), np.mean(a * a)
            z_input[layer] = np.mean(np.var(z, axis=0))
            saturated[layer] = _flat_share(slopes[-1], maximum, SATURATION_THRESHOLD)
        da = rng.standard_normal((n, width))
        gradient = np.empty(depth)
        for layer in reversed(range(depth)):
            dz = da * slopes[layer]
            gradient[layer] = np.mean(dz * dz)
            if layer > 0:
                da = _product(dz, weights[layer - 1].T)
    return Propagation(activation=entry.name, gain=float(gain), layers=np.arange(1, depth + 1),
                       z_second_moment=z_second, z_input_variance=z_input,
                       a_second_moment=a_second, gradient_second_moment=gradient,
                       saturated=saturated)


def saturated_fraction(z, activation, threshold=SATURATION_THRESHOLD, over="units", **parameters):
    """The fraction of a layer's units (over="units") or of its values (over="values") that are
    saturated on the inputs z.

        over="units":  saturated = all over the inputs of |f'(z)| < threshold * max |f'|,
                       and f' not 0 on all of them (`diagnostics.unit_states`, the course's
                       definition of a saturated unit)
        over="values": the share of the entries of z with 0 < |f'(z)| < threshold * max |f'|
                       (what a histogram shows; Karpathy's "percent saturated")

    z: pre-activations, shape (inputs, units) (Keras' layout), any real dtype. activation: a
    registry name or entry; parameters go to its derivative. A unit whose derivative is exactly
    0 on every input (a dead ReLU) is dead, not saturated. max |f'| is the registry's
    `diagnostics.derivative_maximum`.
    The definition of Glorot & Bengio (2010)'s saturated sigmoid units, applied to any
    activation. Raises ValueError for z of another shape or a threshold outside (0, 1).
    """
    entry = _registry_entry(activation)
    z = np.asarray(z, dtype=np.float64)
    if z.ndim != 2 or z.size == 0:
        raise ValueError(f"z: expected pre-activations of shape (inputs, units), "
                         f"got shape {z.shape}")
    if not 0 < threshold < 1:
        raise ValueError(f"threshold: expected a number in (0, 1), got {threshold!r}")
    if over not in ("units", "values"):
        raise ValueError(f"over: expected 'units' or 'values', got {over!r}")
    if over == "units":
        return float(np.mean(diagnostics.unit_states(z, entry.name, threshold,
                                                     **parameters).saturated))
    return _flat_share(entry.grad(z, **parameters),
                       diagnostics.derivative_maximum(entry.name, **parameters), threshold)


def _flat_share(slope, maximum, threshold):
    """The share of the values where 0 < |f'(z)| < threshold * max |f'|."""
    slope = np.abs(slope)
    return float(np.mean((slope < threshold * maximum) & (slope > 0)))


def _product(a, b):
    """The matrix product a @ b (broadcast over leading axes), in pieces that OpenBLAS runs on one
    thread. OpenBLAS starts its threads for products of more than 2^18 multiply-adds, and for
    products this small they cost far more than they save on a busy machine (measured on 2 shared
    cores: (32, 256) @ (256, 256) takes 4 ms of CPU time threaded, 0.08 ms in pieces of 4 rows);
    np.einsum, which avoids BLAS, is 5 to 10 times slower than the pieces."""
    rows, inner = a.shape[-2], a.shape[-1]
    piece = max(1, _SINGLE_THREAD_PRODUCT // max(1, inner * b.shape[-1]))
    if rows <= piece:
        return a @ b
    return np.concatenate([a[..., start:start + piece, :] @ b
                           for start in range(0, rows, piece)], axis=-2)


_SINGLE_THREAD_PRODUCT = 2 ** 18   # OpenBLAS's bound for one thread (interface/gemm.c)


def _positive_int(value, label):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{label}: expected a positive int, got {value!r}")
    return int(value)


# ---------------------------------------------------------------------------
# Inside a Keras model: histograms of activations and gradients per layer.

class LayerSignals(NamedTuple):
    """Per hidden activation layer of a model, input side first (lists of equal length).

    names: the activation layers' names. activation_names: the registry's name of each.
    pre_activations: z, the input of each activation layer, shape (inputs, units).
    activations: a = f(z), same shape. gradients: dL/da for the mean loss over the inputs.
    """

    names: list
    activation_names: list
    pre_activations: list
    activations: list
    gradients: list


def layer_signals(model, x, y, loss=None):
    """Return the `LayerSignals` of a Keras Sequential model on the batch (x, y).

    The hidden activation layers are keras.layers.Activation with one of the registry's
    activations, and LeakyReLU; each layer's input is z and its output a. The gradients are
    those of the mean loss (default: the one matching the output layer, as in models.train)
    with respect to each a, from tf.GradientTape, with training=False (BatchNormalization uses
    its moving statistics). Raises ValueError for another kind of model or one without them.
    """
    keras, tf = load_keras(), load_tensorflow()
    from course_lib import models

    if not isinstance(model, keras.Sequential):
        raise ValueError(f"model: expected a keras.Sequential model, got {type(model).__name__}")
    found = {id(layer): name for layer in model.layers
             if (name := _registry_activation(layer, keras)) is not None}
    if not found:
        raise ValueError(f"model {model.name!r}: expected hidden activation layers "
                         f"(keras.layers.Activation or LeakyReLU), got "
                         f"{[layer.name for layer in model.layers]}")
    output = model.layers[-1]
    loss_function = keras.losses.get(
        loss or models.default_loss(output.units, keras.activations.serialize(output.activation)))
    names, kinds, zs, activations_, watched = [], [], [], [], []
    with tf.GradientTape() as tape:
        h = tf.constant(np.asarray(x, dtype=np.float32))
        for layer in model.layers:
            z = h
            h = layer(h, training=False)
            if id(layer) in found:
                tape.watch(h)
                names.append(layer.name)
                kinds.append(found[id(layer)])
                zs.append(np.asarray(z))
                watched.append(h)
        labels = np.asarray(y).astype(np.float32)
        if labels.size == int(np.prod(h.shape)):
            labels = labels.reshape(tuple(h.shape))
        value = tf.reduce_mean(loss_function(labels, h))
    gradients = tape.gradient(value, watched)
    return LayerSignals(names=names, activation_names=kinds, pre_activations=zs,
                        activations=[np.asarray(a) for a in watched],
                        gradients=[np.asarray(g) for g in gradients])


def _registry_activation(layer, keras):
    """The registry's name of the activation a Keras layer applies, or None."""
    if isinstance(layer, keras.layers.LeakyReLU):
        return "leaky_relu"
    if type(layer) is not keras.layers.Activation:
        return None
    for name, entry in activations.ACTIVATIONS.items():
        if entry.keras_name and name != "linear":
            try:
                if layer.activation is keras.activations.get(entry.keras_name):
                    return name
            except ValueError:
                continue
    return None


def plot_layer_histograms(signals, title=None, axes=None, bins=40):
    """Two panels, one line per layer: the histogram of the activations a (left) and of
    log10 |dL/da|, the gradients' orders of magnitude (right), from `layer_signals`. All layers
    share the bins of a panel. Each legend entry gives the layer's standard deviation; the
    activations' also the share of values in the flat part of the activation
    (`saturated_fraction(..., over="values")`). Returns the axes.

    The picture of Karpathy's "Building makemore, part 3" and the UvA deep-learning tutorials:
    healthy layers look alike; spreads that shrink or grow from layer to layer, or mass piled at
    the activation's flat ends, show a signal that vanishes, explodes or saturates.
    """
    import matplotlib.pyplot as plt

    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(11.0, 3.6), layout="constrained")
    colours = plt.get_cmap("viridis")(np.linspace(0, 0.9, len(signals.names)))
    with np.errstate(divide="ignore"):
        magnitudes = [np.log10(np.abs(np.ravel(g))) for g in signals.gradients]
    magnitudes = [m[np.isfinite(m)] for m in magnitudes]                 # dL/da = 0 has no log
    a_edges = np.histogram_bin_edges(np.concatenate([np.ravel(a) for a in signals.activations]),
                                     bins=bins)
    g_edges = np.histogram_bin_edges(np.concatenate(magnitudes), bins=bins)
    for i, (name, colour) in enumerate(zip(signals.names, colours)):
        a, g = signals.activations[i], signals.gradients[i]
        share = saturated_fraction(signals.pre_activations[i], signals.activation_names[i],
                                   over="values")
        _histogram_line(axes[0], a, a_edges, colour,
                        f"layer {i + 1}: std {a.std():.2f}, saturated {share:.0%}")
        _histogram_line(axes[1], magnitudes[i], g_edges, colour,
                        f"layer {i + 1}: std {g.std():.1e}")
    axes[0].set(xlabel="activation a", ylabel="density", title="activations per layer")
    axes[1].set(xlabel="log10 |dL/da|", ylabel="density", title="gradients per layer")
    for ax in axes:
        ax.legend(fontsize=9, loc="upper left")
    if title:
        axes[0].figure.suptitle(title)
    return axes


def _histogram_line(ax, values, edges, colour, label):
    density, _ = np.histogram(np.ravel(values), bins=edges, density=True)
    ax.plot((edges[:-1] + edges[1:]) / 2, density, color=colour, linewidth=1.5, label=label)


# ---------------------------------------------------------------------------
# During training: the update-to-data ratio.

@functools.cache
def _update_ratio_monitor_class():
    """Define UpdateRatioMonitor (once): it subclasses keras.callbacks.Callback."""
    keras = load_keras()

    class UpdateRatioMonitor(keras.callbacks.Callback):
        """Keras callback: the update-to-data ratio of every Dense kernel, step by step.

            ratio = std(W_after - W_before) / std(W_before)     (one optimiser step)

        measured every `every` steps (training batches). After `fit`: `steps` (1, ...),
        `ratios` (an array, one row per recorded step, one column per Dense layer) and
        `layer_names`. Karpathy ("Building makemore, part 3") reads its log10 against a
        rule of thumb of about -3: far below, the layer barely learns; far above, the step
        is large next to the weights.
        """

        def __init__(self, every=1):
            super().__init__()
            self.every = _positive_int(every, "every")
            self.steps, self._ratios, self.layer_names = [], [], []
            self._step, self._before = 0, None

        def _kernels(self):
            return [layer.kernel for layer in self.model.layers
                    if isinstance(layer, keras.layers.Dense)]

        def on_train_begin(self, logs=None):
            self.layer_names = [layer.name for layer in self.model.layers
                                if isinstance(layer, keras.layers.Dense)]

        def on_train_batch_begin(self, batch, logs=None):
            if self._step % self.every == 0:
                self._before = [np.array(kernel.numpy()) for kernel in self._kernels()]

        def on_train_batch_end(self, batch, logs=None):
            if self._step % self.every == 0:
                after = [kernel.numpy() for kernel in self._kernels()]
                self._ratios.append([np.std(new - old) / np.std(old)
                                     for old, new in zip(self._before, after)])
                self.steps.append(self._step + 1)
            self._step += 1

        @property
        def ratios(self):
            return np.array(self._ratios)

    return UpdateRatioMonitor


def plot_update_ratios(monitor, title=None, ax=None, reference=1e-3):
    """Plot log10 of the update-to-data ratio of every Dense layer against the training step,
    from an `UpdateRatioMonitor`, with the rule of thumb `reference` as a dashed line."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6.0, 3.4), layout="constrained")
    ratios = monitor.ratios
    colours = plt.get_cmap("viridis")(np.linspace(0, 0.9, ratios.shape[1]))
    for i, (name, colour) in enumerate(zip(monitor.layer_names, colours)):
        ax.plot(monitor.steps, np.log10(ratios[:, i]), color=colour, linewidth=1.2, label=name)
    ax.axhline(np.log10(reference), color="black", linestyle="--", linewidth=1,
               label=f"rule of thumb {reference:g}")
    ax.set(xlabel="training step", ylabel="log10 std(update) / std(W)",
           title=title or "update-to-data ratio per layer")
    ax.legend(fontsize=9, ncol=2, loc="best")
    return ax


# ---------------------------------------------------------------------------
# Deep MLPs with normalisation and residual connections, several seeds at once.

NORMALIZATIONS = (None, "batch", "layer")
PLACEMENTS = ("before", "after")
_EPSILON = 1e-3  # Keras' default for BatchNormalization and LayerNormalization


@dataclasses.dataclass(frozen=True)
class DeepRun:
    """What `train_deep_mlp` measured, one row per seed.

    seeds: the seeds. steps: the steps at which the loss was recorded (0 = before training).
    losses: the training loss (mean cross-entropy over the training set), shape (seeds, steps).
    accuracy: the training accuracy after the last step, shape (seeds,).
    """

    seeds: tuple
    steps: np.ndarray
    losses: np.ndarray
    accuracy: np.ndarray

    @property
    def final_loss(self):
        return self.losses[:, -1]


def train_deep_mlp(x, y, activation, depth, width, seeds, steps, learning_rate,
                   normalization=None, placement="before", residual=False, gain=1.0,
                   record_every=10, **parameters):
    """Train one deep MLP classifier per seed with full-batch Adam; return a `DeepRun`.

    Hidden layer l (of `depth`, all `width` wide) computes, with N a normalisation or nothing:

        placement="before":  a_l = f(N(h_{l-1} W_l + b_l))
        placement="after":   a_l = N(f(h_{l-1} W_l + b_l))
        h_l = a_l, or h_l = h_{l-1} + a_l with residual=True (from layer 2 on)

    then logits = h_depth W_out + b_out and softmax cross-entropy on integer labels y.
    normalization="batch": (v - mean) / sqrt(var + 1e-3) * gamma + beta, the mean and variance
    of each unit over the batch (Ioffe & Szegedy 2015); "layer": over the units of each example
    (Ba et al. 2016); gamma starts at 1, beta at 0, epsilon 1e-3, as in Keras' layers. The batch
    is the whole training set, so BatchNorm is measured with the statistics it trains with.
    Weights: N(0, gain^2 / fan_in) (gain=1.0: LeCun's scale, Glorot's for square layers; pass
    activations.gain(activation) for the derived one); biases 0. Adam (Kingma & Ba 2015,
    beta_1 = 0.9, beta_2 = 0.999, epsilon = 1e-7 as in Keras).

    NumPy, float64, with the backward pass written out (checked against finite differences in
    the tests): each seed's network trains independently, all of them side by side.
    activation: a registry name (parameters such as alpha go to it). x: floats (examples,
    features); y: int labels 0, 1, ... Raises ValueError for an unknown activation,
    normalization or placement, or sizes that are not positive ints.
    """
    entry = _registry_entry(activation)
    if normalization not in NORMALIZATIONS:
        raise ValueError(f"normalization: expected one of {NORMALIZATIONS}, got {normalization!r}")
    if placement not in PLACEMENTS:
        raise ValueError(f"placement: expected one of {PLACEMENTS}, got {placement!r}")
    depth, width, steps, record_every = (
        _positive_int(v, label) for v, label in ((depth, "depth"), (width, "width"),
                                                 (steps, "steps"), (record_every, "record_every")))
    seeds = tuple(int(seed) for seed in seeds)
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y)
    if x.ndim != 2 or y.shape != (x.shape[0],) or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"x, y: expected floats of shape (examples, features) and int labels "
                         f"of shape (examples,), got {x.shape} and {y.shape} {y.dtype}")
    network = _Network(entry, parameters, depth, normalization, placement, residual)
    params = _initial_parameters(seeds, x.shape[1], depth, width, int(y.max()) + 1, gain,
                                 normalization)
    onehot = np.eye(int(y.max()) + 1)[y]
    moments = [np.zeros_like(p) for p in params], [np.zeros_like(p) for p in params]
    recorded, losses = [], []
    for step in range(steps + 1):
        loss, grads = network.loss_and_gradients(params, x, onehot)
        if step % record_every == 0 or step == steps:
            recorded.append(step)
            losses.append(loss)
        if step < steps:
            _adam_step(params, grads, moments, step + 1, learning_rate)
    accuracy = np.mean(np.argmax(network.logits(params, x), axis=2) == y, axis=1)
    return DeepRun(seeds=seeds, steps=np.array(recorded), losses=np.array(losses).T,
                   accuracy=accuracy)


def _initial_parameters(seeds, inputs, depth, width, classes, gain, normalization):
    """Every seed's parameters, stacked on a first axis: W_1, b_1, ..., W_out, b_out, then
    gamma_1, beta_1, ... with a normalisation. Biases, gamma, beta have shape (seeds, 1, units)."""
    sizes = [inputs] + [width] * depth + [classes]
    per_seed = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        layers = []
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
            layers.append(rng.standard_normal((fan_in, fan_out)) * (gain / math.sqrt(fan_in)))
            layers.append(np.zeros((1, fan_out)))
        if normalization is not None:
            layers += [np.ones((1, width)), np.zeros((1, width))] * depth
        per_seed.append(layers)
    return [np.stack([layers[i] for layers in per_seed]) for i in range(len(per_seed[0]))]


def _adam_step(params, grads, moments, t, learning_rate, beta_1=0.9, beta_2=0.999, eps=1e-7):
    """One Adam update of every parameter array, in place (Keras' form of the bias correction)."""
    rate = learning_rate * math.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
    for p, g, m, v in zip(params, grads, *moments):
        m *= beta_1
        m += (1 - beta_1) * g
        v *= beta_2
        v += (1 - beta_2) * g * g
        p -= rate * m / (np.sqrt(v) + eps)


class _Network:
    """The forward and backward passes of `train_deep_mlp`'s networks, all seeds at once."""

    def __init__(self, entry, parameters, depth, normalization, placement, residual):
        parameters = {**entry.parameters, **parameters}
        self.f = functools.partial(entry.function, **parameters)
        self.df = functools.partial(entry.derivative, **parameters)
        # f' from the output a where an identity exists (sigmoid: a (1 - a)): cheaper than from z
        self.df_from_output = (functools.partial(entry.derivative_from_output, **parameters)
                               if entry.derivative_from_output is not None else None)
        self.depth, self.normalization = depth, normalization
        self.placement, self.residual = placement, residual
        self.axis = 1 if normalization == "batch" else 2      # arrays: (seeds, examples, units)

    def _norm_params(self, params, layer):
        start = 2 * (self.depth + 1) + 2 * layer
        return params[start], params[start + 1]

    def _normalise(self, v, gamma, beta):
        centred = v - v.mean(axis=self.axis, keepdims=True)
        inv_std = 1 / np.sqrt(np.mean(centred * centred, axis=self.axis, keepdims=True) + _EPSILON)
        v_hat = centred * inv_std
        return v_hat * gamma + beta, (v_hat, inv_std)

    def _normalise_backward(self, d_out, gamma, cache):
        v_hat, inv_std = cache
        d_gamma = np.sum(d_out * v_hat, axis=1, keepdims=True)
        d_beta = np.sum(d_out, axis=1, keepdims=True)
        d_hat = d_out * gamma
        d_v = inv_std * (d_hat - d_hat.mean(axis=self.axis, keepdims=True)
                         - v_hat * np.mean(d_hat * v_hat, axis=self.axis, keepdims=True))
        return d_v, d_gamma, d_beta

    def forward(self, params, x):
        h, caches = x, []
        for layer in range(self.depth):
            W, b = params[2 * layer], params[2 * layer + 1]
            v = _product(h, W) + b
            norm = None
            if self.normalization is not None and self.placement == "before":
                u, norm = self._normalise(v, *self._norm_params(params, layer))
            else:
                u = v
            a = f_u = self.f(u)
            if self.normalization is not None and self.placement == "after":
                a, norm = self._normalise(f_u, *self._norm_params(params, layer))
            slope = self.df(u) if self.df_from_output is None else self.df_from_output(f_u)
            caches.append((h, slope, norm))
            h = h + a if self.residual and layer > 0 else a
        logits = _product(h, params[2 * self.depth]) + params[2 * self.depth + 1]
        return logits, h, caches

    def logits(self, params, x):
        return self.forward(params, x)[0]

    def loss_and_gradients(self, params, x, onehot):
        """Mean softmax cross-entropy per seed, shape (seeds,), and the gradient of each."""
        logits, h, caches = self.forward(params, x)
        shifted = logits - logits.max(axis=2, keepdims=True)
        log_p = shifted - np.log(np.sum(np.exp(shifted), axis=2, keepdims=True))
        loss = -np.mean(np.sum(onehot * log_p, axis=2), axis=1)
        grads = [None] * len(params)
        d_logits = (np.exp(log_p) - onehot) / x.shape[0]
        out = 2 * self.depth
        grads[out] = _product(np.swapaxes(h, -1, -2), d_logits)
        grads[out + 1] = np.sum(d_logits, axis=1, keepdims=True)
        d_h = _product(d_logits, np.swapaxes(params[out], -1, -2))
        for layer in reversed(range(self.depth)):
            h_in, slope, norm = caches[layer]
            if self.normalization is None:
                d_v = d_h * slope
            else:
                gamma, _ = self._norm_params(params, layer)
                if self.placement == "before":
                    d_v, d_gamma, d_beta = self._normalise_backward(d_h * slope, gamma, norm)
                else:
                    d_f, d_gamma, d_beta = self._normalise_backward(d_h, gamma, norm)
                    d_v = d_f * slope
                start = 2 * (self.depth + 1) + 2 * layer
                grads[start], grads[start + 1] = d_gamma, d_beta
            W = params[2 * layer]
            grads[2 * layer] = _product(np.swapaxes(h_in, -1, -2), d_v)
            grads[2 * layer + 1] = np.sum(d_v, axis=1, keepdims=True)
            d_in = _product(d_v, np.swapaxes(W, -1, -2))
            d_h = d_in + d_h if self.residual and layer > 0 else d_in
        return loss, grads


def __getattr__(name):
    # UpdateRatioMonitor subclasses keras.callbacks.Callback, so it is defined on first use:
    # importing this module must not import Keras (see course_lib/_keras.py).
    if name == "UpdateRatioMonitor":
        return _update_ratio_monitor_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
