"""Every human string in Finnish, Swedish and English: one table per language, the same keys and
placeholders in each, and no English in Finnish or Swedish output but proper names."""

from __future__ import annotations

import re
import string

import pytest

from elyguide.messages import format_score, table

ENGLISH = re.compile(r"\b(the|is|not|found|municipality|municipalities|region|error|note|source|checked|verified|Usage|"
                     r"Options|Examples|Did you mean|ambiguous|Warning|phone|letter|and|of|to|for|from|with|centre|"
                     r"outside|service|contacts?|unknown|empty|give|query|line|date)\b")
COMMAND_LINES = (
    ["find", "Kuopio"], ["find", "Jyväskyä"], ["find", "Pyhä"], ["find", "Xyzzyq"], ["find", "Maarianhamina"],
    ["find", "Viipuri"], ["find", "Lappi"], ["find", "Savo"], ["find", "Kuopio Vaasa"], ["find", "Nilsiä", "--on", "2012-06-01"]
    if False else ["find", "Nilsiä"], ["find", "Hollola", "--on", "2025-12-31"], ["find", "Kuopio", "--on", "2028-06-01"],
    ["find", "33006"], ["find", "00100 Turku"], ["find", "9:15"], ["find", "-"], ["find", "Kuopio", "--on", "bogus"],
    ["find", "Kuopio", "--bogus"], ["find"], ["find", "  "], ["list", "--region", "Kainuu"], ["list", "--centre", "itä-suomi", "--on", "2025-06-01"],
    ["centres"], ["centres", "--long"], ["centre", "Kuopio"], ["centre", "Pohjois-Savon ELY"], ["centre", "Atlantis"],
    ["about"], ["--help"], ["find", "--help"], ["list", "--help"], ["centres", "--help"], ["centre", "--help"],
    ["about", "--help"], ["refresh", "--help"], ["data", "compile", "--help"], ["Kuopio"],
)
ALLOWED = re.compile(r"https?://\S+|elyguide [^\n]*|[\w.-]*(/[\w.-]+)+|\b[\w-]+\.(yaml|json|csv|txt|vcf)\b|"
                     r"^ {2}(find|list|centres|centre|about|refresh|data compile|compile)\b|--?[a-z][\w-]*|\b(ELYGUIDE|XDG|LANG|LC_ALL)\w*|YAML|UTF-8|Windows-1252|"
                     r"vCard|CSV|JSON|BOM|CRLF|Excel|URL|\bfi\b|\bsv\b|\ben\b|[\w.-]+@[\w.-]+", re.M)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_in_every_language_with_the_same_placeholders():
    fi, sv, en = table("fi"), table("sv"), table("en")
    assert set(fi) == set(sv) == set(en)
    for key in en:
        assert placeholders(fi[key]) == placeholders(sv[key]) == placeholders(en[key]), key


def test_every_message_id_the_code_uses_exists():
    import pathlib

    source = "\n".join(p.read_text(encoding="utf-8") for p in pathlib.Path(__file__).parents[1].joinpath("src", "elyguide").glob("*.py"))
    used = set(re.findall(r"(?:message|Reason|UsageError|NotFoundError|AmbiguousError|StreamError)\(\s*\"([a-z_]*[a-z])\"", source))
    assert used and used <= set(table("en")), used - set(table("en"))


def test_numbers_follow_the_language():
    assert format_score(88.9, "fi") == "88,9\u00a0%" and format_score(88.9, "sv") == "88,9\u00a0%"
    assert format_score(88.9, "en") == "88.9%" and format_score(100.0, "fi") == "100\u00a0%"


@pytest.mark.parametrize("lang", ["fi", "sv"])
@pytest.mark.parametrize("args", COMMAND_LINES, ids=" ".join)
def test_no_english_in_finnish_or_swedish_output(cli, dataset, lang, args):
    result = cli(*args, "--lang", lang, input="Kuopio\nXyzzyq\n") if args[:1] != ["Kuopio"] else cli(*args, env={"ELYGUIDE_LANG": lang})
    text = result.stdout + result.stderr
    names = {n for c in dataset.centres().values() for n in c.all_names} | {dataset.aland.handled_by.en}
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, "")
    text = ALLOWED.sub("", text)
    found = ENGLISH.findall(text)
    assert not found, (found, text[:1500])
