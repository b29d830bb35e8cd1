"""Telephone numbers: print them the way Finnish authorities print them, and compare them.

The registry (PTV) stores a number as digits plus a separate country prefix
(``prefixNumber="+358"``, ``number="295036100"``). People read and dial
``0295 036 100``. This module turns the one into the other and back, and gives a key
for finding duplicates.

Grouping rule
-------------
Source: Kielitoimiston ohjepankki, "Puhelinnumerot" (Kotus),
https://kielitoimistonohjepankki.fi/ohje/puhelinnumerot/ . It says Finnish numbers are
normally split into groups of three or four digits. The area or network code is a group of
its own, without brackets (SFS 4175, amended 18.11.2008). Its examples are
``040 123 4567``, ``09 123 456``, ``09 1234``, ``019 12 345``, ``02 123 4567``,
``08 1234 5678``, ``0295 333 200``, ``020 123 4567`` and ``0800 123 4567``.
The guide allows other groupings (``019 123 45``, ``02 1234 567``). The choices below,
and the split of the prefix table, are our convention, made to reproduce its examples:

1. The leading code is a group of its own:

   - ``029x`` (state agencies' numbers, e.g. ``0295``) and the service numbers
     ``0100``, ``0200``, ``0600``, ``0700`` and ``0800``: four digits;
   - the area codes ``02``, ``03``, ``05``, ``06``, ``08`` and ``09``: two digits
     (a subscriber number never starts with 0, so ``020``, ``030`` and ``050`` are not
     area codes);
   - everything else starting with ``0`` (``013``–``019``, mobile ``04x`` and ``050``,
     nationwide ``010``, ``020``, ``030``, ``071``, ``073``, ``075`` …): three digits.

2. The rest, the subscriber part, is grouped by its length: up to 4 digits stay
   together; 5 → 2+3; 6 → 3+3; 7 → 3+4; 8 → 4+4; longer → 3 and the rest again.
   So a 029x state number is 4+3+3 and a mobile number is 3+3+4.

3. A number with a non-Finnish country prefix is printed internationally. Without a
   numbering plan for that country, the digits are grouped in threes from the right
   (``+46 8 123 456``).

4. Digits after a "+358" prefix always get the trunk ``0``. Digits without a prefix (or
   of a service number) get it only when there are 7 or more of them. Shorter ones are
   national short numbers (``112``, ``116 117``) and are grouped as they are.
"""

from __future__ import annotations

FINLAND = "+358"

_FOUR_DIGIT_CODES = ("0100", "0200", "0600", "0700", "0800")
_TWO_DIGIT_AREA_CODES = ("02", "03", "05", "06", "08", "09")
_SHORT_NUMBER_MAX = 6  # 112, 116117, 10023: national short numbers, never prefixed
# What people put between digits: spaces of every width, dashes, dots, slashes, brackets.
_SEPARATORS = dict.fromkeys(map(ord, " \t-./()\u00a0\u2009\u202f"))


def national(prefix: str | None, digits: str, service_number: bool = False) -> str:
    """The number as Finnish authorities print it (see the module docstring for the rule).

    ``prefix`` is PTV's ``prefixNumber`` ("+358", or None); ``digits`` is PTV's ``number``.
    ``service_number`` is PTV's ``isFinnishServiceNumber``: such a number is Finnish and is
    printed in national form whatever prefix came with it.

    >>> national("+358", "295036100")
    '0295 036 100'
    >>> national("+358", "401234567")
    '040 123 4567'
    >>> national("+358", "98765432")
    '09 876 5432'
    >>> national("+358", "207654321")
    '020 765 4321'
    >>> national("+358", "800123456")
    '0800 123 456'
    >>> national(None, "0800123456", service_number=True)
    '0800 123 456'
    >>> national(None, "116117", service_number=True)
    '116 117'
    >>> national("+358", "812345678")
    '08 1234 5678'
    >>> national("+358", "1912345")
    '019 12 345'
    >>> national("+358", "912345")
    '09 12 345'
    >>> national("+46", "8123456")
    '+46 8 123 456'
    """
    digits = _only_digits(digits)
    if _is_foreign(prefix) and not service_number:
        return _foreign(prefix, digits)
    national_digits = _with_trunk_zero(digits, prefixed=bool(prefix) and not service_number)
    if not national_digits.startswith("0"):
        return " ".join(_group_subscriber(national_digits))
    code = _leading_code(national_digits)
    return " ".join([code, *_group_subscriber(national_digits[len(code):])])


def e164(number_as_printed: str) -> str:
    """The E.164 form ("+358295036100") of a number written any usual way.

    A leading ``0`` is the Finnish trunk prefix, ``00`` the international call prefix, and a
    ``(0)`` after a country code is dropped. Short numbers (112, 116 117) have no E.164
    form and come back as bare digits.

    >>> e164("0295 036 100")
    '+358295036100'
    >>> e164("+358 29 503 6100")
    '+358295036100'
    >>> e164("+358 (0)29 503 6100")
    '+358295036100'
    >>> e164("00358 40 123 4567")
    '+358401234567'
    >>> e164("116 117")
    '116117'
    >>> e164("puh. 0295 036 100")
    Traceback (most recent call last):
    ...
    ValueError: not a telephone number: 'puh. 0295 036 100'
    """
    text = number_as_printed.strip()
    if text.startswith("+") and "(0)" in text[:9]:  # "+358 (0)29 …": the trunk 0 is not dialled from abroad
        text = text.replace("(0)", "", 1)
    compact = text.translate(_SEPARATORS)
    digits = compact[1:] if compact.startswith("+") else compact
    if not (digits.isascii() and digits.isdigit()):
        raise ValueError(f"not a telephone number: {number_as_printed!r}")
    if compact.startswith("+"):
        return compact
    if compact.startswith("00"):
        return "+" + compact[2:]
    if compact.startswith("0"):
        return FINLAND + compact[1:]
    if len(compact) > _SHORT_NUMBER_MAX:
        return FINLAND + compact  # national digits written without the trunk 0
    return compact


def digits_key(number: str) -> str:
    """A key for finding the same number written differently: the E.164 digits.

    >>> digits_key("0295 036 100") == digits_key("+358295036100") == "358295036100"
    True
    >>> digits_key("09 876 5432") == digits_key("+358 9 876 5432")
    True
    """
    return e164(number).lstrip("+")


def _only_digits(digits: str) -> str:
    """PTV's digits, tolerating spaces or dashes someone typed into them."""
    compact = (digits or "").translate(_SEPARATORS)
    if not (compact.isascii() and compact.isdigit()):
        raise ValueError(f"not a telephone number: {digits!r}")
    return compact


def _is_foreign(prefix: str | None) -> bool:
    """True for a country prefix other than Finland's; "358" without "+" counts as Finland."""
    if not prefix:
        return False
    return "+" + prefix.strip().lstrip("+") != FINLAND


def _with_trunk_zero(digits: str, prefixed: bool) -> str:
    """National digits: add the trunk 0 to a number written without it (rule 4).

    After "+358" the digits are always a national number without its 0. Without a prefix
    (or for a service number) only a long number is; a short one is dialled as it is.
    """
    if digits.startswith("0") or (not prefixed and len(digits) <= _SHORT_NUMBER_MAX):
        return digits
    return "0" + digits


def _leading_code(national_digits: str) -> str:
    """The area, network or service code that forms the first group (rule 1)."""
    if national_digits.startswith("029") or national_digits.startswith(_FOUR_DIGIT_CODES):
        return national_digits[:4]
    if national_digits.startswith(_TWO_DIGIT_AREA_CODES) and national_digits[2:3] != "0":
        return national_digits[:2]  # 020, 030, 050 are nationwide codes, not area 02, 03, 05
    return national_digits[:3]


def _group_subscriber(rest: str) -> list[str]:
    """Groups of three or four (rule 2): 5 → 2+3, 6 → 3+3, 7 → 3+4, 8 → 4+4."""
    if len(rest) <= 4:
        return [rest] if rest else []
    if len(rest) == 5:
        return [rest[:2], rest[2:]]
    if len(rest) == 8:
        return [rest[:4], rest[4:]]
    return [rest[:3], *_group_subscriber(rest[3:])]


def _foreign(prefix: str, digits: str) -> str:
    """"+46 8 123 456": threes from the right, having no numbering plan for the country."""
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    if digits:
        groups.insert(0, digits)
    return " ".join(["+" + prefix.strip().lstrip("+"), *groups])
