"""The bad-input cases of every public entry point, and the rules each error must follow.

Each ``tests/test_errors_<module>.py`` holds ``CASES``: for every public function or class of
that module (by qualified name), a list of :class:`Bad` inputs, one per kind of mistake that
applies (``type``, ``rank``, ``range``, ``value``, ``finite``, ``count``, ``name``, ``compat``,
``path``). ``test_errors_coverage.py`` fails when a public name of the package has neither cases
nor an entry in :data:`EXEMPT` with its reason, so a new function cannot ship without them.

An error is *clear* when it has the expected type, names the argument, and is raised by the
package's own code (not by TensorFlow, Keras or NumPy noticing later).

``python tests/bad_inputs.py`` runs every case, each module in its own process (so a crash
shows as a crash), and prints the table of clear errors, cryptic errors, silent results and
crashes per module.
"""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
import re
import subprocess
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "imgen_helpers"
KINDS = ("type", "rank", "range", "value", "finite", "count", "name", "compat", "path")

# Old module paths that only say where their contents moved (importing them raises).
MOVED_MODULES = ("imgen_helpers.layers", "imgen_helpers.checkpoints")

# Public names that take no input a learner could get wrong, with the reason.
EXEMPT = {
    "imgen_helpers.data.DataIntegrityError": "an exception class",
    "imgen_helpers.vgg.WeightsUnavailableError": "an exception class",
    "imgen_helpers.runtime.RuntimeInfo": "a record that configure() returns",
    "imgen_helpers.runtime.is_quick": "takes no arguments",
    "imgen_helpers.runtime.is_offline": "takes no arguments",
    "imgen_helpers.runtime.in_colab": "takes no arguments",
    "imgen_helpers.vgg.weights_banner": "takes no arguments",
    "imgen_helpers.vgg.show_weights_banner": "takes no arguments",
    "imgen_helpers.runtime.determinism_scope": "takes no arguments",
    "imgen_helpers.runtime.start_tensorflow": "takes no arguments",
    "imgen_helpers.cli.build_parser": "takes no arguments",
    "imgen_helpers.diffusion_mnist.load_pretrained_diffusion": "takes no arguments",
    "imgen_helpers.toy2d.ModeCoverage": "a record that mode_coverage() returns",
    "imgen_helpers.metrics.LabelAgreement": "a record that label_agreement() returns",
    "imgen_helpers.toy2d.ToyRun": "a record that train_toy_gan() returns",
}


@dataclass(frozen=True)
class Bad:
    """One bad input: ``call()`` must raise ``error`` with ``names`` in the message."""

    kind: str
    call: Callable[[], object]
    error: type[BaseException]
    names: str

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}; got {self.kind!r}")

    def outcome(self) -> tuple[str, str]:
        """``("clear" | "cryptic" | "silent", detail)`` for this input."""
        try:
            self.call()
        except BaseException as error:  # noqa: BLE001 - classifying every outcome
            message = str(error)
            origin = _origin(error)
            if not isinstance(error, self.error):
                return (
                    "cryptic",
                    f"{type(error).__name__} (expected {self.error.__name__}): {message}",
                )
            if not _names(self.names, message):
                return "cryptic", f"message does not name {self.names!r}: {message}"
            if origin is None:
                return "cryptic", f"raised outside the package: {message}"
            return "clear", message
        return "silent", "no error"

    def check(self) -> None:
        result, detail = self.outcome()
        assert result == "clear", detail


def _names(name: str, message: str) -> bool:
    """``name`` appears in ``message`` as a whole word ("x" in "x must be", not in "expected")."""
    message = re.sub(r"\x1b\[[0-9;]*m", "", message)  # Keras' bold face around our text
    before = r"(?<!\w)" if name[0].isalnum() or name[0] == "_" else ""
    after = r"(?![\w])" if name[-1].isalnum() or name[-1] == "_" else ""
    return re.search(before + re.escape(name) + after, message) is not None


def _origin(error: BaseException) -> str | None:
    """The package file whose code raised ``error``, or None if the last frame is elsewhere."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return None
    last = Path(frames[-1].filename).resolve()
    return str(last) if PACKAGE_DIR in last.parents else None


def parametrize(cases: dict[str, list[Bad]]):
    """A pytest test running every case of ``cases``, one test id per bad input."""
    params = [
        pytest.param(bad, id=f"{name.rsplit('.', 1)[-1]}-{bad.kind}-{i}")
        for name, bads in cases.items()
        for i, bad in enumerate(bads)
    ]

    @pytest.mark.parametrize("bad", params)
    def test_bad_input_gets_a_clear_error(bad: Bad):
        bad.check()

    return test_bad_input_gets_a_clear_error


EXEMPT_PACKAGES = {
    "imgen_helpers.exercises.": "the exercise checks judge a learner's answer: every input, "
    "however wrong, gets a message and never an exception (tests/test_exercises_*.py feed each "
    "check its solution and the wrong answers learners write)",
}
"""Prefixes of qualified names exempt as a whole, with the reason."""


def exempt(name: str) -> bool:
    """True when ``name`` needs no bad-input cases (listed in EXEMPT or under EXEMPT_PACKAGES)."""
    return name in EXEMPT or any(name.startswith(p) for p in EXEMPT_PACKAGES)


def public_names() -> list[str]:
    """Qualified names of every public function and class the package defines."""
    import imgen_helpers

    names = []
    for info in pkgutil.walk_packages(imgen_helpers.__path__, "imgen_helpers."):
        if info.name.rsplit(".", 1)[-1].startswith("_") or info.name in MOVED_MODULES:
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if name.startswith("_") or not (inspect.isfunction(value) or inspect.isclass(value)):
                continue
            if getattr(value, "__module__", None) == module.__name__:
                names.append(f"{module.__name__}.{name}")
    return sorted(names)


def case_modules() -> list[str]:
    found = Path(__file__).parent.glob("test_errors_*.py")
    return sorted(p.stem for p in found if p.stem != "test_errors_coverage")


def all_cases() -> dict[str, list[Bad]]:
    sys.path.insert(0, str(Path(__file__).parent))
    found: dict[str, list[Bad]] = {}
    for stem in case_modules():
        found.update(importlib.import_module(stem).CASES)
    return found


def _run_module(stem: str) -> None:
    """Child process: print one line per case, ``<outcome>\t<name>\t<kind>``."""
    sys.path.insert(0, str(Path(__file__).parent))
    os.environ.setdefault("IMGEN_QUICK", "1")
    os.environ.setdefault("IMGEN_OFFLINE", "1")
    cases = importlib.import_module(stem).CASES
    for name, bads in cases.items():
        for bad in bads:
            result, _ = bad.outcome()
            print(f"{result}\t{name}\t{bad.kind}", flush=True)


def main() -> None:
    table = {}
    for stem in case_modules():
        run = subprocess.run(
            [sys.executable, __file__, stem], capture_output=True, text=True, check=False
        )
        counts = {"clear": 0, "cryptic": 0, "silent": 0, "crash": 0}
        for line in run.stdout.splitlines():
            outcome = line.split("\t", 1)[0]
            if outcome in counts:
                counts[outcome] += 1
        if run.returncode not in (0, None):
            counts["crash"] += 1
        table[stem.removeprefix("test_errors_")] = counts
    print("| module | inputs | clear | cryptic | silent | crash |")
    print("|---|---|---|---|---|---|")
    total = dict.fromkeys(("inputs", "clear", "cryptic", "silent", "crash"), 0)
    for module, c in table.items():
        n = c["clear"] + c["cryptic"] + c["silent"] + c["crash"]
        print(f"| {module} | {n} | {c['clear']} | {c['cryptic']} | {c['silent']} | {c['crash']} |")
        for key in c:
            total[key] += c[key]
        total["inputs"] += n
    print(
        f"| all | {total['inputs']} | {total['clear']} | {total['cryptic']} | {total['silent']} "
        f"| {total['crash']} |"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1:
        _run_module(sys.argv[1])
    else:
        main()
