"""Residual heat per spot: the energy a spot leaves in the tissue for the bulk-heating sum.

Given, a stated fraction of the spot energy, or found: for full field the
blow-off residual ``min(F, F_th)`` over the spot (the ablation threshold of
skin at the wavelength, :func:`ablation_threshold`), for fractional all of the
microbeam energy (an upper bound).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from dermalase.exceptions import InputError
from dermalase.physics import ablation
from dermalase.scanner import heating
from dermalase.scanner.settings import ScanSettings
from dermalase.tissue import optics
from dermalase.tissue.parameters import shori2000
from dermalase.units import J_CM2_PER_J_M2


@dataclass(frozen=True)
class ResidualHeat:
    """Residual heat per spot and how it was found.

    Parameters
    ----------
    per_spot : float
        Residual heat per spot [J].
    model : str
        How it was found, in words for the plan.
    sources : tuple of str
        Citation keys relied on.
    """

    per_spot: float
    model: str
    sources: tuple[str, ...]


def ablation_threshold(wavelength: float) -> tuple[float, tuple[str, ...]]:
    """Blow-off ablation threshold of skin at a wavelength, and its sources.

    Parameters
    ----------
    wavelength : float
        Vacuum wavelength [m].

    Returns
    -------
    tuple
        Threshold fluence [J/m^2] (``e_abl / mu_a`` with the ablation
        parameters of :func:`dermalase.physics.ablation.parameters_for_wavelength`
        and the absorption of tissue water), and the citation keys.
    """
    parameters = ablation.parameters_for_wavelength(wavelength)
    absorption = (
        optics.water_absorption_coefficient(wavelength)
        * parameters.dynamic_absorption_factor
        * shori2000.soft_tissue_water
    )
    threshold = float(ablation.blow_off_threshold(parameters.ablation_enthalpy, absorption))
    return threshold, (*parameters.sources, *optics.SOURCES, shori2000.CITATION.key)


def residual_heat(
    settings: ScanSettings,
    heat_per_spot: float | None = None,
    residual_heat_fraction: float | None = None,
) -> ResidualHeat:
    """Residual heat per spot [J], how it was found, and the sources used.

    Parameters
    ----------
    settings : ScanSettings
        The scan's settings (energy, fluence, spot, wavelength).
    heat_per_spot : float, optional
        Given residual heat per spot [J], used as it is.
    residual_heat_fraction : float, optional
        Given fraction of the spot energy left as heat [-].

    Returns
    -------
    ResidualHeat

    Raises
    ------
    InputError
        For a negative or non-finite heat, a fraction outside [0, 1], or
        neither a heat nor a spot energy to find it from.
    """
    if heat_per_spot is not None:
        if not (math.isfinite(heat_per_spot) and heat_per_spot >= 0.0):
            raise InputError("heat_per_spot", heat_per_spot, "must be a finite number >= 0 J")
        return ResidualHeat(float(heat_per_spot), "given", ())
    if settings.energy is None:
        wanted = "fluence" if settings.modality == "full_field" else "energy"
        raise InputError(wanted, "missing", f"give the {wanted} per spot, or heat_per_spot")
    if residual_heat_fraction is not None:
        if not 0.0 <= residual_heat_fraction <= 1.0:
            raise InputError(
                "residual_heat_fraction", residual_heat_fraction, "must be between 0 and 1"
            )
        return ResidualHeat(
            residual_heat_fraction * settings.energy,
            f"{residual_heat_fraction:.0%} of the pulse energy (given)",
            (),
        )
    if settings.modality == "full_field" and settings.wavelength is not None:
        threshold, sources = ablation_threshold(settings.wavelength)
        residual = float(heating.residual_fluence(settings.fluence, threshold))
        spot_area = 0.25 * math.pi * settings.spot_diameter**2
        return ResidualHeat(
            residual * spot_area,
            f"blow-off residual: min(fluence, threshold {threshold * J_CM2_PER_J_M2:.2f} J/cm2)",
            sources,
        )
    return ResidualHeat(settings.energy, "all of the pulse energy (upper bound)", ())
