"""Tests of the checks of the Leaky ReLU and PReLU notebook: accept the solution, hint on wrong
answers, stub not attempted."""

import numpy as np
import pytest

from course_lib.exercises import verdict


@pytest.mark.parametrize("answer, status, hint", [
    (lambda z, g: np.sum(g * np.minimum(z, 0.0), axis=0), "correct", ""),
    (lambda z, g: (g * np.where(z > 0, 0.0, z)).sum(axis=0), "correct", ""),
    (lambda z, g: g * np.minimum(z, 0.0), "wrong", "one number per unit"),
    (lambda z, g: np.sum(g * np.minimum(z, 0.0), axis=1), "wrong", "one number per example"),
    (lambda z, g: np.sum(g * np.minimum(z, 0.0)), "wrong", "you returned shape ()"),
    (lambda z, g: np.sum(np.minimum(z, 0.0), axis=0), "wrong", "upstream"),
    (lambda z, g: np.sum(g * np.maximum(z, 0.0), axis=0), "wrong", "only negative inputs"),
    (lambda z, g: np.sum(g * (z <= 0), axis=0), "wrong", "is z, not 1"),
    (lambda z, g: np.sum(g * np.minimum(z, 0.0), axis=0) / len(z), "wrong", "expected"),
    (lambda z, g: ..., "not attempted", ""),
    (..., "not attempted", ""),
])
def test_check_leaky_relu_prelu_1(answer, status, hint):
    got_status, message = verdict("leaky_relu_prelu.1", answer)
    assert got_status == status and hint in message


@pytest.mark.parametrize("answer, status, hint", [
    (lambda n_in, alpha: np.sqrt(2 / ((1 + alpha ** 2) * n_in)), "correct", ""),
    (lambda n_in, alpha: 2 / ((1 + alpha ** 2) * n_in), "wrong", "standard deviation"),
    (lambda n_in, alpha: np.sqrt(2 / n_in), "wrong", "right for ReLU"),
    (lambda n_in, alpha: np.sqrt(2 / ((1 + alpha) * n_in)), "wrong", "not alpha E[z^2]"),
    (lambda n_in, alpha: np.sqrt(1 / ((1 + alpha ** 2) * n_in)), "wrong", "each half"),
    (lambda n_in, alpha: 0.1, "wrong", "you gave 0.1"),
    (lambda n_in, alpha: "0.1", "wrong", "one number"),
    (lambda n_in, alpha: ..., "not attempted", ""),
    (..., "not attempted", ""),
])
def test_check_leaky_relu_prelu_2(answer, status, hint):
    got_status, message = verdict("leaky_relu_prelu.2", answer)
    assert got_status == status and hint in message


@pytest.mark.parametrize("answer, status, hint", [
    (lambda z: np.abs(z), "correct", ""),
    (lambda z: np.where(z > 0, z, -z), "correct", ""),
    (lambda z: z, "wrong", "identity"),
    (lambda z: -np.abs(z), "wrong", "sign for z > 0"),
    (lambda z: np.maximum(z, 0.0), "wrong", "that is ReLU"),
    (lambda z: 2 * np.abs(z), "wrong", "wrong values at z"),
    (lambda z: 1.0, "wrong", "elementwise"),
    (lambda z: ..., "not attempted", ""),
    (..., "not attempted", ""),
])
def test_check_leaky_relu_prelu_3(answer, status, hint):
    got_status, message = verdict("leaky_relu_prelu.3", answer)
    assert got_status == status and hint in message


def test_check_leaky_relu_prelu_3_refuses_course_lib():
    from course_lib import activations
    prelu = activations.get("prelu")
    namespace = {"prelu": prelu}
    exec("def answer(z):\n    return prelu(z, alpha=-1.0)", namespace)
    got_status, message = verdict("leaky_relu_prelu.3", namespace["answer"])
    assert got_status == "wrong" and "calls course_lib" in message
