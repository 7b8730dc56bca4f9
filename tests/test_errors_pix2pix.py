"""Bad inputs for imgen_helpers.pix2pix: each must get a clear error naming the argument."""

import math

import keras
import numpy as np
from bad_inputs import Bad, parametrize

from imgen_helpers import dcgan
from imgen_helpers import pix2pix as p2p

TINY = p2p.Pix2PixConfig(filters=(8, 16), bottleneck=16, patch_filters=(8,), patch_deep=8)
PAIR = np.zeros((4, 28, 28, 1), np.float32)


def _model(**changes):
    arguments = dict(generator=p2p.build_unet(TINY), discriminator=p2p.build_patchgan(TINY))
    return p2p.Pix2Pix(**{**arguments, **changes})


def _x():
    return keras.Input((28, 28, 2))


def _compiled():
    model = _model()
    model.compile()
    return model


CASES = {
    "imgen_helpers.pix2pix.Pix2PixConfig": [
        Bad("type", lambda: p2p.Pix2PixConfig(image_shape="28x28"), TypeError, "image_shape"),
        Bad("rank", lambda: p2p.Pix2PixConfig(image_shape=(28, 28)), ValueError, "image_shape"),
        Bad("value", lambda: p2p.Pix2PixConfig(image_shape=(30, 30, 1)), ValueError, "image_shape"),
        Bad("type", lambda: p2p.Pix2PixConfig(filters=32), TypeError, "filters"),
        Bad("count", lambda: p2p.Pix2PixConfig(filters=(32, 0)), ValueError, "filters[1]"),
        Bad("count", lambda: p2p.Pix2PixConfig(input_channels=0), ValueError, "input_channels"),
        Bad("range", lambda: p2p.Pix2PixConfig(dropout=1.0), ValueError, "dropout"),
        Bad("finite", lambda: p2p.Pix2PixConfig(dropout=math.nan), ValueError, "dropout"),
        Bad("type", lambda: p2p.Pix2PixConfig(patch_filters=[]), TypeError, "patch_filters"),
        Bad("count", lambda: p2p.Pix2PixConfig(patch_deep=-1), ValueError, "patch_deep"),
    ],
    "imgen_helpers.pix2pix.build_unet": [
        Bad("type", lambda: p2p.build_unet(dcgan.DCGAN_MNIST_SMALL), TypeError, "config"),
    ],
    "imgen_helpers.pix2pix.build_patchgan": [
        Bad("type", lambda: p2p.build_patchgan("70x70"), TypeError, "config"),
    ],
    "imgen_helpers.pix2pix.patchgan_layers": [
        Bad("type", lambda: p2p.patchgan_layers({"filters": (8,)}), TypeError, "config"),
    ],
    "imgen_helpers.pix2pix.patch_specs": [
        Bad("count", lambda: p2p.patch_specs(-1), ValueError, "strided"),
        Bad("type", lambda: p2p.patch_specs(1.5), TypeError, "strided"),
    ],
    "imgen_helpers.pix2pix.patch_logits": [
        Bad("type", lambda: p2p.patch_logits(_x(), 32, 64), TypeError, "patch_filters"),
        Bad("count", lambda: p2p.patch_logits(_x(), (32,), 0), ValueError, "patch_deep"),
        Bad("name", lambda: p2p.patch_logits(_x(), (32,), 64, "layer"), ValueError, "norm"),
    ],
    "imgen_helpers.pix2pix.receptive_field": [
        Bad("type", lambda: p2p.receptive_field("4,2"), TypeError, "layer_specs"),
        Bad("count", lambda: p2p.receptive_field([]), ValueError, "layer_specs"),
        Bad("type", lambda: p2p.receptive_field([4, 2]), TypeError, "layer_specs[0]"),
        Bad("count", lambda: p2p.receptive_field([(0, 2)]), ValueError, "layer_specs[0] kernel"),
        Bad("type", lambda: p2p.receptive_field([(4, 1.5)]), TypeError, "layer_specs[0] stride"),
    ],
    "imgen_helpers.pix2pix.l1_loss": [
        Bad("compat", lambda: p2p.l1_loss(PAIR, PAIR[:2]), ValueError, "outputs"),
        Bad("type", lambda: p2p.l1_loss("images", PAIR), TypeError, "outputs"),
    ],
    "imgen_helpers.pix2pix.patch_discriminator_loss": [
        Bad(
            "compat",
            lambda: p2p.patch_discriminator_loss(PAIR, PAIR[:, :14]),
            ValueError,
            "real_logits",
        ),
    ],
    "imgen_helpers.pix2pix.patch_generator_loss": [
        Bad("type", lambda: p2p.patch_generator_loss(None), TypeError, "fake_logits"),
    ],
    "imgen_helpers.pix2pix.load_unet": [
        Bad("path", lambda: p2p.load_unet("nowhere.weights.h5"), FileNotFoundError, "path"),
        Bad("path", lambda: p2p.load_unet(__file__), ValueError, "path"),
    ],
    "imgen_helpers.pix2pix.load_pretrained_unet": [
        Bad("name", lambda: p2p.load_pretrained_unet("l2"), ValueError, "loss"),
    ],
    "imgen_helpers.pix2pix.Pix2Pix": [
        Bad("type", lambda: _model(generator="unet"), TypeError, "generator"),
        Bad("type", lambda: _model(discriminator=None), TypeError, "discriminator"),
        Bad(
            "compat",
            lambda: _model(discriminator=dcgan.build_dcgan_discriminator(dcgan.DCGAN_MNIST_SMALL)),
            ValueError,
            "discriminator",
        ),
        Bad("range", lambda: _model(l1_weight=-1.0), ValueError, "l1_weight"),
        Bad("range", lambda: _model(adversarial_weight=-1.0), ValueError, "adversarial_weight"),
        # fit(): pairs, in [-1, 1], of the U-Net's shapes, as many inputs as targets
        Bad("value", lambda: _compiled().fit(PAIR, verbose=0), ValueError, "y"),
        Bad("range", lambda: _compiled().fit(PAIR + 3, PAIR, verbose=0), ValueError, "x"),
        Bad("range", lambda: _compiled().fit(PAIR, PAIR + 255, verbose=0), ValueError, "y"),
        Bad("count", lambda: _compiled().fit(PAIR, PAIR[:2], verbose=0), ValueError, "x and y"),
        Bad(
            "compat",
            lambda: _compiled().fit(np.zeros((4, 32, 32, 1), "float32"), PAIR, verbose=0),
            ValueError,
            "x",
        ),
    ],
}

test_bad_inputs = parametrize(CASES)
