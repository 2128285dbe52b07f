"""Looking up a column: interpolation in a table set at one pulse duration.

:func:`column_table` binds a table set to a pulse duration and an area;
:class:`ColumnTable` answers "what column does this energy drill?"
(:meth:`ColumnTable.predict`) and "what energy drills this depth?"
(:meth:`ColumnTable.energy_for_depth`) in microseconds, with monotone cubic
Hermite (PCHIP, :class:`scipy.interpolate.PchipInterpolator`) interpolation in
log(energy), linear in log(spot) and log(pulse duration), exact in the pulse
count.
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy.interpolate import PchipInterpolator

from dermalase.exceptions import InputError
from dermalase.forward import fractional
from dermalase.forward.tables.spec import QUANTITIES, TableSpec, default_specs, generic_spec
from dermalase.forward.tables.storage import TableSet, table_set
from dermalase.physics import ablation, damage
from dermalase.tissue import skin_model
from dermalase.tissue.layers import SkinModel
from dermalase.units import plural


def column_table(
    wavelength: float,
    pulse_duration: float | Callable[[float], float],
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
    pulse_duration : float or callable
        Pulse duration [s], or the pulse duration as a function of the energy
        per pulse [J -> s] (a device mode's
        :meth:`~dermalase.devices.profiles.PulseMode.pulse_duration_for`, for a
        laser that delivers each energy at its peak power).
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
    if callable(pulse_duration):
        if spec is None:
            spec = _spec_for_rule(wavelength, pulse_duration)
        durations = [pulse_duration(energy) for energy in spec.energies]
    else:
        durations = [pulse_duration]
        if spec is None:
            covering = [s for s in default_specs() if s.covers(wavelength, pulse_duration)]
            spec = covering[0] if covering else generic_spec(wavelength, pulse_duration)
    for duration in (min(durations), max(durations)):
        if not spec.covers(wavelength, duration):
            raise InputError(
                "pulse_duration",
                f"{duration * 1e6:g} us at {wavelength * 1e9:g} nm",
                f"the table covers {spec.durations[0] * 1e6:g}-{spec.durations[-1] * 1e6:g} us "
                f"at {spec.wavelength * 1e9:g} nm",
            )
    tables = table_set(spec, area, cache_dir=cache_dir)
    return ColumnTable.from_set(tables, pulse_duration, skin)


def _spec_for_rule(wavelength: float, rule: Callable[[float], float]) -> TableSpec:
    """The bundled grid at this line whose durations cover ``rule`` over its energies."""
    for spec in default_specs():
        durations = [rule(energy) for energy in spec.energies]
        if spec.covers(wavelength, min(durations)) and spec.covers(wavelength, max(durations)):
            return spec
    raise InputError(
        "pulse_duration",
        f"a pulse duration that follows the energy at {wavelength * 1e9:g} nm",
        "a bundled table grid at this line covering those durations",
    )


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
    def from_set(
        cls,
        tables: TableSet,
        pulse_duration: float | Callable[[float], float],
        skin: SkinModel,
    ) -> ColumnTable:
        """Bind a table set to one pulse duration (linear in log duration).

        ``pulse_duration`` may be a function of the energy per pulse [J -> s]:
        each energy node is then read at its own duration. Along log(energy)
        each spot and pulse count gets a monotone cubic Hermite (PCHIP)
        interpolant over the energies whose column stays within the depth
        limit; above them it gives NaN.
        """
        spec = tables.spec
        durations = np.log(np.array(spec.durations))
        if callable(pulse_duration):
            rule = pulse_duration
            pulse_duration = rule(spec.energies[0])
            per_energy = [rule(energy) for energy in spec.energies]
        else:
            per_energy = [pulse_duration] * len(spec.energies)
        if durations.size == 1:
            values = tables.values[0]
        else:
            # values has axes (duration, spot, pulses, energy, quantity)
            values = np.empty_like(tables.values[0])
            for e, duration in enumerate(per_energy):
                x = math.log(duration)
                k = int(np.clip(np.searchsorted(durations, x) - 1, 0, durations.size - 2))
                w = float(np.clip((x - durations[k]) / (durations[k + 1] - durations[k]), 0.0, 1.0))
                values[:, :, e] = (1.0 - w) * tables.values[k][:, :, e] + w * tables.values[k + 1][
                    :, :, e
                ]
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
            ablation.parameters_for_wavelength(self.wavelength),
            damage.damage_model("henriques_moritz"),
        )

    @property
    def dermis_bottom(self) -> float:
        """Depth of the bottom of the area's dermis [m]."""
        return self.skin.dermis_bottom

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
            f"with {plural(pulses, 'stacked pulse')} the column passes the table's depth limit "
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
                f"with {plural(pulses, 'pulse')}"
            )
        low, high = float(depths[0]), float(depths[-1])
        if np.any(~(wanted >= low)) or np.any(~(wanted <= high)):
            shown = np.atleast_1d(wanted) * 1e6
            raise ValueError(
                f"ablation depth {shown.min():g}-{shown.max():g} um is outside the reachable "
                f"range {low * 1e6:.1f}-{high * 1e6:.1f} um at a {spot_diameter * 1e6:g} um "
                f"spot with {plural(pulses, 'pulse')}"
            )
        result = np.exp(np.interp(wanted, depths, log_energy))
        return float(result) if result.ndim == 0 else result
