"""The speed wing of Gatys style transfer: a float32 twin and one traced loss-and-gradient graph.

:func:`imgen_helpers.style_transfer.stylize` uses both when called with ``fast=True`` (a
:class:`~imgen_helpers.style_transfer.StyleTransferConfig` field), and only for L-BFGS:

* :func:`float32_extractor`: L-BFGS's line search needs the loss and its gradient to agree to
  more digits than bfloat16 keeps, so under a ``mixed_bfloat16`` extractor it computes in a
  float32 twin with the same weights (Adam takes noisy gradients in its stride and keeps the
  fast dtype);
* :func:`value_and_grad_fn`: the loss and its gradient as ONE ``tf.function`` per extractor,
  with the targets and weights as inputs and the image size left open, so every scale of a
  coarse-to-fine run and every later call reuses one graph instead of tracing VGG19 and its
  gradient again (``python benchmarks/style_transfer.py`` prints each schedule's first call,
  tracing included, beside the later ones).

``tests/test_fast_style.py`` checks that both compute what the plain path computes.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

import tensorflow as tf

from .. import checks
from ..style_transfer import StyleContentLoss, weighted_losses
from ..vgg import FeatureExtractor

_FLOAT32_TWINS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_TRACED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def float32_extractor(extractor: FeatureExtractor) -> FeatureExtractor:
    """``extractor`` computing in float32: itself if it already does, else a float32 twin.

    The twin has the same layers (Keras' or the fast ones, as the extractor), is built once per
    extractor, and gets the extractor's current weights at every call, so weights loaded later
    are never stale.
    """
    checks.instance("extractor", extractor, FeatureExtractor, "a FeatureExtractor")
    if all(layer.compute_dtype == "float32" for layer in extractor.vgg_layers):
        return extractor
    twin = _FLOAT32_TWINS.get(extractor)
    if twin is None:
        twin = FeatureExtractor(
            extractor.style_layers,
            extractor.content_layers,
            extractor.pooling,
            "float32",
            random_weights=extractor.random_weights,
            fast=extractor.fast,
            name=extractor.name,
        )
        twin.trainable = False
        _FLOAT32_TWINS[extractor] = twin
    for mine, theirs in zip(twin.weights, extractor.weights, strict=True):
        mine.assign(theirs)  # (kernels and biases are float32 variables on both sides)
    return twin


def _relaxed_spec(tensor: tf.Tensor) -> tf.TensorSpec:
    """The spec of ``tensor`` with the height and width of an image batch left unknown."""
    shape = list(tensor.shape)
    if len(shape) == 4:
        shape[1] = shape[2] = None
    return tf.TensorSpec(shape, tf.float32)


def _traced_value_and_grad(loss_fn: StyleContentLoss, jit_compile: bool):
    """The cached ``tf.function(image, targets, weights) -> (losses, gradient)`` for ``loss_fn``.

    One graph per extractor, layer weights, target structure and ``jit_compile``, for any image
    size; the cache holds the extractor weakly.
    """
    layer_weights = tuple(sorted((loss_fn.layer_weights or {}).items()))
    specs = (
        tf.TensorSpec((1, None, None, 3), tf.float32),
        tf.nest.map_structure(_relaxed_spec, loss_fn.targets),
        tf.TensorSpec((3,), tf.float32),
    )
    key = (layer_weights, repr(specs), bool(jit_compile))
    cache = _TRACED.setdefault(loss_fn.extractor, {})
    if key not in cache:
        extractor = weakref.ref(loss_fn.extractor)  # the cache must not keep it alive
        weights_by_layer = loss_fn.layer_weights

        @tf.function(input_signature=specs, jit_compile=jit_compile)
        def value_and_grad(image, targets, weights):
            with tf.GradientTape() as tape:
                tape.watch(image)
                features = extractor()(image)
                losses = weighted_losses(features, image, targets, weights, weights_by_layer)
            return losses, tape.gradient(losses["loss"], image)

        cache[key] = value_and_grad
    return cache[key]


def value_and_grad_fn(
    loss_fn: StyleContentLoss, jit_compile: bool = False
) -> Callable[[tf.Tensor], tuple[dict[str, tf.Tensor], tf.Tensor]]:
    """``image -> (losses, d loss / d image)`` for ``loss_fn``, from the shared traced graph.

    Computes what ``tf.function(loss_fn.value_and_grad)`` computes (the plain path), for a
    float32 image (1, H, W, 3) in [0, 1]; only the tracing is shared.
    """
    checks.instance("loss_fn", loss_fn, StyleContentLoss, "a StyleContentLoss")
    jit_compile = checks.boolean("jit_compile", jit_compile)
    traced = _traced_value_and_grad(loss_fn, jit_compile)

    def value_and_grad(image):
        if not isinstance(image, tf.Tensor | tf.Variable):  # a learner's array: checked fully
            image = checks.tensor_images("image", image, channels=3)
        # the optimiser's own tensors: shape only, so no step pays for a copy to the host
        if len(image.shape) != 4 or image.shape[0] != 1 or image.shape[-1] != 3:
            raise ValueError(f"image must be one image (1, H, W, 3); got shape {image.shape}.")
        return traced(image, loss_fn.targets, loss_fn.weights)

    return value_and_grad


__all__ = ["float32_extractor", "value_and_grad_fn"]
