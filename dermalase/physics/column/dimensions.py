"""Measure a fractional column from its maps: crater depth and diameter, coagulation cuff, MTZ.

The solver (:mod:`dermalase.physics.column.solver`) leaves which cells were
ablated and the Arrhenius damage integral of those that remain; this module
reads the clinical dimensions off them.
"""

from __future__ import annotations

import numpy as np

from dermalase.physics.column.grid import ColumnGrid


def _crater_edge(removed_row: np.ndarray) -> int:
    """Number of void cells contiguous from the axis in one row."""
    tissue = np.flatnonzero(~removed_row)
    return int(tissue[0]) if tissue.size else removed_row.size


def _coagulated_extent(centres, damage, face: float, threshold: float) -> float:
    """Distance from ``face`` to where the damage integral falls through ``threshold`` [m].

    ``damage`` runs outward from the first tissue cell beyond ``face``; the
    crossing is interpolated in log(Omega) between the centres of the last
    coagulated and the first intact cell, so that the extent varies smoothly
    with the dose instead of in whole cells.
    """
    above = damage >= threshold
    if not above.size or not above[0]:
        return 0.0
    intact = np.flatnonzero(~above)
    if not intact.size:
        return float(centres[-1] - face)
    n = int(intact[0])
    log_in = np.log(max(damage[n - 1], 1e-300))
    log_out = np.log(max(damage[n], 1e-300))
    log_threshold = np.log(threshold)
    fraction = (log_in - log_threshold) / max(log_in - log_out, 1e-300)
    return float(centres[n - 1] + fraction * (centres[n] - centres[n - 1]) - face)


def column_dimensions(grid: ColumnGrid, removed, damage, threshold: float = 1.0) -> dict:
    """Measure the column and its coagulation sleeve [m].

    Parameters
    ----------
    grid : ColumnGrid
        The grid [m].
    removed : numpy.ndarray of bool
        Ablated cells, shape (depth, radius).
    damage : numpy.ndarray
        Arrhenius integral per cell [-].
    threshold : float
        Damage integral that counts as coagulated [-].

    Returns
    -------
    dict
        ``ablation_depth``: original surface to the deepest point of the
        crater floor; ``ablation_diameter``: crater diameter at the surface;
        ``coagulation_depth``: from the deepest floor point to the deepest
        coagulated point;
        ``coagulation_cuff``: coagulated sleeve around the wall at half the
        ablation depth (below the surface when nothing is ablated);
        ``mtz_diameter``: widest diameter of crater plus sleeve;
        ``total_depth``: ablation plus coagulation depth. All [m]. Crater
        walls are resolved to whole cells; the edge of the coagulated tissue
        is interpolated between cell centres.
    """
    removed = np.asarray(removed, bool)
    damage = np.where(removed, 0.0, np.asarray(damage, float))
    z_faces = grid.axial.faces
    r_faces = grid.radial.faces
    z_centres, r_centres = grid.z, grid.r
    n_z, _ = removed.shape
    # depth of the void contiguous from the surface in each radial column
    tissue_rows = np.where(~removed, np.arange(n_z)[:, None], n_z)
    floor = np.minimum(tissue_rows.min(axis=0), n_z - 1)
    ablation_depth = float(z_faces[floor].max())
    # deepest coagulated point below any floor
    deepest_coagulated = max(
        z_faces[f] + _coagulated_extent(z_centres[f:], damage[f:, i], z_faces[f], threshold)
        for i, f in enumerate(floor)
    )
    coagulation_depth = max(float(deepest_coagulated) - ablation_depth, 0.0)

    def radii(j: int) -> tuple[float, float]:
        edge = _crater_edge(removed[j])
        crater = float(r_faces[edge])
        if edge >= r_centres.size:
            return crater, crater
        sleeve = _coagulated_extent(r_centres[edge:], damage[j, edge:], crater, threshold)
        return crater, crater + sleeve

    ablation_radius, _ = radii(0)
    j_middle = min(int(np.searchsorted(z_faces, 0.5 * ablation_depth, side="right")) - 1, n_z - 1)
    crater_mid, sleeve_mid = radii(max(j_middle, 0))
    total_depth = ablation_depth + coagulation_depth
    last = max(int(np.searchsorted(z_faces, total_depth, side="left")), 1)
    widest = max(radii(j)[1] for j in range(min(last, n_z)))
    return {
        "ablation_depth": ablation_depth,
        "ablation_diameter": 2.0 * ablation_radius,
        "coagulation_depth": coagulation_depth,
        "coagulation_cuff": sleeve_mid - crater_mid,
        "mtz_diameter": 2.0 * widest,
        "total_depth": total_depth,
    }
