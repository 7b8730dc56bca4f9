"""Image conventions shared by every lesson: ranges, checks and damage measures.

Conventions used across the course:

* float images live in ``[0, 1]`` (sigmoid outputs, ``load_image``) or ``[-1, 1]``
  (tanh outputs of the GAN generators); uint8 images live in ``[0, 255]``;
* shapes are ``(H, W)``, ``(H, W, C)`` or batches ``(N, H, W, C)``.

Converters between the ranges live here and nowhere else. Taught in ``01_noise_images.ipynb``.
"""

from __future__ import annotations

import numpy as np

RANGES = ("unit", "symmetric", "uint8")


def check_image(image: np.ndarray, name: str = "image", min_rank: int = 2) -> np.ndarray:
    """Return ``image`` as an array after checking rank, dtype and value range.

    Float images must lie in ``[0, 1]`` (a little slack for rounding); uint8 images are
    accepted as they are. Anything else raises an error that says how to fix it.

    Args:
        image: array of shape (H, W), (H, W, C) or (N, H, W, C).
        name: what to call the argument in error messages.
        min_rank: the smallest rank accepted (2 for a single image).
    """
    if hasattr(image, "numpy"):
        image = image.numpy()
    image = np.asarray(image)
    if image.ndim < min_rank or image.ndim > 4:
        raise ValueError(
            f"{name} must have shape (H, W), (H, W, C) or (N, H, W, C); got shape {image.shape}."
        )
    if image.dtype == np.uint8:
        return image
    if not np.issubdtype(image.dtype, np.floating):
        raise TypeError(
            f"{name} must be float in [0, 1] or uint8 in [0, 255]; got dtype {image.dtype}. "
            "Convert with image.astype(np.float32) / 255 for 8-bit data."
        )
    if image.size and not np.all(np.isfinite(image)):
        raise ValueError(f"{name} contains NaN or infinite values.")
    lo, hi = (float(image.min()), float(image.max())) if image.size else (0.0, 1.0)
    if lo < -1e-6 or hi > 1 + 1e-6:
        hint = (
            "it looks like [-1, 1] (tanh output): call to_unit_range(image, 'symmetric')"
            if lo >= -1 - 1e-6 and hi <= 1 + 1e-6
            else "it looks like [0, 255] stored as float: divide by 255"
            if lo >= 0 and hi <= 255
            else "rescale it first"
        )
        raise ValueError(f"expected {name} in [0, 1]; got values in [{lo:.3g}, {hi:.3g}]: {hint}.")
    return image


def to_unit_range(image, source: str = "symmetric") -> np.ndarray:
    """Convert an image to float32 in ``[0, 1]``.

    Args:
        image: array or tensor.
        source: its current range: ``"symmetric"`` for ``[-1, 1]`` (tanh),
            ``"uint8"`` for ``[0, 255]``, ``"unit"`` if already in ``[0, 1]``.

    Returns:
        float32 array in [0, 1], same shape.
    """
    if source not in RANGES:
        raise ValueError(f"source must be one of {RANGES}, got {source!r}.")
    x = np.asarray(image.numpy() if hasattr(image, "numpy") else image, dtype=np.float32)
    if source == "symmetric":
        x = (x + 1.0) / 2.0
    elif source == "uint8":
        x = x / 255.0
    return np.clip(x, 0.0, 1.0)


def to_symmetric_range(image) -> np.ndarray:
    """Convert a ``[0, 1]`` float (or uint8) image to float32 in ``[-1, 1]`` for tanh models."""
    x = check_image(image)
    if x.dtype == np.uint8:
        x = x.astype(np.float32) / 255.0
    return x.astype(np.float32) * 2.0 - 1.0


def guess_range(image) -> str:
    """Name an image's range: ``"uint8"``, ``"unit"`` ([0, 1]) or ``"symmetric"`` ([-1, 1])."""
    x = np.asarray(image.numpy() if hasattr(image, "numpy") else image)
    if x.dtype == np.uint8:
        return "uint8"
    lo = float(x.min()) if x.size else 0.0
    hi = float(x.max()) if x.size else 1.0
    if lo >= -1e-6 and hi <= 1 + 1e-6:
        return "unit"
    if lo >= -1 - 1e-6 and hi <= 1 + 1e-6:
        return "symmetric"
    if lo >= 0 and hi <= 255:
        return "uint8"
    raise ValueError(
        f"cannot tell the range of an image with values in [{lo:.3g}, {hi:.3g}]; "
        "rescale it to [0, 1] or [-1, 1] first."
    )


def _peak_and_pair(reference, distorted) -> tuple[np.ndarray, np.ndarray, float]:
    ref = check_image(reference, "reference")
    dis = check_image(distorted, "distorted")
    if ref.shape != dis.shape:
        raise ValueError(f"images differ in shape: {ref.shape} vs {dis.shape}.")
    if ref.dtype != dis.dtype:
        raise TypeError(
            f"images differ in dtype ({ref.dtype} vs {dis.dtype}); convert one so both are "
            "float in [0, 1] or both uint8."
        )
    peak = 255.0 if ref.dtype == np.uint8 else 1.0
    return ref.astype(np.float64), dis.astype(np.float64), peak


def psnr(reference, distorted) -> float:
    """Peak signal-to-noise ratio in decibels: ``10 log10(peak^2 / MSE)``.

    The peak is 1 for float images in [0, 1] and 255 for uint8. Identical images give
    ``inf``. Higher is better; around 20 dB noise is plainly visible, above 40 dB hardly.

    Args:
        reference: the clean image, float in [0, 1] or uint8.
        distorted: the damaged image, same shape and dtype.
    """
    ref, dis, peak = _peak_and_pair(reference, distorted)
    mse = float(np.mean((ref - dis) ** 2))
    if mse == 0.0:
        return float("inf")
    return float(10.0 * np.log10(peak**2 / mse))


def ssim(reference, distorted) -> float:
    """Structural similarity (Wang et al. 2004), 1 for identical images, lower when damaged.

    Uses scikit-image's implementation with its default 7x7 window; colour images are
    averaged over channels.

    Args:
        reference: a single image (H, W) or (H, W, C), float in [0, 1] or uint8.
        distorted: same shape and dtype.
    """
    from skimage.metrics import structural_similarity

    ref, dis, peak = _peak_and_pair(reference, distorted)
    if ref.ndim == 4:
        raise ValueError("ssim compares single images; loop over the batch for (N, H, W, C).")
    channel_axis = -1 if ref.ndim == 3 else None
    if channel_axis is not None and ref.shape[-1] == 1:
        ref, dis, channel_axis = ref[..., 0], dis[..., 0], None
    return float(structural_similarity(ref, dis, data_range=peak, channel_axis=channel_axis))
