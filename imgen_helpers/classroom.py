"""The teacher's tools: write the student edition of the lessons.

The notebooks in ``notebooks/`` are the teacher's edition. Each exercise's solution sits between
nbgrader's ``### BEGIN SOLUTION`` and ``### END SOLUTION`` markers in a cell marked as a solution
cell, and each check cell ends with a ``### BEGIN HIDDEN TESTS`` block that asserts the teacher's
solution passes. The student edition is what nbgrader's own preprocessors make of them:

* ``ClearSolutions`` puts ``# YOUR CODE HERE`` / ``raise NotImplementedError()`` in place of each
  solution (inside the learner's function, so the cell still runs);
* ``ClearHiddenTests`` removes the hidden asserts (a check then prints "not answered yet" instead
  of failing the cell);
* ``ClearOutput`` removes any outputs a teacher's run left behind.

Every other cell is unchanged, so the whole lesson still runs top to bottom before a learner
writes a line (``tests/test_student_edition.py`` runs it). Teachers who use nbgrader's course
tools can put the same notebooks through ``nbgrader generate_assignment`` instead.

From a checkout: ``imgen student-edition --to student/`` (or ``python -m imgen_helpers``).
"""

from __future__ import annotations

from pathlib import Path

from . import checks


def _preprocessors() -> list:
    try:
        from nbconvert.preprocessors import ClearOutputPreprocessor
        from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions
    except ImportError as error:
        raise ImportError(
            f"the student edition is made with nbgrader ({error.name} is missing): install it "
            "with `pip install nbgrader`, or the course's teaching extra, `pip install -e "
            '".[teach]"`.'
        ) from None
    return [ClearSolutions(), ClearHiddenTests(), ClearOutputPreprocessor()]


def student_notebook(path):
    """The student edition of one teacher's-edition notebook, as an ``nbformat`` notebook."""
    import nbformat

    path = checks.path("path", path, exists=True, suffix=".ipynb")
    notebook = nbformat.read(path, as_version=4)
    resources: dict = {}
    for preprocessor in _preprocessors():
        notebook, resources = preprocessor.preprocess(notebook, resources)
    return notebook


def student_edition(source="notebooks", out="student") -> list[Path]:
    """Write the student edition of every lesson in ``source`` to the folder ``out``.

    Args:
        source: the folder of the teacher's edition (the course's ``notebooks/``).
        out: the folder to write to (created if missing); it must not be ``source``.

    Returns:
        The paths written, one per lesson (``NN_name.ipynb``, the same names).
    """
    import nbformat

    source = checks.path("source", source, exists=True)
    out = checks.path("out", out)
    if not source.is_dir():
        raise ValueError(f"source must be the folder of lessons; {str(source)!r} is a file.")
    if out.resolve() == source.resolve():
        raise ValueError(
            "out: the student edition would overwrite the teacher's edition; choose another "
            "folder, e.g. out='student'."
        )
    lessons = sorted(source.glob("[0-9][0-9]_*.ipynb"))
    if not lessons:
        raise FileNotFoundError(f"source: no lessons (NN_name.ipynb) in {str(source)!r}.")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for lesson in lessons:
        target = out / lesson.name
        nbformat.write(student_notebook(lesson), target)
        written.append(target)
    return written


__all__ = ["student_edition", "student_notebook"]
