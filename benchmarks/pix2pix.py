"""pix2pix on paired digits: the course's model (L1 alone, L1 + PatchGAN) against the TF tutorial.

Task (``--task``): ``data.digit_pairs("edges")``, the outline of a digit to the digit, or
``"superres"``, a 7x7 block-averaged digit to the digit (4x super-resolution); 8,000 training
pairs, judged on the 2,000 held-out pairs. Each side trains for the same wall-clock budget
(default 2 minutes) in one process, then translates the held-out inputs:

* ours: ``pix2pix.PIX2PIX_DIGITS`` (two-level U-Net, PatchGAN with 16-pixel patches), batch 64,
  under the precision ``configure()`` picks, once with ``adversarial_weight=0`` (L1 alone) and
  once with the paper's 1 (L1 weight 100 both times);
* the reference, written from the TensorFlow pix2pix tutorial's published design: its
  ``downsample`` blocks (kernel 4, stride 2, batch norm except the first, LeakyReLU) and
  ``upsample`` blocks (transposed kernel 4, stride 2, batch norm, dropout 0.5, ReLU) with skip
  connections, as many levels as 28 pixels allow (64, 128 down; 64 up), its discriminator
  (downsample 64, 128, 256; zero padding; convolution 512; zero padding; one-channel
  convolution), L1 weight 100, Adam(2e-4, beta_1=0.5) for both, batch 1, float32. Its step
  is the course's ``Pix2Pix.train_step`` (discriminator, then generator on a fresh forward
  pass), where the tutorial updates both players from one forward pass.

Figures on the held-out pairs: L1 (pixels in [-1, 1]); sharpness (``images.sharpness``, the
variance of the Laplacian) relative to the real digits' (1.0: as crisp as real); the share of
outputs the lesson-08 classifier reads as the class it reads in the real digit, and its mean
confidence. The last line is ``ratio=<reference's sharpness gap / ours (L1 + adversarial)>``,
the gap being ``|1 - relative sharpness|``.

    flock /tmp/imgen-bench.lock .venv/bin/python benchmarks/pix2pix.py --seed 0
    flock /tmp/imgen-bench.lock .venv/bin/python benchmarks/pix2pix.py --task superres --seed 0
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from imgen_helpers import pix2pix as p2p
from imgen_helpers.callbacks import TimeLimit
from imgen_helpers.classifier import classifier_probs
from imgen_helpers.data import digit_pairs
from imgen_helpers.images import sharpness
from imgen_helpers.runtime import configure, precision_scope, set_seed


def _down(filters: int, norm: bool = True) -> keras.Sequential:
    block = [layers.Conv2D(filters, 4, 2, padding="same", use_bias=False)]
    return keras.Sequential(
        block + ([layers.BatchNormalization()] if norm else []) + [layers.LeakyReLU()]
    )


def _up(filters: int, dropout: bool = False) -> keras.Sequential:
    block = [layers.Conv2DTranspose(filters, 4, 2, padding="same", use_bias=False)]
    block.append(layers.BatchNormalization())
    block += [layers.Dropout(0.5)] if dropout else []
    return keras.Sequential(block + [layers.ReLU()])


def reference_models() -> tuple[keras.Model, keras.Model]:
    """The tutorial's generator and discriminator, with the levels 28 pixels allow."""
    inputs = keras.Input((28, 28, 1))
    d1 = _down(64, norm=False)(inputs)  # (14, 14, 64)
    d2 = _down(128)(d1)  # (7, 7, 128)
    u1 = layers.Concatenate()([_up(64, dropout=True)(d2), d1])  # (14, 14, 128)
    outputs = layers.Conv2DTranspose(1, 4, 2, padding="same", activation="tanh")(u1)
    generator = keras.Model(inputs, outputs)
    source, target = keras.Input((28, 28, 1)), keras.Input((28, 28, 1))
    x = layers.Concatenate()([source, target])
    x = _down(256)(_down(128)(_down(64, norm=False)(x)))  # (4, 4, 256)
    x = layers.ZeroPadding2D()(x)
    x = layers.Conv2D(512, 4, use_bias=False)(x)
    x = layers.LeakyReLU()(layers.BatchNormalization()(x))
    logits = layers.Conv2D(1, 4)(layers.ZeroPadding2D()(x))  # (2, 2, 1) patches
    return generator, keras.Model([source, target], logits)


def train(model: p2p.Pix2Pix, inputs, targets, batch: int, minutes: float, steps=None) -> float:
    """Train for ``minutes`` (or exactly ``steps`` steps); steps per second."""
    data = tf.data.Dataset.from_tensor_slices((inputs, targets)).shuffle(len(inputs), seed=0)
    data = data.batch(batch, drop_remainder=True).repeat().prefetch(2)
    start = time.perf_counter()
    if steps:
        model.fit(data, steps_per_epoch=100, epochs=steps // 100, verbose=0)
    else:
        model.fit(
            data,
            steps_per_epoch=100,
            epochs=100_000,
            verbose=0,
            callbacks=[TimeLimit(60 * minutes)],
        )
    return int(model.g_optimizer.iterations.numpy()) / (time.perf_counter() - start)


def report(name: str, speed: float, outputs, targets, real_classes) -> float:
    outputs = np.asarray(outputs, np.float32)
    l1 = float(np.mean(np.abs(outputs - targets)))
    relative = float(np.mean(sharpness(outputs)) / np.mean(sharpness(targets)))
    probs = classifier_probs(outputs)
    agree = float(np.mean(probs.argmax(1) == real_classes))
    print(
        f"{name}: {speed:.1f} steps/s, held-out L1 {l1:.4f}, sharpness {relative:.2f} of real, "
        f"classifier reads the real digit's class {agree:.1%}, confidence {probs.max(1).mean():.3f}"
    )
    return abs(1 - relative)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=2.0, help="training budget per side")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--task", choices=("edges", "superres"), default="edges")
    parser.add_argument("--ours-only", action="store_true", help="skip the reference")
    parser.add_argument(
        "--steps",
        type=int,
        default=0,
        help="train ours for this many steps (a multiple of 100) instead of --minutes: the "
        "quality of L1 alone against L1 + adversarial after the same number of updates",
    )
    parser.add_argument(
        "--save",
        default="",
        help="folder to write ours' generators to (l1_alone.weights.h5, l1_adversarial."
        "weights.h5): how lesson 11's shipped ones were made",
    )
    args = parser.parse_args()
    if args.steps % 100 or args.steps < 0:
        parser.error(f"--steps must be a multiple of 100 (0: use --minutes); got {args.steps}")
    info = configure("auto")
    print(
        f"task {args.task}, precision {info.precision}, budget {args.minutes:g} min per side, "
        f"seed {args.seed}"
    )
    inputs, targets = digit_pairs(args.task, "train", seed=args.seed, verbose=False)
    test_in, test_out = digit_pairs(args.task, "test", seed=args.seed, verbose=False)
    real_classes = classifier_probs(test_out).argmax(1)
    gaps = {}
    for name, weight in (("ours, L1 alone", 0.0), ("ours, L1 + adversarial", 1.0)):
        set_seed(args.seed)
        generator = p2p.build_unet(p2p.PIX2PIX_DIGITS)
        discriminator = p2p.build_patchgan(p2p.PIX2PIX_DIGITS) if weight else None
        model = p2p.Pix2Pix(generator, discriminator, l1_weight=100.0, adversarial_weight=weight)
        model.compile()  # Adam(2e-4, beta_1=0.5) for each player
        speed = train(model, inputs, targets, 64, args.minutes, args.steps)
        outputs = model.predict(test_in, batch_size=500, verbose=0)
        gaps[name] = report(name, speed, outputs, test_out, real_classes)
        if args.save:
            Path(args.save).mkdir(parents=True, exist_ok=True)
            stem = "l1_adversarial" if weight else "l1_alone"
            generator.save_weights(str(Path(args.save) / f"{stem}.weights.h5"))
    if args.ours_only:
        return
    with precision_scope("float32"):  # the tutorial's precision
        set_seed(args.seed)
        reference = p2p.Pix2Pix(*reference_models(), l1_weight=100.0, adversarial_weight=1.0)
        reference.compile()
        speed = train(reference, inputs, targets, 1, args.minutes)
        outputs = reference.predict(test_in, batch_size=500, verbose=0)
        gaps["reference"] = report("TF tutorial reference", speed, outputs, test_out, real_classes)
    print(f"ratio={gaps['reference'] / max(gaps['ours, L1 + adversarial'], 1e-3):.2f}")


if __name__ == "__main__":
    main()
