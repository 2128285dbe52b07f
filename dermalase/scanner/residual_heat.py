"""Residual heat per spot: the energy a spot leaves in the tissue for the bulk-heating sum.

Given, a stated fraction of the spot energy, or found from the forward model's
energy balance: one spot (full field) or one microbeam column (fractional) of
the settings actually fired is simulated once (cached), and its ledger says
what stays in the skin after ablation and the plume. The residual is the heat
the skin still holds at the end of the simulated window plus what it conducted
on through the model's deep or outer boundary (``stored + bottom`` for full
field, per unit area, times the spot area; ``stored + boundary`` for a column):
the absorbed energy less what the ablation removed, what left through the
surface, and what blood carried away. Only the public ledger of the
:class:`~dermalase.forward.effect.TissueEffect` is read.

Without a wavelength and a pulse duration to simulate, the older estimates
stand: for full field the blow-off residual ``min(F, F_th)`` over the spot (the
ablation threshold of skin at the wavelength, :func:`ablation_threshold`), for
fractional all of the microbeam energy (an upper bound).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from dermalase.exceptions import InputError
from dermalase.forward.effect import TissueEffect
from dermalase.laser import LaserSettings
from dermalase.physics import ablation
from dermalase.scanner import heating
from dermalase.scanner.settings import ScanSettings
from dermalase.tissue import optics
from dermalase.tissue.parameters import cold_air, shori2000
from dermalase.units import J_CM2_PER_J_M2

#: Skin model of an area that is no anatomical area (a GeoJSON outline, the
#: whole face): the cheek, as the consultation maps the full face.
DEFAULT_SKIN_AREA = "cheek"
#: Ledger entries of heat conducted on into the skin beyond the model's domain:
#: the deep boundary of the 1D model, the outer boundary of the column model.
CONDUCTED_ON = ("bottom", "boundary")
#: Forward calls kept by the cache (one per distinct spot setting and skin).
CACHED_SPOTS = 64


@dataclass(frozen=True)
class ResidualHeat:
    """Residual heat per spot and how it was found.

    Parameters
    ----------
    per_spot : float
        Residual heat per spot [J].
    model : str
        How it was found, in words for the plan.
    sources : tuple of str
        Citation keys relied on.
    forward_model : str or None
        The forward model whose ledger gave it; None when it was given or estimated.
    spot_peak_temperature : float or None
        Highest temperature one spot alone brings the remaining epidermis to
        [K], from the same forward call; None without one, or where no
        epidermis remains.
    cooled_spot_peak_temperature : float or None
        The same on skin held under chilled air
        (:data:`~dermalase.tissue.parameters.cold_air.precooled_skin_temperature`)
        [K]. Where the spot ablates, the peak is that of the ablation front,
        which the boiling and decomposition temperatures pin, not the starting
        temperature: it is taken equal to :attr:`spot_peak_temperature`.
        None without a forward call at the spot's settings.
    spot_ablates : bool
        Whether the spot removes tissue (its epidermal peak is then the
        ablation front's).
    """

    per_spot: float
    model: str
    sources: tuple[str, ...]
    forward_model: str | None = None
    spot_peak_temperature: float | None = None
    cooled_spot_peak_temperature: float | None = None
    spot_ablates: bool = False


def ablation_threshold(wavelength: float) -> tuple[float, tuple[str, ...]]:
    """Blow-off ablation threshold of skin at a wavelength, and its sources.

    Parameters
    ----------
    wavelength : float
        Vacuum wavelength [m].

    Returns
    -------
    tuple
        Threshold fluence [J/m^2] (``e_abl / mu_a`` with the ablation
        parameters of :func:`dermalase.physics.ablation.parameters_for_wavelength`
        and the absorption of tissue water), and the citation keys.
    """
    parameters = ablation.parameters_for_wavelength(wavelength)
    absorption = (
        optics.water_absorption_coefficient(wavelength)
        * parameters.dynamic_absorption_factor
        * shori2000.soft_tissue_water
    )
    threshold = float(ablation.blow_off_threshold(parameters.ablation_enthalpy, absorption))
    return threshold, (*parameters.sources, *optics.SOURCES, shori2000.CITATION.key)


def ledger_residual(effect: TissueEffect) -> float:
    """Heat one spot leaves in the skin, from a forward model's energy ledger.

    Parameters
    ----------
    effect : TissueEffect
        One full-field spot or one fractional column.

    Returns
    -------
    float
        ``stored`` plus the heat conducted on through the model's deep or outer
        boundary: [J/m^2] for full field, [J] per column for fractional (as the
        ledger, :attr:`TissueEffect.energy_per_area`).

    Raises
    ------
    InputError
        When the ledger holds no stored heat (a response table keeps none).
    """
    ledger = effect.energy
    if "stored" not in ledger:
        raise InputError(
            "forward_model", effect.model, "its effect keeps no energy ledger to take heat from"
        )
    return float(ledger["stored"]) + sum(float(ledger.get(key, 0.0)) for key in CONDUCTED_ON)


def spot_laser_settings(
    settings: ScanSettings, pulse_duration: float, pulses: int = 1
) -> LaserSettings:
    """The laser settings of one spot of the scan, for one forward call.

    Parameters
    ----------
    settings : ScanSettings
        The scan's settings (wavelength, spot, fluence or energy).
    pulse_duration : float
        Pulse duration [s].
    pulses : int
        Pulses stacked on each spot.

    Returns
    -------
    LaserSettings
        One pass over one spot: fluence [J/m^2] over the spot (and energy [J]
        per microbeam for fractional).
    """
    assert settings.wavelength is not None and settings.energy is not None
    spot_area = 0.25 * math.pi * settings.spot_diameter**2
    fractional = settings.modality == "fractional"
    return LaserSettings(
        wavelength=settings.wavelength,
        fluence=settings.energy / spot_area,
        pulse_duration=pulse_duration,
        pulses=pulses,
        repetition_rate=settings.repetition_rate,
        spot_diameter=settings.spot_diameter,
        energy=settings.energy if fractional else None,
    )


def skin_area_of(area_name: str | None) -> str:
    """Skin-model area of a scanned area: its own if anatomical, else :data:`DEFAULT_SKIN_AREA`."""
    from dermalase.tissue.areas import resolve_area

    if area_name is None:
        return DEFAULT_SKIN_AREA
    try:
        resolve_area(area_name)
    except InputError:
        return DEFAULT_SKIN_AREA
    return area_name


@lru_cache(maxsize=CACHED_SPOTS)
def spot_effect(spot: LaserSettings, skin_area: str, precooled: bool = False) -> TissueEffect:
    """One spot or column by the default forward model of its modality (cached).

    Parameters
    ----------
    spot : LaserSettings
        One pass over one spot (:func:`spot_laser_settings`).
    skin_area : str
        Skin-model area (:func:`dermalase.tissue.areas.skin_model`).
    precooled : bool
        Start the tissue at the skin temperature held by chilled air
        (:data:`~dermalase.tissue.parameters.cold_air.precooled_skin_temperature`)
        instead of body temperature.

    Returns
    -------
    TissueEffect
        With its energy ledger. A full-face scan asks for it once; a planner that
        scans many areas at the same settings reuses it.
    """
    from dermalase.forward.models import simulate
    from dermalase.tissue.areas import skin_model

    skin = skin_model(skin_area)
    if precooled:
        skin = skin.precooled(cold_air.precooled_skin_temperature)
    return simulate(spot, skin)


def from_effect(
    effect: TissueEffect, settings: ScanSettings, cooled: TissueEffect | None = None
) -> ResidualHeat:
    """Residual heat per spot from a forward model's effect of one spot.

    Parameters
    ----------
    effect : TissueEffect
        One pass over one spot at the scan's settings, with its energy ledger.
    settings : ScanSettings
        The scan's settings (spot diameter, energy per spot).
    cooled : TissueEffect, optional
        The same spot on precooled skin, for the cooled epidermal peak of a
        spot that does not ablate.

    Returns
    -------
    ResidualHeat
    """
    residual = ledger_residual(effect)
    if effect.energy_per_area:
        residual *= 0.25 * math.pi * settings.spot_diameter**2
    share = residual / settings.energy if settings.energy else float("nan")
    peak = _peak_or_none(effect)
    ablates = effect.ablation_depth > 0.0
    if ablates:
        # the front's crust sits between boiling and decomposition whatever
        # the tissue started at
        cooled_peak = peak
    else:
        cooled_peak = None if cooled is None else _peak_or_none(cooled)
    return ResidualHeat(
        residual,
        f"forward model {effect.model}: energy ledger, heat stored and conducted on "
        f"({share:.1%} of the pulse energy)",
        tuple(effect.sources),
        forward_model=effect.model,
        spot_peak_temperature=peak,
        cooled_spot_peak_temperature=cooled_peak,
        spot_ablates=ablates,
    )


def _peak_or_none(effect: TissueEffect) -> float | None:
    peak = effect.epidermal_peak_temperature
    return None if math.isnan(peak) else float(peak)


def residual_heat(
    settings: ScanSettings,
    heat_per_spot: float | None = None,
    residual_heat_fraction: float | None = None,
    *,
    pulse_duration: float | None = None,
    pulses: int = 1,
    effect: TissueEffect | None = None,
    area_name: str | None = None,
) -> ResidualHeat:
    """Residual heat per spot [J], how it was found, and the sources used.

    Parameters
    ----------
    settings : ScanSettings
        The scan's settings (energy, fluence, spot, wavelength).
    heat_per_spot : float, optional
        Given residual heat per spot [J], used as it is.
    residual_heat_fraction : float, optional
        Given fraction of the spot energy left as heat [-].
    pulse_duration : float, optional
        Pulse duration [s]; with a wavelength, one spot is simulated and its
        ledger gives the residual.
    pulses : int
        Pulses stacked on each spot.
    effect : TissueEffect, optional
        An effect of one pass over one spot at these settings, with a ledger,
        used instead of a new forward call.
    area_name : str, optional
        The scanned area, for the skin model (:func:`skin_area_of`).

    Returns
    -------
    ResidualHeat

    Raises
    ------
    InputError
        For a negative or non-finite heat, a fraction outside [0, 1], or
        neither a heat nor a spot energy to find it from.
    """
    if heat_per_spot is not None:
        if not (math.isfinite(heat_per_spot) and heat_per_spot >= 0.0):
            raise InputError("heat_per_spot", heat_per_spot, "must be a finite number >= 0 J")
        return ResidualHeat(float(heat_per_spot), "given", ())
    if settings.energy is None:
        wanted = "fluence" if settings.modality == "full_field" else "energy"
        raise InputError(wanted, "missing", f"give the {wanted} per spot, or heat_per_spot")
    if residual_heat_fraction is not None:
        if not 0.0 <= residual_heat_fraction <= 1.0:
            raise InputError(
                "residual_heat_fraction", residual_heat_fraction, "must be between 0 and 1"
            )
        return ResidualHeat(
            residual_heat_fraction * settings.energy,
            f"{residual_heat_fraction:.0%} of the pulse energy (given)",
            (),
        )
    spot = None
    if settings.wavelength is not None and pulse_duration is not None:
        spot = spot_laser_settings(settings, pulse_duration, pulses)
    skin_area = skin_area_of(area_name)
    if effect is None or "stored" not in effect.energy:
        effect = None if spot is None else spot_effect(spot, skin_area)
    if effect is not None:
        # a spot that ablates nothing is simulated again on precooled skin
        cooled = None
        if spot is not None and not effect.ablation_depth > 0.0:
            cooled = spot_effect(spot, skin_area, precooled=True)
        return from_effect(effect, settings, cooled)
    if settings.modality == "full_field" and settings.wavelength is not None:
        threshold, sources = ablation_threshold(settings.wavelength)
        residual = float(heating.residual_fluence(settings.fluence, threshold))
        spot_area = 0.25 * math.pi * settings.spot_diameter**2
        return ResidualHeat(
            residual * spot_area,
            f"blow-off residual: min(fluence, threshold {threshold * J_CM2_PER_J_M2:.2f} J/cm2)",
            sources,
        )
    return ResidualHeat(settings.energy, "all of the pulse energy (upper bound)", ())
