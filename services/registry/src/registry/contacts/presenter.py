"""The API shape of stored contacts."""

from registry.companies.schemas import TextsRead
from registry.contacts.models import Contact
from registry.contacts.schemas import ContactRead


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
