"""Tests of the checks of the sigmoid notebook: accept the solution, hint on wrong answers, stub not
attempted."""

import math

import numpy as np
import pytest

import scipy.special

from course_lib import activations
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
    (lambda x: scipy.special.expit(x), "correct", ""),   # flushes subnormals (x < -708) to 0
    (scipy.special.expit, "correct", ""),
    (lambda x: activations.sigmoid(x), "wrong", "uses course_lib's"),
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


def log_odds(p):
    return np.log(p) - np.log1p(-p)


@pytest.mark.parametrize("answer, status, hint", [
    (lambda p: (log_odds(p) + 1) / 2, "correct", ""),
    (lambda p: (np.log(p / (1 - p)) + 1) / 2, "correct", ""),
    (lambda p: log_odds(p), "wrong", "the log-odds"),
    (lambda p: (-log_odds(p) + 1) / 2, "wrong", "sign is flipped"),
    (lambda p: (log_odds(p) - 1) / 2, "wrong", "x = -b / w"),
    (lambda p: log_odds(p) / 2 + 1, "wrong", "x = -b / w"),
    (lambda p: 2 * log_odds(p) + 1, "wrong", "at p = 0.5"),
    (lambda p: activations.sigmoid(p), "wrong", "uses course_lib's"),
    (lambda p: 0.5, "wrong", "elementwise"),
    (lambda p: (math.log(p / (1 - p)) + 1) / 2, "wrong", "NumPy's elementwise functions"),
    (lambda p: float((log_odds(p) + 1) / 2), "wrong", "NumPy's elementwise functions"),
    (lambda p: ..., "not attempted", ""),
    (..., "not attempted", ""),
])
def test_check_sigmoid_3(answer, status, hint):
    got_status, message = verdict("sigmoid.3", answer)
    assert got_status == status and hint in message
