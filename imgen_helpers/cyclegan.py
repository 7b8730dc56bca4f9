"""Unpaired image-to-image translation (CycleGAN, Zhu et al., 2017): style transfer by a GAN.

There are no pairs (nobody painted the photograph in the painter's style), only two piles of
images: photographs (domain A) and crops of a painting (domain B). Two generators learn the
two directions, ``G: photo -> painting`` and ``F: painting -> photo``; two discriminators say
whether an image looks like its domain. What keeps ``G`` from inventing any painting it likes
is the *cycle*: ``F(G(a))`` must give the photograph back, and ``G(F(b))`` the painting.

Reading order:

1. :class:`CycleGANConfig`, the sizes;
2. :func:`build_generator`: lesson 07's transformation network (Zhu et al. took Johnson et
   al.'s network for their generators), small enough for a CPU;
3. :func:`build_discriminator`: a PatchGAN on one image (there is no input to pair it with),
   with instance normalisation, as in the paper;
4. the losses, pure functions: :func:`cycle_loss` and :func:`identity_loss` (L1); the
   adversarial terms are lesson 04's least-squares losses
   (:func:`imgen_helpers.gan.lsgan_generator_loss`), the paper's choice, averaged over patches;
5. :class:`CycleGAN`, the ``keras.Model``: each ``train_step`` takes a batch of photographs and
   a batch of painting crops, updates both generators on ``adversarial + cycle_weight * cycle +
   identity_weight * identity`` and then both discriminators;
6. :func:`unpaired_dataset`, :func:`train_cyclegan`, :func:`stylize_cyclegan`, saving and
   loading, and :func:`load_pretrained_cyclegan` (the shipped photo-to-*Great Wave* generator).

Images are float32 RGB in [0, 1], (N, H, W, 3), as in lessons 06 and 07. Left out, for
brevity: the paper's pool of 50 past fakes for the discriminators (keras.io's CycleGAN leaves
it out too) and its learning-rate decay. Taught in ``11_image_translation.ipynb``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

from . import checks
from .gan import _apply, _check_optimizer, _f32, lsgan_discriminator_loss, lsgan_generator_loss
from .pix2pix import _filters, patch_logits, patch_specs
from .style_network import TransformNetConfig, build_transform_net, content_dataset

# ----------------------------------------------------------------------------------------------
# 1. The configuration
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CycleGANConfig:
    """The sizes of CycleGAN's generators and discriminators (the paper's are for 256 px)."""

    generator: TransformNetConfig = TransformNetConfig(filters=(16, 32, 64), residual_blocks=3)
    patch_filters: tuple[int, ...] = (32, 64)  # PatchGAN's stride-2 convolutions
    patch_deep: int = 128  # PatchGAN's stride-1 convolution before the logits

    def __post_init__(self) -> None:
        checks.instance("generator", self.generator, TransformNetConfig, "a TransformNetConfig")
        object.__setattr__(self, "patch_filters", _filters("patch_filters", self.patch_filters))
        object.__setattr__(self, "patch_deep", checks.positive_int("patch_deep", self.patch_deep))


CYCLEGAN_SMALL = CycleGANConfig()
"""The CPU-sized CycleGAN for 64-pixel crops: generators 16/32/64 channels wide with three
residual blocks; discriminators whose logits each judge a 34-pixel patch (:func:`receptive_field`
of :func:`discriminator_layers`), about half a crop."""


def _config(config) -> CycleGANConfig:
    return checks.instance("config", config, CycleGANConfig, "a CycleGANConfig")


# ----------------------------------------------------------------------------------------------
# 2 and 3. Builders
# ----------------------------------------------------------------------------------------------


def build_generator(
    config: CycleGANConfig = CYCLEGAN_SMALL, name: str = "generator"
) -> keras.Model:
    """One direction of the translation: lesson 07's transformation network.

    Zhu et al.'s generator is Johnson et al.'s network (strided convolutions down, residual
    blocks, back up, instance normalisation); lesson 07's version upsamples by nearest
    neighbour and a convolution instead of transposed convolutions (no checkerboards) and
    ends in a sigmoid, so images stay in [0, 1] as in lessons 06 and 07.

    Args:
        config: sizes (``config.generator``).
        name: the model's name (``"photo_to_painting"``, say).

    Returns:
        A model mapping (N, H, W, 3) in [0, 1] to (N, H, W, 3) float32 in [0, 1], any H, W.
    """
    config = _config(config)
    checks.instance("name", name, str, "a string")
    generator = build_transform_net(config.generator)
    return keras.Model(generator.input, generator.output, name=name)


def discriminator_layers(config: CycleGANConfig = CYCLEGAN_SMALL) -> list[tuple[int, int]]:
    """(kernel, stride) of each discriminator convolution, input to logits, for
    :func:`imgen_helpers.pix2pix.receptive_field`."""
    return patch_specs(len(_config(config).patch_filters))


def build_discriminator(
    config: CycleGANConfig = CYCLEGAN_SMALL, name: str = "discriminator"
) -> keras.Model:
    """A PatchGAN on one image: (N, H, W, 3) in [0, 1] -> a grid of float32 scores (N, h, w, 1).

    The images are moved to [-1, 1], then :func:`imgen_helpers.pix2pix.patch_logits` with
    instance normalisation. Unlike pix2pix's, it sees no input image: in unpaired translation
    it can only ask "does this patch look like the domain?". Its outputs are raw scores for the
    least-squares losses (no sigmoid).
    """
    config = _config(config)
    checks.instance("name", name, str, "a string")
    images = keras.Input((None, None, 3), name="images")
    x = layers.Rescaling(2.0, offset=-1.0, name="to_symmetric")(images)
    scores = patch_logits(x, config.patch_filters, config.patch_deep, norm="instance")
    return keras.Model(images, scores, name=name)


# ----------------------------------------------------------------------------------------------
# 4. Losses: pure functions
# ----------------------------------------------------------------------------------------------


def cycle_loss(real, cycled):
    """Cycle consistency: ``mean |F(G(a)) - a|``, the round trip should give the image back.

    Args:
        real: images of one domain, (N, H, W, C).
        cycled: the same images sent to the other domain and back, same shape.

    Returns:
        A float32 scalar >= 0; zero exactly when the round trip changes no pixel.
    """
    checks.tensors(same_shape=True, real=real, cycled=cycled)
    return ops.mean(ops.abs(_f32(cycled) - _f32(real)))


def identity_loss(real, same):
    """Identity: ``mean |G(b) - b|``, a generator given an image already in its target domain
    should leave it alone (Zhu et al. add it for paintings to keep the photograph's colours).

    Args:
        real: images of the generator's *target* domain, (N, H, W, C).
        same: the generator's output on them, same shape.

    Returns:
        A float32 scalar >= 0; zero exactly when the generator changes no pixel.
    """
    checks.tensors(same_shape=True, real=real, same=same)
    return ops.mean(ops.abs(_f32(same) - _f32(real)))


def _per_patch(scores):
    """A grid of patch scores (N, h, w, 1) as one column (N*h*w, 1) for lesson 04's losses."""
    return ops.reshape(_f32(scores), (-1, 1))


# ----------------------------------------------------------------------------------------------
# 5. The model
# ----------------------------------------------------------------------------------------------


class CycleGAN(keras.Model):
    """Two generators and two discriminators trained on unpaired (photos, paintings) batches.

    Each ``train_step`` (as keras.io's CycleGAN, with one optimizer per side):

    * generators: ``lsgan(D_B(G(a))) + lsgan(D_A(F(b)))`` (fool the judges)
      ``+ cycle_weight * (|F(G(a)) - a| + |G(F(b)) - b|)``
      ``+ identity_weight * (|G(b) - b| + |F(a) - a|)``;
    * discriminators: least squares, real crops of their domain -> 1, the generators' -> 0.

    Metrics: ``g_loss``, ``adversarial``, ``cycle``, ``identity``, ``d_loss``.

    Args:
        photo_to_painting, painting_to_photo: :func:`build_generator` models (G and F).
        photo_judge, painting_judge: :func:`build_discriminator` models (D_A and D_B).
        cycle_weight: 10, the paper's lambda. Lesson 04's least-squares generator loss
            carries a factor 1/2 that the paper's does not, so relative to the adversarial term
            the cycle term weighs as the paper's lambda = 20 would.
        identity_weight: 5, the paper's 0.5 * lambda (0: no identity term).
    """

    def __init__(
        self,
        photo_to_painting: keras.Model,
        painting_to_photo: keras.Model,
        photo_judge: keras.Model,
        painting_judge: keras.Model,
        cycle_weight: float = 10.0,
        identity_weight: float = 5.0,
        **kwargs,
    ):
        players = {
            "photo_to_painting": photo_to_painting,
            "painting_to_photo": painting_to_photo,
            "photo_judge": photo_judge,
            "painting_judge": painting_judge,
        }
        for key, model in players.items():
            checks.instance(
                key, model, keras.Model, "a keras.Model (build_generator/discriminator)"
            )
        if len({id(m) for m in players.values()}) != 4:
            raise ValueError("the four networks must be four different models; build each one.")
        super().__init__(**kwargs)
        self.photo_to_painting, self.painting_to_photo = photo_to_painting, painting_to_photo
        self.photo_judge, self.painting_judge = photo_judge, painting_judge
        self.cycle_weight = checks.non_negative("cycle_weight", cycle_weight)
        self.identity_weight = checks.non_negative("identity_weight", identity_weight)
        names = ("g_loss", "adversarial", "cycle", "identity", "d_loss")
        self.trackers = {name: keras.metrics.Mean(name=name) for name in names}
        self.built = True

    @property
    def generator_variables(self) -> list:
        return (
            self.photo_to_painting.trainable_variables + self.painting_to_photo.trainable_variables
        )

    @property
    def discriminator_variables(self) -> list:
        return self.photo_judge.trainable_variables + self.painting_judge.trainable_variables

    def compile(self, g_optimizer=None, d_optimizer=None, **kwargs) -> None:
        """One optimizer for both generators, one for both discriminators (defaults:
        Adam(2e-4, beta_1=0.5), the paper's). Adam treats every variable on its own, so one
        optimizer over two networks is two optimizers with the same settings."""
        g_optimizer = _check_optimizer("g_optimizer", g_optimizer)
        d_optimizer = _check_optimizer("d_optimizer", d_optimizer)
        if d_optimizer is g_optimizer:
            raise ValueError("d_optimizer and g_optimizer must be two optimizer instances.")
        super().compile(**kwargs)
        if keras.mixed_precision.global_policy().name == "mixed_float16":
            g_optimizer = keras.optimizers.LossScaleOptimizer(g_optimizer)
            d_optimizer = keras.optimizers.LossScaleOptimizer(d_optimizer)
        g_optimizer.build(self.generator_variables)
        d_optimizer.build(self.discriminator_variables)
        self.g_optimizer, self.d_optimizer = g_optimizer, d_optimizer

    @property
    def metrics(self):
        return list(self.trackers.values())

    def fit(self, x=None, *args, **kwargs):
        """``keras.Model.fit`` on a dataset of ``(photos, paintings)`` batches in [0, 1]
        (:func:`unpaired_dataset` makes one)."""
        if not isinstance(x, tf.data.Dataset):
            raise TypeError(
                "x must be a tf.data.Dataset of (photos, paintings) batches, e.g. "
                f"cyclegan.unpaired_dataset(); got {type(x).__name__}."
            )
        spec = x.element_spec
        if not isinstance(spec, tuple) or len(spec) != 2:
            raise ValueError(
                "x must yield (photos, paintings) pairs of batches, e.g. "
                f"cyclegan.unpaired_dataset(); it yields {spec}."
            )
        checks.training_images("x", x, value_range="unit")
        first = checks.first_batch("x", x)
        if first is not None:
            checks.training_images("x's paintings", first[1], value_range="unit")
        kwargs.setdefault("shuffle", False)
        return super().fit(x, *args, **kwargs)

    def call(self, photos, training: bool = False):
        """Photographs (N, H, W, 3) in [0, 1] in the painting's style."""
        return self.photo_to_painting(photos, training=training)

    def generator_losses(self, photos, paintings, training: bool = False) -> dict:
        """The generators' weighted loss and its three parts on one batch of each domain."""
        g, f = self.photo_to_painting, self.painting_to_photo
        fake_paintings = g(photos, training=training)
        fake_photos = f(paintings, training=training)
        adversarial = lsgan_generator_loss(
            _per_patch(self.painting_judge(fake_paintings, training=training))
        ) + lsgan_generator_loss(_per_patch(self.photo_judge(fake_photos, training=training)))
        cycle = cycle_loss(photos, f(fake_paintings, training=training)) + cycle_loss(
            paintings, g(fake_photos, training=training)
        )
        identity = ops.zeros((), "float32")
        if self.identity_weight > 0:
            identity = identity_loss(paintings, g(paintings, training=training)) + identity_loss(
                photos, f(photos, training=training)
            )
        total = adversarial + self.cycle_weight * cycle + self.identity_weight * identity
        return {
            "g_loss": total,
            "adversarial": adversarial,
            "cycle": cycle,
            "identity": identity,
            "fake_paintings": fake_paintings,
            "fake_photos": fake_photos,
        }

    def train_step(self, data):
        """One update of both generators, then of both discriminators."""
        photos, paintings = _f32(data[0]), _f32(data[1])
        with tf.GradientTape() as tape:
            losses = self.generator_losses(photos, paintings, training=True)
        _apply(self.g_optimizer, tape, losses["g_loss"], self.generator_variables)
        fake_paintings = ops.stop_gradient(losses["fake_paintings"])
        fake_photos = ops.stop_gradient(losses["fake_photos"])
        with tf.GradientTape() as tape:
            d_loss = lsgan_discriminator_loss(
                _per_patch(self.painting_judge(paintings, training=True)),
                _per_patch(self.painting_judge(fake_paintings, training=True)),
            ) + lsgan_discriminator_loss(
                _per_patch(self.photo_judge(photos, training=True)),
                _per_patch(self.photo_judge(fake_photos, training=True)),
            )
        _apply(self.d_optimizer, tape, d_loss, self.discriminator_variables)
        for name in ("g_loss", "adversarial", "cycle", "identity"):
            self.trackers[name].update_state(losses[name])
        self.trackers["d_loss"].update_state(d_loss)
        return {name: tracker.result() for name, tracker in self.trackers.items()}


# ----------------------------------------------------------------------------------------------
# 6. Data, training, use
# ----------------------------------------------------------------------------------------------

PHOTOS = ("astronaut", "coffee", "rocket")
"""The training photographs (scikit-image's); ``"chelsea"`` is kept out for the comparison
with lessons 06 and 07."""

PAINTING = "wave"
"""The painting whose crops are domain B: Hokusai's *The Great Wave off Kanagawa*."""


def unpaired_dataset(
    photos: Sequence[str] = PHOTOS,
    paintings: Sequence[str] = (PAINTING,),
    crop_size: int = 64,
    batch_size: int = 4,
    seed: int = 0,
) -> tf.data.Dataset:
    """Endless ``(photo crops, painting crops)`` batches, drawn independently: no pairs.

    Each side is :func:`imgen_helpers.style_network.content_dataset` (each image shrunk so its
    short side is 1.25 crops, then random crops and flips). It draws from the random keys
    ``seed``, ``seed + 1`` and ``seed + 2``; the paintings use ``seed + 3`` and up, so no draw of
    one side repeats a draw of the other.

    Returns:
        ``tf.data.Dataset`` of float32 pairs, each (batch_size, crop_size, crop_size, 3) in [0, 1].
    """
    seed = checks.integer("seed", seed, minimum=0)
    for name, value in (("photos", photos), ("paintings", paintings)):
        if isinstance(value, str | os.PathLike) or not isinstance(value, Sequence) or not value:
            raise TypeError(
                f"{name} must be a non-empty tuple of image names, e.g. ('coffee',); got {value!r}."
            )
    a = content_dataset(photos, crop_size=crop_size, batch_size=batch_size, seed=seed)
    b = content_dataset(paintings, crop_size=crop_size, batch_size=batch_size, seed=seed + 3)
    return tf.data.Dataset.zip((a, b))


def make_cyclegan(config: CycleGANConfig = CYCLEGAN_SMALL, seed: int = 0) -> CycleGAN:
    """A compiled :class:`CycleGAN` of ``config`` (weights drawn after ``set_seed(seed)``)."""
    from .runtime import set_seed

    config = _config(config)
    set_seed(checks.integer("seed", seed, minimum=0))
    model = CycleGAN(
        build_generator(config, "photo_to_painting"),
        build_generator(config, "painting_to_photo"),
        build_discriminator(config, "photo_judge"),
        build_discriminator(config, "painting_judge"),
    )
    model.compile()
    return model


def train_cyclegan(
    config: CycleGANConfig = CYCLEGAN_SMALL,
    steps: int = 1000,
    minutes: float | None = None,
    batch_size: int = 1,
    crop_size: int = 64,
    out: str | os.PathLike | None = "runs/cyclegan",
    seed: int = 0,
    verbose: int = 2,
    callbacks: Sequence[keras.callbacks.Callback] = (),
) -> tuple[CycleGAN, keras.callbacks.History, float]:
    """Train photographs <-> *The Great Wave* for ``steps`` steps (or ``minutes``, if sooner).

    Args:
        config: the networks.
        steps: number of training steps (one batch of each domain each).
        minutes: optional wall-time budget (> 0); training stops at whichever comes first.
        batch_size, crop_size: crops per batch (the paper's 1: on a CPU it also gives the
            most images per second) and their side in pixels.
        out: folder for ``photo_to_painting.weights.h5`` and ``painting_to_photo.weights.h5``;
            None: do not save.
        seed: seeds weights and crops.
        verbose: Keras ``fit`` verbosity: 0, 1, 2 or "auto".
        callbacks: a list of extra Keras callbacks (checkpoints, say).

    Returns:
        ``(model, history, seconds of training)``. Taught in ``11_image_translation.ipynb``.
    """
    from .callbacks import TimeLimit
    from .dcgan import _callback_list

    steps = checks.positive_int("steps", steps)
    minutes = None if minutes is None else checks.positive("minutes", minutes)
    if out is not None:
        out = checks.path("out", out)
        if out.exists() and not out.is_dir():
            raise ValueError(f"out must be a folder; {str(out)!r} is a file.")
    checks.one_of("verbose", verbose, (0, 1, 2, "auto"))
    callbacks = _callback_list("callbacks", callbacks)
    model = make_cyclegan(config, seed=seed)
    data = unpaired_dataset(crop_size=crop_size, batch_size=batch_size, seed=seed)
    per_epoch = max(d for d in range(1, 101) if steps % d == 0)  # epochs * per_epoch == steps
    extra = callbacks + ([TimeLimit(60.0 * minutes)] if minutes is not None else [])
    start = time.perf_counter()
    history = model.fit(
        data,
        steps_per_epoch=per_epoch,
        epochs=steps // per_epoch,
        verbose=verbose,
        callbacks=extra,
    )
    seconds = time.perf_counter() - start
    if out is not None:
        save_cyclegan(model, out)
    return model, history, seconds


def save_cyclegan(model: CycleGAN, out: str | os.PathLike) -> None:
    """Write both generators' weights to the folder ``out`` (created if missing)."""
    checks.instance("model", model, CycleGAN, "a CycleGAN")
    out = checks.path("out", out)
    out.mkdir(parents=True, exist_ok=True)
    model.photo_to_painting.save_weights(str(out / "photo_to_painting.weights.h5"))
    model.painting_to_photo.save_weights(str(out / "painting_to_photo.weights.h5"))


def load_cyclegan_generator(
    path: str | os.PathLike, config: CycleGANConfig = CYCLEGAN_SMALL
) -> keras.Model:
    """A generator with the weights :func:`save_cyclegan` wrote (either direction)."""
    config = _config(config)
    path = checks.path("path", path, exists=True, suffix=".weights.h5")
    generator = build_generator(config, path.name.removesuffix(".weights.h5"))
    checks.weights_file("path", path, generator, "Is it a CycleGAN generator of this config?")
    generator.load_weights(str(path))
    return generator


PRETRAINED_WEIGHTS = {
    "photo_to_painting": "weights/cyclegan_wave_photo_to_painting.weights.h5",
    "painting_to_photo": "weights/cyclegan_wave_painting_to_photo.weights.h5",
}
"""The shipped generators of :data:`CYCLEGAN_SMALL` (photographs <-> *The Great Wave*), under
``data/``."""


def load_pretrained_cyclegan(direction: str = "photo_to_painting") -> keras.Model:
    """A shipped generator (sha256-checked; command and measured figures in ``data/README.md``),
    trained on crops of :data:`PHOTOS` and :data:`PAINTING` only.

    Args:
        direction: ``"photo_to_painting"`` (G) or ``"painting_to_photo"`` (F).

    Returns:
        A model mapping (N, H, W, 3) in [0, 1] to (N, H, W, 3) float32 in [0, 1].
        Taught in ``11_image_translation.ipynb``.
    """
    from .data import shipped_path

    direction = checks.one_of("direction", direction, tuple(PRETRAINED_WEIGHTS))
    return load_cyclegan_generator(shipped_path(PRETRAINED_WEIGHTS[direction]), CYCLEGAN_SMALL)


def stylize_cyclegan(generator: keras.Model, image) -> np.ndarray:
    """Translate one image (H, W, 3) or a batch (N, H, W, 3) in [0, 1] with a generator.

    Returns:
        float32 in [0, 1], the input's shape.
    """
    checks.instance("generator", generator, keras.Model, "a keras.Model (build_generator)")
    array = checks.images("image", image, value_range="unit", ranks=(3, 4), channels=3)
    batch = array[None] if array.ndim == 3 else array
    out = np.asarray(generator(batch.astype(np.float32), training=False), np.float32)
    return out[0] if array.ndim == 3 else out


__all__ = [
    "CycleGANConfig",
    "CYCLEGAN_SMALL",
    "build_generator",
    "discriminator_layers",
    "build_discriminator",
    "cycle_loss",
    "identity_loss",
    "CycleGAN",
    "PHOTOS",
    "PAINTING",
    "unpaired_dataset",
    "make_cyclegan",
    "train_cyclegan",
    "save_cyclegan",
    "load_cyclegan_generator",
    "PRETRAINED_WEIGHTS",
    "load_pretrained_cyclegan",
    "stylize_cyclegan",
]
