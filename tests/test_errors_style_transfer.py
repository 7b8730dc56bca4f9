"""Bad inputs for imgen_helpers.style_transfer: each must get a clear error naming the argument."""

import functools

import keras
import numpy as np
import tensorflow as tf
from bad_inputs import Bad, parametrize

from imgen_helpers import style_transfer as st

IMAGE = np.full((16, 16, 3), 0.5, np.float32)
BATCH = IMAGE[None]
NAN = IMAGE * np.nan
FEATURES = {"a": np.ones((1, 4, 4, 3), np.float32)}
GRAMS = {"a": np.ones((1, 3, 3), np.float32)}


@functools.cache
def _extractor() -> st.FeatureExtractor:
    """One style and one content layer of VGG19, random weights: cheap, offline, built once."""
    return st.build_extractor(
        style_layers=("block1_conv1",), content_layers=("block1_conv2",), allow_random_weights=True
    )


@functools.cache
def _style_only() -> st.FeatureExtractor:
    return st.build_extractor(
        style_layers=("block1_conv1",), content_layers=(), allow_random_weights=True
    )


@functools.cache
def _loss() -> st.StyleContentLoss:
    return st.StyleContentLoss(_extractor(), IMAGE, IMAGE)


def _targets():
    return _loss().targets


def _stylize(content=IMAGE, style=IMAGE, extractor=None, **kwargs):
    kwargs.setdefault("progress", False)
    return st.stylize(content, style, extractor or _extractor(), steps=1, **kwargs)


def _texture(style=IMAGE, extractor=None, **kwargs):
    kwargs.setdefault("progress", False)
    kwargs.setdefault("size", (16, 16))
    return st.synthesize_texture(style, extractor or _extractor(), **kwargs)


CASES = {
    "imgen_helpers.style_transfer.gram_matrix": [
        Bad("type", lambda: st.gram_matrix("block1_conv1"), TypeError, "features"),
        Bad("rank", lambda: st.gram_matrix(np.ones((3, 4, 5), np.float32)), ValueError, "features"),
        Bad("finite", lambda: st.gram_matrix(FEATURES["a"] * np.nan), ValueError, "features"),
    ],
    "imgen_helpers.style_transfer.style_loss": [
        Bad("type", lambda: st.style_loss([FEATURES["a"]], GRAMS), TypeError, "features"),
        Bad("type", lambda: st.style_loss(FEATURES, GRAMS["a"]), TypeError, "target_grams"),
        Bad("name", lambda: st.style_loss(FEATURES, {"b": GRAMS["a"]}), ValueError, "target_grams"),
        Bad(
            "compat",
            lambda: st.style_loss(FEATURES, {"a": np.ones((1, 4, 4))}),
            ValueError,
            "target_grams",
        ),
        Bad(
            "rank",
            lambda: st.style_loss(FEATURES, {"a": np.ones((3, 3))}),
            ValueError,
            "target_grams",
        ),
        Bad(
            "finite",
            lambda: st.style_loss(FEATURES, {"a": GRAMS["a"] * np.nan}),
            ValueError,
            "target_grams",
        ),
        Bad(
            "finite",
            lambda: st.style_loss({"a": FEATURES["a"] * np.nan}, GRAMS),
            ValueError,
            "features",
        ),
        Bad(
            "range",
            lambda: st.style_loss(FEATURES, GRAMS, {"a": -1.0}),
            ValueError,
            "layer_weights",
        ),
        Bad(
            "name",
            lambda: st.style_loss(FEATURES, GRAMS, {"a": 1.0, "b": 1.0}),
            ValueError,
            "layer_weights",
        ),
        Bad("type", lambda: st.style_loss(FEATURES, GRAMS, {"a": "1"}), TypeError, "layer_weights"),
    ],
    "imgen_helpers.style_transfer.content_loss": [
        Bad("type", lambda: st.content_loss(FEATURES, "a"), TypeError, "targets"),
        Bad("name", lambda: st.content_loss(FEATURES, {"b": FEATURES["a"]}), ValueError, "targets"),
        Bad(
            "compat",
            lambda: st.content_loss(FEATURES, {"a": np.ones((1, 5, 4, 3))}),
            ValueError,
            "targets",
        ),
        Bad(
            "finite",
            lambda: st.content_loss({"a": FEATURES["a"] * np.nan}, FEATURES),
            ValueError,
            "features",
        ),
        Bad(
            "range",
            lambda: st.content_loss(FEATURES, FEATURES, {"a": -2}),
            ValueError,
            "layer_weights",
        ),
    ],
    "imgen_helpers.style_transfer.total_variation_loss": [
        Bad("type", lambda: st.total_variation_loss("image.png"), TypeError, "images"),
        Bad("rank", lambda: st.total_variation_loss(IMAGE), ValueError, "images"),
        Bad("finite", lambda: st.total_variation_loss(BATCH * np.nan), ValueError, "images"),
    ],
    "imgen_helpers.style_transfer.StyleContentLoss": [
        Bad("type", lambda: st.StyleContentLoss("vgg19", IMAGE), TypeError, "extractor"),
        Bad(
            "type", lambda: st.StyleContentLoss(_extractor(), "wave.png"), TypeError, "style_image"
        ),
        Bad(
            "range",
            lambda: st.StyleContentLoss(_extractor(), IMAGE * 255),
            ValueError,
            "style_image",
        ),
        Bad("finite", lambda: st.StyleContentLoss(_extractor(), NAN), ValueError, "style_image"),
        Bad(
            "rank",
            lambda: st.StyleContentLoss(_extractor(), IMAGE, np.stack([IMAGE] * 2)),
            ValueError,
            "content_image",
        ),
        Bad(
            "range",
            lambda: st.StyleContentLoss(_extractor(), IMAGE, style_weight=-1),
            ValueError,
            "style_weight",
        ),
        Bad(
            "type",
            lambda: st.StyleContentLoss(_extractor(), IMAGE, tv_weight="30"),
            TypeError,
            "tv_weight",
        ),
        Bad(
            "finite",
            lambda: st.StyleContentLoss(_extractor(), IMAGE, content_weight=np.inf),
            ValueError,
            "content_weight",
        ),
        Bad(
            "name",
            lambda: st.StyleContentLoss(_extractor(), IMAGE, layer_weights={"block9": 1.0}),
            ValueError,
            "layer_weights",
        ),
        Bad(
            "compat",
            lambda: st.StyleContentLoss(_style_only(), IMAGE, IMAGE),
            ValueError,
            "extractor",
        ),
        # calling it
        Bad("type", lambda: _loss()("image.png"), TypeError, "image"),
        Bad("rank", lambda: _loss()(IMAGE), ValueError, "image"),
        Bad("range", lambda: _loss()(BATCH * 255), ValueError, "image"),
        Bad("finite", lambda: _loss()(BATCH * np.nan), ValueError, "image"),
        Bad(
            "range",
            lambda: _loss().value_and_grad((BATCH * 255).astype(np.uint8)),
            ValueError,
            "image",
        ),
        Bad("rank", lambda: _loss().value_and_grad(IMAGE), ValueError, "image"),
    ],
    "imgen_helpers.style_transfer.weighted_losses": [
        Bad(
            "type",
            lambda: st.weighted_losses([], BATCH, _targets(), _loss().weights, None),
            TypeError,
            "features",
        ),
        Bad(
            "value",
            lambda: st.weighted_losses(_targets(), BATCH, {"style": {}}, _loss().weights, None),
            ValueError,
            "targets",
        ),
        Bad(
            "count",
            lambda: st.weighted_losses(_targets(), BATCH, _targets(), [1.0, 1.0], None),
            ValueError,
            "weights",
        ),
        Bad(
            "range",
            lambda: st.weighted_losses(_targets(), BATCH, _targets(), [1.0, -1.0, 1.0], None),
            ValueError,
            "weights",
        ),
        Bad(
            "type",
            lambda: st.weighted_losses(_targets(), "x.png", _targets(), _loss().weights, None),
            TypeError,
            "image",
        ),
        Bad(
            "finite",
            lambda: st.weighted_losses(
                _targets(), BATCH * np.nan, _targets(), _loss().weights, None
            ),
            ValueError,
            "image",
        ),
        Bad(
            "range",
            lambda: st.weighted_losses(_targets(), BATCH * 9, _targets(), _loss().weights, None),
            ValueError,
            "image",
        ),
    ],
    "imgen_helpers.style_transfer.as_batch": [
        Bad("type", lambda: st.as_batch("cat.png"), TypeError, "image"),
        Bad("type", lambda: st.as_batch(IMAGE, name=3), TypeError, "name"),
        Bad(
            "rank", lambda: st.as_batch(np.ones((1, 1, 16, 16, 3), np.float32)), ValueError, "image"
        ),
        Bad("count", lambda: st.as_batch(np.stack([IMAGE] * 2)), ValueError, "image"),
        Bad("range", lambda: st.as_batch(IMAGE * 255), ValueError, "image"),
        Bad("range", lambda: st.as_batch(IMAGE * 2 - 1.5), ValueError, "image"),
        Bad("finite", lambda: st.as_batch(NAN), ValueError, "image"),
        Bad("value", lambda: st.as_batch(np.ones((16, 16, 4), np.float32)), ValueError, "image"),
        Bad("value", lambda: st.as_batch(np.ones((8, 16, 3), np.float32)), ValueError, "image"),
    ],
    "imgen_helpers.style_transfer.resize": [
        Bad("type", lambda: st.resize("cat.png", (16, 16)), TypeError, "image"),
        Bad("rank", lambda: st.resize(IMAGE, (16, 16)), ValueError, "image"),
        Bad("range", lambda: st.resize(BATCH * 255, (16, 16)), ValueError, "image"),
        Bad("finite", lambda: st.resize(BATCH * np.nan, (16, 16)), ValueError, "image"),
        Bad("type", lambda: st.resize(BATCH, 32), TypeError, "size"),
        Bad("type", lambda: st.resize(BATCH, ("32", "32")), TypeError, "size"),
        Bad("value", lambda: st.resize(BATCH, (0, 32)), ValueError, "size"),
        Bad("count", lambda: st.resize(BATCH, (32, 32, 3)), ValueError, "size"),
    ],
    "imgen_helpers.style_transfer.luminance": [
        Bad("type", lambda: st.luminance("cat.png"), TypeError, "images"),
        Bad("rank", lambda: st.luminance(IMAGE[..., 0]), ValueError, "images"),
        Bad("value", lambda: st.luminance(np.ones((1, 4, 4, 4), np.float32)), ValueError, "images"),
        Bad("range", lambda: st.luminance(BATCH * 255), ValueError, "images"),
        Bad("finite", lambda: st.luminance(NAN), ValueError, "images"),
    ],
    "imgen_helpers.style_transfer.match_luminance": [
        Bad("type", lambda: st.match_luminance("wave.png", BATCH), TypeError, "source"),
        Bad("range", lambda: st.match_luminance(BATCH, BATCH * 255), ValueError, "reference"),
        Bad("finite", lambda: st.match_luminance(BATCH * np.nan, BATCH), ValueError, "source"),
        Bad("rank", lambda: st.match_luminance(BATCH, IMAGE[..., 0]), ValueError, "reference"),
        Bad("value", lambda: st.match_luminance(BATCH[..., :1], BATCH), ValueError, "source"),
    ],
    "imgen_helpers.style_transfer.combine_luminance": [
        Bad("type", lambda: st.combine_luminance("out.png", BATCH), TypeError, "stylised"),
        Bad("range", lambda: st.combine_luminance(BATCH, BATCH * 255), ValueError, "content"),
        Bad("finite", lambda: st.combine_luminance(BATCH * np.nan, BATCH), ValueError, "stylised"),
        Bad("rank", lambda: st.combine_luminance(BATCH, IMAGE[..., 0]), ValueError, "content"),
        Bad(
            "compat",
            lambda: st.combine_luminance(BATCH, np.ones((1, 8, 16, 3))),
            ValueError,
            "content",
        ),
    ],
    "imgen_helpers.style_transfer.StyleTransferConfig": [
        Bad("range", lambda: st.StyleTransferConfig(style_weight=-1), ValueError, "style_weight"),
        Bad(
            "type",
            lambda: st.StyleTransferConfig(content_weight="1e4"),
            TypeError,
            "content_weight",
        ),
        Bad(
            "finite",
            lambda: st.StyleTransferConfig(tv_weight=float("nan")),
            ValueError,
            "tv_weight",
        ),
        Bad(
            "range",
            lambda: st.StyleTransferConfig(layer_weights={"block1_conv1": -1}),
            ValueError,
            "layer_weights",
        ),
        Bad(
            "type", lambda: st.StyleTransferConfig(layer_weights=[1.0]), TypeError, "layer_weights"
        ),
        Bad("name", lambda: st.StyleTransferConfig(method="sgd"), ValueError, "method"),
        Bad("name", lambda: st.StyleTransferConfig(init="random"), ValueError, "init"),
        Bad("count", lambda: st.StyleTransferConfig(steps=0), ValueError, "steps"),
        Bad("count", lambda: st.StyleTransferConfig(steps=-5), ValueError, "steps"),
        Bad("type", lambda: st.StyleTransferConfig(steps="100"), TypeError, "steps"),
        Bad("count", lambda: st.StyleTransferConfig(steps=(10, 5)), ValueError, "steps"),
        Bad("value", lambda: st.StyleTransferConfig(scales=(1.0, 0.5)), ValueError, "scales"),
        Bad(
            "range",
            lambda: st.StyleTransferConfig(scales=(0.0, 1.0), steps=(1, 1)),
            ValueError,
            "scales",
        ),
        Bad("type", lambda: st.StyleTransferConfig(scales=1.0), TypeError, "scales"),
        Bad(
            "range",
            lambda: st.StyleTransferConfig(learning_rate=-0.02),
            ValueError,
            "learning_rate",
        ),
        Bad("range", lambda: st.StyleTransferConfig(beta_1=1.5), ValueError, "beta_1"),
        Bad("range", lambda: st.StyleTransferConfig(epsilon=0), ValueError, "epsilon"),
        Bad(
            "type", lambda: st.StyleTransferConfig(preserve_color="no"), TypeError, "preserve_color"
        ),
        Bad("range", lambda: st.StyleTransferConfig(every=-1), ValueError, "every"),
        Bad(
            "finite",
            lambda: st.StyleTransferConfig(target_loss=float("nan")),
            ValueError,
            "target_loss",
        ),
        Bad("type", lambda: st.StyleTransferConfig(jit_compile="True"), TypeError, "jit_compile"),
        Bad("type", lambda: st.StyleTransferConfig(seed="0"), TypeError, "seed"),
        Bad("type", lambda: st.StyleTransferConfig(fast=None), TypeError, "fast"),
    ],
    "imgen_helpers.style_transfer.StyleTransferResult": [
        Bad("type", lambda: st.StyleTransferResult("out.png", {}), TypeError, "image"),
        Bad("rank", lambda: st.StyleTransferResult(BATCH, {}), ValueError, "image"),
        Bad("range", lambda: st.StyleTransferResult(IMAGE * 255, {}), ValueError, "image"),
        Bad("finite", lambda: st.StyleTransferResult(NAN, {}), ValueError, "image"),
        Bad("type", lambda: st.StyleTransferResult(IMAGE, [1.0]), TypeError, "history"),
    ],
    "imgen_helpers.style_transfer.make_adam_step": [
        Bad(
            "type",
            lambda: st.make_adam_step("loss", tf.Variable(BATCH), keras.optimizers.Adam()),
            TypeError,
            "loss_fn",
        ),
        Bad(
            "type",
            lambda: st.make_adam_step(_loss(), BATCH, keras.optimizers.Adam()),
            TypeError,
            "image",
        ),
        Bad(
            "range",
            lambda: st.make_adam_step(_loss(), tf.Variable(BATCH * 255), keras.optimizers.Adam()),
            ValueError,
            "image",
        ),
        Bad(
            "rank",
            lambda: st.make_adam_step(_loss(), tf.Variable(IMAGE), keras.optimizers.Adam()),
            ValueError,
            "image",
        ),
        Bad(
            "type",
            lambda: st.make_adam_step(_loss(), tf.Variable(BATCH), "adam"),
            TypeError,
            "optimizer",
        ),
        Bad(
            "type",
            lambda: st.make_adam_step(
                _loss(), tf.Variable(BATCH), keras.optimizers.Adam(), jit_compile="yes"
            ),
            TypeError,
            "jit_compile",
        ),
    ],
    "imgen_helpers.style_transfer.stylize": [
        Bad("type", lambda: _stylize(content="photo.jpg"), TypeError, "content_image"),
        Bad("rank", lambda: _stylize(content=np.stack([IMAGE] * 2)), ValueError, "content_image"),
        Bad("range", lambda: _stylize(content=IMAGE * 255), ValueError, "content_image"),
        Bad("finite", lambda: _stylize(content=NAN), ValueError, "content_image"),
        Bad("type", lambda: _stylize(style="wave"), TypeError, "style_image"),
        Bad("range", lambda: _stylize(style=IMAGE - 1), ValueError, "style_image"),
        Bad("type", lambda: _stylize(extractor="vgg19"), TypeError, "extractor"),
        Bad("type", lambda: _stylize(config={"steps": 5}), TypeError, "config"),
        Bad("type", lambda: _stylize(progress="no"), TypeError, "progress"),
        Bad("name", lambda: _stylize(stepz=5), TypeError, "stepz"),
        Bad("name", lambda: _stylize(method="sgd"), ValueError, "method"),
        Bad(
            "count",
            lambda: st.stylize(IMAGE, IMAGE, _extractor(), steps=-5, progress=False),
            ValueError,
            "steps",
        ),
        Bad("range", lambda: _stylize(learning_rate=-1.0), ValueError, "learning_rate"),
        Bad(
            "name",
            lambda: _stylize(layer_weights={"block2_conv1": 1.0}),
            ValueError,
            "layer_weights",
        ),
        Bad("compat", lambda: _stylize(extractor=_style_only()), ValueError, "extractor"),
        Bad("value", lambda: _stylize(content=None), ValueError, "content_image"),
    ],
    "imgen_helpers.style_transfer.synthesize_texture": [
        Bad("type", lambda: _texture(style="brick.png"), TypeError, "style_image"),
        Bad("range", lambda: _texture(style=IMAGE * 255), ValueError, "style_image"),
        Bad("finite", lambda: _texture(style=NAN), ValueError, "style_image"),
        Bad("type", lambda: _texture(extractor="vgg19"), TypeError, "extractor"),
        Bad("type", lambda: _texture(size=256), TypeError, "size"),
        Bad("value", lambda: _texture(size=(8, 8)), ValueError, "size"),
        Bad("type", lambda: _texture(progress=1), TypeError, "progress"),
        Bad("value", lambda: _texture(content_weight=1.0), ValueError, "content_weight"),
        Bad("count", lambda: _texture(steps=0), ValueError, "steps"),
        Bad("name", lambda: _texture(stepz=3), TypeError, "stepz"),
    ],
}

test_bad_inputs = parametrize(CASES)
