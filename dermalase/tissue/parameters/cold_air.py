"""Forced chilled-air skin cooling: heat-transfer coefficient and what it does to skin.

A cold-air chiller of the Zimmer Cryo 5 type blows air cooled to about
-30 degC at the nozzle over the treated skin throughout a session (Raulin et
al. 2000 introduced it to dermatologic laser therapy). The skin sees the air
warmed on its way out of the hose and mixed with room air; what reaches the
skin is measured as skin temperature: Hammes & Raulin (2005) held facial skin
at 20 degC and 17 degC under a Cryo 5 whose air stream an infrared sensor
controlled. The surface boundary the scanner's bulk-heating sum uses needs
only the heat-transfer coefficient ``h`` (the temperature of the air sets the
cooled baseline, not the decay of a spot's heat, which is linear in it).

The cooled baseline is what chilled air does that matters most: skin held at
17-20 degC starts each pulse 17-20 K below the 37 degC the forward models
otherwise start from, and a pulse that stays below boiling peaks that much
lower. The scanner's cooled figures start the skin at the warmer of the two
measured temperatures, 20 degC, so that they do not understate the peak.

No measured ``h`` of a clinical cold-air chiller on skin was found. The value
is chosen within the textbook range of forced convection of gases,
25-250 W/(m^2 K) (Incropera et al., Table 1.1), at 100 W/(m^2 K): an air jet
of some metres per second a few centimetres from the skin. It is not fitted.
Over a millisecond pulse it removes nothing (``h sqrt(alpha t) / k`` is about
1e-3); over the seconds between neighbouring spots and passes it is what
lets the heat left by earlier spots leave through the surface.
"""

from __future__ import annotations

from dermalase.citations import Citation, register

INCROPERA = register(
    Citation(
        key="Incropera2007",
        status="secondary",
        authors="Incropera FP, DeWitt DP, Bergman TL, Lavine AS",
        title="Fundamentals of Heat and Mass Transfer",
        venue="6th ed., John Wiley & Sons, Hoboken NJ",
        year=2007,
        note="Table 1.1: typical convection coefficients; forced convection of gases "
        "25-250 W/(m^2 K).",
    )
)
RAULIN2000 = register(
    Citation(
        key="Raulin2000",
        status="peer-reviewed",
        authors="Raulin C, Greve B, Hammes S",
        title="Cold air in laser therapy: first experiences with a new cooling system",
        venue="Lasers Surg Med 27(5):404-410",
        year=2000,
        note="Cold-air cooling (166 patients, several lasers): air and skin temperatures "
        "measured with an infrared thermometer; 15-30 % higher fluences with fewer side "
        "effects than ice gel.",
    )
)
HAMMES_RAULIN2005 = register(
    Citation(
        key="HammesRaulin2005",
        status="peer-reviewed",
        authors="Hammes S, Raulin C",
        title=(
            "Evaluation of different temperatures in cold air cooling with pulsed-dye laser "
            "treatment of facial telangiectasia"
        ),
        venue="Lasers Surg Med 36(2):136-140",
        year=2005,
        doi="10.1002/lsm.20089",
        note="Cryo 5 cold air under infrared skin-temperature control: facial skin held at "
        "20 degC and at 17 degC.",
    )
)

#: Heat-transfer coefficient of forced chilled air on skin [W/(m^2 K)]: chosen
#: within the forced-convection range of gases, 25-250 (Incropera 2007,
#: Table 1.1); not fitted.
heat_transfer_coefficient = 100.0
#: Forced-convection range of gases [W/(m^2 K)] (Incropera 2007, Table 1.1).
heat_transfer_coefficient_range = (25.0, 250.0)
#: Air temperature at the chiller's nozzle [K]: -30 degC, the coldest setting
#: of the Cryo 5 type chillers (Raulin 2000 describes the device).
nozzle_air_temperature = 243.15
#: Facial skin temperatures held under Cryo 5 cold air [K]: 17 and 20 degC
#: (Hammes & Raulin 2005).
cooled_skin_temperatures = (290.15, 293.15)
#: Skin temperature the cooled figures start from [K]: the warmer of the two
#: held temperatures (Hammes & Raulin 2005), not to understate the cooled peak.
precooled_skin_temperature = max(cooled_skin_temperatures)

SOURCES = (INCROPERA.key, RAULIN2000.key, HAMMES_RAULIN2005.key)
