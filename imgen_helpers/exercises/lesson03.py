"""Checks for the exercises of ``03_dcgan``: transposed-convolution overlap, the score, slerp."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .grading import Wrong, all_finite, call, numbers, verdict


def _coverage(n: int, kernel: int, stride: int, width: int | None = None):
    """How many stamps cover each output pixel (1-D transposed convolution, no padding).

    ``width`` gives the usual wrong stamps, counted on an output of the right size.
    """
    width = width or kernel
    counts = np.zeros((n - 1) * stride + kernel)
    for i in range(n):
        counts[i * stride : i * stride + width] += 1
    return counts


def check_coverage(fn: Callable, name: str = "Exercise 1") -> bool:
    """``fn(n, kernel, stride)``: per output pixel, how many input pixels' stamps cover it.

    The 1-D transposed convolution without padding: input pixel i stamps ``kernel`` output pixels
    from ``i * stride`` on, so the output has ``(n - 1) * stride + kernel`` pixels. Called for
    kernels 3, 4 and 5 with stride 2 and for stride 1 and 3, so an answer right for one case only
    fails. Rejects the "same"-padded length ``n * stride`` and other wrong lengths, stamps placed
    ``kernel`` apart instead of ``stride`` apart (a count of 1 everywhere), and stamps one pixel
    too wide or too narrow (``stride`` wide, for kernel 3).
    """
    return verdict(name, _coverage_problems, fn)


def _coverage_problems(fn):
    for n, kernel, stride in [(5, 3, 2), (5, 4, 2), (4, 5, 2), (4, 3, 1), (3, 4, 3)]:
        what = f"my_coverage({n}, {kernel}, {stride})"
        got = numbers(call(fn, n, kernel, stride), what)
        right = _coverage(n, kernel, stride)
        if got.ndim != 1:
            raise Wrong(
                f"{what} should be a 1-D array (one count per output pixel), got shape {got.shape}."
            )
        if got.shape != right.shape:
            if len(got) == n * stride:
                raise Wrong(
                    f"{what} has {len(got)} pixels, n * stride: that is the size after 'same' "
                    "padding crops the border. Count on the whole output: the last stamp starts "
                    f"at (n - 1) * stride and is kernel wide, so {len(right)} pixels."
                )
            raise Wrong(
                f"{what} has {len(got)} pixels; the last input pixel's stamp starts at "
                f"(n - 1) * stride = {(n - 1) * stride} and is {kernel} wide, so the output has "
                f"{len(right)} pixels."
            )
        if np.array_equal(got, right):
            continue
        if np.all(got == 1):
            raise Wrong(
                f"{what} is 1 everywhere, but stamps overlap: they start stride pixels apart "
                "(i * stride), not kernel apart, and each is kernel wide; add 1 for every stamp "
                "that covers a pixel."
            )
        for width in (kernel - 1, kernel + 1):
            if np.array_equal(got, _coverage(n, kernel, stride, width=width)):
                raise Wrong(
                    f"each stamp covers exactly kernel = {kernel} pixels: "
                    f"range(i * stride, i * stride + kernel); yours covers {width}."
                )
        raise Wrong(
            f"{what} gives {got.astype(int).tolist()}, expected {right.astype(int).tolist()}."
        )


def check_slerp(fn: Callable, name: str = "Exercise 3") -> bool:
    """``fn(z1, z2, t)``: the point a fraction t of the way from z1 to z2 along the sphere.

    Compared with ``gan.interpolate_latents`` (method "slerp") for t in {0, 0.25, 0.5, 0.75, 1}
    on two pairs of 64-dimensional Gaussian latents and on two orthogonal unit vectors, and must
    return the straight line (not NaN) for z2 = 2 z1, where the angle is 0. Rejects the straight
    line (lerp), a result normalised to norm 1, t running backwards, the angle taken without
    dividing by the norms, and a division by sin(0).
    """
    return verdict(name, _slerp_problems, fn)


def _slerp_problems(fn):
    from .. import gan  # imported here: TensorFlow loads only when a check runs

    rng = np.random.default_rng(3)
    pairs = [rng.standard_normal((2, 64)) for _ in range(2)]
    pairs.insert(0, np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]))
    ts = [0.0, 0.25, 0.5, 0.75, 1.0]
    for z1, z2 in pairs:
        z1, z2 = z1.astype("float32"), z2.astype("float32")
        right = gan.interpolate_latents(z1, z2, steps=5)  # the same five values of t
        got = np.array([_point(fn, z1, z2, t) for t in ts])
        if np.allclose(got, right, atol=1e-4):
            continue
        norms = np.linalg.norm(got, axis=1)
        if np.allclose(got[0], z2, atol=1e-4) and np.allclose(got[-1], z1, atol=1e-4):
            raise Wrong("backwards: at t = 0 return z1, at t = 1 return z2.")
        if np.allclose(norms, 1.0, atol=1e-3) and not np.isclose(np.linalg.norm(z1), 1.0):
            raise Wrong(
                "your points all have norm 1: slerp keeps the latents' own norms "
                "(about 8 in 64 dimensions); do not normalise the result."
            )
        linear = np.array([(1 - t) * z1 + t * z2 for t in ts])
        if np.allclose(got, linear, atol=1e-4):
            raise Wrong(
                f"that is the straight line (lerp): halfway its norm drops to {norms[2]:.2f}, "
                f"against {np.linalg.norm(z1):.2f} and {np.linalg.norm(z2):.2f} at the ends. "
                "Weight z1 and z2 by sin((1 - t) omega) / sin(omega) and sin(t omega) / "
                "sin(omega), omega the angle between them."
            )
        raise Wrong(
            f"at t = 0.5 your point has norm {norms[2]:.3f}, expected "
            f"{np.linalg.norm(right[2]):.3f}: omega = arccos(z1 . z2 / (|z1| |z2|)) (divide by "
            "both norms), then sin((1 - t) omega) / sin(omega) * z1 + sin(t omega) / sin(omega) "
            "* z2."
        )
    z1 = np.array([3.0, 4.0, 0.0, 0.0])  # z1 . z2 / (|z1| |z2|) is exactly 1
    got = call(fn, z1, 2 * z1, 0.5)
    if not all_finite(got):
        raise Wrong(
            "for z2 = 2 z1 the angle is 0 and sin(0) = 0, so you divide by zero (or arccos got "
            "a cosine just above 1: clip it to [-1, 1]): when the angle is tiny (say below "
            "1e-6) return the straight line instead."
        )
    got = numbers(got, "my_slerp(z1, 2 * z1, 0.5)", shape=z1.shape)
    if not np.allclose(got, 1.5 * z1, atol=1e-3):
        raise Wrong("for z2 = 2 z1 (angle 0) the answer is the straight line, 1.5 z1 at t = 0.5.")


def _point(fn, z1, z2, t):
    """``fn(z1, z2, t)`` as numbers; NaN gets the two usual causes named."""
    raw = call(fn, z1, z2, t)
    if not all_finite(raw):
        raise Wrong(
            f"my_slerp(z1, z2, {t}) contains NaN: arccos needs a cosine in [-1, 1], so divide "
            "z1 . z2 by both norms, |z1| |z2|, and clip it with np.clip(cos, -1, 1) (rounding "
            "can push it just past 1)."
        )
    return numbers(raw, f"my_slerp(z1, z2, {t})", shape=z1.shape)


def _angle(z1, z2):
    cos = np.dot(z1, z2) / (np.linalg.norm(z1) * np.linalg.norm(z2))
    return np.arccos(np.clip(cos, -1.0, 1.0))


def check_classifier_score(fn: Callable, name: str = "Exercise 2") -> bool:
    """``fn(probs)``: the classifier score ``exp(mean_x KL(p(y|x) || p(y)))`` of (N, C) rows.

    Compared with ``metrics.score_from_probs`` on three sets of probabilities: confident and
    balanced (score C), one row repeated (score 1), and random rows. Rejects the score without
    exp, the KL turned round, p(y) taken as uniform 1/C instead of the mean row, the mean of
    exp(KL) instead of exp of the mean, and a mean over classes inside the KL.
    """
    return verdict(name, _score_problems, fn)


def _score_problems(fn):
    from .. import metrics  # imported here: TensorFlow loads only when a check runs

    rng = np.random.default_rng(4)
    confident = np.eye(4)[[0, 1, 2, 3, 0, 1, 2, 3]] * 0.97 + 0.0075
    repeated = np.tile(rng.dirichlet(np.ones(4)), (8, 1))
    skewed = rng.dirichlet(np.full(4, 0.5), size=8)
    skewed[:5] = np.eye(4)[[0, 0, 0, 1, 0]] * 0.9 + 0.025  # classes used unevenly
    for probs, what in [
        (skewed, "random rows"),
        (confident, "confident, balanced rows"),
        (repeated, "one row repeated"),
    ]:
        probs = probs.astype("float32")
        got = numbers(call(fn, probs), f"my_classifier_score(probs) for {what}", shape=())
        right = metrics.score_from_probs(probs)
        if np.isclose(got, right, rtol=1e-3):
            continue
        p = probs.astype(np.float64)
        marginal = p.mean(axis=0, keepdims=True)
        kl = np.sum(p * (np.log(p) - np.log(marginal)), axis=1)
        candidates = [
            (np.mean(kl), "you forgot the exp: the score is exp of the mean KL."),
            (
                np.exp(np.mean(np.sum(marginal * (np.log(marginal) - np.log(p)), axis=1))),
                "the KL is turned round: KL(p(y|x) || p(y)) = sum p(y|x) log(p(y|x) / p(y)).",
            ),
            (
                np.exp(np.mean(np.sum(p * (np.log(p) - np.log(1 / p.shape[1])), axis=1))),
                "p(y) is the mean of the rows (how often the generator makes each class), not "
                "1 / C.",
            ),
            (np.mean(np.exp(kl)), "take the exp after averaging the KL over images, not before."),
            (
                np.exp(np.mean(np.mean(p * (np.log(p) - np.log(marginal)), axis=1))),
                "inside the KL, sum over classes (axis=1); you took the mean.",
            ),
            (np.exp(np.sum(kl)), "average the KL over the images (a mean, not a sum)."),
        ]
        for value, message in candidates:
            if np.isclose(got, value, rtol=1e-3):
                raise Wrong(message)
        raise Wrong(
            f"for {what} your score is {got:.4g}, expected {right:.4g}: p(y) is "
            "probs.mean(axis=0); KL per row is sum(p * (log p - log p(y))); the score is "
            "exp of their mean."
        )


__all__ = ["check_classifier_score", "check_coverage", "check_slerp"]
