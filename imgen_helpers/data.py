"""Datasets and images for the course, online when possible and offline always.

* :func:`load_mnist` tries the real 60,000-digit MNIST through ``keras.datasets`` and
  falls back, saying so, to the 10,000-digit MNIST test set shipped in ``data/mnist``.
* :func:`load_image` reads a path, a shipped painting by name, or a scikit-image sample
  photograph by name, and returns float32 RGB in [0, 1].

Every shipped file is checked against the sha256 listed in :data:`SHIPPED`. The package
never writes into ``data/``. Taught in ``00_start_here.ipynb`` and ``01_noise_images.ipynb``.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import socket
from importlib import resources
from pathlib import Path
from typing import Literal

import numpy as np

from .runtime import is_offline

DATA_ENV = "IMGEN_DATA_DIR"
"""Optional override: a folder laid out like the repository's ``data/``."""

SHIPPED: dict[str, str] = {
    "mnist/t10k-images-idx3-ubyte.gz": (
        "9fe7630f90c0e670227960a294637bc2e78a29d724810e24204eb342c9f033a1"
    ),
    "mnist/t10k-labels-idx1-ubyte.gz": (
        "2c54c993d38068b3c3adb720a5cdee07065a066a7b36e7d1df720548d6359eba"
    ),
    "style/the_scream.jpg": "4822d089f5d4a8d972f634e4c0c565e06a1497e1c808ed2f2d2a71b5e8e07d79",
    "style/the_shipwreck_of_the_minotaur.jpg": (
        "96d40174f7ce57357f058d0d4c30710b774b57cfccdef2b46a17208a8a0297ac"
    ),
    "style/udnie.jpg": "69b157290e32bc4fdd0859b83a36bda3ecc79c483bba9a28a7d5389a92d8eb4c",
    "style/wave.jpg": "237c6114c29291f9ac5f4253b1588ebcc3b29cb926cd6e25cf6f34fbc7591c43",
    "weights/dcgan_mnist_small.weights.h5": (
        "357c6ba57bb6b3560db3ed59d02b63e41bc4833f02077b3967ffc30993dda981"
    ),
    "weights/mnist_classifier.weights.h5": (
        "377e64bd41bed317e29989882790863af8e2eb6369e50bd480d80c81c89b405e"
    ),
}
"""Relative path under ``data/`` -> sha256 of every file the course ships."""

PAINTINGS = {
    "wave": "style/wave.jpg",
    "the_scream": "style/the_scream.jpg",
    "udnie": "style/udnie.jpg",
    "the_shipwreck_of_the_minotaur": "style/the_shipwreck_of_the_minotaur.jpg",
}
"""Shipped public-domain paintings by name (provenance in data/README.md)."""

SKIMAGE_SAMPLES = (
    "astronaut",
    "coffee",
    "chelsea",
    "rocket",
    "camera",
    "brick",
    "grass",
    "gravel",
)
"""scikit-image sample images readable offline by name."""

MNIST_COUNTS = (980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009)
"""Label counts of the 10,000-digit MNIST test set, digits 0 to 9."""

OFFLINE_TEST_SIZE = 2000
"""Shipped digits held out as the offline test split (a fixed seeded permutation)."""

_MNIST_HOST = ("storage.googleapis.com", 443)


class DataIntegrityError(RuntimeError):
    """A shipped data file is missing, truncated or corrupted."""


def data_dir() -> Path:
    """The folder holding the shipped data.

    Looked for, in order: ``$IMGEN_DATA_DIR``; the ``data/`` folder of a checkout next to
    the package; the copy inside an installed wheel (``imgen_helpers/_data``).
    """
    override = os.environ.get(DATA_ENV)
    if override:
        path = Path(override).expanduser()
        if not path.is_dir():
            raise FileNotFoundError(f"{DATA_ENV}={override} is not a folder.")
        return path
    checkout = Path(__file__).resolve().parent.parent / "data"
    if (checkout / "README.md").is_file() and (checkout / "mnist").is_dir():
        return checkout
    try:
        packaged = Path(str(resources.files("imgen_helpers") / "_data"))
    except (ModuleNotFoundError, TypeError):  # pragma: no cover - exotic importers
        packaged = Path(__file__).resolve().parent / "_data"
    if packaged.is_dir():
        return packaged
    raise FileNotFoundError(
        "cannot find the course data: expected data/ next to imgen_helpers/ in a checkout, "
        "or imgen_helpers/_data in an installed package. Reinstall with "
        "`pip install imgen-helpers` (or from the repository), or set IMGEN_DATA_DIR."
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def shipped_path(relative: str, verify: bool = True) -> Path:
    """Absolute path of a shipped file, checked against its sha256.

    Args:
        relative: path under ``data/``, a key of :data:`SHIPPED` (e.g. ``"style/wave.jpg"``).
        verify: check the sha256 (default). Raises :class:`DataIntegrityError` on mismatch.
    """
    if relative not in SHIPPED:
        raise KeyError(f"{relative!r} is not a shipped file; shipped files: {sorted(SHIPPED)}.")
    path = data_dir() / relative
    restore = (
        "Restore it with `git checkout -- data/` in a checkout, or reinstall the package "
        "(`pip install --force-reinstall imgen-helpers`)."
    )
    if not path.is_file():
        raise DataIntegrityError(f"shipped file {relative} is missing at {path}. {restore}")
    if verify:
        actual = _sha256(path)
        if actual != SHIPPED[relative]:
            raise DataIntegrityError(
                f"shipped file {path} is corrupted or truncated: sha256 {actual[:16]}... "
                f"does not match the expected {SHIPPED[relative][:16]}... "
                f"({path.stat().st_size} bytes). {restore}"
            )
    return path


def _read_idx(path: Path) -> np.ndarray:
    try:
        with gzip.open(path, "rb") as handle:
            raw = handle.read()
    except (OSError, EOFError) as error:
        raise DataIntegrityError(f"cannot decompress {path}: {error}") from error
    magic = int.from_bytes(raw[:4], "big")
    ndim = magic & 0xFF
    dims = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(dims)):
        raise DataIntegrityError(f"{path} holds {data.size} values, expected shape {dims}.")
    return data.reshape(dims)


def load_shipped_mnist(verify: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """All 10,000 shipped MNIST test digits: uint8 (10000, 28, 28) in [0, 255], labels (10000,)."""
    images = _read_idx(shipped_path("mnist/t10k-images-idx3-ubyte.gz", verify))
    labels = _read_idx(shipped_path("mnist/t10k-labels-idx1-ubyte.gz", verify))
    return images, labels


def _online_possible(timeout: float = 3.0) -> bool:
    try:
        with socket.create_connection(_MNIST_HOST, timeout=timeout):
            return True
    except OSError:
        return False


def _keras_mnist_cached() -> bool:
    keras_home = Path(os.environ.get("KERAS_HOME", Path.home() / ".keras"))
    return (keras_home / "datasets" / "mnist.npz").is_file()


def load_mnist(
    split: Literal["train", "test", "all"] = "train",
    source: Literal["auto", "online", "offline"] = "auto",
    verbose: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """MNIST digits as uint8 images (N, 28, 28) in [0, 255] and int labels (N,).

    Online (``keras.datasets.mnist.load_data()``): ``"train"`` gives the 60,000 training
    digits, ``"test"`` the 10,000 test digits, ``"all"`` both (70,000).

    Offline (no network, ``IMGEN_OFFLINE=1`` or ``source="offline"``): the 10,000 shipped
    test digits, split by a fixed seeded permutation into 8,000 ``"train"`` and 2,000
    ``"test"`` digits; ``"all"`` gives all 10,000 in their original order.

    Args:
        split: which digits to return.
        source: ``"auto"`` tries online then falls back; ``"online"`` fails without a
            network; ``"offline"`` never touches the network.
        verbose: print which data set was used.

    Returns:
        ``(images, labels)``.
    """
    if split not in ("train", "test", "all"):
        raise ValueError(f"split must be 'train', 'test' or 'all', got {split!r}.")
    if source not in ("auto", "online", "offline"):
        raise ValueError(f"source must be 'auto', 'online' or 'offline', got {source!r}.")
    reason = "source='offline'" if source == "offline" else None
    if source == "auto" and is_offline():
        reason = "IMGEN_OFFLINE=1"
    if reason is None:
        if source == "online" or _keras_mnist_cached() or _online_possible():
            try:
                return _load_keras_mnist(split, verbose)
            except Exception as error:  # keras raises a bare Exception on URL failures
                if source == "online":
                    raise
                reason = f"download failed: {type(error).__name__}"
        else:
            reason = "no network"
    images, labels = load_shipped_mnist()
    if split != "all":
        order = np.random.default_rng(0).permutation(len(labels))
        chosen = order[OFFLINE_TEST_SIZE:] if split == "train" else order[:OFFLINE_TEST_SIZE]
        chosen = np.sort(chosen)
        images, labels = images[chosen], labels[chosen]
    if verbose:
        print(
            f"MNIST: using the {len(labels):,} shipped offline digits (split={split!r}, "
            f"from the 10,000-digit test set) because {reason}."
        )
    return images, labels


def _load_keras_mnist(split: str, verbose: bool) -> tuple[np.ndarray, np.ndarray]:
    import keras

    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    if split == "train":
        images, labels = x_train, y_train
    elif split == "test":
        images, labels = x_test, y_test
    else:
        images, labels = np.concatenate([x_train, x_test]), np.concatenate([y_train, y_test])
    if verbose:
        print(
            f"MNIST: using the full keras.datasets MNIST, {len(labels):,} digits (split={split!r})."
        )
    return images, labels


def _resize_long_side(image: np.ndarray, max_size: int) -> np.ndarray:
    from PIL import Image

    height, width = image.shape[:2]
    scale = max_size / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    pil = Image.fromarray(image)
    return np.asarray(pil.resize(size, Image.Resampling.LANCZOS))


def _read_named_or_path(path_or_name: str | os.PathLike) -> tuple[np.ndarray, str]:
    key = str(path_or_name)
    if key in PAINTINGS:
        path = shipped_path(PAINTINGS[key])
        return _read_file(path), f"painting '{key}'"
    if key in SKIMAGE_SAMPLES:
        import skimage.data

        return np.asarray(getattr(skimage.data, key)()), f"scikit-image sample '{key}'"
    path = Path(path_or_name).expanduser()
    if not path.exists():
        raise FileNotFoundError(
            f"no image file at {path}, and {key!r} is not a known name. Known names: "
            f"paintings {sorted(PAINTINGS)}, scikit-image samples {list(SKIMAGE_SAMPLES)}."
        )
    return _read_file(path), str(path)


def _read_file(path: Path) -> np.ndarray:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as pil:
            pil.load()
            if pil.mode in ("RGB", "RGBA", "L", "LA"):
                return np.asarray(pil)
            if pil.mode in ("I;16", "I", "F"):
                array = np.asarray(pil, dtype=np.float64)
                peak = 65535.0 if pil.mode.startswith("I") else max(float(array.max()), 1.0)
                return (np.clip(array / peak, 0, 1) * 255).astype(np.uint8)
            return np.asarray(pil.convert("RGBA" if "A" in pil.getbands() else "RGB"))
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise ValueError(
            f"cannot read {path} as an image ({type(error).__name__}: {error}). "
            "Give a PNG or JPEG file, a shipped painting name, or a scikit-image sample name."
        ) from error


def load_image(
    path_or_name: str | os.PathLike, max_size: int | None = 512, verbose: bool = True
) -> np.ndarray:
    """Read an image as float32 RGB in [0, 1], shape (H, W, 3).

    Args:
        path_or_name: a file path; a shipped painting (``"wave"``, ``"the_scream"``,
            ``"udnie"``, ``"the_shipwreck_of_the_minotaur"``); or a scikit-image sample
            (``"astronaut"``, ``"coffee"``, ``"chelsea"``, ``"brick"``, ...).
        max_size: shrink so the long side is at most this many pixels (aspect kept);
            None keeps the original size. Images are never enlarged.
        verbose: print a note when the image is converted or resized.

    Returns:
        float32 array (H, W, 3) in [0, 1].
    """
    if max_size is not None and (
        isinstance(max_size, bool) or int(max_size) != max_size or max_size < 1
    ):
        raise ValueError(f"max_size must be a positive integer or None, got {max_size!r}.")
    array, label = _read_named_or_path(path_or_name)
    notes: list[str] = []
    if array.dtype != np.uint8:
        array = (
            (np.clip(array, 0, 1) * 255).round().astype(np.uint8)
            if array.max() <= 1
            else (np.clip(array, 0, 255).astype(np.uint8))
        )
    if array.ndim == 2:
        array = np.stack([array] * 3, axis=-1)
        notes.append("grayscale -> RGB (channel repeated)")
    elif array.ndim == 3 and array.shape[-1] == 2:
        array = np.stack([array[..., 0]] * 3, axis=-1)
        notes.append("grayscale+alpha -> RGB (alpha dropped)")
    elif array.ndim == 3 and array.shape[-1] == 4:
        alpha = array[..., 3:4].astype(np.float32) / 255.0
        # Composite over white so transparent areas do not turn black.
        array = (array[..., :3] * alpha + 255.0 * (1 - alpha)).round().astype(np.uint8)
        notes.append("RGBA -> RGB (composited over white)")
    if array.ndim != 3 or array.shape[-1] != 3:
        raise ValueError(f"{label}: unsupported image shape {array.shape}; expected (H, W[, C]).")
    if max_size is not None and max(array.shape[:2]) > max_size:
        before = array.shape[:2]
        array = _resize_long_side(array, int(max_size))
        notes.append(f"resized {before[1]}x{before[0]} -> {array.shape[1]}x{array.shape[0]}")
    if verbose and notes:
        print(f"load_image({label}): " + "; ".join(notes) + ".")
    return array.astype(np.float32) / 255.0
