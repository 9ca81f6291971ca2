"""Commands that write or check the project's artefacts: openapi, env-example, eval."""

import json
from pathlib import Path
from typing import Annotated, Literal

import typer

from deskpilot.cli import common
from deskpilot.core.env_example import render_env_example


@common.app.command()
def openapi(
    output: Annotated[Path, typer.Option(help="Where to write the schema")] = Path("openapi.json"),
) -> None:
    """Write the OpenAPI schema (the web app's types are generated from it)."""
    from deskpilot.main import create_app

    schema = create_app(manage_engine=False).openapi()
    output.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n")
    typer.echo(f"Wrote {output}")


@common.app.command("env-example")
def env_example(
    output: Annotated[
        Path | None, typer.Option(help="Write here (e.g. .env.example) instead of printing")
    ] = None,
) -> None:
    """Print every setting with its description and default, in .env form."""
    text = render_env_example()
    if output is None:
        typer.echo(text, nl=False)
        return
    output.write_text(text)
    typer.echo(f"Wrote {output}")


def _default_case_files() -> list[Path]:
    return [
        Path("evals/blind-offline.jsonl"),
        Path("evals/blind-agents-2.jsonl"),
        Path("evals/cases.jsonl"),
    ]


@common.app.command("eval")
def eval_(
    provider: Annotated[
        Literal["offline", "openai", "anthropic"] | None,
        typer.Option(help="The model to evaluate (default: DESKPILOT_LLM_PROVIDER)"),
    ] = None,
    cases: Annotated[
        list[Path] | None,
        typer.Option(
            "--cases",
            exists=True,
            dir_okay=False,
            help="A case file (JSON Lines, evals/README.md; evals/intake-notes.jsonl too); repeat "
            "for several "
            "[default: evals/blind-offline.jsonl, blind-agents-2.jsonl and cases.jsonl]",
            show_default=False,
        ),
    ] = None,
    world: Annotated[
        Path, typer.Option(exists=True, dir_okay=False, help="The desk the cases run against")
    ] = Path("evals/world.json"),
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Also write the figures and failures here")
    ] = None,
    min_accuracy: Annotated[
        float | None,
        typer.Option(help="Exit 1 when a file's accuracy is below this (0.95 or 95)"),
    ] = None,
    max_unwanted_writes: Annotated[
        int | None, typer.Option(help="Exit 1 when a file has more unwanted writes than this")
    ] = None,
    scratch_database: Annotated[
        str, typer.Option(help="The scratch database, created and dropped on the desk's server")
    ] = "deskpilot_eval",
    keep_database: Annotated[
        bool, typer.Option(help="Keep the scratch database after the run (to look into it)")
    ] = False,
    show_failures: Annotated[bool, typer.Option(help="List every failed turn")] = False,
) -> None:
    """Run the evaluation cases against a model, in a scratch database; print the figures."""
    from deskpilot.evals.evaluate import EvalOptions, eval_settings, run_eval
    from deskpilot.evals.report import render
    from deskpilot.evals.scratch import ScratchDatabaseError
    from deskpilot.llm.types import ProviderError

    settings = eval_settings(common.settings_or_exit(), provider)
    files = cases or _default_case_files()
    for path in [*files, world]:
        if not path.is_file():
            raise typer.BadParameter(f"{path} not found (run from the repository's root)")
    options = EvalOptions(
        case_files=files,
        world_file=world,
        scratch_name=scratch_database,
        keep_database=keep_database,
    )
    typer.echo(f"Evaluating {settings.llm_provider} ({settings.effective_model}) ...")
    try:
        reports = run_eval(settings, common.database_url_or_exit(settings), options)
    except ScratchDatabaseError as exc:
        common.fail(str(exc))
    except ProviderError as exc:
        common.fail(f"The model is not usable: {exc.message}")
    for report in reports:
        typer.echo("\n" + render(report, show_failures=show_failures))
    if json_out is not None:
        payload = {
            "provider": settings.llm_provider,
            "model": settings.effective_model,
            "files": [r.as_json() for r in reports],
        }
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    threshold = (
        None if min_accuracy is None else min_accuracy / 100 if min_accuracy > 1 else min_accuracy
    )
    failed = [r.source for r in reports if threshold is not None and r.cases.accuracy < threshold]
    failed += [
        r.source
        for r in reports
        if max_unwanted_writes is not None and len(r.unwanted) > max_unwanted_writes
    ]
    if failed:
        common.fail(f"\nBelow the bar: {', '.join(dict.fromkeys(failed))}")
