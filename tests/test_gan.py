"""Tests of imgen_helpers.gan: losses by hand, the gradient penalty, the GAN's training step."""

import math

import keras
import numpy as np
import pytest
import tensorflow as tf
from scipy import stats

from imgen_helpers import callbacks, dcgan, gan, set_seed
from imgen_helpers.data import make_shapes

LN2, LN3 = math.log(2.0), math.log(3.0)


def value(x) -> float:
    return float(np.asarray(x))


# ------------------------------------------------------------------ losses vs hand-computed values
# logits 0, ln 3, -ln 3 are probabilities sigmoid = 1/2, 3/4, 1/4.


def test_minimax_discriminator_loss_by_hand():
    real = np.array([[0.0], [LN3]], np.float32)  # D(x) = 1/2, 3/4
    fake = np.array([[0.0], [-LN3]], np.float32)  # D(G(z)) = 1/2, 1/4
    # -mean log D(x) - mean log(1 - D(G(z))) = (ln 2 + ln 4/3)/2 + (ln 2 + ln 4/3)/2
    expected = LN2 + math.log(4 / 3)
    assert value(gan.discriminator_loss_minimax(real, fake)) == pytest.approx(expected, rel=1e-6)


def test_generator_losses_by_hand():
    fake = np.array([0.0, -LN3], np.float32)  # D(G(z)) = 1/2, 1/4
    saturating = (math.log(0.5) + math.log(0.75)) / 2  # mean log(1 - D)
    non_saturating = (LN2 + math.log(4.0)) / 2  # -mean log D
    assert value(gan.generator_loss_minimax(fake)) == pytest.approx(saturating, rel=1e-6)
    assert value(gan.generator_loss_non_saturating(fake)) == pytest.approx(non_saturating, rel=1e-6)


def test_lsgan_losses_by_hand():
    real = np.array([1.0, 0.0], np.float32)
    fake = np.array([0.0, 2.0], np.float32)
    # 0.5 * mean((1-1)^2, (0-1)^2) + 0.5 * mean(0^2, 2^2) = 0.25 + 1.0
    assert value(gan.lsgan_discriminator_loss(real, fake)) == pytest.approx(1.25, rel=1e-6)
    # 0.5 * mean((0-1)^2, (2-1)^2) = 0.5
    assert value(gan.lsgan_generator_loss(fake)) == pytest.approx(0.5, rel=1e-6)


def test_wasserstein_losses_by_hand():
    real = np.array([[1.0], [3.0]], np.float32)  # mean 2
    fake = np.array([[0.5], [1.5]], np.float32)  # mean 1
    assert value(gan.wasserstein_critic_loss(real, fake)) == pytest.approx(-1.0, rel=1e-6)
    assert value(gan.wasserstein_generator_loss(fake)) == pytest.approx(-1.0, rel=1e-6)


def test_losses_accept_bfloat16_and_stay_finite_for_extreme_logits():
    huge = tf.constant([[-200.0], [200.0]], tf.bfloat16)
    for name, (d_loss, g_loss) in gan.LOSSES.items():
        d, g = d_loss(huge, -huge), g_loss(huge)
        assert d.dtype == "float32" and g.dtype == "float32", name
        assert np.isfinite(value(d)) and np.isfinite(value(g)), name
    # A confident, correct discriminator has (almost) zero minimax loss, not NaN.
    assert value(gan.discriminator_loss_minimax(np.array([50.0]), np.array([-50.0]))) < 1e-12


def test_clip_weights_bounds_every_weight():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, kernel_initializer="ones")])
    gan.clip_weights(model, 0.01)
    assert max(np.abs(w).max() for w in model.get_weights()) <= 0.01 + 1e-9
    with pytest.raises(ValueError, match="positive"):
        gan.clip_weights(model, 0.0)


# ---------------------------------------------------------------- gradient penalty


def linear_critic(shape, norm: float) -> keras.Model:
    """f(x) = w . flatten(x) + b with ||w||_2 = norm, so ||grad f|| = norm everywhere."""
    size = int(np.prod(shape))
    w = np.random.default_rng(0).standard_normal((size, 1)).astype(np.float32)
    w *= norm / np.linalg.norm(w)
    inputs = keras.Input(shape)
    x = keras.layers.Flatten()(inputs)
    out = keras.layers.Dense(1, name="linear")(x)
    model = keras.Model(inputs, out)
    model.get_layer("linear").set_weights([w, np.array([0.3], np.float32)])
    return model


@pytest.mark.parametrize("shape", [(28, 28, 1), (2,)])
def test_gradient_penalty_zero_for_unit_norm_linear_critic(shape):
    rng = np.random.default_rng(1)
    real = rng.standard_normal((16, *shape)).astype(np.float32)
    fake = rng.standard_normal((16, *shape)).astype(np.float32)
    assert value(gan.gradient_penalty(linear_critic(shape, 1.0), real, fake, seed=0)) < 1e-6
    # ||grad|| = 2 everywhere: penalty (2 - 1)^2 = 1; ||grad|| = 0.5: (0.5 - 1)^2 = 0.25.
    assert value(gan.gradient_penalty(linear_critic(shape, 2.0), real, fake, seed=0)) == (
        pytest.approx(1.0, rel=1e-4)
    )
    assert value(gan.gradient_penalty(linear_critic(shape, 0.5), real, fake, seed=0)) == (
        pytest.approx(0.25, rel=1e-4)
    )


def test_gradient_penalty_is_taken_between_real_and_fake_with_uniform_weights():
    # Critic 0.5 ||x||^2 has gradient x. With real = 0 and ||fake_i|| = 1 the gradient norm
    # at the mixed point is eps_i, so the penalty is E (eps - 1)^2 = 1/3 for eps ~ U[0, 1]
    # (it would be 2 for eps ~ N(0, 1), keras-io's old bug, and 0 for eps = 1).
    inputs = keras.Input((2,))
    critic = keras.Model(inputs, 0.5 * keras.ops.sum(inputs**2, axis=1, keepdims=True))
    n = 20000
    angles = np.random.default_rng(2).uniform(0, 2 * np.pi, n)
    fake = np.stack([np.cos(angles), np.sin(angles)], 1).astype(np.float32)
    penalty = value(gan.gradient_penalty(critic, np.zeros_like(fake), fake, seed=3))
    assert penalty == pytest.approx(1 / 3, abs=0.01)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize(("rank", "shape"), [(4, (5000, 1, 1, 1)), (2, (5000, 1))])
def test_interpolation_weights_are_uniform_on_unit_interval(seed, rank, shape):
    eps = np.asarray(gan.interpolation_weights(5000, rank, seed=seed))
    assert eps.shape == shape
    assert eps.min() >= 0.0 and eps.max() <= 1.0
    assert eps.mean() == pytest.approx(0.5, abs=0.02)
    assert eps.var() == pytest.approx(1 / 12, abs=0.005)
    assert stats.kstest(eps.ravel(), "uniform").pvalue > 1e-3


# ---------------------------------------------------------------- builders


def tiny_gan(loss="non_saturating", lr=2e-4, seed=0, cls=None, **kwargs) -> gan.GAN:
    """A seeded GAN of two 8-filter DCGAN players (layer norm in D for WGAN-GP)."""
    set_seed(seed)
    norm = "layer" if loss == "wgan_gp" else "batch"
    config = dcgan.DCGANConfig(width=8, latent_dim=8, discriminator_norm=norm)
    model = (cls or gan.GAN)(
        dcgan.build_dcgan_generator(config),
        dcgan.build_dcgan_discriminator(config),
        8,
        loss=loss,
        seed=seed,
        **kwargs,
    )
    model.compile(
        d_optimizer=keras.optimizers.Adam(lr, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(lr, beta_1=0.5),
    )
    return model


def shapes(n: int) -> np.ndarray:
    """n grey images in [-1, 1]: the first channel of the procedural shapes."""
    return make_shapes(n, seed=0)[..., :1]


def test_first_gan_images_in_range_with_requested_shape():
    generator = gan.build_first_generator(16, (28, 28, 3))
    discriminator = gan.build_first_discriminator((28, 28, 3))
    images = np.asarray(generator(np.random.default_rng(0).standard_normal((4, 16)) * 50))
    assert images.shape == (4, 28, 28, 3)
    assert images.min() >= -1.0 and images.max() <= 1.0
    logits = discriminator(images)
    assert tuple(logits.shape) == (4, 1) and logits.dtype == "float32"


def test_gan_rejects_bad_arguments_and_names_the_speed_wing_for_moved_ones():
    config = dcgan.DCGANConfig(width=8, latent_dim=8)
    players = dcgan.build_dcgan_generator(config), dcgan.build_dcgan_discriminator(config)
    with pytest.raises(ValueError, match="loss must be one of"):
        gan.GAN(*players, 8, loss="hinge")
    with pytest.raises(ValueError, match="critic_steps"):
        gan.GAN(*players, 8, critic_steps=0)
    for moved in ({"update": "simultaneous"}, {"reuse_fakes": True}):
        with pytest.raises(TypeError, match="imgen_helpers.fast.gan.FastGAN"):
            gan.GAN(*players, 8, **moved)


def test_moved_names_say_where_they_went():
    for name, where in (
        ("mnist_dataset", "imgen_helpers.data.mnist_dataset"),
        ("DCGAN_MNIST_SMALL", "imgen_helpers.dcgan.DCGAN_MNIST_SMALL"),
        ("Checkpoint", "imgen_helpers.callbacks.Checkpoint"),
    ):
        with pytest.raises(AttributeError, match=where):
            getattr(gan, name)
    with pytest.raises(AttributeError, match="has no attribute 'nonsense'"):
        gan.nonsense  # noqa: B018
    for old, new in (("layers", "imgen_helpers.fast.layers"), ("checkpoints", "callbacks")):
        with pytest.raises(ImportError, match=new):
            __import__(f"imgen_helpers.{old}")


# ---------------------------------------------------------------- training


def test_one_train_step_on_separable_batch_lowers_discriminator_loss():
    model = tiny_gan(lr=1e-2)
    real = np.ones((16, 28, 28, 1), np.float32)  # all-white images: trivially separable
    fake = model.generator(np.random.default_rng(0).standard_normal((16, 8)), training=False)

    def d_loss():
        d = model.discriminator  # batch statistics, as during the training step
        return value(gan.discriminator_loss_minimax(d(real, training=True), d(fake, training=True)))

    before = d_loss()
    logs = model.train_step(tf.constant(real))
    after = d_loss()
    assert after < before - 0.05, (before, after)
    assert set(logs) == {"d_loss", "g_loss", "d_real", "d_fake", "gp"}
    assert 0.0 <= value(logs["d_real"]) <= 1.0 and 0.0 <= value(logs["d_fake"]) <= 1.0


def assert_every_weight_trains_under_float16(model: gan.GAN) -> None:
    """The Colab GPU policy: the loss-scale optimizers must get a gradient for every weight."""
    assert isinstance(model.g_optimizer, keras.optimizers.LossScaleOptimizer)
    before = [w.numpy() for w in model.trainable_weights]
    history = model.fit(tf.data.Dataset.from_tensor_slices(shapes(32)).batch(16), verbose=0)
    assert np.isfinite(history.history["g_loss"][-1])
    unchanged = [
        w.path
        for w, w0 in zip(model.trainable_weights, before, strict=True)
        if np.array_equal(w.numpy(), w0)
    ]
    assert not unchanged


def test_plain_step_trains_under_mixed_float16_loss_scaling():
    keras.mixed_precision.set_global_policy("mixed_float16")
    assert_every_weight_trains_under_float16(tiny_gan())


@pytest.mark.parametrize("loss", sorted(gan.LOSSES))
def test_every_loss_trains_with_fit_and_stays_finite(loss):
    model = tiny_gan(loss, critic_steps=2 if loss.startswith("wgan") else 1)
    data = tf.data.Dataset.from_tensor_slices(shapes(32)).batch(16)
    history = model.fit(data, epochs=1, verbose=0)
    for name in ("d_loss", "g_loss", "d_real", "d_fake", "gp"):
        assert np.isfinite(history.history[name][-1]), name
    assert (history.history["gp"][-1] > 0) == (loss == "wgan_gp")
    assert int(model.d_optimizer.iterations) == 2 * (2 if loss.startswith("wgan") else 1)
    assert int(model.g_optimizer.iterations) == 2
    if loss == "wgan":  # clipped to the paper's 0.01 by default
        assert max(np.abs(w).max() for w in model.discriminator.trainable_weights) <= 0.01 + 1e-7


def test_gan_trains_on_2d_points_with_gradient_penalty():
    set_seed(0)
    generator = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(2)]
    )
    critic = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)]
    )
    model = gan.GAN(generator, critic, 4, loss="wgan_gp", critic_steps=3, seed=0)
    model.compile(d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.Adam(1e-3))
    points = np.random.default_rng(0).standard_normal((64, 2)).astype(np.float32)
    history = model.fit(points, batch_size=32, epochs=1, verbose=0)
    assert np.isfinite(history.history["d_loss"][-1]) and history.history["gp"][-1] > 0


def test_ema_generator_is_the_running_average_of_the_weights():
    model = tiny_gan(ema=0.9)
    before = model.generator.get_weights()
    np.testing.assert_array_equal(model.ema_generator.get_weights()[0], before[0])
    model.train_step(tf.constant(shapes(16)))
    after = model.generator.get_weights()
    assert not np.allclose(after[0], before[0])
    for average, old, new in zip(model.ema_generator.get_weights(), before, after, strict=True):
        np.testing.assert_allclose(average, 0.9 * old + 0.1 * new, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="ema"):
        tiny_gan(ema=1.5)


def test_training_is_repeatable_with_the_same_seed():
    data = tf.data.Dataset.from_tensor_slices(shapes(32)).batch(16)
    runs = [tiny_gan(seed=5).fit(data, epochs=1, verbose=0).history for _ in range(2)]
    assert runs[0]["d_loss"] == pytest.approx(runs[1]["d_loss"], rel=1e-5)
    assert runs[0]["g_loss"] == pytest.approx(runs[1]["g_loss"], rel=1e-5)


# ---------------------------------------------------------------- callbacks


def test_checkpoint_resume_continues_at_saved_epoch_with_saved_weights(tmp_path):
    data = tf.data.Dataset.from_tensor_slices(shapes(32)).batch(16)
    first = tiny_gan(seed=0)
    first.fit(data, epochs=2, verbose=0, callbacks=[callbacks.Checkpoint(tmp_path, every=1)])
    path, epoch = callbacks.latest_checkpoint(tmp_path)
    assert epoch == 2 and path.endswith("epoch_0002.weights.h5")

    resumed = tiny_gan(seed=1)  # different initial weights: loading must overwrite them
    assert not np.allclose(resumed.generator.get_weights()[0], first.generator.get_weights()[0])
    callbacks.restore_checkpoint(resumed, path)
    for saved, loaded in zip(first.get_weights(), resumed.get_weights(), strict=True):
        np.testing.assert_array_equal(saved, loaded)
    assert int(resumed.d_optimizer.iterations) == 4 and int(resumed.g_optimizer.iterations) == 4

    history = resumed.fit(
        data,
        epochs=3,
        initial_epoch=epoch,
        verbose=0,
        callbacks=[callbacks.Checkpoint(tmp_path, every=1)],
    )
    assert history.epoch == [2]  # ran only the third epoch: it continued, it did not restart
    assert int(resumed.g_optimizer.iterations) == 6
    assert callbacks.latest_checkpoint(tmp_path)[1] == 3

    # The resumed run equals an uninterrupted 3-epoch run (same seed, same data order).
    straight = tiny_gan(seed=0)
    straight.fit(data, epochs=3, verbose=0)
    for a, b in zip(straight.generator.get_weights(), resumed.generator.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_latest_checkpoint_is_none_without_checkpoints_and_a_mistyped_folder_says_so(tmp_path):
    assert callbacks.latest_checkpoint(tmp_path) is None
    with pytest.raises(FileNotFoundError, match="missing"):
        callbacks.latest_checkpoint(tmp_path / "missing")


def test_interpolate_latents_hits_both_ends():
    rng = np.random.default_rng(0)
    start, end = rng.standard_normal(8), rng.standard_normal(8)
    for method in ("slerp", "linear"):
        path = gan.interpolate_latents(start, end, steps=5, method=method)
        assert path.shape == (5, 8)
        np.testing.assert_allclose(path[0], start, atol=1e-5)
        np.testing.assert_allclose(path[-1], end, atol=1e-5)


# ---------------------------------------------------------------- data
