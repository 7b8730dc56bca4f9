"""Moved in 0.2: checkpoints live with the other callbacks, in :mod:`imgen_helpers.callbacks`."""

raise ImportError(
    "imgen_helpers.checkpoints moved to imgen_helpers.callbacks: write "
    "`from imgen_helpers.callbacks import Checkpoint, latest_checkpoint, restore_checkpoint`."
)
