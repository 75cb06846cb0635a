"""The services' demo data agree with each other where one copies the other (names copied at registration)."""

from investment.demo_leads import DEMO_LEADS
from investment.demo_leads import PARTIES as INVESTMENT_COPIES
from meetings.demo_data import COMPANIES as MEETINGS_COPIES
from meetings.demo_data import REQUESTS
from registry.demo_data import DEMO_BODIES


def test_the_meetings_demo_copies_the_registrys_company_names_and_countries() -> None:
    registry = {body.key: (body.ko, body.ja, body.en, body.country) for body in DEMO_BODIES}
    assert {key: registry[key] for key in MEETINGS_COPIES} == MEETINGS_COPIES


def test_the_investment_demo_copies_the_registrys_party_names_and_countries() -> None:
    registry = {body.key: (body.ko, body.ja, body.en, body.country) for body in DEMO_BODIES}
    assert {key: registry[key] for key in INVESTMENT_COPIES} == INVESTMENT_COPIES


def test_the_investment_demo_names_meetings_of_the_meetings_demo() -> None:
    requests = {
        (f"{request.requester}>{request.requested}", position)
        for position, request in enumerate(REQUESTS)
        if request.outcome == "accepted" and request.slot is not None
    }
    assert {lead.meeting for lead in DEMO_LEADS} <= requests
