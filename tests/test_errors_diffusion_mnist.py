"""Bad inputs for imgen_helpers.diffusion_mnist: each must get a clear error naming the argument."""

import math
import tempfile
from pathlib import Path

from bad_inputs import Bad, parametrize

from imgen_helpers import diffusion_mnist as dmn
from imgen_helpers.data import shipped_path
from imgen_helpers.diffusion import Diffusion, UNetConfig, build_mlp_denoiser

Recipe = dmn.DiffusionRecipe
TINY = UNetConfig(widths=(8, 16), attention=False, num_classes=10, time_dim=16, groups=4)
UNCONDITIONAL = UNetConfig(widths=(8, 16), attention=False, time_dim=16, groups=4)
FOLDER = Path(tempfile.mkdtemp())
OTHER_MODEL = shipped_path("weights/mnist_classifier.weights.h5")


def _model(config=TINY):
    return dmn.make_mnist_diffusion(config, seed=0)


def _a_file() -> Path:
    path = FOLDER / "a_file.txt"
    path.write_text("not a folder")
    return path


def _not_hdf5() -> Path:
    path = FOLDER / "text.float16.h5"
    path.write_text("not an HDF5 file")
    return path


def _train(**kwargs):
    return dmn.train_mnist_diffusion(**{"config": TINY, "out": None, "verbose": 0, **kwargs})


CASES = {
    "imgen_helpers.diffusion_mnist.DiffusionRecipe": [
        Bad("name", lambda: Recipe(objective="score"), ValueError, "objective"),
        Bad("range", lambda: Recipe(learning_rate=0.0), ValueError, "learning_rate"),
        Bad("type", lambda: Recipe(learning_rate="1e-3"), TypeError, "learning_rate"),
        Bad("count", lambda: Recipe(batch_size=0), ValueError, "batch_size"),
        Bad("range", lambda: Recipe(ema=1.0), ValueError, "ema"),
        Bad("finite", lambda: Recipe(ema=math.nan), ValueError, "ema"),
        Bad("range", lambda: Recipe(label_dropout=1.0), ValueError, "label_dropout"),
        Bad("range", lambda: Recipe(guidance=-1.0), ValueError, "guidance"),
        Bad("count", lambda: Recipe(sampling_steps=0), ValueError, "sampling_steps"),
    ],
    "imgen_helpers.diffusion_mnist.make_mnist_diffusion": [
        Bad("type", lambda: dmn.make_mnist_diffusion("small"), TypeError, "config"),
        Bad("type", lambda: dmn.make_mnist_diffusion(TINY, {"ema": 0.9}), TypeError, "recipe"),
        Bad(
            "value",
            lambda: dmn.make_mnist_diffusion(UNetConfig(image_shape=(32, 32, 3))),
            ValueError,
            "config",
        ),
        Bad("value", lambda: dmn.make_mnist_diffusion(TINY, seed=-1), ValueError, "seed"),
    ],
    "imgen_helpers.diffusion_mnist.train_mnist_diffusion": [
        Bad("range", lambda: _train(minutes=0), ValueError, "minutes"),
        Bad("count", lambda: _train(epochs=0), ValueError, "epochs"),
        Bad("path", lambda: _train(out=_a_file()), ValueError, "out"),
        Bad("name", lambda: _train(split="validation"), ValueError, "split"),
        Bad("name", lambda: _train(source="web"), ValueError, "source"),
        Bad("value", lambda: _train(seed=-3), ValueError, "seed"),
        Bad("name", lambda: _train(verbose=3), ValueError, "verbose"),
        Bad("type", lambda: _train(callbacks="TimeLimit"), TypeError, "callbacks"),
        Bad("type", lambda: _train(config=None), TypeError, "config"),
    ],
    "imgen_helpers.diffusion_mnist.save_network": [
        Bad("type", lambda: dmn.save_network("model", FOLDER / "n.float16.h5"), TypeError, "model"),
        Bad("path", lambda: dmn.save_network(_model(), FOLDER / "n.h5"), ValueError, "path"),
        Bad(
            "value",
            lambda: dmn.save_network(Diffusion(build_mlp_denoiser()), FOLDER / "n.float16.h5"),
            ValueError,
            "build_unet",
        ),
    ],
    "imgen_helpers.diffusion_mnist.load_network": [
        Bad(
            "path", lambda: dmn.load_network(FOLDER / "none.float16.h5"), FileNotFoundError, "path"
        ),
        Bad("path", lambda: dmn.load_network(OTHER_MODEL), ValueError, "path"),
        Bad("compat", lambda: dmn.load_network(_not_hdf5()), ValueError, "path"),
        Bad(
            "compat",
            lambda: dmn.load_network(shipped_path(dmn.SHIPPED_WEIGHTS), TINY),
            ValueError,
            "path",
        ),
        Bad("type", lambda: dmn.load_network(OTHER_MODEL, "tiny"), TypeError, "config"),
        Bad(
            "compat",
            lambda: dmn.load_network(
                shipped_path(dmn.SHIPPED_WEIGHTS), recipe=Recipe(objective="noise")
            ),
            ValueError,
            "path",
        ),
        Bad("type", lambda: dmn.load_network(OTHER_MODEL, TINY, "noise"), TypeError, "recipe"),
    ],
    "imgen_helpers.diffusion_mnist.sample_digits": [
        Bad("type", lambda: dmn.sample_digits("model", [1]), TypeError, "model"),
        Bad("value", lambda: dmn.sample_digits(_model(), [1, 10]), ValueError, "labels"),
        Bad("value", lambda: dmn.sample_digits(_model(), [1.5]), ValueError, "labels"),
        Bad("count", lambda: dmn.sample_digits(_model(), 0), ValueError, "labels"),
        Bad("rank", lambda: dmn.sample_digits(_model(), [[1, 2]]), ValueError, "labels"),
        Bad("count", lambda: dmn.sample_digits(_model(), [1], steps=0), ValueError, "steps"),
        Bad("name", lambda: dmn.sample_digits(_model(), [1], sampler="dpm"), ValueError, "sampler"),
        Bad(
            "value", lambda: dmn.sample_digits(_model(), [1], sampler="ddim"), ValueError, "sampler"
        ),
        Bad("range", lambda: dmn.sample_digits(_model(), [1], guidance=-1), ValueError, "guidance"),
        Bad("value", lambda: dmn.sample_digits(_model(), [1], seed=-1), ValueError, "seed"),
        Bad(
            "value",
            lambda: dmn.sample_digits(_model(UNCONDITIONAL), [1, 2]),
            ValueError,
            "labels",
        ),
    ],
}

test_bad_inputs = parametrize(CASES)
