"""Epidermal thickness meta-analysis (Xu et al. 2017)."""

from __future__ import annotations

from dermalase.citations import Citation, register

CITATION = register(
    Citation(
        key="Xu2017",
        status="peer-reviewed",
        authors=(
            "Xu H, Fonseca M, Wolner Z, Chung E, Wu X, Geller S, Dusza SW, DeRosa AP, "
            "Marghoob AA, Busam KJ, Halpern AC, Marchetti MA"
        ),
        title=(
            "Reference values for skin microanatomy: a systematic review and meta-analysis "
            "of ex vivo studies"
        ),
        venue="Journal of the American Academy of Dermatology 77(6):1133-1144",
        year=2017,
        doi="10.1016/j.jaad.2017.06.009",
        note="Pooled histologic epidermal thickness across body sites (PMC5685878).",
    )
)

#: Pooled epidermal thickness, all body sites [m] (99.75 um, 95% CI 83-116 um).
epidermis_all_sites = 99.75e-6
