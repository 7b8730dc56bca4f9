"""Checks for the exercises of ``09_diffusion``: the forward marginal, a DDIM step, guidance."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .grading import Wrong, all_finite, call, numbers, verdict


def _data(seed: int, shape: tuple[int, ...]):
    """Two float32 standard normal arrays of ``shape``: clean data and noise (or two guesses)."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal(shape).astype("float32"), rng.standard_normal(shape).astype(
        "float32"
    )


def _per_example(values: np.ndarray, x: np.ndarray) -> np.ndarray:
    """(N,) values as (N, 1, ..., 1), to scale each example of ``x`` by its own value."""
    return values.reshape((-1,) + (1,) * (x.ndim - 1))


# ----------------------------------------------------------------------------------------------
# Exercise 1: x_t from x_0 in one go
# ----------------------------------------------------------------------------------------------

# (what, x0's shape, alpha_bar): points first, then images; every alpha_bar differs from the
# others, and 0.5 is among them (the value the variance messages quote)
_MARGINAL_CASES = [
    ("points (6, 2)", (6, 2), [0.98, 0.8, 0.5, 0.3, 0.1, 0.02]),
    ("images (4, 28, 28, 1)", (4, 28, 28, 1), [0.9, 0.6, 0.25, 0.05]),
]

_RESHAPE = (
    "alpha_bar has one value per example, shape (N,): reshape it to (N, 1) for points and to "
    "(N, 1, 1, 1) for images, e.g. alpha_bar.reshape((-1,) + (1,) * (x0.ndim - 1)), so that "
    "alpha_bar[i] scales the whole of example i."
)


def check_forward_marginal(fn: Callable, name: str = "Exercise 1") -> bool:
    """``fn(x0, alpha_bar, noise)``: ``x_t = sqrt(alpha_bar) x0 + sqrt(1 - alpha_bar) noise``.

    ``alpha_bar`` has shape (N,), one value per example. Called on points (6, 2) and images
    (4, 28, 28, 1), each example with its own alpha_bar, and compared with
    ``diffusion.q_sample``. Rejects alpha_bar or 1 - alpha_bar without the square root, the two
    coefficients swapped, one alpha_bar for the whole batch (the first, the last or the mean),
    alpha_bar not reshaped (or reshaped for one rank only), x0 or the noise left unscaled
    (variance not preserved), and x_t without x0 or without noise.
    """
    return verdict(name, _marginal_problems, fn)


def _marginal_variants(x0, ab, noise):
    """The usual wrong x_t, with what a learner should hear; ``ab`` already (N, 1, ...)."""
    x0, noise, a = x0.astype(np.float64), noise.astype(np.float64), ab.astype(np.float64)
    root, rest = np.sqrt(a), np.sqrt(1 - a)

    def variance(signal, noisy):  # of x_t at alpha_bar = 0.5, for unit-variance x0 and noise
        return (
            f"your x_t has variance {signal**2 + noisy**2:.2f}, not 1, for unit-variance x0 "
            "and noise with alpha_bar = 0.5"
        )

    return [
        (
            a * x0 + (1 - a) * noise,
            variance(0.5, 0.5) + ": the coefficients are square roots, sqrt(alpha_bar) for x0 "
            "and sqrt(1 - alpha_bar) for the noise (alpha_bar and 1 - alpha_bar are variances).",
        ),
        (
            a * x0 + rest * noise,
            variance(0.5, np.sqrt(0.5)) + ": you scaled x0 by alpha_bar; its coefficient is "
            "sqrt(alpha_bar).",
        ),
        (
            root * x0 + (1 - a) * noise,
            variance(np.sqrt(0.5), 0.5) + ": you scaled the noise by 1 - alpha_bar; its "
            "coefficient is sqrt(1 - alpha_bar).",
        ),
        (
            rest * x0 + root * noise,
            "the two coefficients are swapped: x0 gets sqrt(alpha_bar) and the noise gets "
            "sqrt(1 - alpha_bar). alpha_bar is the signal left, near 1 at the first steps "
            "(almost clean data) and near 0 at the last (almost pure noise).",
        ),
        (
            (1 - a) * x0 + a * noise,
            "the two coefficients are swapped (and need square roots): sqrt(alpha_bar) * x0 + "
            "sqrt(1 - alpha_bar) * noise; alpha_bar near 1 means almost clean data.",
        ),
        (
            x0 + rest * noise,
            variance(1.0, np.sqrt(0.5)) + ": x0 must be scaled down by sqrt(alpha_bar) while "
            "the noise is added, so the variance stays 1 and x_T is pure noise.",
        ),
        (
            root * x0 + noise,
            variance(np.sqrt(0.5), 1.0) + ": the noise must be scaled by sqrt(1 - alpha_bar), "
            "so the variance stays 1 and x_t is almost x0 when alpha_bar is near 1.",
        ),
        (
            x0 + noise,
            "x0 + noise is the same at every step: scale them by sqrt(alpha_bar) and "
            "sqrt(1 - alpha_bar).",
        ),
        (noise, "you returned the noise alone: x_t also holds sqrt(alpha_bar) * x0."),
        (rest * noise, "your x_t has no x0 in it: add sqrt(alpha_bar) * x0."),
        (x0, "you returned x0: x_t adds sqrt(1 - alpha_bar) * noise to sqrt(alpha_bar) * x0."),
        (root * x0, "your x_t has no noise in it: add sqrt(1 - alpha_bar) * noise."),
    ]


def _marginal_problems(fn):
    from .. import diffusion  # imported here: TensorFlow loads only when a check runs

    for seed, (what, shape, values) in enumerate(_MARGINAL_CASES):
        x0, noise = _data(seed, shape)
        alpha_bar = np.array(values, dtype="float32")
        try:  # copies: an answer that works in place must not change the check's inputs
            raw = call(fn, x0.copy(), alpha_bar.copy(), noise.copy())
        except Wrong as problem:
            text = str(problem)
            if "raised" in text and any(s in text.lower() for s in ("broadcast", "shape")):
                raise Wrong(f"for {what}, {text.rstrip(' .')}. {_RESHAPE}") from None
            raise
        if not all_finite(raw):
            raise Wrong(
                f"for {what} your x_t contains NaN or infinity: take square roots of alpha_bar "
                "and 1 - alpha_bar (both positive), and divide by nothing."
            )
        got = numbers(raw, f"my_q_sample(x0, alpha_bar, noise) for {what}")
        if got.shape != shape:
            if got.ndim > len(shape):
                raise Wrong(
                    f"for {what} your x_t has shape {got.shape}, not x0's {shape}: alpha_bar "
                    f"lined up with the wrong axes and broadcasting made the array bigger. "
                    f"{_RESHAPE}"
                )
            raise Wrong(f"for {what} x_t should have x0's shape {shape}, got {got.shape}.")
        right = np.asarray(diffusion.q_sample(x0, alpha_bar, noise), dtype=np.float64)
        if np.allclose(got, right, rtol=1e-4, atol=1e-5):
            continue
        ab = _per_example(alpha_bar, x0)
        for value, message in _marginal_variants(x0, ab, noise):
            if np.allclose(got, value, rtol=1e-4, atol=1e-5):
                raise Wrong(message)
        for one, which in [
            (alpha_bar[0], "the first"),
            (alpha_bar[-1], "the last"),
            (alpha_bar.mean(), "the mean"),
        ]:
            if np.allclose(got, diffusion.q_sample(x0, one, noise), rtol=1e-4, atol=1e-5):
                raise Wrong(
                    f"you used one alpha_bar for the whole batch ({which}, {one:.3f}): each "
                    f"example has its own noise level. {_RESHAPE}"
                )
        axes = tuple(range(1, len(shape)))
        good = np.all(np.isclose(got, right, rtol=1e-4, atol=1e-5), axis=axes)
        if good.any():
            raise Wrong(
                f"for {what} examples {np.flatnonzero(good).tolist()} are right and examples "
                f"{np.flatnonzero(~good).tolist()} are not: example i uses alpha_bar[i]. "
                f"{_RESHAPE}"
            )
        raise Wrong(
            f"for {what} your x_t differs from sqrt(alpha_bar) * x0 + sqrt(1 - alpha_bar) * "
            f"noise (first example, alpha_bar = {values[0]}: first value {got.flat[0]:.4f}, "
            f"expected {right.flat[0]:.4f}). Use the x0 and noise given, draw no noise of your "
            "own."
        )


# ----------------------------------------------------------------------------------------------
# Exercise 2: one deterministic DDIM step
# ----------------------------------------------------------------------------------------------

# (what, shape, alpha_bar_t, alpha_bar_prev): the last case is the sampler's final step, to data
_DDIM_CASES = [
    ("images (3, 28, 28, 1)", (3, 28, 28, 1), 0.3, 0.6),
    ("points (6, 2)", (6, 2), 0.05, 0.2),
    ("points (6, 2)", (6, 2), 0.9, 0.99),
    ("points (6, 2) at the last step", (6, 2), 0.5, 1.0),
]


def check_ddim_step(fn: Callable, name: str = "Exercise 2") -> bool:
    """``fn(x_t, predicted_noise, alpha_bar_t, alpha_bar_prev)``: DDIM's update with eta = 0.

    ``x0_hat = (x_t - sqrt(1 - ab_t) eps) / sqrt(ab_t)``, then
    ``x_prev = sqrt(ab_prev) x0_hat + sqrt(1 - ab_prev) eps``. Compared with the package's own
    step, ``diffusion._ddim_step`` with ``eta=0`` (what ``ddim_sample`` runs), on images and
    points for three pairs of noise levels and for the final step (ab_prev = 1, back to data);
    the alpha bars are Python floats. Rejects dividing by ab_t instead of its square root,
    one alpha bar in both halves (x_t comes back unchanged), the two swapped, ab_t in one
    coefficient of x_prev, the sign of either noise term, x0_hat returned as it is, DDPM's
    posterior mean and any step that draws its own noise.
    """
    return verdict(name, _ddim_problems, fn)


def _ddim_variants(x, eps, ab_t, ab_prev):
    """The usual wrong steps, each with what a learner should hear."""
    x, eps = x.astype(np.float64), eps.astype(np.float64)

    def x0_from(level, sign=1.0, root=True):
        return (x - sign * np.sqrt(1 - level) * eps) / (np.sqrt(level) if root else level)

    x0 = x0_from(ab_t)
    alpha = ab_t / ab_prev  # the step's own alpha, 1 - beta
    return [
        (
            np.sqrt(ab_prev) * x0_from(ab_t, root=False) + np.sqrt(1 - ab_prev) * eps,
            "you divided by alpha_bar_t: x0_hat divides by its square root, sqrt(alpha_bar_t) "
            "(x_t = sqrt(ab_t) x0 + sqrt(1 - ab_t) eps, solved for x0).",
        ),
        (
            x,  # also what ab_prev in both halves gives
            "your step returns x_t unchanged: you used the same alpha_bar to take the noise "
            "out and to put it back. x0_hat uses alpha_bar_t, the level x_t is at: (x_t - "
            "sqrt(1 - ab_t) eps) / sqrt(ab_t); x_prev re-noises it to the previous level: "
            "sqrt(ab_prev) x0_hat + sqrt(1 - ab_prev) eps.",
        ),
        (
            np.sqrt(ab_t) * x0_from(ab_prev) + np.sqrt(1 - ab_t) * eps,
            "alpha_bar_t and alpha_bar_prev are swapped: x0_hat uses alpha_bar_t (the level "
            "x_t is at), x_prev uses alpha_bar_prev (the level you step to).",
        ),
        (
            np.sqrt(ab_prev) * x0 + np.sqrt(1 - ab_t) * eps,
            "your noise term uses alpha_bar_t: x_prev = sqrt(ab_prev) x0_hat + "
            "sqrt(1 - ab_prev) eps, both coefficients with alpha_bar_prev.",
        ),
        (
            np.sqrt(ab_t) * x0 + np.sqrt(1 - ab_prev) * eps,
            "you scaled x0_hat by sqrt(alpha_bar_t): x_prev = sqrt(ab_prev) x0_hat + "
            "sqrt(1 - ab_prev) eps, both coefficients with alpha_bar_prev.",
        ),
        (
            x0,
            "you returned x0_hat, the predicted clean data: DDIM then re-noises it to the "
            "previous level, sqrt(alpha_bar_prev) * x0_hat + sqrt(1 - alpha_bar_prev) * eps "
            "(only the very last step, with alpha_bar_prev = 1, gives x0_hat itself).",
        ),
        (
            np.sqrt(ab_prev) * x0 - np.sqrt(1 - ab_prev) * eps,
            "check the sign of the noise term of x_prev: + sqrt(1 - alpha_bar_prev) * eps "
            "(the same noise direction x_t had, only less of it).",
        ),
        (
            np.sqrt(ab_prev) * x0_from(ab_t, sign=-1.0) + np.sqrt(1 - ab_prev) * eps,
            "check the sign in x0_hat: the noise is taken away, x0_hat = (x_t - sqrt(1 - ab_t) "
            "eps) / sqrt(ab_t).",
        ),
        (
            (np.sqrt(ab_prev) * (1 - alpha) * x0 + np.sqrt(alpha) * (1 - ab_prev) * x) / (1 - ab_t),
            "that is DDPM's posterior mean (the step of ddpm_sample, before its noise): DDIM "
            "with eta = 0 reuses the predicted noise instead, sqrt(alpha_bar_prev) * x0_hat + "
            "sqrt(1 - alpha_bar_prev) * eps.",
        ),
    ]


def _ddim_problems(fn):
    from .. import diffusion  # imported here: TensorFlow loads only when a check runs

    for seed, (what, shape, ab_t, ab_prev) in enumerate(_DDIM_CASES):
        x, eps = _data(10 + seed, shape)
        args = f"alpha_bar_t = {ab_t}, alpha_bar_prev = {ab_prev}"
        raw = call(fn, x.copy(), eps.copy(), ab_t, ab_prev)
        if not all_finite(raw):
            raise Wrong(
                f"for {what} with {args} your x_prev contains NaN or infinity: the step "
                "divides only by sqrt(alpha_bar_t), in x0_hat (at the last step "
                "alpha_bar_prev = 1, so 1 - alpha_bar_prev = 0: nothing may divide by it)."
            )
        got = numbers(raw, f"my_ddim_step(...) for {what}", shape=shape)
        again = numbers(call(fn, x.copy(), eps.copy(), ab_t, ab_prev), "my_ddim_step(...)")
        if not np.allclose(got, again, rtol=1e-6, atol=1e-7):
            raise Wrong(
                "your step is random: two calls with the same inputs gave different x_prev. "
                "DDIM with eta = 0 adds no fresh noise (that is DDPM's sampler); it reuses the "
                "predicted noise eps."
            )
        right = diffusion._ddim_step(
            x.astype(np.float64), eps.astype(np.float64), ab_t, ab_prev, eta=0.0, rng=None
        )
        if np.allclose(got, right, rtol=1e-4, atol=1e-5):
            continue
        for value, message in _ddim_variants(x, eps, ab_t, ab_prev):
            if np.allclose(got, value, rtol=1e-4, atol=1e-5):
                raise Wrong(f"for {args}, {message}")
        raise Wrong(
            f"for {what} with {args} your x_prev differs from sqrt(ab_prev) * x0_hat + "
            f"sqrt(1 - ab_prev) * eps, x0_hat = (x_t - sqrt(1 - ab_t) * eps) / sqrt(ab_t) "
            f"(first value {got.flat[0]:.4f}, expected {right.flat[0]:.4f})."
        )


# ----------------------------------------------------------------------------------------------
# Exercise 3: classifier-free guidance
# ----------------------------------------------------------------------------------------------

_SCALES = (3.0, 0.0, 1.0, 0.5, 7.5)


def check_guidance(fn: Callable, name: str = "Exercise 3") -> bool:
    """``fn(cond, uncond, scale)``: classifier-free guidance, ``uncond + scale * (cond - uncond)``.

    The course's convention (``diffusion.guided``): scale 0 is the unconditional model, scale
    1 the conditional one, above 1 guidance. Called on points and images for scales 3, 0, 1,
    0.5 and 7.5, compared with that formula. Rejects the direction turned round, Ho and
    Salimans' ``(1 + w) cond - w uncond`` with w = scale, scale * cond, the difference alone,
    the average of the two, and any answer that ignores scale.
    """
    return verdict(name, _guidance_problems, fn)


def _guidance_variants(cond, uncond, scale):
    """The usual wrong guided predictions at one scale, each with what a learner should hear."""
    return [
        (
            cond + scale * (uncond - cond),
            "the direction is turned round: start from the unconditional prediction and move "
            "scale times towards the conditional one, uncond + scale * (cond - uncond) (at "
            "scale 0 that is uncond, at scale 1 cond).",
        ),
        (
            (1 + scale) * cond - scale * uncond,
            f"that is Ho and Salimans' formula (1 + w) * cond - w * uncond with w = scale, "
            f"{1 + scale:g} * cond - {scale:g} * uncond. In this course scale = 1 means the "
            f"plain conditional model, so w = scale - 1: uncond + scale * (cond - uncond), "
            f"{scale:g} * cond - {scale - 1:g} * uncond.",
        ),
        (
            scale * cond,
            "scale * cond only stretches the conditional prediction: guidance moves from uncond "
            "towards cond and beyond, uncond + scale * (cond - uncond).",
        ),
        (
            scale * (cond - uncond),
            "you forgot to start from uncond: uncond + scale * (cond - uncond).",
        ),
        (
            uncond + scale * cond,
            "scale multiplies the difference cond - uncond, the direction the label adds: "
            "uncond + scale * (cond - uncond).",
        ),
    ]


def _guidance_problems(fn):
    for seed, (what, shape) in enumerate(
        [("points (5, 2)", (5, 2)), ("images (2, 8, 8, 1)", (2, 8, 8, 1))]
    ):
        cond, uncond = _data(20 + seed, shape)
        c, u = cond.astype(np.float64), uncond.astype(np.float64)
        got = {
            scale: numbers(
                call(fn, cond.copy(), uncond.copy(), scale),
                f"my_guided(cond, uncond, {scale}) for {what}",
                shape=shape,
            )
            for scale in _SCALES
        }
        right = {scale: u + scale * (c - u) for scale in _SCALES}
        if all(np.allclose(got[s], right[s], rtol=1e-4, atol=1e-5) for s in _SCALES):
            continue
        if all(np.allclose(got[s], got[0.0], rtol=1e-6, atol=1e-7) for s in _SCALES):
            if np.allclose(got[0.0], (c + u) / 2, rtol=1e-4, atol=1e-5):
                raise Wrong(
                    "you averaged cond and uncond, whatever the scale: the scale sets how far "
                    "to go from uncond towards cond, uncond + scale * (cond - uncond)."
                )
            raise Wrong(
                "your result does not change with scale: use it, uncond + scale * (cond - "
                "uncond) (scale 0 gives uncond, scale 1 cond, scale 3 goes past cond)."
            )
        for scale in _SCALES:
            if np.allclose(got[scale], right[scale], rtol=1e-4, atol=1e-5):
                continue
            for value, message in _guidance_variants(c, u, scale):
                if np.allclose(got[scale], value, rtol=1e-4, atol=1e-5):
                    raise Wrong(f"at scale {scale}: {message}")
            expected = {0.0: "uncond itself", 1.0: "cond itself"}.get(scale, "")
            raise Wrong(
                f"at scale {scale} your result for {what} differs from uncond + scale * "
                f"(cond - uncond){', ' + expected if expected else ''} (first value "
                f"{got[scale].flat[0]:.4f}, expected {right[scale].flat[0]:.4f})."
            )


__all__ = ["check_ddim_step", "check_forward_marginal", "check_guidance"]
