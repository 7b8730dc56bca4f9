"""Bad inputs for imgen_helpers.diffusion: each must get a clear error naming the argument."""

from functools import cache

import keras
import numpy as np
from bad_inputs import Bad, parametrize

from imgen_helpers import diffusion as d

T = 50
BETAS = d.noise_schedule(T, "cosine")
POINTS = np.zeros((4, 2), np.float32)
NOISE = np.ones((4, 2), np.float32)
NAN_POINTS = POINTS * np.nan
AB = np.full(4, 0.5, np.float32)  # one alpha_bar (or beta, or time) per example
TIMES = np.linspace(0.0, 1.0, 4)
STEPS = np.zeros(4, int)  # step indices for the "noise" objective
IMAGES = np.zeros((2, 8, 8, 1), np.float32)
MASK = np.zeros_like(IMAGES)
MASK[:, :, :4] = 1  # left half known
SHAPE = (4, 2)


def zero(x, t, labels=None):
    """A prediction callable that always predicts 0."""
    return np.zeros_like(x)


@cache
def mlp(num_classes=None) -> keras.Model:
    return d.build_mlp_denoiser(width=8, depth=1, num_classes=num_classes, time_dim=8)


@cache
def model(num_classes=None, objective="noise") -> d.Diffusion:
    return d.Diffusion(mlp(num_classes), objective, steps=T, ema=None, seed=0)


def make(**kwargs) -> d.Diffusion:
    return d.Diffusion(mlp(), **kwargs)


def fit(diffusion, x, y=None):
    diffusion.compile(optimizer=keras.optimizers.Adam(1e-3))
    return diffusion.fit(x, y, batch_size=2, epochs=1, verbose=0)


@cache
def one_input() -> keras.Model:
    """A network that is not told the time."""
    points = keras.Input((2,))
    return keras.Model(points, keras.layers.Dense(2)(points))


@cache
def classifier() -> keras.Model:
    """Inputs [x_t, time] but 10 class scores out, not a prediction shaped like x_t."""
    points, time = keras.Input((2,)), keras.Input(())
    features = keras.layers.Concatenate()([points, keras.layers.Reshape((1,))(time)])
    return keras.Model([points, time], keras.layers.Dense(10)(features))


@cache
def unnamed_labels() -> keras.Model:
    """Three inputs, but no Embedding named 'label_embedding' to count the classes."""
    points, time, labels = keras.Input((2,)), keras.Input(()), keras.Input((), dtype="int32")
    label = keras.layers.Embedding(4, 2)(labels)
    out = keras.layers.Add()([points, label, keras.layers.Reshape((1,))(time)])
    return keras.Model([points, time, labels], out)


def ddpm(**kwargs):
    return d.ddpm_sample(**{"predict_noise": zero, "shape": SHAPE, "betas": BETAS, **kwargs})


def ddim(**kwargs):
    args = {"predict_noise": zero, "shape": SHAPE, "betas": BETAS, "steps": 2, **kwargs}
    return d.ddim_sample(**args)


def flow(**kwargs):
    return d.flow_sample(**{"predict_velocity": zero, "shape": SHAPE, "steps": 2, **kwargs})


def inpaint(**kwargs):
    args = {"predict_noise": zero, "known": IMAGES, "mask": MASK, "betas": BETAS, "steps": 2}
    return d.inpaint(**{**args, **kwargs})


def flow_inpaint(**kwargs):
    args = {"predict_velocity": zero, "known": IMAGES, "mask": MASK, "steps": 2}
    return d.flow_inpaint(**{**args, **kwargs})


def sampler_cases(run, predict: str, start: str) -> list[Bad]:
    """What every sampler checks: the prediction callable, shape, labels, seed, flags."""
    return [
        Bad("type", lambda: run(**{predict: "model.keras"}), TypeError, predict),
        Bad("type", lambda: run(**{predict: mlp()}), TypeError, predict),  # the network itself
        Bad("type", lambda: run(**{predict: model()}), TypeError, predict),  # the Diffusion
        Bad("type", lambda: run(**{predict: lambda x, t: x}), TypeError, predict),
        Bad("type", lambda: run(**{predict: lambda x, t, labels: None}), TypeError, predict),
        Bad("type", lambda: run(**{predict: lambda x, t, labels: "eps"}), TypeError, predict),
        Bad("compat", lambda: run(**{predict: lambda x, t, labels: x[:, :1]}), ValueError, predict),
        Bad(
            "finite", lambda: run(**{predict: lambda x, t, labels: x * np.nan}), ValueError, predict
        ),
        Bad("type", lambda: run(shape="4x2"), TypeError, "shape"),
        Bad("type", lambda: run(shape=4), TypeError, "shape"),
        Bad("count", lambda: run(shape=(4, 0)), ValueError, "shape"),
        Bad("count", lambda: run(shape=()), ValueError, "shape"),
        Bad("type", lambda: run(shape=(4.5, 2)), TypeError, "shape"),
        Bad("compat", lambda: run(**{start: np.zeros((3, 2))}), ValueError, start),
        Bad("finite", lambda: run(**{start: NAN_POINTS}), ValueError, start),
        Bad("type", lambda: run(**{start: "noise"}), TypeError, start),
        Bad("count", lambda: run(labels=[0, 1]), ValueError, "labels"),
        Bad("value", lambda: run(labels=[0, 1, -1, 2]), ValueError, "labels"),
        Bad("type", lambda: run(labels="3"), TypeError, "labels"),
        Bad("type", lambda: run(labels=np.full(4, 0.5)), TypeError, "labels"),
        Bad("value", lambda: run(seed=-1), ValueError, "seed"),
        Bad("type", lambda: run(seed="0"), TypeError, "seed"),
        Bad("type", lambda: run(return_trajectory="yes"), TypeError, "return_trajectory"),
        Bad("type", lambda: run(verbose="no"), TypeError, "verbose"),
    ]


def betas_cases(run) -> list[Bad]:
    return [
        Bad("range", lambda: run(betas=[0.1, 1.2]), ValueError, "betas"),
        Bad("range", lambda: run(betas=np.zeros(T)), ValueError, "betas"),
        Bad("type", lambda: run(betas="cosine"), TypeError, "betas"),
        Bad("rank", lambda: run(betas=BETAS[None]), ValueError, "betas"),
        Bad("finite", lambda: run(betas=BETAS * np.nan), ValueError, "betas"),
    ]


def clip_cases(run) -> list[Bad]:
    return [
        Bad("range", lambda: run(clip_x0=0.0), ValueError, "clip_x0"),
        Bad("range", lambda: run(clip_x0=-1.0), ValueError, "clip_x0"),
        Bad("type", lambda: run(clip_x0="1"), TypeError, "clip_x0"),
    ]


def steps_cases(run) -> list[Bad]:
    return [
        Bad("count", lambda: run(steps=0), ValueError, "steps"),
        Bad("range", lambda: run(steps=T + 1), ValueError, "steps"),  # more than the schedule's
        Bad("type", lambda: run(steps="20"), TypeError, "steps"),
        Bad("range", lambda: run(eta=1.5), ValueError, "eta"),
        Bad("range", lambda: run(eta=-0.1), ValueError, "eta"),
        Bad("type", lambda: run(eta="0"), TypeError, "eta"),
        Bad("finite", lambda: run(eta=np.nan), ValueError, "eta"),
    ]


CASES = {
    # ------------------------------------------------------------------ 1. forward process
    "imgen_helpers.diffusion.noise_schedule": [
        Bad("type", lambda: d.noise_schedule("100"), TypeError, "steps"),
        Bad("type", lambda: d.noise_schedule(2.5), TypeError, "steps"),
        Bad("count", lambda: d.noise_schedule(0), ValueError, "steps"),
        Bad("count", lambda: d.noise_schedule(-10), ValueError, "steps"),
        Bad("name", lambda: d.noise_schedule(100, "cosin"), ValueError, "schedule"),
        Bad("name", lambda: d.noise_schedule(100, "Cosine"), ValueError, "schedule"),
        Bad("name", lambda: d.noise_schedule(100, None), ValueError, "schedule"),
        Bad("value", lambda: d.noise_schedule(10, "linear"), ValueError, "steps"),
    ],
    "imgen_helpers.diffusion.alpha_bars": [
        Bad("type", lambda: d.alpha_bars("cosine"), TypeError, "betas"),
        Bad("rank", lambda: d.alpha_bars(np.full((2, 3), 0.1)), ValueError, "betas"),
        Bad("rank", lambda: d.alpha_bars(0.1), ValueError, "betas"),
        Bad("range", lambda: d.alpha_bars([0.1, 1.5]), ValueError, "betas"),
        Bad("range", lambda: d.alpha_bars(np.zeros(5)), ValueError, "betas"),
        Bad("finite", lambda: d.alpha_bars([0.1, np.nan]), ValueError, "betas"),
        Bad("count", lambda: d.alpha_bars([]), ValueError, "betas"),
    ],
    "imgen_helpers.diffusion.signal_to_noise": [
        Bad("type", lambda: d.signal_to_noise("0.5"), TypeError, "alpha_bar"),
        Bad("range", lambda: d.signal_to_noise([0.5, 1.0]), ValueError, "alpha_bar"),
        Bad("range", lambda: d.signal_to_noise([-0.1, 0.5]), ValueError, "alpha_bar"),
        Bad("finite", lambda: d.signal_to_noise([np.nan]), ValueError, "alpha_bar"),
        Bad("count", lambda: d.signal_to_noise([]), ValueError, "alpha_bar"),
    ],
    "imgen_helpers.diffusion.q_sample": [
        Bad("type", lambda: d.q_sample("x0.png", AB, NOISE), TypeError, "x0"),
        Bad("type", lambda: d.q_sample(POINTS, "0.5", NOISE), TypeError, "alpha_bar"),
        Bad("type", lambda: d.q_sample(POINTS, AB, None), TypeError, "noise"),
        Bad("compat", lambda: d.q_sample(POINTS, AB, NOISE[:, :1]), ValueError, "noise"),
        Bad("compat", lambda: d.q_sample(IMAGES, AB[:2], IMAGES[..., 0]), ValueError, "noise"),
        Bad("count", lambda: d.q_sample(POINTS, AB[:3], NOISE), ValueError, "alpha_bar"),
        Bad("rank", lambda: d.q_sample(POINTS, AB[:, None], NOISE), ValueError, "alpha_bar"),
        Bad("rank", lambda: d.q_sample(0.5, 0.5, 0.1), ValueError, "x0"),
        Bad("range", lambda: d.q_sample(POINTS, AB + 1.0, NOISE), ValueError, "alpha_bar"),
        Bad("range", lambda: d.q_sample(POINTS, -AB, NOISE), ValueError, "alpha_bar"),
        Bad("finite", lambda: d.q_sample(NAN_POINTS, AB, NOISE), ValueError, "x0"),
        Bad("finite", lambda: d.q_sample(POINTS, AB * np.nan, NOISE), ValueError, "alpha_bar"),
        Bad("count", lambda: d.q_sample(POINTS[:0], AB[:0], NOISE[:0]), ValueError, "x0"),
    ],
    "imgen_helpers.diffusion.forward_step": [
        Bad("type", lambda: d.forward_step("x", 0.1, NOISE), TypeError, "x_prev"),
        Bad("type", lambda: d.forward_step(POINTS, None, NOISE), TypeError, "beta"),
        Bad("compat", lambda: d.forward_step(POINTS, 0.1, NOISE[:2]), ValueError, "noise"),
        Bad("range", lambda: d.forward_step(POINTS, 1.5, NOISE), ValueError, "beta"),
        Bad("range", lambda: d.forward_step(POINTS, -0.1, NOISE), ValueError, "beta"),
        Bad("count", lambda: d.forward_step(POINTS, BETAS[:3], NOISE), ValueError, "beta"),
        Bad("finite", lambda: d.forward_step(POINTS, 0.1, NOISE * np.nan), ValueError, "noise"),
    ],
    "imgen_helpers.diffusion.flow_interpolate": [
        Bad("type", lambda: d.flow_interpolate(POINTS, "0.5", NOISE), TypeError, "t"),
        Bad("type", lambda: d.flow_interpolate([["a", "b"]], 0.5, NOISE), TypeError, "x0"),
        Bad("range", lambda: d.flow_interpolate(POINTS, 1.5, NOISE), ValueError, "t"),
        Bad("range", lambda: d.flow_interpolate(POINTS, TIMES - 1, NOISE), ValueError, "t"),
        Bad("count", lambda: d.flow_interpolate(POINTS, TIMES[:2], NOISE), ValueError, "t"),
        Bad("rank", lambda: d.flow_interpolate(POINTS, TIMES[:, None], NOISE), ValueError, "t"),
        Bad(
            "compat",
            lambda: d.flow_interpolate(POINTS, TIMES, np.ones((4, 3))),
            ValueError,
            "noise",
        ),
        Bad("finite", lambda: d.flow_interpolate(NAN_POINTS, TIMES, NOISE), ValueError, "x0"),
        Bad("finite", lambda: d.flow_interpolate(POINTS, TIMES * np.nan, NOISE), ValueError, "t"),
        Bad("rank", lambda: d.flow_interpolate(1.0, 0.5, 0.0), ValueError, "x0"),
    ],
    # ------------------------------------------------------------------ 3. objectives
    "imgen_helpers.diffusion.noise_prediction_loss": [
        Bad("type", lambda: d.noise_prediction_loss("eps", NOISE), TypeError, "predicted_noise"),
        Bad("compat", lambda: d.noise_prediction_loss(NOISE, NOISE[:, :1]), ValueError, "noise"),
        Bad("compat", lambda: d.noise_prediction_loss(IMAGES, IMAGES[..., 0]), ValueError, "noise"),
        Bad(
            "finite",
            lambda: d.noise_prediction_loss(NOISE * np.nan, NOISE),
            ValueError,
            "predicted_noise",
        ),
        Bad("rank", lambda: d.noise_prediction_loss(0.0, 0.0), ValueError, "predicted_noise"),
        Bad(
            "count",
            lambda: d.noise_prediction_loss(NOISE[:0], NOISE[:0]),
            ValueError,
            "predicted_noise",
        ),
    ],
    "imgen_helpers.diffusion.velocity_loss": [
        Bad("type", lambda: d.velocity_loss(POINTS, "x0", NOISE), TypeError, "x0"),
        Bad(
            "compat",
            lambda: d.velocity_loss(POINTS[:2], POINTS, NOISE),
            ValueError,
            "predicted_velocity",
        ),
        Bad("compat", lambda: d.velocity_loss(POINTS, POINTS, NOISE[:, :1]), ValueError, "noise"),
        Bad("finite", lambda: d.velocity_loss(POINTS, NAN_POINTS, NOISE), ValueError, "x0"),
        Bad("rank", lambda: d.velocity_loss(1.0, 1.0, 1.0), ValueError, "predicted_velocity"),
    ],
    # ------------------------------------------------------------------ 4. networks
    "imgen_helpers.diffusion.sinusoidal_embedding": [
        Bad("type", lambda: d.sinusoidal_embedding(TIMES, "16"), TypeError, "dim"),
        Bad("value", lambda: d.sinusoidal_embedding(TIMES, 7), ValueError, "dim"),
        Bad("count", lambda: d.sinusoidal_embedding(TIMES, 0), ValueError, "dim"),
        Bad("type", lambda: d.sinusoidal_embedding("0.5", 16), TypeError, "t"),
        Bad("rank", lambda: d.sinusoidal_embedding(TIMES[:, None], 16), ValueError, "t"),
        Bad("rank", lambda: d.sinusoidal_embedding(0.5, 16), ValueError, "t"),
        Bad("finite", lambda: d.sinusoidal_embedding([np.nan], 16), ValueError, "t"),
        Bad("range", lambda: d.sinusoidal_embedding(TIMES, 16, 0.0), ValueError, "max_period"),
        Bad("type", lambda: d.sinusoidal_embedding(TIMES, 16, "1e4"), TypeError, "max_period"),
    ],
    "imgen_helpers.diffusion.SinusoidalEmbedding": [
        Bad("type", lambda: d.SinusoidalEmbedding("16"), TypeError, "dim"),
        Bad("value", lambda: d.SinusoidalEmbedding(7), ValueError, "dim"),
        Bad("count", lambda: d.SinusoidalEmbedding(-2), ValueError, "dim"),
        Bad(
            "rank", lambda: d.SinusoidalEmbedding(8)(np.zeros((2, 1), np.float32)), ValueError, "t"
        ),
        Bad("finite", lambda: d.SinusoidalEmbedding(8)(np.full(2, np.nan)), ValueError, "t"),
    ],
    "imgen_helpers.diffusion.UNetConfig": [
        Bad("type", lambda: d.UNetConfig(widths=5), TypeError, "widths"),
        Bad("type", lambda: d.UNetConfig(widths="32,64"), TypeError, "widths"),
        Bad("type", lambda: d.UNetConfig(widths=(32, "64")), TypeError, "widths"),
        Bad("value", lambda: d.UNetConfig(widths=()), ValueError, "widths"),
        Bad("value", lambda: d.UNetConfig(widths=(32, 0)), ValueError, "widths"),
        Bad("value", lambda: d.UNetConfig(image_shape=(28, 28)), ValueError, "image_shape"),
        Bad("type", lambda: d.UNetConfig(image_shape="28x28"), TypeError, "image_shape"),
        Bad("compat", lambda: d.UNetConfig(image_shape=(30, 30, 1)), ValueError, "image_shape"),
        Bad("count", lambda: d.UNetConfig(blocks=0), ValueError, "blocks"),
        Bad("type", lambda: d.UNetConfig(blocks="1"), TypeError, "blocks"),
        Bad("type", lambda: d.UNetConfig(attention="yes"), TypeError, "attention"),
        Bad("value", lambda: d.UNetConfig(num_classes=0), ValueError, "num_classes"),
        Bad("type", lambda: d.UNetConfig(num_classes="10"), TypeError, "num_classes"),
        Bad("value", lambda: d.UNetConfig(time_dim=63), ValueError, "time_dim"),
        Bad("count", lambda: d.UNetConfig(time_dim=0), ValueError, "time_dim"),
        Bad("compat", lambda: d.UNetConfig(groups=3), ValueError, "groups"),
        Bad("count", lambda: d.UNetConfig(groups=0), ValueError, "groups"),
        Bad("compat", lambda: d.UNetConfig(widths=(2, 2), groups=1), ValueError, "attention"),
    ],
    "imgen_helpers.diffusion.build_unet": [
        Bad("type", lambda: d.build_unet({"widths": (8, 8)}), TypeError, "config"),
        Bad("type", lambda: d.build_unet(None), TypeError, "config"),
        Bad("type", lambda: d.build_unet((28, 28, 1)), TypeError, "config"),
    ],
    "imgen_helpers.diffusion.build_mlp_denoiser": [
        Bad("type", lambda: d.build_mlp_denoiser(dim="2"), TypeError, "dim"),
        Bad("count", lambda: d.build_mlp_denoiser(dim=0), ValueError, "dim"),
        Bad("count", lambda: d.build_mlp_denoiser(width=0), ValueError, "width"),
        Bad("count", lambda: d.build_mlp_denoiser(depth=0), ValueError, "depth"),
        Bad("type", lambda: d.build_mlp_denoiser(depth=1.5), TypeError, "depth"),
        Bad("value", lambda: d.build_mlp_denoiser(num_classes=0), ValueError, "num_classes"),
        Bad("type", lambda: d.build_mlp_denoiser(num_classes="8"), TypeError, "num_classes"),
        Bad("value", lambda: d.build_mlp_denoiser(time_dim=31), ValueError, "time_dim"),
    ],
    # ------------------------------------------------------------------ 5. the model
    "imgen_helpers.diffusion.Diffusion": [
        # the constructor
        Bad("type", lambda: d.Diffusion("unet.keras"), TypeError, "network"),
        Bad("type", lambda: d.Diffusion(d.build_unet), TypeError, "network"),  # not called
        Bad("value", lambda: d.Diffusion(one_input()), ValueError, "network"),
        Bad("compat", lambda: d.Diffusion(classifier()), ValueError, "network"),
        Bad("value", lambda: d.Diffusion(unnamed_labels()), ValueError, "network"),
        Bad("name", lambda: make(objective="ddpm"), ValueError, "objective"),
        Bad("name", lambda: make(schedule="cosin"), ValueError, "schedule"),
        Bad("name", lambda: make(objective="velocity", schedule="cosin"), ValueError, "schedule"),
        Bad("count", lambda: make(steps=0), ValueError, "steps"),
        Bad("type", lambda: make(steps="1000"), TypeError, "steps"),
        Bad("value", lambda: make(steps=10, schedule="linear"), ValueError, "steps"),
        Bad("range", lambda: make(ema=1.5), ValueError, "ema"),
        Bad("range", lambda: make(ema=1.0), ValueError, "ema"),
        Bad("range", lambda: make(ema=0.0), ValueError, "ema"),
        Bad("type", lambda: make(ema="0.999"), TypeError, "ema"),
        Bad("finite", lambda: make(ema=np.nan), ValueError, "ema"),
        Bad("range", lambda: make(label_dropout=1.0), ValueError, "label_dropout"),
        Bad("range", lambda: make(label_dropout=-0.1), ValueError, "label_dropout"),
        Bad("type", lambda: make(label_dropout="0.1"), TypeError, "label_dropout"),
        Bad("type", lambda: make(seed="0"), TypeError, "seed"),
        Bad("value", lambda: make(seed=-1), ValueError, "seed"),
        # fit: checked before Keras starts
        Bad("compat", lambda: fit(model(), np.zeros((8, 3), np.float32)), ValueError, "x"),
        Bad("rank", lambda: fit(model(), np.zeros(8, np.float32)), ValueError, "x"),
        Bad("finite", lambda: fit(model(), NAN_POINTS), ValueError, "x"),
        Bad("type", lambda: fit(model(), "ring_mixture"), TypeError, "x"),
        Bad("range", lambda: fit(model(), np.zeros((4, 2), np.uint8)), ValueError, "x"),
        Bad("value", lambda: fit(model(3), POINTS, np.array([0, 1, 2, 5])), ValueError, "y"),
        Bad("value", lambda: fit(model(3), POINTS, np.array([0, 1, -1, 2])), ValueError, "y"),
        Bad("count", lambda: fit(model(3), POINTS, np.array([0, 1])), ValueError, "y"),
        Bad("type", lambda: fit(model(3), POINTS, np.full(4, 0.5)), TypeError, "y"),
        Bad("value", lambda: fit(model(), POINTS, np.array([0, 1, 2, 0])), ValueError, "y"),
        # loss_at
        Bad("compat", lambda: model().loss_at(POINTS, NOISE[:, :1], STEPS), ValueError, "noise"),
        Bad("finite", lambda: model().loss_at(NAN_POINTS, NOISE, STEPS), ValueError, "x0"),
        Bad("range", lambda: model().loss_at(POINTS, NOISE, np.full(4, T)), ValueError, "t"),
        Bad("range", lambda: model().loss_at(POINTS, NOISE, STEPS - 1), ValueError, "t"),
        Bad("value", lambda: model().loss_at(POINTS, NOISE, TIMES), ValueError, "t"),
        Bad("count", lambda: model().loss_at(POINTS, NOISE, STEPS[:3]), ValueError, "t"),
        Bad(
            "range",
            lambda: model(objective="velocity").loss_at(POINTS, NOISE, TIMES + 1),
            ValueError,
            "t",
        ),
        Bad(
            "value",
            lambda: model(3).loss_at(POINTS, NOISE, STEPS, labels=np.full(4, 7)),
            ValueError,
            "labels",
        ),
        Bad(
            "count",
            lambda: model(3).loss_at(POINTS, NOISE, STEPS, labels=np.zeros(2, int)),
            ValueError,
            "labels",
        ),
        # predict_fn and the predictions it makes
        Bad("type", lambda: model().predict_fn(use_ema="yes"), TypeError, "use_ema"),
        Bad("compat", lambda: model().predict_fn(guidance=3.0), ValueError, "guidance"),
        Bad("range", lambda: model(3).predict_fn(guidance=-1.0), ValueError, "guidance"),
        Bad("type", lambda: model(3).predict_fn(guidance="3"), TypeError, "guidance"),
        Bad("compat", lambda: model().predict_fn()(np.zeros((4, 3)), TIMES), ValueError, "x"),
        Bad("value", lambda: model().predict_fn()(POINTS, STEPS, STEPS), ValueError, "labels"),
        Bad(
            "value",
            lambda: model(3).predict_fn()(POINTS, STEPS, np.full(4, 9)),
            ValueError,
            "labels",
        ),
        # sample
        Bad("compat", lambda: model().sample((4, 3), steps=2), ValueError, "shape"),
        Bad("compat", lambda: model().sample((4, 28, 28, 1), steps=2), ValueError, "shape"),
        Bad("type", lambda: model().sample("4x2"), TypeError, "shape"),
        Bad("count", lambda: model().sample((0, 2), steps=2), ValueError, "shape"),
        Bad("count", lambda: model().sample(SHAPE, steps=0), ValueError, "steps"),
        Bad("range", lambda: model().sample(SHAPE, steps=T + 1), ValueError, "steps"),
        Bad("compat", lambda: model().sample(SHAPE, guidance=2.0, steps=2), ValueError, "guidance"),
        Bad("value", lambda: model(3).sample(SHAPE, guidance=2.0, steps=2), ValueError, "labels"),
        Bad(
            "value",
            lambda: model(3).sample(SHAPE, labels=[0, 1, 2, 7], steps=2),
            ValueError,
            "labels",
        ),
        Bad("count", lambda: model(3).sample(SHAPE, labels=[0, 1], steps=2), ValueError, "labels"),
        Bad(
            "value",
            lambda: model().sample(SHAPE, labels=[0, 1, 2, 0], steps=2),
            ValueError,
            "labels",
        ),
        Bad("type", lambda: model().sample(SHAPE, seed="0", steps=2), TypeError, "seed"),
        Bad("range", lambda: model().sample(SHAPE, clip_x0=-1.0, steps=2), ValueError, "clip_x0"),
    ],
    # ------------------------------------------------------------------ 6. samplers
    "imgen_helpers.diffusion.ddpm_sample": [
        *sampler_cases(ddpm, "predict_noise", "x_T"),
        *betas_cases(ddpm),
        *clip_cases(ddpm),
    ],
    "imgen_helpers.diffusion.ddim_sample": [
        *sampler_cases(ddim, "predict_noise", "x_T"),
        *betas_cases(ddim),
        *clip_cases(ddim),
        *steps_cases(ddim),
    ],
    "imgen_helpers.diffusion.flow_sample": [
        *sampler_cases(flow, "predict_velocity", "x_1"),
        Bad("count", lambda: flow(steps=0), ValueError, "steps"),
        Bad("type", lambda: flow(steps=2.5), TypeError, "steps"),
        Bad("type", lambda: flow(steps="50"), TypeError, "steps"),
        Bad("name", lambda: flow(method="rk4"), ValueError, "method"),
        Bad("name", lambda: flow(method="Euler"), ValueError, "method"),
    ],
    "imgen_helpers.diffusion.guided": [
        Bad("type", lambda: d.guided("predict", 2.0, 3), TypeError, "predict"),
        Bad("type", lambda: d.guided(mlp(3), 2.0, 3), TypeError, "predict"),
        Bad("type", lambda: d.guided(lambda x, t: x, 2.0, 3), TypeError, "predict"),
        Bad("range", lambda: d.guided(zero, -1.0, 3), ValueError, "scale"),
        Bad("type", lambda: d.guided(zero, "2", 3), TypeError, "scale"),
        Bad("finite", lambda: d.guided(zero, np.inf, 3), ValueError, "scale"),
        Bad("value", lambda: d.guided(zero, 2.0, -1), ValueError, "no_label"),
        Bad("type", lambda: d.guided(zero, 2.0, 2.5), TypeError, "no_label"),
        Bad("value", lambda: d.guided(zero, 2.0, 3)(POINTS, TIMES), ValueError, "labels"),
    ],
    "imgen_helpers.diffusion.inpaint": [
        Bad("value", lambda: inpaint(mask=np.full_like(IMAGES, 0.5)), ValueError, "mask"),
        Bad("value", lambda: inpaint(mask=MASK * 255), ValueError, "mask"),
        Bad("compat", lambda: inpaint(mask=MASK[..., 0]), ValueError, "mask"),
        Bad("compat", lambda: inpaint(mask=MASK[:1]), ValueError, "mask"),
        Bad("type", lambda: inpaint(mask="left half"), TypeError, "mask"),
        Bad("type", lambda: inpaint(known="image.png"), TypeError, "known"),
        Bad("finite", lambda: inpaint(known=IMAGES * np.nan), ValueError, "known"),
        Bad("range", lambda: inpaint(known=IMAGES.astype(np.uint8)), ValueError, "known"),
        Bad(
            "rank", lambda: inpaint(known=IMAGES[0, 0, 0], mask=MASK[0, 0, 0]), ValueError, "known"
        ),
        Bad("type", lambda: inpaint(predict_noise="eps"), TypeError, "predict_noise"),
        Bad("type", lambda: inpaint(predict_noise=mlp()), TypeError, "predict_noise"),
        Bad(
            "compat",
            lambda: inpaint(predict_noise=lambda x, t, labels: x[:, :4]),
            ValueError,
            "predict_noise",
        ),
        Bad("count", lambda: inpaint(labels=[0]), ValueError, "labels"),
        Bad("type", lambda: inpaint(seed=None), TypeError, "seed"),
        Bad("type", lambda: inpaint(verbose="yes"), TypeError, "verbose"),
        *betas_cases(inpaint),
        *clip_cases(inpaint),
        *steps_cases(inpaint),
    ],
    "imgen_helpers.diffusion.show_forward_process": [
        Bad("rank", lambda: d.show_forward_process(IMAGES, AB, [0]), ValueError, "image"),
        Bad("range", lambda: d.show_forward_process(IMAGES[0] + 3, AB, [0]), ValueError, "image"),
        Bad("type", lambda: d.show_forward_process("digit.png", AB, [0]), TypeError, "image"),
        Bad(
            "range", lambda: d.show_forward_process(IMAGES[0], AB * 0, [0]), ValueError, "alpha_bar"
        ),
        Bad(
            "value",
            lambda: d.show_forward_process(IMAGES[0], AB, [len(AB)]),
            ValueError,
            "timesteps",
        ),
        Bad("value", lambda: d.show_forward_process(IMAGES[0], AB, []), ValueError, "timesteps"),
        Bad(
            "value", lambda: d.show_forward_process(IMAGES[0], AB, [-1]), ValueError, "timesteps[0]"
        ),
        Bad("type", lambda: d.show_forward_process(IMAGES[0], AB, 5), TypeError, "timesteps"),
        Bad(
            "type", lambda: d.show_forward_process(IMAGES[0], AB, [0], seed=None), TypeError, "seed"
        ),
    ],
    "imgen_helpers.diffusion.flow_inpaint": [
        Bad("value", lambda: flow_inpaint(mask=np.full_like(IMAGES, 0.5)), ValueError, "mask"),
        Bad("compat", lambda: flow_inpaint(mask=MASK[:1]), ValueError, "mask"),
        Bad("type", lambda: flow_inpaint(known="image.png"), TypeError, "known"),
        Bad("range", lambda: flow_inpaint(known=IMAGES.astype(np.uint8)), ValueError, "known"),
        Bad("type", lambda: flow_inpaint(predict_velocity=mlp()), TypeError, "predict_velocity"),
        Bad("count", lambda: flow_inpaint(steps=0), ValueError, "steps"),
        Bad("name", lambda: flow_inpaint(method="rk4"), ValueError, "method"),
        Bad("count", lambda: flow_inpaint(labels=[0]), ValueError, "labels"),
        Bad("type", lambda: flow_inpaint(seed=None), TypeError, "seed"),
    ],
}

test_bad_inputs = parametrize(CASES)
