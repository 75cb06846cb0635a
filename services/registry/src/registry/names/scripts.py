"""Which script a character belongs to, as far as name handling cares.

The ranges are the Unicode blocks that appear in Korean and Japanese company names after `fold()` (NFKC has
already turned half-width katakana into full-width and compatibility ideographs into unified ones).
"""

HANGUL_SYLLABLE_FIRST = 0xAC00
HANGUL_SYLLABLE_LAST = 0xD7A3

# Kana that are syllables (they have a reading of their own).
_HIRAGANA_SYLLABLES = (0x3041, 0x3096)
_KATAKANA_SYLLABLES = (0x30A1, 0x30FA)

# Kana that are part of a word but are not syllables: ー (long vowel), ゝゞヽヾ (iteration marks), ゟヿ
# (digraphs; NFKC expands them, but a caller may pass unfolded text).
_KANA_MARKS = frozenset({0x309D, 0x309E, 0x309F, 0x30FC, 0x30FD, 0x30FE, 0x30FF})

_IDEOGRAPH_RANGES = (
    (0x3400, 0x4DBF),  # CJK Unified Ideographs Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs (those NFKC leaves alone)
    (0x20000, 0x3FFFF),  # Supplementary Ideographic Plane and Tertiary Ideographic Plane
)
# 々 (ideographic iteration mark), 〆 (shime), 〇 (ideographic zero): written inside kanji words.
_IDEOGRAPHIC_MARKS = frozenset({0x3005, 0x3006, 0x3007})


def _within(code: int, bounds: tuple[int, int]) -> bool:
    return bounds[0] <= code <= bounds[1]


def is_hangul_syllable(char: str) -> bool:
    """A precomposed Hangul syllable (가–힣); stray jamo do not count."""
    return HANGUL_SYLLABLE_FIRST <= ord(char) <= HANGUL_SYLLABLE_LAST


def is_kana_syllable(char: str) -> bool:
    """A hiragana or katakana letter with a reading (not ー, not an iteration mark, not ・)."""
    code = ord(char)
    return _within(code, _HIRAGANA_SYLLABLES) or _within(code, _KATAKANA_SYLLABLES)


def is_kana(char: str) -> bool:
    """A kana syllable or a kana mark that belongs inside a kana word (ー, ゝ, ヾ, …)."""
    return is_kana_syllable(char) or ord(char) in _KANA_MARKS


def is_ideograph(char: str) -> bool:
    """A CJK ideograph (kanji/hanja), including 々, 〆 and 〇."""
    code = ord(char)
    return code in _IDEOGRAPHIC_MARKS or any(_within(code, bounds) for bounds in _IDEOGRAPH_RANGES)


def is_cjk(char: str) -> bool:
    """A character that CJK gram indexing works on: Hangul syllables, kana and ideographs."""
    return is_hangul_syllable(char) or is_kana(char) or is_ideograph(char)
