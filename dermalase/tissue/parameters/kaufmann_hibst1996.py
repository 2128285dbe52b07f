"""Clinical Er:YAG skin ablation versus repetition rate (Kaufmann & Hibst 1996).

At 10 J/cm^2, pig skin in vitro lost about 40 um per pulse at 1 Hz and about
10 um per pulse at 10 Hz; ablation per pulse falls as the repetition rate
rises (desiccation of the crater floor and plume shielding). Depth is linear
in fluence at 1 Hz (Hibst & Kaufmann 1991).
"""

from __future__ import annotations

from dermalase.citations import Citation, register

CITATION = register(
    Citation(
        key="KaufmannHibst1996",
        status="peer-reviewed",
        authors="Kaufmann R, Hibst R",
        title="Pulsed Erbium:YAG laser ablation in cutaneous surgery",
        venue="Lasers in Surgery and Medicine 19(3):324-330",
        year=1996,
        doi="10.1002/(SICI)1096-9101(1996)19:3<324::AID-LSM7>3.0.CO;2-U",
        note="Depth per pulse at 10 J/cm^2: ~40 um at 1 Hz, ~10 um at 10 Hz.",
    )
)

HIBST_KAUFMANN_1991 = register(
    Citation(
        key="HibstKaufmann1991",
        status="peer-reviewed",
        authors="Hibst R, Kaufmann R",
        title="Effects of laser parameters on pulsed Er-YAG laser skin ablation",
        venue="Lasers in Medical Science",
        year=1991,
        doi="10.1007/BF02042461",
        note="Ablation depth linear in fluence at 1 Hz, ~6 um per J/cm^2 at high fluence.",
    )
)

#: Depth per pulse at 10 J/cm^2 and 1 Hz [m].
depth_per_pulse_1hz = 40e-6
#: Depth per pulse at 10 J/cm^2 and 10 Hz [m].
depth_per_pulse_10hz = 10e-6
#: Fluence of both measurements [J/m^2] (10 J/cm^2).
fluence = 10e4
