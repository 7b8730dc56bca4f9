"""The small MNIST classifier that lesson 08's metrics read, and its input check.

Inception-v3 cannot be downloaded in a classroom without network or in CI, and its features
fit 28x28 digits badly, so every metric in :mod:`imgen_helpers.metrics` reads this small
classifier instead (TF-GAN's MNIST evaluation does the same).

* :func:`as_unit_images`: the one input check, any digit batch to float32 ``(N, 28, 28, 1)``
  in ``[0, 1]``;
* :func:`build_classifier`, :func:`train_classifier`, :func:`save_classifier` (the command
  line ``train-classifier`` of :mod:`imgen_helpers.cli` calls these two);
* :func:`load_classifier`: the shipped weights, sha256-checked (or a file saved above);
* :func:`classifier_logits`, :func:`classifier_probs`, :func:`classifier_features`: what the
  shipped classifier says about a batch of images.

Images are any ``(N, 28, 28)`` or ``(N, 28, 28, 1)`` array in ``[0, 1]`` or ``[-1, 1]``
(uint8 in ``[0, 255]`` is accepted too). Taught in ``08_evaluating_generators.ipynb``.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import keras
import numpy as np

from . import checks
from .images import guess_range, to_unit_range

CLASSIFIER_WEIGHTS = "weights/mnist_classifier.weights.h5"
"""The shipped classifier weights, relative to ``data/`` (a key of ``data.SHIPPED``)."""

CLASSIFIER_TEST_ACCURACY = 0.9905
"""Accuracy of the shipped classifier on the 2,000 held-out offline test digits."""

IMAGE_SHAPE = (28, 28, 1)
NUM_CLASSES = 10
FEATURE_LAYER = "features"
"""Name of the penultimate layer whose activations the distances use."""


# --------------------------------------------------------------------------------------
# Input check
# --------------------------------------------------------------------------------------


def as_unit_images(
    images, value_range: Literal["auto", "unit", "symmetric"] = "auto", name: str = "images"
) -> np.ndarray:
    """Check a batch of digits and return it as float32 ``(N, 28, 28, 1)`` in ``[0, 1]``.

    The shape check is about digits; the array, finiteness and range checks are those of
    :mod:`imgen_helpers.checks`, and the conversion is :func:`imgen_helpers.images.to_unit_range`.

    Args:
        images: array or tensor ``(N, 28, 28)`` or ``(N, 28, 28, 1)``, float in ``[0, 1]``
            (sigmoid output) or ``[-1, 1]`` (tanh output), or uint8 in ``[0, 255]``.
        value_range: ``"auto"`` detects the range; ``"unit"`` or ``"symmetric"`` forces it
            (use it when a ``[-1, 1]`` batch happens to hold no negative value).
        name: what to call the argument in error messages.

    Returns:
        float32 array ``(N, 28, 28, 1)`` in ``[0, 1]``.
    """
    checks.one_of("value_range", value_range, ("auto", "unit", "symmetric"))
    checks.instance("name", name, str)
    if "bfloat16" in str(getattr(images, "dtype", "")):  # a generator under mixed_bfloat16
        images = np.asarray(images, np.float32)
    x = checks.as_array(images, name)
    if x.ndim == 4 and x.shape[-1] == 1:
        x = x[..., 0]
    if x.ndim != 3 or x.shape[1:] != IMAGE_SHAPE[:2]:
        raise ValueError(
            f"{name} must be a batch of 28x28 grey digits, shape (N, 28, 28) or (N, 28, 28, 1); "
            f"got shape {x.shape}. For one image use image[None]; resize other sizes first."
        )
    if len(x) == 0:
        raise ValueError(f"{name} is empty: give at least one image.")
    if x.dtype == np.uint8:
        return to_unit_range(x, "uint8")[..., None]
    if not np.issubdtype(x.dtype, np.floating):
        raise TypeError(
            f"{name} must be float in [0, 1] or [-1, 1], or uint8 in [0, 255]; got dtype "
            f"{x.dtype}: convert 8-bit grey levels with x.astype(np.uint8) or x / 255."
        )
    x = checks.array(name, x)  # finite, float32
    source = _range_of(x) if value_range == "auto" else value_range
    if source is None:  # neither [0, 1] nor [-1, 1]: say what it looks like
        lo, hi = float(x.min()), float(x.max())
        looks = "it looks like [0, 255] (8-bit grey levels): divide by 255"
        raise ValueError(
            f"{name} must be float in [0, 1] or [-1, 1] (expected a sigmoid or tanh output, "
            f"or uint8 in [0, 255]); got values in [{lo:.3g}, {hi:.3g}]: "
            f"{looks if lo >= 0 and hi <= 255 else 'rescale it first'}."
        )
    checks.images(name, x, value_range=source, ranks=(3,))
    return to_unit_range(x, source)[..., None]


def _range_of(x: np.ndarray) -> str | None:
    """``"unit"``, ``"symmetric"`` (a tanh output: some value < 0) or None, for a float batch."""
    try:
        found = guess_range(x)
    except ValueError:  # outside [-1, 1] and [0, 255]
        return None
    return found if found in ("unit", "symmetric") else None


# --------------------------------------------------------------------------------------
# Building and training
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassifierConfig:
    """How the metric classifier is built and trained (the shipped weights use the defaults)."""

    filters: tuple[int, int] = (32, 64)  # channels of the two convolution blocks
    feature_dim: int = 128  # width of the penultimate layer the distances use
    dropout: float = 0.3  # dropout before and after the penultimate layer
    epochs: int = 12  # passes over the (augmented) training digits
    batch_size: int = 128  # images per gradient step
    learning_rate: float = 1e-3  # Adam step size, decayed by cosine to zero
    max_shift: int = 2  # random translation in pixels, the only augmentation
    copies: int = 3  # randomly shifted copies of each training digit added to the original
    seed: int = 0  # seeds the weights, the shifts and the shuffling
    train_digits: int | None = None  # use only the first N training digits (None: all 8,000)

    def __post_init__(self):
        filters = self.filters
        if not isinstance(filters, tuple | list) or len(filters) != 2:
            raise TypeError(f"filters must be two channel counts, e.g. (32, 64); got {filters!r}.")
        fields = {
            "filters": tuple(
                checks.positive_int(f"filters[{i}]", n) for i, n in enumerate(filters)
            ),
            "feature_dim": checks.positive_int("feature_dim", self.feature_dim),
            "dropout": checks.number("dropout", self.dropout, minimum=0.0, below=1.0),
            "epochs": checks.positive_int("epochs", self.epochs),
            "batch_size": checks.positive_int("batch_size", self.batch_size),
            "learning_rate": checks.positive("learning_rate", self.learning_rate),
            "max_shift": checks.integer("max_shift", self.max_shift, minimum=0, maximum=13),
            "copies": checks.integer("copies", self.copies, minimum=0),
            "seed": checks.integer("seed", self.seed, minimum=0),
        }
        if self.train_digits is not None:
            fields["train_digits"] = checks.positive_int("train_digits", self.train_digits)
        for name, value in fields.items():  # frozen: store the cleaned values (3.0 -> 3)
            object.__setattr__(self, name, value)


def build_classifier(config: ClassifierConfig = ClassifierConfig()) -> keras.Model:
    """The metric classifier: two conv-pool blocks, a 128-wide penultimate layer, 10 logits.

    Every layer is float32 whatever the global dtype policy, so the metrics do not change
    when a notebook trains its generators under ``mixed_bfloat16``.

    Args:
        config: sizes (see :class:`ClassifierConfig`).

    Returns:
        A ``keras.Model`` named ``mnist_classifier``: input ``(N, 28, 28, 1)`` float32 in
        ``[0, 1]``, output logits ``(N, 10)`` float32. Its layer ``"features"`` is the
        penultimate (ReLU) layer.
    """
    checks.instance("config", config, ClassifierConfig)
    f1, f2 = config.filters
    inputs = keras.Input(IMAGE_SHAPE, name="digit", dtype="float32")
    x = inputs
    for block, filters in enumerate((f1, f2), start=1):
        x = keras.layers.Conv2D(
            filters,
            3,
            padding="same",
            activation="relu",
            dtype="float32",
            name=f"block{block}_conv",
        )(x)
        x = keras.layers.MaxPooling2D(2, dtype="float32", name=f"block{block}_pool")(x)
    x = keras.layers.Flatten(dtype="float32", name="flatten")(x)  # (batch, 7*7*f2)
    x = keras.layers.Dropout(config.dropout, dtype="float32", name="dropout_in")(x)
    x = keras.layers.Dense(
        config.feature_dim, activation="relu", dtype="float32", name=FEATURE_LAYER
    )(x)
    x = keras.layers.Dropout(config.dropout, dtype="float32", name="dropout_out")(x)
    logits = keras.layers.Dense(NUM_CLASSES, dtype="float32", name="logits")(x)
    return keras.Model(inputs, logits, name="mnist_classifier")


def shift_digits(images: np.ndarray, max_shift: int, seed: int) -> np.ndarray:
    """Translate each digit by a random whole-pixel shift in ``[-max_shift, max_shift]``.

    The border that moves in is zero (black), as in MNIST. Deterministic for a given seed.

    Args:
        images: ``(N, 28, 28, 1)`` float32 in ``[0, 1]``.
        max_shift: largest shift in pixels along each axis.
        seed: seeds the shifts.

    Returns:
        The shifted images, same shape and dtype.
    """
    images = checks.images("images", images, value_range="unit", ranks=(4,))
    max_shift = checks.integer(
        "max_shift", max_shift, minimum=0, maximum=min(images.shape[1:3]) - 1
    )
    seed = checks.integer("seed", seed, minimum=0)
    rng = np.random.default_rng(seed)
    n, h, w = images.shape[:3]
    pad = max_shift
    padded = np.pad(images, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    dy, dx = rng.integers(-pad, pad + 1, size=(2, n))
    rows = np.arange(h)[None, :] + pad - dy[:, None]  # (n, h) source rows
    cols = np.arange(w)[None, :] + pad - dx[:, None]  # (n, w) source columns
    return padded[np.arange(n)[:, None, None], rows[:, :, None], cols[:, None, :]]


def augment_digits(
    images, labels, max_shift: int = 2, copies: int = 3, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """The digits plus ``copies`` randomly shifted copies of each (the classifier's augmentation).

    Args:
        images: ``(N, 28, 28[, 1])`` in any accepted range (see :func:`as_unit_images`).
        labels: ``(N,)`` digit classes 0..9.
        max_shift: largest shift in pixels (:func:`shift_digits`).
        copies: shifted copies per digit (0: the digits alone).
        seed: copy ``i`` is shifted with seed ``seed * 1000 + i + 1``.

    Returns:
        float32 ``((copies + 1) * N, 28, 28, 1)`` in ``[0, 1]`` and int32 labels.
    """
    x = as_unit_images(images)
    labels = checks.labels("labels", labels, NUM_CLASSES, count=len(x))
    copies = checks.integer("copies", copies, minimum=0)
    seed = checks.integer("seed", seed, minimum=0)
    shifted = [shift_digits(x, max_shift, seed * 1000 + i + 1) for i in range(copies)]
    return np.concatenate([x, *shifted]), np.tile(labels, copies + 1)


def fit_classifier(
    images,
    labels,
    config: ClassifierConfig = ClassifierConfig(),
    verbose: int = 0,
    reseed: bool = True,
) -> keras.Model:
    """Train the metric classifier's architecture on any labelled digits, real or generated.

    The recipe of the shipped classifier (``config``'s augmentation, Adam with a cosine decay,
    float32, op determinism), on the digits given: :func:`train_classifier` calls it on the
    real training digits; the Classification Accuracy Score
    (:func:`imgen_helpers.metrics.classification_accuracy_score`) on generated ones.

    Args:
        images: ``(N, 28, 28[, 1])`` in any accepted range.
        labels: ``(N,)`` digit classes 0..9.
        config: sizes and budget (``train_digits`` is not used here: pass the digits you want).
        verbose: Keras ``fit`` verbosity.
        reseed: first reseed Python, NumPy, TensorFlow and Keras with ``config.seed`` (see
            :func:`train_classifier`).

    Returns:
        The trained model (logits (N, 10)). Taught in ``10_conditional_gans.ipynb``.
    """
    from .runtime import determinism_scope, precision_scope, set_seed

    checks.instance("config", config, ClassifierConfig)
    verbose = checks.integer("verbose", verbose, minimum=0, maximum=2)
    reseed = checks.boolean("reseed", reseed)
    x, y = augment_digits(images, labels, config.max_shift, config.copies, config.seed)
    with precision_scope("float32"), determinism_scope():
        if reseed:
            set_seed(config.seed)
        model = build_classifier(config)
        steps = config.epochs * math.ceil(len(x) / config.batch_size)
        schedule = keras.optimizers.schedules.CosineDecay(config.learning_rate, steps)
        model.compile(
            optimizer=keras.optimizers.Adam(schedule),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            metrics=["accuracy"],
        )
        model.fit(
            x, y, batch_size=config.batch_size, epochs=config.epochs, shuffle=True, verbose=verbose
        )
    return model


def train_classifier(
    config: ClassifierConfig = ClassifierConfig(), verbose: int = 2, reseed: bool = True
) -> tuple[keras.Model, float]:
    """Train the metric classifier on the offline ``"train"`` split and test it on ``"test"``.

    Trains in float32 with TensorFlow's op determinism on, and restores the dtype policy and
    the determinism setting it found (:func:`imgen_helpers.runtime.precision_scope`,
    :func:`imgen_helpers.runtime.determinism_scope`). The 2,000 held-out offline test digits
    are never used for training; they only give the reported accuracy.

    Args:
        config: sizes and training budget (defaults produce the shipped weights).
        verbose: Keras ``fit`` verbosity.
        reseed: first reseed Python, NumPy, TensorFlow and Keras with ``config.seed``
            (:func:`imgen_helpers.runtime.set_seed`). This changes process-wide random state,
            and it is what makes the same config on the same TensorFlow version give the same
            weights: Keras draws initial weights, dropout masks and the shuffling from the
            global seed. With ``False`` the run depends on the random state it finds.

    Returns:
        ``(model, held_out_accuracy)``.
    """
    from .data import load_mnist

    checks.instance("config", config, ClassifierConfig)
    verbose = checks.integer("verbose", verbose, minimum=0, maximum=2)
    reseed = checks.boolean("reseed", reseed)
    train_x, train_y = load_mnist("train", source="offline", verbose=verbose > 0)
    test_x, test_y = load_mnist("test", source="offline", verbose=verbose > 0)
    if config.train_digits is not None and config.train_digits > len(train_x):
        raise ValueError(
            f"config.train_digits must be at most {len(train_x)} (the offline training digits); "
            f"got {config.train_digits}: use None for all of them."
        )
    digits = slice(config.train_digits)
    model = fit_classifier(train_x[digits], train_y[digits], config, verbose, reseed)
    return model, classifier_accuracy(model, test_x, test_y)


def save_classifier(
    model: keras.Model, path: str | Path, config: ClassifierConfig = ClassifierConfig()
) -> Path:
    """Write a trained classifier's weights, and nothing else, to a ``.weights.h5`` file.

    A fresh, uncompiled copy built from ``config`` receives the weights and is saved: saving
    the trained model itself would also store Adam's moments (about three times the size),
    and the metrics only need the weights. :func:`load_classifier` reads such a file.

    Args:
        model: a classifier trained by :func:`train_classifier` with the same ``config``.
        path: where to write; must end with ``.weights.h5``. Parent folders are created.
        config: the sizes ``model`` was built with.

    Returns:
        The path written.
    """
    checks.instance("model", model, keras.Model, "a keras.Model (from train_classifier)")
    path = checks.path("path", path)
    if not path.name.endswith(".weights.h5"):
        raise ValueError(
            f"path must end with .weights.h5 (Keras' weights-only format); got {str(path)!r}. "
            "Use for example 'runs/mnist_classifier.weights.h5'."
        )
    clean = build_classifier(config)
    _check_same_weights("model", model, clean)
    clean.set_weights(model.get_weights())
    path.parent.mkdir(parents=True, exist_ok=True)
    clean.save_weights(path)
    return path


# --------------------------------------------------------------------------------------
# The shipped classifier and what it says about images
# --------------------------------------------------------------------------------------


def load_classifier(
    path: str | Path | None = None, config: ClassifierConfig = ClassifierConfig()
) -> keras.Model:
    """The shipped metric classifier, or one whose weights :func:`save_classifier` wrote.

    Only weights are loaded (``load_weights`` into :func:`build_classifier`), never a
    pickled or serialised model, so a tampered file cannot run code. The shipped file's
    sha256 listed in ``data.SHIPPED`` is checked first, and the shipped model is cached:
    later calls return the same model (``load_classifier.cache_clear()`` forgets it).

    Args:
        path: a ``.weights.h5`` file written by :func:`save_classifier`; None (default) for
            the shipped weights.
        config: the sizes the weights in ``path`` were trained with.

    Returns:
        ``keras.Model``: input ``(N, 28, 28, 1)`` float32 in ``[0, 1]``, output logits ``(N, 10)``.
    """
    checks.instance("config", config, ClassifierConfig)
    if path is None:
        if config != ClassifierConfig():
            raise ValueError(
                "config describes your own weights file: pass its path too (the shipped weights "
                "use the default ClassifierConfig())."
            )
        return _shipped_classifier()
    path = checks.path("path", path, exists=True)
    if not path.name.endswith(".weights.h5"):
        raise ValueError(
            f"path must be a .weights.h5 file written by save_classifier; got {str(path)!r}."
        )
    model = build_classifier(config)
    checks.weights_file(
        "path",
        path,
        model,
        "Load a file written by save_classifier, with the config it was saved with.",
    )
    model.load_weights(path)
    model.trainable = False
    return model


@functools.lru_cache(maxsize=1)
def _shipped_classifier() -> keras.Model:
    """The shipped classifier, built once per process (its file is sha256-checked first)."""
    from .data import shipped_path

    model = build_classifier()
    model.load_weights(shipped_path(CLASSIFIER_WEIGHTS))
    model.trainable = False
    return model


load_classifier.cache_clear = _shipped_classifier.cache_clear


def _shapes(model: keras.Model) -> dict[str, list[tuple[int, ...]]]:
    """Layer name -> shapes of its weights, for the layers that have weights."""
    return {
        layer.name: [tuple(w.shape) for w in layer.weights]
        for layer in model.layers
        if layer.weights
    }


def _describe(shapes: dict[str, list[tuple[int, ...]]]) -> str:
    text = ", ".join(f"{name} {' '.join(map(str, s))}" for name, s in shapes.items())
    return text if len(text) <= 300 else text[:297] + "..."


def _check_same_weights(name: str, model: keras.Model, expected: keras.Model) -> None:
    """``model`` must have the layers and weight shapes of ``expected`` (built from a config)."""
    found, wanted = _shapes(model), _shapes(expected)
    if found != wanted:
        raise ValueError(
            f"{name} does not match config: {name} has {_describe(found)}; a classifier built "
            f"from config has {_describe(wanted)}. Pass the config the model was built with."
        )


@functools.lru_cache(maxsize=1)
def _two_headed_model() -> keras.Model:
    """The shipped classifier returning ``[features, logits]`` from one forward pass."""
    model = load_classifier()
    features = model.get_layer(FEATURE_LAYER).output
    return keras.Model(model.input, [features, model.output], name="features_and_logits")


def _batched(model: keras.Model, x: np.ndarray, batch_size: int):
    """Run ``model`` over ``x`` in batches; concatenates each output (one array or a list)."""
    outputs = [model(x[i : i + batch_size], training=False) for i in range(0, len(x), batch_size)]
    if isinstance(outputs[0], list | tuple):
        return [
            np.concatenate([np.asarray(o[j], np.float32) for o in outputs])
            for j in range(len(outputs[0]))
        ]
    return np.concatenate([np.asarray(o, np.float32) for o in outputs])


def _softmax(logits: np.ndarray) -> np.ndarray:
    z = logits.astype(np.float64)
    z -= z.max(axis=1, keepdims=True)
    probs = np.exp(z)
    return probs / probs.sum(axis=1, keepdims=True)


def classifier_accuracy(model: keras.Model, images, labels, batch_size: int = 500) -> float:
    """Share of ``images`` (any accepted range) whose arg-max logit equals ``labels``.

    Args:
        model: a classifier taking ``(N, 28, 28, 1)`` and returning 10 logits.
        images: ``(N, 28, 28[, 1])`` in ``[0, 1]`` or ``[-1, 1]`` (or uint8).
        labels: ``(N,)`` digit classes 0..9.
        batch_size: images per forward pass.
    """
    checks.model_input("model", model, IMAGE_SHAPE, "digits")
    if tuple(model.output_shape[1:]) != (NUM_CLASSES,):
        raise ValueError(
            f"model must output {NUM_CLASSES} logits, one per digit; its output has shape "
            f"{model.output_shape}."
        )
    batch_size = checks.positive_int("batch_size", batch_size)
    x = as_unit_images(images)
    labels = checks.labels("labels", labels, NUM_CLASSES, count=len(x))
    logits = _batched(model, x, batch_size)
    return float(np.mean(np.argmax(logits, axis=1) == labels))


def classifier_logits(images, batch_size: int = 500) -> np.ndarray:
    """Logits of the shipped classifier, float32 ``(N, 10)``, computed in batches."""
    batch_size = checks.positive_int("batch_size", batch_size)
    x = as_unit_images(images)
    return _batched(load_classifier(), x, batch_size)


def classifier_probs(images, batch_size: int = 500) -> np.ndarray:
    """Class probabilities p(y|x) from the shipped classifier.

    Args:
        images: ``(N, 28, 28[, 1])`` in ``[0, 1]`` or ``[-1, 1]`` (or uint8).
        batch_size: images per forward pass (bounds the memory used).

    Returns:
        float64 array ``(N, 10)``, rows summing to 1.
    """
    return _softmax(classifier_logits(images, batch_size))


def features_and_probs(images, batch_size: int = 500) -> tuple[np.ndarray, np.ndarray]:
    """Penultimate features float32 ``(N, 128)`` and probabilities float64 ``(N, 10)``, one pass."""
    batch_size = checks.positive_int("batch_size", batch_size)
    x = as_unit_images(images)
    features, logits = _batched(_two_headed_model(), x, batch_size)
    return features, _softmax(logits)


def classifier_features(images, batch_size: int = 500) -> np.ndarray:
    """Penultimate-layer features (the "Inception pool3" analogue), float32 ``(N, 128)``.

    Batched, so 10,000 digits need a few tens of MB. Taught in ``08_evaluating_generators``.
    """
    return features_and_probs(images, batch_size)[0]
