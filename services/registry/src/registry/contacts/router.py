"""HTTP routes of contact persons, under `/v1/companies/{company_id}/contacts`.

Reading needs `contacts:read` (personal data under PIPA/APPI); writing needs `registry:write` and
`contacts:read`, and only the company's owner organisation (or an admin) may write.
"""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Response, status
from pydantic import Field

from plaza_contracts import ContractModel
from plaza_kit.auth import owner_only, requires
from plaza_kit.db import SessionDep
from plaza_kit.idempotency import Created, IdempotentCreateDep
from plaza_kit.identity import Principal
from plaza_kit.scopes import Scope
from registry.contacts import service
from registry.contacts.presenter import to_read
from registry.contacts.schemas import ContactCreate, ContactRead, ContactUpdate

router = APIRouter(prefix="/v1/companies/{company_id}/contacts", tags=["contacts"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such company or contact"}}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND,
    403: {"description": "Not the owner organisation"},
}


class ContactList(ContractModel):
    """The contacts of a company."""

    items: list[ContactRead] = Field(description="Every contact, oldest first.")


@router.get("", operation_id="contacts_list", summary="List a company's contacts", responses=NOT_FOUND)
async def list_contacts(
    company_id: uuid.UUID, session: SessionDep, _: Annotated[Principal, requires(Scope.CONTACTS_READ)]
) -> ContactList:
    """The people at a company (personal data: needs `contacts:read`)."""
    return ContactList(
        items=[to_read(contact) for contact in await service.list_contacts(session, company_id)]
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    operation_id="contacts_create",
    summary="Add a contact",
    response_model=ContactRead,
    responses=WRITE_ERRORS,
    openapi_extra=owner_only(),
)
async def add_contact(
    company_id: uuid.UUID,
    body: ContactCreate,
    session: SessionDep,
    principal: Annotated[Principal, requires(Scope.REGISTRY_WRITE, Scope.CONTACTS_READ)],
    idempotent: IdempotentCreateDep,
) -> Any:
    """Add a person to a company your organisation owns; send an `Idempotency-Key` to make retries safe."""

    async def create() -> Created:
        contact = to_read(await service.add_contact(session, company_id, body, principal))
        return Created(contact.model_dump(mode="json"), f"/v1/companies/{company_id}/contacts/{contact.id}")

    return await idempotent(principal, body, create)


@router.get("/{contact_id}", operation_id="contacts_get", summary="Get a contact", responses=NOT_FOUND)
async def get_contact(
    company_id: uuid.UUID,
    contact_id: uuid.UUID,
    session: SessionDep,
    _: Annotated[Principal, requires(Scope.CONTACTS_READ)],
) -> ContactRead:
    """One person at a company."""
    return to_read(await service.get_contact(session, company_id, contact_id))


@router.patch(
    "/{contact_id}",
    operation_id="contacts_update",
    summary="Update a contact",
    responses=WRITE_ERRORS,
    openapi_extra=owner_only(),
)
async def update_contact(
    company_id: uuid.UUID,
    contact_id: uuid.UUID,
    body: ContactUpdate,
    session: SessionDep,
    principal: Annotated[Principal, requires(Scope.REGISTRY_WRITE, Scope.CONTACTS_READ)],
) -> ContactRead:
    """Change some fields of a contact (merge patch)."""
    return to_read(await service.update_contact(session, company_id, contact_id, body, principal))


@router.delete(
    "/{contact_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="contacts_delete",
    summary="Delete a contact",
    responses=WRITE_ERRORS,
    openapi_extra=owner_only(),
)
async def delete_contact(
    company_id: uuid.UUID,
    contact_id: uuid.UUID,
    session: SessionDep,
    principal: Annotated[Principal, requires(Scope.REGISTRY_WRITE, Scope.CONTACTS_READ)],
) -> Response:
    """Delete a contact (e.g. when the person asks for their data to be erased)."""
    await service.remove_contact(session, company_id, contact_id, principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
