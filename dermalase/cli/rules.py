"""``dermalase rules``: every clinical rule, with its kind, reason and sources.

The ids it lists are what ``plan --override RULE`` takes.
"""

from __future__ import annotations

import typer
from rich.console import Console
from rich.padding import Padding
from rich.text import Text

from dermalase.cli.app import app, emit, json_mode


@app.command()
def rules(as_json: bool = typer.Option(False, "--json", help="Print one JSON object.")) -> None:
    """List every clinical rule: its id (for --override), kind, reason and sources."""
    json_mode(as_json)
    from dermalase.clinical.rules.schema import load_rules

    rule_set = load_rules()
    payload = {"origin": rule_set.origin, "rules": rule_set.listing()}
    emit(payload, as_json, _render)


def _render(result: dict) -> None:
    console = Console()
    for rule in result["rules"]:
        console.print(f"{rule['id']} ({rule['kind'].replace('_', ' ')})", highlight=False)
        lines = [rule["reason"], *(f"Source: {source}" for source in rule["sources"])]
        console.print(Padding(Text("\n".join(lines)), (0, 0, 0, 2)))
    console.print(
        "Override a rule with: dermalase plan FILE --override RULE --reason TEXT "
        "(indication rules cannot be overridden).",
        highlight=False,
    )
