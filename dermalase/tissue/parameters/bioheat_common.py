"""Density, perfusion and subcutis values without a primary measurement here.

These are the values that public bioheat models use (density 1100 kg/m^3,
perfusion 0.002 1/s) and a few stated assumptions. They matter little for
laser pulses (perfusion removes heat over seconds, pulses last microseconds
to milliseconds) but they are kept visible here rather than hidden in code.
"""

from __future__ import annotations

from dermalase.citations import Citation, register

CITATION = register(
    Citation(
        key="Gowrishankar2004",
        status="peer-reviewed",
        authors="Gowrishankar TR, Stewart DA, Martin GT, Weaver JC",
        title=(
            "Transport lattice models of heat transport in skin with spatially heterogeneous, "
            "temperature-dependent perfusion"
        ),
        venue="BioMedical Engineering OnLine 3:42",
        year=2004,
        doi="10.1186/1475-925X-3-42",
        note="Viable epidermis is avascular (no perfusion term).",
    )
)

#: Tissue density of epidermis and dermis [kg/m^3]; the common single-layer
#: bioheat value (secondary: public bioheat codes; to check against IT'IS).
density_skin = 1100.0
#: Dermal blood perfusion rate [1/s]; the common bioheat value (secondary;
#: commonly quoted range 0.5-2e-3 1/s).
perfusion_dermis = 2.0e-3
#: Viable epidermis perfusion [1/s]: none, avascular (Gowrishankar 2004).
perfusion_epidermis = 0.0
#: Subcutaneous fat density [kg/m^3]: assumption (typical adipose value).
density_fat = 920.0
#: Subcutaneous fat water fraction [-]: assumption, not from a checked source.
water_fat = 0.20
#: Subcutaneous fat perfusion [1/s]: assumption, a quarter of the dermal value.
perfusion_fat = 0.5e-3
#: Subcutis thickness in the model [m]: assumption; the layer serves only as a
#: heat sink at the bottom of the domain.
subcutis_thickness = 3.0e-3
#: Papillary dermis as a fraction of the dermis [-]: about the top fifth
#: (textbook statement, secondary).
papillary_fraction = 0.20
#: Arterial blood temperature [K] for the perfusion term: 37 degC.
blood_temperature = 310.15
#: Blood specific heat [J/(kg K)] (secondary: 3600-3770 in public bioheat codes).
blood_specific_heat = 3617.0
#: Blood density [kg/m^3] (assumption: 1050, the usual bioheat value).
blood_density = 1050.0
