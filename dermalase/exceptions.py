"""Errors that the command line maps to exit codes.

``InputError`` (exit code 2) is bad input: a value out of range, an unknown
name, a malformed file. ``RefusalError`` (exit code 3) is a request that is
well formed but unsafe or that a device cannot deliver; it names the rule or
limit and its source.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

#: Longest value an error message shows [characters]; a longer one is cut with "…".
SHOWN_VALUE_LIMIT = 120


def one_line(text: str, limit: int | None = None) -> str:
    r"""``text`` on one line: control characters escaped, optionally cut to ``limit``.

    Newlines, form feeds, tabs and every other non-printable character are
    written as Python escapes (``\n``, ``\x0c``), so that an error message
    stays one line whatever the input was.

    Examples
    --------
    >>> one_line("5\n0um")
    '5\\n0um'
    """
    shown = "".join(
        character if character.isprintable() else repr(character)[1:-1] for character in text
    )
    if limit is not None and len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return shown


def did_you_mean(
    name: str,
    known: Iterable[str],
    *,
    aliases: Mapping[str, str] | None = None,
    cutoff: float = 0.5,
) -> str:
    """The hint an unknown-name error gives: ``"did you mean 'x'? "``, or ``""``.

    Every message about an unknown name (area, device, rule, field, citation)
    suggests the closest known name the same way, so that a typo reads alike
    wherever it is made.

    Parameters
    ----------
    name : str
        The name that was given (normalised by the caller as its lookup is).
    known : iterable of str
        The valid names.
    aliases : mapping of str to str, optional
        Other accepted spellings and the name each stands for; an alias that
        matches best is shown as the name it stands for.
    cutoff : float
        Least similarity (difflib's ratio, 0-1) for a suggestion.

    Returns
    -------
    str
        The hint with a trailing space, or an empty string when nothing is close.

    Examples
    --------
    >>> did_you_mean("ful_face", ["full_face", "neck"])
    "did you mean 'full_face'? "
    >>> did_you_mean("cheeks", ["full_face"], aliases={"cheek": "full_face"})
    "did you mean 'full_face'? "
    >>> did_you_mean("xyz", ["full_face"])
    ''
    """
    aliases = aliases or {}
    close = difflib.get_close_matches(name, [*known, *aliases], n=1, cutoff=cutoff)
    return f"did you mean {aliases.get(close[0], close[0])!r}? " if close else ""


class DermalaseError(Exception):
    """Base class of every error dermalase raises on purpose."""

    exit_code = 1


class InputError(DermalaseError, ValueError):
    """Bad input: names the field, the value and what would be allowed.

    Parameters
    ----------
    field : str
        Name of the offending input (CLI option, file key or argument).
    value : object
        The value that was given.
    allowed : str
        The allowed range, unit or the closest valid name.
    """

    exit_code = 2

    def __init__(self, field: str, value: object, allowed: str):
        self.field = field
        self.value = value
        self.allowed = allowed
        shown = one_line(str(value), SHOWN_VALUE_LIMIT)
        super().__init__(one_line(f"{field}: {shown} is not valid; {allowed}"))


class RefusalError(DermalaseError):
    """A request refused on safety or device grounds.

    Parameters
    ----------
    rule : str
        Identifier of the rule or device limit that refuses the request.
    message : str
        Plain-language reason, with the number that was exceeded.
    source : str
        Where the rule or limit comes from (a citation key or a device file).
    nearest : dict or None
        The nearest achievable request when one exists, keyed by glossary name
        in SI units (e.g. ``{"ablation_depth": 1.18e-4}`` [m]). The message
        shows it in clinical units; :attr:`nearest_clinical` gives the JSON form.
    """

    exit_code = 3

    def __init__(self, rule: str, message: str, source: str, nearest: dict | None = None):
        self.rule = rule
        self.message = message
        self.source = source
        self.nearest = nearest
        text = f"refused by {rule}: {message} (source: {source})"
        if nearest:
            from dermalase.units import format_clinical

            offer = ", ".join(format_clinical(name, value) for name, value in nearest.items())
            text += f"; nearest achievable: {offer}"
        super().__init__(one_line(text))

    @property
    def nearest_clinical(self) -> dict | None:
        """The nearest achievable request in clinical JSON keys (``ablation_depth_um``)."""
        if not self.nearest:
            return None
        from dermalase.units import clinical_nearest

        return clinical_nearest(self.nearest)


class TableMissingError(DermalaseError):
    """A response table that was neither shipped nor built (exit code 2).

    Lookups never build a table on their own: the message names the command
    that does.
    """

    exit_code = 2
