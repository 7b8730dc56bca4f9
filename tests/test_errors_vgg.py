"""Bad inputs for imgen_helpers.vgg: each must get a clear error naming the argument."""

import functools

import numpy as np
from bad_inputs import Bad, parametrize

from imgen_helpers import vgg

SHALLOW = {"style_layers": ("block1_conv1", "block2_conv1"), "content_layers": ()}
IMAGES = np.full((1, 16, 16, 3), 0.5, np.float32)


@functools.cache
def _extractor() -> vgg.FeatureExtractor:
    """Two VGG19 blocks with random weights: cheap, offline, built once."""
    return vgg.build_extractor(**SHALLOW, allow_random_weights=True)


@functools.cache
def _other_weights_file() -> str:
    """A small Keras weights file that is not VGG19's."""
    import tempfile

    import keras

    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, name="dense")])
    path = tempfile.mkdtemp() + "/other.weights.h5"
    model.save_weights(path)
    return path


def _features(**kwargs):
    return vgg.FeatureExtractor(**{**SHALLOW, **kwargs})


CASES = {
    "imgen_helpers.vgg.vgg_preprocess": [
        Bad("type", lambda: vgg.vgg_preprocess("cat.png"), TypeError, "images"),
        Bad("rank", lambda: vgg.vgg_preprocess(IMAGES[0]), ValueError, "images"),
        Bad(
            "range",
            lambda: vgg.vgg_preprocess((IMAGES * 255).astype(np.uint8)),
            ValueError,
            "images",
        ),
        Bad("range", lambda: vgg.vgg_preprocess(IMAGES * 255), ValueError, "images"),
        Bad("finite", lambda: vgg.vgg_preprocess(IMAGES * np.nan), ValueError, "images"),
        Bad("value", lambda: vgg.vgg_preprocess(IMAGES[..., :1]), ValueError, "images"),
    ],
    "imgen_helpers.vgg.FeatureExtractor": [
        Bad("name", lambda: _features(style_layers=("block6_conv1",)), ValueError, "style_layers"),
        Bad("type", lambda: _features(content_layers="block2_conv2"), TypeError, "content_layers"),
        Bad("value", lambda: vgg.FeatureExtractor((), ()), ValueError, "style_layers"),
        Bad("name", lambda: _features(pooling="min"), ValueError, "pooling"),
        Bad("name", lambda: _features(dtype="floaty"), ValueError, "dtype"),
        Bad("type", lambda: _features(dtype=32), TypeError, "dtype"),
        Bad("type", lambda: _features(random_weights="yes"), TypeError, "random_weights"),
        Bad("type", lambda: _features(seed="0"), TypeError, "seed"),
        Bad("type", lambda: _features(fast=1), TypeError, "fast"),
        # calling it
        Bad("type", lambda: _extractor()("cat.png"), TypeError, "images"),
        Bad("rank", lambda: _extractor()(IMAGES[0]), ValueError, "images"),
        Bad("range", lambda: _extractor()((IMAGES * 255).astype(np.uint8)), ValueError, "images"),
        Bad(
            "range",
            lambda: _extractor()(np.linspace(-1, 1, 768).reshape(1, 16, 16, 3)),
            ValueError,
            "images",
        ),
        Bad("finite", lambda: _extractor()(IMAGES * np.nan), ValueError, "images"),
        Bad(
            "value", lambda: _extractor()(np.ones((1, 16, 16, 4), np.float32)), ValueError, "images"
        ),
        Bad(
            "value", lambda: _extractor()(np.ones((1, 1, 16, 3), np.float32)), ValueError, "images"
        ),
    ],
    "imgen_helpers.vgg.build_extractor": [
        Bad(
            "name",
            lambda: vgg.build_extractor(style_layers=("block6_conv1",)),
            ValueError,
            "style_layers",
        ),
        Bad(
            "name",
            lambda: vgg.build_extractor(content_layers=("block1_pool",)),
            ValueError,
            "content_layers",
        ),
        Bad(
            "type",
            lambda: vgg.build_extractor(style_layers="block1_conv1"),
            TypeError,
            "style_layers",
        ),
        Bad("value", lambda: vgg.build_extractor((), ()), ValueError, "style_layers"),
        Bad("name", lambda: vgg.build_extractor(**SHALLOW, pooling="mean"), ValueError, "pooling"),
        Bad(
            "type",
            lambda: vgg.build_extractor(**SHALLOW, allow_random_weights="True"),
            TypeError,
            "allow_random_weights",
        ),
        Bad(
            "name",
            lambda: vgg.build_extractor(**SHALLOW, dtype="float17", allow_random_weights=True),
            ValueError,
            "dtype",
        ),
        Bad(
            "type",
            lambda: vgg.build_extractor(**SHALLOW, seed=0.5, allow_random_weights=True),
            TypeError,
            "seed",
        ),
        Bad("type", lambda: vgg.build_extractor(**SHALLOW, fast="no"), TypeError, "fast"),
        Bad(
            "type",
            lambda: vgg.build_extractor(**SHALLOW, weights_path=80),
            TypeError,
            "weights_path",
        ),
        Bad(
            "path",
            lambda: vgg.build_extractor(**SHALLOW, weights_path="no/such/vgg19.h5"),
            FileNotFoundError,
            "weights_path",
        ),
        Bad(
            "compat",
            lambda: vgg.build_extractor(**SHALLOW, weights_path=_other_weights_file()),
            ValueError,
            "weights_path",
        ),
    ],
    "imgen_helpers.vgg.weights_banner": [
        Bad("type", lambda: vgg.weights_banner("vgg19"), TypeError, "extractor"),
    ],
    "imgen_helpers.vgg.show_weights_banner": [
        Bad("type", lambda: vgg.show_weights_banner(None), TypeError, "extractor"),
    ],
}

test_bad_inputs = parametrize(CASES)
