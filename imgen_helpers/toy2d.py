"""2-D toy data for GANs: Gaussian mixtures, tiny MLP players and the mode-coverage metric.

Image GANs fail in ways that are hard to see; on a mixture of 2-D Gaussians every failure is
a picture. This module holds the two classic benchmarks of the mode-collapse literature (the
PacGAN and VEEGAN synthetic experiments):

* a ring of 8 Gaussians (:func:`ring_mixture`) and a 5 x 5 grid of 25 (:func:`grid_mixture`),
  sampled as NumPy arrays or as a ``tf.data`` pipeline, seeded;
* an MLP generator and critic for 2-D points (:func:`build_toy_generator`,
  :func:`build_toy_critic`) that plug into :class:`imgen_helpers.gan.GAN`;
* the mode-coverage metric (:func:`mode_coverage`): modes captured and high-quality fraction;
* per-loss training settings (:data:`TOY_TRAINING`), :func:`make_toy_gan` and
  :func:`train_toy_gan`, which train a :class:`imgen_helpers.gan.GAN` and measure it;
* a callback that records the generator's points and coverage as training runs
  (:class:`CoverageHistory`), and scatter plots of points over the modes (:func:`plot_points`).

Taught in ``04_gan_failure_modes.ipynb``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf

from . import checks
from .runtime import Seed
from .runtime import as_rng as _rng


def _points(name: str, value, finite: bool = True, dtype=np.float32) -> np.ndarray:
    """``value`` as 2-D points of shape (N, 2), N >= 1 (finite unless told otherwise)."""
    x = checks.array(name, value, finite=finite, dtype=dtype)
    if x.ndim != 2 or x.shape[1] != 2:
        hint = ": a single point needs a batch axis, e.g. point[None]" if x.shape == (2,) else ""
        raise ValueError(f"{name} must have shape (N, 2), one (x, y) per row; got {x.shape}{hint}.")
    return x


# ----------------------------------------------------------------------------------------------
# The mixtures
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Mixture:
    """An equal-weight mixture of isotropic 2-D Gaussians that all share one ``std``.

    Build one with :func:`ring_mixture` or :func:`grid_mixture`.
    """

    name: str  # "ring" or "grid": used in plot titles and dataset names
    centers: np.ndarray  # (n_modes, 2) float32 mode means, read-only
    std: float  # standard deviation of every mode along each axis

    def __post_init__(self) -> None:
        checks.instance("name", self.name, str, "a str such as 'ring'")
        centers = _points("centers", self.centers).copy()
        centers.setflags(write=False)
        object.__setattr__(self, "centers", centers)
        object.__setattr__(self, "std", checks.positive("std", self.std))

    @property
    def n_modes(self) -> int:
        """Number of Gaussians in the mixture."""
        return len(self.centers)

    @property
    def scale(self) -> float:
        """Root-mean-square coordinate of the mode centres (sqrt 2 for the ring, 2.83 for the grid).

        A good :attr:`ToyConfig.scale`: the players then work on coordinates of order 1.
        """
        return float(np.sqrt(np.mean(np.square(self.centers))))

    def sample(self, n: int, seed: Seed = None, return_modes: bool = False):
        """Draw ``n`` points: pick a mode uniformly, then add N(0, std^2) noise to each axis.

        Args:
            n: number of points (>= 1).
            seed: int or ``np.random.Generator`` for repeatable draws.
            return_modes: also return which mode each point came from.

        Returns:
            (n, 2) float32 points, and with ``return_modes`` also (n,) int64 mode indices.
        """
        n = checks.positive_int("n", n)
        return_modes = checks.boolean("return_modes", return_modes)
        rng = _rng(seed)
        modes = rng.integers(0, self.n_modes, size=n)
        noise = rng.standard_normal((n, 2)) * self.std
        points = (self.centers[modes] + noise).astype(np.float32)
        return (points, modes) if return_modes else points

    def dataset(self, batch_size: int, n_samples: int = 100_000, seed: int = 0) -> tf.data.Dataset:
        """A ``tf.data`` pipeline of points for ``GAN.fit``: one epoch = one pass over the pool.

        ``n_samples`` points are drawn once with ``seed`` (PacGAN trains on a pool of 100,000),
        then shuffled each epoch, batched with ``drop_remainder`` and prefetched.

        Args:
            batch_size: points per batch.
            n_samples: size of the pool (>= batch_size).
            seed: seeds both the draw and the shuffling.

        Returns:
            A dataset of (batch_size, 2) float32 batches; ``n_samples // batch_size`` per epoch.
        """
        batch_size = checks.positive_int("batch_size", batch_size)
        n_samples = checks.positive_int("n_samples", n_samples)
        seed = checks.integer("seed", seed, minimum=0)
        if n_samples < batch_size:
            raise ValueError(
                f"batch_size={batch_size} is more than the n_samples={n_samples} points of the "
                "pool, so not one whole batch is left: lower batch_size or raise n_samples."
            )
        points = self.sample(n_samples, seed=seed)
        ds = tf.data.Dataset.from_tensor_slices(points)
        ds = ds.shuffle(n_samples, seed=seed, reshuffle_each_iteration=True)
        return ds.batch(batch_size, drop_remainder=True).prefetch(tf.data.AUTOTUNE)


def ring_mixture(n_modes: int = 8, radius: float = 2.0, std: float = 0.02) -> Mixture:
    """Gaussians evenly spaced on a circle, the first at angle 0.

    The defaults are the 2D-ring of the unrolled-GAN and VEEGAN papers (8 modes, radius 2,
    std 0.02); PacGAN uses radius 1 and std 0.01, the same shape at half the scale.

    Args:
        n_modes: number of Gaussians (>= 1).
        radius: radius of the ring.
        std: standard deviation of each mode along each axis.

    Returns:
        A :class:`Mixture` named ``"ring"``; modes ``k`` at ``radius * (cos, sin)(2 pi k / n)``.
    """
    n_modes = checks.positive_int("n_modes", n_modes)
    radius = checks.positive("radius", radius)
    angles = 2 * np.pi * np.arange(n_modes) / n_modes
    centers = radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    return Mixture("ring", centers, std)


def grid_mixture(side: int = 5, spacing: float = 2.0, std: float = 0.05) -> Mixture:
    """Gaussians on a ``side`` x ``side`` square grid centred on the origin.

    The defaults are the 2D-grid of the PacGAN and VEEGAN papers: 25 modes at
    (-4 + 2i, -4 + 2j) for i, j in 0..4, std 0.05.

    Args:
        side: modes per row and per column (>= 1).
        spacing: distance between neighbouring modes.
        std: standard deviation of each mode along each axis.

    Returns:
        A :class:`Mixture` named ``"grid"`` with ``side**2`` modes, row by row.
    """
    side = checks.positive_int("side", side)
    spacing = checks.positive("spacing", spacing)
    ticks = (np.arange(side) - (side - 1) / 2) * spacing
    xx, yy = np.meshgrid(ticks, ticks, indexing="ij")
    return Mixture("grid", np.stack([xx.ravel(), yy.ravel()], axis=1), std)


# ----------------------------------------------------------------------------------------------
# The metric
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ModeCoverage:
    """Result of :func:`mode_coverage`."""

    modes_captured: int  # modes that received at least `min_count` high-quality samples
    n_modes: int  # modes in the mixture
    high_quality_fraction: float  # share of samples within `threshold` stds of their nearest mode
    counts: np.ndarray  # (n_modes,) int64 high-quality samples assigned to each mode
    min_count: int  # high-quality samples a mode needed to count as captured

    def __str__(self) -> str:
        return (
            f"{self.modes_captured}/{self.n_modes} modes captured, "
            f"{100 * self.high_quality_fraction:.1f}% high-quality samples"
        )


def mode_coverage(
    samples,
    centers,
    std: float,
    threshold: float = 3.0,
    min_fraction: float = 0.2,
) -> ModeCoverage:
    """Modes captured and high-quality fraction, as in the PacGAN and VEEGAN 2-D experiments.

    Each sample is assigned to its nearest mode centre. It is a *high-quality* sample when that
    distance is below ``threshold * std`` (3 standard deviations by default).
    The *high-quality fraction* is the share of all samples that are high-quality.
    A mode is *captured* when it receives at least
    ``min_count = max(1, ceil(min_fraction * N / n_modes))`` high-quality samples, where ``N``
    is the number of samples and ``N / n_modes`` is what each mode receives on average from the
    true mixture. With the default ``min_fraction=0.2`` that is 20 of 2,500 samples on the
    25-mode grid, so a few stray points do not make a mode count. PacGAN's released evaluation
    code counts a mode as soon as it has one high-quality sample: ``min_fraction=0`` gives
    that rule.

    Args:
        samples: (N, 2) points, e.g. generator outputs (any float dtype, NumPy or tensor).
        centers: (n_modes, 2) mode means, e.g. ``mixture.centers``.
        std: per-axis standard deviation of the modes (> 0).
        threshold: radius, in standard deviations, of a high-quality sample's neighbourhood.
        min_fraction: share of the uniform per-mode count a mode needs to be captured (>= 0).

    Returns:
        A :class:`ModeCoverage` with ``modes_captured``, ``high_quality_fraction`` and the
        per-mode ``counts``.
    """
    x = _points("samples", samples, finite=False, dtype=np.float64)
    if not np.all(np.isfinite(x)):
        raise ValueError("samples contain NaN or inf: the generator diverged.")
    c = _points("centers", centers, dtype=np.float64)
    std = checks.positive("std", std)
    threshold = checks.positive("threshold", threshold)
    min_fraction = checks.non_negative("min_fraction", min_fraction)
    distances = np.linalg.norm(x[:, None, :] - c[None, :, :], axis=-1)  # (N, n_modes)
    nearest = distances.argmin(axis=1)
    good = distances[np.arange(len(x)), nearest] < threshold * std
    counts = np.bincount(nearest[good], minlength=len(c)).astype(np.int64)
    min_count = max(1, math.ceil(min_fraction * len(x) / len(c)))
    return ModeCoverage(
        modes_captured=int((counts >= min_count).sum()),
        n_modes=len(c),
        high_quality_fraction=float(good.mean()),
        counts=counts,
        min_count=min_count,
    )


# ----------------------------------------------------------------------------------------------
# The players
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ToyConfig:
    """Sizes of the 2-D generator and critic (tiny enough to train in seconds on a CPU)."""

    latent_dim: int = 8  # length of the Gaussian noise vector fed to the generator
    width: int = 128  # units in every hidden layer of both players
    depth: int = 3  # hidden layers in each player
    leak: float = 0.2  # negative slope of the critic's LeakyReLU (0 gives a plain ReLU)
    scale: float = 1.0  # data magnitude: the critic divides its input by it, G multiplies by it
    bias_std: float = 1.0  # std of the critic's first-layer biases (spreads the ReLU kinks)
    seed: int = 0  # seeds the critic's first-layer bias initialiser

    def __post_init__(self) -> None:
        fields = {
            "latent_dim": checks.positive_int("latent_dim", self.latent_dim),
            "width": checks.positive_int("width", self.width),
            "depth": checks.positive_int("depth", self.depth),
            "leak": checks.number("leak", self.leak, minimum=0.0, below=1.0),
            "scale": checks.positive("scale", self.scale),
            "bias_std": checks.non_negative("bias_std", self.bias_std),
            "seed": checks.integer("seed", self.seed, minimum=0),
        }
        for name, value in fields.items():
            object.__setattr__(self, name, value)


def _check_config(config: ToyConfig) -> None:
    checks.instance("config", config, ToyConfig, "a ToyConfig, e.g. ToyConfig(width=64)")


def _bias_init(config: ToyConfig, layer: int):
    # With zero biases every first-layer ReLU kink passes through the origin, so the critic
    # starts as a fan of wedges and needs thousands of steps to move kinks out to the modes.
    if layer > 0 or config.bias_std == 0:
        return "zeros"
    return keras.initializers.RandomNormal(stddev=config.bias_std, seed=config.seed)


def build_toy_generator(config: ToyConfig = ToyConfig()) -> keras.Model:
    """MLP generator: noise (N, latent_dim) -> ReLU hidden layers -> points (N, 2).

    The output layer is linear (2-D points are unbounded) and float32 under any precision
    policy.

    Args:
        config: sizes, see :class:`ToyConfig`.

    Returns:
        A ``keras.Model`` named ``"toy_generator"``: (N, latent_dim) -> (N, 2) float32.
    """
    _check_config(config)
    z = keras.Input((config.latent_dim,), name="latents")
    h = z
    for i in range(config.depth):
        h = keras.layers.Dense(config.width, activation="relu", name=f"g_dense_{i + 1}")(h)
    h = keras.layers.Dense(2, dtype="float32", name="g_dense_out")(h)
    points = keras.layers.Rescaling(config.scale, dtype="float32", name="g_points")(h)
    return keras.Model(z, points, name="toy_generator")


def build_toy_critic(config: ToyConfig = ToyConfig()) -> keras.Model:
    """MLP discriminator / critic: points (N, 2) -> one unbounded score per point.

    No sigmoid: the output is a logit for the minimax, non-saturating and LSGAN losses and a
    Wasserstein score for WGAN, always float32. No batch normalisation, so the WGAN-GP
    per-sample gradient penalty stays valid.

    Args:
        config: sizes, see :class:`ToyConfig`.

    Returns:
        A ``keras.Model`` named ``"toy_critic"``: (N, 2) -> (N, 1) float32.
    """
    _check_config(config)
    x = keras.Input((2,), name="points")
    h = keras.layers.Rescaling(1.0 / config.scale, name="d_unscale")(x)
    for i in range(config.depth):
        h = keras.layers.Dense(
            config.width, bias_initializer=_bias_init(config, i), name=f"d_dense_{i + 1}"
        )(h)
        h = keras.layers.LeakyReLU(config.leak, name=f"d_lrelu_{i + 1}")(h)
    score = keras.layers.Dense(1, dtype="float32", name="d_score")(h)
    return keras.Model(x, score, name="toy_critic")


# ----------------------------------------------------------------------------------------------
# Training
# ----------------------------------------------------------------------------------------------

TOY_TRAINING = {
    "minimax": {"critic_steps": 1, "optimizer": "adam"},
    "non_saturating": {"critic_steps": 1, "optimizer": "adam"},
    "lsgan": {"critic_steps": 1, "optimizer": "adam"},
    "wgan": {"critic_steps": 5, "optimizer": "rmsprop"},
    "wgan_gp": {"critic_steps": 5, "optimizer": "adam", "gp_weight": 0.1},
}
"""Loss -> settings of :func:`make_toy_gan`: critic steps per generator step, optimizer, extras.

Adam(lr, beta_1=0.5, beta_2=0.9) as in the WGAN-GP authors' scripts (the paper's Algorithm 1
uses beta_1=0); RMSprop for weight clipping, as the
WGAN paper advises against momentum with clipping; five critic steps for both WGANs. The
gradient-penalty weight is 0.1, not the paper's 10: the WGAN-GP authors' own toy-data script
uses 0.1 ("smaller lambda seems to help for toy tasks"), and with 10 our tiny critics stay too
smooth to resolve the 25 grid modes in a CPU budget.
"""


def make_toy_gan(
    loss: str = "non_saturating",
    config: ToyConfig = ToyConfig(),
    learning_rate: float = 1e-3,
    seed: int = 0,
    decay_steps: int | None = None,
    reseed: bool = True,
):
    """Build and compile a :class:`imgen_helpers.gan.GAN` of two toy MLPs for 2-D data.

    Critic steps, optimizer and penalty weight follow :data:`TOY_TRAINING`; WGAN clips the
    critic's weights to 0.01 (the ``GAN`` default for ``loss="wgan"``).

    Args:
        loss: "minimax", "non_saturating", "lsgan", "wgan" or "wgan_gp".
        config: sizes of both players; set ``scale`` to the data's (``mixture.scale``).
        learning_rate: step size of both optimizers (RMSprop gets a twentieth of it).
        seed: seeds the weights, the critic's biases and the training noise.
        reseed: first call ``set_seed(seed)``, which reseeds Python, NumPy and TensorFlow for
            the whole process (Keras' initialisers draw from them); False leaves them alone.
        decay_steps: if set, both learning rates follow a cosine from ``learning_rate`` to 0
            over this many generator steps (the critic's over ``critic_steps`` times as many),
            so training ends settled instead of mid-oscillation.

    Returns:
        A compiled ``GAN`` (its ``generator`` maps (N, latent_dim) to (N, 2)).
    """
    from .gan import GAN
    from .runtime import set_seed

    checks.one_of("loss", loss, TOY_TRAINING)
    _check_config(config)
    learning_rate = checks.number("learning_rate", learning_rate, above=0.0, maximum=1.0)
    seed = checks.integer("seed", seed, minimum=0)
    decay_steps = None if decay_steps is None else checks.positive_int("decay_steps", decay_steps)
    reseed = checks.boolean("reseed", reseed)
    settings = TOY_TRAINING[loss]
    if reseed:
        set_seed(seed)
    config = ToyConfig(**{**config.__dict__, "seed": seed})
    gan = GAN(
        build_toy_generator(config),
        build_toy_critic(config),
        latent_dim=config.latent_dim,
        loss=loss,
        critic_steps=settings["critic_steps"],
        gp_weight=settings.get("gp_weight", 10.0),
        seed=seed,
        name=f"toy_{loss}",
    )

    def new_optimizer(updates_per_step: int):
        rate = learning_rate / 20 if settings["optimizer"] == "rmsprop" else learning_rate
        if decay_steps:
            rate = keras.optimizers.schedules.CosineDecay(rate, decay_steps * updates_per_step)
        if settings["optimizer"] == "rmsprop":
            return keras.optimizers.RMSprop(rate)
        return keras.optimizers.Adam(rate, beta_1=0.5, beta_2=0.9)

    gan.compile(d_optimizer=new_optimizer(settings["critic_steps"]), g_optimizer=new_optimizer(1))
    return gan


@dataclass(frozen=True, eq=False)
class ToyRun:
    """Result of :func:`train_toy_gan`."""

    gan: keras.Model  # the trained GAN
    coverage: ModeCoverage  # of 2,500 samples from seeded latents after training
    seconds: float  # wall time of fit(), graph tracing included
    history: dict  # fit()'s History.history: d_loss, g_loss, d_real, d_fake, gp per epoch
    snapshots: CoverageHistory | None  # points and coverage during training, if asked for


def train_toy_gan(
    mixture: Mixture,
    loss: str = "non_saturating",
    steps: int = 2000,
    config: ToyConfig | None = None,
    batch_size: int = 256,
    learning_rate: float = 1e-3,
    seed: int = 0,
    snapshots: int = 0,
    verbose: int = 0,
    decay: bool = True,
    reseed: bool = True,
) -> ToyRun:
    """Train a toy GAN on ``mixture`` for ``steps`` generator steps and measure its coverage.

    Args:
        mixture: the data.
        loss: see :func:`make_toy_gan`.
        steps: generator updates (each after ``critic_steps`` critic updates).
        config: player sizes; default ``ToyConfig(scale=mixture.scale)``.
        batch_size: real and fake points per step.
        learning_rate: see :func:`make_toy_gan`.
        seed: seeds the weights, the noise and the data.
        snapshots: record this many snapshots of the generator (plus one before training)
            with a :class:`CoverageHistory` on 1,000 fixed latents; 0 for none.
        verbose: Keras ``fit`` verbosity.
        decay: anneal both learning rates to 0 over the run (cosine, see :func:`make_toy_gan`).
        reseed: reseed the whole process with ``set_seed(seed)`` first (see :func:`make_toy_gan`).

    Returns:
        A :class:`ToyRun` with the GAN, the final :class:`ModeCoverage` (2,500 samples from
        latents seeded with ``seed``), the wall time, the loss history and the snapshots.
        Taught in ``04_gan_failure_modes.ipynb``.
    """
    checks.instance("mixture", mixture, Mixture, "a Mixture, e.g. ring_mixture()")
    checks.one_of("loss", loss, TOY_TRAINING)
    steps = checks.positive_int("steps", steps)
    if config is not None:
        _check_config(config)
    batch_size = checks.positive_int("batch_size", batch_size)
    snapshots = checks.integer("snapshots", snapshots, minimum=0)
    if snapshots > steps:
        raise ValueError(
            f"snapshots={snapshots} is more than steps={steps}: a snapshot is taken after a "
            "whole number of steps, so ask for at most one per step."
        )
    checks.one_of("verbose", verbose, (0, 1, 2, "auto"))
    decay = checks.boolean("decay", decay)
    config = config or ToyConfig(scale=mixture.scale)
    epochs = max(1, snapshots)
    per_epoch = math.ceil(steps / epochs)
    decay_steps = epochs * per_epoch if decay else None
    gan = make_toy_gan(loss, config, learning_rate, seed, decay_steps=decay_steps, reseed=reseed)
    data = mixture.dataset(batch_size, n_samples=per_epoch * batch_size, seed=seed)
    callbacks = []
    history = None
    if snapshots:
        rng = np.random.default_rng(seed)
        history = CoverageHistory(mixture, rng.standard_normal((1000, config.latent_dim)))
        callbacks.append(history)
    start = time.perf_counter()
    fitted = gan.fit(data, epochs=epochs, verbose=verbose, callbacks=callbacks, shuffle=False)
    seconds = time.perf_counter() - start
    points = gan.generate(2500, seed=seed)
    coverage = mode_coverage(points, mixture.centers, mixture.std)
    return ToyRun(gan, coverage, seconds, fitted.history, history)


# ----------------------------------------------------------------------------------------------
# Watching training
# ----------------------------------------------------------------------------------------------


@dataclass
class _Snapshot:
    epoch: int
    points: np.ndarray
    coverage: ModeCoverage


class CoverageHistory(keras.callbacks.Callback):
    """Records the generator's points on ``fixed_latents`` and their coverage every N epochs.

    After ``fit``, ``epochs``, ``points`` and ``coverages`` hold one entry per snapshot, and
    ``history`` maps ``"modes_captured"`` / ``"high_quality_fraction"`` to lists (ready for
    :func:`imgen_helpers.plotting.plot_history`). Plot the points with :func:`plot_points` to
    watch a collapsing generator hop from mode to mode.

    Args:
        mixture: the data's :class:`Mixture` (for the metric).
        fixed_latents: (N, latent_dim) noise, the same at every snapshot.
        every: take a snapshot every ``every`` epochs (and before the first epoch).
        min_fraction: passed to :func:`mode_coverage`.
    """

    def __init__(self, mixture: Mixture, fixed_latents, every: int = 1, min_fraction=0.2):
        super().__init__()
        self.mixture = checks.instance(
            "mixture", mixture, Mixture, "a Mixture, e.g. ring_mixture()"
        )
        self.fixed_latents = checks.array("fixed_latents", fixed_latents, ranks=(2,))
        self.every = checks.positive_int("every", every)
        self.min_fraction = checks.non_negative("min_fraction", min_fraction)
        self.snapshots: list[_Snapshot] = []

    def _snap(self, epoch: int) -> None:
        points = np.asarray(self.model.generator(self.fixed_latents, training=False), np.float32)
        cov = mode_coverage(
            points, self.mixture.centers, self.mixture.std, min_fraction=self.min_fraction
        )
        self.snapshots.append(_Snapshot(epoch, points, cov))

    def on_train_begin(self, logs=None):
        # Before the first step: latents of the wrong length would fail inside the generator.
        latent_dim = self.fixed_latents.shape[1]
        checks.model_input("the generator", self.model.generator, (latent_dim,), "fixed_latents")
        if not self.snapshots:
            self._snap(0)

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every == 0:
            self._snap(epoch + 1)

    @property
    def epochs(self) -> list[int]:
        """Epochs (completed) at which snapshots were taken; 0 is before training."""
        return [s.epoch for s in self.snapshots]

    @property
    def points(self) -> list[np.ndarray]:
        """(N, 2) float32 generator points at each snapshot."""
        return [s.points for s in self.snapshots]

    @property
    def coverages(self) -> list[ModeCoverage]:
        """:class:`ModeCoverage` at each snapshot."""
        return [s.coverage for s in self.snapshots]

    @property
    def history(self) -> dict[str, list[float]]:
        """Metric curves, one value per snapshot."""
        return {
            "modes_captured": [c.modes_captured for c in self.coverages],
            "high_quality_fraction": [c.high_quality_fraction for c in self.coverages],
        }


def plot_points(
    samples,
    mixture: Mixture | None = None,
    ax=None,
    title: str | None = None,
    limit: float | None = None,
):
    """Scatter 2-D points over the mixture's modes (3-std circles, captured ones in green).

    Args:
        samples: (N, 2) points.
        mixture: draw its modes and title the plot with :func:`mode_coverage`; None to skip.
        ax: a matplotlib axis to draw on; a new 4 x 4 inch figure when None.
        title: text above the plot (the coverage is appended when ``mixture`` is given).
        limit: axis range [-limit, limit]; defaults to the modes' extent plus a margin.

    Returns:
        The matplotlib axis.
    """
    import matplotlib.pyplot as plt
    from matplotlib.axes import Axes

    x = _points("samples", samples)
    if mixture is not None:
        checks.instance("mixture", mixture, Mixture, "a Mixture or None")
    if ax is not None:
        checks.instance("ax", ax, Axes, "a matplotlib axis (e.g. from plt.subplots()) or None")
    if title is not None:
        checks.instance("title", title, str, "a str or None")
    if limit is not None:
        limit = checks.positive("limit", limit)
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 4))
    ax.scatter(x[:, 0], x[:, 1], s=2, alpha=0.4, color="black", linewidths=0)
    lines = [title] if title else []
    if mixture is not None:
        cov = mode_coverage(x, mixture.centers, mixture.std)
        for center, count in zip(mixture.centers, cov.counts, strict=True):
            colour = "tab:green" if count >= cov.min_count else "tab:red"
            ax.add_patch(plt.Circle(center, 3 * mixture.std, fill=False, color=colour, lw=1.5))
        lines.append(
            f"{cov.modes_captured}/{cov.n_modes} modes, {100 * cov.high_quality_fraction:.0f}% HQ"
        )
        limit = limit or float(np.abs(mixture.centers).max()) * 1.5 + 3 * mixture.std
    if limit:
        ax.set_xlim(-limit, limit)
        ax.set_ylim(-limit, limit)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    if lines:
        ax.set_title("\n".join(lines), fontsize=9)
    return ax


def plot_snapshots(
    points: Sequence, titles: Sequence[str], mixture: Mixture | None = None, ncols: int = 6
):
    """Several :func:`plot_points` panels in a grid, e.g. the snapshots of a training run.

    Args:
        points: list of (N, 2) arrays.
        titles: one title per panel.
        mixture: passed to :func:`plot_points`.
        ncols: panels per row.

    Returns:
        The matplotlib figure.
    """
    import matplotlib.pyplot as plt

    checks.instance(
        "points", points, (list, tuple, np.ndarray), "a list of (N, 2) arrays, one per panel"
    )
    checks.instance("titles", titles, (list, tuple), "a list of str, one per panel")
    if not points:
        raise ValueError("points is empty: pass at least one (N, 2) array.")
    points = [_points(f"points[{i}]", p) for i, p in enumerate(points)]
    if len(points) != len(titles):
        raise ValueError(
            f"points and titles must have the same length, one title per panel: got "
            f"{len(points)} panels, {len(titles)} titles."
        )
    for i, title in enumerate(titles):
        checks.instance(f"titles[{i}]", title, str)
    if mixture is not None:
        checks.instance("mixture", mixture, Mixture, "a Mixture or None")
    ncols = min(checks.positive_int("ncols", ncols), len(points))
    nrows = math.ceil(len(points) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(2.4 * ncols, 2.6 * nrows), squeeze=False)
    for ax in axes.flat[len(points) :]:
        ax.axis("off")
    for ax, pts, title in zip(axes.flat, points, titles, strict=False):
        plot_points(pts, mixture, ax=ax, title=title)
    fig.tight_layout()
    return fig


__all__ = [
    "CoverageHistory",
    "Mixture",
    "ModeCoverage",
    "TOY_TRAINING",
    "ToyConfig",
    "ToyRun",
    "build_toy_critic",
    "build_toy_generator",
    "grid_mixture",
    "make_toy_gan",
    "mode_coverage",
    "plot_points",
    "plot_snapshots",
    "ring_mixture",
    "train_toy_gan",
]
