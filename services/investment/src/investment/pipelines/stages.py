"""The pipelines, their ordered stages and the rules of moving a lead along them (pure: no I/O).

Three pipelines, one per kind of deal; every deal type uses one of them:

- **trade** (export, import, other): identified → contacted → negotiating → sample/trial → contract signed.
  A sale either way; "other" deals take the most general sequence (find, talk, try, sign).
- **joint development** (joint development, licensing): identified → NDA → joint proposal → agreement
  signed. A licence is negotiated like a joint development: NDA, proposal, signed agreement.
- **equity** (equity investment, greenfield investment): identified → IR meeting → due diligence → term
  sheet → investment notified → funds remitted → completed. A greenfield plant is FDI like a stake: it is
  notified (Korea's foreign-investment notification, Japan's FEFTA prior notice or report) and funded.

A **signed** stage (contract signed, agreement signed, investment notified, and the equity stages after it:
the notification follows the signed investment agreement) needs a signing date and a signed value; the
rates of the signing date are frozen on the lead when it first enters one.

Stage moves, while the lead is open: to the next stage (no skipping), or back to the previous one — except
back out of the first signed stage, since a signature is a fact (a deal that falls through is marked lost).
Status moves: open → on hold, won, lost, abandoned; on hold → open, lost, abandoned; lost or abandoned →
open (reopened); won is final. Won needs a signed stage (and the `investment:win` scope); lost needs a
reason.
"""

import enum
from typing import NamedTuple


class DealType(enum.StrEnum):
    """What kind of deal a lead may become."""

    EXPORT = "export"
    IMPORT = "import"
    JOINT_DEVELOPMENT = "joint_development"
    EQUITY_INVESTMENT = "equity_investment"
    GREENFIELD_INVESTMENT = "greenfield_investment"
    LICENSING = "licensing"
    OTHER = "other"


class LeadStatus(enum.StrEnum):
    """Where a lead stands, apart from its stage."""

    OPEN = "open"
    ON_HOLD = "on_hold"
    WON = "won"
    LOST = "lost"
    ABANDONED = "abandoned"


class Stage(NamedTuple):
    """One step of a pipeline."""

    code: str
    name: str
    default_probability: int  # per cent, the weighted value's default
    signed: bool = False  # needs a signing date and a signed value


class Pipeline(NamedTuple):
    """The ordered stages of a kind of deal."""

    code: str
    name: str
    stages: tuple[Stage, ...]
    deal_types: tuple[DealType, ...]

    def stage(self, code: str) -> Stage:
        """The stage named `code` (KeyError when the pipeline has none)."""
        for stage in self.stages:
            if stage.code == code:
                return stage
        raise KeyError(code)

    def position(self, code: str) -> int:
        """The position of stage `code`, from 0."""
        return [stage.code for stage in self.stages].index(code)

    @property
    def first(self) -> Stage:
        """Where every lead starts."""
        return self.stages[0]


TRADE = Pipeline(
    code="trade",
    name="Trade",
    stages=(
        Stage("identified", "Identified", 10),
        Stage("contacted", "Contacted", 20),
        Stage("negotiating", "Negotiating", 40),
        Stage("sample_trial", "Sample / trial", 60),
        Stage("contract_signed", "Contract signed", 100, signed=True),
    ),
    deal_types=(DealType.EXPORT, DealType.IMPORT, DealType.OTHER),
)
JOINT_DEVELOPMENT = Pipeline(
    code="joint_development",
    name="Joint development",
    stages=(
        Stage("identified", "Identified", 10),
        Stage("nda", "NDA", 25),
        Stage("joint_proposal", "Joint proposal", 50),
        Stage("agreement_signed", "Agreement signed", 100, signed=True),
    ),
    deal_types=(DealType.JOINT_DEVELOPMENT, DealType.LICENSING),
)
EQUITY = Pipeline(
    code="equity",
    name="Equity / FDI",
    stages=(
        Stage("identified", "Identified", 5),
        Stage("ir_meeting", "IR meeting", 15),
        Stage("due_diligence", "Due diligence", 30),
        Stage("term_sheet", "Term sheet", 50),
        Stage("investment_notified", "Investment notified", 75, signed=True),
        Stage("funds_remitted", "Funds remitted", 90, signed=True),
        Stage("completed", "Completed", 100, signed=True),
    ),
    deal_types=(DealType.EQUITY_INVESTMENT, DealType.GREENFIELD_INVESTMENT),
)
PIPELINES: tuple[Pipeline, ...] = (TRADE, JOINT_DEVELOPMENT, EQUITY)
_BY_CODE = {pipeline.code: pipeline for pipeline in PIPELINES}
_BY_DEAL_TYPE = {deal_type: pipeline for pipeline in PIPELINES for deal_type in pipeline.deal_types}
assert set(_BY_DEAL_TYPE) == set(DealType), "every deal type has a pipeline"

STATUS_MOVES: dict[LeadStatus, tuple[LeadStatus, ...]] = {
    LeadStatus.OPEN: (LeadStatus.ON_HOLD, LeadStatus.WON, LeadStatus.LOST, LeadStatus.ABANDONED),
    LeadStatus.ON_HOLD: (LeadStatus.OPEN, LeadStatus.LOST, LeadStatus.ABANDONED),
    LeadStatus.WON: (),
    LeadStatus.LOST: (LeadStatus.OPEN,),
    LeadStatus.ABANDONED: (LeadStatus.OPEN,),
}


def pipeline_for(deal_type: str) -> Pipeline:
    """The pipeline a deal type follows."""
    return _BY_DEAL_TYPE[DealType(deal_type)]


def pipeline_named(code: str) -> Pipeline:
    """The pipeline `code` (KeyError for an unknown one)."""
    return _BY_CODE[code]


def stage_moves(pipeline: Pipeline, stage: str, status: str) -> tuple[str, ...]:
    """The stages a lead at `stage` may move to (none unless it is open)."""
    if status != LeadStatus.OPEN:
        return ()
    index = pipeline.position(stage)
    moves = []
    if index > 0 and not (pipeline.stages[index].signed and not pipeline.stages[index - 1].signed):
        moves.append(pipeline.stages[index - 1].code)
    if index + 1 < len(pipeline.stages):
        moves.append(pipeline.stages[index + 1].code)
    return tuple(moves)


def status_moves(status: str) -> tuple[LeadStatus, ...]:
    """The statuses a lead in `status` may move to (before the stage-gated checks)."""
    return STATUS_MOVES[LeadStatus(status)]


def effective_probability(pipeline: Pipeline, stage: str, status: str, override: int | None) -> int:
    """The probability the weighted value uses: 100 once won, 0 once lost or abandoned, else the lead's own
    probability when it has one, else its stage's default."""
    if status == LeadStatus.WON:
        return 100
    if status in (LeadStatus.LOST, LeadStatus.ABANDONED):
        return 0
    return override if override is not None else pipeline.stage(stage).default_probability
