"""imgen_helpers.fast.layers: the fast convolutions compute exactly what Keras' layers compute."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from imgen_helpers.fast import layers as fast


def _values_and_grads(layer, x, upstream, **call_kwargs):
    """Output, and gradients of sum(output * upstream) w.r.t. the input and every weight."""
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = layer(x, **call_kwargs)
        loss = tf.reduce_sum(tf.cast(y, tf.float32) * upstream)
    return [y, *tape.gradient(loss, [x, *layer.trainable_variables])]


def _compare(keras_layer, our_layer, shape, seed=0):
    rng = np.random.default_rng(seed)
    x = tf.constant(rng.normal(size=shape), tf.float32)
    keras_layer(x)
    our_layer(x)
    our_layer.set_weights(keras_layer.get_weights())
    upstream = tf.constant(rng.normal(size=keras_layer(x).shape), tf.float32)
    expected = _values_and_grads(keras_layer, x, upstream)
    got = _values_and_grads(our_layer, x, upstream)
    assert len(got) == len(expected)
    for e, g in zip(expected, got, strict=True):
        assert g.shape == e.shape
        scale = float(tf.reduce_max(tf.abs(e))) + 1e-6
        np.testing.assert_allclose(g.numpy() / scale, e.numpy() / scale, atol=2e-6)


@pytest.mark.parametrize(
    "kernel, stride, cin, cout, size",
    [
        (5, 1, 16, 8, 7),  # the DCGAN tutorial's first block
        (5, 2, 16, 8, 7),  # its second
        (3, 2, 6, 9, 7),  # the CVAE's decoder
        (4, 2, 3, 8, 5),  # an even kernel (pix2pix-style)
        (2, 1, 3, 8, 5),  # even kernel, stride 1
        (3, 3, 2, 8, 4),  # stride 3
        (1, 2, 3, 8, 4),  # kernel smaller than the stride
        (5, 2, 64, 1, 14),  # the DCGAN generator's output layer: one channel
        (4, 2, 16, 3, 8),  # a colour output layer
    ],
)
def test_conv2d_transpose_matches_keras(kernel, stride, cin, cout, size):
    kwargs = dict(padding="same", bias_initializer="random_normal", activation="relu")
    ours = fast.Conv2DTranspose(cout, kernel, stride, **kwargs)
    assert ours._fast_path()  # one output channel included: the comparison checks our path
    _compare(
        keras.layers.Conv2DTranspose(cout, kernel, stride, **kwargs), ours, (2, size, size, cin)
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(padding="valid"),  # not the fast path: Keras' own code runs
        dict(padding="same", output_padding=1),
    ],
)
def test_conv2d_transpose_falls_back_to_keras_where_it_does_not_apply(kwargs):
    kwargs = {"strides": 2, "filters": 8, "kernel_size": 3, **kwargs}
    ours = fast.Conv2DTranspose(**kwargs)
    assert not ours._fast_path()
    _compare(keras.layers.Conv2DTranspose(**kwargs), ours, (2, 6, 6, 3))


@pytest.mark.parametrize(
    "kernel, padding, strides, shape",
    [
        (3, "same", 1, (2, 9, 8, 4)),
        (5, "same", 1, (2, 9, 8, 4)),
        (4, "same", 1, (2, 9, 8, 4)),
        (3, "valid", 1, (2, 9, 8, 4)),
        (3, "same", 2, (2, 8, 8, 8)),  # strided: Keras' own code
    ],
)
def test_conv2d_matches_keras(kernel, padding, strides, shape):
    kwargs = dict(padding=padding, strides=strides, bias_initializer="random_normal")
    _compare(
        keras.layers.Conv2D(6, kernel, activation="relu", **kwargs),
        fast.Conv2D(6, kernel, activation="relu", **kwargs),
        shape,
    )


def _op_types(fn, *args):
    graph = tf.function(fn).get_concrete_function(*args).graph
    return {op.type for op in graph.get_operations()}


def test_the_fast_path_avoids_the_slow_kernel_forward_and_backward():
    """The point of the module: no Conv2DBackpropInput in the forward or the input gradient."""
    x = tf.random.normal((2, 8, 8, 16))

    def forward_and_grad(layer):
        def fn(x):
            with tf.GradientTape() as tape:
                tape.watch(x)
                y = tf.reduce_sum(layer(x) ** 2)
            return tape.gradient(y, x)

        layer(x)
        return _op_types(fn, x)

    for cls in (keras.layers.Conv2DTranspose, fast.Conv2DTranspose):
        ops = forward_and_grad(cls(8, 5, 2, padding="same"))
        assert ("Conv2DBackpropInput" in ops) == (cls is keras.layers.Conv2DTranspose)
        assert ("DepthToSpace" in ops) == (cls is fast.Conv2DTranspose)
    for cls in (keras.layers.Conv2D, fast.Conv2D):
        ops = forward_and_grad(cls(8, 3, padding="same"))
        assert ("Conv2DBackpropInput" in ops) == (cls is keras.layers.Conv2D)


@pytest.mark.parametrize(
    "size, kernel, stride, padding",
    [
        (7, 3, 1, ((1, 1), (1, 1))),  # the generator's 3x3 block
        (14, 5, 2, ((1, 2), (1, 2))),  # "SAME" of a stride-2 kernel-5 convolution
        (9, 4, 3, ((0, 2), (1, 0))),  # uneven padding, a stride that does not divide
        (8, 1, 2, ((0, 0), (0, 0))),  # kernel smaller than the stride: the rest is cropped
    ],
)
def test_kernel_gradient_equals_tensorflows_filter_gradient(size, kernel, stride, padding):
    rng = np.random.default_rng(3)
    x = tf.constant(rng.normal(size=(3, size, size + 1, 4)), tf.float32)
    explicit = [[0, 0], list(padding[0]), list(padding[1]), [0, 0]]
    y = tf.nn.conv2d(x, tf.zeros((kernel, kernel, 4, 5)), stride, explicit)
    dy = tf.constant(rng.normal(size=y.shape), tf.float32)
    expected = tf.raw_ops.Conv2DBackpropFilter(
        input=x,
        filter_sizes=(kernel, kernel, 4, 5),
        out_backprop=dy,
        strides=[1, stride, stride, 1],
        padding="EXPLICIT",
        explicit_paddings=sum(explicit, []),
    )
    got = fast.kernel_gradient(x, dy, (kernel, kernel), stride, padding)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-4)


def test_the_fast_layers_kernel_gradients_avoid_the_filter_gradient_kernel():
    x = tf.random.normal((2, 7, 7, 16))
    for layer in (fast.Conv2DTranspose(8, 5, 2, padding="same"), fast.Conv2D(8, 3, padding="same")):
        layer(x)

        def kernel_grad(x, layer=layer):
            with tf.GradientTape() as tape:
                y = tf.reduce_sum(layer(x) ** 2)
            return tape.gradient(y, layer.kernel)

        assert "Conv2DBackpropFilter" not in _op_types(kernel_grad, x)


def test_weights_saved_from_keras_layers_load_into_fast_layers(tmp_path):
    def model(conv_transpose, conv):
        inputs = keras.Input((7, 7, 4))
        h = conv(6, 3, padding="same", name="conv")(inputs)
        outputs = conv_transpose(8, 5, 2, padding="same", name="up")(h)
        return keras.Model(inputs, outputs)

    original = model(keras.layers.Conv2DTranspose, keras.layers.Conv2D)
    path = tmp_path / "m.weights.h5"
    original.save_weights(path)
    ours = model(fast.Conv2DTranspose, fast.Conv2D)
    ours.load_weights(path)
    x = np.random.default_rng(0).normal(size=(3, 7, 7, 4)).astype("float32")
    np.testing.assert_allclose(ours(x), original(x), atol=1e-5)


def test_fast_layers_survive_a_model_save_and_load(tmp_path):
    inputs = keras.Input((4, 4, 3))
    hidden = fast.Conv2D(5, 3, padding="same")(inputs)
    outputs = fast.Conv2DTranspose(8, 3, 2, padding="same")(hidden)
    model = keras.Model(inputs, outputs)
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    assert isinstance(loaded.layers[-1], fast.Conv2DTranspose)
    x = np.ones((1, 4, 4, 3), "float32")
    np.testing.assert_allclose(loaded(x), model(x), atol=1e-6)


def test_mixed_precision_keeps_keras_dtypes():
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        ours = fast.Conv2DTranspose(8, 3, 2, padding="same")
        theirs = keras.layers.Conv2DTranspose(8, 3, 2, padding="same")
        x = tf.random.normal((1, 5, 5, 3))
        theirs(x)
        ours(x)
        ours.set_weights(theirs.get_weights())
        assert ours(x).dtype == theirs(x).dtype == tf.bfloat16
        np.testing.assert_allclose(
            tf.cast(ours(x), tf.float32), tf.cast(theirs(x), tf.float32), atol=0.05
        )
    finally:
        keras.mixed_precision.set_global_policy("float32")


def test_conv2d_rejects_padding_larger_than_the_kernel():
    with pytest.raises(ValueError, match="padding"):
        fast.conv2d(tf.zeros((1, 4, 4, 1)), tf.zeros((3, 3, 1, 1)), ((3, 0), (0, 0)))


def test_subpixel_kernel_uses_every_tap_exactly_once():
    """Each of the k*k taps lands in exactly one (window position, phase) slot; the rest are 0."""
    k, stride = 5, 2
    kernel = tf.reshape(tf.range(1, k * k + 1, dtype=tf.float32), (k, k, 1, 1))
    sub = fast.subpixel_kernel(kernel, stride).numpy()
    assert sub.shape == (3, 3, 1, stride * stride)
    values = sorted(v for v in sub.ravel() if v != 0)
    assert values == list(range(1, k * k + 1))


class _UpsamplePadConv(keras.layers.Layer):
    """The three-layer original: nearest 2x upsampling, mirror pad 1, 3x3 valid convolution."""

    def __init__(self, filters):
        super().__init__()
        self.conv = keras.layers.Conv2D(filters, 3, padding="valid")

    def call(self, x):
        x = keras.layers.UpSampling2D(2, interpolation="nearest")(x)
        return self.conv(tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="REFLECT"))


@pytest.mark.parametrize("shape", [(2, 5, 7, 3), (1, 8, 8, 16), (1, 1, 3, 2)])
def test_upsample_conv_matches_upsample_pad_conv(shape):
    # values, input gradient and kernel/bias gradients, odd and even sizes, a 1-pixel side
    _compare(_UpsamplePadConv(4), fast.UpsampleConv2D(4), shape)


def test_upsample_conv_output_shape_and_config_round_trip():
    layer = fast.UpsampleConv2D(6, name="up")
    assert layer.compute_output_shape((None, 5, 9, 3)) == (None, 10, 18, 6)
    assert layer(tf.zeros((1, 5, 9, 3))).shape == (1, 10, 18, 6)
    clone = fast.UpsampleConv2D.from_config(layer.get_config())
    assert clone.filters == 6 and clone.kernel_size == (3, 3)
    with pytest.raises(TypeError, match="fixed kernel_size"):
        fast.UpsampleConv2D(6, kernel_size=5)


# ------------------------------------------------------------------ fused batch normalisation


def _bn_pair(**kwargs):
    """A Keras batch norm and ours, with non-trivial initial gamma and beta (not yet built)."""
    kwargs = {"momentum": 0.9, "gamma_initializer": "random_normal", **kwargs}
    beta = "random_normal" if kwargs.get("center", True) else "zeros"
    kwargs.setdefault("beta_initializer", beta)
    theirs, ours = keras.layers.BatchNormalization(**kwargs), fast.BatchNormalization(**kwargs)
    return theirs, ours


def _bn_train_call(layer, x, upstream):
    """Training-mode output, gradients w.r.t. input and weights, then the moving statistics."""
    values = _values_and_grads(layer, x, upstream, training=True)
    return [*values, layer.moving_mean.value, layer.moving_variance.value]


@pytest.mark.parametrize(
    "shape, kwargs",
    [
        ((4, 5, 6, 3), {}),  # a convolutional feature map
        ((16, 3), {}),  # a dense layer's output (the DCGAN generator's first block)
        ((2, 3, 3, 3), dict(center=False, scale=False)),  # no gamma, no beta
        ((3, 4, 4, 3), dict(epsilon=1e-5, momentum=0.5)),
    ],
)
def test_batch_norm_matches_keras_in_training_and_inference(shape, kwargs):
    rng = np.random.default_rng(0)
    x = tf.constant(rng.normal(2.0, 3.0, size=shape), tf.float32)  # mean and scale far from 0, 1
    upstream = tf.constant(rng.normal(size=shape), tf.float32)
    theirs, ours = _bn_pair(**kwargs)
    theirs(x)
    ours(x)
    ours.set_weights(theirs.get_weights())
    for _ in range(2):  # the second call starts from moving statistics the first one changed
        expected, got = _bn_train_call(theirs, x, upstream), _bn_train_call(ours, x, upstream)
        assert len(got) == len(expected)
        for e, g in zip(expected, got, strict=True):
            np.testing.assert_allclose(g.numpy(), e.numpy(), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(ours(x, training=False), theirs(x, training=False), atol=1e-5)


def test_batch_norm_runs_one_fused_kernel_in_training_only():
    x = tf.random.normal((4, 6, 6, 8))

    def op_types(layer, training):
        def fn(x):
            with tf.GradientTape() as tape:
                tape.watch(x)
                y = tf.reduce_sum(layer(x, training=training) ** 2)
            return tape.gradient(y, x)

        layer(x)
        return _op_types(fn, x)

    for cls in (keras.layers.BatchNormalization, fast.BatchNormalization):
        ops = op_types(cls(), training=True)
        assert ("FusedBatchNormV3" in ops) == (cls is fast.BatchNormalization)
        assert ("FusedBatchNormGradV3" in ops) == (cls is fast.BatchNormalization)
    assert "FusedBatchNormV3" not in op_types(fast.BatchNormalization(), training=False)


@pytest.mark.parametrize(
    "kwargs, shape",
    [
        (dict(axis=1), (2, 3, 4, 4)),  # channels first: Keras' own code
        (dict(epsilon=1e-6), (2, 4, 4, 3)),  # below the fused kernel's epsilon floor
        ({}, (2, 5, 3)),  # a sequence (rank 3)
    ],
)
def test_batch_norm_falls_back_to_keras_where_the_fused_kernel_does_not_apply(kwargs, shape):
    x = tf.constant(np.random.default_rng(1).normal(size=shape), tf.float32)
    ours = fast.BatchNormalization(**kwargs)
    ours(x)
    assert not ours._fused_applies(x, True, None)
    theirs = keras.layers.BatchNormalization(**kwargs)
    theirs(x)
    theirs.set_weights(ours.get_weights())
    np.testing.assert_allclose(ours(x, training=True), theirs(x, training=True), atol=1e-6)


def test_batch_norm_under_bfloat16_reads_and_returns_bfloat16_with_float32_statistics():
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        x = tf.random.normal((8, 5, 5, 4), mean=1.0)
        theirs, ours = _bn_pair()
        theirs(x)
        ours(x)
        ours.set_weights(theirs.get_weights())
        y_theirs, y_ours = theirs(x, training=True), ours(x, training=True)
        assert y_ours.dtype == y_theirs.dtype == tf.bfloat16
        assert ours.moving_mean.dtype == "float32"
        np.testing.assert_allclose(
            tf.cast(y_ours, tf.float32), tf.cast(y_theirs, tf.float32), atol=0.05
        )
        np.testing.assert_allclose(ours.moving_variance, theirs.moving_variance, rtol=0.02)
    finally:
        keras.mixed_precision.set_global_policy("float32")


def test_batch_norm_weights_load_from_keras_and_survive_a_model_save(tmp_path):
    def model(bn):
        inputs = keras.Input((4, 4, 3))
        return keras.Model(inputs, bn(name="bn")(keras.layers.Conv2D(5, 3, name="c")(inputs)))

    original = model(keras.layers.BatchNormalization)
    x = np.random.default_rng(2).normal(size=(6, 4, 4, 3)).astype("float32")
    original(x, training=True)  # moving statistics away from their initial values
    original.save_weights(tmp_path / "m.weights.h5")
    ours = model(fast.BatchNormalization)
    ours.load_weights(tmp_path / "m.weights.h5")
    np.testing.assert_allclose(ours(x), original(x), atol=1e-5)
    ours.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    assert isinstance(loaded.get_layer("bn"), fast.BatchNormalization)
    np.testing.assert_allclose(loaded(x), ours(x), atol=1e-6)
