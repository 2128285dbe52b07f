"""The ``dermalase`` Typer application, its JSON output and its exit codes.

Quantities are read with their units (``10J/cm2``, ``300us``, ``2940nm``)
and converted to SI in the command modules, the only place besides files
where clinical units appear. Bad input exits with code 2 and one line naming
the field; a refusal exits with code 3. With ``--json`` every command prints
exactly one JSON object (an ``error`` object on failure).
"""

from __future__ import annotations

import json
import sys

import typer
import typer.core
import typer.main
from rich.table import Table
from typer.exceptions import TyperException

from dermalase.cli.options import SETTINGS_OPTIONS
from dermalase.exceptions import DermalaseError, InputError, RefusalError, one_line

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Open, physics-based planning for laser skin resurfacing.",
)

JSON_MODE = {"on": False}


def _print_version(asked: bool) -> None:
    """Print ``dermalase X.Y.Z`` and stop, when ``--version`` is given."""
    if asked:
        from dermalase import __version__

        print(f"dermalase {__version__}")
        raise typer.Exit(0)


@app.callback()
def _options(
    version: bool = typer.Option(
        False,
        "--version",
        is_eager=True,
        callback=_print_version,
        help="Print the version (dermalase X.Y.Z) and exit.",
    ),
) -> None:
    """Open, physics-based planning for laser skin resurfacing."""


def _as_option(error: DermalaseError, args: list[str]) -> DermalaseError:
    """The same input error, named by the option the user typed where there is one.

    A bad value caught deep in the library names its settings field
    (``pulses``); when the running command has the option that sets that field
    (``--pulses``), the error names the option instead.
    """
    if not isinstance(error, InputError) or error.field not in SETTINGS_OPTIONS:
        return error
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)  # the app has subcommands
    command = group.commands.get(args[0]) if args else None
    flags = {flag for param in getattr(command, "params", ()) for flag in param.opts}
    flag = SETTINGS_OPTIONS[error.field]
    return InputError(flag, error.value, error.allowed) if flag in flags else error


def _command(args: list[str]):
    """The click command that ``args`` run (a subcommand of a group included), or None."""
    command = typer.main.get_command(app)
    for token in args:
        if not isinstance(command, typer.core.TyperGroup) or token not in command.commands:
            break
        command = command.commands[token]
    return None if isinstance(command, typer.core.TyperGroup) else command


def check_arguments(args: list[str]) -> None:
    """Refuse an option given twice or given an empty value, before the command runs.

    Click lets the last of a repeated option win silently and reads an empty
    string as a value; for settings that set a laser dose both must be errors.
    Options declared repeatable (``--override``, ``--reason``) may repeat.

    Raises
    ------
    InputError
        Naming the option.
    """
    command = _command(args)
    if command is None:
        return
    options = {
        flag: param
        for param in command.params
        if isinstance(param, typer.core.TyperOption)
        for flag in (*param.opts, *param.secondary_opts)
    }
    seen: dict[str, str] = {}
    tokens = iter(args)
    for token in tokens:
        if token == "--":
            break
        flag, has_value, given = token.partition("=")
        value: str | None = given
        param = options.get(flag)
        if param is None:
            continue
        if not param.is_flag and not has_value:
            value = next(tokens, None)
        if not param.multiple and param.name in seen:
            raise InputError(flag, "given twice", "give each option once")
        seen[param.name] = flag
        if not param.is_flag and value is not None and not value.strip():
            raise InputError(flag, repr(value), "is empty; give a value or leave the option out")


def json_mode(as_json: bool) -> None:
    """Record whether the running command prints JSON, for error output."""
    JSON_MODE["on"] = as_json


def emit(payload: dict, as_json: bool, render) -> None:
    """Print ``payload`` as one JSON object, or hand it to ``render``."""
    if as_json:
        print(json.dumps(payload, indent=2))
    else:
        render(payload)


def counted(count: float, singular: str, plural: str | None = None) -> str:
    """``"1 pass"``, ``"3 passes"``: a count with its noun in the right number.

    Examples
    --------
    >>> counted(1, "pass", "passes"), counted(3, "session")
    ('1 pass', '3 sessions')
    """
    noun = singular if count == 1 else (plural or f"{singular}s")
    return f"{count:g} {noun}"


def device_title(name: str) -> str:
    """A device's display name for a terminal title (its file name stays in the JSON)."""
    from dermalase.devices import load_device

    return load_device(name).display_name


def key_value_table(title: str) -> Table:
    """A two-column table of labels and values that folds, never truncates, a long value.

    At 80 columns a value too long for its cell wraps onto the next line
    instead of ending in "…"; the table is at least as wide as its title
    (up to 80 columns), so that a device's full name does not break it.
    """
    table = Table(title=title, show_header=False, min_width=min(len(title) + 4, 80))
    table.add_column("quantity", overflow="fold")
    table.add_column("value", overflow="fold")
    return table


#: Help of the ``--sources`` flag of the commands that cite their sources.
SOURCES_HELP = "Print the full references in the terminal view (--json always has them)."


def print_sources(console, sources: list[str], shown: bool) -> None:
    """Print the full references when ``shown``; else one line saying how many there are.

    Parameters
    ----------
    console : rich.console.Console
        Where to print.
    sources : list of str
        The full references of the result (its ``sources`` key).
    shown : bool
        Whether ``--sources`` was given.
    """
    if not sources:
        return
    if not shown:
        count = len(sources)
        noun = "reference" if count == 1 else "references"
        console.print(f"Sources: {count} {noun} (--sources prints them).", highlight=False)
        return
    console.print("Sources:")
    for source in sources:
        console.print(f"  - {source}", highlight=False, markup=False)


def main(argv: list[str] | None = None) -> None:
    """Run the command line and map errors to exit codes."""
    args = list(sys.argv[1:] if argv is None else argv) or ["--help"]
    JSON_MODE["on"] = "--json" in args
    try:
        check_arguments(args)
        app(args=args, standalone_mode=False, prog_name="dermalase")
    except DermalaseError as error:
        error = _as_option(error, args)
        _fail(str(error), error.exit_code, error)
    except typer.Exit as done:
        raise SystemExit(done.exit_code) from None
    except typer.Abort:
        _fail("aborted", 1, None)
    except TyperException as error:
        message = error.format_message() if hasattr(error, "format_message") else str(error)
        _fail(message.replace("\n", " "), 2, error)
    raise SystemExit(0)


def _fail(message: str, code: int, error: Exception | None) -> None:
    message = one_line(message)
    if JSON_MODE["on"]:
        payload = {"error": message, "exit_code": code}
        for attribute in ("field", "value", "allowed", "rule", "source"):
            if error is not None and hasattr(error, attribute):
                payload[attribute] = one_line(str(getattr(error, attribute)))
        if isinstance(error, RefusalError) and error.nearest:
            payload["nearest"] = error.nearest_clinical
        print(json.dumps(payload))
    print(f"dermalase: error: {message}", file=sys.stderr)
    raise SystemExit(code)
