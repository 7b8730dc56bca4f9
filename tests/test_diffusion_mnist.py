"""The digits' diffusion model: half-precision weights, sampling, training and resuming."""

import numpy as np
import pytest

from imgen_helpers import classifier
from imgen_helpers import diffusion_mnist as dmn
from imgen_helpers.diffusion import UNetConfig

TINY = UNetConfig(widths=(8, 16), attention=False, num_classes=10, time_dim=16, groups=4)


def _inputs(n=6, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 28, 28, 1)).astype("float32")
    return [x, np.linspace(0.1, 0.9, n).astype("float32"), np.arange(n) % 11]


def test_saved_network_is_the_weight_average_in_half_precision(tmp_path):
    model = dmn.make_mnist_diffusion(TINY, seed=0)
    rng = np.random.default_rng(1)  # move the average away from the raw weights
    model.ema_network.set_weights(
        [w + 0.05 * rng.standard_normal(w.shape) for w in model.ema_network.get_weights()]
    )
    path = dmn.save_network(model, tmp_path / "net.float16.h5")
    loaded = dmn.load_network(path, TINY)
    assert loaded.ema_network is None and loaded.objective == model.objective
    for saved, average, raw in zip(
        loaded.network.get_weights(),
        model.ema_network.get_weights(),
        model.network.get_weights(),
        strict=True,
    ):
        assert saved.dtype == np.float32
        np.testing.assert_allclose(saved, average, rtol=1e-3, atol=1e-4)  # float16 rounding
        if np.abs(average - raw).max() > 1e-2:
            assert np.abs(saved - raw).max() > 1e-2  # the average, not the raw weights
    x = _inputs()
    np.testing.assert_allclose(
        loaded.network.predict_on_batch(x), model.ema_network.predict_on_batch(x), atol=2e-3
    )


def test_a_network_loads_only_with_the_objective_it_was_trained_with(tmp_path):
    noise = dmn.DiffusionRecipe(objective="noise")
    path = dmn.save_network(dmn.make_mnist_diffusion(TINY, noise), tmp_path / "n.float16.h5")
    assert dmn.load_network(path, TINY, noise).objective == "noise"
    with pytest.raises(ValueError, match="objective 'noise'"):
        dmn.load_network(path, TINY)  # the default recipe is flow matching


def test_half_precision_file_is_half_the_size(tmp_path):
    model = dmn.make_mnist_diffusion(TINY, seed=0)
    half = tmp_path / "half.float16.h5"
    dmn.save_network(model, half)
    full = tmp_path / "full.weights.h5"
    model.ema_network.save_weights(str(full))
    assert half.stat().st_size < 0.6 * full.stat().st_size


def test_sample_digits_shapes_range_labels_and_seed():
    model = dmn.make_mnist_diffusion(TINY, seed=0)
    labels = np.array([0, 3, 9, 3])
    a = dmn.sample_digits(model, labels, steps=2, seed=5)
    b = dmn.sample_digits(model, labels, steps=2, seed=5)
    assert a.shape == (4, 28, 28, 1) and a.dtype == np.float32
    assert a.min() >= 0.0 and a.max() <= 1.0
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, dmn.sample_digits(model, labels, steps=2, seed=6))
    assert dmn.sample_digits(model, 3, steps=2).shape == (3, 28, 28, 1)  # unconditional


def test_each_sampler_fits_its_objective_only():
    flow = dmn.make_mnist_diffusion(TINY, seed=0)
    noise = dmn.make_mnist_diffusion(TINY, dmn.DiffusionRecipe(objective="noise"), seed=0)
    for model, good, bad in ((flow, "euler", "ddim"), (noise, "ddim", "heun")):
        assert dmn.sample_digits(model, [1, 2], steps=2, sampler=good).shape == (2, 28, 28, 1)
        with pytest.raises(ValueError, match="sampler"):
            dmn.sample_digits(model, [1, 2], steps=2, sampler=bad)


def test_training_lowers_the_loss_and_resumes_from_its_checkpoint(tmp_path, capsys):
    kwargs = dict(config=TINY, minutes=None, split="test", source="offline", verbose=0)
    model, history, _ = dmn.train_mnist_diffusion(epochs=2, out=tmp_path, seed=0, **kwargs)
    losses = history.history["loss"]
    assert losses[-1] < losses[0]
    assert (tmp_path / "network.float16.h5").is_file()
    steps = int(model.optimizer.iterations.numpy())
    again, history, _ = dmn.train_mnist_diffusion(epochs=3, out=tmp_path, seed=0, **kwargs)
    assert "resumed from" in capsys.readouterr().out
    assert history.epoch == [2]  # only the third epoch was trained
    assert int(again.optimizer.iterations.numpy()) == steps + steps // 2
    fresh = dmn.make_mnist_diffusion(TINY, seed=1)
    from imgen_helpers.callbacks import resume

    assert resume(fresh, tmp_path / "checkpoints") == 3
    for restored, trained in zip(
        fresh.ema_network.get_weights(), again.ema_network.get_weights(), strict=True
    ):
        np.testing.assert_array_equal(restored, trained)  # the weight average is saved too


def test_the_shipped_model_draws_the_digits_it_is_asked_for():
    model = dmn.load_pretrained_diffusion()
    labels = np.arange(100) % 10
    digits = dmn.sample_digits(model, labels, seed=0)
    predicted = classifier.classifier_probs(digits).argmax(axis=1)
    assert np.mean(predicted == labels) > 0.9
    unguided = dmn.sample_digits(model, labels, guidance=0.0, seed=0)  # unconditional
    assert np.mean(classifier.classifier_probs(unguided).argmax(axis=1) == labels) < 0.5
