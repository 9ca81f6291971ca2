"""The duplicate check: open and in-progress tickets like a new one, most alike first.

1. The new ticket's telling words: its title's words, then its description's most
   frequent ones, leaving out stop words, counts and times (numbers of fewer than
   MIN_NUMBER_DIGITS digits: error codes, rooms and extensions stay) and the filler of
   phone notes ("customer", "called", "roughly"); at most MAX_WORDS, one per stem and
   one per group of synonyms (services/tickets/synonyms.py: "wifi" also matches
   "wireless", "rm" "room"). A word no ticket contains is widened to what it probably
   meant (services/tickets/spelling.py), so that a typo still finds its duplicate.
2. Candidates: open and in-progress tickets containing at least two of the
   CANDIDATE_WORDS weightiest of those words (the one, if there is one), through the
   full-text index of active tickets (migration 0005); the CANDIDATE_CAP most recently
   updated of them.
3. Score, 0 to 1: the share of the new ticket's words a candidate contains (title words
   count TITLE_WORD_WEIGHT times, words that only say how something fails half), times,
   where pg_trgm is installed, a factor for how alike the two titles read (trigram
   similarity). Nothing below THRESHOLD; the best `limit`, each with the words it
   contains.
4. Two boosts (issue 15), each a weighted term of the score beside the others, that
   multiply the likeness of the words and never stand in for it: a ticket sharing no
   telling word scores 0 whatever its caller, and the threshold keeps its meaning:
   - the same caller (`contact_id`): CALLER_WEIGHT; that caller's open tickets are
     candidates even beyond the CANDIDATE_CAP most recent;
   - recent activity: up to RECENT_WEIGHT for a ticket updated just now, falling
     linearly to nothing at RECENT_DAYS.
   The score shown is capped at 1 (the order keeps what the cap evens out).
"""

import uuid
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import Float, Integer, Select, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.types import Text

from deskpilot.core.db import Reader
from deskpilot.core.db_features import database_features
from deskpilot.schemas.ticket import SimilarTickets
from deskpilot.services.tickets.queries import summary_fields, summary_select, tickets
from deskpilot.services.tickets.spelling import WORD, alternatives
from deskpilot.services.tickets.synonyms import synonym_groups, synonyms_of

MAX_WORDS = 8
CANDIDATE_WORDS = 6  # the candidates share two of these; the score counts all MAX_WORDS
MAX_DESCRIPTION_WORDS = 300  # read no further into a long description
CANDIDATE_CAP = 100
TITLE_WORD_WEIGHT = 2.0
GENERIC_WEIGHT = 0.5
# The score: the share of the new ticket's words a candidate contains, times (with
# pg_trgm) a factor from 1 - TITLE_SHARE (titles share no trigram) to 1 (the same title).
# Without pg_trgm the words alone make the score.
TITLE_SHARE = 0.4
THRESHOLD = 0.4
CALLER_WEIGHT = 0.15
RECENT_WEIGHT = 0.05
RECENT_DAYS = 14
CALLER_CANDIDATES = 50
MIN_NUMBER_DIGITS = 3  # the caller's open tickets considered beside the recent ones

# Words of phone notes that say nothing about the problem (stop words aside).
FILLER = frozenset((
    "customer", "customers", "caller", "callers", "call", "called", "calls", "calling",
    "phoned", "rang", "hi", "hello", "thanks", "thank", "please", "help", "issue", "issues",
    "problem", "problems", "ticket", "tickets", "user", "users", "since", "today", "yesterday",
    "morning", "still", "again", "anymore", "cannot", "work", "working", "works", "worked",
    "need", "needs", "needed", "get", "gets", "getting", "got", "keep", "keeps", "kept",
    "seems", "says", "said", "asked", "tried",
    # how much or how often, and the contractions "can't", "won't", "don't", "isn't"
    "roughly", "nearly", "almost", "about", "around", "approximately", "or", "so",
    "cant", "can", "won", "dont", "doesnt", "isnt", "didnt", "wont",
))  # fmt: skip
# Words that say how something fails, not what: they count GENERIC_WEIGHT times as much.
GENERIC = frozenset((
    "missing", "error", "errors", "broken", "fail", "fails", "failed", "failing", "slow",
    "wrong", "new", "not", "show", "shows", "showing", "unable", "never", "every", "always",
    "access", "request", "requests", "disappeared", "gone", "stopped", "stops", "down",
))  # fmt: skip

_WORDS = bindparam("words", type_=ARRAY(Text))
_STEMS = text(
    "SELECT w, (tsvector_to_array(to_tsvector('english', w)))[1] "
    "FROM unnest(CAST(:words AS text[])) AS w"
).bindparams(_WORDS)


@dataclass(frozen=True, slots=True)
class TellingWord:
    shown: str  # as the new ticket writes it, lower case
    weight: float
    spellings: tuple[str, ...] = ()  # what else it probably means

    def tsquery(self) -> str:
        """to_tsquery syntax: the word or any of its spellings (sanitised words only)."""
        return "(" + " | ".join([self.shown, *self.spellings]) + ")"


def _telling(word: str) -> bool:
    """Not filler; a number only with MIN_NUMBER_DIGITS digits (an error code, a room, an
    extension: 403, 550, 210), not a count or a time (10 minutes)."""
    if word in FILLER or len(word) < 2:
        return False
    return not word.isdigit() or len(word) >= MIN_NUMBER_DIGITS


def _words(text_: str, limit: int) -> list[str]:
    words = (w.lower() for w in WORD.findall(text_))
    return [w for w in words if _telling(w)][:limit]


async def telling_words(*, db: Reader, title: str, description: str) -> list[TellingWord]:
    """The new ticket's telling words, title words first, one per stem."""
    title_words = list(dict.fromkeys(_words(title, MAX_WORDS * 2)))
    counts = Counter(_words(description, MAX_DESCRIPTION_WORDS))
    described = [w for w, _ in counts.most_common() if w not in title_words]
    wanted = [*title_words, *described]
    if not wanted:
        return []
    stems = dict((await db.execute(_STEMS, {"words": wanted})).all())
    groups = await synonym_groups(db, stems.items())
    chosen: dict[str, TellingWord] = {}
    for word in wanted:
        stem = stems.get(word)
        key = f"group {groups[word]}" if word in groups else stem
        if key is None or key in chosen:  # a stop word, or a stem or group already chosen
            continue
        weight = TITLE_WORD_WEIGHT if word in title_words else 1.0
        weight *= GENERIC_WEIGHT if word in GENERIC else 1.0
        chosen[key] = TellingWord(word, weight)
        if len(chosen) == MAX_WORDS:
            break
    words = list(chosen.values())
    trigram = (await database_features(db)).trigram
    respelt = await alternatives(db=db, words=[w.shown for w in words], trigram=trigram)
    return [
        TellingWord(
            w.shown,
            w.weight,
            (
                *(synonyms_of(groups[w.shown], w.shown) if w.shown in groups else ()),
                *respelt.get(w.shown, ()),
            ),
        )
        for w in words
    ]


def candidate_tsquery(words: list[TellingWord]) -> str:
    """Any two of the CANDIDATE_WORDS weightiest words (the one word, if there is one),
    in to_tsquery syntax: `(a & (b | c)) | (b & c)`, each word once per clause, which the
    index checks in half the time of every pair spelt out."""
    first = sorted(words, key=lambda word: -word.weight)[:CANDIDATE_WORDS]
    if len(first) == 1:
        return first[0].tsquery()
    clauses = [
        f"({word.tsquery()} & ({' | '.join(w.tsquery() for w in first[i + 1 :])}))"
        for i, word in enumerate(first[:-1])
    ]
    return " | ".join(clauses)


@cache
def _scored(*, trigram: bool) -> Select[Any]:
    title_factor = (
        f"({1 - TITLE_SHARE} + {TITLE_SHARE} * "
        "similarity(search_fold(c.title), search_fold(:title)))"
        if trigram
        else "1"
    )
    scored = text(f"""
        WITH words AS MATERIALIZED (
            SELECT to_tsquery('english', w.spellings) AS query, w.weight, w.i
            FROM unnest(CAST(:spellings AS text[]), CAST(:weights AS float8[]))
                WITH ORDINALITY AS w(spellings, weight, i)
        ),
        recent AS (
            SELECT id, number, updated_at, title, search_vector, contact_id FROM tickets
            WHERE status IN ('open', 'in_progress')
              AND search_vector @@ to_tsquery('english', :candidates)
            ORDER BY updated_at + interval '0' DESC
            LIMIT {CANDIDATE_CAP}
        ),
        candidates AS (
            SELECT * FROM recent
            UNION
            (SELECT id, number, updated_at, title, search_vector, contact_id FROM tickets
             WHERE contact_id = :contact_id AND status IN ('open', 'in_progress')
             ORDER BY number DESC
             LIMIT {CALLER_CANDIDATES})
        ),
        scored AS (
            SELECT c.id, c.number, c.updated_at, m.matched,
                   m.weight / :total_weight * {title_factor} * (
                       1
                       + {CALLER_WEIGHT} * coalesce(c.contact_id = :contact_id, false)::int
                       + {RECENT_WEIGHT} * greatest(0.0, 1 - extract(epoch FROM now() - c.updated_at)
                                                         / {RECENT_DAYS * 86400})
                   ) AS score
            FROM candidates c
            CROSS JOIN LATERAL (
                SELECT array_agg(words.i ORDER BY words.i) AS matched,
                       coalesce(sum(words.weight), 0) AS weight
                FROM words WHERE c.search_vector @@ words.query
            ) m
        )
        SELECT id, matched, score, least(1.0, score) AS shown FROM scored
        WHERE score >= {THRESHOLD}
        ORDER BY score DESC, updated_at DESC, number DESC
        LIMIT :limit
    """).bindparams(
        bindparam("spellings", type_=ARRAY(Text)),
        bindparam("weights", type_=ARRAY(Float)),
        bindparam("contact_id", type_=UUID(as_uuid=True)),
        *([bindparam("title", type_=Text)] if trigram else []),
    )
    hits = scored.columns(
        id=UUID(as_uuid=True), matched=ARRAY(Integer), score=Float, shown=Float
    ).subquery("hits")
    return (
        summary_select(hits.c.shown, hits.c.matched)
        .where(tickets.c.id == hits.c.id)
        .order_by(hits.c.score.desc(), tickets.c.updated_at.desc(), tickets.c.number.desc())
    )


_SIMILAR = TypeAdapter(SimilarTickets)


async def similar_tickets(
    *,
    db: Reader,
    title: str,
    description: str,
    limit: int = 5,
    contact_id: uuid.UUID | None = None,
) -> SimilarTickets:
    """GET /api/tickets/similar: open and in-progress tickets like the new one, most
    alike first (the caller's own a little higher), each with its score and the new
    ticket's words it contains."""
    words = await telling_words(db=db, title=title, description=description)
    if not words:
        return _SIMILAR.validate_python({"items": []})
    trigram = (await database_features(db)).trigram
    params = {
        "spellings": [" | ".join([w.shown, *w.spellings]) for w in words],
        "weights": [w.weight for w in words],
        "candidates": candidate_tsquery(words),
        "total_weight": sum(w.weight for w in words),
        "title": title,
        "limit": limit,
        "contact_id": contact_id,
    }
    rows = (await db.execute(_scored(trigram=trigram), params)).all()
    items = [
        {
            **summary_fields(row),
            "score": round(float(row.shown), 4),
            "matched_words": [words[i - 1].shown for i in row.matched or ()],
        }
        for row in rows
    ]
    return _SIMILAR.validate_python({"items": items})
