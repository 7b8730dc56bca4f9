"""DCGAN (Radford et al., 2016) for MNIST and 32x32 colour images: network, recipe, training.

Reading order:

1. :class:`DCGANConfig`, the network's shape, and :class:`DCGANRecipe`, how it is trained
   (batch size, Adam's settings, weight averaging, and the ``fast`` switch);
2. the builders :func:`build_dcgan_generator` and :func:`build_dcgan_discriminator`;
3. :func:`make_dcgan` (a compiled :class:`imgen_helpers.gan.GAN`), :func:`train_dcgan` (a
   wall-time budget on MNIST; also ``imgen train-dcgan``) and the shipped generator
   (:func:`load_pretrained_generator`).

The one switch to the speed wing is ``fast``: ``build_dcgan_*(config, fast=True)`` builds the
same networks (same weights, same outputs up to float rounding) from the Keras-identical layers
of :mod:`imgen_helpers.fast.layers`, and ``DCGANRecipe(fast=True)`` also trains with
:class:`imgen_helpers.fast.gan.FastGAN` (the generator step reuses the discriminator step's
fakes). Taught in ``03_dcgan.ipynb``.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import keras
from keras import layers

from .gan import GAN, _check_image_shape

# ----------------------------------------------------------------------------------------------
# 1. The network and the recipe
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DCGANConfig:
    """The shape of a DCGAN's two networks (Radford et al., 2016); see ``03_dcgan.ipynb``."""

    image_shape: tuple[int, int, int] = (28, 28, 1)  # (height, width, channels): 28x28 or 32x32
    latent_dim: int = 100  # length of the noise vector z
    width: int = 64  # filters of the first discriminator block; doubled per block (mirrored in G)
    generator_width: int | None = None  # the generator's width if not ``width`` (None: the same)
    refine_blocks: int = 0  # 3x3 stride-1 blocks in G, one per resolution from the smallest
    discriminator_blocks: int = 0  # 3x3 stride-1 blocks in D after its last strided one
    kernel_size: int = 4  # kernel of every strided (transposed) convolution (DCGAN's code: 4)
    leaky_slope: float = 0.2  # negative slope of the discriminator's LeakyReLU (paper: 0.2)
    discriminator_norm: str = "batch"  # "batch" (paper), "layer" (for WGAN-GP) or "none"
    dropout: float = 0.0  # dropout after each discriminator block (paper: none)


@dataclass(frozen=True)
class DCGANRecipe:
    """How a DCGAN is trained: batch, Adam's settings, weight averaging, and the speed switch."""

    batch_size: int = 128  # images per training step (paper: 128)
    learning_rate: float = 2e-4  # Adam step size of both players (paper: 2e-4)
    beta_1: float = 0.5  # Adam momentum (paper: 0.5; the default 0.9 oscillates)
    ema: float | None = None  # decay of the generator's weight average (None: no average)
    fast: bool = False  # speed wing: fast layers + FastGAN's reused fakes (see make_dcgan)

    def __post_init__(self) -> None:
        if (
            isinstance(self.batch_size, bool)
            or not isinstance(self.batch_size, int)
            or (self.batch_size < 1)
        ):
            raise ValueError(f"batch_size must be a positive integer; got {self.batch_size!r}.")
        if not self.learning_rate > 0:
            raise ValueError(f"learning_rate must be positive; got {self.learning_rate!r}.")
        if not 0 <= self.beta_1 < 1:
            raise ValueError(f"beta_1 must be in [0, 1) (paper: 0.5); got {self.beta_1!r}.")
        if self.ema is not None and not 0 < self.ema < 1:
            raise ValueError(f"ema must be a decay in (0, 1) or None; got {self.ema!r}.")


PAPER_RECIPE = DCGANRecipe()
"""The paper's training settings: batch 128, Adam(2e-4, beta_1=0.5), no averaging."""

DCGAN_MNIST_SMALL = DCGANConfig(
    width=32,
    generator_width=64,
    refine_blocks=1,
    discriminator_blocks=3,
    kernel_size=5,
    latent_dim=64,
)
"""CPU-friendly DCGAN for MNIST: recognisable digits in 3 minutes on two CPU cores.

Narrower than the paper's model where it is cheap to be: the generator gets the width (twice
the discriminator's), one 3x3 block at 7x7 and kernel 5; the discriminator gets three 3x3 blocks
at 7x7, where each position sees most of the digit, to judge its overall shape. Each choice was
kept because it raised the lesson-08 score of 3-minute runs; the runs, with their commands,
are in ``benchmarks/RESULTS.md``. Train it with :data:`DCGAN_MNIST_SMALL_RECIPE`.
"""

DCGAN_MNIST_SMALL_RECIPE = DCGANRecipe(batch_size=64, learning_rate=1e-3, ema=0.995, fast=True)
"""How :data:`DCGAN_MNIST_SMALL` is trained in 3 minutes: batch 64, Adam(1e-3, beta_1=0.5),
an average of the generator's weights over about 200 steps, and the speed wing (``fast``).

``python benchmarks/dcgan.py --quality --seed 0`` trains it for 3 minutes and prints the
lesson-08 classifier score and confident share; the history is in ``benchmarks/RESULTS.md``.
"""

DCGAN_MNIST_FULL = DCGANConfig(width=128, latent_dim=100)
"""Full-size DCGAN for MNIST, for a GPU (train with :data:`PAPER_RECIPE`)."""

DCGAN_COLOR32_FULL = DCGANConfig(image_shape=(32, 32, 3), width=128, latent_dim=100)
"""Full-size DCGAN for 32x32 colour images (CIFAR-10 sized), meant for a GPU."""

DCGAN_CONFIGS = {
    "mnist_small": (DCGAN_MNIST_SMALL, DCGAN_MNIST_SMALL_RECIPE),
    "mnist_full": (DCGAN_MNIST_FULL, PAPER_RECIPE),
    "color32_full": (DCGAN_COLOR32_FULL, PAPER_RECIPE),
}
"""Named (network, recipe) pairs, for the command line and the lessons."""


# ----------------------------------------------------------------------------------------------
# 2. Builders
# ----------------------------------------------------------------------------------------------


def _layers(fast: bool):
    """Where the builders take Conv2D, Conv2DTranspose and BatchNormalization from."""
    if fast:
        from .fast import layers as fast_layers  # the speed wing: same layers, faster kernels

        return fast_layers
    return layers


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


def build_dcgan_generator(
    config: DCGANConfig = DCGAN_MNIST_SMALL, fast: bool = False
) -> keras.Model:
    """DCGAN generator: dense to a small feature map, then stride-2 transposed convolutions.

    Batch norm and ReLU after every layer but the last, which is a tanh (paper, section 3).

    Args:
        config: sizes; ``config.image_shape`` must be 28x28 or 32x32 (or 7 or 4 times 2**k).
        fast: build the transposed convolutions and batch norms from the speed wing's
            Keras-identical layers (:mod:`imgen_helpers.fast.layers`): same weights, same
            outputs up to float rounding, a faster training step on a CPU.

    Returns:
        A model mapping float32 latents (N, latent_dim) to images (N, H, W, C) in [-1, 1],
        computed in float32 at the end. Taught in ``03_dcgan.ipynb``.
    """
    start, blocks = _check_config(config)
    kinds = _layers(fast)
    channels = config.image_shape[-1]
    k = config.kernel_size
    latents = keras.Input((config.latent_dim,), name="latents")
    top = (config.generator_width or config.width) * 2 ** (blocks - 1)
    x = layers.Dense(start * start * top, use_bias=False, name="project")(latents)
    x = kinds.BatchNormalization(name="project_bn")(x)
    x = layers.ReLU(name="project_relu")(x)
    x = layers.Reshape((start, start, top), name="to_feature_map")(
        x
    )  # (batch, 7, 7, top) for 28x28
    for i in range(blocks - 1):
        x = _refine(x, top // 2**i, i, config.refine_blocks, kinds)
        filters = top // 2 ** (i + 1)
        x = kinds.Conv2DTranspose(filters, k, 2, padding="same", use_bias=False, name=f"up_{i}")(x)
        x = kinds.BatchNormalization(name=f"up_{i}_bn")(x)
        x = layers.ReLU(name=f"up_{i}_relu")(x)
    x = _refine(x, top // 2 ** (blocks - 1), blocks - 1, config.refine_blocks, kinds)
    images = kinds.Conv2DTranspose(
        channels, k, 2, padding="same", activation="tanh", dtype="float32", name="to_pixels"
    )(x)  # (batch, H, W, C) in [-1, 1]
    return keras.Model(latents, images, name="dcgan_generator")


def _refine(x, filters: int, stage: int, refine_blocks: int, kinds):
    """A 3x3 stride-1 block (conv, batch norm, ReLU) at upsampling stage ``stage``, if wanted.

    Extra depth where it is cheap: at 7x7 with 128 channels a 3x3 block is about 7 million
    multiply-adds per sample, against about 10 million for the first upsampling (kernel 5).
    """
    if stage >= refine_blocks:
        return x
    x = kinds.Conv2DTranspose(
        filters, 3, 1, padding="same", use_bias=False, name=f"refine_{stage}"
    )(x)
    x = kinds.BatchNormalization(name=f"refine_{stage}_bn")(x)
    return layers.ReLU(name=f"refine_{stage}_relu")(x)


def build_dcgan_discriminator(
    config: DCGANConfig = DCGAN_MNIST_SMALL, fast: bool = False
) -> keras.Model:
    """DCGAN discriminator: stride-2 convolutions with LeakyReLU, no pooling, one linear unit.

    No normalisation on the first block (paper, section 3); ``config.discriminator_norm``
    picks batch norm (paper), layer norm (for WGAN-GP, whose penalty is per sample) or none.
    ``config.discriminator_blocks`` adds 3x3 stride-1 blocks (same norm and activation) at the
    smallest resolution, where each position sees most of the image: depth that judges a
    digit's overall shape, for little arithmetic (7x7 for 28x28 images).

    Args:
        config: sizes; same ``image_shape`` as the generator.
        fast: batch norm from the speed wing (:mod:`imgen_helpers.fast.layers`: TensorFlow's
            fused kernel, the same computation as Keras' layer).

    Returns:
        A model mapping images (N, H, W, C) in [-1, 1] to float32 logits (N, 1).
        Taught in ``03_dcgan.ipynb``.
    """
    _, blocks = _check_config(config)
    kinds = _layers(fast)
    images = keras.Input(config.image_shape, name="images")
    x = images
    stages = [(f"down_{i}", config.width * 2**i, config.kernel_size, 2) for i in range(blocks)]
    top = config.width * 2 ** (blocks - 1)
    stages += [(f"deep_{i}", top, 3, 1) for i in range(config.discriminator_blocks)]
    for i, (name, filters, kernel, stride) in enumerate(stages):
        x = layers.Conv2D(filters, kernel, stride, padding="same", name=name)(x)
        if i > 0 and config.discriminator_norm == "batch":
            x = kinds.BatchNormalization(name=f"{name}_bn")(x)
        elif i > 0 and config.discriminator_norm == "layer":
            x = layers.LayerNormalization(name=f"{name}_ln")(x)
        x = layers.LeakyReLU(config.leaky_slope, name=f"{name}_leaky_relu")(x)
        if config.dropout > 0:
            x = layers.Dropout(config.dropout, name=f"{name}_dropout")(x)
    x = layers.Flatten(name="flatten")(x)
    logits = layers.Dense(1, dtype="float32", name="logit")(x)  # (batch, 1)
    return keras.Model(images, logits, name="dcgan_discriminator")


# ----------------------------------------------------------------------------------------------
# 3. Training, and the shipped generator
# ----------------------------------------------------------------------------------------------

PRETRAINED_WEIGHTS = "weights/dcgan_mnist_small.weights.h5"
"""Shipped generator of :data:`DCGAN_MNIST_SMALL` made by ``imgen train-dcgan`` (under data/)."""


def make_dcgan(
    config: DCGANConfig = DCGAN_MNIST_SMALL,
    recipe: DCGANRecipe = DCGAN_MNIST_SMALL_RECIPE,
    loss: str = "non_saturating",
    seed: int | None = 0,
    **compile_kwargs,
) -> GAN:
    """Build and compile a DCGAN: ``config``'s networks, trained as ``recipe`` says.

    With ``recipe.fast`` the networks come from the speed wing's layers and the model is a
    :class:`imgen_helpers.fast.gan.FastGAN`, whose generator step reuses the discriminator
    step's fakes (one generator pass fewer per step; ``tests/test_fast_gan.py`` shows it is
    the plain step with the same noise for both players).

    Returns:
        A compiled :class:`imgen_helpers.gan.GAN` (or ``FastGAN``). Taught in ``03_dcgan.ipynb``.
    """
    if not isinstance(recipe, DCGANRecipe):
        raise TypeError(
            f"recipe must be a DCGANRecipe (batch size, learning rate, ...); got "
            f"{type(recipe).__name__}. In imgen_helpers 0.2 the training settings left DCGANConfig."
        )
    networks = (
        build_dcgan_generator(config, fast=recipe.fast),
        build_dcgan_discriminator(config, fast=recipe.fast),
    )
    settings = dict(loss=loss, seed=seed, ema=recipe.ema, name="dcgan")
    if recipe.fast:
        from .fast.gan import FastGAN  # the speed wing

        gan = FastGAN(*networks, config.latent_dim, reuse_fakes=True, **settings)
    else:
        gan = GAN(*networks, config.latent_dim, **settings)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(recipe.learning_rate, beta_1=recipe.beta_1),
        g_optimizer=keras.optimizers.Adam(recipe.learning_rate, beta_1=recipe.beta_1),
        **compile_kwargs,
    )
    return gan


def train_dcgan(
    config: DCGANConfig = DCGAN_MNIST_SMALL,
    recipe: DCGANRecipe = DCGAN_MNIST_SMALL_RECIPE,
    minutes: float | None = 3.0,
    epochs: int = 1000,
    out: str | os.PathLike | None = "runs/dcgan",
    split: str = "all",
    source: str = "auto",
    seed: int = 0,
    reseed: bool = True,
    verbose: int = 2,
    callbacks: Sequence[keras.callbacks.Callback] = (),
) -> tuple[GAN, keras.callbacks.History, float]:
    """Train a DCGAN on MNIST for ``minutes`` of wall time (or ``epochs``), save the generator.

    The clock starts before the first step, so graph tracing counts against the budget. The
    data is read through one iterator for the whole run (``repeat()`` with
    ``steps_per_epoch``), so no epoch start pauses to build a new one.

    Args:
        config: the networks (default: the CPU-friendly configuration).
        recipe: how to train them (default: its 3-minute recipe).
        minutes: wall-time budget; None trains for ``epochs`` epochs.
        epochs: maximum number of epochs.
        out: folder for ``generator.weights.h5`` (the averaged generator if ``recipe.ema``,
            the raw one then in ``generator_raw.weights.h5``); None: do not save.
        split, source: which MNIST (see :func:`imgen_helpers.data.mnist_dataset`).
        seed: seeds weights, noise and shuffling.
        reseed: first call ``set_seed(seed)``, which reseeds Python, NumPy and TensorFlow for
            the whole process (so the run repeats); False leaves the global generators alone.
        verbose: Keras ``fit`` verbosity.
        callbacks: extra callbacks.

    Returns:
        ``(gan, history, seconds of training)``. Taught in ``03_dcgan.ipynb``.
    """
    from .callbacks import TimeLimit
    from .data import mnist_dataset
    from .runtime import set_seed

    if minutes is not None and not minutes > 0:
        raise ValueError(f"minutes must be positive or None (train for epochs); got {minutes!r}.")
    if reseed:
        set_seed(seed)
    data = mnist_dataset(split, recipe.batch_size, source=source, seed=seed, drop_remainder=True)
    gan = make_dcgan(config, recipe, seed=seed)
    extra = list(callbacks) + ([TimeLimit(60.0 * minutes)] if minutes is not None else [])
    start = time.perf_counter()
    history = gan.fit(
        data.repeat(),
        steps_per_epoch=int(data.cardinality()),
        epochs=epochs,
        verbose=verbose,
        callbacks=extra,
        shuffle=False,  # the dataset reshuffles itself every epoch; Keras' shuffle is for arrays
    )
    seconds = time.perf_counter() - start
    if out is not None:
        Path(out).mkdir(parents=True, exist_ok=True)
        # The averaged generator, when there is one, is the one to sample from.
        best = gan.generator if gan.ema_generator is None else gan.ema_generator
        best.save_weights(str(Path(out) / "generator.weights.h5"))
        if gan.ema_generator is not None:
            gan.generator.save_weights(str(Path(out) / "generator_raw.weights.h5"))
    return gan, history, seconds


def load_pretrained_generator(
    config: DCGANConfig = DCGAN_MNIST_SMALL, fast: bool = False
) -> keras.Model:
    """The shipped generator of the CPU-friendly DCGAN (sha256-checked), ready to sample digits.

    Args:
        config: must be :data:`DCGAN_MNIST_SMALL`, the only one shipped.
        fast: build it from the speed wing's layers (same weights and outputs).

    Returns:
        A generator mapping (N, config.latent_dim) latents to (N, 28, 28, 1) digits in [-1, 1].
        Taught in ``03_dcgan.ipynb``.
    """
    from .data import shipped_path

    if config != DCGAN_MNIST_SMALL:
        raise ValueError(
            "only the DCGAN_MNIST_SMALL generator is shipped; train others with train_dcgan()."
        )
    generator = build_dcgan_generator(config, fast=fast)
    generator.load_weights(str(shipped_path(PRETRAINED_WEIGHTS)))
    return generator


__all__ = [
    "DCGANConfig",
    "DCGANRecipe",
    "PAPER_RECIPE",
    "DCGAN_MNIST_SMALL",
    "DCGAN_MNIST_SMALL_RECIPE",
    "DCGAN_MNIST_FULL",
    "DCGAN_COLOR32_FULL",
    "DCGAN_CONFIGS",
    "build_dcgan_generator",
    "build_dcgan_discriminator",
    "make_dcgan",
    "train_dcgan",
    "load_pretrained_generator",
    "PRETRAINED_WEIGHTS",
]
