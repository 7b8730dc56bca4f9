"""How long each lesson takes: measure it, keep the figures, write the one table.

The figures live in ``benchmarks/lesson_times.json``, one entry per lesson and budget:

* ``quick``: quick mode (``IMGEN_QUICK=1``), as the test suite runs it. Every run of the notebook
  tests records each lesson's time in ``runs/lesson_times_quick.json`` (``notebooks/conftest.py``);
  ``from-tests`` copies those figures in.
* ``full_auto``: the full budget with the precision ``configure()`` picks by itself (on this
  machine's CPU, which has bfloat16, that is ``mixed_bfloat16``).
* ``full_float32``: the full budget in float32 (``IMGEN_PRECISION=float32``), what a laptop without
  bfloat16 runs.

A figure is either measured (seconds, the date, the command) or an estimate (``"estimate"`` says
from what); the table marks estimates. ``write`` puts the table into lesson 00 and the README, and
the time line into each lesson's header; ``tests/test_lesson_times.py`` checks they agree.

Usage (from the repository root, on an otherwise idle machine)::

    python -m pytest notebooks/                             # quick mode, records the times
    python benchmarks/lesson_times.py from-tests            # take them into the JSON
    python benchmarks/lesson_times.py measure --budget full --precision auto 02 03
    python benchmarks/lesson_times.py measure --budget full --precision float32 02 03
    python benchmarks/lesson_times.py write                 # table, README, lesson headers
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
FIGURES = ROOT / "benchmarks" / "lesson_times.json"
FROM_TESTS = ROOT / "runs" / "lesson_times_quick.json"
README = ROOT / "README.md"
BUDGETS = ("quick", "full_auto", "full_float32")
TABLE_START = "<!-- lesson times: written by benchmarks/lesson_times.py, do not edit -->"
TABLE_END = "<!-- end of lesson times -->"
TIME_LINE = re.compile(r"^\*\*Time\*\*.*?(?=\n\n|\Z)", re.S | re.M)


def load() -> dict:
    return json.loads(FIGURES.read_text(encoding="utf-8"))


def save(figures: dict) -> None:
    text = json.dumps(figures, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    temporary = FIGURES.with_suffix(".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(FIGURES)  # a run killed half-way leaves the old file whole


def lessons() -> list[str]:
    return sorted(p.stem for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def machine() -> str:
    from imgen_helpers.runtime import cpu_has_fast_bf16

    bf16 = "with" if cpu_has_fast_bf16() else "no"
    return f"{os.cpu_count()}-core {platform.machine()} CPU, {bf16} bfloat16"


# ---------------------------------------------------------------- measuring


RANDOM_VGG19 = "is_quick() and is_offline()"
"""How lessons 06 and 07 decide to go on with random VGG19 weights (only in quick offline runs)."""


def run_notebook(
    lesson: str, budget: str, precision: str, random_vgg19: bool = False
) -> tuple[float, list[int]]:
    """Seconds to run ``lesson`` top to bottom in a fresh kernel (a copy, in a scratch folder).

    ``random_vgg19`` lets lessons 06 and 07 run their full budget with random VGG19 weights
    where the ImageNet weights cannot be downloaded: the same computation, other pictures. Their
    full-budget quality checks are claims about ImageNet features, so a failing cell does not
    stop such a run: every cell still runs (and is timed), and the second value returned lists
    the code cells that raised. Without ``random_vgg19`` the first failing cell stops the run.
    """
    import nbformat
    from nbclient import NotebookClient

    env = {"IMGEN_QUICK": "1" if budget == "quick" else "0", "IMGEN_OFFLINE": "1"}
    if precision != "auto":
        env["IMGEN_PRECISION"] = precision
    saved = {k: os.environ.get(k) for k in [*env, "IMGEN_PRECISION"]}
    os.environ.pop("IMGEN_PRECISION", None)
    os.environ.update(env)
    scratch = Path(tempfile.mkdtemp(prefix=f"imgen-time-{lesson}-"))
    try:
        notebook = nbformat.read(NOTEBOOKS / f"{lesson}.ipynb", as_version=4)
        if random_vgg19:
            for cell in notebook.cells:
                cell.source = cell.source.replace(RANDOM_VGG19, "True")
        client = NotebookClient(
            notebook,
            timeout=None,
            kernel_name="python3",
            resources={"metadata": {"path": scratch}},
            allow_errors=random_vgg19,
        )
        start = time.perf_counter()
        client.execute()
        seconds = time.perf_counter() - start
        failed = [
            i
            for i, cell in enumerate(notebook.cells)
            if any(o.get("output_type") == "error" for o in cell.get("outputs", []))
        ]
        return seconds, failed
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        shutil.rmtree(scratch, ignore_errors=True)


def measure(names: list[str], budget: str, precision: str, random_vgg19: bool = False) -> None:
    figures = load()
    key = "quick" if budget == "quick" else f"full_{precision}"
    for lesson in names:
        print(f"{lesson}: {budget} budget, precision {precision} ...", flush=True)
        patched = random_vgg19 and any(
            RANDOM_VGG19 in "".join(c["source"]) for c in _notebook(lesson)["cells"]
        )
        seconds, failed = run_notebook(lesson, budget, precision, patched)
        figures["lessons"][lesson][key] = {
            "seconds": round(seconds, 1),
            "measured": datetime.date.today().isoformat(),
            "machine": machine(),
            "command": f"python benchmarks/lesson_times.py measure --budget {budget} "
            f"--precision {precision}{' --random-vgg19' if patched else ''} {lesson[:2]}",
        }
        if patched:
            figures["lessons"][lesson][key]["note"] = (
                "with random VGG19 weights (this machine cannot download the ImageNet ones): "
                "the same computation, other pictures"
                + (
                    f"; cells {failed} failed their checks, which assume ImageNet weights"
                    if failed
                    else ""
                )
            )
        save(figures)  # after every lesson: an interrupted run keeps what it measured
        print(f"{lesson}: {seconds:.0f} s", flush=True)


def from_tests() -> None:
    """Take the quick-mode times the last notebook test run recorded."""
    if not FROM_TESTS.exists():
        raise SystemExit(f"no {FROM_TESTS.relative_to(ROOT)}: run `python -m pytest notebooks/`")
    recorded = json.loads(FROM_TESTS.read_text(encoding="utf-8"))
    figures = load()
    for lesson, seconds in recorded["seconds"].items():
        figures["lessons"][lesson]["quick"] = {
            "seconds": round(seconds, 1),
            "measured": recorded["date"],
            "machine": recorded["machine"],
            "command": "python -m pytest notebooks/ (notebooks/conftest.py records the times)",
        }
    save(figures)


# ---------------------------------------------------------------- writing


def duration(seconds: float) -> str:
    """``42 s``, ``2.5 min``, ``14 min``, ``2 h 10 min``: as precise as a time worth reading."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    minutes = seconds / 60
    if minutes < 10:
        return f"{minutes:.1f} min"
    if minutes < 120:
        return f"{minutes:.0f} min"
    return f"{int(minutes // 60)} h {round(minutes % 60):02d} min"


def cell(figure: dict | None) -> str:
    """One figure as the table shows it: measured as is, an estimate with ``~`` and ``(est.)``."""
    if figure is None:
        return "not measured"
    if "estimate" in figure:
        return f"~{duration(figure['seconds'])} (est.)"
    return duration(figure["seconds"])


def table(figures: dict) -> str:
    rows = [
        "| # | lesson | what you build | quick mode | full budget, bfloat16 (auto) "
        "| full budget, float32 |",
        "|---|---|---|---|---|---|",
    ]
    for lesson, entry in sorted(figures["lessons"].items()):
        rows.append(
            f"| {lesson[:2]} | {entry['title']} | {entry['topic']} | "
            + " | ".join(cell(entry.get(b)) for b in BUDGETS)
            + " |"
        )
    estimates = sorted(
        {
            f"{lesson[:2]} ({b.replace('_', ', ')}): {entry[b]['estimate']}"
            for lesson, entry in figures["lessons"].items()
            for b in BUDGETS
            if b in entry and "estimate" in entry[b]
        }
    )
    notes = [
        "",
        *textwrap.wrap(
            f"Measured on {figures['machine']} (this course's machine), each lesson in a fresh "
            "kernel, offline data; `python benchmarks/lesson_times.py` measures and writes this "
            "table (the figures and their dates are in `benchmarks/lesson_times.json`). Quick "
            "mode is what the test suite runs; the full budget is the real lesson. *bfloat16 "
            "(auto)* is what `configure()` picks on a CPU with bfloat16 support; *float32* is "
            "what a laptop without it runs (`IMGEN_PRECISION=float32`). GPU times are not given: "
            "this machine has none.",
            width=100,
        ),
    ]
    if estimates:
        notes += ["", "Estimates, not complete runs:", ""] + [f"* {e}" for e in estimates]
    remarks = sorted(
        {
            f"{lesson[:2]}: {entry[b]['note']}"
            for lesson, entry in figures["lessons"].items()
            for b in BUDGETS
            if b in entry and "note" in entry[b]
        }
    )
    if remarks:
        notes += ["", "Notes:", ""] + [f"* {r}" for r in remarks]
    return "\n".join([TABLE_START, *rows, *notes, TABLE_END])


def time_line(figures: dict, lesson: str) -> str:
    """The ``**Time**`` paragraph of a lesson's header."""
    entry = figures["lessons"][lesson]
    auto, f32 = cell(entry.get("full_auto")), cell(entry.get("full_float32"))
    return (
        f"**Time** (measured on a 2-core CPU; all lessons in lesson 00's table): "
        f"{cell(entry.get('quick'))} in quick mode; with the full budget {auto} with bfloat16 "
        f"(the automatic choice on a CPU that has it), {f32} in float32 (a laptop without it)."
    )


def _replace_table(text: str, figures: dict) -> str:
    start, end = text.index(TABLE_START), text.index(TABLE_END) + len(TABLE_END)
    return text[:start] + table(figures) + text[end:]


def _set_source(cell: dict, text: str) -> None:
    lines = text.split("\n")
    cell["source"] = [line + "\n" for line in lines[:-1]] + [lines[-1]]


def _notebook(lesson: str) -> dict:
    return json.loads((NOTEBOOKS / f"{lesson}.ipynb").read_text(encoding="utf-8"))


def _save_notebook(lesson: str, notebook: dict) -> None:
    text = json.dumps(notebook, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    (NOTEBOOKS / f"{lesson}.ipynb").write_text(text, encoding="utf-8")


def expected_texts(figures: dict) -> dict[str, str]:
    """What README.md, lesson 00's table cell and each header's time line must say."""
    texts = {"table": table(figures)}
    for lesson in figures["lessons"]:
        texts[lesson] = time_line(figures, lesson)
    return texts


def found_texts() -> dict[str, str | None]:
    """What they say now (None where a table or time line is missing)."""
    found: dict[str, str | None] = {}
    readme = README.read_text(encoding="utf-8")
    found["README"] = _between(readme)
    cells = ["".join(c["source"]) for c in _notebook("00_start_here")["cells"]]
    found["lesson 00"] = next((_between(c) for c in cells if TABLE_START in c), None)
    for lesson in lessons():
        header = "".join(_notebook(lesson)["cells"][0]["source"])
        match = TIME_LINE.search(header)
        found[lesson] = match.group(0) if match else None
    return found


def _between(text: str) -> str | None:
    if TABLE_START not in text or TABLE_END not in text:
        return None
    return text[text.index(TABLE_START) : text.index(TABLE_END) + len(TABLE_END)]


def write() -> None:
    figures = load()
    headers = {}
    for lesson in lessons():  # check every lesson first, so a missing line changes nothing
        notebook = _notebook(lesson)
        header = "".join(notebook["cells"][0]["source"])
        if not TIME_LINE.search(header):
            raise SystemExit(f"{lesson}: its first cell has no paragraph starting **Time**")
        headers[lesson] = (notebook, TIME_LINE.sub(time_line(figures, lesson), header, 1))
    README.write_text(_replace_table(README.read_text(encoding="utf-8"), figures), "utf-8")
    start = headers["00_start_here"][0]
    (where,) = [c for c in start["cells"] if TABLE_START in "".join(c["source"])]
    _set_source(where, _replace_table("".join(where["source"]), figures))
    for lesson, (notebook, header) in headers.items():
        _set_source(notebook["cells"][0], header)
        _save_notebook(lesson, notebook)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("measure", help="run lessons and record their times")
    run.add_argument("--budget", choices=("quick", "full"), required=True)
    run.add_argument("--precision", choices=("auto", "float32"), default="auto")
    run.add_argument(
        "--random-vgg19",
        action="store_true",
        help="lessons 06 and 07: go on with random VGG19 weights if the ImageNet ones are missing",
    )
    run.add_argument("lessons", nargs="*", help="lesson numbers (default: all), e.g. 02 03")
    commands.add_parser("from-tests", help="take the quick-mode times the test suite recorded")
    commands.add_parser("write", help="write the table, the README's copy and the headers")
    args = parser.parse_args(argv)
    if args.command == "measure":
        chosen = [n for n in lessons() if not args.lessons or n[:2] in args.lessons]
        measure(chosen, args.budget, args.precision, args.random_vgg19)
    elif args.command == "from-tests":
        from_tests()
    else:
        write()
    return 0


if __name__ == "__main__":
    sys.exit(main())
