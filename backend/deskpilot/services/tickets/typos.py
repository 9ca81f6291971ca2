"""Typo tolerance for the few words that carry a request ("reslove", "asign", "tikcet").

A `Vocabulary` knows its words exactly and, for words of five letters or more, also one
typing slip away: a letter missing, added, wrong, or two letters swapped (the optimal string
alignment distance 1). Candidates come from a deletion index (each word with one letter
deleted, SymSpell's trick), so a lookup is a few dictionary reads, not a scan. Shorter words
are too close to other words to guess: for them only two swapped letters are put right
("shwo" → "show", "hwo" → "who"). A word with an ending added ("closed", "assigns") is
another form of the word, not a slip; other real words one slip from a vocabulary word
("clone" and "close") are listed by the caller in `not_typos`.
"""

from collections.abc import Iterable
from typing import Final

MIN_FUZZY_LENGTH: Final = 5
MAX_WORD_LENGTH: Final = 24  # longer "words" (hashes, pasted junk) are nobody's typo
CACHE_SIZE: Final = 4096
_ENDINGS: Final = ("s", "d", "r", "n", "y")  # closes, closed, closer, taken, ...


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def one_slip_apart(a: str, b: str) -> bool:
    """Optimal string alignment distance exactly 1."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        i, j = diff[0], diff[-1]
        return len(diff) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


class Vocabulary:
    def __init__(self, words: Iterable[str], *, not_typos: Iterable[str] = ()) -> None:
        self.words: frozenset[str] = frozenset(w.lower() for w in words)
        forms = {w + ending for w in self.words for ending in _ENDINGS}
        self._not_typos = frozenset(w.lower() for w in not_typos) | forms
        self._index: dict[str, set[str]] = {}
        self._cache: dict[str, str | None] = {}
        for word in self.words:
            if len(word) >= MIN_FUZZY_LENGTH and word.isalpha():
                for key in {word, *_deletions(word)}:
                    self._index.setdefault(key, set()).add(word)

    def __contains__(self, token: object) -> bool:
        """`word in vocabulary`: the word, or a slip of one, is in it."""
        return isinstance(token, str) and self.correct(token) is not None

    def correct(self, token: str) -> str | None:
        """The vocabulary word `token` is, or one slip away from; None if none, or if the
        slip could be either of two words."""
        token = token.lower()
        if token in self.words:
            return token
        if token in self._cache:
            return self._cache[token]
        found = self._slip(token)
        if len(self._cache) < CACHE_SIZE:
            self._cache[token] = found
        return found

    def _slip(self, token: str) -> str | None:
        if (
            token in self._not_typos
            or not token.isalpha()
            or not 3 <= len(token) <= MAX_WORD_LENGTH
        ):
            return None
        found = {w for w in _swaps(token) if w in self.words}
        if len(token) >= MIN_FUZZY_LENGTH - 1:
            candidates: set[str] = set()
            for key in {token, *_deletions(token)}:
                candidates |= self._index.get(key, set())
            found |= {w for w in candidates if one_slip_apart(token, w)}
        return next(iter(found)) if len(found) == 1 else None


def _swaps(token: str) -> set[str]:
    return {token[:i] + token[i + 1] + token[i] + token[i + 2 :] for i in range(len(token) - 1)}
