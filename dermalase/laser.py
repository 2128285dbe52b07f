"""Laser settings for one spot: what the device is told, in SI units."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from dermalase.exceptions import InputError
from dermalase.units import clinical_mapping

# Bounds on the work a setting asks of a solver: each solver steps through the
# simulated time, so a rate near zero or an interval of hours is a hang, not a
# dose. The bounds come from what the devices can do.

#: Most pulses stacked, passes or coagulation pulses in one setting [-].
PULSES_MAX = 100
#: Lowest repetition rate of stacked or coagulation pulses [Hz]: the lowest
#: rate of every bundled device (``repetition_rate_min_hz = 1`` in
#: ``devices/data/*.toml``); a train of :data:`PULSES_MAX` pulses at this rate
#: lasts 100 s, the longest train a solver steps through.
REPETITION_RATE_MIN = 1.0
#: Longest time between passes over the same spot [s]: an hour, far beyond a
#: 15-30 min session (DESIGN.md) and the longest ``--pass-interval`` accepted.
PASS_INTERVAL_MAX = 3600.0
#: Shortest pulse [s]: the forward models' blow-off regime covers Q-switched
#: nanosecond pulses (Vogel & Venugopalan 2003, section VII.A); shorter ones
#: ablate by plasma formation, which no model here describes.
PULSE_DURATION_MIN = 1e-9
#: Longest pulse [s]: 100 ms, ten times the longest mode of any bundled device
#: (the 10 ms long mode of ``tunable_er_yag``).
PULSE_DURATION_MAX = 0.1
#: Laser lines whose full-field passes are wiped by default [m]: the CO2
#: lines (9.3-10.6 um). The standard multi-pass CO2 technique wipes the
#: desiccated residue off with saline-soaked gauze before and after each pass
#: (Yuksel et al. 2001; Collawn et al. 2003; ``tissue/parameters/yuksel2001``);
#: no source read describes it for the erbium lines.
WIPED_WAVELENGTHS = (9.0e-6, 11.0e-6)


@dataclass(frozen=True)
class LaserSettings:
    """What the device is told, in SI units: the pulses on one spot, and how spots are laid.

    The first group of fields drives the full-field forward model
    (:func:`dermalase.forward.full_field.simulate`); the second says how the scanner
    lays spots over the area and, for fractional work, the energy of each
    microbeam. A fractional setting's ``fluence`` is the mean fluence over the
    1/e² spot, ``energy / (π d² / 4)``.

    Parameters
    ----------
    wavelength : float
        Vacuum wavelength [m].
    fluence : float
        Radiant exposure of each ablative pulse [J/m^2].
    pulse_duration : float
        Duration of each ablative pulse [s].
    pulses : int
        Ablative pulses stacked on the spot in each pass.
    repetition_rate : float
        Repetition rate of stacked pulses [Hz].
    passes : int
        Passes over the spot.
    pass_interval : float
        Time between the starts of successive passes over the same spot [s]
        (the scanner covers the rest of the area meanwhile).
    coagulation_fluence : float
        Fluence of each sub-ablative coagulation pulse [J/m^2]; 0 for none.
    coagulation_pulses : int
        Coagulation pulses after the ablative pulses of each pass.
    coagulation_pulse_duration : float
        Duration of each coagulation pulse [s].
    coagulation_repetition_rate : float
        Repetition rate inside the coagulation train [Hz].
    pulse_mode : str or None
        Name of the device pulse mode the pulse duration belongs to.
    spot_diameter : float or None
        Spot (full field) or 1/e² microbeam (fractional) diameter [m].
    overlap : float
        Overlap of neighbouring full-field spots, a fraction of the spot
        diameter [-].
    energy : float or None
        Energy of each microbeam [J] (fractional work).
    coverage : float
        Fraction of the surface treated [-]; 1 for full field.
    density : float or None
        Microscopic treatment zones per unit area [1/m^2] (fractional work).
    density_step : int or None
        The device density step that gives ``density``, where it has steps.
    wipe_after_each_pass : bool or None
        Whether the desiccated layer the pulses leave on the floor is wiped
        off after each pass (full field); None for the line's default, True
        for the CO2 lines (:data:`WIPED_WAVELENGTHS`) and False otherwise.
    """

    wavelength: float
    fluence: float
    pulse_duration: float
    pulses: int = 1
    repetition_rate: float = 1.0
    passes: int = 1
    pass_interval: float = 10.0
    coagulation_fluence: float = 0.0
    coagulation_pulses: int = 0
    coagulation_pulse_duration: float = 500e-6
    coagulation_repetition_rate: float = 200.0
    pulse_mode: str | None = None
    spot_diameter: float | None = None
    overlap: float = 0.0
    energy: float | None = None
    coverage: float = 1.0
    density: float | None = None
    density_step: int | None = None
    wipe_after_each_pass: bool | None = None

    def __post_init__(self):
        checks = (
            ("wavelength", self.wavelength, "must be > 0 m"),
            ("fluence", self.fluence, "must be > 0 J/cm2"),
            ("pulse_duration", self.pulse_duration, "must be > 0 s"),
            ("repetition_rate", self.repetition_rate, "must be > 0 Hz"),
            ("pass_interval", self.pass_interval, "must be > 0 s"),
            ("coagulation_pulse_duration", self.coagulation_pulse_duration, "must be > 0 s"),
            ("coagulation_repetition_rate", self.coagulation_repetition_rate, "must be > 0 Hz"),
        )
        value: float | None
        for field, value, allowed in checks:
            if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
                raise InputError(field, value, allowed)
        if not math.isfinite(self.coagulation_fluence) or self.coagulation_fluence < 0:
            raise InputError("coagulation_fluence", self.coagulation_fluence, "must be >= 0")
        for field, value, low in (
            ("pulses", self.pulses, 1),
            ("passes", self.passes, 1),
            ("coagulation_pulses", self.coagulation_pulses, 0),
        ):
            if int(value) != value or value < low or value > PULSES_MAX:
                raise InputError(field, value, f"must be a whole number from {low} to {PULSES_MAX}")
        for field, value in (
            ("pulse_duration", self.pulse_duration),
            ("coagulation_pulse_duration", self.coagulation_pulse_duration),
        ):
            if not PULSE_DURATION_MIN <= value <= PULSE_DURATION_MAX:
                raise InputError(
                    field,
                    f"{value * 1e6:g} us",
                    f"must be {PULSE_DURATION_MIN * 1e6:g}-{PULSE_DURATION_MAX * 1e6:g} us",
                )
        for field, value in (
            ("repetition_rate", self.repetition_rate),
            ("coagulation_repetition_rate", self.coagulation_repetition_rate),
        ):
            if value < REPETITION_RATE_MIN:
                raise InputError(
                    field,
                    f"{value:g} Hz",
                    f"must be >= {REPETITION_RATE_MIN:g} Hz, the lowest rate of any device "
                    "(the solver steps through the time between pulses)",
                )
        if self.pass_interval > PASS_INTERVAL_MAX:
            raise InputError(
                "pass_interval", f"{self.pass_interval:g} s", f"must be <= {PASS_INTERVAL_MAX:g} s"
            )
        if self.wipe_after_each_pass is not None and not isinstance(
            self.wipe_after_each_pass, bool
        ):
            raise InputError(
                "wipe_after_each_pass", self.wipe_after_each_pass, "must be true, false or unset"
            )
        if not 0.0 <= self.overlap < 1.0:
            raise InputError("overlap", self.overlap, "must be >= 0 and < 1 (a fraction)")
        if not 0.0 < self.coverage <= 1.0:
            raise InputError("coverage", self.coverage, "must be > 0 and <= 1 (a fraction)")
        for field, value in (
            ("spot_diameter", self.spot_diameter),
            ("energy", self.energy),
            ("density", self.density),
        ):
            if value is not None and not (math.isfinite(value) and value > 0):
                raise InputError(field, value, "must be > 0")
        if self.pulse_duration >= 1.0 / self.repetition_rate and self.pulses > 1:
            raise InputError(
                "repetition_rate",
                self.repetition_rate,
                "stacked pulses overlap: the period must exceed the pulse duration",
            )
        if self.coagulation_pulse_duration >= 1.0 / self.coagulation_repetition_rate:
            raise InputError(
                "coagulation_repetition_rate",
                self.coagulation_repetition_rate,
                "coagulation pulses overlap: the period must exceed their duration",
            )
        if self.coagulation_pulses and self.coagulation_fluence == 0:
            raise InputError("coagulation_fluence", 0, "give a fluence for the coagulation pulses")
        train = (
            self.pulses / self.repetition_rate
            + self.coagulation_pulses / self.coagulation_repetition_rate
        )
        if self.passes > 1 and train >= self.pass_interval:
            raise InputError(
                "pass_interval",
                f"{self.pass_interval:g} s",
                f"must exceed the time the pulses of one pass take ({train:g} s)",
            )

    @property
    def wiped(self) -> bool:
        """Whether the desiccated layer is wiped off after each pass (unset: the line's default)."""
        if self.wipe_after_each_pass is not None:
            return bool(self.wipe_after_each_pass)
        low, high = WIPED_WAVELENGTHS
        return bool(low <= self.wavelength <= high)

    @property
    def fractional(self) -> bool:
        """Whether these are microbeam settings (an energy per microbeam is set)."""
        return self.energy is not None

    def to_dict(self) -> dict:
        """Clinical-unit view (J/cm², mJ, µs, µm, %, Hz), glossary keys as ``dermalase dose``."""
        result = clinical_mapping(
            {
                "wavelength": self.wavelength,
                "pulse_mode": self.pulse_mode,
                "pulse_duration": self.pulse_duration,
                "pulses": self.pulses,
                "passes": self.passes,
                "repetition_rate": self.repetition_rate,
                "spot_diameter": self.spot_diameter,
            }
        )
        if self.fractional:
            result |= clinical_mapping(
                {
                    "energy": self.energy,
                    "coverage": self.coverage,
                    "density": self.density,
                    "density_step": self.density_step,
                }
            )
        else:
            result |= clinical_mapping(
                {
                    "fluence": self.fluence,
                    "overlap": self.overlap,
                    "coagulation_pulses": self.coagulation_pulses,
                    "coagulation_fluence": self.coagulation_fluence,
                    "coagulation_pulse_duration": self.coagulation_pulse_duration,
                    "coagulation_repetition_rate": self.coagulation_repetition_rate,
                    "pass_interval": self.pass_interval,
                    "coverage": 1.0,
                }
            )
        return result

    def pulse_schedule(self):
        """Start time [s], duration [s], fluence [J/m^2] and kind of every pulse.

        Returns
        -------
        start, duration, fluence : numpy.ndarray
        coagulation : numpy.ndarray of bool
            True for pulses of the coagulation train.
        """
        start, duration, fluence, coagulation = [], [], [], []
        for p in range(self.passes):
            t0 = p * self.pass_interval
            for i in range(self.pulses):
                start.append(t0 + i / self.repetition_rate)
                duration.append(self.pulse_duration)
                fluence.append(self.fluence)
                coagulation.append(False)
            t_coag = start[-1] + self.pulse_duration
            for j in range(self.coagulation_pulses):
                start.append(
                    t_coag
                    + (j + 1) / self.coagulation_repetition_rate
                    - self.coagulation_pulse_duration
                )
                duration.append(self.coagulation_pulse_duration)
                fluence.append(self.coagulation_fluence)
                coagulation.append(True)
        return (
            np.array(start),
            np.array(duration),
            np.array(fluence),
            np.array(coagulation, dtype=bool),
        )

    def wipe_schedule(self, end_time: float) -> np.ndarray:
        """Time of the wipe that follows each pulse [s]; ``inf`` where none follows.

        Where these settings wipe (:attr:`wiped`), the last pulse of each pass
        is followed by a wipe midway between its end and the start of the next
        pass (the scanner covers the rest of the area meanwhile, and the spot
        has long cooled: where in the interval the wipe falls does not matter),
        and the last pass by one at ``end_time``.

        Parameters
        ----------
        end_time : float
            End of the simulated time, after the last pulse [s].

        Returns
        -------
        numpy.ndarray
            One time per pulse of :meth:`pulse_schedule` [s].
        """
        start, duration, _, _ = self.pulse_schedule()
        times = np.full(start.shape, np.inf)
        if not self.wiped:
            return times
        per_pass = self.pulses + self.coagulation_pulses
        for last in range(per_pass - 1, start.size, per_pass):
            following = last + 1
            pass_end = start[last] + duration[last]
            times[last] = (
                0.5 * (pass_end + start[following]) if following < start.size else end_time
            )
        return times
