"""The course's command lines, in one place: ``imgen COMMAND`` or ``python -m imgen_helpers``.

* ``train-dcgan``: train the DCGAN of ``03_dcgan.ipynb`` for a wall-time budget, save its
  generator (how the shipped generator was made);
* ``train-classifier``: train the metric classifier of ``08_evaluating_generators.ipynb`` (how
  the shipped classifier was made);
* ``sample``: write N samples of a shipped or trained generator to a ``.npy`` file, float32
  (N, 28, 28, 1) in [0, 1], so that any generator of the course is judged by the same command;
* ``score``: the lesson-08 classifier score and confident share of such a file.

Every command is a small function over the package; ``imgen COMMAND --help`` lists its options.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path

PRECISIONS = ("auto", "float32", "mixed_float16", "mixed_bfloat16")
SAMPLE_MODELS = ("dcgan",)


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text}")
    return value


def _non_negative_float(text: str) -> float:
    value = float(text)
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {text}")
    return value


def train_dcgan(args: argparse.Namespace) -> int:
    """``imgen train-dcgan``: train a DCGAN on MNIST and save its generator."""
    from . import dcgan
    from .plotting import image_grid, save_gif
    from .runtime import configure

    configure(args.precision)
    config, recipe = dcgan.DCGAN_CONFIGS[args.config]
    if config.image_shape != (28, 28, 1):
        raise SystemExit(f"train-dcgan trains on MNIST; {args.config} is for {config.image_shape}.")
    changes = {"ema": args.ema or None} if args.ema is not None else {}
    changes |= {"learning_rate": args.lr} if args.lr else {}
    changes |= {"batch_size": args.batch_size} if args.batch_size else {}
    changes |= {"fast": False} if args.plain else {}
    recipe = replace(recipe, **changes)
    gan, history, seconds = dcgan.train_dcgan(
        config,
        recipe,
        minutes=args.minutes or None,
        epochs=args.epochs,
        out=args.out,
        split=args.split,
        source=args.source,
        seed=args.seed,
    )
    steps = int(gan.g_optimizer.iterations.numpy())
    print(
        f"trained {len(history.epoch)} epochs, {steps} steps in {seconds:.0f} s "
        f"({steps / seconds:.2f} steps/s); recipe {asdict(recipe)}"
    )
    save_gif([image_grid(gan.generate(64, seed=0), 8)], Path(args.out) / "samples.gif")
    print(f"wrote {Path(args.out) / 'generator.weights.h5'} and samples.gif")
    return 0


def train_classifier(args: argparse.Namespace) -> int:
    """``imgen train-classifier``: train the metric classifier, save its weights."""
    from .classifier import ClassifierConfig, save_classifier
    from .classifier import train_classifier as train
    from .data import _sha256

    if not args.out.endswith(".weights.h5"):
        raise SystemExit("--out must end with .weights.h5 (Keras' weights-only format).")
    config = ClassifierConfig(
        epochs=args.epochs, seed=args.seed, train_digits=args.train_digits, copies=args.copies
    )
    model, accuracy = train(config)
    out = save_classifier(model, args.out, config)
    print(f"held-out accuracy on the 2,000 offline test digits: {accuracy:.4f}")
    print(f"wrote {out} ({out.stat().st_size:,} bytes), sha256 {_sha256(out)}")
    return 0


def sample(args: argparse.Namespace) -> int:
    """``imgen sample``: N samples of a generator to a .npy file, float32 in [0, 1]."""
    import numpy as np

    from . import dcgan
    from .gan import sample as draw
    from .images import to_unit_range

    config, _ = dcgan.DCGAN_CONFIGS[args.config]
    if args.weights is None:
        generator = dcgan.load_pretrained_generator(config)
        source = "the shipped generator"
    else:
        if not Path(args.weights).is_file():
            raise SystemExit(
                f"no weights file at {args.weights}: train-dcgan writes "
                "OUT/generator.weights.h5; leave --weights out for the shipped generator."
            )
        generator = dcgan.build_dcgan_generator(config)
        generator.load_weights(args.weights)
        source = args.weights
    images = to_unit_range(draw(generator, args.num, seed=args.seed), "symmetric")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.save(out, images.astype(np.float32))
    print(f"wrote {args.num} samples {images.shape} in [0, 1] from {source} to {out}")
    return 0


def score(args: argparse.Namespace) -> int:
    """``imgen score``: the lesson-08 classifier score and confident share of a .npy file."""
    import numpy as np

    from .metrics import classifier_score, confident_fraction

    images = np.load(args.samples)
    value, confident = classifier_score(images), confident_fraction(images, 0.9)
    print(
        f"{args.samples}: {len(images)} images, classifier score {value:.3f} / 10, "
        f"confident (p >= 0.9) {confident:.1%}"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The ``imgen`` argument parser, one sub-command per job."""
    from .dcgan import DCGAN_CONFIGS

    parser = argparse.ArgumentParser(prog="imgen", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    train = commands.add_parser("train-dcgan", help="train a DCGAN on MNIST, save its generator")
    train.add_argument("--config", default="mnist_small", choices=sorted(DCGAN_CONFIGS))
    train.add_argument(
        "--minutes",
        type=_non_negative_float,
        default=3.0,
        help="wall-time budget (0: train for --epochs)",
    )
    train.add_argument("--epochs", type=_positive_int, default=1000)
    train.add_argument("--out", default="runs/dcgan", help="output folder")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument(
        "--ema",
        type=_non_negative_float,
        default=None,
        help="override the recipe's EMA decay (0: none)",
    )
    train.add_argument(
        "--lr", type=_non_negative_float, default=0.0, help="override the learning rate"
    )
    train.add_argument("--batch-size", type=int, default=0, help="override the batch size")
    train.add_argument(
        "--plain",
        action="store_true",
        help="train without the speed wing (plain layers and GAN step)",
    )
    train.add_argument("--source", default="auto", choices=("auto", "online", "offline"))
    train.add_argument("--split", default="all", choices=("train", "test", "all"))
    train.add_argument("--precision", default="auto", choices=PRECISIONS)
    train.set_defaults(run=train_dcgan)

    from .classifier import ClassifierConfig

    classify = commands.add_parser(
        "train-classifier", help="train the metric classifier on the offline train split"
    )
    classify.add_argument("--out", required=True, help="where to write the .weights.h5 file")
    classify.add_argument("--epochs", type=_positive_int, default=ClassifierConfig.epochs)
    classify.add_argument("--seed", type=int, default=ClassifierConfig.seed)
    classify.add_argument(
        "--train-digits",
        type=_positive_int,
        default=None,
        help="use only the first N training digits (for quick checks)",
    )
    classify.add_argument("--copies", type=int, default=ClassifierConfig.copies)
    classify.set_defaults(run=train_classifier)

    draw = commands.add_parser("sample", help="write N samples of a generator to a .npy file")
    draw.add_argument("--model", default="dcgan", choices=SAMPLE_MODELS)
    draw.add_argument("--config", default="mnist_small", choices=sorted(DCGAN_CONFIGS))
    draw.add_argument(
        "--weights",
        default=None,
        help="a generator.weights.h5 from train-dcgan (default: the shipped one)",
    )
    draw.add_argument("--num", type=_positive_int, default=2000)
    draw.add_argument("--seed", type=int, default=0, help="seed of the latents")
    draw.add_argument("--out", default="runs/samples.npy")
    draw.set_defaults(run=sample)

    judge = commands.add_parser("score", help="classifier score of a .npy file of digits")
    judge.add_argument("samples", help="a .npy file of (N, 28, 28[, 1]) digits, as sample writes")
    judge.set_defaults(run=score)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` (default: the process's arguments) and run the chosen command."""
    args = build_parser().parse_args(argv)
    return args.run(args)
