"""Checks for the exercises of ``11_image_translation``: the PatchGAN's patch and the cycle loss."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .grading import Wrong, call, numbers, verdict


def _field(specs) -> int:
    field, jump = 1, 1
    for kernel, stride in specs:
        field += (kernel - 1) * jump
        jump *= stride
    return field


def check_receptive_field(fn: Callable, name: str = "Exercise 1") -> bool:
    """``fn(layer_specs)``: how many input pixels (along one axis) one output of a stack of
    convolutions sees; ``layer_specs`` is a list of ``(kernel, stride)``, input first.

    Called on the paper's 70x70 PatchGAN, the lesson's and three other stacks. Rejects the sum
    of the kernels, the strides ignored, a stride that already counts for its own layer, the
    product of kernels and strides, and the answer off by one.
    """
    return verdict(name, _field_problems, fn)


def _field_problems(fn) -> None:
    stacks = [
        [(4, 2), (4, 2), (4, 2), (4, 1), (4, 1)],  # the paper's 70x70 PatchGAN
        [(4, 2), (4, 1), (4, 1)],  # lesson 11's pix2pix PatchGAN
        [(3, 1), (3, 1), (3, 1)],
        [(7, 1), (3, 2), (3, 2), (3, 1)],
        [(5, 3)],
    ]
    for specs in stacks:
        what = f"my_receptive_field({specs})"
        got = numbers(call(fn, [tuple(s) for s in specs]), what)
        if got.shape not in ((), (1,)):
            raise Wrong(f"{what} should be one number of pixels; got shape {got.shape}.")
        got = float(got.reshape(()))
        right = _field(specs)
        if got == right:
            continue
        own_stride, jump = 1, 1
        for kernel, stride in specs:
            jump *= stride
            own_stride += (kernel - 1) * jump
        wrong = [
            (sum(k for k, _ in specs), "that is the sum of the kernels"),
            (
                1 + sum(k - 1 for k, _ in specs),
                "the strides are ignored: after a stride-2 layer, neighbouring pixels of its "
                "output are 2 input pixels apart, so each later layer widens the view by "
                "(k - 1) times the product of the strides *before* it",
            ),
            (
                own_stride,
                "a layer's own stride does not widen its own view: multiply (k_i - 1) by the "
                "strides of the layers before it only",
            ),
            (
                float(np.prod([k * s for k, s in specs])),
                "kernels and strides are multiplied together; the field grows by addition",
            ),
            (right - 1, "off by one: one output of no layers at all already sees 1 pixel"),
            (right + 1, "off by one: start from 1 pixel, then add (k_i - 1) * jump per layer"),
        ]
        for value, why in wrong:
            if got == value:
                raise Wrong(f"{what} gave {got:g}, expected {right}: {why}.")
        raise Wrong(f"{what} gave {got:g}, expected {right}.")


def check_cycle_loss(fn: Callable, name: str = "Exercise 2") -> bool:
    """``fn(real, g, f)``: the cycle loss of images ``real`` (N, H, W, C) sent through ``g``
    and back through ``f``: ``mean |f(g(real)) - real|``, a float.

    ``g`` and ``f`` are NumPy functions that do not commute, so ``g(f(real))`` gives a
    different figure. Rejects the round trip in the wrong order, one direction only
    (``|g(real) - real|``), squared errors, the sum instead of the mean, and a signed mean
    (errors that cancel).
    """
    return verdict(name, _cycle_problems, fn)


def _cycle_problems(fn) -> None:
    rng = np.random.default_rng(11)
    real = rng.uniform(0, 1, (3, 4, 5, 3))

    def g(x):  # brighten and flip left-right
        return np.clip(x * 1.3 + 0.05, 0, 1)[:, :, ::-1]

    def f(x):  # darken, and not quite undo g
        return x * 0.7

    what = "my_cycle_loss(real, g, f)"
    got = numbers(call(fn, real.copy(), g, f), what)
    if got.shape not in ((), (1,)):
        raise Wrong(f"{what} should be one number (the mean over every pixel); got {got.shape}.")
    got = float(got.reshape(()))
    cycled = f(g(real))
    right = float(np.mean(np.abs(cycled - real)))
    if np.isclose(got, right, rtol=1e-5):
        return
    wrong = [
        (
            np.mean(np.abs(g(f(real)) - real)),
            "that is g(f(real)): the round trip of real goes out through g first, then "
            "back through f",
        ),
        (
            np.mean(np.abs(g(real) - real)),
            "that compares g(real) with real: only half the trip. Send it back with f",
        ),
        (np.mean((cycled - real) ** 2), "squared errors; CycleGAN's cycle loss is L1 (absolute)"),
        (
            np.sum(np.abs(cycled - real)),
            "a sum; take the mean, so the size of the batch and "
            "of the images does not change the loss's scale",
        ),
        (
            np.mean(cycled - real),
            "a signed mean: too-dark and too-bright pixels cancel. Take the absolute value first",
        ),
        (
            np.abs(np.mean(cycled - real)),
            "the absolute value of the mean; take the mean of the "
            "absolute values, so errors cannot cancel",
        ),
    ]
    for value, why in wrong:
        if np.isclose(got, value, rtol=1e-5):
            raise Wrong(f"{what} gave {got:.4f}, expected {right:.4f}: {why}.")
    raise Wrong(f"{what} gave {got:.4f}, expected {right:.4f}: mean |f(g(real)) - real|.")
