"""The small MNIST classifier that lesson 08's metrics read, and its input check.

Inception-v3 cannot be downloaded in a classroom without network or in CI, and its features
fit 28x28 digits badly, so every metric in :mod:`imgen_helpers.metrics` reads this small
classifier instead (TF-GAN's MNIST evaluation does the same).

* :func:`as_unit_images`: the one input check, any digit batch to float32 ``(N, 28, 28, 1)``
  in ``[0, 1]``;
* :func:`build_classifier`, :func:`train_classifier`, :func:`save_classifier` (the command
  line ``train-classifier`` of :mod:`imgen_helpers.cli` calls these two);
* :func:`load_classifier`: the shipped weights, sha256-checked;
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

from .images import check_image, guess_range, to_unit_range

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

    The shape check is about digits; the range and dtype checks are
    :func:`imgen_helpers.images.check_image`, and the conversion is
    :func:`imgen_helpers.images.to_unit_range`.

    Args:
        images: array or tensor ``(N, 28, 28)`` or ``(N, 28, 28, 1)``, float in ``[0, 1]``
            (sigmoid output) or ``[-1, 1]`` (tanh output), or uint8 in ``[0, 255]``.
        value_range: ``"auto"`` detects the range; ``"unit"`` or ``"symmetric"`` forces it
            (use it when a ``[-1, 1]`` batch happens to hold no negative value).
        name: what to call the argument in error messages.

    Returns:
        float32 array ``(N, 28, 28, 1)`` in ``[0, 1]``.
    """
    x = np.asarray(images.numpy() if hasattr(images, "numpy") else images)
    if x.ndim == 4 and x.shape[-1] == 1:
        x = x[..., 0]
    if x.ndim != 3 or x.shape[1:] != IMAGE_SHAPE[:2]:
        raise ValueError(
            f"{name} must be a batch of 28x28 grey digits, shape (N, 28, 28) or (N, 28, 28, 1); "
            f"got shape {x.shape}. For one image use image[None]; resize other sizes first."
        )
    if len(x) == 0:
        raise ValueError(f"{name} is empty: give at least one image.")
    if value_range not in ("auto", "unit", "symmetric"):
        raise ValueError(f"value_range must be 'auto', 'unit' or 'symmetric', got {value_range!r}.")
    source = "uint8" if x.dtype == np.uint8 else value_range
    if source == "auto":
        source = "symmetric" if _looks_symmetric(x) else "unit"
    if source == "symmetric":  # check the [0, 1] image it maps to
        check_image((x + 1) / 2, f"({name} + 1) / 2 (from [-1, 1])", min_rank=3)
    else:
        check_image(x, name, min_rank=3)
    return to_unit_range(x, source)[..., None]


def _looks_symmetric(x: np.ndarray) -> bool:
    """True for a finite float batch in ``[-1, 1]`` with a negative value (a tanh output)."""
    if not np.issubdtype(x.dtype, np.floating) or not np.all(np.isfinite(x)):
        return False  # check_image then says what is wrong
    try:
        return guess_range(x) == "symmetric"
    except ValueError:  # outside [-1, 1] and [0, 255]: check_image explains
        return False


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
    rng = np.random.default_rng(seed)
    n, h, w = images.shape[:3]
    pad = max_shift
    padded = np.pad(images, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    dy, dx = rng.integers(-pad, pad + 1, size=(2, n))
    rows = np.arange(h)[None, :] + pad - dy[:, None]  # (n, h) source rows
    cols = np.arange(w)[None, :] + pad - dx[:, None]  # (n, w) source columns
    return padded[np.arange(n)[:, None, None], rows[:, :, None], cols[:, None, :]]


def _training_digits(
    config: ClassifierConfig, verbose: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Augmented training digits and labels, then the held-out test digits and labels."""
    from .data import load_mnist

    train_x, train_y = load_mnist("train", source="offline", verbose=verbose)
    test_x, test_y = load_mnist("test", source="offline", verbose=verbose)
    train_x, train_y = train_x[: config.train_digits], train_y[: config.train_digits]
    train_x = as_unit_images(train_x)
    copies = [train_x] + [
        shift_digits(train_x, config.max_shift, config.seed * 1000 + i + 1)
        for i in range(config.copies)
    ]
    x = np.concatenate(copies)  # (copies + 1) * N digits
    y = np.tile(train_y.astype(np.int32), len(copies))
    return x, y, as_unit_images(test_x), test_y


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
    from .runtime import determinism_scope, precision_scope, set_seed

    x, y, test_x, test_y = _training_digits(config, verbose > 0)
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
        accuracy = classifier_accuracy(model, test_x, test_y)
    return model, accuracy


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
    path = Path(path)
    if not path.name.endswith(".weights.h5"):
        raise ValueError(
            f"path must end with .weights.h5 (Keras' weights-only format); got {str(path)!r}. "
            "Use for example 'runs/mnist_classifier.weights.h5'."
        )
    clean = build_classifier(config)
    clean.set_weights(model.get_weights())
    path.parent.mkdir(parents=True, exist_ok=True)
    clean.save_weights(path)
    return path


# --------------------------------------------------------------------------------------
# The shipped classifier and what it says about images
# --------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def load_classifier() -> keras.Model:
    """The shipped metric classifier (weights sha256-checked; architecture built in code).

    Only weights are loaded (``load_weights`` into :func:`build_classifier`), never a
    pickled or serialised model, so a tampered file cannot run code; the sha256 listed in
    ``data.SHIPPED`` is checked first. Cached: later calls return the same model.

    Returns:
        ``keras.Model``: input ``(N, 28, 28, 1)`` float32 in ``[0, 1]``, output logits ``(N, 10)``.
    """
    from .data import shipped_path

    model = build_classifier()
    model.load_weights(shipped_path(CLASSIFIER_WEIGHTS))
    model.trainable = False
    return model


@functools.lru_cache(maxsize=1)
def _two_headed_model() -> keras.Model:
    """The shipped classifier returning ``[features, logits]`` from one forward pass."""
    model = load_classifier()
    features = model.get_layer(FEATURE_LAYER).output
    return keras.Model(model.input, [features, model.output], name="features_and_logits")


def _batched(model: keras.Model, x: np.ndarray, batch_size: int):
    """Run ``model`` over ``x`` in batches; concatenates each output (one array or a list)."""
    if isinstance(batch_size, bool) or int(batch_size) != batch_size or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}.")
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
    """Share of ``images`` (any accepted range) whose arg-max logit equals ``labels``."""
    logits = _batched(model, as_unit_images(images), batch_size)
    return float(np.mean(np.argmax(logits, axis=1) == np.asarray(labels)))


def classifier_logits(images, batch_size: int = 500) -> np.ndarray:
    """Logits of the shipped classifier, float32 ``(N, 10)``, computed in batches."""
    return _batched(load_classifier(), as_unit_images(images), batch_size)


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
    features, logits = _batched(_two_headed_model(), as_unit_images(images), batch_size)
    return features, _softmax(logits)


def classifier_features(images, batch_size: int = 500) -> np.ndarray:
    """Penultimate-layer features (the "Inception pool3" analogue), float32 ``(N, 128)``.

    Batched, so 10,000 digits need a few tens of MB. Taught in ``08_evaluating_generators``.
    """
    return features_and_probs(images, batch_size)[0]
