"""Tests of the checks of the tanh notebook: accept the solution, hint on wrong answers, stub not
attempted."""

import numpy as np
import pytest

from course_lib import activations
from course_lib.exercises import verdict


def stable_tanh_grad(x):
    z = np.exp(-2 * np.abs(x))
    return 4 * z / (1 + z) ** 2


@pytest.mark.parametrize("answer, status, hint", [
    (lambda x: (1 + np.tanh(x / 2)) / 2, "correct", ""),
    (lambda x: (1 + np.tanh(x)) / 2, "wrong", "that is sigma(2x)"),
    (lambda x: np.tanh(x / 2) / 2, "wrong", "centred on 0"),
    (lambda x: 1 + np.tanh(x / 2), "wrong", "solve tanh(y)"),
    (lambda x: np.tanh(x / 2)[:3], "wrong", "elementwise"),
    (lambda x: activations.sigmoid(x), "wrong", "uses course_lib's 'activations'"),
    (activations.sigmoid, "wrong", "course_lib's own"),
    (lambda x: ..., "not attempted", ""),
])
def test_check_tanh_1(answer, status, hint):
    got_status, message = verdict("tanh.1", answer)
    assert got_status == status and hint in message


@pytest.mark.parametrize(
    "answer, status, hint",
    [
        (stable_tanh_grad, "correct", ""),
        (lambda x: 1 - np.tanh(x) ** 2, "wrong", "1 - tanh(x)^2"),
        (lambda x: 1 / np.cosh(x) ** 2, "wrong", "overflowed"),
        (lambda x: activations.tanh_grad(x), "wrong", "uses course_lib"),
        (lambda x: 4 / (np.exp(x) + np.exp(-x)) ** 2, "wrong", "overflowed"),
        (
            lambda x: 2 * np.exp(-2 * np.abs(x)) / (1 + np.exp(-2 * np.abs(x))) ** 2,
            "wrong",
            "wrong values at x",
        ),
        (lambda x: ..., "not attempted", ""),
    ],
)
def test_check_tanh_2(answer, status, hint):
    got_status, message = verdict("tanh.2", answer)
    assert got_status == status and hint in message


@pytest.mark.parametrize("answer, status, hint", [
    (np.arctanh(1 / np.sqrt(2)), "correct", ""),
    (0.8814, "correct", ""),
    (np.arctanh(0.5), "wrong", "tanh(x)^2 = 1/2"),
    (-0.8814, "wrong", "positive solution"),
    (1.0, "wrong", "not 0.5"),
    ([0.88], "wrong", "one number"),
    (..., "not attempted", ""),
])
def test_check_tanh_3(answer, status, hint):
    got_status, message = verdict("tanh.3", answer)
    assert got_status == status and hint in message


def test_tanh_3_hint_does_not_give_the_answer():
    # the answer is artanh(1/sqrt 2): the hint names the method, not the equation or the function
    _, message = verdict("tanh.3", 1.0)
    assert "arctanh" not in message and "1/2" not in message and "sqrt" not in message
