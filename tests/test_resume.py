"""Nothing lost on interruption: saves that survive SIGKILL, and resume that is exact.

Every run happens in a child process (``resume_run.py``), killed with SIGKILL as Colab or a
closed laptop would, and the next step happens in a fresh process, as a learner's would.
"""

import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from resume_run import build, state

from imgen_helpers import callbacks

RUN = str(Path(__file__).with_name("resume_run.py"))
SAVE_EVENTS = {"dataset": 72, "replace": 3}  # HDF5 arrays and renames in one tiny-GAN save
if os.environ.get("IMGEN_KILL_POINTS") == "all":  # every point, for the closing measurement
    KILL_POINTS = [(p, n) for p, count in SAVE_EVENTS.items() for n in range(1, count + 1)]
else:  # the first, middle and last array writes, and each rename
    KILL_POINTS = [("dataset", n) for n in (1, 36, 72)] + [("replace", n) for n in (1, 2, 3)]


def _child(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    return subprocess.run(
        [sys.executable, RUN, *args], capture_output=True, text=True, env=env, check=False
    )


def _max_difference(first: Path, second: Path) -> float:
    with np.load(first) as a, np.load(second) as b:
        assert a.files == b.files
        return max(
            float(np.max(np.abs(a[k].astype(np.float64) - b[k].astype(np.float64))))
            for k in a.files
            if a[k].size
        )


@pytest.mark.parametrize("point, n", KILL_POINTS)
def test_a_save_killed_anywhere_leaves_the_previous_checkpoint_loadable(tmp_path, point, n):
    run = _child("save", str(tmp_path), point, str(n))
    assert run.returncode == -9, run.stderr[-2000:]  # SIGKILL, in the middle of the save
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        path, epoch = callbacks.latest_checkpoint(tmp_path)
    assert epoch == 1
    if (tmp_path / "epoch_0002.weights.h5").exists():  # the half-saved one was seen and skipped
        assert any(
            "epoch_0002.weights.h5 (the save did not finish)" in str(w.message) for w in caught
        )
    model = build("gan")
    callbacks.restore_checkpoint(model, path)
    restored = tmp_path / "restored.npz"
    np.savez(restored, **state(model))
    assert _max_difference(restored, tmp_path / "saved_1.npz") == 0.0


def test_a_save_that_finished_is_the_newest(tmp_path):
    run = _child("save", str(tmp_path), "replace", "0")  # counted, never killed
    assert run.returncode == 0, run.stderr[-2000:]
    assert f"events in one save: {SAVE_EVENTS}" in run.stdout  # so KILL_POINTS fall inside it
    path, epoch = callbacks.latest_checkpoint(tmp_path)
    assert epoch == 2


def test_a_damaged_newest_checkpoint_is_skipped_with_the_reason(tmp_path):
    model = build("gan")
    model.fit(np.zeros((16, 28, 28, 1), np.float32), batch_size=16, verbose=0)
    for epoch in (1, 2):
        callbacks.save_checkpoint(model, tmp_path / f"epoch_{epoch:04d}.weights.h5")
    (tmp_path / "epoch_0002.noise.npz").write_bytes(b"truncated")
    with pytest.warns(UserWarning, match=r"epoch_0002.weights.h5 \(epoch_0002.noise.npz differs"):
        assert callbacks.latest_checkpoint(tmp_path)[1] == 1


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory) -> dict[str, Path]:
    """Each model trained for 3 epochs in one go."""
    folder = tmp_path_factory.mktemp("whole")
    runs = {}
    for kind in ("gan", "vae"):
        runs[kind] = folder / f"{kind}.npz"
        run = _child("train", kind, str(folder / kind), "3", str(runs[kind]))
        assert run.returncode == 0, run.stderr[-2000:]
    return runs


@pytest.mark.parametrize("kind", ["gan", "vae"])
def test_a_run_killed_mid_epoch_and_resumed_ends_where_the_uninterrupted_run_ends(
    tmp_path, kind, uninterrupted
):
    resumed = tmp_path / "resumed.npz"
    killed = _child("train", kind, str(tmp_path), "3", str(resumed), "--kill-at", "1", "2")
    assert killed.returncode == -9 and not resumed.exists()  # died in epoch 2, batch 3
    assert callbacks.latest_checkpoint(tmp_path)[1] == 1
    run = _child("train", kind, str(tmp_path), "3", str(resumed), "--resume")
    assert run.returncode == 0, run.stderr[-2000:]
    assert "resumed from" in run.stdout and "(epoch 1)" in run.stdout
    assert _max_difference(uninterrupted[kind], resumed) == 0.0


def test_resuming_with_the_data_restarted_would_not_be_exact(tmp_path, uninterrupted):
    """The control: the comparison above can fail. Restart the data at epoch 0 instead."""
    resumed = tmp_path / "resumed.npz"
    _child("train", "gan", str(tmp_path), "3", str(resumed), "--kill-at", "1", "0")
    _child("train", "gan", str(tmp_path), "3", str(resumed), "--resume", "--data-from", "0")
    assert _max_difference(uninterrupted["gan"], resumed) > 1e-4
