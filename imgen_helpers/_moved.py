"""Names that moved in 0.2: old ``module.name`` spellings fail with the new one in the message."""

from __future__ import annotations

from collections.abc import Mapping


def moved(module: str, name: str, table: Mapping[str, str]):
    """Raise the ``AttributeError`` a module's ``__getattr__`` gives for ``name``.

    Args:
        module: the module asked (``__name__``).
        name: the attribute asked for.
        table: old name -> where it lives now (``"imgen_helpers.data.mnist_dataset"``).
    """
    if name in table:
        raise AttributeError(
            f"{module}.{name} moved to {table[name]} in imgen_helpers 0.2; import it from there."
        )
    raise AttributeError(f"module {module!r} has no attribute {name!r}")
