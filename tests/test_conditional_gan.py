"""Tests of imgen_helpers.conditional_gan: the label is used, projection is what the paper says."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from imgen_helpers import callbacks, dcgan
from imgen_helpers import conditional_gan as cg
from imgen_helpers.data import load_mnist, mnist_dataset, shipped_path
from imgen_helpers.metrics import label_agreement
from imgen_helpers.runtime import set_seed

BODY = dcgan.DCGANConfig(width=8, latent_dim=8)
TINY = {c: cg.CGANConfig(body=BODY, label_dim=4, conditioning=c) for c in cg.CONDITIONINGS}
RECIPE = dcgan.DCGANRecipe(batch_size=32, learning_rate=1e-3)


def _digits(n: int = 64, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` real training digits in [-1, 1] and their labels."""
    images, labels = load_mnist("train", source="offline", verbose=False)
    rows = np.random.default_rng(seed).choice(len(images), n, replace=False)
    return images[rows, :, :, None].astype(np.float32) / 127.5 - 1.0, labels[rows].astype(np.int32)


@pytest.mark.parametrize("conditioning", cg.CONDITIONINGS)
@pytest.mark.parametrize("policy", ["float32", "mixed_bfloat16"])
def test_shapes_ranges_and_dtypes(conditioning, policy):
    keras.mixed_precision.set_global_policy(policy)
    generator = cg.build_conditional_generator(TINY[conditioning])
    discriminator = cg.build_conditional_discriminator(TINY[conditioning])
    latents = np.random.default_rng(0).standard_normal((5, 8)).astype(np.float32) * 30
    images = generator([latents, np.arange(5)])
    assert tuple(images.shape) == (5, 28, 28, 1) and images.dtype == "float32"
    assert float(tf.reduce_min(images)) >= -1.0 and float(tf.reduce_max(images)) <= 1.0
    logits = discriminator([np.asarray(images), np.arange(5)])  # Keras: not tensor + array
    assert tuple(logits.shape) == (5, 1) and logits.dtype == "float32"


@pytest.mark.parametrize("conditioning", cg.CONDITIONINGS)
def test_changing_only_the_label_changes_both_players_outputs(conditioning):
    set_seed(0)
    generator = cg.build_conditional_generator(TINY[conditioning])
    discriminator = cg.build_conditional_discriminator(TINY[conditioning])
    latents = np.repeat(np.random.default_rng(0).standard_normal((1, 8)), 10, 0).astype("float32")
    images = np.asarray(generator([latents, np.arange(10)]))
    differences = np.abs(images[1:] - images[:1]).max(axis=(1, 2, 3))
    assert differences.min() > 1e-4  # every other label moves the image away from label 0's
    same = np.repeat(images[:1], 10, 0)
    logits = np.asarray(discriminator([same, np.arange(10)]))[:, 0]
    assert np.ptp(logits) > 1e-5  # one image, ten labels: ten scores


def test_the_projection_discriminator_adds_the_class_vector_dot_the_features():
    """logit = w . phi(x) + b + embed(y) . phi(x) (Miyato and Koyama, 2018)."""
    set_seed(1)
    discriminator = cg.build_conditional_discriminator(TINY["projection"])
    images, labels = _digits(6)
    features = keras.Model(discriminator.inputs[0], discriminator.get_layer("flatten").output)
    phi = np.asarray(features(images), np.float64)  # (6, F)
    w, b = (np.asarray(a, np.float64) for a in discriminator.get_layer("logit").get_weights())
    classes = np.asarray(discriminator.get_layer("label_projection").embeddings, np.float64)
    expected = phi @ w[:, 0] + b[0] + np.sum(classes[labels] * phi, axis=1)
    logits = np.asarray(discriminator([images, labels]))[:, 0]
    np.testing.assert_allclose(logits, expected, rtol=1e-4, atol=1e-4)


def test_the_concat_discriminator_sees_one_hot_label_planes():
    discriminator = cg.build_conditional_discriminator(TINY["concat"])
    planes = keras.Model(discriminator.inputs, discriminator.get_layer("label_planes").output)
    out = np.asarray(planes([np.zeros((3, 28, 28, 1), "float32"), np.array([2, 0, 9])]))
    assert out.shape == (3, 28, 28, 10)
    np.testing.assert_array_equal(out, np.eye(10)[[2, 0, 9]][:, None, None, :] * np.ones_like(out))


# Share of real digits scored higher with their own label than with a wrong one, after 400
# steps of the tiny models; chance (an untrained discriminator, the next test) is 0.5. The
# concatenating discriminator learns to use the label more slowly, hence its lower bar.
@pytest.mark.parametrize(("conditioning", "share"), [("projection", 0.8), ("concat", 0.65)])
def test_after_short_training_a_real_digit_scores_lower_with_a_wrong_label(conditioning, share):
    set_seed(0)
    gan = cg.make_cgan(TINY[conditioning], RECIPE, seed=0)
    data = mnist_dataset("train", 32, labels=True, source="offline", seed=0, verbose=False)
    gan.fit(data.repeat(), steps_per_epoch=400, epochs=1, verbose=0)
    images, labels = _digits(500, seed=3)
    wrong = (labels + np.random.default_rng(0).integers(1, 10, len(labels))) % 10
    assert np.all(wrong != labels)
    right_scores = np.asarray(gan.discriminator([images, labels]))[:, 0]
    wrong_scores = np.asarray(gan.discriminator([images, wrong]))[:, 0]
    assert np.mean(right_scores > wrong_scores) > share
    assert right_scores.mean() > wrong_scores.mean()


def test_an_untrained_discriminator_does_not_prefer_the_right_label():
    """The test above can fail: before training, right and wrong labels score alike."""
    set_seed(0)
    discriminator = cg.build_conditional_discriminator(TINY["projection"])
    images, labels = _digits(500, seed=3)
    wrong = (labels + np.random.default_rng(0).integers(1, 10, len(labels))) % 10
    right_scores = np.asarray(discriminator([images, labels]))[:, 0]
    wrong_scores = np.asarray(discriminator([images, wrong]))[:, 0]
    assert 0.3 < np.mean(right_scores > wrong_scores) < 0.7


def test_fast_layers_build_the_same_networks():
    config = TINY["projection"]
    for build in (cg.build_conditional_generator, cg.build_conditional_discriminator):
        plain, fast = build(config), build(config, fast=True)
        fast.set_weights(plain.get_weights())
        inputs = (
            [np.random.default_rng(0).standard_normal((4, 8)).astype("float32"), np.arange(4)]
            if build is cg.build_conditional_generator
            else [_digits(4)[0], np.arange(4)]
        )
        np.testing.assert_allclose(
            np.asarray(plain(inputs, training=True)),
            np.asarray(fast(inputs, training=True)),
            rtol=1e-4,
            atol=1e-4,
        )


def test_sample_digits_is_seeded_and_follows_the_labels():
    generator = cg.build_conditional_generator(TINY["projection"])
    first = cg.sample_digits(generator, [3, 3, 7], seed=4)
    again = cg.sample_digits(generator, [3, 3, 7], seed=4, batch_size=2)
    np.testing.assert_allclose(first, again, atol=1e-6)
    assert first.shape == (3, 28, 28, 1) and first.dtype == np.float32
    assert not np.allclose(first[0], first[1])  # same label, other noise
    other = cg.sample_digits(generator, [4, 3, 7], seed=4)
    assert not np.allclose(first[0], other[0]) and np.allclose(first[1:], other[1:], atol=1e-6)


def test_fit_refuses_images_without_labels():
    gan = cg.make_cgan(TINY["projection"], RECIPE)
    images, _ = _digits(8)
    with pytest.raises(ValueError, match="labels"):
        gan.fit(images, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="y must lie in 0..9"):
        gan.fit(images, np.full(8, 10), epochs=1, verbose=0)


def test_fit_on_arrays_with_labels_trains():
    gan = cg.make_cgan(TINY["concat"], RECIPE, seed=0)
    images, labels = _digits(64)
    history = gan.fit(images, labels, batch_size=32, epochs=1, verbose=0)
    assert int(gan.g_optimizer.iterations) == 2 and np.isfinite(history.history["d_loss"][0])


def test_checkpoints_resume_where_the_uninterrupted_run_ends(tmp_path):
    images, labels = _digits(64)
    data = tf.data.Dataset.from_tensor_slices((images, labels)).batch(32)
    set_seed(0)
    first = cg.make_cgan(TINY["projection"], RECIPE, seed=0)
    first.fit(data, epochs=2, verbose=0, callbacks=[callbacks.Checkpoint(tmp_path)])
    path, epoch = callbacks.latest_checkpoint(tmp_path)
    set_seed(1)
    resumed = cg.make_cgan(TINY["projection"], RECIPE, seed=0)
    callbacks.restore_checkpoint(resumed, path)
    resumed.fit(data, epochs=3, initial_epoch=epoch, verbose=0)
    set_seed(0)
    straight = cg.make_cgan(TINY["projection"], RECIPE, seed=0)
    straight.fit(data, epochs=3, verbose=0)
    assert int(resumed.g_optimizer.iterations) == 6
    # The noise generator's state is part of the checkpoint, so the runs end alike.
    for a, b in zip(straight.generator.get_weights(), resumed.generator.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_train_cgan_saves_a_generator_that_loads_back(tmp_path):
    gan, history, seconds = cg.train_cgan(
        TINY["projection"],
        RECIPE,
        minutes=None,
        epochs=1,
        out=tmp_path,
        source="offline",
        verbose=0,
        callbacks=[callbacks.TimeLimit(0)],
    )
    assert seconds > 0 and len(history.epoch) == 1
    loaded = cg.load_cgan_generator(tmp_path / "generator.weights.h5", TINY["projection"])
    np.testing.assert_allclose(
        cg.sample_digits(loaded, np.arange(10)), gan.generate(np.arange(10)), atol=1e-5
    )
    with pytest.raises(ValueError, match="path"):
        cg.load_cgan_generator(tmp_path / "generator.weights.h5", cg.CGAN_MNIST_SMALL)


def test_unconditional_models_are_refused_with_a_pointer():
    with pytest.raises(ValueError, match="two inputs"):
        cg.ConditionalGAN(
            dcgan.build_dcgan_generator(BODY),
            cg.build_conditional_discriminator(TINY["projection"]),
            8,
        )
    with pytest.raises(ValueError, match="loss"):
        cg.make_cgan(TINY["projection"], RECIPE, loss="wgan_gp")


# ------------------------------------------------------------------- the shipped generator


def test_shipped_generator_draws_the_digit_asked_for():
    """The figure the lesson states: >= 95% label agreement, no class below 85%."""
    generator = cg.load_pretrained_cgan()
    labels = np.repeat(np.arange(10), 100)
    agreement = label_agreement(cg.sample_digits(generator, labels, seed=0), labels)
    assert agreement.overall >= 0.95, agreement
    assert agreement.per_class.min() >= 0.85, agreement.per_class


def test_shipped_generator_is_listed_with_its_sha256():
    from imgen_helpers.data import SHIPPED

    assert cg.PRETRAINED_WEIGHTS in SHIPPED
    assert shipped_path(cg.PRETRAINED_WEIGHTS).stat().st_size < 5 * 2**20


def test_label_agreement_counts_per_requested_class():
    images, labels = _digits(200, seed=5)
    real = label_agreement(images, labels)
    assert real.overall > 0.95 and np.nanmin(real.per_class) > 0.8
    shuffled = label_agreement(images, np.roll(labels, 1))
    assert shuffled.overall < 0.3
    only_threes = label_agreement(images[:10], np.full(10, 3))
    assert np.isnan(only_threes.per_class[np.arange(10) != 3]).all()
