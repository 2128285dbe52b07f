"""Beer-Lambert absorption down a layered slab, the full-field deposition model.

Light enters at the surface (the crater floor once tissue has left) and is
absorbed without scattering, ``F(z) = F0 exp(-integral mu_a dz)``: each cell
of height ``dz`` absorbs the fraction ``1 - exp(-mu_a dz)`` of the light that
reaches it. Scattering is negligible against water absorption at the
ablative mid-infrared lines (2.79, 2.94 and 10.6 um).

References
----------
.. [1] Vogel A, Venugopalan V (2003). Mechanisms of pulsed laser ablation of
   biological tissues. Chem Rev 103:577-644. doi:10.1021/cr010379n
   (section VII.A: the Beer-Lambert deposition of the blow-off model).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numba import cfunc, types

from dermalase.physics.transport import Deposition

if TYPE_CHECKING:
    from dermalase.physics.heat import Grid


@cfunc(types.float64(types.float64, types.float64), cache=True)
def cell_absorptance(absorption_coefficient, path_length):
    """Fraction of the light entering a cell absorbed in it [-].

    ``1 - exp(-mu_a L)`` for absorption coefficient ``mu_a`` [1/m] over the
    path ``L`` [m] through the cell.
    """
    return 1.0 - np.exp(-absorption_coefficient * path_length)


class BeerLambert:
    """One-dimensional Beer-Lambert deposition (no scattering, no reflection).

    Attributes
    ----------
    absorptance : numba cfunc
        :func:`cell_absorptance`, for the solver kernels.

    Examples
    --------
    1 J/cm^2 on water-rich tissue at 600 /cm: a third of it in the first 10 um.

    >>> import numpy as np
    >>> from dermalase.physics.heat import Grid
    >>> grid = Grid(np.linspace(0.0, 1e-3, 101))
    >>> out = BeerLambert().deposit(grid, np.full(100, 6e4), np.zeros(100, bool), 1e4)
    >>> round(float(out.absorbed[0] * 10e-6 / 1e4), 3)
    0.451
    """

    absorptance = cell_absorptance

    def deposit(self, grid: Grid, absorption, removed, incident) -> Deposition:
        """Deposit a fluence through the remaining tissue of a slab.

        Parameters
        ----------
        grid : Grid
            Cells in depth [m].
        absorption : array_like
            Absorption coefficient per cell [1/m].
        removed : array_like of bool
            Cells already ablated; light crosses them unattenuated.
        incident : float
            Fluence at the original surface [J/m^2] (or irradiance [W/m^2]).

        Returns
        -------
        Deposition
            ``absorbed`` per cell [J/m^3] (or [W/m^3]); ``transmitted``
            through the bottom [J/m^2]; ``escaped`` is zero (no scattering
            back out).
        """
        widths = grid.widths
        mu = np.where(np.asarray(removed, bool), 0.0, np.asarray(absorption, float))
        optical_depth = np.concatenate(([0.0], np.cumsum(mu * widths)))
        reaching = float(incident) * np.exp(-optical_depth)
        absorbed = -np.diff(reaching) / widths
        return Deposition(absorbed=absorbed, transmitted=float(reaching[-1]), escaped=0.0)
