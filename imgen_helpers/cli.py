"""The course's command lines, in one place: ``imgen COMMAND`` or ``python -m imgen_helpers``.

* ``train-dcgan``: train the DCGAN of ``03_dcgan.ipynb`` for a wall-time budget, save its
  generator (how the shipped generator was made);
* ``train-cgan``: train the conditional GAN of ``10_conditional_gans.ipynb`` for a wall-time
  budget, save its generator (how the shipped one was made);
* ``train-cyclegan``: train lesson 11's CycleGAN (photographs <-> *The Great Wave*) for a
  number of steps, save both generators (how the shipped ones were made);
* ``train-diffusion``: train the digits' diffusion model of ``09_diffusion.ipynb`` for a
  wall-time budget, save its network (how the shipped one was made);
* ``train-classifier``: train the metric classifier of ``08_evaluating_generators.ipynb`` (how
  the shipped classifier was made);
* ``sample``: write N samples of a shipped or trained generator to a ``.npy`` file, float32
  (N, 28, 28, 1) in [0, 1], so that any generator of the course is judged by the same command
  (a conditional model's labels go beside it, to ``*_labels.npy``);
* ``score``: the lesson-08 classifier score and confident share of such a file;
* ``student-edition``: the lessons without their exercise solutions, for a class
  (:mod:`imgen_helpers.classroom`, which uses nbgrader).

Every command is a small function over the package; ``imgen COMMAND --help`` lists its options.
The parser refuses a malformed value (``--num 0``, ``--minutes -1``) with exit status 2; each
command then checks its options again, and what only it can see (a missing or mismatched
weights file, a config for other images), and stops with one line naming the option.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, replace

from . import checks

PRECISIONS = ("auto", "float32", "mixed_float16", "mixed_bfloat16")
SAMPLE_MODELS = ("dcgan", "cgan", "diffusion")
SOURCES = ("auto", "online", "offline")
SPLITS = ("train", "test", "all")


def _number(kind: type, text: str):
    """``text`` parsed as ``kind`` (int or float), or the parser's error saying what was wanted."""
    try:
        return kind(text)
    except (TypeError, ValueError):
        wanted = "a whole number" if kind is int else "a number"
        raise argparse.ArgumentTypeError(f"expected {wanted}, got {text!r}") from None


def _positive_int(text: str) -> int:
    value = _number(int, text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text}")
    return value


def _non_negative_int(text: str) -> int:
    value = _number(int, text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text}")
    return value


def _non_negative_float(text: str) -> float:
    value = _number(float, text)
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {text}")
    return value


def _decay(text: str) -> float:
    value = _number(float, text)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"expected a decay in [0, 1) such as 0.995, got {text}")
    return value


def _learning_rate(text: str) -> float:
    value = _number(float, text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(
            f"expected a learning rate in [0, 1] such as 1e-3, got {text}"
        )
    return value


def _namespace(args) -> argparse.Namespace:
    what = "an argparse.Namespace, e.g. build_parser().parse_args(['sample'])"
    return checks.instance("args", args, argparse.Namespace, what)


@contextmanager
def _options(command: str) -> Iterator[None]:
    """A bad option found by the checks inside stops the command with one line naming it."""
    try:
        yield
    except (TypeError, ValueError, FileNotFoundError) as error:
        raise SystemExit(f"imgen {command}: {error}") from None


def _run_options(args: argparse.Namespace) -> tuple:
    """The options every training command shares, checked: ``(minutes, epochs, out, seed,
    source, split, precision)``; ``--out`` must be a folder (or not exist yet)."""
    out = checks.path("--out", args.out)
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out must be a folder; {str(out)!r} is a file.")
    return (
        checks.non_negative("--minutes", args.minutes),
        checks.positive_int("--epochs", args.epochs),
        out,
        checks.integer("--seed", args.seed, minimum=0),
        checks.one_of("--source", args.source, SOURCES),
        checks.one_of("--split", args.split, SPLITS),
        checks.one_of("--precision", args.precision, PRECISIONS),
    )


def train_dcgan(args: argparse.Namespace) -> int:
    """``imgen train-dcgan``: train a DCGAN on MNIST and save its generator."""
    from . import dcgan
    from .plotting import image_grid, save_gif
    from .runtime import configure

    _namespace(args)
    with _options("train-dcgan"):
        name = checks.one_of("--config", args.config, dcgan.DCGAN_CONFIGS)
        config, recipe = dcgan.DCGAN_CONFIGS[name]
        if config.image_shape != (28, 28, 1):
            raise ValueError(
                f"--config {name} is for {config.image_shape} images; train-dcgan trains on "
                f"MNIST (28, 28, 1): pick one of mnist_small, mnist_full."
            )
        minutes, epochs, out, seed, source, split, precision = _run_options(args)
        ema = (
            args.ema
            if args.ema is None
            else checks.number("--ema", args.ema, minimum=0.0, below=1.0)
        )
        lr = checks.number("--lr", args.lr, minimum=0.0, maximum=1.0)
        batch_size = checks.integer("--batch-size", args.batch_size, minimum=0)
        plain = checks.boolean("--plain", args.plain)
    configure(precision)
    changes = {"ema": ema or None} if ema is not None else {}
    changes |= {"learning_rate": lr} if lr else {}
    changes |= {"batch_size": batch_size} if batch_size else {}
    changes |= {"fast": False} if plain else {}
    recipe = replace(recipe, **changes)
    gan, history, seconds = dcgan.train_dcgan(
        config,
        recipe,
        minutes=minutes or None,
        epochs=epochs,
        out=out,
        split=split,
        source=source,
        seed=seed,
    )
    steps = int(gan.g_optimizer.iterations.numpy())
    print(
        f"trained {len(history.epoch)} epochs, {steps} steps in {seconds:.0f} s "
        f"({steps / seconds:.2f} steps/s); recipe {asdict(recipe)}"
    )
    save_gif([image_grid(gan.generate(64, seed=0), 8)], out / "samples.gif")
    print(f"wrote {out / 'generator.weights.h5'} and samples.gif")
    return 0


def train_cyclegan(args: argparse.Namespace) -> int:
    """``imgen train-cyclegan``: train lesson 11's CycleGAN for --steps, save both generators."""
    from . import cyclegan as cg
    from .runtime import configure

    _namespace(args)
    with _options("train-cyclegan"):
        steps = checks.positive_int("--steps", args.steps)
        minutes = checks.non_negative("--minutes", args.minutes)
        out = checks.path("--out", args.out)
        if out.exists() and not out.is_dir():
            raise ValueError(f"--out must be a folder; {str(out)!r} is a file.")
        seed = checks.integer("--seed", args.seed, minimum=0)
        precision = checks.one_of("--precision", args.precision, PRECISIONS)
    configure(precision)
    model, history, seconds = cg.train_cyclegan(
        steps=steps, minutes=minutes or None, out=out, seed=seed
    )
    done = int(model.g_optimizer.iterations.numpy())
    last = {k: round(float(v[-1]), 4) for k, v in history.history.items()}
    print(f"trained {done} steps in {seconds:.0f} s ({done / seconds:.2f} steps/s); last {last}")
    print(f"wrote {out / 'photo_to_painting.weights.h5'} and painting_to_photo.weights.h5")
    return 0


def train_cgan(args: argparse.Namespace) -> int:
    """``imgen train-cgan``: train the conditional GAN on labelled MNIST, save its generator."""
    import numpy as np

    from . import conditional_gan as cg
    from .plotting import image_grid, save_gif
    from .runtime import configure

    _namespace(args)
    with _options("train-cgan"):
        conditioning = checks.one_of("--conditioning", args.conditioning, cg.CONDITIONINGS)
        minutes, epochs, out, seed, source, split, precision = _run_options(args)
    configure(precision)
    config = replace(cg.CGAN_MNIST_SMALL, conditioning=conditioning)
    gan, history, seconds = cg.train_cgan(
        config,
        minutes=minutes or None,
        epochs=epochs,
        out=out,
        split=split,
        source=source,
        seed=seed,
    )
    steps = int(gan.g_optimizer.iterations.numpy())
    print(
        f"trained {len(history.epoch)} epochs, {steps} steps in {seconds:.0f} s "
        f"({steps / seconds:.2f} steps/s), {conditioning} discriminator"
    )
    save_gif(
        [image_grid(gan.generate(np.repeat(np.arange(10), 8), seed=0), 8)], out / "samples.gif"
    )
    print(f"wrote {out / 'generator.weights.h5'} and samples.gif (rows: 0, 0, 1, 1, ... 9, 9)")
    return 0


def train_diffusion(args: argparse.Namespace) -> int:
    """``imgen train-diffusion``: train the digits' diffusion model, save its network."""
    from . import diffusion_mnist
    from .runtime import configure

    _namespace(args)
    with _options("train-diffusion"):
        minutes, epochs, out, seed, source, split, precision = _run_options(args)
    configure(precision)
    model, history, seconds = diffusion_mnist.train_mnist_diffusion(
        minutes=minutes or None, epochs=epochs, out=out, split=split, source=source, seed=seed
    )
    steps = int(model.optimizer.iterations.numpy())
    print(
        f"trained {len(history.epoch)} epochs in {seconds:.0f} s ({steps} optimizer steps in "
        f"total, earlier runs in {out} included); final loss {history.history['loss'][-1]:.4f}"
    )
    print(f"wrote {out / 'network.float16.h5'} (the weight average, float16 weights)")
    return 0


def train_classifier(args: argparse.Namespace) -> int:
    """``imgen train-classifier``: train the metric classifier, save its weights."""
    from .classifier import ClassifierConfig, save_classifier
    from .classifier import train_classifier as train
    from .data import _sha256

    _namespace(args)
    with _options("train-classifier"):
        out = checks.path("--out", args.out)
        if not str(out).endswith(".weights.h5"):
            raise ValueError("--out must end with .weights.h5 (Keras' weights-only format).")
        digits = args.train_digits
        config = ClassifierConfig(
            epochs=checks.positive_int("--epochs", args.epochs),
            seed=checks.integer("--seed", args.seed, minimum=0),
            train_digits=digits
            if digits is None
            else checks.positive_int("--train-digits", digits),
            copies=checks.integer("--copies", args.copies, minimum=0),
        )
    model, accuracy = train(config)
    out = save_classifier(model, out, config)
    print(f"held-out accuracy on the 2,000 offline test digits: {accuracy:.4f}")
    print(f"wrote {out} ({out.stat().st_size:,} bytes), sha256 {_sha256(out)}")
    return 0


def _weights_file(value, command: str, name: str):
    """``--weights`` as an existing file, or an error saying which command writes one."""
    weights = checks.path("--weights", value)
    if not weights.is_file():
        raise FileNotFoundError(
            f"no weights file at {weights}: {command} writes OUT/{name}; leave --weights out "
            "for the shipped model."
        )
    return weights


def sample(args: argparse.Namespace) -> int:
    """``imgen sample``: N samples of a generator to a .npy file, float32 in [0, 1]."""
    import numpy as np

    from . import dcgan
    from .gan import sample as draw
    from .images import to_unit_range

    _namespace(args)
    with _options("sample"):
        model = checks.one_of("--model", args.model, SAMPLE_MODELS)
    if model == "diffusion":
        return _sample_diffusion(args)
    if model == "cgan":
        return _sample_cgan(args)
    with _options("sample"):
        config, _ = dcgan.DCGAN_CONFIGS[checks.one_of("--config", args.config, dcgan.DCGAN_CONFIGS)]
        num = checks.positive_int("--num", args.num)
        seed = checks.integer("--seed", args.seed, minimum=0)
        out = checks.path("--out", args.out, suffix=".npy")
        if args.weights is None:
            try:
                generator = dcgan.load_pretrained_generator(config)
            except ValueError:  # --config builds another generator than the shipped one
                raise ValueError(
                    f"--config {args.config}: only mnist_small's generator is shipped; give "
                    f"--weights OUT/generator.weights.h5 from `imgen train-dcgan --config "
                    f"{args.config}`."
                ) from None
            source = "the shipped generator"
        else:
            weights = _weights_file(args.weights, "train-dcgan", "generator.weights.h5")
            try:
                generator = dcgan.load_generator(weights, config)
            except ValueError as error:  # the file holds another model than --config builds
                raise ValueError(f"--weights (with --config {args.config}): {error}") from None
            source = str(weights)
    images = to_unit_range(draw(generator, num, seed=seed), "symmetric")
    out.parent.mkdir(parents=True, exist_ok=True)
    np.save(out, images.astype(np.float32))
    print(f"wrote {num} samples {images.shape} in [0, 1] from {source} to {out}")
    return 0


def _labels_to_draw(args: argparse.Namespace, num: int):
    """``--label`` for every sample, or every digit evenly (0, 1, ..., 9, 0, 1, ...)."""
    import numpy as np

    if args.label is None:
        return np.arange(num) % 10
    return np.full(num, checks.integer("--label", args.label, minimum=0, maximum=9))


def _save_labelled(out, images, labels, source: str, how: str = "") -> None:
    """Write the samples to ``out`` and their labels beside it, to ``*_labels.npy``."""
    import numpy as np

    out.parent.mkdir(parents=True, exist_ok=True)
    np.save(out, images.astype(np.float32))
    label_path = out.with_name(out.stem + "_labels.npy")
    np.save(label_path, labels.astype(np.int32))
    print(
        f"wrote {len(images)} samples {images.shape} in [0, 1] from {source} to {out}{how}, "
        f"their labels to {label_path}"
    )


def _sample_cgan(args: argparse.Namespace) -> int:
    """``imgen sample --model cgan``: digits of the requested labels and the labels."""
    from . import conditional_gan as cg
    from .images import to_unit_range

    with _options("sample"):
        num = checks.positive_int("--num", args.num)
        seed = checks.integer("--seed", args.seed, minimum=0)
        out = checks.path("--out", args.out, suffix=".npy")
        labels = _labels_to_draw(args, num)
        if args.weights is None:
            generator, source = cg.load_pretrained_cgan(), "the shipped conditional GAN"
        else:
            weights = _weights_file(args.weights, "train-cgan", "generator.weights.h5")
            try:
                generator, source = cg.load_cgan_generator(weights), str(weights)
            except ValueError as error:  # not a file train-cgan wrote
                raise ValueError(f"--weights: {error}") from None
    images = to_unit_range(cg.sample_digits(generator, labels, seed=seed), "symmetric")
    _save_labelled(out, images, labels, source)
    return 0


def _sample_diffusion(args: argparse.Namespace) -> int:
    """``imgen sample --model diffusion``: digits and their labels, two .npy files."""
    from . import diffusion_mnist as dmn

    with _options("sample"):
        num = checks.positive_int("--num", args.num)
        seed = checks.integer("--seed", args.seed, minimum=0)
        out = checks.path("--out", args.out, suffix=".npy")
        steps = checks.positive_int("--steps", args.steps)
        sampler = checks.one_of("--sampler", args.sampler, dmn.SAMPLERS)
        guidance = checks.non_negative("--guidance", args.guidance)
        labels = _labels_to_draw(args, num)
        if args.weights is None:
            model, source = dmn.load_pretrained_diffusion(), "the shipped diffusion model"
        else:
            weights = _weights_file(args.weights, "train-diffusion", "network.float16.h5")
            try:
                model, source = dmn.load_network(weights), str(weights)
            except ValueError as error:  # not a file train-diffusion wrote
                raise ValueError(f"--weights: {error}") from None
        images = dmn.sample_digits(model, labels, guidance, steps, sampler, seed, verbose=True)
    how = f" (guidance {guidance:g}, {sampler} sampler, {steps} steps)"
    _save_labelled(out, images, labels, source, how)
    return 0


def score(args: argparse.Namespace) -> int:
    """``imgen score``: the lesson-08 classifier score and confident share of a .npy file."""
    import numpy as np

    from .metrics import classifier_score, confident_fraction

    _namespace(args)
    with _options("score"):
        path = checks.path("samples", args.samples, suffix=".npy")
        if not path.is_file():
            raise FileNotFoundError(
                f"samples: no file at {str(path)!r}; `imgen sample` writes one."
            )
        try:
            images = np.load(path)
            value, confident = classifier_score(images), confident_fraction(images, 0.9)
        except (TypeError, ValueError, OSError) as error:
            raise ValueError(f"samples {str(path)!r}: {error}") from None
    print(
        f"{args.samples}: {len(images)} images, classifier score {value:.3f} / 10, "
        f"confident (p >= 0.9) {confident:.1%}"
    )
    return 0


def write_student_edition(args: argparse.Namespace) -> int:
    """``imgen student-edition``: the lessons without solutions, for a class."""
    from .classroom import student_edition

    _namespace(args)
    with _options("student-edition"):
        source = checks.path("--from", args.source, exists=True)
        out = checks.path("--to", args.out)
        if not source.is_dir():
            raise ValueError(f"--from must be the folder of lessons; {str(source)!r} is a file.")
        if out.resolve() == source.resolve():
            raise ValueError("--to must differ from --from: it would overwrite the solutions.")
        written = student_edition(source, out)
    print(f"wrote the student edition of {len(written)} lessons to {out}/")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The ``imgen`` argument parser, one sub-command per job."""
    from .dcgan import DCGAN_CONFIGS
    from .diffusion_mnist import MNIST_RECIPE, SAMPLERS

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
    train.add_argument("--seed", type=_non_negative_int, default=0)
    train.add_argument(
        "--ema",
        type=_decay,
        default=None,
        help="override the recipe's EMA decay (0: none)",
    )
    train.add_argument(
        "--lr", type=_learning_rate, default=0.0, help="override the learning rate (0: keep)"
    )
    train.add_argument(
        "--batch-size", type=_non_negative_int, default=0, help="override the batch size (0: keep)"
    )
    train.add_argument(
        "--plain",
        action="store_true",
        help="train without the speed wing (plain layers and GAN step)",
    )
    train.add_argument("--source", default="auto", choices=SOURCES)
    train.add_argument("--split", default="all", choices=SPLITS)
    train.add_argument("--precision", default="auto", choices=PRECISIONS)
    train.set_defaults(run=train_dcgan)

    cgan = commands.add_parser(
        "train-cgan", help="train the conditional GAN on labelled MNIST, save its generator"
    )
    cgan.add_argument("--conditioning", default="projection", choices=("projection", "concat"))
    cgan.add_argument(
        "--minutes", type=_non_negative_float, default=3.0, help="wall-time budget (0: --epochs)"
    )
    cgan.add_argument("--epochs", type=_positive_int, default=1000)
    cgan.add_argument("--out", default="runs/cgan", help="output folder")
    cgan.add_argument("--seed", type=_non_negative_int, default=0)
    cgan.add_argument("--source", default="auto", choices=SOURCES)
    cgan.add_argument(
        "--split", default="train", choices=SPLITS, help="train keeps the held-out digits unseen"
    )
    cgan.add_argument("--precision", default="auto", choices=PRECISIONS)
    cgan.set_defaults(run=train_cgan)

    cycle = commands.add_parser(
        "train-cyclegan", help="train lesson 11's CycleGAN (photos <-> the Great Wave)"
    )
    cycle.add_argument("--steps", type=_positive_int, default=4000, help="training steps")
    cycle.add_argument(
        "--minutes", type=_non_negative_float, default=0.0, help="stop sooner (0: no limit)"
    )
    cycle.add_argument("--out", default="runs/cyclegan", help="output folder")
    cycle.add_argument("--seed", type=_non_negative_int, default=0)
    cycle.add_argument("--precision", default="auto", choices=PRECISIONS)
    cycle.set_defaults(run=train_cyclegan)

    from .classifier import ClassifierConfig

    diffuse = commands.add_parser(
        "train-diffusion", help="train the digits' diffusion model, save its network"
    )
    diffuse.add_argument(
        "--minutes", type=_non_negative_float, default=10.0, help="wall-time budget (0: --epochs)"
    )
    diffuse.add_argument("--epochs", type=_positive_int, default=1000)
    diffuse.add_argument("--out", default="runs/diffusion", help="output folder (resumes there)")
    diffuse.add_argument("--seed", type=_non_negative_int, default=0)
    diffuse.add_argument("--source", default="auto", choices=SOURCES)
    diffuse.add_argument(
        "--split", default="train", choices=SPLITS, help="train keeps the held-out digits unseen"
    )
    diffuse.add_argument("--precision", default="auto", choices=PRECISIONS)
    diffuse.set_defaults(run=train_diffusion)

    classify = commands.add_parser(
        "train-classifier", help="train the metric classifier on the offline train split"
    )
    classify.add_argument("--out", required=True, help="where to write the .weights.h5 file")
    classify.add_argument("--epochs", type=_positive_int, default=ClassifierConfig.epochs)
    classify.add_argument("--seed", type=_non_negative_int, default=ClassifierConfig.seed)
    classify.add_argument(
        "--train-digits",
        type=_positive_int,
        default=None,
        help="use only the first N training digits (for quick checks)",
    )
    classify.add_argument("--copies", type=_non_negative_int, default=ClassifierConfig.copies)
    classify.set_defaults(run=train_classifier)

    draw = commands.add_parser("sample", help="write N samples of a generator to a .npy file")
    draw.add_argument("--model", default="dcgan", choices=SAMPLE_MODELS)
    draw.add_argument("--config", default="mnist_small", choices=sorted(DCGAN_CONFIGS))
    draw.add_argument(
        "--weights",
        default=None,
        help="generator.weights.h5 from train-dcgan or train-cgan, or network.float16.h5 from "
        "train-diffusion (default: the shipped one)",
    )
    draw.add_argument("--num", type=_positive_int, default=2000)
    draw.add_argument(
        "--label",
        type=_non_negative_int,
        default=None,
        help="cgan, diffusion: one digit 0-9 (default: all evenly)",
    )
    draw.add_argument(
        "--guidance",
        type=_non_negative_float,
        default=MNIST_RECIPE.guidance,
        help="diffusion: guidance scale (1: the plain conditional model, 0: unconditional)",
    )
    draw.add_argument(
        "--steps",
        type=_positive_int,
        default=MNIST_RECIPE.sampling_steps,
        help="diffusion: sampler steps",
    )
    draw.add_argument(
        "--sampler",
        default="auto",
        choices=SAMPLERS,
        help="diffusion: auto is heun for the shipped (flow-matching) model",
    )
    draw.add_argument("--seed", type=_non_negative_int, default=0, help="seed of the latents")
    draw.add_argument("--out", default="runs/samples.npy", help="a .npy file to write")
    draw.set_defaults(run=sample)

    judge = commands.add_parser("score", help="classifier score of a .npy file of digits")
    judge.add_argument("samples", help="a .npy file of (N, 28, 28[, 1]) digits, as sample writes")
    judge.set_defaults(run=score)

    edition = commands.add_parser(
        "student-edition",
        help="write the lessons without their solutions (nbgrader's ClearSolutions)",
    )
    edition.add_argument("--from", dest="source", default="notebooks", help="teacher's edition")
    edition.add_argument("--to", dest="out", default="student", help="folder to write")
    edition.set_defaults(run=write_student_edition)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` (default: the process's arguments) and run the chosen command.

    Args:
        argv: the words of a command line as a list of str, e.g. ``["sample", "--num", "8"]``;
            None reads ``sys.argv``.

    Returns:
        The exit status (0). A bad option exits: status 2 from the parser, or one line from
        the command naming the option.
    """
    if argv is not None:
        if isinstance(argv, str) or not isinstance(argv, Sequence):
            raise TypeError(
                "argv must be a list of str, e.g. ['sample', '--num', '8'] (or "
                f"'sample --num 8'.split()); got {type(argv).__name__} {argv!r}."
            )
        for i, word in enumerate(argv):
            checks.instance(f"argv[{i}]", word, str, "a str (write numbers as text, e.g. '8')")
    args = build_parser().parse_args(argv)
    from .runtime import start_tensorflow

    start_tensorflow()  # before any command imports TensorFlow: no start-up log noise
    return args.run(args)
