"""The course's diffusion model for MNIST digits: its U-Net, its recipe, its shipped weights.

Everything general (schedules, the :class:`~imgen_helpers.diffusion.Diffusion` model, the
samplers, guidance) lives in :mod:`imgen_helpers.diffusion`; this module fixes the choices for
28x28 digits, as :mod:`imgen_helpers.dcgan` does for the GAN:

1. :data:`MNIST_UNET` and :data:`MNIST_RECIPE`: a class-conditional U-Net trained by flow
   matching, sampled with Heun's method and classifier-free guidance;
2. :func:`make_mnist_diffusion` and :func:`train_mnist_diffusion`: build it, train it for a
   wall-time budget with ``fit()``, checkpoints included;
3. :func:`save_network` / :func:`load_network` / :func:`load_pretrained_diffusion`: weights
   stored in half precision (the shipped file stays under 5 MB), sha256-checked when shipped;
4. :func:`sample_digits`: digits in [0, 1] for given labels, the form the metrics take.

How the recipe compares with the keras.io DDIM example's design, and what 3 and 10 minutes of
training give: ``benchmarks/diffusion.py`` and ``benchmarks/RESULTS.md``. Taught in
``09_diffusion.ipynb``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass

import keras
import numpy as np

from . import checks
from .diffusion import OBJECTIVES, Diffusion, UNetConfig, build_unet

MNIST_UNET = UNetConfig(widths=(32, 64, 128), attention=True, num_classes=10)
"""The U-Net for digits: levels 28, 14, 7 px; attention at 7x7; labels 0-9 (10 = no label)."""


@dataclass(frozen=True)
class DiffusionRecipe:
    """How :func:`train_mnist_diffusion` trains the network and how it is sampled."""

    objective: str = "velocity"  # flow matching (Lipman et al. 2023); "noise" for DDPM
    learning_rate: float = 1e-3  # Adam
    batch_size: int = 128
    ema: float = 0.995  # weight average used for sampling (about the last 200 steps)
    label_dropout: float = 0.1  # share of examples trained as "no label" (for guidance)
    guidance: float = 1.5  # scale: 1 = plain conditional model, 0 = unconditional
    sampling_steps: int = 10  # Heun steps: 2 network calls each (4 with guidance)

    def __post_init__(self) -> None:
        checks.one_of("objective", self.objective, OBJECTIVES)
        checks.number("learning_rate", self.learning_rate, above=0.0, maximum=1.0)
        checks.positive_int("batch_size", self.batch_size)
        checks.number("ema", self.ema, above=0.0, below=1.0)
        checks.number("label_dropout", self.label_dropout, minimum=0.0, below=1.0)
        checks.non_negative("guidance", self.guidance)
        checks.positive_int("sampling_steps", self.sampling_steps)


MNIST_RECIPE = DiffusionRecipe()
"""The recipe measured in ``benchmarks/diffusion.py`` (10 minutes of training on 2 CPU cores)."""

SHIPPED_WEIGHTS = "weights/diffusion_mnist.float16.h5"
"""The shipped network under ``data/`` (made by ``imgen train-diffusion``; see data/README)."""

_CONFIG, _RECIPE = "a UNetConfig, e.g. MNIST_UNET", "a DiffusionRecipe, e.g. MNIST_RECIPE"


# ----------------------------------------------------------------------------------------------
# 1. Build and train
# ----------------------------------------------------------------------------------------------


def make_mnist_diffusion(
    config: UNetConfig = MNIST_UNET, recipe: DiffusionRecipe = MNIST_RECIPE, seed: int = 0
) -> Diffusion:
    """A compiled :class:`~imgen_helpers.diffusion.Diffusion` for 28x28 digits, ready to fit.

    Args:
        config: the U-Net (28x28 grey, class-conditional for guidance).
        recipe: objective, optimizer and weight average.
        seed: seeds the weights (through ``keras.utils.set_random_seed(seed)``, which reseeds
            Python, NumPy and TensorFlow for the whole process, as ``set_seed`` does) and the
            noise and times drawn in training.
    """
    checks.instance("config", config, UNetConfig, _CONFIG)
    checks.instance("recipe", recipe, DiffusionRecipe, _RECIPE)
    seed = checks.integer("seed", seed, minimum=0)
    if config.image_shape != (28, 28, 1):
        raise ValueError(
            f"config makes {config.image_shape} images; MNIST digits are (28, 28, 1): use "
            "MNIST_UNET or a config with image_shape=(28, 28, 1)."
        )
    keras.utils.set_random_seed(seed)  # the initial weights
    model = Diffusion(
        build_unet(config),
        objective=recipe.objective,
        ema=recipe.ema,
        label_dropout=recipe.label_dropout,
        seed=seed,
    )
    model.compile(optimizer=keras.optimizers.Adam(recipe.learning_rate))
    return model


def train_mnist_diffusion(
    config: UNetConfig = MNIST_UNET,
    recipe: DiffusionRecipe = MNIST_RECIPE,
    minutes: float | None = 10.0,
    epochs: int = 1000,
    out: str | os.PathLike | None = "runs/diffusion",
    split: str = "train",
    source: str = "auto",
    seed: int = 0,
    verbose: int | str = 2,
    callbacks: Sequence[keras.callbacks.Callback] = (),
) -> tuple[Diffusion, keras.callbacks.History, float]:
    """Train the digits' diffusion model for ``minutes`` of wall time (or ``epochs``).

    A checkpoint is written to ``out/checkpoints`` after every epoch, and a run started again
    with the same ``out`` continues from the newest one (the budget then counts afresh).

    Args:
        config, recipe: the network and how to train it.
        minutes: wall-time budget (> 0), tracing included; None trains ``epochs`` epochs.
        epochs: the epoch to stop after, counted from the start of the run (a resumed run
            trains at least one more epoch).
        out: folder for ``network.float16.h5`` (the weight average, half precision) and
            ``checkpoints/``; None: neither saved nor resumed.
        split, source: which MNIST (see :func:`imgen_helpers.data.mnist_dataset`); "train"
            keeps the held-out digits unseen, for measuring.
        seed: seeds weights, noise and shuffling.
        verbose: Keras ``fit`` verbosity: 0, 1, 2 or "auto".
        callbacks: extra Keras callbacks.

    Returns:
        ``(model, history, seconds of training)``. Taught in ``09_diffusion.ipynb``.
    """
    from .callbacks import Checkpoint, TimeLimit, resume
    from .data import mnist_dataset

    checks.instance("config", config, UNetConfig, _CONFIG)
    checks.instance("recipe", recipe, DiffusionRecipe, _RECIPE)
    minutes = None if minutes is None else checks.positive("minutes", minutes)
    epochs = checks.positive_int("epochs", epochs)
    if out is not None:
        out = checks.path("out", out)
        if out.exists() and not out.is_dir():
            raise ValueError(f"out must be a folder; {str(out)!r} is a file.")
    checks.one_of("split", split, ("train", "test", "all"))
    checks.one_of("source", source, ("auto", "online", "offline"))
    seed = checks.integer("seed", seed, minimum=0)
    checks.one_of("verbose", verbose, (0, 1, 2, "auto"))
    checks.instance("callbacks", callbacks, list | tuple, "a list of keras.callbacks.Callback")
    model = make_mnist_diffusion(config, recipe, seed)
    data = mnist_dataset(
        split, recipe.batch_size, labels=True, source=source, seed=seed, drop_remainder=True
    )
    extra = list(callbacks) + ([TimeLimit(60.0 * minutes)] if minutes is not None else [])
    first = 0
    if out is not None:
        extra.append(Checkpoint(out / "checkpoints", keep=2))
        first = resume(model, out / "checkpoints")
    start = time.perf_counter()
    history = model.fit(
        data.repeat(),
        steps_per_epoch=int(data.cardinality()),
        epochs=max(epochs, first + 1),
        initial_epoch=first,
        verbose=verbose,
        callbacks=extra,
        shuffle=False,  # the dataset reshuffles itself every epoch; Keras' shuffle is for arrays
    )
    seconds = time.perf_counter() - start
    if out is not None:
        save_network(model, out / "network.float16.h5")
    return model, history, seconds


# ----------------------------------------------------------------------------------------------
# 2. Weights in half precision
# ----------------------------------------------------------------------------------------------


def save_network(model: Diffusion, path: str | os.PathLike) -> str:
    """Save the network that samples (the weight average if any), its weights in float16.

    One HDF5 dataset per variable, named by the variable's path in a U-Net built from the
    same config, and the training objective as an attribute. Half precision keeps the shipped
    file under 5 MB (3.7 MB instead of 7.1 MB); ``tests/test_diffusion_mnist.py`` bounds how
    much the rounding changes the predictions.

    Returns:
        The path written, ``*.float16.h5`` (read it with :func:`load_network`).
    """
    import h5py

    checks.instance("model", model, Diffusion, "a Diffusion model")
    path = checks.path("path", path, suffix=".float16.h5")
    _config_of(model.network)  # only U-Nets: load_network rebuilds the network from its config
    network = model.ema_network if model.ema_network is not None else model.network
    path.parent.mkdir(parents=True, exist_ok=True)
    with h5py.File(path, "w") as file:
        file.attrs["objective"] = model.objective  # load_network checks it
        # the names of the original network (the weight average is a clone, with other names)
        for variable, value in zip(model.network.weights, network.get_weights(), strict=True):
            file.create_dataset(variable.path, data=value.astype(np.float16))
    return str(path)


def _config_of(network: keras.Model) -> UNetConfig:
    config = getattr(network, "unet_config", None)
    if not isinstance(config, UNetConfig):
        raise ValueError(
            "the model's network was not built by build_unet (it records its UNetConfig); "
            "save other networks with network.save_weights()."
        )
    return config


def load_network(
    path: str | os.PathLike,
    config: UNetConfig = MNIST_UNET,
    recipe: DiffusionRecipe = MNIST_RECIPE,
) -> Diffusion:
    """A :class:`Diffusion` model with the network :func:`save_network` (or training) saved.

    Args:
        path: a ``.float16.h5`` file of a U-Net built from ``config``.
        config: the architecture it was trained with.
        recipe: its objective (the rest of the recipe does not matter for sampling).

    Returns:
        A model without weight average (the file holds the average already), float32
        weights. Taught in ``09_diffusion.ipynb``.
    """
    import h5py

    checks.instance("config", config, UNetConfig, _CONFIG)
    checks.instance("recipe", recipe, DiffusionRecipe, _RECIPE)
    path = checks.path("path", path, exists=True, suffix=".float16.h5")
    network = build_unet(config)
    hint = "Is it the right file? If so, pass the config it was trained with."
    try:
        file = h5py.File(path, "r")
    except OSError:
        raise ValueError(f"path: {path} is not an HDF5 file written by save_network.") from None
    with file:
        saved = file.attrs.get("objective")
        if saved is not None and saved != recipe.objective:
            raise ValueError(
                f"path: {path} holds a network trained with objective {saved!r}, but recipe "
                f"says {recipe.objective!r}: pass DiffusionRecipe(objective={saved!r})."
            )
        for variable in network.weights:
            if variable.path not in file:
                raise ValueError(
                    f"path: {path} holds another network than config builds (no weights for "
                    f"{variable.path!r}). {hint}"
                )
            value = file[variable.path][()]
            if value.shape != tuple(variable.shape):
                raise ValueError(
                    f"path: {path} holds {variable.path!r} with shape {value.shape}, but "
                    f"config builds it with shape {tuple(variable.shape)}. {hint}"
                )
            variable.assign(value.astype(np.float32))
    return Diffusion(network, objective=recipe.objective, ema=None)


def load_pretrained_diffusion() -> Diffusion:
    """The shipped digits model (:data:`MNIST_UNET`, :data:`MNIST_RECIPE`), sha256-checked.

    Trained for 10 minutes on 2 CPU cores by ``imgen train-diffusion`` (see data/README.md).
    Taught in ``09_diffusion.ipynb``.
    """
    from .data import shipped_path

    return load_network(shipped_path(SHIPPED_WEIGHTS))


# ----------------------------------------------------------------------------------------------
# 3. Sampling digits
# ----------------------------------------------------------------------------------------------


SAMPLERS = ("auto", "heun", "euler", "ddim", "ddpm")
"""``auto``: Heun for flow matching, DDIM for noise prediction; ``ddpm`` takes all T steps."""


def sample_digits(
    model: Diffusion,
    labels,
    guidance: float | None = MNIST_RECIPE.guidance,
    steps: int = MNIST_RECIPE.sampling_steps,
    sampler: str = "auto",
    seed: int = 0,
    verbose: bool = False,
) -> np.ndarray:
    """Digits of the given classes, float32 (N, 28, 28, 1) in [0, 1].

    Args:
        model: a class-conditional digits model (e.g. :func:`load_pretrained_diffusion`).
        labels: (N,) ints in 0..9, one per sample; or an int N for N unlabelled samples
            (the unconditional model, guidance ignored).
        guidance: classifier-free guidance scale (1 or None = the plain conditional model,
            0 = unconditional).
        steps: sampler steps (ignored by ``"ddpm"``, which takes all T).
        sampler: one of :data:`SAMPLERS`; heun and euler need a flow-matching model, ddim and
            ddpm a noise-prediction one.
        seed: seeds the starting noise.
        verbose: show a progress bar over the steps.
    """
    from .diffusion import ddim_sample, ddpm_sample, flow_sample

    checks.instance(
        "model", model, Diffusion, "a Diffusion model, e.g. load_pretrained_diffusion()"
    )
    steps = checks.positive_int("steps", steps)
    sampler = checks.one_of("sampler", sampler, SAMPLERS)
    if sampler == "auto":
        sampler = "heun" if model.objective == "velocity" else "ddim"
    fits = ("heun", "euler") if model.objective == "velocity" else ("ddim", "ddpm")
    if sampler not in fits:
        raise ValueError(
            f"sampler {sampler!r} does not fit a model trained with objective "
            f"{model.objective!r}: use one of {fits} (or 'auto')."
        )
    seed = checks.integer("seed", seed, minimum=0)
    if isinstance(labels, int | np.integer) and not isinstance(labels, bool):
        n, labels, guidance = checks.positive_int("labels", labels), None, None
    else:
        labels = checks.array("labels", labels, ranks=(1,), dtype=np.float64)
        if model.num_classes is None:
            raise ValueError(
                "labels: this model is unconditional; pass the number of samples instead."
            )
        if np.any(labels != np.round(labels)) or labels.min() < 0 or labels.max() > 9:
            raise ValueError(
                f"labels must be digits, whole numbers in 0..9; got values in "
                f"[{labels.min():g}, {labels.max():g}]."
            )
        n, labels = len(labels), labels.astype(np.int32)
    predict = model.predict_fn(guidance)
    shape = (n, *model.network.inputs[0].shape[1:])
    common = {"labels": labels, "seed": seed, "verbose": verbose}
    if sampler in ("heun", "euler"):
        x = flow_sample(predict, shape, steps, sampler, **common)
    elif sampler == "ddim":
        x = ddim_sample(predict, shape, model.betas, steps, clip_x0=1.0, **common)
    else:
        x = ddpm_sample(predict, shape, model.betas, clip_x0=1.0, **common)
    return ((np.clip(x, -1.0, 1.0) + 1.0) / 2.0).astype(np.float32)
