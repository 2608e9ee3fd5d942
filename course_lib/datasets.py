"""Data sets for the course: the handwritten digits shipped in data/, and synthetic sets made from a
seed.

Nothing is downloaded: the digits come from data/digits.npz (checked against its
SHA-256 on every load) and the synthetic sets are generated deterministically.
"""

import hashlib
import pathlib

import numpy as np

DATA_DIR = pathlib.Path(__file__).resolve().parent.parent / "data"
DIGITS_FILE = "digits.npz"
DIGITS_SHA256 = "b2dab7b501728c22e9119ad76740b2e17c77a231e42d1e592380d90886f1a05e"


class DataFileError(RuntimeError):
    """A data file that ships with the course is missing or not the file it should be."""


def _sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_digits(flatten=True, data_dir=None):
    """Return (x, y): the 1,797 UCI handwritten digits, pixels scaled to [0, 1], labels 0-9.

    `x` has shape (1797, 64) (or (1797, 8, 8) with flatten=False), dtype float32.
    The file's SHA-256 is checked first, so a damaged copy fails loudly instead of
    training on garbage.
    """
    path = pathlib.Path(data_dir or DATA_DIR) / DIGITS_FILE
    restore = "restore it with `git checkout -- data/digits.npz` (see data/README.md)"
    if not path.is_file():
        raise DataFileError(f"{path.name} is missing from {path.parent.name}/: {restore}")
    if _sha256(path) != DIGITS_SHA256:
        raise DataFileError(f"{path.name} does not match its SHA-256 in data/README.md (corrupt "
                            f"or edited): {restore}")
    with np.load(path) as archive:
        images, labels = archive["images"], archive["labels"]
    x = images.astype(np.float32) / 16.0  # pixels are counts 0..16
    if flatten:
        x = x.reshape(len(x), -1)
    return x, labels.astype(np.int64)


def _check_size(n, name="n"):
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"{name}: expected a positive int, got {n!r}")


def _check_noise(noise):
    if isinstance(noise, bool) or not isinstance(noise, (int, float)) or not 0 <= noise < np.inf:
        raise ValueError(f"noise: expected a non-negative number, got {noise!r}")


def xor():
    """Return (x, y): the four XOR points (0,0)->0, (0,1)->1, (1,0)->1, (1,1)->0, as float32 and
    int64."""
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    y = np.array([0, 1, 1, 0], dtype=np.int64)
    return x, y


def noisy_xor(n=200, noise=0.15, seed=0):
    """Return (x, y): `n` points scattered around the four XOR corners (a learnable cloud
    version)."""
    _check_size(n)
    _check_noise(noise)
    rng = np.random.default_rng(seed)
    corners, labels = xor()
    pick = rng.integers(0, 4, size=n)
    x = corners[pick] + rng.normal(0.0, noise, size=(n, 2))
    return x.astype(np.float32), labels[pick]


def two_spirals(n=400, noise=0.2, turns=1.5, seed=0):
    """Return (x, y): two interleaved spirals, `n` points in total, classes 0 and 1 (balanced)."""
    _check_size(n)
    _check_noise(noise)
    rng = np.random.default_rng(seed)
    per_class = (n // 2, n - n // 2)
    xs, ys = [], []
    for label, count in enumerate(per_class):
        # sqrt: even density along the arm
        t = np.sqrt(rng.uniform(0.0, 1.0, size=count)) * turns * 2 * np.pi
        radius = t / (turns * 2 * np.pi) * 4
        angle = t + label * np.pi
        points = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
        xs.append(points + rng.normal(0.0, noise, size=points.shape) * 0.3)
        ys.append(np.full(count, label))
    order = rng.permutation(n)
    return np.concatenate(xs)[order].astype(np.float32), np.concatenate(ys)[order].astype(np.int64)


def moons(n=400, noise=0.1, seed=0):
    """Return (x, y): two interleaving half circles, `n` points in total, classes 0 and 1."""
    _check_size(n)
    _check_noise(noise)
    rng = np.random.default_rng(seed)
    upper, lower = n // 2, n - n // 2
    t_upper = rng.uniform(0.0, np.pi, size=upper)
    t_lower = rng.uniform(0.0, np.pi, size=lower)
    x = np.concatenate([
        np.column_stack([np.cos(t_upper), np.sin(t_upper)]),
        np.column_stack([1.0 - np.cos(t_lower), 0.5 - np.sin(t_lower)]),
    ])
    x = x + rng.normal(0.0, noise, size=x.shape)
    y = np.concatenate([np.zeros(upper), np.ones(lower)])
    order = rng.permutation(n)
    return x[order].astype(np.float32), y[order].astype(np.int64)


def train_val_split(x, y, val_fraction=0.25, seed=0):
    """Return (x_train, y_train, x_val, y_val): a shuffled split with `val_fraction` held out."""
    x, y = np.asarray(x), np.asarray(y)
    if len(x) != len(y):
        raise ValueError(f"x and y: expected the same number of rows, got {len(x)} and {len(y)}")
    if not 0.0 < val_fraction < 1.0:
        raise ValueError(f"val_fraction: expected a number strictly between 0 and 1, got "
                         f"{val_fraction!r}")
    order = np.random.default_rng(seed).permutation(len(x))
    n_val = max(1, int(round(val_fraction * len(x))))
    val, train = order[:n_val], order[n_val:]
    return x[train], y[train], x[val], y[val]
