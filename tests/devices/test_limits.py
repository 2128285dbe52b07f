"""Tests of the device limit table and its one check: every row of every bundled device."""

from __future__ import annotations

import itertools
import math
import tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dermalase.devices import bundled_device_files, check, limit_table, load_device, nearest
from dermalase.devices.limits import FIELDS
from dermalase.devices.schema import PATTERN_SHAPES, key_paths
from dermalase.exceptions import InputError, RefusalError

BUNDLED = {path.stem: path for path in bundled_device_files()}
DEVICES = {name: load_device(name) for name in BUNDLED}

# Clinical unit -> SI factors written out here, independently of the package.
J_CM2 = 1e4  # J/cm² -> J/m²
MJ = 1e-3  # mJ -> J
US = 1e-6  # µs -> s
UM = 1e-6  # µm -> m
MM = 1e-3  # mm -> m
# SI factor of a device-file key, by the unit its name ends in.
KEY_UNITS = {
    "_j_cm2": J_CM2,
    "_mj": MJ,
    "_us": US,
    "_um": UM,
    "_mm_s": MM,
    "_mm": MM,
    "_hz": 1.0,
    "_percent": 0.01,
    "_w": 1.0,
}
# Relative step "just" inside or outside an edge: far above the 1e-9 edge
# slack, far below any gap between two settings of a device.
STEP = 1e-6

ROWS = [
    pytest.param(name, index, id=f"{name}-{row.field}" + (f"-{row.mode}" if row.mode else ""))
    for name, device in DEVICES.items()
    for index, row in enumerate(limit_table(device))
]


def si_value(key: str, value):
    factor = next(f for suffix, f in KEY_UNITS.items() if key.endswith(suffix))
    return [v * factor for v in value] if isinstance(value, list) else value * factor


def inside_and_outside(row):
    """Values just inside the row's limits, and just outside (with what nearest gives back)."""
    allowed = row.allowed
    if row.kind == "names":
        spare = [n for n in ("full_field", "fractional") if n not in row.choices]
        if row.field == "pattern_shape":
            spare = [n for n in PATTERN_SHAPES if n not in row.choices]
        return list(row.choices), spare[:1]
    if row.kind == "count":
        return [1, int(allowed.maximum)], [int(allowed.maximum) + 1]
    if row.kind == "product":
        power = allowed.maximum
        return [(power / 100.0 * (1 - STEP), 100.0)], [(power / 100.0 * (1 + STEP), 100.0)]
    if row.kind == "values":
        values = list(allowed.values)
        between = [(a + b) / 2 for a, b in itertools.pairwise(values)]
        return values, [*between, values[-1] * (1 + 100 * STEP), values[0] * (1 - 100 * STEP)]
    low, high = allowed.minimum, allowed.maximum
    inside = [low + STEP * (high - low), high - STEP * (high - low), low, high]
    below = low - STEP * high if low > 0 else -STEP * high
    return inside, [high * (1 + STEP), below]


@pytest.mark.parametrize(("name", "index"), ROWS)
def test_every_row_passes_inside_refuses_outside_and_offers_an_achievable_nearest(name, index):
    device = DEVICES[name]
    row = limit_table(device)[index]
    inside, outside = inside_and_outside(row)
    for value in inside:
        check(device, row.field, value, mode=row.mode)  # must not refuse
    for value in outside:
        error = refusal(check, device, row.field, value, mode=row.mode)
        assert error.rule == f"device.{row.field}"
        assert error.source == f"{name}.toml"
        if row.field != "modality":  # "... offers full_field, not fractional"
            assert row.field.replace("_", " ") in error.message
        check(device, row.field, nearest(device, row.field, value, mode=row.mode), mode=row.mode)


@pytest.mark.parametrize(("name", "index"), ROWS)
def test_every_row_is_the_device_file_read_again(name, index):
    # The row's limits against the TOML file, converted here with our own factors.
    device = DEVICES[name]
    row = limit_table(device)[index]
    document = tomllib.loads(BUNDLED[name].read_text(encoding="utf-8"))
    leaves = key_paths(document)
    assert row.keys and all(key in leaves for key in row.keys)
    assert set(row.assumed) == set(row.keys) & set(document.get("assumptions", []))
    values = [leaves[key] for key in row.keys]
    if row.kind == "names":
        assert list(row.choices) == values[0]
    elif row.kind == "count":
        assert row.allowed.maximum == values[0]
    elif row.kind == "values":
        assert list(row.allowed.values) == pytest.approx(si_value(row.keys[0], values[0]))
    elif len(row.keys) == 1:  # a maximum from zero: scanner speed, coagulation depth, power
        assert row.allowed.minimum == 0
        assert row.allowed.maximum == pytest.approx(si_value(row.keys[0], values[0]))
    else:
        low, high = (si_value(key, value) for key, value in zip(row.keys, values, strict=True))
        assert (row.allowed.minimum, row.allowed.maximum) == pytest.approx((low, high))


def test_a_device_limits_only_what_it_has():
    fields = {name: {row.field for row in limit_table(d)} for name, d in DEVICES.items()}
    assert set().union(*fields.values()) <= set(FIELDS)
    assert "fluence" not in fields["fractional_co2"] and "energy" in fields["fractional_co2"]
    assert "coagulation_fluence" in fields["tunable_er_yag"]
    assert "coagulation_fluence" not in fields["pulsed_co2"]
    # every pulse mode has its own row
    modes = [row.mode for row in limit_table(DEVICES["tunable_er_yag"]) if row.mode]
    assert modes == ["short", "long"]


def test_the_table_is_printable_as_json():
    rows = load_device("tunable_er_yag").summary()["limits"]
    fluence = next(row for row in rows if row["field"] == "fluence")
    assert fluence["allowed"] == "1-25 J/cm²"
    assert fluence["unit"] == "J/m²"
    assert fluence["source"] == "tunable_er_yag.toml"
    assert "full_field.fluence_max_j_cm2" in fluence["assumed"]


def test_a_device_without_a_power_limit_lets_any_power_through():
    device = DEVICES["tunable_er_yag"]
    assert device.average_power_max is None
    assert check(device, "average_power", (1.0, 1000.0)) == pytest.approx(1000.0)


def test_nearest_power_keeps_the_energy_and_lowers_the_rate():
    # 40 mJ at 800 Hz is 32 W; 30 W allows 750 Hz at 40 mJ (Hantash 2007 prototype).
    energy, rate = nearest(DEVICES["fractional_co2"], "average_power", (40 * MJ, 800.0))
    assert (energy, rate) == pytest.approx((40 * MJ, 750.0))


def test_unknown_field_or_missing_mode_is_bad_input():
    with pytest.raises(InputError) as caught:
        check(DEVICES["pulsed_co2"], "fluences", 1e4)
    assert "did you mean 'fluence'" in caught.value.allowed
    with pytest.raises(InputError):
        check(DEVICES["pulsed_co2"], "pulse_duration", 1e-4)
    with pytest.raises(InputError):
        check(DEVICES["pulsed_co2"], "modality", "full-field")


# ----------------------------------------------------------------- limit checks


def refusal(call, *args, **keywords) -> RefusalError:
    with pytest.raises(RefusalError) as caught:
        call(*args, **keywords)
    return caught.value


def test_fluence_limits_accept_edges_and_refuse_beyond():
    device = load_device("tunable_er_yag")
    assert check(device, "fluence", 1 * J_CM2) == pytest.approx(1 * J_CM2)
    assert check(device, "fluence", 25 * J_CM2) == pytest.approx(25 * J_CM2)
    high = refusal(check, device, "fluence", 25.1 * J_CM2)
    assert high.rule == "device.fluence"
    assert high.source == "tunable_er_yag.toml"
    assert "25.1 J/cm²" in high.message and "25 J/cm²" in high.message
    low = refusal(check, device, "fluence", 0.9 * J_CM2)
    assert "minimum 1 J/cm²" in low.message


def test_energy_limits_of_fractional_co2():
    device = load_device("fractional_co2")
    check(device, "energy", 5 * MJ)
    check(device, "energy", 40 * MJ)
    error = refusal(check, device, "energy", 41 * MJ)
    assert error.rule == "device.energy"
    assert "41 mJ" in error.message and "40 mJ" in error.message
    refusal(check, device, "energy", 4.9 * MJ)


def test_limits_of_a_missing_modality_refer_to_the_modality():
    assert refusal(check, load_device("fractional_co2"), "fluence", 10 * J_CM2).rule == (
        "device.modality"
    )
    assert refusal(check, load_device("pulsed_co2"), "energy", 10 * MJ).rule == "device.modality"
    assert refusal(check, load_device("pulsed_co2"), "modality", "fractional").rule == (
        "device.modality"
    )
    assert check(load_device("pulsed_co2"), "modality", "full_field") == "full_field"


def test_pulse_duration_per_mode():
    device = load_device("tunable_er_yag")
    check(device, "pulse_duration", 250 * US, mode="short")
    check(device, "pulse_duration", 350 * US, mode="short")
    check(device, "pulse_duration", 10_000 * US, mode="long")
    error = refusal(check, device, "pulse_duration", 400 * US, mode="short")
    assert error.rule == "device.pulse_duration"
    assert "400 µs" in error.message and "350 µs" in error.message
    # 400 µs is a long pulse on no mode: 'long' starts at 500 µs.
    refusal(check, device, "pulse_duration", 400 * US, mode="long")
    with pytest.raises(InputError) as caught:
        check(device, "pulse_duration", 300 * US, mode="shrot")
    assert "did you mean 'short'" in caught.value.allowed


def test_discrete_spots():
    device = load_device("tunable_er_yag")
    check(device, "spot_diameter", 3 * MM)
    check(device, "spot_diameter", 4 * MM)
    error = refusal(check, device, "spot_diameter", 3.5 * MM)
    assert error.rule == "device.spot_diameter"
    assert "3000, 4000 µm" in error.message
    assert nearest(device, "spot_diameter", 3.6 * MM) == pytest.approx(4 * MM)
    assert nearest(device, "spot_diameter", 3.4 * MM) == pytest.approx(3 * MM)
    assert nearest(device, "spot_diameter", 10 * MM) == pytest.approx(4 * MM)


def test_repetition_rate_and_average_power():
    device = load_device("fractional_co2")
    check(device, "repetition_rate", 1.0)
    check(device, "repetition_rate", 1000.0)
    assert refusal(check, device, "repetition_rate", 1001.0).rule == "device.repetition_rate"
    assert check(device, "average_power", (40 * MJ, 750.0)) == pytest.approx(30.0)
    error = refusal(check, device, "average_power", (40 * MJ, 800.0))
    assert error.rule == "device.average_power"
    assert "32 W" in error.message


def test_counts():
    device = load_device("pulsed_co2")
    assert check(device, "passes", 4) == 4
    assert refusal(check, device, "passes", 5).rule == "device.passes"
    assert refusal(check, device, "stacked_pulses", 3).rule == "device.stacked_pulses"
    with pytest.raises(InputError):
        check(device, "passes", 0)
    with pytest.raises(InputError):
        check(device, "passes", 2.5)


def test_coagulation_train_limits():
    device = load_device("tunable_er_yag")
    check(device, "coagulation_fluence", 0.2 * J_CM2)
    check(device, "coagulation_fluence", 1.0 * J_CM2)
    assert refusal(check, device, "coagulation_fluence", 1.2 * J_CM2).rule == (
        "device.coagulation_fluence"
    )
    check(device, "coagulation_pulses", 20)
    refusal(check, device, "coagulation_pulses", 21)
    assert refusal(check, load_device("pulsed_co2"), "coagulation_fluence", 0.5 * J_CM2).rule == (
        "device.coagulation"
    )


def test_scanner_limits():
    device = load_device("pulsed_co2")
    check(device, "pattern_shape", "line")
    assert refusal(check, load_device("tunable_er_yag"), "pattern_shape", "line").rule == (
        "device.pattern_shape"
    )
    check(device, "pattern_size", 3 * MM)
    check(device, "pattern_size", 18 * MM)
    refusal(check, device, "pattern_size", 19 * MM)
    check(device, "scanner_speed", 1.0)  # 1000 mm/s, the edge
    refusal(check, device, "scanner_speed", 1.001)
    check(device, "overlap", 0.5)
    assert refusal(check, device, "overlap", 0.6).rule == "device.overlap"
    assert refusal(check, load_device("fractional_co2"), "overlap", 0.1).rule == "device.overlap"


def test_depth_dial():
    device = load_device("tunable_er_yag")
    check(device, "ablation_depth", 4 * UM)
    check(device, "ablation_depth", 200 * UM)
    assert refusal(check, device, "ablation_depth", 2 * UM).rule == "device.ablation_depth"
    check(device, "coagulation_depth", 100 * UM)
    refusal(check, device, "coagulation_depth", 120 * UM)
    assert refusal(check, load_device("pulsed_co2"), "ablation_depth", 50 * UM).rule == (
        "device.depth_setting"
    )


@pytest.mark.parametrize("bad", [math.nan, math.inf, "10"])
def test_non_numbers_are_input_errors(bad):
    with pytest.raises(InputError):
        check(load_device("tunable_er_yag"), "fluence", bad)


# ------------------------------------------------------------- nearest helpers

LIMITED = [
    ("fluence", "tunable_er_yag"),
    ("fluence", "pulsed_co2"),
    ("fluence", "er_ysgg"),
    ("energy", "fractional_co2"),
    ("energy", "fractional_er_yag"),
    ("spot_diameter", "tunable_er_yag"),
    ("spot_diameter", "er_ysgg"),
    ("repetition_rate", "fractional_co2"),
    ("pattern_size", "tunable_er_yag"),
    ("coagulation_fluence", "tunable_er_yag"),
    ("ablation_depth", "fractional_er_yag"),
    ("overlap", "tunable_er_yag"),
    ("scanner_speed", "pulsed_co2"),
]


@pytest.mark.parametrize(("setting", "name"), LIMITED)
@given(value=st.floats(min_value=0.0, max_value=1e7, allow_nan=False))
def test_nearest_values_are_achievable(setting, name, value):
    device = DEVICES[name]
    check(device, setting, nearest(device, setting, value))  # must not refuse


@given(value=st.floats(min_value=0.0, max_value=1.0, allow_nan=False))
def test_nearest_pulse_duration_is_achievable_and_idempotent(value):
    device = DEVICES["tunable_er_yag"]
    for mode in ("short", "long"):
        closest = nearest(device, "pulse_duration", value, mode=mode)
        check(device, "pulse_duration", closest, mode=mode)
        assert nearest(device, "pulse_duration", closest, mode=mode) == closest


def test_nearest_keeps_values_already_in_range():
    device = DEVICES["tunable_er_yag"]
    assert nearest(device, "fluence", 12.5 * J_CM2) == 12.5 * J_CM2
    assert nearest(device, "fluence", 40 * J_CM2) == pytest.approx(25 * J_CM2)
    assert nearest(device, "fluence", 0.1 * J_CM2) == pytest.approx(1 * J_CM2)
    assert nearest(DEVICES["fractional_co2"], "energy", 1.0) == pytest.approx(40 * MJ)
