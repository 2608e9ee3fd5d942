"""Tests of course_lib.gradcheck."""

import dataclasses

import numpy as np
import pytest

from course_lib import activations, gradcheck


# --- derivative_report -------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "relu6", "elu", "gelu", "softplus"])
def test_derivative_report_passes_for_course_activations(name):
    report = gradcheck.derivative_report(name)
    assert report.passed(), report
    assert report["finite_difference_rel_error"] < 1e-5
    assert report["tape_max_abs_diff"] < 1e-5 and report["keras_max_abs_diff"] < 1e-5


def test_derivative_report_catches_a_wrong_derivative(monkeypatch):
    wrong = dataclasses.replace(activations.get("sigmoid"), derivative=activations.sigmoid)  # f instead of f'
    monkeypatch.setattr(activations, "get", lambda name: wrong)
    report = gradcheck.derivative_report("sigmoid")
    assert not report.passed()
    assert report["finite_difference_rel_error"] > 0.1
    assert "FAILED" in repr(report)


def test_derivative_report_grid_avoids_every_corner():
    grid = gradcheck.DERIVATIVE_GRID
    assert np.min(np.abs(grid)) > 1e-3 and np.min(np.abs(grid - 6)) > 1e-3


def test_derivative_report_uses_keras_names_for_parameters():
    # Keras' leaky_relu defaults to a slope of 0.2: without the renaming the parity would fail.
    report = gradcheck.derivative_report("leaky_relu", alpha=0.01)
    assert report["keras_max_abs_diff"] < 1e-6
    assert report["params"] == {"alpha": 0.01}


def test_derivative_report_skips_keras_for_prelu_with_a_note():
    report = gradcheck.derivative_report("prelu")
    assert report["tape_max_abs_diff"] is None and report["keras_max_abs_diff"] is None
    assert "skipped: Keras has no built-in prelu" in repr(report)
    assert report.passed()


def test_derivative_report_prints_exact_zero_and_tolerances_not_raw_floats():
    text = repr(gradcheck.derivative_report("relu"))
    assert "0 (identical)" in text
    text = repr(gradcheck.derivative_report("sigmoid"))
    assert "< 1e-05: ok" in text and "e-08" not in text
    assert text == repr(gradcheck.derivative_report("sigmoid"))


def test_derivative_report_on_a_custom_grid():
    report = gradcheck.derivative_report("tanh", x=[-1.0, 0.5, 2.0])
    assert report["points"] == 3 and report["low"] == -1.0 and report["high"] == 2.0


def test_keras_activation_returns_none_without_a_builtin():
    assert gradcheck.keras_activation("prelu") is None
    gelu = gradcheck.keras_activation("gelu", approximate=True)
    x = np.linspace(-3, 3, 13).astype(np.float32)
    np.testing.assert_allclose(np.asarray(gelu(x)), activations.gelu(x, approximate=True), atol=1e-6)
