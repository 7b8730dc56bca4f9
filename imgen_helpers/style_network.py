"""Fast style transfer (Johnson et al. 2016): a feed-forward network trained for one style.

Reads top to bottom: the padding and cropping layers, :func:`build_transform_net` (instance
normalisation, upsampling blocks instead of transposed convolutions), :func:`content_dataset`
(random crops of a few photographs), the :class:`FastStyleTransfer` trainer (a ``keras.Model``
with ``train_step``: perceptual losses from :mod:`imgen_helpers.style_transfer` measured by the
frozen VGG19 of :mod:`imgen_helpers.vgg`), then :func:`stylize_fast`,
:func:`save_transform_net` and :func:`load_transform_net`.

Conventions: images are float32 RGB in [0, 1]; losses and weights are those of lesson 06.
The speed wing is used only when ``TransformNetConfig(fast=True)`` says so.
Taught in ``07_fast_style_transfer.ipynb``.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import warnings
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from . import checks
from .style_transfer import (
    MIN_SIZE,
    _check_extractor_has_layers,
    _layer_weights,
    as_batch,
    content_loss,
    gram_matrix,
    resize,
    style_loss,
    total_variation_loss,
)
from .vgg import FeatureExtractor

# --------------------------------------------------------------------------------------------
# 1. Layers and the transformation network
# --------------------------------------------------------------------------------------------


@keras.saving.register_keras_serializable(package="imgen_helpers")
class ReflectionPadding2D(keras.layers.Layer):
    """Mirror-pad height and width by ``padding`` pixels, so borders look like the image."""

    def __init__(self, padding: int = 1, **kwargs):
        padding = checks.integer("padding", padding, minimum=0)
        super().__init__(**kwargs)
        self.padding = padding

    def call(self, x):
        p = self.padding
        sides = [d for d in tuple(x.shape)[1:3] if d is not None]
        if sides and p >= min(sides):
            raise ValueError(
                f"padding={p} mirrors {p} pixels, so the image must be larger than that on each "
                f"side; got shape {tuple(x.shape)}. Use a larger image or a smaller padding."
            )
        return tf.pad(x, [[0, 0], [p, p], [p, p], [0, 0]], mode="REFLECT")

    def compute_output_shape(self, shape):
        grow = lambda d: None if d is None else d + 2 * self.padding  # noqa: E731
        return (shape[0], grow(shape[1]), grow(shape[2]), shape[3])

    def get_config(self):
        return {**super().get_config(), "padding": self.padding}


@keras.saving.register_keras_serializable(package="imgen_helpers")
class PadToMultiple(keras.layers.Layer):
    """Mirror-pad height and width up to a multiple of ``multiple`` (so any size works)."""

    def __init__(self, multiple: int = 4, **kwargs):
        multiple = checks.positive_int("multiple", multiple)
        super().__init__(**kwargs)
        self.multiple = multiple

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


@keras.saving.register_keras_serializable(package="imgen_helpers")
class CropLike(keras.layers.Layer):
    """Crop the first input to the height and width of the second."""

    def call(self, inputs):
        if not isinstance(inputs, list | tuple) or len(inputs) != 2:
            raise TypeError(
                "inputs must be a pair [x, like] (crop x to like's size); got "
                f"{type(inputs).__name__}."
            )
        x, like = inputs
        for axis, (big, small) in enumerate(zip(x.shape[1:3], like.shape[1:3], strict=True)):
            if None not in (big, small) and big < small:
                raise ValueError(
                    f"inputs: x has shape {tuple(x.shape)}, smaller than like's "
                    f"{tuple(like.shape)} on axis {axis + 1}; CropLike can only crop, not enlarge."
                )
        shape = tf.shape(like)
        return x[:, : shape[1], : shape[2], :]

    def compute_output_shape(self, shapes):
        x, like = shapes
        return (x[0], like[1], like[2], x[3])


@dataclass(frozen=True)
class TransformNetConfig:
    """Size of the image-transformation network of :func:`build_transform_net`.

    ``fast=True`` changes one thing: each upsampling block (nearest 2x upsampling, mirror
    padding, 3x3 convolution: three Keras layers) becomes ONE
    :class:`imgen_helpers.fast.layers.UpsampleConv2D`, which computes the same thing with the
    same weights at the low resolution (2.25 times less arithmetic). The variables are the
    same, so weights move between the two forms (``tests/test_style_network.py``).
    """

    filters: tuple[int, int, int] = (32, 64, 128)  # widths at full, 1/2 and 1/4 resolution
    residual_blocks: int = 5  # 3x3 residual blocks at 1/4 resolution (Johnson et al.: 5)
    normalization: str = "instance"  # "instance" (Ulyanov et al.) or "batch" (to compare)
    fast: bool = False  # upsampling blocks as one fast layer each (see above)

    def __post_init__(self):
        filters = self.filters
        if isinstance(filters, str) or not isinstance(filters, Sequence):
            raise TypeError(
                f"filters must be a tuple of three widths, e.g. (32, 64, 128); got {filters!r}."
            )
        if len(filters) != 3:
            raise ValueError(
                "filters must be three widths (full, 1/2 and 1/4 resolution), e.g. (32, 64, 128); "
                f"got {len(filters)}: {filters!r}."
            )
        filters = tuple(checks.positive_int("filters", f) for f in filters)
        blocks = checks.integer("residual_blocks", self.residual_blocks, minimum=0)
        checks.one_of("normalization", self.normalization, ("instance", "batch"))
        checks.boolean("fast", self.fast)
        object.__setattr__(self, "filters", filters)  # the cleaned values (frozen dataclass)
        object.__setattr__(self, "residual_blocks", blocks)


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


def _upsample_block(x, filters, norm, name, fast):
    """Nearest 2x upsampling, mirror pad 1, 3x3 conv (Odena et al. 2016: no checkerboards)."""
    if fast:  # TransformNetConfig(fast=True): the same conv "{name}_conv", one fast layer
        from .fast.layers import UpsampleConv2D

        x = UpsampleConv2D(filters, name=f"{name}_conv")(x)
    else:
        x = keras.layers.UpSampling2D(2, interpolation="nearest", name=f"{name}_upsample")(x)
        x = ReflectionPadding2D(1, name=f"{name}_pad")(x)
        x = keras.layers.Conv2D(filters, 3, name=f"{name}_conv")(x)
    return _norm_relu(x, norm, name)


def build_transform_net(config: TransformNetConfig | None = None) -> keras.Model:
    """Johnson et al.'s image-transformation network, for images of any size.

    Layout: 9x9 conv, two stride-2 3x3 convs down, residual blocks at 1/4 resolution, two
    upsampling blocks (nearest-neighbour 2x upsampling then a 3x3 conv, instead of transposed
    convolutions, which leave checkerboard artefacts; Odena et al. 2016), and a 9x9 conv to RGB
    with a sigmoid. Padding is mirror padding; inputs whose sides are not multiples of 4 are
    padded and the output cropped back, so the output always has the input's size. The layers
    follow the global dtype policy, except the sigmoid and the crop, which return float32.

    Args:
        config: widths, number of residual blocks, normalisation, ``fast``.

    Returns:
        ``keras.Model`` mapping (N, H, W, 3) in [0, 1] to (N, H, W, 3) float32 in [0, 1].
        Taught in ``07_fast_style_transfer.ipynb``.
    """
    if config is None:
        config = TransformNetConfig()
    checks.instance("config", config, TransformNetConfig, "a TransformNetConfig or None")
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
    x = _upsample_block(x, f2, norm, "up1", config.fast)
    x = _upsample_block(x, f1, norm, "up2", config.fast)
    x = ReflectionPadding2D(4, name="to_rgb_pad")(x)
    x = keras.layers.Conv2D(3, 9, name="to_rgb_conv")(x)
    x = keras.layers.Activation("sigmoid", name="to_unit_range", dtype="float32")(x)
    outputs = CropLike(name="crop_to_input", dtype="float32")([x, inputs])
    return keras.Model(inputs, outputs, name=f"transform_net_{norm}")


# --------------------------------------------------------------------------------------------
# 2. Training data and the trainer
# --------------------------------------------------------------------------------------------


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

    if isinstance(names, str | os.PathLike) or not isinstance(names, Sequence):
        raise TypeError(
            f"names must be a tuple of image names or paths, e.g. ('coffee', 'chelsea'); got "
            f"{names!r}"
            + (f": put one name in a tuple, ({names!r},)." if isinstance(names, str) else ".")
        )
    if not names:
        raise ValueError("names is empty: give at least one photograph to crop from.")
    crop_size = checks.integer("crop_size", crop_size, minimum=MIN_SIZE)
    batch_size = checks.positive_int("batch_size", batch_size)
    seed = checks.integer("seed", seed)
    photos = []
    for i, name in enumerate(names):
        try:
            photo = load_image(name, max_size=None, verbose=False)
        except (FileNotFoundError, ValueError, TypeError) as error:
            raise type(error)(f"names[{i}] = {name!r}: {error}") from error
        image = as_batch(photo, str(name))
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
        _check_transform_net(transform_net)
        checks.instance("extractor", extractor, FeatureExtractor, "a FeatureExtractor")
        style_weight = checks.non_negative("style_weight", style_weight)
        content_weight = checks.non_negative("content_weight", content_weight)
        tv_weight = checks.non_negative("tv_weight", tv_weight)
        _layer_weights(extractor.style_layers, layer_weights)
        _check_extractor_has_layers(extractor, style_weight, content_weight, True)
        checks.instance("name", name, str, "a string")
        super().__init__(name=name)
        self.transform_net = transform_net
        self.extractor = extractor
        self.style_weight = style_weight
        self.content_weight = content_weight
        self.tv_weight = tv_weight
        self.layer_weights = layer_weights
        style = extractor(as_batch(style_image, "style_image"))["style"]
        self.target_grams = {n: gram_matrix(f) for n, f in style.items()}
        self.trackers = {k: keras.metrics.Mean(name=k) for k in ("loss", "style", "content", "tv")}

    @property
    def metrics(self):
        return list(self.trackers.values())

    def call(self, images, training=False):
        return self.transform_net(images, training=training)

    def fit(self, x=None, *args, **kwargs):
        """Keras' ``fit``, after checking the content batches: (N, H, W, 3) in [0, 1]."""
        _check_content_batches("x", x)
        kwargs.setdefault("shuffle", not isinstance(x, tf.data.Dataset))  # no Keras warning
        return super().fit(x, *args, **kwargs)

    def losses_for(self, content_batch, stylised) -> dict[str, tf.Tensor]:
        """Weighted perceptual losses of a stylised batch against its content batch."""
        content_batch = checks.tensor_images("content_batch", content_batch, channels=3)
        stylised = checks.tensor_images("stylised", stylised, channels=3)
        if not _same_shape(content_batch.shape, stylised.shape):
            raise ValueError(
                f"stylised has shape {tuple(stylised.shape)} but content_batch has shape "
                f"{tuple(content_batch.shape)}: stylised must be transform_net(content_batch)."
            )
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


def _same_shape(a, b) -> bool:
    a, b = tuple(a), tuple(b)
    return len(a) == len(b) and all(
        x is None or y is None or x == y for x, y in zip(a, b, strict=True)
    )


def _check_content_batches(name: str, data) -> None:
    """What ``fit()`` trains on: batches (N, H, W, 3) of content images in [0, 1]."""
    checks.training_images(name, data, value_range="unit")
    if isinstance(data, tf.data.Dataset):
        spec = data.element_spec
        channels = (spec[0] if isinstance(spec, tuple) else spec).shape[-1]
    else:
        batch = data[0] if isinstance(data, tuple | list) and len(data) == 2 else data
        channels = np.shape(batch)[-1]
    if channels not in (3, None):
        raise ValueError(
            f"{name} must hold RGB images (N, H, W, 3); got {channels} channels. "
            "Load photographs with load_image() or content_dataset()."
        )


def _check_transform_net(transform_net) -> None:
    """``transform_net`` is a Keras model from RGB images to RGB images."""
    if isinstance(transform_net, str | os.PathLike):
        raise TypeError(
            f"transform_net must be a keras.Model, not the path {str(transform_net)!r}: load it "
            "with load_transform_net(path) first."
        )
    checks.model_input("transform_net", transform_net, (None, None, 3), "RGB images")
    outputs = getattr(transform_net, "outputs", None)
    if outputs and tuple(outputs[0].shape)[-1] not in (3, None):
        raise ValueError(
            f"transform_net must output RGB images (N, H, W, 3); its output has shape "
            f"{tuple(outputs[0].shape)}: use a network from build_transform_net()."
        )


# --------------------------------------------------------------------------------------------
# 3. Using, saving and loading a trained network
# --------------------------------------------------------------------------------------------


def stylize_fast(transform_net: keras.Model, image) -> np.ndarray:
    """Stylise one image of any size with a trained transformation network.

    Args:
        transform_net: from :func:`build_transform_net` (trained) or :func:`load_transform_net`.
        image: (H, W, 3) or (1, H, W, 3) RGB in [0, 1] (uint8 and grayscale accepted).

    Returns:
        (H, W, 3) float32 in [0, 1]. Taught in ``07_fast_style_transfer.ipynb``.
    """
    _check_transform_net(transform_net)
    batch = as_batch(image)
    return np.asarray(transform_net(batch, training=False), np.float32)[0]


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
    checks.instance("transform_net", transform_net, keras.Model, "a keras.Model")
    path = checks.path("path", path)
    if path.suffix != ".keras":
        raise ValueError(f"path must be a file ending in .keras, got {str(path)!r}.")
    path.parent.mkdir(parents=True, exist_ok=True)
    transform_net.save(path)
    return str(path)


_OLD_NAMES = {
    f"imgen>{cls.__name__}": cls for cls in (ReflectionPadding2D, PadToMultiple, CropLike)
}
"""Registered names these layers had before 0.2 (package "imgen"), for files saved then."""


def _saved_with_fast_layers(path: Path) -> bool:
    """True if the ``.keras`` file's architecture names a layer of :mod:`imgen_helpers.fast`."""
    with zipfile.ZipFile(path) as archive:
        return b"imgen_helpers>UpsampleConv2D" in archive.read("config.json")


def _describe_architecture(config: dict) -> str:
    """A few words on the model a ``.keras`` file's ``config.json`` describes."""
    layers = {
        layer["config"]["name"]: layer for layer in config.get("config", {}).get("layers", [])
    }
    name = config.get("config", {}).get("name", "?")
    if "down1_conv" not in layers:
        return f"a Keras model named {name!r} ({config.get('class_name')}, {len(layers)} layers)"
    filters = tuple(layers[f"down{i}_conv"]["config"]["filters"] for i in (1, 2, 3))
    blocks = sum(n.endswith("_add") for n in layers)
    return f"a transform network with filters {filters} and {blocks} residual block(s)"


def _describe_weights(archive: zipfile.ZipFile) -> str:
    """A few words on the weights stored in a ``.keras`` file, read with h5py."""
    import h5py

    kernels = []
    with h5py.File(io.BytesIO(archive.read("model.weights.h5")), "r") as weights:

        def visit(name, item):
            if isinstance(item, h5py.Dataset) and len(item.shape) == 4:
                kernels.append((name, item.shape))

        weights.visititems(visit)

    def creation_order(entry):  # Keras names the groups conv2d, conv2d_1, ..., conv2d_10
        layer = entry[0].split("/")[1]
        base, _, number = layer.rpartition("_")
        return (base, int(number)) if number.isdigit() else (layer, 0)

    shapes = [shape for _, shape in sorted(kernels, key=creation_order)]
    if len(shapes) < 3 or shapes[0][:3] != (9, 9, 3):
        return f"weights of {len(shapes)} convolutions"
    filters = tuple(int(shape[-1]) for shape in shapes[:3])
    blocks = (len(shapes) - 6) // 2  # 3 down, 2 per residual block, 2 up, 1 to RGB
    return (
        f"the weights of a transform network with filters {filters} and {blocks} residual block(s)"
    )


def _config_of(net: keras.Model) -> TransformNetConfig:
    """The :class:`TransformNetConfig` a network from :func:`build_transform_net` was built with."""
    filters = tuple(net.get_layer(f"down{i}_conv").filters for i in (1, 2, 3))
    blocks = sum(layer.name.endswith("_add") for layer in net.layers)
    fast = any(type(layer).__name__ == "UpsampleConv2D" for layer in net.layers)
    norm = net.name.removeprefix("transform_net_")
    return TransformNetConfig(filters, blocks, norm, fast)


def load_transform_net(path: str | os.PathLike, fast: bool | None = None) -> keras.Model:
    """Load a network saved by :func:`save_transform_net`.

    Files saved before 0.2 (layers registered as ``"imgen>..."``) load too.

    Args:
        path: the ``.keras`` file.
        fast: None (default) gives the network in the form it was saved in; True or False
            rebuilds it with ``TransformNetConfig(fast=...)`` and copies the weights, which are
            the same variables in both forms. A file saved with ``fast=True`` holds the speed
            wing's ``UpsampleConv2D``, so loading it imports :mod:`imgen_helpers.fast.layers`.

    Returns:
        The ``keras.Model``, uncompiled.
    """
    path = checks.path("path", path)
    if fast is not None:
        fast = checks.boolean("fast", fast)
    if not path.is_file():
        raise FileNotFoundError(
            f"path: no saved network at {str(path)!r}; train one and save_transform_net() it."
        )
    if not zipfile.is_zipfile(path):
        raise ValueError(
            f"path={str(path)!r} is not a .keras file (a zip archive): give a file written by "
            "save_transform_net()."
        )
    with zipfile.ZipFile(path) as archive:
        architecture = _describe_architecture(json.loads(archive.read("config.json")))
        if not architecture.startswith("a transform network"):
            raise ValueError(
                f"path={str(path)!r} holds {architecture}, not a transform network from "
                "build_transform_net(): give a file written by save_transform_net()."
            )
        if _saved_with_fast_layers(path):
            from .fast import layers as _  # noqa: F401 (registers UpsampleConv2D for loading)
        try:
            with warnings.catch_warnings(record=True) as caught:  # shown only if it loads
                warnings.simplefilter("always")
                net = keras.saving.load_model(path, compile=False, custom_objects=_OLD_NAMES)
        except (ValueError, TypeError, KeyError) as error:
            raise ValueError(
                f"path={str(path)!r} holds {_describe_weights(archive)}, but its architecture "
                f"is {architecture}: the weights do not fit it (the file was assembled from two "
                "networks or damaged). Save the network again with save_transform_net()."
            ) from error
    for warning in caught:
        warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    config = _config_of(net)
    if fast is None or fast == config.fast:
        return net
    other = build_transform_net(dataclasses.replace(config, fast=fast))
    saved = {variable.path: variable for variable in net.weights}
    for variable in other.weights:  # matched by path: "up1_conv/kernel" in both forms
        variable.assign(saved[variable.path])
    return other


__all__ = [
    "CropLike",
    "FastStyleTransfer",
    "PadToMultiple",
    "ReflectionPadding2D",
    "TransformNetConfig",
    "build_transform_net",
    "content_dataset",
    "load_transform_net",
    "save_transform_net",
    "stylize_fast",
]
