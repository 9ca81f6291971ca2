"""Tool results → the offline assistant's Markdown answer (results.py reads them).

Ticket numbers in replies come only from results or from the call's own arguments.
"""

from collections.abc import Callable, Sequence
from typing import Any, Final

from deskpilot.llm.offline.lexicon import STATUS_LABELS
from deskpilot.llm.offline.plan import Plan
from deskpilot.llm.offline.results import ToolOutcome, error_of, ticket_of, tickets_of
from deskpilot.llm.offline.texts import asides_text


def final_reply(plan: Plan, outcomes: Sequence[ToolOutcome]) -> str:
    reply = _reply(plan, outcomes)
    asides = asides_text(plan.asides)
    return f"{reply}\n\n{asides}" if asides else reply


def _reply(plan: Plan, outcomes: Sequence[ToolOutcome]) -> str:
    if plan.intent == "attached":
        return attached_reply(plan, outcomes)
    several = len(outcomes) > 1
    parts = [_write(o, plan, several) for o in outcomes]
    if not parts:
        return "I didn't get any results back, so I have nothing to report."
    if len(parts) == 1:
        return parts[0]
    if all("\n" not in part for part in parts):
        only_reads = all(o.name == "get_ticket" for o in outcomes)
        head = "Here are the tickets:" if only_reads else "Here's what happened:"
        return head + "\n\n" + "\n".join(f"- {part}" for part in parts)
    return "\n\n".join(parts)


# ---- formatting ----------------------------------------------------------------------


def ref(ticket: dict[str, Any], fallback: Any = None) -> str:
    number = ticket.get("number", fallback)
    return f"**#{number}**" if number is not None else "the ticket"


def label(status: Any) -> str:
    return STATUS_LABELS.get(str(status), str(status))


def facts(ticket: dict[str, Any], *, with_status: bool = True) -> str:
    values = [label(ticket.get("status")) if with_status else None, ticket.get("priority")]
    values.append(ticket.get("category"))
    return ", ".join(str(v) for v in values if v)


def line(ticket: dict[str, Any]) -> str:
    details = facts(ticket)
    return f"{ref(ticket)} — {ticket.get('title', '(untitled)')}" + (
        f" ({details})" if details else ""
    )


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


def _short(text: Any, limit: int) -> str:
    flat = " ".join(str(text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + "…"


def _note_body(note: Any) -> str:
    if isinstance(note, dict):
        return str(note.get("body") or note.get("text") or note.get("content") or "")
    return str(note)


_REFUSALS: Final = frozenset({"refused", "forbidden", "not_approved"})


def failure(outcome: ToolOutcome, code: str, message: str) -> str:
    args = outcome.arguments
    target = f"#{args['ticket_id']}" if "ticket_id" in args else "the ticket"
    if code == "not_approved":  # the agent rejected the proposed change
        return declined(outcome, target)
    if code == "already_done":  # by the reply a regenerate replaced (chat/replacing.py)
        error = outcome.data.get("error")
        done = error.get("done") if isinstance(error, dict) else None
        return _sentence(
            f"Already done by the earlier reply ({done or target}); I didn't do it again"
        )
    action = {
        "create_ticket": "create the ticket",
        "get_ticket": f"load {target}",
        "update_ticket": f"update {target}",
        "search_tickets": f'search for "{args.get("query", "")}"',
    }.get(outcome.name, f"run {outcome.name}")
    lead = "I wasn't allowed to" if code in _REFUSALS else "I couldn't"
    return _sentence(f"{lead} {action}: {message}")


def declined(outcome: ToolOutcome, target: str) -> str:
    error = outcome.data.get("error")
    reason = error.get("reason") if isinstance(error, dict) else None
    done = (
        "didn't create the ticket"
        if outcome.name == "create_ticket"
        else f"left {target} as it was"
    )
    because = f" (your reason: {_short(reason, 200)})" if reason else ""
    return f"Understood: I {done}{because}."


# ---- one writer per tool -----------------------------------------------------------------


def _write(outcome: ToolOutcome, plan: Plan, several: bool) -> str:
    """A failed call reads the same whatever the tool, so writers see only successes."""
    if (error := error_of(outcome)) is not None:
        return failure(outcome, *error)
    return _WRITERS.get(outcome.name, _unknown_tool)(outcome, plan, several)


def _created(outcome: ToolOutcome, plan: Plan, several: bool) -> str:
    ticket = ticket_of(outcome.data)
    if ticket is None:
        return "The ticket was created, but the result didn't include its details."
    details = facts(ticket, with_status=False)
    return f"Created ticket {ref(ticket)} — {ticket.get('title')}" + (
        f" ({details})." if details else "."
    )


def _found(outcome: ToolOutcome, plan: Plan, several: bool) -> str:
    ticket = ticket_of(outcome.data)
    if ticket is None:
        return "I looked the ticket up, but the result didn't include its details."
    if several:
        return line(ticket)
    return ticket_card(ticket)


def ticket_card(ticket: dict[str, Any]) -> str:
    assignee = ticket.get("assignee")
    who = assignee.get("name") if isinstance(assignee, dict) else assignee
    rows = [
        f"{ref(ticket)} — **{ticket.get('title', '(untitled)')}**",
        "",
        f"- Status: {label(ticket.get('status'))}",
        f"- Priority: {ticket.get('priority') or 'not set'}",
        f"- Category: {ticket.get('category') or 'none'}",
        f"- Assignee: {who or 'unassigned'}",
    ]
    if ticket.get("source"):
        rows.append(f"- Source: {ticket['source']}")
    if ticket.get("description"):
        rows += ["", _short(ticket["description"], 400)]
    notes = [n for n in (ticket.get("notes") or []) if _note_body(n)]
    if notes:
        which = "Latest note" if len(notes) == 1 else f"Latest of {len(notes)} notes"
        rows += ["", f"{which}: “{_short(_note_body(notes[-1]), 200)}”"]
    return "\n".join(rows)


def _updated(outcome: ToolOutcome, plan: Plan, several: bool) -> str:
    ticket = ticket_of(outcome.data) or {}
    asked = outcome.arguments
    changes = outcome.data.get("changes")
    if isinstance(changes, list):
        done = [_change(c) for c in changes]
    else:  # no change list: report what was asked, which the tool accepted
        done = [
            f"{k} is now {label(asked[k])}"
            for k in ("status", "priority", "assignee")
            if k in asked
        ]
    if outcome.data.get("note_added", bool(asked.get("notes"))) and not any(
        "note" in d for d in done
    ):
        done.append("note added")
    status_changed = any(isinstance(c, dict) and c.get("field") == "status" for c in changes or [])
    already = ""
    if isinstance(changes, list) and "status" in asked and not status_changed:
        already = f"it was already {label(asked['status'])}"
    head = f"{ref(ticket, asked.get('ticket_id'))} — {ticket.get('title', '')}".rstrip(" —")
    if not done:
        return f"Nothing changed on {head}" + (f": {already}." if already else ".")
    return f"Updated {head}: {', '.join(done)}" + (f" ({already})" if already else "") + "."


def _change(change: Any) -> str:
    if not isinstance(change, dict):
        return str(change)
    field = str(change.get("field", "field"))
    if "note" in field:
        return "note added"
    old = change.get("old_value", change.get("old", change.get("from")))
    new = change.get("new_value", change.get("new", change.get("to")))
    shown = label if field == "status" else str
    return f"{field} {shown(old)} → {shown(new)}" if old is not None else f"{field} → {shown(new)}"


def _searched(outcome: ToolOutcome, plan: Plan, several: bool) -> str:
    hits = tickets_of(outcome.data)
    query = str(outcome.data.get("query", outcome.arguments.get("query", "")))
    status = outcome.arguments.get("status")
    scope = f"{label(status)} " if status and status != "all" else ""
    noun = "ticket" if len(hits) == 1 else "tickets"
    what = f'{scope}{noun} matching "{query}"' if query else f"{scope}{noun}"
    if not hits:
        tip = " Try a broader word or another status." if query or scope else ""
        return f"I found no {what}.{tip}"
    if plan.priorities:
        return _by_priority(hits, plan, query)
    total = outcome.data.get("total")
    head = f"Most recently updated {what}:" if not query else f"Found {len(hits)} {what}:"
    if isinstance(total, int) and total > len(hits):
        head = head[:-1] + f" (showing {len(hits)} of {total}):"
    return head + "\n\n" + "\n".join(f"- {line(t)}" for t in hits)


def _by_priority(hits: list[dict[str, Any]], plan: Plan, query: str) -> str:
    wanted = [t for t in hits if t.get("priority") in plan.priorities]
    others = len(hits) - len(wanted)
    head = f'Search can\'t filter by priority, so I searched ticket text for "{query}".'
    if not wanted:
        return f"{head} None of the {len(hits)} hits has {query} priority."
    body = "\n".join(f"- {line(t)}" for t in wanted)
    tail = ""
    if others:
        who = "1 other hit mentions" if others == 1 else f"{others} other hits mention"
        tail = f"\n\n{who} “{query}” but {'has' if others == 1 else 'have'} another priority."
    return f"{head} These have {query} priority:\n\n{body}{tail}"


def _unknown_tool(outcome: ToolOutcome, plan: Plan, several: bool) -> str:
    return f"The {outcome.name} tool answered, but I can't read its result."


Writer = Callable[[ToolOutcome, Plan, bool], str]  # (result, plan, one of several results)
_WRITERS: Final[dict[str, Writer]] = {
    "create_ticket": _created,
    "get_ticket": _found,
    "update_ticket": _updated,
    "search_tickets": _searched,
}


# ---- attached tickets ----------------------------------------------------------------

_PRIORITY_PHRASES: Final = {
    frozenset({"urgent"}): "urgent",
    frozenset({"high", "urgent"}): "high or urgent priority",
}


def attached_reply(plan: Plan, outcomes: Sequence[ToolOutcome]) -> str:
    tickets = [t for o in outcomes if not error_of(o) and (t := ticket_of(o.data)) is not None]
    problems = [failure(o, *e) for o in outcomes if (e := error_of(o)) is not None]
    tail = ("\n\n" + "\n".join(problems)) if problems else ""
    count = "the attached ticket" if len(outcomes) == 1 else f"the {len(outcomes)} attached tickets"
    if not tickets:
        return f"I couldn't load {count}.{tail}"
    if not plan.priorities and not plan.statuses:
        rows = [f"- {line(t)}: {_short(t.get('description'), 140)}" for t in tickets]
        return f"Here's a summary of {count}:\n\n" + "\n".join(rows) + tail
    wanted = [t for t in tickets if _matches(t, plan)]
    condition = _condition(plan)
    if len(outcomes) == 1:
        verdict = "is" if wanted else "is not"
        return f"The attached ticket {verdict} {condition}:\n\n- {line(tickets[0])}{tail}"
    if not wanted:
        listing = "\n".join(f"- {line(t)}" for t in tickets)
        return f"None of {count} are {condition}. For reference:\n\n{listing}{tail}"
    verb = "is" if len(wanted) == 1 else "are"
    listing = "\n".join(f"- {line(t)}" for t in wanted)
    return f"{len(wanted)} of {count} {verb} {condition}:\n\n{listing}{tail}"


def _matches(ticket: dict[str, Any], plan: Plan) -> bool:
    return (not plan.priorities or ticket.get("priority") in plan.priorities) and (
        not plan.statuses or ticket.get("status") in plan.statuses
    )


def _condition(plan: Plan) -> str:
    """ "urgent", "high or urgent priority", "open or in progress", "urgent and open"."""
    parts: list[str] = []
    if plan.priorities:
        default = " or ".join(sorted(plan.priorities)) + " priority"
        parts.append(_PRIORITY_PHRASES.get(plan.priorities, default))
    if plan.statuses:
        ordered = sorted(plan.statuses, key=list(STATUS_LABELS).index)
        parts.append(" or ".join(label(s) for s in ordered))
    return " and ".join(parts)
