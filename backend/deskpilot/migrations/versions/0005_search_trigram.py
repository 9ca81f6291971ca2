"""Typo- and accent-tolerant matching, where the server offers it.

- The extensions `pg_trgm` (trigram similarity) and `unaccent`, each installed only when
  the server has it (pg_available_extensions) and this role may create it. A server
  without contrib, or a role without the right, still migrates: a warning says what was
  left out, and the app keeps to full-text search and plain case-insensitive matching.
- `search_fold(text)`: lower case, accents removed when `unaccent` is installed (else only
  lower case). Queries and indexes fold text through it, so "cafe" meets "Café" and the
  same statements work with or without `unaccent`. IMMUTABLE so that an index may use it
  (`unaccent()` itself is only STABLE, as its dictionary could change; ours does not).
- `search_terms`: every word of the tickets' titles, categories and descriptions, kept by
  a trigger. A query word that full-text search does not know is matched against these
  words (by folding, and by trigram similarity with `pg_trgm`) and searched again as the
  words it probably meant: the pattern pg_trgm's documentation gives for spelling
  suggestions alongside full-text search. Words are only added (a word no longer in any
  ticket just finds nothing when suggested).
- A trigram GIN index on the folded words, only with `pg_trgm`. The app uses trigram
  matching exactly where this index exists (core/db_features.py).
- `ix_tickets_active_search`: the full-text index again, for open and in-progress
  tickets only (the duplicate check's candidates).

Filling `search_terms` reads every ticket once (about 25 s per million tickets).
An extension installed after this migration is used once it is re-run:
`deskpilot migrate 0004_chat_rate_index --down && deskpilot migrate`. The downgrade keeps
the extensions: they belong to the database, and other schemas may use them.

Create Date: 2026-12-07
"""

import logging

from alembic import op
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

revision: str = "0005_search_trigram"
down_revision: str | None = "0004_chat_rate_index"

logger = logging.getLogger(__name__)
INSUFFICIENT_PRIVILEGE = "42501"


def _schema_of(extension: str) -> str | None:
    """The schema an installed extension lives in, or None if it is not installed."""
    schema: str | None = op.get_bind().scalar(
        text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = :name"
        ),
        {"name": extension},
    )
    return schema


def _sqlstate(error: DBAPIError) -> str | None:
    code = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    return str(code) if code else None


# What search loses without each extension, for the warnings.
_WITHOUT = {"pg_trgm": "typo tolerance", "unaccent": "accent-insensitive matching"}
_LATER = (
    "to add it later, have a superuser run CREATE EXTENSION {0} in this database, then "
    "`deskpilot migrate 0004_chat_rate_index --down && deskpilot migrate`"
)


def _install(extension: str) -> str | None:
    """Create `extension` if the server has it and this role may; its schema, or None."""
    if (schema := _schema_of(extension)) is not None:
        return schema
    bind = op.get_bind()
    available = bind.scalar(
        text("SELECT count(*) FROM pg_available_extensions WHERE name = :name"),
        {"name": extension},
    )
    if not available:
        logger.warning(
            "%s left out: this PostgreSQL server does not have it (contrib). Search works "
            "without %s",
            extension,
            _WITHOUT[extension],
        )
        return None
    try:
        with bind.begin_nested():  # a savepoint: a refusal must not abort the migration
            bind.execute(text(f'CREATE EXTENSION IF NOT EXISTS "{extension}"'))
    except DBAPIError as error:
        if _sqlstate(error) != INSUFFICIENT_PRIVILEGE:
            raise
        logger.warning(
            "%s left out: this role may not create extensions here. Search works without %s; %s",
            extension,
            _WITHOUT[extension],
            _LATER.format(extension),
        )
        return None
    return _schema_of(extension)


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _create_search_fold(unaccent: str | None) -> None:
    if unaccent is not None:
        # Function and dictionary named with their schema, so the result never depends on
        # the caller's search_path (a SQL-standard body resolves both when it is created).
        dictionary = f"{_quoted(unaccent)}.unaccent".replace("'", "''")
        body = f"lower({_quoted(unaccent)}.unaccent('{dictionary}'::regdictionary, $1))"
    else:
        body = "lower($1)"
    op.execute(
        "CREATE FUNCTION search_fold(text) RETURNS text "
        f"LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE RETURN {body}"
    )


def _create_search_terms() -> None:
    op.execute("CREATE TABLE search_terms (term TEXT PRIMARY KEY)")
    op.execute("CREATE INDEX ix_search_terms_folded ON search_terms (search_fold(term))")
    # The words of a text as search_terms keeps them: lower case, 3-32 characters, no
    # digits or punctuation (no codes, addresses or paths).
    op.execute("""
        CREATE FUNCTION search_terms_of(document text) RETURNS SETOF text
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        BEGIN ATOMIC
            SELECT word FROM unnest(tsvector_to_array(to_tsvector('simple', document))) AS word
            WHERE word ~ '^[^[:digit:][:punct:][:space:]]{3,32}$';
        END
    """)
    # Sorted, so that two tickets written at once that share new words take their locks in
    # the same order.
    op.execute("""
        CREATE FUNCTION tickets_collect_search_terms() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO search_terms (term)
            SELECT w.term
            FROM search_terms_of(concat_ws(' ', NEW.title, NEW.category, NEW.description)) AS w(term)
            WHERE NOT EXISTS (SELECT FROM search_terms s WHERE s.term = w.term)
            ORDER BY w.term
            ON CONFLICT DO NOTHING;
            RETURN NULL;
        END
        $$
    """)
    op.execute("""
        CREATE TRIGGER tickets_collect_search_terms
        AFTER INSERT OR UPDATE OF title, category, description ON tickets
        FOR EACH ROW EXECUTE FUNCTION tickets_collect_search_terms()
    """)
    # ts_stat gathers the distinct words first: a third of the time of splitting each ticket.
    op.execute("""
        INSERT INTO search_terms (term)
        SELECT DISTINCT w.term
        FROM ts_stat($$SELECT to_tsvector('simple', concat_ws(' ', title, category, description))
                       FROM tickets$$) AS s,
             search_terms_of(s.word) AS w(term)
        ON CONFLICT DO NOTHING
    """)


def upgrade() -> None:
    trigram = _install("pg_trgm")
    unaccent = _install("unaccent")
    _create_search_fold(unaccent)
    _create_search_terms()
    if trigram is not None:
        op.execute(
            "CREATE INDEX ix_search_terms_trgm ON search_terms "
            f"USING gin (search_fold(term) {_quoted(trigram)}.gin_trgm_ops)"
        )
    # The duplicate check reads only open and in-progress tickets: through this index its
    # words are looked up among those alone, not among every ticket ever closed.
    op.execute(
        "CREATE INDEX ix_tickets_active_search ON tickets USING gin (search_vector) "
        "WHERE status IN ('open', 'in_progress')"
    )


def downgrade() -> None:
    op.execute("DROP INDEX ix_tickets_active_search")
    op.execute("DROP TRIGGER tickets_collect_search_terms ON tickets")
    op.execute("DROP FUNCTION tickets_collect_search_terms()")
    op.execute("DROP TABLE search_terms")
    op.execute("DROP FUNCTION search_terms_of(text)")
    op.execute("DROP FUNCTION search_fold(text)")
