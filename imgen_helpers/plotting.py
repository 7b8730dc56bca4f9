"""Pictures for every lesson: image grids, loss curves, side-by-side comparisons, GIFs.

Images may be in [0, 1], [-1, 1] or uint8 [0, 255]; the range is detected (or given) and
converted with :mod:`imgen_helpers.images`. Taught in ``01_noise_images.ipynb``.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence

import numpy as np

from .images import guess_range, to_unit_range


def _as_display(images, value_range: str | None) -> np.ndarray:
    """(N, H, W, C) float32 in [0, 1] with C in {1, 3}."""
    x = np.asarray(images.numpy() if hasattr(images, "numpy") else images)
    if x.ndim == 2:
        x = x[None, ..., None]
    elif x.ndim == 3:
        # (H, W, C) with C in {1, 3, 4} is one image; anything else is (N, H, W) grey images.
        x = x[None] if x.shape[-1] in (1, 3, 4) else x[..., None]
    if x.ndim != 4:
        raise ValueError(f"expected images (N, H, W[, C]) or one (H, W[, C]); got shape {x.shape}.")
    if x.shape[-1] == 4:
        x = x[..., :3]
    if x.shape[-1] not in (1, 3):
        raise ValueError(f"images must have 1 or 3 channels, got {x.shape[-1]}.")
    return to_unit_range(x, value_range or guess_range(x))


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
        titles: one title per image.
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
    if titles is not None and len(titles) != n:
        raise ValueError(f"got {len(titles)} titles for {n} images.")
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
    if not images:
        raise ValueError("compare() needs at least one image.")
    tiles = [_as_display(img, value_range)[0] for img in images.values()]
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

    curves = getattr(history, "history", history)
    if not isinstance(curves, Mapping) or not curves:
        raise TypeError("plot_history expects a keras History or a non-empty dict of lists.")
    keys = list(keys or curves.keys())
    missing = [k for k in keys if k not in curves]
    if missing:
        raise KeyError(f"no curve named {missing}; available: {sorted(curves)}.")
    fig, ax = plt.subplots(figsize=(6, 3.5))
    for key in keys:
        values = np.asarray(curves[key], dtype=float)
        ax.plot(
            np.arange(1, len(values) + 1),
            values,
            marker="o" if len(values) < 30 else None,
            label=key,
        )
    ax.set_xlabel("epoch" if hasattr(history, "epoch") else "step")
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

    The values are rescaled to their own min..max first, so any range works.
    """
    import matplotlib

    values = np.asarray(values, dtype=np.float32)
    if values.ndim != 2:
        raise ValueError(f"apply_colormap expects a 2-D array (H, W), got shape {values.shape}.")
    lo, hi = float(values.min()), float(values.max())
    scaled = (values - lo) / (hi - lo) if hi > lo else np.zeros_like(values)
    return matplotlib.colormaps[cmap](scaled)[..., :3].astype(np.float32)


def save_gif(frames: Sequence, path: str | os.PathLike, fps: float = 4.0, value_range=None) -> str:
    """Write frames (each an image or a grid, any range) to an animated GIF.

    Args:
        frames: sequence of (H, W[, C]) images, all the same shape.
        path: output file; parent folders are created.
        fps: frames per second.
        value_range: forced range for all frames, or None to detect each.

    Returns:
        The path written, as a string.
    """
    import imageio.v2 as imageio

    if len(frames) == 0:
        raise ValueError("save_gif needs at least one frame.")
    uint8 = []
    for frame in frames:
        x = _as_display(frame, value_range)[0]
        x = np.repeat(x, 3, -1) if x.shape[-1] == 1 else x
        uint8.append((x * 255).round().astype(np.uint8))
    if len({f.shape for f in uint8}) != 1:
        raise ValueError("all GIF frames must have the same shape.")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    imageio.mimsave(path, uint8, duration=1000.0 / fps, loop=0)
    return str(path)
