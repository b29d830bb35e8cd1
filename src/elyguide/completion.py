"""Shell completion values. Runs on every TAB, so it reads only the loaded (cached) data."""

from __future__ import annotations

from .normalize import key

_LIMIT = 50


def _completions(names, incomplete: str) -> list[str]:
    """Names that start like `incomplete`, ignoring case and ä/ö/å. The shell keeps only words
    that begin exactly with what was typed, so a folded match keeps the typed start:
    "kuo" completes to "kuopio", which elyguide reads just as well."""
    wanted = key(incomplete)
    out = set()
    for name in names:
        if name.startswith(incomplete):
            out.add(name)
        elif key(name).startswith(wanted) and key(name[: len(incomplete)]) == wanted:
            out.add(incomplete + name[len(incomplete):])
    return sorted(out, key=str.casefold)[:_LIMIT]


def municipality_names(incomplete: str) -> list[str]:
    """Finnish and Swedish municipality names, for `find`."""
    from .data import load_dataset

    dataset = load_dataset()
    return _completions((n for m in dataset.municipalities.values() for n in (m.name.fi, m.name.sv) if n), incomplete)


def centre_names(incomplete: str) -> list[str]:
    """Centre names in Finnish, Swedish and English, for `centre` and `list --centre`."""
    from .data import load_dataset

    dataset = load_dataset()
    return _completions((n for c in dataset.centres.values() for n in c.name.as_dict().values() if n), incomplete)
