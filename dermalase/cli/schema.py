"""``dermalase schema NAME``: print a published JSON Schema."""

from __future__ import annotations

import json

import typer

from dermalase.cli.app import app, emit, json_mode
from dermalase.exceptions import InputError


@app.command()
def schema(
    name: str = typer.Argument(..., help="Which schema: plan or consultation."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object (the schema)."),
) -> None:
    """Print the JSON Schema of a dermalase document: the plan, or the consultation file."""
    json_mode(as_json)
    from dermalase.report.schema import SCHEMAS

    if name not in SCHEMAS:
        raise InputError("schema", name, f"known schemas: {', '.join(SCHEMAS)}")
    emit(SCHEMAS[name](), as_json, lambda payload: print(json.dumps(payload, indent=2)))
