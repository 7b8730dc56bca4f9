"""Bad inputs for imgen_helpers.noise: each must get a clear error naming the argument.

The silent ones of issue 16 are here: ``sigma=25`` on a [0, 1] image (98% of pixels saturated),
a batch of grey images (N, H, W) whose width was taken for channels, NaN pixels, and sizes or
lattices too large to fit in memory.
"""

import numpy as np
from bad_inputs import Bad, parametrize

from imgen_helpers import noise

IMAGE = np.full((8, 8), 0.5, np.float32)
UINT8 = np.full((8, 8), 128, np.uint8)
NAN = np.full((8, 8), np.nan, np.float32)
GREY_BATCH = np.full((4, 8, 8), 0.5, np.float32)  # (N, H, W): no channel axis

CASES = {
    "imgen_helpers.noise.gaussian_density": [
        Bad("type", lambda: noise.gaussian_density("0.5", 0.1), TypeError, "x"),
        Bad("type", lambda: noise.gaussian_density(0.0, "0.1"), TypeError, "sigma"),
        Bad("range", lambda: noise.gaussian_density(0.0, 0), ValueError, "sigma"),
        Bad("range", lambda: noise.gaussian_density(0.0, -1), ValueError, "sigma"),
        Bad("finite", lambda: noise.gaussian_density(np.array([0.0, np.nan]), 1), ValueError, "x"),
        Bad("finite", lambda: noise.gaussian_density(0.0, np.inf), ValueError, "sigma"),
    ],
    "imgen_helpers.noise.add_gaussian_noise": [
        Bad("type", lambda: noise.add_gaussian_noise("cat.png", 0.1), TypeError, "image"),
        Bad("type", lambda: noise.add_gaussian_noise(IMAGE, "0.1"), TypeError, "sigma"),
        Bad("type", lambda: noise.add_gaussian_noise(IMAGE, 0.1, clip="no"), TypeError, "clip"),
        Bad("type", lambda: noise.add_gaussian_noise(IMAGE, 0.1, seed="1"), TypeError, "seed"),
        Bad("rank", lambda: noise.add_gaussian_noise(np.zeros(8), 0.1), ValueError, "image"),
        Bad("range", lambda: noise.add_gaussian_noise(IMAGE, 25), ValueError, "sigma"),
        Bad("range", lambda: noise.add_gaussian_noise(UINT8, 25), ValueError, "N/255"),
        Bad("range", lambda: noise.add_gaussian_noise(IMAGE, -0.1), ValueError, "sigma"),
        Bad("range", lambda: noise.add_gaussian_noise(IMAGE * 255, 0.1), ValueError, "image"),
        Bad("finite", lambda: noise.add_gaussian_noise(NAN, 0.1), ValueError, "image"),
        Bad("finite", lambda: noise.add_gaussian_noise(IMAGE, np.nan), ValueError, "sigma"),
        Bad("value", lambda: noise.add_gaussian_noise(IMAGE, 0.1, seed=-3), ValueError, "seed"),
    ],
    "imgen_helpers.noise.add_uniform_noise": [
        Bad("type", lambda: noise.add_uniform_noise(None, 0.1), TypeError, "image"),
        Bad("type", lambda: noise.add_uniform_noise(IMAGE, [0.1]), TypeError, "a"),
        Bad("type", lambda: noise.add_uniform_noise(IMAGE, 0.1, clip=1), TypeError, "clip"),
        Bad("rank", lambda: noise.add_uniform_noise(np.zeros((1,) * 5), 0.1), ValueError, "image"),
        Bad("range", lambda: noise.add_uniform_noise(IMAGE, 10), ValueError, "a"),
        Bad("range", lambda: noise.add_uniform_noise(IMAGE, -1), ValueError, "a"),
        Bad("range", lambda: noise.add_uniform_noise(IMAGE - 1, 0.1), ValueError, "image"),
        Bad("finite", lambda: noise.add_uniform_noise(NAN, 0.1), ValueError, "image"),
        Bad("finite", lambda: noise.add_uniform_noise(IMAGE, np.inf), ValueError, "a"),
    ],
    "imgen_helpers.noise.add_salt_and_pepper": [
        Bad("type", lambda: noise.add_salt_and_pepper("cat.png", 0.1), TypeError, "image"),
        Bad("type", lambda: noise.add_salt_and_pepper(IMAGE, "0.1"), TypeError, "amount"),
        Bad("type", lambda: noise.add_salt_and_pepper(IMAGE, True), TypeError, "amount"),
        Bad(
            "type",
            lambda: noise.add_salt_and_pepper(IMAGE, 0.1, salt_fraction=None),
            TypeError,
            "salt_fraction",
        ),
        # A batch of grey images (N, H, W) used to have its width taken for channels.
        Bad("rank", lambda: noise.add_salt_and_pepper(GREY_BATCH, 0.1), ValueError, "[..., None]"),
        Bad("rank", lambda: noise.add_salt_and_pepper(np.zeros(8), 0.1), ValueError, "image"),
        Bad("range", lambda: noise.add_salt_and_pepper(IMAGE, 1.5), ValueError, "amount"),
        Bad(
            "range",
            lambda: noise.add_salt_and_pepper(IMAGE, 0.1, salt_fraction=-0.1),
            ValueError,
            "salt_fraction",
        ),
        Bad("range", lambda: noise.add_salt_and_pepper(IMAGE * 255, 0.1), ValueError, "image"),
        Bad("finite", lambda: noise.add_salt_and_pepper(NAN, 0.1), ValueError, "image"),
        Bad("finite", lambda: noise.add_salt_and_pepper(IMAGE, np.nan), ValueError, "amount"),
    ],
    "imgen_helpers.noise.white_noise": [
        Bad("type", lambda: noise.white_noise("64x64"), TypeError, "shape"),
        Bad("type", lambda: noise.white_noise(64), TypeError, "shape"),
        Bad("type", lambda: noise.white_noise(("8", 8)), TypeError, "shape"),
        Bad("rank", lambda: noise.white_noise((8, 8, 3)), ValueError, "shape"),
        Bad("count", lambda: noise.white_noise((0, 5)), ValueError, "shape"),
        Bad("count", lambda: noise.white_noise((-8, 8)), ValueError, "shape"),
        Bad("range", lambda: noise.white_noise((100_000, 100_000)), ValueError, "shape"),
        Bad(
            "name",
            lambda: noise.white_noise((8, 8), distribution="pink"),
            ValueError,
            "distribution",
        ),
        Bad("value", lambda: noise.white_noise((8, 8), seed=-1), ValueError, "seed"),
    ],
    "imgen_helpers.noise.value_noise": [
        Bad("type", lambda: noise.value_noise("8x8"), TypeError, "shape"),
        Bad("type", lambda: noise.value_noise((8, 8), cells="4"), TypeError, "cells"),
        Bad("type", lambda: noise.value_noise((8, 8), tileable="yes"), TypeError, "tileable"),
        Bad("rank", lambda: noise.value_noise((8, 8), cells=(2, 2, 2)), ValueError, "cells"),
        Bad("count", lambda: noise.value_noise((8, 8), cells=0), ValueError, "cells"),
        Bad("count", lambda: noise.value_noise((0, 8)), ValueError, "shape"),
        Bad("range", lambda: noise.value_noise((8, 8), cells=1e6), ValueError, "cells"),
        Bad("finite", lambda: noise.value_noise((8, 8), cells=np.nan), ValueError, "cells"),
        Bad("value", lambda: noise.value_noise((8, 8), 2.5, tileable=True), ValueError, "cells"),
    ],
    "imgen_helpers.noise.perlin_noise": [
        Bad("type", lambda: noise.perlin_noise(None), TypeError, "shape"),
        Bad("type", lambda: noise.perlin_noise((8, 8), cells=None), TypeError, "cells"),
        Bad("type", lambda: noise.perlin_noise((8, 8), seed=1.5), TypeError, "seed"),
        Bad("rank", lambda: noise.perlin_noise((8, 8, 3), 2), ValueError, "shape"),
        Bad("count", lambda: noise.perlin_noise((8, 8), cells=(2, -1)), ValueError, "cells"),
        Bad("range", lambda: noise.perlin_noise((8, 8), cells=5000), ValueError, "cells"),
        Bad("finite", lambda: noise.perlin_noise((8, 8), cells=np.inf), ValueError, "cells"),
        Bad("value", lambda: noise.perlin_noise((8, 8), 2.5, tileable=True), ValueError, "cells"),
    ],
    "imgen_helpers.noise.fbm": [
        Bad("type", lambda: noise.fbm("8"), TypeError, "shape"),
        Bad("type", lambda: noise.fbm((8, 8), octaves="6"), TypeError, "octaves"),
        Bad("type", lambda: noise.fbm((8, 8), octaves=2.5), TypeError, "octaves"),
        Bad("type", lambda: noise.fbm((8, 8), persistence="0.5"), TypeError, "persistence"),
        Bad("type", lambda: noise.fbm((8, 8), tileable=None), TypeError, "tileable"),
        Bad("rank", lambda: noise.fbm((8,)), ValueError, "shape"),
        Bad("count", lambda: noise.fbm((8, 8), octaves=0), ValueError, "octaves"),
        Bad("count", lambda: noise.fbm((8, 8), cells=0), ValueError, "cells"),
        Bad("range", lambda: noise.fbm((8, 8), persistence=0), ValueError, "persistence"),
        Bad("range", lambda: noise.fbm((8, 8), lacunarity=-2), ValueError, "lacunarity"),
        Bad("range", lambda: noise.fbm((8, 8), octaves=40), ValueError, "octaves"),
        Bad("finite", lambda: noise.fbm((8, 8), lacunarity=np.nan), ValueError, "lacunarity"),
        Bad("name", lambda: noise.fbm((8, 8), base="simplex"), ValueError, "base"),
        Bad("value", lambda: noise.fbm((8, 8), seed=-2), ValueError, "seed"),
    ],
}

test_bad_inputs = parametrize(CASES)
