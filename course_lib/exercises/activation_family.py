"""Checks for the notebook on the rest of the family: soft thresholding (the proximal operator of
the L1 norm) and sparsemax (the projection onto the probability simplex)."""


import numpy as np

from course_lib import activations
from course_lib.exercises import Hint, answer_by_hand, attempted, call, call_elementwise, exercise
from course_lib.softmax import softmax


SHRINK_INPUTS = np.array([-3.0, -1.2, -0.7, -0.5, -0.2, 0.0, 0.1, 0.5, 0.69, 0.71, 1.0, 2.5, 40.0])
LAMBDAS = (0.7, 0.25)


@exercise("activation_family.1")
def check_soft_threshold(soft_threshold):
    """soft_threshold(v, lam): sign(v) max(|v| - lam, 0), the proximal operator of lam |x|."""
    attempted(soft_threshold)
    soft_threshold = answer_by_hand(soft_threshold)
    for lam in LAMBDAS:
        v = SHRINK_INPUTS.copy()
        result = call_elementwise(lambda values: soft_threshold(values, lam), v)
        if not np.array_equal(v, SHRINK_INPUTS):
            raise Hint("your function changed its input array in place: work on a copy")
        expected = activations.soft_shrink(SHRINK_INPUTS, threshold=lam)
        if np.allclose(result, expected, rtol=1e-12, atol=1e-15):
            inside = np.abs(SHRINK_INPUTS) <= lam
            if np.any(result[inside] != 0):
                raise Hint(f"for |v| <= lam the answer is exactly 0, not a tiny number: you gave "
                           f"{result[inside][result[inside] != 0][0]!r}")
            continue
        if np.allclose(result, activations.hard_shrink(SHRINK_INPUTS, threshold=lam)):
            raise Hint("that is hard thresholding: it keeps a large v unchanged. Soft thresholding "
                       "also moves every survivor lam towards 0: sign(v) (|v| - lam)")
        if np.allclose(result, np.maximum(SHRINK_INPUTS - lam, 0)):
            raise Hint("negative inputs come out 0: |x| is symmetric, so shrink towards 0 from "
                       "both "
                       "sides, keeping the sign of v")
        if np.allclose(result, SHRINK_INPUTS - lam * np.sign(SHRINK_INPUTS)):
            raise Hint("inputs with |v| <= lam cross zero: they must give exactly 0 (clip |v| - "
                       "lam "
                       "at 0 before putting the sign back)")
        wrong = SHRINK_INPUTS[~np.isclose(result, expected, rtol=1e-12, atol=1e-15)]
        raise Hint(f"wrong for lam = {lam} at v = {wrong.tolist()}: minimise (x - v)^2 / 2 + "
                   "lam |x| on paper, once for x > 0 and once for x < 0, and see when neither "
                   "side has a minimum")


SPARSEMAX_CASES = (
    np.array([1.0, 0.8, 0.1, -1.0]),
    np.array([2.0, 1.0, 0.1]),
    np.array([0.3, 0.3, 0.3, 0.3]),
    np.array([-2.0, 5.0, 4.5, 4.9, -1.0]),
    np.array([0.01, -0.02, 0.03]),
    np.array([7.0]),
)


@exercise("activation_family.2")
def check_sparsemax(sparsemax_1d):
    """sparsemax_1d(z): the Euclidean projection of the 1-D vector z onto the simplex."""
    attempted(sparsemax_1d)
    sparsemax_1d = answer_by_hand(sparsemax_1d)
    for case in SPARSEMAX_CASES:
        z = case.copy()
        result = np.asarray(attempted(call(sparsemax_1d, z)), dtype=float)
        if not np.array_equal(z, case):
            raise Hint("your function changed its input in place (np.sort(z), not z.sort())")
        if result.shape != case.shape:
            raise Hint(f"return one probability per logit: for z of shape {case.shape} you "
                       f"returned shape {result.shape}")
        expected = activations.sparsemax(case)
        if np.allclose(result, expected, rtol=1e-10, atol=1e-12):
            continue
        if np.allclose(result, softmax(case)):
            raise Hint("that is softmax: every entry is positive. Sparsemax subtracts a threshold "
                       "tau and clips at 0, max(z - tau, 0), so that some entries are exactly 0")
        if np.any(result < 0):
            raise Hint(f"for z = {case.tolist()} you returned negative entries {result.tolist()}: "
                       "clip at 0, max(z - tau, 0)")
        if not np.isclose(result.sum(), 1.0):
            raise Hint(f"for z = {case.tolist()} your outputs sum to {result.sum():.4g}, not 1: "
                       "tau = (sum of the k largest z - 1) / k, k the size of the support "
                       "(Keras 3.15 makes this mistake too)")
        raise Hint(f"wrong for z = {case.tolist()}: expected {np.round(expected, 4).tolist()}, got "
                   f"{np.round(result, 4).tolist()}; k is the largest k with "
                   "1 + k z_(k) > z_(1) + ... + z_(k), z sorted in decreasing order")
