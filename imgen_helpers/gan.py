"""Generative adversarial networks, top to bottom: builders, losses, the GAN model, callbacks, data.

Reading order:

1. builders: the "first GAN" pair (a dense generator and a small convolutional
   discriminator) and the DCGAN pair for 28x28x1 and 32x32x3 images, sized by a frozen
   :class:`DCGANConfig`;
2. losses, pure functions of the discriminator's raw outputs (logits, never probabilities):
   minimax, non-saturating, least squares (LSGAN), Wasserstein, weight clipping and the
   WGAN-GP gradient penalty;
3. :class:`GAN`, a ``keras.Model`` whose ``train_step`` plays one round of the game, so a
   learner trains with ``fit()``;
4. callbacks: :class:`SampleGrid` (pictures from ``fixed_latents`` during training, kept
   as GIF frames), :class:`Checkpoint` with :func:`latest_checkpoint` (resume with
   ``fit(initial_epoch=...)``), :class:`EpochTimer`, :class:`TimeLimit`;
5. data: :func:`mnist_dataset` (MNIST in [-1, 1]) and :func:`shapes_dataset` (procedural
   coloured shapes, unlimited and offline);
6. training the CPU-friendly DCGAN (:func:`train_dcgan`, also a command line:
   ``python -m imgen_helpers.gan train-dcgan --minutes 3 --out runs/dcgan``) and loading the
   shipped generator (:func:`load_pretrained_generator`).

Conventions: images are float32 in [-1, 1] (the generators end in tanh); discriminators end
in one linear unit computed in float32, so the same code runs under ``mixed_bfloat16`` and
``mixed_float16``. The probability "this is real" is ``sigmoid(logit)``; the losses apply
the sigmoid inside a numerically stable formula (``softplus``) instead of asking the model
for probabilities. Taught in ``02_first_gan.ipynb``, ``03_dcgan.ipynb`` and
``04_gan_failure_modes.ipynb``.
"""

from __future__ import annotations

import argparse
import math
import os
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

from . import layers as fast_layers
from .checkpoints import Checkpoint, latest_checkpoint
from .images import to_symmetric_range
from .runtime import SteadyFit

# ----------------------------------------------------------------------------------------------
# 1. Builders
# ----------------------------------------------------------------------------------------------


def _check_image_shape(
    image_shape: Sequence[int], name: str = "image_shape"
) -> tuple[int, int, int]:
    shape = tuple(int(s) for s in image_shape)
    if len(shape) != 3 or min(shape) < 1:
        raise ValueError(
            f"{name} must be (height, width, channels) of positive ints; got {image_shape!r}."
        )
    return shape  # type: ignore[return-value]


def build_first_generator(
    latent_dim: int = 100, image_shape: tuple[int, int, int] = (28, 28, 3)
) -> keras.Model:
    """The classic "first GAN" generator: dense layers 256, 512, 512 (ReLU), then tanh pixels.

    Args:
        latent_dim: length of the noise vector z.
        image_shape: (height, width, channels) of the images it makes.

    Returns:
        A model mapping float32 (N, latent_dim) to float32 images (N, H, W, C) in [-1, 1].
        Taught in ``02_first_gan.ipynb``.
    """
    image_shape = _check_image_shape(image_shape)
    latents = keras.Input((latent_dim,), name="latents")
    x = latents
    for i, units in enumerate((256, 512, 512)):
        x = layers.Dense(units, activation="relu", name=f"dense_{i}_{units}")(x)
    x = layers.Dense(math.prod(image_shape), activation="tanh", dtype="float32", name="to_pixels")(
        x
    )
    images = layers.Reshape(image_shape, name="to_image")(x)  # (batch, H, W, C) in [-1, 1]
    return keras.Model(latents, images, name="first_generator")


def build_first_discriminator(image_shape: tuple[int, int, int] = (28, 28, 3)) -> keras.Model:
    """The classic "first GAN" discriminator: 3x3 convolutions 64, 128, 256 (stride 2), 512.

    It ends in ONE linear unit: a logit. The probability that the input is real is
    ``sigmoid(logit)``; the losses below apply that sigmoid themselves, in a stable form.

    Args:
        image_shape: (height, width, channels) of the images it judges, in [-1, 1].

    Returns:
        A model mapping (N, H, W, C) images to float32 logits (N, 1).
        Taught in ``02_first_gan.ipynb``.
    """
    image_shape = _check_image_shape(image_shape)
    images = keras.Input(image_shape, name="images")
    x = images
    for i, (filters, stride) in enumerate(((64, 2), (128, 2), (256, 2), (512, 1))):
        x = layers.Conv2D(filters, 3, strides=stride, padding="same", name=f"conv_{i}_{filters}")(x)
        x = layers.LeakyReLU(0.2, name=f"leaky_relu_{i}")(x)
    x = layers.Flatten(name="flatten")(x)
    logits = layers.Dense(1, dtype="float32", name="logit")(x)  # (batch, 1), no sigmoid
    return keras.Model(images, logits, name="first_discriminator")


@dataclass(frozen=True)
class DCGANConfig:
    """Size and training settings of a DCGAN (Radford et al., 2016); see ``03_dcgan.ipynb``."""

    image_shape: tuple[int, int, int] = (28, 28, 1)  # (height, width, channels): 28x28 or 32x32
    latent_dim: int = 100  # length of the noise vector z
    width: int = 64  # filters of the first discriminator block; doubled per block (mirrored in G)
    generator_width: int | None = None  # the generator's width if not ``width`` (None: the same)
    refine_blocks: int = 0  # 3x3 stride-1 blocks in G, one per resolution from the smallest
    discriminator_blocks: int = 0  # 3x3 stride-1 blocks in D after its last strided one
    kernel_size: int = 4  # kernel of every strided (transposed) convolution
    leaky_slope: float = 0.2  # negative slope of the discriminator's LeakyReLU (paper: 0.2)
    discriminator_norm: str = "batch"  # "batch" (paper), "layer" (for WGAN-GP) or "none"
    dropout: float = 0.0  # dropout after each discriminator block (paper: none)
    batch_size: int = 128  # images per training step (paper: 128)
    learning_rate: float = 2e-4  # Adam step size of both players (paper: 2e-4)
    beta_1: float = 0.5  # Adam momentum (paper: 0.5; the default 0.9 oscillates)
    ema: float | None = None  # decay of the generator's weight average (None: no average)
    reuse_fakes: bool = False  # G's step differentiates through D's fakes (see GAN), no 2nd pass


DCGAN_MNIST_SMALL = DCGANConfig(
    width=32,
    generator_width=64,
    refine_blocks=1,
    discriminator_blocks=3,
    kernel_size=5,
    latent_dim=64,
    batch_size=64,
    learning_rate=1e-3,
    ema=0.995,
    reuse_fakes=True,
)
"""CPU-friendly DCGAN for MNIST: recognisable digits in 3 minutes on two CPU cores.

Narrower than the paper's model, with a higher learning rate (1e-3: on a budget of about 1,500
steps it scored better than 2e-4 and 5e-4 in our runs) and an average of the generator's weights.
The choices below, measured in 3-minute runs on a 2-core CPU with bfloat16 where a figure is
given (classifier score / share of samples classified with confidence >= 0.9):

* the generator gets the width (twice the discriminator's), one 3x3 block at 7x7 and kernel 5:
  7.6 / 73% became 8.1 / 77%;
* the discriminator gets 3x3 blocks at 7x7: the unconfident samples were sharp but malformed
  digits, a fault of the overall shape, which the smallest feature map judges. Two blocks took
  8.0 / 76% to 8.5 / 83% (seed 0). Three (``discriminator_blocks=3``) get fewer steps into the
  budget (median 3,575 against 3,968 in the runs below) and still win: alternating 3-minute
  runs with seeds 0 to 4 gave a median of 8.80 / 85.5% with three against 8.76 / 84.4% with
  two (per seed below);
* the weight average spans about 200 steps (``ema=0.995``) instead of 100 (with two blocks then:
  8.7 / 85%, 8.5 / 82% and 8.35 / 81% for seeds 0, 1 and 2; ``ema=0.998`` made no clear
  difference);
* the generator step reuses the discriminator step's fakes (``reuse_fakes=True``: one generator
  pass fewer, the same noise for both players' updates; a speed choice, see below).

How many steps the 3 minutes buy (graph building included) is what moves the result most: from
about 1,640 to about 2,580 when ``fit()`` kept one iterator for the run (``runtime.SteadyFit``)
and the fakes were reused, and to 3,025 to 3,934 in later runs with the third discriminator
block and the faster layers of ``imgen_helpers.layers`` (fused batch norm saves 17 to 18% of a
step, the one-channel output layer on the sub-pixel path 3 to 6%: ``benchmarks/dcgan.py
--levers``), on a machine whose speed varied. ``benchmarks/dcgan.py --quality --seed S`` gave,
for seeds 0 to 4:
8.91 / 86.6% (3,450 steps), 8.90 / 86.7% (3,934), 8.73 / 85.1% (3,223), 8.74 / 85.3% (3,575)
and 8.80 / 85.5% (3,729); with two discriminator blocks, in runs alternating with those,
8.76 / 84.4% (3,707), 8.77 / 85.5% (3,827), 8.65 / 84.2% (4,085), 8.72 / 84.2% (4,094) and
8.78 / 85.0% (3,968). Three blocks ran at 17.9 to 21.9 steps/s on the same machine within that
hour, and a wall-time budget passes such swings on: earlier, at 3,025 to 3,321 steps and before
the output layer took the fast path, three blocks gave 8.84 / 85.9%, 8.74 / 84.8% and
8.62 / 84.4% (seeds 0, 1, 2).
Within one run the confident share keeps growing with the steps: 85.1%, 85.5% and 87.8% at
2,000, 3,000 and 4,500 steps (``benchmarks/dcgan.py --quality --marks 2000,3000,4500
--seed 0``); before the output layer took the fast path, the same run gave 83.0%, 85.0% and
87.8%.
The shipped generator (20 epochs, 3,120 steps, two discriminator blocks, trained before
``reuse_fakes``) reaches 8.8 / 86%.

Screened and not adopted (lower or no better beyond the spread between seeds): widening both
players, a lower or annealed learning rate or a 300-step warm-up, batch 128, 48 or 32, an R1
penalty, label smoothing, the least-squares or hinge loss, top-k generator updates, a generator
of width 96, kernel 4, spectral normalisation or no normalisation in the discriminator, recomputed
batch-norm statistics for the averaged generator, twice or half the discriminator's learning
rate, weights drawn from N(0, 0.02) as in the paper, Adam's beta_2 = 0.99, a wider discriminator,
a 28x28 stage in the generator and a 32-dimensional latent.
"""

DCGAN_MNIST_FULL = DCGANConfig(width=128, latent_dim=100, batch_size=128)
"""Full-size DCGAN for MNIST, for a GPU (a few seconds per epoch of 60,000 digits; estimate)."""

DCGAN_COLOR32_FULL = DCGANConfig(image_shape=(32, 32, 3), width=128, latent_dim=100, batch_size=128)
"""Full-size DCGAN for 32x32 colour images (CIFAR-10 sized), meant for a GPU."""

DCGAN_CONFIGS = {
    "mnist_small": DCGAN_MNIST_SMALL,
    "mnist_full": DCGAN_MNIST_FULL,
    "color32_full": DCGAN_COLOR32_FULL,
}
"""The named configurations, for the command line and the lessons."""


def _dcgan_blocks(image_shape: tuple[int, int, int]) -> tuple[int, int]:
    """(start size, number of stride-2 blocks) so that start * 2**blocks == image size."""
    height, width, _ = image_shape
    if height != width:
        raise ValueError(f"DCGAN builders expect square images; got {height}x{width}.")
    for start in (7, 4):
        blocks = round(math.log2(height / start)) if height >= start else -1
        if blocks >= 1 and start * 2**blocks == height:
            return start, blocks
    raise ValueError(
        f"DCGAN builders need an image size of 7 or 4 times a power of two (28, 32, 56, 64, ...); "
        f"got {height}. Resize the images, e.g. to 28x28 or 32x32."
    )


def _check_config(config: DCGANConfig) -> tuple[int, int]:
    if not isinstance(config, DCGANConfig):
        raise TypeError(f"expected a DCGANConfig, got {type(config).__name__}.")
    if config.discriminator_norm not in ("batch", "layer", "none"):
        raise ValueError(
            "discriminator_norm must be 'batch', 'layer' or 'none'; "
            f"got {config.discriminator_norm!r}."
        )
    if config.width < 1 or config.latent_dim < 1:
        raise ValueError(
            f"width and latent_dim must be positive; got {config.width}, {config.latent_dim}."
        )
    if config.generator_width is not None and config.generator_width < 1:
        raise ValueError(f"generator_width must be positive or None; got {config.generator_width}.")
    start, blocks = _dcgan_blocks(_check_image_shape(config.image_shape))
    if isinstance(config.discriminator_blocks, bool) or not (
        isinstance(config.discriminator_blocks, int) and config.discriminator_blocks >= 0
    ):
        raise ValueError(
            "discriminator_blocks must be a non-negative integer (3x3 blocks at the "
            f"discriminator's smallest resolution); got {config.discriminator_blocks!r}."
        )
    if not 0 <= config.refine_blocks <= blocks:
        raise ValueError(
            f"refine_blocks must be between 0 and {blocks} (one per resolution below the "
            f"output) for {config.image_shape[0]}x{config.image_shape[1]} images; "
            f"got {config.refine_blocks}."
        )
    return start, blocks


def build_dcgan_generator(config: DCGANConfig = DCGAN_MNIST_SMALL) -> keras.Model:
    """DCGAN generator: dense to a small feature map, then stride-2 transposed convolutions.

    Batch norm and ReLU after every layer but the last, which is a tanh (paper, section 3).

    Args:
        config: sizes; ``config.image_shape`` must be 28x28 or 32x32 (or 7 or 4 times 2**k).

    Returns:
        A model mapping float32 latents (N, latent_dim) to images (N, H, W, C) in [-1, 1],
        computed in float32 at the end. Taught in ``03_dcgan.ipynb``.
    """
    start, blocks = _check_config(config)
    channels = config.image_shape[-1]
    k = config.kernel_size
    latents = keras.Input((config.latent_dim,), name="latents")
    top = (config.generator_width or config.width) * 2 ** (blocks - 1)
    x = layers.Dense(start * start * top, use_bias=False, name="project")(latents)
    x = fast_layers.BatchNormalization(name="project_bn")(x)
    x = layers.ReLU(name="project_relu")(x)
    x = layers.Reshape((start, start, top), name="to_feature_map")(
        x
    )  # (batch, 7, 7, top) for 28x28
    for i in range(blocks - 1):
        x = _refine(x, top // 2**i, i, config.refine_blocks)
        filters = top // 2 ** (i + 1)
        x = fast_layers.Conv2DTranspose(
            filters, k, 2, padding="same", use_bias=False, name=f"up_{i}"
        )(x)  # Keras' layer computed by faster forward convolutions (imgen_helpers/layers.py)
        x = fast_layers.BatchNormalization(name=f"up_{i}_bn")(x)
        x = layers.ReLU(name=f"up_{i}_relu")(x)
    x = _refine(x, top // 2 ** (blocks - 1), blocks - 1, config.refine_blocks)
    images = fast_layers.Conv2DTranspose(
        channels, k, 2, padding="same", activation="tanh", dtype="float32", name="to_pixels"
    )(x)  # (batch, H, W, C) in [-1, 1]
    return keras.Model(latents, images, name="dcgan_generator")


def _refine(x, filters: int, stage: int, refine_blocks: int):
    """A 3x3 stride-1 block (conv, batch norm, ReLU) at upsampling stage ``stage``, if wanted.

    Extra depth where it is cheap: at 7x7 with 128 channels a 3x3 block is about 7 million
    multiply-adds per sample, against about 10 million for the first upsampling (kernel 5).
    """
    if stage >= refine_blocks:
        return x
    x = fast_layers.Conv2DTranspose(
        filters, 3, 1, padding="same", use_bias=False, name=f"refine_{stage}"
    )(x)
    x = fast_layers.BatchNormalization(name=f"refine_{stage}_bn")(x)
    return layers.ReLU(name=f"refine_{stage}_relu")(x)


def build_dcgan_discriminator(config: DCGANConfig = DCGAN_MNIST_SMALL) -> keras.Model:
    """DCGAN discriminator: stride-2 convolutions with LeakyReLU, no pooling, one linear unit.

    No normalisation on the first block (paper, section 3); ``config.discriminator_norm``
    picks batch norm (paper), layer norm (for WGAN-GP, whose penalty is per sample) or none.
    ``config.discriminator_blocks`` adds 3x3 stride-1 blocks (same norm and activation) at the
    smallest resolution, where each position sees most of the image: depth that judges a
    digit's overall shape, for little arithmetic (7x7 for 28x28 images).

    Args:
        config: sizes; same ``image_shape`` as the generator.

    Returns:
        A model mapping images (N, H, W, C) in [-1, 1] to float32 logits (N, 1).
        Taught in ``03_dcgan.ipynb``.
    """
    _, blocks = _check_config(config)
    images = keras.Input(config.image_shape, name="images")
    x = images
    stages = [(f"down_{i}", config.width * 2**i, config.kernel_size, 2) for i in range(blocks)]
    top = config.width * 2 ** (blocks - 1)
    stages += [(f"deep_{i}", top, 3, 1) for i in range(config.discriminator_blocks)]
    for i, (name, filters, kernel, stride) in enumerate(stages):
        x = layers.Conv2D(filters, kernel, stride, padding="same", name=name)(x)
        if i > 0 and config.discriminator_norm == "batch":
            x = fast_layers.BatchNormalization(name=f"{name}_bn")(x)
        elif i > 0 and config.discriminator_norm == "layer":
            x = layers.LayerNormalization(name=f"{name}_ln")(x)
        x = layers.LeakyReLU(config.leaky_slope, name=f"{name}_leaky_relu")(x)
        if config.dropout > 0:
            x = layers.Dropout(config.dropout, name=f"{name}_dropout")(x)
    x = layers.Flatten(name="flatten")(x)
    logits = layers.Dense(1, dtype="float32", name="logit")(x)  # (batch, 1)
    return keras.Model(images, logits, name="dcgan_discriminator")


# ----------------------------------------------------------------------------------------------
# 2. Losses: pure functions of the discriminator's raw outputs
# ----------------------------------------------------------------------------------------------


def _f32(x):
    return ops.cast(x, "float32")


def discriminator_loss_minimax(real_logits, fake_logits):
    """Binary cross-entropy of the discriminator: ``-mean log D(x) - mean log(1 - D(G(z)))``.

    With ``D = sigmoid(logit)``: ``-log D = softplus(-logit)``, ``-log(1 - D) = softplus(logit)``.
    The two means are added (not averaged), as in the TensorFlow DCGAN tutorial.

    Args:
        real_logits: logits on real images, shape (N,) or (N, 1), any float dtype.
        fake_logits: logits on generated images, same kind of shape.

    Returns:
        A float32 scalar >= 0 (``2 log 2 = 1.386`` when D outputs 0.5 everywhere).
        Taught in ``02_first_gan.ipynb``.
    """
    return ops.mean(ops.softplus(-_f32(real_logits))) + ops.mean(ops.softplus(_f32(fake_logits)))


def generator_loss_minimax(fake_logits):
    """The original (saturating) generator loss: ``mean log(1 - D(G(z))) = -mean softplus(logit)``.

    It is minimised by the generator and is <= 0. Its gradient vanishes when D confidently
    rejects the fakes (logit very negative): see ``04_gan_failure_modes.ipynb``.

    Args:
        fake_logits: discriminator logits on generated images, (N,) or (N, 1).

    Returns:
        A float32 scalar <= 0.
    """
    return -ops.mean(ops.softplus(_f32(fake_logits)))


def generator_loss_non_saturating(fake_logits):
    """The non-saturating generator loss: ``-mean log D(G(z)) = mean softplus(-logit)``.

    Same fixed point as the minimax loss but strong gradients when the generator is losing.

    Args:
        fake_logits: discriminator logits on generated images, (N,) or (N, 1).

    Returns:
        A float32 scalar >= 0. Taught in ``02_first_gan.ipynb``.
    """
    return ops.mean(ops.softplus(-_f32(fake_logits)))


def lsgan_discriminator_loss(real_outputs, fake_outputs):
    """Least-squares discriminator loss (Mao et al., 2017; a=0, b=1).

    ``0.5 E (D(x) - 1)^2 + 0.5 E D(G(z))^2``.

    Applied to the raw output of the last linear unit (no sigmoid).

    Args:
        real_outputs: raw outputs on real data, (N,) or (N, 1).
        fake_outputs: raw outputs on generated data.

    Returns:
        A float32 scalar >= 0. Taught in ``04_gan_failure_modes.ipynb``.
    """
    real, fake = _f32(real_outputs), _f32(fake_outputs)
    return 0.5 * ops.mean(ops.square(real - 1.0)) + 0.5 * ops.mean(ops.square(fake))


def lsgan_generator_loss(fake_outputs):
    """Least-squares generator loss (c=1): ``0.5 E (D(G(z)) - 1)^2`` on raw outputs.

    Returns:
        A float32 scalar >= 0.
    """
    return 0.5 * ops.mean(ops.square(_f32(fake_outputs) - 1.0))


def wasserstein_critic_loss(real_scores, fake_scores):
    """WGAN critic loss ``E f(G(z)) - E f(x)``: minimising it widens the gap real minus fake.

    Args:
        real_scores: raw critic scores on real data, (N,) or (N, 1) (no sigmoid).
        fake_scores: raw critic scores on generated data.

    Returns:
        A float32 scalar (any sign); minus it estimates the Wasserstein-1 distance when the
        critic is 1-Lipschitz. Taught in ``04_gan_failure_modes.ipynb``.
    """
    return ops.mean(_f32(fake_scores)) - ops.mean(_f32(real_scores))


def wasserstein_generator_loss(fake_scores):
    """WGAN generator loss ``-E f(G(z))``.

    Returns:
        A float32 scalar (any sign).
    """
    return -ops.mean(_f32(fake_scores))


def clip_weights(model: keras.Model, clip_value: float) -> None:
    """Clip every trainable weight of ``model`` to [-clip_value, clip_value] in place (WGAN).

    Args:
        model: the critic.
        clip_value: a positive number (the WGAN paper uses 0.01).
    """
    if not clip_value > 0:
        raise ValueError(f"clip_value must be positive (WGAN uses 0.01); got {clip_value!r}.")
    for weight in model.trainable_weights:
        weight.assign(ops.clip(weight, -clip_value, clip_value))


def interpolation_weights(batch_size, rank: int, seed=None):
    """The WGAN-GP mixing weights: uniform in [0, 1], one per sample, broadcastable.

    Args:
        batch_size: number of samples N (int or scalar tensor).
        rank: rank of the data (4 for images (N, H, W, C), 2 for points (N, D)).
        seed: int, ``keras.random.SeedGenerator`` or None.

    Returns:
        float32 tensor of shape (N, 1, 1, 1) for rank 4, (N, 1) for rank 2.
    """
    if rank < 2:
        raise ValueError(f"data must have a batch axis and at least one more; got rank {rank}.")
    return keras.random.uniform((batch_size,) + (1,) * (rank - 1), 0.0, 1.0, seed=seed)


def gradient_penalty(critic: keras.Model, real, fake, seed=None):
    """WGAN-GP penalty ``mean_i (||grad f(x_i)||_2 - 1)^2`` at random points between real and fake.

    ``x_i = real_i + eps_i (fake_i - real_i)`` with ``eps_i ~ U[0, 1]`` of shape (N, 1, 1, 1)
    for images and (N, 1) for vectors (Gulrajani et al., 2017, Algorithm 1). The norm is
    taken per sample over every axis but the batch axis.

    Args:
        critic: a model mapping a batch like ``real`` to scores (N, 1).
        real: real data, (N, H, W, C) or (N, D).
        fake: generated data, same shape.
        seed: int, ``keras.random.SeedGenerator`` or None, for the mixing weights.

    Returns:
        A float32 scalar >= 0. Taught in ``04_gan_failure_modes.ipynb``.
    """
    real, fake = _f32(real), _f32(fake)
    if tuple(real.shape[1:]) != tuple(fake.shape[1:]):
        raise ValueError(
            f"real and fake must have the same shape; got {real.shape} and {fake.shape}."
        )
    rank = len(real.shape)
    eps = interpolation_weights(ops.shape(real)[0], rank, seed=seed)
    mixed = real + eps * (fake - real)
    with tf.GradientTape() as tape:
        tape.watch(mixed)
        scores = _f32(critic(mixed, training=True))
    grads = tape.gradient(scores, mixed)  # (batch, ...) d score_i / d x_i
    norms = ops.sqrt(ops.sum(ops.square(grads), axis=tuple(range(1, rank))) + 1e-12)  # (batch,)
    return ops.mean(ops.square(norms - 1.0))


LOSSES = {
    "minimax": (discriminator_loss_minimax, generator_loss_minimax),
    "non_saturating": (discriminator_loss_minimax, generator_loss_non_saturating),
    "lsgan": (lsgan_discriminator_loss, lsgan_generator_loss),
    "wgan": (wasserstein_critic_loss, wasserstein_generator_loss),
    "wgan_gp": (wasserstein_critic_loss, wasserstein_generator_loss),
}
"""Loss name -> (discriminator loss, generator loss)."""


# ----------------------------------------------------------------------------------------------
# 3. The GAN model
# ----------------------------------------------------------------------------------------------


def _all_layers(model: keras.Layer) -> list[keras.Layer]:
    """Every layer inside ``model``, nested models included."""
    found = []
    for layer in getattr(model, "layers", []):
        found.append(layer)
        found.extend(_all_layers(layer))
    return found


class GAN(SteadyFit, keras.Model):
    """A generator and a discriminator trained against each other with ``fit()``.

    Each ``train_step`` (alternating updates, the default) does ``critic_steps`` discriminator
    updates on the real batch against fresh fakes (the real batch is reused, as in keras-io's
    WGAN-GP), then one generator update with fresh noise against the updated discriminator.
    With ``reuse_fakes=True`` the generator update reuses the fake batch of the last
    discriminator update instead of generating a new one (as PyTorch's DCGAN example does): the
    same alternating game, one generator forward pass fewer per step.
    ``update="simultaneous"`` instead computes both players' gradients from ONE forward pass
    and applies them together (the TensorFlow DCGAN tutorial's loop): cheaper per step.

    Metrics: ``d_loss``, ``g_loss`` (including the penalty for WGAN-GP), ``gp`` (0 unless
    WGAN-GP), ``d_real`` and ``d_fake``: the mean discriminator output on real and fake data
    as a probability ``sigmoid(logit)`` for the "minimax" and "non_saturating" losses, and the
    raw score for "lsgan", "wgan" and "wgan_gp".

    Works for images (N, H, W, C) and for points (N, D). Taught in ``02_first_gan.ipynb``.
    """

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        latent_dim: int,
        loss: str = "non_saturating",
        critic_steps: int = 1,
        gp_weight: float = 10.0,
        clip_value: float | None = None,
        update: str = "alternating",
        seed: int | None = None,
        ema: float | None = None,
        reuse_fakes: bool = False,
        **kwargs,
    ):
        """Args:
        generator: maps (N, latent_dim) noise to data.
        discriminator: maps data to (N, 1) logits or scores.
        latent_dim: length of the noise vectors.
        loss: "minimax", "non_saturating", "lsgan", "wgan" or "wgan_gp".
        critic_steps: discriminator updates per generator update (WGAN papers: 5).
        gp_weight: weight of the gradient penalty (WGAN-GP paper: 10); used by "wgan_gp".
        clip_value: clip the critic's weights to this after each update; None means 0.01
            (the WGAN paper's value) for loss="wgan" and no clipping otherwise.
        update: "alternating" (default) or "simultaneous" (needs critic_steps=1, no penalty).
        seed: seed of the noise (and penalty mixing weights) drawn during training.
        ema: if set (e.g. 0.995), also keep ``ema_generator``, an exponential moving average
            of the generator's weights updated after every step (Yazici et al., 2019); it
            averages out the oscillations of the game and usually draws cleaner samples.
        reuse_fakes: alternating updates only. The generator step differentiates through the
            fakes of the last discriminator step (against the updated discriminator) instead of
            generating fresh ones, saving one generator forward pass per step.
        """
        super().__init__(**kwargs)
        if loss not in LOSSES:
            raise ValueError(f"loss must be one of {sorted(LOSSES)}; got {loss!r}.")
        if isinstance(critic_steps, bool) or int(critic_steps) != critic_steps or critic_steps < 1:
            raise ValueError(f"critic_steps must be a positive integer; got {critic_steps!r}.")
        if update not in ("alternating", "simultaneous"):
            raise ValueError(f"update must be 'alternating' or 'simultaneous'; got {update!r}.")
        if update == "simultaneous" and (critic_steps != 1 or loss == "wgan_gp"):
            raise ValueError(
                "update='simultaneous' needs critic_steps=1 and a loss without gradient penalty; "
                "use update='alternating' for WGAN-style training."
            )
        if reuse_fakes and update != "alternating":
            raise ValueError(
                "reuse_fakes=True applies to update='alternating' (the simultaneous step already "
                "uses one fake batch for both players)."
            )
        if clip_value is None and loss == "wgan":
            clip_value = 0.01
        if clip_value is not None and not clip_value > 0:
            raise ValueError(f"clip_value must be positive or None; got {clip_value!r}.")
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = int(latent_dim)
        self.loss_name = loss
        self.critic_steps = int(critic_steps)
        self.gp_weight = float(gp_weight)
        self.clip_value = clip_value
        self.update = update
        self.reuse_fakes = bool(reuse_fakes)
        self.seed_generator = keras.random.SeedGenerator(seed)
        if ema is not None and not 0.0 < ema < 1.0:
            raise ValueError(f"ema must be a decay in (0, 1), e.g. 0.995, or None; got {ema!r}.")
        self.ema = ema
        self.ema_generator = None
        if ema is not None:
            self.ema_generator = keras.models.clone_model(generator)
            self.ema_generator.set_weights(generator.get_weights())
        self.d_loss_fn, self.g_loss_fn = LOSSES[loss]
        # batch statistics tie each logit to the whole batch (see _simultaneous_step_one_pass)
        self._couples_samples = any(
            isinstance(layer, layers.BatchNormalization) for layer in _all_layers(discriminator)
        )
        self.trackers = {
            name: keras.metrics.Mean(name=name)
            for name in ("d_loss", "g_loss", "d_real", "d_fake", "gp")
        }
        self.built = True  # both players are built models; nothing else to create

    def compile(self, d_optimizer=None, g_optimizer=None, **kwargs) -> None:
        """Set one optimizer per player (defaults: Adam(2e-4, beta_1=0.5) each).

        Under ``mixed_float16`` both are wrapped in a ``LossScaleOptimizer``. Other keyword
        arguments (``jit_compile``, ``steps_per_execution``, ...) go to ``keras.Model.compile``.
        """
        super().compile(**kwargs)
        d_optimizer = d_optimizer or keras.optimizers.Adam(2e-4, beta_1=0.5)
        g_optimizer = g_optimizer or keras.optimizers.Adam(2e-4, beta_1=0.5)
        if d_optimizer is g_optimizer:
            raise ValueError(
                "give each player its own optimizer instance (their Adam states differ)."
            )
        if keras.mixed_precision.global_policy().name == "mixed_float16":
            d_optimizer = keras.optimizers.LossScaleOptimizer(d_optimizer)
            g_optimizer = keras.optimizers.LossScaleOptimizer(g_optimizer)
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer

    @property
    def metrics(self):
        return list(self.trackers.values())

    def call(self, latents, training: bool = False):
        """Generate data from latents (N, latent_dim)."""
        return self.generator(latents, training=training)

    def _latents(self, batch_size):
        return keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)

    def _outputs_as_reported(self, outputs):
        if self.loss_name in ("minimax", "non_saturating"):
            return ops.mean(ops.sigmoid(outputs))
        return ops.mean(outputs)

    @staticmethod
    def _apply(optimizer, tape, loss, variables):
        with tape:  # recorded, or a LossScaleOptimizer's scaling (mixed_float16) has no gradient
            scaled = optimizer.scale_loss(loss)
        grads = tape.gradient(scaled, variables)
        optimizer.apply_gradients(zip(grads, variables, strict=True))

    def _discriminator_step(self, real, batch_size, fake=None):
        if fake is None:
            fake = self.generator(self._latents(batch_size), training=True)
        with tf.GradientTape() as tape:
            real_out = _f32(self.discriminator(real, training=True))
            fake_out = _f32(self.discriminator(fake, training=True))
            d_loss = self.d_loss_fn(real_out, fake_out)
            gp = ops.zeros((), "float32")
            if self.loss_name == "wgan_gp":
                gp = gradient_penalty(self.discriminator, real, fake, seed=self.seed_generator)
                d_loss = d_loss + self.gp_weight * gp
        self._apply(self.d_optimizer, tape, d_loss, self.discriminator.trainable_variables)
        if self.clip_value is not None:
            clip_weights(self.discriminator, self.clip_value)
        return d_loss, real_out, fake_out, gp

    def _generator_step(self, batch_size):
        latents = self._latents(batch_size)
        with tf.GradientTape() as tape:
            fake_out = _f32(
                self.discriminator(self.generator(latents, training=True), training=True)
            )
            g_loss = self.g_loss_fn(fake_out)
        self._apply(self.g_optimizer, tape, g_loss, self.generator.trainable_variables)
        return g_loss

    def _generator_step_on(self, fake, fake_tape):
        """The generator step on ``fake``, whose forward pass ``fake_tape`` recorded.

        The chain rule split in two: the gradient of G's loss with respect to the fakes (through
        the updated discriminator), then that gradient pulled back through the recorded forward.
        """
        with tf.GradientTape() as tape:
            tape.watch(fake)
            g_loss = self.g_loss_fn(_f32(self.discriminator(fake, training=True)))
            scaled = self.g_optimizer.scale_loss(g_loss)
        upstream = tape.gradient(scaled, fake)
        g_vars = self.generator.trainable_variables
        grads = fake_tape.gradient(fake, g_vars, output_gradients=upstream)
        self.g_optimizer.apply_gradients(zip(grads, g_vars, strict=True))
        return g_loss

    def _simultaneous_step(self, real, batch_size):
        """Both players' gradients from one forward pass (the tutorial's update rule)."""
        if self._couples_samples:
            return self._simultaneous_step_two_passes(real, batch_size)
        return self._simultaneous_step_one_pass(real, batch_size)

    def _simultaneous_step_two_passes(self, real, batch_size):
        """The tutorial's loop as written: two tapes, two backward passes through D."""
        latents = self._latents(batch_size)
        with tf.GradientTape() as d_tape, tf.GradientTape() as g_tape:
            fake = self.generator(latents, training=True)
            real_out = _f32(self.discriminator(real, training=True))
            fake_out = _f32(self.discriminator(fake, training=True))
            d_loss = self.d_loss_fn(real_out, fake_out)
            g_loss = self.g_loss_fn(fake_out)
        self._apply(self.d_optimizer, d_tape, d_loss, self.discriminator.trainable_variables)
        self._apply(self.g_optimizer, g_tape, g_loss, self.generator.trainable_variables)
        if self.clip_value is not None:
            clip_weights(self.discriminator, self.clip_value)
        return d_loss, g_loss, real_out, fake_out, ops.zeros((), "float32")

    def _simultaneous_step_one_pass(self, real, batch_size):
        """Both players' gradients from one forward pass AND one backward pass through D.

        The tutorial's loop differentiates twice through the discriminator on the fake batch:
        once for D's loss (to D's weights) and once for G's loss (to the fake images). Both
        losses reach D through the same per-sample logit, so D's backward pass is the same
        linear map applied to two per-sample scalars: ``a_i = d d_loss / d logit_i`` and
        ``b_i = d g_loss / d logit_i``. One backward pass with ``a`` gives D's weight gradient
        and ``a_i * d logit_i / d fake_i``; multiplying sample i by ``b_i / a_i`` turns the
        latter into exactly G's upstream gradient. Where ``|a_i|`` is below 1e-30 (a discriminator
        all but certain: for the non-saturating loss at batch 256, a logit below about -63) it is
        raised to 1e-30 so the ratio stays finite: that changes D's weight gradient by at most
        1e-30 times ``d logit_i / d weights``, far below float32 rounding of the sum.
        ``tests/test_gan.py`` checks the result against the two-pass computation.

        Only valid when each logit depends on its own sample alone: a discriminator with batch
        normalisation couples the samples of a batch, so it takes the two-pass path.
        """
        latents = self._latents(batch_size)
        with tf.GradientTape() as g_tape:
            fake = self.generator(latents, training=True)
        with tf.GradientTape() as d_tape:
            d_tape.watch(fake)
            real_out = _f32(self.discriminator(real, training=True))
            fake_out = _f32(self.discriminator(fake, training=True))
        with tf.GradientTape(persistent=True) as logit_tape:  # cheap: (batch, 1) tensors
            logit_tape.watch([real_out, fake_out])
            d_loss = self.d_loss_fn(real_out, fake_out)
            g_loss = self.g_loss_fn(fake_out)
        d_real, d_fake = logit_tape.gradient(d_loss, [real_out, fake_out])
        g_fake = logit_tape.gradient(g_loss, fake_out)
        tiny = 1e-30
        d_fake = tf.where(tf.abs(d_fake) < tiny, tf.where(d_fake < 0, -tiny, tiny), d_fake)
        d_vars = self.discriminator.trainable_variables
        scale = self.d_optimizer.scale_loss(tf.ones((), "float32"))  # loss scaling, if any
        *d_grads, fake_grad = d_tape.gradient(
            [real_out, fake_out],
            [*d_vars, fake],
            output_gradients=[d_real * scale, d_fake * scale],
        )
        ratio = tf.reshape(g_fake / d_fake, (-1,) + (1,) * (len(fake.shape) - 1))
        g_scale = self.g_optimizer.scale_loss(tf.ones((), "float32")) / scale
        upstream = fake_grad * tf.cast(ratio * g_scale, fake_grad.dtype)
        g_vars = self.generator.trainable_variables
        g_grads = g_tape.gradient(fake, g_vars, output_gradients=upstream)
        self.d_optimizer.apply_gradients(zip(d_grads, d_vars, strict=True))
        self.g_optimizer.apply_gradients(zip(g_grads, g_vars, strict=True))
        if self.clip_value is not None:
            clip_weights(self.discriminator, self.clip_value)
        return d_loss, g_loss, real_out, fake_out, ops.zeros((), "float32")

    def train_step(self, data):
        """One round of the game on a batch of real data; returns the metrics' running means."""
        real = data[0] if isinstance(data, tuple | list) else data
        real = _f32(real)
        batch_size = ops.shape(real)[0]
        if self.update == "simultaneous":
            d_loss, g_loss, real_out, fake_out, gp = self._simultaneous_step(real, batch_size)
        else:
            for _ in range(self.critic_steps - self.reuse_fakes):  # unrolled when traced
                d_loss, real_out, fake_out, gp = self._discriminator_step(real, batch_size)
            if self.reuse_fakes:
                with tf.GradientTape() as fake_tape:
                    fake = self.generator(self._latents(batch_size), training=True)
                d_loss, real_out, fake_out, gp = self._discriminator_step(
                    real, batch_size, fake=ops.stop_gradient(fake)
                )
                g_loss = self._generator_step_on(fake, fake_tape)
            else:
                g_loss = self._generator_step(batch_size)
        if self.ema_generator is not None:
            for average, weight in zip(
                self.ema_generator.weights, self.generator.weights, strict=True
            ):
                average.assign(
                    self.ema * average + (1.0 - self.ema) * ops.cast(weight, average.dtype)
                )
        values = {
            "d_loss": d_loss,
            "g_loss": g_loss,
            "d_real": self._outputs_as_reported(real_out),
            "d_fake": self._outputs_as_reported(fake_out),
            "gp": gp,
        }
        for name, value in values.items():
            self.trackers[name].update_state(value)
        return {name: tracker.result() for name, tracker in self.trackers.items()}

    def generate(self, num: int, seed: int | None = 0, batch_size: int = 500) -> np.ndarray:
        """``num`` samples, float32 NumPy (e.g. (num, H, W, C) in [-1, 1]), from seeded noise.

        Uses ``ema_generator`` when the model keeps one.
        """
        return sample(
            self.generator if self.ema_generator is None else self.ema_generator,
            num,
            self.latent_dim,
            seed=seed,
            batch_size=batch_size,
        )

    # Checkpoints: the weights through Keras, the optimizer states as NumPy arrays next to them.
    def save_checkpoint(self, path: str | os.PathLike) -> str:
        """Write the weights to ``path`` (``*.weights.h5``), the optimizers' states beside it."""
        path = str(path)
        if not path.endswith(".weights.h5"):
            raise ValueError(f"checkpoint paths must end in '.weights.h5'; got {path!r}.")
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        self.save_weights(path)
        states = {}
        for who, optimizer in (("d", self.d_optimizer), ("g", self.g_optimizer)):
            for i, variable in enumerate(optimizer.variables):
                states[f"{who}_{i}"] = np.asarray(variable)
        states["seed_generator"] = np.asarray(self.seed_generator.state)
        np.savez(_optimizer_state_path(path), **states)
        return path

    def load_checkpoint(self, path: str | os.PathLike) -> None:
        """Restore what :meth:`save_checkpoint` wrote (call ``compile`` first)."""
        path = str(path)
        if not hasattr(self, "d_optimizer"):
            raise RuntimeError(
                "call gan.compile(d_optimizer=..., g_optimizer=...) before loading a checkpoint."
            )
        for optimizer, model in (
            (self.d_optimizer, self.discriminator),
            (self.g_optimizer, self.generator),
        ):
            if not optimizer.built:  # so that Keras finds slots to load into
                optimizer.build(model.trainable_variables)
        self.load_weights(path)
        state_path = _optimizer_state_path(path)
        if not os.path.exists(state_path):
            raise FileNotFoundError(
                f"{state_path} is missing: it holds the optimizer states of {path}."
            )
        with np.load(state_path) as states:
            for who, optimizer in (("d", self.d_optimizer), ("g", self.g_optimizer)):
                saved = sorted(
                    (k for k in states.files if k.startswith(who + "_")),
                    key=lambda k: int(k.split("_")[1]),
                )
                if len(saved) != len(optimizer.variables):
                    raise ValueError(
                        f"{path}: the saved {who} optimizer has {len(saved)} variables, this one "
                        f"{len(optimizer.variables)}: saved from another model or optimizer?"
                    )
                for key, variable in zip(saved, optimizer.variables, strict=True):
                    variable.assign(states[key])
            self.seed_generator.state.assign(states["seed_generator"])


def _optimizer_state_path(weights_path: str) -> str:
    return weights_path[: -len(".weights.h5")] + ".optimizers.npz"


def sample(
    generator: keras.Model,
    num: int,
    latent_dim: int | None = None,
    seed: int | None = 0,
    batch_size: int = 500,
) -> np.ndarray:
    """Run a generator on ``num`` standard-normal latents drawn with ``seed``; float32 NumPy output.

    Args:
        generator: maps (N, latent_dim) to data.
        num: number of samples.
        latent_dim: defaults to the generator's input size.
        seed: seed of the latents (NumPy generator), or None for fresh ones.
        batch_size: latents per forward pass.

    Returns:
        float32 array (num, ...) in the generator's output range ([-1, 1] for the image GANs).
    """
    latent_dim = latent_dim or int(generator.input_shape[-1])
    latents = np.random.default_rng(seed).standard_normal((num, latent_dim)).astype(np.float32)
    parts = [
        np.asarray(generator(latents[i : i + batch_size], training=False), np.float32)
        for i in range(0, num, batch_size)
    ]
    return np.concatenate(parts)


def interpolate_latents(start, end, steps: int = 8, method: str = "slerp") -> np.ndarray:
    """Latents from ``start`` to ``end`` (each (latent_dim,)); shape (steps, latent_dim).

    ``"slerp"`` (spherical, White 2016) keeps the norm typical of Gaussian latents; ``"linear"``
    passes near the origin, where the generator has seen few latents. Taught in ``03_dcgan.ipynb``.
    """
    start, end = np.asarray(start, np.float32), np.asarray(end, np.float32)
    if start.shape != end.shape or start.ndim != 1:
        raise ValueError(
            f"start and end must be 1-D latents of equal length; got {start.shape}, {end.shape}."
        )
    if method not in ("slerp", "linear"):
        raise ValueError(f"method must be 'slerp' or 'linear'; got {method!r}.")
    t = np.linspace(0.0, 1.0, steps, dtype=np.float32)[:, None]
    if method == "linear":
        return (1 - t) * start + t * end
    cos = np.dot(start, end) / (np.linalg.norm(start) * np.linalg.norm(end) + 1e-12)
    omega = np.arccos(np.clip(cos, -1.0, 1.0))
    if omega < 1e-6:
        return (1 - t) * start + t * end
    return (np.sin((1 - t) * omega) * start + np.sin(t * omega) * end) / np.sin(omega)


# ----------------------------------------------------------------------------------------------
# 4. Callbacks
# ----------------------------------------------------------------------------------------------


class SampleGrid(keras.callbacks.Callback):
    """Images from the same ``fixed_latents`` every ``every`` epochs, kept as GIF frames.

    Args:
        fixed_latents: (M, latent_dim) latents, the same for the whole run, so frames compare.
        every: epochs between pictures (the last epoch of a ``fit`` always gets one).
        show: draw each grid in the notebook as training runs.
        ncols: columns of the grid.
        include_start: also take a picture before the first epoch.

    After training, ``frames`` holds grids (float32 in [0, 1]) and ``epochs`` their epoch
    numbers; ``save_gif(path)`` writes them. Taught in ``03_dcgan.ipynb``.
    """

    def __init__(
        self,
        fixed_latents,
        every: int = 1,
        show: bool = True,
        ncols: int | None = None,
        include_start: bool = False,
    ):
        super().__init__()
        if every < 1:
            raise ValueError(f"every must be a positive number of epochs; got {every}.")
        self.fixed_latents = np.asarray(fixed_latents, np.float32)
        self.every, self.show, self.ncols, self.include_start = (
            int(every),
            show,
            ncols,
            include_start,
        )
        self.frames: list[np.ndarray] = []
        self.epochs: list[int] = []

    def _grid_generator(self):
        if getattr(self.model, "ema_generator", None) is not None:
            return self.model.ema_generator
        return getattr(self.model, "generator", self.model)

    def take(self, epoch: int) -> np.ndarray:
        """Make, store and (if ``show``) draw the grid after ``epoch`` epochs; return the grid."""
        from .plotting import image_grid, show_grid

        images = np.asarray(self._grid_generator()(self.fixed_latents, training=False), np.float32)
        self.frames.append(image_grid(images, self.ncols, value_range="symmetric"))
        self.epochs.append(int(epoch))
        if self.show:
            import matplotlib.pyplot as plt

            fig = show_grid(
                images,
                ncols=self.ncols,
                value_range="symmetric",
                size=0.8,
                suptitle=f"epoch {epoch}",
            )
            try:
                from IPython.display import display

                display(fig)
            except ImportError:  # pragma: no cover - no IPython: just skip the live view
                pass
            plt.close(fig)
        return self.frames[-1]

    def on_train_begin(self, logs=None):
        self._params_epochs = self.params.get("epochs") if self.params else None
        if self.include_start and not self.frames:
            self.take(0)

    def on_epoch_end(self, epoch, logs=None):
        last = self._params_epochs is not None and epoch + 1 == self._params_epochs
        if (epoch + 1) % self.every == 0 or last or self.model.stop_training:
            self.take(epoch + 1)

    def save_gif(self, path: str | os.PathLike = "runs/progress.gif", fps: float = 3.0) -> str:
        """Write the collected frames as an animated GIF (under ``runs/`` by default)."""
        from .plotting import save_gif

        if not self.frames:
            raise ValueError(
                "no frames yet: train with this callback first (fit(..., callbacks=[grid]))."
            )
        return save_gif(self.frames, path, fps=fps, value_range="unit")


class EpochTimer(keras.callbacks.Callback):
    """Record (and print) each epoch's wall time in ``seconds``. Taught in ``03_dcgan.ipynb``."""

    def __init__(self, verbose: bool = True):
        super().__init__()
        self.verbose, self.seconds = verbose, []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)
        if self.verbose:
            print(f"epoch {epoch + 1}: {self.seconds[-1]:.1f} s")


class TimeLimit(keras.callbacks.Callback):
    """Stop training after ``seconds`` of wall time (checked after every batch)."""

    def __init__(self, seconds: float):
        super().__init__()
        self.seconds, self.steps = float(seconds), 0

    def on_train_begin(self, logs=None):
        self._start = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        self.steps += 1
        if time.perf_counter() - self._start >= self.seconds:
            self.model.stop_training = True


# ----------------------------------------------------------------------------------------------
# 5. Data
# ----------------------------------------------------------------------------------------------


def mnist_dataset(
    batch_size: int = 128,
    split: str = "train",
    source: str = "auto",
    seed: int = 0,
    limit: int | None = None,
    verbose: bool = True,
) -> tf.data.Dataset:
    """MNIST digits as float32 (batch, 28, 28, 1) in [-1, 1]: shuffled, whole batches, prefetched.

    The digits are converted once, in memory; every epoch is reshuffled (seeded), the last
    partial batch is dropped (so the training step is traced for one shape only) and the
    next batch is prepared while the current step runs.

    Args:
        batch_size: images per batch.
        split, source: passed to :func:`imgen_helpers.data.load_mnist`.
        seed: shuffling seed.
        limit: keep only the first ``limit`` digits (for quick runs).
        verbose: print which MNIST was used.

    Returns:
        A ``tf.data.Dataset`` of image batches (no labels). Taught in ``03_dcgan.ipynb``.
    """
    from .data import load_mnist

    images, _ = load_mnist(split=split, source=source, verbose=verbose)
    if limit is not None:
        images = images[:limit]
    if batch_size > len(images):
        raise ValueError(
            f"batch_size {batch_size} is larger than the {len(images)} digits available."
        )
    x = to_symmetric_range(images)[..., None]  # (N, 28, 28, 1) float32 in [-1, 1]
    data = tf.data.Dataset.from_tensor_slices(x)
    data = data.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    return data.batch(batch_size, drop_remainder=True).prefetch(tf.data.AUTOTUNE)


SHAPES = ("circle", "square", "triangle")


def make_shapes(num: int, seed: int | np.random.Generator | None = 0, size: int = 28) -> np.ndarray:
    """Procedural images of one coloured circle, square or triangle on black.

    Shape, colour (a bright random RGB), centre and size are random; everything is drawn
    from ``seed``, so the same seed gives the same images.

    Args:
        num: number of images.
        seed: int seed or a NumPy ``Generator``.
        size: height and width in pixels (>= 8).

    Returns:
        float32 (num, size, size, 3) in [-1, 1] (background -1). Taught in ``02_first_gan.ipynb``.
    """
    if size < 8:
        raise ValueError(f"size must be at least 8 pixels; got {size}.")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    kind = rng.integers(0, len(SHAPES), num)
    radius = rng.uniform(0.18, 0.32, num) * size
    cx = rng.uniform(radius + 1, size - radius - 1)
    cy = rng.uniform(radius + 1, size - radius - 1)
    colour = rng.uniform(0.0, 1.0, (num, 3))
    colour[np.arange(num), rng.integers(0, 3, num)] = 1.0  # one full channel: never too dark
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) + 0.5
    dx, dy = xx[None] - cx[:, None, None], yy[None] - cy[:, None, None]  # (num, size, size)
    r = radius[:, None, None]
    circle = dx**2 + dy**2 <= r**2
    square = (np.abs(dx) <= 0.8 * r) & (np.abs(dy) <= 0.8 * r)
    triangle = (dy <= 0.8 * r) & (np.abs(dx) <= (dy + r) * 0.6)  # apex up, base at dy = 0.8 r
    k = kind[:, None, None]
    mask = np.where(k == 0, circle, np.where(k == 1, square, triangle))
    images = mask[..., None] * colour[:, None, None, :]  # (num, size, size, 3) in [0, 1]
    return (images * 2.0 - 1.0).astype(np.float32)


def shapes_dataset(batch_size: int = 64, seed: int = 0, size: int = 28) -> tf.data.Dataset:
    """An unlimited, seeded stream of :func:`make_shapes` batches, float32 (batch, size, size, 3).

    Each iteration over the dataset restarts the same sequence, so two runs see the same
    images. Use ``steps_per_epoch`` in ``fit()`` (the stream never ends) or ``.take(n)``.
    Taught in ``02_first_gan.ipynb``.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be positive; got {batch_size}.")

    def batches():
        rng = np.random.default_rng(seed)
        while True:
            yield make_shapes(batch_size, rng, size)

    spec = tf.TensorSpec((batch_size, size, size, 3), tf.float32)
    data = tf.data.Dataset.from_generator(batches, output_signature=spec)
    # Declared infinite, so that `.take(n)` has a known length and fit() needs steps_per_epoch.
    data = data.apply(tf.data.experimental.assert_cardinality(tf.data.INFINITE_CARDINALITY))
    return data.prefetch(2)


# ----------------------------------------------------------------------------------------------
# 6. Training the CPU-friendly DCGAN, and the shipped generator
# ----------------------------------------------------------------------------------------------

PRETRAINED_WEIGHTS = "weights/dcgan_mnist_small.weights.h5"
"""Shipped generator of :data:`DCGAN_MNIST_SMALL` made by ``train-dcgan`` (path under data/)."""


def make_dcgan(
    config: DCGANConfig = DCGAN_MNIST_SMALL,
    loss: str = "non_saturating",
    update: str = "alternating",
    seed: int | None = 0,
    **compile_kwargs,
) -> GAN:
    """Build and compile a DCGAN from ``config`` with Adam(config.learning_rate, config.beta_1).

    Returns:
        A compiled :class:`GAN`. Taught in ``03_dcgan.ipynb``.
    """
    gan = GAN(
        build_dcgan_generator(config),
        build_dcgan_discriminator(config),
        config.latent_dim,
        loss=loss,
        update=update,
        seed=seed,
        ema=config.ema,
        reuse_fakes=config.reuse_fakes and update == "alternating",
        name="dcgan",
    )
    gan.compile(
        d_optimizer=keras.optimizers.Adam(config.learning_rate, beta_1=config.beta_1),
        g_optimizer=keras.optimizers.Adam(config.learning_rate, beta_1=config.beta_1),
        **compile_kwargs,
    )
    return gan


def train_dcgan(
    config: DCGANConfig = DCGAN_MNIST_SMALL,
    minutes: float | None = 3.0,
    epochs: int = 1000,
    out: str | os.PathLike | None = "runs/dcgan",
    split: str = "all",
    source: str = "auto",
    seed: int = 0,
    update: str = "alternating",
    verbose: int = 2,
    callbacks: Sequence[keras.callbacks.Callback] = (),
) -> tuple[GAN, keras.callbacks.History, float]:
    """Train a DCGAN on MNIST for ``minutes`` of wall time (or ``epochs``), save the generator.

    The clock starts before the first step, so graph tracing counts against the budget.

    Args:
        config: model and batch size (default: the CPU-friendly configuration).
        minutes: wall-time budget; None trains for ``epochs`` epochs.
        epochs: maximum number of epochs.
        out: folder for ``generator.weights.h5`` (the averaged generator if ``config.ema``,
            the raw one then in ``generator_raw.weights.h5``); None: do not save.
        split, source: which MNIST (see :func:`mnist_dataset`).
        seed: seeds weights, noise and shuffling.
        update: "alternating" or "simultaneous" (see :class:`GAN`).
        verbose: Keras ``fit`` verbosity.
        callbacks: extra callbacks.

    Returns:
        ``(gan, history, seconds of training)``. Taught in ``03_dcgan.ipynb``.
    """
    from .runtime import set_seed

    set_seed(seed)
    data = mnist_dataset(config.batch_size, split=split, source=source, seed=seed)
    gan = make_dcgan(config, update=update, seed=seed)
    extra = list(callbacks)
    if minutes is not None:
        extra.append(TimeLimit(60.0 * minutes))
    start = time.perf_counter()
    history = gan.fit(data, epochs=epochs, verbose=verbose, callbacks=extra)
    seconds = time.perf_counter() - start
    if out is not None:
        Path(out).mkdir(parents=True, exist_ok=True)
        # The averaged generator, when there is one, is the one to sample from.
        (gan.generator if gan.ema_generator is None else gan.ema_generator).save_weights(
            str(Path(out) / "generator.weights.h5")
        )
        if gan.ema_generator is not None:
            gan.generator.save_weights(str(Path(out) / "generator_raw.weights.h5"))
    return gan, history, seconds


def load_pretrained_generator(config: DCGANConfig = DCGAN_MNIST_SMALL) -> keras.Model:
    """The shipped generator of the CPU-friendly DCGAN (sha256-checked), ready to sample digits.

    Returns:
        A generator mapping (N, config.latent_dim) latents to (N, 28, 28, 1) digits in [-1, 1].
        Taught in ``03_dcgan.ipynb``.
    """
    from .data import shipped_path

    if config != DCGAN_MNIST_SMALL:
        raise ValueError(
            "only the DCGAN_MNIST_SMALL generator is shipped; train others with train_dcgan()."
        )
    generator = build_dcgan_generator(config)
    generator.load_weights(str(shipped_path(PRETRAINED_WEIGHTS)))
    return generator


def _main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m imgen_helpers.gan", description="Train the course's DCGAN on MNIST."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser("train-dcgan", help="train a DCGAN and save its generator")
    train.add_argument("--config", default="mnist_small", choices=sorted(DCGAN_CONFIGS))
    train.add_argument(
        "--minutes", type=float, default=3.0, help="wall-time budget (0: use --epochs)"
    )
    train.add_argument("--epochs", type=int, default=1000)
    train.add_argument("--out", default="runs/dcgan", help="output folder")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--update", default="alternating", choices=("alternating", "simultaneous"))
    train.add_argument("--ema", type=float, default=-1.0, help="override the config's EMA decay")
    train.add_argument("--lr", type=float, default=0.0, help="override the learning rate")
    train.add_argument("--batch-size", type=int, default=0, help="override the batch size")
    train.add_argument("--width", type=int, default=0, help="override the width")
    train.add_argument("--source", default="auto", choices=("auto", "online", "offline"))
    train.add_argument("--split", default="all", choices=("train", "test", "all"))
    train.add_argument(
        "--precision",
        default="auto",
        choices=("auto", "float32", "mixed_float16", "mixed_bfloat16"),
    )
    args = parser.parse_args(argv)

    from .plotting import image_grid, save_gif
    from .runtime import configure

    configure(args.precision)
    config = DCGAN_CONFIGS[args.config]
    if args.ema >= 0:
        config = replace(config, ema=args.ema or None)
    if args.lr > 0:
        config = replace(config, learning_rate=args.lr)
    if args.batch_size > 0:
        config = replace(config, batch_size=args.batch_size)
    if args.width > 0:
        config = replace(config, width=args.width)
    if config.image_shape != (28, 28, 1):
        raise SystemExit(
            f"train-dcgan trains on MNIST; config {args.config} is for {config.image_shape}."
        )
    gan, history, seconds = train_dcgan(
        config,
        minutes=args.minutes or None,
        epochs=args.epochs,
        out=args.out,
        split=args.split,
        source=args.source,
        seed=args.seed,
        update=args.update,
    )
    steps = int(gan.g_optimizer.iterations.numpy())
    print(
        f"trained {len(history.epoch)} epochs, {steps} steps in {seconds:.0f} s "
        f"({steps / seconds:.2f} steps/s); config {asdict(config)}"
    )
    save_gif([image_grid(gan.generate(64, seed=0), 8)], Path(args.out) / "samples.gif")
    print(f"wrote {Path(args.out) / 'generator.weights.h5'} and samples.gif")


__all__ = [
    "DCGANConfig",
    "DCGAN_MNIST_SMALL",
    "DCGAN_MNIST_FULL",
    "DCGAN_COLOR32_FULL",
    "DCGAN_CONFIGS",
    "build_first_generator",
    "build_first_discriminator",
    "build_dcgan_generator",
    "build_dcgan_discriminator",
    "discriminator_loss_minimax",
    "generator_loss_minimax",
    "generator_loss_non_saturating",
    "lsgan_discriminator_loss",
    "lsgan_generator_loss",
    "wasserstein_critic_loss",
    "wasserstein_generator_loss",
    "clip_weights",
    "interpolation_weights",
    "gradient_penalty",
    "LOSSES",
    "GAN",
    "sample",
    "interpolate_latents",
    "SampleGrid",
    "Checkpoint",
    "latest_checkpoint",
    "EpochTimer",
    "TimeLimit",
    "mnist_dataset",
    "make_shapes",
    "shapes_dataset",
    "make_dcgan",
    "train_dcgan",
    "load_pretrained_generator",
]

if __name__ == "__main__":
    _main()
