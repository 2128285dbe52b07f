"""Skin composition of Jacques' "Skin optics" summary (1998).

Melanin volume fraction of the epidermis by pigmentation and the dermal blood
volume fraction.
"""

from __future__ import annotations

from dermalase.citations import Citation, register

CITATION = register(
    Citation(
        key="Jacques1998",
        status="secondary",
        authors="Jacques SL",
        title="Skin optics",
        venue="Oregon Medical Laser Center News, January 1998 (omlc.org/news/jan98)",
        year=1998,
        note=(
            "Epidermal melanosome volume fraction 1.3-6.3 % (light), 11-16 % (moderately "
            "pigmented), 18-43 % (dark); dermal blood 0.2 %."
        ),
    )
)

#: Melanosome volume fraction of the viable epidermis, lightly pigmented adults [-].
melanin_light = (0.013, 0.063)
#: Moderately pigmented adults [-].
melanin_moderate = (0.11, 0.16)
#: Darkly pigmented adults [-].
melanin_dark = (0.18, 0.43)
#: Blood volume fraction of the dermis [-] (the summary's typical 0.2 %).
blood_dermis = 0.002
