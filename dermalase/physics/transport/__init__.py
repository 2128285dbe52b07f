"""Light deposition in tissue, behind one interface.

A light-transport model answers one question for the bioheat solvers: where
does the light of a pulse go? It receives the geometry of the grid, the
absorption coefficient of every cell, which cells are already gone (the
crater), and the incident fluence or pulse energy; it returns the energy
absorbed per volume of every cell and the energy that leaves the grid
unabsorbed, so that the solvers' energy ledgers still close:

    incident = sum(absorbed * cell volume) + transmitted + escaped

Implementations
---------------
:mod:`~dermalase.physics.transport.beer_lambert`
    One-dimensional Beer-Lambert absorption down a layered slab (the
    full-field solver :mod:`dermalase.physics.heat`).
:mod:`~dermalase.physics.transport.gaussian_rays`
    A Gaussian or top-hat microbeam split into rays that cross the open
    crater and are absorbed by Beer-Lambert in the tissue they meet, with the
    beam optics (Rayleigh length, M^2, divergence) of the fractional column
    solver :mod:`dermalase.physics.column`.
:mod:`~dermalase.physics.transport.monte_carlo`
    MCML-class Monte Carlo photon transport in layered media (Fresnel
    boundaries, Henyey-Greenstein scattering, Russian roulette; A(r, z),
    Rd(r), Tt(r), fluence) for the scattering wavelengths (1470, 1550,
    1927 nm); :class:`~dermalase.physics.transport.monte_carlo.MonteCarlo`
    puts it behind this seam for a 1D slab.
:mod:`~dermalase.physics.transport.fixed_deposition`
    One Monte Carlo run mapped onto a solver's grid as a fixed source per
    unit incident energy (A(r, z) of a microbeam for the column solver, A(z)
    for the 1D solver), which both solvers take as their ``deposition``
    argument in place of their own light model.

The solvers' numba kernels cannot call Python, so a model also hands them its
``absorptance``: a numba ``cfunc`` of signature
``float64(float64 absorption_coefficient [1/m], float64 path_length [m])``
giving the fraction of the light entering a cell that the cell absorbs. The
kernels evaluate it once per cell when the absorption is frozen at the start
of each pulse (outside the hot loop) and march the light through the cells
with it, so that tissue that leaves mid-pulse passes its light on. A model
that is not local (Monte Carlo with scattering) gives each cell the fraction
of the light still travelling down that its own deposition profile absorbs
there, with what is scattered back out booked as escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np


@dataclass(frozen=True)
class Deposition:
    """Where the light of one exposure went.

    Attributes
    ----------
    absorbed : numpy.ndarray
        Energy absorbed per volume of each cell [J/m^3], the shape of the
        absorption map (zero in removed cells).
    transmitted : float
        Energy that leaves through the bottom of the grid unabsorbed, in the
        unit of the incident energy ([J/m^2] for a fluence, [J] for a pulse
        energy).
    escaped : float
        Energy that leaves any other way (beyond the grid's outer radius,
        outside the traced beam, scattered back out), same unit.
    water_absorption, other_absorption : numpy.ndarray, optional
        The absorption coefficient of each grid row's tissue water and of its
        other chromophores [1/m], as they were when the deposition was traced.
        Given, a solver lets a cell that loses its water absorb less of its
        share and pass the rest on down (water bleaching, see
        :func:`dermalase.physics.column.solver.solve_column`); absent, the
        deposition stays fixed.
    water_thermal_slope : float
        Relative fall of the water absorption per kelvin above body
        temperature [1/K], used with ``water_absorption``.
    """

    absorbed: np.ndarray
    transmitted: float
    escaped: float
    water_absorption: np.ndarray | None = None
    other_absorption: np.ndarray | None = None
    water_thermal_slope: float = 0.0


@runtime_checkable
class LightTransport(Protocol):
    """A light-deposition model the bioheat solvers accept.

    Attributes
    ----------
    absorptance : numba cfunc
        ``float64(float64 absorption_coefficient [1/m], float64 path_length
        [m])``: fraction of the light entering a cell absorbed in it [-],
        called inside the solver kernels.
    """

    absorptance: Any

    def deposit(self, grid, absorption, removed, incident) -> Deposition:
        """Deposit one exposure in a frozen tissue state.

        Parameters
        ----------
        grid : Grid or ColumnGrid
            Finite-volume grid [m].
        absorption : numpy.ndarray
            Absorption coefficient of each cell [1/m].
        removed : numpy.ndarray of bool
            Cells already ablated (the crater), the shape of ``absorption``.
        incident : float
            Incident fluence [J/m^2] (1D) or pulse energy [J] (2D); a power
            [W/m^2] or [W] gives absorbed power density [W/m^3].

        Returns
        -------
        Deposition
        """
        ...
