"""Tests of course_lib.softmax: against a 50-digit mpmath reference, by properties, at the edges of the
float range, and for parity with TensorFlow / Keras. Every test runs with floating-point errors raised."""

import math

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from course_lib._keras import load_keras, load_tensorflow
from course_lib.gradcheck import numerical_gradient
from course_lib.softmax import (cross_entropy_from_logits, cross_entropy_from_logits_grad, log_softmax, logsumexp,
                                softmax, softmax_jacobian)

mpmath.mp.dps = 50
INF, NAN = np.inf, np.nan
FLOATS = (np.float16, np.float32, np.float64)
VECTOR_FUNCTIONS = (softmax, log_softmax)  # same shape out as in
ALL_AXIS_FUNCTIONS = (softmax, log_softmax, logsumexp)


@pytest.fixture(autouse=True)
def floating_point_errors_raise():
    """Any overflow, underflow, invalid operation or division by zero inside the library fails the test."""
    with np.errstate(all="raise"):
        yield


# ---------------------------------------------------------------- the mpmath reference (50 digits)

def reference(x):
    """Return (softmax, log_softmax, logsumexp) of the 1-D float vector x, each to 50 significant digits.

    The formula as written, no shift: with 50 digits beyond the largest |x| (up to 1e308),
    log(2) still counts next to -1e308 and nothing overflows (mpmath's exponents are unbounded).
    """
    z = [mpmath.mpf(float(v)) for v in x]
    digits = 50 + max(0, int(math.log10(max(float(np.max(np.abs(x))), 1.0))))
    with mpmath.workdps(digits):
        lse = mpmath.log(mpmath.fsum(mpmath.exp(v) for v in z))
        return [mpmath.exp(v - lse) for v in z], [v - lse for v in z], lse


def assert_close(got, expected, rtol, atol):
    """Assert |got - expected| <= atol + rtol * |expected| everywhere (rtol may be an array); nan matches nan."""
    with np.errstate(all="ignore"):  # the tolerance itself may underflow: harmless
        close = np.isclose(got, expected, rtol=rtol, atol=atol, equal_nan=True)
        close |= np.asarray(got) == np.asarray(expected)  # equal values are close, whatever rtol
    assert np.all(close), f"got {got[~close]}, expected {expected[~close]}"


def assert_matches_reference(x):
    """Compare the library with the reference on the vector x, to the accuracy x's dtype allows."""
    x = np.asarray(x)
    eps, tiny = np.finfo(x.dtype).eps, np.finfo(x.dtype).smallest_normal
    ref_s, ref_ls, ref_lse = reference(x)
    with np.errstate(all="ignore"):  # rounding the reference to x's dtype may underflow or overflow
        ref_s, ref_ls, ref_lse = (np.array([float(v) for v in ref_s]).astype(x.dtype),
                                  np.array([float(v) for v in ref_ls]).astype(x.dtype),
                                  np.array(float(ref_lse)).astype(x.dtype))
    peak, n = float(np.max(x)), x.size
    if x.dtype == np.float64:  # exp(x - max) is only as exact as x - max (exp's condition number is |x - max|)
        with np.errstate(over="ignore"):
            rtol = 4 * eps * (1 + np.abs(x - peak))
    else:  # float16/32 are computed in float64 and rounded once: correctly rounded, within half an ulp
        rtol, tiny = float(eps) / 2 * (1 + 1e-9), float(np.finfo(x.dtype).smallest_subnormal) / 2
    assert_close(softmax(x), ref_s, rtol=rtol, atol=tiny)
    assert_close(log_softmax(x), ref_ls, rtol=2 * eps, atol=2 * eps * (1 + math.log(n)))
    assert_close(logsumexp(x), ref_lse, rtol=2 * eps, atol=2 * eps * (1 + abs(peak) + math.log(n)))


@pytest.mark.parametrize("x", [
    [2.0, 1.0, 0.1],
    [1000.0, 999.0, 998.0],
    [-1000.0, -1001.0, -1002.0],
    [1000.0, -1000.0, 0.0],
    [710.0, 709.0],                       # exp overflows in float64 beyond ~709.78
    [1e308, -1e308, 0.0, 1e308],          # x - max would overflow to -inf: its exp is 0, correctly
    [-1e308, -1e308],
    [1.7976931348623157e308, 1.7976931348623157e308],
    [0.0, -745.0, -740.0],                # exp(-745) is subnormal
    [5.0],
])
def test_matches_the_50_digit_reference(x):
    assert_matches_reference(np.array(x))


@pytest.mark.parametrize("dtype, x", [
    (np.float16, [11.0, 12.0, -3.0]),       # exp overflows in float16 beyond ~11.09
    (np.float16, [65504.0, -65504.0, 65000.0]),
    (np.float16, [0.0, -9.0, -17.0]),       # probabilities down to float16's subnormals
    (np.float32, [89.0, 88.0, 0.0]),        # exp overflows in float32 beyond ~88.72
    (np.float32, [3e38, -3e38, 2.9e38]),
    (np.float32, [0.0, -100.0, -104.0]),
])
def test_narrow_dtypes_match_the_reference_to_their_own_precision(dtype, x):
    assert_matches_reference(np.array(x, dtype=dtype))


@settings(max_examples=150, deadline=None)
@given(arrays(np.float64, st.integers(1, 8), elements=st.floats(-1e308, 1e308)))
def test_matches_the_reference_anywhere_in_the_float64_range(x):
    assert_matches_reference(x)


@settings(max_examples=150, deadline=None)
@given(arrays(np.float64, st.integers(1, 8), elements=st.floats(-50, 50)))
def test_matches_the_reference_for_everyday_logits(x):
    assert_matches_reference(x)


def finite_vectors(dtype, max_size):
    """Hypothesis strategy: 1-D arrays of any finite values of `dtype`, 1 to `max_size` long."""
    elements = st.floats(width=np.finfo(dtype).bits, allow_nan=False, allow_infinity=False)
    return arrays(dtype, st.integers(1, max_size), elements=elements)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from([np.float16, np.float32]), st.data())
def test_narrow_dtypes_match_the_reference_anywhere_in_their_range(dtype, data):
    assert_matches_reference(data.draw(finite_vectors(dtype, 8)))


# ---------------------------------------------------------------- infinities, nan, empty

@pytest.mark.parametrize("x, expected", [
    ([INF, 0.0, -5.0], [1.0, 0.0, 0.0]),            # an infinite logit takes all the probability
    ([INF, 1e308, INF, -INF], [0.5, 0.0, 0.5, 0.0]),  # several share it equally
    ([-INF, 0.0, -INF], [0.0, 1.0, 0.0]),           # -inf gets nothing
    ([-INF, -INF], [NAN, NAN]),                      # all -inf: undefined, so nan (without a warning)
    ([NAN, 1.0, 2.0], [NAN, NAN, NAN]),             # nan anywhere: nan everywhere in the slice
    ([NAN, INF], [NAN, NAN]),
    ([1e308, -1e308], [1.0, 0.0]),
])
def test_softmax_at_the_edges(x, expected):
    np.testing.assert_array_equal(softmax(x), expected)


@pytest.mark.parametrize("x, expected_log_softmax, expected_logsumexp", [
    ([INF, 0.0, INF], [-math.log(2), -INF, -math.log(2)], INF),
    ([-INF, 0.0], [-INF, 0.0], 0.0),
    ([-INF, -INF], [NAN, NAN], -INF),    # log of an empty sum is -inf; log_softmax is undefined
    ([NAN, 0.0], [NAN, NAN], NAN),
    ([0.0, -1000.0], [0.0, -1000.0], 0.0),  # log(softmax) would give -inf here
    ([1e308, -1e308], [0.0, -INF], 1e308),  # the true -2e308 is beyond float64: -inf
    ([1000.0, 1000.0], [-math.log(2)] * 2, 1000.0 + math.log(2)),
])
def test_log_softmax_and_logsumexp_at_the_edges(x, expected_log_softmax, expected_logsumexp):
    np.testing.assert_allclose(log_softmax(x), expected_log_softmax, rtol=1e-15)
    np.testing.assert_allclose(logsumexp(x), expected_logsumexp, rtol=1e-15)


@pytest.mark.parametrize("dtype", FLOATS)
def test_naive_overflow_point_is_no_problem(dtype):
    limit = np.log(np.finfo(dtype).max)  # exp overflows just above this
    x = np.array([limit + 1, limit, 0.0], dtype=dtype)
    s = softmax(x)
    assert s.dtype == dtype and np.all(np.isfinite(s))
    assert abs(float(s.astype(np.float64).sum()) - 1) <= np.finfo(dtype).eps


def test_empty_inputs_give_empty_results():
    assert softmax(np.zeros((2, 0))).shape == (2, 0)
    assert log_softmax(np.zeros((0, 3))).shape == (0, 3)
    np.testing.assert_array_equal(logsumexp(np.zeros((2, 0))), [-INF, -INF])  # as scipy: log of an empty sum
    assert logsumexp(np.zeros((0, 3))).shape == (0,)
    assert cross_entropy_from_logits(np.zeros((0, 3)), np.zeros(0, dtype=int)).shape == (0,)
    assert cross_entropy_from_logits_grad(np.zeros((0, 3)), np.zeros(0, dtype=int)).shape == (0, 3)


# ---------------------------------------------------------------- properties

dyadic_logits = arrays(np.float64, st.integers(1, 10),
                       elements=st.integers(-8000, 8000).map(lambda k: k / 8))  # exact in float64, as is x + c


@given(dyadic_logits, st.integers(-10**6, 10**6))
def test_shift_invariance_holds_exactly(x, c):
    # x + c and (x + c) - max(x + c) are exact here, so the shifted computation sees the same numbers
    np.testing.assert_array_equal(softmax(x + c), softmax(x))
    np.testing.assert_array_equal(log_softmax(x + c), log_softmax(x))
    assert logsumexp(x + c) == pytest.approx(logsumexp(x) + c, rel=1e-15, abs=1e-9)


@settings(max_examples=200)
@given(st.sampled_from(FLOATS), st.data())
def test_probabilities_sum_to_one_within_a_few_ulp(dtype, data):
    s = softmax(data.draw(finite_vectors(dtype, 10)))
    assert np.all((s >= 0) & (s <= 1))
    ulps = 3 if dtype == np.float64 else 1  # float16/32: each probability rounded once from float64
    assert abs(float(np.sum(s, dtype=np.float64)) - 1) <= ulps * np.finfo(dtype).eps


@given(arrays(np.float64, st.integers(1, 10), elements=st.floats(-300, 300)))
def test_log_softmax_is_the_log_of_softmax_where_nothing_underflows(x):
    np.testing.assert_allclose(log_softmax(x), np.log(softmax(x)), rtol=1e-13, atol=1e-13)


@given(arrays(np.float64, st.integers(1, 10), elements=st.floats(-1e300, 1e300)))
def test_logsumexp_lies_between_max_and_max_plus_log_n(x):
    lse, peak = float(logsumexp(x)), float(np.max(x))
    assert peak <= lse <= peak + math.log(x.size) * (1 + 1e-15) + abs(peak) * 1e-15


# ---------------------------------------------------------------- axes, dtypes, inputs untouched

@pytest.mark.parametrize("axis", [0, 1, 2, -1, -2, -3])
@pytest.mark.parametrize("function", ALL_AXIS_FUNCTIONS)
def test_any_axis_of_a_3d_array_is_each_slice_on_its_own(function, axis):
    x = np.random.default_rng(0).normal(scale=30.0, size=(3, 4, 5))
    expected = np.apply_along_axis(function, axis, x)
    np.testing.assert_allclose(function(x, axis=axis), expected, rtol=1e-15, atol=1e-15)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_softmax_sums_to_one_along_the_axis_it_was_taken(axis):
    x = np.random.default_rng(1).normal(scale=100.0, size=(3, 4, 5))
    np.testing.assert_allclose(softmax(x, axis=axis).sum(axis=axis), 1.0, rtol=1e-15, atol=4e-16)


@pytest.mark.parametrize("axis", [0, 1, 2, -1])
def test_cross_entropy_along_any_axis(axis):
    rng = np.random.default_rng(2)
    logits = rng.normal(scale=5.0, size=(3, 4, 5))
    labels = rng.integers(0, logits.shape[axis], size=np.delete(logits.shape, axis))
    moved, moved_labels = np.moveaxis(logits, axis, -1), labels
    expected = -np.take_along_axis(log_softmax(moved), moved_labels[..., None], axis=-1)[..., 0]
    np.testing.assert_allclose(cross_entropy_from_logits(logits, labels, axis=axis), expected, rtol=1e-15)
    one_hot = np.moveaxis(np.eye(logits.shape[axis])[labels], -1, axis)
    np.testing.assert_allclose(cross_entropy_from_logits_grad(logits, labels, axis=axis),
                               softmax(logits, axis=axis) - one_hot, rtol=1e-15, atol=1e-17)


@pytest.mark.parametrize("dtype", FLOATS + (np.longdouble,))
def test_dtype_in_is_dtype_out(dtype):
    x = np.array([[3.0, -1.0, 0.5], [10.0, 10.0, -2.0]], dtype=dtype)
    labels = np.array([0, 2])
    for result in (softmax(x), log_softmax(x), logsumexp(x), softmax_jacobian(x[0]),
                   cross_entropy_from_logits(x, labels), cross_entropy_from_logits_grad(x, labels)):
        assert result.dtype == dtype


@pytest.mark.parametrize("x", [[1, 2, 3], np.array([1, 2, 3]), np.array([True, False]), (0.5, 1.5)])
def test_integers_bools_lists_and_tuples_become_float64(x):
    assert softmax(x).dtype == np.float64
    assert logsumexp(x).dtype == np.float64


def test_inputs_are_never_modified():
    x = np.array([[1000.0, -1e308, INF], [NAN, 1.0, 2.0], [-INF, -INF, -INF]])
    labels = np.array([0, 1, 2])
    x_before, labels_before = x.copy(), labels.copy()
    for call in (lambda: softmax(x), lambda: log_softmax(x, axis=0), lambda: logsumexp(x),
                 lambda: softmax_jacobian(x[0]), lambda: cross_entropy_from_logits(x, labels),
                 lambda: cross_entropy_from_logits_grad(x, labels)):
        call()
        np.testing.assert_array_equal(x, x_before)
        np.testing.assert_array_equal(labels, labels_before)


def test_results_are_new_arrays():
    x = np.array([0.0, 1.0])
    s = softmax(x)
    s[0] = 99.0
    assert x[0] == 0.0


# ---------------------------------------------------------------- errors that say what went wrong

@pytest.mark.parametrize("function", ALL_AXIS_FUNCTIONS)
@pytest.mark.parametrize("bad, error, message", [
    ("logits", TypeError, "expected real numbers.*got str"),
    (None, TypeError, "expected real numbers.*got NoneType"),
    ([1 + 2j, 3], TypeError, "got complex"),
    ([[1.0, 2.0], [3.0]], TypeError, "regular"),
    (2.5, ValueError, "expected at least one axis.*got a scalar"),
])
def test_bad_input_says_what_was_expected(function, bad, error, message):
    with pytest.raises(error, match=message):
        function(bad)


@pytest.mark.parametrize("function", ALL_AXIS_FUNCTIONS)
@pytest.mark.parametrize("axis, error, message", [
    (2, ValueError, r"axis: expected an int in \[-2, 1\].*got 2"),
    (-3, ValueError, r"axis: expected an int in \[-2, 1\].*got -3"),
    (1.0, TypeError, "axis: expected an int, got float"),
    (True, TypeError, "axis: expected an int, got bool"),
    (None, TypeError, "axis: expected an int, got NoneType"),
    ((0, 1), TypeError, "axis: expected an int, got tuple"),
])
def test_bad_axis_says_what_was_expected(function, axis, error, message):
    with pytest.raises(error, match=message):
        function(np.zeros((2, 3)), axis=axis)


def test_jacobian_wants_one_vector():
    with pytest.raises(ValueError, match=r"z: expected a 1-D vector of logits, got an array of shape \(2, 3\)"):
        softmax_jacobian(np.zeros((2, 3)))
    with pytest.raises(TypeError, match="z: expected real numbers"):
        softmax_jacobian("z")


@pytest.mark.parametrize("function", [cross_entropy_from_logits, cross_entropy_from_logits_grad])
@pytest.mark.parametrize("labels, error, message", [
    ([0.0, 1.0], TypeError, "labels: expected integer class indices, got dtype float64.*argmax"),
    ([[1, 0, 0], [0, 1, 0]], ValueError, r"labels: expected shape \(2,\).*got \(2, 3\).*argmax"),
    ([0, 3], ValueError, r"labels: expected class indices in \[0, 2\] for 3 classes, got values from 0 to 3"),
    ([-1, 0], ValueError, r"labels: expected class indices in \[0, 2\]"),
    ("01", TypeError, "labels: expected integer class indices, got str"),
    (None, TypeError, "labels: expected integer class indices, got NoneType"),
])
def test_bad_labels_say_what_was_expected(function, labels, error, message):
    with pytest.raises(error, match=message):
        function(np.zeros((2, 3)), labels)


def test_bad_logits_are_named_logits():
    with pytest.raises(TypeError, match="logits: expected real numbers"):
        cross_entropy_from_logits("abc", [0])


# ---------------------------------------------------------------- cross-entropy values

def test_cross_entropy_is_minus_log_of_the_probability_of_the_label():
    z = np.array([[2.0, 1.0, 0.1], [0.0, 0.0, 0.0]])
    np.testing.assert_allclose(cross_entropy_from_logits(z, [0, 2]), [-math.log(0.6590011388859679), math.log(3)],
                               rtol=1e-15)


@pytest.mark.parametrize("logits, label, expected", [
    ([0.0, 800.0], 0, 800.0),            # confidently wrong: the probability underflows, the loss does not
    ([800.0, 0.0], 0, 0.0),              # confidently right: 0, where -sum(y log p) gives 0 * -inf = nan
    ([INF, 0.0, INF], 0, math.log(2)),
    ([INF, 0.0], 1, INF),
    ([-INF, 0.0], 0, INF),
    ([-INF, -INF], 0, NAN),
    ([1e308, -1e308], 1, INF),
])
def test_cross_entropy_at_the_edges(logits, label, expected):
    np.testing.assert_allclose(cross_entropy_from_logits(logits, label), expected, rtol=1e-15)


def test_one_vector_with_a_scalar_label_gives_a_scalar_loss():
    loss = cross_entropy_from_logits(np.array([2.0, 1.0, 0.1], dtype=np.float32), 1)
    assert loss.shape == () and loss.dtype == np.float32


# ---------------------------------------------------------------- derivatives

@pytest.mark.parametrize("z", [[2.0, 1.0, 0.1], [0.3, -1.2, 4.0, 0.0, 2.5], [50.0, 49.0, -10.0]])
def test_jacobian_matches_finite_differences(z):
    z = np.array(z)
    by_differences = np.array([numerical_gradient(lambda w, i=i: softmax(w)[i], z) for i in range(z.size)])
    np.testing.assert_allclose(softmax_jacobian(z), by_differences, rtol=1e-6, atol=1e-9)


def test_jacobian_is_symmetric_with_rows_summing_to_zero():
    z = np.random.default_rng(3).normal(size=6)
    jacobian = softmax_jacobian(z)
    s = softmax(z)
    np.testing.assert_array_equal(jacobian, jacobian.T)
    np.testing.assert_allclose(jacobian.sum(axis=1), 0.0, atol=1e-16)
    np.testing.assert_allclose(np.diag(jacobian), s * (1 - s), rtol=1e-15)


def test_jacobian_matches_tensorflow():
    tf = load_tensorflow()
    z = np.array([0.5, -1.0, 2.0, 0.0])
    tensor = tf.constant(z)
    with tf.GradientTape() as tape:
        tape.watch(tensor)
        s = tf.nn.softmax(tensor)
    np.testing.assert_allclose(softmax_jacobian(z), tape.jacobian(s, tensor).numpy(), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("label", [0, 1, 3])
def test_gradient_is_softmax_minus_one_hot_by_finite_differences(label):
    z = np.array([1.5, -0.5, 0.2, 3.0])
    by_differences = numerical_gradient(lambda w: cross_entropy_from_logits(w, label), z)
    np.testing.assert_allclose(cross_entropy_from_logits_grad(z, label), by_differences, rtol=1e-6, atol=1e-10)


def test_gradient_matches_keras_sparse_categorical_crossentropy_under_gradient_tape():
    keras, tf = load_keras(), load_tensorflow()
    rng = np.random.default_rng(4)
    logits = rng.normal(scale=4.0, size=(8, 5))
    labels = rng.integers(0, 5, size=8)
    tensor = tf.constant(logits)
    with tf.GradientTape() as tape:
        tape.watch(tensor)
        loss = keras.losses.sparse_categorical_crossentropy(labels, tensor, from_logits=True)
    np.testing.assert_allclose(cross_entropy_from_logits(logits, labels), loss.numpy(), rtol=1e-12)
    np.testing.assert_allclose(cross_entropy_from_logits_grad(logits, labels), tape.gradient(loss, tensor).numpy(),
                               rtol=1e-12, atol=1e-15)


# ---------------------------------------------------------------- parity with TensorFlow and Keras (float32)

@pytest.fixture(scope="module")
def float32_logits():
    return np.random.default_rng(5).normal(scale=10.0, size=(4, 6, 7)).astype(np.float32)


@pytest.mark.parametrize("axis", [-1, 1, 0])
def test_softmax_matches_tf_nn_softmax_and_keras(float32_logits, axis):
    keras, tf = load_keras(), load_tensorflow()
    ours = softmax(float32_logits, axis=axis)
    assert ours.dtype == np.float32
    np.testing.assert_allclose(ours, tf.nn.softmax(float32_logits, axis=axis).numpy(), rtol=2e-6, atol=1e-7)
    np.testing.assert_allclose(ours, keras.activations.softmax(float32_logits, axis=axis).numpy(), rtol=2e-6,
                               atol=1e-7)


@pytest.mark.parametrize("axis", [-1, 1, 0])
def test_log_softmax_matches_keras(float32_logits, axis):
    keras = load_keras()
    ours = log_softmax(float32_logits, axis=axis)
    np.testing.assert_allclose(ours, keras.activations.log_softmax(float32_logits, axis=axis).numpy(), rtol=2e-6,
                               atol=2e-6)


def test_cross_entropy_matches_keras_in_float32(float32_logits):
    keras = load_keras()
    logits = float32_logits.reshape(-1, 7)
    labels = np.random.default_rng(6).integers(0, 7, size=len(logits))
    expected = keras.losses.sparse_categorical_crossentropy(labels, logits, from_logits=True).numpy()
    np.testing.assert_allclose(cross_entropy_from_logits(logits, labels), expected, rtol=2e-6, atol=2e-6)


# ---------------------------------------------------------------- sparsemax (Martins & Astudillo 2016)

from fractions import Fraction  # noqa: E402

from course_lib.softmax import sparsemax, sparsemax_grad, sparsemax_jacobian  # noqa: E402


def sparsemax_reference(x):
    """The exact projection of the float vector x onto the simplex, in exact rational arithmetic
    (floats are rationals; 50 digits are not enough next to 1e-86): the threshold tau from the
    sorted logits (Martins & Astudillo, Algorithm 1), then max(x - tau, 0)."""
    z = [Fraction(float(v)) for v in x]
    ordered = sorted(z, reverse=True)
    total, k, k_total = Fraction(0), 0, Fraction(0)
    for j, value in enumerate(ordered, start=1):
        total += value
        if 1 + j * value > total:
            k, k_total = j, total
    tau = (k_total - 1) / k
    return [max(v - tau, Fraction(0)) for v in z]


def ulp_errors(got, exact):
    """|got - exact| in ulps of the float nearest the exact value (exact zeros must be exact)."""
    errors = []
    for g, e in zip(got, exact):
        if e == 0:
            errors.append(0.0 if g == 0 else math.inf)
        else:
            with np.errstate(under="ignore"):
                ulp = np.spacing(abs(float(e)))
            errors.append(float(abs(Fraction(float(g)) - e) / Fraction(float(ulp))))
    return errors


def sparsemax_vectors():
    """Vectors where the threshold is hard: close logits, wide magnitudes, ties, tiny offsets."""
    rng = np.random.default_rng(13)
    yield from (rng.normal(0, scale, size) for scale in (0.1, 0.5, 1, 3, 100) for size in (2, 3, 7, 30))
    yield np.array([1.0, 1e-20, -5.0])                 # a support member 1e-20 from the edge
    yield from (np.array([0.0, 0.5, 1.0]), np.array([0.1, 0.2, 0.3, 0.4, 0.5]))
    yield np.array([1e300, 1e300 - 1e284, 1e300 - 2.0 ** 970, 0.0])
    yield np.array([-1e300, -1e300, 3.0, 3.0 + 2.0 ** -40])
    yield np.array([5e-324, 0.0, -5e-324, 1e-310])
    yield np.array([0.3, 0.3, 0.3, 0.3])


@pytest.mark.parametrize("x", list(sparsemax_vectors()), ids=lambda x: f"n={x.size}")
def test_sparsemax_is_within_a_few_ulp_of_the_exact_projection(x):
    assert max(ulp_errors(sparsemax(x), sparsemax_reference(x))) <= 4


@settings(max_examples=150, deadline=None)
@given(arrays(np.float64, st.integers(1, 9), elements=st.floats(-1e6, 1e6)))
def test_sparsemax_matches_the_reference_anywhere(x):
    assert max(ulp_errors(sparsemax(x), sparsemax_reference(x))) <= 4


@settings(max_examples=150, deadline=None)
@given(arrays(np.float64, st.integers(1, 12), elements=st.floats(-1e300, 1e300)))
def test_sparsemax_is_a_probability_vector_with_exact_zeros(x):
    p = sparsemax(x)
    assert np.all(p >= 0) and abs(p.sum() - 1) <= 8 * np.finfo(np.float64).eps
    far = [Fraction(float(np.max(x))) - Fraction(float(v)) >= 1 for v in x]  # exactly, not rounded
    assert np.all(p[far] == 0)  # a logit 1 or more below the largest gets exactly 0
    np.testing.assert_array_equal(sparsemax(x[::-1]), p[::-1])  # the order of the logits does not matter


def test_sparsemax_gives_exact_zeros_where_softmax_cannot():
    x = np.array([2.0, 1.5, -1.0, -3.0])
    np.testing.assert_array_equal(sparsemax(x), [0.75, 0.25, 0.0, 0.0])
    assert np.all(softmax(x) > 0)
    np.testing.assert_array_equal(sparsemax(x + 1e6), sparsemax(x))  # shift invariance (exact here)


@pytest.mark.parametrize("x, expected", [
    ([INF, 0.0, 1.0], [1, 0, 0]), ([INF, INF, 1.0], [0.5, 0.5, 0]),
    ([-INF, 0.0], [0, 1]), ([-INF, -INF], [NAN, NAN]), ([NAN, 1.0], [NAN, NAN]),
    ([1e308, -1e308], [1, 0]), ([-1e308, -1e308], [0.5, 0.5]),
])
def test_sparsemax_at_the_edges(x, expected):
    np.testing.assert_array_equal(sparsemax(np.array(x)), expected)


@pytest.mark.parametrize("dtype", FLOATS + (np.longdouble,))
def test_sparsemax_keeps_dtype_and_shape_along_any_axis(dtype):
    x = np.random.default_rng(2).normal(0, 1, (3, 4, 5)).astype(dtype)
    for axis in (0, 1, 2, -1):
        p = sparsemax(x, axis=axis)
        assert p.dtype == dtype and p.shape == x.shape
        expected = np.apply_along_axis(sparsemax, axis, x)
        np.testing.assert_array_equal(p, expected)
    assert sparsemax([1, 2]).dtype == np.float64
    assert sparsemax(np.zeros((2, 0))).shape == (2, 0)


@pytest.mark.parametrize("bad, kwargs, error, message", [
    ("1.0", {}, TypeError, "expected real numbers"),
    (3.0, {}, ValueError, "expected at least one axis"),
    ([1.0, 2.0], {"axis": 1}, ValueError, r"axis: expected an int in \[-1, 0\]"),
    ([1.0, 2.0], {"axis": 0.5}, TypeError, "axis: expected an int"),
])
def test_sparsemax_bad_input_raises(bad, kwargs, error, message):
    with pytest.raises(error, match=message):
        sparsemax(bad, **kwargs)


def test_sparsemax_jacobian_is_the_projection_onto_the_support_minus_its_mean():
    J = sparsemax_jacobian(np.array([2.0, 1.5, -1.0, -3.0]))
    np.testing.assert_array_equal(J, [[0.5, -0.5, 0, 0], [-0.5, 0.5, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]])
    rng = np.random.default_rng(4)
    for _ in range(20):
        z = rng.normal(0, 0.5, 6)
        J = sparsemax_jacobian(z)
        np.testing.assert_allclose(J, J.T)
        np.testing.assert_allclose(J.sum(axis=1), 0, atol=1e-15)
        numerical = np.array([numerical_gradient(lambda v: sparsemax(v)[i], z.copy()) for i in range(6)])
        np.testing.assert_allclose(J, numerical, atol=1e-6)  # sparsemax is linear near z
    with pytest.raises(ValueError, match="expected a 1-D vector"):
        sparsemax_jacobian(np.zeros((2, 3)))


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_sparsemax_grad_is_the_vector_jacobian_product_along_any_axis(axis):
    rng = np.random.default_rng(5)
    x, g = rng.normal(0, 0.7, (4, 5)), rng.normal(0, 1, (4, 5))
    got = sparsemax_grad(x, axis=axis, upstream=g)
    xs, gs = np.moveaxis(x, axis, -1), np.moveaxis(g, axis, -1)
    expected = np.stack([gs[i] @ sparsemax_jacobian(xs[i]) for i in range(xs.shape[0])])
    np.testing.assert_allclose(got, np.moveaxis(expected, -1, axis), atol=1e-15)
    np.testing.assert_array_equal(sparsemax_grad(x, axis=axis), 0)  # the outputs always sum to 1
    with pytest.raises(ValueError, match=r"upstream: expected x's shape \(4, 5\)"):
        sparsemax_grad(x, axis=axis, upstream=np.ones(5))


def _tf_sparsemax(tf, x):
    """Martins & Astudillo's sparsemax in TensorFlow, with the threshold from the cumulative sum at
    the support's last index (the fix of keras-team/keras#23469), for the tape to differentiate."""
    ordered = tf.sort(x, direction="DESCENDING", axis=-1)
    cumulative = tf.cumsum(ordered, axis=-1)
    k = tf.range(1, x.shape[-1] + 1, dtype=x.dtype)
    support = tf.cast(1 + k * ordered > cumulative, x.dtype)
    count = tf.reduce_sum(support, axis=-1, keepdims=True)
    tau = (tf.reduce_sum(support * ordered, axis=-1, keepdims=True) - 1) / count
    return tf.maximum(x - tau, 0.0)


def test_sparsemax_grad_matches_gradient_tape_on_the_paper_algorithm():
    tf = load_tensorflow()
    rng = np.random.default_rng(6)
    x, g = rng.normal(0, 0.6, (50, 7)), rng.normal(0, 1, (50, 7))
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        y = _tf_sparsemax(tf, xt)
    np.testing.assert_allclose(y.numpy(), sparsemax(x), atol=1e-15)
    np.testing.assert_allclose(tape.gradient(y, xt, output_gradients=tf.constant(g)).numpy(),
                               sparsemax_grad(x, upstream=g), atol=1e-14)


def test_sparsemax_matches_keras_where_keras_is_right():
    """Keras 3.15.1's sparsemax is the projection only where one output is nonzero (it sums the
    cumulative sums over the support, keras-team/keras#23425); it is compared there, and seen
    to be wrong elsewhere, so that this test fails (and can be widened) once Keras is fixed."""
    keras = load_keras()
    rng = np.random.default_rng(7)
    x = np.concatenate([rng.normal(0, 3, (500, 5)), rng.normal(0, 0.3, (500, 5))]).astype(np.float32)
    ours = sparsemax(x)
    with np.errstate(all="ignore"):
        theirs = np.asarray(keras.activations.sparsemax(x))
    one_hot = (ours > 0).sum(axis=-1) == 1
    assert one_hot.sum() > 100 and (~one_hot).sum() > 100
    assert np.max(np.abs(ours[one_hot] - theirs[one_hot])) == 0
    assert np.mean(np.abs(theirs[~one_hot].sum(axis=-1) - 1) > 1e-3) > 0.5  # Keras' sums are not 1
