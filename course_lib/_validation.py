"""Turn what a learner passes in into a float NumPy array, or say clearly why not; evaluate
elementwise formulas on it (validate, compute in float64, round once back to the input's dtype)."""

import math
import numbers

import numpy as np

_FLOAT_KINDS = "f"  # float16, float32, float64 (and longdouble) keep their dtype
_PROMOTED_KINDS = "biu"  # bool and integers become float64


def as_float_array(x, name="x"):
    """Return `x` as a floating-point ndarray (a new array: the input is never modified).

    Floats keep their dtype; bools, integers and lists of them become float64.
    Anything else (str, None, complex, objects) raises TypeError saying what was expected.
    """
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(f"{name}: expected real numbers (a number, list or NumPy array), got {type(x).__name__}")
    if isinstance(x, numbers.Complex) and not isinstance(x, numbers.Real):
        raise TypeError(f"{name}: expected real numbers, got complex; take .real or abs() first")
    try:
        array = np.array(x)  # always a copy, so nothing we do reaches the caller's data
    except (ValueError, TypeError) as error:
        raise TypeError(f"{name}: expected real numbers in a regular (rectangular) shape: {error}") from None
    kind = array.dtype.kind
    if kind in _FLOAT_KINDS:
        return array
    if kind in _PROMOTED_KINDS:
        return array.astype(np.float64)
    if kind == "c":
        raise TypeError(f"{name}: expected real numbers, got complex dtype {array.dtype}; take .real or abs() first")
    raise TypeError(f"{name}: expected real numbers (a number, list or NumPy array), got dtype {array.dtype}")


# ---------------------------------------------------------------------------
# Evaluation and parameters of the elementwise functions (course_lib.activations).

def elementwise(formula, x, *parameters):
    """Validate `x`, evaluate `formula` on it in float64 and round once back to x's dtype.

    Underflow to a subnormal number or to 0 is the correctly rounded answer of
    every formula here, so it is not reported; results beyond the dtype's range
    become +-inf without a warning.
    """
    x = as_float_array(x)
    with np.errstate(under="ignore", over="ignore"):
        x64 = x.astype(np.float64).reshape(x.shape or (1,))  # formulas see at least 1-d arrays
    with np.errstate(under="ignore"):
        y = np.asarray(formula(x64, *parameters), dtype=np.float64)
    with np.errstate(under="ignore", over="ignore"):
        y = y.astype(x.dtype, copy=False).reshape(x.shape)
    return y[()]  # a 0-d result becomes a NumPy scalar, an array stays an array


def real_parameter(value, name, minimum=None):
    """Return `value` as a finite float, or raise saying what was expected."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: expected a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name}: expected a finite number, got {value}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name}: expected a number >= {minimum}, got {value}")
    return value


def boolean_parameter(value, name):
    """Return `value` as a bool, or raise if it is not True or False."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}: expected True or False, got {type(value).__name__} {value!r}")
    return bool(value)


def slope_array(alpha, x):
    """Validate PReLU's alpha: finite real numbers whose shape broadcasts to x's shape."""
    alpha = as_float_array(alpha, "alpha").astype(np.float64)
    if not np.all(np.isfinite(alpha)):
        raise ValueError("alpha: expected finite numbers, got inf or nan")
    shape = np.shape(as_float_array(x))
    try:
        broadcast = np.broadcast_shapes(alpha.shape, shape)
    except ValueError:
        broadcast = None
    if broadcast != shape:
        raise ValueError(f"alpha: expected a scalar or an array broadcastable to x's shape {shape}, "
                         f"got shape {alpha.shape}")
    return alpha


def positive_parameter(value, name):
    """Return `value` as a finite float > 0, or raise saying what was expected."""
    value = real_parameter(value, name)
    if not value > 0:
        raise ValueError(f"{name}: expected a number > 0, got {value}")
    return value


def halves(x, axis, name="x"):
    """Validate `x` and split it along `axis` into two equal halves (float64), for the gated
    units: returns (first half, second half, x's dtype, the axis as an index >= 0)."""
    x = as_float_array(x, name)
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"axis: expected an int, got {type(axis).__name__}")
    if x.ndim == 0:
        raise ValueError(f"{name}: expected at least one axis, got a scalar")
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"axis: expected an int in [{-x.ndim}, {x.ndim - 1}] for an array with "
                         f"{x.ndim} dimension{'s' if x.ndim != 1 else ''}, got {axis}")
    axis = int(axis) % x.ndim
    length = x.shape[axis]
    if length % 2:
        raise ValueError(f"{name}: expected an even length along axis {axis} (it is split into two halves), "
                         f"got length {length} in shape {x.shape}")
    with np.errstate(over="ignore", under="ignore"):
        x64 = x.astype(np.float64)
    a, b = np.split(x64, 2, axis=axis)
    return a, b, x.dtype, axis


def upstream_gradient(upstream, shape):
    """Validate the upstream gradient dL/dy of a vector function whose output has `shape`
    (ones when None: the derivative of the sum of the outputs)."""
    if upstream is None:
        return np.ones(shape)
    upstream = as_float_array(upstream, "upstream")
    if upstream.shape != tuple(shape):
        raise ValueError(f"upstream: expected the output's shape {tuple(shape)}, got {upstream.shape}")
    return upstream.astype(np.float64)


def rounded_to(values, dtype):
    """Round float64 results once to `dtype`; overflow to inf and underflow to 0 are the answers."""
    with np.errstate(over="ignore", under="ignore"):
        return np.asarray(values).astype(dtype)
