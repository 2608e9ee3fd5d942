"""Tests of the checks of the GELU, Swish and Mish notebook: accept the solution, hint on wrong
answers, stub not attempted."""

import math

import numpy as np
import pytest

from course_lib.exercises import verdict


def stable_softplus(x):
    x = np.asarray(x, dtype=float)
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


@pytest.mark.parametrize("answer, status, hint", [
    (stable_softplus, "correct", ""),
    (lambda x: np.log(1 + np.exp(x)), "wrong", "exp overflowed"),
    (lambda x: np.where(x > 30, x, np.log1p(np.exp(x))), "wrong", "exp overflowed"),
    (lambda x: np.maximum(x, 0) + np.log(1 + np.exp(-np.abs(x))), "wrong", "ln(1 + u)"),
    (lambda x: np.maximum(x, 0.0), "wrong", "wrong values at x"),
    (lambda x: 1.0, "wrong", "elementwise"),
    (lambda x: ..., "not attempted", ""),
    (..., "not attempted", ""),
])
def test_check_gelu_swish_mish_1(answer, status, hint):
    got_status, message = verdict("gelu_swish_mish.1", answer)
    assert got_status == status and hint in message


@pytest.mark.parametrize("answer, status, hint", [
    (lambda a, s: a + s * (1 - a), "correct", ""),
    (lambda a, s: s * (1 + (a / np.where(s == 0, 1, s)) * (1 - s)), "correct", ""),
    (lambda a, s: s * (1 - s), "wrong", "the sigmoid's derivative"),
    (lambda a, s: s + a * (1 - a), "wrong", "both factors are the gate"),
    (lambda a, s: a + s, "wrong", "wrong values at x"),
    (lambda a, s: np.ones(3), "wrong", "elementwise"),
    (lambda a, s: ..., "not attempted", ""),
    (..., "not attempted", ""),
])
def test_check_gelu_swish_mish_2(answer, status, hint):
    got_status, message = verdict("gelu_swish_mish.2", answer)
    assert got_status == status and hint in message


@pytest.mark.parametrize("answer, status, hint", [
    (2 / (3 * math.pi) - 1 / 6, "correct", ""),
    (0.04553992412252714, "correct", ""),
    (0.044715, "wrong", "published constant"),
    (2 / (3 * math.pi), "wrong", "two terms contribute"),
    (0.05, "wrong", "is not it"),
    ("0.0455", "wrong", "one number"),
    (..., "not attempted", ""),
])
def test_check_gelu_swish_mish_3(answer, status, hint):
    got_status, message = verdict("gelu_swish_mish.3", answer)
    assert got_status == status and hint in message


def test_check_gelu_swish_mish_1_refuses_course_lib():
    from course_lib import activations as course_activations
    namespace = {"course_activations": course_activations}
    exec("def answer(x):\n    return course_activations.softplus(x)", namespace)
    got_status, message = verdict("gelu_swish_mish.1", namespace["answer"])
    assert got_status == "wrong" and "course_lib's softplus" in message
