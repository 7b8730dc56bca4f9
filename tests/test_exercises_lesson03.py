"""Lesson 03's exercise checks accept the solution and reject the wrong answers learners write."""

import numpy as np
import pytest
from notebook_cells import solution_namespace

from imgen_helpers.exercises import lesson03 as ex


def _coverage(length=None, spacing=None, width=None):
    def fn(n, kernel, stride):
        step, wide = spacing or stride, width(kernel, stride) if width else kernel
        counts = np.zeros(length(n, kernel, stride) if length else (n - 1) * stride + kernel)
        for i in range(n):
            counts[i * step : i * step + wide] += 1
        return counts

    return fn


def _slerp(z1, z2, t):
    omega = np.arccos(np.clip(z1 @ z2 / (np.linalg.norm(z1) * np.linalg.norm(z2)), -1, 1))
    if omega < 1e-6:
        return (1 - t) * z1 + t * z2
    return (np.sin((1 - t) * omega) * z1 + np.sin(t * omega) * z2) / np.sin(omega)


def _score(probs, turn=False, uniform=False, exp_first=False, class_mean=False):
    marginal = np.full_like(probs, 1 / probs.shape[1]) if uniform else probs.mean(0, keepdims=True)
    p, q = (marginal, probs) if turn else (probs, marginal)
    terms = p * (np.log(p) - np.log(q))
    kl = terms.mean(1) if class_mean else terms.sum(1)
    return np.mean(np.exp(kl)) if exp_first else np.exp(np.mean(kl))


def test_the_solutions_pass(capsys):
    assert ex.check_coverage(_coverage())
    assert ex.check_slerp(_slerp)
    assert ex.check_classifier_score(_score)
    assert capsys.readouterr().out.count("correct!") == 3


def test_the_notebooks_own_solutions_pass():
    found = solution_namespace("03_dcgan")
    assert ex.check_coverage(found["my_coverage"])
    assert ex.check_slerp(found["my_slerp"])
    assert ex.check_classifier_score(found["my_classifier_score"])


@pytest.mark.parametrize(
    "wrong, says",
    [
        (_coverage(length=lambda n, k, s: n * s), "'same'"),  # cut to the padded size
        (_coverage(width=lambda k, s: s), "yours covers 2"),
        (_coverage(width=lambda k, s: k + 1), "covers exactly kernel"),
        (_coverage(width=lambda k, s: k - 1), "covers exactly kernel"),
        (lambda n, k, s: np.ones((n - 1) * s + k), "1 everywhere"),
        (lambda n, k, s: np.ones(n * k), "so the output has"),  # n stamps side by side, n * k long
        (lambda n, k, s: np.ones((n, k)), "1-D array"),
    ],
)
def test_wrong_coverage_is_rejected_with_the_reason(wrong, says, capsys):
    assert not ex.check_coverage(wrong)
    assert says in capsys.readouterr().out


def _spaced_by_kernel(n, kernel, stride):  # stamps kernel apart, output of the right length
    counts = np.zeros((n - 1) * stride + kernel)
    for i in range(n):
        counts[i * kernel : i * kernel + kernel] += 1
    return counts


def test_stamps_spaced_by_the_kernel_are_rejected(capsys):
    assert not ex.check_coverage(_spaced_by_kernel)
    assert "stride pixels apart" in capsys.readouterr().out


def _unstable_slerp(z1, z2, t):  # no special case for a zero angle
    omega = np.arccos(np.clip(z1 @ z2 / (np.linalg.norm(z1) * np.linalg.norm(z2)), -1, 1))
    return (np.sin((1 - t) * omega) * z1 + np.sin(t * omega) * z2) / np.sin(omega)


def _unnormalised_angle(z1, z2, t):  # cos without dividing by the norms
    omega = np.arccos(np.clip(z1 @ z2, -1, 1))
    return (np.sin((1 - t) * omega) * z1 + np.sin(t * omega) * z2) / np.sin(omega)


def _unclipped_unnormalised_angle(z1, z2, t):  # what learners write first: arccos(z1 . z2)
    omega = np.arccos(z1 @ z2)
    return (np.sin((1 - t) * omega) * z1 + np.sin(t * omega) * z2) / np.sin(omega)


@pytest.mark.parametrize(
    "wrong, says",
    [
        (lambda z1, z2, t: (1 - t) * z1 + t * z2, "straight line (lerp)"),
        (_unclipped_unnormalised_angle, "divide z1 . z2 by both norms"),
        (lambda z1, z2, t: _slerp(z1, z2, t) / np.linalg.norm(_slerp(z1, z2, t)), "norm 1"),
        (lambda z1, z2, t: _slerp(z1, z2, 1 - t), "backwards"),
        (_unnormalised_angle, "divide by both norms"),
        (_unstable_slerp, "divide by zero"),
        (lambda z1, z2, t: np.stack([z1, z2]), "shape"),
    ],
)
def test_wrong_slerps_are_rejected_with_the_reason(wrong, says, capsys):
    with np.errstate(all="ignore"):
        assert not ex.check_slerp(wrong)
    assert says in capsys.readouterr().out


@pytest.mark.parametrize(
    "wrong, says",
    [
        (lambda p: np.log(_score(p)), "forgot the exp"),
        (lambda p: _score(p, turn=True), "turned round"),
        (lambda p: _score(p, uniform=True), "not 1 / C"),
        (lambda p: _score(p, exp_first=True), "after averaging"),
        (lambda p: _score(p, class_mean=True), "sum over classes"),
        (lambda p: np.exp(np.sum(np.log(_score(p)) * len(p))), "not a sum"),
        (lambda p: 10.0, "expected"),
    ],
)
def test_wrong_scores_are_rejected_with_the_reason(wrong, says, capsys):
    assert not ex.check_classifier_score(wrong)
    assert says in capsys.readouterr().out
