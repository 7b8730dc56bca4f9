"""CycleGAN photo -> *The Great Wave*: the course's model against the TF CycleGAN tutorial's design.

Data: ``cyclegan.unpaired_dataset()``, 64-pixel crops of scikit-image's astronaut, coffee and
rocket photographs (domain A) and of Hokusai's *Great Wave* (domain B). Each side trains for
the same wall-clock budget (default 3 minutes) in one process, then translates 64 held-out
crops of ``chelsea`` (a photograph neither side, nor the judge, has seen):

* ours: ``cyclegan.CYCLEGAN_SMALL`` (lesson 07's transformation network 16/32/64 wide with
  three residual blocks; PatchGANs with 34-pixel patches), batch 4, under the precision
  ``configure()`` picks;
* the reference, written from the TensorFlow CycleGAN tutorial's published design: its
  generator is the pix2pix tutorial's U-Net with instance normalisation (downsample 64, 128,
  256, 512, 512, 512 for 64 pixels; upsample 512, 512 with dropout, 256, 128, 64; skips;
  transposed convolution to 3 with tanh), its discriminator the pix2pix one with instance
  normalisation and no target input, batch 1, float32, cycle weight 10, identity 5, Adam(2e-4,
  beta_1=0.5). Its step is the course's ``CycleGAN.train_step`` (least-squares adversarial
  terms, as in the paper), where the tutorial uses binary cross-entropy.

Figures on the held-out crops: the style judge's mean probability "painting"
(``style_judge.train_style_judge``, seed 0, trained once before both sides); the cycle L1
``|F(G(a)) - a|`` (does the content survive the round trip); SSIM of the translation against
the photograph. The last line is ``ratio=<ours' painting probability / the reference's>``.

``--shipped`` judges the shipped generators instead (or ``--weights FOLDER`` from ``imgen
train-cyclegan``): the same figures on the held-out crops, and on the whole photograph at the
lesson's size (120 pixels wide).

    flock /tmp/imgen-bench.lock .venv/bin/python benchmarks/cyclegan.py --seed 0
    .venv/bin/python benchmarks/cyclegan.py --shipped
"""

from __future__ import annotations

import argparse
import time

import keras
import numpy as np
from keras import layers

from imgen_helpers import cyclegan as cg
from imgen_helpers.callbacks import TimeLimit
from imgen_helpers.data import load_image
from imgen_helpers.images import ssim
from imgen_helpers.runtime import configure, precision_scope, set_seed
from imgen_helpers.style_judge import painting_probability, train_style_judge
from imgen_helpers.style_network import content_dataset


def _norm():
    return layers.GroupNormalization(groups=-1, epsilon=1e-5)


def _down(filters: int, norm: bool = True) -> keras.Sequential:
    block = [layers.Conv2D(filters, 4, 2, padding="same", use_bias=False)]
    return keras.Sequential(block + ([_norm()] if norm else []) + [layers.LeakyReLU()])


def _up(filters: int, dropout: bool = False) -> keras.Sequential:
    block = [layers.Conv2DTranspose(filters, 4, 2, padding="same", use_bias=False), _norm()]
    return keras.Sequential(block + ([layers.Dropout(0.5)] if dropout else []) + [layers.ReLU()])


def reference_generator(name: str) -> keras.Model:
    """The tutorial's U-Net generator (instance norm) for 64-pixel images, in and out in [0, 1]."""
    inputs = keras.Input((64, 64, 3))
    x = layers.Rescaling(2.0, offset=-1.0)(inputs)
    skips = []
    for i, filters in enumerate((64, 128, 256, 512, 512, 512)):  # 32, 16, 8, 4, 2, 1 pixels
        x = _down(filters, norm=i > 0)(x)
        skips.append(x)
    for filters, skip, dropout in zip(
        (512, 512, 256, 128, 64),
        reversed(skips[:-1]),
        (True, True, False, False, False),
        strict=True,
    ):
        x = layers.Concatenate()([_up(filters, dropout)(x), skip])
    x = layers.Conv2DTranspose(3, 4, 2, padding="same", activation="tanh")(x)
    outputs = layers.Rescaling(0.5, offset=0.5, dtype="float32")(x)
    return keras.Model(inputs, outputs, name=name)


def reference_discriminator(name: str) -> keras.Model:
    """The tutorial's discriminator (pix2pix's, instance norm, no target input)."""
    inputs = keras.Input((None, None, 3))
    x = layers.Rescaling(2.0, offset=-1.0)(inputs)
    x = _down(256)(_down(128)(_down(64, norm=False)(x)))
    x = layers.Conv2D(512, 4, use_bias=False)(layers.ZeroPadding2D()(x))
    x = layers.LeakyReLU()(_norm()(x))
    logits = layers.Conv2D(1, 4, dtype="float32")(layers.ZeroPadding2D()(x))
    return keras.Model(inputs, logits, name=name)


def train(model: cg.CycleGAN, batch: int, minutes: float, seed: int) -> float:
    """Train for ``minutes`` on the unpaired crops; steps per second."""
    data = cg.unpaired_dataset(crop_size=64, batch_size=batch, seed=seed).prefetch(2)
    start = time.perf_counter()
    model.fit(
        data, steps_per_epoch=100, epochs=100_000, verbose=0, callbacks=[TimeLimit(60 * minutes)]
    )
    return int(model.g_optimizer.iterations.numpy()) / (time.perf_counter() - start)


def report(name: str, speed: float, model: cg.CycleGAN, photos, judge) -> float:
    translated = np.asarray(model.photo_to_painting.predict(photos, verbose=0), np.float32)
    back = np.asarray(model.painting_to_photo.predict(translated, verbose=0), np.float32)
    painting = float(np.mean(painting_probability(judge, translated)))
    cycle = float(np.mean(np.abs(back - photos)))
    kept = float(np.mean([ssim(p, t) for p, t in zip(photos, translated, strict=True)]))
    print(
        f"{name}: {speed:.2f} steps/s, painting probability {painting:.3f}, "
        f"cycle L1 {cycle:.4f}, SSIM to the photograph {kept:.3f}"
    )
    return painting


def judge_saved(folder: str, photos, judge) -> None:
    """The figures of :func:`report` for saved generators (the shipped ones if no folder)."""
    if folder:
        g = cg.load_cyclegan_generator(f"{folder}/photo_to_painting.weights.h5")
        f = cg.load_cyclegan_generator(f"{folder}/painting_to_photo.weights.h5")
    else:
        g = cg.load_pretrained_cyclegan("photo_to_painting")
        f = cg.load_pretrained_cyclegan("painting_to_photo")
    whole = load_image("chelsea", 120, verbose=False)[None]
    for name, images in (("crops", photos), ("whole photograph", whole)):
        translated = cg.stylize_cyclegan(g, images)
        back = cg.stylize_cyclegan(f, translated)
        kept = np.mean([ssim(p, t) for p, t in zip(images, translated, strict=True)])
        before = np.mean(painting_probability(judge, images))
        after = np.mean(painting_probability(judge, translated))
        print(
            f"{name}: P(painting) photograph {before:.3f}, translation {after:.3f}; "
            f"SSIM to the photograph {kept:.3f}; cycle L1 {np.mean(np.abs(back - images)):.4f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=3.0, help="training budget per side")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--ours-only", action="store_true", help="skip the reference")
    parser.add_argument("--shipped", action="store_true", help="judge the shipped generators")
    parser.add_argument("--weights", default="", help="judge generators saved in this folder")
    args = parser.parse_args()
    info = configure("auto")
    print(f"precision {info.precision}, budget {args.minutes:g} min per side, seed {args.seed}")
    with precision_scope("float32"):
        judge = train_style_judge(seed=0)
    photos = np.asarray(next(iter(content_dataset(("chelsea",), 64, batch_size=64, seed=99))))
    print(
        f"judge: painting probability {np.mean(painting_probability(judge, photos)):.3f} on the "
        "held-out photo crops"
    )
    if args.shipped or args.weights:
        judge_saved(args.weights, photos, judge)
        return
    scores = {}
    set_seed(args.seed)
    ours = cg.make_cyclegan(cg.CYCLEGAN_SMALL, seed=args.seed)
    scores["ours"] = report("ours", train(ours, 4, args.minutes, args.seed), ours, photos, judge)
    if args.ours_only:
        return
    with precision_scope("float32"):  # the tutorial's precision
        set_seed(args.seed)
        reference = cg.CycleGAN(
            reference_generator("g"),
            reference_generator("f"),
            reference_discriminator("d_a"),
            reference_discriminator("d_b"),
        )
        reference.compile()
        speed = train(reference, 1, args.minutes, args.seed)
        scores["reference"] = report("TF tutorial reference", speed, reference, photos, judge)
    print(f"ratio={scores['ours'] / max(scores['reference'], 1e-3):.2f}")


if __name__ == "__main__":
    main()
