"""Classification Accuracy Score (Ravuri and Vinyals, 2019) of the course's conditional generators.

Trains lesson 08's classifier (``classifier.fit_classifier``, its full recipe: 12 epochs, each
digit plus 3 shifted copies, Adam with a cosine decay, float32) from scratch on each source and
tests it on the 2,000 held-out offline digits, which none of the generators saw:

* real: the 8,000 offline training digits;
* cGAN: 10,000 digits (1,000 per label) of the shipped conditional GAN (``imgen train-cgan``,
  trained on the training split only);
* cVAE: 10,000 digits of lesson 05's conditional VAE (2-D latent), trained here for lesson 05's
  full budget (10 epochs) on the same training digits;
* diffusion: 10,000 digits of the shipped class-conditional diffusion model (lesson 09, trained
  on the training split only), guidance and sampler as ``imgen sample --model diffusion``;
* real + cGAN: both, as augmentation.

Prints one line per source; the last line is ``ratio=<CAS of the cGAN / accuracy of real>``.

    flock /tmp/imgen-bench.lock .venv/bin/python benchmarks/cas.py --seed 0
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from imgen_helpers import conditional_gan as cg
from imgen_helpers import diffusion_mnist as dmn
from imgen_helpers import vae as V
from imgen_helpers.classifier import ClassifierConfig, as_unit_images
from imgen_helpers.data import load_mnist, mnist_dataset
from imgen_helpers.metrics import classification_accuracy_score, label_agreement
from imgen_helpers.runtime import configure, set_seed


def conditional_vae(seed: int) -> V.VAE:
    """Lesson 05's conditional VAE, trained as lesson 05 trains it at the full budget."""
    set_seed(seed)
    model = V.VAE(V.VAEConfig(latent_dim=2, num_classes=10), seed=seed)
    model.compile(optimizer=V.default_optimizer(2e-3), steps_per_execution=16)
    data = mnist_dataset(
        "train", 64, pixels="dynamic", labels=True, source="offline", verbose=False
    )
    model.fit(data, epochs=10, shuffle=False, verbose=0)
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--num", type=int, default=10_000, help="generated digits per source")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-diffusion", action="store_true", help="skip the diffusion model")
    args = parser.parse_args()
    configure("auto")
    real_x, real_y = load_mnist("train", source="offline", verbose=False)
    test_x, test_y = load_mnist("test", source="offline", verbose=False)
    labels = np.arange(args.num) % 10
    sources = {"real": (real_x, real_y)}
    start = time.perf_counter()
    sources["cGAN"] = (cg.sample_digits(cg.load_pretrained_cgan(), labels, seed=args.seed), labels)
    print(f"cGAN: {args.num} digits in {time.perf_counter() - start:.0f} s")
    start = time.perf_counter()
    cvae = conditional_vae(args.seed)
    sources["cVAE"] = (cvae.sample(args.num, labels=labels, seed=args.seed), labels)
    print(f"cVAE: trained and drew {args.num} digits in {time.perf_counter() - start:.0f} s")
    if not args.no_diffusion:
        start = time.perf_counter()
        recipe = dmn.MNIST_RECIPE
        images = dmn.sample_digits(
            dmn.load_pretrained_diffusion(),
            labels,
            recipe.guidance,
            recipe.sampling_steps,
            "auto",
            args.seed,
        )
        sources["diffusion"] = (images, labels)
        print(f"diffusion: {args.num} digits in {time.perf_counter() - start:.0f} s")
    sources["real + cGAN"] = (
        np.concatenate([as_unit_images(real_x), as_unit_images(sources["cGAN"][0], "symmetric")]),
        np.concatenate([real_y, labels]),
    )
    config = ClassifierConfig(seed=args.seed)
    cas = {}
    for name, (x, y) in sources.items():
        agree = label_agreement(x, y).overall
        start = time.perf_counter()
        cas[name] = classification_accuracy_score(x, y, test_x, test_y, config)
        print(
            f"{name:12s} {len(x):6,d} digits, label agreement {agree:6.1%}, "
            f"CAS {cas[name]:6.2%} ({time.perf_counter() - start:.0f} s)"
        )
    print(f"ratio={cas['cGAN'] / cas['real']:.3f}")


if __name__ == "__main__":
    main()
