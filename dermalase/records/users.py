"""The people who sign in to a clinic's records: e-mail, role and an Argon2id password hash.

Passwords are hashed with Argon2id (``argon2-cffi``'s defaults, RFC 9106's second
recommended parameter set); the password itself is never stored or logged. A sign-in for an
unknown e-mail still verifies a hash, so that its timing does not tell which e-mails exist.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dermalase.exceptions import InputError
from dermalase.records.clinics import audit, check_name, get_clinic, one_in_clinic
from dermalase.records.schema import ROLES, User

#: Shortest password accepted [characters] (NIST SP 800-63B, section 3.1.1.2: at least 8;
#: 12 for accounts that read medical records).
MIN_PASSWORD_LENGTH = 12

#: Longest password accepted [characters]: bounds the hashing work one request can cause.
MAX_PASSWORD_LENGTH = 1024


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


def normalise_email(email: str) -> str:
    """``email`` stripped and lower-cased; refused unless it looks like ``name@domain``.

    Raises
    ------
    InputError
        Naming the field ``email``.
    """
    text = check_name("email", email).lower()
    local, at, domain = text.partition("@")
    if not at or not local or "." not in domain or " " in text or "@" in domain:
        raise InputError("email", email, "an e-mail address such as name@clinic.example")
    return text


def add_user(
    session: Session,
    clinic_id: int,
    email: str,
    password: str,
    role: str,
    display_name: str,
    actor: str,
) -> User:
    """Create a user of a clinic.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
    clinic_id : int
    email : str
        Unique within the clinic (compared lower-cased).
    password : str
        :data:`MIN_PASSWORD_LENGTH` to :data:`MAX_PASSWORD_LENGTH` characters.
    role : str
        ``"physician"`` or ``"staff"``.
    display_name : str
        How the user is named on screen and in the audit log.
    actor : str
        Who creates the account.

    Raises
    ------
    RecordNotFoundError
        No such clinic.
    InputError
        Bad e-mail, role or password, or the e-mail is taken in this clinic.
    """
    get_clinic(session, clinic_id)
    email = normalise_email(email)
    if role not in ROLES:
        raise InputError("role", role, f"one of {', '.join(ROLES)}")
    _check_password(password)
    name = check_name("display_name", display_name)
    taken = select(User.id).where(User.clinic_id == clinic_id, User.email == email)
    if session.scalar(taken) is not None:
        raise InputError("email", email, "a user of this e-mail exists in this clinic")
    user = User(
        clinic_id=clinic_id,
        email=email,
        display_name=name,
        role=role,
        password_hash=_hasher().hash(password),
    )
    session.add(user)
    session.flush()
    audit(session, clinic_id, actor, "create", "user_account", user.id, {"role": role})
    return user


def _check_password(password: str) -> None:
    if not isinstance(password, str) or not (
        MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH
    ):
        length = len(password) if isinstance(password, str) else 0
        raise InputError(
            "password",
            f"{length} characters",
            f"{MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters",
        )


#: A hash verified when the e-mail is unknown, so that both answers take as long.
_DECOY = {"hash": ""}


def verify_password(session: Session, clinic_id: int, email: str, password: str) -> User | None:
    """The active user of this clinic with this e-mail and password, or None.

    A hash made with older parameters is re-hashed with the current ones on success.
    An unknown e-mail, a wrong password and an inactive account all give None.
    """
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    hasher = _hasher()
    try:
        address = normalise_email(email)
    except InputError:
        address = ""
    user = session.scalar(select(User).where(User.clinic_id == clinic_id, User.email == address))
    if not isinstance(password, str) or len(password) > MAX_PASSWORD_LENGTH:
        password = ""
    if user is None:
        if not _DECOY["hash"]:
            _DECOY["hash"] = hasher.hash("decoy password, never valid")
        try:
            hasher.verify(_DECOY["hash"], password)
        except VerificationError:
            pass
        return None
    try:
        hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if not user.active:
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return user


def set_password(session: Session, clinic_id: int, user_id: int, password: str, actor: str) -> None:
    """Replace a user's password.

    Raises
    ------
    RecordNotFoundError
        No such user in this clinic.
    InputError
        A password outside the allowed length.
    """
    user = get_user(session, clinic_id, user_id)
    _check_password(password)
    user.password_hash = _hasher().hash(password)
    audit(session, clinic_id, actor, "change", "user_account", user.id, {"field": "password"})


def get_user(session: Session, clinic_id: int, user_id: int) -> User:
    """The user of that id in this clinic.

    Raises
    ------
    RecordNotFoundError
        No such user in this clinic (a user of another clinic included).
    """
    return one_in_clinic(session, User, clinic_id, "user", user_id, User.id == user_id)


def list_users(session: Session, clinic_id: int) -> list[User]:
    """The clinic's users, by e-mail."""
    return list(
        session.scalars(select(User).where(User.clinic_id == clinic_id).order_by(User.email))
    )
