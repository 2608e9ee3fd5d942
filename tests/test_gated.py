"""Tests of course_lib.gated: the gated unit against mpmath, the backward pass against finite
differences, the Keras layers against the NumPy forward and backward pass, the parameter arithmetic."""

import fractions

import mpmath
import numpy as np
import pytest

from course_lib import gated
from course_lib.gradcheck import numerical_gradient, relative_error

mpmath.mp.dps = 40

GATES = {  # the gate f of each variant, in mpmath
    "glu": lambda z: 1 / (1 + mpmath.exp(-z)),
    "reglu": lambda z: max(z, 0),
    "geglu": lambda z: z * mpmath.ncdf(z),
    "swiglu": lambda z: z / (1 + mpmath.exp(-z)),
}
ALL = list(gated.VARIANTS)


def small_problem(variant, seed=0, n=5, d_model=4, d_ff=6):
    rng = np.random.default_rng(seed)
    weights = gated.init_weights(variant, d_model, d_ff, rng)
    return rng.normal(size=(n, d_model)), weights, rng.normal(size=(n, d_model))


@pytest.mark.parametrize("variant", gated.GATED_VARIANTS)
def test_gated_unit_matches_mpmath(variant):
    rng = np.random.default_rng(1)
    x, W, V, b, c = rng.normal(size=(3, 2)), rng.normal(size=(2, 4)), rng.normal(size=(2, 4)), \
        rng.normal(size=4), rng.normal(size=4)
    result = gated.gated_unit(x, W, V, variant=variant, b=b, c=c)
    for i in range(3):
        for j in range(4):
            z_gate = sum(mpmath.mpf(x[i, k]) * mpmath.mpf(W[k, j]) for k in range(2)) + mpmath.mpf(b[j])
            z_linear = sum(mpmath.mpf(x[i, k]) * mpmath.mpf(V[k, j]) for k in range(2)) + mpmath.mpf(c[j])
            expected = float(GATES[variant](z_gate) * z_linear)
            assert result[i, j] == pytest.approx(expected, rel=1e-13, abs=1e-15)


def test_gated_unit_is_the_block_before_its_output_matrix():
    x, weights, _ = small_problem("swiglu")
    forward = gated.feed_forward(x, weights, "swiglu")
    np.testing.assert_allclose(forward.h, gated.gated_unit(x, weights.W, weights.V, "swiglu"), rtol=1e-15)
    np.testing.assert_allclose(forward.y, forward.h @ weights.W2, rtol=1e-15)


@pytest.mark.parametrize("variant", ALL)
def test_backward_matches_finite_differences(variant):
    x, weights, dy = small_problem(variant)
    grads = gated.feed_forward_backward(gated.feed_forward(x, weights, variant), weights, variant, dy)

    def loss_of(field):
        def loss(value):
            parts = {"W": weights.W, "V": weights.V, "W2": weights.W2}
            inputs = x
            if field == "x":
                inputs = value
            else:
                parts[field] = value
            return float(np.sum(gated.feed_forward(inputs, gated.FeedForwardWeights(**parts), variant).y * dy))
        return loss

    fields = ["x", "W", "W2"] + (["V"] if gated.VARIANTS[variant].gated else [])
    for field in fields:
        at = x if field == "x" else getattr(weights, field)
        assert relative_error(getattr(grads, field), numerical_gradient(loss_of(field), at)) < 1e-6, field
    assert (grads.V is None) == (not gated.VARIANTS[variant].gated)


@pytest.mark.parametrize("variant", ALL)
def test_keras_layer_matches_numpy_forward_and_backward(variant):
    from course_lib._keras import load_keras, load_tensorflow

    keras, tf = load_keras(), load_tensorflow()
    x, weights, dy = small_problem(variant, seed=3)
    layer = gated.feed_forward_layer(variant, weights.W.shape[1], dtype="float64")
    layer.build(x.shape)
    layer.W.assign(weights.W)
    layer.W2.assign(weights.W2)
    if weights.V is not None:
        layer.V.assign(weights.V)
    x_tensor = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x_tensor)
        y = layer(x_tensor)
        loss = tf.reduce_sum(y * dy)
    variables = [layer.W, layer.W2] + ([layer.V] if weights.V is not None else [])
    tape_grads = tape.gradient(loss, [x_tensor] + variables)
    forward = gated.feed_forward(x, weights, variant)
    grads = gated.feed_forward_backward(forward, weights, variant, dy)
    np.testing.assert_allclose(np.asarray(y), forward.y, rtol=1e-12, atol=1e-14)
    expected = [grads.x, grads.W, grads.W2] + ([grads.V] if weights.V is not None else [])
    for got, want in zip(tape_grads, expected):
        np.testing.assert_allclose(np.asarray(got), want, rtol=1e-12, atol=1e-13)
    assert isinstance(layer, keras.layers.Layer)
    assert layer.count_params() == weights.count


def test_keras_layer_config_round_trip_and_output_units():
    layer = gated.GatedFeedForward(8, variant="geglu", units=3)
    copy = gated.GatedFeedForward.from_config(layer.get_config())
    assert (copy.variant, copy.intermediate_dim, copy.units) == ("geglu", 8, 3)
    assert tuple(copy(np.zeros((2, 5), dtype=np.float32)).shape) == (2, 3)


def test_parameter_arithmetic():
    assert gated.equal_parameter_d_ff(4096) == fractions.Fraction(32768, 3)
    assert gated.equal_parameter_d_ff(24) == 64
    for d_model in (1, 24, 512, 4096):
        d_ff = gated.equal_parameter_d_ff(d_model)
        assert 3 * d_model * d_ff == 2 * d_model * (4 * d_model)
    assert gated.feed_forward_parameters(24, 64, gated=True) == gated.feed_forward_parameters(24, 96, gated=False)
    assert gated.llama_d_ff(4096) == 11008
    assert gated.llama_d_ff(4096) % 256 == 0 and gated.llama_d_ff(4096) >= 4096 * 8 / 3
    assert gated.llama_d_ff(24, multiple_of=1) == 64


def test_residual_models_have_equal_parameter_counts():
    counts = {variant: gated.build_residual_model(variant, 24, 64 if gated.VARIANTS[variant].gated else 96,
                                                  2, seed=0, input_dim=2, output_units=1,
                                                  output_activation="sigmoid").count_params()
              for variant in ALL}
    assert len(set(counts.values())) == 1, counts


def test_same_seed_same_model():
    def weights(seed):
        model = gated.build_residual_model("swiglu", 8, 16, 1, seed=seed, input_dim=2, output_units=1,
                                           output_activation="sigmoid")
        return np.concatenate([w.ravel() for w in model.get_weights()])

    np.testing.assert_array_equal(weights(4), weights(4))
    assert not np.array_equal(weights(4), weights(5))


def test_wrong_input_is_reported_clearly():
    x, weights, dy = small_problem("swiglu")
    with pytest.raises(ValueError, match="expected one of"):
        gated.feed_forward(x, weights, "swish")
    with pytest.raises(ValueError, match="expected a gated variant"):
        gated.gated_unit(x, weights.W, weights.V, variant="relu")
    with pytest.raises(ValueError, match="needs V"):
        gated.feed_forward(x, gated.FeedForwardWeights(weights.W, None, weights.W2), "swiglu")
    with pytest.raises(ValueError, match="rows"):
        gated.feed_forward(x[:, :3], weights, "swiglu")
    with pytest.raises(ValueError, match="shape of the output"):
        gated.feed_forward_backward(gated.feed_forward(x, weights, "swiglu"), weights, "swiglu", dy[:, :2])
    with pytest.raises(TypeError, match="expected real numbers"):
        gated.gated_unit("x", weights.W, weights.V)
    with pytest.raises(ValueError, match="positive int"):
        gated.equal_parameter_d_ff(0)
    with pytest.raises(ValueError, match="positive int"):
        gated.llama_d_ff(4096, multiple_of=2.5)
    with pytest.raises(ValueError, match="intermediate_dim"):
        gated.GatedFeedForward(0)


def test_inputs_are_not_modified():
    x, weights, dy = small_problem("geglu")
    copies = [a.copy() for a in (x, weights.W, weights.V, weights.W2, dy)]
    gated.feed_forward_backward(gated.feed_forward(x, weights, "geglu"), weights, "geglu", dy)
    for original, copy in zip((x, weights.W, weights.V, weights.W2, dy), copies):
        np.testing.assert_array_equal(original, copy)


def test_best_learning_rate_is_the_lowest_median_loss():
    runs = [gated.SweepRun("relu", rate, seed, 10, loss, 0.5, loss, 0.5)
            for rate, losses in ((0.01, (0.1, 0.12, 0.9)), (0.001, (0.2, 0.2, 0.2)))
            for seed, loss in enumerate(losses)]
    assert gated.best_learning_rate(runs) == 0.01  # median 0.12 < 0.2 (the mean, 0.37, would not pick it)
