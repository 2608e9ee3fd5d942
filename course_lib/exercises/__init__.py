"""Exercise checks: one call tells a learner "correct", "not yet, here is a hint" or "not started".

How an exercise looks in a notebook (the same in every notebook)::

    # the learner's cell: replace each ... with your code
    def sigmoid_from_tanh(x):
        return ...

    check("tanh.1", sigmoid_from_tanh)

A check never raises, so a notebook with untouched stubs still runs top to bottom.
The solution sits in the hidden cell just below, between ``### BEGIN SOLUTION`` and
``### END SOLUTION`` (nbgrader's markers), and ends with the same check, so CI
proves every solution passes.

The checks live in one module per notebook, named after its topic (``linearity.py``,
``tanh.py``, ...), each registering its exercises with ``@exercise("tanh.1")``: the topic, a
dot, and the exercise's number within its notebook. No name carries a notebook's number, so a
renumbering of the course renames neither the modules nor the exercises. Every module of this
package is imported here.
"""

import importlib
import numbers
import pkgutil
import types

import numpy as np

from course_lib.grading import UsesCourseLib, by_hand

__all__ = [
    "check",
    "verdict",
    "exercise",
    "Hint",
    "NotAttempted",
    "attempted",
    "call",
    "call_elementwise",
    "call_without_overflow",
    "mismatches",
    "number",
    "list_exercises",
    "answer_by_hand",
]

_CHECKS = {}


class Hint(Exception):
    """Raised by a check when the answer is wrong; the message is the hint shown to the learner."""


class NotAttempted(Exception):
    """Raised by a check when the answer is still the `...` placeholder."""


def exercise(name):
    """Register the decorated function as the check for exercise `name` (e.g. "linearity.2")."""

    def register(check_function):
        if name in _CHECKS:
            raise ValueError(f"exercise {name!r} is registered twice")
        _CHECKS[name] = check_function
        return check_function

    return register


def attempted(value):
    """Return `value`, or raise NotAttempted if it is (or contains) the `...` placeholder."""
    if value is Ellipsis:
        raise NotAttempted
    if isinstance(value, (tuple, list)) and any(item is Ellipsis for item in value):
        raise NotAttempted
    return value


def call(function, *args, **kwargs):
    """Call the learner's function; a stub that returns `...` counts as not attempted."""
    attempted(function)
    result = function(*args, **kwargs)
    attempted(result)
    if result is None:
        raise Hint("your function returned None: did you forget `return`?")
    return result


# What NumPy says when code written for one number gets a whole array (math.exp(x), float(x),
# `if x > 0`): the learner gets a hint instead of the raw error.
SCALAR_ONLY_ERRORS = ("only 0-dimensional arrays", "only length-1 arrays", "only size-1 arrays",
                      "truth value of an array")


def call_elementwise(function, x):
    """Call the learner's function on the array `x`; return a float array of x's shape, or give a
    hint.

    Code that treats the array as one number (math.log(x), float(x), `if x > 0`) gets a hint to
    use NumPy's elementwise functions instead of the raw TypeError or ValueError.
    """
    try:
        result = np.asarray(call(function, x), dtype=float)
    except (TypeError, ValueError) as error:
        if not any(text in str(error) for text in SCALAR_ONLY_ERRORS):
            raise
        raise Hint(f"your function gets a NumPy array of {np.size(x)} values and treated it as one "
                   "number (math.log, float(...) or `if` on the array?): use NumPy's elementwise "
                   "functions (np.log, np.exp, np.where) so it works on every element") from None
    if result.shape != np.shape(x):
        raise Hint(f"work elementwise: for an input of shape {np.shape(x)} you returned shape "
                   f"{result.shape}")
    return result


def call_without_overflow(function, x, hint):
    """`call_elementwise`, with overflow and invalid operations (inf - inf, inf / inf) reported as
    `hint`."""
    try:
        with np.errstate(over="raise", invalid="raise"):
            return call_elementwise(function, x)
    except (FloatingPointError, OverflowError):
        raise Hint(hint) from None


def mismatches(result, expected, x, rtol=1e-12):
    """Return the inputs `x` (a list) where `result` is not within relative `rtol` of `expected`."""
    return np.asarray(x)[~np.isclose(result, expected, rtol=rtol, atol=0)].tolist()


def number(value):
    """Return the learner's answer as a float when it is one real number; else NotAttempted or a
    hint."""
    attempted(value)
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        raise Hint(f"give one number; got {type(value).__name__}")
    return float(value)


def answer_by_hand(function, allowed=(), note=""):
    """Return `function` wrapped so that a call into course_lib (other than `allowed`) is a Hint.

    function: the learner's answer; `...` counts as not attempted. A course_lib function passed
    as the answer itself (e.g. `activations.relu6_grad`) is a Hint; anything else that is not a
    Python function (a NumPy ufunc, a callable object) is returned unwrapped. `note` is added to
    the hint (e.g. which name the exercise does let you use).
    """
    attempted(function)
    module = getattr(function, "__module__", None) or ""
    if module == "course_lib" or module.startswith("course_lib."):
        raise Hint(f"that is course_lib's own {function.__name__}: the exercise asks you to write "
                   "it yourself")
    if not isinstance(function, types.FunctionType):
        return function
    wrapped = by_hand(function, allowed)

    def answer(*args, **kwargs):
        try:
            return wrapped(*args, **kwargs)
        except UsesCourseLib as used:
            raise Hint(f"{used}{'; ' + note if note else ''}") from None

    return answer


def list_exercises():
    """Return the names of all registered exercises, sorted."""
    _load_all()
    return sorted(_CHECKS)


def verdict(name, answer):
    """Return (status, message) for `answer` to exercise `name`; status is "correct", "wrong" or
    "not attempted"."""
    _load_all()
    if name not in _CHECKS:
        raise KeyError(f"no exercise called {name!r}; known: {', '.join(sorted(_CHECKS))}")
    try:
        _CHECKS[name](answer)
    except NotAttempted:
        return "not attempted", (f"[ ] Exercise {name}: not attempted yet. Replace each ... in the "
                                 f"cell above, then run it again.")
    except Hint as hint:
        return "wrong", f"[x] Exercise {name}: not yet. Hint: {hint}"
    # the learner's code failed: show it as a hint, never crash the notebook
    except Exception as error:
        return "wrong", f"[x] Exercise {name}: your code raised {type(error).__name__}: {error}"
    return "correct", f"[ok] Exercise {name}: correct."


def check(name, answer):
    """Check `answer` for exercise `name` and print the verdict: correct, a hint, or not attempted
    yet."""
    print(verdict(name, answer)[1])


def _load_all():
    """Import every public module of this package so that their checks are registered."""
    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")
