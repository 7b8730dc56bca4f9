"""The lessons' install line works: the exact `%pip install` of the set-up cell, run offline.

Every lesson's set-up cell installs the course on Colab with
``%pip install -q --no-deps "git+<REPOSITORY_URL>@v<version>"``. Here that line runs against a
temporary git clone of this checkout (with the working tree's files committed and tagged
``v<version>`` in the clone only), reached as ``file://`` instead of GitHub, into a fresh
``--target`` folder; then, from an empty folder, the installed package must be the one
imported, must find its data, and lesson 00 must run top to bottom on it in a Jupyter kernel.

Offline: pip gets ``--no-index`` (it may fetch nothing) and ``--no-build-isolation``: with build
isolation pip would download ``setuptools`` and ``wheel`` (pyproject's ``[build-system]``) from
PyPI into a fresh build environment, so the test builds with the setuptools of this environment
instead. On Colab, which is online, the line runs as written.
"""

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import imgen_helpers

ROOT = Path(__file__).resolve().parent.parent
LESSON_00 = ROOT / "notebooks" / "00_start_here.ipynb"
RELEASE = f"v{imgen_helpers.__version__}"

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="needs git (pip clones)"),
    pytest.mark.skipif(
        not (ROOT / ".git").exists(), reason="needs a git checkout to clone (this copy has none)"
    ),
]


def _install_line() -> list[str]:
    """The set-up cell's %pip line, split as the shell would: ['%pip', 'install', ...]."""
    setup = nbformat.read(LESSON_00, as_version=4).cells[1].source
    lines = [line.strip() for line in setup.splitlines() if line.strip().startswith("%pip ")]
    assert len(lines) == 1, f"expected one %pip line in the set-up cell, found {lines}"
    return shlex.split(lines[0])


def _git(*args: str, cwd: Path) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@invalid",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@invalid",
    }
    done = subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def _release_clone(into: Path) -> Path:
    """A clone of this checkout whose tip holds the working tree's files, tagged RELEASE.

    The working tree, not the last commit: the test checks what is on disk now (in CI, a
    fresh clone, the two are the same). The tag is moved in the clone only, never here.
    """
    repo = into / "repo"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(repo)], check=True, capture_output=True)
    listed = _git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    files = {name for name in listed.split("\0") if name and (ROOT / name).is_file()}
    for name in _git("ls-files", "-z", cwd=repo).split("\0"):
        if name and name not in files:
            (repo / name).unlink(missing_ok=True)  # deleted here since the last commit
    for name in files:
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, repo / name)
    _git("add", "-A", cwd=repo)
    _git("commit", "-q", "--allow-empty", "-m", "the working tree", cwd=repo)
    _git("tag", "-f", RELEASE, cwd=repo)
    return repo


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    """Run the set-up cell's install line against a local clone; return the folders and times."""
    tmp = tmp_path_factory.mktemp("install")
    started = time.perf_counter()
    repo = _release_clone(tmp)
    cloned = time.perf_counter()
    words = _install_line()
    assert words[:2] == ["%pip", "install"], words
    github = f"git+{imgen_helpers.REPOSITORY_URL}@{RELEASE}"
    assert github in words, f"the set-up line does not install {github}: {words}"
    local = [f"git+file://{repo}@{RELEASE}" if word == github else word for word in words[2:]]
    site = tmp / "site"
    command = [sys.executable, "-m", "pip", "install", *local]
    command += ["--no-build-isolation", "--no-index", "--target", str(site)]
    done = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, "PIP_NO_INPUT": "1"}
    )
    assert done.returncode == 0, f"{shlex.join(command)} failed:\n{done.stdout}\n{done.stderr}"
    return {
        "tmp": tmp,
        "site": site,
        "seconds": {"clone": cloned - started, "pip": time.perf_counter() - cloned},
    }


def _clean_env(tmp: Path, site: Path) -> dict[str, str]:
    """A learner's environment: only the installed folder on the path, quick and offline."""
    home = tmp / "home"
    home.mkdir(exist_ok=True)
    return {
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/bin", "/bin"]),
        "HOME": str(home),
        "KERAS_HOME": str(home / ".keras"),
        "PYTHONPATH": str(site),
        "IMGEN_QUICK": "1",
        "IMGEN_OFFLINE": "1",
        "MPLBACKEND": "Agg",
    }


def _empty_folder(tmp: Path, name: str) -> Path:
    folder = tmp / name
    folder.mkdir()
    assert not any(folder.iterdir())
    return folder


def test_installed_package_is_imported_and_finds_its_data(installed):
    site = installed["site"]
    assert (site / "imgen_helpers" / "_data" / "README.md").is_file(), "the wheel lost its data"
    code = """
import json, imgen_helpers, imgen_helpers.data as data
path = data.shipped_path("style/wave.jpg")  # sha256-checked
print(json.dumps({"package": imgen_helpers.__file__, "version": imgen_helpers.__version__,
                  "data": str(data.data_dir()), "wave": str(path)}))
"""
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=_empty_folder(installed["tmp"], "empty_import"),
        env=_clean_env(installed["tmp"], site),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert Path(report["package"]).is_relative_to(site), f"imported {report['package']}"
    assert report["version"] == imgen_helpers.__version__
    assert Path(report["data"]) == site / "imgen_helpers" / "_data"
    assert Path(report["wave"]).is_relative_to(site)


def test_missing_data_says_how_to_reinstall(installed, tmp_path):
    """Without its data the package names the install line that works (it is not on PyPI)."""
    site = tmp_path / "site"
    shutil.copytree(installed["site"] / "imgen_helpers", site / "imgen_helpers")
    shutil.rmtree(site / "imgen_helpers" / "_data")
    code = "import imgen_helpers.data as data; data.data_dir()"
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=_empty_folder(tmp_path, "empty"),
        env=_clean_env(tmp_path, site),
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    message = done.stderr.strip().splitlines()[-1]
    assert message.startswith("FileNotFoundError: cannot find the course data")
    assert f'"git+{imgen_helpers.REPOSITORY_URL}@{RELEASE}"' in message
    assert "pip install imgen-helpers" not in message


def test_lesson_00_runs_on_the_installed_package(installed):
    """Lesson 00 top to bottom in a Jupyter kernel that sees only the installed package."""
    site = installed["site"]
    notebook = nbformat.read(LESSON_00, as_version=4)
    check = (
        "import json\n"
        "from imgen_helpers.data import data_dir\n"
        'print(json.dumps({"package": imgen_helpers.__file__, "data": str(data_dir())}))'
    )
    notebook.cells.append(nbformat.v4.new_code_cell(check))
    folder = _empty_folder(installed["tmp"], "empty_lesson")
    client = NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    )
    started = time.perf_counter()
    client.execute(env=_clean_env(installed["tmp"], site))  # raises on any cell's error
    installed["seconds"]["lesson 00"] = time.perf_counter() - started
    printed = "".join(o.get("text", "") for o in notebook.cells[-1].outputs)
    report = json.loads(printed.strip().splitlines()[-1])
    assert Path(report["package"]).is_relative_to(site), f"the lesson imported {report['package']}"
    assert Path(report["data"]).is_relative_to(site)
    print("seconds:", {k: round(v, 1) for k, v in installed["seconds"].items()})
