"""Static checks on the notebooks (nbval executes them; see pyproject.toml)."""

import json
import re
import tomllib
from pathlib import Path

import pytest

import imgen_helpers

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def _cells(path):
    return json.loads(path.read_text())["cells"]


def _source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def test_lessons_are_numbered_in_order():
    names = [p.name for p in NOTEBOOKS]
    assert names[:2] == ["00_start_here.ipynb", "01_noise_images.ipynb"]
    numbers = [int(n[:2]) for n in names]
    assert len(set(numbers)) == len(numbers), f"two lessons share a number: {names}"
    assert all(re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", n) for n in names)


def _committed(root: Path, relative: str) -> str | None:
    """The text git would commit for ``root/relative`` (its staged version), or None.

    None when ``root`` is not the top of a git checkout (a zip download, a copy), or when the
    file is not in git yet. The staged version, not the working copy: a learner who runs a lesson
    in JupyterLab saves its outputs into the working copy, and that must not fail the suite.
    With nbstripout installed (``nbstripout --install``) ``git add`` strips them on the way in.
    """
    import subprocess

    def git(*args):
        return subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, check=False
        )

    try:
        top = git("rev-parse", "--show-toplevel")
    except FileNotFoundError:  # no git on this machine
        return None
    if top.returncode or Path(top.stdout.strip()).resolve() != root.resolve():
        return None
    shown = git("show", f":{relative}")  # ":path" is the staged (index) version
    return shown.stdout if shown.returncode == 0 else None


def _output_problems(name: str, notebook_text: str) -> list[str]:
    """What a notebook stores that it should not: outputs or execution counts, per cell."""
    problems = []
    for i, cell in enumerate(json.loads(notebook_text)["cells"]):
        if cell["cell_type"] == "code":
            if cell.get("outputs"):
                problems.append(f"{name} cell {i} has outputs")
            if cell.get("execution_count") is not None:
                problems.append(f"{name} cell {i} has an execution count")
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_without_outputs(path):
    committed = _committed(ROOT, f"notebooks/{path.name}")
    if committed is None:
        pytest.skip(
            f"no git version of notebooks/{path.name} (this copy is not a git checkout, or the "
            "notebook is not added yet): the check reads what git stores, so that running a "
            "lesson in JupyterLab, which saves its outputs into the working copy, never fails it"
        )
    problems = _output_problems(path.name, committed)
    assert not problems, (
        f"git stores {len(problems)} outputs or execution counts ({', '.join(problems[:2])}, ...)"
        f": strip them with `nbstripout notebooks/{path.name}` and git add it again; "
        "`nbstripout --install`, once, makes git add strip notebooks for you"
    )


def _one_cell_notebook(run: bool) -> str:
    """A one-cell notebook as stored (``run=False``) or after JupyterLab ran and saved it."""
    cell = {"cell_type": "code", "source": "1 + 1", "metadata": {}}
    cell["outputs"] = []
    cell["execution_count"] = None
    if run:
        result = {"output_type": "execute_result", "data": {"text/plain": "2"}, "metadata": {}}
        cell["outputs"] = [result | {"execution_count": 1}]
        cell["execution_count"] = 1
    return json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def test_the_outputs_check_reads_git_not_the_working_copy(tmp_path):
    import shutil
    import subprocess

    if shutil.which("git") is None:
        pytest.skip("git is not installed")

    def git(*args):
        user = ["-c", "user.name=test", "-c", "user.email=test@example.com"]
        subprocess.run(["git", *user, *args], cwd=tmp_path, check=True, capture_output=True)

    lesson, name = tmp_path / "notebooks" / "01_x.ipynb", "notebooks/01_x.ipynb"
    lesson.parent.mkdir()
    lesson.write_text(_one_cell_notebook(run=False))
    assert _committed(tmp_path, name) is None  # not a git checkout: the test skips
    git("init", "-q")
    git("add", name)
    git("commit", "-q", "-m", "a stripped lesson")
    lesson.write_text(_one_cell_notebook(run=True))  # a learner ran it; JupyterLab autosaved
    assert _output_problems("01_x", lesson.read_text())  # the working copy has outputs,
    assert _output_problems("01_x", _committed(tmp_path, name)) == []  # what git holds has not
    git("add", name)  # a contributor stages the run, with no nbstripout filter: caught
    assert _output_problems("01_x", _committed(tmp_path, name)) == [
        "01_x cell 0 has outputs",
        "01_x cell 0 has an execution count",
    ]


ROOT = Path(__file__).resolve().parent.parent
RELEASE = f"v{imgen_helpers.__version__}"
"""The git tag of this version: the set-up cell installs it and the Colab badge opens it."""

INSTALL_LINE = re.compile(r'^\s*%pip install -q --no-deps "git\+([^"@]+)@([^"]+)"$', re.M)


def test_the_version_is_the_same_in_pyproject_and_the_package():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert pyproject["project"]["version"] == imgen_helpers.__version__, (
        "bump the version in pyproject.toml and imgen_helpers/__init__.py together"
    )


def test_setup_cell_installs_this_release():
    reference = _source(_cells(NOTEBOOKS[0])[1])
    found = INSTALL_LINE.findall(reference)
    assert len(found) == 1, "the set-up cell must install the package with exactly one %pip line"
    ((url, tag),) = found
    assert url == imgen_helpers.REPOSITORY_URL, f"the set-up cell installs from {url}"
    assert tag == RELEASE, (
        f"the set-up cell installs {tag}, but this is version {imgen_helpers.__version__}: "
        f"write @{RELEASE} in every notebook's set-up cell and Colab badge"
    )
    quoted = INSTALL_LINE.search(reference).group(0).strip()
    assert quoted in (ROOT / "README.md").read_text(), "the README quotes another set-up line"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_starts_with_badge_and_the_shared_setup_cell(path):
    cells = _cells(path)
    intro = _source(cells[0])
    assert cells[0]["cell_type"] == "markdown"
    badge = (
        f"colab.research.google.com/github/{imgen_helpers.REPOSITORY_URL.split('github.com/')[1]}"
    )
    # the badge opens the notebook of the release the set-up cell installs: the two match
    assert f"{badge}/blob/{RELEASE}/notebooks/{path.name}" in intro, "Colab badge missing or stale"
    assert "\n**Time** (measured" in intro, "say how long it takes (tests/test_lesson_times.py)"
    reference = _source(_cells(NOTEBOOKS[0])[1])
    assert _source(cells[1]) == reference, "the set-up cell must be the same in every lesson"
    assert f'git+{imgen_helpers.REPOSITORY_URL}@{RELEASE}"' in reference


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_ends_with_next_steps_and_references(path):
    text = "\n".join(_source(c) for c in _cells(path) if c["cell_type"] == "markdown")
    assert "## What to try next" in text
    assert "## References" in text


@pytest.mark.parametrize("path", NOTEBOOKS[1:], ids=lambda p: p.name)
def test_budgets_and_checks(path):
    code = "\n".join(_source(c) for c in _cells(path) if c["cell_type"] == "code")
    assert "budget(" in code, "training sizes go through budget(full=..., quick=...)"
    assert re.search(r"^\s*assert ", code, re.M), "demonstrated results must be checked"
