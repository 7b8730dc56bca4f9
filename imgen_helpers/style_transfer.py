"""Neural style transfer: Gatys optimisation, texture synthesis and fast feed-forward networks.

Reads top to bottom:

1. the VGG19 feature extractor (ImageNet weights, the matching preprocessing, named style and
   content activations; a clear error instead of a silent fallback when the weights are missing);
2. the pure losses: :func:`gram_matrix`, :func:`style_loss`, :func:`content_loss`,
   :func:`total_variation_loss`, bundled with precomputed targets in :class:`StyleContentLoss`;
3. optimisation with the image as the variable (:func:`stylize`): Adam or L-BFGS, clipping to
   [0, 1], coarse-to-fine, colour preservation, a progress bar and intermediate images;
   :func:`synthesize_texture` is the same with the style loss only, starting from noise;
4. fast style transfer (Johnson et al. 2016): :func:`build_transform_net` with instance
   normalisation, the :class:`FastStyleTransfer` trainer (``fit()``), save and load.

Conventions: images are float32 RGB in [0, 1], shape (H, W, 3) or (1, H, W, 3). The Gram matrix
is divided by the number of spatial locations H*W (see :func:`gram_matrix`), and the default
weights (style 1e-2, content 1e4, total variation 30) are those of the TensorFlow tutorial, so a
loss printed here means the same as the tutorial's. Taught in ``06_style_transfer.ipynb`` and
``07_fast_style_transfer.ipynb``.
"""

from __future__ import annotations

import dataclasses
import os
import time
import urllib.error
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from . import layers as fast_layers
from .images import check_image, to_unit_range
from .runtime import is_offline

# --------------------------------------------------------------------------------------------
# 1. The VGG19 feature extractor
# --------------------------------------------------------------------------------------------

STYLE_LAYERS = ("block1_conv1", "block2_conv1", "block3_conv1", "block4_conv1", "block5_conv1")
"""Style layers of Gatys et al. (2016) and of the TensorFlow tutorial."""

CONTENT_LAYERS = ("block5_conv2",)
"""Content layer of the TensorFlow tutorial (Gatys et al. used block4_conv2: try it)."""

VGG19_BLOCKS = ((64, 2), (128, 2), (256, 4), (512, 4), (512, 4))
"""(filters, convolutions) of the five VGG19 blocks; a 2x2 pooling follows each block."""

VGG_MEAN_BGR = (103.939, 116.779, 123.68)
"""ImageNet channel means (BGR, 0..255) removed by ``keras.applications.vgg19.preprocess_input``."""

VGG19_WEIGHTS_FILE = "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5"
"""File name Keras caches under ``~/.keras/models/`` after the first online run (about 80 MB)."""

VGG19_WEIGHTS_URL = (
    "https://storage.googleapis.com/tensorflow/keras-applications/vgg19/" + VGG19_WEIGHTS_FILE
)

MIN_SIZE = 16
"""Smallest image side VGG19 accepts here: four 2x2 poolings come before block5."""

RANDOM_WEIGHTS_BANNER = (
    "RANDOM VGG19 WEIGHTS: the ImageNet weights could not be used (offline), so this run uses "
    "a randomly initialised VGG19. The code runs and the losses fall, but the pictures do NOT "
    "look like style transfer. Run online once (or pass weights_path=) for the real lesson."
)


class WeightsUnavailableError(RuntimeError):
    """VGG19 ImageNet weights neither cached nor downloadable, and random weights not allowed."""


def _vgg_layer_names() -> list[str]:
    names = []
    for block, (_, convs) in enumerate(VGG19_BLOCKS, start=1):
        names += [f"block{block}_conv{i}" for i in range(1, convs + 1)] + [f"block{block}_pool"]
    return names


def vgg_preprocess(images: tf.Tensor) -> tf.Tensor:
    """VGG19's ImageNet preprocessing ("caffe" mode) for RGB images in [0, 1].

    Scales to 0..255, reorders RGB to BGR and subtracts :data:`VGG_MEAN_BGR`: the same as
    ``keras.applications.vgg19.preprocess_input(images * 255)``, written out so it can run
    inside the model and under XLA.

    Args:
        images: float tensor (N, H, W, 3), RGB in [0, 1].

    Returns:
        float tensor (N, H, W, 3), BGR, roughly in [-124, 152].
    """
    bgr = tf.reverse(images, axis=[-1]) * 255.0
    return bgr - tf.constant(VGG_MEAN_BGR, dtype=bgr.dtype)


def _keras_cache_file() -> Path:
    home = os.environ.get("KERAS_HOME", os.path.join(os.path.expanduser("~"), ".keras"))
    return Path(home) / "models" / VGG19_WEIGHTS_FILE


def _is_download_failure(error: BaseException) -> bool:
    """Keras' get_file turns URLError/HTTPError into a bare Exception("URL fetch failure ...")."""
    if str(error).startswith("URL fetch failure"):
        return True
    return isinstance(error, urllib.error.URLError | ConnectionError | TimeoutError)


def _weights_error(reason: str) -> WeightsUnavailableError:
    return WeightsUnavailableError(
        f"VGG19 ImageNet weights are not available ({reason}). Style transfer needs them: "
        "with random weights the losses still fall but the result does not look like style "
        "transfer. Get them in one of two ways: (1) run once with network access, so "
        "keras.applications.VGG19(include_top=False, weights='imagenet') caches about 80 MB in "
        f"{_keras_cache_file()} (offline runs then find it there); or (2) pass "
        f"weights_path='/path/to/{VGG19_WEIGHTS_FILE}', a copy downloaded elsewhere from "
        f"{VGG19_WEIGHTS_URL}. For tests or a quick offline smoke run only, pass "
        "allow_random_weights=True to use randomly initialised weights on purpose."
    )


def _source_weights(weights_path: str | os.PathLike | None) -> dict[str, list[np.ndarray]]:
    """ImageNet convolution weights by layer name, from a local file, the cache or a download."""
    if weights_path is not None:
        path = Path(weights_path).expanduser()
        if not path.is_file():
            raise FileNotFoundError(
                f"weights_path={str(weights_path)!r} is not a file; give the path of "
                f"{VGG19_WEIGHTS_FILE} (the include_top=False VGG19 ImageNet weights)."
            )
        source = keras.applications.VGG19(include_top=False, weights=str(path))
    else:
        if is_offline() and not _keras_cache_file().is_file():
            raise _weights_error(f"IMGEN_OFFLINE=1 and no cached copy at {_keras_cache_file()}")
        try:
            source = keras.applications.VGG19(include_top=False, weights="imagenet")
        except Exception as error:  # keras raises a bare Exception for URL failures
            if not _is_download_failure(error):
                raise
            raise _weights_error(f"download failed: {error}") from error
    return {layer.name: layer.get_weights() for layer in source.layers if layer.weights}


class FeatureExtractor(keras.Model):
    """VGG19 up to the deepest requested layer, returning named style and content activations.

    Built by :func:`build_extractor`. Calling it on RGB images in [0, 1] of shape (N, H, W, 3)
    returns ``{"style": {name: (N, h, w, c)}, "content": {name: (N, h, w, c)}}`` in float32,
    whatever dtype the convolutions compute in. Layers after the deepest requested one are
    never built, so never computed.
    """

    def __init__(
        self,
        style_layers: Sequence[str],
        content_layers: Sequence[str],
        pooling: str = "max",
        dtype: str | None = "float32",
        random_weights: bool = False,
        seed: int = 0,
        name: str = "vgg19_features",
    ):
        super().__init__(name=name)
        self.style_layers = tuple(style_layers)
        self.content_layers = tuple(content_layers)
        self.random_weights = random_weights
        self.pooling = pooling
        wanted = set(self.style_layers) | set(self.content_layers)
        names = _vgg_layer_names()
        deepest = max(names.index(n) for n in wanted)
        self.vgg_layers: list[keras.layers.Layer] = []
        for index, layer_name in enumerate(names[: deepest + 1]):
            if layer_name.endswith("pool"):
                pool = (
                    keras.layers.MaxPooling2D if pooling == "max" else keras.layers.AveragePooling2D
                )
                layer = pool(2, name=layer_name, dtype=dtype)
            else:
                filters = VGG19_BLOCKS[int(layer_name[5]) - 1][0]
                # He initialisation keeps activations at a useful scale through 16 random layers
                # (Keras' default Glorot halves their variance at every ReLU).
                init = keras.initializers.HeNormal(seed=seed + index)
                # The course's Conv2D: Keras' layer with a 2-4x cheaper input gradient on a
                # CPU, which Gatys' method needs at every layer (see imgen_helpers.layers).
                layer = fast_layers.Conv2D(
                    filters,
                    3,
                    padding="same",
                    activation="relu",
                    name=layer_name,
                    kernel_initializer=init,
                    dtype=dtype,
                )
            self.vgg_layers.append(layer)
        self.build((None, None, None, 3))

    def build(self, input_shape):
        shape = tuple(input_shape)
        for layer in self.vgg_layers:
            layer.build(shape)
            shape = layer.compute_output_shape(shape)
        self.built = True

    def call(self, images):
        x = vgg_preprocess(tf.cast(images, tf.float32))
        features = {}
        for layer in self.vgg_layers:
            x = layer(x)
            if layer.name in self.style_layers or layer.name in self.content_layers:
                features[layer.name] = tf.cast(x, tf.float32)  # losses in float32
        return {
            "style": {n: features[n] for n in self.style_layers},
            "content": {n: features[n] for n in self.content_layers},
        }


_FLOAT32_TWINS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def float32_extractor(extractor: FeatureExtractor) -> FeatureExtractor:
    """``extractor`` computing in float32: itself if it already does, else a float32 twin.

    The twin has the same layers, is built once per extractor, and gets the extractor's current
    weights at every call (so weights loaded later are never stale). :func:`stylize` uses it for
    L-BFGS, whose line search needs the loss and its gradient to agree to more digits than
    bfloat16 keeps: measured at 64 px with a 12-evaluation budget, L-BFGS in bfloat16 finished 1
    iteration in 21 evaluations, against 10 iterations in 13 in float32. Adam takes noisy
    gradients in its stride and keeps the fast dtype.
    """
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
            name=extractor.name,
        )
        twin.trainable = False
        _FLOAT32_TWINS[extractor] = twin
    for mine, theirs in zip(twin.weights, extractor.weights, strict=True):
        mine.assign(theirs)  # (kernels and biases are float32 variables on both sides)
    return twin


def build_extractor(
    style_layers: Sequence[str] = STYLE_LAYERS,
    content_layers: Sequence[str] = CONTENT_LAYERS,
    weights_path: str | os.PathLike | None = None,
    allow_random_weights: bool = False,
    pooling: str = "max",
    dtype: str | None = None,
    seed: int = 0,
) -> FeatureExtractor:
    """VGG19 feature extractor with ImageNet weights (or, only if allowed, random ones).

    The weights come from ``weights_path`` if given, else from Keras' cache or download
    (``keras.applications.VGG19(include_top=False, weights="imagenet")``). If that fails
    (offline, ``IMGEN_OFFLINE=1`` with nothing cached, a failed download) it raises
    :class:`WeightsUnavailableError` explaining how to get the weights, unless
    ``allow_random_weights=True``: then the convolutions keep a seeded He-normal random
    initialisation, ``extractor.random_weights`` is True and :func:`weights_banner` says so.

    Args:
        style_layers: VGG19 layer names whose Gram matrices describe style.
        content_layers: layer names whose activations describe content.
        weights_path: local file with the include_top=False VGG19 ImageNet weights (.h5).
        allow_random_weights: use random weights when the ImageNet ones are unavailable
            (tests, quick offline runs). Never silent: see :func:`weights_banner`.
        pooling: ``"max"`` (VGG19, the TF tutorial) or ``"avg"`` (Gatys et al. prefer it).
        dtype: Keras dtype policy of the convolutions, e.g. ``"float32"`` or
            ``"mixed_bfloat16"``. None (the default) takes ``mixed_bfloat16`` when that is the
            global policy (:func:`imgen_helpers.configure` picks it on a CPU with AVX512_BF16:
            about 1.7x faster Adam steps, the same loss after 100 steps to four digits, see
            ``benchmarks/style_transfer.py``) and float32 otherwise. Never float16 by default:
            the image gradient has no loss scaling and would underflow. L-BFGS always runs in
            float32 (see :func:`float32_extractor`).
            Activations are returned in float32 either way, so Gram matrices and losses are
            float32 sums.
        seed: seed of the random initialisation.

    Returns:
        A :class:`FeatureExtractor`. Taught in ``06_style_transfer.ipynb``.
    """
    known = [n for n in _vgg_layer_names() if "conv" in n]
    unknown = [n for n in (*style_layers, *content_layers) if n not in known]
    if unknown:
        raise ValueError(f"unknown VGG19 layers {unknown}; choose from {known}.")
    if not style_layers and not content_layers:
        raise ValueError("give at least one style or content layer.")
    if pooling not in ("max", "avg"):
        raise ValueError(f"pooling must be 'max' or 'avg', got {pooling!r}.")
    try:
        source = _source_weights(weights_path)
    except WeightsUnavailableError:
        if not allow_random_weights:
            raise
        source = None
    if dtype is None:
        bf16 = keras.mixed_precision.global_policy().name == "mixed_bfloat16"
        dtype = "mixed_bfloat16" if bf16 else "float32"
    extractor = FeatureExtractor(
        style_layers, content_layers, pooling, dtype, random_weights=source is None, seed=seed
    )
    if source is not None:
        for layer in extractor.vgg_layers:
            if layer.weights:
                layer.set_weights(source[layer.name])
    extractor.trainable = False
    return extractor


def weights_banner(extractor: FeatureExtractor) -> str | None:
    """The warning to show with every result made with random weights; None with ImageNet ones."""
    return RANDOM_WEIGHTS_BANNER if extractor.random_weights else None


def show_weights_banner(extractor: FeatureExtractor) -> str | None:
    """Display :func:`weights_banner` as a red box in a notebook (printed too); return its text."""
    text = weights_banner(extractor)
    if text is None:
        print("VGG19 uses ImageNet weights.")
        return None
    print("!" * 20 + "\n" + text + "\n" + "!" * 20)
    try:
        from IPython.display import HTML, display

        display(
            HTML(
                '<div style="background:#b00020;color:white;padding:10px;font-weight:bold;'
                f'font-size:14px;border-radius:4px">&#9888; {text}</div>'
            )
        )
    except ImportError:  # plain Python: the printed text is the banner
        pass
    return text


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
    features = tf.cast(features, tf.float32)
    if features.shape.rank != 4:
        raise ValueError(f"gram_matrix expects features (N, H, W, C); got shape {features.shape}.")
    shape = tf.shape(features)
    locations = tf.cast(shape[1] * shape[2], tf.float32)
    return tf.einsum("nijc,nijd->ncd", features, features) / locations  # (N, C, C)


def _layer_weights(names: Sequence[str], weights: Mapping[str, float] | None) -> dict[str, float]:
    if weights is None:
        return {n: 1.0 / len(names) for n in names}
    missing = set(names) - set(weights)
    if missing:
        raise ValueError(f"layer_weights has no weight for layers {sorted(missing)}.")
    return {n: float(weights[n]) for n in names}


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
    weights = _layer_weights(list(target_grams), layer_weights)
    total = tf.constant(0.0, tf.float32)
    for name, target in target_grams.items():
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
    weights = _layer_weights(list(targets), layer_weights)
    total = tf.constant(0.0, tf.float32)
    for name, target in targets.items():
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
    images = tf.cast(images, tf.float32)
    dy = tf.abs(images[:, 1:, :, :] - images[:, :-1, :, :])
    dx = tf.abs(images[:, :, 1:, :] - images[:, :, :-1, :])
    return tf.reduce_sum(dy) + tf.reduce_sum(dx)


class StyleContentLoss:
    """The total Gatys loss with its targets computed once.

    ``loss(image)`` returns ``{"loss", "style", "content", "tv"}`` (already weighted) for an
    image batch (1, H, W, 3) in [0, 1]. The style Gram matrices and content activations are
    computed here, once, not at every step, and kept in ``targets``; the weights are kept in
    ``weights`` (style, content, total variation). :meth:`value_and_grad` is the loss and its
    gradient as ONE compiled graph per extractor, with the targets and weights as inputs: every
    instance, scale and image size reuses it instead of tracing its own.
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
        self.extractor = extractor
        self.style_weight = float(style_weight)
        self.content_weight = float(content_weight) if content_image is not None else 0.0
        self.tv_weight = float(tv_weight)
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
        return _weighted_losses(
            self.extractor(image), image, self.targets, self.weights, self.layer_weights
        )

    def value_and_grad(self, image: tf.Tensor, jit_compile: bool = False):
        """``(losses, d loss / d image)`` for a float32 image (1, H, W, 3), compiled.

        The graph is traced once per extractor, layer weights and target structure, for any
        image size (its height and width are left unknown), and kept for later calls: tracing
        VGG19 and its gradient takes about a second on a 2-core CPU, which a coarse-to-fine
        L-BFGS run used to pay at every scale and every call.
        """
        return _traced_value_and_grad(self, jit_compile)(image, self.targets, self.weights)


def _weighted_losses(features, image, targets, weights, layer_weights) -> dict[str, tf.Tensor]:
    """The weighted Gatys losses of ``image`` from its ``features`` (a pure function)."""
    style = weights[0] * style_loss(features["style"], targets["style"], layer_weights)
    content = tf.constant(0.0)
    if targets["content"]:
        content = weights[1] * content_loss(features["content"], targets["content"])
    tv = weights[2] * total_variation_loss(image)
    return {"loss": style + content + tv, "style": style, "content": content, "tv": tv}


_TRACED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _relaxed_spec(tensor: tf.Tensor) -> tf.TensorSpec:
    """The spec of ``tensor`` with the height and width of an image batch left unknown."""
    shape = list(tensor.shape)
    if len(shape) == 4:
        shape[1] = shape[2] = None
    return tf.TensorSpec(shape, tf.float32)


def _traced_value_and_grad(loss_fn: StyleContentLoss, jit_compile: bool):
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
                losses = _weighted_losses(features, image, targets, weights, weights_by_layer)
            return losses, tape.gradient(losses["loss"], image)

        cache[key] = value_and_grad
    return cache[key]


# --------------------------------------------------------------------------------------------
# 3. Optimising the image: Adam or L-BFGS, coarse-to-fine, colour preservation, textures
# --------------------------------------------------------------------------------------------


def as_batch(image, name: str = "image") -> tf.Tensor:
    """A single RGB image as a float32 tensor (1, H, W, 3) in [0, 1], checked.

    Accepts (H, W, 3) or (1, H, W, 3), float in [0, 1] or uint8; grayscale (H, W) or
    (H, W, 1) is repeated to three channels. RGBA is refused: how transparency should look
    is a choice, and ``load_image(path)`` makes it (composited over white).
    """
    x = check_image(image, name)
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
    out = tf.image.resize(image, size, method="bilinear", antialias=True)
    return tf.clip_by_value(out, 0.0, 1.0)


def luminance(images: tf.Tensor) -> tf.Tensor:
    """Y channel of YIQ for RGB in [0, 1], shape (..., 1), in [0, 1]."""
    return tf.image.rgb_to_yiq(images)[..., :1]


def match_luminance(source: tf.Tensor, reference: tf.Tensor) -> tf.Tensor:
    """Shift and scale ``source``'s luminance to the mean and std of ``reference``'s, as grey RGB.

    The luminance-only transfer of Gatys et al. (2017): the style's luminance is matched to the
    content's so the painting's overall brightness does not leak into the result.
    """
    y_src, y_ref = luminance(source), luminance(reference)
    mean_s, std_s = tf.reduce_mean(y_src), tf.math.reduce_std(y_src)
    mean_r, std_r = tf.reduce_mean(y_ref), tf.math.reduce_std(y_ref)
    y = (y_src - mean_s) * (std_r / (std_s + 1e-6)) + mean_r
    return tf.clip_by_value(tf.repeat(y, 3, axis=-1), 0.0, 1.0)


def combine_luminance(stylised: tf.Tensor, content: tf.Tensor) -> tf.Tensor:
    """RGB image with the luminance of ``stylised`` and the colours (I, Q) of ``content``."""
    yiq = tf.image.rgb_to_yiq(content)
    y = luminance(stylised)
    return tf.clip_by_value(tf.image.yiq_to_rgb(tf.concat([y, yiq[..., 1:]], -1)), 0.0, 1.0)


@dataclass(frozen=True)
class StyleTransferConfig:
    """Settings of :func:`stylize`; the defaults are the TensorFlow tutorial's."""

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


@dataclass
class StyleTransferResult:
    """What :func:`stylize` returns."""

    image: np.ndarray  # (H, W, 3) float32 in [0, 1]
    # "loss", "style", "content", "tv", "time" (s), "scale", "step", one entry per step: for
    # Adam the image before that step, for L-BFGS the point accepted by that iteration
    history: dict[str, list[float]]
    intermediates: list[tuple[int, np.ndarray]] = field(default_factory=list)  # (step, image)
    seconds: float = 0.0  # wall time of the optimisation, tracing included


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


def _adam(loss_fn, image0, steps, config, record, first_step) -> tf.Tensor:
    image = tf.Variable(image0, trainable=True, name="stylised_image")
    optimizer = keras.optimizers.Adam(config.learning_rate, config.beta_1, epsilon=config.epsilon)
    step = make_adam_step(loss_fn, image, optimizer, config.jit_compile)
    for i in range(steps):
        losses = step()
        if record(first_step + i + 1, losses, image):
            break
    return tf.convert_to_tensor(image)


def _lbfgs(loss_fn, image0, steps, config, record, first_step) -> tf.Tensor:
    from scipy.optimize import Bounds, minimize

    shape = image0.shape
    last: dict = {}
    count = [first_step]

    def fun(flat):
        x = tf.constant(flat.reshape(shape), tf.float32)
        losses, grad = loss_fn.value_and_grad(x, config.jit_compile)
        last.update(losses=losses, x=x)
        return float(losses["loss"]), grad.numpy().ravel().astype(np.float64)

    def callback(intermediate_result):
        count[0] += 1
        x = tf.constant(intermediate_result.x.reshape(shape), tf.float32)
        losses = (
            last["losses"]
            if last["x"] is not None
            and np.array_equal(last["x"].numpy().ravel(), intermediate_result.x.astype(np.float32))
            else loss_fn(x)
        )
        if record(count[0], losses, x):
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
    return tf.constant(result.x.reshape(shape), tf.float32)


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
    config = dataclasses.replace(config or StyleTransferConfig(), **overrides)
    if config.method not in ("adam", "lbfgs"):
        raise ValueError(f"method must be 'adam' or 'lbfgs', got {config.method!r}.")
    if config.init not in ("content", "noise"):
        raise ValueError(f"init must be 'content' or 'noise', got {config.init!r}.")
    if not config.scales or config.scales[-1] != 1.0 or any(s <= 0 or s > 1 for s in config.scales):
        raise ValueError(f"scales must be in (0, 1] and end with 1.0, got {config.scales}.")
    steps = (
        config.steps if isinstance(config.steps, tuple) else (config.steps,) * len(config.scales)
    )
    if len(steps) != len(config.scales):
        raise ValueError(f"steps gives {len(steps)} counts for {len(config.scales)} scales.")
    style = as_batch(style_image, "style_image")
    if content_image is None:
        if config.content_weight:
            raise ValueError("content_image is None: set content_weight=0 (texture synthesis).")
        if config.init == "content":
            raise ValueError("content_image is None: use init='noise' (texture synthesis).")
        content, size = None, tuple(style.shape[1:3])
    else:
        content = as_batch(content_image, "content_image")
        size = tuple(content.shape[1:3])
    if config.preserve_color:
        if content is None:
            raise ValueError("preserve_color needs a content image to take the colours from.")
        style = match_luminance(style, content)
        target = tf.repeat(luminance(content), 3, axis=-1)
    else:
        target = content

    history: dict[str, list[float]] = {
        k: [] for k in ("loss", "style", "content", "tv", "time", "scale", "step")
    }
    intermediates: list[tuple[int, np.ndarray]] = []
    start = time.perf_counter()
    total_steps = sum(steps)
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=total_steps, desc=f"style transfer ({config.method})", leave=False)
    image = previous_target = None
    done = 0
    for scale, scale_steps in zip(config.scales, steps, strict=True):
        h, w = max(MIN_SIZE, round(size[0] * scale)), max(MIN_SIZE, round(size[1] * scale))
        factor = h / size[0]
        style_s = resize(
            style,
            (
                max(MIN_SIZE, round(style.shape[1] * factor)),
                max(MIN_SIZE, round(style.shape[2] * factor)),
            ),
        )
        target_s = None if target is None else resize(target, (h, w))
        loss_fn = StyleContentLoss(
            extractor if config.method == "adam" else float32_extractor(extractor),
            style_s,
            target_s,
            config.style_weight,
            config.content_weight,
            config.tv_weight,
            config.layer_weights,
        )
        if image is not None and target_s is not None and config.init == "content":
            # Carry over only what the coarse scale changed: upsampling the coarse image itself
            # would throw away the photo's fine detail, which the content loss then has to
            # rebuild from a blur.
            change = image - previous_target  # (1, h', w', 3)
            image = tf.clip_by_value(target_s + tf.image.resize(change, (h, w)), 0.0, 1.0)
        elif image is not None:
            image = resize(image, (h, w))
        elif config.init == "content":
            image = target_s
        else:
            image = tf.random.stateless_uniform((1, h, w, 3), seed=(config.seed, 0))
        final = scale == 1.0

        def record(step, losses, img, _scale=scale, _final=final):
            for key in ("loss", "style", "content", "tv"):
                history[key].append(float(losses[key]))
            history["time"].append(time.perf_counter() - start)
            history["scale"].append(_scale)
            history["step"].append(step)
            if bar is not None:
                bar.update(1)
                bar.set_postfix(loss=f"{float(losses['loss']):.4g}", scale=_scale)
            if config.every and step % config.every == 0:
                intermediates.append((step, _finish(img, content, config)))
            return (
                _final
                and config.target_loss is not None
                and float(losses["loss"]) <= config.target_loss
            )

        run = _adam if config.method == "adam" else _lbfgs
        image = run(loss_fn, image, scale_steps, config, record, done)
        previous_target = target_s
        done += scale_steps
    if bar is not None:
        bar.close()
    return StyleTransferResult(
        image=_finish(image, content, config),
        history=history,
        intermediates=intermediates,
        seconds=time.perf_counter() - start,
    )


def _finish(image, content, config) -> np.ndarray:
    image = tf.convert_to_tensor(image)
    if config.preserve_color:
        image = combine_luminance(image, resize(content, tuple(image.shape[1:3])))
    return np.clip(image.numpy()[0], 0.0, 1.0).astype(np.float32)


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
        config, progress, **overrides: as for :func:`stylize`; content_weight is forced to 0,
            init to "noise", and the default method is L-BFGS with a small tv_weight.

    Returns:
        A :class:`StyleTransferResult`. Taught in ``06_style_transfer.ipynb``.
    """
    base = config or StyleTransferConfig(method="lbfgs", tv_weight=1.0)
    style = resize(as_batch(style_image, "style_image"), tuple(size))
    overrides.update(content_weight=0.0, init="noise")
    return stylize(None, style, extractor, base, progress, **overrides)


# --------------------------------------------------------------------------------------------
# 4. Fast style transfer: Johnson et al. (2016) with instance normalisation
# --------------------------------------------------------------------------------------------


@keras.saving.register_keras_serializable(package="imgen")
class ReflectionPadding2D(keras.layers.Layer):
    """Mirror-pad height and width by ``padding`` pixels, so borders look like the image."""

    def __init__(self, padding: int = 1, **kwargs):
        super().__init__(**kwargs)
        self.padding = int(padding)

    def call(self, x):
        p = self.padding
        return tf.pad(x, [[0, 0], [p, p], [p, p], [0, 0]], mode="REFLECT")

    def compute_output_shape(self, shape):
        grow = lambda d: None if d is None else d + 2 * self.padding  # noqa: E731
        return (shape[0], grow(shape[1]), grow(shape[2]), shape[3])

    def get_config(self):
        return {**super().get_config(), "padding": self.padding}


@keras.saving.register_keras_serializable(package="imgen")
class PadToMultiple(keras.layers.Layer):
    """Mirror-pad height and width up to a multiple of ``multiple`` (so any size works)."""

    def __init__(self, multiple: int = 4, **kwargs):
        super().__init__(**kwargs)
        self.multiple = int(multiple)

    def call(self, x):
        shape = tf.shape(x)
        pad_h = (-shape[1]) % self.multiple
        pad_w = (-shape[2]) % self.multiple
        return tf.pad(x, [[0, 0], [0, pad_h], [0, pad_w], [0, 0]], mode="REFLECT")

    def compute_output_shape(self, shape):
        up = lambda d: None if d is None else -(-d // self.multiple) * self.multiple  # noqa: E731
        return (shape[0], up(shape[1]), up(shape[2]), shape[3])

    def get_config(self):
        return {**super().get_config(), "multiple": self.multiple}


@keras.saving.register_keras_serializable(package="imgen")
class CropLike(keras.layers.Layer):
    """Crop the first input to the height and width of the second."""

    def call(self, inputs):
        x, like = inputs
        shape = tf.shape(like)
        return x[:, : shape[1], : shape[2], :]

    def compute_output_shape(self, shapes):
        x, like = shapes
        return (x[0], like[1], like[2], x[3])


@dataclass(frozen=True)
class TransformNetConfig:
    """Size of the image-transformation network of :func:`build_transform_net`."""

    filters: tuple[int, int, int] = (32, 64, 128)  # widths at full, 1/2 and 1/4 resolution
    residual_blocks: int = 5  # 3x3 residual blocks at 1/4 resolution (Johnson et al.: 5)
    normalization: str = "instance"  # "instance" (Ulyanov et al.) or "batch" (to compare)


def _conv_block(x, filters, kernel, stride, norm, name, relu=True):
    x = ReflectionPadding2D(kernel // 2, name=f"{name}_pad")(x)
    x = keras.layers.Conv2D(filters, kernel, strides=stride, name=f"{name}_conv")(x)
    return _norm_relu(x, norm, name, relu)


def _norm_relu(x, norm, name, relu=True):
    if norm == "instance":  # groups == channels: each image and channel normalised on its own
        x = keras.layers.GroupNormalization(groups=-1, epsilon=1e-5, name=f"{name}_in")(x)
    else:
        x = keras.layers.BatchNormalization(name=f"{name}_bn")(x)
    return keras.layers.ReLU(name=f"{name}_relu")(x) if relu else x


def build_transform_net(config: TransformNetConfig | None = None) -> keras.Model:
    """Johnson et al.'s image-transformation network, for images of any size.

    Layout: 9x9 conv, two stride-2 3x3 convs down, residual blocks at 1/4 resolution, two
    nearest-neighbour upsamplings each followed by a 3x3 conv (instead of transposed
    convolutions, which leave checkerboard artefacts; Odena et al. 2016; computed together by
    ``imgen_helpers.layers.UpsampleConv2D`` at the low resolution), and a 9x9 conv to
    RGB with a sigmoid. Padding is mirror padding; inputs whose sides are not multiples of 4
    are padded and the output cropped back, so the output always has the input's size.

    Args:
        config: widths, number of residual blocks, normalisation.

    Returns:
        ``keras.Model`` mapping (N, H, W, 3) in [0, 1] to (N, H, W, 3) float32 in [0, 1].
        Taught in ``07_fast_style_transfer.ipynb``.
    """
    config = config or TransformNetConfig()
    if config.normalization not in ("instance", "batch"):
        raise ValueError(
            f"normalization must be 'instance' or 'batch', got {config.normalization!r}."
        )
    f1, f2, f3 = config.filters
    norm = config.normalization
    inputs = keras.Input((None, None, 3), name="content")
    x = PadToMultiple(4, name="pad_to_multiple_of_4")(inputs)
    x = keras.layers.Rescaling(2.0, offset=-1.0, name="to_symmetric")(x)
    x = _conv_block(x, f1, 9, 1, norm, "down1")
    x = _conv_block(x, f2, 3, 2, norm, "down2")
    x = _conv_block(x, f3, 3, 2, norm, "down3")
    for i in range(1, config.residual_blocks + 1):
        y = _conv_block(x, f3, 3, 1, norm, f"res{i}a")
        y = _conv_block(y, f3, 3, 1, norm, f"res{i}b", relu=False)
        x = keras.layers.Add(name=f"res{i}_add")([x, y])
    for i, filters in ((1, f2), (2, f1)):
        # nearest 2x upsampling, mirror pad 1, 3x3 conv: one layer, 2.25x less arithmetic
        x = fast_layers.UpsampleConv2D(filters, name=f"up{i}_conv")(x)
        x = _norm_relu(x, norm, f"up{i}")
    x = ReflectionPadding2D(4, name="to_rgb_pad")(x)
    # The last conv follows the policy too (bfloat16 on a bf16 CPU: 11% faster inference, pixels
    # within 0.002 of float32's, under half an 8-bit level); the sigmoid runs in float32.
    x = keras.layers.Conv2D(3, 9, name="to_rgb_conv")(x)
    x = keras.layers.Activation("sigmoid", name="to_unit_range", dtype="float32")(x)
    outputs = CropLike(name="crop_to_input", dtype="float32")([x, inputs])
    return keras.Model(inputs, outputs, name=f"transform_net_{norm}")


def content_dataset(
    names: Sequence[str] = ("astronaut", "coffee", "chelsea", "rocket", "camera"),
    crop_size: int = 256,
    batch_size: int = 4,
    seed: int = 0,
) -> tf.data.Dataset:
    """An endless, shuffled dataset of random crops (with flips) of a few content photographs.

    Args:
        names: anything :func:`imgen_helpers.data.load_image` reads (names or paths).
        crop_size: side of the square crops; each photo is first shrunk so its short side is
            about 1.25 times this.
        batch_size: crops per batch.
        seed: seed of the crops and flips.

    Returns:
        ``tf.data.Dataset`` of float32 batches (batch_size, crop_size, crop_size, 3) in [0, 1].
        Taught in ``07_fast_style_transfer.ipynb``.
    """
    from .data import load_image

    photos = []
    for name in names:
        image = as_batch(load_image(name, max_size=None, verbose=False), str(name))
        short = min(image.shape[1:3])
        factor = 1.25 * crop_size / short
        new = (
            max(crop_size, round(image.shape[1] * factor)),
            max(crop_size, round(image.shape[2] * factor)),
        )
        photos.append(resize(image, new)[0])

    # Crops come from the seeded generator in a fixed order, so a dataset repeats exactly.
    def sample_seeded(i):
        index = tf.random.stateless_uniform((), (seed, i), 0, len(photos), dtype=tf.int32)
        branches = []
        for p in photos:

            def crop(p=p):
                return tf.image.stateless_random_crop(p, (crop_size, crop_size, 3), (seed + 1, i))

            branches.append(crop)
        image = tf.switch_case(index, branches)
        image = tf.image.stateless_random_flip_left_right(image, (seed + 2, i))
        return tf.ensure_shape(image, (crop_size, crop_size, 3))

    counter = tf.data.Dataset.counter()
    return counter.map(sample_seeded).batch(batch_size, drop_remainder=True)


class FastStyleTransfer(keras.Model):
    """Trains a transformation network for one style with perceptual losses (Johnson et al.).

    ``fit()`` on batches of content crops in [0, 1]; each step stylises the batch with the
    network, and minimises ``style_weight * style_loss + content_weight * content_loss +
    tv_weight * total_variation_loss`` measured by the frozen VGG19 ``extractor`` (Gram
    targets of the style image computed once). Metrics: loss, style, content, tv.
    """

    def __init__(
        self,
        transform_net: keras.Model,
        extractor: FeatureExtractor,
        style_image,
        style_weight: float = 1e-2,
        content_weight: float = 1e4,
        tv_weight: float = 30.0,
        layer_weights: Mapping[str, float] | None = None,
        name: str = "fast_style_transfer",
    ):
        super().__init__(name=name)
        self.transform_net = transform_net
        self.extractor = extractor
        self.style_weight = float(style_weight)
        self.content_weight = float(content_weight)
        self.tv_weight = float(tv_weight)
        self.layer_weights = layer_weights
        style = extractor(as_batch(style_image, "style_image"))["style"]
        self.target_grams = {n: gram_matrix(f) for n, f in style.items()}
        self.trackers = {k: keras.metrics.Mean(name=k) for k in ("loss", "style", "content", "tv")}

    @property
    def metrics(self):
        return list(self.trackers.values())

    def call(self, images, training=False):
        return self.transform_net(images, training=training)

    def losses_for(self, content_batch, stylised) -> dict[str, tf.Tensor]:
        """Weighted perceptual losses of a stylised batch against its content batch."""
        features = self.extractor(stylised)
        targets = self.extractor(content_batch)["content"]
        style = self.style_weight * style_loss(
            features["style"], self.target_grams, self.layer_weights
        )
        content = self.content_weight * content_loss(features["content"], targets)
        # TV per image, so the weight means the same as in stylize() for any batch size.
        tv = (
            self.tv_weight
            * total_variation_loss(stylised)
            / tf.cast(tf.shape(stylised)[0], tf.float32)
        )
        return {"loss": style + content + tv, "style": style, "content": content, "tv": tv}

    def train_step(self, data):
        content_batch = data[0] if isinstance(data, tuple) else data
        with tf.GradientTape() as tape:
            stylised = tf.cast(self.transform_net(content_batch, training=True), tf.float32)
            losses = self.losses_for(content_batch, stylised)
            loss = losses["loss"]
            scaled = (
                self.optimizer.scale_loss(loss) if hasattr(self.optimizer, "scale_loss") else loss
            )
        variables = self.transform_net.trainable_variables
        grads = tape.gradient(scaled, variables)
        self.optimizer.apply_gradients(zip(grads, variables, strict=True))
        for key, tracker in self.trackers.items():
            tracker.update_state(losses[key])
        return {k: t.result() for k, t in self.trackers.items()}


def stylize_fast(transform_net: keras.Model, image) -> np.ndarray:
    """Stylise one image of any size with a trained transformation network.

    Args:
        transform_net: from :func:`build_transform_net` (trained) or :func:`load_transform_net`.
        image: (H, W, 3) or (1, H, W, 3) RGB in [0, 1] (uint8 and grayscale accepted).

    Returns:
        (H, W, 3) float32 in [0, 1]. Taught in ``07_fast_style_transfer.ipynb``.
    """
    return np.asarray(transform_net(as_batch(image), training=False), np.float32)[0]


def save_transform_net(
    transform_net: keras.Model, path: str | os.PathLike = "runs/fast_style/net.keras"
) -> str:
    """Save a transformation network (architecture and weights) to a ``.keras`` file.

    Args:
        transform_net: the network.
        path: file name ending in ``.keras``; parent folders are created. Default under
            ``runs/`` in the current directory (git-ignored); never inside ``data/``.

    Returns:
        The path written, as a string.
    """
    path = Path(path)
    if path.suffix != ".keras":
        raise ValueError(f"save the network to a file ending in .keras, got {str(path)!r}.")
    path.parent.mkdir(parents=True, exist_ok=True)
    transform_net.save(path)
    return str(path)


def load_transform_net(path: str | os.PathLike) -> keras.Model:
    """Load a network saved by :func:`save_transform_net`."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"no saved network at {path}; train one and save_transform_net() it."
        )
    return keras.saving.load_model(path, compile=False)


__all__ = [
    "CONTENT_LAYERS",
    "STYLE_LAYERS",
    "FastStyleTransfer",
    "FeatureExtractor",
    "StyleContentLoss",
    "StyleTransferConfig",
    "StyleTransferResult",
    "TransformNetConfig",
    "WeightsUnavailableError",
    "as_batch",
    "build_extractor",
    "build_transform_net",
    "combine_luminance",
    "content_dataset",
    "content_loss",
    "float32_extractor",
    "gram_matrix",
    "load_transform_net",
    "luminance",
    "make_adam_step",
    "match_luminance",
    "save_transform_net",
    "show_weights_banner",
    "style_loss",
    "stylize",
    "stylize_fast",
    "synthesize_texture",
    "total_variation_loss",
    "vgg_preprocess",
    "weights_banner",
]
