"""Optical density that laser eyewear must have.

The attenuation must bring the worst-case exposure at the eye within the
MPE: OD = log10(H / H_MPE), never below 0 (IEC TR 60825-14, eye protection;
EN 207 grades eyewear from the same ratio with its own test conditions).

Examples
--------
>>> optical_density(1e5, 100.0)
3.0
"""

from __future__ import annotations

import numpy as np


def optical_density(exposure, exposure_limit):
    """Required optical density [-] for an exposure and its limit.

    Parameters
    ----------
    exposure : float or array_like
        Worst-case radiant exposure at the eye [J/m²] (or irradiance [W/m²]).
    exposure_limit : float or array_like
        The MPE in the same unit, for the same exposure duration.

    Returns
    -------
    float or numpy.ndarray
        ``max(0, log10(exposure / exposure_limit))`` [-].

    Examples
    --------
    >>> optical_density(50.0, 100.0)  # below the MPE: no attenuation needed
    0.0
    """
    ratio = np.asarray(exposure, dtype=float) / np.asarray(exposure_limit, dtype=float)
    density = np.maximum(0.0, np.log10(ratio))
    return density if density.ndim else float(density)
