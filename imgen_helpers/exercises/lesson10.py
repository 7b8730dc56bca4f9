"""Checks for the exercises of ``10_conditional_gans``: label planes, projection, agreement."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .grading import Wrong, call, numbers, verdict


def check_label_planes(fn: Callable, name: str = "Exercise 1") -> bool:
    """``fn(labels, height, width, num_classes)``: one-hot label planes (N, H, W, K).

    What the concatenating discriminator stacks onto the image's channels: plane k is all ones
    for images of label k and all zeros otherwise. Called with two sizes and class counts.
    Rejects channels first (N, K, H, W), the label's value as one plane (N, H, W, 1), planes
    for the wrong classes (off by one), a missing batch axis, and as many planes as the largest
    label asks for instead of ``num_classes`` (one case never asks for the last classes).
    """
    return verdict(name, _planes_problems, fn)


def _planes_problems(fn) -> None:
    for labels, height, width, k in [
        ([2, 0, 9], 4, 5, 10),
        ([1, 1, 0, 2], 3, 4, 3),
        ([0, 2], 3, 3, 5),
    ]:
        labels = np.array(labels)
        what = f"my_label_planes({labels.tolist()}, {height}, {width}, {k})"
        got = numbers(call(fn, labels, height, width, k), what)
        right = np.broadcast_to(
            np.eye(k)[labels][:, None, None, :], (len(labels), height, width, k)
        )
        if got.shape == (len(labels), k, height, width):
            raise Wrong(
                f"{what} has shape {got.shape}: channels first. Keras images are (N, H, W, C), "
                "so the K planes go last, where they can be concatenated with the image's channel."
            )
        if got.shape == (len(labels), height, width, 1):
            raise Wrong(
                f"{what} is one plane holding the label's value; the discriminator would read "
                "label 8 as 'twice label 4'. Give each class its own plane (one-hot): "
                "np.eye(num_classes)[labels]."
            )
        if got.shape != right.shape:
            raise Wrong(f"{what} should have shape (N, H, W, K) = {right.shape}; got {got.shape}.")
        if np.array_equal(got, right):
            continue
        if np.array_equal(got[..., 1:], right[..., :-1]) or np.array_equal(
            got[..., :-1], right[..., 1:]
        ):
            raise Wrong(
                f"{what} lights the plane next to the right one: label k must light plane k "
                "(planes counted from 0)."
            )
        raise Wrong(
            f"{what} is not one-hot planes: for image n, plane labels[n] must be all ones and "
            "the others all zeros."
        )


def check_projection_logit(fn: Callable, name: str = "Exercise 2") -> bool:
    """``fn(features, w, b, class_vectors, labels)``: the projection discriminator's logits (N,).

    ``logit_n = features_n . w + b + class_vectors[labels_n] . features_n`` (Miyato and Koyama,
    2018): features (N, F), w (F,), b a number, class_vectors (K, F), labels (N,). Compared on
    random numbers. Rejects the class term left out (an unconditional discriminator), the
    unconditional term left out, the bias left out, the class vectors summed with the features
    instead of multiplied, and the class vector of the wrong image (all images given label 0's).
    """
    return verdict(name, _projection_problems, fn)


def _projection_problems(fn) -> None:
    rng = np.random.default_rng(10)
    features = rng.normal(size=(6, 5))
    w, b = rng.normal(size=5), 0.7
    class_vectors = rng.normal(size=(4, 5))
    labels = np.array([0, 3, 1, 2, 3, 1])
    what = "my_projection_logit(features, w, b, class_vectors, labels)"
    got = numbers(call(fn, features, w, b, class_vectors, labels), what)
    unconditional = features @ w + b
    projection = np.sum(class_vectors[labels] * features, axis=1)
    right = unconditional + projection
    if got.shape == (6, 1):
        got = got[:, 0]
    if got.shape != right.shape:
        raise Wrong(f"{what} should give one logit per image, shape (6,); got {got.shape}.")
    if np.allclose(got, right):
        return
    wrong = [
        (unconditional, "the label's term is missing: add class_vectors[labels] . features"),
        (
            projection + b,
            "the unconditional term features . w is missing: the label only adds to it",
        ),
        (projection, "both features . w and b are missing"),
        (right - b, "the bias b is missing"),
        (
            unconditional + np.sum(class_vectors[labels] + features, axis=1),
            "the class vector and the features are added; the projection multiplies them "
            "element by element and sums (an inner product)",
        ),
        (
            unconditional + features @ class_vectors[0],
            "every image got label 0's class vector: pick each image's own, class_vectors[labels]",
        ),
    ]
    for value, why in wrong:
        if got.shape == value.shape and np.allclose(got, value):
            raise Wrong(why + ".")
    raise Wrong(
        f"{what} gives {np.round(got, 3).tolist()}, expected {np.round(right, 3).tolist()}."
    )


def check_label_agreement(fn: Callable, name: str = "Exercise 3") -> bool:
    """``fn(probs, labels)``: ``(overall, per_class)`` as ``metrics.label_agreement`` gives them.

    probs (N, 10): the classifier's probabilities; labels (N,): the digit each image was asked
    to be. ``overall``: the share of images whose most likely class is their label;
    ``per_class`` (10,): that share among the images asked to be each digit. Called on an
    unbalanced set where class 9 is never asked for (its entry must be NaN). Rejects per-class
    shares grouped by the *predicted* class, the overall share as the mean of the per-class
    shares, and 0 instead of NaN for a class never asked for.
    """
    return verdict(name, _agreement_problems, fn)


def _agreement_problems(fn) -> None:
    rng = np.random.default_rng(3)
    labels = np.concatenate([np.repeat(np.arange(9), np.arange(1, 10) * 4)])  # 9 never asked
    predicted = np.where(rng.random(len(labels)) < 0.8, labels, rng.integers(0, 10, len(labels)))
    probs = np.full((len(labels), 10), 0.02)
    probs[np.arange(len(labels)), predicted] = 0.82
    result = call(fn, probs, labels)
    if not isinstance(result, tuple | list) or len(result) != 2:
        raise Wrong("return two things, (overall, per_class): a number and an array of 10.")
    overall = float(numbers(result[0], "overall"))
    try:  # NaN is expected here (a digit never asked for), so not numbers()
        per_class = np.asarray(result[1], dtype=np.float64)
    except (TypeError, ValueError):
        raise Wrong(f"per_class should be 10 numbers, got {type(result[1]).__name__}.") from None
    hits = predicted == labels
    right_per = np.array(
        [hits[labels == k].mean() if np.any(labels == k) else np.nan for k in range(10)]
    )
    if per_class.shape != (10,):
        raise Wrong(
            f"per_class should hold one share per digit, shape (10,); got {per_class.shape}."
        )
    by_prediction = np.array(
        [hits[predicted == k].mean() if np.any(predicted == k) else np.nan for k in range(10)]
    )
    if np.allclose(per_class, by_prediction, equal_nan=True) and not np.allclose(
        per_class, right_per, equal_nan=True
    ):
        raise Wrong(
            "per_class groups the images by the class the classifier *predicted*; group them by "
            "the label they were asked to be (labels == k)."
        )
    if per_class[9] == 0:
        raise Wrong(
            "digit 9 was never asked for, so its share is unknown, not 0: return NaN there "
            "(0 would look like a collapsed class)."
        )
    if not np.allclose(per_class, right_per, equal_nan=True):
        raise Wrong(
            f"per_class is {np.round(per_class, 3).tolist()}, expected "
            f"{np.round(right_per, 3).tolist()}: for each k, the share of hits among labels == k."
        )
    if np.isclose(overall, np.nanmean(right_per)) and not np.isclose(overall, hits.mean()):
        raise Wrong(
            "overall is the mean of the per-class shares; it should be the share of all images "
            "(here the classes are unbalanced, so the two differ)."
        )
    if not np.isclose(overall, hits.mean()):
        raise Wrong(
            f"overall is {overall:.3f}; the share of all images that agree is {hits.mean():.3f}."
        )
