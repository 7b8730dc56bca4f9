"""Static checks on the notebooks (nbval executes them; see pyproject.toml)."""

import json
import re
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


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_without_outputs(path):
    for i, cell in enumerate(_cells(path)):
        if cell["cell_type"] == "code":
            assert not cell.get("outputs"), f"{path.name} cell {i} has outputs: strip them"
            assert cell.get("execution_count") is None, (
                f"{path.name} cell {i} has an execution count"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_starts_with_badge_and_the_shared_setup_cell(path):
    cells = _cells(path)
    intro = _source(cells[0])
    assert cells[0]["cell_type"] == "markdown"
    badge = (
        f"colab.research.google.com/github/{imgen_helpers.REPOSITORY_URL.split('github.com/')[1]}"
    )
    assert f"{badge}/blob/main/notebooks/{path.name}" in intro, "Colab badge missing or stale"
    assert re.search(r"\bCPU\b", intro) and re.search(r"\bGPU\b", intro), "say how long it takes"
    reference = _source(_cells(NOTEBOOKS[0])[1])
    assert _source(cells[1]) == reference, "the set-up cell must be the same in every lesson"
    assert f'git+{imgen_helpers.REPOSITORY_URL}"' in reference


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
