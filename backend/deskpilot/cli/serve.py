"""`deskpilot serve`: the embedded database when no URL is set (started, migrated, seeded),
the metrics port, then uvicorn."""

import asyncio
import atexit
import os
import shutil
import tempfile
from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from deskpilot.cli import common
from deskpilot.core import metrics, migrations
from deskpilot.core.config import Settings
from deskpilot.core.logs import logging_config

WORKER_START_SECONDS = 60


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


@common.app.command()
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
    settings = common.settings_or_exit()
    host = settings.host if host is None else host
    port = settings.port if port is None else port
    if settings.database_url is None:
        common.step(_embedded_start_text(settings.data_dir))
    url = common.database_url_or_exit(settings)
    if settings.database_url is None:
        common.step("Applying database migrations")
        migrations.upgrade(url)
        credentials = asyncio.run(common.seed_if_empty(url, force=False))
        if credentials:
            common.print_credentials(credentials)
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
        common.fail(f"Cannot serve metrics on {host}:{port}: {exc}")
    typer.echo(f"Metrics for Prometheus at http://{host}:{port}/metrics (no sign-in)")
