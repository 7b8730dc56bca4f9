"""A measured style figure without VGG: a small photo-or-painting classifier trained on crops.

Lessons 06 and 07 measure style with VGG19's Gram matrices, which need ImageNet weights that
an offline classroom does not have. Lesson 11 compares three ways of painting a photograph
(optimisation, a fast network, CycleGAN) with a figure that needs no download: a small
convolutional network trained to tell crops of the training photographs from crops of the
painting, then asked how "painting" a stylised photograph looks (:func:`painting_probability`).

It ends in global average pooling, so it judges statistics over the whole image (colours,
strokes, texture), not where things are; that is what "style" means in lessons 06 and 07 too.
What it cannot say: whether the content survived (use :func:`imgen_helpers.images.ssim`
against the photograph for that), or how a person would rate the picture.

Images are float32 RGB in [0, 1], (N, H, W, 3), any H, W >= 16. Taught in
``11_image_translation.ipynb``.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from . import checks


def build_style_judge(filters: tuple[int, ...] = (16, 32, 64)) -> keras.Model:
    """Stride-2 3x3 convolutions with ReLU, global average pooling, one logit: "painting".

    Every layer computes in float32 under any precision policy, so its figures do not depend on
    the machine's choice of policy.

    Returns:
        A model mapping (N, H, W, 3) in [0, 1] to float32 logits (N, 1), any H, W.
    """
    if isinstance(filters, str) or not isinstance(filters, tuple | list) or not filters:
        raise TypeError(
            f"filters must be a tuple of channel counts, e.g. (16, 32); got {filters!r}."
        )
    images = keras.Input((None, None, 3), name="images")
    # float32 whatever the precision policy: a measuring instrument should not change with it
    x = layers.Rescaling(2.0, offset=-1.0, dtype="float32", name="to_symmetric")(images)
    for i, n in enumerate(filters):
        n = checks.positive_int(f"filters[{i}]", n)
        x = layers.Conv2D(
            n, 3, 2, padding="same", activation="relu", dtype="float32", name=f"conv_{i}"
        )(x)
    x = layers.GlobalAveragePooling2D(dtype="float32", name="average")(x)  # (batch, channels)
    logits = layers.Dense(1, dtype="float32", name="painting_logit")(x)
    return keras.Model(images, logits, name="style_judge")


def train_style_judge(
    photos: Sequence[str] | None = None,
    paintings: Sequence[str] | None = None,
    crop_size: int = 64,
    steps: int = 300,
    batch_size: int = 16,
    seed: int = 0,
) -> keras.Model:
    """Train :func:`build_style_judge` on crops: photographs -> 0, the painting -> 1.

    Args:
        photos, paintings: image names (defaults: :data:`imgen_helpers.cyclegan.PHOTOS` and
            ``(cyclegan.PAINTING,)``, CycleGAN's two domains, so the judge never sees the
            photograph the lesson stylises).
        crop_size, steps, batch_size: crops per side of each batch, and how many batches.
        seed: seeds the weights and the crops; the crops are drawn with ``seed + 100``, so they
            are not the crops CycleGAN trained on (its ``unpaired_dataset`` uses ``seed``).

    Returns:
        The trained judge (Adam 1e-3, binary cross-entropy on logits).
    """
    from .cyclegan import PAINTING, PHOTOS, unpaired_dataset
    from .runtime import set_seed

    steps = checks.positive_int("steps", steps)
    seed = checks.integer("seed", seed, minimum=0)
    set_seed(seed)
    data = unpaired_dataset(
        PHOTOS if photos is None else photos,
        (PAINTING,) if paintings is None else paintings,
        crop_size=crop_size,
        batch_size=batch_size,
        seed=seed + 100,
    )

    def labelled(photo_batch, painting_batch):  # (2 * batch, H, W, 3), labels 0 then 1
        images = tf.concat([photo_batch, painting_batch], axis=0)
        labels = tf.concat([tf.zeros((batch_size, 1)), tf.ones((batch_size, 1))], axis=0)
        return images, labels

    judge = build_style_judge()
    judge.compile(keras.optimizers.Adam(1e-3), keras.losses.BinaryCrossentropy(from_logits=True))
    judge.fit(data.map(labelled).take(steps), epochs=1, verbose=0, shuffle=False)
    return judge


def painting_logit(judge: keras.Model, images) -> np.ndarray:
    """The judge's log-odds "painting" against "photograph" for each image.

    The probability saturates (0.000 and 1.000 once the judge is sure); the log-odds keeps
    telling a clear painting from a barely-painting one: 0 is undecided, each +1 multiplies the
    odds of "painting" by e.

    Args:
        judge: a :func:`train_style_judge` model.
        images: (H, W, 3) or (N, H, W, 3) in [0, 1], at least 16x16 pixels.

    Returns:
        float64 (N,) (N = 1 for one image).
    """
    checks.instance("judge", judge, keras.Model, "a keras.Model (train_style_judge)")
    batch = checks.images("images", images, value_range="unit", ranks=(3, 4), channels=3)
    batch = batch[None] if batch.ndim == 3 else batch
    if min(batch.shape[1:3]) < 16:
        raise ValueError(f"images must be at least 16x16 pixels; got {batch.shape[1:3]}.")
    return np.asarray(judge(batch.astype(np.float32), training=False), np.float64)[:, 0]


def painting_probability(judge: keras.Model, images) -> np.ndarray:
    """The judge's probability that each image is the painting rather than a photograph:
    ``sigmoid(painting_logit(judge, images))``, float64 (N,) in [0, 1]."""
    return 1.0 / (1.0 + np.exp(-painting_logit(judge, images)))


__all__ = ["build_style_judge", "train_style_judge", "painting_logit", "painting_probability"]
