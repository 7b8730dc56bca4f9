"""Checks for the lessons' exercises: each says in a learner's words what is wrong.

A check takes the learner's answer (None while unanswered), prints one line ("correct!", "not
answered yet." or "not quite: <what is wrong>") and returns True only for a right answer. It never
raises on a wrong answer: whatever a learner writes gets a message. ``tests/test_exercises.py``
feeds each check the solution and the wrong answers learners really write.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def _report(name: str, problem: str | None) -> bool:
    print(f"{name}: {'correct!' if problem is None else 'not quite: ' + problem}")
    return problem is None


def check_answer(answer, expected, name: str, tol: float = 1e-3) -> bool:
    """A number (or array) the learner computed, against the expected one (``01_noise_images``)."""
    if answer is None:
        print(f"{name}: not answered yet.")
        return False
    try:
        ok = bool(np.allclose(np.asarray(answer, dtype=float), expected, rtol=tol, atol=tol))
    except (TypeError, ValueError):
        return _report(
            name, f"expected a number like {np.asarray(expected).ravel()[0]:.4g}, got {answer!r}."
        )
    return _report(name, None if ok else "try again (check the formula and the units).")


def check_value_noise(fn: Callable, name: str = "Exercise 3") -> bool:
    """``fn(n, cells, rng)``: 1-D value noise with the quintic fade (``01_noise_images``).

    Called with ``n=64, cells=4`` and ``rng = np.random.default_rng(0)``, it must equal the lattice
    values ``rng.random(cells + 1)`` at ``t = k * cells / n`` and, between lattice points, the blend
    ``lattice[i] + s * (lattice[i + 1] - lattice[i])`` with ``s = 6f^5 - 15f^4 + 10f^3``.
    """
    try:
        result = fn(64, 4, np.random.default_rng(0))
    except NotImplementedError:
        result = None
    except Exception as error:  # noqa: BLE001 - a learner's code may raise anything
        return _report(name, f"your function raised {type(error).__name__}: {error}")
    if result is None:
        print(f"{name}: not answered yet.")
        return False
    result = np.asarray(result, dtype=float)
    lattice = np.random.default_rng(0).random(5)  # the values the function drew
    t = np.arange(64) * 4 / 64  # position k at t = k * cells / n, in lattice cells
    i = t.astype(int)
    f = t - i
    lo, hi = lattice[i], lattice[i + 1]  # the two lattice values around each position
    fade = f**3 * (f * (f * 6 - 15) + 10)
    if result.shape != (64,):
        problem = f"expected 64 values (one per position), got shape {result.shape}."
    elif not np.allclose(result[::16], lattice[:4], atol=1e-6):
        problem = (
            "at lattice points (every 16th of the 64 positions) the noise must equal the lattice "
            "values: draw them with rng.random(cells + 1), and put position k at "
            "t = k * cells / n."
        )
    elif np.allclose(result, lo, atol=1e-6):
        problem = (
            "your noise is constant between lattice points, a staircase: blend lattice[i] and "
            "lattice[i + 1]."
        )
    elif np.any(result < np.minimum(lo, hi) - 1e-6) or np.any(result > np.maximum(lo, hi) + 1e-6):
        problem = "between two lattice points the noise must stay between their two values."
    elif np.allclose(result, lo + f * (hi - lo), atol=1e-6):
        problem = (
            "you blend in a straight line, so the slope jumps at every lattice point: pass the "
            "fraction f through the fade curve 6f^5 - 15f^4 + 10f^3 first."
        )
    elif not np.allclose(result, lo + fade * (hi - lo), atol=1e-6):
        problem = (
            "between lattice points your values are not lattice[i] + s * (lattice[i + 1] - "
            "lattice[i]) with s = 6f^5 - 15f^4 + 10f^3: check the fade curve."
        )
    else:
        problem = None
    return _report(name, problem)


def check_tiles(texture, name: str = "Exercise 4") -> bool:
    """A tileable (256, 256) marble texture in [-1, 1] (``01_noise_images``).

    Rejects a flat array (no sine swing), white noise (neighbours as far apart as any two pixels)
    and a texture whose edges do not meet (a step across the seams more than twice one inside).
    """
    if texture is None:
        print(f"{name}: not answered yet.")
        return False
    texture = np.asarray(texture, dtype=float)
    if texture.shape != (256, 256):
        return _report(name, f"expected a (256, 256) array, got shape {texture.shape}.")
    inside = (np.abs(np.diff(texture, axis=0)).mean() + np.abs(np.diff(texture, axis=1)).mean()) / 2
    across = (
        np.abs(texture[-1] - texture[0]).mean() + np.abs(texture[:, -1] - texture[:, 0]).mean()
    ) / 2
    if texture.min() < -1 - 1e-6 or texture.max() > 1 + 1e-6 or np.ptp(texture) < 1.5:
        problem = (
            f"marble is a sine: its values should swing from -1 to 1; yours run from "
            f"{texture.min():.2f} to {texture.max():.2f}."
        )
    elif inside > 0.5 * texture.std():
        problem = (
            "neighbouring pixels differ about as much as any two pixels: that is white noise, "
            "not a smooth texture; use noise.fbm."
        )
    elif across > 2 * inside:
        problem = (
            f"the edges do not meet: a step across the seams is {across / inside:.1f} times a "
            "typical step inside (at most 2 for a tile); use tileable=True, and x from 0 to 2 pi "
            "without the end point."
        )
    else:
        problem = None
    return _report(name, problem)


__all__ = ["check_answer", "check_tiles", "check_value_noise"]
