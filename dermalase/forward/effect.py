"""The result of every forward model: what the pulses did to the skin.

One type for full field and for fractional columns, in SI units. A full-field
spot is a 1D result (depths only; the maps are profiles over depth); a
fractional column is a 2D axisymmetric result that also has diameters and a
coagulation sleeve. Both carry the solver output (:attr:`TissueEffect.solution`)
so that a figure draws exactly the effect whose numbers a table shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dermalase import citations
from dermalase.physics.column import ColumnSolution
from dermalase.physics.heat import HeatSolution
from dermalase.tissue.layers import SkinModel
from dermalase.units import clinical_mapping

#: Rounding of the full-field summary where it is finer than the glossary's [decimals].
_FULL_FIELD_DECIMALS = {
    "ablation_depth": 2,
    "coagulation_depth": 2,
    "total_depth": 2,
    "depth_after_pulse": 2,
}
#: Rounding of the column summary where it is finer than the glossary's [decimals].
_FRACTIONAL_DECIMALS = {"energy": 4, "spot_diameter": 2, "pulse_duration": 3}

#: Modalities a tissue effect can describe.
MODALITIES = ("full_field", "fractional")


@dataclass(frozen=True)
class TissueEffect:
    """What the pulses did to the skin of one spot (full field) or one column (fractional).

    Attributes
    ----------
    modality : str
        ``"full_field"`` or ``"fractional"``.
    model : str
        Name of the forward model that computed it
        (:data:`dermalase.forward.models.FORWARD_MODELS`).
    ablation_depth : float
        Original surface to the crater or column floor [m].
    coagulation_depth : float
        Coagulated (Omega >= 1) layer below the floor [m].
    total_depth : float
        Deepest coagulated or ablated tissue below the original surface [m].
    peak_temperature : float
        Highest temperature reached by tissue that the pulses left in place
        [K], the desiccated layer wiped off after the last pass included (NaN
        when the model keeps no temperatures, as a response table).
    epidermal_peak_temperature : float
        Highest temperature reached by epidermis that remains (stratum
        corneum and viable epidermis, cells whose centre lies above the
        epidermis's bottom) [K]; NaN where no epidermis remains (ablation
        through it) or the model keeps no temperatures. The scanner's
        epidermal peak starts from it.
    char_thickness : float or None
        Charred tissue that remains: dry tissue that reached the char
        temperature (200 degC, Choi et al. 1998) and was not removed or wiped
        off, below the floor [m]; for a fractional column, on its axis. None
        when the model keeps no temperatures (a response table).
    layers_ablated : list of str
        Layers the crater or column reaches into.
    layers_reached : list of str
        Layers the ablation and the coagulation below it reach into.
    deepest_layer_coagulated : str or None
        Layer holding the bottom of the coagulated zone.
    exceeds_dermis : bool
        True when the effect reaches below the dermis.
    depth_after_pulse : numpy.ndarray
        Ablation depth after each pulse and the wipe that follows it, if any
        [m].
    regime : tuple of str
        Ablation regime of each pulse.
    ablation_diameter : float or None
        Column diameter at the surface [m] (fractional only).
    coagulation_cuff : float or None
        Coagulated sleeve around the column wall at half its depth [m]
        (fractional only).
    mtz_diameter : float or None
        Widest diameter of column plus sleeve, the microscopic treatment zone
        [m] (fractional only).
    after_pulse : tuple of dict
        Column dimensions after each stacked pulse [m], keys as the
        attributes above (fractional only; empty for full field).
    energy : dict
        Energy ledger: absorbed, stored, removed, lost at the surface and the
        bottom, carried by blood. Per unit area of the spot [J/m^2] for full
        field, per column [J] for fractional (:attr:`energy_per_area` says
        which).
    warnings : list of str
        Plain-language warnings about the result.
    sources : tuple of str
        Citation keys the result relied on.
    conditions : dict
        What was simulated, in SI: wavelength [m], pulse_duration [s], pulses,
        and fluence [J/m^2] or energy [J], spot_diameter [m] and beam.
    solution : HeatSolution or ColumnSolution or None
        The solver output with its maps, for figures; None for a response
        table.
    skin : SkinModel
        The skin model used.
    """

    modality: str
    model: str
    ablation_depth: float
    coagulation_depth: float
    total_depth: float
    peak_temperature: float
    layers_ablated: list[str]
    layers_reached: list[str]
    deepest_layer_coagulated: str | None
    exceeds_dermis: bool
    depth_after_pulse: np.ndarray
    regime: tuple[str, ...]
    energy: dict
    sources: tuple[str, ...]
    skin: SkinModel = field(repr=False)
    epidermal_peak_temperature: float = float("nan")
    char_thickness: float | None = None
    solution: HeatSolution | ColumnSolution | None = field(default=None, repr=False)
    ablation_diameter: float | None = None
    coagulation_cuff: float | None = None
    mtz_diameter: float | None = None
    after_pulse: tuple[dict, ...] = ()
    warnings: list[str] = field(default_factory=list)
    conditions: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        if self.modality not in MODALITIES:
            raise ValueError(f"modality {self.modality!r} is not one of {MODALITIES}")

    @property
    def fractional(self) -> bool:
        """True for a fractional column."""
        return self.modality == "fractional"

    @property
    def energy_per_area(self) -> bool:
        """True when :attr:`energy` is per unit area [J/m^2] (full field)."""
        return not self.fractional

    @property
    def has_maps(self) -> bool:
        """True when the solver output (temperatures, damage) is held."""
        return self.solution is not None

    @property
    def z(self) -> np.ndarray:
        """Depth of the map cells [m]."""
        if self.fractional:
            assert isinstance(self.solution, ColumnSolution)
            return self.solution.grid.z
        assert isinstance(self.solution, HeatSolution)
        return self.solution.grid.centres

    @property
    def r(self) -> np.ndarray | None:
        """Radius of the map cells [m]; None for full field."""
        if not self.fractional:
            return None
        assert isinstance(self.solution, ColumnSolution)
        return self.solution.grid.r

    @property
    def temperature_map(self) -> np.ndarray:
        """Peak temperature per cell [K], shape (z, r) or (z,); NaN where ablated."""
        if self.fractional:
            assert isinstance(self.solution, ColumnSolution)
            return self.solution.peak_temperature
        assert isinstance(self.solution, HeatSolution)
        removed = np.arange(self.solution.peak_temperature.size) < self.solution.surface_index
        return np.where(removed, np.nan, self.solution.peak_temperature)

    @property
    def damage_map(self) -> np.ndarray:
        """Arrhenius integral per cell [-], shape (z, r) or (z,); NaN where ablated."""
        if self.fractional:
            assert isinstance(self.solution, ColumnSolution)
            return np.where(self.solution.removed, np.nan, self.solution.damage)
        assert isinstance(self.solution, HeatSolution)
        removed = np.arange(self.solution.damage.size) < self.solution.surface_index
        return np.where(removed, np.nan, self.solution.damage)

    def to_dict(self) -> dict:
        """JSON-ready summary in clinical units (um, degC, J/cm^2 or mJ)."""
        balance = float(self.solution.energy_balance_error()) if self.solution is not None else None
        if not self.fractional:
            return clinical_mapping(
                {
                    "area": self.skin.area,
                    "spot_diameter": self.conditions.get("spot_diameter"),
                    "ablation_depth": self.ablation_depth,
                    "coagulation_depth": self.coagulation_depth,
                    "total_depth": self.total_depth,
                    "peak_temperature": self.peak_temperature,
                    "char_thickness": self.char_thickness,
                    "layers_ablated": self.layers_ablated,
                    "deepest_layer_coagulated": self.deepest_layer_coagulated,
                    "depth_after_pulse": [float(d) for d in self.depth_after_pulse],
                    "regime": sorted(set(self.regime)),
                    "areal_energy_ledger": self.energy,
                    "energy_balance_error": balance,
                    "sources": citations.format_sources(self.sources),
                },
                decimals=_FULL_FIELD_DECIMALS,
            )
        c = self.conditions
        return clinical_mapping(
            {
                "area": self.skin.area,
                "wavelength": c["wavelength"],
                "energy": c["energy"],
                "spot_diameter": c["spot_diameter"],
                "pulse_duration": c["pulse_duration"],
                "pulses": c["pulses"],
                "beam": c["beam"],
                "ablation_depth": self.ablation_depth,
                "ablation_diameter": self.ablation_diameter,
                "coagulation_depth": self.coagulation_depth,
                "total_depth": self.total_depth,
                "coagulation_cuff": self.coagulation_cuff,
                "mtz_diameter": self.mtz_diameter,
                "depth_after_pulse": [d["ablation_depth"] for d in self.after_pulse],
                "peak_temperature": self.peak_temperature,
                "char_thickness": self.char_thickness,
                "layers_reached": self.layers_reached,
                "exceeds_dermis": self.exceeds_dermis,
                "regime": self.regime[0],
                "energy_ledger": self.energy,
                "energy_balance_error": balance,
                "warnings": self.warnings,
                "sources": citations.format_sources(self.sources),
            },
            decimals=_FRACTIONAL_DECIMALS,
        )


def epidermal_peak(peak_temperature, depth, remaining, skin: SkinModel) -> float:
    """Highest peak temperature of the epidermis that remains [K].

    Parameters
    ----------
    peak_temperature : array_like
        Peak temperature per cell [K].
    depth : array_like
        Depth of each cell's centre below the original surface [m]
        (broadcast against ``peak_temperature``).
    remaining : array_like of bool
        Cells that remain (not ablated or wiped off).
    skin : SkinModel
        The skin, for the bottom of its epidermis.

    Returns
    -------
    float
        The maximum over remaining cells above the epidermis's bottom; NaN
        where none remains.
    """
    peak = np.asarray(peak_temperature, float)
    inside = np.asarray(remaining, bool) & (
        np.broadcast_to(np.asarray(depth, float), peak.shape) < skin.epidermis_thickness
    )
    return float(np.max(peak[inside])) if np.any(inside) else float("nan")
