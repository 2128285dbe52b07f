"""Melanosome absorption and skin scattering of the Jacques (2013) review.

The review fits the reduced scattering of each tissue with a Rayleigh and a
Mie power law, ``mu_s' = a' (f_Ray (lambda/500 nm)^-4 + (1 - f_Ray)
(lambda/500 nm)^-b_Mie)`` (Eq. 2 and Table 2 of the review), and gives the
absorption of the interior of a cutaneous melanosome as a power law.
"""

from __future__ import annotations

from dermalase.citations import Citation, register

CITATION = register(
    Citation(
        key="Jacques2013",
        status="peer-reviewed",
        authors="Jacques SL",
        title="Optical properties of biological tissues: a review",
        venue="Physics in Medicine and Biology 58(11):R37-R61",
        year=2013,
        doi="10.1088/0031-9155/58/11/R37",
        note=(
            "Reduced scattering a', f_Ray, b_Mie of epidermis and dermis (Table 2, fits "
            "of Salomatina et al. 2006); melanosome absorption 519 (lambda/500 nm)^-3.5 1/cm."
        ),
    )
)

#: Reference wavelength of the power laws [m].
reference_wavelength = 500e-9
#: Epidermis reduced scattering at 500 nm [1/m]: a' = 66.7 1/cm (Table 2).
epidermis_scattering_500 = 66.7e2
#: Epidermis Rayleigh share at 500 nm [-] (Table 2).
epidermis_rayleigh_fraction = 0.29
#: Epidermis Mie exponent [-] (Table 2).
epidermis_mie_power = 0.689
#: Dermis reduced scattering at 500 nm [1/m]: a' = 43.6 1/cm (Table 2).
dermis_scattering_500 = 43.6e2
#: Dermis Rayleigh share at 500 nm [-] (Table 2).
dermis_rayleigh_fraction = 0.41
#: Dermis Mie exponent [-] (Table 2).
dermis_mie_power = 0.562
#: Absorption of a cutaneous melanosome's interior at 500 nm [1/m]: 519 1/cm.
melanosome_absorption_500 = 519e2
#: Exponent of the melanosome absorption power law [-].
melanosome_power = 3.5
#: Anisotropy of soft tissue [-]: the review quotes g of about 0.9 for most
#: tissues (the measured quantity is mu_s'; g only splits it into mu_s and g).
anisotropy = 0.90
