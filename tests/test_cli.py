"""imgen_helpers.cli: the command lines (``imgen COMMAND``, ``python -m imgen_helpers``)."""

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from imgen_helpers import cli

PACKAGE = Path(cli.__file__).resolve().parent


def test_sample_writes_unit_range_digits_that_score_like_the_shipped_generator(tmp_path, capsys):
    out = tmp_path / "samples.npy"
    assert cli.main(["sample", "--num", "300", "--seed", "1", "--out", str(out)]) == 0
    images = np.load(out)
    assert images.shape == (300, 28, 28, 1) and images.dtype == np.float32
    assert images.min() >= 0.0 and images.max() <= 1.0
    again = tmp_path / "again.npy"
    cli.main(["sample", "--num", "300", "--seed", "1", "--out", str(again)])
    np.testing.assert_array_equal(images, np.load(again))  # the seed fixes the latents
    capsys.readouterr()
    assert cli.main(["score", str(out)]) == 0
    score = float(re.search(r"classifier score ([\d.]+)", capsys.readouterr().out).group(1))
    assert score > 7.0  # the shipped generator's digits, not noise (noise scores about 1)


def test_train_dcgan_saves_a_generator_that_sample_reads(tmp_path):
    run = tmp_path / "run"
    args = ["train-dcgan", "--minutes", "0", "--epochs", "1", "--batch-size", "500"]
    args += ["--split", "test", "--source", "offline", "--out", str(run), "--precision", "float32"]
    assert cli.main(args) == 0
    assert (run / "generator.weights.h5").is_file() and (run / "samples.gif").is_file()
    out = tmp_path / "mine.npy"
    weights = str(run / "generator.weights.h5")
    cli.main(["sample", "--weights", weights, "--num", "8", "--out", str(out)])
    assert np.load(out).shape == (8, 28, 28, 1)


def test_train_classifier_writes_weights_only(tmp_path, capsys):
    out = tmp_path / "classifier.weights.h5"
    args = ["train-classifier", "--out", str(out), "--epochs", "1", "--train-digits", "256"]
    assert cli.main([*args, "--copies", "0"]) == 0
    assert out.is_file() and "held-out accuracy" in capsys.readouterr().out


def test_sample_diffusion_writes_digits_and_their_labels(tmp_path, capsys):
    out = tmp_path / "digits.npy"
    argv = ["sample", "--model", "diffusion", "--num", "30", "--steps", "4", "--out", str(out)]
    assert cli.main(argv) == 0
    digits, labels = np.load(out), np.load(tmp_path / "digits_labels.npy")
    assert digits.shape == (30, 28, 28, 1) and digits.min() >= 0 and digits.max() <= 1
    np.testing.assert_array_equal(labels, np.arange(30) % 10)  # every digit, evenly
    assert cli.main([*argv[:-2], "--label", "7", "--out", str(tmp_path / "sevens.npy")]) == 0
    assert set(np.load(tmp_path / "sevens_labels.npy")) == {7}
    assert "shipped diffusion model" in capsys.readouterr().out


def test_sample_cgan_writes_the_digits_asked_for_and_their_labels(tmp_path, capsys):
    from imgen_helpers.metrics import label_agreement

    out = tmp_path / "digits.npy"
    argv = ["sample", "--model", "cgan", "--num", "200", "--out", str(out)]
    assert cli.main(argv) == 0
    digits, labels = np.load(out), np.load(tmp_path / "digits_labels.npy")
    assert digits.shape == (200, 28, 28, 1) and digits.min() >= 0 and digits.max() <= 1
    np.testing.assert_array_equal(labels, np.arange(200) % 10)  # every digit, evenly
    assert label_agreement(digits, labels).overall > 0.95  # the digits are the ones asked for
    assert cli.main([*argv[:-2], "--label", "3", "--out", str(tmp_path / "threes.npy")]) == 0
    threes = np.load(tmp_path / "threes.npy")
    assert set(np.load(tmp_path / "threes_labels.npy")) == {3}
    assert label_agreement(threes, np.full(200, 3)).overall > 0.9
    assert "shipped conditional GAN" in capsys.readouterr().out


def test_train_cyclegan_writes_both_generators_that_load(tmp_path, capsys):
    from imgen_helpers import cyclegan as cg

    out = tmp_path / "cycle"
    assert cli.main(["train-cyclegan", "--steps", "2", "--out", str(out)]) == 0
    assert "trained 2 steps" in capsys.readouterr().out
    for direction in ("photo_to_painting", "painting_to_photo"):
        generator = cg.load_cyclegan_generator(out / f"{direction}.weights.h5")
        assert generator.name == direction


def test_train_cgan_writes_a_generator_that_sample_reads(tmp_path, capsys):
    out = tmp_path / "run"
    argv = ["train-cgan", "--minutes", "0", "--epochs", "1", "--source", "offline"]
    assert cli.main([*argv, "--conditioning", "concat", "--out", str(out)]) == 0
    weights = out / "generator.weights.h5"
    assert weights.is_file() and (out / "samples.gif").is_file()
    assert "concat discriminator" in capsys.readouterr().out
    samples = tmp_path / "s.npy"
    assert (
        cli.main(
            [
                "sample",
                "--model",
                "cgan",
                "--weights",
                str(weights),
                "--num",
                "4",
                "--out",
                str(samples),
            ]
        )
        == 0
    )
    assert np.load(samples).shape == (4, 28, 28, 1)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["sample", "--num", "0"], "positive whole number"),
        (["train-dcgan", "--minutes", "-1"], "expected a number >= 0"),
        (["sample", "--model", "vae"], "invalid choice"),
        (["nonsense"], "invalid choice"),
    ],
)
def test_bad_arguments_are_refused_by_the_parser(argv, message, capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(argv)
    assert stop.value.code == 2 and message in capsys.readouterr().err


def test_a_missing_weights_file_says_what_to_do(tmp_path):
    with pytest.raises(SystemExit, match="leave --weights out"):
        cli.main(["sample", "--weights", str(tmp_path / "nope.weights.h5")])
    with pytest.raises(SystemExit, match="weights.h5"):
        cli.main(["train-classifier", "--out", str(tmp_path / "classifier.h5")])


def test_python_dash_m_runs_the_same_commands():
    done = subprocess.run(
        [sys.executable, "-m", "imgen_helpers", "--help"], capture_output=True, text=True
    )
    assert done.returncode == 0
    commands = (
        "train-dcgan",
        "train-cgan",
        "train-cyclegan",
        "train-diffusion",
        "train-classifier",
    )
    for command in (*commands, "sample", "score"):
        assert command in done.stdout


def test_no_library_module_carries_a_command_line():
    for path in PACKAGE.rglob("*.py"):
        if path.name in ("cli.py", "__main__.py"):
            continue
        text = path.read_text()
        assert "__main__" not in text and "argparse" not in text, path.name
