"""The device-neutral prescription: what the physician asks of the skin.

A :class:`Prescription` speaks in depths and coverage, never in joules: it is
what the planner decides for an area and what dosimetry turns into the
settings of one device (:mod:`dermalase.dosimetry`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from dermalase.exceptions import InputError
from dermalase.units import NM_PER_M, UM_PER_M, clinical_mapping

#: The two ways of laying the beam over the skin.
MODALITIES: tuple[Literal["full_field", "fractional"], ...] = ("full_field", "fractional")

#: Deepest column any bundled device is described as reaching [m]: deep
#: fractional Er:YAG columns to about 1.5 mm (physician answer on Sciton
#: ProFractional-XC, realself.com, secondary) — used only to reject typing
#: errors; device and area limits are checked by dosimetry and the rules.
_DEPTH_LIMIT = 4e-3


@dataclass(frozen=True)
class Prescription:
    """Depths and coverage asked for one treatment area.

    Parameters
    ----------
    area : str
        Anatomical area name (see :data:`dermalase.tissue.areas.AREAS`).
    modality : str
        ``"full_field"`` or ``"fractional"``.
    wavelength : float
        Laser wavelength [m].
    ablation_depth : float
        Tissue to remove, measured from the skin surface [m]. For fractional
        work, the depth of each column.
    coagulation_depth : float, default 0
        Coagulated (residual thermal damage) tissue wanted below the ablation
        floor [m]; 0 asks for as little as the pulses leave.
    coverage : float, default 1
        Fraction of the surface treated [-]: 1 for full field, the
        microscopic-treatment-zone coverage for fractional work.
    passes : int or None, default None
        Passes over the area; None lets dosimetry choose.
    spot_diameter : float or None, default None
        Wanted microbeam or spot diameter [m]; None lets dosimetry choose
        among the device's spots.

    Raises
    ------
    InputError
        When a field is outside its range; the message names the field.
    """

    area: str
    modality: str
    wavelength: float
    ablation_depth: float
    coagulation_depth: float = 0.0
    coverage: float = 1.0
    passes: int | None = None
    spot_diameter: float | None = None

    def __post_init__(self) -> None:
        if self.modality not in MODALITIES:
            raise InputError("modality", self.modality, "must be full_field or fractional")
        if not 1.3e-6 <= self.wavelength <= 11e-6:
            raise InputError(
                "wavelength", f"{self.wavelength * NM_PER_M:g} nm", "must be within 1300-11000 nm"
            )
        # zero ablation is a non-ablative prescription: coagulation only
        non_ablative = self.ablation_depth == 0.0 and self.coagulation_depth > 0.0
        if not (0.0 < self.ablation_depth <= _DEPTH_LIMIT or non_ablative):
            raise InputError(
                "ablation_depth",
                f"{self.ablation_depth * UM_PER_M:g} um",
                f"must be > 0 and <= {_DEPTH_LIMIT * UM_PER_M:g} um "
                "(0 only with a coagulation depth: non-ablative)",
            )
        if not 0.0 <= self.coagulation_depth <= _DEPTH_LIMIT:
            raise InputError(
                "coagulation_depth",
                f"{self.coagulation_depth * UM_PER_M:g} um",
                f"must be >= 0 and <= {_DEPTH_LIMIT * UM_PER_M:g} um",
            )
        if not 0.0 < self.coverage <= 1.0:
            raise InputError("coverage", f"{self.coverage * 100:g} %", "must be > 0 % and <= 100 %")
        if self.modality == "full_field" and self.coverage != 1.0:
            raise InputError(
                "coverage",
                f"{self.coverage * 100:g} %",
                "full-field work covers 100 %; use the fractional modality for less",
            )
        if self.passes is not None and not 1 <= self.passes <= 20:
            raise InputError("passes", self.passes, "must be between 1 and 20")
        if self.spot_diameter is not None and not 20e-6 <= self.spot_diameter <= 2e-3:
            raise InputError(
                "spot_diameter",
                f"{self.spot_diameter * UM_PER_M:g} um",
                "must be within 20-2000 um",
            )

    @property
    def total_depth(self) -> float:
        """Ablation plus coagulation depth [m]."""
        return self.ablation_depth + self.coagulation_depth

    def to_dict(self) -> dict:
        """Clinical-unit view for JSON output (µm, %, nm)."""
        return clinical_mapping(
            {
                "area": self.area,
                "modality": self.modality,
                "wavelength": self.wavelength,
                "ablation_depth": self.ablation_depth,
                "coagulation_depth": self.coagulation_depth,
                "coverage": self.coverage,
                "passes": self.passes,
                "spot_diameter": self.spot_diameter,
            }
        )
