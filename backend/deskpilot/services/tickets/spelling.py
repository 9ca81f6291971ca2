"""What a word the tickets do not contain as written probably meant.

The words of every ticket are kept in `search_terms` (migration 0005). A word's
alternatives are the terms that fold to the same letters ("cafe" → "café", through
`search_fold`, which drops accents where `unaccent` is installed), and, where `pg_trgm`
is, the terms that look alike and are a few edits away ("pritner" → "printer"). Trigram
similarity finds the candidates through the index; an edit distance (a swap of two
neighbouring letters counts as one edit) then keeps only likely typos, since trigrams
alone also pair words that merely share a part: "xylophone" and "phone" are as
trigram-similar as "pritner" and "printer".
"""

import re
from collections.abc import Sequence

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.types import Text

from deskpilot.core.db import Reader

MAX_ALTERNATIVES = 3
MIN_FUZZY_LENGTH = 4  # shorter words have too few trigrams to tell a typo from another word
_CANDIDATES = 10
WORD = re.compile(r"[^\W_]+", re.UNICODE)

_WORDS = bindparam("words", type_=ARRAY(Text))
# Terms that fold to the word's letters.
_FOLDED = text("""
    SELECT q.word, search_fold(q.word), t.term, search_fold(t.term)
    FROM unnest(CAST(:words AS text[])) AS q(word)
    JOIN search_terms t ON search_fold(t.term) = search_fold(q.word)
""").bindparams(_WORDS)
# Terms that look alike (pg_trgm's `%`: similarity ≥ pg_trgm.similarity_threshold, 0.3 by
# default), likeliest first; those that fold to the word's letters are among them.
_ALIKE = text(f"""
    SELECT q.word, search_fold(q.word), t.term, search_fold(t.term)
    FROM unnest(CAST(:words AS text[])) AS q(word)
    CROSS JOIN LATERAL (
        SELECT term FROM search_terms
        WHERE search_fold(term) % search_fold(q.word)
        ORDER BY similarity(search_fold(term), search_fold(q.word)) DESC, term
        LIMIT {_CANDIDATES}
    ) t
""").bindparams(_WORDS)


# Every word of every ticket into search_terms, as migration 0005 fills it. The trigger
# keeps it from then on; a bulk load that disables the trigger runs this afterwards.
COLLECT_ALL_TERMS = """
    INSERT INTO search_terms (term)
    SELECT DISTINCT w.term
    FROM ts_stat($$SELECT to_tsvector('simple', concat_ws(' ', title, category, description))
                   FROM tickets$$) AS s,
         search_terms_of(s.word) AS w(term)
    ON CONFLICT DO NOTHING
"""
TERMS_TRIGGER = "tickets_collect_search_terms"


def edit_distance(a: str, b: str) -> int:
    """Insertions, deletions, substitutions and swaps of neighbouring letters that turn
    `a` into `b` (optimal string alignment)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, previous2[j - 2] + 1)
            current.append(best)
        previous2, previous = previous, current
    return previous[-1]


def allowed_edits(word: str) -> int:
    """How many edits a typo of `word` may have: 1 up to 4 letters, 2 up to 8, then 3."""
    return 1 if len(word) <= 4 else 2 if len(word) <= 8 else 3


def _alternatives_of(word: str, candidates: Sequence[tuple[str, str, str]]) -> tuple[str, ...]:
    """(folded word, term, folded term) candidates, likeliest first → the alternatives."""
    same_letters: list[str] = []
    typos: list[tuple[int, str]] = []
    for folded, term, term_folded in candidates:
        if term_folded == folded:
            if term != word:
                same_letters.append(term)
        elif len(folded) >= MIN_FUZZY_LENGTH:
            distance = edit_distance(folded, term_folded)
            if distance <= allowed_edits(folded):
                typos.append((distance, term))
    known = any(folded == term_folded for folded, _, term_folded in candidates)
    respelt = [] if known else [term for _, term in sorted(typos, key=lambda t: t[0])]
    usable = [term for term in [*same_letters, *respelt] if WORD.fullmatch(term)]
    return tuple(usable[:MAX_ALTERNATIVES])


async def alternatives(
    *, db: Reader, words: Sequence[str], trigram: bool
) -> dict[str, tuple[str, ...]]:
    """For each of `words` (lower case) that the tickets contain only spelt otherwise: the
    spellings they contain, likeliest first. A word the tickets contain as written gets
    only its other accents; a word nothing resembles is left out."""
    wanted = list(dict.fromkeys(words))
    if not wanted:
        return {}
    rows = (await db.execute(_ALIKE if trigram else _FOLDED, {"words": wanted})).all()
    candidates: dict[str, list[tuple[str, str, str]]] = {}
    for word, folded, term, term_folded in rows:
        candidates.setdefault(word, []).append((folded, term, term_folded))
    found = {word: _alternatives_of(word, options) for word, options in candidates.items()}
    return {word: options for word, options in found.items() if options}
