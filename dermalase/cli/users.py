"""``dermalase users add``: the accounts that sign in to the clinic web application."""

from __future__ import annotations

import getpass
import sys

import typer

from dermalase.cli.app import app, emit, json_mode, key_value_table
from dermalase.exceptions import InputError

users_app = typer.Typer(no_args_is_help=True, help="Accounts of the clinic web application.")
app.add_typer(users_app, name="users")


def _password() -> str:
    """The new password: asked twice at a terminal, else one line of standard input."""
    if sys.stdin.isatty():
        first = getpass.getpass("Password (12 characters or more): ")
        if getpass.getpass("Password again: ") != first:
            raise InputError("password", "(hidden)", "the two entries differ; type it again")
        return first
    line = sys.stdin.readline()
    if not line:
        raise InputError("password", "(none)", "give the password on standard input")
    return line.rstrip("\r\n")


@users_app.command("add")
def add(
    clinic: str = typer.Option(..., help="The clinic's name (created if it does not exist)."),
    email: str = typer.Option(..., help="The user's e-mail, used to sign in."),
    role: str = typer.Option(..., help="physician or staff (staff cannot override rules)."),
    name: str = typer.Option("", help="Name shown on the pages (default: the e-mail)."),
    database_url: str = typer.Option(
        None,
        "--database-url",
        help="Records database (default: $DERMALASE_DATABASE_URL or the bundled SQLite file).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Add a user to a clinic; the password is prompted for (or read from standard input)."""
    json_mode(as_json)
    from dermalase import records

    if role not in records.ROLES:
        raise InputError("--role", role, f"one of {', '.join(records.ROLES)}")
    password = _password()
    database = records.open_database(database_url)
    try:
        with database.session() as session:
            try:
                found = records.find_clinic(session, clinic)
            except records.RecordNotFoundError:
                found = records.add_clinic(session, clinic, actor="dermalase users add")
            user = records.add_user(
                session,
                found.id,
                email,
                password,
                role,
                name or email,
                actor="dermalase users add",
            )
            payload = {"clinic": found.name, "email": user.email, "role": user.role}
    finally:
        database.close()

    def render(result: dict) -> None:
        from rich.console import Console

        table = key_value_table("User added")
        for key, value in result.items():
            table.add_row(key, str(value))
        Console().print(table)

    emit(payload, as_json, render)
