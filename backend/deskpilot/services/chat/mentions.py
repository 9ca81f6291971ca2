"""Which tickets a reply mentions, read from the text as the user sees it: HTML entities
decoded (a server's `what&#39;s` is no #39), code and URLs left out, and a `#N` only where
it stands alone (not `#47` inside `#4711x` or `&#47;`).

A ticket no tool touched this turn and that is not attached gets a card only when the
model wrote its `#N` and that is not a cut-off of a number the agent wrote ("ticket 4711"
answered with "#47")."""

import html
import re
from collections.abc import Collection

_FENCED = re.compile(r"```.*?(?:```|$)", re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_URL = re.compile(r"\b(?:https?|ftp)://\S+|\bwww\.\S+", re.IGNORECASE)
_MENTION = re.compile(r"(?<![\w#&/])#(\d{1,9})(?![\w#])")
_NUMBER = re.compile(r"\d+")


def visible_text(text: str) -> str:
    """What the user reads of `text` when looking for ticket numbers."""
    text = html.unescape(html.unescape(text))  # servers sometimes escape twice
    for pattern in (_FENCED, _INLINE_CODE, _URL):
        text = pattern.sub(" ", text)
    return text


def mentioned_numbers(reply: str, *, asked: str, known: Collection[int]) -> list[int]:
    """The ticket numbers `reply` mentions, in order, each once. `known`: tickets the turn's
    tools touched or that are attached; `asked`: what the agent wrote this turn."""
    asked_numbers = set(_NUMBER.findall(asked))
    found: dict[int, None] = {}
    for match in _MENTION.finditer(visible_text(reply)):
        number = int(match.group(1))
        if number not in known and _cut_off(match.group(1), asked_numbers):
            continue
        found.setdefault(number)
    return list(found)


def _cut_off(digits: str, asked: set[str]) -> bool:
    return digits not in asked and any(
        len(other) > len(digits) and digits in other for other in asked
    )
