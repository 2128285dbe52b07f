"""Maximum permissible exposure (MPE) of the eye and the skin, 1400 nm to 1 mm.

The limits follow IEC 60825-1:2014 (edition 3.0), Annex A: Table A.1 (MPE
at the cornea for direct ocular exposure) and Table A.5 (MPE of the skin).
In the infrared beyond 1400 nm light is absorbed in the cornea and the
outermost skin, and both tables give the same values, so one branch table
serves both tissues. Only the rows from 1 ns to 30 000 s are implemented;
shorter pulses, other wavelengths and longer exposures raise
:class:`~dermalase.exceptions.InputError` instead of being extrapolated.

Each branch is one row of :data:`BRANCHES`: a wavelength band [m], a
duration band [s], the limit's form and its constant, and the clause it
transcribes. The values were checked against the far-infrared branch of the
open ``lasercalc`` package where both apply. lasercalc uses the 5600 t^0.25
curve for the whole band; at 1400-1500 nm and 1800-2600 nm below 1 ms the
table's 1000 J/m² plateau, kept here, lies above that curve (docs/safety.md).

ANSI Z136.1-2014 (Table 5a eye, Table 7 skin) gives the same far-infrared
limits in J/cm² (0.1, 1.0, 0.01 and 0.56 t^0.25 J/cm²; 0.1 W/cm²); it
differs in its limiting apertures and in the reduction of the long-exposure
skin limit for large exposed areas, neither of which is applied here
(docs/safety.md).

Examples
--------
>>> round(float(mpe_eye(2.94e-6, 300e-6)), 1)  # J/m², 5600 (300 µs)^0.25
737.0
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from dermalase.citations import Citation, register
from dermalase.exceptions import InputError

CITATION = register(
    Citation(
        key="IEC60825-1:2014",
        status="secondary",
        text=(
            "IEC 60825-1:2014 (edition 3.0). Safety of laser products - Part 1: Equipment "
            "classification and requirements. Annex A, Tables A.1 (eye) and A.5 (skin)."
        ),
        note=(
            "MPE rows 1400 nm - 1 mm, 1 ns - 30 000 s; repetitive-pulse rules of clause 4.3 f). "
            "Secondary: transcribed from the standard's published values as quoted by "
            "laser-safety references and the lasercalc package, not from the standard's text."
        ),
    )
)

#: Shortest exposure duration implemented [s]: the sub-nanosecond rows are not.
DURATION_MIN = 1e-9
#: Longest exposure duration in the tables [s].
DURATION_MAX = 3e4
#: Wavelength range implemented [m]: the infrared branches, 1400 nm to 1 mm.
WAVELENGTH_RANGE = (1400e-9, 1e-3)

Form = Literal["radiant_exposure", "power_law", "irradiance"]


@dataclass(frozen=True)
class Branch:
    """One row of the MPE table.

    Parameters
    ----------
    wavelength_min, wavelength_max : float
        Wavelength band [m], half-open ``[min, max)`` (the last band closed).
    duration_min, duration_max : float
        Exposure duration band [s], half-open ``[min, max)`` (the last closed).
    form : {"radiant_exposure", "power_law", "irradiance"}
        ``radiant_exposure``: H = value [J/m²]; ``power_law``: H = value t^0.25
        [J/m²]; ``irradiance``: E = value [W/m²], H = E t.
    value : float
        The row's constant in SI.
    reference : str
        The clause and table it transcribes.
    """

    wavelength_min: float
    wavelength_max: float
    duration_min: float
    duration_max: float
    form: Form
    value: float
    reference: str

    def radiant_exposure(self, duration):
        """Radiant exposure limit of this row [J/m²] at ``duration`` [s]."""
        duration = np.asarray(duration, dtype=float)
        if self.form == "radiant_exposure":
            return np.full_like(duration, self.value)
        if self.form == "power_law":
            return self.value * duration**0.25
        return self.value * duration


_A1_A5 = "IEC 60825-1:2014 Table A.1 (eye) = Table A.5 (skin)"

#: The implemented rows: IEC 60825-1:2014, Annex A, Tables A.1 and A.5.
BRANCHES: tuple[Branch, ...] = (
    # 1400-1500 nm: 1e3 J/m² from 1 ns to 1 ms, 5.6e3 t^0.25 J/m² to 10 s, 1e3 W/m² beyond.
    Branch(1400e-9, 1500e-9, 1e-9, 1e-3, "radiant_exposure", 1e3, f"{_A1_A5}, 1400-1500 nm"),
    Branch(1400e-9, 1500e-9, 1e-3, 10.0, "power_law", 5.6e3, f"{_A1_A5}, 1400-1500 nm"),
    Branch(1400e-9, 1500e-9, 10.0, 3e4, "irradiance", 1e3, f"{_A1_A5}, 1400-1500 nm"),
    # 1500-1800 nm: 1e4 J/m² from 1 ns to 10 s, 1e3 W/m² beyond.
    Branch(1500e-9, 1800e-9, 1e-9, 10.0, "radiant_exposure", 1e4, f"{_A1_A5}, 1500-1800 nm"),
    Branch(1500e-9, 1800e-9, 10.0, 3e4, "irradiance", 1e3, f"{_A1_A5}, 1500-1800 nm"),
    # 1800-2600 nm: as 1400-1500 nm.
    Branch(1800e-9, 2600e-9, 1e-9, 1e-3, "radiant_exposure", 1e3, f"{_A1_A5}, 1800-2600 nm"),
    Branch(1800e-9, 2600e-9, 1e-3, 10.0, "power_law", 5.6e3, f"{_A1_A5}, 1800-2600 nm"),
    Branch(1800e-9, 2600e-9, 10.0, 3e4, "irradiance", 1e3, f"{_A1_A5}, 1800-2600 nm"),
    # 2600 nm-1 mm: 100 J/m² from 1 ns to 100 ns, 5.6e3 t^0.25 J/m² to 10 s, 1e3 W/m² beyond.
    Branch(2600e-9, 1e-3, 1e-9, 1e-7, "radiant_exposure", 1e2, f"{_A1_A5}, 2600 nm-1 mm"),
    Branch(2600e-9, 1e-3, 1e-7, 10.0, "power_law", 5.6e3, f"{_A1_A5}, 2600 nm-1 mm"),
    Branch(2600e-9, 1e-3, 10.0, 3e4, "irradiance", 1e3, f"{_A1_A5}, 2600 nm-1 mm"),
)


def _in_band(value: float, low: float, high: float, top: float) -> bool:
    return low <= value < high or (value == high == top)


def branch(wavelength: float, duration: float) -> Branch:
    """Return the table row that applies at one wavelength and duration.

    Parameters
    ----------
    wavelength : float
        Wavelength [m].
    duration : float
        Exposure duration [s].

    Returns
    -------
    Branch
        The row, with its table reference.

    Raises
    ------
    InputError
        For a wavelength or duration outside the implemented rows.
    """
    wavelength = float(wavelength)
    duration = float(duration)
    low, high = WAVELENGTH_RANGE
    if not np.isfinite(wavelength) or not low <= wavelength <= high:
        raise InputError(
            "wavelength",
            f"{wavelength * 1e9:g} nm",
            f"the MPE is implemented from {low * 1e9:g} nm to {high * 1e9:g} nm "
            "(IEC 60825-1:2014 Annex A infrared rows); it is never extrapolated",
        )
    if not np.isfinite(duration) or not DURATION_MIN <= duration <= DURATION_MAX:
        raise InputError(
            "exposure_duration",
            f"{duration:g} s",
            f"the MPE is implemented from {DURATION_MIN:g} s to {DURATION_MAX:g} s; "
            "it is never extrapolated",
        )
    for row in BRANCHES:
        if _in_band(wavelength, row.wavelength_min, row.wavelength_max, high) and _in_band(
            duration, row.duration_min, row.duration_max, DURATION_MAX
        ):
            return row
    raise AssertionError("the rows cover the implemented range")  # pragma: no cover


def _evaluate(wavelength, duration):
    wavelength, duration = np.broadcast_arrays(
        np.asarray(wavelength, dtype=float), np.asarray(duration, dtype=float)
    )
    values = np.array(
        [
            float(branch(w, t).radiant_exposure(t))
            for w, t in zip(wavelength.ravel(), duration.ravel(), strict=True)
        ]
    ).reshape(wavelength.shape)
    return values if values.ndim else float(values)


def mpe_eye(wavelength, duration):
    """MPE at the cornea as a radiant exposure, 1400 nm to 1 mm.

    Parameters
    ----------
    wavelength : float or array_like
        Wavelength [m], 1400 nm to 1 mm.
    duration : float or array_like
        Exposure duration [s], 1 ns to 30 000 s (the pulse duration for a
        single pulse, the train's duration for the average-power rule).

    Returns
    -------
    float or numpy.ndarray
        Radiant exposure limit [J/m²] (for rows given as irradiance, the
        irradiance times the duration).

    Raises
    ------
    InputError
        Outside the implemented wavelengths or durations.

    Notes
    -----
    IEC 60825-1:2014 Table A.1; the rows are listed in :data:`BRANCHES`.

    Examples
    --------
    >>> mpe_eye(10.6e-6, 100.0)  # 1000 W/m² for 100 s, J/m²
    100000.0
    """
    return _evaluate(wavelength, duration)


def mpe_skin(wavelength, duration):
    """MPE of the skin as a radiant exposure, 1400 nm to 1 mm.

    Parameters
    ----------
    wavelength : float or array_like
        Wavelength [m], 1400 nm to 1 mm.
    duration : float or array_like
        Exposure duration [s], 1 ns to 30 000 s.

    Returns
    -------
    float or numpy.ndarray
        Radiant exposure limit [J/m²].

    Raises
    ------
    InputError
        Outside the implemented wavelengths or durations.

    Notes
    -----
    IEC 60825-1:2014 Table A.5. Beyond 1400 nm its rows equal those of
    Table A.1 for the eye. The standard's reduction of the limit for
    exposures longer than 10 s over skin areas larger than 0.01 m² is not
    applied (docs/safety.md).

    Examples
    --------
    >>> mpe_skin(1.55e-6, 1e-3)  # J/m²
    10000.0
    """
    return _evaluate(wavelength, duration)


def mpe_irradiance(wavelength, duration):
    """MPE as a mean irradiance over the exposure [W/m²] (eye and skin alike).

    Parameters
    ----------
    wavelength : float or array_like
        Wavelength [m], 1400 nm to 1 mm.
    duration : float or array_like
        Exposure duration [s], 1 ns to 30 000 s.

    Returns
    -------
    float or numpy.ndarray
        The radiant exposure limit divided by the duration [W/m²]; for
        exposures of 10 s and longer this is the table's 1000 W/m².

    Examples
    --------
    >>> mpe_irradiance(2.94e-6, 100.0)  # W/m²
    1000.0
    """
    irradiance = np.asarray(_evaluate(wavelength, duration)) / np.asarray(duration, dtype=float)
    return irradiance if irradiance.ndim else float(irradiance)


def limiting_aperture(wavelength, duration):
    """Diameter of the aperture the MPE is averaged over [m], eye.

    Parameters
    ----------
    wavelength : float
        Wavelength [m], 1400 nm to 1 mm.
    duration : float
        Exposure duration [s].

    Returns
    -------
    float
        1 mm up to 0.35 s, 1.5 t^0.375 mm to 10 s, 3.5 mm beyond, for
        1400 nm to 0.1 mm; 11 mm from 0.1 mm to 1 mm.

    Notes
    -----
    IEC 60825-1:2014, Annex A, table of limiting apertures for the MPE (the
    same values as the ``lasercalc`` package's ``limiting_aperture_mm``).

    Examples
    --------
    >>> limiting_aperture(10.6e-6, 100.0)  # m
    0.0035
    """
    branch(wavelength, duration)  # refuses what the tables do not cover
    if wavelength >= 1e-4:
        return 11e-3
    if duration <= 0.35:
        return 1e-3
    if duration < 10.0:
        return 1.5e-3 * duration**0.375
    return 3.5e-3
