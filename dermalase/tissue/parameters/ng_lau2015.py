"""Stratum corneum thickness (Ng & Lau 2015)."""

from __future__ import annotations

from dermalase.citations import Citation, register

CITATION = register(
    Citation(
        key="NgLau2015",
        status="secondary",
        authors="Ng KW, Lau WM",
        title="Skin deep: the basics of human skin structure and drug penetration",
        venue=(
            "In: Dragicevic N, Maibach HI (eds), Percutaneous Penetration Enhancers "
            "Chemical Methods in Penetration Enhancement, Springer, pp. 3-11"
        ),
        year=2015,
        note="Stratum corneum typically 10-20 um, 10-25 cell layers.",
    )
)

#: Stratum corneum, thin facial skin [m]: lower end of the 10-20 um range.
stratum_corneum_face = 10e-6
#: Stratum corneum, body skin [m]: middle of the 10-20 um range.
stratum_corneum_body = 15e-6
#: Water mass fraction of the stratum corneum [-]: about 15-20 % of dry weight
#: normally (Washington et al., "The epidermis"), i.e. a mass fraction of
#: 0.13-0.17; 0.15 taken here.
stratum_corneum_water = 0.15
