"""Bad inputs for imgen_helpers.plotting: each must get a clear error naming the argument.

Pictures used to be made of wrong data without a word: uint8 shown as [-1, 1], unclipped noise
taken for a nearly black 8-bit image, a batch given to ``compare`` cut to its first image, a
string of titles spread one letter per image.
"""

import tempfile
from pathlib import Path

import numpy as np
from bad_inputs import Bad, parametrize

from imgen_helpers import plotting

IMAGE = np.full((8, 8), 0.5, np.float32)
BATCH = np.full((3, 8, 8, 1), 0.5, np.float32)
UINT8 = np.full((3, 8, 8, 1), 128, np.uint8)
NAN = np.full((8, 8), np.nan, np.float32)
HISTORY = {"loss": [1.0, 0.5]}
GIF = Path(tempfile.gettempdir()) / "imgen-errors-plotting" / "bad.gif"

CASES = {
    "imgen_helpers.plotting.image_grid": [
        Bad("type", lambda: plotting.image_grid("samples.png"), TypeError, "images"),
        Bad("type", lambda: plotting.image_grid(BATCH, ncols="3"), TypeError, "ncols"),
        Bad("rank", lambda: plotting.image_grid(np.zeros(8)), ValueError, "images"),
        Bad("rank", lambda: plotting.image_grid(np.zeros((3, 8, 8, 2))), ValueError, "images"),
        Bad(
            "range",
            lambda: plotting.image_grid(UINT8, value_range="symmetric"),
            ValueError,
            "value_range='uint8'",
        ),
        Bad(
            "range",
            lambda: plotting.image_grid(BATCH * 3, value_range="unit"),
            ValueError,
            "images",
        ),
        Bad("range", lambda: plotting.image_grid(BATCH * 2.1), ValueError, "images"),
        Bad("finite", lambda: plotting.image_grid(BATCH * np.nan), ValueError, "images"),
        Bad("count", lambda: plotting.image_grid(BATCH, ncols=0), ValueError, "ncols"),
        Bad("count", lambda: plotting.image_grid(BATCH, pad=-1), ValueError, "pad"),
        Bad("count", lambda: plotting.image_grid(BATCH[:0]), ValueError, "images"),
        Bad(
            "name",
            lambda: plotting.image_grid(BATCH, value_range="tanh"),
            ValueError,
            "value_range",
        ),
    ],
    "imgen_helpers.plotting.show_grid": [
        Bad("type", lambda: plotting.show_grid(None), TypeError, "images"),
        Bad("type", lambda: plotting.show_grid(BATCH, titles="abc"), TypeError, "titles"),
        Bad("type", lambda: plotting.show_grid(BATCH, size="2"), TypeError, "size"),
        Bad("type", lambda: plotting.show_grid(BATCH, suptitle=3), TypeError, "suptitle"),
        Bad("rank", lambda: plotting.show_grid(np.zeros((1, 3, 8, 8, 1))), ValueError, "images"),
        Bad("range", lambda: plotting.show_grid(BATCH - 2), ValueError, "images"),
        Bad("finite", lambda: plotting.show_grid(BATCH * np.nan), ValueError, "images"),
        Bad("count", lambda: plotting.show_grid(BATCH, titles=["a", "b"]), ValueError, "titles"),
        Bad("count", lambda: plotting.show_grid(BATCH, ncols=-1), ValueError, "ncols"),
        Bad("range", lambda: plotting.show_grid(BATCH, size=0), ValueError, "size"),
        Bad("name", lambda: plotting.show_grid(BATCH, cmap="gray_scale"), ValueError, "cmap"),
        Bad(
            "name", lambda: plotting.show_grid(BATCH, value_range="0-1"), ValueError, "value_range"
        ),
    ],
    "imgen_helpers.plotting.compare": [
        Bad("type", lambda: plotting.compare([IMAGE, IMAGE]), TypeError, "images"),
        Bad("type", lambda: plotting.compare({"clean": "clean.png"}), TypeError, "images['clean']"),
        Bad("type", lambda: plotting.compare({"a": IMAGE}, size="3"), TypeError, "size"),
        # A batch used to be cut to its first image without a word.
        Bad("rank", lambda: plotting.compare({"a": BATCH}), ValueError, "images['a']"),
        Bad("rank", lambda: plotting.compare({"a": np.zeros(8)}), ValueError, "images['a']"),
        Bad(
            "range", lambda: plotting.compare({"noisy": IMAGE + 0.6}), ValueError, "images['noisy']"
        ),
        Bad("range", lambda: plotting.compare({"a": IMAGE}, size=-1), ValueError, "size"),
        Bad("finite", lambda: plotting.compare({"a": NAN}), ValueError, "images['a']"),
        Bad("count", lambda: plotting.compare({}), ValueError, "images"),
        Bad(
            "name",
            lambda: plotting.compare({"a": IMAGE}, value_range="float"),
            ValueError,
            "value_range",
        ),
    ],
    "imgen_helpers.plotting.plot_history": [
        Bad("type", lambda: plotting.plot_history([1.0, 0.5]), TypeError, "history"),
        Bad("type", lambda: plotting.plot_history(HISTORY, keys="loss"), TypeError, "keys"),
        Bad("type", lambda: plotting.plot_history({"loss": ["a", "b"]}), TypeError, "history"),
        Bad("type", lambda: plotting.plot_history(HISTORY, logy="yes"), TypeError, "logy"),
        Bad("type", lambda: plotting.plot_history(HISTORY, title=1), TypeError, "title"),
        Bad("rank", lambda: plotting.plot_history({"loss": [[1.0, 2.0]]}), ValueError, "history"),
        Bad("count", lambda: plotting.plot_history({}), ValueError, "history"),
        Bad("name", lambda: plotting.plot_history(HISTORY, keys=["kl"]), ValueError, "keys"),
    ],
    "imgen_helpers.plotting.apply_colormap": [
        Bad("type", lambda: plotting.apply_colormap("terrain"), TypeError, "values"),
        Bad("type", lambda: plotting.apply_colormap(IMAGE, cmap=3), TypeError, "cmap"),
        Bad("rank", lambda: plotting.apply_colormap(IMAGE[..., None]), ValueError, "values"),
        Bad("finite", lambda: plotting.apply_colormap(NAN), ValueError, "values"),
        Bad("count", lambda: plotting.apply_colormap(np.zeros((0, 4))), ValueError, "values"),
        Bad("name", lambda: plotting.apply_colormap(IMAGE, "terain"), ValueError, "cmap"),
    ],
    "imgen_helpers.plotting.save_gif": [
        Bad("type", lambda: plotting.save_gif(None, GIF), TypeError, "frames"),
        Bad("type", lambda: plotting.save_gif([IMAGE], 3), TypeError, "path"),
        Bad("type", lambda: plotting.save_gif([IMAGE], GIF, fps="4"), TypeError, "fps"),
        Bad("type", lambda: plotting.save_gif(["a.png"], GIF), TypeError, "frames[0]"),
        Bad("rank", lambda: plotting.save_gif(IMAGE, GIF), ValueError, "frames"),
        Bad("rank", lambda: plotting.save_gif([IMAGE, BATCH], GIF), ValueError, "frames[1]"),
        Bad("range", lambda: plotting.save_gif([IMAGE], GIF, fps=0), ValueError, "fps"),
        Bad(
            "range",
            lambda: plotting.save_gif([IMAGE * 3], GIF, value_range="unit"),
            ValueError,
            "frames[0]",
        ),
        Bad("finite", lambda: plotting.save_gif([NAN], GIF), ValueError, "frames[0]"),
        Bad("count", lambda: plotting.save_gif([], GIF), ValueError, "frames"),
        Bad(
            "compat",
            lambda: plotting.save_gif([IMAGE, np.zeros((9, 9))], GIF),
            ValueError,
            "frames",
        ),
        Bad(
            "path", lambda: plotting.save_gif([IMAGE], GIF.with_suffix(".png")), ValueError, "path"
        ),
        Bad(
            "name",
            lambda: plotting.save_gif([IMAGE], GIF, value_range="auto"),
            ValueError,
            "value_range",
        ),
    ],
}

test_bad_inputs = parametrize(CASES)
