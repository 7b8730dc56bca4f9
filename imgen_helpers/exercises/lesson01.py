"""Checks for the exercises of ``01_noise_images``: uniform noise, PSNR, value noise, a tile."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .grading import Wrong, call, numbers, verdict


def check_half_width(fn: Callable, name: str = "Exercise 1") -> bool:
    """``fn(sigma)``: the half-width a of uniform noise U(-a, a) whose standard deviation is sigma.

    Called for several sigmas, so a number worked out for one sigma only is rejected, as are the
    usual slips: a = sigma (a uniform's std is not its half-width), sigma * sqrt(12) (the full
    width's formula) and sigma / sqrt(3) (the ratio upside down).
    """
    return verdict(name, _half_width_problems, fn)


def _half_width_problems(fn):
    sigmas = np.array([0.05, 0.1, 0.3])
    got = np.array([numbers(call(fn, s), f"my_half_width({s})", shape=()) for s in sigmas])
    if np.allclose(got, sigmas * np.sqrt(3), rtol=1e-3):
        return
    if np.allclose(got, got[0]):
        raise Wrong("you return the same number for every sigma: write a formula in sigma.")
    if np.allclose(got, sigmas):
        raise Wrong("U(-a, a) has standard deviation a / sqrt(3), not a: solve for a.")
    if np.allclose(got, sigmas * np.sqrt(12), rtol=1e-3):
        raise Wrong("sqrt(12) belongs to the full width 2a: the half-width is half of that.")
    if np.allclose(got, sigmas / np.sqrt(3), rtol=1e-3):
        raise Wrong("upside down: the std is a / sqrt(3), so a = sigma times sqrt(3).")
    raise Wrong(
        f"for sigma = 0.1 you give a = {got[1]:.4g}; the variance of U(-a, a) is a^2 / 3: "
        "set it equal to sigma^2 and solve for a."
    )


def check_psnr_of_offset(fn: Callable, name: str = "Exercise 2") -> bool:
    """``fn(c)``: the PSNR in dB of an image in [0, 1] after adding the constant c to every pixel.

    Rejects the usual slips: 20 log10(1 / c^2) (squaring twice), 10 log10(1 / c) (not squaring),
    the natural logarithm, and the answer without the minus sign of log10(c^2).
    """
    return verdict(name, _psnr_problems, fn)


def _psnr_problems(fn):
    offsets = np.array([0.1, 0.05, 0.2])
    got = np.array([numbers(call(fn, c), f"my_psnr_of_offset({c})", shape=()) for c in offsets])
    right = 10 * np.log10(1 / offsets**2)
    if np.allclose(got, right, rtol=1e-3):
        return
    if np.allclose(got, got[0]):
        raise Wrong("you return the same number for every offset: write a formula in c.")
    if np.allclose(got, -right, rtol=1e-3):
        raise Wrong("your PSNR is negative: it is 10 log10(peak^2 / MSE), the peak on top.")
    if np.allclose(got, 2 * right, rtol=1e-3):
        raise Wrong("twice too big: 10 log10(1 / c^2) or 20 log10(1 / c), not both squares.")
    if np.allclose(got, right / 2, rtol=1e-3):
        raise Wrong("half too small: the MSE of an offset c is c squared.")
    natural = np.log(1 / offsets**2)
    if np.allclose(got, 10 * natural, rtol=1e-3) or np.allclose(got, natural, rtol=1e-3):
        raise Wrong("decibels use log10 (and a factor 10), not the natural logarithm.")
    raise Wrong(
        f"for c = 0.1 you give {got[0]:.4g} dB: every pixel is off by c, so the MSE is c^2; "
        "PSNR = 10 log10(1 / MSE) for images in [0, 1]."
    )


def check_value_noise(fn: Callable, name: str = "Exercise 3") -> bool:
    """``fn(n, cells, rng)``: 1-D value noise with the quintic fade.

    Called with ``n=64, cells=4`` and ``rng = np.random.default_rng(0)``, it must equal the lattice
    values ``rng.random(cells + 1)`` at ``t = k * cells / n`` and, between lattice points, the blend
    ``lattice[i] + s * (lattice[i + 1] - lattice[i])`` with ``s = 6f^5 - 15f^4 + 10f^3``.
    """
    return verdict(name, _value_noise_problems, fn)


def _value_noise_problems(fn):
    result = numbers(call(fn, 64, 4, np.random.default_rng(0)), "my_value_noise_1d(64, 4, rng)")
    if result.shape != (64,):
        raise Wrong(f"expected 64 values (one per position), got shape {result.shape}.")
    lattice = np.random.default_rng(0).random(5)  # the values the function drew
    t = np.arange(64) * 4 / 64  # position k at t = k * cells / n, in lattice cells
    i = t.astype(int)
    f = t - i
    lo, hi = lattice[i], lattice[i + 1]  # the two lattice values around each position
    fade = f**3 * (f * (f * 6 - 15) + 10)
    if not np.allclose(result[::16], lattice[:4], atol=1e-6):
        raise Wrong(
            "at lattice points (every 16th of the 64 positions) the noise must equal the lattice "
            "values: draw them with rng.random(cells + 1), and put position k at "
            "t = k * cells / n."
        )
    if np.allclose(result, lo, atol=1e-6):
        raise Wrong(
            "your noise is constant between lattice points, a staircase: blend lattice[i] and "
            "lattice[i + 1]."
        )
    if np.any(result < np.minimum(lo, hi) - 1e-6) or np.any(result > np.maximum(lo, hi) + 1e-6):
        raise Wrong("between two lattice points the noise must stay between their two values.")
    if np.allclose(result, lo + f * (hi - lo), atol=1e-6):
        raise Wrong(
            "you blend in a straight line, so the slope jumps at every lattice point: pass the "
            "fraction f through the fade curve 6f^5 - 15f^4 + 10f^3 first."
        )
    if not np.allclose(result, lo + fade * (hi - lo), atol=1e-6):
        raise Wrong(
            "between lattice points your values are not lattice[i] + s * (lattice[i + 1] - "
            "lattice[i]) with s = 6f^5 - 15f^4 + 10f^3: check the fade curve."
        )


def check_tiles(fn: Callable, name: str = "Exercise 4") -> bool:
    """``fn()``: a tileable (256, 256) marble texture in [-1, 1].

    Rejects a flat array (no sine swing), white noise (neighbours as far apart as any two pixels),
    straight stripes (the fBm left out, or too weak to bend them) and a texture whose edges do not
    meet (a step across the seams more than twice one inside).
    """
    return verdict(name, _tile_problems, fn)


def _tile_problems(fn):
    texture = numbers(call(fn), "my_marble()")
    if texture.shape != (256, 256):
        raise Wrong(f"expected a (256, 256) array, got shape {texture.shape}.")
    inside = (np.abs(np.diff(texture, axis=0)).mean() + np.abs(np.diff(texture, axis=1)).mean()) / 2
    across = (
        np.abs(texture[-1] - texture[0]).mean() + np.abs(texture[:, -1] - texture[:, 0]).mean()
    ) / 2
    if texture.min() < -1 - 1e-6 or texture.max() > 1 + 1e-6 or np.ptp(texture) < 1.5:
        raise Wrong(
            f"marble is a sine: its values should swing from -1 to 1; yours run from "
            f"{texture.min():.2f} to {texture.max():.2f}."
        )
    if inside > 0.5 * texture.std():
        raise Wrong(
            "neighbouring pixels differ about as much as any two pixels: that is white noise, "
            "not a smooth texture; use noise.fbm."
        )
    if texture.std(axis=0).mean() < 0.3:
        raise Wrong(
            "your stripes are (almost) straight: going down a column the values hardly change. "
            "Marble bends them: put the fBm inside the sine, sin(10x + 20 fbm)."
        )
    if across > 2 * inside:
        raise Wrong(
            f"the edges do not meet: a step across the seams is {across / inside:.1f} times a "
            "typical step inside (at most 2 for a tile); use tileable=True, and x from 0 to 2 pi "
            "without the end point."
        )


__all__ = ["check_half_width", "check_psnr_of_offset", "check_tiles", "check_value_noise"]
