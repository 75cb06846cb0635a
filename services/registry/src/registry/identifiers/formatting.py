"""Removing the formatting people type or paste around identifiers, before any validation."""

import re
import unicodedata

# Hyphens and dashes as they appear in copied Korean and Japanese documents. After NFKC the full-width
# and small hyphen-minus become "-" and the non-breaking hyphen becomes U+2010; they are listed anyway.
_DASHES = frozenset(
    "-"  # hyphen-minus
    "\u2010"  # hyphen
    "\u2011"  # non-breaking hyphen
    "\u2012"  # figure dash
    "\u2013"  # en dash
    "\u2014"  # em dash
    "\u2015"  # horizontal bar
    "\u2212"  # minus sign
    "\ufe63"  # small hyphen-minus
    "\uff0d"  # full-width hyphen-minus
)
_DOTS = frozenset(".")

# The katakana prolonged sound mark ー (half-width ｰ becomes it under NFKC) is a common stand-in for a
# hyphen in Japanese text, but it is a letter too, so it only counts as a separator between two ASCII
# letters or digits.
_PROLONGED_SOUND_MARK_SEPARATOR = re.compile(r"(?<=[0-9A-Za-z])\u30fc+(?=[0-9A-Za-z])")


def strip_formatting(raw: str) -> str:
    """NFKC-normalise `raw`, then drop whitespace, hyphens and dots; whatever else remains is kept."""
    normalised = unicodedata.normalize("NFKC", raw)
    compact = "".join(
        character
        for character in normalised
        if not (character.isspace() or character in _DASHES or character in _DOTS)
    )
    return _PROLONGED_SOUND_MARK_SEPARATOR.sub("", compact)
