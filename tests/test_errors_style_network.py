"""Bad inputs for imgen_helpers.style_network: each must get a clear error naming the argument."""

import functools
import tempfile
import zipfile
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf
from bad_inputs import Bad, parametrize

from imgen_helpers import style_network as sn
from imgen_helpers import style_transfer as st

IMAGE = np.full((16, 16, 3), 0.5, np.float32)
BATCH = np.stack([IMAGE, IMAGE])
TINY = sn.TransformNetConfig(filters=(8, 8, 8), residual_blocks=1)


@functools.cache
def _net() -> keras.Model:
    return sn.build_transform_net(TINY)


@functools.cache
def _extractor():
    """One style and one content layer of VGG19, random weights: cheap, offline, built once."""
    return st.build_extractor(
        style_layers=("block1_conv1",), content_layers=("block1_conv2",), allow_random_weights=True
    )


@functools.cache
def _trainer() -> sn.FastStyleTransfer:
    trainer = sn.FastStyleTransfer(_net(), _extractor(), IMAGE)
    trainer.compile(optimizer=keras.optimizers.Adam(1e-3))
    return trainer


def _fast_style(**kwargs):
    args = {"transform_net": _net(), "extractor": _extractor(), "style_image": IMAGE, **kwargs}
    return sn.FastStyleTransfer(**args)


@functools.cache
def _grey_net() -> keras.Model:
    """A model for one-channel images: not a transform network for RGB photos."""
    inputs = keras.Input((None, None, 1))
    return keras.Model(inputs, keras.layers.Conv2D(3, 1)(inputs))


@functools.cache
def _files() -> dict[str, str]:
    """Saved files of the wrong kind, written once to a temporary folder."""
    folder = Path(tempfile.mkdtemp())
    other = keras.Sequential([keras.Input((10,)), keras.layers.Dense(2)], name="generator")
    other.save(folder / "generator.keras")
    (folder / "text.keras").write_text("not a network")
    small = sn.save_transform_net(_net(), folder / "small.keras")
    big = sn.save_transform_net(
        sn.build_transform_net(sn.TransformNetConfig((8, 16, 16), 2)), folder / "big.keras"
    )
    # the architecture of one network with the weights of another
    with zipfile.ZipFile(small) as a, zipfile.ZipFile(big) as b:
        with zipfile.ZipFile(folder / "mixed.keras", "w") as out:
            for item in a.infolist():
                source = b if item.filename == "model.weights.h5" else a
                out.writestr(item, source.read(item.filename))
    return {name: str(folder / f"{name}.keras") for name in ("generator", "text", "mixed")}


CASES = {
    "imgen_helpers.style_network.ReflectionPadding2D": [
        Bad("value", lambda: sn.ReflectionPadding2D(-1), ValueError, "padding"),
        Bad("type", lambda: sn.ReflectionPadding2D("2"), TypeError, "padding"),
        Bad(
            "compat",
            lambda: sn.ReflectionPadding2D(4)(np.zeros((1, 3, 3, 1), np.float32)),
            ValueError,
            "padding",
        ),
    ],
    "imgen_helpers.style_network.PadToMultiple": [
        Bad("count", lambda: sn.PadToMultiple(0), ValueError, "multiple"),
        Bad("type", lambda: sn.PadToMultiple("4"), TypeError, "multiple"),
    ],
    "imgen_helpers.style_network.CropLike": [
        Bad("type", lambda: sn.CropLike()(np.zeros((1, 4, 4, 3), np.float32)), TypeError, "inputs"),
        Bad(
            "compat",
            lambda: sn.CropLike()([np.zeros((1, 4, 4, 3)), np.zeros((1, 8, 4, 3))]),
            ValueError,
            "inputs",
        ),
    ],
    "imgen_helpers.style_network.TransformNetConfig": [
        Bad("type", lambda: sn.TransformNetConfig(filters=32), TypeError, "filters"),
        Bad("count", lambda: sn.TransformNetConfig(filters=(32, 64)), ValueError, "filters"),
        Bad("value", lambda: sn.TransformNetConfig(filters=(0, 64, 128)), ValueError, "filters"),
        Bad("type", lambda: sn.TransformNetConfig(filters=("32", 64, 128)), TypeError, "filters"),
        Bad(
            "count",
            lambda: sn.TransformNetConfig(residual_blocks=-1),
            ValueError,
            "residual_blocks",
        ),
        Bad(
            "type", lambda: sn.TransformNetConfig(residual_blocks="5"), TypeError, "residual_blocks"
        ),
        Bad(
            "name",
            lambda: sn.TransformNetConfig(normalization="layer"),
            ValueError,
            "normalization",
        ),
        Bad("type", lambda: sn.TransformNetConfig(fast="yes"), TypeError, "fast"),
    ],
    "imgen_helpers.style_network.build_transform_net": [
        Bad("type", lambda: sn.build_transform_net({"filters": (8, 8, 8)}), TypeError, "config"),
    ],
    "imgen_helpers.style_network.content_dataset": [
        Bad("type", lambda: sn.content_dataset("coffee"), TypeError, "names"),
        Bad("count", lambda: sn.content_dataset(()), ValueError, "names"),
        Bad("name", lambda: sn.content_dataset(("not_a_photo",)), FileNotFoundError, "names"),
        Bad("type", lambda: sn.content_dataset((3,)), TypeError, "names"),
        Bad("value", lambda: sn.content_dataset(("coffee",), crop_size=8), ValueError, "crop_size"),
        Bad(
            "type", lambda: sn.content_dataset(("coffee",), crop_size="256"), TypeError, "crop_size"
        ),
        Bad(
            "count", lambda: sn.content_dataset(("coffee",), batch_size=0), ValueError, "batch_size"
        ),
        Bad("type", lambda: sn.content_dataset(("coffee",), seed=None), TypeError, "seed"),
    ],
    "imgen_helpers.style_network.FastStyleTransfer": [
        Bad("type", lambda: _fast_style(transform_net="net.keras"), TypeError, "transform_net"),
        Bad("compat", lambda: _fast_style(transform_net=_grey_net()), ValueError, "transform_net"),
        Bad("type", lambda: _fast_style(extractor="vgg19"), TypeError, "extractor"),
        Bad("type", lambda: _fast_style(style_image="udnie.jpg"), TypeError, "style_image"),
        Bad("range", lambda: _fast_style(style_image=IMAGE * 255), ValueError, "style_image"),
        Bad("finite", lambda: _fast_style(style_image=IMAGE * np.nan), ValueError, "style_image"),
        Bad("rank", lambda: _fast_style(style_image=BATCH), ValueError, "style_image"),
        Bad("range", lambda: _fast_style(style_weight=-1.0), ValueError, "style_weight"),
        Bad("type", lambda: _fast_style(content_weight="1e4"), TypeError, "content_weight"),
        Bad("finite", lambda: _fast_style(tv_weight=float("inf")), ValueError, "tv_weight"),
        Bad(
            "name",
            lambda: _fast_style(layer_weights={"block5_conv1": 1.0}),
            ValueError,
            "layer_weights",
        ),
        # fit
        Bad(
            "range",
            lambda: _trainer().fit((BATCH * 255).astype(np.uint8), epochs=1, verbose=0),
            ValueError,
            "x",
        ),
        Bad(
            "range",
            lambda: _trainer().fit(
                np.linspace(-1, 1, BATCH.size).reshape(BATCH.shape), epochs=1, verbose=0
            ),
            ValueError,
            "x",
        ),
        Bad("rank", lambda: _trainer().fit(IMAGE, epochs=1, verbose=0), ValueError, "x"),
        Bad("finite", lambda: _trainer().fit(BATCH * np.nan, epochs=1, verbose=0), ValueError, "x"),
        Bad("value", lambda: _trainer().fit(BATCH[..., :1], epochs=1, verbose=0), ValueError, "x"),
        Bad("type", lambda: _trainer().fit("photos/", epochs=1, verbose=0), TypeError, "x"),
        Bad(
            "range",
            lambda: _trainer().fit(tf.data.Dataset.from_tensors(BATCH * 255), verbose=0),
            ValueError,
            "x",
        ),
        # losses_for
        Bad("type", lambda: _trainer().losses_for("x.png", BATCH), TypeError, "content_batch"),
        Bad("compat", lambda: _trainer().losses_for(BATCH, BATCH[:1]), ValueError, "stylised"),
        Bad("range", lambda: _trainer().losses_for(BATCH, BATCH * 255), ValueError, "stylised"),
        Bad(
            "finite",
            lambda: _trainer().losses_for(BATCH * np.nan, BATCH),
            ValueError,
            "content_batch",
        ),
    ],
    "imgen_helpers.style_network.stylize_fast": [
        Bad("type", lambda: sn.stylize_fast("runs/net.keras", IMAGE), TypeError, "transform_net"),
        Bad("compat", lambda: sn.stylize_fast(_grey_net(), IMAGE), ValueError, "transform_net"),
        Bad("type", lambda: sn.stylize_fast(_net(), "chelsea.png"), TypeError, "image"),
        Bad("rank", lambda: sn.stylize_fast(_net(), BATCH), ValueError, "image"),
        Bad("range", lambda: sn.stylize_fast(_net(), IMAGE * 255), ValueError, "image"),
        Bad("finite", lambda: sn.stylize_fast(_net(), IMAGE * np.nan), ValueError, "image"),
    ],
    "imgen_helpers.style_network.save_transform_net": [
        Bad(
            "type",
            lambda: sn.save_transform_net("net", "runs/net.keras"),
            TypeError,
            "transform_net",
        ),
        Bad("value", lambda: sn.save_transform_net(_net(), "runs/net.h5"), ValueError, "path"),
        Bad("type", lambda: sn.save_transform_net(_net(), 3), TypeError, "path"),
    ],
    "imgen_helpers.style_network.load_transform_net": [
        Bad(
            "path",
            lambda: sn.load_transform_net("runs/no_such_net.keras"),
            FileNotFoundError,
            "path",
        ),
        Bad("type", lambda: sn.load_transform_net(None), TypeError, "path"),
        Bad(
            "type", lambda: sn.load_transform_net(_files()["mixed"], fast="yes"), TypeError, "fast"
        ),
        Bad("value", lambda: sn.load_transform_net(_files()["text"]), ValueError, "path"),
        Bad("compat", lambda: sn.load_transform_net(_files()["generator"]), ValueError, "path"),
        Bad("compat", lambda: sn.load_transform_net(_files()["mixed"]), ValueError, "path"),
    ],
}

test_bad_inputs = parametrize(CASES)
