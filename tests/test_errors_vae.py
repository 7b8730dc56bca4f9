"""Bad inputs for imgen_helpers.vae: each must get a clear error naming the argument."""

from functools import cache

import numpy as np
import tensorflow as tf
from bad_inputs import Bad, parametrize

from imgen_helpers import vae as V

TINY = V.VAEConfig(latent_dim=2, filters=(8, 8), decoder_channels=8)
TINY_LABELLED = V.VAEConfig(latent_dim=2, filters=(8, 8), decoder_channels=8, num_classes=10)

DIGITS = np.full((4, 28, 28, 1), 0.5, np.float32)  # a batch in [0, 1]
RAW = np.full((4, 28, 28, 1), 255, np.uint8)  # what load_mnist gives before / 255
WIDE = DIGITS * 255  # float, but [0, 255]
NAN_DIGITS = DIGITS * np.nan
SMALL = np.full((4, 16, 16, 1), 0.5, np.float32)  # another image size
LABELS = np.arange(4) % 10
MEAN = np.zeros((3, 2), np.float32)
RECON = np.array([-100.0, -80.0], np.float32)
LOG_W = np.zeros((8, 3), np.float32)  # (K, N)


@cache
def tiny() -> V.VAE:
    return V.VAE(TINY, seed=0)


@cache
def labelled() -> V.VAE:
    return V.VAE(TINY_LABELLED, seed=0)


def fit(model, x, y=None, **kwargs):
    model.compile(optimizer=V.default_optimizer(1e-3))
    return model.fit(x, y, epochs=1, verbose=0, **kwargs)


def dataset(*arrays):
    return tf.data.Dataset.from_tensor_slices(arrays if len(arrays) > 1 else arrays[0]).batch(2)


CASES = {
    "imgen_helpers.vae.VAEConfig": [
        Bad("type", lambda: V.VAEConfig(latent_dim="16"), TypeError, "latent_dim"),
        Bad("value", lambda: V.VAEConfig(latent_dim=0), ValueError, "latent_dim"),
        Bad("value", lambda: V.VAEConfig(image_shape=(28, 28)), ValueError, "image_shape"),
        Bad("value", lambda: V.VAEConfig(image_shape=(30, 30, 1)), ValueError, "image_shape"),
        Bad("type", lambda: V.VAEConfig(image_shape=(28, 28, "1")), TypeError, "image_shape"),
        Bad("value", lambda: V.VAEConfig(filters=(8,)), ValueError, "filters"),
        Bad("value", lambda: V.VAEConfig(filters=(8, -8)), ValueError, "filters"),
        Bad("value", lambda: V.VAEConfig(decoder_channels=0), ValueError, "decoder_channels"),
        Bad("name", lambda: V.VAEConfig(likelihood="poisson"), ValueError, "likelihood"),
        Bad(
            "range",
            lambda: V.VAEConfig(likelihood="gaussian", gaussian_scale=-0.1),
            ValueError,
            "gaussian_scale",
        ),
        Bad(
            "finite",
            lambda: V.VAEConfig(likelihood="gaussian", gaussian_scale=float("nan")),
            ValueError,
            "gaussian_scale",
        ),
        Bad("compat", lambda: V.VAEConfig(gaussian_scale=0.2), ValueError, "gaussian_scale"),
        Bad("value", lambda: V.VAEConfig(num_classes=-1), ValueError, "num_classes"),
        Bad("type", lambda: V.VAEConfig(num_classes="10"), TypeError, "num_classes"),
    ],
    "imgen_helpers.vae.build_encoder": [
        Bad("type", lambda: V.build_encoder({"latent_dim": 2}), TypeError, "config"),
    ],
    "imgen_helpers.vae.build_decoder": [
        Bad("type", lambda: V.build_decoder(None), TypeError, "config"),
    ],
    "imgen_helpers.vae.reparameterise": [
        Bad("type", lambda: V.reparameterise("mean", MEAN), TypeError, "mean"),
        Bad("rank", lambda: V.reparameterise(MEAN, MEAN[0]), ValueError, "log_var"),
        Bad("compat", lambda: V.reparameterise(MEAN, np.zeros((3, 4))), ValueError, "log_var"),
        Bad("finite", lambda: V.reparameterise(MEAN, MEAN * np.nan), ValueError, "log_var"),
        Bad("type", lambda: V.reparameterise(MEAN, MEAN, seed="0"), TypeError, "seed"),
    ],
    "imgen_helpers.vae.reconstruction_log_likelihood": [
        Bad("type", lambda: V.reconstruction_log_likelihood("x.png", DIGITS), TypeError, "x"),
        Bad("rank", lambda: V.reconstruction_log_likelihood(DIGITS[0], DIGITS[0]), ValueError, "x"),
        Bad("range", lambda: V.reconstruction_log_likelihood(RAW, DIGITS), ValueError, "x"),
        Bad("range", lambda: V.reconstruction_log_likelihood(WIDE, DIGITS), ValueError, "x"),
        Bad("finite", lambda: V.reconstruction_log_likelihood(NAN_DIGITS, DIGITS), ValueError, "x"),
        Bad(
            "finite",
            lambda: V.reconstruction_log_likelihood(DIGITS, NAN_DIGITS),
            ValueError,
            "logits",
        ),
        Bad(
            "compat",
            lambda: V.reconstruction_log_likelihood(DIGITS, DIGITS[:2]),
            ValueError,
            "logits",
        ),
        Bad(
            "name",
            lambda: V.reconstruction_log_likelihood(DIGITS, DIGITS, "Bernoulli"),
            ValueError,
            "likelihood",
        ),
        Bad(
            "value",
            lambda: V.reconstruction_log_likelihood(DIGITS, DIGITS, "gaussian"),
            ValueError,
            "log_scale",
        ),
        Bad(
            "finite",
            lambda: V.reconstruction_log_likelihood(DIGITS, DIGITS, "gaussian", np.nan),
            ValueError,
            "log_scale",
        ),
    ],
    "imgen_helpers.vae.kl_to_standard_normal": [
        Bad("type", lambda: V.kl_to_standard_normal(MEAN, "log_var"), TypeError, "log_var"),
        Bad("rank", lambda: V.kl_to_standard_normal(0.0, 0.0), ValueError, "mean"),
        Bad("compat", lambda: V.kl_to_standard_normal(MEAN, MEAN[:2]), ValueError, "log_var"),
        Bad("finite", lambda: V.kl_to_standard_normal(MEAN + np.inf, MEAN), ValueError, "mean"),
    ],
    "imgen_helpers.vae.log_normal_pdf": [
        Bad("type", lambda: V.log_normal_pdf(None, MEAN, MEAN), TypeError, "z"),
        Bad("rank", lambda: V.log_normal_pdf(0.5, 0.0, 0.0), ValueError, "z"),
        Bad("compat", lambda: V.log_normal_pdf(MEAN, np.zeros((3, 5)), 0.0), ValueError, "mean"),
        Bad("finite", lambda: V.log_normal_pdf(MEAN, MEAN, MEAN * np.nan), ValueError, "log_var"),
    ],
    "imgen_helpers.vae.elbo": [
        Bad("type", lambda: V.elbo("-100", RECON), TypeError, "reconstruction"),
        Bad("compat", lambda: V.elbo(RECON, RECON[:1]), ValueError, "kl"),
        Bad("finite", lambda: V.elbo(RECON, RECON * np.nan), ValueError, "kl"),
        Bad("range", lambda: V.elbo(RECON, RECON, beta=-1.0), ValueError, "beta"),
        Bad("type", lambda: V.elbo(RECON, RECON, beta="4"), TypeError, "beta"),
    ],
    "imgen_helpers.vae.iwae_bound": [
        Bad("type", lambda: V.iwae_bound("log_w"), TypeError, "log_weights"),
        Bad("rank", lambda: V.iwae_bound(LOG_W[:, 0]), ValueError, "log_weights"),
        Bad("finite", lambda: V.iwae_bound(LOG_W * np.nan), ValueError, "log_weights"),
    ],
    "imgen_helpers.vae.VAE": [
        Bad("type", lambda: V.VAE({"latent_dim": 2}), TypeError, "config"),
        Bad("range", lambda: V.VAE(TINY, beta=-1.0), ValueError, "beta"),
        Bad("type", lambda: V.VAE(TINY, beta="4"), TypeError, "beta"),
        Bad("type", lambda: V.VAE(TINY, seed="0"), TypeError, "seed"),
        # fit
        Bad("range", lambda: fit(tiny(), RAW), ValueError, "x"),
        Bad("range", lambda: fit(tiny(), dataset(WIDE)), ValueError, "x"),
        Bad("rank", lambda: fit(tiny(), DIGITS[0]), ValueError, "x"),
        Bad("compat", lambda: fit(tiny(), SMALL), ValueError, "x"),
        Bad("finite", lambda: fit(tiny(), NAN_DIGITS), ValueError, "x"),
        Bad("type", lambda: fit(tiny(), "mnist"), TypeError, "x"),
        Bad(
            "range",
            lambda: fit(tiny(), DIGITS, validation_data=RAW),
            ValueError,
            "validation_data",
        ),
        Bad("value", lambda: fit(labelled(), DIGITS), ValueError, "y"),
        Bad("value", lambda: fit(labelled(), DIGITS, LABELS + 10), ValueError, "y"),
        Bad("value", lambda: fit(labelled(), dataset(DIGITS, LABELS + 10)), ValueError, "x"),
        # encode, decode_logits, decode, call, loss_terms
        Bad("range", lambda: tiny().encode(RAW), ValueError, "images"),
        Bad("rank", lambda: tiny().encode(DIGITS[0]), ValueError, "images"),
        Bad("compat", lambda: tiny().encode(SMALL), ValueError, "images"),
        Bad("type", lambda: tiny().encode("digit.png"), TypeError, "images"),
        Bad("value", lambda: tiny().encode(DIGITS, LABELS), ValueError, "labels"),
        Bad("value", lambda: labelled().encode(DIGITS, LABELS + 10), ValueError, "labels"),
        Bad("count", lambda: labelled().encode(DIGITS, LABELS[:2]), ValueError, "labels"),
        Bad("compat", lambda: tiny().decode_logits(np.zeros((2, 16))), ValueError, "z"),
        Bad("rank", lambda: tiny().decode_logits(np.zeros(2)), ValueError, "z"),
        Bad("finite", lambda: tiny().decode(np.full((2, 2), np.nan)), ValueError, "z"),
        Bad("range", lambda: tiny()(RAW), ValueError, "images"),
        Bad("range", lambda: tiny().loss_terms(WIDE), ValueError, "images"),
        # sample
        Bad("count", lambda: tiny().sample(0), ValueError, "num"),
        Bad("count", lambda: tiny().sample(-3), ValueError, "num"),
        Bad("type", lambda: tiny().sample("4"), TypeError, "num"),
        Bad("value", lambda: tiny().sample(), ValueError, "num"),
        Bad("type", lambda: tiny().sample(2, seed="1"), TypeError, "seed"),
        Bad("value", lambda: labelled().sample(2, labels=12), ValueError, "labels"),
        Bad("type", lambda: labelled().sample(2, labels="3"), TypeError, "labels"),
        Bad("value", lambda: labelled().sample(2), ValueError, "labels"),
        Bad("value", lambda: tiny().sample(2, labels=3), ValueError, "labels"),
        Bad(
            "compat",
            lambda: tiny().sample(fixed_latents=np.zeros((2, 16))),
            ValueError,
            "fixed_latents",
        ),
        Bad(
            "finite",
            lambda: tiny().sample(fixed_latents=np.full((2, 2), np.nan)),
            ValueError,
            "fixed_latents",
        ),
        Bad("count", lambda: tiny().sample(3, fixed_latents=np.zeros((2, 2))), ValueError, "num"),
    ],
    "imgen_helpers.vae.VAERecipe": [
        Bad("count", lambda: V.VAERecipe(batch_size=0), ValueError, "batch_size"),
        Bad("type", lambda: V.VAERecipe(batch_size="64"), TypeError, "batch_size"),
        Bad("range", lambda: V.VAERecipe(learning_rate=-1e-3), ValueError, "learning_rate"),
        Bad("range", lambda: V.VAERecipe(learning_rate=4e3), ValueError, "learning_rate"),
        Bad("finite", lambda: V.VAERecipe(learning_rate=np.nan), ValueError, "learning_rate"),
        Bad("count", lambda: V.VAERecipe(steps_per_execution=0), ValueError, "steps_per_execution"),
    ],
    "imgen_helpers.vae.default_optimizer": [
        Bad("range", lambda: V.default_optimizer(0.0), ValueError, "learning_rate"),
        Bad("range", lambda: V.default_optimizer(-1e-3), ValueError, "learning_rate"),
        Bad("type", lambda: V.default_optimizer("1e-3"), TypeError, "learning_rate"),
        Bad("finite", lambda: V.default_optimizer(float("inf")), ValueError, "learning_rate"),
    ],
    "imgen_helpers.vae.log_importance_weights": [
        Bad("type", lambda: V.log_importance_weights("vae", DIGITS), TypeError, "model"),
        Bad("range", lambda: V.log_importance_weights(tiny(), RAW), ValueError, "images"),
        Bad("rank", lambda: V.log_importance_weights(tiny(), DIGITS[0]), ValueError, "images"),
        Bad("compat", lambda: V.log_importance_weights(tiny(), SMALL), ValueError, "images"),
        Bad("finite", lambda: V.log_importance_weights(tiny(), NAN_DIGITS), ValueError, "images"),
        Bad("count", lambda: V.log_importance_weights(tiny(), DIGITS, k=0), ValueError, "k"),
        Bad("type", lambda: V.log_importance_weights(tiny(), DIGITS, k="8"), TypeError, "k"),
        Bad(
            "value",
            lambda: V.log_importance_weights(labelled(), DIGITS, LABELS + 10),
            ValueError,
            "labels",
        ),
    ],
    "imgen_helpers.vae.evaluate_bounds": [
        Bad("type", lambda: V.evaluate_bounds(None, DIGITS), TypeError, "model"),
        Bad("range", lambda: V.evaluate_bounds(tiny(), RAW), ValueError, "images"),
        Bad("range", lambda: V.evaluate_bounds(tiny(), WIDE), ValueError, "images"),
        Bad("rank", lambda: V.evaluate_bounds(tiny(), DIGITS[0]), ValueError, "images"),
        Bad("compat", lambda: V.evaluate_bounds(tiny(), SMALL), ValueError, "images"),
        Bad("finite", lambda: V.evaluate_bounds(tiny(), NAN_DIGITS), ValueError, "images"),
        Bad("count", lambda: V.evaluate_bounds(tiny(), DIGITS, k=-1), ValueError, "k"),
        Bad(
            "count",
            lambda: V.evaluate_bounds(tiny(), DIGITS, batch_size=0),
            ValueError,
            "batch_size",
        ),
        Bad("type", lambda: V.evaluate_bounds(tiny(), DIGITS, seed=None), TypeError, "seed"),
        Bad("value", lambda: V.evaluate_bounds(labelled(), DIGITS), ValueError, "labels"),
        Bad(
            "count",
            lambda: V.evaluate_bounds(labelled(), DIGITS, LABELS[:3]),
            ValueError,
            "labels",
        ),
    ],
}

test_bad_inputs = parametrize(CASES)
