"""The speed wing's GAN: the plain :class:`imgen_helpers.gan.GAN` with two cheaper steps.

:class:`FastGAN` trains the same two players with the same losses; it changes only how a step
is computed, behind two arguments:

* ``reuse_fakes=True`` (alternating updates): the generator step differentiates through the
  fake batch of the last discriminator step, against the updated discriminator, instead of
  generating a new batch (as PyTorch's DCGAN example does). That is exactly the plain step with
  the same noise for both players, one generator forward pass cheaper; the chain rule is split
  in two (:meth:`FastGAN.generator_step_on`). ``tests/test_fast_gan.py`` checks the weights
  after a step against the plain :class:`~imgen_helpers.gan.GAN`'s pieces.
* ``update="simultaneous"``: both players' gradients from ONE forward pass, applied together:
  the TensorFlow DCGAN tutorial's update rule, with one backward pass through the
  discriminator for both (exact; see :meth:`FastGAN.simultaneous_step_one_pass`).

Measured in ``benchmarks/dcgan.py`` (history in ``benchmarks/RESULTS.md``). Switched on by
``imgen_helpers.dcgan.DCGANRecipe(fast=True)``.
"""

from __future__ import annotations

import keras
import tensorflow as tf
from keras import layers, ops

from .. import checks
from ..gan import GAN, _apply, _f32, clip_weights


def _all_layers(model: keras.Layer) -> list[keras.Layer]:
    """Every layer inside ``model``, nested models included."""
    found = []
    for layer in getattr(model, "layers", []):
        found.append(layer)
        found.extend(_all_layers(layer))
    return found


class FastGAN(GAN):
    """:class:`imgen_helpers.gan.GAN` with reused fakes or the one-pass simultaneous update.

    Args:
        *args, **kwargs: as for :class:`~imgen_helpers.gan.GAN`.
        update: ``"alternating"`` (the plain GAN's order) or ``"simultaneous"`` (the TensorFlow
            tutorial's: both players from one forward pass; needs ``critic_steps=1`` and no
            gradient penalty).
        reuse_fakes: alternating only: the generator step reuses the last discriminator step's
            fakes (the plain step with the same noise for both players, one pass cheaper).
    """

    def __init__(self, *args, update: str = "alternating", reuse_fakes: bool = False, **kwargs):
        update = checks.one_of("update", update, ("alternating", "simultaneous"))
        reuse_fakes = checks.boolean("reuse_fakes", reuse_fakes)
        super().__init__(*args, **kwargs)
        if update == "simultaneous" and (self.critic_steps != 1 or self.loss_name == "wgan_gp"):
            raise ValueError(
                "update='simultaneous' needs critic_steps=1 and a loss without gradient penalty; "
                "use update='alternating' for WGAN-style training."
            )
        if reuse_fakes and update != "alternating":
            raise ValueError(
                "reuse_fakes=True applies to update='alternating' (the simultaneous step already "
                "uses one fake batch for both players)."
            )
        self.update, self.reuse_fakes = update, reuse_fakes
        # batch statistics tie each logit to the whole batch (see simultaneous_step_one_pass)
        self._couples_samples = any(
            isinstance(layer, layers.BatchNormalization)
            for layer in _all_layers(self.discriminator)
        )

    def train_step(self, data):
        """One round of the game, computed the cheaper way the arguments chose."""
        real = _f32(data[0] if isinstance(data, tuple | list) else data)
        batch_size = ops.shape(real)[0]
        if self.update == "simultaneous":
            d_loss, g_loss, real_out, fake_out, gp = self._simultaneous_step(real, batch_size)
        elif not self.reuse_fakes:
            return super().train_step(data)
        else:
            for _ in range(self.critic_steps - 1):  # unrolled when traced
                fake = self.generator(self.latents(batch_size), training=True)
                d_loss, real_out, fake_out, gp = self.discriminator_step(real, fake)
            with tf.GradientTape() as fake_tape:
                fake = self.generator(self.latents(batch_size), training=True)
            d_loss, real_out, fake_out, gp = self.discriminator_step(real, ops.stop_gradient(fake))
            g_loss = self.generator_step_on(fake, fake_tape)
        self.update_ema()
        return self.record(d_loss, g_loss, real_out, fake_out, gp)

    def generator_step_on(self, fake, fake_tape):
        """The generator step on ``fake``, whose forward pass ``fake_tape`` recorded.

        The chain rule split in two: the gradient of G's loss with respect to the fakes (through
        the updated discriminator), then that gradient pulled back through the recorded forward.
        """
        with tf.GradientTape() as tape:
            tape.watch(fake)
            g_loss = self.g_loss_fn(_f32(self.discriminator(fake, training=True)))
            scaled = self.g_optimizer.scale_loss(g_loss)
        upstream = tape.gradient(scaled, fake)
        g_vars = self.generator.trainable_variables
        grads = fake_tape.gradient(fake, g_vars, output_gradients=upstream)
        self.g_optimizer.apply_gradients(zip(grads, g_vars, strict=True))
        return g_loss

    def _simultaneous_step(self, real, batch_size):
        """Both players' gradients from one forward pass (the tutorial's update rule)."""
        if self._couples_samples:
            return self.simultaneous_step_two_passes(real, batch_size)
        return self.simultaneous_step_one_pass(real, batch_size)

    def simultaneous_step_two_passes(self, real, batch_size):
        """The tutorial's loop as written: two tapes, two backward passes through D."""
        latents = self.latents(batch_size)
        with tf.GradientTape() as d_tape, tf.GradientTape() as g_tape:
            fake = self.generator(latents, training=True)
            real_out = _f32(self.discriminator(real, training=True))
            fake_out = _f32(self.discriminator(fake, training=True))
            d_loss = self.d_loss_fn(real_out, fake_out)
            g_loss = self.g_loss_fn(fake_out)
        _apply(self.d_optimizer, d_tape, d_loss, self.discriminator.trainable_variables)
        _apply(self.g_optimizer, g_tape, g_loss, self.generator.trainable_variables)
        if self.clip_value is not None:
            clip_weights(self.discriminator, self.clip_value)
        return d_loss, g_loss, real_out, fake_out, ops.zeros((), "float32")

    def simultaneous_step_one_pass(self, real, batch_size):
        """Both players' gradients from one forward pass AND one backward pass through D.

        The tutorial's loop differentiates twice through the discriminator on the fake batch:
        once for D's loss (to D's weights) and once for G's loss (to the fake images). Both
        losses reach D through the same per-sample logit, so D's backward pass is the same
        linear map applied to two per-sample scalars: ``a_i = d d_loss / d logit_i`` and
        ``b_i = d g_loss / d logit_i``. One backward pass with ``a`` gives D's weight gradient
        and ``a_i * d logit_i / d fake_i``; multiplying sample i by ``b_i / a_i`` turns the
        latter into exactly G's upstream gradient. Where ``|a_i|`` is below 1e-30 (a discriminator
        all but certain: for the non-saturating loss at batch 256, a logit below about -63) it is
        raised to 1e-30 so the ratio stays finite: that changes D's weight gradient by at most
        1e-30 times ``d logit_i / d weights``, far below float32 rounding of the sum.
        ``tests/test_fast_gan.py`` checks the result against the two-pass computation.

        Only valid when each logit depends on its own sample alone: a discriminator with batch
        normalisation couples the samples of a batch, so it takes the two-pass path.
        """
        latents = self.latents(batch_size)
        with tf.GradientTape() as g_tape:
            fake = self.generator(latents, training=True)
        with tf.GradientTape() as d_tape:
            d_tape.watch(fake)
            real_out = _f32(self.discriminator(real, training=True))
            fake_out = _f32(self.discriminator(fake, training=True))
        with tf.GradientTape(persistent=True) as logit_tape:  # cheap: (batch, 1) tensors
            logit_tape.watch([real_out, fake_out])
            d_loss = self.d_loss_fn(real_out, fake_out)
            g_loss = self.g_loss_fn(fake_out)
        d_real, d_fake = logit_tape.gradient(d_loss, [real_out, fake_out])
        g_fake = logit_tape.gradient(g_loss, fake_out)
        tiny = 1e-30
        d_fake = tf.where(tf.abs(d_fake) < tiny, tf.where(d_fake < 0, -tiny, tiny), d_fake)
        d_vars = self.discriminator.trainable_variables
        scale = self.d_optimizer.scale_loss(tf.ones((), "float32"))  # loss scaling, if any
        *d_grads, fake_grad = d_tape.gradient(
            [real_out, fake_out],
            [*d_vars, fake],
            output_gradients=[d_real * scale, d_fake * scale],
        )
        ratio = tf.reshape(g_fake / d_fake, (-1,) + (1,) * (len(fake.shape) - 1))
        g_scale = self.g_optimizer.scale_loss(tf.ones((), "float32")) / scale
        upstream = fake_grad * tf.cast(ratio * g_scale, fake_grad.dtype)
        g_vars = self.generator.trainable_variables
        g_grads = g_tape.gradient(fake, g_vars, output_gradients=upstream)
        self.d_optimizer.apply_gradients(zip(d_grads, d_vars, strict=True))
        self.g_optimizer.apply_gradients(zip(g_grads, g_vars, strict=True))
        if self.clip_value is not None:
            clip_weights(self.discriminator, self.clip_value)
        return d_loss, g_loss, real_out, fake_out, ops.zeros((), "float32")
