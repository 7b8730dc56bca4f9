"""Diffusion on MNIST: the course's recipe against the keras.io DDIM example's design, same clock.

Both train on the same 10,000 shipped digits for the same wall-clock budget (default 10
minutes, tracing and the input pipeline included), one after the other in one process, then draw
``--samples`` digits each, which the lesson-08 metrics judge: classifier score, share of samples
classified with confidence >= 0.9, and the Frechet classifier distance (FCD) to as many real
digits. ``--marks 3`` also judges each model as it was after 3 minutes.

* **ours**: :func:`imgen_helpers.diffusion_mnist.train_mnist_diffusion` with its defaults
  (``MNIST_UNET``, ``MNIST_RECIPE``: a class-conditional U-Net with attention at 7x7, flow
  matching, Adam 1e-3, batch 128, weight average 0.995), under the precision ``configure()``
  picks; sampled with Heun's method (``MNIST_RECIPE.sampling_steps`` steps) and classifier-free
  guidance ``MNIST_RECIPE.guidance``, labels 0-9 evenly. Also printed, from the same network:
  the plain conditional model (guidance 1) and the unconditional one (guidance 0), the fair
  row to set beside an unconditional reference.
* **reference**: written from the published design of https://keras.io/examples/generative/ddim/
  (see the section below), float32 as published, unconditional, sampled with ``--ref-steps``
  DDIM steps (default 20, as the example's plots). Judged three ways, the best standing: as
  published (its weight average, 0.999, with batch norm's moving averages), its raw network
  (with the moving averages), and its raw network normalising with batch statistics: after a
  thousand steps the weight average still holds much of the initial network, and the moving
  averages lag behind the weights.

The last line is ``ratio=<reference FCD / our FCD>``, ours being the recommended configuration
(guided, as lesson 09 samples; above 1: ours is closer to real digits); the line before it is
the like-for-like ratio against our unconditional samples, the reference being unconditional.
``--shipped`` only judges the shipped weights, against the first ``--samples`` of the 2,000
held-out digits.
Results: ``benchmarks/RESULTS.md``. On a shared machine, one benchmark at a time::

    flock /tmp/imgen-bench.lock .venv/bin/python benchmarks/diffusion.py
"""

from __future__ import annotations

import argparse
import json
import math
import time
from collections.abc import Callable, Sequence

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from imgen_helpers import configure, metrics, set_seed
from imgen_helpers import diffusion_mnist as dmn
from imgen_helpers.callbacks import TimeLimit
from imgen_helpers.data import load_mnist
from imgen_helpers.diffusion import Diffusion
from imgen_helpers.runtime import precision_scope

# ----------------------------------------------------------------- reference (keras.io DDIM)
# A U-Net of residual blocks (batch norm without scale or offset, two 3x3 convolutions, swish)
# at widths 32, 64, 96, 128 with two blocks per level, average pooling down, bilinear upsampling
# up, no attention; the noise variance enters through a 32-dimensional sinusoidal embedding
# (frequencies 1 to 1,000) upsampled to the image and concatenated to a 1x1 convolution of it;
# a continuous cosine "diffusion schedule" with signal rates from 0.95 down to 0.02; images
# normalised by the data's mean and standard deviation; the network predicts the noise, trained
# with the mean absolute error; AdamW (learning rate 1e-3, weight decay 1e-4), batch 64, an EMA
# copy (0.999) for sampling; DDIM sampling. Digits are padded to 32x32 so that the four levels
# halve evenly (the example works at 64x64) and cropped back to 28x28 to be judged.
REF_WIDTHS = (32, 64, 96, 128)
REF_BLOCK_DEPTH = 2
REF_EMBEDDING_DIMS = 32
REF_MAX_FREQUENCY = 1000.0
REF_MIN_SIGNAL, REF_MAX_SIGNAL = 0.02, 0.95
REF_BATCH = 64
REF_LEARNING_RATE, REF_WEIGHT_DECAY = 1e-3, 1e-4
REF_EMA = 0.999
REF_SIZE = 32


def ref_embedding(variance):
    frequencies = tf.exp(tf.linspace(0.0, math.log(REF_MAX_FREQUENCY), REF_EMBEDDING_DIMS // 2))
    angular = 2.0 * math.pi * frequencies
    return tf.concat([tf.sin(angular * variance), tf.cos(angular * variance)], axis=3)


def ref_residual(x, width):
    residual = x if x.shape[3] == width else layers.Conv2D(width, 1)(x)
    x = layers.BatchNormalization(center=False, scale=False)(x)
    x = layers.Conv2D(width, 3, padding="same", activation="swish")(x)
    x = layers.Conv2D(width, 3, padding="same")(x)
    return layers.Add()([x, residual])


def ref_network():
    noisy = keras.Input((REF_SIZE, REF_SIZE, 1))
    variance = keras.Input((1, 1, 1))
    e = layers.Lambda(ref_embedding, output_shape=(1, 1, REF_EMBEDDING_DIMS))(variance)
    e = layers.UpSampling2D(REF_SIZE, interpolation="nearest")(e)
    x = layers.Conv2D(REF_WIDTHS[0], 1)(noisy)
    x = layers.Concatenate()([x, e])
    skips = []
    for width in REF_WIDTHS[:-1]:
        for _ in range(REF_BLOCK_DEPTH):
            x = ref_residual(x, width)
            skips.append(x)
        x = layers.AveragePooling2D(2)(x)
    for _ in range(REF_BLOCK_DEPTH):
        x = ref_residual(x, REF_WIDTHS[-1])
    for width in reversed(REF_WIDTHS[:-1]):
        x = layers.UpSampling2D(2, interpolation="bilinear")(x)
        for _ in range(REF_BLOCK_DEPTH):
            x = layers.Concatenate()([x, skips.pop()])
            x = ref_residual(x, width)
    x = layers.Conv2D(1, 1, kernel_initializer="zeros")(x)
    return keras.Model([noisy, variance], x, name="keras_io_ddim_unet")


def ref_schedule(times):
    start, end = math.acos(REF_MAX_SIGNAL), math.acos(REF_MIN_SIGNAL)
    angles = start + times * (end - start)
    return tf.sin(angles), tf.cos(angles)  # noise rates, signal rates


class ReferenceDDIM(keras.Model):
    """The example's model: train_step on normalised images, EMA after every step."""

    def __init__(self, mean: float, std: float):
        super().__init__()
        self.mean, self.std = mean, std
        self.network = ref_network()
        self.ema_network = ref_network()  # the example clones; its Lambda layer will not
        self.ema_network.set_weights(self.network.get_weights())
        self.noise_loss = keras.losses.MeanAbsoluteError()
        self.loss_tracker = keras.metrics.Mean(name="loss")

    @property
    def metrics(self) -> list:
        return [self.loss_tracker]  # reset by fit() at each epoch

    def train_step(self, images):
        images = (images - self.mean) / self.std
        n = tf.shape(images)[0]
        noises = tf.random.normal(tf.shape(images))
        times = tf.random.uniform((n, 1, 1, 1))
        noise_rates, signal_rates = ref_schedule(times)
        noisy = signal_rates * images + noise_rates * noises
        with tf.GradientTape() as tape:
            predicted = self.network([noisy, noise_rates**2], training=True)
            loss = self.noise_loss(noises, predicted)
        grads = tape.gradient(loss, self.network.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.network.trainable_weights, strict=True))
        for weight, average in zip(self.network.weights, self.ema_network.weights, strict=True):
            average.assign(REF_EMA * average + (1 - REF_EMA) * weight)
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}

    def generate(
        self, n: int, steps: int, seed: int, network: keras.Model, batch_statistics: bool = False
    ) -> np.ndarray:
        """DDIM (eta = 0) from t = 1 to 0 with ``network``; digits in [0, 1], cropped to 28x28.

        ``batch_statistics``: normalise with the statistics of the batch being sampled (all ``n``
        images at one noise level, so they depend on ``n``) instead of the moving averages (the
        example's inference mode). Not the example's sampler: a probe of what its weights can
        do before those averages settle.
        """
        x = tf.random.stateless_normal((n, REF_SIZE, REF_SIZE, 1), (seed, 0))
        step = 1.0 / steps
        for k in range(steps):
            times = tf.ones((n, 1, 1, 1)) - k * step
            noise_rates, signal_rates = ref_schedule(times)
            if batch_statistics:
                noises = network([x, noise_rates**2], training=True)
            else:
                noises = network.predict_on_batch([x, noise_rates**2])
            images = (x - noise_rates * noises) / signal_rates
            next_noise, next_signal = ref_schedule(times - step)
            x = next_signal * images + next_noise * noises
        images = np.clip(np.asarray(images) * self.std + self.mean, 0.0, 1.0)
        return images[:, 2:-2, 2:-2].astype(np.float32)


# ----------------------------------------------------------------- shared
class Marks(keras.callbacks.Callback):
    """Keep copies of networks at each of ``minutes`` (wall time since the start).

    ``networks_of(model)`` names the networks to keep: a dict of name to network.
    """

    def __init__(self, minutes: Sequence[float], networks_of: Callable[[keras.Model], dict]):
        super().__init__()
        self.minutes, self.networks_of, self.saved = sorted(minutes), networks_of, {}

    def on_train_begin(self, logs=None):
        self.start = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        elapsed = (time.perf_counter() - self.start) / 60.0
        for mark in self.minutes:
            if elapsed >= mark and mark not in self.saved:
                steps = int(self.model.optimizer.iterations.numpy())
                networks = self.networks_of(self.model)
                weights = {name: net.get_weights() for name, net in networks.items()}
                self.saved[mark] = (weights, steps)


def judge(
    name: str, images: np.ndarray, real: np.ndarray, seconds: float, steps: int | None
) -> dict:
    """Print and return one row of the lesson-08 metrics (``steps``: None for shipped weights)."""
    row = {
        "model": name,
        "training steps": steps,
        "score": round(metrics.classifier_score(images), 3),
        "confident": round(metrics.confident_fraction(images), 3),
        "FCD": round(metrics.frechet_classifier_distance(images, real), 2),
        "sampling s": round(seconds, 1),
    }
    print(json.dumps(row), flush=True)
    return row


def timed(draw):
    start = time.perf_counter()
    images = draw()
    return images, time.perf_counter() - start


def run_ours(args, real) -> dict:
    marks = Marks(args.marks, lambda m: {"average": m.ema_network})
    set_seed(0)
    model, history, seconds = dmn.train_mnist_diffusion(
        minutes=args.minutes,
        out=None,
        split="all",  # the 10,000 digits the reference trains on too
        source="offline",
        verbose=0,
        callbacks=[marks],
    )
    steps = int(model.optimizer.iterations.numpy())
    print(f"ours: {steps} steps in {seconds:.0f} s, final loss {history.history['loss'][-1]:.4f}")
    sampler = Diffusion(model.ema_network, model.objective, ema=None)
    labels = np.arange(args.samples) % 10
    rows = {}
    for mark, (weights, mark_steps) in sorted(marks.saved.items()):
        snapshot = dmn.make_mnist_diffusion().ema_network
        snapshot.set_weights(weights["average"])
        at_mark = Diffusion(snapshot, model.objective, ema=None)
        images, s = timed(lambda m=at_mark: dmn.sample_digits(m, labels, seed=1))
        judge(f"ours after {mark:g} min (guided)", images, real, s, mark_steps)
    for name, guidance in (("conditional", 1.0), ("unconditional", 0.0), ("guided", None)):
        scale = dmn.MNIST_RECIPE.guidance if guidance is None else guidance
        images, s = timed(lambda g=scale: dmn.sample_digits(sampler, labels, g, seed=1))
        rows[name] = judge(f"ours, {name} (guidance {scale:g})", images, real, s, steps)
    return rows


def run_reference(args, real, digits) -> dict:
    """Train the reference; judge it three ways (see below) and return the best row."""
    set_seed(0)
    padded = np.pad(digits, ((0, 0), (2, 2), (2, 2), (0, 0)))
    data = tf.data.Dataset.from_tensor_slices(padded).shuffle(len(padded), seed=0)
    data = data.batch(REF_BATCH, drop_remainder=True).prefetch(tf.data.AUTOTUNE)
    with precision_scope("float32"):
        model = ReferenceDDIM(float(padded.mean()), float(padded.std()))
    model.compile(
        optimizer=keras.optimizers.AdamW(
            learning_rate=REF_LEARNING_RATE, weight_decay=REF_WEIGHT_DECAY
        )
    )
    marks = Marks(args.marks, lambda m: {"average": m.ema_network, "raw": m.network})
    start = time.perf_counter()
    history = model.fit(
        data.repeat(),
        steps_per_epoch=int(data.cardinality()),
        epochs=100_000,
        verbose=0,
        shuffle=False,
        callbacks=[TimeLimit(60.0 * args.minutes), marks],
    )
    seconds = time.perf_counter() - start
    steps = int(model.optimizer.iterations.numpy())
    losses = history.history["loss"]
    print(
        f"reference: {steps} steps in {seconds:.0f} s, mean loss of the first epoch "
        f"{losses[0]:.4f}, of the last {losses[-1]:.4f}"
    )
    # The example samples with its weight average (0.999) and batch norm's moving averages;
    # after a thousand steps the first still holds much of the initial network and the second
    # lags behind, so the raw network is judged too, with moving averages and with batch
    # statistics, and the best of the three stands. (Batch statistics last: they move the
    # network's moving averages.)
    variants = (("average", False), ("raw", False), ("raw, batch statistics", True))
    with precision_scope("float32"):
        snapshot = ref_network()
    for mark, (weights, mark_steps) in sorted(marks.saved.items()):
        for name, batch in variants:
            snapshot.set_weights(weights["average" if name == "average" else "raw"])
            images, s = timed(
                lambda b=batch: model.generate(args.samples, args.ref_steps, 1, snapshot, b)
            )
            judge(f"reference after {mark:g} min ({name})", images, real, s, mark_steps)
    rows = []
    for name, batch in variants:
        network = model.ema_network if name == "average" else model.network
        images, s = timed(
            lambda net=network, b=batch: model.generate(args.samples, args.ref_steps, 1, net, b)
        )
        rows.append(judge(f"reference, keras.io DDIM design ({name})", images, real, s, steps))
    return min(rows, key=lambda row: row["FCD"])


def judge_shipped(args) -> None:
    """The shipped weights at guidance 1.5, 1 and 0, against the 2,000 held-out digits."""
    held_out, _ = load_mnist("test", source="offline", verbose=False)
    real = (held_out.astype(np.float32) / 255.0)[..., None][: args.samples]
    shipped = dmn.load_pretrained_diffusion()
    labels = np.arange(args.samples) % 10
    for guidance in (dmn.MNIST_RECIPE.guidance, 1.0, 0.0):
        images, s = timed(lambda g=guidance: dmn.sample_digits(shipped, labels, g, seed=1))
        judge(f"shipped weights, guidance {guidance:g}", images, real, s, steps=None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="training budget of each")
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--ref-steps", type=int, default=20, help="DDIM steps of the reference")
    parser.add_argument("--marks", type=float, nargs="*", default=[3.0], help="also judge at")
    parser.add_argument(
        "--shipped", action="store_true", help="only judge the shipped weights (no training)"
    )
    args = parser.parse_args(argv)
    configure(verbose=False)
    if args.shipped:
        judge_shipped(args)
        return 0
    digits, _ = load_mnist("all", source="offline", verbose=False)
    digits = (digits.astype(np.float32) / 255.0)[..., None]
    real = digits[: args.samples]
    ours = run_ours(args, real)
    reference = run_reference(args, real, digits)
    print(f"best reference: {reference['model']}, FCD {reference['FCD']}")
    like_for_like = reference["FCD"] / ours["unconditional"]["FCD"]
    print(f"ratio against our unconditional samples (like for like): {like_for_like:.2f}")
    # Last: against the recommended configuration, guided, as lesson 09 samples.
    print(f"ratio={reference['FCD'] / ours['guided']['FCD']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
