"""Checks for the gated activations notebook: the width of a gated block at an equal parameter
count (LLaMA's rounding, and with biases), and the backward pass through a SwiGLU gate by the
product rule."""

import numbers

import numpy as np

from course_lib import activations, gated
from course_lib.exercises import Hint, answer_by_hand, attempted, call, exercise


WIDTH_CASES = (4096, 5120, 8192, 768, 24, 1)


@exercise("gated.1")
def check_llama_width(llama_d_ff):
    """llama_d_ff(d_model): int(2/3 * 4 d_model) rounded up to a multiple of 256."""
    attempted(llama_d_ff)
    llama_d_ff = answer_by_hand(llama_d_ff)
    results = {}
    for d_model in WIDTH_CASES:
        value = call(llama_d_ff, d_model)
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise Hint(f"return an int (a number of units); for d_model = {d_model} you returned "
                       f"{type(value).__name__} {value!r}")
        results[d_model] = int(value)
    expected = {d_model: gated.llama_d_ff(d_model) for d_model in WIDTH_CASES}
    if results == expected:
        return
    if results[4096] == 4 * 4096:
        raise Hint("that is the plain block's 4 d_model: the gated block has three matrices, so "
                   "3 d_model h = 2 d_model (4 d_model) fixes h first")
    if results[4096] == 10922 or results[4096] == 10923:
        raise Hint("that is 2/3 of 4 d_model before the rounding: round it *up* to a multiple "
                   "of 256")
    if results[4096] == 10752:
        raise Hint("10752 is a multiple of 256 below 2/3 of 4 d_model: round up, not down "
                   "(-(-h // 256) * 256, or math.ceil)")
    if any(value % 256 for value in results.values()):
        raise Hint(f"every width must be a multiple of 256; you returned {results}")
    wrong = {d_model: value for d_model, value in results.items() if value != expected[d_model]}
    raise Hint(f"wrong widths for d_model = {sorted(wrong)}: take int(2 * 4 * d_model / 3) first, "
               "then the smallest multiple of 256 that is not below it")


def _gate_inputs():
    rng = np.random.default_rng(7)
    z_gate = np.concatenate([[-30.0, -3.0, -1.278, 0.0, 0.5, 4.0, 25.0], rng.normal(size=5)])
    z_linear = rng.normal(size=z_gate.shape) * 2
    dh = rng.normal(size=z_gate.shape)
    return z_gate, z_linear, dh


@exercise("gated.2")
def check_swiglu_backward(swiglu_backward):
    """(dz_gate, dz_linear) for h = silu(z_gate) * z_linear, given dh = dL/dh: the product rule."""
    z_gate, z_linear, dh = _gate_inputs()
    attempted(swiglu_backward)
    result = call(answer_by_hand(swiglu_backward, allowed=[activations]), z_gate, z_linear, dh)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise Hint("return two arrays, (dz_gate, dz_linear)")
    dz_gate, dz_linear = (np.asarray(attempted(part), dtype=float) for part in result)
    if dz_gate.shape != z_gate.shape or dz_linear.shape != z_gate.shape:
        raise Hint(f"work elementwise: for inputs of shape {z_gate.shape} you returned shapes "
                   f"{dz_gate.shape} and {dz_linear.shape}")
    silu, slope = activations.silu(z_gate), activations.silu_grad(z_gate)
    expected_gate, expected_linear = dh * z_linear * slope, dh * silu

    def close(a, b):
        return np.allclose(a, b, rtol=1e-9, atol=1e-12)

    if close(dz_gate, expected_linear) and close(dz_linear, expected_gate):
        raise Hint("the two are swapped: the first is dL/dz_gate, the second dL/dz_linear")
    if close(dz_gate, dh * z_linear * activations.sigmoid(z_gate)):
        raise Hint("dz_gate uses sigma(z_gate), the gate of SiLU, not SiLU's derivative "
                   "silu'(z) = sigma(z) + z sigma(z) (1 - sigma(z))")
    if close(dz_gate, dh * slope):
        raise Hint("dz_gate is missing the other factor of the product h = silu(z_gate) * "
                   "z_linear")
    if close(dz_linear, dh):
        raise Hint("dz_linear is missing the other factor of the product h = silu(z_gate) * "
                   "z_linear")
    if not close(dz_gate, expected_gate):
        raise Hint("dz_gate is not right: by the product rule, differentiate the factor of h "
                   "that holds z_gate and keep the other factor; then multiply by dh "
                   "(activations.silu_grad is allowed)")
    if not close(dz_linear, expected_linear):
        raise Hint("dz_linear is not right: h is linear in z_linear; what multiplies it? "
                   "Then multiply by dh")


BIAS_CASES = (4096, 512, 24, 7, 1)


def _width_with_biases(d_model, expansion=4):
    """The exact gated width whose block, with biases, has the parameters of the plain one."""
    d_ff = expansion * d_model                   # plain: 2 d d_ff weights + d_ff + d biases
    return (2 * d_model * d_ff + d_ff) / (3 * d_model + 2)   # gated: 3 d h + 2 h + d


@exercise("gated.3")
def check_width_with_biases(gated_d_ff_with_biases):
    """gated_d_ff_with_biases(d_model): the width h with 3 d h + 2 h + d = 2 d (4d) + 4d + d."""
    attempted(gated_d_ff_with_biases)
    gated_d_ff_with_biases = answer_by_hand(gated_d_ff_with_biases)
    results = {}
    for d_model in BIAS_CASES:
        value = attempted(call(gated_d_ff_with_biases, d_model))
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise Hint(f"return a number (the exact width, not rounded); for d_model = {d_model} "
                       f"you returned {type(value).__name__} {value!r}")
        results[d_model] = float(value)

    def matches(width):
        return all(np.isclose(results[d], width(d), rtol=1e-12) for d in BIAS_CASES)

    if matches(_width_with_biases):
        return
    if matches(lambda d: 8 * d / 3):
        raise Hint("that is the width without biases: count the biases of both blocks too")
    if matches(lambda d: (8 * d * d + 5 * d - d) / (3 * d + 1)):
        raise Hint("a gated block has two biases of length d_ff, one on each projection (b and c)")
    if matches(lambda d: (8 * d * d + 5 * d) / (3 * d + 2)):
        raise Hint("the gated block has an output bias too (length d_model), as the plain one does")
    if all(abs(results[d] - _width_with_biases(d)) < 1 for d in BIAS_CASES):
        raise Hint("close, but return the exact width, not a rounded one")
    raise Hint("set the two counts equal: plain 2 d (4d) + 4d + d, gated 3 d h + 2 h + d, "
               "and solve for h")
