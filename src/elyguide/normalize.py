"""Fold place names and queries into keys that compare equal however they were typed.

Folding ignores case, accents (people without ä/ö/å keys type a/o/a), punctuation and the
difference between hyphens, dashes and spaces. Zero-width and direction marks vanish.

>>> fold("  Jyväskylä ")
'jyvaskyla'
>>> fold("Mänttä–Vilppula")
'mantta vilppula'
>>> fold("S:t Mårtens")
'st martens'
>>> key("Koski Tl")
'koskitl'
>>> key("Ha\\u0308meenlinna") == key("Hämeenlinna")
True
>>> key("Soađegilli")
'soadegilli'
"""

from __future__ import annotations

import re
import unicodedata

# Deleted outright rather than turned into a separator: "S:t" is one word, and invisible
# format characters must not split one.
_DELETED = ":.'’ʼ`´\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_DELETE_TABLE = dict.fromkeys(map(ord, _DELETED))
# Combining diacritical marks, left over after NFKD has split "ä" into "a" + U+0308.
_DELETE_TABLE.update(dict.fromkeys(range(0x0300, 0x0370)))
# Letters NFKD does not split into a base letter and a mark, typed as that base letter by
# people without them: North Sámi đ ŋ ŧ ʒ (Soađegilli is Soadegilli), ø and æ, ß.
_DELETE_TABLE.update({ord("đ"): "d", ord("ŋ"): "n", ord("ŧ"): "t", ord("ʒ"): "z", ord("ǯ"): "z", ord("ø"): "o",
                      ord("æ"): "ae", ord("ß"): "ss", ord("ł"): "l"})
_SEPARATORS = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Lower-case words of letters and digits, separated by single spaces."""
    if text.isascii():  # most queries: nothing to decompose
        text = text.lower().translate(_DELETE_TABLE)
    else:
        text = unicodedata.normalize("NFKD", text).casefold().translate(_DELETE_TABLE)
    return _SEPARATORS.sub(" ", text).strip()


def key(text: str) -> str:
    """The folded text without spaces: "Uusi kaupunki" and "Uusikaupunki" share a key."""
    return fold(text).replace(" ", "")


_INVISIBLE = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})


def is_blank(text: str) -> bool:
    """True when nothing visible is left: spaces, control and format characters only
    (a zero-width space alone is as blank as a space)."""
    stripped = text.strip()
    if not stripped:
        return True
    if stripped[0].isalnum():  # nearly every query: a letter or digit is visible
        return False
    return all(unicodedata.category(char) in _INVISIBLE for char in text)


# ------------------------------------------------------------------------------ terminal safety
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def _escape(char: str) -> str:
    if "\ud800" <= char <= "\udfff":
        return "\ufffd"
    if unicodedata.category(char) not in _UNSAFE_CATEGORIES:
        return char  # a no-break space, say: not printable to str.isprintable, harmless on a terminal
    return f"\\u{ord(char):04x}" if ord(char) > 0xFF else f"\\x{ord(char):02x}"


def printable(text: str) -> str:
    """Text safe for a terminal: control, format and bidi characters from a query shown as
    escapes ("\\x1b"), never sent raw; lone surrogates (undecodable argv bytes) as U+FFFD."""
    if text.isprintable() or text.replace("\u00a0", " ").isprintable():  # a no-break space is safe
        return text
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in text)


def shell_words(words: list[str]) -> str:
    """Words as a shell takes them on one line, quoted where they need it: "Mänttä-Vilppula 'Koski Tl'"."""
    return " ".join(word if word and all(ch.isalnum() or ch in "-._:/" for ch in word) else "'" + word.replace("'", "'\\''") + "'"
                    for word in words)
