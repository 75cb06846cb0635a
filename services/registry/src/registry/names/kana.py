"""Hepburn romanisation of runs of kana (hiragana and katakana).

Choices (modified Hepburn, written the way Japanese company names usually appear in Latin letters):

* Long vowels are written as a plain vowel, without macron or doubling: ー is dropped and a following
  う after o/u or お after o merges into it. デンソー → "denso", とうしば → "toshiba", おおさか → "osaka",
  きょうと → "kyoto". Other vowel pairs stay as written: にいがた → "niigata", せい → "sei".
* っ/ッ doubles the next consonant, as "t" before ch: キャッシュ → "kyasshu", マッチャ → "matcha"; it is
  dropped where nothing follows to double.
* ん is always "n", with no apostrophe before vowels or y (きんゆう → "kinyu").
* Small ゃゅょ after an i-kana form yōon (きゃ → "kya", しゃ → "sha", ぢゃ → "ja"); katakana extensions
  such as ティ "ti", ファ "fa", ヴ "vu", ウィ "wi", シェ "she" come from `_EXTENDED`.
* を → "o", ぢ → "ji", づ → "zu", ゐ/ゑ → "i"/"e"; ゝ/ヽ repeat the previous mora, ゞ/ヾ repeat it voiced.

Limitations: は and へ are always "ha"/"he" (the particle readings need grammar); the う-merging also hits
verb endings (おもう → "omo"); unknown small-kana combinations are spelt kana by kana (キェ → "kie").
"""

import unicodedata

_HIRAGANA_TO_KATAKANA = 0x60
# ぁ–ゖ and ゝゞ have katakana twins 0x60 code points further on (ァ–ヶ, ヽヾ).
_HIRAGANA_WITH_TWINS = frozenset((*range(0x3041, 0x3097), 0x309D, 0x309E))
_SOKUON = "ッ"
_LONG_VOWEL = "ー"
_REPEAT, _REPEAT_VOICED = "ヽ", "ヾ"
_VOICED_SOUND_MARK = "\u3099"

_ROWS = (
    ("アイウエオ", "a i u e o"),
    ("カキクケコ", "ka ki ku ke ko"),
    ("ガギグゲゴ", "ga gi gu ge go"),
    ("サシスセソ", "sa shi su se so"),
    ("ザジズゼゾ", "za ji zu ze zo"),
    ("タチツテト", "ta chi tsu te to"),
    ("ダヂヅデド", "da ji zu de do"),
    ("ナニヌネノ", "na ni nu ne no"),
    ("ハヒフヘホ", "ha hi fu he ho"),
    ("バビブベボ", "ba bi bu be bo"),
    ("パピプペポ", "pa pi pu pe po"),
    ("マミムメモ", "ma mi mu me mo"),
    ("ヤユヨ", "ya yu yo"),
    ("ラリルレロ", "ra ri ru re ro"),
    ("ワヰヱヲン", "wa i e o n"),
    ("ヴヷヸヹヺ", "vu va vi ve vo"),
    ("ァィゥェォ", "a i u e o"),
    ("ャュョヮヵヶ", "ya yu yo wa ka ke"),
)
_BASE = {kana: latin for row, latins in _ROWS for kana, latin in zip(row, latins.split(), strict=True)}

# Small ゃゅょ: the vowel they give an i-kana (キ + ャ → ky + a).
_SMALL_Y = {"ャ": "a", "ュ": "u", "ョ": "o"}

# Katakana extensions for sounds Japanese borrowed, and a few other two-kana morae.
_EXTENDED = {
    "ティ": "ti", "ディ": "di", "トゥ": "tu", "ドゥ": "du", "テュ": "tyu", "デュ": "dyu",
    "ファ": "fa", "フィ": "fi", "フェ": "fe", "フォ": "fo", "フュ": "fyu",
    "ウィ": "wi", "ウェ": "we", "ウォ": "wo",
    "ヴァ": "va", "ヴィ": "vi", "ヴェ": "ve", "ヴォ": "vo", "ヴュ": "vyu",
    "シェ": "she", "ジェ": "je", "チェ": "che", "イェ": "ye",
    "ツァ": "tsa", "ツィ": "tsi", "ツェ": "tse", "ツォ": "tso",
    "スィ": "si", "ズィ": "zi",
    "クァ": "kwa", "クィ": "kwi", "クェ": "kwe", "クォ": "kwo", "グァ": "gwa",
}  # fmt: skip


def to_katakana(text: str) -> str:
    """Hiragana (including ゔ and ゝゞ) turned into the matching katakana; everything else unchanged."""
    return "".join(
        chr(ord(char) + _HIRAGANA_TO_KATAKANA) if ord(char) in _HIRAGANA_WITH_TWINS else char for char in text
    )


def _yoon(base: str, small: str) -> str | None:
    """キ + ャ → "kya", シ + ャ → "sha"; None when the pair is not a yōon."""
    latin = _BASE.get(base, "")
    if small not in _SMALL_Y or len(latin) < 2 or not latin.endswith("i"):
        return None
    stem = latin[:-1]
    glide = "" if stem.endswith(("sh", "ch", "j")) else "y"
    return stem + glide + _SMALL_Y[small]


def _mora_at(katakana: str, index: int) -> str:
    """The kana that make up the mora starting at `index`: one kana, or two for yōon and extensions."""
    pair = katakana[index : index + 2]
    if pair in _EXTENDED or (len(pair) == 2 and _yoon(pair[0], pair[1]) is not None):
        return pair
    return katakana[index]


def _romanise_mora(mora: str) -> str:
    if mora in _EXTENDED:
        return _EXTENDED[mora]
    if len(mora) == 2:
        return _yoon(mora[0], mora[1]) or "".join(_BASE.get(kana, kana) for kana in mora)
    return _BASE.get(mora, mora)


def _voiced(mora: str) -> str:
    """The mora with its first kana voiced (カ → ガ), or unchanged when that kana has no voiced form."""
    voiced = unicodedata.normalize("NFC", mora[0] + _VOICED_SOUND_MARK)
    return voiced + mora[1:] if len(voiced) == 1 else mora


def _pieces(katakana: str) -> list[str]:
    """One romanised string per mora; ッ and ー stay as themselves for `_assemble` to resolve."""
    pieces: list[str] = []
    previous: str | None = None
    index = 0
    while index < len(katakana):
        char = katakana[index]
        if char in (_REPEAT, _REPEAT_VOICED):
            if previous is not None:
                pieces.append(_romanise_mora(_voiced(previous) if char == _REPEAT_VOICED else previous))
            index += 1
            continue
        if char in (_SOKUON, _LONG_VOWEL):
            pieces.append(char)
            index += 1
            continue
        previous = _mora_at(katakana, index)
        pieces.append(_romanise_mora(previous))
        index += len(previous)
    return pieces


def _lengthens(written: list[str], piece: str) -> bool:
    """Whether `piece` only lengthens the vowel before it (う after o/u, お after o): written plainly."""
    if not written or not written[-1]:
        return False
    before = written[-1][-1]
    return (piece == "u" and before in "ou") or (piece == "o" and before == "o")


def _assemble(pieces: list[str]) -> str:
    written: list[str] = []
    doubling = False
    for piece in pieces:
        if piece == _SOKUON:
            doubling = True
            continue
        if piece == _LONG_VOWEL or _lengthens(written, piece):
            continue
        if doubling and piece[0] not in "aiueo" and piece != "n":
            written.append("t" if piece.startswith("ch") else piece[0])
        doubling = False
        written.append(piece)
    return "".join(written)


def romanise_kana(run: str) -> str:
    """Hepburn romanisation of a run of kana (see the module docstring for the spelling choices)."""
    return _assemble(_pieces(to_katakana(run)))
