"""What the connected database offers beyond core PostgreSQL, found once per process.

Migration 0005 builds the trigram indexes only where `pg_trgm` could be installed; the
queries that need trigram operators run only where those indexes exist, and otherwise
keep to full-text search and folding (`search_fold`, which strips accents only when
`unaccent` was installed, so that no query depends on it).
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import text

if TYPE_CHECKING:  # core.db forgets the features when it closes the engine
    from deskpilot.core.db import Reader

# The index migration 0005 builds with pg_trgm: trigram operators are there and served.
_TRIGRAM = text("SELECT to_regclass('ix_search_terms_trgm') IS NOT NULL")


@dataclass(frozen=True, slots=True)
class DatabaseFeatures:
    trigram: bool  # pg_trgm and migration 0005's trigram indexes


_features: DatabaseFeatures | None = None


async def database_features(db: "Reader") -> DatabaseFeatures:
    """The features of the database `db` reads (asked once, then remembered)."""
    global _features
    if _features is None:
        _features = DatabaseFeatures(trigram=bool(await db.scalar(_TRIGRAM)))
    return _features


def forget_database_features() -> None:
    """Ask again next time (the engine is closed, or points at another database now)."""
    global _features
    _features = None
