"""Bad inputs for imgen_helpers.toy2d: each must get a clear error naming the argument."""

import functools
import math

import numpy as np
from bad_inputs import Bad, parametrize

from imgen_helpers import toy2d

RING = toy2d.ring_mixture()
POINTS = RING.sample(64, seed=0)
NAN_POINTS = np.where(np.arange(64)[:, None] == 3, np.nan, POINTS)
CONFIG = toy2d.ToyConfig(latent_dim=8, width=8, depth=1, scale=RING.scale)
Config = toy2d.ToyConfig


@functools.cache
def _tiny_gan():
    return toy2d.make_toy_gan(config=CONFIG, reseed=False)


def _history_on(latents):
    """Start a CoverageHistory on the tiny GAN, as fit() does before the first step."""
    history = toy2d.CoverageHistory(RING, latents)
    history.set_model(_tiny_gan())
    history.on_train_begin()


def _train(**kwargs):
    settings = {"mixture": RING, "steps": 2, "config": CONFIG, "batch_size": 16, "reseed": False}
    return toy2d.train_toy_gan(**{**settings, **kwargs})


CASES = {
    "imgen_helpers.toy2d.Mixture": [
        Bad("type", lambda: toy2d.Mixture(3, RING.centers, 0.1), TypeError, "name"),
        Bad("type", lambda: toy2d.Mixture("ring", "centres", 0.1), TypeError, "centers"),
        Bad("rank", lambda: toy2d.Mixture("ring", np.zeros(4), 0.1), ValueError, "centers"),
        Bad("rank", lambda: toy2d.Mixture("ring", np.zeros((3, 3)), 0.1), ValueError, "centers"),
        Bad("finite", lambda: toy2d.Mixture("ring", NAN_POINTS, 0.1), ValueError, "centers"),
        Bad("range", lambda: toy2d.Mixture("ring", RING.centers, 0.0), ValueError, "std"),
        Bad("finite", lambda: toy2d.Mixture("ring", RING.centers, math.nan), ValueError, "std"),
        Bad("type", lambda: toy2d.Mixture("ring", RING.centers, "0.1"), TypeError, "std"),
        Bad("count", lambda: RING.sample(0), ValueError, "n"),
        Bad("count", lambda: RING.sample(-5), ValueError, "n"),
        Bad("type", lambda: RING.sample("100"), TypeError, "n"),
        Bad("value", lambda: RING.sample(10, seed=-1), ValueError, "seed"),
        Bad("type", lambda: RING.sample(10, seed="a"), TypeError, "seed"),
        Bad("type", lambda: RING.sample(10, return_modes="yes"), TypeError, "return_modes"),
        Bad("count", lambda: RING.dataset(0), ValueError, "batch_size"),
        Bad("type", lambda: RING.dataset("64"), TypeError, "batch_size"),
        Bad("count", lambda: RING.dataset(64, n_samples=-5), ValueError, "n_samples"),
        Bad("compat", lambda: RING.dataset(200, n_samples=100), ValueError, "batch_size"),
        Bad("value", lambda: RING.dataset(10, n_samples=100, seed=-1), ValueError, "seed"),
    ],
    "imgen_helpers.toy2d.ring_mixture": [
        Bad("count", lambda: toy2d.ring_mixture(0), ValueError, "n_modes"),
        Bad("type", lambda: toy2d.ring_mixture("8"), TypeError, "n_modes"),
        Bad("type", lambda: toy2d.ring_mixture(2.5), TypeError, "n_modes"),
        Bad("range", lambda: toy2d.ring_mixture(radius=-2), ValueError, "radius"),
        Bad("finite", lambda: toy2d.ring_mixture(radius=math.nan), ValueError, "radius"),
        Bad("range", lambda: toy2d.ring_mixture(std=0.0), ValueError, "std"),
    ],
    "imgen_helpers.toy2d.grid_mixture": [
        Bad("count", lambda: toy2d.grid_mixture(0), ValueError, "side"),
        Bad("type", lambda: toy2d.grid_mixture("5"), TypeError, "side"),
        Bad("range", lambda: toy2d.grid_mixture(spacing=0), ValueError, "spacing"),
        Bad("finite", lambda: toy2d.grid_mixture(spacing=math.inf), ValueError, "spacing"),
        Bad("range", lambda: toy2d.grid_mixture(std=-1), ValueError, "std"),
    ],
    "imgen_helpers.toy2d.mode_coverage": [
        Bad(
            "type", lambda: toy2d.mode_coverage("points", RING.centers, 0.02), TypeError, "samples"
        ),
        Bad(
            "rank",
            lambda: toy2d.mode_coverage(POINTS[0], RING.centers, 0.02),
            ValueError,
            "samples",
        ),
        Bad(
            "rank",
            lambda: toy2d.mode_coverage(np.zeros((9, 3)), RING.centers, 0.02),
            ValueError,
            "samples",
        ),
        Bad(
            "finite",
            lambda: toy2d.mode_coverage(NAN_POINTS, RING.centers, 0.02),
            ValueError,
            "samples",
        ),
        Bad(
            "rank",
            lambda: toy2d.mode_coverage(POINTS, np.zeros((8, 3)), 0.02),
            ValueError,
            "centers",
        ),
        Bad("range", lambda: toy2d.mode_coverage(POINTS, RING.centers, -1.0), ValueError, "std"),
        Bad("type", lambda: toy2d.mode_coverage(POINTS, RING.centers, "0.02"), TypeError, "std"),
        Bad(
            "range",
            lambda: toy2d.mode_coverage(POINTS, RING.centers, 0.02, 0),
            ValueError,
            "threshold",
        ),
        Bad(
            "range",
            lambda: toy2d.mode_coverage(POINTS, RING.centers, 0.02, min_fraction=-0.1),
            ValueError,
            "min_fraction",
        ),
        Bad(
            "finite",
            lambda: toy2d.mode_coverage(POINTS, RING.centers, 0.02, min_fraction=math.nan),
            ValueError,
            "min_fraction",
        ),
    ],
    "imgen_helpers.toy2d.ToyConfig": [
        Bad("count", lambda: Config(latent_dim=0), ValueError, "latent_dim"),
        Bad("type", lambda: Config(width="64"), TypeError, "width"),
        Bad("count", lambda: Config(depth=-1), ValueError, "depth"),
        Bad("range", lambda: Config(leak=1.5), ValueError, "leak"),
        Bad("range", lambda: Config(scale=0), ValueError, "scale"),
        Bad("finite", lambda: Config(scale=math.nan), ValueError, "scale"),
        Bad("range", lambda: Config(bias_std=-1), ValueError, "bias_std"),
        Bad("value", lambda: Config(seed=-1), ValueError, "seed"),
    ],
    "imgen_helpers.toy2d.build_toy_generator": [
        Bad("type", lambda: toy2d.build_toy_generator({"width": 8}), TypeError, "config"),
    ],
    "imgen_helpers.toy2d.build_toy_critic": [
        Bad("type", lambda: toy2d.build_toy_critic("small"), TypeError, "config"),
    ],
    "imgen_helpers.toy2d.make_toy_gan": [
        Bad("name", lambda: toy2d.make_toy_gan("wgangp"), ValueError, "loss"),
        Bad("type", lambda: toy2d.make_toy_gan(config={"width": 8}), TypeError, "config"),
        Bad("range", lambda: toy2d.make_toy_gan(learning_rate=-1), ValueError, "learning_rate"),
        Bad("type", lambda: toy2d.make_toy_gan(learning_rate="1e-3"), TypeError, "learning_rate"),
        Bad(
            "finite",
            lambda: toy2d.make_toy_gan(learning_rate=math.nan),
            ValueError,
            "learning_rate",
        ),
        Bad("value", lambda: toy2d.make_toy_gan(seed=-1), ValueError, "seed"),
        Bad("count", lambda: toy2d.make_toy_gan(decay_steps=0), ValueError, "decay_steps"),
        Bad("type", lambda: toy2d.make_toy_gan(reseed="yes"), TypeError, "reseed"),
    ],
    "imgen_helpers.toy2d.train_toy_gan": [
        Bad("type", lambda: _train(mixture=POINTS), TypeError, "mixture"),
        Bad("name", lambda: _train(loss="gan"), ValueError, "loss"),
        Bad("count", lambda: _train(steps=-5), ValueError, "steps"),
        Bad("type", lambda: _train(steps="100"), TypeError, "steps"),
        Bad("type", lambda: _train(config={"width": 8}), TypeError, "config"),
        Bad("count", lambda: _train(batch_size=0), ValueError, "batch_size"),
        Bad("count", lambda: _train(snapshots=-1), ValueError, "snapshots"),
        Bad("compat", lambda: _train(snapshots=5), ValueError, "snapshots"),
        Bad("finite", lambda: _train(learning_rate=math.nan), ValueError, "learning_rate"),
        Bad("type", lambda: _train(decay="yes"), TypeError, "decay"),
        Bad("value", lambda: _train(verbose=5), ValueError, "verbose"),
    ],
    "imgen_helpers.toy2d.CoverageHistory": [
        Bad("type", lambda: toy2d.CoverageHistory(POINTS, POINTS), TypeError, "mixture"),
        Bad("rank", lambda: toy2d.CoverageHistory(RING, np.zeros(8)), ValueError, "fixed_latents"),
        Bad(
            "finite",
            lambda: toy2d.CoverageHistory(RING, np.full((4, 8), np.nan)),
            ValueError,
            "fixed_latents",
        ),
        Bad(
            "count",
            lambda: toy2d.CoverageHistory(RING, np.zeros((4, 8)), every=0),
            ValueError,
            "every",
        ),
        Bad(
            "range",
            lambda: toy2d.CoverageHistory(RING, np.zeros((4, 8)), min_fraction=-1),
            ValueError,
            "min_fraction",
        ),
        Bad(
            "compat", lambda: _history_on(np.zeros((4, 3), np.float32)), ValueError, "fixed_latents"
        ),
    ],
    "imgen_helpers.toy2d.plot_points": [
        Bad("type", lambda: toy2d.plot_points("points"), TypeError, "samples"),
        Bad("rank", lambda: toy2d.plot_points(np.zeros((9, 3))), ValueError, "samples"),
        Bad("finite", lambda: toy2d.plot_points(NAN_POINTS), ValueError, "samples"),
        Bad("type", lambda: toy2d.plot_points(POINTS, "ring"), TypeError, "mixture"),
        Bad("type", lambda: toy2d.plot_points(POINTS, ax="left"), TypeError, "ax"),
        Bad("type", lambda: toy2d.plot_points(POINTS, title=3), TypeError, "title"),
        Bad("range", lambda: toy2d.plot_points(POINTS, limit=-1), ValueError, "limit"),
    ],
    "imgen_helpers.toy2d.plot_snapshots": [
        Bad("type", lambda: toy2d.plot_snapshots("points", ["a"]), TypeError, "points"),
        Bad("count", lambda: toy2d.plot_snapshots([], []), ValueError, "points"),
        Bad("count", lambda: toy2d.plot_snapshots([POINTS, POINTS], ["a"]), ValueError, "titles"),
        Bad("rank", lambda: toy2d.plot_snapshots([np.zeros(2)], ["a"]), ValueError, "points[0]"),
        Bad("finite", lambda: toy2d.plot_snapshots([NAN_POINTS], ["a"]), ValueError, "points[0]"),
        Bad("type", lambda: toy2d.plot_snapshots([POINTS], [1]), TypeError, "titles[0]"),
        Bad(
            "type",
            lambda: toy2d.plot_snapshots([POINTS], ["a"], RING.centers),
            TypeError,
            "mixture",
        ),
        Bad("count", lambda: toy2d.plot_snapshots([POINTS], ["a"], ncols=0), ValueError, "ncols"),
    ],
}

test_bad_inputs = parametrize(CASES)
