"""Water content of soft tissue and the dynamic absorption of water (Shori 2000)."""

from __future__ import annotations

from dermalase.citations import Citation, register

CITATION = register(
    Citation(
        key="Shori2000",
        status="secondary",
        authors="Shori RK",
        title=(
            "Quantification of the dynamic changes in the absorption coefficient of water "
            "at Er:YAG and CO2 laser wavelengths"
        ),
        venue="PhD thesis, University of California, Los Angeles",
        year=2000,
        note=(
            "Soft tissue holds 70-80 % water; at ablative intensities the effective "
            "absorption of water at 2.94 um falls below its low-intensity value."
        ),
    )
)

#: Water volume fraction of viable epidermis and dermis [-]: lower end of the
#: 70-80 % soft-tissue range.
soft_tissue_water = 0.70
