"""Refractive index of the skin layers in vivo at 1.3 um (Tearney et al. 1995)."""

from __future__ import annotations

from dermalase.citations import Citation, register

CITATION = register(
    Citation(
        key="Tearney1995",
        status="peer-reviewed",
        authors="Tearney GJ, Brezinski ME, Southern JF, Bouma BE, Hee MR, Fujimoto JG",
        title=(
            "Determination of the refractive index of highly scattering human tissue by "
            "optical coherence tomography"
        ),
        venue="Optics Letters 20(21):2258-2260",
        year=1995,
        doi="10.1364/OL.20.002258",
        note="In vivo at 1.3 um: stratum corneum 1.51, living epidermis 1.34, dermis 1.41.",
    )
)

#: Stratum corneum [-].
stratum_corneum = 1.51
#: Living (viable) epidermis [-].
epidermis = 1.34
#: Dermis [-].
dermis = 1.41
