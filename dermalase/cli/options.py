"""Readers of the command line's quantities: text with units in, SI floats out.

Each reader parses one kind of clinical quantity with its unit
(:func:`dermalase.units.parse_quantity`) and checks it against the range the
commands accept, so an option means the same thing in every command. A bad
value raises :class:`~dermalase.exceptions.InputError` naming the option.
"""

from __future__ import annotations

from dermalase.units import check_range, parse_quantity

#: Microbeam or spot diameters the commands accept [m] (issue 3: 20 µm to 2 mm).
SPOT_RANGE = (20e-6, 2e-3)
#: Deepest depth a command accepts [m]; device and area limits come later.
DEPTH_LIMIT = 4e-3


def fluence(text: str, option: str) -> float:
    """Fluence [J/m²], > 0 and at most 1000 J/cm²."""
    value = parse_quantity(text, "J/m**2", option)
    return check_range(value, option, low=0.0, high=1e7, shown="J/cm2", scale=1e-4)


def duration(text: str, option: str) -> float:
    """Pulse duration [s], > 0 and at most 100 ms."""
    value = parse_quantity(text, "s", option)
    return check_range(value, option, low=0.0, high=0.1, shown="us", scale=1e6)


def rate(text: str, option: str, high: float = 1e5) -> float:
    """Repetition rate [Hz], > 0 and at most ``high``."""
    return check_range(parse_quantity(text, "Hz", option), option, low=0.0, high=high, shown="Hz")


def interval(text: str, option: str) -> float:
    """Time between passes [s], > 0 and at most an hour."""
    return check_range(parse_quantity(text, "s", option), option, low=0.0, high=3600.0, shown="s")


def energy(text: str, option: str) -> float:
    """Energy per microbeam [J], > 0 and at most 1 J."""
    value = parse_quantity(text, "J", option)
    return check_range(value, option, low=0.0, high=1.0, shown="mJ", scale=1e3)


def spot(text: str, option: str) -> float:
    """Spot or microbeam diameter [m], within :data:`SPOT_RANGE`."""
    value = parse_quantity(text, "m", option)
    low, high = SPOT_RANGE
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
