"""The offline assistant's lexicon (lexicon.toml) and its typo tolerance."""

from pathlib import Path

import pytest

from deskpilot.llm.offline import lexicon as lx
from deskpilot.llm.offline.not_typos import NOT_TYPOS, slips_in
from deskpilot.llm.offline.text import VOCABULARY, VOCABULARY_WITHOUT_EXCEPTIONS, tokenise
from deskpilot.services.tickets.typos import Vocabulary, one_slip_apart

DICTIONARY = Path("/usr/share/dict/american-english")


def test_the_words_issue_18_names_are_in_one_place() -> None:
    assert lx.SHORTHAND["tkt"] == "ticket" and lx.SHORTHAND["tix"] == "tickets"
    assert lx.PRIORITY_WORDS[("p1",)] == "urgent" and lx.PRIORITY_WORDS[("p2",)] == "high"
    assert ("no", "need") in lx.NEGATIONS
    assert lx.STATUS_WORDS[("wip",)] == "in_progress"


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("creat a tikcet", ["create", "a", "ticket"]),
        ("reslove 31", ["resolve", "31"]),
        ("shwo me 33", ["show", "me", "33"]),
        ("pls chk 70 w/ marco", ["please", "check", "70", "with", "marco"]),
        ("where are we on seventy seven", ["where", "are", "we", "on", "77"]),
        ("ticket forty-seven", ["ticket", "47"]),
        ("new one for hr", ["new", "one", "for", "hr"]),  # "one" stays a word
        ("marco's queue", ["marco", "'s", "queue"]),
    ],
)
def test_tokens_are_canonical(typed: str, read: list[str]) -> None:
    assert tokenise(typed).words == read


def test_real_words_are_never_taken_for_typos() -> None:
    for word in ("chose", "those", "loose", "clone", "closed", "assigned", "notes"):
        assert VOCABULARY.correct(word) in (None, word), word
    for word in NOT_TYPOS:
        assert VOCABULARY.correct(word) is None, word
        # every listed word is one the plain typo tolerance would otherwise take
        assert VOCABULARY_WITHOUT_EXCEPTIONS.correct(word) is not None, word


def test_one_slip_is_a_missing_added_wrong_or_swapped_letter() -> None:
    assert one_slip_apart("resolve", "reslove")  # swapped
    assert one_slip_apart("create", "creat")  # missing
    assert one_slip_apart("ticket", "tickett")  # added
    assert one_slip_apart("close", "clise")  # wrong
    assert not one_slip_apart("close", "lcoes")
    assert not one_slip_apart("close", "close")
    assert Vocabulary(["bates", "gates"]).correct("hates") is None, "either of two words"
    assert Vocabulary(["monitor"]).correct("moniter") == "monitor"


@pytest.mark.skipif(not DICTIONARY.is_file(), reason="needs Debian's wamerican word list")
def test_the_list_of_real_words_is_current_for_the_lexicon() -> None:
    assert set(slips_in(DICTIONARY)) == set(NOT_TYPOS)
