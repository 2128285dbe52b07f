"""Er:YAG ablation plume of tissue (Walsh & Deutsch 1991).

Time-resolved photography of Er:YAG ablation of tissue: the front of the
ablation plume moves at about 1400 m/s, and every micropulse of a
normal-spiking train ejects material.
"""

from __future__ import annotations

from dermalase.citations import Citation, register

CITATION = register(
    Citation(
        key="WalshDeutsch1991",
        status="peer-reviewed",
        authors="Walsh JT, Deutsch TF",
        title="Measurement of Er:YAG laser ablation plume dynamics",
        venue="Applied Physics B 52:217-224",
        year=1991,
        doi="10.1007/BF00750954",
        note="Plume front velocity about 1400 m/s; each micropulse ejects material.",
    )
)

#: Velocity of the ablation plume front [m/s] (about 1400 m/s).
plume_velocity = 1400.0
