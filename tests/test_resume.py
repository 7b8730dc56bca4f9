"""Nothing lost on interruption: saves that survive SIGKILL, and resume that is exact.

Every run happens in a child process (``resume_run.py``), killed with SIGKILL as Colab or a
closed laptop would, and the next step happens in a fresh process, as a learner's would.
"""

import ast
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
# Where a save is killed: its first, middle and last HDF5 array write, and each rename into
# place (how many there are is counted from a save that finishes, not assumed).
KILL_POINTS = [("dataset", "first"), ("dataset", "middle"), ("dataset", "last")] + [
    ("replace", "first"),
    ("replace", "middle"),
    ("replace", "last"),
]


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


@pytest.fixture(scope="module")
def save_events(tmp_path_factory) -> dict[str, int]:
    """How many HDF5 array writes and renames one save of the tiny GAN makes (it finishes)."""
    folder = tmp_path_factory.mktemp("finished")
    run = _child("save", str(folder), "replace", "0")  # counted, never killed
    assert run.returncode == 0, run.stderr[-2000:]
    counts = ast.literal_eval(run.stdout.split("events in one save: ")[1].splitlines()[0])
    assert counts["dataset"] > 10 and counts["replace"] == 3  # weights, noise state, manifest
    assert callbacks.latest_checkpoint(folder)[1] == 2  # a save that finished is the newest
    return counts


def _kill_during_save(folder: Path, point: str, n: int) -> None:
    """Kill a save at the n-th ``point``; the previous checkpoint must load, bit for bit."""
    run = _child("save", str(folder), point, str(n))
    assert run.returncode == -9, run.stderr[-2000:]  # SIGKILL, in the middle of the save
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        path, epoch = callbacks.latest_checkpoint(folder)
    assert epoch == 1, (point, n)
    if (folder / "epoch_0002.weights.h5").exists():  # the half-saved one was seen and skipped
        skipped = "epoch_0002.weights.h5 (the save did not finish"
        assert any(skipped in str(w.message) for w in caught)
    model = build("gan")
    callbacks.restore_checkpoint(model, path)
    restored = folder / "restored.npz"
    np.savez(restored, **state(model))
    assert _max_difference(restored, folder / "saved_1.npz") == 0.0, (point, n)


@pytest.mark.parametrize("point, where", KILL_POINTS)
def test_a_save_killed_anywhere_leaves_the_previous_checkpoint_loadable(
    tmp_path, point, where, save_events
):
    count = save_events[point]
    n = {"first": 1, "middle": (count + 1) // 2, "last": count}[where]
    _kill_during_save(tmp_path, point, n)


@pytest.mark.skipif(
    os.environ.get("IMGEN_KILL_POINTS") != "all", reason="the full sweep: IMGEN_KILL_POINTS=all"
)
def test_a_save_killed_at_every_point_leaves_the_previous_checkpoint_loadable(
    tmp_path, save_events
):
    for point, count in save_events.items():
        for n in range(1, count + 1):
            _kill_during_save(tmp_path / f"{point}_{n}", point, n)


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
