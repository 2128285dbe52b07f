"""Errors of the record store, mapped to exit codes by the command line.

A record that does not exist and a record of another clinic are the same
:class:`RecordNotFoundError` (exit code 2): a query for clinic B cannot even tell that clinic
A has a patient of that identifier. A database that cannot be used as it is (locked,
read-only, of a newer schema, unreachable) is a :class:`DatabaseError` (exit code 4): the
input was fine, the store was not, and nothing was written.
"""

from __future__ import annotations

from dermalase.exceptions import DermalaseError, InputError


class RecordNotFoundError(InputError):
    """No record of that kind and identifier in this clinic (exit code 2).

    Parameters
    ----------
    kind : str
        What was looked for (``"patient"``, ``"plan"``, ``"session"``...).
    identifier : object
        The identifier that was given.
    """

    def __init__(self, kind: str, identifier: object):
        self.kind = kind
        super().__init__(kind, identifier, f"no {kind} of that identifier in this clinic")


class DatabaseError(DermalaseError):
    """The database cannot be used as it is; names it (password hidden) and the reason.

    Parameters
    ----------
    database : str
        The database URL with its password hidden.
    problem : str
        What is wrong and what to do about it.
    """

    exit_code = 4

    def __init__(self, database: str, problem: str):
        self.database = database
        self.problem = problem
        super().__init__(f"database {database}: {problem}")
