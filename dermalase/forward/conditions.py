"""Conditions at the skin surface shared by every forward model.

Both the full-field (1D) and the column (2D axisymmetric) models lose heat
from the skin surface to the room air by convection; they take the same
coefficient and air temperature from here.
"""

from __future__ import annotations

from dermalase.constants import celsius_zero

#: Convection coefficient from skin to still room air [W/(m^2 K)] (natural
#: convection, order of magnitude; it barely matters over milliseconds).
SURFACE_HEAT_TRANSFER = 10.0

#: Room air temperature [K].
AIR_TEMPERATURE = celsius_zero + 22.0
