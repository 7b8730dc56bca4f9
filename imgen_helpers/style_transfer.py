"""Neural style transfer (Gatys et al.): optimise an image's pixels to match content and style.

Reads top to bottom, like keras.io's "Neural style transfer" example:

1. the VGG19 feature extractor, from :mod:`imgen_helpers.vgg` (its public names are
   re-exported here, so a lesson needs one import);
2. the pure losses: :func:`gram_matrix`, :func:`style_loss`, :func:`content_loss`,
   :func:`total_variation_loss`, bundled with precomputed targets in :class:`StyleContentLoss`;
3. image helpers: :func:`as_batch`, :func:`resize`, luminance for colour preservation;
4. optimisation with the image as the variable: :func:`stylize` is a short driver over small
   pieces (the images at each scale, the starting image, one loop per method: :func:`_adam`
   and :func:`_lbfgs`, a :class:`_Recorder` for history and progress, :func:`_finish`);
   :func:`synthesize_texture` is the same with the style loss only, starting from noise.

Fast style transfer (Johnson et al., lesson 07) lives in :mod:`imgen_helpers.style_network`.
The speed wing (:mod:`imgen_helpers.fast.style`) is used only when
``StyleTransferConfig(fast=True)`` says so; the field's comment says what it changes.

Conventions: images are float32 RGB in [0, 1], shape (H, W, 3) or (1, H, W, 3). The Gram matrix
is divided by the number of spatial locations H*W (see :func:`gram_matrix`), and the default
weights (style 1e-2, content 1e4, total variation 30) are those of the TensorFlow tutorial, so a
loss printed here means the same as the tutorial's. Taught in ``06_style_transfer.ipynb``.
"""

from __future__ import annotations

import dataclasses
import functools
import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import keras
import numpy as np
import tensorflow as tf

from . import checks
from ._moved import moved
from .images import to_unit_range

# 1. The VGG19 feature extractor: imgen_helpers/vgg.py
from .vgg import (
    CONTENT_LAYERS,
    MIN_SIZE,
    STYLE_LAYERS,
    FeatureExtractor,
    WeightsUnavailableError,
    build_extractor,
    show_weights_banner,
    vgg_preprocess,
    weights_banner,
)

# --------------------------------------------------------------------------------------------
# 2. Losses (pure functions) and targets
# --------------------------------------------------------------------------------------------


def gram_matrix(features: tf.Tensor) -> tf.Tensor:
    """Gram matrix of feature maps, divided by the number of spatial locations.

    ``G[n, c, d] = sum_{i,j} F[n, i, j, c] * F[n, i, j, d] / (H * W)``: the average over
    positions of the product of channels c and d. Symmetric and positive semi-definite.

    Normalisation: this is the TensorFlow tutorial's convention. keras.io's example uses the
    raw sum (no division) and divides in the style loss by ``4 * C^2 * (H*W)^2`` instead (Gatys
    et al.'s E_l); the two give the same optimum per layer but different loss scales. Dividing
    here by H*W makes the Gram matrix independent of image size, so a style image of another
    size, or coarse-to-fine scales, compare directly.

    Args:
        features: float tensor (N, H, W, C).

    Returns:
        float32 tensor (N, C, C).
    """
    features = checks.tensor_images("features", features, value_range=None)
    features = tf.cast(features, tf.float32)
    shape = tf.shape(features)
    locations = tf.cast(shape[1] * shape[2], tf.float32)
    return tf.einsum("nijc,nijd->ncd", features, features) / locations  # (N, C, C)


def _layer_weights(names: Sequence[str], weights: Mapping[str, float] | None) -> dict[str, float]:
    if weights is None:
        return {n: 1.0 / len(names) for n in names}
    checks.instance("layer_weights", weights, Mapping, "a dict {style layer name: weight}")
    extra = set(weights) - set(names)
    if extra:
        raise ValueError(
            f"layer_weights names layers {sorted(extra)} that are not style layers here "
            f"({list(names)}): check the spelling, or build the extractor with those layers."
        )
    missing = set(names) - set(weights)
    if missing:
        raise ValueError(f"layer_weights has no weight for layers {sorted(missing)}.")
    return {n: checks.non_negative(f"layer_weights[{n!r}]", weights[n]) for n in names}


def _shape(value) -> tuple:
    return tuple(getattr(value, "shape", None) or np.shape(value))


def _fits(target: tuple, features: tuple) -> bool:
    """True if a target of shape ``target`` broadcasts against ``features`` (None: unknown)."""
    if len(target) != len(features) or not target:
        return False
    same = lambda a, b: a is None or b is None or a == b  # noqa: E731
    batch_ok = target[0] == 1 or same(target[0], features[0])
    return batch_ok and all(same(a, b) for a, b in zip(target[1:], features[1:], strict=True))


def _checked_pairs(features, targets, what: str) -> None:
    """``features`` and ``targets`` are dicts and every target layer has activations."""
    checks.instance("features", features, Mapping, "a dict {layer name: activations}")
    checks.instance(what, targets, Mapping, "a dict {layer name: target}")
    missing = [n for n in targets if n not in features]
    if missing:
        raise ValueError(
            f"features has no activations for layers {missing} of {what}: compute both with "
            f"the same extractor (features has {list(features)})."
        )


def style_loss(
    features: Mapping[str, tf.Tensor],
    target_grams: Mapping[str, tf.Tensor],
    layer_weights: Mapping[str, float] | None = None,
) -> tf.Tensor:
    """Weighted sum over layers of the mean squared difference of Gram matrices.

    ``sum_l w_l * mean_{c,d} (G_l(x)[c, d] - A_l[c, d])^2`` with :func:`gram_matrix` (divided by
    H*W). With the default weights ``w_l = 1 / L`` this is the TF tutorial's style loss before
    its ``style_weight``; per layer it is 4 times Gatys et al.'s E_l with normalised Grams.

    Args:
        features: layer name -> activations (N, H, W, C) of the image being optimised.
        target_grams: layer name -> Gram matrix (1 or N, C, C) of the style image.
        layer_weights: layer name -> weight; None gives every layer 1 / number of layers.

    Returns:
        float32 scalar.
    """
    _checked_pairs(features, target_grams, "target_grams")
    weights = _layer_weights(list(target_grams), layer_weights)
    total = tf.constant(0.0, tf.float32)
    for name, target in target_grams.items():
        channels = _shape(features[name])[-1]
        found = _shape(target)
        if len(found) != 3 or found[-1] != found[-2] or channels not in (found[-1], None):
            raise ValueError(
                f"target_grams[{name!r}] has shape {found}, but features[{name!r}] has "
                f"{channels} channels: expected (1, {channels}, {channels}), the gram_matrix() "
                "of the style image's activations at the same layer."
            )
        checks.tensor_images(f"target_grams[{name!r}]", target, value_range=None, ranks=(3,))
        diff = gram_matrix(features[name]) - tf.cast(target, tf.float32)
        total += weights[name] * tf.reduce_mean(tf.square(diff))
    return total


def content_loss(
    features: Mapping[str, tf.Tensor],
    targets: Mapping[str, tf.Tensor],
    layer_weights: Mapping[str, float] | None = None,
) -> tf.Tensor:
    """Weighted sum over layers of the mean squared difference of activations.

    ``sum_l w_l * mean (F_l(x) - P_l)^2`` (TF tutorial convention; Gatys et al. use half the
    sum). Zero when the image is the content image.

    Args:
        features: layer name -> activations (N, H, W, C) of the image being optimised.
        targets: layer name -> activations of the content image, same shapes.
        layer_weights: layer name -> weight; None gives every layer 1 / number of layers.

    Returns:
        float32 scalar.
    """
    _checked_pairs(features, targets, "targets")
    weights = _layer_weights(list(targets), layer_weights)
    total = tf.constant(0.0, tf.float32)
    for name, target in targets.items():
        mine, theirs = _shape(features[name]), _shape(target)
        if not _fits(theirs, mine):
            raise ValueError(
                f"targets[{name!r}] has shape {theirs} but features[{name!r}] has shape {mine}: "
                "compute the targets from a content image of the same size as the image."
            )
        checks.tensor_images(f"features[{name!r}]", features[name], value_range=None)
        checks.tensor_images(f"targets[{name!r}]", target, value_range=None)
        diff = tf.cast(features[name], tf.float32) - tf.cast(target, tf.float32)
        total += weights[name] * tf.reduce_mean(tf.square(diff))
    return total


def total_variation_loss(images: tf.Tensor) -> tf.Tensor:
    """Anisotropic total variation: summed absolute differences of neighbouring pixels.

    ``sum_n sum |x[n, i+1, j] - x[n, i, j]| + |x[n, i, j+1] - x[n, i, j]|`` over all channels,
    i.e. ``tf.reduce_sum(tf.image.total_variation(images))``, the TF tutorial's term.
    A sum, so it grows with the number of pixels.

    Args:
        images: float tensor (N, H, W, C).

    Returns:
        float32 scalar.
    """
    images = checks.tensor_images("images", images, value_range=None)
    images = tf.cast(images, tf.float32)
    dy = tf.abs(images[:, 1:, :, :] - images[:, :-1, :, :])
    dx = tf.abs(images[:, :, 1:, :] - images[:, :, :-1, :])
    return tf.reduce_sum(dy) + tf.reduce_sum(dx)


class StyleContentLoss:
    """The total Gatys loss with its targets computed once.

    ``loss(image)`` returns ``{"loss", "style", "content", "tv"}`` (already weighted) for an
    image batch (1, H, W, 3) in [0, 1]. The style Gram matrices and content activations are
    computed here, once, not at every step, and kept in ``targets``; the weights are kept in
    ``weights`` (style, content, total variation), a float32 tensor of 3.
    """

    def __init__(
        self,
        extractor: FeatureExtractor,
        style_image,
        content_image=None,
        style_weight: float = 1e-2,
        content_weight: float = 1e4,
        tv_weight: float = 30.0,
        layer_weights: Mapping[str, float] | None = None,
    ):
        checks.instance("extractor", extractor, FeatureExtractor, "a FeatureExtractor")
        style_weight = checks.non_negative("style_weight", style_weight)
        content_weight = checks.non_negative("content_weight", content_weight)
        tv_weight = checks.non_negative("tv_weight", tv_weight)
        _layer_weights(extractor.style_layers, layer_weights)
        _check_extractor_has_layers(
            extractor, style_weight, content_weight, content_image is not None
        )
        self.extractor = extractor
        self.style_weight = style_weight
        self.content_weight = content_weight if content_image is not None else 0.0
        self.tv_weight = tv_weight
        self.layer_weights = layer_weights
        style = extractor(as_batch(style_image, "style_image"))["style"]
        self.target_grams = {n: gram_matrix(f) for n, f in style.items()}
        self.content_targets = {}
        if content_image is not None:
            self.content_targets = extractor(as_batch(content_image, "content_image"))["content"]
        self.targets = {"style": self.target_grams, "content": self.content_targets}
        self.weights = tf.constant(
            [self.style_weight, self.content_weight, self.tv_weight], tf.float32
        )

    def __call__(self, image: tf.Tensor) -> dict[str, tf.Tensor]:
        image = checks.tensor_images("image", image, channels=3)
        return weighted_losses(
            self.extractor(image), image, self.targets, self.weights, self.layer_weights
        )

    def value_and_grad(self, image: tf.Tensor) -> tuple[dict[str, tf.Tensor], tf.Tensor]:
        """``(losses, d loss / d image)`` for a float32 image (1, H, W, 3): what L-BFGS needs."""
        image = tf.convert_to_tensor(checks.tensor_images("image", image, channels=3))
        with tf.GradientTape() as tape:
            tape.watch(image)
            losses = self(image)
        return losses, tape.gradient(losses["loss"], image)


def weighted_losses(features, image, targets, weights, layer_weights) -> dict[str, tf.Tensor]:
    """The weighted Gatys losses of ``image`` from its ``features`` (a pure function).

    Args:
        features: ``extractor(image)``, ``{"style": {...}, "content": {...}}``.
        image: (1, H, W, 3) in [0, 1], for the total variation.
        targets: ``{"style": {layer: Gram (1, C, C)}, "content": {layer: activations}}``;
            an empty "content" dict means no content term (texture synthesis).
        weights: float32 (3,): style, content, total-variation weights.
        layer_weights: style layer -> weight, or None for equal weights.

    Returns:
        ``{"loss", "style", "content", "tv"}``, float32 scalars, already weighted.
    """
    for name, value in (("features", features), ("targets", targets)):
        checks.instance(name, value, Mapping, 'a dict {"style": {...}, "content": {...}}')
        if set(value) != {"style", "content"}:
            raise ValueError(f'{name} must have the keys "style" and "content"; got {list(value)}.')
    image = checks.tensor_images("image", image, channels=3)
    if _shape(weights) != (3,):
        raise ValueError(
            f"weights must hold 3 numbers (style, content, total variation); got shape "
            f"{_shape(weights)}."
        )
    if tf.executing_eagerly():
        for i, part in enumerate(("style", "content", "tv")):
            checks.non_negative(f"weights[{i}] ({part})", np.asarray(weights)[i])
    style = weights[0] * style_loss(features["style"], targets["style"], layer_weights)
    content = tf.constant(0.0)
    if targets["content"]:
        content = weights[1] * content_loss(features["content"], targets["content"])
    tv = weights[2] * total_variation_loss(image)
    return {"loss": style + content + tv, "style": style, "content": content, "tv": tv}


# --------------------------------------------------------------------------------------------
# 3. Images: checked batches, resizing, luminance
# --------------------------------------------------------------------------------------------


def as_batch(image, name: str = "image") -> tf.Tensor:
    """A single RGB image as a float32 tensor (1, H, W, 3) in [0, 1], checked.

    Accepts (H, W, 3) or (1, H, W, 3), float in [0, 1] or uint8; grayscale (H, W) or
    (H, W, 1) is repeated to three channels. RGBA is refused: how transparency should look
    is a choice, and ``load_image(path)`` makes it (composited over white).
    """
    checks.instance("name", name, str, "a string")
    x = checks.images(name, image, ranks=(2, 3, 4), allow_uint8=True)
    if x.dtype == np.uint8:
        x = to_unit_range(x, "uint8")
    if x.ndim == 4:
        if x.shape[0] != 1:
            raise ValueError(
                f"{name}: give one image (H, W, 3) or (1, H, W, 3); got batch {x.shape}."
            )
        x = x[0]
    if x.ndim == 2:
        x = x[..., None]
    if x.shape[-1] == 4:
        raise ValueError(
            f"{name} has 4 channels (RGBA); expected RGB (H, W, 3). Drop the alpha channel with "
            "image[..., :3], or read the file with load_image(path), which composites over white."
        )
    if x.shape[-1] == 1:
        x = np.repeat(x, 3, axis=-1)
    if x.shape[-1] != 3:
        raise ValueError(f"{name} must have 1 or 3 channels; got shape {x.shape}.")
    if min(x.shape[:2]) < MIN_SIZE:
        raise ValueError(
            f"{name} is {x.shape[1]}x{x.shape[0]} pixels; VGG19 needs at least {MIN_SIZE} on each "
            "side (four 2x2 poolings come before block5). Use a larger image."
        )
    return tf.convert_to_tensor(x[None].astype(np.float32))


def resize(image: tf.Tensor, size: tuple[int, int]) -> tf.Tensor:
    """Bilinear (antialiased) resize of (N, H, W, C) to (height, width), clipped to [0, 1]."""
    image = checks.tensor_images("image", image)
    size = checks.int_tuple("size", size, 2, layout="(height, width)")
    out = tf.image.resize(image, size, method="bilinear", antialias=True)
    return tf.clip_by_value(out, 0.0, 1.0)


def luminance(images: tf.Tensor) -> tf.Tensor:
    """Y channel of YIQ for RGB in [0, 1], shape (..., 1), in [0, 1]."""
    images = checks.tensor_images("images", images, ranks=(3, 4), channels=3)
    return tf.image.rgb_to_yiq(images)[..., :1]


def match_luminance(source: tf.Tensor, reference: tf.Tensor) -> tf.Tensor:
    """Shift and scale ``source``'s luminance to the mean and std of ``reference``'s, as grey RGB.

    The luminance-only transfer of Gatys et al. (2017): the style's luminance is matched to the
    content's so the painting's overall brightness does not leak into the result.
    """
    source = checks.tensor_images("source", source, ranks=(3, 4), channels=3)
    reference = checks.tensor_images("reference", reference, ranks=(3, 4), channels=3)
    y_src, y_ref = luminance(source), luminance(reference)
    mean_s, std_s = tf.reduce_mean(y_src), tf.math.reduce_std(y_src)
    mean_r, std_r = tf.reduce_mean(y_ref), tf.math.reduce_std(y_ref)
    y = (y_src - mean_s) * (std_r / (std_s + 1e-6)) + mean_r
    return tf.clip_by_value(tf.repeat(y, 3, axis=-1), 0.0, 1.0)


def combine_luminance(stylised: tf.Tensor, content: tf.Tensor) -> tf.Tensor:
    """RGB image with the luminance of ``stylised`` and the colours (I, Q) of ``content``."""
    stylised = checks.tensor_images("stylised", stylised, ranks=(3, 4), channels=3)
    content = checks.tensor_images("content", content, ranks=(3, 4), channels=3)
    if _shape(stylised) != _shape(content):
        raise ValueError(
            f"stylised has shape {_shape(stylised)} but content has shape {_shape(content)}: "
            "resize one to the other's size first."
        )
    yiq = tf.image.rgb_to_yiq(content)
    y = luminance(stylised)
    return tf.clip_by_value(tf.image.yiq_to_rgb(tf.concat([y, yiq[..., 1:]], -1)), 0.0, 1.0)


# --------------------------------------------------------------------------------------------
# 4. Optimising the image: Adam or L-BFGS, coarse-to-fine, colour preservation, textures
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StyleTransferConfig:
    """Settings of :func:`stylize`; the defaults are the TensorFlow tutorial's.

    ``fast=True`` changes two things, both for L-BFGS only, and not the loss being minimised:
    with a ``mixed_bfloat16`` extractor, the losses and gradients are computed by a float32
    twin with the same weights (:func:`imgen_helpers.fast.style.float32_extractor`; L-BFGS's
    line search needs float32 digits), and the loss and gradient are one traced graph reused
    across scales and calls (:func:`imgen_helpers.fast.style.value_and_grad_fn`) instead of a
    ``tf.function`` traced for every scale. ``tests/test_fast_style.py`` checks both against
    the plain path.
    """

    style_weight: float = 1e-2  # multiplies style_loss
    content_weight: float = 1e4  # multiplies content_loss (0 for texture synthesis)
    tv_weight: float = 30.0  # multiplies total_variation_loss (a sum over pixels)
    layer_weights: dict | None = None  # style layer -> weight; None: equal weights 1/L
    method: str = "adam"  # "adam" or "lbfgs" (L-BFGS-B from scipy, the paper's choice)
    steps: int | tuple[int, ...] = 100  # gradient evaluations per scale (or one count per scale)
    learning_rate: float = 0.02  # Adam only
    beta_1: float = 0.99  # Adam only
    epsilon: float = 0.1  # Adam only; large, as in the tutorial, to damp the first steps
    scales: tuple[float, ...] = (1.0,)  # coarse-to-fine, e.g. (0.25, 0.5, 1.0); last must be 1
    preserve_color: bool = False  # transfer on luminance only, keep the content's colours
    init: str = "content"  # "content" or "noise" (uniform noise in [0, 1])
    every: int = 0  # keep an intermediate image every this many steps (0: none)
    target_loss: float | None = None  # stop as soon as the full-size loss is at or below this
    jit_compile: bool = False  # compile the step with XLA
    seed: int = 0  # for init="noise"
    fast: bool = False  # L-BFGS: float32 twin and one shared traced graph (see above)

    def __post_init__(self):
        for name in ("style_weight", "content_weight", "tv_weight"):
            checks.non_negative(name, getattr(self, name))
        if self.layer_weights is not None:
            checks.instance("layer_weights", self.layer_weights, Mapping, "a dict or None")
            for layer, weight in self.layer_weights.items():
                checks.non_negative(f"layer_weights[{layer!r}]", weight)
        checks.one_of("method", self.method, ("adam", "lbfgs"))
        checks.one_of("init", self.init, ("content", "noise"))
        scales = self.scales
        if isinstance(scales, str) or not isinstance(scales, Sequence) or not scales:
            raise TypeError(
                f"scales must be a tuple of numbers such as (0.5, 1.0); got {scales!r}."
            )
        scales = tuple(checks.number("scales", s, above=0.0, maximum=1.0) for s in scales)
        if scales[-1] != 1.0:
            raise ValueError(f"scales must be in (0, 1] and end with 1.0, got {scales}.")
        steps = self.steps
        if isinstance(steps, Sequence) and not isinstance(steps, str):
            steps = tuple(checks.positive_int("steps", n) for n in steps)
            if len(steps) != len(scales):
                raise ValueError(
                    f"steps gives {len(steps)} counts for {len(scales)} scales: give one count "
                    "per scale, or a single count for all."
                )
        else:
            steps = checks.positive_int("steps", steps)
        checks.positive("learning_rate", self.learning_rate)
        checks.number("beta_1", self.beta_1, minimum=0.0, below=1.0)
        checks.positive("epsilon", self.epsilon)
        checks.boolean("preserve_color", self.preserve_color)
        every = checks.integer("every", self.every, minimum=0)
        if self.target_loss is not None:
            checks.non_negative("target_loss", self.target_loss)
        checks.boolean("jit_compile", self.jit_compile)
        seed = checks.integer("seed", self.seed)
        checks.boolean("fast", self.fast)
        for name, value in (("scales", scales), ("steps", steps), ("every", every), ("seed", seed)):
            object.__setattr__(self, name, value)  # the cleaned value (frozen dataclass)


@dataclass
class StyleTransferResult:
    """What :func:`stylize` returns."""

    image: np.ndarray  # (H, W, 3) float32 in [0, 1]
    # "loss", "style", "content", "tv", "time" (s), "scale", "step", one entry per step: for
    # Adam the image before that step, for L-BFGS the point accepted by that iteration
    history: dict[str, list[float]]
    intermediates: list[tuple[int, np.ndarray]] = field(default_factory=list)  # (step, image)
    seconds: float = 0.0  # wall time of the optimisation, tracing included

    def __post_init__(self):
        checks.images("image", self.image, ranks=(3,), channels=3)
        checks.instance("history", self.history, dict, "a dict {name: list of floats}")
        checks.non_negative("seconds", self.seconds)


def make_adam_step(
    loss_fn: StyleContentLoss,
    image: tf.Variable,
    optimizer: keras.optimizers.Optimizer,
    jit_compile: bool = False,
):
    """One compiled Adam step on the image variable, clipped to [0, 1] (the tutorial's step).

    Args:
        loss_fn: a :class:`StyleContentLoss` (or any image -> dict with "loss").
        image: ``tf.Variable`` (1, H, W, 3) in [0, 1], updated in place.
        optimizer: e.g. ``keras.optimizers.Adam(0.02, beta_1=0.99, epsilon=0.1)``.
        jit_compile: compile with XLA.

    Returns:
        A function of no arguments that takes one step and returns the losses of the image
        *before* the step. Used by :func:`stylize` and ``benchmarks/style_transfer.py``.
    """
    if not callable(loss_fn):
        raise TypeError(f"loss_fn must be callable, e.g. a StyleContentLoss; got {loss_fn!r}.")
    checks.instance("image", image, tf.Variable, "a tf.Variable: tf.Variable(as_batch(image))")
    checks.tensor_images("image", image, channels=3)
    checks.instance("optimizer", optimizer, keras.optimizers.Optimizer, "a keras optimizer")
    jit_compile = checks.boolean("jit_compile", jit_compile)
    optimizer.build([image])

    @tf.function(jit_compile=jit_compile)
    def step():
        with tf.GradientTape() as tape:
            losses = loss_fn(image)
        grad = tape.gradient(losses["loss"], image)
        optimizer.apply_gradients([(grad, image)])
        image.assign(tf.clip_by_value(image, 0.0, 1.0))  # stay a valid image
        return losses

    return step


def _adam(loss_fn, image0, steps, config, record, first_step) -> tuple[tf.Tensor, str | None]:
    """``(image, why)``: the image after at most ``steps`` steps, and why it stopped early."""
    image = tf.Variable(image0, trainable=True, name="stylised_image")
    optimizer = keras.optimizers.Adam(config.learning_rate, config.beta_1, epsilon=config.epsilon)
    step = make_adam_step(loss_fn, image, optimizer, config.jit_compile)
    for i in range(steps):
        losses = step()
        if record(first_step + i + 1, losses, image):
            return tf.convert_to_tensor(image), "target loss reached"
    return tf.convert_to_tensor(image), None


def _compiled_value_and_grad(loss_fn: StyleContentLoss, config: StyleTransferConfig):
    """``image -> (losses, gradient)`` compiled for L-BFGS; ``config.fast`` shares one graph."""
    if config.fast:
        from .fast.style import value_and_grad_fn

        return value_and_grad_fn(loss_fn, config.jit_compile)
    return tf.function(loss_fn.value_and_grad, jit_compile=config.jit_compile)


def _lbfgs(loss_fn, image0, steps, config, record, first_step) -> tuple[tf.Tensor, str | None]:
    """``(image, why)``: the image after at most ``steps`` iterations, and why it stopped early.

    L-BFGS often stops early by design: it converged, or its line searches used the ``steps``
    loss evaluations it may make in fewer iterations.
    """
    from scipy.optimize import Bounds, minimize

    shape = image0.shape
    value_and_grad = _compiled_value_and_grad(loss_fn, config)
    last: dict = {}
    count = [first_step]

    def fun(flat):  # scipy works on flat float64 vectors
        x = tf.constant(flat.reshape(shape), tf.float32)
        losses, grad = value_and_grad(x)
        last.update(losses=losses, x=flat.astype(np.float32))
        return float(losses["loss"]), grad.numpy().ravel().astype(np.float64)

    def callback(intermediate_result):
        count[0] += 1
        point = intermediate_result.x
        x = tf.constant(point.reshape(shape), tf.float32)
        same = np.array_equal(last.get("x"), point.astype(np.float32))
        if record(count[0], last["losses"] if same else loss_fn(x), x):
            raise StopIteration  # scipy >= 1.11 ends the optimisation cleanly

    # Bounds do the clipping: L-BFGS-B never leaves [0, 1]. One step = one iteration, and at
    # most `steps` gradient evaluations, so budgets compare with Adam's.
    result = minimize(
        fun,
        image0.numpy().ravel().astype(np.float64),
        jac=True,
        method="L-BFGS-B",
        bounds=Bounds(0.0, 1.0),
        callback=callback,
        options={"maxiter": steps, "maxfun": steps, "maxcor": 20},
    )
    image = tf.constant(result.x.reshape(shape), tf.float32)
    if count[0] - first_step >= steps:
        return image, None
    # scipy's status: 0 converged, 1 a budget used up, 2 the line search found no lower loss,
    # 99 the callback stopped it (the target loss was reached).
    why = {
        0: "converged",
        1: "evaluation budget used",
        2: "line search stalled",
        99: "target loss reached",
    }
    return image, why.get(result.status, str(result.message).lower())


def _checked(
    config: StyleTransferConfig | None, overrides, caller: str = "stylize"
) -> StyleTransferConfig:
    """The config with ``overrides`` applied (``StyleTransferConfig.__post_init__`` checks it)."""
    if config is not None:
        checks.instance("config", config, StyleTransferConfig, "a StyleTransferConfig or None")
    fields = [f.name for f in dataclasses.fields(StyleTransferConfig)]
    unknown = [name for name in overrides if name not in fields]
    if unknown:
        raise TypeError(
            f"{caller}() got unknown settings {unknown}; the StyleTransferConfig fields are "
            f"{fields}."
        )
    return dataclasses.replace(config or StyleTransferConfig(), **overrides)


def _check_extractor_has_layers(extractor, style_weight, content_weight, has_content) -> None:
    """A weighted loss term needs layers to measure it on, or it is silently zero."""
    if style_weight and not extractor.style_layers:
        raise ValueError(
            "extractor has no style layers, so style_weight would weigh nothing: build it with "
            "style_layers=... or set style_weight=0."
        )
    if content_weight and has_content and not extractor.content_layers:
        raise ValueError(
            "extractor has no content layers, so content_weight would weigh nothing: build it "
            "with content_layers=... or set content_weight=0."
        )


def _steps_per_scale(config: StyleTransferConfig) -> tuple[int, ...]:
    if isinstance(config.steps, tuple):
        return config.steps
    return (config.steps,) * len(config.scales)


def _prepare_images(content_image, style_image, config):
    """``(content, style, target, size)``: batches, the content target and the output size.

    With ``preserve_color`` the style's luminance is matched to the content's and the target
    is the content's luminance as grey RGB; the colours come back in :func:`_finish`.
    """
    style = as_batch(style_image, "style_image")
    if content_image is None:
        if config.content_weight:
            raise ValueError("content_image is None: set content_weight=0 (texture synthesis).")
        if config.init == "content":
            raise ValueError("content_image is None: use init='noise' (texture synthesis).")
        if config.preserve_color:
            raise ValueError("preserve_color needs a content image to take the colours from.")
        return None, style, None, tuple(style.shape[1:3])
    content = as_batch(content_image, "content_image")
    if not config.preserve_color:
        return content, style, content, tuple(content.shape[1:3])
    target = tf.repeat(luminance(content), 3, axis=-1)
    return content, match_luminance(style, content), target, tuple(content.shape[1:3])


def _scaled(image: tf.Tensor, factor: float) -> tf.Tensor:
    """``image`` resized by ``factor``, never below :data:`MIN_SIZE` pixels a side."""
    h, w = image.shape[1:3]
    return resize(image, (max(MIN_SIZE, round(h * factor)), max(MIN_SIZE, round(w * factor))))


def _loss_at_scale(extractor, style, target, config) -> StyleContentLoss:
    if config.fast and config.method == "lbfgs":
        from .fast.style import float32_extractor

        extractor = float32_extractor(extractor)
    elif config.method == "lbfgs" and extractor.vgg_layers[0].compute_dtype != "float32":
        warnings.warn(
            "L-BFGS on a bfloat16 extractor: its line search needs float32 digits and may stall. "
            "Build the extractor with dtype='float32', or pass fast=True (a float32 twin).",
            stacklevel=3,
        )
    return StyleContentLoss(
        extractor,
        style,
        target,
        config.style_weight,
        config.content_weight,
        config.tv_weight,
        config.layer_weights,
    )


def _start_image(image, previous_target, target, size, config) -> tf.Tensor:
    """The image a scale starts from: the content, noise, or the previous scale's result."""
    if image is None:
        if config.init == "content":
            return target
        return tf.random.stateless_uniform((1, *size, 3), seed=(config.seed, 0))
    if target is not None and config.init == "content":
        # Carry over only what the coarse scale changed: upsampling the coarse image itself
        # would throw away the photo's fine detail, which the content loss then has to rebuild
        # from a blur.
        change = tf.image.resize(image - previous_target, size)  # (1, h, w, 3)
        return tf.clip_by_value(target + change, 0.0, 1.0)
    return resize(image, size)


def _set_bar_total(bar, total: int) -> None:
    """Change a tqdm bar's total, including the widget of a ``tqdm.notebook`` bar."""
    bar.total = total
    container = getattr(bar, "container", None)  # tqdm.notebook: (label, IntProgress, text)
    if container is not None:
        container.children[1].max = total  # the widget keeps its own copy of the total
    bar.refresh()


class _Recorder:
    """Loss history, intermediate images and the progress bar of one :func:`stylize` run.

    The bar's total is the planned number of steps. A scale that ends early by design (L-BFGS
    converged or used its evaluations, the target loss was reached) takes its unused steps off
    the total, so a run that ended as designed ends full (green in a notebook) with the reason
    in the postfix; an error leaves the bar unfinished (red in a notebook).
    """

    def __init__(self, config: StyleTransferConfig, content, total_steps: int, progress: bool):
        self.config, self.content = config, content
        self.history = {k: [] for k in ("loss", "style", "content", "tv", "time", "scale", "step")}
        self.intermediates: list[tuple[int, np.ndarray]] = []
        self.start = time.perf_counter()
        self.stopped: list[str] = []  # why scales ended before their planned steps
        self.postfix: dict[str, object] = {}
        self.bar = None
        if progress:
            from tqdm.auto import tqdm

            self.bar = tqdm(total=total_steps, desc=f"style transfer ({config.method})")

    def record(self, step, losses, image, scale) -> bool:
        """Record one step; True when the run should stop (target loss reached at full size)."""
        loss = float(losses["loss"])
        for key in ("loss", "style", "content", "tv"):
            self.history[key].append(float(losses[key]))
        self.history["time"].append(time.perf_counter() - self.start)
        self.history["scale"].append(scale)
        self.history["step"].append(step)
        if self.bar is not None:
            self.postfix = {"loss": f"{loss:.4g}", "scale": scale}
            self.bar.update(1)
            self.bar.set_postfix(self.postfix)
        if self.config.every and step % self.config.every == 0:
            self.intermediates.append((step, _finish(image, self.content, self.config)))
        target = self.config.target_loss
        return scale == 1.0 and target is not None and loss <= target

    def end_scale(self, scale: float, planned: int, why: str | None) -> None:
        """One scale is over; ``why`` says why it ended before its ``planned`` steps."""
        unused = planned - self.history["scale"].count(scale)
        if why is None or unused <= 0:
            return
        if why not in self.stopped:
            self.stopped.append(why)
        if self.bar is not None:
            _set_bar_total(self.bar, self.bar.total - unused)

    def fail(self) -> None:
        """The run raised (or was interrupted): leave the bar unfinished, red in a notebook."""
        if self.bar is not None:
            self.bar.set_postfix(self.postfix | {"stopped": "error"})
            if hasattr(self.bar, "container"):
                self.bar.disp(bar_style="danger")
            self.bar.close()

    def result(self, image: np.ndarray) -> StyleTransferResult:
        if self.bar is not None:
            if self.stopped:
                self.bar.set_postfix(self.postfix | {"stopped": ", ".join(self.stopped)})
            self.bar.close()
        seconds = time.perf_counter() - self.start
        return StyleTransferResult(image, self.history, self.intermediates, seconds)


def _finish(image, content, config) -> np.ndarray:
    """The result as (H, W, 3) float32 in [0, 1], with the content's colours if preserved."""
    image = tf.convert_to_tensor(image)
    if config.preserve_color:
        image = combine_luminance(image, resize(content, tuple(image.shape[1:3])))
    return np.clip(image.numpy()[0], 0.0, 1.0).astype(np.float32)


def stylize(
    content_image,
    style_image,
    extractor: FeatureExtractor,
    config: StyleTransferConfig | None = None,
    progress: bool = True,
    **overrides,
) -> StyleTransferResult:
    """Gatys et al.'s style transfer: optimise the pixels of an image to match content and style.

    Args:
        content_image: (H, W, 3) or (1, H, W, 3) RGB in [0, 1] (or uint8, or grayscale): the
            output has its size. For texture synthesis pass None and set ``content_weight=0``
            (see :func:`synthesize_texture`).
        style_image: the painting, any size, same format.
        extractor: from :func:`build_extractor`.
        config: a :class:`StyleTransferConfig`; defaults to the TF tutorial's settings.
        progress: show a tqdm progress bar.
        **overrides: any :class:`StyleTransferConfig` field, e.g. ``method="lbfgs"``.

    Returns:
        A :class:`StyleTransferResult`: the image (H, W, 3) float32 in [0, 1], the loss history,
        intermediate images. Taught in ``06_style_transfer.ipynb``.
    """
    checks.instance("extractor", extractor, FeatureExtractor, "a FeatureExtractor")
    progress = checks.boolean("progress", progress)
    config = _checked(config, overrides)
    _layer_weights(extractor.style_layers, config.layer_weights)
    _check_extractor_has_layers(
        extractor, config.style_weight, config.content_weight, content_image is not None
    )
    steps = _steps_per_scale(config)
    content, style, target, size = _prepare_images(content_image, style_image, config)
    recorder = _Recorder(config, content, sum(steps), progress)
    optimise = _adam if config.method == "adam" else _lbfgs
    image = previous_target = None
    done = 0
    try:
        for scale, scale_steps in zip(config.scales, steps, strict=True):
            shape = (max(MIN_SIZE, round(size[0] * scale)), max(MIN_SIZE, round(size[1] * scale)))
            target_s = None if target is None else resize(target, shape)
            style_s = _scaled(style, shape[0] / size[0])  # the style shrinks with the image
            loss_fn = _loss_at_scale(extractor, style_s, target_s, config)
            image = _start_image(image, previous_target, target_s, shape, config)
            record = functools.partial(recorder.record, scale=scale)
            image, why = optimise(loss_fn, image, scale_steps, config, record, done)
            recorder.end_scale(scale, scale_steps, why)
            previous_target = target_s
            done += scale_steps
        finished = _finish(image, content, config)
    except BaseException:  # an error or an interrupt: the bar stays unfinished
        recorder.fail()
        raise
    return recorder.result(finished)


def synthesize_texture(
    style_image,
    extractor: FeatureExtractor,
    size: tuple[int, int] = (256, 256),
    config: StyleTransferConfig | None = None,
    progress: bool = True,
    **overrides,
) -> StyleTransferResult:
    """Texture synthesis (Gatys et al. 2015): match only the Gram matrices, starting from noise.

    Args:
        style_image: texture or painting (H, W, 3) in [0, 1]; it is resized to ``size``.
        extractor: from :func:`build_extractor`.
        size: (height, width) of the texture.
        config, progress, **overrides: as for :func:`stylize`; content_weight is always 0 and
            init "noise" (passing other values is an error), and the default method is L-BFGS
            with a small tv_weight.

    Returns:
        A :class:`StyleTransferResult`. Taught in ``06_style_transfer.ipynb``.
    """
    checks.instance("extractor", extractor, FeatureExtractor, "a FeatureExtractor")
    size = checks.int_tuple("size", size, 2, minimum=MIN_SIZE, layout="(height, width)")
    progress = checks.boolean("progress", progress)
    forced = {"content_weight": 0.0, "init": "noise"}
    for name, value in forced.items():
        if name in overrides and overrides[name] != value:
            raise ValueError(
                f"{name}={overrides[name]!r}: a texture has no content image, so "
                f"synthesize_texture() always uses {name}={value!r}; leave it out."
            )
    base = StyleTransferConfig(method="lbfgs", tv_weight=1.0) if config is None else config
    _checked(base, overrides, "synthesize_texture")
    style = resize(as_batch(style_image, "style_image"), size)
    overrides.update(forced)
    return stylize(None, style, extractor, base, progress, **overrides)


_MOVED = {
    "float32_extractor": "imgen_helpers.fast.style.float32_extractor (or stylize(..., fast=True))",
    "_traced_value_and_grad": "imgen_helpers.fast.style.value_and_grad_fn",
    "_weighted_losses": "imgen_helpers.style_transfer.weighted_losses",
}


def __getattr__(name: str):
    from . import style_network  # imported here: the network builds on this module

    network = {n: f"imgen_helpers.style_network.{n}" for n in style_network.__all__}
    moved(__name__, name, _MOVED | network)


__all__ = [
    "CONTENT_LAYERS",
    "STYLE_LAYERS",
    "FeatureExtractor",
    "StyleContentLoss",
    "StyleTransferConfig",
    "StyleTransferResult",
    "WeightsUnavailableError",
    "as_batch",
    "build_extractor",
    "combine_luminance",
    "content_loss",
    "gram_matrix",
    "luminance",
    "make_adam_step",
    "match_luminance",
    "resize",
    "show_weights_banner",
    "style_loss",
    "stylize",
    "synthesize_texture",
    "total_variation_loss",
    "vgg_preprocess",
    "weighted_losses",
    "weights_banner",
]
