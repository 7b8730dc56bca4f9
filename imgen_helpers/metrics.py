"""Measuring generators offline: scores and distances read from the lesson-08 MNIST classifier.

Every metric here reads the small classifier of :mod:`imgen_helpers.classifier`, not
Inception-v3 (which cannot be downloaded offline and fits 28x28 digits badly), so the numbers
are NOT comparable with published Inception FID/KID/IS figures; they compare models within
this course.

* the classifier score (:func:`classifier_score`, the Inception Score analogue, at most 10),
  :func:`confident_fraction` and :func:`digits_covered`;
* Frechet distance on the penultimate features (:func:`frechet_distance`), its Gaussian
  closed form with a stable matrix square root (:func:`gaussian_frechet_distance`);
* the KID analogue (:func:`kernel_distance`): unbiased MMD^2 with the cubic polynomial kernel,
  averaged over subsets, with a standard deviation;
* improved precision and recall with k-nearest-neighbour manifolds (:func:`precision_recall`);
* a memorisation check (:func:`nearest_neighbours`, :func:`show_nearest_training`);
* how many samples a stable estimate needs (:func:`metric_vs_sample_count`);
* calibration (:func:`evaluate_generators`): every figure is shown next to the real-versus-real
  floor and a noise ceiling, so a number is never read alone.

Images are any ``(N, 28, 28)`` or ``(N, 28, 28, 1)`` array in ``[0, 1]`` or ``[-1, 1]``
(uint8 in ``[0, 255]`` is accepted too), checked by
:func:`imgen_helpers.classifier.as_unit_images`. Taught in ``08_evaluating_generators.ipynb``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ._moved import moved
from .classifier import (  # the inputs of every metric below; metrics.<name> keeps working
    as_unit_images,
    classifier_features,
    classifier_probs,
    features_and_probs,
)

_MOVED = {  # old metrics.<name> -> where it lives now
    name: f"imgen_helpers.classifier.{name}"
    for name in """CLASSIFIER_TEST_ACCURACY CLASSIFIER_WEIGHTS FEATURE_LAYER IMAGE_SHAPE NUM_CLASSES
    ClassifierConfig build_classifier classifier_accuracy classifier_logits load_classifier
    shift_digits train_classifier""".split()
} | {"main": "imgen_helpers.cli (the train-classifier command)"}


def __getattr__(name: str):
    moved(__name__, name, _MOVED)


# --------------------------------------------------------------------------------------
# Classifier score (Inception Score analogue) and confidence
# --------------------------------------------------------------------------------------


def score_from_probs(probs: np.ndarray, eps: float = 1e-12) -> float:
    """``exp(E_x KL(p(y|x) || p(y)))`` for class probabilities ``(N, C)``; between 1 and C."""
    p = np.asarray(probs, dtype=np.float64)
    if p.ndim != 2 or len(p) == 0:
        raise ValueError(f"probs must have shape (N, classes) with N >= 1; got {p.shape}.")
    marginal = p.mean(axis=0, keepdims=True)  # p(y)
    kl = np.sum(p * (np.log(p + eps) - np.log(marginal + eps)), axis=1)
    return float(np.exp(np.mean(kl)))


def classifier_score(images, batch_size: int = 500) -> float:
    """The classifier score, the MNIST analogue of the Inception Score (Salimans et al. 2016).

    ``exp(E_x KL(p(y|x) || p(y)))``: high when each digit is classified confidently (sharp)
    AND the classes are used evenly (diverse). 1 for a single repeated image; at most 10.
    It never looks at real data, so it cannot see memorisation or wrong-looking strokes.

    Args:
        images: ``(N, 28, 28[, 1])`` in ``[0, 1]`` or ``[-1, 1]`` (or uint8).
        batch_size: images per forward pass.

    Returns:
        A float in ``[1, 10]``.
    """
    return score_from_probs(classifier_probs(images, batch_size))


def confident_fraction(images, threshold: float = 0.9, batch_size: int = 500) -> float:
    """Share of images whose largest class probability is at least ``threshold``.

    Args:
        images: ``(N, 28, 28[, 1])`` in ``[0, 1]`` or ``[-1, 1]`` (or uint8).
        threshold: probability in ``(0, 1]``.
        batch_size: images per forward pass.

    Returns:
        A float in ``[0, 1]``.
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold!r}.")
    return float(np.mean(classifier_probs(images, batch_size).max(axis=1) >= threshold))


def digits_covered(images, min_share: float = 0.03, batch_size: int = 500) -> int:
    """How many of the 10 digit classes get at least ``min_share`` of the samples.

    A quick coverage count for generated digits, judged by the shipped classifier: 10 for a
    balanced set, 1 for a generator that draws one digit. Taught in ``04_gan_failure_modes.ipynb``
    and ``05_vae.ipynb``.

    Args:
        images: (N, 28, 28[, 1]) in [0, 1] or [-1, 1].
        min_share: the fraction of samples a class needs to count, in (0, 0.1].
        batch_size: images per classifier call.
    """
    valid = isinstance(min_share, int | float) and not isinstance(min_share, bool)
    if not valid or not 0 < min_share <= 0.1:
        raise ValueError(
            f"min_share must be in (0, 0.1] (a balanced set gives each digit 0.1); "
            f"got {min_share!r}."
        )
    predicted = classifier_probs(images, batch_size).argmax(axis=1)
    shares = np.bincount(predicted, minlength=10) / len(predicted)
    return int((shares >= min_share).sum())


# --------------------------------------------------------------------------------------
# Frechet distance
# --------------------------------------------------------------------------------------


def _check_features(features, name: str, min_rows: int = 2) -> np.ndarray:
    f = np.asarray(features, dtype=np.float64)
    if f.ndim != 2 or len(f) < min_rows:
        raise ValueError(
            f"{name} must be a 2-D array (samples, features) with at least {min_rows} rows; "
            f"got shape {f.shape}. Compute features with classifier_features(images)."
        )
    if not np.all(np.isfinite(f)):
        raise ValueError(f"{name} contains NaN or infinite values.")
    return f


def _psd_sqrt(matrix: np.ndarray) -> np.ndarray:
    """Square root of a symmetric positive semi-definite matrix via its eigen-decomposition."""
    sym = (matrix + matrix.T) / 2  # rounding can make a covariance slightly asymmetric
    values, vectors = np.linalg.eigh(sym)
    return (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T


def gaussian_frechet_distance(
    mean_a: np.ndarray, cov_a: np.ndarray, mean_b: np.ndarray, cov_b: np.ndarray
) -> float:
    """Squared Frechet (2-Wasserstein) distance between two Gaussians.

    ``||m_a - m_b||^2 + tr(C_a + C_b - 2 (C_a^1/2 C_b C_a^1/2)^1/2)`` (Heusel et al. 2017).

    The trace term is computed as the sum of square roots of the eigenvalues of the
    symmetric matrix ``C_a^1/2 C_b C_a^1/2``, so no complex numbers appear (the
    ``scipy.linalg.sqrtm(C_a @ C_b)`` route of the reference FID code can return imaginary
    parts on ill-conditioned covariances, and then needs an epsilon on the diagonal).
    Tiny negative eigenvalues from rounding are clipped to 0.

    Args:
        mean_a, mean_b: means ``(D,)``.
        cov_a, cov_b: covariances ``(D, D)``, symmetric positive semi-definite.

    Returns:
        The distance as a float ``>= 0`` (clipped at 0 against rounding).
    """
    m_a, m_b = np.asarray(mean_a, np.float64), np.asarray(mean_b, np.float64)
    c_a, c_b = np.asarray(cov_a, np.float64), np.asarray(cov_b, np.float64)
    d = m_a.shape[0]
    if m_a.shape != (d,) or m_b.shape != (d,) or c_a.shape != (d, d) or c_b.shape != (d, d):
        raise ValueError(
            f"expected means (D,) and covariances (D, D) of one size D; got {m_a.shape}, "
            f"{c_a.shape}, {m_b.shape}, {c_b.shape}."
        )
    root_a = _psd_sqrt(c_a)
    middle = root_a @ c_b @ root_a
    eigenvalues = np.linalg.eigvalsh((middle + middle.T) / 2)
    trace_sqrt = float(np.sum(np.sqrt(np.clip(eigenvalues, 0.0, None))))
    distance = float(np.sum((m_a - m_b) ** 2) + np.trace(c_a) + np.trace(c_b) - 2 * trace_sqrt)
    return max(distance, 0.0)


def feature_statistics(features) -> tuple[np.ndarray, np.ndarray]:
    """Mean ``(D,)`` and covariance ``(D, D)`` (float64, unbiased) of features ``(N, D)``."""
    f = _check_features(features, "features")
    return f.mean(axis=0), np.cov(f, rowvar=False)


def frechet_distance(features_a, features_b) -> float:
    """Frechet distance between two feature sets, each summarised as a Gaussian.

    On the classifier's penultimate features this is the "Frechet Classifier Distance", the
    MNIST analogue of FID (Heusel et al. 2017). 0 for identical sets; grows as the sets
    differ. Biased upwards for small N (see the sample-count section of lesson 08): only
    compare figures computed with the same number of samples.

    Args:
        features_a, features_b: ``(N_a, D)`` and ``(N_b, D)`` arrays, e.g. from
            :func:`classifier_features`.

    Returns:
        A float ``>= 0``.
    """
    mean_a, cov_a = feature_statistics(features_a)
    mean_b, cov_b = feature_statistics(features_b)
    return gaussian_frechet_distance(mean_a, cov_a, mean_b, cov_b)


def frechet_classifier_distance(images_a, images_b, batch_size: int = 500) -> float:
    """:func:`frechet_distance` of two image batches on the shipped classifier's features."""
    return frechet_distance(
        classifier_features(images_a, batch_size), classifier_features(images_b, batch_size)
    )


# --------------------------------------------------------------------------------------
# Kernel distance (KID analogue)
# --------------------------------------------------------------------------------------


def polynomial_kernel(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Cubic polynomial kernel ``k(x, y) = (x.y / D + 1)^3`` between rows, ``(N, M)``."""
    base = x @ y.T / x.shape[1] + 1.0
    return base * base * base  # much faster than ** 3 on large arrays


def mmd2_unbiased(x: np.ndarray, y: np.ndarray) -> float:
    """Unbiased estimate of MMD^2 with the cubic kernel (Binkowski et al. 2018).

    The diagonal terms ``k(x_i, x_i)`` are left out, which makes the estimate unbiased: it
    averages to exactly 0 when both sets come from one distribution, and can be negative.

    Args:
        x, y: feature sets ``(m, D)`` and ``(n, D)``, with m, n >= 2.
    """
    m, n = len(x), len(y)
    k_xx, k_yy, k_xy = polynomial_kernel(x, x), polynomial_kernel(y, y), polynomial_kernel(x, y)
    term_xx = (k_xx.sum() - np.trace(k_xx)) / (m * (m - 1))
    term_yy = (k_yy.sum() - np.trace(k_yy)) / (n * (n - 1))
    return float(term_xx + term_yy - 2 * k_xy.mean())


def _subset(rows: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """``size`` distinct rows of ``rows`` drawn at random."""
    return rows[rng.choice(len(rows), size, replace=False)]


def kernel_distance(
    features_a, features_b, num_subsets: int = 100, subset_size: int | None = None, seed: int = 0
) -> tuple[float, float]:
    """The KID analogue: unbiased MMD^2 with the cubic kernel, averaged over random subsets.

    Unlike the Frechet distance it has no bias from the sample size, so small sets can be
    compared fairly; the spread over subsets gives an error bar.

    Args:
        features_a, features_b: ``(N_a, D)`` and ``(N_b, D)`` features.
        num_subsets: how many random subsets (drawn without replacement within a subset).
        subset_size: rows per subset, capped at the smaller set's size. None: 1,000 or half
            the smaller set, whichever is less (subsets as large as the set would all be
            the same, and the spread would read 0).
        seed: seeds the subset draws.

    Returns:
        ``(mean, std)`` of the subset estimates. Two samples of one distribution give a
        mean within about one std of 0.
    """
    a = _check_features(features_a, "features_a")
    b = _check_features(features_b, "features_b")
    if a.shape[1] != b.shape[1]:
        raise ValueError(f"feature sizes differ: {a.shape[1]} vs {b.shape[1]}.")
    smaller = min(len(a), len(b))
    if subset_size is None:
        subset_size = max(2, min(1000, smaller // 2))
    if num_subsets < 1 or subset_size < 2:
        raise ValueError("num_subsets must be >= 1 and subset_size >= 2.")
    size = min(subset_size, smaller)
    rng = np.random.default_rng(seed)
    estimates = [
        mmd2_unbiased(_subset(a, size, rng), _subset(b, size, rng)) for _ in range(num_subsets)
    ]
    return float(np.mean(estimates)), float(np.std(estimates))


# --------------------------------------------------------------------------------------
# Improved precision and recall (k-nearest-neighbour manifolds)
# --------------------------------------------------------------------------------------


def pairwise_distances(x: np.ndarray, y: np.ndarray, batch_size: int = 1000) -> np.ndarray:
    """Euclidean distances between the rows of ``x`` ``(N, D)`` and ``y`` ``(M, D)``, ``(N, M)``."""
    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
    y_sq = np.sum(y**2, axis=1)[None, :]
    rows = []
    for i in range(0, len(x), batch_size):
        chunk = x[i : i + batch_size]
        sq = np.sum(chunk**2, axis=1)[:, None] + y_sq - 2 * chunk @ y.T  # (batch, M)
        rows.append(np.sqrt(np.clip(sq, 0.0, None)))
    return np.concatenate(rows).astype(np.float32)


def knn_radii(features: np.ndarray, k: int = 3, batch_size: int = 1000) -> np.ndarray:
    """Distance from each row to its k-th nearest other row, ``(N,)``."""
    f = np.asarray(features, np.float64)
    if not 1 <= k < len(f):
        raise ValueError(f"k must be between 1 and N-1 = {len(f) - 1}; got k={k}.")
    radii = []
    for i in range(0, len(f), batch_size):
        d = pairwise_distances(f[i : i + batch_size], f)
        # Column k after sorting: index 0 is the point itself at distance 0.
        radii.append(np.partition(d, k, axis=1)[:, k])
    return np.concatenate(radii)


def _coverage(queries: np.ndarray, support: np.ndarray, radii: np.ndarray, batch: int) -> float:
    inside = [
        np.any(pairwise_distances(queries[i : i + batch], support) <= radii[None, :], axis=1)
        for i in range(0, len(queries), batch)
    ]
    return float(np.mean(np.concatenate(inside)))


class PrecisionRecall(NamedTuple):
    """Improved precision and recall, each in [0, 1]."""

    precision: float  # share of generated samples inside the real manifold (fidelity)
    recall: float  # share of real samples inside the generated manifold (coverage)


def precision_recall(
    real_features, fake_features, k: int = 3, batch_size: int = 1000
) -> PrecisionRecall:
    """Improved precision and recall (Kynkaanniemi et al. 2019).

    Each set's manifold is the union of balls around its points, each ball reaching the
    point's k-th nearest neighbour in the same set. Precision: the share of generated
    samples that fall inside the real manifold ("are the samples realistic?"). Recall: the
    share of real samples inside the generated manifold ("is all of the data covered?").
    A collapsed but sharp generator has high precision and low recall; a blurry one that
    covers everything tends the other way.

    Args:
        real_features: ``(N, D)`` features of real images.
        fake_features: ``(M, D)`` features of generated images.
        k: neighbour whose distance sets each ball's radius (3 in the paper).
        batch_size: rows per block of the distance matrix (bounds the memory).

    Returns:
        :class:`PrecisionRecall` ``(precision, recall)``.
    """
    real = _check_features(real_features, "real_features", min_rows=k + 1)
    fake = _check_features(fake_features, "fake_features", min_rows=k + 1)
    if real.shape[1] != fake.shape[1]:
        raise ValueError(f"feature sizes differ: {real.shape[1]} vs {fake.shape[1]}.")
    precision = _coverage(fake, real, knn_radii(real, k, batch_size), batch_size)
    recall = _coverage(real, fake, knn_radii(fake, k, batch_size), batch_size)
    return PrecisionRecall(precision, recall)


# --------------------------------------------------------------------------------------
# Memorisation check
# --------------------------------------------------------------------------------------


def nearest_neighbours(
    samples, training, k: int = 3, batch_size: int = 500
) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` training images closest in pixel space (L2) to each sample.

    A generator that memorised its data produces samples at (almost) zero distance from a
    training image; compare with the distances of held-out real digits, which were never
    seen and so show how close an honest new digit typically lands.

    Args:
        samples: ``(N, 28, 28[, 1])`` in ``[0, 1]`` or ``[-1, 1]`` (or uint8).
        training: ``(M, 28, 28[, 1])``, the generator's training images, same ranges.
        k: neighbours per sample.
        batch_size: samples per block of the distance matrix.

    Returns:
        ``(indices, distances)``, each ``(N, k)``, nearest first; distances are pixel L2 in
        the ``[0, 1]`` range.
    """
    queries = as_unit_images(samples, name="samples").reshape(-1, 28 * 28)
    support = as_unit_images(training, name="training").reshape(-1, 28 * 28)
    if not 1 <= k <= len(support):
        raise ValueError(f"k must be between 1 and the number of training images; got {k}.")
    indices, distances = [], []
    for i in range(0, len(queries), batch_size):
        d = pairwise_distances(queries[i : i + batch_size], support)
        nearest = np.argsort(d, axis=1, kind="stable")[:, :k]
        indices.append(nearest)
        distances.append(np.take_along_axis(d, nearest, axis=1))
    return np.concatenate(indices), np.concatenate(distances)


def show_nearest_training(samples, training, k: int = 3, n: int = 6, titles: bool = True):
    """Grid with one row per sample: the sample, then its ``k`` nearest training images.

    Args:
        samples: generated images ``(N, 28, 28[, 1])`` (the first ``n`` are shown).
        training: the training images searched.
        k: neighbours shown per sample.
        n: rows.
        titles: write the L2 distance above each neighbour.

    Returns:
        ``(figure, distances)`` with ``distances`` of shape ``(n, k)``.
    """
    from .plotting import show_grid

    shown = as_unit_images(samples, name="samples")[:n]
    train = as_unit_images(training, name="training")
    indices, distances = nearest_neighbours(shown, train, k)
    tiles = np.concatenate(
        [np.concatenate([s[None], train[i]]) for s, i in zip(shown, indices, strict=True)]
    )
    labels = None
    if titles:
        labels = [text for row in distances for text in ["sample"] + [f"d={d:.2f}" for d in row]]
    return show_grid(tiles, titles=labels, ncols=k + 1, value_range="unit"), distances


# --------------------------------------------------------------------------------------
# Calibrated report: the real floor, the model, the noise ceiling
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MetricRow:
    """All figures for one set of images, measured against the same real reference."""

    name: str  # what was measured ("real floor", a model's name, "noise ceiling")
    fcd: float  # Frechet classifier distance to the reference (lower is better)
    kid: float  # kernel distance (KID analogue) to the reference, mean over subsets
    kid_std: float  # standard deviation of the kernel distance over subsets
    score: float  # classifier score, in [1, 10] (higher is better)
    confident: float  # share of images classified with probability >= 0.9
    precision: float  # improved precision against the reference
    recall: float  # improved recall against the reference
    n: int  # number of images measured


def noise_images(n: int, seed: int = 0) -> np.ndarray:
    """The noise ceiling: ``n`` uniform-noise images, float32 ``(n, 28, 28, 1)`` in ``[0, 1]``."""
    return np.random.default_rng(seed).uniform(0, 1, (n, 28, 28, 1)).astype(np.float32)


def measure(
    name: str,
    images,
    reference_features: np.ndarray,
    k: int = 3,
    num_subsets: int = 50,
    subset_size: int | None = None,
    seed: int = 0,
    batch_size: int = 500,
) -> MetricRow:
    """Every metric for one image set against precomputed reference features.

    Args:
        name: the row's label.
        images: ``(N, 28, 28[, 1])`` in ``[0, 1]`` or ``[-1, 1]`` (or uint8).
        reference_features: ``(M, 128)`` from :func:`classifier_features` of real images.
        k: neighbours for precision and recall.
        num_subsets, subset_size: for the kernel distance (see :func:`kernel_distance`).
        seed: seeds the kernel-distance subsets.
        batch_size: images per classifier forward pass.

    Returns:
        A :class:`MetricRow`.
    """
    x = as_unit_images(images, name=name)
    features, probs = features_and_probs(x, batch_size)
    kid, kid_std = kernel_distance(features, reference_features, num_subsets, subset_size, seed)
    pr = precision_recall(reference_features, features, k)
    return MetricRow(
        name=name,
        fcd=frechet_distance(features, reference_features),
        kid=kid,
        kid_std=kid_std,
        score=score_from_probs(probs),
        confident=float(np.mean(probs.max(axis=1) >= 0.9)),
        precision=pr.precision,
        recall=pr.recall,
        n=len(x),
    )


def evaluate_generators(
    samples: Mapping[str, object],
    real,
    k: int = 3,
    num_subsets: int = 50,
    subset_size: int | None = None,
    seed: int = 0,
) -> list[MetricRow]:
    """Measure each model next to the real-versus-real floor and the noise ceiling.

    ``real`` is split into two disjoint random halves: the second half is the reference
    every row is measured against; the first half, measured like a model, gives the floor
    (the best any generator can hope for with this many samples). Uniform noise gives the
    ceiling. Every row uses the same number of images (half of ``real``), because the
    Frechet distance and precision/recall depend on the sample count.

    Args:
        samples: model name -> generated images ``(N, 28, 28[, 1])``, each with at least
            ``len(real) // 2`` images (extra ones are ignored).
        real: real digits (not the generators' training set if you can: held-out digits).
        k: neighbours for precision and recall.
        num_subsets, subset_size: for the kernel distance.
        seed: seeds the split, the noise and the subsets.

    Returns:
        Rows: ``"real floor"``, one per model in order, ``"noise ceiling"``.
    """
    real_x = as_unit_images(real, name="real")
    half = len(real_x) // 2
    if half < max(k + 1, 2):
        raise ValueError(f"real needs at least {2 * (k + 1)} images, got {len(real_x)}.")
    order = np.random.default_rng(seed).permutation(len(real_x))
    floor_x, reference_x = real_x[order[:half]], real_x[order[half : 2 * half]]
    reference = classifier_features(reference_x)
    options = dict(k=k, num_subsets=num_subsets, subset_size=subset_size, seed=seed)
    rows = [measure("real floor", floor_x, reference, **options)]
    for name, images in samples.items():
        x = as_unit_images(images, name=name)
        if len(x) < half:
            raise ValueError(
                f"{name}: got {len(x)} samples, need at least {half} (half of the real set) "
                "so every row uses the same count; generate more or pass fewer real images."
            )
        rows.append(measure(name, x[:half], reference, **options))
    rows.append(measure("noise ceiling", noise_images(half, seed), reference, **options))
    return rows


def format_report(rows: Sequence[MetricRow]) -> str:
    """The rows as a Markdown table (print it, or show it with ``IPython.display.Markdown``)."""
    lines = [
        "| set | n | FCD (lower) | KID (lower) | score (max 10) | confident | precision | recall |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r.name} | {r.n} | {r.fcd:.2f} | {r.kid:.3f} +- {r.kid_std:.3f} | "
            f"{r.score:.2f} | {r.confident:.2f} | {r.precision:.2f} | {r.recall:.2f} |"
        )
    return "\n".join(lines)


def plot_report(
    rows: Sequence[MetricRow],
    metrics: Sequence[str] = ("fcd", "kid", "score", "precision", "recall"),
):
    """Bar charts, one panel per metric, every set side by side (floor and ceiling included).

    Returns:
        The matplotlib figure.
    """
    import matplotlib.pyplot as plt

    names = [r.name for r in rows]
    fig, axes = plt.subplots(1, len(metrics), figsize=(3.2 * len(metrics), 3.2), squeeze=False)
    for ax, metric in zip(axes[0], metrics, strict=True):
        values = [getattr(r, metric) for r in rows]
        errors = [r.kid_std for r in rows] if metric == "kid" else None
        ax.bar(range(len(rows)), values, yerr=errors, color=plt.cm.tab10(np.arange(len(rows))))
        ax.set_xticks(range(len(rows)), names, rotation=45, ha="right", fontsize=8)
        ax.set_title(metric)
        ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return fig


def metric_vs_sample_count(
    metric: Callable[[np.ndarray, np.ndarray], float],
    features_a,
    features_b,
    counts: Sequence[int],
    repeats: int = 5,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """A metric between random subsets of two feature sets, for several subset sizes.

    Shows how many samples a stable estimate needs: with :func:`frechet_distance` the mean
    falls as the count grows (it is biased upwards for small N) and the spread narrows; an
    unbiased estimate such as the kernel distance stays centred and only narrows.

    Args:
        metric: a function of two feature arrays returning a float, e.g. ``frechet_distance``.
        features_a, features_b: ``(N_a, D)`` and ``(N_b, D)`` features.
        counts: subset sizes to try (each at most ``min(N_a, N_b)``).
        repeats: random subsets per size.
        seed: seeds the subsets.

    Returns:
        ``(means, stds)`` over the repeats, each ``(len(counts),)``.
    """
    a = _check_features(features_a, "features_a")
    b = _check_features(features_b, "features_b")
    rng = np.random.default_rng(seed)
    means, stds = [], []
    for count in counts:
        if not 2 <= count <= min(len(a), len(b)):
            raise ValueError(f"each count must be in [2, {min(len(a), len(b))}]; got {count}.")
        values = [metric(_subset(a, count, rng), _subset(b, count, rng)) for _ in range(repeats)]
        means.append(np.mean(values))
        stds.append(np.std(values))
    return np.asarray(means), np.asarray(stds)


# --------------------------------------------------------------------------------------
# Teaching pictures
# --------------------------------------------------------------------------------------


def plot_feature_gaussians(sets: Mapping[str, np.ndarray], reference: str | None = None):
    """Scatter feature sets on the two main axes of one set, each with its 2-sigma ellipse.

    The Frechet distance compares exactly these Gaussians (in all 128 dimensions, not two).

    Args:
        sets: name -> features ``(N, D)``.
        reference: the set whose principal axes define the plane (default: the first).

    Returns:
        The matplotlib figure.
    """
    import matplotlib.pyplot as plt

    names = list(sets)
    base = _check_features(sets[reference or names[0]], "reference features")
    center = base.mean(axis=0)
    _, _, axes = np.linalg.svd(base - center, full_matrices=False)
    fig, ax = plt.subplots(figsize=(5, 4.5))
    angle = np.linspace(0, 2 * np.pi, 100)
    for i, name in enumerate(names):
        points = (np.asarray(sets[name], np.float64) - center) @ axes[:2].T  # (N, 2)
        colour = plt.cm.tab10(i)
        ax.scatter(points[:, 0], points[:, 1], s=3, alpha=0.3, color=colour)
        values, vectors = np.linalg.eigh(np.cov(points, rowvar=False))
        radii = 2 * np.sqrt(np.clip(values, 0, None))  # two standard deviations per axis
        ellipse = vectors @ (radii[:, None] * np.stack([np.cos(angle), np.sin(angle)]))  # (2, 100)
        mean = points.mean(axis=0)
        ax.plot(mean[0] + ellipse[0], mean[1] + ellipse[1], color=colour, lw=2, label=name)
    ax.set_xlabel("principal axis 1")
    ax.set_ylabel("principal axis 2")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_knn_manifolds(real: np.ndarray, fake: np.ndarray, k: int = 3, title: str = ""):
    """2-D picture of improved precision and recall: points and their k-NN balls.

    Args:
        real, fake: 2-D points ``(N, 2)`` and ``(M, 2)``.
        k: neighbour that sets each ball's radius.
        title: axes title (the precision and recall are appended).

    Returns:
        The matplotlib figure.
    """
    import matplotlib.pyplot as plt
    from matplotlib.collections import EllipseCollection

    real, fake = np.asarray(real, np.float64), np.asarray(fake, np.float64)
    if real.ndim != 2 or real.shape[1] != 2 or fake.ndim != 2 or fake.shape[1] != 2:
        raise ValueError("plot_knn_manifolds draws 2-D points: give arrays of shape (N, 2).")
    pr = precision_recall(real, fake, k)
    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    for points, colour in ((real, "tab:blue"), (fake, "tab:orange")):
        diameters = 2 * knn_radii(points, k)
        ax.add_collection(
            EllipseCollection(
                diameters,
                diameters,
                0.0,
                units="xy",
                offsets=points,
                offset_transform=ax.transData,
                facecolors=colour,
                alpha=0.08,
                linewidths=0,
            )
        )
    ax.scatter(*real.T, s=6, color="tab:blue", label="real")
    ax.scatter(*fake.T, s=6, color="tab:orange", label="generated")
    ax.set_aspect("equal")
    ax.legend(fontsize=8, loc="upper right")
    ax.set_title(
        f"{title} precision {pr.precision:.2f}, recall {pr.recall:.2f}".strip(), fontsize=10
    )
    fig.tight_layout()
    return fig
