"""Bad inputs for imgen_helpers.conditional_gan: each must get a clear error naming the argument."""

import math
import tempfile
from pathlib import Path

import keras
import numpy as np
from bad_inputs import Bad, parametrize

from imgen_helpers import conditional_gan as cg
from imgen_helpers import dcgan
from imgen_helpers.data import shipped_path

BODY = dcgan.DCGANConfig(width=8, latent_dim=8)
TINY = cg.CGANConfig(body=BODY, label_dim=4)
RECIPE = dcgan.DCGANRecipe(batch_size=8)
DIGITS = np.zeros((8, 28, 28, 1), np.float32)
OTHER_MODEL = "weights/mnist_classifier.weights.h5"


def _gan(**changes):
    arguments = dict(
        generator=cg.build_conditional_generator(TINY),
        discriminator=cg.build_conditional_discriminator(TINY),
        latent_dim=8,
    )
    return cg.ConditionalGAN(**{**arguments, **changes})


def _compiled():
    return cg.make_cgan(TINY, RECIPE)


def _a_file() -> Path:
    path = Path(tempfile.mkdtemp()) / "cgan.txt"
    path.write_text("not a folder")
    return path


def _train(**kwargs):
    return cg.train_cgan(**{"config": TINY, "recipe": RECIPE, "out": None, "verbose": 0, **kwargs})


def _generator():
    return cg.build_conditional_generator(TINY)


CASES = {
    "imgen_helpers.conditional_gan.CGANConfig": [
        Bad("type", lambda: cg.CGANConfig(body={"width": 8}), TypeError, "body"),
        Bad("count", lambda: cg.CGANConfig(num_classes=1), ValueError, "num_classes"),
        Bad("type", lambda: cg.CGANConfig(num_classes=10.5), TypeError, "num_classes"),
        Bad("count", lambda: cg.CGANConfig(label_dim=0), ValueError, "label_dim"),
        Bad("name", lambda: cg.CGANConfig(conditioning="film"), ValueError, "conditioning"),
    ],
    "imgen_helpers.conditional_gan.build_conditional_generator": [
        Bad("type", lambda: cg.build_conditional_generator(BODY), TypeError, "config"),
        Bad("type", lambda: cg.build_conditional_generator(TINY, fast="yes"), TypeError, "fast"),
    ],
    "imgen_helpers.conditional_gan.build_conditional_discriminator": [
        Bad("type", lambda: cg.build_conditional_discriminator("projection"), TypeError, "config"),
        Bad("type", lambda: cg.build_conditional_discriminator(TINY, fast=1), TypeError, "fast"),
    ],
    "imgen_helpers.conditional_gan.ConditionalGAN": [
        Bad("type", lambda: _gan(generator="g"), TypeError, "generator"),
        Bad(
            "compat",
            lambda: _gan(generator=dcgan.build_dcgan_generator(BODY)),
            ValueError,
            "generator",
        ),
        Bad(
            "compat",
            lambda: _gan(discriminator=dcgan.build_dcgan_discriminator(BODY)),
            ValueError,
            "discriminator",
        ),
        Bad("compat", lambda: _gan(latent_dim=16), ValueError, "generator"),
        Bad("name", lambda: _gan(loss="wgan"), ValueError, "loss"),
        Bad("count", lambda: _gan(num_classes=1), ValueError, "num_classes"),
        Bad("value", lambda: _gan(seed=-1), ValueError, "seed"),
        Bad("range", lambda: _gan(ema=1.0), ValueError, "ema"),
        Bad("name", lambda: _gan(critic_steps=5), TypeError, "critic_steps"),
        # fit(): images need their labels, in range, one each, and images in [-1, 1]
        Bad("value", lambda: _compiled().fit(DIGITS, verbose=0), ValueError, "labels"),
        Bad("range", lambda: _compiled().fit(DIGITS, np.full(8, 12), verbose=0), ValueError, "y"),
        Bad("count", lambda: _compiled().fit(DIGITS, np.zeros(3, int)), ValueError, "y"),
        Bad("range", lambda: _compiled().fit(DIGITS + 5, np.zeros(8, int)), ValueError, "x"),
    ],
    "imgen_helpers.conditional_gan.sample_digits": [
        Bad("type", lambda: cg.sample_digits("generator", [1]), TypeError, "generator"),
        Bad(
            "compat",
            lambda: cg.sample_digits(dcgan.build_dcgan_generator(BODY), [1]),
            ValueError,
            "generator",
        ),
        Bad("range", lambda: cg.sample_digits(_generator(), [10]), ValueError, "labels"),
        Bad("type", lambda: cg.sample_digits(_generator(), [1.5]), TypeError, "labels"),
        Bad("count", lambda: cg.sample_digits(_generator(), []), ValueError, "labels"),
        Bad("rank", lambda: cg.sample_digits(_generator(), [[1, 2]]), ValueError, "labels"),
        Bad("value", lambda: cg.sample_digits(_generator(), [1], seed=-1), ValueError, "seed"),
        Bad(
            "count",
            lambda: cg.sample_digits(_generator(), [1], batch_size=0),
            ValueError,
            "batch_size",
        ),
    ],
    "imgen_helpers.conditional_gan.make_cgan": [
        Bad("type", lambda: cg.make_cgan("projection"), TypeError, "config"),
        Bad("type", lambda: cg.make_cgan(TINY, {"batch_size": 8}), TypeError, "recipe"),
        Bad("name", lambda: cg.make_cgan(TINY, RECIPE, loss="hinge"), ValueError, "loss"),
        Bad("value", lambda: cg.make_cgan(TINY, RECIPE, seed=-1), ValueError, "seed"),
        Bad(
            "value",
            lambda: cg.make_cgan(TINY, RECIPE, d_optimizer=keras.optimizers.SGD()),
            TypeError,
            "d_optimizer",
        ),
    ],
    "imgen_helpers.conditional_gan.train_cgan": [
        Bad("type", lambda: _train(config=BODY), TypeError, "config"),
        Bad(
            "compat",
            lambda: _train(config=cg.CGANConfig(body=dcgan.DCGANConfig(image_shape=(32, 32, 3)))),
            ValueError,
            "config",
        ),
        Bad("range", lambda: _train(minutes=-1), ValueError, "minutes"),
        Bad("finite", lambda: _train(minutes=math.nan), ValueError, "minutes"),
        Bad("count", lambda: _train(epochs=0), ValueError, "epochs"),
        Bad("path", lambda: _train(out=_a_file()), ValueError, "out"),
        Bad("name", lambda: _train(split="val"), ValueError, "split"),
        Bad("name", lambda: _train(source="web"), ValueError, "source"),
        Bad("value", lambda: _train(seed=-2), ValueError, "seed"),
        Bad("type", lambda: _train(callbacks="TimeLimit"), TypeError, "callbacks"),
        Bad("name", lambda: _train(verbose=5), ValueError, "verbose"),
    ],
    "imgen_helpers.conditional_gan.load_cgan_generator": [
        Bad(
            "path", lambda: cg.load_cgan_generator("missing.weights.h5"), FileNotFoundError, "path"
        ),
        Bad("path", lambda: cg.load_cgan_generator(_a_file()), ValueError, "path"),
        Bad(
            "compat",
            lambda: cg.load_cgan_generator(shipped_path(OTHER_MODEL)),
            ValueError,
            "path",
        ),
        Bad(
            "compat",
            lambda: cg.load_cgan_generator(shipped_path(cg.PRETRAINED_WEIGHTS), TINY),
            ValueError,
            "path",
        ),
        Bad("type", lambda: cg.load_cgan_generator("g.weights.h5", "small"), TypeError, "config"),
    ],
    "imgen_helpers.conditional_gan.load_pretrained_cgan": [
        Bad("type", lambda: cg.load_pretrained_cgan(fast="yes"), TypeError, "fast"),
    ],
}

test_bad_inputs = parametrize(CASES)
