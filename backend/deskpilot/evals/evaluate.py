"""A whole run: scratch database up, the world in, every case of every file, scratch down."""

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from deskpilot.core.config import Settings
from deskpilot.core.db import dispose_engine, init_engine
from deskpilot.evals import scratch
from deskpilot.evals.cases import Case, load_cases
from deskpilot.evals.intake import is_intake_file, load_intake
from deskpilot.evals.report import FileReport, file_report
from deskpilot.evals.runner import CaseRun, Runner
from deskpilot.evals.world import World, load_world
from deskpilot.llm.factory import build_chat_model

# What the harness changes in the desk's settings for its own run.
EVAL_SETTINGS = {
    "chat_messages_per_minute": 1_000_000,  # hundreds of turns a minute, one agent
    "llm_generate_titles": False,  # a title costs a model call and is not scored
}


@dataclass(frozen=True)
class EvalOptions:
    case_files: Sequence[Path]
    world_file: Path
    scratch_name: str = scratch.DEFAULT_NAME
    keep_database: bool = False


def eval_settings(settings: Settings, provider: str | None) -> Settings:
    overrides: dict[str, object] = dict(EVAL_SETTINGS)
    if provider is not None:
        overrides["llm_provider"] = provider
    if "chat_approval" in Settings.model_fields:
        overrides["chat_approval"] = "never"  # writes run at once; proposals count alike
    return settings.model_copy(update=overrides)


def run_eval(
    settings: Settings,
    server_url: str,
    options: EvalOptions,
    progress: Callable[[CaseRun], None] | None = None,
) -> list[FileReport]:
    """Every case file's report. `server_url`: the desk's database, whose server hosts the
    scratch database; it is never written."""
    files = [
        (path.name, load_intake(path) if is_intake_file(path) else load_cases(path))
        for path in options.case_files
    ]
    world = load_world(options.world_file)
    url = scratch.create_scratch(server_url, options.scratch_name)
    try:
        return asyncio.run(_run_files(settings, url, world, files, progress))
    finally:
        if not options.keep_database:
            scratch.drop_scratch(server_url, options.scratch_name)


async def _run_files(
    settings: Settings,
    url: str,
    world: World,
    files: Sequence[tuple[str, list[Case]]],
    progress: Callable[[CaseRun], None] | None,
) -> list[FileReport]:
    init_engine(url, pool_size=4)
    model = build_chat_model(settings)
    try:
        runner = Runner(settings=settings, model=model, world=world)
        await runner.install()
        reports: list[FileReport] = []
        for source, cases in files:
            runs: list[CaseRun] = []
            for case in cases:
                run = await runner.run_case(case)
                runs.append(run)
                if progress is not None:
                    progress(run)
            reports.append(file_report(source, runs))
        return reports
    finally:
        await model.aclose()
        await dispose_engine()
