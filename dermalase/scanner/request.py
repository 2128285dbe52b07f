"""A scan request checked before any spot is laid: its input, then what the device can deliver.

Bad input raises :class:`~dermalase.exceptions.InputError` (exit 2); a setting
the device cannot deliver raises :class:`~dermalase.exceptions.RefusalError`
(exit 3). :func:`dermalase.scanner.plan.scan_area` checks input first.
"""

from __future__ import annotations

import math
from typing import cast

from dermalase.devices import DeviceProfile, check
from dermalase.exceptions import InputError, RefusalError
from dermalase.scanner import pattern
from dermalase.scanner.order import ORDERS
from dermalase.units import UM_PER_M

#: Modality spellings accepted, by the name used in the plan.
MODALITY_NAMES = {
    "full_field": "full_field",
    "full-field": "full_field",
    "fractional": "fractional",
}
#: Largest distance between achieved and device-step coverage accepted [-]: one
#: percentage point, the tolerance of the pattern itself.
STEP_TOLERANCE = pattern.COVERAGE_TOLERANCE


def modality_name(modality: str) -> str:
    """The plan's name of a modality spelling, or InputError listing the known ones."""
    try:
        return MODALITY_NAMES[modality]
    except KeyError:
        raise InputError("modality", modality, "choose one of: full_field, fractional") from None


def order_name(name: str) -> str:
    """Return a known order name, or raise InputError listing the known ones."""
    if name not in ORDERS:
        raise InputError("order", name, f"choose one of: {', '.join(ORDERS)}")
    return name


def positive_setting(value: float, field_name: str, unit: str) -> float:
    """A setting as a float, or InputError unless it is a finite number > 0 in ``unit``."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(field_name, value, f"must be a finite number in {unit}")
    if value <= 0.0:
        raise InputError(field_name, value, f"must be > 0 {unit}")
    return float(value)


def check_spot_diameter(spot_diameter: float) -> None:
    """InputError unless the beam spot diameter [m] is a finite number."""
    if not (isinstance(spot_diameter, int | float) and math.isfinite(spot_diameter)):
        raise InputError("spot_diameter", spot_diameter, "must be a finite number in m")


def zone_diameter_of(modality: str, spot_diameter: float, zone_diameter: float | None) -> float:
    """The diameter laid out: the zone (fractional, when given) or the spot [m]."""
    if zone_diameter is None:
        return spot_diameter
    if modality != "fractional":
        raise InputError(
            "zone_diameter", zone_diameter, "applies to fractional work; full field lays its spot"
        )
    if not (
        isinstance(zone_diameter, int | float)
        and math.isfinite(zone_diameter)
        and zone_diameter > 0
    ):
        raise InputError("zone_diameter", zone_diameter, "must be a positive number in m")
    return float(zone_diameter)


def check_against_device(
    device: DeviceProfile,
    modality: str,
    spot_diameter: float,
    zone_diameter: float,
    passes: int,
    overlap: float | None,
    coverage: float | None,
) -> None:
    """Refuse what the device cannot deliver (RefusalError) before laying spots.

    The beam spot is checked against the device's spots; a fractional
    coverage, counted on the zones, against its density steps (zones per
    area), within :data:`STEP_TOLERANCE`.

    Parameters
    ----------
    device : DeviceProfile
        The laser.
    modality : {"full_field", "fractional"}
        Treatment modality, as :func:`modality_name` names it.
    spot_diameter : float
        Beam spot or microbeam diameter [m].
    zone_diameter : float
        Diameter of the zone each spot treats [m].
    passes : int
        Number of passes.
    overlap : float or None
        Full-field overlap, fraction of the diameter [-].
    coverage : float or None
        Fractional coverage per pass [-].
    """
    check(device, "modality", modality.replace("-", "_"))
    check(device, "spot_diameter", spot_diameter)
    check(device, "passes", passes)
    scanner = device.scanner
    if modality == "full_field" and scanner is not None and scanner.overlap is not None:
        check(device, "overlap", overlap)
    if modality == "fractional" and device.density_steps:
        # a missing coverage is refused by the device itself (InputError) before use
        asked = cast(float, coverage)
        choice = device.density_for_coverage(asked, spot_diameter, zone_diameter)
        if abs(choice.coverage - asked) > STEP_TOLERANCE:
            raise RefusalError(
                "device.density_steps",
                f"coverage {asked:.1%} is not a density step of {device.display_name}; "
                f"the nearest, step {choice.step}, gives {choice.coverage:.1%} "
                f"with {zone_diameter * UM_PER_M:g} um zones",
                device.source_file,
            )
