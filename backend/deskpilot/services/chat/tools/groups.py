"""Intake's dependent writes in one reply: create_contact → create_ticket (or a note by
update_ticket) → log_call. A later write that leaves out the contact_id or ticket_id an
earlier write of the same turn will produce gets it from that write:

- made at once (DESKPILOT_CHAT_APPROVAL=never): filled in now from its result;
- proposed: the later write is proposed too, in the earlier one's group (`group_id`, the
  group's first proposal; `depends_on`, the one it needs; `snapshot["fill"]`, which of its
  arguments comes from which proposal), and filled in when the agent approves the group
  (chat/proposals/groups.py);
- failed: the later write is not made either, and the model is told why.

A log_call naming the ticket an earlier write of the turn changed joins that write's group
too (one card: the note and the call)."""

from dataclasses import dataclass, field
from typing import Any

from deskpilot.services.chat.tools.base import ToolArgs, ToolOutcome, tool_error

# What each write yields to later ones: the field its result fills, read from the result.
YIELDS = {
    "create_contact": "contact_id",
    "create_ticket": "ticket_id",
    "update_ticket": "ticket_id",
}
# The fields each write may leave out for an earlier write to fill.
NEEDS = {"create_ticket": ("contact_id",), "log_call": ("contact_id", "ticket_id")}


@dataclass
class Step:
    tool: str
    outcome: ToolOutcome

    @property
    def yields(self) -> str | None:
        return YIELDS.get(self.tool)

    @property
    def proposed(self) -> bool:
        return self.outcome.status == "proposed" and self.outcome.draft is not None

    def value(self) -> int | None:
        """The number this write produced (a contact's or a ticket's), once made."""
        if self.outcome.status != "ok":
            return None
        return number_in(self.outcome.result, self.yields)

    def target(self) -> int | None:
        """The ticket this write is about, as far as known (update_ticket's own argument)."""
        if self.tool == "update_ticket" and self.outcome.draft is not None:
            number = self.outcome.draft.arguments.get("ticket_id")
            return number if isinstance(number, int) else None
        return self.value() if self.yields == "ticket_id" else None


def number_in(result: Any, field_name: str | None) -> int | None:
    """contact_id → result["contact"]["number"]; ticket_id → result["ticket"]["number"]."""
    key = {"contact_id": "contact", "ticket_id": "ticket"}.get(field_name or "")
    item = result.get(key) if isinstance(result, dict) and key else None
    number = item.get("number") if isinstance(item, dict) else None
    return number if isinstance(number, int) and not isinstance(number, bool) else None


@dataclass
class Link:
    """Where a write's left-out arguments come from."""

    sources: dict[str, Step] = field(default_factory=dict)  # field → the write yielding it
    joins: Step | None = None  # an earlier write on the same ticket (a note, then the call)

    @property
    def waits(self) -> bool:
        return any(s.proposed for s in self.sources.values()) or bool(
            self.joins and self.joins.proposed
        )

    def last(self, steps: list[Step]) -> Step | None:
        linked = [*self.sources.values(), *([self.joins] if self.joins else [])]
        return max(linked, key=steps.index) if linked else None


@dataclass
class TurnWrites:
    """The writes of one turn, in call order."""

    steps: list[Step] = field(default_factory=list)

    def link(self, tool: str, args: ToolArgs) -> Link:
        link = Link()
        for name in NEEDS.get(tool, ()):
            if getattr(args, name, None) is not None:
                continue
            source = next((s for s in reversed(self.steps) if s.yields == name), None)
            if source is not None:
                link.sources[name] = source
        ticket = getattr(args, "ticket_id", None)
        if tool == "log_call" and ticket is not None:
            link.joins = next((s for s in reversed(self.steps) if s.target() == ticket), None)
        return link

    def filled(self, args: ToolArgs, link: Link) -> ToolArgs | ToolOutcome:
        """The arguments with what the earlier writes (made at once) produced, or why this
        write cannot be made."""
        values: dict[str, int] = {}
        for name, source in link.sources.items():
            value = source.value()
            if value is None:
                return tool_error(
                    "not_done",
                    f"Not done: it needs the {name} of the earlier {source.tool} call of this "
                    f"turn, which was not made ({source.outcome.summary}).",
                )
            values[name] = value
        return args.model_copy(update=values) if values else args

    def group(self, outcome: ToolOutcome, link: Link) -> None:
        """A proposal that waits on earlier ones: in their group, its fills noted."""
        draft = outcome.draft
        last = link.last(self.steps)
        if draft is None or last is None or last.outcome.draft is None:
            return
        linked = [s for s in (*link.sources.values(), link.joins) if s is not None and s.proposed]
        linked.sort(key=self.steps.index)
        drafts = [s.outcome.draft for s in linked if s.outcome.draft is not None]
        group = next((d.group_id for d in drafts if d.group_id), None) or drafts[0].id
        merged = {d.group_id for d in drafts if d.group_id and d.group_id != group}
        for step in self.steps:  # one card: groups this write joins become one
            other = step.outcome.draft
            if other is not None and (other in drafts or other.group_id in merged):
                other.group_id = group
        draft.group_id, draft.depends_on = group, last.outcome.draft.id
        fills = {
            name: str(source.outcome.draft.id)
            for name, source in link.sources.items()
            if source.proposed and source.outcome.draft is not None
        }
        if fills:
            draft.snapshot = {**draft.snapshot, "fill": fills}

    def add(self, tool: str, outcome: ToolOutcome) -> None:
        if tool in YIELDS or tool in NEEDS:
            self.steps.append(Step(tool, outcome))
