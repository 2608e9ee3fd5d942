"""Tests of course_lib.models: the Keras builder and training call."""

import numpy as np
import pytest

from course_lib import datasets, models


def test_build_mlp_layer_names_and_shapes():
    model = models.build_mlp("relu", [5, 3], seed=0, input_dim=4, output_units=2, output_activation="softmax")
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


@pytest.mark.parametrize("activation, expected", [("relu", "he_normal"), ("selu", "lecun_normal"),
                                                  ("sigmoid", "glorot_uniform"), ("unknown", "glorot_uniform")])
def test_initializer_for(activation, expected):
    assert models.initializer_for(activation) == expected


@pytest.mark.parametrize("bad", [[0], [3, -1], [2.5], [True]])
def test_build_mlp_rejects_bad_sizes(bad):
    with pytest.raises(ValueError, match="hidden_sizes: expected positive ints"):
        models.build_mlp("relu", bad, seed=0)


def test_unknown_activation_is_a_clear_error():
    with pytest.raises(ValueError, match="Keras knows no activation 'not_an_activation'"):
        models.build_mlp("not_an_activation", [3], seed=0)


def test_train_is_reproducible_and_learns_xor():
    x, y = datasets.xor()

    def run():
        model = models.build_mlp("tanh", [8], seed=0)
        history = models.train(model, x, y, epochs=10, seed=0, batch_size=4, learning_rate=0.05, repeat=25)
        return history.history["loss"], models.predict(model, x).ravel()

    (loss_a, out_a), (loss_b, out_b) = run(), run()
    np.testing.assert_array_equal(loss_a, loss_b)
    assert loss_a[-1] < loss_a[0]
    assert ((out_a > 0.5) == y).all()


@pytest.mark.parametrize("units, activation, loss", [(1, "sigmoid", "binary_crossentropy"),
                                                     (10, "softmax", "sparse_categorical_crossentropy"),
                                                     (1, None, "mse")])
def test_default_loss_matches_output(units, activation, loss):
    assert models.default_loss(units, activation) == loss
