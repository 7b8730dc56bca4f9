"""Benchmark: does lesson 02's first GAN keep making shapes in every epoch? Two recipes compared.

Lesson 02 trains its dense generator against its convolutional discriminator for 20 epochs of
100 steps (the full budget). With Adam(2e-4, beta_1=0.5) for both players the discriminator
wins (D(fake) near 0.05) and, in some runs, the samples collapse to near-black images for single
epochs. The lesson therefore gives the discriminator half the generator's learning rate. This
script trains both recipes from the same starting weights and data, exactly as the lesson does
(four shape batches at 2e-4, as in its sections 5 and 6, then, for the slower discriminator, a
recompile with fresh optimizers; with equal rates the lesson used to go on with the same ones), and
prints after every epoch the two numbers of the lesson's final check, measured on its 16
``fixed_latents``: mean brightness and contrast (mean per-image standard deviation). The data
has about -0.78 and 0.54; an untrained generator about 0 and 0.1, and a near-black collapse
shows as a contrast far below the data's.

The last line gives, per recipe, the lowest contrast of any epoch (higher is better: no epoch
collapsed) and ``ratio=<lowest contrast, lesson's recipe / equal learning rates>``. Results, with
dates and machines, are in ``benchmarks/RESULTS.md``.

Whether a collapse happens depends on small things: the starting weights, fresh or carried-over
optimizer state, float32 or bfloat16. One run proves little either way, so ``--seeds 2,3,4``
trains each recipe from several starting points and reports the worst epoch over all of them.

Run: ``python benchmarks/first_gan_stability.py [--precision float32|auto] [--seeds 2]``.
It takes about 7 minutes per seed on a 2-core CPU (the recipes run one after the other).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import keras  # noqa: E402
import numpy as np  # noqa: E402

from imgen_helpers import configure, gan, set_seed  # noqa: E402
from imgen_helpers.data import make_shapes, shapes_dataset  # noqa: E402

LATENT_DIM = 100
RECIPES = {"equal learning rates": 2e-4, "lesson (D at half)": 1e-4}  # D's rate; G's is 2e-4


def brightness_and_contrast(images) -> tuple[float, float]:
    """Lesson 02's two numbers: mean pixel value, and mean per-image standard deviation."""
    images = np.asarray(images, dtype="float32")
    return float(images.mean()), float(images.std(axis=(1, 2, 3)).mean())


def train(
    d_learning_rate: float, epochs: int, steps: int, seed: int = 2
) -> list[tuple[float, float, float]]:
    """Lesson 02's training with the discriminator's learning rate given; per-epoch numbers."""
    set_seed(seed)  # lesson 02's seed for G and D is 2
    generator = gan.build_first_generator(LATENT_DIM, (28, 28, 3))
    discriminator = gan.build_first_discriminator((28, 28, 3))
    model = gan.GAN(generator, discriminator, LATENT_DIM, loss="non_saturating", seed=42)
    model.compile(
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    )
    model.fit(shapes_dataset(batch_size=64, seed=0).take(4), epochs=1, verbose=0)
    if d_learning_rate != 2e-4:  # the lesson recompiles; with equal rates it used to go on
        model.compile(
            d_optimizer=keras.optimizers.Adam(d_learning_rate, beta_1=0.5),
            g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        )
    fixed_latents = np.random.default_rng(0).standard_normal((16, LATENT_DIM)).astype("float32")
    rows = []

    class Record(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            brightness, contrast = brightness_and_contrast(model.generator(fixed_latents))
            rows.append((brightness, contrast, float(logs["d_fake"])))
            print(
                f"  epoch {epoch + 1:2d}: brightness {brightness:+.2f}  contrast {contrast:.2f}"
                f"  D(fake) {logs['d_fake']:.2f}",
                flush=True,
            )

    model.fit(
        shapes_dataset(64, seed=1),
        epochs=epochs,
        steps_per_epoch=steps,
        callbacks=[Record()],
        verbose=0,
    )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--precision", default="float32", help="float32 or auto (default float32)")
    parser.add_argument("--epochs", type=int, default=20, help="lesson 02's full budget: 20")
    parser.add_argument("--steps", type=int, default=100, help="steps per epoch (lesson: 100)")
    parser.add_argument(
        "--seeds", default="2", help="comma-separated seeds of the starting weights (lesson: 2)"
    )
    args = parser.parse_args(argv)
    set_seed(0)
    configure(args.precision, verbose=False)
    brightness, contrast = brightness_and_contrast(make_shapes(256, seed=3))
    print(f"data: brightness {brightness:+.2f}, contrast {contrast:.2f}")
    lowest = {name: 1.0 for name in RECIPES}
    for seed in (int(s) for s in args.seeds.split(",")):
        for name, d_learning_rate in RECIPES.items():
            print(f"{name}, seed {seed}: D Adam({d_learning_rate:g}), G Adam(2e-4)", flush=True)
            rows = train(d_learning_rate, args.epochs, args.steps, seed)
            lowest[name] = min(lowest[name], *(r[1] for r in rows))
    (equal, lesson) = (lowest[name] for name in RECIPES)
    print(
        f"lowest contrast in any epoch of any run: equal learning rates {equal:.2f}, "
        f"lesson {lesson:.2f}"
    )
    print(f"ratio={lesson / equal:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
