import numpy as np
import pytest

from imgen_helpers import images


def test_psnr_identical_is_infinite():
    x = np.random.default_rng(0).random((16, 16, 3), dtype=np.float32)
    assert images.psnr(x, x) == float("inf")


@pytest.mark.parametrize("offset", [0.01, 0.1, 0.25])
def test_psnr_constant_offset_matches_formula(offset):
    x = np.full((8, 8), 0.5, np.float32)
    expected = 10 * np.log10(1.0 / offset**2)
    assert images.psnr(x, x + offset) == pytest.approx(expected, rel=1e-5)


def test_psnr_uint8_uses_255_peak():
    x = np.full((8, 8), 100, np.uint8)
    assert images.psnr(x, x + 5) == pytest.approx(10 * np.log10(255.0**2 / 25.0))


def test_ssim_is_one_for_identical_and_drops_with_noise():
    rng = np.random.default_rng(1)
    x = rng.random((32, 32), dtype=np.float32)
    assert images.ssim(x, x) == pytest.approx(1.0)
    noisy = np.clip(x + rng.normal(0, 0.3, x.shape), 0, 1).astype(np.float32)
    assert images.ssim(x, noisy) < 0.8


def test_range_converters_round_trip():
    x = np.linspace(0, 1, 12, dtype=np.float32).reshape(3, 4)
    np.testing.assert_allclose(images.to_unit_range(images.to_symmetric_range(x)), x, atol=1e-6)
    assert images.guess_range(images.to_symmetric_range(x)) == "symmetric"
    assert images.guess_range((x * 255).astype(np.uint8)) == "uint8"
    np.testing.assert_allclose(images.to_unit_range(np.uint8([0, 255]), "uint8"), [0, 1])


def test_check_image_errors_teach():
    with pytest.raises(ValueError, match="to_unit_range"):
        images.check_image(np.array([[-1.0, 1.0]]))
    with pytest.raises(ValueError, match="divide by 255"):
        images.check_image(np.array([[0.0, 200.0]]))
    with pytest.raises(TypeError, match="uint8"):
        images.check_image(np.zeros((4, 4), np.int32))
    with pytest.raises(ValueError, match="shape"):
        images.check_image(np.zeros(4, np.float32))
    with pytest.raises(ValueError, match="differ in shape"):
        images.psnr(np.zeros((4, 4)), np.zeros((4, 5)))
