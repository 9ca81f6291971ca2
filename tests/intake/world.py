"""evals/world.json (frozen) on the test database, for intake flows: its agents once, its
tickets and callers put back before each case (deskpilot.evals.world)."""

import json
import re
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import text

from deskpilot.core.db import get_engine
from deskpilot.evals.world import World, install_agents, load_world, reset

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

    async def install(self) -> None:
        async with get_engine().begin() as connection:
            self.agent_ids = await install_agents(connection, self.world)

    async def reset(self) -> None:
        async with get_engine().begin() as connection:
            await reset(connection, self.world, self.agent_ids)

    def contact_number(self, key: str | None) -> int | None:
        return self.world.contact(key).number if key else None


async def fetch(sql: str, **params: Any) -> list[Any]:
    async with get_engine().connect() as connection:
        return list((await connection.execute(text(sql), params)).all())


def digits(phone: str | None) -> str:
    return re.sub(r"\D", "", phone or "")[-10:]
