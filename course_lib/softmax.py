"""The softmax family: softmax, log-softmax, logsumexp, the Jacobian, cross-entropy from logits,
and sparsemax (softmax's sparse counterpart, with its gradient and Jacobian).

Unlike the elementwise activations, these map a whole vector of logits z to a vector:

    softmax(z)_i     = exp(z_i) / sum_j exp(z_j)
    logsumexp(z)     = log sum_j exp(z_j)
    log_softmax(z)_i = z_i - logsumexp(z)

Every function works along one `axis` of an N-D array (a batch of vectors), never
modifies its input, and returns the input's float dtype (float16, float32 or float64;
integers and bools count as float64).

Why the code is not the formula: exp overflows above ln(max float) (about 11.09 in
float16, 88.72 in float32, 709.78 in float64), so the formula gives inf / inf = nan for
ordinary logits. Softmax is shift invariant, softmax(z - c) = softmax(z), and with
c = max(z) every exponent is <= 0 (no overflow) and the largest term is exp(0) = 1
(the sum cannot underflow to 0). The arithmetic runs in float64 (longdouble stays
longdouble) and is rounded once to the input's dtype at the end, so float16 and
float32 results are as accurate as their dtype allows.

Slices that are not ordinary (no floating-point warning is raised for any of them):

- a +inf logit takes all the probability; k of them share it equally (1/k each);
- a slice that is all -inf has no meaningful softmax (the limit depends on how the
  logits go to -inf): softmax and log_softmax give nan there, logsumexp gives -inf;
- nan anywhere in a slice makes the whole slice nan;
- an axis of length 0 gives empty results; logsumexp over it is -inf (an empty sum
  is 0), as in scipy.special.logsumexp.
"""

import numbers

import numpy as np

from course_lib._validation import as_float_array

__all__ = [
    "softmax",
    "log_softmax",
    "logsumexp",
    "softmax_jacobian",
    "cross_entropy_from_logits",
    "cross_entropy_from_logits_grad",
    "sparsemax",
    "sparsemax_grad",
    "sparsemax_jacobian",
]


def softmax(x, axis=-1):
    """Return exp(x_i) / sum_j exp(x_j) along `axis`: probabilities that sum to 1.

    Computed as exp(x - max) / sum exp(x - max) (shift invariance), so no exp can
    overflow. See the module docstring for infinite, nan and empty slices.
    """
    z, dtype, axis = _prepare(x, axis)
    shifted, _, total = _shift(z, axis)
    total = np.where(total == 0.0, np.nan, total)  # an all -inf slice: nan, without a 0 / 0 warning
    with np.errstate(under="ignore"):  # exp(very negative) is 0: the right answer
        return _cast(np.exp(shifted) / total, dtype)


def log_softmax(x, axis=-1):
    """Return log softmax(x) = x - logsumexp(x) along `axis`.

    Computed as (x - max) - log sum exp(x - max), never as log(softmax(x)): where a
    probability underflows to 0 the log would be -inf, while this stays finite
    (log_softmax([0, -1000]) is [0, -1000], not [0, -inf]).
    """
    z, dtype, axis = _prepare(x, axis)
    shifted, _, total = _shift(z, axis)
    return _cast(shifted - _log_or_nan(total), dtype)


def logsumexp(x, axis=-1):
    """Return log sum_j exp(x_j) along `axis` (the axis is removed from the shape).

    Computed as m + log sum exp(x - m) with m = max(x), so it is finite whenever the
    answer is: logsumexp([1000, 1000]) = 1000 + log 2. It lies between max(x) and
    max(x) + log(n). An empty axis gives -inf.
    """
    z, dtype, axis = _prepare(x, axis)
    _, offset, total = _shift(z, axis)
    with np.errstate(divide="ignore"):  # log(0) = -inf for an all -inf (or empty) slice: the right answer
        return _cast(np.squeeze(offset + np.log(total), axis=axis), dtype)


def softmax_jacobian(z):
    """Return the Jacobian of softmax at the 1-D vector `z`: J[i, j] = d s_i / d z_j = diag(s) - s s^T.

    From d s_i / d z_j = s_i (delta_ij - s_j). J is symmetric and its rows sum to 0
    (J @ ones = 0 is shift invariance: moving every logit together changes nothing).
    """
    z = as_float_array(z, "z")
    if z.ndim != 1:
        raise ValueError(f"z: expected a 1-D vector of logits, got an array of shape {z.shape}; "
                         "for a batch, call softmax_jacobian on each row")
    s = softmax(z.astype(_working_dtype(z.dtype)))
    return _cast(np.diag(s) - np.outer(s, s), z.dtype)


def cross_entropy_from_logits(logits, labels, axis=-1):
    """Return the cross-entropy of each example, -log softmax(logits)[label], from logits.

    `labels` are integer class indices in [0, k) where k = logits.shape[axis]; their shape
    is the shape of `logits` without `axis` (a scalar for one vector of logits). For one-hot
    targets pass `targets.argmax(axis)`. Returns one loss per example (no reduction: take
    .mean() for the usual batch loss), in the dtype of `logits`.

    Computed as logsumexp(logits) - logits[label], as Keras'
    sparse_categorical_crossentropy(..., from_logits=True) does: never as the log of a
    probability, which is -inf (and 0 * -inf = nan) once the probability underflows to 0.
    """
    z, dtype, axis = _prepare(logits, axis, name="logits")
    index = _class_indices(labels, z.shape, axis)
    shifted, _, total = _shift(z, axis)
    picked = np.take_along_axis(shifted, index, axis=axis)
    return _cast(np.squeeze(_log_or_nan(total) - picked, axis=axis), dtype)


def cross_entropy_from_logits_grad(logits, labels, axis=-1):
    """Return d loss / d logits for cross_entropy_from_logits: softmax(logits) - one_hot(labels).

    Each example's gradient is with respect to its own logits (the gradient of the summed
    loss; divide by the number of examples for the mean). Same shape and dtype as `logits`.
    """
    z, dtype, axis = _prepare(logits, axis, name="logits")
    index = _class_indices(labels, z.shape, axis)
    one_hot = np.zeros_like(z)
    np.put_along_axis(one_hot, index, 1.0, axis=axis)
    return _cast(softmax(z, axis=axis) - one_hot, dtype)


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
    z, dtype, axis = _prepare(x, axis)
    return _cast(_sparsemax_parts(z, axis)[0], dtype)


def sparsemax_grad(x, axis=-1, upstream=None):
    """Return upstream^T J, the gradient of a loss through sparsemax with respect to x, for the
    upstream gradient dL/dsparsemax(x) (x's shape; ones by default).

    J = diag(s) - s s^T / |S|, s the 0/1 indicator of the support S (outputs > 0), so
    (upstream^T J)_i = s_i (upstream_i - mean of upstream over S). With the default upstream
    this is 0: the outputs always sum to 1 (tf.GradientTape gives the same for that sum). J
    itself, for one vector: `sparsemax_jacobian`.
    """
    z, dtype, axis = _prepare(x, axis)
    g = np.moveaxis(np.ones(z.shape) if upstream is None else _upstream(upstream, z.shape), axis, -1)
    support = np.moveaxis(_sparsemax_parts(z, axis)[0] > 0, axis, -1)
    mean = np.sum(np.where(support, g, 0.0), axis=-1, keepdims=True) / np.maximum(support.sum(-1, keepdims=True), 1)
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


def _working_dtype(dtype):
    """float64 for float16/32/64 (longdouble stays longdouble): the precision the arithmetic runs in."""
    return np.promote_types(dtype, np.float64)


def _prepare(x, axis, name="x"):
    """Return (x as a float array in working precision, the dtype to return, the axis as a non-negative int)."""
    x = as_float_array(x, name)
    return x.astype(_working_dtype(x.dtype)), x.dtype, _checked_axis(axis, x.ndim, name)


def _checked_axis(axis, ndim, name):
    """Return `axis` as an index in [0, ndim), or raise a TypeError / ValueError that says what was expected."""
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"axis: expected an int, got {type(axis).__name__}")
    if ndim == 0:
        raise ValueError(f"{name}: expected at least one axis (a vector of logits), got a scalar")
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis: expected an int in [{-ndim}, {ndim - 1}] for an array with {ndim} "
                         f"dimension{'s' if ndim > 1 else ''}, got {axis}")
    return int(axis) % ndim


def _shift(z, axis):
    """Return (z - c, offset, sum exp(z - c)) along `axis` (keepdims), with c = max(z) and no inf - inf.

    `offset` is what makes logsumexp(z) = offset + log(total) hold in every case:
    - ordinary slice: c = offset = max(z), and total >= 1 (its largest term is exp(0));
    - a slice whose max is +inf: its +inf entries become 0 and the others -inf, so the
      +inf logits share the probability equally; offset = +inf;
    - an all -inf (or empty) slice: c = offset = 0 and total = 0;
    - a slice holding a nan: nan throughout.
    """
    peak = np.max(z, axis=axis, keepdims=True, initial=-np.inf)
    winners = peak == np.inf
    z = np.where(winners, np.where(z == np.inf, 0.0, -np.inf), z)
    shift = np.where(np.isfinite(peak), peak, 0.0)
    with np.errstate(over="ignore", under="ignore"):  # -1e308 - 1e308 = -inf and exp(-inf) = 0: both right
        shifted = z - shift
        total = np.sum(np.exp(shifted), axis=axis, keepdims=True)
    return shifted, np.where(winners, np.inf, shift), total


def _log_or_nan(total):
    """Return log(total), with nan where total is 0 (an all -inf slice, whose softmax is undefined)."""
    return np.log(np.where(total == 0.0, np.nan, total))


def _class_indices(labels, shape, axis):
    """Return `labels` as int64 indices with `axis` re-inserted (for take_along_axis), after checking them."""
    if isinstance(labels, (str, bytes)) or labels is None:
        raise TypeError(f"labels: expected integer class indices, got {type(labels).__name__}")
    labels = np.asarray(labels)
    if labels.dtype.kind not in "iu":
        hint = "; for one-hot or probability targets pass targets.argmax(axis)" if labels.dtype.kind == "f" else ""
        raise TypeError(f"labels: expected integer class indices, got dtype {labels.dtype}{hint}")
    expected = shape[:axis] + shape[axis + 1:]
    if labels.shape != expected:
        raise ValueError(f"labels: expected shape {expected} (the logits' shape {tuple(shape)} without axis "
                         f"{axis}), got {labels.shape}; for one-hot targets pass targets.argmax(axis)")
    k = shape[axis]
    if labels.size and (labels.min() < 0 or labels.max() >= k):
        raise ValueError(f"labels: expected class indices in [0, {k - 1}] for {k} classes, "
                         f"got values from {labels.min()} to {labels.max()}")
    return np.expand_dims(labels.astype(np.int64), axis)


def _cast(values, dtype):
    """Round the working-precision result to `dtype` once; overflow to inf and underflow to 0 are the right answers."""
    with np.errstate(over="ignore", under="ignore"):
        return np.asarray(values).astype(dtype)


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
    from course_lib._floating import two_product, two_sum

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
        count = np.sum(1 + np.arange(1, n + 1) * ordered > np.cumsum(ordered, axis=-1), axis=-1, keepdims=True)
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
    import math

    scale = np.maximum(1.0, np.abs(ordered[..., :1]))
    for index in zip(*np.nonzero(np.abs(prefix) < scale * 2.0 ** -100)):
        values = [*ordered[index[:-1]][:index[-1] + 1].tolist(), -1.0]
        hi = math.fsum(values)
        prefix[index], prefix_lo[index] = hi, math.fsum([*values, -hi])
