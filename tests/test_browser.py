"""Lessons 01 and 05 in a real browser: JupyterLab, Run All, widgets that are controls.

JupyterLab is started as the README's first command starts it (the ``jupyter lab`` entry
point), headless, in quick and offline mode, and driven by Playwright in Debian's Chromium
(``/usr/bin/chromium``: Playwright's own browser download needs network access CI does not
have). Each lesson is copied to a temporary folder under ``runs/browser/`` (JupyterLab autosaves,
and the stored lessons must stay without outputs), run with Run > Run All Cells, and checked:
every code cell ran, no cell shows a traceback, every widget renders as a control, and moving a
slider redraws the image it drives. Screenshots of the panel before and after the move are
written to ``runs/browser/`` (git-ignored). Without a browser or Playwright the test is skipped,
saying what to install; with ``CI`` set they are required.
"""

import importlib.util
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

import jupyterlab_browser as lab
import pytest

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "runs" / "browser"
CHROMIUM = Path("/usr/bin/chromium")
LESSONS = ["01_noise_images.ipynb", "05_vae.ipynb"]
RUN_TIMEOUT = 900.0  # s for Run All; lesson 05 takes 40 to 100 s in quick mode on 2 shared cores
UI_TIMEOUT = 60.0  # s for JupyterLab to load a page, start a kernel or redraw a widget
ARROW_PRESSES = 5
ERROR_LINE = re.compile(r"Traceback \(most recent call last\)|^\w*(Error|Exception)\b", re.M)
FALLBACK_TEXT = ("interactive(children=", "Error displaying widget")

pytestmark = pytest.mark.slow


def _missing() -> list[str]:
    missing = []
    if importlib.util.find_spec("playwright") is None:
        missing.append(
            "the Python package playwright (pip install playwright, or pip install -e '.[dev]')"
        )
    if not os.access(CHROMIUM, os.X_OK):
        missing.append(f"Chromium at {CHROMIUM} (apt-get install -y chromium)")
    if importlib.util.find_spec("jupyterlab") is None:
        missing.append("JupyterLab (pip install -e '.[dev]')")
    return missing


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="module")
def browser():
    missing = _missing()
    if missing:
        message = "the browser test needs " + "; ".join(missing)
        if _in_ci():
            pytest.fail(message + " (CI is set, so this is required)", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def server(browser, tmp_path_factory):
    SHOTS.mkdir(parents=True, exist_ok=True)
    jupyter = lab.JupyterLab(
        ROOT, tmp_path_factory.mktemp("jupyterlab"), {"IMGEN_QUICK": "1", "IMGEN_OFFLINE": "1"}
    )
    try:
        jupyter.start()
        yield jupyter
    finally:
        jupyter.stop()


@pytest.fixture
def lesson_copy(request):
    """A copy of the lesson in a temporary folder under the server's root, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="notebooks-", dir=SHOTS))
    try:
        yield Path(shutil.copy(ROOT / "notebooks" / request.param, folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _fail(page, stem: str, message: str) -> None:
    shot = SHOTS / f"{stem}-failure.png"
    page.screenshot(path=shot, full_page=True)
    pytest.fail(f"{stem}: {message}\n(screenshot of the page: {shot})", pytrace=False)


def _settled_src(page, image, src_before: str | None) -> str | None:
    """The image's src once the kernel has stayed idle for three polls, or at UI_TIMEOUT."""
    deadline = time.monotonic() + UI_TIMEOUT
    idle = 0
    while time.monotonic() < deadline:
        page.wait_for_timeout(1000)
        idle = idle + 1 if lab.kernel_status(page) == "idle" else 0
        src = image.get_attribute("src") if image.count() else None
        if idle >= (1 if src not in (None, src_before) else 3):
            return src
    return image.get_attribute("src") if image.count() else None


def _move_a_slider(page, stem: str) -> str:
    """ArrowRight on the sliders of the first interactive panel that has one, in turn.

    A slider need not drive the image in every state of its panel (lesson 01's noise level does
    nothing to fBm), so each is tried until one redraws the image; fails if none does. Writes
    the panel before and after that move to SHOTS; returns a one-line account.
    """
    panel = page.locator(f"{lab.NOTEBOOK} .widget-interact", has=page.locator(".noUi-handle"))
    panel = panel.first
    panel.scroll_into_view_if_needed()
    image = panel.locator(".jp-OutputArea-output img").first
    image.wait_for(timeout=UI_TIMEOUT * 1000)
    sliders = panel.locator(".widget-slider", has=page.locator(".noUi-handle"))
    tried = []
    for i in range(sliders.count()):
        slider = sliders.nth(i)
        label = slider.locator(".widget-label").first.text_content().strip()
        value_before = slider.locator(".widget-readout").first.text_content().strip()
        src_before = image.get_attribute("src")
        before = panel.screenshot()
        slider.locator(".noUi-handle").first.focus()
        for _ in range(ARROW_PRESSES):
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(200)
        value_after = slider.locator(".widget-readout").first.text_content().strip()
        src_after = _settled_src(page, image, src_before)
        (SHOTS / f"{stem}-before.png").write_bytes(before)
        panel.screenshot(path=SHOTS / f"{stem}-after.png")
        move = f"slider {label!r} {value_before} -> {value_after}"
        if value_after == value_before:
            _fail(page, stem, f"ArrowRight on slider {label!r} left it at {value_before}")
        if src_after not in (None, src_before):
            return move + " redrew the image" + (f" ({'; '.join(tried)})" if tried else "")
        tried.append(move + " did not")
    _fail(
        page,
        stem,
        f"no slider changed the panel's image: {'; '.join(tried)} (last move: "
        f"{SHOTS / f'{stem}-before.png'}, {SHOTS / f'{stem}-after.png'})",
    )


@pytest.mark.parametrize("lesson_copy", LESSONS, indirect=True, ids=LESSONS)
def test_run_all_in_jupyterlab(browser, server, lesson_copy, capsys):
    stem = lesson_copy.stem
    for old in SHOTS.glob(f"{stem}-*.*"):  # screenshots and reports of an earlier run
        old.unlink()
    source = lesson_copy.read_text()
    panels_expected = source.count("widgets.interactive(")
    started = time.monotonic()
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(UI_TIMEOUT * 1000)
    try:
        page.goto(server.notebook_url(lesson_copy))
        page.locator(f"{lab.NOTEBOOK} .jp-CodeCell").first.wait_for()
        lab.wait_for_kernel(page, server, lesson_copy, UI_TIMEOUT)
        lab.run_all_from_menu(page)
        try:
            final = lab.wait_until_run_ends(page, RUN_TIMEOUT)
        except TimeoutError as error:
            _fail(page, stem, str(error))
        ran = time.monotonic() - started

        shown = lab.outputs(page)
        tracebacks = [
            o for o in shown if o["mime"] == lab.STDERR_MIME and ERROR_LINE.search(o["text"])
        ]
        if tracebacks:
            first = tracebacks[0]
            _fail(page, stem, f"code cell {first['cell']} errored:\n{first['text'][-3000:]}")
        not_run = [i for i, p in enumerate(final) if not re.fullmatch(r"\[\d+\]:", p)]
        if not_run:
            _fail(
                page,
                stem,
                f"code cells {not_run} did not run (prompts {[final[i] for i in not_run]})",
            )

        fallbacks = [o for o in shown if any(t in o["text"] for t in FALLBACK_TEXT)]
        if fallbacks:
            _fail(
                page, stem, f"code cell {fallbacks[0]['cell']} shows {fallbacks[0]['text'][:200]!r}"
            )
        widgets = lab.widget_panels(page)
        if widgets.count() != panels_expected:
            _fail(
                page, stem, f"{widgets.count()} widget panels rendered, expected {panels_expected}"
            )
        for i in range(widgets.count()):
            if not widgets.nth(i).locator(lab.CONTROLS).count():
                _fail(
                    page,
                    stem,
                    f"widget panel {i} has no control: {widgets.nth(i).text_content()!r}",
                )

        moved = _move_a_slider(page, stem)
        stderr = [o for o in shown if o["mime"] == lab.STDERR_MIME]
        report = SHOTS / f"{stem}-stderr.txt"
        if stderr:
            report.write_text("".join(f"--- code cell {o['cell']}\n{o['text']}\n" for o in stderr))
        with capsys.disabled():
            print(
                f"\n[browser] {stem}: {len(final)} code cells ran in {ran:.0f} s, "
                f"{widgets.count()} widgets are controls, {moved}; screenshots: "
                f"{SHOTS.relative_to(ROOT)}/{stem}-before.png, -after.png"
                + (f"; {len(stderr)} stderr outputs (not failures): {report}" if stderr else "")
            )
    finally:
        context.close()
        server.shutdown_kernels()
