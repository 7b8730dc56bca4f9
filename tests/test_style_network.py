"""Tests of imgen_helpers.style_network: the transformation network, its trainer, saving.

VGG19 runs with seeded random weights (allow_random_weights=True): there is no network here.
"""

import dataclasses
import json
import subprocess
import sys
import zipfile

import keras
import numpy as np
import pytest
import tensorflow as tf
from test_style_transfer import _built_under, _image

from imgen_helpers import style_network as sn
from imgen_helpers import style_transfer as st

TINY = sn.TransformNetConfig(filters=(8, 16, 16), residual_blocks=1)


@pytest.mark.parametrize("height,width", [(16, 16), (17, 23), (45, 30)])
def test_transform_net_keeps_any_size_and_range(height, width):
    net = build = sn.build_transform_net(TINY)
    out = net(st.as_batch(_image(height, width)))
    assert build.name == "transform_net_instance"
    assert out.shape == (1, height, width, 3)
    assert float(tf.reduce_min(out)) >= 0.0 and float(tf.reduce_max(out)) <= 1.0


def test_transform_net_under_bfloat16_returns_float32_in_range_close_to_float32():
    fast = _built_under("mixed_bfloat16", lambda: sn.build_transform_net(TINY))
    exact = sn.build_transform_net(TINY)
    exact.set_weights(fast.get_weights())
    image = st.as_batch(_image(21, 30))
    out = fast(image)
    assert out.dtype == tf.float32 and out.shape == (1, 21, 30, 3)
    assert float(tf.reduce_min(out)) >= 0.0 and float(tf.reduce_max(out)) <= 1.0
    # bfloat16 keeps about 3 significant digits: a few 8-bit levels at most
    assert float(tf.reduce_max(tf.abs(out - exact(image)))) < 0.02


def test_instance_norm_treats_each_image_alone_batch_norm_does_not():
    a, b = _image(24, 24, 17), _image(24, 24, 18) * 0.3
    for norm, independent in (("instance", True), ("batch", False)):
        net = sn.build_transform_net(sn.TransformNetConfig((8, 16, 16), 1, norm))
        alone = net(a[None], training=True).numpy()[0]
        together = net(np.stack([a, b]), training=True).numpy()[0]
        assert np.allclose(alone, together, atol=1e-5) == independent, norm


def test_fast_style_transfer_training_lowers_the_loss_and_saves(extractor, tmp_path):
    keras.utils.set_random_seed(0)
    net = sn.build_transform_net(TINY)
    model = sn.FastStyleTransfer(net, extractor, _image(32, 32, 19))
    model.compile(optimizer=keras.optimizers.Adam(1e-2))
    batch = np.stack([_image(32, 32, s) for s in (20, 21)])
    before = model.losses_for(batch, net(batch))["loss"].numpy()
    data = tf.data.Dataset.from_tensors(batch).repeat()
    history = model.fit(data, epochs=2, steps_per_epoch=6, verbose=0)
    after = model.losses_for(batch, net(batch))["loss"].numpy()
    assert set(history.history) == {"loss", "style", "content", "tv"}
    assert np.isfinite(history.history["loss"]).all()
    assert after < 0.7 * before
    path = sn.save_transform_net(net, tmp_path / "net.keras")
    loaded = sn.load_transform_net(path)
    image = _image(21, 27, 22)
    np.testing.assert_allclose(
        sn.stylize_fast(loaded, image), sn.stylize_fast(net, image), atol=1e-6
    )
    with pytest.raises(ValueError, match=".keras"):
        sn.save_transform_net(net, tmp_path / "net.h5")


def test_content_dataset_is_seeded_and_in_range():
    first = next(iter(sn.content_dataset(("coffee", "chelsea"), crop_size=32, batch_size=3)))
    again = next(iter(sn.content_dataset(("coffee", "chelsea"), crop_size=32, batch_size=3)))
    other = next(iter(sn.content_dataset(("coffee", "chelsea"), 32, 3, seed=1)))
    assert first.shape == (3, 32, 32, 3)
    assert float(tf.reduce_min(first)) >= 0 and float(tf.reduce_max(first)) <= 1
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_plain_and_fast_networks_share_variables_and_compute_the_same_image():
    plain = sn.build_transform_net(TINY)
    fast = sn.build_transform_net(dataclasses.replace(TINY, fast=True))
    kinds = {type(layer).__name__ for layer in plain.layers}
    assert "UpSampling2D" in kinds and "UpsampleConv2D" not in kinds
    assert "UpsampleConv2D" in {type(layer).__name__ for layer in fast.layers}
    assert [w.path for w in plain.weights] == [w.path for w in fast.weights]
    fast.set_weights(plain.get_weights())
    image = st.as_batch(_image(21, 30, 5))
    np.testing.assert_allclose(fast(image), plain(image), atol=1e-5)


def test_a_network_saved_in_one_form_loads_in_the_other(tmp_path):
    fast = sn.build_transform_net(dataclasses.replace(TINY, fast=True))
    path = sn.save_transform_net(fast, tmp_path / "fast.keras")
    as_saved = sn.load_transform_net(path)
    plain = sn.load_transform_net(path, fast=False)
    assert "UpsampleConv2D" in {type(layer).__name__ for layer in as_saved.layers}
    assert "UpsampleConv2D" not in {type(layer).__name__ for layer in plain.layers}
    back = sn.load_transform_net(sn.save_transform_net(plain, tmp_path / "plain.keras"), fast=True)
    image = _image(24, 20, 6)
    expected = sn.stylize_fast(fast, image)
    for net in (as_saved, plain, back):
        np.testing.assert_allclose(sn.stylize_fast(net, image), expected, atol=1e-5)


def test_a_file_saved_under_the_old_imgen_names_still_loads(tmp_path):
    net = sn.build_transform_net(dataclasses.replace(TINY, fast=True))
    new = tmp_path / "new.keras"
    sn.save_transform_net(net, new)
    # what 0.1 wrote: these three layers registered as "imgen>..." in imgen_helpers.style_transfer
    old = tmp_path / "old.keras"
    with zipfile.ZipFile(new) as source, zipfile.ZipFile(old, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "config.json":
                text = data.decode()
                for name in ("ReflectionPadding2D", "PadToMultiple", "CropLike"):
                    assert f'"imgen_helpers>{name}"' in text
                    text = text.replace(f'"imgen_helpers>{name}"', f'"imgen>{name}"')
                text = text.replace(
                    '"imgen_helpers.style_network"', '"imgen_helpers.style_transfer"'
                )
                json.loads(text)
                data = text.encode()
            target.writestr(item, data)
    assert b'"imgen>CropLike"' in zipfile.ZipFile(old).read("config.json")
    with pytest.raises(TypeError):  # without the aliases Keras cannot find the old names
        keras.saving.load_model(old, compile=False)
    loaded = sn.load_transform_net(old)
    image = _image(20, 28, 7)
    np.testing.assert_allclose(
        sn.stylize_fast(loaded, image), sn.stylize_fast(net, image), atol=1e-6
    )


def test_the_plain_path_never_imports_the_speed_wing():
    code = (
        "import sys; from imgen_helpers import style_network as sn, style_transfer as st; "
        "sn.build_transform_net(sn.TransformNetConfig((8, 8, 8), 1)); "
        "st.build_extractor(style_layers=('block1_conv1',), content_layers=(), "
        "allow_random_weights=True); "
        "print(sorted(m for m in sys.modules if m.startswith('imgen_helpers.fast')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    assert out.stdout.strip().splitlines()[-1] == "[]"
