"""Tests of course_lib.mlp: the hand-written MLP, its gradients, training and the born-dead
estimate."""

import numpy as np
import pytest

from course_lib import activations, mlp
from course_lib.gradcheck import gradient_relative_error, mlp_numerical_gradients


def small_problem(seed=0, sizes=(3, 5, 4, 1)):
    rng = np.random.default_rng(seed)
    params = mlp.init_params(list(sizes), seed=seed)
    for layer in params:  # nonzero biases: no pre-activation sits exactly on a ReLU corner
        layer["b"] = rng.normal(0.0, 0.1, size=layer["b"].shape)
    x = rng.normal(size=(sizes[0], 8))
    y = (rng.random((sizes[-1], 8)) > 0.5).astype(float)
    return params, x, y


def test_init_params_shapes_and_variances():
    params = mlp.init_params([400, 300, 1], seed=0, init="he")
    assert [layer["W"].shape for layer in params] == [(300, 400), (1, 300)]
    assert [layer["b"].shape for layer in params] == [(300, 1), (1, 1)]
    assert all(np.all(layer["b"] == 0) for layer in params)
    assert params[0]["W"].var() == pytest.approx(2 / 400, rel=0.02)
    glorot = mlp.init_params([400, 300, 1], seed=0, init="glorot")
    assert glorot[0]["W"].var() == pytest.approx(2 / 700, rel=0.02)
    lecun = mlp.init_params([400, 300, 1], seed=0, init="lecun")
    assert lecun[0]["W"].var() == pytest.approx(1 / 400, rel=0.02)


@pytest.mark.parametrize("bad", [[3], [3, 0], [2.5, 1], [True, 1]])
def test_init_params_rejects_bad_sizes(bad):
    with pytest.raises(ValueError, match="layer_sizes"):
        mlp.init_params(bad, seed=0)


def test_init_params_rejects_unknown_init():
    with pytest.raises(ValueError, match="init: expected one of"):
        mlp.init_params([2, 1], seed=0, init="xavier")


def test_forward_matches_the_formulas_written_out():
    params, x, _ = small_problem()
    a, cache = mlp.forward(params, x, "tanh")
    a1 = np.tanh(params[0]["W"] @ x + params[0]["b"])
    a2 = np.tanh(params[1]["W"] @ a1 + params[1]["b"])
    z3 = params[2]["W"] @ a2 + params[2]["b"]
    np.testing.assert_allclose(a, 1 / (1 + np.exp(-z3)), rtol=1e-14)
    assert cache[0][1] is not x and np.array_equal(cache[0][1], x)
    assert [z.shape for z, _ in cache[1:]] == [(5, 8), (4, 8), (1, 8)]


def test_forward_cache_names_each_layers_z_and_a():
    params = mlp.init_params([2, 3, 1], seed=0)
    x = np.array([[0.5, -1.0], [2.0, 0.0]])
    a_out, cache = mlp.forward(params, x, "tanh")
    assert cache[0].z is None and np.array_equal(cache[0].a, x)
    np.testing.assert_allclose(cache[1].a, np.tanh(cache[1].z))
    z, a = cache[2]  # still unpacks as a pair
    assert a is a_out and z.shape == (1, 2)


def test_cost_bce_from_logits_equals_the_textbook_formula_and_mse():
    params, x, y = small_problem()
    a, _ = mlp.forward(params, x, "relu")
    textbook = -np.mean(y * np.log(a) + (1 - y) * np.log(1 - a))
    assert mlp.cost(params, x, y, "relu") == pytest.approx(textbook, rel=1e-12)
    a, _ = mlp.forward(params, x, "relu", loss="mse")
    assert mlp.cost(params, x, y, "relu", loss="mse") == pytest.approx(
        np.mean((y - a) ** 2), rel=1e-12
    )


def test_bce_cost_stays_finite_for_confident_wrong_answers():
    params = [{"W": np.array([[100.0]]), "b": np.array([[0.0]])}]
    cost = mlp.cost(params, np.array([[1.0]]), np.array([[0.0]]), "relu")
    assert cost == pytest.approx(100.0)


@pytest.mark.parametrize("name", sorted(activations.ACTIVATIONS))
@pytest.mark.parametrize("loss", ["bce", "mse"])
def test_backward_matches_central_differences(name, loss):
    params, x, y = small_problem(seed=3)
    grads = mlp.gradients(params, x, y, name, loss)
    reference = mlp_numerical_gradients(params, x, y, name, loss)
    assert gradient_relative_error(grads, reference) < 1e-7


def test_backward_implements_the_vectorised_dw_formula():
    params, x, y = small_problem(sizes=(3, 4, 1))
    grads = mlp.gradients(params, x, y, "sigmoid")
    z1 = params[0]["W"] @ x + params[0]["b"]
    a1 = activations.sigmoid(z1)
    dz2 = activations.sigmoid(params[1]["W"] @ a1 + params[1]["b"]) - y
    m = x.shape[1]
    # dW1 = (1/m)(W2^T dZ2 * g'(Z1)) X^T
    dW1 = (params[1]["W"].T @ dz2 * activations.sigmoid_grad(z1)) @ x.T / m
    np.testing.assert_allclose(grads[0]["W"], dW1, rtol=1e-12)
    np.testing.assert_allclose(grads[1]["W"], dz2 @ a1.T / m, rtol=1e-12)


def test_output_dz_bce_shortcut_equals_the_chain_rule():
    a, y = np.array([[0.2, 0.9, 0.5]]), np.array([[1.0, 0.0, 1.0]])
    chain = (-y / a + (1 - y) / (1 - a)) * a * (1 - a)
    np.testing.assert_allclose(mlp.output_dz(a, y, "bce"), chain, rtol=1e-12)
    np.testing.assert_allclose(mlp.output_dz(a, y, "mse"), -2 * (y - a))


def test_a_custom_activation_pair_is_accepted():
    params, x, y = small_problem()
    pair = (np.tanh, lambda z: 1 - np.tanh(z) ** 2)
    for mine, theirs in zip(mlp.gradients(params, x, y, pair), mlp.gradients(params, x, y, "tanh")):
        np.testing.assert_allclose(mine["W"], theirs["W"], rtol=1e-12)


@pytest.mark.parametrize(
    "bad, error", [("not_an_activation", KeyError), (42, TypeError), ((np.tanh,), TypeError)]
)
def test_bad_activation_is_a_clear_error(bad, error):
    with pytest.raises(error):
        mlp.activation_pair(bad)


def test_bad_loss_is_a_clear_error():
    params, x, y = small_problem()
    with pytest.raises(ValueError, match="loss: expected one of"):
        mlp.forward(params, x, "relu", loss="hinge")


def test_train_lowers_the_cost_without_touching_the_input_params():
    params, x, y = small_problem()
    before = [layer["W"].copy() for layer in params]
    trained, costs = mlp.train(params, x, y, "tanh", learning_rate=0.5, epochs=200)
    assert costs.shape == (200,) and costs[-1] < 0.5 * mlp.cost(params, x, y, "tanh")
    assert costs[-1] == pytest.approx(mlp.cost(trained, x, y, "tanh"))
    assert all(np.array_equal(layer["W"], w) for layer, w in zip(params, before))
    _, costs_again = mlp.train(
        params, x, y, "tanh", learning_rate=0.5, epochs=5, batch_size=3, seed=1
    )
    np.testing.assert_array_equal(
        costs_again, mlp.train(params, x, y, "tanh", 0.5, 5, batch_size=3, seed=1)[1]
    )


@pytest.mark.parametrize("loss, batch_size", [("bce", None), ("bce", 3), ("mse", 4)])
def test_train_many_gives_the_runs_of_train_for_every_rate_and_seed(loss, batch_size):
    _, x, y = small_problem()
    sizes, rates, seeds = [3, 5, 4, 1], [0.05, 0.5], [0, 7, 3]
    curves = mlp.train_many(
        sizes, x, y, "tanh", rates, seeds, epochs=6, loss=loss, batch_size=batch_size, init="glorot"
    )
    assert curves.shape == (2, 3, 6)
    for i, rate in enumerate(rates):
        for j, seed in enumerate(seeds):
            _, expected = mlp.train(
                mlp.init_params(sizes, seed, init="glorot"),
                x,
                y,
                "tanh",
                rate,
                6,
                loss=loss,
                batch_size=batch_size,
                seed=seed,
            )
            np.testing.assert_allclose(curves[i, j], expected, rtol=1e-12, atol=1e-14)


def test_backward_of_a_stack_equals_backward_of_each_network():
    params, x, y = small_problem()
    other, _, _ = small_problem(seed=1)
    stack = [{key: np.stack([a[key], b[key]]) for key in ("W", "b")} for a, b in zip(params, other)]
    stacked = mlp.gradients(stack, x, y, "sigmoid")
    for k, net in enumerate((params, other)):
        for layer, grad in zip(stacked, mlp.gradients(net, x, y, "sigmoid")):
            np.testing.assert_allclose(layer["W"][k], grad["W"], rtol=1e-13)
            np.testing.assert_allclose(layer["b"][k], grad["b"], rtol=1e-13)


@pytest.mark.parametrize(
    "options, message",
    [
        (dict(learning_rates=[]), "learning_rates"),
        (dict(learning_rates=[-0.1]), "learning_rates"),
        (dict(seeds=[]), "seeds"),
        (dict(epochs=0), "epochs"),
    ],
)
def test_train_many_rejects_bad_grids(options, message):
    _, x, y = small_problem()
    arguments = dict(learning_rates=[0.1], seeds=[0], epochs=2) | options
    with pytest.raises(ValueError, match=message):
        mlp.train_many([3, 5, 4, 1], x, y, "relu", **arguments)


def test_gradient_norms_one_per_layer():
    params, x, y = small_problem()
    grads = mlp.gradients(params, x, y, "relu")
    norms = mlp.gradient_norms(grads)
    assert norms.shape == (3,)
    assert norms[0] == pytest.approx(np.sqrt(np.sum(grads[0]["W"] ** 2)))


def test_dead_units_finds_a_unit_with_a_large_negative_bias_and_it_gets_no_gradient():
    params, x, y = small_problem()
    params[0]["b"][2] = -100.0
    dead = mlp.dead_units(params, x)
    assert dead[0].tolist() == [False, False, True, False, False]
    grads = mlp.gradients(params, x, y, "relu")
    assert np.all(grads[0]["W"][2] == 0) and grads[0]["b"][2, 0] == 0


def test_dead_units_from_the_derivative_of_each_activation():
    params, x, _ = small_problem()
    params[0]["b"][1], params[0]["b"][3] = -100.0, 100.0
    assert mlp.dead_units(params, x, "relu")[0].tolist() == [False, True, False, False, False]
    # ReLU6 is flat above 6 too
    assert mlp.dead_units(params, x, "relu6")[0].tolist() == [False, True, False, True, False]
    assert not mlp.dead_units(params, x, "leaky_relu")[0].any()  # slope 0.01 below 0: small, not 0
    assert not mlp.dead_units(params, x, "sigmoid")[0].any()  # sigmoid'(100) = 3.7e-44, not 0
    pair = (np.tanh, lambda z: np.where(np.abs(z) > 50, 0.0, 1 - np.tanh(z) ** 2))
    assert mlp.dead_units(params, x, pair)[0].tolist() == [False, True, False, True, False]


def test_born_dead_probability_closed_form():
    assert mlp.born_dead_probability(1, 1) == pytest.approx(0.5)
    assert mlp.born_dead_probability(2, 3) == pytest.approx(1 - 0.75 ** 3)
    np.testing.assert_allclose(
        mlp.born_dead_probability(3, np.array([0, 10])), [0.0, 1 - (7 / 8) ** 10]
    )


@pytest.mark.parametrize("width, depth", [(2, 5), (3, 10)])
def test_born_dead_monte_carlo_agrees_with_the_closed_form_for_one_input(width, depth):
    n = 20_000
    estimates = mlp.born_dead_monte_carlo(width, depth, n_networks=n, n_inputs=1, seed=0)
    p = mlp.born_dead_probability(width, np.arange(1, depth + 1))
    assert estimates.shape == (depth,)
    assert np.all(np.abs(estimates - p) < 4 * np.sqrt(p * (1 - p) / n))  # within 4 standard errors


def test_born_dead_monte_carlo_grows_with_depth_is_rarer_on_many_inputs_and_reproducible():
    one = mlp.born_dead_monte_carlo(3, 5, n_networks=5000, n_inputs=1, seed=0)
    many = mlp.born_dead_monte_carlo(3, 5, n_networks=5000, n_inputs=64, seed=0)
    assert np.all(np.diff(one) >= 0) and np.all(np.diff(many) >= 0)  # once dead, always dead
    # layer 1 cannot switch off on inputs of both signs
    assert np.all(many[1:] < one[1:]) and many[0] == 0.0
    np.testing.assert_array_equal(
        many, mlp.born_dead_monte_carlo(3, 5, n_networks=5000, n_inputs=64, seed=0)
    )
