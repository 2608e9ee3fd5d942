"""Checks for the softmax notebook: softmax of a batch, logsumexp, the cross-entropy gradient,
temperature, one step of the online softmax, and the masked softmax."""

import math
import numbers

import numpy as np

from course_lib.exercises import Hint, answer_by_hand, attempted, call, exercise
from course_lib.softmax import cross_entropy_from_logits_grad, logsumexp, softmax

# Rows of very different scale: one overflows a naive exp, one underflows after a global shift,
# one is constant. Four rows and three columns, so a max without keepdims cannot broadcast.
BATCH = np.array([[2.0, 1.0, 0.1], [1000.0, 999.0, 998.0], [-1000.0, -1001.0, -1002.0],
                  [5.0, 5.0, 5.0]])
WORKED_EXAMPLE = np.array([2.0, 1.0, 0.1])


def _own(function):
    """The learner's function, with a call into course_lib turned into a hint."""
    return answer_by_hand(function, note="course_lib has the answer; the point is to write it")


@exercise("softmax.1")
def check_softmax_rows(softmax_rows):
    """Softmax of every row of a 2-D batch, without overflow: probabilities summing to 1 per row."""
    z = BATCH.copy()
    try:
        with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
            result = np.asarray(call(_own(softmax_rows), z), dtype=float)
    except FloatingPointError as error:
        if "overflow" in str(error):
            raise Hint("exp overflowed (exp(1000) is inf in float64). Subtract each row's max "
                       "first: softmax(z - c) = softmax(z), and with c = max every exponent is "
                       "<= 0") from None
        raise Hint("0 / 0 in a row: all its exponentials underflowed to 0. Did you subtract the "
                   "max of the whole array? Each row needs its own max: "
                   "z.max(axis=1, keepdims=True)") from None
    except ValueError as error:
        if "broadcast" in str(error):
            raise Hint("shapes do not broadcast: a row's max or sum without keepdims, such as "
                       "z.max(axis=1) or e.sum(axis=1), has shape (4,), z has shape (4, 3). "
                       "Keep the reduced axis with keepdims=True in both") from None
        raise
    if not np.array_equal(z, BATCH):
        raise Hint("your function changed the array it was given (e.g. z -= ...). "
                   "Write z = z - ... so the caller's logits stay as they were")
    if result.shape != BATCH.shape:
        raise Hint(f"return one probability per logit: shape {BATCH.shape}, got {result.shape}")
    if not np.allclose(result.sum(axis=1), 1.0, rtol=0, atol=1e-12):
        raise Hint("each row must sum to 1: normalise along axis=1, with keepdims=True")
    expected = softmax(BATCH, axis=1)
    if not np.allclose(result, expected, rtol=1e-12, atol=1e-15):
        rows = np.flatnonzero(~np.isclose(result, expected, rtol=1e-12, atol=1e-15).all(axis=1))
        raise Hint(f"wrong values in rows {rows.tolist()}; the first row should give "
                   f"{np.round(expected[0], 3).tolist()}")


@exercise("softmax.2")
def check_logsumexp(logsumexp_1d):
    """log(sum(exp(z))) of a 1-D vector, finite whenever the answer is."""
    cases = [WORKED_EXAMPLE, np.array([1000.0, 1000.0]), np.array([-1000.0, -1000.0]),
             np.array([7.0])]
    for z in cases:
        try:
            with np.errstate(over="raise", divide="ignore", invalid="ignore", under="ignore"):
                result = call(_own(logsumexp_1d), z.copy())
        except FloatingPointError:
            raise Hint(f"exp overflowed for z = {z.tolist()}. Factor out e^m with m = max(z): "
                       "log sum exp(z) = m + log sum exp(z - m)") from None
        if np.ndim(result) != 0:
            raise Hint("return one number (the log of the sum), "
                       f"got an array of shape {np.shape(result)}")
        result, expected = float(result), float(logsumexp(z))
        if math.isclose(result, expected, rel_tol=1e-12, abs_tol=1e-12):
            continue
        if result == -math.inf:
            raise Hint(f"-inf for z = {z.tolist()}: every exp(z) underflowed to 0 and "
                       "log(0) = -inf. Shifting by the max keeps the largest term at exp(0) = 1")
        if math.isclose(result, expected - float(np.max(z)), rel_tol=1e-12, abs_tol=1e-12):
            raise Hint(f"for z = {z.tolist()} you return log sum exp(z - m); add m = max(z) back")
        raise Hint(f"for z = {z.tolist()} expected {expected:.6f}, got {result:.6f}")


@exercise("softmax.3")
def check_cross_entropy_gradient(gradient):
    """d/dz of -log softmax(z)[y] for 1-D logits z and an integer label y: s - one_hot(y)."""
    cases = [(WORKED_EXAMPLE, 0), (WORKED_EXAMPLE, 2), (np.array([0.0, 800.0, -3.0]), 0)]
    for z, y in cases:
        with np.errstate(all="ignore"):
            result = np.asarray(call(_own(gradient), z.copy(), y), dtype=float)
        expected = cross_entropy_from_logits_grad(z, y)
        if result.shape != z.shape:
            raise Hint(f"return one partial derivative per logit: shape {z.shape}, "
                       f"got {result.shape}")
        if np.allclose(result, expected, rtol=1e-9, atol=1e-12):
            continue
        if not np.all(np.isfinite(result)):
            raise Hint(f"non-finite values for z = {z.tolist()}: compute softmax stably "
                       "(subtract the max)")
        if np.allclose(result, -expected, rtol=1e-9, atol=1e-12):
            raise Hint("the sign is flipped: raising the logit of the right class lowers the "
                       "loss, so that entry of the gradient must be negative")
        if np.allclose(result, softmax(z), rtol=1e-9, atol=1e-12):
            raise Hint("that is softmax(z) alone; subtract the one-hot vector of the label y")
        if not math.isclose(float(result.sum()), 0.0, abs_tol=1e-9):
            raise Hint(f"the entries sum to {result.sum():.3g}; they must sum to 0, because "
                       "adding the same number to every logit changes nothing (shift invariance)")
        raise Hint(f"for z = {z.tolist()}, y = {y} expected {np.round(expected, 4).tolist()}, "
                   f"got {np.round(result, 4).tolist()}")


def top_probability(temperature, z=WORKED_EXAMPLE):
    """Return the largest probability of softmax(z / temperature)."""
    return float(np.max(softmax(z / temperature)))


def half_temperature(z=WORKED_EXAMPLE, tolerance=1e-12):
    """Return the T at which the top class of softmax(z / T) gets probability 1/2, by bisection.

    The top probability falls from 1 (T -> 0) to 1/k (T -> infinity) as T grows, so one bisection
    on a bracket finds it (for k >= 3).
    """
    low, high = 1e-3, 1e3
    while high - low > tolerance * high:
        middle = (low + high) / 2
        low, high = (middle, high) if top_probability(middle, z) > 0.5 else (low, middle)
    return (low + high) / 2


@exercise("softmax.4")
def check_half_temperature(temperature):
    """The temperature at which the top class of (2.0, 1.0, 0.1) gets probability 0.5, to 0.01."""
    temperature = attempted(temperature)
    if isinstance(temperature, bool) or not isinstance(temperature, numbers.Real):
        raise Hint(f"give one number, the temperature T; got {type(temperature).__name__}")
    temperature = float(temperature)
    if not math.isfinite(temperature) or temperature <= 0:
        raise Hint(f"a temperature is a positive number, got {temperature:g}")
    target = half_temperature()
    if abs(temperature - target) <= 0.01:
        return
    p = top_probability(temperature)
    direction = "raise T to flatten the distribution" if p > 0.5 else "lower T to sharpen it"
    raise Hint(f"at T = {temperature:g} the top class gets p = {p:.4f}; {direction} "
               "(the explorer gets you close; bisection gets the second decimal)")


# One step of the online softmax: (running max, running sum, next block). The first case raises
# the max, the second keeps it, the third is the very first block (m = -inf, l = 0), the fourth
# would overflow a formula that exponentiates before subtracting.
ONLINE_CASES = [(3.0, 1.5, [1.0, 5.0, 2.0]), (3.0, 1.5, [0.0, 1.0]),
                (-math.inf, 0.0, [2.0, 1.0, 0.1]), (1000.0, 1.2, [1001.0, 999.0])]


def online_step_reference(m, l, block):
    """Return (m', l') = (max(m, max(block)), l exp(m - m') + sum exp(block - m'))."""
    new_m = max(m, float(np.max(block)))
    return new_m, l * math.exp(m - new_m) + float(np.sum(np.exp(np.asarray(block) - new_m)))


def _two_numbers(result):
    """Return the learner's (m', l') as two floats, or a hint."""
    attempted(result)
    try:
        new_m, new_l = (float(value) for value in result)
    except (TypeError, ValueError):
        raise Hint("return two numbers, the new running max and the new running sum: "
                   "return new_m, new_l") from None
    return new_m, new_l


@exercise("softmax.5")
def check_online_step(online_step):
    """One step of the online softmax: fold a block into the running max m and running sum l."""
    for m, l, block in ONLINE_CASES:
        block = np.array(block)
        try:
            with np.errstate(over="raise", invalid="raise", under="ignore"):
                result = call(_own(online_step), m, l, block.copy())
        except FloatingPointError:
            raise Hint(f"exp overflowed for m = {m}, block = {block.tolist()}: subtract the "
                       "new max m' inside every exp, exp(x - m') <= 1") from None
        new_m, new_l = _two_numbers(result)
        expected_m, expected_l = online_step_reference(m, l, block)
        if new_m != expected_m:
            raise Hint(f"for m = {m} and block {block.tolist()} the new running max is "
                       f"max(m, max(block)) = {expected_m}, got {new_m}")
        if math.isclose(new_l, expected_l, rel_tol=1e-12):
            continue
        _explain_running_sum(m, l, block, new_l)
        raise Hint(f"for m = {m}, l = {l}, block = {block.tolist()} "
                   f"expected l' = {expected_l:.6f}, got {new_l:.6f}")


def _explain_running_sum(m, l, block, new_l):
    """Raise a hint if new_l is one of the usual wrong running sums."""
    new_m = max(m, float(np.max(block)))
    terms = float(np.sum(np.exp(block - new_m)))
    with np.errstate(all="ignore"):
        wrong = [
            (l + terms, "l was summed against the old max m; when the max rises to m', "
                        "multiply it by exp(m - m') before adding the block"),
            (l * math.exp(min(new_m - m, 700.0)) + terms,
             "the rescaling factor is upside down: exp(m - m') <= 1 shrinks the old sum"),
            (l * math.exp(m - new_m) + float(np.sum(np.exp(block - m))),
             "the block's terms must be taken against the new max: exp(x - m')"),
            (terms, "keep the old sum: l' = l exp(m - m') + sum exp(x - m')"),
        ]
    for value, hint in wrong:
        if math.isfinite(value) and math.isclose(new_l, value, rel_tol=1e-12):
            raise Hint(hint)


MASK_LOGITS = np.array([2.0, 1.0, 0.1, 5.0])
MASK_CASES = [(MASK_LOGITS, np.array([True, True, True, False])),
              (np.array([1000.0, 999.0, -5.0, 1001.0]), np.array([True, True, False, False])),
              (np.array([2.0, 1.0, 0.1]), np.array([False, False, False]))]


@exercise("softmax.6")
def check_masked_softmax(masked_softmax):
    """Softmax of a 1-D vector over the entries where `mask` is True; 0 elsewhere and if none is."""
    for z, mask in MASK_CASES:
        z_given, mask_given = z.copy(), mask.copy()
        try:
            with np.errstate(all="ignore"):
                answer = _own(masked_softmax)
                result = np.asarray(call(answer, z_given, mask_given), dtype=float)
        except ValueError as error:
            if "zero-size array" not in str(error):
                raise
            raise Hint(f"with mask = {mask.tolist()} no entry takes part: z[mask] is empty and "
                       "has no max. Check mask.any() first, and return zeros when it is False"
                       ) from None
        if not (np.array_equal(z_given, z) and np.array_equal(mask_given, mask)):
            raise Hint("your function changed the array it was given; write z = np.where(...) "
                       "instead of z[...] = ...")
        if result.shape != z.shape:
            raise Hint(f"return one probability per logit: shape {z.shape}, got {result.shape}")
        expected = softmax(z, where=mask)
        if np.allclose(result, expected, rtol=1e-12, atol=1e-15):
            continue
        _explain_masked(z, mask, result)
        raise Hint(f"for z = {z.tolist()} and mask = {mask.tolist()} expected "
                   f"{np.round(expected, 4).tolist()}, got {np.round(result, 4).tolist()}")


def _explain_masked(z, mask, result):
    """Raise a hint that names the mistake in a wrong masked softmax, if it is a usual one."""
    if not mask.any():
        if np.all(np.isnan(result)):
            raise Hint("with every entry masked, max is -inf and exp(-inf - (-inf)) is nan: "
                       "give probability 0 everywhere when no entry takes part (mask.any())")
        if np.allclose(result, 1 / z.size):
            raise Hint("with every entry masked you spread the probability evenly (what a "
                       "large negative fill such as -1e9 does): attention to padding only. "
                       "Give 0 everywhere")
        raise Hint("with every entry masked, every probability must be 0")
    if not np.all(np.isfinite(result)):
        raise Hint(f"non-finite values for z = {z.tolist()}: subtract the max of the unmasked "
                   "entries before exp")
    if np.any(result[~mask] != 0):
        raise Hint("masked entries must get probability 0: fill them with -inf before exp, "
                   "or zero them after")
    if not math.isclose(float(result[mask].sum()), 1.0, rel_tol=1e-9):
        raise Hint(f"the unmasked probabilities sum to {result[mask].sum():.4f}, not 1: the sum "
                   "in the denominator must run over the unmasked entries only (softmax of "
                   "everything, then times the mask, loses the masked share)")
