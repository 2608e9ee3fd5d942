"""Tests of course_lib.propagation: second moments through depth against the gain's prediction,
the saturated fraction, the Keras histograms and update-to-data ratio, and the deep-MLP trainer
(its backward pass against central finite differences)."""

import math
import subprocess
import sys

import numpy as np
import pytest

from course_lib import activations, datasets, models
from course_lib import propagation as P


# --- propagate ----------------------------------------------------------------------------------

def test_forward_gain_keeps_the_second_moment_and_the_gradient_follows_the_gain_ratio():
    run = P.propagate("tanh", depth=12, width=512, n=64, seed=1)
    assert run.gain == activations.gain("tanh") and list(run.layers) == list(range(1, 13))
    np.testing.assert_allclose(run.z_second_moment, 1.0, rtol=0.1)
    predicted = (activations.gain("tanh") / activations.gain("tanh", "backward")) ** 2   # 1.178
    measured = (run.gradient_second_moment[0] / run.gradient_second_moment[-1]) ** (1 / 11)
    assert measured == pytest.approx(predicted, rel=0.02)
    from scipy.special import ndtr
    # P(|Z| > 2.993): where tanh' < 0.01, Z ~ N(0, 1)
    flat = 2 * ndtr(-math.acosh(10))
    np.testing.assert_allclose(run.saturated, flat, atol=0.001)


def test_relu_with_he_gain_keeps_both_and_a_smaller_gain_vanishes():
    he = P.propagate("relu", depth=10, width=512, n=64, seed=0)
    assert he.gain == pytest.approx(math.sqrt(2))
    ratio = he.gradient_second_moment[0] / he.gradient_second_moment[-1]
    assert 0.5 < ratio < 2 and 0.5 < he.z_second_moment[-1] < 2
    small = P.propagate("relu", depth=10, width=512, n=64, seed=0, gain=1.0)   # halves per layer
    assert small.z_second_moment[-1] / small.z_second_moment[0] == pytest.approx(2.0 ** -9,
                                                                                 rel=0.3)


def test_the_sigmoid_mean_makes_inputs_indistinguishable_but_not_tanh():
    sigmoid = P.propagate("sigmoid", depth=10, width=256, n=64, seed=0)
    tanh = P.propagate("tanh", depth=10, width=256, n=64, seed=0)
    assert sigmoid.z_input_variance[-1] / sigmoid.z_second_moment[-1] < 1e-3
    assert tanh.z_input_variance[-1] / tanh.z_second_moment[-1] > 0.9


def test_a_large_gain_saturates_tanh_and_parameters_reach_the_activation():
    run = P.propagate("tanh", depth=6, width=256, n=32, seed=0, gain=8.0)
    assert run.saturated[0] < 0.01 and run.saturated[-1] > 0.2
    leaky = P.propagate("leaky_relu", depth=3, width=64, n=16, alpha=0.3)
    assert leaky.gain == activations.gain("leaky_relu", alpha=0.3)


def test_propagate_is_seeded_and_overflow_is_not_finite_without_warnings():
    a, b = P.propagate("elu", depth=4, width=32, n=8, seed=3), P.propagate("elu", depth=4, width=32,
                                                                           n=8, seed=3)
    np.testing.assert_array_equal(a.gradient_second_moment, b.gradient_second_moment)
    huge = P.propagate("linear", depth=200, width=16, n=4, gain=1e3)
    assert not np.isfinite(huge.z_second_moment[-1])      # inf, or nan from inf - inf


@pytest.mark.parametrize("keywords, message", [
    ({"depth": 0}, "depth: expected a positive int, got 0"),
    ({"width": 2.5}, "width: expected a positive int, got 2.5"),
    ({"gain": -1.0}, "gain: expected a positive finite number, got -1.0"),
    ({"gain": "he"}, "gain: expected a positive finite number, got 'he'"),
])
def test_propagate_rejects_bad_input(keywords, message):
    with pytest.raises(ValueError, match=message):
        P.propagate("relu", **keywords)
    with pytest.raises(ValueError, match="activation: expected one of"):
        P.propagate("relux")


# --- saturated_fraction -------------------------------------------------------------------------

def test_saturated_fraction_follows_the_derivative_definition():
    z = np.array([[7.0, 2.0, -7.0, -7.0],
                  [6.5, 9.0, -8.0, 1.0]])        # units: flat, not always, flat, not always
    assert P.saturated_fraction(z, "sigmoid") == 0.5    # sigmoid' < 0.0025 for |z| > 5.99
    assert P.saturated_fraction(z, "tanh") == 0.5       # tanh' < 0.01 for |z| > 2.99 ...
    assert P.saturated_fraction(z[:1], "tanh") == 0.75  # ... on every input given
    assert P.saturated_fraction(z, "relu") == 0.0       # relu' = 0 on unit 3: dead, not saturated
    assert P.saturated_fraction(np.array([[-40.0]]), "elu") == 1.0
    assert P.saturated_fraction(np.array([[-3.0]]), "elu", threshold=0.1) == 1.0   # e^-3 < 0.1
    assert P.saturated_fraction(np.array([[-3.0]]), "elu", alpha=0.01) == 1.0      # max 1 still
    with pytest.raises(ValueError, match=r"z: expected pre-activations of shape \(inputs, units\)"):
        P.saturated_fraction(np.zeros(3), "tanh")
    assert P.saturated_fraction(z, "tanh", over="values") == 0.75     # 6 of the 8 values
    with pytest.raises(ValueError, match="over: expected 'units' or 'values', got 'layers'"):
        P.saturated_fraction(z, "tanh", over="layers")
    with pytest.raises(ValueError, match=r"threshold: expected a number in \(0, 1\), got 1.5"):
        P.saturated_fraction(z, "tanh", threshold=1.5)


def test_saturated_units_are_the_diagnostics_modules_saturated_units():
    from course_lib import diagnostics

    z = np.random.default_rng(0).normal(0.0, 6.0, size=(3, 400))
    for name, parameters in (("sigmoid", {}), ("relu6", {}), ("selu", {}), ("elu", {"alpha": 0.3})):
        states = diagnostics.unit_states(z, name, **parameters)
        assert P.saturated_fraction(z, name, **parameters) == np.mean(states.saturated)
    assert P.SATURATION_THRESHOLD == diagnostics.SATURATION_THRESHOLD


def test_products_of_every_size_are_matrix_products():
    rng = np.random.default_rng(1)
    for a_shape, b_shape in (((3, 7), (7, 2)), ((5, 64, 16), (5, 16, 16)),
                             ((37, 256), (256, 300)), ((2, 33, 512), (512, 513))):
        a, b = rng.standard_normal(a_shape), rng.standard_normal(b_shape)
        np.testing.assert_allclose(P._product(a, b), np.einsum("...ij,...jk->...ik", a, b),
                                   rtol=1e-12, atol=1e-12)


# --- Keras diagnostics --------------------------------------------------------------------------

def test_layer_signals_give_activations_and_the_gradient_of_the_loss():
    x, y = datasets.moons(32, seed=0)
    model = models.build_mlp("tanh", [5, 4], seed=0)
    signals = P.layer_signals(model, x, y)
    assert signals.names == ["act_1", "act_2"] and signals.activation_names == ["tanh", "tanh"]
    assert [a.shape for a in signals.activations] == [(32, 5), (32, 4)]
    np.testing.assert_allclose(signals.activations[0], np.tanh(signals.pre_activations[0]),
                               atol=1e-6)
    p = models.predict(model, x)[:, 0]
    W_out = model.get_layer("output").kernel.numpy()[:, 0]
    expected = ((p - y) / len(y))[:, None] * W_out       # BCE after a sigmoid: dL/dlogit = p - y
    np.testing.assert_allclose(signals.gradients[-1], expected, rtol=1e-4, atol=1e-7)


def test_layer_signals_rejects_models_it_cannot_read():
    keras = pytest.importorskip("keras")
    inputs = keras.Input((2,))
    functional = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    with pytest.raises(ValueError, match="expected a keras.Sequential model, got Functional"):
        P.layer_signals(functional, np.zeros((2, 2)), np.zeros(2))
    with pytest.raises(ValueError, match="expected hidden activation layers"):
        P.layer_signals(models.build_mlp(None, [3], seed=0), np.zeros((2, 2)), np.zeros(2))


def test_plot_layer_histograms_draws_one_line_per_layer_in_each_panel():
    x, y = datasets.moons(32, seed=0)
    signals = P.layer_signals(models.build_mlp("sigmoid", [4, 4, 4], seed=0), x, y)
    axes = P.plot_layer_histograms(signals, title="t")
    assert [len(ax.get_lines()) for ax in axes] == [3, 3]
    assert axes[0].get_xlabel() == "activation a" and axes[1].get_xlabel() == "log10 |dL/da|"
    assert "saturated 0%" in axes[0].get_legend().get_texts()[0].get_text()


def test_update_ratio_is_std_of_the_step_over_std_of_the_weights():
    keras = pytest.importorskip("keras")
    x, y = datasets.moons(16, seed=0)
    model = models.build_mlp("tanh", [6], seed=0)
    before = [layer.kernel.numpy().copy() for layer in model.layers
              if isinstance(layer, keras.layers.Dense)]
    grads = _kernel_gradients(model, x, y)
    monitor = P.UpdateRatioMonitor()
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="binary_crossentropy")
    model.fit(x, y, epochs=1, batch_size=16, verbose=0, shuffle=False, callbacks=[monitor])
    assert monitor.steps == [1] and monitor.layer_names == ["dense_1", "output"]
    expected = [np.std(0.1 * g) / np.std(w) for g, w in zip(grads, before)]
    np.testing.assert_allclose(monitor.ratios[0], expected, rtol=1e-4)
    ax = P.plot_update_ratios(monitor)
    assert len(ax.get_lines()) == 3 and "log10" in ax.get_ylabel()


def test_update_ratio_monitor_records_every_kth_step():
    keras = pytest.importorskip("keras")
    x, y = datasets.moons(64, seed=0)
    model = models.build_mlp("relu", [4], seed=0)
    monitor = P.UpdateRatioMonitor(every=3)
    model.compile(optimizer=keras.optimizers.Adam(0.0), loss="binary_crossentropy")
    model.fit(x, y, epochs=2, batch_size=8, verbose=0, callbacks=[monitor])
    assert monitor.steps == [1, 4, 7, 10, 13, 16] and monitor.ratios.shape == (6, 2)
    assert np.all(monitor.ratios == 0)                   # a learning rate of 0 moves nothing
    with pytest.raises(ValueError, match="every: expected a positive int, got 0"):
        P.UpdateRatioMonitor(every=0)


def _kernel_gradients(model, x, y):
    import tensorflow as tf
    kernels = [layer.kernel for layer in model.layers if hasattr(layer, "kernel")]
    with tf.GradientTape() as tape:
        p = model(x.astype(np.float32))
        loss = tf.reduce_mean(tf.keras.losses.binary_crossentropy(y[:, None].astype(np.float32),
                                                                  p))
    return [g.numpy() for g in tape.gradient(loss, kernels)]


def test_importing_propagation_imports_no_keras():
    code = ("import sys, course_lib.propagation as p; assert 'keras' not in sys.modules; "
            "assert 'tensorflow' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


# --- train_deep_mlp -----------------------------------------------------------------------------

CONFIGURATIONS = [(None, "before", False), (None, "before", True), ("batch", "before", False),
                  ("batch", "after", True), ("layer", "before", True), ("layer", "after", False)]


@pytest.mark.parametrize("normalization, placement, residual", CONFIGURATIONS)
def test_backward_pass_matches_central_differences(normalization, placement, residual):
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((7, 3)), rng.integers(0, 3, 7)
    network = P._Network(activations.get("sigmoid"), {}, 3, normalization, placement, residual)
    params = P._initial_parameters((0, 1), 3, 3, 4, 3, 1.5, normalization)
    params = [p + 0.1 * rng.standard_normal(p.shape) for p in params]
    onehot = np.eye(3)[y]
    _, grads = network.loss_and_gradients(params, x, onehot)
    for p, g in zip(params, grads):
        numeric = np.zeros_like(p)
        for index in np.ndindex(p.shape):
            old = p[index]
            p[index] = old + 1e-6
            up = network.loss_and_gradients(params, x, onehot)[0].sum()
            p[index] = old - 1e-6
            down = network.loss_and_gradients(params, x, onehot)[0].sum()
            p[index] = old
            numeric[index] = (up - down) / 2e-6
        np.testing.assert_allclose(g, numeric, atol=1e-8)


def test_batchnorm_matches_keras_layers_in_training_mode():
    keras = pytest.importorskip("keras")
    v = np.random.default_rng(0).standard_normal((1, 20, 5)) * 3 + 1
    gamma, beta = np.ones((1, 1, 5)), np.zeros((1, 1, 5))
    for normalization, layer in (("batch", keras.layers.BatchNormalization()),
                                 ("layer", keras.layers.LayerNormalization())):
        network = P._Network(activations.get("tanh"), {}, 1, normalization, "before", False)
        ours, _ = network._normalise(v, gamma, beta)
        theirs = np.asarray(layer(v[0].astype(np.float32), training=True))
        np.testing.assert_allclose(ours[0], theirs, atol=1e-5)


def test_batchnorm_trains_the_deep_sigmoid_network_that_stalls_without_it():
    x, y = datasets.two_spirals(100, seed=0)
    x = (x - x.mean(axis=0)) / x.std(axis=0)
    options = dict(activation="sigmoid", depth=12, width=8, seeds=(0, 1), steps=60,
                   learning_rate=0.01, record_every=20)
    plain = P.train_deep_mlp(x, y, **options)
    batch = P.train_deep_mlp(x, y, normalization="batch", **options)
    assert list(plain.steps) == [0, 20, 40, 60] and plain.losses.shape == (2, 4)
    assert np.all(plain.final_loss > 0.68) and np.all(batch.final_loss < 0.6)
    again = P.train_deep_mlp(x, y, **options)
    np.testing.assert_array_equal(again.losses, plain.losses)
    assert plain.accuracy.shape == (2,)


@pytest.mark.parametrize("keywords, message", [
    ({"normalization": "group"}, "normalization: expected one of"),
    ({"placement": "inside"}, "placement: expected one of"),
    ({"depth": 0}, "depth: expected a positive int"),
    ({"activation": "nope"}, "activation: expected one of"),
])
def test_train_deep_mlp_rejects_bad_options(keywords, message):
    options = dict(activation="tanh", depth=2, width=3, seeds=(0,), steps=1, learning_rate=0.1)
    with pytest.raises(ValueError, match=message):
        P.train_deep_mlp(np.zeros((4, 2)), np.array([0, 1, 0, 1]), **{**options, **keywords})
    with pytest.raises(ValueError, match="int labels"):
        P.train_deep_mlp(np.zeros((4, 2)), np.zeros(4), **options)
