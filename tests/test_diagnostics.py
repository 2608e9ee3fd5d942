"""Tests of course_lib.diagnostics: dead and saturated units, hidden layers found from structure."""

import warnings

import mpmath
import numpy as np
import pytest

from course_lib import activations, diagnostics, models

mpmath.mp.dps = 40


def keras_modules():
    keras = models.load_keras()
    return keras, keras.layers


# --- derivative_maximum: max |f'| over the real line ------------------------------------------


def mp_maximum(fprime, guess):
    """max f' where f'' = 0 near `guess`, with mpmath's own derivative of f'."""
    x = mpmath.findroot(lambda t: mpmath.diff(fprime, t), guess)
    return float(fprime(x))


def mp_gelu_grad(x):
    return mpmath.ncdf(x) + x * mpmath.npdf(x)


def mp_gelu_tanh_grad(x):
    c = mpmath.sqrt(2 / mpmath.pi)
    cubic = mpmath.mpf("0.044715")
    return mpmath.diff(lambda t: t / 2 * (1 + mpmath.tanh(c * (t + cubic * t ** 3))), x)


def mp_silu_grad(x):
    s = 1 / (1 + mpmath.exp(-x))
    return s * (1 + x * (1 - s))


def mp_mish_grad(x):
    return mpmath.diff(lambda t: t * mpmath.tanh(mpmath.log1p(mpmath.exp(t))), x)


@pytest.mark.parametrize("name, parameters, expected", [
    ("gelu", {}, float(mp_gelu_grad(mpmath.sqrt(2)))),  # gelu'' = phi(x) (2 - x^2): max at sqrt 2
    ("gelu", {"approximate": True}, mp_maximum(mp_gelu_tanh_grad, 1.42)),
    ("silu", {}, mp_maximum(mp_silu_grad, 2.4)),
    ("mish", {}, mp_maximum(mp_mish_grad, 1.49)),
    ("sigmoid", {}, 0.25),
    ("tanh", {}, 1.0),
    ("softplus", {}, 1.0),  # a supremum, reached in float64 where sigma(x) rounds to 1
    ("selu", {}, activations.SELU_SCALE * activations.SELU_ALPHA),  # the slope just left of 0
    ("relu6", {}, 1.0),
    ("leaky_relu", {"alpha": 2.0}, 2.0),
    ("leaky_relu", {}, 1.0),
    ("elu", {"alpha": 3.0}, 3.0),
])
def test_derivative_maximum_against_references(name, parameters, expected):
    assert diagnostics.derivative_maximum(name, **parameters) == pytest.approx(expected, rel=1e-12)


def test_derivative_maximum_per_unit_for_prelu_slopes():
    slopes = np.array([0.25, -2.0, 0.0])
    maxima = diagnostics.derivative_maximum("prelu", alpha=slopes)
    np.testing.assert_array_equal(maxima, [1.0, 2.0, 1.0])


def test_derivative_maximum_of_every_registry_entry_is_a_positive_number():
    for name, entry in activations.ACTIVATIONS.items():
        maximum = diagnostics.derivative_maximum(entry)
        assert np.isfinite(maximum) and maximum > 0, name
        assert maximum >= np.abs(entry.grad(np.linspace(-30, 30, 6001))).max(), name


def test_derivative_maximum_of_a_function():
    assert diagnostics.derivative_maximum(lambda z: np.exp(-z * z)) == 1.0


def test_derivative_maximum_of_a_naive_derivative_without_warnings():
    def naive_sigmoid_grad(z):
        # exp overflows at z = -1000, and inf / inf is nan
        return np.exp(-z) / (1 + np.exp(-z)) ** 2

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert diagnostics.derivative_maximum(naive_sigmoid_grad) == 0.25


# --- unit_states: the definitions ---------------------------------------------------------------


def states(z, activation, **options):
    result = diagnostics.unit_states(np.asarray(z, dtype=np.float64), activation, **options)
    return result.dead.tolist(), result.saturated.tolist()


def test_relu_dead_exactly_where_z_is_never_positive():
    z = [[0.0, -1.0, 0.5, -3.0],
         [-2.0, -1.0, -1.0, 1e-30]]
    assert states(z, "relu") == ([True, True, False, False], [False] * 4)  # relu'(0) = 0


def test_relu6_dead_above_six_as_well():
    z = [[7.0, 6.0, 5.9, -1.0, -1.0], [100.0, 8.0, 7.0, 7.0, 3.0]]
    # relu6'(6) = 0; the fourth unit is on one flat part or the other, never on the slope
    assert states(z, "relu6") == ([True, True, False, True, False], [False] * 5)


def test_sigmoid_with_a_huge_pre_activation_is_saturated_not_dead():
    z = [[100.0, -100.0, 5.0, 6.5], [200.0, -50.0, 7.0, 7.0]]
    # sigmoid'(100) = 3.7e-44: tiny, not 0. sigmoid' < 0.0025 exactly when |z| > 5.99
    assert states(z, "sigmoid") == ([False] * 4, [True, True, False, True])


def test_smooth_derivatives_that_round_to_zero_count_as_dead():
    assert states([[800.0], [1000.0]], "sigmoid") == ([True], [False])  # sigmoid'(800) < 5e-324
    assert states([[-40.0]], "gelu") == ([True], [False])
    assert states([[-30.0]], "gelu") == ([False], [True])


@pytest.mark.parametrize("name", ["elu", "selu", "softplus", "gelu", "silu", "mish"])
def test_far_negative_units_of_the_smooth_activations_are_saturated(name):
    assert states([[-30.0, -1.0], [-25.0, -30.0]], name) == ([False, False], [True, False])


def test_leaky_relu_slope_decides_saturation():
    z = [[-1.0], [-5.0]]
    assert states(z, "leaky_relu") == ([False], [False])  # 0.01 is not below 1 % of 1
    assert states(z, "leaky_relu", alpha=0.005) == ([False], [True])
    assert states(z, "leaky_relu", alpha=0.0) == ([True], [False])
    assert states(z, "elu", alpha=0.001) == ([False], [True])


def test_prelu_slopes_per_unit():
    z = [[-1.0, -1.0, -1.0], [-2.0, -2.0, -2.0]]
    dead, saturated = states(z, "prelu", alpha=np.array([0.0, 0.25, 0.005]))
    assert dead == [True, False, False] and saturated == [False, False, True]


def test_tanh_saturation_threshold_in_terms_of_z():
    # tanh' < 0.01 exactly when |z| > 2.993
    assert states([[2.9, 3.1, -3.1]], "tanh") == ([False] * 3, [False, True, True])
    stricter = states([[2.9, 3.1]], "tanh", saturation_threshold=0.001)
    assert stricter == ([False, False], [False, False])


def test_one_live_probe_input_keeps_a_unit_alive():
    assert states([[-1.0], [-1.0], [0.5]], "relu") == ([False], [False])
    assert states([[10.0], [10.0], [0.0]], "sigmoid") == ([False], [False])


def test_a_derivative_function_and_units_in_any_probe_layout():
    z = np.full((4, 5, 3), -1.0)
    z[2, 3, 1] = 1.0
    result = diagnostics.unit_states(z, activations.relu_grad)
    assert result.dead.tolist() == [True, False, True]


def test_unit_states_leave_their_input_alone():
    z = np.array([[-1.0, 2.0]])
    diagnostics.unit_states(z, "relu")
    np.testing.assert_array_equal(z, [[-1.0, 2.0]])


def test_unit_states_say_what_was_expected():
    with pytest.raises(ValueError, match=r"shape \(inputs, units\)"):
        diagnostics.unit_states(np.zeros(3), "relu")
    with pytest.raises(ValueError, match="saturation_threshold"):
        diagnostics.unit_states(np.zeros((2, 2)), "relu", saturation_threshold=1.5)
    with pytest.raises(ValueError, match="takes the parameters"):
        diagnostics.unit_states(np.zeros((2, 2)), "relu", alpha=0.1)
    with pytest.raises(TypeError, match="expected a registry name"):
        diagnostics.unit_states(np.zeros((2, 2)), 3)
    with pytest.raises(KeyError, match="unknown activation"):
        diagnostics.unit_states(np.zeros((2, 2)), "relu7")


# --- hidden_layers: from the model's structure --------------------------------------------------


def test_keras_default_names_first_hidden_layer_counted_output_excluded():
    keras, layers = keras_modules()
    model = keras.Sequential([keras.Input((2,)), layers.Dense(3, "relu"), layers.Dense(3, "relu"),
                              layers.Dense(1, "sigmoid")])
    hidden = diagnostics.hidden_layers(model)
    assert [layer.dense for layer in hidden] == model.layers[:2]
    assert [layer.activation for layer in hidden] == ["relu", "relu"]
    kernel, bias = model.layers[0].get_weights()
    bias[2] = -100.0  # z < 0 on every input in [-1, 1]^2
    model.layers[0].set_weights([kernel, bias])
    x = np.random.default_rng(0).uniform(-1, 1, size=(64, 2))
    fractions = diagnostics.unit_fractions(model, x)
    assert fractions.dead.shape == (2,) and fractions.dead[0] == pytest.approx(1 / 3)


def test_functional_model_with_activation_layers():
    keras, layers = keras_modules()
    inputs = keras.Input((2,))
    h1 = layers.LeakyReLU()(layers.Dense(4)(inputs))
    h2 = layers.Dense(4, activation="gelu")(h1)
    h3 = layers.PReLU(alpha_initializer=keras.initializers.Constant(0.5))(layers.Dense(3)(h2))
    h4 = layers.ReLU(max_value=6)(layers.Dense(2)(h3))
    h5 = layers.ELU(alpha=2.0)(layers.Dense(2)(h4))
    h6 = layers.Activation("leaky_relu")(layers.Dense(2)(h5))
    outputs = layers.Dense(1)(layers.Dropout(0.5)(h6))
    hidden = diagnostics.hidden_layers(keras.Model(inputs, outputs))
    assert [(layer.activation, layer.dense.units) for layer in hidden] == [
        ("leaky_relu", 4), ("gelu", 4), ("prelu", 3), ("relu6", 2), ("elu", 2), ("leaky_relu", 2)]
    assert hidden[0].parameters == {"alpha": 0.3}  # keras.layers.LeakyReLU's default slope
    assert hidden[1].parameters == {"approximate": False}
    np.testing.assert_array_equal(hidden[2].parameters["alpha"], [0.5, 0.5, 0.5])
    assert hidden[4].parameters == {"alpha": 2.0}
    assert hidden[5].parameters == {"alpha": pytest.approx(0.2)}  # keras.activations.leaky_relu


def test_functional_model_with_two_branches_and_two_outputs():
    keras, layers = keras_modules()
    inputs = keras.Input((3,))
    shared = layers.Dense(5, activation="tanh", name="shared")(inputs)
    left = layers.Dense(4, activation="relu", name="left")(shared)
    right = layers.Dense(2, activation="sigmoid", name="right_output")(shared)
    merged = layers.Dense(1, name="left_output")(layers.Concatenate()([left, inputs]))
    model = keras.Model(inputs, [merged, right])
    assert [layer.name for layer in diagnostics.hidden_layers(model)] == ["shared", "left"]
    z = diagnostics.hidden_pre_activations(model, np.ones((7, 3)))
    assert {name: value.shape for name, value in z.items()} == {"shared": (7, 5), "left": (7, 4)}
    kernel, bias = model.get_layer("shared").get_weights()
    expected = np.ones((7, 3), dtype=np.float32) @ kernel + bias
    np.testing.assert_allclose(z["shared"], expected, rtol=1e-6)  # z before the tanh of the layer


def test_prelu_slopes_are_read_when_measured():
    keras, layers = keras_modules()
    model = models.build_mlp("prelu", [2], seed=0)
    prelu = next(layer for layer in model.layers if isinstance(layer, layers.PReLU))
    x = np.random.default_rng(0).uniform(-1, 1, size=(16, 2))
    kernel, bias = model.get_layer("dense_1").get_weights()
    model.get_layer("dense_1").set_weights([kernel, np.array([-100.0, -100.0], dtype=np.float32)])
    # Keras starts PReLU at slope 0: a plain ReLU, dead below 0
    assert diagnostics.unit_fractions(model, x).dead.tolist() == [1.0]
    prelu.set_weights([np.array([0.0, 0.25], dtype=np.float32)])
    assert diagnostics.unit_fractions(model, x).dead.tolist() == [0.5]


def test_hidden_layers_say_what_is_missing():
    keras, layers = keras_modules()
    with pytest.raises(ValueError, match="expected at least one hidden Dense layer"):
        diagnostics.hidden_layers(keras.Sequential([keras.Input((2,)), layers.Dense(1)]))
    strange = keras.Sequential([keras.Input((2,)), layers.Dense(3, activation=lambda z: z * z),
                                layers.Dense(1)])
    with pytest.raises(ValueError, match="not one of the registry's"):
        diagnostics.hidden_layers(strange)
    inner = keras.Sequential([keras.Input((2,)), layers.Dense(3, "relu"), layers.Dense(2)])
    with pytest.raises(ValueError, match="nested models"):
        diagnostics.hidden_layers(keras.Sequential([keras.Input((2,)), inner, layers.Dense(1)]))
    twice = keras.Sequential([keras.Input((2,)), layers.Dense(3, "relu"), layers.Activation("tanh"),
                              layers.Dense(1)])
    with pytest.raises(ValueError, match="two activations in a row"):
        diagnostics.hidden_layers(twice)


def test_relu_dead_fractions_as_z_never_positive_on_a_trained_model():
    # today's definition for ReLU, z <= 0 on every input, computed here layer by layer as before
    from course_lib import datasets

    x, y = datasets.moons(128, seed=0)
    model = models.build_mlp("relu", [16, 16], seed=0)
    models.train(model, x, y, epochs=3, seed=0, batch_size=16, learning_rate=1.0)
    a, expected = x.astype(np.float32), []
    for layer in model.layers:
        a = layer(a, training=False)
        if layer.name in ("dense_1", "dense_2"):
            expected.append(np.mean(np.all(np.asarray(a) <= 0, axis=0)))
    fractions = diagnostics.unit_fractions(model, x)
    np.testing.assert_array_equal(fractions.dead, expected)
    assert max(expected) > 0  # the huge learning rate killed units: the comparison means something
    np.testing.assert_array_equal(fractions.saturated, [0.0, 0.0])  # relu' is 0 or 1


def test_importing_diagnostics_imports_no_keras():
    import subprocess
    import sys

    code = ("import sys, course_lib.diagnostics as d; assert 'keras' not in sys.modules; "
            "assert d.DeadUnitsMonitor.__name__ == 'DeadUnitsMonitor'")
    subprocess.run([sys.executable, "-c", code], check=True)
