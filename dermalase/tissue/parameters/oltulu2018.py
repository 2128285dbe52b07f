"""Body-site skin thickness by histometry (Oltulu et al. 2018).

180 archival samples from six body regions; the abstract reports the extremes
used here.
"""

from __future__ import annotations

from dermalase.citations import Citation, register

CITATION = register(
    Citation(
        key="Oltulu2018",
        status="peer-reviewed",
        authors="Oltulu P, Ince B, Kokbudak N, Findik S, Kilinc F",
        title=(
            "Measurement of epidermis, dermis, and total skin thicknesses from six different "
            "body regions with a new ethical histometric technique"
        ),
        venue="Turkish Journal of Plastic Surgery",
        year=2018,
        note="Thinnest body epidermis (breast, women) and dermis (dorsal hand, women).",
    )
)

#: Thinnest epidermis of the six body sites: breast, women [m] (76.9 +/- 26.2 um).
epidermis_breast_women = 76.9e-6
#: Thinnest dermis of the six body sites: dorsum of the hand, women [m]
#: (2115 +/- 946 um; a large spread, and high for a dorsal hand).
dermis_dorsal_hand_women = 2115e-6
