"""Temperature dependence of the absorption of water near 2 um.

Lange, Brendel and Huettmann (2002) measured the absorption coefficient of
water at the holmium (2090 nm) and thulium (2014 nm) laser lines from 20 to
100 degC: it falls linearly with temperature, by -0.104 and -0.259 /(K cm),
so that at 100 degC it is one third lower than at room temperature at both
lines. The relative fall, a third over 80 K, is what dermalase uses.

Applied to the non-ablative lines (1470, 1550 and 1927 nm) it is an
assumption: their absorption lies in the same O-H bands of liquid water,
whose hydrogen bonds weaken as it heats, but the slope was measured only at
2.01 and 2.09 um.
"""

from __future__ import annotations

from dermalase.citations import Citation, register

LANGE2002 = register(
    Citation(
        key="Lange2002",
        status="peer-reviewed",
        authors="Lange BI, Brendel T, Huettmann G",
        title=(
            "Temperature dependence of light absorption in water at holmium and thulium "
            "laser wavelengths"
        ),
        venue="Appl Opt 41(27):5797-5803",
        year=2002,
        doi="10.1364/AO.41.005797",
        note="20-100 degC: linear decrease, -0.104 /(K cm) at 2090 nm and -0.259 /(K cm) at "
        "2014 nm; one third lower at 100 degC than at room temperature at both lines.",
    )
)

#: Relative fall of water's absorption coefficient per kelvin [1/K]: one
#: third between 20 and 100 degC (Lange et al. 2002, at 2014 and 2090 nm).
relative_slope = (1.0 / 3.0) / 80.0
#: Temperature range of the measurement [K] (20-100 degC).
temperature_range = (293.15, 373.15)

SOURCES = (LANGE2002.key,)
