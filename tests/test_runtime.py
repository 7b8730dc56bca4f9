import os
import subprocess
import sys

import keras
import numpy as np
import pytest

from imgen_helpers import runtime


def test_budget_follows_quick_switch(monkeypatch):
    monkeypatch.setenv("IMGEN_QUICK", "1")
    assert runtime.budget(full=50, quick=1) == 1
    monkeypatch.setenv("IMGEN_QUICK", "0")
    assert runtime.budget(full=50, quick=1) == 50
    monkeypatch.delenv("IMGEN_QUICK")
    assert runtime.budget(full=(64, 64), quick=(16, 16)) == (64, 64)


def test_budget_rejects_mixed_types_and_bad_switch(monkeypatch):
    with pytest.raises(TypeError, match="same type"):
        runtime.budget(full=50, quick=0.5)
    monkeypatch.setenv("IMGEN_QUICK", "maybe")
    with pytest.raises(ValueError, match="IMGEN_QUICK"):
        runtime.is_quick()


def test_set_seed_repeats_numpy_and_tensorflow():
    import tensorflow as tf

    def draw():
        legacy = np.random.rand(3)  # noqa: NPY002 - the global generator set_seed must seed
        return legacy, tf.random.uniform((3,)).numpy()

    runtime.set_seed(123)
    first = draw()
    runtime.set_seed(123)
    second = draw()
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])
    runtime.set_seed(124)
    assert not np.array_equal(first[0], draw()[0])


@pytest.mark.parametrize("bad", [-1, 1.5, "7", True])
def test_set_seed_rejects_bad_seeds(bad):
    with pytest.raises((TypeError, ValueError), match="seed"):
        runtime.set_seed(bad)


@pytest.mark.parametrize(
    ("capability", "bf16", "expected"),
    [
        ((8, 0), False, "mixed_float16"),
        ((7, 0), True, "mixed_float16"),
        ((6, 1), True, "float32"),
        (None, True, "mixed_bfloat16"),
        (None, False, "float32"),
    ],
)
def test_choose_precision(capability, bf16, expected):
    policy, reason = runtime.choose_precision(capability, bf16)
    assert policy == expected
    assert reason


def test_cpu_flag_detection():
    assert runtime.cpu_has_fast_bf16("flags\t: fpu avx512f avx512_bf16\n")
    assert runtime.cpu_has_fast_bf16("flags\t: fpu amx_tile amx_bf16\n")
    assert not runtime.cpu_has_fast_bf16("flags\t: fpu avx2 avx512f\n")


def test_configure_sets_policy_and_reports(capsys):
    import keras

    info = runtime.configure(precision="float32")
    assert keras.mixed_precision.global_policy().name == "float32"
    assert info.precision == "float32"
    line = capsys.readouterr().out.strip()
    assert line.count("\n") == 0 and "float32" in line and info.tensorflow in line
    info = runtime.configure()  # auto
    assert info.precision == runtime.choose_precision(info.compute_capability, info.cpu_bf16)[0]
    assert keras.mixed_precision.global_policy().name == info.precision


def test_imgen_precision_replaces_auto_but_not_an_explicit_choice(monkeypatch):
    import keras

    monkeypatch.setenv("IMGEN_PRECISION", "float32")
    info = runtime.configure(verbose=False)
    assert info.precision == "float32" and "IMGEN_PRECISION" in info.reason
    info = runtime.configure("mixed_bfloat16", verbose=False)  # the caller's choice wins
    assert info.precision == "mixed_bfloat16"
    monkeypatch.setenv("IMGEN_PRECISION", "fp8")
    with pytest.raises(ValueError, match="IMGEN_PRECISION='fp8'"):
        runtime.configure(verbose=False)
    monkeypatch.delenv("IMGEN_PRECISION")
    keras.mixed_precision.set_global_policy("float32")


def test_configure_rejects_unknown_precision():
    with pytest.raises(ValueError, match="precision must be one of"):
        runtime.configure(precision="fp8")


def test_import_has_no_side_effects():
    import subprocess
    import sys

    code = (
        "import sys, imgen_helpers, imgen_helpers.data, imgen_helpers.noise, "
        "imgen_helpers.images, imgen_helpers.plotting;"
        "print('tensorflow' in sys.modules, 'matplotlib.pyplot' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_precision_scope_restores_the_policy_it_found():
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    with runtime.precision_scope("float32"):
        assert keras.mixed_precision.global_policy().name == "float32"
    assert keras.mixed_precision.global_policy().name == "mixed_bfloat16"
    with pytest.raises(RuntimeError), runtime.precision_scope("float32"):
        raise RuntimeError("an error inside the block")
    assert keras.mixed_precision.global_policy().name == "mixed_bfloat16"
    with pytest.raises(ValueError, match="policy must be one of"):
        with runtime.precision_scope("float64"):
            pass


def test_determinism_scope_restores_the_setting_it_found():
    from tensorflow.python.framework import config as tf_config

    before = tf_config.is_op_determinism_enabled()
    with runtime.determinism_scope():
        assert tf_config.is_op_determinism_enabled()
    assert tf_config.is_op_determinism_enabled() == before


def test_fit_is_keras_fit():
    assert not hasattr(runtime, "SteadyFit")


@pytest.mark.parametrize(
    "line, gpu_driver, noise",
    [
        (
            "WARNING: All log messages before absl::InitializeLog() is called are written to "
            "STDERR",
            False,
            True,
        ),
        (
            "I0000 00:00:17.5 123 port.cc:153] oneDNN custom operations are on. You may see",
            False,
            True,
        ),
        (
            "E0000 00:00:17.2 123 cuda_platform.cc:52] failed call to cuInit: INTERNAL: CUDA error",
            False,
            True,
        ),
        # with an NVIDIA driver present, a failing cuInit is a real problem: shown
        (
            "E0000 00:00:17.2 123 cuda_platform.cc:52] failed call to cuInit: INTERNAL: CUDA error",
            True,
            False,
        ),
        ("E0000 00:00:17.2 123 op_kernel.cc:1840] OP_REQUIRES failed: out of memory", False, False),
        ("Traceback (most recent call last):", False, False),
    ],
)
def test_only_known_start_up_lines_are_dropped(line, gpu_driver, noise):
    assert runtime._is_startup_noise(line, gpu_driver) is noise


def test_a_real_error_during_start_up_is_passed_on_even_when_the_import_fails():
    code = (
        "import os, sys\n"
        "class Loud:\n"  # a stand-in for TensorFlow that writes a real error, then fails
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'tensorflow':\n"
        "            os.write(2, b'E0000 real_failure.cc:1] something is broken\\n')\n"
        "            raise ImportError('broken')\n"
        "sys.meta_path.insert(0, Loud())\n"
        "from imgen_helpers.runtime import start_tensorflow\n"
        "try:\n"
        "    start_tensorflow()\n"
        "except ImportError:\n"
        "    os.write(2, b'after\\n')\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stderr.splitlines() == ["E0000 real_failure.cc:1] something is broken", "after"]


def test_tensorflow_start_up_is_quiet_and_stderr_works_afterwards():
    code = (
        "import sys\n"
        "from imgen_helpers.runtime import start_tensorflow\n"
        "start_tensorflow()\n"
        "start_tensorflow()\n"  # again, as configure() after set_seed() does
        "import os; os.write(2, b'still here\\n')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert run.stderr == "still here\n", run.stderr
