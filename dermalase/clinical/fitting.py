"""The dosing stage: fit the draft to what the device delivers, the caps and the downtime.

:class:`DoseFitting` holds the planner's dosing steps: the nearest milder prescription
when a device falls short, the shallowest one it delivers, a fallback route (another
device, shallower work), the physician's depth as set, and the bisection that keeps the
predicted re-epithelialisation within the downtime the patient accepts. Each step is
recorded as a finding.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TypedDict

from dermalase import citations
from dermalase.clinical import rules as clinical_rules
from dermalase.clinical.consultation import Consultation
from dermalase.clinical.names import area_name
from dermalase.clinical.recovery import recovery_data
from dermalase.clinical.rules import Finding
from dermalase.clinical.rules.caps import treatment_of
from dermalase.clinical.rules.findings import DOWNTIME_RULE
from dermalase.clinical.slots import PlanRequest
from dermalase.devices import DeviceProfile, list_devices, load_device
from dermalase.dosimetry import Dose
from dermalase.exceptions import RefusalError
from dermalase.prescription import Prescription
from dermalase.units import UM_PER_M, plural

#: A fallback route lays no more coverage than the draft [-] (which keeps within the area
#: cap and the skin type's limit), less this rounding slack.
_COVERAGE_SLACK = 1e-9

#: Rule id of the findings of a fallback route (another device, shallower treatment).
FALLBACK_RULE = "planner.fallback"

#: Bisection steps that fit a dosed depth to the accepted downtime: the depth is
#: found to 1/2^8 of the drafted one (under 1 µm for a 150 µm draft).
_DOWNTIME_BISECTIONS = 8

#: Doses that fit a full-field depth under its area's total cap: the coagulation a
#: pulse leaves changes little with the ablation depth, so one lowering by the excess
#: usually suffices; the second and third take up what it changed.
_TOTAL_CAP_TRIES = 3


class _MilderChanges(TypedDict, total=False):
    """What :func:`_milder` lowers: depths [m] and coverage [-]."""

    ablation_depth: float
    coagulation_depth: float
    coverage: float


def _milder(prescription: Prescription, nearest: Mapping[str, float]) -> Prescription | None:
    """The nearest achievable prescription when it is milder (shallower, sparser), else None.

    ``nearest`` is a refusal's offer: glossary names, SI values ([m], [-]).
    """
    changes: _MilderChanges = {}
    depth = nearest.get("ablation_depth")
    if depth is not None and 0 < depth < prescription.ablation_depth:
        changes["ablation_depth"] = depth
    coagulation = nearest.get("coagulation_depth")
    if coagulation is not None and 0 <= coagulation < prescription.coagulation_depth:
        changes["coagulation_depth"] = coagulation
    coverage = nearest.get("coverage")
    if coverage is not None and 0 < coverage < prescription.coverage:
        changes["coverage"] = coverage
    return replace(prescription, **changes) if changes else None


class DoseFitting:
    """The dosing steps of :class:`~dermalase.clinical.planner.TreatmentPlanner`.

    A mixin: it reads the planner's ``slots`` (the dosimetry slot above all).
    """

    slots: dict[str, Callable]

    def _dose(
        self,
        prescription: Prescription,
        device: DeviceProfile,
        consultation: Consultation,
        request: PlanRequest,
        findings: list,
        tries: int = 3,
    ):
        """Dose the prescription; where the device falls short, take the nearest milder one."""
        try:
            return prescription, self.slots["dosimetry"](prescription, device, request.simulate)
        except RefusalError as refusal:
            if tries == 0:
                raise
            milder = _milder(prescription, refusal.nearest or {})
            if milder is None:
                return self._shallowest(
                    prescription, device, consultation, request, findings, refusal
                )
            findings.append(
                Finding(
                    rule=refusal.rule,
                    severity="warning",
                    message=f"{area_name(prescription.area)}: {refusal.message}; planned the "
                    "nearest milder prescription the device delivers",
                    source=refusal.source,
                )
            )
            return self._dose(milder, device, consultation, request, findings, tries - 1)

    def _shallowest(
        self,
        prescription: Prescription,
        device: DeviceProfile,
        consultation: Consultation,
        request: PlanRequest,
        findings: list,
        refusal: RefusalError,
    ):
        """Take the shallowest depth the device delivers, if it is safe and heals in time.

        Where a prescription is shallower than anything the device (or the
        model) can ablate, the nearest deeper one is planned only when it
        keeps within the area cap and the recovery model heals it within
        the downtime the patient accepts [days]; otherwise the refusal stands.
        """
        depth = (refusal.nearest or {}).get("ablation_depth")
        if depth is None or depth <= prescription.ablation_depth:
            raise refusal
        deeper = replace(prescription, ablation_depth=depth)
        cap = clinical_rules.area_cap(prescription.area, overrides=request.overrides)
        if cap.violations(deeper):
            raise refusal
        result = self.slots["dosimetry"](deeper, device, request.simulate)
        healing = request.recovery(deeper, result).healing_days
        downtime = consultation.downtime_days
        if healing > downtime:
            raise refusal
        findings.append(
            Finding(
                rule=refusal.rule,
                severity="warning",
                message=(
                    f"{area_name(prescription.area)}: {refusal.message}; planned the shallowest "
                    f"depth it delivers, {depth * UM_PER_M:.1f} µm, which heals in about "
                    f"{plural(round(healing), 'day')}, "
                    f"within the {plural(downtime, 'day')} accepted"
                ),
                source=refusal.source,
            )
        )
        return deeper, result

    def _fallback(
        self,
        prescription: Prescription,
        device: DeviceProfile,
        consultation: Consultation,
        request: PlanRequest,
        findings: list,
        refusal: RefusalError,
    ) -> tuple[Prescription, DeviceProfile, Dose]:
        """Another route when the first device refuses the draft, recorded as a finding.

        In order: another device of the same modality (one the consultation lists, else
        one of the candidates), at its own wavelength; then shallower treatment on the
        first device, the deepest it delivers. Shallower columns have narrower treatment
        zones, so the lowest density step of a fractional device covers less skin: that
        is what lets sparse work on a dark skin type go ahead (type V acne scars, whose
        300 µm columns no step lays within 10 %). When nothing delivers, the first
        refusal stands.
        """
        area, modality = prescription.area, prescription.modality
        dosimetry = self.slots["dosimetry"]
        names = consultation.devices or request.devices or tuple(d.name for d in list_devices())
        # Another device of the same kind of treatment: non-ablative work moves only to a
        # device that coagulates without ablating, ablative work only to one that ablates.
        planning = clinical_rules.load_rules().planning
        treatment = treatment_of(prescription)
        for name in names:
            other = load_device(name)
            delivers = clinical_rules.device_treatments(other, planning)
            if other.name == device.name or treatment not in delivers:
                continue
            moved = replace(prescription, wavelength=other.wavelength)
            if clinical_rules.area_cap(area, overrides=request.overrides).violations(moved):
                continue
            # Non-ablative work may take the other device's nearest milder zones (shallower
            # or sparser, never deeper or denser); ablative work moves only as drafted.
            noted: list[Finding] = []
            try:
                if treatment == "non_ablative":
                    moved, result = self._dose(moved, other, consultation, request, noted)
                else:
                    result = dosimetry(moved, other, request.simulate)
            except RefusalError:
                continue
            if result.coverage > prescription.coverage + _COVERAGE_SLACK:
                continue
            findings.append(
                Finding(
                    FALLBACK_RULE,
                    "warning",
                    f"{area_name(area)}: {refusal.message}; planned on {other.display_name} "
                    "instead, which delivers the draft"
                    + (" at its nearest milder settings" if noted else ""),
                    refusal.source,
                )
            )
            findings.extend(noted)
            return moved, other, result
        # Shallower on the first device: bisect for the deepest ablation it delivers, no
        # shallower than the rules offer for the modality.
        shallowest = (
            planning.minimum_column_depth_um
            if modality == "fractional"
            else planning.minimum_ablation_depth_um
        ) / UM_PER_M
        low, high = shallowest, prescription.ablation_depth
        if low >= high:
            raise refusal
        best: tuple[Prescription, Dose, RefusalError | None] | None = None
        for _ in range(_DOWNTIME_BISECTIONS):
            depth = 0.5 * (low + high)
            candidate = replace(prescription, ablation_depth=depth)
            try:
                candidate, dosed, short = self._dose_leaving_coagulation(candidate, device, request)
            except RefusalError:
                high = depth
                continue
            if dosed.coverage > prescription.coverage + _COVERAGE_SLACK:
                high = depth  # laid denser than drafted: the skin type's limit would break
                continue
            best, low = (candidate, dosed, short), depth
        if best is None:
            raise refusal
        shallower, dosed, short = best
        if short is not None:
            findings.append(
                Finding(
                    short.rule,
                    "warning",
                    f"{area_name(area)}: {short.message}; planned the coagulation its "
                    "ablative pulses leave",
                    short.source,
                )
            )
        asked, kept = prescription.ablation_depth * UM_PER_M, shallower.ablation_depth * UM_PER_M
        what = "columns" if modality == "fractional" else "ablation"
        findings.append(
            Finding(
                FALLBACK_RULE,
                "warning",
                f"{area_name(area)}: {refusal.message}; no other listed device delivers it, so "
                f"planned shallower {what} on {device.display_name}: {kept:.0f} µm instead of "
                f"{asked:.0f} µm, at {dosed.coverage * 100:.1f} % coverage; expect less "
                "correction per session",
                refusal.source,
            )
        )
        return shallower, device, dosed

    def _dose_leaving_coagulation(
        self, prescription: Prescription, device: DeviceProfile, request: PlanRequest
    ) -> tuple[Prescription, Dose, RefusalError | None]:
        """Dose; where the ablative pulses leave less coagulation than asked, take what they leave.

        A device without a sub-ablative coagulation train cannot add coagulation
        to what its ablative pulses leave (``device.coagulation``); the
        prescription then keeps its ablation and takes the coagulation the
        refusal offers, when that is milder. Returns the prescription dosed, the
        dose and the refusal that lowered the coagulation (None if none did).
        """
        dosimetry = self.slots["dosimetry"]
        try:
            return prescription, dosimetry(prescription, device, request.simulate), None
        except RefusalError as short:
            milder = _milder(prescription, short.nearest or {})
            if (
                short.rule != "device.coagulation"
                or milder is None
                or milder.ablation_depth != prescription.ablation_depth
            ):
                raise
            return milder, dosimetry(milder, device, request.simulate), short

    def _dose_as_set(
        self,
        prescription: Prescription,
        device: DeviceProfile,
        consultation: Consultation,
        request: PlanRequest,
        findings: list,
    ) -> Dose:
        """Dose the physician's depth as set: no milder fallback, no fit to the downtime.

        A depth the device cannot deliver is refused with the nearest it delivers, which
        the physician may then set; a depth that re-epithelialises after the accepted
        downtime is planned, with a warning that gives the predicted day.
        """
        area = prescription.area
        try:
            result = self.slots["dosimetry"](prescription, device, request.simulate)
        except RefusalError as refusal:
            raise RefusalError(
                refusal.rule,
                f"the physician's depth for the {area_name(area)}: {refusal.message}; set "
                f"[depth.{area}] to a depth the device delivers",
                refusal.source,
                nearest=refusal.nearest,
            ) from None
        downtime = consultation.downtime_days
        healed = request.recovery(prescription, result).reepithelialized_day
        if healed > downtime:
            late = healed - downtime
            findings.append(
                Finding(
                    DOWNTIME_RULE,
                    "warning",
                    f"{area_name(area)}: the physician's depth is predicted to re-epithelialise "
                    f"on day {healed}, {plural(late, 'day')} after the "
                    f"{plural(downtime, 'day')} the patient accepts; planned "
                    "as set: the physician decides",
                    citations.describe(recovery_data().source_keys()),
                )
            )
        return result

    def _within_downtime(
        self,
        prescription: Prescription,
        device: DeviceProfile,
        result: Dose,
        consultation: Consultation,
        request: PlanRequest,
        findings: list,
    ) -> tuple[Prescription, Dose]:
        """Keep the predicted re-epithelialisation within the downtime the patient accepts.

        Drafting limits the prescribed depth with the recovery slot, but what heals is
        what the device delivers: the ablation it reaches and the coagulation its
        wavelength and pulse leave below the floor, which a draft does not prescribe.
        When the dosed prediction heals after the accepted downtime, the ablation depth
        is bisected down, dosing each candidate, to the deepest that heals in time, and a
        finding says so; when no depth the device delivers heals in time, a warning
        finding says by how many days the plan misses.
        """
        downtime = consultation.downtime_days
        healed = request.recovery(prescription, result).reepithelialized_day
        if healed <= downtime:
            return prescription, result
        dosimetry = self.slots["dosimetry"]
        if prescription.ablation_depth == 0.0:
            # Non-ablative: no ablation to trade for time; the surface closes in a day.
            findings.append(
                Finding(
                    DOWNTIME_RULE,
                    "warning",
                    f"{area_name(prescription.area)}: the treated zones are predicted to close "
                    f"on day {healed}, after the {plural(downtime, 'day')} accepted",
                    citations.describe(recovery_data().source_keys()),
                )
            )
            return prescription, result
        low, high = 0.0, prescription.ablation_depth
        best: tuple[Prescription, Dose] | None = None
        for _ in range(_DOWNTIME_BISECTIONS):
            depth = 0.5 * (low + high)
            candidate = replace(prescription, ablation_depth=depth)
            try:
                dosed = dosimetry(candidate, device, request.simulate)
            except RefusalError:  # shallower than the device delivers
                low = depth
                continue
            if request.recovery(candidate, dosed).reepithelialized_day <= downtime:
                best, low = (candidate, dosed), depth
            else:
                high = depth
        sources = citations.describe(recovery_data().source_keys())
        days = plural(downtime, "day")
        area = prescription.area
        if best is None:
            findings.append(
                Finding(
                    DOWNTIME_RULE,
                    "warning",
                    f"{area_name(area)}: the skin is predicted to re-epithelialise on day "
                    f"{healed}, {plural(healed - downtime, 'day')} after the {days} accepted; "
                    "no depth "
                    f"{device.display_name} delivers heals within them",
                    sources,
                )
            )
            return prescription, result
        fitted, dosed = best
        findings.append(
            Finding(
                DOWNTIME_RULE,
                "info",
                f"{area_name(area)}: {prescription.ablation_depth * UM_PER_M:.0f} µm would "
                "re-epithelialise "
                f"on day {healed}, with the {result.coagulation_depth * UM_PER_M:.0f} µm of "
                f"coagulation the device leaves below the floor; planned "
                f"{fitted.ablation_depth * UM_PER_M:.0f} µm, which re-epithelialises within "
                f"the {days} accepted",
                sources,
            )
        )
        return fitted, dosed

    def _within_total_cap(
        self,
        prescription: Prescription,
        device: DeviceProfile,
        result: Dose,
        request: PlanRequest,
        findings: list,
    ) -> tuple[Prescription, Dose]:
        """Keep a full-field treatment within its area's total-depth cap.

        A draft at the ablation cap prescribes no coagulation on the areas that take
        none, but every ablative pulse leaves its own residual thermal damage below the
        floor (10-50 µm for free-running Er:YAG, Walsh, Flotte & Deutsch 1989), so the
        delivered total can pass the total cap. The ablation depth is then lowered by
        the excess and dosed again, at most :data:`_TOTAL_CAP_TRIES` times, and a
        finding says so; what still exceeds the cap is warned of by the delivery checks.
        """
        if prescription.modality != "full_field":
            return prescription, result
        area = prescription.area
        cap = clinical_rules.area_cap(area, overrides=request.overrides)
        allowed = cap.max_total_depth(prescription.modality)
        fitted, dosed = prescription, result
        for _ in range(_TOTAL_CAP_TRIES):
            delivered = dosed.delivered(area)
            excess = delivered.total_depth - allowed
            if excess <= 0 or fitted.ablation_depth <= excess:
                break
            candidate = replace(fitted, ablation_depth=fitted.ablation_depth - excess)
            try:
                dosed = self.slots["dosimetry"](candidate, device, request.simulate)
            except RefusalError:  # shallower than the device delivers
                break
            fitted = candidate
        if fitted is prescription:
            return prescription, result
        if dosed.ablation_depth + dosed.coagulation_depth > result.ablation_depth + (
            result.coagulation_depth
        ):
            return prescription, result
        findings.append(
            Finding(
                cap.rule,
                "info",
                f"{area_name(area)}: {result.ablation_depth * UM_PER_M:.0f} µm of ablation and "
                f"the {result.coagulation_depth * UM_PER_M:.0f} µm of coagulation "
                f"{device.display_name} leaves below the floor would reach "
                f"{(result.ablation_depth + result.coagulation_depth) * UM_PER_M:.0f} µm, past "
                f"the {allowed * UM_PER_M:.0f} µm total cap; planned "
                f"{fitted.ablation_depth * UM_PER_M:.0f} µm of ablation",
                cap.source,
            )
        )
        return fitted, dosed
