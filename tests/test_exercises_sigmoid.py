"""Tests of the checks of the sigmoid notebook: accept the solution, hint on wrong answers, stub not attempted."""

import numpy as np
import pytest

from course_lib.exercises import verdict


def stable_sigmoid(x):
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + z), z / (1 + z))


def where_both_branches(x):  # the classic trap: np.where evaluates both branches
    return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))


def one_minus_form(x):  # never overflows, but 1 - (1 - tiny) loses the tiny values for x < 0
    z = np.exp(-np.abs(x))
    s = 1 / (1 + z)
    return np.where(x >= 0, s, 1 - s)


@pytest.mark.parametrize("answer, status, hint", [
    (stable_sigmoid, "correct", ""),
    (lambda x: 1 / (1 + np.exp(-x)), "wrong", "exp overflowed"),
    (where_both_branches, "wrong", "np.where evaluates both branches"),
    (one_minus_form, "wrong", "wrong values at x"),
    (lambda x: 0.5, "wrong", "elementwise"),
    (lambda x: ..., "not attempted", ""),
    (..., "not attempted", ""),
])
def test_check_sigmoid_1(answer, status, hint):
    got_status, message = verdict("sigmoid.1", answer)
    assert got_status == status and hint in message


@pytest.mark.parametrize("answer, status, hint", [
    (25 * np.log(2), "correct", ""),
    (17.33, "correct", ""),
    (36.7, "wrong", "float64 threshold"),
    (17.0, "wrong", "too small"),
    (24 * np.log(2), "wrong", "naive 1 / (1 + e^-x)"),
    (18, "wrong", "too large"),
    ("17", "wrong", "one number"),
    (..., "not attempted", ""),
])
def test_check_sigmoid_2(answer, status, hint):
    got_status, message = verdict("sigmoid.2", answer)
    assert got_status == status and hint in message


@pytest.mark.parametrize("answer, status, hint", [
    (lambda p: np.log(p) - np.log1p(-p), "correct", ""),
    (lambda p: np.log(p / (1 - p)), "correct", ""),
    (lambda p: np.log((1 - p) / p), "wrong", "sign is flipped"),
    (lambda p: np.log(p), "wrong", "logit(0.5) should be 0"),
    (lambda p: 2 * np.log(p / (1 - p)), "wrong", "give p back"),
    (lambda p: ..., "not attempted", ""),
])
def test_check_sigmoid_3(answer, status, hint):
    got_status, message = verdict("sigmoid.3", answer)
    assert got_status == status and hint in message
