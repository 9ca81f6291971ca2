"""How long the embedded PostgreSQL takes to start and stop, each run in a fresh process.

    uv run python -m bench.embedded_start --runs 7

Cold: a new data directory (initdb). Warm: the existing directory, server stopped. The
figure is start_embedded_postgres() (server up, `deskpilot` database there) without
Python's start-up; the stop is release_embedded_postgres() (fast shutdown).
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

_ONE_RUN = """
import json, sys, time, warnings
from pathlib import Path
warnings.simplefilter("ignore")
from deskpilot.core.embedded_postgres import release_embedded_postgres, start_embedded_postgres
data_dir = Path(sys.argv[1])
started = time.perf_counter()
start_embedded_postgres(data_dir)
up = time.perf_counter()
release_embedded_postgres(data_dir)
print(json.dumps({"start": up - started, "stop": time.perf_counter() - up}))
"""


def one_run(data_dir: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", _ONE_RUN, str(data_dir)], capture_output=True, text=True, check=True
    ).stdout
    result: dict[str, float] = json.loads(out.splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    cold: list[dict[str, float]] = []
    warm: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as scratch:
        for run in range(args.runs):
            data_dir = Path(scratch) / f"cold-{run}"
            cold.append(one_run(data_dir))
            warm.append(one_run(data_dir))
    for label, runs in (("cold (initdb)", cold), ("warm", warm)):
        starts = [r["start"] for r in runs]
        stops = [r["stop"] for r in runs]
        print(
            f"{label:>14}: start median {statistics.median(starts):.2f} s "
            f"(min {min(starts):.2f}, max {max(starts):.2f}); "
            f"stop median {statistics.median(stops):.2f} s, n={len(runs)}"
        )


if __name__ == "__main__":
    main()
