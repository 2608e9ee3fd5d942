"""Tests of the checks of the notebook comparing activations: accept the solution, hint on wrong answers, stub not attempted."""

import math

import numpy as np
import pytest

from course_lib.exercises import verdict


@pytest.mark.parametrize("answer, status, hint", [
    (lambda a, b: min(a) > max(b), "correct", ""),
    (lambda a, b: bool(np.min(a) > np.max(b)), "correct", ""),
    (lambda a, b: np.mean(a) > np.mean(b), "wrong", "not the means"),
    (lambda a, b: min(a) >= max(b), "wrong", "use >, not >="),
    (lambda a, b: max(a) > min(b), "wrong", ""),
    (lambda a, b: all(x > y for x, y in zip(a, b)), "wrong", "worst run"),
    (lambda a, b: "yes", "wrong", "return True or False"),
    (lambda a, b: ..., "not attempted", ""),
])
def test_check_comparing_1(answer, status, hint):
    got_status, message = verdict("comparing.1", answer)
    assert got_status == status and hint in message


@pytest.mark.parametrize("answer, status, hint", [
    (lambda n: 2 / math.comb(2 * n, n), "correct", ""),
    (lambda n: 2 * math.factorial(n) ** 2 / math.factorial(2 * n), "correct", ""),
    (lambda n: 1 / math.comb(2 * n, n), "wrong", "double it"),
    (lambda n: 1 / math.factorial(2 * n), "wrong", "C(2n, n)"),
    (lambda n: 0.5 ** n, "wrong", "start with n = 1"),
    (lambda n: 1.0, "wrong", "expected"),
    (lambda n: [n], "wrong", "one number"),
    (lambda n: ..., "not attempted", ""),
])
def test_check_comparing_2(answer, status, hint):
    got_status, message = verdict("comparing.2", answer)
    assert got_status == status and hint in message


def tied_with_best(values):
    best = max(values, key=lambda name: np.mean(values[name]))
    return [name for name in values if min(values[best]) <= max(values[name])]


@pytest.mark.parametrize("answer, status, hint", [
    (tied_with_best, "correct", ""),
    (lambda values: set(tied_with_best(values)), "correct", ""),
    (lambda values: [name for name in tied_with_best(values) if name != "mish"], "wrong", "include it"),
    (lambda values: [*tied_with_best(values), "tanh"], "wrong", "clearly below"),
    (lambda values: [name for name in tied_with_best(values) if name != "relu"], "wrong", "within noise"),
    (lambda values: ["mish", "gelu", "relu", "sigmoid"], "wrong", "sigmoid"),
    (lambda values: "mish", "wrong", "collection of activation names"),
    (lambda values: ..., "not attempted", ""),
])
def test_check_comparing_3(answer, status, hint):
    got_status, message = verdict("comparing.3", answer)
    assert got_status == status and hint in message
