"""The scan plan: the spot list in firing order with its duration, coverage and heating.

:class:`ScanPlan` is what :func:`dermalase.scanner.plan.scan_area` returns;
:meth:`ScanPlan.to_dict` is its summary in clinical units for the plan's JSON.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from dermalase import citations
from dermalase.constants import body_temperature, celsius_zero
from dermalase.devices import DeviceProfile
from dermalase.scanner import heating, pattern
from dermalase.scanner.areas import TreatmentArea
from dermalase.scanner.firing import FiringOrder
from dermalase.scanner.layout import Layout
from dermalase.scanner.residual_heat import ResidualHeat
from dermalase.scanner.settings import ScanSettings
from dermalase.tissue.parameters import cold_air
from dermalase.units import J_CM2_PER_J_M2, MJ_PER_J, MM_PER_M, UM_PER_M

#: Percent per unit fraction.
PERCENT = 100.0


@dataclass(frozen=True)
class ScanPlan:
    """The spot list in firing order with its duration, coverage and heating.

    Parameters
    ----------
    x, y : numpy.ndarray
        Spot centres in firing order [m].
    t : numpy.ndarray
        Firing times from the start of the treatment [s].
    pass_index : numpy.ndarray
        Pass of each spot.
    tile : numpy.ndarray
        Pattern tile of each spot (rank in visiting order).
    passes : int
        Number of passes.
    area_name : str
        Name of the area.
    area_cm2 : float
        Treatable area [cm^2].
    modality : str
        ``"full_field"`` or ``"fractional"``.
    spot_diameter : float
        Beam spot diameter [m]: the full-field spot, or the fractional
        microbeam.
    zone_diameter : float
        Diameter of the zone each spot treats [m], the one laid out and
        counted in the coverage: the spot (full field) or the microscopic
        treatment zone (fractional), which may be wider than its microbeam.
    coverage_percent : float
        Achieved coverage per pass [%]; full field: area cells hit by a spot.
    fluence : float or None
        Fluence per pulse, mean over the spot [J/m^2] (full field).
    energy_per_spot : float or None
        Pulse or microbeam energy [J].
    heat_per_spot : float
        Residual heat per spot used by the heating model [J].
    heat_model : str
        How the residual heat was found.
    fluence_min_factor, fluence_max_factor : float or None
        Local fluence range of one pass in the gap-free interior, in single-spot
        fluences [-] (full field).
    repetition_rate : float
        Pulse repetition rate [Hz].
    scanner_speed : float
        Beam speed between spots [m/s].
    pattern_shape : str
        Pattern tile shape.
    pattern_size : float
        Pattern tile size, its widest extent [m].
    tiles : int
        Pattern tiles laid over all passes (one more than the moves per pass).
    firing_seconds, moving_seconds, setup_seconds : float
        Time firing, moving the handpiece between tiles, and setting up passes [s].
    treatment_minutes : float
        Duration with moves and pass setups [min].
    tile_moves : int
        Handpiece moves.
    window : float
        Thermal window of the spacing figure [s].
    time_horizon : float
        Oldest heat counted in the temperature figure [s].
    min_spacing_within_window_mm : float
        Smallest distance between spots fired within the thermal window [mm].
    max_bulk_temperature_rise_c : float
        Peak bulk temperature rise before a spot fires [degC, as a difference].
    raster_min_spacing_within_window_mm, raster_max_bulk_temperature_rise_c : float
        The same two figures for the raster order of the same spots.
    heat_forward_model : str or None
        The forward model whose energy ledger gave the residual heat.
    spot_peak_temperature : float or None
        Highest temperature one spot alone brings the remaining tissue to [K]
        (the same forward call); None without one.
    chilled_air : bool
        Whether the plan prescribes forced chilled-air cooling.
    heat_transfer_coefficient : float
        Heat-transfer coefficient of the chilled air [W/(m^2 K)].
    cooled_max_bulk_temperature_rise_c : float
        Peak bulk rise of the order with chilled air on the surface [degC, as a
        difference].
    order : str
        Firing order.
    device : str or None
        Device profile name.
    sources : tuple of str
        Citation keys relied on.
    fluence_map : FluenceMap or None
        The full-field fluence raster of one pass (for figures).
    cooled_spot_peak_temperature : float or None
        :attr:`spot_peak_temperature` on skin precooled by chilled air [K]
        (:class:`~dermalase.scanner.residual_heat.ResidualHeat`).
    spot_ablates : bool
        Whether a spot removes tissue: its epidermal peak is then the
        ablation front's, which cooling does not lower.
    """

    x: np.ndarray
    y: np.ndarray
    t: np.ndarray
    pass_index: np.ndarray
    tile: np.ndarray
    passes: int
    area_name: str
    area_cm2: float
    modality: str
    spot_diameter: float
    zone_diameter: float
    coverage_percent: float
    fluence: float | None
    energy_per_spot: float | None
    heat_per_spot: float
    heat_model: str
    fluence_min_factor: float | None
    fluence_max_factor: float | None
    repetition_rate: float
    scanner_speed: float
    pattern_shape: str
    pattern_size: float
    tiles: int
    firing_seconds: float
    moving_seconds: float
    setup_seconds: float
    treatment_minutes: float
    tile_moves: int
    window: float
    time_horizon: float
    min_spacing_within_window_mm: float
    max_bulk_temperature_rise_c: float
    raster_min_spacing_within_window_mm: float
    raster_max_bulk_temperature_rise_c: float
    heat_forward_model: str | None
    spot_peak_temperature: float | None
    chilled_air: bool
    heat_transfer_coefficient: float
    cooled_max_bulk_temperature_rise_c: float
    order: str
    device: str | None
    sources: tuple[str, ...]
    fluence_map: pattern.FluenceMap | None = field(default=None, repr=False, compare=False)
    cooled_spot_peak_temperature: float | None = None
    spot_ablates: bool = False

    @property
    def spots(self) -> int:
        """Number of spots over all passes."""
        return int(self.x.size)

    @classmethod
    def assemble(
        cls,
        area: TreatmentArea,
        settings: ScanSettings,
        heat: ResidualHeat,
        layout: Layout,
        firing: FiringOrder,
        device: DeviceProfile | None,
        sources: tuple[str, ...],
        *,
        chilled_air: bool = True,
    ) -> ScanPlan:
        """The plan of a scan from its parts, in the units the plan keeps.

        Parameters
        ----------
        area : TreatmentArea
            The area scanned.
        settings : ScanSettings
            The settings after defaults and device checks.
        heat : ResidualHeat
            Residual heat per spot.
        layout : Layout
            The zones laid, their coverage and the full-field fluence map.
        firing : FiringOrder
            The firing order, its timing and heat figures.
        device : DeviceProfile or None
            The laser, for its name.
        sources : tuple of str
            Citation keys relied on.
        chilled_air : bool
            Whether the plan prescribes forced chilled-air cooling.

        Returns
        -------
        ScanPlan
        """
        spots, sequence, times = layout.pattern, firing.sequence, firing.times
        fluence_map = layout.fluence_map
        return cls(
            x=spots.x[sequence],
            y=spots.y[sequence],
            t=times.t,
            pass_index=spots.pass_index[sequence],
            tile=firing.tiles[sequence],
            passes=spots.passes,
            area_name=area.name,
            area_cm2=area.area_cm2,
            modality=settings.modality,
            spot_diameter=settings.spot_diameter,
            zone_diameter=settings.zone_diameter,
            coverage_percent=layout.covered_fraction * PERCENT,
            fluence=settings.fluence,
            energy_per_spot=settings.energy,
            heat_per_spot=heat.per_spot,
            heat_model=heat.model,
            fluence_min_factor=None if fluence_map is None else fluence_map.min_factor,
            fluence_max_factor=None if fluence_map is None else fluence_map.max_factor,
            repetition_rate=settings.repetition_rate,
            scanner_speed=settings.scanner_speed,
            pattern_shape=settings.pattern_shape,
            pattern_size=settings.pattern_size,
            tiles=times.tile_moves + spots.passes,
            firing_seconds=times.firing_seconds,
            moving_seconds=times.moving_seconds,
            setup_seconds=times.setup_seconds,
            treatment_minutes=times.minutes,
            tile_moves=times.tile_moves,
            window=firing.figures.window,
            time_horizon=firing.figures.time_horizon,
            min_spacing_within_window_mm=firing.figures.min_spacing * MM_PER_M,
            max_bulk_temperature_rise_c=firing.figures.peak_rise,
            raster_min_spacing_within_window_mm=firing.raster_figures.min_spacing * MM_PER_M,
            raster_max_bulk_temperature_rise_c=firing.raster_figures.peak_rise,
            heat_forward_model=heat.forward_model,
            spot_peak_temperature=heat.spot_peak_temperature,
            chilled_air=chilled_air,
            heat_transfer_coefficient=firing.heat_transfer_coefficient,
            cooled_max_bulk_temperature_rise_c=firing.cooled_figures.peak_rise,
            order=firing.order,
            device=None if device is None else device.name,
            sources=sources,
            fluence_map=fluence_map,
            cooled_spot_peak_temperature=heat.cooled_spot_peak_temperature,
            spot_ablates=heat.spot_ablates,
        )

    def _fluence_j_cm2(self, factor: float | None) -> float | None:
        if factor is None or self.fluence is None or math.isnan(factor):
            return None
        return round(factor * self.fluence * J_CM2_PER_J_M2, 3)

    def versus_raster(self) -> heating.OrderComparison:
        """How much this order improves on the raster order of the same spots."""
        mine = heating.HeatFigures(
            self.min_spacing_within_window_mm, self.max_bulk_temperature_rise_c, self.window
        )
        raster = heating.HeatFigures(
            self.raster_min_spacing_within_window_mm,
            self.raster_max_bulk_temperature_rise_c,
            self.window,
        )
        return heating.compare_figures(mine, raster)

    def epidermal_peak_c(self, cooled: bool) -> float | None:
        """Epidermal peak temperature of the scan [degC]; None without a forward peak.

        The single-spot epidermal peak of the forward model plus the largest
        bulk rise just before a spot fires; with chilled air, the spot's peak
        on precooled skin plus the bulk rise with the air on the surface.
        """
        peak = self.cooled_spot_peak_temperature if cooled else self.spot_peak_temperature
        if peak is None:
            return None
        return peak - celsius_zero + self._bulk_rise(cooled)

    def skin_before_spot_c(self, cooled: bool) -> float:
        """Skin temperature at a spot just before it fires [degC], its largest over the scan.

        The skin's starting temperature (body temperature, or that held by
        chilled air) plus the largest bulk rise the heat of earlier spots
        brings: the temperature the skin between spots reaches.
        """
        start = cold_air.precooled_skin_temperature if cooled else body_temperature
        return start - celsius_zero + self._bulk_rise(cooled)

    def _bulk_rise(self, cooled: bool) -> float:
        return (
            self.cooled_max_bulk_temperature_rise_c if cooled else self.max_bulk_temperature_rise_c
        )

    def heating_summary(self) -> dict:
        """The residual heat, the cooling and the epidermal peak, in clinical units.

        Returns
        -------
        dict
            ``residual_heat`` (per spot [mJ], share of the pulse, model and
            forward model), ``cooling`` (chilled air prescribed, heat-transfer
            coefficient [W/(m^2 K)], cooled peak bulk rise [degC]) and
            ``epidermal_peak_temperature_c`` (single spot, without and with
            cooling, the one that applies to this plan, and whether the
            ablation front sets it) and ``skin_before_spot_c`` (the skin
            between spots, without and with cooling, and the one that
            applies).
        """
        share = self.heat_per_spot / self.energy_per_spot if self.energy_per_spot else None
        without = self.epidermal_peak_c(cooled=False)
        with_air = self.epidermal_peak_c(cooled=True)
        return {
            "residual_heat": {
                "per_spot_mj": round(self.heat_per_spot * MJ_PER_J, 5),
                "fraction_of_pulse": None if share is None else round(share, 4),
                "model": self.heat_model,
                "forward_model": self.heat_forward_model,
            },
            "cooling": {
                "chilled_air": self.chilled_air,
                "heat_transfer_coefficient_w_m2k": round(self.heat_transfer_coefficient, 1),
                "max_bulk_temperature_rise_c": round(self.cooled_max_bulk_temperature_rise_c, 3),
                "skin_temperature_c": round(cold_air.precooled_skin_temperature - celsius_zero, 2),
            },
            "epidermal_peak_temperature_c": {
                "single_spot_c": _rounded(
                    None
                    if self.spot_peak_temperature is None
                    else self.spot_peak_temperature - celsius_zero,
                    1.0,
                    2,
                ),
                "without_cooling_c": _rounded(without, 1.0, 2),
                "with_cooling_c": _rounded(with_air, 1.0, 2),
                "applies_c": _rounded(with_air if self.chilled_air else without, 1.0, 2),
                "set_by_ablation_front": self.spot_ablates,
            },
            "skin_before_spot_c": {
                "without_cooling_c": round(self.skin_before_spot_c(cooled=False), 2),
                "with_cooling_c": round(self.skin_before_spot_c(cooled=True), 2),
                "applies_c": round(self.skin_before_spot_c(cooled=self.chilled_air), 2),
            },
        }

    def to_dict(self) -> dict:
        """Summary in clinical units for JSON output (infinite spacing becomes ``None``).

        Returns
        -------
        dict
            ``area_cm2``, ``spots``, ``passes``, ``coverage_percent``,
            ``fluence_min_j_cm2`` and ``fluence_max_j_cm2`` (local fluence of one
            full-field pass; ``None`` for fractional), ``firing_seconds``,
            ``treatment_minutes``, ``min_spacing_within_window_mm``,
            ``max_bulk_temperature_rise_c``, ``order``, ``versus_raster`` (the
            same figures for the raster order and the improvement), the
            residual heat, cooling and epidermal peak (:meth:`heating_summary`),
            and the settings, timing and sources behind them.
        """
        comparison = self.versus_raster()
        return {
            "area": self.area_name,
            "area_cm2": round(self.area_cm2, 2),
            "modality": self.modality,
            "device": self.device,
            "spot_diameter_um": round(self.spot_diameter * UM_PER_M, 1),
            "zone_diameter_um": round(self.zone_diameter * UM_PER_M, 1),
            "spots": self.spots,
            "passes": self.passes,
            "coverage_percent": round(self.coverage_percent, 2),
            "fluence_j_cm2": _rounded(self.fluence, J_CM2_PER_J_M2, 3),
            "fluence_min_j_cm2": self._fluence_j_cm2(self.fluence_min_factor),
            "fluence_max_j_cm2": self._fluence_j_cm2(self.fluence_max_factor),
            "fluence_min_factor": _rounded(self.fluence_min_factor, 1.0, 4),
            "fluence_max_factor": _rounded(self.fluence_max_factor, 1.0, 4),
            "energy_per_spot_mj": _rounded(self.energy_per_spot, MJ_PER_J, 4),
            "residual_heat_per_spot_mj": _rounded(self.heat_per_spot, MJ_PER_J, 4),
            "heat_model": self.heat_model,
            **self.heating_summary(),
            "repetition_rate_hz": round(self.repetition_rate, 3),
            "scanner_speed_mm_s": round(self.scanner_speed * MM_PER_M, 1),
            "pattern_shape": self.pattern_shape,
            "pattern_size_mm": round(self.pattern_size * MM_PER_M, 2),
            "tiles": self.tiles,
            "tile_moves": self.tile_moves,
            "firing_seconds": round(self.firing_seconds, 2),
            "moving_seconds": round(self.moving_seconds, 2),
            "setup_seconds": round(self.setup_seconds, 2),
            "treatment_minutes": round(self.treatment_minutes, 2),
            "thermal_window_s": round(self.window, 4),
            "heat_horizon_s": round(self.time_horizon, 3),
            "min_spacing_within_window_mm": _spacing(self.min_spacing_within_window_mm),
            "max_bulk_temperature_rise_c": round(self.max_bulk_temperature_rise_c, 3),
            "order": self.order,
            "versus_raster": {
                "raster_min_spacing_within_window_mm": _spacing(
                    self.raster_min_spacing_within_window_mm
                ),
                "raster_max_bulk_temperature_rise_c": round(
                    self.raster_max_bulk_temperature_rise_c, 3
                ),
                "spacing_ratio": None
                if math.isinf(comparison.spacing_ratio)
                else round(comparison.spacing_ratio, 4),
                "temperature_reduction_c": round(comparison.temperature_reduction, 3),
                "temperature_ratio": round(comparison.temperature_ratio, 4),
            },
            "sources": citations.format_sources(self.sources),
        }


def _rounded(value: float | None, scale: float, digits: int) -> float | None:
    if value is None or math.isnan(value):
        return None
    return round(value * scale, digits)


def _spacing(value_mm: float) -> float | None:
    return None if math.isinf(value_mm) else round(value_mm, 4)
