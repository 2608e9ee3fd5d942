"""Tests of the checks of the softmax notebook: accept the solution, hint on wrong answers, stub not
attempted."""

import numpy as np
import pytest

from course_lib.exercises import verdict
from course_lib.exercises.softmax import half_temperature, top_probability


def softmax_rows(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def in_place_shift(z):
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def global_shift(z):
    e = np.exp(z - z.max())
    return e / e.sum(axis=1, keepdims=True)


def no_keepdims(z):
    e = np.exp(z - z.max(axis=1))
    return e / e.sum(axis=1)


def sum_without_keepdims(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1)


def columns(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


@pytest.mark.parametrize("answer, status, hint", [
    (softmax_rows, "correct", ""),
    (lambda z: np.exp(z) / np.exp(z).sum(axis=1, keepdims=True), "wrong", "exp overflowed"),
    (global_shift, "wrong", "Each row needs its own max"),
    (no_keepdims, "wrong", "keepdims=True"),
    (sum_without_keepdims, "wrong", "e.sum(axis=1)"),
    (in_place_shift, "wrong", "changed the array it was given"),
    (columns, "wrong", "each row must sum to 1"),
    (lambda z: softmax_rows(z)[0], "wrong", "one probability per logit"),
    (lambda z: softmax_rows(z ** 2 / 1e3), "wrong", "wrong values in rows"),
    (lambda z: None, "wrong", "forget `return`"),
    (lambda z: ..., "not attempted", ""),
    (..., "not attempted", ""),
])
def test_check_softmax_1(answer, status, hint):
    got_status, message = verdict("softmax.1", answer)
    assert got_status == status and hint in message, message


def stable_logsumexp(z):
    m = np.max(z)
    return m + np.log(np.sum(np.exp(z - m)))


def shift_only_when_positive(z):  # guards against overflow but not underflow
    m = max(np.max(z), 0.0)
    return m + np.log(np.sum(np.exp(z - m)))


@pytest.mark.parametrize("answer, status, hint", [
    (stable_logsumexp, "correct", ""),
    (lambda z: np.log(np.sum(np.exp(z))), "wrong", "exp overflowed"),
    (shift_only_when_positive, "wrong", "underflowed to 0"),
    (lambda z: np.log(np.sum(np.exp(z - np.max(z)))), "wrong", "add m = max(z) back"),
    (lambda z: np.max(z) + np.log(np.exp(z - np.max(z))), "wrong", "return one number"),
    (lambda z: np.max(z), "wrong", "expected 2.417030"),
    (lambda z: ..., "not attempted", ""),
])
def test_check_softmax_2(answer, status, hint):
    got_status, message = verdict("softmax.2", answer)
    assert got_status == status and hint in message, message


def gradient(z, y):
    s = np.exp(z - z.max())
    s /= s.sum()
    s[y] -= 1
    return s


def naive_gradient(z, y):
    s = np.exp(z) / np.exp(z).sum()
    return s - np.eye(len(z))[y]


@pytest.mark.parametrize("answer, status, hint", [
    (gradient, "correct", ""),
    (naive_gradient, "wrong", "compute softmax stably"),
    (lambda z, y: -gradient(z, y), "wrong", "sign is flipped"),
    (lambda z, y: gradient(z, y) + np.eye(len(z))[y], "wrong", "softmax(z) alone"),
    (lambda z, y: gradient(z, y) + 0.1, "wrong", "must sum to 0"),
    (lambda z, y: np.roll(gradient(z, y), 1), "wrong", "expected [-0.341, 0.2424, 0.0986]"),
    (lambda z, y: gradient(z, y)[:2], "wrong", "one partial derivative per logit"),
    (lambda z, y: ..., "not attempted", ""),
])
def test_check_softmax_3(answer, status, hint):
    got_status, message = verdict("softmax.3", answer)
    assert got_status == status and hint in message, message


def test_half_temperature_gives_the_top_class_one_half():
    t = half_temperature()
    assert top_probability(t) == pytest.approx(0.5, abs=1e-12)
    assert 2.0 < t < 2.05  # u + u^1.9 = 1 with u = exp(-1/T) gives u = 0.6095..., T = 2.0202...


@pytest.mark.parametrize("answer, status, hint", [
    (2.02, "correct", ""),
    (np.float32(2.025), "correct", ""),
    (2, "wrong", "raise T"),
    (1.0, "wrong", "p = 0.6590"),
    (2.1, "wrong", "lower T"),
    (0, "wrong", "positive number"),
    (float("nan"), "wrong", "positive number"),
    ("2.02", "wrong", "one number"),
    (True, "wrong", "one number"),
    (..., "not attempted", ""),
])
def test_check_softmax_4(answer, status, hint):
    got_status, message = verdict("softmax.4", answer)
    assert got_status == status and hint in message, message


def online_step(m, l, block):
    new_m = max(m, np.max(block))
    return new_m, l * np.exp(m - new_m) + np.sum(np.exp(block - new_m))


def new_max(m, block):
    return max(m, np.max(block))


def no_rescale(m, l, block):
    return new_max(m, block), l + np.sum(np.exp(block - new_max(m, block)))


def factor_upside_down(m, l, block):
    new_m = new_max(m, block)
    return new_m, l * np.exp(new_m - m) + np.sum(np.exp(block - new_m))


def block_against_old_max(m, l, block):
    new_m = new_max(m, block)
    return new_m, l * np.exp(m - new_m) + np.sum(np.exp(block - m))


def block_only(m, l, block):
    return new_max(m, block), np.sum(np.exp(block - new_max(m, block)))


def exponentiate_first(m, l, block):  # right in exact arithmetic, exp(1000) overflows
    return new_max(m, block), (l * np.exp(m) + np.sum(np.exp(block))) / np.exp(new_max(m, block))


@pytest.mark.parametrize("answer, status, hint", [
    (online_step, "correct", ""),
    (no_rescale, "wrong", "multiply it by exp(m - m')"),
    (factor_upside_down, "wrong", "upside down"),
    (block_against_old_max, "wrong", "against the new max"),
    (block_only, "wrong", "keep the old sum"),
    (lambda m, l, b: (np.max(b), online_step(m, l, b)[1]), "wrong", "max(m, max(block)) = 3.0"),
    (exponentiate_first, "wrong", "exp overflowed for m = 1000.0"),
    (lambda m, l, b: online_step(m, l, b)[1], "wrong", "return two numbers"),
    (lambda m, l, b: (online_step(m, l, b)[0], 1.0), "wrong", "expected l' = "),
    (lambda m, l, b: (..., ...), "not attempted", ""),
    (lambda m, l, b: ..., "not attempted", ""),
])
def test_check_softmax_5(answer, status, hint):
    got_status, message = verdict("softmax.5", answer)
    assert got_status == status and hint in message, message


def masked_softmax(z, mask):
    if not mask.any():
        return np.zeros_like(z)
    shifted = np.where(mask, z - z[mask].max(), -np.inf)
    e = np.exp(shifted)
    return e / e.sum()


def masked_with_large_negative(z, mask):
    shifted = np.where(mask, z, -1e9)
    e = np.exp(shifted - shifted.max())
    return e / e.sum()


def masked_with_minus_inf(z, mask):
    shifted = np.where(mask, z, -np.inf)
    e = np.exp(shifted - shifted.max())
    return e / e.sum()


def masked_in_place(z, mask):
    z[~mask] = -np.inf
    return masked_softmax(np.where(mask, z, 0.0), mask)


def masked_without_the_empty_case(z, mask):  # z[mask].max() of an empty selection: ValueError
    e = np.exp(np.where(mask, z - z[mask].max(), -np.inf))
    return e / e.sum()


def softmax_times_mask(z, mask):
    e = np.exp(z - z.max())
    return e / e.sum() * mask


@pytest.mark.parametrize("answer, status, hint", [
    (masked_softmax, "correct", ""),
    (lambda z, m: masked_with_large_negative(z, m) * m, "correct", ""),  # as keras.layers.Softmax
    (masked_with_large_negative, "wrong", "spread the probability evenly"),
    (masked_with_minus_inf, "wrong", "exp(-inf - (-inf)) is nan"),
    (softmax_times_mask, "wrong", "sum to 0.0702, not 1"),
    (lambda z, m: masked_softmax(z, m) + 0.1 * ~m, "wrong", "masked entries must get probability"),
    (lambda z, m: np.exp(np.where(m, z, -np.inf)) / np.exp(np.where(m, z, -np.inf)).sum() if m.any()
     else np.zeros_like(z), "wrong", "subtract the max of the unmasked entries"),
    (masked_in_place, "wrong", "changed the array"),
    (masked_without_the_empty_case, "wrong", "z[mask] is empty and has no max"),
    (lambda z, m: masked_softmax(z, m)[:2], "wrong", "one probability per logit"),
    (lambda z, m: masked_softmax(2 * z, m), "wrong", "expected [0.659, 0.2424, 0.0986, 0.0], got"),
    (lambda z, m: ..., "not attempted", ""),
])
def test_check_softmax_6(answer, status, hint):
    got_status, message = verdict("softmax.6", answer)
    assert got_status == status and hint in message, message


# An answer that only calls course_lib's own function gets a hint, not "correct" (the autograder
# gives it zero): each exercise asks the learner to write that function.
from course_lib import softmax as course_softmax  # noqa: E402


@pytest.mark.parametrize("name, answer", [
    ("softmax.1", lambda z: course_softmax.softmax(z, axis=1)),
    ("softmax.2", lambda z: course_softmax.logsumexp(z)),
    ("softmax.3", lambda z, y: course_softmax.cross_entropy_from_logits_grad(z, y)),
    ("softmax.5", lambda m, l, block: course_softmax.online_softmax_steps(block, block_size=1)),
    ("softmax.6", lambda z, mask: course_softmax.softmax(z, where=mask)),
])
def test_an_answer_that_calls_course_lib_gets_a_hint(name, answer):
    status, message = verdict(name, answer)
    assert status == "wrong" and "uses course_lib's 'course_softmax'" in message, message
