"""Test-suite set-up: quick mode and offline data for everything, including notebooks.

The variables are set here, at import, so the Jupyter kernels that nbval starts for the
notebooks inherit them too. An explicit value in the environment wins.
"""

import os

os.environ.setdefault("IMGEN_QUICK", "1")
os.environ.setdefault("IMGEN_OFFLINE", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _float32_policy_and_closed_figures():
    """Each test starts in float32 and leaves no open figures, whatever the last one set."""
    yield
    import sys

    if "keras" in sys.modules:
        import keras

        keras.mixed_precision.set_global_policy("float32")
    if "matplotlib.pyplot" in sys.modules:
        import matplotlib.pyplot as plt

        plt.close("all")


@pytest.fixture(scope="module")
def extractor():
    """A shallow VGG19 extractor with seeded random weights (no download), for style tests."""
    from imgen_helpers import style_transfer as st

    shallow = {
        "style_layers": ("block1_conv1", "block2_conv1"),
        "content_layers": ("block2_conv2",),
    }
    return st.build_extractor(**shallow, allow_random_weights=True, seed=0)
