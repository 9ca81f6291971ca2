"""Lighthouse accessibility score of every page of a running `deskpilot serve` (issue 20:
100 on every page), signed in as the given user (an admin reaches the admin pages too).

    uv run python -m bench.lighthouse_a11y --url http://127.0.0.1:8000 \
        --email admin@deskpilot.local --password …

One run per page (the accessibility audits do not vary run to run); prints each page's score
and the audits that failed. Lighthouse comes from npm (`--lighthouse`, default
`npx --yes lighthouse@12`); Chromium is `--chrome`.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urljoin

from bench.lighthouse import CHROME_FLAGS, session_cookie_header

PAGES = (
    "/login/",
    "/dashboard/chat/",
    "/dashboard/tickets/",
    "/dashboard/tickets/view/?ref=12",
    "/dashboard/contacts/",
    "/dashboard/contacts/?id=1",
    "/dashboard/usage/",
)
# The 404 page answers 404, which Lighthouse refuses to audit; tests/browser/test_accessibility.py
# runs axe on it.


def audit(
    lighthouse: list[str], chrome: str, url: str, headers: Path, out: Path
) -> tuple[int, list[str]]:
    subprocess.run(
        [
            *lighthouse,
            url,
            "--only-categories=accessibility",
            f"--extra-headers={headers}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--output=json",
            f"--output-path={out}",
            "--quiet",
        ],
        check=True,
        env={**os.environ, "CHROME_PATH": chrome},
    )
    report = json.loads(out.read_text())
    score = round(float(report["categories"]["accessibility"]["score"]) * 100)
    failed = [
        audit_id
        for audit_id, result in report["audits"].items()
        if result.get("score") == 0 and result.get("scoreDisplayMode") == "binary"
    ]
    return score, failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--email", default="admin@deskpilot.local")
    parser.add_argument("--password", required=True)
    parser.add_argument("--lighthouse", default="npx --yes lighthouse@12")
    parser.add_argument("--chrome", default="/usr/bin/chromium")
    args = parser.parse_args()

    cookie = session_cookie_header(args.url, args.email, args.password)
    with tempfile.TemporaryDirectory() as tmp:
        headers = Path(tmp) / "headers.json"
        headers.write_text(json.dumps({"Cookie": cookie}))
        print("| page | accessibility | failed audits |\n|---|---:|---|")
        for page in PAGES:
            score, failed = audit(
                shlex.split(args.lighthouse),
                args.chrome,
                urljoin(args.url, page),
                headers,
                Path(tmp) / "r.json",
            )
            print(f"| `{page}` | {score} | {', '.join(failed) or '—'} |", flush=True)


if __name__ == "__main__":
    main()
