"""Tests of the checks of the dead-ReLU notebook: accept the solution, hint on wrong answers, stub not attempted."""

import math

import numpy as np
import pytest

from course_lib import mlp
from course_lib.exercises import verdict


@pytest.mark.parametrize("answer, status, hint", [
    (lambda z: np.mean(np.all(z <= 0, axis=0)), "correct", ""),
    (lambda z: float(np.all(z <= 0, axis=0).sum()) / z.shape[1], "correct", ""),
    (lambda z: np.mean(np.all(z < 0, axis=0)), "wrong", "z <= 0"),
    (lambda z: np.mean(np.any(z <= 0, axis=0)), "wrong", "every"),
    (lambda z: np.mean(np.all(z <= 0, axis=1)), "wrong", "columns"),
    (lambda z: np.all(z <= 0, axis=0), "wrong", "one number"),
    (lambda z: 0.3, "wrong", "share of columns"),
    (lambda z: int(np.all(z <= 0, axis=0).sum()), "wrong", "fraction"),
    (lambda z: int(np.any(z <= 0, axis=0).sum()), "wrong", "fraction"),
    (lambda z: ..., "not attempted", ""),
])
def test_check_dead_relu_1(answer, status, hint):
    got_status, message = verdict("dead_relu.1", answer)
    assert got_status == status and hint in message


def _network_test(test, relu=True, transpose=False, axis=0):
    def dead_units(x, layers):
        result, a = [], x
        for W, b in layers:
            z = a @ (W.T if transpose else W) + b
            result.append(test(z, axis))
            a = np.maximum(z, 0) if relu else z
        return result
    return dead_units


def _uses_course_lib(x, layers):
    # course_lib.mlp keeps examples in columns: a learner who calls it instead of writing the test
    params = [{"W": W.T, "b": b[:, None]} for W, b in layers]
    return [np.asarray(d) for d in mlp.dead_units(params, x.T)]


@pytest.mark.parametrize("answer, status, hint", [
    (_network_test(lambda z, axis: np.all(z <= 0, axis=axis)), "correct", ""),
    (_network_test(lambda z, axis: ~np.any(z > 0, axis=axis)), "correct", ""),
    (_network_test(lambda z, axis: np.all(z < 0, axis=axis)), "wrong", "exactly 0"),
    (_network_test(lambda z, axis: np.any(z <= 0, axis=axis)), "wrong", "*every* input"),
    (_network_test(lambda z, axis: np.all(z <= 0, axis=axis), relu=False), "wrong", "relu(z)"),
    (_network_test(lambda z, axis: np.all(z <= 0, axis=axis), axis=1), "wrong", "shape"),
    (_network_test(lambda z, axis: np.all(z <= 0, axis=axis), transpose=True), "wrong", "x @ W + b"),
    (lambda x, layers: [np.zeros(W.shape[1], bool) for W, _ in layers], "wrong", "layer(s)"),
    (lambda x, layers: np.zeros(3), "wrong", "one boolean array per layer"),
    (lambda x, layers: [np.zeros(3, bool)], "wrong", "3 layers"),
    (_uses_course_lib, "wrong", "NumPy"),
    (lambda x, layers: ..., "not attempted", ""),
])
def test_check_dead_relu_2(answer, status, hint):
    got_status, message = verdict("dead_relu.2", answer)
    assert got_status == status and hint in message, message


def _exact(depth, p):
    return math.ceil(-math.log2(1 - (1 - p) ** (1 / depth)))


@pytest.mark.parametrize("answer, status, hint", [
    (_exact, "correct", ""),
    (lambda depth, p: next(n for n in range(1, 100) if 1 - (1 - 2.0 ** -n) ** depth <= p),
     "correct", ""),
    (lambda depth, p: -math.log2(1 - (1 - p) ** (1 / depth)), "wrong", "whole number"),
    (lambda depth, p: max(1, math.ceil(math.log2(depth / p))), "wrong", "union bound"),
    (lambda depth, p: _exact(depth, p) - 1, "wrong", "too narrow"),
    (lambda depth, p: _exact(depth, p) + 1, "wrong", "smallest width"),
    (lambda depth, p: "8", "wrong", "one number"),
    (lambda depth, p: ..., "not attempted", ""),
])
def test_check_dead_relu_3(answer, status, hint):
    got_status, message = verdict("dead_relu.3", answer)
    assert got_status == status and hint in message, message
