"""Turn what a learner passes in into a float NumPy array, or say clearly why not."""

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
