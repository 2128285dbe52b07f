"""Nominal ocular hazard distance (NOHD) of a direct and a diffusely reflected beam.

The NOHD is the distance beyond which the radiant exposure of one pulse (or
the irradiance of a continuous beam) falls below the MPE. For a beam of
diameter ``a`` at its origin spreading with full-angle divergence ``φ``, the
mean exposure over the beam at distance ``r`` is ``4 Q / (π (a + r φ)²)``
(Eq. for the NOHD in IEC TR 60825-14 and ANSI Z136.1 Appendix B); with the
beam diameter taken at 1/e of the peak (IEC's 63 % diameter) this mean is
the axial value of a Gaussian beam. A beam narrower than the MPE's limiting
aperture is averaged over the aperture. A diffusely reflecting (Lambertian)
surface of reflectance ``ρ`` sends ``ρ Q cos θ / (π r²)`` to an eye at
distance ``r`` and angle ``θ`` from its normal.

Examples
--------
>>> round(ocular_hazard_distance(0.1, 100.0, 3e-3, 0.07), 3)  # 100 mJ, m
0.467
"""

from __future__ import annotations

import numpy as np

from dermalase.citations import Citation, register

#: Diffuse reflectance of skin in the far infrared [-], an assumption.
SKIN_DIFFUSE_REFLECTANCE = 0.1

CITATION = register(
    Citation(
        key="SkinReflectanceAssumption",
        status="assumption",
        text=(
            "Skin reflectance 0.1 at 1.4-11 µm, all of it treated as diffuse (Lambertian): "
            "an assumed round upper bound for the water-dominated surface of skin, where "
            "water absorbs strongly; no measured far-infrared skin reflectance was found."
        ),
    )
)


def beam_exposure(energy, beam_diameter, limiting_aperture=0.0):
    """Mean radiant exposure of a pulse over its beam or the limiting aperture [J/m²].

    Parameters
    ----------
    energy : float or array_like
        Pulse energy [J] (or power [W] for an irradiance [W/m²]).
    beam_diameter : float or array_like
        Beam diameter where the eye is [m] (1/e, 63 % diameter).
    limiting_aperture : float
        Diameter the MPE is averaged over [m]; a narrower beam is spread
        over it.

    Returns
    -------
    float or numpy.ndarray
        ``4 Q / (π max(d, D)²)`` [J/m²].

    Examples
    --------
    >>> round(beam_exposure(0.01, 120e-6, 1e-3), 1)  # 10 mJ into a 1 mm aperture, J/m²
    12732.4
    """
    diameter = np.maximum(beam_diameter, limiting_aperture)
    exposure = 4.0 * np.asarray(energy, dtype=float) / (np.pi * diameter**2)
    return exposure if exposure.ndim else float(exposure)


def ocular_hazard_distance(
    energy, exposure_limit, beam_diameter, divergence, limiting_aperture=0.0
):
    """NOHD of a direct beam from its origin [m], zero when it is safe at the origin.

    Parameters
    ----------
    energy : float
        Pulse energy [J] (or power [W] with an irradiance limit [W/m²]).
    exposure_limit : float
        The MPE per pulse [J/m²] (or [W/m²]).
    beam_diameter : float
        Beam diameter at the origin [m]: the spot at the treatment plane for a
        handpiece, the arm's beam for the delivery arm.
    divergence : float
        Full-angle divergence [rad], positive.
    limiting_aperture : float
        Diameter the MPE is averaged over [m].

    Returns
    -------
    float
        ``(sqrt(4 Q / (π H_MPE)) - a) / φ`` [m]; 0 when the exposure at the
        origin (averaged over the limiting aperture) is within the MPE.

    Examples
    --------
    >>> ocular_hazard_distance(1e-6, 100.0, 3e-3, 0.07)  # below the MPE at the origin
    0.0
    """
    if divergence <= 0:
        raise ValueError("divergence must be positive")
    if beam_exposure(energy, beam_diameter, limiting_aperture) <= exposure_limit:
        return 0.0
    hazard_diameter = np.sqrt(4.0 * energy / (np.pi * exposure_limit))
    return float(max(0.0, (hazard_diameter - beam_diameter) / divergence))


def diffuse_hazard_distance(
    energy,
    exposure_limit,
    spot_diameter,
    reflectance=SKIN_DIFFUSE_REFLECTANCE,
    viewing_angle=0.0,
):
    """NOHD of a diffuse (Lambertian) reflection from the treated skin [m].

    Parameters
    ----------
    energy : float
        Pulse energy on the skin [J].
    exposure_limit : float
        The MPE per pulse [J/m²].
    spot_diameter : float
        Diameter of the spot on the skin [m].
    reflectance : float
        Diffuse reflectance of the skin [-]; default
        :data:`SKIN_DIFFUSE_REFLECTANCE` (an assumption).
    viewing_angle : float
        Angle between the skin's normal and the line to the eye [rad].

    Returns
    -------
    float
        ``sqrt(ρ Q cos θ / (π H_MPE))`` [m]; 0 when even an eye filled by the
        reflecting spot, exposed to at most ``ρ H_skin`` (the radiant
        exposure on the skin times the reflectance), is within the MPE.

    Examples
    --------
    >>> round(diffuse_hazard_distance(0.04, 100.0, 120e-6), 4)  # m
    0.0036
    """
    exposure_on_skin = beam_exposure(energy, spot_diameter)
    if reflectance * exposure_on_skin <= exposure_limit:
        return 0.0
    return float(np.sqrt(reflectance * energy * np.cos(viewing_angle) / (np.pi * exposure_limit)))
