"""Bad inputs for imgen_helpers.callbacks: each must get a clear error naming the argument.

Loading the wrong file is here too: a checkpoint of another model or configuration, or a
single network's weights, is refused with an error saying what the file holds.
"""

import functools
import tempfile
from pathlib import Path

import keras
import numpy as np
from bad_inputs import Bad, parametrize

from imgen_helpers import callbacks
from imgen_helpers.data import data_dir


def _dense(units=2, name="tiny"):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(units)], name=name)
    model.compile(optimizer="adam", loss="mse")
    return model


@functools.cache
def _files() -> dict[str, Path]:
    """A checkpoint of a 2-unit model, and a bare weights file, written once."""
    folder = Path(tempfile.mkdtemp(prefix="imgen-errors-"))
    checkpoint = callbacks.save_checkpoint(_dense(2), folder / "epoch_0001.weights.h5")
    bare = folder / "generator.weights.h5"
    _dense(2).save_weights(bare)
    text = folder / "epoch_0002.weights.h5"
    text.write_text("not a checkpoint")
    return {"checkpoint": Path(checkpoint), "bare": bare, "text": text, "folder": folder}


def _restore_into(model, key):
    callbacks.restore_checkpoint(model, _files()[key])


class Other(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(2)

    def call(self, x):
        return self.dense(x)


def _other():
    model = Other()
    model(np.zeros((1, 3), np.float32))
    model.compile(optimizer="adam", loss="mse")
    return model


CASES = {
    "imgen_helpers.callbacks.Checkpoint": [
        Bad("count", lambda: callbacks.Checkpoint("runs/x", every=0), ValueError, "every"),
        Bad("type", lambda: callbacks.Checkpoint("runs/x", every="2"), TypeError, "every"),
        Bad("count", lambda: callbacks.Checkpoint("runs/x", keep=0), ValueError, "keep"),
        Bad(
            "path",
            lambda: callbacks.Checkpoint(data_dir() / "weights" / "runs"),
            ValueError,
            "directory",
        ),
        Bad("type", lambda: callbacks.Checkpoint(5), TypeError, "directory"),
    ],
    "imgen_helpers.callbacks.list_checkpoints": [
        Bad("type", lambda: callbacks.list_checkpoints(None), TypeError, "directory"),
    ],
    "imgen_helpers.callbacks.latest_checkpoint": [
        Bad(
            "path",
            lambda: callbacks.latest_checkpoint("runs/chekpoints"),
            FileNotFoundError,
            "directory",
        ),
        Bad("type", lambda: callbacks.latest_checkpoint(3), TypeError, "directory"),
    ],
    "imgen_helpers.callbacks.resume": [
        Bad("type", lambda: callbacks.resume("runs/x", "runs/x"), TypeError, "model"),
        Bad("type", lambda: callbacks.resume(_dense(), 7), TypeError, "directory"),
    ],
    "imgen_helpers.callbacks.save_checkpoint": [
        Bad("path", lambda: callbacks.save_checkpoint(_dense(), "model.h5"), ValueError, "path"),
        Bad(
            "path",
            lambda: callbacks.save_checkpoint(_dense(), "runs/last.weights.h5"),
            ValueError,
            "path",
        ),
        Bad(
            "type",
            lambda: callbacks.save_checkpoint("model", "runs/epoch_0001.weights.h5"),
            TypeError,
            "model",
        ),
    ],
    "imgen_helpers.callbacks.restore_checkpoint": [
        Bad(
            "path",
            lambda: callbacks.restore_checkpoint(_dense(), "runs/none/epoch_0001.weights.h5"),
            FileNotFoundError,
            "path",
        ),
        Bad("type", lambda: callbacks.restore_checkpoint(_dense(), None), TypeError, "path"),
        Bad(
            "type",
            lambda: callbacks.restore_checkpoint(None, _files()["checkpoint"]),
            TypeError,
            "model",
        ),
        # the wrong file: another configuration, another model, a single network, not HDF5
        Bad(
            "compat",
            lambda: _restore_into(_dense(4), "checkpoint"),
            ValueError,
            "is (3, 2) in the file but (3, 4) here",
        ),
        Bad(
            "compat",
            lambda: _restore_into(_other(), "checkpoint"),
            ValueError,
            "holds a checkpoint of a Sequential",
        ),
        Bad(
            "compat",
            lambda: _restore_into(_dense(2), "bare"),
            ValueError,
            "not a complete checkpoint",
        ),
        Bad(
            "compat",
            lambda: _restore_into(_dense(2), "text"),
            ValueError,
            "no readable Keras weights",
        ),
    ],
    "imgen_helpers.callbacks.SampleGrid": [
        Bad("rank", lambda: callbacks.SampleGrid(np.zeros(8)), ValueError, "fixed_latents"),
        Bad(
            "finite",
            lambda: callbacks.SampleGrid(np.full((4, 8), np.nan)),
            ValueError,
            "fixed_latents",
        ),
        Bad("count", lambda: callbacks.SampleGrid(np.zeros((4, 8)), every=0), ValueError, "every"),
        Bad("count", lambda: callbacks.SampleGrid(np.zeros((4, 8)), ncols=0), ValueError, "ncols"),
        Bad("type", lambda: callbacks.SampleGrid(np.zeros((4, 8)), show="no"), TypeError, "show"),
    ],
    "imgen_helpers.callbacks.EpochTimer": [
        Bad("type", lambda: callbacks.EpochTimer(verbose="no"), TypeError, "verbose"),
    ],
    "imgen_helpers.callbacks.TimeLimit": [
        Bad("value", lambda: callbacks.TimeLimit(-1), ValueError, "seconds"),
        Bad("type", lambda: callbacks.TimeLimit("60"), TypeError, "seconds"),
    ],
}
test_bad_inputs = parametrize(CASES)
