"""Callbacks for every model of the course: checkpoints and resume, pictures, time.

* :class:`Checkpoint` saves every N epochs; :func:`latest_checkpoint` finds the newest and
  :func:`restore_checkpoint` loads it, so ``fit(..., initial_epoch=epoch)`` continues. One
  mechanism for every model: the weights of every layer and every optimizer (a GAN has two)
  through Keras' ``save_weights``, and the state of every noise generator beside them.
* :class:`SampleGrid`: pictures from the same ``fixed_latents`` during training, kept as GIF
  frames.
* :class:`EpochTimer` and :class:`TimeLimit`: wall time per epoch, and a wall-time budget.

Files are ``<directory>/epoch_NNNN.weights.h5`` plus ``epoch_NNNN.noise.npz``. Taught in
``03_dcgan.ipynb`` and ``05_vae.ipynb``.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import keras
import numpy as np

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
        save_checkpoint(self.model, path)
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


def _noise_path(weights_path: str) -> str:
    return weights_path[: -len(".weights.h5")] + ".noise.npz"


def _seed_generators(model: keras.Model) -> dict[str, keras.random.SeedGenerator]:
    """The model's own noise generators, by attribute name."""
    found = vars(model).items()
    return {k: v for k, v in sorted(found) if isinstance(v, keras.random.SeedGenerator)}


def _optimizers(model: keras.Model) -> list[keras.optimizers.Optimizer]:
    found = vars(model).values()
    return [v for v in found if isinstance(v, keras.optimizers.Optimizer)]


def save_checkpoint(model: keras.Model, path: str | os.PathLike) -> str:
    """Save ``model`` to ``path`` (``*.weights.h5``): layers, optimizers and noise state.

    Keras' ``save_weights`` stores the weights of every layer and of every optimizer the model
    holds as an attribute (``optimizer``, or a GAN's ``d_optimizer`` and ``g_optimizer``); the
    state of each ``keras.random.SeedGenerator`` attribute goes to ``*.noise.npz`` beside it.

    Returns:
        ``path`` as a string.
    """
    path = str(path)
    if not path.endswith(".weights.h5"):
        raise ValueError(f"checkpoint paths must end in '.weights.h5'; got {path!r}.")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    model.save_weights(path)
    states = {name: np.asarray(gen.state) for name, gen in _seed_generators(model).items()}
    np.savez(_noise_path(path), **states)
    return path


def restore_checkpoint(model: keras.Model, path: str | os.PathLike) -> None:
    """Load what :func:`save_checkpoint` wrote into ``model``, built and compiled like it.

    Compile the model first so its optimizers' states (Adam's moments, step counts) are
    restored too; resume with ``fit(..., initial_epoch=epoch)``.

    Args:
        model: the same kind of model, same configuration, compiled.
        path: a ``...weights.h5`` file, e.g. the first item of :func:`latest_checkpoint`.
    """
    path = str(path)
    if not Path(path).is_file():
        raise FileNotFoundError(f"no checkpoint at {path}; see latest_checkpoint(directory).")
    optimizer = getattr(model, "optimizer", None)
    own = [opt for opt in _optimizers(model) if opt is not optimizer]  # a GAN's two
    if optimizer is not None and not optimizer.built and not own:
        optimizer.build(model.trainable_variables)  # so Keras finds the slots to load into
    unbuilt = [opt.name for opt in own if not opt.built]
    if unbuilt:
        raise RuntimeError(
            f"optimizers {unbuilt} are not built: compile the model before restoring a checkpoint."
        )
    model.load_weights(path)
    noise = _noise_path(path)
    if os.path.exists(noise):
        with np.load(noise) as states:
            for name, generator in _seed_generators(model).items():
                if name in states.files:
                    generator.state.assign(states[name])


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
        if every < 1:
            raise ValueError(f"every must be a positive number of epochs; got {every}.")
        self.fixed_latents = np.asarray(fixed_latents, np.float32)
        self.every, self.show, self.ncols, self.include_start = (
            int(every),
            show,
            ncols,
            include_start,
        )
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
        self.verbose, self.seconds = verbose, []

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
        self.seconds, self.steps = float(seconds), 0

    def on_train_begin(self, logs=None):
        self._start = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        self.steps += 1
        if time.perf_counter() - self._start >= self.seconds:
            self.model.stop_training = True
