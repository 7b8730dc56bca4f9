"""Running the lessons as tests: quick mode, offline data, and no unexplained red output.

nbval executes every notebook (pytest's ``testpaths`` include ``notebooks/``). Besides failing
on errors, each cell fails on anything written to stderr (warnings, TensorFlow's log lines)
that is not in :data:`ALLOWED_STDERR`, where every entry says why a learner may see it.
A learner's run must look like what the lesson describes: a warning the lesson does not
explain reads like a fault.

Each run also records how long every lesson took (its cells' set-up, run and tear-down, kernel
start included) in ``runs/lesson_times_quick.json``; ``python benchmarks/lesson_times.py
from-tests`` takes those figures into the course's one table of times. Nothing is asserted
about them: CI machines differ.
"""

import datetime
import json
import os
import platform
import re
from pathlib import Path

import pytest

os.environ.setdefault("IMGEN_QUICK", "1")
os.environ.setdefault("IMGEN_OFFLINE", "1")

ALLOWED_STDERR: dict[tuple[str, str], str] = {
    ("08_evaluating_generators", r"LinAlgWarning: Matrix is singular"): "lesson 08 computes the "
    "Fréchet distance by hand with scipy's sqrtm and says, just before, that it may warn so",
    ("08_evaluating_generators", r"^\s*root = linalg\.sqrtm\("): "the same warning's second "
    "line (the source line Python prints with it)",
}
"""(notebook name, regular expression of a stderr line) -> why a learner may see that line."""


def unexpected_stderr(notebook: str, outputs) -> list[str]:
    """The stderr lines of a cell's outputs that no entry of ALLOWED_STDERR explains."""
    allowed = [line for (name, line) in ALLOWED_STDERR if name in notebook]
    lines = []
    for output in outputs or []:
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            lines += [line for line in output.get("text", "").splitlines() if line.strip()]
    return [line for line in lines if not any(re.search(p, line) for p in allowed)]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield  # the cell ran without error (an error raises out of the yield)
    found = unexpected_stderr(str(item.fspath), getattr(item, "test_outputs", None))
    if found:
        shown = "\n".join(found[:20])
        pytest.fail(
            f"cell {getattr(item, 'cell_num', '?')} wrote to stderr what no lesson explains "
            f"(fix the cause, or allow it in notebooks/conftest.py with a reason):\n{shown}",
            pytrace=False,
        )
    return result


TIMES_FILE = Path(__file__).resolve().parent.parent / "runs" / "lesson_times_quick.json"
_seconds: dict[str, float] = {}
_failed: set[str] = set()


def pytest_runtest_logreport(report):
    """Add up each lesson's time, cell by cell (set-up, call and tear-down)."""
    path = report.nodeid.split("::")[0]
    if path.endswith(".ipynb"):
        lesson = Path(path).stem
        _seconds[lesson] = _seconds.get(lesson, 0.0) + report.duration
        if report.failed:
            _failed.add(lesson)


def pytest_sessionfinish(session):
    """Write the times of the lessons that ran whole and passed, in quick mode."""
    from imgen_helpers import is_quick

    done = {k: round(v, 1) for k, v in _seconds.items() if k not in _failed}
    if not done or not is_quick() or session.config.getoption("keyword", ""):
        return  # nothing ran, a full-budget run, or only some cells were picked (-k)
    from imgen_helpers.runtime import cpu_has_fast_bf16

    bf16 = "with" if cpu_has_fast_bf16() else "no"
    record = {
        "date": datetime.date.today().isoformat(),
        "machine": f"{os.cpu_count()}-core {platform.machine()} CPU, {bf16} bfloat16",
        "seconds": done,
    }
    TIMES_FILE.parent.mkdir(parents=True, exist_ok=True)
    TIMES_FILE.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
