"""Lesson 05's exercise checks accept the solution and reject the wrong answers learners write."""

import numpy as np
import pytest
import tensorflow as tf
from notebook_cells import solution_namespace

from imgen_helpers.exercises import lesson05 as ex


def _kl(mean, log_var):
    return 0.5 * np.sum(np.exp(log_var) + mean**2 - 1 - log_var, axis=-1)


def _iwae(log_w):
    top = log_w.max(axis=0)
    return top + np.log(np.mean(np.exp(log_w - top), axis=0))


def test_the_solutions_pass(capsys):
    assert ex.check_kl(_kl)
    assert ex.check_iwae(  # a TensorFlow answer gets float32 log-weights, as in the lesson
        lambda w: tf.reduce_logsumexp(w, axis=0) - tf.math.log(float(w.shape[0]))
    )
    assert ex.check_reparameterise(lambda m, lv, eps: m + tf.exp(0.5 * lv) * eps)
    assert ex.check_iwae(_iwae)
    assert capsys.readouterr().out.count("correct!") == 4


def test_the_notebooks_own_solutions_pass():
    found = solution_namespace("05_vae")
    assert ex.check_kl(found["my_kl"])
    assert ex.check_reparameterise(found["my_reparameterise"])
    assert ex.check_iwae(found["my_iwae"])


@pytest.mark.parametrize(
    "wrong, says",
    [
        (lambda m, lv: np.sum(np.exp(lv) + m**2 - 1 - lv, axis=-1), "factor 1/2"),
        (lambda m, lv: 0.5 * np.mean(np.exp(lv) + m**2 - 1 - lv, axis=-1), "averaged"),
        (lambda m, lv: 0.5 * np.sum(np.exp(lv) + m**2 - 1 + lv, axis=-1), "sign"),
        (lambda m, lv: 0.5 * np.sum(np.exp(0.5 * lv) + m**2 - 1 - lv, axis=-1), "the std"),
        (lambda m, lv: 0.5 * np.sum(np.exp(lv) + m**2 - lv, axis=-1), "the -1"),
        (lambda m, lv: 0.5 * np.sum(np.exp(lv) + m**2 - 1 - lv, axis=0), "batch axis"),
        (lambda m, lv: 0.5 * (np.exp(lv) + m**2 - 1 - lv), "one KL per image"),
        (lambda m, lv: 0.5 * np.sum(np.exp(lv) + m**2 - 1 - lv, -1, keepdims=True), "keepdims"),
        (lambda m, lv: 0.5 * np.sum(-np.exp(lv) + m**2 - 1 - lv, axis=-1), "negative"),
    ],
)
def test_wrong_kl_is_rejected_with_the_reason(wrong, says, capsys):
    assert not ex.check_kl(wrong)
    assert says in capsys.readouterr().out


@pytest.mark.parametrize(
    "wrong, says",
    [
        (lambda m, lv, eps: m + tf.exp(lv) * eps, "scaled by the std"),
        (lambda m, lv, eps: m + eps, "forgot to scale eps"),
        (lambda m, lv, eps: m + tf.exp(0.5 * lv), "no noise"),
        (lambda m, lv, eps: m + tf.exp(0.5 * lv) * tf.random.normal(m.shape), "draw no noise"),
        (
            lambda m, lv, eps: m.numpy() + np.exp(0.5 * lv.numpy()) * eps.numpy(),
            "tf.exp, not np.exp",
        ),
        (lambda m, lv, eps: m + tf.exp(0.5 * tf.stop_gradient(lv)) * eps, "tf.stop_gradient"),
    ],
)
def test_wrong_reparameterisation_is_rejected_with_the_reason(wrong, says, capsys):
    assert not ex.check_reparameterise(wrong)
    assert says in capsys.readouterr().out


@pytest.mark.parametrize(
    "wrong, says",
    [
        (lambda w: w.mean(axis=0), "the ELBO"),
        (lambda w: np.log(np.exp(w).sum(axis=0)), "summed the weights"),
        (lambda w: np.log(np.exp(w).mean(axis=0)), "underflows"),  # right maths, unstable
        (lambda w: _iwae(w.T), "reduced over images"),
        (lambda w: w.max(axis=0), "differ from log"),  # the max alone
        (lambda w: np.log(np.mean(np.exp(w), axis=0) + 1e-10), "shift by exactly"),  # padded log
    ],
)
def test_wrong_iwae_is_rejected_with_the_reason(wrong, says, capsys):
    assert not ex.check_iwae(wrong)
    assert says in capsys.readouterr().out
