import shutil

import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from imgen_helpers import data


def test_offline_mnist_is_the_real_test_set(capsys):
    x, y = data.load_mnist("all", source="offline")
    assert x.shape == (10000, 28, 28) and x.dtype == np.uint8
    assert tuple(np.bincount(y, minlength=10)) == data.MNIST_COUNTS
    assert x.mean() == pytest.approx(33.79, abs=0.01)
    assert "shipped offline digits" in capsys.readouterr().out


def test_offline_splits_are_disjoint_and_cover_all():
    x_all, y_all = data.load_mnist("all", source="offline", verbose=False)
    x_tr, y_tr = data.load_mnist("train", source="offline", verbose=False)
    x_te, y_te = data.load_mnist("test", source="offline", verbose=False)
    assert len(y_tr) == 8000 and len(y_te) == 2000
    flat = lambda x: {row.tobytes() for row in x.reshape(len(x), -1)}  # noqa: E731
    assert not flat(x_tr) & flat(x_te)
    assert np.array_equal(
        np.bincount(y_tr, minlength=10) + np.bincount(y_te, minlength=10),
        np.bincount(y_all, minlength=10),
    )


def test_auto_source_respects_offline_switch(monkeypatch, capsys):
    monkeypatch.setenv("IMGEN_OFFLINE", "1")
    x, _ = data.load_mnist("test")
    assert len(x) == 2000
    assert "IMGEN_OFFLINE=1" in capsys.readouterr().out


def test_online_failure_falls_back(monkeypatch, capsys):
    monkeypatch.setenv("IMGEN_OFFLINE", "0")
    monkeypatch.setattr(data, "_keras_mnist_cached", lambda: False)
    monkeypatch.setattr(data, "_online_possible", lambda timeout=3.0: True)

    def broken(split, verbose):
        raise Exception("URL fetch failure")  # what keras raises without network

    monkeypatch.setattr(data, "_load_keras_mnist", broken)
    x, _ = data.load_mnist("train")
    assert len(x) == 8000
    assert "download failed" in capsys.readouterr().out
    with pytest.raises(Exception, match="URL fetch failure"):
        data.load_mnist("train", source="online")


def test_bad_arguments():
    with pytest.raises(ValueError, match="split must be"):
        data.load_mnist("validation")
    with pytest.raises(ValueError, match="source must be"):
        data.load_mnist(source="cloud")


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    copy = tmp_path / "data"
    shutil.copytree(data.data_dir(), copy)
    monkeypatch.setenv("IMGEN_DATA_DIR", str(copy))
    return copy


def test_corrupted_file_is_detected(data_copy):
    target = data_copy / "mnist" / "t10k-labels-idx1-ubyte.gz"
    raw = bytearray(target.read_bytes())
    raw[100] ^= 0xFF
    target.write_bytes(bytes(raw))
    with pytest.raises(data.DataIntegrityError, match=r"t10k-labels-idx1-ubyte\.gz.*git checkout"):
        data.load_mnist("all", source="offline")


def test_truncated_file_is_detected(data_copy):
    target = data_copy / "style" / "wave.jpg"
    target.write_bytes(target.read_bytes()[:1000])
    with pytest.raises(data.DataIntegrityError, match="wave.jpg.*corrupted or truncated"):
        data.load_image("wave")


def test_missing_file_is_detected(data_copy):
    (data_copy / "style" / "udnie.jpg").unlink()
    with pytest.raises(data.DataIntegrityError, match="udnie.jpg is missing"):
        data.load_image("udnie")


def test_every_shipped_file_matches_its_checksum():
    for relative in data.SHIPPED:
        assert data.shipped_path(relative).is_file()


@pytest.mark.parametrize("name", sorted(data.PAINTINGS))
def test_paintings_load_as_unit_rgb(name):
    img = data.load_image(name, max_size=128, verbose=False)
    assert img.dtype == np.float32 and img.ndim == 3 and img.shape[-1] == 3
    assert max(img.shape[:2]) == 128
    assert 0 <= img.min() and img.max() <= 1 and img.std() > 0.05


def test_skimage_samples_and_notes(capsys):
    gray = data.load_image("camera", max_size=None)
    assert gray.shape == (512, 512, 3)
    np.testing.assert_array_equal(gray[..., 0], gray[..., 2])
    assert "grayscale -> RGB" in capsys.readouterr().out
    coffee = data.load_image("coffee", max_size=100)
    assert max(coffee.shape[:2]) == 100
    assert "resized 600x400 -> 100x67" in capsys.readouterr().out


def test_rgba_path_is_composited_over_white(tmp_path, capsys):
    rgba = np.zeros((10, 20, 4), np.uint8)
    rgba[..., 0] = 255
    rgba[:, :10, 3] = 255  # left half opaque red, right half transparent
    path = tmp_path / "rgba.png"
    Image.fromarray(rgba, "RGBA").save(path)
    img = data.load_image(path)
    np.testing.assert_allclose(img[0, 0], [1, 0, 0])
    np.testing.assert_allclose(img[0, -1], [1, 1, 1])
    assert "RGBA -> RGB" in capsys.readouterr().out


def test_small_images_are_not_enlarged(tmp_path):
    path = tmp_path / "small.png"
    Image.fromarray(np.zeros((5, 7, 3), np.uint8)).save(path)
    assert data.load_image(path, max_size=512).shape == (5, 7, 3)


def test_unreadable_and_unknown_inputs(tmp_path):
    bad = tmp_path / "not_an_image.png"
    bad.write_text("hello")
    with pytest.raises(ValueError, match="cannot read .*not_an_image.png as an image"):
        data.load_image(bad)
    with pytest.raises(FileNotFoundError, match="not a known name.*wave"):
        data.load_image("mona_lisa")
    with pytest.raises(ValueError, match="max_size"):
        data.load_image("wave", max_size=0)


def test_shapes_are_seeded_deterministic_and_in_range():
    a, b, c = (
        data.make_shapes(64, seed=7),
        data.make_shapes(64, seed=7),
        data.make_shapes(64, seed=8),
    )
    assert a.shape == (64, 28, 28, 3) and a.dtype == np.float32
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert a.min() == -1.0 and a.max() == 1.0
    lit = (a > -1).any(axis=-1).mean(axis=(1, 2))  # share of coloured pixels per image
    assert lit.min() > 0.03 and lit.max() < 0.6  # every image has one visible, bounded shape


def test_shapes_dataset_is_unlimited_and_repeatable():
    shapes = data.shapes_dataset(batch_size=8, seed=3)
    assert shapes.cardinality() == tf.data.INFINITE_CARDINALITY
    assert shapes.take(3).cardinality() == 3
    first = [np.asarray(x) for x in shapes.take(3)]
    again = [np.asarray(x) for x in shapes.take(3)]
    assert len(first) == 3 and first[0].shape == (8, 28, 28, 3)
    for x, y in zip(first, again, strict=True):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(first[0], first[1])
    assert len(list(shapes.take(50))) == 50


def test_mnist_dataset_is_symmetric_range_whole_batches():
    pipeline = data.mnist_dataset(
        "train", 64, source="offline", limit=200, drop_remainder=True, verbose=False
    )
    batches = [np.asarray(x) for x in pipeline]
    assert len(batches) == 3  # 200 // 64, the partial batch dropped
    assert all(b.shape == (64, 28, 28, 1) for b in batches)
    x = np.concatenate(batches)
    assert x.min() == -1.0 and x.max() == 1.0


def test_mnist_dataset_pixels_labels_and_order():
    def first(**kwargs):
        pipeline = data.mnist_dataset(
            "test", 50, source="offline", limit=100, verbose=False, **kwargs
        )
        return next(iter(pipeline))

    unit, symmetric = np.asarray(first(pixels="unit")), np.asarray(first())
    np.testing.assert_allclose(symmetric, unit * 2 - 1, atol=1e-6)  # the test split is in order
    assert unit.min() == 0.0 and unit.max() == 1.0 and len(np.unique(unit)) > 2
    static = np.asarray(first(pixels="static"))
    np.testing.assert_array_equal(static, (unit > 0.5).astype(np.float32))
    images, labels = first(pixels="dynamic", labels=True)
    assert set(np.unique(images)) <= {0.0, 1.0} and labels.dtype == tf.int32
    _, expected = data.load_mnist("test", source="offline", verbose=False)
    np.testing.assert_array_equal(labels, expected[:50])


def test_mnist_dataset_redraws_dynamic_binarisation_each_epoch_but_not_for_test():
    train = data.mnist_dataset(
        "train", 32, pixels="dynamic", shuffle=False, source="offline", limit=64, verbose=False
    )
    epochs = [np.asarray(next(iter(train))) for _ in range(2)]
    assert not np.array_equal(epochs[0], epochs[1])
    test = data.mnist_dataset(
        "test", 32, pixels="dynamic", source="offline", limit=64, verbose=False
    )
    again = [np.asarray(next(iter(test))) for _ in range(2)]
    np.testing.assert_array_equal(again[0], again[1])
