"""Every exercise check of every lesson says "not answered yet" to the student edition's stub."""

import importlib
import inspect
import pkgutil

import pytest

import imgen_helpers.exercises as exercises

CHECKS = [
    pytest.param(check, id=f"{info.name}.{name}")
    for info in pkgutil.iter_modules(exercises.__path__)
    if info.name.startswith("lesson")
    for name, check in inspect.getmembers(
        importlib.import_module(f"imgen_helpers.exercises.{info.name}"), inspect.isfunction
    )
    if name.startswith("check_")
]


def _stub(*args, **kwargs):
    raise NotImplementedError  # what nbgrader's ClearSolutions leaves in the learner's function


def test_every_lesson_module_has_checks():
    assert len(CHECKS) >= 16  # two or more for each of lessons 01 to 08


@pytest.mark.parametrize("check", CHECKS)
def test_an_unanswered_exercise_says_so(check, capsys):
    assert not check(_stub)
    assert not check(None)
    assert capsys.readouterr().out.count("not answered yet") == 2
