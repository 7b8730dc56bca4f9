"""Lesson 08's exercise checks accept the solution and reject the wrong answers learners write."""

import numpy as np
import pytest
from notebook_cells import solution_namespace
from scipy import linalg

from imgen_helpers import metrics
from imgen_helpers.exercises import lesson08 as ex


def _frechet(mean_term=2, two=2.0, root=None, rowvar=False, mean_axis=0, final=float):
    def fn(a, b):
        cov_a, cov_b = np.cov(a, rowvar=rowvar), np.cov(b, rowvar=rowvar)
        product_root = (root or (lambda s, t: linalg.sqrtm(s @ t)))(cov_a, cov_b).real
        diff = np.linalg.norm(a.mean(mean_axis) - b.mean(mean_axis))
        return final(diff**mean_term + np.trace(cov_a + cov_b - two * product_root))

    return fn


def _kernel(power=3, over_d=True, plus=1.0):
    def k(x, y):
        return (x @ y.T / (x.shape[1] if over_d else 1) + plus) ** power

    return k


def _mmd2(kernel=None, keep_diagonal=False, over_m_squared=False, cross=2.0):
    kernel = kernel or _kernel()

    def fn(x, y):
        m, n = len(x), len(y)
        k_xx, k_yy, k_xy = kernel(x, x), kernel(y, y), kernel(x, y)
        if keep_diagonal:
            return k_xx.mean() + k_yy.mean() - cross * k_xy.mean()
        pairs_x, pairs_y = (m * m, n * n) if over_m_squared else (m * (m - 1), n * (n - 1))
        xx = (k_xx.sum() - np.trace(k_xx)) / pairs_x
        yy = (k_yy.sum() - np.trace(k_yy)) / pairs_y
        return xx + yy - cross * k_xy.mean()

    return fn


def _distances(x, y):
    return np.sqrt(((x[:, None, :] - y[None, :, :]) ** 2).sum(-1))


def _precision(column=lambda k: k, swap=False, shared_radius=False, count=False):
    def fn(real, fake, k):
        if swap:
            real, fake = fake, real
        radii = np.sort(_distances(real, real), axis=1)[:, column(k)]
        if shared_radius:
            radii = np.full_like(radii, radii.mean())
        inside = np.any(_distances(fake, real) <= radii[None, :], axis=1)
        return inside.sum() if count else inside.mean()

    return fn


def test_the_solutions_pass(capsys):
    assert ex.check_frechet(_frechet())
    assert ex.check_mmd2(_mmd2())
    assert ex.check_precision(_precision())
    assert capsys.readouterr().out.count("correct!") == 3


def test_the_package_functions_pass():
    assert ex.check_frechet(metrics.frechet_distance)
    assert ex.check_mmd2(metrics.mmd2_unbiased)
    assert ex.check_precision(lambda real, fake, k: metrics.precision_recall(real, fake, k)[0])


def test_the_notebooks_own_solutions_pass():
    found = solution_namespace("08_evaluating_generators", {"linalg": linalg})
    assert ex.check_frechet(found["my_frechet"])
    assert ex.check_mmd2(found["my_mmd2"])
    assert ex.check_precision(found["my_precision"])


def _biased_frechet(a, b):  # covariances divided by N (np.cov(..., bias=True))
    cov_a, cov_b = np.cov(a, rowvar=False, bias=True), np.cov(b, rowvar=False, bias=True)
    root = linalg.sqrtm(cov_a @ cov_b).real
    return float(((a.mean(0) - b.mean(0)) ** 2).sum() + np.trace(cov_a + cov_b - 2 * root))


@pytest.mark.parametrize(
    "wrong, says",
    [
        (_frechet(mean_term=1), "square the distance between the means"),
        (_frechet(two=1.0), "needs a factor 2"),
        (_frechet(root=lambda s, t: np.sqrt(s @ t)), "sqrtm"),  # element-wise square root
        (_frechet(root=lambda s, t: linalg.sqrtm(s) @ linalg.sqrtm(t)), "rarely commute"),
        (_frechet(rowvar=True), "rowvar=False"),
        (_biased_frechet, "divide by N"),
        (_frechet(mean_axis=1), "wrong axis"),
        (_frechet(final=lambda d: float(np.sqrt(d))), "do not take the square root"),
        (lambda a, b: 3.0, "expected"),
    ],
)
def test_wrong_frechet_distances_are_rejected_with_the_reason(wrong, says, capsys):
    assert not ex.check_frechet(wrong)
    assert says in capsys.readouterr().out


def test_the_trace_term_alone_is_rejected(capsys):
    def trace_only(a, b):
        cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
        return float(np.trace(cov_a + cov_b - 2 * linalg.sqrtm(cov_a @ cov_b).real))

    assert not ex.check_frechet(trace_only)
    assert "squared distance between the means is missing" in capsys.readouterr().out


@pytest.mark.parametrize(
    "wrong, says",
    [
        (_mmd2(keep_diagonal=True), "biased estimate"),
        (_mmd2(over_m_squared=True), "m(m - 1)"),
        (_mmd2(cross=1.0), "counts twice"),
        (_mmd2(kernel=_kernel(over_d=False)), "number of features D"),
        (_mmd2(kernel=_kernel(plus=0.0)), "+ 1 is missing"),
        (_mmd2(kernel=_kernel(power=2)), "cubic"),
        (lambda x, y: 0.0, "expected"),
    ],
)
def test_wrong_mmds_are_rejected_with_the_reason(wrong, says, capsys):
    assert not ex.check_mmd2(wrong)
    assert says in capsys.readouterr().out


@pytest.mark.parametrize(
    "wrong, says",
    [
        (_precision(column=lambda k: k - 1), "its own nearest neighbour"),
        (_precision(swap=True), "that is recall"),
        (_precision(shared_radius=True), "one shared radius"),
        (_precision(count=True), "not a count"),
        (lambda real, fake, k: 0.123, "expected"),
    ],
)
def test_wrong_precisions_are_rejected_with_the_reason(wrong, says, capsys):
    assert not ex.check_precision(wrong)
    assert says in capsys.readouterr().out
