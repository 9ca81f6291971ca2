"""Word pools for the combinatorial ticket generator (`corpus.generate_tickets`), read from vocab.toml.

Term budget, relied on by the benchmark and checked by `tests/demo/test_corpus.py`:
"password" appears only in the `password` topic and in some `outlook` texts, "printer"
only in `printer`, "vpn" only in `vpn`, "invoice" only in `invoice`/`refund`;
"plotter" and "kerberos" only in the two rare topics; "xylophone", "hovercraft" and
"zeppelin" nowhere. Keep it that way when you edit these pools.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib.resources import files
from typing import Any


@dataclass(frozen=True)
class Topic:
    name: str
    category: str
    weight: int  # percent of generated rows
    # [thing][variant]: the same device/app/invoice fills a row's title and its problem text
    titles: tuple[tuple[str, ...], ...]
    problems: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...]


def _topic(raw: dict[str, Any]) -> Topic:
    things, titles, problems = raw["things"], raw["titles"], raw["problems"]
    return Topic(
        raw["name"],
        raw["category"],
        raw["weight"],
        tuple(tuple(t.format(thing=x) for t in titles) for x in things),
        tuple(tuple(p.format(thing=x) for p in problems) for x in things),
        tuple(raw["notes"]),
    )


_DATA = tomllib.loads(files("deskpilot.demo").joinpath("vocab.toml").read_text(encoding="utf-8"))
_POOLS: dict[str, list[str]] = _DATA["pools"]

TOPICS: tuple[Topic, ...] = tuple(_topic(raw) for raw in _DATA["topics"])
PLOTTER = _topic(_DATA["rare"]["plotter"])
KERBEROS = _topic(_DATA["rare"]["kerberos"])
FIRST_NAMES = tuple(_POOLS["first_names"])
LAST_NAMES = tuple(_POOLS["last_names"])
COMPANIES = tuple(_POOLS["companies"])
CITIES = tuple(_POOLS["cities"])
IMPACTS = tuple(_POOLS["impacts"])
ASKS = tuple(_POOLS["asks"])
GENERIC_NOTES = tuple(_POOLS["generic_notes"])
