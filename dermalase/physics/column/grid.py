"""Axisymmetric finite-volume grid of one fractional column (rings in radius, rows in depth)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dermalase.physics.heat import Grid, make_grid


@dataclass(frozen=True)
class ColumnGrid:
    """Axisymmetric finite-volume grid.

    Parameters
    ----------
    radial : Grid
        Cell faces in radius from the beam axis [m], ``faces[0] == 0``.
    axial : Grid
        Cell faces in depth below the original surface [m], ``faces[0] == 0``.
    """

    radial: Grid
    axial: Grid

    @property
    def r(self) -> np.ndarray:
        """Radius of the cell centres [m]."""
        return self.radial.centres

    @property
    def z(self) -> np.ndarray:
        """Depth of the cell centres [m]."""
        return self.axial.centres

    @property
    def shape(self) -> tuple[int, int]:
        """Number of cells (depth, radius)."""
        return self.axial.widths.size, self.radial.widths.size

    @property
    def ring_area(self) -> np.ndarray:
        """Area of each radial ring seen from above [m^2]."""
        faces = self.radial.faces
        return np.pi * (faces[1:] ** 2 - faces[:-1] ** 2)

    @property
    def volume(self) -> np.ndarray:
        """Cell volumes [m^3], shape (depth, radius)."""
        return self.axial.widths[:, None] * self.ring_area[None, :]


def make_column_grid(
    radial_spacing: float,
    fine_radius: float,
    outer_radius: float,
    axial_spacing: float,
    fine_depth: float,
    total_depth: float,
    growth: float = 1.12,
) -> ColumnGrid:
    """Uniform fine cells around the beam and near the surface, then growing cells.

    Parameters
    ----------
    radial_spacing : float
        Width of the fine rings [m].
    fine_radius : float
        Radius covered by fine rings [m]; it must hold the crater and its
        coagulation sleeve.
    outer_radius : float
        Radius of the domain [m].
    axial_spacing : float
        Height of the fine cells [m].
    fine_depth : float
        Depth covered by fine cells [m]; it must hold the column and the
        coagulation below it.
    total_depth : float
        Depth of the domain [m].
    growth : float
        Ratio of neighbouring cell widths outside the fine zones [-].

    Returns
    -------
    ColumnGrid
    """
    radial = make_grid(fine_radius, radial_spacing, outer_radius, growth=growth, max_spacing=200e-6)
    axial = make_grid(fine_depth, axial_spacing, total_depth, growth=growth, max_spacing=100e-6)
    return ColumnGrid(radial, axial)
