"""A message cut into clauses at punctuation (and at "and" before a new request), and the
small judgements made on clauses: is it only a priority, a category, a courtesy?"""

from dataclasses import dataclass
from typing import Final

from deskpilot.llm.offline import lexicon as lx
from deskpilot.llm.offline.text import Message

BOUNDARIES: Final = frozenset({",", ";", ":", ".", "!", "?", "-", "->", "(", ")", "/"})
# words that may surround a priority or category in a clause that says nothing else
LABEL_FILLERS: Final = lx.words(
    "it its it's is this that as a an the very super really quite pretty extremely please "
    "set make mark log call level and to with under category cat type priority "
    "ticket tickets one thanks also should be"
)
COURTESY: Final = lx.words(
    "please thanks thank you cheers kindly ok okay so hey hi hello also just heads up fyi "
    "btw asap pls"
)


@dataclass(frozen=True)
class Clause:
    first: int  # token indexes, inclusive
    last: int
    words: tuple[str, ...]

    def text(self, message: Message) -> str:
        return message.span(self.first, self.last)


def clauses(message: Message, first: int = 0, last: int | None = None) -> list[Clause]:
    """Clauses of tokens first..last, without their boundary marks."""
    last = len(message.tokens) - 1 if last is None else last
    found: list[Clause] = []
    start = first
    for i in range(first, last + 2):
        at_end = i > last
        boundary = at_end or (
            message.tokens[i].kind == "mark"
            and message.tokens[i].word in BOUNDARIES
            and not message.tokens[i].quoted
        )
        if boundary:
            if start <= i - 1:
                found.append(Clause(start, i - 1, tuple(message.words[start:i])))
            start = i + 1
    return found


def priority_of(
    words: tuple[str, ...] | list[str],
    table: dict[lx.Phrase, lx.Priority] = lx.PRIORITY_WORDS,
) -> lx.Priority | None:
    """The priority a run of words states: the earliest phrase, the longest where two start
    together ("not urgent" is low, not urgent)."""
    best: tuple[int, int, lx.Priority] | None = None
    for phrase, priority in table.items():
        n = len(phrase)
        for i in range(len(words) - n + 1):
            if tuple(words[i : i + n]) == phrase and (best is None or (i, -n) < best[:2]):
                best = (i, -n, priority)
    return best[2] if best is not None else None


STRONG_PRIORITIES: Final = {
    phrase: value
    for phrase, value in lx.PRIORITY_WORDS.items()
    if not (len(phrase) == 1 and phrase[0] in lx.WEAK_PRIORITY_WORDS)
}


def is_label(words: tuple[str, ...], *, allow_category: bool = True) -> bool:
    """A clause that only states a priority or a category ("high prio", "call it network
    and medium", "category access", "p1"): it belongs in fields, not in the title."""
    rest = [w for w in words if w not in LABEL_FILLERS and w not in COURTESY]
    if not rest:
        return False
    priority_words = {w for p in lx.PRIORITY_WORDS for w in p} | {"not", "no", "rush"}
    categories = lx.CATEGORY_NAMES if allow_category else frozenset()
    return all(w in priority_words or w in categories for w in rest)


def category_of(words: tuple[str, ...] | list[str]) -> str | None:
    """A category named in a label ("category email", "a network ticket", "under email")."""
    for i, word in enumerate(words):
        if word in lx.CATEGORY_NAMES:
            before = words[i - 1] if i > 0 else ""
            after = words[i + 1] if i + 1 < len(words) else ""
            if before in ("category", "cat", "under", "type", "it", "as") or after in (
                "ticket",
                "tickets",
                "issue",
                "request",
                "category",
            ):
                return word
    return None


def is_courtesy(words: tuple[str, ...]) -> bool:
    return all(w in COURTESY for w in words)
