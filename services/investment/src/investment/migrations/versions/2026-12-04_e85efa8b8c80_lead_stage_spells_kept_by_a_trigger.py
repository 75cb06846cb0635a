"""The leads' stage spells, kept by PostgreSQL from the transition log (issue 10): the funnel then reads one
narrow row a spell instead of `lead() OVER` the log joined to the visible leads.

A statement-level trigger `AFTER INSERT ON lead_transition` (its transition table: any number of rows, as
one COPY or one INSERT) recomputes, for every lead the statement gave a creation or stage row, the spells of
its whole log with the funnel's former window (`lead(at) OVER (PARTITION BY lead_id ORDER BY at, id)` over
the 'created' and 'stage' rows: status moves, such as going on hold, neither open nor close a spell), with
whether each spell is the lead's first in its stage (`row_number() OVER (PARTITION BY lead_id, stage …) = 1`:
the funnel counts the leads that reached a stage without a `count(DISTINCT)` sort), and upserts the rows
whose end or flag changed, so the table is that window by construction, whatever order the rows
arrive in. It first locks those leads' rows (`FOR NO KEY UPDATE`, in id order; the service already holds
`FOR UPDATE` when it writes a transition), so two transactions writing one lead's log do not each compute
its spells without the other's row. Both statements are dynamic (`EXECUTE`): planned for each statement's
number of rows (one, or a whole COPY), not once for the session. The log stays append-only, so a spell is
never deleted.

Revision ID: e85efa8b8c80
Revises: aabf465633f3
Create Date: 2026-12-04 19:56:51.603965
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e85efa8b8c80"
down_revision: str | None = "aabf465633f3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "lead_stage_spell",
        sa.Column("transition_id", sa.Uuid(), nullable=False),
        sa.Column("lead_id", sa.Uuid(), nullable=False),
        sa.Column("stage", sa.String(length=40), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_entry", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["investment.lead.id"], name=op.f("fk_lead_stage_spell_lead_id_lead")
        ),
        sa.ForeignKeyConstraint(
            ["transition_id"],
            ["investment.lead_transition.id"],
            name=op.f("fk_lead_stage_spell_transition_id_lead_transition"),
        ),
        sa.PrimaryKeyConstraint("transition_id", name=op.f("pk_lead_stage_spell")),
        schema="investment",
    )
    op.execute(
        """
        INSERT INTO investment.lead_stage_spell
            (transition_id, lead_id, stage, entered_at, left_at, first_entry)
        SELECT id, lead_id, to_value, at, lead(at) OVER (PARTITION BY lead_id ORDER BY at, id),
               row_number() OVER (PARTITION BY lead_id, to_value ORDER BY at, id) = 1
          FROM investment.lead_transition
         WHERE kind IN ('created', 'stage')
        """
    )
    op.create_index(
        "ix_lead_stage_spell_lead_id",
        "lead_stage_spell",
        ["lead_id"],
        unique=False,
        schema="investment",
        postgresql_include=["stage", "entered_at", "left_at", "first_entry"],
    )
    # The same window as the backfill, over the leads the statement's rows (`appended`) gave a stage.
    op.execute(
        """
        CREATE FUNCTION investment.lead_stage_spell_follow_log() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            EXECUTE $lock$
                SELECT FROM investment.lead
                 WHERE id IN (SELECT lead_id FROM appended WHERE kind IN ('created', 'stage'))
                 ORDER BY id FOR NO KEY UPDATE
            $lock$;
            EXECUTE $upsert$
                INSERT INTO investment.lead_stage_spell AS spell
                    (transition_id, lead_id, stage, entered_at, left_at, first_entry)
                SELECT t.id, t.lead_id, t.to_value, t.at,
                       lead(t.at) OVER (PARTITION BY t.lead_id ORDER BY t.at, t.id),
                       row_number() OVER (PARTITION BY t.lead_id, t.to_value ORDER BY t.at, t.id) = 1
                  FROM investment.lead_transition t
                 WHERE t.kind IN ('created', 'stage')
                   AND t.lead_id IN (SELECT lead_id FROM appended WHERE kind IN ('created', 'stage'))
                ON CONFLICT (transition_id) DO UPDATE
                    SET left_at = EXCLUDED.left_at, first_entry = EXCLUDED.first_entry
                    WHERE (spell.left_at, spell.first_entry)
                          IS DISTINCT FROM (EXCLUDED.left_at, EXCLUDED.first_entry)
            $upsert$;
            RETURN NULL;
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER stage_spells AFTER INSERT ON investment.lead_transition"
        " REFERENCING NEW TABLE AS appended"
        " FOR EACH STATEMENT EXECUTE FUNCTION investment.lead_stage_spell_follow_log()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER stage_spells ON investment.lead_transition")
    op.execute("DROP FUNCTION investment.lead_stage_spell_follow_log()")
    op.drop_index("ix_lead_stage_spell_lead_id", table_name="lead_stage_spell", schema="investment")
    op.drop_table("lead_stage_spell", schema="investment")
