"""Citation registry.

Every parameter set registers the work it comes from when its module is
imported; results carry the keys of the citations they relied on, and
:func:`format_sources` turns those keys into reference strings.

Examples
--------
>>> from dermalase import citations
>>> c = citations.register(citations.Citation(
...     key="Example2000", authors="Doe J", title="A title", venue="J Ex", year=2000))
>>> citations.get("Example2000").year
2000
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from dermalase.exceptions import InputError


@dataclass(frozen=True)
class Citation:
    """One published source.

    Parameters
    ----------
    key : str
        Short AuthorYear key, e.g. ``"HaleQuerry1973"``.
    authors : str
        Author list as printed in a reference.
    title : str
        Title of the work.
    venue : str
        Journal, volume and pages, or the publisher.
    year : int
        Year of publication.
    doi : str or None
        Digital object identifier, where one exists.
    note : str
        What dermalase takes from the work and how sure that reading is.
    """

    key: str
    authors: str
    title: str
    venue: str
    year: int
    doi: str | None = None
    note: str = ""

    def __str__(self) -> str:
        text = f"{self.authors} ({self.year}). {self.title}. {self.venue}."
        if self.doi:
            text += f" doi:{self.doi}"
        return text


_REGISTRY: dict[str, Citation] = {}


def register(citation: Citation) -> Citation:
    """Add a citation to the registry and return it.

    Registering the same key twice with identical content is allowed (modules
    may be reloaded); a different citation under an existing key is an error.
    """
    known = _REGISTRY.get(citation.key)
    if known is not None and known != citation:
        raise ValueError(f"citation key {citation.key!r} already registered differently")
    _REGISTRY[citation.key] = citation
    return citation


def get(key: str) -> Citation:
    """Return the registered citation with this key."""
    try:
        return _REGISTRY[key]
    except KeyError:
        close = difflib.get_close_matches(key, list(_REGISTRY), n=1)
        hint = f"did you mean {close[0]!r}?" if close else "no citation is registered by that key"
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
