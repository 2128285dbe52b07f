"""Dosimetry: a prescription in micrometres → the settings of one device, and back.

The physician's dial is depth. :func:`dose` solves the inverse problem: it
searches the settings a device can deliver (fluence or microbeam energy,
pulses stacked, passes, coagulation train, density step) with the forward
models themselves (:mod:`dermalase.forward.models`): full field with the
bioheat solver, fractional with the column response table, whose answer the
full column model then checks. The depths and the treatment-zone diameter it
reports are the forward model's own prediction for the settings it returns,
never a separate fit, and the effect it returns carries the maps the report
draws. :func:`predict` goes the other way, from vendor-style settings to
predicted depths and coverage, so two devices can be compared in one unit.

A prescription the device cannot deliver, or one deeper than the area's
skin, is refused (:class:`~dermalase.exceptions.RefusalError`, exit code 3)
naming the limit and offering the nearest achievable prescription.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from dermalase import citations
from dermalase.devices import DeviceProfile, check, nearest
from dermalase.exceptions import InputError, RefusalError
from dermalase.forward import nonablative
from dermalase.forward.effect import TissueEffect
from dermalase.forward.models import ForwardModel
from dermalase.forward.models import simulate as simulate_effect
from dermalase.laser import LaserSettings
from dermalase.prescription import Prescription
from dermalase.tissue import skin_model
from dermalase.tissue.layers import SkinModel
from dermalase.units import (
    J_CM2_PER_J_M2,
    MJ_PER_J,
    NM_PER_M,
    PERCENT_PER_FRACTION,
    UM_PER_M,
    clinical_mapping,
    dial_value,
    plural,
)

#: Absolute part of the depth tolerance a delivered prescription must meet [m].
#: The acceptance band max(5 µm, 10 %) is the one the dosimetry contract
#: states (issue 4); 5 µm is about half the stratum corneum, below which the
#: histology that calibrates the ablation models does not resolve depth
#: (Kaufmann & Hibst 1996 report craters to a few µm).
ABSOLUTE_DEPTH_TOLERANCE = 5e-6
#: Relative part of the depth tolerance [-].
RELATIVE_DEPTH_TOLERANCE = 0.10
#: Coverage tolerance [-]: two percentage points (issue 4 contract).
COVERAGE_TOLERANCE = 0.02
#: Fraction of the tolerance the solver aims for, leaving margin for
#: discrete device settings [-] (a solver choice).
_SOLVER_AIM = 0.3
#: Width of the band just under a prescribed full-field ablation depth that
#: the fluence search aims into [m]: the widest cell of the full-field grid
#: (:func:`dermalase.forward.full_field.simulate` cuts cells of 0.1-1 µm),
#: so that the band holds at least one depth the grid resolves. A
#: prescription is the most to remove (an area cap is drafted at it), so the
#: search aims under it, not about it (a solver choice).
_FULL_FIELD_UNDER_BAND = 1e-6
#: Most forward-model calls one fluence search may make (a solver choice).
_MAX_ITERATIONS = 14
#: Most rounds of re-aiming the ablative fluence and the coagulation train at
#: each other when the train removes tissue of its own (a solver choice; two
#: rounds settle every bundled case).
_TRAIN_ROUNDS = 4

#: Rate at which stacked full-field pulses are fired on one spot [Hz]: the
#: 10 Hz of the stacked-pulse measurements of Kaufmann & Hibst (1996), taken
#: as the default where the device allows it.
FULL_FIELD_STACKING_RATE = 10.0


def default_repetition_rate(device: DeviceProfile, energy: float | None = None) -> float:
    """The repetition rate dosimetry fires at, unless told otherwise [Hz].

    Full field (``energy`` None): the stacking rate of the Kaufmann & Hibst
    measurements, :data:`FULL_FIELD_STACKING_RATE`, or the nearest the device
    allows. Fractional: the device's highest rate, lowered so that ``energy`` [J]
    per microbeam stays within its average power, and so that each pulse (of
    the first mode, at the duration that mode gives this energy) lasts at most
    half the period: the scan moves on once the pulse has ended (a solver
    choice). ``dose`` and ``translate`` share it, so the same device gets the
    same default in both.
    """
    if energy is None:
        return nearest(device, "repetition_rate", FULL_FIELD_STACKING_RATE)
    rate = device.repetition_rate.maximum
    if device.average_power_max is not None:
        rate = min(rate, device.average_power_max / energy)
    if device.pulse_modes:
        rate = min(rate, 0.5 / device.pulse_modes[0].pulse_duration_for(energy))
    return nearest(device, "repetition_rate", rate)


def depth_tolerance(depth: float) -> float:
    """Return the band a delivered depth must fall within [m].

    Parameters
    ----------
    depth : float
        Prescribed depth [m].

    Returns
    -------
    float
        max(5 µm, 10 % of ``depth``) [m].

    Examples
    --------
    >>> round(depth_tolerance(100e-6) * UM_PER_M, 3)
    10.0
    """
    return max(ABSOLUTE_DEPTH_TOLERANCE, RELATIVE_DEPTH_TOLERANCE * depth)


@dataclass(frozen=True)
class Dose:
    """Device settings with the depths and coverage the forward model predicts for them.

    Attributes
    ----------
    device : str
        Device profile name.
    area : str
        Anatomical area.
    settings : LaserSettings
        What the device is told.
    ablation_depth : float
        Predicted ablation (column) depth [m].
    coagulation_depth : float
        Predicted coagulation below the ablation floor [m].
    coverage : float
        Predicted fraction of the surface treated [-].
    prescription : Prescription or None
        What was asked, when the settings were solved for one.
    mtz_diameter : float or None
        Predicted diameter of each microscopic treatment zone [m] (fractional).
    effect : TissueEffect or None
        The full-field forward-model result, for figures.
    sources : tuple of str
        Citation keys the prediction relied on.
    """

    device: str
    area: str
    settings: LaserSettings
    ablation_depth: float
    coagulation_depth: float
    coverage: float
    prescription: Prescription | None = None
    mtz_diameter: float | None = None
    effect: TissueEffect | None = field(default=None, repr=False)
    sources: tuple[str, ...] = ()

    def delivered(self, area: str) -> Prescription:
        """What these settings deliver to ``area``, written as a prescription.

        The predicted depths [m] and coverage [-] in place of the asked ones, so that
        a check made on prescriptions (an area's caps) can be made on what the
        device delivers.
        """
        return Prescription(
            area=area,
            modality="fractional" if self.settings.fractional else "full_field",
            wavelength=self.settings.wavelength,
            ablation_depth=self.ablation_depth,
            coagulation_depth=self.coagulation_depth,
            coverage=self.coverage,
        )

    @property
    def deviation(self) -> float:
        """Largest miss between prescribed and predicted depth [m] (0 without a prescription).

        The coagulation depth counts only where the prescription asks for one.
        """
        if self.prescription is None:
            return 0.0
        misses = [abs(self.ablation_depth - self.prescription.ablation_depth)]
        if self.prescription.coagulation_depth > 0:
            misses.append(abs(self.coagulation_depth - self.prescription.coagulation_depth))
        return max(misses)

    def to_dict(self) -> dict:
        """JSON-ready view in clinical units, with the keys of ``dermalase dose``."""
        predicted = clinical_mapping(
            {
                "ablation_depth": self.ablation_depth,
                "coagulation_depth": self.coagulation_depth,
                "total_depth": self.ablation_depth + self.coagulation_depth,
                "coverage": self.coverage,
            }
        )
        if self.mtz_diameter is not None:
            predicted |= clinical_mapping({"mtz_diameter": self.mtz_diameter})
        # char left below the floor, where the forward model keeps temperatures
        # (None for a response table)
        char = None if self.effect is None else self.effect.char_thickness
        predicted |= clinical_mapping({"char_thickness": char})
        return {
            "device": self.device,
            "area": self.area,
            "prescription": None if self.prescription is None else self.prescription.to_dict(),
            "settings": self.settings.to_dict(),
            "predicted": predicted,
            **clinical_mapping({"deviation": self.deviation}),
            "sources": citations.format_sources(self.sources),
        }


# ------------------------------------------------------------------ the solver


def dose(
    prescription: Prescription,
    device: DeviceProfile,
    *,
    skin: SkinModel | None = None,
    forward_model: str | ForwardModel | None = None,
) -> Dose:
    """Solve for the settings of ``device`` that deliver ``prescription``.

    Parameters
    ----------
    prescription : Prescription
        Depths and coverage asked for one area.
    device : DeviceProfile
        The laser that will deliver them.
    skin : SkinModel, optional
        Skin of the area; by default the area's reference skin.
    forward_model : str or callable, optional
        The forward model (:func:`dermalase.forward.models.forward_model`):
        full field searches with it; fractional searches the response table
        and predicts the chosen settings with it. By default the full model of
        the modality (``bioheat_1d`` or ``column_2d``).

    Returns
    -------
    Dose
        Settings within every device limit, with the forward model's
        prediction for them, within max(5 µm, 10 %) of each prescribed depth
        and two points of the prescribed coverage.

    Raises
    ------
    RefusalError
        When no settings of the device deliver the prescription within
        tolerance, or when it reaches through the area's skin. The error
        names the limit and offers the nearest achievable prescription.
    InputError
        When the prescription does not fit the device's wavelength.
    """
    skin = skin_model(prescription.area) if skin is None else skin
    check(device, "modality", prescription.modality)
    if abs(device.wavelength - prescription.wavelength) > 1e-9:
        raise InputError(
            "wavelength",
            f"{prescription.wavelength * NM_PER_M:g} nm",
            f"{device.display_name} emits {device.wavelength * NM_PER_M:g} nm",
        )
    _check_through_skin(prescription, skin)
    if prescription.ablation_depth == 0.0 and not nonablative.serves(device.wavelength):
        raise RefusalError(
            "device.ablative",
            f"{device.display_name} ablates: a coagulation-only (non-ablative) prescription "
            "needs a 1.3-2.1 µm device",
            device.source_file,
        )
    if device.depth is not None:
        _offer_nearest(device, "ablation_depth", prescription.ablation_depth)
        maximum = device.depth.coagulation_depth_max
        if prescription.coagulation_depth > 0 and maximum is not None:
            _offer_nearest(device, "coagulation_depth", prescription.coagulation_depth)
    if prescription.passes is not None:
        check(device, "passes", prescription.passes)
    if prescription.modality == "full_field":
        return _FullFieldSolver(prescription, device, skin, forward_model).solve()
    if nonablative.serves(device.wavelength):
        return _NonAblativeSolver(prescription, device, skin, forward_model).solve()
    return _FractionalSolver(prescription, device, skin, forward_model).solve()


def _offer_nearest(device: DeviceProfile, field: str, depth: float) -> None:
    """Check a depth [m] against the device's dial; a refusal carries the nearest [m]."""
    try:
        check(device, field, depth)
    except RefusalError as refusal:
        offer = {field: dial_value(field, nearest(device, field, depth))}
        raise RefusalError(refusal.rule, refusal.message, refusal.source, offer) from None


def _illinois(residual, low, high, aim, acceptable=None) -> float:
    """Illinois regula falsi for a residual that grows with its argument.

    Parameters
    ----------
    residual : callable
        Predicted minus wanted [m], as a function of the setting searched.
    low, high : (float, float)
        The bracket's ends and their residuals (negative, positive).
    aim : float
        Stop once the residual is within this [m].
    acceptable : callable, optional
        Whether a setting may be returned at all.

    Returns
    -------
    float
        The setting with the smallest residual seen among acceptable ones.
    """
    (x_low, r_low), (x_high, r_high) = low, high
    seen = [(x, r) for x, r in (low, high) if acceptable is None or acceptable(x)]
    best, best_residual = min(seen, key=lambda item: abs(item[1]))
    side = 0
    for _ in range(_MAX_ITERATIONS):
        width = x_high - x_low
        x = x_low - r_low * width / (r_high - r_low)
        # Stay inside the bracket and off its ends, so that a jump in the
        # response (the stratum corneum leaving whole at threshold) still
        # shrinks the bracket.
        x = min(max(x, x_low + 0.02 * width), x_high - 0.02 * width)
        r = residual(x)
        if (acceptable is None or acceptable(x)) and abs(r) < abs(best_residual):
            best, best_residual = x, r
        if abs(r) <= aim or width < 1e-3 * x_high:
            break
        if r < 0:
            x_low, r_low = x, r
            if side == -1:
                r_high /= 2
            side = -1
        else:
            x_high, r_high = x, r
            if side == 1:
                r_low /= 2
            side = 1
    return best


def _check_through_skin(prescription: Prescription, skin: SkinModel) -> None:
    """Refuse injury that reaches through the dermis of the area."""
    skin_depth = skin.dermis_bottom
    if prescription.total_depth >= skin_depth:
        safe = 0.9 * skin_depth
        raise RefusalError(
            "dosimetry.through_dermis",
            f"ablation plus coagulation {prescription.total_depth * UM_PER_M:.0f} µm "
            "reaches through "
            f"the {skin_depth * UM_PER_M:.0f} µm of epidermis and dermis of the {skin.area}; "
            "wounds without dermis left to heal from scar",
            "area skin thickness: " + ", ".join(skin.sources),
            nearest={
                "ablation_depth": dial_value(
                    "ablation_depth", min(prescription.ablation_depth, safe)
                ),
                "coagulation_depth": dial_value(
                    "coagulation_depth", max(0.0, safe - min(prescription.ablation_depth, safe))
                ),
            },
        )


class _FullFieldSolver:
    """Fluence, passes, stacked pulses and coagulation train for full-field work."""

    def __init__(
        self,
        prescription: Prescription,
        device: DeviceProfile,
        skin: SkinModel,
        model: str | ForwardModel | None = None,
    ):
        self.prescription = prescription
        self.device = device
        self.skin = skin
        self.model = model
        self.cache: dict[LaserSettings, TissueEffect] = {}
        fluence = device.fluence
        assert fluence is not None  # a device offering full field has a fluence range
        self.fluence_low, self.fluence_high = fluence.minimum, fluence.maximum
        mode = device.pulse_modes[0]
        self.base = LaserSettings(
            wavelength=device.wavelength,
            fluence=self.fluence_high,
            pulse_duration=mode.pulse_duration.minimum,
            pulse_mode=mode.name,
            repetition_rate=default_repetition_rate(device),
            spot_diameter=self._spot(),
            overlap=self._overlap(),
        )

    # --- choices that are not searched -------------------------------------

    def _spot(self) -> float:
        if self.prescription.spot_diameter is not None:
            return check(self.device, "spot_diameter", self.prescription.spot_diameter)
        return self.device.spot_diameter.maximum

    def _overlap(self) -> float:
        scanner = self.device.scanner
        if scanner is None or scanner.overlap is None:
            return 0.0
        if scanner.overlap_recommended is not None:
            return scanner.overlap_recommended.minimum
        return scanner.overlap.minimum

    # --- the forward model ---------------------------------------------------

    def forward(self, settings: LaserSettings) -> TissueEffect:
        effect = self.cache.get(settings)
        if effect is None:
            effect = simulate_effect(settings, self.skin, self.model)
            self.cache[settings] = effect
        return effect

    # --- the search ----------------------------------------------------------

    def solve(self) -> Dose:
        target = self.prescription.ablation_depth
        settings = self._ablation(target)
        settings = self._coagulation(settings)
        settings = self._with_train(settings, target)
        effect = self.forward(settings)
        self._check_power(settings)
        result = Dose(
            device=self.device.name,
            area=self.skin.area,
            settings=settings,
            ablation_depth=effect.ablation_depth,
            coagulation_depth=effect.coagulation_depth,
            coverage=1.0,
            prescription=self.prescription,
            effect=effect,
            sources=citations.merge(effect.sources, self.device.citation_keys),
        )
        self._accept(result)
        return result

    def _configurations(self):
        """(passes, stacked pulses) to try, fewest pulses first, passes before stacking."""
        passes = (
            [self.prescription.passes]
            if self.prescription.passes is not None
            else list(range(1, self.device.max_passes + 1))
        )
        stacked = range(1, self.device.max_stacked_pulses + 1)
        return sorted(((p, k) for k in stacked for p in passes), key=lambda c: (c[0] * c[1], c[1]))

    def _ablation(self, target: float) -> LaserSettings:
        aim = _SOLVER_AIM * depth_tolerance(target)
        deepest = None
        for passes, stacked in self._configurations():
            trial = replace(self.base, passes=passes, pulses=stacked)
            high = replace(trial, fluence=self.fluence_high)
            depth_high = self.forward(high).ablation_depth
            deepest = high if deepest is None or depth_high > self._depth(deepest) else deepest
            if depth_high < target - aim:
                continue
            return self._solve_fluence(trial, target, aim)
        assert deepest is not None  # every device allows one pass of one pulse
        depth = self._depth(deepest)
        raise RefusalError(
            f"device.{self._limit_name()}",
            f"{target * UM_PER_M:.0f} µm of ablation is beyond {self.device.display_name}: "
            f"{self.fluence_high * J_CM2_PER_J_M2:g} J/cm² over "
            f"{plural(deepest.passes, 'pass')} of "
            f"{plural(deepest.pulses, 'stacked pulse')} ablates {depth * UM_PER_M:.0f} µm of "
            f"{self.skin.area} "
            "skin",
            self.device.source_file,
            nearest={"ablation_depth": dial_value("ablation_depth", depth)},
        )

    def _limit_name(self) -> str:
        return "fluence_max" if self.prescription.passes is not None else "fluence_max/passes"

    def _depth(self, settings: LaserSettings) -> float:
        return self.forward(settings).ablation_depth

    def _solve_fluence(self, trial: LaserSettings, target: float, aim: float) -> LaserSettings:
        """Illinois regula falsi on fluence for the ablation depth ``target``."""
        low = replace(trial, fluence=self.fluence_low)
        high = replace(trial, fluence=self.fluence_high)
        depth_low, depth_high = self._depth(low), self._depth(high)
        if depth_low >= target - aim:
            if depth_low > target + depth_tolerance(target):
                raise RefusalError(
                    "device.fluence_min",
                    f"{target * UM_PER_M:.1f} µm of ablation is shallower than the "
                    f"{depth_low * UM_PER_M:.1f} µm that the lowest fluence "
                    f"{self.fluence_low * J_CM2_PER_J_M2:g} J/cm² of "
                    f"{self.device.display_name} removes",
                    self.device.source_file,
                    nearest={"ablation_depth": dial_value("ablation_depth", depth_low)},
                )
            return low
        if depth_high <= target + aim:
            return high
        # Aim into the band just under the prescribed depth: its middle, to
        # within half its width.
        band = min(aim, _FULL_FIELD_UNDER_BAND)
        middle = target - 0.5 * band
        fluence = _illinois(
            lambda f: self._depth(replace(trial, fluence=f)) - middle,
            (self.fluence_low, depth_low - middle),
            (self.fluence_high, depth_high - middle),
            0.5 * band,
            # A fluence that ablates nothing never stands for a prescribed depth.
            acceptable=lambda f: self._depth(replace(trial, fluence=f)) > 0,
        )
        best = replace(trial, fluence=fluence)
        miss = abs(self._depth(best) - target)
        if miss > depth_tolerance(target):
            reached = self._depth(best)
            raise RefusalError(
                "model.ablation_threshold",
                f"no fluence of {self.device.display_name} ablates {target * UM_PER_M:.1f} µm of "
                f"{self.skin.area} skin: depth jumps past it at the ablation threshold, where "
                "the dry stratum corneum leaves whole",
                "dermalase.physics.heat (stratum corneum blow-off)",
                nearest={"ablation_depth": dial_value("ablation_depth", reached)},
            )
        return best

    def _coagulation(self, settings: LaserSettings) -> LaserSettings:
        wanted = self.prescription.coagulation_depth
        if wanted <= 0:
            return settings
        tolerance = depth_tolerance(wanted)
        aim = _SOLVER_AIM * tolerance
        plain = self.forward(settings).coagulation_depth
        if plain >= wanted - aim:
            if plain > wanted + tolerance:
                raise RefusalError(
                    "device.pulse_duration_min",
                    f"the shortest pulses of {self.device.display_name} that ablate "
                    f"{self.prescription.ablation_depth * UM_PER_M:.0f} µm leave "
                    f"{plain * UM_PER_M:.0f} µm of coagulation, more than the "
                    f"{wanted * UM_PER_M:.0f} µm asked",
                    self.device.source_file,
                    nearest={"coagulation_depth": dial_value("coagulation_depth", plain)},
                )
            return settings
        train = self.device.coagulation
        if train is None:
            raise RefusalError(
                "device.coagulation",
                f"{self.device.display_name} has no sub-ablative coagulation train; its "
                f"ablative pulses leave {plain * UM_PER_M:.0f} µm of coagulation, not "
                f"{wanted * UM_PER_M:.0f} µm",
                self.device.source_file,
                nearest={"coagulation_depth": dial_value("coagulation_depth", plain)},
            )
        base = replace(
            settings,
            coagulation_pulse_duration=train.pulse_duration,
            coagulation_repetition_rate=train.repetition_rate,
            coagulation_fluence=train.fluence.maximum,
        )

        def coagulation(pulses: int, fluence: float) -> float:
            trial = replace(base, coagulation_pulses=pulses, coagulation_fluence=fluence)
            return self.forward(trial).coagulation_depth

        # Fewest pulses at the highest coagulation fluence that reach the depth:
        # doubling, then bisection between the last two counts (coagulation
        # grows with the number of pulses, so short trains are tried first).
        strongest = train.fluence.maximum
        below, count = 0, 1
        while coagulation(count, strongest) < wanted - aim:
            if count == train.max_pulses:
                reached = coagulation(count, strongest)
                raise RefusalError(
                    "device.coagulation.max_pulses",
                    f"{train.max_pulses} coagulation pulses of "
                    f"{strongest * J_CM2_PER_J_M2:g} J/cm² coagulate {reached * UM_PER_M:.0f} µm, "
                    f"short of the {wanted * UM_PER_M:.0f} µm asked",
                    self.device.source_file,
                    nearest={"coagulation_depth": dial_value("coagulation_depth", reached)},
                )
            below, count = count, min(2 * count, train.max_pulses)
        low, high = below + 1, count
        while low < high:
            middle = (low + high) // 2
            if coagulation(middle, strongest) >= wanted - aim:
                high = middle
            else:
                low = middle + 1
        pulses = low
        # Then the coagulation fluence, by Illinois regula falsi within the
        # train's range (depth grows smoothly with fluence below threshold).
        f_low, f_high = train.fluence.minimum, strongest
        r_low = coagulation(pulses, f_low) - wanted
        r_high = coagulation(pulses, f_high) - wanted
        if r_low >= -aim:
            best = f_low
        elif r_high <= aim:
            best = f_high
        else:
            best = _illinois(
                lambda f: coagulation(pulses, f) - wanted, (f_low, r_low), (f_high, r_high), aim
            )
        result = replace(base, coagulation_pulses=pulses, coagulation_fluence=best)
        reached = self.forward(result).coagulation_depth
        if abs(reached - wanted) > tolerance:
            raise RefusalError(
                "device.coagulation.fluence_min",
                f"coagulation cannot be set finely enough: {plural(pulses, 'pulse')} of the lowest "
                f"{f_low * J_CM2_PER_J_M2:g} J/cm² coagulate {reached * UM_PER_M:.0f} µm, not "
                f"{wanted * UM_PER_M:.0f} µm",
                self.device.source_file,
                nearest={"coagulation_depth": dial_value("coagulation_depth", reached)},
            )
        return result

    def _with_train(self, settings: LaserSettings, target: float) -> LaserSettings:
        """Re-aim the ablative fluence with the coagulation train on.

        The train lands on the floor the ablative pulses leave hot and partly
        dry, and the forward model may let it take off a few micrometres more.
        The prescribed ablation is the most to remove, so the fluence is
        searched again with the train fired after it (and the train dialled
        again for the new floor where its coagulation moves out of the band)
        until both depths are delivered.
        """
        if settings.coagulation_pulses == 0:
            return settings
        tolerance = depth_tolerance(target)
        aim = _SOLVER_AIM * tolerance
        wanted = self.prescription.coagulation_depth

        def delivered(trial: LaserSettings) -> bool:
            return target - tolerance <= self._depth(trial) <= target + _FULL_FIELD_UNDER_BAND

        if delivered(settings):
            return settings
        for _ in range(_TRAIN_ROUNDS):
            # the fluence for the ablation with this train fired after it
            settings = self._solve_fluence(settings, target, aim)
            coagulation = self.forward(settings).coagulation_depth
            if abs(coagulation - wanted) <= depth_tolerance(wanted):
                # the same train again would give the same fluence: done or stuck
                if delivered(settings):
                    return settings
                break
            # the new floor needs another train: dial it from the ablative
            # pulses alone
            settings = self._coagulation(
                replace(settings, coagulation_pulses=0, coagulation_fluence=0.0)
            )
        depth = self._depth(settings)
        raise RefusalError(
            "dosimetry.coagulation_train",
            f"with the coagulation train fired after it, no fluence of "
            f"{self.device.display_name} ablates {target * UM_PER_M:.0f} µm of "
            f"{self.skin.area} skin: the train takes the floor to {depth * UM_PER_M:.0f} µm",
            "dermalase.physics.heat (the train on the floor the ablative pulses leave)",
            nearest={"ablation_depth": dial_value("ablation_depth", depth)},
        )

    def _check_power(self, settings: LaserSettings) -> None:
        assert settings.spot_diameter is not None  # full-field settings carry their spot
        area = math.pi * settings.spot_diameter**2 / 4
        check(self.device, "average_power", (settings.fluence * area, settings.repetition_rate))

    def _accept(self, result: Dose) -> None:
        """Check every limit once more on the settings returned."""
        check_settings(result.settings, self.device)


class _FractionalSolver:
    """Microbeam energy, stacked pulses and density step for fractional work."""

    def __init__(
        self,
        prescription: Prescription,
        device: DeviceProfile,
        skin: SkinModel,
        model: str | ForwardModel | None = None,
    ):
        self.prescription = prescription
        self.device = device
        self.skin = skin
        self.model = model

    def _spots(self) -> list[float]:
        if self.prescription.spot_diameter is not None:
            return [check(self.device, "spot_diameter", self.prescription.spot_diameter)]
        spots = self.device.spot_diameter
        return list(spots.values) if spots.values else [spots.minimum]

    def solve(self) -> Dose:
        from dermalase.forward.tables import column_table

        device, wanted = self.device, self.prescription.ablation_depth
        mode = device.pulse_modes[0]
        # each energy at the pulse the laser delivers it in: energy over the
        # peak power where the device gives one, else its shortest pulse
        rule = mode.pulse_duration_for if mode.peak_power is not None else None
        table = column_table(device.wavelength, rule or mode.pulse_duration.minimum, self.skin.area)
        energy_range = device.energy
        assert energy_range is not None  # a device offering fractional has an energy range
        deepest = 0.0
        tolerance = depth_tolerance(wanted)
        for stacked in range(1, device.max_stacked_pulses + 1):
            if stacked not in table.pulses:
                continue
            for spot in self._spots():
                try:
                    reach = table.predict(energy_range.maximum, spot, pulses=stacked)
                    deepest = max(deepest, float(reach["ablation_depth"]))
                except ValueError:  # deeper than the table holds
                    deepest = max(deepest, table.depth_limit)
                try:
                    energy = float(table.energy_for_depth(wanted, spot, pulses=stacked))
                except ValueError:
                    continue
                if energy < energy_range.minimum:
                    shallowest = float(
                        table.predict(energy_range.minimum, spot, pulses=stacked)["ablation_depth"]
                    )
                    if shallowest > wanted + tolerance:
                        continue
                    energy = energy_range.minimum
                if energy > energy_range.maximum:
                    continue
                energy = energy_range.nearest(energy)
                return self._finish(
                    table, energy, spot, stacked, mode.pulse_duration_for(energy), mode.name
                )
        if deepest < wanted:
            raise RefusalError(
                "device.energy_max",
                f"{wanted * UM_PER_M:.0f} µm columns are beyond {device.display_name}: "
                f"{energy_range.maximum * MJ_PER_J:g} mJ with up to "
                f"{plural(device.max_stacked_pulses, 'stacked pulse')} drills "
                f"{deepest * UM_PER_M:.0f} µm",
                device.source_file,
                nearest={"ablation_depth": dial_value("ablation_depth", deepest)},
            )
        spot = self._spots()[0]
        shallowest = float(table.predict(energy_range.minimum, spot, pulses=1)["ablation_depth"])
        raise RefusalError(
            "device.energy_min",
            f"{wanted * UM_PER_M:.0f} µm columns are shallower than the "
            f"{shallowest * UM_PER_M:.0f} µm "
            f"that the lowest energy {energy_range.minimum * MJ_PER_J:g} mJ of "
            f"{device.display_name} drills",
            device.source_file,
            nearest={"ablation_depth": dial_value("ablation_depth", shallowest)},
        )

    def _finish(self, table, energy, spot, stacked, pulse_duration, mode_name) -> Dose:
        """Settings at the energy the table chose, predicted by the forward model.

        The table finds the energy; the forward model (the full column model by
        default) then predicts the column those settings drill, and its
        treatment-zone diameter sets the density step and the coverage, so that
        depth, zone, coverage and the drawn column are one prediction.
        """
        device, prescription = self.device, self.prescription
        rate = default_repetition_rate(device, energy)
        settings = LaserSettings(
            wavelength=device.wavelength,
            fluence=energy / (math.pi * spot**2 / 4),
            pulse_duration=pulse_duration,
            pulse_mode=mode_name,
            pulses=stacked,
            repetition_rate=rate,
            passes=prescription.passes or 1,
            spot_diameter=spot,
            energy=energy,
            coverage=prescription.coverage,
        )
        effect = simulate_effect(settings, self.skin, self.model)
        assert effect.mtz_diameter is not None  # a fractional effect has its zone diameter
        mtz = float(effect.mtz_diameter)
        density, step, coverage = self._density(mtz, spot)
        settings = replace(settings, coverage=coverage, density=density, density_step=step)
        result = Dose(
            device=device.name,
            area=self.skin.area,
            settings=settings,
            ablation_depth=float(effect.ablation_depth),
            coagulation_depth=float(effect.coagulation_depth),
            coverage=coverage,
            prescription=prescription,
            mtz_diameter=mtz,
            effect=effect,
            sources=citations.merge(effect.sources, device.citation_keys),
        )
        _check_fractional_depths(result)
        check_settings(settings, device)
        return result

    def _density(self, mtz_diameter: float, spot: float) -> tuple[float, int | None, float]:
        """MTZ density [1/m²], its device step and the coverage it gives [-]."""
        wanted = self.prescription.coverage
        if not self.device.density_steps:
            return wanted / (math.pi * mtz_diameter**2 / 4), None, wanted
        choice = self.device.density_for_coverage(wanted, spot, mtz_diameter)
        if abs(choice.coverage - wanted) > COVERAGE_TOLERANCE:
            # offer the nearest step that covers less (a milder prescription a
            # planner can take), the nearest step when none does
            offer = self.device.density_for_coverage(wanted, spot, mtz_diameter, milder=True)
            steps = sorted({choice, offer}, key=lambda c: c.step)
            shown = " and ".join(
                f"step {c.step} gives {c.coverage * PERCENT_PER_FRACTION:.1f} %" for c in steps
            )
            raise RefusalError(
                "device.density_steps",
                f"no density step of {self.device.display_name} gives "
                f"{wanted * PERCENT_PER_FRACTION:.0f} % coverage with "
                f"{mtz_diameter * UM_PER_M:.0f} µm treatment zones; {shown}",
                self.device.source_file,
                nearest={"coverage": dial_value("coverage", offer.coverage, decimals=1)},
            )
        return choice.density, choice.step, choice.coverage


class _NonAblativeSolver(_FractionalSolver):
    """Microbeam energy and density step for a coagulation depth on a scattering line.

    The prescription's ``coagulation_depth`` is the depth of the coagulated
    zone below the intact surface (no ablation). The forward model (the
    column model with a Monte Carlo deposition by default) is searched
    directly, by the Illinois method in the energy, on the longest pulse of the
    device's first pulse mode (a solver choice: of the device's pulses it
    keeps the surface furthest from boiling). Energies whose zone boils dry
    are not offered.
    """

    def _effect(self, energy: float, spot: float, pulse_duration: float) -> TissueEffect:
        settings = self._settings(energy, spot, pulse_duration)
        return simulate_effect(settings, self.skin, self.model)

    def _settings(self, energy: float, spot: float, pulse_duration: float) -> LaserSettings:
        return LaserSettings(
            wavelength=self.device.wavelength,
            fluence=energy / (math.pi * spot**2 / 4),
            pulse_duration=pulse_duration,
            pulse_mode=self.device.pulse_modes[0].name,
            pulses=1,
            # one pulse per zone: the scan moves on once the pulse has ended
            repetition_rate=min(default_repetition_rate(self.device, energy), 0.5 / pulse_duration),
            passes=self.prescription.passes or 1,
            spot_diameter=spot,
            energy=energy,
            coverage=self.prescription.coverage,
        )

    def solve(self) -> Dose:
        device, prescription = self.device, self.prescription
        if prescription.ablation_depth > 0:
            raise RefusalError(
                "device.non_ablative",
                f"{device.display_name} coagulates without ablating; it cannot remove "
                f"{prescription.ablation_depth * UM_PER_M:.0f} µm",
                device.source_file,
                nearest={"ablation_depth": 0.0},
            )
        wanted = prescription.coagulation_depth
        if wanted <= 0:
            raise InputError("coagulation_depth", "0 um", "give the depth of the zone, e.g. 300um")
        energy_range = device.energy
        assert energy_range is not None  # a device offering fractional has an energy range
        pulse_duration = device.pulse_modes[0].pulse_duration.maximum
        spot = self._spots()[0]
        tolerance = depth_tolerance(wanted)
        low, high = energy_range.minimum, energy_range.maximum
        cache: dict[float, TissueEffect] = {}

        def effect_at(energy: float) -> TissueEffect:
            if energy not in cache:
                cache[energy] = self._effect(energy, spot, pulse_duration)
            return cache[energy]

        top = effect_at(high)
        if top.ablation_depth > 0:
            # the largest energy whose zone stays intact, by bisection in log energy
            lower = low
            if effect_at(lower).ablation_depth > 0:
                raise RefusalError(
                    "model.non_ablative",
                    f"even {low * MJ_PER_J:g} mJ boils the skin dry under the "
                    f"{spot * UM_PER_M:.0f} µm beam of {device.display_name}",
                    "dermalase.forward.nonablative",
                )
            for _ in range(8):
                middle = math.sqrt(lower * high)
                if effect_at(middle).ablation_depth > 0:
                    high = middle
                else:
                    lower = middle
            high = lower
            top = effect_at(high)
        deepest = float(top.total_depth)
        if deepest < wanted - tolerance:
            rule = "model.non_ablative" if high < energy_range.maximum else "device.energy_max"
            raise RefusalError(
                rule,
                f"{wanted * UM_PER_M:.0f} µm zones are beyond {device.display_name}: "
                f"{high * MJ_PER_J:.3g} mJ coagulates {deepest * UM_PER_M:.0f} µm"
                + (" (more energy boils the skin)" if rule == "model.non_ablative" else ""),
                device.source_file,
                nearest={"coagulation_depth": dial_value("coagulation_depth", deepest)},
            )
        shallowest = float(effect_at(low).total_depth)
        if shallowest > wanted + tolerance:
            raise RefusalError(
                "device.energy_min",
                f"{wanted * UM_PER_M:.0f} µm zones are shallower than the "
                f"{shallowest * UM_PER_M:.0f} µm that the lowest energy "
                f"{low * MJ_PER_J:g} mJ of {device.display_name} coagulates",
                device.source_file,
                nearest={"coagulation_depth": dial_value("coagulation_depth", shallowest)},
            )
        if abs(shallowest - wanted) <= tolerance:
            energy = low
        elif abs(deepest - wanted) <= tolerance:
            energy = high
        else:
            energy = _illinois(
                lambda e: float(effect_at(e).total_depth) - wanted,
                (low, shallowest - wanted),
                (high, deepest - wanted),
                _SOLVER_AIM * tolerance,
            )
        energy = energy_range.nearest(energy)
        effect = effect_at(energy)
        assert effect.mtz_diameter is not None  # a fractional effect has its zone diameter
        mtz = float(effect.mtz_diameter)
        density, step, coverage = self._density(mtz, spot)
        settings = replace(
            self._settings(energy, spot, pulse_duration),
            coverage=coverage,
            density=density,
            density_step=step,
        )
        result = Dose(
            device=device.name,
            area=self.skin.area,
            settings=settings,
            ablation_depth=0.0,
            coagulation_depth=float(effect.total_depth),
            coverage=coverage,
            prescription=prescription,
            mtz_diameter=mtz,
            effect=effect,
            sources=citations.merge(effect.sources, device.citation_keys),
        )
        if abs(result.coagulation_depth - wanted) > tolerance:
            raise RefusalError(
                "device.energy",
                f"the energy steps of {device.display_name} cannot coagulate "
                f"{wanted * UM_PER_M:.0f} µm; the nearest is "
                f"{result.coagulation_depth * UM_PER_M:.0f} µm",
                device.source_file,
                nearest={
                    "coagulation_depth": dial_value("coagulation_depth", result.coagulation_depth)
                },
            )
        check_settings(settings, device)
        return result


def _check_fractional_depths(result: Dose) -> None:
    prescription = result.prescription
    assert prescription is not None  # the solver's dose carries its prescription
    miss = abs(result.ablation_depth - prescription.ablation_depth)
    if miss > depth_tolerance(prescription.ablation_depth):
        raise RefusalError(
            "device.energy",
            f"the energy steps of {result.device} cannot drill "
            f"{prescription.ablation_depth * UM_PER_M:.0f} µm columns; the nearest is "
            f"{result.ablation_depth * UM_PER_M:.0f} µm",
            result.device,
            nearest={"ablation_depth": dial_value("ablation_depth", result.ablation_depth)},
        )
    wanted = prescription.coagulation_depth
    if wanted > 0 and abs(result.coagulation_depth - wanted) > depth_tolerance(wanted):
        raise RefusalError(
            "model.coagulation_sleeve",
            f"columns {result.ablation_depth * UM_PER_M:.0f} µm deep carry "
            f"{result.coagulation_depth * UM_PER_M:.0f} µm of coagulation below the floor at this "
            f"wavelength, not {wanted * UM_PER_M:.0f} µm; the sleeve is set by the depth",
            "dermalase.forward.fractional (column model)",
            nearest={
                "coagulation_depth": dial_value("coagulation_depth", result.coagulation_depth)
            },
        )


# ------------------------------------------------------------- settings checks


def check_settings(settings: LaserSettings, device: DeviceProfile) -> LaserSettings:
    """Refuse settings that exceed any limit of ``device``.

    Parameters
    ----------
    settings : LaserSettings
        Settings to deliver.
    device : DeviceProfile
        The laser.

    Returns
    -------
    LaserSettings
        ``settings``, unchanged, when every limit holds.

    Raises
    ------
    RefusalError
        Naming the first limit exceeded (``device.<field>``) and the device file.
    """
    if settings.pulse_mode is not None:
        check(device, "pulse_duration", settings.pulse_duration, mode=settings.pulse_mode)
        if settings.fractional and settings.energy is not None:
            check(
                device,
                "peak_power",
                (settings.energy, 1.0 / settings.pulse_duration),
                mode=settings.pulse_mode,
            )
    check(device, "stacked_pulses", settings.pulses)
    check(device, "passes", settings.passes)
    check(device, "repetition_rate", settings.repetition_rate)
    if settings.spot_diameter is not None:
        check(device, "spot_diameter", settings.spot_diameter)
    if settings.fractional:
        check(device, "modality", "fractional")
        check(device, "energy", settings.energy)
        check(device, "average_power", (settings.energy, settings.repetition_rate))
    else:
        check(device, "modality", "full_field")
        check(device, "fluence", settings.fluence)
        if settings.spot_diameter is not None:
            energy = settings.fluence * math.pi * settings.spot_diameter**2 / 4
            check(device, "average_power", (energy, settings.repetition_rate))
        if settings.overlap > 0:
            check(device, "overlap", settings.overlap)
        if settings.coagulation_pulses:
            check(device, "coagulation_pulses", settings.coagulation_pulses)
            check(device, "coagulation_fluence", settings.coagulation_fluence)
    return settings


# ------------------------------------------------------------ the other way


def predict(settings: LaserSettings, device: DeviceProfile, area: str) -> Dose:
    """Predict the depths and coverage of vendor-style settings on one area.

    The settings go to the same forward model that :func:`dose` reports its
    chosen settings with (the 1D bioheat model for full field, the column
    model for fractional work), so that settings dosimetry chose and then
    translated back give the same prediction.

    Parameters
    ----------
    settings : LaserSettings
        Full-field settings (fluence, pulses, passes, coagulation train) or
        fractional ones (``energy`` per microbeam, ``spot_diameter``,
        ``coverage`` or ``density``).
    device : DeviceProfile
        The laser; every limit is checked first.
    area : str
        Anatomical area.

    Returns
    -------
    Dose
        The settings with predicted depths and coverage and no prescription.
    """
    skin = skin_model(area)
    check_settings(settings, device)
    effect = simulate_effect(settings, skin)
    sources = citations.merge(effect.sources, device.citation_keys)
    if not settings.fractional:
        return Dose(
            device=device.name,
            area=skin.area,
            settings=settings,
            ablation_depth=effect.ablation_depth,
            coagulation_depth=effect.coagulation_depth,
            coverage=1.0,
            effect=effect,
            sources=sources,
        )
    assert effect.mtz_diameter is not None  # a fractional effect has its zone diameter
    mtz = float(effect.mtz_diameter)
    coverage = (
        min(1.0, settings.density * math.pi * mtz**2 / 4)
        if settings.density is not None
        else settings.coverage
    )
    return Dose(
        device=device.name,
        area=skin.area,
        settings=replace(settings, coverage=coverage),
        ablation_depth=float(effect.ablation_depth),
        coagulation_depth=float(effect.coagulation_depth),
        coverage=coverage,
        mtz_diameter=mtz,
        effect=effect,
        sources=sources,
    )
