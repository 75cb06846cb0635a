"""The RFC 5545 renderer, read back with icalendar's own parser (independent of how we wrote it)."""

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from meetings.calendar.ics import Feed, FeedEntry, render
from meetings.calendar.labels import LABELS, LANGUAGES, label

TOKYO = ZoneInfo("Asia/Tokyo")
LONG_KO = "한국 배터리 소재 기업과 일본 완성차 부품 기업의 일대일 상담입니다. 통역사가 동석합니다. " * 6
LONG_JA = "日本の自動車部品メーカーと韓国の電池素材メーカーによる一対一の商談です。通訳が同席します。" * 6


def entry(**overrides: object) -> FeedEntry:
    values: dict[str, object] = {
        "uid": "meeting-0199a3c2-0000-7000-8000-000000000001@plaza",
        "sequence": 0,
        "status": "CONFIRMED",
        "starts_at": datetime(2026, 7, 15, 10, 0, tzinfo=TOKYO).astimezone(UTC),
        "ends_at": datetime(2026, 7, 15, 10, 30, tzinfo=TOKYO).astimezone(UTC),
        "summary": "Meeting with Kanto Denki",
        "location": "Table 12",
        "description": "Interpreter: Kim Minji",
        "updated_at": datetime(2026, 7, 1, 9, 0, tzinfo=UTC),
        "url": None,
    }
    values.update(overrides)
    return FeedEntry(**values)  # type: ignore[arg-type]


def feed(*entries: FeedEntry, language: str = "en", time_zone: str = "Asia/Tokyo") -> Feed:
    return Feed(name="Battery Plaza: meetings", time_zone=time_zone, language=language, entries=list(entries))


def parse(body: bytes) -> Any:
    """The calendar as icalendar reads it (its property values are a wide union; tests read them as read)."""
    return Calendar.from_ical(body)


def events(body: bytes) -> list[Any]:
    return list(parse(body).walk("VEVENT"))


def test_the_calendar_names_itself_and_its_zone() -> None:
    calendar = parse(render(feed(entry())))
    assert calendar["VERSION"] == "2.0"
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["CALSCALE"] == "GREGORIAN"
    assert calendar["PRODID"].startswith("-//Plaza//")
    assert calendar["X-WR-CALNAME"] == "Battery Plaza: meetings"
    assert calendar["X-WR-TIMEZONE"] == "Asia/Tokyo"
    zones = list(calendar.walk("VTIMEZONE"))
    assert [zone["TZID"] for zone in zones] == ["Asia/Tokyo"]


def test_an_event_carries_uid_sequence_status_and_stamps() -> None:
    (event,) = events(render(feed(entry(sequence=3, url="https://plaza.example/meetings/1"))))
    assert event["UID"] == "meeting-0199a3c2-0000-7000-8000-000000000001@plaza"
    assert event["SEQUENCE"] == 3
    assert event["STATUS"] == "CONFIRMED"
    assert event["DTSTAMP"].dt == datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
    assert event["LAST-MODIFIED"].dt == datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
    assert event["SUMMARY"] == "Meeting with Kanto Denki"
    assert event["LOCATION"] == "Table 12"
    assert event["DESCRIPTION"] == "Interpreter: Kim Minji"
    assert event["URL"] == "https://plaza.example/meetings/1"


def test_a_reschedule_keeps_the_uid_and_raises_the_sequence() -> None:
    before = entry()
    after = entry(
        sequence=1,
        starts_at=before.starts_at + timedelta(hours=1),
        ends_at=before.ends_at + timedelta(hours=1),
        updated_at=before.updated_at + timedelta(days=1),
    )
    (first,) = events(render(feed(before)))
    (second,) = events(render(feed(after)))
    assert first["UID"] == second["UID"]
    assert (first["SEQUENCE"], second["SEQUENCE"]) == (0, 1)
    assert second["DTSTART"].dt - first["DTSTART"].dt == timedelta(hours=1)


def test_a_cancelled_meeting_stays_in_the_feed_as_cancelled() -> None:
    kept, cancelled = events(
        render(feed(entry(), entry(uid="meeting-2@plaza", status="CANCELLED", sequence=2)))
    )
    assert kept["STATUS"] == "CONFIRMED"
    assert (cancelled["UID"], cancelled["STATUS"], cancelled["SEQUENCE"]) == (
        "meeting-2@plaza",
        "CANCELLED",
        2,
    )


def test_times_are_in_the_feeds_zone_and_read_right_anywhere() -> None:
    body = render(feed(entry()))
    assert b"DTSTART;TZID=Asia/Tokyo:20260715T100000\r\n" in body
    (event,) = events(body)
    start = event["DTSTART"].dt
    assert start.tzinfo is not None
    assert start.astimezone(ZoneInfo("Asia/Seoul")).strftime("%H:%M") == "10:00"
    in_berlin = start.astimezone(ZoneInfo("Europe/Berlin"))
    assert (in_berlin.strftime("%H:%M"), in_berlin.tzname()) == ("03:00", "CEST")
    assert event["DTEND"].dt - start == timedelta(minutes=30)


def test_a_winter_meeting_in_a_zone_with_summer_time_gets_both_rules() -> None:
    winter = entry(
        starts_at=datetime(2026, 1, 20, 9, 0, tzinfo=UTC), ends_at=datetime(2026, 1, 20, 9, 30, tzinfo=UTC)
    )
    body = render(feed(winter, time_zone="Europe/Berlin"))
    calendar = parse(body)
    (zone,) = calendar.walk("VTIMEZONE")
    assert {component.name for component in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    (event,) = calendar.walk("VEVENT")
    assert b"DTSTART;TZID=Europe/Berlin:20260120T100000" in body
    assert event["DTSTART"].dt.astimezone(UTC) == winter.starts_at


def test_the_zone_covers_every_year_of_the_feed() -> None:
    late = entry(
        uid="meeting-late@plaza",
        starts_at=datetime(2027, 3, 1, 1, 0, tzinfo=UTC),
        ends_at=datetime(2027, 3, 1, 1, 30, tzinfo=UTC),
    )
    (zone,) = parse(render(feed(entry(), late))).walk("VTIMEZONE")
    assert "2026-01-01 to 2028-01-01" in str(zone["COMMENT"])


@pytest.mark.parametrize(
    "text",
    [
        "Kanto Denki, Ltd.; Nagoya",
        "C:\\New\\folder and \\N and \\n",  # icalendar 7.3's own escaping turns `\N` into a line break
        "line one\nline two\r\nline three\rline four",
        "a\\,b\\;c\\\\",
        "삼성SDI, 도요타; 通訳: 김민지\n次の行",
    ],
)
def test_text_escaping_round_trips(text: str) -> None:
    (event,) = events(render(feed(entry(summary=text, location=text, description=text))))
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    assert (event["SUMMARY"], event["LOCATION"], event["DESCRIPTION"]) == (expected, expected, expected)


def test_control_characters_are_dropped() -> None:
    (event,) = events(render(feed(entry(summary="bell\x07 and escape\x1b and\ttab"))))
    assert event["SUMMARY"] == "bell and escape and\ttab"


@pytest.mark.parametrize("description", [LONG_KO, LONG_JA, "é" * 200, "한" * 1 + "a" * 300])
def test_lines_fold_at_75_octets_without_splitting_a_character(description: str) -> None:
    body = render(feed(entry(summary=description[:120], description=description), language="ko"))
    assert body.endswith(b"\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")  # every line ends CRLF
    assert b"\r" not in body.replace(b"\r\n", b"")
    lines = body.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # each physical line is valid UTF-8 on its own: no character was split
    (event,) = events(body)
    assert event["DESCRIPTION"] == description


def test_texts_carry_the_feeds_language() -> None:
    body = render(feed(entry(summary="関東電機との商談"), language="ja"))
    assert "SUMMARY;LANGUAGE=ja:関東電機との商談".encode() in body
    (event,) = events(body)
    assert event["SUMMARY"].params["LANGUAGE"] == "ja"


def test_empty_texts_and_no_url_are_left_out() -> None:
    (event,) = events(render(feed(entry(location="", description=""))))
    assert "LOCATION" not in event
    assert "DESCRIPTION" not in event
    assert "URL" not in event


def test_an_empty_feed_is_a_valid_calendar() -> None:
    calendar = parse(render(feed()))
    assert calendar["X-WR-CALNAME"] == "Battery Plaza: meetings"
    assert list(calendar.walk("VEVENT")) == []


def test_equal_input_gives_equal_bytes_whatever_the_order() -> None:
    one, two = (
        entry(),
        entry(
            uid="meeting-2@plaza",
            starts_at=entry().starts_at + timedelta(hours=2),
            ends_at=entry().ends_at + timedelta(hours=2),
        ),
    )
    assert render(feed(one, two)) == render(feed(two, one))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"starts_at": datetime(2026, 7, 15, 10, 0)}, "timezone-aware"),
        ({"ends_at": datetime(2026, 7, 15, 0, 0, tzinfo=UTC)}, "before"),
        ({"sequence": -1}, "negative"),
        ({"status": "TENTATIVE"}, "status"),
        ({"uid": ""}, "uid"),
    ],
)
def test_bad_entries_are_refused(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        entry(**overrides)


def test_an_unknown_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        feed(time_zone="Mars/Olympus_Mons")


def test_labels_exist_in_every_language() -> None:
    for key, texts in LABELS.items():
        assert set(texts) == set(LANGUAGES), key
    assert label("table", "ko") == "테이블"
    assert label("interpreter", "ja") == "通訳"
    assert label("cancelled", "en") == "Cancelled"
    assert label("meeting_with", "ko", counterpart="도요타") == "도요타 미팅"
    assert label("meeting_with", "ja", counterpart="サムスン") == "サムスンとの商談"
    assert label("meeting_with", "en", counterpart="Toyota") == "Meeting with Toyota"


def test_a_language_we_do_not_write_falls_back_to_english() -> None:
    assert label("table", "zh") == "Table"
    with pytest.raises(KeyError):
        label("no-such-label", "en")


def test_blanks_are_filled_once_and_never_read_as_templates() -> None:
    assert label("meeting_with", "en", counterpart="{event} Co.") == "Meeting with {event} Co."
