"""What every forward model hands its solver: surface, tissue and damage kinetics.

Both the full-field (1D) and the column (2D axisymmetric) models lose heat
from the skin surface to the room air by convection with the same coefficient
and air temperature, give their solvers the same per-cell tissue properties
(:func:`tissue_profiles`) and the same Arrhenius parameters
(:func:`arrhenius_parameters`); they take all of them from here.
"""

from __future__ import annotations

from typing import TypedDict

import numpy as np

from dermalase.constants import celsius_zero
from dermalase.physics.damage import DamageModel
from dermalase.tissue.layers import SkinModel
from dermalase.tissue.parameters import bioheat_common

#: Convection coefficient from skin to still room air [W/(m^2 K)] (natural
#: convection, order of magnitude; it barely matters over milliseconds).
SURFACE_HEAT_TRANSFER = 10.0

#: Room air temperature [K].
AIR_TEMPERATURE = celsius_zero + 22.0


class TissueProfiles(TypedDict):
    """Per-cell tissue properties, by the solvers' keyword names (see :func:`tissue_profiles`)."""

    density: np.ndarray
    specific_heat: np.ndarray
    conductivity: np.ndarray
    water_fraction: np.ndarray
    perfusion_capacity: np.ndarray


def tissue_profiles(skin: SkinModel, depth: np.ndarray) -> TissueProfiles:
    """Per-cell tissue properties at the depths of the solver cells.

    Parameters
    ----------
    skin : SkinModel
        Layered skin.
    depth : numpy.ndarray
        Depth of each cell centre below the original surface [m].

    Returns
    -------
    TissueProfiles
        The solver keywords ``density`` [kg/m^3], ``specific_heat``
        [J/(kg K)], ``conductivity`` [W/(m K)], ``water_fraction`` [-] and
        ``perfusion_capacity``, the perfusion rate times the blood's
        volumetric heat capacity [W/(m^3 K)].
    """
    return TissueProfiles(
        density=skin.property_profile(depth, "density"),
        specific_heat=skin.property_profile(depth, "specific_heat"),
        conductivity=skin.property_profile(depth, "thermal_conductivity"),
        water_fraction=skin.property_profile(depth, "water_fraction"),
        perfusion_capacity=skin.property_profile(depth, "perfusion")
        * bioheat_common.blood_density
        * bioheat_common.blood_specific_heat,
    )


def arrhenius_parameters(model: DamageModel) -> tuple[float, float, float, float, float]:
    """The damage model as the solvers take it.

    Returns
    -------
    tuple of float
        Frequency factor [1/s] and activation energy [J/mol] below the switch
        temperature, the same above it, and the switch temperature [K] (one
        range: both pairs equal).
    """
    return (
        float(model.frequency_factor[0]),
        float(model.activation_energy[0]),
        float(model.frequency_factor[-1]),
        float(model.activation_energy[-1]),
        float(model.switch_temperature),
    )
