"""Where table sets live: the package's shipped tables and the cache directory.

A table set is named by a hash of the model version (:data:`MODEL_VERSION`),
its grid, the reference skin and the ablation parameters (:func:`table_key`).
:func:`table_set` reads it from memory, the package (``forward/data/
column_tables``) or the cache directory, and refuses a set that neither holds
with the command that builds it; it never builds. Files are written to a
temporary name and renamed, so a reader never sees a partial table.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import warnings
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from dermalase.exceptions import InputError, TableMissingError
from dermalase.forward.tables.spec import REFERENCE_AREA, TableSpec, reference_skin
from dermalase.physics import ablation
from dermalase.reading import read_archive, shown
from dermalase.tissue.layers import SkinModel

#: Version of the table layout and of the column model behind it. Raise it
#: with every change to the column model (:mod:`dermalase.physics.column`,
#: :mod:`dermalase.forward.fractional`, the ablation parameters) and rebuild
#: the shipped tables with ``dermalase tables build``; the tests regenerate
#: sampled points of the shipped tables and fail when the model moved under
#: an unchanged version.
MODEL_VERSION = "column-model-6"

#: Environment variable naming the cache directory.
CACHE_VARIABLE = "DERMALASE_CACHE_DIR"


def cache_directory() -> Path:
    """Directory of built tables: ``$DERMALASE_CACHE_DIR`` or ``~/.cache/dermalase``.

    Lookups only read it; ``dermalase tables build`` writes it.
    """
    configured = os.environ.get(CACHE_VARIABLE)
    return Path(configured).expanduser() if configured else Path.home() / ".cache" / "dermalase"


def shipped_directory() -> Path:
    """Directory of the tables shipped inside the package."""
    return Path(str(resources.files("dermalase.forward") / "data" / "column_tables"))


def table_key(spec: TableSpec, skin: SkinModel) -> str:
    """Hash naming a table set: model version, skin, laser parameters, grid."""
    payload = {
        "version": MODEL_VERSION,
        "spec": asdict(spec),
        "layers": [asdict(layer) for layer in skin.layers],
        "ablation": asdict(ablation.parameters_for_wavelength(spec.wavelength)),
    }
    text = json.dumps(payload, sort_keys=True, default=float)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def table_file_name(key: str) -> str:
    """File name of the table set with this key."""
    return f"column-table-{key}.npz"


@dataclass(frozen=True)
class TableSet:
    """Tabulated column dimensions on the grid of a :class:`TableSpec`.

    Parameters
    ----------
    spec : TableSpec
        The grid.
    values : numpy.ndarray
        Shape (durations, spots, pulses, energies, quantities) [m]; NaN past
        the depth limit.
    interpolation_error : dict
        Largest relative error of each quantity at the held-out points [-].
    build_seconds : float
        Wall time of the build [s].
    key : str
        Cache key.
    """

    spec: TableSpec
    values: np.ndarray
    interpolation_error: dict
    build_seconds: float
    key: str


def _save(table_set: TableSet, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "model_version": MODEL_VERSION,
        "spec": asdict(table_set.spec),
        "interpolation_error": table_set.interpolation_error,
        "build_seconds": table_set.build_seconds,
        "key": table_set.key,
    }
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.stem, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            np.savez(stream, values=table_set.values, meta=np.array(json.dumps(meta)))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes it private; a table is not
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class TableFileWarning(UserWarning):
    """A table file that cannot be read; it is ignored, as if it were not there."""


def _load(path: Path) -> TableSet | None:
    """Read a table file; None, with a :class:`TableFileWarning`, if it is unreadable.

    A truncated, corrupt or foreign file (a failed copy, a full disk, a file of another
    version's layout) is never fatal: the lookup goes on as if the file were missing, so
    the table is taken from elsewhere or rebuilt by ``dermalase tables build --force``.
    """
    try:
        arrays = read_archive(path, ("values", "meta"), "table file")
        meta = json.loads(str(arrays["meta"]))
        spec_fields = dict(meta["spec"])
        for name in ("energies", "spots", "durations", "grid_refinement"):
            spec_fields[name] = tuple(float(value) for value in spec_fields[name])
        spec = TableSpec(**spec_fields)
        values = arrays["values"]
        grid = (len(spec.durations), len(spec.spots), spec.max_pulses, len(spec.energies))
        if values.dtype.kind != "f" or values.ndim != 5 or values.shape[:4] != grid:
            raise ValueError(f"values of shape {values.shape} do not fit the grid {grid}")
        loaded = TableSet(
            spec,
            values,
            dict(meta["interpolation_error"]),
            float(meta["build_seconds"]),
            str(meta["key"]),
        )
    except (InputError, ValueError, KeyError, TypeError, AttributeError) as error:
        message = f"ignoring the table file {shown(path)}: {shown(error, 160)}"
        warnings.warn(message, TableFileWarning, stacklevel=3)
        return None
    return loaded


def table_directory(directory: str | os.PathLike, field: str = CACHE_VARIABLE) -> Path:
    """Create (if needed) and return a directory that table files can be written to.

    Parameters
    ----------
    directory : path-like
        Where built tables go.
    field : str
        Name of the input that named it, as the message names it.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    InputError
        When the path is a file, lies under a file, or cannot be created or written; it is
        checked before a build starts, not after.
    """
    folder = Path(directory)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise InputError(field, shown(folder), "is a file, not a directory") from None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InputError(field, shown(folder), f"cannot be created ({reason})") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(field, shown(folder), "is not writable")
    return folder


_LOADED: dict[str, TableSet] = {}


def clear_loaded() -> None:
    """Forget the table sets held in memory; the next lookup reads the files again."""
    _LOADED.clear()


def _find(key: str, cache_dir: str | os.PathLike | None) -> TableSet | None:
    """The table set with this key: in memory, shipped, or in the cache directory."""
    if key in _LOADED:
        return _LOADED[key]
    directory = Path(cache_dir) if cache_dir is not None else cache_directory()
    for folder in (shipped_directory(), directory):
        path = folder / table_file_name(key)
        loaded = _load(path) if _is_file(path) else None
        if loaded is not None and loaded.key == key:
            _LOADED[key] = loaded
            return loaded
    return None


def _is_file(path: Path) -> bool:
    """Whether a table file is there: False also for a path no file can have."""
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long, or with a NUL byte
        return False


def table_set(
    spec: TableSpec,
    area: str = REFERENCE_AREA,
    *,
    cache_dir: str | os.PathLike | None = None,
) -> TableSet:
    """The table set of ``spec`` on the skin class of ``area``, shipped or built before.

    Parameters
    ----------
    spec : TableSpec
        The grid.
    area : str
        Anatomical area; its skin class decides the reference skin.
    cache_dir : path-like, optional
        Directory of built tables; defaults to :func:`cache_directory`.

    Returns
    -------
    TableSet

    Raises
    ------
    TableMissingError
        When neither the package nor the cache holds the set; the message gives
        the command that builds it. A lookup never builds.
    """
    skin = reference_skin(area, spec.depth_limit)
    key = table_key(spec, skin)
    found = _find(key, cache_dir)
    if found is None:
        directory = Path(cache_dir) if cache_dir is not None else cache_directory()
        blocked = "" if _is_file(directory) is False else f" ({shown(directory)} is a file)"
        raise TableMissingError(
            f"no column response table for {spec.wavelength * 1e9:g} nm at "
            f"{spec.durations[0] * 1e6:g}-{spec.durations[-1] * 1e6:g} us on the skin of the "
            f"{area.replace('_', ' ')}; build it once with `dermalase tables build` "
            f"(about a minute per table on 2 cores){blocked}"
        )
    return found
