"""Tests of imgen_helpers.metrics: every score and distance read from the lesson-08 classifier."""

import numpy as np
import pytest
from scipy import linalg

from imgen_helpers import data, metrics


def _random_cov(rng, d, scale=1.0):
    a = rng.normal(size=(d, d)) * scale
    return a @ a.T / d + 0.1 * np.eye(d)


@pytest.fixture(scope="module")
def held_out():
    """The 2,000 offline test digits the classifier never trained on, as float32 in [0, 1]."""
    images, labels = data.load_mnist("test", source="offline", verbose=False)
    return images.astype(np.float32) / 255.0, labels


@pytest.fixture(scope="module")
def held_out_features(held_out):
    return metrics.classifier_features(held_out[0])


# ---------------------------------------------------------------------------------------------
# Frechet distance
# ---------------------------------------------------------------------------------------------


def test_frechet_distance_of_a_set_with_itself_is_zero():
    rng = np.random.default_rng(0)
    features = rng.normal(size=(600, 20)) @ rng.normal(size=(20, 20)) + 3.0
    assert metrics.frechet_distance(features, features) == pytest.approx(0.0, abs=1e-8)


def test_frechet_distance_is_symmetric_and_positive_for_different_sets():
    rng = np.random.default_rng(1)
    a = rng.normal(size=(500, 16)) @ rng.normal(size=(16, 16))
    b = rng.normal(size=(400, 16)) * 2.0 + 0.5
    ab, ba = metrics.frechet_distance(a, b), metrics.frechet_distance(b, a)
    assert ab > 1.0
    assert ab == pytest.approx(ba, rel=1e-9)


def test_gaussian_frechet_distance_matches_closed_form_for_commuting_covariances():
    # Covariances sharing eigenvectors: W2^2 = |m1 - m2|^2 + sum (sqrt(l1) - sqrt(l2))^2.
    rng = np.random.default_rng(2)
    q, _ = np.linalg.qr(rng.normal(size=(8, 8)))
    l1, l2 = rng.uniform(0.1, 4.0, 8), rng.uniform(0.1, 4.0, 8)
    m1, m2 = rng.normal(size=8), rng.normal(size=8)
    expected = np.sum((m1 - m2) ** 2) + np.sum((np.sqrt(l1) - np.sqrt(l2)) ** 2)
    got = metrics.gaussian_frechet_distance(m1, q @ np.diag(l1) @ q.T, m2, q @ np.diag(l2) @ q.T)
    assert got == pytest.approx(expected, rel=1e-9)


def test_gaussian_frechet_distance_matches_the_sqrtm_formula_for_general_covariances():
    rng = np.random.default_rng(3)
    c1, c2 = _random_cov(rng, 10), _random_cov(rng, 10, scale=2.0)
    m1, m2 = rng.normal(size=10), rng.normal(size=10)
    reference = np.sum((m1 - m2) ** 2) + np.trace(c1 + c2 - 2 * linalg.sqrtm(c1 @ c2).real)
    assert metrics.gaussian_frechet_distance(m1, c1, m2, c2) == pytest.approx(reference, rel=1e-7)


def test_frechet_distance_of_samples_converges_to_the_gaussian_closed_form():
    rng = np.random.default_rng(4)
    m1, m2 = np.zeros(4), np.array([1.0, -1.0, 0.5, 0.0])
    c1, c2 = np.diag([1.0, 2.0, 0.5, 1.0]), np.diag([4.0, 1.0, 0.5, 0.25])
    exact = metrics.gaussian_frechet_distance(m1, c1, m2, c2)
    a = rng.multivariate_normal(m1, c1, size=40_000)
    b = rng.multivariate_normal(m2, c2, size=40_000)
    assert exact == pytest.approx(2.25 + 1.0 + (np.sqrt(2) - 1) ** 2 + 0.25, rel=1e-9)
    assert metrics.frechet_distance(a, b) == pytest.approx(exact, rel=0.03)


def test_frechet_distance_stays_real_and_finite_for_singular_covariances():
    # Fewer samples than dimensions: both covariances are rank-deficient (the case where
    # sqrtm(C1 @ C2) returns complex numbers).
    rng = np.random.default_rng(5)
    a, b = rng.normal(size=(20, 64)), rng.normal(size=(20, 64)) + 0.1
    d = metrics.frechet_distance(a, b)
    assert isinstance(d, float) and np.isfinite(d) and d > 0
    assert metrics.frechet_distance(a, a) == pytest.approx(0.0, abs=1e-6)


# ---------------------------------------------------------------------------------------------
# Kernel distance (KID analogue)
# ---------------------------------------------------------------------------------------------


def test_mmd2_unbiased_matches_a_direct_double_sum():
    rng = np.random.default_rng(6)
    x, y = rng.normal(size=(7, 3)), rng.normal(size=(5, 3)) + 1.0

    def k(u, v):
        return (u @ v / 3 + 1.0) ** 3

    xx = sum(k(x[i], x[j]) for i in range(7) for j in range(7) if i != j) / (7 * 6)
    yy = sum(k(y[i], y[j]) for i in range(5) for j in range(5) if i != j) / (5 * 4)
    xy = sum(k(x[i], y[j]) for i in range(7) for j in range(5)) / (7 * 5)
    assert metrics.mmd2_unbiased(x, y) == pytest.approx(xx + yy - 2 * xy, rel=1e-10)


def test_kernel_distance_is_zero_within_its_std_for_one_distribution():
    rng = np.random.default_rng(7)
    a, b = rng.normal(size=(2000, 16)), rng.normal(size=(2000, 16))
    mean, std = metrics.kernel_distance(a, b, num_subsets=50, subset_size=500, seed=0)
    assert std > 0
    assert abs(mean) < std


def test_kernel_distance_is_clearly_positive_for_different_distributions():
    rng = np.random.default_rng(8)
    a, b = rng.normal(size=(2000, 16)), rng.normal(size=(2000, 16)) * 1.2 + 0.3
    mean, std = metrics.kernel_distance(a, b, num_subsets=50, subset_size=500, seed=0)
    assert mean > 10 * std


def test_kernel_distance_is_seeded():
    rng = np.random.default_rng(9)
    a, b = rng.normal(size=(300, 8)), rng.normal(size=(300, 8))
    first = metrics.kernel_distance(a, b, num_subsets=5, subset_size=100, seed=3)
    assert first == metrics.kernel_distance(a, b, num_subsets=5, subset_size=100, seed=3)
    assert first != metrics.kernel_distance(a, b, num_subsets=5, subset_size=100, seed=4)
    # The default subset is half the smaller set, so subsets differ and the spread is real.
    assert metrics.kernel_distance(a, b, num_subsets=5)[1] > 0


def test_knn_manifold_picture_reports_the_same_figures():
    rng = np.random.default_rng(15)
    real, fake = rng.normal(size=(60, 2)), rng.normal(size=(50, 2)) + 1.0
    pr = metrics.precision_recall(real, fake, k=3)
    fig = metrics.plot_knn_manifolds(real, fake, k=3)
    assert f"precision {pr.precision:.2f}, recall {pr.recall:.2f}" in fig.axes[0].get_title()
    assert len(fig.axes[0].collections) == 4  # two sets of balls, two sets of points


# ---------------------------------------------------------------------------------------------
# Precision and recall
# ---------------------------------------------------------------------------------------------


def test_precision_and_recall_are_one_for_identical_sets():
    features = np.random.default_rng(10).normal(size=(500, 8))
    assert metrics.precision_recall(features, features.copy(), k=3) == (1.0, 1.0)


def test_precision_and_recall_fall_as_one_set_is_shifted():
    rng = np.random.default_rng(11)
    real, fake = rng.normal(size=(800, 8)), rng.normal(size=(800, 8))
    results = [metrics.precision_recall(real, fake + shift, k=3) for shift in (0.0, 0.5, 1.5)]
    precisions = [r.precision for r in results]
    recalls = [r.recall for r in results]
    assert precisions[0] > 0.6 and recalls[0] > 0.6
    assert precisions[0] > precisions[1] > precisions[2]
    assert recalls[0] > recalls[1] > recalls[2]
    assert precisions[2] < 0.2 and recalls[2] < 0.2


def test_collapsed_samples_have_precision_but_no_recall():
    rng = np.random.default_rng(12)
    real = rng.normal(size=(600, 4))
    collapsed = real[:1] + 0.01 * rng.normal(size=(600, 4))  # one mode, tiny spread
    pr = metrics.precision_recall(real, collapsed, k=3)
    assert pr.precision > 0.9
    assert pr.recall < 0.05


# ---------------------------------------------------------------------------------------------
# Classifier score and confidence
# ---------------------------------------------------------------------------------------------


def test_classifier_score_of_one_repeated_image_is_one(held_out):
    repeated = np.repeat(held_out[0][:1], 200, axis=0)
    assert metrics.classifier_score(repeated) == pytest.approx(1.0, abs=1e-6)


def test_classifier_score_is_near_ten_for_a_balanced_real_set(held_out):
    images, labels = held_out
    balanced = np.concatenate([images[labels == d][:150] for d in range(10)])
    assert len(balanced) == 1500
    assert metrics.classifier_score(balanced) > 9.3


def test_score_from_probs_bounds():
    assert metrics.score_from_probs(np.tile(np.eye(10)[3], (50, 1))) == pytest.approx(1.0)
    assert metrics.score_from_probs(np.tile(np.eye(10), (5, 1))) == pytest.approx(10.0, rel=1e-9)
    assert metrics.score_from_probs(np.full((40, 10), 0.1)) == pytest.approx(1.0)


def test_confident_fraction_is_high_for_digits_and_low_for_blends_of_two(held_out):
    images, labels = held_out
    rng = np.random.default_rng(14)
    i, j = rng.integers(0, len(images), (2, 600))
    keep = labels[i] != labels[j]
    blends = (images[i][keep] + images[j][keep]) / 2  # half one digit, half another
    assert metrics.confident_fraction(images[:500]) > 0.95
    assert metrics.confident_fraction(blends) < 0.6
    with pytest.raises(ValueError, match="threshold"):
        metrics.confident_fraction(images[:5], threshold=1.5)


def test_noise_is_classified_confidently_but_scores_about_one():
    # Why no metric is read alone: the classifier calls uniform noise one digit with high
    # confidence, so only the score (one class for everything) exposes it.
    noise = metrics.noise_images(500, seed=1)
    assert metrics.confident_fraction(noise) > 0.9
    assert metrics.classifier_score(noise) < 1.5


# ---------------------------------------------------------------------------------------------
# Metrics on real digits: floor below model-like damage below noise
# ---------------------------------------------------------------------------------------------


def test_real_floor_is_below_blurred_digits_and_noise(held_out):
    from scipy.ndimage import uniform_filter

    images = held_out[0]
    blurred = uniform_filter(images, size=(1, 3, 3))
    rows = metrics.evaluate_generators({"blurred": blurred}, images, num_subsets=10)
    floor, model, ceiling = rows
    assert [r.name for r in rows] == ["real floor", "blurred", "noise ceiling"]
    assert all(r.n == 1000 for r in rows)
    assert floor.fcd < model.fcd < ceiling.fcd
    assert floor.kid < model.kid < ceiling.kid
    assert floor.precision > ceiling.precision and floor.recall > ceiling.recall
    assert ceiling.precision < 0.05 and ceiling.score < floor.score
    assert "| real floor |" in metrics.format_report(rows)


def test_frechet_bias_shrinks_with_more_samples(held_out_features):
    a, b = held_out_features[:1000], held_out_features[1000:]
    means, stds = metrics.metric_vs_sample_count(
        metrics.frechet_distance, a, b, [100, 1000], repeats=3, seed=0
    )
    assert means[0] > 2 * means[1]
    assert stds.shape == (2,)


def test_nearest_neighbours_find_a_copied_training_image(held_out):
    training = held_out[0][:500]
    samples = np.stack([training[42], training[7], held_out[0][600]])
    indices, distances = metrics.nearest_neighbours(samples, training, k=2)
    assert indices.shape == distances.shape == (3, 2)
    assert indices[0, 0] == 42 and indices[1, 0] == 7
    assert distances[0, 0] == pytest.approx(0.0, abs=1e-3)
    assert distances[2, 0] > 1.0  # a new digit is far from every training digit
    assert np.all(np.diff(distances, axis=1) >= 0)
    fig, shown = metrics.show_nearest_training(samples, training, k=2, n=3)
    assert len(fig.axes) == 9 and shown.shape == (3, 2)


def test_digits_covered_counts_classes_with_enough_samples():
    from imgen_helpers.data import load_mnist

    x, y = load_mnist("test", source="offline", verbose=False)
    assert metrics.digits_covered(x[:1000] / 255.0) == 10
    ones = x[y == 1][:200] / 255.0
    assert metrics.digits_covered(ones) == 1
    mix = np.concatenate([ones, x[y == 7][:5] / 255.0])  # 7s are 2.4% of the set
    assert metrics.digits_covered(mix, min_share=0.03) == 1
    assert metrics.digits_covered(mix, min_share=0.02) == 2
    with pytest.raises(ValueError, match="min_share"):
        metrics.digits_covered(ones, min_share=0.5)
