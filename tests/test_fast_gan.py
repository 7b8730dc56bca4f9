"""The speed wing's GAN steps compute what the plain GAN computes (imgen_helpers.fast.gan)."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import ops
from test_gan import assert_every_weight_trains_under_float16, shapes, tiny_gan, value

from imgen_helpers import dcgan, gan, set_seed
from imgen_helpers.data import make_shapes
from imgen_helpers.fast.gan import FastGAN


def test_plain_alternating_fast_gan_is_the_plain_gan():
    """Without reuse_fakes, FastGAN's step is the plain GAN's, bit for bit."""
    data = tf.data.Dataset.from_tensor_slices(shapes(32)).batch(16)
    runs = [tiny_gan(seed=3, cls=cls).fit(data, epochs=1, verbose=0) for cls in (gan.GAN, FastGAN)]
    for key, values in runs[0].history.items():
        assert runs[1].history[key] == pytest.approx(values, rel=1e-6), key


class _TwoPassGAN(FastGAN):
    """The tutorial's simultaneous update written plainly: two tapes, two passes through D."""

    def _simultaneous_step(self, real, batch_size):
        latents = self.latents(batch_size)
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
    config = dcgan.DCGANConfig(width=8, latent_dim=8, discriminator_norm=norm)
    models = []
    for cls in (FastGAN, _TwoPassGAN):
        set_seed(0)
        g, d = dcgan.build_dcgan_generator(config), dcgan.build_dcgan_discriminator(config)
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
    real = tf.constant(make_shapes(16, seed=0)[..., :1] * 2 - 1)
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
    real = tf.constant(make_shapes(16, seed=0)[..., :1] * 2 - 1)
    fused.simultaneous_step_one_pass(real, 16)  # forced, against the model's own choice
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
    real = tf.constant(make_shapes(16, seed=0)[..., :1] * 2 - 1)
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
    """The plain GAN's own pieces, the last critic step and G's step on the same noise."""

    def train_step(self, real):
        batch_size = ops.shape(real)[0]
        for _ in range(self.critic_steps - 1):
            fake = self.generator(self.latents(batch_size), training=True)
            d_loss, *_ = self.discriminator_step(real, fake)
        latents = self.latents(batch_size)
        d_loss, *_ = self.discriminator_step(real, self.generator(latents, training=True))
        g_loss = self.generator_step(latents)
        return {"d_loss": d_loss, "g_loss": g_loss}


@pytest.mark.parametrize("loss, critic_steps", [("non_saturating", 1), ("wgan_gp", 2)])
def test_reusing_the_fakes_equals_a_second_generator_pass_on_the_same_noise(loss, critic_steps):
    models = []
    for cls, extra in ((FastGAN, {"reuse_fakes": True}), (_SameNoiseGAN, {})):
        model = tiny_gan(loss, critic_steps=critic_steps, cls=cls, **extra)  # same seed, weights
        # plain SGD with step 1: the weight change IS the gradient
        model.compile(d_optimizer=keras.optimizers.SGD(1.0), g_optimizer=keras.optimizers.SGD(1.0))
        models.append(model)
    reused, plain = models
    before = [w.numpy() for w in reused.trainable_weights]
    real = tf.constant(make_shapes(16, seed=0)[..., :1] * 2 - 1)
    logs_reused, logs_plain = reused.train_step(real), plain.train_step(real)
    assert value(logs_reused["g_loss"]) == pytest.approx(value(logs_plain["g_loss"]), rel=1e-5)
    moved = _assert_same_steps(before, reused, plain)
    assert moved == len(before) - (loss == "wgan_gp")  # WGAN-GP: not the critic's output bias
    assert int(reused.g_optimizer.iterations) == 1
    assert int(reused.d_optimizer.iterations) == critic_steps
    with pytest.raises(ValueError, match="reuse_fakes"):
        tiny_gan(cls=FastGAN, update="simultaneous", reuse_fakes=True)
    with pytest.raises(ValueError, match="simultaneous"):
        tiny_gan("wgan_gp", cls=FastGAN, update="simultaneous")


@pytest.mark.parametrize("update, reuse", [("alternating", True), ("simultaneous", False)])
def test_every_fast_step_trains_under_mixed_float16_loss_scaling(update, reuse):
    keras.mixed_precision.set_global_policy("mixed_float16")
    assert_every_weight_trains_under_float16(
        tiny_gan(cls=FastGAN, update=update, reuse_fakes=reuse)
    )
