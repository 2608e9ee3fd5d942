"""Tests of the linearity-collapse checks added in round 3 (linearity.1's shape hint,
linearity.3)."""

import pytest

from course_lib.exercises import verdict


def test_check_linearity_1_turns_the_shape_error_of_b1_plus_b2_into_a_hint():
    status, message = verdict("linearity.1", lambda W1, b1, W2, b2: (W2 @ W1, b1 + b2))
    assert status == "wrong" and "Hint:" in message and "second layer" in message
    assert "raised ValueError" not in message


RIGHT = {"3z": True, "z + 1": True, "z**2": False, "relu": False}


@pytest.mark.parametrize("answer, status, hint", [
    (RIGHT, "correct", ""),
    ({**RIGHT, "z + 1": False}, "wrong", "where can the + 1 go"),
    ({**RIGHT, "relu": True}, "wrong", "relu bends at 0"),
    ({**RIGHT, "z**2": True}, "wrong", "x**2"),
    ({**RIGHT, "3z": "yes"}, "wrong", "True or False"),
    ({"3z": True}, "wrong", "the keys"),
    ({key: ... for key in RIGHT}, "not attempted", ""),
    (..., "not attempted", ""),
])
def test_check_linearity_3(answer, status, hint):
    got_status, message = verdict("linearity.3", answer)
    assert got_status == status and hint in message
