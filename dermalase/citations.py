"""Citation registry: every source dermalase relies on, each with its status.

There is one registry and one way into it, :func:`register`. A parameter module
registers the work its values come from when it is imported (PyBaMM style); the
clinical sources are data (``dermalase/clinical/data/sources.toml``) registered
table by table through :func:`register_document`. Results carry the keys of the
sources they relied on; :func:`sources_for` (or :func:`format_sources`) turns keys
from physics and clinic alike into reference strings, and :func:`describe` into the
one-line text a finding or an instruction carries.

Every source has a ``status``:

``"peer-reviewed"``
    An original article, systematic review or consensus statement in a
    peer-reviewed journal.
``"secondary"``
    A textbook, book chapter, narrative review, thesis, conference digest or
    abstract, manufacturer or regulatory document, trade press, clinic or Q&A page.
``"assumption"``
    A value the project chose, with no checked source behind it.

Examples
--------
>>> from dermalase import citations
>>> c = citations.register(citations.Citation(
...     key="Example2000", authors="Doe J", title="A title", venue="J Ex", year=2000,
...     status="peer-reviewed"))
>>> citations.get("Example2000").year
2000
>>> str(c)
'Doe J (2000). A title. J Ex.'
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Literal, get_args

from dermalase.exceptions import InputError, did_you_mean

#: What kind of source a citation is (see the module docstring).
Status = Literal["peer-reviewed", "secondary", "assumption"]
#: The allowed statuses, in order of strength.
STATUSES: tuple[str, ...] = get_args(Status)


@dataclass(frozen=True, kw_only=True)
class Citation:
    """One source: a published work, a document or a project assumption.

    A work is given either by its parts (``authors``, ``title``, ``venue``,
    ``year``) or, where those were not all read, as one ``text`` to be cited as
    written.

    Parameters
    ----------
    key : str
        Short key, e.g. ``"HaleQuerry1973"``.
    status : str
        ``"peer-reviewed"``, ``"secondary"`` or ``"assumption"``.
    authors : str
        Author list as printed in a reference.
    title : str
        Title of the work.
    venue : str
        Journal, volume and pages, or the publisher.
    year : int or None
        Year of publication.
    doi : str or None
        Digital object identifier, where one exists.
    text : str or None
        The full reference as written, for a source not given by its parts.
    note : str
        What dermalase takes from the source and how sure that reading is.
    marked : bool
        Whether :func:`describe` prints a status other than ``"peer-reviewed"``
        after the reference (``"... [secondary]"``). False only for sources that
        finding texts printed unmarked before statuses were introduced.

    Raises
    ------
    ValueError
        For an empty key, a status not in :data:`STATUSES`, or a reference given
        both (or neither) by its parts and as ``text``.
    """

    key: str
    status: Status
    authors: str = ""
    title: str = ""
    venue: str = ""
    year: int | None = None
    doi: str | None = None
    text: str | None = None
    note: str = ""
    marked: bool = True

    def __post_init__(self) -> None:
        if not self.key:
            raise ValueError("a citation needs a key")
        if self.status not in STATUSES:
            raise ValueError(
                f"citation {self.key!r}: status {self.status!r} is not one of {STATUSES}"
            )
        parts = (self.authors, self.title, self.venue, self.year)
        if self.text is None and not all(parts):
            raise ValueError(
                f"citation {self.key!r}: give authors, title, venue and year, or the full text"
            )
        if self.text is not None and any(parts):
            raise ValueError(f"citation {self.key!r}: give its parts or its text, not both")

    def __str__(self) -> str:
        if self.text is not None:
            return self.text
        text = f"{self.authors} ({self.year}). {self.title}. {self.venue}."
        if self.doi:
            text += f" doi:{self.doi}"
        return text

    def in_text(self) -> str:
        """The reference as a finding or an instruction prints it.

        Returns
        -------
        str
            The reference without its final full stop; a marked source that is
            not peer-reviewed ends with its status in brackets.
        """
        text = str(self).rstrip(".")
        if self.marked and self.status != "peer-reviewed":
            text += f" [{self.status}]"
        return text


_REGISTRY: dict[str, Citation] = {}


def register(citation: Citation) -> Citation:
    """Add a citation to the registry and return it.

    Registering the same key twice with identical content is allowed (modules
    may be reloaded, and several modules may cite one work); a different
    citation under an existing key is an error.

    Raises
    ------
    ValueError
        When the key is already registered with different content.
    """
    known = _REGISTRY.get(citation.key)
    if known is not None and known != citation:
        raise ValueError(f"citation key {citation.key!r} already registered differently")
    _REGISTRY[citation.key] = citation
    return citation


_FIELDS = frozenset(field.name for field in fields(Citation)) - {"key"}


def register_document(text: str, origin: str) -> tuple[str, ...]:
    """Register every table of a TOML document as a citation, keyed by table name.

    Parameters
    ----------
    text : str
        TOML text; each top-level table is one source, its fields those of
        :class:`Citation` (``status`` is required).
    origin : str
        Name of the document, used in error messages (e.g. ``"sources"``).

    Returns
    -------
    tuple of str
        The keys registered, in document order.

    Raises
    ------
    InputError
        For a table with an unknown field, a missing or unknown status, or an
        incomplete reference.
    """
    keys = []
    for key, table in tomllib.loads(text).items():
        unknown = sorted(set(table) - _FIELDS) if isinstance(table, Mapping) else ["(not a table)"]
        if unknown:
            raise InputError(f"{origin}.{key}", unknown, f"fields are {sorted(_FIELDS)}")
        if "status" not in table:
            raise InputError(f"{origin}.{key}.status", "missing", f"one of {STATUSES}")
        try:
            register(Citation(key=key, **table))
        except ValueError as error:
            raise InputError(f"{origin}.{key}", table.get("status"), str(error)) from None
        keys.append(key)
    return tuple(keys)


def get(key: str) -> Citation:
    """Return the registered citation with this key.

    Raises
    ------
    InputError
        For an unknown key, naming the closest registered key.
    """
    try:
        return _REGISTRY[key]
    except KeyError:
        hint = did_you_mean(key, _REGISTRY).strip() or "no citation is registered by that key"
        raise InputError("citation", key, hint) from None


def registered() -> dict[str, Citation]:
    """Return a copy of the whole registry, keyed by citation key."""
    return dict(_REGISTRY)


def merge(*groups: Iterable[str]) -> tuple[str, ...]:
    """Merge citation keys from several results, keeping first-seen order."""
    seen: dict[str, None] = {}
    for group in groups:
        for key in group:
            seen.setdefault(key, None)
    return tuple(seen)


def format_sources(keys: Iterable[str]) -> list[str]:
    """Return the full reference string of each key, in order, without repeats."""
    return [str(get(key)) for key in merge(keys)]


def sources_for(*groups: Iterable[str]) -> list[str]:
    """Reference strings of every source behind a result, physics and clinic alike.

    Parameters
    ----------
    *groups : iterable of str
        Groups of citation keys (a dose result's sources, a rule's, the recovery
        model's...), in the order they should be listed.

    Returns
    -------
    list of str
        One full reference per key, first-seen order, without repeats.

    Raises
    ------
    InputError
        For an unknown key, naming the closest registered key.

    Examples
    --------
    >>> from dermalase.tissue.parameters import chopra2015
    >>> len(sources_for(["Chopra2015"], ["Chopra2015"]))
    1
    """
    return format_sources(merge(*groups))


def describe(keys: Iterable[str]) -> str:
    """The references of several sources as one line of text, joined by ``"; "``.

    Parameters
    ----------
    keys : iterable of str
        Citation keys, in the order they should be cited; repeats are dropped.

    Returns
    -------
    str
        Each reference as :meth:`Citation.in_text` prints it.
    """
    return "; ".join(get(key).in_text() for key in merge(keys))


def by_status(status: str) -> tuple[str, ...]:
    """Keys of the registered sources with this status, in registration order.

    Raises
    ------
    InputError
        For a status not in :data:`STATUSES`.
    """
    if status not in STATUSES:
        raise InputError("status", status, f"one of {STATUSES}")
    return tuple(key for key, citation in _REGISTRY.items() if citation.status == status)
