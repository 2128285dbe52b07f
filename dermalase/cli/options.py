"""Readers of the command line's quantities: text with units in, SI floats out.

Each reader parses one kind of clinical quantity with its unit
(:func:`dermalase.units.parse_quantity`) and checks it against the range the
commands accept, so an option means the same thing in every command. A bad
value raises :class:`~dermalase.exceptions.InputError` naming the option.
"""

from __future__ import annotations

from collections.abc import Iterable

from dermalase.exceptions import InputError, did_you_mean
from dermalase.laser import (
    PASS_INTERVAL_MAX,
    PULSE_DURATION_MAX,
    PULSE_DURATION_MIN,
    REPETITION_RATE_MIN,
)
from dermalase.units import check_range, parse_quantity

#: Microbeam or spot diameters the commands accept [m] (issue 3: 20 µm to 2 mm).
SPOT_RANGE = (20e-6, 2e-3)
#: Spot diameters the scanner lays [m]: 20 µm microbeams to 10 mm full-field
#: spots (the bundled handpieces reach 6 mm, ``er_ysgg``); a device refuses
#: what it does not offer.
SCAN_SPOT_RANGE = (20e-6, 10e-3)
#: Wavelengths the commands accept [m]: the water absorption table the optics
#: read (Hale & Querry 1973, 200 nm-200 µm) limits what can be simulated; the
#: models are checked from 1300 nm (thulium, 1470 nm modules) to 11 µm (CO2).
WAVELENGTH_RANGE = (1300e-9, 11000e-9)
#: Deepest depth a command accepts [m]; device and area limits come later.
DEPTH_LIMIT = 4e-3


def fluence(text: str, option: str) -> float:
    """Fluence [J/m²], > 0 and at most 1000 J/cm²."""
    value = parse_quantity(text, "J/m**2", option)
    return check_range(value, option, low=0.0, high=1e7, shown="J/cm2", scale=1e-4)


def duration(text: str, option: str) -> float:
    """Pulse duration [s], from 1 ns to 100 ms (:data:`dermalase.laser.PULSE_DURATION_MIN`)."""
    value = parse_quantity(text, "s", option, example="300us")
    return check_range(
        value,
        option,
        low=PULSE_DURATION_MIN,
        low_inclusive=True,
        high=PULSE_DURATION_MAX,
        shown="us",
        scale=1e6,
    )


def rate(text: str, option: str, high: float = 1e5) -> float:
    """Repetition rate [Hz], from 1 Hz (the lowest of any device) to ``high``.

    The solvers step through the time between pulses, so the lowest rate bounds
    their work (:data:`dermalase.laser.REPETITION_RATE_MIN`).
    """
    value = parse_quantity(text, "Hz", option, example="10Hz")
    return check_range(
        value, option, low=REPETITION_RATE_MIN, low_inclusive=True, high=high, shown="Hz"
    )


def interval(text: str, option: str) -> float:
    """Time between passes [s], > 0 and at most an hour."""
    value = parse_quantity(text, "s", option, example="10s")
    return check_range(value, option, low=0.0, high=PASS_INTERVAL_MAX, shown="s")


def wavelength(text: str, option: str) -> float:
    """Vacuum wavelength [m], within :data:`WAVELENGTH_RANGE`, shown in nm."""
    value = parse_quantity(text, "m", option, example="2940nm")
    low, high = WAVELENGTH_RANGE
    return check_range(value, option, low=low, low_inclusive=True, high=high, shown="nm", scale=1e9)


def energy(text: str, option: str) -> float:
    """Energy per microbeam [J], > 0 and at most 1 J."""
    value = parse_quantity(text, "J", option)
    return check_range(value, option, low=0.0, high=1.0, shown="mJ", scale=1e3)


def spot(text: str, option: str, limits: tuple[float, float] = SPOT_RANGE) -> float:
    """Spot or microbeam diameter [m], within ``limits`` (default :data:`SPOT_RANGE`)."""
    value = parse_quantity(text, "m", option)
    low, high = limits
    return check_range(value, option, low=low, high=high, low_inclusive=True, shown="um", scale=1e6)


def depth(text: str, option: str, allow_zero: bool = False) -> float:
    """Depth below the skin surface [m], > 0 (or >= 0) and at most :data:`DEPTH_LIMIT`."""
    value = parse_quantity(text, "m", option)
    return check_range(
        value,
        option,
        low=0.0,
        high=DEPTH_LIMIT,
        low_inclusive=allow_zero,
        shown="um",
        scale=1e6,
    )


def fraction(text: str, option: str) -> float:
    """A share of the surface [-], written as a percentage: > 0 % and at most 100 %."""
    value = parse_quantity(text, "dimensionless", option)
    return check_range(value, option, low=0.0, high=1.0, shown="%", scale=100.0)


def name(text: str, known: Iterable[str], option: str) -> str:
    """The known name that ``text`` spells, matched without regard to case, ``-`` or ``_``.

    Parameters
    ----------
    text : str
        The name typed, e.g. ``HEAT-AWARE`` or ``Top_Hat``.
    known : iterable of str
        The names accepted, in their own spelling.
    option : str
        The option, for the error message.

    Returns
    -------
    str
        The known name, spelt as in ``known``.

    Raises
    ------
    InputError
        For an unknown name, with the closest known one ("did you mean").

    Examples
    --------
    >>> name("HEAT_AWARE", ["raster", "heat-aware"], "--order")
    'heat-aware'
    """
    names = list(known)
    by_key = {_name_key(item): item for item in names}
    key = _name_key(text)
    if key in by_key:
        return by_key[key]
    hint = did_you_mean(key, (), aliases=by_key)
    raise InputError(option, text, f"{hint}choose one of: {', '.join(names)}")


def _name_key(text: str) -> str:
    return text.strip().casefold().replace("-", "_").replace(" ", "_")


#: Options of the pulse settings, by the name of the settings field they set
#: (LaserSettings, Prescription and the scanner's keyword arguments): an
#: error the library raises on such a field is reported under the option
#: when the running command has it.
SETTINGS_OPTIONS = {
    "wavelength": "--wavelength",
    "fluence": "--fluence",
    "energy": "--energy",
    "spot_diameter": "--spot",
    "zone_diameter": "--zone",
    "pulse_duration": "--pulse-duration",
    "pulses": "--pulses",
    "passes": "--passes",
    "repetition_rate": "--rep-rate",
    "pass_interval": "--pass-interval",
    "coagulation_fluence": "--coag-fluence",
    "coagulation_pulses": "--coag-pulses",
    "coagulation_pulse_duration": "--coag-pulse-duration",
    "coagulation_repetition_rate": "--coag-rep-rate",
    "beam": "--beam",
    "ablation_depth": "--ablation",
    "coagulation_depth": "--coagulation",
    "coverage": "--coverage",
    "density": "--density",
    "density_step": "--density-step",
    "overlap": "--overlap",
    "order": "--order",
    "lattice": "--lattice",
    "pattern_shape": "--pattern-shape",
    "pattern_size": "--pattern-size",
}
