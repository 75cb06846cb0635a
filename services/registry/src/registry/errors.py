"""Registry-specific errors (each renders as problem+json through the kit's handlers).

409 DuplicateIdentifierError: an identifier is already held by another company (`existing_id`).
409 PossibleDuplicateError: the name normalises to existing companies (`candidates`); confirm to go on.
409 MergedCompanyError: the company was merged into another (`merged_into_id`); write to the survivor.
"""

from plaza_kit.errors import ConflictError


class DuplicateIdentifierError(ConflictError):
    slug, title = "duplicate-identifier", "Identifier already registered"


class PossibleDuplicateError(ConflictError):
    slug, title = "possible-duplicate", "Possible duplicate company"


class MergedCompanyError(ConflictError):
    slug, title = "company-merged", "Company was merged"
