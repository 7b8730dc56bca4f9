"""The speed wing of style transfer computes what the plain path computes.

``build_extractor(fast=True)`` (fast convolutions) and ``stylize(..., fast=True)`` (float32 twin,
one traced loss-and-gradient graph, :mod:`imgen_helpers.fast.style`), with seeded random VGG19
weights.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

from imgen_helpers import style_transfer as st
from imgen_helpers.fast import style as fast_style

SHALLOW = {"style_layers": ("block1_conv1", "block2_conv1"), "content_layers": ("block2_conv2",)}


def _image(h, w, seed=0):
    rng = np.random.default_rng(seed)
    smooth = rng.random((h // 4 + 2, w // 4 + 2, 3)).astype(np.float32)
    big = tf.image.resize(smooth[None], (h, w), method="bilinear")[0].numpy()
    return np.clip(big, 0, 1).astype(np.float32)


def _extractor(fast=False, dtype="float32", **layers):
    return st.build_extractor(
        **(layers or SHALLOW), allow_random_weights=True, seed=0, dtype=dtype, fast=fast
    )


def _loss_and_gradient(loss_fn, image):
    with tf.GradientTape() as tape:
        tape.watch(image)
        losses = loss_fn(image)
    return losses, tape.gradient(losses["loss"], image)


def test_plain_extractor_uses_keras_layers_and_the_fast_one_the_same_weights_and_outputs():
    from imgen_helpers.fast import layers as fast_layers

    plain, fast = _extractor(), _extractor(fast=True)
    assert {type(layer) for layer in plain.vgg_layers if layer.weights} == {keras.layers.Conv2D}
    assert {type(layer) for layer in fast.vgg_layers if layer.weights} == {fast_layers.Conv2D}
    assert [w.path for w in plain.weights] == [w.path for w in fast.weights]
    for a, b in zip(plain.weights, fast.weights, strict=True):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    style, content, image = _image(32, 32, 1), _image(32, 40, 2), st.as_batch(_image(32, 40, 3))
    plain_losses, plain_grad = _loss_and_gradient(st.StyleContentLoss(plain, style, content), image)
    fast_losses, fast_grad = _loss_and_gradient(st.StyleContentLoss(fast, style, content), image)
    for key in ("loss", "style", "content", "tv"):
        np.testing.assert_allclose(fast_losses[key], plain_losses[key], rtol=1e-5)
    scale = float(tf.reduce_max(tf.abs(plain_grad)))
    np.testing.assert_allclose(fast_grad, plain_grad, rtol=1e-3, atol=1e-5 * scale)


def test_fast_value_and_grad_equals_the_plain_one_and_is_traced_once():
    extractor = _extractor()
    style = _image(48, 48, 20)
    sizes = [(32, 40), (24, 56)]
    losses = [
        st.StyleContentLoss(extractor, style, _image(*sizes[0], 21)),
        st.StyleContentLoss(
            extractor, style, _image(*sizes[1], 22), style_weight=5.0, tv_weight=0.5
        ),
    ]
    traced = fast_style._traced_value_and_grad(losses[0], False)
    for loss_fn, size in zip(losses, sizes, strict=True):  # other sizes, targets, weights
        assert fast_style._traced_value_and_grad(loss_fn, False) is traced
        image = st.as_batch(_image(*size, 23))
        value, grad = fast_style.value_and_grad_fn(loss_fn)(image)
        plain_value, plain_grad = tf.function(loss_fn.value_and_grad)(image)
        for key in ("loss", "style", "content", "tv"):
            np.testing.assert_allclose(value[key].numpy(), plain_value[key].numpy(), rtol=1e-5)
        np.testing.assert_allclose(grad.numpy(), plain_grad.numpy(), rtol=1e-3, atol=1e-6)
    assert traced.experimental_get_tracing_count() == 1
    # the weights are inputs, not constants frozen at the first trace
    tv = fast_style.value_and_grad_fn(losses[1])(image)[0]["tv"]
    assert float(tv) == pytest.approx(0.5 * float(st.total_variation_loss(image)), rel=1e-5)
    # no content image: another target structure, so a graph of its own
    texture = st.StyleContentLoss(extractor, style, None)
    assert fast_style._traced_value_and_grad(texture, False) is not traced
    assert float(fast_style.value_and_grad_fn(texture)(image)[0]["content"]) == 0.0


def test_float32_twin_tracks_the_weights_and_matches_a_float32_extractor():
    layers = {"style_layers": ("block1_conv1", "block2_conv1"), "content_layers": ()}
    bf16 = _extractor(fast=True, dtype="mixed_bfloat16", **layers)
    twin = fast_style.float32_extractor(bf16)
    assert twin is not bf16 and fast_style.float32_extractor(bf16) is twin  # built once
    assert {layer.compute_dtype for layer in twin.vgg_layers} == {"float32"}
    assert twin.fast and fast_style.float32_extractor(twin) is twin
    for a, b in zip(bf16.weights, twin.weights, strict=True):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    # weights changed after the twin was built reach it at the next call
    first = bf16.vgg_layers[0]
    first.kernel.assign(first.kernel * 2.0)
    np.testing.assert_array_equal(fast_style.float32_extractor(bf16).weights[0], first.kernel)
    first.kernel.assign(first.kernel / 2.0)
    # fast L-BFGS on the bfloat16 extractor follows, to float32 rounding, plain L-BFGS on an
    # independently built float32 extractor with the same seeded weights
    exact = _extractor(dtype="float32", **layers)
    image, style = _image(40, 40, 1), _image(40, 40, 2)
    kwargs = dict(method="lbfgs", steps=6, content_weight=0.0, progress=False)
    fast_run = st.stylize(image, style, bf16, fast=True, **kwargs)
    plain_run = st.stylize(image, style, exact, **kwargs)
    assert len(fast_run.history["loss"]) == len(plain_run.history["loss"]) >= 3
    np.testing.assert_allclose(fast_run.history["loss"], plain_run.history["loss"], rtol=1e-5)


def test_fast_and_plain_stylize_follow_the_same_coarse_to_fine_lbfgs_run():
    extractor = _extractor()
    content, style = _image(40, 48, 12), _image(40, 40, 13)
    kwargs = dict(method="lbfgs", steps=(4, 3), scales=(0.5, 1.0), progress=False)
    plain = st.stylize(content, style, extractor, **kwargs)
    fast = st.stylize(content, style, extractor, fast=True, **kwargs)
    assert plain.history["scale"] == fast.history["scale"]
    np.testing.assert_allclose(fast.history["loss"], plain.history["loss"], rtol=1e-4)
    np.testing.assert_allclose(fast.image, plain.image, atol=1e-3)
