"""Checks for the exercises of ``06_style_transfer``: the Gram matrix, the content loss and the
total variation loss."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .grading import Wrong, call, numbers, verdict


def _tensor(array):
    """``array`` as a float32 tensor, the kind of value the lesson's functions receive."""
    import tensorflow as tf

    return tf.constant(array, tf.float32)


def check_gram(fn: Callable, name: str = "Exercise 1") -> bool:
    """``fn(features)``: one Gram matrix per image, ``F^T F / (H * W)``, shape (N, C, C).

    Called on float32 activations of shape (2, 3, 5, 4) (two images, H=3, W=5, C=4); the right
    answer is what ``style_transfer.gram_matrix`` gives. Rejects the raw sum (no division by
    H*W), the division by H*W*C or by the batch size too, the batch axis mixed into one (C, C)
    matrix, the product the other way round, (H*W, H*W), and a reshape to (N, C, H*W) that
    scrambles the channels.
    """
    return verdict(name, _gram_problems, fn)


def _gram_problems(fn):
    n, h, w, c = 2, 3, 5, 4
    features = np.random.default_rng(6).uniform(0.0, 2.0, (n, h, w, c)).astype("float32")
    got = numbers(call(fn, _tensor(features)), "my_gram(features)")
    flat = features.astype(np.float64).reshape(n, h * w, c)  # (batch, positions, channels)
    raw = np.einsum("npc,npd->ncd", flat, flat)  # (batch, channels, channels), not divided
    right = raw / (h * w)
    if got.shape == (n, h * w, h * w):
        raise Wrong(
            f"your matrices are (positions x positions), {got.shape}: multiply the other way, "
            "F^T F, where F is (H*W, C), to get one (C, C) matrix per image."
        )
    if got.shape == (c, c):
        raise Wrong(
            "you return one (C, C) matrix for the whole batch: keep the batch axis, reshape to "
            "(N, H*W, C), and get one Gram matrix per image, shape (N, C, C)."
        )
    if got.shape != (n, c, c):
        raise Wrong(f"expected one (C, C) matrix per image, shape {(n, c, c)}, got {got.shape}.")
    if np.allclose(got, right, rtol=1e-4):
        return
    if np.allclose(got, raw, rtol=1e-4):
        raise Wrong(
            "you did not divide by the number of positions H*W: the course's Gram matrix is an "
            "average over positions, so it does not grow with the image's size."
        )
    if np.allclose(got, right / c, rtol=1e-4):
        raise Wrong("divide by the number of positions H*W only, not by the channels too.")
    if np.allclose(got, right / n, rtol=1e-4):
        raise Wrong("divide by the number of positions H*W only, not by the batch size too.")
    scrambled = features.astype(np.float64).reshape(n, c, h * w)
    if np.allclose(got, scrambled @ scrambled.transpose(0, 2, 1) / (h * w), rtol=1e-4):
        raise Wrong(
            "reshaping (N, H, W, C) straight to (N, C, H*W) mixes pixels and channels: reshape "
            "to (N, H*W, C) and multiply F^T F."
        )
    if not np.allclose(got, got.transpose(0, 2, 1), rtol=1e-4):
        raise Wrong("a Gram matrix is symmetric (G[c, d] = G[d, c]) and yours is not.")
    raise Wrong(
        "your values differ from G[n, c, d] = sum over positions of F[n, i, j, c] F[n, i, j, d], "
        "divided by H*W."
    )


def _layers(seed: int):
    """Activations and targets of three layers of different sizes, like VGG's."""
    rng = np.random.default_rng(seed)
    shapes = {
        "block3_conv2": (1, 8, 6, 4),
        "block4_conv2": (1, 6, 4, 8),
        "block5_conv2": (1, 3, 2, 16),
    }
    features = {k: rng.normal(size=s).astype("float32") for k, s in shapes.items()}
    targets = {k: rng.normal(size=s).astype("float32") for k, s in shapes.items()}
    return features, targets


def check_content_loss(fn: Callable, name: str = "Exercise 2") -> bool:
    """``fn(features, targets)``: the course's content loss over several layers.

    Both are dicts {layer name: activations (1, H, W, C)}; three layers of different sizes. The
    loss is the mean squared difference per layer, averaged over layers (each weight 1/L), as
    ``style_transfer.content_loss`` with its default weights. Rejects one mean over all numbers
    of all layers, the sum over layers, the sum of squares, Gatys et al.'s half sum, absolute
    instead of squared differences, and the square root of the mean (RMSE).
    """
    return verdict(name, _content_problems, fn)


def _content_problems(fn):
    features, targets = _layers(7)
    tensors = {k: _tensor(v) for k, v in features.items()}
    got = call(fn, tensors, {k: _tensor(v) for k, v in targets.items()})
    got = float(numbers(got, "my_content_loss(features, targets)", shape=()))
    diffs = {k: features[k].astype(np.float64) - targets[k] for k in targets}
    per_layer = np.array([np.mean(d**2) for d in diffs.values()])
    right = per_layer.mean()
    if np.isclose(got, right, rtol=1e-4):
        zero = numbers(call(fn, tensors, tensors), "my_content_loss(features, features)", ())
        if not np.isclose(zero, 0.0, atol=1e-6):
            raise Wrong("the content loss of the content image itself must be 0.")
        return
    if np.isclose(got, per_layer.sum(), rtol=1e-4):
        raise Wrong("you added the layers: average them (each layer has weight 1 / L).")
    everything = np.concatenate([d.ravel() for d in diffs.values()])
    if np.isclose(got, np.mean(everything**2), rtol=1e-4):
        raise Wrong(
            "you took one mean over the numbers of all layers together, so the bigger layer "
            "counts more: take the mean per layer, then average the layers."
        )
    sums = np.array([np.sum(d**2) for d in diffs.values()])
    if np.isclose(got, sums.mean(), rtol=1e-4) or np.isclose(got, sums.sum(), rtol=1e-4):
        raise Wrong("you summed the squared differences: take their mean over each layer.")
    if np.isclose(got, 0.5 * sums.sum(), rtol=1e-4) or np.isclose(got, 0.5 * sums.mean()):
        raise Wrong(
            "that is Gatys et al.'s half sum of squares; the course (like the TensorFlow "
            "tutorial) uses the mean squared difference per layer."
        )
    absolute = np.array([np.mean(np.abs(d)) for d in diffs.values()])
    if np.isclose(got, absolute.mean(), rtol=1e-4):
        raise Wrong("square the differences, do not take their absolute values.")
    if np.isclose(got, np.sqrt(per_layer).mean(), rtol=1e-4):
        raise Wrong("no square root: the loss is the mean squared difference itself.")
    raise Wrong(
        f"your loss is {got:.4g}, expected {right:.4g}: for each layer the mean of "
        "(features - targets)^2, then the average over layers."
    )


def check_total_variation(fn: Callable, name: str = "Exercise 3") -> bool:
    """``fn(images)``: the summed absolute differences of vertical and horizontal neighbours.

    Called on float32 images (2, 5, 6, 3) and compared with
    ``style_transfer.total_variation_loss`` (one number for the batch). Rejects squared
    differences, the mean instead of the sum, one direction only, differences that wrap around
    the border (``np.roll``), one value per image, and differences along the channel axis.
    """
    return verdict(name, _tv_problems, fn)


def _tv_problems(fn):
    images = np.random.default_rng(8).uniform(0.0, 1.0, (2, 5, 6, 3)).astype("float32")
    got = numbers(call(fn, _tensor(images)), "my_total_variation(images)")
    x = images.astype(np.float64)
    dy, dx = np.diff(x, axis=1), np.diff(x, axis=2)  # (2, 4, 6, 3) and (2, 5, 5, 3)
    right = np.abs(dy).sum() + np.abs(dx).sum()
    if got.shape == (2,) or got.shape == (2, 1):
        raise Wrong(
            "you return one value per image (what tf.image.total_variation gives): sum over the "
            "batch too, the loss is one number."
        )
    got = float(numbers(got, "my_total_variation(images)", shape=()))
    if np.isclose(got, right, rtol=1e-4):
        return
    if np.isclose(got, (dy**2).sum() + (dx**2).sum(), rtol=1e-4):
        raise Wrong("take absolute differences, not squares: this total variation is anisotropic.")
    if np.isclose(got, np.abs(dy).mean() + np.abs(dx).mean(), rtol=1e-4):
        raise Wrong("the course's total variation is a sum over pixels, not a mean.")
    if np.isclose(got, np.abs(dy).sum(), rtol=1e-4) or np.isclose(got, np.abs(dx).sum()):
        raise Wrong("add both directions: vertical neighbours (axis 1) and horizontal (axis 2).")
    rolled = np.abs(np.roll(x, 1, axis=1) - x).sum() + np.abs(np.roll(x, 1, axis=2) - x).sum()
    if np.isclose(got, rolled, rtol=1e-4):
        raise Wrong(
            "your differences wrap around the border (np.roll pairs the last row with the "
            "first): compare neighbours inside the image, x[:, 1:] - x[:, :-1]."
        )
    channels = np.abs(np.diff(x, axis=3)).sum()
    if any(np.isclose(got, channels + np.abs(d).sum(), rtol=1e-4) for d in (dy, dx)):
        raise Wrong(
            "one of your differences runs along the channel axis: images are (N, H, W, C), so "
            "neighbours are along axes 1 and 2."
        )
    raise Wrong(
        f"your total variation is {got:.4g}, expected {right:.4g}: sum |x[:, i+1, j] - "
        "x[:, i, j]| + |x[:, i, j+1] - x[:, i, j]| over all pixels, channels and images."
    )


__all__ = ["check_content_loss", "check_gram", "check_total_variation"]
