"""What a proposed write would do, worked out once from its tool, arguments and snapshot:
the field-by-field diff, the note, the draft of a new ticket, and the headline a card
shows. The write tools' previews (chat/tools) build drafts; stored proposals are described
by the same function (describe), so a card reads the same before and after a reload."""

import uuid
from dataclasses import dataclass, field
from typing import Any

from deskpilot.schemas.proposal import NewTicketDraft, ProposalChange
from deskpilot.schemas.ticket import TicketSummary

# Fields of update_ticket's arguments that change a ticket's own fields (notes are added).
TICKET_FIELDS = ("status", "priority")
STATUS_WORDS = {"open": "Reopen", "in_progress": "Start", "resolved": "Resolve", "closed": "Close"}


@dataclass(frozen=True)
class Description:
    changes: list[ProposalChange]
    note: str | None
    new_ticket: NewTicketDraft | None


def describe(tool: str, arguments: dict[str, Any], snapshot: dict[str, Any]) -> Description:
    """The diff a card shows: each snapshot field from the value the agent saw to the
    arguments' value, the note, or the new ticket's draft."""
    if tool == "create_ticket":
        draft = NewTicketDraft(
            title=str(arguments.get("title", "")),
            description=str(arguments.get("description", "")),
            priority=arguments.get("priority") or "medium",
            category=arguments.get("category") or None,
        )
        return Description(changes=[], note=None, new_ticket=draft)
    seen = snapshot.get("fields") or {}
    changes = [
        ProposalChange(field=name, from_=seen[name], to=arguments.get(name))
        for name in TICKET_FIELDS
        if name in seen and arguments.get(name) is not None
    ]
    if assignee := snapshot.get("assignee"):  # by name, as resolved when proposed
        changes.append(ProposalChange(field="assignee", from_=assignee["from"], to=assignee["to"]))
    return Description(changes=changes, note=arguments.get("notes") or None, new_ticket=None)


def _caller(snapshot: dict[str, Any], arguments: dict[str, Any]) -> str:
    """The caller a write concerns, as a card names them."""
    contact = snapshot.get("contact")
    if isinstance(contact, dict) and contact.get("name"):
        return str(contact["name"])[:60]
    if arguments.get("contact_id") is not None:
        return f"C-{arguments['contact_id']}"
    return "the new caller"


def contact_of(tool: str, result: Any, snapshot: dict[str, Any]) -> dict[str, Any] | None:
    """The caller a contact write concerns (ContactRef's fields): the one it created or
    logged a call for, else the one named when it was proposed."""
    if tool not in ("create_contact", "log_call", "create_ticket"):
        return None
    done = result.get("contact") if isinstance(result, dict) else None
    contact = done if isinstance(done, dict) else snapshot.get("contact")
    if not isinstance(contact, dict) or "id" not in contact:
        return None
    fields = ("id", "number", "name", "organization", "phone")
    return {name: contact.get(name) for name in fields}


def headline(
    tool: str, arguments: dict[str, Any], ticket_number: int | None, snapshot: dict[str, Any]
) -> str:
    """ "Close #12?", "Add a note to #12?", "Create ticket “VPN down”?"."""
    if tool == "create_contact":
        org = arguments.get("organization")
        name = str(arguments.get("name", ""))[:60]
        return f"Add caller “{name}”" + (f" ({str(org)[:60]})?" if org else "?")
    if tool == "log_call":
        on = f" on #{ticket_number}" if ticket_number is not None else ""
        if not on and arguments.get("ticket_id") is not None:
            on = f" on #{arguments['ticket_id']}"
        elif not on and (snapshot.get("fill") or {}).get("ticket_id"):
            on = " on the ticket"
        return f"Log the call with {_caller(snapshot, arguments)}{on}?"
    if tool == "create_ticket":
        title = f"Create ticket “{str(arguments.get('title', ''))[:60]}”"
        linked = snapshot.get("contact") or arguments.get("contact_id") or snapshot.get("fill")
        return f"{title} for {_caller(snapshot, arguments)}?" if linked else f"{title}?"
    target = f"#{ticket_number}" if ticket_number is not None else "the ticket"
    status = arguments.get("status")
    if status and arguments.get("notes"):
        return f"{STATUS_WORDS.get(status, 'Update')} {target} with a note?"
    if status:
        return f"{STATUS_WORDS.get(status, 'Update')} {target}?"
    if arguments.get("priority"):
        return f"Set {target} to {arguments['priority']} priority?"
    if assignee := snapshot.get("assignee"):  # the person it resolved to, by name
        return f"Assign {target} to {assignee['to']}?" if assignee["to"] else f"Unassign {target}?"
    if arguments.get("assignee"):
        return f"Assign {target} to {str(arguments['assignee'])[:60]}?"
    return f"Add a note to {target}?"


@dataclass
class ProposalDraft:
    """A write the turn proposes: stored with the reply (chat/turn_sql.INSERT_REPLY)."""

    tool: str
    arguments: dict[str, Any]
    ticket: TicketSummary | None
    snapshot: dict[str, Any]
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    group_id: uuid.UUID | None = None  # intake's dependent writes: the group's first
    depends_on: uuid.UUID | None = None  # the proposal whose result this one needs

    @property
    def headline(self) -> str:
        number = self.ticket.number if self.ticket else None
        return headline(self.tool, self.arguments, number, self.snapshot)

    def row(self, tool_call_id: str) -> dict[str, Any]:
        """The proposal's row for INSERT_REPLY's jsonb_to_recordset."""
        return {
            "id": str(self.id),
            "tool_call_id": tool_call_id,
            "tool": self.tool,
            "arguments": self.arguments,
            "ticket_id": str(self.ticket.id) if self.ticket else None,
            "snapshot": self.snapshot,
            "summary": self.headline,
            "group_id": str(self.group_id) if self.group_id else None,
            "depends_on": str(self.depends_on) if self.depends_on else None,
        }


def snapshot_of(ticket: Any, arguments: dict[str, Any]) -> dict[str, Any]:
    """The values the agent sees of the fields the arguments would change (those that
    differ), and the ticket's version."""
    fields = {
        name: getattr(ticket, name)
        for name in TICKET_FIELDS
        if arguments.get(name) is not None and arguments[name] != getattr(ticket, name)
    }
    return {"fields": fields, "updated_at": ticket.updated_at.isoformat()}
