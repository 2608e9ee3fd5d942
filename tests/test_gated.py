"""Tests of course_lib.gated: the gated unit against mpmath, the backward pass against finite
differences, the Keras layers against the NumPy forward and backward pass, the parameter
arithmetic, and the side-by-side training of the experiment."""

import fractions

import mpmath
import numpy as np
import pytest

from course_lib import gated
from course_lib.gradcheck import gradient_relative_error, numerical_gradient, relative_error

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
            xi = [mpmath.mpf(value) for value in x[i]]
            z_gate = sum(xi[k] * mpmath.mpf(W[k, j]) for k in range(2)) + mpmath.mpf(b[j])
            z_linear = sum(xi[k] * mpmath.mpf(V[k, j]) for k in range(2)) + mpmath.mpf(c[j])
            expected = float(GATES[variant](z_gate) * z_linear)
            assert result[i, j] == pytest.approx(expected, rel=1e-13, abs=1e-15)


def test_gated_unit_is_the_block_before_its_output_matrix():
    x, weights, _ = small_problem("swiglu")
    forward = gated.feed_forward(x, weights, "swiglu")
    unit = gated.gated_unit(x, weights.W, weights.V, "swiglu")
    np.testing.assert_allclose(forward.h, unit, rtol=1e-15)
    np.testing.assert_allclose(forward.y, forward.h @ weights.W2, rtol=1e-15)


@pytest.mark.parametrize("variant", ALL)
def test_backward_matches_finite_differences(variant):
    x, weights, dy = small_problem(variant)
    forward = gated.feed_forward(x, weights, variant)
    grads = gated.feed_forward_backward(forward, weights, variant, dy)

    def loss_of(field):
        def loss(value):
            parts = {"W": weights.W, "V": weights.V, "W2": weights.W2}
            inputs = x
            if field == "x":
                inputs = value
            else:
                parts[field] = value
            changed = gated.FeedForwardWeights(**parts)
            return float(np.sum(gated.feed_forward(inputs, changed, variant).y * dy))
        return loss

    fields = ["x", "W", "W2"] + (["V"] if gated.VARIANTS[variant].gated else [])
    for field in fields:
        at = x if field == "x" else getattr(weights, field)
        numerical = numerical_gradient(loss_of(field), at)
        assert relative_error(getattr(grads, field), numerical) < 1e-6, field
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
    assert (gated.feed_forward_parameters(24, 64, gated=True)
            == gated.feed_forward_parameters(24, 96, gated=False) == 4608)
    assert gated.llama_d_ff(4096) == 11008
    assert gated.llama_d_ff(4096) % 256 == 0 and gated.llama_d_ff(4096) >= 4096 * 8 / 3
    assert gated.llama_d_ff(24, multiple_of=1) == 64


def test_residual_models_have_equal_parameter_counts():
    d_ff = {variant: 64 if gated.VARIANTS[variant].gated else 96 for variant in ALL}
    counts = {variant: gated.build_residual_model(variant, 24, d_ff[variant], 2, seed=0,
                                                  input_dim=2).count_params()
              for variant in ALL}
    assert len(set(counts.values())) == 1, counts
    numpy_counts = {}
    for variant in ALL:
        params = gated.init_residual_network(variant, 2, 24, d_ff[variant], 2, seeds=[0])
        numpy_counts[variant] = sum(value[0].size for value in params.values())
    assert numpy_counts == counts


@pytest.mark.parametrize("variant", ["gelu", "swiglu"])
def test_keras_residual_model_computes_the_numpy_network(variant):
    params = gated.init_residual_network(variant, 2, 6, 8, 2, seeds=[3])
    model = gated.build_residual_model(variant, 6, 8, 2, seed=0, input_dim=2, dtype="float64")
    model.get_layer("embed").set_weights([params["embed"][0], params["embed_bias"][0, 0]])
    for i in (1, 2):
        block = model.get_layer(f"ffn_{i}")
        block.W.assign(params[f"W_{i}"][0])
        block.W2.assign(params[f"W2_{i}"][0])
        if block.gated:
            block.V.assign(params[f"V_{i}"][0])
    model.get_layer("output").set_weights([params["readout"][0], params["readout_bias"][0, 0]])
    x = np.random.default_rng(0).normal(size=(7, 2))
    expected = 1 / (1 + np.exp(-gated.residual_logits(params, x, variant, fast=False).logits[0]))
    np.testing.assert_allclose(np.asarray(model(x))[:, 0], expected, rtol=1e-12)


@pytest.mark.parametrize("variant", ["relu", "geglu", "swiglu"])
def test_residual_gradients_match_finite_differences(variant):
    params = gated.init_residual_network(variant, 2, 4, 6, 2, seeds=[1, 2])
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=(9, 2)), rng.integers(0, 2, size=9)
    loss, grads = gated.residual_gradients(params, x, y, variant)
    assert loss.shape == (2,)
    for name in params:
        def loss_of(value, name=name):
            changed = {**params, name: value}
            return float(np.sum(gated.residual_gradients(changed, x, y, variant)[0]))

        numerical = numerical_gradient(loss_of, params[name])
        assert gradient_relative_error(grads[name], numerical) < 1e-8, name


def test_fast_gates_agree_with_the_course_activations():
    z = np.linspace(-12, 12, 2401)
    for name, (f, f_grad) in gated.FAST_GATES.items():
        from course_lib import activations
        np.testing.assert_allclose(f(z), activations.get(name)(z), rtol=1e-13, atol=1e-300)
        np.testing.assert_allclose(f_grad(z), activations.get(name).grad(z), rtol=1e-11, atol=1e-15)


def small_task():
    from course_lib import compare, datasets

    x, y = datasets.moons(n=60, seed=0)
    return compare.make_task("moons", x, y, seed=0), x[:20], y[:20]


def test_sweep_side_by_side_is_each_network_alone():
    task, x_test, y_test = small_task()
    size = {"d_model": 6, "d_ff": 4, "n_blocks": 1, "batch_size": 16}
    together = gated.learning_rate_sweep("swiglu", task, x_test, y_test, seeds=[0, 1],
                                         learning_rates=[0.01, 0.03], budgets=[2, 3], **size)
    alone = gated.learning_rate_sweep("swiglu", task, x_test, y_test, seeds=[1],
                                      learning_rates=[0.03], budgets=[3], **size)
    match = [run for run in together if (run.seed, run.learning_rate, run.epochs) == (1, 0.03, 3)]
    assert len(together) == 8 and len(match) == 1
    assert match[0].val_loss == pytest.approx(alone[0].val_loss, rel=1e-12)
    assert match[0].test_accuracy == alone[0].test_accuracy


def test_sweep_learns_and_reports_the_right_fields():
    task, x_test, y_test = small_task()
    runs = gated.learning_rate_sweep("gelu", task, x_test, y_test, seeds=[0], learning_rates=[0.03],
                                     d_model=6, d_ff=12, n_blocks=1, budgets=[1, 30], batch_size=16)
    first, last = runs
    assert (first.epochs, last.epochs, last.parameters) == (1, 30, 2 * 6 + 6 + 2 * 6 * 12 + 6 + 1)
    assert last.val_loss < first.val_loss and last.val_accuracy > 0.8
    with pytest.raises(ValueError, match="budgets"):
        gated.learning_rate_sweep("gelu", task, x_test, y_test, [0], [0.01], 6, 12, 1, budgets=[0])


def test_same_seed_same_model():
    def weights(seed):
        model = gated.build_residual_model("swiglu", 8, 16, 1, seed=seed, input_dim=2)
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
        forward = gated.feed_forward(x, weights, "swiglu")
        gated.feed_forward_backward(forward, weights, "swiglu", dy[:, :2])
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
    runs = [gated.SweepRun("relu", 5, rate, seed, 10, loss, 0.5, loss, 0.5)
            for rate, losses in ((0.01, (0.1, 0.12, 0.9)), (0.001, (0.2, 0.2, 0.2)))
            for seed, loss in enumerate(losses)]
    assert gated.best_learning_rate(runs) == 0.01  # median 0.12 < 0.2 (the mean, 0.37, would not)
