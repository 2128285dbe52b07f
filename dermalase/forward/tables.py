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

Tables are cached in the directory named by the environment variable
``DERMALASE_CACHE_DIR`` (default ``~/.cache/dermalase``), one ``.npz`` file
per table set, named by a hash of the model version, the source of the
column model, the skin, the laser parameters and the grid of the table, so
that any change to the model invalidates it. Files are written to a
temporary name and renamed, so a reader never sees a partial table.
"""

from __future__ import annotations

import bisect
import concurrent.futures
import functools
import hashlib
import inspect
import itertools
import json
import math
import os
import tempfile
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from dermalase.exceptions import InputError
from dermalase.forward import fractional
from dermalase.physics import ablation, column, damage
from dermalase.physics.transport import beer_lambert, gaussian_rays
from dermalase.tissue import skin_model
from dermalase.tissue.layers import SkinModel

#: Version of the table layout and of the column model behind it; bump it to
#: invalidate every cached table.
MODEL_VERSION = "column-table-1"

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
    repetition_rate: float = fractional.STACKING_RATE
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
    """Directory of cached tables: ``$DERMALASE_CACHE_DIR`` or ``~/.cache/dermalase``."""
    configured = os.environ.get(CACHE_VARIABLE)
    return Path(configured).expanduser() if configured else Path.home() / ".cache" / "dermalase"


def _model_source_hash() -> str:
    digest = hashlib.sha256()
    # the column model is a package: hash each of its modules and its light transport
    models = (column.grid, column.solver, column.dimensions, gaussian_rays, beer_lambert)
    for module in (column, *models, fractional, ablation):
        digest.update(inspect.getsource(module).encode())
    return digest.hexdigest()


def table_key(spec: TableSpec, skin: SkinModel) -> str:
    """Hash naming a table set: model version and source, skin, laser parameters, grid."""
    payload = {
        "version": MODEL_VERSION,
        "source": _model_source_hash(),
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


def _pchip_slopes(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Fritsch-Carlson derivatives of a monotone cubic Hermite interpolant.

    NaNs are allowed only at the end of ``y`` (columns past the depth limit);
    the interpolant covers the valid part.
    """
    slopes = np.full_like(y, np.nan)
    valid = int(np.count_nonzero(np.isfinite(y)))
    if valid < 2:
        if valid == 1:
            slopes[0] = 0.0
        return slopes
    xv, yv = x[:valid], y[:valid]
    h = np.diff(xv)
    delta = np.diff(yv) / h
    d = np.zeros(valid)
    if valid == 2:
        d[:] = delta[0]
    else:
        for k in range(1, valid - 1):
            if delta[k - 1] * delta[k] > 0:
                w1 = 2 * h[k] + h[k - 1]
                w2 = h[k] + 2 * h[k - 1]
                d[k] = (w1 + w2) / (w1 / delta[k - 1] + w2 / delta[k])
        for end, (h0, h1, d0, d1) in (
            (0, (h[0], h[1], delta[0], delta[1])),
            (valid - 1, (h[-1], h[-2], delta[-1], delta[-2])),
        ):
            value = ((2 * h0 + h1) * d0 - h0 * d1) / (h0 + h1)
            if np.sign(value) != np.sign(d0):
                value = 0.0
            elif np.sign(d0) != np.sign(d1) and abs(value) > abs(3 * d0):
                value = 3 * d0
            d[end] = value
    slopes[:valid] = d
    return slopes


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


def _map(function, tasks, workers):
    if workers <= 1 or len(tasks) <= 1:
        return [function(task) for task in tasks]
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(function, tasks, chunksize=1))


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


def build_table_set(spec: TableSpec, skin: SkinModel, workers: int = 2) -> TableSet:
    """Simulate the grid of ``spec`` on ``skin`` and measure the interpolation error.

    Parameters
    ----------
    spec : TableSpec
        The grid.
    skin : SkinModel
        The reference skin (see :func:`reference_skin`).
    workers : int
        Worker processes [-].

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
    results = _map(_simulate_point, [everything[k] for k in order], workers)
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
        "spec": asdict(table_set.spec),
        "interpolation_error": table_set.interpolation_error,
        "build_seconds": table_set.build_seconds,
        "key": table_set.key,
    }
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.stem, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            np.savez(stream, values=table_set.values, meta=np.array(json.dumps(meta)))
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


def table_set(
    spec: TableSpec,
    area: str = REFERENCE_AREA,
    *,
    cache_dir: str | os.PathLike | None = None,
    workers: int = 2,
    rebuild: bool = False,
) -> TableSet:
    """Load a table set from the cache, or build and cache it.

    Parameters
    ----------
    spec : TableSpec
        The grid.
    area : str
        Anatomical area; its skin class decides the reference skin.
    cache_dir : path-like, optional
        Cache directory; defaults to :func:`cache_directory`.
    workers : int
        Worker processes for a build [-].
    rebuild : bool
        Build even when a cached table exists.

    Returns
    -------
    TableSet
    """
    skin = reference_skin(area, spec.depth_limit)
    key = table_key(spec, skin)
    directory = Path(cache_dir) if cache_dir is not None else cache_directory()
    path = directory / f"column-table-{key}.npz"
    memory_key = f"{path}"
    if not rebuild:
        if memory_key in _LOADED:
            return _LOADED[memory_key]
        loaded = _load(path) if path.exists() else None
        if loaded is not None and loaded.key == key:
            _LOADED[memory_key] = loaded
            return loaded
    built = build_table_set(spec, skin, workers=workers)
    _save(built, path)
    _LOADED[memory_key] = built
    return built


def build_default_tables(
    *, cache_dir: str | os.PathLike | None = None, workers: int = 2, rebuild: bool = False
) -> list[TableSet]:
    """Build (or load) the tables of every bundled fractional device.

    Built on the skin class of :data:`REFERENCE_AREA`; other skin classes are
    built on first use.
    """
    return [
        table_set(spec, REFERENCE_AREA, cache_dir=cache_dir, workers=workers, rebuild=rebuild)
        for spec in default_specs()
    ]


def column_table(
    wavelength: float,
    pulse_duration: float,
    area: str,
    *,
    spec: TableSpec | None = None,
    cache_dir: str | os.PathLike | None = None,
    workers: int = 2,
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
        Cache directory; defaults to :func:`cache_directory`.
    workers : int
        Worker processes if the table must be built [-].

    Returns
    -------
    ColumnTable
        Loaded from the cache, or built (tens of seconds) and cached.
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
    tables = table_set(spec, area, cache_dir=cache_dir, workers=workers)
    return ColumnTable.from_set(tables, pulse_duration, skin)


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
    _log_energy_list: list = field(repr=False)
    _log_spot: np.ndarray = field(repr=False)
    _log_spot_list: list = field(repr=False)
    _values: np.ndarray = field(repr=False)
    _slopes: np.ndarray = field(repr=False)
    _curves: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_set(cls, tables: TableSet, pulse_duration: float, skin: SkinModel) -> ColumnTable:
        """Bind a table set to one pulse duration (linear in log duration)."""
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
        slopes = np.empty_like(values)
        n_spot, n_pulse, _, n_q = values.shape
        for s in range(n_spot):
            for p in range(n_pulse):
                for q in range(n_q):
                    slopes[s, p, :, q] = _pchip_slopes(log_energy, values[s, p, :, q])
        log_spot = np.log(np.array(spec.spots))
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
            _log_energy_list=log_energy.tolist(),
            _log_spot=log_spot,
            _log_spot_list=log_spot.tolist(),
            _values=values,
            _slopes=slopes,
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

    def _scalar(self, energy: float, spot: float, p: int) -> np.ndarray:
        x = math.log(energy)
        nodes = self._log_energy_list
        k = min(max(bisect.bisect_right(nodes, x) - 1, 0), len(nodes) - 2)
        h = nodes[k + 1] - nodes[k]
        t = (x - nodes[k]) / h
        t2, t3 = t * t, t * t * t
        h00, h10 = 2 * t3 - 3 * t2 + 1, t3 - 2 * t2 + t
        h01, h11 = -2 * t3 + 3 * t2, t3 - t2
        spots = self._log_spot_list
        if len(spots) == 1:
            rows, weights = (0,), (1.0,)
        else:
            y = math.log(spot)
            s = min(max(bisect.bisect_right(spots, y) - 1, 0), len(spots) - 2)
            w = (y - spots[s]) / (spots[s + 1] - spots[s])
            rows, weights = (s, s + 1), (1.0 - w, w)
        result = 0.0
        for row, weight in zip(rows, weights, strict=True):
            v = self._values[row, p]
            d = self._slopes[row, p]
            result = result + weight * (
                h00 * v[k] + h10 * h * d[k] + h01 * v[k + 1] + h11 * h * d[k + 1]
            )
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
            row = self._scalar(energy, spot_diameter, p)
            if row[0] != row[0]:
                raise self._beyond(pulses)
            return {q: row[i] for i, q in enumerate(QUANTITIES)}
        energy, spot = np.broadcast_arrays(
            np.asarray(energy, float), np.asarray(spot_diameter, float)
        )
        self._check(energy, spot)
        flat = np.array(
            [self._scalar(e, s, p) for e, s in zip(energy.ravel(), spot.ravel(), strict=True)]
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
            depths = np.array([self._scalar(math.exp(x), spot, p)[0] for x in dense])
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
