import json
import math

import numpy as np
import pytest

from dermalase.devices import load_device
from dermalase.exceptions import InputError, RefusalError
from dermalase.scanner import figures
from dermalase.scanner.areas import template
from dermalase.scanner.figures import plot_fluence_map, plot_scan, plot_spots
from dermalase.scanner.pattern import fluence_map, full_field_lattice
from dermalase.scanner.plan import ablation_threshold, scan_area

# the JSON contract of the issue, a subset of ScanPlan.to_dict()
CONTRACT = {
    "area_cm2",
    "spots",
    "passes",
    "coverage_percent",
    "fluence_min_j_cm2",
    "fluence_max_j_cm2",
    "firing_seconds",
    "treatment_minutes",
    "min_spacing_within_window_mm",
    "max_bulk_temperature_rise_c",
    "order",
}
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def erbium():
    return load_device("tunable_er_yag")


@pytest.fixture(scope="module")
def fractional_erbium():
    return load_device("fractional_er_yag")


def test_plan_wires_the_modules_and_serialises():
    plan = scan_area(
        "cheek",
        300e-6,
        "fractional",
        coverage=0.1,
        passes=2,
        repetition_rate=300.0,
        heat_per_spot=5e-3,
    )
    summary = plan.to_dict()
    assert CONTRACT <= set(summary)
    json.dumps(summary)
    assert summary["passes"] == 2 and summary["spots"] == plan.x.size
    assert summary["fluence_min_j_cm2"] is None  # fractional
    assert np.all(np.diff(plan.t) > 0)
    assert np.all(np.diff(plan.pass_index) >= 0)  # passes one after another
    assert summary["heat_model"] == "given"


def test_full_field_fluence_range_is_the_overlap_map_times_the_fluence(erbium):
    fluence = 12e4  # 12 J/cm^2
    plan = scan_area("chin", 3e-3, "full-field", overlap=0.3, fluence=fluence, device=erbium)
    summary = plan.to_dict()
    # hexagonal tiling at 30 % overlap: every interior point under 1 to 3 spots
    assert plan.fluence_min_factor >= 1.0 and plan.fluence_max_factor >= 2.0
    assert summary["fluence_min_j_cm2"] == pytest.approx(12.0 * plan.fluence_min_factor)
    assert summary["fluence_max_j_cm2"] == pytest.approx(12.0 * plan.fluence_max_factor)
    independent = fluence_map(full_field_lattice(template("chin"), 3e-3, 0.3), template("chin"))
    assert plan.fluence_max_factor == independent.max_factor


def test_device_supplies_the_settings_not_given(erbium):
    plan = scan_area("cheek", 4e-3, "full-field", overlap=0.1, fluence=10e4, device=erbium)
    assert plan.repetition_rate == erbium.repetition_rate.maximum
    assert plan.scanner_speed == erbium.scanner.speed_max
    assert plan.pattern_size == erbium.scanner.pattern_size.maximum
    assert plan.pattern_shape == erbium.scanner.pattern_shapes[0]
    assert plan.device == "tunable_er_yag"


def test_default_rate_stays_within_the_average_power():
    co2 = load_device("fractional_co2")  # 30 W, at most 1000 Hz
    plan = scan_area("glabella", 120e-6, "fractional", coverage=0.136, energy=40e-3, device=co2)
    assert plan.repetition_rate * 40e-3 <= co2.average_power_max * (1 + 1e-9)
    assert plan.repetition_rate == pytest.approx(750.0)


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"spot_diameter": 5e-3}, "device.spot_diameter"),
        ({"fluence": 40e4}, "device.fluence"),
        ({"overlap": 0.6}, "device.overlap"),
        ({"passes": 9}, "device.passes"),
        ({"repetition_rate": 50.0}, "device.repetition_rate"),
        ({"pattern_size": 30e-3}, "device.pattern_size"),
        ({"pattern_shape": "line"}, "device.pattern_shape"),
    ],
)
def test_device_refuses_what_it_cannot_deliver(erbium, change, rule):
    settings = {"spot_diameter": 4e-3, "overlap": 0.1, "fluence": 10e4, **change}
    with pytest.raises(RefusalError) as refusal:
        scan_area("cheek", modality="full-field", device=erbium, **settings)
    assert refusal.value.rule == rule


def test_fractional_coverage_must_be_a_density_step(fractional_erbium):
    # steps of 2.5 %; 11.25 % is 1.25 points from both neighbours
    with pytest.raises(RefusalError, match="step"):
        scan_area(
            "cheek", 250e-6, "fractional", coverage=0.1125, energy=10e-3, device=fractional_erbium
        )
    with pytest.raises(RefusalError, match="full_field"):
        scan_area("cheek", 250e-6, "full-field", overlap=0.1, fluence=1e4, device=fractional_erbium)


def test_fractional_zones_are_laid_and_the_microbeam_checked():
    # fractional_co2 fires 120 um microbeams that leave 200 um zones; step 10
    # (800 MTZ/cm²) then covers 25.1 % of the skin
    device = load_device("fractional_co2")
    common = {"energy": 10e-3, "device": device, "order": "raster"}
    zones = scan_area(
        "forehead", 120e-6, "fractional", coverage=0.251, zone_diameter=200e-6, **common
    )
    assert zones.spot_diameter == 120e-6 and zones.zone_diameter == 200e-6
    assert zones.to_dict()["zone_diameter_um"] == 200.0
    assert zones.coverage_percent == pytest.approx(25.1, abs=1.0)
    # the same MTZ density as step 10 of bare microbeams
    bare = scan_area("forehead", 120e-6, "fractional", coverage=0.0905, **common)
    assert zones.spots == pytest.approx(bare.spots, rel=0.02)
    # 25 % is no step for bare 120 um zones, and 200 um is no microbeam of the device
    with pytest.raises(RefusalError, match="step"):
        scan_area("forehead", 120e-6, "fractional", coverage=0.251, **common)
    with pytest.raises(RefusalError, match="spot"):
        scan_area("forehead", 200e-6, "fractional", coverage=0.251, **common)
    with pytest.raises(InputError, match="zone_diameter"):
        scan_area("forehead", 4e-3, "full-field", overlap=0.1, fluence=1e5, zone_diameter=5e-3)


def test_residual_heat_models(erbium):
    common = {"overlap": 0.1, "device": erbium}
    spot_area = math.pi * 4e-3**2 / 4
    threshold, sources = ablation_threshold(erbium.wavelength)
    # Er:YAG blow-off threshold of the project's ablation model: about 0.9 J/cm^2
    assert 0.3e4 < threshold < 3e4
    # without a device there is no pulse duration to simulate: the blow-off estimate
    blow_off = scan_area(
        "cheek",
        4e-3,
        "full-field",
        overlap=0.1,
        fluence=10e4,
        wavelength=erbium.wavelength,
        repetition_rate=10.0,
    )
    assert blow_off.heat_per_spot == pytest.approx(threshold * spot_area)
    assert "blow-off" in blow_off.heat_model
    assert blow_off.heat_per_spot < blow_off.energy_per_spot
    assert "VogelVenugopalan2003" in blow_off.sources and "HaleQuerry1973" in sources
    below = scan_area(  # below the device's range, so without the device
        "cheek",
        4e-3,
        "full-field",
        overlap=0.1,
        fluence=0.5 * threshold,
        wavelength=erbium.wavelength,
        repetition_rate=10.0,
    )
    assert below.heat_per_spot == pytest.approx(below.energy_per_spot)  # all of it stays
    fraction = scan_area(
        "cheek", 4e-3, "full-field", fluence=10e4, residual_heat_fraction=0.3, **common
    )
    assert fraction.heat_per_spot == pytest.approx(0.3 * 10e4 * spot_area)
    # the bulk rise is linear in the residual heat
    given = scan_area("cheek", 4e-3, "full-field", fluence=10e4, heat_per_spot=0.2, **common)
    double = scan_area("cheek", 4e-3, "full-field", fluence=10e4, heat_per_spot=0.4, **common)
    assert double.max_bulk_temperature_rise_c == pytest.approx(
        2 * given.max_bulk_temperature_rise_c
    )


def test_fractional_heat_without_a_pulse_to_simulate_is_the_whole_microbeam(fractional_erbium):
    # no device, so no pulse duration: the upper bound stands
    plan = scan_area(
        "glabella",
        250e-6,
        "fractional",
        coverage=0.2,
        energy=10e-3,
        repetition_rate=300.0,
        wavelength=fractional_erbium.wavelength,
    )
    assert plan.heat_per_spot == 10e-3 and "upper bound" in plan.heat_model
    assert plan.to_dict()["epidermal_peak_temperature_c"]["with_cooling_c"] is None


def test_missing_or_mismatched_inputs_are_input_errors():
    with pytest.raises(InputError, match="overlap"):
        scan_area("chin", 3e-3, "full-field", coverage=0.2, repetition_rate=10.0, fluence=1e5)
    with pytest.raises(InputError, match="modality"):
        scan_area("chin", 3e-3, "fractionl", coverage=0.2, repetition_rate=10.0, energy=1e-3)
    with pytest.raises(InputError, match="fluence"):
        scan_area("chin", 3e-3, "full-field", overlap=0.2, repetition_rate=10.0)
    with pytest.raises(InputError, match="repetition_rate"):
        scan_area("chin", 3e-3, "full-field", overlap=0.2, fluence=1e5)
    with pytest.raises(InputError, match="energy"):
        scan_area("chin", 3e-3, "full-field", overlap=0.2, energy=1e-3, repetition_rate=10.0)
    with pytest.raises(InputError, match="larger than the area"):
        scan_area("glabella", 30e-3, "full-field", overlap=0.2, fluence=1e5, repetition_rate=1.0)


def test_spot_larger_than_the_area_is_bad_input_before_any_refusal(erbium):
    with pytest.raises(InputError, match="larger than the area"):
        scan_area("glabella", 40e-3, "full-field", overlap=0.1, fluence=1e5, device=erbium)


def test_figures_are_written(tmp_path):
    area = template("perioral")
    plan = scan_area(
        area, 300e-6, "fractional", coverage=0.1, repetition_rate=300.0, heat_per_spot=5e-3
    )
    spots = plot_spots(area, plan.x, plan.y, plan.t, tmp_path / "spots.png")
    pattern = full_field_lattice(area, 3e-3, 0.2)
    raster = plot_fluence_map(area, fluence_map(pattern, area), tmp_path / "fluence.png")
    both = plot_scan(area, plan, tmp_path / "scan.png")
    full = scan_area(area, 3e-3, "full-field", overlap=0.2, fluence=1e5, repetition_rate=10.0)
    full_png = plot_scan(area, full, tmp_path / "full.png")
    for path in (spots, raster, both, full_png):
        assert path.read_bytes()[:8] == PNG
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["spots.png", "fluence.png", "scan.png", "full.png"]
    )  # no temporary files left


def test_a_failed_write_leaves_no_file(tmp_path, monkeypatch):
    area = template("chin")
    plan = scan_area(area, 3e-3, "full-field", overlap=0.2, fluence=1e5, repetition_rate=10.0)
    target = tmp_path / "scan.png"
    target.write_bytes(b"old")

    def broken(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(figures.Figure, "savefig", broken)
    with pytest.raises(InputError, match="disk full"):
        plot_scan(area, plan, target)
    assert target.read_bytes() == b"old"  # the old file is untouched
    assert [p.name for p in tmp_path.iterdir()] == ["scan.png"]  # no temporary left


def test_png_into_a_missing_folder_is_an_input_error(tmp_path):
    area = template("chin")
    plan = scan_area(area, 3e-3, "full-field", overlap=0.2, fluence=1e5, repetition_rate=10.0)
    with pytest.raises(InputError, match="does not exist"):
        plot_scan(area, plan, tmp_path / "absent" / "scan.png")
