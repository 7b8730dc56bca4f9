"""Progress bars end full (green in a notebook) when the work ended as designed, early or not.

The package's only tqdm bar is style transfer's (``imgen_helpers.style_transfer._Recorder``).
L-BFGS often stops before its planned steps (it converged, or its line searches used up the
evaluation budget) and ``target_loss`` stops a run on purpose: the bar must then end at
``n == total`` with the reason in its postfix. A run that raises must leave it unfinished (red).
The bars are captured by replacing ``tqdm.auto.tqdm``, which the recorder imports when it starts.
"""

import io

import numpy as np
import pytest
import tensorflow as tf
import tqdm.auto
import tqdm.notebook
import tqdm.std

from imgen_helpers import style_transfer as st


def _image(h, w, seed):
    rng = np.random.default_rng(seed)
    smooth = rng.random((h // 4 + 2, w // 4 + 2, 3)).astype(np.float32)
    return np.clip(tf.image.resize(smooth[None], (h, w))[0].numpy(), 0, 1)


@pytest.fixture(params=["console", "notebook"])
def bars(request, monkeypatch):
    """The bars stylize() opens, as a console tqdm or a tqdm.notebook widget bar."""
    opened = []
    base = tqdm.std.tqdm if request.param == "console" else tqdm.notebook.tqdm

    class Spy(base):
        def __init__(self, *args, **kwargs):
            kwargs["file"] = io.StringIO()
            if request.param == "notebook":
                kwargs["display"] = False  # no front end here: keep the widget undisplayed
            super().__init__(*args, **kwargs)
            opened.append(self)

    monkeypatch.setattr(tqdm.auto, "tqdm", Spy)
    return opened


def _widget(bar):
    """The ipywidgets IntProgress of a tqdm.notebook bar, or None for a console bar."""
    container = getattr(bar, "container", None)
    return None if container is None else container.children[1]


def _ended_full(bar):
    assert bar.n == bar.total, f"the bar ended at {bar.n}/{bar.total}"
    widget = _widget(bar)
    if widget is not None:
        assert widget.value == widget.max == bar.n
        assert widget.bar_style == "success"  # green


def test_lbfgs_that_stops_early_ends_with_a_full_bar_and_says_why(extractor, bars):
    content, style = _image(32, 32, 1), _image(32, 32, 2)
    planned = 12
    result = st.stylize(content, style, extractor, method="lbfgs", steps=planned)
    (bar,) = bars
    done = len(result.history["loss"])
    assert done < planned  # the case of lesson 06's "67% 8/12": L-BFGS stopped early
    assert bar.n == done
    _ended_full(bar)
    assert "stopped=" in bar.postfix
    assert any(why in bar.postfix for why in ("converged", "evaluation budget used"))


def test_target_loss_on_the_last_scale_ends_with_a_full_bar(extractor, bars):
    content, style = _image(32, 32, 3), _image(32, 32, 4)
    kwargs = dict(method="adam", steps=(3, 4), scales=(0.5, 1.0), learning_rate=0.02)
    result = st.stylize(content, style, extractor, target_loss=1e12, **kwargs)
    (bar,) = bars
    assert len(result.history["loss"]) == 3 + 1  # all of the coarse scale, one full-size step
    _ended_full(bar)
    assert "stopped=target loss reached" in bar.postfix


def test_a_run_that_uses_its_whole_budget_ends_full_without_a_reason(extractor, bars):
    content, style = _image(32, 32, 5), _image(32, 32, 6)
    st.stylize(content, style, extractor, method="adam", steps=3, learning_rate=0.02)
    (bar,) = bars
    assert bar.n == bar.total == 3
    _ended_full(bar)
    assert "stopped" not in bar.postfix


def test_a_run_that_raises_leaves_the_bar_unfinished_and_red(extractor, bars, monkeypatch):
    content, style = _image(32, 32, 7), _image(32, 32, 8)
    real = st._loss_at_scale
    calls = []

    def fails_on_the_second_scale(*args):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("out of memory (simulated)")
        return real(*args)

    monkeypatch.setattr(st, "_loss_at_scale", fails_on_the_second_scale)
    kwargs = dict(method="adam", steps=(3, 4), scales=(0.5, 1.0), learning_rate=0.02)
    with pytest.raises(RuntimeError, match="simulated"):
        st.stylize(content, style, extractor, **kwargs)
    (bar,) = bars
    assert (bar.n, bar.total) == (3, 7)
    assert "stopped=error" in bar.postfix
    widget = _widget(bar)
    if widget is not None:
        assert widget.bar_style == "danger"  # red


def test_an_error_after_the_last_step_still_leaves_the_bar_red(extractor, bars, monkeypatch):
    def broken_finish(*args):
        raise ValueError("broken (simulated)")

    monkeypatch.setattr(st, "_finish", broken_finish)
    with pytest.raises(ValueError, match="simulated"):
        st.stylize(_image(32, 32, 9), _image(32, 32, 10), extractor, method="adam", steps=2)
    (bar,) = bars
    assert "stopped=error" in bar.postfix
    widget = _widget(bar)
    if widget is not None:
        assert widget.bar_style == "danger"


def test_progress_false_opens_no_bar(extractor, bars):
    st.stylize(_image(32, 32, 11), _image(32, 32, 12), extractor, steps=2, progress=False)
    assert bars == []
