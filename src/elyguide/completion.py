"""Shell completion values. Runs on every TAB, so it reads only what it needs from the index.

Names are offered as they are really spelled, however the start was typed: "ham" offers
Hamina, Hämeenkyrö and Hämeenlinna. Bash inserts a completion as it is, so a name with a space
comes back escaped ("Itä-Suomen\\ elinvoimakeskus"); zsh, fish and PowerShell quote for
themselves.
"""

from __future__ import annotations

import os
import re

from .normalize import key

_LIMIT = 50
_BASH_SPECIAL = re.compile(r"([\s'\"\\$`!&;|<>()*?\[\]{}#~])")


def _completions(names, incomplete: str) -> list[str]:
    """Names whose folded form starts like `incomplete` (case, ä/ö/å and dashes ignored)."""
    wanted = key(incomplete)
    from .api import finnish_order

    found = sorted({name for name in names if key(name).startswith(wanted)}, key=lambda n: (finnish_order(n), n))[:_LIMIT]
    if os.environ.get("_ELYGUIDE_COMPLETE", "").endswith("bash"):
        return [_BASH_SPECIAL.sub(r"\\\1", name) for name in found]
    return found


def _dataset():
    from .index import load_dataset

    return load_dataset()


def municipality_names(incomplete: str) -> list[str]:
    """Finnish and Swedish municipality names, for `find`."""
    records = _dataset().sections["municipalities"]
    return _completions((name for record in records.values() for name in (record["name"].get("fi"), record["name"].get("sv")) if name),
                        incomplete)


_AREA_AFTER = (" i ",)  # "Livskraftscentralen i Östra Finland", "NTM-centralen i Norra Savolax"
_AREA_BEFORE = (" Economic Development Centre", " ELY Centre")


def _area(name: str) -> str | None:
    """The area a Swedish or English centre name is about, as `centre` takes it ("Östra Finland");
    Finnish names begin with theirs already ("Itä-Suomen elinvoimakeskus")."""
    for word in _AREA_AFTER:
        if word in name:
            return name.split(word, 1)[1]
    for suffix in _AREA_BEFORE:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return None


def centre_names(incomplete: str) -> list[str]:
    """Centre names in Finnish, Swedish and English, and the areas of the Swedish and English
    ones, for `centre` and `list --centre`: "öst" offers "Östra Finland"."""
    names = [name for centre in _dataset().centres().values() for name in centre.name if name]
    return _completions([*names, *filter(None, map(_area, names))], incomplete)


def region_names(incomplete: str) -> list[str]:
    """Region names in Finnish, Swedish and English, for `list --region`."""
    return _completions((name for region in _dataset().regions().values() for name in region.name if name), incomplete)
