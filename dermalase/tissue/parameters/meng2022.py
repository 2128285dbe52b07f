"""Facial dermal thickness by high-frequency ultrasound (Meng et al. 2022).

Values are the dermal thickness of Table 2 (118 healthy adults, eight facial
sites), in metres, for men and women. The HFUS "epidermis" of the same table
includes the entry echo and is not used as a histologic epidermis.
"""

from __future__ import annotations

from dermalase.citations import Citation, register

CITATION = register(
    Citation(
        key="Meng2022",
        status="peer-reviewed",
        authors="Meng Y, Feng L, Shan J, Yuan Z, Jin L",
        title=(
            "Application of high-frequency ultrasound to assess facial skin thickness in "
            "association with gender, age, and BMI in healthy adults"
        ),
        venue="BMC Medical Imaging 22:113",
        year=2022,
        doi="10.1186/s12880-022-00839-w",
        note="Dermal thickness at eight facial sites, Table 2.",
    )
)

#: Dermal thickness [m] by site, (men, women); Meng 2022, Table 2.
dermis_thickness = {
    "forehead": (1.17e-3, 0.86e-3),
    "glabella": (1.14e-3, 0.90e-3),
    "temple": (1.06e-3, 0.80e-3),
    "eyelid": (0.67e-3, 0.58e-3),
    "nasal_dorsum": (1.03e-3, 0.93e-3),
    "zygoma": (1.14e-3, 0.87e-3),
    "submandibular": (1.02e-3, 0.91e-3),
    "neck": (0.98e-3, 0.99e-3),
}


def dermis(site: str) -> float:
    """Mean of the men's and women's dermal thickness at a site [m]."""
    men, women = dermis_thickness[site]
    return 0.5 * (men + women)
