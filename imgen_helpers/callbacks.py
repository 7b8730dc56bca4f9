"""Callbacks for every model of the course: checkpoints and resume, pictures, time.

* :class:`Checkpoint` saves every N epochs; :func:`latest_checkpoint` finds the newest complete
  one and :func:`restore_checkpoint` loads it, so ``fit(..., initial_epoch=epoch)`` continues
  (:func:`resume` does both). One mechanism for every model: the weights of every layer and
  every optimizer (a GAN has two) through Keras' ``save_weights``, the state of every noise
  generator beside them, and a manifest written last, so a run killed during a save never
  leaves a half-written checkpoint that looks like the newest.
* :class:`SampleGrid`: pictures from the same ``fixed_latents`` during training, kept as GIF
  frames.
* :class:`EpochTimer` and :class:`TimeLimit`: wall time per epoch, and a wall-time budget.

Files are ``<directory>/epoch_NNNN.weights.h5``, ``epoch_NNNN.noise.npz`` and
``epoch_NNNN.json`` (the manifest). Taught in
``03_dcgan.ipynb`` and ``05_vae.ipynb``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
import warnings
from pathlib import Path

import keras
import numpy as np

from . import checks

_MANIFEST = re.compile(r"epoch_(\d+)\.json$")
_WEIGHTS = re.compile(r"epoch_(\d+)\.weights\.h5$")
_FORMAT = "imgen-checkpoint-1"
_NO_MANIFEST = (
    "the save did not finish, or imgen 0.2 wrote it: its manifest is missing (load an 0.2 "
    "checkpoint with model.load_weights(path))"
)


def _refuse_data_folder(directory: Path) -> None:
    from .data import data_dir

    try:
        data = data_dir().resolve()
    except FileNotFoundError:
        return
    where = directory.resolve()
    if data in (where, *where.parents):
        raise ValueError(
            f"directory {directory} is inside the course data folder, which the package never "
            "writes to: checkpoint under runs/ instead."
        )


class Checkpoint(keras.callbacks.Callback):
    """Save the model every ``every`` epochs (and after the last one), safely.

    Each checkpoint is written with :func:`save_checkpoint`, so a run killed in the middle of a
    save leaves the previous checkpoint as the newest complete one.

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
        self.directory = checks.path("directory", directory)
        self.every = checks.positive_int("every", every)
        self.keep = None if keep is None else checks.positive_int("keep", keep)
        _refuse_data_folder(self.directory)
        self.saved: list[str] = []

    def on_epoch_end(self, epoch, logs=None):
        done = epoch + 1
        last = bool(self.params) and done == self.params.get("epochs")
        if done % self.every and not last:
            return
        path = save_checkpoint(self.model, self.directory / f"epoch_{done:04d}.weights.h5")
        self.saved.append(path)
        if self.keep is not None:
            for _, old_epoch in list_checkpoints(self.directory)[: -self.keep]:
                _remove(self.directory, old_epoch)


def _remove(directory: Path, epoch: int) -> None:
    manifest = directory / f"epoch_{epoch:04d}.json"
    manifest.unlink(missing_ok=True)  # first, so a half-removed checkpoint is never listed
    for file in directory.glob(f"epoch_{epoch:04d}.*"):
        file.unlink(missing_ok=True)


def list_checkpoints(directory: str | os.PathLike) -> list[tuple[str, int]]:
    """Checkpoints in ``directory`` whose save finished, as ``(path, epochs done)``, oldest first.

    A save finished when its manifest (``epoch_NNNN.json``, written last) is there; whether the
    files still match it is checked by :func:`latest_checkpoint`.
    """
    directory = checks.path("directory", directory)
    found = []
    for manifest in directory.glob("epoch_*.json"):
        match = _MANIFEST.search(manifest.name)
        if match:
            found.append((str(manifest.with_suffix(".weights.h5")), int(match.group(1))))
    return sorted(found, key=lambda item: item[1])


def latest_checkpoint(directory: str | os.PathLike = "runs/checkpoints") -> tuple[str, int] | None:
    """The newest complete checkpoint in ``directory`` as ``(path, epochs done)``, or None.

    A folder that does not exist raises ``FileNotFoundError`` (a mistyped name would otherwise
    look like "no checkpoint yet"); :func:`resume` is the call for a run that may not have
    saved anything yet.

    Complete means the save finished and the files are the ones it wrote (their SHA-256 match
    the manifest). Newer checkpoints that are incomplete (a run killed during a save) or damaged
    are skipped with a warning that names them and says why. Pass the epoch to
    ``fit(initial_epoch=...)``, or use :func:`resume`, which does both steps.
    """
    directory = checks.path("directory", directory, exists=True)
    complete = {epoch for _, epoch in list_checkpoints(directory)}
    started = {
        int(m.group(1))
        for p in directory.glob("epoch_*.weights.h5")
        if (m := _WEIGHTS.search(p.name))
    }
    skipped = []
    for epoch in sorted(complete | started, reverse=True):
        path = directory / f"epoch_{epoch:04d}.weights.h5"
        problem = _NO_MANIFEST if epoch not in complete else _damage(path)
        if problem is None:
            if skipped:
                warnings.warn(
                    f"resuming from {path.name}; skipped newer {'; '.join(skipped)}.", stacklevel=2
                )
            return str(path), epoch
        skipped.append(f"{path.name} ({problem})")
    if skipped:
        warnings.warn(f"no complete checkpoint in {directory}: {'; '.join(skipped)}.", stacklevel=2)
    return None


def resume(model: keras.Model, directory: str | os.PathLike = "runs/checkpoints") -> int:
    """Restore the newest complete checkpoint of ``directory`` into ``model``; return its epoch.

    Returns 0 (and leaves the model as it is) when there is none yet, so the same cell starts a
    run or continues it: ``fit(data, epochs=E, initial_epoch=resume(model, folder))``. For an
    exact continuation, also start the data where it stopped:
    ``mnist_epochs(..., start_epoch=epoch)`` (see ``03_dcgan.ipynb``). Exact means: the epochs
    before the interruption were whole. A run that :class:`TimeLimit` stopped ends with a
    partial epoch, saved as a whole one; resuming after it skips the rest of that epoch's
    batches.
    """
    checks.instance("model", model, keras.Model, "a keras.Model")
    if not checks.path("directory", directory).is_dir():
        print(f"no folder {directory} yet, so no checkpoint: starting at epoch 0.")
        return 0
    found = latest_checkpoint(directory)
    if found is None:
        print(f"no checkpoint in {directory}: starting at epoch 0.")
        return 0
    path, epoch = found
    restore_checkpoint(model, path)
    print(f"resumed from {path} (epoch {epoch}).")
    return epoch


def _companions(weights_path: str | Path) -> tuple[Path, Path]:
    """The noise-state file and the manifest beside a ``epoch_NNNN.weights.h5``."""
    stem = str(weights_path)[: -len(".weights.h5")]
    return Path(stem + ".noise.npz"), Path(stem + ".json")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_manifest(path: Path) -> dict | None:
    try:
        manifest = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and manifest.get("format") == _FORMAT else None


def _damage(weights_path: Path) -> str | None:
    """Why the checkpoint at ``weights_path`` cannot be trusted, or None if it is whole."""
    noise, manifest_path = _companions(weights_path)
    manifest = _read_manifest(manifest_path)
    if manifest is None:
        return "its manifest is unreadable"
    for file, key in ((weights_path, "weights_sha256"), (noise, "noise_sha256")):
        if not file.is_file():
            return f"{file.name} is missing"
        if _sha256(file) != manifest.get(key):
            return f"{file.name} differs from what was saved"
    return None


def _seed_generators(model: keras.Model) -> list[keras.random.SeedGenerator]:
    """Every noise generator of the model and its layers, in a fixed order.

    Keras' ``save_weights`` leaves their states out; without them a resumed run would draw
    different latents, dropout masks or VAE noise than the run it continues.
    """
    found = []
    for layer in model._flatten_layers(include_self=True, recursive=True):
        for _, value in sorted(vars(layer).items()):
            if isinstance(value, keras.random.SeedGenerator) and value not in found:
                found.append(value)
    return found


def _optimizers(model: keras.Model) -> list[keras.optimizers.Optimizer]:
    found = vars(model).values()
    return [v for v in found if isinstance(v, keras.optimizers.Optimizer)]


def _signature(model: keras.Model) -> list[list]:
    """Name and shape of every weight, in order: what a checkpoint of ``model`` holds."""
    return [[w.path, list(w.shape)] for w in model.weights]


def _describe(kind: str, name: str, signature: list) -> str:
    numbers = sum(int(np.prod(shape)) for _, shape in signature)
    return f"{kind} {name!r} with {len(signature)} weight arrays ({numbers:,} numbers)"


def _write_atomically(final: Path, write) -> None:
    """Call ``write(temporary_path)``, flush it to disk, then rename it to ``final``.

    A rename within a folder is atomic: ``final`` is either the old file or the new, whole one.
    """
    temporary = final.with_name(f".tmp-{os.getpid()}-{final.name}")
    try:
        write(temporary)
        with open(temporary, "rb+") as file:
            os.fsync(file.fileno())
        os.replace(temporary, final)
    finally:
        temporary.unlink(missing_ok=True)


def save_checkpoint(model: keras.Model, path: str | os.PathLike) -> str:
    """Save ``model`` to ``path`` (``epoch_NNNN.weights.h5``): layers, optimizers, noise state.

    Keras' ``save_weights`` stores the weights of every layer and of every optimizer the model
    holds as an attribute (``optimizer``, or a GAN's ``d_optimizer`` and ``g_optimizer``); the
    state of every ``keras.random.SeedGenerator`` goes to ``epoch_NNNN.noise.npz``. Each file is
    written under a temporary name and renamed into place; the manifest ``epoch_NNNN.json``
    (model, weight shapes, SHA-256 of both files) is written last, so a save killed half-way is
    never taken for a checkpoint.

    Returns:
        ``path`` as a string.
    """
    checks.instance("model", model, keras.Model, "a keras.Model")
    path = checks.path("path", path, suffix=".weights.h5")
    if not _WEIGHTS.search(path.name):
        raise ValueError(f"path must be named epoch_NNNN.weights.h5; got {path.name!r}.")
    path.parent.mkdir(parents=True, exist_ok=True)
    noise, manifest = _companions(path)
    states = {
        f"g{i}": keras.ops.convert_to_numpy(g.state) for i, g in enumerate(_seed_generators(model))
    }
    _write_atomically(path, lambda tmp: model.save_weights(str(tmp)))  # tmp ends in .weights.h5
    _write_atomically(noise, lambda tmp: _save_npz(tmp, states))
    record = {
        "format": _FORMAT,
        "model": type(model).__name__,
        "name": model.name,
        "weights": _signature(model),
        "noise_generators": len(states),
        "weights_sha256": _sha256(path),
        "noise_sha256": _sha256(noise),
    }
    _write_atomically(manifest, lambda tmp: tmp.write_text(json.dumps(record, indent=1)))
    _sync_folder(path.parent)
    return str(path)


def _save_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    with open(path, "wb") as file:  # a file object, so NumPy does not append ".npz"
        np.savez(file, **arrays)


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entries (the renames) to disk, where the system allows it."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows cannot open folders
        return
    try:
        os.fsync(handle)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(handle)


def restore_checkpoint(model: keras.Model, path: str | os.PathLike) -> None:
    """Load what :func:`save_checkpoint` wrote into ``model``, built and compiled like it.

    Compile the model first so its optimizers' states (Adam's moments, step counts) are
    restored too; resume with ``fit(..., initial_epoch=epoch)``. A checkpoint of another kind
    of model or configuration, or a file that is not a checkpoint, is refused with an error
    saying what the file holds and what this model expected.

    Args:
        model: the same kind of model, same configuration, compiled.
        path: a ``...weights.h5`` file, e.g. the first item of :func:`latest_checkpoint`.
    """
    checks.instance("model", model, keras.Model, "a keras.Model")
    path = checks.path("path", path)
    if not path.is_file():
        raise FileNotFoundError(f"path: no checkpoint at {path}; see latest_checkpoint(directory).")
    noise, manifest_path = _companions(path)
    manifest = _read_manifest(manifest_path)
    if manifest is None:
        raise ValueError(
            f"path {path} is not a complete checkpoint (no {manifest_path.name} beside it): "
            f"it holds {_describe_file(path)}. A single network's weights, or a checkpoint "
            "that imgen 0.2 wrote, load with load_weights(path) on that network or model; "
            "checkpoints come from Checkpoint or save_checkpoint."
        )
    _check_same_model(model, manifest, path)
    optimizer = getattr(model, "optimizer", None)
    own = [opt for opt in _optimizers(model) if opt is not optimizer]  # a GAN's two
    if optimizer is not None and not optimizer.built and not own:
        optimizer.build(model.trainable_variables)  # so Keras finds the slots to load into
    unbuilt = [opt.name for opt in own if not opt.built]
    if unbuilt:
        raise RuntimeError(
            f"optimizers {unbuilt} are not built: compile the model before restoring a checkpoint."
        )
    model.load_weights(str(path))
    generators = _seed_generators(model)
    with np.load(noise) as states:
        for i, generator in enumerate(generators):
            generator.state.assign(states[f"g{i}"])


def _check_same_model(model: keras.Model, manifest: dict, path: Path) -> None:
    held = _describe(manifest["model"], manifest["name"], manifest["weights"])
    here = _describe(type(model).__name__, model.name, _signature(model))
    if manifest["model"] != type(model).__name__:
        raise ValueError(f"path {path} holds a checkpoint of a {held}, not of this {here}.")
    shapes = [shape for _, shape in manifest["weights"]]
    mine = [shape for _, shape in _signature(model)]
    if shapes != mine:
        first = next(
            (i for i, (a, b) in enumerate(zip(shapes, mine, strict=False)) if a != b),
            min(len(shapes), len(mine)),
        )
        detail = (
            f"{manifest['weights'][first][0]} is {tuple(shapes[first])} in the file but "
            f"{tuple(mine[first])} here"
            if first < min(len(shapes), len(mine))
            else "the number of weight arrays differs"
        )
        raise ValueError(
            f"path {path} holds a checkpoint of a {held}, but this model is a {here} ({detail}): "
            "build the model with the configuration that made the checkpoint."
        )
    if manifest.get("noise_generators") != len(_seed_generators(model)):
        raise ValueError(
            f"path {path} holds {manifest.get('noise_generators')} noise-generator states, but "
            f"this model has {len(_seed_generators(model))}: build it as the checkpointed one was."
        )


def _describe_file(path: Path) -> str:
    """A short account of a Keras ``.weights.h5`` file: how many arrays, for which layers."""
    try:
        stored = checks.stored_arrays(path)
    except ValueError:
        return "no readable Keras weights (not an HDF5 file, or a damaged one)"
    arrays = [shape for shapes in stored.values() for shape in shapes]
    numbers = sum(int(np.prod(shape)) for shape in arrays)
    return f"{len(arrays)} arrays ({numbers:,} numbers) for layers {list(stored)[:6]}"


class SampleGrid(keras.callbacks.Callback):
    """Images from the same ``fixed_latents`` every ``every`` epochs, kept as GIF frames.

    Args:
        fixed_latents: (M, latent_dim) latents, the same for the whole run, so frames compare.
        every: epochs between pictures (the last epoch of a ``fit`` always gets one).
        show: draw each grid in the notebook as training runs.
        ncols: columns of the grid.
        include_start: also take a picture before the first epoch.

    After training, ``frames`` holds grids (float32 in [0, 1]) and ``epochs`` their epoch
    numbers; ``save_gif(path)`` writes them. Taught in ``03_dcgan.ipynb``.
    """

    def __init__(
        self,
        fixed_latents,
        every: int = 1,
        show: bool = True,
        ncols: int | None = None,
        include_start: bool = False,
    ):
        super().__init__()
        self.fixed_latents = checks.array("fixed_latents", fixed_latents, ranks=(2,))
        self.every = checks.positive_int("every", every)
        self.show = checks.boolean("show", show)
        self.ncols = None if ncols is None else checks.positive_int("ncols", ncols)
        self.include_start = checks.boolean("include_start", include_start)
        self.frames: list[np.ndarray] = []
        self.epochs: list[int] = []

    def _grid_generator(self):
        if getattr(self.model, "ema_generator", None) is not None:
            return self.model.ema_generator
        return getattr(self.model, "generator", self.model)

    def take(self, epoch: int) -> np.ndarray:
        """Make, store and (if ``show``) draw the grid after ``epoch`` epochs; return the grid."""
        from .plotting import image_grid, show_grid

        images = np.asarray(self._grid_generator()(self.fixed_latents, training=False), np.float32)
        self.frames.append(image_grid(images, self.ncols, value_range="symmetric"))
        self.epochs.append(int(epoch))
        if self.show:
            import matplotlib.pyplot as plt

            fig = show_grid(
                images,
                ncols=self.ncols,
                value_range="symmetric",
                size=0.8,
                suptitle=f"epoch {epoch}",
            )
            try:
                from IPython.display import display

                display(fig)
            except ImportError:  # pragma: no cover - no IPython: just skip the live view
                pass
            plt.close(fig)
        return self.frames[-1]

    def on_train_begin(self, logs=None):
        self._params_epochs = self.params.get("epochs") if self.params else None
        if self.include_start and not self.frames:
            self.take(0)

    def on_epoch_end(self, epoch, logs=None):
        last = self._params_epochs is not None and epoch + 1 == self._params_epochs
        if (epoch + 1) % self.every == 0 or last or self.model.stop_training:
            self.take(epoch + 1)

    def save_gif(self, path: str | os.PathLike = "runs/progress.gif", fps: float = 3.0) -> str:
        """Write the collected frames as an animated GIF (under ``runs/`` by default)."""
        from .plotting import save_gif

        if not self.frames:
            raise ValueError(
                "no frames yet: train with this callback first (fit(..., callbacks=[grid]))."
            )
        return save_gif(self.frames, path, fps=fps, value_range="unit")


class EpochTimer(keras.callbacks.Callback):
    """Record (and print) each epoch's wall time in ``seconds``. Taught in ``03_dcgan.ipynb``."""

    def __init__(self, verbose: bool = True):
        super().__init__()
        self.verbose, self.seconds = checks.boolean("verbose", verbose), []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)
        if self.verbose:
            print(f"epoch {epoch + 1}: {self.seconds[-1]:.1f} s")


class TimeLimit(keras.callbacks.Callback):
    """Stop training after ``seconds`` of wall time (checked after every batch)."""

    def __init__(self, seconds: float):
        super().__init__()
        self.seconds, self.steps = checks.non_negative("seconds", seconds), 0

    def on_train_begin(self, logs=None):
        self._start = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        self.steps += 1
        if time.perf_counter() - self._start >= self.seconds:
            self.model.stop_training = True
