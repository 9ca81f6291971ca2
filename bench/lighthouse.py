"""Lighthouse (mobile, performance only) on a page of a running `deskpilot serve`, signed in.

    uv run python -m bench.lighthouse --url http://127.0.0.1:8000 --page /dashboard/chat/ \
        --email maria@deskpilot.local --password … --runs 5

Signs in through the API, hands the session cookie to Lighthouse as an extra header and
runs it `--runs` times with its default mobile settings (simulated slow 4G, 4x CPU
slowdown: nothing here changes the throttling), then prints every run and the median of
each figure. Lighthouse's CPU benchmark on a shared machine is noisy; compare medians.

Lighthouse itself comes from npm: `--lighthouse` names the command (default
`npx --yes lighthouse@12`); Chromium is `--chrome` (default /usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import httpx

from bench.common import CHROMIUM_ARGS

CHROME_FLAGS = " ".join(CHROMIUM_ARGS)


@dataclass(frozen=True)
class Run:
    score: int
    fcp_ms: float
    lcp_ms: float
    tbt_ms: float
    cls: float
    si_ms: float
    benchmark_index: float


def session_cookie_header(base_url: str, email: str, password: str) -> str:
    with httpx.Client(base_url=base_url, timeout=30) as http:
        http.post("/api/auth/login", json={"email": email, "password": password}).raise_for_status()
        return "; ".join(f"{c.name}={c.value}" for c in http.cookies.jar)


def parse_report(report: dict[str, object]) -> Run:
    audits = report["audits"]
    categories = report["categories"]
    environment = report["environment"]
    assert isinstance(audits, dict) and isinstance(categories, dict)
    assert isinstance(environment, dict)

    def value(audit: str) -> float:
        return float(audits[audit]["numericValue"])

    return Run(
        score=round(float(categories["performance"]["score"]) * 100),
        fcp_ms=value("first-contentful-paint"),
        lcp_ms=value("largest-contentful-paint"),
        tbt_ms=value("total-blocking-time"),
        cls=value("cumulative-layout-shift"),
        si_ms=value("speed-index"),
        benchmark_index=float(environment["benchmarkIndex"]),
    )


def run_once(lighthouse: list[str], chrome: str, page_url: str, headers: Path, out: Path) -> Run:
    command = [
        *lighthouse,
        page_url,
        "--only-categories=performance",
        f"--extra-headers={headers}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--output=json",
        f"--output-path={out}",
        "--quiet",
    ]
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": chrome})
    return parse_report(json.loads(out.read_text()))


def row(label: str, run: Run) -> str:
    return (
        f"{label:<8} {run.score:>5} {run.fcp_ms / 1000:>6.2f} s {run.lcp_ms / 1000:>6.2f} s "
        f"{run.tbt_ms:>7.0f} ms {run.cls:>6.3f} {run.si_ms / 1000:>6.2f} s {run.benchmark_index:>7.0f}"
    )


def median_run(runs: list[Run]) -> Run:
    return Run(
        score=round(statistics.median(r.score for r in runs)),
        fcp_ms=statistics.median(r.fcp_ms for r in runs),
        lcp_ms=statistics.median(r.lcp_ms for r in runs),
        tbt_ms=statistics.median(r.tbt_ms for r in runs),
        cls=statistics.median(r.cls for r in runs),
        si_ms=statistics.median(r.si_ms for r in runs),
        benchmark_index=statistics.median(r.benchmark_index for r in runs),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--page", default="/dashboard/chat/")
    parser.add_argument("--email", default="maria@deskpilot.local")
    parser.add_argument("--password", default="", help="empty: run signed out")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--lighthouse", default="npx --yes lighthouse@12")
    parser.add_argument("--chrome", default="/usr/bin/chromium")
    parser.add_argument("--save-dir", type=Path, help="keep each run's JSON report here")
    args = parser.parse_args()

    page_url = urljoin(args.url, args.page)
    cookie = session_cookie_header(args.url, args.email, args.password) if args.password else ""
    runs: list[Run] = []
    if args.save_dir:
        args.save_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        headers = Path(tmp) / "headers.json"
        headers.write_text(json.dumps({"Cookie": cookie} if cookie else {}))
        print(f"{page_url}, Lighthouse mobile, {args.runs} runs")
        print(
            f"{'run':<8} {'score':>5} {'FCP':>8} {'LCP':>8} {'TBT':>10} {'CLS':>6} {'SI':>8} {'bench':>7}"
        )
        for n in range(1, args.runs + 1):
            out = (args.save_dir or Path(tmp)) / f"lighthouse-{n}.json"
            runs.append(run_once(shlex.split(args.lighthouse), args.chrome, page_url, headers, out))
            print(row(f"#{n}", runs[-1]), flush=True)
    print(row("median", median_run(runs)))


if __name__ == "__main__":
    main()
