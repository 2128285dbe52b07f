"""The device profile type: what a laser can deliver, in SI units.

A :class:`DeviceProfile` holds a device's limits in SI units: wavelength
[m], pulse durations [s], fluence [J/m²] or energy per microbeam [J], spot
diameters [m], repetition rate [Hz], scanner pattern sizes [m] and speed
[m/s], coverage [-] and MTZ density [1/m²]. Device files are read and
converted to it in :mod:`dermalase.devices.files`; its limits, as one table
with one check, are in :mod:`dermalase.devices.limits`
(:meth:`DeviceProfile.limits`).

Bundled devices are generic device kinds, not vendor models: vendor hardware
limits were not found (reference notes, Open items 1), so each file names
every value that is not from a source in its ``assumptions`` list.

Examples
--------
>>> from dermalase.devices import load_device
>>> device = load_device("fractional_co2")
>>> device.energy.maximum  # J
0.04
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from dermalase import citations
from dermalase.devices import hantash2007  # noqa: F401  (registers the citation)
from dermalase.devices.limits import (
    MM_PER_M,
    PERCENT_PER_FRACTION,
    Limit,
    SettingRange,
    check,
    finite,
    limit_table,
)
from dermalase.exceptions import InputError, RefusalError, did_you_mean
from dermalase.units import J_CM2_PER_J_M2, MJ_PER_J, NM_PER_M, UM_PER_M, US_PER_S

#: 1/m² -> 1/cm²
PER_CM2_PER_PER_M2 = 1e-4
#: rad -> mrad
MRAD_PER_RAD = 1e3


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
    peak_power : float, optional
        Highest power during a pulse [W]. Where given, a pulse of energy E
        lasts E / peak_power within the mode's range: the laser delivers an
        energy at its peak power and no faster (:meth:`pulse_duration_for`).
    """

    name: str
    pulse_duration: SettingRange
    description: str = ""
    peak_power: float | None = None

    def pulse_duration_for(self, energy: float) -> float:
        """Pulse duration that delivers ``energy`` [J] in this mode [s].

        ``energy / peak_power``, held within the mode's pulse durations (the
        nearest allowed value); the shortest pulse where no peak power is
        given.
        """
        if self.peak_power is None:
            return self.pulse_duration.minimum
        return self.pulse_duration.nearest(energy / self.peak_power)


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
        assert self.density is not None  # a step sets exactly one of the two
        return self.density * math.pi * spot_diameter**2 / 4

    def density_at(self, spot_diameter: float) -> float:
        """Return the MTZ density [1/m²] of this step with spots of ``spot_diameter`` [m]."""
        if self.density is not None:
            return self.density
        assert self.coverage is not None  # a step sets exactly one of the two
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
class BeamGeometry:
    """Beam geometry for the laser-safety hazard distances.

    Parameters
    ----------
    handpiece_divergence : float
        Full-angle divergence of the handpiece beam beyond the treatment
        plane [rad], where its diameter is the spot diameter.
    delivery_arm_beam_diameter : float
        Diameter of the collimated delivery-arm beam [m].
    delivery_arm_divergence : float
        Full-angle divergence of the delivery-arm beam [rad].
    focal_length, lens_beam_diameter : float or None
        The handpiece's focal geometry [m] where the file gave the divergence
        so (divergence = lens beam diameter / focal length).
    """

    handpiece_divergence: float
    delivery_arm_beam_diameter: float
    delivery_arm_divergence: float
    focal_length: float | None = None
    lens_beam_diameter: float | None = None

    def summary(self) -> dict:
        """Return the geometry in the device file's units (mm, mrad)."""
        focal = {}
        if self.focal_length is not None and self.lens_beam_diameter is not None:
            focal = {
                "focal_length_mm": _shown(self.focal_length, MM_PER_M),
                "lens_beam_diameter_mm": _shown(self.lens_beam_diameter, MM_PER_M),
            }
        return {
            "handpiece_divergence_mrad": _shown(self.handpiece_divergence, MRAD_PER_RAD),
            **focal,
            "delivery_arm_beam_diameter_mm": _shown(self.delivery_arm_beam_diameter, MM_PER_M),
            "delivery_arm_divergence_mrad": _shown(self.delivery_arm_divergence, MRAD_PER_RAD),
        }


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
    beam : BeamGeometry or None
        Beam geometry for the laser-safety hazard distances.
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
    beam: BeamGeometry | None = None

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

    # ------------------------------------------------------------------ limits

    def limits(self) -> tuple[Limit, ...]:
        """Return the device's limits as a table, one row per limited field.

        Each row (:class:`~dermalase.devices.limits.Limit`) names the field,
        the allowed values in SI units, the unit and the device file keys it
        comes from; :func:`dermalase.devices.limits.check` checks a value
        against it.

        Examples
        --------
        >>> from dermalase.devices import load_device
        >>> row = load_device("fractional_co2").limits()[1]
        >>> row.field, row.unit, row.describe()
        ('energy', 'J', '5-40 mJ')
        """
        return limit_table(self)

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
        raise InputError("pulse_mode", mode, known_names_hint(mode, names, f"{self.name} modes"))

    def density_for_coverage(
        self,
        coverage: float,
        spot_diameter: float,
        zone_diameter: float | None = None,
        *,
        milder: bool = False,
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
        milder : bool
            Take the nearest step that covers no more than ``coverage`` (the
            sparsest step when every step covers more).

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
        >>> from dermalase.devices import load_device
        >>> device = load_device("fractional_co2")
        >>> choice = device.density_for_coverage(0.20, 120e-6, 280e-6)
        >>> choice.step, round(choice.coverage, 3)
        (5, 0.185)
        """
        coverage = finite("coverage", coverage)
        if not 0 < coverage <= 1:
            raise InputError("coverage", coverage, "must be > 0 and <= 1 (a fraction)")
        if not self.density_steps:
            raise RefusalError(
                "device.density_steps",
                f"{self.display_name} has no density steps",
                self.source_file,
            )
        spot_diameter = check(self, "spot_diameter", spot_diameter)
        zone = spot_diameter if zone_diameter is None else finite("zone_diameter", zone_diameter)
        if not zone > 0:
            raise InputError("zone_diameter", zone, "must be > 0 m")
        zone_area = math.pi * zone**2 / 4

        def covered(step: DensityStep) -> float:
            return min(1.0, step.density_at(spot_diameter) * zone_area)

        steps = self.density_steps
        if milder:
            steps = tuple(s for s in steps if covered(s) <= coverage) or steps
        best = min(steps, key=lambda s: (abs(covered(s) - coverage), s.step))
        return DensityChoice(best.step, covered(best), best.density_at(spot_diameter))

    # ----------------------------------------------------------------- summary

    def summary(self) -> dict:
        """Return the profile in clinical units, JSON-friendly.

        The keys and nesting are those of the device file (``wavelength_nm``,
        ``full_field.fluence_max_j_cm2``, ``spot.spot_diameters_um``, ...),
        with ``None`` for what the device does not have, plus ``file``,
        ``citations`` (the full reference of each registered citation key) and
        ``limits`` (the limit table, :meth:`limits`, one dict per row).

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
                    "peak_power_w": mode.peak_power,
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
            "beam": None if self.beam is None else self.beam.summary(),
            "sources": list(self.sources),
            "citations": citations.format_sources(self.citation_keys),
            "assumptions": list(self.assumptions),
            "limits": [row.summary() for row in self.limits()],
        }


# ------------------------------------------------------------------ summaries


def _shown(value: float, scale: float) -> float:
    """Return an SI value in a clinical unit, without conversion noise."""
    return float(f"{value * scale:.12g}")


def _range_summary(
    limits: SettingRange, field: str, unit: str, scale: float, discrete: bool = True
) -> dict:
    summary: dict[str, float | list[float] | None] = {
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


def known_names_hint(name: str, known: list[str], what: str) -> str:
    """Return 'did you mean ...?' with the closest known name, then the known names."""
    listed = ", ".join(sorted(known)) if len(known) <= 12 else f"{len(known)} of them"
    return f"{did_you_mean(name, known, cutoff=0.4)}{what}: {listed}"
