"""The course must work from an installed wheel with no checkout around it (as on Colab)."""

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    (path,) = out.glob("imgen_helpers-*.whl")
    return path


def test_wheel_carries_the_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    from imgen_helpers.data import SHIPPED

    for relative in SHIPPED:
        assert f"imgen_helpers/_data/{relative}" in names
    assert "imgen_helpers/_data/README.md" in names


def test_data_loads_from_installed_wheel_outside_checkout(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = f"""
import json, sys
sys.path.insert(0, {str(target)!r})
import numpy as np
import imgen_helpers, imgen_helpers.data as data
x, y = data.load_mnist("all", source="offline", verbose=False)
img = data.load_image("wave", max_size=64, verbose=False)
print(json.dumps({{"package": imgen_helpers.__file__, "data": str(data.data_dir()),
                  "counts": np.bincount(y).tolist(), "image": list(img.shape)}}))
"""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["package"].startswith(str(target))
    assert report["data"].startswith(str(target)) and str(ROOT) not in report["data"]
    assert tuple(report["counts"]) == (980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009)
    assert max(report["image"][:2]) == 64
