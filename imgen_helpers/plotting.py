"""Pictures for every lesson: image grids, loss curves, side-by-side comparisons, GIFs.

Images may be in [0, 1], [-1, 1] or uint8 [0, 255]; the range is detected (or given) and
converted with :mod:`imgen_helpers.images`. Data that does not fit the given range, or whose
range cannot be told (floats a little outside [0, 1], NaN), is refused rather than clipped.
Layouts: one image (H, W) or (H, W, C), or a batch (N, H, W, C); a rank-3 array whose last axis
is not 1, 3 or 4 is read as a batch of grey images (N, H, W). C is 1, 3 or 4 (alpha is dropped).
Taught in ``01_noise_images.ipynb``.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence

import numpy as np

from . import checks
from .images import _to_unit, guess_range

VALUE_RANGES = ("unit", "symmetric", "uint8")


def _as_display(
    images, value_range: str | None, name: str = "images", single: bool = False
) -> np.ndarray:
    """(N, H, W, C) float32 in [0, 1] with C in {1, 3}; with ``single``, one image only."""
    if value_range is not None:
        checks.one_of("value_range", value_range, VALUE_RANGES)
    x = checks.as_array(images, name)
    if x.ndim == 2:
        x = x[None, ..., None]
    elif x.ndim == 3:
        # (H, W, C) with C in {1, 3, 4} is one image; anything else is (N, H, W) grey images.
        x = x[None] if x.shape[-1] in (1, 3, 4) else x[..., None]
    if x.ndim != 4 or (single and len(x) != 1):
        want = "one image (H, W) or (H, W, C)"
        want += "" if single else ", or a batch (N, H, W) or (N, H, W, C)"
        hint = ": pick one, e.g. x[0]" if single and x.ndim == 4 else ""
        raise ValueError(f"{name} must be {want}; got shape {x.shape}{hint}.")
    if x.size == 0:
        raise ValueError(f"{name} is empty (shape {x.shape}).")
    if x.shape[-1] == 4:
        x = x[..., :3]
    if x.shape[-1] not in (1, 3):
        raise ValueError(
            f"{name} must have 1 or 3 channels (grey or RGB; a 4th, alpha, is dropped) on its "
            f"last axis; got shape {x.shape}."
        )
    source = value_range or guess_range(x, name=name)
    return _to_unit(x, source, name, "value_range")


def _colormap(name: str, cmap):
    """A matplotlib colour map from its name (or a ``Colormap``), with a teaching error."""
    import difflib

    import matplotlib

    if isinstance(cmap, matplotlib.colors.Colormap):
        return cmap
    if not isinstance(cmap, str):
        raise TypeError(
            f"{name} must be a matplotlib colour map name such as 'gray'; got {cmap!r}."
        )
    if cmap not in matplotlib.colormaps:
        close = difflib.get_close_matches(cmap, list(matplotlib.colormaps), n=3)
        hint = f" (did you mean {', '.join(map(repr, close))}?)" if close else ""
        raise ValueError(
            f"{name} must be a matplotlib colour map such as 'gray', 'viridis' or 'terrain'; "
            f"got {cmap!r}{hint}."
        )
    return matplotlib.colormaps[cmap]


def _optional_text(name: str, value) -> None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name} must be a string or None; got {value!r}.")


def image_grid(images, ncols: int | None = None, value_range: str | None = None, pad: int = 1):
    """Tile images into one float32 array in [0, 1] (for GIF frames or saving).

    Args:
        images: (N, H, W[, C]) with C in {1, 3}, in any range (see module docstring).
        ncols: columns; defaults to about sqrt(N).
        value_range: ``"unit"``, ``"symmetric"`` or ``"uint8"``; detected when None.
        pad: pixels of white between tiles.

    Returns:
        (rows*(H+pad)-pad, cols*(W+pad)-pad, C) float32 array in [0, 1].
    """
    x = _as_display(images, value_range)
    ncols = None if ncols is None else checks.positive_int("ncols", ncols)
    pad = checks.integer("pad", pad, minimum=0)
    n, h, w, c = x.shape
    ncols = ncols or math.ceil(math.sqrt(n))
    nrows = math.ceil(n / ncols)
    grid = np.ones((nrows * (h + pad) - pad, ncols * (w + pad) - pad, c), np.float32)
    for i in range(n):
        r, k = divmod(i, ncols)
        grid[r * (h + pad) : r * (h + pad) + h, k * (w + pad) : k * (w + pad) + w] = x[i]
    return grid


def show_grid(
    images,
    titles: Sequence[str] | None = None,
    ncols: int | None = None,
    value_range: str | None = None,
    size: float = 1.6,
    suptitle: str | None = None,
    cmap: str = "gray",
):
    """Show images in a grid of subplots, optionally with a title each.

    Args:
        images: (N, H, W[, C]) or a single (H, W[, C]) image, any range.
        titles: one title (a string) per image, in a list.
        ncols: columns (default about sqrt(N)).
        value_range: ``"unit"``, ``"symmetric"``, ``"uint8"`` or None to detect.
        size: inches per tile.
        suptitle: a title over the whole figure.
        cmap: colour map for one-channel images.

    Returns:
        The matplotlib figure.
    """
    import matplotlib.pyplot as plt

    x = _as_display(images, value_range)
    n = len(x)
    if titles is not None:
        if isinstance(titles, str) or not isinstance(titles, Sequence | np.ndarray):
            raise TypeError(f"titles must be a list of strings, one per image; got {titles!r}.")
        if len(titles) != n:
            raise ValueError(f"got {len(titles)} titles for {n} images: titles needs one each.")
    ncols = None if ncols is None else checks.positive_int("ncols", ncols)
    size = checks.positive("size", size)
    _optional_text("suptitle", suptitle)
    _colormap("cmap", cmap)
    ncols = min(ncols or math.ceil(math.sqrt(n)), n)
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(size * ncols, size * nrows + 0.3), squeeze=False
    )
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i < n:
            img = x[i, ..., 0] if x.shape[-1] == 1 else x[i]
            ax.imshow(img, cmap=cmap if x.shape[-1] == 1 else None, vmin=0, vmax=1)
            if titles is not None:
                ax.set_title(titles[i], fontsize=9)
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout()
    return fig


def compare(images: Mapping[str, object], value_range: str | None = None, size: float = 3.0):
    """Show named images side by side, e.g. ``compare({"clean": x, "noisy": y})``.

    Args:
        images: title -> one image (H, W[, C]) in any range.
        value_range: forced range for all, or None to detect each.
        size: inches per panel.

    Returns:
        The matplotlib figure.
    """
    if not isinstance(images, Mapping):
        raise TypeError(
            f"images must be a dict of title -> image, e.g. compare({{'clean': x, 'noisy': y}}); "
            f"got {type(images).__name__}."
        )
    if not images:
        raise ValueError("images is empty: compare() needs at least one image.")
    size = checks.positive("size", size)
    tiles = [
        _as_display(img, value_range, name=f"images[{title!r}]", single=True)[0]
        for title, img in images.items()
    ]
    shapes = {t.shape[-1] for t in tiles}
    if len(shapes) > 1:  # mix of grey and colour: show everything as colour
        tiles = [np.repeat(t, 3, -1) if t.shape[-1] == 1 else t for t in tiles]
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(tiles), figsize=(size * len(tiles), size + 0.4), squeeze=False)
    for ax, title, tile in zip(axes[0], images, tiles, strict=True):
        ax.imshow(tile[..., 0] if tile.shape[-1] == 1 else tile, cmap="gray", vmin=0, vmax=1)
        ax.set_title(title, fontsize=10)
        ax.axis("off")
    fig.tight_layout()
    return fig


class _NoSuchCurve(KeyError, ValueError):
    """An unknown curve name: a KeyError like a dict's, and a ValueError like every wrong value."""

    def __str__(self) -> str:  # the message, without the quotes KeyError adds
        return str(self.args[0])


def plot_history(history, keys: Sequence[str] | None = None, title: str | None = None, logy=False):
    """Plot training curves from a Keras ``History`` or a dict of name -> list of values.

    Args:
        history: ``model.fit(...)`` result, its ``.history`` dict, or any mapping of lists.
        keys: which curves to draw (default: all).
        title: figure title.
        logy: logarithmic y axis.

    Returns:
        The matplotlib figure.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    curves = getattr(history, "history", history)
    if not isinstance(curves, Mapping):
        raise TypeError(
            "history must be a keras History (what model.fit returns) or a dict of name -> list "
            f"of values; got {type(history).__name__}."
        )
    if not curves:
        raise ValueError("history is empty: there is no curve to plot (did fit() run?).")
    if keys is not None and (isinstance(keys, str) or not isinstance(keys, Sequence)):
        raise TypeError(f"keys must be a list of curve names, e.g. ['loss']; got {keys!r}.")
    keys = list(keys or curves.keys())
    missing = [k for k in keys if k not in curves]
    if missing:
        raise _NoSuchCurve(f"keys: no curve named {missing}; available: {sorted(curves)}.")
    _optional_text("title", title)
    logy = checks.boolean("logy", logy)
    # NaN stays: a curve that diverged is worth seeing.
    values_of = {
        k: checks.array(
            f"history[{k!r}]", curves[k], ranks=(1,), finite=False, dtype=float, nonempty=False
        )
        for k in keys
    }
    fig, ax = plt.subplots(figsize=(6, 3.5))
    for key in keys:
        values = values_of[key]
        ax.plot(
            np.arange(1, len(values) + 1),
            values,
            marker="o" if len(values) < 30 else None,
            label=key,
        )
    ax.set_xlabel("epoch" if hasattr(history, "epoch") else "step")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # epoch 2, never epoch 1.25
    if logy:
        ax.set_yscale("log")
    ax.legend()
    ax.grid(alpha=0.3)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def apply_colormap(values: np.ndarray, cmap: str = "viridis") -> np.ndarray:
    """Map a 2-D array of numbers to an RGB float32 image in [0, 1] via a matplotlib colour map.

    The values are rescaled to their own min..max first, so any finite range works.

    Args:
        values: (H, W) finite numbers, e.g. a noise field or a height map.
        cmap: a matplotlib colour map name (``"viridis"``, ``"terrain"``, ``"gray"`` ...).

    Returns:
        (H, W, 3) float32 in [0, 1].
    """
    values = checks.as_array(values, "values")
    if values.ndim != 2:
        hint = ": drop the channel axis with values[..., 0]" if values.ndim == 3 else ""
        raise ValueError(f"values must be a 2-D array (H, W); got shape {values.shape}{hint}.")
    values = checks.array("values", values)  # finite float32
    colours = _colormap("cmap", cmap)
    lo, hi = float(values.min()), float(values.max())
    scaled = (values - lo) / (hi - lo) if hi > lo else np.zeros_like(values)
    return colours(scaled)[..., :3].astype(np.float32)


def save_gif(frames: Sequence, path: str | os.PathLike, fps: float = 4.0, value_range=None) -> str:
    """Write frames (each an image or a grid, any range) to an animated GIF.

    Args:
        frames: a list of (H, W[, C]) images, all the same height and width (or an array
            (N, H, W, C) of them); grey frames are shown as grey RGB.
        path: output file ending in ``.gif``; parent folders are created.
        fps: frames per second.
        value_range: forced range for all frames, or None to detect each.

    Returns:
        The path written, as a string.
    """
    import imageio.v2 as imageio

    if isinstance(frames, str) or not (isinstance(frames, Sequence) or hasattr(frames, "shape")):
        raise TypeError(
            f"frames must be a list of images, one per frame; got {type(frames).__name__}."
        )
    if not isinstance(frames, Sequence):  # an array or tensor: a batch of frames
        frames = checks.as_array(frames, "frames")
        if frames.ndim < 3 or (frames.ndim == 3 and frames.shape[-1] in (1, 3, 4)):
            raise ValueError(
                f"frames must be a list of images (or an (N, H, W, C) array of them); got one "
                f"image of shape {frames.shape}: for a one-frame GIF pass [image]."
            )
    if len(frames) == 0:
        raise ValueError("frames is empty: save_gif needs at least one frame.")
    path = checks.path("path", path, suffix=".gif")
    fps = checks.positive("fps", fps)
    uint8 = []
    for i, frame in enumerate(frames):
        x = _as_display(frame, value_range, name=f"frames[{i}]", single=True)[0]
        x = np.repeat(x, 3, -1) if x.shape[-1] == 1 else x
        uint8.append((x * 255).round().astype(np.uint8))
    shapes = [f.shape[:2] for f in uint8]
    if len(set(shapes)) != 1:
        odd = next(i for i, s in enumerate(shapes) if s != shapes[0])
        raise ValueError(
            f"frames must all have the same shape: frames[0] is {shapes[0]}, frames[{odd}] is "
            f"{shapes[odd]}; resize them or make every grid from the same number of images."
        )
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    imageio.mimsave(path, uint8, duration=1000.0 / fps, loop=0)
    return str(path)
