"""Tests of course_lib.models: the Keras builder and training call."""

import numpy as np
import pytest

from course_lib import datasets, models


def test_build_mlp_layer_names_and_shapes():
    model = models.build_mlp(
        "relu", [5, 3], seed=0, input_dim=4, output_units=2, output_activation="softmax"
    )
    names = [layer.name for layer in model.layers]
    assert names == ["dense_1", "act_1", "dense_2", "act_2", "output"]
    assert model.output_shape == (None, 2)
    assert model.count_params() == (4 * 5 + 5) + (5 * 3 + 3) + (3 * 2 + 2)


def test_build_mlp_without_activation_has_only_dense_layers():
    model = models.build_mlp(None, [4, 4], seed=0)
    assert [type(layer).__name__ for layer in model.layers] == ["Dense", "Dense", "Dense"]


def test_build_mlp_same_seed_same_weights_other_seed_other_weights():
    def weights(seed):
        return models.build_mlp("tanh", [6], seed=seed).get_weights()[0]

    np.testing.assert_array_equal(weights(1), weights(1))
    assert not np.array_equal(weights(1), weights(2))


def test_leaky_relu_layer_uses_the_course_slope_not_keras_default():
    layer = models.activation_layer("leaky_relu")
    assert layer.negative_slope == pytest.approx(0.01)
    out = np.asarray(layer(np.array([[-100.0, 2.0]], dtype=np.float32)))
    np.testing.assert_allclose(out, [[-1.0, 2.0]])


def test_alpha_sets_the_leaky_slope_and_the_initial_prelu_slope():
    leaky = models.activation_layer("leaky_relu", alpha=0.2)
    assert leaky.negative_slope == pytest.approx(0.2)
    model = models.build_mlp("prelu", [3, 2], seed=0, alpha=0.25)
    slopes = [layer.alpha.numpy() for layer in model.layers if layer.name.startswith("act_")]
    assert [s.shape for s in slopes] == [(3,), (2,)] and all(np.all(s == 0.25) for s in slopes)
    out = np.asarray(
        models.activation_layer("prelu", alpha=0.5)(np.array([[-4.0, 2.0]], dtype=np.float32))
    )
    np.testing.assert_allclose(out, [[-2.0, 2.0]])


def test_prelu_starts_as_relu_by_default_as_in_keras():
    layer = models.activation_layer("prelu")
    layer.build((None, 3))
    np.testing.assert_array_equal(layer.alpha.numpy(), np.zeros(3))


def test_alpha_for_an_activation_without_a_slope_is_an_error():
    with pytest.raises(ValueError, match="only leaky_relu and prelu take a slope"):
        models.build_mlp("tanh", [3], seed=0, alpha=0.1)


@pytest.mark.parametrize(
    "activation, expected",
    [
        ("relu", "he_normal"),
        ("selu", "lecun_normal"),
        ("sigmoid", "glorot_uniform"),
        ("unknown", "glorot_uniform"),
    ],
)
def test_initializer_for(activation, expected):
    assert models.initializer_for(activation) == expected


@pytest.mark.parametrize("bad", [[0], [3, -1], [2.5], [True]])
def test_build_mlp_rejects_bad_sizes(bad):
    with pytest.raises(ValueError, match="hidden_sizes: expected positive ints"):
        models.build_mlp("relu", bad, seed=0)


def test_unknown_activation_is_a_clear_error():
    with pytest.raises(ValueError, match="Keras knows no activation 'not_an_activation'"):
        models.build_mlp("not_an_activation", [3], seed=0)


# --- initialisation from the activation's gain -------------------------------------------------

def _relative_sampling_error(kernel):
    """4 standard errors of a sample variance, relative: sqrt(2 / n) for normal samples."""
    return 4 * np.sqrt(2 / kernel.size)


@pytest.mark.parametrize("activation, mode", [("tanh", "forward"), ("sigmoid", "backward"),
                                              ("relu", "forward"), ("gelu", "backward")])
def test_gain_initializer_variance_is_gain_squared_over_fan(activation, mode):
    from course_lib.activations import gain
    fan_in, fan_out = 400, 300
    initializer = models.gain_initializer(activation, mode, seed=3)
    kernel = np.asarray(initializer((fan_in, fan_out)))
    fan = fan_in if mode == "forward" else fan_out
    expected = gain(activation, mode) ** 2 / fan
    assert abs(kernel.mean()) < 4 * np.sqrt(expected / kernel.size)
    assert kernel.var() == pytest.approx(expected, rel=_relative_sampling_error(kernel))
    np.testing.assert_array_equal(kernel, np.asarray(models.gain_initializer(
        activation, mode, seed=3)((fan_in, fan_out))))                      # seeded


def test_gain_initializer_takes_parameters_and_distributions():
    from course_lib.activations import gain
    kernel = np.asarray(models.gain_initializer("leaky_relu", alpha=0.2, seed=0,
                                                distribution="uniform")((500, 500)))
    expected = gain("leaky_relu", alpha=0.2) ** 2 / 500
    assert kernel.var() == pytest.approx(expected, rel=_relative_sampling_error(kernel))
    assert np.abs(kernel).max() <= np.sqrt(3 * expected) * (1 + 1e-6)   # uniform on +-sqrt(3 var)
    with pytest.raises(ValueError, match=("mode: expected one of 'forward', 'backward', got "
                                          "'fan_in'")):
        models.gain_initializer("relu", "fan_in")
    with pytest.raises(ValueError, match="activation: expected one of .*; got 'sigmoud'"):
        models.gain_initializer("sigmoud")


def test_build_mlp_with_the_gain_scales_every_hidden_layer_by_its_activation():
    from course_lib.activations import gain
    model = models.build_mlp(
        "sigmoid", [512, 512], seed=0, input_dim=512, kernel_initializer="gain"
    )
    for name in ("dense_1", "dense_2"):
        kernel = model.get_layer(name).kernel.numpy()
        expected = gain("sigmoid") ** 2 / 512                            # 1.8462^2 / fan_in
        assert kernel.var() == pytest.approx(expected, rel=_relative_sampling_error(kernel))
    assert not np.array_equal(model.get_layer("dense_1").kernel.numpy(),
                              model.get_layer("dense_2").kernel.numpy())  # seeded per layer
    backward = models.build_mlp("tanh", [256, 128], seed=0, input_dim=64,
                                kernel_initializer="gain_backward")
    kernel = backward.get_layer("dense_2").kernel.numpy()               # fan_out 128
    assert kernel.var() == pytest.approx(gain("tanh", "backward") ** 2 / 128,
                                         rel=_relative_sampling_error(kernel))


def test_build_mlp_gain_uses_the_slope_the_model_applies():
    from course_lib.activations import gain
    for activation, alpha, slope in (("prelu", None, 0.0), ("prelu", 0.25, 0.25),
                                     ("leaky_relu", None, 0.01), ("leaky_relu", 0.3, 0.3)):
        model = models.build_mlp(activation, [600, 600], seed=1, input_dim=600, alpha=alpha,
                                 kernel_initializer="gain")
        kernel = model.get_layer("dense_2").kernel.numpy()
        expected = gain(activation, alpha=slope) ** 2 / 600
        assert kernel.var() == pytest.approx(expected, rel=_relative_sampling_error(kernel))


def test_train_is_reproducible_and_learns_xor():
    x, y = datasets.xor()

    def run():
        model = models.build_mlp("tanh", [8], seed=0)
        history = models.train(
            model, x, y, epochs=10, seed=0, batch_size=4, learning_rate=0.05, repeat=25
        )
        assert history.params["repeat"] == 25, "the History says how many passes an epoch made"
        return history.history["loss"], models.predict(model, x).ravel()

    (loss_a, out_a), (loss_b, out_b) = run(), run()
    np.testing.assert_array_equal(loss_a, loss_b)
    assert loss_a[-1] < loss_a[0]
    assert ((out_a > 0.5) == y).all()


@pytest.mark.parametrize(
    "units, activation, loss",
    [
        (1, "sigmoid", "binary_crossentropy"),
        (10, "softmax", "sparse_categorical_crossentropy"),
        (1, None, "mse"),
    ],
)
def test_default_loss_matches_output(units, activation, loss):
    assert models.default_loss(units, activation) == loss


# --- Inside a model: gradient norms, dead and saturated units ----------------------------------

def test_layer_gradient_norms_match_a_gradient_tape_written_out():
    import tensorflow as tf

    x, y = datasets.moons(32, seed=0)
    model = models.build_mlp("tanh", [4, 3], seed=0)
    norms = models.layer_gradient_norms(model, x, y)
    assert list(norms) == ["dense_1", "dense_2", "output"]
    with tf.GradientTape() as tape:
        p = model(x, training=False)[:, 0]
        loss = -tf.reduce_mean(y * tf.math.log(p) + (1 - y) * tf.math.log(1 - p))
    grads = tape.gradient(loss, [model.get_layer(name).kernel for name in norms])
    np.testing.assert_allclose(list(norms.values()), [np.linalg.norm(g) for g in grads], rtol=1e-4)


def test_layer_gradient_norms_accept_a_loss_and_multiclass_labels():
    x, y = datasets.moons(16, seed=1)
    model = models.build_mlp("relu", [4], seed=0, output_units=2, output_activation="softmax")
    norms = models.layer_gradient_norms(model, x, y)
    assert set(norms) == {"dense_1", "output"} and all(v > 0 for v in norms.values())
    mse = models.layer_gradient_norms(
        models.build_mlp("relu", [4], seed=0, output_activation=None), x, y, loss="mse"
    )
    assert all(np.isfinite(v) for v in mse.values())


def dead_unit_model(activation="relu", hidden_sizes=(3,), bias=-100.0):
    """Three units in the first hidden layer; unit 1 has the bias `bias`.

    With -100, z < 0 on every input in [-1, 1]^2; with 100, z > 6."""
    model = models.build_mlp(activation, hidden_sizes, seed=0)
    kernel, biases = model.get_layer("dense_1").get_weights()
    biases[1] = bias
    model.get_layer("dense_1").set_weights([kernel, biases])
    return model


PROBE = np.random.default_rng(0).uniform(-1, 1, size=(64, 2)).astype(np.float32)


def test_unit_fractions_find_the_dead_unit():
    dead, saturated = models.unit_fractions(dead_unit_model(), PROBE)
    np.testing.assert_allclose(dead, [1 / 3])
    np.testing.assert_array_equal(saturated, [0.0])  # relu' is 0 or 1: never saturated


def test_unit_fractions_relu6_unit_above_six_is_dead():
    # issue 11: with "dead" as z <= 0, this unit (z near 100 on every input) counted as alive
    fractions = models.unit_fractions(dead_unit_model("relu6", bias=100.0), PROBE)
    np.testing.assert_allclose(fractions.dead, [1 / 3])
    np.testing.assert_array_equal(fractions.saturated, [0.0])


@pytest.mark.parametrize("activation, bias", [("sigmoid", 100.0), ("sigmoid", -100.0),
                                              ("tanh", -100.0), ("elu", -100.0), ("selu", -30.0),
                                              ("softplus", -100.0)])
def test_unit_fractions_huge_bias_saturates_without_killing(activation, bias):
    # sigmoid'(100) = 3.7e-44, elu'(-100) = 3.7e-44: below 1 % of the maximum, yet not 0
    fractions = models.unit_fractions(dead_unit_model(activation, bias=bias), PROBE)
    np.testing.assert_allclose(fractions.saturated, [1 / 3])
    np.testing.assert_array_equal(fractions.dead, [0.0])


def test_unit_fractions_leaky_relu_unit_below_zero_is_neither():
    # slope 0.01 below 0: exactly 1 % of the maximum 1, not below it
    fractions = models.unit_fractions(dead_unit_model("leaky_relu"), PROBE)
    np.testing.assert_array_equal([fractions.dead, fractions.saturated], [[0.0], [0.0]])


def test_saturation_threshold_in_terms_of_z():
    model = models.build_mlp("tanh", [1], seed=0)
    kernel, _ = model.get_layer("dense_1").get_weights()
    # tanh' < 0.01 exactly when |z| > 2.99
    for bias, expected in [(2.9, 0.0), (3.1, 1.0), (-3.1, 1.0)]:
        model.get_layer("dense_1").set_weights(
            [np.zeros_like(kernel), np.array([bias], dtype=np.float32)]
        )
        fractions = models.unit_fractions(model, np.zeros((4, 2), dtype=np.float32))
        assert fractions.saturated[0] == expected


def test_dead_units_monitor_records_every_epoch_on_a_tiny_model():
    x, y = datasets.moons(64, seed=0)
    model = dead_unit_model(hidden_sizes=(3, 4))
    monitor = models.DeadUnitsMonitor(x)
    models.train(model, x, y, epochs=3, seed=0, batch_size=64, callbacks=[monitor])
    assert monitor.epochs == [0, 1, 2, 3]
    assert monitor.layer_names == ["dense_1", "dense_2"]
    assert monitor.dead.shape == (4, 2) and monitor.saturated.shape == (4, 2)
    # a dead unit gets no gradient: it stays dead
    np.testing.assert_allclose(monitor.dead[:, 0], 1 / 3)
    kernel_row = model.get_layer("dense_1").get_weights()[0][:, 1]
    np.testing.assert_array_equal(
        kernel_row, dead_unit_model(hidden_sizes=(3, 4)).get_layer("dense_1").get_weights()[0][:, 1]
    )


def test_dead_units_monitor_sees_units_die_under_a_huge_learning_rate():
    x, y = datasets.moons(128, seed=0)
    model = models.build_mlp("relu", [16, 16], seed=0)
    monitor = models.DeadUnitsMonitor(x)
    models.train(
        model, x, y, epochs=5, seed=0, batch_size=16, learning_rate=1.0, callbacks=[monitor]
    )
    assert monitor.dead[0].max() < monitor.dead[-1].max()


def test_importing_models_imports_no_keras_and_defines_the_callback_on_first_use():
    import subprocess
    import sys

    code = ("import sys, course_lib.models as m; assert 'keras' not in sys.modules; "
            "assert 'DeadUnitsMonitor' not in vars(m); assert m.DeadUnitsMonitor.__name__ == "
            "'DeadUnitsMonitor'; "
            "assert m.DeadUnitsMonitor is m.DeadUnitsMonitor")
    subprocess.run([sys.executable, "-c", code], check=True)
    with pytest.raises(AttributeError, match="no attribute 'NoSuchThing'"):
        models.NoSuchThing


def test_train_monitored_builds_trains_and_monitors():
    x, y = datasets.moons(32, seed=0)
    model, history, monitor = models.train_monitored(
        "relu",
        [4, 4],
        x,
        y,
        seed=0,
        epochs=2,
        learning_rate=0.01,
        kernel_initializer="glorot_uniform",
    )
    assert len(history.history["loss"]) == 2 and monitor.dead.shape == (3, 2)
    assert model.get_layer("dense_1").kernel_initializer.__class__.__name__ == "GlorotUniform"
    # z = b = 0 at init on the zero input: every unit counts as dead
    probe = np.zeros((5, 2), dtype=np.float32)
    _, _, monitor = models.train_monitored(
        "relu", [4], x, y, seed=0, epochs=0, learning_rate=0.01, probe_x=probe
    )
    np.testing.assert_array_equal(monitor.dead, [[1.0]])


def test_dead_units_monitor_finds_hidden_layers_by_structure():
    x, y = datasets.moons(32, seed=0)
    keras = models.load_keras()
    layers = keras.layers  # Keras names these dense, dense_1 and dense_2 (in a fresh session)
    model = keras.Sequential([keras.Input((2,)), layers.Dense(3, "relu"), layers.Dense(3, "relu"),
                              layers.Dense(1, "sigmoid")])
    monitor = models.DeadUnitsMonitor(x)
    models.train(model, x, y, epochs=1, seed=0, callbacks=[monitor])
    assert monitor.layer_names == [model.layers[0].name, model.layers[1].name]
    assert monitor.dead.shape == (2, 2) and monitor.saturated.shape == (2, 2)
