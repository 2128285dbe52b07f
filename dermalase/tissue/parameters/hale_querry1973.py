"""Water absorption spectrum of Hale & Querry (1973).

The table itself lives in ``dermalase/tissue/data/hale_querry1973_water.csv``
with its provenance in the file header.
"""

from __future__ import annotations

from importlib import resources

import numpy as np

from dermalase.citations import Citation, register

CITATION = register(
    Citation(
        key="HaleQuerry1973",
        status="peer-reviewed",
        authors="Hale GM, Querry MR",
        title="Optical constants of water in the 200-nm to 200-um wavelength region",
        venue="Applied Optics 12(3):555-563",
        year=1973,
        doi="10.1364/AO.12.000555",
        note="Absorption coefficient of liquid water, 1.3-11 um, bundled as a CSV table.",
    )
)

DATA_FILE = "hale_querry1973_water.csv"


#: Real refractive index of liquid water at 25 degC, 1.2-11.5 um, from the
#: same table (Hale & Querry 1973, Table 1, n column; their n came from a
#: subtractive Kramers-Kronig analysis of the k spectrum). Wavelengths [um].
REFRACTIVE_INDEX_WAVELENGTH_UM = np.array(
    [
        1.2,
        1.4,
        1.6,
        1.8,
        2.0,
        2.2,
        2.4,
        2.6,
        2.65,
        2.70,
        2.75,
        2.80,
        2.85,
        2.90,
        2.95,
        3.00,
        3.05,
        3.10,
        3.15,
        3.20,
        3.25,
        3.30,
        3.35,
        3.40,
        3.45,
        3.50,
        3.6,
        3.7,
        3.8,
        3.9,
        4.0,
        4.1,
        4.2,
        4.3,
        4.4,
        4.5,
        4.6,
        4.7,
        4.8,
        4.9,
        5.0,
        5.1,
        5.2,
        5.3,
        5.4,
        5.5,
        5.6,
        5.7,
        5.8,
        5.9,
        6.0,
        6.1,
        6.2,
        6.3,
        6.4,
        6.5,
        6.6,
        6.7,
        6.8,
        6.9,
        7.0,
        7.1,
        7.2,
        7.3,
        7.4,
        7.5,
        7.6,
        7.7,
        7.8,
        7.9,
        8.0,
        8.2,
        8.4,
        8.6,
        8.8,
        9.0,
        9.2,
        9.4,
        9.6,
        9.8,
        10.0,
        10.5,
        11.0,
        11.5,
    ]
)
#: Real refractive index at those wavelengths [-].
REFRACTIVE_INDEX = np.array(
    [
        1.324,
        1.321,
        1.317,
        1.312,
        1.306,
        1.296,
        1.279,
        1.242,
        1.219,
        1.188,
        1.157,
        1.142,
        1.149,
        1.201,
        1.292,
        1.371,
        1.426,
        1.467,
        1.483,
        1.478,
        1.467,
        1.450,
        1.432,
        1.420,
        1.410,
        1.400,
        1.385,
        1.374,
        1.364,
        1.357,
        1.351,
        1.346,
        1.342,
        1.338,
        1.334,
        1.332,
        1.330,
        1.330,
        1.330,
        1.328,
        1.325,
        1.322,
        1.317,
        1.312,
        1.305,
        1.298,
        1.289,
        1.277,
        1.262,
        1.248,
        1.265,
        1.319,
        1.363,
        1.357,
        1.347,
        1.339,
        1.334,
        1.329,
        1.324,
        1.321,
        1.317,
        1.314,
        1.312,
        1.309,
        1.307,
        1.304,
        1.302,
        1.299,
        1.297,
        1.294,
        1.291,
        1.286,
        1.281,
        1.275,
        1.269,
        1.262,
        1.255,
        1.247,
        1.239,
        1.229,
        1.218,
        1.185,
        1.153,
        1.126,
    ]
)


def load_table() -> tuple[np.ndarray, np.ndarray]:
    """Return the bundled water absorption table.

    Returns
    -------
    wavelength : numpy.ndarray
        Wavelengths [m], increasing.
    absorption_coefficient : numpy.ndarray
        Absorption coefficient of pure water [1/m].
    """
    text = resources.files("dermalase.tissue").joinpath("data", DATA_FILE).read_text()
    rows = [line for line in text.splitlines() if line and not line.startswith("#")]
    values = np.array([[float(x) for x in row.split(",")] for row in rows[1:]])
    wavelength = values[:, 0] * 1e-9  # nm -> m
    absorption = values[:, 1] * 100.0  # 1/cm -> 1/m
    return wavelength, absorption
