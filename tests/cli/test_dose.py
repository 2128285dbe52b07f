"""``dermalase dose`` and ``dermalase translate`` on the command line."""

import json

import pytest

from tests.cli import run

DOSE = ["dose", "--device", "tunable_er_yag", "--area", "cheek"]


def test_dose_json_has_the_contract_keys(capsys):
    code, out, _ = run([*DOSE, "--ablation", "50um", "--coagulation", "30um", "--json"], capsys)
    assert code == 0
    result = json.loads(out)
    for key in (
        "fluence_j_cm2",
        "pulse_duration_us",
        "pulses",
        "passes",
        "coagulation_pulses",
        "coagulation_fluence_j_cm2",
        "spot_diameter_um",
        "overlap_percent",
        "coverage_percent",
        "repetition_rate_hz",
    ):
        assert key in result["settings"], key
    predicted = result["predicted"]
    assert abs(predicted["ablation_depth_um"] - 50) <= 5
    assert abs(predicted["coagulation_depth_um"] - 30) <= 5
    assert predicted["coverage_percent"] == 100
    assert result["deviation_um"] <= 5
    assert result["sources"]


def test_dose_table_output(capsys):
    code, out, _ = run([*DOSE, "--ablation", "40um"], capsys)
    assert code == 0
    assert "Fluence" in out and "Predicted ablation" in out


def test_a_depth_beyond_the_area_cap_exits_3_with_the_cap_and_nearest(capsys):
    """The settings commands keep the plan's area caps (issue 19): 350 µm is beyond the
    face's 150 µm full-field cap, refused before the device's own 200 µm limit."""
    code, out, _ = run([*DOSE, "--ablation", "350um", "--json"], capsys)
    assert code == 3
    error = json.loads(out)
    assert error["rule"] == "area_cap.face"
    assert error["nearest"]["ablation_depth_um"] == 150
    assert "nearest achievable: ablation depth 150 µm" in error["error"]


def test_the_hand_cap_holds_in_dose(capsys):
    code, _, err = run(
        ["dose", "--device", "tunable_er_yag", "--area", "dorsal_hand", "--ablation", "150um"],
        capsys,
    )
    assert code == 3
    assert "area_cap.dorsal_hand" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "args, field",
    [
        (["dose", "--device", "tunable_eryag", "--area", "cheek", "--ablation", "50um"], "device"),
        ([*DOSE, "--ablation", "-5um"], "--ablation"),
        ([*DOSE, "--ablation", "50um", "--fractional", "--coverage", "120%"], "--coverage"),
        ([*DOSE, "--ablation", "50um", "--coverage", "10%"], "--coverage"),
        (["dose", "--device", "tunable_er_yag", "--area", "chek", "--ablation", "50um"], "area"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, field, capsys):
    code, out, err = run(args, capsys)
    assert code == 2
    assert err.count("\n") == 1 and field in err
    assert out == ""


def test_unknown_device_suggests_the_closest(capsys):
    _, _, err = run(
        ["dose", "--device", "pulsed_c02", "--area", "cheek", "--ablation", "5um"], capsys
    )
    assert "pulsed_co2" in err


def test_translate_full_field(capsys):
    args = ["translate", "--device", "tunable_er_yag", "--area", "cheek", "--fluence", "10J/cm2"]
    code, out, _ = run([*args, "--passes", "2", "--json"], capsys)
    assert code == 0
    result = json.loads(out)
    # Kaufmann & Hibst (1996): ~40 µm per pass at 10 J/cm²; two passes land
    # at 60-110 µm: the +-25 % the physics tests allow the source's "about"
    # (tests/forward/test_full_field.py), and up to the ~10 µm stratum
    # corneum besides. (80-110 µm until stop 26, when the model still blew
    # the stratum corneum off whole and shielded less under a 4 mm spot.)
    assert 60 <= result["predicted"]["ablation_depth_um"] <= 110
    assert result["prescription"] is None


def test_translate_refuses_settings_beyond_the_device(capsys):
    args = ["translate", "--device", "er_ysgg", "--area", "cheek", "--fluence", "30J/cm2"]
    code, _, err = run(args, capsys)
    assert code == 3
    assert "device.fluence" in err


def test_translate_needs_exactly_one_of_fluence_or_energy(capsys):
    code, _, err = run(["translate", "--device", "er_ysgg", "--area", "cheek"], capsys)
    assert code == 2
    assert "--fluence/--energy" in err


def test_translate_warns_beyond_the_area_cap(capsys):
    """Vendor settings are translated whatever they do, with a warning per cap exceeded."""
    args = ["translate", "--device", "fractional_co2", "--area", "cheek", "--energy", "40mJ"]
    # three stacked 40 mJ pulses drill ~760 um (one ~420 um)
    code, out, _ = run([*args, "--pulses", "3", "--density-step", "3", "--json"], capsys)
    assert code == 0
    result = json.loads(out)
    assert result["predicted"]["ablation_depth_um"] > 502.5  # the face's fractional cap
    assert any("area_cap.face" in warning for warning in result["warnings"])
    code, out, _ = run([*args[:-1], "5mJ", "--density-step", "1", "--json"], capsys)
    assert code == 0 and json.loads(out)["warnings"] == []


@pytest.mark.parametrize(
    ("device", "translate_args", "dose_args"),
    [
        (
            "fractional_co2",
            ["--energy", "12mJ", "--density-step", "3"],
            ["--ablation", "450um", "--fractional", "--coverage", "15%"],
        ),
        ("tunable_er_yag", ["--fluence", "8J/cm2"], ["--ablation", "40um"]),
    ],
)
def test_translate_and_dose_default_to_the_same_rate(device, translate_args, dose_args, capsys):
    """One device, one default repetition rate (issue 19), whichever command sets it."""
    base = ["--device", device, "--area", "cheek", "--json"]
    code, out, _ = run(["dose", *base, *dose_args], capsys)
    assert code == 0
    dosed = json.loads(out)["settings"]
    if "energy_mj" in dosed:
        translate_args = ["--energy", f"{dosed['energy_mj']}mJ", *translate_args[2:]]
    code, out, _ = run(["translate", *base, *translate_args], capsys)
    assert code == 0
    # the dose JSON rounds the energy (to 4 digits), and the fractional rate now
    # follows the pulse that energy takes at the peak power: equal to 1e-4
    translated = json.loads(out)["settings"]["repetition_rate_hz"]
    assert translated == pytest.approx(dosed["repetition_rate_hz"], rel=1e-4)


NON_ABLATIVE = ["dose", "--device", "fractional_1550", "--area", "cheek"]


def test_dose_from_a_coagulation_depth_on_a_non_ablative_device(capsys):
    # a 300 um zone (Manstein 2004's typical MTZ) at 20 % coverage, no ablation
    # (the device's density steps, assumptions in its file, lay 12.9 % and
    # 19.4 % with the ~143 um zones of that depth)
    code, out, _ = run(
        [*NON_ABLATIVE, "--coagulation", "300um", "--coverage", "20%", "--json"], capsys
    )
    assert code == 0
    result = json.loads(out)
    predicted = result["predicted"]
    assert predicted["ablation_depth_um"] == 0
    # the dosimetry contract: within max(5 um, 10 %) of the prescribed depth
    assert abs(predicted["coagulation_depth_um"] - 300) <= 30
    # within the device's 4.5-40 mJ (Bedi 2007) and its density steps
    assert 4.5 <= result["settings"]["energy_mj"] <= 40
    assert abs(predicted["coverage_percent"] - 20) <= 2


@pytest.mark.parametrize(
    ("args", "rule"),
    [
        # 40 um: shallower than the 4.5 mJ zone of the device
        ([*NON_ABLATIVE, "--coagulation", "40um", "--coverage", "15%"], "device.energy_min"),
        # the thulium file's lowest 10 mJ on its 180 um beam coagulates ~600 um in
        # the model (dried tissue passes 1927 nm on: it has no absorber but water)
        (
            ["dose", "--device", "thulium_1927", "--area", "cheek", "--coagulation", "150um",
             "--coverage", "20%"],
            "device.energy_min",
        ),
    ],
)  # fmt: skip
def test_non_ablative_refusals_exit_3(args, rule, capsys):
    code, _, err = run(args, capsys)
    assert code == 3
    assert rule in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ([*NON_ABLATIVE, "--ablation", "50um", "--coverage", "15%"], "--ablation"),
        ([*NON_ABLATIVE, "--coverage", "15%"], "--coagulation"),
        ([*NON_ABLATIVE, "--coagulation", "300um"], "--coverage"),
        (["dose", "--device", "fractional_co2", "--area", "cheek", "--fractional"], "--ablation"),
    ],
)
def test_non_ablative_bad_input_exits_2(args, field, capsys):
    code, _, err = run(args, capsys)
    assert code == 2
    assert err.count("\n") == 1 and field in err


def test_translate_on_a_non_ablative_device(capsys):
    # vendor-style settings on a scattering line go through the Monte Carlo column
    # model (no response table): an intact zone, deeper at twice the energy
    depths = []
    for energy in ("5mJ", "10mJ"):
        code, out, _ = run(
            ["translate", "--device", "fractional_1550", "--area", "cheek", "--energy", energy,
             "--density-step", "2", "--json"],
            capsys,
        )  # fmt: skip
        assert code == 0
        predicted = json.loads(out)["predicted"]
        assert predicted["ablation_depth_um"] == 0
        depths.append(predicted["coagulation_depth_um"])
    assert depths[1] > depths[0]
