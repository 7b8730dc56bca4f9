"""Conditional GAN time-to-quality: the course's model against keras.io's conditional GAN.

Each side trains for the same wall-clock budget (default 3 minutes) on the same digits (the
offline training split, 8,000 digits, so the 2,000 held-out ones stay unseen) in one process,
then draws 100 digits of each label; the lesson-08 classifier reads them, and the figure is the
label agreement (the share it reads as the label asked for) and its lowest class.

* ours: ``conditional_gan.train_cgan`` with ``CGAN_MNIST_SMALL`` and its recipe (the projection
  discriminator; ``--conditioning concat`` for one-hot label planes instead), under the
  precision policy that ``configure()`` picks;
* the reference, written from keras.io's ``examples/generative/conditional_gan.py`` published
  design: generator Dense 7x7x138 on [z (128), one-hot label], LeakyReLU, two transposed
  convolutions 128 (4x4, stride 2), a 7x7 sigmoid convolution; discriminator on the image with
  10 one-hot label planes, convolutions 64 and 128 (3x3, stride 2), LeakyReLU, global max
  pooling, one logit; Adam(3e-4) for both, batch 64, binary cross-entropy, images in [0, 1], a
  ``fit()`` on a ``from_tensor_slices().shuffle(1024).batch(64)`` dataset, float32.

Prints each side's steps/s, label agreement and lowest class; the last line is
``ratio=<reference's disagreement / ours>`` (how many times fewer digits of the wrong class).

``--shipped`` judges the shipped generator instead (or ``--weights FILE`` from ``imgen
train-cgan``): label agreement on 100 samples of each digit (seed 0), then on 2,000 samples
(labels 0-9 evenly, seed 1) the classifier score, the confident share and the FCD against the
2,000 held-out digits.

    flock /tmp/imgen-bench.lock .venv/bin/python benchmarks/conditional_gan.py --seed 0
"""

from __future__ import annotations

import argparse
import time

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from imgen_helpers import conditional_gan as cg
from imgen_helpers.callbacks import TimeLimit
from imgen_helpers.data import load_mnist
from imgen_helpers.metrics import (
    classifier_score,
    confident_fraction,
    frechet_classifier_distance,
    label_agreement,
)
from imgen_helpers.runtime import configure, precision_scope, set_seed

LABELS = np.repeat(np.arange(10), 100)  # 100 of each digit


def reference_models(latent_dim: int = 128) -> tuple[keras.Model, keras.Model]:
    """keras.io's conditional GAN networks (see the module docstring)."""
    g_in = latent_dim + 10
    generator = keras.Sequential(
        [
            keras.Input((g_in,)),
            layers.Dense(7 * 7 * g_in),
            layers.LeakyReLU(0.2),
            layers.Reshape((7, 7, g_in)),
            layers.Conv2DTranspose(128, 4, 2, padding="same"),
            layers.LeakyReLU(0.2),
            layers.Conv2DTranspose(128, 4, 2, padding="same"),
            layers.LeakyReLU(0.2),
            layers.Conv2D(1, 7, padding="same", activation="sigmoid"),
        ]
    )
    discriminator = keras.Sequential(
        [
            keras.Input((28, 28, 11)),
            layers.Conv2D(64, 3, 2, padding="same"),
            layers.LeakyReLU(0.2),
            layers.Conv2D(128, 3, 2, padding="same"),
            layers.LeakyReLU(0.2),
            layers.GlobalMaxPooling2D(),
            layers.Dense(1),
        ]
    )
    return generator, discriminator


class ReferenceCGAN(keras.Model):
    """keras.io's train_step: one-hot labels appended to z and as planes to the images."""

    def __init__(self, generator, discriminator, latent_dim: int = 128):
        super().__init__()
        self.generator, self.discriminator, self.latent_dim = generator, discriminator, latent_dim
        self.loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)
        self.d_optimizer = keras.optimizers.Adam(3e-4)
        self.g_optimizer = keras.optimizers.Adam(3e-4)

    def train_step(self, data):
        images, one_hot = data
        batch = tf.shape(images)[0]
        planes = tf.tile(one_hot[:, None, None, :], (1, 28, 28, 1))
        z = tf.random.normal((batch, self.latent_dim))
        fake = self.generator(tf.concat([z, one_hot], 1))
        both = tf.concat([tf.concat([fake, planes], -1), tf.concat([images, planes], -1)], 0)
        targets = tf.concat([tf.ones((batch, 1)), tf.zeros((batch, 1))], 0)  # keras.io: fake=1
        with tf.GradientTape() as tape:
            d_loss = self.loss_fn(targets, self.discriminator(both))
        variables = self.discriminator.trainable_weights
        self.d_optimizer.apply_gradients(
            zip(tape.gradient(d_loss, variables), variables, strict=True)
        )
        z = tf.random.normal((batch, self.latent_dim))
        with tf.GradientTape() as tape:
            fake = self.generator(tf.concat([z, one_hot], 1))
            scores = self.discriminator(tf.concat([fake, planes], -1))
            g_loss = self.loss_fn(tf.zeros((batch, 1)), scores)
        variables = self.generator.trainable_weights
        self.g_optimizer.apply_gradients(
            zip(tape.gradient(g_loss, variables), variables, strict=True)
        )
        return {"d_loss": d_loss, "g_loss": g_loss}

    def generate(self, labels: np.ndarray, seed: int) -> np.ndarray:
        z = np.random.default_rng(seed).standard_normal((len(labels), self.latent_dim))
        one_hot = np.eye(10, dtype=np.float32)[labels]
        return np.asarray(self.generator(np.concatenate([z, one_hot], 1).astype(np.float32)))


def run_reference(minutes: float, seed: int) -> tuple[float, np.ndarray]:
    """Train the reference for ``minutes``; (steps/s, samples in [0, 1])."""
    with precision_scope("float32"):  # the published example's precision
        set_seed(seed)
        images, labels = load_mnist("train", source="offline", verbose=False)
        x = images[..., None].astype("float32") / 255.0
        y = np.eye(10, dtype=np.float32)[labels]
        data = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(1024).batch(64)
        model = ReferenceCGAN(*reference_models())
        model.compile()
        start = time.perf_counter()
        model.fit(data, epochs=10_000, verbose=0, callbacks=[TimeLimit(60 * minutes)])
        seconds = time.perf_counter() - start
        steps = int(model.g_optimizer.iterations.numpy())
        return steps / seconds, model.generate(LABELS, seed)


def run_ours(minutes: float, seed: int, conditioning: str) -> tuple[float, np.ndarray]:
    """Train the course's conditional GAN for ``minutes``; (steps/s, samples in [-1, 1])."""
    config = cg.CGANConfig(conditioning=conditioning)
    gan, _, seconds = cg.train_cgan(
        config, minutes=minutes, out=None, source="offline", seed=seed, verbose=0
    )
    steps = int(gan.g_optimizer.iterations.numpy())
    return steps / seconds, gan.generate(LABELS, seed=seed)


def report(name: str, speed: float, images: np.ndarray) -> float:
    agreement = label_agreement(images, LABELS)
    worst = int(np.argmin(agreement.per_class))
    rate = "" if np.isnan(speed) else f"{speed:.1f} steps/s, "
    print(
        f"{name}: {rate}label agreement {agreement.overall:.1%}, lowest class "
        f"{worst} at {agreement.per_class[worst]:.0%}"
    )
    return agreement.overall


def judge(weights: str | None) -> None:
    """The figures of data/README.md for a trained generator (default: the shipped one)."""
    generator = cg.load_pretrained_cgan() if weights is None else cg.load_cgan_generator(weights)
    report("shipped" if weights is None else weights, float("nan"), sample(generator, LABELS, 0))
    labels = np.arange(2000) % 10
    images = sample(generator, labels, 1)
    held_out, _ = load_mnist("test", source="offline", verbose=False)
    fcd = frechet_classifier_distance(images, held_out)
    print(
        f"2,000 samples: classifier score {classifier_score(images):.3f}, confident "
        f"{confident_fraction(images, 0.9):.1%}, FCD {fcd:.2f}"
    )


def sample(generator, labels, seed):
    return cg.sample_digits(generator, labels, seed=seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=3.0, help="training budget per side")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--conditioning", choices=cg.CONDITIONINGS, default="projection")
    parser.add_argument("--ours-only", action="store_true", help="skip the reference")
    parser.add_argument("--shipped", action="store_true", help="judge the shipped generator")
    parser.add_argument("--weights", default=None, help="judge this generator.weights.h5")
    args = parser.parse_args()
    if args.shipped or args.weights:
        return judge(args.weights)
    info = configure(precision="auto")
    print(f"precision {info.precision}, budget {args.minutes:g} min per side, seed {args.seed}")
    ours = report(
        f"ours ({args.conditioning})", *run_ours(args.minutes, args.seed, args.conditioning)
    )
    if args.ours_only:
        return
    ref = report("keras.io reference", *run_reference(args.minutes, args.seed))
    print(f"ratio={(1 - ref) / max(1 - ours, 1e-3):.2f}")


if __name__ == "__main__":
    main()
