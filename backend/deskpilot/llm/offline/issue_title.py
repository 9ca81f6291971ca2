"""A new ticket's title: the clause of the issue that names the problem, without who
reported it ("the customer called: printer jammed" → "Printer jammed"), or the title the
agent quoted; also fits chat titles (title.py)."""

import re
from typing import Final

from deskpilot.llm.offline import lexicon as lx
from deskpilot.llm.offline.clauses import Clause, is_label
from deskpilot.llm.offline.text import Message

TITLE_MAX_CHARS: Final = 60
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
_A_CALL: Final = lx.phrases("on the phone", "off the phone", "called", "rang", "phoned")
_WHO_WHERE: Final = lx.words(
    "user users caller customer desk room floor ext extension building site office"
)


def issue_title(message: Message, body: list[Clause]) -> str:
    """The title of the issue described by body (the clauses after or before the request)."""
    return make_title(
        _titled(message) or _quoted_title(message, body) or _title_text(message, body)
    )


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
    score = 2 * bool(words & hints) + bool(words & lx.PROBLEM_WORDS)
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


def capitalise(text: str) -> str:
    first = re.match(r"[\w']+", text)
    if first is not None and first.group(0).lower() in _ACRONYMS:
        return first.group(0).upper() + text[first.end() :]
    return text[:1].upper() + text[1:]
