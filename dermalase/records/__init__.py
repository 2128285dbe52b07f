"""Treatment records: patients, plans, what was delivered, and how the skin healed.

The data-access layer of dermalase's records, used by ``dermalase records`` and the clinic
web application. Open a database with :func:`open_database`; work in a unit of work
(``with database.session() as session``); every function takes that session and the
clinic's id first and only ever sees that clinic's records: a record of another clinic is
:class:`RecordNotFoundError`, exactly like a missing one.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> database = open_database(f"sqlite:///{folder / 'records.sqlite3'}")
>>> with database.session() as session:
...     clinic = default_clinic(session, actor="doctest")
...     patient = add_patient(session, clinic.id, "chart-0001", 1980, 2, {}, actor="doctest")
...     [p.identifier for p in list_patients(session, clinic.id)]
['chart-0001']
>>> database.close()
"""

from dermalase.records.clinics import (
    DEFAULT_CLINIC,
    add_clinic,
    audit,
    audit_log,
    default_clinic,
    find_clinic,
    get_clinic,
    list_clinics,
)
from dermalase.records.database import (
    DATABASE_URL_VARIABLE,
    PHOTO_DIRECTORY_VARIABLE,
    Database,
    database_url,
    default_directory,
    head_revision,
    open_database,
)
from dermalase.records.errors import DatabaseError, RecordNotFoundError
from dermalase.records.healing import (
    Outcome,
    add_diary_entry,
    add_photo,
    get_diary_entry,
    get_photo,
    outcomes,
    phase_names,
    photo_hashes,
    record_photo,
)
from dermalase.records.patients import (
    add_patient,
    delete_patient,
    find_patient,
    get_patient,
    list_patients,
    patient_photos,
    update_patient,
)
from dermalase.records.photos import MAX_BYTES, PhotoStore, StoredImage, prepare_image
from dermalase.records.schema import (
    ROLES,
    VIEWS,
    AuditEntry,
    Clinic,
    Consultation,
    DeliveredArea,
    DiaryEntry,
    Patient,
    Photo,
    Plan,
    TreatmentSession,
    User,
)
from dermalase.records.treatments import (
    AreaDelivery,
    add_consultation,
    add_plan,
    add_session,
    get_consultation,
    get_plan,
    get_session,
    list_plans,
    list_sessions,
)
from dermalase.records.users import (
    add_user,
    get_user,
    list_users,
    set_password,
    verify_password,
)

__all__ = [
    "DATABASE_URL_VARIABLE",
    "DEFAULT_CLINIC",
    "MAX_BYTES",
    "PHOTO_DIRECTORY_VARIABLE",
    "ROLES",
    "VIEWS",
    "AreaDelivery",
    "AuditEntry",
    "Clinic",
    "Consultation",
    "Database",
    "DatabaseError",
    "DeliveredArea",
    "DiaryEntry",
    "Outcome",
    "Patient",
    "Photo",
    "PhotoStore",
    "Plan",
    "RecordNotFoundError",
    "StoredImage",
    "TreatmentSession",
    "User",
    "add_clinic",
    "add_consultation",
    "add_diary_entry",
    "add_patient",
    "add_photo",
    "add_plan",
    "add_session",
    "add_user",
    "audit",
    "audit_log",
    "database_url",
    "default_clinic",
    "default_directory",
    "delete_patient",
    "find_clinic",
    "find_patient",
    "get_clinic",
    "get_consultation",
    "get_diary_entry",
    "get_patient",
    "get_photo",
    "get_plan",
    "get_session",
    "get_user",
    "head_revision",
    "list_clinics",
    "list_patients",
    "list_plans",
    "list_sessions",
    "list_users",
    "open_database",
    "outcomes",
    "patient_photos",
    "phase_names",
    "photo_hashes",
    "prepare_image",
    "record_photo",
    "set_password",
    "update_patient",
    "verify_password",
]
