"""Lesson 07's exercise checks accept the solution and reject the wrong answers learners write."""

import numpy as np
import pytest
import tensorflow as tf
from notebook_cells import solution_namespace

from imgen_helpers.exercises import lesson07 as ex


def _reflect_pad(mode="reflect", grow=lambda k: k // 2, channels=False, one_side=False):
    def fn(image, kernel_size):
        p = grow(kernel_size)
        sides = (0, p) if one_side else (p, p)
        return np.pad(image, (sides, sides, sides if channels else (0, 0)), mode=mode)

    return fn


def _nearest(x):
    return tf.repeat(tf.repeat(x, 2, axis=1), 2, axis=2)  # each pixel into a 2x2 block


def _mirror(x, mode="REFLECT"):
    return tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], mode=mode)


def _upsample_conv(x, kernel):
    return tf.nn.conv2d(_mirror(_nearest(x)), kernel, strides=1, padding="VALID")


def _bilinear(x):
    return tf.image.resize(x, (2 * x.shape[1], 2 * x.shape[2]), method="bilinear")


def _adain(axes=(1, 2), epsilon=True, root=tf.sqrt, scale=True, shift=True, swap=False):
    def fn(content, style, eps):
        if swap:
            content, style = style, content
        eps = eps if epsilon else 0.0
        mean_c, var_c = tf.nn.moments(content, axes=list(axes), keepdims=True)
        mean_s, var_s = tf.nn.moments(style, axes=list(axes), keepdims=True)
        out = (content - mean_c) / root(var_c + eps)
        out = out * root(var_s + eps) if scale else out
        return out + mean_s if shift else out

    return fn


def test_the_solutions_pass(capsys):
    assert ex.check_reflect_pad(_reflect_pad())
    assert ex.check_upsample_conv(_upsample_conv)
    assert ex.check_adain(_adain())
    assert capsys.readouterr().out.count("correct!") == 3


def test_a_keras_layer_in_bfloat16_still_passes():
    """The lesson's automatic policy may be mixed_bfloat16: Keras layers then round."""
    up = tf.keras.layers.UpSampling2D(2, dtype="mixed_bfloat16")
    assert ex.check_upsample_conv(
        lambda x, k: tf.nn.conv2d(_mirror(tf.cast(up(x), tf.float32)), k, 1, "VALID")
    )


def test_the_notebooks_own_solutions_pass():
    found = solution_namespace("07_fast_style_transfer", {"tf": tf})
    assert ex.check_reflect_pad(found["my_reflect_pad"])
    assert ex.check_upsample_conv(found["my_upsample_conv"])
    assert ex.check_adain(found["my_adain"])


@pytest.mark.parametrize(
    "wrong, says",
    [
        (_reflect_pad(mode="symmetric"), "repeat the edge pixel"),
        (_reflect_pad(mode="constant"), "border is zeros"),
        (_reflect_pad(mode="edge"), "border pixel outwards"),
        (_reflect_pad(grow=lambda k: k), "kernel_size // 2"),  # padding the whole kernel
        (_reflect_pad(grow=lambda k: k - 1), "kernel_size // 2"),  # on each side, not in total
        (_reflect_pad(channels=True), "height and width only"),
        (_reflect_pad(one_side=True), "one side only"),
        (_reflect_pad(mode="wrap"), "mirror image"),
    ],
)
def test_wrong_padding_is_rejected_with_the_reason(wrong, says, capsys):
    assert not ex.check_reflect_pad(wrong)
    assert says in capsys.readouterr().out


@pytest.mark.parametrize(
    "wrong, says",
    [
        (lambda x, k: tf.nn.conv2d(_nearest(x), k, 1, "SAME"), "pad with zeros"),
        (lambda x, k: _nearest(tf.nn.conv2d(_mirror(x), k, 1, "VALID")), "convolve first"),
        (lambda x, k: tf.nn.conv2d(_mirror(_bilinear(x)), k, 1, "VALID"), "bilinear"),
        (lambda x, k: tf.nn.conv2d(_mirror(tf.tile(x, [1, 2, 2, 1])), k, 1, "VALID"), "np.tile"),
        (lambda x, k: tf.nn.conv2d(_mirror(x), k, 1, "VALID"), "(2, 8, 10, 4)"),  # no upsampling
        (lambda x, k: tf.nn.conv2d(_nearest(x), k, 1, "VALID"), "(2, 8, 10, 4)"),  # no padding
        (lambda x, k: tf.nn.relu(_upsample_conv(x, k)), "no bias, no activation"),
    ],
)
def test_wrong_upsampling_blocks_are_rejected_with_the_reason(wrong, says, capsys):
    assert not ex.check_upsample_conv(wrong)
    assert says in capsys.readouterr().out


@pytest.mark.parametrize(
    "wrong, says",
    [
        (_adain(axes=(0, 1, 2)), "batch normalisation"),
        (_adain(axes=(1, 2, 3)), "layer normalisation"),
        (_adain(epsilon=False), "sqrt(variance + epsilon)"),
        (_adain(root=lambda v: v), "divide by the variance"),
        (_adain(swap=True), "swapped"),
        (_adain(scale=False), "standard deviation is missing"),
        (_adain(shift=False), "mean is missing"),
        (lambda c, s, eps: c, "differs from"),  # the content unchanged
    ],
)
def test_wrong_adain_is_rejected_with_the_reason(wrong, says, capsys):
    assert not ex.check_adain(wrong)
    assert says in capsys.readouterr().out
