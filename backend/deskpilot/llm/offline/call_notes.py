"""Pasted call notes or a transcript → who called and what about (the offline intake).

`read_call(text)` is pure. It claims, in this order, what the note's words are: e-mail
addresses, phone numbers (10–15 digits, or a leading "+"; an extension "x4412" or
"ext. 4412" is claimed as an extension, never a phone), then the caller's name and
organisation from the note's shapes:

  "Maria Lopez from Acme called from +1 555 010 2030, the printer jams again"
  "Call from Sofia Bianchi (Initech) 555.010.3377 - VPN drops every hour"
  "Voicemail - dana @ Globex, 5550102299: can't log in"
  "Walk-in: Raj Patel / Umbrella / monitor flickers"
  "Caller: Hi, this is Maria from Acme. ... Agent: ... Caller: my number is ..."

and the problem: what is left once the caller's part is cut off. Numbers left in the
problem (floors, quantities, extensions) are never ticket references here: intake writes
only to the ticket its duplicate check found.
"""

import re
from dataclasses import dataclass
from typing import Final

from deskpilot.llm.offline import lexicon as lx
from deskpilot.llm.offline.issue_title import make_title
from deskpilot.services.tickets.refs import ticket_numbers_in

# Words that make a message call notes (with a phone, an e-mail or a caller's name).
_CALL_WORDS: Final = re.compile(
    r"\b(?:called|calls|calling|rang|phoned|call(?:ed)?\s+in|on\s+the\s+(?:phone|line)"
    r"|call\s+(?:from|with)|phone\s+call|voicemail|voice\s*mail|vm\s+from|missed\s+call"
    r"|walk[\s-]?in|walked\s+in|caller|inbound\s+call|call\s+back|callback|left\s+a\s+message"
    r"|off\s+the\s+phone|spoke\s+(?:to|with)|talked\s+(?:to|with))\b",
    re.IGNORECASE,
)
_TRANSCRIPT: Final = re.compile(r"^\s*(caller|customer|agent|me|them|c|a)\s*:", re.I | re.M)
_EMAIL: Final = re.compile(r"[\w.+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_EXTENSION: Final = re.compile(r"\b(?:ext\.?|extension|x)\s?#?\d{2,6}\b", re.IGNORECASE)
_PHONE: Final = re.compile(r"(?<![\w.])\+?\(?\d[\d\s().\-/]{5,20}\d(?![\w])")
_NAME_WORD: Final = (
    r"(?:[A-ZÀ-Þ]'[A-Z][a-zà-ÿ]+|[A-ZÀ-Þ][a-zà-ÿ]+(?:[-'][A-Za-zÀ-ÿ]+)*|[A-Z]\.?(?=[\s,]))"
)
_NAME: Final = rf"(?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?{_NAME_WORD}(?:\s+(?:(?:de|da|van|von|del|la|le|di)\s+)?{_NAME_WORD}){{0,2}}"
_ANY_NAME: Final = r"[A-Za-zÀ-ÿ][a-zà-ÿ'’-]+(?:\s+[A-Za-zÀ-ÿ][a-zà-ÿ'’-]+)?"
_ORG_WORD: Final = r"(?:[A-Z][\w&'-]*(?:\.(?=\w))?[\w&'-]*)"
_ORG: Final = rf"{_ORG_WORD}(?:[ \t]+(?:&[ \t]+)?{_ORG_WORD}){{0,3}}"
# Not names: words a note starts with or says about the call.
_NOT_NAMES: Final = lx.words(
    """caller customer agent call calls voicemail vm missed walk walk-in walked inbound
    outbound hi hello hey thanks thank this it its my the a an i we they he she someone
    somebody user client phone number ticket note notes re subject from at with called
    rang phoned urgent asap new again issue problem printer email e-mail mr mrs ms dr
    yes no ok okay sure please pls morning afternoon evening today yesterday"""
)
# Departments: "dana (hr)", "Raj from finance" name a team, not an organisation.
_DEPARTMENTS: Final = lx.words(
    """hr it finance accounting accounts legal sales marketing reception payroll facilities
    ops operations support admin procurement purchasing warehouse logistics engineering
    security office front desk management exec executive research"""
)
_INTRO: Final = re.compile(
    rf"\b(?:this\s+is|it'?s|my\s+name\s+is|name'?s|i'?m|i\s+am|calling\s+is)\s+({_ANY_NAME})",
    re.IGNORECASE,
)
_LEAD_IN: Final = re.compile(
    r"(?:^|[.;\n]\s*)(?:(?:inbound\s+|phone\s+|missed\s+)?call(?:er)?|voice\s*mail|vm|walk[\s-]?in"
    r"|callback(?:\s+request)?|message)\s*(?:from|with|by|:|-)\s*(?:from\s+)?",
    re.IGNORECASE,
)
_AFTER_NAME: Final = re.compile(
    r"\s*(?:(?:from|at|of|with|@)\s+|\(|,\s*(?=[A-Z][\w&]*\s*(?:[,/\-(]|called|rang|phoned))"
    r"|\s[-/|]\s|/)",
)


@dataclass(frozen=True)
class CallNote:
    """What a pasted note says about a call: who, how to reach them, what about."""

    name: str | None
    organization: str | None
    phone: str | None  # as written
    email: str | None
    problem: str  # the note without its caller part
    title: str  # a ticket title for the problem
    text: str  # the whole note (the call's summary)
    transcript: bool

    def queries(self) -> list[str]:
        """What to look the caller up by, best first: phone, e-mail, name."""
        found = [q for q in (self.phone, self.email, self.name) if q]
        return list(dict.fromkeys(found))


_FILLERS: Final = re.compile(r"\b(?:uh|um|erm|er|uhm)\b,?\s*", re.IGNORECASE)
_LABEL_WORDS: Final = lx.words(
    """note notes agent cb req request callback call back walk walk-in in no phone vm
    voicemail missed msg message inbound outbound update ticket re"""
)
_HEADER: Final = re.compile(r"\s*((?:\d{1,2}:\d{2}|[^:\n]){1,40}?)\s*(?::(?!\d)|\s[-–]\s)\s*")
_NAMED: Final = re.compile(
    rf"\b(?i:guy|man|woman|lady|someone|somebody|person|chap|bloke|user)\s+(?i:called|named)\s+"
    rf"({_NAME}|{_ANY_NAME})"
)
_LEAD: Final = re.compile(
    r"(?:^|[.;,\n]\s*)(?:(?:inbound\s+|phone\s+|missed\s+)?call(?:er)?|voice\s*mail|vm|walk[\s-]?in"
    r"|spoke|talked|chatted|message|on\s+the\s+phone)\s*(?:from|with|w/|to|by|:|-)\s*",
    re.IGNORECASE,
)
_AGAIN: Final = re.compile(rf"(?:^|[,.;:]\s*)({_ANY_NAME})\s+(?:\([^)]*\)\s+)?again\b")
_REPORT_VERB: Final = re.compile(
    r"\b(?:called|calls|rang|phoned|reports|reported|says|said|walked\s+in"
    r"|left\s+(?:a\s+)?(?:vm|voicemail|message))\b",
    re.IGNORECASE,
)
_CONTACT_BIT: Final = re.compile(
    rf"{_EMAIL.pattern}|{_EXTENSION.pattern}|\+?\(?\d[\d\s().\-]{{6,}}\d", re.IGNORECASE
)
_PLACES: Final = lx.words(
    """home work the office site reception floor desk building outside abroad there here
    his her their my our a an upstairs downstairs lunch holiday"""
)


def looks_like_call_notes(text: str, *, desk_emails: frozenset[str] = frozenset()) -> bool:
    """Whether a message is notes of a call (rather than a request to the copilot): a
    transcript, or words of a call or a caller's phone or e-mail with someone's name."""
    if re.search(r"^\s*(?:caller|customer)\s*:", text, re.I | re.M):
        return True
    emails = {e.casefold() for e in _EMAIL.findall(text)} - desk_emails
    phone = _phone_in(_EXTENSION.sub(" ", _EMAIL.sub(" ", text)))
    if ticket_numbers_in(_CONTACT_BIT.sub(" ", text)):
        return False  # "dana on ext 4412 asking about 31": a request about a ticket
    name = _name_and_org(text)[0]
    if _CALL_WORDS.search(text):
        return bool(emails or phone or name)
    return bool(name and (emails or phone or _EXTENSION.search(text)))


def read_call(text: str, *, desk_emails: frozenset[str] = frozenset()) -> CallNote | None:
    """The call a note describes, or None when the message is not call notes."""
    text = text.strip()
    if not text or not looks_like_call_notes(text, desk_emails=desk_emails):
        return None
    transcript = bool(re.search(r"^\s*(?:caller|customer)\s*:", text, re.I | re.M))
    email_match = _EMAIL.search(_callers_part(text))
    email = email_match.group(0).rstrip(".") if email_match else None
    phone = _phone_in(_EMAIL.sub(" ", _EXTENSION.sub(" ", _callers_part(text))))
    name, organization = _name_and_org(text)
    problem = _problem(text, transcript, name, organization)
    return CallNote(
        name=name,
        organization=organization,
        phone=phone,
        email=email,
        problem=problem,
        title=_title(problem, name),
        text=text,
        transcript=transcript,
    )


def _phone_in(text: str) -> str | None:
    for match in _PHONE.finditer(text):
        candidate = match.group(0).strip(" -./")
        if candidate.count("(") != candidate.count(")"):
            candidate = candidate.strip("()")
        digits = re.sub(r"\D", "", candidate)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}", candidate):
            continue  # a date
        if 10 <= len(digits) <= 15 or (candidate.startswith("+") and 8 <= len(digits) <= 15):
            return candidate
    return None


def _prepared(text: str) -> str:
    """The part of a note that says who called: a transcript's caller lines, without
    fillers ("uh"), greetings and a leading label ("Agent notes 14:05 -", "cb req:")."""
    part = _FILLERS.sub("", _callers_part(text))
    header = _HEADER.match(part)
    if header:
        words = re.findall(r"[a-z][a-z-]*|\d{1,2}:\d{2}", header.group(1).lower())
        if words and all(w in _LABEL_WORDS or ":" in w for w in words):
            part = part[header.end() :]
    return re.sub(
        r"^(?:\s*(?:yeah|yes|hi|hello|hey|morning|good\s+\w+)\b[,!.]?)+\s*", "", part, flags=re.I
    )


def _name_and_org(text: str) -> tuple[str | None, str | None]:
    """The caller's name and organisation, from the first shape that fits."""
    part = _prepared(text)
    for finder in (_from_intro, _from_named, _from_lead_in, _from_again, _from_reported):
        found = finder(part)
        if found is not None:
            return found
    return _from_opening(part) or (None, None)


def _callers_part(text: str) -> str:
    """A transcript's caller lines; other notes as written."""
    lines = re.findall(r"^\s*(?:caller|customer|c)\s*:\s*(.*)$", text, re.I | re.M)
    return "\n".join(lines) if lines else text


def _found(part: str, name: str, start: int) -> tuple[str, str | None] | None:
    """The name found at `start` (trimmed), and the organisation said right after it."""
    trimmed = _trim_name(name)
    if not trimmed:
        return None
    end = part.index(trimmed, start) + len(trimmed)
    if trimmed[:1].islower() and not _lower_name_ok(name, trimmed, part[end:]):
        return None
    return _clean_name(trimmed), _org_after(part, end)


_COMMON: Final = lx.words(
    """room back now working broke about at on in to for of and or but just still also
    back up down out over off again all any some every one two three see said says"""
)
_AFTER_LOWER_NAME: Final = re.compile(
    r"\s*(?:\(|,|\s[-–/|]\s|/|x\d|ext|\+?\(?\d{3}|again\b|from\s|at\s|@)", re.IGNORECASE
)


def _lower_name_ok(found: str, name: str, rest: str) -> bool:
    """A name written in lower case ("call w/ dana (hr)", "maria again"): only when no word
    was cut from its front, none is a word of the lexicon, and a caller's detail follows."""
    if not found.replace("’", "'").startswith(name):
        return False
    for word in name.lower().split():
        if word in _COMMON | lx.PROBLEM_WORDS | _PLACES | _DEPARTMENTS or word in _HINTS:
            return False
    return bool(_AFTER_LOWER_NAME.match(rest))


def _org_after(part: str, end: int) -> str | None:
    """The organisation right after a name: "(Acme)", "from Acme", "at Acme", "@ Acme",
    ", Acme,", " - Acme -", "/ acme /"."""
    rest = part[end:]
    paren = re.match(r"\s*\(([^)]{1,60})\)", rest)
    if paren:
        return _organisation(paren.group(1), lower_ok=True)
    match = re.match(
        rf"\s*(?:(from|at|of|with|@)\s*,?\s*|(\s[-–/|]\s*|/\s*)|(,\s*))({_ORG}|[a-z][\w&'-]+)",
        rest,
    )
    if match is None:
        return None
    word, separator, comma, org = match.groups()
    lower_ok = bool(separator or (word and word != "with"))
    if comma and not org[:1].isupper():
        return None
    return _organisation(org, lower_ok=lower_ok)


def _from_intro(part: str) -> tuple[str, str | None] | None:
    match = _INTRO.search(part)
    return _found(part, match.group(1), match.start(1)) if match else None


def _from_named(part: str) -> tuple[str, str | None] | None:
    match = _NAMED.search(part)
    return _found(part, match.group(1), match.start(1)) if match else None


def _from_lead_in(part: str) -> tuple[str, str | None] | None:
    for lead in _LEAD.finditer(part):
        rest = part[lead.end() :]
        match = re.match(rf"(?:the\s+)?({_NAME}|{_ANY_NAME})", rest)
        if match is not None:
            name = _trim_name(match.group(1))
            if name:
                return _found(part, name, lead.end() + match.start(1))
    return None


def _from_again(part: str) -> tuple[str, str | None] | None:
    match = _AGAIN.search(part)
    return _found(part, match.group(1), match.start(1)) if match else None


def _from_reported(part: str) -> tuple[str, str | None] | None:
    """ "Maria Lopez (Acme) called …", "Mr. Patel (Globex) reports …": the name before
    the verb, at the note's start."""
    verb = _REPORT_VERB.search(part)
    if verb is None:
        return None
    match = re.match(rf"\s*({_NAME})", part[: verb.start()])
    return _found(part, match.group(1), match.start(1)) if match else None


def _from_opening(part: str) -> tuple[str, str | None] | None:
    """A name opening the note: "Maria Lopez @ Acme - …", "Li Wei, Umbrella Health, …",
    "raj patel / globex / …", "kevin obrien acme 5550102299 - …", "dana x4412 - …"."""
    match = re.match(rf"\s*({_NAME})(?=\s*(?:[-–/|,(@:]|from\s|at\s|of\s|on\s|\+?\d))", part)
    if match is not None:
        return _found(part, match.group(1), match.start(1))
    bit = _CONTACT_BIT.search(part)
    cut = re.search(r"\s[-–/|]\s|[,(:/]", part)
    end = min(x.start() for x in (bit, cut) if x is not None) if (bit or cut) else -1
    words = part[:end].split() if end > 0 else []
    if not 1 <= len(words) <= 3 or not all(re.fullmatch(r"[a-zà-ÿ'’-]+", w) for w in words):
        return None
    if any(w in _NOT_NAMES or w in lx.PROBLEM_WORDS for w in words):
        return None
    name = " ".join(words[:2])
    org = _organisation(words[2], lower_ok=True) if len(words) == 3 else None
    return _clean_name(name), org or _org_after(part, len(part[:end].rstrip()))


def _trim_name(name: str) -> str:
    """A name without words that are not part of it ("Maria Lopez Called")."""
    words = name.replace("’", "'").split()
    while words and words[-1].lower().strip("'.") in _NOT_NAMES | _COMMON:
        words.pop()
    while words and words[0].lower() in _NOT_NAMES:
        words.pop(0)
    if not words or words[0].lower() in _DEPARTMENTS | _PLACES:
        return ""
    return " ".join(words)


def _clean_name(name: str) -> str:
    return name.strip(" ,.")


def _organisation(org: str | None, *, lower_ok: bool) -> str | None:
    if not org:
        return None
    words = org.strip(" .,;:-").split()
    if words and words[0][:1].isupper():  # "Globex new starter": its capitalised words
        kept = [words[0]]
        for word in words[1:]:
            if not word[:1].isupper():
                break
            kept.append(word)
        words = kept
    while len(words) > 1 and words[-1].lower() in _DEPARTMENTS:
        words.pop()
    org = " ".join(words)
    low = org.lower()
    if not org or low in _DEPARTMENTS | _PLACES | _NOT_NAMES or re.fullmatch(r"[\d\W]+", org):
        return None
    if org[:1].islower() and (not lower_ok or low in lx.PROBLEM_WORDS):
        return None
    return org


def _problem(text: str, transcript: bool, name: str | None, organization: str | None) -> str:
    """The note without who called and how to reach them."""
    body = " ".join(_callers_part(text).splitlines()) if transcript else text
    body = _CONTACT_BIT.sub(" ", _FILLERS.sub("", body))
    for known in (name, organization):
        if known:
            body = re.sub(rf"(?i)\b{re.escape(known)}\b", " ", body)
    body = re.sub(r"\(\s*\)", " ", body)  # "(+1 555 …)" once the phone has gone
    body = re.sub(r"\s{2,}", " ", body).strip(" ,.;:-–/|\n")
    while (shorter := _LEADING_JUNK.sub("", body, count=1)) != body:
        body = shorter
    return body


# What is left at the front once the caller's name, organisation and number are cut out:
# "from called from , the printer jams" → "the printer jams"; "call w/ (hr) re phone …" →
# "phone …".
_LEADING_JUNK: Final = re.compile(
    r"^(?:[\s,.;:\-–/|]+|\([^()]{0,30}\)|(?:from|at|of|with|w/|called|calls?|calling|rang"
    r"|phoned|re:?|regarding|about)(?=[\s,.;:/(]|$))",
    re.IGNORECASE,
)


_CLAUSE_BREAKS: Final = re.compile(r"[.!?;:\n]+\s*|\s[-–/|]\s|,\s+|\s*\(|\)\s*")
_HINTS: Final = frozenset(w for hints in lx.CATEGORY_HINTS.values() for w in hints)


def _title(problem: str, name: str | None) -> str:
    """The clause of the problem that names it best (a device or app, something wrong)."""
    clauses = [c.strip(" '\"") for c in _CLAUSE_BREAKS.split(problem) if c and c.strip()]
    if not clauses:
        return "Call from " + (name or "a caller")

    def score(k: int) -> tuple[int, int]:
        words = set(re.findall(r"[a-z0-9-]+", clauses[k].lower().replace("'", "")))
        found = 2 * len(words & _HINTS) + len(words & lx.PROBLEM_WORDS)
        if words <= _NOT_NAMES | _LABEL_WORDS | _PLACES | _DEPARTMENTS:
            found -= 3
        return (-found, k)

    best = min(range(len(clauses)), key=score)
    text = clauses[best]
    if len(text.split()) <= 2 and best + 1 < len(clauses):
        text = f"{text}: {clauses[best + 1]}"
    return make_title(text)
