"""Water absorption below 1.3 um (Segelstein 1981).

The table lives in ``dermalase/tissue/data/segelstein1981_water.csv`` with its
provenance in the file header; :mod:`dermalase.tissue.chromophores` reads it.
"""

from __future__ import annotations

from dermalase.citations import Citation, register

CITATION = register(
    Citation(
        key="Segelstein1981",
        status="secondary",
        authors="Segelstein DJ",
        title="The complex refractive index of water",
        venue="MSc thesis, University of Missouri-Kansas City",
        year=1981,
        note=(
            "Absorption of liquid water 400-1300 nm (a compilation of measurements), "
            "bundled as a CSV table."
        ),
    )
)

DATA_FILE = "segelstein1981_water.csv"
