"""Image conventions shared by every lesson: ranges, checks and damage measures.

Conventions used across the course:

* float images live in ``[0, 1]`` (sigmoid outputs, ``load_image``) or ``[-1, 1]``
  (tanh outputs of the GAN generators); uint8 images live in ``[0, 255]``;
* shapes are ``(H, W)``, ``(H, W, C)`` or batches ``(N, H, W, C)``.

Converters between the ranges live here and nowhere else. Taught in ``01_noise_images.ipynb``.
"""

from __future__ import annotations

import numpy as np

from . import checks

RANGES = ("unit", "symmetric", "uint8")

# The interval each range's values must lie in.
_BOUNDS = {"unit": (0.0, 1.0), "symmetric": (-1.0, 1.0), "uint8": (0.0, 255.0)}
_SLACK = 1e-4  # a sigmoid's 1.0000001 is still [0, 1]
_SSIM_WINDOW = 7  # scikit-image's default window side


def check_image(image: np.ndarray, name: str = "image", min_rank: int = 2) -> np.ndarray:
    """Return ``image`` as an array after checking rank, dtype, finiteness and value range.

    Float images must lie in ``[0, 1]`` (a little slack for rounding); uint8 images are
    accepted as they are. Anything else (a path, ints, NaN, [-1, 1] or [0, 255] floats) raises
    an error that names ``name`` and says how to fix it. The dtype is kept.

    Args:
        image: array or tensor of shape (H, W), (H, W, C) or (N, H, W, C).
        name: what to call the argument in error messages.
        min_rank: the smallest rank accepted (2 for a single image, 4 for batches only).
    """
    checks.instance("name", name, str)
    min_rank = checks.integer("min_rank", min_rank, minimum=2, maximum=4)
    x = checks.as_array(image, name)
    _check_rank(name, x, min_rank)
    if x.dtype != np.uint8 and not np.issubdtype(x.dtype, np.floating):
        raise TypeError(
            f"{name} must be float in [0, 1] or uint8 in [0, 255]; got dtype {x.dtype}. "
            "Convert with image.astype(np.float32) / 255 for 8-bit data."
        )
    # NaN, emptiness and the [0, 1] range, with the package's messages (uint8 passes as is).
    checks.images(name, x, value_range="unit", ranks=(x.ndim,), allow_uint8=True)
    return x


def _check_rank(name: str, x: np.ndarray, min_rank: int = 2) -> None:
    if min_rank <= x.ndim <= 4:
        return
    allowed = ("(H, W)", "(H, W, C)", "(N, H, W, C)")[min_rank - 2 :]
    if x.ndim < 2:
        hint = "a single number or a flat vector is not an image: reshape it to (H, W)"
    elif x.ndim < min_rank:
        hint = "a single image needs a batch axis, e.g. image[None]"
    else:
        hint = "drop the extra axes (e.g. x[0] or np.squeeze(x))"
    raise ValueError(f"{name} must have shape {' or '.join(allowed)}; got shape {x.shape}: {hint}.")


def to_unit_range(image, source: str = "symmetric", *, name: str = "image") -> np.ndarray:
    """Convert an image to float32 in ``[0, 1]``.

    The data must fit ``source``: uint8 data needs ``source="uint8"``, and values outside the
    stated range are refused (not clipped), because either would give a silently wrong picture.
    Float values in ``[0, 1]`` fit ``"symmetric"`` too (a tanh output with no negative value),
    so a ``[0, 1]`` image passed with the default ``source`` is not caught: say ``"unit"``.

    Args:
        image: array or tensor of any shape.
        source: its current range: ``"symmetric"`` for ``[-1, 1]`` (tanh),
            ``"uint8"`` for ``[0, 255]`` (uint8, or floats holding grey levels),
            ``"unit"`` if already in ``[0, 1]``.
        name: what to call the image in error messages.

    Returns:
        float32 array in [0, 1], same shape.
    """
    checks.one_of("source", source, RANGES)
    return _to_unit(image, source, name, "source")


def _to_unit(image, source: str, name: str, source_name: str) -> np.ndarray:
    """:func:`to_unit_range`, with the range argument called ``source_name`` in messages."""
    x = checks.as_array(image, name)
    if x.dtype == np.uint8 and source != "uint8":
        raise ValueError(
            f"{name} is uint8 (grey levels 0..255), which does not fit {source_name}={source!r} "
            f"({_interval(source)}): pass {source_name}='uint8'."
        )
    was_float = np.issubdtype(x.dtype, np.floating)
    x = checks.array(name, x, dtype=np.float32)  # finite, non-empty
    lo, hi = float(x.min()), float(x.max())
    low, high = _BOUNDS[source]
    if lo < low - _SLACK or hi > high + _SLACK:
        raise ValueError(
            f"{name} has values in [{lo:.3g}, {hi:.3g}], outside {source_name}={source!r} "
            f"({_interval(source)}): {_range_advice(lo, hi, source_name)}."
        )
    if source == "uint8" and was_float and 0 < hi <= 1 + _SLACK:
        raise ValueError(
            f"{name} is float with values in [{lo:.3g}, {hi:.3g}], already [0, 1] rather than "
            f"grey levels 0..255: pass {source_name}='unit'."
        )
    if source == "symmetric":
        x = (x + 1.0) / 2.0
    elif source == "uint8":
        x = x / 255.0
    return np.clip(x, 0.0, 1.0)  # only float rounding is clipped: the range was checked above


def _interval(source: str) -> str:
    low, high = _BOUNDS[source]
    return f"[{low:g}, {high:g}]"


def _range_advice(lo: float, hi: float, source_name: str) -> str:
    """Which range the values look like, as advice on what to pass instead."""
    try:
        found = guess_range(np.array([lo, hi], np.float32))
    except ValueError:
        found = None
    if found is not None:
        return f"they look like {_interval(found)}: pass {source_name}={found!r}"
    return (
        "clip values that are a little off with np.clip (noise added with clip=False goes "
        "outside the range), or rescale the data first"
    )


def to_symmetric_range(image) -> np.ndarray:
    """Convert a ``[0, 1]`` float (or uint8) image to float32 in ``[-1, 1]`` for tanh models.

    Args:
        image: (H, W), (H, W, C) or (N, H, W, C); float in [0, 1] or uint8 in [0, 255].

    Returns:
        float32 array in [-1, 1], same shape.
    """
    x = check_image(image)
    if x.dtype == np.uint8:
        x = x.astype(np.float32) / 255.0
    return x.astype(np.float32) * 2.0 - 1.0


def guess_range(image, *, name: str = "image") -> str:
    """Name an image's range: ``"uint8"``, ``"unit"`` ([0, 1]) or ``"symmetric"`` ([-1, 1]).

    uint8 data is ``"uint8"``; float data is ``"unit"`` if it fits [0, 1], else ``"symmetric"``
    if it fits [-1, 1], else ``"uint8"`` if it fits [0, 255] with a brightest value above 2.
    Floats a little above 1 (noise added without clipping) are refused rather than taken for
    a nearly black 8-bit image. A ``[-1, 1]`` image with no negative value reads as ``"unit"``:
    say the range when you know it.

    Args:
        image: array or tensor, any shape, finite.
        name: what to call the image in error messages.
    """
    x = checks.as_array(image, name)
    if x.dtype == np.uint8:
        checks.array(name, x, dtype=None)  # non-empty
        return "uint8"
    x = checks.array(name, x)  # finite, non-empty, float32
    lo, hi = float(x.min()), float(x.max())
    if lo >= -_SLACK and hi <= 1 + _SLACK:
        return "unit"
    if lo >= -1 - _SLACK and hi <= 1 + _SLACK:
        return "symmetric"
    if lo >= 0 and 2 < hi <= 255 + _SLACK:
        return "uint8"
    hint = (
        "a little outside [0, 1] or [-1, 1]: clip it with np.clip (noise added with clip=False "
        "goes outside the range)"
        if lo >= -2 and hi <= 2
        else "rescale it to [0, 1] or [-1, 1] first"
    )
    raise ValueError(
        f"cannot tell the range of {name}: its values lie in [{lo:.3g}, {hi:.3g}], {hint}."
    )


def _peak_and_pair(reference, distorted) -> tuple[np.ndarray, np.ndarray, float]:
    ref = check_image(reference, "reference")
    dis = check_image(distorted, "distorted")
    if ref.shape != dis.shape:
        raise ValueError(
            f"reference and distorted differ in shape: {ref.shape} vs {dis.shape}; compare an "
            "image with a damaged copy of itself."
        )
    if (ref.dtype == np.uint8) != (dis.dtype == np.uint8):
        raise TypeError(
            f"reference and distorted differ in dtype ({ref.dtype} vs {dis.dtype}), so their "
            "peaks (1 or 255) differ: convert one so both are float in [0, 1] or both uint8."
        )
    peak = 255.0 if ref.dtype == np.uint8 else 1.0
    return ref.astype(np.float64), dis.astype(np.float64), peak


def psnr(reference, distorted) -> float:
    """Peak signal-to-noise ratio in decibels: ``10 log10(peak^2 / MSE)``.

    The peak is 1 for float images in [0, 1] and 255 for uint8. Identical images give
    ``inf``. Higher is better; around 20 dB noise is plainly visible, above 40 dB hardly.

    Args:
        reference: the clean image (H, W), (H, W, C) or (N, H, W, C), float in [0, 1] or uint8.
        distorted: the damaged image, same shape and dtype kind (float or uint8).
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
        reference: a single image (H, W) or (H, W, C), at least 7x7, float in [0, 1] or uint8.
        distorted: same shape and dtype kind (float or uint8).
    """
    from skimage.metrics import structural_similarity

    ref, dis, peak = _peak_and_pair(reference, distorted)
    if ref.ndim == 4:
        raise ValueError(
            f"reference must be a single image (H, W) or (H, W, C); got a batch {ref.shape}: "
            "ssim compares single images, so loop over the batch (or pass reference[0])."
        )
    if min(ref.shape[:2]) < _SSIM_WINDOW:
        raise ValueError(
            f"reference must be at least {_SSIM_WINDOW}x{_SSIM_WINDOW} pixels for ssim's "
            f"{_SSIM_WINDOW}x{_SSIM_WINDOW} window; got shape {ref.shape}."
        )
    channel_axis = -1 if ref.ndim == 3 else None
    if channel_axis is not None and ref.shape[-1] == 1:
        ref, dis, channel_axis = ref[..., 0], dis[..., 0], None
    return float(structural_similarity(ref, dis, data_range=peak, channel_axis=channel_axis))


def sharpness(images) -> np.ndarray:
    """How sharp each image is: the variance of its Laplacian (a standard focus measure).

    The discrete Laplacian ``4 x[i, j] - x[i-1, j] - x[i+1, j] - x[i, j-1] - x[i, j+1]`` is
    large where intensity changes abruptly (crisp edges) and small where it changes smoothly
    (blur), so blurring an image lowers its variance. Computed on interior pixels, per channel,
    averaged over channels; compare images in the same range.

    Args:
        images: (N, H, W) or (N, H, W, C), float, any range; H and W at least 3.

    Returns:
        float64 (N,): one figure per image, >= 0.
    """
    x = checks.array("images", images, ranks=(3, 4), dtype=np.float64)
    if x.ndim == 3:
        x = x[..., None]
    if min(x.shape[1:3]) < 3:
        raise ValueError(f"images must be at least 3x3 to have an interior; got {x.shape[1:3]}.")
    centre = x[:, 1:-1, 1:-1]
    laplacian = 4 * centre - x[:, :-2, 1:-1] - x[:, 2:, 1:-1] - x[:, 1:-1, :-2] - x[:, 1:-1, 2:]
    return laplacian.var(axis=(1, 2)).mean(axis=-1)
