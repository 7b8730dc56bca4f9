"""imgen_helpers.callbacks: checkpoints every N epochs, resume, pictures and time."""

import keras
import numpy as np
import tensorflow as tf
from test_gan import shapes, tiny_gan

from imgen_helpers import callbacks


def _tiny_model():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="dense")], name="tiny")
    model.compile(optimizer="adam", loss="mse")
    return model


def test_saves_every_n_epochs_keeps_the_newest_and_resumes(tmp_path):
    x, y = np.ones((8, 3), np.float32), np.zeros((8, 2), np.float32)
    model = _tiny_model()
    callback = callbacks.Checkpoint(tmp_path, every=2, keep=2)
    model.fit(x, y, epochs=7, verbose=0, callbacks=[callback])
    # epochs 2, 4, 6 and the last (7) were saved; only the newest two are kept, with companions
    assert [epoch for _, epoch in callbacks.list_checkpoints(tmp_path)] == [6, 7]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "epoch_0006.json",
        "epoch_0006.noise.npz",
        "epoch_0006.weights.h5",
        "epoch_0007.json",
        "epoch_0007.noise.npz",
        "epoch_0007.weights.h5",
    ]
    path, epoch = callbacks.latest_checkpoint(tmp_path)
    assert epoch == 7
    restored = _tiny_model()
    callbacks.restore_checkpoint(restored, path)
    np.testing.assert_array_equal(
        restored.get_layer("dense").kernel, model.get_layer("dense").kernel
    )
    assert int(restored.optimizer.iterations) == int(model.optimizer.iterations) == 7


def test_a_gan_checkpoint_holds_both_optimizers_and_the_noise_state(tmp_path):
    model = tiny_gan(seed=0)
    model.fit(tf.data.Dataset.from_tensor_slices(shapes(32)).batch(16), verbose=0)
    path = callbacks.save_checkpoint(model, tmp_path / "epoch_0001.weights.h5")
    other = tiny_gan(seed=1)
    assert int(other.d_optimizer.iterations) == 0
    callbacks.restore_checkpoint(other, path)
    assert int(other.d_optimizer.iterations) == int(other.g_optimizer.iterations) == 2
    for saved, loaded in zip(model.d_optimizer.variables, other.d_optimizer.variables, strict=True):
        np.testing.assert_array_equal(saved, loaded)
    np.testing.assert_array_equal(model.seed_generator.state, other.seed_generator.state)
    np.testing.assert_array_equal(model.latents(4), other.latents(4))  # the same noise next


def test_nothing_to_resume(tmp_path, capsys):
    assert callbacks.latest_checkpoint(tmp_path) is None
    model = _tiny_model()
    before = model.get_layer("dense").kernel.numpy()
    assert callbacks.resume(model, tmp_path) == 0
    assert "starting at epoch 0" in capsys.readouterr().out
    assert callbacks.resume(model, tmp_path / "not_yet") == 0
    assert "no folder" in capsys.readouterr().out
    np.testing.assert_array_equal(model.get_layer("dense").kernel, before)


def test_sample_grid_collects_frames_and_writes_gif(tmp_path):
    model = tiny_gan()
    grid = callbacks.SampleGrid(
        np.zeros((4, 8), np.float32), every=2, show=False, include_start=True
    )
    data = tf.data.Dataset.from_tensor_slices(shapes(16)).batch(16)
    model.fit(data, epochs=3, verbose=0, callbacks=[grid])
    assert grid.epochs == [0, 2, 3]
    assert all(
        f.shape == grid.frames[0].shape and 0 <= f.min() and f.max() <= 1 for f in grid.frames
    )
    assert (tmp_path / "p.gif").exists() is False
    grid.save_gif(tmp_path / "p.gif")
    assert (tmp_path / "p.gif").stat().st_size > 0


def test_time_limit_stops_training_and_the_timer_records_every_epoch():
    timer, limit = callbacks.EpochTimer(verbose=False), callbacks.TimeLimit(seconds=0.0)
    x, y = np.ones((64, 3), np.float32), np.zeros((64, 2), np.float32)
    history = _tiny_model().fit(x, y, batch_size=8, epochs=5, verbose=0, callbacks=[timer, limit])
    assert limit.steps == 1  # a zero budget stops after the first batch
    assert len(history.epoch) == 1 and len(timer.seconds) == 1 and timer.seconds[0] > 0
