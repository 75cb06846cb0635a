"""The services' demo data agree with each other where one copies the other (names copied at registration)."""

from meetings.demo_data import COMPANIES as MEETINGS_COPIES
from registry.demo_data import DEMO_BODIES


def test_the_meetings_demo_copies_the_registrys_company_names_and_countries() -> None:
    registry = {body.key: (body.ko, body.ja, body.en, body.country) for body in DEMO_BODIES}
    assert {key: registry[key] for key in MEETINGS_COPIES} == MEETINGS_COPIES
