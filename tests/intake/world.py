"""evals/world.json (frozen) on the test database, for intake flows: its agents once, its
tickets and callers put back before each case (deskpilot.evals.world)."""

import json
import re
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import text

from deskpilot.core.db import get_engine
from deskpilot.evals.world import (
    World,
    install_agents,
    install_contacts,
    load_world,
    reset,
    reset_callers,
)

EVALS = Path(__file__).parents[2] / "evals"
WORLD = load_world(EVALS / "world.json")
NOTES: list[dict[str, Any]] = [
    json.loads(line)
    for line in (EVALS / "intake-notes.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]


class Desk:
    """The world installed beside the signed-in agent (who acts as the world's agent)."""

    def __init__(self, world: World = WORLD) -> None:
        self.world = world
        self.agent_ids: dict[str, uuid.UUID] = {}
        self.contact_ids: dict[str, uuid.UUID] = {}
        self.numbers: dict[str, int] = {}

    async def install(self) -> None:
        async with get_engine().begin() as connection:
            self.agent_ids = await install_agents(connection, self.world)
            self.contact_ids = await install_contacts(connection, self.world)
        rows = await fetch("SELECT id, number FROM contacts")
        by_id = {contact_id: number for contact_id, number in rows}
        self.numbers = {key: by_id[i] for key, i in self.contact_ids.items()}

    async def reset(self) -> None:
        async with get_engine().begin() as connection:
            await reset_callers(connection, self.contact_ids)
            await reset(connection, self.world, self.agent_ids, self.contact_ids)

    def contact_number(self, key: str | None) -> int | None:
        return self.numbers[key] if key else None


async def fetch(sql: str, **params: Any) -> list[Any]:
    async with get_engine().connect() as connection:
        return list((await connection.execute(text(sql), params)).all())


def digits(phone: str | None) -> str:
    return re.sub(r"\D", "", phone or "")[-10:]
