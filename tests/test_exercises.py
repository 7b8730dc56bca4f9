"""Each exercise check accepts the solution and rejects the wrong answers learners write."""

import numpy as np
import pytest

from imgen_helpers import exercises, noise


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


def _marble(tileable=True, end=2 * np.pi):
    x = np.linspace(0, end, 256, endpoint=False)[None, :]
    fbm = noise.fbm((256, 256), cells=4, octaves=5, seed=0, tileable=tileable)
    return np.sin(10 * x + 20 * fbm)


def test_the_solutions_pass(capsys):
    assert exercises.check_answer(0.05 * np.sqrt(3), 0.0866, "Exercise 1")
    assert exercises.check_value_noise(_value_noise(_fade))
    assert exercises.check_tiles(_marble())
    assert capsys.readouterr().out.count("correct!") == 3


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
    assert not exercises.check_value_noise(wrong)
    assert says in capsys.readouterr().out


@pytest.mark.parametrize(
    "wrong, says",
    [
        (np.zeros((256, 256)), "swing from -1 to 1"),  # a flat array
        (np.random.default_rng(0).uniform(-1, 1, (256, 256)), "white noise"),
        (_marble(tileable=False), "edges do not meet"),
        (_marble(end=1.0), "edges do not meet"),  # x over [0, 1): the stripes do not wrap
        (np.zeros((128, 128)), "(256, 256)"),
    ],
)
def test_wrong_marble_is_rejected_with_the_reason(wrong, says, capsys):
    assert not exercises.check_tiles(wrong)
    assert says in capsys.readouterr().out


def test_unanswered_and_wrong_numbers(capsys):
    assert not exercises.check_answer(None, 1.0, "Exercise 1")
    assert not exercises.check_answer(0.05, 0.0866, "Exercise 1")
    assert not exercises.check_answer("a", 0.0866, "Exercise 1")
    out = capsys.readouterr().out
    assert "not answered yet" in out and out.count("not quite") == 2
