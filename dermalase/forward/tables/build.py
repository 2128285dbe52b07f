"""Building table sets: simulate the grid, measure the interpolation error, save.

Only ``dermalase tables build`` (and the tests and benchmarks) call this
module; a lookup never does. A build runs the column model at every node of
the grid, in worker processes when asked, reporting progress as it goes, and
measures the interpolation error against simulations at held-out points
between the nodes, run at the model's default grid.
"""

from __future__ import annotations

import concurrent.futures
import os
import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from dermalase.forward import fractional
from dermalase.forward.tables.lookup import ColumnTable
from dermalase.forward.tables.spec import (
    ERROR_FLOOR,
    QUANTITIES,
    REFERENCE_AREA,
    TableSpec,
    reference_skin,
)
from dermalase.forward.tables.storage import (
    _LOADED,
    TableSet,
    _load,
    _save,
    table_directory,
    table_file_name,
    table_key,
)
from dermalase.tissue.layers import SkinModel


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
    path = table_directory(directory, "table directory") / table_file_name(key)  # before a build
    if not rebuild and path.is_file():
        existing = _load(path)
        if existing is not None and existing.key == key:
            return existing
    built = build_table_set(spec, skin, workers=workers, progress=progress)
    _save(built, path)
    _LOADED[key] = built
    return built
