"""Tests of course_lib.registry: every public activation has an entry, lookups, immutability,
the stated properties against a dense grid, mean_output against closed forms and mpmath,
the summary table, and the registry's names importable from course_lib.activations."""

import dataclasses
import math
import re

import numpy as np
import pytest

from course_lib import activations as act
from course_lib import registry


def test_registry_names_are_importable_from_activations_too():
    from course_lib.activations import (ACTIVATIONS, ALIASES, Activation, Properties, get,
                                        mean_output, summary_table)
    assert (ACTIVATIONS, ALIASES, Activation, Properties) == (
        registry.ACTIVATIONS, registry.ALIASES, registry.Activation, registry.Properties)
    assert (get, mean_output, summary_table) == (
        registry.get, registry.mean_output, registry.summary_table)
    assert {"ACTIVATIONS", "get", "relu"} <= set(dir(act))
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        act.nope


def test_registry_covers_every_public_activation_with_its_functions():
    public = {name for name in act.__all__ if callable(getattr(act, name)) and f"{name}_grad" in act.__all__}
    assert public - {"swish"} == set(registry.ACTIVATIONS)
    for name, entry in registry.ACTIVATIONS.items():
        assert entry.name == name
        assert entry.function is getattr(act, name) and entry.derivative is getattr(act, f"{name}_grad")
        assert entry.formula and entry.derivative_formula and entry.output_range and entry.properties.saturates


def test_get_finds_names_and_aliases_and_lists_known_names_otherwise():
    assert registry.get("sigmoid") is registry.ACTIVATIONS["sigmoid"]
    assert registry.get("swish") is registry.get("silu")
    with pytest.raises(KeyError, match=r"unknown activation 'sigmoud'; known: .*sigmoid.*swish"):
        registry.get("sigmoud")


def test_registry_entries_are_immutable():
    entry = registry.get("elu")
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.name = "other"
    with pytest.raises(TypeError):
        entry.parameters["alpha"] = 2.0


def test_calling_an_entry_uses_its_parameters_unless_overridden():
    x = np.linspace(-3, 3, 13)
    entry = registry.get("leaky_relu")
    np.testing.assert_array_equal(entry(x), act.leaky_relu(x, 0.01))
    np.testing.assert_array_equal(entry(x, alpha=0.3), act.leaky_relu(x, 0.3))
    np.testing.assert_array_equal(entry.grad(x, alpha=0.3), act.leaky_relu_grad(x, 0.3))
    np.testing.assert_array_equal(registry.get("prelu")(x), act.prelu(x, 0.25))


DENSE = np.concatenate([[-1e6], np.linspace(-60, 60, 240001), [1e6]])


@pytest.mark.parametrize("entry", registry.ACTIVATIONS.values(), ids=lambda e: e.name)
def test_stated_properties_hold_on_a_dense_grid(entry):
    y, dy = entry(DENSE), entry.grad(DENSE)
    facts = entry.properties
    assert facts.monotonic == bool(np.all(dy >= 0))
    assert facts.zero_centred == (entry(0.0) == 0 and y.min() < 0 < y.max())
    assert facts.bounded_below == (y[0] > -1e3)  # f(-1e6) finite and small
    assert facts.bounded_above == (y[-1] < 1e3)
    assert entry.derivative_max == pytest.approx(dy.max(), rel=1e-3)  # a supremum for selu, softplus
    corners = np.array([0.0, 6.0])
    left, right = entry.grad(corners - 1e-9), entry.grad(corners + 1e-9)
    assert facts.smooth == bool(np.allclose(left, right, rtol=1e-6))


@pytest.mark.parametrize("entry", registry.ACTIVATIONS.values(), ids=lambda e: e.name)
def test_stated_minimum_in_the_output_range_is_the_minimum(entry):
    stated = re.match(r"\[(-?\d+\.\d+)", entry.output_range)
    if stated:
        minimum = entry(DENSE).min()
        assert float(stated.group(1)) == pytest.approx(minimum, abs=5e-4)


ROOT_2PI = math.sqrt(2 * math.pi)


@pytest.mark.parametrize("name, exact", [
    ("linear", 0.0), ("tanh", 0.0), ("sigmoid", 0.5),          # odd, and sigmoid - 1/2 is odd
    ("relu", 1 / ROOT_2PI), ("leaky_relu", 0.99 / ROOT_2PI),    # E[max(Z, 0)] = phi(0)
    ("prelu", 0.75 / ROOT_2PI), ("gelu", 1 / (2 * math.sqrt(math.pi))),  # E[Z Phi(Z)] = 1 / (2 sqrt(pi))
    ("selu", 0.0),                                              # its constants make the mean 0
])
def test_mean_output_matches_closed_forms(name, exact):
    assert registry.mean_output(name) == pytest.approx(exact, abs=1e-9)


def test_mean_output_matches_mpmath_and_takes_parameters():
    mpmath = pytest.importorskip("mpmath")
    elu = mpmath.quad(lambda z: (z if z > 0 else 2 * mpmath.expm1(z)) * mpmath.npdf(z), [-mpmath.inf, 0, mpmath.inf])
    assert registry.mean_output("elu", alpha=2.0) == pytest.approx(float(elu), abs=1e-9)
    assert registry.mean_output(registry.get("swish")) == registry.mean_output("silu")
    assert str(registry.mean_output("tanh")) == "0.0"                # no "-0.0" in a table


def test_mean_output_is_a_numpy_scalar_like_the_activations():
    assert isinstance(registry.mean_output("relu"), np.float64)
    assert isinstance(act.relu(0.5), np.float64)


def test_summary_table_has_one_row_per_activation_from_the_registry():
    rows = registry.summary_table()
    assert [row["name"] for row in rows] == list(registry.ACTIVATIONS)
    for row in rows:
        entry = registry.ACTIVATIONS[row["name"]]
        assert row == {
            "name": entry.name, "formula": entry.formula, "range": entry.output_range,
            "zero_centred": entry.properties.zero_centred, "mean_output": registry.mean_output(entry),
            "monotonic": entry.properties.monotonic,
            "saturates": entry.properties.saturates, "derivative_max": entry.derivative_max,
            "keras_name": entry.keras_name,
        }
