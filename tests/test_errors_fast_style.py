"""Bad inputs for imgen_helpers.fast.style: each must get a clear error naming the argument."""

import functools

import numpy as np
from bad_inputs import Bad, parametrize

from imgen_helpers import style_transfer as st
from imgen_helpers.fast import style as fast_style

IMAGE = np.full((16, 16, 3), 0.5, np.float32)
BATCH = IMAGE[None]


@functools.cache
def _loss() -> st.StyleContentLoss:
    """A loss on one VGG19 style layer with random weights: cheap, offline, built once."""
    extractor = st.build_extractor(
        style_layers=("block1_conv1",), content_layers=(), allow_random_weights=True
    )
    return st.StyleContentLoss(extractor, IMAGE)


CASES = {
    "imgen_helpers.fast.style.float32_extractor": [
        Bad("type", lambda: fast_style.float32_extractor("vgg19"), TypeError, "extractor"),
        Bad("type", lambda: fast_style.float32_extractor(None), TypeError, "extractor"),
    ],
    "imgen_helpers.fast.style.value_and_grad_fn": [
        Bad(
            "type", lambda: fast_style.value_and_grad_fn(lambda image: image), TypeError, "loss_fn"
        ),
        Bad(
            "type",
            lambda: fast_style.value_and_grad_fn(_loss(), jit_compile="no"),
            TypeError,
            "jit_compile",
        ),
        # calling the function it returns
        Bad("type", lambda: fast_style.value_and_grad_fn(_loss())("cat.png"), TypeError, "image"),
        Bad("rank", lambda: fast_style.value_and_grad_fn(_loss())(IMAGE), ValueError, "image"),
        Bad(
            "count",
            lambda: fast_style.value_and_grad_fn(_loss())(np.stack([IMAGE] * 2)),
            ValueError,
            "image",
        ),
        Bad(
            "range", lambda: fast_style.value_and_grad_fn(_loss())(BATCH * 255), ValueError, "image"
        ),
        Bad(
            "finite",
            lambda: fast_style.value_and_grad_fn(_loss())(BATCH * np.nan),
            ValueError,
            "image",
        ),
        Bad(
            "value",
            lambda: fast_style.value_and_grad_fn(_loss())(BATCH[..., :1]),
            ValueError,
            "image",
        ),
    ],
}

test_bad_inputs = parametrize(CASES)
