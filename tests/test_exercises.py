"""Tests of the exercise mechanism and of the checks of the start-here and linearity-collapse
notebooks."""

import re

import numpy as np
import pytest

from course_lib import exercises
from course_lib.exercises import check, verdict


def test_every_notebook_exercise_is_registered_once_with_a_proper_name():
    names = exercises.list_exercises()
    assert {"start_here.1", "linearity.1", "linearity.2"} <= set(names)
    # topic.number, never a notebook's number: "tanh.1", not "03.1"
    assert all(re.fullmatch(r"[a-z][a-z_]*\.[1-9][0-9]*", name) for name in names), names


def test_unknown_exercise_lists_known_ones():
    with pytest.raises(KeyError, match="no exercise called 'nowhere.9'; known: .*tanh[.]1"):
        verdict("nowhere.9", 1)


def test_check_prints_and_never_raises(capsys):
    check("start_here.1", lambda x: 1 / 0)
    assert "your code raised ZeroDivisionError" in capsys.readouterr().out


def test_registering_twice_is_an_error():
    with pytest.raises(ValueError, match="registered twice"):
        exercises.exercise("start_here.1")(lambda answer: None)


def test_function_returning_none_gets_a_hint():
    status, message = verdict("start_here.1", lambda x: None)
    assert status == "wrong" and "forget `return`" in message


# start_here.1: the step function
@pytest.mark.parametrize("answer, status", [
    (lambda x: (np.asarray(x) > 0).astype(float), "correct"),
    (lambda x: (np.asarray(x) >= 0).astype(float), "wrong"),   # fires at 0
    (lambda x: 1.0, "wrong"),                                  # not elementwise
    (lambda x: ..., "not attempted"),
    (..., "not attempted"),
])
def test_check_start_here_1(answer, status):
    assert verdict("start_here.1", answer)[0] == status


# linearity.1: collapse two affine layers
@pytest.mark.parametrize("answer, status, hint", [
    (lambda W1, b1, W2, b2: (W2 @ W1, W2 @ b1 + b2), "correct", ""),
    (lambda W1, b1, W2, b2: (W2 @ W1, b2), "wrong", "b is not"),
    (lambda W1, b1, W2, b2: (W1.T @ W2.T, W2 @ b1 + b2), "wrong", "shape (2, 3)"),
    (lambda W1, b1, W2, b2: W2 @ W1, "wrong", "return a pair"),
    (lambda W1, b1, W2, b2: (..., ...), "not attempted", ""),
])
def test_check_linearity_1(answer, status, hint):
    got_status, message = verdict("linearity.1", answer)
    assert got_status == status and hint in message


# linearity.2: XOR by hand
def test_check_linearity_2_accepts_a_solution_and_rejects_linear_weights():
    solution = (np.ones((2, 2)), np.array([0.0, -1.0]), np.array([1.0, -2.0]), 0.0)
    assert verdict("linearity.2", solution)[0] == "correct"
    status, message = verdict(
        "linearity.2", (np.ones((2, 2)), np.zeros(2), np.array([1.0, 0.0]), 0.0)
    )
    assert status == "wrong" and "expected [0, 1, 1, 0]" in message
    assert verdict("linearity.2", (..., ..., ..., ...))[0] == "not attempted"


# Helpers the checks share: call_elementwise, number, call_without_overflow, mismatches
def test_call_elementwise_returns_floats_of_the_input_shape_or_hints():
    from course_lib.exercises import Hint, NotAttempted, call_elementwise

    np.testing.assert_array_equal(
        call_elementwise(lambda x: x > 0, np.array([-1.0, 2.0])), [0.0, 1.0]
    )
    with pytest.raises(Hint, match=(r"work elementwise: for an input of shape \(2,\) you returned "
                                    r"shape \(\)")):
        call_elementwise(lambda x: 1.0, np.array([-1.0, 2.0]))
    with pytest.raises(NotAttempted):
        call_elementwise(lambda x: ..., np.array([1.0]))


@pytest.mark.parametrize(
    "answer, outcome",
    [
        (3, 3.0),
        (np.float32(0.5), 0.5),
        (np.int64(2), 2.0),
        ("3", "give one number; got str"),
        (True, "give one number; got bool"),
        ([1.0], "give one number; got list"),
    ],
)
def test_number_accepts_one_real_number(answer, outcome):
    from course_lib.exercises import Hint, number

    if isinstance(outcome, str):
        with pytest.raises(Hint, match=outcome):
            number(answer)
    else:
        assert number(answer) == outcome and isinstance(number(answer), float)


def test_call_without_overflow_turns_overflow_into_the_hint():
    from course_lib.exercises import Hint, call_without_overflow

    with pytest.raises(Hint, match="use exp"):
        call_without_overflow(np.exp, np.array([1000.0]), "use exp(-|x|)")
    with pytest.raises(Hint, match="use exp"):
        call_without_overflow(lambda x: x / x, np.array([np.inf]), "use exp(-|x|)")
    np.testing.assert_array_equal(call_without_overflow(np.exp, np.array([0.0]), "never"), [1.0])


def test_mismatches_lists_the_inputs_where_values_differ():
    from course_lib.exercises import mismatches

    x = np.array([1.0, 2.0, 3.0])
    assert mismatches(np.array([1.0, 2.5, 3.0]), np.array([1.0, 2.0, 3.0]), x) == [2.0]
    assert mismatches(x, x * (1 + 1e-14), x) == []
