"""Benchmark: our VAE (imgen_helpers.vae) against the TensorFlow CVAE tutorial's model and loop.

The reference is written from the published tutorial (tensorflow.org/tutorials/generative/cvae):
encoder Conv32-k3-s2, Conv64-k3-s2, Flatten, Dense(2 * latent); decoder Dense(7*7*32),
Conv2DTranspose 64, 32 (stride 2) and 1 (stride 1); single-sample Monte-Carlo ELBO;
Adam(1e-4); batch 32; one ``@tf.function`` train step per batch from a Python loop; the
tutorial's latent size 2 and its static binarisation (pixel > 0.5).

Ours: the same architecture, data, optimizer, learning rate and batch size, trained with
``VAE.fit()``. The levers are the ones any course user gets from ``compile``: many steps per
TF function call (``steps_per_execution``), a prefetching ``tf.data`` pipeline, and the
closed-form KL in the loss (same objective in expectation, lower-variance gradients).
``--precision mixed_bfloat16`` and ``--jit`` are there to try, but on the course's CPU both
are slower (TensorFlow's bfloat16 transposed-convolution gradients have no fast CPU kernel;
XLA gains nothing on these convolutions), so the default is float32 without XLA.

Both are trained side by side in one process, alternating one epoch each so that machine
load hits both alike. (On the course's 2-core machine TensorFlow now and then runs a whole epoch
on one thread: about 10.2 s instead of 5.1 s for 250 steps, the same CPU time, on either side and
with any thread settings; medians over several epochs and the CPU-time ratio printed below are
the figures to read.) The run also times the reference's step with no Python loop around it, to
show how much per-step overhead there is to win. Throughput is the median over epochs (the
first, tracing, epoch excluded). Both models' test ELBO is measured with the same estimator
(the tutorial's single-sample Monte-Carlo ELBO, averaged over ``--eval-samples`` passes) after
the same number of epochs. The data is the shipped offline MNIST (8,000 train / 2,000 test digits).

Run: ``python benchmarks/vae.py`` (``--help`` for options). The last line is
``ratio=<ours/reference>``.

``python benchmarks/vae.py --elbo-minutes 3`` instead trains the course's recommended
configuration (:data:`RECOMMENDED`: latent 16, Adam 1e-3, batch 128, float32,
steps_per_execution 50, dynamic binarisation) for that many minutes of wall time on the
offline "train" split and prints its test ELBO and IWAE bound on the offline "test" split.
"""

from __future__ import annotations

import argparse
import os
import statistics
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
from imgen_helpers.data import load_mnist  # noqa: E402

BATCH = 32
LATENT = 2
LEARNING_RATE = 1e-4
RECOMMENDED = {
    "latent_dim": 16,
    "learning_rate": 1e-3,
    "batch_size": 128,
    "steps_per_execution": 50,
    "precision": "float32",
    "binarization": "dynamic",
}


# ----------------------------------------------------------------- reference (the tutorial)
class CVAE(tf.keras.Model):
    """Convolutional variational autoencoder, as in the TensorFlow tutorial."""

    def __init__(self, latent_dim):
        super().__init__()
        self.latent_dim = latent_dim
        self.encoder = tf.keras.Sequential(
            [
                tf.keras.layers.InputLayer(shape=(28, 28, 1)),
                tf.keras.layers.Conv2D(
                    filters=32, kernel_size=3, strides=(2, 2), activation="relu"
                ),
                tf.keras.layers.Conv2D(
                    filters=64, kernel_size=3, strides=(2, 2), activation="relu"
                ),
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
                    filters=64, kernel_size=3, strides=2, padding="same", activation="relu"
                ),
                tf.keras.layers.Conv2DTranspose(
                    filters=32, kernel_size=3, strides=2, padding="same", activation="relu"
                ),
                tf.keras.layers.Conv2DTranspose(
                    filters=1, kernel_size=3, strides=1, padding="same"
                ),
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


# ----------------------------------------------------------------- shared evaluation
def tutorial_elbo(encode, decode_logits, test_images: np.ndarray, passes: int, seed: int) -> float:
    """The tutorial's single-sample Monte-Carlo ELBO on the test set, mean over passes (nats)."""

    @tf.function
    def batch_elbo(x, step_seed):
        mean, logvar = encode(x)
        mean, logvar = tf.cast(mean, tf.float32), tf.cast(logvar, tf.float32)
        eps = tf.random.stateless_normal(tf.shape(mean), seed=step_seed)
        z = mean + tf.exp(0.5 * logvar) * eps
        logits = tf.cast(decode_logits(z), tf.float32)
        logpx_z = -tf.reduce_sum(
            tf.nn.sigmoid_cross_entropy_with_logits(logits=logits, labels=x), axis=[1, 2, 3]
        )
        return tf.reduce_sum(
            logpx_z + log_normal_pdf(z, 0.0, 0.0) - log_normal_pdf(z, mean, logvar)
        )

    total = 0.0
    for p in range(passes):
        for i in range(0, len(test_images), 500):
            total += float(batch_elbo(test_images[i : i + 500], tf.constant([seed + p, i])))
    return total / (passes * len(test_images))


# ----------------------------------------------------------------- recommended config, timed
def train_for_minutes(minutes: float, iwae_k: int) -> None:
    """Train :data:`RECOMMENDED` for ``minutes`` of wall time; print test ELBO and IWAE."""
    from imgen_helpers.gan import TimeLimit

    rec = RECOMMENDED
    set_seed(0)
    keras.mixed_precision.set_global_policy(rec["precision"])
    train = V.mnist_dataset("train", rec["batch_size"], rec["binarization"], source="offline")
    test = V.mnist_dataset("test", 500, rec["binarization"], source="offline")
    model = V.VAE(V.VAEConfig(latent_dim=rec["latent_dim"]), seed=0)
    model.compile(
        optimizer=V.default_optimizer(rec["learning_rate"]),
        steps_per_execution=rec["steps_per_execution"],
    )
    limit = TimeLimit(60.0 * minutes)
    start = time.perf_counter()
    model.fit(train, epochs=10_000, verbose=0, callbacks=[limit])
    seconds = time.perf_counter() - start
    steps = int(model.optimizer.iterations.numpy())
    print(
        f"recommended {rec}: {steps} steps ({steps * rec['batch_size'] / 8000:.1f} epochs) "
        f"in {seconds:.0f} s wall, load average {os.getloadavg()[0]:.1f}"
    )
    Path("runs").mkdir(exist_ok=True)
    model.save_weights("runs/vae_recommended.weights.h5")
    metrics = model.evaluate(test, return_dict=True, verbose=0)
    print(
        f"test ELBO (1-sample, closed-form KL): {metrics['elbo']:.2f} nats "
        f"(reconstruction {metrics['reconstruction']:.2f}, KL {metrics['kl']:.2f})",
        flush=True,
    )
    images = V.dataset_arrays(test)
    bounds = V.evaluate_bounds(model, images, k=iwae_k, batch_size=max(1, 5000 // iwae_k), seed=0)
    print(
        f"test ELBO ({iwae_k}-sample average): {bounds['elbo']:.2f} nats; "
        f"IWAE bound K={iwae_k}: {bounds['iwae']:.2f} nats; on {bounds['n']} held-out digits"
    )


# ----------------------------------------------------------------- the run
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=6, help="epochs for each model")
    parser.add_argument("--steps-per-execution", type=int, default=50)
    parser.add_argument(
        "--precision",
        default="float32",
        choices=["float32", "mixed_bfloat16"],
        help="dtype policy of ours",
    )
    parser.add_argument("--jit", action="store_true", help="XLA-compile our step (slower on CPU)")
    parser.add_argument(
        "--eval-samples", type=int, default=10, help="ELBO passes over the test set"
    )
    parser.add_argument("--limit", type=int, default=None, help="train on this many digits only")
    parser.add_argument(
        "--elbo-minutes",
        type=float,
        default=None,
        help="instead: train the recommended config this long, report test ELBO",
    )
    parser.add_argument("--iwae-k", type=int, default=100, help="samples of the IWAE bound")
    args = parser.parse_args()
    if args.elbo_minutes:
        train_for_minutes(args.elbo_minutes, args.iwae_k)
        return

    set_seed(0)
    train_u8, _ = load_mnist("train", source="offline", verbose=False)
    test_u8, _ = load_mnist("test", source="offline", verbose=False)
    if args.limit:
        train_u8 = train_u8[: args.limit]
    # The tutorial's preprocessing: /255, then threshold at 0.5.
    train_images = V.binarize(train_u8, "static")
    test_images = V.binarize(test_u8, "static")
    print(
        f"data: {len(train_images)} train / {len(test_images)} test shipped MNIST digits, "
        f"static binarisation (> 0.5); batch {BATCH}; latent {LATENT}; Adam({LEARNING_RATE})"
    )
    print(f"TF {tf.__version__}, Keras {keras.__version__}, {os.cpu_count()} CPU threads")

    # Reference: built under float32 (layers keep the policy they were built with).
    keras.mixed_precision.set_global_policy("float32")
    reference = CVAE(LATENT)
    ref_optimizer = tf.keras.optimizers.Adam(LEARNING_RATE)
    ref_step = make_reference_step(reference, ref_optimizer)
    ref_data = (
        tf.data.Dataset.from_tensor_slices(train_images).shuffle(len(train_images)).batch(BATCH)
    )

    keras.mixed_precision.set_global_policy(args.precision)
    ours = V.VAE(V.VAEConfig(latent_dim=LATENT), seed=0)
    ours.compile(
        optimizer=keras.optimizers.Adam(LEARNING_RATE),
        steps_per_execution=args.steps_per_execution,
        jit_compile=args.jit,
    )
    our_data = (
        tf.data.Dataset.from_tensor_slices(train_images)
        .shuffle(len(train_images), seed=0)
        .batch(BATCH)
        .prefetch(tf.data.AUTOTUNE)
    )
    keras.mixed_precision.set_global_policy("float32")
    print(
        f"ours: steps_per_execution={args.steps_per_execution}, precision={args.precision}, "
        f"jit_compile={args.jit}, tf.data prefetch"
    )

    steps = int(np.ceil(len(train_images) / BATCH))
    wall: dict[str, list[float]] = {"reference": [], "ours": []}
    cpu: dict[str, list[float]] = {"reference": [], "ours": []}

    def timed(name, run_epoch):
        start, start_cpu = time.perf_counter(), time.process_time()
        run_epoch()
        wall[name].append(time.perf_counter() - start)
        cpu[name].append(time.process_time() - start_cpu)

    def reference_epoch():
        for x in ref_data:
            ref_step(x)

    for epoch in range(1, args.epochs + 1):
        timed("reference", reference_epoch)
        timed("ours", lambda: ours.fit(our_data, epochs=1, verbose=0))
        print(
            f"epoch {epoch}: reference {steps / wall['reference'][-1]:.1f} steps/s, "
            f"ours {steps / wall['ours'][-1]:.1f} steps/s (wall clock); load average "
            f"{os.getloadavg()[0]:.1f}",
            flush=True,
        )

    def median_rate(seconds):
        return steps / statistics.median(seconds[1:] if len(seconds) > 1 else seconds)

    rates = {name: median_rate(t) for name, t in wall.items()}
    cpu_rates = {name: median_rate(t) for name, t in cpu.items()}
    elbos = {
        "reference": tutorial_elbo(
            reference.encode, reference.decode, test_images, args.eval_samples, seed=1
        ),
        "ours": tutorial_elbo(
            ours.encode, ours.decode_logits, test_images, args.eval_samples, seed=1
        ),
    }
    for name in ("reference", "ours"):
        print(
            f"{name}: {rates[name]:.1f} steps/s wall clock, {cpu_rates[name]:.1f} steps per "
            f"CPU-second (medians of epochs 2..{args.epochs}); "
            f"test ELBO after {args.epochs} epochs {elbos[name]:.2f} nats"
        )
    print(
        f"test ELBO difference (ours - reference): {elbos['ours'] - elbos['reference']:+.2f} nats"
    )
    print(f"CPU-time ratio (ours/reference): {cpu_rates['ours'] / cpu_rates['reference']:.2f}")
    floor_ms = in_graph_step_ms(next(iter(ref_data)))
    loop_ms = 1000.0 / rates["reference"]
    print(
        f"reference step with no Python loop around it (50 steps inside one graph): "
        f"{floor_ms:.1f} ms against {loop_ms:.1f} ms per step in its Python loop, so the loop's "
        f"per-step overhead is {max(loop_ms - floor_ms, 0.0) / loop_ms:.0%} of its time"
    )
    print(f"ratio={rates['ours'] / rates['reference']:.2f}")


def in_graph_step_ms(batch, steps: int = 50, repeats: int = 3) -> float:
    """Milliseconds per reference step when ``steps`` steps run inside one ``tf.function``.

    A fresh model and optimizer (the trained reference is left as it is). This is what the
    reference would cost with no per-step Python overhead at all: the most that
    ``steps_per_execution`` or any other loop-side lever can recover.
    """
    model = CVAE(LATENT)
    step = make_reference_step(model, tf.keras.optimizers.Adam(LEARNING_RATE))

    @tf.function
    def many():
        for _ in tf.range(steps):
            step.python_function(batch)

    many()  # trace
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        many()
        times.append((time.perf_counter() - start) / steps * 1000.0)
    return statistics.median(times)


if __name__ == "__main__":
    main()
