"""High-irradiance CW CO2 ablation of skin (Walsh et al., CLEO 1989).

Continuous-wave CO2 ablation above 13 kW/cm^2 costs 4.8 kJ per cm^3 of
tissue removed (a value the authors note depends on the spot size) and
leaves 100 +- 15 um of residual thermal damage; black char forms only below
about 6 kW/cm^2. The heat of ablation is well above the 1.8 kJ/cm^3 of
heating dermis to 100 degC and boiling its water: the rest heats the plume
and the tissue around the crater.
"""

from __future__ import annotations

from dermalase.citations import Citation, register

CITATION = register(
    Citation(
        key="Walsh1989CO2",
        status="secondary",
        authors="Walsh JT, Schomacher KT, Flotte TJ, Deutsch TF, Feld MS",
        title="Contribution on CW CO2 laser ablation of skin (exact title not read here)",
        venue="Conference on Lasers and Electro-Optics (CLEO) 1989, technical digest pp. 128-130",
        year=1989,
        note=(
            "Heat of ablation 4.8 kJ/cm^3 for high-irradiance CW CO2 (spot-size dependent); "
            "residual thermal damage 100 +- 15 um above 13 kW/cm^2; char only below 6 kW/cm^2. "
            "Values read from a summary of the digest, not from the digest itself."
        ),
    )
)

#: Heat of ablation of skin, high-irradiance CW CO2 [J/m^3] (4.8 kJ/cm^3).
heat_of_ablation = 4.8e9
#: Irradiance above which the high-irradiance values were measured [W/m^2]
#: (13 kW/cm^2).
high_irradiance = 13e3 * 1e4
#: Residual thermal damage above ``high_irradiance`` [m] (100 +- 15 um).
residual_damage = 100e-6
#: Spread of ``residual_damage`` [m].
residual_damage_sd = 15e-6
#: Irradiance below which black char forms [W/m^2] (6 kW/cm^2).
char_irradiance = 6e3 * 1e4
