"""A call taken in from the agent's notes, in one turn (issue 15): the offline assistant's
steps, each decided from the tool results so far (results of earlier rounds included):

1. find_contact by the note's phone, e-mail and name at once (call_notes.py read them);
   by first name only when the full name found no one;
2. find_similar_tickets with the problem and the caller;
3. the writes, proposed together (one grouped card) or made at once: create_contact for
   a caller the desk does not know, then a note on the open ticket the call is about
   (update_ticket) or a new ticket linked to the caller (create_ticket), then log_call
   (the ids a later write needs come from the earlier ones: chat/tools/groups.py);
4. the answer: who called, their open tickets, what was done or proposed.

Numbers in the note are never read as ticket references: the only ticket written to is
the one the duplicate check found. With writes made at once, a found ticket is not
written to (seams.md, "Write scope"): the call is logged on it and the agent is asked
whether to add the notes there; "yes" does it (confirmed_note)."""

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from deskpilot.llm.offline import lexicon as lx
from deskpilot.llm.offline.call_notes import CallNote, read_call
from deskpilot.llm.offline.intake_match import (
    Found,
    caller_in,
    duplicate_in,
    first_name_query,
    name_query,
)
from deskpilot.llm.types import Message

INTAKE_TOOLS: Final = frozenset(
    {"find_contact", "find_similar_tickets", "create_contact", "log_call"}
)
SUMMARY_MAX: Final = 2000
NOTE_QUESTION: Final = "Add the call notes to #{number} as well?"


@dataclass(frozen=True)
class Call:
    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True)
class Done:
    """A call of this turn and what it returned."""

    name: str
    arguments: dict[str, Any]
    data: dict[str, Any]

    @property
    def failed(self) -> bool:
        return "error" in self.data


def calls_so_far(since: Sequence[Message]) -> list[Done]:
    """The turn's calls and their results, across its rounds, in order."""
    asked: dict[str, tuple[str, dict[str, Any]]] = {}
    done: list[Done] = []
    for message in since:
        for call in message.tool_calls:
            try:
                arguments = json.loads(call.arguments or "{}")
            except ValueError:
                arguments = {}
            asked[call.id] = (call.name, arguments if isinstance(arguments, dict) else {})
        if message.role == "tool":
            name, arguments = asked.get(message.tool_call_id or "", (message.tool_name or "", {}))
            try:
                data = json.loads(message.content)
            except ValueError:
                data = {"error": {"message": message.content}}
            done.append(Done(name, arguments, data if isinstance(data, dict) else {}))
    return done


def next_calls(note: CallNote, done: list[Done], *, at_once: bool) -> tuple[str, list[Call]]:
    """The next round's text and calls; no calls: the turn's answer."""
    lookups = [d for d in done if d.name == "find_contact"]
    if not lookups:
        queries = [q for q in (note.phone, note.email, name_query(note)) if q]
        return "", [Call("find_contact", {"query": q}) for q in dict.fromkeys(queries)]
    found = caller_in(note, lookups)
    first = first_name_query(note)
    if found is None and first and not any(d.arguments.get("query") == first for d in lookups):
        return "", [Call("find_contact", {"query": first})]
    similar = [d for d in done if d.name == "find_similar_tickets"]
    if not similar:
        arguments: dict[str, Any] = {"title": note.title, "description": note.problem}
        if found is not None:
            arguments["contact_id"] = found.number
        return "", [Call("find_similar_tickets", arguments)]
    if any(
        d.name in ("create_contact", "create_ticket", "update_ticket", "log_call") for d in done
    ):
        return answer(done), []
    duplicate = duplicate_in(note, similar[-1], found)
    return caller_text(note, found, duplicate), writes(note, found, duplicate, at_once=at_once)


def writes(
    note: CallNote, found: Found | None, duplicate: dict[str, Any] | None, *, at_once: bool
) -> list[Call]:
    calls: list[Call] = []
    if found is None:
        contact = {"name": note.name or "Unknown caller", "phone": note.phone, "email": note.email,
                   "organization": note.organization}  # fmt: skip
        calls.append(Call("create_contact", {k: v for k, v in contact.items() if v}))
    who = f"{note.name or 'caller'}" + (f" ({note.organization})" if note.organization else "")
    log: dict[str, Any] = {"summary": note.text[:SUMMARY_MAX], "direction": "inbound"}
    if found is not None:
        log["contact_id"] = found.number
    if duplicate is not None:
        if not at_once:
            # the agent's own words, not the cut-down problem text
            notes = f"Call from {who}: {note.text}"[:SUMMARY_MAX]
            calls.append(Call("update_ticket", {"ticket_id": duplicate["number"], "notes": notes}))
        log["ticket_id"] = duplicate["number"]
    else:
        ticket: dict[str, Any] = {"title": note.title, "description": note.text}
        if found is not None:
            ticket["contact_id"] = found.number
        calls.append(Call("create_ticket", ticket))
    calls.append(Call("log_call", log))
    return calls


def caller_text(note: CallNote, found: Found | None, duplicate: dict[str, Any] | None) -> str:
    """Who called and what is open for them, said before the writes (their card follows)."""
    if found is None:
        shown = note.name or "This caller"
        said = f"{shown} is not a contact yet: I'll add them."
    else:
        said = f"{found.label()}."
        if found.open_tickets:
            listed = "; ".join(
                f"#{t['number']} {t['title']} ({t['status']})" for t in found.open_tickets[:3]
            )
            said += f" Open tickets: {listed}."
        else:
            said += " No open tickets."
    if duplicate is not None:
        said += f" This looks like #{duplicate['number']} “{duplicate['title']}”."
    return said


def answer(done: list[Done]) -> str:
    """The turn's answer once its writes ran (or were decided)."""
    lines: list[str] = []
    for d in done:
        if d.name not in ("create_contact", "create_ticket", "update_ticket", "log_call"):
            continue
        if d.failed:
            error = d.data.get("error")
            message = error.get("message") if isinstance(error, dict) else error
            lines.append(f"Not done ({d.name}): {message}")
        else:
            lines.append(_done_line(d))
    logged_on = next(
        (d.arguments.get("ticket_id") for d in done if d.name == "log_call" and not d.failed), None
    )
    noted = any(d.name == "update_ticket" and not d.failed for d in done)
    text = " ".join(line.rstrip(".") + "." for line in lines) or "Nothing was changed."
    if isinstance(logged_on, int) and not noted:
        text += " " + NOTE_QUESTION.format(number=logged_on)
    return text


def _done_line(d: Done) -> str:
    if d.name == "create_contact":
        contact = d.data.get("contact") or {}
        return f"Added caller C-{contact.get('number')} {contact.get('name')}"
    if d.name == "create_ticket":
        ticket = d.data.get("ticket") or {}
        return f"Created ticket #{ticket.get('number')} “{ticket.get('title')}” for the caller"
    if d.name == "update_ticket":
        ticket = d.data.get("ticket") or {}
        return f"Added the call notes to #{ticket.get('number')}"
    call = d.data.get("call") or {}
    on = f" on #{call['ticket']}" if call.get("ticket") else ""
    return f"Logged the call{on}"


_NOTE_NUMBER: Final = re.compile(r"Add the call notes to #(\d+) as well\?")


def confirmed_note(
    text: str, previous_request: str | None, previous_reply: str | None
) -> Call | None:
    """ "yes" to "Add the call notes to #47 as well?": the note, from the notes asked about."""
    words = tuple(re.findall(r"[\w']+", text.lower()))
    if words not in lx.CONFIRMATIONS or not previous_request or not previous_reply:
        return None
    asked = _NOTE_NUMBER.search(previous_reply)
    note = read_call(previous_request)
    if asked is None or note is None:
        return None
    who = f"{note.name or 'caller'}" + (f" ({note.organization})" if note.organization else "")
    notes = f"Call from {who}: {note.text}"[:SUMMARY_MAX]
    return Call("update_ticket", {"ticket_id": int(asked.group(1)), "notes": notes})
