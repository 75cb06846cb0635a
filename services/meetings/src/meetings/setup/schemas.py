"""Wire shapes of the B2B set-up: tables, interpreters, blocked slots and per-company quotas."""

import uuid
from typing import Annotated, Any, Literal, Self

from pydantic import ConfigDict, Field, StrictInt, StringConstraints, model_validator

from meetings.texts import LocalTime, Texts
from plaza_contracts import ContractModel, InputModel, UtcDateTime
from plaza_contracts.demo import DEMO_COMPANIES

TableName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
LanguagePair = Literal["ko-ja", "ko-en", "ja-en"]
MAX_SLOTS_PER_BLOCK = 200

# Example ids of records that exist only at a running event (registrations and slots are made there).
_EXAMPLE_REGISTRATION = "01995a1e-ec20-7000-8000-000000000001"
_EXAMPLE_TABLE = "01995a1e-ec21-7000-8000-000000000001"
_EXAMPLE_SLOTS: list[Any] = ["01995a1e-ec22-7000-8000-000000000001", "01995a1e-ec22-7000-8000-000000000002"]


# --- tables ---------------------------------------------------------------------------------------------


class TableCreate(InputModel):
    """A table in the B2B area: fixed to one company for the whole event, or floating (`company_id` null)."""

    name: TableName = Field(description="Unique at the event, e.g. `A1`.")
    company_id: uuid.UUID | None = Field(
        default=None,
        description="The registry company that sits at this table all day; null for a floating table. A "
        "company has at most one fixed table per event.",
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"name": "A1", "company_id": str(DEMO_COMPANIES["hanbit-materials"])},
                {"name": "Floating 1", "company_id": None},
            ]
        }
    )


class TableUpdate(InputModel):
    """A JSON merge patch of a table: rename it, fix it to another company, or make it floating (null)."""

    name: TableName | None = Field(default=None, description="A new name (not null).")
    company_id: uuid.UUID | None = None

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"name": "B2"}, {"company_id": str(DEMO_COMPANIES["seon-chemical"])}]}
    )


class TableRead(ContractModel):
    """A B2B table."""

    id: uuid.UUID
    event_id: uuid.UUID
    name: str = Field(examples=["A1"])
    company_id: uuid.UUID | None = Field(description="The company fixed to this table; null: floating.")
    fixed: bool = Field(description="Whether the table is fixed to a company.")
    created_at: UtcDateTime


# --- interpreters ---------------------------------------------------------------------------------------


class InterpreterCreate(InputModel):
    """Make a registered person an interpreter (their registration's role becomes `interpreter`)."""

    registration_id: uuid.UUID = Field(description="A registration of this event (any role, not cancelled).")
    language_pairs: list[LanguagePair] = Field(
        min_length=1, max_length=3, description="The pairs the person interprets, at least one."
    )
    table_id: uuid.UUID | None = Field(
        default=None, description="A table of this event the interpreter stays at; null: the shared pool."
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"registration_id": _EXAMPLE_REGISTRATION, "language_pairs": ["ko-ja"], "table_id": None},
                {
                    "registration_id": _EXAMPLE_REGISTRATION,
                    "language_pairs": ["ko-ja", "ko-en"],
                    "table_id": _EXAMPLE_TABLE,
                },
            ]
        }
    )


class InterpreterUpdate(InputModel):
    """A JSON merge patch of an interpreter: other language pairs, another table, or the pool (null)."""

    language_pairs: list[LanguagePair] | None = Field(
        default=None, min_length=1, max_length=3, description="Replaces the pairs (not null)."
    )
    table_id: uuid.UUID | None = None

    model_config = ConfigDict(json_schema_extra={"examples": [{"language_pairs": ["ko-ja", "ja-en"]}]})


class InterpreterRead(ContractModel):
    """An interpreter: a registered person with language pairs, fixed to a table or in the pool."""

    id: uuid.UUID
    event_id: uuid.UUID
    registration_id: uuid.UUID
    company_id: uuid.UUID = Field(description="The company the person is registered for.")
    name: Texts = Field(description="The person's name as registered.")
    languages: list[str] = Field(description="Languages the person speaks, as registered.")
    language_pairs: list[LanguagePair]
    table_id: uuid.UUID | None = Field(description="The table the interpreter stays at; null: the pool.")
    created_at: UtcDateTime


# --- blocked slots --------------------------------------------------------------------------------------


class BlockedSlotCreate(InputModel):
    """Block one slot (`slot_id`) or several (`slot_ids`, all or nothing) for one person
    (`registration_id`) or a whole company (`company_id`): breaks, other appointments, an interpreter's rest.
    """

    slot_id: uuid.UUID | None = Field(default=None, description="One slot of this event.")
    slot_ids: list[uuid.UUID] | None = Field(
        default=None, min_length=1, max_length=MAX_SLOTS_PER_BLOCK, description="Several slots at once."
    )
    registration_id: uuid.UUID | None = Field(default=None, description="The person who is not available.")
    company_id: uuid.UUID | None = Field(default=None, description="The company that is not available.")
    reason: Reason | None = Field(default=None, examples=["Lunch break"])

    @model_validator(mode="after")
    def _one_of_each(self) -> Self:
        if (self.slot_id is None) == (self.slot_ids is None):
            raise ValueError("send exactly one of slot_id and slot_ids")
        if (self.registration_id is None) == (self.company_id is None):
            raise ValueError("send exactly one of registration_id and company_id")
        return self

    def slots(self) -> list[uuid.UUID]:
        """The slots asked for, without repeats, in the order given."""
        return list(dict.fromkeys([self.slot_id] if self.slot_id is not None else self.slot_ids or []))

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "slot_id": _EXAMPLE_SLOTS[0],
                    "registration_id": _EXAMPLE_REGISTRATION,
                    "reason": "Lunch break",
                },
                {
                    "slot_ids": _EXAMPLE_SLOTS,
                    "company_id": str(DEMO_COMPANIES["mikawa-battery-materials"]),
                    "reason": "Factory tour",
                },
            ],
            # What `_one_of_each` checks: one of the slot fields and one of the subjects.
            "allOf": [
                {"oneOf": [{"required": ["slot_id"]}, {"required": ["slot_ids"]}]},
                {"oneOf": [{"required": ["registration_id"]}, {"required": ["company_id"]}]},
            ],
        }
    )


class BlockedSlotRead(ContractModel):
    """A slot in which a person or a whole company is not available for meetings."""

    id: uuid.UUID
    event_id: uuid.UUID
    slot_id: uuid.UUID
    starts_at: LocalTime
    ends_at: LocalTime
    subject: Literal["person", "company"] = Field(
        description="Whether a person or a whole company is blocked."
    )
    registration_id: uuid.UUID | None = Field(description="The person blocked (a person's block).")
    company_id: uuid.UUID = Field(description="The company blocked, or the blocked person's company.")
    reason: str | None
    created_at: UtcDateTime


class BlockedSlotList(ContractModel):
    """The blocked slots made by one request with `slot_ids`."""

    items: list[BlockedSlotRead] = Field(description="One per slot, in slot order.")


# --- quotas ---------------------------------------------------------------------------------------------


class QuotaSet(InputModel):
    """A company's own cap on meetings at the event, or null to follow the event's default quota again."""

    max_meetings: StrictInt | None = Field(
        ge=0, le=1000, description="Most live meetings the company may have; null: the event's default."
    )

    model_config = ConfigDict(json_schema_extra={"examples": [{"max_meetings": 12}, {"max_meetings": None}]})


class QuotaRead(ContractModel):
    """A company's meeting quota at the event."""

    company_id: uuid.UUID
    max_meetings: StrictInt | None = Field(description="The cap in force; null: no cap.")
    booked: int = Field(description="Live (not cancelled) meetings the company has.")
    remaining: int | None = Field(description="Meetings the company may still have; null: no cap.")
    overridden: bool = Field(description="Set for this company; otherwise the event's default applies.")
