"""Bad inputs for imgen_helpers.dcgan: each must get a clear error naming the argument."""

import dataclasses
import math
import tempfile
from pathlib import Path

import keras
from bad_inputs import Bad, parametrize

from imgen_helpers import dcgan
from imgen_helpers.data import shipped_path

Config, Recipe = dcgan.DCGANConfig, dcgan.DCGANRecipe
TINY = Config(width=8, latent_dim=8)
SHIPPED = dcgan.PRETRAINED_WEIGHTS
OTHER_MODEL = "weights/mnist_classifier.weights.h5"


def _a_file() -> Path:
    """A file where a folder is wanted."""
    path = Path(tempfile.mkdtemp()) / "generator.txt"
    path.write_text("not a folder")
    return path


def _train(**kwargs):
    return dcgan.train_dcgan(**{"config": TINY, "out": None, "verbose": 0, **kwargs})


CASES = {
    "imgen_helpers.dcgan.DCGANConfig": [
        Bad("type", lambda: Config(image_shape="28x28"), TypeError, "image_shape"),
        Bad("rank", lambda: Config(image_shape=(28, 28)), ValueError, "image_shape"),
        Bad("value", lambda: Config(image_shape=(30, 30, 1)), ValueError, "image_shape"),
        Bad("value", lambda: Config(image_shape=(28, 28, 4)), ValueError, "image_shape"),
        Bad("value", lambda: Config(image_shape=(1, 28, 28)), ValueError, "image_shape"),
        Bad("count", lambda: Config(latent_dim=0), ValueError, "latent_dim"),
        Bad("count", lambda: Config(width=-8), ValueError, "width"),
        Bad("type", lambda: Config(latent_dim="64"), TypeError, "latent_dim"),
        Bad("type", lambda: Config(generator_width="64"), TypeError, "generator_width"),
        Bad("count", lambda: Config(kernel_size=0), ValueError, "kernel_size"),
        Bad(
            "name", lambda: Config(discriminator_norm="spectral"), ValueError, "discriminator_norm"
        ),
        Bad("range", lambda: Config(dropout=1.5), ValueError, "dropout"),
        Bad("range", lambda: Config(leaky_slope=-0.2), ValueError, "leaky_slope"),
        Bad("finite", lambda: Config(leaky_slope=math.nan), ValueError, "leaky_slope"),
        Bad("value", lambda: Config(refine_blocks=3), ValueError, "refine_blocks"),
        Bad("value", lambda: Config(discriminator_blocks=1.5), ValueError, "discriminator_blocks"),
        Bad("count", lambda: Config(discriminator_blocks=-1), ValueError, "discriminator_blocks"),
    ],
    "imgen_helpers.dcgan.DCGANRecipe": [
        Bad("count", lambda: Recipe(batch_size=0), ValueError, "batch_size"),
        Bad("type", lambda: Recipe(batch_size="64"), TypeError, "batch_size"),
        Bad("range", lambda: Recipe(learning_rate=-1e-3), ValueError, "learning_rate"),
        Bad("range", lambda: Recipe(learning_rate=2), ValueError, "learning_rate"),
        Bad("type", lambda: Recipe(learning_rate="1e-3"), TypeError, "learning_rate"),
        Bad("finite", lambda: Recipe(learning_rate=math.nan), ValueError, "learning_rate"),
        Bad("range", lambda: Recipe(beta_1=1.5), ValueError, "beta_1"),
        Bad("range", lambda: Recipe(ema=1.0), ValueError, "ema"),
        Bad("type", lambda: Recipe(fast="yes"), TypeError, "fast"),
    ],
    "imgen_helpers.dcgan.build_dcgan_generator": [
        Bad("type", lambda: dcgan.build_dcgan_generator({"width": 8}), TypeError, "config"),
        Bad("type", lambda: dcgan.build_dcgan_generator(TINY, fast="True"), TypeError, "fast"),
    ],
    "imgen_helpers.dcgan.build_dcgan_discriminator": [
        Bad("type", lambda: dcgan.build_dcgan_discriminator("mnist_small"), TypeError, "config"),
        Bad("type", lambda: dcgan.build_dcgan_discriminator(TINY, fast=1), TypeError, "fast"),
    ],
    "imgen_helpers.dcgan.discriminator_features": [
        Bad(
            "type",
            lambda: dcgan.discriminator_features(keras.Input((28, 28, 1)), "mnist_small"),
            TypeError,
            "config",
        ),
        Bad(
            "type",
            lambda: dcgan.discriminator_features(keras.Input((28, 28, 1)), TINY, fast="no"),
            TypeError,
            "fast",
        ),
    ],
    "imgen_helpers.dcgan.make_dcgan": [
        Bad("type", lambda: dcgan.make_dcgan("mnist_small"), TypeError, "config"),
        Bad("type", lambda: dcgan.make_dcgan(TINY, {"batch_size": 64}), TypeError, "recipe"),
        Bad("name", lambda: dcgan.make_dcgan(TINY, loss="wasserstein"), ValueError, "loss"),
        Bad("value", lambda: dcgan.make_dcgan(TINY, seed=-1), ValueError, "seed"),
        Bad("type", lambda: dcgan.make_dcgan(TINY, seed="0"), TypeError, "seed"),
        Bad(
            "value",
            lambda: dcgan.make_dcgan(TINY, d_optimizer=keras.optimizers.SGD()),
            TypeError,
            "d_optimizer",
        ),
    ],
    "imgen_helpers.dcgan.train_dcgan": [
        Bad("type", lambda: _train(config=dcgan.DCGAN_CONFIGS), TypeError, "config"),
        Bad("type", lambda: _train(recipe=dataclasses.asdict(Recipe())), TypeError, "recipe"),
        Bad("compat", lambda: _train(config=dcgan.DCGAN_COLOR32_FULL), ValueError, "config"),
        Bad("range", lambda: _train(minutes=-1), ValueError, "minutes"),
        Bad("type", lambda: _train(minutes="3"), TypeError, "minutes"),
        Bad("finite", lambda: _train(minutes=math.inf), ValueError, "minutes"),
        Bad("count", lambda: _train(epochs=0), ValueError, "epochs"),
        Bad("name", lambda: _train(split="validation"), ValueError, "split"),
        Bad("name", lambda: _train(source="web"), ValueError, "source"),
        Bad("value", lambda: _train(seed=-1), ValueError, "seed"),
        Bad("type", lambda: _train(reseed="no"), TypeError, "reseed"),
        Bad("value", lambda: _train(verbose=3), ValueError, "verbose"),
        Bad("path", lambda: _train(out=_a_file()), ValueError, "out"),
        Bad("type", lambda: _train(out=3), TypeError, "out"),
        Bad(
            "type",
            lambda: _train(callbacks=keras.callbacks.History()),
            TypeError,
            "callbacks",
        ),
        Bad(
            "compat",
            lambda: _train(recipe=Recipe(batch_size=5000), split="test", source="offline"),
            ValueError,
            "batch_size",
        ),
    ],
    "imgen_helpers.dcgan.load_generator": [
        Bad(
            "path", lambda: dcgan.load_generator("runs/nope.weights.h5"), FileNotFoundError, "path"
        ),
        Bad("path", lambda: dcgan.load_generator("runs/samples.npy"), ValueError, "path"),
        Bad("type", lambda: dcgan.load_generator(None), TypeError, "path"),
        Bad(
            "compat", lambda: dcgan.load_generator(shipped_path(SHIPPED), TINY), ValueError, "path"
        ),
        Bad("compat", lambda: dcgan.load_generator(shipped_path(OTHER_MODEL)), ValueError, "path"),
        Bad(
            "type",
            lambda: dcgan.load_generator(shipped_path(SHIPPED), "small"),
            TypeError,
            "config",
        ),
        Bad(
            "type",
            lambda: dcgan.load_generator(shipped_path(SHIPPED), fast="no"),
            TypeError,
            "fast",
        ),
    ],
    "imgen_helpers.dcgan.load_pretrained_generator": [
        Bad("compat", lambda: dcgan.load_pretrained_generator(TINY), ValueError, "config"),
        Bad("type", lambda: dcgan.load_pretrained_generator("mnist_small"), TypeError, "config"),
        Bad("type", lambda: dcgan.load_pretrained_generator(fast="yes"), TypeError, "fast"),
    ],
}

test_bad_inputs = parametrize(CASES)
