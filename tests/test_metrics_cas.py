"""The Classification Accuracy Score helper and what it is built from (fit_classifier)."""

import numpy as np
import pytest

from imgen_helpers import classifier, metrics
from imgen_helpers.data import load_mnist

QUICK = classifier.ClassifierConfig(epochs=2, copies=1, seed=0)  # a cheaper recipe than 12 epochs


@pytest.fixture(scope="module")
def digits():
    train = load_mnist("train", source="offline", verbose=False)
    test = load_mnist("test", source="offline", verbose=False)
    return train, test


def test_trained_on_real_digits_the_score_is_above_95_percent(digits):
    (train_x, train_y), (test_x, test_y) = digits
    score = metrics.classification_accuracy_score(train_x, train_y, test_x, test_y, QUICK)
    assert score > 0.95


def test_the_helper_reports_what_a_hand_written_evaluation_finds(digits):
    (train_x, train_y), (test_x, test_y) = digits
    subset = slice(0, 2000)
    score = metrics.classification_accuracy_score(
        train_x[subset], train_y[subset], test_x, test_y, QUICK
    )
    model = classifier.fit_classifier(train_x[subset], train_y[subset], QUICK)  # same seed
    logits = model.predict(test_x[..., None].astype("float32") / 255.0, verbose=0)
    by_hand = np.mean(np.argmax(logits, axis=1) == test_y)
    assert score == pytest.approx(by_hand, abs=1e-9)
    assert 0.5 < score < 1.0


def test_wrong_labels_teach_nothing(digits):
    """The score depends on the labels: a generator that misdraws them scores near chance."""
    (train_x, train_y), (test_x, test_y) = digits
    shuffled = np.random.default_rng(0).permutation(train_y[:2000])
    score = metrics.classification_accuracy_score(train_x[:2000], shuffled, test_x, test_y, QUICK)
    assert score < 0.3


def test_augment_digits_adds_shifted_copies_with_their_labels(digits):
    (train_x, train_y), _ = digits
    x, y = classifier.augment_digits(train_x[:5], train_y[:5], max_shift=2, copies=3, seed=1)
    assert x.shape == (20, 28, 28, 1) and x.dtype == np.float32 and 0 <= x.min() <= x.max() <= 1
    np.testing.assert_array_equal(y, np.tile(train_y[:5], 4))
    np.testing.assert_allclose(x[:5, ..., 0], train_x[:5] / 255.0, atol=1e-6)
    assert not np.allclose(x[5:10], x[:5])  # shifted
    again, _ = classifier.augment_digits(train_x[:5], train_y[:5], max_shift=2, copies=3, seed=1)
    np.testing.assert_array_equal(x, again)
    # Each copy keeps its ink: a whole-pixel shift of a digit with a blank border.
    np.testing.assert_allclose(x[5:10].sum(axis=(1, 2, 3)), x[:5].sum(axis=(1, 2, 3)), rtol=0.05)
