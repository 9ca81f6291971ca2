"""Reading what the app reports: its metrics (Prometheus text) and its log lines."""

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

from deskpilot.core.logs import JsonFormatter, RequestFields

Labels = frozenset[tuple[str, str]]


class Scrape:
    """One scrape's samples: value(name, **labels), 0 for a series not there yet."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.samples: dict[tuple[str, Labels], float] = {}
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                self.samples[(sample.name, frozenset(sample.labels.items()))] = sample.value

    def value(self, name: str, **labels: str) -> float:
        return self.samples.get((name, frozenset(labels.items())), 0.0)

    def labels_of(self, name: str) -> list[dict[str, str]]:
        return [dict(labels) for (sample, labels) in self.samples if sample == name]


async def scrape(admin: httpx.AsyncClient, path: str = "/metrics") -> Scrape:
    response = await admin.get(path)
    assert response.status_code == 200, response.text
    return Scrape(response.text)


@dataclass
class CapturedLog:
    """Every record logged while capturing, as the JSON lines production writes."""

    lines: list[str] = field(default_factory=list)

    @property
    def records(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.lines]

    def where(self, **fields: Any) -> list[dict[str, Any]]:
        return [r for r in self.records if all(r.get(k) == v for k, v in fields.items())]


class _ListHandler(logging.Handler):
    def __init__(self, into: list[str]) -> None:
        super().__init__()
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(self.format(record))


@contextmanager
def captured_log(level: int = logging.INFO) -> Iterator[CapturedLog]:
    """The root logger at `level` with production's formatter and filter, as `serve`
    configures it (core/logs.py), for the duration."""
    captured = CapturedLog()
    handler = _ListHandler(captured.lines)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestFields())
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(level)
    try:
        yield captured
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
