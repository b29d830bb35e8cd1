"""Every sentence elyguide shows a person, in Finnish, Swedish and English.

Each language has one table (messages_fi.py, messages_sv.py, messages_en.py); a test proves
they have the same keys and the same placeholders. Only the table of the language in use is
imported. Numbers and dates follow the language: "88,9 %" and 31.12.2025 in Finnish and
Swedish, "88.9%" and 2025-12-31 in English.
"""

from __future__ import annotations

from importlib import import_module

from .model import LANGUAGES

_tables: dict[str, dict[str, str]] = {}


def table(lang: str) -> dict[str, str]:
    if lang not in _tables:
        _tables[lang] = import_module(f"elyguide.messages_{lang}").MESSAGES
    return _tables[lang]


def message(message_id: str, lang: str, **values) -> str:
    """The message in `lang`. A value may be a function of the language (a name, a date):
    it is said as that language says it."""
    text = table(lang if lang in LANGUAGES else "en")[message_id]
    return text.format(**{k: v(lang) if callable(v) else v for k, v in values.items()}) if values else text


def format_date(iso: str | None, lang: str) -> str:
    """31.12.2025 in Finnish and Swedish; ISO in English, which has no single common form."""
    if not iso:
        return ""
    if lang == "en" or len(iso) != 10:
        return iso
    year, month, day = iso.split("-")
    return f"{int(day)}.{int(month)}.{year}"


def format_score(score: float, lang: str) -> str:
    """A percentage: "88,9 %" in Finnish and Swedish, "88.9%" in English."""
    text = f"{score:.1f}".rstrip("0").rstrip(".")
    return f"{text}%" if lang == "en" else f"{text.replace('.', ',')}\u00a0%"


def warning_text(warning, lang: str) -> str:
    """An answer's warning in a language; its values are dates, written as the language writes them."""
    return message(f"warning_{warning.code}", lang, **{name: format_date(value, lang) for name, value in warning.values})


def warning_line(warning, lang: str) -> str:
    """The warning as people read it: "Varoitus: ..."."""
    return f"{message('warning', lang)} {warning_text(warning, lang)}"


def format_int(number: int, lang: str) -> str:
    """2,147,483,648 in English; 2 147 483 648 (no-break spaces) in Finnish and Swedish."""
    return f"{number:,}" if lang == "en" else f"{number:,}".replace(",", "\u00a0")
