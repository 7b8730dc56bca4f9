"""The speed wing: code that exists only to train faster on a CPU, kept apart from the lessons.

Nothing in the teaching modules imports this package except behind one visible switch, and
every piece here has a test proving it computes what the plain path computes:

* :mod:`imgen_helpers.fast.layers`: drop-in ``Conv2D``, ``Conv2DTranspose`` and
  ``BatchNormalization`` that compute Keras' layers through faster kernels, and the fast
  style network's ``UpsampleConv2D`` (``tests/test_fast_layers.py``). Switched on by
  ``fast=True`` in the DCGAN builders and the transform network's config.
* :mod:`imgen_helpers.fast.gan`: :class:`~imgen_helpers.fast.gan.FastGAN`, the plain
  :class:`~imgen_helpers.gan.GAN` with two cheaper steps (reused fakes; the simultaneous
  update with one backward pass through the discriminator) (``tests/test_fast_gan.py``).
  Switched on by ``DCGANRecipe(fast=True)``.
* :mod:`imgen_helpers.fast.style`: the float32 twin of the VGG extractor and the traced
  loss-and-gradient cache of L-BFGS style transfer (``tests/test_fast_style.py``).

What each buys is measured in ``benchmarks/`` and recorded in ``benchmarks/RESULTS.md``.
"""
