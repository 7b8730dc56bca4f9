"""imgen_helpers: the tested code behind the imgen course on image generation.

Importing the package does nothing but define names: no seeding, no downloads, no
TensorFlow set-up. Notebooks call :func:`set_seed` and :func:`configure` explicitly.

Modules, one per job:

* :mod:`imgen_helpers.runtime`: quick mode (``budget``), seeds, device and precision, and
  ``SteadyFit`` (one data iterator per ``fit()``);
* :mod:`imgen_helpers.data`: MNIST (online or shipped offline), images and paintings;
* :mod:`imgen_helpers.images`: image ranges and conventions, PSNR, SSIM;
* :mod:`imgen_helpers.plotting`: grids, loss curves, comparisons, GIFs;
* :mod:`imgen_helpers.checkpoints`: checkpoint every N epochs, resume after an interruption;
* :mod:`imgen_helpers.noise`: noise models and procedural images;
* :mod:`imgen_helpers.gan`: GAN builders, losses, the ``GAN`` model, callbacks, GAN datasets;
* :mod:`imgen_helpers.toy2d`: 2-D Gaussian mixtures, toy GAN players, mode coverage;
* :mod:`imgen_helpers.vae`: VAE builders, ELBO and IWAE, the ``VAE`` model;
* :mod:`imgen_helpers.style_transfer`: VGG19 features, Gram matrices, Gatys and fast transfer;
* :mod:`imgen_helpers.metrics`: the MNIST classifier, FID/KID analogues, precision and recall.
"""

from .runtime import budget, configure, is_offline, is_quick, set_seed

__version__ = "0.1.0"
REPOSITORY_URL = "https://github.com/imgen-course/imgen"
"""The one place that holds the course repository's address (used by the Colab set-up cell)."""

__all__ = ["REPOSITORY_URL", "budget", "configure", "is_offline", "is_quick", "set_seed"]
