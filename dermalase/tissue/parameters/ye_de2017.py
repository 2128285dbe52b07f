"""Thermal properties of skin layers (Ye & De 2017 review).

Values from Table 3 of the review ("Thermal conductivity, heat capacity, and
thermal inertia of healthy skin").
"""

from __future__ import annotations

from dermalase.citations import Citation, register

CITATION = register(
    Citation(
        key="YeDe2017",
        status="secondary",
        authors="Ye H, De S",
        title=(
            "Thermal injury of skin and subcutaneous tissues: a review of experimental "
            "approaches and numerical models"
        ),
        venue="Burns 43(5):909-932",
        year=2017,
        doi="10.1016/j.burns.2016.11.014",
        note="Table 3: conductivity and heat capacity of epidermis, dermis and fat.",
    )
)

#: Thermal conductivity, human epidermis, ex vivo [W/(m K)] (Table 3).
conductivity_epidermis = 0.21
#: Thermal conductivity, dermis [W/(m K)]: 0.37, porcine in vitro and human
#: whole skin in vivo over the upper 2 mm (Table 3); the human ex vivo value
#: is 0.29.
conductivity_dermis = 0.37
#: Thermal conductivity, human subcutaneous fat [W/(m K)] (Table 3, 0.20-0.22).
conductivity_fat = 0.21
#: Specific heat, porcine epidermis [J/(kg K)] (Table 3).
specific_heat_epidermis = 3600.0
#: Specific heat, porcine dermis [J/(kg K)] (Table 3).
specific_heat_dermis = 3224.0
#: Specific heat, porcine subcutaneous fat [J/(kg K)] (Table 3).
specific_heat_fat = 2303.0
