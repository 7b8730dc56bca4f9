"""Diffusion models, top to bottom: DDPM and DDIM (noise prediction) and flow matching.

Reading order: 1. the forward process (schedules, ``alpha_bar``, ``q(x_t | x_0)``, and a
picture of it beside lesson 01's noise); 2. flow
matching's straight path (Lipman et al. 2023; Liu, Gong and Liu 2023, "rectified flow");
3. the two objectives, pure functions; 4. the networks, a small U-Net and an MLP for 2-D points,
both called as ``network([x_t, time])`` or ``network([x_t, time, labels])``; 5. :class:`Diffusion`,
the ``keras.Model`` trained with ``fit()``; 6. samplers, NumPy loops over a *prediction callable*
``predict(x, t, labels)``: DDPM, DDIM, Euler and Heun, classifier-free guidance, inpainting
(for both objectives). The digits' model built from these parts, its recipe and its shipped
weights are in :mod:`imgen_helpers.diffusion_mnist`.

Conventions:

* **Discrete time (DDPM, DDIM).** ``betas[t]`` for ``t = 0 .. T-1`` (index ``t`` is the paper's
  step ``t + 1``); ``alpha_bar[t] = prod_{s <= t} (1 - betas[s])`` decreases from about 1
  (almost data) to about 0 (almost pure noise). The network sees the float time
  ``(t + 1) / T`` in (0, 1], so both objectives share one time axis.
* **Continuous time (flow matching).** ``t`` in [0, 1], **t = 0 is data, t = 1 is noise**:
  ``x_t = (1 - t) x_0 + t noise`` and the velocity target ``dx_t/dt = noise - x_0``. Sampling
  integrates the ODE backwards, from ``t = 1`` (noise) to ``t = 0`` (data). (Lipman et al.
  put data at t = 1; we keep diffusion's direction so one picture serves both.)
* Data is float32, images in [-1, 1] (N, H, W, C), points (N, D). Samplers compute in float64
  NumPy and return float32. Taught in ``09_diffusion.ipynb``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

from . import checks

SCHEDULES = ("linear", "cosine")
OBJECTIVES = ("noise", "velocity")
FLOW_METHODS = ("euler", "heun")

# ----------------------------------------------------------------------------------------------
# 1. The forward process
# ----------------------------------------------------------------------------------------------


def noise_schedule(steps: int = 1000, schedule: str = "cosine") -> np.ndarray:
    """The variances ``beta_t`` of the forward steps ``q(x_t | x_{t-1})``.

    * ``"linear"`` (Ho et al. 2020): ``beta`` from 1e-4 to 0.02 for T = 1000, both ends scaled
      by ``1000 / steps`` so a shorter chain still ends in (nearly) pure noise.
    * ``"cosine"`` (Nichol and Dhariwal 2021): ``alpha_bar(t) = f(t) / f(0)`` with
      ``f(t) = cos^2((t / T + s) / (1 + s) * pi / 2)``, ``s = 0.008``; betas clipped at 0.999
      (the last one would be 1). It destroys information more evenly than the linear one.

    Args:
        steps: T, the number of noising steps.
        schedule: "linear" or "cosine".

    Returns:
        float32 array (steps,) of betas in (0, 1), computed in float64.
    """
    steps = checks.positive_int("steps", steps)
    schedule = checks.one_of("schedule", schedule, SCHEDULES)
    if schedule == "linear":
        scale = 1000.0 / steps
        if 0.02 * scale >= 1.0:
            raise ValueError(
                f"the linear schedule needs steps > 20 (its last beta, 0.02 * 1000 / steps, "
                f"must stay below 1); got steps={steps}: use more steps or schedule='cosine'."
            )
        return np.linspace(1e-4 * scale, 0.02 * scale, steps, dtype=np.float64).astype(np.float32)
    s = 0.008
    f = np.cos((np.arange(steps + 1, dtype=np.float64) / steps + s) / (1 + s) * np.pi / 2) ** 2
    betas = 1.0 - f[1:] / f[:-1]  # 1 - alpha_bar(t) / alpha_bar(t - 1)
    return np.clip(betas, 0.0, 0.999).astype(np.float32)


def _betas(betas) -> np.ndarray:
    """``betas`` checked: a 1-D array of numbers in (0, 1), as float64."""
    betas = checks.array("betas", betas, ranks=(1,), dtype=np.float64)
    if betas.min() <= 0.0 or betas.max() >= 1.0:
        raise ValueError(
            f"betas must lie in (0, 1); got values in [{betas.min():.3g}, {betas.max():.3g}]: "
            "make them with noise_schedule(steps, schedule)."
        )
    return betas


def alpha_bars(betas) -> np.ndarray:
    """``alpha_bar[t] = prod_{s <= t} (1 - betas[s])``: the signal left after step t.

    Args:
        betas: (T,) numbers in (0, 1), e.g. from :func:`noise_schedule`.

    Returns:
        float64 array (T,), strictly decreasing in (0, 1). Kept in float64: the samplers
        divide by ``sqrt(1 - alpha_bar)``, which is about 6e-3 at t = 0 for the cosine schedule.
    """
    return np.cumprod(1.0 - _betas(betas))


def signal_to_noise(alpha_bar):
    """SNR ``alpha_bar / (1 - alpha_bar)``, float64 in (0, inf), shaped like ``alpha_bar``.

    Signal variance over noise variance in ``x_t``; its log is the usual plot of a schedule.
    """
    alpha_bar = checks.array("alpha_bar", alpha_bar, dtype=np.float64)
    if alpha_bar.min() <= 0.0 or alpha_bar.max() >= 1.0:
        raise ValueError(
            f"alpha_bar must lie in (0, 1); got values in [{alpha_bar.min():.3g}, "
            f"{alpha_bar.max():.3g}]: get it from alpha_bars(betas)."
        )
    return alpha_bar / (1.0 - alpha_bar)


def _f32(x):
    return ops.cast(x, "float32")


def _batches(**named) -> None:
    """The named batches (N, ...) hold finite numbers and share one shape.

    Eager values are checked in full; while traced (inside ``fit``) only the static shapes are,
    at no cost per step.
    """
    checks.tensors(same_shape=True, **named)
    (first, value), *rest = named.items()
    for name, other in rest:
        _same_shape(first, value, name, other)


def _same_shape(a_name: str, a, b_name: str, b) -> None:
    """Static shapes of ``a`` and ``b`` agree (unknown sizes, inside a traced step, pass)."""
    a_shape, b_shape = tuple(ops.shape(a)), tuple(ops.shape(b))
    if len(a_shape) != len(b_shape) or any(
        isinstance(m, int) and isinstance(n, int) and m != n
        for m, n in zip(a_shape, b_shape, strict=True)
    ):
        raise ValueError(
            f"{a_name} and {b_name} must have the same shape; got {a_shape} and {b_shape}."
        )


def _per_example(name: str, values, x, hint: str):
    """(N,) numbers in [0, 1] reshaped to broadcast over a batch ``x``: (N, 1, 1, 1) or (N, 1).

    ``hint`` says where correct values come from, for the message when they leave [0, 1].
    """
    if not checks._traced(values):  # while traced the values are unknown: shapes only
        found = checks.array(name, values, dtype=np.float64)
        if found.min() < 0.0 or found.max() > 1.0:
            raise ValueError(
                f"{name} must lie in [0, 1]; got values in [{found.min():.3g}, "
                f"{found.max():.3g}]: {hint}."
            )
    values = _f32(values)
    if len(values.shape) == 0:  # one number for the whole batch
        return values
    rank = len(x.shape)
    if len(values.shape) != 1 or rank < 2:
        raise ValueError(
            f"{name} must be one number per example, shape (N,), for a batch (N, ...); got "
            f"{tuple(values.shape)} for data of shape {tuple(x.shape)}."
        )
    n, batch = values.shape[0], x.shape[0]
    if isinstance(n, int) and isinstance(batch, int) and n != batch:
        raise ValueError(
            f"{name} must hold {batch} numbers, one per example of the batch; got {n}."
        )
    return ops.reshape(values, (-1,) + (1,) * (rank - 1))


def q_sample(x0, alpha_bar, noise):
    """Sample ``x_t ~ q(x_t | x_0) = N(sqrt(alpha_bar) x_0, (1 - alpha_bar) I)`` in one go.

    The closed form of running :func:`forward_step` t times (Ho et al. 2020, eq. 4).

    Args:
        x0: clean data, images (N, H, W, C) or points (N, D).
        alpha_bar: (N,) values in (0, 1), one per example (or one number for all).
        noise: standard normal noise, same shape as ``x0``.

    Returns:
        float32 tensor shaped like ``x0``. Taught in ``09_diffusion.ipynb``.
    """
    _batches(x0=x0, noise=noise)
    ab = _per_example("alpha_bar", alpha_bar, x0, "take it from alpha_bars(betas)[t]")
    return ops.sqrt(ab) * _f32(x0) + ops.sqrt(1.0 - ab) * _f32(noise)


def forward_step(x_prev, beta, noise):
    """One step ``x_t = sqrt(1 - beta) x_{t-1} + sqrt(beta) noise`` of ``q(x_t | x_{t-1})``.

    ``x_prev`` and ``noise`` are (N, ...), ``beta`` one number or (N,); returns float32 ``x_t``.
    """
    _batches(x_prev=x_prev, noise=noise)
    beta = _per_example("beta", beta, x_prev, "take it from noise_schedule(steps)[t]")
    return ops.sqrt(1.0 - beta) * _f32(x_prev) + ops.sqrt(beta) * _f32(noise)


def show_forward_process(image, alpha_bar, timesteps: Sequence[int], seed: int = 0):
    """Picture one image at a few steps of the forward process, beside lesson 01's noise.

    Top row: ``x_t`` (:func:`q_sample`, the image fades while the noise grows); bottom row:
    lesson 01's :func:`~imgen_helpers.noise.add_gaussian_noise` of the same standard
    deviation ``sqrt(1 - alpha_bar[t])``, which only adds (the image stays at full strength).
    The same noise draw in both rows; shown clipped to [-1, 1].

    Args:
        image: one image (H, W, C) or (H, W), float in [-1, 1].
        alpha_bar: (T,) from :func:`alpha_bars`.
        timesteps: step indices in 0..T-1 to show, e.g. [0, 250, 500, 999].
        seed: seeds the noise.

    Returns:
        The matplotlib figure. Taught in ``09_diffusion.ipynb``.
    """
    from .plotting import show_grid

    image = checks.array("image", image, ranks=(2, 3))
    image = image[..., None] if image.ndim == 2 else image
    checks.images("image", image[None], value_range="symmetric", ranks=(4,))
    ab = checks.array("alpha_bar", alpha_bar, ranks=(1,), dtype=np.float64)
    if np.any(ab <= 0) or np.any(ab >= 1):
        raise ValueError("alpha_bar must hold values in (0, 1): take it from alpha_bars(betas).")
    checks.instance(
        "timesteps", timesteps, Sequence | np.ndarray, "a list of step indices, e.g. [0, 500]"
    )
    steps = [checks.integer(f"timesteps[{i}]", t, minimum=0) for i, t in enumerate(timesteps)]
    if not steps or max(steps) >= len(ab):
        raise ValueError(f"timesteps must be a non-empty list of step indices in 0..{len(ab) - 1}.")
    noise = np.random.default_rng(checks.integer("seed", seed, minimum=0)).standard_normal(
        image.shape
    )
    forward = [np.asarray(q_sample(image[None], ab[t], noise[None]))[0] for t in steps]
    additive = [image + np.sqrt(1.0 - ab[t]) * noise for t in steps]  # lesson 01, in [-1, 1]
    titles = [f"x_t, t={t}" for t in steps] + [
        f"lesson 01, std {np.sqrt(1 - ab[t]):.2f}" for t in steps
    ]
    return show_grid(
        np.clip(np.stack(forward + additive), -1.0, 1.0),
        titles=titles,
        ncols=len(steps),
        value_range="symmetric",
    )


# ----------------------------------------------------------------------------------------------
# 2. Flow matching: a straight line from data (t = 0) to noise (t = 1)
# ----------------------------------------------------------------------------------------------


def flow_interpolate(x0, t, noise):
    """The point ``x_t = (1 - t) x_0 + t noise`` of the straight path (rectified flow).

    Its velocity ``d x_t / dt = noise - x_0`` is the regression target; averaged over all
    pairs that pass through ``x_t``, it is the field that carries noise to data.

    Args:
        x0: data, (N, H, W, C) or (N, D).
        t: (N,) times in [0, 1] (0 = data, 1 = noise), or one number.
        noise: standard normal noise shaped like ``x0``.

    Returns:
        float32 tensor shaped like ``x0``. Taught in ``09_diffusion.ipynb``.
    """
    _batches(x0=x0, noise=noise)
    t = _per_example("t", t, x0, "times run from 0 (data) to 1 (noise)")
    return (1.0 - t) * _f32(x0) + t * _f32(noise)


# ----------------------------------------------------------------------------------------------
# 3. Training objectives: pure functions
# ----------------------------------------------------------------------------------------------


def noise_prediction_loss(predicted_noise, noise):
    """DDPM's "simple" loss ``mean (eps_theta(x_t, t) - eps)^2`` (Ho et al. 2020), float32.

    ``predicted_noise`` (the network's output, any float dtype) and ``noise`` (what was mixed
    into ``x_t``) are (N, ...) of one shape. A network that always predicts 0 scores about 1.
    """
    _batches(predicted_noise=predicted_noise, noise=noise)
    return ops.mean(ops.square(_f32(predicted_noise) - _f32(noise)))


def velocity_loss(predicted_velocity, x0, noise):
    """Flow matching loss ``mean (v_theta(x_t, t) - (noise - x_0))^2``, float32 scalar >= 0.

    All three (N, ...) of one shape: the network's output, the data, the noise end of the path.
    """
    _batches(predicted_velocity=predicted_velocity, x0=x0, noise=noise)
    target = _f32(noise) - _f32(x0)
    return ops.mean(ops.square(_f32(predicted_velocity) - target))


# ----------------------------------------------------------------------------------------------
# 4. The networks
# ----------------------------------------------------------------------------------------------


def _even_dim(name: str, dim) -> int:
    """The size of a sinusoidal embedding: a positive even integer (half sines, half cosines)."""
    dim = checks.positive_int(name, dim)
    if dim % 2:
        raise ValueError(
            f"{name} must be even (half sines, half cosines); got {dim}: use {dim + 1}."
        )
    return dim


def sinusoidal_embedding(t, dim: int, max_period: float = 10_000.0):
    """Transformer-style features of the time: ``[sin(1000 t w_k), cos(1000 t w_k)]``.

    ``w_k = max_period^(-k / (dim / 2))``, k = 0 .. dim/2 - 1: from one turn per 0.006 of
    time down to very slow waves, so nearby times differ in the fast features and far ones in
    the slow. The factor 1000 puts t in [0, 1] on the scale of DDPM's step numbers.

    Args:
        t: (N,) times, float in [0, 1].
        dim: size of the embedding, even.
        max_period: longest wavelength, in step numbers.

    Returns:
        float32 tensor (N, dim) in [-1, 1]. Taught in ``09_diffusion.ipynb``.
    """
    dim = _even_dim("dim", dim)
    max_period = checks.number("max_period", max_period, above=1.0)
    if not checks._traced(t):  # while traced (inside a network) the values are unknown
        checks.array("t", t)
    t = _f32(t)
    if len(t.shape) != 1:
        raise ValueError(
            f"t must be one time per example, shape (N,); got shape {tuple(t.shape)}: "
            "flatten it, e.g. t.reshape(-1), or give a single time as [t]."
        )
    half = dim // 2
    frequencies = np.exp(-np.log(max_period) * np.arange(half) / half).astype(np.float32)
    angles = 1000.0 * _f32(t)[:, None] * frequencies[None, :]  # (N, half)
    return ops.concatenate([ops.sin(angles), ops.cos(angles)], axis=-1)


@keras.saving.register_keras_serializable(package="imgen_helpers")
class SinusoidalEmbedding(layers.Layer):
    """:func:`sinusoidal_embedding` as a layer. Build it with ``dtype="float32"``: in bfloat16
    the times (N,) would keep 3 significant digits and neighbouring steps would look alike."""

    def __init__(self, dim: int, **kwargs):
        dim = _even_dim("dim", dim)
        super().__init__(**kwargs)
        self.dim = dim

    def call(self, t):
        return sinusoidal_embedding(t, self.dim)

    def get_config(self) -> dict:
        return {**super().get_config(), "dim": self.dim}


@dataclass(frozen=True)
class UNetConfig:
    """Architecture of :func:`build_unet` (a small DDPM U-Net, Ho et al. 2020)."""

    image_shape: tuple[int, int, int] = (28, 28, 1)  # (H, W, C); H, W divisible by 2^(levels-1)
    widths: tuple[int, ...] = (32, 64, 128)  # channels per resolution level: 28, 14, 7
    blocks: int = 1  # residual blocks per level, on the way down and on the way up
    attention: bool = True  # self-attention at the lowest resolution
    num_classes: int | None = None  # class-conditional; label num_classes means "no label"
    time_dim: int = 64  # size of the sinusoidal time embedding (and of the conditioning vector)
    groups: int = 8  # GroupNormalization groups; must divide every width

    def __post_init__(self) -> None:
        shape = checks.int_tuple("image_shape", self.image_shape, 3, layout="(H, W, C)")
        object.__setattr__(self, "image_shape", shape)  # frozen: store the cleaned values
        widths = self.widths
        if isinstance(widths, str | bytes) or not isinstance(widths, Sequence | np.ndarray):
            single = f": for a single level write ({widths},)" if isinstance(widths, int) else ""
            raise TypeError(
                "widths must be a tuple of channel counts, one per resolution level, e.g. "
                f"(32, 64, 128); got {widths!r}{single}."
            )
        object.__setattr__(
            self, "widths", checks.int_tuple("widths", widths, len(widths), layout="(per level)")
        )
        for name in ("blocks", "time_dim", "groups") + (
            ("num_classes",) if self.num_classes is not None else ()
        ):
            object.__setattr__(self, name, checks.positive_int(name, getattr(self, name)))
        object.__setattr__(self, "time_dim", _even_dim("time_dim", self.time_dim))
        checks.boolean("attention", self.attention)
        if not self.widths:
            raise ValueError("widths must hold at least one width, e.g. (32, 64, 128).")
        if self.attention and self.widths[-1] < 4:
            raise ValueError(
                f"attention uses 4 heads, so the last of widths must be at least 4; got "
                f"widths={self.widths}: widen the lowest level or set attention=False."
            )
        height, width, _ = self.image_shape
        factor = 2 ** (len(self.widths) - 1)
        if height % factor or width % factor:
            raise ValueError(
                f"image_shape {height}x{width} must be divisible by {factor} for "
                f"{len(self.widths)} levels (each halves the size): use fewer widths or pad."
            )
        if any(w % self.groups for w in self.widths):
            raise ValueError(
                f"every width in {self.widths} must be divisible by groups={self.groups} "
                "(GroupNormalization splits the channels into groups): choose groups that "
                "divides them all, e.g. 8 for (32, 64, 128)."
            )


def _conditioning(time, labels, time_dim: int, num_classes: int | None):
    """The vector every block is told: an MLP of the time embedding, plus a label embedding."""
    emb = SinusoidalEmbedding(time_dim, dtype="float32", name="time_sinusoidal")(time)
    emb = layers.Dense(time_dim, activation="swish", name="time_dense_1")(emb)
    emb = layers.Dense(time_dim, name="time_dense_2")(emb)  # (N, time_dim)
    if num_classes is not None:  # index num_classes is the "no label" token (guidance)
        label = layers.Embedding(num_classes + 1, time_dim, name="label_embedding")(labels)
        emb = layers.Add(name="time_plus_label")([emb, label])
    return emb


def _residual_block(x, emb, width: int, groups: int, name: str):
    """GroupNorm, swish, 3x3 conv; add the conditioning; again; plus a (1x1 conv) shortcut."""
    h = layers.GroupNormalization(groups, name=f"{name}_norm_1")(x)
    h = layers.Activation("swish", name=f"{name}_swish_1")(h)
    h = layers.Conv2D(width, 3, padding="same", name=f"{name}_conv_1")(h)
    shift = layers.Dense(width, name=f"{name}_time")(emb)
    shift = layers.Reshape((1, 1, width), name=f"{name}_time_map")(shift)  # (N, 1, 1, width)
    h = layers.Add(name=f"{name}_add_time")([h, shift])
    h = layers.GroupNormalization(groups, name=f"{name}_norm_2")(h)
    h = layers.Activation("swish", name=f"{name}_swish_2")(h)
    h = layers.Conv2D(width, 3, padding="same", name=f"{name}_conv_2")(h)
    if x.shape[-1] != width:
        x = layers.Conv2D(width, 1, name=f"{name}_shortcut")(x)
    return layers.Add(name=f"{name}_out")([x, h])


def _attention_block(x, groups: int, name: str):
    """Self-attention over the H*W positions of a small feature map, with a residual."""
    _, height, width, channels = x.shape
    h = layers.GroupNormalization(groups, name=f"{name}_norm")(x)
    h = layers.Reshape((height * width, channels), name=f"{name}_flatten")(h)  # (N, H*W, C)
    h = layers.MultiHeadAttention(4, channels // 4, name=f"{name}_mha")(h, h)
    h = layers.Reshape((height, width, channels), name=f"{name}_unflatten")(h)
    return layers.Add(name=f"{name}_out")([x, h])


def build_unet(config: UNetConfig = UNetConfig()) -> keras.Model:
    """A small U-Net that predicts the noise (or the velocity) in a noisy image.

    Down: a residual block per level, then a stride-2 convolution (28 -> 14 -> 7); middle:
    residual, attention, residual; up: nearest-neighbour upsampling and the matching skip
    connections. The output convolution starts at zero, so an untrained net predicts 0.

    Args:
        config: the architecture.

    Returns:
        ``keras.Model`` named ``"unet"``: ``[images (N, H, W, C) float32, time (N,) float32 in
        [0, 1]]`` plus ``labels (N,) int32`` in [0, num_classes] when conditional ->
        float32 (N, H, W, C), also under ``mixed_bfloat16``. Taught in ``09_diffusion.ipynb``.
    """
    checks.instance("config", config, UNetConfig, "a UNetConfig")
    c = config
    images = keras.Input(c.image_shape, name="noisy_images")
    time = keras.Input((), name="time")
    labels = keras.Input((), dtype="int32", name="labels") if c.num_classes else None
    emb = _conditioning(time, labels, c.time_dim, c.num_classes)
    x = layers.Conv2D(c.widths[0], 3, padding="same", name="stem")(images)
    skips = []
    for level, width in enumerate(c.widths):
        for b in range(c.blocks):
            x = _residual_block(x, emb, width, c.groups, f"down_{level}_block_{b}")
            skips.append(x)
        if level < len(c.widths) - 1:
            x = layers.Conv2D(width, 3, strides=2, padding="same", name=f"down_{level}_halve")(x)
    x = _residual_block(x, emb, c.widths[-1], c.groups, "middle_block_1")
    if c.attention:
        x = _attention_block(x, c.groups, "middle_attention")
    x = _residual_block(x, emb, c.widths[-1], c.groups, "middle_block_2")
    for level in reversed(range(len(c.widths))):
        for b in range(c.blocks):
            x = layers.Concatenate(name=f"up_{level}_skip_{b}")([x, skips.pop()])
            x = _residual_block(x, emb, c.widths[level], c.groups, f"up_{level}_block_{b}")
        if level > 0:
            x = layers.UpSampling2D(2, name=f"up_{level}_double")(x)
            x = layers.Conv2D(c.widths[level - 1], 3, padding="same", name=f"up_{level}_conv")(x)
    x = layers.GroupNormalization(c.groups, name="out_norm")(x)
    x = layers.Activation("swish", name="out_swish")(x)
    to_output = layers.Conv2D(
        c.image_shape[-1],
        3,
        padding="same",
        name="to_output",
        kernel_initializer="zeros",
        dtype="float32",
    )  # under any policy
    out = to_output(x)  # (N, H, W, C)
    inputs = [images, time] + ([labels] if c.num_classes else [])
    network = keras.Model(inputs, out, name="unet")
    network.unet_config = c  # so that the network can be rebuilt, e.g. to save it in float16
    return network


def build_mlp_denoiser(
    dim: int = 2,
    width: int = 128,
    depth: int = 3,
    num_classes: int | None = None,
    time_dim: int = 32,
) -> keras.Model:
    """An MLP for 2-D toy data, called like :func:`build_unet`: ``[points, time(, labels)]``.

    The points, the time embedding (and the label embedding) are concatenated and go through
    ``depth`` swish layers; the output layer starts at zero.

    Args:
        dim: size of a point (2 for :mod:`imgen_helpers.toy2d`).
        width, depth: units per hidden layer, number of hidden layers.
        num_classes: class-conditional with this many classes (label num_classes = no label).
        time_dim: size of the sinusoidal time embedding.

    Returns:
        ``keras.Model`` named ``"mlp_denoiser"``: points (N, dim), time (N,) in [0, 1]
        (, labels (N,) int32) -> float32 (N, dim).
    """
    dim, width = checks.positive_int("dim", dim), checks.positive_int("width", width)
    depth, time_dim = checks.positive_int("depth", depth), _even_dim("time_dim", time_dim)
    if num_classes is not None:
        num_classes = checks.positive_int("num_classes", num_classes)
    points = keras.Input((dim,), name="noisy_points")
    time = keras.Input((), name="time")
    inputs = [points, time]
    features = [
        points,
        SinusoidalEmbedding(time_dim, dtype="float32", name="time_sinusoidal")(time),
    ]
    if num_classes is not None:
        inputs.append(keras.Input((), dtype="int32", name="labels"))
        embed = layers.Embedding(num_classes + 1, time_dim, name="label_embedding")
        features.append(embed(inputs[2]))
    h = layers.Concatenate(name="features")(features)
    for i in range(depth):
        h = layers.Dense(width, activation="swish", name=f"hidden_{i}")(h)
    out = layers.Dense(dim, kernel_initializer="zeros", dtype="float32", name="to_output")(h)
    return keras.Model(inputs, out, name="mlp_denoiser")


# ----------------------------------------------------------------------------------------------
# 5. The Diffusion model
# ----------------------------------------------------------------------------------------------

Predict = Callable  # predict(x, t, labels) -> array shaped like x
"""A prediction callable: ``predict(x (N, ...) float32, t (N,), labels (N,) int or None)``."""


def _fits(shape, expected) -> bool:
    """``shape`` matches ``expected`` axis by axis; an unknown size (None) matches any."""
    shape, expected = tuple(shape), tuple(expected)
    return len(shape) == len(expected) and all(
        s is None or e is None or s == e for s, e in zip(shape, expected, strict=True)
    )


def _class_numbers(name: str, labels, count: int, num_classes: int | None = None) -> np.ndarray:
    """``count`` class labels as int32, each in [0, num_classes] (num_classes: "no label")."""
    values = checks.array(name, labels, dtype=np.float64)
    top = num_classes
    if values.min() < 0 or (top is not None and values.max() > top):
        allowed = "0 or more" if top is None else f"in 0..{top - 1} (or {top}, 'no label')"
        built = "" if top is None else f": this network was built with num_classes={top}"
        raise ValueError(
            f"{name} must be class numbers {allowed}; got values from {values.min():g} to "
            f"{values.max():g}{built}."
        )
    return checks.labels(name, labels, np.iinfo(np.int32).max, count=count)


def _num_classes(network: keras.Model) -> int | None:
    """None for a network of two inputs; the class count of a conditional one (three inputs)."""
    if len(network.inputs) == 2:
        return None
    try:
        return network.get_layer("label_embedding").input_dim - 1
    except ValueError:
        raise ValueError(
            "a conditional network must have an Embedding layer named 'label_embedding' with "
            "num_classes + 1 rows (build it with build_unet or build_mlp_denoiser)."
        ) from None


class Diffusion(keras.Model):
    """A denoising network trained with ``fit()`` by noise prediction or flow matching.

    Each ``train_step`` draws per example a time (an integer step for ``"noise"``, a float in
    [0, 1) for ``"velocity"``) and a standard normal noise, mixes them into the batch with
    :func:`q_sample` or :func:`flow_interpolate`, and regresses the target (the noise, or the
    velocity ``noise - x_0``) with a mean squared error. Labels are replaced by the "no label"
    token with probability ``label_dropout``, so one network learns both the conditional and
    the unconditional model that classifier-free guidance needs (Ho and Salimans 2022).

    Args:
        network: from :func:`build_unet` or :func:`build_mlp_denoiser` (or alike: two inputs
            ``[x_t, time]``, or three with ``labels``, output shaped like ``x_t``).
        objective: ``"noise"`` (DDPM, Ho et al. 2020) or ``"velocity"`` (flow matching).
        schedule: noise schedule, "cosine" or "linear" (``"noise"`` objective only).
        steps: T, the number of noising steps (``"noise"`` objective only).
        ema: decay of ``ema_network``, an exponential moving average of the weights updated
            after every step (e.g. 0.999); it samples better than the raw weights. None: none.
        label_dropout: probability in [0, 1) of dropping a label during training.
        seed: seed of the noise, times and label dropout drawn during training.
    """

    def __init__(
        self,
        network: keras.Model,
        objective: str = "noise",
        schedule: str = "cosine",
        steps: int = 1000,
        ema: float | None = 0.999,
        label_dropout: float = 0.1,
        seed: int | None = None,
        **kwargs,
    ):
        checks.instance("network", network, keras.Model, "a keras.Model, e.g. build_unet()")
        if len(getattr(network, "inputs", None) or ()) not in (2, 3):
            raise ValueError(
                "network must be a functional model with inputs [x_t, time] or "
                "[x_t, time, labels]; build it with build_unet() or build_mlp_denoiser()."
            )
        x_shape, out_shape = tuple(network.inputs[0].shape), tuple(network.outputs[0].shape)
        if not _fits(out_shape[1:], x_shape[1:]):
            raise ValueError(
                f"network must output a prediction shaped like its input x_t; its input has "
                f"shape {x_shape} and its output {out_shape}: build it with build_unet() or "
                "build_mlp_denoiser()."
            )
        self.objective = checks.one_of("objective", objective, OBJECTIVES)
        # checked for "velocity" too, where they are unused: a typo there is still a typo
        schedule = checks.one_of("schedule", schedule, SCHEDULES)
        steps = checks.positive_int("steps", steps)
        self.betas = noise_schedule(steps, schedule) if objective == "noise" else None
        if ema is not None:
            ema = checks.number("ema", ema, above=0.0, below=1.0)
        label_dropout = checks.number("label_dropout", label_dropout, minimum=0.0, below=1.0)
        seed = None if seed is None else checks.integer("seed", seed, minimum=0)
        super().__init__(**kwargs)
        self.network, self.num_classes = network, _num_classes(network)
        self.ema, self.label_dropout = ema, label_dropout
        self.steps = None if self.betas is None else len(self.betas)
        if self.betas is not None:
            self.alpha_bar = tf.constant(alpha_bars(self.betas), tf.float32)  # (T,)
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.ema_network = None
        if ema is not None:
            self.ema_network = keras.models.clone_model(network)
            self.ema_network.set_weights(network.get_weights())
            self.ema_network.trainable = False  # moved by update_ema, not by the optimizer
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.built = True  # the network is a built model; nothing else to create

    @property
    def metrics(self):
        return [self.loss_tracker]

    def fit(self, x=None, y=None, *args, **kwargs):
        """``keras.Model.fit``, after checking that arrays have the network's input shape."""
        data = x[0] if isinstance(x, tuple | list) else x
        if isinstance(data, str | bytes):
            checks.as_array(data, "x")  # a path or a name where the data should be
        if isinstance(data, np.ndarray):
            if data.dtype == np.uint8:
                raise ValueError(
                    "x must be float data (images in [-1, 1]); got uint8 in [0, 255]: convert "
                    "with to_symmetric_range(x / 255)."
                )
            checks.array("x", data, shape=(None, *self.network.inputs[0].shape[1:]))
            if y is not None:
                if self.num_classes is None:
                    raise ValueError(
                        "y: this network is unconditional (built without num_classes), so "
                        "labels would be ignored; drop y or build the network with num_classes."
                    )
                self._labels("y", y, len(data))
        return super().fit(x, y, *args, **kwargs)

    def _labels(self, name: str, labels, count: int) -> np.ndarray:
        """Labels (count,) as int32 in [0, num_classes], num_classes meaning "no label"."""
        return _class_numbers(name, labels, count, self.num_classes)

    def call(self, inputs, training: bool = False):
        """The network's prediction for ``[x_t, time(, labels)]``."""
        return self.network(inputs, training=training)

    def network_time(self, t):
        """The float time in [0, 1] the network sees: ``(t + 1) / T`` for a step index t."""
        if self.objective == "velocity":
            return _f32(t)
        return (_f32(t) + 1.0) / float(self.steps)

    def loss_at(self, x0, noise, t, labels=None, training: bool = False):
        """The objective (float32 scalar) on data ``x0`` (N, ...) at given ``noise`` and times.

        ``t`` is (N,): step indices in [0, T) for ``"noise"``, floats in [0, 1] for
        ``"velocity"``; ``labels`` (N,) ints in [0, num_classes], None meaning "no label".
        """
        _batches(x0=x0, noise=noise)
        if self.objective == "noise" and not checks._traced(t):
            n = len(checks.as_array(x0, "x0"))
            steps = checks.array("t", t, ranks=(1,), dtype=np.float64)
            if len(steps) != n:
                raise ValueError(
                    f"t must hold {n} step indices, one per example; got {len(steps)}."
                )
            if np.any(steps != np.round(steps)) or steps.min() < 0 or steps.max() >= self.steps:
                raise ValueError(
                    f"t must be step indices, whole numbers in 0..{self.steps - 1}, for the "
                    f"noise objective; got values in [{steps.min():g}, {steps.max():g}]."
                )
        if self.num_classes is not None and labels is not None and not checks._traced(labels):
            self._labels("labels", labels, len(checks.as_array(x0, "x0")))
        if self.objective == "noise":
            x_t = q_sample(x0, ops.take(self.alpha_bar, ops.cast(t, "int32")), noise)
        else:
            x_t = flow_interpolate(x0, t, noise)
        inputs = [x_t, self.network_time(t)]
        if self.num_classes is not None:
            if labels is None:  # unconditional batch: every label is "no label"
                labels = ops.full((ops.shape(x_t)[0],), self.num_classes, "int32")
            inputs.append(ops.cast(labels, "int32"))
        prediction = self.network(inputs, training=training)
        if self.objective == "noise":
            return noise_prediction_loss(prediction, noise)
        return velocity_loss(prediction, x0, noise)

    def train_step(self, data):
        """One optimizer step on a batch of data or (data, labels); returns ``{"loss": ...}``."""
        x0, labels, _ = keras.utils.unpack_x_y_sample_weight(data)
        x0 = _f32(x0)
        n = ops.shape(x0)[0]
        noise = keras.random.normal(ops.shape(x0), seed=self.seed_generator)
        if self.objective == "noise":
            t = keras.random.randint((n,), 0, self.steps, seed=self.seed_generator)
        else:
            t = keras.random.uniform((n,), 0.0, 1.0, seed=self.seed_generator)
        if labels is not None and self.num_classes is not None:
            drop = keras.random.uniform((n,), seed=self.seed_generator) < self.label_dropout
            labels = ops.where(drop, self.num_classes, ops.cast(labels, "int32"))
        with tf.GradientTape() as tape:
            loss = self.loss_at(x0, noise, t, labels, training=True)
            scaled = self.optimizer.scale_loss(loss)  # loss scaling under mixed_float16
        variables = self.network.trainable_variables
        grads = tape.gradient(scaled, variables)
        self.optimizer.apply_gradients(zip(grads, variables, strict=True))
        self.update_ema()
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}

    def update_ema(self) -> None:
        """Move ``ema_network``'s weights a step ``1 - ema`` towards the network's."""
        if self.ema_network is None:
            return
        for average, weight in zip(self.ema_network.weights, self.network.weights, strict=True):
            average.assign(self.ema * average + (1.0 - self.ema) * ops.cast(weight, average.dtype))

    def predict_fn(self, guidance: float | None = None, use_ema: bool = True) -> Predict:
        """``predict(x, t, labels=None) -> float32`` shaped like x, for the samplers below.

        ``t`` (N,) is a step index for ``"noise"``, a float time for ``"velocity"``; labels None
        means "no label". ``guidance``: a :func:`guided` scale, or None; ``use_ema``: use
        ``ema_network`` when there is one.
        """
        use_ema = checks.boolean("use_ema", use_ema)
        if guidance is not None:
            guidance = checks.non_negative("guidance", guidance)
        network = self.ema_network if use_ema and self.ema_network is not None else self.network
        x_shape = (None, *self.network.inputs[0].shape[1:])

        def predict(x, t, labels=None):
            x = checks.array("x", x, shape=x_shape, finite=False)
            inputs = [x, np.asarray(self.network_time(np.asarray(t)))]
            if self.num_classes is not None:
                if labels is None:
                    labels = np.full(len(inputs[0]), self.num_classes)
                inputs.append(self._labels("labels", labels, len(x)))
            elif labels is not None:
                raise ValueError("labels: this network is unconditional; do not pass labels.")
            # predict_on_batch runs the network as a traced graph, faster than an eager call
            return np.asarray(network.predict_on_batch(inputs), np.float32)

        if guidance is None:
            return predict
        if self.num_classes is None:
            raise ValueError(
                "guidance needs a class-conditional network (num_classes set, trained with "
                "labels): pass guidance=None, or build the network with num_classes."
            )
        return guided(predict, guidance, no_label=self.num_classes)

    def sample(self, shape, labels=None, guidance=None, steps: int = 50, seed=0, clip_x0=None):
        """Samples (float32, ``shape``) with DDIM (``"noise"``) or Heun (``"velocity"``)."""
        predict = self.predict_fn(guidance)
        checks.instance("shape", shape, tuple | list, "a tuple such as (N, 28, 28, 1) or (N, 2)")
        expected = tuple(self.network.inputs[0].shape[1:])
        if not _fits(shape[1:], expected):
            raise ValueError(
                f"shape must be (N, {', '.join(map(str, expected))}) for this network, N the "
                f"number of samples; got {tuple(shape)}."
            )
        if self.objective == "noise":
            return ddim_sample(
                predict, shape, self.betas, steps, labels=labels, seed=seed, clip_x0=clip_x0
            )
        return flow_sample(predict, shape, steps, method="heun", labels=labels, seed=seed)


# ----------------------------------------------------------------------------------------------
# 6. Samplers: NumPy loops over a prediction callable
# ----------------------------------------------------------------------------------------------
# Shared arguments: ``shape`` (N, H, W, C) or (N, D) of the samples; ``labels`` (N,) class
# labels passed on to ``predict``, or None; ``seed`` seeds the starting noise (unless given) and
# every step's noise; ``return_trajectory`` also returns every step's x, float32
# (steps + 1, N, ...), e.g. to plot 2-D paths; ``verbose`` shows a progress bar.


def _check_predict(name: str, predict) -> None:
    """``predict`` is a prediction callable ``predict(x, t, labels)``, not a network."""
    if isinstance(predict, Diffusion) or type(predict).__name__ in ("Functional", "Sequential"):
        raise TypeError(
            f"{name} must be a callable predict(x, t, labels), not a Keras model (a network "
            "takes one list [x_t, time(, labels)]): pass model.predict_fn() of a Diffusion "
            "model."
        )
    if not callable(predict):
        raise TypeError(f"{name} must be a callable predict(x, t, labels); got {predict!r}.")
    try:
        signature = inspect.signature(predict)
    except (TypeError, ValueError):  # some built-in callables have none to show
        return
    try:
        signature.bind(None, None, None)
    except TypeError:
        raise TypeError(
            f"{name} must take three arguments, predict(x, t, labels); its signature is "
            f"{signature}: add the ones missing (labels=None if it ignores labels)."
        ) from None


def _start(name: str, predict, shape, labels, seed, x_start, start_name: str):
    """Checked sampler inputs: (shape, labels, rng, starting noise float64)."""
    _check_predict(name, predict)
    checks.instance("shape", shape, tuple | list, "a tuple such as (N, 28, 28, 1) or (N, 2)")
    if not shape:
        raise ValueError("shape must start with the number of samples, e.g. (16, 2); got ().")
    shape = tuple(checks.positive_int(f"shape[{i}]", s) for i, s in enumerate(shape))
    if labels is not None:
        labels = _class_numbers("labels", labels, shape[0])
    rng = np.random.default_rng(checks.integer("seed", seed, minimum=0))
    if x_start is None:
        return shape, labels, rng, rng.standard_normal(shape)
    x = checks.array(start_name, x_start, shape=shape, dtype=np.float64)
    return shape, labels, rng, x


def _call(name: str, predict, x, t, labels) -> np.ndarray:
    """``predict(x, t, labels)`` with x as float32 and t one value per example; float64 out."""
    t = np.full(len(x), t)
    out = predict(x.astype(np.float32), t, labels)
    if out is None:
        raise TypeError(
            f"{name} returned None: it must return an array shaped like x (a missing return?)."
        )
    out = checks.as_array(out, f"{name}'s output")
    if out.shape != x.shape:
        raise ValueError(
            f"predict returned shape {out.shape} for x of shape {x.shape}: {name} must return "
            "one prediction per example, shaped like x."
        )
    if not np.all(np.isfinite(out)):
        raise ValueError(
            f"{name} returned NaN or infinite values at t={t[0]:g}: check the network (did its "
            "training loss become NaN?)."
        )
    return out.astype(np.float64)


class _Progress:
    """A sampler loop's optional progress bar and trajectory."""

    def __init__(self, x, total: int, verbose: bool, return_trajectory: bool):
        verbose = checks.boolean("verbose", verbose)
        self.keep = checks.boolean("return_trajectory", return_trajectory)
        self.bar = keras.utils.Progbar(total) if verbose else None
        self.trajectory = [x] if self.keep else []

    def step(self, x) -> None:
        if self.keep:
            self.trajectory.append(x)
        if self.bar is not None:
            self.bar.add(1)

    def result(self, x):
        """float32 samples, and the stacked trajectory (steps + 1, N, ...) if asked for."""
        x = x.astype(np.float32)
        if self.keep:
            self.trajectory[-1] = x  # the final samples as returned
            return x, np.stack(self.trajectory).astype(np.float32)
        return x


def ddpm_sample(
    predict_noise: Predict,
    shape: Sequence[int],
    betas,
    labels=None,
    seed: int = 0,
    x_T=None,
    clip_x0: float | None = None,
    return_trajectory: bool = False,
    verbose: bool = False,
):
    """Ancestral sampling, Ho et al. 2020 Algorithm 2, with ``sigma_t^2 = beta_t``.

    From ``x_T ~ N(0, I)``, for t = T-1 .. 0: predict the clean data
    ``x0 = (x_t - sqrt(1 - ab_t) eps) / sqrt(ab_t)``, take the mean of ``q(x_{t-1} | x_t, x0)``
    (Ho et al. 2020, eq. 7; without clipping it equals Algorithm 2's
    ``(x_t - beta_t / sqrt(1 - ab_t) eps) / sqrt(1 - beta_t)``) and add ``sqrt(beta_t) z``,
    except at the last step (t = 0). T network calls.

    Args:
        predict_noise: ``predict(x, t, labels)``, t an (N,) int step index.
        betas: (T,) the schedule the network was trained with.
        x_T: the starting noise, float (``shape``), or None to draw it.
        clip_x0: clip each predicted clean sample to [-clip_x0, clip_x0] (1.0 for images in
            [-1, 1], as in Ho et al.'s code); None for no clipping. Near t = T the cosine
            schedule's ``sqrt(ab_t)`` is ~5e-5 and divides the network's error: clip there.
        shape, labels, seed, return_trajectory, verbose: see the section's comment.

    Returns:
        float32 samples of ``shape`` (and the trajectory). Taught in ``09_diffusion.ipynb``.
    """
    betas = _betas(betas)
    shape, labels, rng, x = _start("predict_noise", predict_noise, shape, labels, seed, x_T, "x_T")
    clip_x0 = None if clip_x0 is None else checks.positive("clip_x0", clip_x0)
    ab = np.cumprod(1.0 - betas)
    progress = _Progress(x, len(betas), verbose, return_trajectory)
    for t in reversed(range(len(betas))):
        x0, _ = _predict_x0(x, _call("predict_noise", predict_noise, x, t, labels), ab[t], clip_x0)
        ab_prev = ab[t - 1] if t > 0 else 1.0
        x = (np.sqrt(ab_prev) * betas[t] * x0 + np.sqrt(1 - betas[t]) * (1 - ab_prev) * x) / (
            1.0 - ab[t]
        )  # the posterior mean; at t = 0 it is x0 itself
        if t > 0:
            x = x + np.sqrt(betas[t]) * rng.standard_normal(shape)
        progress.step(x)
    return progress.result(x)


def _timesteps(T: int, steps: int) -> np.ndarray:
    """``steps`` evenly spaced step indices from T-1 down to 0 (fewer steps: larger jumps)."""
    steps = checks.positive_int("steps", steps)
    if steps > T:
        raise ValueError(f"steps={steps} is more than the schedule's {T} steps; use at most {T}.")
    return np.round(np.linspace(T - 1, 0, steps)).astype(int)


def _predict_x0(x, eps, ab_t, clip_x0):
    """The clean data ``x_t`` came from if ``eps`` is its noise; clipped, with eps to match."""
    x0 = (x - np.sqrt(1.0 - ab_t) * eps) / np.sqrt(ab_t)
    if clip_x0 is None:
        return x0, eps
    x0 = np.clip(x0, -clip_x0, clip_x0)
    return x0, (x - np.sqrt(ab_t) * x0) / np.sqrt(1.0 - ab_t)


def _ddim_step(x, eps, ab_t, ab_prev, eta: float, rng, clip_x0=None):
    """One DDIM update from ``ab_t`` to ``ab_prev`` (Song, Meng and Ermon 2021, eq. 12)."""
    x0, eps = _predict_x0(x, eps, ab_t, clip_x0)
    sigma = eta * np.sqrt((1.0 - ab_prev) / (1.0 - ab_t) * (1.0 - ab_t / ab_prev))
    noise = sigma * rng.standard_normal(x.shape) if eta > 0 else 0.0
    return np.sqrt(ab_prev) * x0 + np.sqrt(1.0 - ab_prev - sigma**2) * eps + noise


def ddim_sample(
    predict_noise: Predict,
    shape: Sequence[int],
    betas,
    steps: int = 50,
    eta: float = 0.0,
    labels=None,
    seed: int = 0,
    x_T=None,
    clip_x0: float | None = None,
    return_trajectory: bool = False,
    verbose: bool = False,
):
    """DDIM sampling (Song, Meng and Ermon 2021) on an evenly spaced subset of the T steps.

    Each step predicts the clean data ``x0 = (x_t - sqrt(1 - ab_t) eps) / sqrt(ab_t)`` and
    moves to the previous kept step: ``sqrt(ab_prev) x0 + sqrt(1 - ab_prev - sigma^2) eps +
    sigma z``. ``eta = 0`` is deterministic (the same ``x_T`` gives the same sample); ``eta = 1``
    uses DDPM's posterior variance. The network trained for DDPM is used unchanged.

    Args:
        predict_noise, betas, x_T, clip_x0, and the rest: as in :func:`ddpm_sample`.
        steps: network calls, at most T.
        eta: noise scale in [0, 1].

    Returns:
        float32 samples of ``shape`` (and the trajectory (steps + 1, N, ...)).
    """
    betas = _betas(betas)
    ts = _timesteps(len(betas), steps)
    eta = checks.number("eta", eta, minimum=0.0, maximum=1.0)
    shape, labels, rng, x = _start("predict_noise", predict_noise, shape, labels, seed, x_T, "x_T")
    clip_x0 = None if clip_x0 is None else checks.positive("clip_x0", clip_x0)
    ab = np.cumprod(1.0 - betas)
    progress = _Progress(x, len(ts), verbose, return_trajectory)
    for i, t in enumerate(ts):
        ab_prev = ab[ts[i + 1]] if i + 1 < len(ts) else 1.0  # after the last step: data
        eps = _call("predict_noise", predict_noise, x, t, labels)
        x = _ddim_step(x, eps, ab[t], ab_prev, eta, rng, clip_x0)
        progress.step(x)
    return progress.result(x)


def flow_sample(
    predict_velocity: Predict,
    shape: Sequence[int],
    steps: int = 50,
    method: str = "euler",
    labels=None,
    seed: int = 0,
    x_1=None,
    return_trajectory: bool = False,
    verbose: bool = False,
):
    """Integrate ``dx/dt = v(x, t)`` from noise (t = 1) to data (t = 0) in equal steps.

    ``"euler"``: ``x <- x + dt v(x, t)`` (dt = -1/steps), one call per step, error O(1/steps).
    ``"heun"``: an Euler guess, then the average of the velocities at both ends, two calls per
    step, error O(1/steps^2).

    Args:
        predict_velocity: ``predict(x, t, labels)``, t an (N,) float time in [0, 1].
        steps: integration steps; method: "euler" or "heun".
        x_1: the starting noise (``shape``), or None to draw it with ``seed``.
        shape, labels, seed, return_trajectory, verbose: see the section's comment.

    Returns:
        float32 samples of ``shape`` (and the trajectory (steps + 1, N, ...)).
        Taught in ``09_diffusion.ipynb``.
    """
    steps = checks.positive_int("steps", steps)
    method = checks.one_of("method", method, FLOW_METHODS)
    shape, labels, _, x = _start(
        "predict_velocity", predict_velocity, shape, labels, seed, x_1, "x_1"
    )
    times = np.linspace(1.0, 0.0, steps + 1)
    progress = _Progress(x, steps, verbose, return_trajectory)
    for t, t_next in zip(times[:-1], times[1:], strict=True):
        x = _ode_step(predict_velocity, x, t, t_next, labels, method)
        progress.step(x)
    return progress.result(x)


def _ode_step(predict_velocity: Predict, x, t: float, t_next: float, labels, method: str):
    """One Euler or Heun step of ``dx/dt = v(x, t)`` from t to t_next (t_next < t: to data)."""
    dt = t_next - t  # negative: towards the data
    v = _call("predict_velocity", predict_velocity, x, t, labels)
    if method == "heun":
        v_next = _call("predict_velocity", predict_velocity, x + dt * v, t_next, labels)
        v = (v + v_next) / 2.0
    return x + dt * v


def guided(predict: Predict, scale: float, no_label: int) -> Predict:
    """Classifier-free guidance (Ho and Salimans 2022): ``uncond + scale * (cond - uncond)``.

    Convention: ``scale = 1`` is the plain conditional model, ``scale = 0`` the unconditional
    one, ``scale > 1`` pushes samples towards what makes their class distinct (sharper, less
    varied). The paper's ``w`` is ``scale - 1``. Works for noise and velocity predictions.

    Args:
        predict: ``predict(x, t, labels)`` of a network trained with label dropout.
        scale: guidance scale (>= 0).
        no_label: the "no label" token, the network's ``num_classes``.

    Returns:
        A callable with the same signature, which needs labels. Taught in ``09_diffusion.ipynb``.
    """
    _check_predict("predict", predict)
    scale = checks.non_negative("scale", scale)
    no_label = checks.integer("no_label", no_label, minimum=0)

    def guided_predict(x, t, labels=None):
        if labels is None:
            raise ValueError("guidance needs labels: pass labels=... to the sampler.")
        if scale == 0.0:  # the unconditional model itself: one network call, not two
            return np.asarray(predict(x, t, np.full(len(x), no_label)), np.float64)
        cond = np.asarray(predict(x, t, labels), np.float64)
        if scale == 1.0:  # the conditional model itself: likewise
            return cond
        uncond = np.asarray(predict(x, t, np.full(len(x), no_label)), np.float64)
        return uncond + scale * (cond - uncond)

    return guided_predict


def inpaint(
    predict_noise: Predict,
    known,
    mask,
    betas,
    steps: int = 100,
    eta: float = 1.0,
    labels=None,
    seed: int = 0,
    clip_x0: float | None = None,
    return_trajectory: bool = False,
    verbose: bool = False,
):
    """Fill the unknown region of images with a noise-prediction network (Lugmayr et al. 2022).

    RePaint's replacement without its resampling loop: at each DDIM step (``eta``: see
    :func:`ddim_sample`), the known pixels of ``x_t`` are replaced by a fresh draw of
    :func:`q_sample` of ``known`` at that step's noise level, so the network denoises an
    image whose known part is consistent with the truth; at the end they are ``known``.

    Args:
        predict_noise: ``predict(x, t, labels)``, t an (N,) int step index.
        known: images (N, ...) whose ``mask == 1`` pixels are kept.
        mask: same shape, 1 where known, 0 where to fill.
        betas: (T,) the training schedule.
        steps, eta, labels, seed, clip_x0, return_trajectory, verbose: see :func:`ddim_sample`.

    Returns:
        float32 (N, ...): ``known`` exactly where ``mask == 1``, generated elsewhere.
    """
    betas = _betas(betas)
    ts = _timesteps(len(betas), steps)
    eta = checks.number("eta", eta, minimum=0.0, maximum=1.0)
    _check_predict("predict_noise", predict_noise)
    known, mask = _known_and_mask(known, mask)
    shape, labels, rng, x = _start(
        "predict_noise", predict_noise, known.shape, labels, seed, None, "x_T"
    )
    clip_x0 = None if clip_x0 is None else checks.positive("clip_x0", clip_x0)
    ab = np.cumprod(1.0 - betas)
    progress = _Progress(x, len(ts), verbose, return_trajectory)
    for i, t in enumerate(ts):
        noisy_known = np.asarray(
            q_sample(known, np.full(len(known), ab[t]), rng.standard_normal(shape))
        )
        x = np.where(mask == 1, noisy_known, x)
        ab_prev = ab[ts[i + 1]] if i + 1 < len(ts) else 1.0
        eps = _call("predict_noise", predict_noise, x, t, labels)
        x = _ddim_step(x, eps, ab[t], ab_prev, eta, rng, clip_x0)
        progress.step(x)
    x = np.where(mask == 1, known, x)  # exactly the given pixels
    return progress.result(x)


def _known_and_mask(known, mask) -> tuple[np.ndarray, np.ndarray]:
    """The images to complete, float (N, ...), and a 0/1 mask of their shape."""
    if checks.as_array(known, "known").dtype == np.uint8:
        raise ValueError(
            "known must be float images in [-1, 1]; got uint8 in [0, 255]: convert with "
            "to_symmetric_range(known / 255)."
        )
    known = checks.array("known", known)
    if known.ndim < 2:
        raise ValueError(f"known must be a batch (N, ...), e.g. known[None]; got {known.shape}.")
    mask = checks.array("mask", mask, shape=known.shape)
    if not np.all((mask == 0) | (mask == 1)):
        raise ValueError("mask must hold only 0 (to fill) and 1 (known).")
    return known, mask


def flow_inpaint(
    predict_velocity: Predict,
    known,
    mask,
    steps: int = 50,
    method: str = "euler",
    labels=None,
    seed: int = 0,
    return_trajectory: bool = False,
    verbose: bool = False,
):
    """:func:`inpaint` for a flow-matching network: the same replacement on the straight path.

    Before each step of :func:`flow_sample`, the known pixels of ``x_t`` are replaced by
    :func:`flow_interpolate` of ``known`` at time t with fresh noise; at the end they are
    ``known``.

    Args:
        predict_velocity: ``predict(x, t, labels)``, t an (N,) float time in [0, 1].
        known: images (N, ...) whose ``mask == 1`` pixels are kept.
        mask: same shape, 1 where known, 0 where to fill.
        steps, method, labels, seed, return_trajectory, verbose: see :func:`flow_sample`.

    Returns:
        float32 (N, ...): ``known`` exactly where ``mask == 1``, generated elsewhere.
        Taught in ``09_diffusion.ipynb``.
    """
    steps = checks.positive_int("steps", steps)
    method = checks.one_of("method", method, FLOW_METHODS)
    _check_predict("predict_velocity", predict_velocity)
    known, mask = _known_and_mask(known, mask)
    shape, labels, rng, x = _start(
        "predict_velocity", predict_velocity, known.shape, labels, seed, None, "x_1"
    )
    times = np.linspace(1.0, 0.0, steps + 1)
    progress = _Progress(x, steps, verbose, return_trajectory)
    for t, t_next in zip(times[:-1], times[1:], strict=True):
        noisy_known = flow_interpolate(known, np.full(len(known), t), rng.standard_normal(shape))
        x = np.where(mask == 1, np.asarray(noisy_known), x)
        x = _ode_step(predict_velocity, x, t, t_next, labels, method)
        progress.step(x)
    x = np.where(mask == 1, known, x)  # exactly the given pixels
    return progress.result(x)


__all__ = [
    "SCHEDULES",
    "OBJECTIVES",
    "FLOW_METHODS",
    "noise_schedule",
    "alpha_bars",
    "signal_to_noise",
    "q_sample",
    "forward_step",
    "show_forward_process",
    "flow_interpolate",
    "noise_prediction_loss",
    "velocity_loss",
    "sinusoidal_embedding",
    "SinusoidalEmbedding",
    "UNetConfig",
    "build_unet",
    "build_mlp_denoiser",
    "Diffusion",
    "ddpm_sample",
    "ddim_sample",
    "flow_sample",
    "guided",
    "inpaint",
    "flow_inpaint",
]
