"""One source of timings: the table in lesson 00, its copy in the README and every lesson's header
say what ``benchmarks/lesson_times.json`` holds, and every figure there is measured or says it is
an estimate and from what. (Times are never measured here: CI machines differ.)
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import lesson_times  # noqa: E402

FIGURES = lesson_times.load()
EXPECTED = lesson_times.expected_texts(FIGURES)
FOUND = lesson_times.found_texts()
FIX = "run `python benchmarks/lesson_times.py write` (never edit the table by hand)"


def test_every_lesson_has_every_figure_measured_or_marked_as_an_estimate():
    assert sorted(FIGURES["lessons"]) == lesson_times.lessons()
    for lesson, entry in FIGURES["lessons"].items():
        for budget in lesson_times.BUDGETS:
            figure = entry.get(budget)
            assert figure is not None, f"{lesson}: no {budget} time"
            assert figure["seconds"] > 0, f"{lesson} {budget}"
            if "estimate" not in figure:  # measured: when, where and with which command
                assert figure["measured"] and figure["machine"], f"{lesson} {budget}"
                assert "lesson_times.py" in figure["command"] or "pytest" in figure["command"]


@pytest.mark.parametrize("where", ["README", "lesson 00"])
def test_the_table_is_the_one_the_figures_make(where):
    assert FOUND[where] == EXPECTED["table"], f"{where}'s table of times is stale: {FIX}"


@pytest.mark.parametrize("lesson", lesson_times.lessons())
def test_each_lessons_header_gives_its_own_times(lesson):
    assert FOUND[lesson] == EXPECTED[lesson], f"{lesson}'s **Time** line is stale: {FIX}"


def test_estimates_are_marked_in_the_table():
    figure = {"seconds": 1800, "estimate": "from the step time"}
    assert lesson_times.cell(figure) == "~30 min (est.)"
    assert lesson_times.cell({"seconds": 1800, "measured": "2026-12-03"}) == "30 min"
    assert lesson_times.duration(42) == "42 s" and lesson_times.duration(150) == "2.5 min"
    assert lesson_times.duration(3 * 3600 + 600) == "3 h 10 min"
