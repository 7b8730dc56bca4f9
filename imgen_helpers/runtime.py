"""Run-time set-up for every lesson: quick mode, seeds, device and precision.

Nothing here runs on import. A notebook's first cells call :func:`set_seed` and
:func:`configure` explicitly; every training budget goes through :func:`budget`. These two are
the only functions of the package that change process-wide state for good; a helper that needs
another precision policy or op determinism for a while uses :func:`precision_scope` or
:func:`determinism_scope`, which put back what they found. Taught in ``00_start_here.ipynb``.
"""

from __future__ import annotations

import os
import platform
import random
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import numpy as np

from . import checks

QUICK_ENV = "IMGEN_QUICK"
"""Set to 1 to shrink every training budget so the whole course runs in CI on two CPU cores."""

OFFLINE_ENV = "IMGEN_OFFLINE"
"""Set to 1 to skip every download attempt and use the data shipped with the course."""

PRECISIONS = ("auto", "float32", "mixed_float16", "mixed_bfloat16")

PRECISION_ENV = "IMGEN_PRECISION"
"""Set to ``float32`` (or another policy) to make ``configure()`` use it instead of choosing:
how the course's timings for a laptop without bfloat16 are measured on a CPU that has it."""

T = TypeVar("T")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


def _env_flag(name: str) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{name}={value!r} is not understood: use 1 (on) or 0 (off).")


def is_quick() -> bool:
    """True when quick mode is on (environment variable ``IMGEN_QUICK=1``)."""
    return _env_flag(QUICK_ENV)


def is_offline() -> bool:
    """True when downloads are switched off (environment variable ``IMGEN_OFFLINE=1``)."""
    return _env_flag(OFFLINE_ENV)


def budget(full: T, quick: T) -> T:
    """Pick a training budget: ``full`` for the real lesson, ``quick`` in quick mode.

    Every epoch count, step count, image size and sample count in the notebooks goes
    through this, so the same notebook is both the lesson and the CI smoke run.

    Args:
        full: the value for the real lesson (e.g. 50 epochs).
        quick: the value used when ``IMGEN_QUICK=1`` (e.g. 1 epoch). Must have the
            same type as ``full``.

    Returns:
        ``quick`` in quick mode, otherwise ``full``.
    """
    if type(full) is not type(quick):
        raise TypeError(
            f"budget(full={full!r}, quick={quick!r}): both values must have the same type "
            f"(got {type(full).__name__} and {type(quick).__name__})."
        )
    for name, value in (("full", full), ("quick", quick)):
        if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
            raise ValueError(f"budget {name} must not be negative; got {value}.")
    return quick if is_quick() else full


# Lines TensorFlow's C++ start-up writes to the process's stderr on every ordinary machine.
# They read like failures in a notebook (red, "E0000 ... failed call to cuInit") but say only
# that there is no GPU and how the binary was built. Each pattern with its reason.
STARTUP_NOISE = {
    r"All log messages before absl::InitializeLog\(\) is called": "absl's notice that logging "
    "is not configured yet: TensorFlow never configures it",
    r"oneDNN custom operations are on": "the CPU kernels in use; results may differ in the last "
    "bits from other builds",
    r"cpu_feature_guard.*This TensorFlow binary is optimized": "how the wheel was compiled",
    r"^To enable the following instructions: .* rebuild TensorFlow": "the same notice, 2nd line",
    r"Unable to register (cuDNN|cuFFT|cuBLAS) factory": "Colab's GPU images register CUDA "
    "libraries twice: harmless",
    r"computation placer already registered": "the same double registration",
}
NO_GPU_NOISE = {
    r"Could not find cuda drivers on your machine": "no NVIDIA driver: the CPU is used",
    r"cuda_platform.cc.*failed call to cuInit": "the same, from the CUDA platform",
}
"""Dropped only on a machine without an NVIDIA driver; with one, they say why the GPU is unused."""


def _is_startup_noise(line: str, gpu_driver: bool) -> bool:
    patterns = [*STARTUP_NOISE, *([] if gpu_driver else NO_GPU_NOISE)]
    return any(re.search(pattern, line) for pattern in patterns)


def start_tensorflow():
    """Import TensorFlow and Keras, keeping TensorFlow's start-up log noise out of the notebook.

    TensorFlow's C++ code writes about nine log lines to stderr when it starts (once on import,
    once when it looks for devices), ending in ``E0000 ... failed call to cuInit`` on any machine
    without a GPU. While it starts, file descriptor 2 goes through a pipe: the lines listed with
    their reasons in :data:`STARTUP_NOISE` (and :data:`NO_GPU_NOISE` when there is no NVIDIA
    driver) are dropped, every other line is passed on as it arrives. Environment variables
    cannot do this: the lines come before TensorFlow reads ``TF_CPP_MIN_LOG_LEVEL``. Called by
    :func:`set_seed` and :func:`configure`; calling it again costs a device listing.

    Returns:
        The ``tensorflow`` module.
    """
    gpu_driver = Path("/proc/driver/nvidia/version").exists()
    sys.stderr.flush()
    saved = os.dup(2)
    read_end, write_end = os.pipe()

    def forward() -> None:  # runs until the last write end is closed
        with os.fdopen(read_end, "rb") as lines:
            for line in lines:
                if not _is_startup_noise(line.decode(errors="replace"), gpu_driver):
                    os.write(saved, line)

    reader = threading.Thread(target=forward, daemon=True)
    reader.start()
    os.dup2(write_end, 2)  # the C++ code writes to file descriptor 2, not to sys.stderr
    os.close(write_end)
    try:
        import keras  # noqa: F401 - imported here so its start-up goes through the filter too
        import tensorflow as tf

        tf.config.list_physical_devices()  # the second round of start-up lines
    finally:
        os.dup2(saved, 2)  # closes the pipe's last write end: the reader sees its end
        reader.join(timeout=5)
        os.close(saved)
    return tf


Seed = int | np.integer | np.random.Generator | None
"""What every stochastic helper accepts as ``seed=``: an int, a NumPy Generator, or None."""


def as_rng(seed: Seed) -> np.random.Generator:
    """A NumPy Generator from a ``seed=`` argument (an existing Generator is passed through).

    Args:
        seed: a non-negative int for a repeatable stream, a ``np.random.Generator`` to continue
            one, or None for fresh entropy.
    """
    if isinstance(seed, np.random.Generator) or seed is None:
        return np.random.default_rng(seed)
    return np.random.default_rng(checks.integer("seed", seed, minimum=0))


def set_seed(seed: int, deterministic: bool = False) -> None:
    """Seed Python, NumPy, TensorFlow and Keras so a run can be repeated.

    Args:
        seed: a non-negative integer.
        deterministic: also switch on TensorFlow's op determinism
            (``tf.config.experimental.enable_op_determinism``). Bit-for-bit repeatable
            runs, at some cost in speed; it stays on for the rest of the process.
    """
    seed = checks.integer("seed", seed, minimum=0)
    checks.boolean("deterministic", deterministic)
    tf = start_tensorflow()
    import keras

    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 - the legacy global generator is what old code uses
    keras.utils.set_random_seed(int(seed))  # seeds Python, NumPy and TF again, plus Keras' own
    tf.random.set_seed(int(seed))
    if deterministic:
        tf.config.experimental.enable_op_determinism()


@dataclass(frozen=True)
class RuntimeInfo:
    """What :func:`configure` found and chose."""

    tensorflow: str  # TensorFlow version
    keras: str  # Keras version
    python: str  # Python version
    gpus: tuple[str, ...]  # names of the visible GPUs, empty on CPU
    compute_capability: tuple[int, int] | None  # of the first GPU, None without GPU
    cpu_bf16: bool  # the CPU has AVX512_BF16 or AMX, so bfloat16 matmuls are fast
    colab: bool  # running inside Google Colab
    quick: bool  # quick mode is on
    offline: bool  # downloads are switched off
    precision: str  # the Keras dtype policy now in force
    reason: str  # why that policy was chosen
    extra: dict = field(default_factory=dict)  # anything else worth reporting

    def summary(self) -> str:
        """One line saying what was found and chosen."""
        device = ", ".join(self.gpus) if self.gpus else "CPU only"
        where = "Colab" if self.colab else platform.node() or "local"
        mode = "quick mode" if self.quick else "full budgets"
        net = "offline" if self.offline else "online allowed"
        return (
            f"TF {self.tensorflow} / Keras {self.keras} on {where}: {device}; "
            f"precision {self.precision} ({self.reason}); {mode}; {net}."
        )


def cpu_has_fast_bf16(cpuinfo: str | None = None) -> bool:
    """True if the CPU advertises AVX512_BF16 or AMX (Linux ``/proc/cpuinfo`` flags).

    Args:
        cpuinfo: the text of ``/proc/cpuinfo``; read from the system when None.
    """
    if cpuinfo is not None:
        checks.instance("cpuinfo", cpuinfo, str, "the text of /proc/cpuinfo (a str)")
    if cpuinfo is None:
        path = Path("/proc/cpuinfo")
        if not path.exists():
            return False
        cpuinfo = path.read_text(errors="ignore")
    flags: set[str] = set()
    for line in cpuinfo.splitlines():
        if line.startswith("flags"):
            flags.update(line.split(":", 1)[-1].split())
    return bool(flags & {"avx512_bf16", "amx_bf16", "amx_tile"})


def in_colab() -> bool:
    """True when running inside Google Colab."""
    return "google.colab" in sys.modules or "COLAB_RELEASE_TAG" in os.environ


def choose_precision(compute_capability: tuple[int, int] | None, cpu_bf16: bool) -> tuple[str, str]:
    """The default Keras dtype policy for a machine, and the reason, as a pair of strings.

    ``mixed_float16`` on NVIDIA GPUs with compute capability >= 7.0 (tensor cores),
    ``mixed_bfloat16`` on CPUs with AVX512_BF16 or AMX, ``float32`` otherwise.
    """
    if compute_capability is not None:
        if (
            not isinstance(compute_capability, tuple)
            or len(compute_capability) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in compute_capability)
        ):
            raise TypeError(
                "compute_capability must be a (major, minor) pair of ints such as (7, 5), or "
                f"None for a CPU; got {compute_capability!r}."
            )
    checks.boolean("cpu_bf16", cpu_bf16)
    if compute_capability is not None:
        if compute_capability >= (7, 0):
            cc = ".".join(map(str, compute_capability))
            return "mixed_float16", f"NVIDIA GPU with compute capability {cc} has tensor cores"
        cc = ".".join(map(str, compute_capability))
        return "float32", f"GPU compute capability {cc} < 7.0 gains nothing from float16"
    if cpu_bf16:
        return "mixed_bfloat16", "CPU has AVX512_BF16/AMX, bfloat16 matmuls are faster"
    return "float32", "no tensor cores and no bfloat16 CPU support"


def configure(precision: str = "auto", verbose: bool = True) -> RuntimeInfo:
    """Inspect the machine, set the Keras precision policy, and print one summary line.

    Lists GPUs and turns on memory growth for each (so a notebook does not grab the whole
    GPU), detects Colab, reads quick and offline mode, and chooses a dtype policy.

    Args:
        precision: ``"auto"`` (see :func:`choose_precision`; the environment variable
            ``IMGEN_PRECISION``, when set, takes its place), or one of ``"float32"``,
            ``"mixed_float16"``, ``"mixed_bfloat16"`` to override the choice.
        verbose: print the summary line.

    Returns:
        A :class:`RuntimeInfo` describing the set-up.
    """
    checks.one_of("precision", precision, PRECISIONS)
    checks.boolean("verbose", verbose)
    tf = start_tensorflow()
    import keras

    gpus = tf.config.list_physical_devices("GPU")
    names: list[str] = []
    capability = None
    for gpu in gpus:
        try:
            tf.config.experimental.set_memory_growth(gpu, True)
        except RuntimeError:
            pass  # already initialised: memory growth can only be set before first use
        details = tf.config.experimental.get_device_details(gpu)
        names.append(details.get("device_name", gpu.name))
        if capability is None and details.get("compute_capability"):
            capability = tuple(details["compute_capability"])
    cpu_bf16 = cpu_has_fast_bf16()
    auto_policy, auto_reason = choose_precision(capability, cpu_bf16)
    requested = os.environ.get(PRECISION_ENV, "").strip()
    if precision == "auto" and requested not in ("", "auto"):
        if requested not in PRECISIONS:
            raise ValueError(
                f"{PRECISION_ENV}={requested!r} is not a precision policy: use one of "
                f"{', '.join(PRECISIONS)}, or unset it."
            )
        policy, reason = requested, f"set by {PRECISION_ENV}; auto would pick {auto_policy}"
    elif precision == "auto":
        policy, reason = auto_policy, auto_reason
    else:
        policy, reason = precision, f"set by the caller; auto would pick {auto_policy}"
    keras.mixed_precision.set_global_policy(policy)
    info = RuntimeInfo(
        tensorflow=tf.__version__,
        keras=keras.__version__,
        python=platform.python_version(),
        gpus=tuple(names),
        compute_capability=capability,
        cpu_bf16=cpu_bf16,
        colab=in_colab(),
        quick=is_quick(),
        offline=is_offline(),
        precision=keras.mixed_precision.global_policy().name,
        reason=reason,
    )
    if verbose:
        print(info.summary())
    return info


@contextmanager
def precision_scope(policy: str) -> Iterator[None]:
    """Run a block under the Keras dtype policy ``policy``, then restore the one in force.

    Args:
        policy: ``"float32"``, ``"mixed_float16"`` or ``"mixed_bfloat16"``.

    Example: ``with precision_scope("float32"): model = build_classifier()``.
    """
    checks.one_of("policy", policy, PRECISIONS[1:])
    import keras

    before = keras.mixed_precision.global_policy()
    keras.mixed_precision.set_global_policy(policy)
    try:
        yield
    finally:
        keras.mixed_precision.set_global_policy(before)


@contextmanager
def determinism_scope() -> Iterator[None]:
    """Run a block with TensorFlow's op determinism on, then restore the setting found.

    Bit-for-bit repeatable kernels for the block (at some cost in speed), without leaving them
    on for the rest of the learner's session as ``set_seed(..., deterministic=True)`` does.
    """
    from tensorflow.python.framework import config as tf_config

    before = tf_config.is_op_determinism_enabled()
    tf_config.enable_op_determinism()
    try:
        yield
    finally:
        if not before:
            tf_config.disable_op_determinism()
