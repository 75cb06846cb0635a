"""The organisation identifier schemes the registry understands, and their one-line descriptions."""

import enum


class IdentifierScheme(enum.StrEnum):
    """An official numbering system for organisations; the value is what the API and the database store."""

    JP_CORPORATE_NUMBER = "jp_corporate_number"
    KR_BUSINESS_REGISTRATION_NUMBER = "kr_brn"
    KR_CORPORATE_REGISTRATION_NUMBER = "kr_crn"
    LEI = "lei"


SCHEME_DESCRIPTIONS: dict[IdentifierScheme, str] = {
    IdentifierScheme.JP_CORPORATE_NUMBER: (
        "Japanese corporate number (法人番号) issued by the National Tax Agency: "
        "13 digits, the first of which is a check digit."
    ),
    IdentifierScheme.KR_BUSINESS_REGISTRATION_NUMBER: (
        "Korean business registration number (사업자등록번호) issued by the National Tax Service: "
        "10 digits, the last of which is a check digit; usually written 123-45-67890."
    ),
    IdentifierScheme.KR_CORPORATE_REGISTRATION_NUMBER: (
        "Korean corporate registration number (법인등록번호) assigned by the court registry: "
        "13 digits, the last of which is a check digit; usually written 123456-1234567."
    ),
    IdentifierScheme.LEI: (
        "Legal Entity Identifier (ISO 17442): 20 upper-case letters and digits, "
        "the last two of which are ISO 7064 MOD 97-10 check digits."
    ),
}
