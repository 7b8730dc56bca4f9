"""Tests of imgen_helpers.style_transfer and imgen_helpers.vgg: losses, extractor, optimisation.

VGG19 runs with seeded random weights (allow_random_weights=True): there is no network here,
and the mechanics (shapes, gradients, falling losses) do not need ImageNet weights.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

from imgen_helpers import style_transfer as st
from imgen_helpers.runtime import precision_scope

SHALLOW = {"style_layers": ("block1_conv1", "block2_conv1"), "content_layers": ("block2_conv2",)}


def _image(h, w, seed=0, channels=3):
    rng = np.random.default_rng(seed)
    smooth = rng.random((h // 4 + 2, w // 4 + 2, channels)).astype(np.float32)
    big = tf.image.resize(smooth[None], (h, w), method="bilinear")[0].numpy()
    return np.clip(big, 0, 1).astype(np.float32)


# ---------------------------------------------------------------- losses ---------------------


def test_gram_matrix_matches_explicit_loop_and_is_symmetric_psd():
    features = np.random.default_rng(1).normal(size=(2, 3, 4, 5)).astype(np.float32)
    gram = st.gram_matrix(tf.constant(features)).numpy()
    expected = np.zeros((2, 5, 5))
    for n in range(2):
        for c in range(5):
            for d in range(5):
                for i in range(3):
                    for j in range(4):
                        expected[n, c, d] += features[n, i, j, c] * features[n, i, j, d]
    expected /= 3 * 4  # divided by the number of locations H*W
    np.testing.assert_allclose(gram, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(gram, np.transpose(gram, (0, 2, 1)), atol=1e-6)
    assert np.linalg.eigvalsh(gram.astype(np.float64)).min() > -1e-5


def test_gram_normalisation_makes_it_independent_of_image_size():
    features = np.random.default_rng(2).random((1, 3, 3, 4)).astype(np.float32)
    tiled = np.tile(features, (1, 2, 3, 1))  # the same statistics over 6x as many locations
    np.testing.assert_allclose(
        st.gram_matrix(tf.constant(tiled)), st.gram_matrix(tf.constant(features)), rtol=1e-5
    )
    raw_sum = np.einsum("nijc,nijd->ncd", features, features)
    assert not np.allclose(st.gram_matrix(tf.constant(features)).numpy(), raw_sum)


def test_gram_matrix_rejects_wrong_rank():
    with pytest.raises(ValueError, match="N, H, W, C"):
        st.gram_matrix(tf.zeros((3, 4, 5)))


def test_total_variation_matches_tf_image_total_variation():
    images = np.random.default_rng(3).random((2, 7, 9, 3)).astype(np.float32)
    expected = tf.reduce_sum(tf.image.total_variation(tf.constant(images))).numpy()
    assert st.total_variation_loss(images).numpy() == pytest.approx(expected, rel=1e-5)
    assert st.total_variation_loss(np.full((1, 5, 5, 3), 0.3, np.float32)).numpy() == 0.0


def test_style_loss_uses_per_layer_weights():
    rng = np.random.default_rng(4)
    feats = {k: tf.constant(rng.random((1, 4, 4, 3)), tf.float32) for k in ("a", "b")}
    targets = {k: st.gram_matrix(tf.constant(rng.random((1, 5, 5, 3)), tf.float32)) for k in "ab"}
    per_layer = {
        k: np.mean((st.gram_matrix(feats[k]).numpy() - targets[k].numpy()) ** 2) for k in "ab"
    }
    weighted = st.style_loss(feats, targets, {"a": 2.0, "b": 0.0}).numpy()
    assert weighted == pytest.approx(2.0 * per_layer["a"], rel=1e-5)
    default = st.style_loss(feats, targets).numpy()
    assert default == pytest.approx((per_layer["a"] + per_layer["b"]) / 2, rel=1e-5)
    assert st.style_loss(feats, {k: st.gram_matrix(v) for k, v in feats.items()}).numpy() == 0
    with pytest.raises(ValueError, match="no weight"):
        st.style_loss(feats, targets, {"a": 1.0})


def test_content_loss_is_zero_for_the_content_image(extractor):
    content = _image(32, 40, seed=5)
    other = _image(32, 40, seed=6)
    target = extractor(st.as_batch(content))["content"]
    same = st.content_loss(extractor(st.as_batch(content))["content"], target).numpy()
    different = st.content_loss(extractor(st.as_batch(other))["content"], target).numpy()
    assert same == 0.0
    assert different > 0.0


def test_vgg_preprocess_matches_keras_preprocess_input():

    images = np.random.default_rng(7).random((2, 5, 6, 3)).astype(np.float32)
    expected = keras.applications.vgg19.preprocess_input(images * 255.0)
    np.testing.assert_allclose(st.vgg_preprocess(tf.constant(images)), expected, atol=1e-3)


# ---------------------------------------------------------------- extractor ------------------


def test_extractor_refuses_random_weights_unless_allowed(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))  # nothing cached there
    monkeypatch.setenv("IMGEN_OFFLINE", "1")
    with pytest.raises(st.WeightsUnavailableError) as caught:
        st.build_extractor(**SHALLOW)
    message = str(caught.value)
    for hint in ("IMGEN_OFFLINE=1", "weights_path=", "allow_random_weights=True", "network"):
        assert hint in message
    allowed = st.build_extractor(**SHALLOW, allow_random_weights=True)
    assert allowed.random_weights
    assert "RANDOM" in st.weights_banner(allowed)


def test_failed_download_is_caught_narrowly(monkeypatch, tmp_path):

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setenv("IMGEN_OFFLINE", "0")

    def no_network(**kwargs):  # what keras.utils.get_file raises without a network
        raise Exception("URL fetch failure on https://example: None -- [Errno -2] Name unknown")

    monkeypatch.setattr(keras.applications, "VGG19", no_network)
    with pytest.raises(st.WeightsUnavailableError, match="download failed"):
        st.build_extractor(**SHALLOW)

    def other_bug(**kwargs):
        raise KeyError("not a download problem")

    monkeypatch.setattr(keras.applications, "VGG19", other_bug)
    with pytest.raises(KeyError):  # not swallowed, not turned into random weights
        st.build_extractor(**SHALLOW, allow_random_weights=True)


def test_extractor_loads_a_local_weights_file(tmp_path):

    source = keras.applications.VGG19(include_top=False, weights=None)
    path = tmp_path / "vgg19_notop.weights.h5"
    source.save_weights(path)
    extractor = st.build_extractor(**SHALLOW, weights_path=path)
    assert not extractor.random_weights
    assert st.weights_banner(extractor) is None
    loaded = {layer.name: layer.get_weights()[0] for layer in extractor.vgg_layers if layer.weights}
    np.testing.assert_array_equal(
        loaded["block2_conv2"], source.get_layer("block2_conv2").get_weights()[0]
    )
    with pytest.raises(FileNotFoundError, match="weights_path"):
        st.build_extractor(weights_path=tmp_path / "missing.h5")


def test_extractor_returns_named_float32_activations_and_stops_at_the_deepest_layer():
    extractor = st.build_extractor(allow_random_weights=True, dtype="mixed_bfloat16")
    out = extractor(st.as_batch(_image(37, 53)))  # odd size
    assert list(out["style"]) == list(st.STYLE_LAYERS)
    assert list(out["content"]) == list(st.CONTENT_LAYERS)
    assert out["style"]["block1_conv1"].shape == (1, 37, 53, 64)
    assert out["style"]["block5_conv1"].shape == (1, 2, 3, 512)
    assert all(v.dtype == tf.float32 for v in out["style"].values())
    assert extractor.vgg_layers[-1].name == "block5_conv2"  # block5_conv3/4 never built
    with pytest.raises(ValueError, match="unknown VGG19 layers"):
        st.build_extractor(style_layers=("block6_conv1",), allow_random_weights=True)


def _built_under(policy, build):
    """``build()`` under the global dtype ``policy``, which is put back afterwards."""
    with precision_scope(policy):
        return build()


def _random_extractor(dtype=None):
    return st.build_extractor(allow_random_weights=True, content_layers=(), dtype=dtype)


@pytest.mark.parametrize(
    "policy, expected",
    [("float32", "float32"), ("mixed_bfloat16", "bfloat16"), ("mixed_float16", "float32")],
)
def test_extractor_follows_a_bfloat16_policy_but_never_float16(policy, expected):
    extractor = _built_under(policy, _random_extractor)
    assert {layer.compute_dtype for layer in extractor.vgg_layers} == {expected}
    out = extractor(st.as_batch(_image(20, 20)))
    assert all(v.dtype == tf.float32 for v in out["style"].values())


def test_images_of_odd_size_grayscale_uint8_are_handled_rgba_rejected():
    assert st.as_batch(_image(17, 23)).shape == (1, 17, 23, 3)
    gray = _image(20, 30)[..., 0]
    batch = st.as_batch(gray).numpy()
    assert batch.shape == (1, 20, 30, 3)
    np.testing.assert_array_equal(batch[0, ..., 0], batch[0, ..., 2])
    assert st.as_batch(gray[..., None]).shape == (1, 20, 30, 3)
    uint8 = (_image(20, 20) * 255).astype(np.uint8)
    assert float(tf.reduce_max(st.as_batch(uint8))) <= 1.0
    with pytest.raises(ValueError, match="RGBA"):
        st.as_batch(np.ones((20, 20, 4), np.float32))
    with pytest.raises(ValueError, match="at least 16"):
        st.as_batch(np.ones((8, 40, 3), np.float32))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        st.as_batch(np.full((20, 20, 3), 200.0, np.float32))


# ---------------------------------------------------------------- optimisation ---------------


def test_lbfgs_steps_lower_the_total_loss_and_stay_in_range(extractor):
    content, style = _image(32, 40, 8), _image(48, 48, 9)
    kwargs = dict(style_weight=1.0, tv_weight=1.0)  # so that style, not TV, dominates
    result = st.stylize(
        content, style, extractor, method="lbfgs", steps=8, progress=False, **kwargs
    )
    loss = result.history["loss"]
    start = st.StyleContentLoss(extractor, style, content, **kwargs)(st.as_batch(content))
    first = start["loss"].numpy()
    assert loss[-1] < 0.9 * first
    assert result.image.shape == (32, 40, 3)
    assert result.image.min() >= 0.0 and result.image.max() <= 1.0


def test_adam_from_noise_lowers_the_loss_and_is_deterministic(extractor):
    content, style = _image(32, 32, 10), _image(32, 32, 11)
    kwargs = dict(method="adam", steps=6, init="noise", learning_rate=0.05, progress=False)
    first = st.stylize(content, style, extractor, seed=3, every=3, **kwargs)
    again = st.stylize(content, style, extractor, seed=3, **kwargs)
    assert first.history["loss"][-1] < first.history["loss"][0]
    np.testing.assert_array_equal(first.image, again.image)
    assert [step for step, _ in first.intermediates] == [3, 6]
    assert first.image.min() >= 0.0 and first.image.max() <= 1.0


def test_coarse_to_fine_runs_every_scale_and_returns_full_size(extractor):
    content, style = _image(40, 48, 12), _image(40, 40, 13)
    result = st.stylize(
        content, style, extractor, method="lbfgs", steps=(3, 2), scales=(0.5, 1.0), progress=False
    )
    assert result.image.shape == (40, 48, 3)
    assert sorted(set(result.history["scale"])) == [0.5, 1.0]
    with pytest.raises(ValueError, match="end with 1.0"):
        st.stylize(content, style, extractor, scales=(1.0, 0.5), progress=False)


def test_colour_preservation_keeps_the_content_chrominance(extractor):
    content, style = _image(32, 32, 14), _image(32, 32, 15)
    kwargs = dict(method="lbfgs", steps=5, progress=False, init="noise")
    kept = st.stylize(content, style, extractor, preserve_color=True, **kwargs).image
    free = st.stylize(content, style, extractor, preserve_color=False, **kwargs).image
    chroma = lambda x: tf.image.rgb_to_yiq(x)[..., 1:].numpy()  # noqa: E731
    kept_error = np.abs(chroma(kept) - chroma(content)).mean()
    free_error = np.abs(chroma(free) - chroma(content)).mean()
    assert kept_error < 0.02
    assert kept_error < 0.5 * free_error


def test_texture_synthesis_matches_the_style_from_noise(extractor):
    result = st.synthesize_texture(
        _image(40, 40, 16), extractor, size=(32, 32), steps=10, progress=False
    )
    assert result.history["style"][-1] < 0.5 * result.history["style"][0]
    assert max(result.history["content"]) == 0.0
    assert result.image.shape == (32, 32, 3)


def test_plain_value_and_grad_is_the_gradient_of_the_loss(extractor):
    content, style = _image(24, 32, 24), _image(32, 32, 25)
    loss_fn = st.StyleContentLoss(extractor, style, content, style_weight=1.0)
    image = st.as_batch(_image(24, 32, 26))
    value, grad = loss_fn.value_and_grad(image)
    assert float(value["loss"]) == pytest.approx(float(loss_fn(image)["loss"]), rel=1e-6)
    # a finite difference along the gradient agrees with the gradient's squared norm
    eps = 1e-3
    direction = grad / tf.norm(grad)
    ahead = float(loss_fn(image + eps * direction)["loss"])
    behind = float(loss_fn(image - eps * direction)["loss"])
    assert (ahead - behind) / (2 * eps) == pytest.approx(float(tf.norm(grad)), rel=2e-2)


def test_plain_lbfgs_on_a_bfloat16_extractor_warns_and_says_how_to_fix_it():
    image, style = _image(24, 24, 1), _image(24, 24, 2)
    bf16 = st.build_extractor(
        allow_random_weights=True,
        content_layers=(),
        style_layers=("block1_conv1",),
        dtype="mixed_bfloat16",
    )
    with pytest.warns(UserWarning, match="fast=True"):
        st.stylize(image, style, bf16, method="lbfgs", steps=2, content_weight=0.0, progress=False)


# ---------------------------------------------------------------- moved names ----------------


@pytest.mark.parametrize(
    "name, place",
    [
        ("FastStyleTransfer", "imgen_helpers.style_network.FastStyleTransfer"),
        ("build_transform_net", "imgen_helpers.style_network.build_transform_net"),
        ("load_transform_net", "imgen_helpers.style_network.load_transform_net"),
        ("float32_extractor", "imgen_helpers.fast.style.float32_extractor"),
    ],
)
def test_names_moved_out_of_the_lesson_06_module_say_where_they_went(name, place):
    with pytest.raises(AttributeError, match=place.replace(".", r"\.")):
        getattr(st, name)
    with pytest.raises(AttributeError, match="no attribute 'not_a_name'"):
        st.not_a_name  # noqa: B018
