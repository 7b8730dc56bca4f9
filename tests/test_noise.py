import numpy as np
import pytest

from imgen_helpers import noise
from imgen_helpers.noise import _perlin_noise, _value_noise

GREY = np.full((256, 256), 0.5, np.float32)


def test_gaussian_noise_mean_and_std_before_clipping():
    noisy = noise.add_gaussian_noise(GREY, sigma=0.2, seed=0, clip=False)
    added = noisy - GREY
    assert abs(added.mean()) < 0.002
    assert added.std() == pytest.approx(0.2, rel=0.01)
    assert noisy.dtype == np.float32


def test_clipping_keeps_range_and_shrinks_spread():
    clipped = noise.add_gaussian_noise(GREY, sigma=0.5, seed=0)
    assert clipped.min() >= 0 and clipped.max() <= 1
    assert (clipped - GREY).std() < 0.45  # clipping removes the tails


def test_uniform_noise_bounds_and_variance():
    a = 0.3
    added = noise.add_uniform_noise(GREY, a=a, seed=1, clip=False) - GREY
    assert added.min() >= -a - 1e-6 and added.max() <= a + 1e-6
    assert added.var() == pytest.approx(a**2 / 3, rel=0.02)


@pytest.mark.parametrize("amount", [0.05, 0.2, 0.5])
def test_salt_and_pepper_corrupts_about_amount(amount):
    rgb = np.full((200, 200, 3), 0.5, np.float32)
    out = noise.add_salt_and_pepper(rgb, amount=amount, seed=2)
    changed = np.any(out != rgb, axis=-1)
    assert changed.mean() == pytest.approx(amount, abs=0.01)
    # whole pixels are set: every channel of a corrupted pixel is 0 or 1
    assert set(np.unique(out[changed])) <= {0.0, 1.0}


def test_uint8_images_keep_dtype_and_scale():
    img = np.full((128, 128, 3), 128, np.uint8)
    out = noise.add_gaussian_noise(img, sigma=0.1, seed=3)
    assert out.dtype == np.uint8
    assert (out.astype(float) - 128).std() == pytest.approx(25.5, rel=0.03)
    assert noise.add_salt_and_pepper(img, 0.1, seed=3).dtype == np.uint8
    assert noise.add_uniform_noise(img, 0.1, seed=3).dtype == np.uint8


def test_batches_and_float64_preserved():
    batch = np.full((4, 16, 16, 1), 0.5)
    out = noise.add_gaussian_noise(batch, 0.1, seed=0)
    assert out.shape == batch.shape and out.dtype == np.float64


@pytest.mark.parametrize(
    "make",
    [
        lambda s: noise.add_gaussian_noise(GREY, 0.1, seed=s),
        lambda s: noise.add_uniform_noise(GREY, 0.1, seed=s),
        lambda s: noise.add_salt_and_pepper(GREY, 0.1, seed=s),
        lambda s: noise.white_noise((32, 32), seed=s),
        lambda s: noise.value_noise((32, 32), 4, seed=s),
        lambda s: noise.perlin_noise((32, 32), 4, seed=s),
        lambda s: noise.fbm((32, 32), 2, octaves=3, seed=s),
    ],
)
def test_same_seed_same_image_different_seed_different(make):
    np.testing.assert_array_equal(make(7), make(7))
    assert not np.array_equal(make(7), make(8))


def test_perlin_zero_on_lattice_points():
    p = noise.perlin_noise((64, 96), cells=(8, 6), seed=4)
    np.testing.assert_allclose(p[::8, ::16], 0.0, atol=1e-6)
    assert np.abs(p).max() > 0.2  # and not zero everywhere


def test_perlin_is_continuous():
    p = noise.perlin_noise((256, 256), cells=8, seed=5)
    step = max(np.abs(np.diff(p, axis=0)).max(), np.abs(np.diff(p, axis=1)).max())
    # The gradient of Perlin noise is bounded (about 2 per cell width): a pixel is 1/32 cell.
    assert step < 2.0 / 32
    assert (
        np.abs(
            noise.white_noise((256, 256), seed=5)[:, 1:]
            - noise.white_noise((256, 256), seed=5)[:, :-1]
        ).max()
        > 0.5
    )


@pytest.mark.parametrize("maker", [noise.perlin_noise, noise.value_noise])
def test_tileable_wraps_seamlessly(maker):
    size = 128
    tiled = maker((size, size), cells=8, seed=6, tileable=True)
    plain = maker((size, size), cells=8, seed=6, tileable=False)

    def seam(x):  # jump across the wrap-around edge, in both directions
        return max(np.abs(x[:, -1] - x[:, 0]).max(), np.abs(x[-1, :] - x[0, :]).max())

    interior = max(np.abs(np.diff(tiled, axis=1)).max(), np.abs(np.diff(tiled, axis=0)).max())
    assert seam(tiled) <= interior + 1e-6
    assert seam(plain) > 2 * interior  # without wrapping the edges do not match


def test_fbm_one_octave_is_base_noise():
    np.testing.assert_array_equal(
        noise.fbm((64, 64), cells=4, octaves=1, seed=9), noise.perlin_noise((64, 64), 4, seed=9)
    )
    np.testing.assert_array_equal(
        noise.fbm((64, 64), cells=4, octaves=1, seed=9, base="value"),
        noise.value_noise((64, 64), 4, seed=9),
    )


def test_fbm_octaves_add_fine_detail():
    coarse = noise.fbm((128, 128), cells=4, octaves=1, seed=1)
    fine = noise.fbm((128, 128), cells=4, octaves=5, seed=1)
    roughness = lambda x: np.abs(np.diff(x, axis=1)).mean() / x.std()  # noqa: E731
    assert roughness(fine) > 1.5 * roughness(coarse)  # measured ~1.9 for 5 octaves


@pytest.mark.parametrize(
    ("shape", "cells", "tileable"),
    [
        ((64, 96), (8, 6), False),
        ((64, 96), (8, 6), True),
        ((50, 70), (3.5, 4.2), False),
        ((33, 33), 5, False),
        ((33, 33), 5, True),
    ],
)
def test_fast_path_matches_per_pixel_gather(shape, cells, tileable):
    for fn in (_perlin_noise, _value_noise):
        np.testing.assert_allclose(
            fn(shape, cells, 11, tileable), fn(shape, cells, 11, tileable, True), atol=1e-6
        )


def test_value_noise_range():
    v = noise.value_noise((64, 64), 8, seed=0)
    assert v.min() >= 0 and v.max() <= 1 and v.std() > 0.05


def test_gaussian_density_integrates_to_one():
    x = np.linspace(-5, 5, 10001)
    assert np.trapezoid(noise.gaussian_density(x, 0.7), x) == pytest.approx(1.0, abs=1e-6)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: noise.add_gaussian_noise(GREY, -0.1), "sigma must be >= 0"),
        (lambda: noise.add_uniform_noise(GREY, -1), "a must be >= 0"),
        (lambda: noise.add_salt_and_pepper(GREY, 1.5), r"amount must be a fraction in \[0, 1\]"),
        (lambda: noise.add_salt_and_pepper(GREY, 0.1, salt_fraction=-0.1), "salt_fraction"),
        (lambda: noise.add_gaussian_noise(np.zeros(5), 0.1), "shape"),
        (lambda: noise.add_gaussian_noise(np.zeros((2, 2, 2, 2, 2)), 0.1), "shape"),
        (lambda: noise.add_gaussian_noise(GREY * 255, 0.1), "divide by 255"),
        (
            lambda: noise.add_gaussian_noise(GREY, 0.1, seed=-3),
            "seed must be (at least 0|non-negative)",
        ),
        (lambda: noise.white_noise((0, 5)), "positive sizes"),
        (lambda: noise.white_noise((5, 5), distribution="pink"), "distribution"),
        (lambda: noise.value_noise((8, 8), cells=0), "positive number of lattice cells"),
        (lambda: noise.perlin_noise((8, 8, 3), 2), r"\(height, width\)"),
        (lambda: noise.perlin_noise((8, 8), 2.5, tileable=True), "whole number of cells"),
        (lambda: noise.fbm((8, 8), octaves=0), "octaves"),
        (lambda: noise.fbm((8, 8), persistence=0), "persistence"),
        (lambda: noise.fbm((8, 8), lacunarity=-2), "lacunarity"),
        (lambda: noise.fbm((8, 8), base="simplex"), "base"),
        (lambda: noise.gaussian_density(0.0, 0), "sigma must be > 0"),
    ],
)
def test_bad_inputs_raise_helpful_errors(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()
