"""imgen_helpers.checks, the one validation module: each helper refuses what it should.

(Its acceptance side is tested through every other module's bad-input cases and ordinary tests.)
"""

import keras
import numpy as np
import pytest
import tensorflow as tf
from bad_inputs import Bad, parametrize

from imgen_helpers import checks

GREY = np.linspace(0, 1, 128, dtype=np.float32).reshape(2, 8, 8, 1)

CASES = {
    "imgen_helpers.checks.integer": [
        Bad("type", lambda: checks.integer("steps", "5"), TypeError, "steps"),
        Bad("type", lambda: checks.integer("steps", True), TypeError, "steps"),
        Bad("type", lambda: checks.integer("steps", 2.5), TypeError, "steps"),
        Bad("value", lambda: checks.integer("steps", 11, maximum=10), ValueError, "steps"),
    ],
    "imgen_helpers.checks.positive_int": [
        Bad("count", lambda: checks.positive_int("epochs", 0), ValueError, "epochs"),
        Bad("type", lambda: checks.positive_int("epochs", None), TypeError, "epochs"),
    ],
    "imgen_helpers.checks.number": [
        Bad("type", lambda: checks.number("rate", "0.1"), TypeError, "rate"),
        Bad("finite", lambda: checks.number("rate", float("nan")), ValueError, "rate"),
        Bad("value", lambda: checks.number("rate", 1.0, below=1.0), ValueError, "rate"),
    ],
    "imgen_helpers.checks.positive": [
        Bad("value", lambda: checks.positive("learning_rate", -1e-3), ValueError, "learning_rate"),
        Bad("value", lambda: checks.positive("learning_rate", 0), ValueError, "learning_rate"),
    ],
    "imgen_helpers.checks.non_negative": [
        Bad("value", lambda: checks.non_negative("gp_weight", -10), ValueError, "gp_weight"),
    ],
    "imgen_helpers.checks.probability": [
        Bad("value", lambda: checks.probability("beta_1", 1.5), ValueError, "beta_1"),
    ],
    "imgen_helpers.checks.boolean": [
        Bad("type", lambda: checks.boolean("show", "False"), TypeError, "show"),
        Bad("type", lambda: checks.boolean("show", 0), TypeError, "show"),
    ],
    "imgen_helpers.checks.one_of": [
        Bad(
            "name",
            lambda: checks.one_of("loss", "Hinge", ("hinge", "wgan")),
            ValueError,
            "did you mean 'hinge'",
        ),
        Bad("name", lambda: checks.one_of("loss", ["hinge"], ("hinge",)), ValueError, "loss"),
    ],
    "imgen_helpers.checks.instance": [
        Bad("type", lambda: checks.instance("model", "gan", keras.Model), TypeError, "model"),
    ],
    "imgen_helpers.checks.path": [
        Bad("type", lambda: checks.path("out", 3), TypeError, "out"),
        Bad("path", lambda: checks.path("out", "x.png", suffix=".npy"), ValueError, "out"),
        Bad("path", lambda: checks.path("out", "/no/such", exists=True), FileNotFoundError, "out"),
    ],
    "imgen_helpers.checks.as_array": [
        Bad("type", lambda: checks.as_array("cat.png", "image"), TypeError, "load_image"),
        Bad("type", lambda: checks.as_array([[1, 2], [3]], "image"), TypeError, "image"),
        Bad("type", lambda: checks.as_array(None, "image"), TypeError, "image"),
    ],
    "imgen_helpers.checks.array": [
        Bad("rank", lambda: checks.array("z", np.zeros(3), ranks=(2,)), ValueError, "z"),
        Bad("rank", lambda: checks.array("z", np.zeros((2, 3)), shape=(None, 4)), ValueError, "z"),
        Bad("finite", lambda: checks.array("z", [np.inf]), ValueError, "z"),
        Bad("count", lambda: checks.array("z", np.zeros((0, 3))), ValueError, "z"),
    ],
    "imgen_helpers.checks.images": [
        Bad("rank", lambda: checks.images("x", GREY[0]), ValueError, "batch axis"),
        Bad("rank", lambda: checks.images("x", GREY, ranks=(3,)), ValueError, "images[0]"),
        Bad(
            "range",
            lambda: checks.images("x", (GREY * 255).astype(np.uint8)),
            ValueError,
            "divide by 255",
        ),
        Bad("range", lambda: checks.images("x", GREY * 255), ValueError, "divide by 255"),
        Bad("range", lambda: checks.images("x", GREY * 2 - 1), ValueError, "to_unit_range"),
        Bad(
            "range", lambda: checks.images("x", GREY * 3, value_range="symmetric"), ValueError, "x"
        ),
        Bad("value", lambda: checks.images("x", GREY, channels=3), ValueError, "channel"),
        Bad("value", lambda: checks.images("x", GREY, size=(28, 28)), ValueError, "28x28"),
        Bad("finite", lambda: checks.images("x", GREY * np.nan), ValueError, "NaN"),
    ],
    "imgen_helpers.checks.labels": [
        Bad("value", lambda: checks.labels("labels", [12], 10), ValueError, "labels"),
        Bad("value", lambda: checks.labels("labels", [-1], 10), ValueError, "labels"),
        Bad("type", lambda: checks.labels("labels", [0.5], 10), TypeError, "labels"),
        Bad("count", lambda: checks.labels("labels", [1, 2], 10, count=3), ValueError, "labels"),
        Bad("rank", lambda: checks.labels("labels", [[1]], 10), ValueError, "labels"),
    ],
    "imgen_helpers.checks.latents": [
        Bad("rank", lambda: checks.latents("z", np.zeros(8), 8), ValueError, "z[None]"),
        Bad("compat", lambda: checks.latents("z", np.zeros((2, 4)), 8), ValueError, "z"),
    ],
    "imgen_helpers.checks.same_length": [
        Bad(
            "count",
            lambda: checks.same_length(images=np.zeros(3), labels=np.zeros(2)),
            ValueError,
            "labels",
        ),
    ],
    "imgen_helpers.checks.model_input": [
        Bad(
            "type", lambda: checks.model_input("critic", "d", (8,), "latents"), TypeError, "critic"
        ),
        Bad(
            "compat",
            lambda: checks.model_input(
                "critic",
                keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)]),
                (8,),
                "latents",
            ),
            ValueError,
            "critic",
        ),
    ],
    "imgen_helpers.checks.training_images": [
        Bad(
            "range",
            lambda: checks.training_images(
                "x", (GREY * 255).astype(np.uint8), value_range="symmetric"
            ),
            ValueError,
            "to_symmetric_range",
        ),
        Bad(
            "rank",
            lambda: checks.training_images(
                "x", tf.data.Dataset.from_tensor_slices(GREY), value_range="unit"
            ),
            ValueError,
            ".batch(",
        ),
        Bad(
            "compat",
            lambda: checks.training_images("x", GREY, value_range="unit", shape=(28, 28, 1)),
            ValueError,
            "x",
        ),
        Bad(
            "count",
            lambda: checks.training_images(
                "x", tf.data.Dataset.from_tensor_slices(GREY).batch(2).take(0), value_range="unit"
            ),
            ValueError,
            "x",
        ),
    ],
    "imgen_helpers.checks.int_tuple": [
        Bad("type", lambda: checks.int_tuple("size", "256", 2), TypeError, "size"),
        Bad("count", lambda: checks.int_tuple("size", (1, 2, 3), 2), ValueError, "size"),
        Bad("value", lambda: checks.int_tuple("size", (8, 0), 2), ValueError, "size[1]"),
    ],
    "imgen_helpers.checks.seed": [
        Bad("type", lambda: checks.seed("seed", "0"), TypeError, "seed"),
        Bad("value", lambda: checks.seed("seed", -1), ValueError, "seed"),
    ],
    "imgen_helpers.checks.tensor_images": [
        Bad(
            "rank", lambda: checks.tensor_images("image", tf.zeros((8, 8, 3))), ValueError, "image"
        ),
        Bad(
            "range",
            lambda: checks.tensor_images("image", tf.fill((1, 8, 8, 3), 2.0)),
            ValueError,
            "image",
        ),
        Bad(
            "value",
            lambda: checks.tensor_images("image", tf.zeros((1, 8, 8, 1)), channels=3),
            ValueError,
            "image",
        ),
        Bad(
            "rank", lambda: checks.tensor_images("image", keras.Input((8, 8))), ValueError, "image"
        ),
    ],
    "imgen_helpers.checks.tensors": [
        Bad(
            "compat",
            lambda: checks.tensors(mean=np.zeros(3), log_var=np.zeros(4)),
            ValueError,
            "log_var",
        ),
        Bad(
            "compat",
            lambda: checks.tensors(same_shape=True, x=np.zeros((2, 3)), logits=np.zeros((2, 1))),
            ValueError,
            "logits",
        ),
        Bad("finite", lambda: checks.tensors(mean=tf.constant([np.nan])), ValueError, "mean"),
    ],
    "imgen_helpers.checks.first_batch": [
        Bad(
            "count",
            lambda: checks.first_batch("data", tf.data.Dataset.range(3).take(0)),
            ValueError,
            "data",
        ),
    ],
    "imgen_helpers.checks.stored_arrays": [
        Bad("path", lambda: checks.stored_arrays(__file__), ValueError, "not a Keras weights"),
    ],
    "imgen_helpers.checks.weights_file": [
        Bad(
            "path",
            lambda: checks.weights_file("path", "no/such.weights.h5", _dense(2)),
            FileNotFoundError,
            "path",
        ),
        Bad(
            "path",
            lambda: checks.weights_file("path", "model.keras", _dense(2)),
            ValueError,
            "path",
        ),
        Bad(
            "compat",
            lambda: checks.weights_file("path", _saved(_dense(2)), _dense(4)),
            ValueError,
            "path",
        ),
    ],
}
test_bad_inputs = parametrize(CASES)


def _dense(units: int) -> keras.Model:
    return keras.Sequential([keras.Input((3,)), keras.layers.Dense(units)])


def _saved(model: keras.Model) -> str:
    import tempfile

    path = f"{tempfile.mkdtemp()}/model.weights.h5"
    model.save_weights(path)
    return path


def test_a_weights_file_that_fits_passes_and_a_traced_tensor_is_returned_unchanged():
    assert str(checks.weights_file("path", _saved(_dense(2)), _dense(2))).endswith(".weights.h5")
    variable = tf.Variable(tf.zeros((1, 8, 8, 3)))
    assert checks.tensor_images("image", variable, channels=3) is variable


@pytest.mark.parametrize(
    "call, expected",
    [
        (lambda: checks.integer("n", 3.0), 3),
        (lambda: checks.number("r", np.float32(0.5)), 0.5),
        (
            lambda: checks.images("x", (GREY * 255).astype(np.uint8), allow_uint8=True).dtype,
            np.uint8,
        ),
        (lambda: checks.labels("y", np.array([1.0, 9.0]), 10).tolist(), [1, 9]),
        (lambda: checks.one_of("loss", "wgan", ("hinge", "wgan")), "wgan"),
    ],
)
def test_good_inputs_come_back_in_the_form_the_caller_works_with(call, expected):
    assert call() == expected


def test_first_batch_never_peeks_at_a_reshuffling_dataset():
    steady = tf.data.Dataset.range(8).batch(4)
    reshuffled = tf.data.Dataset.range(8).shuffle(8, seed=0).batch(4)
    assert checks.first_batch("data", steady).numpy().tolist() == [0, 1, 2, 3]
    assert checks.first_batch("data", reshuffled) is None
