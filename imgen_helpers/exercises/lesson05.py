"""Checks for the exercises of ``05_vae``: the KL term, the reparameterisation, the IWAE bound."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .grading import Wrong, call, numbers, verdict


def _gaussians(seed: int = 0, n: int = 5, d: int = 3):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)).astype("float32"), rng.normal(size=(n, d)).astype("float32")


def check_kl(fn: Callable, name: str = "Exercise 2") -> bool:
    """``fn(mean, log_var)``: KL(N(mean, exp(log_var)) || N(0, I)) per image, shape (N,).

    Compared with the closed form summed over latent dimensions; names the usual slips: the sign
    of the log-variance term, the missing 1/2, the mean over dimensions instead of the sum, the
    standard deviation where the variance belongs, the forgotten -1, and the wrong axis.
    """
    return verdict(name, _kl_problems, fn)


def _kl_terms(mean, log_var):
    return np.exp(log_var) + mean**2 - 1 - log_var


def _kl_problems(fn):
    mean, log_var = _gaussians()
    got = numbers(call(fn, mean, log_var), "my_kl(mean, log_var)")
    right = 0.5 * _kl_terms(mean, log_var).sum(axis=-1)
    if got.shape != right.shape:
        if got.shape == (3,):
            raise Wrong("you summed over the batch axis: sum over latent dimensions (axis=-1).")
        if got.shape == (5, 1):
            raise Wrong("one KL per image, shape (5,): drop keepdims=True from your sum.")
        raise Wrong(f"expected one KL per image, shape (5,), got {got.shape}: sum over axis=-1.")
    if np.allclose(got, right, rtol=1e-4, atol=1e-5):
        zero = numbers(call(fn, np.zeros((1, 3)), np.zeros((1, 3))), "my_kl(0, 0)")
        if not np.allclose(zero, 0, atol=1e-6):
            raise Wrong("KL(N(0, I) || N(0, I)) must be 0.")
        return
    if np.allclose(got, right * 2, rtol=1e-4):
        raise Wrong("twice too big: the closed form has a factor 1/2 in front.")
    if np.allclose(got, right / 3, rtol=1e-4):
        raise Wrong(
            "you averaged over latent dimensions: the KL of independent dimensions is a sum."
        )
    if np.allclose(got, 0.5 * (np.exp(0.5 * log_var) + mean**2 - 1 - log_var).sum(-1), rtol=1e-4):
        raise Wrong("exp(log_var) is the variance; you used exp(0.5 * log_var), the std.")
    if np.allclose(got, 0.5 * (np.exp(log_var) + mean**2 - log_var).sum(-1), rtol=1e-4):
        raise Wrong("you forgot the -1 per dimension: with it, KL(N(0, I) || N(0, I)) is 0.")
    if np.allclose(got, 0.5 * (np.exp(log_var) + mean**2 - 1 + log_var).sum(-1), rtol=1e-4):
        raise Wrong("check the sign of the log-variance term: it is - log_var.")
    if np.any(got < -1e-6):
        raise Wrong(
            f"your KL is negative ({got.min():.3f}) and a KL never is: check the sign of the "
            "log-variance term (it is exp(log_var) - log_var, minus)."
        )
    raise Wrong(
        "your values differ from 1/2 * sum(exp(log_var) + mean^2 - 1 - log_var) over the latent "
        "dimensions: compare your formula term by term."
    )


def check_reparameterise(fn: Callable, name: str = "Exercise 1") -> bool:
    """``fn(mean, log_var, eps)``: z = mean + exp(log_var / 2) * eps, differentiable in both.

    Called with TensorFlow variables; checks the values and that the gradient with respect to
    log_var is 0.5 * (z - mean) (the noise carries no gradient). Rejects exp(log_var) as the
    scale, a missing eps or scale, and noise the function draws itself instead of ``eps``.
    """
    return verdict(name, _reparameterise_problems, fn)


def _reparameterise_problems(fn):
    import tensorflow as tf

    mean, log_var = _gaussians(seed=1)
    eps = np.random.default_rng(2).normal(size=mean.shape).astype("float32")
    mean_var, log_var_var = tf.Variable(mean), tf.Variable(log_var)
    with tf.GradientTape() as tape:
        z_tensor = call(fn, mean_var, log_var_var, tf.constant(eps))
    z = numbers(z_tensor, "my_reparameterise(mean, log_var, eps)", shape=mean.shape)
    right = mean + np.exp(0.5 * log_var) * eps
    if not np.allclose(z, right, rtol=1e-4, atol=1e-5):
        if np.allclose(z, mean + np.exp(log_var) * eps, rtol=1e-4, atol=1e-5):
            raise Wrong(
                "exp(log_var) is the variance; the noise is scaled by the std, exp(0.5 * log_var)."
            )
        if np.allclose(z, mean + eps, rtol=1e-4, atol=1e-5):
            raise Wrong("you forgot to scale eps by the standard deviation exp(0.5 * log_var).")
        if np.allclose(z, mean + np.exp(0.5 * log_var), rtol=1e-4, atol=1e-5):
            raise Wrong("z has no noise in it: multiply the std by eps.")
        raise Wrong(
            "z should be mean + exp(0.5 * log_var) * eps, using the eps given (draw no noise of "
            "your own: the check passes its own eps)."
        )
    if not tf.is_tensor(z_tensor):
        raise Wrong(
            f"z is a {type(z_tensor).__name__}, not a tensor: build it from TensorFlow ops "
            "(tf.exp, not np.exp), or no gradient can flow back to mean and log_var."
        )
    try:
        gradient = tape.gradient(z_tensor, log_var_var)
    except Exception as error:  # noqa: BLE001 - a learner's graph may not be differentiable
        raise Wrong(f"TensorFlow could not differentiate z: {type(error).__name__}.") from None
    if gradient is None:
        raise Wrong(
            "no gradient reaches log_var: build z from TensorFlow ops (tf.exp, not np.exp; NumPy "
            "breaks the tape) and do not wrap log_var in tf.stop_gradient."
        )
    if not np.allclose(numbers(gradient, "dz/dlog_var"), 0.5 * (z - mean), rtol=1e-3, atol=1e-5):
        raise Wrong("dz/dlog_var should be 0.5 * (z - mean): only mean and log_var carry gradient.")


def check_iwae(fn: Callable, name: str = "Exercise 3") -> bool:
    """``fn(log_w)``: log (1/K) sum_k exp(log_w[k]) per image, for log_w of shape (K, N).

    Tried on log-weights near -1000 (what a real image gives), where exp underflows unless the
    maximum is subtracted first. Rejects the ELBO (mean of log_w), the forgotten 1/K, the wrong
    axis, and the unstable formula.
    """
    return verdict(name, _iwae_problems, fn)


def _logmeanexp(log_w):
    top = log_w.max(axis=0)
    return top + np.log(np.mean(np.exp(log_w - top), axis=0))


def _iwae_problems(fn):
    # float32, as the lesson's log-weights are (a TensorFlow answer must accept them)
    small = np.random.default_rng(3).normal(size=(8, 4)).astype("float32")
    got = numbers(call(fn, small.copy()), "my_iwae(log_w) for log_w of shape (8, 4)")
    if got.shape != (4,):
        if got.shape == (8,):
            raise Wrong("you reduced over images: average the K weights of each image (axis=0).")
        raise Wrong(f"expected one bound per image, shape (4,), got {got.shape}.")
    right = _logmeanexp(small.astype(np.float64))
    if np.allclose(got, small.mean(axis=0), rtol=1e-4, atol=1e-5):
        raise Wrong("that is the mean of log w, the ELBO: the IWAE bound is log of the mean of w.")
    if np.allclose(got, right + np.log(8), rtol=1e-4, atol=1e-5):
        raise Wrong("you summed the weights: the bound averages them (divide by K, i.e. - log K).")
    if not np.allclose(got, right, rtol=1e-4, atol=1e-5):
        raise Wrong("your values differ from log (1/K) sum_k exp(log_w[k]) for each image.")
    large = small - np.float32(1000.0)  # a real image's log-weights: exp(-1000) is 0
    with np.errstate(all="ignore"):
        value = call(fn, large.copy())
    try:
        big = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise Wrong("my_iwae(log_w) should be numbers.") from None
    if big.shape != (4,):
        raise Wrong(f"for log-weights near -1000 your result has shape {big.shape}, not (4,).")
    if not np.all(np.isfinite(big)):
        raise Wrong(
            "for log-weights near -1000 your result is not finite: exp underflows to 0. Subtract "
            "the maximum over K first: m + log mean exp(log_w - m)."
        )
    if not np.allclose(big, right - 1000.0, atol=1e-2):
        raise Wrong(
            f"for log-weights near -1000 your bound is {big[0]:.2f} for the first image, not "
            f"{right[0] - 1000.0:.2f}: it must shift by exactly -1000 when every log-weight does "
            "(no small constants added inside the log)."
        )


__all__ = ["check_iwae", "check_kl", "check_reparameterise"]
