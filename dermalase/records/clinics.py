"""Clinics and the audit log: the owner of every record, and who did what to it.

Every data-access function of :mod:`dermalase.records` takes the clinic's id and scopes its
query to it; :func:`get_clinic` is the one place a clinic itself is looked up.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from dermalase.exceptions import InputError
from dermalase.records.errors import RecordNotFoundError
from dermalase.records.schema import NAME_LENGTH, AuditEntry, Clinic


class _ClinicScoped(Protocol):
    """A table whose rows belong to one clinic."""

    clinic_id: Any


#: A clinic-scoped table's row type.
Row = TypeVar("Row", bound=_ClinicScoped)

#: Name of the clinic a local database has when none is named.
DEFAULT_CLINIC = "default"

#: What an audit entry may say was done.
ACTIONS = ("create", "change", "delete", "repair")


def check_name(field: str, value: str) -> str:
    """``value`` stripped, refused when empty, too long or holding control characters.

    Raises
    ------
    InputError
        Naming ``field``.
    """
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise InputError(field, repr(value), "give a non-empty name")
    if len(text) > NAME_LENGTH:
        raise InputError(field, text, f"at most {NAME_LENGTH} characters")
    if not text.isprintable():
        raise InputError(field, text, "printable characters only")
    return text


def add_clinic(session: Session, name: str, actor: str) -> Clinic:
    """Create a clinic.

    Raises
    ------
    InputError
        An empty name, or a clinic of that name already exists.
    """
    name = check_name("clinic", name)
    if session.scalar(select(Clinic.id).where(Clinic.name == name)) is not None:
        raise InputError("clinic", name, "a clinic of that name exists already")
    clinic = Clinic(name=name)
    session.add(clinic)
    session.flush()
    audit(session, clinic.id, actor, "create", "clinic", clinic.id)
    return clinic


def get_clinic(session: Session, clinic_id: int) -> Clinic:
    """The clinic of that id.

    Raises
    ------
    RecordNotFoundError
        No such clinic.
    """
    clinic = session.get(Clinic, clinic_id)
    if clinic is None:
        raise RecordNotFoundError("clinic", clinic_id)
    return clinic


def find_clinic(session: Session, name: str) -> Clinic:
    """The clinic of that name.

    Raises
    ------
    RecordNotFoundError
        No such clinic.
    """
    clinic = session.scalar(select(Clinic).where(Clinic.name == name))
    if clinic is None:
        raise RecordNotFoundError("clinic", name)
    return clinic


def default_clinic(session: Session, actor: str) -> Clinic:
    """The local database's one default clinic, created on first use."""
    clinic = session.scalar(select(Clinic).where(Clinic.name == DEFAULT_CLINIC))
    if clinic is None:
        clinic = add_clinic(session, DEFAULT_CLINIC, actor)
    return clinic


def list_clinics(session: Session) -> list[Clinic]:
    """Every clinic, by name."""
    return list(session.scalars(select(Clinic).order_by(Clinic.name)))


def audit(
    session: Session,
    clinic_id: int,
    actor: str,
    action: str,
    record_type: str,
    record_id: int,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Log that ``actor`` did ``action`` to a record, in the same transaction as the change.

    ``details`` must not hold patient-identifying data (identifiers, free text).
    """
    if action not in ACTIONS:
        raise InputError("action", action, f"one of {', '.join(ACTIONS)}")
    entry = AuditEntry(
        clinic_id=clinic_id,
        actor=check_name("actor", actor),
        action=action,
        record_type=record_type,
        record_id=record_id,
        details=details or {},
    )
    session.add(entry)
    return entry


def audit_log(session: Session, clinic_id: int, limit: int = 1000) -> list[AuditEntry]:
    """The clinic's audit entries, newest first."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.clinic_id == clinic_id)
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def one_in_clinic(
    session: Session,
    model: type[Row],
    clinic_id: int,
    kind: str,
    identifier: object,
    *where: Any,
    options: Sequence[Any] = (),
) -> Row:
    """The one row of ``model`` in this clinic that meets ``where``: clinic isolation in one place.

    Every lookup of a clinic's record goes through here, so that a record of another clinic
    is "not found", exactly like a missing one.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        The unit of work.
    model : type
        A clinic-scoped table (it has ``clinic_id``).
    clinic_id : int
        The clinic asking.
    kind, identifier : str, object
        What was looked for and by what, for the error message.
    *where
        The conditions that pick the row (e.g. ``Plan.id == 3``).
    options : sequence
        Loader options (e.g. ``selectinload(...)``).

    Raises
    ------
    RecordNotFoundError
        No such row in this clinic (another clinic's row included).
    """
    query = select(model).where(model.clinic_id == clinic_id, *where).options(*options)
    row = session.scalar(query)
    if row is None:
        raise RecordNotFoundError(kind, identifier)
    return row
