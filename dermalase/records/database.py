"""Where the records live: opening the database, its sessions, its schema version.

SQLite by default, in the user data directory (:func:`default_directory`), in WAL mode with
foreign keys on; PostgreSQL when the URL (``--database-url`` or the environment variable
``DERMALASE_DATABASE_URL``) says ``postgresql+psycopg://…``. The photo files live next to a
SQLite database, or under ``DERMALASE_PHOTO_DIR`` (default: the user data directory).

:func:`open_database` migrates an empty database to the newest schema; a database at an
older revision must be migrated on purpose (:meth:`Database.migrate`, ``dermalase records
migrate``), and one at a revision this version does not know (a newer dermalase wrote it)
is refused. Every failure of the database itself (locked, read-only, unreachable, not a
database) is one :class:`~dermalase.records.errors.DatabaseError` naming the database.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> database = open_database(f"sqlite:///{folder / 'records.sqlite3'}")
>>> database.revision() == head_revision()
True
>>> database.close()
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import platformdirs
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from dermalase.exceptions import InputError
from dermalase.records.errors import DatabaseError
from dermalase.records.photos import PhotoStore
from dermalase.records.reports import ReportStore

#: Environment variable naming the database URL.
DATABASE_URL_VARIABLE = "DERMALASE_DATABASE_URL"

#: Environment variable naming the photo directory.
PHOTO_DIRECTORY_VARIABLE = "DERMALASE_PHOTO_DIR"

#: File name of the default SQLite database inside the data directory.
SQLITE_FILE = "records.sqlite3"

#: How long a writer waits for another writer's lock before giving up [s].
LOCK_TIMEOUT = 30.0

#: URL schemes (SQLAlchemy dialect+driver) a records database may have.
DRIVERS = ("sqlite", "postgresql+psycopg")

#: Folder of the Alembic migration scripts shipped in the package.
MIGRATIONS = Path(__file__).with_name("migrations")


def default_directory() -> Path:
    """The user data directory of dermalase (platformdirs), where records live by default."""
    return platformdirs.user_data_path("dermalase", appauthor=False)


def database_url(url: str | None = None) -> URL:
    """The records database URL: ``url``, else the environment's, else the default SQLite file.

    Parameters
    ----------
    url : str or None
        ``sqlite:///PATH`` or ``postgresql+psycopg://USER:PASSWORD@HOST:PORT/NAME``.

    Returns
    -------
    sqlalchemy.engine.URL

    Raises
    ------
    InputError
        When the URL cannot be read or names another database kind (the message hides the
        password).
    """
    field = "--database-url"
    if url is None:
        url = os.environ.get(DATABASE_URL_VARIABLE) or None
        field = DATABASE_URL_VARIABLE
    if url is None:
        return make_url(f"sqlite:///{default_directory() / SQLITE_FILE}")
    allowed = "give sqlite:///PATH or postgresql+psycopg://USER@HOST:PORT/NAME"
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InputError(field, _hide_password_text(url), allowed) from None
    if parsed.drivername not in DRIVERS:
        raise InputError(field, parsed.render_as_string(hide_password=True), allowed)
    if parsed.drivername == "sqlite" and parsed.database in (None, "", ":memory:"):
        raise InputError(field, url, "an SQLite database must be a file: sqlite:///PATH")
    return parsed


def _hide_password_text(url: str) -> str:
    """``url`` with its user information (everything before the last ``@``) hidden."""
    scheme, separator, rest = url.rpartition("://")
    _, at, tail = rest.rpartition("@")
    if not at:
        return url
    return f"{scheme}{separator}***@{tail}"


def head_revision() -> str:
    """The newest schema revision this version of dermalase ships."""
    head = _script_directory().get_current_head()
    assert head is not None  # the package ships at least one revision
    return head


def _script_directory():
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS))


def _alembic_config(connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """Foreign keys on, WAL journal, a busy timeout; transactions begun by SQLAlchemy."""
    # The driver's own implicit transactions are switched off so that the "begin" hook below
    # decides how a transaction starts.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {int(LOCK_TIMEOUT * 1000)}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()


def _sqlite_begin(connection) -> None:
    """Begin a write transaction at once (``BEGIN IMMEDIATE``), a read one lazily.

    A deferred transaction that reads and then writes cannot wait for another writer: SQLite
    answers ``database is locked`` at once. Taking the write lock at the start makes
    concurrent writers queue on the busy timeout instead.
    """
    read_only = connection.get_execution_options().get("dermalase_read_only", False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


class Database:
    """An open records database, its photo store and its plan reports.

    Parameters
    ----------
    url : sqlalchemy.engine.URL
        From :func:`database_url`.
    photo_directory : pathlib.Path or None
        Root of the photo store; default: ``photos`` next to a SQLite file, else
        ``DERMALASE_PHOTO_DIR`` or the user data directory's ``photos``.

    Attributes
    ----------
    engine : sqlalchemy.Engine
    photos : PhotoStore
    reports : ReportStore
        Plan reports, in ``reports`` beside the photo store.
    name : str
        The URL with its password hidden, as errors show it.
    """

    def __init__(self, url: URL, photo_directory: Path | None = None):
        self.url = url
        self.name = url.render_as_string(hide_password=True)
        self.is_sqlite = url.drivername == "sqlite"
        if self.is_sqlite:
            assert url.database is not None
            path = Path(url.database)
            if path == default_directory() / SQLITE_FILE:
                path.parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(
                url, connect_args={"timeout": LOCK_TIMEOUT}, poolclass=_sqlite_pool()
            )
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
            default_photos = path.parent / "photos"
        else:
            self.engine = create_engine(
                url,
                pool_pre_ping=True,
                connect_args={"connect_timeout": 10},
            )
            default_photos = default_directory() / "photos"
        if photo_directory is None:
            variable = os.environ.get(PHOTO_DIRECTORY_VARIABLE)
            photo_directory = Path(variable) if variable else default_photos
        self.photos = PhotoStore(photo_directory)
        self.reports = ReportStore(self.photos.root.parent / "reports")
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._reader = sessionmaker(
            self.engine.execution_options(dermalase_read_only=True), expire_on_commit=False
        )

    @contextlib.contextmanager
    def session(self, read_only: bool = False) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back if it raises.

        Parameters
        ----------
        read_only : bool
            A block that only reads (on SQLite it then waits for no writer).

        Raises
        ------
        DatabaseError
            When the database refuses (locked, read-only, unreachable); nothing is written.
        """
        factory = self._reader if read_only else self._sessions
        try:
            with factory() as session, session.begin():
                yield session
        except DBAPIError as error:
            raise self.error(error) from None

    def error(self, error: SQLAlchemyError) -> DatabaseError:
        """The :class:`DatabaseError` that tells the user what ``error`` means."""
        text = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        lowered = text.lower()
        if isinstance(error, IntegrityError):
            problem = (
                f"refused a record that conflicts with one written at the same time ({text}); "
                "nothing was written, try again"
            )
        elif "locked" in lowered or "busy" in lowered:
            problem = (
                f"is locked by another process (waited {LOCK_TIMEOUT:g} s); nothing was "
                "written, try again when it has finished"
            )
        elif "readonly" in lowered or "read-only" in lowered or "read only" in lowered:
            problem = "is read-only; nothing was written (check the file's permissions)"
        elif "not a database" in lowered:
            problem = "is not a dermalase records database (the file is not SQLite)"
        elif "unable to open" in lowered:
            problem = "cannot be opened (its folder is missing or not writable)"
        elif getattr(error, "connection_invalidated", False) or _is_connection_error(error):
            problem = f"is unreachable ({text})"
        else:
            problem = f"refused the operation ({text}); nothing was written"
        return DatabaseError(self.name, problem)

    def revision(self) -> str | None:
        """The schema revision the database is at (None: an empty database).

        Raises
        ------
        DatabaseError
            When the database cannot be read.
        """
        from alembic.runtime.migration import MigrationContext

        try:
            with self.engine.connect() as connection:
                return MigrationContext.configure(connection).get_current_revision()
        except DBAPIError as error:
            raise self.error(error) from None

    def is_empty(self) -> bool:
        """Whether the database holds no table at all."""
        try:
            with self.engine.connect() as connection:
                return not inspect(connection).get_table_names()
        except DBAPIError as error:
            raise self.error(error) from None

    def migrate(self, revision: str = "head") -> tuple[str | None, str]:
        """Bring the schema to ``revision`` (default: the newest); return (before, after).

        Raises
        ------
        DatabaseError
            When the database is of a newer schema, or refuses.
        """
        from alembic import command

        before = self.revision()
        self._check_known(before)
        try:
            with self.engine.begin() as connection:
                command.upgrade(_alembic_config(connection), revision)
        except DBAPIError as error:
            raise self.error(error) from None
        after = self.revision()
        assert after is not None
        return before, after

    def _check_known(self, revision: str | None) -> None:
        if revision is None:
            return
        from alembic.util import CommandError

        try:
            _script_directory().get_revision(revision)
        except CommandError:
            raise DatabaseError(
                self.name,
                f"has schema revision {revision}, newer than this dermalase knows "
                f"(newest {head_revision()}); upgrade dermalase, nothing was changed",
            ) from None

    def check_schema(self) -> None:
        """Refuse a database that is not at this version's newest schema.

        Raises
        ------
        DatabaseError
            Naming what to do: upgrade dermalase (newer schema) or run ``dermalase records
            migrate`` (older schema).
        """
        revision = self.revision()
        self._check_known(revision)
        if revision != head_revision():
            raise DatabaseError(
                self.name,
                f"has schema revision {revision or 'none'}, older than this dermalase's "
                f"{head_revision()}; run `dermalase records migrate` (back it up first)",
            )

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()


def _sqlite_pool():
    from sqlalchemy.pool import NullPool

    # One connection per unit of work: a SQLite file needs no pool, and a command that
    # forks (the durability tests) must not share a connection with its child.
    return NullPool


def _is_connection_error(error: SQLAlchemyError) -> bool:
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return False
    original = getattr(error, "orig", None)
    return isinstance(original, psycopg.OperationalError)


def open_database(
    url: str | None = None, photo_directory: Path | None = None, migrate_empty: bool = True
) -> Database:
    """Open the records database, creating the schema in an empty one.

    Parameters
    ----------
    url : str or None
        The database URL; None: ``DERMALASE_DATABASE_URL`` or the default SQLite file.
    photo_directory : pathlib.Path or None
        Root of the photo store (see :class:`Database`).
    migrate_empty : bool
        Create the newest schema when the database is empty (first use).

    Returns
    -------
    Database
        At the newest schema.

    Raises
    ------
    InputError
        A URL that cannot be read.
    DatabaseError
        Unreachable, locked, read-only, or at another schema revision.
    """
    database = Database(database_url(url), photo_directory)
    try:
        if migrate_empty and database.is_empty():
            database.migrate()
        database.check_schema()
    except BaseException:
        database.close()
        raise
    return database
