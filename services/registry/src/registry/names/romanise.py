"""Romanisation of the Hangul and kana in a name; everything else passes through folded.

Hangul follows the Revised Romanization of Korean (`hangul`), kana follow Hepburn with long vowels
written plainly (`kana`). Kanji/hanja are kept as they are: reading them needs a dictionary (and for names
often the company's own say), which this module does not have.
"""

from itertools import groupby

from registry.names.hangul import romanise_hangul
from registry.names.kana import romanise_kana
from registry.names.normalise import fold
from registry.names.scripts import is_hangul_syllable, is_kana, is_kana_syllable

_KATAKANA_MIDDLE_DOT = "・"  # separates the words of a katakana name: ジョンソン・エンド・ジョンソン


def _script(char: str) -> str:
    if is_hangul_syllable(char):
        return "hangul"
    if is_kana(char):
        return "kana"
    return "other"


def _romanise_run(script: str, run: str) -> str:
    if script == "hangul":
        return romanise_hangul(run)
    if script == "kana":
        return romanise_kana(run)
    return run.replace(_KATAKANA_MIDDLE_DOT, " ")


def romanise(text: str) -> str | None:
    """Lower-case Latin romanisation of the Hangul and kana in `text`; None when it has neither.

    Runs of Hangul are romanised as one word each (sound changes apply across their syllables), runs of
    kana likewise; ・ becomes a space; kanji, Latin, digits and punctuation are kept as fold() leaves them.
    삼성 → "samseong", 에코프로 → "ekopeuro", トヨタ → "toyota", デンソー → "denso", とうしば → "toshiba",
    "(주)에코프로비엠" → "(ju)ekopeurobiem", "トヨタ自動車" → "toyota自動車".
    """
    folded = fold(text)
    if not any(is_hangul_syllable(char) or is_kana_syllable(char) for char in folded):
        return None
    parts = (_romanise_run(script, "".join(run)) for script, run in groupby(folded, key=_script))
    return " ".join("".join(parts).split())
