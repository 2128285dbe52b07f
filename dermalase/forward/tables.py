"""Cached response tables of the fractional column model.

Dosimetry and the scanner ask the column model two questions many times:
"what column does this energy drill?" and "what energy drills this depth?".
One simulation (:func:`dermalase.forward.fractional.simulate_column`) takes a
fraction of a second; a table answers in microseconds. A table set is
computed once per laser line and skin class on a grid of

* energy per pulse (log-spaced),
* spot diameter (a few values around the device spots),
* pulse duration (log-spaced over the device's range),
* stacked pulses (every count from 1 to the device maximum: one simulation
  with N stacked pulses gives the column after each of them),

and stored on disk. :func:`column_table` returns a :class:`ColumnTable` at
one pulse duration; it interpolates monotone cubic Hermite (PCHIP) in
log(energy), linearly in log(spot) and log(pulse duration), and exactly in
the pulse count. The interpolation error is measured when the table is built,
against simulations at held-out points (energies, spots and pulse durations
between the nodes, and stacked-pulse counts run to full relaxation) run at
the model's default grid, so it also holds the effect of the coarser grid
the table is computed on. For the default tables it is a few per cent for
depths and diameters and 20-35 % (a few um) for the thin coagulation layers,
whose edge moves in steps of the grid (see ``benchmarks/bench_fractional.py``).

Why tables are per skin class and not per area: the column depends on the
tissue it is drilled in. In the skin model the viable epidermis and the
dermis hold the same water fraction (so the same absorption and ablation
enthalpy) and differ only slightly in conductivity and heat capacity; the
stratum corneum is drier. The dermis thickness of an area changes nothing
about a column until the column reaches the fat below it, and such a column
is already one to refuse: a 10 mJ CO2 column (120 um spot) is 802, 806 and
806 um deep on the cheek, neck and dorsal hand (0.5 % apart), and 790 um on
the eyelid, whose dermis it passes. A table is therefore computed on a reference skin
made of the area's own stratum corneum and epidermis over a dermis deep
enough to hold every tabulated column; which layers a column reaches, and
whether it passes below the dermis, is decided after the lookup from the
area's own skin model (:attr:`ColumnTable.skin`, :meth:`ColumnTable.layers_reached`).
Areas with the same epidermis (forehead, glabella, temple, cheek, nose, chin
and jawline) share one cached table.

Where tables come from. The tables of every bundled fractional device on
every skin class ship inside the package (``forward/data/column_tables``), so
a fresh install answers at once and writes nothing. A table the package does
not ship (a user's device, a pulse duration outside the bundled grids) is read
from the cache directory (``$DERMALASE_CACHE_DIR``, default
``~/.cache/dermalase``) when ``dermalase tables build`` has put it there, and
otherwise refused with the command that builds it: a lookup never builds, never
starts a process pool and never writes. Files are named by a hash of the model
version (:data:`MODEL_VERSION`), the skin, the laser parameters and the grid.
The model version is set by hand: a change to the column model must raise it,
and a test regenerates sampled points of the shipped tables with the model to
catch a change that did not. Files are written to a temporary name and
renamed, so a reader never sees a partial table.
"""

from __future__ import annotations

import concurrent.futures
import functools
import hashlib
import itertools
import json
import math
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from importlib import resources
from pathlib import Path

import numpy as np
from scipy.interpolate import PchipInterpolator

from dermalase.exceptions import InputError, TableMissingError
from dermalase.forward import fractional
from dermalase.physics import ablation, damage
from dermalase.tissue import skin_model
from dermalase.tissue.layers import SkinModel

#: Version of the table layout and of the column model behind it. Raise it
#: with every change to the column model (:mod:`dermalase.physics.column`,
#: :mod:`dermalase.forward.fractional`, the ablation parameters) and rebuild
#: the shipped tables with ``dermalase tables build``; the tests regenerate
#: sampled points of the shipped tables and fail when the model moved under
#: an unchanged version.
MODEL_VERSION = "column-model-2"

#: Environment variable naming the cache directory.
CACHE_VARIABLE = "DERMALASE_CACHE_DIR"

#: Quantities a table holds, in this order [m].
QUANTITIES = (
    "ablation_depth",
    "ablation_diameter",
    "coagulation_depth",
    "coagulation_cuff",
    "mtz_diameter",
    "total_depth",
)

#: Deepest column a table holds [m]: deep fractional columns reach about
#: 1.5 mm (ProFractional 25-1500 um, secondary source in the fractional
#: Er:YAG device file); 3 mm is below the dermis of every area.
DEPTH_LIMIT = 3e-3

#: Denominator floor of the relative interpolation error [m]: a quantity
#: smaller than this (a few grid cells) is compared in absolute terms.
ERROR_FLOOR = 5e-6

#: Grid refinement (radial, axial) of the simulations behind the default
#: tables [-]: 0.6 of the default axial resolution cuts the build time by
#: 40 % and moves depths by about 1 %; the radial resolution is kept, since
#: crater diameters are resolved to whole cells. The held-out points are
#: simulated at the default resolution, so
#: :attr:`ColumnTable.interpolation_error` includes this difference.
TABLE_GRID_REFINEMENT = (1.0, 0.6)

#: Area whose skin class the default tables are built for.
REFERENCE_AREA = "cheek"


@dataclass(frozen=True)
class TableSpec:
    """The grid a table set is computed on.

    Parameters
    ----------
    wavelength : float
        Vacuum wavelength [m].
    energies : tuple of float
        Energy nodes per pulse, increasing [J].
    spots : tuple of float
        Spot diameter nodes, increasing [m].
    durations : tuple of float
        Pulse duration nodes, increasing [s].
    max_pulses : int
        Largest number of stacked pulses [-].
    beam : str
        Beam profile.
    repetition_rate : float
        Rate of stacked pulses [Hz].
    damage_model : str
        Arrhenius parameter set.
    depth_limit : float
        Columns deeper than this are not tabulated [m].
    grid_refinement : (float, float)
        Factors dividing the default radial and axial grid spacings of the
        simulations [-].
    """

    wavelength: float
    energies: tuple[float, ...]
    spots: tuple[float, ...]
    durations: tuple[float, ...]
    max_pulses: int = 1
    beam: str = "gaussian"
    repetition_rate: float = fractional.COLUMN_STACKING_RATE
    damage_model: str = "henriques_moritz"
    depth_limit: float = DEPTH_LIMIT
    grid_refinement: tuple[float, float] = (1.0, 1.0)

    def covers(self, wavelength: float, pulse_duration: float) -> bool:
        """Whether the set holds this laser line and pulse duration."""
        return math.isclose(wavelength, self.wavelength, rel_tol=1e-6) and (
            self.durations[0] * (1 - 1e-9) <= pulse_duration <= self.durations[-1] * (1 + 1e-9)
        )


def log_nodes(low: float, high: float, count: int) -> tuple[float, ...]:
    """``count`` log-spaced values from ``low`` to ``high`` (one if they are equal)."""
    if math.isclose(low, high, rel_tol=1e-12) or count <= 1:
        return (float(low),)
    return tuple(float(x) for x in np.geomspace(low, high, count))


def device_spec(device) -> TableSpec:
    """Table grid that covers a fractional device profile.

    Energies: the device range, log-spaced, about six nodes per decade
    (six at least). Spots: the device spots with one node 20 % below the
    smallest and 25 % above the largest. Pulse durations: the range of the
    device's pulse modes, about three nodes per decade (two at least when it
    is a range). Stacked pulses: up to the device maximum. Grid: the
    simulations run at :data:`TABLE_GRID_REFINEMENT`.
    """
    energy = device.energy
    count = max(6, math.ceil(6 * math.log10(energy.maximum / energy.minimum)))
    spots = set(device.spot_diameter.values or (device.spot_diameter.minimum,))
    spots |= {0.8 * min(spots), 1.25 * max(spots)}
    low = min(mode.pulse_duration.minimum for mode in device.pulse_modes)
    high = max(mode.pulse_duration.maximum for mode in device.pulse_modes)
    n_durations = 1 if math.isclose(low, high) else max(2, math.ceil(3 * math.log10(high / low)))
    return TableSpec(
        wavelength=device.wavelength,
        energies=log_nodes(energy.minimum, energy.maximum, count),
        spots=tuple(sorted(spots)),
        durations=log_nodes(low, high, n_durations),
        max_pulses=int(device.max_stacked_pulses),
        grid_refinement=TABLE_GRID_REFINEMENT,
    )


@functools.lru_cache(maxsize=1)
def _bundled_specs() -> tuple[TableSpec, ...]:
    from dermalase.devices import bundled_device_files, read_device_file

    specs = []
    for path in bundled_device_files():
        device = read_device_file(path)
        if "fractional" in device.modality and device.energy is not None:
            specs.append(device_spec(device))
    return tuple(specs)


def default_specs() -> list[TableSpec]:
    """Table grids for every bundled fractional device with an energy range."""
    return list(_bundled_specs())


def generic_spec(wavelength: float, pulse_duration: float) -> TableSpec:
    """Table grid for a laser line or pulse duration no bundled device covers.

    The nearest default grid of the same line at this one pulse duration, or,
    for another line, 1-50 mJ on 100-250 um spots with up to 3 stacked pulses
    (the span of the bundled fractional devices).
    """
    same_line = [s for s in default_specs() if math.isclose(s.wavelength, wavelength, rel_tol=1e-6)]
    if same_line:
        return replace(same_line[0], durations=(float(pulse_duration),))
    return TableSpec(
        wavelength=float(wavelength),
        energies=log_nodes(1e-3, 50e-3, 14),
        spots=(100e-6, 150e-6, 250e-6),
        durations=(float(pulse_duration),),
        max_pulses=3,
    )


def reference_skin(area: str, depth_limit: float = DEPTH_LIMIT) -> SkinModel:
    """The area's stratum corneum and epidermis over a deep reference dermis [m].

    The papillary dermis is set to 200 um and the reticular dermis extends
    1 mm below ``depth_limit``, so that every tabulated column stays in dermis.
    """
    skin = skin_model(area)
    papillary = 200e-6
    reticular = depth_limit + 1e-3 - skin.epidermis_thickness - papillary
    return skin.with_thicknesses(papillary_dermis=papillary, reticular_dermis=reticular)


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
        # the set a column uses depends on its irradiance: key on both
        "ablation": [
            asdict(ablation.parameters_for_wavelength(spec.wavelength, irradiance))
            for irradiance in (0.0, math.inf)
        ],
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


def _simulate_point(task) -> list[list[float]]:
    """Column dimensions after each stacked pulse at one grid point [m]."""
    spec, skin, energy, spot, duration, pulses = task
    effect = fractional.simulate_column(
        spec.wavelength,
        energy,
        spot,
        skin,
        pulse_duration=duration,
        pulses=pulses,
        beam=spec.beam,
        damage_model=spec.damage_model,
        repetition_rate=spec.repetition_rate,
        grid_refinement=spec.grid_refinement,
        stop_depth=spec.depth_limit,
    )
    return [[d[q] for q in QUANTITIES] for d in effect.after_pulse]


#: Called after each simulation of a build with (done, total) [-].
Progress = Callable[[int, int], None]


def _map(function, tasks, workers: int, progress: Progress | None = None) -> list:
    """``function`` over ``tasks`` in order, in ``workers`` processes when more than one."""
    results = []
    if workers <= 1 or len(tasks) <= 1:
        for task in tasks:
            results.append(function(task))
            if progress is not None:
                progress(len(results), len(tasks))
        return results
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
        for result in pool.map(function, tasks, chunksize=1):
            results.append(result)
            if progress is not None:
                progress(len(results), len(tasks))
    return results


def _held_out(spec: TableSpec) -> list[tuple[float, float, float, int]]:
    """Points between the nodes: (energy, spot, duration, pulses)."""
    e, s, d = np.array(spec.energies), np.array(spec.spots), np.array(spec.durations)
    mid_e = np.sqrt(e[1:] * e[:-1])
    spot = s[len(s) // 2]
    duration = d[len(d) // 2]
    energy = e[len(e) // 2]
    points = [(float(x), float(spot), float(duration), 1) for x in mid_e[::2]]
    points += [(float(energy), float(x), float(duration), 1) for x in np.sqrt(s[1:] * s[:-1])]
    points += [(float(energy), float(spot), float(x), 1) for x in np.sqrt(d[1:] * d[:-1])]
    if spec.max_pulses > 1:
        # stacked columns run to full relaxation, at energies between nodes
        n = max(2, spec.max_pulses // 2)
        for x in (mid_e[0], mid_e[len(mid_e) // 2]):
            points.append((float(x), float(spot), float(duration), n))
            points.append((float(x), float(spot), float(duration), spec.max_pulses))
    return points


def build_table_set(
    spec: TableSpec, skin: SkinModel, workers: int = 2, progress: Progress | None = None
) -> TableSet:
    """Simulate the grid of ``spec`` on ``skin`` and measure the interpolation error.

    Parameters
    ----------
    spec : TableSpec
        The grid.
    skin : SkinModel
        The reference skin (see :func:`reference_skin`).
    workers : int
        Worker processes [-]; one runs in this process.
    progress : callable, optional
        Called with (simulations done, simulations in all) as the build goes.

    Returns
    -------
    TableSet
    """
    started = time.perf_counter()
    nodes = [
        (id_d, id_s, id_e, spec.energies[id_e], spec.spots[id_s], spec.durations[id_d])
        for id_d in range(len(spec.durations))
        for id_s in range(len(spec.spots))
        for id_e in range(len(spec.energies))
    ]
    tasks = [
        (spec, skin, energy, spot, duration, spec.max_pulses)
        for (_, _, _, energy, spot, duration) in nodes
    ]
    held = _held_out(spec)
    reference = replace(spec, grid_refinement=(1.0, 1.0))
    held_tasks = [(reference, skin, e, s, d, n) for (e, s, d, n) in held]
    everything = tasks + held_tasks
    # longest first: stacked columns of many pulses at low energies take longest
    order = sorted(
        range(len(everything)),
        key=lambda k: -everything[k][5] / max(everything[k][2] / spec.energies[-1], 0.2),
    )
    results = _map(_simulate_point, [everything[k] for k in order], workers, progress)
    by_task = dict(zip(order, results, strict=True))
    shape = (len(spec.durations), len(spec.spots), spec.max_pulses, len(spec.energies))
    values = np.full((*shape, len(QUANTITIES)), np.nan)
    for k, (id_d, id_s, id_e, *_) in enumerate(nodes):
        for p, row in enumerate(by_task[k]):
            if row[0] <= spec.depth_limit:
                values[id_d, id_s, p, id_e] = row
    key = table_key(spec, skin)
    provisional = TableSet(spec, values, {}, 0.0, key)
    errors = {q: 0.0 for q in QUANTITIES}
    for j, (energy, spot, duration, _) in enumerate(held):
        table = ColumnTable.from_set(provisional, duration, skin)
        for p, row in enumerate(by_task[len(tasks) + j]):
            count = p + 1
            if row[0] > spec.depth_limit:
                continue
            try:
                predicted = table.predict(energy, spot, count)
            except ValueError:
                continue
            for q, value in zip(QUANTITIES, row, strict=True):
                error = abs(float(predicted[q]) - value) / max(abs(value), ERROR_FLOOR)
                errors[q] = max(errors[q], error)
    return TableSet(spec, values, errors, time.perf_counter() - started, key)


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


def _load(path: Path) -> TableSet | None:
    try:
        with np.load(path, allow_pickle=False) as data:
            values = data["values"]
            meta = json.loads(str(data["meta"]))
    except (OSError, ValueError, KeyError):
        return None
    spec_fields = meta["spec"]
    for name in ("energies", "spots", "durations", "grid_refinement"):
        spec_fields[name] = tuple(spec_fields[name])
    return TableSet(
        TableSpec(**spec_fields),
        values,
        meta["interpolation_error"],
        meta["build_seconds"],
        meta["key"],
    )


_LOADED: dict[str, TableSet] = {}


def _find(key: str, cache_dir: str | os.PathLike | None) -> TableSet | None:
    """The table set with this key: in memory, shipped, or in the cache directory."""
    if key in _LOADED:
        return _LOADED[key]
    directory = Path(cache_dir) if cache_dir is not None else cache_directory()
    for folder in (shipped_directory(), directory):
        path = folder / table_file_name(key)
        loaded = _load(path) if path.is_file() else None
        if loaded is not None and loaded.key == key:
            _LOADED[key] = loaded
            return loaded
    return None


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
        raise TableMissingError(
            f"no column response table for {spec.wavelength * 1e9:g} nm at "
            f"{spec.durations[0] * 1e6:g}-{spec.durations[-1] * 1e6:g} us on the skin of the "
            f"{area.replace('_', ' ')}; build it once with `dermalase tables build` "
            "(about a minute per table on 2 cores)"
        )
    return found


def build_table(
    spec: TableSpec,
    area: str = REFERENCE_AREA,
    *,
    directory: str | os.PathLike,
    workers: int = 2,
    rebuild: bool = False,
    progress: Progress | None = None,
) -> TableSet:
    """Build the table set of ``spec`` on the skin class of ``area`` into ``directory``.

    Parameters
    ----------
    spec : TableSpec
        The grid.
    area : str
        Anatomical area; its skin class decides the reference skin.
    directory : path-like
        Where to write the table.
    workers : int
        Worker processes [-].
    rebuild : bool
        Build even when ``directory`` already holds the table.
    progress : callable, optional
        Called with (simulations done, simulations in all).

    Returns
    -------
    TableSet
    """
    skin = reference_skin(area, spec.depth_limit)
    key = table_key(spec, skin)
    path = Path(directory) / table_file_name(key)
    if not rebuild and path.is_file():
        existing = _load(path)
        if existing is not None and existing.key == key:
            return existing
    built = build_table_set(spec, skin, workers=workers, progress=progress)
    _save(built, path)
    _LOADED[key] = built
    return built


def skin_classes() -> dict[str, list[str]]:
    """Areas grouped by the reference skin their column tables share.

    Returns
    -------
    dict
        First area of each class -> every area of the class.
    """
    from dermalase.tissue import area_names

    classes: dict[str, list[str]] = {}
    by_layers: dict[str, str] = {}
    for area in area_names():
        layers = json.dumps([asdict(layer) for layer in reference_skin(area).layers])
        first = by_layers.setdefault(layers, area)
        classes.setdefault(first, []).append(area)
    return classes


def column_table(
    wavelength: float,
    pulse_duration: float,
    area: str,
    *,
    spec: TableSpec | None = None,
    cache_dir: str | os.PathLike | None = None,
) -> ColumnTable:
    """Response table of the fractional column at one laser line and pulse duration.

    Parameters
    ----------
    wavelength : float
        Vacuum wavelength [m].
    pulse_duration : float
        Pulse duration [s].
    area : str
        Anatomical area.
    spec : TableSpec, optional
        Grid to use; by default the bundled device grid that covers the line
        and pulse duration, else :func:`generic_spec`.
    cache_dir : path-like, optional
        Directory of built tables; defaults to :func:`cache_directory`.

    Returns
    -------
    ColumnTable
        From the tables shipped with the package or built before.

    Raises
    ------
    TableMissingError
        When no such table was shipped or built (see :func:`table_set`).
    """
    skin = skin_model(area)
    if spec is None:
        covering = [s for s in default_specs() if s.covers(wavelength, pulse_duration)]
        spec = covering[0] if covering else generic_spec(wavelength, pulse_duration)
    elif not spec.covers(wavelength, pulse_duration):
        raise InputError(
            "pulse_duration",
            f"{pulse_duration * 1e6:g} us at {wavelength * 1e9:g} nm",
            f"the table covers {spec.durations[0] * 1e6:g}-{spec.durations[-1] * 1e6:g} us "
            f"at {spec.wavelength * 1e9:g} nm",
        )
    tables = table_set(spec, area, cache_dir=cache_dir)
    return ColumnTable.from_set(tables, pulse_duration, skin)


def _energy_interpolant(log_energy: np.ndarray, values: np.ndarray) -> PchipInterpolator | None:
    """PCHIP in log(energy) over the rows of ``values`` before the first NaN.

    Parameters
    ----------
    log_energy : numpy.ndarray
        Natural log of the energy nodes [log J].
    values : numpy.ndarray
        Shape (energies, quantities) [m]; NaN from the first column past the
        depth limit on.

    Returns
    -------
    scipy.interpolate.PchipInterpolator or None
        NaN outside the valid nodes; None when fewer than two are valid.
    """
    valid = int(np.count_nonzero(np.isfinite(values[:, 0])))
    if valid < 2:
        return None
    return PchipInterpolator(log_energy[:valid], values[:valid], axis=0, extrapolate=False)


@dataclass
class ColumnTable:
    """Column dimensions against energy, spot and stacked pulses at one pulse duration.

    Build it with :func:`column_table`. Lengths are in metres, energies in
    joules.

    Attributes
    ----------
    wavelength : float
        Vacuum wavelength [m].
    pulse_duration : float
        Pulse duration [s].
    skin : SkinModel
        Skin model of the area, for the layers a column reaches.
    energy_range : tuple of float
        Lowest and highest tabulated energy per pulse [J].
    spot_range : tuple of float
        Smallest and largest tabulated spot diameter [m].
    pulses : tuple of int
        Stacked-pulse counts held [-].
    interpolation_error : dict
        Largest relative error of each quantity at held-out points, measured
        at build time [-] (relative to the simulated value, or to 5 um when
        that is smaller).
    depth_limit : float
        Columns deeper than this are not tabulated [m].
    """

    wavelength: float
    pulse_duration: float
    skin: SkinModel
    energy_range: tuple[float, float]
    spot_range: tuple[float, float]
    pulses: tuple[int, ...]
    interpolation_error: dict
    depth_limit: float
    _log_energy: np.ndarray = field(repr=False)
    _log_spot: np.ndarray = field(repr=False)
    _interpolants: list = field(repr=False)
    _curves: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_set(cls, tables: TableSet, pulse_duration: float, skin: SkinModel) -> ColumnTable:
        """Bind a table set to one pulse duration (linear in log duration).

        Along log(energy) each spot and pulse count gets a monotone cubic
        Hermite (PCHIP) interpolant over the energies whose column stays within
        the depth limit; above them it gives NaN.
        """
        spec = tables.spec
        durations = np.log(np.array(spec.durations))
        if durations.size == 1:
            values = tables.values[0]
        else:
            x = math.log(pulse_duration)
            k = int(np.clip(np.searchsorted(durations, x) - 1, 0, durations.size - 2))
            w = float(np.clip((x - durations[k]) / (durations[k + 1] - durations[k]), 0.0, 1.0))
            values = (1.0 - w) * tables.values[k] + w * tables.values[k + 1]
        log_energy = np.log(np.array(spec.energies))
        interpolants = [
            [_energy_interpolant(log_energy, values[s, p]) for p in range(values.shape[1])]
            for s in range(values.shape[0])
        ]
        return cls(
            wavelength=spec.wavelength,
            pulse_duration=float(pulse_duration),
            skin=skin,
            energy_range=(spec.energies[0], spec.energies[-1]),
            spot_range=(spec.spots[0], spec.spots[-1]),
            pulses=tuple(range(1, spec.max_pulses + 1)),
            interpolation_error=dict(tables.interpolation_error),
            depth_limit=spec.depth_limit,
            _log_energy=log_energy,
            _log_spot=np.log(np.array(spec.spots)),
            _interpolants=interpolants,
        )

    @property
    def sources(self) -> tuple[str, ...]:
        """Citation keys the table's predictions rely on (those of the column model)."""
        return fractional.model_sources(
            self.skin,
            ablation.parameters_for_wavelength(self.wavelength, math.inf),
            damage.damage_model("henriques_moritz"),
        )

    @property
    def dermis_bottom(self) -> float:
        """Depth of the bottom of the area's dermis [m]."""
        return self.skin.epidermis_thickness + self.skin.dermis_thickness

    def layers_reached(self, total_depth: float) -> list[str]:
        """Layers of the area a column of this total depth reaches [m]."""
        return self.skin.layers_between(0.0, float(total_depth))

    def _pulse_index(self, pulses) -> int:
        if int(pulses) != pulses or not 1 <= pulses <= len(self.pulses):
            raise ValueError(
                f"pulses={pulses}: the table holds 1 to {len(self.pulses)} stacked pulses"
            )
        return int(pulses) - 1

    def _range_error(self, what: str, value, bounds, unit: str, scale: float) -> ValueError:
        shown = np.atleast_1d(value).astype(float) * scale
        return ValueError(
            f"{what} {shown.min():g}-{shown.max():g} {unit} is outside the table "
            f"({bounds[0] * scale:g}-{bounds[1] * scale:g} {unit})"
        )

    def _rows(self, log_energy: np.ndarray, spot: float, p: int) -> np.ndarray:
        """Quantities at these log energies and one spot, shape (n, quantities) [m]."""
        x = np.clip(log_energy, self._log_energy[0], self._log_energy[-1])
        spots = self._log_spot
        rows: tuple[int, ...]
        weights: tuple[float, ...]
        if spots.size == 1:
            rows, weights = (0,), (1.0,)
        else:
            y = math.log(spot)
            s = int(np.clip(np.searchsorted(spots, y, side="right") - 1, 0, spots.size - 2))
            w = (y - spots[s]) / (spots[s + 1] - spots[s])
            rows, weights = (s, s + 1), (1.0 - w, w)
        result = np.zeros((x.size, len(QUANTITIES)))
        for row, weight in zip(rows, weights, strict=True):
            interpolant = self._interpolants[row][p]
            if interpolant is None:
                return np.full((x.size, len(QUANTITIES)), np.nan)
            result += weight * interpolant(x)
        return result

    def _check(self, energy, spot) -> None:
        low, high = self.energy_range
        if np.any(~(energy >= low * (1 - 1e-9))) or np.any(~(energy <= high * (1 + 1e-9))):
            raise self._range_error("energy", energy, self.energy_range, "mJ", 1e3)
        low, high = self.spot_range
        if np.any(~(spot >= low * (1 - 1e-9))) or np.any(~(spot <= high * (1 + 1e-9))):
            raise self._range_error("spot diameter", spot, self.spot_range, "um", 1e6)

    def predict(self, energy, spot_diameter, pulses: int = 1) -> dict:
        """Column dimensions at an energy and spot [m].

        Parameters
        ----------
        energy : float or array_like
            Energy per pulse [J].
        spot_diameter : float or array_like
            Spot diameter [m]; broadcast against ``energy``.
        pulses : int
            Stacked pulses, one of :attr:`pulses` [-].

        Returns
        -------
        dict of numpy.ndarray
            ``ablation_depth``, ``ablation_diameter``, ``coagulation_depth``,
            ``coagulation_cuff``, ``mtz_diameter``, ``total_depth`` [m], in
            the broadcast shape of the inputs.

        Raises
        ------
        ValueError
            When an input lies outside the table, or the column would pass
            :attr:`depth_limit`.
        """
        p = self._pulse_index(pulses)
        if np.ndim(energy) == 0 and np.ndim(spot_diameter) == 0:
            energy, spot_diameter = float(energy), float(spot_diameter)
            low_e, high_e = self.energy_range
            low_s, high_s = self.spot_range
            if not (
                low_e * (1 - 1e-9) <= energy <= high_e * (1 + 1e-9)
                and low_s * (1 - 1e-9) <= spot_diameter <= high_s * (1 + 1e-9)
            ):
                self._check(np.asarray(energy), np.asarray(spot_diameter))
            row = self._rows(np.array([math.log(energy)]), spot_diameter, p)[0]
            if row[0] != row[0]:
                raise self._beyond(pulses)
            return {q: row[i] for i, q in enumerate(QUANTITIES)}
        energy, spot = np.broadcast_arrays(
            np.asarray(energy, float), np.asarray(spot_diameter, float)
        )
        self._check(energy, spot)
        flat = np.array(
            [
                self._rows(np.array([math.log(e)]), s, p)[0]
                for e, s in zip(energy.ravel(), spot.ravel(), strict=True)
            ]
        ).reshape((*energy.shape, len(QUANTITIES)))
        if np.any(np.isnan(flat)):
            raise self._beyond(pulses)
        return {q: flat[..., i] for i, q in enumerate(QUANTITIES)}

    def _beyond(self, pulses) -> ValueError:
        return ValueError(
            f"with {pulses} stacked pulse(s) the column passes the table's depth limit "
            f"({self.depth_limit * 1e6:g} um)"
        )

    def _depth_curve(self, spot: float, p: int) -> tuple[np.ndarray, np.ndarray]:
        key = (round(math.log(spot), 12), p)
        if key not in self._curves:
            if len(self._curves) >= 256:
                self._curves.clear()
            nodes = self._log_energy
            dense = np.unique(
                np.concatenate([np.linspace(a, b, 17) for a, b in itertools.pairwise(nodes)])
            )
            depths = self._rows(dense, spot, p)[:, 0]
            valid = np.isfinite(depths)
            dense, depths = dense[valid], np.maximum.accumulate(depths[valid])
            keep = np.concatenate(([True], np.diff(depths) > 0)) & (depths > 0)
            self._curves[key] = (depths[keep], dense[keep])
        return self._curves[key]

    def energy_for_depth(self, ablation_depth, spot_diameter: float, pulses: int = 1):
        """Energy per pulse that drills a column of this ablation depth [J].

        Parameters
        ----------
        ablation_depth : float or array_like
            Wanted depth from the surface to the column floor [m].
        spot_diameter : float
            Spot diameter [m].
        pulses : int
            Stacked pulses, one of :attr:`pulses` [-].

        Returns
        -------
        float or numpy.ndarray
            Energy per pulse [J].

        Raises
        ------
        ValueError
            When a depth lies outside the depths the table reaches at this spot
            and pulse count (the message gives that range).
        """
        p = self._pulse_index(pulses)
        self._check(np.asarray(self.energy_range[0]), np.asarray(spot_diameter))
        depths, log_energy = self._depth_curve(float(spot_diameter), p)
        wanted = np.asarray(ablation_depth, float)
        if depths.size < 2:
            raise ValueError(
                f"no tabulated energy drills a column at {spot_diameter * 1e6:g} um "
                f"with {pulses} pulse(s)"
            )
        low, high = float(depths[0]), float(depths[-1])
        if np.any(~(wanted >= low)) or np.any(~(wanted <= high)):
            shown = np.atleast_1d(wanted) * 1e6
            raise ValueError(
                f"ablation depth {shown.min():g}-{shown.max():g} um is outside the reachable "
                f"range {low * 1e6:.1f}-{high * 1e6:.1f} um at a {spot_diameter * 1e6:g} um "
                f"spot with {pulses} pulse(s)"
            )
        result = np.exp(np.interp(wanted, depths, log_energy))
        return float(result) if result.ndim == 0 else result
