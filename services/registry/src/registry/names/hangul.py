"""Revised Romanization of Korean (RR) for runs of Hangul syllables.

Each syllable is split into initial, vowel and final jamo and romanised with the RR tables; at each boundary
between two syllables of the same run the common sound changes are applied:

* liaison: a final moves onto a following ㅇ (한국어 → hangugeo, 좋아 → joa), with ㄷ/ㅌ + 이 palatalised
  (같이 → gachi);
* ㄹ: ㄹ/ㄴ + ㄹ and ㄹ + ㄴ → ll (신라 → silla, 설날 → seollal); other finals turn a following ㄹ into n
  (종로 → jongno, 독립 → dongnip);
* nasalisation before ㄴ/ㅁ: k → ng, t → n, p → m (백마 → baengma);
* ㅎ + ㄱ/ㄷ/ㅈ → k/t/ch (좋고 → joko).

Limitations: ㄱ/ㄷ/ㅂ + ㅎ keep the h, as RR prescribes for nouns (주식회사 → jusikhoesa, 묵호 → mukho);
tensing is not written (RR does not either); word-specific exceptions are not known (의견란 gives
uigyeollan where RR has uigyeonnan) and the optional hyphen between ambiguous syllables is never written.
"""

from registry.names.scripts import HANGUL_SYLLABLE_FIRST

_VOWEL_COUNT = 21
_FINAL_COUNT = 28

# Index order is the Unicode order of the jamo (ㄱ ㄲ ㄴ ㄷ ㄸ ㄹ ㅁ ㅂ ㅃ ㅅ ㅆ ㅇ ㅈ ㅉ ㅊ ㅋ ㅌ ㅍ ㅎ).
_INITIALS = (
    "g",
    "kk",
    "n",
    "d",
    "tt",
    "r",
    "m",
    "b",
    "pp",
    "s",
    "ss",
    "",
    "j",
    "jj",
    "ch",
    "k",
    "t",
    "p",
    "h",
)
_VOWELS = (
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae",
    "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i",
)  # fmt: skip
# Finals as pronounced before a pause or a consonant: every final is one of k, n, t, l, m, p, ng.
# Order: none ㄱ ㄲ ㄳ ㄴ ㄵ ㄶ ㄷ ㄹ ㄺ ㄻ ㄼ ㄽ ㄾ ㄿ ㅀ ㅁ ㅂ ㅄ ㅅ ㅆ ㅇ ㅈ ㅊ ㅋ ㅌ ㅍ ㅎ.
_FINALS = (
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l",
    "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t",
)  # fmt: skip
# Before a vowel (initial ㅇ) a final is carried over: (what stays behind, what starts the next syllable).
_LIAISON = (
    ("", ""), ("", "g"), ("", "kk"), ("k", "s"), ("", "n"), ("n", "j"), ("", "n"), ("", "d"), ("", "r"),
    ("l", "g"), ("l", "m"), ("l", "b"), ("l", "s"), ("l", "t"), ("l", "p"), ("", "r"), ("", "m"), ("", "b"),
    ("p", "s"), ("", "s"), ("", "ss"), ("ng", ""), ("", "j"), ("", "ch"), ("", "k"), ("", "t"), ("", "p"),
    ("", ""),
)  # fmt: skip

_I_NIEUN, _I_RIEUL, _I_MIEUM, _I_IEUNG = 2, 5, 6, 11
_V_I = 20
_F_IEUNG = 21
# ㄷ, ㄾ, ㅌ before 이: palatalised.
_PALATALISED = {7: ("", "j"), 13: ("l", "ch"), 25: ("", "ch")}
# ㅎ, ㄶ, ㅀ before ㄱ, ㄷ, ㅈ: the ㅎ aspirates the next consonant.
_HIEUT_REST = {27: "", 6: "n", 15: "l"}
_ASPIRATED = {0: "k", 3: "t", 12: "ch"}
_NASALISED = {"k": "ng", "t": "n", "p": "m"}

Syllable = tuple[int, int, int]


def decompose(char: str) -> Syllable:
    """(initial, vowel, final) jamo indices of a precomposed Hangul syllable."""
    offset = ord(char) - HANGUL_SYLLABLE_FIRST
    return (
        offset // (_VOWEL_COUNT * _FINAL_COUNT),
        offset // _FINAL_COUNT % _VOWEL_COUNT,
        offset % _FINAL_COUNT,
    )


def _junction(final: int, initial: int, vowel: int) -> tuple[str, str] | None:
    """(final, next initial) romanised across a syllable boundary; None when the plain tables apply."""
    if final == 0:
        return None
    if initial == _I_IEUNG:
        if vowel == _V_I and final in _PALATALISED:
            return _PALATALISED[final]
        return None if final == _F_IEUNG else _LIAISON[final]
    if final in _HIEUT_REST and initial in _ASPIRATED:
        return _HIEUT_REST[final], _ASPIRATED[initial]
    sound = _FINALS[final]
    if initial == _I_RIEUL:
        if sound in ("l", "n"):
            return "l", "l"
        return _NASALISED.get(sound, sound), "n"
    if initial == _I_NIEUN and sound == "l":
        return "l", "l"
    if initial in (_I_NIEUN, _I_MIEUM):
        return _NASALISED.get(sound, sound), _INITIALS[initial]
    return None


def romanise_hangul(run: str) -> str:
    """RR of a run of precomposed Hangul syllables (one word: rules apply across every boundary)."""
    syllables = [decompose(char) for char in run]
    initials = [_INITIALS[initial] for initial, _, _ in syllables]
    finals = [_FINALS[final] for _, _, final in syllables]
    for index in range(len(syllables) - 1):
        next_initial, next_vowel, _ = syllables[index + 1]
        changed = _junction(syllables[index][2], next_initial, next_vowel)
        if changed is not None:
            finals[index], initials[index + 1] = changed
    return "".join(
        initial + _VOWELS[vowel] + final
        for initial, (_, vowel, _), final in zip(initials, syllables, finals, strict=True)
    )
