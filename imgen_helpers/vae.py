"""Variational autoencoders on MNIST: model, honest ELBO, IWAE bound, beta-VAE, conditional VAE.

Reads top to bottom like keras.io's ``examples/generative/vae.py``: the config, the encoder and
decoder builders, the reparameterisation trick, the loss pieces (pure functions), the
:class:`VAE` ``keras.Model`` with its ``train_step`` (trained with Keras' own ``fit()``), the
recommended training recipe, and evaluation (test ELBO and the importance weighted bound).
The input pipeline is :func:`imgen_helpers.data.mnist_dataset` (``pixels="dynamic"``);
checkpoints are :class:`imgen_helpers.callbacks.Checkpoint` and
:func:`imgen_helpers.callbacks.restore_checkpoint`. Taught in ``05_vae.ipynb``.

Conventions:

* every loss piece is in **nats per image**: summed over the pixels and latent dimensions
  of one image, one number per image (shape ``(N,)``); take the mean over a batch yourself;
* ``reconstruction`` is the log-likelihood log p(x|z) (a negative number for Bernoulli
  pixels), ``kl`` is KL(q(z|x) || N(0, I)) (non-negative), ``elbo = reconstruction - kl``;
* the decoder returns **logits**; ``sigmoid(logits)`` is the Bernoulli mean (pixel
  probability) in [0, 1], or the Gaussian mean in [0, 1] for the Gaussian likelihood;
* MNIST is binarised **dynamically** for training (each pixel is 1 with probability equal to
  its intensity, redrawn every epoch) and once, with a fixed seed, for testing. Static
  thresholding at 0.5 (the TensorFlow CVAE tutorial) gives much higher (better looking)
  ELBOs, because thresholded digits carry less information: always say which binarisation a
  number was measured on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

from . import checks
from ._moved import moved

LIKELIHOODS = ("bernoulli", "gaussian")
_LOG_2PI = math.log(2.0 * math.pi)


# --------------------------------------------------------------------------- config
@dataclass(frozen=True)
class VAEConfig:
    """Architecture of a convolutional VAE (the TensorFlow CVAE tutorial's by default)."""

    image_shape: tuple[int, int, int] = (28, 28, 1)  # (H, W, channels); H, W divisible by 4
    latent_dim: int = 16  # size of the latent vector z
    filters: tuple[int, int] = (32, 64)  # encoder 3x3 stride-2 convolutions; decoder mirrors
    decoder_channels: int = 32  # channels of the decoder's first (H/4, W/4) feature map
    likelihood: Literal["bernoulli", "gaussian"] = "bernoulli"  # p(x|z) per pixel
    gaussian_scale: float | None = None  # fixed sigma of the Gaussian likelihood; None: learned
    num_classes: int = 0  # > 0 makes a conditional VAE: the label goes to encoder and decoder

    def __post_init__(self) -> None:
        scale = self.gaussian_scale
        clean = {
            "image_shape": checks.int_tuple(
                "image_shape", self.image_shape, 3, layout="(height, width, channels)"
            ),
            "latent_dim": checks.positive_int("latent_dim", self.latent_dim),
            "filters": checks.int_tuple("filters", self.filters, 2, layout="(filters1, filters2)"),
            "decoder_channels": checks.positive_int("decoder_channels", self.decoder_channels),
            "likelihood": checks.one_of("likelihood", self.likelihood, LIKELIHOODS),
            "gaussian_scale": None if scale is None else checks.positive("gaussian_scale", scale),
            "num_classes": checks.integer("num_classes", self.num_classes, minimum=0),
        }
        for name, value in clean.items():  # frozen: store the cleaned values (16.0 -> 16)
            object.__setattr__(self, name, value)
        height, width, _ = self.image_shape
        if height % 4 or width % 4:
            raise ValueError(
                f"image_shape height and width must be divisible by 4 (two stride-2 "
                f"upsamplings), got {height}x{width}: pad the images, e.g. to 28x28 or 32x32."
            )
        if scale is not None and self.likelihood != "gaussian":
            raise ValueError(
                f"gaussian_scale={scale} only applies to likelihood='gaussian'; this config's "
                f"likelihood is {self.likelihood!r}: drop gaussian_scale or switch likelihood."
            )

    @property
    def conditional(self) -> bool:
        """True when the encoder and decoder also see a one-hot label."""
        return self.num_classes > 0


# --------------------------------------------------------------------------- builders
def build_encoder(config: VAEConfig) -> keras.Model:
    """Convolutions to the mean and log-variance of a diagonal Gaussian q(z|x).

    Args:
        config: the architecture.

    Returns:
        ``keras.Model`` named ``"encoder"``: images (N, H, W, C) float32 in [0, 1] (plus a
        one-hot label (N, num_classes) for a conditional VAE) -> ``(mean, log_var)``, each
        float32 (N, latent_dim).
    """
    checks.instance("config", config, VAEConfig)
    images = keras.Input(config.image_shape, name="images")
    inputs = [images]
    h = layers.Conv2D(config.filters[0], 3, strides=2, activation="relu", name="enc_conv1")(images)
    h = layers.Conv2D(config.filters[1], 3, strides=2, activation="relu", name="enc_conv2")(h)
    h = layers.Flatten(name="enc_flatten")(h)  # (N, 6*6*64) for 28x28 digits
    if config.conditional:
        label = keras.Input((config.num_classes,), name="label_one_hot")
        inputs.append(label)
        h = layers.Concatenate(name="enc_with_label")([h, label])
    mean = layers.Dense(config.latent_dim, dtype="float32", name="z_mean")(h)
    log_var = layers.Dense(config.latent_dim, dtype="float32", name="z_log_var")(h)
    return keras.Model(inputs, [mean, log_var], name="encoder")


def build_decoder(config: VAEConfig) -> keras.Model:
    """Transposed convolutions from z to per-pixel logits.

    Args:
        config: the architecture.

    Returns:
        ``keras.Model`` named ``"decoder"``: z (N, latent_dim) (plus a one-hot label for a
        conditional VAE) -> logits float32 (N, H, W, C); ``sigmoid(logits)`` in [0, 1] is the
        pixel mean.
    """
    checks.instance("config", config, VAEConfig)
    height, width, channels = config.image_shape
    z = keras.Input((config.latent_dim,), name="z")
    inputs = [z]
    h = z
    if config.conditional:
        label = keras.Input((config.num_classes,), name="label_one_hot")
        inputs.append(label)
        h = layers.Concatenate(name="dec_with_label")([z, label])
    small = (height // 4, width // 4, config.decoder_channels)
    h = layers.Dense(int(np.prod(small)), activation="relu", name="dec_dense")(h)
    h = layers.Reshape(small, name="dec_reshape")(h)  # (N, H/4, W/4, decoder_channels)
    up1, up2 = config.filters[1], config.filters[0]
    h = layers.Conv2DTranspose(up1, 3, 2, padding="same", activation="relu", name="dec_up1")(h)
    h = layers.Conv2DTranspose(up2, 3, 2, padding="same", activation="relu", name="dec_up2")(h)
    logits = layers.Conv2DTranspose(
        channels, 3, 1, padding="same", dtype="float32", name="dec_logits"
    )(h)
    return keras.Model(inputs, logits, name="decoder")


# --------------------------------------------------------------------------- the trick
def reparameterise(mean, log_var, seed=None):
    """Draw z ~ N(mean, exp(log_var)) as ``mean + exp(log_var / 2) * eps``, eps ~ N(0, I).

    The noise ``eps`` depends on no parameter, so gradients reach ``mean`` and ``log_var``
    (and through them the encoder) and none flows into the noise.

    Args:
        mean: float tensor (N, latent_dim).
        log_var: float tensor (N, latent_dim), log of the variance.
        seed: int, ``keras.random.SeedGenerator`` or None.

    Returns:
        z, float tensor (N, latent_dim).
    """
    checks.tensors(same_shape=True, mean=mean, log_var=log_var)
    seed = checks.seed("seed", seed)
    mean = ops.convert_to_tensor(mean)
    if not mean.dtype.is_floating:  # a list of ints
        mean = ops.cast(mean, "float32")
    eps = keras.random.normal(tf.shape(mean), dtype=mean.dtype, seed=seed)
    return mean + ops.exp(0.5 * log_var) * eps


# --------------------------------------------------------------------------- losses (pure)
def reconstruction_log_likelihood(x, logits, likelihood: str = "bernoulli", log_scale=None):
    """log p(x|z) in nats per image, summed over pixels.

    Args:
        x: target images (N, H, W, C) float in [0, 1] (binary for the Bernoulli likelihood).
        logits: decoder output, same shape. Bernoulli: logits of each pixel being 1.
            Gaussian: ``sigmoid(logits)`` is the mean.
        likelihood: ``"bernoulli"`` or ``"gaussian"``.
        log_scale: Gaussian only: log of the standard deviation (a scalar or broadcastable).

    Returns:
        float32 (N,): log-likelihood of each image in nats (<= 0 for Bernoulli).
    """
    if tf.executing_eagerly():  # see checks.tensors
        checks.images("x", x, value_range="unit", ranks=(4,))
    checks.tensors(same_shape=True, x=x, logits=logits)
    checks.one_of("likelihood", likelihood, LIKELIHOODS)
    if likelihood == "gaussian" and log_scale is None:
        raise ValueError("log_scale is needed by the Gaussian likelihood: pass log(sigma).")
    if log_scale is not None:
        checks.tensors(log_scale=log_scale)
    x = ops.cast(x, "float32")
    logits = ops.cast(logits, "float32")
    if likelihood == "bernoulli":
        # log p = x*log(sigmoid(l)) + (1-x)*log(1-sigmoid(l)) = -softplus(l) + x*l, stably.
        per_pixel = x * logits - ops.softplus(logits)
    else:  # gaussian
        log_scale = ops.cast(log_scale, "float32")
        mean = ops.sigmoid(logits)
        per_pixel = -0.5 * ops.square((x - mean) * ops.exp(-log_scale)) - log_scale - 0.5 * _LOG_2PI
    return ops.sum(ops.reshape(per_pixel, (ops.shape(per_pixel)[0], -1)), axis=1)


def kl_to_standard_normal(mean, log_var):
    """Closed-form KL(N(mean, exp(log_var)) || N(0, I)) in nats per image.

    ``0.5 * sum(exp(log_var) + mean**2 - 1 - log_var)`` over the latent dimensions.

    Args:
        mean, log_var: float (N, latent_dim).

    Returns:
        float32 (N,), >= 0; exactly 0 when mean = 0 and log_var = 0.
    """
    checks.tensors(same_shape=True, mean=mean, log_var=log_var)
    mean = ops.cast(mean, "float32")
    log_var = ops.cast(log_var, "float32")
    return 0.5 * ops.sum(ops.exp(log_var) + ops.square(mean) - 1.0 - log_var, axis=-1)


def log_normal_pdf(z, mean, log_var):
    """log N(z; mean, diag(exp(log_var))) in nats, summed over the last axis.

    Args:
        z, mean, log_var: float (..., latent_dim), broadcastable.

    Returns:
        float32 (...,).
    """
    checks.tensors(z=z, mean=mean, log_var=log_var)
    if tf.executing_eagerly() and np.ndim(z) == 0:
        raise ValueError("z must have a latent axis (..., latent_dim); got a single number.")
    z, mean, log_var = (ops.cast(t, "float32") for t in (z, mean, log_var))
    return -0.5 * ops.sum(ops.square(z - mean) * ops.exp(-log_var) + log_var + _LOG_2PI, axis=-1)


def elbo(reconstruction, kl, beta: float = 1.0):
    """The evidence lower bound ``reconstruction - beta * kl``, nats per image.

    With ``beta = 1`` this is the ELBO, a lower bound on log p(x). Other values give the
    beta-VAE objective (Higgins et al. 2017): beta > 1 pushes q(z|x) towards the prior
    (smoother latents, blurrier reconstructions); it is still a (looser) lower bound.
    beta < 1 favours reconstruction and is no longer a bound on log p(x).

    Args:
        reconstruction: log p(x|z), (N,).
        kl: KL(q(z|x) || p(z)), (N,).
        beta: weight on the KL term, >= 0.

    Returns:
        float32 (N,).
    """
    checks.tensors(same_shape=True, reconstruction=reconstruction, kl=kl)
    beta = checks.non_negative("beta", beta)
    return ops.cast(reconstruction, "float32") - beta * ops.cast(kl, "float32")


def iwae_bound(log_weights):
    """Importance weighted bound ``log (1/K) sum_k w_k`` from log-weights (K, N).

    ``log w_k = log p(x|z_k) + log p(z_k) - log q(z_k|x)`` with z_k ~ q(z|x). For the same
    samples it is never below their average ``mean_k log w_k`` (the K-sample ELBO), and it
    tightens towards log p(x) as K grows (Burda, Grosse, Salakhutdinov 2016).

    Args:
        log_weights: float (K, N), finite: K samples for each of N images.

    Returns:
        float32 (N,), nats per image.
    """
    if tf.executing_eagerly():  # see checks.tensors
        checks.array("log_weights", log_weights, ranks=(2,))
    log_weights = ops.cast(log_weights, "float32")
    k = ops.cast(ops.shape(log_weights)[0], "float32")
    return ops.logsumexp(log_weights, axis=0) - ops.log(k)


# --------------------------------------------------------------------------- the model
class VAE(keras.Model):
    """A (conditional) convolutional VAE; ``fit()`` on images, or (images, labels) pairs.

    Metrics, all in nats per image averaged over the epoch: ``loss`` (the negative
    beta-weighted objective that is minimised), ``elbo`` (always with beta = 1),
    ``reconstruction`` (log p(x|z)), ``kl``.

    Args:
        config: the architecture.
        beta: KL weight during training (1 = the plain VAE).
        seed: seed of the sampling noise (int or None).
    """

    def __init__(self, config: VAEConfig | None = None, beta: float = 1.0, seed=None, **kwargs):
        config = checks.instance("config", VAEConfig() if config is None else config, VAEConfig)
        beta = checks.non_negative("beta", beta)
        seed = None if seed is None else checks.integer("seed", seed)
        super().__init__(name=kwargs.pop("name", "vae"), **kwargs)
        self.config, self.beta = config, beta
        self.encoder = build_encoder(config)
        self.decoder = build_decoder(config)
        self.seed_generator = keras.random.SeedGenerator(seed, name="vae_noise")
        self.log_scale = None  # log sigma of the Gaussian likelihood, learned unless fixed
        if config.likelihood == "gaussian":
            fixed = config.gaussian_scale
            self.log_scale = self.add_weight(
                shape=(),
                name="log_scale",
                trainable=fixed is None,
                initializer=keras.initializers.Constant(math.log(fixed) if fixed else 0.0),
            )
        names = ("loss", "elbo", "reconstruction", "kl")
        self.trackers = {name: keras.metrics.Mean(name=name) for name in names}
        self.built = True

    @property
    def metrics(self):
        return list(self.trackers.values())

    def fit(self, x=None, y=None, *args, **kwargs):
        """Keras' ``fit``, once the data is checked: images in [0, 1] of this model's shape."""
        checks.training_images("x", x, value_range="unit", shape=self.config.image_shape)
        if kwargs.get("validation_data") is not None:
            checks.training_images(
                "validation_data",
                kwargs["validation_data"],
                value_range="unit",
                shape=self.config.image_shape,
            )
        self._check_training_labels(x, y)
        kwargs.setdefault("shuffle", not isinstance(x, tf.data.Dataset))  # no Keras warning
        return super().fit(x, y, *args, **kwargs)

    def _check_training_labels(self, x, y) -> None:
        """A conditional VAE trains on (images, labels): labels must be there and in range."""
        if not self.config.conditional:
            return
        name, labels = "y", y
        if isinstance(x, tf.data.Dataset):
            if not (isinstance(x.element_spec, tuple) and len(x.element_spec) == 2):
                labels = None
            else:  # values only where looking does not change the order (checks.first_batch)
                first = checks.first_batch("x", x)
                labels = [0] if first is None else first[1]
            name = "x"
        elif isinstance(x, tuple | list):
            name, labels = "x", x[1] if len(x) == 2 else None
        if labels is None:
            raise ValueError(
                f"{name}: this conditional VAE (num_classes={self.config.num_classes}) trains on "
                "(images, labels): pass fit(images, labels) or a dataset of (images, labels) "
                "pairs, e.g. mnist_dataset(..., labels=True)."
            )
        checks.labels(name, labels, self.config.num_classes)

    def _labels(self, labels, batch):
        """``labels`` for ``batch`` (one each, in range), or None for an unconditional VAE."""
        if not self.config.conditional:
            if labels is not None:
                raise ValueError(
                    "labels: this VAE is unconditional (num_classes=0): do not pass labels."
                )
            return None
        if labels is None:
            raise ValueError(
                f"labels: this conditional VAE needs labels, integers in "
                f"[0, {self.config.num_classes}), one per image."
            )
        if not tf.executing_eagerly():  # see checks.tensors
            return labels
        return checks.labels("labels", labels, self.config.num_classes, count=len(batch))

    def _inputs(self, tensor, labels):
        """``[tensor]``, or ``[tensor, one_hot(labels)]`` for a conditional VAE."""
        labels = self._labels(labels, tensor)
        if labels is None:
            return [tensor]
        return [tensor, ops.one_hot(ops.cast(labels, "int32"), self.config.num_classes)]

    def _check_images(self, images) -> None:
        """Eager ``images`` must be float (N, H, W, C) in [0, 1] of this model's shape."""
        if tf.executing_eagerly():  # see checks.tensors
            height, width, channels = self.config.image_shape
            checks.images("images", images, size=(height, width), channels=channels)

    def encode(self, images, labels=None, training: bool = False):
        """(mean, log_var), each float32 (N, latent_dim), of q(z|x[, label])."""
        self._check_images(images)
        return self.encoder(self._inputs(images, labels), training=training)

    def decode_logits(self, z, labels=None, training: bool = False):
        """Decoder logits float32 (N, H, W, C) for latents z (N, latent_dim)."""
        if tf.executing_eagerly():  # see checks.tensors
            checks.latents("z", z, self.config.latent_dim)
        return self.decoder(self._inputs(z, labels), training=training)

    def decode(self, z, labels=None):
        """Pixel means float32 (N, H, W, C) in [0, 1] (``sigmoid`` of the logits)."""
        return ops.sigmoid(self.decode_logits(z, labels))

    def call(self, inputs, training: bool = False):
        """Reconstruction (decoded posterior mean) in [0, 1] of images or (images, labels)."""
        images, labels = self._split(inputs)
        mean, _ = self.encode(images, labels, training=training)
        return ops.sigmoid(self.decode_logits(mean, labels, training=training))

    def _split(self, data):
        """(images, labels or None) from what ``fit()`` passes: images or (images, labels)."""
        if not isinstance(data, tuple | list):
            return data, None
        if len(data) not in (1, 2):
            raise ValueError(f"expected images or (images, labels), got {len(data)} items.")
        labels = data[1] if len(data) == 2 and self.config.conditional else None
        return data[0], labels

    def loss_terms(self, images, labels=None, training: bool = False):
        """Per-image ``(reconstruction, kl)`` in nats, each float32 (N,), one z sample each."""
        mean, log_var = self.encode(images, labels, training=training)
        z = reparameterise(mean, log_var, seed=self.seed_generator)
        logits = self.decode_logits(z, labels, training=training)
        recon = reconstruction_log_likelihood(
            images, logits, self.config.likelihood, self.log_scale
        )
        return recon, kl_to_standard_normal(mean, log_var)

    def train_step(self, data):
        images, labels = self._split(data)
        with tf.GradientTape() as tape:
            recon, kl = self.loss_terms(images, labels, training=True)
            loss = -ops.mean(elbo(recon, kl, self.beta))
            scaled = self.optimizer.scale_loss(loss)  # no-op unless mixed_float16
        grads = tape.gradient(scaled, self.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights, strict=True))
        return self._update_metrics(loss, recon, kl)

    def test_step(self, data):
        images, labels = self._split(data)
        recon, kl = self.loss_terms(images, labels, training=False)
        return self._update_metrics(-ops.mean(elbo(recon, kl, self.beta)), recon, kl)

    def _update_metrics(self, loss, recon, kl):
        self.trackers["loss"].update_state(loss)
        self.trackers["elbo"].update_state(ops.mean(elbo(recon, kl)))
        self.trackers["reconstruction"].update_state(ops.mean(recon))
        self.trackers["kl"].update_state(ops.mean(kl))
        return {name: tracker.result() for name, tracker in self.trackers.items()}

    def sample(self, num: int | None = None, labels=None, seed=None, fixed_latents=None):
        """Decode latents drawn from the prior N(0, I) into pixel means.

        Args:
            num: how many images (may be left out when ``fixed_latents`` is given).
            labels: conditional VAE: int labels (num,) or one int for all.
            seed: seed of the prior draw (int or ``keras.random.SeedGenerator``); None draws
                from Keras' global generator (set by ``set_seed``).
            fixed_latents: (num, latent_dim) latents to decode instead of drawing new ones.

        Returns:
            float32 numpy (num, H, W, C) in [0, 1].
        """
        seed = checks.seed("seed", seed)
        if fixed_latents is None:
            if num is None:
                raise ValueError("num: give num >= 1 or fixed_latents of shape (num, latent_dim).")
            num = checks.positive_int("num", num)
            z = keras.random.normal((num, self.config.latent_dim), seed=seed)
        else:
            z = ops.convert_to_tensor(
                checks.latents("fixed_latents", fixed_latents, self.config.latent_dim)
            )
            if num is not None and checks.positive_int("num", num) != z.shape[0]:
                raise ValueError(
                    f"num={num} but fixed_latents holds {z.shape[0]} latents: give only one."
                )
        if self.config.conditional and labels is not None and np.ndim(labels) == 0:
            label = checks.labels("labels", labels, self.config.num_classes)[0]
            labels = np.full((z.shape[0],), label, np.int32)  # one digit for all samples
        return ops.convert_to_numpy(self.decode(z, labels))


# --------------------------------------------------------------------------- the recipe
@dataclass(frozen=True)
class VAERecipe:
    """How to train a :class:`VAE` (the architecture is in :class:`VAEConfig`).

    The defaults are the course's recommended configuration, chosen by wall-clock time to the
    test ELBO that the TensorFlow CVAE tutorial's recipe (Adam 1e-4, batch 32) reaches after
    10 epochs: ``python benchmarks/vae.py`` (float32; ``mixed_bfloat16`` was no faster on a
    CPU). Figures and the configurations tried are in ``benchmarks/RESULTS.md``.
    """

    batch_size: int = 64  # images per step
    learning_rate: float = 4e-3  # Adam's step size
    steps_per_execution: int = 25  # training steps per TensorFlow call (less Python overhead)

    def __post_init__(self) -> None:
        clean = {
            "batch_size": checks.positive_int("batch_size", self.batch_size),
            "learning_rate": _learning_rate(self.learning_rate),
            "steps_per_execution": checks.positive_int(
                "steps_per_execution", self.steps_per_execution
            ),
        }
        for name, value in clean.items():  # frozen: store the cleaned values
            object.__setattr__(self, name, value)


def _learning_rate(value) -> float:
    """Adam's step size: above 0 and at most 1 (4e3 for 4e-3 would diverge without a word)."""
    return checks.number("learning_rate", value, above=0.0, maximum=1.0)


RECOMMENDED = VAERecipe()


def default_optimizer(
    learning_rate: float = RECOMMENDED.learning_rate,
) -> keras.optimizers.Optimizer:
    """Adam with the given learning rate (the recommended configuration's by default)."""
    return keras.optimizers.Adam(_learning_rate(learning_rate))


# --------------------------------------------------------------------------- evaluation
def _posterior_samples(model: VAE, images, labels, k: int, seed):
    """(log p(x|z_k), log p(z_k) - log q(z_k|x), KL), shapes (K, N), (K, N), (N,)."""
    images = ops.convert_to_tensor(images)
    mean, log_var = model.encode(images, labels)
    n, latent_dim = int(mean.shape[0]), model.config.latent_dim
    eps = keras.random.normal((k, n, latent_dim), seed=seed)
    z = mean[None] + ops.exp(0.5 * log_var)[None] * eps  # (K, N, latent_dim)
    flat_labels = None if labels is None else np.tile(labels, k)
    logits = model.decode_logits(ops.reshape(z, (k * n, latent_dim)), flat_labels)
    flat_x = ops.tile(images, (k, 1, 1, 1))  # (K*N, H, W, C), sample-major like z
    log_px = reconstruction_log_likelihood(flat_x, logits, model.config.likelihood, model.log_scale)
    log_prior_ratio = log_normal_pdf(z, 0.0, 0.0) - log_normal_pdf(z, mean[None], log_var[None])
    return ops.reshape(log_px, (k, n)), log_prior_ratio, kl_to_standard_normal(mean, log_var)


def _check_bound_inputs(model, images, labels):
    """The model, its test images (float32 in [0, 1], its shape) and labels, checked."""
    checks.instance("model", model, VAE, "a VAE")
    height, width, channels = model.config.image_shape
    images = checks.images("images", images, size=(height, width), channels=channels)
    return images, model._labels(labels, images)


def log_importance_weights(model: VAE, images, labels=None, k: int = 64, seed=0):
    """log w_k = log p(x|z_k) + log p(z_k) - log q(z_k|x) for K samples z_k ~ q(z|x).

    Args:
        model: a trained :class:`VAE`.
        images: float32 (N, H, W, C), binarised like the training data.
        labels: int labels (N,) for a conditional VAE.
        k: samples per image.
        seed: seed of the K draws.

    Returns:
        float32 (K, N), nats.
    """
    images, labels = _check_bound_inputs(model, images, labels)
    k, seed = checks.positive_int("k", k), checks.seed("seed", seed)
    log_px, log_prior_ratio, _ = _posterior_samples(model, images, labels, k, seed)
    return log_px + log_prior_ratio


def evaluate_bounds(
    model: VAE, images, labels=None, k: int = 64, batch_size: int = 50, seed: int = 0
) -> dict[str, float]:
    """Test-set ELBO and IWAE estimate of log p(x), mean nats per image.

    All three use the same K draws per image:

    * ``elbo``: reconstruction averaged over the K draws minus the closed-form KL;
    * ``elbo_k``: the Monte-Carlo ELBO ``mean_k log w_k`` (never above ``iwae``);
    * ``iwae``: ``log mean_k w_k``, the importance weighted bound (>= the ELBO in
      expectation, and closer to log p(x) as K grows).

    Args:
        model: a trained :class:`VAE`.
        images: float32 (N, H, W, C), binarised like the training data.
        labels: int (N,) for a conditional VAE.
        k: importance samples per image.
        batch_size: images per pass (memory grows with k * batch_size).
        seed: base seed; batch i uses seed + i.

    Returns:
        ``{"elbo": ..., "elbo_k": ..., "iwae": ..., "k": k, "n": N}``. Taught in ``05_vae.ipynb``.
    """
    images, labels = _check_bound_inputs(model, images, labels)
    k, batch_size = checks.positive_int("k", k), checks.positive_int("batch_size", batch_size)
    seed = checks.integer("seed", seed)
    sums = {"elbo": 0.0, "elbo_k": 0.0, "iwae": 0.0}
    for i, start in enumerate(range(0, len(images), batch_size)):
        x = images[start : start + batch_size]
        y = None if labels is None else labels[start : start + batch_size]
        log_px, log_prior_ratio, kl = _posterior_samples(model, x, y, k, seed + i)
        log_w = log_px + log_prior_ratio
        sums["elbo"] += float(ops.sum(ops.mean(log_px, axis=0) - kl))
        sums["elbo_k"] += float(ops.sum(ops.mean(log_w, axis=0)))
        sums["iwae"] += float(ops.sum(iwae_bound(log_w)))
    n = len(images)
    return {name: value / n for name, value in sums.items()} | {"k": k, "n": n}


# --------------------------------------------------------------------------- moved names
_MOVED = {
    "mnist_dataset": "imgen_helpers.data.mnist_dataset (pixels= replaces binarization=)",
    "binarize": "imgen_helpers.data.binarize",
    "dataset_arrays": "imgen_helpers.data.dataset_arrays",
    "BINARIZATIONS": "imgen_helpers.data.PIXELS",
    "restore": "imgen_helpers.callbacks.restore_checkpoint",
    "Checkpoint": "imgen_helpers.callbacks.Checkpoint",
    "latest_checkpoint": "imgen_helpers.callbacks.latest_checkpoint",
}


def __getattr__(name: str):
    moved(__name__, name, _MOVED)
