"""Tests of the checks of the notebook on the rest of the family: accept the solution, hint on
wrong answers, a stub counts as not attempted."""

import numpy as np
import pytest

from course_lib import activations
from course_lib.exercises import verdict


def soft_threshold(v, lam):
    return np.sign(v) * np.maximum(np.abs(v) - lam, 0)


def in_place(v, lam):
    v -= np.clip(v, -lam, lam)
    return v


@pytest.mark.parametrize("answer, status, hint", [
    (soft_threshold, "correct", ""),
    (lambda v, lam: activations.soft_shrink(v, threshold=lam), "wrong", "course_lib"),
    (activations.soft_shrink, "wrong", "course_lib's own soft_shrink"),
    (lambda v, lam: v - np.clip(v, -lam, lam), "correct", ""),
    (lambda v, lam: v * (np.abs(v) > lam), "wrong", "hard thresholding"),
    (lambda v, lam: np.maximum(v - lam, 0), "wrong", "both sides"),
    (lambda v, lam: v - lam * np.sign(v), "wrong", "cross zero"),
    (lambda v, lam: soft_threshold(v, lam) + 1e-300 * (np.abs(v) <= lam), "wrong", "exactly 0"),
    (lambda v, lam: soft_threshold(v, 2 * lam), "wrong", "wrong for lam"),
    (in_place, "wrong", "in place"),
    (lambda v, lam: np.ones(3), "wrong", "elementwise"),
    (lambda v, lam: ..., "not attempted", ""),
    (..., "not attempted", ""),
])
def test_check_activation_family_1(answer, status, hint):
    got_status, message = verdict("activation_family.1", answer)
    assert got_status == status and hint in message, message


def sparsemax_1d(z):
    ordered = np.sort(z)[::-1]
    k = np.arange(1, z.size + 1)
    cumulative = np.cumsum(ordered)
    support = k[1 + k * ordered > cumulative].max()
    tau = (cumulative[support - 1] - 1) / support
    return np.maximum(z - tau, 0)


def keras_bug(z):
    # Keras 3.15 (keras-team/keras#23425): sums the cumulative sums over the support
    ordered = np.sort(z)[::-1]
    k = np.arange(1, z.size + 1)
    cumulative = np.cumsum(ordered)
    in_support = 1 + k * ordered > cumulative
    tau = (np.sum(cumulative * in_support) - 1) / in_support.sum()
    return np.maximum(z - tau, 0)


def sorts_in_place(z):
    z.sort()
    return sparsemax_1d(z)


@pytest.mark.parametrize("answer, status, hint", [
    (sparsemax_1d, "correct", ""),
    (activations.sparsemax, "wrong", "course_lib's own sparsemax"),
    (lambda z: activations.sparsemax(z), "wrong", "course_lib"),
    (lambda z: np.exp(z) / np.exp(z).sum(), "wrong", "that is softmax"),
    (keras_bug, "wrong", "sum to"),
    (lambda z: z - (np.sort(z)[::-1][:2].sum() - 1) / 2, "wrong", "negative entries"),
    (lambda z: np.full(z.shape, 1 / z.size), "wrong", "wrong for z"),
    (sorts_in_place, "wrong", "in place"),
    (lambda z: np.ones(2), "wrong", "one probability per logit"),
    (lambda z: ..., "not attempted", ""),
    (..., "not attempted", ""),
])
def test_check_activation_family_2(answer, status, hint):
    got_status, message = verdict("activation_family.2", answer)
    assert got_status == status and hint in message, message
