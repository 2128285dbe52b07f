"""Bulk heating of a spot sequence: spacing in time and superposed temperature rise.

Two figures say how much heat the firing order lets build up between
neighbours:

* the smallest centre-to-centre distance between two spots fired within a
  thermal window (by default the thermal relaxation time of one spot), and
* the peak bulk temperature rise at a spot centre just before it fires, from
  the residual heat of all earlier spots superposed with a Green's function.

Heat source models (:data:`SOURCES`)
------------------------------------
``surface``
    Instantaneous source of heat ``Q`` [J] at the surface of a semi-infinite
    medium with an adiabatic surface (the image source doubles the
    infinite-medium kernel, Chapter 10 of [1]_)::

        dT(r, t) = 2 Q / (rho c (4 pi alpha t)^(3/2)) exp(-r^2 / (4 alpha t))

``line``
    Fractional column from the surface to depth ``L``, heat ``Q' = Q / L`` per
    length, as an instantaneous line source. With its image above the adiabatic
    surface the column is a segment from ``-L`` to ``L`` in an infinite medium;
    at the surface, where the rise is largest, that is the infinite line kernel
    times ``erf(L / sqrt(4 alpha t))`` (the axial integral of the point kernel)::

        dT(r, t) = Q' / (4 pi k t) exp(-r^2 / (4 alpha t)) erf(L / sqrt(4 alpha t))

    It is the infinite line while ``sqrt(4 alpha t) << L`` and tends to the
    surface source as ``L -> 0``.

Finite spot size: the source is spread laterally as a Gaussian of standard
deviation ``s0`` per axis (default ``d / 4``, the second moment of a uniform disk
of diameter ``d`` and of a Gaussian beam of 1/e^2 diameter ``d``); the kernels
above then become, with ``s^2 = s0^2 + 2 alpha t``::

    surface: dT = 2 Q / (rho c) / (2 pi s^2) / sqrt(4 pi alpha t) exp(-r^2 / (2 s^2))
    line:    dT = Q' / (rho c) / (2 pi s^2) exp(-r^2 / (2 s^2))

and reduce to the point and line kernels for ``s0 = 0``.

Cooling included: diffusion into the semi-infinite medium, blood perfusion
as a first-order loss ``exp(-w t)`` (default the common dermal value
``w = 2e-3 1/s``), and, when a heat-transfer coefficient ``h`` is given, loss
through the surface to chilled air (a convective, Robin, boundary
``-k dT/dz = -h T`` on the rise). With ``H = h / k`` and ``a = sqrt(alpha t)``
the vertical factor of a surface source becomes (Chapter 14 of [1]_; the
image term of the insulated surface minus the loss to the air)::

    surface: 1 / (a sqrt(pi)) exp(-z^2 / (4 a^2)) - H erfcx(z / (2 a) + H a) exp(-z^2 / (4 a^2))

which replaces ``2 / sqrt(4 pi alpha t) exp(-z^2 / (4 alpha t))`` above, and
the axial factor of a column of depth ``L`` at the surface, the integral of
that kernel over the column, becomes::

    line:    erfcx(H a) - exp(-L^2 / (4 a^2)) erfcx(L / (2 a) + H a)

(``erfcx(x) = exp(x^2) erfc(x)``). Both tend to the insulated factors as
``h -> 0``; the heat left in the medium after a surface source is
``Q erfcx(H a)``, the rest having left through the surface. The lateral
Gaussian is unchanged (the boundary acts on depth only). Over a millisecond
pulse the air removes nothing (``H a`` is about 1e-3); over the seconds of a
pass it lowers the rise by some percent (``H a`` is about 0.1 at 1 s).

Truncation: contributions of spots fired more than ``time_horizon`` earlier
are left out (default the larger of 1 s and 20 thermal relaxation times of a
spot). The peak rise is therefore the rise due to the heat of the spots fired
within the horizon: the heat a firing order can pile up locally. Older heat
makes a smooth background that grows with the energy per unit area and the
time a tile takes, and depends little on the order within the tile; a longer
horizon counts more of it, at a cost proportional to the horizon. Pairs whose
Gaussian factor is below ``exp(-20)`` are skipped. Both sums run over a sliding
window of the time-ordered list, O(N w) with ``w`` the spots fired within the
window or horizon, so the cost grows linearly with the number of spots.

References
----------
.. [1] Carslaw HS, Jaeger JC. Conduction of Heat in Solids, 2nd ed., Clarendon
   Press, Oxford, 1959.
.. [2] Anderson RR, Parrish JA. Selective photothermolysis: precise microsurgery
   by selective absorption of pulsed radiation. Science 220:524-527, 1983.
   doi:10.1126/science.6836297

Examples
--------
>>> round(spot_relaxation_time(300e-6), 3)
0.054
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba
import numpy as np
from scipy import special

from dermalase.citations import Citation, register
from dermalase.exceptions import InputError
from dermalase.tissue.parameters import bioheat_common, ye_de2017

CARSLAW_JAEGER = register(
    Citation(
        key="CarslawJaeger1959",
        status="secondary",
        authors="Carslaw HS, Jaeger JC",
        title="Conduction of Heat in Solids",
        venue="2nd ed., Clarendon Press, Oxford",
        year=1959,
        note="Chapter 10: instantaneous point and line sources (Green's functions).",
    )
)
ANDERSON_PARRISH = register(
    Citation(
        key="AndersonParrish1983",
        status="peer-reviewed",
        authors="Anderson RR, Parrish JA",
        title=(
            "Selective photothermolysis: precise microsurgery by selective absorption of "
            "pulsed radiation"
        ),
        venue="Science 220(4596):524-527",
        year=1983,
        doi="10.1126/science.6836297",
        note="Thermal relaxation time of a cylinder, d^2 / (16 alpha), as commonly quoted.",
    )
)

#: Default tissue density [kg/m^3] (common single-layer bioheat value).
DENSITY = bioheat_common.density_skin
#: Default specific heat [J/(kg K)]: dermis, Ye & De 2017, Table 3 (porcine
#: dermis, the same row as the conductivity below).
SPECIFIC_HEAT = ye_de2017.specific_heat_dermis
#: Default thermal conductivity [W/(m K)]: dermis, Ye & De 2017, Table 3.
CONDUCTIVITY = ye_de2017.conductivity_dermis
#: Default perfusion rate [1/s]: common dermal bioheat value.
PERFUSION = bioheat_common.perfusion_dermis
#: Geometry factor of the thermal relaxation time of a cylinder [-] (Anderson & Parrish 1983).
RELAXATION_FACTOR = 16.0
#: Shortest default time horizon of the temperature sum [s].
MIN_HORIZON = 1.0
#: Default horizon in thermal relaxation times [-].
HORIZON_RELAXATIONS = 20.0
#: Gaussian exponent below which a contribution is skipped [-].
EXPONENT_CUTOFF = 20.0

SOURCES_CITED = (
    CARSLAW_JAEGER.key,
    ANDERSON_PARRISH.key,
    ye_de2017.CITATION.key,
    bioheat_common.CITATION.key,
)


def thermal_diffusivity(
    conductivity: float = CONDUCTIVITY,
    density: float = DENSITY,
    specific_heat: float = SPECIFIC_HEAT,
) -> float:
    """Thermal diffusivity ``k / (rho c)`` [m^2/s]."""
    return conductivity / (density * specific_heat)


def spot_relaxation_time(spot_diameter: float, diffusivity: float | None = None) -> float:
    """Thermal relaxation time of a column or spot, ``d^2 / (16 alpha)`` [s].

    Parameters
    ----------
    spot_diameter : float
        Diameter of the heated column or spot [m].
    diffusivity : float, optional
        Thermal diffusivity [m^2/s]; default from the default properties.

    Returns
    -------
    float
        Relaxation time [s] (Anderson & Parrish 1983, cylinder).
    """
    alpha = thermal_diffusivity() if diffusivity is None else diffusivity
    return spot_diameter**2 / (RELAXATION_FACTOR * alpha)


def default_time_horizon(spot_diameter: float, diffusivity: float | None = None) -> float:
    """Default oldest heat counted in the temperature sum, ``max(1 s, 20 tau)`` [s].

    Parameters
    ----------
    spot_diameter : float
        Spot or MTZ diameter [m].
    diffusivity : float, optional
        Thermal diffusivity [m^2/s]; default from the default properties.

    Returns
    -------
    float
        Horizon [s], ``tau`` the thermal relaxation time of one spot.
    """
    return max(MIN_HORIZON, HORIZON_RELAXATIONS * spot_relaxation_time(spot_diameter, diffusivity))


def surface_source_rise(
    r,
    t,
    heat: float,
    *,
    density: float = DENSITY,
    specific_heat: float = SPECIFIC_HEAT,
    conductivity: float = CONDUCTIVITY,
    source_width: float = 0.0,
    perfusion_rate: float = 0.0,
    depth: float = 0.0,
    heat_transfer_coefficient: float = 0.0,
):
    """Temperature rise from an instantaneous source at the surface [K].

    Parameters
    ----------
    r : float or numpy.ndarray
        Distance from the source along the surface [m].
    t : float or numpy.ndarray
        Time since the source fired [s], > 0.
    heat : float
        Heat deposited [J].
    density, specific_heat, conductivity : float
        Tissue properties [kg/m^3], [J/(kg K)], [W/(m K)].
    source_width : float
        Lateral standard deviation of the source per axis [m]; 0 for a point.
    perfusion_rate : float
        First-order perfusion loss [1/s].
    depth : float or numpy.ndarray
        Depth below the surface at which the rise is wanted [m]; 0 at the surface.
    heat_transfer_coefficient : float
        Convective loss through the surface to air at the baseline temperature
        [W/(m^2 K)]; 0 for an insulated surface.

    Returns
    -------
    float or numpy.ndarray
        Temperature rise [K].

    Notes
    -----
    ``2 Q / (rho c) / (2 pi s^2) / sqrt(4 pi alpha t) exp(-r^2/(2 s^2) - z^2/(4 alpha t) - w t)``
    with ``s^2 = s0^2 + 2 alpha t``; for ``s0 = 0`` the point source
    ``2 Q / (rho c (4 pi alpha t)^(3/2)) exp(-r^2/(4 alpha t))`` [1]_. With a
    heat-transfer coefficient the vertical factor is that of the module notes.

    References
    ----------
    .. [1] Carslaw HS, Jaeger JC. Conduction of Heat in Solids, 2nd ed., 1959, Chapter 10.
    """
    alpha = thermal_diffusivity(conductivity, density, specific_heat)
    variance = source_width**2 + 2.0 * alpha * np.asarray(t, dtype=float)
    lateral = np.exp(-(np.asarray(r, dtype=float) ** 2) / (2.0 * variance)) / (
        2.0 * np.pi * variance
    )
    time = np.asarray(t, dtype=float)
    vertical = surface_vertical_factor(
        depth, time, alpha, _robin(heat_transfer_coefficient, conductivity)
    )
    return heat / (density * specific_heat) * lateral * vertical * np.exp(-perfusion_rate * time)


def _robin(heat_transfer_coefficient: float, conductivity: float) -> float:
    """``H = h / k`` [1/m], checking ``h``."""
    if not (math.isfinite(heat_transfer_coefficient) and heat_transfer_coefficient >= 0.0):
        raise InputError(
            "heat_transfer_coefficient",
            heat_transfer_coefficient,
            "must be a finite number >= 0 W/(m^2 K)",
        )
    return heat_transfer_coefficient / conductivity


def surface_vertical_factor(depth, t, diffusivity: float, robin: float = 0.0):
    """Depth factor of an instantaneous plane source at the surface [1/m].

    Parameters
    ----------
    depth : float or numpy.ndarray
        Depth below the surface [m].
    t : float or numpy.ndarray
        Time since the source fired [s], > 0.
    diffusivity : float
        Thermal diffusivity [m^2/s].
    robin : float
        ``H = h / k`` of a convective surface [1/m]; 0 for an insulated one.

    Returns
    -------
    float or numpy.ndarray
        Temperature per unit heat per unit area and per ``rho c`` [1/m]:
        ``1 / (a sqrt(pi)) exp(-z^2 / 4 a^2)`` insulated, less
        ``H erfcx(z / 2 a + H a) exp(-z^2 / 4 a^2)`` with air, ``a = sqrt(alpha t)``.
        Its integral over depth is 1 insulated and ``erfcx(H a)`` with air.
    """
    a = np.sqrt(diffusivity * np.asarray(t, dtype=float))
    z = np.asarray(depth, dtype=float)
    gauss = np.exp(-np.square(z) / (4.0 * np.square(a)))
    factor = 1.0 / (a * math.sqrt(math.pi))
    if robin > 0.0:
        factor = factor - robin * special.erfcx(z / (2.0 * a) + robin * a)
    return factor * gauss


def column_axial_factor(t, diffusivity: float, column_depth: float | None, robin: float = 0.0):
    """Axial factor at the surface of a column of heat from the surface to a depth [-].

    Parameters
    ----------
    t : float or numpy.ndarray
        Time since the source fired [s], > 0.
    diffusivity : float
        Thermal diffusivity [m^2/s].
    column_depth : float or None
        Depth ``L`` of the column [m]; None for an infinite line.
    robin : float
        ``H = h / k`` of a convective surface [1/m]; 0 for an insulated one.

    Returns
    -------
    float or numpy.ndarray
        ``erf(L / 2 a)`` insulated; ``erfcx(H a) - exp(-L^2 / 4 a^2) erfcx(L / 2 a + H a)``
        with air (module notes), ``a = sqrt(alpha t)``.
    """
    a = np.sqrt(diffusivity * np.asarray(t, dtype=float))
    if robin == 0.0:
        return 1.0 if column_depth is None else special.erf(column_depth / (2.0 * a))
    near = special.erfcx(robin * a)
    if column_depth is None:
        return near
    half = column_depth / (2.0 * a)
    return near - np.exp(-np.square(half)) * special.erfcx(half + robin * a)


def line_source_rise(
    r,
    t,
    heat_per_length: float,
    *,
    density: float = DENSITY,
    specific_heat: float = SPECIFIC_HEAT,
    conductivity: float = CONDUCTIVITY,
    source_width: float = 0.0,
    perfusion_rate: float = 0.0,
    column_depth: float | None = None,
    heat_transfer_coefficient: float = 0.0,
):
    """Temperature rise at the surface from an instantaneous line source [K].

    Parameters
    ----------
    r : float or numpy.ndarray
        Distance from the line [m].
    t : float or numpy.ndarray
        Time since the source fired [s], > 0.
    heat_per_length : float
        Heat per length of the column [J/m].
    density, specific_heat, conductivity : float
        Tissue properties [kg/m^3], [J/(kg K)], [W/(m K)].
    source_width : float
        Lateral standard deviation of the source per axis [m]; 0 for a line.
    perfusion_rate : float
        First-order perfusion loss [1/s].
    column_depth : float, optional
        Depth ``L`` of a column that starts at the surface [m]; default an
        infinite line.
    heat_transfer_coefficient : float
        Convective loss through the surface [W/(m^2 K)]; 0 for an insulated
        surface.

    Returns
    -------
    float or numpy.ndarray
        Temperature rise [K]; ``Q' / (4 pi k t) exp(-r^2 / (4 alpha t))`` for
        ``s0 = 0`` and an infinite line, times ``erf(L / sqrt(4 alpha t))`` for a
        column of depth ``L`` (module notes).
    """
    alpha = thermal_diffusivity(conductivity, density, specific_heat)
    time = np.asarray(t, dtype=float)
    variance = source_width**2 + 2.0 * alpha * time
    lateral = np.exp(-(np.asarray(r, dtype=float) ** 2) / (2.0 * variance)) / (
        2.0 * np.pi * variance
    )
    axial = column_axial_factor(
        time, alpha, column_depth, _robin(heat_transfer_coefficient, conductivity)
    )
    rise = heat_per_length / (density * specific_heat) * lateral * axial
    return rise * np.exp(-perfusion_rate * time)


def residual_fluence(fluence, threshold_fluence):
    """Heat per area that an ablative pulse leaves in the tissue [J/m^2].

    Parameters
    ----------
    fluence : float or numpy.ndarray
        Fluence of the pulse [J/m^2].
    threshold_fluence : float
        Ablation threshold fluence [J/m^2].

    Returns
    -------
    float or numpy.ndarray
        ``min(F, F_th)``: below threshold all of the pulse stays as heat; above
        it the blow-off model leaves exactly ``F_th`` behind.

    Notes
    -----
    In the blow-off model the tissue above the depth ``ln(F / F_th) / mu_a``
    is removed after the pulse, and what stays below holds the Beer-Lambert
    tail ``F exp(-mu_a z)`` from that depth on, whose integral is ``F_th``
    (derived from the blow-off model of section VII.A of [1]_). Long pulses
    in the steady-state regime leave more behind (conduction during the
    pulse), so for them this is a lower estimate; a caller with a simulated
    energy ledger should pass the residual heat itself.

    References
    ----------
    .. [1] Vogel A, Venugopalan V. Mechanisms of pulsed laser ablation of
       biological tissues. Chem Rev 103:577-644, 2003. doi:10.1021/cr010379n
    """
    return np.minimum(fluence, threshold_fluence)


#: Argument above which :func:`_erfcx` uses its asymptotic series [-].
_ERFCX_SERIES_FROM = 25.0
#: Argument below which :func:`_erfcx` sums its power series [-].
_ERFCX_POWER_BELOW = 0.5
#: Coefficients ``(-1)^n / Gamma(1 + n/2)`` of ``erfcx(x) = sum c_n x^n``, n = 0..23;
#: below 0.5 the first term left out is under 1e-16.
_ERFCX_POWER = np.array([(-1.0) ** n / math.gamma(1.0 + 0.5 * n) for n in range(24)])


@numba.njit(cache=True)
def _erfcx(x):
    """``exp(x^2) erfc(x)`` for ``x >= 0``.

    A power series for small ``x`` (the common case, ``H sqrt(alpha t)`` of
    chilled air over seconds, and cheaper than the library calls), the library
    functions between, an asymptotic series for large ``x``.
    """
    if x < _ERFCX_POWER_BELOW:
        total = 0.0
        for n in range(_ERFCX_POWER.size - 1, -1, -1):
            total = total * x + _ERFCX_POWER[n]
        return total
    if x < _ERFCX_SERIES_FROM:
        return math.exp(x * x) * math.erfc(x)
    inv2 = 1.0 / (x * x)
    series = 1.0 - 0.5 * inv2 + 0.75 * inv2 * inv2 - 1.875 * inv2 * inv2 * inv2
    return series / (x * math.sqrt(math.pi))


@numba.njit(cache=True, parallel=True)
def _rise_before_each(
    x, y, t, amplitude, width2, two_alpha, surface, depth, horizon, perfusion, robin
):
    """Superposed rise at each spot centre from earlier spots within the horizon.

    Surface source: times the vertical factor at the surface, ``1 / sqrt(pi alpha
    dt)`` insulated, less ``H erfcx(H sqrt(alpha dt))`` with air (``robin = H > 0``).
    Line source: ``depth`` > 0 multiplies by the axial factor of a column of
    that depth (module notes); ``depth`` = 0 is an infinite line.
    """
    n = x.size
    out = np.zeros(n)
    # no pair farther apart than this passes the cutoff, whatever its age
    reach2 = 2.0 * EXPONENT_CUTOFF * (width2 + two_alpha * horizon)
    alpha = 0.5 * two_alpha
    for i in numba.prange(n):
        total = 0.0
        j = i - 1
        while j >= 0:
            dt = t[i] - t[j]
            if dt > horizon:
                break
            dx = x[i] - x[j]
            dy = y[i] - y[j]
            r2 = dx * dx + dy * dy
            if dt > 0.0 and r2 < reach2:
                variance = width2 + two_alpha * dt
                exponent = r2 / (2.0 * variance) + perfusion * dt
                if exponent < EXPONENT_CUTOFF:
                    term = amplitude * math.exp(-exponent) / variance
                    a = math.sqrt(alpha * dt)
                    if surface:
                        vertical = 1.0 / (a * math.sqrt(math.pi))
                        if robin > 0.0:
                            vertical -= robin * _erfcx(robin * a)
                        term *= vertical
                    elif robin > 0.0:
                        axial = _erfcx(robin * a)
                        if depth > 0.0:
                            half = depth / (2.0 * a)
                            axial -= math.exp(-half * half) * _erfcx(half + robin * a)
                        term *= axial
                    elif depth > 0.0:
                        term *= math.erf(depth / (2.0 * a))
                    total += term
            j -= 1
        out[i] = total
    return out


@numba.njit(cache=True, parallel=True)
def _min_spacing(x, y, t, window):
    """Smallest distance between two spots fired at most ``window`` apart (inf if none)."""
    n = x.size
    nearest = np.full(n, np.inf)
    for i in numba.prange(n):
        best = np.inf
        j = i + 1
        while j < n and t[j] - t[i] <= window:
            dx = x[j] - x[i]
            dy = y[j] - y[i]
            d2 = dx * dx + dy * dy
            if d2 < best:
                best = d2
            j += 1
        nearest[i] = best
    return math.sqrt(nearest.min()) if n > 0 else np.inf


def _ordered(t):
    t = np.asarray(t, dtype=float)
    if t.size > 1 and np.any(np.diff(t) < 0.0):
        raise InputError("t", "not ascending", "spots must be given in firing order")
    return t


def min_spacing_within_window(x: np.ndarray, y: np.ndarray, t: np.ndarray, window: float) -> float:
    """Smallest centre-to-centre distance of spots fired within a time window.

    Parameters
    ----------
    x, y : numpy.ndarray
        Spot centres in firing order [m].
    t : numpy.ndarray
        Firing times, ascending [s].
    window : float
        Thermal window [s].

    Returns
    -------
    float
        Distance [m]; ``inf`` when no two spots are fired within the window.
    """
    if not window >= 0.0:
        raise InputError("window", window, "must be >= 0 s")
    t = _ordered(t)
    return float(_min_spacing(np.asarray(x, float), np.asarray(y, float), t, float(window)))


@dataclass(frozen=True)
class _Source:
    surface: bool


#: Heat source models by name (see the module notes).
SOURCES = {"surface": _Source(surface=True), "line": _Source(surface=False)}


def bulk_temperature_rise(
    x: np.ndarray,
    y: np.ndarray,
    t: np.ndarray,
    heat_per_spot: float,
    *,
    spot_diameter: float,
    source: str = "surface",
    column_depth: float | None = None,
    density: float = DENSITY,
    specific_heat: float = SPECIFIC_HEAT,
    conductivity: float = CONDUCTIVITY,
    perfusion_rate: float = PERFUSION,
    source_width: float | None = None,
    time_horizon: float | None = None,
    heat_transfer_coefficient: float = 0.0,
) -> np.ndarray:
    """Temperature rise at each spot centre just before it fires [K].

    Parameters
    ----------
    x, y : numpy.ndarray
        Spot centres in firing order [m].
    t : numpy.ndarray
        Firing times, ascending [s].
    heat_per_spot : float
        Residual heat each spot leaves in the tissue [J].
    spot_diameter : float
        Spot or MTZ diameter [m].
    source : {"surface", "line"}
        Heat source model.
    column_depth : float, optional
        Depth of a fractional column from the surface [m]; required for the
        ``line`` source.
    density, specific_heat, conductivity : float
        Tissue properties [kg/m^3], [J/(kg K)], [W/(m K)].
    perfusion_rate : float
        First-order perfusion loss [1/s].
    source_width : float, optional
        Lateral standard deviation of a source [m]; default ``spot_diameter / 4``.
    time_horizon : float, optional
        Oldest contribution counted [s]; default ``max(1 s, 20 tau)`` with ``tau``
        the thermal relaxation time of a spot.
    heat_transfer_coefficient : float
        Convective loss through the surface to chilled air [W/(m^2 K)]; 0 (the
        default) for an insulated surface.

    Returns
    -------
    numpy.ndarray
        Rise per spot [K].
    """
    try:
        model = SOURCES[source]
    except KeyError:
        raise InputError("source", source, f"choose one of: {', '.join(SOURCES)}") from None
    if not heat_per_spot >= 0.0:
        raise InputError("heat_per_spot", heat_per_spot, "must be >= 0 J")
    for field, value in (
        ("density", density),
        ("specific_heat", specific_heat),
        ("conductivity", conductivity),
    ):
        if not value > 0.0:
            raise InputError(field, value, "must be > 0 (SI units)")
    t = _ordered(t)
    alpha = thermal_diffusivity(conductivity, density, specific_heat)
    width = spot_diameter / 4.0 if source_width is None else source_width
    horizon = default_time_horizon(spot_diameter, alpha) if time_horizon is None else time_horizon
    if not horizon > 0.0:
        raise InputError("time_horizon", horizon, "must be > 0 s")
    robin = _robin(heat_transfer_coefficient, conductivity)
    if model.surface:
        amplitude = heat_per_spot / (density * specific_heat * 2.0 * math.pi)
    else:
        if column_depth is None or not column_depth > 0.0:
            raise InputError("column_depth", column_depth, "the line source needs a depth > 0 m")
        amplitude = heat_per_spot / column_depth / (density * specific_heat * 2.0 * math.pi)
    return _rise_before_each(
        np.asarray(x, float),
        np.asarray(y, float),
        t,
        amplitude,
        width**2,
        2.0 * alpha,
        model.surface,
        0.0 if model.surface or column_depth is None else float(column_depth),
        float(horizon),
        float(perfusion_rate),
        float(robin),
    )


@dataclass(frozen=True)
class HeatFigures:
    """The two bulk-heating figures of a sequence.

    Parameters
    ----------
    min_spacing : float
        Smallest distance between spots fired within the window [m].
    peak_rise : float
        Largest rise at a spot centre just before it fires [K].
    window : float
        Thermal window [s].
    time_horizon : float
        Oldest heat counted in the peak rise [s].
    """

    min_spacing: float
    peak_rise: float
    window: float
    time_horizon: float = math.inf


def heat_figures(
    x: np.ndarray,
    y: np.ndarray,
    t: np.ndarray,
    heat_per_spot: float,
    *,
    spot_diameter: float,
    window: float | None = None,
    **rise_options,
) -> HeatFigures:
    """Both heating figures of an ordered spot list.

    Parameters
    ----------
    x, y : numpy.ndarray
        Spot centres in firing order [m].
    t : numpy.ndarray
        Firing times, ascending [s].
    heat_per_spot : float
        Residual heat per spot [J].
    spot_diameter : float
        Spot or MTZ diameter [m].
    window : float, optional
        Thermal window [s]; default the thermal relaxation time of one spot,
        ``d^2 / (16 alpha)``.
    **rise_options
        Passed to :func:`bulk_temperature_rise`.

    Returns
    -------
    HeatFigures
    """
    alpha = thermal_diffusivity(
        rise_options.get("conductivity", CONDUCTIVITY),
        rise_options.get("density", DENSITY),
        rise_options.get("specific_heat", SPECIFIC_HEAT),
    )
    window = spot_relaxation_time(spot_diameter, alpha) if window is None else window
    if rise_options.get("time_horizon") is None:
        rise_options["time_horizon"] = default_time_horizon(spot_diameter, alpha)
    rise = bulk_temperature_rise(
        x, y, t, heat_per_spot, spot_diameter=spot_diameter, **rise_options
    )
    peak = float(rise.max()) if rise.size else 0.0
    spacing = min_spacing_within_window(x, y, t, window)
    return HeatFigures(spacing, peak, window, rise_options["time_horizon"])


@dataclass(frozen=True)
class OrderComparison:
    """How much one order improves on another.

    Parameters
    ----------
    spacing_ratio : float
        Minimum spacing within the window, candidate over reference [-] (> 1 is better).
    temperature_reduction : float
        Peak bulk rise of the reference minus that of the candidate [K] (> 0 is better).
    temperature_ratio : float
        Peak bulk rise, candidate over reference [-] (< 1 is better).
    """

    spacing_ratio: float
    temperature_reduction: float
    temperature_ratio: float


def compare_figures(candidate: HeatFigures, reference: HeatFigures) -> OrderComparison:
    """Compare the heat figures of a candidate order with a reference order.

    Parameters
    ----------
    candidate, reference : HeatFigures
        Figures of the two sequences (same spots, same timing rules).

    Returns
    -------
    OrderComparison
    """
    if math.isinf(candidate.min_spacing) and math.isinf(reference.min_spacing):
        spacing_ratio = 1.0
    elif reference.min_spacing == 0.0:
        spacing_ratio = math.inf
    else:
        spacing_ratio = candidate.min_spacing / reference.min_spacing
    ratio = candidate.peak_rise / reference.peak_rise if reference.peak_rise > 0.0 else 1.0
    return OrderComparison(spacing_ratio, reference.peak_rise - candidate.peak_rise, ratio)
