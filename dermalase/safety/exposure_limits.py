"""Maximum permissible exposure (MPE) of the eye and the skin, 180 nm to 1 mm.

The limits follow IEC 60825-1:2014 (edition 3.0), Annex A: Table A.1 (MPE
at the cornea for direct ocular exposure) and Table A.5 (MPE of the skin),
with the correction factors of Table A.3
(:mod:`~dermalase.safety.correction_factors`). Every row of the tables from
1 ns to 30 000 s is one :class:`Branch` of :data:`EYE_BRANCHES` or
:data:`SKIN_BRANCHES`, carrying its wavelength and duration band, its form,
its constant, the correction factors it is multiplied by, the mechanism it
guards against and the table it transcribes.

Where the standard gives two limits for one wavelength and duration (the
ultraviolet thermal and photochemical limits, 302.5-400 nm; the retinal
thermal and photochemical limits, 400-600 nm from 10 s) both must be met:
the lower one applies, and :func:`limit` names it.

The retinal rows (400-1400 nm) depend on the angular subtense α of the
apparent source. The default is a point source, α ≤ α_min = 1.5 mrad
(C_E = 1, T_2 = 10 s): a collimated or focused laser beam viewed directly,
which is the case of the delivery arm and the handpiece. A diffuse
reflection from a treated spot may subtend more; pass its α.

Sub-nanosecond rows, wavelengths outside 180 nm-1 mm and exposures longer
than 30 000 s raise :class:`~dermalase.exceptions.InputError`; the tables
are never extrapolated.

Examples
--------
>>> round(float(mpe_eye(2.94e-6, 300e-6)), 1)  # J/m², 5600 (300 µs)^0.25
737.0
>>> round(float(mpe_eye(488e-9, 0.25)), 2)  # J/m², 18 (0.25 s)^0.75
6.36
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from dermalase.citations import Citation, register
from dermalase.exceptions import InputError
from dermalase.safety import correction_factors
from dermalase.safety.correction_factors import ALPHA_MIN, FACTORS

CITATION = register(
    Citation(
        key="IEC60825-1:2014",
        status="secondary",
        text=(
            "IEC 60825-1:2014 (edition 3.0). Safety of laser products - Part 1: Equipment "
            "classification and requirements. Annex A, Tables A.1 (eye), A.3 (correction "
            "factors) and A.5 (skin); clause 4.3 f) (repetitively pulsed exposure)."
        ),
        note=(
            "MPE rows 180 nm - 1 mm, 1 ns - 30 000 s, and the 2014 pulse rules. Secondary: "
            "transcribed from the standard's values as quoted in open laser-safety "
            "literature, Directive 2006/25/EC Annex II (the earlier ICNIRP values, same "
            "rows outside 400-1400 nm below 13 us) and the lasercalc package, not from the "
            "standard's own text. A laser safety officer should confirm them."
        ),
    )
)

CORNEA_CITATION = register(
    Citation(
        key="ICNIRP2013Laser",
        status="secondary",
        text=(
            "ICNIRP. Guidelines on limits of exposure to laser radiation of wavelengths "
            "between 180 nm and 1,000 µm. Health Phys 105(3):271-295, 2013."
        ),
        note=(
            "The skin limits as a dual limit for the cornea and lens from 1250 nm to 1400 nm, "
            "read in the abstract of a corneal-threshold comparison with ANSI Z136.1-2014, "
            "ICNIRP 2013 and IEC 60825-1:2014 (ILSC proceedings), not in the guideline itself."
        ),
    )
)

#: Shortest exposure duration implemented [s]: the sub-nanosecond rows are not.
DURATION_MIN = 1e-9
#: Longest exposure duration in the tables [s].
DURATION_MAX = 3e4
#: Wavelength range of the tables [m]: 180 nm to 1 mm.
WAVELENGTH_RANGE = (180e-9, 1e-3)

Form = Literal["radiant_exposure", "power_law", "irradiance", "irradiance_t2"]
Mechanism = Literal["thermal", "photochemical"]
Tissue = Literal["eye", "skin"]
Source = Literal["any", "point", "extended"]
#: A duration bound: a time [s] or "T2", the source-size dependent T_2.
Bound = float | Literal["T2"]

#: The tissues the tables cover.
TISSUES: tuple[str, ...] = ("eye", "skin")


@dataclass(frozen=True)
class Branch:
    """One row of an MPE table.

    Parameters
    ----------
    wavelength_min, wavelength_max : float
        Wavelength band [m], half-open ``[min, max)`` (closed at 1 mm).
    duration_min, duration_max : float or "T2"
        Exposure duration band [s], half-open ``[min, max)`` (closed at
        30 000 s); "T2" is the source-size dependent time T_2.
    form : {"radiant_exposure", "power_law", "irradiance", "irradiance_t2"}
        ``radiant_exposure``: H = value F [J/m²]; ``power_law``: H = value
        t^exponent F [J/m²]; ``irradiance``: E = value F [W/m²], H = E t;
        ``irradiance_t2``: E = value T_2^-0.25 F [W/m²]. F is the product of
        the row's correction factors.
    value : float
        The row's constant in SI.
    reference : str
        The table and band it transcribes.
    factors : tuple of str
        Names of the correction factors in F (keys of
        :data:`~dermalase.safety.correction_factors.FACTORS`).
    exponent : float
        Exponent of t in a ``power_law`` row.
    mechanism : {"thermal", "photochemical"}
        The injury the row guards against; the pulse-train correction C5
        applies to thermal rows only.
    source : {"any", "point", "extended"}
        Rows that hold only for a point source (α ≤ α_min) or only for an
        extended one.
    """

    wavelength_min: float
    wavelength_max: float
    duration_min: Bound
    duration_max: Bound
    form: Form
    value: float
    reference: str
    factors: tuple[str, ...] = ()
    exponent: float = 0.25
    mechanism: Mechanism = "thermal"
    source: Source = "any"

    def duration_band(self, angular_subtense: float = ALPHA_MIN) -> tuple[float, float]:
        """The row's duration band [s] for a source of ``angular_subtense`` [rad]."""
        time_2 = correction_factors.t2(angular_subtense)

        def resolved(bound: Bound) -> float:
            return time_2 if bound == "T2" else float(bound)

        return resolved(self.duration_min), resolved(self.duration_max)

    def applies(self, wavelength: float, duration: float, angular_subtense: float) -> bool:
        """Whether the row covers this wavelength [m], duration [s] and source [rad]."""
        if self.source == "point" and angular_subtense > ALPHA_MIN:
            return False
        if self.source == "extended" and angular_subtense <= ALPHA_MIN:
            return False
        low, high = self.duration_band(angular_subtense)
        return _in_band(
            wavelength, self.wavelength_min, self.wavelength_max, WAVELENGTH_RANGE[1]
        ) and _in_band(duration, low, high, DURATION_MAX)

    def radiant_exposure(self, wavelength, duration, angular_subtense=ALPHA_MIN):
        """Radiant exposure limit of this row [J/m²] at ``duration`` [s].

        Parameters
        ----------
        wavelength : float
            Wavelength [m].
        duration : float or array_like
            Exposure duration [s].
        angular_subtense : float
            Angular subtense of the apparent source [rad].
        """
        duration = np.asarray(duration, dtype=float)
        factor = 1.0
        for name in self.factors:
            factor *= FACTORS[name](wavelength, float(np.max(duration)), angular_subtense)
        if self.form == "radiant_exposure":
            return np.full_like(duration, self.value * factor)
        if self.form == "power_law":
            return self.value * factor * duration**self.exponent
        if self.form == "irradiance":
            return self.value * factor * duration
        time_2 = correction_factors.t2(angular_subtense)
        return self.value * factor * time_2**-0.25 * duration


def _in_band(value: float, low: float, high: float, top: float) -> bool:
    return low <= value < high or (value == high == top)


def _rows(table: str, band: str, rows: list[tuple]) -> tuple[Branch, ...]:
    """Branches of one band of one table; rows are (λ_min, λ_max, t_min, t_max, form, value)."""
    reference = (
        f"{table}, {band}" if table.startswith("ICNIRP") else f"IEC 60825-1:2014 {table}, {band}"
    )
    return tuple(
        Branch(
            row[0] / 1e9,
            row[1] / 1e9,
            row[2],
            row[3],
            row[4],
            row[5],
            reference,
            **(row[6] if len(row) > 6 else {}),
        )
        for row in rows
    )


def _ultraviolet(table: str) -> tuple[Branch, ...]:
    """The 180-400 nm rows, the same in Table A.1 (eye) and Table A.5 (skin)."""
    photochemical = {"mechanism": "photochemical"}
    return (
        # 180-302.5 nm: 30 J/m², photochemical (cornea, conjunctiva; erythema of the skin)
        *_rows(
            table,
            "180-302.5 nm",
            [(180, 302.5, 1e-9, 3e4, "radiant_exposure", 30.0, photochemical)],
        ),
        # 302.5-315 nm: C_1 = 5.6e3 t^0.25 J/m² for t < T_1 (thermal), C_2 J/m² beyond
        # (photochemical); the lower of the two, which switches at T_1.
        *_rows(
            table,
            "302.5-315 nm",
            [
                (302.5, 315, 1e-9, 10.0, "power_law", 5.6e3),
                (
                    302.5,
                    315,
                    1e-9,
                    3e4,
                    "radiant_exposure",
                    1.0,
                    {"factors": ("C_2",), **photochemical},
                ),
            ],
        ),
        # 315-400 nm: C_1 to 10 s, 1e4 J/m² to 1000 s, 10 W/m² to 30 000 s.
        *_rows(
            table,
            "315-400 nm",
            [
                (315, 400, 1e-9, 10.0, "power_law", 5.6e3),
                (315, 400, 10.0, 1e3, "radiant_exposure", 1e4, photochemical),
                (315, 400, 1e3, 3e4, "irradiance", 10.0, photochemical),
            ],
        ),
    )


def _infrared(table: str) -> tuple[Branch, ...]:
    """The 1400 nm-1 mm rows, the same in Table A.1 (eye) and Table A.5 (skin)."""
    return (
        # 1400-1500 nm: 1e3 J/m² from 1 ns to 1 ms, 5.6e3 t^0.25 J/m² to 10 s, 1e3 W/m² beyond.
        *_rows(
            table,
            "1400-1500 nm",
            [
                (1400, 1500, 1e-9, 1e-3, "radiant_exposure", 1e3),
                (1400, 1500, 1e-3, 10.0, "power_law", 5.6e3),
                (1400, 1500, 10.0, 3e4, "irradiance", 1e3),
            ],
        ),
        # 1500-1800 nm: 1e4 J/m² from 1 ns to 10 s, 1e3 W/m² beyond.
        *_rows(
            table,
            "1500-1800 nm",
            [
                (1500, 1800, 1e-9, 10.0, "radiant_exposure", 1e4),
                (1500, 1800, 10.0, 3e4, "irradiance", 1e3),
            ],
        ),
        # 1800-2600 nm: as 1400-1500 nm.
        *_rows(
            table,
            "1800-2600 nm",
            [
                (1800, 2600, 1e-9, 1e-3, "radiant_exposure", 1e3),
                (1800, 2600, 1e-3, 10.0, "power_law", 5.6e3),
                (1800, 2600, 10.0, 3e4, "irradiance", 1e3),
            ],
        ),
        # 2600 nm-1 mm: 100 J/m² from 1 ns to 100 ns, 5.6e3 t^0.25 J/m² to 10 s, 1e3 W/m² beyond.
        *_rows(
            table,
            "2600 nm-1 mm",
            [
                (2600, 1e6, 1e-9, 1e-7, "radiant_exposure", 1e2),
                (2600, 1e6, 1e-7, 10.0, "power_law", 5.6e3),
                (2600, 1e6, 10.0, 3e4, "irradiance", 1e3),
            ],
        ),
    )


_A1 = "Table A.1"
_A5 = "Table A.5"
_PHOTO = {"mechanism": "photochemical"}

#: Table A.1, the MPE at the cornea, 180 nm-1 mm from 1 ns.
EYE_BRANCHES: tuple[Branch, ...] = (
    *_ultraviolet(_A1),
    # 400-700 nm, retinal thermal: 2e-3 C_E J/m² to 5 µs (the 2014 edition's value,
    # lowered from 5e-3 J/m² to 18 µs), 18 C_E t^0.75 J/m² to T_2; beyond T_2
    # 10 W/m² for a point source, 18 C_E T_2^-0.25 W/m² for an extended one.
    *_rows(
        _A1,
        "400-700 nm (retinal thermal)",
        [
            (400, 700, 1e-9, 5e-6, "radiant_exposure", 2e-3, {"factors": ("C_E",)}),
            (400, 700, 5e-6, "T2", "power_law", 18.0, {"factors": ("C_E",), "exponent": 0.75}),
            (400, 700, "T2", 3e4, "irradiance", 10.0, {"source": "point"}),
            (
                400,
                700,
                "T2",
                3e4,
                "irradiance_t2",
                18.0,
                {"factors": ("C_E",), "source": "extended"},
            ),
        ],
    ),
    # 400-600 nm, retinal photochemical (blue light) from 10 s: 100 C_B J/m² to
    # 100 s, 1 C_B W/m² beyond; a dual limit with the thermal rows.
    *_rows(
        _A1,
        "400-600 nm (retinal photochemical)",
        [
            (400, 600, 10.0, 100.0, "radiant_exposure", 100.0, {"factors": ("C_B",), **_PHOTO}),
            (400, 600, 100.0, 3e4, "irradiance", 1.0, {"factors": ("C_B",), **_PHOTO}),
        ],
    ),
    # 700-1050 nm: as 400-700 nm times C_A (and C_C beyond T_2, 1 below 1150 nm).
    *_rows(
        _A1,
        "700-1050 nm (retinal thermal)",
        [
            (700, 1050, 1e-9, 5e-6, "radiant_exposure", 2e-3, {"factors": ("C_A", "C_E")}),
            (
                700,
                1050,
                5e-6,
                "T2",
                "power_law",
                18.0,
                {"factors": ("C_A", "C_E"), "exponent": 0.75},
            ),
            (
                700,
                1050,
                "T2",
                3e4,
                "irradiance",
                10.0,
                {"factors": ("C_A", "C_C"), "source": "point"},
            ),
            (
                700,
                1050,
                "T2",
                3e4,
                "irradiance_t2",
                18.0,
                {"factors": ("C_A", "C_C", "C_E"), "source": "extended"},
            ),
        ],
    ),
    # 1050-1400 nm: 2e-2 C_C C_E J/m² to 13 µs (2014; was 5e-2 to 50 µs), 90 C_C C_E
    # t^0.75 J/m² to T_2; beyond, 10 C_A C_C = 50 C_C W/m² (point), 90 C_C C_E T_2^-0.25.
    *_rows(
        _A1,
        "1050-1400 nm (retinal thermal)",
        [
            (1050, 1400, 1e-9, 1.3e-5, "radiant_exposure", 2e-2, {"factors": ("C_C", "C_E")}),
            (
                1050,
                1400,
                1.3e-5,
                "T2",
                "power_law",
                90.0,
                {"factors": ("C_C", "C_E"), "exponent": 0.75},
            ),
            (
                1050,
                1400,
                "T2",
                3e4,
                "irradiance",
                10.0,
                {"factors": ("C_A", "C_C"), "source": "point"},
            ),
            (
                1050,
                1400,
                "T2",
                3e4,
                "irradiance_t2",
                90.0,
                {"factors": ("C_C", "C_E"), "source": "extended"},
            ),
        ],
    ),
    # 1250-1400 nm, cornea and lens: water absorbs before the retina, and the retinal
    # limit (C_C up to 1e6) no longer protects the front of the eye. ICNIRP 2013 uses
    # the skin limits there as a dual limit (CORNEA_CITATION); the lower one applies.
    *_rows(
        "ICNIRP 2013 corneal dual limit (the Table A.5 skin rows)",
        "1250-1400 nm",
        [
            (1250, 1400, 1e-9, 1e-7, "radiant_exposure", 200.0, {"factors": ("C_A",)}),
            (1250, 1400, 1e-7, 10.0, "power_law", 1.1e4, {"factors": ("C_A",)}),
            (1250, 1400, 10.0, 3e4, "irradiance", 2e3, {"factors": ("C_A",)}),
        ],
    ),
    *_infrared(_A1),
)

#: Table A.5, the MPE of the skin, 180 nm-1 mm from 1 ns.
SKIN_BRANCHES: tuple[Branch, ...] = (
    *_ultraviolet(_A5),
    # 400-1400 nm: 200 C_A J/m² to 100 ns, 1.1e4 C_A t^0.25 J/m² to 10 s, 2e3 C_A W/m² beyond.
    *_rows(
        _A5,
        "400-1400 nm",
        [
            (400, 1400, 1e-9, 1e-7, "radiant_exposure", 200.0, {"factors": ("C_A",)}),
            (400, 1400, 1e-7, 10.0, "power_law", 1.1e4, {"factors": ("C_A",)}),
            (400, 1400, 10.0, 3e4, "irradiance", 2e3, {"factors": ("C_A",)}),
        ],
    ),
    *_infrared(_A5),
)

#: Every row of both tables.
BRANCHES: tuple[Branch, ...] = EYE_BRANCHES + SKIN_BRANCHES

_TABLES = {"eye": EYE_BRANCHES, "skin": SKIN_BRANCHES}


@dataclass(frozen=True)
class Limit:
    """The MPE at one wavelength and duration, and the row that decided it.

    Parameters
    ----------
    radiant_exposure : float
        The MPE as a radiant exposure [J/m²].
    branch : Branch
        The governing row (the lower of a dual limit).
    """

    radiant_exposure: float
    branch: Branch


def _check(wavelength: float, duration: float, tissue: str, angular_subtense: float) -> None:
    low, high = WAVELENGTH_RANGE
    if not np.isfinite(wavelength) or not low <= wavelength <= high:
        raise InputError(
            "wavelength",
            f"{wavelength * 1e9:g} nm",
            f"the MPE tables run from {low * 1e9:g} nm to {high * 1e9:g} nm "
            "(IEC 60825-1:2014 Annex A); they are never extrapolated",
        )
    if not np.isfinite(duration) or not DURATION_MIN <= duration <= DURATION_MAX:
        raise InputError(
            "exposure_duration",
            f"{duration:g} s",
            f"the MPE is implemented from {DURATION_MIN:g} s to {DURATION_MAX:g} s "
            "(the sub-nanosecond rows are not); it is never extrapolated",
        )
    if tissue not in _TABLES:
        raise InputError("tissue", tissue, f"one of {', '.join(TISSUES)}")
    if not np.isfinite(angular_subtense) or angular_subtense < 0:
        raise InputError(
            "angular_subtense", f"{angular_subtense * 1e3:g} mrad", "must be zero or positive"
        )


def limit(
    wavelength: float,
    duration: float,
    tissue: str = "eye",
    angular_subtense: float = ALPHA_MIN,
) -> Limit:
    """Return the MPE and its governing row at one wavelength and duration.

    Parameters
    ----------
    wavelength : float
        Wavelength [m], 180 nm to 1 mm.
    duration : float
        Exposure duration [s], 1 ns to 30 000 s.
    tissue : {"eye", "skin"}
        Table A.1 (eye, at the cornea) or Table A.5 (skin).
    angular_subtense : float
        Angular subtense α of the apparent source [rad]; default α_min,
        a point source. Used by the retinal rows (400-1400 nm) only.

    Returns
    -------
    Limit
        The lowest of the rows that apply, and that row.

    Raises
    ------
    InputError
        Outside 180 nm-1 mm or 1 ns-30 000 s, for another tissue, or for a
        negative angular subtense.

    Examples
    --------
    >>> found = limit(308e-9, 1e-3)  # XeCl excimer, 1 ms
    >>> round(found.radiant_exposure), found.branch.mechanism  # J/m², C_2(308 nm)
    (398, 'photochemical')
    """
    wavelength = float(wavelength)
    duration = float(duration)
    _check(wavelength, duration, tissue, angular_subtense)
    candidates = [
        (float(row.radiant_exposure(wavelength, duration, angular_subtense)), index, row)
        for index, row in enumerate(_TABLES[tissue])
        if row.applies(wavelength, duration, angular_subtense)
    ]
    if not candidates:  # pragma: no cover - the rows tile the range
        raise AssertionError(f"no {tissue} row at {wavelength:g} m, {duration:g} s")
    value, _, row = min(candidates, key=lambda candidate: candidate[:2])
    return Limit(value, row)


def branch(
    wavelength: float,
    duration: float,
    tissue: str = "eye",
    angular_subtense: float = ALPHA_MIN,
) -> Branch:
    """Return the governing table row at one wavelength and duration (see :func:`limit`)."""
    return limit(wavelength, duration, tissue, angular_subtense).branch


def _evaluate(wavelength, duration, tissue: str, angular_subtense: float):
    wavelength, duration = np.broadcast_arrays(
        np.asarray(wavelength, dtype=float), np.asarray(duration, dtype=float)
    )
    values = np.array(
        [
            limit(w, t, tissue, angular_subtense).radiant_exposure
            for w, t in zip(wavelength.ravel(), duration.ravel(), strict=True)
        ]
    ).reshape(wavelength.shape)
    return values if values.ndim else float(values)


def mpe_eye(wavelength, duration, angular_subtense: float = ALPHA_MIN):
    """MPE at the cornea as a radiant exposure, 180 nm to 1 mm.

    Parameters
    ----------
    wavelength : float or array_like
        Wavelength [m], 180 nm to 1 mm.
    duration : float or array_like
        Exposure duration [s], 1 ns to 30 000 s (the pulse duration for a
        single pulse, the train's duration for the average-power rule).
    angular_subtense : float
        Angular subtense of the apparent source [rad]; default a point source.

    Returns
    -------
    float or numpy.ndarray
        Radiant exposure limit [J/m²] (for rows given as irradiance, the
        irradiance times the duration).

    Raises
    ------
    InputError
        Outside the tables' wavelengths or durations.

    Notes
    -----
    IEC 60825-1:2014 Table A.1; the rows are listed in :data:`EYE_BRANCHES`.

    Examples
    --------
    >>> mpe_eye(10.6e-6, 100.0)  # 1000 W/m² for 100 s, J/m²
    100000.0
    """
    return _evaluate(wavelength, duration, "eye", angular_subtense)


def mpe_skin(wavelength, duration):
    """MPE of the skin as a radiant exposure, 180 nm to 1 mm.

    Parameters
    ----------
    wavelength : float or array_like
        Wavelength [m], 180 nm to 1 mm.
    duration : float or array_like
        Exposure duration [s], 1 ns to 30 000 s.

    Returns
    -------
    float or numpy.ndarray
        Radiant exposure limit [J/m²].

    Raises
    ------
    InputError
        Outside the tables' wavelengths or durations.

    Notes
    -----
    IEC 60825-1:2014 Table A.5 (:data:`SKIN_BRANCHES`). Below 400 nm and
    beyond 1400 nm its rows equal those of Table A.1 for the eye. The
    standard's reduction of the limit for exposures longer than 10 s over
    skin areas larger than 0.01 m² is not applied (docs/safety.md).

    Examples
    --------
    >>> mpe_skin(1.55e-6, 1e-3)  # J/m²
    10000.0
    >>> mpe_skin(1064e-9, 100.0)  # 2000 C_A W/m² for 100 s, C_A = 5, J/m²
    1000000.0
    """
    return _evaluate(wavelength, duration, "skin", ALPHA_MIN)


def mpe_irradiance(wavelength, duration, tissue: str = "eye"):
    """MPE as a mean irradiance over the exposure [W/m²].

    Parameters
    ----------
    wavelength : float or array_like
        Wavelength [m], 180 nm to 1 mm.
    duration : float or array_like
        Exposure duration [s], 1 ns to 30 000 s.
    tissue : {"eye", "skin"}
        Which table.

    Returns
    -------
    float or numpy.ndarray
        The radiant exposure limit divided by the duration [W/m²].

    Examples
    --------
    >>> mpe_irradiance(2.94e-6, 100.0)  # W/m²
    1000.0
    """
    irradiance = np.asarray(_evaluate(wavelength, duration, tissue, ALPHA_MIN)) / np.asarray(
        duration, dtype=float
    )
    return irradiance if irradiance.ndim else float(irradiance)


def limiting_aperture(wavelength: float, duration: float, tissue: str = "eye") -> float:
    """Diameter of the aperture the MPE is averaged over [m].

    Parameters
    ----------
    wavelength : float
        Wavelength [m], 180 nm to 1 mm.
    duration : float
        Exposure duration [s].
    tissue : {"eye", "skin"}
        Which table's aperture.

    Returns
    -------
    float
        Eye: 1 mm for 180-400 nm; 7 mm (the dilated pupil) for 400-1400 nm;
        from 1400 nm to 0.1 mm, 1 mm up to 0.35 s, 1.5 t^0.375 mm to 10 s and
        3.5 mm beyond; 11 mm from 0.1 mm to 1 mm. Skin: 3.5 mm to 0.1 mm,
        11 mm beyond.

    Notes
    -----
    IEC 60825-1:2014 Annex A, table of limiting apertures (the eye's the
    same as the ``lasercalc`` package's ``limiting_aperture_mm``).

    Examples
    --------
    >>> limiting_aperture(10.6e-6, 100.0)  # m
    0.0035
    >>> limiting_aperture(532e-9, 1e-8)  # m
    0.007
    """
    limit(wavelength, duration, tissue)  # refuses what the tables do not cover
    if wavelength >= 1e-4:
        return 11e-3
    if tissue == "skin":
        return 3.5e-3
    if wavelength < 400e-9:
        return 1e-3
    if wavelength < 1400e-9:
        return 7e-3
    if duration <= 0.35:
        return 1e-3
    if duration < 10.0:
        return float(1.5e-3 * duration**0.375)
    return 3.5e-3
