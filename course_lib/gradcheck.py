"""Check derivatives three ways: central finite differences, tf.GradientTape, and a relative error.

The relative error is the usual gradient-check measure
    max |a - b| / max(|a| + |b|)   (elementwise, with a floor so exact zeros compare),
which is about 1e-7 or smaller in float64 when two gradients agree.
"""

from collections import namedtuple
from dataclasses import dataclass

import numpy as np

from course_lib._keras import load_tensorflow
from course_lib._validation import as_float_array


def relative_error(a, b, floor=1e-12):
    """Return the largest elementwise |a - b| / max(|a| + |b|, floor); 0 for empty inputs."""
    a, b = as_float_array(a, "a").astype(np.float64), as_float_array(b, "b").astype(np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b: expected the same shape, got {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), floor)))


def central_difference_step(x):
    """Return the step h = cbrt(eps) * max(1, |x|): it balances truncation error (h^2) and rounding
    (eps/h)."""
    return np.cbrt(np.finfo(np.float64).eps) * np.maximum(1.0, np.abs(x))


def numerical_derivative(f, x, h=None):
    """Return f'(x) elementwise by central differences (f(x+h) - f(x-h)) / 2h, in float64."""
    x = as_float_array(x).astype(np.float64)
    h = central_difference_step(x) if h is None else float(h)
    return (np.asarray(f(x + h), dtype=np.float64) - np.asarray(f(x - h), dtype=np.float64)) / (
        2 * h
    )


def numerical_gradient(loss, w, h=1e-5):
    """Return d loss / d w for a scalar `loss(w)` by central differences, one entry of `w` at a
    time.

    `w` is not modified: each entry is nudged in a copy. Cost: 2 evaluations per entry,
    so keep `w` small (this is for checking, not for training).
    """
    w = as_float_array(w, "w").astype(np.float64)
    grad = np.zeros_like(w)
    nudged = w.copy()
    for i in np.ndindex(w.shape):
        nudged[i] = w[i] + h
        up = float(loss(nudged))
        nudged[i] = w[i] - h
        down = float(loss(nudged))
        nudged[i] = w[i]
        grad[i] = (up - down) / (2 * h)
    return grad


def tape_derivative(f, x, dtype="float32"):
    """Return f'(x) elementwise as TensorFlow's autodiff computes it, via tf.GradientTape.

    `f` takes and returns tensors (e.g. a `keras.activations` function); the result is a NumPy
    array.
    """
    tf = load_tensorflow()
    x = tf.constant(as_float_array(x), dtype=dtype)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    return tape.gradient(y, x).numpy()


def max_abs_difference(a, b):
    """Return max |a - b| in float64, treating equal infinities and nan-vs-nan as no difference."""
    a, b = as_float_array(a, "a").astype(np.float64), as_float_array(b, "b").astype(np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b: expected the same shape, got {a.shape} and {b.shape}")
    same = (a == b) | (np.isnan(a) & np.isnan(b))
    if same.all():
        return 0.0
    return float(np.max(np.abs(a[~same] - b[~same])))


# --- One call per activation notebook: parity with Keras and three derivative checks ---------

# A grid that steps over every corner (0 for the ReLU family, 6 for ReLU6) by 0.025: central
# differences straddling a corner would measure the corner, not the derivative.
DERIVATIVE_GRID = np.linspace(-7.975, 7.975, 320)
KERAS_PARAMETER_NAMES = {"leaky_relu": {"alpha": "negative_slope"}}  # course name -> Keras name


def keras_activation(name, **params):
    """Return the Keras built-in for course activation `name` as a function of a tensor, or None.

    Parameters are passed under Keras' own names (Leaky ReLU's alpha is `negative_slope` there),
    with the registry's values unless overridden, so both sides compute the same function.
    """
    from course_lib import activations

    entry = activations.get(name)
    if entry.keras_name is None:
        return None
    keras = load_tensorflow().keras
    function = getattr(keras.activations, entry.keras_name)
    renamed = KERAS_PARAMETER_NAMES.get(entry.name, {})
    keras_params = {
        renamed.get(key, key): value for key, value in {**entry.parameters, **params}.items()
    }
    return lambda x: function(x, **keras_params)


# Tolerances the report checks against. Finite differences lose digits in flat tails (f(x+h) and
# f(x-h) nearly equal), hence 1e-5 rather than 1e-7; float32 results are good to about 1e-7 per
# unit of size, and Keras' own float32 formulas (Mish's, for one) lose a few digits more.
REPORT_TOLERANCE = {
    "finite_difference_rel_error": 1e-5,
    "tape_max_abs_diff": 1e-5,
    "keras_max_abs_diff": 1e-5,
}


class DerivativeReport(dict):
    """The numbers of `derivative_report` (a dict), printed next to REPORT_TOLERANCE.

    Each printed line shows the error it measured and the tolerance it is checked against,
    e.g. "4e-11 < 1e-05: ok" ("0 (identical)" when exactly 0). The measured value is printed to
    one significant digit: a stored output must not depend on the last bits a particular CPU's
    exp() rounds to. The full-precision values are the dict's entries.
    """

    def passed(self):
        """Return True when every check that ran is within its tolerance."""
        return all(
            self[key] is None or self[key] < tolerance
            for key, tolerance in REPORT_TOLERANCE.items()
        )

    def rows(self):
        """Return (what was compared, measure, verdict) for each check, as text."""
        grad, keras = f"{self['name']}_grad", f"keras.activations.{self['keras_name']}"
        compared = {
            "finite_difference_rel_error": (
                f"{grad} vs central differences (float64)",
                "max relative error",
            ),
            "tape_max_abs_diff": (
                f"{grad} vs tf.GradientTape on {keras} (float32)",
                "max |difference|",
            ),
            "keras_max_abs_diff": (f"{self['name']} vs {keras} (float32)", "max |difference|"),
        }
        rows = []
        for key, tolerance in REPORT_TOLERANCE.items():
            what, measure = compared[key]
            value = self[key]
            if value is None:
                what = what.split(" vs ")[0] + " vs Keras"
                verdict = f"skipped: Keras has no built-in {self['name']}"
            elif value == 0:
                verdict = "0 (identical)"
            else:
                verdict = (f"{value:.0e} < {tolerance:.0e}: ok" if value < tolerance
                           else f"{value:.0e} >= {tolerance:.0e}: FAILED")
            rows.append((what, measure, verdict))
        return rows

    def __repr__(self):
        shown = "".join(f", {key}={value}" for key, value in self["params"].items())
        rows = self.rows()
        width = [max(len(row[i]) for row in rows) for i in range(2)]
        lines = [(f"{self['name']}{shown}: {self['points']} points in [{self['low']:g}, "
                  f"{self['high']:g}]")]
        lines += [
            f"  {what:<{width[0]}}  {measure:<{width[1]}}  {verdict}"
            for what, measure, verdict in rows
        ]
        return "\n".join(lines)

    def _repr_pretty_(self, printer, cycle):
        printer.text(repr(self))


def derivative_report(name, x=None, **params):
    """Check the course activation `name` three ways and return a DerivativeReport (a dict).

    Keys: "finite_difference_rel_error" (`<name>_grad` against central differences of the
    function, float64), "tape_max_abs_diff" (against tf.GradientTape on the Keras built-in,
    float32) and "keras_max_abs_diff" (the function against the Keras built-in, float32);
    the Keras entries are None when Keras has no built-in (PReLU is a layer). `params`
    override the registry's parameters. `x` defaults to DERIVATIVE_GRID, which avoids corners.
    """
    from course_lib import activations

    entry = activations.get(name)
    params = {**entry.parameters, **params}
    x = DERIVATIVE_GRID if x is None else as_float_array(x).astype(np.float64)
    x32 = x.astype(np.float32)
    report = DerivativeReport(
        name=entry.name,
        params=params,
        keras_name=entry.keras_name,
        points=x.size,
        low=float(x.min()),
        high=float(x.max()),
        finite_difference_rel_error=relative_error(
            entry.grad(x, **params), numerical_derivative(lambda v: entry(v, **params), x)
        ),
        tape_max_abs_diff=None,
        keras_max_abs_diff=None,
    )
    keras_function = keras_activation(entry.name, **params)
    if keras_function is not None:
        exact = x32.astype(np.float64)  # the same float32 inputs, evaluated in float64
        report["tape_max_abs_diff"] = max_abs_difference(tape_derivative(keras_function, x32),
                                                         entry.grad(exact, **params))
        keras_values = np.asarray(keras_function(load_tensorflow().constant(x32)))
        report["keras_max_abs_diff"] = max_abs_difference(keras_values, entry(exact, **params))
    return report


def keras_parity_rows(name, x, **params):
    """Return rows {"x", "course_lib", "keras"}: the activation at the float32 points `x`, both
    ways.

    For a small side-by-side table (report.markdown_table); the largest difference over a fine
    grid is `derivative_report(name)["keras_max_abs_diff"]`.
    """
    from course_lib import activations

    entry = activations.get(name)
    keras_function = keras_activation(entry.name, **params)
    if keras_function is None:
        raise ValueError(f"{entry.name}: Keras has no built-in activation to compare with")
    x32 = as_float_array(x).astype(np.float32)
    ours, theirs = entry(x32, **params), np.asarray(keras_function(load_tensorflow().constant(x32)))
    return [
        {"x": float(point), "course_lib": float(a), "keras": float(b)}
        for point, a, b in zip(x32, ours, theirs)
    ]

# --- The hand-written MLP (course_lib.mlp) against finite differences and tf.GradientTape ----

def gradient_relative_error(a, b):
    """Return ||a - b|| / (||a|| + ||b||) over whole gradients (0 when both are 0).

    The gradient-check recipe's single number for a whole gradient: about 1e-7 or less
    when two float64 gradients agree. Unlike the elementwise `relative_error`, a tiny
    entry (1e-6, say) whose last digits differ does not dominate it. `a` and `b` are
    arrays, or lists of per-layer {"W": ..., "b": ...} dicts as `course_lib.mlp` returns.
    """
    a, b = _flat(a, "a"), _flat(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a and b: expected the same number of entries, got {a.size} and {b.size}")
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)


def _flat(grads, name):
    """Every entry of an array, or of a list of {"W", "b"} dicts, as one float64 vector."""
    if isinstance(grads, (list, tuple)) and grads and isinstance(grads[0], dict):
        return np.concatenate(
            [np.ravel(layer[key]) for layer in grads for key in ("W", "b")]
        ).astype(np.float64)
    return as_float_array(grads, name).astype(np.float64).ravel()


def mlp_numerical_gradients(params, x, y, activation, loss="bce", h=1e-5):
    """Return d cost / d every parameter of a `course_lib.mlp` network by central differences."""
    from course_lib import mlp

    grads = []
    for l, layer in enumerate(params):
        grads.append({})
        for key in ("W", "b"):
            def cost_of(value, l=l, key=key):
                nudged = list(params)
                nudged[l] = {**params[l], key: value}
                return mlp.cost(nudged, x, y, activation, loss)

            grads[l][key] = numerical_gradient(cost_of, layer[key], h=h)
    return grads


def mlp_tape_gradients(params, x, y, activation, loss="bce"):
    """Return the same gradients as `course_lib.mlp.gradients`, computed by tf.GradientTape in
    float64.

    The forward pass is written again in TensorFlow, with Keras' built-in activation
    (PReLU, which Keras has only as a layer, as Leaky ReLU with PReLU's alpha), so
    nothing of the hand-written code is shared with this reference.
    """
    from course_lib import activations

    tf = load_tensorflow()
    entry = activations.get(activation)
    g = (
        keras_activation(entry.name)
        if entry.keras_name
        else keras_activation("leaky_relu", **entry.parameters)
    )
    weights = [
        {key: tf.Variable(np.asarray(layer[key], dtype=np.float64)) for key in ("W", "b")}
        for layer in params
    ]
    y = tf.constant(as_float_array(y, "y").astype(np.float64))
    m = y.shape[1]
    with tf.GradientTape() as tape:
        a = tf.constant(as_float_array(x).astype(np.float64))
        for l, layer in enumerate(weights, start=1):
            z = layer["W"] @ a + layer["b"]
            a = g(z) if l < len(weights) else z
        if loss == "bce":
            cost = tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=z)) / m
        else:
            cost = tf.reduce_sum((y - z) ** 2) / m
    grads = tape.gradient(cost, weights)
    return [{key: grad[key].numpy() for key in ("W", "b")} for grad in grads]


def check_mlp_gradients(params, x, y, activation, loss="bce"):
    """Return the relative errors (`gradient_relative_error`) of the backpropagated gradients
    against central differences and against tf.GradientTape: {"finite differences": ...,
    "GradientTape": ...}.
    """
    from course_lib import mlp

    backprop = mlp.gradients(params, x, y, activation, loss)
    return {
        "finite differences": gradient_relative_error(
            backprop, mlp_numerical_gradients(params, x, y, activation, loss)
        ),
        "GradientTape": gradient_relative_error(
            backprop, mlp_tape_gradients(params, x, y, activation, loss)
        ),
    }


# --- The gradient check of notebook 11 as named results, with each error next to its tolerance ---

MLP_GRADIENT_TOLERANCE = 1e-7  # the gradient-check recipe's "agree" for float64 whole gradients

MLPCheckProblem = namedtuple("MLPCheckProblem", "params x y")
MLPCheckProblem.__doc__ = """A small network and data to check gradients on: `params`
(course_lib.mlp
layers), inputs `x` of shape (n_0, m) and 0/1 labels `y` of shape (1, m), examples in columns."""


@dataclass(frozen=True)
class MLPGradientCheck:
    """One activation's backpropagated gradients against the two references.

    vs_central_differences, vs_gradient_tape: `gradient_relative_error` of the whole gradient
    (every W and b of every layer) against `mlp_numerical_gradients` and `mlp_tape_gradients`.
    tolerance: the largest error still counted as agreement.
    """

    activation: str
    vs_central_differences: float
    vs_gradient_tape: float
    tolerance: float = MLP_GRADIENT_TOLERANCE

    @property
    def passed(self):
        """True when both errors are below the tolerance."""
        return max(self.vs_central_differences, self.vs_gradient_tape) < self.tolerance


def mlp_check_problem(seed, layer_sizes=(3, 5, 4, 1), m=8, bias_scale=0.1):
    """Return an MLPCheckProblem: a network of `layer_sizes` (`mlp.init_params`, He scaling), biases
    drawn from N(0, bias_scale^2) so that no unit sits at z = 0 by
    construction), m inputs from N(0, 1) and labels 0/1 with probability 1/2 each.

    Random biases keep the check away from ReLU's corner, where central differences measure the
    average of the two one-sided slopes instead of the derivative (notebook 11 shows it).
    Raises ValueError for fewer than two layer sizes or m < 1.
    """
    from course_lib import mlp

    layer_sizes = tuple(int(size) for size in layer_sizes)
    if len(layer_sizes) < 2 or min(layer_sizes) < 1 or int(m) < 1:
        raise ValueError(f"expected at least two positive layer sizes and m >= 1, got "
                         f"layer_sizes={layer_sizes}, m={m}")
    rng = np.random.default_rng(seed)
    params = mlp.init_params(list(layer_sizes), seed=seed)
    for layer in params:
        layer["b"] = rng.normal(0.0, bias_scale, size=layer["b"].shape)
    x = rng.normal(size=(layer_sizes[0], int(m)))
    y = (rng.random((1, int(m))) > 0.5).astype(float)
    return MLPCheckProblem(params, x, y)


def mlp_gradient_checks(params, x, y, activations, loss="bce", tolerance=MLP_GRADIENT_TOLERANCE):
    """Return one MLPGradientCheck per name in `activations` (an iterable of course activations):
    `course_lib.mlp.gradients` against central differences and against tf.GradientTape."""
    results = []
    for name in activations:
        errors = check_mlp_gradients(params, x, y, name, loss)
        results.append(MLPGradientCheck(name, errors["finite differences"],
                                        errors["GradientTape"], tolerance))
    return results


def gradient_check_table(checks):
    """Return a table (course_lib.report.markdown_table) of MLPGradientCheck results: each measured
    error, as its order of magnitude (`report.order_of_magnitude`), next to the tolerance."""
    from course_lib.report import markdown_table, order_of_magnitude

    return markdown_table([
        {"activation": result.activation,
         "error vs central differences": order_of_magnitude(result.vs_central_differences),
         "error vs tf.GradientTape": order_of_magnitude(result.vs_gradient_tape),
         "tolerance": f"{result.tolerance:.0e}",
         "within tolerance": result.passed}
        for result in checks
    ])
