"""Tests of imgen_helpers.vae: KL and ELBO maths, the reparameterisation trick, training,
the IWAE bound, the conditional VAE, checkpoint/resume through imgen_helpers.callbacks, and the
names that moved out of vae.py. Tiny seeded models on shipped MNIST."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import tensorflow as tf
from keras import ops

from imgen_helpers import callbacks, set_seed
from imgen_helpers import vae as V
from imgen_helpers.data import binarize, dataset_arrays, load_mnist, mnist_dataset
from imgen_helpers.runtime import precision_scope

TINY = V.VAEConfig(latent_dim=4, filters=(8, 16), decoder_channels=8)


def _digits(n: int = 256, split: str = "train", mode: str = "static") -> np.ndarray:
    images, _ = load_mnist(split, source="offline", verbose=False)
    return binarize(images[:n], mode, seed=0)


@pytest.fixture(scope="module")
def trained_tiny():
    """A tiny VAE trained for a few hundred steps, and a held-out batch (shared by tests)."""
    set_seed(0)
    model = V.VAE(TINY, seed=0)
    model.compile(optimizer=V.default_optimizer(2e-3), steps_per_execution=25)
    ds = mnist_dataset("train", 64, pixels="static", limit=4000, verbose=False)
    model.fit(ds, epochs=3, shuffle=False, verbose=0)  # ds reshuffles itself every epoch
    return model, _digits(100, "test")


# ------------------------------------------------------------------- KL and likelihood maths
def test_kl_of_standard_normal_to_itself_is_zero():
    zeros = np.zeros((3, 5), np.float32)
    np.testing.assert_array_equal(ops.convert_to_numpy(V.kl_to_standard_normal(zeros, zeros)), 0.0)
    # and it is not zero elsewhere: a unit shift in each of 5 dims costs 5 * 0.5 nats
    ones = np.ones((1, 5), np.float32)
    np.testing.assert_allclose(ops.convert_to_numpy(V.kl_to_standard_normal(ones, 0 * ones)), [2.5])


def test_closed_form_kl_matches_monte_carlo():
    rng = np.random.default_rng(0)
    mean = rng.normal(0, 1.0, (4, 3)).astype(np.float32)
    log_var = rng.normal(0, 0.7, (4, 3)).astype(np.float32)
    n = 200_000
    z = mean + np.exp(0.5 * log_var) * rng.standard_normal((n, 4, 3)).astype(np.float32)
    log_ratio = ops.convert_to_numpy(V.log_normal_pdf(z, mean, log_var) - V.log_normal_pdf(z, 0, 0))
    monte_carlo = log_ratio.mean(axis=0)  # (4,)
    stderr = log_ratio.std(axis=0) / math.sqrt(n)
    closed = ops.convert_to_numpy(V.kl_to_standard_normal(mean, log_var))
    assert closed.shape == (4,)
    assert np.all(np.abs(closed - monte_carlo) < 5 * stderr + 1e-3), (closed, monte_carlo, stderr)
    assert np.all(closed > 0.1)  # non-trivial test: the distributions differ


def test_bernoulli_and_gaussian_log_likelihoods_match_numpy():
    rng = np.random.default_rng(1)
    x = (rng.random((2, 4, 4, 1)) > 0.5).astype(np.float32)
    logits = rng.normal(0, 3, x.shape).astype(np.float32)
    p = 1 / (1 + np.exp(-logits.astype(np.float64)))
    expected = (x * np.log(p) + (1 - x) * np.log(1 - p)).sum(axis=(1, 2, 3))
    got = ops.convert_to_numpy(V.reconstruction_log_likelihood(x, logits))
    np.testing.assert_allclose(got, expected, rtol=1e-5)
    grey = rng.random(x.shape).astype(np.float32)
    sigma = 0.3
    mu = p
    expected = -0.5 * ((grey - mu) / sigma) ** 2 - math.log(sigma) - 0.5 * math.log(2 * math.pi)
    got = V.reconstruction_log_likelihood(grey, logits, "gaussian", math.log(sigma))
    np.testing.assert_allclose(ops.convert_to_numpy(got), expected.sum(axis=(1, 2, 3)), rtol=1e-5)
    with pytest.raises(ValueError, match="log_scale"):
        V.reconstruction_log_likelihood(grey, logits, "gaussian")


def test_elbo_and_beta_weight():
    recon = np.array([-100.0, -80.0], np.float32)
    kl = np.array([10.0, 4.0], np.float32)
    np.testing.assert_allclose(ops.convert_to_numpy(V.elbo(recon, kl)), [-110.0, -84.0])
    np.testing.assert_allclose(ops.convert_to_numpy(V.elbo(recon, kl, beta=4.0)), [-140.0, -96.0])
    with pytest.raises(ValueError, match="beta"):
        V.elbo(recon, kl, beta=-1.0)


def test_iwae_bound_is_log_mean_exp():
    log_w = np.log(np.array([[1.0, 2.0], [3.0, 6.0]], np.float32))  # (K=2, N=2)
    np.testing.assert_allclose(
        ops.convert_to_numpy(V.iwae_bound(log_w)), np.log([2.0, 4.0]), rtol=1e-6
    )


# ------------------------------------------------------------------- reparameterisation
def test_gradients_flow_through_mean_and_log_var_not_the_noise():
    mean = tf.Variable(np.full((3, 2), 0.5, np.float32))
    log_var = tf.Variable(np.full((3, 2), -1.0, np.float32))
    with tf.GradientTape(persistent=True) as tape:
        z = V.reparameterise(mean, log_var, seed=7)
        total = tf.reduce_sum(z)
    eps = (z - mean) / tf.exp(0.5 * log_var)  # the noise the draw used
    np.testing.assert_allclose(tape.gradient(total, mean), np.ones((3, 2)), rtol=1e-6)
    np.testing.assert_allclose(tape.gradient(total, log_var), 0.5 * (z - mean), rtol=1e-5)
    # The noise is the same whatever mean and log_var are: it carries no parameter.
    z_other = V.reparameterise(mean * 3.0, log_var - 2.0, seed=7)
    eps_other = (z_other - mean * 3.0) / tf.exp(0.5 * (log_var - 2.0))
    np.testing.assert_allclose(eps, eps_other, rtol=1e-4, atol=1e-5)
    assert float(tf.math.reduce_std(eps)) > 0.3  # it is noise, not a constant


def test_gradients_reach_every_encoder_weight_through_reconstruction_only():
    set_seed(0)
    model = V.VAE(TINY, seed=0)
    x = _digits(16)
    with tf.GradientTape() as tape:
        mean, log_var = model.encode(x)
        z = V.reparameterise(mean, log_var, seed=1)
        recon = V.reconstruction_log_likelihood(x, model.decode_logits(z))
        loss = -tf.reduce_mean(recon)  # no KL: the only path to the encoder is through z
    grads = tape.gradient(loss, model.encoder.trainable_weights)
    for weight, grad in zip(model.encoder.trainable_weights, grads, strict=True):
        assert grad is not None, f"no gradient reached {weight.path}"
        assert float(tf.reduce_max(tf.abs(grad))) > 0, f"zero gradient for {weight.path}"


# ------------------------------------------------------------------- model, data, training
def test_shapes_and_ranges():
    set_seed(0)
    model = V.VAE(TINY, seed=0)
    x = _digits(8)
    mean, log_var = model.encode(x)
    assert tuple(mean.shape) == (8, 4) and tuple(log_var.shape) == (8, 4)
    logits = model.decode_logits(mean)
    assert tuple(logits.shape) == (8, 28, 28, 1) and logits.dtype == "float32"
    samples = model.sample(5, seed=3)
    assert samples.shape == (5, 28, 28, 1) and samples.dtype == np.float32
    assert samples.min() >= 0.0 and samples.max() <= 1.0
    np.testing.assert_array_equal(samples, model.sample(5, seed=3))  # seeded
    recon = ops.convert_to_numpy(model(x))
    assert recon.shape == x.shape and 0 <= recon.min() and recon.max() <= 1
    fixed = model.sample(fixed_latents=np.zeros((2, 4), np.float32))
    np.testing.assert_allclose(fixed[0], fixed[1])


def test_vae_input_pipeline_binarises_and_reshuffles():
    ds = mnist_dataset(
        "train", 50, pixels="dynamic", limit=100, shuffle=False, labels=True, verbose=False
    )
    first = [b for b in ds]
    second = [b for b in ds]
    x, y = first[0]
    assert tuple(x.shape) == (50, 28, 28, 1) and x.dtype == tf.float32 and y.dtype == tf.int32
    assert set(np.unique(x.numpy())) <= {0.0, 1.0}
    # dynamic: each epoch draws new pixels (same digits, same order since shuffle=False)
    assert not np.array_equal(first[0][0].numpy(), second[0][0].numpy())
    np.testing.assert_array_equal(first[0][1].numpy(), second[0][1].numpy())
    # the test split is binarised once: identical every pass
    test = mnist_dataset("test", 50, pixels="dynamic", limit=100, verbose=False)
    np.testing.assert_array_equal(next(iter(test)).numpy(), next(iter(test)).numpy())
    static = mnist_dataset("test", 50, pixels="static", limit=50, verbose=False)
    grey = mnist_dataset("test", 50, pixels="unit", limit=50, verbose=False)
    np.testing.assert_array_equal(next(iter(static)).numpy(), next(iter(grey)).numpy() > 0.5)
    # The training split reshuffles itself at every pass (every fit() epoch), which is why the
    # lesson calls fit(..., shuffle=False): fit's own shuffle= only applies to NumPy arrays.
    train = mnist_dataset("train", 100, pixels="static", labels=True, limit=100, verbose=False)
    orders = [dataset_arrays(train)[1] for _ in range(2)]
    assert sorted(orders[0]) == sorted(orders[1]) and not np.array_equal(*orders)


def test_config_errors_teach():
    with pytest.raises(ValueError, match="divisible by 4"):
        V.VAEConfig(image_shape=(30, 30, 1))
    with pytest.raises(ValueError, match="likelihood"):
        V.VAEConfig(likelihood="poisson")
    with pytest.raises(ValueError, match="needs labels"):
        V.VAE(V.VAEConfig(latent_dim=2, filters=(8, 8), num_classes=10)).encode(_digits(2))


def test_a_few_training_steps_raise_the_elbo():
    set_seed(0)
    model = V.VAE(TINY, seed=0)
    model.compile(optimizer=V.default_optimizer(2e-3))
    test = mnist_dataset("test", 100, pixels="static", limit=200, verbose=False)
    before = model.evaluate(test, return_dict=True, verbose=0)
    train = mnist_dataset("train", 64, pixels="static", limit=1280, verbose=False)
    history = model.fit(train, epochs=2, shuffle=False, verbose=0)
    after = model.evaluate(test, return_dict=True, verbose=0)
    assert set(history.history) == {"loss", "elbo", "reconstruction", "kl"}
    assert all(np.isfinite(v).all() for v in history.history.values())
    # untrained: about -784 log 2 = -543 nats; 40 steps must gain well over 100 nats
    assert after["elbo"] > before["elbo"] + 100, (before, after)
    assert after["kl"] >= 0 and after["reconstruction"] <= 0
    np.testing.assert_allclose(after["elbo"], after["reconstruction"] - after["kl"], rtol=1e-5)


def test_training_is_repeatable_with_a_seed():
    results = []
    for _ in range(2):
        set_seed(0)
        model = V.VAE(TINY, seed=0)
        model.compile(optimizer=V.default_optimizer(1e-3))
        train = mnist_dataset("train", 32, pixels="dynamic", limit=64, seed=0, verbose=False)
        results.append(model.fit(train, epochs=1, shuffle=False, verbose=0).history["elbo"][0])
    assert results[0] == pytest.approx(results[1], rel=1e-5)


def test_gaussian_likelihood_learned_and_fixed_scale():
    x = _digits(64, mode="none")
    for scale, trainable in ((None, True), (0.2, False)):
        set_seed(0)
        model = V.VAE(
            V.VAEConfig(
                latent_dim=2,
                filters=(8, 8),
                decoder_channels=8,
                likelihood="gaussian",
                gaussian_scale=scale,
            ),
            seed=0,
        )
        model.compile(optimizer=V.default_optimizer(1e-2))
        start = float(model.log_scale.numpy())
        history = model.fit(x, batch_size=32, epochs=2, verbose=0)
        assert np.isfinite(history.history["elbo"]).all()
        moved = abs(float(model.log_scale.numpy()) - start) > 1e-3
        listed = any(w is model.log_scale for w in model.trainable_weights)
        assert moved == trainable and listed == trainable


def test_train_step_under_mixed_bfloat16():
    set_seed(0)
    with precision_scope("mixed_bfloat16"):
        model = V.VAE(V.VAEConfig(latent_dim=2, filters=(8, 8), decoder_channels=8), seed=0)
    model.compile(optimizer=V.default_optimizer(1e-3))
    history = model.fit(_digits(32), batch_size=16, epochs=1, verbose=0)
    assert model.decoder.get_layer("dec_up1").compute_dtype == "bfloat16"
    assert model.decode_logits(np.zeros((1, 2), np.float32)).dtype == "float32"
    assert np.isfinite(history.history["elbo"]).all()


# ------------------------------------------------------------------- evaluation
def test_elbo_is_below_iwae_on_a_trained_model(trained_tiny):
    model, x = trained_tiny
    one = V.evaluate_bounds(model, x, k=1, seed=3)
    many = V.evaluate_bounds(model, x, k=32, seed=3)
    assert one["iwae"] == pytest.approx(one["elbo_k"], abs=1e-3)  # K = 1: the bound is the ELBO
    log_w = ops.convert_to_numpy(V.log_importance_weights(model, x, k=32, seed=3))
    assert log_w.shape == (32, 100)
    iwae = ops.convert_to_numpy(V.iwae_bound(log_w))
    assert np.all(iwae >= log_w.mean(axis=0) - 1e-4)  # per image, same samples (Jensen)
    assert many["iwae"] > many["elbo"] + 0.5, many  # trained model: a real gap, in nats
    assert many["iwae"] > one["iwae"]  # more samples, tighter bound
    assert -300 < many["elbo"] < -50  # a trained model, not a broken one


# ------------------------------------------------------------------- checkpoint and resume
def _compiled_tiny(seed: int) -> V.VAE:
    model = V.VAE(TINY, seed=seed)
    model.compile(optimizer=V.default_optimizer(1e-3))
    return model


def test_checkpoint_restores_weights_adam_and_noise_so_resuming_is_seamless(tmp_path):
    from imgen_helpers.data import data_dir

    set_seed(0)
    model = _compiled_tiny(seed=0)
    x = _digits(64)
    folder = tmp_path / "runs" / "vae"
    fit = dict(batch_size=32, shuffle=False, verbose=0)  # same batches on both paths
    model.fit(x, epochs=3, callbacks=[callbacks.Checkpoint(folder, keep=2)], **fit)
    path, epoch = callbacks.latest_checkpoint(folder)
    assert epoch == 3 and Path(path).name == "epoch_0003.weights.h5"
    assert len(list(folder.glob("*.weights.h5"))) == 2  # keep=2

    resumed = _compiled_tiny(seed=1)  # other weights and other noise until restored
    callbacks.restore_checkpoint(resumed, path)
    for a, b in zip(model.weights, resumed.weights, strict=True):
        np.testing.assert_array_equal(ops.convert_to_numpy(a), ops.convert_to_numpy(b))
    for a, b in zip(model.optimizer.variables, resumed.optimizer.variables, strict=True):
        np.testing.assert_array_equal(ops.convert_to_numpy(a), ops.convert_to_numpy(b))
    assert int(resumed.optimizer.iterations.numpy()) == 6  # 3 epochs of 2 steps: Adam's count
    np.testing.assert_array_equal(
        *(ops.convert_to_numpy(m.seed_generator.state) for m in (model, resumed))
    )

    # The resumed run's next epoch is the one the uninterrupted run takes: same weights, same
    # Adam moments and step count, same noise draws. Any piece missing would show here.
    model.fit(x, epochs=4, initial_epoch=3, **fit)
    history = resumed.fit(x, epochs=4, initial_epoch=epoch, **fit)
    assert len(history.history["elbo"]) == 1
    for a, b in zip(model.trainable_weights, resumed.trainable_weights, strict=True):
        np.testing.assert_allclose(ops.convert_to_numpy(a), ops.convert_to_numpy(b), atol=1e-6)
    with pytest.raises(ValueError, match="data"):
        callbacks.Checkpoint(data_dir() / "weights" / "vae")


# ------------------------------------------------------------------- names that moved
@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("mnist_dataset", "imgen_helpers.data.mnist_dataset"),
        ("binarize", "imgen_helpers.data.binarize"),
        ("dataset_arrays", "imgen_helpers.data.dataset_arrays"),
        ("restore", "imgen_helpers.callbacks.restore_checkpoint"),
        ("Checkpoint", "imgen_helpers.callbacks.Checkpoint"),
        ("latest_checkpoint", "imgen_helpers.callbacks.latest_checkpoint"),
    ],
)
def test_moved_names_say_where_they_went(old, new):
    with pytest.raises(AttributeError, match=new.replace(".", r"\.")):
        getattr(V, old)


def test_unknown_names_are_still_plain_attribute_errors():
    with pytest.raises(AttributeError, match="has no attribute 'mnist_datset'"):
        V.mnist_datset  # noqa: B018 - the attribute access is the test


# ------------------------------------------------------------------- conditional VAE
@pytest.mark.slow
def test_conditional_decoder_draws_the_requested_digit():
    from imgen_helpers.metrics import classifier_probs

    set_seed(0)
    # A 2-D z leaves room for style only, so the decoder must take the digit from the label.
    config = V.VAEConfig(latent_dim=2, filters=(16, 32), decoder_channels=16, num_classes=10)
    model = V.VAE(config, seed=0)
    model.compile(optimizer=V.default_optimizer(2e-3), steps_per_execution=16)
    ds = mnist_dataset("train", 128, pixels="dynamic", labels=True, limit=4096, verbose=False)
    model.fit(ds, epochs=3, shuffle=False, verbose=0)
    wanted = np.repeat(np.arange(10), 20)
    samples = model.sample(len(wanted), labels=wanted, seed=5)
    predicted = classifier_probs(samples).argmax(axis=1)
    per_digit = np.array([(predicted[wanted == k] == k).mean() for k in range(10)])
    assert per_digit.mean() > 0.8, per_digit
    assert per_digit.min() > 0.5, per_digit
