"""What every exercise check shares: call the learner's function, read its numbers, give a verdict.

A check is written as a function that raises :class:`Wrong` with a learner's explanation at the
first problem it finds, and is run through :func:`verdict`, which prints the one-line result::

    def check_kl(fn, name="Exercise 1"):
        return verdict(name, _kl_problems, fn)

    def _kl_problems(fn):
        kl = numbers(call(fn, mean, log_var), "my_kl(mean, log_var)", shape=(5,))
        if np.any(kl < 0):
            raise Wrong("your KL is negative: ...")
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

UNANSWERED = (
    "not answered yet: replace `raise NotImplementedError()` with your code, run that cell, "
    "then this one."
)


class Wrong(Exception):
    """What is wrong with a learner's answer, in words a learner understands."""


class Unanswered(Exception):
    """The learner has not written this answer yet (the student edition's stub still raises)."""


def call(fn: Callable, *args, **kwargs):
    """``fn(*args, **kwargs)``, turning the learner's own errors into a :class:`Wrong`.

    ``raise NotImplementedError()`` (the student edition's placeholder) and ``None`` given in
    place of a function mean *not answered yet*; a function that returns ``None`` forgot its
    ``return``.
    """
    if fn is None:
        raise Unanswered
    if not callable(fn):
        raise Wrong(f"expected a function (def ...), got {type(fn).__name__}.")
    try:
        result = fn(*args, **kwargs)
    except NotImplementedError:
        raise Unanswered from None
    except Exception as error:  # noqa: BLE001 - a learner's code may raise anything
        raise Wrong(f"your function raised {type(error).__name__}: {error}") from None
    if result is None:
        raise Wrong("your function returned None: did you forget `return`?")
    return result


def numbers(value, what: str, shape: tuple | None = None) -> np.ndarray:
    """``value`` as a float64 NumPy array (tensors too), or :class:`Wrong` saying why not."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise Wrong(f"{what} should be numbers, got {type(value).__name__}.") from None
    if shape is not None and array.shape != tuple(shape):
        raise Wrong(f"{what} should have shape {tuple(shape)}, got {array.shape}.")
    if not np.all(np.isfinite(array)):
        raise Wrong(f"{what} contains NaN or infinity.")
    return array


def all_finite(value) -> bool:
    """False only when ``value`` reads as numbers and some are NaN or infinite.

    For a check that wants to name the cause of a NaN before :func:`numbers` refuses it; a value
    that is not numbers at all counts as finite here, and :func:`numbers` then says what it is.
    """
    try:
        return bool(np.all(np.isfinite(np.asarray(value, dtype=np.float64))))
    except (TypeError, ValueError):
        return True


def verdict(name: str, find_problem: Callable, *args) -> bool:
    """Run ``find_problem(*args)``; print "correct!", "not answered yet" or "not quite: ...".

    Returns True only when ``find_problem`` found nothing wrong.
    """
    try:
        find_problem(*args)
    except Unanswered:
        print(f"{name}: {UNANSWERED}")
        return False
    except Wrong as problem:
        print(f"{name}: not quite: {problem}")
        return False
    print(f"{name}: correct!")
    return True


__all__ = ["UNANSWERED", "Unanswered", "Wrong", "all_finite", "call", "numbers", "verdict"]
