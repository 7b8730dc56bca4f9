"""Bad inputs for imgen_helpers.gan: each must get a clear error naming the argument."""

from functools import cache

import keras
import numpy as np
import tensorflow as tf
from bad_inputs import Bad, parametrize

from imgen_helpers import gan

LATENT = 4
SHAPE = (8, 8, 1)
LOGITS = np.zeros((4, 1), np.float32)
IMAGES = np.zeros((4, *SHAPE), np.float32)  # in [-1, 1]
NAN_LOGITS = np.array([[0.0], [np.nan]], np.float32)


@cache
def players(shape=SHAPE, latent_dim=LATENT) -> tuple[keras.Model, keras.Model]:
    """A tiny dense generator (latent_dim -> shape, tanh) and a one-convolution discriminator."""
    z = keras.Input((latent_dim,))
    x = keras.layers.Dense(int(np.prod(shape)), activation="tanh")(z)
    generator = keras.Model(z, keras.layers.Reshape(shape)(x))
    images = keras.Input(shape)
    x = keras.layers.Conv2D(8, 3, strides=2, padding="same")(images)
    discriminator = keras.Model(images, keras.layers.Dense(1)(keras.layers.Flatten()(x)))
    return generator, discriminator


@cache
def model() -> gan.GAN:
    built = gan.GAN(*players(), LATENT, seed=0)
    built.compile()
    return built


def make(**kwargs) -> gan.GAN:
    return gan.GAN(*players(), LATENT, **kwargs)


def compile_with(**kwargs):
    return make().compile(**kwargs)


def adam(**kwargs):
    return keras.optimizers.Adam(**kwargs)


def uint8_stream(reshuffle: bool) -> tf.data.Dataset:
    data = tf.data.Dataset.from_tensor_slices(np.zeros((4, *SHAPE), np.uint8))
    if reshuffle:
        data = data.shuffle(4, seed=0, reshuffle_each_iteration=True)
    return data.batch(2)


LOSS_CASES = {  # every loss of one argument (the fakes) and of two (real, fake)
    "generator_loss_minimax": ("fake_logits",),
    "generator_loss_non_saturating": ("fake_logits",),
    "lsgan_generator_loss": ("fake_outputs",),
    "wasserstein_generator_loss": ("fake_scores",),
    "discriminator_loss_minimax": ("real_logits", "fake_logits"),
    "lsgan_discriminator_loss": ("real_outputs", "fake_outputs"),
    "wasserstein_critic_loss": ("real_scores", "fake_scores"),
}


def loss_cases(name: str, arguments: tuple[str, ...]) -> list[Bad]:
    loss = getattr(gan, name)
    last = arguments[-1]

    def call(bad):
        return lambda: loss(*(LOGITS,) * (len(arguments) - 1), bad)

    cases = [
        Bad("type", call("logits"), TypeError, last),
        Bad("rank", call(IMAGES), ValueError, last),  # images instead of D(images)
        Bad("rank", call(tf.zeros((4, 10))), ValueError, last),  # class scores
        Bad("finite", call(NAN_LOGITS), ValueError, last),
        Bad("finite", call(tf.constant(NAN_LOGITS)), ValueError, last),
        Bad("count", call(np.zeros((0, 1), np.float32)), ValueError, last),
    ]
    if len(arguments) == 2:
        first = arguments[0]
        cases.append(Bad("rank", lambda: loss(IMAGES, LOGITS), ValueError, first))
    return cases


CASES = {
    "imgen_helpers.gan.build_first_generator": [
        Bad("type", lambda: gan.build_first_generator("100"), TypeError, "latent_dim"),
        Bad("count", lambda: gan.build_first_generator(0), ValueError, "latent_dim"),
        Bad("type", lambda: gan.build_first_generator(8, "28x28"), TypeError, "image_shape"),
        Bad("value", lambda: gan.build_first_generator(8, (28, 28)), ValueError, "image_shape"),
        Bad("value", lambda: gan.build_first_generator(8, (28, -28, 1)), ValueError, "image_shape"),
    ],
    "imgen_helpers.gan.build_first_discriminator": [
        Bad("type", lambda: gan.build_first_discriminator(28), TypeError, "image_shape"),
        Bad(
            "value",
            lambda: gan.build_first_discriminator((1, 28, 28, 3)),
            ValueError,
            "image_shape",
        ),
        Bad("count", lambda: gan.build_first_discriminator((28, 28, 0)), ValueError, "image_shape"),
    ],
    **{f"imgen_helpers.gan.{name}": loss_cases(name, args) for name, args in LOSS_CASES.items()},
    "imgen_helpers.gan.clip_weights": [
        Bad("type", lambda: gan.clip_weights("critic", 0.01), TypeError, "model"),
        Bad("value", lambda: gan.clip_weights(players()[1], 0.0), ValueError, "clip_value"),
        Bad("type", lambda: gan.clip_weights(players()[1], "0.01"), TypeError, "clip_value"),
        Bad(
            "finite", lambda: gan.clip_weights(players()[1], float("nan")), ValueError, "clip_value"
        ),
    ],
    "imgen_helpers.gan.interpolation_weights": [
        Bad("count", lambda: gan.interpolation_weights(0, 4), ValueError, "batch_size"),
        Bad("type", lambda: gan.interpolation_weights("16", 4), TypeError, "batch_size"),
        Bad("value", lambda: gan.interpolation_weights(16, 1), ValueError, "rank"),
        Bad("type", lambda: gan.interpolation_weights(16, 4, seed="0"), TypeError, "seed"),
    ],
    "imgen_helpers.gan.gradient_penalty": [
        Bad("type", lambda: gan.gradient_penalty("critic", IMAGES, IMAGES), TypeError, "critic"),
        Bad(
            "type",
            lambda: gan.gradient_penalty(players()[1], "real.png", IMAGES),
            TypeError,
            "real",
        ),
        Bad(
            "rank",
            lambda: gan.gradient_penalty(players()[1], IMAGES, np.zeros(4)),
            ValueError,
            "fake",
        ),
        Bad(
            "finite",
            lambda: gan.gradient_penalty(players()[1], IMAGES * np.nan, IMAGES),
            ValueError,
            "real",
        ),
        Bad(
            "compat",
            lambda: gan.gradient_penalty(players()[1], IMAGES, IMAGES[:, :4]),
            ValueError,
            "fake",
        ),
        Bad(
            "compat",
            lambda: gan.gradient_penalty(players()[1], IMAGES[:, :4, :4], IMAGES[:, :4, :4]),
            ValueError,
            "critic",
        ),
        Bad(
            "type",
            lambda: gan.gradient_penalty(players()[1], IMAGES, IMAGES, seed=1.5),
            TypeError,
            "seed",
        ),
    ],
    "imgen_helpers.gan.GAN": [
        # the constructor
        Bad(
            "type", lambda: gan.GAN("generator.keras", players()[1], LATENT), TypeError, "generator"
        ),
        Bad("type", lambda: gan.GAN(players()[0], None, LATENT), TypeError, "discriminator"),
        Bad("count", lambda: gan.GAN(*players(), 0), ValueError, "latent_dim"),
        Bad("type", lambda: gan.GAN(*players(), "4"), TypeError, "latent_dim"),
        Bad("compat", lambda: gan.GAN(*players(), 100), ValueError, "latent_dim"),
        Bad(
            "compat",
            lambda: gan.GAN(players()[0], players((28, 28, 1))[1], LATENT),
            ValueError,
            "discriminator",
        ),
        Bad("name", lambda: make(loss="hinge"), ValueError, "loss"),
        Bad("count", lambda: make(critic_steps=0), ValueError, "critic_steps"),
        Bad("type", lambda: make(critic_steps="5"), TypeError, "critic_steps"),
        Bad("range", lambda: make(gp_weight=-10), ValueError, "gp_weight"),
        Bad("value", lambda: make(clip_value=0), ValueError, "clip_value"),
        Bad("type", lambda: make(seed="42"), TypeError, "seed"),
        Bad("range", lambda: make(ema=1.5), ValueError, "ema"),
        Bad("name", lambda: make(lr=1e-3), TypeError, "lr"),
        Bad("name", lambda: make(update="simultaneous"), TypeError, "FastGAN"),
        # compile
        Bad("type", lambda: compile_with(d_optimizer="adam"), TypeError, "d_optimizer"),
        Bad(
            "value",
            lambda: compile_with(g_optimizer=adam(learning_rate=-1e-3)),
            ValueError,
            "g_optimizer",
        ),
        Bad("range", lambda: compile_with(d_optimizer=adam(beta_1=1.5)), ValueError, "beta_1"),
        Bad("name", lambda: compile_with(optimizer=adam()), TypeError, "d_optimizer"),
        Bad(
            "compat",
            lambda: compile_with(d_optimizer=(o := adam()), g_optimizer=o),
            ValueError,
            "d_optimizer",
        ),
        # fit: checked before Keras starts
        Bad(
            "range",
            lambda: model().fit(np.zeros((4, *SHAPE), np.uint8), verbose=0),
            ValueError,
            "x",
        ),
        Bad("range", lambda: model().fit(IMAGES + 255.0, verbose=0), ValueError, "x"),
        Bad("rank", lambda: model().fit(IMAGES[0], verbose=0), ValueError, "x"),
        Bad(
            "compat",
            lambda: model().fit(np.zeros((4, 28, 28, 1), np.float32), verbose=0),
            ValueError,
            "x",
        ),
        Bad("finite", lambda: model().fit(IMAGES * np.nan, verbose=0), ValueError, "x"),
        Bad("type", lambda: model().fit("mnist", verbose=0), TypeError, "x"),
        Bad(
            "range", lambda: model().fit(uint8_stream(reshuffle=False), verbose=0), ValueError, "x"
        ),
        Bad("range", lambda: model().fit(uint8_stream(reshuffle=True), verbose=0), ValueError, "x"),
        Bad(
            "rank",
            lambda: model().fit(tf.data.Dataset.from_tensor_slices(IMAGES), verbose=0),
            ValueError,
            "x",
        ),
        # generate and call
        Bad("count", lambda: model().generate(0), ValueError, "num"),
        Bad("type", lambda: model().generate("16"), TypeError, "num"),
        Bad("value", lambda: model().generate(4, seed=-1), ValueError, "seed"),
        Bad("count", lambda: model().generate(4, batch_size=0), ValueError, "batch_size"),
        Bad("compat", lambda: model()(np.zeros((2, 7), np.float32)), ValueError, "latents"),
        Bad("rank", lambda: model()(tf.zeros((LATENT,))), ValueError, "latents"),
    ],
    "imgen_helpers.gan.sample": [
        Bad("type", lambda: gan.sample("generator.keras", 4), TypeError, "generator"),
        Bad("count", lambda: gan.sample(players()[0], -4), ValueError, "num"),
        Bad("type", lambda: gan.sample(players()[0], 4.5), TypeError, "num"),
        Bad(
            "compat", lambda: gan.sample(players()[0], 4, latent_dim=100), ValueError, "latent_dim"
        ),
        Bad("count", lambda: gan.sample(players()[0], 4, latent_dim=0), ValueError, "latent_dim"),
        Bad("type", lambda: gan.sample(players()[0], 4, seed="0"), TypeError, "seed"),
        Bad("count", lambda: gan.sample(players()[0], 4, batch_size=0), ValueError, "batch_size"),
    ],
    "imgen_helpers.gan.interpolate_latents": [
        Bad("type", lambda: gan.interpolate_latents("z0", np.zeros(4)), TypeError, "start"),
        Bad(
            "rank",
            lambda: gan.interpolate_latents(np.ones((1, 4)), np.ones(4)),
            ValueError,
            "start",
        ),
        Bad(
            "finite",
            lambda: gan.interpolate_latents(np.ones(4), np.full(4, np.nan)),
            ValueError,
            "end",
        ),
        Bad("compat", lambda: gan.interpolate_latents(np.ones(4), np.ones(5)), ValueError, "start"),
        Bad(
            "count",
            lambda: gan.interpolate_latents(np.ones(4), np.ones(4), steps=1),
            ValueError,
            "steps",
        ),
        Bad(
            "type",
            lambda: gan.interpolate_latents(np.ones(4), np.ones(4), steps="8"),
            TypeError,
            "steps",
        ),
        Bad(
            "name",
            lambda: gan.interpolate_latents(np.ones(4), np.ones(4), method="cubic"),
            ValueError,
            "method",
        ),
    ],
}

test_bad_inputs = parametrize(CASES)
