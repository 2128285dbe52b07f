"""A device's limits as one table, checked by one function.

Every setting a device limits is one row of its table (:func:`limit_table`):
the glossary field name, the allowed interval, discrete values, whole-number
count or names, the SI unit, and the device file it comes from with the file
keys (and which of them the file lists as assumptions). :func:`check` refuses
a value outside any row the same way for every field, and :func:`nearest`
returns the closest value the device can deliver.

A refusal is a :class:`~dermalase.exceptions.RefusalError` with rule
``device.<field>`` and the device file as source; a value that is not a
number (or not a whole number >= 1 for a count) is an
:class:`~dermalase.exceptions.InputError`. A field whose part the device
lacks (fluence on a fractional-only device, overlap without a scanner) is
refused by the missing part: ``device.modality``, ``device.scanner``,
``device.coagulation``, ``device.depth_setting``.

Examples
--------
>>> from dermalase.devices import load_device
>>> device = load_device("fractional_co2")
>>> check(device, "energy", 0.02)  # J
0.02
>>> nearest(device, "energy", 0.1)  # J
0.04
>>> check(device, "average_power", (0.04, 750.0))  # W, from J and Hz
30.0
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from dermalase.exceptions import InputError, RefusalError
from dermalase.units import (
    J_CM2_PER_J_M2,
    MJ_PER_J,
    MM_PER_M,
    PERCENT_PER_FRACTION,
    UM_PER_M,
    US_PER_S,
)

if TYPE_CHECKING:
    from dermalase.devices.profiles import DeviceProfile


#: Modalities a request may name.
_MODALITIES = ("full_field", "fractional")

# Relative slack on range edges, so that a limit converted from clinical units
# and the same limit converted again by a caller compare as equal.
_EDGE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class SettingRange:
    """The achievable values of one setting: a closed interval or a discrete list.

    Parameters
    ----------
    minimum : float
        Lowest achievable value [SI unit of the setting].
    maximum : float
        Highest achievable value [SI unit of the setting].
    values : tuple of float
        The discrete achievable values, increasing; empty when every value
        from ``minimum`` to ``maximum`` is achievable.
    """

    minimum: float
    maximum: float
    values: tuple[float, ...] = ()

    @classmethod
    def of(cls, values: Iterable[float]) -> SettingRange:
        """Return a discrete range of the given values."""
        values = tuple(sorted(values))
        return cls(values[0], values[-1], values)

    def contains(self, value: float) -> bool:
        """Return whether ``value`` is achievable, edges included."""
        if self.values:
            return any(_close(value, v) for v in self.values)
        low = self.minimum * (1 - _EDGE_TOLERANCE)
        high = self.maximum * (1 + _EDGE_TOLERANCE)
        return low <= value <= high

    def nearest(self, value: float) -> float:
        """Return the achievable value nearest to ``value``."""
        if self.values:
            return min(self.values, key=lambda v: (abs(v - value), v))
        return min(max(value, self.minimum), self.maximum)

    def describe(self, unit: str, scale: float) -> str:
        """Return the range in a clinical unit, e.g. ``"250-350 µs"``."""
        if self.values:
            return "one of " + ", ".join(f"{v * scale:g}" for v in self.values) + f" {unit}"
        if self.minimum == self.maximum:
            return f"{self.minimum * scale:g} {unit}"
        return f"{self.minimum * scale:g}-{self.maximum * scale:g} {unit}"


@dataclass(frozen=True)
class Limit:
    """One row of a device's limit table.

    Parameters
    ----------
    field : str
        Glossary name of the limited setting; the refusal rule is
        ``device.<field>``.
    kind : str
        ``"interval"`` (every value from minimum to maximum), ``"values"``
        (a discrete set), ``"count"`` (whole numbers from 1 to the maximum),
        ``"names"`` (one of ``choices``) or ``"product"`` (a derived limit on
        the product of ``operands``).
    unit : str
        SI unit of the value (``""`` for counts and names, ``"1"`` for a
        fraction).
    shown_unit : str
        Clinical unit the refusal message speaks.
    scale : float
        Factor from the SI unit to ``shown_unit``.
    source : str
        The device file the limit comes from, the source of its refusals.
    keys : tuple of str
        Key paths of the device file that set the limit.
    assumed : tuple of str
        Those of ``keys`` the file lists as assumptions (not from a source).
    allowed : SettingRange or None
        The achievable values [SI unit]; for a count, 1 to its maximum.
    choices : tuple of str
        The achievable names, for ``kind == "names"``.
    mode : str or None
        The pulse mode a ``pulse_duration`` row belongs to.
    operands : tuple of str
        The fields whose product a ``"product"`` row limits, in the order
        :func:`check` takes them.
    """

    field: str
    kind: str
    unit: str
    shown_unit: str
    scale: float
    source: str
    keys: tuple[str, ...]
    assumed: tuple[str, ...] = ()
    allowed: SettingRange | None = None
    choices: tuple[str, ...] = ()
    mode: str | None = None
    operands: tuple[str, ...] = ()

    def describe(self) -> str:
        """Return the allowed values in clinical units, e.g. ``"1-25 J/cm²"``."""
        if self.kind == "names":
            return "one of " + ", ".join(self.choices)
        assert self.allowed is not None  # every kind but names has a range
        if self.kind == "count":
            return f"1-{self.allowed.maximum:g}"
        if self.kind == "product":
            return f"at most {self.allowed.maximum * self.scale:g} {self.shown_unit}"
        return self.allowed.describe(self.shown_unit, self.scale)

    def summary(self) -> dict:
        """Return the row JSON-friendly: SI values, the clinical description, provenance."""
        allowed = self.allowed
        return {
            "field": self.field,
            "mode": self.mode,
            "kind": self.kind,
            "minimum": None if allowed is None else allowed.minimum,
            "maximum": None if allowed is None else allowed.maximum,
            "values": list(allowed.values) if allowed is not None and allowed.values else None,
            "choices": list(self.choices) or None,
            "operands": list(self.operands) or None,
            "unit": self.unit,
            "allowed": self.describe(),
            "source": self.source,
            "keys": list(self.keys),
            "assumed": list(self.assumed),
        }


# What a device that lacks a row lacks, by field: (part, rule, message) in
# the order they are checked; the part is an attribute path of DeviceProfile.
_NO_FULL_FIELD = ("fluence", "modality", "{} has no full-field mode (no fluence limits)")
_NO_FRACTIONAL = ("energy", "modality", "{} has no fractional mode (no energy limits)")
_NO_TRAIN = ("coagulation", "coagulation", "{} has no sub-ablative coagulation train")
_NO_SCANNER = ("scanner", "scanner", "{} has no scanner")
_NO_DIAL = ("depth", "depth_setting", "{} has no depth dial in µm")
_MISSING_PARTS = {
    "fluence": (_NO_FULL_FIELD,),
    "energy": (_NO_FRACTIONAL,),
    "coagulation_fluence": (_NO_TRAIN,),
    "coagulation_pulses": (_NO_TRAIN,),
    "pattern_shape": (_NO_SCANNER,),
    "pattern_size": (_NO_SCANNER,),
    "scanner_speed": (_NO_SCANNER,),
    "overlap": (_NO_SCANNER, ("scanner.overlap", "overlap", "{} has no overlap setting")),
    "ablation_depth": (_NO_DIAL,),
    "coagulation_depth": (
        _NO_DIAL,
        (
            "depth.coagulation_depth_max",
            "coagulation_depth",
            "{} has no coagulation depth dial",
        ),
    ),
}
#: Fields with no limit when the device states none.
_UNLIMITED_WHEN_ABSENT = ("average_power", "peak_power")
#: The settings whose product is the average power [J × Hz = W].
_POWER_OPERANDS = ("pulse_energy", "repetition_rate")
#: The settings whose product is the power during a pulse [J × 1/s = W].
_PEAK_OPERANDS = ("pulse_energy", "inverse_pulse_duration")
_OPERANDS = {"average_power": _POWER_OPERANDS, "peak_power": _PEAK_OPERANDS}

#: Every field a device may limit.
FIELDS = (
    "modality",
    "fluence",
    "energy",
    "pulse_duration",
    "spot_diameter",
    "repetition_rate",
    "average_power",
    "peak_power",
    "stacked_pulses",
    "passes",
    "coagulation_fluence",
    "coagulation_pulses",
    "pattern_shape",
    "pattern_size",
    "scanner_speed",
    "overlap",
    "ablation_depth",
    "coagulation_depth",
)


@lru_cache(maxsize=64)
def limit_table(device: DeviceProfile) -> tuple[Limit, ...]:
    """Return the limits of ``device``, one row per limited field (and pulse mode).

    Parameters
    ----------
    device : DeviceProfile
        The laser.

    Returns
    -------
    tuple of Limit
        Rows in the order of :data:`FIELDS`; a field the device does not
        limit (no scanner, no stated power limit) has no row.

    Examples
    --------
    >>> from dermalase.devices import load_device
    >>> [row.field for row in limit_table(load_device("fractional_co2"))][:4]
    ['modality', 'energy', 'pulse_duration', 'spot_diameter']
    """
    source = device.source_file
    assumptions = set(device.assumptions)
    rows: list[Limit] = []

    def add(field, kind, unit, shown_unit, scale, keys, **parts):
        keys = tuple(keys)
        assumed = tuple(key for key in keys if key in assumptions)
        rows.append(Limit(field, kind, unit, shown_unit, scale, source, keys, assumed, **parts))

    def interval(field, allowed, unit, shown_unit, scale, keys, values_key=None, **parts):
        # the file gives a discrete list (values_key) or a minimum and maximum (keys)
        kind = "values" if allowed.values else "interval"
        keys = [values_key] if allowed.values else keys
        add(field, kind, unit, shown_unit, scale, keys, allowed=allowed, **parts)

    add("modality", "names", "", "", 1.0, ["modality"], choices=device.modality)
    if device.fluence is not None:
        keys = ["full_field.fluence_min_j_cm2", "full_field.fluence_max_j_cm2"]
        interval("fluence", device.fluence, "J/m²", "J/cm²", J_CM2_PER_J_M2, keys)
    if device.energy is not None:
        keys = ["fractional.energy_min_mj", "fractional.energy_max_mj"]
        interval("energy", device.energy, "J", "mJ", MJ_PER_J, keys)
    for mode in device.pulse_modes:
        entry = f"pulse_modes.{mode.name}"
        keys = [f"{entry}.pulse_duration_min_us", f"{entry}.pulse_duration_max_us"]
        listed = f"{entry}.pulse_durations_us"
        allowed = mode.pulse_duration
        interval("pulse_duration", allowed, "s", "µs", US_PER_S, keys, listed, mode=mode.name)
    keys = ["spot.spot_diameter_min_um", "spot.spot_diameter_max_um"]
    listed = "spot.spot_diameters_um"
    interval("spot_diameter", device.spot_diameter, "m", "µm", UM_PER_M, keys, listed)
    keys = ["repetition_rate.repetition_rate_min_hz", "repetition_rate.repetition_rate_max_hz"]
    interval("repetition_rate", device.repetition_rate, "Hz", "Hz", 1.0, keys)
    if device.average_power_max is not None:
        add(
            "average_power",
            "product",
            "W",
            "W",
            1.0,
            ["average_power_max_w"],
            allowed=SettingRange(0.0, device.average_power_max),
            operands=_POWER_OPERANDS,
        )
    for mode in device.pulse_modes:
        if mode.peak_power is not None:
            add(
                "peak_power",
                "product",
                "W",
                "W",
                1.0,
                [f"pulse_modes.{mode.name}.peak_power_w"],
                allowed=SettingRange(0.0, mode.peak_power),
                operands=_PEAK_OPERANDS,
                mode=mode.name,
            )
    for field, maximum, key in (
        ("stacked_pulses", device.max_stacked_pulses, "max_stacked_pulses"),
        ("passes", device.max_passes, "max_passes"),
    ):
        add(field, "count", "", "", 1.0, [key], allowed=SettingRange(1, maximum))
    train = device.coagulation
    if train is not None:
        keys = ["coagulation.fluence_min_j_cm2", "coagulation.fluence_max_j_cm2"]
        interval("coagulation_fluence", train.fluence, "J/m²", "J/cm²", J_CM2_PER_J_M2, keys)
        count = SettingRange(1, train.max_pulses)
        add("coagulation_pulses", "count", "", "", 1.0, ["coagulation.max_pulses"], allowed=count)
    scanner = device.scanner
    if scanner is not None:
        shapes = scanner.pattern_shapes
        add("pattern_shape", "names", "", "", 1.0, ["scanner.pattern_shapes"], choices=shapes)
        keys = ["scanner.pattern_size_min_mm", "scanner.pattern_size_max_mm"]
        listed = "scanner.pattern_sizes_mm"
        interval("pattern_size", scanner.pattern_size, "m", "mm", MM_PER_M, keys, listed)
        speed = SettingRange(0.0, scanner.speed_max)
        keys = ["scanner.scanner_speed_max_mm_s"]
        interval("scanner_speed", speed, "m/s", "mm/s", MM_PER_M, keys)
        if scanner.overlap is not None:
            keys = ["scanner.overlap_min_percent", "scanner.overlap_max_percent"]
            interval("overlap", scanner.overlap, "1", "%", PERCENT_PER_FRACTION, keys)
    dial = device.depth
    if dial is not None:
        keys = ["depth.ablation_depth_min_um", "depth.ablation_depth_max_um"]
        interval("ablation_depth", dial.ablation_depth, "m", "µm", UM_PER_M, keys)
        if dial.coagulation_depth_max is not None:
            deepest = SettingRange(0.0, dial.coagulation_depth_max)
            keys = ["depth.coagulation_depth_max_um"]
            interval("coagulation_depth", deepest, "m", "µm", UM_PER_M, keys)
    return tuple(rows)


def limit(device: DeviceProfile, field: str, *, mode: str | None = None) -> Limit | None:
    """Return the row of ``field`` (of pulse mode ``mode``), or None when the device has none.

    Raises
    ------
    InputError
        For a field no device limits, or an unknown pulse mode (naming the
        closest mode).
    """
    if field not in FIELDS:
        from dermalase.devices.profiles import known_names_hint

        raise InputError("field", field, known_names_hint(field, list(FIELDS), "limited fields"))
    if field in ("pulse_duration", "peak_power"):
        if mode is None:
            modes = ", ".join(pulse_mode.name for pulse_mode in device.pulse_modes)
            raise InputError("pulse_mode", mode, f"give one of {device.name} modes: {modes}")
        device.pulse_mode(mode)  # an unknown mode is bad input, naming the closest
    return next(
        (row for row in limit_table(device) if row.field == field and row.mode == mode), None
    )


def check(device: DeviceProfile, field: str, value, *, mode: str | None = None):
    """Refuse a value of ``field`` that ``device`` cannot deliver.

    Parameters
    ----------
    device : DeviceProfile
        The laser.
    field : str
        A field of :data:`FIELDS`, e.g. ``"fluence"``.
    value : float, int, str or tuple of float
        The value in the SI unit of the row [J/m², J, s, m, Hz, m/s, -]; a
        whole number for a count; a name for ``modality`` and
        ``pattern_shape``; for ``average_power``, the pair (pulse energy [J],
        repetition rate [Hz]) whose product [W] is limited; for ``peak_power``,
        the pair (pulse energy [J], 1 / pulse duration [1/s]).
    mode : str, optional
        The pulse mode, for ``pulse_duration`` and ``peak_power``.

    Returns
    -------
    float, int or str
        ``value`` (as a float when a number), when achievable; for
        ``average_power``, the average power [W].

    Raises
    ------
    RefusalError
        Rule ``device.<field>`` when the value is beyond the limit, or the
        rule of the part the device lacks (``device.modality``,
        ``device.scanner``, ...). The source is the device file.
    InputError
        When ``value`` is not a finite number (for a count: not a whole
        number >= 1), or names no modality, or ``mode`` is unknown.

    Examples
    --------
    >>> from dermalase.devices import load_device
    >>> check(load_device("tunable_er_yag"), "pulse_duration", 300e-6, mode="short")
    0.0003
    """
    if field == "modality" and value not in _MODALITIES:
        raise InputError("modality", value, "must be full_field or fractional")
    row = limit(device, field, mode=mode)
    if row is None:
        if field in _UNLIMITED_WHEN_ABSENT:
            return _product(field, value, _OPERANDS[field])
        raise _missing_part(device, field)
    return _CHECKS[row.kind](row, value, device.display_name)


def nearest(device: DeviceProfile, field: str, value, *, mode: str | None = None):
    """Return the value of ``field`` nearest to ``value`` that ``device`` can deliver.

    Parameters
    ----------
    device : DeviceProfile
        The laser.
    field : str
        A field of :data:`FIELDS`.
    value : float, int, str or tuple of float
        As for :func:`check`.
    mode : str, optional
        The pulse mode, for ``pulse_duration`` and ``peak_power``.

    Returns
    -------
    float, int, str or tuple of float
        A value :func:`check` accepts: the nearest edge or discrete value
        [SI unit of the row]; the count clamped to 1..maximum; the name
        itself when offered, else the device's first; for ``average_power``,
        the same pulse energy at the highest repetition rate the power
        allows (pulse energy [J], repetition rate [Hz]).

    Raises
    ------
    RefusalError
        When the device lacks the part that sets the field.
    InputError
        As for :func:`check`.

    Examples
    --------
    >>> from dermalase.devices import load_device
    >>> nearest(load_device("tunable_er_yag"), "spot_diameter", 3.6e-3)  # m
    0.004
    """
    row = limit(device, field, mode=mode)
    if row is None:
        if field in _UNLIMITED_WHEN_ABSENT:
            return value
        raise _missing_part(device, field)
    if row.kind == "names":
        return value if value in row.choices else row.choices[0]
    assert row.allowed is not None  # every kind but names has a range
    if row.kind == "count":
        count = round(finite(field, value))
        return int(min(max(count, 1), row.allowed.maximum))
    if row.kind == "product":
        energy, rate = _operands(field, value, row.operands)
        if energy * rate > row.allowed.maximum:
            rate = row.allowed.maximum / energy
        return energy, rate
    return row.allowed.nearest(finite(field, value))


# ---------------------------------------------------------------- the checks


def _within(row: Limit, value, display_name: str) -> float:
    """An interval or discrete set."""
    value = finite(row.field, value)
    allowed = row.allowed
    assert allowed is not None  # an interval or values row has a range
    if allowed.contains(value):
        return value
    unit, scale = row.shown_unit, row.scale
    if allowed.values:
        where = f"is not {allowed.describe(unit, scale)}"
    elif value < allowed.minimum:
        where = f"is below the minimum {allowed.minimum * scale:g} {unit}"
    else:
        where = f"is above the maximum {allowed.maximum * scale:g} {unit}"
    label = row.field.replace("_", " ")
    raise _refusal(row, f"{label} {value * scale:g} {unit} {where} of {display_name}")


def _count(row: Limit, count, display_name: str) -> int:
    """A whole number from 1 to the maximum."""
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise InputError(row.field, count, "must be a whole number >= 1")
    assert row.allowed is not None  # a count row has a range
    maximum = int(row.allowed.maximum)
    if count > maximum:
        label = row.field.replace("_", " ")
        raise _refusal(row, f"{label} {count} is above the maximum {maximum} of {display_name}")
    return count


def _named(row: Limit, name, display_name: str) -> str:
    """One of the device's names."""
    if name in row.choices:
        return name
    if row.field == "modality":
        message = f"{display_name} offers {' and '.join(row.choices)}, not {name}"
    else:
        label = row.field.replace("_", " ")
        message = f"{label} {name!r} is not one of {', '.join(row.choices)} of {display_name}"
    raise _refusal(row, message)


def _below_product(row: Limit, operands, display_name: str) -> float:
    """A product of two settings, e.g. average power = pulse energy × repetition rate [W]."""
    power = _product(row.field, operands, row.operands)
    assert row.allowed is not None  # a product row has a range
    maximum = row.allowed.maximum
    if power > maximum * (1 + _EDGE_TOLERANCE):
        pulse_energy, rate = operands
        if row.field == "peak_power":
            what = (
                f"peak power {power:g} W ({pulse_energy * MJ_PER_J:g} mJ in {US_PER_S / rate:g} µs)"
            )
        else:
            what = f"average power {power:g} W ({pulse_energy * MJ_PER_J:g} mJ at {rate:g} Hz)"
        raise _refusal(row, f"{what} is above the maximum {maximum:g} W of {display_name}")
    return power


_CHECKS = {
    "interval": _within,
    "values": _within,
    "count": _count,
    "names": _named,
    "product": _below_product,
}


def _operands(field: str, operands, names: tuple[str, ...]) -> tuple[float, ...]:
    """The operands of a derived limit, each a finite number."""
    if not isinstance(operands, tuple | list) or len(operands) != len(names):
        raise InputError(field, operands, f"give ({', '.join(names)}) in SI units")
    return tuple(finite(name, operand) for name, operand in zip(names, operands, strict=True))


def _product(field: str, operands, names: tuple[str, ...]) -> float:
    """The product of the operands [SI unit of the derived limit]."""
    return math.prod(_operands(field, operands, names))


def _refusal(row: Limit, message: str) -> RefusalError:
    return RefusalError(f"device.{row.field}", message, row.source)


def _missing_part(device: DeviceProfile, field: str) -> RefusalError:
    """The refusal naming the part of the device that would set ``field``."""
    for part, rule, message in _MISSING_PARTS[field]:
        node = device
        for attribute in part.split("."):
            node = getattr(node, attribute)
        if node is None:
            return RefusalError(
                f"device.{rule}", message.format(device.display_name), device.source_file
            )
    raise AssertionError(f"{device.name} has every part for {field} but no row")


def finite(field: str, value) -> float:
    """Return ``value`` as a float, refusing NaN, infinities and non-numbers.

    Raises
    ------
    InputError
        Naming ``field``, for a value that is not a finite number.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(field, value, "must be a number in SI units")
    if not math.isfinite(value):
        raise InputError(field, value, "must be a finite number")
    return float(value)


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(abs(a), abs(b))
