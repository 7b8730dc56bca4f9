"""Noise: damaging images with it, and making images out of it.

Two families, both vectorised NumPy with an explicit ``seed=`` on every function:

* corruption models added to an image: Gaussian, uniform, salt-and-pepper;
* procedural images from math alone: white noise, value noise, Perlin gradient noise and
  fractal Brownian motion (fBm), optionally tileable.

Units: noise strengths (``sigma``, ``a``) are in units of the full intensity range, so
``sigma=0.1`` means 0.1 on a [0, 1] float image and 25.5 grey levels on a uint8 image.
The output keeps the input's dtype; uint8 results are rounded and always clipped.
Taught in ``01_noise_images.ipynb``.
"""

from __future__ import annotations

import numpy as np

from .images import check_image
from .runtime import Seed
from .runtime import as_rng as _rng


def _check_strength(value: float, name: str) -> float:
    if isinstance(value, bool) or not np.isscalar(value) or not np.isfinite(value):
        raise TypeError(f"{name} must be a finite number, got {value!r}.")
    if value < 0:
        raise ValueError(f"{name} must be >= 0 (it is a spread, not a shift); got {value}.")
    return float(value)


def gaussian_density(x, sigma: float) -> np.ndarray:
    """The N(0, sigma^2) density ``exp(-x^2 / (2 sigma^2)) / sqrt(2 pi sigma^2)``."""
    sigma = _check_strength(sigma, "sigma")
    if sigma == 0:
        raise ValueError("sigma must be > 0 for a density.")
    x = np.asarray(x, dtype=np.float64)
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
        image: (H, W), (H, W, C) or (N, H, W, C); float in [0, 1] or uint8.
        sigma: standard deviation in units of the full range (>= 0).
        seed: int or ``np.random.Generator`` for repeatable noise.
        clip: clip float results back to [0, 1] (uint8 is always clipped).

    Returns:
        The noisy image, same shape and dtype as ``image``.
    """
    image = check_image(image)
    sigma = _check_strength(sigma, "sigma")
    noise = _rng(seed).standard_normal(image.shape, dtype=np.float32) * np.float32(sigma)
    return _finish(image, _as_unit(image) + noise, clip)


def add_uniform_noise(image, a: float, seed: Seed = None, clip: bool = True) -> np.ndarray:
    """Add noise drawn uniformly from ``[-a, a]`` (variance ``a^2 / 3``).

    Args:
        image: (H, W), (H, W, C) or (N, H, W, C); float in [0, 1] or uint8.
        a: half-width in units of the full range (>= 0).
        seed: int or ``np.random.Generator``.
        clip: clip float results back to [0, 1] (uint8 is always clipped).

    Returns:
        The noisy image, same shape and dtype as ``image``.
    """
    image = check_image(image)
    a = _check_strength(a, "a")
    noise = _rng(seed).uniform(-a, a, size=image.shape).astype(np.float32)
    return _finish(image, _as_unit(image) + noise, clip)


def add_salt_and_pepper(
    image, amount: float, seed: Seed = None, salt_fraction: float = 0.5
) -> np.ndarray:
    """Set a fraction ``amount`` of pixels to white (salt) or black (pepper).

    A pixel is a spatial position: all channels of a chosen pixel are set together, so
    colour images get white and black dots rather than coloured ones.

    Args:
        image: (H, W), (H, W, C) or (N, H, W, C); float in [0, 1] or uint8.
        amount: fraction of pixels to corrupt, in [0, 1].
        seed: int or ``np.random.Generator``.
        salt_fraction: share of corrupted pixels that become white, in [0, 1].

    Returns:
        The corrupted image, same shape and dtype as ``image``.
    """
    image = check_image(image)
    for name, value in (("amount", amount), ("salt_fraction", salt_fraction)):
        if isinstance(value, bool) or not np.isscalar(value) or not 0 <= value <= 1:
            raise ValueError(f"{name} must be a fraction in [0, 1], got {value!r}.")
    rng = _rng(seed)
    # Grey (H, W) and batched grey (N, H, W) have no channel axis; every other rank does.
    pixel_shape = image.shape if image.ndim == 2 else image.shape[:-1]
    hit = rng.random(pixel_shape) < amount
    salt = rng.random(pixel_shape) < salt_fraction
    if image.ndim > 2:
        hit, salt = hit[..., None], salt[..., None]
    white = 255 if image.dtype == np.uint8 else 1
    out = np.where(hit & salt, white, np.where(hit, 0, image))
    return out.astype(image.dtype, copy=False)


def _check_shape(shape) -> tuple[int, int]:
    shape = tuple(int(s) for s in np.atleast_1d(shape))
    if len(shape) != 2 or min(shape) < 1:
        raise ValueError(f"shape must be (height, width) with positive sizes, got {shape}.")
    return shape


def white_noise(shape, seed: Seed = None, distribution: str = "uniform") -> np.ndarray:
    """Independent random pixels: float32 (H, W) in [0, 1).

    Args:
        shape: (height, width).
        seed: int or ``np.random.Generator``.
        distribution: ``"uniform"`` on [0, 1), or ``"gaussian"`` (mean 0.5, std 1/6, clipped).
    """
    height, width = _check_shape(shape)
    rng = _rng(seed)
    if distribution == "uniform":
        return rng.random((height, width), dtype=np.float32)
    if distribution == "gaussian":
        x = 0.5 + rng.standard_normal((height, width), dtype=np.float32) / 6
        return np.clip(x, 0.0, 1.0)
    raise ValueError(f"distribution must be 'uniform' or 'gaussian', got {distribution!r}.")


def _fade(t: np.ndarray) -> np.ndarray:
    """Perlin's quintic 6t^5 - 15t^4 + 10t^3: zero first and second derivative at 0 and 1."""
    return t * t * t * (t * (t * 6 - 15) + 10)


def _lattice_axis(size: int, cells: float, tileable: bool):
    """Per-pixel cell index, next index and fractional position along one axis."""
    if isinstance(cells, bool) or not np.isscalar(cells) or not cells > 0:
        raise ValueError(f"cells must be a positive number of lattice cells, got {cells!r}.")
    if tileable and float(cells) != int(cells):
        raise ValueError(f"tileable noise needs a whole number of cells, got {cells}.")
    t = np.arange(size, dtype=np.float64) * (cells / size)
    index = np.floor(t).astype(np.intp)
    frac = (t - index).astype(np.float32)
    n_points = int(cells) if tileable else int(np.floor(cells)) + 2
    following = (index + 1) % n_points if tileable else index + 1
    return index, following, frac, n_points


def _check_cells_tuple(cells) -> tuple[float, float]:
    if np.isscalar(cells):
        return (cells, cells)
    cells = tuple(cells)
    if len(cells) != 2:
        raise ValueError(f"cells must be a number or a (rows, cols) pair, got {cells!r}.")
    return cells


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
        cells: lattice cells across the image (a number, or a (rows, cols) pair).
        seed: int or ``np.random.Generator``.
        tileable: wrap the lattice so the image repeats seamlessly (needs whole ``cells``).
    """
    return _value_noise(shape, cells, seed, tileable)


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
        cells: lattice cells across the image (a number, or a (rows, cols) pair); larger
            means finer detail.
        seed: int or ``np.random.Generator``.
        tileable: wrap the lattice so the image repeats seamlessly (needs whole ``cells``).
    """
    return _perlin_noise(shape, cells, seed, tileable)


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
        cells: lattice cells of the first (coarsest) octave.
        octaves: number of octaves (>= 1).
        persistence: amplitude ratio between octaves, in (0, 1] for the usual look.
        lacunarity: frequency ratio between octaves (> 0; 2 doubles the detail each time).
        seed: int or ``np.random.Generator``.
        tileable: tileable octaves (frequencies are rounded to whole cells).
        base: ``"perlin"`` or ``"value"`` noise for each octave.

    Returns:
        float32 (H, W); in about [-0.7, 0.7] for Perlin, [0, 1] for value noise.
    """
    if isinstance(octaves, bool) or not isinstance(octaves, int | np.integer) or octaves < 1:
        raise ValueError(f"octaves must be an integer >= 1, got {octaves!r}.")
    if not np.isscalar(persistence) or persistence <= 0:
        raise ValueError(f"persistence must be > 0, got {persistence!r}.")
    if not np.isscalar(lacunarity) or lacunarity <= 0:
        raise ValueError(f"lacunarity must be > 0, got {lacunarity!r}.")
    makers = {"perlin": _perlin_noise, "value": _value_noise}
    if base not in makers:
        raise ValueError(f"base must be 'perlin' or 'value', got {base!r}.")
    cy, cx = _check_cells_tuple(cells)
    rng = _rng(seed)
    total = np.zeros(_check_shape(shape), dtype=np.float32)
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
