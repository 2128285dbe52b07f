"""``dermalase scan`` on the command line."""

import json

import pytest

from tests.cli import run

# the keys the issue names for ``--json``
CONTRACT = (
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
)
FULL_FIELD = ["scan", "--area", "cheek", "--device", "tunable_er_yag"]
FRACTIONAL = [
    "scan",
    "--area",
    "cheek",
    "--device",
    "fractional_er_yag",
    "--fractional",
    "--coverage",
    "20%",
    "--spot",
    "250um",
]


def run_json(args, capsys):
    code, out, err = run([*args, "--json"], capsys)
    assert code == 0, err
    return json.loads(out)


def _polygon_file(tmp_path, rings, name="area.geojson"):
    path = tmp_path / name
    path.write_text(json.dumps({"type": "Polygon", "coordinates": rings}))
    return str(path)


def test_full_field_json_has_the_contract_keys_and_real_fluences(capsys):
    result = run_json([*FULL_FIELD, "--fluence", "10J/cm2", "--overlap", "30%"], capsys)
    for key in CONTRACT:
        assert key in result, key
    assert result["area_cm2"] == pytest.approx(50.0, abs=0.1)
    assert result["order"] == "heat-aware"
    # 30 % overlap on staggered rows: 1 to 3 spots over every interior point, so the
    # local fluence of one pass runs from the pulse fluence to three times it
    assert result["fluence_min_j_cm2"] == pytest.approx(10.0)
    assert result["fluence_max_j_cm2"] == pytest.approx(30.0)
    assert result["settings_from_defaults"] == ["spot", "rep_rate"]


def test_full_field_defaults_are_flagged(capsys):
    result = run_json(FULL_FIELD, capsys)
    assert {"spot", "overlap", "fluence"} <= set(result["settings_from_defaults"])
    # the middle of the device's 1-25 J/cm^2 and its recommended 10 % overlap
    assert result["fluence_j_cm2"] == pytest.approx(13.0)
    assert result["fluence_min_j_cm2"] >= 13.0


def test_fractional_coverage_is_within_one_point_of_the_request(capsys):
    result = run_json(FRACTIONAL, capsys)
    for key in CONTRACT:
        assert key in result, key
    assert abs(result["coverage_percent"] - 20.0) <= 1.0
    assert result["fluence_min_j_cm2"] is None  # a fluence range is a full-field figure
    assert result["spot_diameter_um"] == 250.0


def test_zone_wider_than_the_microbeam_counts_in_the_coverage(capsys):
    # fractional_er_yag steps fix the coverage of its 250 um microbeams; a
    # 300 um zone covers (300/250)^2 = 1.44 times as much at the same density
    # an option given twice is an error (issue 14): replace the coverage instead
    at = FRACTIONAL.index("--coverage") + 1
    bare = run_json([*FRACTIONAL[:at], "15%", *FRACTIONAL[at + 1 :]], capsys)
    zoned = run_json([*FRACTIONAL[:at], "21.6%", *FRACTIONAL[at + 1 :], "--zone", "300um"], capsys)
    assert zoned["zone_diameter_um"] == 300.0 and zoned["spot_diameter_um"] == 250.0
    assert zoned["spots"] == pytest.approx(bare["spots"], rel=0.02)
    assert abs(zoned["coverage_percent"] - 21.6) <= 1.0


def test_two_passes_are_reported(capsys):
    result = run_json([*FRACTIONAL, "--passes", "2"], capsys)
    assert result["passes"] == 2
    assert abs(result["coverage_percent"] - 20.0) <= 1.0


def test_heat_aware_beats_or_equals_raster_and_says_by_how_much(capsys):
    heat_aware = run_json([*FRACTIONAL, "--energy", "10mJ", "--depth", "300um"], capsys)
    raster = run_json(
        [*FRACTIONAL, "--energy", "10mJ", "--depth", "300um", "--order", "raster"], capsys
    )
    versus = heat_aware["versus_raster"]
    # the comparison in the heat-aware report is the raster plan itself
    assert versus["raster_max_bulk_temperature_rise_c"] == raster["max_bulk_temperature_rise_c"]
    assert versus["raster_min_spacing_within_window_mm"] == raster["min_spacing_within_window_mm"]
    assert heat_aware["max_bulk_temperature_rise_c"] <= raster["max_bulk_temperature_rise_c"]
    assert heat_aware["min_spacing_within_window_mm"] >= raster["min_spacing_within_window_mm"]
    assert versus["temperature_reduction_c"] == pytest.approx(
        raster["max_bulk_temperature_rise_c"] - heat_aware["max_bulk_temperature_rise_c"],
        abs=2e-3,
    )
    # here it is strictly cooler (the row-interleaved sweep wins)
    assert versus["temperature_reduction_c"] > 0.0


def test_full_face_treatment_time_is_what_clinics_report(capsys):
    # Clinics report a full face at 15-30 min for the whole procedure (ProFractional:
    # cascademedspa.com, oceandrivedermatology.com; secondary clinic pages). A typical
    # fractional Er:YAG full face: 250 um MTZ, 20 % coverage, 2 passes, device defaults
    # (300 Hz, 20 mm patterns), 1 s per handpiece move, 30 s before each pass.
    result = run_json(
        [
            "scan",
            "--area",
            "full-face",
            "--device",
            "fractional_er_yag",
            "--fractional",
            "--coverage",
            "20%",
            "--passes",
            "2",
            "--order",
            "raster",
        ],
        capsys,
    )
    assert 15.0 <= result["treatment_minutes"] <= 30.0
    assert result["area_cm2"] == pytest.approx(283.7, abs=0.1)


def test_geojson_area_is_read(tmp_path, capsys):
    square = [[[0, 0], [40, 0], [40, 40], [0, 40], [0, 0]]]
    result = run_json(
        ["scan", "--area", _polygon_file(tmp_path, square), "--device", "tunable_er_yag"], capsys
    )
    assert result["area_cm2"] == pytest.approx(16.0)
    assert result["area"] == "area"


def test_png_is_written_whole(tmp_path, capsys):
    target = tmp_path / "cheek.png"
    result = run_json([*FRACTIONAL, "--png", str(target)], capsys)
    assert result["png"] == str(target)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [p.name for p in tmp_path.iterdir()] == ["cheek.png"]  # no temporary file left


def test_readable_output(capsys):
    code, out, _ = run([*FULL_FIELD, "--order", "raster"], capsys)
    assert code == 0
    assert "Treatment time" in out and "Peak bulk temperature rise" in out


def _bowtie(tmp_path):
    return _polygon_file(tmp_path, [[[0, 0], [30, 30], [30, 0], [0, 30], [0, 0]]], "bowtie.json")


def _empty(tmp_path):
    return _polygon_file(tmp_path, [], "empty.geojson")


def _tiny(tmp_path):
    # 0.2 mm square: no 250 um MTZ fits
    square = [[[0, 0], [0.2, 0], [0.2, 0.2], [0, 0.2], [0, 0]]]
    return _polygon_file(tmp_path, square, "tiny.geojson")


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (("--area", _bowtie), "self-intersect"),
        (("--area", _empty), "empty"),
        (("--area", "forhead"), "did you mean 'forehead'"),
        (("--area", "full_fase"), "did you mean 'full_face'"),
        (("--device", "tunable_eryag"), "did you mean 'tunable_er_yag'"),
        (("--coverage", "0%"), "--coverage"),
        (("--coverage", "120%"), "--coverage"),
        (("--coverage", "20mm"), "--coverage"),
        (("--area", _tiny), "larger than the area"),
        (("--spot", "-250um"), "--spot"),
        (("--energy", "10J/cm2"), "--energy"),
        (("--passes", "0"), "passes"),
        (("--order", "spiral"), "raster"),
        (("--zone", "0um"), "--zone"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path, capsys, change, needle):
    args = list(FRACTIONAL)
    option, value = change
    value = value(tmp_path) if callable(value) else value
    if option in args:
        args[args.index(option) + 1] = value
    else:
        args += [option, value]
    code, out, err = run(args, capsys)
    assert code == 2, err
    assert needle in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert out == ""


def test_spot_larger_than_the_area_in_full_field(tmp_path, capsys):
    square = [[[0, 0], [3, 0], [3, 3], [0, 3], [0, 0]]]  # 3 mm: no 4 mm spot fits
    area = _polygon_file(tmp_path, square, "small.geojson")
    args = ["scan", "--area", area, "--device", "tunable_er_yag", "--spot", "4mm"]
    code, _, err = run(args, capsys)
    assert code == 2 and "larger than the area" in err


@pytest.mark.parametrize(
    ("args", "rule"),
    [
        ([*FULL_FIELD, "--fluence", "40J/cm2"], "device.fluence"),
        ([*FULL_FIELD, "--spot", "5mm"], "device.spot_diameter"),
        ([*FULL_FIELD, "--rep-rate", "100Hz"], "device.repetition_rate"),
        ([*FRACTIONAL[:7], "11.25%"], "device.density_steps"),
        (["scan", "--area", "cheek", "--device", "fractional_er_yag"], "device.modality"),
    ],
)
def test_device_refusals_exit_3(capsys, args, rule):
    code, _, err = run(args, capsys)
    assert code == 3
    assert rule in err and len(err.strip().splitlines()) == 1


def test_bad_input_json_prints_one_error_object(capsys):
    code, out, _ = run([*FRACTIONAL[:7], "0%", "--json"], capsys)
    assert code == 2
    error = json.loads(out)
    assert error["field"] == "--coverage" and error["exit_code"] == 2


def test_an_area_name_too_long_for_the_file_system_is_an_unknown_template(capsys):
    code, _, err = run(["scan", "--area", "a" * 5000, "--device", "fractional_co2"], capsys)
    assert code == 2
    assert "known templates" in err and len(err.strip().splitlines()) == 1


def test_json_reports_the_residual_heat_cooling_and_epidermal_peak(capsys):
    result = run_json([*FRACTIONAL, "--energy", "10mJ"], capsys)
    residual = result["residual_heat"]
    assert residual["forward_model"] == "column_2d"
    assert 0.0 < residual["fraction_of_pulse"] < 1.0
    # the JSON gives the fraction to 4 decimals: 10 mJ x 5e-5 of rounding
    assert residual["per_spot_mj"] == pytest.approx(10.0 * residual["fraction_of_pulse"], abs=5e-4)
    cooling = result["cooling"]
    assert cooling["chilled_air"] is True
    assert cooling["heat_transfer_coefficient_w_m2k"] == 100.0
    assert cooling["max_bulk_temperature_rise_c"] <= result["max_bulk_temperature_rise_c"]
    peak = result["epidermal_peak_temperature_c"]
    assert peak["with_cooling_c"] <= peak["without_cooling_c"]
    assert peak["without_cooling_c"] == pytest.approx(
        peak["single_spot_c"] + result["max_bulk_temperature_rise_c"], abs=0.01
    )
    off = run_json([*FRACTIONAL, "--energy", "10mJ", "--no-chilled-air"], capsys)
    assert off["cooling"]["chilled_air"] is False
    assert off["epidermal_peak_temperature_c"]["applies_c"] == peak["without_cooling_c"]


def test_pulse_out_of_range_is_bad_input(capsys):
    code, _, err = run([*FRACTIONAL, "--pulse", "-3us"], capsys)
    assert code == 2 and "--pulse" in err
