"""Ablative fractional CO2 prototype of Hantash et al. (2007).

The first in vivo study of ablative fractional CO2 resurfacing: a 30 W,
10.6 µm laser focused to a 120 µm (1/e²) spot, tested from 5 to 40 mJ per
microscopic treatment zone on human forearm skin. The bundled generic
fractional CO2 device (``fractional_co2.toml``) takes its spot, energy range
and average power from these values; the tests check the file against them.
"""

from __future__ import annotations

from dermalase.citations import Citation, register

_CITATION = Citation(
    key="Hantash2007",
    status="peer-reviewed",
    authors="Hantash BM, Bedi VP, Kapadia B, Rahman Z, Jiang K, Tanner H, Chan KF, Zachary CB",
    title="In vivo histological evaluation of a novel ablative fractional resurfacing device",
    venue="Lasers in Surgery and Medicine 39(2):96-107",
    year=2007,
    note=(
        "Prototype 30 W CO2 laser, 1/e^2 spot 120 um, 5-40 mJ per MTZ (abstract); "
        "5 to 30 mJ gave >3x the lesion depth and ~2x the width."
    ),
)

#: The citation.
CITATION = register(_CITATION)

#: Wavelength of the prototype [m] (abstract: 10.6 µm).
wavelength = 10.6e-6
#: Average power of the prototype [W] (abstract: 30 W).
average_power = 30.0
#: Focused 1/e² spot diameter [m] (abstract: 120 µm).
spot_diameter = 120e-6
#: Lowest pulse energy tested per microscopic treatment zone [J] (abstract: 5 mJ).
energy_min = 5e-3
#: Highest pulse energy tested per microscopic treatment zone [J] (abstract: 40 mJ).
energy_max = 40e-3
