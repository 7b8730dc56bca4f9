"""Reading the lessons' exercise cells from the stored notebooks (the teacher's edition)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def exercise_cells(lesson: str) -> list[str]:
    """The sources of a lesson's solution cells (nbgrader ``solution: true``), in order."""
    (path,) = NOTEBOOKS.glob(f"{lesson}*.ipynb")
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [
        "".join(cell["source"])
        for cell in cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution")
    ]


def solution_namespace(lesson: str, names: dict | None = None) -> dict:
    """Run a lesson's solution cells (only those) and return what they define.

    ``names`` are the lesson's earlier imports the solutions use (``np`` is always there), so the
    teacher's own solutions are checked without running the whole lesson.
    """
    namespace = {"np": np, **(names or {})}
    for source in exercise_cells(lesson):
        exec(compile(source, f"<{lesson} solution>", "exec"), namespace)  # noqa: S102
    return namespace
