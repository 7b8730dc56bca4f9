"""Bad inputs for imgen_helpers.runtime: each must get a clear error naming the argument."""

from bad_inputs import Bad, parametrize

from imgen_helpers import runtime

CASES = {
    "imgen_helpers.runtime.budget": [
        Bad("type", lambda: runtime.budget(50, 1.0), TypeError, "full"),
        Bad("value", lambda: runtime.budget(50, -1), ValueError, "quick"),
        Bad("value", lambda: runtime.budget(-5, 1), ValueError, "full"),
    ],
    "imgen_helpers.runtime.as_rng": [
        Bad("type", lambda: runtime.as_rng("0"), TypeError, "seed"),
        Bad("value", lambda: runtime.as_rng(-1), ValueError, "seed"),
    ],
    "imgen_helpers.runtime.set_seed": [
        Bad("type", lambda: runtime.set_seed("42"), TypeError, "seed"),
        Bad("type", lambda: runtime.set_seed(0.5), TypeError, "seed"),
        Bad("value", lambda: runtime.set_seed(-1), ValueError, "seed"),
        Bad("type", lambda: runtime.set_seed(0, deterministic="yes"), TypeError, "deterministic"),
    ],
    "imgen_helpers.runtime.cpu_has_fast_bf16": [
        Bad("type", lambda: runtime.cpu_has_fast_bf16(5), TypeError, "cpuinfo"),
    ],
    "imgen_helpers.runtime.choose_precision": [
        Bad("type", lambda: runtime.choose_precision(7.5, False), TypeError, "compute_capability"),
        Bad("type", lambda: runtime.choose_precision(None, "no"), TypeError, "cpu_bf16"),
    ],
    "imgen_helpers.runtime.configure": [
        Bad("name", lambda: runtime.configure("float16", verbose=False), ValueError, "precision"),
        Bad("type", lambda: runtime.configure(verbose="no"), TypeError, "verbose"),
    ],
    "imgen_helpers.runtime.precision_scope": [
        Bad("name", lambda: runtime.precision_scope("auto").__enter__(), ValueError, "policy"),
        Bad("name", lambda: runtime.precision_scope("fp16").__enter__(), ValueError, "policy"),
    ],
}
test_bad_inputs = parametrize(CASES)
