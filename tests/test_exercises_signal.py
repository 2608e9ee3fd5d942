"""Tests of the checks of the signal-propagation notebook: accept right answers (exact and Monte
Carlo), hint on the usual mistakes, stubs not attempted; the mean-field onset against a measurement."""

import math

import numpy as np
import pytest
from scipy.special import ndtr

from course_lib import activations, propagation
from course_lib.exercises import signal, verdict

FORWARD = 1 - 2 * math.exp(-0.5) / math.sqrt(2 * math.pi)      # E[clip(Z, -1, 1)^2]
BACKWARD = 2 * ndtr(1.0) - 1                                    # P(|Z| < 1)
SECOND = {"forward": FORWARD, "backward": BACKWARD}


def _monte_carlo(mode):
    z = np.random.default_rng(0).standard_normal(2_000_000)
    values = np.clip(z, -1, 1) if mode == "forward" else (np.abs(z) < 1).astype(float)
    return 1 / np.sqrt(np.mean(values ** 2))


@pytest.mark.parametrize("answer, status, hint", [
    (lambda mode: 1 / math.sqrt(SECOND[mode]), "correct", ""),
    (_monte_carlo, "correct", ""),
    (lambda mode: SECOND[mode], "wrong", "second moment itself"),
    (lambda mode: 1 / SECOND[mode], "wrong", "square root"),
    (lambda mode: 1 / math.sqrt(SECOND["backward" if mode == "forward" else "forward"]), "wrong",
     "forward uses f(z)"),
    (lambda mode: 1.5, "wrong", "too large"),
    (lambda mode: 1.0, "wrong", "too small"),
    (lambda mode: "1.39", "wrong", "one number"),
    (lambda mode: ..., "not attempted", ""),
])
def test_check_signal_1(answer, status, hint):
    got_status, message = verdict("signal.1", answer)
    assert got_status == status and hint in message


@pytest.mark.parametrize("answer, status, hint", [
    (2.1, "correct", ""), (lambda: 2.0, "correct", ""),
    (5 / 3, "wrong", "convention"), (0.5, "wrong", "shrinks"),
    (3.0, "wrong", "lower gain"), (1.7, "wrong", "higher gain"),
    ("2", "wrong", "one number"), (..., "not attempted", ""), (lambda: ..., "not attempted", ""),
])
def test_check_signal_2(answer, status, hint):
    got_status, message = verdict("signal.2", answer)
    assert got_status == status and hint in message


def test_the_mean_field_onset_matches_a_measured_stack():
    onset = signal.saturation_onset()
    assert 2.0 < onset < 2.1
    below = propagation.propagate("tanh", depth=20, width=256, n=64, gain=onset - 0.15)
    above = propagation.propagate("tanh", depth=20, width=256, n=64, gain=onset + 0.15)
    assert below.saturated[-1] < 0.05 < above.saturated[-1]


def test_check_signal_1_hints_without_the_answer_and_refuses_course_lib():
    _, message = verdict("signal.1", lambda mode: 1.5)
    assert "1.39" not in message and "1.21" not in message and "0.516" not in message

    def calls_course_lib(mode):
        return activations.gain("hard_tanh", mode)

    status, message = verdict("signal.1", calls_course_lib)
    assert status == "wrong" and "yourself" in message
