"""For self-study checks: an answer that only calls course_lib gets a hint, not full marks.

The autograder cells wrap the learner's function with `course_lib.grading.by_hand`, which makes
any course_lib call inside it raise `UsesCourseLib`. A check uses `answer_by_hand` instead, so the
same mistake reads as a hint (a check never raises).
"""

import types

from course_lib.exercises import Hint, attempted
from course_lib.grading import UsesCourseLib, by_hand


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
        raise Hint("that is course_lib's own function: the exercise asks you to write it yourself")
    if not isinstance(function, types.FunctionType):
        return function
    wrapped = by_hand(function, allowed)

    def answer(*args, **kwargs):
        try:
            return wrapped(*args, **kwargs)
        except UsesCourseLib as used:
            raise Hint(f"{used}{'; ' + note if note else ''}") from None

    return answer
