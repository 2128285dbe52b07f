"""Absorption spectrum of fat (van Veen et al. 2005).

The table lives in ``dermalase/tissue/data/van_veen2005_fat.csv``.
"""

from __future__ import annotations

from dermalase.citations import Citation, register

CITATION = register(
    Citation(
        key="vanVeen2005",
        status="peer-reviewed",
        authors="van Veen RLP, Sterenborg HJCM, Pifferi A, Torricelli A, Chikoidze E, Cubeddu R",
        title=(
            "Determination of visible near-IR absorption coefficients of mammalian fat "
            "using time- and spatially resolved diffuse reflectance and transmission "
            "spectroscopy"
        ),
        venue="Journal of Biomedical Optics 10(5):054004",
        year=2005,
        doi="10.1117/1.2085149",
        note="Absorption of pig fat, 429-1098 nm (as distributed at omlc.org/spectra/fat).",
    )
)

DATA_FILE = "van_veen2005_fat.csv"
