"""Facial skin thickness by cadaver histology (Chopra et al. 2015).

39 facial subunits from 10 cadaveric heads; the abstract reports the extremes
used here. Fixed histology shrinks tissue, so these values are lower bounds
compared with living skin.
"""

from __future__ import annotations

from dermalase.citations import Citation, register

CITATION = register(
    Citation(
        key="Chopra2015",
        status="peer-reviewed",
        authors=(
            "Chopra K, Calva D, Sosin M, Tadisina KK, Banda A, De La Cruz C, Chaudhry MR, "
            "Legesse T, Drachenberg CB, Manson PN, Christy MR"
        ),
        title="A comprehensive examination of topographic thickness of skin in the human face",
        venue="Aesthetic Surgery Journal 35(8):1007-1013",
        year=2015,
        doi="10.1093/asj/sjv079",
        note="Thickest and thinnest facial epidermis and dermis (abstract, Results).",
    )
)

#: Thickest facial epidermis: upper lip [m] (Results: 62.6 um).
epidermis_upper_lip = 62.6e-6
#: Thinnest facial epidermis: posterior auricular skin [m] (Results: 29.6 um).
epidermis_thinnest = 29.6e-6
#: Thinnest facial dermis: upper medial eyelid [m] (Results: 758.9 um).
dermis_upper_medial_eyelid = 758.9e-6
#: Thickest facial dermis: lower nasal sidewall [m] (Results: 1969.2 um).
dermis_lower_nasal_sidewall = 1969.2e-6

#: Facial epidermis where no site value is reported [m]: midpoint of the
#: reported facial range (29.6-62.6 um); derived here, not a measurement.
epidermis_face_typical = 0.5 * (epidermis_thinnest + epidermis_upper_lip)
