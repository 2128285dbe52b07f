"""Fractional column predictions against published numbers (tests/data) and clinical behaviour."""

import itertools
import tomllib
from pathlib import Path

import numpy as np
import pytest

from dermalase.exceptions import InputError
from dermalase.forward.effect import TissueEffect
from dermalase.forward.fractional import simulate_column
from dermalase.tissue import skin_model

REFERENCE = tomllib.loads(
    (Path(__file__).parents[1] / "data" / "fractional_reference.toml").read_text()
)
HANTASH = REFERENCE["hantash2007"]
CHEEK = skin_model("cheek")
UM, MJ = 1e-6, 1e-3
CO2, ER = 10.6e-6, 2.94e-6


@pytest.fixture(scope="module")
def hantash_series() -> dict[float, TissueEffect]:
    """The Hantash 2007 microbeam (120 um 1/e^2, 10.6 um) from 5 to 40 mJ.

    The paper gives no pulse duration, only the laser's 30 W: each energy is
    delivered at that power, in E / 30 W (0.17 ms at 5 mJ, 1.33 ms at
    40 mJ). The dermis is made deep enough to hold every column: Hantash et
    al. treated forearm skin, and the comparison is about the column, not
    about reaching fat.
    """
    skin = CHEEK.with_thicknesses(reticular_dermis=3.5e-3)
    spot = HANTASH["spot_um"] * UM
    wavelength = HANTASH["wavelength_nm"] * 1e-9
    return {
        energy: simulate_column(
            wavelength, energy * MJ, spot, skin, pulse_duration=energy * MJ / HANTASH["power_w"]
        )
        for energy in (5.0, 10.0, 20.0, 30.0, 40.0)
    }


def test_hantash_depth_more_than_triples(hantash_series):
    # Hantash 2007: 5 -> 30 mJ gave "a greater than threefold increase in
    # lesion depth". Out of sample: no parameter was fitted to it.
    low = hantash_series[HANTASH["energy_low_mj"]]
    high = hantash_series[HANTASH["energy_high_mj"]]
    assert high.ablation_depth / low.ablation_depth > HANTASH["depth_ratio_min"]


@pytest.mark.xfail(
    strict=True,
    reason=(
        "Known miss: the dry crater floor reaches the 400 degC decomposition "
        "temperature at every energy and leaves ~40-45 um of coagulation below it, "
        "so column plus coagulation grows x2.5 from 5 to 30 mJ while the ablated "
        "column grows x3.1. Whether Hantash's 'lesion depth' includes the "
        "coagulation below the floor is not stated in the abstract."
    ),
)
def test_hantash_lesion_depth_with_coagulation_more_than_triples(hantash_series):
    low = hantash_series[HANTASH["energy_low_mj"]]
    high = hantash_series[HANTASH["energy_high_mj"]]
    assert high.total_depth / low.total_depth > HANTASH["depth_ratio_min"]


def test_hantash_depth_and_width_grow_with_energy(hantash_series):
    effects = list(hantash_series.values())
    for a, b in itertools.pairwise(effects):
        assert b.ablation_depth > a.ablation_depth
        assert b.ablation_diameter >= a.ablation_diameter
        assert b.mtz_diameter > a.mtz_diameter


@pytest.mark.xfail(
    strict=True,
    reason=(
        "Known miss: x1.15 (210 -> 242 um). The ~1 um droplets absorb 97 % of the CO2 "
        "light they take (Mie), so little is scattered onto the wall, and the column "
        "widens with energy mostly through the Gaussian wings; the x1.43 of the "
        "geometric-optics albedo came from wall light that also flared deep columns "
        "to 350-620 um. What else widens a CO2 lesion with energy (the lateral "
        "conduction of the dried wall, char) is not modelled in the column."
    ),
)
def test_hantash_width_roughly_doubles(hantash_series):
    # Hantash 2007: "twofold increase in width" from 5 to 30 mJ. Out of
    # sample. "Roughly": 1.5-2.7, the band the issue that added the channel
    # losses set, wider than the 12 +- 2 % width bias Marqa & Mordon 2014
    # found between simulation and histology because the abstract gives one
    # rounded ratio and no spread.
    low = hantash_series[HANTASH["energy_low_mj"]]
    high = hantash_series[HANTASH["energy_high_mj"]]
    assert 1.5 <= high.mtz_diameter / low.mtz_diameter <= 2.7


_ECO2 = REFERENCE["eco2_tips"]
_ECO2_CASES = list(
    zip(
        _ECO2["tip_um"],
        _ECO2["energy_mj"],
        _ECO2["penetration_um"],
        _ECO2["coagulation_um"],
        strict=True,
    )
)
_ECO2_MISS = {
    (300.0, 100.0): (
        "Known miss: 343 um ablated against 200 um (the total, 389 against 320 um, is "
        "within 35 %) for the 300 um tip at 100 mJ."
    ),
    (1000.0, 60.0): (
        "Known miss: the 1 mm tip ablates 42 um and coagulates 55 um below (96 um in "
        "all) against ~137 um and 150 um at 60 mJ: at ~8 J/cm^2 the model removes "
        "less and heats no deeper."
    ),
    (1000.0, 220.0): (
        "Known miss: the 1 mm tip at 220 mJ reaches 212 um in all (159 um ablated, 54 um "
        "below) against 350 um, while its penetration stays at 125-150 um: in the skin the "
        "ablation stalls and the coagulation grows with the energy (150 -> 350 um); in the "
        "model the floor keeps moving and ~55 um of coagulation follows it, as in the "
        "full-field passes (Fitzpatrick 1999) and Walsh's CW damage."
    ),
}


@pytest.mark.parametrize(
    ("tip", "energy", "penetration", "coagulation"),
    [
        pytest.param(
            *case,
            marks=[pytest.mark.xfail(strict=True, reason=_ECO2_MISS[case[:2]])]
            if case[:2] in _ECO2_MISS
            else [],
        )
        for case in _ECO2_CASES
    ],
)
def test_eco2_tips_on_facial_skin(tip, energy, penetration, coagulation):
    # eCO2 biopsies in vivo (tests/data/fractional_reference.toml): out of
    # sample. +-35 % as for the swine channels: the abstract gives rounded end
    # points and no pulse duration or beam profile (both assumed).
    skin = CHEEK.with_thicknesses(reticular_dermis=3e-3)
    effect = simulate_column(
        CO2,
        energy * MJ,
        tip * UM,
        skin,
        pulse_duration=energy * MJ / _ECO2["assumed_power_w"],
    )
    assert effect.ablation_depth / UM == pytest.approx(penetration, rel=0.35)
    assert effect.total_depth / UM == pytest.approx(coagulation, rel=0.35)


def test_shallow_co2_columns_at_low_energy(hantash_series):
    # superficial fractional CO2 (ActiveFX-like) works with 100-300 um
    # columns; the 120 um microbeam reaches that band at its lowest energies
    assert 50 * UM <= hantash_series[5.0].ablation_depth <= 150 * UM
    assert 100 * UM <= hantash_series[10.0].ablation_depth <= 300 * UM


def test_swine_channel_depths():
    # FITTED: the ejecta extinction (physics/ablation.py) was fitted to these
    # three depths; the test guards the fit. +-35 %: the abstract gives
    # rounded depths ("~"), and the spot and pulse are assumed (see
    # tests/data/fractional_reference.toml).
    case = REFERENCE["swine_channels"]
    skin = skin_model("chest", reticular_dermis=3e-3)
    spot = case["spot_um"] * UM
    for energy, depth in zip(case["energy_mj"], case["depth_um"], strict=True):
        effect = simulate_column(
            CO2, energy * MJ, spot, skin, pulse_duration=energy * MJ / case["assumed_power_w"]
        )
        assert effect.ablation_depth / UM == pytest.approx(depth, rel=0.35)


def test_oni_double_pulse_matches_single_pulse_on_the_face():
    # Oni 2012 (forehead, DeepFX at 300 Hz): 2 x 15 mJ is statistically the
    # same as 1 x 30 mJ in MTZ depth. Out of sample. 20 %: the study's
    # P = 0.69 on 12 subjects cannot resolve a smaller difference.
    case = REFERENCE["oni2012"]
    forehead = skin_model("forehead")
    spot = HANTASH["spot_um"] * UM
    power = HANTASH["power_w"]
    single = simulate_column(
        CO2, case["single_mj"] * MJ, spot, forehead, pulse_duration=case["single_mj"] * MJ / power
    )
    double = simulate_column(
        CO2,
        case["double_mj"] * MJ,
        spot,
        forehead,
        pulse_duration=case["double_mj"] * MJ / power,
        pulses=2,
        repetition_rate=case["rate_hz"],
    )
    assert double.ablation_depth == pytest.approx(single.ablation_depth, rel=0.20)


def _effective_heat(energy):
    effect = simulate_column(CO2, energy * MJ, 120 * UM, CHEEK)
    grid = effect.solution.grid
    volume = float(np.sum(grid.volume[effect.solution.removed]))
    return energy * MJ / volume


@pytest.mark.parametrize("energy", [5.0, 20.0, 40.0])
def test_co2_effective_heat_of_ablation_counts_the_losses(energy):
    # pulse energy over crater volume: above the 2.0 kJ/cm^3 that removing
    # dermis costs without losses (the plume, the wall and the coagulated
    # tissue take the rest)
    assert _effective_heat(energy) > 2.0e9


@pytest.mark.parametrize(
    "energy",
    [
        5.0,
        pytest.param(
            20.0,
            marks=pytest.mark.xfail(
                strict=True,
                reason=(
                    "Known miss against a wide-spot number: 6.8 and 8.5 kJ/cm^3 at 20 and "
                    "40 mJ. Walsh's 4.8 kJ/cm^3 was measured under a CW beam wider than a "
                    "microbeam, where the plume fills no channel; a 120 um microbeam that "
                    "drills the swine channels (~300 um at 37 mJ) within a crater no wider "
                    "than its 1/e^2 diameter spends >= 11 kJ/cm^3, so a column that matches "
                    "both the swine depths and this bound needs a crater 2-3x the beam, "
                    "the flare the Mie albedo removed."
                ),
            ),
        ),
        pytest.param(40.0, marks=pytest.mark.xfail(strict=True, reason="as at 20 mJ")),
    ],
)
def test_co2_effective_heat_of_ablation_within_walsh(energy):
    # below the 4.8 kJ/cm^3 Walsh et al. (1989) measured for CW CO2 plus 20 %
    # (its spot-size dependence, no spread given)
    heat = _effective_heat(energy)
    assert heat <= 1.2 * REFERENCE["walsh1989_co2"]["heat_of_ablation_kj_cm3"] * 1e9


def test_co2_effective_heat_of_ablation_against_payne():
    # Payne (1997): 3.74 kJ/g (4.1 kJ/cm^3) for TEA CO2 on porcine dermis, by
    # mass loss; 20 % below it is accepted (one thesis, no spread given).
    # Out of sample: the ejecta now absorb part of what they take, which
    # raises what the column spends per volume
    assert _effective_heat(20.0) >= 0.8 * 3.74e6 * 1100.0


@pytest.mark.parametrize("spot_mm", [0.5, 1.0])
@pytest.mark.parametrize("irradiance_kw_cm2", [13.0, 20.0])
def test_cw_co2_heat_of_ablation_of_a_drilled_spot(spot_mm, irradiance_kw_cm2):
    # Walsh et al. (1989): 4.8 kJ per cm^3 removed by CW CO2 above 13 kW/cm^2
    # (spot-size dependent, no spread given; +-20 % as for the microbeams).
    # Out of sample. A 50 ms CW exposure drills a crater ~1 mm deep under a
    # 0.5-1 mm spot: a channel, the column model's geometry (the 1D
    # full-field solver is for spots far wider than their craters are deep).
    # Peak irradiance of a Gaussian beam of that 1/e^2 diameter.
    spot = spot_mm * 1e-3
    power = irradiance_kw_cm2 * 1e7 * np.pi * (0.5 * spot) ** 2 / 2.0
    skin = CHEEK.with_thicknesses(reticular_dermis=3e-3)
    effect = simulate_column(CO2, power * 0.05, spot, skin, pulse_duration=0.05)
    grid = effect.solution.grid
    volume = float(np.sum(grid.volume[effect.solution.removed]))
    heat = power * 0.05 / volume
    walsh = REFERENCE["walsh1989_co2"]["heat_of_ablation_kj_cm3"] * 1e9
    assert heat == pytest.approx(walsh, rel=0.2)


@pytest.mark.xfail(
    strict=True,
    reason=(
        "Known miss: 46 um of damage under the floor (and a 37 um sleeve on the wall) "
        "after 50 ms at 20 kW/cm^2 under a 1 mm spot, against 100 +- 30 um; 43 um under "
        "a 0.5 mm spot. The front runs at steady state: a dry crust of a few um, tissue "
        "partly boiled at 100 degC over the optical depth, and what conduction takes "
        "past the damage threshold behind a front that outruns it. The 1D solver gave "
        "55 um while its crater-depth plume held the front back (it now drills a "
        "channel no full-field spot makes). Char absorption would not close it: Walsh "
        "saw char only below ~6 kW/cm^2. The absorption of dry dermis at 10.6 um decides "
        "it (an assumption, ratio 1.0; 0.3 gave 91 um in the 1D solver, see "
        "docs/models.md); no measured value was found."
    ),
)
def test_cw_co2_residual_thermal_damage():
    # Walsh et al. (1989): 100 +- 15 um of residual damage above 13 kW/cm^2;
    # two standard deviations accepted. A laboratory exposure: nothing wiped.
    spot = 1e-3
    power = 20e7 * np.pi * (0.5 * spot) ** 2 / 2.0
    skin = CHEEK.with_thicknesses(reticular_dermis=3e-3)
    effect = simulate_column(CO2, power * 0.05, spot, skin, pulse_duration=0.05)
    ref = REFERENCE["walsh1989_co2"]
    assert effect.coagulation_depth / UM == pytest.approx(ref["rtd_um"], abs=2 * ref["rtd_sd_um"])


def test_co2_depth_is_continuous_across_the_measured_irradiance():
    # one parameter set at every irradiance: no jump where the mean
    # irradiance crosses the 13 kW/cm^2 of Walsh et al. (1989); 2 mJ on
    # 120 um from 5 ms (3.5 kW/cm^2) to 0.5 ms (35 kW/cm^2) in 10 % steps
    durations = 5e-3 / 1.1 ** np.arange(0, 25)
    depths = np.array(
        [
            simulate_column(CO2, 2 * MJ, 120 * UM, CHEEK, pulse_duration=d).ablation_depth
            for d in durations
        ]
    )
    assert np.all(depths > 0)
    assert np.max(np.abs(np.diff(depths)) / depths[1:]) < 0.15


def test_smaller_spot_drills_deeper_at_equal_energy():
    # Same energy on a smaller spot is a higher fluence. Spots of clinical
    # microbeams; for CO2 spots below ~90 um the beam's own divergence
    # (Rayleigh length < 0.6 mm) starts to limit the depth in this model.
    co2 = [simulate_column(CO2, 20 * MJ, s * UM, CHEEK).ablation_depth for s in (120, 200, 300)]
    er = [
        simulate_column(ER, 10 * MJ, s * UM, CHEEK, pulse_duration=300e-6).ablation_depth
        for s in (120, 250, 400)
    ]
    assert co2[0] > co2[1] > co2[2]
    assert er[0] > er[1] > er[2]


def test_co2_sleeve_thicker_than_er_yag_at_the_same_depth():
    # CO2 light penetrates ~17 um of tissue, Er:YAG ~1-4 um; the heat left in
    # the wall and floor of a CO2 column coagulates more. Published residual
    # damage: Er:YAG 10-50 um (normal spiking), CO2 75-100+ um (thermal_damage
    # in tests/data). Columns matched within 10 % in depth.
    co2 = simulate_column(CO2, 3 * MJ, 120 * UM, CHEEK)
    er = simulate_column(ER, 26 * MJ, 250 * UM, CHEEK, pulse_duration=300e-6)
    assert er.ablation_depth == pytest.approx(co2.ablation_depth, rel=0.10)
    assert co2.coagulation_cuff > er.coagulation_cuff
    assert co2.coagulation_depth > 2 * er.coagulation_depth
    low, high = REFERENCE["thermal_damage"]["er_yag_rtd_um"]
    # Walsh, Flotte & Deutsch measured incisions made by trains of ~200 us
    # pulses; one pulse leaves less, so down to half the lower bound is accepted
    assert 0.5 * low <= er.coagulation_depth / UM <= high


def test_er_yag_stacking_drills_deeper_with_every_pulse():
    # ProFractional (secondary): 25-1500 um, deep columns drilled by stacking.
    # One weak pulse stays within the shallow end; every stacked pulse adds
    # depth, less than the one before it as the channel deepens and its
    # ejecta take more of the light (the fall of depth per pulse with rate
    # that Kaufmann & Hibst 1996 measured in full-field Er:YAG)
    shallow, _ = REFERENCE["profractional"]["depth_range_um"]
    one = simulate_column(ER, 1 * MJ, 250 * UM, CHEEK, pulse_duration=250e-6)
    assert 0 < one.ablation_depth / UM <= shallow
    stacked = simulate_column(ER, 10 * MJ, 250 * UM, CHEEK, pulse_duration=300e-6, pulses=10)
    depths = np.array([d["ablation_depth"] for d in stacked.after_pulse])
    steps = np.diff(np.concatenate(([0.0], depths)))
    assert np.all(steps > 0)
    assert steps[-1] < steps[0]


@pytest.mark.xfail(
    strict=True,
    reason=(
        "Known miss: 20 stacked 50 mJ pulses (the bundled device's assumed limits) "
        "drill ~1.24 mm, not the 1.5 mm of the secondary ProFractional figure: the "
        "ejecta extinction fitted on CO2 channels is applied to Er:YAG unchanged."
    ),
)
def test_er_yag_stacking_reaches_the_deep_end_of_the_fractional_range():
    _, deep = REFERENCE["profractional"]["depth_range_um"]
    stacked = simulate_column(ER, 50 * MJ, 250 * UM, CHEEK, pulse_duration=300e-6, pulses=20)
    assert stacked.ablation_depth / UM >= deep


def test_depth_never_decreases_with_energy():
    depths = [
        simulate_column(CO2, e * MJ, 120 * UM, CHEEK, pulse_duration=200e-6).ablation_depth
        for e in (0.1, 0.3, 1, 2, 5, 10, 20)
    ]
    assert depths[0] == 0.0
    assert all(b >= a for a, b in itertools.pairwise(depths))


def test_column_deeper_than_the_dermis_is_flagged():
    # periorbital dermis ends at ~655 um; three stacked 40 mJ CO2 pulses
    # reach ~760 um
    thin = simulate_column(CO2, 40 * MJ, 120 * UM, skin_model("periorbital"), pulses=3)
    assert thin.exceeds_dermis
    assert "subcutis" in thin.layers_reached
    assert any("below the dermis" in w for w in thin.warnings)
    cheek = simulate_column(CO2, 20 * MJ, 120 * UM, CHEEK)
    dermis_bottom = CHEEK.epidermis_thickness + CHEEK.dermis_thickness
    assert cheek.total_depth < dermis_bottom
    assert not cheek.exceeds_dermis and not cheek.warnings
    assert cheek.layers_reached[-1] == "reticular_dermis"


def test_wiring_of_the_column_effect():
    effect = simulate_column(CO2, 8 * MJ, 120 * UM, CHEEK, pulse_duration=500e-6, pulses=2)
    result = effect.to_dict()
    for key in (
        "ablation_depth_um",
        "ablation_diameter_um",
        "coagulation_depth_um",
        "total_depth_um",
        "coagulation_cuff_um",
        "mtz_diameter_um",
        "layers_reached",
        "sources",
        "area",
        "exceeds_dermis",
        "warnings",
    ):
        assert key in result
    assert result["total_depth_um"] == pytest.approx(
        result["ablation_depth_um"] + result["coagulation_depth_um"], abs=0.11
    )
    assert result["mtz_diameter_um"] >= result["ablation_diameter_um"]
    assert len(result["depth_after_pulse_um"]) == 2
    assert result["depth_after_pulse_um"][-1] == result["ablation_depth_um"]
    assert any("Hale GM" in s for s in result["sources"])
    assert any("Siegman" in s for s in result["sources"])
    assert effect.temperature_map.shape == effect.damage_map.shape == (effect.z.size, effect.r.size)
    assert np.isnan(effect.damage_map[0, 0])  # the column's mouth is ablated
    assert np.nanmax(effect.temperature_map) == pytest.approx(effect.peak_temperature)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"energy": 0.0}, "energy"),
        ({"energy": -1e-3}, "energy"),
        ({"spot_diameter": 10e-6}, "spot_diameter"),
        ({"spot_diameter": 3e-3}, "spot_diameter"),
        ({"pulses": 0}, "pulses"),
        ({"beam": "donut"}, "beam"),
        ({"pulses": 3, "pulse_duration": 20e-3}, "repetition_rate"),
    ],
)
def test_bad_input_names_the_field(kwargs, field):
    arguments = {
        "wavelength": CO2,
        "energy": 20e-3,
        "spot_diameter": 120e-6,
        "skin": CHEEK,
    } | kwargs
    with pytest.raises(InputError) as error:
        simulate_column(**arguments)
    assert error.value.field == field
