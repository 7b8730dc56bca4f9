"""Moved in 0.2: the fast layers live in the speed wing, :mod:`imgen_helpers.fast.layers`."""

raise ImportError(
    "imgen_helpers.layers moved to imgen_helpers.fast.layers (the speed wing): write "
    "`from imgen_helpers.fast import layers as fast_layers`. To build a DCGAN with them, pass "
    "fast=True to imgen_helpers.dcgan.build_dcgan_generator / build_dcgan_discriminator."
)
