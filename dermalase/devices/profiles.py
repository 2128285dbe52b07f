"""Device profiles: what a laser can deliver, loaded from TOML files.

A :class:`DeviceProfile` holds a device's limits in SI units: wavelength
[m], pulse durations [s], fluence [J/m²] or energy per microbeam [J], spot
diameters [m], repetition rate [Hz], scanner pattern sizes [m] and speed
[m/s], coverage [-] and MTZ density [1/m²]. Files speak clinical units
(:mod:`dermalase.devices.schema`); :func:`read_device_file` validates a file
and converts it to SI here, once.

The ``check_*`` methods raise :class:`~dermalase.exceptions.RefusalError`
(rule ``device.<field>``, the device file as source) for a setting the device
cannot deliver; the ``nearest_*`` methods return the nearest setting it can,
so that dosimetry can offer the nearest achievable prescription.

Bundled devices are generic device kinds, not vendor models: vendor hardware
limits were not found (reference notes, Open items 1), so each file names
every value that is not from a source in its ``assumptions`` list.

Examples
--------
>>> device = load_device("fractional_co2")
>>> device.energy.maximum  # J
0.04
>>> device.nearest_energy(0.1)
0.04
"""

from __future__ import annotations

import difflib
import math
import os
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from dermalase import citations
from dermalase.devices import hantash2007  # noqa: F401  (registers the citation)
from dermalase.devices.schema import DeviceFile, key_paths, table_keys
from dermalase.exceptions import InputError, RefusalError
from dermalase.units import J_CM2_PER_J_M2, MJ_PER_J, NM_PER_M, UM_PER_M, US_PER_S

#: Environment variable naming directories of user device files,
#: separated by :data:`os.pathsep`.
DEVICE_PATH_VARIABLE = "DERMALASE_DEVICE_PATH"

#: metres -> millimetres
MM_PER_M = 1e3
#: fraction -> percent
PERCENT_PER_FRACTION = 100.0
#: 1/m² -> 1/cm²
PER_CM2_PER_PER_M2 = 1e-4

# Relative slack on range edges, so that a limit converted from clinical units
# and the same limit converted again by a caller compare as equal.
_EDGE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class SettingRange:
    """The achievable values of one setting: a closed interval or a discrete list.

    Parameters
    ----------
    minimum : float
        Lowest achievable value [SI unit of the setting].
    maximum : float
        Highest achievable value [SI unit of the setting].
    values : tuple of float
        The discrete achievable values, increasing; empty when every value
        from ``minimum`` to ``maximum`` is achievable.
    """

    minimum: float
    maximum: float
    values: tuple[float, ...] = ()

    @classmethod
    def of(cls, values: Iterable[float]) -> SettingRange:
        """Return a discrete range of the given values."""
        values = tuple(sorted(values))
        return cls(values[0], values[-1], values)

    def contains(self, value: float) -> bool:
        """Return whether ``value`` is achievable, edges included."""
        if self.values:
            return any(_close(value, v) for v in self.values)
        low = self.minimum * (1 - _EDGE_TOLERANCE)
        high = self.maximum * (1 + _EDGE_TOLERANCE)
        return low <= value <= high

    def nearest(self, value: float) -> float:
        """Return the achievable value nearest to ``value``."""
        if self.values:
            return min(self.values, key=lambda v: (abs(v - value), v))
        return min(max(value, self.minimum), self.maximum)

    def describe(self, unit: str, scale: float) -> str:
        """Return the range in a clinical unit, e.g. ``"250-350 µs"``."""
        if self.values:
            return "one of " + ", ".join(f"{v * scale:g}" for v in self.values) + f" {unit}"
        if self.minimum == self.maximum:
            return f"{self.minimum * scale:g} {unit}"
        return f"{self.minimum * scale:g}-{self.maximum * scale:g} {unit}"


@dataclass(frozen=True)
class PulseMode:
    """One named pulse mode.

    Parameters
    ----------
    name : str
        One of :data:`dermalase.devices.schema.PULSE_MODE_NAMES`.
    pulse_duration : SettingRange
        Achievable pulse durations [s].
    description : str
        What the mode is for.
    """

    name: str
    pulse_duration: SettingRange
    description: str = ""


@dataclass(frozen=True)
class CoagulationTrain:
    """A train of sub-ablative pulses that adds coagulation below the crater.

    Parameters
    ----------
    fluence : SettingRange
        Fluence of each sub-ablative pulse [J/m²].
    max_pulses : int
        Most pulses in one train.
    pulse_duration : float
        Duration of each pulse of the train [s].
    repetition_rate : float
        Pulse repetition rate within the train [Hz].
    """

    fluence: SettingRange
    max_pulses: int
    pulse_duration: float
    repetition_rate: float


@dataclass(frozen=True)
class Scanner:
    """The scanner's pattern generator.

    Parameters
    ----------
    pattern_shapes : tuple of str
        Pattern shapes it can lay down (``square``, ``hexagon``, ``line``, ...).
    pattern_size : SettingRange
        Pattern size, the width of the pattern across its widest extent [m].
    speed_max : float
        Highest beam speed across the skin [m/s].
    overlap : SettingRange or None
        Settable spot overlap, as a fraction of the spot diameter [-].
    overlap_recommended : SettingRange or None
        Overlap recommended for even depth [-].
    """

    pattern_shapes: tuple[str, ...]
    pattern_size: SettingRange
    speed_max: float
    overlap: SettingRange | None = None
    overlap_recommended: SettingRange | None = None


@dataclass(frozen=True)
class DensityStep:
    """One density step of a fractional device.

    A step fixes either the coverage (the device adapts the MTZ density to the
    spot) or the MTZ density (the coverage then depends on the spot).

    Parameters
    ----------
    step : int
        Step number as shown by the device, from 1.
    coverage : float or None
        Fraction of the surface covered by microscopic treatment zones [-].
    density : float or None
        Microscopic treatment zones per area [1/m²].
    """

    step: int
    coverage: float | None = None
    density: float | None = None

    def coverage_at(self, spot_diameter: float) -> float:
        """Return the coverage [-] of this step with spots of ``spot_diameter`` [m].

        Notes
        -----
        coverage = N × π d² / 4, with N the MTZ density [1/m²] and d the spot
        diameter [m].
        """
        if self.coverage is not None:
            return self.coverage
        return self.density * math.pi * spot_diameter**2 / 4

    def density_at(self, spot_diameter: float) -> float:
        """Return the MTZ density [1/m²] of this step with spots of ``spot_diameter`` [m]."""
        if self.density is not None:
            return self.density
        return self.coverage / (math.pi * spot_diameter**2 / 4)


@dataclass(frozen=True)
class DensityChoice:
    """The density step chosen for a requested coverage.

    Parameters
    ----------
    step : int
        Density step number.
    coverage : float
        Coverage this step delivers with the given spot [-].
    density : float
        MTZ density of this step with the given spot [1/m²].
    """

    step: int
    coverage: float
    density: float


@dataclass(frozen=True)
class DepthDial:
    """The depth dial of a device whose user interface sets depth in µm.

    Parameters
    ----------
    ablation_depth : SettingRange
        Ablation depth the dial can be set to [m].
    coagulation_depth_max : float or None
        Deepest coagulation the dial can be set to [m].
    """

    ablation_depth: SettingRange
    coagulation_depth_max: float | None = None


@dataclass(frozen=True)
class DeviceProfile:
    """What one laser device (or device kind) can deliver, in SI units.

    Parameters
    ----------
    name : str
        Short name, the file name without ``.toml``.
    display_name : str
        Name for people.
    description : str
        What kind of device this is.
    wavelength : float
        Emission wavelength [m].
    modality : tuple of str
        ``"full_field"``, ``"fractional"`` or both.
    depth_setting : bool
        Whether the user interface lets the physician dial depth in µm.
    pulse_modes : tuple of PulseMode
        Named pulse modes with their pulse durations [s].
    fluence : SettingRange or None
        Fluence per pulse for full-field treatment [J/m²].
    energy : SettingRange or None
        Energy per microbeam for fractional treatment [J].
    spot_diameter : SettingRange
        Spot diameters [m].
    repetition_rate : SettingRange
        Pulse repetition rate [Hz].
    max_stacked_pulses : int
        Most pulses stacked on one spot.
    max_passes : int
        Most passes over one area.
    average_power_max : float or None
        Highest average output power [W].
    coagulation : CoagulationTrain or None
        Sub-ablative coagulation train, where the device has one.
    scanner : Scanner or None
        Scanner pattern generator, where the device has one.
    density_steps : tuple of DensityStep
        Density steps of a fractional device, step 1 first.
    depth : DepthDial or None
        Depth dial, where ``depth_setting`` is true.
    sources : tuple of str
        Citation keys (see :mod:`dermalase.citations`) or plain-text provenance.
    assumptions : tuple of str
        Key paths of the file values that are not from a source.
    path : pathlib.Path or None
        The file the profile was read from.
    """

    name: str
    display_name: str
    description: str
    wavelength: float
    modality: tuple[str, ...]
    depth_setting: bool
    pulse_modes: tuple[PulseMode, ...]
    fluence: SettingRange | None
    energy: SettingRange | None
    spot_diameter: SettingRange
    repetition_rate: SettingRange
    max_stacked_pulses: int
    max_passes: int
    average_power_max: float | None = None
    coagulation: CoagulationTrain | None = None
    scanner: Scanner | None = None
    density_steps: tuple[DensityStep, ...] = ()
    depth: DepthDial | None = None
    sources: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()
    path: Path | None = None

    # ----------------------------------------------------------------- sources

    @property
    def source_file(self) -> str:
        """Name of the device file, the source of every device refusal."""
        return self.path.name if self.path is not None else f"{self.name}.toml"

    @property
    def citation_keys(self) -> tuple[str, ...]:
        """The entries of ``sources`` that are registered citation keys."""
        known = citations.registered()
        return tuple(source for source in self.sources if source in known)

    # ------------------------------------------------------------ limit checks

    def _refuse(self, field: str, message: str) -> RefusalError:
        return RefusalError(f"device.{field}", message, self.source_file)

    def _check(
        self, field: str, value: float, limits: SettingRange, unit: str, scale: float
    ) -> float:
        value = _finite(field, value)
        if limits.contains(value):
            return value
        if limits.values:
            where = f"is not {limits.describe(unit, scale)}"
        elif value < limits.minimum:
            where = f"is below the minimum {limits.minimum * scale:g} {unit}"
        else:
            where = f"is above the maximum {limits.maximum * scale:g} {unit}"
        label = field.replace("_", " ")
        raise self._refuse(
            field, f"{label} {value * scale:g} {unit} {where} of {self.display_name}"
        )

    def _count(self, field: str, count: int, maximum: int) -> int:
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise InputError(field, count, "must be a whole number >= 1")
        if count > maximum:
            label = field.replace("_", " ")
            raise self._refuse(
                field, f"{label} {count} is above the maximum {maximum} of {self.display_name}"
            )
        return count

    def _full_field(self) -> SettingRange:
        if self.fluence is None:
            raise self._refuse(
                "modality", f"{self.display_name} has no full-field mode (no fluence limits)"
            )
        return self.fluence

    def _fractional(self) -> SettingRange:
        if self.energy is None:
            raise self._refuse(
                "modality", f"{self.display_name} has no fractional mode (no energy limits)"
            )
        return self.energy

    def _coagulation(self) -> CoagulationTrain:
        if self.coagulation is None:
            raise self._refuse(
                "coagulation", f"{self.display_name} has no sub-ablative coagulation train"
            )
        return self.coagulation

    def _scanner(self) -> Scanner:
        if self.scanner is None:
            raise self._refuse("scanner", f"{self.display_name} has no scanner")
        return self.scanner

    def _depth(self) -> DepthDial:
        if self.depth is None:
            raise self._refuse("depth_setting", f"{self.display_name} has no depth dial in µm")
        return self.depth

    def check_modality(self, modality: str) -> str:
        """Refuse a modality the device does not offer.

        Parameters
        ----------
        modality : str
            ``"full_field"`` or ``"fractional"``.

        Returns
        -------
        str
            ``modality``, when offered.
        """
        if modality not in ("full_field", "fractional"):
            raise InputError("modality", modality, "must be full_field or fractional")
        if modality not in self.modality:
            raise self._refuse(
                "modality",
                f"{self.display_name} offers {' and '.join(self.modality)}, not {modality}",
            )
        return modality

    def check_fluence(self, fluence: float) -> float:
        """Refuse a full-field fluence per pulse outside the device limits.

        Parameters
        ----------
        fluence : float
            Fluence per pulse [J/m²].

        Returns
        -------
        float
            ``fluence`` [J/m²], when achievable.

        Raises
        ------
        RefusalError
            Rule ``device.fluence``, or ``device.modality`` for a device
            without a full-field mode.
        """
        return self._check("fluence", fluence, self._full_field(), "J/cm²", J_CM2_PER_J_M2)

    def nearest_fluence(self, fluence: float) -> float:
        """Return the achievable full-field fluence nearest to ``fluence`` [J/m²]."""
        return self._full_field().nearest(_finite("fluence", fluence))

    def check_energy(self, energy: float) -> float:
        """Refuse an energy per microbeam outside the device limits.

        Parameters
        ----------
        energy : float
            Energy per microbeam [J].

        Returns
        -------
        float
            ``energy`` [J], when achievable.
        """
        return self._check("energy", energy, self._fractional(), "mJ", MJ_PER_J)

    def nearest_energy(self, energy: float) -> float:
        """Return the achievable energy per microbeam nearest to ``energy`` [J]."""
        return self._fractional().nearest(_finite("energy", energy))

    def pulse_mode(self, mode: str) -> PulseMode:
        """Return the pulse mode named ``mode``.

        Raises
        ------
        InputError
            When the device has no such mode; names the closest mode.
        """
        for pulse_mode in self.pulse_modes:
            if pulse_mode.name == mode:
                return pulse_mode
        names = [pulse_mode.name for pulse_mode in self.pulse_modes]
        raise InputError("pulse_mode", mode, _suggestion(mode, names, f"{self.name} modes"))

    def check_pulse_duration(self, pulse_duration: float, mode: str) -> float:
        """Refuse a pulse duration the given pulse mode cannot deliver.

        Parameters
        ----------
        pulse_duration : float
            Pulse duration [s].
        mode : str
            Name of the pulse mode, e.g. ``"short"``.

        Returns
        -------
        float
            ``pulse_duration`` [s], when achievable.
        """
        limits = self.pulse_mode(mode).pulse_duration
        return self._check("pulse_duration", pulse_duration, limits, "µs", US_PER_S)

    def nearest_pulse_duration(self, pulse_duration: float, mode: str) -> float:
        """Return the pulse duration of ``mode`` nearest to ``pulse_duration`` [s]."""
        limits = self.pulse_mode(mode).pulse_duration
        return limits.nearest(_finite("pulse_duration", pulse_duration))

    def check_spot(self, spot_diameter: float) -> float:
        """Refuse a spot diameter the device does not have.

        Parameters
        ----------
        spot_diameter : float
            Spot diameter [m].

        Returns
        -------
        float
            ``spot_diameter`` [m], when available.
        """
        return self._check("spot_diameter", spot_diameter, self.spot_diameter, "µm", UM_PER_M)

    def nearest_spot(self, spot_diameter: float) -> float:
        """Return the available spot diameter nearest to ``spot_diameter`` [m]."""
        return self.spot_diameter.nearest(_finite("spot_diameter", spot_diameter))

    def check_repetition_rate(self, repetition_rate: float) -> float:
        """Refuse a pulse repetition rate outside the device limits.

        Parameters
        ----------
        repetition_rate : float
            Pulse repetition rate [Hz].

        Returns
        -------
        float
            ``repetition_rate`` [Hz], when achievable.
        """
        return self._check("repetition_rate", repetition_rate, self.repetition_rate, "Hz", 1.0)

    def nearest_repetition_rate(self, repetition_rate: float) -> float:
        """Return the achievable repetition rate nearest to ``repetition_rate`` [Hz]."""
        return self.repetition_rate.nearest(_finite("repetition_rate", repetition_rate))

    def check_average_power(self, pulse_energy: float, repetition_rate: float) -> float:
        """Refuse a pulse energy and repetition rate whose product exceeds the power limit.

        Parameters
        ----------
        pulse_energy : float
            Energy per pulse or per microbeam [J].
        repetition_rate : float
            Pulse repetition rate [Hz].

        Returns
        -------
        float
            The average power [W], when within the limit (or when the device
            states no power limit).
        """
        power = _finite("pulse_energy", pulse_energy) * _finite("repetition_rate", repetition_rate)
        if self.average_power_max is not None and power > self.average_power_max * (
            1 + _EDGE_TOLERANCE
        ):
            raise self._refuse(
                "average_power",
                f"average power {power:g} W ({pulse_energy * MJ_PER_J:g} mJ at "
                f"{repetition_rate:g} Hz) is above the maximum {self.average_power_max:g} W "
                f"of {self.display_name}",
            )
        return power

    def check_stacked_pulses(self, count: int) -> int:
        """Refuse more pulses stacked on one spot than the device allows."""
        return self._count("stacked_pulses", count, self.max_stacked_pulses)

    def check_passes(self, count: int) -> int:
        """Refuse more passes than the device allows."""
        return self._count("passes", count, self.max_passes)

    def check_coagulation_fluence(self, fluence: float) -> float:
        """Refuse a sub-ablative coagulation pulse fluence outside the limits.

        Parameters
        ----------
        fluence : float
            Fluence of each coagulation pulse [J/m²].

        Returns
        -------
        float
            ``fluence`` [J/m²], when achievable.
        """
        limits = self._coagulation().fluence
        return self._check("coagulation_fluence", fluence, limits, "J/cm²", J_CM2_PER_J_M2)

    def nearest_coagulation_fluence(self, fluence: float) -> float:
        """Return the achievable coagulation pulse fluence nearest to ``fluence`` [J/m²]."""
        return self._coagulation().fluence.nearest(_finite("coagulation_fluence", fluence))

    def check_coagulation_pulses(self, count: int) -> int:
        """Refuse more coagulation pulses in one train than the device allows."""
        return self._count("coagulation_pulses", count, self._coagulation().max_pulses)

    def check_pattern_shape(self, shape: str) -> str:
        """Refuse a scanner pattern shape the device cannot lay down."""
        shapes = self._scanner().pattern_shapes
        if shape not in shapes:
            raise self._refuse(
                "pattern_shape",
                f"pattern shape {shape!r} is not one of {', '.join(shapes)} of {self.display_name}",
            )
        return shape

    def check_pattern_size(self, pattern_size: float) -> float:
        """Refuse a scanner pattern size [m] outside the device limits."""
        limits = self._scanner().pattern_size
        return self._check("pattern_size", pattern_size, limits, "mm", MM_PER_M)

    def nearest_pattern_size(self, pattern_size: float) -> float:
        """Return the achievable pattern size nearest to ``pattern_size`` [m]."""
        return self._scanner().pattern_size.nearest(_finite("pattern_size", pattern_size))

    def check_scanner_speed(self, speed: float) -> float:
        """Refuse a beam speed [m/s] above the scanner's maximum."""
        limits = SettingRange(0.0, self._scanner().speed_max)
        return self._check("scanner_speed", speed, limits, "mm/s", MM_PER_M)

    def nearest_scanner_speed(self, speed: float) -> float:
        """Return the achievable beam speed nearest to ``speed`` [m/s]."""
        return min(max(_finite("scanner_speed", speed), 0.0), self._scanner().speed_max)

    def check_overlap(self, overlap: float) -> float:
        """Refuse a spot overlap [-] (fraction of the spot diameter) outside the limits."""
        scanner = self._scanner()
        if scanner.overlap is None:
            raise self._refuse("overlap", f"{self.display_name} has no overlap setting")
        return self._check("overlap", overlap, scanner.overlap, "%", PERCENT_PER_FRACTION)

    def nearest_overlap(self, overlap: float) -> float:
        """Return the achievable spot overlap nearest to ``overlap`` [-]."""
        scanner = self._scanner()
        if scanner.overlap is None:
            raise self._refuse("overlap", f"{self.display_name} has no overlap setting")
        return scanner.overlap.nearest(_finite("overlap", overlap))

    def check_ablation_depth(self, ablation_depth: float) -> float:
        """Refuse an ablation depth [m] outside the device's depth dial."""
        limits = self._depth().ablation_depth
        return self._check("ablation_depth", ablation_depth, limits, "µm", UM_PER_M)

    def nearest_ablation_depth(self, ablation_depth: float) -> float:
        """Return the dial setting nearest to ``ablation_depth`` [m]."""
        return self._depth().ablation_depth.nearest(_finite("ablation_depth", ablation_depth))

    def check_coagulation_depth(self, coagulation_depth: float) -> float:
        """Refuse a coagulation depth [m] deeper than the device's depth dial."""
        maximum = self._depth().coagulation_depth_max
        if maximum is None:
            raise self._refuse(
                "coagulation_depth", f"{self.display_name} has no coagulation depth dial"
            )
        limits = SettingRange(0.0, maximum)
        return self._check("coagulation_depth", coagulation_depth, limits, "µm", UM_PER_M)

    def density_for_coverage(
        self, coverage: float, spot_diameter: float, zone_diameter: float | None = None
    ) -> DensityChoice:
        """Return the density step whose coverage is nearest to ``coverage``.

        Parameters
        ----------
        coverage : float
            Requested fraction of the surface covered by treatment zones [-].
        spot_diameter : float
            Microbeam spot diameter [m]; must be one the device has. A step's
            MTZ density is that of this spot.
        zone_diameter : float, optional
            Diameter of the treatment zone each microbeam leaves [m], which
            the coverage counts (e.g. the predicted MTZ, column plus sleeve).
            Default: the spot diameter.

        Returns
        -------
        DensityChoice
            The nearest step (the lower step on a tie), its coverage [-] and
            MTZ density [1/m²].

        Notes
        -----
        coverage = N × π d² / 4, with N the MTZ density [1/m²] and d the zone
        diameter [m], at most 1.

        Examples
        --------
        >>> device = load_device("fractional_co2")
        >>> choice = device.density_for_coverage(0.20, 120e-6)
        >>> choice.step, round(choice.coverage, 3)
        (4, 0.181)
        """
        coverage = _finite("coverage", coverage)
        if not 0 < coverage <= 1:
            raise InputError("coverage", coverage, "must be > 0 and <= 1 (a fraction)")
        if not self.density_steps:
            raise self._refuse("density_steps", f"{self.display_name} has no density steps")
        spot_diameter = self.check_spot(spot_diameter)
        zone = spot_diameter if zone_diameter is None else _finite("zone_diameter", zone_diameter)
        if not zone > 0:
            raise InputError("zone_diameter", zone, "must be > 0 m")
        zone_area = math.pi * zone**2 / 4

        def covered(step: DensityStep) -> float:
            return min(1.0, step.density_at(spot_diameter) * zone_area)

        best = min(self.density_steps, key=lambda s: (abs(covered(s) - coverage), s.step))
        return DensityChoice(best.step, covered(best), best.density_at(spot_diameter))

    # ----------------------------------------------------------------- summary

    def summary(self) -> dict:
        """Return the profile in clinical units, JSON-friendly.

        The keys and nesting are those of the device file (``wavelength_nm``,
        ``full_field.fluence_max_j_cm2``, ``spot.spot_diameters_um``, ...),
        with ``None`` for what the device does not have, plus ``file`` and
        ``citations`` (the full reference of each registered citation key).

        Returns
        -------
        dict
            Strings, numbers, booleans, lists, dicts and ``None`` only.
        """
        scanner = self.scanner
        return {
            "name": self.name,
            "display_name": self.display_name,
            "description": self.description,
            "file": self.source_file,
            "wavelength_nm": _shown(self.wavelength, NM_PER_M),
            "modality": list(self.modality),
            "depth_setting": self.depth_setting,
            "max_stacked_pulses": self.max_stacked_pulses,
            "max_passes": self.max_passes,
            "average_power_max_w": self.average_power_max,
            "pulse_modes": [
                {
                    "name": mode.name,
                    "description": mode.description,
                    **_range_summary(mode.pulse_duration, "pulse_duration", "us", US_PER_S),
                }
                for mode in self.pulse_modes
            ],
            "full_field": None
            if self.fluence is None
            else _range_summary(self.fluence, "fluence", "j_cm2", J_CM2_PER_J_M2, False),
            "fractional": None
            if self.energy is None
            else _range_summary(self.energy, "energy", "mj", MJ_PER_J, False),
            "spot": _range_summary(self.spot_diameter, "spot_diameter", "um", UM_PER_M),
            "repetition_rate": _range_summary(
                self.repetition_rate, "repetition_rate", "hz", 1.0, False
            ),
            "coagulation": None
            if self.coagulation is None
            else {
                **_range_summary(
                    self.coagulation.fluence, "fluence", "j_cm2", J_CM2_PER_J_M2, False
                ),
                "max_pulses": self.coagulation.max_pulses,
                "pulse_duration_us": _shown(self.coagulation.pulse_duration, US_PER_S),
                "repetition_rate_hz": self.coagulation.repetition_rate,
            },
            "scanner": None
            if scanner is None
            else {
                "pattern_shapes": list(scanner.pattern_shapes),
                **_range_summary(scanner.pattern_size, "pattern_size", "mm", MM_PER_M),
                "scanner_speed_max_mm_s": _shown(scanner.speed_max, MM_PER_M),
                **_optional_range_summary(scanner.overlap, "overlap", "percent"),
                **_optional_range_summary(
                    scanner.overlap_recommended, "overlap_recommended", "percent"
                ),
            },
            "density_steps": [
                {
                    "step": step.step,
                    "coverage_percent": None
                    if step.coverage is None
                    else _shown(step.coverage, PERCENT_PER_FRACTION),
                    "mtz_density_per_cm2": None
                    if step.density is None
                    else _shown(step.density, PER_CM2_PER_PER_M2),
                }
                for step in self.density_steps
            ],
            "depth": None
            if self.depth is None
            else {
                "ablation_depth_min_um": _shown(self.depth.ablation_depth.minimum, UM_PER_M),
                "ablation_depth_max_um": _shown(self.depth.ablation_depth.maximum, UM_PER_M),
                "coagulation_depth_max_um": None
                if self.depth.coagulation_depth_max is None
                else _shown(self.depth.coagulation_depth_max, UM_PER_M),
            },
            "sources": list(self.sources),
            "citations": citations.format_sources(self.citation_keys),
            "assumptions": list(self.assumptions),
        }


# --------------------------------------------------------------------- loading


def read_device_file(path: str | os.PathLike) -> DeviceProfile:
    """Read, validate and convert one device file to a :class:`DeviceProfile`.

    Parameters
    ----------
    path : str or os.PathLike
        A ``.toml`` device file; its ``name`` must equal the file name
        without ``.toml``.

    Returns
    -------
    DeviceProfile
        The device, in SI units.

    Raises
    ------
    InputError
        When the file cannot be read, is not TOML, or breaks the device
        format; the error names the first offending key path, its value and
        what is allowed.
    """
    path = Path(path)
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError("device file", str(path), f"cannot be read ({error.strerror})") from None
    except tomllib.TOMLDecodeError as error:
        raise InputError("device file", str(path), f"is not valid TOML: {error}") from None
    try:
        file = DeviceFile.model_validate(document)
    except ValidationError as error:
        raise _input_error(error, document, path) from None
    if file.name != path.stem:
        raise InputError("name", file.name, f"must equal the file name {path.stem!r} ({path.name})")
    paths = key_paths(document)
    for assumption in file.assumptions:
        if assumption not in paths:
            allowed = _suggestion(assumption, list(paths), "key paths in the file")
            raise InputError("assumptions", assumption, f"{allowed} ({path.name})")
    return _profile(file, path)


def bundled_device_files() -> list[Path]:
    """Return the device files shipped with dermalase, by name."""
    folder = Path(str(resources.files("dermalase.devices").joinpath("data")))
    return sorted(folder.glob("*.toml"))


def device_directories(extra_dirs: Iterable[str | os.PathLike] | None = None) -> list[Path]:
    """Return the directories searched for user device files.

    Parameters
    ----------
    extra_dirs : iterable of path-like, optional
        Directories searched after those in :data:`DEVICE_PATH_VARIABLE`.

    Returns
    -------
    list of pathlib.Path
        Directories from the environment variable, then ``extra_dirs``.

    Raises
    ------
    InputError
        When a named directory does not exist.
    """
    named = [
        (DEVICE_PATH_VARIABLE, Path(entry))
        for entry in os.environ.get(DEVICE_PATH_VARIABLE, "").split(os.pathsep)
        if entry.strip()
    ]
    named += [("extra_dirs", Path(entry)) for entry in extra_dirs or ()]
    for field, folder in named:
        if not folder.is_dir():
            raise InputError(field, str(folder), "is not a directory of device files")
    return [folder for _, folder in named]


def device_files(extra_dirs: Iterable[str | os.PathLike] | None = None) -> dict[str, Path]:
    """Return every known device file by device name: bundled first, then user files.

    Raises
    ------
    InputError
        When two files define the same device name.
    """
    files: dict[str, Path] = {}
    user_files = [
        f for folder in device_directories(extra_dirs) for f in sorted(folder.glob("*.toml"))
    ]
    for file in bundled_device_files() + user_files:
        known = files.get(file.stem)
        if known is not None and known.resolve() != file.resolve():
            raise InputError(
                "device", file.stem, f"defined twice, in {known} and {file}; rename one"
            )
        files.setdefault(file.stem, file)
    return files


def list_devices(extra_dirs: Iterable[str | os.PathLike] | None = None) -> list[DeviceProfile]:
    """Return every known device: the bundled ones, then user devices.

    User devices are the ``*.toml`` files in the directories named by the
    environment variable ``DERMALASE_DEVICE_PATH`` (separated by
    :data:`os.pathsep`) and in ``extra_dirs``.

    Parameters
    ----------
    extra_dirs : iterable of path-like, optional
        More directories of user device files.

    Returns
    -------
    list of DeviceProfile
        Each device, validated.

    Examples
    --------
    >>> [device.name for device in list_devices()][:2]
    ['er_ysgg', 'fractional_co2']
    """
    return [read_device_file(file) for file in device_files(extra_dirs).values()]


def load_device(
    name_or_path: str | os.PathLike, extra_dirs: Iterable[str | os.PathLike] | None = None
) -> DeviceProfile:
    """Return a device by its name, or read it from a file.

    Parameters
    ----------
    name_or_path : str or os.PathLike
        A device name (bundled, or a user device found as in
        :func:`list_devices`), or a path to a ``.toml`` device file.
    extra_dirs : iterable of path-like, optional
        More directories of user device files.

    Returns
    -------
    DeviceProfile
        The device, validated, in SI units.

    Raises
    ------
    InputError
        For an unknown name (naming the closest known device) or an invalid
        file.

    Examples
    --------
    >>> load_device("tunable_er_yag").wavelength
    2.94e-06
    """
    text = os.fspath(name_or_path)
    if (
        isinstance(name_or_path, os.PathLike)
        or text.endswith(".toml")
        or os.sep in text
        or (os.altsep is not None and os.altsep in text)
    ):
        if not Path(text).is_file():
            raise InputError("device", text, "no such device file")
        return read_device_file(text)
    files = device_files(extra_dirs)
    if text not in files:
        raise InputError("device", text, _suggestion(text, list(files), "known devices"))
    return read_device_file(files[text])


# ------------------------------------------------------------------ conversion


def _profile(file: DeviceFile, path: Path) -> DeviceProfile:
    """Convert a validated device file to SI, once."""
    scanner = file.scanner
    return DeviceProfile(
        name=file.name,
        display_name=file.display_name,
        description=file.description,
        wavelength=file.wavelength_nm / NM_PER_M,
        modality=tuple(file.modality),
        depth_setting=file.depth_setting,
        pulse_modes=tuple(
            PulseMode(
                mode.name,
                _setting(
                    mode.pulse_durations_us,
                    mode.pulse_duration_min_us,
                    mode.pulse_duration_max_us,
                    US_PER_S,
                ),
                mode.description,
            )
            for mode in file.pulse_modes
        ),
        fluence=None
        if file.full_field is None
        else _setting(
            None,
            file.full_field.fluence_min_j_cm2,
            file.full_field.fluence_max_j_cm2,
            J_CM2_PER_J_M2,
        ),
        energy=None
        if file.fractional is None
        else _setting(None, file.fractional.energy_min_mj, file.fractional.energy_max_mj, MJ_PER_J),
        spot_diameter=_setting(
            file.spot.spot_diameters_um,
            file.spot.spot_diameter_min_um,
            file.spot.spot_diameter_max_um,
            UM_PER_M,
        ),
        repetition_rate=SettingRange(
            float(file.repetition_rate.repetition_rate_min_hz),
            float(file.repetition_rate.repetition_rate_max_hz),
        ),
        max_stacked_pulses=file.max_stacked_pulses,
        max_passes=file.max_passes,
        average_power_max=None
        if file.average_power_max_w is None
        else float(file.average_power_max_w),
        coagulation=None
        if file.coagulation is None
        else CoagulationTrain(
            fluence=_setting(
                None,
                file.coagulation.fluence_min_j_cm2,
                file.coagulation.fluence_max_j_cm2,
                J_CM2_PER_J_M2,
            ),
            max_pulses=file.coagulation.max_pulses,
            pulse_duration=file.coagulation.pulse_duration_us / US_PER_S,
            repetition_rate=float(file.coagulation.repetition_rate_hz),
        ),
        scanner=None
        if scanner is None
        else Scanner(
            pattern_shapes=tuple(scanner.pattern_shapes),
            pattern_size=_setting(
                scanner.pattern_sizes_mm,
                scanner.pattern_size_min_mm,
                scanner.pattern_size_max_mm,
                MM_PER_M,
            ),
            speed_max=scanner.scanner_speed_max_mm_s / MM_PER_M,
            overlap=_optional_setting(
                scanner.overlap_min_percent, scanner.overlap_max_percent, PERCENT_PER_FRACTION
            ),
            overlap_recommended=_optional_setting(
                scanner.overlap_recommended_min_percent,
                scanner.overlap_recommended_max_percent,
                PERCENT_PER_FRACTION,
            ),
        ),
        density_steps=tuple(
            DensityStep(
                step.step,
                coverage=None
                if step.coverage_percent is None
                else step.coverage_percent / PERCENT_PER_FRACTION,
                density=None
                if step.mtz_density_per_cm2 is None
                else step.mtz_density_per_cm2 / PER_CM2_PER_PER_M2,
            )
            for step in file.density_steps
        ),
        depth=None
        if file.depth is None
        else DepthDial(
            ablation_depth=_setting(
                None, file.depth.ablation_depth_min_um, file.depth.ablation_depth_max_um, UM_PER_M
            ),
            coagulation_depth_max=None
            if file.depth.coagulation_depth_max_um is None
            else file.depth.coagulation_depth_max_um / UM_PER_M,
        ),
        sources=tuple(file.sources),
        assumptions=tuple(file.assumptions),
        path=path,
    )


def _setting(
    values: list[float] | None, minimum: float | None, maximum: float | None, scale: float
) -> SettingRange:
    """Return a SettingRange in SI from clinical values (``value / scale``)."""
    if values is not None:
        return SettingRange.of(v / scale for v in values)
    return SettingRange(minimum / scale, maximum / scale)


def _optional_setting(
    minimum: float | None, maximum: float | None, scale: float
) -> SettingRange | None:
    return None if minimum is None else SettingRange(minimum / scale, maximum / scale)


def _shown(value: float, scale: float) -> float:
    """Return an SI value in a clinical unit, without conversion noise."""
    return float(f"{value * scale:.12g}")


def _range_summary(
    limits: SettingRange, field: str, unit: str, scale: float, discrete: bool = True
) -> dict:
    summary = {
        f"{field}_min_{unit}": _shown(limits.minimum, scale),
        f"{field}_max_{unit}": _shown(limits.maximum, scale),
    }
    if discrete:
        plural = f"{field}s_{unit}" if not field.endswith("s") else f"{field}_{unit}"
        summary[plural] = [_shown(v, scale) for v in limits.values] if limits.values else None
    return summary


def _optional_range_summary(limits: SettingRange | None, field: str, unit: str) -> dict:
    if limits is None:
        return {f"{field}_min_{unit}": None, f"{field}_max_{unit}": None}
    return _range_summary(limits, field, unit, PERCENT_PER_FRACTION, False)


def _finite(field: str, value: float) -> float:
    """Return ``value`` as a float, refusing NaN, infinities and non-numbers."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(field, value, "must be a number in SI units")
    if not math.isfinite(value):
        raise InputError(field, value, "must be a finite number")
    return float(value)


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(abs(a), abs(b))


def _suggestion(name: str, known: list[str], what: str) -> str:
    """Return 'did you mean ...?' with the closest known name, then the known names."""
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.4)
    listed = ", ".join(sorted(known)) if len(known) <= 12 else f"{len(known)} of them"
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"{hint}{what}: {listed}"


# ------------------------------------------------------------------ file errors

# Clinical unit written in a key name, by key suffix.
_KEY_UNITS = {
    "_nm": "nm",
    "_us": "µs",
    "_um": "µm",
    "_mm": "mm",
    "_mm_s": "mm/s",
    "_j_cm2": "J/cm²",
    "_mj": "mJ",
    "_hz": "Hz",
    "_w": "W",
    "_percent": "%",
    "_per_cm2": "1/cm²",
}

_BOUND_MESSAGE = re.compile(r"(greater|less) than( or equal to)? -?[\d.]+(e[+-]?\d+)?$")


def _input_error(error: ValidationError, document: dict, path: Path) -> InputError:
    """Turn the first pydantic error into a one-line InputError.

    An unknown key is reported before anything else: a misspelt key also
    leaves its correct spelling missing, and the spelling is the cause.
    """
    errors = error.errors(include_url=False)
    first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    location = first["loc"]
    field = _location_text(location, document)
    key = next((str(part) for part in reversed(location) if isinstance(part, str)), "")
    message = first["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    message = message[:1].lower() + message[1:]
    if _BOUND_MESSAGE.search(message):
        unit = next((u for suffix, u in _KEY_UNITS.items() if key.endswith(suffix)), "")
        message = f"{message} {unit}".rstrip()
    if first["type"] == "missing":
        value = "(missing)"
    elif first["type"] == "extra_forbidden":
        value = "(unknown key)"
        close = difflib.get_close_matches(key, sorted(table_keys()), n=1)
        message = f"not a device file key; did you mean {close[0]!r}?" if close else message
    else:
        value = _value_text(first["input"])
    return InputError(field or "device file", value, f"{message} ({path.name})")


def _location_text(location: tuple, document: dict) -> str:
    """Return a pydantic error location as a key path of the device file."""
    parts: list[str] = []
    node: object = document
    for part in location:
        if isinstance(part, int) and isinstance(node, list) and part < len(node):
            entry = node[part]
            if isinstance(entry, dict) and ("name" in entry or "step" in entry):
                parts.append(str(entry.get("name", entry.get("step"))))
            else:
                parts[-1] = f"{parts[-1]}[{part}]" if parts else f"[{part}]"
            node = entry
        else:
            parts.append(str(part))
            node = node.get(part) if isinstance(node, dict) else None
    return ".".join(parts)


def _value_text(value: object) -> str:
    if isinstance(value, dict):
        return "(table)"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."
