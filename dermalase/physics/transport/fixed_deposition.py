"""A Monte Carlo light deposition mapped onto the bioheat solvers' grids.

At 1.4-2 um the light of a microbeam scatters before it is absorbed, so the
ray and Beer-Lambert models of :mod:`dermalase.physics.transport` no longer
say where it goes. This module runs the Monte Carlo engine
(:func:`~dermalase.physics.transport.monte_carlo.transport`) once for a beam
in a layered skin and hands the result to the solvers as a fixed source per
unit incident energy (a :class:`~dermalase.physics.transport.Deposition`):

- :func:`column_deposition`: A(r, z) of a Gaussian or top-hat microbeam on
  the r-z grid of the column solver (:mod:`dermalase.physics.column`), per
  joule of pulse energy;
- :func:`slab_deposition`: A(z) of a broad beam on the depth grid of the 1D
  solver (:mod:`dermalase.physics.heat`), per J/m^2 of fluence.

The map conserves energy. The Monte Carlo bins are uniform; the solver cells
are not. Both are related through the cumulative absorbed energy C(r, z), the
fraction absorbed within radius r and depth z, taken at the bin edges and
interpolated at the cell faces (linearly in r^2, i.e. uniform density across
a ring, and linearly in z). A cell receives
``C(r1, z1) - C(r0, z1) - C(r1, z0) + C(r0, z0)``: never negative, and the
cells sum to what the Monte Carlo absorbed inside the grid. What it absorbed
deeper than the grid is booked as transmitted, what it absorbed beyond the
grid's radius and what left the surface (specular and diffuse reflectance)
as escaped. Russian roulette's net weight (zero in the mean) is removed by
normalising the ledger to one.

Runs are cached (least recently used) by their inputs, so that a sweep over
energy or pulse duration at one wavelength, skin and beam traces its photons
once. The source stays fixed during a pulse: the fall of water absorption as
tissue heats (about a third lower at 100 degC near 1.9 um) and the crater of
an ablative pulse are not followed.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from typing import TYPE_CHECKING

import numpy as np

from dermalase.citations import Citation, register
from dermalase.physics.column.grid import ColumnGrid
from dermalase.physics.heat import Grid
from dermalase.physics.transport import Deposition
from dermalase.physics.transport.monte_carlo import LayeredTransport, transport

if TYPE_CHECKING:
    from dermalase.tissue.layer_stack import LayerStack
    from dermalase.tissue.layers import SkinModel

#: The Monte Carlo algorithm behind every deposition of this module.
WANG_1995 = register(
    Citation(
        key="Wang1995",
        status="peer-reviewed",
        authors="Wang L, Jacques SL, Zheng L",
        title="MCML - Monte Carlo modeling of light transport in multi-layered tissues",
        venue="Computer Methods and Programs in Biomedicine 47(2):131-146",
        year=1995,
        doi="10.1016/0169-2607(95)01640-F",
        note="The layered-tissue photon transport algorithm of the Monte Carlo engine.",
    )
)

#: Photons traced per run by default [-]: the column's coagulation edge moves
#: by well under a cell between seeds at this count (tested).
PHOTONS = 200_000

#: Largest Monte Carlo bin [m]: the bins are a tenth of the beam radius, but
#: no coarser than the column solver's fine cells need.
BIN_LIMIT = 10e-6

#: Most Monte Carlo bins per axis [-] (memory: 64 accumulators of nr x nz).
BINS_LIMIT = 400


@functools.lru_cache(maxsize=32)
def _traced(key: tuple) -> LayeredTransport:
    (n, mua, mus, g, thickness, n_above, n_below, beam, radius, photons, seed, dr, nr, dz, nz) = key
    return transport(
        np.array(n), np.array(mua), np.array(mus), np.array(g), np.array(thickness),
        n_above=n_above, n_below=n_below, photons=photons, seed=seed, beam=beam,
        beam_radius=radius, radial_bin=dr, radial_bins=nr, depth_bin=dz, depth_bins=nz,
    )  # fmt: skip


def trace(
    stack: LayerStack,
    *,
    beam: str,
    beam_radius: float,
    radial_bin: float,
    radial_bins: int,
    depth_bin: float,
    depth_bins: int,
    photons: int = PHOTONS,
    seed: int = 0,
) -> LayeredTransport:
    """Run (or recall) the Monte Carlo transport of one beam in a layer stack.

    Parameters
    ----------
    stack : LayerStack
        Optical layers [SI] (:mod:`dermalase.tissue.layer_stack`).
    beam : {"pencil", "gaussian", "top_hat"}
        Source profile.
    beam_radius : float
        1/e^2 radius of a Gaussian, radius of a top hat [m].
    radial_bin, depth_bin : float
        Bin widths [m].
    radial_bins, depth_bins : int
        Bin counts [-].
    photons : int
        Packets [-].
    seed : int
        Seed of the random streams.

    Returns
    -------
    LayeredTransport
        Cached: the same inputs return the same object.
    """
    key = (
        tuple(stack.refractive_index.tolist()),
        tuple(stack.absorption_coefficient.tolist()),
        tuple(stack.scattering_coefficient.tolist()),
        tuple(stack.anisotropy.tolist()),
        tuple(stack.thickness.tolist()),
        float(stack.n_above),
        float(stack.n_below),
        beam,
        float(beam_radius),
        int(photons),
        int(seed),
        float(radial_bin),
        int(radial_bins),
        float(depth_bin),
        int(depth_bins),
    )
    return _traced(key)


def cumulative_absorbed(run: LayeredTransport) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fraction absorbed within each radius and depth edge of a run.

    The last bin of each axis of a run also holds what lies beyond it, so
    only the edges before it are exact and returned.

    Parameters
    ----------
    run : LayeredTransport
        A Monte Carlo result.

    Returns
    -------
    radial_edges, depth_edges : numpy.ndarray
        Edges [m], from 0 to the start of the last bin.
    cumulative : numpy.ndarray
        C[a, b], the fraction of the incident energy absorbed within radius
        ``radial_edges[a]`` and depth ``depth_edges[b]`` [-].
    """
    r_edges = run.radial_edges
    z_edges = run.depth_edges
    ring = np.pi * np.diff(r_edges**2)
    energy = run.absorbed_rz * ring[:, None] * np.diff(z_edges)[None, :]
    cumulative = np.zeros((r_edges.size - 1, z_edges.size - 1))
    cumulative[1:, 1:] = np.cumsum(np.cumsum(energy[:-1, :-1], axis=0), axis=1)
    return r_edges[:-1], z_edges[:-1], cumulative


def _on_faces(edges, values, faces, square: bool) -> np.ndarray:
    """Interpolate a cumulative along its first axis at ``faces`` (linear in r^2 if ``square``)."""
    x = edges**2 if square else edges
    xf = np.minimum(faces, edges[-1])
    xf = xf**2 if square else xf
    return np.stack([np.interp(xf, x, column) for column in values.T], axis=1)


def column_bins(
    beam_radius: float, outer_radius: float, depth: float
) -> tuple[float, int, float, int]:
    """Monte Carlo bins for a microbeam on a column grid.

    Parameters
    ----------
    beam_radius : float
        Beam radius [m].
    outer_radius, depth : float
        Extent of the solver grid [m].

    Returns
    -------
    radial_bin : float
        A tenth of the beam radius, at most :data:`BIN_LIMIT` [m].
    radial_bins : int
        Enough to pass the grid's radius by one bin (at most
        :data:`BINS_LIMIT`) [-].
    depth_bin : float
        The radial bin, or coarser where the grid is deeper than
        :data:`BINS_LIMIT` of them [m].
    depth_bins : int
        Enough to pass the grid's depth by one bin [-].
    """
    dr = min(beam_radius / 10.0, BIN_LIMIT)
    nr = min(math.ceil(outer_radius / dr) + 2, BINS_LIMIT)
    dz = max(min(BIN_LIMIT, dr), depth / (BINS_LIMIT - 2))
    nz = min(math.ceil(depth / dz) + 2, BINS_LIMIT)
    return dr, nr, dz, nz


def column_deposition(
    stack: LayerStack,
    grid: ColumnGrid,
    beam_radius: float,
    *,
    beam: str = "gaussian",
    photons: int = PHOTONS,
    seed: int = 0,
) -> Deposition:
    """Monte Carlo deposition of one microbeam on the column solver's grid, per joule.

    Parameters
    ----------
    stack : LayerStack
        Optical layers of the skin [SI].
    grid : ColumnGrid
        The solver's r-z grid [m].
    beam_radius : float
        1/e^2 radius of a Gaussian beam or radius of a top hat at the skin
        surface [m] (the beam enters at normal incidence, unfocused).
    beam : {"gaussian", "top_hat"}
        Irradiance profile.
    photons : int
        Packets traced [-].
    seed : int
        Seed of the random streams.

    Returns
    -------
    Deposition
        ``absorbed``: energy per volume of each cell per joule of pulse energy
        [1/m^3], shape (depth, radius); ``transmitted``: fraction absorbed
        deeper than the grid or transmitted [-]; ``escaped``: fraction
        reflected (specular and diffuse) or absorbed beyond the grid's
        radius [-]. The three close to one.

    Examples
    --------
    >>> from dermalase.physics.column import make_column_grid
    >>> from dermalase.tissue.layer_stack import from_area
    >>> grid = make_column_grid(5e-6, 200e-6, 1.2e-3, 5e-6, 600e-6, 2e-3)
    >>> out = column_deposition(from_area("cheek", 1550e-9), grid, 50e-6, photons=20_000)
    >>> total = (out.absorbed * grid.volume).sum() + out.transmitted + out.escaped
    >>> round(float(total), 9)
    1.0
    """
    r_faces = grid.radial.faces
    z_faces = grid.axial.faces
    dr, nr, dz, nz = column_bins(beam_radius, r_faces[-1], z_faces[-1])
    run = trace(
        stack, beam=beam, beam_radius=beam_radius, radial_bin=dr, radial_bins=nr,
        depth_bin=dz, depth_bins=nz, photons=photons, seed=seed,
    )  # fmt: skip
    r_edges, z_edges, cumulative = cumulative_absorbed(run)
    # the whole absorbed energy within a radius, at every depth edge and beyond
    beyond_depth = run.absorbed_rz * (np.pi * np.diff(run.radial_edges**2))[:, None]
    beyond_depth = beyond_depth * np.diff(run.depth_edges)[None, :]
    total = float(beyond_depth.sum())
    on_r = _on_faces(r_edges, cumulative, r_faces, square=True)  # (faces_r, edges_z)
    on_rz = _on_faces(z_edges, on_r.T, z_faces, square=False)  # (faces_z, faces_r)
    cells = np.diff(np.diff(on_rz, axis=0), axis=1)
    cells = np.maximum(cells, 0.0)
    # absorbed deeper than the grid (within any radius) is transmitted
    depth_cumulative = np.concatenate(([0.0], np.cumsum(beyond_depth.sum(axis=0)[:-1])))
    within_depth = float(np.interp(min(z_faces[-1], z_edges[-1]), z_edges, depth_cumulative))
    deeper = total - within_depth
    ledger = 1.0 + run.roulette_gain
    inside = float(cells.sum())
    transmitted = (run.transmittance + deeper) / ledger
    escaped = 1.0 - inside / ledger - transmitted
    return Deposition(
        absorbed=cells / ledger / grid.volume, transmitted=transmitted, escaped=escaped
    )


def slab_deposition(
    stack: LayerStack, grid: Grid, *, photons: int = PHOTONS, seed: int = 0
) -> Deposition:
    """Monte Carlo A(z) of a broad uniform beam on the 1D solver's grid, per J/m^2.

    A pencil beam's absorption integrated over radius is, by translation
    invariance, the depth profile of a uniform beam of infinite extent per
    unit fluence; so one pencil run gives A(z).

    Parameters
    ----------
    stack : LayerStack
        Optical layers of the skin [SI].
    grid : Grid
        The solver's cells in depth [m].
    photons : int
        Packets traced [-].
    seed : int
        Seed of the random streams.

    Returns
    -------
    Deposition
        ``absorbed``: energy per volume of each cell per unit incident
        fluence [1/m]; ``transmitted``: fraction absorbed below the grid or
        transmitted [-]; ``escaped``: fraction reflected [-]. The three
        close to one.
    """
    faces = grid.faces
    dz = max(min(BIN_LIMIT, float(grid.widths.min())), faces[-1] / (BINS_LIMIT - 2))
    nz = min(math.ceil(faces[-1] / dz) + 2, BINS_LIMIT)
    run = trace(
        stack, beam="pencil", beam_radius=0.0, radial_bin=1.0, radial_bins=1,
        depth_bin=dz, depth_bins=nz, photons=photons, seed=seed,
    )  # fmt: skip
    per_depth = run.absorbed_depth * dz
    edges = run.depth_edges[:-1]
    cumulative = np.concatenate(([0.0], np.cumsum(per_depth[:-1])))
    on_faces = np.interp(np.minimum(faces, edges[-1]), edges, cumulative)
    cells = np.maximum(np.diff(on_faces), 0.0)
    ledger = 1.0 + run.roulette_gain
    escaped = (run.specular_reflectance + run.diffuse_reflectance) / ledger
    transmitted = 1.0 - escaped - float(cells.sum()) / ledger
    return Deposition(
        absorbed=cells / ledger / grid.widths, transmitted=transmitted, escaped=escaped
    )


def with_water_bleaching(
    deposition: Deposition,
    skin: SkinModel,
    wavelength: float,
    depth: np.ndarray,
    skin_type: int | str = 2,
) -> Deposition:
    """A deposition whose cells absorb less as their water boils off.

    At 1.3-2.1 um water is the main absorber of skin: tissue that dries
    absorbs less and passes the light on, which keeps a non-ablative zone
    from boiling at its top and carries it deeper. Hot water absorbs less
    too: a third less at 100 degC than at 20 degC near 2 um (Lange et al.
    2002; :mod:`dermalase.tissue.parameters.lange2002`, applied at these
    lines as an assumption). The deposition is given
    each grid row's absorption coefficient split into its water part and the
    rest (melanin, blood, lipid), from the same optics library the Monte
    Carlo run used, so the solver can scale the water part by the water left.

    Parameters
    ----------
    deposition : Deposition
        A fixed deposition on a solver grid (:func:`column_deposition`).
    skin : SkinModel
        The layered skin it was traced in.
    wavelength : float
        Vacuum wavelength [m].
    depth : numpy.ndarray
        Depth of each grid row's centre [m].
    skin_type : int or str
        Fitzpatrick type (epidermal melanin).

    Returns
    -------
    Deposition
        The same deposition with ``water_absorption`` and
        ``other_absorption`` per row [1/m] and ``water_thermal_slope`` [1/K].
    """
    from dermalase.tissue.parameters import lange2002
    from dermalase.tissue.skin_optics import layer_optics

    layers = layer_optics(skin, wavelength, skin_type)
    water = np.array([layer.absorption_by_chromophore.get("water", 0.0) for layer in layers])
    total = np.array([layer.absorption_coefficient for layer in layers])
    index = skin.layer_index_at(np.asarray(depth, float))
    return dataclasses.replace(
        deposition,
        water_absorption=water[index],
        other_absorption=(total - water)[index],
        water_thermal_slope=lange2002.relative_slope,
    )
