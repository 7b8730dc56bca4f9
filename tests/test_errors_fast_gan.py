"""Bad inputs for imgen_helpers.fast.gan: each must get a clear error naming the argument."""

from bad_inputs import Bad, parametrize
from test_errors_gan import LATENT, players

from imgen_helpers.fast.gan import FastGAN


def make(**kwargs) -> FastGAN:
    return FastGAN(*players(), LATENT, **kwargs)


CASES = {
    "imgen_helpers.fast.gan.FastGAN": [
        Bad("name", lambda: make(update="both"), ValueError, "update"),
        Bad("type", lambda: make(reuse_fakes="yes"), TypeError, "reuse_fakes"),
        Bad(
            "compat",
            lambda: make(update="simultaneous", reuse_fakes=True),
            ValueError,
            "reuse_fakes",
        ),
        Bad(
            "compat",
            lambda: make(update="simultaneous", critic_steps=5),
            ValueError,
            "critic_steps",
        ),
        Bad(
            "compat",
            lambda: make(update="simultaneous", loss="wgan_gp"),
            ValueError,
            "simultaneous",
        ),
        # the plain GAN's checks apply as well
        Bad(
            "type", lambda: FastGAN("generator.keras", players()[1], LATENT), TypeError, "generator"
        ),
        Bad("compat", lambda: FastGAN(*players(), 100), ValueError, "latent_dim"),
    ],
}

test_bad_inputs = parametrize(CASES)
