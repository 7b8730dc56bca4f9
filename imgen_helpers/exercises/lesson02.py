"""Checks for the exercises of ``02_first_gan``: a smoothed discriminator loss, the minimax loss."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .grading import Wrong, all_finite, call, numbers, verdict


def _softplus(x):
    return np.logaddexp(0.0, x)  # log(1 + e^x), exact for large |x|


def _logits(seed: int, n: int = 6) -> np.ndarray:
    """Discriminator outputs as the lesson's D returns them: float32, shape (n, 1)."""
    return np.random.default_rng(seed).uniform(-4, 4, (n, 1)).astype("float32")


def _bce(logits, target):
    """Mean binary cross-entropy of logits against one target probability."""
    return np.mean(target * _softplus(-logits) + (1 - target) * _softplus(logits))


def check_smoothed_d_loss(fn: Callable, name: str = "Exercise 1") -> bool:
    """``fn(real_logits, fake_logits, real_label)``: the discriminator's loss, real target smoothed.

    Called on (6, 1) float32 logits with ``real_label`` 1.0, 0.9 and 0.8, and on logits of
    +-120, where ``log(sigmoid(x))`` rounds to log(0). It must equal the binary cross-entropy
    with target ``real_label`` for the real images plus the one with target 0 for the fakes (both
    means added, as in the lesson). Rejects, each with its own message: labels swapped, the fake
    labels smoothed too (two-sided), ``real_label`` ignored or used as ``1 - real_label``, the
    ``(1 - t) * softplus(logit)`` term dropped, the fake term forgotten, logits treated as
    probabilities, sums instead of means, the two means averaged, an unstable ``log(sigmoid)``.
    """
    return verdict(name, _smoothed_d_loss_problems, fn)


def _d_loss(fn, real, fake, t):
    got = call(fn, real, fake, t)
    array = np.asarray(got, dtype=np.float64) if _is_numeric(got) else None
    if array is not None and array.shape != ():
        raise Wrong(
            f"your loss has shape {array.shape}: it should be one number, the mean over the batch "
            "(tf.reduce_mean) of each term, the two means added."
        )
    return numbers(got, f"my_smoothed_d_loss(real_logits, fake_logits, {t})", shape=())


def _is_numeric(value) -> bool:
    try:
        np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return True


def _smoothed_d_loss_problems(fn):
    real, fake = _logits(0), _logits(1)
    for t in (0.9, 1.0, 0.8):
        got = _d_loss(fn, real, fake, t)
        right = _bce(real, t) + _bce(fake, 0.0)
        if np.isclose(got, right, rtol=1e-4, atol=1e-5):
            continue
        candidates = [
            (
                _bce(real, 0.0) + _bce(fake, t),
                "labels swapped: real images get the target real_label (near 1), generated ones 0.",
            ),
            (
                _bce(real, 1 - t) + _bce(fake, 1.0),
                "labels swapped: real images get the target real_label (near 1), generated ones 0.",
            ),
            (
                _bce(real, t) + _bce(fake, 1 - t),
                "you smoothed the fake labels too: one-sided "
                "smoothing moves only the real target to real_label; fakes keep the target 0.",
            ),
            (
                _bce(real, 1.0) + _bce(fake, 0.0),
                "real_label has no effect on your loss: the real "
                "images' target must be real_label, not 1.",
            ),
            (
                _bce(real, 1 - t) + _bce(fake, 0.0),
                "the real target is real_label itself (0.9), not 1 - real_label.",
            ),
            (
                np.mean(t * _softplus(-real)) + _bce(fake, 0.0),
                "with target t the cross-entropy "
                "is t * softplus(-logit) + (1 - t) * softplus(logit): you dropped the second term.",
            ),
            (
                _bce(real, t),
                "the fake images' term is missing: add the mean of softplus(fake "
                "logits), the cross-entropy with target 0.",
            ),
            (6 * right, "you summed over the batch: take the mean of each term."),
            (
                right / 2,
                "you averaged the two terms: the lesson adds the two means (2 log 2 "
                "when D says 0.5 everywhere).",
            ),
        ]
        for value, message in candidates:
            if np.isclose(got, value, rtol=1e-4, atol=1e-5):
                raise Wrong(message)
        if got < 0:
            raise Wrong(f"your loss is negative ({got:.3g}): a cross-entropy never is.")
        zeros = np.zeros((6, 1), "float32")
        chance = _d_loss(fn, zeros, zeros, 1.0)
        if not np.isclose(chance, 2 * np.log(2), rtol=1e-3):
            raise Wrong(
                f"when D is unsure (every logit 0, probability 0.5) the loss is 2 log 2 = 1.386; "
                f"yours is {chance:.4g}. The inputs are logits, not probabilities: use softplus "
                "on them (section 5), with no sigmoid first and no loss that expects probabilities."
            )
        raise Wrong(
            f"with real_label = {t} your loss is {got:.5g}, expected {right:.5g}: mean(t * "
            "softplus(-real) + (1 - t) * softplus(real)) + mean(softplus(fake))."
        )
    far = np.full((6, 1), 120.0, "float32")
    extreme = call(fn, far, -far, 0.9)
    if not all_finite(extreme):
        raise Wrong(
            "your loss is infinite or NaN for real logits of 120: sigmoid(120) rounds to 1 and "
            "log(1 - 1) is -inf. Compute -log(1 - D) as softplus(logit) (section 5)."
        )
    extreme = numbers(extreme, "my_smoothed_d_loss(120, -120, 0.9)", shape=())
    if not np.isclose(extreme, _bce(far, 0.9) + _bce(-far, 0.0), rtol=1e-3):
        raise Wrong(
            f"for real logits of 120 your loss is {extreme:.5g}, expected about 12: "
            "0.1 * softplus(120); large logits need softplus, not log(sigmoid)."
        )


def check_minimax_g_loss(fn: Callable, name: str = "Exercise 2") -> bool:
    """``fn(fake_logits)``: the original minimax generator loss, ``mean log(1 - D(G(z)))``.

    Compared with ``gan.generator_loss_minimax`` on (6, 1) float32 logits, and on logits of 120
    and -120. Rejects the non-saturating loss, the source material's ``mean(1 - D(G(z)))`` (no
    log), the flipped sign, ``log D`` for ``log(1 - D)``, a sum over the batch, and an unstable
    ``log(1 - sigmoid(x))`` that gives -inf.
    """
    return verdict(name, _minimax_problems, fn)


def _minimax_problems(fn):
    from .. import gan  # imported here: TensorFlow loads only when a check runs

    for seed in (2, 3):
        logits = _logits(seed)
        got = call(fn, logits)
        if _is_numeric(got) and np.asarray(got, dtype=np.float64).shape != ():
            raise Wrong("your loss should be one number: the mean over the batch.")
        got = numbers(got, "my_g_loss_minimax(fake_logits)", shape=())
        right = float(gan.generator_loss_minimax(logits))
        if np.isclose(got, right, rtol=1e-4, atol=1e-5):
            continue
        d = 1 / (1 + np.exp(-logits.astype(np.float64)))
        candidates = [
            (
                np.mean(_softplus(-logits)),
                "that is the non-saturating loss -log D(G(z)); the "
                "minimax game's generator minimises log(1 - D(G(z))).",
            ),
            (
                np.mean(1 - d),
                "that is the source material's mean(1 - D(G(z))), without the log: "
                "take log(1 - D(G(z))) = -softplus(logit).",
            ),
            (
                -np.mean(1 - d),
                "no log: log(1 - D(G(z))) is -softplus(logit), not a function of 1 - D alone.",
            ),
            (
                -right,
                "sign flipped: log(1 - D) = -softplus(logit), so the loss is <= 0 and the "
                "generator lowers it by raising D(G(z)).",
            ),
            (
                -np.mean(_softplus(-logits)),
                "that is log D(G(z)); the minimax loss has log(1 - D(G(z))) = -softplus(logit).",
            ),
            (6 * right, "you summed over the batch: take the mean."),
        ]
        for value, message in candidates:
            if np.isclose(got, value, rtol=1e-4, atol=1e-5):
                raise Wrong(message)
        raise Wrong(
            f"your loss is {got:.5g}, expected {right:.5g}: mean(log(1 - D)) with "
            "log(1 - sigmoid(l)) = -softplus(l)."
        )
    far = np.array([[120.0], [-120.0]], "float32")
    extreme = call(fn, far)
    if not all_finite(extreme):
        raise Wrong(
            "your loss is -inf or NaN for a logit of 120: sigmoid(120) rounds to 1 and log(1 - 1) "
            "= -inf. Write log(1 - D) as -softplus(logit) (section 5)."
        )
    extreme = numbers(extreme, "my_g_loss_minimax([[120], [-120]])", shape=())
    if not np.isclose(extreme, -60.0, rtol=1e-3):
        raise Wrong(f"for logits 120 and -120 your loss is {extreme:.5g}, expected -60.")


__all__ = ["check_minimax_g_loss", "check_smoothed_d_loss"]
