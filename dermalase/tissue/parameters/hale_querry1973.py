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
