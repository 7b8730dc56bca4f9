"""Lesson 06's exercise checks accept the solution and reject the wrong answers learners write."""

import numpy as np
import pytest
import tensorflow as tf
from notebook_cells import solution_namespace

from imgen_helpers import style_transfer as st
from imgen_helpers.exercises import lesson06 as ex


def _gram(divide=lambda n, h, w, c: h * w):
    def fn(features):
        n, h, w, c = features.shape
        flat = tf.reshape(features, (n, h * w, c))
        return tf.matmul(flat, flat, transpose_a=True) / divide(n, h, w, c)

    return fn


def _content(per_layer=lambda d: tf.reduce_mean(tf.square(d)), combine=np.mean):
    def fn(features, targets):
        return combine([per_layer(features[k] - targets[k]) for k in targets])

    return fn


def _tv(
    dy=lambda x: x[:, 1:] - x[:, :-1],
    dx=lambda x: x[:, :, 1:] - x[:, :, :-1],
    norm=np.abs,
    reduce=np.sum,
):
    def fn(images):
        return reduce(norm(dy(images))) + reduce(norm(dx(images)))

    return fn


def test_the_solutions_pass(capsys):
    assert ex.check_gram(_gram())
    assert ex.check_content_loss(_content())
    assert ex.check_total_variation(_tv())
    assert capsys.readouterr().out.count("correct!") == 3


def test_the_packages_own_functions_pass():
    assert ex.check_gram(st.gram_matrix)
    assert ex.check_content_loss(st.content_loss)
    assert ex.check_total_variation(st.total_variation_loss)


def test_the_notebooks_own_solutions_pass():
    found = solution_namespace("06_style_transfer", {"tf": tf})
    assert ex.check_gram(found["my_gram"])
    assert ex.check_content_loss(found["my_content_loss"])
    assert ex.check_total_variation(found["my_total_variation"])


def _batch_mixed(features):
    c = features.shape[-1]
    flat = tf.reshape(features, (-1, c))  # every image's positions in one pile
    return tf.matmul(flat, flat, transpose_a=True) / (features.shape[1] * features.shape[2])


def _transposed(features):
    n, h, w, c = features.shape
    flat = tf.reshape(features, (n, h * w, c))
    return tf.matmul(flat, flat, transpose_b=True) / (h * w)  # (N, HW, HW)


def _scrambled(features):
    n, h, w, c = features.shape
    flat = tf.reshape(features, (n, c, h * w))  # not a transpose: pixels and channels mixed
    return tf.matmul(flat, flat, transpose_b=True) / (h * w)


@pytest.mark.parametrize(
    "wrong, says",
    [
        (_gram(divide=lambda n, h, w, c: 1.0), "did not divide by the number of positions"),
        (_gram(divide=lambda n, h, w, c: h * w * c), "not by the channels too"),
        (_gram(divide=lambda n, h, w, c: n * h * w), "not by the batch size too"),
        (_batch_mixed, "keep the batch axis"),
        (_transposed, "multiply the other way"),
        (_scrambled, "mixes pixels and channels"),
        (lambda f: np.einsum("nijc,nijd->ncd", f, f**2) / 15, "symmetric"),
    ],
)
def test_wrong_grams_are_rejected_with_the_reason(wrong, says, capsys):
    assert not ex.check_gram(wrong)
    assert says in capsys.readouterr().out


def _one_mean(features, targets):
    return np.mean(np.concatenate([np.ravel(features[k] - targets[k]) ** 2 for k in targets]))


@pytest.mark.parametrize(
    "wrong, says",
    [
        (_content(combine=np.sum), "you added the layers"),
        (_one_mean, "one mean over the numbers of all layers"),
        (_content(per_layer=lambda d: tf.reduce_sum(tf.square(d))), "summed the squared"),
        (
            _content(per_layer=lambda d: 0.5 * tf.reduce_sum(tf.square(d)), combine=np.sum),
            "half sum",
        ),
        (_content(per_layer=lambda d: tf.reduce_mean(tf.abs(d))), "absolute values"),
        (_content(per_layer=lambda d: tf.sqrt(tf.reduce_mean(tf.square(d)))), "no square root"),
        (_content(per_layer=lambda d: tf.reduce_mean(d)), "expected"),  # no square at all
    ],
)
def test_wrong_content_losses_are_rejected_with_the_reason(wrong, says, capsys):
    assert not ex.check_content_loss(wrong)
    assert says in capsys.readouterr().out


@pytest.mark.parametrize(
    "wrong, says",
    [
        (_tv(norm=np.square), "not squares"),
        (_tv(reduce=np.mean), "not a mean"),
        (_tv(dx=lambda x: 0 * x), "add both directions"),
        (
            _tv(dy=lambda x: np.roll(x, 1, axis=1) - x, dx=lambda x: np.roll(x, 1, axis=2) - x),
            "wrap around",
        ),
        (lambda x: tf.image.total_variation(x), "one value per image"),
        (_tv(dx=lambda x: x[..., 1:] - x[..., :-1]), "channel axis"),
    ],
)
def test_wrong_total_variations_are_rejected_with_the_reason(wrong, says, capsys):
    assert not ex.check_total_variation(wrong)
    assert says in capsys.readouterr().out
