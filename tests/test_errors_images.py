"""Bad inputs for imgen_helpers.images: each must get a clear error naming the argument.

The silent ones of issue 16 are here: uint8 data converted as if it were [-1, 1], values outside
the stated range clipped away, NaN passed through, a path string reported as "shape ()".
"""

import numpy as np
from bad_inputs import Bad, parametrize

from imgen_helpers import images

IMAGE = np.full((8, 8), 0.5, np.float32)
UINT8 = np.full((8, 8), 128, np.uint8)
NAN = np.full((8, 8), np.nan, np.float32)

CASES = {
    "imgen_helpers.images.sharpness": [
        Bad("type", lambda: images.sharpness("photo.png"), TypeError, "images"),
        Bad("rank", lambda: images.sharpness(np.zeros((5, 5))), ValueError, "images"),
        Bad("value", lambda: images.sharpness(np.zeros((2, 2, 2))), ValueError, "images"),
        Bad("finite", lambda: images.sharpness(np.full((2, 5, 5), np.nan)), ValueError, "images"),
    ],
    "imgen_helpers.images.check_image": [
        Bad("type", lambda: images.check_image("cat.png"), TypeError, "image"),
        Bad("type", lambda: images.check_image(np.zeros((8, 8), np.int32)), TypeError, "image"),
        Bad("type", lambda: images.check_image(IMAGE, name=3), TypeError, "name"),
        Bad("rank", lambda: images.check_image(np.zeros(8, np.float32)), ValueError, "image"),
        Bad("rank", lambda: images.check_image(IMAGE, min_rank=4), ValueError, "image"),
        Bad("range", lambda: images.check_image(IMAGE * 255), ValueError, "image"),
        Bad("range", lambda: images.check_image(IMAGE - 1, "photo"), ValueError, "photo"),
        Bad("finite", lambda: images.check_image(NAN), ValueError, "image"),
        Bad("value", lambda: images.check_image(IMAGE, min_rank=5), ValueError, "min_rank"),
        Bad("count", lambda: images.check_image(np.zeros((0, 8), np.float32)), ValueError, "image"),
    ],
    "imgen_helpers.images.to_unit_range": [
        # uint8 with the default source="symmetric" used to turn every grey but black into white.
        Bad("range", lambda: images.to_unit_range(UINT8), ValueError, "source='uint8'"),
        Bad("range", lambda: images.to_unit_range(IMAGE * 255), ValueError, "image"),
        Bad("range", lambda: images.to_unit_range(IMAGE * 3, "unit"), ValueError, "image"),
        Bad("range", lambda: images.to_unit_range(IMAGE - 1, "uint8"), ValueError, "image"),
        Bad("value", lambda: images.to_unit_range(IMAGE, "uint8"), ValueError, "source='unit'"),
        Bad("type", lambda: images.to_unit_range("cat.png"), TypeError, "image"),
        Bad("finite", lambda: images.to_unit_range(NAN), ValueError, "image"),
        Bad("name", lambda: images.to_unit_range(IMAGE, "tanh"), ValueError, "source"),
        Bad("count", lambda: images.to_unit_range(np.zeros(0, np.float32)), ValueError, "image"),
    ],
    "imgen_helpers.images.to_symmetric_range": [
        Bad("type", lambda: images.to_symmetric_range("cat.png"), TypeError, "image"),
        Bad("rank", lambda: images.to_symmetric_range(np.zeros(8)), ValueError, "image"),
        Bad("range", lambda: images.to_symmetric_range(IMAGE - 1), ValueError, "image"),
        Bad("finite", lambda: images.to_symmetric_range(NAN), ValueError, "image"),
    ],
    "imgen_helpers.images.guess_range": [
        Bad("type", lambda: images.guess_range("cat.png"), TypeError, "image"),
        Bad("type", lambda: images.guess_range(None), TypeError, "image"),
        Bad("finite", lambda: images.guess_range(NAN), ValueError, "image"),
        # A little above 1 is unclipped noise, not a nearly black 8-bit image.
        Bad("range", lambda: images.guess_range(IMAGE * 2.1), ValueError, "image"),
        Bad("range", lambda: images.guess_range(IMAGE * 1000), ValueError, "image"),
        Bad("count", lambda: images.guess_range(np.zeros(0, np.float32)), ValueError, "image"),
    ],
    "imgen_helpers.images.psnr": [
        Bad("type", lambda: images.psnr("clean.png", IMAGE), TypeError, "reference"),
        Bad("type", lambda: images.psnr(IMAGE, UINT8), TypeError, "distorted"),
        Bad("rank", lambda: images.psnr(np.zeros(8), np.zeros(8)), ValueError, "reference"),
        Bad("range", lambda: images.psnr(IMAGE, IMAGE * 255), ValueError, "distorted"),
        Bad("finite", lambda: images.psnr(IMAGE, NAN), ValueError, "distorted"),
        Bad("compat", lambda: images.psnr(IMAGE, np.zeros((8, 9))), ValueError, "distorted"),
    ],
    "imgen_helpers.images.ssim": [
        Bad("type", lambda: images.ssim(IMAGE, "noisy.png"), TypeError, "distorted"),
        Bad("type", lambda: images.ssim(UINT8, IMAGE), TypeError, "reference"),
        Bad(
            "rank",
            lambda: images.ssim(IMAGE[None, ..., None], IMAGE[None, ..., None]),
            ValueError,
            "reference",
        ),
        Bad("range", lambda: images.ssim(IMAGE - 1, IMAGE), ValueError, "reference"),
        Bad("finite", lambda: images.ssim(NAN, IMAGE), ValueError, "reference"),
        Bad("compat", lambda: images.ssim(IMAGE, np.zeros((8, 9))), ValueError, "reference"),
        Bad("value", lambda: images.ssim(IMAGE[:4, :4], IMAGE[:4, :4]), ValueError, "reference"),
    ],
}

test_bad_inputs = parametrize(CASES)
