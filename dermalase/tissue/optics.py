"""Optical absorption of skin in the water-absorbed mid-infrared.

At the resurfacing wavelengths (1.9-11 um) water dominates absorption and
scattering is negligible beside it, so the absorption coefficient of a layer
is its water volume fraction times that of pure water. Below about 1.9 um
(1470, 1550 nm) scattering matters and this estimate is only the absorption
part.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from dermalase.exceptions import InputError
from dermalase.tissue.parameters import hale_querry1973

SOURCES = (hale_querry1973.CITATION.key,)


@lru_cache(maxsize=1)
def _water_table() -> tuple[np.ndarray, np.ndarray]:
    return hale_querry1973.load_table()


def wavelength_range() -> tuple[float, float]:
    """Shortest and longest tabulated wavelength [m]."""
    wavelength, _ = _water_table()
    return float(wavelength[0]), float(wavelength[-1])


def water_absorption_coefficient(wavelength):
    """Absorption coefficient of pure water [1/m].

    Linear interpolation in the Hale & Querry (1973) table. A wavelength
    outside the table is an error, never an extrapolation.

    Parameters
    ----------
    wavelength : float or array_like
        Vacuum wavelength [m].

    Returns
    -------
    float or numpy.ndarray
        Absorption coefficient [1/m].

    Examples
    --------
    >>> round(water_absorption_coefficient(10.6e-6) / 100)
    855
    """
    table_wavelength, table_absorption = _water_table()
    return interpolate_table(
        wavelength, table_wavelength, table_absorption, "the water absorption table covers"
    )


def water_refractive_index(wavelength):
    """Real refractive index of liquid water at 25 degC [-].

    Linear interpolation in the n column of Hale & Querry (1973),
    1.2-11.5 um; a wavelength outside it is an error.

    Parameters
    ----------
    wavelength : float or array_like
        Vacuum wavelength [m].

    Returns
    -------
    float or numpy.ndarray
        Real refractive index [-].

    Examples
    --------
    Across the 3 um band the index swings (anomalous dispersion):

    >>> round(water_refractive_index(2.94e-6), 3), round(water_refractive_index(10.6e-6), 3)
    (1.274, 1.179)
    """
    return interpolate_table(
        wavelength,
        hale_querry1973.REFRACTIVE_INDEX_WAVELENGTH_UM * 1e-6,
        hale_querry1973.REFRACTIVE_INDEX,
        "the water refractive index table covers",
    )


def check_wavelength_within(wavelength, low: float, high: float, what_covers: str) -> None:
    """Refuse a wavelength outside ``[low, high]`` [m], naming the first one outside.

    A relative slack of 1e-9 lets a table's own end points through after a
    unit conversion.

    Raises
    ------
    InputError
        Naming ``wavelength``, the value in nm and the range, after ``what_covers``
        ("the water absorption table covers").
    """
    values = np.atleast_1d(np.asarray(wavelength, dtype=float))
    outside = ~np.isfinite(values) | (values < low * (1 - 1e-9)) | (values > high * (1 + 1e-9))
    if np.any(outside):
        shown = values[np.argmax(outside)] * 1e9
        raise InputError(
            "wavelength", f"{shown:g} nm", f"{what_covers} {low * 1e9:g}-{high * 1e9:g} nm"
        )


def interpolate_table(wavelength, table_wavelength, table_value, what_covers: str):
    """Linear interpolation in a spectrum tabulated against wavelength, never extrapolated.

    Parameters
    ----------
    wavelength : float or array_like
        Vacuum wavelength [m].
    table_wavelength, table_value : numpy.ndarray
        The table: ascending wavelengths [m] and the value at each.
    what_covers : str
        What the table is, for the error ("the water absorption table covers").

    Returns
    -------
    float or numpy.ndarray
        The interpolated value, in the table's unit.

    Raises
    ------
    InputError
        For a wavelength outside the table.
    """
    check_wavelength_within(wavelength, table_wavelength[0], table_wavelength[-1], what_covers)
    result = np.interp(np.asarray(wavelength, dtype=float), table_wavelength, table_value)
    return float(result) if np.ndim(result) == 0 else result


def absorption_coefficient(wavelength, water_fraction):
    """Absorption coefficient of tissue from its water content [1/m].

    Parameters
    ----------
    wavelength : float
        Vacuum wavelength [m].
    water_fraction : float or array_like
        Water volume fraction of the tissue [-].

    Returns
    -------
    float or numpy.ndarray
        Absorption coefficient [1/m].

    Notes
    -----
    ``mu_a = f_w * mu_a,water(lambda)``: tissue solids (collagen, keratin)
    absorb far less than water at these wavelengths.
    """
    return np.asarray(water_fraction, dtype=float) * water_absorption_coefficient(wavelength)


def optical_penetration_depth(wavelength, water_fraction):
    """Depth at which the irradiance falls to 1/e, 1/mu_a [m]."""
    return 1.0 / absorption_coefficient(wavelength, water_fraction)
