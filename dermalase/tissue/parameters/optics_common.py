"""Skin optics values without a primary measurement here (project assumptions).

Each is stated with the reasoning behind it; ``docs/models.md`` lists them.
"""

from __future__ import annotations

from dermalase.citations import Citation, register

CITATION = register(
    Citation(
        key="SkinOpticsAssumptions",
        status="assumption",
        text="dermalase project assumptions for skin optics (docs/models.md)",
        note=(
            "Fitzpatrick type to melanin fraction; blood saturation; subcutis blood, "
            "lipid and index; wavelength-independent refractive indices."
        ),
    )
)

#: Melanosome volume fraction of the viable epidermis by Fitzpatrick type [-]:
#: Jacques' three pigmentation groups (light 1.3-6.3 %, moderate 11-16 %, dark
#: 18-43 %) laid over the six types, the lighter type of each pair at its
#: group's low end and the darker at its high end.
melanin_by_skin_type = {1: 0.013, 2: 0.063, 3: 0.11, 4: 0.16, 5: 0.18, 6: 0.43}
#: Oxygen saturation of the skin's blood [-]: between arterial (~0.97) and
#: venous (~0.6-0.7) blood, since the dermal plexus holds both.
blood_saturation = 0.75
#: Blood volume fraction of the subcutis [-]: the dermal value of Jacques 1998.
blood_subcutis = 0.002
#: Refractive index of subcutaneous fat [-]: 1.44, inside the 1.44-1.46 range
#: that reviews give for adipose tissue; no measurement checked here.
subcutis_index = 1.44
