"""Tests of the checks of the gated activations notebook: accept the solution, hint on wrong
answers, a stub counts as not attempted."""

import fractions
import math

import numpy as np
import pytest

from course_lib import activations, gated
from course_lib.exercises import verdict


def llama_d_ff(d_model):
    h = int(2 * 4 * d_model / 3)
    return 256 * math.ceil(h / 256)


@pytest.mark.parametrize("answer, status, hint", [
    (llama_d_ff, "correct", ""),
    (lambda d: gated.llama_d_ff(d), "wrong", "course_lib"),
    (lambda d: -(-(8 * d // 3) // 256) * 256, "correct", ""),
    (lambda d: 4 * d, "wrong", "three matrices"),
    (lambda d: int(8 * d / 3), "wrong", "before the rounding"),
    (lambda d: 256 * (int(8 * d / 3) // 256), "wrong", "round up"),
    (lambda d: 256 * round(8 * d / 3 / 256 + 0.5) + 256, "wrong", "wrong widths"),
    (lambda d: 8 * d / 3, "wrong", "return an int"),
    (lambda d: ..., "not attempted", ""),
    (..., "not attempted", ""),
])
def test_check_gated_1(answer, status, hint):
    got_status, message = verdict("gated.1", answer)
    assert got_status == status and hint in message, message


def swiglu_backward(z_gate, z_linear, dh):
    return dh * z_linear * activations.silu_grad(z_gate), dh * activations.silu(z_gate)


def by_hand(z_gate, z_linear, dh):
    s = 1 / (1 + np.exp(-z_gate))
    return dh * z_linear * (s + z_gate * s * (1 - s)), dh * z_gate * s


@pytest.mark.parametrize("answer, status, hint", [
    (swiglu_backward, "correct", ""),
    (by_hand, "correct", ""),
    (lambda zg, zl, dh: swiglu_backward(zg, zl, dh)[::-1], "wrong", "swapped"),
    (lambda zg, zl, dh: (dh * zl / (1 + np.exp(-zg)), dh * activations.silu(zg)), "wrong",
     "SiLU's derivative"),
    (lambda zg, zl, dh: (dh * activations.silu_grad(zg), dh * activations.silu(zg)), "wrong",
     "dz_gate is missing"),
    (lambda zg, zl, dh: (swiglu_backward(zg, zl, dh)[0], dh), "wrong", "dz_linear is missing"),
    (lambda zg, zl, dh: (dh, dh * activations.silu(zg)), "wrong", "dz_gate is not right"),
    (lambda zg, zl, dh: (swiglu_backward(zg, zl, dh)[0], 2 * dh), "wrong",
     "dz_linear is not right"),
    (lambda zg, zl, dh: swiglu_backward(zg, zl, dh)[0], "wrong", "two arrays"),
    (lambda zg, zl, dh: (np.ones(2), np.ones(2)), "wrong", "elementwise"),
    (lambda zg, zl, dh: (..., ...), "not attempted", ""),
    (lambda zg, zl, dh: ..., "not attempted", ""),
    (..., "not attempted", ""),
])
def test_check_gated_2(answer, status, hint):
    got_status, message = verdict("gated.2", answer)
    assert got_status == status and hint in message, message


@pytest.mark.parametrize("answer, status, hint", [
    (lambda d: (8 * d * d + 4 * d) / (3 * d + 2), "correct", ""),
    (lambda d: 4 * d * (2 * d + 1) / (3 * d + 2), "correct", ""),
    (lambda d: fractions.Fraction(8 * d * d + 4 * d, 3 * d + 2), "correct", ""),
    (lambda d: 8 * d / 3, "wrong", "without biases"),
    (lambda d: (8 * d * d + 4 * d) / (3 * d + 1), "wrong", "two biases"),
    (lambda d: round((8 * d * d + 4 * d) / (3 * d + 2)), "wrong", "exact width"),
    (lambda d: (8 * d * d + 5 * d) / (3 * d + 2), "wrong", "output bias too"),
    (lambda d: 3 * d, "wrong", "set the two counts equal"),
    (lambda d: "64", "wrong", "return a number"),
    (lambda d: ..., "not attempted", ""),
])
def test_check_gated_3(answer, status, hint):
    got_status, message = verdict("gated.3", answer)
    assert got_status == status and hint in message, message
