"""Figures of a run, per case file: accuracy per tool and per class, unwanted writes,
latency; printed as a table and written as JSON."""

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from deskpilot.evals.runner import CaseRun


@dataclass(frozen=True)
class Tally:
    passed: int = 0
    total: int = 0

    def add(self, ok: bool) -> "Tally":
        return Tally(self.passed + ok, self.total + 1)

    @property
    def accuracy(self) -> float:
        return self.passed / self.total if self.total else 0.0

    def __str__(self) -> str:
        return f"{self.passed}/{self.total} = {100 * self.accuracy:.1f}%"

    def as_json(self) -> dict[str, Any]:
        return {"passed": self.passed, "total": self.total, "accuracy": round(self.accuracy, 4)}


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


@dataclass(frozen=True)
class FileReport:
    source: str
    cases: Tally
    turns: Tally
    by_tool: dict[str, Tally]  # expected tool of each turn ("none": no call)
    by_class: dict[str, Tally]  # cases
    unwanted: list[dict[str, Any]]  # one per unwanted write
    failures: list[dict[str, Any]]  # one per failed case
    latencies_ms: list[float]
    tokens: int | None

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "accuracy": round(self.cases.accuracy, 4),
            "cases": self.cases.as_json(),
            "turns": self.turns.as_json(),
            "by_tool": {k: v.as_json() for k, v in sorted(self.by_tool.items())},
            "by_class": {k: v.as_json() for k, v in sorted(self.by_class.items())},
            "unwanted_writes": len(self.unwanted),
            "unwanted": self.unwanted,
            "latency_ms": {
                "p50": round(percentile(self.latencies_ms, 0.50), 2),
                "p95": round(percentile(self.latencies_ms, 0.95), 2),
            },
            "tokens": self.tokens,
            "failures": self.failures,
        }


def file_report(source: str, runs: Iterable[CaseRun]) -> FileReport:
    cases, turns = Tally(), Tally()
    by_tool: dict[str, Tally] = defaultdict(Tally)
    by_class: dict[str, Tally] = defaultdict(Tally)
    unwanted: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []
    latencies: list[float] = []
    tokens: list[int] = []
    for run in runs:
        cases = cases.add(run.passed)
        by_class[run.case.cls] = by_class[run.case.cls].add(run.passed)
        for turn_number, (turn, spec) in enumerate(zip(run.turns, run.case.turns, strict=True), 1):
            turns = turns.add(turn.score.passed)
            tool = spec.expect.call.tool or "none"
            by_tool[tool] = by_tool[tool].add(turn.score.passed)
            latencies.append(turn.observation.latency_ms)
            if turn.observation.tokens is not None:
                tokens.append(turn.observation.tokens)
            unwanted.extend(
                {"case": run.case.id, "turn": turn_number, "text": turn.text, "write": write}
                for write in turn.score.unwanted_writes
            )
        if not run.passed:
            failures.append(
                {
                    "case": run.case.id,
                    "class": run.case.cls,
                    "turns": [
                        {
                            "text": t.text,
                            "calls": [
                                {"name": c.name, "arguments": c.arguments}
                                for c in t.observation.calls
                            ],
                            "reply": t.observation.reply[:300],
                            "problems": list(t.score.problems),
                        }
                        for t in run.turns
                    ],
                    "final_state": list(run.final_problems),
                }
            )
    return FileReport(
        source=source,
        cases=cases,
        turns=turns,
        by_tool=dict(by_tool),
        by_class=dict(by_class),
        unwanted=unwanted,
        failures=failures,
        latencies_ms=latencies,
        tokens=sum(tokens) if tokens else None,
    )


def render(report: FileReport, *, show_failures: bool = False) -> str:
    lines = [
        f"{report.source}: {report.cases} of cases right"
        + (f" ({report.turns} of turns)" if report.turns.total != report.cases.total else ""),
        f"  unwanted writes: {len(report.unwanted)}",
        f"  latency per turn: p50 {percentile(report.latencies_ms, 0.5):.1f} ms, "
        f"p95 {percentile(report.latencies_ms, 0.95):.1f} ms",
        f"  tokens: {report.tokens if report.tokens is not None else 'not reported'}",
        "",
        f"  {'expected tool':<20} {'right':>16}",
    ]
    lines += [f"  {tool:<20} {t!s:>16}" for tool, t in sorted(report.by_tool.items())]
    lines += ["", f"  {'class':<26} {'right':>16}"]
    lines += [f"  {cls:<26} {t!s:>16}" for cls, t in sorted(report.by_class.items())]
    for item in report.unwanted:
        lines.append(
            f"  UNWANTED {item['case']} turn {item['turn']}: {item['write']}  «{item['text']}»"
        )
    if show_failures:
        lines.append("")
        for failure in report.failures:
            for turn in failure["turns"]:
                if turn["problems"]:
                    calls = "; ".join(f"{c['name']}({c['arguments']})" for c in turn["calls"])
                    lines.append(f"  FAIL {failure['case']} [{failure['class']}] «{turn['text']}»")
                    lines.append(f"       calls: {calls or 'none'}; " + "; ".join(turn["problems"]))
            for problem in failure["final_state"]:
                lines.append(f"  FAIL {failure['case']} [{failure['class']}] {problem}")
    return "\n".join(lines)
