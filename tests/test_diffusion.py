"""Tests of imgen_helpers.diffusion: the forward process, exact samplers, networks, training."""

import re

import keras
import numpy as np
import pytest

from imgen_helpers import diffusion as d
from imgen_helpers.toy2d import ring_mixture

# ------------------------------------------------------------------ 1. forward process


@pytest.mark.parametrize("schedule", d.SCHEDULES)
@pytest.mark.parametrize("steps", [50, 1000])
def test_alpha_bar_strictly_decreasing_in_unit_interval(schedule, steps):
    betas = d.noise_schedule(steps, schedule)
    ab = d.alpha_bars(betas)
    assert betas.dtype == np.float32 and betas.shape == (steps,)
    assert np.all(np.diff(ab) < 0)
    assert 0 < ab.min() and ab.max() < 1
    assert ab[0] > 0.99 and ab[-1] < 1e-3  # starts near data, ends near pure noise


def test_schedules_match_their_papers():
    linear = d.noise_schedule(1000, "linear")  # Ho et al. 2020: 1e-4 .. 0.02
    assert linear[0] == pytest.approx(1e-4) and linear[-1] == pytest.approx(0.02)
    cosine = d.noise_schedule(1000, "cosine")  # Nichol and Dhariwal 2021, s = 0.008
    f = np.cos((np.arange(1001) / 1000 + 0.008) / 1.008 * np.pi / 2) ** 2
    ab = d.alpha_bars(cosine)
    np.testing.assert_allclose(ab[:-1], f[1:-1] / f[0], rtol=1e-4)  # last beta is clipped
    assert cosine[-1] == pytest.approx(0.999)
    # at T/2 the cosine schedule keeps far more signal than the linear one
    assert ab[499] > 5 * d.alpha_bars(linear)[499]


def test_schedule_errors_say_what_to_do():
    with pytest.raises(ValueError, match="'linear', 'cosine'"):
        d.noise_schedule(100, "cosin")
    with pytest.raises(ValueError, match="at least 1"):
        d.noise_schedule(0)
    with pytest.raises(TypeError, match="integer"):
        d.noise_schedule("100")
    with pytest.raises(ValueError, match="steps > 20"):
        d.noise_schedule(10, "linear")
    with pytest.raises(ValueError, match=r"\(0, 1\)"):
        d.alpha_bars([0.1, 1.5])


def test_closed_form_marginal_matches_iterated_forward_steps():
    n, x0 = 20_000, 1.5
    betas = d.noise_schedule(200, "cosine")
    ab = d.alpha_bars(betas)
    rng = np.random.default_rng(0)
    x = np.full((n, 1), x0, np.float32)
    for t in range(200):
        x = np.asarray(d.forward_step(x, betas[t], rng.standard_normal((n, 1))))
        if t in (0, 19, 99, 199):
            mean, var = np.sqrt(ab[t]) * x0, 1 - ab[t]
            fresh = rng.standard_normal((n, 1))
            closed = np.asarray(d.q_sample(np.full((n, 1), x0), np.full(n, ab[t]), fresh))
            for samples in (x, closed):  # t + 1 single steps, and one jump
                # 5 standard errors: of the mean sqrt(var / n), of the variance var sqrt(2 / n)
                assert abs(samples.mean() - mean) < 5 * np.sqrt(var / n)
                assert abs(samples.var() - var) < 5 * var * np.sqrt(2 / n)


def test_q_sample_broadcasts_one_alpha_bar_per_example():
    rng = np.random.default_rng(1)
    for shape in [(3, 4, 4, 1), (3, 2)]:
        x0, noise = rng.standard_normal(shape), rng.standard_normal(shape)
        ab = np.array([0.9, 0.5, 0.1])
        x_t = np.asarray(d.q_sample(x0, ab, noise))
        assert x_t.shape == shape and x_t.dtype == np.float32
        for i in range(3):
            expected = np.sqrt(ab[i]) * x0[i] + np.sqrt(1 - ab[i]) * noise[i]
            np.testing.assert_allclose(x_t[i], expected, rtol=1e-5, atol=1e-6)


def test_flow_path_ends_and_losses():
    rng = np.random.default_rng(2)
    x0, noise = rng.standard_normal((4, 2)), rng.standard_normal((4, 2))
    t = np.array([0.0, 1.0, 0.25, 0.5])
    x_t = np.asarray(d.flow_interpolate(x0, t, noise))
    np.testing.assert_allclose(x_t[0], x0[0], rtol=1e-6)  # t = 0 is data
    np.testing.assert_allclose(x_t[1], noise[1], rtol=1e-6)  # t = 1 is noise
    np.testing.assert_allclose(x_t[2], 0.75 * x0[2] + 0.25 * noise[2], rtol=1e-5)
    assert float(d.velocity_loss(noise - x0, x0, noise)) == pytest.approx(0.0, abs=1e-7)
    assert float(d.velocity_loss(np.zeros((4, 2)), x0, noise)) == pytest.approx(
        np.mean((noise - x0) ** 2), rel=1e-5
    )
    loss = d.noise_prediction_loss(np.ones((2, 2)), np.array([[1.0, 3.0], [1.0, 1.0]]))
    assert float(loss) == pytest.approx(1.0) and loss.dtype == "float32"  # mean(0, 4, 0, 0)


# ------------------------------------------------------------------ 6. samplers, exact predictors

BETAS = d.noise_schedule(1000, "cosine")
AB = d.alpha_bars(BETAS)
X_STAR = np.array([[0.7, -0.3], [0.7, -0.3], [-1.0, 0.5]])  # a point mass per example


def point_mass_noise(x, t, labels=None):
    """The exact noise prediction when the data is the single point X_STAR."""
    ab = AB[t][:, None]
    return (x - np.sqrt(ab) * X_STAR) / np.sqrt(1 - ab)


def test_ddim_is_deterministic_and_exact_for_a_point_mass():
    x_T = np.random.default_rng(3).standard_normal((3, 2))
    first = d.ddim_sample(point_mass_noise, (3, 2), BETAS, steps=50, x_T=x_T)
    second = d.ddim_sample(point_mass_noise, (3, 2), BETAS, steps=50, x_T=x_T, seed=7)
    np.testing.assert_array_equal(first, second)
    np.testing.assert_allclose(first, X_STAR, atol=1e-3)
    samples, path = d.ddim_sample(point_mass_noise, (3, 2), BETAS, 10, return_trajectory=True)
    assert path.shape == (11, 3, 2) and np.array_equal(path[-1], samples)


def test_ddpm_ends_at_the_point_mass_whatever_the_noise():
    # The last step (t = 0) adds no noise and its mean is exactly the predicted x0, so with a
    # perfect predictor the sample is X_STAR up to float32 rounding of the network's inputs
    # (~1e-7 relative): 1e-4 is a hundred times that and a thousand times below the noise a
    # wrong last step would add (sqrt(beta_0) = 6e-3).
    a, path_a = d.ddpm_sample(point_mass_noise, (3, 2), BETAS, seed=0, return_trajectory=True)
    b, path_b = d.ddpm_sample(point_mass_noise, (3, 2), BETAS, seed=1, return_trajectory=True)
    np.testing.assert_allclose(a, X_STAR, atol=1e-4)
    np.testing.assert_allclose(b, X_STAR, atol=1e-4)
    assert np.abs(path_a[500] - path_b[500]).max() > 0.1  # the paths themselves are random


M, S = np.array([1.5, -0.5]), 0.5  # data N(M, S^2 I) in 2-D


def gaussian_noise(x, t, labels=None):
    """E[noise | x_t] for data N(M, S^2 I): linear in x_t (a Gaussian conditional)."""
    a, b = np.sqrt(AB[t])[:, None], np.sqrt(1 - AB[t])[:, None]
    return b / (a**2 * S**2 + b**2) * (x - a * M)


@pytest.mark.parametrize("sampler", ["ddpm", "ddim"])
def test_noise_samplers_reach_a_gaussian_with_the_exact_predictor(sampler):
    shape = (4000, 2)
    if sampler == "ddpm":
        x = d.ddpm_sample(gaussian_noise, shape, BETAS, seed=4)
    else:
        x = d.ddim_sample(gaussian_noise, shape, BETAS, steps=50, seed=4)
    # sampling error of the mean: S / sqrt(4000) = 0.008; of the std: S / sqrt(8000) = 0.006
    np.testing.assert_allclose(x.mean(0), M, atol=0.04)
    np.testing.assert_allclose(x.std(0), S, atol=0.04)


def gaussian_velocity(x, t, labels=None):
    """E[noise - x0 | x_t] for x_t = (1 - t) x0 + t noise, x0 ~ N(M, S^2 I), noise ~ N(0, I).

    Per coordinate Var(x_t) = (1-t)^2 S^2 + t^2 and Cov(noise - x0, x_t) = t - (1-t) S^2, so
    E[v | x_t] = -M + Cov / Var * (x_t - (1-t) M). Its flow maps x_1 to exactly M + S x_1.
    """
    t = t[:, None]
    var = (1 - t) ** 2 * S**2 + t**2
    return -M + (t - (1 - t) * S**2) / var * (x - (1 - t) * M)


def test_flow_sample_transports_noise_to_the_data_gaussian():
    x_1 = np.random.default_rng(5).standard_normal((4000, 2))
    exact = M + S * x_1  # where the exact ODE sends each starting point
    euler = d.flow_sample(gaussian_velocity, x_1.shape, 100, "euler", x_1=x_1)
    np.testing.assert_allclose(euler.mean(0), M, atol=0.04)
    np.testing.assert_allclose(euler.std(0), S, atol=0.04)
    assert np.abs(euler - exact).max() < 0.05
    heun = d.flow_sample(gaussian_velocity, x_1.shape, 20, "heun", x_1=x_1)
    assert np.abs(heun - exact).max() < 0.01
    errors = {
        method: np.abs(d.flow_sample(gaussian_velocity, x_1.shape, 10, method, x_1=x_1) - exact)
        for method in d.FLOW_METHODS
    }
    assert errors["heun"].max() < errors["euler"].max() / 3


def test_guidance_scale_one_is_conditional_and_zero_unconditional():
    def predict(x, t, labels):
        return x * (1.0 + labels[:, None])  # label 3 = "no label" gives 4 x

    x, t, labels = np.ones((2, 2)), np.zeros(2), np.array([0, 1])
    np.testing.assert_allclose(d.guided(predict, 1.0, 3)(x, t, labels), predict(x, t, labels))
    np.testing.assert_allclose(d.guided(predict, 0.0, 3)(x, t, labels), 4 * x)
    np.testing.assert_allclose(d.guided(predict, 2.0, 3)(x, t, labels), [[-2, -2], [0, 0]])
    with pytest.raises(ValueError, match="labels"):
        d.guided(predict, 2.0, 3)(x, t)


def test_inpaint_keeps_known_pixels_exactly_and_fills_the_rest():
    rng = np.random.default_rng(6)
    known = rng.uniform(-1, 1, (2, 8, 8, 1)).astype(np.float32)
    mask = np.zeros_like(known)
    mask[:, :, :4] = 1  # left half known
    zero_noise = lambda x, t, labels: np.zeros_like(x)  # noqa: E731
    out = d.inpaint(zero_noise, known, mask, BETAS, steps=20, seed=0)
    assert out.dtype == np.float32 and out.shape == known.shape
    assert np.array_equal(out[mask == 1], known[mask == 1])
    assert np.abs(out[mask == 0] - known[mask == 0]).min() > 0


def test_show_forward_process_fades_the_image_in_its_top_row_only():
    image = np.where(np.arange(64).reshape(8, 8) % 3 == 0, 0.8, -0.8)[..., None]
    ab = d.alpha_bars(d.noise_schedule(100, "cosine"))
    fig = d.show_forward_process(image, ab, [0, 99], seed=0)
    shown = [np.asarray(ax.images[0].get_array()) for ax in fig.axes if ax.images]
    assert len(shown) == 4  # two steps, two rows
    first, last, additive_first, additive_last = (np.squeeze(s) for s in shown)
    signal = np.squeeze(image)
    assert np.corrcoef(first.ravel(), signal.ravel())[0, 1] > 0.95  # t = 0: still the image
    assert abs(np.corrcoef(last.ravel(), signal.ravel())[0, 1]) < 0.5  # t = T-1: noise
    assert np.corrcoef(additive_last.ravel(), signal.ravel())[0, 1] > 0.3  # lesson 01: still there


def test_flow_inpaint_keeps_known_pixels_exactly_and_follows_the_velocity_elsewhere():
    rng = np.random.default_rng(7)
    known = rng.uniform(-1, 1, (2, 8, 8, 1)).astype(np.float32)
    mask = np.zeros_like(known)
    mask[:, :4] = 1  # top half known
    # the exact velocity of straight paths that end at 0.5: Euler lands the rest on 0.5
    toward_half = lambda x, t, labels: (x - 0.5) / np.reshape(t, (-1, 1, 1, 1))  # noqa: E731
    out = d.flow_inpaint(toward_half, known, mask, steps=10, seed=0)
    assert out.dtype == np.float32 and out.shape == known.shape
    assert np.array_equal(out[mask == 1], known[mask == 1])
    np.testing.assert_allclose(out[mask == 0], 0.5, atol=1e-5)
    # a pixel-wise field: the unknown pixels move as flow_sample moves them from the same noise
    pixelwise = lambda x, t, labels: np.sin(3 * x) + t[:, None, None, None]  # noqa: E731
    out = d.flow_inpaint(pixelwise, known, mask, steps=10, method="heun", seed=0)
    free = d.flow_sample(pixelwise, known.shape, steps=10, method="heun", seed=0)
    assert np.array_equal(out[mask == 1], known[mask == 1])
    np.testing.assert_allclose(out[mask == 0], free[mask == 0], rtol=1e-6)


# ------------------------------------------------------------------ 4. networks

SMALL = d.UNetConfig(widths=(8, 16, 16), groups=4, time_dim=16)


def test_sinusoidal_embedding_shape_and_distinct_times():
    emb = np.asarray(d.sinusoidal_embedding(np.array([0.0, 0.001, 0.5, 1.0]), 32))
    assert emb.shape == (4, 32) and emb.dtype == np.float32
    assert np.abs(emb).max() <= 1.0
    distances = np.linalg.norm(emb[:, None] - emb[None], axis=-1)
    assert distances[~np.eye(4, dtype=bool)].min() > 0.1  # one step of 1000 included
    with pytest.raises(ValueError, match="even"):
        d.sinusoidal_embedding(np.zeros(2), 7)


@pytest.mark.parametrize("num_classes", [None, 10])
def test_unet_output_shape_and_dtype(num_classes):
    config = d.UNetConfig(**{**SMALL.__dict__, "num_classes": num_classes})
    net = d.build_unet(config)
    inputs = [np.random.default_rng(0).standard_normal((2, 28, 28, 1)), np.array([0.1, 0.9])]
    if num_classes:
        inputs.append(np.array([3, 10]))  # 10 = no label
    out = net(inputs)
    assert tuple(out.shape) == (2, 28, 28, 1) and out.dtype == "float32"
    assert net.get_layer("middle_attention_mha") is not None
    keras_default = re.compile(
        r"(dense|conv2d|reshape|add|activation|group_normalization|"
        r"concatenate|embedding|up_sampling2d|multi_head_attention)(_\d+)?"
    )
    assert not [layer.name for layer in net.layers if keras_default.fullmatch(layer.name)]


def test_unet_works_under_mixed_bfloat16():
    previous = keras.mixed_precision.global_policy()
    try:
        keras.mixed_precision.set_global_policy("mixed_bfloat16")
        net = d.build_unet(SMALL)
        out = net([np.zeros((2, 28, 28, 1), np.float32), np.array([0.0, 1.0], np.float32)])
        assert out.dtype == "float32" and tuple(out.shape) == (2, 28, 28, 1)
        assert net.get_layer("time_sinusoidal").compute_dtype == "float32"
    finally:
        keras.mixed_precision.set_global_policy(previous)


# ------------------------------------------------------------------ 5. training


@pytest.mark.parametrize("objective", d.OBJECTIVES)
def test_a_few_steps_lower_the_loss_on_a_fixed_batch(objective):
    mixture = ring_mixture()
    points, modes = mixture.sample(2048, seed=0, return_modes=True)
    conditional = objective == "velocity"  # one objective of each kind, to keep the test quick
    network = d.build_mlp_denoiser(width=64, num_classes=8 if conditional else None)
    keras.utils.set_random_seed(0)
    model = d.Diffusion(network, objective, steps=100, ema=0.9, label_dropout=0.2, seed=0)
    model.compile(optimizer=keras.optimizers.Adam(3e-3))
    rng = np.random.default_rng(1)
    x0, noise = points[:512], rng.standard_normal((512, 2)).astype(np.float32)
    t = rng.integers(0, 100, 512) if objective == "noise" else rng.uniform(0, 1, 512)
    labels = modes[:512] if conditional else None
    before = float(model.loss_at(x0, noise, t, labels))
    ema_before = model.ema_network.get_weights()[-2].copy()
    history = model.fit(points, modes if conditional else None, batch_size=128, epochs=3, verbose=0)
    after = float(model.loss_at(x0, noise, t, labels))
    assert np.isfinite(history.history["loss"]).all()
    assert after < 0.8 * before, (before, after)
    assert not np.array_equal(model.ema_network.get_weights()[-2], ema_before)  # EMA moved
    samples = model.sample((8, 2), steps=5, labels=np.arange(8) if conditional else None)
    assert samples.shape == (8, 2) and np.isfinite(samples).all()


def test_bad_arguments_raise_teaching_errors():
    net = d.build_mlp_denoiser()
    with pytest.raises(ValueError, match="'noise', 'velocity'"):
        d.Diffusion(net, objective="ddpm")
    with pytest.raises(ValueError, match="ema must be less than 1"):
        d.Diffusion(net, ema=1.0)
    with pytest.raises(ValueError, match="label_dropout must be less than 1"):
        d.Diffusion(net, label_dropout=1.0)
    with pytest.raises(TypeError, match="keras.Model"):
        d.Diffusion("unet")
    with pytest.raises(ValueError, match="same shape"):
        d.q_sample(np.zeros((4, 2)), np.full(4, 0.5), np.zeros((4, 3)))
    with pytest.raises(ValueError, match="one per example"):
        d.q_sample(np.zeros((4, 2)), np.full(3, 0.5), np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"shape \(any, 2\)"):
        d.Diffusion(net, steps=100).fit(np.zeros((8, 3), np.float32), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="at most 1000"):
        d.ddim_sample(point_mass_noise, (3, 2), BETAS, steps=2000)
    with pytest.raises(ValueError, match=r"predict returned shape \(3, 1\)"):
        d.ddim_sample(lambda x, t, labels: x[:, :1], (3, 2), BETAS, steps=2)
    with pytest.raises(TypeError, match="callable"):
        d.flow_sample("velocity", (3, 2))
    with pytest.raises(ValueError, match="divisible by 4"):
        d.UNetConfig(image_shape=(30, 30, 1))
    with pytest.raises(ValueError, match="only 0"):
        d.inpaint(point_mass_noise, np.zeros((3, 2)), np.full((3, 2), 0.5), BETAS)
