"""Surface temperature of skin under repeated CO2 exposures (Choi et al. 1998, 1999).

In vivo rat skin under pulsed CO2 raster scans reached surface temperatures
approaching 400 degC, raised for more than 10 s, with char on the surface
(Choi et al. 1999). Stacked 100 us pulses on one spot at 2.4 J/cm^2 and 1 Hz
held the surface near 200 degC with carbonisation after 5-8 pulses; at
3.9 J/cm^2 carbonisation began after pulse 3 and the surface reached about
350 degC after pulse 10 (Choi et al. 1998).

dermalase reads the highest of these as the temperature at which desiccated
tissue can no longer stay in place: dry matrix that reaches it decomposes and
leaves with the plume. Below it, dried tissue stays, heats above 100 degC and
chars.
"""

from __future__ import annotations

from dermalase.citations import Citation, register
from dermalase.constants import celsius_zero

CITATION = register(
    Citation(
        key="Choi1999",
        status="peer-reviewed",
        authors="Choi B, Barton JK, Chan EK, Welch AJ",
        title="Thermal effects of CO2 raster scanning on in vivo skin (exact title not read)",
        venue="IEEE Journal of Selected Topics in Quantum Electronics 5(4):1116",
        year=1999,
        note=(
            "Surface temperatures approaching 400 degC, raised for > 10 s, under CO2 raster "
            "scans of rat skin in vivo; char and pulse stacking alter the thermal effect. "
            "Abstract read."
        ),
    )
)

CITATION_1998 = register(
    Citation(
        key="Choi1998",
        status="peer-reviewed",
        authors="Choi B, Barton JK, Chan EK, Thomsen SL, Welch AJ",
        title="Thermal and histological effects of multiple CO2 laser passes (title not read)",
        venue="Proceedings of SPIE 3245",
        year=1998,
        doi="10.1117/12.312306",
        note=(
            "TruPulse CO2, 100 us, 3 x 3 mm: 2.4 J/cm^2 at 1 Hz holds the surface near 200 degC "
            "with carbonisation after pulses 5-8; 3.9 J/cm^2 chars after pulse 3, ~350 degC "
            "after pulse 10. Abstract read."
        ),
    )
)

#: Highest surface temperature of skin seen under repeated CO2 exposure [K]
#: (approaching 400 degC, Choi et al. 1999): the decomposition temperature of
#: the dry matrix in dermalase.
decomposition_temperature = celsius_zero + 400.0
#: Surface temperature held by stacked 2.4 J/cm^2 pulses, with carbonisation
#: after 5-8 pulses [K] (about 200 degC, Choi et al. 1998): dry tissue that
#: has been this hot is reported as char.
char_temperature = celsius_zero + 200.0
