"""A device's laser-safety figures at each of its wavelengths, from its worst case.

For each wavelength of a device: the MPE per pulse for the eye and the skin
over an accidental exposure (the pulse-train rules,
:mod:`~dermalase.safety.repetitive_pulses`), the NOHD of the handpiece
beam, of its diffuse reflection from the skin and of the delivery-arm beam
(:mod:`~dermalase.safety.hazard_distance`), and the eyewear optical density
(:mod:`~dermalase.safety.eyewear`). This module composes; the formulas live
in those modules.

The worst case of a device profile is the most hazardous of every pulse
train it can fire (:func:`device_pulse_trains`): each pulse mode at its
shortest and longest pulse with the largest pulse energy (energy per
microbeam, or the largest fluence over the largest spot) at the fastest rate
allowed (capped by one pulse per pulse duration and by the average power),
the weaker pulses the average power allows at the highest rate, and the
coagulation train at its own rate. Every train starts from the smallest spot
as the origin of the handpiece beam and is averaged over the narrowest
limiting aperture (the one for a single pulse); the train that needs the
densest eyewear is kept and named.

Examples
--------
>>> from dermalase.devices import load_device
>>> [line] = assess_device(load_device("fractional_co2"))
>>> line.summary()["wavelength_nm"], line.rule
(10600.0, 'average_power')
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from dermalase.citations import Citation, register
from dermalase.devices.profiles import DeviceProfile
from dermalase.exceptions import InputError
from dermalase.laser import LaserSettings
from dermalase.safety import exposure_limits, hazard_distance
from dermalase.safety.eyewear import optical_density
from dermalase.safety.repetitive_pulses import PULSE_RULES_CITATION, pulse_train_mpe

#: Longest accidental exposure considered [s]: 100 s for wavelengths above
#: 400 nm (IEC TR 60825-14, clause 5.1).
ACCIDENTAL_EXPOSURE = 100.0

ACCIDENTAL_EXPOSURE_CITATION = register(
    Citation(
        key="IEC/TR60825-14",
        status="secondary",
        text=(
            "IEC TR 60825-14 (AS/NZS IEC 60825.14:2011). Safety of laser products - Part 14: "
            "A user's guide. Clause 5.1: 100 s as the longest accidental exposure above 400 nm."
        ),
        note="Read in a publisher's preview of AS/NZS IEC 60825.14:2011, clause 5.1.",
    )
)

#: Citation keys behind every assessment.
SOURCES = (
    exposure_limits.CITATION.key,
    PULSE_RULES_CITATION.key,
    ACCIDENTAL_EXPOSURE_CITATION.key,
    hazard_distance.CITATION.key,
)


@dataclass(frozen=True)
class WavelengthSafety:
    """The laser-safety figures of one wavelength of a device.

    Parameters
    ----------
    wavelength : float
        Wavelength [m].
    exposure_duration : float
        Accidental exposure the limits are for [s].
    pulse_energy, pulse_duration, repetition_rate : float
        The worst-case pulse [J], [s] and rate [Hz].
    mpe_eye, mpe_skin : float
        MPE per pulse over the exposure [J/m²].
    rule : str
        The pulse-train rule that decided the MPE.
    exposure_at_eye : float
        Worst-case radiant exposure of one pulse at the eye [J/m²].
    od_required : float
        Eyewear optical density [-].
    nohd, nohd_diffuse, nohd_delivery_arm : float or None
        Hazard distances [m] of the handpiece beam, its diffuse reflection
        from skin and the delivery-arm beam; None where the device file has
        no beam geometry.
    spot : float
        Diameter of the beam at the treatment plane, the handpiece beam's origin [m].
    train : str
        Which of the device's pulse trains these figures are for (not
        compared: two paths to the same pulse give equal figures).
    """

    wavelength: float
    exposure_duration: float
    pulse_energy: float
    pulse_duration: float
    repetition_rate: float
    mpe_eye: float
    mpe_skin: float
    rule: str
    exposure_at_eye: float
    od_required: float
    nohd: float | None
    nohd_diffuse: float | None
    nohd_delivery_arm: float | None
    spot: float = field(default=0.0, compare=False)
    train: str = field(default="", compare=False)

    def summary(self) -> dict:
        """Return the figures in the units the command line prints (nm, s, J/m², m, mJ, µs)."""

        def metres(value: float | None) -> float | None:
            return None if value is None else round(value, 4)

        return {
            "wavelength_nm": round(self.wavelength * 1e9, 6),
            "exposure_duration_s": self.exposure_duration,
            "mpe_eye_j_m2": float(f"{self.mpe_eye:.4g}"),
            "mpe_skin_j_m2": float(f"{self.mpe_skin:.4g}"),
            "mpe_rule": self.rule,
            "nohd_m": metres(self.nohd),
            "nohd_diffuse_m": metres(self.nohd_diffuse),
            "nohd_delivery_arm_m": metres(self.nohd_delivery_arm),
            "od_required": round(self.od_required, 2),
            "exposure_at_eye_j_m2": float(f"{self.exposure_at_eye:.4g}"),
            "pulse_energy_mj": float(f"{self.pulse_energy * 1e3:.4g}"),
            "pulse_duration_us": float(f"{self.pulse_duration * 1e6:.4g}"),
            "repetition_rate_hz": float(f"{self.repetition_rate:.4g}"),
        }


def eyewear_density(od_required: float) -> float:
    """The eyewear optical density to ask for: the required OD rounded up to 0.1 [-].

    Examples
    --------
    >>> eyewear_density(4.58)
    4.6
    >>> eyewear_density(0.0)
    0.0
    """
    return math.ceil(round(od_required * 10.0, 6)) / 10.0


def hazard_zone(line: WavelengthSafety) -> str:
    """The nominal hazard zone of one wavelength in words, for the eye-protection section.

    Parameters
    ----------
    line : WavelengthSafety
        The figures of one wavelength.

    Returns
    -------
    str
        Who wears which eyewear within which distance (the longer of the direct
        beam's and the diffuse reflection's NOHD), and the reach of the
        delivery-arm beam.
    """
    nanometres = f"{line.wavelength * 1e9:g} nm"
    exposure = f"{line.exposure_duration:g} s"
    density = eyewear_density(line.od_required)
    if line.nohd is None or line.nohd_diffuse is None:
        return (
            f"Everyone in the room wears OD ≥ {density:g} at {nanometres} eyewear "
            f"(the device file has no beam geometry for a hazard distance; exposure {exposure})."
        )
    reach = max(line.nohd, line.nohd_diffuse)
    if reach == 0.0:
        text = f"No nominal hazard zone at {nanometres}: the beam is within the MPE at its origin."
    else:
        text = (
            f"Everyone within {reach:.2f} m of the treated spot wears OD ≥ {density:g} at "
            f"{nanometres} eyewear (exposure {exposure})."
        )
    if line.nohd_delivery_arm:
        text += (
            f" The collimated delivery-arm beam stays hazardous to {line.nohd_delivery_arm:.1f} m "
            "if the arm or handpiece is opened."
        )
    return text


def corneal_shield_reason(lines: tuple[WavelengthSafety, ...]) -> str:
    """Why an area inside the orbital rim needs metal corneal shields, with the NOHD.

    Parameters
    ----------
    lines : tuple of WavelengthSafety
        The figures of the area's planned settings.

    Returns
    -------
    str
    """
    reach = max((line.nohd or 0.0 for line in lines), default=0.0)
    return (
        "Eyewear cannot be worn over the treated lids and orbital rim, and the direct beam "
        f"stays above the eye's MPE to {reach:.2f} m, far beyond the few millimetres "
        "between the handpiece and the cornea; metal (non-reflective) shields stop the beam "
        "where eyewear cannot."
    )


#: One pulse train: energy [J], pulse duration [s], repetition rate [Hz], spot [m].
Pulse = tuple[float, float, float, float]


def _energy_range(device: DeviceProfile) -> tuple[float, float]:
    """Smallest and largest pulse energy of the device's ablative pulses [J]."""
    lowest, highest = [], []
    if device.energy is not None:
        lowest.append(device.energy.minimum)
        highest.append(device.energy.maximum)
    if device.fluence is not None:
        area_min = math.pi * device.spot_diameter.minimum**2 / 4.0
        area_max = math.pi * device.spot_diameter.maximum**2 / 4.0
        lowest.append(device.fluence.minimum * area_min)
        highest.append(device.fluence.maximum * area_max)
    return min(lowest), max(highest)


def _fastest(device: DeviceProfile, energy: float, duration: float, rate: float) -> float:
    """The fastest rate [Hz] the device fires ``energy`` [J] pulses of ``duration`` [s] at.

    No faster than ``rate``, than one pulse per pulse duration, nor than
    its average power allows.
    """
    rate = min(rate, 1.0 / duration)
    if device.average_power_max is not None:
        rate = min(rate, device.average_power_max / energy)
    return rate


def device_pulse_trains(device: DeviceProfile) -> tuple[tuple[str, Pulse], ...]:
    """Every pulse train the device can fire that could be its most hazardous one.

    For each pulse mode, at its shortest and at its longest pulse: the
    largest pulse energy at the fastest rate the device allows for it, and,
    where the average power caps that rate, the energy the average power
    allows at the device's highest rate. The sub-ablative coagulation train,
    where the device has one, at its largest fluence over the largest spot and
    its own rate (which may exceed the ablative pulses' highest rate). Each
    train's beam starts from the device's smallest spot.

    Within these limits a larger energy, a faster rate and a shorter pulse
    never lower the hazard, so the worst case is among these trains.

    Parameters
    ----------
    device : DeviceProfile
        The device profile.

    Returns
    -------
    tuple of (str, Pulse)
        A label for each train and its energy [J], pulse duration [s],
        repetition rate [Hz] and spot diameter [m].
    """
    lowest, highest = _energy_range(device)
    spot = device.spot_diameter.minimum
    rate_max = device.repetition_rate.maximum
    trains: list[tuple[str, Pulse]] = []
    for mode in device.pulse_modes:
        durations = sorted({mode.pulse_duration.minimum, mode.pulse_duration.maximum})
        for duration in durations:
            label = f"{mode.name} pulses of {duration * 1e6:g} µs"
            rate = _fastest(device, highest, duration, rate_max)
            trains.append((label, (highest, duration, rate, spot)))
            fastest = min(rate_max, 1.0 / duration)
            if device.average_power_max is not None and rate < fastest:
                # the largest energy the average power allows at the highest rate
                energy = device.average_power_max / fastest
                if lowest <= energy < highest:
                    trains.append(
                        (f"{label} at the highest rate", (energy, duration, fastest, spot))
                    )
    if device.coagulation is not None:
        train = device.coagulation
        area = math.pi * device.spot_diameter.maximum**2 / 4.0
        energy = train.fluence.maximum * area
        rate = _fastest(device, energy, train.pulse_duration, train.repetition_rate)
        trains.append(("coagulation train", (energy, train.pulse_duration, rate, spot)))
    return tuple(trains)


def worst_case_pulse(device: DeviceProfile) -> Pulse:
    """Return the energy [J], duration [s], rate [Hz] and spot [m] of the device's worst train.

    The train of :func:`device_pulse_trains` that needs the densest eyewear
    over the accidental exposure (then the longest hazard distance).
    """
    [line] = assess_device(device)
    return line.pulse_energy, line.pulse_duration, line.repetition_rate, line.spot


def planned_pulses(settings: LaserSettings) -> tuple[tuple[float, float, float, float], ...]:
    """Return the energy [J], duration [s], rate [Hz] and spot [m] of each planned pulse train.

    The ablative pulses, and where the settings have them the sub-ablative
    coagulation pulses, each train at its own repetition rate (no faster than one
    pulse per pulse duration, as :func:`worst_case_pulse` caps a device's rate).
    The trains are assessed apart: combining the ablative energy with the
    coagulation train's rate would count an average power the device never emits.

    Parameters
    ----------
    settings : LaserSettings
        What the device is told, with its spot (or microbeam) diameter.

    Returns
    -------
    tuple of (float, float, float, float)
        Pulse energy [J], pulse duration [s], repetition rate [Hz] and spot
        diameter [m] of each train, ablative first.

    Raises
    ------
    InputError
        For settings without a spot diameter.

    Examples
    --------
    >>> from dermalase.laser import LaserSettings
    >>> settings = LaserSettings(2.94e-6, 5e4, 250e-6, repetition_rate=10.0, spot_diameter=4e-3)
    >>> [[energy, duration, rate, spot]] = planned_pulses(settings)
    >>> round(energy, 3), duration, rate
    (0.628, 0.00025, 10.0)
    """
    spot = settings.spot_diameter
    if spot is None:
        raise InputError("spot_diameter", "None", "planned settings need a spot diameter")
    spot_area = math.pi * spot**2 / 4.0
    energy = settings.energy if settings.fractional else settings.fluence * spot_area
    if energy is None:
        raise InputError("energy", "None", "fractional settings need an energy per microbeam")
    trains: list[tuple[float, float, float]] = [
        (energy, settings.pulse_duration, settings.repetition_rate)
    ]
    if settings.coagulation_pulses and settings.coagulation_fluence > 0:
        trains.append(
            (
                settings.coagulation_fluence * spot_area,
                settings.coagulation_pulse_duration,
                settings.coagulation_repetition_rate,
            )
        )
    return tuple(
        (energy, duration, min(rate, 1.0 / duration), spot) for energy, duration, rate in trains
    )


def assess_device(
    device: DeviceProfile,
    exposure_duration: float = ACCIDENTAL_EXPOSURE,
    settings: LaserSettings | None = None,
) -> tuple[WavelengthSafety, ...]:
    """Return the laser-safety figures of each wavelength of ``device``.

    Parameters
    ----------
    device : DeviceProfile
        The device, with its beam geometry for the hazard distances.
    exposure_duration : float
        Accidental exposure [s]; default :data:`ACCIDENTAL_EXPOSURE`.
    settings : LaserSettings, optional
        The settings a plan tells the device: the figures are then for the planned
        pulse trains (:func:`planned_pulses`) at the settings' wavelength, the one
        that needs the denser eyewear, instead of the device's worst case
        (:func:`worst_case_pulse`).

    Returns
    -------
    tuple of WavelengthSafety
        One entry per wavelength (one for every bundled device).

    Raises
    ------
    InputError
        For a wavelength outside the MPE tables (180 nm to 1 mm).
    """
    if settings is None:
        trains = [
            _assess_pulse(device, device.wavelength, pulse, exposure_duration, label)
            for label, pulse in device_pulse_trains(device)
        ]
    else:
        trains = [
            _assess_pulse(device, settings.wavelength, pulse, exposure_duration, label)
            for label, pulse in zip(
                ("planned ablative train", "planned coagulation train"),
                planned_pulses(settings),
                strict=False,
            )
        ]
    return (max(trains, key=lambda line: (line.od_required, line.nohd or 0.0)),)


def _assess_pulse(
    device: DeviceProfile,
    wavelength: float,
    pulse: Pulse,
    exposure_duration: float,
    train: str = "",
) -> WavelengthSafety:
    """The figures of one pulse train (energy [J], duration [s], rate [Hz], spot [m])."""
    energy, pulse_duration, rate, spot = pulse
    # a point source (alpha <= alpha_min): the most restrictive retinal limits
    limit = pulse_train_mpe(wavelength, pulse_duration, rate, exposure_duration)
    skin = pulse_train_mpe(wavelength, pulse_duration, rate, exposure_duration, tissue="skin")
    mpe = limit.radiant_exposure
    aperture = exposure_limits.limiting_aperture(wavelength, pulse_duration)
    beam = device.beam
    exposures = [hazard_distance.beam_exposure(energy, spot, aperture)]
    nohd = nohd_diffuse = nohd_arm = None
    if beam is not None:
        arm = beam.delivery_arm_beam_diameter
        exposures.append(hazard_distance.beam_exposure(energy, arm, aperture))
        nohd = hazard_distance.ocular_hazard_distance(
            energy, mpe, spot, beam.handpiece_divergence, aperture
        )
        nohd_arm = hazard_distance.ocular_hazard_distance(
            energy, mpe, arm, beam.delivery_arm_divergence, aperture
        )
        nohd_diffuse = hazard_distance.diffuse_hazard_distance(energy, mpe, spot)
    exposure_at_eye = max(exposures)
    return WavelengthSafety(
        wavelength=wavelength,
        exposure_duration=exposure_duration,
        pulse_energy=energy,
        pulse_duration=pulse_duration,
        repetition_rate=rate,
        mpe_eye=mpe,
        # IEC 60825-1:2014 Table A.5 equals Table A.1 below 400 nm and beyond 1400 nm
        mpe_skin=skin.radiant_exposure,
        rule=limit.rule,
        exposure_at_eye=exposure_at_eye,
        od_required=optical_density(exposure_at_eye, mpe),
        nohd=nohd,
        nohd_diffuse=nohd_diffuse,
        nohd_delivery_arm=nohd_arm,
        spot=spot,
        train=train,
    )
