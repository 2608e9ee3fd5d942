"""Plots with one consistent look: function and derivative, decision boundaries, training curves.

Figures are small on purpose (modest size, drawn at 72 dpi and stored at twice that pixel
density for high-resolution screens) so that notebooks stored with their outputs stay light
enough to read on the web.
"""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np

COURSE_STYLE = {
    "figure.figsize": (6.0, 3.2),
    "figure.dpi": 72,
    "savefig.dpi": 72,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "lines.linewidth": 2.0,
}
FUNCTION_COLOR = "C0"
DERIVATIVE_COLOR = "C3"
CLASS_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")


def use_course_style():
    """Apply the course's Matplotlib settings (small figures, light grid, no top/right spines).

    In IPython/Jupyter, inline figures are also stored in the "retina" format: PNGs at twice
    the pixel density, shown at the same size, so they stay sharp on high-resolution screens.
    """
    matplotlib.rcParams.update(COURSE_STYLE)
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: no inline figures to configure
        return
    if get_ipython() is not None:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("retina")


def _new_axes(ax, figsize=None):
    """Return (figure, axes): the given axes, or a fresh figure with one axes."""
    if ax is not None:
        return ax.figure, ax
    fig, ax = plt.subplots(figsize=figsize)
    return fig, ax


def plot_function_and_derivative(f, df, x=None, title=None, ax=None, name="f", color=None):
    """Plot f(x) and f'(x) on one axes; `x` defaults to 401 points on [-5, 5].

    `color`: one colour for both curves (the derivative dashed), e.g. an activation's registry
    colour; by default the function is blue and its derivative red. Returns the axes so that a
    notebook can add to the plot.
    """
    x = np.linspace(-5.0, 5.0, 401) if x is None else np.asarray(x, dtype=float)
    fig, ax = _new_axes(ax)
    ax.plot(x, f(x), color=color or FUNCTION_COLOR, label=f"${name}(x)$")
    ax.plot(x, df(x), color=color or DERIVATIVE_COLOR, linestyle="--", label=f"${name}'(x)$")
    ax.axhline(0.0, color="black", linewidth=0.6)
    ax.axvline(0.0, color="black", linewidth=0.6)
    ax.set_xlabel("$x$")
    ax.set_ylabel("value")
    ax.set_title(title if title is not None else f"${name}$ and its derivative")
    ax.legend(loc="best")
    return ax


def plot_decision_boundary(predict, x, y, title=None, ax=None, resolution=200, padding=0.5):
    """Shade the class that `predict` assigns over the plane and scatter the points (x, y).

    `predict` maps an (n, 2) array to class scores: one column (probability of class 1)
    or one column per class. `x` is (n, 2), `y` integer labels.
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 2 or x.shape[1] != 2:
        raise ValueError(f"x: expected shape (n, 2) for a plane, got {x.shape}")
    y = np.asarray(y).reshape(-1).astype(int)
    (x0_min, x1_min), (x0_max, x1_max) = x.min(axis=0) - padding, x.max(axis=0) + padding
    g0, g1 = np.meshgrid(np.linspace(x0_min, x0_max, resolution), np.linspace(x1_min, x1_max, resolution))
    scores = np.asarray(predict(np.column_stack([g0.ravel(), g1.ravel()])))
    scores = scores.reshape(g0.size, -1)
    labels = (scores[:, 0] > 0.5).astype(int) if scores.shape[1] == 1 else scores.argmax(axis=1)
    n_classes = max(int(y.max()) + 1, int(labels.max()) + 1)
    # A list, not a tuple: Matplotlib 3.8.0 reads a 2-tuple as (colour, alpha).
    cmap = matplotlib.colors.ListedColormap(list(CLASS_COLORS[:n_classes]))
    fig, ax = _new_axes(ax, figsize=(3.4, 3.2))
    ax.contourf(g0, g1, labels.reshape(g0.shape), levels=np.arange(n_classes + 1) - 0.5, cmap=cmap, alpha=0.25)
    marker_size = 60 if len(x) < 50 else 18  # a handful of points (XOR) should be easy to see
    ax.scatter(x[:, 0], x[:, 1], c=[CLASS_COLORS[k] for k in y], s=marker_size, edgecolors="white", linewidths=0.5)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.grid(False)
    if title:
        ax.set_title(title)
    return ax


def _line_color(label, i, colors=None, by_activation=False):
    """The colour of run `label`, the i-th line: given in `colors`, the activation's own colour
    (by_activation), or Matplotlib's cycle."""
    if colors and label in colors:
        return colors[label]
    return activation_color(label) if by_activation else f"C{i % 10}"


def plot_training_curves(histories, metric="loss", title=None, ax=None, logy=False, colors=None,
                         by_activation=False, repeat=None):
    """Plot one curve per run: `histories` maps a label to a Keras History (or its .history dict).

    Validation curves (`val_<metric>`), when present, are drawn dashed in the same colour.
    `colors` maps a label to its colour; by_activation=True colours every other label by
    `activation_color(label)` (labels must then be activation names), so an activation keeps its
    colour across the course; otherwise labels take Matplotlib's cycle.
    repeat: how many passes over the training set one epoch makes (`models.train`'s and
    `compare.Protocol`'s `repeat`). When not given it is read from each History that
    `models.train` returned; the x-axis label says it (`epoch_label`).
    Raises ValueError when the runs disagree on `repeat` (plot them on separate axes).
    """
    repeat = _common_repeat(histories, repeat)
    fig, ax = _new_axes(ax)
    for i, (label, history) in enumerate(histories.items()):
        record = getattr(history, "history", history)
        if metric not in record:
            raise KeyError(f"metric {metric!r} not recorded for {label!r}; recorded: {sorted(record)}")
        epochs = np.arange(1, len(record[metric]) + 1)
        color = _line_color(label, i, colors, by_activation)
        ax.plot(epochs, record[metric], color=color, label=label)
        if f"val_{metric}" in record:
            ax.plot(epochs, record[f"val_{metric}"], color=color, linestyle="--")
    ax.set_xlabel(epoch_label(repeat))
    ax.set_ylabel(metric)
    if logy:
        ax.set_yscale("log")
    ax.set_title(title if title is not None else f"training {metric} (dashed: validation)")
    ax.legend(loc="best")
    return ax


def epoch_label(repeat=None):
    """The x-axis label of a training curve whose epochs show the training set `repeat` times.

    "epoch (4 passes over the training set)" for repeat=4, "epoch (one pass over the training
    set)" for 1, and "epoch" when `repeat` is None (unknown). Raises ValueError for a repeat that
    is not a positive int.
    """
    if repeat is None:
        return "epoch"
    _check_repeat(repeat)
    return ("epoch (one pass over the training set)" if repeat == 1
            else f"epoch ({repeat} passes over the training set)")


def _check_repeat(repeat):
    if isinstance(repeat, bool) or not isinstance(repeat, (int, np.integer)) or repeat < 1:
        raise ValueError(f"repeat: expected a positive int (passes over the training set per "
                         f"epoch), got {repeat!r}")


def _common_repeat(histories, repeat):
    """`repeat` if given, else the one `models.train` recorded in every History (None if not)."""
    if repeat is not None:
        _check_repeat(repeat)
        return int(repeat)
    recorded = {(getattr(history, "params", None) or {}).get("repeat")
                for history in histories.values()}
    if len(recorded) > 1:
        raise ValueError(f"the runs show the training set a different number of times per epoch "
                         f"(repeat: {sorted(map(str, recorded))}); plot them on separate axes")
    return recorded.pop() if recorded else None


# --- Activation plots from the registry (notebooks 02-08) ------------------------------------

ACTIVATION_PLOT_RANGE = {"relu6": (-3.0, 9.0)}  # wide enough to show both corners
DEFAULT_PLOT_RANGE = (-6.0, 6.0)


def activation_symbol(entry):
    """Return the LaTeX symbol of a registry entry: the left-hand side of its formula, e.g. \\sigma.

    \\operatorname becomes \\mathrm: Matplotlib's mathtext adds a space after an operator name.
    """
    return entry.formula.split("(x)")[0].strip().replace(r"\operatorname", r"\mathrm")


def plot_activation(name, x=None, ax=None, w=1.0, b=0.0, **params):
    """Plot the course activation `name` and its derivative (dashed) in its registry colour.

    `params` override the registry's parameters (e.g. alpha=0.1). With a weight `w` and bias `b`
    the plot shows one unit's response a(x) = f(w x + b) and its slope a'(x) = w f'(w x + b),
    the form the explorers use. `x` defaults to 601 points on a range that shows the
    activation's corners. Returns the axes.
    """
    from course_lib import activations

    entry = activations.get(name)
    lo, hi = ACTIVATION_PLOT_RANGE.get(entry.name, DEFAULT_PLOT_RANGE)
    x = np.linspace(lo, hi, 601) if x is None else np.asarray(x, dtype=float)
    symbol = activation_symbol(entry)
    shown = ", ".join(f"{key}={value:g}" if isinstance(value, float) else f"{key}={value}"
                      for key, value in params.items())
    if w == 1.0 and b == 0.0:
        title = f"${symbol}$ and its derivative" + (f" ({shown})" if shown else "")
        return plot_function_and_derivative(
            lambda v: entry(v, **params), lambda v: entry.grad(v, **params), x=x, title=title,
            ax=ax, name=symbol, color=activation_color(entry.name))
    title = f"$a(x) = {symbol}(w x + b)$, w={w:g}, b={b:g}" + (f", {shown}" if shown else "")
    return plot_function_and_derivative(
        lambda v: entry(w * v + b, **params), lambda v: w * entry.grad(w * v + b, **params),
        x=x, title=title, ax=ax, name="a", color=activation_color(entry.name))


# --- Softmax temperature (notebook 14) --------------------------------------------------------

def plot_softmax_temperature(z, temperature, ax=None):
    """Draw softmax(z / T) as bars, one per class, over outlines of softmax(z) (T = 1) for comparison.

    A small T sharpens the distribution towards the argmax (one-hot as T -> 0); a large T
    flattens it towards uniform (1/k each as T -> infinity); the order of the classes never
    changes. Returns the axes; the bar heights are the probabilities.
    """
    from course_lib._validation import as_float_array
    from course_lib.softmax import softmax

    z = as_float_array(z, "z")
    if z.ndim != 1 or z.size == 0:
        raise ValueError(f"z: expected a non-empty 1-D vector of logits, got shape {z.shape}")
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float, np.integer, np.floating)):
        raise TypeError(f"temperature: expected a positive number, got {type(temperature).__name__}")
    if not np.isfinite(temperature) or temperature <= 0:
        raise ValueError(f"temperature: expected a positive finite number, got {temperature}")
    p = softmax(z / temperature)
    classes = np.arange(z.size)
    fig, ax = _new_axes(ax)
    ax.bar(classes, p, color=FUNCTION_COLOR, label=f"T = {temperature:.3g}")
    ax.bar(classes, softmax(z), fill=False, edgecolor="black", linestyle="--", label="T = 1")
    for k, value in zip(classes, p):
        ax.annotate(f"{value:.3f}", (k, value), ha="center", va="bottom", fontsize=9)
    ax.set_xticks(classes, [f"$z_{k}$ = {value:g}" for k, value in zip(classes, z)])
    ax.set_ylim(0.0, 1.1)
    ax.set_ylabel("probability")
    ax.set_title(f"softmax(z / T) at T = {temperature:.3g}")
    ax.legend(loc="upper right")
    return ax


# --- Measurements per layer and per epoch (notebooks 11, 13, 15) -------------------------------

def _values(series):
    """A sequence of numbers, or the values of a dict such as `models.layer_gradient_norms` returns."""
    return np.asarray(list(series.values()) if isinstance(series, dict) else series, dtype=float)


def plot_per_layer(values, ylabel, title=None, ax=None, logy=False, xlabel="layer", colors=None,
                   by_activation=False):
    """Plot one line per run: `values` maps a label to one number per layer (layer 1, nearest the input, first).

    For per-layer gradient norms use logy=True: they can span many orders of magnitude.
    A dict per run (layer name -> value, as `models.layer_gradient_norms` returns) works too.
    `colors` and `by_activation` choose the line colours as in plot_training_curves.
    """
    fig, ax = _new_axes(ax)
    for i, (label, series) in enumerate(values.items()):
        series = _values(series)
        color = _line_color(label, i, colors, by_activation)
        ax.plot(np.arange(1, series.size + 1), series, marker="o", markersize=4, color=color, label=label)
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if logy:
        ax.set_yscale("log")
    if title:
        ax.set_title(title)
    ax.legend(loc="best")
    return ax


def plot_per_epoch(epochs, values, ylabel, title=None, ax=None, ylim=None):
    """Plot one line per label: `values` maps a label to one number per entry of `epochs` (0 = before training).

    E.g. the dead fraction of each layer as a `models.DeadUnitsMonitor` records it:
    plot_per_epoch(monitor.epochs, {"layer 1": monitor.dead[:, 0], ...}, "dead fraction").
    """
    epochs = np.asarray(epochs)
    fig, ax = _new_axes(ax)
    for i, (label, series) in enumerate(values.items()):
        series = _values(series)
        if series.shape != epochs.shape:
            raise ValueError(f"{label!r}: expected one value per epoch ({epochs.size}), got {series.size}")
        ax.plot(epochs, series, color=f"C{i % 10}", label=label)
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_xlabel("epoch (0 = before training)")
    ax.set_ylabel(ylabel)
    if ylim is not None:
        ax.set_ylim(*ylim)
    if title:
        ax.set_title(title)
    ax.legend(loc="best")
    return ax


def plot_dead_fractions(monitor, title=None, ax=None):
    """Plot the dead fraction of every hidden layer, epoch by epoch, from a `models.DeadUnitsMonitor`."""
    dead = np.asarray(monitor.dead)
    values = {f"layer {i}": dead[:, i - 1] for i in range(1, dead.shape[1] + 1)}
    return plot_per_epoch(monitor.epochs, values, "dead fraction", title=title, ax=ax, ylim=(-0.03, 1.03))


# --- Spread over seeds (notebook 15) -----------------------------------------------------------

def plot_spread(values, xlabel, title=None, ax=None, by_activation=False):
    """One row per label, top to bottom: a dot per value (one per seed) on a line from the
    smallest to the largest.

    `values` maps a label to its values, e.g. {activation: validation accuracy of each seed}
    (`compare.by_activation`). Rows whose lines overlap are within the run-to-run spread of each
    other. by_activation=True draws each row in `activation_color(label)` (labels must then be
    activation names); otherwise every row takes one colour.
    """
    labels = list(values)
    fig, ax = _new_axes(ax, figsize=(6.0, 0.6 + 0.25 * len(labels)))
    for row, label in enumerate(labels):
        series = _values(values[label])
        color = activation_color(label) if by_activation else FUNCTION_COLOR
        ax.hlines(row, series.min(), series.max(), color=color, linewidth=1.5)
        ax.plot(series, np.full(series.size, row), "o", color=color, markersize=4)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_ylim(len(labels) - 0.5, -0.5)  # the first label on top
    ax.set_xlabel(xlabel)
    ax.grid(False, axis="y")
    if title:
        ax.set_title(title)
    return ax


# --- One colour per activation (every notebook) -------------------------------------------------

ACTIVATION_COLORS = {
    "relu": "#1f77b4", "tanh": "#d62728", "sigmoid": "#2ca02c", "gelu": "#ff7f0e",
    "silu": "#9467bd", "elu": "#8c564b", "selu": "#e377c2", "leaky_relu": "#17becf",
    "prelu": "#bcbd22", "mish": "#7f7f7f", "softplus": "#393b79", "relu6": "#aec7e8",
    "linear": "#000000",
}


def activation_color(name):
    """Return the colour of activation `name` (aliases such as "swish" too), one in every figure.

    The thirteen activations of notebooks 02-08 have their own colour in ACTIVATION_COLORS;
    the rest of Keras' (registry.MORE_ACTIVATIONS, 16 of them) get one of Matplotlib's tab20b
    palette, fixed by their place in the registry (its first colour is softplus', so skipped).
    """
    from course_lib import activations

    entry = activations.get(name)
    if entry.name in ACTIVATION_COLORS:
        return ACTIVATION_COLORS[entry.name]
    position = 1 + list(activations.MORE_ACTIVATIONS).index(entry.name)
    return matplotlib.colormaps["tab20b"](position % 20)
