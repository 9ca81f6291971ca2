"""Creating: is this a request for a new ticket, and what is it about?

Four ways agents ask (lexicon.py has the words):
  a verb and a ticket noun      "log a ticket", "could you log this one as high", "set up a ticket"
  a ticket noun opening         "ticket for a new headset…", "urgent ticket pls - …", "new one for hr:"
  a request closing             "…, ticket pls", "…, new tkt", "…, log it", "…, log as urgent"
  a label opening               "p1 pls - card machine declining…", "p1, network: internet down"
The issue is the text after the request (or before it, when the request closes the
message); its title is the clause that names the problem, without who reported it.
"""

import itertools
import re
from dataclasses import dataclass
from typing import Any, Final

from deskpilot.llm.offline import lexicon as lx
from deskpilot.llm.offline.clauses import (
    STRONG_PRIORITIES,
    Clause,
    category_of,
    clauses,
    is_courtesy,
    is_label,
    priority_of,
)
from deskpilot.llm.offline.modifiers import negated_at
from deskpilot.llm.offline.text import Message
from deskpilot.services.tickets.ref_forms import FORMS
from deskpilot.services.tickets.typos import one_slip_apart

TITLE_MAX_CHARS: Final = 60
_OPENERS: Final = lx.words("new another fresh separate quick")
_LEADERS: Final = (
    _OPENERS
    | {w for p in lx.PRIORITY_WORDS for w in p}
    | lx.CATEGORY_NAMES
    | lx.PRIORITY_NOUNS
    | lx.words("a an please with heads up okay so hey")
)
_AFTER_NOUN: Final = lx.words("for about please with that re to : - , on regarding as under")
_PARTICIPLES: Final = lx.words("raised logged created opened filed made")
_NOUNS: Final = lx.words("ticket case incident request one")
_OPENING: Final = lx.words("please okay so hey hi can you could")
_CLOSING: Final = lx.words("new urgent ticket please one another fresh asap a")
_CLOSING_LEVELS: Final = lx.words("high low medium p1 p2 p3 p4 critical")
_VAGUE: Final = lx.phrases(
    "same problem",
    "same issue",
    "same as before",
    "as before",
    "the thing",
    "it",
    "this",
    "that",
    "this one",
    "that one",
    "one",
    "them",
    "me",
    "us",
    "you",
    "him",
    "her",
)
_REPORTED_BY: Final = re.compile(
    r"^(?:(?:the\s+)?(?:customer|client|user|caller|someone|somebody|she|he|they)\s+"
    r"(?:called|calls|rang|phoned|says|said|reports|reported|mentioned|emailed|wrote)"
    r"(?:\s+(?:in|that|to\s+say|about))?\s*[:,\-]?\s*"
    r"|(?:call|email|message|voicemail)\s+from\s+[\w\s]{1,30}?\s*[:\-]\s*"
    r"|just\s+got\s+off\s+the\s+phone\s+(?:with|w/)\s+\w+(?:\s+in\s+\w+)?\s*[,:\-]?\s*"
    r"|(?:ext|extension|x)\s*\d+\s+"
    r"|(?:issue|problem|subject|re|hi|hello|hey)\s*[:,]\s*"
    r"|(?:for|about|that|to|re|with|regarding)\s+"
    r"|(?:the|a|an|our|my)\s+)",
    re.IGNORECASE,
)
_ACRONYMS: Final = lx.words(
    "vpn dns sso mfa 2fa pc usb hdmi sla api crm erp sap lan wan ip ups tv cfo ceo hr pdf pdfs"
)
_PROBLEM_WORDS: Final = lx.words(
    "broken broke down crash crashes crashing crashed fail fails failing failed error errors "
    "not cant wont doesnt isnt dead jam jams jammed stuck slow offline locked missing full "
    "flicker flickering frozen freezes cracked leaking noisy loud beeping alarming declining "
    "drops dropping blank bounces rejects needs need wants new replacement request install "
    "blown burnt burned died faulty lost stolen smashed spilled overheating outage unreachable "
    "unavailable dropped disconnects disconnecting expired wrong no noise buzzing expires"
)
_A_CALL: Final = lx.phrases("on the phone", "off the phone", "called", "rang", "phoned")
_WHO_WHERE: Final = lx.words(
    "user users caller customer desk room floor ext extension building site office"
)


@dataclass(frozen=True)
class CreateRequest:
    first: int  # token indexes of the request's own words ("log a ticket")
    last: int
    sure: bool = True


def find_create(message: Message) -> CreateRequest | None:
    words = message.words
    tokens = message.tokens
    n = len(tokens)
    for i in range(n):
        if tokens[i].quoted or not (words[i] in lx.CREATE_VERBS or _slipped_verb(message, i)):
            continue
        if i > 0 and words[i - 1] in ("every", "all", "the", "any", "still", "are", "is"):
            continue  # "close every open ticket": "open" describes the tickets
        j = i + 1
        if j < n and words[j] in lx.CREATE_PARTICLES and words[i] in ("put", "write", "set"):
            j += 1
        end = _noun_after(message, j)
        if end is not None and not negated_at(message, i):
            return CreateRequest(i, end)
    said = _said_as_verb(message)
    if said is not None:
        return said
    start = _start_after_openers(message)
    if _plural_opening(message, start) or _ticket_four(message, start):
        return CreateRequest(start, start + 1)  # "new tix: badge printer…"
    end = _noun_after(message, start, leaders=True)
    if end is not None and _opens_an_issue(message, end) and not negated_at(message, end):
        return CreateRequest(start, end)
    closing = _closing_request(message)
    if closing is not None:
        return closing
    return _label_opening(message, start)


def _noun_after(message: Message, j: int, *, leaders: bool = False) -> int | None:
    """Index of a singular ticket noun ("ticket", "one") after fillers from j, if any."""
    words = message.words
    fillers = _LEADERS if leaders else lx.CREATE_FILLERS | _LEADERS
    k = j
    while k < len(words) and k - j <= 4 and words[k] in fillers and words[k] not in _NOUNS:
        k += 1
    if k >= len(words) or words[k] not in _NOUNS or message.tokens[k].quoted:
        return None
    following = words[k + 1] if k + 1 < len(words) else None
    if message.tokens[k + 1 : k + 2] and message.tokens[k + 1].kind == "number":
        return None  # "open ticket 12" is a look-up
    if following in ("no", "number", "#"):
        return None
    if words[k] == "one" and k == j and not leaders and following not in _AFTER_NOUN | {None}:
        return None  # "make one change"
    if following in _PARTICIPLES:
        return k + 1  # "need a tkt raised for …"
    return k


def _said_as_verb(message: Message) -> CreateRequest | None:
    """ "…, pls ticket it", "ticket that: …", "can u ticket that": the noun as a verb."""
    found = message.first_of(lx.NOUN_VERBS)
    if found is None or message.tokens[found[0]].quoted or negated_at(message, found[0]):
        return None
    return CreateRequest(found[0], found[0] + len(found[1]) - 1)


def _plural_opening(message: Message, start: int) -> bool:
    """ "new tix: …": an opener, the plural noun, then a colon or dash."""
    words = message.words
    return (
        words[start : start + 2] in (["new", "tickets"], ["new", "ticket"])
        and start + 2 < len(words)
        and words[start + 2] in (":", "-")
    )


def _slipped_verb(message: Message, i: int) -> bool:
    """ "crate ticket for …": a slip of a create verb (a real word, so never corrected)
    opening the message right before a ticket noun."""
    words = message.words
    return (
        i == 0
        and words[1:2] == ["ticket"]
        and any(one_slip_apart(words[0], verb) for verb in lx.CREATE_VERBS if len(verb) > 3)
    )


def _ticket_four(message: Message, start: int) -> bool:
    """ "ticket 4 li wei: laptop fan loud": "4" for "for" (text-speak), then who it is for and
    a colon or dash; "ticket 4 is fixed: …" names ticket 4."""
    tokens, words = message.tokens, message.words
    if words[start : start + 1] != ["ticket"] or start + 3 >= len(tokens):
        return False
    if tokens[start + 1].number != 4 or tokens[start + 1].hashed:
        return False
    for k in range(start + 2, min(start + 6, len(tokens))):
        if words[k] in (":", "-"):
            return k > start + 2
        if tokens[k].kind != "word" or words[k] in FORMS.followers | FORMS.subject_followers:
            return False
    return False


def _start_after_openers(message: Message) -> int:
    words = message.words
    i = 0
    while i < len(words) and words[i] in lx.words("okay so hey hi heads up also and"):
        i += 1
    while i < len(words) and message.tokens[i].kind == "mark":
        i += 1
    return i


def _opens_an_issue(message: Message, noun: int) -> bool:
    """ "ticket for …", "urgent ticket pls - …", "new one for hr: …", "ticket pls, low prio: …"."""
    following = message.words[noun + 1 : noun + 3]
    if following and set(message.words[:noun]) & _OPENERS:
        return True  # "new ticket under facilities - …": "new" says it all
    if not following:
        return message.words[noun] != "one" and noun > 0  # "new tkt" alone: ask what about
    return following[0] in _AFTER_NOUN or (
        following[0] in ("please", "pls") and (len(following) == 1 or following[1] in _AFTER_NOUN)
    )


def _closing_request(message: Message) -> CreateRequest | None:
    """ "…, ticket pls", "…, new tkt", "…, log it", "…, log as urgent", "need this logged:"."""
    words = message.words
    spoken = [i for i, t in enumerate(message.tokens) if t.kind != "mark" and not t.quoted]
    if not spoken:
        return None
    last_clause = clauses(message)[-1] if clauses(message) else None
    if last_clause is not None and last_clause.first > 0:
        said = [w for w in last_clause.words]
        if (
            said
            and all(w in _CLOSING or w in lx.PRIORITY_NOUNS or w in _CLOSING_LEVELS for w in said)
            and any(w in ("ticket", "one") for w in said)
            and not negated_at(message, last_clause.first)
        ):
            return CreateRequest(last_clause.first, last_clause.last)
    for i in spoken:
        if words[i] not in lx.LOG_VERBS:
            continue
        nxt = words[i + 1 : i + 3]
        prev = words[i - 1] if i > 0 else ""
        numbered = message.tokens[i + 2 : i + 3] and message.tokens[i + 2].kind == "number"
        if nxt[:1] in ([":"], ["-"]) and all(w in _OPENING for w in words[:i]) and not numbered:
            return CreateRequest(i, i)  # "log: …", "pls log - …"
        if (
            nxt[:1] in (["it"], ["this"])
            or nxt[:1] == ["as"]
            or (prev in ("this", "it") and words[i] in ("logged", "filed", "raised"))
        ):
            end = i + (1 if nxt[:1] in (["it"], ["this"]) else 0)
            if not negated_at(message, i):
                return CreateRequest(i - (1 if prev in ("this", "it") else 0), end)
    return None


def _label_opening(message: Message, start: int) -> CreateRequest | None:
    """ "p1 pls - card machine…", "p1, network: internet down": a priority label, then the
    issue after a colon or dash."""
    for boundary in range(start, min(start + 6, len(message.tokens))):
        token = message.tokens[boundary]
        if token.kind == "mark" and token.word in (":", "-"):
            label = tuple(w for w in message.words[start:boundary] if w not in (",",))
            if label and is_label(label) and priority_of(label) is not None:
                return CreateRequest(start, boundary, sure=True)
            return None
    return None


# -- the ticket's fields -----------------------------------------------------------------


def create_arguments(message: Message, request: CreateRequest) -> dict[str, Any] | None:
    """create_ticket arguments, or None when the message does not say what the issue is."""
    body = _issue_clauses(message, request)
    if not body:
        return None
    texts = [c.text(message) for c in body]
    if _vague(body):
        return None
    described = message.source[
        message.tokens[body[0].first].start : message.tokens[body[-1].last].end
    ]
    arguments: dict[str, Any] = {
        "title": make_title(
            _titled(message) or _quoted_title(message, body) or _title_text(message, body)
        ),
        "description": _sentence(described if texts else ""),
    }
    unquoted = [t.word for t in message.tokens if not t.quoted]
    priority = _priority(message, unquoted)
    if priority is not None:
        arguments["priority"] = priority
    category = category_of(unquoted) or _label_category(message) or infer_category(unquoted)
    if category is not None:
        arguments["category"] = category
    return arguments


def _priority(message: Message, words: list[str]) -> lx.Priority | None:
    """A label clause ("high prio", "p1 pls"), else a strong word anywhere ("urgent",
    "asap", "not urgent"), else "high"/"low" next to "priority", "as", "ticket"."""
    for clause in clauses(message):
        if is_label(clause.words) and (found := priority_of(clause.words)) is not None:
            return found
    strong = priority_of(words, STRONG_PRIORITIES)
    if strong is not None:
        return strong
    for i, word in enumerate(words):
        near = set(words[max(0, i - 2) : i + 3])
        if word in lx.WEAK_PRIORITY_WORDS and near & (lx.PRIORITY_NOUNS | _NEAR_WEAK):
            return priority_of([word])
    return None


_NEAR_WEAK: Final = lx.words("as ticket one request tkt")


def _label_category(message: Message) -> str | None:
    for clause in clauses(message):
        if is_label(clause.words):
            found = [w for w in clause.words if w in lx.CATEGORY_NAMES]
            if found:
                return found[0]
    return None


def describes_a_problem(words: list[str]) -> bool:
    return bool(set(words) & _PROBLEM_WORDS - lx.words("new need needs wants request install"))


def infer_category(words: list[str]) -> str | None:
    """The category the issue's words point to most (ties: the earlier row)."""
    best, score = None, 0
    said = set(words) | {f"{a} {b}" for a, b in itertools.pairwise(words)}
    for category, hints in lx.CATEGORY_HINTS.items():
        hits = len(said & hints)
        if hits > score:
            best, score = category, hits
    return best


def _issue_clauses(message: Message, request: CreateRequest) -> list[Clause]:
    """The clauses that describe the issue: after the request if it says anything, else
    before it; never the request itself, a label ("high prio") or a courtesy."""
    after = [c for c in clauses(message, request.last + 1) if _content(message, c)]
    before = [c for c in clauses(message, 0, request.first - 1) if _content(message, c)]
    chosen = after or before
    # a second request ends the issue: "…being frozen and assign it to tom"
    return [_until_another_request(message, c) for c in chosen if c.words]


def _content(message: Message, clause: Clause) -> bool:
    words = tuple(w for w in clause.words if w not in ("for", "about", "that", "to", "with"))
    return (
        bool(words)
        and not is_label(words)
        and not is_courtesy(words)
        and not (
            len(words) <= 2
            and all(w in lx.CREATE_FILLERS | {"pls", "please", "it", "as"} for w in words)
        )
    )


_SECOND_REQUEST: Final = lx.words("assign give close resolve escalate bump mark")


def _until_another_request(message: Message, clause: Clause) -> Clause:
    words = clause.words
    for k in range(1, len(words) - 1):
        if words[k] == "and" and words[k + 1] in _SECOND_REQUEST:
            return Clause(clause.first, clause.first + k - 1, words[:k])
    return clause


def _vague(body: list[Clause]) -> bool:
    words = tuple(
        w for c in body for w in c.words if w not in ("can", "you", "please", "log", "it")
    )
    if not words or any(words[: len(v)] == v and len(words) <= len(v) + 2 for v in _VAGUE):
        return True
    return not _names_a_problem(words)


_PLACEHOLDERS: Final = lx.words("thing things stuff")
_SMALL_WORDS: Final = lx.words("a an the for about to with on of my our his her their")


def _names_a_problem(words: tuple[str, ...]) -> bool:
    """ "the printer thing", "dana pls": a person or a placeholder, nothing that is wrong or
    wanted; asked about rather than logged."""
    hints = {w for h in lx.CATEGORY_HINTS.values() for w in h}
    said = [w for w in words if w not in _SMALL_WORDS and w.isalnum()]
    problem = bool(set(said) & _PROBLEM_WORDS)
    if set(said) & _PLACEHOLDERS and not problem:
        return False
    return problem or bool(set(said) & hints) or len(said) > 2


def _titled(message: Message) -> str | None:
    """ "a ticket titled 'Projector bulb replacement'": the title as written."""
    i = message.find(("titled",)) or message.find(("called",))
    if i is None:
        return None
    quoted = [t for t in message.tokens[i + 1 :] if t.quoted]
    if not quoted:
        return None
    return message.source[quoted[0].start : quoted[-1].end].strip("'\" ")


_QUOTE_BREAKS: Final = re.compile(r"[.!?;:{}<>\[\]\n]|,\s|\s-\s")


def _quoted_title(message: Message, body: list[Clause]) -> str | None:
    """The first real clause of a pasted passage ("Hi, our VPN is down since 8. P.S. …" →
    "our VPN is down since 8")."""
    quoted = [t for c in body for t in message.tokens[c.first : c.last + 1] if t.quoted]
    if not quoted:
        return None
    passage = message.source[quoted[0].start : quoted[-1].end].strip("\"' ")
    for piece in _QUOTE_BREAKS.split(passage):
        piece = _strip_reporter(piece.strip(" \"'"))
        if len(piece.split()) >= 2 or (piece and any(c.isdigit() for c in piece)):
            return piece
    return None


def _title_text(message: Message, body: list[Clause]) -> str:
    """The clause that names the problem (a device or app, something wrong), joined with the
    next one when it is only two or three words ("Kitchen tv: no picture from the hdmi")."""
    scored = sorted(range(len(body)), key=lambda k: (-_problem_score(body[k]), k))
    best = scored[0]
    text = _strip_reporter(body[best].text(message))
    short = len(text.split()) <= 3
    if short and best + 1 < len(body) and not is_label(body[best + 1].words):
        text = f"{text}: {_strip_reporter(body[best + 1].text(message))}"
    return text


def _problem_score(clause: Clause) -> int:
    words = set(clause.words)
    hints = {w for h in lx.CATEGORY_HINTS.values() for w in h}
    score = 2 * bool(words & hints) + bool(words & _PROBLEM_WORDS)
    if any(clause.words[k : k + len(p)] == p for p in _A_CALL for k in range(len(clause.words))):
        return min(score, 0)  # "just had maria on the phone": who called, not the problem
    if words <= _WHO_WHERE | lx.words("on the in at a an 5th 2nd 3rd") or (
        clause.words and clause.words[0] in _WHO_WHERE and len(clause.words) <= 3
    ):
        score -= 2
    return score


def _strip_reporter(text: str) -> str:
    text = text.strip(" \"'")
    for _ in range(3):
        stripped = _REPORTED_BY.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    return text


def make_title(text: str) -> str:
    title = text.strip(" .,;:!-\"'")
    title = re.sub(r"^(?:for|about|that|to|re|with|regarding)\s+", "", title, flags=re.I)
    title = _strip_reporter(title).strip(" .,;:!-\"'")
    title = re.sub(r"[\w']+", lambda w: w[0].upper() if w[0].lower() in _ACRONYMS else w[0], title)
    title = fit_title(title)
    return capitalise(title) if title else "New ticket"


def fit_title(title: str) -> str:
    """At most TITLE_MAX_CHARS, cut at a word with an ellipsis (ticket and chat titles alike)."""
    if len(title) <= TITLE_MAX_CHARS:
        return title
    return title[: TITLE_MAX_CHARS - 1].rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"


def _sentence(text: str) -> str:
    text = capitalise(text.strip(" ,;:-"))
    return text if text[-1:] in ".!?…" else text + "."


def capitalise(text: str) -> str:
    first = re.match(r"[\w']+", text)
    if first is not None and first.group(0).lower() in _ACRONYMS:
        return first.group(0).upper() + text[first.end() :]
    return text[:1].upper() + text[1:]
