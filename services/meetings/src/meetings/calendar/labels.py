"""The few words a calendar feed writes around the data, in Korean, Japanese and English.

Templates name their blanks (`{counterpart}`) instead of gluing words together: word order differs
between the three languages (`Meeting with X`, `X 미팅`, `Xとの商談`), and a Korean particle after a name
would depend on the name's last syllable, so the Korean template needs none.
"""

from typing import Final

DEFAULT_LANGUAGE: Final = "en"
LANGUAGES: Final = ("ko", "ja", "en")

LABELS: Final[dict[str, dict[str, str]]] = {
    "table": {"en": "Table", "ko": "테이블", "ja": "テーブル"},
    "interpreter": {"en": "Interpreter", "ko": "통역사", "ja": "通訳"},
    "meeting_with": {
        "en": "Meeting with {counterpart}",
        "ko": "{counterpart} 미팅",
        "ja": "{counterpart}との商談",
    },
    "meeting_between": {"en": "Meeting: {a} and {b}", "ko": "{a}·{b} 미팅", "ja": "{a}と{b}の商談"},
    "cancelled": {"en": "Cancelled", "ko": "취소됨", "ja": "キャンセル"},
    "feed_name": {"en": "{event}: meetings", "ko": "{event}: 미팅 일정", "ja": "{event}：商談スケジュール"},
}


def label(key: str, language: str, **blanks: str) -> str:
    """The label `key` in `language` (English for a language we do not write), its blanks filled in.

    An unknown key is a KeyError: labels are chosen by code, never by input.
    """
    texts = LABELS[key]
    template = texts.get(language) or texts[DEFAULT_LANGUAGE]
    return template.format(**blanks) if blanks else template
