"""Tests of the checks of the ELU and SELU notebook: accept the solution, hint on wrong answers,
stub not attempted."""

import numpy as np
import pytest

from course_lib import activations
from course_lib.exercises import verdict


@pytest.mark.parametrize("answer, status, hint", [
    (lambda a, alpha: np.where(a > 0, 1.0, a / alpha + 1.0), "correct", ""),
    (lambda a, alpha: np.where(a > 0, 1.0, (a + alpha) / alpha), "correct", ""),
    (lambda a, alpha: np.where(a > 0, 1.0, a + alpha), "wrong", "ELU's derivative"),
    (lambda a, alpha: np.where(a > 0, 1.0, a + 1.0), "wrong", "right for alpha = 1 only"),
    (lambda a, alpha: np.where(a > 0, 1.0, np.exp(a / alpha)), "wrong", "needs the input x"),
    (lambda a, alpha: np.where(a > 0, a, a / alpha + 1.0), "wrong", "linear piece"),
    (lambda a, alpha: np.where(a > 0, 1.0, 1.0 - a / alpha), "wrong", "wrong values at the inputs"),
    (lambda a, alpha: 1.0, "wrong", "elementwise"),
    (lambda a, alpha: ..., "not attempted", ""),
    (..., "not attempted", ""),
])
def test_check_elu_selu_1(answer, status, hint):
    got_status, message = verdict("elu_selu.1", answer)
    assert got_status == status and hint in message


def stable_elu(x, alpha):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))


@pytest.mark.parametrize("answer, status, hint", [
    (stable_elu, "correct", ""),
    (lambda x, alpha: np.where(x > 0, x, alpha * (np.exp(x) - 1)), "wrong", "exp overflowed"),
    (lambda x, alpha: np.where(x > 0, x, alpha * np.expm1(x)), "wrong", "exp overflowed"),
    (lambda x, alpha: np.where(x > 0, x, alpha * (np.exp(np.minimum(x, 0)) - 1)), "wrong",
     "directly"),
    (lambda x, alpha: np.where(x > 0, x, np.expm1(np.minimum(x, 0))), "wrong", "use the alpha"),
    (lambda x, alpha: np.where(x >= 0, x, 0.0), "wrong", "wrong values at x"),
    (lambda x, alpha: ..., "not attempted", ""),
    (..., "not attempted", ""),
])
def test_check_elu_selu_2(answer, status, hint):
    got_status, message = verdict("elu_selu.2", answer)
    assert got_status == status and hint in message


def grid_second_moment(v):
    t = np.linspace(-10, 10, 200_001)
    weights = np.exp(-t ** 2 / 2) / np.sqrt(2 * np.pi) * (t[1] - t[0])
    return float(np.sum(activations.selu(np.sqrt(v) * t) ** 2 * weights))


def monte_carlo_second_moment(v):
    t = np.random.default_rng(7).standard_normal(1_000_000)
    return float(np.mean(activations.selu(np.sqrt(v) * t) ** 2))


def monte_carlo_variance(v):
    t = np.random.default_rng(7).standard_normal(1_000_000)
    return float(np.var(activations.selu(np.sqrt(v) * t)))


@pytest.mark.parametrize("answer, status, hint", [
    (grid_second_moment, "correct", ""),
    (monte_carlo_second_moment, "correct", ""),
    (monte_carlo_variance, "wrong", "the variance of selu(z)"),
    (lambda v: v, "wrong", "only when v = 1"),
    (lambda v: np.sqrt(grid_second_moment(v)), "wrong", "root mean square"),
    (lambda v: 1.0, "wrong", "you gave 1"),
    (lambda v: ..., "not attempted", ""),
    (..., "not attempted", ""),
])
def test_check_elu_selu_3(answer, status, hint):
    got_status, message = verdict("elu_selu.3", answer)
    assert got_status == status and hint in message


def test_checks_refuse_course_lib():
    from course_lib import activations as course_activations
    namespace = {"np": np, "course_activations": course_activations}
    exec("def from_output(a, alpha):\n"
         "    x = np.where(a > 0, a, alpha * np.log1p(a / alpha))\n"
         "    return course_activations.get('celu').grad(x, alpha=alpha)\n"
         "def library_elu(x, alpha):\n"
         "    return course_activations.elu(x, alpha)\n", namespace)
    for name, answer in (("elu_selu.1", namespace["from_output"]),
                         ("elu_selu.2", namespace["library_elu"])):
        got_status, message = verdict(name, answer)
        assert got_status == "wrong" and "course_lib's own" in message, message
