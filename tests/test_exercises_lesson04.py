"""Lesson 04's exercise checks accept the solution and reject the wrong answers learners write."""

import pytest
import tensorflow as tf
from notebook_cells import solution_namespace

from imgen_helpers.exercises import lesson04 as ex


def _softplus(x):
    return tf.math.softplus(x)


def _wgan(critic_sign=1, generator=None, reduce=tf.reduce_mean):
    def fn(real, fake):
        critic = critic_sign * (reduce(fake) - reduce(real))
        return critic, (-reduce(fake) if generator is None else generator(real, fake))

    return fn


def _lsgan(a=0.0, b=1.0, c=1.0, half=0.5, square=tf.square, squash=lambda x: x):
    def fn(real, fake):
        real, fake = squash(real), squash(fake)
        d = half * tf.reduce_mean(square(real - b)) + half * tf.reduce_mean(square(fake - a))
        return d, half * tf.reduce_mean(square(fake - c))

    return fn


def _interpolate(eps_shape=lambda real: (real.shape[0], 1, 1, 1), draw=tf.random.uniform):
    def fn(real, fake):
        eps = draw(eps_shape(real))
        return eps * real + (1 - eps) * fake

    return fn


def _penalty(
    norm_axes=(1, 2, 3),
    finish=lambda n: tf.reduce_mean(tf.square(n - 1.0)),
    watch=True,
    score=lambda s: s,
    root=tf.sqrt,
):
    def fn(critic, x_hat):
        with tf.GradientTape() as tape:
            if watch:
                tape.watch(x_hat)
            scores = score(critic(x_hat, training=True))
        grads = tape.gradient(scores, x_hat)
        return finish(root(tf.reduce_sum(tf.square(grads), axis=norm_axes)))

    return fn


def test_the_solutions_pass(capsys):
    assert ex.check_wgan_losses(_wgan())
    assert ex.check_lsgan_losses(_lsgan())
    assert ex.check_interpolation(_interpolate())
    assert ex.check_gradient_penalty(_penalty())
    assert capsys.readouterr().out.count("correct!") == 4


def test_the_notebooks_own_solutions_pass():
    found = solution_namespace("04_gan_failure_modes", {"tf": tf})
    assert ex.check_wgan_losses(found["my_wgan_losses"])
    assert ex.check_lsgan_losses(found["my_lsgan_losses"])
    assert ex.check_interpolation(found["my_interpolate"])
    assert ex.check_gradient_penalty(found["my_gradient_penalty"])


@pytest.mark.parametrize(
    "wrong, says",
    [
        (_wgan(critic_sign=-1), "critic's loss has the wrong sign"),
        (_wgan(generator=lambda r, f: tf.reduce_mean(f)), "generator's loss has the wrong sign"),
        (_wgan(reduce=tf.reduce_sum), "summed the scores"),
        (
            lambda r, f: (tf.reduce_mean(_softplus(-r)) + tf.reduce_mean(_softplus(f)), 0.0),
            "cross-entropy",
        ),
        (_wgan(generator=lambda r, f: tf.reduce_mean(r) - tf.reduce_mean(f)), "minus the critic"),
        (_wgan(generator=lambda r, f: tf.reduce_mean(_softplus(-f))), "non-saturating"),
        (lambda r, f: tf.reduce_mean(f) - tf.reduce_mean(r), "two numbers"),
    ],
)
def test_wrong_wgan_losses_are_rejected_with_the_reason(wrong, says, capsys):
    assert not ex.check_wgan_losses(wrong)
    assert says in capsys.readouterr().out


@pytest.mark.parametrize(
    "wrong, says",
    [
        (_lsgan(half=1.0), "twice too big"),
        (_lsgan(a=1.0, b=0.0), "targets are swapped"),
        (_lsgan(c=0.0), "aims at 1"),
        (_lsgan(squash=tf.sigmoid), "sigmoid"),
        (_lsgan(square=tf.abs), "square the differences"),
        (_lsgan(a=-1.0, b=1.0, c=0.0), "other choice"),
    ],
)
def test_wrong_lsgan_losses_are_rejected_with_the_reason(wrong, says, capsys):
    assert not ex.check_lsgan_losses(wrong)
    assert says in capsys.readouterr().out


@pytest.mark.parametrize(
    "wrong, says",
    [
        (_interpolate(eps_shape=lambda real: real.shape), "pixel to pixel"),  # eps per pixel
        (_interpolate(eps_shape=lambda real: (real.shape[0], 1, 1, 2)), "channel to channel"),
        (_interpolate(eps_shape=lambda real: (1, 1, 1, 1)), "same weight"),  # one for the batch
        (_interpolate(eps_shape=lambda real: ()), "same weight"),
        (lambda real, fake: 0.5 * real + 0.5 * fake, "same weight"),  # a fixed number
        (_interpolate(draw=tf.random.normal), "normal one"),  # keras-io issues 143 and 415
        (_interpolate(draw=lambda s: tf.random.uniform(s, 0.0, 0.5)), "have mean 0.5 and std"),
        (lambda real, fake: tf.random.uniform((real.shape[0], 1, 1, 1)), "not eps"),
        (_interpolate(draw=lambda s: tf.random.uniform(s, -1.0, 1.0)), "outside [0, 1]"),
    ],
)
def test_wrong_interpolations_are_rejected_with_the_reason(wrong, says, capsys):
    assert not ex.check_interpolation(wrong)
    assert says in capsys.readouterr().out


@pytest.mark.parametrize(
    "wrong, says",
    [
        (_penalty(norm_axes=None), "whole batch"),
        (_penalty(norm_axes=-1), "channels only"),
        (_penalty(root=lambda x: x), "squared norm"),
        (_penalty(finish=lambda n: tf.reduce_mean(n - 1.0)), "square the difference"),
        (_penalty(finish=lambda n: tf.reduce_mean(tf.abs(n - 1.0))), "square the difference"),
        (_penalty(finish=lambda n: tf.reduce_mean(tf.nn.relu(n - 1.0) ** 2)), "one-sided"),
        (_penalty(finish=lambda n: tf.reduce_sum(tf.square(n - 1.0))), "summed over the images"),
        (_penalty(finish=lambda n: 10 * tf.reduce_mean(tf.square(n - 1.0))), "weight lambda"),
        (_penalty(finish=lambda n: tf.square(n - 1.0)), "one penalty per image"),
        (_penalty(score=tf.reduce_mean), "gradient of the mean score"),
        (_penalty(watch=False), "tape.watch"),
    ],
)
def test_wrong_gradient_penalties_are_rejected_with_the_reason(wrong, says, capsys):
    assert not ex.check_gradient_penalty(wrong)
    assert says in capsys.readouterr().out
