"""What a ReLU network computes: a continuous piecewise-linear function, its regions counted,
and the same kind of function built by hand as an affine term plus a sum of ReLUs.

A network is the course's NumPy form (as in `course_lib.mlp`): a list of layers
``{"W": W, "b": b}`` with W of shape (n_out, n_in) and b of shape (n_out, 1), ReLU after every
layer but the last, which is affine. Inputs are columns: x has shape (n_0, m). For a network of
one input a 1-D array of m inputs is accepted as well.

Two kinds of region (Hanin & Rolnick 2019, "Deep ReLU networks have surprisingly few activation
patterns"):

- an **activation region** is a set of inputs on which every hidden unit keeps its state (on:
  z > 0, off: z <= 0). It is a convex polyhedron, and on it the network is one affine function;
- a **linear region** is a maximal connected set of inputs on which the network is one affine
  function. Neighbouring activation regions can share their affine function (a unit whose
  outgoing weights are 0, a unit switching behind a dead layer), so there are never more linear
  regions than activation regions, and for generic weights there are as many.

Sources: Prince (2023), *Understanding Deep Learning*, ch. 3-4; Hanin & Rolnick (2019),
"Complexity of linear regions in deep networks" (at initialisation, the average number of pieces
along a line grows in proportion to the number of units); Montufar, Pascanu, Cho & Bengio
(2014), "On the number of linear regions of deep neural networks"; Serra, Tjandraatmadja &
Ramalingam (2018), "Bounding and counting linear regions of deep neural networks"; Telgarsky
(2016), "Benefits of depth in neural networks" (the sawtooth); Arora, Basu, Mianjy & Mukherjee
(2018), "Understanding deep neural networks with rectified linear units" (exact representation).
"""

import dataclasses
import functools
import math
import numbers
from typing import Tuple

import numpy as np

from course_lib._validation import as_float_array

__all__ = ["random_relu_network", "network_output", "activation_patterns", "Regions1D",
           "activation_regions_1d", "GridRegions", "grid_activation_regions",
           "max_regions_shallow", "max_regions_upper_bound", "sawtooth_network", "ReluSum",
           "relu_sum_from_points", "ShallowFit", "fit_shallow_networks"]


# --- Networks ------------------------------------------------------------------------------

def random_relu_network(widths, seed, input_dim=1, output_dim=1, bias_std=1.0):
    """Return a ReLU network with hidden widths `widths` and random weights (a list of layers).

    W ~ N(0, 2 / n_in) (He et al. 2015, the scale that keeps ReLU signals of constant size) and
    b ~ N(0, bias_std^2), float64, drawn from `np.random.default_rng(seed)`. The biases are not
    0 on purpose: with b = 0 every layer is positively homogeneous, f(c x) = c f(x) for c > 0,
    and a network of one input has at most 2 linear regions (x < 0 and x > 0), whatever its size.
    Raises ValueError for widths that are not positive ints or a negative bias_std.
    """
    sizes = [_positive_int(input_dim, "input_dim")]
    sizes += [_positive_int(n, "widths") for n in _sequence(widths, "widths")]
    sizes.append(_positive_int(output_dim, "output_dim"))
    bias_std = _real(bias_std, "bias_std")
    if bias_std < 0:
        raise ValueError(f"bias_std: expected a number >= 0, got {bias_std}")
    rng = np.random.default_rng(seed)
    return [{"W": rng.normal(0.0, math.sqrt(2.0 / n_in), size=(n_out, n_in)),
             "b": rng.normal(0.0, bias_std, size=(n_out, 1))}
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def network_output(params, x):
    """Return f(x) = W_L relu(... relu(W_1 x + b_1) ...) + b_L, shape (n_L, m).

    x: shape (n_0, m), or (m,) for a network of one input and one output, which then returns
    shape (m,). float64.
    """
    params = _checked_network(params)
    x, flat = _inputs(params, x)
    a = x
    for layer in params[:-1]:
        a = np.maximum(layer["W"] @ a + layer["b"], 0.0)
    out = params[-1]["W"] @ a + params[-1]["b"]
    return out[0] if flat and out.shape[0] == 1 else out


def activation_patterns(params, x):
    """Return which hidden units are on (z > 0) at each input: a bool array (n_hidden, m).

    Rows are the hidden units, layer 1 first; column j is the activation pattern of input j.
    Two inputs with the same column lie in the same activation region.
    """
    params = _checked_network(params)
    x, _ = _inputs(params, x)
    a, on = x, []
    for layer in params[:-1]:
        z = layer["W"] @ a + layer["b"]
        on.append(z > 0)
        a = np.maximum(z, 0.0)
    return np.concatenate(on, axis=0) if on else np.zeros((0, x.shape[1]), dtype=bool)


# --- Counting regions ----------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Regions1D:
    """The pieces of a network of one input and one output on the interval [lo, hi].

    boundaries: the inputs where some hidden unit switches, sorted (shape (k,)); the k + 1
        activation regions are the intervals between lo, the boundaries and hi.
    slopes, intercepts: f(x) = slopes[i] x + intercepts[i] on activation region i (shape (k+1,)).
    breakpoints: the boundaries where the slope really changes, i.e. where f has a corner; the
        linear regions are the intervals between them.
    """

    lo: float
    hi: float
    boundaries: np.ndarray
    slopes: np.ndarray
    intercepts: np.ndarray
    breakpoints: np.ndarray

    @property
    def n_activation_regions(self):
        return int(self.slopes.size)

    @property
    def n_linear_regions(self):
        return int(self.breakpoints.size) + 1

    def __call__(self, x):
        """Evaluate the piecewise-affine function at x (any shape) from its pieces."""
        x = as_float_array(x).astype(np.float64)
        i = np.searchsorted(self.boundaries, x)
        return self.slopes[i] * x + self.intercepts[i]


def activation_regions_1d(params, lo=-np.inf, hi=np.inf, rtol=1e-9):
    """Return the exact `Regions1D` of a network of one input and one output on [lo, hi].

    Exact, not sampled: layer by layer, on each piece found so far every unit's pre-activation
    z = s x + c is affine, so it changes sign only at x = -c / s; the piece is cut there, and on
    each new piece the unit's state is read at an interior point. After the last hidden layer
    each piece carries the network's slope and intercept. The default interval is the whole real
    line. A boundary counts as a breakpoint (a corner of f) when the slopes on its two sides differ
    by more than `rtol` relative to the largest |slope|.
    Raises ValueError if the network does not map one number to one number or lo >= hi.
    """
    params = _checked_network(params)
    if params[0]["W"].shape[1] != 1 or params[-1]["W"].shape[0] != 1:
        raise ValueError("params: expected a network of one input and one output, got "
                         f"{params[0]['W'].shape[1]} inputs and {params[-1]['W'].shape[0]} outputs")
    lo, hi = _real(lo, "lo", finite=False), _real(hi, "hi", finite=False)
    if not lo < hi:
        raise ValueError(f"expected lo < hi, got lo={lo}, hi={hi}")
    starts, ends = np.array([lo]), np.array([hi])
    slope, icpt = np.ones((1, 1)), np.zeros((1, 1))  # a = slope x + icpt on each piece, per unit
    for layer in params[:-1]:
        z_slope, z_icpt = slope @ layer["W"].T, icpt @ layer["W"].T + layer["b"][:, 0]
        with np.errstate(divide="ignore", invalid="ignore"):
            crossing = -z_icpt / z_slope
        inside = (z_slope != 0) & (crossing > starts[:, None]) & (crossing < ends[:, None])
        cuts = np.unique(np.concatenate([starts[1:], crossing[inside]]))
        new_starts, new_ends = np.concatenate([[lo], cuts]), np.concatenate([cuts, [hi]])
        parent = np.searchsorted(starts, new_starts, side="right") - 1  # the piece each came from
        starts, ends = new_starts, new_ends
        on = z_slope[parent] * _interior_points(starts, ends)[:, None] + z_icpt[parent] > 0
        slope, icpt = np.where(on, z_slope[parent], 0.0), np.where(on, z_icpt[parent], 0.0)
    out = params[-1]
    slopes = (slope @ out["W"].T)[:, 0]
    intercepts = (icpt @ out["W"].T + out["b"][:, 0])[:, 0]
    scale = max(float(np.max(np.abs(slopes))), np.finfo(float).tiny)
    corner = np.abs(np.diff(slopes)) > rtol * scale
    return Regions1D(lo, hi, starts[1:], slopes, intercepts, starts[1:][corner])


@dataclasses.dataclass(frozen=True)
class GridRegions:
    """The activation regions of a network of two inputs, as a grid of inputs sees them.

    n_regions: how many distinct activation patterns the grid meets. It is a lower bound on the
        number of activation regions in the box: a region thinner than the grid's spacing can
        fall between its points.
    labels: shape (resolution, resolution), the region of each grid point (row: x2, column: x1),
        numbered 0 .. n_regions - 1.
    x1, x2: the grid's coordinates along each axis.
    """

    n_regions: int
    labels: np.ndarray
    x1: np.ndarray
    x2: np.ndarray


def grid_activation_regions(params, lo=-3.0, hi=3.0, resolution=200):
    """Return the `GridRegions` of a network of two inputs on the box [lo, hi]^2.

    The box is sampled on a resolution x resolution grid; two points are in the same activation
    region exactly when every hidden unit has the same state at both (each activation region is
    convex, so one pattern is one region). Cost: one forward pass over resolution^2 points.
    """
    params = _checked_network(params)
    if params[0]["W"].shape[1] != 2:
        raise ValueError(f"params: expected a network of two inputs, got {params[0]['W'].shape[1]}")
    lo, hi = _real(lo, "lo"), _real(hi, "hi")
    if not lo < hi:
        raise ValueError(f"expected lo < hi, got lo={lo}, hi={hi}")
    resolution = _positive_int(resolution, "resolution")
    x1 = x2 = np.linspace(lo, hi, resolution)
    g1, g2 = np.meshgrid(x1, x2)
    on = activation_patterns(params, np.stack([g1.ravel(), g2.ravel()]))
    if on.shape[0] == 0:  # no hidden unit: one affine function, one region
        return GridRegions(1, np.zeros(g1.shape, dtype=np.intp), x1, x2)
    packed = np.ascontiguousarray(np.packbits(on, axis=0).T)  # one row of bytes per point
    keys = packed.view(np.dtype((np.void, packed.shape[1]))).ravel()  # each row one opaque key
    _, labels = np.unique(keys, return_inverse=True)
    labels = labels.reshape(g1.shape)
    return GridRegions(int(labels.max()) + 1, labels, x1, x2)


def max_regions_shallow(n_units, input_dim):
    """The most linear regions a network of one hidden layer of n ReLUs can have on R^d.

    sum_{j=0}^{d} C(n, j): n hyperplanes in general position cut R^d into that many pieces
    (Zaslavsky 1975; for networks Pascanu, Montufar & Bengio 2014). d = 1: n + 1;
    d = 2: 1 + n + C(n, 2). Returns a Python int.
    """
    n, d = _positive_int(n_units, "n_units", minimum=0), _positive_int(input_dim, "input_dim")
    return sum(math.comb(n, j) for j in range(min(n, d) + 1))


def max_regions_upper_bound(widths, input_dim):
    """Serra et al. (2018, Theorem 1): an upper bound on the linear regions of a deep ReLU network.

    sum over (j_1, ..., j_L) in J of prod_l C(n_l, j_l), where J holds the integer vectors with
    0 <= j_l <= min(n_0, n_1 - j_1, ..., n_{l-1} - j_{l-1}, n_l). One hidden layer: the shallow
    count `max_regions_shallow`. One input and width n >= 2 everywhere: (n + 1)^L. Returns an int.
    """
    widths = tuple(_positive_int(n, "widths") for n in _sequence(widths, "widths"))
    n0 = _positive_int(input_dim, "input_dim")

    @functools.cache
    def count(layer, cap):
        if layer == len(widths):
            return 1
        n = widths[layer]
        return sum(math.comb(n, j) * count(layer + 1, min(cap, n - j))
                   for j in range(min(cap, n) + 1))

    return count(0, n0)


# --- Constructions -------------------------------------------------------------------------

def sawtooth_network(depth):
    """Return the ReLU network of `depth` hidden layers of 2 units that computes T^depth on [0, 1].

    T(y) = 2 relu(y) - 4 relu(y - 1/2) is the tent map (2y on [0, 1/2], 2 - 2y on [1/2, 1]);
    composing it `depth` times gives a sawtooth with 2^depth linear pieces on [0, 1], corners at
    k / 2^depth, from only 2 * depth units (Telgarsky 2016). A network of one hidden layer needs
    2^depth - 1 units for as many corners. All weights are small dyadic numbers, so the
    corners come out exact in floating point.
    """
    depth = _positive_int(depth, "depth")
    first = {"W": np.array([[1.0], [1.0]]), "b": np.array([[0.0], [-0.5]])}
    tent = {"W": np.array([[2.0, -4.0], [2.0, -4.0]]), "b": np.array([[0.0], [-0.5]])}
    last = {"W": np.array([[2.0, -4.0]]), "b": np.array([[0.0]])}
    folds = [{key: value.copy() for key, value in tent.items()} for _ in range(depth - 1)]
    return [first] + folds + [last]


@dataclasses.dataclass(frozen=True)
class ReluSum:
    """f(x) = slope x + intercept + sum_k coefficients[k] relu(x - knots[k]).

    A continuous piecewise-linear function of one variable: affine, with a corner at each knot
    where the slope changes by coefficients[k]. knots: strictly increasing, shape (K,).
    """

    slope: float
    intercept: float
    knots: np.ndarray
    coefficients: np.ndarray

    def __post_init__(self):
        knots = as_float_array(self.knots, "knots").astype(np.float64).reshape(-1)
        coefficients = as_float_array(self.coefficients, "coefficients")
        coefficients = coefficients.astype(np.float64).reshape(-1)
        if knots.shape != coefficients.shape:
            raise ValueError(f"expected one coefficient per knot, got {knots.size} knots and "
                             f"{coefficients.size} coefficients")
        if not (np.all(np.isfinite(knots)) and np.all(np.isfinite(coefficients))):
            raise ValueError("knots and coefficients: expected finite numbers, got inf or nan")
        if np.any(np.diff(knots) <= 0):
            raise ValueError(f"knots: expected strictly increasing numbers, got {knots.tolist()}")
        object.__setattr__(self, "slope", _real(self.slope, "slope"))
        object.__setattr__(self, "intercept", _real(self.intercept, "intercept"))
        object.__setattr__(self, "knots", knots)
        object.__setattr__(self, "coefficients", coefficients)

    def __call__(self, x):
        x = as_float_array(x).astype(np.float64)
        ramps = np.maximum(x[..., None] - self.knots, 0.0)
        return self.slope * x + self.intercept + ramps @ self.coefficients

    def as_network(self):
        """The same function as a ReLU network of one hidden layer, exact on all of R.

        The affine term needs ReLUs too, and two suffice because y = relu(y) - relu(-y): with
        the first knot t_1, slope x + intercept = -slope relu(t_1 - x) + slope relu(x - t_1)
        + slope t_1 + intercept. So K knots take K + 1 units, one per linear piece (Arora et
        al. 2018, Theorem 2.2); with no knot, 2 units at t = 0.
        """
        t1 = self.knots[0] if self.knots.size else 0.0
        coefficients = self.coefficients.copy()
        if coefficients.size:
            coefficients[0] += self.slope
        else:
            coefficients = np.array([self.slope])
        knots = self.knots if self.knots.size else np.array([0.0])
        W1 = np.concatenate([[-1.0], np.ones(knots.size)])[:, None]
        b1 = np.concatenate([[t1], -knots])[:, None]
        W2 = np.concatenate([[-self.slope], coefficients])[None, :]
        return [{"W": W1, "b": b1}, {"W": W2, "b": np.array([[self.slope * t1 + self.intercept]])}]


def relu_sum_from_points(x_points, y_points):
    """Return the `ReluSum` through the points (x_0, y_0), ..., (x_K, y_K), x strictly increasing.

    Between neighbouring points the function is the straight line joining them; beyond the first
    and last point it continues with the first and last slope. With s_k = (y_{k+1} - y_k) /
    (x_{k+1} - x_k): slope = s_0, intercept = y_0 - s_0 x_0, knots x_1 .. x_{K-1}, and at each
    knot the coefficient s_k - s_{k-1}, the change of slope.
    """
    x = as_float_array(x_points, "x_points").astype(np.float64).reshape(-1)
    y = as_float_array(y_points, "y_points").astype(np.float64).reshape(-1)
    if x.shape != y.shape or x.size < 2:
        raise ValueError(f"expected as many x as y values, at least 2, got {x.size} and {y.size}")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError("x_points, y_points: expected finite numbers, got inf or nan")
    if np.any(np.diff(x) <= 0):
        raise ValueError(f"x_points: expected strictly increasing numbers, got {x.tolist()}")
    s = np.diff(y) / np.diff(x)
    return ReluSum(slope=s[0], intercept=y[0] - s[0] * x[0], knots=x[1:-1], coefficients=np.diff(s))


# --- Learned: shallow networks fitted to a function of one variable (Keras) ------------------

@dataclasses.dataclass(frozen=True)
class ShallowFit:
    """One shallow network y = W2 g(W1 x + b1) + b2, trained with Adam on full batches.

    network: its weights after `steps` steps, in the course's NumPy form (float64), so that
        `activation_regions_1d` can count the regions of a ReLU fit.
    train_mse: mean squared error on the training points; val_rmse, val_max_error: root mean
        squared error and largest absolute error on the validation points.
    """

    activation: str
    width: int
    seed: int
    learning_rate: float
    steps: int
    train_mse: float
    val_rmse: float
    val_max_error: float
    network: Tuple[dict, ...]

    def __call__(self, x):
        """The fitted function at x (shape (m,)), in float64 with the course's activation."""
        from course_lib import activations

        g = activations.get(self.activation)
        x = as_float_array(x).astype(np.float64).reshape(1, -1)
        W1, b1, W2, b2 = (self.network[0]["W"], self.network[0]["b"], self.network[1]["W"],
                          self.network[1]["b"])
        return (W2 @ g(W1 @ x + b1) + b2)[0]


def fit_shallow_networks(activation, width, x, y, x_val, y_val, seeds, learning_rates,
                         budgets=(500, 2000)):
    """Fit one shallow network per (seed, learning rate) to y = f(x); return a `ShallowFit` for each
    pair and budget.

    Each network: one hidden layer of `width` units with `activation` (a Keras name), initialised
    as `models.build_mlp(activation, [width], seed, input_dim=1)` initialises it (the kernel
    initialiser suited to the activation, zero biases), trained with Adam on the mean squared
    error, one full batch of (x, y) per step; its errors are read after each budget of steps
    (`budgets`, increasing; one run, read at several points).

    All networks train side by side in one Keras model, which costs little more than one. Each
    network's loss is separate, so its gradient is its own; each has its own Adam state. For its
    own learning rate lr, network m stores its weights divided by c = lr / min(learning_rates)
    and multiplies them by c when used: Adam's step does not depend on the gradient's scale, so
    the weights it moves by min(learning_rates) move by lr in the network's own units. That is
    exactly Adam at lr, except that Adam's epsilon (1e-7) acts as epsilon / c.
    x, y, x_val, y_val: 1-D arrays. Returns a list ordered by budget, learning rate, seed.
    """
    from course_lib import models
    from course_lib._keras import load_keras, load_tensorflow

    keras, tf = load_keras(), load_tensorflow()
    width = _positive_int(width, "width")
    seeds = [int(seed) for seed in _sequence(seeds, "seeds")]
    rates = [_real(rate, "learning_rates") for rate in _sequence(learning_rates, "learning_rates")]
    if not seeds or not rates or min(rates) <= 0:
        raise ValueError("expected at least one seed and positive learning rates, got "
                         f"{seeds}, {rates}")
    budgets = [_positive_int(b, "budgets") for b in _sequence(budgets, "budgets")]
    if any(b2 <= b1 for b1, b2 in zip(budgets, budgets[1:])):
        raise ValueError(f"budgets: expected increasing step counts, got {budgets}")
    x, y = (as_float_array(v, name).astype(np.float32).reshape(-1, 1)
            for v, name in ((x, "x"), (y, "y")))
    x_val, y_val = (as_float_array(v, name).astype(np.float64).reshape(-1)
                    for v, name in ((x_val, "x_val"), (y_val, "y_val")))
    pairs = [(rate, seed) for rate in rates for seed in seeds]
    scale = np.array([rate / min(rates) for rate, _ in pairs])
    init_name = models.initializer_for(activation)
    kernels = [_initial_kernels(keras, init_name, seed, width) for _, seed in pairs]
    layer = _parallel_layer_class()(np.stack([k[0] for k in kernels]),
                                    np.stack([k[1] for k in kernels]),
                                    scale, models.activation_layer(activation).activation)
    model = keras.Sequential([keras.Input(shape=(1,)), layer])
    model.compile(optimizer=keras.optimizers.Adam(min(rates)), loss=_summed_squared_error,
                  steps_per_execution=_steps_per_execution(budgets))
    data = tf.data.Dataset.from_tensors((x, y)).repeat()
    fits, done = [], 0
    for budget in budgets:
        model.fit(data, epochs=1, steps_per_epoch=budget - done, shuffle=False, verbose=0)
        done = budget
        for m, (rate, seed) in enumerate(pairs):
            network = layer.network(m)
            fit = ShallowFit(activation, width, seed, rate, budget, 0.0, 0.0, 0.0, network)
            train_error = fit(x[:, 0]) - y[:, 0]
            val_error = np.abs(fit(x_val) - y_val)
            fits.append(dataclasses.replace(
                fit, train_mse=float(np.mean(train_error ** 2)),
                val_rmse=float(np.sqrt(np.mean(val_error ** 2))),
                val_max_error=float(val_error.max())))
    return fits


# --- Machinery -----------------------------------------------------------------------------

_MOST_STEPS_PER_EXECUTION = 250  # Keras runs up to this many steps per call into TensorFlow


def _steps_per_execution(budgets):
    """The most steps per call (up to 250) that divide every stretch between budgets: Keras runs
    whole calls, so a call must never go past a budget."""
    stretches = math.gcd(*np.diff([0] + list(budgets)).tolist())
    return max(d for d in range(1, _MOST_STEPS_PER_EXECUTION + 1) if stretches % d == 0)


def _initial_kernels(keras, init_name, seed, width):
    """The hidden and output kernels `models.build_mlp` draws for this seed (same initialisers
    and seeds)."""
    def draw(i, shape):
        config = {"class_name": init_name, "config": {"seed": seed * 1000 + i}}
        initializer = keras.initializers.get(config)
        return np.asarray(initializer(shape), dtype=np.float32)

    return draw(1, (1, width))[0], draw(0, (width, 1))[:, 0]


def _summed_squared_error(y_true, y_pred):
    """Per example: the sum over the networks (columns) of their squared errors."""
    keras = __import__("keras")
    return keras.ops.sum(keras.ops.square(y_pred - y_true), axis=-1)


@functools.cache
def _parallel_layer_class():
    """Define the layer of M shallow networks side by side (Keras must be loaded first)."""
    from course_lib._keras import load_keras

    keras = load_keras()
    ops = keras.ops

    class ParallelShallowNetworks(keras.layers.Layer):
        """M networks of one input and one output side by side:
        out[:, m] = sum_h w2[m, h] g(w1[m, h] x + b1[m, h]) + b2[m], each weight stored divided
        by scale[m] (see `fit_shallow_networks`)."""

        def __init__(self, w1, w2, scale, activation):
            super().__init__()
            scale = np.asarray(scale, dtype=np.float32)
            self.scale = scale[:, None]
            self.g = activation
            constant = keras.initializers.Constant
            self.w1 = self.add_weight(shape=w1.shape, initializer=constant(w1 / self.scale),
                                      name="w1")
            self.b1 = self.add_weight(shape=w1.shape, initializer="zeros", name="b1")
            self.w2 = self.add_weight(shape=w2.shape, initializer=constant(w2 / self.scale),
                                      name="w2")
            self.b2 = self.add_weight(shape=(len(scale),), initializer="zeros", name="b2")

        def call(self, x):
            s = ops.convert_to_tensor(self.scale)
            z = x[:, :, None] * (s * self.w1)[None] + (s * self.b1)[None]
            return ops.sum(self.g(z) * (s * self.w2)[None], axis=-1) + (s[:, 0] * self.b2)[None]

        def network(self, m):
            """Network m in the course's NumPy form, float64, in its own units."""
            c = float(self.scale[m, 0])
            w1, b1, w2, b2 = (np.asarray(v.numpy(), dtype=np.float64) * c
                              for v in (self.w1[m], self.b1[m], self.w2[m], self.b2[m]))
            return ({"W": w1[:, None], "b": b1[:, None]}, {"W": w2[None, :], "b": np.array([[b2]])})

    return ParallelShallowNetworks


def _interior_points(starts, ends):
    """A point inside each interval (start, end): the midpoint, or 1 inside an infinite end."""
    with np.errstate(invalid="ignore"):
        middle = (starts + ends) / 2
    middle = np.where(np.isneginf(starts), ends - 1.0, middle)
    middle = np.where(np.isposinf(ends), starts + 1.0, middle)
    return np.where(np.isneginf(starts) & np.isposinf(ends), 0.0, middle)


def _checked_network(params):
    """Return copies of the layers: a list of {"W": float64 (n_out, n_in), "b": (n_out, 1)}."""
    if isinstance(params, dict) or not isinstance(params, (list, tuple)) or not params:
        raise TypeError("params: expected a non-empty list of layers {'W': ..., 'b': ...}, got "
                        f"{type(params).__name__}")
    layers, n_in = [], None
    for i, layer in enumerate(params, start=1):
        if not isinstance(layer, dict) or set(layer) < {"W", "b"}:
            raise TypeError(f"params: layer {i}: expected a dict with 'W' and 'b', "
                            f"got {layer!r:.60}")
        W = as_float_array(layer["W"], f"layer {i} W").astype(np.float64)
        b = as_float_array(layer["b"], f"layer {i} b").astype(np.float64)
        if W.ndim != 2 or b.shape != (W.shape[0], 1):
            raise ValueError(f"params: layer {i}: expected W of shape (n_out, n_in) and b of shape "
                             f"(n_out, 1), got {W.shape} and {b.shape}")
        if n_in is not None and W.shape[1] != n_in:
            raise ValueError(f"params: layer {i} takes {W.shape[1]} inputs, "
                             f"layer {i - 1} gives {n_in}")
        if not (np.all(np.isfinite(W)) and np.all(np.isfinite(b))):
            raise ValueError(f"params: layer {i}: expected finite weights, got inf or nan")
        layers.append({"W": W, "b": b})
        n_in = W.shape[0]
    return layers


def _inputs(params, x):
    """x as float64 columns (n_0, m), and whether it came as a 1-D array of scalar inputs."""
    x = as_float_array(x).astype(np.float64)
    n0 = params[0]["W"].shape[1]
    if x.ndim <= 1 and n0 == 1:
        return x.reshape(1, -1), True
    if x.ndim != 2 or x.shape[0] != n0:
        raise ValueError(f"x: expected shape ({n0}, m), one column per input, got {x.shape}")
    return x, False


def _sequence(values, name):
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"{name}: expected a sequence, got {type(values).__name__} {values!r}")
    return list(values)


def _positive_int(value, name, minimum=1):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name}: expected an int >= {minimum}, got {value!r}")
    return int(value)


def _real(value, name, finite=True):
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        raise TypeError(f"{name}: expected a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if math.isnan(value) or (finite and math.isinf(value)):
        raise ValueError(f"{name}: expected a {'finite ' if finite else ''}number, got {value}")
    return value
