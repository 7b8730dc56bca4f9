"""DCGAN training speed: the course's GAN model against the TensorFlow DCGAN tutorial's loop.

Speed (default): both train the tutorial's architecture (generator Dense 7x7x256, transposed
convolutions 128, 64, 1 with kernel 5, batch norm, LeakyReLU; discriminator convolutions 64, 128
with kernel 5, dropout 0.3; Adam 1e-4; batch 256) on the same MNIST digits, in one process, in
alternating timed windows so that noise from other processes hits both alike. The reference is
written from the tutorial's published code (https://www.tensorflow.org/tutorials/generative/dcgan):
``from_tensor_slices().shuffle().batch()``, a Python loop calling one ``@tf.function`` with two
``GradientTape``s, float32. Ours: ``FastGAN(update="simultaneous")`` of the speed wing (the same
update rule) trained with ``fit()`` on ``data.mnist_dataset`` (whole batches, prefetch), under the
precision policy that ``configure()`` picks. Four levers do the work:

* the precision policy: ``mixed_bfloat16`` on a CPU with AVX512_BF16 or AMX (convolutions and
  matrix products about 2x faster than float32 there; weights, losses and optimizer state stay
  float32), float32 on a CPU without (where bfloat16 is emulated and slower);
* ``imgen_helpers.fast.layers.Conv2DTranspose`` (exact: same weights, same outputs up to float
  rounding, checked in ``tests/``): the generator's transposed convolutions, its one-channel
  output layer included, run forward as sub-pixel convolutions instead of TensorFlow's slower
  gradient-of-convolution kernel, and their kernel gradients as forward convolutions too;
* ``imgen_helpers.fast.layers.BatchNormalization`` (exact in the same sense): the generator's batch
  norm in training is one fused kernel each way instead of Keras' dozen operations (and no
  casts of the activations to float32 and back under ``mixed_bfloat16``);
* the simultaneous step goes back through the discriminator ONCE for both players (exact: the two
  losses differ only by a per-sample factor at the logit; see
  ``FastGAN.simultaneous_step_one_pass``).

``--precision float32`` times the last three levers alone.

Prints steps/s of each; the last line is ``ratio=<ours/ref>``.

Quality (``--quality``): trains the CPU-friendly configuration (``dcgan.DCGAN_MNIST_SMALL`` with
``dcgan.DCGAN_MNIST_SMALL_RECIPE``, the speed wing on; ``--plain`` without it) for a fixed wall
time (default 3 minutes) on the 10,000 shipped digits and reports the classifier score
exp(E KL(p(y|x) || p(y))) and the share of samples classified with confidence >= 0.9.

``--quality --marks 2000,3000,4500`` trains by step count instead (no time limit) and reports the
same two figures at each mark: how the quality grows with the steps a budget buys.

Levers (``--levers``): one training step of ``dcgan.DCGAN_MNIST_SMALL`` with its recipe (the
lesson's) as the package builds it, against the same step with one lever of
``imgen_helpers.fast.layers`` swapped back for TensorFlow's own: Keras' batch norm, Keras' kernel
for the one-channel output layer, TensorFlow's filter gradient ("SAME" padding) in the transposed
convolutions. Alternating timed windows in one process; prints each variant's median ms/step
and its median ratio to the package's step (above 1: the lever saves time).

Run one benchmark at a time on a shared machine::

    flock /tmp/imgen-bench.lock .venv/bin/python benchmarks/dcgan.py
    flock /tmp/imgen-bench.lock .venv/bin/python benchmarks/dcgan.py --quality
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time

import keras
import numpy as np
import tensorflow as tf

from imgen_helpers import configure, dcgan, gan, set_seed
from imgen_helpers.data import load_mnist, mnist_dataset
from imgen_helpers.fast import layers
from imgen_helpers.fast.gan import FastGAN

BATCH_SIZE = 256
NOISE_DIM = 100


# ---------------------------------------------------------------- the tutorial's models (shared)


def make_generator_model(
    conv_transpose=keras.layers.Conv2DTranspose, batch_norm=keras.layers.BatchNormalization
) -> keras.Model:
    """The tutorial's generator, layer for layer (named for readability).

    ``conv_transpose`` and ``batch_norm`` are the layer classes: Keras' for the reference,
    ``imgen_helpers.fast.layers.Conv2DTranspose`` and ``BatchNormalization`` (same weights, same
    outputs) for ours.
    """
    return keras.Sequential(
        [
            keras.Input((NOISE_DIM,)),
            keras.layers.Dense(7 * 7 * 256, use_bias=False, name="project"),
            batch_norm(name="project_bn"),
            keras.layers.LeakyReLU(name="project_lrelu"),
            keras.layers.Reshape((7, 7, 256), name="to_feature_map"),
            conv_transpose(128, 5, 1, padding="same", use_bias=False, name="up_0"),
            batch_norm(name="up_0_bn"),
            keras.layers.LeakyReLU(name="up_0_lrelu"),
            conv_transpose(64, 5, 2, padding="same", use_bias=False, name="up_1"),
            batch_norm(name="up_1_bn"),
            keras.layers.LeakyReLU(name="up_1_lrelu"),
            conv_transpose(
                1,
                5,
                2,
                padding="same",
                use_bias=False,
                activation="tanh",
                dtype="float32",
                name="to_pixels",
            ),
        ],
        name="tutorial_generator",
    )


def make_discriminator_model() -> keras.Model:
    """The tutorial's discriminator (logits out)."""
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(64, 5, 2, padding="same", name="down_0"),
            keras.layers.LeakyReLU(name="down_0_lrelu"),
            keras.layers.Dropout(0.3, name="down_0_dropout"),
            keras.layers.Conv2D(128, 5, 2, padding="same", name="down_1"),
            keras.layers.LeakyReLU(name="down_1_lrelu"),
            keras.layers.Dropout(0.3, name="down_1_dropout"),
            keras.layers.Flatten(name="flatten"),
            keras.layers.Dense(1, dtype="float32", name="logit"),
        ],
        name="tutorial_discriminator",
    )


# ---------------------------------------------------------------- reference: the tutorial's loop


class Reference:
    """The tutorial's training loop, as published, built under the float32 policy."""

    def __init__(self, images_uint8: np.ndarray):
        keras.mixed_precision.set_global_policy("float32")
        train_images = images_uint8.reshape(-1, 28, 28, 1).astype("float32")
        train_images = (train_images - 127.5) / 127.5
        self.dataset = (
            tf.data.Dataset.from_tensor_slices(train_images)
            .shuffle(len(train_images))
            .batch(BATCH_SIZE)
        )
        self.generator = make_generator_model()
        self.discriminator = make_discriminator_model()
        self.cross_entropy = keras.losses.BinaryCrossentropy(from_logits=True)
        self.generator_optimizer = keras.optimizers.Adam(1e-4)
        self.discriminator_optimizer = keras.optimizers.Adam(1e-4)
        self.train_step = tf.function(self._train_step)
        self._iterator = self._batches()

    def _train_step(self, images):
        noise = tf.random.normal([BATCH_SIZE, NOISE_DIM])
        with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
            generated_images = self.generator(noise, training=True)
            real_output = self.discriminator(images, training=True)
            fake_output = self.discriminator(generated_images, training=True)
            gen_loss = self.cross_entropy(tf.ones_like(fake_output), fake_output)
            disc_loss = self.cross_entropy(
                tf.ones_like(real_output), real_output
            ) + self.cross_entropy(tf.zeros_like(fake_output), fake_output)
        gradients_of_generator = gen_tape.gradient(gen_loss, self.generator.trainable_variables)
        gradients_of_discriminator = disc_tape.gradient(
            disc_loss, self.discriminator.trainable_variables
        )
        self.generator_optimizer.apply_gradients(
            zip(gradients_of_generator, self.generator.trainable_variables, strict=True)
        )
        self.discriminator_optimizer.apply_gradients(
            zip(gradients_of_discriminator, self.discriminator.trainable_variables, strict=True)
        )
        return gen_loss, disc_loss

    def _batches(self):
        while True:  # the tutorial's `for epoch in range(epochs): for image_batch in dataset:`
            yield from self.dataset

    def run(self, steps: int) -> float:
        """Seconds for ``steps`` training steps, after one untimed step (as for ours)."""
        float(self.train_step(next(self._iterator))[0])
        start = time.perf_counter()
        for _ in range(steps):
            gen_loss, _ = self.train_step(next(self._iterator))
        float(gen_loss)  # make sure the work is done
        return time.perf_counter() - start


# ---------------------------------------------------------------- ours: the course's GAN model


class _StepClock(keras.callbacks.Callback):
    """Times every step of a ``fit()`` call but its first (its first execution, with
    ``steps_per_execution`` > 1).

    The first step of each ``fit()`` call also opens a new iterator, after which Keras sometimes
    rebuilds its training function (seconds); a user pays that once per training run, the
    benchmark once per timed window, so it is left out (and one step of the reference with it).
    """

    def on_train_begin(self, logs=None):
        self.start = None

    def on_train_batch_end(self, batch, logs=None):
        self.end = time.perf_counter()
        if self.start is None:
            self.start = self.end


class Ours:
    """The course's GAN model on the tutorial's architecture, with the course's levers."""

    def __init__(self, precision: str, jit_compile: bool, steps_per_execution: int):
        info = configure(precision, verbose=False)
        self.precision = info.precision
        data = mnist_dataset("all", BATCH_SIZE, drop_remainder=True, verbose=False)
        self.dataset = data.repeat()
        self.model = FastGAN(
            make_generator_model(layers.Conv2DTranspose, layers.BatchNormalization),
            make_discriminator_model(),
            NOISE_DIM,
            loss="non_saturating",
            update="simultaneous",
            seed=0,
        )
        self.model.compile(
            d_optimizer=keras.optimizers.Adam(1e-4),
            g_optimizer=keras.optimizers.Adam(1e-4),
            jit_compile=jit_compile,
            steps_per_execution=steps_per_execution,
        )
        self.steps_per_execution = steps_per_execution
        keras.mixed_precision.set_global_policy("float32")  # the reference builds in float32

    def run(self, steps: int) -> float:
        """Seconds for ``steps`` training steps, after one untimed step (see ``_StepClock``)."""
        clock = _StepClock()
        self.model.fit(
            self.dataset,
            epochs=1,
            steps_per_epoch=steps + self.steps_per_execution,
            verbose=0,
            callbacks=[clock],
        )
        return clock.end - clock.start


def speed(args) -> None:
    images, _ = load_mnist(split="all", verbose=True)
    set_seed(0)
    ours = Ours(args.precision, args.jit, args.steps_per_execution)
    reference = Reference(images)
    print(
        f"ours: precision {ours.precision}, jit_compile={args.jit}, "
        f"steps_per_execution={args.steps_per_execution}; reference: float32"
    )
    ours.run(args.warmup)  # trace and warm up both before timing
    reference.run(args.warmup)
    ours_rates, ref_rates = [], []
    for repeat in range(args.repeats):
        ref_rates.append(args.steps / reference.run(args.steps))
        ours_rates.append(args.steps / ours.run(args.steps))
        print(
            f"repeat {repeat + 1}: reference {ref_rates[-1]:.3f} steps/s, "
            f"ours {ours_rates[-1]:.3f} steps/s",
            flush=True,
        )
    ref, our = statistics.median(ref_rates), statistics.median(ours_rates)
    print(f"reference (TF tutorial loop, float32): {ref:.3f} steps/s (median of {args.repeats})")
    print(f"ours (FastGAN + fit, {ours.precision}): {our:.3f} steps/s (median of {args.repeats})")
    print(f"ratio={our / ref:.3f}")


def _cpu_times() -> list[int] | None:
    """The machine's cumulative CPU times (Linux ``/proc/stat`` "cpu" line), or None elsewhere."""
    try:
        with open("/proc/stat") as stat:
            return [int(v) for v in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None


def _stolen_share(before: list[int] | None, after: list[int] | None) -> str:
    """What share of the CPU time the hypervisor gave to other machines between two readings.

    On a shared virtual machine that share changes from run to run and slows the steps with it,
    so a wall-time budget buys a different number of steps; the quality run prints it.
    """
    if before is None or after is None or len(before) < 8:
        return "not known (no /proc/stat)"
    delta = [b - a for a, b in zip(before, after, strict=False)]
    return f"{delta[7] / max(sum(delta[:8]), 1):.1%}"  # fields: user nice system idle ... steal


def _sample_quality(model: gan.GAN, samples: int) -> tuple[float, float]:
    """Classifier score and share of confident (p >= 0.9) samples of the averaged generator."""
    from imgen_helpers import metrics

    images = model.generate(samples, seed=1)
    return metrics.classifier_score(images), metrics.confident_fraction(images, threshold=0.9)


def _train_small(args, minutes: float | None, callbacks=()):
    """``dcgan.DCGAN_MNIST_SMALL`` on the 10,000 shipped digits, as the quality check trains it."""
    recipe = dataclasses.replace(dcgan.DCGAN_MNIST_SMALL_RECIPE, fast=not args.plain)
    return dcgan.train_dcgan(
        dcgan.DCGAN_MNIST_SMALL,
        recipe,
        minutes=minutes,
        out=None,
        split="all",
        source="offline",
        seed=args.seed,
        verbose=0,
        callbacks=callbacks,
    )


def quality(args) -> None:
    configure(args.precision)
    cpu_before = _cpu_times()
    model, history, seconds = _train_small(args, args.minutes)
    stolen = _stolen_share(cpu_before, _cpu_times())
    steps = int(model.g_optimizer.iterations.numpy())
    score, confident = _sample_quality(model, args.samples)
    print(
        f"trained DCGAN_MNIST_SMALL ({'plain' if args.plain else 'fast'} recipe) "
        f"for {seconds:.0f} s wall time: "
        f"{len(history.epoch)} epochs, "
        f"{steps} steps ({steps / seconds:.2f} steps/s) on the 10,000 shipped digits; "
        f"CPU time taken by the hypervisor meanwhile: {stolen}"
    )
    print(
        f"classifier score {score:.2f} / 10 (target >= 8.5); "
        f"confident (p >= 0.9) {confident:.1%} (target >= 85%) on {args.samples} samples"
    )


class _QualityMarks(keras.callbacks.Callback):
    """Scores the averaged generator at given step counts (evaluation time not counted)."""

    def __init__(self, marks: list[int], samples: int):
        super().__init__()
        self.marks, self.samples = sorted(marks), samples

    def on_train_begin(self, logs=None):
        self.steps, self.excluded, self.start = 0, 0.0, time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        self.steps += 1
        if self.steps not in self.marks:
            return
        started = time.perf_counter()
        score, confident = _sample_quality(self.model, self.samples)
        print(
            f"step {self.steps}: {started - self.start - self.excluded:.0f} s of training, "
            f"classifier score {score:.2f}, confident {confident:.1%}",
            flush=True,
        )
        self.excluded += time.perf_counter() - started
        if self.steps == self.marks[-1]:
            self.model.stop_training = True


def quality_marks(args) -> None:
    configure(args.precision)
    marks = [int(m) for m in args.marks.split(",")]
    _train_small(args, None, callbacks=[_QualityMarks(marks, args.samples)])


class _ThickOutputsOnly(layers.Conv2DTranspose):
    """The former rule: TensorFlow's kernel for transposed convolutions with under 8 filters."""

    def _fast_path(self) -> bool:
        return super()._fast_path() and self.filters >= 8


def _same_filter_gradient(x, dy, kernel_size, stride, padding):
    """TensorFlow's filter-gradient kernel with "SAME" padding, in place of kernel_gradient."""
    return tf.raw_ops.Conv2DBackpropFilter(
        input=x,
        filter_sizes=[*kernel_size, x.shape[-1], dy.shape[-1]],
        out_backprop=dy,
        strides=[1, stride, stride, 1],
        padding="SAME",
    )


def levers(args) -> None:
    configure(args.precision)
    config, recipe = dcgan.DCGAN_MNIST_SMALL, dcgan.DCGAN_MNIST_SMALL_RECIPE
    real = tf.random.uniform((recipe.batch_size, 28, 28, 1), -1.0, 1.0, seed=0)
    package = (layers.BatchNormalization, layers.Conv2DTranspose, layers.kernel_gradient)

    def step(batch_norm=package[0], conv_transpose=package[1], kernel_gradient=package[2]):
        # The builders look the layers up in imgen_helpers.fast.layers when they run, and the custom
        # gradient looks up kernel_gradient when it is traced: swap, build, trace, restore.
        layers.BatchNormalization, layers.Conv2DTranspose = batch_norm, conv_transpose
        layers.kernel_gradient = kernel_gradient
        try:
            set_seed(0)
            train_step = tf.function(dcgan.make_dcgan(config, recipe).train_step)
            for _ in range(args.warmup + 2):
                train_step(real)
        finally:
            layers.BatchNormalization, layers.Conv2DTranspose, layers.kernel_gradient = package
        return train_step

    variants = {
        "package": step(),
        "Keras batch norm": step(batch_norm=keras.layers.BatchNormalization),
        "Keras kernel for the output layer": step(conv_transpose=_ThickOutputsOnly),
        "TF filter gradient": step(kernel_gradient=_same_filter_gradient),
    }
    times = {name: [] for name in variants}
    for _ in range(args.repeats):
        for name, train_step in variants.items():
            start = time.perf_counter()
            for _ in range(args.steps):
                logs = train_step(real)
            float(logs["d_loss"])
            times[name].append(1e3 * (time.perf_counter() - start) / args.steps)
    base = np.array(times["package"])
    for name, values in times.items():
        ratio = statistics.median(np.array(values) / base)
        print(
            f"{name:34s} {statistics.median(values):6.2f} ms/step (median of {args.repeats} "
            f"windows of {args.steps}), ratio to the package {ratio:.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=8, help="timed steps per window")
    parser.add_argument("--repeats", type=int, default=5, help="timed windows per side")
    parser.add_argument("--warmup", type=int, default=3, help="untimed steps per side first")
    parser.add_argument(
        "--precision",
        default="auto",
        choices=("auto", "float32", "mixed_float16", "mixed_bfloat16"),
    )
    parser.add_argument("--jit", action="store_true", help="compile our step with XLA")
    parser.add_argument("--steps-per-execution", type=int, default=1)
    parser.add_argument("--quality", action="store_true", help="run the 3-minute quality check")
    parser.add_argument(
        "--marks", default="", help="with --quality: step counts to score at, e.g. 2000,3000"
    )
    parser.add_argument(
        "--levers", action="store_true", help="time DCGAN_MNIST_SMALL's step without each lever"
    )
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--plain",
        action="store_true",
        help="quality run without the speed wing (plain layers and GAN step)",
    )
    args = parser.parse_args()
    if args.levers:
        levers(args)
    elif args.quality:
        quality_marks(args) if args.marks else quality(args)
    else:
        speed(args)


if __name__ == "__main__":
    main()
