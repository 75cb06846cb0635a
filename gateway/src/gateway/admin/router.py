"""Admin routes: clients and their keys, under `/v1/admin/clients`. Every route requires `admin`.

Changes that narrow access (revocation, rotation, new scopes or limits) are committed before the caches
are told, so no replica can reload the old state after being told to forget it.
"""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status

from gateway.admin import service
from gateway.admin.presenter import client_read, issued_key, key_read
from gateway.admin.schemas import (
    ClientCreate,
    ClientRead,
    ClientUpdate,
    IssuedKey,
    KeyIssue,
    KeyRead,
    KeyRotate,
)
from gateway.revocation import Revocations
from gateway.settings import GatewaySettings
from plaza_contracts import Page
from plaza_kit.auth import requires
from plaza_kit.db import SessionDep
from plaza_kit.identity import Principal
from plaza_kit.pagination import KeysetDep
from plaza_kit.scopes import Scope

router = APIRouter(prefix="/v1/admin", tags=["admin"])
Admin = Annotated[Principal, requires(Scope.ADMIN)]
CLIENT_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such client"}}
KEY_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such client or key"}}


def _revocations(request: Request) -> Revocations:
    revocations: Revocations = request.app.state.revocations
    return revocations


def _settings(request: Request) -> GatewaySettings:
    settings: GatewaySettings = request.app.state.settings
    return settings


@router.post(
    "/clients",
    status_code=status.HTTP_201_CREATED,
    operation_id="admin_clients_create",
    summary="Create a client",
    responses={409: {"description": "The name is taken"}},
)
async def create_client(
    body: ClientCreate, request: Request, response: Response, session: SessionDep, _: Admin
) -> ClientRead:
    """Register a partner client for an organisation with its scopes and rate limit (no key yet)."""
    settings = _settings(request)
    client = await service.create_client(
        session, body, default_rate=settings.default_rate_per_minute, default_burst=settings.default_burst
    )
    response.headers["Location"] = f"/v1/admin/clients/{client.id}"
    return client_read(client)


@router.get("/clients", operation_id="admin_clients_list", summary="List clients")
async def list_clients(
    session: SessionDep,
    page: KeysetDep,
    _: Admin,
    organisation_id: Annotated[uuid.UUID | None, Query(description="Only this organisation's.")] = None,
) -> Page[ClientRead]:
    """Clients in creation order, a page at a time."""
    filters = {"organisation_id": str(organisation_id) if organisation_id else None}
    after = page.after_id(filters)
    rows = await service.list_clients(session, organisation_id=organisation_id, after=after, limit=page.fetch)
    return page.of(rows, filters, client_read)


@router.get(
    "/clients/{client_id}",
    operation_id="admin_clients_get",
    summary="Get a client",
    responses=CLIENT_NOT_FOUND,
)
async def get_client(client_id: uuid.UUID, session: SessionDep, _: Admin) -> ClientRead:
    """One client by id."""
    return client_read(await service.get_client(session, client_id))


@router.patch(
    "/clients/{client_id}",
    operation_id="admin_clients_update",
    summary="Change a client's scopes or limits",
    responses=CLIENT_NOT_FOUND,
)
async def update_client(
    client_id: uuid.UUID, body: ClientUpdate, request: Request, session: SessionDep, _: Admin
) -> ClientRead:
    """Replace the scopes and/or change the rate limit; effective at once on every replica."""
    client = await service.update_client(session, client_id, body)
    await session.commit()
    await _revocations(request).client(client_id)
    return client_read(client)


@router.post(
    "/clients/{client_id}/keys",
    status_code=status.HTTP_201_CREATED,
    operation_id="admin_keys_issue",
    summary="Issue an API key",
    responses=CLIENT_NOT_FOUND,
)
async def issue_key(
    client_id: uuid.UUID, body: KeyIssue, response: Response, session: SessionDep, _: Admin
) -> IssuedKey:
    """A new API key for the client. The key is in this response only: store it now."""
    issued = await service.issue_key(session, client_id, expires_at=body.expires_at)
    response.headers["Location"] = f"/v1/admin/clients/{client_id}/keys/{issued.key.id}"
    return issued_key(issued)


@router.get(
    "/clients/{client_id}/keys",
    operation_id="admin_keys_list",
    summary="List a client's keys",
    responses=CLIENT_NOT_FOUND,
)
async def list_keys(client_id: uuid.UUID, session: SessionDep, _: Admin) -> Page[KeyRead]:
    """Every key of the client (prefix and status only), oldest first; one page holds them all."""
    return Page[KeyRead](items=[key_read(key) for key in await service.list_keys(session, client_id)])


@router.post(
    "/clients/{client_id}/keys/{key_id}/rotate",
    status_code=status.HTTP_201_CREATED,
    operation_id="admin_keys_rotate",
    summary="Rotate an API key",
    responses={**KEY_NOT_FOUND, 409: {"description": "The key is revoked, expired or already rotated"}},
)
async def rotate_key(
    client_id: uuid.UUID,
    key_id: uuid.UUID,
    body: KeyRotate,
    request: Request,
    response: Response,
    session: SessionDep,
    _: Admin,
) -> IssuedKey:
    """Issue a replacement key; the old one keeps working for `grace_seconds`, then stops."""
    issued = await service.rotate_key(session, client_id, key_id, grace_seconds=body.grace_seconds)
    await session.commit()
    await _revocations(request).key(key_id)
    response.headers["Location"] = f"/v1/admin/clients/{client_id}/keys/{issued.key.id}"
    return issued_key(issued)


@router.post(
    "/clients/{client_id}/keys/{key_id}/revoke",
    operation_id="admin_keys_revoke",
    summary="Revoke an API key",
    responses=KEY_NOT_FOUND,
)
async def revoke_key(
    client_id: uuid.UUID, key_id: uuid.UUID, request: Request, session: SessionDep, _: Admin
) -> KeyRead:
    """Stop a key at once, on every replica, with the OAuth tokens obtained with it."""
    key = await service.revoke_key(session, client_id, key_id)
    await session.commit()
    await _revocations(request).key(key_id)
    return key_read(key)
