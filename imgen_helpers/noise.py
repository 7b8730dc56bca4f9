"""Noise: damaging images with it, and making images out of it.

Two families, both vectorised NumPy with an explicit ``seed=`` on every function:

* corruption models added to an image: Gaussian, uniform, salt-and-pepper;
* procedural images from math alone: white noise, value noise, Perlin gradient noise and
  fractal Brownian motion (fBm), optionally tileable.

Units: noise strengths (``sigma``, ``a``) are in units of the full intensity range, so
``sigma=0.1`` means 0.1 on a [0, 1] float image and 25.5 grey levels on a uint8 image; they
must lie in [0, 1] (``sigma=25`` would be 25 times the whole range, and is refused).
The output keeps the input's dtype; uint8 results are rounded and always clipped.
Taught in ``01_noise_images.ipynb``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import checks
from .images import check_image
from .runtime import Seed
from .runtime import as_rng as _rng

# Largest procedural image and lattice: beyond these the arrays no longer fit in memory.
_MAX_PIXELS = 8192 * 8192
_MAX_CELLS = 4096
_CHANNELS = (1, 3, 4)  # grey, RGB, RGBA


def _strength(name: str, value) -> float:
    """A noise strength in units of the full range: a number in [0, 1]."""
    value = checks.number(name, value)
    if value < 0:
        raise ValueError(f"{name} must be >= 0 (it is a spread, not a shift); got {value:g}.")
    if value > 1:
        raise ValueError(
            f"{name} must be at most 1: it is in units of the full intensity range (1 for a "
            f"[0, 1] image, all 255 grey levels for uint8), so {name}={value:g} would drown the "
            f"image. For N grey levels use {name}=N/255 (25 grey levels: {25 / 255:.3f})."
        )
    return value


def _fraction(name: str, value) -> float:
    value = checks.number(name, value)
    if not 0 <= value <= 1:
        raise ValueError(f"{name} must be a fraction in [0, 1], got {value:g}.")
    return value


def gaussian_density(x, sigma: float) -> np.ndarray:
    """The N(0, sigma^2) density ``exp(-x^2 / (2 sigma^2)) / sqrt(2 pi sigma^2)``.

    Args:
        x: points, a number or an array of any shape, finite.
        sigma: standard deviation (> 0), in the units of ``x``.

    Returns:
        float64 array of the densities, the shape of ``x``.
    """
    x = checks.array("x", x, dtype=np.float64, nonempty=False)
    sigma = checks.number("sigma", sigma)
    if sigma <= 0:
        raise ValueError(f"sigma must be > 0 for a density; got {sigma:g}.")
    return np.exp(-(x**2) / (2 * sigma**2)) / np.sqrt(2 * np.pi * sigma**2)


def _finish(image: np.ndarray, noisy: np.ndarray, clip: bool) -> np.ndarray:
    """Back to the input's dtype; clipping is forced for uint8 (it has nowhere else to go)."""
    if image.dtype == np.uint8:
        return np.clip(np.rint(noisy * 255.0), 0, 255).astype(np.uint8)
    if clip:
        noisy = np.clip(noisy, 0.0, 1.0)
    return noisy.astype(image.dtype, copy=False)


def _as_unit(image: np.ndarray) -> np.ndarray:
    return image.astype(np.float32) / 255.0 if image.dtype == np.uint8 else image


def add_gaussian_noise(image, sigma: float, seed: Seed = None, clip: bool = True) -> np.ndarray:
    """Add zero-mean Gaussian noise with standard deviation ``sigma``.

    Args:
        image: (H, W), (H, W, C) or (N, H, W, C); float in [0, 1] or uint8. Noise is drawn
            per value, so any of these layouts works.
        sigma: standard deviation in units of the full range, in [0, 1]: ``0.1`` is 0.1 on a
            [0, 1] image and 25.5 grey levels on a uint8 image (``N / 255`` for N levels).
        seed: int or ``np.random.Generator`` for repeatable noise.
        clip: clip float results back to [0, 1] (uint8 is always clipped).

    Returns:
        The noisy image, same shape and dtype as ``image``.
    """
    image = check_image(image)
    sigma = _strength("sigma", sigma)
    clip = checks.boolean("clip", clip)
    noise = _rng(seed).standard_normal(image.shape, dtype=np.float32) * np.float32(sigma)
    return _finish(image, _as_unit(image) + noise, clip)


def add_uniform_noise(image, a: float, seed: Seed = None, clip: bool = True) -> np.ndarray:
    """Add noise drawn uniformly from ``[-a, a]`` (variance ``a^2 / 3``).

    Args:
        image: (H, W), (H, W, C) or (N, H, W, C); float in [0, 1] or uint8.
        a: half-width in units of the full range, in [0, 1] (``N / 255`` for N grey levels).
        seed: int or ``np.random.Generator``.
        clip: clip float results back to [0, 1] (uint8 is always clipped).

    Returns:
        The noisy image, same shape and dtype as ``image``.
    """
    image = check_image(image)
    a = _strength("a", a)
    clip = checks.boolean("clip", clip)
    noise = _rng(seed).uniform(-a, a, size=image.shape).astype(np.float32)
    return _finish(image, _as_unit(image) + noise, clip)


def add_salt_and_pepper(
    image, amount: float, seed: Seed = None, salt_fraction: float = 0.5
) -> np.ndarray:
    """Set a fraction ``amount`` of pixels to white (salt) or black (pepper).

    A pixel is a spatial position: all channels of a chosen pixel are set together, so
    colour images get white and black dots rather than coloured ones. Which axis holds the
    channels matters here, so the layouts are strict: a rank-3 array is one image (H, W, C)
    and a batch needs its channel axis, (N, H, W, C), also for grey images.

    Args:
        image: (H, W), (H, W, C) or (N, H, W, C) with C in {1, 3, 4}; float in [0, 1] or
            uint8. A batch of grey images (N, H, W) must be given as ``images[..., None]``.
        amount: fraction of pixels to corrupt, in [0, 1].
        seed: int or ``np.random.Generator``.
        salt_fraction: share of corrupted pixels that become white, in [0, 1].

    Returns:
        The corrupted image, same shape and dtype as ``image``.
    """
    image = check_image(image)
    if image.ndim >= 3 and image.shape[-1] not in _CHANNELS:
        raise ValueError(
            f"image must be (H, W), (H, W, C) or (N, H, W, C) with C in 1, 3 or 4 channels; got "
            f"shape {image.shape}: for a batch of grey images (N, H, W) add the channel axis "
            "with images[..., None]."
        )
    amount = _fraction("amount", amount)
    salt_fraction = _fraction("salt_fraction", salt_fraction)
    rng = _rng(seed)
    # (H, W) has no channel axis; (H, W, C) and (N, H, W, C) have it last.
    pixel_shape = image.shape if image.ndim == 2 else image.shape[:-1]
    hit = rng.random(pixel_shape) < amount
    salt = rng.random(pixel_shape) < salt_fraction
    if image.ndim > 2:
        hit, salt = hit[..., None], salt[..., None]
    white = 255 if image.dtype == np.uint8 else 1
    out = np.where(hit & salt, white, np.where(hit, 0, image))
    return out.astype(image.dtype, copy=False)


def _check_shape(shape) -> tuple[int, int]:
    if isinstance(shape, str | bytes) or not isinstance(shape, Sequence | np.ndarray):
        raise TypeError(f"shape must be a (height, width) pair of integers; got {shape!r}.")
    if len(shape) != 2:
        raise ValueError(
            f"shape must be (height, width) with positive sizes, got {tuple(shape)}: procedural "
            "noise is one grey image; stack several or map it to colour with apply_colormap."
        )
    height, width = (checks.integer("shape", s) for s in shape)
    if min(height, width) < 1:
        raise ValueError(
            f"shape must be (height, width) with positive sizes, got {(height, width)}."
        )
    if height * width > _MAX_PIXELS:
        raise ValueError(
            f"shape {(height, width)} is {height * width:,} pixels, more than this helper makes "
            f"(8192x8192): ask for a smaller image."
        )
    return height, width


def white_noise(shape, seed: Seed = None, distribution: str = "uniform") -> np.ndarray:
    """Independent random pixels: float32 (H, W) in [0, 1).

    Args:
        shape: (height, width).
        seed: int or ``np.random.Generator``.
        distribution: ``"uniform"`` on [0, 1), or ``"gaussian"`` (mean 0.5, std 1/6, clipped).
    """
    height, width = _check_shape(shape)
    checks.one_of("distribution", distribution, ("uniform", "gaussian"))
    rng = _rng(seed)
    if distribution == "uniform":
        return rng.random((height, width), dtype=np.float32)
    x = 0.5 + rng.standard_normal((height, width), dtype=np.float32) / 6
    return np.clip(x, 0.0, 1.0)


def _fade(t: np.ndarray) -> np.ndarray:
    """Perlin's quintic 6t^5 - 15t^4 + 10t^3: zero first and second derivative at 0 and 1."""
    return t * t * t * (t * (t * 6 - 15) + 10)


def _lattice_axis(size: int, cells: float, tileable: bool):
    """Per-pixel cell index, next index and fractional position along one axis."""
    t = np.arange(size, dtype=np.float64) * (cells / size)
    index = np.floor(t).astype(np.intp)
    frac = (t - index).astype(np.float32)
    n_points = int(cells) if tileable else int(np.floor(cells)) + 2
    following = (index + 1) % n_points if tileable else index + 1
    return index, following, frac, n_points


def _check_cells_tuple(cells) -> tuple[float, float]:
    if isinstance(cells, str | bytes) or not (np.isscalar(cells) or isinstance(cells, Sequence)):
        raise TypeError(f"cells must be a number or a (rows, cols) pair; got {cells!r}.")
    if np.isscalar(cells):
        return (cells, cells)
    cells = tuple(cells)
    if len(cells) != 2:
        raise ValueError(f"cells must be a number or a (rows, cols) pair, got {cells!r}.")
    return cells


def _check_cells(cells, tileable, whole: bool = True) -> tuple[float, float]:
    """``cells`` of a public noise function as a (rows, cols) pair, checked.

    Tileable noise needs whole cells when ``whole`` (fBm rounds each octave's instead).
    """
    tileable = checks.boolean("tileable", tileable)
    pair = tuple(checks.number("cells", c) for c in _check_cells_tuple(cells))
    for c in pair:
        if c <= 0:
            raise ValueError(f"cells must be a positive number of lattice cells, got {c:g}.")
        if c > _MAX_CELLS:
            raise ValueError(
                f"cells must be at most {_MAX_CELLS} (the lattice would not fit in memory), "
                f"got {c:g}: a cell narrower than a pixel is white noise anyway."
            )
        if tileable and whole and not float(c).is_integer():
            raise ValueError(f"tileable noise needs a whole number of cells, got {c:g}.")
    return pair


def _blend(
    corner_terms, shape, cells, rows, cols, force_gather: bool = False, into=None, weight=1.0
) -> np.ndarray:
    """Sum of separable terms ``coef[cell] * u(y) * v(x)`` over the image, times ``weight``.

    ``corner_terms`` is a list of ``(coef_fn, u, v)``: ``coef_fn(r_idx, c_idx)`` picks the
    per-cell coefficient from the lattice, ``u`` is (H,), ``v`` is (W,). When the image
    divides evenly into cells, every cell shares one pixel pattern and the whole sum is a
    single (cells, K) @ (K, pixels per cell) matrix product, several times faster than
    gathering per pixel; otherwise each coefficient is gathered per pixel. With ``into`` (an
    (H, W) float32 array) the result is added to it in place and it is returned, which saves
    fBm a temporary image per octave.
    """
    height, width = shape
    (iy, jy), (ix, jx) = rows, cols
    cy, cx = cells
    even = (
        not force_gather
        and float(cy) == int(cy)
        and float(cx) == int(cx)
        and height % int(cy) == 0
        and width % int(cx) == 0
    )
    out = np.zeros((height, width), np.float32) if into is None else into
    weight = np.float32(weight)
    if not even:
        for coef_fn, u, v in corner_terms:
            out += coef_fn(iy, jy, ix, jx) * (weight * u[:, None]) * v[None, :]  # (H, W)
        return out
    ncy, ncx = int(cy), int(cx)
    py, px = height // ncy, width // ncx
    r0, r1 = iy[::py], jy[::py]  # lattice rows of each cell row, (ncy,)
    c0, c1 = ix[::px], jx[::px]
    coefs = np.stack([fn(r0, r1, c0, c1).reshape(-1) for fn, _, _ in corner_terms], axis=1)
    pattern = np.stack(
        [(weight * u[:py, None] * v[None, :px]).reshape(-1) for _, u, v in corner_terms]
    )  # (K, py*px): every cell sees the same offsets
    blocks = (coefs @ pattern).reshape(ncy, ncx, py, px)
    # Add through a strided view of the image, laid out as (cell row, y, cell col, x).
    out.reshape(ncy, py, ncx, px)[...] += blocks.transpose(0, 2, 1, 3)
    return out


def _pick(table: np.ndarray, use_next_row: bool, use_next_col: bool):
    def coef(iy, jy, ix, jx):
        return table[jy if use_next_row else iy][:, jx if use_next_col else ix]

    return coef


def value_noise(shape, cells=8, seed: Seed = None, tileable: bool = False) -> np.ndarray:
    """Random values on a lattice, smoothly interpolated: float32 (H, W) in [0, 1].

    Args:
        shape: (height, width) in pixels.
        cells: lattice cells across the image (a number, or a (rows, cols) pair), in
            (0, 4096].
        seed: int or ``np.random.Generator``.
        tileable: wrap the lattice so the image repeats seamlessly (needs whole ``cells``).
    """
    _check_shape(shape)
    return _value_noise(shape, _check_cells(cells, tileable), _rng(seed), tileable)


def _value_noise(shape, cells, seed, tileable, force_gather=False, into=None, weight=1.0):
    height, width = _check_shape(shape)
    cy, cx = _check_cells_tuple(cells)
    iy, jy, fy, ny = _lattice_axis(height, cy, tileable)
    ix, jx, fx, nx = _lattice_axis(width, cx, tileable)
    values = _rng(seed).random((ny, nx), dtype=np.float32)
    sy, sx = _fade(fy), _fade(fx)
    terms = [
        (_pick(values, False, False), 1 - sy, 1 - sx),
        (_pick(values, False, True), 1 - sy, sx),
        (_pick(values, True, False), sy, 1 - sx),
        (_pick(values, True, True), sy, sx),
    ]
    return _blend(terms, (height, width), (cy, cx), (iy, jy), (ix, jx), force_gather, into, weight)


def perlin_noise(shape, cells=8, seed: Seed = None, tileable: bool = False) -> np.ndarray:
    """Perlin gradient noise (Perlin 1985, 2002): float32 (H, W), roughly in [-0.7, 0.7].

    A random unit gradient sits on each lattice point; each pixel blends the dot products
    of the four surrounding gradients with its offsets, using the quintic fade. The value
    is exactly 0 on lattice points.

    Args:
        shape: (height, width) in pixels.
        cells: lattice cells across the image (a number, or a (rows, cols) pair), in
            (0, 4096]; larger means finer detail.
        seed: int or ``np.random.Generator``.
        tileable: wrap the lattice so the image repeats seamlessly (needs whole ``cells``).
    """
    _check_shape(shape)
    return _perlin_noise(shape, _check_cells(cells, tileable), _rng(seed), tileable)


def _perlin_noise(shape, cells, seed, tileable, force_gather=False, into=None, weight=1.0):
    height, width = _check_shape(shape)
    cy, cx = _check_cells_tuple(cells)
    iy, jy, fy, ny = _lattice_axis(height, cy, tileable)
    ix, jx, fx, nx = _lattice_axis(width, cx, tileable)
    angles = _rng(seed).random((ny, nx), dtype=np.float32) * np.float32(2 * np.pi)
    gy, gx = np.sin(angles), np.cos(angles)
    a, b = 1 - _fade(fy), _fade(fy)  # weights of the top and bottom lattice rows
    p, q = 1 - _fade(fx), _fade(fx)  # weights of the left and right lattice columns
    # Corner (r, c) contributes weight * (gy * dy + gx * dx), with dy = fy - r, dx = fx - c:
    # eight separable terms in all, two per corner.
    terms = [
        (_pick(gy, False, False), a * fy, p),
        (_pick(gx, False, False), a, p * fx),
        (_pick(gy, False, True), a * fy, q),
        (_pick(gx, False, True), a, q * (fx - 1)),
        (_pick(gy, True, False), b * (fy - 1), p),
        (_pick(gx, True, False), b, p * fx),
        (_pick(gy, True, True), b * (fy - 1), q),
        (_pick(gx, True, True), b, q * (fx - 1)),
    ]
    return _blend(terms, (height, width), (cy, cx), (iy, jy), (ix, jx), force_gather, into, weight)


def fbm(
    shape,
    cells=4,
    octaves: int = 6,
    persistence: float = 0.5,
    lacunarity: float = 2.0,
    seed: Seed = None,
    tileable: bool = False,
    base: str = "perlin",
) -> np.ndarray:
    """Fractal Brownian motion: a sum of noise octaves at rising frequency, falling amplitude.

    Octave ``k`` has ``cells * lacunarity**k`` lattice cells and amplitude
    ``persistence**k``; the sum is divided by the total amplitude, so one octave returns the
    base noise unchanged. All octaves draw from one generator seeded by ``seed``.

    Args:
        shape: (height, width) in pixels.
        cells: lattice cells of the first (coarsest) octave (a number or a (rows, cols) pair).
        octaves: number of octaves (>= 1); the finest has ``cells * lacunarity**(octaves - 1)``
            cells, at most 4096.
        persistence: amplitude ratio between octaves, in (0, 1] for the usual look.
        lacunarity: frequency ratio between octaves (> 0; 2 doubles the detail each time).
        seed: int or ``np.random.Generator``.
        tileable: tileable octaves (frequencies are rounded to whole cells).
        base: ``"perlin"`` or ``"value"`` noise for each octave.

    Returns:
        float32 (H, W); in about [-0.7, 0.7] for Perlin, [0, 1] for value noise.
    """
    shape = _check_shape(shape)
    cy, cx = _check_cells(cells, tileable, whole=False)
    octaves = checks.positive_int("octaves", octaves)
    persistence = checks.positive("persistence", persistence)
    lacunarity = checks.positive("lacunarity", lacunarity)
    makers = {"perlin": _perlin_noise, "value": _value_noise}
    checks.one_of("base", base, makers)
    finest = max(cy, cx) * lacunarity ** (octaves - 1)
    if finest > _MAX_CELLS:
        raise ValueError(
            f"octaves={octaves} with lacunarity={lacunarity:g} gives a finest octave of "
            f"{finest:.3g} cells (cells * lacunarity**(octaves - 1)), more than {_MAX_CELLS}: "
            "use fewer octaves or a smaller lacunarity (detail finer than a pixel is invisible)."
        )
    rng = _rng(seed)
    total = np.zeros(shape, dtype=np.float32)
    norm = 0.0
    for k in range(octaves):
        scale = lacunarity**k
        octave_cells = (cy * scale, cx * scale)
        if tileable:
            octave_cells = tuple(max(1, round(c)) for c in octave_cells)
        amplitude = persistence**k
        makers[base](shape, octave_cells, rng, tileable, into=total, weight=amplitude)
        norm += amplitude
    return total / np.float32(norm)
