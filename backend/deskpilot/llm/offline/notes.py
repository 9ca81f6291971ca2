"""A note asked for, and its words: "add a note to 18: …", "note on 29 - …", "pls note on 3
that …", "resolve 42 w/ note '…'", "…, add that to 36" (the words before), "update 68 - …",
"47: tech visited" (a label: unsure, asked first). The note's own text is kept out of the
other readers (changes.py): a note may say anything ("close all tickets")."""

from dataclasses import dataclass
from typing import Final

from deskpilot.llm.offline import lexicon as lx
from deskpilot.llm.offline.clauses import clauses
from deskpilot.llm.offline.text import Message

_NOTE_LEADS: Final = lx.words("to on for in about re")
_NOTE_OPENERS: Final = lx.words("that saying which says : - , exactly")
_SECOND_REQUESTS: Final = lx.words(
    "bump escalate close resolve reopen mark assign give set make put drop lower raise"
)


@dataclass
class Note:
    text: str  # "" when a note is asked for without its words
    at: int
    first: int  # the note text's tokens (excluded from the other readers)
    last: int
    sure: bool = True
    refers: bool = False  # "add it to 27", "add that to 36": the text is what "it" is


def find_note(message: Message, first: int, last: int) -> Note | None:
    words = message.words
    for i in range(first, last + 1):
        token = message.tokens[i]
        if token.quoted:
            continue
        marker_end = _note_marker(message, i, last)
        if marker_end is None:
            continue
        refers = bool({"it", "this", "that"} & set(words[i + 1 : marker_end + 1]))
        text_first, text_last = _note_text_span(message, marker_end + 1, last)
        if text_first <= text_last:
            return Note(_clean(message.span(text_first, text_last)), i, text_first, text_last)
        before = _text_before(message, first, i)
        if before is not None:
            return Note(_clean(message.span(*before)), i, before[0], before[1])
        return Note("", i, i, i - 1, refers=refers)
    return _label_note(message, first, last) or _reason_note(message, first, last)


def _note_marker(message: Message, i: int, last: int) -> int | None:
    """End of a note request starting at i ("add a note to 18", "note on 29", "append to",
    "add that to 36", "log that", "update 68 -", "w/ note"), or None."""
    words = message.words
    word = words[i]
    k = i
    if word in ("add", "put", "leave", "write", "post", "jot", "record", "append", "log"):
        k += 1
        while k <= last and words[k] in (
            "a",
            "an",
            "the",
            "another",
            "quick",
            "short",
            "internal",
            "this",
            "that",
            "it",
            "down",
            "text",
        ):
            k += 1
        if k <= last and words[k] in lx.NOTE_NOUNS:
            k += 1
        elif word in ("append", "record", "jot") or (
            word in ("add", "log") and k > i + 1 and words[k - 1] in ("that", "this", "it")
        ):
            pass  # "append to 36", "add that to 58", "log that greg rang"
        elif word == "add" and k <= last and words[k] == "to":
            pass  # "add to 70's notes"
        else:
            return None
    elif word in ("note", "notes", "comment") and not (
        i > 0 and words[i - 1] in ("the", "last", "latest", "a", "any")
    ):
        k += 1
        if k <= last and words[k] in ("down", "it", "that"):
            k += 1 if words[k] != "that" else 0
    elif word == "with" and i + 1 <= last and words[i + 1] in lx.NOTE_NOUNS:
        k += 2  # "resolve 42 w/ note 'sms provider fixed'"
    elif word == "update" and _dash_after_ticket(message, i, last) is not None:
        return _dash_after_ticket(message, i, last)
    else:
        return None
    # the ticket the note goes on: "to 18", "on 29", "to 70's notes", "to the mfa ticket (42)"
    if k <= last and words[k] in _NOTE_LEADS:
        ahead = [
            j for j in range(k + 1, min(last, k + 6) + 1) if message.tokens[j].kind == "number"
        ]
        if ahead and all(
            message.tokens[j].kind == "word" or message.words[j] in ("(", "#")
            for j in range(k + 1, ahead[0])
        ):
            k = ahead[0] + 1
            while k <= last and message.words[k] in (")", "'", "'s", "s", "notes", "note"):
                k += 1
            return k - 1
    while k <= last and (
        words[k] in _NOTE_LEADS
        or message.tokens[k].kind == "number"
        or words[k] in ("ticket", "it", "this", "'", "'s", "s", "notes", "the", "#")
    ):
        k += 1
    return k - 1


def _dash_after_ticket(message: Message, i: int, last: int) -> int | None:
    """ "update 68 - li wei says …": the dash ends the request."""
    k = i + 1
    if k <= last and message.words[k] == "ticket":
        k += 1
    if k + 1 <= last and message.tokens[k].kind == "number" and message.words[k + 1] in ("-", ":"):
        return k + 1
    return None


def _note_text_span(message: Message, k: int, last: int) -> tuple[int, int]:
    words = message.words
    while k <= last and (
        words[k] in _NOTE_OPENERS
        or (message.tokens[k].kind == "mark" and not message.tokens[k].quoted)
    ):
        k += 1
    end = last
    for j in range(k + 1, last):
        if words[j] == "and" and not message.tokens[j].quoted and words[j + 1] in _SECOND_REQUESTS:
            end = j - 1  # "… and bump it to urgent"
            break
    while end >= k and (
        words[end] in ("please", "pls", "thanks", "instead", "too")
        or (message.tokens[end].kind == "mark" and not message.tokens[end].quoted)
    ):
        end -= 1
    return k, end


def _text_before(message: Message, first: int, marker: int) -> tuple[int, int] | None:
    """The clauses before "…, add that to 36" / "…, note on 36 pls" / "…, add a note"."""
    parts = clauses(message, first, marker - 1)
    useful = [
        c
        for c in parts
        if any(w not in ("and", "so", "then", "pls", "please", "also") for w in c.words)
    ]
    if not useful:
        return None
    return useful[0].first, useful[-1].last


def _label_note(message: Message, first: int, last: int) -> Note | None:
    """ "47: tech visited, roller replaced", "22 - user called back": a ticket, a colon or
    dash, words (unsure: asked first). After "re" ("re: 55 - backup ran ok", "re 45: …") the
    ticket is named as the subject: sure. Never a question, nor a request ("re 19 - close it")."""
    tokens = message.tokens
    start = first
    marked = message.words[start] in _LABEL_MARKERS if start <= last else False
    if marked:
        start += 2 if start + 1 <= last and message.words[start + 1] == ":" else 1
    if (
        last - start < 3
        or tokens[start].kind != "number"
        or tokens[start + 1].word not in (":", "-")
    ):
        return None
    text_first, whole = _note_text_span(message, start + 2, last)
    text_last = _before_a_request(message, text_first, whole)
    if text_first > text_last or _asks(message, text_first, text_last):
        return None
    if not marked and (text_last < whole or _states_a_status(message, text_first)):
        return None  # "48 - all good now, resolve": the ticket of a change, not a note
    text = _clean(message.span(text_first, text_last))
    return Note(text, first, text_first, text_last, sure=marked)


def _reason_note(message: Message, first: int, last: int) -> Note | None:
    """ "close 47, tech fixed the rollers", "resolve 12 - swapped the toner": what was done,
    said after closing or resolving a ticket, goes on it as a note."""
    words = message.words
    k = first
    while k <= last and words[k] in ("please", "pls", "okay", "so"):
        k += 1
    status = lx.STATUS_VERBS.get((words[k],)) if k <= last else None
    if status not in ("closed", "resolved") or k + 3 > last:
        return None
    if message.tokens[k + 1].kind != "number" or words[k + 2] not in (",", "-"):
        return None
    text_first, text_last = _note_text_span(message, k + 3, last)
    text_last = _before_a_request(message, text_first, text_last)
    said = words[text_first : text_last + 1]
    numbered = any(t.kind == "number" for t in message.tokens[text_first : text_last + 1])
    if len(said) < 3 or said[0] in _NOT_A_REASON or numbered:
        return None  # "resolve 57, and 61 is wip now": another ticket, not a reason
    if _asks(message, text_first, text_last):
        return None
    return Note(_clean(message.span(text_first, text_last)), k + 2, text_first, text_last)


_NOT_A_REASON: Final = lx.words("it its this that thanks please pls i we and also then plus")


def _states_a_status(message: Message, first: int) -> bool:
    words = tuple(message.words[first : first + 4])
    return any(words[: len(p)] == p for p in lx.STATUS_WORDS)


_LABEL_MARKERS: Final = lx.words("about regarding")


def _before_a_request(message: Message, first: int, last: int) -> int:
    """The last token before a clause that asks for a change ("…, pls close")."""
    for clause in clauses(message, first, last):
        words = [w for w in clause.words if w not in ("please", "pls", "and", "then", "so")]
        if words and (words[0] in _SECOND_REQUESTS or words[0] in _STATUS_VERB_WORDS):
            end = clause.first - 1
            while end >= first and message.tokens[end].kind == "mark":
                end -= 1
            return end
    return last


_STATUS_VERB_WORDS: Final = {p[0] for p in lx.STATUS_VERBS}


def _asks(message: Message, first: int, last: int) -> bool:
    """A question or a request to the assistant ("can you check the logs", "show me the
    notes"): never a note's text."""
    words = tuple(message.words[first : last + 1])
    asks = lx.REQUEST_STARTS | lx.GET_VERBS | lx.SEARCH_VERBS
    return (
        "?" in words
        or (bool(words) and words[0] in lx.QUESTION_STARTS)
        or any(words[: len(p)] == p for p in asks)
    )


def _clean(text: str) -> str:
    return text.strip(" \"'“”‘’,;:-").strip()
