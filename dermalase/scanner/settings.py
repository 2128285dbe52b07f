"""The settings of one scan: fluence and energy per spot, rate, speed and pattern tile.

:func:`scan_settings` fills what the request left out from the device (or from
the stated defaults without one) and checks every setting against the device.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from dermalase.devices import DeviceProfile, check, nearest
from dermalase.exceptions import InputError
from dermalase.scanner.order import TILE_SHAPES
from dermalase.scanner.request import positive_setting
from dermalase.units import MM_PER_M

#: Beam speed between spots without a device profile [m/s] (assumption: the
#: 1000 mm/s that the bundled device files assume).
SCANNER_SPEED = 1.0
#: Pattern tile size without a device profile [m] (assumption: within the 2-20 mm
#: that the bundled device files assume).
PATTERN_SIZE = 12e-3


@dataclass(frozen=True)
class ScanSettings:
    """Settings of one scan after defaults and device checks.

    Parameters
    ----------
    modality : {"full_field", "fractional"}
        Treatment modality.
    spot_diameter : float
        Beam spot or microbeam diameter [m].
    zone_diameter : float
        Diameter of the zone each spot treats, the one laid out [m].
    energy : float or None
        Pulse or microbeam energy [J].
    fluence : float or None
        Fluence per pulse, mean over the spot [J/m^2] (full field).
    repetition_rate : float
        Pulse repetition rate [Hz].
    scanner_speed : float
        Beam speed between spots [m/s].
    pattern_shape : str
        Pattern tile shape.
    pattern_size : float
        Pattern tile size, its widest extent [m].
    wavelength : float or None
        Vacuum wavelength [m].
    """

    modality: str
    spot_diameter: float
    zone_diameter: float
    energy: float | None
    fluence: float | None
    repetition_rate: float
    scanner_speed: float
    pattern_shape: str
    pattern_size: float
    wavelength: float | None


def spot_energy(
    modality: str, spot_diameter: float, fluence: float | None, energy: float | None
) -> tuple[float | None, float | None]:
    """Fluence [J/m^2] and energy [J] per spot, from whichever the modality takes.

    Full field takes a fluence per pulse, mean over the spot, and its energy
    is the fluence times the spot area ``pi d^2 / 4``; fractional takes an
    energy per microbeam and has no fluence. Either may be missing (None).
    """
    spot_area = 0.25 * math.pi * spot_diameter**2
    if modality == "full_field":
        if energy is not None:
            raise InputError(
                "energy", energy, "full field takes a fluence per pulse, not an energy"
            )
        if fluence is None:
            return None, None
        fluence = positive_setting(fluence, "fluence", "J/m^2")
        return fluence, fluence * spot_area
    if fluence is not None:
        raise InputError("fluence", fluence, "fractional work takes an energy per microbeam")
    if energy is None:
        return None, None
    return None, positive_setting(energy, "energy", "J")


def scan_settings(
    device: DeviceProfile | None,
    modality: str,
    spot_diameter: float,
    zone_diameter: float,
    *,
    fluence: float | None,
    energy: float | None,
    repetition_rate: float | None,
    scanner_speed: float | None,
    pattern_shape: str | None,
    pattern_size: float | None,
    wavelength: float | None,
) -> ScanSettings:
    """Fill the defaults from the device and check each setting against it.

    Without a device the repetition rate must be given; the scanner speed
    defaults to :data:`SCANNER_SPEED`, the pattern to a :data:`PATTERN_SIZE`
    square. With one, the repetition rate defaults to its highest within its
    average power, the speed to its highest, the shape to its first that
    tiles and the size to its largest, and every setting is checked.

    Returns
    -------
    ScanSettings

    Raises
    ------
    InputError
        For a missing or non-positive setting, or a pattern smaller than a spot.
    RefusalError
        For a setting the device cannot deliver.
    """
    fluence, energy = spot_energy(modality, spot_diameter, fluence, energy)
    scanner = device.scanner if device is not None else None
    if device is not None:
        if fluence is not None:
            check(device, "fluence", fluence)
        if modality == "fractional" and energy is not None:
            check(device, "energy", energy)
        wavelength = device.wavelength if wavelength is None else wavelength
    if repetition_rate is None:
        if device is None:
            raise InputError("repetition_rate", "missing", "give it in Hz, or give a device")
        repetition_rate = device.repetition_rate.maximum
        if device.average_power_max is not None and energy:
            repetition_rate = nearest(
                device, "repetition_rate", min(repetition_rate, device.average_power_max / energy)
            )
    repetition_rate = positive_setting(repetition_rate, "repetition_rate", "Hz")
    if scanner_speed is None:
        scanner_speed = scanner.speed_max if scanner is not None else SCANNER_SPEED
    scanner_speed = positive_setting(scanner_speed, "scanner_speed", "m/s")
    if pattern_shape is None:
        offered = scanner.pattern_shapes if scanner is not None else ("square",)
        pattern_shape = next((s for s in offered if s in TILE_SHAPES), None)
        if pattern_shape is None:
            raise InputError(
                "pattern_shape",
                ", ".join(offered),
                f"no shape of the device tiles an area; tiling supports {', '.join(TILE_SHAPES)}",
            )
    if pattern_size is None:
        pattern_size = scanner.pattern_size.maximum if scanner is not None else PATTERN_SIZE
    pattern_size = positive_setting(pattern_size, "pattern_size", "m")
    if pattern_size < spot_diameter:
        raise InputError(
            "pattern_size",
            f"{pattern_size * MM_PER_M:g} mm",
            f"must hold at least one {spot_diameter * MM_PER_M:g} mm spot",
        )
    if device is not None:
        check(device, "repetition_rate", repetition_rate)
        if energy is not None:
            check(device, "average_power", (energy, repetition_rate))
        if scanner is not None:
            check(device, "scanner_speed", scanner_speed)
            check(device, "pattern_shape", pattern_shape)
            check(device, "pattern_size", pattern_size)
    return ScanSettings(
        modality=modality,
        spot_diameter=spot_diameter,
        zone_diameter=zone_diameter,
        energy=energy,
        fluence=fluence,
        repetition_rate=repetition_rate,
        scanner_speed=scanner_speed,
        pattern_shape=pattern_shape,
        pattern_size=pattern_size,
        wavelength=wavelength,
    )
