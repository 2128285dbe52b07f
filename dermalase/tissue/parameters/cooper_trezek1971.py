"""Thermal conductivity of tissue from its composition (Cooper & Trezek 1971).

Cooper and Trezek correlated the thermal conductivity of human tissues with
their water content: a tissue conducts as the volume-weighted sum of its
constituents, ``k = rho * sum(m_n k_n / rho_n)`` over water, protein and fat.
Chastagner et al. (2016) measured the conductivity of tissue falling as it
dries (canine spleen, thermal probe), as the rule says.

dermalase uses the rule only for the ratio between a tissue and the same
tissue with its water boiled off, where the water's volume is left to vapour;
the native conductivities stay the measured ones of each layer.
"""

from __future__ import annotations

from dermalase.citations import Citation, register

CITATION = register(
    Citation(
        key="CooperTrezek1971",
        status="secondary",
        authors="Cooper TE, Trezek GJ",
        title="Correlation of thermal properties of some human tissue with water content",
        venue="Aerospace Medicine 42(1):24-27",
        year=1971,
        note=(
            "Mixture rule for conductivity from the mass fractions of water, protein and fat; "
            "constituent conductivities as quoted in reviews of tissue thermal properties "
            "(the paper itself was not read)."
        ),
    )
)

CITATION_CHASTAGNER = register(
    Citation(
        key="Chastagner2016",
        status="peer-reviewed",
        authors="Chastagner MW, Dodde RE, Shih AJ, Li W, Chen RK",
        title=(
            "Measurement and modeling of tissue thermal conductivity with variable water "
            "content and compression"
        ),
        venue="Journal of Heat Transfer 138(7):074503",
        year=2016,
        doi="10.1115/1.4033078",
        note="Conductivity of canine spleen falls as its water content falls. Abstract read.",
    )
)

#: Thermal conductivity of the water of tissue [W/(m K)] (Cooper & Trezek 1971).
conductivity_water = 0.628
#: Thermal conductivity of tissue protein [W/(m K)] (Cooper & Trezek 1971).
conductivity_protein = 0.195
#: Thermal conductivity of water vapour near 100 degC and 1 bar [W/(m K)]
#: (about 0.025 in steam tables); it fills the pores the boiled water leaves.
conductivity_vapour = 0.025
