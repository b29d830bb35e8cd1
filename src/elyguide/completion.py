"""Shell completion values. Runs on every TAB, so it reads only the precompiled index."""

from __future__ import annotations

from .normalize import key

_LIMIT = 50


def municipality_names(incomplete: str) -> list[str]:
    """Finnish and Swedish municipality names that start like `incomplete` (any case, ä = a)."""
    from .data import load_dataset

    dataset = load_dataset()
    wanted = key(incomplete)
    names = {n for m in dataset.municipalities.values() for n in (m.name.fi, m.name.sv) if n and key(n).startswith(wanted)}
    return sorted(names, key=str.casefold)[:_LIMIT]


def centre_names(incomplete: str) -> list[str]:
    from .data import load_dataset

    dataset = load_dataset()
    wanted = key(incomplete)
    names = {n for c in dataset.centres.values() for n in c.name.as_dict().values() if n and key(n).startswith(wanted)}
    return sorted(names, key=str.casefold)[:_LIMIT]
