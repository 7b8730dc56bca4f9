"""Conditional GANs (Mirza and Osindero, 2014): both players see the label.

Reading order:

1. :class:`CGANConfig`: a DCGAN body (:mod:`imgen_helpers.dcgan`) plus how the label enters;
2. the builders: :func:`build_conditional_generator` (a learned label embedding concatenated to
   the noise, then the DCGAN generator) and :func:`build_conditional_discriminator`, which sees
   the label in one of two ways:

   * ``"concat"``: one-hot label planes stacked onto the image's channels (Mirza and
     Osindero's idea, as in keras.io's ``conditional_gan.py``); every layer may use the label;
   * ``"projection"`` (Miyato and Koyama, 2018): the image's features ``phi(x)`` give an
     unconditional score ``psi(phi(x))``, and the label adds ``embed(y) . phi(x)``, the inner
     product of a learned class vector with the features. The optimal discriminator is a log
     ratio that splits into ``log q(y|x)/p(y|x)`` plus ``log q(x)/p(x)``; when ``y`` given the
     features is log-linear (a softmax on ``phi(x)``), the first term is such an inner
     product plus a log-partition term that depends on ``x`` alone, which joins the second
     term in the unconditional score. The paper found it more stable and
     better than concatenation;
3. :class:`ConditionalGAN`, the :class:`imgen_helpers.gan.GAN` whose ``train_step`` passes the
   batch's labels to both players (fakes are made for the real batch's labels, so every class
   is trained as often as the data shows it);
4. :func:`make_cgan`, :func:`train_cgan` (also ``imgen train-cgan``), :func:`load_cgan_generator`,
   :func:`load_pretrained_cgan` and :func:`sample_digits`.

Conventions as in :mod:`imgen_helpers.gan`: images float32 in [-1, 1], labels int (N,) in
``0..num_classes-1``, the discriminator returns float32 logits (N, 1). Taught in
``10_conditional_gans.ipynb``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace

import keras
import numpy as np
from keras import layers, ops

from . import checks
from .dcgan import (
    DCGAN_MNIST_SMALL,
    DCGANConfig,
    DCGANRecipe,
    _fit_for,
    _run_arguments,
    build_dcgan_generator,
    discriminator_features,
)
from .gan import GAN, _apply, _f32

CONDITIONINGS = ("concat", "projection")

# ----------------------------------------------------------------------------------------------
# 1. The configuration
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CGANConfig:
    """A conditional GAN's networks: a DCGAN body and how the label enters each player."""

    body: DCGANConfig = DCGAN_MNIST_SMALL  # the DCGAN networks the label is added to
    num_classes: int = 10  # number of labels (10 digits)
    label_dim: int = 16  # length of the generator's learned label embedding
    conditioning: str = "projection"  # how D sees the label: "projection" or "concat"

    def __post_init__(self) -> None:
        checks.instance("body", self.body, DCGANConfig, "a DCGANConfig (e.g. DCGAN_MNIST_SMALL)")
        fields = {
            "num_classes": checks.integer("num_classes", self.num_classes, minimum=2),
            "label_dim": checks.positive_int("label_dim", self.label_dim),
            "conditioning": checks.one_of("conditioning", self.conditioning, CONDITIONINGS),
        }
        for name, value in fields.items():
            object.__setattr__(self, name, value)


CGAN_MNIST_SMALL = CGANConfig()
"""The CPU-friendly conditional GAN for MNIST: :data:`imgen_helpers.dcgan.DCGAN_MNIST_SMALL`'s
networks, a 16-long label embedding, the projection discriminator."""

CGAN_MNIST_SMALL_RECIPE = DCGANRecipe(batch_size=64, learning_rate=1e-3, ema=0.995, fast=True)
"""How :data:`CGAN_MNIST_SMALL` is trained: the DCGAN's 3-minute recipe (batch 64, Adam(1e-3,
beta_1=0.5), weight averaging). Here ``fast`` builds the networks from the speed wing's layers
only (:mod:`imgen_helpers.fast.layers`, same outputs); the training step stays the plain one."""

# ----------------------------------------------------------------------------------------------
# 2. Builders
# ----------------------------------------------------------------------------------------------


def _config(config) -> CGANConfig:
    return checks.instance("config", config, CGANConfig, "a CGANConfig (e.g. CGAN_MNIST_SMALL)")


def build_conditional_generator(
    config: CGANConfig = CGAN_MNIST_SMALL, fast: bool = False
) -> keras.Model:
    """The DCGAN generator fed ``[z, embed(label)]``: noise and a learned vector per class.

    Args:
        config: the body and the label embedding's length.
        fast: build the body from the speed wing's layers (same weights and outputs).

    Returns:
        A model mapping ``[latents float32 (N, latent_dim), labels int (N,)]`` to images
        (N, H, W, C) in [-1, 1], float32. Taught in ``10_conditional_gans.ipynb``.
    """
    config = _config(config)
    latent_dim = config.body.latent_dim
    body_config = replace(config.body, latent_dim=latent_dim + config.label_dim)
    body = build_dcgan_generator(body_config, fast=checks.boolean("fast", fast))
    latents = keras.Input((latent_dim,), name="latents")
    labels = keras.Input((), dtype="int32", name="labels")
    embedded = layers.Embedding(config.num_classes, config.label_dim, name="label_embedding")(
        labels
    )  # (batch, label_dim)
    x = layers.Concatenate(name="latents_and_label")([latents, embedded])
    return keras.Model([latents, labels], body(x), name="conditional_generator")


def build_conditional_discriminator(
    config: CGANConfig = CGAN_MNIST_SMALL, fast: bool = False
) -> keras.Model:
    """The DCGAN discriminator with the label, by concatenation or by projection.

    ``"concat"``: ``logit = w . phi([x, onehot(y) planes]) + b``.
    ``"projection"``: ``logit = w . phi(x) + b + embed(y) . phi(x)`` (Miyato and Koyama, 2018).

    Args:
        config: the body, ``num_classes`` and ``conditioning``.
        fast: build the body from the speed wing's layers (same weights and outputs).

    Returns:
        A model mapping ``[images (N, H, W, C) in [-1, 1], labels int (N,)]`` to float32
        logits (N, 1). Taught in ``10_conditional_gans.ipynb``.
    """
    config = _config(config)
    fast = checks.boolean("fast", fast)
    height, width, _ = config.body.image_shape
    k = config.num_classes
    images = keras.Input(config.body.image_shape, name="images")
    labels = keras.Input((), dtype="int32", name="labels")
    if config.conditioning == "concat":
        planes = layers.CategoryEncoding(k, output_mode="one_hot", name="one_hot")(labels)
        planes = layers.Reshape((1, 1, k), name="to_planes")(planes)
        planes = layers.UpSampling2D((height, width), name="label_planes")(planes)  # (N, H, W, k)
        x = layers.Concatenate(name="image_and_label")([images, planes])
        logits = layers.Dense(1, dtype="float32", name="logit")(
            discriminator_features(x, config.body, fast)
        )
        return keras.Model([images, labels], logits, name="concat_discriminator")
    features = discriminator_features(images, config.body, fast)  # (batch, F)
    unconditional = layers.Dense(1, dtype="float32", name="logit")(features)  # psi(phi(x))
    class_vectors = layers.Embedding(k, features.shape[-1], name="label_projection")(labels)
    projection = layers.Dot(axes=1, dtype="float32", name="projection")([class_vectors, features])
    logits = layers.Add(dtype="float32", name="logit_with_label")([unconditional, projection])
    return keras.Model([images, labels], logits, name="projection_discriminator")


# ----------------------------------------------------------------------------------------------
# 3. The model
# ----------------------------------------------------------------------------------------------


class ConditionalGAN(GAN):
    """A :class:`imgen_helpers.gan.GAN` whose players both see the label; ``fit()`` on pairs.

    ``fit()`` takes ``(images, labels)`` batches (``data.mnist_dataset(..., labels=True)``).
    Each step updates the discriminator on the real batch against fakes made for the same
    labels, then the generator with fresh noise for those labels. Metrics as in ``GAN``
    (``d_loss``, ``g_loss``, ``d_real``, ``d_fake``), without ``gp``.

    Args:
        generator: maps ``[latents (N, latent_dim), labels (N,)]`` to images.
        discriminator: maps ``[images, labels]`` to logits (N, 1).
        latent_dim: length of the noise vectors.
        num_classes: number of labels.
        loss: "non_saturating", "minimax" or "lsgan" (the Wasserstein losses need a gradient
            penalty or weight clipping written for two inputs: not offered).
        seed: seed of the noise drawn during training.
        ema: if set (e.g. 0.995), also keep ``ema_generator``, an average of the generator's
            weights (as in ``GAN``).
    """

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        latent_dim: int,
        num_classes: int = 10,
        loss: str = "non_saturating",
        seed: int | None = None,
        ema: float | None = None,
        **kwargs,
    ):
        for name in ("critic_steps", "gp_weight", "clip_value"):
            if name in kwargs:
                raise TypeError(
                    f"ConditionalGAN takes no {name}=: its step is one discriminator update and "
                    "one generator update, without the Wasserstein losses' clipping or penalty."
                )
        loss = checks.one_of("loss", loss, ("non_saturating", "minimax", "lsgan"))
        for name, model in (("generator", generator), ("discriminator", discriminator)):
            if len(getattr(checks.instance(name, model, keras.Model), "inputs", None) or ()) != 2:
                raise ValueError(
                    f"{name} must take two inputs, [data, labels]; build it with "
                    f"build_conditional_{name}() (an unconditional one belongs in gan.GAN)."
                )
        super().__init__(
            generator, discriminator, latent_dim, loss=loss, seed=seed, ema=ema, **kwargs
        )
        self.num_classes = checks.integer("num_classes", num_classes, minimum=2)
        del self.trackers["gp"]  # no gradient penalty here: no metric that is always 0

    def fit(self, x=None, *args, **kwargs):
        """``GAN.fit`` on ``(images, labels)``: a dataset of pairs, or images with ``y=labels``."""
        spec = getattr(x, "element_spec", None)
        if spec is not None and not (isinstance(spec, tuple) and len(spec) == 2):
            raise ValueError(
                "x yields images alone; a conditional GAN trains on (images, labels) pairs: "
                "make the dataset with data.mnist_dataset(..., labels=True)."
            )
        if spec is None and "y" not in kwargs and not args:
            raise ValueError(
                "x: a conditional GAN trains on (images, labels): pass a dataset of pairs "
                "(data.mnist_dataset(..., labels=True)) or fit(images, labels)."
            )
        if args or "y" in kwargs:
            y = kwargs.pop("y") if "y" in kwargs else args[0]
            args = args[1:]
            checks.labels("y", y, self.num_classes, count=len(x))
            kwargs["y"] = y
        return super().fit(x, *args, **kwargs)

    def call(self, inputs, training: bool = False):
        """Generate images from ``[latents (N, latent_dim), labels (N,)]``."""
        latents, labels = inputs
        return self.generator([latents, labels], training=training)

    def train_step(self, data):
        """One round of the game on a batch of real ``(images, labels)``; returns the metrics."""
        real, labels = data[0], data[1]
        real = _f32(real)
        batch_size = ops.shape(real)[0]
        fake = self.generator([self.latents(batch_size), labels], training=True)
        d_loss, real_out, fake_out = self.discriminator_step(real, fake, labels)
        g_loss = self.generator_step(self.latents(batch_size), labels)
        self.update_ema()
        return self.record(d_loss, g_loss, real_out, fake_out, ops.zeros((), "float32"))

    def discriminator_step(self, real, fake, labels):
        """One update of the discriminator: real and fake images, each with the batch's labels."""
        import tensorflow as tf

        with tf.GradientTape() as tape:
            real_out = _f32(self.discriminator([real, labels], training=True))
            fake_out = _f32(self.discriminator([fake, labels], training=True))
            d_loss = self.d_loss_fn(real_out, fake_out)
        _apply(self.d_optimizer, tape, d_loss, self.discriminator.trainable_variables)
        return d_loss, real_out, fake_out

    def generator_step(self, latents, labels):
        """One update of the generator: fakes of the given labels judged as those labels."""
        import tensorflow as tf

        with tf.GradientTape() as tape:
            fake = self.generator([latents, labels], training=True)
            g_loss = self.g_loss_fn(_f32(self.discriminator([fake, labels], training=True)))
        _apply(self.g_optimizer, tape, g_loss, self.generator.trainable_variables)
        return g_loss

    def generate(self, labels, seed: int | None = 0, batch_size: int = 500) -> np.ndarray:
        """Images of the given labels, float32 NumPy (N, H, W, C) in [-1, 1], seeded noise.

        Uses ``ema_generator`` when the model keeps one. ``labels``: int (N,).
        """
        generator = self.generator if self.ema_generator is None else self.ema_generator
        return sample_digits(generator, labels, seed=seed, batch_size=batch_size)


def sample_digits(
    generator: keras.Model, labels, seed: int | None = 0, batch_size: int = 500
) -> np.ndarray:
    """Run a conditional generator on seeded standard-normal noise and the given labels.

    Args:
        generator: a :func:`build_conditional_generator` model.
        labels: int labels (N,), one per image, or one int (for one image).
        seed: seed of the noise (NumPy generator), or None for fresh noise.
        batch_size: images per forward pass.

    Returns:
        float32 (N, H, W, C) in [-1, 1]. Taught in ``10_conditional_gans.ipynb``.
    """
    checks.instance("generator", generator, keras.Model, "a conditional generator")
    inputs = getattr(generator, "inputs", None) or ()
    if len(inputs) != 2:
        raise ValueError(
            "generator must take [latents, labels]; for an unconditional one use gan.sample()."
        )
    latent_dim = int(inputs[0].shape[-1])
    num_classes = generator.get_layer("label_embedding").input_dim
    labels = checks.labels("labels", labels, num_classes)
    if len(labels) == 0:
        raise ValueError("labels is empty: give one label per image to generate.")
    seed = None if seed is None else checks.integer("seed", seed, minimum=0)
    batch_size = checks.positive_int("batch_size", batch_size)
    rng = np.random.default_rng(seed)
    latents = rng.standard_normal((len(labels), latent_dim)).astype(np.float32)
    parts = [
        np.asarray(generator([latents[i : i + batch_size], labels[i : i + batch_size]]), np.float32)
        for i in range(0, len(labels), batch_size)
    ]
    return np.concatenate(parts)


# ----------------------------------------------------------------------------------------------
# 4. Making, training, loading
# ----------------------------------------------------------------------------------------------

PRETRAINED_WEIGHTS = "weights/cgan_mnist_small.weights.h5"
"""Shipped generator of :data:`CGAN_MNIST_SMALL` made by ``imgen train-cgan`` (under data/)."""

_RECIPE = "a DCGANRecipe (batch size, learning rate, ...; e.g. CGAN_MNIST_SMALL_RECIPE)"


def make_cgan(
    config: CGANConfig = CGAN_MNIST_SMALL,
    recipe: DCGANRecipe = CGAN_MNIST_SMALL_RECIPE,
    loss: str = "non_saturating",
    seed: int | None = 0,
    **compile_kwargs,
) -> ConditionalGAN:
    """Build and compile a conditional GAN: ``config``'s networks, trained as ``recipe`` says.

    Args:
        config: the networks (and ``conditioning``: "projection" or "concat").
        recipe: batch size, Adam's settings, weight averaging, ``fast`` (layers only).
        loss: "non_saturating", "minimax" or "lsgan".
        seed: seed of the training noise (a non-negative int, or None).
        **compile_kwargs: passed to ``compile`` (the optimizers come from ``recipe``).

    Returns:
        A compiled :class:`ConditionalGAN`. Taught in ``10_conditional_gans.ipynb``.
    """
    config = _config(config)
    checks.instance("recipe", recipe, DCGANRecipe, _RECIPE)
    seed = None if seed is None else checks.integer("seed", seed, minimum=0)
    for name in ("d_optimizer", "g_optimizer"):
        if name in compile_kwargs:
            raise TypeError(
                f"make_cgan builds {name} from the recipe (Adam with recipe.learning_rate and "
                "recipe.beta_1): change the recipe, or build a ConditionalGAN yourself."
            )
    gan = ConditionalGAN(
        build_conditional_generator(config, fast=recipe.fast),
        build_conditional_discriminator(config, fast=recipe.fast),
        config.body.latent_dim,
        num_classes=config.num_classes,
        loss=loss,
        seed=seed,
        ema=recipe.ema,
        name=f"cgan_{config.conditioning}",
    )
    gan.compile(
        d_optimizer=keras.optimizers.Adam(recipe.learning_rate, beta_1=recipe.beta_1),
        g_optimizer=keras.optimizers.Adam(recipe.learning_rate, beta_1=recipe.beta_1),
        **compile_kwargs,
    )
    return gan


def train_cgan(
    config: CGANConfig = CGAN_MNIST_SMALL,
    recipe: DCGANRecipe = CGAN_MNIST_SMALL_RECIPE,
    minutes: float | None = 3.0,
    epochs: int = 1000,
    out: str | os.PathLike | None = "runs/cgan",
    split: str = "train",
    source: str = "auto",
    seed: int = 0,
    reseed: bool = True,
    verbose: int = 2,
    callbacks: Sequence[keras.callbacks.Callback] = (),
) -> tuple[ConditionalGAN, keras.callbacks.History, float]:
    """Train a conditional GAN on labelled MNIST for ``minutes`` of wall time (or ``epochs``).

    As :func:`imgen_helpers.dcgan.train_dcgan` (one iterator for the whole run, the clock
    starts before tracing), but on ``(images, labels)`` and on the ``"train"`` split by
    default, so the held-out digits stay unseen for the Classification Accuracy Score.

    Args:
        config: the networks; 28x28 grey images.
        recipe: how to train them.
        minutes: wall-time budget (> 0); None trains for ``epochs`` epochs.
        epochs: maximum number of epochs.
        out: folder for ``generator.weights.h5`` (the averaged generator if ``recipe.ema``);
            None: do not save.
        split, source: which MNIST (see :func:`imgen_helpers.data.mnist_dataset`).
        seed: seeds weights, noise and shuffling.
        reseed: first call ``set_seed(seed)`` (process-wide); False leaves the generators alone.
        verbose: Keras ``fit`` verbosity: 0, 1, 2 or "auto".
        callbacks: a list of extra Keras callbacks.

    Returns:
        ``(gan, history, seconds of training)``. Taught in ``10_conditional_gans.ipynb``.
    """
    from .data import mnist_dataset
    from .runtime import set_seed

    config = _config(config)
    checks.instance("recipe", recipe, DCGANRecipe, _RECIPE)
    if config.body.image_shape != (28, 28, 1):
        raise ValueError(
            f"config makes {config.body.image_shape} images, but train_cgan trains on MNIST "
            "digits (28, 28, 1): use a 28x28 grey body such as dcgan.DCGAN_MNIST_SMALL."
        )
    minutes, epochs, out, seed, reseed, callbacks = _run_arguments(
        minutes, epochs, out, split, source, seed, reseed, verbose, callbacks
    )
    if reseed:
        set_seed(seed)
    data = mnist_dataset(
        split, recipe.batch_size, labels=True, source=source, seed=seed, drop_remainder=True
    )
    gan = make_cgan(config, recipe, seed=seed)
    history, seconds = _fit_for(gan, data, minutes, epochs, verbose, callbacks)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        best = gan.generator if gan.ema_generator is None else gan.ema_generator
        best.save_weights(str(out / "generator.weights.h5"))
    return gan, history, seconds


def load_cgan_generator(
    path: str | os.PathLike, config: CGANConfig = CGAN_MNIST_SMALL, fast: bool = False
) -> keras.Model:
    """A conditional generator with the weights ``train_cgan`` saved (``OUT/generator.weights.h5``).

    Args:
        path: a ``.weights.h5`` file of a generator built from ``config``.
        config: the configuration it was trained with (the discriminator's ``conditioning``
            does not matter here).
        fast: build it from the speed wing's layers (same weights and outputs).

    Returns:
        A generator mapping ``[latents, labels]`` to (N, 28, 28, 1) images in [-1, 1].
        Taught in ``10_conditional_gans.ipynb``.
    """
    config = _config(config)
    fast = checks.boolean("fast", fast)
    path = checks.path("path", path, exists=True, suffix=".weights.h5")
    generator = build_conditional_generator(config, fast=fast)
    checks.weights_file(
        "path", path, generator, "Is it a conditional generator built from this config?"
    )
    generator.load_weights(str(path))
    return generator


def load_pretrained_cgan(fast: bool = False) -> keras.Model:
    """The shipped generator of :data:`CGAN_MNIST_SMALL` (sha256-checked), ready to sample.

    Trained on the offline training split only (``imgen train-cgan --split train --source
    offline``; the command and its measured figures are in ``data/README.md``), so the
    held-out digits stay unseen.

    Args:
        fast: build it from the speed wing's layers (same weights and outputs).

    Returns:
        A generator mapping ``[latents (N, 64), labels (N,)]`` to (N, 28, 28, 1) digits in
        [-1, 1]. Taught in ``10_conditional_gans.ipynb``.
    """
    from .data import shipped_path

    fast = checks.boolean("fast", fast)
    return load_cgan_generator(shipped_path(PRETRAINED_WEIGHTS), CGAN_MNIST_SMALL, fast=fast)


__all__ = [
    "CONDITIONINGS",
    "CGANConfig",
    "CGAN_MNIST_SMALL",
    "CGAN_MNIST_SMALL_RECIPE",
    "build_conditional_generator",
    "build_conditional_discriminator",
    "ConditionalGAN",
    "sample_digits",
    "make_cgan",
    "train_cgan",
    "load_cgan_generator",
    "load_pretrained_cgan",
    "PRETRAINED_WEIGHTS",
]
