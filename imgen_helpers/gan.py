"""Generative adversarial networks, top to bottom: builders, losses, the GAN model, sampling.

Reading order:

1. the "first GAN" pair of ``02_first_gan.ipynb`` (a dense generator and a small convolutional
   discriminator); the DCGAN pair of ``03_dcgan.ipynb`` is in :mod:`imgen_helpers.dcgan`;
2. losses, pure functions of the discriminator's raw outputs (logits, never probabilities):
   minimax, non-saturating, least squares (LSGAN), Wasserstein, weight clipping and the
   WGAN-GP gradient penalty;
3. :class:`GAN`, a ``keras.Model`` whose ``train_step`` plays one round of the game (alternating
   updates, as in keras.io's ``dcgan_overriding_train_step.py`` and ``wgan_gp.py``), so a
   learner trains with ``fit()``;
4. :func:`sample` and :func:`interpolate_latents`.

Callbacks (pictures during training, checkpoints, time limits) are in
:mod:`imgen_helpers.callbacks`; MNIST and the procedural shapes in :mod:`imgen_helpers.data`.
Faster variants of the training step live in the speed wing, :mod:`imgen_helpers.fast.gan`.

Conventions: images are float32 in [-1, 1] (the generators end in tanh); discriminators end
in one linear unit computed in float32, so the same code runs under ``mixed_bfloat16`` and
``mixed_float16``. The probability "this is real" is ``sigmoid(logit)``; the losses apply
the sigmoid inside a numerically stable formula (``softplus``) instead of asking the model
for probabilities. Taught in ``02_first_gan.ipynb``, ``03_dcgan.ipynb`` and
``04_gan_failure_modes.ipynb``.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Sequence

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

from . import checks
from ._moved import moved

# ----------------------------------------------------------------------------------------------
# 1. The first GAN's builders
# ----------------------------------------------------------------------------------------------


def _check_image_shape(
    image_shape: Sequence[int], name: str = "image_shape"
) -> tuple[int, int, int]:
    if isinstance(image_shape, str | bytes) or not isinstance(image_shape, Sequence):
        raise TypeError(f"{name} must be a tuple (height, width, channels); got {image_shape!r}.")
    if len(image_shape) != 3:
        raise ValueError(
            f"{name} must be (height, width, channels), e.g. (28, 28, 1); got {image_shape!r}."
        )
    return tuple(checks.positive_int(f"{name}[{i}]", s) for i, s in enumerate(image_shape))


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
    latent_dim = checks.positive_int("latent_dim", latent_dim)
    image_shape = _check_image_shape(image_shape)
    latents = keras.Input((latent_dim,), name="latents")
    x = latents
    for i, units in enumerate((256, 512, 512)):
        x = layers.Dense(units, activation="relu", name=f"dense_{i}_{units}")(x)
    x = layers.Dense(math.prod(image_shape), activation="tanh", dtype="float32", name="to_pixels")(
        x
    )
    # float32 like the tanh before it (a mixed policy would otherwise cast it to bfloat16)
    images = layers.Reshape(image_shape, dtype="float32", name="to_image")(x)  # (N, H, W, C)
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


# ----------------------------------------------------------------------------------------------
# 2. Losses: pure functions of the discriminator's raw outputs
# ----------------------------------------------------------------------------------------------


def _f32(x):
    return ops.cast(x, "float32")


def _scores(name: str, x):
    """``x`` checked as discriminator outputs, shape (N,) or (N, 1).

    Arrays and eager tensors are also checked for NaN; inside a traced ``train_step`` only the
    static shape is looked at, so the check costs nothing per step.
    """
    if not hasattr(x, "shape") or isinstance(x, np.ndarray | np.generic):
        x = checks.array(name, x, ranks=(1, 2))  # lists and arrays: numbers, finite
    shape = tuple(x.shape)
    if len(shape) not in (1, 2) or (len(shape) == 2 and shape[1] not in (1, None)):
        raise ValueError(
            f"{name} must be the discriminator's outputs, shape (N,) or (N, 1); got shape "
            f"{shape}: pass D(images), not the images or class probabilities."
        )
    if shape[0] == 0:
        raise ValueError(f"{name} is empty (shape {shape}): the mean of no scores is NaN.")
    if isinstance(x, tf.Tensor) and tf.executing_eagerly():
        if not bool(tf.reduce_all(tf.math.is_finite(tf.cast(x, "float32")))):
            raise ValueError(f"{name} contains NaN or infinite values; find where they came from.")
    return x


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
    real_logits = _scores("real_logits", real_logits)
    fake_logits = _scores("fake_logits", fake_logits)
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
    fake_logits = _scores("fake_logits", fake_logits)
    return -ops.mean(ops.softplus(_f32(fake_logits)))


def generator_loss_non_saturating(fake_logits):
    """The non-saturating generator loss: ``-mean log D(G(z)) = mean softplus(-logit)``.

    Same fixed point as the minimax loss but strong gradients when the generator is losing.

    Args:
        fake_logits: discriminator logits on generated images, (N,) or (N, 1).

    Returns:
        A float32 scalar >= 0. Taught in ``02_first_gan.ipynb``.
    """
    fake_logits = _scores("fake_logits", fake_logits)
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
    real = _f32(_scores("real_outputs", real_outputs))
    fake = _f32(_scores("fake_outputs", fake_outputs))
    return 0.5 * ops.mean(ops.square(real - 1.0)) + 0.5 * ops.mean(ops.square(fake))


def lsgan_generator_loss(fake_outputs):
    """Least-squares generator loss (c=1): ``0.5 E (D(G(z)) - 1)^2`` on raw outputs.

    Returns:
        A float32 scalar >= 0.
    """
    fake_outputs = _scores("fake_outputs", fake_outputs)
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
    real_scores = _scores("real_scores", real_scores)
    fake_scores = _scores("fake_scores", fake_scores)
    return ops.mean(_f32(fake_scores)) - ops.mean(_f32(real_scores))


def wasserstein_generator_loss(fake_scores):
    """WGAN generator loss ``-E f(G(z))``.

    Returns:
        A float32 scalar (any sign).
    """
    fake_scores = _scores("fake_scores", fake_scores)
    return -ops.mean(_f32(fake_scores))


def clip_weights(model: keras.Model, clip_value: float) -> None:
    """Clip every trainable weight of ``model`` to [-clip_value, clip_value] in place (WGAN).

    Args:
        model: the critic.
        clip_value: a positive number (the WGAN paper uses 0.01).
    """
    checks.instance("model", model, keras.Model, "a keras.Model (the critic)")
    if checks.number("clip_value", clip_value) <= 0:
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
    if not tf.is_tensor(batch_size):  # a tensor inside a traced step: its size is checked there
        batch_size = checks.positive_int("batch_size", batch_size)
    rank = checks.integer("rank", rank, minimum=2)  # a batch axis and at least one more
    checks.seed("seed", seed)
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
    checks.instance("critic", critic, keras.Model, "a keras.Model (the critic)")
    real, fake = _f32(_batch("real", real)), _f32(_batch("fake", fake))
    if tuple(real.shape[1:]) != tuple(fake.shape[1:]):
        raise ValueError(
            f"real and fake must have the same shape; got {real.shape} and {fake.shape}."
        )
    checks.model_input("critic", critic, tuple(real.shape[1:]), "real and fake")
    checks.seed("seed", seed)
    rank = len(real.shape)
    eps = interpolation_weights(ops.shape(real)[0], rank, seed=seed)
    mixed = real + eps * (fake - real)
    with tf.GradientTape() as tape:
        tape.watch(mixed)
        scores = _f32(critic(mixed, training=True))
    grads = tape.gradient(scores, mixed)  # (batch, ...) d score_i / d x_i
    norms = ops.sqrt(ops.sum(ops.square(grads), axis=tuple(range(1, rank))) + 1e-12)  # (batch,)
    return ops.mean(ops.square(norms - 1.0))


def _batch(name: str, x):
    """``x`` checked as a batch (N, ...): arrays fully (numbers, finite), tensors by static rank."""
    if not hasattr(x, "shape") or isinstance(x, np.ndarray | np.generic):
        x = checks.array(name, x)
    if len(x.shape) < 2:
        raise ValueError(
            f"{name} must be a batch (N, H, W, C) or (N, D); got shape {tuple(x.shape)}: "
            "a single sample needs a batch axis, e.g. x[None]."
        )
    return x


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


class GAN(keras.Model):
    """A generator and a discriminator trained against each other with ``fit()``.

    Each ``train_step`` does ``critic_steps`` discriminator updates on the real batch against
    fresh fakes (the real batch is reused, as in keras.io's WGAN-GP), then one generator update
    with fresh noise against the updated discriminator. WGAN clips the critic's weights after
    each of its updates; WGAN-GP adds the gradient penalty to the critic's loss.

    Metrics: ``d_loss``, ``g_loss``, ``gp`` (0 unless WGAN-GP), ``d_real`` and ``d_fake``: the
    mean discriminator output on real and fake data, as a probability ``sigmoid(logit)`` for the
    "minimax" and "non_saturating" losses and as the raw score for "lsgan", "wgan", "wgan_gp".

    Works for images (N, H, W, C) and for points (N, D). Taught in ``02_first_gan.ipynb``.

    Args:
        generator: maps (N, latent_dim) noise to data.
        discriminator: maps data to (N, 1) logits or scores.
        latent_dim: length of the noise vectors.
        loss: "minimax", "non_saturating", "lsgan", "wgan" or "wgan_gp".
        critic_steps: discriminator updates per generator update (WGAN papers: 5).
        gp_weight: weight of the gradient penalty (WGAN-GP paper: 10); used by "wgan_gp".
        clip_value: clip the critic's weights to this after each update; None means 0.01
            (the WGAN paper's value) for loss="wgan" and no clipping otherwise.
        seed: seed of the noise (and penalty mixing weights) drawn during training.
        ema: if set (e.g. 0.995), also keep ``ema_generator``, an exponential moving average
            of the generator's weights updated after every step (Yazici et al., 2019); it
            averages out the oscillations of the game and usually draws cleaner samples.
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
        seed: int | None = None,
        ema: float | None = None,
        **kwargs,
    ):
        # Arguments checked at the door: a clear error now, not a TensorFlow one inside fit().
        _check_model_kwargs(type(self), kwargs)
        checks.instance("generator", generator, keras.Model, "a keras.Model")
        checks.instance("discriminator", discriminator, keras.Model, "a keras.Model")
        latent_dim = checks.positive_int("latent_dim", latent_dim)
        checks.model_input("generator", generator, (latent_dim,), f"latents of {latent_dim=}")
        if getattr(generator, "outputs", None):
            made = tuple(generator.outputs[0].shape[1:])
            checks.model_input("discriminator", discriminator, made, "the generator's outputs")
        loss = checks.one_of("loss", loss, LOSSES)
        critic_steps = checks.positive_int("critic_steps", critic_steps)
        gp_weight = checks.non_negative("gp_weight", gp_weight)
        if clip_value is not None:
            clip_value = checks.positive("clip_value", clip_value)
        seed = None if seed is None else checks.integer("seed", seed, minimum=0)
        if ema is not None:  # a decay in (0, 1), e.g. 0.995
            ema = checks.number("ema", ema, above=0.0, below=1.0)
        super().__init__(**kwargs)
        self.generator, self.discriminator = generator, discriminator
        self.latent_dim, self.loss_name = latent_dim, loss
        self.critic_steps, self.gp_weight = critic_steps, gp_weight
        self.clip_value = 0.01 if clip_value is None and loss == "wgan" else clip_value
        self.d_loss_fn, self.g_loss_fn = LOSSES[loss]
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.ema, self.ema_generator = ema, None
        if ema is not None:
            self.ema_generator = keras.models.clone_model(generator)
            self.ema_generator.set_weights(generator.get_weights())
        names = ("d_loss", "g_loss", "d_real", "d_fake", "gp")
        self.trackers = {name: keras.metrics.Mean(name=name) for name in names}
        self.built = True  # both players are built models; nothing else to create

    def compile(self, d_optimizer=None, g_optimizer=None, **kwargs) -> None:
        """Set one optimizer per player (defaults: Adam(2e-4, beta_1=0.5) each).

        Both are built at once, so a checkpoint can be restored right after compiling. Under
        ``mixed_float16`` both are wrapped in a ``LossScaleOptimizer``. Other keyword arguments
        (``jit_compile``, ``steps_per_execution``, ...) go to ``keras.Model.compile``.
        """
        for wrong in ("optimizer", "loss"):
            if wrong in kwargs:
                raise TypeError(
                    f"GAN.compile takes no {wrong}=: give d_optimizer= and g_optimizer= (one per "
                    "player); the loss is chosen when the GAN is made, GAN(..., loss=...)."
                )
        d_optimizer = _check_optimizer("d_optimizer", d_optimizer)
        g_optimizer = _check_optimizer("g_optimizer", g_optimizer)
        if d_optimizer is g_optimizer:
            raise ValueError(
                "d_optimizer and g_optimizer must be two optimizer instances: give each player "
                "its own (their states differ)."
            )
        super().compile(**kwargs)
        if keras.mixed_precision.global_policy().name == "mixed_float16":
            d_optimizer = keras.optimizers.LossScaleOptimizer(d_optimizer)
            g_optimizer = keras.optimizers.LossScaleOptimizer(g_optimizer)
        d_optimizer.build(self.discriminator.trainable_variables)
        g_optimizer.build(self.generator.trainable_variables)
        self.d_optimizer, self.g_optimizer = d_optimizer, g_optimizer

    def fit(self, x=None, *args, **kwargs):
        """``keras.Model.fit``, after checking ``x`` against the discriminator's input.

        Images must be float in [-1, 1] with the shape the discriminator takes (uint8 pixels in
        [0, 255] would train without complaint on the wrong scale); other data must be finite.
        A ``tf.data`` dataset shuffles itself, so ``shuffle`` defaults to False for one.
        """
        _check_training_data("x", x, _input_shape(self.discriminator))
        kwargs.setdefault("shuffle", not isinstance(x, tf.data.Dataset))  # no Keras warning
        return super().fit(x, *args, **kwargs)

    @property
    def metrics(self):
        return list(self.trackers.values())

    def call(self, latents, training: bool = False):
        """Generate data from latents (N, latent_dim)."""
        _check_latents("latents", latents, self.latent_dim)
        return self.generator(latents, training=training)

    def latents(self, batch_size):
        """Standard-normal noise (batch_size, latent_dim) from the model's seeded generator."""
        return keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)

    def train_step(self, data):
        """One round of the game on a batch of real data; returns the metrics' running means."""
        real = _f32(data[0] if isinstance(data, tuple | list) else data)
        batch_size = ops.shape(real)[0]
        for _ in range(self.critic_steps):  # a Python loop: unrolled when traced
            fake = self.generator(self.latents(batch_size), training=True)
            d_loss, real_out, fake_out, gp = self.discriminator_step(real, fake)
        g_loss = self.generator_step(self.latents(batch_size))
        self.update_ema()
        return self.record(d_loss, g_loss, real_out, fake_out, gp)

    def discriminator_step(self, real, fake):
        """One update of the discriminator on ``real`` against ``fake``; returns its numbers."""
        with tf.GradientTape() as tape:
            real_out = _f32(self.discriminator(real, training=True))
            fake_out = _f32(self.discriminator(fake, training=True))
            d_loss = self.d_loss_fn(real_out, fake_out)
            gp = ops.zeros((), "float32")
            if self.loss_name == "wgan_gp":
                gp = gradient_penalty(self.discriminator, real, fake, seed=self.seed_generator)
                d_loss = d_loss + self.gp_weight * gp
        _apply(self.d_optimizer, tape, d_loss, self.discriminator.trainable_variables)
        if self.clip_value is not None:
            clip_weights(self.discriminator, self.clip_value)
        return d_loss, real_out, fake_out, gp

    def generator_step(self, latents):
        """One update of the generator against the (just updated) discriminator."""
        with tf.GradientTape() as tape:
            fake = self.generator(latents, training=True)
            g_loss = self.g_loss_fn(_f32(self.discriminator(fake, training=True)))
        _apply(self.g_optimizer, tape, g_loss, self.generator.trainable_variables)
        return g_loss

    def update_ema(self) -> None:
        """Move ``ema_generator``'s weights a step ``1 - ema`` towards the generator's."""
        if self.ema_generator is None:
            return
        for average, weight in zip(self.ema_generator.weights, self.generator.weights, strict=True):
            average.assign(self.ema * average + (1.0 - self.ema) * ops.cast(weight, average.dtype))

    def record(self, d_loss, g_loss, real_out, fake_out, gp) -> dict:
        """Update the metric trackers and return their running means."""
        as_reported = ops.sigmoid if self.loss_name in ("minimax", "non_saturating") else _same
        values = {
            "d_loss": d_loss,
            "g_loss": g_loss,
            "d_real": ops.mean(as_reported(real_out)),
            "d_fake": ops.mean(as_reported(fake_out)),
            "gp": gp,
        }
        for name, tracker in self.trackers.items():  # a subclass may track fewer
            tracker.update_state(values[name])
        return {name: tracker.result() for name, tracker in self.trackers.items()}

    def generate(self, num: int, seed: int | None = 0, batch_size: int = 500) -> np.ndarray:
        """``num`` samples, float32 NumPy (e.g. (num, H, W, C) in [-1, 1]), from seeded noise.

        Uses ``ema_generator`` when the model keeps one.
        """
        generator = self.generator if self.ema_generator is None else self.ema_generator
        return sample(generator, num, self.latent_dim, seed=seed, batch_size=batch_size)


def _same(x):
    return x


def _apply(optimizer, tape, loss, variables) -> None:
    """Gradients of ``loss`` on ``tape`` applied to ``variables`` (with loss scaling if any)."""
    with tape:  # recorded, or a LossScaleOptimizer's scaling (mixed_float16) has no gradient
        scaled = optimizer.scale_loss(loss)
    grads = tape.gradient(scaled, variables)
    optimizer.apply_gradients(zip(grads, variables, strict=True))


_MODEL_KWARGS = ("name", "trainable", "dtype")


def _check_model_kwargs(cls: type, kwargs: dict) -> None:
    """Refuse a misspelled keyword here, not deep inside ``keras.Model``."""
    for key in kwargs:
        if key in ("update", "reuse_fakes") and cls is GAN:
            raise TypeError(
                f"GAN({key}=...) moved to the speed wing in imgen_helpers 0.2: use "
                f"imgen_helpers.fast.gan.FastGAN(..., {key}=...)."
            )
        if key not in _MODEL_KWARGS:
            own = [  # GAN's arguments and a subclass's own (FastGAN's update, reuse_fakes)
                name
                for c in reversed(cls.__mro__[: cls.__mro__.index(GAN) + 1])
                for name in inspect.signature(c.__init__).parameters
                if name not in ("self", "args", "kwargs")
            ]
            raise TypeError(
                f"{cls.__name__}() got an unexpected keyword argument {key!r}; it takes "
                f"{', '.join(own)}."
            )


def _check_optimizer(name: str, optimizer):
    """A Keras optimizer (default Adam(2e-4, beta_1=0.5)): positive rate, betas in [0, 1)."""
    if optimizer is None:
        return keras.optimizers.Adam(2e-4, beta_1=0.5)
    example = "e.g. keras.optimizers.Adam(2e-4, beta_1=0.5)"
    checks.instance(name, optimizer, keras.optimizers.Optimizer, f"a keras optimizer, {example}")
    inner = getattr(optimizer, "inner_optimizer", optimizer)  # a LossScaleOptimizer's own
    config = inner.get_config()
    if isinstance(config.get("learning_rate"), int | float):  # not a schedule
        checks.positive(f"{name}'s learning_rate", config["learning_rate"])
    for beta in ("beta_1", "beta_2"):
        if isinstance(config.get(beta), int | float):
            checks.number(f"{name}'s {beta}", config[beta], minimum=0.0, below=1.0)
    return optimizer


def _input_shape(model: keras.Model) -> tuple | None:
    """The (H, W, C) or (D,) a built model takes, or None for a subclassed model not built yet."""
    inputs = getattr(model, "inputs", None)
    return tuple(inputs[0].shape[1:]) if inputs else None


def _check_training_data(name: str, data, shape: tuple | None) -> None:
    """What ``fit()`` gets: images in [-1, 1] for an image discriminator, finite data otherwise."""
    if isinstance(data, keras.utils.PyDataset) or inspect.isgenerator(data):
        return  # batches made on the fly: looking at one would consume it
    if shape is not None and len(shape) == 3:
        checks.training_images(name, data, value_range="symmetric", shape=shape)
    elif not isinstance(data, tf.data.Dataset):
        checks.array(name, data, shape=None if shape is None else (None, *shape))


def _check_latents(name: str, latents, latent_dim: int):
    """Latents (N, latent_dim): arrays fully (finite), tensors by static shape."""
    if not hasattr(latents, "shape") or isinstance(latents, np.ndarray | np.generic):
        return checks.latents(name, latents, latent_dim)
    shape = tuple(latents.shape)
    if len(shape) != 2 or shape[1] not in (latent_dim, None):
        raise ValueError(
            f"{name} must have shape (N, {latent_dim}); got {shape}: draw them with "
            f"latent_dim={latent_dim} and keep the batch axis (z[None] for one vector)."
        )
    return latents


# ----------------------------------------------------------------------------------------------
# 4. Sampling
# ----------------------------------------------------------------------------------------------


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
    checks.instance("generator", generator, keras.Model, "a keras.Model mapping latents to data")
    num = checks.positive_int("num", num)
    if latent_dim is None:
        if _input_shape(generator) is None:
            raise ValueError("latent_dim: this generator does not say its input size; pass it.")
        latent_dim = _input_shape(generator)[-1]
    latent_dim = checks.positive_int("latent_dim", latent_dim)
    checks.model_input("generator", generator, (latent_dim,), f"latents of {latent_dim=}")
    seed = None if seed is None else checks.integer("seed", seed, minimum=0)
    batch_size = checks.positive_int("batch_size", batch_size)
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
    start, end = checks.array("start", start, ranks=(1,)), checks.array("end", end, ranks=(1,))
    if start.shape != end.shape:
        raise ValueError(
            f"start and end must be latents of equal length; got {start.shape}, {end.shape}."
        )
    steps = checks.integer("steps", steps, minimum=2)  # both ends at least
    method = checks.one_of("method", method, ("slerp", "linear"))
    t = np.linspace(0.0, 1.0, steps, dtype=np.float32)[:, None]
    if method == "linear":
        return (1 - t) * start + t * end
    cos = np.dot(start, end) / (np.linalg.norm(start) * np.linalg.norm(end) + 1e-12)
    omega = np.arccos(np.clip(cos, -1.0, 1.0))
    if omega < 1e-6:
        return (1 - t) * start + t * end
    return (np.sin((1 - t) * omega) * start + np.sin(t * omega) * end) / np.sin(omega)


_MOVED = {
    **{
        name: f"imgen_helpers.callbacks.{name}"
        for name in ("SampleGrid", "Checkpoint", "latest_checkpoint", "EpochTimer", "TimeLimit")
    },
    **{
        name: f"imgen_helpers.data.{name}"
        for name in ("mnist_dataset", "make_shapes", "shapes_dataset", "SHAPES")
    },
}


def __getattr__(name: str):
    from . import dcgan  # imported here: dcgan builds on this module

    moved(__name__, name, _MOVED | {n: f"imgen_helpers.dcgan.{n}" for n in dcgan.__all__})


__all__ = [
    "build_first_generator",
    "build_first_discriminator",
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
]
