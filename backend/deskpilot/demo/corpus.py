"""Realistic phone-call helpdesk tickets for demo seeding and benchmarks (pure Python, no DB).

- `demo_tickets()` returns the ~60 curated demo tickets (`deskpilot.demo.curated`).
- `generate_tickets()` streams any number of combinatorial tickets for load tests.

Both are deterministic for a given seed and return tickets **oldest first** (age_minutes
non-increasing), so inserting them in order makes ticket numbers ascend with time.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate

from deskpilot.demo import vocab
from deskpilot.demo.callers import ContactSeed
from deskpilot.demo.curated import SCENARIOS, Scenario

STATUSES = ("open", "in_progress", "resolved", "closed")
PRIORITIES = ("low", "medium", "high", "urgent")
CATEGORIES = ("billing", "network", "hardware", "account", "software", "email", "access", "other")

# generate_tickets: term frequencies over title + description + category (the fields the
# search vector covers), measured on 1,000,000 rows with seed 1 and asserted (loosely) by
# tests/demo/test_corpus.py on 20,000-100,000 rows.
COMMON_TERMS = {"password": 0.094, "printer": 0.060, "vpn": 0.060, "berlin": 0.062, "office": 0.35}
RARE_TERMS = {"plotter": 1 / 10_000, "kerberos": 1 / 100_000}  # exact, placed by row index
ABSENT_TERMS = ("xylophone", "hovercraft", "zeppelin")
TWO_TERM_QUERY = ("printer", "berlin")  # both in ~0.37% of rows
PLOTTER_EVERY, PLOTTER_OFFSET = 10_000, 4_321
KERBEROS_EVERY, KERBEROS_OFFSET = 100_000, 77_777

DEFAULT_SPAN_DAYS = 3 * 365
_RECENT_MINUTES = 30 * 24 * 60
_CHUNK = 4096


@dataclass(frozen=True, slots=True)
class TicketSeed:
    title: str
    description: str
    status: str  # open | in_progress | resolved | closed
    priority: str  # low | medium | high | urgent
    category: str  # one of CATEGORIES
    age_minutes: int  # how long ago it was created (created_at = now - age)
    notes: tuple[str, ...]
    caller: str | None = None  # a demo contact's name, when drawn from `callers`


# --- curated demo tickets --------------------------------------------------------------------

_DEMO_AGE_RANGE = {  # minutes: open tickets are fresh, closed ones weeks old
    "open": (10, 3 * 24 * 60),
    "in_progress": (60, 5 * 24 * 60),
    "resolved": (24 * 60, 20 * 24 * 60),
    "closed": (5 * 24 * 60, 60 * 24 * 60),
}


def _interleaved(scenarios: tuple[Scenario, ...]) -> list[Scenario]:
    """Round-robin over categories so any prefix keeps the spread."""
    by_category: dict[str, list[Scenario]] = {}
    for s in scenarios:
        by_category.setdefault(s.category, []).append(s)
    queues = list(by_category.values())
    out: list[Scenario] = []
    while any(queues):
        for q in queues:
            if q:
                out.append(q.pop(0))
    return out


def demo_tickets(
    count: int = 60, seed: int = 47, callers: Sequence[ContactSeed] = ()
) -> list[TicketSeed]:
    """The curated demo tickets (60 exist), oldest first.

    Callers and companies are drawn from seeded pools, or, given `callers` (the demo's
    contacts), from those by their weights (each ticket then names its `caller`); ages
    depend on status (open: under 3 days, closed: 5-60 days). `count` below 60 keeps a
    spread over categories; above 60 the rest comes from `generate_tickets` (ages within
    the last 90 days).
    """
    if count < 0:
        raise ValueError("count must be >= 0")
    rng = random.Random(seed)
    pick = random.Random(seed)  # callers: a stream of their own, the rest stays as it was
    out: list[TicketSeed] = []
    for s in _interleaved(SCENARIOS)[:count]:
        caller = f"{rng.choice(vocab.FIRST_NAMES)} {rng.choice(vocab.LAST_NAMES)}"
        company = rng.choice(vocab.COMPANIES)
        contact = None
        if callers:
            [chosen] = pick.choices(callers, weights=[c.weight for c in callers])
            caller, company, contact = chosen.name, chosen.organization, chosen.name
        lo, hi = _DEMO_AGE_RANGE[s.status]
        out.append(
            TicketSeed(
                title=s.title,
                description=s.description.format(caller=caller, company=company),
                status=s.status,
                priority=s.priority,
                category=s.category,
                age_minutes=rng.randint(lo, hi),
                notes=s.notes,
                caller=contact,
            )
        )
    if count > len(SCENARIOS):
        out.extend(generate_tickets(count - len(SCENARIOS), seed=seed, span_days=90))
    out.sort(key=lambda t: -t.age_minutes)
    return out


# --- generated tickets -----------------------------------------------------------------------

_TOPIC_CUM = list(accumulate(t.weight for t in vocab.TOPICS))
_PRIORITY_CUM = list(accumulate((25, 50, 20, 5)))
_RECENT_STATUS_CUM = list(accumulate((45, 25, 20, 10)))
_OLD_STATUS_CUM = list(accumulate((2, 1, 27, 70)))


def _opening(name: str, company: str, city: str, style: int) -> str:
    if style == 0:
        return f"Customer called: {name} from {company} ({city} office)."
    if style == 1:
        return f"{name} ({company}, {city}) called the hotline."
    return f"Call from {name} at {company}, {city}."


def generate_tickets(
    count: int, seed: int = 1, *, span_days: int = DEFAULT_SPAN_DAYS
) -> Iterator[TicketSeed]:
    """Yield `count` combinatorial phone-call tickets, oldest first, >= 100k rows/s.

    Creation times are spread evenly over the last `span_days`. Status depends on age
    (last 30 days: mostly open/in progress; older: mostly resolved/closed); priority is
    low 25% / medium 50% / high 20% / urgent 5%; 0-3 notes per ticket.

    Term frequencies in title + description + category (what full-text search indexes):

    - common: "password" ~9.4% (password topic 6% + Outlook prompts), "printer" ~6.0%,
      "vpn" ~6.0%, "invoice" ~6.5%, "berlin" ~6.2% (1 of 16 cities), "office" ~35%;
      categories: network 19%, hardware 19%, account 15%, software 14%, billing 11%,
      email 10%, access 8%, other 4%. Status over 3 years: closed 68%, resolved 27%,
      open 3.2%, in_progress 1.6%.
    - two-term: "printer berlin" ~0.37% of rows (independent draws).
    - rare: "plotter" in exactly the rows with index % 10,000 == 4,321 (0.01%, 100 rows
      per 1M); "kerberos" where index % 100,000 == 77,777 (0.001%, 10 rows per 1M).
    - absent: "xylophone", "hovercraft", "zeppelin" never appear (nor any word they
      prefix-match).

    See COMMON_TERMS, RARE_TERMS, ABSENT_TERMS and TWO_TERM_QUERY in this module.
    """
    if count < 0:
        raise ValueError("count must be >= 0")
    rng = random.Random(seed)
    span = span_days * 24 * 60
    topics, first, last = vocab.TOPICS, vocab.FIRST_NAMES, vocab.LAST_NAMES
    companies, cities, impacts, asks = vocab.COMPANIES, vocab.CITIES, vocab.IMPACTS, vocab.ASKS
    generic = vocab.GENERIC_NOTES
    for start in range(0, count, _CHUNK):
        n = min(_CHUNK, count - start)
        chunk_topics = rng.choices(topics, cum_weights=_TOPIC_CUM, k=n)
        priorities = rng.choices(PRIORITIES, cum_weights=_PRIORITY_CUM, k=n)
        recent = rng.choices(STATUSES, cum_weights=_RECENT_STATUS_CUM, k=n)
        old = rng.choices(STATUSES, cum_weights=_OLD_STATUS_CUM, k=n)
        for j in range(n):
            i = start + j
            topic = chunk_topics[j]
            if i % PLOTTER_EVERY == PLOTTER_OFFSET:
                topic = vocab.PLOTTER
            elif i % KERBEROS_EVERY == KERBEROS_OFFSET:
                topic = vocab.KERBEROS
            h = rng.getrandbits(64)
            h, t = divmod(h, len(topic.titles))
            h, a = divmod(h, len(topic.titles[t]))
            h, b = divmod(h, len(topic.problems[t]))
            h, c = divmod(h, len(first))
            h, d = divmod(h, len(last))
            h, e = divmod(h, len(companies))
            h, f = divmod(h, len(cities))
            h, g = divmod(h, len(impacts))
            h, k = divmod(h, len(asks))
            h, style = divmod(h, 3)
            h, n_notes = divmod(h, 4)
            age = ((count - i) * span) // count
            if n_notes == 0:
                notes: tuple[str, ...] = ()
            elif n_notes == 1:
                notes = (topic.notes[h % len(topic.notes)],)
            else:
                notes = (generic[h % len(generic)], topic.notes[h % len(topic.notes)])
                if n_notes == 3:
                    notes = (*notes, generic[(h >> 8) % len(generic)])
            opening = _opening(f"{first[c]} {last[d]}", companies[e], cities[f], style)
            yield TicketSeed(
                topic.titles[t][a],
                f"{opening} {topic.problems[t][b]} {impacts[g]} {asks[k]}",
                recent[j] if age < _RECENT_MINUTES else old[j],
                priorities[j],
                topic.category,
                age,
                notes,
            )
