"""The sources behind the clinical rules, the recovery model, the course and the aftercare.

Sources are data (``data/sources.toml``), one table per key. A table either names a
work already registered in :mod:`dermalase.citations` (``citation = "Chopra2015"``), whose
full reference is taken from there, or gives the full reference as ``text``. Every source
carries a ``status``: ``confirmed`` (the value was read in the source), ``secondary`` (a
clinic, vendor or Q&A page) or ``assumption`` (a planning assumption of this project,
with no checked source). :func:`describe` turns keys into the text a finding or an
instruction carries.

Examples
--------
>>> source("Gilbert2000").status
'confirmed'
>>> describe(["ProductBrief"]).endswith("[assumption]")
True
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

# Imported for their side effect: they register the citations that sources.toml names.
from dermalase import citations
from dermalase.devices import hantash2007  # noqa: F401
from dermalase.exceptions import InputError
from dermalase.tissue.parameters import chopra2015, kaufmann_hibst1996, meng2022  # noqa: F401

#: How a source was read.
SourceStatus = Literal["confirmed", "secondary", "assumption"]


@dataclass(frozen=True)
class Source:
    """One source of a clinical rule or model value.

    Parameters
    ----------
    key : str
        Short key used in the rule and model data files.
    text : str
        The full reference.
    status : str
        ``"confirmed"``, ``"secondary"`` or ``"assumption"``.
    note : str
        What dermalase takes from the source.
    """

    key: str
    text: str
    status: str
    note: str = ""

    def __str__(self) -> str:
        text = self.text.rstrip(".")
        return text if self.status == "confirmed" else f"{text} [{self.status}]"


class _SourceEntry(BaseModel):
    """One table of ``sources.toml``, as written."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    citation: str | None = None
    text: str | None = None
    status: SourceStatus
    note: str = ""

    @model_validator(mode="after")
    def _one_reference(self) -> _SourceEntry:
        if (self.citation is None) == (self.text is None):
            raise ValueError("give exactly one of 'citation' (a registered key) or 'text'")
        return self


@cache
def _registry() -> dict[str, Source]:
    """Read the bundled sources once."""
    raw = resources.files("dermalase.clinical").joinpath("data/sources.toml").read_text()
    document = tomllib.loads(raw)
    found: dict[str, Source] = {}
    for key, table in document.items():
        try:
            entry = _SourceEntry.model_validate(table)
        except ValidationError as error:
            first = error.errors(include_url=False)[0]
            raise InputError(f"sources.{key}", table, first["msg"]) from None
        text = entry.text if entry.citation is None else str(citations.get(entry.citation))
        found[key] = Source(key, text, entry.status, entry.note)
    return found


def source_keys() -> tuple[str, ...]:
    """Keys of every bundled source."""
    return tuple(_registry())


def source(key: str) -> Source:
    """Return one source by key.

    Raises
    ------
    InputError
        For an unknown key, naming the closest known key.
    """
    known = _registry()
    if key in known:
        return known[key]
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.5)
    hint = f"did you mean {close[0]!r}?" if close else "not a known source key"
    raise InputError("source", key, hint)


def describe(keys: Iterable[str]) -> str:
    """Full references of several sources, joined by ``"; "``, without repeats.

    Parameters
    ----------
    keys : iterable of str
        Source keys, in the order they should be cited.

    Returns
    -------
    str
        The references; a source that is not ``confirmed`` ends with its status.
    """
    return "; ".join(str(source(key)) for key in dict.fromkeys(keys))
