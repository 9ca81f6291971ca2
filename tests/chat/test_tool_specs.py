"""The four tools of spec §3 are what every model gets: the spec's names, descriptions,
properties, types and required lists exactly, plus only the optional properties seams.md
allows (update_ticket: priority, assignee; create_ticket: contact_id)."""

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from deskpilot.services.chat.tools import TOOL_DEFINITIONS, TOOL_SPECS
from tests.chat.helpers import FakeServer, new_session, provider_name, send, use_fake
from tests.conftest import LiveServer
from tests.fakes import text

ROOT = Path(__file__).resolve().parents[2]
# The spec as committed with the code, so a fresh clone can run this on its own...
SPEC = ROOT / "docs" / "spec" / "phase-1-chat.md"
# ...and the team's shared copy beside the repository, when there is one (CI has it).
SHARED_SPEC = ROOT.parent / "shared" / "spec" / "phase-1-chat.md"
NAMES = ["create_ticket", "get_ticket", "update_ticket", "search_tickets"]
# issue 15's tools, declared after the spec's four (they are not the spec's)
CALLER_TOOLS = ["find_contact", "create_contact", "find_similar_tickets", "log_call"]
# seams.md, "Tools": the optional properties beyond the spec, sent to every provider
ALLOWED_EXTRAS = {"update_ticket": {"priority", "assignee"}, "create_ticket": {"contact_id"}}


def spec_tools() -> list[dict[str, Any]]:
    """The JSON code blocks of spec §3, in order (from the committed spec, which must be
    the shared one when a shared checkout sits beside the repository)."""
    assert SPEC.is_file(), f"the spec is missing: {SPEC}"
    document = SPEC.read_text(encoding="utf-8")
    if SHARED_SPEC.is_file():
        assert document == SHARED_SPEC.read_text(encoding="utf-8"), "docs/spec is out of date"
    section = re.search(r"^## 3\..*?(?=^## 4\.)", document, re.MULTILINE | re.DOTALL)
    assert section is not None, "spec §3 not found"
    blocks = re.findall(r"```(?:python|json)?\n(.*?)```", section.group(0), re.DOTALL)
    return [json.loads(block) for block in blocks]


def test_spec_section_3_declares_the_four_tools() -> None:
    assert [tool["name"] for tool in spec_tools()] == NAMES


def spec_part(tool: dict[str, Any]) -> dict[str, Any]:
    """A declared tool without the optional properties seams.md allows beyond the spec."""
    extras = set(tool["parameters"]["properties"]) - set(
        next(t for t in spec_tools() if t["name"] == tool["name"])["parameters"]["properties"]
    )
    assert extras <= ALLOWED_EXTRAS.get(tool["name"], set()), (tool["name"], extras)
    assert not extras & set(tool["parameters"]["required"]), "added properties stay optional"
    properties = {k: v for k, v in tool["parameters"]["properties"].items() if k not in extras}
    return {**tool, "parameters": {**tool["parameters"], "properties": properties}}


def test_declared_tools_are_the_spec_plus_allowed_optional_properties() -> None:
    assert [t["name"] for t in TOOL_DEFINITIONS] == NAMES + CALLER_TOOLS
    assert [spec_part(t) for t in TOOL_DEFINITIONS[: len(NAMES)]] == spec_tools()
    assert [
        spec_part({"name": s.name, "description": s.description, "parameters": s.parameters})
        for s in TOOL_SPECS[: len(NAMES)]
    ] == spec_tools()
    update = next(t for t in TOOL_DEFINITIONS if t["name"] == "update_ticket")
    assert set(update["parameters"]["properties"]) >= {"priority", "assignee"}


def test_spec_part_catches_a_changed_or_unlisted_property() -> None:
    changed = json.loads(json.dumps(spec_tools()[1]))
    changed["parameters"]["properties"]["ticket_id"]["type"] = "string"
    assert spec_part(changed) != spec_tools()[1]
    unlisted = json.loads(json.dumps(spec_tools()[1]))
    unlisted["parameters"]["properties"]["anything"] = {"type": "string"}
    with pytest.raises(AssertionError):
        spec_part(unlisted)


def _expected_on_the_wire(provider: str) -> list[dict[str, Any]]:
    if provider == "openai":
        return [{"type": "function", "function": tool} for tool in TOOL_DEFINITIONS]
    return [
        {"name": t["name"], "description": t["description"], "input_schema": t["parameters"]}
        for t in TOOL_DEFINITIONS
    ]


async def test_the_model_receives_exactly_the_spec_tools(
    server: LiveServer, client: httpx.AsyncClient, fake: FakeServer
) -> None:
    use_fake(server, fake)
    fake.script(text("Hello."))
    session = await new_session(client)

    response = await send(client, session["id"], "hello")

    assert response.status_code == 200, response.text
    assert len(fake.requests) == 1
    assert fake.requests[0]["tools"] == _expected_on_the_wire(provider_name(fake))
