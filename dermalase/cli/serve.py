"""``dermalase serve``: the clinic web application on the records database."""

from __future__ import annotations

import logging
import sys

import typer

from dermalase.cli.app import app, json_mode
from dermalase.exceptions import InputError

#: Addresses a clinic server may listen on without a reverse proxy in front.
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on (1-65535)."),
    database_url: str = typer.Option(
        None,
        "--database-url",
        help="Records database (default: $DERMALASE_DATABASE_URL or the bundled SQLite file).",
    ),
    plan_workers: int = typer.Option(1, help="Processes that compute plans (1-16)."),
    as_json: bool = typer.Option(
        False, "--json", help="Print one JSON object with the URL when ready, then serve."
    ),
) -> None:
    """Serve the clinic web application (open the printed URL in a browser)."""
    json_mode(as_json)
    import uvicorn

    from dermalase import records
    from dermalase.web import create_app

    if not 1 <= port <= 65535:
        raise InputError("--port", port, "a port from 1 to 65535")
    if not 1 <= plan_workers <= 16:
        raise InputError("--plan-workers", plan_workers, "from 1 to 16")
    database = records.open_database(database_url)
    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    if as_json:
        import json

        print(json.dumps({"url": url, "database": database.name}), flush=True)
    else:
        print(f"dermalase: serving {database.name} at {url}", file=sys.stderr, flush=True)
        if host not in LOCAL_HOSTS:
            print(
                "dermalase: listening beyond this computer: put an HTTPS proxy in front "
                "(session cookies are marked Secure only over HTTPS)",
                file=sys.stderr,
                flush=True,
            )
    application = create_app(database, plan_workers=plan_workers)
    try:
        # uvicorn's access log would write query strings (search text); the application
        # logs each request by its route instead (dermalase.web.access)
        uvicorn.run(
            application,
            host=host,
            port=port,
            access_log=False,
            log_level="info",
            proxy_headers=True,
            server_header=False,
        )
    finally:
        database.close()
