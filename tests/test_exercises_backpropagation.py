"""Tests of the checks of the backpropagation notebook: accept the solution, hint on wrong answers
(never a raw NumPy error), a stub counts as not attempted, an answer that calls course_lib is told
so.
"""

import numpy as np
import pytest

from course_lib import activations, gradcheck
from course_lib.exercises import verdict


def sig(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


@pytest.mark.parametrize(
    "answer, status, hint",
    [
        (lambda dz, a: (a.T @ dz / dz.shape[0], dz.mean(axis=0)), "correct", ""),
        (lambda dz, a: (a.T @ dz, dz.mean(axis=0)), "wrong", "divide by m"),
        (lambda dz, a: (dz.T @ a / dz.shape[0], dz.mean(axis=0)), "wrong", "column form"),
        (lambda dz, a: (dz @ a.T / dz.shape[0], dz.mean(axis=0)), "wrong", "sizes do not match"),
        (
            lambda dz, a: (a.T @ dz / dz.shape[0], dz.mean(axis=0, keepdims=True)),
            "wrong",
            "without keepdims",
        ),
        (lambda dz, a: (a.T @ dz / dz.shape[0], dz.sum(axis=0)), "wrong", "not the sum"),
        (lambda dz, a: (a.T @ dz / dz.shape[0], dz.mean(axis=1)), "wrong", "shape of Keras' bias"),
        (lambda dz, a: (a.T @ dz / dz.shape[0] + 1, dz.mean(axis=0)), "wrong", "dW is not right"),
        (lambda dz, a: dz, "wrong", "pair"),
        (lambda dz, a: (..., ...), "not attempted", ""),
        (lambda dz, a: ..., "not attempted", ""),
    ],
)
def test_check_backpropagation_1(answer, status, hint):
    got_status, message = verdict("backpropagation.1", answer)
    assert got_status == status and hint in message, message


@pytest.mark.parametrize("answer, status, hint", [
    (lambda dz, W, a: (W.T @ dz) * a * (1 - a), "correct", ""),
    (lambda dz, W, a: W.T @ dz, "wrong", "multiply it elementwise"),
    (lambda dz, W, a: (W.T @ dz) * a, "wrong", "sigmoid's value"),
    (lambda dz, W, a: (W.T @ dz) * sig(a) * (1 - sig(a)), "wrong", "sigma(sigma(z))"),
    (lambda dz, W, a: (W.T @ dz) * 0.25, "wrong", "sigma'(0) only"),
    (lambda dz, W, a: (W @ dz) * a * (1 - a), "wrong", "sizes do not match"),
    (lambda dz, W, a: (W.T * dz) * a * (1 - a), "wrong", "sizes do not match"),
    (lambda dz, W, a: dz.T @ W, "wrong", "W transposed"),
    (lambda dz, W, a: (W.T @ dz) * a * (1 - a) * 2, "wrong", "expected dz_prev"),
    (lambda dz, W, a: ..., "not attempted", ""),
])
def test_check_backpropagation_2(answer, status, hint):
    got_status, message = verdict("backpropagation.2", answer)
    assert got_status == status and hint in message, message


def naive_chain_rule(z, y):
    a = 1 / (1 + np.exp(-z))
    return (-y / a + (1 - y) / (1 - a)) * a * (1 - a)


@pytest.mark.parametrize("answer, status, hint", [
    (lambda z, y: 0.5 * (1 + np.tanh(0.5 * z)) - y, "correct", ""),
    (lambda z, y: activations.sigmoid(z) - y, "correct", ""),   # the exercise allows it
    (naive_chain_rule, "wrong", "inf or nan"),
    (lambda z, y: y - 0.5 * (1 + np.tanh(0.5 * z)), "wrong", "sign is flipped"),
    (lambda z, y: 0.5 * (1 + np.tanh(0.5 * z)), "wrong", "expected"),
    (lambda z, y: 0.0, "wrong", "one derivative per example"),
    (lambda z, y: ..., "not attempted", ""),
])
def test_check_backpropagation_3(answer, status, hint):
    got_status, message = verdict("backpropagation.3", answer)
    assert got_status == status and hint in message, message


def test_naive_chain_rule_raises_no_warning_inside_the_check():
    with np.errstate(all="raise"):
        assert verdict("backpropagation.3", naive_chain_rule)[0] == "wrong"


def central(cost, w, h=1e-5):
    grad, nudged = np.zeros_like(w), w.copy()
    for i in np.ndindex(w.shape):
        nudged[i] = w[i] + h
        up = cost(nudged)
        nudged[i] = w[i] - h
        down = cost(nudged)
        nudged[i] = w[i]
        grad[i] = (up - down) / (2 * h)
    return grad


def forward_difference(cost, w, h=1e-5):
    grad = np.zeros_like(w)
    for i in np.ndindex(w.shape):
        nudged = w.copy()
        nudged[i] += h
        grad[i] = (cost(nudged) - cost(w)) / h
    return grad


def in_place(cost, w, h=1e-5):
    grad = np.zeros_like(w)
    for i in np.ndindex(w.shape):
        w[i] += h
        up = cost(w)
        w[i] -= 2 * h
        down = cost(w)
        grad[i] = (up - down) / (2 * h)
    return grad


def no_restore(cost, w, h=1e-5):
    grad, nudged = np.zeros_like(w), w.copy()
    for i in np.ndindex(w.shape):
        nudged[i] = w[i] + h
        up = cost(nudged)
        nudged[i] = w[i] - h
        grad[i] = (up - cost(nudged)) / (2 * h)
    return grad


@pytest.mark.parametrize(
    "answer, status, hint",
    [
        (central, "correct", ""),
        (lambda cost, w, h=1e-5: central(cost, w, h) * 2, "wrong", "twice too large"),
        (lambda cost, w, h=1e-5: central(cost, w, h) / 2, "wrong", "half too small"),
        (forward_difference, "wrong", "one-sided"),
        (in_place, "wrong", "changed w"),
        (no_restore, "wrong", "restore it"),
        (lambda cost, w, h=1e-5: central(cost, w), "wrong", "ignores its argument h"),
        (
            lambda cost, w, h=1e-5: central(cost, w, h).ravel(),
            "wrong",
            "one partial derivative per entry",
        ),
        (lambda cost, w, h=1e-5: gradcheck.numerical_gradient(cost, w, h), "wrong", "course_lib"),
        (gradcheck.numerical_gradient, "wrong", "course_lib's own numerical_gradient"),
        (lambda cost, w, h=1e-5: ..., "not attempted", ""),
        (..., "not attempted", ""),
    ],
)
def test_check_backpropagation_4(answer, status, hint):
    got_status, message = verdict("backpropagation.4", answer)
    assert got_status == status and hint in message, message
