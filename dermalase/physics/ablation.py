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

from dataclasses import dataclass

import numpy as np

from dermalase.citations import Citation, register
from dermalase.constants import (
    body_temperature,
    water_boiling_point,
    water_density,
    water_latent_heat,
    water_specific_heat,
)
from dermalase.physics import mie
from dermalase.tissue.parameters import (
    bioheat_common,
    choi1999,
    cooper_trezek1971,
    kaufmann_hibst1996,
    shori2000,
    walsh_deutsch1989,
    walsh_deutsch1991,
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

    >>> round(float(layer_relaxation_time(0.7 * 85480.0, 1.0e-7)) * 1e3, 2)
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


def solids_heat_capacity(volumetric_heat_capacity, water_fraction):
    """Volumetric heat capacity of what stays of tissue once its water is gone [J/(m^3 K)].

    The tissue's heat capacity less its water's, ``rho c - f_w rho_w c_w``
    (a mixture rule), kept above a tenth of the tissue's.
    """
    rho_c = np.asarray(volumetric_heat_capacity, dtype=float)
    water = water_fraction * water_density * water_specific_heat
    return np.maximum(rho_c - water, 0.1 * rho_c)


def dry_conductivity(conductivity, water_fraction):
    """Thermal conductivity of tissue whose water has boiled off [W/(m K)].

    The conductivity of a tissue is the volume-weighted sum of its
    constituents' (Cooper & Trezek 1971); boiling replaces the water by
    vapour, so the native value is scaled by
    ``(f_s k_p + f_w k_v) / (f_s k_p + f_w k_w)`` with ``f_s = 1 - f_w``
    the solids, ``k_p``, ``k_w`` and ``k_v`` the conductivities of protein,
    water and vapour.

    Parameters
    ----------
    conductivity : float or array_like
        Conductivity of the native tissue [W/(m K)].
    water_fraction : float or array_like
        Native water volume fraction [-].

    Returns
    -------
    numpy.ndarray
        Conductivity once dry [W/(m K)].

    Examples
    --------
    Dermis (0.37 W/(m K), 70 % water) dries to about a sixth of it:

    >>> round(float(dry_conductivity(0.37, 0.7)), 3)
    0.056
    """
    water = np.asarray(water_fraction, dtype=float)
    solids = 1.0 - water
    protein = cooper_trezek1971.conductivity_protein
    native = solids * protein + water * cooper_trezek1971.conductivity_water
    dry = solids * protein + water * cooper_trezek1971.conductivity_vapour
    return np.asarray(conductivity, dtype=float) * dry / native


def removal_enthalpy(water_fraction, volumetric_heat_capacity, decomposition_temperature):
    """Energy per volume that removes native tissue in the column model [J/m^3].

    Heat to 100 degC, boil the water off, heat the dry solids on to the
    decomposition temperature:
    ``rho c (T_b - T_body) + f_w rho_w L_v + (rho c)_dry (T_dec - T_b)``.

    Examples
    --------
    Dermis of 70 % water (rho c = 3.55 MJ/(m^3 K)) decomposing at 400 degC:

    >>> round(float(removal_enthalpy(0.7, 3.55e6, 673.15)) / 1e9, 2)
    1.99
    """
    rho_c = np.asarray(volumetric_heat_capacity, dtype=float)
    dry = solids_heat_capacity(rho_c, water_fraction)
    return vaporisation_enthalpy(water_fraction, rho_c) + dry * (
        decomposition_temperature - water_boiling_point
    )


def recoil_ejecta_velocity(
    irradiance, water_fraction, removal_enthalpy, tissue_density, vapour_velocity
):
    """Velocity at which the recoil of the vapour drives the ejecta out [m/s].

    A front that removes tissue at ``I / h`` (volume per area and time)
    boils off ``f_w rho_w I / h`` of water vapour per area and time; leaving
    at ``v_v`` it presses on the front with the recoil
    ``p = f_w rho_w v_v I / h`` (momentum flux of the vapour; Vogel &
    Venugopalan 2003, section VI.B). The tissue fragments and droplets it
    expels leave at the Bernoulli velocity ``u = sqrt(2 p / rho_t)``, so the
    ejecta move faster at a higher irradiance and their density in the
    crater grows as ``sqrt(I)`` rather than as ``I``.

    Parameters
    ----------
    irradiance : float or array_like
        Irradiance that drives the front [W/m^2].
    water_fraction : float or array_like
        Water volume fraction of the tissue [-].
    removal_enthalpy : float or array_like
        Energy per volume that removes the tissue [J/m^3].
    tissue_density : float or array_like
        Density of the expelled tissue [kg/m^3].
    vapour_velocity : float
        Velocity of the vapour leaving the front [m/s].

    Returns
    -------
    numpy.ndarray
        Ejecta velocity [m/s].

    Examples
    --------
    A 30 W microbeam on a 120 um spot (5.3 GW/m^2 at its peak) in dermis:

    >>> round(float(recoil_ejecta_velocity(5.3e9, 0.7, 2.0e9, 1100.0, 1400.0)))
    69
    """
    return np.sqrt(
        _recoil_factor(water_fraction, removal_enthalpy, tissue_density, vapour_velocity)
        * np.asarray(irradiance, dtype=float)
    )


def _recoil_factor(water_fraction, removal_enthalpy, tissue_density, vapour_velocity):
    """``b`` in ``u^2 = b I`` [m^4/(J s)]."""
    f_w = np.asarray(water_fraction, dtype=float)
    h = np.asarray(removal_enthalpy, dtype=float)
    rho = np.asarray(tissue_density, dtype=float)
    return 2.0 * f_w * water_density * vapour_velocity / (h * rho)


def ejecta_shielding_coefficient(extinction, removal_enthalpy, velocity):
    """Coefficient of the ejecta extinction in a crater [m/J].

    Beam power ``P`` through an open section ``A`` removes ``P / h`` of
    tissue per second; rising at ``u`` it fills a volume fraction
    ``P / (h u A)`` of the section, and its extinction is ``kappa`` times
    that: the coefficient returned, ``kappa / (h u)``, times ``P / A``
    [1/m], so that ``dP/dz = -kappa P^2 / (h u A)`` along the crater.

    Parameters
    ----------
    extinction : float
        Extinction of the ejecta per unit volume fraction, kappa [1/m].
    removal_enthalpy : float or array_like
        Energy per volume that removes the tissue, h [J/m^3].
    velocity : float or array_like
        Ejecta velocity, u [m/s] (:func:`recoil_ejecta_velocity`).

    Returns
    -------
    numpy.ndarray
        ``kappa / (h u)`` [m/J]; zero where the velocity is not positive.
    """
    h = np.asarray(removal_enthalpy, dtype=float)
    u = np.asarray(velocity, dtype=float)
    safe = np.where(u > 0.0, u, 1.0)
    return np.where(u > 0.0, extinction / (h * safe), 0.0)


def ejecta_albedo(extinction, absorption_coefficient, wavelength, real_index):
    """Share of the light the ejecta intercept that they scatter rather than absorb (Mie) [-].

    The fitted extinction ``kappa = 3 Q_ext / (4 r)`` per unit volume
    fraction is read, with ``Q_ext = 2``, as droplets of radius
    ``r = 3 / (2 kappa)`` (about 1 um). A droplet of tissue absorbs as the
    tissue does during ablation (``k = mu_a lambda / (4 pi)``) and refracts
    as water (``real_index``); the Lorenz-Mie series
    (:func:`dermalase.physics.mie.sphere_efficiencies`) gives its single
    scattering albedo ``Q_sca / Q_ext``. The geometric-optics law used
    before (the droplet passes on what its mean chord does not absorb,
    ``exp(-2 mu_a / kappa)``) holds only for droplets large against the
    wavelength; at 10.6 um a 1 um droplet (size parameter ~0.5) is small
    against it, absorbs in its volume and scatters as a dipole, weakly.

    Parameters
    ----------
    extinction : float
        Ejecta extinction per unit volume fraction, kappa [1/m].
    absorption_coefficient : float
        Absorption coefficient of the ejected tissue [1/m].
    wavelength : float
        Vacuum wavelength [m].
    real_index : float
        Real refractive index of the droplets [-].

    Returns
    -------
    float
        Albedo in [0, 1] [-]; one where the ejecta have no extinction.

    Examples
    --------
    ~0.9 um droplets (kappa = 1.7e6 1/m) at the CO2 line (water about
    855 /cm) and at the Er:YAG line (about 12,000 /cm, times the dynamic
    factor 0.27 during ablation):

    >>> round(ejecta_albedo(1.7e6, 85500.0, 10.6e-6, 1.179), 2)
    0.03
    >>> round(ejecta_albedo(1.7e6, 0.27 * 1.2e6, 2.94e-6, 1.274), 2)
    0.46
    """
    if extinction <= 0.0:
        return 1.0
    q_ext, q_sca, _ = _droplet_efficiencies(
        extinction, absorption_coefficient, wavelength, real_index
    )
    return float(q_sca / q_ext)


def ejecta_asymmetry(extinction, absorption_coefficient, wavelength, real_index):
    """Asymmetry parameter of the light the ejected droplets scatter (Mie theory) [-].

    The fitted extinction ``kappa = 3 Q_ext / (4 r)`` per unit volume
    fraction is read, with ``Q_ext = 2``, as droplets of radius
    ``r = 3 / (2 kappa)`` (about 1 um). A droplet of tissue absorbs as the
    tissue does during ablation (``k = mu_a lambda / (4 pi)``) and refracts
    as water (``real_index``); the Lorenz-Mie series
    (:func:`dermalase.physics.mie.sphere_efficiencies`) gives the mean
    cosine ``g`` of its scattering angle. Droplets comparable to the
    wavelength (Er:YAG) scatter mostly forward; droplets small against it
    (CO2) nearly isotropically.

    Parameters
    ----------
    extinction : float
        Ejecta extinction per unit volume fraction, kappa [1/m].
    absorption_coefficient : float
        Absorption coefficient of the ejected tissue [1/m].
    wavelength : float
        Vacuum wavelength [m].
    real_index : float
        Real refractive index of the droplets [-].

    Returns
    -------
    float
        Asymmetry parameter g in [-1, 1] [-]; 0 where the ejecta have no
        extinction.

    Examples
    --------
    ~1 um droplets (kappa = 1.6e6 1/m) at the Er:YAG line (tissue absorbing
    0.27 x 12,000 /cm during ablation) and at the CO2 line:

    >>> round(ejecta_asymmetry(1.6e6, 0.27 * 1.2e6, 2.94e-6, 1.274), 2)
    0.68
    >>> round(ejecta_asymmetry(1.6e6, 85500.0, 10.6e-6, 1.179), 2)
    0.05
    """
    if extinction <= 0.0:
        return 0.0
    _, _, g = _droplet_efficiencies(extinction, absorption_coefficient, wavelength, real_index)
    return float(g)


def _droplet_efficiencies(extinction, absorption_coefficient, wavelength, real_index):
    """Mie ``(Q_ext, Q_sca, g)`` of the ejected droplets that ``extinction`` implies.

    Droplets of radius ``r = 3 / (2 kappa)`` (``kappa = 3 Q_ext / (4 r)`` with
    ``Q_ext = 2``) absorbing as the tissue (``k = mu_a lambda / (4 pi)``) and
    refracting as ``real_index``; ``extinction`` [1/m] must be positive.
    """
    radius = 1.5 / extinction
    k = absorption_coefficient * wavelength / (4.0 * np.pi)
    return mie.sphere_efficiencies(complex(real_index, k), 2.0 * np.pi * radius / wavelength)


#: Extinction of the ejecta per unit ejecta volume fraction [1/m],
#: ``kappa = 3 Q_ext / (4 r)`` for droplets of radius r: the one constant of
#: the ejecta in both solvers. FITTED, in the column model, where the ejecta
#: leave a fractional column at the recoil-driven velocity of
#: :func:`recoil_ejecta_velocity` (tens of m/s for a CO2 microbeam, rising
#: as the square root of the irradiance): to the fractional CO2 channel
#: depths of the Yorkshire swine study (Lasers Surg Med, doi
#: 10.1002/lsm.22102: ~300, ~1400 and ~2100 um at 37, 190 and 380 mJ),
#: taken as single pulses of a 120 um Gaussian microbeam at 30 W on thick
#: dermis, with the ejecta fed by the light the tissue below absorbs (mass
#: conservation), their Mie albedo and forward scattering and their wall
#: light spread by solid angle through the ejecta on its way
#: (column-model-6); the value minimises the largest of the three relative
#: errors (+30 %, -26 %, -31 %; 1.5e6 and 1.6e6 give 31 %). Read with
#: Q_ext = 2 it is droplets of ~1 um, the size of the debris of tissue
#: ablation; but Mie theory bounds the extinction per volume of water
#: droplets of any size at 1.5e5 1/m at 10.6 um and 8.6e5 1/m at 2.94 um,
#: so the fit is an effective value that also carries the slow recoil-driven
#: exit of the ejecta (docs/models.md, stop 27). The 1D full-field solver
#: takes it unchanged, with the ejecta
#: leaving a wide spot at the plume front velocity of Walsh & Deutsch (1991)
#: over the equivalent length of :func:`free_plume_length`: every full-field
#: number is out of sample for it.
EJECTA_EXTINCTION = 1.55e6


def free_plume_length(spot_diameter):
    """Equivalent length of the free plume over a wide spot, on its axis [m].

    Ejecta leaving a disk of radius ``a`` in every direction of the upper
    half-space with a cosine (Lambertian) distribution and one speed have,
    on the axis at height ``z``, the density of the disk's surface times
    ``a^2 / (a^2 + z^2)`` (the on-axis form factor of a Lambertian disk).
    The beam crossing that plume meets as many ejecta as in a length
    ``integral_0^inf a^2 / (a^2 + z^2) dz = pi a / 2`` at the surface density:
    ``pi D / 4``. The crater under a full-field spot is far shallower than
    the spot is wide, so the plume above the surface, not the crater, holds
    most of the ejecta the beam meets, and a deeper crater after more
    pulses adds little (in a narrow channel it is the other way round: the
    column model). No parameter is fitted.

    Parameters
    ----------
    spot_diameter : float or array_like
        Spot diameter [m].

    Returns
    -------
    float or numpy.ndarray
        ``pi D / 4`` [m].

    Examples
    --------
    >>> round(float(free_plume_length(3e-3)) * 1e3, 2)
    2.36
    """
    return 0.25 * np.pi * np.asarray(spot_diameter, dtype=float)


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
    solid_absorption_ratio : float
        Absorption coefficient of the tissue solids (protein) per unit of
        their volume fraction, over that of water at the same line [-]; it
        lets desiccated tissue keep absorbing and heat above 100 degC.
    decomposition_temperature : float
        Temperature at which dry tissue leaves the column [K].
    ejecta_extinction : float
        Extinction coefficient of the ejecta over a full-field crater per unit
        of their volume fraction [1/m] (``3 Q_ext / (4 r)`` for droplets of
        radius r).
    plume_velocity : float
        Velocity at which ejecta leave a full-field spot [m/s] (1D solver); in the
        column model the velocity of the vapour whose recoil drives the
        ejecta out (:func:`recoil_ejecta_velocity`).
    sources : tuple of str
        Citation keys.
    column_ejecta_extinction : float
        Extinction of the ejecta per unit volume fraction in a fractional
        column, where they leave at the recoil-driven velocity [1/m]; the
        same fitted constant as ``ejecta_extinction`` (kept as its own field:
        the response tables are keyed by these parameters).
    """

    ablation_enthalpy: float
    ablation_temperature: float
    dynamic_absorption_factor: float
    recovery_time: float
    solid_absorption_ratio: float
    decomposition_temperature: float
    ejecta_extinction: float
    plume_velocity: float
    sources: tuple[str, ...]
    column_ejecta_extinction: float = EJECTA_EXTINCTION


#: Absorption of the tissue solids per unit volume fraction over that of
#: water at the same line [-]. ASSUMPTION, not a measurement, on both lines:
#: no infrared absorption coefficient (nor absorbance per thickness, nor
#: imaginary index k) of dry collagen, gelatin, keratin, dry stratum corneum
#: or dehydrated dermis at 2.94 um (~3400 cm^-1) or 10.6 um (~943 cm^-1) was
#: found in any text read for issue 13. Searched: infrared optical constants
#: of collagen, gelatin, keratin and protein (BSA) films; FTIR of stratum
#: corneum against hydration; absorption of desiccated tissue at the CO2
#: line; the free-electron-laser literature on protein against water
#: absorption; the refractiveindex.info database. Read, with no such number:
#: Potts et al. 1985 (Arch Dermatol Res 277:489, doi 10.1007/BF00510068;
#: ATR-FTIR stratum-corneum water from the weak band near 2100 cm^-1, where
#: the corneum itself does not absorb; abstract), Fisher & Hahn 2004 (Appl
#: Opt 43:5443; collagen cross-section at 193 nm only), Auerhammer et al.
#: 1999 (Appl Phys B 68:111; absorption of hydrated porcine cornea, 6-20 um,
#: proteins dominant at 6.2 and 6.5 um; abstract, no value quoted), the Duke
#: FEL laboratory's "Advantage of the Mark-III FEL ..." (J Synchrotron Rad
#: 10(5), 2003; protein the dominant chromophore at 6.45 um; abstract and
#: introduction), Schoenhals et al. 2017 (Analyst,
#: doi 10.1039/C6AN01757F; hydrated porcine dermis near 9.7 um; abstract),
#: Sobol et al. 2000 (SPIE 3925:78; the temperature shift of tissue water's
#: 3.0 and 6.1 um bands, not the solids); the CIE 203:2012 cornea table ends
#: at 2.5 um, and the database's "human body" shelf holds no protein
#: mid-infrared n, k. Textbook figures draw a protein curve beside water's
#: from the UV to 10 um, schematic and without a source value, so nothing
#: was read off them.
#: Protein does absorb at both lines (the amide A N-H stretch and bound
#: water near 3 um; C-O and skeletal bands near 9-11 um), and dermalase takes
#: the simplest statement of that: per unit volume, solids absorb like water,
#: so tissue absorbs by its condensed volume and drying does not bleach it,
#: while boiling still removes the water's share. The ratio multiplies the
#: water absorption the solvers use, dynamic factor included (0.27 on the
#: 3 um band), so the solids are also assumed to lose the same share of their
#: absorption during Er:YAG ablation as water does. With 1.0, dried tissue
#: heats above 100 degC at the rate the light arrives; with 0.3 instead, a
#: 7 J/cm^2 CO2 pulse only dries a crust and removes nothing. It is the
#: parameter the full-field CO2 depth and the Er:YAG damage depend on most.
SOLID_ABSORPTION_RATIO = 1.0

#: Time constant of the crater floor's recovery between pulses [s]. FITTED:
#: the one value with which the full-field model removes the ~10 um per pulse
#: that Kaufmann & Hibst (1996) measured at 10 J/cm^2 and 10 Hz (mean of
#: pulses 2-4 on cheek skin, 300 us). The closed form
#: :func:`recovery_time_from_rates` (0.35 s) assumed the efficiency scales
#: the whole heat of ablation; in this model it scales only the latent heat,
#: and the floor the last pulse left hot and dry needs less, so the time is
#: fitted through the model instead (to 0.01 s; refitted when the 1D ejecta
#: took the free plume of :func:`free_plume_length`, 0.63 s before). Out of
#: sample: ~35 um per pulse at 1 Hz against ~40.
RECOVERY_TIME = 0.60

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
    recovery_time=RECOVERY_TIME,
    solid_absorption_ratio=SOLID_ABSORPTION_RATIO,
    decomposition_temperature=choi1999.decomposition_temperature,
    ejecta_extinction=EJECTA_EXTINCTION,
    plume_velocity=walsh_deutsch1991.plume_velocity,
    sources=(
        walsh_deutsch1989.CITATION.key,
        walsh_deutsch1991.CITATION.key,
        choi1999.CITATION.key,
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
    recovery_time=RECOVERY_TIME,
    solid_absorption_ratio=SOLID_ABSORPTION_RATIO,
    decomposition_temperature=choi1999.decomposition_temperature,
    ejecta_extinction=EJECTA_EXTINCTION,
    plume_velocity=walsh_deutsch1991.plume_velocity,
    sources=(
        shori2000.CITATION.key,
        kaufmann_hibst1996.CITATION.key,
        VOGEL_VENUGOPALAN_2003.key,
        walsh_deutsch1991.CITATION.key,
        choi1999.CITATION.key,
    ),
)


def parameters_for_wavelength(wavelength: float) -> AblationParameters:
    """Default ablation parameters for a laser line [m].

    Lines on the 3 um water band (2.6-3.3 um: Er:YSGG 2790 nm, Er:YAG
    2940 nm) get :data:`ERBIUM`; every other line gets
    :data:`CARBON_DIOXIDE`. One set per line at every irradiance: the
    effective heat of ablation that Walsh et al. (1989) measured for CW CO2
    (4.8 kJ/cm^3) is what the column model spends per volume once the losses
    to the plume and the crater wall are counted, not an input.
    """
    if 2.6e-6 <= wavelength <= 3.3e-6:
        return ERBIUM
    return CARBON_DIOXIDE
