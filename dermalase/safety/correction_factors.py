"""The correction factors and breakpoint times of the MPE tables, IEC 60825-1:2014.

The MPE rows of Tables A.1 (eye) and A.5 (skin) are written with a handful
of factors that carry the wavelength and source-size dependence (the
standard's Table A.3 lists them; ANSI Z136.1 Table 6 has the same factors
under the same names):

- ``C_A`` (700-1400 nm): the lens and ocular media pass less near-infrared to
  the retina, so the retinal thermal limit rises;
- ``C_B`` (450-700 nm): the retinal photochemical (blue-light) action falls
  with wavelength;
- ``C_C`` (1150-1400 nm): water in the ocular media absorbs before the
  retina;
- ``C_E``: an extended source spreads its image over a larger retinal area,
  which cools faster; 1 for a point source (α ≤ α_min = 1.5 mrad);
- ``C_1``, ``C_2`` and ``T_1`` (302.5-400 nm): the ultraviolet thermal and
  photochemical limits and the time at which they cross;
- ``T_2`` (400-1400 nm): the time after which eye movements spread a
  retinal image, 10 s for a point source and up to 100 s for α ≥ 100 mrad.

Angles are in radians, wavelengths in metres and times in seconds, as
everywhere in :mod:`dermalase.safety`; the standard writes them in mrad, nm
and s, and each formula below is converted at its edge.

Examples
--------
>>> round(c_a(810e-9), 3)  # diode laser, 10^(0.002 (810 - 700))
1.66
>>> t2(ALPHA_MIN)  # a point source, s
10.0
"""

from __future__ import annotations

import numpy as np

#: Smallest angular subtense of an apparent source [rad]: 1.5 mrad.  A source
#: at most this large is a point source (C_E = 1, T_2 = 10 s).
ALPHA_MIN = 1.5e-3
#: Largest angular subtense the limits grow with for long exposures [rad]: 100 mrad.
ALPHA_MAX_LONG = 0.1

_NM = 1e9  # nm per m
_MRAD = 1e3  # mrad per rad


def c_a(wavelength: float) -> float:
    """Retinal near-infrared factor C_A [-] (IEC 60825-1:2014 Table A.3).

    1 below 700 nm, 10^(0.002 (λ - 700)) from 700 nm to 1050 nm (λ in nm),
    5 from 1050 nm to 1400 nm; 1 outside 400-1400 nm, where no row uses it.
    """
    nanometres = wavelength * _NM
    if nanometres < 700.0 or nanometres >= 1400.0:
        return 1.0
    if nanometres < 1050.0:
        return float(10.0 ** (0.002 * (nanometres - 700.0)))
    return 5.0


def c_b(wavelength: float) -> float:
    """Retinal photochemical factor C_B [-] (IEC 60825-1:2014 Table A.3).

    1 from 400 nm to 450 nm, 10^(0.02 (λ - 450)) from 450 nm to 700 nm
    (λ in nm).
    """
    nanometres = wavelength * _NM
    if nanometres < 450.0:
        return 1.0
    return float(10.0 ** (0.02 * (nanometres - 450.0)))


def c_c(wavelength: float) -> float:
    """Ocular-media absorption factor C_C [-] (IEC 60825-1:2014 Table A.3).

    1 below 1150 nm, 10^(0.018 (λ - 1150)) from 1150 nm to 1200 nm, and
    8 + 10^(0.04 (λ - 1250)) from 1200 nm to 1400 nm (λ in nm; the 2007 and
    2014 editions' form, which meets the 1150-1200 nm branch at 1200 nm to
    1 %; Directive 2006/25/EC and the 2001 edition use 8 from 1200 nm).
    """
    nanometres = wavelength * _NM
    if nanometres < 1150.0 or nanometres >= 1400.0:
        return 1.0
    if nanometres < 1200.0:
        return float(10.0 ** (0.018 * (nanometres - 1150.0)))
    return float(8.0 + 10.0 ** (0.04 * (nanometres - 1250.0)))


def c_1(duration: float) -> float:
    """Ultraviolet thermal limit C_1 = 5.6e3 t^0.25 [J/m²] at ``duration`` [s], 302.5-400 nm."""
    return float(5.6e3 * duration**0.25)


def c_2(wavelength: float) -> float:
    """Ultraviolet photochemical limit C_2 = 10^(0.2 (λ - 295)) [J/m²], 302.5-315 nm (λ in nm)."""
    return float(10.0 ** (0.2 * (wavelength * _NM - 295.0)))


def t1(wavelength: float) -> float:
    """Time T_1 = 10^(0.8 (λ - 295)) x 1e-15 [s] at which C_1 meets C_2, 302.5-315 nm (λ in nm).

    Below T_1 the thermal limit C_1 is the lower, above it the
    photochemical C_2; the dual-limit rows take the lower of the two, which
    switches exactly there.

    Examples
    --------
    >>> t1(310e-9)  # s
    0.001
    """
    return float(10.0 ** (0.8 * (wavelength * _NM - 295.0)) * 1e-15)


def alpha_max(duration: float) -> float:
    """Largest angular subtense the retinal thermal limit grows with [rad] (2014 edition).

    5 mrad below 625 µs, 200 t^0.5 mrad from 625 µs to 0.25 s, 100 mrad
    beyond (IEC 60825-1:2014 Table A.3; the 2007 edition used 100 mrad for
    every duration).
    """
    if duration < 625e-6:
        return 5e-3
    if duration <= 0.25:
        return float(0.2 * np.sqrt(duration))
    return ALPHA_MAX_LONG


def c_e(angular_subtense: float, duration: float) -> float:
    """Extended-source factor C_E [-] for a source of ``angular_subtense`` [rad].

    1 for α ≤ α_min, α / α_min up to α_max(t), α_max / α_min beyond (the
    energy is then collected through a field stop of α_max; IEC 60825-1:2014
    Table A.3).

    Examples
    --------
    >>> c_e(1e-3, 1e-3), round(c_e(3e-3, 1e-3), 3), round(c_e(0.5, 10.0), 1)
    (1.0, 2.0, 66.7)
    """
    largest = alpha_max(duration)
    return float(np.clip(angular_subtense, ALPHA_MIN, largest) / ALPHA_MIN)


def t2(angular_subtense: float) -> float:
    """Time T_2 [s] after which eye movements spread the retinal image.

    10 s for α ≤ 1.5 mrad, 10 x 10^((α - 1.5) / 98.5) s up to 100 mrad
    (α in mrad), 100 s beyond (IEC 60825-1:2014 Table A.3).
    """
    milliradians = float(np.clip(angular_subtense * _MRAD, ALPHA_MIN * _MRAD, 100.0))
    return float(10.0 * 10.0 ** ((milliradians - 1.5) / 98.5))


#: Each factor by the name the MPE rows use (wavelength [m], duration [s], α [rad]).
FACTORS = {
    "C_A": lambda wavelength, duration, alpha: c_a(wavelength),
    "C_B": lambda wavelength, duration, alpha: c_b(wavelength),
    "C_C": lambda wavelength, duration, alpha: c_c(wavelength),
    "C_E": lambda wavelength, duration, alpha: c_e(alpha, duration),
    "C_2": lambda wavelength, duration, alpha: c_2(wavelength),
}
