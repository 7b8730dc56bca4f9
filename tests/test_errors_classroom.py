"""Bad inputs for imgen_helpers.classroom: each must get a clear error naming the argument."""

import tempfile
from pathlib import Path

from bad_inputs import Bad, parametrize

from imgen_helpers import classroom

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
FOLDER = Path(tempfile.mkdtemp(prefix="imgen-classroom-"))
A_FILE = FOLDER / "notes.txt"
A_FILE.write_text("not a lesson")

CASES = {
    "imgen_helpers.classroom.student_edition": [
        Bad("type", lambda: classroom.student_edition(3, FOLDER / "out"), TypeError, "source"),
        Bad(
            "path",
            lambda: classroom.student_edition(FOLDER / "nope", FOLDER),
            FileNotFoundError,
            "source",
        ),
        Bad(
            "path", lambda: classroom.student_edition(A_FILE, FOLDER / "out"), ValueError, "source"
        ),
        Bad(
            "path",
            lambda: classroom.student_edition(FOLDER, FOLDER / "out"),
            FileNotFoundError,
            "source",
        ),  # a folder with no lessons in it
        Bad("value", lambda: classroom.student_edition(NOTEBOOKS, NOTEBOOKS), ValueError, "out"),
        Bad("type", lambda: classroom.student_edition(NOTEBOOKS, None), TypeError, "out"),
    ],
    "imgen_helpers.classroom.student_notebook": [
        Bad("type", lambda: classroom.student_notebook(None), TypeError, "path"),
        Bad(
            "path",
            lambda: classroom.student_notebook(FOLDER / "x.ipynb"),
            FileNotFoundError,
            "path",
        ),
        Bad("path", lambda: classroom.student_notebook(A_FILE), ValueError, "path"),
    ],
}

test_bad_inputs = parametrize(CASES)
