"""Helpers for the nbgrader autograder cells: when grading runs, and answers written by hand.

Each exercise has a locked autograder cell after its (hidden) solution cell::

    # Autograder: exercise tanh.1, 2 points. It runs only when nbgrader grades this notebook.
    ### BEGIN HIDDEN TESTS
    if autograding():
        x = np.linspace(-30.0, 30.0, 121)
        answer = by_hand(sigmoid_from_tanh)
        assert np.allclose(answer(x), 1 / (1 + np.exp(-x)), rtol=0, atol=1e-12)
    ### END HIDDEN TESTS

In self-study the guard keeps the cell silent (the learner's `check(...)` gives the feedback);
in the student version nbgrader removes the hidden region, leaving the comment. The expected
values come from NumPy/SciPy, never from `course_lib.exercises`.
"""

import functools
import os
import types

__all__ = ["autograding", "by_hand", "UsesCourseLib"]

GRADING_MODES = ("autograde", "validate")


def autograding():
    """Return True while nbgrader executes the notebook (`nbgrader autograde` or `validate`).

    nbgrader sets the environment variable NBGRADER_EXECUTION to "autograde" or "validate" in the
    kernel it starts; anywhere else (JupyterLab, nbval) this returns False.
    """
    return os.environ.get("NBGRADER_EXECUTION", "") in GRADING_MODES


class UsesCourseLib(AssertionError):
    """Raised when an answer calls course_lib instead of computing the result itself."""


def by_hand(function, allowed=()):
    """Return `function` wrapped so that any call into course_lib from its globals fails.

    While the wrapper runs, every name in `function.__globals__` bound to a course_lib module,
    function or class (other than those in `allowed`) is replaced by a stand-in that raises
    `UsesCourseLib` naming it; the names are restored afterwards, even on error. An answer that
    only calls the course_lib function the exercise asks the learner to write then fails.

    function: a Python function defined in the notebook (its globals are the notebook's).
    allowed: course_lib objects the exercise lets the answer use (e.g. `sigmoid` when it says so).
    Raises TypeError when `function` is not a Python function.
    """
    if not isinstance(function, types.FunctionType):
        raise TypeError(f"by_hand: expected a function defined in the notebook, got "
                        f"{type(function).__name__}")
    allowed_ids = {id(item) for item in allowed}

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        namespace = function.__globals__
        blocked = {name: value for name, value in namespace.items()
                   if _from_course_lib(value) and id(value) not in allowed_ids}
        try:
            for name in blocked:
                namespace[name] = _Blocked(name, function.__name__)
            return function(*args, **kwargs)
        finally:
            namespace.update(blocked)

    return wrapper


def _from_course_lib(value):
    """True for course_lib's modules, and for its functions and classes (not for plain data)."""
    if isinstance(value, types.ModuleType):
        name = value.__name__
    elif callable(value):
        name = getattr(value, "__module__", None) or ""
    else:
        return False
    return name == "course_lib" or name.startswith("course_lib.")


class _Blocked:
    """Stands for a course_lib name during `by_hand`: calling it or reading from it fails."""

    def __init__(self, name, answer):
        self._message = (f"{answer} uses course_lib's {name!r}: the exercise asks you to compute "
                         "it yourself, with NumPy")

    def __call__(self, *args, **kwargs):
        raise UsesCourseLib(self._message)

    def __getattr__(self, attribute):
        raise UsesCourseLib(self._message)
