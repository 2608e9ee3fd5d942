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
    # f instead of f'
    wrong = dataclasses.replace(activations.get("sigmoid"), derivative=activations.sigmoid)
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


def test_derivative_report_prints_each_measured_error_next_to_its_tolerance():
    text = repr(gradcheck.derivative_report("relu"))
    assert "0 (identical)" in text
    report = gradcheck.derivative_report("sigmoid")
    text = repr(report)
    for key in gradcheck.REPORT_TOLERANCE:
        assert f"{report[key]:.0e} < 1e-05: ok" in text      # the measured error, 1 digit
    assert text == repr(gradcheck.derivative_report("sigmoid"))


def test_derivative_report_prints_the_error_of_a_failed_check(monkeypatch):
    wrong = dataclasses.replace(activations.get("sigmoid"), derivative=activations.sigmoid)
    monkeypatch.setattr(activations, "get", lambda name: wrong)
    report = gradcheck.derivative_report("sigmoid")
    error = report["finite_difference_rel_error"]
    assert f"{error:.0e} >= 1e-05: FAILED" in repr(report)


def test_derivative_report_on_a_custom_grid():
    report = gradcheck.derivative_report("tanh", x=[-1.0, 0.5, 2.0])
    assert report["points"] == 3 and report["low"] == -1.0 and report["high"] == 2.0


def test_keras_activation_returns_none_without_a_builtin():
    assert gradcheck.keras_activation("prelu") is None
    gelu = gradcheck.keras_activation("gelu", approximate=True)
    x = np.linspace(-3, 3, 13).astype(np.float32)
    np.testing.assert_allclose(
        np.asarray(gelu(x)), activations.gelu(x, approximate=True), atol=1e-6
    )


# --- The basic tools: relative error, finite differences, GradientTape ------------------------

def test_relative_error_is_elementwise_and_handles_zeros():
    assert gradcheck.relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert gradcheck.relative_error([0.0], [0.0]) == 0.0
    # the small entry decides
    assert gradcheck.relative_error([1.0, 1e-6], [1.0, 2e-6]) == pytest.approx(1 / 3)
    assert gradcheck.relative_error([], []) == 0.0
    with pytest.raises(ValueError, match="same shape"):
        gradcheck.relative_error([1.0], [1.0, 2.0])


def test_numerical_derivative_of_known_functions():
    x = np.linspace(-2, 2, 9)
    assert gradcheck.relative_error(gradcheck.numerical_derivative(np.sin, x), np.cos(x)) < 1e-9
    # step scales with |x|
    assert gradcheck.relative_error(gradcheck.numerical_derivative(lambda v: v**3, 1e4), 3e8) < 1e-9
    np.testing.assert_allclose(gradcheck.central_difference_step(np.array([0.5, 100.0])),
                               np.cbrt(np.finfo(float).eps) * np.array([1.0, 100.0]))


def test_numerical_gradient_of_a_quadratic_leaves_w_alone():
    A = np.array([[2.0, 1.0], [1.0, 3.0]])
    w = np.array([0.5, -1.0])
    grad = gradcheck.numerical_gradient(lambda v: 0.5 * v @ A @ v, w)
    np.testing.assert_allclose(grad, A @ w, rtol=1e-9)
    np.testing.assert_array_equal(w, [0.5, -1.0])


def test_tape_derivative_and_max_abs_difference():
    x = np.linspace(-3, 3, 7)
    import tensorflow as tf

    np.testing.assert_allclose(
        gradcheck.tape_derivative(tf.tanh, x, dtype="float64"), 1 - np.tanh(x) ** 2, rtol=1e-12
    )
    assert gradcheck.max_abs_difference([np.inf, np.nan, 1.0], [np.inf, np.nan, 1.5]) == 0.5
    assert gradcheck.max_abs_difference([1.0], [1.0]) == 0.0


# --- The hand-written MLP against central differences and tf.GradientTape -----------------------

def mlp_problem(seed=0):
    from course_lib import mlp

    rng = np.random.default_rng(seed)
    params = mlp.init_params([3, 6, 5, 1], seed=seed)
    for layer in params:
        layer["b"] = rng.normal(0.0, 0.1, size=layer["b"].shape)
    return params, rng.normal(size=(3, 10)), (rng.random((1, 10)) > 0.5).astype(float)


def test_gradient_relative_error_on_arrays_and_gradient_lists():
    assert gradcheck.gradient_relative_error([3.0, 4.0], [3.0, 4.0]) == 0.0
    assert gradcheck.gradient_relative_error([0.0, 0.0], [0.0, 0.0]) == 0.0
    assert gradcheck.gradient_relative_error([1.0, 0.0], [-1.0, 0.0]) == 1.0
    # unlike the elementwise error, a tiny entry's last digits do not dominate
    assert gradcheck.gradient_relative_error([1.0, 1e-9], [1.0, 2e-9]) < 1e-9
    grads = [{"W": np.ones((2, 2)), "b": np.zeros((2, 1))}]
    assert gradcheck.gradient_relative_error(
        grads, [{"W": 2 * np.ones((2, 2)), "b": np.zeros((2, 1))}]
    ) == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="same number of entries"):
        gradcheck.gradient_relative_error([1.0], [1.0, 2.0])


@pytest.mark.parametrize("name", sorted(activations.ACTIVATIONS))
def test_mlp_gradients_agree_with_finite_differences_and_gradient_tape(name):
    errors = gradcheck.check_mlp_gradients(*mlp_problem(), name)
    assert set(errors) == {"finite differences", "GradientTape"}
    assert errors["finite differences"] < 1e-7 and errors["GradientTape"] < 1e-7


def test_mlp_tape_gradients_with_squared_error():
    from course_lib import mlp

    params, x, y = mlp_problem(1)
    tape = gradcheck.mlp_tape_gradients(params, x, y, "elu", loss="mse")
    assert (
        gradcheck.gradient_relative_error(mlp.gradients(params, x, y, "elu", loss="mse"), tape)
        < 1e-12
    )


def test_check_mlp_gradients_catches_a_wrong_backward_pass(monkeypatch):
    from course_lib import mlp

    params, x, y = mlp_problem()
    # a factor 2 too many
    monkeypatch.setattr(mlp, "output_dz", lambda a, y, loss="bce": 2 * (a - y))
    errors = gradcheck.check_mlp_gradients(params, x, y, "tanh")
    assert errors["finite differences"] > 0.1 and errors["GradientTape"] > 0.1


def test_keras_parity_rows_side_by_side():
    rows = gradcheck.keras_parity_rows("leaky_relu", [-2.0, 0.0, 3.0])
    assert [row["x"] for row in rows] == [-2.0, 0.0, 3.0]
    for column in ("course_lib", "keras"):  # the course's slope 0.01, not Keras' default 0.2
        np.testing.assert_allclose([row[column] for row in rows], [-0.02, 0.0, 3.0], rtol=1e-6)
    with pytest.raises(ValueError, match="Keras has no built-in"):
        gradcheck.keras_parity_rows("prelu", [1.0])


# --- mlp_check_problem, mlp_gradient_checks, gradient_check_table ---------------------------------

def test_mlp_check_problem_has_the_requested_shapes_and_nonzero_biases():
    problem = gradcheck.mlp_check_problem(seed=3)
    assert [layer["W"].shape for layer in problem.params] == [(5, 3), (4, 5), (1, 4)]
    assert problem.x.shape == (3, 8) and problem.y.shape == (1, 8)
    assert set(np.unique(problem.y)) <= {0.0, 1.0}
    assert all(np.all(layer["b"] != 0) for layer in problem.params)
    again = gradcheck.mlp_check_problem(seed=3)
    assert np.array_equal(again.x, problem.x) and np.array_equal(
        again.params[0]["b"], problem.params[0]["b"]
    )


@pytest.mark.parametrize("sizes, m", [((3,), 8), ((3, 0, 1), 8), ((3, 1), 0)])
def test_mlp_check_problem_rejects_impossible_sizes(sizes, m):
    with pytest.raises(ValueError, match="expected at least two positive layer sizes"):
        gradcheck.mlp_check_problem(seed=0, layer_sizes=sizes, m=m)


def test_mlp_gradient_checks_pass_for_the_hand_written_backward_pass():
    problem = gradcheck.mlp_check_problem(seed=3)
    results = gradcheck.mlp_gradient_checks(*problem, ["tanh", "relu"])
    assert [result.activation for result in results] == ["tanh", "relu"]
    assert all(result.passed for result in results)
    assert all(result.vs_central_differences < 1e-7 and result.vs_gradient_tape < 1e-7
               for result in results)


def test_mlp_gradient_check_fails_above_its_tolerance():
    result = gradcheck.MLPGradientCheck("relu", vs_central_differences=0.1, vs_gradient_tape=0.0)
    assert not result.passed and result.tolerance == gradcheck.MLP_GRADIENT_TOLERANCE


def test_gradient_check_table_shows_each_error_next_to_its_tolerance():
    results = [gradcheck.MLPGradientCheck("relu", 0.1, 3e-16),
               gradcheck.MLPGradientCheck("tanh", 2e-11, 0.0)]
    table = gradcheck.gradient_check_table(results)
    assert table.columns == ["activation", "error vs central differences",
                             "error vs tf.GradientTape", "tolerance", "within tolerance"]
    assert table.cells == [["relu", "0.10", "< 1e-15", "1e-07", "no"],
                           ["tanh", "< 1e-10", "0", "1e-07", "yes"]]
