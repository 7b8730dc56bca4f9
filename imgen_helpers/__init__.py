"""imgen_helpers: the tested code behind the imgen course on image generation.

Importing the package does nothing but define names: no seeding, no downloads, no
TensorFlow set-up. Notebooks call :func:`set_seed` and :func:`configure` explicitly.

Modules, one per job (the teaching path):

* :mod:`imgen_helpers.runtime`: quick mode (``budget``), seeds, device and precision;
* :mod:`imgen_helpers.data`: MNIST (online or shipped offline) and its ``tf.data`` pipeline,
  images and paintings, procedural shapes;
* :mod:`imgen_helpers.images`: image ranges and conventions, PSNR, SSIM;
* :mod:`imgen_helpers.plotting`: grids, loss curves, comparisons, GIFs;
* :mod:`imgen_helpers.callbacks`: checkpoints and resume for every model, sample grids, timing;
* :mod:`imgen_helpers.noise`: noise models and procedural images;
* :mod:`imgen_helpers.gan`: the first GAN's builders, GAN losses, the ``GAN`` model, sampling;
* :mod:`imgen_helpers.dcgan`: the DCGAN's networks, its training recipe, the shipped generator;
* :mod:`imgen_helpers.conditional_gan`: the conditional GAN (label embedding, concatenating and
  projection discriminators, ``ConditionalGAN``), the shipped generator;
* :mod:`imgen_helpers.toy2d`: 2-D Gaussian mixtures, toy GAN players, mode coverage;
* :mod:`imgen_helpers.vae`: VAE builders, ELBO and IWAE, the ``VAE`` model;
* :mod:`imgen_helpers.diffusion`: the forward process, DDPM and flow-matching objectives, a
  small U-Net, the ``Diffusion`` model, samplers, guidance and inpainting;
* :mod:`imgen_helpers.diffusion_mnist`: the digits' diffusion model, its recipe, the shipped one;
* :mod:`imgen_helpers.vgg`, :mod:`imgen_helpers.style_transfer` and
  :mod:`imgen_helpers.style_network`: VGG19 features, Gatys' optimisation, the fast network;
* :mod:`imgen_helpers.classifier` and :mod:`imgen_helpers.metrics`: the MNIST classifier,
  FID/KID analogues, precision and recall, label agreement, the Classification Accuracy Score;
* :mod:`imgen_helpers.checks`: the argument checks every public function uses;
* :mod:`imgen_helpers.exercises`: the checks of the lessons' exercises;
* :mod:`imgen_helpers.cli`: the command lines (``imgen train-dcgan``, ``train-cgan``,
  ``train-diffusion``, ``sample``, ...).

The speed wing, :mod:`imgen_helpers.fast`, holds what exists only to go faster; the teaching
modules reach it through one visible switch (``fast=True``) and tests prove it computes the same.
"""

from .runtime import budget, configure, is_offline, is_quick, set_seed

__version__ = "0.3.0"
REPOSITORY_URL = "https://github.com/imgen-course/imgen"
"""The one place that holds the course repository's address (used by the Colab set-up cell)."""

__all__ = ["REPOSITORY_URL", "budget", "configure", "is_offline", "is_quick", "set_seed"]
