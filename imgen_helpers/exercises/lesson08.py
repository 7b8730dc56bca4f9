"""Checks for the exercises of ``08_evaluating_generators``: Frechet distance, KID, precision."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
from scipy import linalg

from .. import metrics
from .grading import Wrong, call, numbers, verdict


def _features(seed: int, n: int = 200, d: int = 4, shift: float = 0.0) -> np.ndarray:
    """``n`` correlated features ``(n, d)``: a random linear map of normal draws, plus ``shift``."""
    rng = np.random.default_rng(seed)
    mixing = rng.normal(size=(d, d))
    return rng.normal(size=(n, d)) @ mixing + shift


def check_frechet(fn: Callable, name: str = "Exercise 1") -> bool:
    """``fn(a, b)``: the Frechet distance between feature sets ``a`` (N, D) and ``b`` (M, D).

    Called on three pairs of small 4-D sets (one set against itself, against a shifted copy,
    against a set with another covariance) and compared with ``metrics.frechet_distance``.
    Rejects a missing squared mean difference, the mean difference not squared, a missing 2
    before the square root, the element-wise square root instead of the matrix one, the
    covariance over the wrong axis (rows as variables) and sqrt(A) sqrt(B) for sqrt(AB).
    """
    return verdict(name, _quietly(_frechet_problems), fn)


def _quietly(find_problems):
    """``find_problems`` with NumPy's and SciPy's warnings silenced: the verdict says it all.

    The wrong answers (an element-wise square root of negative entries, sqrtm of a singular
    (N, N) covariance) warn, and so do the check's own models of them.
    """

    def quiet(fn):
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            find_problems(fn)

    return quiet


def _frechet_variants(a, b):
    """The usual wrong versions of the distance, each with what a learner should hear."""
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)  # (D, D)
    mean_a, mean_b = a.mean(0), b.mean(0)
    squared = np.sum((mean_a - mean_b) ** 2)
    root = linalg.sqrtm(cov_a @ cov_b).real
    trace = np.trace(cov_a + cov_b - 2 * root)
    row_cov_a, row_cov_b = np.cov(a), np.cov(b)  # (N, N): rows taken as the variables
    elementwise = np.nan_to_num(np.sqrt(cov_a @ cov_b))  # where it is not NaN
    biased_a, biased_b = np.cov(a, rowvar=False, bias=True), np.cov(b, rowvar=False, bias=True)
    return [
        (
            squared + np.trace(biased_a + biased_b - 2 * linalg.sqrtm(biased_a @ biased_b).real),
            "close, but your covariances divide by N: np.cov (and the course) divide by N - 1, "
            "the unbiased estimate (no bias=True or ddof=0).",
        ),
        (
            squared + np.trace(cov_a + cov_b - 2 * elementwise),
            "np.sqrt takes the square root of every entry: the formula needs the matrix "
            "square root, scipy.linalg.sqrtm.",
        ),
        (trace, "the squared distance between the means is missing: add ||mu_a - mu_b||^2."),
        (np.sqrt(squared) + trace, "square the distance between the means: ||mu_a - mu_b||^2."),
        (
            squared + np.trace(cov_a + cov_b - root),
            "the square root term needs a factor 2: tr(S_a + S_b - 2 sqrtm(S_a S_b)).",
        ),
        (
            squared + np.trace(cov_a + cov_b - 2 * linalg.sqrtm(cov_a) @ linalg.sqrtm(cov_b)).real,
            "sqrtm(S_a) sqrtm(S_b) is not sqrtm(S_a S_b) (covariances rarely commute): take the "
            "square root of the product.",
        ),
        (
            squared
            + np.trace(row_cov_a + row_cov_b - 2 * linalg.sqrtm(row_cov_a @ row_cov_b).real),
            "your covariances describe the rows, not the features: np.cov treats rows as "
            "variables unless you pass rowvar=False (the result should be (D, D)).",
        ),
        (
            np.sum((a.mean(1) - b.mean(1)) ** 2) + trace,
            "your means run over the wrong axis: "
            "the mean feature vector is a.mean(axis=0), one number per feature.",
        ),
        (
            np.sqrt(max(squared + trace, 0.0)),
            "the Frechet distance of the lesson is the squared "
            "one, d^2: do not take the square root of the sum.",
        ),
    ]


def _frechet_problems(fn):
    a = _features(0)
    pairs = {  # the general case first: each wrong answer below gives a number there
        "my_frechet(a, b)": (a, _features(1, shift=0.5)),
        "my_frechet(a, a + 1)": (a, a + 1.0),
        "my_frechet(a, a)": (a, a),
    }
    for what, (x, y) in pairs.items():
        raw = call(fn, x.copy(), y.copy())
        try:
            value = np.asarray(raw)
            if value.size == 1 and np.iscomplexobj(value):
                value = value.real  # a complex 0j part from sqrtm is harmless
            value = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            raise Wrong(f"{what} should be one number, got {type(raw).__name__}.") from None
        if value.size == 1 and np.isnan(value):
            raise Wrong(
                f"{what} is NaN: np.sqrt takes the square root of every entry, and some entries "
                "of the product are negative; the matrix square root is scipy.linalg.sqrtm."
            )
        got = float(numbers(value, what, shape=()))
        right = metrics.frechet_distance(x, y)
        if abs(got - right) <= 1e-4 * max(1.0, right):
            continue
        for wrong, message in _frechet_variants(x, y):
            if abs(got - wrong) <= 1e-4 * max(1.0, abs(wrong)):
                raise Wrong(message)
        raise Wrong(
            f"{what} gives {got:.4g}, expected {right:.4g}: "
            "||mu_a - mu_b||^2 + tr(S_a + S_b - 2 sqrtm(S_a S_b)), with means and covariances "
            "over the rows (np.cov(a, rowvar=False))."
        )


def check_mmd2(fn: Callable, name: str = "Exercise 2") -> bool:
    """``fn(x, y)``: the unbiased MMD^2 with the cubic kernel ``k(u, v) = (u.v / D + 1)^3``.

    Called on two pairs of sets of different sizes (one distribution twice, then two different
    ones) and compared with ``metrics.mmd2_unbiased``. Rejects the diagonal terms kept (the
    biased estimate), the diagonal dropped but the sum still divided by m^2, the cross term
    without its factor 2, and a kernel without the 1 / D, without the + 1 or with power 2.
    """
    return verdict(name, _mmd2_problems, fn)


def _mmd2(x, y, kernel, diagonal=False, divide_square=False, cross=2.0):
    m, n = len(x), len(y)
    k_xx, k_yy, k_xy = kernel(x, x), kernel(y, y), kernel(x, y)
    if diagonal:
        term_xx, term_yy = k_xx.mean(), k_yy.mean()
    else:
        dm, dn = (m * m, n * n) if divide_square else (m * (m - 1), n * (n - 1))
        term_xx = (k_xx.sum() - np.trace(k_xx)) / dm
        term_yy = (k_yy.sum() - np.trace(k_yy)) / dn
    return term_xx + term_yy - cross * k_xy.mean()


def _cubic(x, y):
    return (x @ y.T / x.shape[1] + 1) ** 3


def _mmd2_problems(fn):
    rng = np.random.default_rng(3)
    pairs = {
        "my_mmd2(x, y) for one distribution": (rng.normal(size=(40, 4)), rng.normal(size=(30, 4))),
        "my_mmd2(x, y) for two distributions": (_features(2, n=40), _features(4, n=30, shift=0.3)),
    }
    for what, (x, y) in pairs.items():
        got = float(numbers(call(fn, x.copy(), y.copy()), what, shape=()))
        right = metrics.mmd2_unbiased(x, y)
        if abs(got - right) <= 1e-6 * max(1.0, abs(right)):
            continue
        mistakes = [
            (
                _mmd2(x, y, _cubic, diagonal=True),
                "you keep the terms k(x_i, x_i) that compare "
                "a point with itself: that is the biased estimate; leave out the diagonals of "
                "K_xx and K_yy.",
            ),
            (
                _mmd2(x, y, _cubic, divide_square=True),
                "after leaving out the diagonal, m(m - 1) "
                "pairs remain: divide by m(m - 1), not m^2.",
            ),
            (
                _mmd2(x, y, _cubic, cross=1.0),
                "the cross term counts twice: subtract 2 times the mean of K_xy.",
            ),
            (
                _mmd2(x, y, lambda u, v: (u @ v.T + 1) ** 3),
                "divide the dot product by the number of features D: (x.y / D + 1)^3.",
            ),
            (
                _mmd2(x, y, lambda u, v: (u @ v.T / u.shape[1]) ** 3),
                "the kernel is (x.y / D + 1)^3: the + 1 is missing.",
            ),
            (
                _mmd2(x, y, lambda u, v: (u @ v.T / u.shape[1] + 1) ** 2),
                "the kernel is cubic: (x.y / D + 1)^3.",
            ),
        ]
        for wrong, message in mistakes:
            if abs(got - wrong) <= 1e-6 * max(1.0, abs(wrong)):
                raise Wrong(message)
        raise Wrong(
            f"{what} gives {got:.4g}, expected {right:.4g}: mean of K_xx off its diagonal + "
            "mean of K_yy off its diagonal - 2 * mean of K_xy, with k(x, y) = (x.y / D + 1)^3."
        )


def check_precision(fn: Callable, name: str = "Exercise 3") -> bool:
    """``fn(real, fake, k)``: improved precision, the share of ``fake`` inside the real manifold.

    Called on small 2-D sets with k = 3 and k = 1 (a collapsed set, a spread-out one) and
    compared with ``metrics.precision_recall(real, fake, k).precision``. Rejects radii that
    count the point itself as its own nearest neighbour, recall given for precision, one radius
    (the mean) for all balls, and a count instead of a share.
    """
    return verdict(name, _precision_problems, fn)


def _distances(x, y):
    return np.sqrt(((x[:, None, :] - y[None, :, :]) ** 2).sum(-1))  # (len(x), len(y))


def _share_inside(queries, support, radii):
    return float(np.mean(np.any(_distances(queries, support) <= radii[None, :], axis=1)))


def _radii(points, k, self_counts=False):
    column = k - 1 if self_counts else k  # sorted column 0 is the point itself
    return np.sort(_distances(points, points), axis=1)[:, column]


def _precision_problems(fn):
    rng = np.random.default_rng(5)
    real = rng.normal(size=(60, 2))
    sets = {
        "my_precision(real, collapsed, 3)": (real, rng.normal(size=(50, 2)) * 0.3 + [0.8, 0.3], 3),
        "my_precision(real, spread, 3)": (real, rng.normal(size=(50, 2)) * 2.0, 3),
        "my_precision(real, spread, 1)": (real, rng.normal(size=(50, 2)) * 1.5, 1),
    }
    for what, (r, f, k) in sets.items():
        got = float(numbers(call(fn, r.copy(), f.copy(), k), what, shape=()))
        right = metrics.precision_recall(r, f, k).precision
        if abs(got - right) < 1e-6:
            continue
        if got > 1:
            raise Wrong(f"{what} gives {got:.4g}: precision is a share in [0, 1], not a count.")
        real_radii = _radii(r, k)
        mistakes = [
            (
                _share_inside(f, r, _radii(r, k, self_counts=True)),
                "your radii count each point "
                "as its own nearest neighbour (distance 0): after sorting a row of distances, "
                "column 0 is the point itself, so the k-th neighbour is column k.",
            ),
            (
                _share_inside(r, f, _radii(f, k)),
                "that is recall (real samples inside the fake "
                "manifold): precision counts the fake samples inside the real manifold.",
            ),
            (
                _share_inside(f, r, np.full(len(r), real_radii.mean())),
                "each real point has its "
                "own radius (its k-th neighbour's distance), not one shared radius.",
            ),
        ]
        for wrong, message in mistakes:
            if abs(got - wrong) < 1e-6:
                raise Wrong(message)
        raise Wrong(
            f"{what} gives {got:.4g}, expected {right:.4g}: the share of fake samples within "
            "the radius of at least one real point, each real point's radius being the distance "
            "to its k-th nearest other real point."
        )


__all__ = ["check_frechet", "check_mmd2", "check_precision"]
