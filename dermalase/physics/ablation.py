"""Pulsed laser ablation of skin: the blow-off and steady-state models.

Two limiting pictures (Vogel & Venugopalan 2003, section VII.A):

* blow-off: the whole pulse is absorbed before material leaves; tissue where
  the deposited energy density exceeds the ablation enthalpy is removed after
  the pulse, so the depth grows with the logarithm of the fluence;
* steady state: ablation starts early in the pulse and a front moves through
  the tissue at a constant energy cost per volume, so the depth grows
  linearly with the fluence above threshold.

Which one applies is decided by the pulse duration against the thermal
relaxation time of the absorbing layer. The 1D heat solver
(:mod:`dermalase.physics.heat`) implements both regimes numerically with the
same parameters; the closed forms here are its limiting cases and serve the
fast inverse problem and the tests.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from dermalase.citations import Citation, register
from dermalase.constants import (
    body_temperature,
    water_boiling_point,
    water_density,
    water_latent_heat,
)
from dermalase.tissue.parameters import (
    bioheat_common,
    kaufmann_hibst1996,
    shori2000,
    walsh1989_co2,
    walsh_deutsch1989,
    ye_de2017,
)

VOGEL_VENUGOPALAN_2003 = register(
    Citation(
        key="VogelVenugopalan2003",
        status="secondary",
        authors="Vogel A, Venugopalan V",
        title="Mechanisms of pulsed laser ablation of biological tissues",
        venue="Chemical Reviews 103(2):577-644",
        year=2003,
        doi="10.1021/cr010379n",
        note="Blow-off and steady-state ablation models, section VII.A.",
    )
)


def layer_relaxation_time(absorption_coefficient, thermal_diffusivity):
    """Thermal relaxation time of the absorbing layer [s].

    Parameters
    ----------
    absorption_coefficient : float or array_like
        mu_a [1/m].
    thermal_diffusivity : float
        alpha [m^2/s].

    Returns
    -------
    float or numpy.ndarray
        ``tau = 1 / (4 alpha mu_a^2)`` [s].

    Examples
    --------
    CO2 laser in skin of 70 % water (mu_a about 600 /cm):

    >>> round(layer_relaxation_time(0.7 * 85480.0, 1.0e-7) * 1e3, 2)
    0.7
    """
    mu = np.asarray(absorption_coefficient, dtype=float)
    return 1.0 / (4.0 * thermal_diffusivity * mu**2)


def blow_off_threshold(ablation_enthalpy, absorption_coefficient):
    """Blow-off threshold fluence ``e_abl / mu_a`` [J/m^2]."""
    return np.asarray(ablation_enthalpy, dtype=float) / absorption_coefficient


def blow_off_depth(fluence, threshold_fluence, absorption_coefficient):
    """Crater depth per pulse in the blow-off model [m].

    ``d = ln(F / F_th) / mu_a`` above threshold, zero below.

    Parameters
    ----------
    fluence : float or array_like
        Radiant exposure [J/m^2].
    threshold_fluence : float
        Ablation threshold [J/m^2].
    absorption_coefficient : float
        mu_a [1/m].

    Returns
    -------
    numpy.ndarray
        Depth [m].
    """
    fluence = np.asarray(fluence, dtype=float)
    ratio = np.maximum(fluence / threshold_fluence, 1.0)
    return np.log(ratio) / absorption_coefficient


def steady_state_depth(fluence, threshold_fluence, ablation_enthalpy):
    """Crater depth per pulse in the steady-state model [m].

    ``d = (F - F_th) / e_abl`` above threshold, zero below.

    Parameters
    ----------
    fluence : float or array_like
        Radiant exposure [J/m^2].
    threshold_fluence : float
        Ablation threshold [J/m^2].
    ablation_enthalpy : float
        Energy per volume that removes tissue [J/m^3].

    Returns
    -------
    numpy.ndarray
        Depth [m].
    """
    fluence = np.asarray(fluence, dtype=float)
    return np.maximum(fluence - threshold_fluence, 0.0) / ablation_enthalpy


def ablation_regime(pulse_duration, relaxation_time) -> str:
    """Name the ablation regime of a pulse.

    ``"blow_off"`` when the pulse is shorter than the thermal relaxation time of
    the absorbing layer, else ``"steady_state"``.
    """
    return "blow_off" if pulse_duration < relaxation_time else "steady_state"


def repetition_efficiency(interval, recovery_time):
    """Ablation efficiency of a pulse that follows another on the same spot [-].

    The floor left by a pulse is desiccated and the plume of the previous
    pulse may not have cleared; both recover between pulses. Modelled as
    ``eta = 1 - exp(-interval / recovery_time)``; a first pulse (infinite
    interval) has ``eta = 1``.

    Parameters
    ----------
    interval : float or array_like
        Time since the previous pulse on the spot [s].
    recovery_time : float
        Recovery time constant [s].

    Returns
    -------
    numpy.ndarray
        Efficiency in (0, 1] [-].
    """
    interval = np.asarray(interval, dtype=float)
    return np.clip(-np.expm1(-interval / recovery_time), 1e-3, 1.0)


def recovery_time_from_rates(depth_low_rate, depth_high_rate, high_rate):
    """Recovery time that reproduces a measured fall of depth per pulse [s].

    With ``eta(1 / high_rate) = depth_high_rate / depth_low_rate`` and
    ``eta`` at the low rate taken as one:
    ``tau = -(1 / high_rate) / ln(1 - ratio)``.
    """
    ratio = depth_high_rate / depth_low_rate
    return -(1.0 / high_rate) / np.log1p(-ratio)


def vaporisation_enthalpy(water_fraction, volumetric_heat_capacity):
    """Energy per volume to heat tissue to 100 degC and boil off its water [J/m^3].

    ``e = rho c (T_boil - T_body) + f_w rho_w L_v`` with standard water
    thermodynamics.
    """
    sensible = volumetric_heat_capacity * (water_boiling_point - body_temperature)
    return sensible + water_fraction * water_density * water_latent_heat


@dataclass(frozen=True)
class AblationParameters:
    """Calibratable ablation parameters for one laser line.

    Parameters
    ----------
    ablation_enthalpy : float
        Energy per volume, from body temperature, that removes native tissue
        [J/m^3].
    ablation_temperature : float
        Temperature at which the tissue water starts to boil off [K].
    dynamic_absorption_factor : float
        Effective absorption during ablation over the low-intensity value [-].
    recovery_time : float
        Time constant of the recovery of the crater floor between pulses [s].
    residue_water_fraction : float
        Floor tissue left with less than this fraction of its water is
        ejected as dry residue [-].
    sources : tuple of str
        Citation keys.
    """

    ablation_enthalpy: float
    ablation_temperature: float
    dynamic_absorption_factor: float
    recovery_time: float
    residue_water_fraction: float
    sources: tuple[str, ...]


_RECOVERY_TIME = recovery_time_from_rates(
    kaufmann_hibst1996.depth_per_pulse_1hz, kaufmann_hibst1996.depth_per_pulse_10hz, 10.0
)

#: Er:YAG and other lines on the 3 um water band. The heat of ablation is the
#: measured value of Walsh & Deutsch (1989). The effective absorption during
#: ablation is below the low-intensity value (Shori 2000); the factor 0.27 is a
#: calibration, chosen so that the residual thermal damage of a single pulse
#: falls in the measured ranges of Walsh, Flotte & Deutsch (1989): 5-10 um for
#: 90 ns pulses and 10-50 um for ~200 us pulses.
ERBIUM = AblationParameters(
    ablation_enthalpy=walsh_deutsch1989.heat_of_ablation,
    ablation_temperature=water_boiling_point,
    dynamic_absorption_factor=0.27,
    recovery_time=_RECOVERY_TIME,
    residue_water_fraction=0.5,
    sources=(
        walsh_deutsch1989.CITATION.key,
        shori2000.CITATION.key,
        kaufmann_hibst1996.CITATION.key,
        VOGEL_VENUGOPALAN_2003.key,
    ),
)

#: CO2 and other lines where pulsed ablation boils the tissue water: the
#: ablation enthalpy is that of heating to 100 degC and vaporising the water of
#: dermis (derived from water thermodynamics, about 1.8 kJ/cm^3). This is the
#: set of the full-field pulsed CO2 model, whose pulses stay below the
#: irradiance of :data:`CARBON_DIOXIDE_HIGH_IRRADIANCE`.
CARBON_DIOXIDE = AblationParameters(
    ablation_enthalpy=float(
        vaporisation_enthalpy(
            shori2000.soft_tissue_water,
            bioheat_common.density_skin * ye_de2017.specific_heat_dermis,
        )
    ),
    ablation_temperature=water_boiling_point,
    dynamic_absorption_factor=1.0,
    recovery_time=_RECOVERY_TIME,
    residue_water_fraction=0.5,
    sources=(shori2000.CITATION.key, kaufmann_hibst1996.CITATION.key, VOGEL_VENUGOPALAN_2003.key),
)

#: CO2 at the irradiance of a focused microbeam (tens of W on ~100 um, hundreds
#: of kW/cm^2): the heat of ablation measured for CW CO2 above 13 kW/cm^2,
#: 4.8 kJ/cm^3 (Walsh et al. 1989), replaces the vaporisation enthalpy. The
#: beam pays that much per volume removed; what exceeds vaporisation leaves
#: with the plume (the column model does not return it to the crater wall).
CARBON_DIOXIDE_HIGH_IRRADIANCE = replace(
    CARBON_DIOXIDE,
    ablation_enthalpy=walsh1989_co2.heat_of_ablation,
    sources=(walsh1989_co2.CITATION.key, *CARBON_DIOXIDE.sources),
)


def parameters_for_wavelength(wavelength: float, irradiance: float = 0.0) -> AblationParameters:
    """Default ablation parameters for a laser line [m].

    Lines on the 3 um water band (2.6-3.3 um: Er:YSGG 2790 nm, Er:YAG
    2940 nm) get :data:`ERBIUM`. Every other line gets
    :data:`CARBON_DIOXIDE`, the vaporisation picture without a dynamic
    absorption factor, or :data:`CARBON_DIOXIDE_HIGH_IRRADIANCE` when the
    mean ``irradiance`` of the beam [W/m^2] is at least the 13 kW/cm^2 above
    which Walsh et al. (1989) measured their heat of ablation.
    """
    if 2.6e-6 <= wavelength <= 3.3e-6:
        return ERBIUM
    if irradiance >= walsh1989_co2.high_irradiance:
        return CARBON_DIOXIDE_HIGH_IRRADIANCE
    return CARBON_DIOXIDE
