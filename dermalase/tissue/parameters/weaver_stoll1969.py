"""Two-range Arrhenius damage parameters of Weaver & Stoll (1969).

The values below are the ones commonly quoted for this work; they were not
re-read in the paper for dermalase (status: unconfirmed). Use them to see how
sensitive a prediction is to the damage model, not as the default.
"""

from __future__ import annotations

from dermalase.citations import Citation, register

CITATION = register(
    Citation(
        key="WeaverStoll1969",
        status="peer-reviewed",
        authors="Weaver JA, Stoll AM",
        title="Mathematical model of skin exposed to thermal radiation",
        venue="Aerospace Medicine 40(1):24-30",
        year=1969,
        note="Two-range fit (T <= 50 degC, T > 50 degC); values unconfirmed.",
    )
)

#: Temperature separating the two fits [K] (50 degC).
switch_temperature = 323.15
#: Frequency factor below / above the switch temperature [1/s].
frequency_factor = (2.185e124, 1.823e51)
#: Activation energy below / above the switch temperature [J/mol].
activation_energy = (7.82e5, 3.27e5)
