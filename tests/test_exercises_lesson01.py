"""Lesson 01's exercise checks accept the solution and reject the wrong answers learners write."""

import numpy as np
import pytest
from notebook_cells import solution_namespace

from imgen_helpers import noise
from imgen_helpers.exercises import lesson01 as ex


def _fade(f):
    return f**3 * (f * (f * 6 - 15) + 10)


def _value_noise(blend):
    def fn(n, cells, rng):
        lattice = rng.random(cells + 1)
        t = np.arange(n) * cells / n
        i = np.floor(t).astype(int)
        f = t - i
        return lattice[i] + blend(f) * (lattice[i + 1] - lattice[i])

    return fn


def _marble(tileable=True, end=2 * np.pi, amount=20.0):
    def fn():
        x = np.linspace(0, end, 256, endpoint=False)[None, :]
        fbm = noise.fbm((256, 256), cells=4, octaves=5, seed=0, tileable=tileable)
        return np.sin(10 * x + amount * fbm)

    return fn


def test_the_solutions_pass(capsys):
    assert ex.check_half_width(lambda s: s * np.sqrt(3))
    assert ex.check_psnr_of_offset(lambda c: 20 * np.log10(1 / c))
    assert ex.check_value_noise(_value_noise(_fade))
    assert ex.check_tiles(_marble())
    assert capsys.readouterr().out.count("correct!") == 4


def test_the_notebooks_own_solutions_pass():
    found = solution_namespace("01_noise_images", {"noise": noise})
    assert ex.check_half_width(found["my_half_width"])
    assert ex.check_psnr_of_offset(found["my_psnr_of_offset"])
    assert ex.check_value_noise(found["my_value_noise_1d"])
    assert ex.check_tiles(found["my_marble"])


@pytest.mark.parametrize(
    "wrong, says",
    [
        (lambda s: 0.0866, "same number for every sigma"),  # worked out for sigma = 0.05 only
        (lambda s: s, "a / sqrt(3), not a"),
        (lambda s: s * np.sqrt(12), "full width"),
        (lambda s: s / np.sqrt(3), "upside down"),
        (lambda s: s * 3, "variance of U(-a, a)"),
        (lambda s: None, "forget `return`"),
    ],
)
def test_wrong_half_widths_are_rejected_with_the_reason(wrong, says, capsys):
    assert not ex.check_half_width(wrong)
    assert says in capsys.readouterr().out


@pytest.mark.parametrize(
    "wrong, says",
    [
        (lambda c: 20.0, "same number for every offset"),
        (lambda c: 10 * np.log10(c**2), "negative"),
        (lambda c: 20 * np.log10(1 / c**2), "twice too big"),
        (lambda c: 10 * np.log10(1 / c), "half too small"),
        (lambda c: 10 * np.log(1 / c**2), "natural logarithm"),
    ],
)
def test_wrong_psnrs_are_rejected_with_the_reason(wrong, says, capsys):
    assert not ex.check_psnr_of_offset(wrong)
    assert says in capsys.readouterr().out


@pytest.mark.parametrize(
    "wrong, says",
    [
        (_value_noise(lambda f: 0 * f), "staircase"),  # no blending
        (_value_noise(lambda f: f), "straight line"),  # linear blend
        (_value_noise(lambda f: f * f * (3 - 2 * f)), "fade curve"),  # the cubic smoothstep
        (_value_noise(lambda f: (1 - np.cos(np.pi * f)) / 2), "fade curve"),  # cosine blend
        (lambda n, cells, rng: np.linspace(0, 1, n), "lattice points"),  # positions, not noise
        (lambda n, cells, rng: rng.random(cells + 1), "64 values"),  # the lattice only
        (lambda n, cells, rng: 1 / 0, "ZeroDivisionError"),
    ],
)
def test_wrong_value_noise_is_rejected_with_the_reason(wrong, says, capsys):
    assert not ex.check_value_noise(wrong)
    assert says in capsys.readouterr().out


@pytest.mark.parametrize(
    "wrong, says",
    [
        (lambda: np.zeros((256, 256)), "swing from -1 to 1"),  # a flat array
        (lambda: np.random.default_rng(0).uniform(-1, 1, (256, 256)), "white noise"),
        (_marble(tileable=False), "edges do not meet"),
        (_marble(end=1.0), "edges do not meet"),  # x over [0, 1): the stripes do not wrap
        (lambda: np.zeros((128, 128)), "(256, 256)"),
        (
            lambda: np.tile(np.sin(10 * np.linspace(0, 2 * np.pi, 256, endpoint=False)), (256, 1)),
            "straight",
        ),  # stripes without the fBm
        (_marble(amount=1.0), "straight"),  # fBm too weak to bend the stripes
    ],
)
def test_wrong_marble_is_rejected_with_the_reason(wrong, says, capsys):
    assert not ex.check_tiles(wrong)
    assert says in capsys.readouterr().out
