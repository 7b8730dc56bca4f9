"""Tests of imgen_helpers.gan: losses by hand, the gradient penalty, training, checkpoints, data."""

import dataclasses
import math

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import ops
from scipy import stats

from imgen_helpers import gan, set_seed

LN2, LN3 = math.log(2.0), math.log(3.0)
TINY = gan.DCGANConfig(width=8, latent_dim=8, batch_size=16)


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


@pytest.mark.parametrize(
    ("generator", "discriminator", "latent_dim", "shape"),
    [
        (
            gan.build_first_generator(16, (28, 28, 3)),
            gan.build_first_discriminator((28, 28, 3)),
            16,
            (28, 28, 3),
        ),
        (gan.build_dcgan_generator(TINY), gan.build_dcgan_discriminator(TINY), 8, (28, 28, 1)),
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
    config = gan.DCGANConfig(image_shape=(32, 32, 3), width=8, latent_dim=8)
    generator, discriminator = (
        gan.build_dcgan_generator(config),
        gan.build_dcgan_discriminator(config),
    )
    images = generator(np.zeros((2, 8), np.float32))
    assert tuple(images.shape) == (2, 32, 32, 3) and images.dtype == "float32"
    assert discriminator(images).dtype == "float32"


def test_generator_width_and_refine_blocks_shape_the_generator_only():
    base = gan.DCGANConfig(width=8, latent_dim=8)
    wider = gan.DCGANConfig(width=8, latent_dim=8, generator_width=16, refine_blocks=2)
    g_base, g_wide = gan.build_dcgan_generator(base), gan.build_dcgan_generator(wider)
    names = {layer.name for layer in g_wide.layers}
    assert {"refine_0", "refine_1"} <= names and "refine_2" not in names
    assert g_wide.get_layer("refine_0").filters == 32  # 7x7: twice the generator width
    assert g_wide.get_layer("refine_1").filters == 16  # 14x14
    assert g_wide.get_layer("up_0").filters == 16
    images = np.asarray(g_wide(np.random.default_rng(0).standard_normal((3, 8)) * 20))
    assert images.shape == (3, 28, 28, 1) and images.min() >= -1.0 and images.max() <= 1.0
    assert g_wide.count_params() > g_base.count_params()
    d_base, d_wide = gan.build_dcgan_discriminator(base), gan.build_dcgan_discriminator(wider)
    assert d_wide.count_params() == d_base.count_params()  # the discriminator is untouched
    with pytest.raises(ValueError, match="refine_blocks must be between 0 and 2"):
        gan.build_dcgan_generator(gan.DCGANConfig(refine_blocks=3))
    with pytest.raises(ValueError, match="generator_width"):
        gan.build_dcgan_generator(gan.DCGANConfig(generator_width=0))


def test_discriminator_blocks_deepen_the_discriminator_at_its_smallest_resolution():
    base = gan.DCGANConfig(width=8, latent_dim=8)
    deeper = dataclasses.replace(base, discriminator_blocks=2)
    d_base, d_deep = gan.build_dcgan_discriminator(base), gan.build_dcgan_discriminator(deeper)
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
    assert gan.build_dcgan_discriminator(layer_norm).get_layer("deep_1_ln") is not None
    # the generator is untouched
    assert (
        gan.build_dcgan_generator(deeper).count_params()
        == gan.build_dcgan_generator(base).count_params()
    )
    for bad in (-1, 1.5, True):
        with pytest.raises(ValueError, match="discriminator_blocks"):
            gan.build_dcgan_discriminator(dataclasses.replace(base, discriminator_blocks=bad))


def test_builders_reject_bad_sizes_with_a_helpful_message():
    with pytest.raises(ValueError, match="28x28 or 32x32"):
        gan.build_dcgan_generator(gan.DCGANConfig(image_shape=(30, 30, 1)))
    with pytest.raises(ValueError, match="discriminator_norm"):
        gan.build_dcgan_discriminator(gan.DCGANConfig(discriminator_norm="spectral"))
    with pytest.raises(ValueError, match="loss must be one of"):
        gan.GAN(
            gan.build_dcgan_generator(TINY), gan.build_dcgan_discriminator(TINY), 8, loss="hinge"
        )
    with pytest.raises(ValueError, match="simultaneous"):
        gan.GAN(
            gan.build_dcgan_generator(TINY),
            gan.build_dcgan_discriminator(TINY),
            8,
            loss="wgan_gp",
            update="simultaneous",
        )


# ---------------------------------------------------------------- training


def tiny_gan(loss="non_saturating", update="alternating", lr=2e-4, seed=0, **kwargs) -> gan.GAN:
    set_seed(seed)
    norm = "layer" if loss == "wgan_gp" else "batch"
    config = gan.DCGANConfig(width=8, latent_dim=8, batch_size=16, discriminator_norm=norm)
    model = gan.GAN(
        gan.build_dcgan_generator(config),
        gan.build_dcgan_discriminator(config),
        8,
        loss=loss,
        update=update,
        seed=seed,
        **kwargs,
    )
    model.compile(
        d_optimizer=keras.optimizers.Adam(lr, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(lr, beta_1=0.5),
    )
    return model


@pytest.mark.parametrize("update", ["alternating", "simultaneous"])
def test_one_train_step_on_separable_batch_lowers_discriminator_loss(update):
    model = tiny_gan(update=update, lr=1e-2)
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


class _TwoPassGAN(gan.GAN):
    """The tutorial's simultaneous update written plainly: two tapes, two passes through D."""

    def _simultaneous_step(self, real, batch_size):
        latents = self._latents(batch_size)
        with tf.GradientTape() as d_tape, tf.GradientTape() as g_tape:
            fake = self.generator(latents, training=True)
            real_out = self.discriminator(real, training=True)
            fake_out = self.discriminator(fake, training=True)
            d_loss = self.d_loss_fn(real_out, fake_out)
            g_loss = self.g_loss_fn(fake_out)
        d_vars = self.discriminator.trainable_variables
        g_vars = self.generator.trainable_variables
        d_grads = d_tape.gradient(d_loss, d_vars)
        g_grads = g_tape.gradient(g_loss, g_vars)
        self.d_optimizer.apply_gradients(zip(d_grads, d_vars, strict=True))
        self.g_optimizer.apply_gradients(zip(g_grads, g_vars, strict=True))
        if self.clip_value is not None:
            gan.clip_weights(self.discriminator, self.clip_value)
        return d_loss, g_loss, real_out, fake_out, tf.zeros(())


def _assert_same_steps(before, model, reference) -> int:
    """Both models moved every weight by the same step (relative to the largest); returns how
    many weights moved at all."""
    moved = 0
    for w0, a, b in zip(before, model.trainable_weights, reference.trainable_weights, strict=True):
        step, step_reference = w0 - a.numpy(), w0 - b.numpy()
        scale = np.abs(step_reference).max() + 1e-12
        np.testing.assert_allclose(step / scale, step_reference / scale, atol=1e-4)
        moved += np.abs(step_reference).max() > 0
    return moved


def _simultaneous_pair(loss, logit_bias=None, norm="none"):
    config = gan.DCGANConfig(width=8, latent_dim=8, batch_size=16, discriminator_norm=norm)
    models = []
    for cls in (gan.GAN, _TwoPassGAN):
        set_seed(0)
        g, d = gan.build_dcgan_generator(config), gan.build_dcgan_discriminator(config)
        if logit_bias is not None:
            d.get_layer("logit").bias.assign([logit_bias])
        model = cls(g, d, 8, loss=loss, update="simultaneous", seed=0)
        # plain SGD with step 1: the weight change IS the gradient
        model.compile(d_optimizer=keras.optimizers.SGD(1.0), g_optimizer=keras.optimizers.SGD(1.0))
        models.append(model)
    return models


@pytest.mark.parametrize(
    "loss, norm",
    [
        ("minimax", "none"),
        ("non_saturating", "none"),
        ("lsgan", "none"),
        ("wgan", "none"),
        ("non_saturating", "layer"),  # per-sample normalisation: still one pass
        ("non_saturating", "batch"),  # batch norm: the two-pass path
    ],
)
def test_simultaneous_step_with_one_pass_through_d_equals_two_passes(loss, norm):
    fused, plain = _simultaneous_pair(loss, norm=norm)
    assert fused._couples_samples == (norm == "batch")
    before = [w.numpy() for w in fused.trainable_weights]
    real = tf.constant(gan.make_shapes(16, seed=0)[..., :1] * 2 - 1)
    fused.train_step(real)
    plain.train_step(real)
    moved = _assert_same_steps(before, fused, plain)
    # every weight of both players got a gradient, except, for WGAN, the critic's output bias:
    # mean(fake) - mean(real) does not depend on it
    assert moved == len(before) - (loss == "wgan")


def test_one_pass_would_be_wrong_with_batch_norm_which_is_why_it_is_not_used():
    """Batch statistics tie every logit to every sample: per-sample rescaling is then wrong."""
    fused, plain = _simultaneous_pair("non_saturating", norm="batch")
    before = [w.numpy() for w in fused.generator.trainable_weights]
    real = tf.constant(gan.make_shapes(16, seed=0)[..., :1] * 2 - 1)
    fused._simultaneous_step_one_pass(real, 16)  # forced, against the model's own choice
    plain.train_step(real)
    gaps = [
        np.abs((w0 - a.numpy()) - (w0 - b.numpy())).max() / (np.abs(w0 - b.numpy()).max() + 1e-12)
        for w0, a, b in zip(
            before,
            fused.generator.trainable_weights,
            plain.generator.trainable_weights,
            strict=True,
        )
    ]
    assert max(gaps) > 1e-2


def test_simultaneous_step_stays_exact_when_the_discriminator_is_certain():
    """Logits near -90: d(d_loss)/d(logit) is below float32's normal range; G's is about 1."""
    fused, plain = _simultaneous_pair("non_saturating", logit_bias=-90.0)
    before = [w.numpy() for w in fused.generator.trainable_weights]
    real = tf.constant(gan.make_shapes(16, seed=0)[..., :1] * 2 - 1)
    fused.train_step(real)
    plain.train_step(real)
    for w0, a, b in zip(
        before, fused.generator.trainable_weights, plain.generator.trainable_weights, strict=True
    ):
        step_fused, step_plain = w0 - a.numpy(), w0 - b.numpy()
        assert np.all(np.isfinite(step_fused))
        scale = np.abs(step_plain).max()
        assert scale > 0
        np.testing.assert_allclose(step_fused / scale, step_plain / scale, atol=1e-4)


class _SameNoiseGAN(gan.GAN):
    """Alternating updates written plainly, the last critic step and G's step on the same noise."""

    def train_step(self, real):
        batch_size = ops.shape(real)[0]
        for _ in range(self.critic_steps - 1):
            d_loss, *_ = self._discriminator_step(real, batch_size)
        latents = self._latents(batch_size)
        d_loss, *_ = self._discriminator_step(
            real, batch_size, fake=self.generator(latents, training=True)
        )
        with tf.GradientTape() as tape:
            fake_out = self.discriminator(self.generator(latents, training=True), training=True)
            g_loss = self.g_loss_fn(fake_out)
        g_vars = self.generator.trainable_variables
        grads = tape.gradient(g_loss, g_vars)
        self.g_optimizer.apply_gradients(zip(grads, g_vars, strict=True))
        return {"d_loss": d_loss, "g_loss": g_loss}


@pytest.mark.parametrize("loss, critic_steps", [("non_saturating", 1), ("wgan_gp", 2)])
def test_reusing_the_fakes_equals_a_second_generator_pass_on_the_same_noise(loss, critic_steps):
    models = []
    for cls, reuse in ((gan.GAN, True), (_SameNoiseGAN, False)):
        model = tiny_gan(loss, critic_steps=critic_steps, reuse_fakes=reuse)
        model.__class__ = cls  # same weights and seed; only the step differs
        # plain SGD with step 1: the weight change IS the gradient
        model.compile(d_optimizer=keras.optimizers.SGD(1.0), g_optimizer=keras.optimizers.SGD(1.0))
        models.append(model)
    reused, plain = models
    before = [w.numpy() for w in reused.trainable_weights]
    real = tf.constant(gan.make_shapes(16, seed=0)[..., :1] * 2 - 1)
    logs_reused, logs_plain = reused.train_step(real), plain.train_step(real)
    assert value(logs_reused["g_loss"]) == pytest.approx(value(logs_plain["g_loss"]), rel=1e-5)
    moved = _assert_same_steps(before, reused, plain)
    assert moved == len(before) - (loss == "wgan_gp")  # WGAN-GP: not the critic's output bias
    assert int(reused.g_optimizer.iterations) == 1
    assert int(reused.d_optimizer.iterations) == critic_steps
    with pytest.raises(ValueError, match="reuse_fakes"):
        tiny_gan(update="simultaneous", reuse_fakes=True)


@pytest.mark.parametrize(
    "update, reuse", [("alternating", False), ("alternating", True), ("simultaneous", False)]
)
def test_every_update_trains_under_mixed_float16_loss_scaling(update, reuse):
    """The Colab GPU policy: the loss-scale optimizers must get a gradient for every weight."""
    keras.mixed_precision.set_global_policy("mixed_float16")
    model = tiny_gan(update=update, reuse_fakes=reuse)
    assert isinstance(model.g_optimizer, keras.optimizers.LossScaleOptimizer)
    before = [w.numpy() for w in model.trainable_weights]
    data = tf.data.Dataset.from_tensor_slices(gan.make_shapes(32, seed=0)[..., :1]).batch(16)
    history = model.fit(data, epochs=1, verbose=0)
    assert np.isfinite(history.history["g_loss"][-1])
    unchanged = [
        w.path
        for w, w0 in zip(model.trainable_weights, before, strict=True)
        if np.array_equal(w.numpy(), w0)
    ]
    assert not unchanged


@pytest.mark.parametrize("loss", sorted(gan.LOSSES))
def test_every_loss_trains_with_fit_and_stays_finite(loss):
    model = tiny_gan(loss, critic_steps=2 if loss.startswith("wgan") else 1)
    data = tf.data.Dataset.from_tensor_slices(gan.make_shapes(32, seed=0)[..., :1]).batch(16)
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
    model.train_step(tf.constant(gan.make_shapes(16, seed=0)[..., :1]))
    after = model.generator.get_weights()
    assert not np.allclose(after[0], before[0])
    for average, old, new in zip(model.ema_generator.get_weights(), before, after, strict=True):
        np.testing.assert_allclose(average, 0.9 * old + 0.1 * new, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="ema"):
        tiny_gan(ema=1.5)


def test_training_is_repeatable_with_the_same_seed():
    data = tf.data.Dataset.from_tensor_slices(gan.make_shapes(32, seed=0)[..., :1]).batch(16)
    runs = [tiny_gan(seed=5).fit(data, epochs=1, verbose=0).history for _ in range(2)]
    assert runs[0]["d_loss"] == pytest.approx(runs[1]["d_loss"], rel=1e-5)
    assert runs[0]["g_loss"] == pytest.approx(runs[1]["g_loss"], rel=1e-5)


# ---------------------------------------------------------------- callbacks


def test_checkpoint_resume_continues_at_saved_epoch_with_saved_weights(tmp_path):
    data = tf.data.Dataset.from_tensor_slices(gan.make_shapes(32, seed=0)[..., :1]).batch(16)
    first = tiny_gan(seed=0)
    first.fit(data, epochs=2, verbose=0, callbacks=[gan.Checkpoint(tmp_path, every=1)])
    path, epoch = gan.latest_checkpoint(tmp_path)
    assert epoch == 2 and path.endswith("epoch_0002.weights.h5")

    resumed = tiny_gan(seed=1)  # different initial weights: loading must overwrite them
    assert not np.allclose(resumed.generator.get_weights()[0], first.generator.get_weights()[0])
    resumed.load_checkpoint(path)
    for saved, loaded in zip(first.get_weights(), resumed.get_weights(), strict=True):
        np.testing.assert_array_equal(saved, loaded)
    assert int(resumed.d_optimizer.iterations) == 4 and int(resumed.g_optimizer.iterations) == 4

    history = resumed.fit(
        data,
        epochs=3,
        initial_epoch=epoch,
        verbose=0,
        callbacks=[gan.Checkpoint(tmp_path, every=1)],
    )
    assert history.epoch == [2]  # ran only the third epoch: it continued, it did not restart
    assert int(resumed.g_optimizer.iterations) == 6
    assert gan.latest_checkpoint(tmp_path)[1] == 3

    # The resumed run equals an uninterrupted 3-epoch run (same seed, same data order).
    straight = tiny_gan(seed=0)
    straight.fit(data, epochs=3, verbose=0)
    for a, b in zip(straight.generator.get_weights(), resumed.generator.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_latest_checkpoint_is_none_without_checkpoints(tmp_path):
    assert gan.latest_checkpoint(tmp_path) is None
    assert gan.latest_checkpoint(tmp_path / "missing") is None


def test_sample_grid_collects_frames_and_writes_gif(tmp_path):
    model = tiny_gan()
    grid = gan.SampleGrid(np.zeros((4, 8), np.float32), every=2, show=False, include_start=True)
    data = tf.data.Dataset.from_tensor_slices(gan.make_shapes(16, seed=0)[..., :1]).batch(16)
    model.fit(data, epochs=3, verbose=0, callbacks=[grid])
    assert grid.epochs == [0, 2, 3]
    assert all(
        f.shape == grid.frames[0].shape and 0 <= f.min() and f.max() <= 1 for f in grid.frames
    )
    assert (tmp_path / "p.gif").exists() is False
    grid.save_gif(tmp_path / "p.gif")
    assert (tmp_path / "p.gif").stat().st_size > 0


def test_interpolate_latents_hits_both_ends():
    rng = np.random.default_rng(0)
    start, end = rng.standard_normal(8), rng.standard_normal(8)
    for method in ("slerp", "linear"):
        path = gan.interpolate_latents(start, end, steps=5, method=method)
        assert path.shape == (5, 8)
        np.testing.assert_allclose(path[0], start, atol=1e-5)
        np.testing.assert_allclose(path[-1], end, atol=1e-5)


# ---------------------------------------------------------------- data


def test_shapes_are_seeded_deterministic_and_in_range():
    a, b, c = gan.make_shapes(64, seed=7), gan.make_shapes(64, seed=7), gan.make_shapes(64, seed=8)
    assert a.shape == (64, 28, 28, 3) and a.dtype == np.float32
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert a.min() == -1.0 and a.max() == 1.0
    lit = (a > -1).any(axis=-1).mean(axis=(1, 2))  # share of coloured pixels per image
    assert lit.min() > 0.03 and lit.max() < 0.6  # every image has one visible, bounded shape


def test_shapes_dataset_is_unlimited_and_repeatable():
    data = gan.shapes_dataset(batch_size=8, seed=3)
    assert data.cardinality() == tf.data.INFINITE_CARDINALITY and data.take(3).cardinality() == 3
    first = [np.asarray(x) for x in data.take(3)]
    again = [np.asarray(x) for x in data.take(3)]
    assert len(first) == 3 and first[0].shape == (8, 28, 28, 3)
    for x, y in zip(first, again, strict=True):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(first[0], first[1])
    assert len(list(data.take(50))) == 50


def test_mnist_dataset_is_symmetric_range_whole_batches():
    data = gan.mnist_dataset(batch_size=64, source="offline", limit=200, verbose=False)
    batches = [np.asarray(x) for x in data]
    assert len(batches) == 3  # 200 // 64, the partial batch dropped
    assert all(b.shape == (64, 28, 28, 1) for b in batches)
    x = np.concatenate(batches)
    assert x.min() == -1.0 and x.max() == 1.0
