"""Tests of the checks of the dead-ReLU notebook: accept the solution, hint on wrong answers, stub not attempted."""

import numpy as np
import pytest

from course_lib.exercises import verdict


@pytest.mark.parametrize("answer, status, hint", [
    (lambda z: np.mean(np.all(z <= 0, axis=0)), "correct", ""),
    (lambda z: float(np.all(z <= 0, axis=0).sum()) / z.shape[1], "correct", ""),
    (lambda z: np.mean(np.all(z < 0, axis=0)), "wrong", "z <= 0"),
    (lambda z: np.mean(np.any(z <= 0, axis=0)), "wrong", "every"),
    (lambda z: np.mean(np.all(z <= 0, axis=1)), "wrong", "columns"),
    (lambda z: np.all(z <= 0, axis=0), "wrong", "one number"),
    (lambda z: 0.3, "wrong", "2 of the 5"),
    (lambda z: ..., "not attempted", ""),
])
def test_check_dead_relu_1(answer, status, hint):
    got_status, message = verdict("dead_relu.1", answer)
    assert got_status == status and hint in message


@pytest.mark.parametrize("answer, status, hint", [
    (lambda n, l: 1 - (1 - 2.0 ** -n) ** l, "correct", ""),
    (lambda n, l: (1 - 2.0 ** -n) ** l, "wrong", "survives"),
    (lambda n, l: np.minimum(1.0, l * 2.0 ** -n), "wrong", "union bound"),
    (lambda n, l: 1 - (1 - 2.0 ** -l) ** n, "wrong", "swapped"),
    (lambda n, l: 1 - (1 - 2.0 ** -n), "wrong", "expected"),
    (lambda n, l: 0.5, "wrong", "elementwise"),
    (lambda n, l: ..., "not attempted", ""),
])
def test_check_dead_relu_2(answer, status, hint):
    got_status, message = verdict("dead_relu.2", answer)
    assert got_status == status and hint in message
