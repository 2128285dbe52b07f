"""Parameter sweeps as Dask tasks: the atlas of what a microbeam does across settings and skin.

One task per (wavelength, skin type, spot diameter): it traces the light of a
Gaussian microbeam through the area's layered skin (Monte Carlo,
:func:`dermalase.physics.transport.monte_carlo.transport`, optics from
:mod:`dermalase.tissue.skin_optics`), then runs the forward column model
(:func:`dermalase.forward.fractional.simulate_column`) at each energy. The
tasks run on any Dask ``distributed`` client: a local cluster on this
machine's cores, or an existing cluster by its scheduler's address. Each
task's seed follows from the sweep's seed and the task's place in the grid,
so the atlas is the same wherever and in whatever order its tasks run.

Rows are plain mappings keyed by glossary names in SI units; :func:`write`
stores them as Parquet in clinical units, with the model version and the
sweep in the file's metadata.
"""

from __future__ import annotations

import itertools
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from dermalase.exceptions import InputError

#: Most tasks one atlas may hold.
TASK_LIMIT = 2000
#: Share of the absorbed light that lies above the reported absorption depth [-].
ABSORPTION_DEPTH_SHARE = 0.9
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI"}
#: Dermal mu_s' / mu_a above which scattering matters and Beer-Lambert misplaces light [-].
SCATTERING_MATTERS = 0.1
#: Depth grid of the light scores [m]: 10 um bins to 4 mm.
DEPTH_BIN, DEPTH_BINS = 10e-6, 400


@dataclass(frozen=True)
class Sweep:
    """The grid of one atlas (SI units).

    Parameters
    ----------
    area : str
        Anatomical area.
    wavelengths : tuple of float
        Vacuum wavelengths [m].
    skin_types : tuple of int
        Fitzpatrick types 1-6.
    spot_diameters : tuple of float
        1/e^2 diameters of the Gaussian microbeam [m].
    energies : tuple of float
        Energies per microbeam [J].
    photons : int
        Photon packets per task.
    seed : int
        Seed of the sweep.
    pulse_duration : float
        Pulse duration of the column model [s].
    """

    area: str
    wavelengths: tuple[float, ...]
    skin_types: tuple[int, ...]
    spot_diameters: tuple[float, ...]
    energies: tuple[float, ...]
    photons: int = 100_000
    seed: int = 0
    pulse_duration: float = 1e-3

    def __post_init__(self):
        if self.task_count > TASK_LIMIT:
            raise InputError("sweep", f"{self.task_count} tasks", f"at most {TASK_LIMIT}")

    @property
    def task_count(self) -> int:
        """Tasks in the grid: wavelengths x skin types x spots."""
        return len(self.wavelengths) * len(self.skin_types) * len(self.spot_diameters)

    def tasks(self) -> list[tuple[int, float, int, float]]:
        """``(index, wavelength, skin_type, spot_diameter)`` of every task, in grid order."""
        grid = itertools.product(self.wavelengths, self.skin_types, self.spot_diameters)
        return [(i, *point) for i, point in enumerate(grid)]


def absorption_depth(absorbed_depth: np.ndarray, depth_bin: float, share: float) -> float:
    """Depth above which ``share`` of the absorbed light lies [m].

    Parameters
    ----------
    absorbed_depth : numpy.ndarray
        A(z) per depth bin [1/m].
    depth_bin : float
        Bin width [m].
    share : float
        Fraction of the absorbed light [-], in (0, 1).

    Returns
    -------
    float
        Depth [m], interpolated linearly inside the bin where the cumulative
        absorption crosses ``share``; the grid depth if it never does.
    """
    cumulative = np.cumsum(absorbed_depth) * depth_bin
    total = cumulative[-1]
    if total <= 0.0:
        return 0.0
    target = share * total
    k = int(np.searchsorted(cumulative, target))
    if k >= cumulative.size:
        return float(cumulative.size * depth_bin)
    below = cumulative[k - 1] if k > 0 else 0.0
    return float((k + (target - below) / (cumulative[k] - below)) * depth_bin)


def run_task(
    sweep: Sweep, index: int, wavelength: float, skin_type: int, spot: float
) -> list[dict]:
    """Rows of one task: the light of a beam and the column at each energy (SI units)."""
    from dermalase.forward.fractional import simulate_column
    from dermalase.physics.transport.monte_carlo import transport
    from dermalase.tissue import layer_stack, skin_model

    stack = layer_stack.from_area(sweep.area, wavelength, skin_type)
    light = transport(
        **stack.transport_arguments(), photons=sweep.photons, seed=sweep.seed * 100_003 + index,
        threads=1, beam="gaussian", beam_radius=spot / 2.0, radial_bins=1,
        depth_bin=DEPTH_BIN, depth_bins=DEPTH_BINS,
    )  # fmt: skip
    names = stack.names
    dermis_index = names.index("reticular_dermis")
    # mu_s' / mu_a of the dermis: above ~0.1 the column model's Beer-Lambert
    # deposition (no scattering) misplaces the light
    scattering_ratio = float(
        stack.scattering_coefficient[dermis_index]
        * (1.0 - stack.anisotropy[dermis_index])
        / stack.absorption_coefficient[dermis_index]
    )
    per_layer = dict(zip(names, light.absorbed_per_layer, strict=True))
    epidermis = per_layer["stratum_corneum"] + per_layer["viable_epidermis"]
    dermis = per_layer["papillary_dermis"] + per_layer["reticular_dermis"]
    skin = skin_model(sweep.area)
    rows = []
    for energy in sweep.energies:
        effect = simulate_column(wavelength, energy, spot, skin,
                                 pulse_duration=sweep.pulse_duration)  # fmt: skip
        rows.append(
            {
                "task": index,
                "area": skin.area,
                "wavelength": wavelength,
                "skin_type": _ROMAN[skin_type],
                "spot_diameter": spot,
                "energy": energy,
                "specular_reflectance": light.specular_reflectance,
                "diffuse_reflectance": light.diffuse_reflectance,
                "diffuse_reflectance_stderr": light.diffuse_reflectance_stderr,
                "absorbed_epidermis": float(epidermis),
                "absorbed_dermis": float(dermis),
                "absorbed": light.absorbed,
                "absorption_depth": absorption_depth(
                    light.absorbed_depth, DEPTH_BIN, ABSORPTION_DEPTH_SHARE
                ),
                "ablation_depth": effect.ablation_depth,
                "coagulation_depth": effect.coagulation_depth,
                "total_depth": effect.total_depth,
                "mtz_diameter": effect.mtz_diameter,
                "peak_temperature": effect.peak_temperature,
                "column_model": effect.model,
                "scattering_to_absorption": scattering_ratio,
                "warnings": "; ".join(effect.warnings),
            }
        )
    return rows


def run(sweep: Sweep, client, progress: Callable[[int, int], None] | None = None) -> list[dict]:
    """Run every task of ``sweep`` on a Dask ``distributed`` client; rows in grid order.

    Parameters
    ----------
    sweep : Sweep
        The grid.
    client : distributed.Client
        Where the tasks run.
    progress : callable, optional
        Called as ``progress(done, total)`` after each finished task.

    Returns
    -------
    list of dict
        One row per (task, energy), in grid order whatever order tasks end in.
    """
    from distributed import as_completed

    tasks = sweep.tasks()
    futures = [client.submit(run_task, sweep, *task, pure=False) for task in tasks]
    done = 0
    results: dict[int, list[dict]] = {}
    for future in as_completed(futures):
        rows = future.result()
        results[rows[0]["task"]] = rows
        done += 1
        if progress is not None:
            progress(done, len(tasks))
    return [row for index in sorted(results) for row in results[index]]


def clinical_rows(rows: Sequence[dict]) -> list[dict]:
    """Rows with glossary names turned into clinical keys and units (``energy_mj``)."""
    from dermalase.units import clinical_mapping

    return [clinical_mapping(row) for row in rows]


def write(rows: Sequence[dict], sweep: Sweep, path: str | os.PathLike) -> Path:
    """Store the rows as Parquet (clinical units), the model version and sweep in its metadata.

    The file is written beside its target and renamed into place, so an
    interrupted write leaves no partial file.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from dermalase import __version__

    target = Path(path)
    table_rows = clinical_rows(rows)
    columns = {key: [row[key] for row in table_rows] for key in table_rows[0]}
    metadata = {
        "dermalase_version": __version__,
        "sweep": json.dumps(asdict(sweep)),
        "column_model": rows[0]["column_model"],
        "transport_model": "monte_carlo (MCML class), Gaussian beam, tissue optics library",
    }
    table = pa.table(columns).replace_schema_metadata(
        {key.encode(): value.encode() for key, value in metadata.items()}
    )
    folder = target.parent if str(target.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    try:
        pq.write_table(table, temporary)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def read(path: str | os.PathLike) -> tuple[list[dict], dict[str, str]]:
    """Rows (clinical keys) and metadata of an atlas Parquet file."""
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    metadata = {
        key.decode(): value.decode() for key, value in (table.schema.metadata or {}).items()
    }
    return table.to_pylist(), metadata
