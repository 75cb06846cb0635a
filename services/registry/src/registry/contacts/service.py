"""Contact use cases. Contact details are personal data: the history records contact ids only."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from plaza_kit.errors import NotFoundError, UnprocessableError
from plaza_kit.identity import Principal
from registry.companies.models import Company
from registry.companies.schemas import TextsRead
from registry.companies.service import get_writable
from registry.contacts.models import Contact
from registry.contacts.schemas import ContactCreate, ContactRead, ContactUpdate
from registry.history.recorder import record_change


def to_read(contact: Contact) -> ContactRead:
    """The API shape of a contact."""
    return ContactRead(
        id=contact.id,
        company_id=contact.company_id,
        name=TextsRead(ko=contact.name_ko, ja=contact.name_ja, en=contact.name_en),
        title=contact.title,
        email=contact.email,
        phone=contact.phone,
        languages=list(contact.languages),
        created_at=contact.created_at,
        updated_at=contact.updated_at,
    )


async def list_contacts(session: AsyncSession, company_id: uuid.UUID) -> list[ContactRead]:
    """The contacts of a company (a short list), in the order they were added."""
    if await session.get(Company, company_id) is None:
        raise NotFoundError(f"no company with id {company_id}")
    rows = await session.scalars(select(Contact).where(Contact.company_id == company_id).order_by(Contact.id))
    return [to_read(contact) for contact in rows]


async def get_contact(session: AsyncSession, company_id: uuid.UUID, contact_id: uuid.UUID) -> Contact:
    """One contact of one company; 404 otherwise."""
    contact = await session.get(Contact, contact_id)
    if contact is None or contact.company_id != company_id:
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
