"""Reduced scattering of skin and subcutaneous fat, 400-2000 nm (Bashkatov 2005)."""

from __future__ import annotations

from dermalase.citations import Citation, register

CITATION = register(
    Citation(
        key="Bashkatov2005",
        status="peer-reviewed",
        authors="Bashkatov AN, Genina EA, Kochubey VI, Tuchin VV",
        title=(
            "Optical properties of human skin, subcutaneous and mucous tissues in the "
            "wavelength range from 400 to 2000 nm"
        ),
        venue="Journal of Physics D: Applied Physics 38(15):2543-2555",
        year=2005,
        doi="10.1088/0022-3727/38/15/004",
        note=(
            "Fits of measured mu_s' (1/cm, lambda in nm), 400-2000 nm: skin "
            "1.1e12 lambda^-4 + 73.7 lambda^-0.22; subcutaneous fat 1050.6 lambda^-0.68."
        ),
    )
)

#: Skin: Rayleigh term prefactor, mu_s' = R (lambda/1 nm)^-4 [1/m].
skin_rayleigh = 1.1e12 * 1e2
#: Skin: Mie term prefactor, mu_s' = M (lambda/1 nm)^-0.22 [1/m].
skin_mie = 73.7e2
#: Skin: Mie exponent [-].
skin_mie_power = 0.22
#: Subcutaneous fat: mu_s' = F (lambda/1 nm)^-0.68 [1/m].
fat_scattering = 1050.6e2
#: Subcutaneous fat exponent [-].
fat_power = 0.68
#: Wavelengths measured [m].
measured_range = (400e-9, 2000e-9)
