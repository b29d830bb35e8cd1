"""Shell completion values. Runs on every TAB, so it reads only the compiled index."""

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
    from .data import load_index

    names = load_index()["municipalities"].values()
    return _completions((name for fi, sv, _, _ in names for name in (fi, sv) if name), incomplete)


def centre_names(incomplete: str) -> list[str]:
    """Centre names in Finnish, Swedish and English, for `centre` and `list --centre`."""
    from .data import load_index

    return _completions((name for names in load_index()["centre_names"].values() for name in names if name), incomplete)
