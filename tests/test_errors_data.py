"""Bad inputs for imgen_helpers.data: each must get a clear error naming the argument."""

import functools

import numpy as np
import tensorflow as tf
from bad_inputs import Bad, parametrize

from imgen_helpers import data

OFF = {"source": "offline", "verbose": False}
DIGITS = np.zeros((4, 28, 28), np.uint8)


def _both(name, *bads):
    """The same bad inputs for mnist_dataset and mnist_epochs, which share their checks."""
    return {
        f"imgen_helpers.data.{fn}": [
            Bad(kind, functools.partial(getattr(data, fn), **OFF, **kwargs), error, names)
            for kind, kwargs, error, names in bads
        ]
        for fn in name
    }


CASES = {
    "imgen_helpers.data.data_dir": [
        Bad(
            "path",
            lambda: _with_env(data.DATA_ENV, "/no/such/folder", data.data_dir),
            FileNotFoundError,
            data.DATA_ENV,
        ),
    ],
    "imgen_helpers.data.shipped_path": [
        Bad("name", lambda: data.shipped_path("style/wave.png"), ValueError, "relative"),
        Bad("type", lambda: data.shipped_path("style/wave.jpg", verify="yes"), TypeError, "verify"),
    ],
    "imgen_helpers.data.digit_edges": [
        Bad("rank", lambda: data.digit_edges(np.zeros((28, 28))), ValueError, "digits"),
        Bad("range", lambda: data.digit_edges(np.full((2, 28, 28), 200.0)), ValueError, "digits"),
        Bad("range", lambda: data.digit_edges(np.zeros((2, 28, 28)), 1.5), ValueError, "threshold"),
    ],
    "imgen_helpers.data.digit_pairs": [
        Bad("name", lambda: data.digit_pairs("colour", verbose=False), ValueError, "task"),
        Bad("name", lambda: data.digit_pairs(split="val", verbose=False), ValueError, "split"),
        Bad("count", lambda: data.digit_pairs(limit=0, verbose=False), ValueError, "limit"),
        Bad("value", lambda: data.digit_pairs(seed=-1, verbose=False), ValueError, "seed"),
        Bad("type", lambda: data.digit_pairs(verbose="no"), TypeError, "verbose"),
    ],
    "imgen_helpers.data.load_shipped_mnist": [
        Bad("type", lambda: data.load_shipped_mnist(verify=1), TypeError, "verify"),
    ],
    "imgen_helpers.data.load_mnist": [
        Bad("name", lambda: data.load_mnist("training", **OFF), ValueError, "split"),
        Bad("name", lambda: data.load_mnist(source="disk"), ValueError, "source"),
        Bad("type", lambda: data.load_mnist(source="offline", verbose="no"), TypeError, "verbose"),
    ],
    "imgen_helpers.data.load_image": [
        Bad("path", lambda: data.load_image("no_such_painting"), FileNotFoundError, "path_or_name"),
        Bad("type", lambda: data.load_image(np.zeros((8, 8, 3))), TypeError, "path_or_name"),
        Bad("value", lambda: data.load_image("wave", max_size=0), ValueError, "max_size"),
        Bad("type", lambda: data.load_image("wave", max_size="256"), TypeError, "max_size"),
    ],
    "imgen_helpers.data.binarize": [
        Bad("name", lambda: data.binarize(DIGITS, "threshold"), ValueError, "mode"),
        Bad("range", lambda: data.binarize(np.full((2, 28, 28), 3.0)), ValueError, "images"),
        Bad("rank", lambda: data.binarize(np.zeros(28)), ValueError, "images"),
        Bad("finite", lambda: data.binarize(np.full((2, 28, 28), np.nan)), ValueError, "images"),
        Bad("type", lambda: data.binarize("digits.png"), TypeError, "images"),
        Bad("rank", lambda: data.binarize(np.zeros((2, 28, 28, 3))), ValueError, "images"),
        Bad("value", lambda: data.binarize(DIGITS, "dynamic", seed=-1), ValueError, "seed"),
    ],
    **_both(
        ("mnist_dataset", "mnist_epochs"),
        ("type", {"split": 64}, TypeError, "split comes first"),
        ("name", {"split": "training"}, ValueError, "split"),
        ("name", {"pixels": "binary"}, ValueError, "pixels"),
        ("count", {"batch_size": 0}, ValueError, "batch_size"),
        ("type", {"batch_size": "64"}, TypeError, "batch_size"),
        ("count", {"limit": -5}, ValueError, "limit"),
        ("type", {"shuffle": "no"}, TypeError, "shuffle"),
        ("type", {"labels": 1}, TypeError, "labels"),
        ("value", {"seed": -3}, ValueError, "seed"),
        (
            "count",
            {"batch_size": 500, "limit": 100, "drop_remainder": True},
            ValueError,
            "batch_size",
        ),
    ),
    "imgen_helpers.data.dataset_arrays": [
        Bad("type", lambda: data.dataset_arrays(np.zeros((4, 2))), TypeError, "dataset"),
        Bad(
            "count",
            lambda: data.dataset_arrays(tf.data.Dataset.range(3), max_images=0),
            ValueError,
            "max_images",
        ),
        Bad(
            "value",
            lambda: data.dataset_arrays(tf.data.Dataset.range(3).repeat()),
            ValueError,
            "dataset",
        ),
        Bad("value", lambda: data.dataset_arrays(tf.data.Dataset.range(0)), ValueError, "dataset"),
    ],
    "imgen_helpers.data.make_shapes": [
        Bad("count", lambda: data.make_shapes(0), ValueError, "num"),
        Bad("type", lambda: data.make_shapes("8"), TypeError, "num"),
        Bad("value", lambda: data.make_shapes(2, size=4), ValueError, "size"),
        Bad("value", lambda: data.make_shapes(2, seed=-1), ValueError, "seed"),
    ],
    "imgen_helpers.data.shapes_dataset": [
        Bad("count", lambda: data.shapes_dataset(0), ValueError, "batch_size"),
        Bad("type", lambda: data.shapes_dataset(8, seed="0"), TypeError, "seed"),
        Bad("value", lambda: data.shapes_dataset(8, size=2), ValueError, "size"),
    ],
}
CASES["imgen_helpers.data.mnist_epochs"] += [
    Bad("value", lambda: data.mnist_epochs(start_epoch=-1, **OFF), ValueError, "start_epoch"),
    Bad("type", lambda: data.mnist_epochs(start_epoch="3", **OFF), TypeError, "start_epoch"),
]


def _with_env(name, value, call):
    import os

    before = os.environ.get(name)
    os.environ[name] = value
    try:
        return call()
    finally:
        if before is None:
            del os.environ[name]
        else:
            os.environ[name] = before


test_bad_inputs = parametrize(CASES)
