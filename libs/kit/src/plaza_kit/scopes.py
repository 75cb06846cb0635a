"""The scopes partner clients hold, per area and action. Every operation declares the one it requires."""

import enum


class Scope(enum.StrEnum):
    """A permission; `admin` implies all of them."""

    REGISTRY_READ = "registry:read"
    REGISTRY_WRITE = "registry:write"
    CONTACTS_READ = "contacts:read"
    MEETINGS_READ = "meetings:read"
    MEETINGS_WRITE = "meetings:write"
    MEETINGS_ORGANISE = "meetings:organise"
    INVESTMENT_READ = "investment:read"
    INVESTMENT_WRITE = "investment:write"
    INVESTMENT_WIN = "investment:win"
    ADMIN = "admin"


SCOPE_DESCRIPTIONS: dict[str, str] = {
    Scope.REGISTRY_READ: "Read companies, organisations and memberships.",
    Scope.REGISTRY_WRITE: "Create and change registry records (your organisation's own).",
    Scope.CONTACTS_READ: "Read contact persons (personal data under PIPA/APPI).",
    Scope.MEETINGS_READ: "Read events, agendas and your meetings.",
    Scope.MEETINGS_WRITE: "Register, request and answer meetings.",
    Scope.MEETINGS_ORGANISE: "Organise events: schedule all meetings, publish.",
    Scope.INVESTMENT_READ: "Read leads and deals shared with you.",
    Scope.INVESTMENT_WRITE: "Create and change your leads.",
    Scope.INVESTMENT_WIN: "Mark a deal won.",
    Scope.ADMIN: "Administer clients, keys and audit; implies every other scope.",
}
