"""Optimistic concurrency over HTTP: entity tags from a record's version, `If-Match` checked under a lock.

Writers lock the row (`SELECT … FOR UPDATE`) before comparing, so two clients holding the same version
cannot both win: the second one sees the new version and gets 412 (RFC 9110 §13.1.1), never a lost update.
"""

from typing import Annotated

from fastapi import Header

from plaza_kit.errors import PreconditionFailedError

IfMatchHeader = Annotated[
    str | None,
    Header(
        alias="If-Match",
        max_length=500,
        description="The ETag you last read; the change is refused with 412 if the record changed since.",
    ),
]


def entity_tag(version: int) -> str:
    """The strong ETag of a record at `version`."""
    return f'"{version}"'


def _listed_tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def ensure_matches(if_match: str | None, version: int, what: str) -> None:
    """Raise 412 unless `If-Match` is absent, `*`, or names the current version (strong comparison)."""
    if if_match is None:
        return
    tags = _listed_tags(if_match)
    if "*" in tags or entity_tag(version) in tags:
        return
    raise PreconditionFailedError(
        f"the {what} has changed since you read it (now at ETag {entity_tag(version)}); read it again",
        extensions={"current_etag": entity_tag(version)},
    )
