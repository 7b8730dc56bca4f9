"""The VGG19 feature extractor of style transfer: ImageNet weights, preprocessing, activations.

:func:`build_extractor` returns a :class:`FeatureExtractor`: VGG19 up to the deepest layer asked
for, whose call maps RGB images in [0, 1] to ``{"style": {name: activations}, "content": {...}}``.
The ImageNet weights come from Keras' cache, a download or a local file; when none can be had it
raises :class:`WeightsUnavailableError` saying how to get them, unless random weights are
allowed on purpose (tests, offline smoke runs), and then :func:`weights_banner` says so.
Used by :mod:`imgen_helpers.style_transfer` (lesson 06) and :mod:`imgen_helpers.style_network`
(lesson 07); taught in ``06_style_transfer.ipynb``.
"""

from __future__ import annotations

import os
import urllib.error
import warnings
from collections.abc import Sequence
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from . import checks
from .runtime import is_offline

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
    """VGG19 ImageNet weights neither cached nor downloadable, and random weights not allowed.

    Its message starts with the two ways on. In IPython and Jupyter the message is all that is
    shown (:meth:`_render_traceback_`): the frames of Keras and urllib above it would only push
    it out of sight, and this error reports missing weights, not a bug to debug.
    """

    def _render_traceback_(self) -> list[str]:
        # IPython calls this, when it exists, instead of formatting the traceback.
        return [f"\x1b[0;31m{type(self).__name__}\x1b[0m: {self}"]


def _vgg_layer_names() -> list[str]:
    names = []
    for block, (_, convs) in enumerate(VGG19_BLOCKS, start=1):
        names += [f"block{block}_conv{i}" for i in range(1, convs + 1)] + [f"block{block}_pool"]
    return names


def _checked_layers(name: str, layers) -> tuple[str, ...]:
    """``layers`` as a tuple of VGG19 convolution names, or an error naming the unknown ones."""
    if isinstance(layers, str) or not isinstance(layers, Sequence):
        hint = f": put one name in a tuple, ({layers!r},)" if isinstance(layers, str) else ""
        raise TypeError(
            f"{name} must be a tuple of VGG19 layer names such as ('block1_conv1',); "
            f"got {type(layers).__name__} {layers!r}{hint}."
        )
    known = [n for n in _vgg_layer_names() if "conv" in n]
    unknown = [n for n in layers if n not in known]
    if unknown:
        raise ValueError(f"{name} has unknown VGG19 layers {unknown}; choose from {known}.")
    return tuple(layers)


def _checked_dtype(dtype):
    """``dtype`` if Keras knows it as a dtype policy (None: the global policy)."""
    if dtype is None or isinstance(dtype, keras.DTypePolicy):
        return dtype
    if not isinstance(dtype, str):
        raise TypeError(f"dtype must be a string such as 'float32'; got {dtype!r}.")
    try:
        keras.dtype_policies.get(dtype)
    except ValueError:
        raise ValueError(
            f"dtype must be a Keras dtype policy such as 'float32' or 'mixed_bfloat16'; "
            f"got {dtype!r}."
        ) from None
    return dtype


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
    images = checks.tensor_images("images", images, channels=3)
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
        "VGG19's ImageNet weights are missing, and style transfer needs them. Two ways on:\n"
        "  1. Get them (about 80 MB): run once with network access (IMGEN_OFFLINE unset), and "
        f"Keras keeps them in {_keras_cache_file()} for every later run, offline too; or "
        f"download {VGG19_WEIGHTS_URL} elsewhere and pass "
        f"weights_path='/path/to/{VGG19_WEIGHTS_FILE}'.\n"
        "  2. Go on without them: pass allow_random_weights=True. The code runs and the losses "
        "fall, but the pictures do not look like style transfer (a red banner says so).\n"
        f"Why they are missing: {reason}."
    )


def _source_weights(weights_path: str | os.PathLike | None) -> dict[str, list[np.ndarray]]:
    """ImageNet convolution weights by layer name, from a local file, the cache or a download."""
    if weights_path is not None:
        path = checks.path("weights_path", weights_path).expanduser()
        if not path.is_file():
            raise FileNotFoundError(
                f"weights_path={str(weights_path)!r} is not a file; give the path of "
                f"{VGG19_WEIGHTS_FILE} (the include_top=False VGG19 ImageNet weights)."
            )
        try:
            with warnings.catch_warnings(record=True) as caught:  # shown only if it loads
                warnings.simplefilter("always")
                source = keras.applications.VGG19(include_top=False, weights=str(path))
            for warning in caught:
                warnings.warn_explicit(
                    warning.message, warning.category, warning.filename, warning.lineno
                )
        except (ValueError, OSError, KeyError) as error:
            raise ValueError(
                f"weights_path={str(weights_path)!r} holds {_describe_weights_file(path)}; "
                f"expected {VGG19_WEIGHTS_FILE}, the include_top=False VGG19 ImageNet weights "
                f"(from {VGG19_WEIGHTS_URL})."
            ) from error
    else:
        if is_offline() and not _keras_cache_file().is_file():
            raise _weights_error(f"IMGEN_OFFLINE=1 and no cached copy at {_keras_cache_file()}")
        try:
            source = keras.applications.VGG19(include_top=False, weights="imagenet")
        except Exception as error:  # keras raises a bare Exception for URL failures
            if not _is_download_failure(error):
                raise
            # from None: the reason is in the message; urllib's frames would bury it
            raise _weights_error(f"download failed: {error}") from None
    return {layer.name: layer.get_weights() for layer in source.layers if layer.weights}


def _describe_weights_file(path: Path) -> str:
    """What a weights file holds, in a few words, for an error message."""
    import h5py

    try:
        with h5py.File(path, "r") as file:
            names = [
                n.decode() if isinstance(n, bytes) else n for n in file.attrs.get("layer_names", [])
            ]
            if not names and isinstance(file.get("layers"), h5py.Group):  # Keras 3 .weights.h5
                names = list(file["layers"].keys())
            names = names or list(file.keys())
    except OSError:
        return "something that is not an HDF5 weights file"
    shown = ", ".join(names[:4]) + (", ..." if len(names) > 4 else "")
    return f"the weights of {len(names)} layers ({shown})"


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
        fast: bool = False,
        name: str = "vgg19_features",
    ):
        style_layers = _checked_layers("style_layers", style_layers)
        content_layers = _checked_layers("content_layers", content_layers)
        if not style_layers and not content_layers:
            raise ValueError("style_layers and content_layers are both empty: give at least one.")
        checks.one_of("pooling", pooling, ("max", "avg"))
        dtype = _checked_dtype(dtype)
        random_weights = checks.boolean("random_weights", random_weights)
        seed = checks.integer("seed", seed)
        fast = checks.boolean("fast", fast)
        checks.instance("name", name, str, "a string")
        super().__init__(name=name)
        self.style_layers = style_layers
        self.content_layers = content_layers
        self.random_weights = random_weights
        self.pooling = pooling
        self.fast = fast
        conv = keras.layers.Conv2D
        if fast:  # the switch of build_extractor(fast=True): same layer, cheaper input gradient
            from .fast.layers import Conv2D as conv
        pool = keras.layers.MaxPooling2D if pooling == "max" else keras.layers.AveragePooling2D
        wanted = set(self.style_layers) | set(self.content_layers)
        names = _vgg_layer_names()
        deepest = max(names.index(n) for n in wanted)
        # each 2x2 pooling before the deepest layer halves the image: below this size, a layer
        # would get no pixels and the Gram matrices would be 0/0
        self.min_size = 2 ** sum(n.endswith("pool") for n in names[:deepest])
        self.vgg_layers: list[keras.layers.Layer] = []
        for index, layer_name in enumerate(names[: deepest + 1]):
            if layer_name.endswith("pool"):
                self.vgg_layers.append(pool(2, name=layer_name, dtype=dtype))
                continue
            filters = VGG19_BLOCKS[int(layer_name[5]) - 1][0]
            # He initialisation keeps activations at a useful scale through 16 random layers
            # (Keras' default Glorot halves their variance at every ReLU).
            init = keras.initializers.HeNormal(seed=seed + index)
            layer = conv(
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

    def __call__(self, images, *args, **kwargs):
        # checked here, before Keras converts the input: a path or uint8 pixels must not get in
        images = checks.tensor_images("images", images, channels=3)
        height, width = tuple(images.shape)[1:3]
        if min(d for d in (height, width, self.min_size) if d is not None) < self.min_size:
            raise ValueError(
                f"images are {width}x{height} pixels; this extractor's deepest layer needs at "
                f"least {self.min_size} on each side (each block's 2x2 pooling halves them). "
                "Use a larger image."
            )
        return super().__call__(images, *args, **kwargs)

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


def build_extractor(
    style_layers: Sequence[str] = STYLE_LAYERS,
    content_layers: Sequence[str] = CONTENT_LAYERS,
    weights_path: str | os.PathLike | None = None,
    allow_random_weights: bool = False,
    pooling: str = "max",
    dtype: str | None = None,
    seed: int = 0,
    fast: bool = False,
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
            faster Adam steps with the same loss after 100 steps to four digits, measured by
            ``python benchmarks/style_transfer.py``) and float32 otherwise. Never float16 by
            default: the image gradient has no loss scaling and would underflow. L-BFGS needs
            float32 (its line search wants more digits than bfloat16 keeps): build a float32
            extractor for it, or let ``stylize(..., fast=True)`` use a float32 twin.
            Activations are returned in float32 either way, so Gram matrices and losses are
            float32 sums.
        seed: seed of the random initialisation.
        fast: build the convolutions from :class:`imgen_helpers.fast.layers.Conv2D` instead of
            ``keras.layers.Conv2D``: the same layer with the same weights and outputs, whose
            gradient with respect to its input runs as a forward convolution (cheaper on a
            CPU; Gatys' method needs that gradient at every layer, at every step). Nothing else
            changes; False (the default) builds Keras' own layers.

    Returns:
        A :class:`FeatureExtractor`. Taught in ``06_style_transfer.ipynb``.
    """
    style_layers = _checked_layers("style_layers", style_layers)
    content_layers = _checked_layers("content_layers", content_layers)
    if not style_layers and not content_layers:
        raise ValueError("style_layers and content_layers are both empty: give at least one.")
    if weights_path is not None:
        checks.path("weights_path", weights_path)
    allow_random_weights = checks.boolean("allow_random_weights", allow_random_weights)
    checks.one_of("pooling", pooling, ("max", "avg"))
    dtype = _checked_dtype(dtype)
    seed = checks.integer("seed", seed)
    fast = checks.boolean("fast", fast)
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
        style_layers,
        content_layers,
        pooling,
        dtype,
        random_weights=source is None,
        seed=seed,
        fast=fast,
    )
    if source is not None:
        for layer in extractor.vgg_layers:
            if layer.weights:
                layer.set_weights(source[layer.name])
    extractor.trainable = False
    return extractor


def weights_banner(extractor: FeatureExtractor) -> str | None:
    """The warning to show with every result made with random weights; None with ImageNet ones."""
    checks.instance("extractor", extractor, FeatureExtractor, "a FeatureExtractor")
    return RANDOM_WEIGHTS_BANNER if extractor.random_weights else None


def show_weights_banner(extractor: FeatureExtractor) -> str | None:
    """Display :func:`weights_banner` as a red box in a notebook (printed too); return its text."""
    checks.instance("extractor", extractor, FeatureExtractor, "a FeatureExtractor")
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
