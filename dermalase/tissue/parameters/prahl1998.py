"""Haemoglobin extinction spectra (Prahl's compilation of Gratzer and Kollias).

The table lives in ``dermalase/tissue/data/prahl1998_haemoglobin.csv``.
"""

from __future__ import annotations

from dermalase.citations import Citation, register

CITATION = register(
    Citation(
        key="Prahl1998",
        status="secondary",
        authors="Prahl SA",
        title="Tabulated molar extinction coefficient for hemoglobin in water",
        venue="Oregon Medical Laser Center, omlc.org/spectra/hemoglobin",
        year=1998,
        note=(
            "Molar extinction of HbO2 and Hb, 400-1000 nm, compiled from data of WB "
            "Gratzer and N Kollias; bundled as a CSV table."
        ),
    )
)

DATA_FILE = "prahl1998_haemoglobin.csv"
#: Molar mass of haemoglobin [kg/mol]: 64,500 g/mol, the conversion the table states.
molar_mass_haemoglobin = 64.5
#: Haemoglobin concentration of whole blood [kg/m^3]: 150 g/L, the typical value
#: the table states.
haemoglobin_concentration_blood = 150.0
