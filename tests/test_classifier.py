"""Tests of imgen_helpers.classifier: the lesson-08 MNIST classifier and its input check."""

import hashlib

import keras
import numpy as np
import pytest
from tensorflow.python.framework import config as tf_config

from imgen_helpers import classifier, data, metrics, runtime

TINY = classifier.ClassifierConfig(epochs=1, train_digits=256, copies=1, seed=3)
"""One epoch on 512 digits: a few seconds, enough to check what training does around it."""


@pytest.fixture(scope="module")
def held_out():
    """The 2,000 offline test digits the classifier never trained on, as float32 in [0, 1]."""
    images, labels = data.load_mnist("test", source="offline", verbose=False)
    return images.astype(np.float32) / 255.0, labels


@pytest.fixture(scope="module")
def tiny_run():
    """A tiny classifier trained once for the module: ``(model, accuracy)``."""
    return classifier.train_classifier(TINY, verbose=0)


# ---------------------------------------------------------------------------------------------
# The shipped classifier and its input check
# ---------------------------------------------------------------------------------------------


def test_shipped_classifier_matches_its_sha256():
    path = data.shipped_path(classifier.CLASSIFIER_WEIGHTS)
    assert (
        hashlib.sha256(path.read_bytes()).hexdigest() == data.SHIPPED[classifier.CLASSIFIER_WEIGHTS]
    )
    assert path.stat().st_size < 5_000_000


def test_shipped_classifier_reaches_its_stated_accuracy_on_held_out_digits(held_out):
    images, labels = held_out
    model = classifier.load_classifier()
    assert model.output_shape == (None, 10)
    accuracy = classifier.classifier_accuracy(model, images, labels)
    assert accuracy >= 0.98
    assert accuracy == pytest.approx(classifier.CLASSIFIER_TEST_ACCURACY, abs=1e-3)


def test_classifier_refuses_a_corrupted_weights_file(tmp_path, monkeypatch):
    source = data.shipped_path(classifier.CLASSIFIER_WEIGHTS)
    (tmp_path / "weights").mkdir()
    (tmp_path / "README.md").write_text("copy")
    damaged = bytearray(source.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    (tmp_path / classifier.CLASSIFIER_WEIGHTS).write_bytes(bytes(damaged))
    monkeypatch.setenv(data.DATA_ENV, str(tmp_path))
    classifier.load_classifier.cache_clear()
    try:
        with pytest.raises(data.DataIntegrityError, match="corrupted"):
            classifier.load_classifier()
    finally:
        classifier.load_classifier.cache_clear()


def test_probabilities_agree_across_ranges_and_shapes(held_out):
    images = held_out[0][:64]
    unit = classifier.classifier_probs(images)
    assert unit.shape == (64, 10)
    np.testing.assert_allclose(unit.sum(axis=1), 1.0, rtol=1e-9)
    np.testing.assert_allclose(classifier.classifier_probs(images[..., None]), unit, atol=1e-6)
    np.testing.assert_allclose(classifier.classifier_probs(images * 2 - 1), unit, atol=1e-5)
    uint8 = (images * 255).round().astype(np.uint8)
    np.testing.assert_allclose(classifier.classifier_probs(uint8), unit, atol=1e-5)


def test_batch_size_does_not_change_the_features(held_out):
    images = held_out[0][:70]
    np.testing.assert_allclose(
        classifier.classifier_features(images, batch_size=16),
        classifier.classifier_features(images, batch_size=500),
        atol=1e-5,
    )


@pytest.mark.parametrize(
    ("images", "message"),
    [
        (np.zeros((4, 32, 32), np.float32), "shape"),
        (np.zeros((4, 28, 28, 3), np.float32), "shape"),
        (np.zeros((28, 28), np.float32), "shape"),
        (np.zeros((0, 28, 28), np.float32), "empty"),
        (np.full((4, 28, 28), 200.0, np.float32), r"\[0, 255\]|255"),
        (np.full((4, 28, 28), -3.0, np.float32), "expected"),
        (np.full((4, 28, 28), np.nan, np.float32), "NaN"),
    ],
)
def test_bad_inputs_are_rejected_with_a_clear_error(images, message):
    with pytest.raises(ValueError, match=message):
        classifier.as_unit_images(images)


def test_integer_images_other_than_uint8_are_rejected():
    with pytest.raises(TypeError, match="uint8"):
        classifier.as_unit_images(np.zeros((2, 28, 28), np.int64))


def test_classifier_is_float32_under_a_mixed_precision_policy():
    x = np.random.default_rng(13).uniform(size=(4, 28, 28, 1)).astype(np.float32)
    reference = classifier.build_classifier()
    with runtime.precision_scope("mixed_bfloat16"):
        model = classifier.build_classifier()
    model.set_weights(reference.get_weights())
    assert {w.dtype for w in model.weights} == {"float32"}
    logits = model(x, training=False)
    assert keras.backend.standardize_dtype(logits.dtype) == "float32"
    np.testing.assert_allclose(
        np.asarray(logits), np.asarray(reference(x, training=False)), atol=1e-6
    )


def _translate(image, dy, dx):
    """Reference shift with a zero border, by slicing."""
    out = np.zeros_like(image)
    h, w = image.shape[:2]
    out[max(dy, 0) : h + min(dy, 0), max(dx, 0) : w + min(dx, 0)] = image[
        max(-dy, 0) : h + min(-dy, 0), max(-dx, 0) : w + min(-dx, 0)
    ]
    return out


def test_shift_digits_is_a_seeded_whole_pixel_translation(held_out):
    images = held_out[0][:40, ..., None]
    shifted = classifier.shift_digits(images, max_shift=2, seed=1)
    np.testing.assert_array_equal(shifted, classifier.shift_digits(images, max_shift=2, seed=1))
    assert not np.array_equal(shifted, classifier.shift_digits(images, max_shift=2, seed=2))
    shifts = []
    for original, moved in zip(images, shifted, strict=True):
        matches = [
            (dy, dx)
            for dy in range(-2, 3)
            for dx in range(-2, 3)
            if np.array_equal(moved, _translate(original, dy, dx))
        ]
        assert matches, "each output must be the input moved by at most 2 pixels"
        shifts.append(matches[0])
    assert len(set(shifts)) > 5  # the shifts vary from digit to digit


def test_as_unit_images_converts_each_range_to_the_same_unit_batch(held_out):
    unit = held_out[0][:8]
    expected = unit[..., None]
    np.testing.assert_allclose(classifier.as_unit_images(unit), expected, atol=1e-6)
    np.testing.assert_allclose(classifier.as_unit_images(unit * 2 - 1), expected, atol=1e-6)
    uint8 = (unit * 255).round().astype(np.uint8)
    np.testing.assert_allclose(classifier.as_unit_images(uint8), expected, atol=1 / 255)
    # A [-1, 1] batch without a negative value is read as [0, 1] unless the range is forced.
    bright = np.full((2, 28, 28), 0.5, np.float32)
    np.testing.assert_allclose(classifier.as_unit_images(bright), 0.5)
    np.testing.assert_allclose(classifier.as_unit_images(bright, "symmetric"), 0.75)
    with pytest.raises(ValueError, match="symmetric"):
        classifier.as_unit_images(unit * 2 - 1, value_range="unit")


def test_metrics_keeps_the_classifier_inputs_and_names_the_new_place_of_the_rest():
    assert metrics.classifier_probs is classifier.classifier_probs
    assert metrics.classifier_features is classifier.classifier_features
    assert metrics.as_unit_images is classifier.as_unit_images
    for name in ("load_classifier", "train_classifier", "CLASSIFIER_TEST_ACCURACY"):
        with pytest.raises(AttributeError, match=f"imgen_helpers.classifier.{name}"):
            getattr(metrics, name)
    with pytest.raises(AttributeError, match="imgen_helpers.cli"):
        metrics.main  # noqa: B018 - the attribute access is what is tested
    with pytest.raises(AttributeError, match="has no attribute"):
        metrics.no_such_name  # noqa: B018


# ---------------------------------------------------------------------------------------------
# Training and saving
# ---------------------------------------------------------------------------------------------


def test_training_restores_the_dtype_policy_and_op_determinism_it_found():
    determinism_before = tf_config.is_op_determinism_enabled()
    tf_config.disable_op_determinism()
    try:
        with runtime.precision_scope("mixed_bfloat16"):
            model, _ = classifier.train_classifier(TINY, verbose=0)
            assert keras.mixed_precision.global_policy().name == "mixed_bfloat16"
        assert not tf_config.is_op_determinism_enabled()
        assert {w.dtype for w in model.weights} == {"float32"}
    finally:
        if determinism_before:
            tf_config.enable_op_determinism()


def test_training_with_reseed_is_reproducible(tiny_run):
    first, accuracy = tiny_run
    keras.utils.set_random_seed(12345)  # whatever state it finds, reseed=True starts afresh
    second, again = classifier.train_classifier(TINY, verbose=0)
    assert accuracy == again
    assert all(
        np.array_equal(a, b) for a, b in zip(first.get_weights(), second.get_weights(), strict=True)
    )
    assert accuracy > 0.25  # one epoch on 512 digits: well above chance (0.1), far from 0.99


def test_save_classifier_writes_weights_only_that_load_back(tiny_run, tmp_path):
    model, _ = tiny_run
    path = classifier.save_classifier(model, tmp_path / "runs" / "tiny.weights.h5", TINY)
    assert path == tmp_path / "runs" / "tiny.weights.h5" and path.exists()
    loaded = classifier.build_classifier(TINY)
    loaded.load_weights(path)
    assert all(
        np.array_equal(a, b) for a, b in zip(model.get_weights(), loaded.get_weights(), strict=True)
    )
    with_optimizer = tmp_path / "compiled.weights.h5"
    model.save_weights(with_optimizer)  # the trained model also stores Adam's moments
    assert path.stat().st_size < 0.5 * with_optimizer.stat().st_size


@pytest.mark.parametrize("name", ["classifier.h5", "classifier.keras", "classifier.weights"])
def test_save_classifier_refuses_other_formats(tiny_run, tmp_path, name):
    with pytest.raises(ValueError, match=r"\.weights\.h5"):
        classifier.save_classifier(tiny_run[0], tmp_path / name, TINY)
    assert not (tmp_path / name).exists()
