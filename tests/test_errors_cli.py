"""Bad inputs for imgen_helpers.cli: each must get a clear error naming the option.

A command line's own parser refuses a malformed value with exit status 2 (``tests/test_cli.py``);
these cases call the commands with a parsed ``Namespace`` whose options are wrong, or with what
only the command can see (files, configs): each stops with ``SystemExit`` and one line naming
the option. Calling ``main`` with something other than a list of str is a ``TypeError``.
"""

import math
import tempfile
from pathlib import Path

import numpy as np
from bad_inputs import Bad, parametrize

from imgen_helpers import cli, dcgan
from imgen_helpers.data import shipped_path

FOLDER = Path(tempfile.mkdtemp())
OTHER_MODEL = str(shipped_path("weights/mnist_classifier.weights.h5"))


def _args(*argv, **changes):
    """The Namespace ``imgen *argv`` parses to, with ``changes`` made to it."""
    args = cli.build_parser().parse_args(list(argv))
    vars(args).update(changes)
    return args


def _file(name: str, array=None) -> str:
    path = FOLDER / name
    if array is None:
        path.write_text("not a folder")
    else:
        np.save(path, array)
    return str(path)


def _edition(**changes):
    return cli.write_student_edition(_args("student-edition", **changes))


def _train(**changes):
    return cli.train_dcgan(_args("train-dcgan", **changes))


def _classifier(**changes):
    return cli.train_classifier(_args("train-classifier", "--out", "c.weights.h5", **changes))


def _sample(**changes):
    return cli.sample(_args("sample", "--out", str(FOLDER / "s.npy"), **changes))


def _diffuse(**changes):
    return cli.train_diffusion(_args("train-diffusion", **changes))


def _sample_diffusion(**changes):
    return _sample(model="diffusion", **changes)


def _train_cgan(**changes):
    return cli.train_cgan(_args("train-cgan", **changes))


def _train_cyclegan(**changes):
    return cli.train_cyclegan(_args("train-cyclegan", **changes))


def _sample_cgan(**changes):
    return _sample(model="cgan", **changes)


def _score(samples):
    return cli.score(_args("score", samples))


CASES = {
    "imgen_helpers.cli.train_dcgan": [
        Bad("type", lambda: cli.train_dcgan({"minutes": 3}), TypeError, "args"),
        Bad("name", lambda: _train(config="mnist_huge"), SystemExit, "--config"),
        Bad("compat", lambda: _train(config="color32_full"), SystemExit, "--config"),
        Bad("range", lambda: _train(minutes=-1), SystemExit, "--minutes"),
        Bad("type", lambda: _train(minutes="3"), SystemExit, "--minutes"),
        Bad("finite", lambda: _train(minutes=math.nan), SystemExit, "--minutes"),
        Bad("count", lambda: _train(epochs=0), SystemExit, "--epochs"),
        Bad("value", lambda: _train(seed=-1), SystemExit, "--seed"),
        Bad("range", lambda: _train(ema=1.5), SystemExit, "--ema"),
        Bad("range", lambda: _train(lr=-1e-3), SystemExit, "--lr"),
        Bad("count", lambda: _train(batch_size=-5), SystemExit, "--batch-size"),
        Bad("type", lambda: _train(plain="yes"), SystemExit, "--plain"),
        Bad("name", lambda: _train(source="web"), SystemExit, "--source"),
        Bad("name", lambda: _train(split="validation"), SystemExit, "--split"),
        Bad("name", lambda: _train(precision="fp16"), SystemExit, "--precision"),
        Bad("path", lambda: _train(out=_file("run.txt")), SystemExit, "--out"),
    ],
    "imgen_helpers.cli.train_cyclegan": [
        Bad("type", lambda: cli.train_cyclegan(["--steps", "3"]), TypeError, "args"),
        Bad("count", lambda: _train_cyclegan(steps=0), SystemExit, "--steps"),
        Bad("range", lambda: _train_cyclegan(minutes=-1), SystemExit, "--minutes"),
        Bad("value", lambda: _train_cyclegan(seed=-1), SystemExit, "--seed"),
        Bad("name", lambda: _train_cyclegan(precision="fp16"), SystemExit, "--precision"),
        Bad("path", lambda: _train_cyclegan(out=_file("cyclegan.txt")), SystemExit, "--out"),
    ],
    "imgen_helpers.cli.train_cgan": [
        Bad("type", lambda: cli.train_cgan({"minutes": 3}), TypeError, "args"),
        Bad("name", lambda: _train_cgan(conditioning="film"), SystemExit, "--conditioning"),
        Bad("range", lambda: _train_cgan(minutes=-1), SystemExit, "--minutes"),
        Bad("count", lambda: _train_cgan(epochs=0), SystemExit, "--epochs"),
        Bad("value", lambda: _train_cgan(seed=-1), SystemExit, "--seed"),
        Bad("name", lambda: _train_cgan(source="web"), SystemExit, "--source"),
        Bad("name", lambda: _train_cgan(split="validation"), SystemExit, "--split"),
        Bad("name", lambda: _train_cgan(precision="fp16"), SystemExit, "--precision"),
        Bad("path", lambda: _train_cgan(out=_file("cgan.txt")), SystemExit, "--out"),
    ],
    "imgen_helpers.cli.train_classifier": [
        Bad("type", lambda: cli.train_classifier(["--epochs", "1"]), TypeError, "args"),
        Bad("path", lambda: _classifier(out="classifier.h5"), SystemExit, "--out"),
        Bad("count", lambda: _classifier(epochs=0), SystemExit, "--epochs"),
        Bad("type", lambda: _classifier(epochs="5"), SystemExit, "--epochs"),
        Bad("value", lambda: _classifier(seed=-1), SystemExit, "--seed"),
        Bad("count", lambda: _classifier(train_digits=0), SystemExit, "--train-digits"),
        Bad("count", lambda: _classifier(copies=-1), SystemExit, "--copies"),
    ],
    "imgen_helpers.cli.sample": [
        Bad("type", lambda: cli.sample(None), TypeError, "args"),
        Bad("name", lambda: _sample(model="vae"), SystemExit, "--model"),
        Bad("name", lambda: _sample(config="big"), SystemExit, "--config"),
        Bad("count", lambda: _sample(num=0), SystemExit, "--num"),
        Bad("type", lambda: _sample(num="5"), SystemExit, "--num"),
        Bad("value", lambda: _sample(seed=-1), SystemExit, "--seed"),
        Bad("path", lambda: _sample(out=str(FOLDER / "s.csv")), SystemExit, "--out"),
        Bad(
            "path",
            lambda: _sample(weights=str(FOLDER / "nope.weights.h5")),
            SystemExit,
            "--weights",
        ),
        Bad("compat", lambda: _sample(weights=OTHER_MODEL), SystemExit, "--weights"),
        Bad("value", lambda: _sample_diffusion(label=10), SystemExit, "--label"),
        Bad("value", lambda: _sample_cgan(label=10), SystemExit, "--label"),
        Bad("count", lambda: _sample_cgan(num=0), SystemExit, "--num"),
        Bad("compat", lambda: _sample_cgan(weights=OTHER_MODEL), SystemExit, "--weights"),
        Bad(
            "path",
            lambda: _sample_cgan(weights=str(FOLDER / "none.weights.h5")),
            SystemExit,
            "--weights",
        ),
        Bad("range", lambda: _sample_diffusion(guidance=-1.0), SystemExit, "--guidance"),
        Bad("count", lambda: _sample_diffusion(steps=0), SystemExit, "--steps"),
        Bad("name", lambda: _sample_diffusion(sampler="dpm"), SystemExit, "--sampler"),
        Bad("count", lambda: _sample_diffusion(num=0), SystemExit, "--num"),
        Bad("compat", lambda: _sample_diffusion(weights=OTHER_MODEL), SystemExit, "--weights"),
        Bad(
            "path",
            lambda: _sample_diffusion(weights=str(FOLDER / "none.float16.h5")),
            SystemExit,
            "--weights",
        ),
        Bad("value", lambda: _sample_diffusion(sampler="ddim"), SystemExit, "sampler"),
        Bad("compat", lambda: _sample(config="mnist_full"), SystemExit, "--config"),
        Bad(
            "compat",
            lambda: _sample(
                config="mnist_full", weights=str(shipped_path(dcgan.PRETRAINED_WEIGHTS))
            ),
            SystemExit,
            "--weights",
        ),
    ],
    "imgen_helpers.cli.train_diffusion": [
        Bad("type", lambda: cli.train_diffusion(None), TypeError, "args"),
        Bad("range", lambda: _diffuse(minutes=-1.0), SystemExit, "--minutes"),
        Bad("count", lambda: _diffuse(epochs=0), SystemExit, "--epochs"),
        Bad("path", lambda: _diffuse(out=_file("diffusion.txt")), SystemExit, "--out"),
        Bad("value", lambda: _diffuse(seed=-1), SystemExit, "--seed"),
        Bad("name", lambda: _diffuse(source="web"), SystemExit, "--source"),
        Bad("name", lambda: _diffuse(split="val"), SystemExit, "--split"),
        Bad("name", lambda: _diffuse(precision="fp8"), SystemExit, "--precision"),
    ],
    "imgen_helpers.cli.score": [
        Bad("type", lambda: cli.score("samples.npy"), TypeError, "args"),
        Bad("path", lambda: _score(str(FOLDER / "missing.npy")), SystemExit, "samples"),
        Bad("path", lambda: _score(_file("samples.csv")), SystemExit, "samples"),
        Bad(
            "rank",
            lambda: _score(_file("flat.npy", np.zeros((4, 5), np.float32))),
            SystemExit,
            "samples",
        ),
        Bad(
            "finite",
            lambda: _score(_file("nan.npy", np.full((4, 28, 28, 1), np.nan, np.float32))),
            SystemExit,
            "samples",
        ),
    ],
    "imgen_helpers.cli.main": [
        Bad("type", lambda: cli.main("sample --num 8"), TypeError, "argv"),
        Bad("type", lambda: cli.main(["sample", "--num", 8]), TypeError, "argv[2]"),
    ],
    "imgen_helpers.cli.write_student_edition": [
        Bad("type", lambda: cli.write_student_edition({"out": "s"}), TypeError, "args"),
        Bad("path", lambda: _edition(source=str(FOLDER / "none")), SystemExit, "--from"),
        Bad("path", lambda: _edition(source=_file("lesson.txt")), SystemExit, "--from"),
        Bad("value", lambda: _edition(source=str(FOLDER), out=str(FOLDER)), SystemExit, "--to"),
        Bad("type", lambda: _edition(out=None), SystemExit, "--to"),
    ],
}

test_bad_inputs = parametrize(CASES)
