"""How long lesson 07's full-budget training takes: seconds per step, and the projected total.

Lesson 07 trains its feed-forward style network (``TransformNetConfig`` with filters
(32, 64, 128), 5 residual blocks, ``fast=True``) for 20 epochs of 200 steps on batches of four
256x256 crops, with VGG19 perceptual losses. Running the whole lesson at that budget takes hours
on a 2-core CPU, so ``benchmarks/lesson_times.py`` cannot measure it in one sitting. This script
times the same training step on the same data for ``--steps`` steps (after one traced warm-up
epoch) and prints the seconds per step, the projected time of the 4,000 steps, and
``ratio=<projected seconds / lesson 07's estimate in lesson_times.json>`` last. The lesson's other
cells take seconds to a few minutes; the training dominates.

VGG19 has random weights here (this machine cannot download the ImageNet ones): a step costs the
same with any weights. Run: ``python benchmarks/fast_style_training.py [--steps 40]
[--precision auto|float32]``. Results are in ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import keras  # noqa: E402

from imgen_helpers import configure, set_seed  # noqa: E402
from imgen_helpers import style_network as sn  # noqa: E402
from imgen_helpers import style_transfer as st  # noqa: E402
from imgen_helpers.data import load_image  # noqa: E402

LESSON_STEPS = 20 * 200  # lesson 07's full budget: epochs x steps_per_epoch
PHOTOS = ("astronaut", "coffee", "rocket", "camera", "brick")  # lesson 07's training photos


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=40, help="timed steps (default 40)")
    parser.add_argument("--precision", default="auto", help="auto or float32")
    args = parser.parse_args(argv)
    set_seed(0)
    info = configure(args.precision, verbose=False)
    extractor = st.build_extractor(allow_random_weights=True, fast=True)
    style = load_image("udnie", max_size=256)
    net = sn.build_transform_net(
        sn.TransformNetConfig(filters=(32, 64, 128), residual_blocks=5, fast=True)
    )
    data = sn.content_dataset(PHOTOS, crop_size=256, batch_size=4, seed=0)
    trainer = sn.FastStyleTransfer(net, extractor, style)
    trainer.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3))
    trainer.fit(data, epochs=1, steps_per_epoch=3, verbose=0)  # traces the step
    start = time.perf_counter()
    trainer.fit(data, epochs=1, steps_per_epoch=args.steps, verbose=0)
    per_step = (time.perf_counter() - start) / args.steps
    projected = per_step * LESSON_STEPS
    figures = json.loads((ROOT / "benchmarks" / "lesson_times.json").read_text(encoding="utf-8"))
    key = "full_float32" if args.precision == "float32" else "full_auto"
    listed = figures["lessons"]["07_fast_style_transfer"][key]["seconds"]
    print(f"policy {info.precision}: {per_step:.3f} s per step of 4 crops at 256x256")
    print(f"projected training time for {LESSON_STEPS:,} steps: {projected / 60:.0f} min")
    print(f"ratio={projected / listed:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
