"""The student edition: nbgrader's preprocessors strip the solutions, and every lesson still runs.

The stored notebooks are the teacher's edition. ``imgen student-edition`` writes the student
edition with nbgrader's ``ClearSolutions`` and ``ClearHiddenTests``. These tests build it from
the command line, check that only the solutions and hidden asserts changed, and run every lesson
of it (quick mode, offline) with the exercises left unanswered: each cell must run, and each
check must say "not answered yet". So no later cell depends on a learner's answer.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from imgen_helpers import cli

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
LESSONS = sorted(p.stem for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def _role(cell) -> str:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return "answer" if meta.get("solution") else "check" if meta.get("grade") else "lesson"


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("student")
    assert cli.main(["student-edition", "--from", str(NOTEBOOKS), "--to", str(out)]) == 0
    return out


def test_every_lesson_after_00_has_two_to_four_exercises_each_with_a_check():
    for lesson in LESSONS[1:]:
        cells = json.loads((NOTEBOOKS / f"{lesson}.ipynb").read_text(encoding="utf-8"))["cells"]
        roles = [_role(c) for c in cells]
        assert 2 <= roles.count("answer") <= 4, f"{lesson}: {roles.count('answer')} exercises"
        assert roles.count("check") == roles.count("answer"), lesson
        for i, role in enumerate(roles):
            if role == "answer":  # the check is the next code cell
                after = [
                    r
                    for c, r in zip(cells[i + 1 :], roles[i + 1 :], strict=True)
                    if c["cell_type"] == "code"
                ]
                assert after and after[0] == "check", f"{lesson} cell {i}: no check after it"


def test_only_solutions_and_hidden_tests_differ(edition):
    for lesson in LESSONS:
        teacher = nbformat.read(NOTEBOOKS / f"{lesson}.ipynb", as_version=4).cells
        student = nbformat.read(edition / f"{lesson}.ipynb", as_version=4).cells
        assert len(student) == len(teacher), lesson
        for t, s in zip(teacher, student, strict=True):
            role = _role(t)
            if role == "lesson":
                assert s.source == t.source, f"{lesson}: a lesson cell changed"
            elif role == "answer":
                assert (
                    "BEGIN SOLUTION" not in s.source and "raise NotImplementedError()" in s.source
                )
            else:
                assert "HIDDEN TESTS" not in s.source and "assert correct" not in s.source
                assert "ex.check_" in s.source, f"{lesson}: a check cell calls no check"


@pytest.mark.parametrize("lesson", LESSONS)
def test_the_student_edition_runs_with_every_exercise_unanswered(edition, lesson, monkeypatch):
    monkeypatch.setenv("IMGEN_QUICK", "1")
    monkeypatch.setenv("IMGEN_OFFLINE", "1")
    monkeypatch.chdir(edition)
    notebook = nbformat.read(edition / f"{lesson}.ipynb", as_version=4)
    NotebookClient(
        notebook, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(edition)}}
    ).execute()  # raises on the first failing cell
    for cell in notebook.cells:
        if _role(cell) == "check":
            printed = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
            assert "not answered yet" in printed, f"{lesson}: a check said {printed!r}"


def test_nbgrader_generate_assignment_writes_the_same_student_edition(edition, tmp_path):
    """A teacher's own nbgrader course folder: ``generate_assignment`` gives the same cells."""
    course = tmp_path / "course"
    (course / "source" / "imgen").mkdir(parents=True)
    for lesson in LESSONS:
        (course / "source" / "imgen" / f"{lesson}.ipynb").write_bytes(
            (NOTEBOOKS / f"{lesson}.ipynb").read_bytes()
        )
    # nbgrader runs `alembic` (a console script of its dependencies) for its gradebook: the
    # environment's bin folder must be on PATH, as it is in an activated environment.
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", "generate_assignment", "imgen", "--force"],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for lesson in LESSONS:
        released = nbformat.read(course / "release" / "imgen" / f"{lesson}.ipynb", as_version=4)
        ours = nbformat.read(edition / f"{lesson}.ipynb", as_version=4)
        assert [c.source for c in released.cells] == [c.source for c in ours.cells], lesson
