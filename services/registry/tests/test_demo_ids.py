"""The registry's demo data keeps the ids that the shared contracts publish for partners' tests."""

from plaza_contracts.demo import DEMO_COMPANIES, DEMO_ORGANISATIONS
from registry.demo import demo_id
from registry.demo_data import DEMO_BODIES


def test_published_demo_organisation_ids_are_the_registrys() -> None:
    assert {key: demo_id(key) for key in DEMO_ORGANISATIONS} == DEMO_ORGANISATIONS


def test_published_demo_organisations_are_organisations() -> None:
    kinds = {body.key: body.kind for body in DEMO_BODIES}
    assert {kinds[key] for key in DEMO_ORGANISATIONS} <= {"government_body", "association"}


def test_published_demo_company_ids_are_the_registrys() -> None:
    assert {key: demo_id(key) for key in DEMO_COMPANIES} == DEMO_COMPANIES
