"""Text folding: the canonical form every other name function starts from."""

import unicodedata

# NFKC and case folding do not always commute (a few characters case-fold to something NFKC changes again),
# so fold() repeats until the text stops changing; in practice that takes one or two rounds.
_MAX_ROUNDS = 4


def _fold_once(text: str) -> str:
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(folded.split())


def fold(text: str) -> str:
    """NFKC, case-folded, whitespace collapsed to single spaces, trimmed.

    NFKC does the script work: ㈱ → (株), ㈜ → (주), full-width Ｌｔｄ → Ltd, full-width （） → (), half-width
    ﾃﾞﾝｿｰ → デンソー, ideographic space → space. `fold(fold(x)) == fold(x)`.
    """
    current = text
    for _ in range(_MAX_ROUNDS):
        following = _fold_once(current)
        if following == current:
            break
        current = following
    return current


def is_word_character(char: str) -> bool:
    """A letter, digit or combining mark of any script: what a duplicate key keeps."""
    return unicodedata.category(char)[0] in "LNM"


def keep_word_characters(text: str) -> str:
    """Drop spaces, punctuation and symbols; keep letters, digits and marks of all scripts."""
    return "".join(char for char in text if is_word_character(char))
