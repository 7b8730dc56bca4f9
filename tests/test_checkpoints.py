import keras
import numpy as np
import pytest

from imgen_helpers import checkpoints
from imgen_helpers.data import data_dir


def _tiny_model():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="dense")], name="tiny")
    model.compile(optimizer="adam", loss="mse")
    return model


def test_saves_every_n_epochs_keeps_the_newest_and_resumes(tmp_path):
    x, y = np.ones((8, 3), np.float32), np.zeros((8, 2), np.float32)
    model = _tiny_model()
    callback = checkpoints.Checkpoint(tmp_path, every=2, keep=2)
    model.fit(x, y, epochs=7, verbose=0, callbacks=[callback])
    # epochs 2, 4, 6 and the last (7) were saved; only the newest two are kept
    assert [epoch for _, epoch in checkpoints.list_checkpoints(tmp_path)] == [6, 7]
    path, epoch = checkpoints.latest_checkpoint(tmp_path)
    assert epoch == 7
    restored = _tiny_model()
    restored.load_weights(path)
    np.testing.assert_array_equal(
        restored.get_layer("dense").kernel, model.get_layer("dense").kernel
    )


def test_models_with_their_own_save_and_companion_files_are_pruned_together(tmp_path):
    class Custom(keras.Model):
        def save_checkpoint(self, path):
            self.save_weights(path)
            open(path.replace(".weights.h5", ".extra.npz"), "wb").close()

    inputs = keras.Input((3,))
    model = Custom(inputs, keras.layers.Dense(1)(inputs))
    model.compile(optimizer="sgd", loss="mse")
    model.fit(
        np.ones((4, 3)),
        np.ones((4, 1)),
        epochs=3,
        verbose=0,
        callbacks=[checkpoints.Checkpoint(tmp_path, keep=1)],
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "epoch_0003.extra.npz",
        "epoch_0003.weights.h5",
    ]


def test_nothing_to_resume_and_bad_arguments(tmp_path):
    assert checkpoints.latest_checkpoint(tmp_path / "missing") is None
    assert checkpoints.latest_checkpoint(tmp_path) is None
    with pytest.raises(ValueError, match="every must be a positive"):
        checkpoints.Checkpoint(tmp_path, every=0)
    with pytest.raises(ValueError, match="keep must be"):
        checkpoints.Checkpoint(tmp_path, keep=0)
    with pytest.raises(ValueError, match="inside the course data folder"):
        checkpoints.Checkpoint(data_dir() / "weights" / "runs")
