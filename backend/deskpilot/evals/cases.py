"""The evaluation cases (evals/README.md): single turns, or several turns of one chat."""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TOOLS = frozenset({"create_ticket", "get_ticket", "update_ticket", "search_tickets"})
WRITE_TOOLS = frozenset({"create_ticket", "update_ticket"})
CREATED = "$created"  # ticket_id: the ticket an earlier turn of the same case created


@dataclass(frozen=True)
class Call:
    """An expected call: a tool and the arguments that must match (the rest is free)."""

    tool: str | None  # None: no call of the four tools
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Expect:
    call: Call
    write: bool
    ask_ok: bool
    title_must_mention: tuple[str, ...] = ()
    also_ok: tuple[Call, ...] = ()
    must_not_touch: frozenset[int] = frozenset()
    must_not_set: tuple[str, ...] = ()


@dataclass(frozen=True)
class Turn:
    text: str
    expect: Expect
    attach: tuple[int, ...] = ()


@dataclass(frozen=True)
class Case:
    id: str
    cls: str
    turns: tuple[Turn, ...]
    final_state: dict[int, dict[str, str]] = field(default_factory=dict)
    source: str = ""  # the file's name


class CaseFormatError(ValueError):
    pass


def _call(raw: dict[str, Any]) -> Call:
    tool = raw.get("tool")
    if tool is not None and tool not in TOOLS:
        raise CaseFormatError(f"unknown tool {tool!r}")
    return Call(tool=tool, args=dict(raw.get("args") or {}))


def _expect(raw: dict[str, Any]) -> Expect:
    return Expect(
        call=_call(raw),
        write=bool(raw.get("write", False)),
        ask_ok=bool(raw.get("ask_ok", False)),
        title_must_mention=tuple(str(w).lower() for w in raw.get("title_must_mention") or ()),
        also_ok=tuple(_call(alt) for alt in raw.get("also_ok") or ()),
        must_not_touch=frozenset(int(n) for n in raw.get("must_not_touch") or ()),
        must_not_set=tuple(raw.get("must_not_set") or ()),
    )


def _turn(raw: dict[str, Any]) -> Turn:
    return Turn(
        text=str(raw["text"]),
        expect=_expect(raw["expect"]),
        attach=tuple(int(n) for n in raw.get("attach") or ()),
    )


def parse_case(raw: dict[str, Any], source: str = "") -> Case:
    try:
        turns = tuple(_turn(t) for t in raw["turns"]) if "turns" in raw else (_turn(raw),)
        final = {
            int(number): {str(k): str(v) for k, v in fields.items()}
            for number, fields in (raw.get("final_state") or {}).items()
        }
        return Case(
            id=str(raw["id"]), cls=str(raw["class"]), turns=turns, final_state=final, source=source
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise CaseFormatError(f"case {raw.get('id', '?')}: {exc}") from exc


def load_cases(path: Path) -> list[Case]:
    """Every case of a JSON Lines file, in order."""
    cases: list[Case] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CaseFormatError(f"{path.name}:{number}: not JSON ({exc.msg})") from exc
        cases.append(parse_case(raw, source=path.name))
    return cases
