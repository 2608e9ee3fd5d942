"""The softmax family: softmax, log-softmax, logsumexp, the Jacobian, cross-entropy from logits,
and the online (blockwise) softmax, and sparsemax (softmax's sparse counterpart, with its
gradient and Jacobian).

Unlike the elementwise activations, these map a whole vector of logits z to a vector:

    softmax(z)_i     = exp(z_i) / sum_j exp(z_j)
    logsumexp(z)     = log sum_j exp(z_j)
    log_softmax(z)_i = z_i - logsumexp(z)

Axes. `axis` is an int, a tuple of ints or None (all axes), as in scipy.special.softmax and
keras.activations.softmax: the sum runs over every axis listed, so softmax(x, axis=None) sums
to 1 over the whole array. Negative axes count from the end; a repeated axis is an error, as in
NumPy. Cross-entropy and the online softmax take one int axis (the class axis).

Masks. `where=` has NumPy's meaning (as in np.sum(..., where=)): a boolean array broadcastable
to x's shape; False entries take no part. They get probability 0 (log-probability -inf), and a
slice with no entry left gets probabilities 0 and logsumexp -inf, with no warning. Attention
layers mask padding this way.

Every function never modifies its input and returns the input's float dtype (float16,
float32, float64 or longdouble; integers and bools count as float64). A result with no axes
left (logsumexp of a vector, the loss of one example) is a NumPy scalar, as the activations
return.

Why the code is not the formula: exp overflows above ln(max float) (about 11.09 in float16,
88.72 in float32, 709.78 in float64), so the formula gives inf / inf = nan for ordinary logits.
Softmax is shift invariant, softmax(z - c) = softmax(z), and with c = max(z) every exponent is
<= 0 (no overflow) and the largest term is exp(0) = 1 (the sum cannot underflow to 0). The
arithmetic runs in float64 (longdouble stays longdouble) and is rounded once to the input's
dtype at the end, so float16 and float32 results are as accurate as their dtype allows.

Slices that are not ordinary (no floating-point warning is raised for any of them):

- a +inf logit takes all the probability; k of them share it equally (1/k each);
- a slice with one entry has probability 1 whatever the logit (-inf included: the limit of a
  one-term softmax is 1); its log_softmax is 0 and its logsumexp is the logit itself;
- a slice of two or more entries, all -inf, has no meaningful softmax (the limit depends on
  how the logits go to -inf): softmax and log_softmax give nan there, logsumexp gives -inf;
- nan anywhere in a slice (among the entries that take part) makes the whole slice nan;
- an axis of length 0 gives empty results; logsumexp over it is -inf (an empty sum is 0), as
  in scipy.special.logsumexp.
"""

import math
import numbers
from typing import NamedTuple

import numpy as np

from course_lib._floating import two_product, two_sum
from course_lib._validation import as_float_array, real_parameter

__all__ = [
    "softmax",
    "log_softmax",
    "logsumexp",
    "softmax_jacobian",
    "cross_entropy_from_logits",
    "cross_entropy_from_logits_grad",
    "online_softmax",
    "online_softmax_steps",
    "OnlineSoftmaxSteps",
    "sparsemax",
    "sparsemax_grad",
    "sparsemax_jacobian",
]


def softmax(x, axis=-1, where=None):
    """Return exp(x_i) / sum_j exp(x_j) over `axis`: probabilities that sum to 1 over `axis`.

    x: array of logits, any shape; axis: int, tuple of ints or None (all axes); where: booleans
    broadcastable to x's shape, False entries take no part (probability 0). Same shape and
    float dtype as x. Computed as exp(x - max) / sum exp(x - max) (shift invariance), so no exp
    can overflow. Raises TypeError / ValueError for non-numbers, a bad axis or a bad mask. See
    the module docstring for infinite, nan, single-entry, fully masked and empty slices.
    """
    z, dtype, axes, member = _prepare(x, axis, where)
    shifted, _, total = _normaliser(z, axes, member)
    return _cast(_probabilities(shifted, total, _count(z, axes, member), member), dtype)


def log_softmax(x, axis=-1, where=None):
    """Return log softmax(x) = x - logsumexp(x) over `axis` (same shape and dtype as x).

    Computed as (x - max) - log sum exp(x - max), never as log(softmax(x)): where a
    probability underflows to 0 the log would be -inf, while this stays finite
    (log_softmax([0, -1000]) is [0, -1000], not [0, -inf]). Entries masked out by `where`
    get -inf. axis and where as in `softmax`.
    """
    z, dtype, axes, member = _prepare(x, axis, where)
    shifted, _, total = _normaliser(z, axes, member)
    return _cast(_log_probabilities(shifted, total, _count(z, axes, member), member), dtype)


def logsumexp(x, axis=-1, where=None):
    """Return log sum_j exp(x_j) over `axis`; the axes summed over are removed from the shape.

    Computed as m + log sum exp(x - m) with m = max(x), so it is finite whenever the answer
    is: logsumexp([1000, 1000]) = 1000 + log 2. It lies between max(x) and max(x) + log(n).
    An empty or fully masked slice gives -inf (the log of an empty sum), as
    scipy.special.logsumexp does for an empty axis. axis and where as in `softmax`.
    """
    z, dtype, axes, member = _prepare(x, axis, where)
    _, offset, total = _normaliser(z, axes, member)
    with np.errstate(divide="ignore"):  # log(0) = -inf for an empty sum: the right answer
        return _cast(np.squeeze(offset + np.log(total), axis=axes), dtype)


def softmax_jacobian(z):
    """Return the Jacobian of softmax at the 1-D vector z: J = diag(s) - s s^T, J_ij = ds_i / dz_j.

    From d s_i / d z_j = s_i (delta_ij - s_j). J is symmetric and its rows sum to 0
    (J @ ones = 0 is shift invariance: moving every logit together changes nothing).
    Shape (k, k) for z of shape (k,); dtype of z. Raises ValueError for any other shape.
    """
    z = as_float_array(z, "z")
    if z.ndim != 1:
        raise ValueError(f"z: expected a 1-D vector of logits, got an array of shape {z.shape}; "
                         "for a batch, call softmax_jacobian on each row")
    s = softmax(z.astype(_working_dtype(z.dtype)))
    return _cast(np.diag(s) - np.outer(s, s), z.dtype)


def cross_entropy_from_logits(logits, labels, axis=-1, label_smoothing=0.0):
    """Return the cross-entropy of each example, L = -sum_i t_i log softmax(logits)_i, from logits.

    `labels` is either
    - integer class indices in [0, k), k = logits.shape[axis], of the logits' shape without
      `axis` (a scalar for one vector of logits): t is their one-hot vector, L = -log s_label;
    - probability targets t of the logits' shape (one-hot, smoothed, or a teacher's
      probabilities for distillation): non-negative, each slice summing to 1 within
      max(sqrt(eps), 1.5e-8) of the targets' float type (NumPy's tolerance for probabilities
      in Generator.choice).
    label_smoothing (a number in [0, 1], as in keras.losses.CategoricalCrossentropy) replaces
    t by t (1 - label_smoothing) + label_smoothing / k before the loss.

    Returns one loss per example (the logits' shape without `axis`; no reduction: take .mean()
    for the usual batch loss), in the dtype of `logits`. Computed from log_softmax, as Keras'
    categorical_crossentropy(..., from_logits=True) does: never as the log of a probability,
    which is -inf once the probability underflows to 0. A target of 0 contributes 0 even where
    the log-probability is -inf (0 log 0 = 0, the limit). Raises TypeError / ValueError with a
    hint for labels that are neither (float class indices, wrong shapes, rows not summing to 1).
    """
    z, dtype, axis, targets = _prepare_cross_entropy(logits, labels, axis, label_smoothing)
    shifted, _, total = _normaliser(z, (axis,), None)
    log_s = _log_probabilities(shifted, total, _count(z, (axis,), None), None)
    with np.errstate(invalid="ignore"):  # 0 * -inf where a target is 0: replaced by 0 just below
        terms = np.where(targets == 0.0, 0.0, targets * log_s)
    return _cast(0.0 - np.sum(terms, axis=axis), dtype)  # 0.0 - x: a zero loss is +0.0, not -0.0


def cross_entropy_from_logits_grad(logits, labels, axis=-1, label_smoothing=0.0):
    """Return d loss / d logits for cross_entropy_from_logits: s - t, s = softmax(logits).

    t is the one-hot vector of the class index, or the probability targets, after label
    smoothing; arguments as in cross_entropy_from_logits. Each example's gradient is with
    respect to its own logits (the gradient of the summed loss; divide by the number of
    examples for the mean). Same shape and dtype as `logits`.
    """
    z, dtype, axis, targets = _prepare_cross_entropy(logits, labels, axis, label_smoothing)
    return _cast(softmax(z, axis=axis) - targets, dtype)


class OnlineSoftmaxSteps(NamedTuple):
    """What online_softmax_steps computed: the probabilities and the running state after each block.

    block_stops: the index along the axis where each block ends (exclusive), shape (n_blocks,);
    running_max, running_sum: m and l after each block, shape (n_blocks,) + the input's shape
    without the axis; l = sum of exp(x_j - m) over the entries seen so far (with +inf logits,
    l counts them; see the module docstring).
    """

    probabilities: np.ndarray
    block_stops: np.ndarray
    running_max: np.ndarray
    running_sum: np.ndarray


def online_softmax(x, block_size, axis=-1):
    """Return softmax(x) along `axis`, its normaliser computed in one pass over blocks.

    Reads the axis in blocks of `block_size` entries (the last block may be shorter) and keeps
    a running maximum m and a running sum l = sum exp(x_j - m) of the entries seen so far. A
    new block with maximum m_b updates them as

        m' = max(m, m_b),   l' = l exp(m - m') + sum_{j in block} exp(x_j - m'),

    so the normaliser (m, l) takes one pass and no exp overflows. Then s_i = exp(x_i - m) / l,
    an elementwise pass with the final m and l (FlashAttention folds it into its running output,
    rescaled the same way). This is the online normaliser of Milakov & Gimelshein (2018),
    "Online normalizer calculation for softmax", the recurrence behind FlashAttention (Dao et
    al., 2022). Same shape, dtype and edge cases as `softmax`.

    Accuracy: the running sum is compensated (its additions and products are exact to about
    32 digits), so on random logits the result is within a few ulp of `softmax` (at most 8 in
    the tests). Each rise of the running maximum rounds exp(m - m') once, and those roundings
    compound: a slowly rising sequence read one entry per block can drift by about a tenth of
    an ulp per block.

    block_size: an int >= 1 (larger than the axis is fine: one block). axis: one int.
    Raises TypeError for a non-number block_size, ValueError for one < 1 or not a whole number.
    """
    return online_softmax_steps(x, block_size, axis).probabilities


def online_softmax_steps(x, block_size, axis=-1):
    """Return an OnlineSoftmaxSteps: online_softmax's probabilities and its (m, l) after each block.

    For teaching: the running maximum and sum show the recurrence at work. Arguments and
    errors as in `online_softmax`; running_max and running_sum in the dtype of x.
    """
    block_size = _checked_block_size(block_size)
    z, dtype, axes, _ = _prepare(x, axis, None, several_axes=False)
    (axis,) = axes
    peak = np.full(_reduced_shape(z.shape, axis), -np.inf, dtype=z.dtype)
    total = (np.zeros_like(peak), np.zeros_like(peak))  # the running sum l as head + compensation
    stops, maxima, sums = [], [], []
    for start in range(0, z.shape[axis], block_size):
        stop = min(start + block_size, z.shape[axis])
        peak, total = _online_update(peak, total, np.take(z, range(start, stop), axis=axis), axis)
        stops.append(stop)
        maxima.append(np.squeeze(peak, axis=axis))
        sums.append(np.squeeze(total[0] + total[1], axis=axis))
    shifted = _shifted(z, peak, None)
    probabilities = _probabilities(shifted, total[0] + total[1], z.shape[axis], None)
    empty = np.zeros((0,) + z.shape[:axis] + z.shape[axis + 1:], dtype=z.dtype)  # no blocks at all
    return OnlineSoftmaxSteps(probabilities=_cast(probabilities, dtype),
                              block_stops=np.array(stops, dtype=np.int64),
                              running_max=_cast(np.stack(maxima) if maxima else empty, dtype),
                              running_sum=_cast(np.stack(sums) if sums else empty, dtype))


def sparsemax(x, axis=-1):
    """Return the Euclidean projection of x onto the probability simplex along `axis`
    (Martins & Astudillo 2016, arXiv:1602.02068; keras.activations.sparsemax).

    sparsemax(x)_i = max(x_i - tau, 0),  tau such that the outputs sum to 1:
    tau = (sum of the k largest x_j - 1) / k, k = the largest k with 1 + k x_(k) > sum_{j<=k} x_(j)
    (x_(1) >= x_(2) >= ... sorted). Unlike softmax, every x_i <= tau gets exactly 0.

    The sum in tau is carried to about 32 digits and the support is settled again against it, so
    that each output is within a few ulp of the exact projection of the given floats. Shape and
    dtype as x (float64 for integers, bools and lists). Non-ordinary slices as for softmax: +inf
    logits share the probability equally, an all -inf slice and any nan give nan. Raises
    TypeError / ValueError for non-real x, a scalar, or a bad axis.

    Keras 3.15's own sparsemax is wrong whenever two or more outputs are nonzero (keras-team/keras
    issue 23425: it sums the cumulative sums over the support); it agrees with this one only
    where the result is one-hot.
    """
    z, dtype, (axis,), _ = _prepare(x, axis, None, several_axes=False)
    return _cast(_sparsemax_parts(z, axis)[0], dtype)


def sparsemax_grad(x, axis=-1, upstream=None):
    """Return upstream^T J, the gradient of a loss through sparsemax with respect to x, for the
    upstream gradient dL/dsparsemax(x) (x's shape; ones by default).

    J = diag(s) - s s^T / |S|, s the 0/1 indicator of the support S (outputs > 0), so
    (upstream^T J)_i = s_i (upstream_i - mean of upstream over S). With the default upstream
    this is 0: the outputs always sum to 1 (tf.GradientTape gives the same for that sum). J
    itself, for one vector: `sparsemax_jacobian`.
    """
    z, dtype, (axis,), _ = _prepare(x, axis, None, several_axes=False)
    g = np.ones(z.shape) if upstream is None else _upstream(upstream, z.shape)
    g = np.moveaxis(g, axis, -1)
    support = np.moveaxis(_sparsemax_parts(z, axis)[0] > 0, axis, -1)
    size = np.maximum(support.sum(axis=-1, keepdims=True), 1)
    mean = np.sum(np.where(support, g, 0.0), axis=-1, keepdims=True) / size
    return _cast(np.moveaxis(np.where(support, g - mean, 0.0), -1, axis), dtype)


def sparsemax_jacobian(z):
    """Return the Jacobian of sparsemax at the 1-D vector `z`: J[i, j] = d p_i / d z_j =
    s_i (delta_ij - s_j / |S|), s the 0/1 indicator of the support S = {i : p_i > 0}.

    Symmetric, rows summing to 0 (like softmax's), and constant wherever the support does not
    change: sparsemax is piecewise linear. Where an output is exactly at the edge of the support
    the derivative does not exist; this takes S = {p_i > 0} (Martins & Astudillo, eq. 12).
    """
    z = as_float_array(z, "z")
    if z.ndim != 1:
        raise ValueError(f"z: expected a 1-D vector of logits, got an array of shape {z.shape}; "
                         "for a batch, call sparsemax_jacobian on each row")
    s = (sparsemax(z) > 0).astype(np.float64)
    return _cast(np.diag(s) - np.outer(s, s) / max(s.sum(), 1.0), z.dtype)


# ---------------------------------------------------------------------------------------------
# The machinery: validation, the shifted sum, and the edge cases.

def _working_dtype(dtype):
    """float64 for float16/32/64 (longdouble stays longdouble): the arithmetic's precision."""
    return np.longdouble if dtype == np.longdouble else np.float64


def _prepare(x, axis, where, name="x", several_axes=True):
    """Return (x in working precision, the dtype to return, the axes as a tuple of non-negative
    ints, the mask broadcast to x's shape or None)."""
    x = as_float_array(x, name)
    if several_axes:
        axes = _checked_axes(axis, x.ndim, name)
    else:
        axes = (_checked_axis(axis, x.ndim, name),)
    return x.astype(_working_dtype(x.dtype)), x.dtype, axes, _checked_mask(where, x.shape, name)


def _checked_axes(axis, ndim, name):
    """Return `axis` (an int, a tuple of ints or None) as a sorted tuple of axes in [0, ndim)."""
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, tuple):
        for entry in axis:
            if isinstance(entry, bool) or not isinstance(entry, numbers.Integral):
                raise TypeError(f"axis: expected a tuple of ints, "
                                f"got a {type(entry).__name__} in {axis}")
        axes = tuple(_in_range(entry, ndim) for entry in axis)
        if len(set(axes)) != len(axes):
            raise ValueError(f"axis: expected distinct axes, got {axis} "
                             "(a repeated axis, as NumPy refuses)")
        return tuple(sorted(axes))
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"axis: expected an int, a tuple of ints or None (all axes), "
                        f"got {type(axis).__name__}")
    if ndim == 0:
        raise ValueError(f"{name}: expected at least one axis (a vector of logits), got a scalar")
    return (_in_range(axis, ndim),)


def _checked_axis(axis, ndim, name):
    """Return `axis` (one int: the class axis) as an index in [0, ndim), or raise."""
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"axis: expected an int (the class axis), got {type(axis).__name__}")
    if ndim == 0:
        raise ValueError(f"{name}: expected at least one axis (a vector of logits), got a scalar")
    return _in_range(axis, ndim)


def _in_range(axis, ndim):
    """Return the int `axis` as an index in [0, ndim), or raise ValueError."""
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis: expected an int in [{-ndim}, {ndim - 1}] for an array with {ndim} "
                         f"dimension{'s' if ndim != 1 else ''}, got {axis}")
    return int(axis) % ndim


def _checked_mask(where, shape, name):
    """Return `where` as a boolean array of `shape` (None stays None), or raise."""
    if where is None:
        return None
    if isinstance(where, (str, bytes)):
        raise TypeError("where: expected booleans (True where an entry takes part), "
                        f"got {type(where).__name__}")
    mask = np.asarray(where)
    if mask.dtype != np.bool_:
        raise TypeError("where: expected booleans (True where an entry takes part), "
                        f"got dtype {mask.dtype}; for a 0/1 mask pass mask.astype(bool)")
    try:
        fits = np.broadcast_shapes(mask.shape, shape) == shape
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(f"where: expected a shape that broadcasts to {name}'s shape {shape}, "
                         f"got {mask.shape}")
    return np.broadcast_to(mask, shape)


def _reduced_shape(shape, axis):
    """`shape` with the length of `axis` set to 1 (the keepdims shape of a reduction)."""
    return shape[:axis] + (1,) + shape[axis + 1:]


def _count(z, axes, member):
    """Return the number of entries taking part in each slice (keepdims; an int without a mask)."""
    if member is None:
        return math.prod(z.shape[a] for a in axes)
    return np.sum(member, axis=axes, keepdims=True)


def _shifted(z, peak, member):
    """Return z - c with c = the slice's peak where finite (else 0), without inf - inf.

    A slice whose peak is +inf maps its +inf entries to 0 and the others to -inf, so the +inf
    logits share the probability equally. Entries outside the mask become -inf (probability 0).
    """
    shift = np.where(np.isfinite(peak), peak, 0.0)
    with np.errstate(over="ignore", invalid="ignore"):  # -1e308 - 1e308 = -inf: its exp is 0, right
        shifted = np.where(peak == np.inf, np.where(z == np.inf, 0.0, -np.inf), z - shift)
    shifted = np.where(np.isnan(peak), np.nan, shifted)  # a nan among the entries: nan throughout
    return shifted if member is None else np.where(member, shifted, -np.inf)


def _normaliser(z, axes, member):
    """Return (z - c, offset, sum exp(z - c)) over `axes` (keepdims): c = max(z), no inf - inf.

    `offset` is what makes logsumexp(z) = offset + log(total) hold in every case:
    - ordinary slice: c = offset = max(z), and total >= 1 (its largest term is exp(0));
    - a slice whose max is +inf: see _shifted; offset = +inf and total = the number of +inf;
    - an all -inf, empty or fully masked slice: c = offset = 0 and total = 0;
    - a slice holding a nan: nan throughout.
    """
    every = True if member is None else member
    peak = np.max(z, axis=axes, keepdims=True, initial=-np.inf, where=every)
    shifted = _shifted(z, peak, member)
    with np.errstate(under="ignore"):  # exp(very negative) is 0 or subnormal: the right answer
        total = np.sum(np.exp(shifted), axis=axes, keepdims=True)
    offset = np.where(peak == np.inf, np.inf, np.where(np.isfinite(peak), peak, 0.0))
    return shifted, np.where(np.isnan(peak), np.nan, offset), total


def _online_update(peak, total, block, axis):
    """One step of the online normaliser: fold `block` into the running (max, sum) of each slice.

    `total` is a pair (sum, compensation) whose sum carries the running sum l with the rounding
    errors of the rescaling and of the additions (two_product, two_sum), so that the result does
    not drift from `softmax` as the number of blocks grows.
    """
    new_peak = np.maximum(peak, np.max(block, axis=axis, keepdims=True))  # nan stays nan
    both_finite = np.isfinite(peak) & np.isfinite(new_peak)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        rescale = np.where(both_finite, np.exp(np.where(both_finite, peak - new_peak, 0.0)),
                           np.where(peak == new_peak, 1.0, 0.0))  # +inf stays +inf: keep its count
        block_sum = np.sum(np.exp(_shifted(block, new_peak, None)), axis=axis, keepdims=True)
        head, compensation = total
        head, product_error = two_product(head, rescale)
        head, sum_error = two_sum(head, block_sum)
        compensation = compensation * rescale + product_error + sum_error
    return new_peak, (head, np.where(np.isnan(new_peak), np.nan, compensation))


def _probabilities(shifted, total, count, member):
    """Return exp(shifted) / total, with the limits of slices whose total is 0 (see the module)."""
    with np.errstate(under="ignore"):
        p = np.exp(shifted) / np.where(total == 0.0, 1.0, total)  # fully masked: 0 / 1 = 0
    alone = (total == 0.0) & (np.asarray(count) == 1)  # one entry, at -inf: its probability is 1
    p = np.where(alone, 1.0 if member is None else np.where(member, 1.0, 0.0), p)
    return np.where((total == 0.0) & (np.asarray(count) >= 2), np.nan, p)  # all -inf: undefined


def _log_probabilities(shifted, total, count, member):
    """Return shifted - log(total), with the limits of _probabilities (log 1 = 0, log 0 = -inf)."""
    log_p = shifted - np.log(np.where(total == 0.0, 1.0, total))
    alone = (total == 0.0) & (np.asarray(count) == 1)
    log_p = np.where(alone, 0.0 if member is None else np.where(member, 0.0, -np.inf), log_p)
    return np.where((total == 0.0) & (np.asarray(count) >= 2), np.nan, log_p)


def _checked_block_size(block_size):
    """Return block_size as a positive int, or raise saying what was expected."""
    if isinstance(block_size, bool) or not isinstance(block_size, numbers.Real):
        raise TypeError("block_size: expected a positive int, "
                        f"got {type(block_size).__name__} {block_size!r}")
    if not isinstance(block_size, numbers.Integral) or block_size < 1:
        raise ValueError("block_size: expected a positive int (entries per block), "
                         f"got {block_size!r}")
    return int(block_size)


# ---------------------------------------------------------------------------------------------
# Cross-entropy: class indices or probability targets.

def _prepare_cross_entropy(logits, labels, axis, label_smoothing):
    """Return (logits in working precision, their dtype, the class axis, the smoothed targets)."""
    z, dtype, (axis,), _ = _prepare(logits, axis, None, name="logits", several_axes=False)
    smoothing = real_parameter(label_smoothing, "label_smoothing", minimum=0.0)
    if smoothing > 1.0:
        raise ValueError(f"label_smoothing: expected a number in [0, 1], got {smoothing}")
    targets = _targets(labels, z.shape, axis).astype(z.dtype)
    if smoothing:
        targets = targets * (1.0 - smoothing) + smoothing / z.shape[axis]
    return z, dtype, axis, targets


def _targets(labels, shape, axis):
    """Return targets t of the logits' shape from class indices or probabilities, or give a hint."""
    index_shape = shape[:axis] + shape[axis + 1:]
    if isinstance(labels, (str, bytes)) or labels is None:
        raise TypeError(f"labels: expected integer class indices of shape {index_shape} or "
                        f"probability targets of the logits' shape {shape}, "
                        f"got {type(labels).__name__}")
    kind = np.asarray(labels).dtype.kind
    if kind in "iu":
        return _one_hot(np.asarray(labels), shape, axis)
    if kind == "b":
        raise TypeError("labels: got booleans; pass class indices as integers, or one-hot / "
                        "probability targets as floats (targets.astype(float))")
    targets = as_float_array(labels, "labels")  # complex and other non-numbers are refused here
    if targets.shape == shape:
        return _checked_probabilities(targets, axis)
    if targets.shape == index_shape:
        if np.all(np.isfinite(targets)) and np.all(targets == np.round(targets)):
            raise TypeError(f"labels: class indices must be integers, got dtype {targets.dtype} "
                            "holding whole numbers (such as 1.0); pass labels.astype(int)")
        raise ValueError(f"labels: floats of shape {targets.shape} that are not whole numbers: "
                         "neither class indices (integers) nor probability targets (the logits' "
                         f"shape {shape})")
    raise ValueError(f"labels: expected integer class indices of shape {index_shape} (the logits' "
                     f"shape without axis {axis}) or probability targets of the logits' shape "
                     f"{shape}, got floats of shape {targets.shape}")


def _one_hot(labels, shape, axis):
    """Return the one-hot targets of integer class indices along `axis`, after checking them."""
    index_shape = shape[:axis] + shape[axis + 1:]
    k = shape[axis]
    if labels.shape == shape and labels.shape != index_shape:
        raise ValueError(f"labels: integers of the logits' shape {shape} look like one-hot "
                         f"targets; pass targets.argmax(axis={axis}) as class indices of shape "
                         f"{index_shape}, or targets.astype(float) as probability targets")
    if labels.shape != index_shape:
        raise ValueError(f"labels: expected class indices of shape {index_shape} (the logits' "
                         f"shape {shape} without axis {axis}), got {labels.shape}")
    if labels.size and (labels.min() < 0 or labels.max() >= k):
        raise ValueError(f"labels: expected class indices in [0, {k - 1}] for {k} classes, "
                         f"got values from {labels.min()} to {labels.max()}")
    one_hot = np.zeros(shape)
    np.put_along_axis(one_hot, np.expand_dims(labels.astype(np.int64), axis), 1.0, axis=axis)
    return one_hot


def _checked_probabilities(targets, axis):
    """Return `targets` if every slice along `axis` is a probability vector, or raise."""
    if not np.all(np.isfinite(targets)):
        raise ValueError("labels: probability targets must be finite numbers, got inf or nan")
    if np.any(targets < 0):
        raise ValueError(f"labels: probability targets must be >= 0, got {targets.min():g}; "
                         "logits are not targets: pass softmax(teacher_logits) for distillation")
    tolerance = max(math.sqrt(np.finfo(targets.dtype).eps), math.sqrt(np.finfo(np.float64).eps))
    sums = np.sum(targets.astype(np.float64), axis=axis)
    worst = np.unravel_index(np.argmax(np.abs(sums - 1.0)), sums.shape) if sums.size else None
    if worst is not None and abs(sums[worst] - 1.0) > tolerance:
        where = f" for the example at index {tuple(map(int, worst))}" if sums.ndim else ""
        raise ValueError(f"labels: probability targets must sum to 1 along axis {axis} (within "
                         f"{tolerance:.1e}), got a sum of {sums[worst]:.8g}{where}; rounded or "
                         "unnormalised targets change the loss: pass t / t.sum(axis, "
                         "keepdims=True)")
    return targets


def _cast(values, dtype):
    """Round the working-precision result to `dtype` once (a 0-d result becomes a NumPy scalar).

    Overflow to inf and underflow to 0 are the right answers of rounding, so they are not reported.
    """
    with np.errstate(over="ignore", under="ignore"):
        return np.asarray(values).astype(dtype)[()]


# ---------------------------------------------------------------------------
# Sparsemax's threshold.

def _upstream(upstream, shape):
    upstream = as_float_array(upstream, "upstream")
    if upstream.shape != tuple(shape):
        raise ValueError(f"upstream: expected x's shape {tuple(shape)}, got {upstream.shape}")
    return upstream.astype(np.float64)


def _sparsemax_parts(z, axis):
    """(sparsemax(z), tau as hi + lo) along `axis`.

    The support is a prefix of the sorted logits, so the sums over every prefix are computed once,
    as error-free hi + lo pairs (two_sum; math.fsum where even that cancels against the 1). The
    support is found from them as usual, then settled as {z > tau} against that exact tau until it
    no longer changes (from a superset this is Michelot's algorithm, which ends within n rounds).
    The logits are shifted by their maximum only when it is 2 or more in size: then the shift is
    exact for every logit within 1 of the maximum (Sterbenz), the only ones in the support.
    """
    z = np.moveaxis(np.asarray(z, dtype=np.float64), axis, -1)
    n = z.shape[-1]
    if n == 0:
        empty = np.zeros(z.shape[:-1] + (1,))
        return np.moveaxis(z.copy(), -1, axis), (empty, empty)
    has_nan = np.any(np.isnan(z), axis=-1, keepdims=True)
    peak = np.max(z, axis=-1, keepdims=True, initial=-np.inf)
    winners = peak == np.inf
    z = np.where(winners, np.where(z == np.inf, 1.0, -np.inf), z)  # +inf logits share equally
    shift = np.where(np.isfinite(peak) & (np.abs(peak) >= 2), peak, 0.0)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):  # -inf logits and tiny sums
        z = z - shift
        ordered = -np.sort(-z, axis=-1)
        prefix, prefix_lo = np.empty_like(ordered), np.empty_like(ordered)
        total, total_lo = np.full(z.shape[:-1], -1.0), np.zeros(z.shape[:-1])
        for j in range(n):  # prefix sums minus 1, as normalised hi + lo pairs
            total, error = two_sum(total, ordered[..., j])
            total, total_lo = two_sum(total, error + total_lo)
            prefix[..., j], prefix_lo[..., j] = total, total_lo
        _exact_where_cancelled(ordered, prefix, prefix_lo)
        above = 1 + np.arange(1, n + 1) * ordered > np.cumsum(ordered, axis=-1)
        count = np.sum(above, axis=-1, keepdims=True)
        for _ in range(n + 2):
            index = np.maximum(count - 1, 0)
            hi = np.take_along_axis(prefix, index, axis=-1)
            lo = np.take_along_axis(prefix_lo, index, axis=-1)
            divisor = np.where(count > 0, count, np.nan)  # no support: an all -inf slice, nan
            tau = hi / divisor
            product, product_lo = two_product(np.where(np.isfinite(tau), tau, 0.0), divisor)
            tau_lo = (((hi - product) - product_lo) + lo) / divisor
            settled = np.sum((ordered - tau) - tau_lo > 0, axis=-1, keepdims=True)
            if np.array_equal(settled, count):
                break
            count = settled
        p = np.maximum((z - tau) - tau_lo, 0.0)
    p = np.where(has_nan | ~(count > 0), np.nan, p)
    return np.moveaxis(p, -1, axis), (tau, tau_lo)


def _exact_where_cancelled(ordered, prefix, prefix_lo):
    """Redo, in place, the prefix sums minus 1 that cancelled beyond what hi + lo holds (a result
    below 2^-100 of the largest logit, as with logits 1 and 1e-238): math.fsum is exact, and its
    residual gives the lo part. Such sums are rare, so a Python loop over them is cheap."""
    scale = np.maximum(1.0, np.abs(ordered[..., :1]))
    for index in zip(*np.nonzero(np.abs(prefix) < scale * 2.0 ** -100)):
        values = [*ordered[index[:-1]][:index[-1] + 1].tolist(), -1.0]
        hi = math.fsum(values)
        prefix[index], prefix_lo[index] = hi, math.fsum([*values, -hi])
