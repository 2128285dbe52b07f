"""Fractional column predictions against published numbers (tests/data) and clinical behaviour."""

import itertools
import tomllib
from pathlib import Path

import numpy as np
import pytest

from dermalase.exceptions import InputError
from dermalase.forward.fractional import ColumnEffect, simulate_column
from dermalase.tissue import skin_model

REFERENCE = tomllib.loads(
    (Path(__file__).parent.parent / "data" / "fractional_reference.toml").read_text()
)
HANTASH = REFERENCE["hantash2007"]
CHEEK = skin_model("cheek")
UM, MJ = 1e-6, 1e-3
CO2, ER = 10.6e-6, 2.94e-6


@pytest.fixture(scope="module")
def hantash_series() -> dict[float, ColumnEffect]:
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
    # lesion depth". The lesion is column plus coagulation: total depth.
    low = hantash_series[HANTASH["energy_low_mj"]]
    high = hantash_series[HANTASH["energy_high_mj"]]
    assert high.total_depth / low.total_depth > HANTASH["depth_ratio_min"]
    assert high.ablation_depth / low.ablation_depth > HANTASH["depth_ratio_min"]


def test_hantash_depth_and_width_grow_with_energy(hantash_series):
    effects = list(hantash_series.values())
    for a, b in itertools.pairwise(effects):
        assert b.ablation_depth > a.ablation_depth
        assert b.ablation_diameter >= a.ablation_diameter
        assert b.mtz_diameter > a.mtz_diameter


@pytest.mark.xfail(
    strict=True,
    reason=(
        "Known model gap: a Gaussian microbeam's crater edge and its rim of coagulation "
        "sit where the fluence falls to a threshold, so the width grows only as "
        "sqrt(ln E) (x1.2 from 5 to 30 mJ at 30 W). The twofold growth Hantash 2007 "
        "saw needs heat returned to the wall by the plume, which the model sends "
        "away with it, and the paper's absolute widths to check it against."
    ),
)
def test_hantash_width_roughly_doubles(hantash_series):
    # Hantash 2007: "twofold increase in width" from 5 to 30 mJ. "Roughly":
    # 1.6-2.5, a spread wider than the 12 +- 2 % width bias Marqa & Mordon
    # 2014 found between simulation and histology.
    low = hantash_series[HANTASH["energy_low_mj"]]
    high = hantash_series[HANTASH["energy_high_mj"]]
    assert 1.6 <= high.mtz_diameter / low.mtz_diameter <= 2.5


def test_absolute_depths_in_the_loose_band(hantash_series):
    # UNCONFIRMED values (~0.3 mm at low energy, ~1 mm at 30-40 mJ), histology.
    # Marqa & Mordon 2014: simulations run 21 +- 2 % deeper than histology
    # (tissue shrinkage), so the band is scaled by 1.21 before comparing. The
    # values are "as often quoted", not read in the paper: only agreement
    # within a factor of two is asked for.
    band = REFERENCE["hantash2007_absolute"]
    shrinkage = 1.0 + REFERENCE["marqa_mordon2014"]["depth_excess"]
    low = hantash_series[5.0].total_depth / UM / (band["depth_low_energy_um"] * shrinkage)
    assert 0.5 <= low <= 2.0
    for energy in band["high_energy_range_mj"]:
        high = hantash_series[energy].total_depth / UM
        assert 0.5 <= high / (band["depth_high_energy_um"] * shrinkage) <= 2.0


@pytest.mark.parametrize("energy", [5.0, 20.0, 40.0])
def test_co2_crater_holds_what_the_measured_heat_of_ablation_pays_for(energy):
    # Walsh et al. 1989: high-irradiance CW CO2 removes 1 cm^3 of skin per
    # 4.8 kJ. The crater volume times that heat is the energy spent on
    # ablation: a little under the pulse energy (the heat left in wall and
    # floor, 2-10 %, and the air), a little over it where dry residue leaves
    # without being paid for in full (a few %).
    effect = simulate_column(CO2, energy * MJ, 120 * UM, CHEEK)
    grid = effect.solution.grid
    volume = float(np.sum(grid.volume[effect.solution.removed]))
    heat = REFERENCE["walsh1989_co2"]["heat_of_ablation_kj_cm3"] * 1e9
    assert 0.8 <= volume * heat / (energy * MJ) <= 1.05


def test_co2_below_the_measured_irradiance_says_so():
    # 2 mJ over 5 ms on 120 um is 3.5 kW/cm^2, under the 13 kW/cm^2 of
    # Walsh et al.: the vaporisation enthalpy is used, with a warning
    low = REFERENCE["walsh1989_co2"]["high_irradiance_kw_cm2"]
    slow = simulate_column(CO2, 2 * MJ, 120 * UM, CHEEK, pulse_duration=5e-3)
    assert any(f"{low:g} kW/cm^2" in w for w in slow.warnings)
    assert "Walsh1989CO2" not in slow.sources
    fast = simulate_column(CO2, 2 * MJ, 120 * UM, CHEEK, pulse_duration=0.5e-3)
    assert not fast.warnings
    assert "Walsh1989CO2" in fast.sources


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
    co2 = simulate_column(CO2, 13 * MJ, 120 * UM, CHEEK)
    er = simulate_column(ER, 23 * MJ, 250 * UM, CHEEK, pulse_duration=300e-6)
    assert er.ablation_depth == pytest.approx(co2.ablation_depth, rel=0.10)
    assert co2.coagulation_cuff > er.coagulation_cuff
    assert co2.coagulation_depth > 2 * er.coagulation_depth
    low, high = REFERENCE["thermal_damage"]["er_yag_rtd_um"]
    # Walsh, Flotte & Deutsch measured incisions made by trains of ~200 us
    # pulses; one pulse leaves less, so down to half the lower bound is accepted
    assert 0.5 * low <= er.coagulation_depth / UM <= high


def test_er_yag_stacking_spans_the_fractional_depth_range():
    # ProFractional (secondary): 25-1500 um, deep columns drilled by stacking.
    # The bundled device (250 um spot, 1-50 mJ, up to 20 pulses) must span it,
    # and each stacked pulse must add a similar depth (the floor desiccation
    # the model carries costs less than 10 % a pulse).
    shallow, deep = REFERENCE["profractional"]["depth_range_um"]
    one = simulate_column(ER, 1 * MJ, 250 * UM, CHEEK, pulse_duration=250e-6)
    assert 0 < one.ablation_depth / UM <= shallow
    stacked = simulate_column(ER, 10 * MJ, 250 * UM, CHEEK, pulse_duration=300e-6, pulses=10)
    depths = np.array([d["ablation_depth"] for d in stacked.after_pulse])
    assert depths[-1] / UM >= deep
    steps = np.diff(np.concatenate(([0.0], depths)))
    assert np.all(steps > 0.9 * steps[0]) and np.all(steps < 1.1 * steps[0])


def test_depth_never_decreases_with_energy():
    depths = [
        simulate_column(CO2, e * MJ, 120 * UM, CHEEK, pulse_duration=200e-6).ablation_depth
        for e in (0.1, 0.3, 1, 2, 5, 10, 20)
    ]
    assert depths[0] == 0.0
    assert all(b >= a for a, b in itertools.pairwise(depths))


def test_column_deeper_than_the_dermis_is_flagged():
    # periorbital dermis ends at ~655 um; a 20 mJ CO2 column reaches ~740 um
    thin = simulate_column(CO2, 20 * MJ, 120 * UM, skin_model("periorbital"))
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
