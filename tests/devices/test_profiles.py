"""Tests of the device profiles: bundled files, their cited values, the summary, density steps."""

from __future__ import annotations

import json
import math
import re
import tomllib
from pathlib import Path

import pytest

from dermalase.devices import (
    bundled_device_files,
    check,
    hantash2007,
    load_device,
    read_device_file,
)
from dermalase.devices.schema import key_paths
from dermalase.exceptions import InputError, RefusalError

BUNDLED = {path.stem: path for path in bundled_device_files()}
REQUIRED = {"tunable_er_yag", "fractional_er_yag", "pulsed_co2", "fractional_co2", "er_ysgg"}

# Clinical unit -> SI factors written out here, independently of the package.
J_CM2 = 1e4  # J/cm² -> J/m²
MJ = 1e-3  # mJ -> J
US = 1e-6  # µs -> s
UM = 1e-6  # µm -> m
MM = 1e-3  # mm -> m


def raw(name: str) -> dict:
    return tomllib.loads(BUNDLED[name].read_text(encoding="utf-8"))


def annotated_lines(path: Path) -> list[tuple[str, str, str]]:
    """Return (key path, value text, comment) for every single-line assignment.

    Follows the key-path convention of ``assumptions``: a table's keys as
    ``table.key``, an array-of-tables entry named by its ``name`` or ``step``.
    """
    rows = []
    table = ""
    entry = None
    in_multiline = False
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if in_multiline:
            in_multiline = not stripped.startswith("]")
            continue
        if not stripped or stripped.startswith("#"):
            continue
        header = re.fullmatch(r"\[\[?([a-z_]+)\]\]?", stripped)
        if header:
            table = header.group(1)
            entry = "" if stripped.startswith("[[") else None
            continue
        match = re.fullmatch(r"([a-z_0-9]+)\s*=\s*([^#]*?)\s*(?:#\s*(.*))?", stripped)
        assert match, f"unparsed line in {path.name}: {line!r}"
        key, value, comment = match.group(1), match.group(2), match.group(3) or ""
        if value == "[":
            in_multiline = True
            continue
        if entry == "":
            assert key in ("name", "step"), f"{path.name}: [[{table}]] must start with name/step"
            entry = value.strip('"')
        prefix = ".".join(part for part in (table, entry) if part)
        rows.append((f"{prefix}.{key}" if prefix else key, value, comment))
    return rows


def is_numeric(value: str) -> bool:
    return bool(re.fullmatch(r"\[?[-+0-9., e]*\]?", value)) and any(c.isdigit() for c in value)


# ---------------------------------------------------------------- bundled files


def test_the_five_required_device_kinds_are_bundled():
    assert REQUIRED <= set(BUNDLED)


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_every_bundled_file_loads_and_is_named_after_its_file(name):
    device = read_device_file(BUNDLED[name])
    assert device.name == name
    assert device.source_file == f"{name}.toml"
    assert device.sources, "a device must say where its numbers come from"


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_every_number_is_marked_as_source_or_assumption(name):
    rows = annotated_lines(BUNDLED[name])
    # A density step's number is a label, not a quantity.
    numeric = [
        (path, comment)
        for path, value, comment in rows
        if is_numeric(value) and not path.endswith(".step")
    ]
    assert numeric, "the line parser found no numbers"
    unmarked = [
        path for path, comment in numeric if not comment.startswith(("source:", "assumption"))
    ]
    assert unmarked == [], f"{name}: numbers without a source or assumption comment"


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_assumption_comments_and_assumptions_list_agree(name):
    marked = {
        path
        for path, _, comment in annotated_lines(BUNDLED[name])
        if comment.startswith("assumption")
    }
    listed = set(raw(name)["assumptions"])
    assert marked - listed == set(), "marked '# assumption' but missing from assumptions"
    assert listed - marked == set(), "listed in assumptions but not marked in a comment"


def test_assumption_parser_sees_array_of_table_entries():
    # Guards the line parser above: a wrong key path would make the agreement
    # test pass vacuously on files without arrays of tables.
    paths = {path for path, _, _ in annotated_lines(BUNDLED["fractional_co2"])}
    assert "density_steps.8.mtz_density_per_cm2" in paths
    assert "pulse_modes.ultrapulse.pulse_duration_max_us" in paths


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_summary_gives_back_every_value_of_the_file(name):
    document = raw(name)
    summary = load_device(name).summary()
    json.dumps(summary)  # JSON-friendly
    summarised = key_paths(summary)
    for path, value in key_paths(document).items():
        assert path in summarised, path
        if isinstance(value, int | float) and not isinstance(value, bool):
            assert summarised[path] == pytest.approx(value, rel=1e-12), path
        elif isinstance(value, list) and value and isinstance(value[0], int | float):
            assert summarised[path] == pytest.approx(value, rel=1e-12), path
        else:
            assert summarised[path] == value, path


def test_fractional_co2_takes_its_cited_values_from_hantash2007():
    device = load_device("fractional_co2")
    assert device.spot_diameter.values == pytest.approx((hantash2007.spot_diameter,))
    assert device.energy.minimum == pytest.approx(hantash2007.energy_min)
    assert device.energy.maximum == pytest.approx(hantash2007.energy_max)
    assert device.average_power_max == pytest.approx(hantash2007.average_power)
    assert device.wavelength == pytest.approx(hantash2007.wavelength)
    assert "Hantash2007" in device.citation_keys
    assert any("Hantash BM" in text for text in device.summary()["citations"])


def test_tunable_er_yag_pulse_modes_are_the_statpearls_ranges():
    device = load_device("tunable_er_yag")
    short = device.pulse_mode("short").pulse_duration
    long = device.pulse_mode("long").pulse_duration
    assert (short.minimum, short.maximum) == pytest.approx((250 * US, 350 * US))
    assert (long.minimum, long.maximum) == pytest.approx((500 * US, 10_000 * US))
    assert device.depth_setting is True


def test_tunable_er_yag_can_deliver_the_microlaserpeel_fluences():
    # Pozner: face 12.5-17.5, neck 7.5-15, upper chest 5-7 J/cm². The assumed
    # limits must not make the published settings impossible.
    device = load_device("tunable_er_yag")
    for fluence in (5, 7, 7.5, 12.5, 15, 17.5):
        check(device, "fluence", fluence * J_CM2)


def test_coagulation_pulses_stay_sub_ablative():
    # Planner default Er:YAG ablation threshold ~1.5 J/cm² (physics.md §2.1).
    train = load_device("tunable_er_yag").coagulation
    assert train.fluence.maximum < 1.5 * J_CM2
    assert train.max_pulses >= 1


def test_er_yag_overlap_recommendation_is_the_asclepion_range():
    scanner = load_device("tunable_er_yag").scanner
    rec = scanner.overlap_recommended
    assert (rec.minimum, rec.maximum) == pytest.approx((0.10, 0.20))
    assert scanner.overlap.maximum == pytest.approx(0.50)  # Pozner, 50 % with the CPG
    assert set(scanner.pattern_shapes) >= {"square", "hexagon"}


def test_fractional_er_yag_depth_dial_is_the_profractional_range():
    depth = load_device("fractional_er_yag").depth.ablation_depth
    assert (depth.minimum, depth.maximum) == pytest.approx((25 * UM, 1500 * UM))


@pytest.mark.parametrize(
    ("name", "wavelength"),
    [
        ("tunable_er_yag", 2940e-9),
        ("fractional_er_yag", 2940e-9),
        ("pulsed_co2", 10600e-9),
        ("fractional_co2", 10600e-9),
        ("er_ysgg", 2790e-9),
    ],
)
def test_wavelengths_are_the_laser_lines(name, wavelength):
    assert load_device(name).wavelength == pytest.approx(wavelength, rel=1e-12)


def test_full_field_co2_pulses_stay_within_one_millisecond():
    for mode in load_device("pulsed_co2").pulse_modes:
        assert mode.pulse_duration.maximum <= 1e-3 * (1 + 1e-12)


# ------------------------------------------------------------- density steps

DEVICES = {name: load_device(name) for name in REQUIRED}


def refusal(call, *args) -> RefusalError:
    with pytest.raises(RefusalError) as caught:
        call(*args)
    return caught.value


def test_density_steps_with_mtz_density():
    # coverage = N x pi d²/4; with 280 um zones step 5 = 300 /cm² -> 18.5 %,
    # step 6 = 350 /cm² -> 21.6 %, so 21 % is nearest step 6.
    choice = DEVICES["fractional_co2"].density_for_coverage(0.21, 120 * UM, 280 * UM)
    assert choice.step == 6
    assert choice.coverage == pytest.approx(350 * math.pi * 0.028**2 / 4, rel=1e-9)
    assert choice.density == pytest.approx(350 * 1e4)
    # the milder choice takes the nearest step that covers no more: step 5
    milder = DEVICES["fractional_co2"].density_for_coverage(0.21, 120 * UM, 280 * UM, milder=True)
    assert (milder.step, milder.density) == (5, pytest.approx(300 * 1e4))
    # with no step at or below the request, the sparsest step
    assert (
        DEVICES["fractional_co2"].density_for_coverage(0.01, 120 * UM, 280 * UM, milder=True).step
        == 1
    )


def test_density_steps_count_the_treatment_zone():
    # Step 10 = 800 MTZ/cm² of 120 um microbeams; each leaves a 200 um zone:
    # 800 x pi 0.02²/4 = 25.1 % of the skin, where the beam alone covers 9 %.
    device = DEVICES["fractional_co2"]
    choice = device.density_for_coverage(0.25, 120 * UM, 200 * UM)
    assert choice.step == 10
    assert choice.coverage == pytest.approx(800 * math.pi * 0.02**2 / 4, rel=1e-9)
    assert choice.density == pytest.approx(800 * 1e4)
    # a fixed-coverage step keeps its MTZ density at the spot, not the zone:
    # 15 % of 300 um zones is 10.4 % at the 250 um spot, nearest step 3 (10 %)
    fixed = DEVICES["fractional_er_yag"].density_for_coverage(0.15, 250 * UM, 300 * UM)
    assert fixed.density == pytest.approx(0.10 / (math.pi * (250e-6) ** 2 / 4))
    assert fixed.coverage == pytest.approx(0.10 * (300 / 250) ** 2)
    # the microbeam, not the zone, must be one of the device's spots
    with pytest.raises(InputError):
        device.density_for_coverage(0.25, 120 * UM, -1.0)


def test_density_steps_with_fixed_coverage():
    device = DEVICES["fractional_er_yag"]
    choice = device.density_for_coverage(0.11, 250 * UM)
    assert (choice.step, choice.coverage) == (3, pytest.approx(0.10))
    assert choice.density == pytest.approx(0.10 / (math.pi * (250e-6) ** 2 / 4))
    # A tie between 10 % and 12.5 % takes the lower, gentler step.
    assert device.density_for_coverage(0.1125, 250 * UM).step == 3
    assert device.density_for_coverage(0.9, 250 * UM).coverage == pytest.approx(0.30)


def test_density_refusals():
    with pytest.raises(InputError):
        DEVICES["fractional_co2"].density_for_coverage(0.0, 120 * UM)
    with pytest.raises(InputError):
        DEVICES["fractional_co2"].density_for_coverage(1.5, 120 * UM)
    assert refusal(DEVICES["fractional_co2"].density_for_coverage, 0.2, 300 * UM).rule == (
        "device.spot_diameter"
    )
    assert refusal(DEVICES["pulsed_co2"].density_for_coverage, 0.2, 3 * MM).rule == (
        "device.density_steps"
    )
