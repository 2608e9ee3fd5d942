"""Diagnostics of a network's hidden units: which are dead, which are saturated, and where they are.

One definition for the whole course, read from the activation's derivative f', so that it holds
for every activation of the registry (`course_lib.activations`), parameters included. For one
hidden unit and a probe set of inputs, with z the unit's pre-activation on each of them:

- **dead**: f'(z) = 0 on every probe input. The unit then passes no gradient to its incoming
  weights or bias, nor to the layers below through it, whatever the loss: gradient descent
  cannot revive it from these inputs. For ReLU this is z <= 0 everywhere (relu'(0) = 0 as
  TensorFlow takes it), the dying ReLU of Lu et al. (2019), "Dying ReLU and initialization:
  theory and numerical examples"; for ReLU6 also z >= 6 everywhere.
- **saturated**: |f'(z)| < 1 % of max |f'| on every probe input, and the unit is not dead. Its
  gradient is not 0 but too small to move it: the sigmoid and tanh units of Glorot and Bengio
  (2010), "Understanding the difficulty of training deep feedforward neural networks", sitting
  at their flat tails; also ELU, SELU, softplus, GELU, SiLU and Mish far below 0.

f' is computed in float64 by the course's derivatives, which are accurate to a few ulp, so
"= 0" is exact on the flat parts of ReLU, ReLU6 and PReLU with slope 0. A smooth activation's
derivative is never 0 in exact arithmetic, except at an isolated point, but it rounds to 0 where
it is below the smallest float64 (about 5e-324: sigmoid beyond z = 745, tanh beyond |z| = 373,
GELU below z = -38.6). No floating-point format carries a gradient there, so those units count
as dead; below that they are saturated.

Hidden units are found from the model's structure, not from layer names (`hidden_layers`).

This module will grow with the other diagnostics used in practice (histograms of activations
and gradients per layer, the update-to-data ratio). Importing it does not import Keras.
"""

import dataclasses
import functools
import inspect
from typing import Mapping, NamedTuple

import numpy as np

from course_lib import activations
from course_lib._keras import load_keras
from course_lib._validation import as_float_array

# saturated: |f'(z)| below 1 % of max |f'| (sigmoid: |z| > 5.99, tanh: |z| > 2.99)
SATURATION_THRESHOLD = 0.01


class UnitStates(NamedTuple):
    """Per unit (one entry per unit of a layer, boolean): `dead` and `saturated`, never both."""

    dead: np.ndarray
    saturated: np.ndarray


class UnitFractions(NamedTuple):
    """Per hidden layer (input side first): the fractions of its units that are dead, saturated."""

    dead: np.ndarray
    saturated: np.ndarray


@dataclasses.dataclass(frozen=True)
class HiddenLayer:
    """A hidden Dense layer of a Keras model and the activation applied to its outputs.

    name: the Dense layer's name. activation: the registry's name of the activation ("linear"
    when none is applied). parameters: the activation's parameters as that model applies them,
    e.g. {"alpha": 0.3} for keras.layers.LeakyReLU(), or PReLU's learned slopes (one per unit,
    as they are when `hidden_layers` is called). dense: the Keras layer itself.
    """

    name: str
    activation: str
    parameters: Mapping[str, object]
    dense: object


def unit_states(z, activation, saturation_threshold=SATURATION_THRESHOLD, **parameters):
    """Return the `UnitStates` of a layer's units from their pre-activations on a probe set.

    z: pre-activations, any real dtype (computed in float64), shape (..., units): the last axis
        indexes the units, every other axis the probe inputs (Keras' layout; the NumPy MLP of
        `course_lib.mlp` has units in rows, so pass z.T).
    activation: a registry name ("relu6"), a registry entry, or a function computing f'(z).
    parameters: the activation's parameters (default: the registry's), e.g. alpha=0.2; PReLU's
        alpha may hold one slope per unit (shape (units,)).

        dead      = all over the probe inputs of  f'(z) == 0
        saturated = all over the probe inputs of  |f'(z)| < saturation_threshold * max |f'|,
                    and not dead

    with max |f'| from `derivative_maximum`. Raises ValueError for a z without probe inputs or
    units, or a threshold outside (0, 1).
    """
    derivative = _derivative(activation, parameters)
    maximum = derivative_maximum(activation, **parameters)
    z = as_float_array(z, "z").astype(np.float64)
    if z.ndim < 2 or z.size == 0:
        raise ValueError(f"z: expected pre-activations of shape (inputs, units) with at least one "
                         f"of each, got shape {z.shape}")
    if not 0 < saturation_threshold < 1:
        raise ValueError(f"saturation_threshold: expected a number in (0, 1), "
                         f"got {saturation_threshold!r}")
    slope = np.abs(derivative(z))
    probe_axes = tuple(range(slope.ndim - 1))
    dead = np.all(slope == 0, axis=probe_axes)
    flat = slope < saturation_threshold * maximum
    saturated = np.all(flat, axis=probe_axes) & ~dead
    return UnitStates(dead=dead, saturated=saturated)


def derivative_maximum(activation, **parameters):
    """Return max |f'(x)| over the real line, computed from the derivative f' itself.

    activation: a registry name, entry, or a function computing f'. Parameters as in
    `unit_states`; an array of parameters (PReLU's slopes per unit) gives one maximum per entry.
    The supremum is taken over a grid of step 1e-3 on [-20, 20], refined to a step of 1e-6
    around its best point, plus x = +-50, +-100, +-1000 (where softplus' reaches its limit 1 in
    float64) and the smallest floats on either side of 0 (SELU's supremum, lambda alpha, is its
    slope just left of 0). For every activation of the registry this is the maximum to about
    1e-12 (the tests compare with mpmath: GELU's 1.128904... at x = sqrt 2, SiLU's, Mish's).
    Computed once per registry activation and scalar parameters.
    """
    derivative = _derivative(activation, parameters)
    name = _registry_name(activation)
    if name is None or any(np.ndim(value) > 0 for value in parameters.values()):
        return _maximum_of(derivative)
    return _registry_maximum(name, tuple(sorted(parameters.items())))


def unit_fractions(model, x, saturation_threshold=SATURATION_THRESHOLD):
    """Return the `UnitFractions` (dead, saturated) of the hidden layers of a Keras model on x.

    Each is an array of floats, one per hidden layer (`hidden_layers`, input side first): the
    fraction of the layer's units that are dead / saturated (`unit_states`) over the inputs x
    (a float array with one row per input, or the list a multi-input model takes).
    """
    dead, saturated = [], []
    for layer, z in _layers_and_pre_activations(model, x):
        states = unit_states(z, layer.activation, saturation_threshold, **layer.parameters)
        dead.append(float(np.mean(states.dead)))
        saturated.append(float(np.mean(states.saturated)))
    return UnitFractions(dead=np.array(dead), saturated=np.array(saturated))


def hidden_pre_activations(model, x):
    """Return {layer name: z} for the hidden Dense layers of a Keras model (`hidden_layers`) on x.

    z = x_layer W + b, the Dense layer's output before any activation (float32 NumPy, computed
    with the layer's own operations), shape (inputs, units) for inputs of shape (inputs, features).
    """
    return {layer.name: z for layer, z in _layers_and_pre_activations(model, x)}


def hidden_layers(model):
    """Return the hidden layers of a Keras Sequential or functional model: a list of `HiddenLayer`.

    Found from the model's structure, not from names: a hidden layer is a Dense layer whose output
    reaches another Dense layer (the last Dense layer on every path is an output layer, excluded).
    Its activation is the Dense layer's own, or, when that is linear, the one of the layer that
    takes its output: keras.layers.Activation, LeakyReLU, PReLU, ReLU or ELU. Raises ValueError
    when the model has no hidden Dense layer or nests another model, and when an activation is
    not one of the registry's (it then has no derivative to read).
    """
    keras = load_keras()
    if any(isinstance(layer, keras.Model) for layer in model.layers):
        raise ValueError(f"model {model.name!r}: nested models are not supported; "
                         f"build it from layers")
    dense_layers = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    if isinstance(model, keras.Sequential):
        hidden = dense_layers[:-1]
        following = {id(layer): after for layer, after in zip(model.layers, model.layers[1:])}
    else:
        consumers = _consumers(model)
        hidden = [layer for layer in dense_layers if _reaches_dense(layer, consumers, keras)]
        following = {id(layer): after[0] for layer in hidden
                     if len(after := consumers.get(id(layer), [])) == 1}
    if not hidden:
        raise ValueError(f"model {model.name!r}: expected at least one hidden Dense layer (a Dense "
                         f"layer followed by another), got layers "
                         f"{[layer.name for layer in model.layers]}")
    return [HiddenLayer(layer.name, *_applied_activation(layer, following.get(id(layer)), keras),
                        dense=layer)
            for layer in hidden]


@functools.cache
def _dead_units_monitor_class():
    """Define DeadUnitsMonitor (once): it subclasses keras.callbacks.Callback, so needs Keras."""
    keras = load_keras()

    class DeadUnitsMonitor(keras.callbacks.Callback):
        """Keras callback: the fractions of dead and saturated units per hidden layer, in training.

        Measured with `unit_fractions` on the probe set `x` before training (epoch 0) and after
        every epoch. After `fit`: `epochs` (0, 1, 2, ...), `dead` and `saturated` (arrays with
        one row per epoch and one column per hidden layer) and `layer_names` (`hidden_layers`).
        """

        def __init__(self, x, saturation_threshold=SATURATION_THRESHOLD):
            super().__init__()
            self.x = np.asarray(x, dtype=np.float32)
            self.saturation_threshold = saturation_threshold
            self.epochs, self._dead, self._saturated, self.layer_names = [], [], [], []

        def _record(self, epoch):
            fractions = unit_fractions(self.model, self.x, self.saturation_threshold)
            self.epochs.append(epoch)
            self._dead.append(fractions.dead)
            self._saturated.append(fractions.saturated)

        def on_train_begin(self, logs=None):
            self.layer_names = [layer.name for layer in hidden_layers(self.model)]
            self._record(0)

        def on_epoch_end(self, epoch, logs=None):
            self._record(epoch + 1)

        @property
        def dead(self):
            return np.array(self._dead)

        @property
        def saturated(self):
            return np.array(self._saturated)

    return DeadUnitsMonitor


# --- Machinery: derivatives, the maximum of |f'|, the model's graph -----------------------------


def _registry_name(activation):
    """The registry's name for a name or an entry (duck-typed: .grad and .parameters); else None."""
    if isinstance(activation, str):
        return activations.get(activation).name  # KeyError for an unknown name
    if hasattr(activation, "grad") and hasattr(activation, "parameters"):
        return activation.name
    return None


def _derivative(activation, parameters):
    """f' as a function of z alone, with the parameters bound."""
    name = _registry_name(activation)
    if name is not None:
        entry = activations.get(name)
        unknown = set(parameters) - set(entry.parameters)
        if unknown:
            raise ValueError(f"{entry.name} takes the parameters {sorted(entry.parameters)}, "
                             f"got {sorted(unknown)}")
        return functools.partial(entry.grad, **parameters)
    if callable(activation):
        if parameters:
            raise ValueError("parameters: bind them into the derivative function")
        return activation
    raise TypeError(f"activation: expected a registry name, a registry entry or a function f'(z), "
                    f"got {type(activation).__name__} {activation!r}")


_GRID = np.linspace(-20.0, 20.0, 40_001)
# far out (softplus' and the sigmoid's limits), and next to 0 on both sides (SELU's supremum
# lambda alpha is its slope just left of 0, which the grid approaches but never reaches)
_FAR = np.array([-1000.0, -100.0, -50.0, -5e-324, 5e-324, 50.0, 100.0, 1000.0])


@functools.lru_cache(maxsize=256)
def _registry_maximum(name, parameters):
    """derivative_maximum of a registry activation with scalar parameters, computed once."""
    return _maximum_of(_derivative(name, dict(parameters)))


def _maximum_of(derivative):
    """max |f'| on the grid, near its best point and at the far points (see derivative_maximum).

    The probe points are ours, so a naive f' (a user's own) that overflows or gives nan at
    x = 1000 raises no warning there; nan values are skipped (np.fmax).
    """
    shape = np.shape(_array_parameter(derivative))

    def size_on(points):
        with np.errstate(all="ignore"):
            return np.abs(np.asarray(derivative(points), dtype=np.float64))

    on_grid = size_on(_column(_GRID, shape))
    best = np.argmax(np.nan_to_num(on_grid, nan=-1.0), axis=0)
    lower, upper = _GRID[np.maximum(best - 1, 0)], _GRID[np.minimum(best + 1, _GRID.size - 1)]
    fine = lower + np.linspace(0.0, 1.0, 2_001).reshape((-1,) + (1,) * len(shape)) * (upper - lower)
    candidates = np.concatenate([on_grid, size_on(fine), size_on(_column(_FAR, shape))])
    return np.fmax.reduce(candidates, axis=0)[()]


def _column(points, shape):
    """`points` along axis 0, repeated over a parameter array of `shape` (PReLU's slopes)."""
    return np.broadcast_to(points.reshape((-1,) + (1,) * len(shape)), points.shape + tuple(shape))


def _array_parameter(derivative):
    """The one array-valued parameter bound into `derivative` (PReLU's alpha), or a scalar."""
    keywords = getattr(derivative, "keywords", {}) or {}
    arrays = [value for value in keywords.values() if np.ndim(value) > 0]
    return arrays[0] if arrays else 0.0


def _layers_and_pre_activations(model, x):
    """Pairs (HiddenLayer, z as float32 NumPy) for the hidden layers of `model` on the inputs x."""
    keras = load_keras()
    layers = hidden_layers(model)
    inputs = _dense_inputs(model, layers, x, keras)
    return [(layer, np.asarray(_pre_activation(layer.dense, a, keras)))
            for layer, a in zip(layers, inputs)]


def _pre_activation(dense, a, keras):
    """z = a W + b with the operations of Dense.call, so z is bit for bit the z Keras computes."""
    z = keras.ops.matmul(a, dense.kernel)
    return z if dense.bias is None else keras.ops.add(z, dense.bias)


def _dense_inputs(model, layers, x, keras):
    """Each hidden Dense layer's input on x: layer by layer in a Sequential, else by a sub-model."""
    if isinstance(x, (list, tuple)):
        x = [np.asarray(part, dtype=np.float32) for part in x]
    else:
        x = np.asarray(x, dtype=np.float32)
    if isinstance(model, keras.Sequential):
        wanted, inputs, a = {id(layer.dense) for layer in layers}, [], x
        for layer in model.layers:
            if id(layer) in wanted:
                inputs.append(a)
            a = layer(a, training=False)
        return inputs
    # model.input, not model.inputs: the structure in which the model takes x (no Keras warning)
    probe = keras.Model(model.input, [layer.dense.input for layer in layers])
    inputs = probe(x, training=False)
    return inputs if isinstance(inputs, (list, tuple)) else [inputs]


def _consumers(model):
    """{id(layer): the layers that take its output} in a functional model's graph."""
    keras = load_keras()
    producer = {id(tensor): layer for layer in model.layers
                for tensor in keras.tree.flatten(layer.output)}
    consumers = {}
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        for tensor in keras.tree.flatten(layer.input):
            source = producer.get(id(tensor))
            if source is not None:
                consumers.setdefault(id(source), []).append(layer)
    return consumers


def _reaches_dense(layer, consumers, keras):
    """True when some path from `layer`'s output leads to a Dense layer."""
    seen, todo = set(), list(consumers.get(id(layer), []))
    while todo:
        current = todo.pop()
        if isinstance(current, keras.layers.Dense):
            return True
        if id(current) not in seen:
            seen.add(id(current))
            todo.extend(consumers.get(id(current), []))
    return False


_ACTIVATION_LAYERS = ("Activation", "LeakyReLU", "PReLU", "ReLU", "ELU")


def _applied_activation(dense, after, keras):
    """(registry name, parameters) of the activation applied to `dense`'s outputs."""
    own = _keras_function(dense.activation, dense.name, keras)
    layer_types = tuple(getattr(keras.layers, name) for name in _ACTIVATION_LAYERS)
    is_activation_layer = isinstance(after, layer_types)
    if own[0] != "linear":
        if is_activation_layer:
            raise ValueError(f"layer {dense.name!r}: two activations in a row ({own[0]} in the "
                             f"layer, then {after.name!r}) are not supported")
        return own
    return _activation_layer(after, keras) if is_activation_layer else own


def _activation_layer(layer, keras):
    """(registry name, parameters) of a Keras activation layer."""
    if isinstance(layer, keras.layers.Activation):
        return _keras_function(layer.activation, layer.name, keras)
    if isinstance(layer, keras.layers.LeakyReLU):
        return "leaky_relu", {"alpha": float(layer.negative_slope)}
    if isinstance(layer, keras.layers.PReLU):
        return "prelu", {"alpha": np.asarray(layer.alpha, dtype=np.float64)}
    if isinstance(layer, keras.layers.ELU):
        return "elu", {"alpha": float(layer.alpha)}
    config = layer.get_config()  # keras.layers.ReLU
    if config["threshold"] == 0 and config["max_value"] is None:
        slope = float(config["negative_slope"])
        return ("relu", {}) if slope == 0 else ("leaky_relu", {"alpha": slope})
    if config["threshold"] == 0 and config["negative_slope"] == 0 and config["max_value"] == 6:
        return "relu6", {}
    raise ValueError(f"layer {layer.name!r}: a ReLU with threshold {config['threshold']}, "
                     f"max_value {config['max_value']} and negative_slope "
                     f"{config['negative_slope']} is not in the registry")


_KERAS_PARAMETER_NAMES = {"negative_slope": "alpha"}  # keras.activations.leaky_relu's alpha


def _keras_function(function, layer_name, keras):
    """(registry name, parameters) of a Keras activation function, or a functools.partial of one."""
    keywords = {}
    if isinstance(function, functools.partial):
        function, keywords = function.func, dict(function.keywords)
    entry = next((entry for entry in activations.ACTIVATIONS.values()
                  if entry.keras_name is not None
                  and _keras_activation(entry.keras_name, keras) is function), None)
    if entry is None:
        label = getattr(function, "__name__", repr(function))
        raise ValueError(f"layer {layer_name!r}: the activation {label} is not one of the "
                         f"registry's ({', '.join(activations.ACTIVATIONS)}), so its derivative "
                         f"is unknown; use one of those by name, or a keras.layers Activation, "
                         f"LeakyReLU, PReLU, ReLU or ELU layer")

    def course(name):
        return _KERAS_PARAMETER_NAMES.get(name, name)

    extra = {name: value for name, value in keywords.items()
             if course(name) not in entry.parameters}
    if extra:
        raise ValueError(f"layer {layer_name!r}: {entry.name} with {extra} is not in the registry")
    defaults = {name: p.default for name, p in inspect.signature(function).parameters.items()
                if p.default is not p.empty}
    return entry.name, {course(name): value for name, value in {**defaults, **keywords}.items()
                        if course(name) in entry.parameters}


def _keras_activation(name, keras):
    """keras.activations.get(name), or None where Keras has no such activation."""
    try:
        return keras.activations.get(name)
    except ValueError:
        return None


def __getattr__(name):
    # DeadUnitsMonitor subclasses keras.callbacks.Callback, so it is defined on first use.
    if name == "DeadUnitsMonitor":
        return _dead_units_monitor_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
