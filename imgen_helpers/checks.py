"""Argument checks at the door: one place for every error a learner's input can cause.

Every public function of the package checks what it is given before doing any work, with
these helpers, so that a wrong input (a string from a widget, a uint8 image, an image without
its batch axis, a negative budget, NaN) stops with a message that names the argument, says what
was expected and how to fix it, instead of a TensorFlow traceback, a dead kernel or, worst, a
silent wrong result.

Each helper takes the argument's ``name`` first and returns the value in the form the caller
works with (``int``, ``float``, a NumPy array), so a check reads as one line::

    steps = checks.positive_int("steps", steps)
    images = checks.images("images", images, value_range="symmetric", ranks=(4,))

Errors: ``TypeError`` for the wrong kind of thing, ``ValueError`` for the right kind with a wrong
value (the convention of Python's own functions).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

# Slack for values computed in float arithmetic (a sigmoid's 1.0000001).
_SLACK = 1e-4

RANGES = {"unit": (0.0, 1.0), "symmetric": (-1.0, 1.0)}


def _show(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _kind(value) -> str:
    if isinstance(value, np.ndarray | np.generic):
        return f"a NumPy {value.dtype} {'array' if isinstance(value, np.ndarray) else 'scalar'}"
    return f"{type(value).__name__} {_show(value)}"


def _from_string_hint(value) -> str:
    return (
        " (a widget or input() gives text: convert it with int() or float())"
        if isinstance(value, str)
        else ""
    )


def integer(name: str, value, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """``value`` as an ``int`` in ``[minimum, maximum]``; floats like ``3.0`` are accepted."""
    if isinstance(value, bool) or value is None:
        raise TypeError(f"{name} must be an integer; got {_show(value)}.")
    if isinstance(value, float | np.floating) and float(value).is_integer():
        value = int(value)
    if not isinstance(value, int | np.integer):
        raise TypeError(f"{name} must be an integer; got {_kind(value)}{_from_string_hint(value)}.")
    value = int(value)
    _within(name, value, minimum, maximum)
    return value


def positive_int(name: str, value) -> int:
    """A count or size: an integer of at least 1."""
    return integer(name, value, minimum=1)


def number(
    name: str,
    value,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    above: float | None = None,
    below: float | None = None,
) -> float:
    """``value`` as a finite ``float`` in ``[minimum, maximum]`` (``above``/``below``: strict)."""
    if isinstance(value, bool) or value is None:
        raise TypeError(f"{name} must be a number; got {_show(value)}.")
    if hasattr(value, "numpy") and getattr(value, "shape", None) == ():
        value = value.numpy()
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value[()]
    if not isinstance(value, int | float | np.integer | np.floating):
        raise TypeError(f"{name} must be a number; got {_kind(value)}{_from_string_hint(value)}.")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number; got {value}.")
    _within(name, value, minimum, maximum)
    if above is not None and not value > above:
        raise ValueError(f"{name} must be greater than {above}; got {value:g}.")
    if below is not None and not value < below:
        raise ValueError(f"{name} must be less than {below}; got {value:g}.")
    return value


def positive(name: str, value) -> float:
    """A rate, a scale, a time: a finite number greater than 0."""
    return number(name, value, above=0.0)


def non_negative(name: str, value) -> float:
    """A weight or a strength that may be switched off with 0."""
    return number(name, value, minimum=0.0)


def probability(name: str, value) -> float:
    """A number in ``[0, 1]``."""
    return number(name, value, minimum=0.0, maximum=1.0)


def _within(name: str, value, minimum, maximum) -> None:
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be at least {minimum}; got {value:g}.")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be at most {maximum}; got {value:g}.")


def int_tuple(
    name: str, value, length: int, *, minimum: int = 1, layout: str = ""
) -> tuple[int, ...]:
    """``value`` as a tuple of ``length`` integers of at least ``minimum`` (a list is accepted).

    ``layout`` names the parts for the message, e.g. ``"(height, width)"``.
    """
    if isinstance(value, str | bytes) or not isinstance(value, Sequence | np.ndarray):
        raise TypeError(f"{name} must be {length} integers {layout}; got {_kind(value)}.")
    if len(value) != length:
        raise ValueError(f"{name} must be {length} integers {layout}; got {tuple(value)!r}.")
    return tuple(integer(f"{name}[{i}]", v, minimum=minimum) for i, v in enumerate(value))


def seed(name: str, value):
    """A ``seed=`` argument: None, a non-negative int, or a ``keras.random.SeedGenerator``."""
    if value is None or type(value).__name__ == "SeedGenerator":
        return value
    return integer(name, value, minimum=0)


def boolean(name: str, value) -> bool:
    """``True`` or ``False`` (NumPy booleans too); a string such as ``"False"`` is refused."""
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be True or False; got {_kind(value)}.")
    return bool(value)


def one_of(name: str, value, choices: Iterable):
    """``value`` if it is one of ``choices`` (names of losses, splits, ranges ...)."""
    choices = tuple(choices)
    try:
        known = value in choices
    except TypeError:  # unhashable or incomparable
        known = False
    if not known:
        close = ""
        if isinstance(value, str):
            lowered = [c for c in choices if isinstance(c, str) and c.lower() == value.lower()]
            close = f" (did you mean {lowered[0]!r}?)" if lowered else ""
        raise ValueError(
            f"{name} must be one of {', '.join(map(repr, choices))}; got {_show(value)}{close}."
        )
    return value


def instance(name: str, value, kind: type | tuple[type, ...], what: str | None = None):
    """``value`` if it is an instance of ``kind``; ``what`` describes it in the message."""
    if not isinstance(value, kind):
        if what is None:
            kinds = kind if isinstance(kind, tuple) else (kind,)
            what = " or ".join(k.__name__ for k in kinds)
        raise TypeError(f"{name} must be {what}; got {_kind(value)}.")
    return value


def path(name: str, value, *, exists: bool = False, suffix: str | None = None) -> Path:
    """``value`` as a ``Path``; with ``exists``, the file or folder must be there."""
    if not isinstance(value, str | os.PathLike):
        raise TypeError(f"{name} must be a file path (str or Path); got {_kind(value)}.")
    where = Path(value)
    if suffix is not None and not str(where).endswith(suffix):
        raise ValueError(f"{name} must end in {suffix!r}; got {str(where)!r}.")
    if exists and not where.exists():
        raise FileNotFoundError(
            f"{name}: nothing at {str(where)!r}; check the spelling and folder."
        )
    return where


def as_array(value, name: str) -> np.ndarray:
    """``value`` (list, array, tensor) as a NumPy array; a path or a string is refused."""
    if isinstance(value, str | bytes | os.PathLike):
        raise TypeError(
            f"{name} must be an array of numbers, not the text {_show(value)} (for an image "
            "file, load it with load_image(path) first)."
        )
    if value is None:
        raise TypeError(f"{name} must be an array; got None.")
    if hasattr(value, "numpy"):
        value = value.numpy()
    try:
        array = np.asarray(value)
    except (ValueError, TypeError) as error:  # ragged lists
        raise TypeError(
            f"{name} must be an array of numbers; got {_kind(value)} ({error})."
        ) from None
    if array.dtype.name == "bfloat16":  # a mixed_bfloat16 model's output (ml_dtypes)
        array = array.astype(np.float32)
    if array.dtype == object or not (
        np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_
    ):
        raise TypeError(f"{name} must be an array of numbers; got dtype {array.dtype}.")
    return array


def array(
    name: str,
    value,
    *,
    ranks: Sequence[int] | None = None,
    shape: Sequence[int | None] | None = None,
    finite: bool = True,
    dtype=np.float32,
    nonempty: bool = True,
) -> np.ndarray:
    """``value`` as a NumPy array of ``dtype`` with an allowed rank (and ``shape``, ``None`` = any).

    NaN or infinite entries are refused when ``finite`` (they would spread through every later
    computation and come out as a silent NaN result).
    """
    x = as_array(value, name)
    if ranks is not None and x.ndim not in ranks:
        allowed = " or ".join(str(r) for r in ranks)
        raise ValueError(f"{name} must have rank {allowed}; got shape {x.shape}.")
    if shape is not None:
        expected = tuple(shape)
        if x.ndim != len(expected) or any(
            e is not None and e != s for e, s in zip(expected, x.shape, strict=True)
        ):
            want = "(" + ", ".join("any" if e is None else str(e) for e in expected) + ")"
            raise ValueError(f"{name} must have shape {want}; got {x.shape}.")
    if nonempty and x.size == 0:
        raise ValueError(f"{name} is empty (shape {x.shape}).")
    if finite and np.issubdtype(x.dtype, np.floating) and not np.all(np.isfinite(x)):
        bad = int(np.size(x) - np.count_nonzero(np.isfinite(x)))
        raise ValueError(
            f"{name} contains {bad} NaN or infinite values; find where they came from."
        )
    return x.astype(dtype, copy=False) if dtype is not None else x


def _range_hint(lo: float, hi: float, is_uint8: bool, expected: str) -> str:
    if is_uint8 or (lo >= 0 and hi <= 255 and hi > 1 + _SLACK):
        if expected == "symmetric":
            return (
                "it looks like [0, 255] (8-bit grey levels): convert with "
                "to_symmetric_range(x / 255)"
            )
        return "it looks like [0, 255] (8-bit grey levels): divide by 255"
    if expected == "unit" and lo >= -1 - _SLACK and hi <= 1 + _SLACK:
        return "it looks like [-1, 1] (tanh output): convert with to_unit_range(x, 'symmetric')"
    return "rescale it first"


def _layouts(ranks: Sequence[int]) -> str:
    named = {2: "(H, W)", 3: "(H, W, C)", 4: "(N, H, W, C)"}
    return " or ".join(named.get(r, f"rank {r}") for r in ranks)


def images(
    name: str,
    value,
    *,
    value_range: str | None = "unit",
    ranks: Sequence[int] = (4,),
    channels: int | Sequence[int] | None = None,
    size: tuple[int, int] | None = None,
    allow_uint8: bool = False,
) -> np.ndarray:
    """An image or batch of images as float32 (or uint8 when ``allow_uint8``), checked.

    Args:
        name: the argument's name, for messages.
        value: array or tensor.
        value_range: ``"unit"`` ([0, 1]), ``"symmetric"`` ([-1, 1]) or None (any finite values).
        ranks: allowed ranks: 2 (H, W), 3 (H, W, C), 4 (N, H, W, C).
        channels: allowed channel counts (last axis) for ranks 3 and 4.
        size: (H, W) the images must have.
        allow_uint8: let uint8 images through unchanged (functions that handle both).
    """
    x = as_array(value, name)
    if x.ndim not in ranks:
        want = _layouts(ranks)
        hint = ""
        if x.ndim == 3 and 4 in ranks and x.shape[-1] in (1, 3, 4):
            hint = ": a single image needs a batch axis, e.g. image[None]"
        elif x.ndim == 3 and 4 in ranks:
            hint = ": a batch of grey images needs a channel axis, e.g. x[..., None]"
        elif x.ndim == 4 and 3 in ranks:
            hint = ": pass one image, e.g. images[0]"
        raise ValueError(f"{name} must have shape {want}; got shape {x.shape}{hint}.")
    if x.size == 0:
        raise ValueError(f"{name} is empty (shape {x.shape}).")
    if channels is not None and x.ndim >= 3:
        allowed = (channels,) if isinstance(channels, int) else tuple(channels)
        if x.shape[-1] not in allowed:
            raise ValueError(
                f"{name} must have {' or '.join(map(str, allowed))} channel(s) on its last axis; "
                f"got shape {x.shape}."
            )
    if size is not None:
        spatial = x.shape[-3:-1] if x.ndim >= 3 else x.shape
        if tuple(spatial) != tuple(size):
            raise ValueError(f"{name} must be {size[0]}x{size[1]} pixels; got shape {x.shape}.")
    if x.dtype == np.uint8:
        if allow_uint8:
            return x
        if value_range is not None:
            raise ValueError(
                f"{name} must be float in {_interval(value_range)}; "
                f"got uint8 in [0, 255]: {_range_hint(0, 255, True, value_range)}."
            )
    if x.dtype == np.bool_:
        x = x.astype(np.float32)
    x = array(name, x, dtype=np.float32)
    if value_range is not None:
        lo, hi = RANGES[value_range]
        found_lo, found_hi = float(x.min()), float(x.max())
        if found_lo < lo - _SLACK or found_hi > hi + _SLACK:
            raise ValueError(
                f"{name} must be in {_interval(value_range)}; got values in "
                f"[{found_lo:.3g}, {found_hi:.3g}]: "
                f"{_range_hint(found_lo, found_hi, False, value_range)}."
            )
    return x


def _interval(value_range: str) -> str:
    lo, hi = RANGES[value_range]
    return f"[{lo:g}, {hi:g}]"


def _traced(value) -> bool:
    """True for a tensor whose values are not known yet (Keras or ``tf.function`` tracing)."""
    import keras
    import tensorflow as tf

    if isinstance(value, keras.KerasTensor):
        return True
    return not tf.executing_eagerly() and not isinstance(value, np.ndarray | int | float)


def tensor_images(
    name: str,
    value,
    *,
    value_range: str | None = "unit",
    ranks: Sequence[int] = (4,),
    channels: int | Sequence[int] | None = None,
):
    """:func:`images` for helpers that learners call and training loops trace.

    NumPy arrays and lists come back as checked float32 arrays. A TensorFlow tensor or variable
    comes back unchanged (replacing it would cut a ``GradientTape``'s watch): its values are
    checked when running eagerly, and only its static shape while traced, where the values are
    unknown and the check must cost nothing per step.
    """
    import tensorflow as tf

    if _traced(value):
        shape = tuple(value.shape)
        if len(shape) not in ranks:
            raise ValueError(f"{name} must have shape {_layouts(ranks)}; got {shape}.")
        allowed = (channels,) if isinstance(channels, int) else channels
        if allowed is not None and shape[-1] is not None and shape[-1] not in allowed:
            raise ValueError(f"{name} must have {channels} channel(s); got shape {shape}.")
        return value
    if isinstance(value, tf.Tensor | tf.Variable):
        wide = tf.cast(value, tf.float32) if value.dtype in (tf.bfloat16, tf.float16) else value
        images(name, wide, value_range=value_range, ranks=ranks, channels=channels)
        return value
    return images(name, value, value_range=value_range, ranks=ranks, channels=channels)


def tensors(*, same_shape: bool = False, **named) -> None:
    """The named arrays or tensors are finite and broadcast together (or share one shape).

    Values are only looked at, never replaced; while traced nothing is checked (the values are
    unknown: the public entry point checked the data before tracing started).
    """
    if any(_traced(v) for v in named.values()):
        return
    shapes = {name: array(name, value).shape for name, value in named.items()}
    listed = ", ".join(f"{name} has shape {shape}" for name, shape in shapes.items())
    if same_shape:
        first, shape = next(iter(shapes.items()))
        if not shape:
            raise ValueError(f"{first} must be a batch (N, ...) of numbers; got a single number.")
        if len(set(shapes.values())) > 1:
            raise ValueError(f"{' and '.join(shapes)} must have the same shape; {listed}.")
        return
    try:
        np.broadcast_shapes(*shapes.values())
    except ValueError:
        raise ValueError(f"{' and '.join(shapes)} must have matching shapes; {listed}.") from None


def labels(name: str, value, num_classes: int, count: int | None = None) -> np.ndarray:
    """Class labels as int32, each in ``[0, num_classes)``; ``count`` of them if given."""
    x = as_array(value, name)
    if x.ndim == 0:
        x = x[None]
    if x.ndim != 1:
        raise ValueError(f"{name} must be a 1-D list of class numbers; got shape {x.shape}.")
    if np.issubdtype(x.dtype, np.floating):
        if not np.all(np.isfinite(x)) or not np.all(x == np.round(x)):
            raise TypeError(f"{name} must be whole class numbers; got {x[:5]}...")
    elif not np.issubdtype(x.dtype, np.integer):
        raise TypeError(f"{name} must be integers; got dtype {x.dtype}.")
    if x.size and (x.min() < 0 or x.max() >= num_classes):
        raise ValueError(
            f"{name} must lie in 0..{num_classes - 1} ({num_classes} classes); "
            f"got values from {x.min()} to {x.max()}."
        )
    if count is not None and len(x) != count:
        raise ValueError(f"{name} must hold {count} labels, one per sample; got {len(x)}.")
    return x.astype(np.int32)


def latents(name: str, value, latent_dim: int) -> np.ndarray:
    """A batch of latent vectors, float32 (N, latent_dim), finite."""
    x = array(name, value, ranks=(1, 2))
    if x.ndim == 1:
        raise ValueError(
            f"{name} must have shape (N, {latent_dim}); got {x.shape}: a single vector needs a "
            "batch axis, e.g. z[None]."
        )
    if x.shape[1] != latent_dim:
        raise ValueError(
            f"{name} must have shape (N, {latent_dim}) for this model; got {x.shape}: draw them "
            f"with latent_dim={latent_dim}."
        )
    return x


def same_length(**arrays) -> int:
    """The common first-axis length of the named arrays; an error naming them otherwise."""
    lengths = {name: len(a) for name, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        listed = ", ".join(f"{n} has {k}" for n, k in lengths.items())
        raise ValueError(f"{' and '.join(lengths)} must have the same length; {listed}.")
    return next(iter(lengths.values()))


def model_input(name: str, model, shape: Sequence[int | None], what: str) -> None:
    """Check that ``model`` (a Keras model) takes inputs of ``shape`` (batch axis excluded)."""
    import keras

    instance(name, model, keras.Model, "a keras.Model")
    inputs = getattr(model, "inputs", None)
    if not inputs:
        return  # a subclassed model that is not built yet: it will adapt to what it is given
    found = tuple(inputs[0].shape[1:])
    expected = tuple(shape)
    if len(found) != len(expected) or any(
        e is not None and f is not None and e != f for e, f in zip(expected, found, strict=True)
    ):
        raise ValueError(f"{name} takes inputs of shape {found}, but {what} have shape {expected}.")


def training_images(
    name: str, data, *, value_range: str, shape: Sequence[int | None] | None = None
) -> None:
    """Check what ``fit()`` will train on before Keras starts: dtype, shape and value range.

    ``data`` is an array of images (N, H, W, C), an ``(images, labels)`` pair, or a
    ``tf.data.Dataset`` of such batches. ``shape`` is the (H, W, C) the model takes. A dataset
    is checked from its element spec, then from its first batch, unless it reshuffles on every
    pass: looking at a batch would draw one shuffle order and shift every epoch's, so such a
    dataset is checked from its spec only.
    """
    import tensorflow as tf

    if isinstance(data, tf.data.Dataset):
        _dataset_spec(name, data.element_spec, value_range, shape)
        first = first_batch(name, data)
        if first is None:
            return
        batch = first[0] if isinstance(first, tuple) else first
    elif isinstance(data, tuple | list) and len(data) == 2 and not np.isscalar(data[0]):
        batch = data[0]  # (images, labels)
    else:
        batch = data
    x = images(name, batch, value_range=value_range, ranks=(4,))
    if shape is not None and tuple(x.shape[1:]) != tuple(shape):
        raise ValueError(
            f"{name} holds images of shape {tuple(x.shape[1:])}, but the model takes "
            f"{tuple(shape)}: resize the data or build the model for this shape."
        )


def _dataset_spec(name: str, spec, value_range: str, shape) -> None:
    """The static part of :func:`training_images` for a dataset: dtype and batch shape."""
    import tensorflow as tf

    spec = spec[0] if isinstance(spec, tuple) else spec
    if not isinstance(spec, tf.TensorSpec):
        raise TypeError(f"{name} must yield image batches (or (images, labels)); got {spec}.")
    if not spec.dtype.is_floating:
        convert = "/ 127.5 - 1" if value_range == "symmetric" else "/ 255"
        raise ValueError(
            f"{name} yields {spec.dtype.name} batches; the model trains on float images in "
            f"{_interval(value_range)}: convert in the pipeline, e.g. "
            f".map(lambda x: tf.cast(x, 'float32') {convert})."
        )
    found = spec.shape
    if found.rank is not None and found.rank != 4:
        raise ValueError(
            f"{name} must yield batches of shape (batch, H, W, C); its elements have shape "
            f"{tuple(found)}: batch the dataset with .batch(batch_size)."
        )
    if shape is not None and found.rank == 4:
        if len(shape) != 3 or any(
            e is not None and f is not None and e != f
            for e, f in zip(shape, found[1:], strict=True)
        ):
            raise ValueError(
                f"{name} yields images of shape {tuple(found[1:])}, but the model takes "
                f"{tuple(shape)}: resize the data or build the model for this shape."
            )


def first_batch(name: str, data):
    """The first element of a ``tf.data`` dataset, or None where looking would change it.

    A dataset that reshuffles on every pass draws a new order each time it is iterated, so
    peeking would shift every epoch's order (and a resumed run would no longer continue the
    same sequence): for those, None. An empty dataset is an error.
    """
    if _reshuffles(data):
        return None
    first = next(iter(data.take(1)), None)
    if first is None:
        raise ValueError(f"{name} is empty: there is nothing to train on.")
    return first


def _reshuffles(data) -> bool:
    """Whether a ``tf.data`` pipeline reshuffles on every pass (it has such a shuffle step).

    Reads tf.data's internal structure (``_inputs()``); if that ever changes, it answers True,
    the safe side: the dataset is then only checked from its spec.
    """
    todo = [data]
    while todo:
        step = todo.pop()
        if getattr(step, "_reshuffle_each_iteration", False):
            return True
        try:
            todo.extend(step._inputs())
        except (AttributeError, TypeError):  # pragma: no cover - a tf.data we do not know
            return True
    return False


def stored_arrays(path: str | os.PathLike) -> dict[str, list[tuple[int, ...]]]:
    """What a Keras ``.weights.h5`` file holds: layer name -> shapes of its arrays.

    Raises ``ValueError`` if the file is not HDF5 (a text file, a truncated download).
    """
    import h5py

    found: dict[str, list[tuple[int, ...]]] = {}

    def visit(key: str, item) -> None:
        if isinstance(item, h5py.Dataset) and key.startswith("layers/"):
            layer = str(item.parent.attrs.get("name", key.split("/")[-3]))
            found.setdefault(layer, []).append(tuple(item.shape))

    try:
        with h5py.File(path, "r") as file:
            file.visititems(visit)
    except OSError as error:
        raise ValueError(f"{str(path)!r} is not a Keras weights file ({error}).") from None
    return found


def weights_file(name: str, file: str | os.PathLike, model, hint: str = "") -> Path:
    """Check that the Keras ``.weights.h5`` ``file`` fits ``model``, before loading it.

    Keras alone says "A total of N objects could not be loaded"; this error names what the
    file holds and what the model needs, layer by layer, and ends with ``hint`` (how to get the
    right file).
    """
    where = path(name, file, exists=True, suffix=".weights.h5")
    try:
        stored = stored_arrays(where)
    except ValueError as error:
        raise ValueError(f"{name}: {error} {hint}".strip()) from None
    expected = {
        layer.name: [tuple(w.shape) for w in layer.weights]
        for layer in model._flatten_layers(include_self=False, recursive=True)
        if layer.weights and not layer._layers  # leaf layers: the file's own grouping
    }
    if sorted(map(sorted, stored.values())) == sorted(map(sorted, expected.values())):
        return where

    def show(layers: dict) -> str:
        shown = [f"{k} {max(v, key=math.prod)}" for k, v in list(layers.items())[:4]]
        return ", ".join(shown + (["..."] if len(layers) > 4 else [])) or "no layers"

    def size(layers: dict) -> int:
        return sum(math.prod(s) for shapes in layers.values() for s in shapes)

    raise ValueError(
        f"{name} {str(where)!r} holds {len(stored)} layers with {size(stored):,} weights "
        f"({show(stored)}), which do not fit this {model.name} with {len(expected)} layers and "
        f"{size(expected):,} weights ({show(expected)}). {hint}".strip()
    )
