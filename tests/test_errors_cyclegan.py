"""Bad inputs for imgen_helpers.cyclegan and style_judge: clear errors naming the argument."""

import numpy as np
import tensorflow as tf
from bad_inputs import Bad, parametrize

from imgen_helpers import cyclegan as cg
from imgen_helpers import style_judge as sj
from imgen_helpers.style_network import TransformNetConfig

TINY = cg.CycleGANConfig(
    generator=TransformNetConfig(filters=(4, 8, 8), residual_blocks=1),
    patch_filters=(8,),
    patch_deep=8,
)
CROPS = np.zeros((2, 16, 16, 3), np.float32)


def _model(**changes):
    arguments = dict(
        photo_to_painting=cg.build_generator(TINY, "g"),
        painting_to_photo=cg.build_generator(TINY, "f"),
        photo_judge=cg.build_discriminator(TINY, "d_a"),
        painting_judge=cg.build_discriminator(TINY, "d_b"),
    )
    return cg.CycleGAN(**{**arguments, **changes})


def _compiled():
    model = _model()
    model.compile()
    return model


def _pairs(photos, paintings):
    return tf.data.Dataset.from_tensors((photos, paintings))


def _same_generator_twice():
    g = cg.build_generator(TINY, "g")
    return _model(photo_to_painting=g, painting_to_photo=g)


CASES = {
    "imgen_helpers.cyclegan.CycleGANConfig": [
        Bad("type", lambda: cg.CycleGANConfig(generator=(16, 32, 64)), TypeError, "generator"),
        Bad("type", lambda: cg.CycleGANConfig(patch_filters=32), TypeError, "patch_filters"),
        Bad("count", lambda: cg.CycleGANConfig(patch_deep=0), ValueError, "patch_deep"),
    ],
    "imgen_helpers.cyclegan.build_generator": [
        Bad("type", lambda: cg.build_generator("small"), TypeError, "config"),
        Bad("type", lambda: cg.build_generator(TINY, name=3), TypeError, "name"),
    ],
    "imgen_helpers.cyclegan.discriminator_layers": [
        Bad("type", lambda: cg.discriminator_layers(None), TypeError, "config"),
    ],
    "imgen_helpers.cyclegan.build_discriminator": [
        Bad("type", lambda: cg.build_discriminator(TransformNetConfig()), TypeError, "config"),
    ],
    "imgen_helpers.cyclegan.cycle_loss": [
        Bad("compat", lambda: cg.cycle_loss(CROPS, CROPS[:1]), ValueError, "real"),
        Bad("type", lambda: cg.cycle_loss("photos", CROPS), TypeError, "real"),
    ],
    "imgen_helpers.cyclegan.identity_loss": [
        Bad("compat", lambda: cg.identity_loss(CROPS, CROPS[:, :8]), ValueError, "real"),
    ],
    "imgen_helpers.cyclegan.CycleGAN": [
        Bad("type", lambda: _model(photo_judge="patchgan"), TypeError, "photo_judge"),
        Bad("value", _same_generator_twice, ValueError, "four different models"),
        Bad("range", lambda: _model(cycle_weight=-10.0), ValueError, "cycle_weight"),
        Bad("range", lambda: _model(identity_weight=-1.0), ValueError, "identity_weight"),
        Bad("type", lambda: _compiled().fit(CROPS, verbose=0), TypeError, "x"),
        Bad(
            "value",
            lambda: _compiled().fit(tf.data.Dataset.from_tensors(CROPS), verbose=0),
            ValueError,
            "x",
        ),
        Bad("range", lambda: _compiled().fit(_pairs(CROPS + 2, CROPS), verbose=0), ValueError, "x"),
        Bad(
            "range",
            lambda: _compiled().fit(_pairs(CROPS, CROPS + 255), verbose=0),
            ValueError,
            "x's paintings",
        ),
    ],
    "imgen_helpers.cyclegan.unpaired_dataset": [
        Bad("type", lambda: cg.unpaired_dataset(photos="coffee"), TypeError, "photos"),
        Bad("value", lambda: cg.unpaired_dataset(paintings=()), TypeError, "paintings"),
        Bad("count", lambda: cg.unpaired_dataset(batch_size=0), ValueError, "batch_size"),
        Bad("count", lambda: cg.unpaired_dataset(seed=-1), ValueError, "seed"),
    ],
    "imgen_helpers.cyclegan.make_cyclegan": [
        Bad("type", lambda: cg.make_cyclegan("small"), TypeError, "config"),
        Bad("count", lambda: cg.make_cyclegan(TINY, seed=-2), ValueError, "seed"),
    ],
    "imgen_helpers.cyclegan.train_cyclegan": [
        Bad("count", lambda: cg.train_cyclegan(TINY, steps=0), ValueError, "steps"),
        Bad("range", lambda: cg.train_cyclegan(TINY, minutes=-1.0), ValueError, "minutes"),
        Bad("value", lambda: cg.train_cyclegan(TINY, verbose=5), ValueError, "verbose"),
        Bad("type", lambda: cg.train_cyclegan(TINY, callbacks=None), TypeError, "callbacks"),
        Bad("path", lambda: cg.train_cyclegan(TINY, out=__file__), ValueError, "out"),
    ],
    "imgen_helpers.cyclegan.save_cyclegan": [
        Bad(
            "type", lambda: cg.save_cyclegan(cg.build_generator(TINY), "runs/x"), TypeError, "model"
        ),
    ],
    "imgen_helpers.cyclegan.load_cyclegan_generator": [
        Bad(
            "path",
            lambda: cg.load_cyclegan_generator("nowhere.weights.h5"),
            FileNotFoundError,
            "path",
        ),
        Bad("path", lambda: cg.load_cyclegan_generator(__file__), ValueError, "path"),
    ],
    "imgen_helpers.cyclegan.stylize_cyclegan": [
        Bad("type", lambda: cg.stylize_cyclegan("g", CROPS), TypeError, "generator"),
        Bad(
            "range",
            lambda: cg.stylize_cyclegan(cg.build_generator(TINY), CROPS + 255),
            ValueError,
            "image",
        ),
        Bad(
            "rank",
            lambda: cg.stylize_cyclegan(cg.build_generator(TINY), CROPS[0, 0]),
            ValueError,
            "image",
        ),
        Bad(
            "compat",
            lambda: cg.stylize_cyclegan(cg.build_generator(TINY), CROPS[..., :1]),
            ValueError,
            "image",
        ),
    ],
    "imgen_helpers.cyclegan.load_pretrained_cyclegan": [
        Bad("name", lambda: cg.load_pretrained_cyclegan("photo_to_wave"), ValueError, "direction"),
    ],
    "imgen_helpers.style_judge.build_style_judge": [
        Bad("type", lambda: sj.build_style_judge(16), TypeError, "filters"),
        Bad("count", lambda: sj.build_style_judge((16, 0)), ValueError, "filters[1]"),
    ],
    "imgen_helpers.style_judge.train_style_judge": [
        Bad("count", lambda: sj.train_style_judge(steps=0), ValueError, "steps"),
        Bad("count", lambda: sj.train_style_judge(seed=-1), ValueError, "seed"),
        Bad("type", lambda: sj.train_style_judge(photos="coffee", steps=1), TypeError, "photos"),
    ],
    "imgen_helpers.style_judge.painting_logit": [
        Bad("type", lambda: sj.painting_logit("judge", CROPS), TypeError, "judge"),
        Bad(
            "rank",
            lambda: sj.painting_logit(sj.build_style_judge(), CROPS[0, 0]),
            ValueError,
            "images",
        ),
    ],
    "imgen_helpers.style_judge.painting_probability": [
        Bad("type", lambda: sj.painting_probability(None, CROPS), TypeError, "judge"),
        Bad(
            "range",
            lambda: sj.painting_probability(sj.build_style_judge(), CROPS + 2),
            ValueError,
            "images",
        ),
        Bad(
            "value",
            lambda: sj.painting_probability(sj.build_style_judge(), CROPS[:, :8, :8]),
            ValueError,
            "images",
        ),
    ],
}

test_bad_inputs = parametrize(CASES)
