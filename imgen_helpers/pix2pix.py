"""Paired image-to-image translation (pix2pix, Isola et al., 2017): a U-Net and a PatchGAN.

Reading order:

1. :class:`Pix2PixConfig`, the two networks' sizes;
2. :func:`build_unet`, the generator: an encoder of stride-2 convolutions, a decoder of
   stride-2 transposed convolutions, and a skip connection from each encoder level to the
   decoder level of the same size, so fine detail (where the edges are) need not squeeze
   through the bottleneck;
3. :func:`build_patchgan`, the discriminator: it sees the input and a candidate output side by
   side and returns a *grid* of logits, one per overlapping patch, each judging whether its
   patch looks real; :func:`patchgan_layers` and :func:`receptive_field` say how big a patch is;
4. the losses, pure functions: :func:`l1_loss`, :func:`patch_discriminator_loss`,
   :func:`patch_generator_loss`;
5. :class:`Pix2Pix`, the ``keras.Model`` whose ``train_step`` takes ``(inputs, targets)``
   pairs: the generator minimises ``adversarial_weight * GAN loss + l1_weight * L1`` (the
   paper and the TensorFlow tutorial: 1 and 100); ``adversarial_weight=0`` is L1 regression
   alone, the blurry baseline the adversarial term is there to sharpen;
6. :func:`load_unet` and :func:`load_pretrained_unet`, the shipped super-resolution U-Nets.

Images are float32 in [-1, 1] (the U-Net ends in tanh), shapes (N, H, W, C); PatchGAN logits
are float32 (N, h, w, 1). Paired digits for the lesson come from
:func:`imgen_helpers.data.digit_pairs`. Taught in ``11_image_translation.ipynb``.
"""

from __future__ import annotations

from dataclasses import dataclass

import keras
import tensorflow as tf
from keras import layers, ops

from . import checks
from .gan import _apply, _check_optimizer, _f32

# ----------------------------------------------------------------------------------------------
# 1. The configuration
# ----------------------------------------------------------------------------------------------


def _filters(name: str, value) -> tuple[int, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, tuple | list) or not value:
        raise TypeError(f"{name} must be a tuple of channel counts, e.g. (32, 64); got {value!r}.")
    return tuple(checks.positive_int(f"{name}[{i}]", n) for i, n in enumerate(value))


@dataclass(frozen=True)
class Pix2PixConfig:
    """The sizes of pix2pix's U-Net and PatchGAN (the paper's are for 256x256 photographs)."""

    image_shape: tuple[int, int, int] = (28, 28, 1)  # the output's (height, width, channels)
    input_channels: int = 1  # channels of the input image (edges: 1, grey to colour: 1)
    filters: tuple[int, ...] = (32, 64)  # U-Net encoder channels per level (each halves H, W)
    bottleneck: int = 128  # channels at the smallest size
    dropout: float = 0.5  # dropout in the first decoder level (the paper's noise source)
    patch_filters: tuple[int, ...] = (32,)  # PatchGAN's stride-2 convolutions
    patch_deep: int = 64  # PatchGAN's stride-1 convolution before the logits

    def __post_init__(self) -> None:
        shape = self.image_shape
        checks.instance("image_shape", shape, (tuple, list), "a (height, width, channels) tuple")
        if len(shape) != 3:
            raise ValueError(f"image_shape must be (height, width, channels); got {shape!r}.")
        shape = tuple(checks.positive_int(f"image_shape[{i}]", n) for i, n in enumerate(shape))
        filters = _filters("filters", self.filters)
        levels = 2 ** len(filters)
        if shape[0] % levels or shape[1] % levels:
            raise ValueError(
                f"image_shape {shape[:2]} must be divisible by 2**len(filters) = {levels}: "
                f"each of the {len(filters)} U-Net levels halves the size. Use fewer levels "
                "or pad the images."
            )
        fields = {
            "image_shape": shape,
            "input_channels": checks.positive_int("input_channels", self.input_channels),
            "filters": filters,
            "bottleneck": checks.positive_int("bottleneck", self.bottleneck),
            "dropout": checks.number("dropout", self.dropout, minimum=0.0, below=1.0),
            "patch_filters": _filters("patch_filters", self.patch_filters),
            "patch_deep": checks.positive_int("patch_deep", self.patch_deep),
        }
        for name, value in fields.items():
            object.__setattr__(self, name, value)

    @property
    def input_shape(self) -> tuple[int, int, int]:
        """(height, width, input_channels): what the U-Net takes."""
        return (*self.image_shape[:2], self.input_channels)


PIX2PIX_DIGITS = Pix2PixConfig()
"""The CPU-sized pair for 28x28 digits: a two-level U-Net (28 -> 14 -> 7) and a PatchGAN with
one stride-2 layer, whose 14x14 logits each judge a patch 16 pixels wide (:func:`receptive_field`),
about half a digit: strokes, not the whole shape, which L1 already gets right."""


def _config(config) -> Pix2PixConfig:
    return checks.instance("config", config, Pix2PixConfig, "a Pix2PixConfig")


# ----------------------------------------------------------------------------------------------
# 2 and 3. Builders
# ----------------------------------------------------------------------------------------------


def build_unet(config: Pix2PixConfig = PIX2PIX_DIGITS) -> keras.Model:
    """The pix2pix generator: a U-Net (Ronneberger et al., 2015) with kernel-4 stride-2 blocks.

    Encoder level i: Conv2D(filters[i], 4, stride 2), batch norm (not on the first), LeakyReLU
    0.2. Bottleneck: a 3x3 convolution (batch norm, ReLU) at the smallest size. Decoder, from
    the smallest size up: concatenate with the encoder's output of that size (the skip
    connection; at the smallest size that is the bottleneck's own input), then
    Conv2DTranspose(filters[i - 1], 4, stride 2), batch norm, dropout on the deepest level,
    ReLU. A last transposed convolution to the output's channels, tanh.

    Args:
        config: sizes.

    Returns:
        A model mapping inputs (N, H, W, input_channels) in [-1, 1] to outputs (N, H, W, C) in
        [-1, 1], float32.
    """
    config = _config(config)
    inputs = keras.Input(config.input_shape, name="inputs")
    x, skips = inputs, []
    for i, filters in enumerate(config.filters):
        x = layers.Conv2D(filters, 4, 2, padding="same", use_bias=i == 0, name=f"down_{i}")(x)
        if i > 0:
            x = layers.BatchNormalization(name=f"down_{i}_bn")(x)
        x = layers.LeakyReLU(0.2, name=f"down_{i}_leaky_relu")(x)
        skips.append(x)  # (batch, H / 2**(i+1), W / 2**(i+1), filters)
    x = layers.Conv2D(config.bottleneck, 3, padding="same", use_bias=False, name="bottleneck")(x)
    x = layers.BatchNormalization(name="bottleneck_bn")(x)
    x = layers.ReLU(name="bottleneck_relu")(x)
    for i in reversed(range(len(config.filters))):
        x = layers.Concatenate(name=f"skip_{i}")([x, skips[i]])  # the U's rung at this size
        if i == 0:
            break
        x = layers.Conv2DTranspose(
            config.filters[i - 1], 4, 2, padding="same", use_bias=False, name=f"up_{i}"
        )(x)
        x = layers.BatchNormalization(name=f"up_{i}_bn")(x)
        if i == len(config.filters) - 1 and config.dropout > 0:
            x = layers.Dropout(config.dropout, name=f"up_{i}_dropout")(x)
        x = layers.ReLU(name=f"up_{i}_relu")(x)
    outputs = layers.Conv2DTranspose(
        config.image_shape[-1],
        4,
        2,
        padding="same",
        activation="tanh",
        dtype="float32",
        name="to_pixels",
    )(x)  # (batch, H, W, C) in [-1, 1]
    return keras.Model(inputs, outputs, name="unet")


def patchgan_layers(config: Pix2PixConfig = PIX2PIX_DIGITS) -> list[tuple[int, int]]:
    """(kernel, stride) of each PatchGAN convolution, input to logits, for :func:`receptive_field`.

    Kernel-4 stride-2 convolutions (``patch_filters``), a kernel-4 stride-1 one (``patch_deep``)
    and the kernel-4 stride-1 logit layer, as in the paper's 70x70 PatchGAN (which has three
    stride-2 layers).
    """
    config = _config(config)
    return patch_specs(len(config.patch_filters))


def patch_specs(strided: int) -> list[tuple[int, int]]:
    """(kernel, stride) of a PatchGAN with ``strided`` stride-2 layers (:func:`patch_logits`)."""
    return [(4, 2)] * checks.integer("strided", strided, minimum=0) + [(4, 1), (4, 1)]


def receptive_field(layer_specs) -> int:
    """How many input pixels along one axis one output of a stack of convolutions sees.

    ``r = 1 + sum_i (k_i - 1) * prod_{j < i} s_j`` for layers i = 1, 2, ... with kernel k_i
    and stride s_i (input first): each layer widens the view by ``k_i - 1`` of its own input
    pixels, and each of those is ``prod_{j < i} s_j`` pixels of the image apart. For the
    paper's PatchGAN (kernel 4; strides 2, 2, 2, 1, 1) it gives 70.

    Args:
        layer_specs: a list of ``(kernel, stride)`` pairs of positive ints, input first.

    Returns:
        The receptive field in pixels.
    """
    if isinstance(layer_specs, str | bytes) or not isinstance(layer_specs, list | tuple):
        raise TypeError(
            f"layer_specs must be a list of (kernel, stride) pairs, e.g. [(4, 2), (4, 1)]; "
            f"got {type(layer_specs).__name__}."
        )
    if not layer_specs:
        raise ValueError("layer_specs is empty: a stack of no layers sees one pixel; give some.")
    field, jump = 1, 1
    for i, spec in enumerate(layer_specs):
        if not isinstance(spec, tuple | list) or len(spec) != 2:
            raise TypeError(f"layer_specs[{i}] must be a (kernel, stride) pair; got {spec!r}.")
        kernel = checks.positive_int(f"layer_specs[{i}] kernel", spec[0])
        stride = checks.positive_int(f"layer_specs[{i}] stride", spec[1])
        field += (kernel - 1) * jump
        jump *= stride
    return field


def build_patchgan(config: Pix2PixConfig = PIX2PIX_DIGITS) -> keras.Model:
    """The pix2pix discriminator: (input, candidate) side by side -> a grid of patch logits.

    Concatenates the input and the candidate output along the channels (the discriminator
    judges the *pair*: is this a real translation of this input?), then :func:`patchgan_layers`:
    kernel-4 stride-2 convolutions with LeakyReLU 0.2 (batch norm after all but the first), a
    stride-1 one, and a stride-1 convolution to one channel: one logit per patch.

    Args:
        config: sizes.

    Returns:
        A model mapping ``[inputs (N, H, W, input_channels), candidates (N, H, W, C)]`` to
        float32 logits (N, h, w, 1).
    """
    config = _config(config)
    inputs = keras.Input(config.input_shape, name="inputs")
    candidates = keras.Input(config.image_shape, name="candidates")
    x = layers.Concatenate(name="pair")([inputs, candidates])
    logits = patch_logits(x, config.patch_filters, config.patch_deep, norm="batch")
    return keras.Model([inputs, candidates], logits, name="patchgan")


def patch_logits(x, patch_filters: tuple[int, ...], patch_deep: int, norm: str = "batch"):
    """The PatchGAN's convolutions on a tensor ``x``: one float32 logit per patch.

    Kernel-4 convolutions, stride 2 (``patch_filters``) then stride 1 (``patch_deep``), each
    followed by normalisation (not on the first: ``"batch"`` as in pix2pix, ``"instance"`` as
    in CycleGAN) and LeakyReLU 0.2, then a kernel-4 stride-1 convolution to one channel.
    Shared by :func:`build_patchgan` and :func:`imgen_helpers.cyclegan.build_discriminator`.
    """
    patch_filters = _filters("patch_filters", patch_filters)
    filters = [*patch_filters, checks.positive_int("patch_deep", patch_deep)]
    norm = checks.one_of("norm", norm, ("batch", "instance"))
    strides = [2] * len(patch_filters) + [1]
    for i, (n, stride) in enumerate(zip(filters, strides, strict=True)):
        x = layers.Conv2D(n, 4, stride, padding="same", use_bias=i == 0, name=f"conv_{i}")(x)
        if i > 0 and norm == "instance":  # groups == channels: per image and channel
            x = layers.GroupNormalization(groups=-1, epsilon=1e-5, name=f"conv_{i}_in")(x)
        elif i > 0:
            x = layers.BatchNormalization(name=f"conv_{i}_bn")(x)
        x = layers.LeakyReLU(0.2, name=f"conv_{i}_leaky_relu")(x)
    return layers.Conv2D(1, 4, 1, padding="same", dtype="float32", name="patch_logits")(x)


# ----------------------------------------------------------------------------------------------
# 4. Losses: pure functions
# ----------------------------------------------------------------------------------------------


def l1_loss(outputs, targets):
    """Mean absolute difference ``mean |G(x) - y|`` over every pixel: the paired task's loss.

    Args:
        outputs: generated images (N, H, W, C).
        targets: the true outputs, same shape.

    Returns:
        A float32 scalar >= 0.
    """
    checks.tensors(same_shape=True, outputs=outputs, targets=targets)
    return ops.mean(ops.abs(_f32(outputs) - _f32(targets)))


def patch_discriminator_loss(real_logits, fake_logits):
    """Binary cross-entropy averaged over every patch: real pairs -> 1, generated pairs -> 0.

    ``mean softplus(-real) + mean softplus(fake)`` (``-log sigmoid`` in a stable form), as
    :func:`imgen_helpers.gan.discriminator_loss_minimax` but over a grid of logits.

    Args:
        real_logits: PatchGAN logits on (input, target) pairs, (N, h, w, 1).
        fake_logits: on (input, generated) pairs, same shape.

    Returns:
        A float32 scalar >= 0 (``2 log 2`` when every patch says 0.5).
    """
    checks.tensors(same_shape=True, real_logits=real_logits, fake_logits=fake_logits)
    return ops.mean(ops.softplus(-_f32(real_logits))) + ops.mean(ops.softplus(_f32(fake_logits)))


def patch_generator_loss(fake_logits):
    """The non-saturating generator loss over every patch: ``mean softplus(-fake)``.

    Returns:
        A float32 scalar >= 0.
    """
    checks.tensors(fake_logits=fake_logits)
    return ops.mean(ops.softplus(-_f32(fake_logits)))


# ----------------------------------------------------------------------------------------------
# 5. The model
# ----------------------------------------------------------------------------------------------


class Pix2Pix(keras.Model):
    """A U-Net trained on ``(inputs, targets)`` pairs with L1 plus a PatchGAN's verdict.

    Each ``train_step``: one discriminator update on (input, target) against (input, G(input)),
    then one generator update on ``adversarial_weight * patch_generator_loss + l1_weight *
    l1_loss``. With ``adversarial_weight=0`` the discriminator is neither run nor trained:
    plain L1 regression, the baseline. Metrics: ``g_loss``, ``l1``, ``g_adv``, ``d_loss``.

    Args:
        generator: a :func:`build_unet` model.
        discriminator: a :func:`build_patchgan` model (None when ``adversarial_weight`` is 0).
        l1_weight: weight of the L1 term (paper and TF tutorial: 100).
        adversarial_weight: weight of the GAN term (paper: 1; 0: L1 alone).
    """

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model | None = None,
        l1_weight: float = 100.0,
        adversarial_weight: float = 1.0,
        **kwargs,
    ):
        checks.instance("generator", generator, keras.Model, "a keras.Model (build_unet)")
        adversarial_weight = checks.non_negative("adversarial_weight", adversarial_weight)
        if adversarial_weight > 0:
            checks.instance(
                "discriminator", discriminator, keras.Model, "a keras.Model (build_patchgan)"
            )
            if len(discriminator.inputs) != 2:
                raise ValueError(
                    "discriminator must take [inputs, candidates] (build_patchgan); a one-input "
                    "discriminator cannot judge whether the output matches its input."
                )
        super().__init__(**kwargs)
        self.generator, self.discriminator = generator, discriminator
        self.l1_weight = checks.non_negative("l1_weight", l1_weight)
        self.adversarial_weight = adversarial_weight
        names = ("g_loss", "l1", "g_adv", "d_loss")
        self.trackers = {name: keras.metrics.Mean(name=name) for name in names}
        self.built = True

    def compile(self, g_optimizer=None, d_optimizer=None, **kwargs) -> None:
        """One optimizer per player (defaults: Adam(2e-4, beta_1=0.5), the paper's).

        Under ``mixed_float16`` both are wrapped in a ``LossScaleOptimizer``, as in ``GAN``.
        """
        g_optimizer = _check_optimizer("g_optimizer", g_optimizer)
        super().compile(**kwargs)
        scaled = keras.mixed_precision.global_policy().name == "mixed_float16"
        if scaled:  # float16 gradients underflow without loss scaling
            g_optimizer = keras.optimizers.LossScaleOptimizer(g_optimizer)
        g_optimizer.build(self.generator.trainable_variables)
        self.g_optimizer, self.d_optimizer = g_optimizer, None
        if self.discriminator is not None and self.adversarial_weight > 0:
            d_optimizer = _check_optimizer("d_optimizer", d_optimizer)
            if d_optimizer is g_optimizer:
                raise ValueError("d_optimizer and g_optimizer must be two optimizer instances.")
            if scaled:
                d_optimizer = keras.optimizers.LossScaleOptimizer(d_optimizer)
            d_optimizer.build(self.discriminator.trainable_variables)
            self.d_optimizer = d_optimizer

    @property
    def metrics(self):
        return list(self.trackers.values())

    def fit(self, x=None, y=None, *args, **kwargs):
        """``keras.Model.fit`` on pairs: ``fit(inputs, targets)`` or a dataset of pairs.

        Inputs and targets must be float images in [-1, 1] of the shapes the U-Net takes and
        makes (``digit_pairs`` gives them so); a dataset is checked from its first batch.
        """
        if isinstance(x, tf.data.Dataset):
            spec = x.element_spec
            if not isinstance(spec, tuple) or len(spec) != 2:
                raise ValueError("x must yield (inputs, targets) pairs; it yields one tensor.")
            checks.training_images("x", x, value_range="symmetric", shape=_shape(self, 0))
            first = checks.first_batch("x", x)
            if first is not None:  # the targets of a dataset that does not reshuffle
                checks.training_images(
                    "x's targets", first[1], value_range="symmetric", shape=_shape(self, 1)
                )
            kwargs.setdefault("shuffle", False)
        else:
            if y is None:
                raise ValueError(
                    "y: pix2pix learns from pairs; give fit(inputs, targets), e.g. "
                    "fit(*data.digit_pairs('edges'))."
                )
            checks.training_images("x", x, value_range="symmetric", shape=_shape(self, 0))
            checks.training_images("y", y, value_range="symmetric", shape=_shape(self, 1))
            checks.same_length(x=x, y=y)
        return super().fit(x, y, *args, **kwargs)

    def call(self, inputs, training: bool = False):
        """Translate inputs (N, H, W, input_channels) to outputs (N, H, W, C)."""
        return self.generator(inputs, training=training)

    def train_step(self, data):
        """One update of each player on a batch of (inputs, targets) pairs."""
        inputs, targets = _f32(data[0]), _f32(data[1])
        d_loss = ops.zeros((), "float32")
        if self.d_optimizer is not None:
            fake = self.generator(inputs, training=True)
            with tf.GradientTape() as tape:
                real_logits = self.discriminator([inputs, targets], training=True)
                fake_logits = self.discriminator([inputs, fake], training=True)
                d_loss = patch_discriminator_loss(real_logits, fake_logits)
            _apply(self.d_optimizer, tape, d_loss, self.discriminator.trainable_variables)
        with tf.GradientTape() as tape:
            fake = self.generator(inputs, training=True)
            l1 = l1_loss(fake, targets)
            g_adv = ops.zeros((), "float32")
            if self.d_optimizer is not None:
                g_adv = patch_generator_loss(self.discriminator([inputs, fake], training=True))
            g_loss = self.adversarial_weight * g_adv + self.l1_weight * l1
        _apply(self.g_optimizer, tape, g_loss, self.generator.trainable_variables)
        for name, value in (("g_loss", g_loss), ("l1", l1), ("g_adv", g_adv), ("d_loss", d_loss)):
            self.trackers[name].update_state(value)
        return {name: tracker.result() for name, tracker in self.trackers.items()}


# ----------------------------------------------------------------------------------------------
# 6. Saved and shipped generators
# ----------------------------------------------------------------------------------------------


def load_unet(path, config: Pix2PixConfig = PIX2PIX_DIGITS) -> keras.Model:
    """A :func:`build_unet` generator with the weights saved at ``path`` (``.weights.h5``)."""
    config = _config(config)
    path = checks.path("path", path, exists=True, suffix=".weights.h5")
    unet = build_unet(config)
    checks.weights_file("path", path, unet, "Is it a U-Net generator of this config?")
    unet.load_weights(str(path))
    return unet


PRETRAINED_WEIGHTS = {
    "l1_alone": "weights/pix2pix_superres_l1_alone.weights.h5",
    "l1_adversarial": "weights/pix2pix_superres_l1_adversarial.weights.h5",
}
"""The shipped 4x super-resolution U-Nets of :data:`PIX2PIX_DIGITS`, under ``data/``."""


def load_pretrained_unet(loss: str = "l1_adversarial") -> keras.Model:
    """A shipped U-Net for ``digit_pairs("superres")`` (sha256-checked; the command and its
    measured figures are in ``data/README.md``): 2,000 steps of batch 64 on the training split.

    Args:
        loss: ``"l1_adversarial"`` (L1 weight 100 plus the PatchGAN's, weight 1) or
            ``"l1_alone"`` (the same U-Net and steps, no discriminator).

    Returns:
        A model mapping (N, 28, 28, 1) inputs in [-1, 1] to digits in [-1, 1].
        Taught in ``11_image_translation.ipynb``.
    """
    from .data import shipped_path

    loss = checks.one_of("loss", loss, tuple(PRETRAINED_WEIGHTS))
    return load_unet(shipped_path(PRETRAINED_WEIGHTS[loss]), PIX2PIX_DIGITS)


def _shape(model: Pix2Pix, which: int) -> tuple:
    """The U-Net's input (0) or output (1) shape without the batch axis."""
    tensors = model.generator.inputs if which == 0 else model.generator.outputs
    return tuple(tensors[0].shape[1:])


__all__ = [
    "Pix2PixConfig",
    "PIX2PIX_DIGITS",
    "build_unet",
    "build_patchgan",
    "patchgan_layers",
    "patch_specs",
    "patch_logits",
    "receptive_field",
    "l1_loss",
    "patch_discriminator_loss",
    "patch_generator_loss",
    "Pix2Pix",
    "load_unet",
    "PRETRAINED_WEIGHTS",
    "load_pretrained_unet",
]
