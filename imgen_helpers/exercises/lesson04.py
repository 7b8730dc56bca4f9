"""Checks for the exercises of ``04_gan_failure_modes``: the WGAN and LSGAN losses, and WGAN-GP's
interpolation and gradient penalty."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .grading import Wrong, call, numbers, verdict


def _scores(seed: int, n: int = 6):
    """Two batches of raw critic outputs, shape (n, 1), of either sign (no sigmoid)."""
    rng = np.random.default_rng(seed)
    real = rng.normal(1.0, 1.5, size=(n, 1)).astype("float32")
    fake = rng.normal(-0.5, 1.5, size=(n, 1)).astype("float32")
    return real, fake


def _pair(fn, real, fake, what: str) -> np.ndarray:
    """``fn(real, fake)`` read as the two losses (first the critic's, then the generator's)."""
    value = call(fn, real, fake)
    if not isinstance(value, tuple | list) or len(value) != 2:
        raise Wrong(f"{what} should return two numbers, (critic_loss, generator_loss).")
    return numbers([numbers(v, what, shape=()) for v in value], what)


def _softplus(x):
    return np.logaddexp(0.0, x)


def check_wgan_losses(fn: Callable, name: str = "Exercise 1") -> bool:
    """``fn(real_scores, fake_scores)``: WGAN's ``(critic_loss, generator_loss)``.

    ``critic_loss = mean f(fake) - mean f(real)`` and ``generator_loss = - mean f(fake)``, as
    ``gan.wasserstein_critic_loss`` and ``gan.wasserstein_generator_loss``. Called on two sets of
    scores (shape (6, 1)). Rejects either sign flipped, the sum instead of the mean, the
    cross-entropy of the standard GAN, and the generator loss written as minus the critic loss.
    """
    return verdict(name, _wgan_problems, fn)


def _wgan_problems(fn):
    for seed in (0, 1):
        real, fake = _scores(seed)
        critic, generator = _pair(fn, real, fake, "my_wgan_losses(real_scores, fake_scores)")
        right_c, right_g = fake.mean() - real.mean(), -fake.mean()
        if not np.isclose(critic, right_c, rtol=1e-4, atol=1e-5):
            if np.isclose(critic, -right_c, rtol=1e-4):
                raise Wrong(
                    "the critic's loss has the wrong sign: the critic wants high scores for real "
                    "data, so it minimises mean f(fake) - mean f(real)."
                )
            if np.isclose(critic, len(real) * right_c, rtol=1e-4):
                raise Wrong("you summed the scores: the losses are means over the batch.")
            minimax = _softplus(-real).mean() + _softplus(fake).mean()
            if np.isclose(critic, minimax, rtol=1e-4):
                raise Wrong(
                    "that is the cross-entropy of the standard GAN: WGAN's critic outputs an "
                    "unbounded score, no sigmoid and no log; its loss is a difference of means."
                )
            if np.isclose(critic, fake.mean(), rtol=1e-4) or np.isclose(critic, -real.mean()):
                raise Wrong("the critic's loss needs both terms: mean f(fake) - mean f(real).")
            raise Wrong(
                f"your critic loss is {critic:.4g}, expected mean f(fake) - mean f(real) = "
                f"{right_c:.4g}."
            )
        if not np.isclose(generator, right_g, rtol=1e-4, atol=1e-5):
            if np.isclose(generator, -right_g, rtol=1e-4):
                raise Wrong(
                    "the generator's loss has the wrong sign: the generator wants the critic to "
                    "score its fakes high, so it minimises - mean f(fake)."
                )
            if np.isclose(generator, -right_c, rtol=1e-4):
                raise Wrong(
                    "you wrote the generator's loss as minus the critic's: it has the same "
                    "gradient, but the term mean f(real) does not depend on the generator; the "
                    "WGAN paper (and gan.wasserstein_generator_loss) drop it: - mean f(fake)."
                )
            if np.isclose(generator, len(fake) * right_g, rtol=1e-4):
                raise Wrong("you summed the scores: the losses are means over the batch.")
            if np.isclose(generator, _softplus(-fake).mean(), rtol=1e-4):
                raise Wrong(
                    "that is the non-saturating loss of the standard GAN: WGAN's generator "
                    "minimises - mean f(fake), on the raw scores."
                )
            raise Wrong(
                f"your generator loss is {generator:.4g}, expected - mean f(fake) = {right_g:.4g}."
            )


def check_lsgan_losses(fn: Callable, name: str = "Exercise 2") -> bool:
    """``fn(real_outputs, fake_outputs)``: LSGAN's ``(discriminator_loss, generator_loss)``.

    ``0.5 mean (D(x) - 1)^2 + 0.5 mean D(G(z))^2`` and ``0.5 mean (D(G(z)) - 1)^2`` on raw
    outputs (targets a=0, b=1, c=1), as ``gan.lsgan_discriminator_loss`` and
    ``gan.lsgan_generator_loss``. Rejects the missing 1/2, swapped targets, the generator aiming
    at 0, a sigmoid on the outputs, absolute instead of squared differences, and the paper's
    other targets (-1, 1, 0).
    """
    return verdict(name, _lsgan_problems, fn)


def _lsgan(real, fake, a=0.0, b=1.0, c=1.0, power=2, half=0.5):
    d = half * (np.abs(real - b) ** power).mean() + half * (np.abs(fake - a) ** power).mean()
    return np.array([d, half * (np.abs(fake - c) ** power).mean()])


def _lsgan_problems(fn):
    for seed in (2, 3):
        real, fake = _scores(seed)
        got = _pair(fn, real, fake, "my_lsgan_losses(real_outputs, fake_outputs)")
        right = _lsgan(real, fake)
        if np.allclose(got, right, rtol=1e-4, atol=1e-5):
            continue
        if np.allclose(got, 2 * right, rtol=1e-4):
            raise Wrong("twice too big: each squared error has a factor 1/2 in front.")
        sigmoid = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731
        if np.allclose(got, _lsgan(sigmoid(real), sigmoid(fake)), rtol=1e-4):
            raise Wrong(
                "you passed the outputs through a sigmoid: LSGAN works on the raw output of the "
                "last linear unit."
            )
        if np.allclose(got, _lsgan(real, fake, a=-1.0, b=1.0, c=0.0), rtol=1e-4):
            raise Wrong(
                "targets -1, 1 and 0 are the LSGAN paper's other choice; this course uses "
                "a = 0 (fake), b = 1 (real) and c = 1 (what the generator aims at)."
            )
        if np.allclose(got, _lsgan(real, fake, power=1), rtol=1e-4):
            raise Wrong("least squares: square the differences, not their absolute values.")
        if np.isclose(got[0], _lsgan(real, fake, a=1.0, b=0.0)[0], rtol=1e-4):
            raise Wrong(
                "the discriminator's targets are swapped: real outputs should go to 1 and fake "
                "ones to 0."
            )
        if not np.isclose(got[0], right[0], rtol=1e-4, atol=1e-5):
            raise Wrong(
                f"your discriminator loss is {got[0]:.4g}, expected 0.5 mean (D(x) - 1)^2 + "
                f"0.5 mean D(G(z))^2 = {right[0]:.4g}."
            )
        if np.isclose(got[1], _lsgan(real, fake, c=0.0)[1], rtol=1e-4):
            raise Wrong(
                "your generator pushes its fakes' outputs to 0, where the discriminator wants "
                "them: the generator aims at 1, 0.5 mean (D(G(z)) - 1)^2."
            )
        raise Wrong(
            f"your generator loss is {got[1]:.4g}, expected 0.5 mean (D(G(z)) - 1)^2 = "
            f"{right[1]:.4g}."
        )


def check_interpolation(fn: Callable, name: str = "Exercise 3") -> bool:
    """``fn(real, fake)``: WGAN-GP's random points between real and fake images, same shape.

    Called on 1,000 tiny images (1000, 3, 3, 2). From the result it recovers each point's
    position on the segment from real to fake and requires one weight per image (the same at
    every pixel and channel), between 0 and 1, different across images and spread uniformly.
    Rejects one weight per pixel, one weight (or a fixed number) for the whole batch, weights
    drawn from a normal distribution, and points off the segment.
    """
    return verdict(name, _interpolation_problems, fn)


def _interpolation_problems(fn):
    rng = np.random.default_rng(4)
    shape = (1000, 3, 3, 2)
    real = rng.uniform(-1.0, -0.5, shape).astype("float32")
    fake = rng.uniform(0.5, 1.0, shape).astype("float32")  # at least 1 away from real
    mixed = numbers(call(fn, real, fake), "my_interpolate(real, fake)")
    if mixed.shape != shape:
        raise Wrong(
            f"expected points with the images' shape {shape}, got {mixed.shape}: return "
            "x_hat = eps * real + (1 - eps) * fake itself, not eps."
        )
    t = (mixed - real) / (fake - real)  # 0 at real, 1 at fake, on the segment between them
    per_image = t.reshape(len(t), -1)
    if np.ptp(per_image, axis=1).max() > 1e-4:
        if t.min() >= -1e-5 and t.max() <= 1 + 1e-5:
            raise Wrong(
                "your weight changes from pixel to pixel (or channel to channel): draw one "
                "weight per image, shape (batch, 1, 1, 1), so that each point lies on the "
                "straight line between a real image and a fake one."
            )
        raise Wrong(
            "your points do not lie between real and fake: x_hat = eps * real + (1 - eps) * "
            "fake, with the same eps for every pixel of an image."
        )
    eps = per_image[:, 0]
    if eps.min() < -1e-5 or eps.max() > 1 + 1e-5:
        raise Wrong(
            f"some weights lie outside [0, 1] (from {eps.min():.2f} to {eps.max():.2f}): draw "
            "them from a uniform distribution in [0, 1] (tf.random.uniform), not a normal one."
        )
    if np.ptp(eps) < 1e-4:
        raise Wrong(
            f"every image gets the same weight ({eps[0]:.3g}): draw one weight per image, "
            "tf.random.uniform((batch, 1, 1, 1)), not one for the whole batch or a fixed number."
        )
    if abs(eps.mean() - 0.5) > 0.05 or abs(eps.std() - np.sqrt(1 / 12)) > 0.03:
        raise Wrong(
            f"your 1,000 weights have mean {eps.mean():.2f} and std {eps.std():.2f}; uniform "
            "weights in [0, 1] have mean 0.5 and std 0.29: use tf.random.uniform with its "
            "defaults minval=0, maxval=1."
        )


class _QuadraticCritic:
    """``f(x) = 0.5 sum w x^2`` per image, so that ``grad f(x) = w x``: a known gradient."""

    def __init__(self, weights):
        import tensorflow as tf

        self.weights = tf.constant(weights)

    def __call__(self, x, training=False):
        import tensorflow as tf

        return 0.5 * tf.reduce_sum(self.weights * tf.square(x), axis=[1, 2, 3])[:, None]


def check_gradient_penalty(fn: Callable, name: str = "Exercise 4") -> bool:
    """``fn(critic, x_hat)``: WGAN-GP's penalty ``mean_i (||grad f(x_hat_i)||_2 - 1)^2``.

    Called with a critic whose gradient is known (``f(x) = 0.5 sum w x^2`` per image) and six
    images (6, 4, 4, 3) as a ``tf.constant`` whose gradient norms lie on both sides of 1.
    Rejects the norm over the whole batch, over the channel axis only, the squared norm, no
    square, the one-sided penalty, the sum over images, the weight lambda included, the gradient
    of the mean score, and a forgotten ``tape.watch``.
    """
    return verdict(name, _penalty_problems, fn)


def _penalty_problems(fn):
    import tensorflow as tf

    rng = np.random.default_rng(5)
    weights = rng.uniform(0.5, 1.5, (1, 4, 4, 3)).astype("float32")
    directions = rng.normal(size=(6, 4, 4, 3))
    targets = np.array([0.3, 0.6, 1.4, 2.0, 0.8, 2.5])  # the gradient norms, some below 1
    grads = weights * directions
    grads *= (targets / np.sqrt((grads**2).sum(axis=(1, 2, 3))))[:, None, None, None]
    x_hat = (grads / weights).astype("float32")  # grad f(x_hat) = w * x_hat = grads
    grads = weights.astype(np.float64) * x_hat
    try:
        value = call(fn, _QuadraticCritic(weights), tf.constant(x_hat))
    except Wrong as problem:
        if "None" in str(problem):
            raise Wrong(
                f"{problem} Is the gradient None? x_hat is a tf.constant, so the tape sees it "
                "only after tape.watch(x_hat)."
            ) from None
        raise
    got = numbers(value, "my_gradient_penalty(critic, x_hat)")
    if got.shape == (6,) or got.shape == (6, 1):
        raise Wrong("you return one penalty per image: the penalty is their mean, one number.")
    got = float(numbers(got, "my_gradient_penalty(critic, x_hat)", shape=()))
    norms = np.sqrt((grads**2).sum(axis=(1, 2, 3)))
    right = np.mean((norms - 1) ** 2)
    if np.isclose(got, right, rtol=1e-3):
        return
    if np.isclose(got, (np.sqrt((grads**2).sum()) - 1) ** 2, rtol=1e-3):
        raise Wrong(
            "you took one norm over the whole batch: take the norm of each image's gradient "
            "(sum over axes 1, 2, 3), then average (norm - 1)^2 over the images."
        )
    if np.isclose(got, np.mean((np.sqrt((grads**2).sum(axis=-1)) - 1) ** 2), rtol=1e-3):
        raise Wrong(
            "your norm runs over the channels only: sum the squares over every axis but the "
            "batch axis, axis=[1, 2, 3]."
        )
    if np.isclose(got, np.mean((norms**2 - 1) ** 2), rtol=1e-3):
        raise Wrong("you used the squared norm: take the square root of the sum of squares.")
    if np.isclose(got, np.mean(norms - 1), rtol=1e-3) or np.isclose(
        got, np.mean(np.abs(norms - 1)), rtol=1e-3
    ):
        raise Wrong("square the difference: the penalty is (||grad|| - 1)^2.")
    if np.isclose(got, np.mean(np.maximum(norms - 1, 0) ** 2), rtol=1e-3):
        raise Wrong(
            "that is the one-sided penalty, max(0, ||grad|| - 1)^2; WGAN-GP penalises gradient "
            "norms below 1 as well: (||grad|| - 1)^2."
        )
    if np.isclose(got, len(norms) * right, rtol=1e-3):
        raise Wrong("you summed over the images: the penalty is the mean over the batch.")
    if np.isclose(got, 10 * right, rtol=1e-3) or np.isclose(got, 0.1 * right, rtol=1e-3):
        raise Wrong(
            "leave the weight lambda out: return the penalty itself; the GAN multiplies it by "
            "gp_weight."
        )
    if np.isclose(got, np.mean((norms / len(norms) - 1) ** 2), rtol=1e-3):
        raise Wrong(
            "you took the gradient of the mean score, which divides every gradient by the batch "
            "size: take the gradient of the scores themselves, tape.gradient(scores, x_hat)."
        )
    raise Wrong(
        f"your penalty is {got:.4g}, expected {right:.4g}: the gradient of critic(x_hat) with "
        "respect to x_hat, its norm per image, then the mean of (norm - 1)^2."
    )


__all__ = [
    "check_gradient_penalty",
    "check_interpolation",
    "check_lsgan_losses",
    "check_wgan_losses",
]
