"""Lesson 10's exercise checks accept the solution and reject the wrong answers learners write."""

import numpy as np
import pytest
from notebook_cells import solution_namespace

from imgen_helpers.exercises import lesson10 as ex


def _planes(labels, height, width, k):
    return np.broadcast_to(np.eye(k)[labels][:, None, None, :], (len(labels), height, width, k))


def _logit(features, w, b, class_vectors, labels):
    return features @ w + b + np.sum(class_vectors[labels] * features, axis=1)


def _agreement(probs, labels):
    hits = probs.argmax(1) == labels
    per_class = np.full(10, np.nan)
    for k in range(10):
        if np.any(labels == k):
            per_class[k] = hits[labels == k].mean()
    return hits.mean(), per_class


def test_the_solutions_pass(capsys):
    assert ex.check_label_planes(_planes)
    assert ex.check_projection_logit(_logit)
    assert ex.check_label_agreement(_agreement)
    assert capsys.readouterr().out.count("correct!") == 3


def test_the_notebooks_own_solutions_pass():
    found = solution_namespace("10_conditional_gans", {"np": np})
    assert ex.check_label_planes(found["my_label_planes"])
    assert ex.check_projection_logit(found["my_projection_logit"])
    assert ex.check_label_agreement(found["my_label_agreement"])


@pytest.mark.parametrize(
    "wrong, says",
    [
        (lambda y, h, w, k: np.moveaxis(_planes(y, h, w, k), -1, 1), "channels first"),
        (lambda y, h, w, k: np.broadcast_to(y[:, None, None, None], (len(y), h, w, 1)), "one-hot"),
        (lambda y, h, w, k: np.roll(_planes(y, h, w, k), 1, axis=-1), "next to the right one"),
        (lambda y, h, w, k: _planes(y, h, w, k)[0], "shape"),
        (lambda y, h, w, k: 1 - _planes(y, h, w, k), "not one-hot"),
        (lambda y, h, w, k: _planes(y, h, w, y.max() + 1), "shape"),  # num_classes ignored
    ],
)
def test_wrong_label_planes_are_rejected_with_the_reason(wrong, says, capsys):
    assert not ex.check_label_planes(wrong)
    assert says in capsys.readouterr().out


@pytest.mark.parametrize(
    "wrong, says",
    [
        (lambda f, w, b, v, y: f @ w + b, "label's term is missing"),
        (lambda f, w, b, v, y: _logit(f, w, b, v, y) - f @ w - b + b, "unconditional term"),
        (lambda f, w, b, v, y: np.sum(v[y] * f, axis=1), "both"),
        (lambda f, w, b, v, y: _logit(f, w, b, v, y) - b, "bias b is missing"),
        (lambda f, w, b, v, y: f @ w + b + np.sum(v[y] + f, axis=1), "added"),
        (lambda f, w, b, v, y: f @ w + b + f @ v[0], "label 0's class vector"),
        (lambda f, w, b, v, y: (f @ w + b)[:3], "one logit per image"),
        (lambda f, w, b, v, y: f @ w + b + f @ v.T @ np.ones(len(v)), "expected"),
    ],
)
def test_wrong_projections_are_rejected_with_the_reason(wrong, says, capsys):
    assert not ex.check_projection_logit(wrong)
    assert says in capsys.readouterr().out


def _by_prediction(probs, labels):
    hits = probs.argmax(1) == labels
    predicted = probs.argmax(1)
    per = np.array(
        [hits[predicted == k].mean() if np.any(predicted == k) else np.nan for k in range(10)]
    )
    return hits.mean(), per


def _zero_for_missing(probs, labels):
    overall, per = _agreement(probs, labels)
    return overall, np.nan_to_num(per)


def _mean_of_classes(probs, labels):
    _, per = _agreement(probs, labels)
    return np.nanmean(per), per


@pytest.mark.parametrize(
    "wrong, says",
    [
        (_by_prediction, "predicted"),
        (_zero_for_missing, "NaN"),
        (_mean_of_classes, "mean of the per-class shares"),
        (lambda p, y: _agreement(p, y)[0], "two things"),
        (lambda p, y: (_agreement(p, y)[0], _agreement(p, y)[1][:9]), "shape (10,)"),
        (lambda p, y: (0.5, _agreement(p, y)[1]), "share of all images"),
    ],
)
def test_wrong_agreements_are_rejected_with_the_reason(wrong, says, capsys):
    with np.errstate(all="ignore"):
        assert not ex.check_label_agreement(wrong)
    assert says in capsys.readouterr().out
