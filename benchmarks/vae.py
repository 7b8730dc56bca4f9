"""Benchmark: wall-clock time to the TensorFlow CVAE tutorial's test ELBO, ours against theirs.

A user cares about time to a good model, not steps per second. This run trains two models side
by side in one process and reports how long each needs to reach the same test ELBO:

* **reference**: the TensorFlow CVAE tutorial (tensorflow.org/tutorials/generative/cvae),
  written from its published description: encoder Conv32-k3-s2, Conv64-k3-s2, Flatten,
  Dense(2 * latent); decoder Dense(7*7*32), Conv2DTranspose 64, 32 (stride 2) and 1 (stride 1);
  latent size 2; Bernoulli likelihood; single-sample Monte-Carlo ELBO as the loss; Adam(1e-4);
  batch 32; one ``@tf.function`` train step per batch from a Python loop; 10 epochs. Its test
  ELBO after the 10th epoch is the **target**, and its training time for those 10 epochs the
  reference time.
* **ours**: :class:`imgen_helpers.vae.VAE` with the same architecture, latent size (2) and
  likelihood, trained with Keras' ``fit()`` under the course's recommended recipe
  (:data:`imgen_helpers.vae.RECOMMENDED`: batch size, Adam learning rate,
  ``steps_per_execution``; the loss uses the closed-form KL). Our time is the training time
  until the first evaluation at which its test ELBO reaches the target.

Same data and binarisation on both sides: the 8,000 / 2,000 shipped offline MNIST digits
(``source="offline"``), thresholded at 0.5 as in the tutorial. Same evaluation on both sides:
the tutorial's single-sample Monte-Carlo ELBO over the 2,000 test digits, averaged over
``--eval-passes`` passes with the same stateless seeds for both models. The reference is
evaluated after every epoch, ours every ``--eval-every`` steps. **Evaluation time is excluded
from both training clocks**; tracing and the input pipeline are included. Not counted on
either side: building the models and datasets, and ``fit()``'s set-up before its first epoch.

Side by side: the two alternate in one process (``--slices`` evaluation intervals of ours, then
one reference epoch, and so on), so that load from other jobs on a shared machine hits both
alike; ours runs as one ``fit()`` call whose callback trains the reference and evaluates, off
our clock. Ours stops at the first evaluation that reaches the target once the reference is
done, or after ``--max-steps``. CPU seconds are printed next to wall seconds: on a shared
machine a large gap between the two says the run was starved.

Run: ``python benchmarks/vae.py`` (``--help`` for options). The last line is
``ratio=<reference time / our time>``. Results, with dates and machines, are in
``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from imgen_helpers import set_seed  # noqa: E402
from imgen_helpers import vae as V  # noqa: E402
from imgen_helpers.data import binarize, load_mnist, mnist_dataset  # noqa: E402
from imgen_helpers.runtime import precision_scope  # noqa: E402

LATENT = 2  # the tutorial's latent size
REFERENCE_BATCH = 32
REFERENCE_LEARNING_RATE = 1e-4
REFERENCE_EPOCHS = 10


# ----------------------------------------------------------------- reference (the tutorial)
class CVAE(tf.keras.Model):
    """Convolutional variational autoencoder, as in the TensorFlow tutorial."""

    def __init__(self, latent_dim):
        super().__init__()
        self.latent_dim = latent_dim
        self.encoder = tf.keras.Sequential(
            [
                tf.keras.layers.InputLayer(shape=(28, 28, 1)),
                tf.keras.layers.Conv2D(32, 3, strides=(2, 2), activation="relu"),
                tf.keras.layers.Conv2D(64, 3, strides=(2, 2), activation="relu"),
                tf.keras.layers.Flatten(),
                tf.keras.layers.Dense(latent_dim + latent_dim),
            ]
        )
        self.decoder = tf.keras.Sequential(
            [
                tf.keras.layers.InputLayer(shape=(latent_dim,)),
                tf.keras.layers.Dense(units=7 * 7 * 32, activation=tf.nn.relu),
                tf.keras.layers.Reshape(target_shape=(7, 7, 32)),
                tf.keras.layers.Conv2DTranspose(
                    64, 3, strides=2, padding="same", activation="relu"
                ),
                tf.keras.layers.Conv2DTranspose(
                    32, 3, strides=2, padding="same", activation="relu"
                ),
                tf.keras.layers.Conv2DTranspose(1, 3, strides=1, padding="same"),
            ]
        )

    def encode(self, x):
        mean, logvar = tf.split(self.encoder(x), num_or_size_splits=2, axis=1)
        return mean, logvar

    def reparameterize(self, mean, logvar):
        eps = tf.random.normal(shape=tf.shape(mean))
        return eps * tf.exp(logvar * 0.5) + mean

    def decode(self, z, apply_sigmoid=False):
        logits = self.decoder(z)
        if apply_sigmoid:
            return tf.sigmoid(logits)
        return logits


def log_normal_pdf(sample, mean, logvar, raxis=1):
    log2pi = tf.math.log(2.0 * np.pi)
    return tf.reduce_sum(
        -0.5 * ((sample - mean) ** 2.0 * tf.exp(-logvar) + logvar + log2pi), axis=raxis
    )


def compute_loss(model, x):
    mean, logvar = model.encode(x)
    z = model.reparameterize(mean, logvar)
    x_logit = model.decode(z)
    cross_ent = tf.nn.sigmoid_cross_entropy_with_logits(logits=x_logit, labels=x)
    logpx_z = -tf.reduce_sum(cross_ent, axis=[1, 2, 3])
    logpz = log_normal_pdf(z, 0.0, 0.0)
    logqz_x = log_normal_pdf(z, mean, logvar)
    return -tf.reduce_mean(logpx_z + logpz - logqz_x)


def make_reference_step(model, optimizer):
    @tf.function
    def train_step(x):
        with tf.GradientTape() as tape:
            loss = compute_loss(model, x)
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables, strict=True))

    return train_step


# ----------------------------------------------------------------- the shared evaluation
def make_evaluator(test_images: np.ndarray, passes: int):
    """The tutorial's single-sample Monte-Carlo test ELBO (nats), same seeds for every model."""
    batches = [test_images[i : i + 500] for i in range(0, len(test_images), 500)]

    def evaluate(encode, decode_logits) -> float:
        @tf.function
        def batch_elbo(x, seed):
            mean, logvar = encode(x)
            mean, logvar = tf.cast(mean, tf.float32), tf.cast(logvar, tf.float32)
            z = mean + tf.exp(0.5 * logvar) * tf.random.stateless_normal(tf.shape(mean), seed)
            logits = tf.cast(decode_logits(z), tf.float32)
            logpx_z = -tf.reduce_sum(
                tf.nn.sigmoid_cross_entropy_with_logits(logits=logits, labels=x), axis=[1, 2, 3]
            )
            return tf.reduce_sum(
                logpx_z + log_normal_pdf(z, 0.0, 0.0) - log_normal_pdf(z, mean, logvar)
            )

        total = 0.0
        for p in range(passes):
            for i, x in enumerate(batches):
                total += float(batch_elbo(x, tf.constant([p, i])))
        return total / (passes * len(test_images))

    return evaluate


class Clock:
    """Wall and CPU seconds of training, with evaluations excluded."""

    def __init__(self):
        self.wall = self.cpu = 0.0

    def __enter__(self):
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall += time.perf_counter() - self._wall
        self.cpu += time.process_time() - self._cpu


# ----------------------------------------------------------------- the side-by-side run
class Reference:
    """The tutorial's model, optimizer and loop, trained one epoch at a time."""

    def __init__(self, train_images: np.ndarray, evaluate):
        self.model = CVAE(LATENT)
        optimizer = tf.keras.optimizers.Adam(REFERENCE_LEARNING_RATE)
        self.step = make_reference_step(self.model, optimizer)
        data = tf.data.Dataset.from_tensor_slices(train_images).shuffle(len(train_images))
        self.data = data.batch(REFERENCE_BATCH)
        self.evaluate, self.clock, self.curve = evaluate, Clock(), []  # (epoch, wall, cpu, elbo)

    def train_epoch(self) -> None:
        with self.clock:
            for x in self.data:
                self.step(x)
        elbo = self.evaluate(self.model.encode, self.model.decode)
        self.curve.append((len(self.curve) + 1, self.clock.wall, self.clock.cpu, elbo))


class SideBySide(keras.callbacks.Callback):
    """Evaluates ours at the end of each ``fit()`` epoch (``eval_every`` steps) and, every
    ``slices`` of them, trains the reference for one epoch. Whatever this callback does is
    kept off our training clock; ``fit()`` stops once ours has reached the reference's final
    test ELBO, or after ``max_evals`` evaluations."""

    def __init__(self, reference: Reference, evaluate, eval_every: int, slices: int, max_evals):
        super().__init__()
        self.reference, self.evaluate = reference, evaluate
        self.eval_every, self.slices, self.max_evals = eval_every, slices, max_evals
        self.curve = []  # (steps, wall, cpu, elbo) of ours

    def on_train_begin(self, logs=None):
        self.start = (time.perf_counter(), time.process_time())
        self.paused = [0.0, 0.0]

    def on_epoch_end(self, epoch, logs=None):
        pause = (time.perf_counter(), time.process_time())
        wall, cpu = (pause[k] - self.start[k] - self.paused[k] for k in (0, 1))
        elbo = self.evaluate(self.model.encode, self.model.decode_logits)
        self.curve.append(((epoch + 1) * self.eval_every, wall, cpu, elbo))
        ref = self.reference
        if (epoch + 1) % self.slices == 0 and len(ref.curve) < REFERENCE_EPOCHS:
            ref.train_epoch()
            print(
                f"reference epoch {len(ref.curve):2d}: {ref.clock.wall:6.1f} s, test ELBO "
                f"{ref.curve[-1][3]:8.2f} | ours {self.curve[-1][0]:5d} steps: {wall:6.1f} s, "
                f"test ELBO {elbo:8.2f} | load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
        done = len(ref.curve) == REFERENCE_EPOCHS and self.first_reaching(ref.curve[-1][3])
        if done or epoch + 1 >= self.max_evals:
            self.model.stop_training = True
        self.paused = [
            self.paused[k] + (time.perf_counter(), time.process_time())[k] - pause[k]
            for k in (0, 1)
        ]

    def first_reaching(self, target: float):
        return next((point for point in self.curve if point[3] >= target), None)


def main() -> None:
    rec = V.RECOMMENDED
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batch-size", type=int, default=rec.batch_size, help="ours")
    parser.add_argument("--learning-rate", type=float, default=rec.learning_rate, help="ours")
    parser.add_argument(
        "--steps-per-execution", type=int, default=rec.steps_per_execution, help="ours"
    )
    parser.add_argument(
        "--precision", default="float32", choices=["float32", "mixed_bfloat16"], help="ours"
    )
    parser.add_argument("--eval-every", type=int, default=25, help="our steps between evals")
    parser.add_argument("--slices", type=int, default=2, help="our evals per reference epoch")
    parser.add_argument("--max-steps", type=int, default=5000, help="ours gives up after this")
    parser.add_argument("--eval-passes", type=int, default=3, help="passes over the test set")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    if args.eval_every % args.steps_per_execution:
        parser.error("--eval-every must be a multiple of --steps-per-execution")
    set_seed(args.seed)
    train_u8, _ = load_mnist("train", source="offline", verbose=False)
    test_u8, _ = load_mnist("test", source="offline", verbose=False)
    train_images, test_images = binarize(train_u8, "static"), binarize(test_u8, "static")
    recipe = V.VAERecipe(args.batch_size, args.learning_rate, args.steps_per_execution)
    print(
        f"data: {len(train_images)} train / {len(test_images)} test shipped MNIST digits, static "
        f"binarisation (> 0.5); latent {LATENT}, Bernoulli likelihood on both sides"
    )
    print(
        f"reference: Adam({REFERENCE_LEARNING_RATE}), batch {REFERENCE_BATCH}, "
        f"{REFERENCE_EPOCHS} epochs; ours: {recipe}, precision {args.precision}, "
        f"evaluated every {args.eval_every} steps"
    )
    print(f"TF {tf.__version__}, Keras {keras.__version__}, {os.cpu_count()} CPU threads")

    evaluate = make_evaluator(test_images, args.eval_passes)
    reference = Reference(train_images, evaluate)
    with precision_scope(args.precision):
        ours = V.VAE(V.VAEConfig(latent_dim=LATENT), seed=0)
    ours.compile(
        optimizer=V.default_optimizer(recipe.learning_rate),
        steps_per_execution=recipe.steps_per_execution,
    )
    train = mnist_dataset(
        "train", recipe.batch_size, pixels="static", source="offline", verbose=False
    )
    watch = SideBySide(
        reference, evaluate, args.eval_every, args.slices, args.max_steps // args.eval_every
    )
    # One iterator for the whole run; the dataset reshuffles at each pass over the digits
    # (fit's own shuffle= only applies to NumPy arrays). A fit() "epoch" is one eval interval.
    ours.fit(
        train.repeat(),
        steps_per_epoch=args.eval_every,
        epochs=10**6,
        shuffle=False,
        callbacks=[watch],
        verbose=0,
    )
    while len(reference.curve) < REFERENCE_EPOCHS:  # ours gave up (max_steps) first
        reference.train_epoch()
    report(reference, watch, epoch_images=len(train_images) / recipe.batch_size)


def report(reference: Reference, watch: SideBySide, epoch_images: float) -> None:
    """Print the target, both times, and ``ratio=<reference time / our time>`` last."""
    _, ref_wall, ref_cpu, target = reference.curve[-1]
    print(
        f"target: the reference's test ELBO after {REFERENCE_EPOCHS} epochs, {target:.2f} nats; "
        f"reference training time {ref_wall:.1f} s wall, {ref_cpu:.1f} s CPU"
    )
    reached = watch.first_reaching(target)
    if reached is None:
        steps, wall, _, elbo = watch.curve[-1]
        print(f"ours did not reach it in {steps} steps ({wall:.1f} s; last {elbo:.2f} nats)")
        print("ratio=0.00")
        return
    steps, wall, cpu, elbo = reached
    print(
        f"ours reached {elbo:.2f} nats after {steps} steps ({steps / epoch_images:.1f} epochs) "
        f"in {wall:.1f} s wall, {cpu:.1f} s CPU; CPU-time ratio {ref_cpu / cpu:.2f}"
    )
    print(f"ratio={ref_wall / wall:.2f}")


if __name__ == "__main__":
    main()
