"""Tests of course_lib.datasets: the shipped digits and the synthetic sets."""

import hashlib
import shutil

import numpy as np
import pytest

from course_lib import datasets


def test_digits_shape_range_and_classes():
    x, y = datasets.load_digits()
    assert x.shape == (1797, 64) and x.dtype == np.float32
    assert 0.0 <= x.min() and x.max() == 1.0
    assert sorted(np.unique(y)) == list(range(10))
    assert np.bincount(y).min() >= 170


def test_digits_unflattened_and_readme_checksum_agree():
    x, _ = datasets.load_digits(flatten=False)
    assert x.shape == (1797, 8, 8)
    readme = (datasets.DATA_DIR / "README.md").read_text()
    assert datasets.DIGITS_SHA256 in readme
    assert (
        hashlib.sha256((datasets.DATA_DIR / datasets.DIGITS_FILE).read_bytes()).hexdigest()
        == datasets.DIGITS_SHA256
    )


def test_missing_digits_file_names_file_and_remedy(tmp_path):
    with pytest.raises(datasets.DataFileError, match=r"digits\.npz is missing.*git checkout"):
        datasets.load_digits(data_dir=tmp_path)


def test_corrupt_digits_file_is_detected(tmp_path):
    copy = tmp_path / datasets.DIGITS_FILE
    shutil.copy(datasets.DATA_DIR / datasets.DIGITS_FILE, copy)
    data = bytearray(copy.read_bytes())
    data[-10] ^= 0xFF
    copy.write_bytes(bytes(data))
    with pytest.raises(datasets.DataFileError, match="does not match its SHA-256"):
        datasets.load_digits(data_dir=tmp_path)


def test_xor_is_xor():
    x, y = datasets.xor()
    np.testing.assert_array_equal(y, np.logical_xor(x[:, 0], x[:, 1]).astype(int))


@pytest.mark.parametrize("make", [datasets.two_spirals, datasets.moons, datasets.noisy_xor])
def test_synthetic_sets_are_deterministic_balanced_and_sized(make):
    x1, y1 = make(n=101, seed=3)
    x2, y2 = make(n=101, seed=3)
    x3, _ = make(n=101, seed=4)
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(x1, x3)
    assert x1.shape == (101, 2) and y1.shape == (101,)
    assert set(np.unique(y1)) == {0, 1}
    assert abs(np.mean(y1) - 0.5) < 0.2


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n": 0}, "n: expected a positive int"),
        ({"n": 2.5}, "n: expected a positive int"),
        ({"noise": -1.0}, "noise: expected a non-negative number"),
    ],
)
def test_synthetic_sets_reject_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        datasets.two_spirals(**kwargs)


def test_train_val_split_partitions_without_overlap():
    x = np.arange(20).reshape(10, 2)
    y = np.arange(10)
    x_train, y_train, x_val, y_val = datasets.train_val_split(x, y, val_fraction=0.3, seed=0)
    assert len(x_val) == 3 and len(x_train) == 7
    assert sorted(np.concatenate([y_train, y_val])) == list(range(10))
    np.testing.assert_array_equal(x_train[:, 0] // 2, y_train)


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.1])
def test_train_val_split_rejects_bad_fraction(fraction):
    with pytest.raises(ValueError, match="val_fraction"):
        datasets.train_val_split(np.zeros((4, 2)), np.zeros(4), val_fraction=fraction)
