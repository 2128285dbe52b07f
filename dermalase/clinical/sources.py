"""The sources behind the clinical rules, the recovery model, the course and the aftercare.

Sources are data (``data/sources.toml``), one table per key, registered in the one
citation registry (:mod:`dermalase.citations`) when this module is imported. Works
that a parameter module registers already (``Chopra2015``, ``Meng2022``,
``Hantash2007``, ``KaufmannHibst1996``) are cited by their key and are not repeated
in the file. This module only loads the file and keeps the names the clinical
modules import: :func:`source`, :func:`describe`, :func:`source_keys`, :class:`Source`.

Examples
--------
>>> source("Gilbert2000").status
'peer-reviewed'
>>> describe(["ProductBrief"]).endswith("[assumption]")
True
"""

from __future__ import annotations

from importlib import resources

from dermalase import citations
from dermalase.citations import Citation as Source
from dermalase.citations import describe
from dermalase.devices import hantash2007
from dermalase.tissue.parameters import chopra2015, kaufmann_hibst1996, meng2022

#: Keys of the works registered by parameter modules that the clinical data cite.
_REGISTERED_ELSEWHERE = tuple(
    module.CITATION.key for module in (chopra2015, meng2022, hantash2007, kaufmann_hibst1996)
)

#: Keys of the sources in ``data/sources.toml``, in file order.
_FILE_KEYS = citations.register_document(
    resources.files("dermalase.clinical").joinpath("data/sources.toml").read_text(), "sources"
)

__all__ = ["Source", "describe", "source", "source_keys"]


def source_keys() -> tuple[str, ...]:
    """Keys of every source the clinical data may cite: the file's and the four works above."""
    return _REGISTERED_ELSEWHERE + _FILE_KEYS


def source(key: str) -> Source:
    """Return one source by key (any registered citation).

    Raises
    ------
    InputError
        For an unknown key, naming the closest known key.
    """
    return citations.get(key)
