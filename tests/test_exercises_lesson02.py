"""Lesson 02's exercise checks accept the solution and reject the wrong answers learners write."""

import keras
import pytest
import tensorflow as tf
from notebook_cells import solution_namespace

from imgen_helpers.exercises import lesson02 as ex

sp = tf.math.softplus


def _smoothed(real, fake, real_label):
    real_term = real_label * sp(-real) + (1 - real_label) * sp(real)
    return tf.reduce_mean(real_term) + tf.reduce_mean(sp(fake))


def test_the_solutions_pass(capsys):
    assert ex.check_smoothed_d_loss(_smoothed)
    assert ex.check_minimax_g_loss(lambda fake: -tf.reduce_mean(sp(fake)))
    assert capsys.readouterr().out.count("correct!") == 2


def test_the_notebooks_own_solutions_pass():
    found = solution_namespace("02_first_gan", {"tf": tf})
    assert ex.check_smoothed_d_loss(found["my_smoothed_d_loss"])
    assert ex.check_minimax_g_loss(found["my_g_loss_minimax"])


def _naive_log(real, fake, t):  # right formula, but log(sigmoid) instead of softplus
    d_real, d_fake = tf.sigmoid(real), tf.sigmoid(fake)
    real_term = -t * tf.math.log(d_real) - (1 - t) * tf.math.log(1 - d_real)
    return tf.reduce_mean(real_term) - tf.reduce_mean(tf.math.log(1 - d_fake))


def _keras_bce(real, fake, t):  # a loss that expects probabilities, given logits
    bce = keras.losses.BinaryCrossentropy()
    return bce(tf.fill(tf.shape(real), t), real) + bce(tf.zeros_like(fake), fake)


@pytest.mark.parametrize(
    "wrong, says",
    [
        (lambda r, f, t: _smoothed(-r, -f, t), "labels swapped"),
        # the swap learners write: real images labelled 0, fakes labelled real_label
        (
            lambda r, f, t: tf.reduce_mean(sp(r)) + tf.reduce_mean(t * sp(-f) + (1 - t) * sp(f)),
            "labels swapped",
        ),
        (
            lambda r, f, t: _smoothed(r, f, t) + tf.reduce_mean((1 - t) * (sp(-f) - sp(f))),
            "smoothed the fake labels too",
        ),
        (lambda r, f, t: _smoothed(r, f, 1.0), "real_label has no effect"),
        (lambda r, f, t: _smoothed(r, f, 1 - t), "not 1 - real_label"),
        (
            lambda r, f, t: tf.reduce_mean(t * sp(-r)) + tf.reduce_mean(sp(f)),
            "dropped the second term",
        ),
        (lambda r, f, t: tf.reduce_mean(t * sp(-r) + (1 - t) * sp(r)), "fake images' term"),
        (
            lambda r, f, t: tf.reduce_sum(t * sp(-r) + (1 - t) * sp(r)) + tf.reduce_sum(sp(f)),
            "summed over the batch",
        ),
        (lambda r, f, t: _smoothed(r, f, t) / 2, "averaged the two terms"),
        (lambda r, f, t: _smoothed(tf.sigmoid(r), tf.sigmoid(f), t), "not probabilities"),
        (_keras_bce, "not probabilities"),
        (lambda r, f, t: t * sp(-r) + (1 - t) * sp(r) + sp(f), "one number"),
        (_naive_log, "infinite or NaN"),
        (lambda r, f: _smoothed(r, f, 0.9), "TypeError"),  # real_label argument forgotten
    ],
)
def test_wrong_smoothed_d_losses_are_rejected_with_the_reason(wrong, says, capsys):
    assert not ex.check_smoothed_d_loss(wrong)
    assert says in capsys.readouterr().out


@pytest.mark.parametrize(
    "wrong, says",
    [
        (lambda f: tf.reduce_mean(sp(-f)), "non-saturating"),
        (lambda f: tf.reduce_mean(1 - tf.sigmoid(f)), "source material"),
        (lambda f: tf.reduce_mean(sp(f)), "sign flipped"),
        (lambda f: -tf.reduce_mean(sp(-f)), "that is log D(G(z))"),
        (lambda f: -tf.reduce_sum(sp(f)), "summed over the batch"),
        (lambda f: tf.reduce_mean(tf.math.log(1 - tf.sigmoid(f))), "-inf or NaN"),
        (lambda f: -sp(f), "one number"),
    ],
)
def test_wrong_minimax_losses_are_rejected_with_the_reason(wrong, says, capsys):
    assert not ex.check_minimax_g_loss(wrong)
    assert says in capsys.readouterr().out
