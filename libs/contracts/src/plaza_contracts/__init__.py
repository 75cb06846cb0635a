"""Plaza's shared wire contracts. Import from here; the submodules are an implementation detail."""

from plaza_contracts.base import ContractModel, InputModel
from plaza_contracts.events import EventEnvelope
from plaza_contracts.ids import deterministic_uuid7, uuid7, uuid7_time_ms
from plaza_contracts.pagination import (
    DEFAULT_PAGE_LIMIT,
    MAX_PAGE_LIMIT,
    CursorCodec,
    InvalidCursorError,
    Page,
    query_fingerprint,
)
from plaza_contracts.patch import NOT_NULL
from plaza_contracts.problem import PROBLEM_MEDIA_TYPE, FieldError, Problem, problem_type
from plaza_contracts.refs import (
    MAX_REF_LOOKUP_IDS,
    CompanyRef,
    CompanyRefLookup,
    EventRef,
    MeetingRef,
    MergedRef,
    OrganisationRef,
    OrganisationRefLookup,
    RefLookup,
    RefLookupRequest,
)
from plaza_contracts.values import (
    LANGUAGES,
    CountryCode,
    CurrencyCode,
    IsoDate,
    LocalizedText,
    Money,
    TimeZoneName,
    UtcDateTime,
    minor_units,
)

__all__ = [
    "DEFAULT_PAGE_LIMIT",
    "LANGUAGES",
    "MAX_PAGE_LIMIT",
    "MAX_REF_LOOKUP_IDS",
    "NOT_NULL",
    "PROBLEM_MEDIA_TYPE",
    "CompanyRef",
    "CompanyRefLookup",
    "ContractModel",
    "CountryCode",
    "CurrencyCode",
    "CursorCodec",
    "EventEnvelope",
    "EventRef",
    "FieldError",
    "InputModel",
    "InvalidCursorError",
    "IsoDate",
    "LocalizedText",
    "MeetingRef",
    "MergedRef",
    "Money",
    "OrganisationRef",
    "OrganisationRefLookup",
    "Page",
    "Problem",
    "RefLookup",
    "RefLookupRequest",
    "TimeZoneName",
    "UtcDateTime",
    "deterministic_uuid7",
    "minor_units",
    "problem_type",
    "query_fingerprint",
    "uuid7",
    "uuid7_time_ms",
]
