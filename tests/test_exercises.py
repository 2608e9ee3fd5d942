"""Tests of the exercise mechanism and of the checks of notebooks 00 and 01."""

import numpy as np
import pytest

from course_lib import exercises
from course_lib.exercises import check, verdict


def test_every_notebook_exercise_is_registered_once_with_a_proper_name():
    names = exercises.list_exercises()
    assert {"00.1", "01.1", "01.2"} <= set(names)
    assert all(len(name.split(".")) == 2 and name[:2].isdigit() for name in names)


def test_unknown_exercise_lists_known_ones():
    with pytest.raises(KeyError, match="no exercise called '99.9'; known: 00.1"):
        verdict("99.9", 1)


def test_check_prints_and_never_raises(capsys):
    check("00.1", lambda x: 1 / 0)
    assert "your code raised ZeroDivisionError" in capsys.readouterr().out


def test_registering_twice_is_an_error():
    with pytest.raises(ValueError, match="registered twice"):
        exercises.exercise("00.1")(lambda answer: None)


def test_function_returning_none_gets_a_hint():
    status, message = verdict("00.1", lambda x: None)
    assert status == "wrong" and "forget `return`" in message


# 00.1: the step function
@pytest.mark.parametrize("answer, status", [
    (lambda x: (np.asarray(x) > 0).astype(float), "correct"),
    (lambda x: (np.asarray(x) >= 0).astype(float), "wrong"),   # fires at 0
    (lambda x: 1.0, "wrong"),                                  # not elementwise
    (lambda x: ..., "not attempted"),
    (..., "not attempted"),
])
def test_check_00_1(answer, status):
    assert verdict("00.1", answer)[0] == status


# 01.1: collapse two affine layers
@pytest.mark.parametrize("answer, status, hint", [
    (lambda W1, b1, W2, b2: (W2 @ W1, W2 @ b1 + b2), "correct", ""),
    (lambda W1, b1, W2, b2: (W2 @ W1, b2), "wrong", "b is not"),
    (lambda W1, b1, W2, b2: (W1.T @ W2.T, W2 @ b1 + b2), "wrong", "shape (2, 3)"),
    (lambda W1, b1, W2, b2: W2 @ W1, "wrong", "return a pair"),
    (lambda W1, b1, W2, b2: (..., ...), "not attempted", ""),
])
def test_check_01_1(answer, status, hint):
    got_status, message = verdict("01.1", answer)
    assert got_status == status and hint in message


# 01.2: XOR by hand
def test_check_01_2_accepts_a_solution_and_rejects_linear_weights():
    solution = (np.ones((2, 2)), np.array([0.0, -1.0]), np.array([1.0, -2.0]), 0.0)
    assert verdict("01.2", solution)[0] == "correct"
    status, message = verdict("01.2", (np.ones((2, 2)), np.zeros(2), np.array([1.0, 0.0]), 0.0))
    assert status == "wrong" and "expected [0, 1, 1, 0]" in message
    assert verdict("01.2", (..., ..., ..., ...))[0] == "not attempted"
