"""Without VGG19's ImageNet weights a learner sees a short message with the two ways on.

Not a traceback of Keras' and urllib's frames with the message at the bottom: in a notebook the
error shows only its message (``WeightsUnavailableError._render_traceback_``), and a failed
download no longer chains urllib's traceback (``raise ... from None``).
"""

import os
import re
from pathlib import Path

import keras
import nbformat
import pytest
from nbclient import NotebookClient

from imgen_helpers import style_transfer as st
from imgen_helpers import vgg

ROOT = Path(__file__).resolve().parent.parent
SHALLOW = {"style_layers": ("block1_conv1",), "content_layers": ()}
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _ways_on(text: str) -> None:
    lines = text.splitlines()
    assert lines[0].endswith("style transfer needs them. Two ways on:"), lines[0]
    assert lines[1].lstrip().startswith("1. Get them") and "weights_path=" in lines[1]
    assert lines[2].lstrip().startswith("2. Go on without them: pass allow_random_weights=True")
    assert lines[3].startswith("Why they are missing:")


def test_the_message_starts_with_the_two_ways_on(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setenv("IMGEN_OFFLINE", "1")
    with pytest.raises(st.WeightsUnavailableError) as caught:
        st.build_extractor(**SHALLOW)
    _ways_on(str(caught.value))
    assert "IMGEN_OFFLINE=1" in str(caught.value).splitlines()[-1]
    rendered = ANSI.sub("", "\n".join(caught.value._render_traceback_()))
    assert rendered == f"WeightsUnavailableError: {caught.value}"


def test_a_failed_download_does_not_chain_urllibs_traceback(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setenv("IMGEN_OFFLINE", "0")

    def no_network(**kwargs):  # what keras.utils.get_file raises without a network
        raise Exception("URL fetch failure on https://example: None -- [Errno -2] Name unknown")

    monkeypatch.setattr(keras.applications, "VGG19", no_network)
    with pytest.raises(vgg.WeightsUnavailableError) as caught:
        vgg.build_extractor(**SHALLOW)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert "Name unknown" in str(caught.value).splitlines()[-1]  # the reason is kept


def test_lesson_06_shows_only_the_message(tmp_path):
    """Lesson 06 with full budgets, offline, nothing cached: its extractor cell's error output."""
    notebook = nbformat.read(ROOT / "notebooks" / "06_style_transfer.ipynb", as_version=4)
    index = next(i for i, cell in enumerate(notebook.cells) if "st.build_extractor(" in cell.source)
    notebook.cells = notebook.cells[: index + 1]
    env = {**os.environ, "IMGEN_QUICK": "0", "IMGEN_OFFLINE": "1", "KERAS_HOME": str(tmp_path)}
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute(env=env)
    errors = [
        (i, output)
        for i, cell in enumerate(notebook.cells)
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]
    assert [i for i, _ in errors] == [index], f"errors in cells {[i for i, _ in errors]}"
    shown = ANSI.sub("", "\n".join(errors[0][1].traceback))
    assert shown.startswith("WeightsUnavailableError: VGG19's ImageNet weights are missing")
    assert len(shown.splitlines()) == 4, shown  # the message, and no frames
    _ways_on(shown.split(": ", 1)[1])
