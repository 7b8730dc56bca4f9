"""Checkpoints every N epochs, and resuming from the newest one after an interruption.

One callback for every model in the course. Files are ``<directory>/epoch_NNNN.weights.h5``
plus any companions a model writes beside them (``epoch_NNNN.*``). A model that defines
``save_checkpoint(path)`` (the :class:`imgen_helpers.gan.GAN`, which also stores both optimizers
and its noise state) decides what goes in; any other Keras model is saved with
``save_weights``, which stores a compiled model's optimizer slots too.

Resume with ``latest_checkpoint(directory)`` and ``fit(..., initial_epoch=epoch)``.
Taught in ``03_dcgan.ipynb`` and ``05_vae.ipynb``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import keras

_PATTERN = re.compile(r"epoch_(\d+)\.weights\.h5$")


def _refuse_data_folder(directory: Path) -> None:
    from .data import data_dir

    try:
        data = data_dir().resolve()
    except FileNotFoundError:
        return
    where = directory.resolve()
    if data in (where, *where.parents):
        raise ValueError(
            f"{directory} is inside the course data folder, which the package never writes "
            "to: checkpoint under runs/ instead."
        )


class Checkpoint(keras.callbacks.Callback):
    """Save the model every ``every`` epochs (and after the last one).

    Args:
        directory: where to write (created); default ``runs/checkpoints``. Never under ``data/``.
        every: epochs between checkpoints.
        keep: how many of the newest checkpoints to keep (None keeps all).
    """

    def __init__(
        self,
        directory: str | os.PathLike = "runs/checkpoints",
        every: int = 1,
        keep: int | None = 3,
    ):
        super().__init__()
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise ValueError(f"every must be a positive number of epochs; got {every!r}.")
        if keep is not None and (not isinstance(keep, int) or keep < 1):
            raise ValueError(
                f"keep must be a positive number of checkpoints or None; got {keep!r}."
            )
        self.directory, self.every, self.keep = Path(directory), every, keep
        _refuse_data_folder(self.directory)
        self.saved: list[str] = []

    def on_epoch_end(self, epoch, logs=None):
        done = epoch + 1
        last = bool(self.params) and done == self.params.get("epochs")
        if done % self.every and not last:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        path = str(self.directory / f"epoch_{done:04d}.weights.h5")
        save = getattr(self.model, "save_checkpoint", None)
        if callable(save):
            save(path)
        else:
            self.model.save_weights(path)
        self.saved.append(path)
        if self.keep is not None:
            for _, old_epoch in list_checkpoints(self.directory)[: -self.keep]:
                for file in self.directory.glob(f"epoch_{old_epoch:04d}.*"):
                    file.unlink(missing_ok=True)


def list_checkpoints(directory: str | os.PathLike) -> list[tuple[str, int]]:
    """All checkpoints in ``directory`` as ``(path, epochs done)``, oldest first."""
    found = []
    for path in Path(directory).glob("epoch_*.weights.h5"):
        match = _PATTERN.search(path.name)
        if match:
            found.append((str(path), int(match.group(1))))
    return sorted(found, key=lambda item: item[1])


def latest_checkpoint(directory: str | os.PathLike = "runs/checkpoints") -> tuple[str, int] | None:
    """The newest checkpoint in ``directory`` as ``(path, epochs done)``, or None if none.

    Pass the epoch to ``fit(initial_epoch=...)`` so training continues at the next epoch.
    """
    if not Path(directory).is_dir():
        return None
    found = list_checkpoints(directory)
    return found[-1] if found else None
