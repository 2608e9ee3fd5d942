"""Tests of the checks of the notebook on ReLU networks: the solution passes, wrong answers get
hints."""

import pytest

from course_lib.exercises import verdict
from course_lib.exercises.relu_networks import lines_regions

SOLUTION = {"slope": 2.0, "intercept": 2.0, "coefficients": [-3.0, 1.0]}


@pytest.mark.parametrize("answer, status, hint", [
    (SOLUTION, "correct", ""),
    ({"slope": 2, "intercept": 2, "coefficients": (-3, 1)}, "correct", ""),
    ({"slope": 2.0, "intercept": 2.0, "coefficients": [-1.0, 0.0]}, "wrong", "change* of slope"),
    ({"slope": -1.0, "intercept": 2.0, "coefficients": [-3.0, 1.0]}, "wrong",
     "slope of the first segment"),
    ({"slope": 2.0, "intercept": 0.0, "coefficients": [-3.0, 1.0]}, "wrong",
     "through the first point"),
    ({"slope": 2.0, "intercept": 2.0, "coefficients": [-3.0, 0.0]}, "wrong", "wrong from x = 1"),
    ({"slope": 2.0, "intercept": 2.0, "coefficients": [-3.0]}, "wrong", "one coefficient per knot"),
    ({"slope": 2.0, "intercept": 2.0}, "wrong", "keys"),
    ({"slope": ..., "intercept": ..., "coefficients": [..., ...]}, "not attempted", ""),
    ({"slope": 2.0, "intercept": ..., "coefficients": [-3.0, 1.0]}, "not attempted", ""),
])
def test_check_relu_networks_1(answer, status, hint):
    got_status, message = verdict("relu_networks.1", answer)
    assert got_status == status and hint in message, message


def test_the_lines_make_nine_regions():
    assert lines_regions() == 9


@pytest.mark.parametrize("answer, status, hint", [
    (9, "correct", ""),
    (9.0, "correct", ""),
    (11, "wrong", "general position"),
    (16, "wrong", "not every on/off pattern"),
    (5, "wrong", "on a line"),
    (10, "wrong", "no small triangle"),
    (7, "wrong", "sketch the four lines"),
    ("9", "wrong", "whole number"),
    (..., "not attempted", ""),
])
def test_check_relu_networks_2(answer, status, hint):
    got_status, message = verdict("relu_networks.2", answer)
    assert got_status == status and hint in message, message
