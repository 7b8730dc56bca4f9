"""Tests of imgen_helpers.dcgan: the DCGAN builders, the recipe, the fast switch, the shipped G."""

import dataclasses

import keras
import numpy as np
import pytest

from imgen_helpers import dcgan, gan, set_seed
from imgen_helpers.fast.gan import FastGAN

TINY = dcgan.DCGANConfig(width=8, latent_dim=8)


@pytest.mark.parametrize(
    ("generator", "discriminator", "latent_dim", "shape"),
    [
        (dcgan.build_dcgan_generator(TINY), dcgan.build_dcgan_discriminator(TINY), 8, (28, 28, 1)),
    ],
)
def test_generated_images_in_range_with_requested_shape(
    generator, discriminator, latent_dim, shape
):
    images = np.asarray(generator(np.random.default_rng(0).standard_normal((4, latent_dim)) * 50))
    assert images.shape == (4, *shape)
    assert images.min() >= -1.0 and images.max() <= 1.0
    logits = discriminator(images)
    assert tuple(logits.shape) == (4, 1) and logits.dtype == "float32"


def test_dcgan_32x32_colour_and_bfloat16_outputs_float32():
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    config = dcgan.DCGANConfig(image_shape=(32, 32, 3), width=8, latent_dim=8)
    generator, discriminator = (
        dcgan.build_dcgan_generator(config),
        dcgan.build_dcgan_discriminator(config),
    )
    images = generator(np.zeros((2, 8), np.float32))
    assert tuple(images.shape) == (2, 32, 32, 3) and images.dtype == "float32"
    assert discriminator(images).dtype == "float32"


def test_generator_width_and_refine_blocks_shape_the_generator_only():
    base = dcgan.DCGANConfig(width=8, latent_dim=8)
    wider = dcgan.DCGANConfig(width=8, latent_dim=8, generator_width=16, refine_blocks=2)
    g_base, g_wide = dcgan.build_dcgan_generator(base), dcgan.build_dcgan_generator(wider)
    names = {layer.name for layer in g_wide.layers}
    assert {"refine_0", "refine_1"} <= names and "refine_2" not in names
    assert g_wide.get_layer("refine_0").filters == 32  # 7x7: twice the generator width
    assert g_wide.get_layer("refine_1").filters == 16  # 14x14
    assert g_wide.get_layer("up_0").filters == 16
    images = np.asarray(g_wide(np.random.default_rng(0).standard_normal((3, 8)) * 20))
    assert images.shape == (3, 28, 28, 1) and images.min() >= -1.0 and images.max() <= 1.0
    assert g_wide.count_params() > g_base.count_params()
    d_base, d_wide = dcgan.build_dcgan_discriminator(base), dcgan.build_dcgan_discriminator(wider)
    assert d_wide.count_params() == d_base.count_params()  # the discriminator is untouched
    with pytest.raises(ValueError, match="refine_blocks must be between 0 and 2"):
        dcgan.build_dcgan_generator(dcgan.DCGANConfig(refine_blocks=3))
    with pytest.raises(ValueError, match="generator_width"):
        dcgan.build_dcgan_generator(dcgan.DCGANConfig(generator_width=0))


def test_discriminator_blocks_deepen_the_discriminator_at_its_smallest_resolution():
    base = dcgan.DCGANConfig(width=8, latent_dim=8)
    deeper = dataclasses.replace(base, discriminator_blocks=2)
    d_base, d_deep = dcgan.build_dcgan_discriminator(base), dcgan.build_dcgan_discriminator(deeper)
    assert [layer.name for layer in d_base.layers if layer.name.startswith("deep_")] == []
    for i in range(2):
        conv = d_deep.get_layer(f"deep_{i}")
        assert conv.filters == 16 and conv.kernel_size == (3, 3) and conv.strides == (1, 1)
        assert tuple(conv.output.shape[1:3]) == (7, 7)
        assert isinstance(d_deep.get_layer(f"deep_{i}_bn"), keras.layers.BatchNormalization)
    assert d_deep.count_params() > d_base.count_params()
    logits = d_deep(np.random.default_rng(0).uniform(-1, 1, (4, 28, 28, 1)).astype("float32"))
    assert tuple(logits.shape) == (4, 1) and np.all(np.isfinite(logits))
    layer_norm = dataclasses.replace(deeper, discriminator_norm="layer")
    assert dcgan.build_dcgan_discriminator(layer_norm).get_layer("deep_1_ln") is not None
    # the generator is untouched
    assert (
        dcgan.build_dcgan_generator(deeper).count_params()
        == dcgan.build_dcgan_generator(base).count_params()
    )
    for bad in (-1, 1.5, True):
        with pytest.raises(ValueError, match="discriminator_blocks"):
            dcgan.build_dcgan_discriminator(dataclasses.replace(base, discriminator_blocks=bad))


def test_builders_reject_bad_sizes_with_a_helpful_message():
    with pytest.raises(ValueError, match="28x28 or 32x32"):
        dcgan.build_dcgan_generator(dcgan.DCGANConfig(image_shape=(30, 30, 1)))
    with pytest.raises(ValueError, match="discriminator_norm"):
        dcgan.build_dcgan_discriminator(dcgan.DCGANConfig(discriminator_norm="spectral"))


def test_config_holds_the_network_and_the_recipe_the_training():
    with pytest.raises(TypeError):
        dcgan.DCGANConfig(batch_size=64)  # training settings left the network's config
    with pytest.raises(ValueError, match="learning_rate"):
        dcgan.DCGANRecipe(learning_rate=-1e-3)
    with pytest.raises(ValueError, match="beta_1"):
        dcgan.DCGANRecipe(beta_1=1.5)
    with pytest.raises(ValueError, match="batch_size"):
        dcgan.DCGANRecipe(batch_size=0)
    with pytest.raises(TypeError, match="DCGANRecipe"):
        dcgan.make_dcgan(TINY, recipe=dict(batch_size=64))
    plain = dcgan.make_dcgan(TINY, dcgan.DCGANRecipe(learning_rate=1e-3, ema=0.9))
    assert type(plain) is gan.GAN and plain.ema == 0.9
    assert float(plain.d_optimizer.learning_rate) == pytest.approx(1e-3)
    fast = dcgan.make_dcgan(TINY, dcgan.DCGANRecipe(fast=True))
    assert isinstance(fast, FastGAN) and fast.reuse_fakes
    assert dcgan.DCGAN_MNIST_SMALL_RECIPE.fast  # the lesson's 3-minute recipe uses the wing


@pytest.mark.parametrize("norm", ["batch", "layer"])
def test_fast_builders_are_the_same_networks_computed_faster(norm):
    """fast=True swaps layer classes only: same weights load, same outputs (float rounding)."""
    config = dataclasses.replace(
        TINY, refine_blocks=1, discriminator_blocks=1, discriminator_norm=norm
    )
    set_seed(0)
    plain = dcgan.build_dcgan_generator(config), dcgan.build_dcgan_discriminator(config)
    fast = dcgan.build_dcgan_generator(config, True), dcgan.build_dcgan_discriminator(config, True)
    kinds = {type(layer).__module__ for layer in fast[0].layers}
    assert "imgen_helpers.fast.layers" in kinds
    assert all("imgen_helpers" not in type(layer).__module__ for layer in plain[0].layers)
    for a, b in zip(plain, fast, strict=True):
        assert [w.shape for w in a.weights] == [w.shape for w in b.weights]
        b.set_weights(a.get_weights())
    z = np.random.default_rng(1).standard_normal((6, 8)).astype(np.float32)
    for training in (False, True):
        images = [np.asarray(model[0](z, training=training)) for model in (plain, fast)]
        np.testing.assert_allclose(images[0], images[1], atol=2e-5)
        logits = [np.asarray(model[1](images[0], training=training)) for model in (plain, fast)]
        np.testing.assert_allclose(logits[0], logits[1], rtol=1e-4, atol=1e-4)


def test_shipped_generator_loads_into_both_builds_and_draws_digits():
    from imgen_helpers.data import SHIPPED, _sha256, shipped_path

    path = shipped_path(dcgan.PRETRAINED_WEIGHTS)
    assert _sha256(path) == SHIPPED[dcgan.PRETRAINED_WEIGHTS]  # the file itself is unchanged
    z = np.random.default_rng(0).standard_normal((16, 64)).astype(np.float32)
    plain = np.asarray(dcgan.load_pretrained_generator()(z))
    fast = np.asarray(dcgan.load_pretrained_generator(fast=True)(z))
    np.testing.assert_allclose(plain, fast, atol=2e-5)
    assert plain.shape == (16, 28, 28, 1) and plain.min() >= -1 and plain.max() <= 1
    lit = (plain > 0).mean(axis=(1, 2, 3))  # a digit covers roughly 10 to 30% of the image
    assert lit.min() > 0.03 and lit.max() < 0.5
    with pytest.raises(ValueError, match="only the DCGAN_MNIST_SMALL"):
        dcgan.load_pretrained_generator(TINY)


def test_train_dcgan_trains_for_epochs_and_saves_the_averaged_generator(tmp_path):
    recipe = dcgan.DCGANRecipe(batch_size=16, learning_rate=1e-3, ema=0.9, fast=True)
    model, history, seconds = dcgan.train_dcgan(
        TINY,
        recipe,
        minutes=None,
        epochs=2,
        out=tmp_path,
        split="test",
        source="offline",
        verbose=0,
    )
    steps = 2000 // 16  # the offline test split, whole batches
    assert int(model.g_optimizer.iterations) == 2 * steps and len(history.epoch) == 2
    assert seconds > 0 and np.isfinite(history.history["g_loss"]).all()
    saved = dcgan.build_dcgan_generator(TINY)
    saved.load_weights(str(tmp_path / "generator.weights.h5"))
    for a, b in zip(saved.get_weights(), model.ema_generator.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert (tmp_path / "generator_raw.weights.h5").is_file()
    with pytest.raises(ValueError, match="minutes"):
        dcgan.train_dcgan(TINY, recipe, minutes=-1, out=None)
