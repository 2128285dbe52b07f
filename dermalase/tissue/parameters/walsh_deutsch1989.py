"""Er:YAG ablation of skin: ablation efficiency (Walsh & Deutsch 1989).

Normal-spiking Er:YAG ablation of skin removes 540 ug of tissue per joule;
the heat of ablation is its inverse, 1.85 kJ/g, or about 2.0 kJ/cm^3 at a
tissue density of 1.1 g/cm^3 (derived here). This is below the enthalpy of
heating water to 100 degC and vaporising it (2.52 kJ/g), which the authors
read as explosive ejection of partly vaporised tissue.
"""

from __future__ import annotations

from dermalase.citations import Citation, register
from dermalase.tissue.parameters.bioheat_common import density_skin

CITATION = register(
    Citation(
        key="WalshDeutsch1989",
        status="peer-reviewed",
        authors="Walsh JT, Deutsch TF",
        title="Er:YAG laser ablation of tissue: measurement of ablation rates",
        venue="Lasers in Surgery and Medicine 9(4):327-337",
        year=1989,
        note="Skin ablation efficiency 540 ug/J (normal-spiking Er:YAG). PMID 2761328.",
    )
)

#: Mass of skin removed per joule, normal-spiking Er:YAG [kg/J] (540 ug/J).
ablation_efficiency = 540e-9
#: Heat of ablation per volume [J/m^3]: density / efficiency (derived).
heat_of_ablation = density_skin / ablation_efficiency
