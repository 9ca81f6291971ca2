"""Callers (issue 15): organisations, contacts, the call log and the merges of contacts.

- organizations: a caller's company, unique by name whatever its case, its words under a
  GIN index (a query word finds the contacts of the organisations it begins a word of).
- contacts: a caller, with a short number (shown "C-12", used by the copilot's tools), an
  e-mail unique whatever its case and a phone stored in E.164 (services/contacts/phones.py)
  and unique. Search (services/contacts/search.py) needs no extension:
  - `search_vector`: the words of the name and the e-mail (split at its punctuation),
    folded by `search_fold` (migration 0005: lower case, accents removed where `unaccent`
    is installed), matched by word prefix through a GIN index ("lop" finds Maria Lopez).
  - `phone_digits`: the phone's digits reversed, in the "C" collation, with a btree index:
    a number's last 4+ digits are a prefix of it, so "2030" is a range scan.
- tickets.contact_id: the caller a ticket is for (indexed where set, with the number, for
  a contact's tickets newest first).
- interactions: the call log, with a `channel` ('call' only for now: e-mail and chat later,
  seams.md), newest first per contact.
- contact_merges: the audit of a merge; the merged contact's row is gone, so it keeps
  the merged contact's id, name and fields as they were (no foreign keys to contacts: the
  kept contact may be merged away in turn, and the audit stays).

Revision ID: 0010_callers
Revises: 0009_turn_leases
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010_callers"
down_revision: str | None = "0009_turn_leases"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Shared with models/contact.py (the ORM mirrors the generated columns).
CONTACT_SEARCH_SQL = (
    "to_tsvector('simple', search_fold(name || ' ' || "
    "coalesce(regexp_replace(email, '[^[:alnum:]]+', ' ', 'g'), '')))"
)
PHONE_DIGITS_SQL = "reverse(regexp_replace(phone, '[^0-9]', '', 'g'))"
ORGANIZATION_SEARCH_SQL = "to_tsvector('simple', search_fold(name))"


def upgrade() -> None:
    op.execute("""
        CREATE TABLE organizations (
            id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            name TEXT NOT NULL CHECK (length(btrim(name)) > 0),
            created_at TIMESTAMPTZ NOT NULL DEFAULT now()
        )
    """)
    op.execute("CREATE UNIQUE INDEX uq_organizations_name_lower ON organizations (lower(name))")
    op.execute(
        f"CREATE INDEX ix_organizations_search ON organizations USING gin ({ORGANIZATION_SEARCH_SQL})"
    )
    op.execute(f"""
        CREATE TABLE contacts (
            id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            number BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
            name TEXT NOT NULL CHECK (length(btrim(name)) > 0),
            email TEXT,
            phone TEXT UNIQUE CHECK (phone ~ '^\\+[0-9]{{2,20}}$'),
            organization_id UUID REFERENCES organizations(id) ON DELETE SET NULL,
            notes TEXT NOT NULL DEFAULT '',
            created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
            updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
            search_vector TSVECTOR GENERATED ALWAYS AS ({CONTACT_SEARCH_SQL}) STORED,
            phone_digits TEXT COLLATE "C" GENERATED ALWAYS AS ({PHONE_DIGITS_SQL}) STORED
        )
    """)
    op.execute("CREATE UNIQUE INDEX uq_contacts_email_lower ON contacts (lower(email))")
    op.execute("CREATE INDEX ix_contacts_name ON contacts (lower(name), number)")
    op.execute("CREATE INDEX ix_contacts_search ON contacts USING gin (search_vector)")
    op.execute("CREATE INDEX ix_contacts_phone_digits ON contacts (phone_digits)")
    op.execute("CREATE INDEX ix_contacts_organization ON contacts (organization_id)")

    op.execute(
        "ALTER TABLE tickets ADD COLUMN contact_id UUID REFERENCES contacts(id) ON DELETE SET NULL"
    )
    op.execute(
        "CREATE INDEX ix_tickets_contact ON tickets (contact_id, number) "
        "WHERE contact_id IS NOT NULL"
    )

    op.execute("""
        CREATE TABLE interactions (
            id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            channel TEXT NOT NULL DEFAULT 'call' CHECK (channel IN ('call')),
            contact_id UUID NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
            ticket_id UUID REFERENCES tickets(id) ON DELETE SET NULL,
            agent_id UUID REFERENCES users(id) ON DELETE SET NULL,
            direction TEXT NOT NULL DEFAULT 'inbound'
                CHECK (direction IN ('inbound', 'outbound')),
            started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
            duration_seconds INTEGER CHECK (duration_seconds >= 0),
            summary TEXT NOT NULL,
            created_at TIMESTAMPTZ NOT NULL DEFAULT now()
        )
    """)
    op.execute(
        "CREATE INDEX ix_interactions_contact ON interactions (contact_id, started_at DESC, id)"
    )
    op.execute("CREATE INDEX ix_interactions_ticket ON interactions (ticket_id, started_at DESC)")

    op.execute("""
        CREATE TABLE contact_merges (
            id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            kept_id UUID NOT NULL,
            merged_id UUID NOT NULL,
            merged_name TEXT NOT NULL,
            merged_snapshot JSONB NOT NULL,
            tickets_moved INTEGER NOT NULL,
            calls_moved INTEGER NOT NULL,
            actor_id UUID REFERENCES users(id) ON DELETE SET NULL,
            created_at TIMESTAMPTZ NOT NULL DEFAULT now()
        )
    """)
    op.execute("CREATE INDEX ix_contact_merges_kept ON contact_merges (kept_id)")


def downgrade() -> None:
    op.execute("DROP TABLE contact_merges")
    op.execute("DROP TABLE interactions")
    op.execute("ALTER TABLE tickets DROP COLUMN contact_id")
    op.execute("DROP TABLE contacts")
    op.execute("DROP TABLE organizations")
