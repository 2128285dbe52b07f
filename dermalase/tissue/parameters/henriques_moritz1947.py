"""Arrhenius thermal damage parameters of Henriques & Moritz (1947).

Fitted to burns in pig skin exposed to hot water for seconds; the values are
used at laser time scales (microseconds to milliseconds) by extrapolation,
which is standard but uncertain.
"""

from __future__ import annotations

from dermalase.citations import Citation, register

CITATION = register(
    Citation(
        key="HenriquesMoritz1947",
        status="peer-reviewed",
        authors="Henriques FC, Moritz AR",
        title=(
            "Studies of thermal injury: V. The predictability and the significance of "
            "thermally induced rate processes leading to irreversible epidermal injury"
        ),
        venue="American Journal of Pathology 23(4):530-549",
        year=1947,
        note="Frequency factor and activation energy of epidermal thermal injury.",
    )
)

#: Frequency factor [1/s].
frequency_factor = 3.1e98
#: Activation energy [J/mol] (Ea/R = 75,535 K).
activation_energy = 6.28e5
