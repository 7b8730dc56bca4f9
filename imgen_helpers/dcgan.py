"""DCGAN (Radford et al., 2016) for MNIST and 32x32 colour images: network, recipe, training.

Reading order:

1. :class:`DCGANConfig`, the network's shape, and :class:`DCGANRecipe`, how it is trained
   (batch size, Adam's settings, weight averaging, and the ``fast`` switch);
2. the builders :func:`build_dcgan_generator` and :func:`build_dcgan_discriminator`;
3. :func:`make_dcgan` (a compiled :class:`imgen_helpers.gan.GAN`), :func:`train_dcgan` (a
   wall-time budget on MNIST; also ``imgen train-dcgan``), a trained generator back from its
   file (:func:`load_generator`) and the shipped one (:func:`load_pretrained_generator`).

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

import keras
from keras import layers

from . import checks
from .gan import GAN, LOSSES

# ----------------------------------------------------------------------------------------------
# 1. The network and the recipe
# ----------------------------------------------------------------------------------------------


def _image_shape(value) -> tuple[int, int, int]:
    """``value`` as (height, width, channels) of positive ints, grey or RGB."""
    checks.instance("image_shape", value, (tuple, list), "a (height, width, channels) tuple")
    if len(value) != 3:
        raise ValueError(
            f"image_shape must be (height, width, channels), e.g. (28, 28, 1); got {value!r}."
        )
    shape = tuple(checks.positive_int(f"image_shape[{i}]", n) for i, n in enumerate(value))
    if shape[2] not in (1, 3):
        raise ValueError(
            f"image_shape must end in 1 (grey) or 3 (RGB) channels; got {shape}: is the channel "
            "axis last, as Keras expects?"
        )
    return shape


def _dcgan_blocks(image_shape: tuple[int, int, int]) -> tuple[int, int]:
    """(start size, number of stride-2 blocks) so that start * 2**blocks == image size."""
    height, width, _ = image_shape
    if height != width:
        raise ValueError(f"image_shape must be square for a DCGAN; got {height}x{width}.")
    for start in (7, 4):
        blocks = round(math.log2(height / start)) if height >= start else -1
        if blocks >= 1 and start * 2**blocks == height:
            return start, blocks
    raise ValueError(
        f"image_shape must be 7 or 4 times a power of two (28, 32, 56, 64, ...) for the DCGAN "
        f"builders; got {height}. Resize the images, e.g. to 28x28 or 32x32."
    )


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

    def __post_init__(self) -> None:
        shape = _image_shape(self.image_shape)
        _, blocks = _dcgan_blocks(shape)
        refine = checks.integer("refine_blocks", self.refine_blocks)
        if not 0 <= refine <= blocks:
            raise ValueError(
                f"refine_blocks must be between 0 and {blocks} (one per resolution below the "
                f"output) for {shape[0]}x{shape[1]} images; got {refine}."
            )
        deep = self.discriminator_blocks
        if isinstance(deep, bool) or (isinstance(deep, float) and not deep.is_integer()):
            raise ValueError(
                "discriminator_blocks must be a whole number of 3x3 blocks at the "
                f"discriminator's smallest resolution (0, 1, 2, ...); got {deep!r}."
            )
        width = self.generator_width
        fields = {
            "image_shape": shape,
            "latent_dim": checks.positive_int("latent_dim", self.latent_dim),
            "width": checks.positive_int("width", self.width),
            "generator_width": None
            if width is None
            else checks.positive_int("generator_width", width),
            "refine_blocks": refine,
            "discriminator_blocks": checks.integer("discriminator_blocks", deep, minimum=0),
            "kernel_size": checks.positive_int("kernel_size", self.kernel_size),
            "leaky_slope": checks.number("leaky_slope", self.leaky_slope, minimum=0.0, below=1.0),
            "discriminator_norm": checks.one_of(
                "discriminator_norm", self.discriminator_norm, ("batch", "layer", "none")
            ),
            "dropout": checks.number("dropout", self.dropout, minimum=0.0, below=1.0),
        }
        for name, value in fields.items():  # cleaned: 64.0 -> 64, [28, 28, 1] -> (28, 28, 1)
            object.__setattr__(self, name, value)


@dataclass(frozen=True)
class DCGANRecipe:
    """How a DCGAN is trained: batch, Adam's settings, weight averaging, and the speed switch."""

    batch_size: int = 128  # images per training step (paper: 128)
    learning_rate: float = 2e-4  # Adam step size of both players (paper: 2e-4)
    beta_1: float = 0.5  # Adam momentum (paper: 0.5; the default 0.9 oscillates)
    ema: float | None = None  # decay of the generator's weight average (None: no average)
    fast: bool = False  # speed wing: fast layers + FastGAN's reused fakes (see make_dcgan)

    def __post_init__(self) -> None:
        ema = self.ema
        fields = {
            "batch_size": checks.positive_int("batch_size", self.batch_size),
            # Above 1 an Adam step jumps further than the weights' own scale: a typo for 1e-3.
            "learning_rate": checks.number(
                "learning_rate", self.learning_rate, above=0.0, maximum=1.0
            ),
            "beta_1": checks.number("beta_1", self.beta_1, minimum=0.0, below=1.0),
            "ema": None if ema is None else checks.number("ema", ema, above=0.0, below=1.0),
            "fast": checks.boolean("fast", self.fast),
        }
        for name, value in fields.items():
            object.__setattr__(self, name, value)


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


def _check_config(config: DCGANConfig) -> tuple[int, int]:
    """(start size, stride-2 blocks) of a config; its fields were checked when it was made."""
    checks.instance("config", config, DCGANConfig, "a DCGANConfig (e.g. dcgan.DCGAN_MNIST_SMALL)")
    return _dcgan_blocks(config.image_shape)


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
    kinds = _layers(checks.boolean("fast", fast))
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
    _check_config(config)
    images = keras.Input(config.image_shape, name="images")
    x = discriminator_features(images, config, checks.boolean("fast", fast))
    logits = layers.Dense(1, dtype="float32", name="logit")(x)  # (batch, 1)
    return keras.Model(images, logits, name="dcgan_discriminator")


def discriminator_features(x, config: DCGANConfig, fast: bool = False):
    """The DCGAN discriminator's layers applied to ``x``, up to its flattened features.

    Shared by :func:`build_dcgan_discriminator` (which adds one linear unit) and the
    conditional discriminators of :mod:`imgen_helpers.conditional_gan` (which add the label).

    Args:
        x: a symbolic Keras tensor (N, H, W, C) of ``config.image_shape``'s size (any C).
        config: sizes.
        fast: batch norm from the speed wing.

    Returns:
        The flattened features (N, F), a symbolic tensor.
    """
    _, blocks = _check_config(config)
    kinds = _layers(checks.boolean("fast", fast))
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
    return layers.Flatten(name="flatten")(x)  # (batch, F)


# ----------------------------------------------------------------------------------------------
# 3. Training, and the shipped generator
# ----------------------------------------------------------------------------------------------

PRETRAINED_WEIGHTS = "weights/dcgan_mnist_small.weights.h5"
"""Shipped generator of :data:`DCGAN_MNIST_SMALL` made by ``imgen train-dcgan`` (under data/)."""


_CONFIG = "a DCGANConfig (e.g. dcgan.DCGAN_MNIST_SMALL)"
_RECIPE = (
    "a DCGANRecipe (batch size, learning rate, ...; in imgen_helpers 0.2 the training settings "
    "left DCGANConfig)"
)


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

    Args:
        config: the networks.
        recipe: batch size, Adam's settings, weight averaging, ``fast``.
        loss: a name of :data:`imgen_helpers.gan.LOSSES`.
        seed: seed of the training noise (a non-negative int, or None).
        **compile_kwargs: passed to ``compile`` (the optimizers come from ``recipe``).

    Returns:
        A compiled :class:`imgen_helpers.gan.GAN` (or ``FastGAN``). Taught in ``03_dcgan.ipynb``.
    """
    checks.instance("config", config, DCGANConfig, _CONFIG)
    checks.instance("recipe", recipe, DCGANRecipe, _RECIPE)
    checks.one_of("loss", loss, LOSSES)
    seed = None if seed is None else checks.integer("seed", seed, minimum=0)
    for name in ("d_optimizer", "g_optimizer"):
        if name in compile_kwargs:
            raise TypeError(
                f"make_dcgan builds {name} from the recipe (Adam with recipe.learning_rate and "
                "recipe.beta_1): change the recipe, or build a GAN and compile it yourself."
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
        config: the networks (default: the CPU-friendly configuration); 28x28 grey images.
        recipe: how to train them (default: its 3-minute recipe).
        minutes: wall-time budget (> 0); None trains for ``epochs`` epochs.
        epochs: maximum number of epochs.
        out: folder for ``generator.weights.h5`` (the averaged generator if ``recipe.ema``,
            the raw one then in ``generator_raw.weights.h5``); None: do not save.
        split, source: which MNIST (see :func:`imgen_helpers.data.mnist_dataset`).
        seed: seeds weights, noise and shuffling.
        reseed: first call ``set_seed(seed)``, which reseeds Python, NumPy and TensorFlow for
            the whole process (so the run repeats); False leaves the global generators alone.
        verbose: Keras ``fit`` verbosity: 0, 1, 2 or "auto".
        callbacks: a list of extra Keras callbacks.

    Returns:
        ``(gan, history, seconds of training)``. Taught in ``03_dcgan.ipynb``.
    """
    from .data import mnist_dataset
    from .runtime import set_seed

    checks.instance("config", config, DCGANConfig, _CONFIG)
    checks.instance("recipe", recipe, DCGANRecipe, _RECIPE)
    if config.image_shape != (28, 28, 1):
        raise ValueError(
            f"config makes {config.image_shape} images, but train_dcgan trains on MNIST digits "
            "(28, 28, 1): use a 28x28 grey config such as dcgan.DCGAN_MNIST_SMALL."
        )
    minutes, epochs, out, seed, reseed, callbacks = _run_arguments(
        minutes, epochs, out, split, source, seed, reseed, verbose, callbacks
    )
    if reseed:
        set_seed(seed)
    data = mnist_dataset(split, recipe.batch_size, source=source, seed=seed, drop_remainder=True)
    gan = make_dcgan(config, recipe, seed=seed)
    history, seconds = _fit_for(gan, data, minutes, epochs, verbose, callbacks)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        # The averaged generator, when there is one, is the one to sample from.
        best = gan.generator if gan.ema_generator is None else gan.ema_generator
        best.save_weights(str(out / "generator.weights.h5"))
        if gan.ema_generator is not None:
            gan.generator.save_weights(str(out / "generator_raw.weights.h5"))
    return gan, history, seconds


def _run_arguments(minutes, epochs, out, split, source, seed, reseed, verbose, callbacks):
    """The checked run arguments of ``train_dcgan`` (and ``conditional_gan.train_cgan``):
    ``(minutes, epochs, out, seed, reseed, callbacks)``."""
    minutes = None if minutes is None else checks.positive("minutes", minutes)
    epochs = checks.positive_int("epochs", epochs)
    if out is not None:
        out = checks.path("out", out)
        if out.exists() and not out.is_dir():
            raise ValueError(f"out must be a folder; {str(out)!r} is a file.")
    checks.one_of("split", split, ("train", "test", "all"))
    checks.one_of("source", source, ("auto", "online", "offline"))
    seed = checks.integer("seed", seed, minimum=0)
    reseed = checks.boolean("reseed", reseed)
    checks.one_of("verbose", verbose, (0, 1, 2, "auto"))
    return minutes, epochs, out, seed, reseed, _callback_list("callbacks", callbacks)


def _fit_for(gan, data, minutes, epochs, verbose, callbacks):
    """``gan.fit`` on ``data`` repeated, for ``minutes`` of wall time (None: ``epochs``).

    One iterator for the whole run (``repeat()`` with ``steps_per_epoch``); the clock starts
    before the first step, so tracing counts. Returns ``(history, seconds)``.
    """
    from .callbacks import TimeLimit

    extra = callbacks + ([TimeLimit(60.0 * minutes)] if minutes is not None else [])
    start = time.perf_counter()
    history = gan.fit(
        data.repeat(),
        steps_per_epoch=int(data.cardinality()),
        epochs=epochs,
        verbose=verbose,
        callbacks=extra,
        shuffle=False,  # the dataset reshuffles itself every epoch; Keras' shuffle is for arrays
    )
    return history, time.perf_counter() - start


def _callback_list(name: str, value) -> list[keras.callbacks.Callback]:
    if isinstance(value, keras.callbacks.Callback) or not isinstance(value, list | tuple):
        raise TypeError(
            f"{name} must be a list of Keras callbacks, e.g. [my_callback]; "
            f"got {type(value).__name__}."
        )
    what = "a keras.callbacks.Callback"
    return [
        checks.instance(f"{name}[{i}]", c, keras.callbacks.Callback, what)
        for i, c in enumerate(value)
    ]


def load_generator(
    path: str | os.PathLike, config: DCGANConfig = DCGAN_MNIST_SMALL, fast: bool = False
) -> keras.Model:
    """A DCGAN generator with the weights ``train_dcgan`` saved (``OUT/generator.weights.h5``).

    Args:
        path: a ``.weights.h5`` file of a generator built from ``config``.
        config: the configuration the generator was trained with.
        fast: build it from the speed wing's layers (same weights and outputs).

    Returns:
        A generator mapping (N, config.latent_dim) latents to images (N, H, W, C) in [-1, 1].
        Taught in ``03_dcgan.ipynb``.
    """
    checks.instance("config", config, DCGANConfig, _CONFIG)
    fast = checks.boolean("fast", fast)
    path = checks.path("path", path, exists=True, suffix=".weights.h5")
    generator = build_dcgan_generator(config, fast=fast)
    checks.weights_file(
        "path",
        path,
        generator,
        "Is it the right file? If so, build the model with the config it was trained with.",
    )
    generator.load_weights(str(path))
    return generator


def _generator_fields(config: DCGANConfig) -> dict:
    """The fields of a config that shape its generator (the others shape the discriminator)."""
    return {
        "image_shape": config.image_shape,
        "latent_dim": config.latent_dim,
        "generator_width": config.generator_width or config.width,
        "refine_blocks": config.refine_blocks,
        "kernel_size": config.kernel_size,
    }


def load_pretrained_generator(
    config: DCGANConfig = DCGAN_MNIST_SMALL, fast: bool = False
) -> keras.Model:
    """The shipped generator of the CPU-friendly DCGAN (sha256-checked), ready to sample digits.

    Args:
        config: :data:`DCGAN_MNIST_SMALL`, the only one shipped (a config that differs from it
            in its discriminator only builds the same generator and is accepted).
        fast: build it from the speed wing's layers (same weights and outputs).

    Returns:
        A generator mapping (N, config.latent_dim) latents to (N, 28, 28, 1) digits in [-1, 1].
        Taught in ``03_dcgan.ipynb``.
    """
    from .data import shipped_path

    checks.instance("config", config, DCGANConfig, _CONFIG)
    fast = checks.boolean("fast", fast)
    shipped, yours = _generator_fields(DCGAN_MNIST_SMALL), _generator_fields(config)
    if yours != shipped:
        differ = ", ".join(
            f"{k}={yours[k]!r} (shipped: {shipped[k]!r})" for k in shipped if yours[k] != shipped[k]
        )
        raise ValueError(
            f"only the DCGAN_MNIST_SMALL generator is shipped, and config builds another one: "
            f"{differ}. Pass config=dcgan.DCGAN_MNIST_SMALL, or train this config with "
            "train_dcgan() and load it with load_generator()."
        )
    return load_generator(shipped_path(PRETRAINED_WEIGHTS), config, fast=fast)


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
    "discriminator_features",
    "make_dcgan",
    "train_dcgan",
    "load_generator",
    "load_pretrained_generator",
    "PRETRAINED_WEIGHTS",
]
