"""`deskpilot` command line: serve, migrate, seed-demo, create-user, backup, restore, openapi,
env-example, eval."""

import asyncio
import atexit
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Literal

import typer
import uvicorn
from pydantic import ValidationError

from deskpilot import __version__
from deskpilot.core import backup as backups
from deskpilot.core import metrics, migrations
from deskpilot.core.config import Settings, get_settings
from deskpilot.core.database_url import resolve_database_url
from deskpilot.core.db import dispose_engine, init_engine, session_factory
from deskpilot.core.embedded_postgres import EmbeddedDatabaseError, other_holders
from deskpilot.core.env_example import render_env_example
from deskpilot.core.logs import logging_config
from deskpilot.core.pg_tools import BackupError
from deskpilot.services import demo_seed, user_service

WORKER_START_SECONDS = 60

app = typer.Typer(help="Deskpilot helpdesk server and tools.", no_args_is_help=True)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"deskpilot {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Deskpilot helpdesk server and tools."""


def _settings() -> Settings:
    """The settings, or a one-line reason they are invalid (no traceback, no values echoed)."""
    try:
        return get_settings()
    except ValidationError as exc:
        reasons = "; ".join(_setting_error(e["loc"], str(e["msg"])) for e in exc.errors())
        typer.secho(f"Invalid configuration: {reasons}", err=True, fg="red")
        raise typer.Exit(1) from None


def _database_url(settings: Settings) -> str:
    """The database URL, starting (and if need be upgrading) the embedded server; a refusal to
    open the embedded data directory ends the command with its message, no traceback."""
    try:
        return resolve_database_url(settings)
    except EmbeddedDatabaseError as exc:
        typer.secho(str(exc), err=True, fg="red")
        raise typer.Exit(1) from None


def _setting_error(loc: tuple[int | str, ...], message: str) -> str:
    """`DESKPILOT_PORT: Input should be …`; a check across settings has no name to give."""
    message = message.removeprefix("Value error, ")
    return f"DESKPILOT_{str(loc[0]).upper()}: {message}" if loc else message


def _step(text: str) -> None:
    """One start-up step on the console (plain text, before any server log)."""
    typer.echo(f"{text}...")


def _print_credentials(credentials: list[demo_seed.DemoCredential]) -> None:
    typer.secho("\nDemo users created (shown once; change them or create your own):", bold=True)
    for cred in credentials:
        typer.echo(f"  {cred.role:<6} {cred.email:<26} password: {cred.password}")
    typer.echo("")


async def _seed_if_empty(url: str, *, force: bool) -> list[demo_seed.DemoCredential] | None:
    init_engine(url, pool_size=2)
    try:
        async with session_factory()() as db:
            if await demo_seed.has_users(db=db):
                if not force:
                    return None
                raise typer.BadParameter("The database already has users; demo data not added.")
            _step("Adding demo data (users and about 60 tickets)")
            credentials = await demo_seed.seed_demo(db=db)
            await db.commit()
            return credentials
    finally:
        await dispose_engine()


def _embedded_start_text(data_dir: Path) -> str:
    pgdata = (data_dir / "pgdata").resolve()
    if (pgdata / "PG_VERSION").is_file():
        return f"Starting the embedded PostgreSQL in {pgdata}"
    return f"Creating and starting the embedded PostgreSQL in {pgdata} (first start)"


def _warn_if_web_app_missing(settings: Settings) -> None:
    from deskpilot.main import web_app_dir

    directory = web_app_dir(settings)
    if directory is None or not directory.is_dir():
        typer.secho(
            f"Web app not built ({directory} missing): serving the API only. "
            "`make run` builds it (or: cd frontend && npm ci && npm run build).",
            fg="yellow",
        )


@app.command()
def serve(
    host: Annotated[
        str | None,
        typer.Option(help="Interface to bind (default: DESKPILOT_HOST, else 127.0.0.1)"),
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(help="Port for the web app and /api (default: DESKPILOT_PORT, else 8000)"),
    ] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes")] = 1,
    reload: Annotated[bool, typer.Option(help="Reload on code changes (development)")] = False,
    access_log: Annotated[bool, typer.Option(help="Log a line per request (INFO)")] = True,
    proxy_headers: Annotated[
        bool | None,
        typer.Option(
            "--proxy-headers/--no-proxy-headers",
            help="Take the client's address and scheme from X-Forwarded-For/-Proto sent by "
            "--forwarded-allow-ips  [default: DESKPILOT_PROXY_HEADERS, false]",
            show_default=False,
        ),
    ] = None,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            help="Comma-separated addresses or networks of the proxies to trust ('*': any)  "
            "[default: DESKPILOT_FORWARDED_ALLOW_IPS, 127.0.0.1]",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Start the server. With no database URL, starts the embedded PostgreSQL, migrates and seeds."""
    settings = _settings()
    host = settings.host if host is None else host
    port = settings.port if port is None else port
    if settings.database_url is None:
        _step(_embedded_start_text(settings.data_dir))
    url = _database_url(settings)
    if settings.database_url is None:
        _step("Applying database migrations")
        migrations.upgrade(url)
        credentials = asyncio.run(_seed_if_empty(url, force=False))
        if credentials:
            _print_credentials(credentials)
        # Worker processes reuse this process's embedded server instead of starting their own.
        os.environ["DESKPILOT_DATABASE_URL"] = url
    _warn_if_web_app_missing(settings)
    if workers > 1 or reload:
        _share_metrics_between_processes()
    if settings.metrics_port:
        _serve_metrics(settings.metrics_host, settings.metrics_port)
    typer.secho(f"Deskpilot is running at http://{host}:{port}/  (API docs: /api/docs)", fg="green")
    uvicorn.run(
        "deskpilot.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=None if reload else workers,
        # A worker answers uvicorn's health pings only once it has imported this CLI (its
        # __main__): on a busy machine that took more than the default 5 s, and uvicorn
        # killed every worker as hung before it started, again and again.
        timeout_worker_healthcheck=WORKER_START_SECONDS,
        reload=reload,
        log_level=settings.log_level,
        log_config=logging_config(
            log_format=settings.effective_log_format,
            level=settings.log_level,
            access_log=access_log,
        ),
        access_log=False,  # the app logs each request itself (api/request_log.py)
        proxy_headers=settings.proxy_headers if proxy_headers is None else proxy_headers,
        forwarded_allow_ips=forwarded_allow_ips or settings.forwarded_allow_ips,
    )


def _share_metrics_between_processes() -> None:
    """Workers (spawned after this) keep their metrics in files a scrape adds up
    (core/metrics.py): a fresh directory of our own unless one is configured."""
    if os.environ.get(metrics.MULTIPROC_ENV):
        return
    directory = tempfile.mkdtemp(prefix="deskpilot-metrics-")
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    os.environ[metrics.MULTIPROC_ENV] = directory


def _serve_metrics(host: str, port: int) -> None:
    """/metrics without sign-in on its own port, answered by this process for all workers."""
    from prometheus_client import start_http_server

    try:
        start_http_server(port, addr=host, registry=metrics.registry())
    except OSError as exc:
        typer.secho(f"Cannot serve metrics on {host}:{port}: {exc}", err=True, fg="red")
        raise typer.Exit(1) from None
    typer.echo(f"Metrics for Prometheus at http://{host}:{port}/metrics (no sign-in)")


@app.command()
def migrate(
    revision: Annotated[str, typer.Argument(help="Target revision")] = "head",
    down: Annotated[bool, typer.Option(help="Downgrade to the revision instead")] = False,
) -> None:
    """Apply (or roll back) database migrations."""
    url = _database_url(_settings())
    if down:
        migrations.downgrade(url, revision if revision != "head" else "base")
    else:
        migrations.upgrade(url, revision)
    typer.echo("Migrations done.")


@app.command("seed-demo")
def seed_demo() -> None:
    """Add the demo users and tickets to an empty database."""
    credentials = asyncio.run(_seed_if_empty(_database_url(_settings()), force=True))
    if credentials:
        _print_credentials(credentials)


@app.command("create-user")
def create_user(
    email: Annotated[str, typer.Option(prompt=True)],
    name: Annotated[str, typer.Option(prompt=True)],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
    role: Annotated[str, typer.Option(help="agent or admin")] = "agent",
) -> None:
    """Add a user who can sign in."""
    if role not in ("agent", "admin"):
        raise typer.BadParameter("role must be 'agent' or 'admin'")
    if len(password) < 8:
        raise typer.BadParameter("password must have at least 8 characters")
    role_value: Literal["agent", "admin"] = "admin" if role == "admin" else "agent"

    async def _create() -> None:
        init_engine(_database_url(_settings()), pool_size=1)
        try:
            async with session_factory()() as db:
                await user_service.create_user(
                    db=db, email=email, name=name, password=password, role=role_value
                )
                await db.commit()
        finally:
            await dispose_engine()

    asyncio.run(_create())
    typer.echo(f"Created {role_value} {email}")


@app.command()
def backup(
    file: Annotated[
        Path | None,
        typer.Argument(help="Where to write it (default: deskpilot-<database>-<time>.dump here)"),
    ] = None,
) -> None:
    """Back up the whole database to FILE (pg_dump's custom format), while Deskpilot runs."""
    settings = _settings()
    try:
        done = backups.backup(_database_url(settings), file, bin_dir=settings.pg_bin_dir)
    except BackupError as exc:
        typer.secho(str(exc), err=True, fg="red")
        raise typer.Exit(1) from None
    typer.echo(
        f"Backed up {done.target.database!r} (PostgreSQL {done.state.version.split()[0]}, "
        f"{done.state.summary()}) to {done.file} ({_size(done.size)}) "
        f"with {done.tools.describe()}."
    )


def _size(size: int) -> str:
    return f"{size / 1024:.0f} KiB" if size < 1_048_576 else f"{size / 1_048_576:.1f} MiB"


@app.command()
def restore(
    file: Annotated[Path, typer.Argument(help="A file `deskpilot backup` wrote")],
    replace: Annotated[
        bool, typer.Option(help="Replace everything in a database that is not empty")
    ] = False,
) -> None:
    """Restore a backup into the database, in one transaction. Stop Deskpilot first."""
    settings = _settings()
    if settings.database_url is None:
        running = other_holders(settings.data_dir)
        if running:
            typer.secho(
                f"Deskpilot is running on {settings.data_dir} (process {running[0]}): "
                "stop it before restoring.",
                err=True,
                fg="red",
            )
            raise typer.Exit(1)
    try:
        done = backups.restore(
            _database_url(settings), file, replace=replace, bin_dir=settings.pg_bin_dir
        )
    except BackupError as exc:
        typer.secho(str(exc), err=True, fg="red")
        raise typer.Exit(1) from None
    head = migrations.head_revision()
    typer.echo(
        f"Restored {file} into {done.target.database!r} ({done.after.summary()}) "
        f"with {done.tools.describe()}."
    )
    if done.after.revision != head:
        step = (
            "`deskpilot serve` applies"
            if settings.database_url is None
            else "run `deskpilot migrate` for"
        )
        typer.echo(
            f"The backup's schema is revision {done.after.revision}; this Deskpilot's is "
            f"{head}: {step} the migrations in between."
        )


@app.command()
def openapi(
    output: Annotated[Path, typer.Option(help="Where to write the schema")] = Path("openapi.json"),
) -> None:
    """Write the OpenAPI schema (the web app's types are generated from it)."""
    from deskpilot.main import create_app

    schema = create_app(manage_engine=False).openapi()
    output.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n")
    typer.echo(f"Wrote {output}")


@app.command("env-example")
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
    return [Path("evals/blind-offline.jsonl"), Path("evals/cases.jsonl")]


@app.command("eval")
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
            help="A case file (JSON Lines, evals/README.md); repeat for several "
            "[default: evals/blind-offline.jsonl and evals/cases.jsonl]",
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

    settings = eval_settings(_settings(), provider)
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
        reports = run_eval(settings, _database_url(settings), options)
    except ScratchDatabaseError as exc:
        typer.secho(str(exc), err=True, fg="red")
        raise typer.Exit(1) from None
    except ProviderError as exc:
        typer.secho(f"The model is not usable: {exc.message}", err=True, fg="red")
        raise typer.Exit(1) from None
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
        typer.secho(f"\nBelow the bar: {', '.join(dict.fromkeys(failed))}", err=True, fg="red")
        raise typer.Exit(1)
