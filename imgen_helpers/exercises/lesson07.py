"""Checks for the exercises of ``07_fast_style_transfer``: mirror padding, upsampling, AdaIN."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import tensorflow as tf

from .grading import Wrong, call, numbers, verdict

# Loose enough for layers computing in bfloat16 under the lesson's automatic precision policy,
# tight enough that each wrong answer below stays far outside it.
_CLOSE = {"rtol": 2e-2, "atol": 3e-2}


def _image(height: int, width: int, channels: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).random((height, width, channels)).astype(np.float32)


def check_reflect_pad(fn: Callable, name: str = "Exercise 1") -> bool:
    """``fn(image, kernel_size)``: mirror-pad an (H, W, C) image so a 'valid' k x k conv keeps H, W.

    Called on a (10, 12, 2) image with kernel sizes 9 and 3, and compared with
    ``tf.pad(..., mode="REFLECT")`` by ``kernel_size // 2`` pixels. Rejects a wrong amount of
    padding, padding the channel axis, padding one side only, zeros, a repeated edge pixel
    (NumPy's "symmetric" mode) and a repeated border ("edge" mode).
    """
    return verdict(name, _reflect_pad_problems, fn)


def _reflect_pad_problems(fn):
    image = _image(10, 12, 2, seed=0)
    for kernel_size in (9, 3):  # 9 first: with 1 pixel, "symmetric" and "edge" agree
        p = kernel_size // 2
        what = f"my_reflect_pad(image, {kernel_size})"
        got = numbers(call(fn, image.copy(), kernel_size), what)
        if got.ndim != 3:
            raise Wrong(
                f"{what} should be an (H, W, C) image like its input, got shape {got.shape}."
            )
        if got.shape[2] != 2:
            raise Wrong(
                f"{what} has {got.shape[2]} channels instead of 2: pad height and width only, "
                "((p, p), (p, p), (0, 0))."
            )
        if got.shape[:2] != (10 + 2 * p, 12 + 2 * p):
            if got.shape[:2] == (10 + p, 12 + p):
                raise Wrong(f"{what}: you pad one side only; pad {p} pixels at both ends.")
            raise Wrong(
                f"for a {kernel_size}x{kernel_size} kernel a (10, 12) image must grow to "
                f"({10 + 2 * p}, {12 + 2 * p}), got {got.shape[:2]}: a 'valid' convolution removes "
                f"kernel_size - 1 pixels, so pad kernel_size // 2 = {p} on each side."
            )
        right = np.pad(image, ((p, p), (p, p), (0, 0)), mode="reflect")
        if np.allclose(got, right, atol=1e-6):
            continue
        if not np.allclose(got[p:-p, p:-p], image, atol=1e-6):
            raise Wrong(f"{what}: the middle of the padded image must be the image itself.")
        if np.allclose(got, np.pad(image, ((p, p), (p, p), (0, 0))), atol=1e-6):
            raise Wrong("your border is zeros: mirror the image instead (mode 'reflect').")
        if np.allclose(got, np.pad(image, ((p, p), (p, p), (0, 0)), mode="symmetric"), atol=1e-6):
            raise Wrong(
                "you repeat the edge pixel (NumPy's 'symmetric' mode): reflection mirrors around "
                "the edge pixel, so the first padded row is row 1, not row 0 again."
            )
        if np.allclose(got, np.pad(image, ((p, p), (p, p), (0, 0)), mode="edge"), atol=1e-6):
            raise Wrong("you repeat the border pixel outwards ('edge'): mirror the image instead.")
        raise Wrong(
            f"{what}: the border is not the mirror image of the inside: row -1 should be row 1, "
            "row -2 row 2, and so on (np.pad(..., mode='reflect') or tf.pad(..., mode='REFLECT'))."
        )


def check_upsample_conv(fn: Callable, name: str = "Exercise 2") -> bool:
    """``fn(x, kernel)``: nearest 2x upsampling, mirror pad 1, then a 'valid' 3x3 convolution.

    Called with ``x`` of shape (2, 4, 5, 3) (two different images) and ``kernel`` (3, 3, 3, 4),
    compared with the same three steps in TensorFlow. Rejects convolving before upsampling,
    zero ('SAME') padding, bilinear upsampling, tiling the image instead of repeating pixels,
    and the wrong output shape.
    """
    return verdict(name, _upsample_conv_problems, fn)


def _upsample(x, method="nearest"):
    x = np.asarray(x)
    if method == "nearest":  # each pixel into a 2x2 block
        return np.repeat(np.repeat(x, 2, axis=1), 2, axis=2)
    return tf.image.resize(x, (2 * x.shape[1], 2 * x.shape[2]), method=method).numpy()


def _pad(x, mode="REFLECT"):
    return tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], mode=mode)


def _conv(x, kernel, padding="VALID"):
    return tf.nn.conv2d(x, kernel, strides=1, padding=padding).numpy()


def _upsample_conv_problems(fn):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 4, 5, 3)).astype(np.float32)
    kernel = rng.normal(size=(3, 3, 3, 4)).astype(np.float32)
    got = numbers(call(fn, tf.constant(x), tf.constant(kernel)), "my_upsample_conv(x, kernel)")
    if got.shape != (2, 8, 10, 4):
        raise Wrong(
            f"for x of shape (2, 4, 5, 3) and 4 filters the result should have shape "
            f"(2, 8, 10, 4) (twice the height and width, one channel per filter), got {got.shape}."
        )
    right = _conv(_pad(_upsample(x)), kernel)
    if np.allclose(got, right, **_CLOSE):
        return
    if np.allclose(got, _conv(_upsample(x), kernel, padding="SAME"), **_CLOSE) or np.allclose(
        got, _conv(_pad(_upsample(x), mode="CONSTANT"), kernel), **_CLOSE
    ):
        raise Wrong(
            "your borders are wrong: you pad with zeros ('SAME' or a constant); mirror-pad by 1 "
            "with tf.pad(..., mode='REFLECT') and convolve with padding='VALID'."
        )
    if np.allclose(got, _upsample(_conv(_pad(x), kernel)), **_CLOSE):
        raise Wrong("you convolve first and upsample after: upsample first, then pad and convolve.")
    if np.allclose(got, _conv(_pad(_upsample(x, "bilinear")), kernel), **_CLOSE):
        raise Wrong("that is bilinear upsampling: the block repeats each pixel (nearest).")
    tiled = np.tile(x, (1, 2, 2, 1))  # the whole image twice across and down
    if np.allclose(got, _conv(_pad(tiled), kernel), **_CLOSE):
        raise Wrong(
            "np.tile repeats the whole image; nearest upsampling repeats each pixel into a "
            "2x2 block (tf.repeat along axes 1 and 2)."
        )
    raise Wrong(
        "your result differs from upsample (nearest, 2x), mirror-pad 1, 3x3 'valid' convolution: "
        "check each step, and that you use the kernel as given (no bias, no activation)."
    )


def check_adain(fn: Callable, name: str = "Exercise 3") -> bool:
    """``fn(content, style, epsilon)``: adaptive instance normalisation of (N, H, W, C) batches.

    Called on two different images per batch, one content channel constant, and compared with
    ``std_s * (c - mean_c) / sqrt(var_c + eps) + mean_s`` (statistics over height and width,
    per image and channel). Rejects statistics over the batch (batch norm) or over the
    channels too (layer norm), a missing epsilon, the variance used as a standard deviation,
    content and style swapped, and a missing scale or shift.
    """
    return verdict(name, _adain_problems, fn)


def _moments(x, axes):
    return x.mean(axis=axes, keepdims=True), x.var(axis=axes, keepdims=True)


def _adain(content, style, eps, axes=(1, 2), root=np.sqrt, scale=True, shift=True):
    mean_c, var_c = _moments(content, axes)
    mean_s, var_s = _moments(style, axes)
    out = (content - mean_c) / root(var_c + eps)
    if scale:
        out = out * root(var_s + eps)
    return out + mean_s if shift else out


def _adain_problems(fn):
    rng = np.random.default_rng(2)
    content = rng.normal(0.5, 0.2, size=(2, 6, 7, 3)).astype(np.float32)
    content[1] *= 0.3  # the second image dim: batch statistics would mix the two
    style = rng.normal(0.2, 0.5, size=(2, 6, 7, 3)).astype(np.float32)
    style[:, :, :, 2] += 1.0  # the channels differ in mean, so layer norm shows
    content[0, :, :, 1] = 0.5  # a flat channel: its variance is 0 (0.5 sums exactly)
    eps = 1e-5
    what = "my_adain(content, style, epsilon)"
    answer = call(fn, tf.constant(content), tf.constant(style), eps)
    try:
        raw = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        raise Wrong(
            f"{what} should be one array of numbers, got {type(answer).__name__}."
        ) from None
    if raw.shape == content.shape and not np.all(np.isfinite(raw)):
        raise Wrong(
            "your result has NaN or infinity where a content channel is flat (variance 0): "
            "divide by sqrt(variance + epsilon), not by the bare standard deviation."
        )
    got = numbers(raw, what, shape=content.shape)
    c64, s64 = content.astype(np.float64), style.astype(np.float64)
    right = _adain(c64, s64, eps)
    if np.allclose(got, right, **_CLOSE):
        return
    others = np.ones(content.shape, bool)
    others[0, :, :, 1] = False  # all but the flat channel
    if np.allclose(got[others], right[others], **_CLOSE):
        raise Wrong(
            "right everywhere except in a flat content channel (variance 0): divide by "
            "sqrt(variance + epsilon), so a flat channel becomes the style's mean."
        )
    mistakes = [
        (
            _adain(s64, c64, eps),
            "content and style are swapped: normalise the content, then "
            "give it the style's mean and standard deviation.",
        ),
        (
            _adain(c64, s64, eps, axes=(0, 1, 2)),
            "you take the statistics over the batch too "
            "(that is batch normalisation): use axes 1 and 2 only, per image and channel.",
        ),
        (
            _adain(c64, s64, eps, axes=(1, 2, 3)),
            "you take the statistics over the channels too "
            "(that is layer normalisation): use axes 1 and 2 only, per image and channel.",
        ),
        (
            _adain(c64, s64, eps, root=lambda v: v),
            "you divide by the variance and multiply by "
            "the style's variance: use standard deviations, sqrt(variance + epsilon).",
        ),
        (
            _adain(c64, s64, eps, scale=False),
            "the style's standard deviation is missing: "
            "multiply the normalised content by it before adding the style's mean.",
        ),
        (_adain(c64, s64, eps, shift=False), "the style's mean is missing: add it at the end."),
    ]
    for wrong, message in mistakes:
        if np.allclose(got, wrong, **_CLOSE):
            raise Wrong(message)
    raise Wrong(
        "your result differs from std_s * (content - mean_c) / sqrt(var_c + epsilon) + mean_s, "
        "with means and variances over height and width (axes 1 and 2) of each image."
    )


__all__ = ["check_adain", "check_reflect_pad", "check_upsample_conv"]
