"""Child process of ``test_resume.py``: train a tiny GAN or VAE, die on request, or resume.

``python tests/resume_run.py train KIND FOLDER EPOCHS OUT [--kill-at EPOCH BATCH] [--resume]``
trains KIND (``gan`` or ``vae``) on 64 offline digits with deterministic ops, checkpointing every
epoch into FOLDER, and writes every weight, optimizer variable and noise state to OUT (.npz).
``--kill-at`` sends itself SIGKILL before that batch (0-based epoch and batch); ``--resume``
continues from FOLDER's newest complete checkpoint with the data stream started there
(``--data-from`` starts it elsewhere: the wrong resume the control test makes).

``python tests/resume_run.py save FOLDER POINT N`` saves a tiny GAN as epoch 1, then starts
saving epoch 2 and dies at the N-th event of kind POINT (``dataset``: an HDF5 array written;
``replace``: a rename into place), as a learner's run killed during a save would; with N = 0 it
finishes and prints how many events of each kind one save has.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys

import h5py
import keras
import numpy as np

from imgen_helpers import callbacks, dcgan, gan, runtime, vae
from imgen_helpers.data import mnist_epochs


def build(kind: str) -> keras.Model:
    if kind == "gan":
        config = dcgan.DCGANConfig(width=8, latent_dim=8)
        model = gan.GAN(
            dcgan.build_dcgan_generator(config),
            dcgan.build_dcgan_discriminator(config),
            8,
            seed=0,
            ema=0.9,
        )
        model.compile(
            d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
            g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        )
        return model
    model = vae.VAE(vae.VAEConfig(latent_dim=4, filters=(8, 16), decoder_channels=8), seed=0)
    model.compile(optimizer=keras.optimizers.Adam(1e-3))
    return model


def state(model: keras.Model) -> dict[str, np.ndarray]:
    """Everything a run carries forward: weights, optimizer variables, noise states."""
    arrays = [v.numpy() for v in model.weights]
    for name in ("optimizer", "d_optimizer", "g_optimizer"):
        optimizer = getattr(model, name, None)
        if optimizer is not None:
            arrays += [v.numpy() for v in optimizer.variables]
    arrays += [g.state.numpy() for g in callbacks._seed_generators(model)]
    return {f"a{i}": a for i, a in enumerate(arrays)}


class KillAt(keras.callbacks.Callback):
    def __init__(self, epoch: int, batch: int):
        super().__init__()
        self.at, self.epoch = (epoch, batch), None

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_begin(self, batch, logs=None):
        if (self.epoch, batch) == self.at:
            os.kill(os.getpid(), signal.SIGKILL)


def train(args) -> None:
    runtime.configure("float32", verbose=False)
    runtime.set_seed(0, deterministic=True)
    model = build(args.kind)
    start = callbacks.resume(model, args.folder) if args.resume else 0
    pixels = "symmetric" if args.kind == "gan" else "dynamic"
    data, steps = mnist_epochs(
        "train",
        16,
        start_epoch=start if args.data_from is None else args.data_from,
        pixels=pixels,
        drop_remainder=True,
        source="offline",
        limit=64,
        verbose=False,
    )
    extra = [KillAt(*args.kill_at)] if args.kill_at else []
    model.fit(
        data,
        epochs=args.epochs,
        initial_epoch=start,
        steps_per_epoch=steps,
        verbose=0,
        shuffle=False,
        callbacks=[callbacks.Checkpoint(args.folder, keep=None), *extra],
    )
    np.savez(args.out, **state(model))


def die_at(point: str, n: int) -> dict[str, int]:
    """Make the n-th event of ``point`` from now on kill the process; count every event."""
    count = {"dataset": 0, "replace": 0}

    def counted(original, kind):
        def wrapper(*args, **kwargs):
            count[kind] += 1
            if kind == point and count[kind] == n:
                os.kill(os.getpid(), signal.SIGKILL)
            return original(*args, **kwargs)

        return wrapper

    h5py.Group.create_dataset = counted(h5py.Group.create_dataset, "dataset")
    os.replace = counted(os.replace, "replace")
    return count


def save(args) -> None:
    runtime.configure("float32", verbose=False)
    runtime.set_seed(0)
    model = build("gan")
    model.fit(np.zeros((16, 28, 28, 1), np.float32), batch_size=16, verbose=0)
    callbacks.save_checkpoint(model, f"{args.folder}/epoch_0001.weights.h5")
    np.savez(f"{args.folder}/saved_1.npz", **state(model))
    model.fit(np.full((16, 28, 28, 1), 0.5, np.float32), batch_size=16, verbose=0)
    count = die_at(args.point, args.n)
    callbacks.save_checkpoint(model, f"{args.folder}/epoch_0002.weights.h5")
    np.savez(f"{args.folder}/saved_2.npz", **state(model))
    print(f"events in one save: {count}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train")
    t.add_argument("kind", choices=("gan", "vae"))
    t.add_argument("folder")
    t.add_argument("epochs", type=int)
    t.add_argument("out")
    t.add_argument("--kill-at", type=int, nargs=2)
    t.add_argument("--resume", action="store_true")
    t.add_argument("--data-from", type=int, help="start the data here instead (a wrong resume)")
    s = sub.add_parser("save")
    s.add_argument("folder")
    s.add_argument("point", choices=("dataset", "replace"))
    s.add_argument("n", type=int)
    arguments = parser.parse_args()
    (train if arguments.command == "train" else save)(arguments)
    sys.exit(0)
