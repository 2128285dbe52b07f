"""Absorption spectra of the skin's chromophores, 400 nm to 11 um.

Each spectrum is a bundled table (``dermalase/tissue/data/*.csv``, provenance
in each file's header) or a published power law, read by linear interpolation.
A wavelength outside a table is an error, never an extrapolation:
:func:`coverage` says which chromophores a wavelength has data for, and
:mod:`dermalase.tissue.skin_optics` leaves out (and names) those it has not.

Every function takes the vacuum wavelength [m] and returns an absorption
coefficient [1/m] of the pure chromophore (of whole blood for haemoglobin, of
the interior of a melanosome for melanin). These are the absorbers of Jacques'
(2013) generic tissue model; its minor ones (bilirubin, beta-carotene) are
left out, and so is the older "bloodless skin baseline" (Saidi, via Jacques
1998), measured on rat skin in vitro, which would put dermal absorption in the
near infrared 5x above in vivo human measurements.

References
----------
.. [1] Segelstein DJ (1981). The complex refractive index of water. MSc thesis,
   University of Missouri-Kansas City.
.. [2] Hale GM, Querry MR (1973). Optical constants of water in the 200-nm to
   200-um wavelength region. Appl Opt 12:555-563. doi:10.1364/AO.12.000555
.. [3] Prahl SA (1998). Tabulated molar extinction coefficient for hemoglobin
   in water. omlc.org/spectra/hemoglobin.
.. [4] van Veen RLP et al. (2005). J Biomed Opt 10:054004. doi:10.1117/1.2085149
.. [5] Jacques SL (2013). Optical properties of biological tissues: a review.
   Phys Med Biol 58:R37-R61. doi:10.1088/0031-9155/58/11/R37
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np

from dermalase.exceptions import InputError
from dermalase.tissue.optics import check_wavelength_within, interpolate_table
from dermalase.tissue.parameters import hale_querry1973 as _hale_querry
from dermalase.tissue.parameters import (
    jacques2013,
    prahl1998,
    segelstein1981,
    van_veen2005,
)

#: Wavelengths the library covers [m]: Segelstein's water from 400 nm, Hale &
#: Querry's to 11 um.
WAVELENGTH_RANGE = (400e-9, 11000e-9)
#: Where dermalase switches from Segelstein's water table to Hale & Querry's [m].
WATER_JOIN = 1300e-9
#: Chromophore names, as the per-layer results list them.
CHROMOPHORES = ("water", "oxyhaemoglobin", "deoxyhaemoglobin", "melanin", "lipid")
#: Citation key of each chromophore's spectrum.
SOURCES = {
    "water": (segelstein1981.CITATION.key, _hale_querry.CITATION.key),
    "oxyhaemoglobin": (prahl1998.CITATION.key,),
    "deoxyhaemoglobin": (prahl1998.CITATION.key,),
    "melanin": (jacques2013.CITATION.key,),
    "lipid": (van_veen2005.CITATION.key,),
}
_NM = 1e-9
_LN10 = float(np.log(10.0))


def _read(name: str) -> np.ndarray:
    text = resources.files("dermalase.tissue").joinpath("data", name).read_text()
    rows = [line for line in text.splitlines() if line and not line.startswith("#")]
    return np.array([[float(x) for x in row.split(",")] for row in rows[1:]])


@lru_cache(maxsize=1)
def _water() -> tuple[np.ndarray, np.ndarray]:
    low = _read(segelstein1981.DATA_FILE)
    low = low[low[:, 0] * _NM < WATER_JOIN]
    high_wavelength, high_absorption = _hale_querry.load_table()
    wavelength = np.concatenate((low[:, 0] * _NM, high_wavelength))
    absorption = np.concatenate((low[:, 1] * 1e2, high_absorption))  # 1/cm -> 1/m
    return wavelength, absorption


@lru_cache(maxsize=1)
def _haemoglobin() -> np.ndarray:
    table = _read(prahl1998.DATA_FILE)
    # mu_a = ln(10) e c: e in 1/(cm M), c in mol/L (mol/m^3 / 1000), x100 for 1/cm -> 1/m
    per_litre = prahl1998.haemoglobin_concentration_blood / prahl1998.molar_mass_haemoglobin / 1e3
    return np.column_stack((table[:, 0] * _NM, _LN10 * table[:, 1:] * per_litre * 1e2))


@lru_cache(maxsize=1)
def _lipid() -> tuple[np.ndarray, np.ndarray]:
    table = _read(van_veen2005.DATA_FILE)
    return table[:, 0] * _NM, table[:, 1]  # already 1/m


def table_range(chromophore: str) -> tuple[float, float]:
    """Shortest and longest wavelength a chromophore's spectrum covers [m].

    The melanin power law is given over the library's range; its validity
    beyond the measurements is discussed in ``docs/models.md``.
    """
    if chromophore == "water":
        wavelength, _ = _water()
    elif chromophore in ("oxyhaemoglobin", "deoxyhaemoglobin"):
        wavelength = _haemoglobin()[:, 0]
    elif chromophore == "lipid":
        wavelength, _ = _lipid()
    elif chromophore == "melanin":
        return WAVELENGTH_RANGE
    else:
        raise InputError("chromophore", chromophore, f"choose one of: {', '.join(CHROMOPHORES)}")
    return float(wavelength[0]), float(wavelength[-1])


def sources_at(chromophore: str, wavelength: float) -> tuple[str, ...]:
    """Citation keys of the spectrum a chromophore uses at ``wavelength`` [m]."""
    if chromophore == "water":
        table = segelstein1981 if wavelength < WATER_JOIN else _hale_querry
        return (table.CITATION.key,)
    return SOURCES[chromophore]


def coverage(wavelength: float) -> dict[str, bool]:
    """Whether each chromophore's spectrum covers ``wavelength`` [m]."""
    result = {}
    for name in CHROMOPHORES:
        low, high = table_range(name)
        result[name] = bool(low * (1 - 1e-9) <= wavelength <= high * (1 + 1e-9))
    return result


def check_wavelength(wavelength) -> None:
    """Raise :class:`InputError` for a wavelength outside :data:`WAVELENGTH_RANGE` [m]."""
    check_wavelength_within(wavelength, *WAVELENGTH_RANGE, "the skin optics cover")


def water(wavelength):
    """Absorption coefficient of pure liquid water [1/m].

    Segelstein's table [1]_ below 1300 nm, Hale & Querry's [2]_ from 1300 nm
    to 11 um, interpolated linearly.

    Parameters
    ----------
    wavelength : float or array_like
        Vacuum wavelength [m], 400 nm to 11 um.

    Returns
    -------
    float or numpy.ndarray
        Absorption coefficient [1/m].

    Examples
    --------
    >>> round(water(980e-9) / 100, 2)  # 1/cm
    0.44
    """
    table_wavelength, table_absorption = _water()
    return interpolate_table(
        wavelength, table_wavelength, table_absorption, "the water spectrum covers"
    )


def oxyhaemoglobin(wavelength):
    """Absorption coefficient of fully oxygenated whole blood [1/m].

    ``mu_a = ln(10) e(lambda) c`` with Prahl's molar extinction ``e`` [3]_
    and ``c`` = 150 g/L / 64,500 g/mol; 400-1000 nm.

    Examples
    --------
    >>> round(oxyhaemoglobin(800e-9) / 100, 2)  # 1/cm, near the isosbestic point
    4.37
    """
    table = _haemoglobin()
    return interpolate_table(
        wavelength, table[:, 0], table[:, 1], "the haemoglobin spectrum covers"
    )


def deoxyhaemoglobin(wavelength):
    """Absorption coefficient of fully deoxygenated whole blood [1/m], as :func:`oxyhaemoglobin`."""
    table = _haemoglobin()
    return interpolate_table(
        wavelength, table[:, 0], table[:, 2], "the haemoglobin spectrum covers"
    )


def lipid(wavelength):
    """Absorption coefficient of fat [1/m], van Veen et al. [4]_, 429-1098 nm.

    Examples
    --------
    >>> round(lipid(930e-9), 1)  # 1/m, the lipid band at 930 nm
    13.1
    """
    table_wavelength, table_absorption = _lipid()
    return interpolate_table(
        wavelength, table_wavelength, table_absorption, "the lipid spectrum covers"
    )


def melanin(wavelength):
    """Absorption coefficient of the interior of a cutaneous melanosome [1/m].

    ``mu_a = 519 (lambda / 500 nm)^-3.5`` 1/cm (Jacques 2013 [5]_).

    Notes
    -----
    Measured in the visible and near infrared (to about 1.1 um); beyond that
    the power law is an extrapolation, small beside water wherever water is.

    Examples
    --------
    >>> round(melanin(500e-9) / 100)
    519
    """
    check_wavelength(wavelength)
    ratio = np.asarray(wavelength, dtype=float) / jacques2013.reference_wavelength
    result = jacques2013.melanosome_absorption_500 * ratio ** (-jacques2013.melanosome_power)
    return float(result) if np.ndim(result) == 0 else result


#: The spectrum function of each chromophore.
SPECTRA = {
    "water": water,
    "oxyhaemoglobin": oxyhaemoglobin,
    "deoxyhaemoglobin": deoxyhaemoglobin,
    "melanin": melanin,
    "lipid": lipid,
}
