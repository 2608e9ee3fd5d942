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
    public = {
        name
        for name in act.__all__
        if callable(getattr(act, name)) and f"{name}_grad" in act.__all__
    }
    assert public - {"swish", "hard_swish"} == set(registry.ALL_ACTIVATIONS)
    for name, entry in registry.ALL_ACTIVATIONS.items():
        assert entry.name == name
        assert entry.function is getattr(act, name) and entry.derivative is getattr(
            act, f"{name}_grad"
        )
        assert (
            entry.formula
            and entry.derivative_formula
            and entry.output_range
            and entry.properties.saturates
        )


def test_get_finds_names_and_aliases_and_lists_known_names_otherwise():
    assert registry.get("sigmoid") is registry.ACTIVATIONS["sigmoid"]
    assert registry.get("swish") is registry.get("silu")
    assert (
        registry.get("hard_swish")
        is registry.get("hard_silu")
        is registry.MORE_ACTIVATIONS["hard_silu"]
    )
    assert act.hard_swish is act.hard_silu and act.hard_swish_grad is act.hard_silu_grad
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
ELEMENTWISE = [entry for entry in registry.ALL_ACTIVATIONS.values() if entry.elementwise]
# every corner and jump at the defaults
CORNERS = np.array([0.0, 6.0, -0.5, 0.5, -1.0, 1.0, -3.0, 3.0])


@pytest.mark.parametrize("entry", ELEMENTWISE, ids=lambda e: e.name)
def test_stated_properties_hold_on_a_dense_grid(entry):
    y, dy = entry(DENSE), entry.grad(DENSE)
    facts = entry.properties
    assert facts.monotonic == bool(np.all(dy >= 0))
    assert facts.takes_both_signs == (entry(0.0) == 0 and y.min() < 0 < y.max())
    assert facts.bounded_below == (y[0] > -1e3)  # f(-1e6) finite and small
    assert facts.bounded_above == (y[-1] < 1e3)
    # a supremum for selu, softplus
    assert entry.derivative_max == pytest.approx(dy.max(), rel=1e-3)
    left, right = entry.grad(CORNERS - 1e-9), entry.grad(CORNERS + 1e-9)
    assert facts.smooth == bool(np.allclose(left, right, rtol=1e-6))
    inner = np.abs(DENSE) <= 20
    steps, slopes = np.abs(np.diff(y[inner])), np.abs(dy[inner])
    bound = np.maximum(slopes[:-1], slopes[1:]) * 1.5 * np.diff(DENSE[inner]) + 1e-12
    assert facts.continuous == bool(np.all(steps <= bound))  # no step larger than the slope allows


def test_every_entry_has_a_described_family_and_every_family_is_used():
    used = {entry.family for entry in registry.ALL_ACTIVATIONS.values()}
    assert used == set(registry.FAMILIES)
    assert {name for name, e in registry.ALL_ACTIVATIONS.items() if not e.elementwise} == {
        "glu",
        "sparsemax",
    }
    assert set(registry.ALL_ACTIVATIONS) == set(registry.ACTIVATIONS) | set(
        registry.MORE_ACTIVATIONS
    )
    assert not set(registry.ACTIVATIONS) & set(registry.MORE_ACTIVATIONS)
    with pytest.raises(ValueError, match="family: expected one of classic"):
        dataclasses.replace(registry.get("relu"), family="other")


def test_glu_and_sparsemax_have_the_stated_properties_along_their_axis():
    rng = np.random.default_rng(3)
    x = rng.normal(0, 4, (2000, 6))
    p = act.sparsemax(x)
    assert p.min() == 0 and p.max() <= 1 and np.allclose(p.sum(-1), 1)       # [0, 1], exact zeros
    bumped = x.copy()
    bumped[:, 0] += 0.3
    # monotonic in its own logit
    assert np.all(act.sparsemax(bumped)[:, 0] >= p[:, 0])
    g = act.glu(x)
    assert act.glu(np.zeros(4)).tolist() == [0, 0] and g.min() < 0 < g.max()   # zero-centred
    # a < 0: decreasing in b
    a_negative = np.array([[-1.0, -1.0, 0.0, 1.0]])
    assert act.glu(a_negative)[0, 1] < act.glu(a_negative)[0, 0]
    # d/db = a/4: unbounded
    assert act.glu_grad(np.array([[1e6, 0.0]]))[0, 1] == pytest.approx(2.5e5)
    facts = registry.get("sparsemax").properties, registry.get("glu").properties
    assert (facts[0].bounded_below, facts[0].bounded_above, facts[0].monotonic) == (
        True,
        True,
        True,
    )
    assert (facts[1].takes_both_signs, facts[1].monotonic, registry.get("glu").derivative_max) == (
        True,
        False,
        math.inf,
    )


@pytest.mark.parametrize("entry", ELEMENTWISE, ids=lambda e: e.name)
def test_stated_minimum_in_the_output_range_is_the_minimum(entry):
    stated = re.match(r"\[(-?\d+\.\d+)", entry.output_range)
    if stated:
        minimum = entry(DENSE).min()
        assert float(stated.group(1)) == pytest.approx(minimum, abs=5e-4)


ROOT_2PI = math.sqrt(2 * math.pi)


@pytest.mark.parametrize("name, exact", [
    ("linear", 0.0), ("tanh", 0.0), ("sigmoid", 0.5),          # odd, and sigmoid - 1/2 is odd
    ("relu", 1 / ROOT_2PI), ("leaky_relu", 0.99 / ROOT_2PI),    # E[max(Z, 0)] = phi(0)
    # E[Z Phi(Z)] = 1 / (2 sqrt(pi))
    ("prelu", 0.75 / ROOT_2PI), ("gelu", 1 / (2 * math.sqrt(math.pi))),
    ("selu", 0.0),                                              # its constants make the mean 0
    ("hard_tanh", 0.0), ("softsign", 0.0), ("tanh_shrink", 0.0), ("soft_shrink", 0.0),  # odd
    ("hard_sigmoid", 0.5), ("sparse_sigmoid", 0.5),             # f - 1/2 is odd
    ("exponential", math.exp(0.5)),                             # E[e^Z] = e^(1/2)
    ("threshold", math.exp(-0.5) / ROOT_2PI),                   # E[Z; Z > 1] = phi(1)
    ("celu", 0.1605205723),                                     # = elu's at alpha = 1
])
def test_mean_output_matches_closed_forms(name, exact):
    assert registry.mean_output(name) == pytest.approx(exact, abs=1e-9)


def test_mean_output_matches_mpmath_and_takes_parameters():
    mpmath = pytest.importorskip("mpmath")
    elu = mpmath.quad(
        lambda z: (z if z > 0 else 2 * mpmath.expm1(z)) * mpmath.npdf(z),
        [-mpmath.inf, 0, mpmath.inf],
    )
    assert registry.mean_output("elu", alpha=2.0) == pytest.approx(float(elu), abs=1e-9)
    assert registry.mean_output(registry.get("swish")) == registry.mean_output("silu")
    assert str(registry.mean_output("tanh")) == "0.0"                # no "-0.0" in a table


def test_mean_output_of_log_sigmoid_is_minus_softplus_and_refuses_vector_activations():
    # -softplus(-x), Z symmetric
    assert registry.mean_output("log_sigmoid") == -registry.mean_output("softplus")
    assert registry.mean_output("celu") == registry.mean_output("elu")
    for name in ("glu", "sparsemax"):
        with pytest.raises(ValueError, match=f"{name} acts along an axis"):
            registry.mean_output(name)


def test_mean_output_is_a_numpy_scalar_like_the_activations():
    assert isinstance(registry.mean_output("relu"), np.float64)
    assert isinstance(act.relu(0.5), np.float64)


@pytest.mark.parametrize("which", [None, "all"])
def test_summary_table_has_one_row_per_activation_from_the_registry(which):
    entries = registry.ACTIVATIONS if which is None else registry.ALL_ACTIVATIONS
    rows = registry.summary_table(None if which is None else entries.values())
    assert [row["name"] for row in rows] == list(entries)
    for row in rows:
        entry = entries[row["name"]]
        assert row == {
            "name": entry.name, "family": entry.family, "formula": entry.formula,
            "range": entry.output_range, "takes_both_signs": entry.properties.takes_both_signs,
            "mean_output": registry.mean_output(entry) if entry.elementwise else None,
            "monotonic": entry.properties.monotonic,
            "saturates": entry.properties.saturates, "derivative_max": entry.derivative_max,
            "keras_name": entry.keras_name,
        }


# --- gain -------------------------------------------------------------------------------------
# Independent references: each activation and its derivative written afresh in mpmath, the
# expectation integrated by mpmath.quad (tanh-sinh) at 30 digits, split at the corners.

def _mp_references():
    mp = pytest.importorskip("mpmath")
    mp.mp.dps = 30
    sig = lambda z: 1 / (1 + mp.exp(-z))                                    # noqa: E731
    sp = lambda z: mp.log1p(mp.exp(z))                                      # noqa: E731
    lam = mp.mpf("1.0507009873554804934193349852946")
    alp = mp.mpf("1.6732632423543772848170429916717")

    def piecewise(slope, alpha):
        return (lambda z: z if z > 0 else alpha * z), (lambda z: 1 if z > 0 else alpha)

    def elu_pair(alpha, scale=1):
        return ((lambda z: scale * (z if z > 0 else alpha * mp.expm1(z))),
                (lambda z: scale * (1 if z > 0 else alpha * mp.exp(z))))

    return mp, {
        "linear": (lambda z: z, lambda z: 1),
        "sigmoid": (sig, lambda z: sig(z) * sig(-z)),
        "tanh": (mp.tanh, lambda z: mp.sech(z) ** 2),
        "relu": (lambda z: max(z, 0), lambda z: 1 if z > 0 else 0),
        "relu6": (lambda z: min(max(z, 0), 6), lambda z: 1 if 0 < z < 6 else 0),
        "leaky_relu": piecewise(1, mp.mpf("0.01")),
        "prelu": piecewise(1, mp.mpf("0.25")),
        "elu": elu_pair(1),
        "selu": elu_pair(alp, lam),
        "gelu": (lambda z: z * mp.ncdf(z), lambda z: mp.ncdf(z) + z * mp.npdf(z)),
        "silu": (lambda z: z * sig(z), lambda z: sig(z) * (1 + z * (1 - sig(z)))),
        "mish": (lambda z: z * mp.tanh(sp(z)),
                 lambda z: mp.tanh(sp(z)) + z * mp.sech(sp(z)) ** 2 * sig(z)),
        "softplus": (sp, sig),
    }


def _mp_gain(mp, function):
    second = mp.quad(lambda z: function(z) ** 2 * mp.npdf(z), [-mp.inf, 0, 6, mp.inf])
    return float(1 / mp.sqrt(second))


@pytest.mark.parametrize("mode", ["forward", "backward"])
@pytest.mark.parametrize("name", list(registry.ACTIVATIONS))
def test_gain_matches_an_independent_mpmath_integration(name, mode):
    mp, references = _mp_references()
    if name in references:
        function = references[name][0 if mode == "forward" else 1]
    else:  # an activation added later without a reference here: at least the integration is checked
        entry = registry.get(name)
        raw = entry.function if mode == "forward" else entry.derivative
        function = lambda z: mp.mpf(float(raw(float(z), **entry.parameters)))  # noqa: E731
    assert registry.gain(name, mode) == pytest.approx(_mp_gain(mp, function), rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("name, mode, published", [
    ("relu", "forward", math.sqrt(2)), ("relu", "backward", math.sqrt(2)),
    ("linear", "forward", 1.0), ("linear", "backward", 1.0),
    ("selu", "forward", 1.0),                                  # Klambauer et al.: by construction
    ("tanh", "forward", 1.5925), ("tanh", "backward", 1.4674),
    ("sigmoid", "forward", 1.8462), ("sigmoid", "backward", 4.7226),
    ("gelu", "backward", 1.4811), ("softplus", "backward", 1.8462),
])
def test_gain_matches_the_course_figures(name, mode, published):
    assert registry.gain(name, mode) == pytest.approx(
        published, abs=5e-5 if published % 1 else 1e-7
    )


def test_gain_takes_parameters_and_the_he_formula_for_leaky_relu():
    for alpha in (0.0, 0.01, 0.2, 0.25, 1.0):
        he = math.sqrt(2 / (1 + alpha ** 2))                     # He et al. (2015), both modes
        assert registry.gain("leaky_relu", alpha=alpha) == pytest.approx(he, rel=1e-12)
        assert registry.gain("leaky_relu", "backward", alpha=alpha) == pytest.approx(he, rel=1e-12)
    assert registry.gain("prelu") == pytest.approx(math.sqrt(2 / 1.0625), rel=1e-12)
    assert registry.gain("elu", alpha=2.0) != registry.gain("elu")
    assert registry.gain("swish") == registry.gain("silu")
    assert registry.gain(registry.get("tanh")) == registry.gain("tanh")
    approximate = registry.gain("gelu", approximate=True)
    assert approximate != registry.gain("gelu") and approximate == pytest.approx(
        registry.gain("gelu"), rel=1e-3)


def test_gain_is_importable_from_activations():
    from course_lib.activations import GAIN_MODES, gain
    assert gain is registry.gain and GAIN_MODES == ("forward", "backward")


def test_gain_rejects_unknown_activations_and_modes_naming_the_valid_ones():
    with pytest.raises(ValueError, match=r"activation: expected one of .*sigmoid.*; got 'sigmoud'"):
        registry.gain("sigmoud")
    with pytest.raises(ValueError, match=(r"mode: expected one of 'forward', 'backward', got "
                                          r"'fan_in'")):
        registry.gain("relu", mode="fan_in")
    with pytest.raises(ValueError, match="alpha"):
        registry.gain("elu", alpha=-1.0)
    assert registry.summary_table(["softsign", registry.get("glu")])[1]["mean_output"] is None
