"""Transient 2D axisymmetric bioheat solver for one fractional microbeam.

A microbeam drills a narrow column (microscopic treatment zone, MTZ) of
ablated tissue lined by a sleeve of coagulated tissue. The skin is cut into
finite volumes in radius ``r`` and depth ``z`` below the original surface
(rings around the beam axis). Each time step

1. traces the beam down the open crater as a bundle of rays
   (:mod:`dermalase.physics.transport.gaussian_rays`), one per thin
   launch annulus, each carrying the power of its annulus, row by row. With
   beam divergence the rays fan out as a Gaussian beam focused on the skin
   surface, ``r(z) = r(0) sqrt(1 + (z / z_R)^2)``, and rays that leave a
   tapering crater are absorbed in its wall. In the open crater the rays
   meet the ejecta the light below drives off: through a row of open section
   ``A`` carrying beam power ``P``, of which the tissue below absorbs the
   share ``s`` (from the last time step), they rise as a volume fraction
   ``s P / (h u A)`` (mass conservation; ``h`` the removal enthalpy, ``u``
   the velocity the recoil of the vapour drives), whose extinction takes
   ``1 - 1 / (1 + kappa s P dz / (h u A))`` of each ray's energy. The ejecta
   absorb part of it (plume ledger) and scatter the rest: the droplets' forward
   share (their Mie asymmetry parameter g, by the similarity relation) goes
   on with the ray, the rest isotropically. Of that, the share the crater
   floor subtends from the axis goes on down to the floor, the share the
   mouth subtends leaves the crater (the plume ledger) and the rest reaches
   the wall rings by the solid angle each row's wall subtends from the
   scattering depth, absorbed by Beer-Lambert across the rings: this widens
   the crater and builds the coagulation sleeve. In tissue a ray is absorbed
   by Beer-Lambert
   with the water and solids each cell holds at that moment;
2. lets wet tissue at the boiling point boil its water off (the vapour
   leaves with its heat) and dry tissue heat on with the heat capacity of
   its solids to the decomposition temperature, where it leaves: at once for
   us-ms pulses (the ray carries the rest of its energy on to the tissue
   below, and the tissue between the ray's entry and the spent cell is blown
   off with it) or at the end of a sub-us pulse (everything above the
   deepest spent cell of a radial column);
3. conducts heat implicitly by a locally one-dimensional splitting (backward
   Euler in ``r``, then in ``z``) with the per-cell heat capacity,
   perfusion, convection to air on every face exposed to air (the original
   surface and the crater wall and floor), and body temperature at the
   outer radius and the bottom; wet cells that conduction takes past the
   boiling point boil;
4. accumulates the Arrhenius damage integral in every remaining cell.

Every joule is booked as in the 1D solver (:mod:`dermalase.physics.heat`):
absorbed = stored + removed with ablated tissue and vapour + lost to air +
conducted out of the domain + carried off by blood; delivered = absorbed +
transmitted + escaped + plume. Only the rows down to a window below the
deepest cell the beam has reached are solved; the rows below are still at
body temperature.

The package holds the grid (:mod:`.grid`), the solver and its numba kernel
(:mod:`.solver`) and the measurement of the column from its maps
(:mod:`.dimensions`); the beam optics live with the ray model in
:mod:`dermalase.physics.transport.gaussian_rays`.

References
----------
.. [1] Vogel A, Venugopalan V (2003). Mechanisms of pulsed laser ablation of
   biological tissues. Chem Rev 103:577-644. doi:10.1021/cr010379n
   (blow-off and steady-state ablation, section VII.A).
.. [2] Siegman AE (1986). Lasers. University Science Books, chapter 17
   (Gaussian beam propagation).
.. [3] Henriques FC, Moritz AR (1947). Studies of thermal injury: V. Am J
   Pathol 23(4):530-549 (Arrhenius damage integral).
"""

from dermalase.physics.column.dimensions import column_dimensions
from dermalase.physics.column.grid import ColumnGrid, make_column_grid
from dermalase.physics.column.solver import (
    DAMAGE_FLOOR_TEMPERATURE,
    LEDGER,
    ColumnSolution,
    solve_column,
)

__all__ = [
    "DAMAGE_FLOOR_TEMPERATURE",
    "LEDGER",
    "ColumnGrid",
    "ColumnSolution",
    "column_dimensions",
    "make_column_grid",
    "solve_column",
]
