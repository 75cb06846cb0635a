"""Legal-form affixes (株式会社, (주), Co., Ltd., …) and stripping them from the ends of a folded name.

The table `LEGAL_FORMS` is the single place to extend. Each entry is written in folded form (see `fold()`),
and how it is matched depends on its script:

* CJK entries ("株式会社", "(株)", "주식회사", "(주)") match literally at the very start or end of the name,
  with or without a space next to the rest of the name (株式会社デンソー, デンソー 株式会社). Brackets may be
  round or square, with optional spaces inside: "(株)", "( 株 )", "[주]". ㈱/㈜/（株） need no entry of
  their own because fold() turns them into "(株)"/"(주)".
* Latin entries are words separated by single spaces ("co ltd", "k k"). They match whole words only (not
  the "co" of "tesco"), case-insensitively (the name is folded), with any mix of spaces, dots and commas
  between the words, or none: "k k" covers "K.K.", "K. K." and "KK"; "co ltd" covers "Co., Ltd.",
  "Co.,Ltd." and "Co Ltd".

Positions: CJK forms and the romanised Japanese "… kaisha" forms are stripped from either end (前株 and
後株: 株式会社デンソー and デンソー株式会社; "Kabushiki Kaisha Toshiba"). English abbreviations only from
the end: at the start they are ordinary words ("Limited Brands", "Corporation for Public Broadcasting",
"GK Software"), and "Co." is trailing-only as the brief asks.

Stripping repeats, so several forms in a row go ("… Co., Ltd.", "(주) … 주식회사"), and never touches the
middle of a name: "Ltd Holdings" keeps its "ltd".
"""

import re
from dataclasses import dataclass
from enum import Flag, auto


class Position(Flag):
    """Where in a name a legal form may stand."""

    LEADING = auto()
    TRAILING = auto()
    EITHER = LEADING | TRAILING


@dataclass(frozen=True, slots=True)
class LegalForm:
    """One legal-form affix, in folded spelling (see the module docstring for how it is matched)."""

    spelling: str
    position: Position = Position.EITHER


def _forms(position: Position, *spellings: str) -> tuple[LegalForm, ...]:
    return tuple(LegalForm(spelling, position) for spelling in spellings)


JAPANESE_FORMS = _forms(
    Position.EITHER,
    "株式会社", "有限会社", "合同会社", "合資会社", "合名会社",
    "一般社団法人", "一般財団法人", "公益社団法人", "公益財団法人",
    "国立大学法人", "学校法人", "独立行政法人", "国立研究開発法人",
    # Bracketed abbreviations: 株式会社, 有限会社, 合同会社, 合資会社, 合名会社, 社団法人, 財団法人,
    # 学校法人, 独立行政法人. ㈱ ㈲ ㈳ ㈶ ㈴ ㈾ ㈻ fold to these.
    "(株)", "(有)", "(同)", "(資)", "(名)", "(社)", "(財)", "(学)", "(独)",
)  # fmt: skip

KOREAN_FORMS = _forms(
    Position.EITHER,
    "주식회사", "유한회사", "유한책임회사", "합자회사", "합명회사", "사단법인", "재단법인",
    "(주)", "(유)", "(사)", "(재)",
)  # fmt: skip

LATIN_FORMS = (
    *_forms(
        Position.TRAILING,
        "co ltd", "company limited", "limited", "ltd", "inc", "incorporated", "corp", "corporation",
        "co", "k k", "g k", "y k", "l l c", "pte", "plc", "gmbh",
    ),
    *_forms(Position.EITHER, "kabushiki kaisha", "kabushiki gaisha", "godo kaisha", "yugen kaisha"),
)  # fmt: skip

LEGAL_FORMS: tuple[LegalForm, ...] = (*JAPANESE_FORMS, *KOREAN_FORMS, *LATIN_FORMS)

# A Latin word character: a form must not touch one ("co" must not match the end of "tesco").
_LATIN_WORD = r"0-9a-z\u00c0-\u024f"
_OPEN, _CLOSE = r"[(\[]\s*", r"\s*[)\]]"
# What is trimmed from both ends before and after each strip: spaces and punctuation, but not brackets,
# which belong to forms like "(株)".
_EDGE = re.compile(r"^(?:(?![()\[\]])[\W_])+|(?:(?![()\[\]])[\W_])+$")


def _is_latin(form: LegalForm) -> bool:
    return form.spelling.isascii()


def _body(form: LegalForm) -> str:
    """The regex for the form itself, without anchors or word boundaries."""
    if _is_latin(form):
        return r"[\s.,]*".join(re.escape(word) for word in form.spelling.split())
    parts = (_OPEN if char == "(" else _CLOSE if char == ")" else re.escape(char) for char in form.spelling)
    return "".join(parts)


def _alternation(position: Position) -> str:
    """All forms allowed at `position`, as one regex alternation (longest first, so 'co ltd' beats 'co')."""
    chosen = sorted(
        (form for form in LEGAL_FORMS if position in form.position), key=lambda f: -len(f.spelling)
    )
    bodies = []
    for form in chosen:
        body = _body(form)
        if _is_latin(form):
            body = rf"(?<![{_LATIN_WORD}]){body}(?![{_LATIN_WORD}])"
        bodies.append(body)
    return "|".join(bodies)


_LEADING = re.compile(rf"^(?:{_alternation(Position.LEADING)})")
_TRAILING = re.compile(rf"(?:{_alternation(Position.TRAILING)})$")


def _trim(text: str) -> str:
    return _EDGE.sub("", text)


def strip_legal_forms(folded: str) -> str:
    """Remove legal-form affixes from both ends of an already folded name, repeatedly.

    Returns the remainder trimmed of surrounding spaces and punctuation; "" when the name was only legal
    forms (e.g. "株式会社").
    """
    current = _trim(folded)
    while True:
        stripped = _trim(_TRAILING.sub("", _LEADING.sub("", current, count=1), count=1))
        if stripped == current:
            return current
        current = stripped
