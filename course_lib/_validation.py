"""Turn what a learner passes in into a float NumPy array, or say clearly why not; evaluate
elementwise formulas on it (validate, compute in float64, round once back to the input's dtype)."""

import math
import numbers

import numpy as np

_FLOAT_KINDS = "f"  # float16, float32, float64 (and longdouble) keep their dtype
_PROMOTED_KINDS = "biu"  # bool and integers become float64


def is_bfloat16(dtype):
    """True for ml_dtypes.bfloat16 (TensorFlow's and JAX's 16-bit float), known by its name so
    that ml_dtypes is needed only by whoever made such an array."""
    return dtype.name == "bfloat16" and _from_ml_dtypes(dtype)


def _from_ml_dtypes(dtype):
    return dtype.type.__module__.startswith("ml_dtypes")


def as_float_array(x, name="x", copy=True, bfloat16=False):
    """Return `x` as a floating-point ndarray: a new array unless copy=False (then x itself
    when it already is one; the caller must not write into it).

    Floats keep their dtype; bools, integers and lists of them become float64. bfloat16
    (ml_dtypes) is kept with bfloat16=True, for callers that compute in float64 and round
    back; otherwise it raises TypeError asking for a cast to float32. Anything else (str,
    None, complex, objects) raises TypeError saying what was expected.
    """
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(f"{name}: expected real numbers (a number, list or NumPy array), "
                        f"got {type(x).__name__}")
    if isinstance(x, numbers.Complex) and not isinstance(x, numbers.Real):
        raise TypeError(f"{name}: expected real numbers, got complex; take .real or abs() first")
    try:
        array = np.array(x) if copy else np.asarray(x)  # a copy: nothing reaches the caller's data
    except (ValueError, TypeError) as error:
        raise TypeError(f"{name}: expected real numbers in a regular (rectangular) shape: "
                        f"{error}") from None
    kind = array.dtype.kind
    if kind in _FLOAT_KINDS or (bfloat16 and is_bfloat16(array.dtype)):
        return array
    if kind in _PROMOTED_KINDS:
        return array.astype(np.float64)
    if kind == "c":
        raise TypeError(f"{name}: expected real numbers, got complex dtype {array.dtype}; "
                        "take .real or abs() first")
    if _from_ml_dtypes(array.dtype):
        accepted = "float16, float32 or float64" + (" (or bfloat16)" if bfloat16 else "")
        raise TypeError(f"{name}: expected real numbers in {accepted}, got dtype {array.dtype}; "
                        "cast to float32 first (x.astype(np.float32))")
    raise TypeError(f"{name}: expected real numbers (a number, list or NumPy array), "
                    f"got dtype {array.dtype}")


def to_bfloat16(y, bfloat16):
    """float64 `y` rounded once to `bfloat16` (the dtype; round to nearest, ties to even).

    Casting float64 to bfloat16 goes through float32 and rounds twice, which is wrong at
    about one input in 2^16 (just above a tie). Rounding to float32 with "round to odd"
    first (an inexact result keeps its last bit set) makes the second rounding exact.
    """
    with np.errstate(over="ignore", under="ignore"):
        y32 = y.astype(np.float32)
    bits = y32.view(np.uint32)
    inexact = (y32 != y) & ~np.isnan(y) & (bits & 1 == 0)
    if np.any(inexact):
        toward_y = np.where(np.abs(y) > np.abs(y32), 1, -1).astype(np.int64)
        bits[inexact] = (bits[inexact].astype(np.int64) + toward_y[inexact]).astype(np.uint32)
    return y32.astype(bfloat16)


# ---------------------------------------------------------------------------
# Evaluation and parameters of the elementwise functions (course_lib.activations).

def elementwise(formula, x, *parameters, blocks=True):
    """Validate `x`, evaluate `formula` on it in float64 and round once back to x's dtype;
    with blocks=True (for formulas of several passes) block by block, see _in_blocks.

    `formula` sees a read-only float64 array of at least one dimension (x itself when x is
    a float64 array: no copy) and returns a new array. Underflow to a subnormal number or
    to 0 is the correctly rounded answer of every formula here, so it is not reported;
    results beyond the dtype's range become +-inf without a warning.
    """
    x = as_float_array(x, copy=False, bfloat16=True)
    with np.errstate(under="ignore", over="ignore"):
        x64 = x.astype(np.float64, copy=False).reshape(x.shape or (1,))  # at least 1-d
    if x64.flags.writeable:
        x64 = x64.view()
        x64.flags.writeable = False  # a formula that writes into its input fails loudly
    with np.errstate(under="ignore"):
        y = _in_blocks(formula, x64, parameters, blocks)
    if np.may_share_memory(y, x):
        y = y.copy()  # the identity: the result is a new array
    if is_bfloat16(x.dtype):
        y = to_bfloat16(y, x.dtype)
    with np.errstate(under="ignore", over="ignore"):
        y = y.astype(x.dtype, copy=False).reshape(x.shape)
    return y[()]  # a 0-d result becomes a NumPy scalar, an array stays an array


_BLOCK = 1 << 15  # elements: a formula's temporaries (256 KiB each) stay in the cache


def _in_blocks(formula, x64, parameters, blocks=True):
    """formula(x64, *parameters), evaluated block by block when x64 is large and every
    parameter a scalar (the formulas are elementwise). A formula makes several passes over
    its input; on blocks, its temporaries stay in the processor's cache instead of going
    to memory, which is what makes the careful formulas nearly as fast as the plain ones."""
    small = x64.size <= 2 * _BLOCK
    if not blocks or small or any(np.ndim(parameter) for parameter in parameters):
        return np.asarray(formula(x64, *parameters), dtype=np.float64)
    flat = x64.reshape(-1)
    flat.flags.writeable = False  # a copy when x64 is not contiguous
    y = np.empty(flat.shape)
    for start in range(0, flat.size, _BLOCK):
        y[start:start + _BLOCK] = formula(flat[start:start + _BLOCK], *parameters)
    return y.reshape(x64.shape)


def real_parameter(value, name, minimum=None):
    """Return `value` as a finite float, or raise saying what was expected.

    Any real scalar is accepted: a Python int or float, a NumPy scalar (np.float32(0.1)) or a
    0-d array (np.array(0.1)); bools are not numbers here.
    """
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value[()]  # the NumPy scalar inside
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        if isinstance(value, np.ndarray):
            raise TypeError(f"{name}: expected a real number (a scalar), got an array of shape "
                            f"{value.shape} and dtype {value.dtype}")
        raise TypeError(f"{name}: expected a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name}: expected a finite number, got {value}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name}: expected a number >= {minimum}, got {value}")
    return value


def boolean_parameter(value, name):
    """Return `value` as a bool, or raise if it is not True or False (a NumPy bool, or a 0-d
    bool array, counts)."""
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype == np.bool_:
        value = value[()]
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}: expected True or False, got {type(value).__name__} {value!r}")
    return bool(value)


def slope_array(alpha, x):
    """Validate PReLU's alpha: finite real numbers whose shape broadcasts to x's shape."""
    alpha = as_float_array(alpha, "alpha").astype(np.float64)
    if not np.all(np.isfinite(alpha)):
        raise ValueError("alpha: expected finite numbers, got inf or nan")
    shape = as_float_array(x, copy=False, bfloat16=True).shape
    try:
        broadcast = np.broadcast_shapes(alpha.shape, shape)
    except ValueError:
        broadcast = None
    if broadcast != shape:
        raise ValueError("alpha: expected a scalar or an array broadcastable to x's shape "
                         f"{shape}, got shape {alpha.shape}")
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
        raise ValueError(f"{name}: expected an even length along axis {axis} (it is split into "
                         f"two halves), "
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
        raise ValueError(f"upstream: expected the output's shape {tuple(shape)}, got "
                         f"{upstream.shape}")
    return upstream.astype(np.float64)


def rounded_to(values, dtype):
    """Round float64 results once to `dtype`; overflow to inf and underflow to 0 are the answers."""
    with np.errstate(over="ignore", under="ignore"):
        return np.asarray(values).astype(dtype)
