"""A message as tokens: canonical words (lexicon.py) with their place in what was typed.

The canonical form is for understanding; the span (`start`, `end` in `Message.source`) is
for quoting: titles, notes and search words are cut from what the agent wrote, never
rebuilt from canonical words.
"""

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Final

from deskpilot.llm.offline import lexicon as lx
from deskpilot.llm.offline.not_typos import NOT_TYPOS
from deskpilot.services.tickets.typos import Vocabulary

_TYPOGRAPHY: Final = str.maketrans("’‘“”\u00a0–—", "''\"\" --")
_TOKEN: Final = re.compile(
    r"(?P<hash>\#\s?\d+)(?![\w.,:/-]\w)"
    r"|(?P<num>\d+(?:[:.,/]\d+)*(?:%|[a-z]+\d*)?)"
    r"|(?P<w>w/o?)(?![\w])"
    r"|(?P<tnum>t-?\d+)(?![\w-])"
    r"|(?P<word>[^\W\d_][^\W_]*(?:['-][^\W_]+)*)"
    r"|(?P<poss>'s)(?!\w)"
    r"|(?P<arrow>->|=>)"
    r"|(?P<mark>[^\w\s])",
    re.IGNORECASE,
)
_CONTRACTIONS: Final = lx.words(
    "it's that's what's who's where's there's here's he's she's let's how's when's why's"
)
# A double-quoted passage runs to the last double quote (pasted text may quote inside it).
_QUOTES: Final = re.compile(r"\"[^\"]*(?:\".*\")?|(?<!\w)'[^']*'(?!\w)")


def _vocabulary_words() -> set[str]:
    found: set[str] = set()
    for table in (
        lx.STATUS_WORDS, lx.STATUS_VERBS, lx.PRIORITY_WORDS, lx.RAISE_VERBS, lx.LOWER_VERBS,
        lx.GET_VERBS, lx.SEARCH_VERBS, lx.CONFIRMATIONS, lx.NEGATIONS,
    ):  # fmt: skip
        found |= {word for phrase in table for word in phrase}
    for group in (
        lx.TICKET_NOUNS, lx.SET_VERBS, lx.ASSIGN_VERBS, lx.NOTE_NOUNS, lx.NOTE_VERBS,
        lx.CREATE_VERBS, lx.PRIORITY_NOUNS, lx.QUESTION_STARTS, lx.CATEGORY_NAMES,
    ):  # fmt: skip
        found |= group
    found |= set(lx.SHORTHAND.values()) | {"please", "ticket", "tickets", "search", "note"}
    return {w for w in found if w.isalpha() and " " not in w}


VOCABULARY_WITHOUT_EXCEPTIONS: Final = Vocabulary(_vocabulary_words())
VOCABULARY: Final = Vocabulary(_vocabulary_words(), not_typos=NOT_TYPOS)


@dataclass(frozen=True, slots=True)
class Token:
    word: str  # canonical: lower case, no apostrophes, shorthand expanded, typo corrected
    start: int
    end: int
    kind: str  # "word" | "number" | "code" (3:15pm, 4b, 16gb) | "mark"
    number: int | None = None  # "number" tokens and "#N"
    hashed: bool = False  # written "#N"
    quoted: bool = False  # inside quotes: text to keep, never an instruction


@dataclass
class Message:
    source: str  # the message with typography normalised
    tokens: list[Token] = field(default_factory=list)

    @cached_property
    def words(self) -> list[str]:
        return [t.word for t in self.tokens]

    @cached_property
    def positions(self) -> dict[str, list[int]]:
        """Where each word occurs: phrase look-ups start only there."""
        found: dict[str, list[int]] = {}
        for i, word in enumerate(self.words):
            found.setdefault(word, []).append(i)
        return found

    @cached_property
    def unquoted(self) -> list[Token]:
        return [t for t in self.tokens if not t.quoted]

    def text(self, start: int, end: int) -> str:
        return self.source[start:end]

    def span(self, first: int, last: int) -> str:
        """The source text of tokens first..last (inclusive)."""
        if first > last or first >= len(self.tokens):
            return ""
        return self.source[self.tokens[first].start : self.tokens[last].end]

    def find(self, phrase: lx.Phrase, start: int = 0, *, quoted: bool = False) -> int | None:
        """Index of the first token where `phrase` starts, at or after `start`."""
        n = len(phrase)
        for i in self.positions.get(phrase[0], ()):
            if i < start:
                continue
            if (quoted or not self.tokens[i].quoted) and tuple(self.words[i : i + n]) == phrase:
                return i
        return None

    def find_all(self, phrase: lx.Phrase) -> list[int]:
        n = len(phrase)
        return [
            i for i in self.positions.get(phrase[0], ()) if tuple(self.words[i : i + n]) == phrase
        ]

    def has(self, phrases: frozenset[lx.Phrase]) -> bool:
        return any(self.find(p) is not None for p in phrases)

    def first_of(self, phrases: frozenset[lx.Phrase]) -> tuple[int, lx.Phrase] | None:
        """The earliest phrase of the set (the longest where two start together)."""
        best: tuple[int, lx.Phrase] | None = None
        for phrase in phrases:
            i = self.find(phrase)
            if i is not None and (
                best is None or i < best[0] or (i == best[0] and len(phrase) > len(best[1]))
            ):
                best = (i, phrase)
        return best


def normalise(text: str) -> str:
    return " ".join(text.translate(_TYPOGRAPHY).split())


EMPHASIS_WORDS: Final = 2  # 'critical', 'offline': quotes for emphasis, not quoted text


def _quoted_spans(source: str) -> list[tuple[int, int]]:
    """Quoted passages ("…", '…') of more than EMPHASIS_WORDS words."""
    return [
        (m.start(), m.end())
        for m in _QUOTES.finditer(source)
        if len(m.group(0).strip("'\" ").split()) > EMPHASIS_WORDS
    ]


def _number_word(words: list[str], i: int) -> tuple[int, int] | None:
    """(value, tokens used) for "forty-seven", "seventy seven", "twelve" at i."""
    word = words[i]
    if "-" in word:
        tens, _, unit = word.partition("-")
        if (
            tens in lx.NUMBER_WORDS
            and unit in lx.SMALL_NUMBER_WORDS
            and lx.NUMBER_WORDS[tens] >= 20
        ):
            return lx.NUMBER_WORDS[tens] + lx.NUMBER_WORDS[unit], 1
        return None
    value = lx.NUMBER_WORDS.get(word)
    if value is None:
        return None
    if (
        value >= 20
        and value % 10 == 0
        and i + 1 < len(words)
        and words[i + 1] in lx.SMALL_NUMBER_WORDS
    ):
        ones = lx.NUMBER_WORDS[words[i + 1]]
        if ones > 0:
            return value + ones, 2
    if word in lx.SMALL_NUMBER_WORDS:
        before = words[i - 1] if i > 0 else ""
        return (value, 1) if before in lx.TICKET_NOUNS or before in ("number", "#") else None
    return value, 1


@dataclass(frozen=True, slots=True)
class _Raw:
    word: str
    start: int
    end: int
    kind: str
    number: int | None = None
    hashed: bool = False


def _number(digits: str) -> int | None:
    return int(digits) if digits.isdigit() and len(digits) <= 18 else None


def _raw(kind: str, piece: str, start: int, end: int) -> list[_Raw]:
    """The raw tokens of one regex match (a possessive splits in two: "marco's")."""
    if kind == "hash":
        digits = piece.lstrip("# ")
        return [_Raw(f"#{digits}", start, end, "number", _number(digits), True)]
    if kind == "num":
        number = _number(piece)
        return [_Raw(piece, start, end, "number" if number is not None else "code", number)]
    if kind == "tnum":  # "T-57": a ticket's number, to read (refs.py does not write it)
        digits = piece.lstrip("t-")
        return [_Raw(digits, start, end, "number", _number(digits))]
    if kind == "w":
        return [_Raw(lx.SHORTHAND.get(piece, piece), start, end, "word")]
    if kind == "word" and piece.endswith("'s") and piece not in _CONTRACTIONS:
        return [_Raw(piece[:-2], start, end - 2, "word"), _Raw("'s", end - 2, end, "mark")]
    if kind == "word":
        return [_Raw(piece.replace("'", ""), start, end, "word")]
    if kind == "poss":
        return [_Raw("'s", start, end, "mark")]
    return [_Raw("->" if kind == "arrow" else piece, start, end, "mark")]


def tokenise(text: str) -> Message:
    source = normalise(text)
    quotes = _quoted_spans(source)
    raw = [
        token
        for match in _TOKEN.finditer(source)
        for token in _raw(match.lastgroup or "mark", match.group(0).lower(), *match.span())
    ]
    words = [r.word for r in raw]
    message = Message(source)
    i = 0
    while i < len(raw):
        token = raw[i]
        quoted = any(a < token.start < b for a, b in quotes)
        read = _number_word(words, i) if token.kind == "word" else None
        if read is not None:
            value, used = read
            end = raw[i + used - 1].end
            message.tokens.append(
                Token(str(value), token.start, end, "number", value, False, quoted)
            )
            i += used
            continue
        if token.kind == "word":
            for canonical in _canonical(token.word):
                message.tokens.append(
                    Token(canonical, token.start, token.end, "word", None, False, quoted)
                )
        else:
            message.tokens.append(
                Token(
                    token.word,
                    token.start,
                    token.end,
                    token.kind,
                    token.number,
                    token.hashed,
                    quoted,
                )
            )
        i += 1
    return message


def _canonical(word: str) -> list[str]:
    if word in lx.SHORTHAND:
        return lx.SHORTHAND[word].split()
    corrected = VOCABULARY.correct(word) if len(word) >= 3 else None
    return [corrected or word]
