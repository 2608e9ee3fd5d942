"""Tests of the checks of the backpropagation notebook: accept the solution, hint on wrong answers, stub not attempted."""

import numpy as np
import pytest

from course_lib.exercises import verdict


@pytest.mark.parametrize("answer, status, hint", [
    (lambda dz, a: (dz @ a.T / dz.shape[1], dz.mean(axis=1, keepdims=True)), "correct", ""),
    (lambda dz, a: (dz @ a.T, dz.mean(axis=1, keepdims=True)), "wrong", "divide by m"),
    (lambda dz, a: (a @ dz.T / dz.shape[1], dz.mean(axis=1, keepdims=True)), "wrong", "shape of W"),
    (lambda dz, a: (dz @ a.T / dz.shape[1], dz.mean(axis=1)), "wrong", "keepdims=True"),
    (lambda dz, a: (dz @ a.T / dz.shape[1], dz.sum(axis=1, keepdims=True)), "wrong", "mean of dz"),
    (lambda dz, a: dz, "wrong", "pair"),
    (lambda dz, a: (dz @ a / dz.shape[1], dz.mean(axis=1, keepdims=True)), "wrong", "needs a transpose"),
    (lambda dz, a: (..., ...), "not attempted", ""),
    (lambda dz, a: ..., "not attempted", ""),
])
def test_check_backpropagation_1(answer, status, hint):
    got_status, message = verdict("backpropagation.1", answer)
    assert got_status == status and hint in message


@pytest.mark.parametrize("answer, status, hint", [
    (lambda dz, W, z, gp: (W.T @ dz) * gp(z), "correct", ""),
    (lambda dz, W, z, gp: W.T @ dz, "wrong", "multiply it elementwise by g'"),
    (lambda dz, W, z, gp: (W.T @ dz) * np.tanh(z), "wrong", "not by the activation"),
    (lambda dz, W, z, gp: dz.T @ W, "wrong", "W transposed"),
    (lambda dz, W, z, gp: (W @ dz) * gp(z), "wrong", "inner sizes do not match"),
    (lambda dz, W, z, gp: (W.T @ dz) * gp(z) * 2, "wrong", "elementwise product"),
    (lambda dz, W, z, gp: ..., "not attempted", ""),
])
def test_check_backpropagation_2(answer, status, hint):
    got_status, message = verdict("backpropagation.2", answer)
    assert got_status == status and hint in message


def naive_chain_rule(z, y):
    a = 1 / (1 + np.exp(-z))
    return (-y / a + (1 - y) / (1 - a)) * a * (1 - a)


@pytest.mark.parametrize("answer, status, hint", [
    (lambda z, y: 0.5 * (1 + np.tanh(0.5 * z)) - y, "correct", ""),
    (naive_chain_rule, "wrong", "inf or nan"),
    (lambda z, y: y - 0.5 * (1 + np.tanh(0.5 * z)), "wrong", "sign is flipped"),
    (lambda z, y: 0.5 * (1 + np.tanh(0.5 * z)), "wrong", "expected"),
    (lambda z, y: 0.0, "wrong", "one derivative per example"),
    (lambda z, y: ..., "not attempted", ""),
])
def test_check_backpropagation_3(answer, status, hint):
    got_status, message = verdict("backpropagation.3", answer)
    assert got_status == status and hint in message


def test_naive_chain_rule_raises_no_warning_inside_the_check():
    with np.errstate(all="raise"):
        assert verdict("backpropagation.3", naive_chain_rule)[0] == "wrong"
