"""Lesson 11's exercise checks accept the solution and reject the wrong answers learners write."""

import numpy as np
import pytest
from notebook_cells import solution_namespace

from imgen_helpers.exercises import lesson11 as ex
from imgen_helpers.pix2pix import receptive_field


def _field(specs):
    field, jump = 1, 1
    for kernel, stride in specs:
        field += (kernel - 1) * jump
        jump *= stride
    return field


def _own_stride(specs):
    field, jump = 1, 1
    for kernel, stride in specs:
        jump *= stride
        field += (kernel - 1) * jump
    return field


def _cycle(real, g, f):
    return np.mean(np.abs(f(g(real)) - real))


def test_the_solutions_pass(capsys):
    assert ex.check_receptive_field(_field)
    assert ex.check_receptive_field(receptive_field)  # the package's own
    assert ex.check_cycle_loss(_cycle)
    assert capsys.readouterr().out.count("correct!") == 3


def test_the_notebooks_own_solutions_pass():
    found = solution_namespace("11_image_translation", {"np": np})
    assert ex.check_receptive_field(found["my_receptive_field"])
    assert ex.check_cycle_loss(found["my_cycle_loss"])


@pytest.mark.parametrize(
    "wrong, says",
    [
        (lambda specs: sum(k for k, _ in specs), "sum of the kernels"),
        (lambda specs: 1 + sum(k - 1 for k, _ in specs), "strides are ignored"),
        (_own_stride, "own stride"),
        (lambda specs: float(np.prod([k * s for k, s in specs])), "multiplied"),
        (lambda specs: _field(specs) - 1, "off by one"),
        (lambda specs: _field(specs) + 1, "off by one"),
        (lambda specs: [_field(specs)] * 2, "one number"),
        (lambda specs: 70, "expected"),  # the paper's figure, whatever the layers
    ],
)
def test_wrong_receptive_fields_are_rejected_with_the_reason(wrong, says, capsys):
    assert not ex.check_receptive_field(wrong)
    assert says in capsys.readouterr().out


@pytest.mark.parametrize(
    "wrong, says",
    [
        (lambda real, g, f: np.mean(np.abs(g(f(real)) - real)), "g(f(real))"),
        (lambda real, g, f: np.mean(np.abs(g(real) - real)), "half the trip"),
        (lambda real, g, f: np.mean((f(g(real)) - real) ** 2), "squared"),
        (lambda real, g, f: np.sum(np.abs(f(g(real)) - real)), "a sum"),
        (lambda real, g, f: np.mean(f(g(real)) - real), "signed mean"),
        (lambda real, g, f: np.abs(np.mean(f(g(real)) - real)), "absolute value of the mean"),
        (lambda real, g, f: np.abs(f(g(real)) - real), "one number"),
        (lambda real, g, f: np.mean(np.abs(f(real) - real)), "expected"),
    ],
)
def test_wrong_cycle_losses_are_rejected_with_the_reason(wrong, says, capsys):
    assert not ex.check_cycle_loss(wrong)
    assert says in capsys.readouterr().out
