"""Bad inputs for imgen_helpers.classifier: each must get a clear error naming the argument."""

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

import keras
import numpy as np
from bad_inputs import Bad, parametrize

from imgen_helpers import classifier

Config = classifier.ClassifierConfig
DIGITS = np.full((4, 28, 28), 0.5, np.float32)  # a valid batch in [0, 1]
BATCH = DIGITS[..., None]  # (4, 28, 28, 1)
LABELS = np.array([0, 1, 2, 3])
NAN = DIGITS.copy()
NAN[1, 3, 3] = np.nan  # one NaN pixel
BYTES_AS_FLOAT = np.full((4, 28, 28), 200.0, np.float32)  # [0, 255] grey levels left as float
SMALL = Config(filters=(8, 8), feature_dim=8)  # a tiny classifier: cheap to build


@functools.cache
def _small_model() -> keras.Model:
    return classifier.build_classifier(SMALL)


@functools.cache
def _folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="imgen_errors_classifier_"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


@functools.cache
def _small_weights() -> Path:
    """A weights file of the tiny classifier (SMALL config), as save_classifier writes it."""
    return classifier.save_classifier(_small_model(), _folder() / "small.weights.h5", SMALL)


@functools.cache
def _other_weights() -> Path:
    """A .weights.h5 file of a model that is not a classifier at all."""
    other = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, name="head")])
    path = _folder() / "other.weights.h5"
    other.save_weights(path)
    return path


def _file(name: str, content: bytes = b"not a weights file") -> Path:
    path = _folder() / name
    path.write_bytes(content)
    return path


def _wide_input_model() -> keras.Model:
    inputs = keras.Input((32, 32, 1))
    return keras.Model(inputs, keras.layers.Dense(10)(keras.layers.Flatten()(inputs)))


def _five_class_model() -> keras.Model:
    inputs = keras.Input((28, 28, 1))
    return keras.Model(inputs, keras.layers.Dense(5)(keras.layers.Flatten()(inputs)))


def _image_cases(function) -> list[Bad]:
    """The bad image batches every function reading digits must refuse, plus batch_size."""
    return [
        Bad("type", lambda: function("digit.png"), TypeError, "images"),
        Bad("type", lambda: function(DIGITS.astype(np.int64)), TypeError, "images"),
        Bad("rank", lambda: function(DIGITS[0]), ValueError, "images"),
        Bad("range", lambda: function(BYTES_AS_FLOAT), ValueError, "images"),
        Bad("finite", lambda: function(NAN), ValueError, "images"),
        Bad("count", lambda: function(DIGITS, batch_size=0), ValueError, "batch_size"),
        Bad("type", lambda: function(DIGITS, batch_size="32"), TypeError, "batch_size"),
    ]


CASES = {
    "imgen_helpers.classifier.as_unit_images": [
        Bad("type", lambda: classifier.as_unit_images("digit.png"), TypeError, "images"),
        Bad("type", lambda: classifier.as_unit_images(DIGITS.astype(np.int64)), TypeError, "uint8"),
        Bad("type", lambda: classifier.as_unit_images(DIGITS, name=3), TypeError, "name"),
        Bad("rank", lambda: classifier.as_unit_images(DIGITS[0]), ValueError, "image[None]"),
        Bad("rank", lambda: classifier.as_unit_images(np.zeros((2, 32, 32))), ValueError, "images"),
        Bad("value", lambda: classifier.as_unit_images(DIGITS[:0]), ValueError, "images"),
        Bad("range", lambda: classifier.as_unit_images(BYTES_AS_FLOAT), ValueError, "images"),
        Bad(
            "range", lambda: classifier.as_unit_images(BYTES_AS_FLOAT), ValueError, "divide by 255"
        ),
        Bad("range", lambda: classifier.as_unit_images(DIGITS - 2), ValueError, "images"),
        Bad(
            "range",
            lambda: classifier.as_unit_images(DIGITS * 2 - 1.5, value_range="unit"),
            ValueError,
            "images",
        ),
        Bad("finite", lambda: classifier.as_unit_images(NAN), ValueError, "images"),
        Bad(
            "name",
            lambda: classifier.as_unit_images(DIGITS, value_range="tanh"),
            ValueError,
            "value_range",
        ),
    ],
    "imgen_helpers.classifier.ClassifierConfig": [
        Bad("type", lambda: Config(filters="32,64"), TypeError, "filters"),
        Bad("count", lambda: Config(filters=(0, 64)), ValueError, "filters[0]"),
        Bad("count", lambda: Config(feature_dim=0), ValueError, "feature_dim"),
        Bad("count", lambda: Config(epochs=-1), ValueError, "epochs"),
        Bad("type", lambda: Config(epochs="12"), TypeError, "epochs"),
        Bad("count", lambda: Config(batch_size=0), ValueError, "batch_size"),
        Bad("range", lambda: Config(dropout=1.5), ValueError, "dropout"),
        Bad("range", lambda: Config(learning_rate=-1e-3), ValueError, "learning_rate"),
        Bad("finite", lambda: Config(learning_rate=float("nan")), ValueError, "learning_rate"),
        Bad("range", lambda: Config(max_shift=20), ValueError, "max_shift"),
        Bad("value", lambda: Config(copies=-1), ValueError, "copies"),
        Bad("value", lambda: Config(seed=-1), ValueError, "seed"),
        Bad("count", lambda: Config(train_digits=0), ValueError, "train_digits"),
    ],
    "imgen_helpers.classifier.build_classifier": [
        Bad("type", lambda: classifier.build_classifier({"filters": (8, 8)}), TypeError, "config"),
    ],
    "imgen_helpers.classifier.shift_digits": [
        Bad("type", lambda: classifier.shift_digits("digits.npy", 2, 0), TypeError, "images"),
        Bad("rank", lambda: classifier.shift_digits(DIGITS, 2, 0), ValueError, "images"),
        Bad(
            "range",
            lambda: classifier.shift_digits((BATCH * 255).astype(np.uint8), 2, 0),
            ValueError,
            "images",
        ),
        Bad("range", lambda: classifier.shift_digits(BATCH - 1, 2, 0), ValueError, "images"),
        Bad("finite", lambda: classifier.shift_digits(NAN[..., None], 2, 0), ValueError, "images"),
        Bad("value", lambda: classifier.shift_digits(BATCH, -1, 0), ValueError, "max_shift"),
        Bad("range", lambda: classifier.shift_digits(BATCH, 30, 0), ValueError, "max_shift"),
        Bad("type", lambda: classifier.shift_digits(BATCH, "2", 0), TypeError, "max_shift"),
        Bad("value", lambda: classifier.shift_digits(BATCH, 2, -1), ValueError, "seed"),
    ],
    "imgen_helpers.classifier.augment_digits": [
        Bad("rank", lambda: classifier.augment_digits(DIGITS[0], LABELS), ValueError, "images"),
        Bad("count", lambda: classifier.augment_digits(DIGITS, LABELS[:3]), ValueError, "labels"),
        Bad("range", lambda: classifier.augment_digits(DIGITS, LABELS + 7), ValueError, "labels"),
        Bad(
            "count",
            lambda: classifier.augment_digits(DIGITS, LABELS, copies=-1),
            ValueError,
            "copies",
        ),
        Bad(
            "range",
            lambda: classifier.augment_digits(DIGITS, LABELS, max_shift=40),
            ValueError,
            "max_shift",
        ),
        Bad(
            "value", lambda: classifier.augment_digits(DIGITS, LABELS, seed=-1), ValueError, "seed"
        ),
    ],
    "imgen_helpers.classifier.fit_classifier": [
        Bad(
            "type",
            lambda: classifier.fit_classifier(DIGITS, LABELS, {"epochs": 1}),
            TypeError,
            "config",
        ),
        Bad("finite", lambda: classifier.fit_classifier(NAN, LABELS, SMALL), ValueError, "images"),
        Bad(
            "count",
            lambda: classifier.fit_classifier(DIGITS, LABELS[:2], SMALL),
            ValueError,
            "labels",
        ),
        Bad(
            "range",
            lambda: classifier.fit_classifier(DIGITS, LABELS, SMALL, verbose=3),
            ValueError,
            "verbose",
        ),
        Bad(
            "type",
            lambda: classifier.fit_classifier(DIGITS, LABELS, SMALL, reseed="no"),
            TypeError,
            "reseed",
        ),
    ],
    "imgen_helpers.classifier.train_classifier": [
        Bad("type", lambda: classifier.train_classifier("tiny"), TypeError, "config"),
        Bad("value", lambda: classifier.train_classifier(SMALL, verbose=5), ValueError, "verbose"),
        Bad("type", lambda: classifier.train_classifier(SMALL, reseed="no"), TypeError, "reseed"),
        Bad(
            "count",
            lambda: classifier.train_classifier(Config(epochs=0), verbose=0),
            ValueError,
            "epochs",
        ),
        Bad(
            "count",
            lambda: classifier.train_classifier(Config(train_digits=100_000), verbose=0),
            ValueError,
            "train_digits",
        ),
        Bad(
            "range",
            lambda: classifier.train_classifier(Config(learning_rate=-0.1), verbose=0),
            ValueError,
            "learning_rate",
        ),
    ],
    "imgen_helpers.classifier.save_classifier": [
        Bad(
            "type",
            lambda: classifier.save_classifier("model", _folder() / "a.weights.h5"),
            TypeError,
            "model",
        ),
        Bad(
            "type", lambda: classifier.save_classifier(_small_model(), 7, SMALL), TypeError, "path"
        ),
        Bad(
            "path",
            lambda: classifier.save_classifier(_small_model(), _folder() / "a.keras", SMALL),
            ValueError,
            "path",
        ),
        Bad(
            "compat",
            lambda: classifier.save_classifier(_small_model(), _folder() / "b.weights.h5"),
            ValueError,
            "config",
        ),
        Bad(
            "type",
            lambda: classifier.save_classifier(_small_model(), _folder() / "c.weights.h5", "tiny"),
            TypeError,
            "config",
        ),
    ],
    "imgen_helpers.classifier.load_classifier": [
        Bad("type", lambda: classifier.load_classifier(7), TypeError, "path"),
        Bad(
            "path",
            lambda: classifier.load_classifier("runs/no_such.weights.h5"),
            FileNotFoundError,
            "runs/no_such.weights.h5",
        ),
        Bad("path", lambda: classifier.load_classifier(_file("model.keras")), ValueError, "path"),
        Bad(
            "path",
            lambda: classifier.load_classifier(_file("junk.weights.h5")),
            ValueError,
            "not a Keras weights file",
        ),
        Bad(
            "compat",
            lambda: classifier.load_classifier(
                _small_weights()
            ),  # saved with SMALL, read as default
            ValueError,
            "which do not fit this mnist_classifier",
        ),
        Bad(
            "compat",
            lambda: classifier.load_classifier(_other_weights(), SMALL),
            ValueError,
            "path",
        ),
        Bad(
            "type",
            lambda: classifier.load_classifier(_small_weights(), "small"),
            TypeError,
            "config",
        ),
        Bad("value", lambda: classifier.load_classifier(config=SMALL), ValueError, "config"),
    ],
    "imgen_helpers.classifier.classifier_accuracy": [
        Bad(
            "type",
            lambda: classifier.classifier_accuracy("clf", DIGITS, LABELS),
            TypeError,
            "model",
        ),
        Bad(
            "compat",
            lambda: classifier.classifier_accuracy(_wide_input_model(), DIGITS, LABELS),
            ValueError,
            "model",
        ),
        Bad(
            "compat",
            lambda: classifier.classifier_accuracy(_five_class_model(), DIGITS, LABELS),
            ValueError,
            "model",
        ),
        Bad(
            "rank",
            lambda: classifier.classifier_accuracy(_small_model(), DIGITS[0], LABELS),
            ValueError,
            "images",
        ),
        Bad(
            "range",
            lambda: classifier.classifier_accuracy(_small_model(), BYTES_AS_FLOAT, LABELS),
            ValueError,
            "images",
        ),
        Bad(
            "finite",
            lambda: classifier.classifier_accuracy(_small_model(), NAN, LABELS),
            ValueError,
            "images",
        ),
        Bad(
            "value",
            lambda: classifier.classifier_accuracy(_small_model(), DIGITS, [0, 1, 2, 12]),
            ValueError,
            "labels",
        ),
        Bad(
            "count",
            lambda: classifier.classifier_accuracy(_small_model(), DIGITS, LABELS[:3]),
            ValueError,
            "labels",
        ),
        Bad(
            "type",
            lambda: classifier.classifier_accuracy(_small_model(), DIGITS, ["0", "1", "2", "3"]),
            TypeError,
            "labels",
        ),
        Bad(
            "count",
            lambda: classifier.classifier_accuracy(_small_model(), DIGITS, LABELS, batch_size=-5),
            ValueError,
            "batch_size",
        ),
    ],
    "imgen_helpers.classifier.classifier_logits": _image_cases(classifier.classifier_logits),
    "imgen_helpers.classifier.classifier_probs": _image_cases(classifier.classifier_probs),
    "imgen_helpers.classifier.features_and_probs": _image_cases(classifier.features_and_probs),
    "imgen_helpers.classifier.classifier_features": _image_cases(classifier.classifier_features),
}

test_bad_inputs = parametrize(CASES)
