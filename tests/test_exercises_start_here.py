"""Tests of the start-here check: the common mistake of an `if` on a whole array gets a hint."""

import numpy as np

from course_lib.exercises import verdict


def test_check_start_here_1_turns_an_if_on_an_array_into_a_hint():
    def step(x):
        return 1.0 if x > 0 else 0.0

    status, message = verdict("start_here.1", step)
    assert status == "wrong" and "Hint:" in message and "elementwise" in message


def test_check_start_here_1_accepts_numpy_answers():
    assert verdict("start_here.1", lambda x: np.heaviside(x, 0.0))[0] == "correct"
    assert verdict("start_here.1", lambda x: (x > 0).astype(float))[0] == "correct"
