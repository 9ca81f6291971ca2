"""Ranked full-text search over tickets (PostgreSQL tsvector + GIN).

Stemmed English matching on title (weight A), category (B) and description (C), with a
prefix match on the last word so results appear while someone is still typing. `#47` or a
bare `47` puts ticket 47 first. Ranking every match of a common word would read a large
part of the table, so the newest CANDIDATE_CAP matches among the newest RECENT_WINDOW
ticket numbers are ranked, falling back to the whole table only when that finds too few hits.
This favours recent tickets, usually what a support desk is after (docs/benchmarks-history.md).

When that finds fewer hits than asked, the words the tickets contain only spelt otherwise
(services/tickets/spelling.py: "cafe" → "café", "pritner" → "printer") are searched for
too, each word or its alternatives, and the further hits are marked approximate.
"""

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Float,
    Row,
    Select,
    Text,
    TextClause,
    bindparam,
    func,
    literal,
    literal_column,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, TSQUERY, UUID
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.db import Reader
from deskpilot.core.db_features import database_features
from deskpilot.schemas.ticket import SearchResults
from deskpilot.services.tickets.queries import (
    AnyRow,
    summary_fields,
    summary_select,
    tickets,
)
from deskpilot.services.tickets.spelling import WORD, alternatives

RECENT_WINDOW = 10_000
CANDIDATE_CAP = 200
MAX_TERMS = 8
_NUMBER_TOKEN = re.compile(r"(?:^|\s)#(\d{1,18})\b")
_BARE_NUMBER = re.compile(r"\d{1,18}")  # not str.isdigit(): it accepts "²", which int() rejects
_HEADLINE_OPTIONS = 'StartSel=<mark>, StopSel=</mark>, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "'


@dataclass(frozen=True)
class ParsedQuery:
    numbers: tuple[int, ...]
    tsquery: str | None  # to_tsquery syntax built from sanitised words only
    words: tuple[str, ...] = ()  # those words, lower case


def _term(word: str, *, last: bool) -> str:
    """A word in to_tsquery syntax: the last one also matches as a prefix."""
    return f"{word}:*" if last and len(word) >= 2 else word


def parse_query(q: str) -> ParsedQuery:
    stripped = q.strip()
    numbers = [int(n) for n in _NUMBER_TOKEN.findall(stripped)]
    rest = _NUMBER_TOKEN.sub(" ", stripped)
    if _BARE_NUMBER.fullmatch(stripped):
        numbers.append(int(stripped))
    words = [w.lower() for w in WORD.findall(rest)][:MAX_TERMS]
    if not words:
        return ParsedQuery(tuple(dict.fromkeys(numbers)), None)
    terms = [_term(word, last=i == len(words) - 1) for i, word in enumerate(words)]
    return ParsedQuery(tuple(dict.fromkeys(numbers)), " & ".join(terms), tuple(words))


@dataclass(frozen=True)
class Respelt:
    tsquery: str  # each word or its alternatives
    meant: str  # the query with each word spelt as its likeliest alternative


def respelt(parsed: ParsedQuery, options: dict[str, tuple[str, ...]]) -> Respelt | None:
    """The query with each word widened to its alternatives; None if no word has any."""
    if not any(word in options for word in parsed.words):
        return None
    last = len(parsed.words) - 1
    groups = [
        " | ".join([_term(word, last=i == last), *options.get(word, ())])
        for i, word in enumerate(parsed.words)
    ]
    meant = " ".join(options.get(word, (word,))[0] for word in parsed.words)
    return Respelt(" & ".join(f"({group})" for group in groups), meant)


@dataclass(frozen=True)
class Found:
    hits: list[tuple[AnyRow, str, float]]  # (summary row with description, snippet, rank)
    approximate: bool = False  # some hits match the query only as respelt
    did_you_mean: str | None = None


# Newest CANDIDATE_CAP matches among the newest RECENT_WINDOW ticket numbers, read newest
# first: bounded work whatever the words (a term in half the table costs what a rare one
# does). The window is a number range (numbers are an identity from 1 and tickets are never
# deleted), so a status filter reads only that status's tickets in it through
# ix_tickets_status_number instead of every ticket in the window. The match is written
# `(... @@ ...) IS TRUE`, which no index serves: left to itself the planner ANDs a GIN bitmap
# of every match in the table, which costs more the more common the word. It still
# chooses between reading the window newest first until CANDIDATE_CAP matches (a large
# status) and a bitmap of the status's window whose matches alone are sorted (a small
# one). An inner LIMIT would also keep the GIN index out, but sorts the whole status
# window with its tsvectors (docs/benchmarks-history.md).
def _ranked_recent(*, by_status: bool) -> TextClause:
    status = "AND status = :status" if by_status else ""
    return text(f"""
        SELECT c.id, ts_rank_cd(c.search_vector, CAST(:tsq AS tsquery), 1) AS rank
        FROM (
            SELECT id, number, search_vector FROM tickets
            WHERE number > (SELECT coalesce(max(number), 0) FROM tickets) - {RECENT_WINDOW}
              {status}
              AND (search_vector @@ CAST(:tsq AS tsquery)) IS TRUE
            ORDER BY number DESC
            LIMIT {CANDIDATE_CAP}
        ) c
        ORDER BY rank DESC, c.number DESC
        LIMIT :limit
    """)


_RANKED_RECENT = _ranked_recent(by_status=False)
_RANKED_RECENT_BY_STATUS = _ranked_recent(by_status=True)

# Fallback over the whole table through the GIN index, used only when the recent window
# has too few hits (so the words are rare and the bitmap small). `number + 0` keeps the
# planner off a backward scan of the number index, which would read the whole table.
_RANKED_ALL = text(f"""
    SELECT c.id, ts_rank_cd(c.search_vector, CAST(:tsq AS tsquery), 1) AS rank
    FROM (
        SELECT t.id, t.number, t.search_vector
        FROM tickets t
        WHERE t.search_vector @@ CAST(:tsq AS tsquery)
          AND (CAST(:status AS text) IS NULL OR t.status = :status)
        ORDER BY t.number + 0 DESC
        LIMIT {CANDIDATE_CAP}
    ) c
    ORDER BY rank DESC, c.number DESC
    LIMIT :limit
""")


# -- reading the hits ----------------------------------------------------------------

_SEARCH_RESULTS = TypeAdapter(SearchResults)
_ENGLISH: ColumnElement[Any] = literal_column("'english'::regconfig")
# Summary rows (with description) of the tickets numbered `numbers`.
BY_NUMBERS = summary_select(tickets.c.description).where(
    tickets.c.number == func.any(bindparam("numbers", type_=ARRAY(BigInteger)))
)
_RECENTLY_UPDATED = (
    summary_select(tickets.c.description)
    .order_by(tickets.c.updated_at.desc())
    .limit(bindparam("limit"))
)
_WITH_STATUS = tickets.c.status == bindparam("status")
_BY_NUMBERS_WITH_STATUS = BY_NUMBERS.where(_WITH_STATUS)
_RECENTLY_UPDATED_WITH_STATUS = _RECENTLY_UPDATED.where(_WITH_STATUS)


@cache
def _headline_statement(options: str) -> Select[Any]:
    headline = func.ts_headline(
        _ENGLISH,
        tickets.c.title.concat(" — ").concat(tickets.c.description),
        bindparam("tsq", type_=TSQUERY),
        literal(options, Text),
    )
    return summary_select(headline.label("snippet")).where(
        tickets.c.id == func.any(bindparam("ids", type_=ARRAY(UUID(as_uuid=True))))
    )


async def tickets_by_numbers(
    *, db: Reader, numbers: Iterable[int], status: str | None
) -> dict[int, AnyRow]:
    """Summary rows (with description) of these ticket numbers, by number."""
    if status:
        statement, params = _BY_NUMBERS_WITH_STATUS, {"numbers": list(numbers), "status": status}
    else:
        statement, params = BY_NUMBERS, {"numbers": list(numbers)}
    rows = (await db.execute(statement, params)).all()
    return {row.number: row for row in rows}


async def recently_updated(*, db: Reader, status: str | None, limit: int) -> list[AnyRow]:
    """Summary rows (with description) of the most recently updated tickets."""
    if status:
        statement, params = _RECENTLY_UPDATED_WITH_STATUS, {"status": status, "limit": limit}
    else:
        statement, params = _RECENTLY_UPDATED, {"limit": limit}
    return list((await db.execute(statement, params)).all())


async def rows_with_headlines(
    *, db: Reader, ids: list[uuid.UUID], tsquery: str, options: str
) -> dict[uuid.UUID, AnyRow]:
    """Summary rows of these tickets with ts_headline snippets for tsquery, by id."""
    statement = _headline_statement(options)
    rows = (await db.execute(statement, {"ids": ids, "tsq": tsquery})).all()
    return {row.id: row for row in rows}


def search_results(found: Found) -> SearchResults:
    """The hits as the search response."""
    items = [
        {**summary_fields(row), "snippet": snippet, "rank": rank}
        for row, snippet, rank in found.hits
    ]
    return _SEARCH_RESULTS.validate_python(
        {"items": items, "approximate": found.approximate, "did_you_mean": found.did_you_mean}
    )


def _plain_text_snippet(title: str, description: str, words: int = 30) -> str:
    body = f"{title} — {description}".split()
    return " ".join(body[:words]) + (" …" if len(body) > words else "")


# Whether any ticket lies outside the recent window (numbers are an identity from 1, so a
# highest number within the window means the window was the whole table and the fallback
# would find the same rows again). One index probe.
_BEYOND_THE_WINDOW = text(f"SELECT coalesce(max(number), 0) > {RECENT_WINDOW} FROM tickets")


def _with_summary_rows(ranked: TextClause) -> Select[Any]:
    """The same hits as summary rows with description and rank, best first: what the chat
    tool needs, in the ranking's round trip."""
    hits = ranked.columns(id=UUID(as_uuid=True), rank=Float).subquery("hits")
    return (
        summary_select(tickets.c.description, hits.c.rank)
        .where(tickets.c.id == hits.c.id)
        .order_by(hits.c.rank.desc(), tickets.c.number.desc())
    )


_WITH_ROWS = {
    statement: _with_summary_rows(statement)
    for statement in (_RANKED_RECENT, _RANKED_RECENT_BY_STATUS, _RANKED_ALL)
}


# The statements above take the query as a tsquery, normalised here first (stemmed, stop
# words out): written to_tsquery('english', :tsq) in them, PostgreSQL's generic plan for
# a prepared statement (chosen after five runs of one) parses the query again for every
# row it reads, 10,000 times in the recent window.
_NORMALISED = text("SELECT to_tsquery('english', :tsq)")


async def normalised(*, db: Reader, tsquery: str) -> str:
    """`tsquery` (to_tsquery syntax) as PostgreSQL's English configuration reads it;
    empty when every word is a stop word."""
    return str(await db.scalar(_NORMALISED, {"tsq": tsquery}) or "")


async def _ranked(
    *, db: Reader, tsquery: str, status: str | None, limit: int, with_rows: bool
) -> Sequence[Row[Any]]:
    """The best `limit` matches, best first: the recent window, else the whole table. Rows
    are (id, rank), or with `with_rows` summary rows with description and rank."""

    def chosen(statement: TextClause) -> TextClause | Select[Any]:
        return _WITH_ROWS[statement] if with_rows else statement

    params = {"tsq": tsquery, "status": status, "limit": limit}
    recent = _RANKED_RECENT if status is None else _RANKED_RECENT_BY_STATUS
    ranked: Sequence[Row[Any]] = (await db.execute(chosen(recent), params)).all()
    if len(ranked) < limit and await db.scalar(_BEYOND_THE_WINDOW):
        ranked = (await db.execute(chosen(_RANKED_ALL), params)).all()
    return ranked


async def _ranked_hits(
    *,
    db: Reader,
    tsquery: str,
    status: str | None,
    limit: int,
    headlines: bool,
    seen: set[uuid.UUID],
) -> list[tuple[AnyRow, str, float]]:
    """The best `limit` matches of `tsquery` not in `seen`, best first."""
    tsquery = await normalised(db=db, tsquery=tsquery)
    if not tsquery:
        return []
    ranked = await _ranked(
        db=db, tsquery=tsquery, status=status, limit=limit + len(seen), with_rows=not headlines
    )
    ranked = [row for row in ranked if row.id not in seen][:limit]
    if not ranked:
        return []
    if not headlines:
        return [(row, "", float(row.rank)) for row in ranked]
    rows = await rows_with_headlines(
        db=db, ids=[r.id for r in ranked], tsquery=tsquery, options=_HEADLINE_OPTIONS
    )
    return [(rows[r.id], rows[r.id].snippet or "", float(r.rank)) for r in ranked if r.id in rows]


async def search_rows(
    *, db: Reader, q: str, status: str | None, limit: int, headlines: bool
) -> Found:
    """The best `limit` hits, best first: numbers named, then full-text matches, then
    matches of the respelt words while there is room.

    Snippets are `<mark>`ed ts_headline fragments when `headlines` (the search page shows
    them); without, ranked hits get an empty snippet and no ts_headline work (the chat
    tool sends the model the description instead)."""
    parsed = parse_query(q)
    hits: list[tuple[AnyRow, str, float]] = []
    if parsed.numbers:
        by_number = await tickets_by_numbers(db=db, numbers=parsed.numbers, status=status)
        hits = [
            (row, _plain_text_snippet(row.title, row.description), 1000.0)
            for row in (by_number[n] for n in parsed.numbers if n in by_number)
        ][:limit]
    if parsed.tsquery is None:
        if not parsed.numbers:
            recent = await recently_updated(db=db, status=status, limit=limit)
            hits = [(row, _plain_text_snippet(row.title, row.description), 0.0) for row in recent]
        return Found(hits)

    async def ranked(tsquery: str) -> list[tuple[AnyRow, str, float]]:
        """Up to the limit's rest of `tsquery`'s matches, none of those already found."""
        seen = {row.id for row, _, _ in hits}
        return await _ranked_hits(
            db=db,
            tsquery=tsquery,
            status=status,
            limit=limit - len(hits),
            headlines=headlines,
            seen=seen,
        )

    if len(hits) < limit:
        hits += await ranked(parsed.tsquery)
    if len(hits) >= limit:
        return Found(hits)
    features = await database_features(db)
    options = await alternatives(db=db, words=parsed.words, trigram=features.trigram)
    if (wider := respelt(parsed, options)) is None:
        return Found(hits)
    more = await ranked(wider.tsquery)
    if not more:
        return Found(hits)
    return Found(hits + more, approximate=True, did_you_mean=wider.meant)


async def search_hits(*, db: AsyncSession, q: str, status: str | None, limit: int) -> SearchResults:
    """GET /api/tickets/search: summaries with snippets, built straight from rows."""
    found = await search_rows(db=db, q=q, status=status, limit=limit, headlines=True)
    return search_results(found)
