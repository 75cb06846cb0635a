"""Contact use cases. Contact details are personal data: the history records contact ids only."""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from plaza_kit.errors import NotFoundError, UnprocessableError
from plaza_kit.identity import Principal
from registry.companies import repository as companies
from registry.companies.service import get_writable
from registry.contacts import repository
from registry.contacts.models import Contact
from registry.contacts.schemas import ContactCreate, ContactUpdate
from registry.history.recorder import record_change


async def list_contacts(session: AsyncSession, company_id: uuid.UUID) -> Sequence[Contact]:
    """The contacts of a company (a short list), in the order they were added."""
    if not await companies.company_exists(session, company_id):
        raise NotFoundError(f"no company with id {company_id}")
    return await repository.of_company(session, company_id)


async def get_contact(session: AsyncSession, company_id: uuid.UUID, contact_id: uuid.UUID) -> Contact:
    """One contact of one company; 404 otherwise."""
    contact = await repository.get(session, company_id, contact_id)
    if contact is None:
        raise NotFoundError(f"no contact {contact_id} at company {company_id}")
    return contact


async def add_contact(
    session: AsyncSession, company_id: uuid.UUID, data: ContactCreate, principal: Principal
) -> Contact:
    """Add a person to a company the caller's organisation owns."""
    await get_writable(session, company_id, principal)
    now = datetime.now(UTC)
    contact = Contact(
        company_id=company_id,
        name_ko=data.name.ko,
        name_ja=data.name.ja,
        name_en=data.name.en,
        title=data.title,
        email=data.email,
        phone=data.phone,
        languages=list(dict.fromkeys(data.languages)),
        created_at=now,
        updated_at=now,
    )
    session.add(contact)
    await session.flush()
    await record_change(
        session,
        company_id=company_id,
        action="contact_added",
        principal=principal,
        changes={"contact_id": str(contact.id)},
    )
    return contact


async def update_contact(
    session: AsyncSession,
    company_id: uuid.UUID,
    contact_id: uuid.UUID,
    patch: ContactUpdate,
    principal: Principal,
) -> Contact:
    """Change some fields of a contact (merge patch)."""
    await get_writable(session, company_id, principal)
    contact = await get_contact(session, company_id, contact_id)
    fields = patch.model_fields_set
    for field in ("title", "phone"):
        if field in fields:
            setattr(contact, field, getattr(patch, field))
    if "email" in fields:
        contact.email = patch.email
    if patch.languages is not None:
        contact.languages = list(dict.fromkeys(patch.languages))
    if patch.name is not None:
        for language in patch.name.model_fields_set:
            setattr(contact, f"name_{language}", getattr(patch.name, language))
        if not (contact.name_ko or contact.name_ja or contact.name_en):
            raise UnprocessableError("a contact keeps a name in at least one of ko, ja, en")
    contact.updated_at = datetime.now(UTC)
    await session.flush()
    await record_change(
        session, company_id=company_id, action="contact_updated", principal=principal,
        changes={"contact_id": str(contact.id), "fields": sorted(fields)},
    )  # fmt: skip
    return contact


async def remove_contact(
    session: AsyncSession, company_id: uuid.UUID, contact_id: uuid.UUID, principal: Principal
) -> None:
    """Delete a contact (erasure of personal data on request)."""
    await get_writable(session, company_id, principal)
    contact = await get_contact(session, company_id, contact_id)
    await session.delete(contact)
    await record_change(
        session,
        company_id=company_id,
        action="contact_removed",
        principal=principal,
        changes={"contact_id": str(contact_id)},
    )
