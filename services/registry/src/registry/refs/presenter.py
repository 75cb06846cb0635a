"""The contract shapes of a registry body: `CompanyRef` and `OrganisationRef`.

The registry's own answers that name another body (a membership's two sides, duplicate candidates, the
candidates of a 409) use the same shapes, so a consumer reads one shape everywhere.
"""

from plaza_contracts import CompanyRef, LocalizedText, OrganisationRef
from registry.companies.models import Company


def localized_name(company: Company) -> LocalizedText:
    """The body's name in ko/ja/en. Every stored company has one: names are validated as `LocalizedText`
    on every write (create, patch, import) and the table checks that one language is set."""
    return LocalizedText(ko=company.name_ko, ja=company.name_ja, en=company.name_en)


def company_ref(company: Company) -> CompanyRef:
    """A company (or any other body) as another service shows it."""
    return CompanyRef(id=company.id, name=localized_name(company), country=company.country)


def organisation_ref(company: Company) -> OrganisationRef:
    """A partner organisation as another service shows it."""
    return OrganisationRef(id=company.id, name=localized_name(company))
