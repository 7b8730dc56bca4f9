"""Bad inputs for imgen_helpers.fast.layers: each must get a clear error naming the argument.

The rank cases matter most: without its batch axis, an image reaching oneDNN's convolution
kills the whole process ("Check failed: index >= 0").
"""

import numpy as np
import tensorflow as tf
from bad_inputs import Bad, parametrize

from imgen_helpers.fast import layers as fast

X = tf.zeros((1, 6, 6, 2))  # (batch, height, width, channels)
ONE_IMAGE = tf.zeros((6, 6, 2))  # no batch axis: the crash of issue 16
K = tf.zeros((3, 3, 2, 4))  # conv2d: (kh, kw, in, out)
KT = tf.zeros((3, 3, 4, 2))  # transposed: (k, k, out, in)
NAN = np.full((1, 6, 6, 2), np.nan, np.float32)
SAME = ((1, 1), (1, 1))


def _built(layer, shape=(1, 6, 6, 2)):
    layer(tf.zeros(shape))
    return layer


CASES = {
    "imgen_helpers.fast.layers.conv2d": [
        Bad("type", lambda: fast.conv2d("image.png", K), TypeError, "x"),
        Bad("rank", lambda: fast.conv2d(ONE_IMAGE, K), ValueError, "batch axis"),
        Bad("rank", lambda: fast.conv2d(X, tf.zeros((3, 3, 2))), ValueError, "kernel"),
        Bad("finite", lambda: fast.conv2d(NAN, K), ValueError, "x"),
        Bad("compat", lambda: fast.conv2d(tf.zeros((1, 6, 6, 3)), K), ValueError, "channels"),
        Bad("compat", lambda: fast.conv2d(tf.zeros((1, 6, 6, 2), "float64"), K), TypeError, "x"),
        Bad("value", lambda: fast.conv2d(X, K, ((3, 0), (0, 0))), ValueError, "padding"),
        Bad("value", lambda: fast.conv2d(X, K, ((-1, 1), (1, 1))), ValueError, "padding"),
        Bad("type", lambda: fast.conv2d(X, K, "same"), TypeError, "padding"),
        Bad(
            "value",
            lambda: fast.conv2d(tf.zeros((1, 1, 1, 2)), K, ((0, 0), (0, 0))),
            ValueError,
            "x",
        ),
    ],
    "imgen_helpers.fast.layers.kernel_gradient": [
        Bad("type", lambda: fast.kernel_gradient(None, X, (3, 3), 1, SAME), TypeError, "x"),
        Bad("rank", lambda: fast.kernel_gradient(ONE_IMAGE, X, (3, 3), 1, SAME), ValueError, "x"),
        Bad("rank", lambda: fast.kernel_gradient(X, ONE_IMAGE, (3, 3), 1, SAME), ValueError, "dy"),
        Bad("finite", lambda: fast.kernel_gradient(NAN, X, (3, 3), 1, SAME), ValueError, "x"),
        Bad(
            "compat",
            lambda: fast.kernel_gradient(tf.zeros((2, 6, 6, 2)), X, 3, 1, SAME),
            ValueError,
            "dy",
        ),
        Bad(
            "value", lambda: fast.kernel_gradient(X, X, (0, 3), 1, SAME), ValueError, "kernel_size"
        ),
        Bad("type", lambda: fast.kernel_gradient(X, X, "3x3", 1, SAME), TypeError, "kernel_size"),
        Bad("count", lambda: fast.kernel_gradient(X, X, (3, 3), 0, SAME), ValueError, "stride"),
        Bad("type", lambda: fast.kernel_gradient(X, X, (3, 3), "1", SAME), TypeError, "stride"),
        Bad(
            "value",
            lambda: fast.kernel_gradient(X, X, (3, 3), 1, ((1, -1), (1, 1))),
            ValueError,
            "padding",
        ),
    ],
    "imgen_helpers.fast.layers.subpixel_kernel": [
        Bad("type", lambda: fast.subpixel_kernel("kernel", 2), TypeError, "kernel"),
        Bad("rank", lambda: fast.subpixel_kernel(tf.zeros((3, 3, 4)), 2), ValueError, "kernel"),
        Bad("value", lambda: fast.subpixel_kernel(tf.zeros((3, 5, 4, 2)), 2), ValueError, "square"),
        Bad(
            "finite",
            lambda: fast.subpixel_kernel(np.full((3, 3, 1, 1), np.inf), 2),
            ValueError,
            "kernel",
        ),
        Bad("count", lambda: fast.subpixel_kernel(KT, 0), ValueError, "stride"),
        Bad("type", lambda: fast.subpixel_kernel(KT, 1.5), TypeError, "stride"),
    ],
    "imgen_helpers.fast.layers.conv2d_transpose_same": [
        Bad("type", lambda: fast.conv2d_transpose_same([["a"]], KT, 2), TypeError, "x"),
        Bad("rank", lambda: fast.conv2d_transpose_same(ONE_IMAGE, KT, 2), ValueError, "batch axis"),
        Bad(
            "rank",
            lambda: fast.conv2d_transpose_same(X, tf.zeros((3, 4, 2)), 2),
            ValueError,
            "kernel",
        ),
        Bad("finite", lambda: fast.conv2d_transpose_same(NAN, KT, 2), ValueError, "x"),
        Bad(
            "compat",
            lambda: fast.conv2d_transpose_same(tf.zeros((1, 6, 6, 4)), KT, 2),
            ValueError,
            "channels",
        ),
        Bad(
            "value",
            lambda: fast.conv2d_transpose_same(X, tf.zeros((3, 2, 4, 2)), 2),
            ValueError,
            "kernel",
        ),
        Bad("count", lambda: fast.conv2d_transpose_same(X, KT, -2), ValueError, "stride"),
        Bad("type", lambda: fast.conv2d_transpose_same(X, KT, "2"), TypeError, "stride"),
    ],
    "imgen_helpers.fast.layers.upsample_kernel": [
        Bad("type", lambda: fast.upsample_kernel(None), TypeError, "kernel"),
        Bad("rank", lambda: fast.upsample_kernel(tf.zeros((3, 3))), ValueError, "kernel"),
        Bad("value", lambda: fast.upsample_kernel(tf.zeros((5, 5, 2, 4))), ValueError, "3x3"),
        Bad(
            "finite",
            lambda: fast.upsample_kernel(np.full((3, 3, 1, 1), np.nan)),
            ValueError,
            "kernel",
        ),
    ],
    "imgen_helpers.fast.layers.upsample_conv2d": [
        Bad("type", lambda: fast.upsample_conv2d("image.png", K), TypeError, "x"),
        Bad("rank", lambda: fast.upsample_conv2d(ONE_IMAGE, K), ValueError, "batch axis"),
        Bad("finite", lambda: fast.upsample_conv2d(NAN, K), ValueError, "x"),
        Bad("value", lambda: fast.upsample_conv2d(X, tf.zeros((5, 5, 2, 4))), ValueError, "3x3"),
        Bad(
            "compat",
            lambda: fast.upsample_conv2d(tf.zeros((1, 6, 6, 3)), K),
            ValueError,
            "channels",
        ),
    ],
    "imgen_helpers.fast.layers.Conv2DTranspose": [
        Bad("count", lambda: fast.Conv2DTranspose(0, 3, 2), ValueError, "filters"),
        Bad("type", lambda: fast.Conv2DTranspose("8", 3, 2), TypeError, "filters"),
        Bad("value", lambda: fast.Conv2DTranspose(8, (3, 0), 2), ValueError, "kernel_size"),
        Bad(
            "rank",
            lambda: fast.Conv2DTranspose(8, 3, 2, padding="same")(ONE_IMAGE),
            ValueError,
            "batch axis",
        ),
        Bad(
            "rank",
            lambda: _built(fast.Conv2DTranspose(8, 3, 2, padding="same"))(ONE_IMAGE),
            ValueError,
            "inputs",
        ),
        Bad(
            "compat",
            lambda: _built(fast.Conv2DTranspose(8, 3, 2, padding="same"))(tf.zeros((1, 6, 6, 3))),
            ValueError,
            "channels",
        ),
        Bad("type", lambda: fast.Conv2DTranspose(8, 3, 2)("image.png"), TypeError, "inputs"),
    ],
    "imgen_helpers.fast.layers.Conv2D": [
        Bad("count", lambda: fast.Conv2D(-1, 3), ValueError, "filters"),
        Bad("type", lambda: fast.Conv2D(8.5, 3), TypeError, "filters"),
        Bad("type", lambda: fast.Conv2D(8, "3"), TypeError, "kernel_size"),
        Bad("rank", lambda: fast.Conv2D(8, 3, padding="same")(ONE_IMAGE), ValueError, "batch axis"),
        Bad(
            "rank",
            lambda: _built(fast.Conv2D(8, 3, padding="same"))(ONE_IMAGE),
            ValueError,
            "inputs",
        ),
        Bad(
            "compat",
            lambda: _built(fast.Conv2D(8, 3, padding="same"))(tf.zeros((1, 6, 6, 5))),
            ValueError,
            "channels",
        ),
        Bad("type", lambda: fast.Conv2D(8, 3)(None), TypeError, "inputs"),
    ],
    "imgen_helpers.fast.layers.UpsampleConv2D": [
        Bad("count", lambda: fast.UpsampleConv2D(0), ValueError, "filters"),
        Bad("type", lambda: fast.UpsampleConv2D("4"), TypeError, "filters"),
        Bad("value", lambda: fast.UpsampleConv2D(4, kernel_size=5), TypeError, "kernel_size"),
        Bad("rank", lambda: fast.UpsampleConv2D(4)(ONE_IMAGE), ValueError, "batch axis"),
        Bad(
            "compat",
            lambda: _built(fast.UpsampleConv2D(4))(tf.zeros((1, 6, 6, 3))),
            ValueError,
            "channels",
        ),
    ],
    "imgen_helpers.fast.layers.BatchNormalization": [
        Bad("range", lambda: fast.BatchNormalization(momentum=1.5), ValueError, "momentum"),
        Bad("value", lambda: fast.BatchNormalization(epsilon=-1e-3), ValueError, "epsilon"),
        Bad("type", lambda: fast.BatchNormalization(momentum="0.9"), TypeError, "momentum"),
        Bad("type", lambda: fast.BatchNormalization(axis="channels"), TypeError, "axis"),
        Bad("rank", lambda: fast.BatchNormalization()(tf.zeros((8,))), ValueError, "inputs"),
        Bad(
            "compat",
            lambda: _built(fast.BatchNormalization())(tf.zeros((1, 6, 6, 3))),
            ValueError,
            "channels",
        ),
    ],
}

test_bad_inputs = parametrize(CASES)
