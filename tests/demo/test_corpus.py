"""The demo/benchmark ticket corpus: determinism, spread, valid fields, term frequencies."""

from __future__ import annotations

import re
import time
from collections import Counter

import pytest

from deskpilot.demo import vocab
from deskpilot.demo.corpus import (
    ABSENT_TERMS,
    CATEGORIES,
    COMMON_TERMS,
    PRIORITIES,
    RARE_TERMS,
    STATUSES,
    TWO_TERM_QUERY,
    TicketSeed,
    demo_tickets,
    generate_tickets,
)
from deskpilot.demo.curated import SCENARIOS

_WORD = re.compile(r"[a-z0-9]+")


def _words(t: TicketSeed) -> set[str]:
    """Words of the fields the search vector covers."""
    return set(_WORD.findall(f"{t.title} {t.description} {t.category}".lower()))


def _assert_valid(t: TicketSeed) -> None:
    assert t.status in STATUSES
    assert t.priority in PRIORITIES
    assert t.category in CATEGORIES
    assert 0 < len(t.title) <= 200
    assert 0 < len(t.description) <= 20_000
    assert "{" not in t.title + t.description  # every placeholder filled
    assert t.age_minutes >= 0
    assert 0 <= len(t.notes) <= 3
    assert all(0 < len(n) <= 10_000 for n in t.notes)


@pytest.fixture(scope="module")
def sample() -> list[TicketSeed]:
    return list(generate_tickets(20_000))


# --- demo_tickets ----------------------------------------------------------------------------


def test_demo_tickets_are_deterministic_and_seed_dependent() -> None:
    assert demo_tickets() == demo_tickets()
    assert demo_tickets(seed=1) != demo_tickets(seed=2)


def test_demo_tickets_fields_and_spread() -> None:
    tickets = demo_tickets()
    assert len(tickets) == len(SCENARIOS) == 60
    for t in tickets:
        _assert_valid(t)
        assert t.description.startswith("Customer called")
    assert len({t.title for t in tickets}) == 60
    statuses = Counter(t.status for t in tickets)
    priorities = Counter(t.priority for t in tickets)
    categories = Counter(t.category for t in tickets)
    assert set(statuses) == set(STATUSES) and min(statuses.values()) >= 8
    assert set(priorities) == set(PRIORITIES) and min(priorities.values()) >= 5
    assert set(categories) == set(CATEGORIES) and min(categories.values()) >= 4
    assert sum(1 for t in tickets if t.notes) >= 30


def test_demo_tickets_oldest_first() -> None:
    ages = [t.age_minutes for t in demo_tickets()]
    assert ages == sorted(ages, reverse=True)


def test_demo_tickets_cover_the_ai_demo_stories() -> None:
    tickets = demo_tickets()

    def matching(*words: str, status: str | None = None) -> list[TicketSeed]:
        return [
            t
            for t in tickets
            if all(w in f"{t.title} {t.description}".lower() for w in words)
            and (status is None or t.status == status)
        ]

    assert len(matching("printer", status="open")) >= 2
    assert len(matching("vpn", "berlin")) >= 2
    assert len(matching("berlin")) >= 8
    assert len(matching("invoice")) >= 4
    assert len(matching("refund")) >= 2
    assert len(matching("locked")) >= 3


def test_demo_tickets_prefix_keeps_spread_and_extension_generates() -> None:
    small = demo_tickets(count=16)
    assert len(small) == 16 and {t.category for t in small} == set(CATEGORIES)
    big = demo_tickets(count=100)
    assert len(big) == 100
    for t in big:
        _assert_valid(t)


# --- generate_tickets ------------------------------------------------------------------------


def test_generate_is_deterministic() -> None:
    assert list(generate_tickets(5_000, seed=3)) == list(generate_tickets(5_000, seed=3))
    assert list(generate_tickets(500, seed=3)) != list(generate_tickets(500, seed=4))


def test_generate_fields_valid_and_oldest_first(sample: list[TicketSeed]) -> None:
    for t in sample:
        _assert_valid(t)
    ages = [t.age_minutes for t in sample]
    assert ages == sorted(ages, reverse=True)
    assert ages[-1] >= 1


def test_generate_distribution_spread(sample: list[TicketSeed]) -> None:
    n = len(sample)
    statuses = Counter(t.status for t in sample)
    priorities = Counter(t.priority for t in sample)
    categories = Counter(t.category for t in sample)
    assert set(statuses) == set(STATUSES)
    assert statuses["closed"] > statuses["resolved"] > statuses["open"] > 0
    assert abs(priorities["medium"] / n - 0.50) < 0.02
    assert abs(priorities["urgent"] / n - 0.05) < 0.01
    assert set(categories) == set(CATEGORIES)
    assert len({t.title for t in sample}) > 200
    assert len({t.description for t in sample}) > 0.95 * n


def test_recent_tickets_are_mostly_open(sample: list[TicketSeed]) -> None:
    recent = [t for t in sample if t.age_minutes < 30 * 24 * 60]
    open_share = sum(t.status in ("open", "in_progress") for t in recent) / len(recent)
    assert open_share > 0.5


def test_documented_term_frequencies(sample: list[TicketSeed]) -> None:
    n = len(sample)
    words = [_words(t) for t in sample]
    for term, share in COMMON_TERMS.items():
        measured = sum(term in w for w in words) / n
        assert abs(measured - share) < 0.15 * share, (term, measured)
    assert COMMON_TERMS["password"] >= 0.05
    a, b = TWO_TERM_QUERY
    both = sum(a in w and b in w for w in words) / n
    assert 0.002 < both < 0.006
    # rare terms are placed by row index: exact counts
    assert sum("plotter" in w for w in words) == round(n * RARE_TERMS["plotter"]) == 2
    for term in ABSENT_TERMS:
        assert not any(term in w for w in words)


def test_rare_term_counts_at_scale() -> None:
    counts: Counter[str] = Counter()
    for t in generate_tickets(200_000, seed=9):
        text = f"{t.title} {t.description}".lower()
        counts["plotter"] += "plotter" in text
        counts["kerberos"] += "kerberos" in text
    assert counts == {"plotter": 20, "kerberos": 2}


def test_absent_terms_are_in_no_pool() -> None:
    """Not even as a prefix of a word (search prefix-matches the last query word)."""
    pools: list[str] = [*vocab.FIRST_NAMES, *vocab.LAST_NAMES, *vocab.COMPANIES, *vocab.CITIES]
    pools += [*vocab.IMPACTS, *vocab.ASKS]
    for topic in (*vocab.TOPICS, vocab.PLOTTER, vocab.KERBEROS):
        pools += [x for group in topic.titles + topic.problems for x in group]
    text_words = set(_WORD.findall(" ".join(pools).lower()))
    for term in ABSENT_TERMS:
        assert not any(w.startswith(term[:6]) for w in text_words), term


def test_generate_is_fast() -> None:
    start = time.perf_counter()
    n = sum(1 for _ in generate_tickets(100_000))
    rate = n / (time.perf_counter() - start)
    assert rate > 50_000  # ~250k/s on the 2-core CI machine; loose bound against slow CI
