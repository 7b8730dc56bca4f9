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

from . import checks
from .images import to_symmetric_range
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
    "weights/cgan_mnist_small.weights.h5": (
        "abaffdeb36f1ef1de45072be81d730c7b5e393e1302e102997133548793372e0"
    ),
    "weights/cyclegan_wave_painting_to_photo.weights.h5": (
        "8476e355fa21bf5f2ba288f2a01ec097e93e518bedd62b9354e4a2df02e9e35b"
    ),
    "weights/cyclegan_wave_photo_to_painting.weights.h5": (
        "14bc2c7fa0297eef1fa85bd0731e0930a46209c285df93da8045e50275c36b39"
    ),
    "weights/dcgan_mnist_small.weights.h5": (
        "357c6ba57bb6b3560db3ed59d02b63e41bc4833f02077b3967ffc30993dda981"
    ),
    "weights/diffusion_mnist.float16.h5": (
        "12f77754b97f6a92d067a7218c756684503c0548afe93ad4833091aaebe44454"
    ),
    "weights/pix2pix_superres_l1_adversarial.weights.h5": (
        "21547f35bf771f06d18a798a187e776962c1d9cc4f2133f68a82ee67c7440d13"
    ),
    "weights/pix2pix_superres_l1_alone.weights.h5": (
        "b1ee21344d17a01733a6e198850035a56b69edaea9753e44b6bb1241efc5a215"
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


SPLITS = ("train", "test", "all")
SOURCES = ("auto", "online", "offline")


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
        f"or imgen_helpers/_data in an installed package. {_reinstall_hint()} "
        "Or set IMGEN_DATA_DIR to a folder holding the data."
    )


def _reinstall_hint() -> str:
    """How to get the package back with its data: it is installed from the repository only."""
    from . import REPOSITORY_URL, __version__

    return (
        "The package is not on PyPI: reinstall it from the repository with "
        f'`pip install --force-reinstall --no-deps "git+{REPOSITORY_URL}@v{__version__}"` '
        f"(the lessons' set-up line), or work in a checkout (`git clone {REPOSITORY_URL}`, "
        'then `pip install -e ".[dev]"` in it).'
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
    checks.one_of("relative", relative, sorted(SHIPPED))
    checks.boolean("verify", verify)
    path = data_dir() / relative
    restore = f"In a checkout restore it with `git checkout -- data/`. {_reinstall_hint()}"
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
    checks.boolean("verify", verify)
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
    checks.one_of("split", split, SPLITS)
    checks.one_of("source", source, SOURCES)
    checks.boolean("verbose", verbose)
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
    checks.path("path_or_name", path_or_name)
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
            f"path_or_name: no image file at {path}, and {key!r} is not a known name. Known names: "
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
    if max_size is not None:
        max_size = checks.positive_int("max_size", max_size)
    checks.boolean("verbose", verbose)
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


# ----------------------------------------------------------------------------------------------
# Training pipelines: MNIST as tf.data, binarisation, procedural shapes
# ----------------------------------------------------------------------------------------------

PIXELS = ("symmetric", "unit", "dynamic", "static")
"""How :func:`mnist_dataset` delivers pixels: [-1, 1] (GANs), [0, 1] grey, or binarised {0, 1}."""


def binarize(images, mode: str = "static", seed: int | None = 0) -> np.ndarray:
    """Binarise digits once, in NumPy (for the Bernoulli VAE of ``05_vae.ipynb``).

    Args:
        images: uint8 (N, 28, 28[, 1]) in [0, 255] or float in [0, 1].
        mode: ``"static"``: pixel > 0.5; ``"dynamic"``: 1 with probability = intensity
            (one fixed draw, seeded); ``"none"``: keep grey levels.
        seed: seed of the dynamic draw.

    Returns:
        float32 (N, 28, 28, 1) with values in {0, 1} (or [0, 1] for ``"none"``).
    """
    checks.one_of("mode", mode, ("static", "dynamic", "none"))
    if seed is not None:
        seed = checks.integer("seed", seed, minimum=0)
    x = checks.images("images", images, ranks=(3, 4), allow_uint8=True)  # (N, H, W[, 1])
    if x.ndim == 4 and x.shape[-1] != 1:
        raise ValueError(f"images must be grey, shape (N, H, W) or (N, H, W, 1); got {x.shape}.")
    x = x.astype(np.float32) / 255.0 if x.dtype == np.uint8 else x
    if x.ndim == 3:
        x = x[..., None]
    if mode == "static":
        return (x > 0.5).astype(np.float32)
    if mode == "dynamic":
        return (np.random.default_rng(seed).random(x.shape) < x).astype(np.float32)
    return x


def mnist_dataset(
    split: Literal["train", "test", "all"] = "train",
    batch_size: int = 128,
    *,
    pixels: Literal["symmetric", "unit", "dynamic", "static"] = "symmetric",
    labels: bool = False,
    shuffle: bool | None = None,
    drop_remainder: bool = False,
    seed: int = 0,
    source: Literal["auto", "online", "offline"] = "auto",
    limit: int | None = None,
    verbose: bool = True,
):
    """MNIST as a batched, prefetched ``tf.data.Dataset``, for every model of the course.

    The digits are converted once, in memory. ``pixels`` says how:

    * ``"symmetric"``: float32 in [-1, 1], for the GANs (their generators end in tanh);
    * ``"unit"``: grey levels in [0, 1] (the Gaussian VAE);
    * ``"dynamic"``: binarised, each pixel 1 with probability equal to its intensity, redrawn
      every epoch (data augmentation for the Bernoulli VAE); the ``"test"`` split is binarised
      once with ``seed`` so its ELBO is a fixed target;
    * ``"static"``: thresholded at 0.5, as in the TensorFlow CVAE tutorial.

    One pass over the dataset is one epoch; Keras' ``fit()`` opens a new pass every epoch and
    tf.data reshuffles it. For a run that may be interrupted and resumed exactly, use
    :func:`mnist_epochs` instead.

    Args:
        split: ``"train"``, ``"test"`` or ``"all"`` (see :func:`load_mnist`: offline, 8,000 /
            2,000 / 10,000 shipped digits).
        batch_size: images per batch.
        pixels: see above.
        labels: yield ``(images, labels int32)`` pairs (conditional models).
        shuffle: reshuffle every epoch (seeded); default True except for ``"test"``.
        drop_remainder: drop the last partial batch, so a training step is traced for one
            batch shape only (the GANs do).
        seed: seed of shuffling and binarisation.
        source: passed to :func:`load_mnist`.
        limit: keep only the first ``limit`` digits (quick runs).
        verbose: print which MNIST was used.

    Returns:
        Dataset of float32 (batch, 28, 28, 1) [+ int32 (batch,)]. Taught in ``03_dcgan.ipynb``
        and ``05_vae.ipynb``.
    """
    import tensorflow as tf

    x, digits, shuffle, resample = _mnist_arrays(
        split, batch_size, pixels, labels, shuffle, drop_remainder, seed, source, limit, verbose
    )
    data = tf.data.Dataset.from_tensor_slices((x, digits) if labels else x)
    if shuffle:
        data = data.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    data = data.batch(batch_size, drop_remainder=drop_remainder)
    if resample:
        # One stateless seed per batch from a seeded stream that changes every epoch.
        seeds = tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=True).batch(2)
        data = tf.data.Dataset.zip((data, seeds)).map(
            _binarize_batch, num_parallel_calls=tf.data.AUTOTUNE
        )
    return data.prefetch(tf.data.AUTOTUNE)


def mnist_epochs(
    split: Literal["train", "test", "all"] = "train",
    batch_size: int = 128,
    *,
    start_epoch: int = 0,
    steps_per_epoch: int | None = None,
    pixels: Literal["symmetric", "unit", "dynamic", "static"] = "symmetric",
    labels: bool = False,
    shuffle: bool | None = None,
    drop_remainder: bool = False,
    seed: int = 0,
    source: Literal["auto", "online", "offline"] = "auto",
    limit: int | None = None,
    verbose: bool = True,
):
    """MNIST as an endless stream of batches that a resumed run picks up exactly.

    The stream is pass after pass over the digits; the batches of pass ``p`` depend only on
    ``seed`` and ``p`` (its shuffle order and, for ``pixels="dynamic"``, its binarisation), not
    on how long this process has run. Keras' ``fit`` reads it through one iterator, in epochs
    of ``steps_per_epoch`` batches. So a run killed after epoch 5 and resumed with
    ``start_epoch=5`` trains on exactly the batches the uninterrupted run would have::

        epoch = callbacks.resume(model, folder)
        data, steps = mnist_epochs("train", 128, start_epoch=epoch, drop_remainder=True)
        model.fit(data, epochs=20, initial_epoch=epoch, steps_per_epoch=steps)

    Arguments as in :func:`mnist_dataset`, plus:

    Args:
        start_epoch: epochs already done (0 for a new run): the stream starts after
            ``start_epoch * steps_per_epoch`` batches.
        steps_per_epoch: batches per Keras epoch; default one pass over the digits. Shorter
            epochs mean more frequent checkpoints and sample grids.

    Returns:
        ``(dataset, steps_per_epoch)``: the endless dataset of float32 (batch, 28, 28, 1)
        [+ int32 labels], and the number to pass to ``fit(steps_per_epoch=...)``. Taught in
        ``03_dcgan.ipynb``.
    """
    import tensorflow as tf

    start_epoch = checks.integer("start_epoch", start_epoch, minimum=0)
    if steps_per_epoch is not None:
        steps_per_epoch = checks.positive_int("steps_per_epoch", steps_per_epoch)
    x, digits, shuffle, resample = _mnist_arrays(
        split, batch_size, pixels, labels, shuffle, drop_remainder, seed, source, limit, verbose
    )
    per_pass = len(x) // batch_size if drop_remainder else -(-len(x) // batch_size)
    steps_per_epoch = steps_per_epoch or per_pass
    first_pass, offset = divmod(start_epoch * steps_per_epoch, per_pass)
    pixels_t, digits_t = tf.constant(x), tf.constant(digits)

    def one_pass(number):  # number: int64 scalar tensor
        order = tf.range(len(x), dtype=tf.int64)
        if shuffle:  # the order is a function of (seed, pass number) only
            order = tf.random.experimental.stateless_shuffle(order, tf.stack([seed, number]))
        batches = tf.data.Dataset.from_tensor_slices(order).batch(batch_size, drop_remainder)
        return batches.enumerate().map(lambda step, rows: take(rows, step, number))

    def take(rows, step, number):
        images = tf.gather(pixels_t, rows)  # (batch, 28, 28, 1)
        if resample:  # this batch's binarisation: a function of (seed, pass, step) only
            key = tf.stack([seed, number * 1_000_003 + step])  # no two (pass, step) share it
            noise = tf.random.stateless_uniform(tf.shape(images), key)
            images = tf.cast(noise < images, tf.float32)
        return (images, tf.gather(digits_t, rows)) if labels else images

    passes = tf.data.Dataset.range(first_pass, np.iinfo(np.int64).max)
    stream = passes.flat_map(one_pass).skip(offset)
    return stream.prefetch(tf.data.AUTOTUNE), steps_per_epoch


def _mnist_arrays(
    split, batch_size, pixels, labels, shuffle, drop_remainder, seed, source, limit, verbose
):
    """Check :func:`mnist_dataset`'s arguments, load the digits, convert them once."""
    if not isinstance(split, str):
        raise TypeError(
            f"split must be 'train', 'test' or 'all'; got {split!r} "
            "(the split comes first: mnist_dataset('train', 128))."
        )
    checks.one_of("split", split, SPLITS)
    batch_size = checks.positive_int("batch_size", batch_size)
    checks.one_of("pixels", pixels, PIXELS)
    checks.boolean("labels", labels)
    if shuffle is not None:
        checks.boolean("shuffle", shuffle)
    checks.boolean("drop_remainder", drop_remainder)
    seed = checks.integer("seed", seed, minimum=0)
    if limit is not None:
        limit = checks.positive_int("limit", limit)
    images, digits = load_mnist(split, source=source, verbose=verbose)
    if limit is not None:
        images, digits = images[:limit], digits[:limit]
    if drop_remainder and batch_size > len(images):
        raise ValueError(
            f"batch_size {batch_size} is larger than the {len(images)} digits available, so "
            "drop_remainder=True would leave no batch: use a smaller batch_size."
        )
    resample = pixels == "dynamic" and split != "test"
    if pixels == "symmetric":
        x = to_symmetric_range(images)[..., None]  # (N, 28, 28, 1) float32 in [-1, 1]
    else:
        x = binarize(images, "none" if resample or pixels == "unit" else pixels, seed=seed)
    shuffle = split != "test" if shuffle is None else shuffle
    return x, digits.astype(np.int32), shuffle, resample


def _binarize_batch(batch, seed):
    import tensorflow as tf

    images = batch[0] if isinstance(batch, tuple) else batch
    noise = tf.random.stateless_uniform(tf.shape(images), seed=seed)
    binary = tf.cast(noise < images, tf.float32)
    return (binary, batch[1]) if isinstance(batch, tuple) else binary


def dataset_arrays(dataset, max_images: int | None = None):
    """Collect a finite dataset into NumPy arrays: images, or (images, labels)."""
    import tensorflow as tf

    checks.instance("dataset", dataset, tf.data.Dataset, "a tf.data.Dataset")
    if dataset.cardinality() == tf.data.INFINITE_CARDINALITY and max_images is None:
        raise ValueError("dataset never ends: pass max_images, or .take(n) batches of it.")
    if max_images is not None:
        max_images = checks.positive_int("max_images", max_images)
    parts = []
    count = 0
    for batch in dataset:
        parts.append(batch)
        count += int((batch[0] if isinstance(batch, tuple) else batch).shape[0])
        if max_images is not None and count >= max_images:
            break
    if not parts:
        raise ValueError("the dataset is empty: nothing to collect.")
    if isinstance(parts[0], tuple):
        return tuple(np.concatenate([p[i] for p in parts])[:max_images] for i in range(2))
    return np.concatenate(parts)[:max_images]


PAIR_TASKS = ("edges", "superres")


def digit_edges(digits: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """The outline of each digit: ink pixels with at least one blank 4-neighbour.

    Args:
        digits: float (N, H, W) or (N, H, W, 1) in [0, 1].
        threshold: a pixel is ink when above it.

    Returns:
        float32 of the same shape, 1 on the outline and 0 elsewhere.
    """
    digits = checks.images("digits", digits, value_range="unit", ranks=(3, 4))
    threshold = checks.number("threshold", threshold, above=0.0, below=1.0)
    ink = digits > threshold
    padded = np.pad(ink, [(0, 0), (1, 1), (1, 1)] + [(0, 0)] * (ink.ndim - 3))
    inside = ink.copy()
    for dy, dx in ((-1, 0), (1, 0), (0, -1), (0, 1)):  # eroded: every 4-neighbour is ink too
        inside &= padded[:, 1 + dy : padded.shape[1] - 1 + dy, 1 + dx : padded.shape[2] - 1 + dx]
    return (ink & ~inside).astype(np.float32)


def digit_pairs(
    task: str = "edges",
    split: str = "train",
    source: str = "offline",
    limit: int | None = None,
    seed: int = 0,
    verbose: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Paired digits for image-to-image translation, built offline from MNIST: (inputs, targets).

    * ``"edges"``: the input is the digit's outline (:func:`digit_edges`), the target the
      digit: "compose an image from its edges";
    * ``"superres"``: the input is the digit averaged down to 7x7 and blown back up to 28x28
      (pixel blocks), the target the digit: 4x super-resolution.

    The pairs are shuffled together with ``seed`` (the same seed gives the same pairs in the
    same order); input n is always made from target n.

    Args:
        task: ``"edges"`` or ``"superres"``.
        split, source: which MNIST digits (see :func:`load_mnist`).
        limit: keep the first ``limit`` pairs after shuffling (None: all).
        seed: seeds the order.
        verbose: say which digits are used.

    Returns:
        ``(inputs, targets)``, float32 (N, 28, 28, 1) each, in [-1, 1], for
        :class:`imgen_helpers.pix2pix.Pix2Pix`.
    """
    task = checks.one_of("task", task, PAIR_TASKS)
    seed = checks.integer("seed", seed, minimum=0)
    if limit is not None:
        limit = checks.positive_int("limit", limit)
    images, _ = load_mnist(split, source=source, verbose=checks.boolean("verbose", verbose))
    order = np.random.default_rng(seed).permutation(len(images))[:limit]
    targets = images[order, :, :, None].astype(np.float32) / 255.0  # (N, 28, 28, 1) in [0, 1]
    if task == "edges":
        inputs = digit_edges(targets)
    else:  # 4x4 block means, each repeated over its block
        n, h, w, c = targets.shape
        small = targets.reshape(n, h // 4, 4, w // 4, 4, c).mean(axis=(2, 4))  # (N, 7, 7, 1)
        inputs = np.repeat(np.repeat(small, 4, axis=1), 4, axis=2)
    return inputs * 2 - 1, targets * 2 - 1


SHAPES = ("circle", "square", "triangle")


def make_shapes(num: int, seed: int | np.random.Generator | None = 0, size: int = 28) -> np.ndarray:
    """Procedural images of one coloured circle, square or triangle on black.

    Shape, colour (a bright random RGB), centre and size are random; everything is drawn
    from ``seed``, so the same seed gives the same images.

    Args:
        num: number of images.
        seed: int seed or a NumPy ``Generator``.
        size: height and width in pixels (>= 8).

    Returns:
        float32 (num, size, size, 3) in [-1, 1] (background -1). Taught in ``02_first_gan.ipynb``.
    """
    num = checks.positive_int("num", num)
    size = checks.integer("size", size, minimum=8)
    if not isinstance(seed, np.random.Generator) and seed is not None:
        seed = checks.integer("seed", seed, minimum=0)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    kind = rng.integers(0, len(SHAPES), num)
    radius = rng.uniform(0.18, 0.32, num) * size
    cx = rng.uniform(radius + 1, size - radius - 1)
    cy = rng.uniform(radius + 1, size - radius - 1)
    colour = rng.uniform(0.0, 1.0, (num, 3))
    colour[np.arange(num), rng.integers(0, 3, num)] = 1.0  # one full channel: never too dark
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) + 0.5
    dx, dy = xx[None] - cx[:, None, None], yy[None] - cy[:, None, None]  # (num, size, size)
    r = radius[:, None, None]
    circle = dx**2 + dy**2 <= r**2
    square = (np.abs(dx) <= 0.8 * r) & (np.abs(dy) <= 0.8 * r)
    triangle = (dy <= 0.8 * r) & (np.abs(dx) <= (dy + r) * 0.6)  # apex up, base at dy = 0.8 r
    k = kind[:, None, None]
    mask = np.where(k == 0, circle, np.where(k == 1, square, triangle))
    images = mask[..., None] * colour[:, None, None, :]  # (num, size, size, 3) in [0, 1]
    return (images * 2.0 - 1.0).astype(np.float32)


def shapes_dataset(batch_size: int = 64, seed: int = 0, size: int = 28):
    """An unlimited, seeded stream of :func:`make_shapes` batches, float32 (batch, size, size, 3).

    Each iteration over the dataset restarts the same sequence, so two runs see the same
    images. Use ``steps_per_epoch`` in ``fit()`` (the stream never ends) or ``.take(n)``.
    Taught in ``02_first_gan.ipynb``.
    """
    import tensorflow as tf

    batch_size = checks.positive_int("batch_size", batch_size)
    seed = checks.integer("seed", seed, minimum=0)
    size = checks.integer("size", size, minimum=8)

    def batches():
        rng = np.random.default_rng(seed)
        while True:
            yield make_shapes(batch_size, rng, size)

    spec = tf.TensorSpec((batch_size, size, size, 3), tf.float32)
    data = tf.data.Dataset.from_generator(batches, output_signature=spec)
    # Declared infinite, so that `.take(n)` has a known length and fit() needs steps_per_epoch.
    return data.apply(tf.data.experimental.assert_cardinality(tf.data.INFINITE_CARDINALITY))
