"""Layers that compute exactly what Keras' do, through faster kernels on a CPU.

On a CPU, TensorFlow's gradient-of-convolution kernel (``Conv2DBackpropInput``, which is also
how ``Conv2DTranspose`` runs forward) is 2 to 4 times slower than a forward convolution of the
same size. Both can be rewritten as forward convolutions:

* the input gradient of a stride-1 convolution is a forward convolution of the output gradient
  with the kernel flipped in space and its channels swapped;
* a stride-``s`` transposed convolution is ``s * s`` small stride-1 convolutions, one per output
  phase, computed as ONE convolution with ``s * s`` times the channels followed by
  ``depth_to_space`` (the "sub-pixel convolution" of Shi et al., 2016);
* the kernel gradient of any convolution is a forward convolution of its input by its output
  gradient, with samples and channels swapped (:func:`kernel_gradient`).

:class:`Conv2DTranspose` is a drop-in ``keras.layers.Conv2DTranspose`` (same weights, same
outputs up to float rounding, checked in ``tests/test_fast_layers.py``) whose forward pass is the
sub-pixel convolution; its backward pass is forward convolutions too. :class:`Conv2D` is a
drop-in ``keras.layers.Conv2D`` whose input and kernel gradients are forward convolutions; the
style-transfer feature extractor uses it because Gatys' method needs the gradient with respect
to the image. Measured in ``benchmarks/dcgan.py`` and
``benchmarks/style_transfer.py``; the VAE's small decoder did not gain, so it keeps Keras' layers.

:class:`UpsampleConv2D` is the fast style-transfer network's "nearest 2x upsampling, mirror pad,
3x3 convolution" computed at the low resolution (2.25 times less arithmetic, same weights).

:class:`BatchNormalization` is a drop-in ``keras.layers.BatchNormalization`` whose training pass
is TensorFlow's fused batch-norm kernel (one pass forward, one backward) instead of Keras' dozen
separate operations; the DCGAN builders use it.

``python benchmarks/dcgan.py --levers`` times a DCGAN training step with each of these swapped
back for TensorFlow's own.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from .. import checks

# ------------------------------------------------------------------------------------------------
# Argument checks. They look at static shapes only, so inside a traced step they cost nothing;
# they must run before any TensorFlow op: oneDNN's convolution aborts the whole process
# ("Check failed: index >= 0") on an image without its batch axis.
# ------------------------------------------------------------------------------------------------

_IMAGES = "(batch, height, width, channels)"


def _rank(x) -> int | None:
    shape = x.shape
    return shape.rank if isinstance(shape, tf.TensorShape) else len(shape)


def _tensor(name: str, x, layout: str = _IMAGES):
    """``x`` as a rank-4 array or tensor: arrays fully checked (finite), tensors by shape."""
    if not hasattr(x, "shape") or isinstance(x, np.ndarray | np.generic):
        x = checks.array(name, x)  # text, None, lists of numbers; NaN refused
    rank = _rank(x)
    if rank is not None and rank != 4:
        hint = ": a single image needs a batch axis, e.g. x[None]" if rank == 3 else ""
        hint = hint if layout == _IMAGES else ""
        raise ValueError(f"{name} must have shape {layout}; got {tuple(x.shape)}{hint}.")
    return x


def _kernel(name: str, kernel, layout: str, square: bool = True):
    kernel = _tensor(name, kernel, layout)
    if square and kernel.shape[0] != kernel.shape[1]:
        raise ValueError(
            f"{name} must be square, {layout} with kh = kw; got {tuple(kernel.shape)}."
        )
    return kernel


def _channels(x, kernel, axis: int) -> None:
    """``x``'s channels must be the ones ``kernel`` reads (its ``axis``)."""
    found, wanted = x.shape[-1], kernel.shape[axis]
    if found is not None and wanted is not None and found != wanted:
        raise ValueError(
            f"x has {found} channels but kernel reads {wanted} (kernel shape "
            f"{tuple(kernel.shape)}): build the kernel for {found} input channels."
        )


def _same_dtype(x, kernel):
    x, kernel = tf.convert_to_tensor(x), tf.convert_to_tensor(kernel)
    if x.dtype != kernel.dtype:
        raise TypeError(
            f"x is {x.dtype.name} but kernel is {kernel.dtype.name}: cast one to the other, "
            "e.g. tf.cast(x, kernel.dtype)."
        )
    return x, kernel


def _padding(name: str, padding) -> tuple[tuple[int, int], tuple[int, int]]:
    """((top, bottom), (left, right)) of non-negative ints."""
    try:
        (top, bottom), (left, right) = padding
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be ((top, bottom), (left, right)), e.g. ((1, 1), (1, 1)); "
            f"got {padding!r}."
        ) from None
    pairs = ((top, bottom), (left, right))
    return tuple(tuple(checks.integer(name, v, minimum=0) for v in pair) for pair in pairs)


def _pair(name: str, value) -> tuple[int, int]:
    """A size given as ``k`` or ``(kh, kw)``, positive ints."""
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        value = (value, value)
    return checks.int_tuple(name, value, 2, layout="(height, width)")


def _check_layer_input(layer: keras.Layer, inputs, ranks) -> None:
    """The rank of ``inputs`` and, once ``layer`` is built, its channels."""
    if not hasattr(inputs, "shape"):
        inputs = checks.as_array(inputs, "inputs")  # text, None, ragged lists
    rank = _rank(inputs)
    if rank is not None and rank not in ranks:
        hint = ": one sample needs a batch axis, e.g. x[None]" if rank + 1 in ranks else ""
        raise ValueError(
            f"inputs of layer {layer.name!r} must have rank {' or '.join(map(str, ranks))}, e.g. "
            f"{_IMAGES}; got shape {tuple(inputs.shape)}{hint}."
        )
    spec = layer.input_spec
    for axis, size in (getattr(spec, "axes", None) or {}).items() if rank else ():
        found = inputs.shape[axis]
        if size is not None and found is not None and found != size:
            raise ValueError(
                f"inputs of layer {layer.name!r} have {found} channels (axis {axis}), but the "
                f"layer was built for {size}; got shape {tuple(inputs.shape)}."
            )


class _ChecksInputs:
    """Mixin: check the input's rank and channels before Keras or oneDNN sees it."""

    _input_ranks = (4,)

    def __call__(self, *args, **kwargs):
        if args:
            _check_layer_input(self, args[0], self._input_ranks)
        return super().__call__(*args, **kwargs)


class _ChecksConvArguments(_ChecksInputs):
    """Mixin: a convolution's ``filters`` and ``kernel_size`` checked before Keras sees them."""

    def __init__(self, filters, kernel_size, *args, **kwargs):
        filters = checks.positive_int("filters", filters)
        kernel_size = _pair("kernel_size", kernel_size)
        super().__init__(filters, kernel_size, *args, **kwargs)


def _flip(kernel):
    """(kh, kw, cin, cout) -> (kh, kw, cout, cin), reversed in space: the adjoint's kernel."""
    return tf.transpose(tf.reverse(kernel, axis=[0, 1]), [0, 1, 3, 2])


def _explicit(padding):
    (top, bottom), (left, right) = padding
    return [[0, 0], [top, bottom], [left, right], [0, 0]]


def conv2d(x, kernel, padding=((1, 1), (1, 1))):
    """Stride-1 2-D convolution (cross-correlation, as ``tf.nn.conv2d``) with explicit padding.

    Same values and gradients as ``tf.nn.conv2d(x, kernel, 1, padding)``, but the gradient with
    respect to ``x`` is computed by a forward convolution, which is 2 to 4 times faster on a CPU
    than TensorFlow's own, and so is the gradient with respect to ``kernel``
    (:func:`kernel_gradient`).

    Args:
        x: (batch, height, width, in_channels) float tensor, channels last.
        kernel: (kh, kw, in_channels, out_channels), same dtype as ``x``.
        padding: ((top, bottom), (left, right)) zero padding, each at most kernel size - 1.
            "same" for an odd kernel size k is ((k // 2, k // 2), (k // 2, k // 2)).

    Returns:
        (batch, height + top + bottom - kh + 1, width + left + right - kw + 1, out_channels).
    """
    x = _tensor("x", x)
    kernel = _kernel("kernel", kernel, "(kh, kw, in_channels, out_channels)", square=False)
    padding = _padding("padding", padding)
    _channels(x, kernel, axis=2)
    kh, kw = kernel.shape[0], kernel.shape[1]
    (top, bottom), (left, right) = padding
    if not (top < kh and bottom < kh and left < kw and right < kw):
        raise ValueError(
            f"padding {padding} must be between 0 and kernel size - 1 ({kh}, {kw}) on each side."
        )
    height, width = x.shape[1], x.shape[2]
    if (height is not None and height + top + bottom < kh) or (
        width is not None and width + left + right < kw
    ):
        raise ValueError(
            f"x is {height}x{width} pixels: too small for a {kh}x{kw} kernel with padding "
            f"{padding}; use a larger image or more padding."
        )
    adjoint_padding = ((kh - 1 - top, kh - 1 - bottom), (kw - 1 - left, kw - 1 - right))
    # A tensor, not a variable: custom gradients take tensors (the read is still differentiated).
    x, kernel = _same_dtype(x, kernel)
    return _conv2d(x, kernel, _explicit(padding), _explicit(adjoint_padding))


def _conv2d(x, kernel, padding, adjoint_padding):
    @tf.custom_gradient
    def convolve(x, kernel):
        y = tf.nn.conv2d(x, kernel, 1, padding)

        def grad(dy):
            dx = tf.nn.conv2d(dy, _flip(kernel), 1, adjoint_padding)
            size = (kernel.shape[0], kernel.shape[1])
            return dx, kernel_gradient(x, dy, size, 1, (tuple(padding[1]), tuple(padding[2])))

        return y, grad

    return convolve(x, kernel)


def kernel_gradient(x, dy, kernel_size, stride: int, padding):
    """The kernel gradient of ``y = conv2d(x, kernel, stride, padding)``, by a forward convolution.

    ``dL/dkernel[i, j, c, o]`` is the sum over samples n and output positions (h, w) of
    ``padded_x[n, stride * h + i, stride * w + j, c] * dy[n, h, w, o]``: a convolution of the
    padded input, with samples and channels swapped, by ``dy`` as the kernel (dilated by the
    stride). TensorFlow's ``Conv2DBackpropFilter`` computes the same sum, but with explicit
    padding its bfloat16 kernel is very slow on a CPU (about 30 times, for the DCGAN generator's
    3x3 block); with "SAME" padding it is as fast as this one (``benchmarks/dcgan.py --levers``;
    figures in ``benchmarks/RESULTS.md``).

    Args:
        x: (batch, height, width, in_channels), the convolution's input.
        dy: (batch, out_height, out_width, out_channels), the gradient of its output.
        kernel_size: (kh, kw).
        stride: the convolution's stride, the same along height and width.
        padding: ((top, bottom), (left, right)) zero padding of ``x``.

    Returns:
        (kh, kw, in_channels, out_channels), in the dtype of ``x``.
    """
    x, dy = _tensor("x", x), _tensor("dy", dy, "(batch, out_height, out_width, out_channels)")
    if x.shape[0] is not None and dy.shape[0] is not None and x.shape[0] != dy.shape[0]:
        raise ValueError(
            f"x and dy must hold the same samples; got {x.shape[0]} and {dy.shape[0]}."
        )
    kernel_size = _pair("kernel_size", kernel_size)
    stride = checks.positive_int("stride", stride)
    (top, bottom), (left, right) = _padding("padding", padding)
    x = tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]])
    x = tf.transpose(x, [3, 1, 2, 0])  # (in_channels, padded height, padded width, batch)
    dy = tf.transpose(dy, [1, 2, 0, 3])  # (out_height, out_width, batch, out_channels)
    grad = tf.nn.conv2d(x, dy, 1, "VALID", dilations=stride)  # (in, >= kh, >= kw, out)
    kh, kw = kernel_size
    return tf.transpose(grad[:, :kh, :kw, :], [1, 2, 0, 3])


def _same_padding(size: int, kernel_size: int, stride: int) -> tuple[int, int]:
    """TensorFlow's "SAME" zero padding (before, after) of a strided convolution's input."""
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel_size - size, 0)
    return total // 2, total - total // 2


def _phase_taps(kernel_size: int, stride: int) -> tuple[np.ndarray, int, int]:
    """Which kernel tap each (window position, output phase) of a sub-pixel convolution uses.

    For TensorFlow's "same" transposed convolution (output length ``stride * n``), output
    ``stride * m + r`` is the sum over offsets u of ``x[m + u] * w[r + before - stride * u]``,
    where ``before = max(kernel_size - stride, 0) // 2`` and only taps inside the kernel count.

    Returns:
        taps: (window, stride) int array, the tap index or ``kernel_size`` (a zero) where none.
        pad_before, pad_after: zero padding of the input for a window of that length.
    """
    before = max(kernel_size - stride, 0) // 2
    lowest = -((kernel_size - 1 - before) // stride)  # ceil((before - kernel_size + 1) / stride)
    highest = (stride - 1 + before) // stride
    offsets = np.arange(lowest, highest + 1)
    taps = before + np.arange(stride)[None, :] - stride * offsets[:, None]
    taps = np.where((taps >= 0) & (taps < kernel_size), taps, kernel_size)
    return taps, -lowest, highest


def subpixel_kernel(kernel, stride: int):
    """The stride-1 kernel equivalent to a "same" transposed-convolution kernel.

    Args:
        kernel: (k, k, out_channels, in_channels), ``keras.layers.Conv2DTranspose``'s layout.
        stride: the transposed convolution's stride.

    Returns:
        (window, window, in_channels, stride * stride * out_channels), laid out so that
        ``tf.nn.depth_to_space(conv, stride)`` puts each phase at its output pixels.
    """
    kernel = _kernel("kernel", kernel, "(k, k, out_channels, in_channels)")
    stride = checks.positive_int("stride", stride)
    k = kernel.shape[0]
    taps, _, _ = _phase_taps(k, stride)
    window = taps.shape[0]
    padded = tf.pad(kernel, [[0, 1], [0, 1], [0, 0], [0, 0]])  # index k reads a zero
    rows = tf.gather(padded, taps.reshape(-1), axis=0)  # (window * stride, k + 1, cout, cin)
    both = tf.gather(rows, taps.reshape(-1), axis=1)  # (window*stride, window*stride, cout, cin)
    cout, cin = kernel.shape[2], kernel.shape[3]
    both = tf.reshape(both, (window, stride, window, stride, cout, cin))
    both = tf.transpose(both, [0, 2, 5, 1, 3, 4])  # (window, window, cin, r_h, r_w, cout)
    return tf.reshape(both, (window, window, cin, stride * stride * cout))


def _transposed(x, kernel, stride: int):
    """The forward pass of a "same" transposed convolution, by forward convolutions only."""
    if stride == 1 and kernel.shape[0] % 2 == 1:
        half = kernel.shape[0] // 2
        return tf.nn.conv2d(x, _flip(kernel), 1, _explicit(((half, half), (half, half))))
    _, before, after = _phase_taps(kernel.shape[0], stride)
    pads = _explicit(((before, after), (before, after)))
    phases = tf.nn.conv2d(x, subpixel_kernel(kernel, stride), 1, pads)
    return phases if stride == 1 else tf.nn.depth_to_space(phases, stride)


def conv2d_transpose_same(x, kernel, stride: int):
    """``tf.nn.conv2d_transpose(..., padding="SAME")`` with output ``stride`` times the input.

    Forward: one stride-1 convolution with the :func:`subpixel_kernel` and ``depth_to_space``
    (stride 1: the flipped kernel). Backward: the input gradient is a strided convolution of the
    output gradient (TensorFlow's own formula), the kernel gradient :func:`kernel_gradient`'s
    forward convolution (where the output size is known when traced; else TensorFlow's
    ``Conv2DBackpropFilter``). Exact for odd and even kernel sizes and any stride;
    ``tests/test_fast_layers.py`` checks them against Keras.

    Args:
        x: (batch, height, width, in_channels).
        kernel: (k, k, out_channels, in_channels), ``Conv2DTranspose``'s layout.
        stride: an int >= 1, the same along height and width.

    Returns:
        (batch, stride * height, stride * width, out_channels).
    """
    x = _tensor("x", x)
    kernel = _kernel("kernel", kernel, "(k, k, out_channels, in_channels)")
    stride = checks.positive_int("stride", stride)
    _channels(x, kernel, axis=3)
    x, kernel = _same_dtype(x, kernel)
    strides = [1, stride, stride, 1]

    @tf.custom_gradient
    def transpose(x, kernel):
        def grad(dy):
            dx = tf.nn.conv2d(dy, kernel, strides, "SAME")  # x is conv2d(y, kernel) transposed
            k, height, width = kernel.shape[0], dy.shape[1], dy.shape[2]
            if height is None or width is None:  # padding unknown until run time
                dkernel = tf.raw_ops.Conv2DBackpropFilter(
                    input=dy,
                    filter_sizes=tf.shape(kernel),
                    out_backprop=x,
                    strides=strides,
                    padding="SAME",
                )
                return dx, dkernel
            padding = (_same_padding(height, k, stride), _same_padding(width, k, stride))
            return dx, kernel_gradient(dy, x, (k, k), stride, padding)

        return _transposed(x, kernel, stride), grad

    return transpose(x, kernel)


@keras.saving.register_keras_serializable(package="imgen_helpers")
class Conv2DTranspose(_ChecksConvArguments, keras.layers.Conv2DTranspose):
    """``keras.layers.Conv2DTranspose`` computed by :func:`conv2d_transpose_same`.

    Same constructor, same weights (a model saved with either loads into the other), same
    outputs up to float rounding. Used where it applies (TensorFlow backend, channels last,
    ``padding="same"``, equal strides, square kernel, no dilation, no ``output_padding``); anything
    else runs Keras' own implementation, so it is always safe to use.

    Thin outputs (the DCGAN generator's one-channel output layer) take the fast path too: it
    was faster there as well (``benchmarks/dcgan.py --levers``; figures in
    ``benchmarks/RESULTS.md``).
    """

    def _fast_path(self) -> bool:
        return (
            keras.backend.backend() == "tensorflow"
            and self.padding == "same"
            and self.data_format == "channels_last"
            and self.strides[0] == self.strides[1]
            and self.kernel_size[0] == self.kernel_size[1]
            and tuple(self.dilation_rate) == (1, 1)
            and self.output_padding is None
        )

    def call(self, inputs):
        if not self._fast_path():
            return super().call(inputs)
        outputs = conv2d_transpose_same(inputs, self.kernel, self.strides[0])
        if self.use_bias:
            outputs = outputs + self.bias
        if self.activation is not None:
            return self.activation(outputs)
        return outputs


@keras.saving.register_keras_serializable(package="imgen_helpers")
class Conv2D(_ChecksConvArguments, keras.layers.Conv2D):
    """``keras.layers.Conv2D`` whose input gradient runs as a forward convolution.

    Same constructor, same weights, same outputs and gradients up to float rounding. It pays
    where the gradient with respect to the layer's input is needed: every layer but a model's
    first during training, and all of them in Gatys style transfer, which optimises the image.
    Used where it applies (TensorFlow backend, channels last, stride 1, no dilation, one group,
    ``padding="same"`` or ``"valid"``); anything else runs Keras' own implementation. (Strided
    convolutions are left to Keras: their input gradient through a sub-pixel convolution was
    faster for some DCGAN discriminator shapes and slower for others, measured.)
    """

    def _padding(self):
        """((top, bottom), (left, right)) padding where the fast path applies, else None."""
        if not (
            keras.backend.backend() == "tensorflow"
            and self.data_format == "channels_last"
            and tuple(self.strides) == (1, 1)
            and tuple(self.dilation_rate) == (1, 1)
            and self.groups == 1
            and self.padding in ("same", "valid")
        ):
            return None
        if self.padding == "valid":
            return ((0, 0), (0, 0))
        kh, kw = self.kernel_size
        return (((kh - 1) // 2, kh // 2), ((kw - 1) // 2, kw // 2))  # TensorFlow's "SAME"

    def call(self, inputs):
        padding = self._padding()
        if padding is None:
            return super().call(inputs)
        outputs = conv2d(inputs, self.kernel, padding)
        if self.use_bias:
            outputs = outputs + self.bias
        if self.activation is not None:
            return self.activation(outputs)
        return outputs


def _fold_taps(kernel, axis: int):
    """The two 2-tap kernels along ``axis`` that a 3-tap kernel becomes after 2x nearest upsampling.

    Output pixel ``2m`` reads upsampled rows ``2m-1, 2m, 2m+1``, i.e. input rows ``m-1, m, m``:
    taps ``[w0, w1 + w2]`` at input offsets (-1, 0). Output ``2m + 1`` reads input rows
    ``m, m, m+1``: taps ``[w0 + w1, w2]`` at offsets (0, +1).
    """
    w0, w1, w2 = tf.unstack(kernel, axis=axis)
    return tf.stack([w0, w1 + w2], axis=axis), tf.stack([w0 + w1, w2], axis=axis)


def upsample_kernel(kernel):
    """The (2, 2, in, 4 * out) kernel of :func:`upsample_conv2d` from a (3, 3, in, out) one.

    Output channel ``(2 * ry + rx) * out + c`` holds phase (ry, rx), the layout that
    ``tf.nn.depth_to_space(..., 2)`` expects.
    """
    kernel = _kernel("kernel", kernel, "(3, 3, in_channels, out_channels)")
    if tuple(kernel.shape[:2]) != (3, 3):
        raise ValueError(f"kernel must be 3x3; got {tuple(kernel.shape[:2])}.")
    phases = []
    for rows in _fold_taps(kernel, 0):  # ry = 0, 1: (2, 3, in, out) each
        phases.extend(_fold_taps(rows, 1))  # rx = 0, 1: (2, 2, in, out) each
    return tf.concat(phases, axis=-1)


def upsample_conv2d(x, kernel):
    """Nearest 2x upsampling, mirror padding by 1 and a 3x3 "valid" convolution, in one step.

    Exactly ``conv2d(pad(upsample(x), 1, "REFLECT"), kernel, "VALID")``, but computed at the
    input's resolution: one 2x2 convolution with four times the output channels (one block per
    output phase; see :func:`upsample_kernel`) and ``depth_to_space``. That is 4 * 4 = 16 taps
    per input pixel instead of 4 * 9 = 36 per output quad: 2.25 times less arithmetic, and the
    four-times-larger upsampled map is never made. Mirror padding of the upsampled map equals
    symmetric padding of the input (its border row appears twice after upsampling).

    Args:
        x: (batch, height, width, in_channels).
        kernel: (3, 3, in_channels, out_channels).

    Returns:
        (batch, 2 * height, 2 * width, out_channels).
    """
    x = _tensor("x", x)
    kernel = _kernel("kernel", kernel, "(3, 3, in_channels, out_channels)")
    if tuple(kernel.shape[:2]) != (3, 3):
        raise ValueError(f"upsample_conv2d needs a 3x3 kernel; got {tuple(kernel.shape[:2])}.")
    _channels(x, kernel, axis=2)
    x, kernel = _same_dtype(x, kernel)
    padded = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="SYMMETRIC")
    phases = tf.nn.conv2d(padded, upsample_kernel(kernel), 1, "VALID")  # (b, h+1, w+1, 4*out)
    shape = tf.shape(x)
    h, w, out = shape[1], shape[2], kernel.shape[-1]
    blocks = [
        phases[:, ry : ry + h, rx : rx + w, (2 * ry + rx) * out : (2 * ry + rx + 1) * out]
        for ry in (0, 1)
        for rx in (0, 1)
    ]  # phase (ry, rx) of output pixel (2m + ry, 2n + rx) sits at window (m + ry, n + rx)
    return tf.nn.depth_to_space(tf.concat(blocks, axis=-1), 2)


@keras.saving.register_keras_serializable(package="imgen_helpers")
class UpsampleConv2D(_ChecksInputs, keras.layers.Conv2D):
    """Nearest 2x upsampling, mirror padding by 1 and a 3x3 convolution, as one layer.

    The same weights as the ``keras.layers.Conv2D(filters, 3)`` it replaces in the sequence
    ``UpSampling2D(2, "nearest")``, mirror ``pad 1``, ``Conv2D(filters, 3, padding="valid")``
    (the up-sampling blocks of Johnson et al.'s transformation network, as Odena et al. 2016
    recommend instead of transposed convolutions), and the same outputs up to float rounding
    (``tests/test_fast_layers.py``); computed by :func:`upsample_conv2d`, with 2.25 times less
    arithmetic. Used by ``style_network.build_transform_net(TransformNetConfig(fast=True))``.
    """

    def __init__(self, filters: int, **kwargs):
        for fixed in ("kernel_size", "strides", "padding", "dilation_rate", "groups"):
            if fixed in kwargs:
                raise TypeError(f"UpsampleConv2D has a fixed {fixed}; do not pass it.")
        filters = checks.positive_int("filters", filters)
        super().__init__(filters, 3, padding="valid", **kwargs)

    def get_config(self):
        config = super().get_config()
        for fixed in ("kernel_size", "strides", "padding", "dilation_rate", "groups"):
            config.pop(fixed, None)
        return config

    def call(self, inputs):
        outputs = upsample_conv2d(inputs, self.kernel)
        if self.use_bias:
            outputs = outputs + self.bias
        if self.activation is not None:
            return self.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape):
        double = lambda d: None if d is None else 2 * d  # noqa: E731
        return (input_shape[0], double(input_shape[1]), double(input_shape[2]), self.filters)


@keras.saving.register_keras_serializable(package="imgen_helpers")
class BatchNormalization(_ChecksInputs, keras.layers.BatchNormalization):
    """``keras.layers.BatchNormalization`` whose training pass is ONE fused kernel.

    In training, Keras 3 computes batch norm from about a dozen separate operations (moments,
    subtractions, products, their gradients), each a pass over the activations, and under a
    mixed policy it first casts the activations to float32 and back. TensorFlow's
    ``FusedBatchNormV3`` (oneDNN on a CPU) normalises in one pass and differentiates in one,
    reading bfloat16 or float16 directly with float32 statistics. Same constructor, same
    weights, same outputs and gradients up to float rounding, and the same moving statistics:
    Keras averages the biased batch variance, the fused kernel returns the unbiased one, so it
    is scaled back by (n - 1) / n (``tests/test_fast_layers.py`` checks all of it against Keras).
    It saves about a sixth of a ``DCGAN_MNIST_SMALL`` training step on a 2-core CPU
    (``python benchmarks/dcgan.py --levers``; history in ``benchmarks/RESULTS.md``).

    The fused kernel runs where it applies: TensorFlow backend, ``training=True`` on a trainable
    layer, 2-D (batch, features) or 4-D channels-last inputs normalised over the last axis, no
    mask, no renormalisation, not synchronised, ``epsilon`` >= 1.001e-5 (the kernel's floor).
    Anything else, inference included, runs Keras' own code.
    """

    _input_ranks = (2, 3, 4, 5)

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, **kwargs):
        axis = checks.integer("axis", axis)
        momentum = checks.probability("momentum", momentum)
        epsilon = checks.positive("epsilon", epsilon)
        super().__init__(axis=axis, momentum=momentum, epsilon=epsilon, **kwargs)

    def _fused_applies(self, inputs, training, mask) -> bool:
        rank = len(inputs.shape)
        return (
            keras.backend.backend() == "tensorflow"
            and bool(training)
            and self.trainable
            and mask is None
            and rank in (2, 4)
            and self.axis in (-1, rank - 1)
            and not self.renorm
            and not self.synchronized
            and self.epsilon >= 1.001e-5
        )

    def call(self, inputs, training=None, mask=None):
        if not self._fused_applies(inputs, training, mask):
            return super().call(inputs, training=training, mask=mask)
        channels = inputs.shape[-1]
        x = inputs if len(inputs.shape) == 4 else tf.reshape(inputs, (-1, 1, 1, channels))
        gamma = self.gamma if self.scale else tf.ones((channels,), "float32")
        beta = self.beta if self.center else tf.zeros((channels,), "float32")
        y, mean, unbiased_variance = tf.compat.v1.nn.fused_batch_norm(
            x,
            tf.cast(gamma, "float32"),
            tf.cast(beta, "float32"),
            epsilon=self.epsilon,
            is_training=True,
        )  # y in the input's dtype; mean and variance (channels,) float32
        count = tf.cast(tf.size(x) // channels, "float32")  # values per channel
        variance = unbiased_variance * (count - 1.0) / count  # Keras' (biased) batch variance
        self.moving_mean.assign(self.moving_mean * self.momentum + mean * (1.0 - self.momentum))
        self.moving_variance.assign(
            self.moving_variance * self.momentum + variance * (1.0 - self.momentum)
        )
        if len(inputs.shape) == 2:
            y = tf.reshape(y, tf.shape(inputs))
        return tf.cast(y, self.compute_dtype)
