"""The lessons' stderr gate (notebooks/conftest.py) fails a cell on an unexplained warning."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

GATE = Path(__file__).parents[1] / "notebooks" / "conftest.py"


def _notebook(folder: Path, name: str, source: str) -> Path:
    cell = {
        "cell_type": "code",
        "execution_count": None,
        "id": "c0",
        "metadata": {},
        "outputs": [],
        "source": source,
    }
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / name
    path.write_text(
        json.dumps(
            {
                "cells": [cell],
                "metadata": {"kernelspec": kernel},
                "nbformat": 4,
                "nbformat_minor": 5,
            }
        )
    )
    return path


def _run(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-c",
            "/dev/null",
            "--rootdir",
            str(folder),
            "--nbval-lax",
            "--nbval-current-env",
            str(folder),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=folder,
    )


def test_an_unexplained_warning_fails_its_cell_and_a_quiet_cell_passes(tmp_path):
    shutil.copy(GATE, tmp_path / "conftest.py")
    _notebook(tmp_path, "quiet.ipynb", "print('hello')")
    _notebook(tmp_path, "loud.ipynb", "import warnings\nwarnings.warn('unexplained')")
    run = _run(tmp_path)
    assert "1 failed, 1 passed" in run.stdout, run.stdout[-3000:]
    assert "loud.ipynb::Cell 0" in run.stdout and "UserWarning: unexplained" in run.stdout


def test_a_warning_on_the_allow_list_passes_only_in_its_own_lesson(tmp_path):
    shutil.copy(GATE, tmp_path / "conftest.py")
    # what lesson 08 does: the square root of a singular product of covariances
    source = "import numpy as np\nfrom scipy import linalg\nroot = linalg.sqrtm(np.zeros((3, 3)))"
    _notebook(tmp_path, "08_evaluating_generators.ipynb", source)
    _notebook(tmp_path, "05_vae.ipynb", source)
    run = _run(tmp_path)
    assert "1 failed, 1 passed" in run.stdout, run.stdout[-3000:]
    assert "05_vae.ipynb::Cell 0" in run.stdout
