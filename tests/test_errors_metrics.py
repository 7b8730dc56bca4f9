"""Bad inputs for imgen_helpers.metrics: each must get a clear error naming the argument."""

import dataclasses

import numpy as np
from bad_inputs import Bad, parametrize

from imgen_helpers import metrics

DIGITS = np.full((8, 28, 28), 0.5, np.float32)  # a valid batch in [0, 1]
NAN_DIGITS = DIGITS.copy()
NAN_DIGITS[1, 3, 3] = np.nan
BYTES_AS_FLOAT = np.full((8, 28, 28), 200.0, np.float32)  # [0, 255] grey levels left as float

F = np.random.default_rng(0).normal(size=(10, 4))  # 10 feature rows of width 4
NAN_F = F.copy()
NAN_F[2, 1] = np.nan
WIDE = np.random.default_rng(1).normal(size=(10, 6))  # another feature width
REFERENCE = np.random.default_rng(2).normal(size=(10, 128))  # the classifier's feature width

PROBS = np.full((5, 10), 0.1)
LOGITS = np.random.default_rng(3).normal(size=(5, 10)) * 3
NAN_PROBS = PROBS.copy()
NAN_PROBS[0, 0] = np.nan

MEAN, COV = np.zeros(3), np.eye(3)
ASYMMETRIC = np.array([[1.0, 0.5, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
NOT_PSD = np.diag([1.0, -2.0, 1.0])
NAN_COV = np.eye(3)
NAN_COV[0, 0] = np.nan

POINTS = np.random.default_rng(4).normal(size=(10, 2))
ROW = metrics.MetricRow("gan", 1.0, 0.1, 0.01, 9.0, 0.9, 0.8, 0.7, 100)


def generator(n):
    """What a learner may pass instead of the images it generates."""
    return DIGITS[:n]


def _cas(**changes):
    """classification_accuracy_score on the valid DIGITS, with one argument made wrong."""
    labels = np.arange(len(DIGITS)) % 10
    arguments = dict(
        train_images=DIGITS, train_labels=labels, test_images=DIGITS, test_labels=labels
    )
    return metrics.classification_accuracy_score(**{**arguments, **changes})


def _row(**changes):
    """A MetricRow like ROW with some fields changed."""
    return dataclasses.replace(ROW, **changes)


def _image_cases(function, **kwargs) -> list[Bad]:
    """The bad image batches a score of generated digits must refuse, plus batch_size."""
    return [
        Bad("type", lambda: function("samples.npy", **kwargs), TypeError, "images"),
        Bad("type", lambda: function(generator, **kwargs), TypeError, "images"),
        Bad("rank", lambda: function(DIGITS[0], **kwargs), ValueError, "images"),
        Bad("range", lambda: function(BYTES_AS_FLOAT, **kwargs), ValueError, "images"),
        Bad("finite", lambda: function(NAN_DIGITS, **kwargs), ValueError, "images"),
        Bad("count", lambda: function(DIGITS, batch_size=0, **kwargs), ValueError, "batch_size"),
    ]


def _feature_pair_cases(function, a="features_a", b="features_b", min_rows=2) -> list[Bad]:
    """Bad feature arrays for a function of two feature sets ``(N, D)``."""
    cases = [
        Bad("type", lambda: function("features.npy", F), TypeError, a),
        Bad("rank", lambda: function(F[0], F), ValueError, a),
        Bad("rank", lambda: function(F, DIGITS), ValueError, b),
        Bad("compat", lambda: function(F, WIDE), ValueError, b),
        Bad("finite", lambda: function(F, NAN_F), ValueError, b),
    ]
    if min_rows > 1:
        cases.append(Bad("count", lambda: function(F[:1], F), ValueError, a))
    return cases


CASES = {
    "imgen_helpers.metrics.score_from_probs": [
        Bad("type", lambda: metrics.score_from_probs("probs.npy"), TypeError, "probs"),
        Bad("rank", lambda: metrics.score_from_probs(PROBS[0]), ValueError, "probs"),
        Bad("range", lambda: metrics.score_from_probs(LOGITS), ValueError, "logits"),
        Bad("value", lambda: metrics.score_from_probs(PROBS * 2), ValueError, "probs"),
        Bad("finite", lambda: metrics.score_from_probs(NAN_PROBS), ValueError, "probs"),
        Bad("range", lambda: metrics.score_from_probs(PROBS, eps=0.5), ValueError, "eps"),
        Bad("type", lambda: metrics.score_from_probs(PROBS, eps="tiny"), TypeError, "eps"),
    ],
    "imgen_helpers.metrics.classifier_score": _image_cases(metrics.classifier_score),
    "imgen_helpers.metrics.confident_fraction": [
        *_image_cases(metrics.confident_fraction),
        Bad("range", lambda: metrics.confident_fraction(DIGITS, 1.5), ValueError, "threshold"),
        Bad("range", lambda: metrics.confident_fraction(DIGITS, 0), ValueError, "threshold"),
        Bad("type", lambda: metrics.confident_fraction(DIGITS, "0.9"), TypeError, "threshold"),
        Bad("finite", lambda: metrics.confident_fraction(DIGITS, np.nan), ValueError, "threshold"),
    ],
    "imgen_helpers.metrics.digits_covered": [
        *_image_cases(metrics.digits_covered),
        Bad("range", lambda: metrics.digits_covered(DIGITS, 0.5), ValueError, "min_share"),
        Bad("range", lambda: metrics.digits_covered(DIGITS, -0.1), ValueError, "min_share"),
        Bad("type", lambda: metrics.digits_covered(DIGITS, "0.03"), TypeError, "min_share"),
        Bad("finite", lambda: metrics.digits_covered(DIGITS, np.nan), ValueError, "min_share"),
    ],
    "imgen_helpers.metrics.label_agreement": [
        *_image_cases(metrics.label_agreement, labels=np.zeros(len(DIGITS), int)),
        Bad("count", lambda: metrics.label_agreement(DIGITS, [0]), ValueError, "labels"),
        Bad(
            "range",
            lambda: metrics.label_agreement(DIGITS, np.full(len(DIGITS), 10)),
            ValueError,
            "labels",
        ),
        Bad(
            "type",
            lambda: metrics.label_agreement(DIGITS, np.full(len(DIGITS), 0.5)),
            TypeError,
            "labels",
        ),
    ],
    "imgen_helpers.metrics.classification_accuracy_score": [
        Bad("type", lambda: _cas(train_images=generator), TypeError, "train_images"),
        Bad("finite", lambda: _cas(test_images=NAN_DIGITS), ValueError, "test_images"),
        Bad("count", lambda: _cas(train_labels=[0]), ValueError, "train_labels"),
        Bad("count", lambda: _cas(test_labels=[0]), ValueError, "test_labels"),
        Bad("range", lambda: _cas(test_labels=np.full(len(DIGITS), -1)), ValueError, "test_labels"),
        Bad("type", lambda: _cas(config={"epochs": 1}), TypeError, "config"),
    ],
    "imgen_helpers.metrics.gaussian_frechet_distance": [
        Bad(
            "type",
            lambda: metrics.gaussian_frechet_distance("m", COV, MEAN, COV),
            TypeError,
            "mean_a",
        ),
        Bad(
            "rank",
            lambda: metrics.gaussian_frechet_distance(COV, COV, MEAN, COV),
            ValueError,
            "mean_a",
        ),
        Bad(
            "compat",
            lambda: metrics.gaussian_frechet_distance(MEAN, COV, np.zeros(4), COV),
            ValueError,
            "mean_b",
        ),
        Bad(
            "compat",
            lambda: metrics.gaussian_frechet_distance(MEAN, np.eye(4), MEAN, COV),
            ValueError,
            "cov_a",
        ),
        Bad(
            "value",
            lambda: metrics.gaussian_frechet_distance(MEAN, ASYMMETRIC, MEAN, COV),
            ValueError,
            "cov_a",
        ),
        Bad(
            "value",
            lambda: metrics.gaussian_frechet_distance(MEAN, COV, MEAN, NOT_PSD),
            ValueError,
            "cov_b",
        ),
        Bad(
            "finite",
            lambda: metrics.gaussian_frechet_distance(MEAN, COV, MEAN, NAN_COV),
            ValueError,
            "cov_b",
        ),
    ],
    "imgen_helpers.metrics.feature_statistics": [
        Bad("type", lambda: metrics.feature_statistics("features.npy"), TypeError, "features"),
        Bad("rank", lambda: metrics.feature_statistics(F[0]), ValueError, "features"),
        Bad("count", lambda: metrics.feature_statistics(F[:1]), ValueError, "features"),
        Bad("finite", lambda: metrics.feature_statistics(NAN_F), ValueError, "features"),
    ],
    "imgen_helpers.metrics.frechet_distance": _feature_pair_cases(metrics.frechet_distance),
    "imgen_helpers.metrics.frechet_classifier_distance": [
        Bad(
            "type",
            lambda: metrics.frechet_classifier_distance("a.npy", DIGITS),
            TypeError,
            "images_a",
        ),
        Bad(
            "type",
            lambda: metrics.frechet_classifier_distance(DIGITS, generator),
            TypeError,
            "images_b",
        ),
        Bad(
            "rank",
            lambda: metrics.frechet_classifier_distance(DIGITS, DIGITS[0]),
            ValueError,
            "images_b",
        ),
        Bad(
            "range",
            lambda: metrics.frechet_classifier_distance(BYTES_AS_FLOAT, DIGITS),
            ValueError,
            "images_a",
        ),
        Bad(
            "finite",
            lambda: metrics.frechet_classifier_distance(DIGITS, NAN_DIGITS),
            ValueError,
            "images_b",
        ),
        Bad(
            "count",
            lambda: metrics.frechet_classifier_distance(DIGITS[:1], DIGITS),
            ValueError,
            "images_a",
        ),
        Bad(
            "count",
            lambda: metrics.frechet_classifier_distance(DIGITS, DIGITS, batch_size=0),
            ValueError,
            "batch_size",
        ),
    ],
    "imgen_helpers.metrics.polynomial_kernel": _feature_pair_cases(
        metrics.polynomial_kernel, "x", "y", min_rows=1
    ),
    "imgen_helpers.metrics.mmd2_unbiased": _feature_pair_cases(metrics.mmd2_unbiased, "x", "y"),
    "imgen_helpers.metrics.kernel_distance": [
        *_feature_pair_cases(metrics.kernel_distance),
        Bad(
            "count", lambda: metrics.kernel_distance(F, F, num_subsets=0), ValueError, "num_subsets"
        ),
        Bad(
            "type", lambda: metrics.kernel_distance(F, F, num_subsets="5"), TypeError, "num_subsets"
        ),
        Bad(
            "count", lambda: metrics.kernel_distance(F, F, subset_size=1), ValueError, "subset_size"
        ),
        Bad("value", lambda: metrics.kernel_distance(F, F, seed=-1), ValueError, "seed"),
        Bad("type", lambda: metrics.kernel_distance(F, F, seed=0.5), TypeError, "seed"),
    ],
    "imgen_helpers.metrics.pairwise_distances": [
        *_feature_pair_cases(metrics.pairwise_distances, "x", "y", min_rows=1),
        Bad(
            "count",
            lambda: metrics.pairwise_distances(F, F, batch_size=0),
            ValueError,
            "batch_size",
        ),
    ],
    "imgen_helpers.metrics.knn_radii": [
        Bad("type", lambda: metrics.knn_radii("features.npy"), TypeError, "features"),
        Bad("rank", lambda: metrics.knn_radii(F[0]), ValueError, "features"),
        Bad("finite", lambda: metrics.knn_radii(NAN_F), ValueError, "features"),
        Bad("count", lambda: metrics.knn_radii(F, k=10), ValueError, "k"),
        Bad("count", lambda: metrics.knn_radii(F, k=0), ValueError, "k"),
        Bad("type", lambda: metrics.knn_radii(F, k="3"), TypeError, "k"),
        Bad("count", lambda: metrics.knn_radii(F, batch_size=-1), ValueError, "batch_size"),
    ],
    "imgen_helpers.metrics.PrecisionRecall": [
        Bad("range", lambda: metrics.PrecisionRecall(1.5, 0.5), ValueError, "precision"),
        Bad("type", lambda: metrics.PrecisionRecall(0.5, "0.5"), TypeError, "recall"),
        Bad("finite", lambda: metrics.PrecisionRecall(np.nan, 0.5), ValueError, "precision"),
    ],
    "imgen_helpers.metrics.precision_recall": [
        *_feature_pair_cases(metrics.precision_recall, "real_features", "fake_features"),
        Bad("count", lambda: metrics.precision_recall(F, F, k=10), ValueError, "real_features"),
        Bad("count", lambda: metrics.precision_recall(F, F, k=0), ValueError, "k"),
        Bad("type", lambda: metrics.precision_recall(F, F, k=2.5), TypeError, "k"),
        Bad(
            "count", lambda: metrics.precision_recall(F, F, batch_size=0), ValueError, "batch_size"
        ),
    ],
    "imgen_helpers.metrics.nearest_neighbours": [
        Bad("type", lambda: metrics.nearest_neighbours("a.npy", DIGITS), TypeError, "samples"),
        Bad("type", lambda: metrics.nearest_neighbours(generator, DIGITS), TypeError, "samples"),
        Bad("rank", lambda: metrics.nearest_neighbours(DIGITS[0], DIGITS), ValueError, "samples"),
        Bad(
            "range",
            lambda: metrics.nearest_neighbours(DIGITS, BYTES_AS_FLOAT),
            ValueError,
            "training",
        ),
        Bad(
            "finite", lambda: metrics.nearest_neighbours(NAN_DIGITS, DIGITS), ValueError, "samples"
        ),
        Bad("count", lambda: metrics.nearest_neighbours(DIGITS, DIGITS, k=9), ValueError, "k"),
        Bad("count", lambda: metrics.nearest_neighbours(DIGITS, DIGITS, k=0), ValueError, "k"),
        Bad(
            "count",
            lambda: metrics.nearest_neighbours(DIGITS, DIGITS, batch_size=0),
            ValueError,
            "batch_size",
        ),
    ],
    "imgen_helpers.metrics.show_nearest_training": [
        Bad("type", lambda: metrics.show_nearest_training("a.npy", DIGITS), TypeError, "samples"),
        Bad("type", lambda: metrics.show_nearest_training(generator, DIGITS), TypeError, "samples"),
        Bad(
            "rank", lambda: metrics.show_nearest_training(DIGITS, DIGITS[0]), ValueError, "training"
        ),
        Bad(
            "range",
            lambda: metrics.show_nearest_training(BYTES_AS_FLOAT, DIGITS),
            ValueError,
            "samples",
        ),
        Bad(
            "finite",
            lambda: metrics.show_nearest_training(DIGITS, NAN_DIGITS),
            ValueError,
            "training",
        ),
        Bad("count", lambda: metrics.show_nearest_training(DIGITS, DIGITS, n=20), ValueError, "n"),
        Bad("count", lambda: metrics.show_nearest_training(DIGITS, DIGITS, n=0), ValueError, "n"),
        Bad("count", lambda: metrics.show_nearest_training(DIGITS, DIGITS, k=9), ValueError, "k"),
        Bad(
            "type",
            lambda: metrics.show_nearest_training(DIGITS, DIGITS, titles="yes"),
            TypeError,
            "titles",
        ),
    ],
    "imgen_helpers.metrics.MetricRow": [
        Bad("type", lambda: _row(name=3), TypeError, "name"),
        Bad("range", lambda: _row(precision=1.5), ValueError, "precision"),
        Bad("finite", lambda: _row(fcd=float("nan")), ValueError, "fcd"),
        Bad("type", lambda: _row(score="9"), TypeError, "score"),
        Bad("count", lambda: _row(n=0), ValueError, "n"),
    ],
    "imgen_helpers.metrics.noise_images": [
        Bad("count", lambda: metrics.noise_images(0), ValueError, "n"),
        Bad("count", lambda: metrics.noise_images(-5), ValueError, "n"),
        Bad("type", lambda: metrics.noise_images("100"), TypeError, "n"),
        Bad("value", lambda: metrics.noise_images(4, seed=-1), ValueError, "seed"),
        Bad("type", lambda: metrics.noise_images(4, seed=0.5), TypeError, "seed"),
    ],
    "imgen_helpers.metrics.measure": [
        Bad("type", lambda: metrics.measure(3, DIGITS, REFERENCE), TypeError, "name"),
        Bad("type", lambda: metrics.measure("gan", generator, REFERENCE), TypeError, "images"),
        Bad("type", lambda: metrics.measure("gan", "gan.npy", REFERENCE), TypeError, "images"),
        Bad("rank", lambda: metrics.measure("gan", DIGITS[0], REFERENCE), ValueError, "images"),
        Bad(
            "range", lambda: metrics.measure("gan", BYTES_AS_FLOAT, REFERENCE), ValueError, "images"
        ),
        Bad("finite", lambda: metrics.measure("gan", NAN_DIGITS, REFERENCE), ValueError, "images"),
        Bad("count", lambda: metrics.measure("gan", DIGITS[:3], REFERENCE), ValueError, "images"),
        Bad("compat", lambda: metrics.measure("gan", DIGITS, F), ValueError, "reference_features"),
        Bad(
            "rank",
            lambda: metrics.measure("gan", DIGITS, REFERENCE[0]),
            ValueError,
            "reference_features",
        ),
        Bad(
            "finite",
            lambda: metrics.measure("gan", DIGITS, REFERENCE * np.nan),
            ValueError,
            "reference_features",
        ),
        Bad("count", lambda: metrics.measure("gan", DIGITS, REFERENCE, k=0), ValueError, "k"),
        Bad(
            "count",
            lambda: metrics.measure("gan", DIGITS, REFERENCE, num_subsets=0),
            ValueError,
            "num_subsets",
        ),
        Bad(
            "count",
            lambda: metrics.measure("gan", DIGITS, REFERENCE, subset_size=1),
            ValueError,
            "subset_size",
        ),
        Bad(
            "value", lambda: metrics.measure("gan", DIGITS, REFERENCE, seed=-1), ValueError, "seed"
        ),
        Bad(
            "type",
            lambda: metrics.measure("gan", DIGITS, REFERENCE, batch_size="64"),
            TypeError,
            "batch_size",
        ),
    ],
    "imgen_helpers.metrics.evaluate_generators": [
        Bad("type", lambda: metrics.evaluate_generators([DIGITS], DIGITS), TypeError, "samples"),
        Bad(
            "type",
            lambda: metrics.evaluate_generators({"gan": generator}, DIGITS),
            TypeError,
            "samples['gan']",
        ),
        Bad(
            "name",
            lambda: metrics.evaluate_generators({"real floor": DIGITS}, DIGITS),
            ValueError,
            "samples",
        ),
        Bad(
            "name", lambda: metrics.evaluate_generators({3: DIGITS}, DIGITS), ValueError, "samples"
        ),
        Bad(
            "rank",
            lambda: metrics.evaluate_generators({"gan": DIGITS[0]}, DIGITS),
            ValueError,
            "samples['gan']",
        ),
        Bad(
            "range",
            lambda: metrics.evaluate_generators({"gan": BYTES_AS_FLOAT}, DIGITS),
            ValueError,
            "samples['gan']",
        ),
        Bad(
            "finite",
            lambda: metrics.evaluate_generators({"gan": DIGITS}, NAN_DIGITS),
            ValueError,
            "real",
        ),
        Bad(
            "type",
            lambda: metrics.evaluate_generators({"gan": DIGITS}, "real.npy"),
            TypeError,
            "real",
        ),
        Bad(
            "count",
            lambda: metrics.evaluate_generators({"gan": DIGITS[:3]}, DIGITS),
            ValueError,
            "samples['gan']",
        ),
        Bad(
            "count",
            lambda: metrics.evaluate_generators({"gan": DIGITS}, DIGITS[:5]),
            ValueError,
            "real",
        ),
        Bad(
            "count",
            lambda: metrics.evaluate_generators({"gan": DIGITS}, DIGITS, k=0),
            ValueError,
            "k",
        ),
        Bad(
            "count",
            lambda: metrics.evaluate_generators({"gan": DIGITS}, DIGITS, num_subsets=-1),
            ValueError,
            "num_subsets",
        ),
        Bad(
            "value",
            lambda: metrics.evaluate_generators({"gan": DIGITS}, DIGITS, seed=-1),
            ValueError,
            "seed",
        ),
    ],
    "imgen_helpers.metrics.format_report": [
        Bad("type", lambda: metrics.format_report(ROW), TypeError, "rows"),
        Bad("type", lambda: metrics.format_report("rows"), TypeError, "rows"),
        Bad("type", lambda: metrics.format_report([{"name": "gan"}]), TypeError, "rows[0]"),
        Bad("value", lambda: metrics.format_report([]), ValueError, "rows"),
    ],
    "imgen_helpers.metrics.plot_report": [
        Bad("type", lambda: metrics.plot_report(ROW), TypeError, "rows"),
        Bad("value", lambda: metrics.plot_report([]), ValueError, "rows"),
        Bad("type", lambda: metrics.plot_report([ROW], metrics="fcd"), TypeError, "metrics"),
        Bad("name", lambda: metrics.plot_report([ROW], metrics=("fid",)), ValueError, "metrics"),
    ],
    "imgen_helpers.metrics.metric_vs_sample_count": [
        Bad(
            "type",
            lambda: metrics.metric_vs_sample_count("frechet", F, F, [2]),
            TypeError,
            "metric",
        ),
        Bad(
            "compat",
            lambda: metrics.metric_vs_sample_count(metrics.frechet_distance, F, WIDE, [2]),
            ValueError,
            "features_b",
        ),
        Bad(
            "finite",
            lambda: metrics.metric_vs_sample_count(metrics.frechet_distance, NAN_F, F, [2]),
            ValueError,
            "features_a",
        ),
        Bad(
            "rank",
            lambda: metrics.metric_vs_sample_count(metrics.frechet_distance, F[0], F, [2]),
            ValueError,
            "features_a",
        ),
        Bad(
            "count",
            lambda: metrics.metric_vs_sample_count(metrics.frechet_distance, F, F, [5, 50]),
            ValueError,
            "counts[1]",
        ),
        Bad(
            "count",
            lambda: metrics.metric_vs_sample_count(metrics.frechet_distance, F, F, [1]),
            ValueError,
            "counts",
        ),
        Bad(
            "type",
            lambda: metrics.metric_vs_sample_count(metrics.frechet_distance, F, F, "100"),
            TypeError,
            "counts",
        ),
        Bad(
            "count",
            lambda: metrics.metric_vs_sample_count(metrics.frechet_distance, F, F, [5], repeats=0),
            ValueError,
            "repeats",
        ),
        Bad(
            "value",
            lambda: metrics.metric_vs_sample_count(metrics.frechet_distance, F, F, [5], seed=-1),
            ValueError,
            "seed",
        ),
    ],
    "imgen_helpers.metrics.plot_feature_gaussians": [
        Bad("type", lambda: metrics.plot_feature_gaussians([F, F]), TypeError, "sets"),
        Bad("value", lambda: metrics.plot_feature_gaussians({}), ValueError, "sets"),
        Bad("rank", lambda: metrics.plot_feature_gaussians({"a": F[0]}), ValueError, "sets['a']"),
        Bad(
            "compat",
            lambda: metrics.plot_feature_gaussians({"a": F, "b": WIDE}),
            ValueError,
            "sets['b']",
        ),
        Bad(
            "finite",
            lambda: metrics.plot_feature_gaussians({"a": F, "b": NAN_F}),
            ValueError,
            "sets['b']",
        ),
        Bad("value", lambda: metrics.plot_feature_gaussians({"a": F[:, :1]}), ValueError, "sets"),
        Bad(
            "name",
            lambda: metrics.plot_feature_gaussians({"a": F}, reference="real"),
            ValueError,
            "reference",
        ),
    ],
    "imgen_helpers.metrics.plot_knn_manifolds": [
        Bad("type", lambda: metrics.plot_knn_manifolds("real.npy", POINTS), TypeError, "real"),
        Bad("rank", lambda: metrics.plot_knn_manifolds(F, POINTS), ValueError, "real"),
        Bad("rank", lambda: metrics.plot_knn_manifolds(POINTS, POINTS[0]), ValueError, "fake"),
        Bad(
            "finite",
            lambda: metrics.plot_knn_manifolds(POINTS, POINTS * np.nan),
            ValueError,
            "fake",
        ),
        Bad("count", lambda: metrics.plot_knn_manifolds(POINTS[:3], POINTS), ValueError, "real"),
        Bad("count", lambda: metrics.plot_knn_manifolds(POINTS, POINTS, k=0), ValueError, "k"),
        Bad(
            "type", lambda: metrics.plot_knn_manifolds(POINTS, POINTS, title=5), TypeError, "title"
        ),
    ],
}

test_bad_inputs = parametrize(CASES)
