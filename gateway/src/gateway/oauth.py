"""`POST /v1/oauth/token`: OAuth 2.0 client credentials (RFC 6749 §4.4).

`client_id` is the client's id; `client_secret` is one of its API keys (so rotating or revoking the key
does the same to the secret, and to the tokens obtained with it). Credentials come in the form body or by
HTTP Basic (§2.3.1), not both. Errors have the §5.2 JSON shape; responses are never cached.
"""

import base64
import binascii
from typing import Any, Literal
from urllib.parse import parse_qs, unquote_plus

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from gateway.credentials import Credentials

TOKEN_PATH = "/v1/oauth/token"  # noqa: S105 (a path, not a secret)
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
ErrorCode = Literal[
    "invalid_request", "invalid_client", "invalid_grant", "unsupported_grant_type", "invalid_scope"
]

router = APIRouter(tags=["oauth"])


class TokenResponse(BaseModel):
    """An access token (RFC 6749 §5.1)."""

    access_token: str = Field(description="Send as `Authorization: Bearer <token>`.")
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 (the scheme name)
    expires_in: int = Field(description="Seconds the token is valid.", examples=[900])
    scope: str = Field(description="Space-separated scopes the token carries.", examples=["registry:read"])


class TokenError(BaseModel):
    """An error of the token endpoint (RFC 6749 §5.2)."""

    error: ErrorCode
    error_description: str | None = None


class _OAuthError(Exception):
    def __init__(self, code: ErrorCode, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.code, self.description, self.status = code, description, status


_FORM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["grant_type"],
    "properties": {
        "grant_type": {"type": "string", "enum": ["client_credentials"]},
        "client_id": {"type": "string", "description": "The client id (or use HTTP Basic)."},
        "client_secret": {"type": "string", "description": "An API key of the client (or use HTTP Basic)."},
        "scope": {"type": "string", "description": "Space-separated subset of the client's scopes."},
    },
}


def _form(body: bytes) -> dict[str, str]:
    try:
        parsed = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(body))
    except (UnicodeDecodeError, ValueError) as error:
        raise _OAuthError("invalid_request", "the body is not a valid form") from error
    repeated = sorted(name for name, values in parsed.items() if len(values) > 1)
    if repeated:
        raise _OAuthError("invalid_request", f"parameters repeated: {', '.join(repeated)}")
    return {name: values[0] for name, values in parsed.items()}


def _basic(header: str | None) -> tuple[str, str] | None:
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as error:
        raise _OAuthError("invalid_client", "malformed Basic credentials", 401) from error
    client_id, separator, secret = decoded.partition(":")
    if not separator:
        raise _OAuthError("invalid_client", "malformed Basic credentials", 401)
    return unquote_plus(client_id), unquote_plus(secret)


async def _issue(request: Request) -> TokenResponse:
    if not request.headers.get("content-type", "").lower().startswith("application/x-www-form-urlencoded"):
        raise _OAuthError("invalid_request", "send application/x-www-form-urlencoded")
    form = _form(await request.body())
    basic = _basic(request.headers.get("authorization"))
    if basic and ("client_secret" in form or "client_id" in form):
        raise _OAuthError("invalid_request", "use HTTP Basic or body credentials, not both")
    if form.get("grant_type") != "client_credentials":
        if "grant_type" not in form:
            raise _OAuthError("invalid_request", "grant_type is required")
        raise _OAuthError("unsupported_grant_type", "only client_credentials is supported")
    client_id, secret = basic or (form.get("client_id", ""), form.get("client_secret", ""))
    credentials: Credentials = request.app.state.credentials
    grant = await credentials.from_api_key(secret) if secret else None
    if grant is None or str(grant.client_id) != client_id.strip().lower():
        raise _OAuthError("invalid_client", "unknown client or wrong secret", 401)
    held = grant.principal.scopes
    requested = frozenset(form["scope"].split()) if form.get("scope", "").strip() else held
    if not requested <= held:
        raise _OAuthError("invalid_scope", f"not granted: {' '.join(sorted(requested - held))}")
    tokens = credentials.access_tokens
    token = tokens.issue(
        client_id=grant.client_id,
        key_id=grant.key_id,
        organisation_id=grant.principal.organisation_id,
        scopes=requested,
    )
    return TokenResponse(access_token=token, expires_in=tokens.ttl_seconds, scope=" ".join(sorted(requested)))


@router.post(
    TOKEN_PATH,
    operation_id="oauth_token",
    summary="Get an access token (client credentials)",
    response_model=TokenResponse,
    responses={
        400: {"description": "Invalid request, grant type or scope", "model": TokenError},
        401: {"description": "Unknown client or wrong secret", "model": TokenError},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/x-www-form-urlencoded": {"schema": _FORM_SCHEMA}},
        },
        "security": [],
    },
)
async def token(request: Request) -> JSONResponse:
    """Exchange the client's id and secret (an API key) for a short-lived bearer access token."""
    try:
        issued = await _issue(request)
    except _OAuthError as error:
        headers = dict(_NO_STORE)
        if error.status == 401:
            headers["WWW-Authenticate"] = 'Basic realm="plaza"'
        body = TokenError(error=error.code, error_description=error.description)
        return JSONResponse(body.model_dump(exclude_none=True), status_code=error.status, headers=headers)
    return JSONResponse(issued.model_dump(), headers=_NO_STORE)


def document_token_errors(document: dict[str, Any]) -> None:
    """The token endpoint answers errors in the RFC 6749 shape, not as problems: say so in `document`."""
    operation = document.get("paths", {}).get(TOKEN_PATH, {}).get("post")
    if operation is None:
        return
    responses = operation["responses"]
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/TokenError"}}}
    responses["400"] = {"description": "Invalid request, grant type or scope", "content": content}
    responses["401"] = {"description": "Unknown client or wrong secret", "content": content}
    responses.pop("422", None)
