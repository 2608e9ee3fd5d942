"""Compare activations fairly: the same data, network, initialisation rule, optimiser and seeds for each.

`models` builds and trains one network. This module is the experiment around it, a concern
of its own: a `Task` (one data set, split once, the same for every run), a `Protocol`
(everything every run shares), `run_seeds` (train one activation under the protocol for
several seeds and measure each run), and the statistics that turn runs into a reading:
the spread over seeds, and which differences are larger than it.

Two things make the many short runs of a comparison cheap, and neither changes what is
computed. Keras traces a fresh graph for every compiled model (about half a second for a small
MLP, more than its training takes), so `run_seeds` compiles one model per activation and, for
each seed, resets its weights to that seed's initialisation and Adam to its initial state:
exactly the run a fresh model would give (the tests check it). And it feeds Keras one endless
input pipeline per run (`batches`), where NumPy arrays would cost a new pipeline every epoch.
"""

import dataclasses
import math
import time
from typing import List, Mapping, NamedTuple, Optional, Tuple

import numpy as np

from course_lib import datasets, diagnostics, models
from course_lib._keras import load_keras, load_tensorflow

# --- What every run shares ----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Task:
    """A classification data set split once into training and validation parts (float32 inputs, int labels)."""

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray

    @property
    def n_classes(self):
        return int(max(self.y_train.max(), self.y_val.max())) + 1

    @property
    def output(self):
        """(units, activation) of the output layer: one sigmoid unit for two classes, else a softmax."""
        return (1, "sigmoid") if self.n_classes == 2 else (self.n_classes, "softmax")


def make_task(name, x, y, val_fraction=0.25, seed=0, standardize=False):
    """Return the `Task` `name` with a shuffled `val_fraction` of (x, y) held out.

    The split is `datasets.train_val_split`'s.

    standardize=True rescales every input feature to mean 0 and standard deviation 1 *on the
    training split*: x' = (x - mean_train) / std_train, applied unchanged to the validation split,
    so nothing about the validation examples leaks into training. A feature that is constant on
    the training split (std 0, e.g. a digit's corner pixel) is only shifted.
    """
    x_train, y_train, x_val, y_val = datasets.train_val_split(x, y, val_fraction=val_fraction, seed=seed)
    x_train, x_val = x_train.astype(np.float64), x_val.astype(np.float64)
    if standardize:
        mean, std = x_train.mean(axis=0), x_train.std(axis=0)
        std = np.where(std > 0, std, 1.0)
        x_train, x_val = (x_train - mean) / std, (x_val - mean) / std
    return Task(name, x_train.astype(np.float32), y_train.astype(np.int64), x_val.astype(np.float32),
                y_val.astype(np.int64))


@dataclasses.dataclass(frozen=True)
class Protocol:
    """Everything that is the same for every activation: network, optimiser (Adam), schedule.

    Each epoch shows the training set `repeat` times in mini-batches of `batch_size`
    (see `models.train`). kernel_initializer: "gain" (default) draws each hidden layer's weights
    with Var(W) = gain^2 / fan_in, the gain computed from that activation
    (`models.gain_initializer`, forward mode); "gain_backward" uses the backward gain and fan_out;
    None takes the published initialiser the course pairs with each activation
    (`models.INITIALIZER_FOR`: He, LeCun or Glorot); any other Keras initialiser name is used
    for every activation. budgets: earlier epochs (each < `epochs`) at which the validation
    accuracy is also read, so that one run gives a short and a long budget side by side.
    """

    hidden_sizes: Tuple[int, ...] = (32, 32)
    epochs: int = 15
    learning_rate: float = 0.01
    batch_size: int = 64
    repeat: int = 1
    kernel_initializer: Optional[str] = "gain"
    budgets: Tuple[int, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "hidden_sizes", tuple(self.hidden_sizes))
        for field in ("epochs", "batch_size", "repeat"):
            value = getattr(self, field)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"{field}: expected a positive int, got {value!r}")
        if not 0 < self.learning_rate < np.inf:
            raise ValueError(f"learning_rate: expected a positive number, got {self.learning_rate!r}")
        budgets = tuple(sorted(set(self.budgets)))
        if any(isinstance(b, bool) or not isinstance(b, (int, np.integer))
               or not 1 <= b < self.epochs for b in budgets):
            raise ValueError(f"budgets: expected epochs between 1 and epochs - 1 = "
                             f"{self.epochs - 1}, got {self.budgets!r}")
        object.__setattr__(self, "budgets", tuple(int(b) for b in budgets))

    @property
    def all_budgets(self):
        """The epochs at which the validation accuracy is read: `budgets`, then `epochs`."""
        return self.budgets + (self.epochs,)

    def initializer_for(self, activation):
        """The name of the kernel initialiser of `activation`'s hidden layers here."""
        return self.kernel_initializer or models.initializer_for(activation)


# --- One run: train, then measure ----------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Run:
    """The measurements of one activation trained on one task with one seed.

    curves: the training curves, per epoch: "loss" and "accuracy" (Keras' means over the epoch's
        batches). Validation is measured once, at the end: an evaluation after every epoch would
        cost about as much as the epoch itself.
    train_* / val_*: loss and accuracy of the final network on each whole set.
    dead, saturated: per hidden layer, the fractions of `diagnostics.unit_fractions` on the
        training inputs after training (defined from the activation's derivative, for every one).
    gradient_norms: ||dL/dW|| per Dense layer at initialisation (`models.layer_gradient_norms`).
    seconds_per_epoch: the median wall-clock time of an epoch after the first (machine-dependent).
    val_accuracy_at: {epochs: validation accuracy after that many epochs}, for every budget of
        the protocol (`Protocol.all_budgets`); the last entry equals `val_accuracy`.
    """

    activation: str
    task: str
    seed: int
    initializer: str
    curves: Mapping[str, list]
    train_loss: float
    train_accuracy: float
    val_loss: float
    val_accuracy: float
    dead: np.ndarray
    saturated: np.ndarray
    gradient_norms: Mapping[str, float]
    seconds_per_epoch: float
    val_accuracy_at: Mapping[int, float] = dataclasses.field(default_factory=dict)

    @property
    def first_layer_gradient_norm(self):
        return next(iter(self.gradient_norms.values()))


def _slope(activation):
    """The registry's slope for Leaky ReLU (0.01) and PReLU's initial slope (0.25, not Keras' 0); else None."""
    from course_lib import activations

    if activation in ("leaky_relu", "prelu"):
        return activations.get(activation).parameters["alpha"]
    return None


CLIP = 1e-7  # Keras clips probabilities to [1e-7, 1 - 1e-7] before taking logs


def loss_and_accuracy(model, x, y):
    """Return (cross-entropy, accuracy) of `model`'s predictions on (x, y): one forward pass, NumPy after it.

    The cross-entropy is -mean(log p_true), where p_true is the probability the model gives
    the true class, clipped to [1e-7, 1 - 1e-7] as Keras clips it. For one sigmoid output,
    p_true = p for class 1 and 1 - p for class 0; for a softmax, the entry of the true class.
    NumPy instead of Keras' `evaluate` (which traces a second graph per model) or an
    eager Keras loss (ten small TensorFlow calls): both cost more than they measure here.
    """
    p = models.predict(model, x).astype(np.float64)
    y = np.asarray(y).reshape(-1)
    if p.shape[1] == 1:
        p1 = np.clip(p[:, 0], CLIP, 1 - CLIP)
        p_true, predicted = np.where(y == 1, p1, 1 - p1), (p[:, 0] > 0.5).astype(int)
    else:
        p_true, predicted = np.clip(p[np.arange(len(y)), y], CLIP, 1 - CLIP), p.argmax(axis=1)
    return float(-np.mean(np.log(p_true))), float(np.mean(predicted == y))


def _epoch_timer(epoch_seconds):
    """A Keras callback that appends the wall-clock seconds of every epoch to `epoch_seconds`."""
    keras = load_keras()
    started = []
    return keras.callbacks.LambdaCallback(
        on_epoch_begin=lambda epoch, logs=None: started.append(time.perf_counter()),
        on_epoch_end=lambda epoch, logs=None: epoch_seconds.append(time.perf_counter() - started[-1]))


def _budget_reader(model, task, budgets, val_accuracy_at):
    """A Keras callback that stores the validation accuracy after each epoch count in `budgets`."""
    keras = load_keras()

    def read(epoch, logs=None):
        if epoch + 1 in budgets:
            val_accuracy_at[epoch + 1] = loss_and_accuracy(model, task.x_val, task.y_val)[1]

    return keras.callbacks.LambdaCallback(on_epoch_end=read)


def _measure(model, task, activation, seed, protocol, curves, epoch_seconds, gradient_norms,
             val_accuracy_at):
    """The `Run` of a trained model: final losses and accuracies, dead and saturated units, timing."""
    train_loss, train_accuracy = loss_and_accuracy(model, task.x_train, task.y_train)
    val_loss, val_accuracy = loss_and_accuracy(model, task.x_val, task.y_val)
    dead, saturated = diagnostics.unit_fractions(model, task.x_train)
    later_epochs = epoch_seconds[1:] or epoch_seconds  # the first epoch also traces the graph
    return Run(activation=activation, task=task.name, seed=int(seed),
               initializer=protocol.initializer_for(activation), curves=curves,
               train_loss=train_loss, train_accuracy=train_accuracy, val_loss=val_loss, val_accuracy=val_accuracy,
               dead=dead, saturated=saturated, gradient_norms=gradient_norms,
               seconds_per_epoch=float(np.median(later_epochs)),
               val_accuracy_at={**val_accuracy_at, protocol.epochs: val_accuracy})


def _compile(model, protocol, steps_per_execution):
    """Compile as `models.compile_for_training` does (Adam, the loss matching the output layer,
    accuracy), with Keras running `steps_per_execution` steps (one epoch) per call of the compiled
    step: the same updates, without Python's overhead between the steps of an epoch."""
    keras = load_keras()
    output = model.layers[-1]
    loss = models.default_loss(output.units, keras.activations.serialize(output.activation))
    model.compile(optimizer=keras.optimizers.Adam(protocol.learning_rate), loss=loss,
                  metrics=["accuracy"], steps_per_execution=steps_per_execution)


def _initial_weights(model, activation, protocol, seed):
    """The weights `models.build_mlp(activation, ..., seed)` would draw for `model`, in order.

    Drawn from the same seeded initialisers (hidden layer i from seed * 1000 + i, the output layer
    from seed * 1000, biases and PReLU slopes as the model starts them), without building a new
    Keras model for each seed (that costs more than a short run); the tests check that the result
    equals a freshly built model's.
    """
    keras = load_keras()
    name = protocol.initializer_for(activation)
    weights = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.Dense):
            i = 0 if layer.name == "output" else int(layer.name.split("_")[-1])
            if name in models.GAIN_INITIALIZERS:
                kernel_init = (keras.initializers.GlorotUniform(seed=seed * 1000) if i == 0 else
                               models._gain_initializer_for(activation, name, seed * 1000 + i,
                                                            _slope(activation)))
            else:
                config = {"class_name": name, "config": {"seed": seed * 1000 + i}}
                kernel_init = keras.initializers.get(config)
            weights.append(np.asarray(kernel_init(layer.kernel.shape)))
            weights.append(np.asarray(layer.bias_initializer(layer.bias.shape)))
        elif isinstance(layer, keras.layers.PReLU):
            weights.append(np.asarray(layer.alpha_initializer(layer.alpha.shape)))
    return weights


def batches(task, protocol, seed):
    """Return (dataset, steps per epoch): the training set shuffled with `seed`, repeated without end, in batches.

    An epoch is ceil(repeat * n / batch_size) batches. One endless pipeline per run, instead of
    the NumPy arrays `models.train` passes to Keras: for arrays, Keras builds a new input
    pipeline every epoch (tens of milliseconds, more than an epoch of a small network costs).
    """
    tf = load_tensorflow()
    n = len(task.x_train)
    data = tf.data.Dataset.from_tensor_slices((task.x_train, task.y_train))
    data = data.shuffle(n, seed=seed, reshuffle_each_iteration=True).repeat().batch(protocol.batch_size)
    return data, math.ceil(protocol.repeat * n / protocol.batch_size)


def run_seeds(activation, task, seeds, protocol=Protocol()):
    """Train `activation` on `task` once per seed under `protocol`; return one `Run` per seed.

    Per seed: the network of `models.build_mlp(activation, protocol.hidden_sizes, seed,
    kernel_initializer=protocol.initializer_for(activation))`, the gradient norms of its layers
    on the training set before any step, training compiled as `models.train` compiles (Adam,
    the loss that matches the output layer) on `batches`, the validation accuracy read at each
    of `protocol.budgets`, then the measurements of `Run`. The model is compiled once; every seed starts from its own
    initial weights and from Adam's initial state (see the module docstring).
    """
    keras = load_keras()
    seeds = [int(seed) for seed in seeds]
    if not seeds:
        raise ValueError("seeds: expected at least one seed, got none")
    units, output_activation = task.output

    model = models.build_mlp(activation, protocol.hidden_sizes, seeds[0],
                             input_dim=task.x_train.shape[1], output_units=units,
                             output_activation=output_activation, alpha=_slope(activation),
                             kernel_initializer=protocol.initializer_for(activation))
    _compile(model, protocol, steps_per_execution=batches(task, protocol, seeds[0])[1])
    model.optimizer.build(model.trainable_variables)
    initial_optimizer_state = [variable.numpy() for variable in model.optimizer.variables]
    runs = []
    for i, seed in enumerate(seeds):
        if i > 0:
            model.set_weights(_initial_weights(model, activation, protocol, seed))
            for variable, value in zip(model.optimizer.variables, initial_optimizer_state):
                variable.assign(value)
        gradient_norms = models.layer_gradient_norms(model, task.x_train, task.y_train)
        epoch_seconds, val_accuracy_at = [], {}
        keras.utils.set_random_seed(seed)  # before the pipeline: its shuffling depends on the global seed too
        data, steps_per_epoch = batches(task, protocol, seed)
        history = model.fit(data, epochs=protocol.epochs, steps_per_epoch=steps_per_epoch, shuffle=False, verbose=0,
                            callbacks=[_epoch_timer(epoch_seconds),
                                       _budget_reader(model, task, protocol.budgets, val_accuracy_at)])
        curves = {key: [float(value) for value in history.history[key]] for key in ("loss", "accuracy")}
        runs.append(_measure(model, task, activation, seed, protocol, curves, epoch_seconds,
                             gradient_norms, val_accuracy_at))
    return runs


def compare(activations, task, seeds, protocol=Protocol()):
    """Return the runs of every activation in `activations` on `task`, one per seed (`run_seeds`)."""
    return [run for activation in activations for run in run_seeds(activation, task, seeds, protocol)]


# --- From runs to a reading: spread over seeds, differences larger than it -------------------

ACCURACY_DIGITS = 2


def by_activation(runs, metric="val_accuracy", budget=None):
    """Return {activation: array of `metric`, one value per seed}, in the order the runs came.

    budget: an epoch count of the protocol's budgets; then the metric is the validation accuracy
    after that many epochs (`Run.val_accuracy_at`), whatever `metric` says.
    """
    values = {}
    for run in runs:
        value = getattr(run, metric) if budget is None else run.val_accuracy_at[budget]
        values.setdefault(run.activation, []).append(float(value))
    return {activation: np.array(series) for activation, series in values.items()}


def clearly_better(a, b):
    """True when every value in `a` is above every value in `b`: min(a) > max(b), the seed ranges do not overlap."""
    return bool(np.min(a) > np.max(b))


def chance_of_separation(n):
    """P(the n runs of one of two equally good settings all beat the n runs of the other) = 2 / C(2n, n).

    If the settings are equally good, the 2n runs are exchangeable: every choice of which n of
    the sorted 2n values belong to the first setting is equally likely, and 2 of the C(2n, n)
    choices separate them completely (one setting on top, or the other).
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n: expected a positive int, got {n!r}")
    return 2 / math.comb(2 * n, n)


def ranking(values):
    """Return (tied, below): the activations of `values` by median, best first, split by `clearly_better`.

    `values` maps an activation to its per-seed values (`by_activation`), higher is better.
    tied:  the best activation (highest median; ties broken by the mean) and every activation it
           is *not* clearly better than (their seed ranges overlap): within noise of the best.
    below: the activations the best one beats on every seed.
    The median, not the mean: one stalled seed moves a mean a long way, a median hardly.
    """
    order = sorted(values, key=lambda name: (-np.median(values[name]), -np.mean(values[name])))
    best = values[order[0]]
    tied = [activation for activation in order if not clearly_better(best, values[activation])]
    below = [activation for activation in order if clearly_better(best, values[activation])]
    return tied, below


class Groups(NamedTuple):
    """The reading of one data set at one budget, by the non-overlap rule (`clearly_better`).

    best: the activation with the highest median. tied: it and every activation whose seed range
    overlaps its own (best first). below: the activations the best beats on every seed.
    at_control: the activations (other than the control) that are *not* clearly better than the
    control, e.g. "linear": on this evidence they learned nothing a linear model cannot.
    """

    best: str
    tied: List[str]
    below: List[str]
    at_control: List[str]


def groups(values, control="linear"):
    """Return the `Groups` of `values` ({activation: per-seed values}, higher is better).

    control: the activation every other is compared with (None, or absent from `values`: no
    such comparison, `at_control` is empty).
    """
    tied, below = ranking(values)
    at_control = []
    if control is not None and control in values:
        at_control = [name for name in tied + below
                      if name != control and not clearly_better(values[name], values[control])]
    return Groups(best=tied[0], tied=tied, below=below, at_control=at_control)


def reading(values_by_budget, control="linear", digits=ACCURACY_DIGITS):
    """Sentences that read a comparison from its numbers: the groups per budget, their stability.

    values_by_budget: {epochs: {activation: per-seed validation accuracies}}, e.g. built with
    `by_activation(runs, budget=b)` for each budget b. Per budget: the best median and its seed
    range, the activations tied with it, those below it on every seed, and those not clearly
    above `control`. With two or more budgets, a last sentence says whether the tied group is
    the same at each, and which activations moved. Returns a list of str (plain text, one per line).
    """
    if not values_by_budget:
        raise ValueError("values_by_budget: expected at least one budget, got none")
    lines, tied_at = [], {}
    for budget, values in values_by_budget.items():
        found = groups(values, control)
        best = values[found.best]
        tied_at[budget] = found.tied
        n = min(len(v) for v in values.values())
        epochs = "epoch" if budget == 1 else "epochs"
        line = (f"after {budget} {epochs} ({n} seeds): best median {found.best} "
                f"{np.median(best):.{digits}f} (seeds {best.min():.{digits}f}-{best.max():.{digits}f}); "
                f"tied with it: {', '.join(found.tied[1:]) or 'none'}; "
                f"below it on every seed: {', '.join(found.below) or 'none'}")
        if control is not None and control in values:
            line += f"; not clearly above {control}: {', '.join(found.at_control) or 'none'}"
        lines.append(line + ".")
    if len(tied_at) > 1:
        budgets = list(tied_at)
        first, last = set(tied_at[budgets[0]]), set(tied_at[budgets[-1]])
        if first == last:
            lines.append(f"stable: the group tied with the best is the same after {budgets[0]} "
                         f"and {budgets[-1]} epochs.")
        else:
            joined = [name for name in tied_at[budgets[-1]] if name not in first]
            left = [name for name in tied_at[budgets[0]] if name not in last]
            lines.append(f"not stable: from {budgets[0]} to {budgets[-1]} epochs, "
                         f"joined the best group: {', '.join(joined) or 'none'}; "
                         f"left it: {', '.join(left) or 'none'}.")
    return lines


def dead_or_saturated(run):
    """The fraction of hidden units that no longer learn after training: dead or saturated.

    Per hidden layer, dead + saturated (`diagnostics.unit_states`: f'(z) = 0 on every training
    input, or |f'(z)| below 1 % of max |f'| on every one; a unit is never both), averaged over
    the hidden layers. Defined from the derivative, so it applies to every activation: ReLU's
    units with z <= 0 everywhere, ReLU6's above 6 too, and the flat tails of the sigmoid, tanh,
    ELU, SELU, softplus, GELU, SiLU and Mish.
    """
    return float(np.mean(np.asarray(run.dead) + np.asarray(run.saturated)))



def summary_rows(runs, digits=ACCURACY_DIGITS):
    """One row per activation, the medians over its seeds, best median validation accuracy first.

    Columns: activation; the validation accuracy, median and (with more than one seed) its range
    over seeds, min-max: "val acc" and "val acc over seeds" when the runs have one budget, or
    "val acc @b" and "seeds @b" for each budget b of `Run.val_accuracy_at`; then train acc,
    val loss, dead or saturated (`dead_or_saturated`, mean over seeds), and ||dL/dW1|| at init
    (the first layer's gradient norm before training). Medians, not means: one stalled seed
    would drag a mean. Numbers are rounded here (accuracies to `digits` decimals, losses to 3,
    gradient norms to 2 significant digits) so that the table prints the same on every run.
    """
    groups_ = {}
    for run in runs:
        groups_.setdefault(run.activation, []).append(run)
    rows = []
    for activation, group in groups_.items():
        budgets = sorted(getattr(group[0], "val_accuracy_at", None) or {}) or [None]
        row = {"activation": activation}
        for budget in budgets:
            val = np.array([run.val_accuracy if budget is None else run.val_accuracy_at[budget]
                            for run in group])
            if len(budgets) == 1:
                name, spread = "val acc", "val acc over seeds"
            else:
                name, spread = f"val acc @{budget}", f"seeds @{budget}"
            row[name] = f"{np.median(val):.{digits}f}"
            if len(group) > 1:
                row[spread] = f"{val.min():.{digits}f}-{val.max():.{digits}f}"
        final = np.array([run.val_accuracy for run in group])
        row.update({
            "train acc": f"{np.median([run.train_accuracy for run in group]):.{digits}f}",
            "val loss": f"{np.median([run.val_loss for run in group]):.3f}",
            "dead or saturated": f"{np.mean([dead_or_saturated(run) for run in group]):.2f}",
            "‖∂L/∂W₁‖ at init":
                f"{np.median([run.first_layer_gradient_norm for run in group]):.2g}",
        })
        rows.append((-np.median(final), -np.mean(final), row))
    return [row for *_, row in sorted(rows, key=lambda item: item[:2])]


def timing_rows(runs_by_task, reference="relu"):
    """Rows of seconds per epoch (median over seeds) per activation, one column per task, and the ratio to `reference`.

    `runs_by_task` maps a task name to its runs. Machine-dependent: show it only in a volatile cell.
    """
    seconds = {task: {activation: float(np.median(values))
                      for activation, values in by_activation(runs, "seconds_per_epoch").items()}
               for task, runs in runs_by_task.items()}
    rows = []
    for activation in next(iter(seconds.values())):
        row = {"activation": activation}
        for task, table in seconds.items():
            row[f"{task}: ms per epoch"] = f"{1000 * table[activation]:.0f}"
            row[f"{task}: / {reference}"] = f"{table[activation] / table[reference]:.2f}"
        rows.append(row)
    return rows
