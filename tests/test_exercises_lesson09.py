"""Lesson 09's exercise checks accept the solution and reject the wrong answers learners write."""

import numpy as np
import pytest
import tensorflow as tf
from notebook_cells import solution_namespace

from imgen_helpers import diffusion
from imgen_helpers.exercises import lesson09 as ex


def _column(alpha_bar, x0):  # (N,) -> (N, 1, ..., 1), to scale whole examples
    return np.reshape(alpha_bar, (-1,) + (1,) * (np.ndim(x0) - 1))


def _q_sample(x0, alpha_bar, noise):
    ab = _column(alpha_bar, x0)
    return np.sqrt(ab) * x0 + np.sqrt(1 - ab) * noise


def _q_sample_tf(x0, alpha_bar, noise):
    ab = tf.reshape(alpha_bar, [-1] + [1] * (len(x0.shape) - 1))
    return tf.sqrt(ab) * x0 + tf.sqrt(1.0 - ab) * noise


def _x0_hat(x_t, eps, ab_t):
    return (x_t - np.sqrt(1 - ab_t) * eps) / np.sqrt(ab_t)


def _ddim_step(x_t, eps, ab_t, ab_prev):
    return np.sqrt(ab_prev) * _x0_hat(x_t, eps, ab_t) + np.sqrt(1 - ab_prev) * eps


def _ddim_step_tf(x_t, eps, ab_t, ab_prev):
    x0 = (x_t - tf.sqrt(1.0 - ab_t) * eps) / tf.sqrt(ab_t)
    return tf.sqrt(ab_prev) * x0 + tf.sqrt(1.0 - ab_prev) * eps


def _ddim_step_expanded(x_t, eps, ab_t, ab_prev):  # the same step, multiplied out
    eps_weight = np.sqrt(1 - ab_prev) - np.sqrt(ab_prev * (1 - ab_t) / ab_t)
    return np.sqrt(ab_prev / ab_t) * x_t + eps_weight * eps


def test_the_solutions_pass(capsys):
    assert ex.check_forward_marginal(_q_sample)
    assert ex.check_forward_marginal(_q_sample_tf)
    assert ex.check_forward_marginal(diffusion.q_sample)
    assert ex.check_ddim_step(_ddim_step)
    assert ex.check_ddim_step(_ddim_step_tf)
    assert ex.check_ddim_step(_ddim_step_expanded)
    assert ex.check_guidance(lambda cond, uncond, scale: uncond + scale * (cond - uncond))
    assert ex.check_guidance(lambda c, u, s: tf.constant(u) + s * (tf.constant(c) - u))
    assert ex.check_guidance(lambda c, u, s: (1 - s) * u + s * c)
    assert capsys.readouterr().out.count("correct!") == 9


def _first_alpha_for_all(x0, alpha_bar, noise):
    return np.sqrt(alpha_bar[0]) * x0 + np.sqrt(1 - alpha_bar[0]) * noise


def _last_from_a_loop(x0, alpha_bar, noise):
    for a in alpha_bar:  # meant to go example by example, keeps only the last value
        signal, rest = np.sqrt(a), np.sqrt(1 - a)
    return signal * x0 + rest * noise


def _loop_one_short(x0, alpha_bar, noise):
    x_t = np.zeros_like(x0)
    for i in range(len(x0) - 1):
        x_t[i] = np.sqrt(alpha_bar[i]) * x0[i] + np.sqrt(1 - alpha_bar[i]) * noise[i]
    return x_t


def _for_images_only(x0, alpha_bar, noise):
    ab = alpha_bar[:, None, None, None]
    return np.sqrt(ab) * x0 + np.sqrt(1 - ab) * noise


def _for_points_only(x0, alpha_bar, noise):
    ab = alpha_bar[:, None]
    return np.sqrt(ab) * x0 + np.sqrt(1 - ab) * noise


def _q_sample_with(signal, rest):
    """x_t with the given coefficient functions of alpha_bar (N, 1, ...)."""

    def fn(x0, alpha_bar, noise):
        ab = _column(alpha_bar, x0)
        return signal(ab) * x0 + rest(ab) * noise

    return fn


@pytest.mark.parametrize(
    "wrong, says",
    [
        (_q_sample_with(lambda a: a, lambda a: 1 - a), "variance 0.50, not 1"),
        (_q_sample_with(lambda a: a, lambda a: np.sqrt(1 - a)), "you scaled x0 by alpha_bar"),
        (_q_sample_with(np.sqrt, lambda a: 1 - a), "you scaled the noise by 1 - alpha_bar"),
        (_q_sample_with(lambda a: np.sqrt(1 - a), np.sqrt), "coefficients are swapped"),
        (_q_sample_with(lambda a: 1.0, lambda a: np.sqrt(1 - a)), "variance 1.50, not 1"),
        (_q_sample_with(np.sqrt, lambda a: 1.0), "must be scaled by sqrt(1 - alpha_bar)"),
        (lambda x0, ab, noise: noise, "noise alone"),
        (lambda x0, ab, noise: x0, "you returned x0"),
        (_q_sample_with(np.sqrt, lambda a: 0.0), "no noise in it"),
        (_first_alpha_for_all, "one alpha_bar for the whole batch (the first"),
        (_last_from_a_loop, "(the last"),
        (
            lambda x0, ab, noise: np.sqrt(ab.mean()) * x0 + np.sqrt(1 - ab.mean()) * noise,
            "(the mean",
        ),
        (_loop_one_short, "examples [5] are not"),
        (
            lambda x0, ab, noise: np.sqrt(ab) * x0 + np.sqrt(1 - ab) * noise,
            "could not be broadcast",
        ),
        (_for_images_only, "broadcasting made the array bigger"),
        (_for_points_only, "for images (4, 28, 28, 1), your function raised"),
        (
            lambda x0, ab, noise: _q_sample(x0, ab, np.random.default_rng().normal(size=x0.shape)),
            "draw no noise",
        ),
        (_q_sample_with(np.sqrt, lambda a: np.sqrt(a - 1)), "NaN"),
    ],
)
def test_wrong_forward_marginals_are_rejected_with_the_reason(wrong, says, capsys):
    with np.errstate(all="ignore"):
        assert not ex.check_forward_marginal(wrong)
    out = capsys.readouterr().out
    assert says in out
    assert out.count("not quite") == 1


def test_the_broadcasting_message_says_how_to_reshape(capsys):
    assert not ex.check_forward_marginal(_for_points_only)
    assert "(N, 1, 1, 1) for images" in capsys.readouterr().out


def _ddpm_mean(x_t, eps, ab_t, ab_prev):  # Ho et al.'s Algorithm 2, without its noise
    alpha = ab_t / ab_prev
    return (x_t - (1 - alpha) / np.sqrt(1 - ab_t) * eps) / np.sqrt(alpha)


def _ddpm_step(x_t, eps, ab_t, ab_prev):  # ... and with it
    noise = np.random.default_rng().normal(size=x_t.shape)
    return _ddpm_mean(x_t, eps, ab_t, ab_prev) + np.sqrt(1 - ab_t / ab_prev) * noise


@pytest.mark.parametrize(
    "wrong, says",
    [
        (
            lambda x, e, t, p: np.sqrt(p) * (x - np.sqrt(1 - t) * e) / t + np.sqrt(1 - p) * e,
            "you divided by alpha_bar_t",
        ),
        (lambda x, e, t, p: _ddim_step(x, e, t, t), "returns x_t unchanged"),
        (lambda x, e, t, p: _ddim_step(x, e, p, p), "returns x_t unchanged"),
        (lambda x, e, t, p: _ddim_step(x, e, p, t), "swapped"),
        (
            lambda x, e, t, p: np.sqrt(p) * _x0_hat(x, e, t) + np.sqrt(1 - t) * e,
            "your noise term uses alpha_bar_t",
        ),
        (
            lambda x, e, t, p: np.sqrt(t) * _x0_hat(x, e, t) + np.sqrt(1 - p) * e,
            "you scaled x0_hat by sqrt(alpha_bar_t)",
        ),
        (_ddpm_mean, "DDPM's posterior mean"),
        (_ddpm_step, "your step is random"),
        (lambda x, e, t, p: _x0_hat(x, e, t), "you returned x0_hat"),
        (
            lambda x, e, t, p: np.sqrt(p) * _x0_hat(x, e, t) - np.sqrt(1 - p) * e,
            "sign of the noise term",
        ),
        (
            lambda x, e, t, p: np.sqrt(p) * _x0_hat(x, -e, t) + np.sqrt(1 - p) * e,
            "sign in x0_hat",
        ),
        (lambda x, e, t, p: np.stack([_x0_hat(x, e, t), _ddim_step(x, e, t, p)]), "shape"),
        (lambda x, e, t, p: _ddim_step(x, e, t, p) / np.sqrt(1 - p) * np.sqrt(1 - p), "NaN"),
        (lambda x, e, t, p: 0.9 * _ddim_step(x, e, t, p), "differs from"),
    ],
)
def test_wrong_ddim_steps_are_rejected_with_the_reason(wrong, says, capsys):
    with np.errstate(all="ignore"):
        assert not ex.check_ddim_step(wrong)
    out = capsys.readouterr().out
    assert says in out
    assert out.count("not quite") == 1


@pytest.mark.parametrize(
    "wrong, says",
    [
        (lambda c, u, s: c + s * (u - c), "turned round"),
        (lambda c, u, s: (1 + s) * c - s * u, "so w = scale - 1"),
        (lambda c, u, s: c + s * (c - u), "4 * cond - 3 * uncond"),  # the same, from cond
        (lambda c, u, s: s * c, "only stretches"),
        (lambda c, u, s: s * (c - u), "forgot to start from uncond"),
        (lambda c, u, s: u + s * c, "multiplies the difference"),
        (lambda c, u, s: (c + u) / 2, "averaged"),
        (lambda c, u, s: c, "does not change with scale"),
        (lambda c, u, s: u + 7.5 * (c - u), "does not change with scale"),
        (lambda c, u, s: u + s * (c - u) ** 2, "at scale 3.0 your result"),
        (lambda c, u, s: np.stack([c, u]), "shape"),
        (lambda c, u, s: u + s * (c - u) / s, "NaN"),  # divides by scale 0
    ],
)
def test_wrong_guidance_is_rejected_with_the_reason(wrong, says, capsys):
    with np.errstate(all="ignore"):
        assert not ex.check_guidance(wrong)
    out = capsys.readouterr().out
    assert says in out
    assert out.count("not quite") == 1


def test_the_notebooks_own_solutions_pass():
    found = solution_namespace("09_diffusion")
    assert ex.check_forward_marginal(found["my_q_sample"])
    assert ex.check_ddim_step(found["my_ddim_step"])
    assert ex.check_guidance(found["my_guided"])
