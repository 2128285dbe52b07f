"""Full-field predictions against published measurements (tests/data)."""

import itertools
import tomllib
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from dermalase.forward.full_field import simulate
from dermalase.laser import LaserSettings
from dermalase.tissue import skin_model

REFERENCE = tomllib.loads(
    (Path(__file__).parents[1] / "data" / "full_field_reference.toml").read_text()
)
CHEEK = skin_model("cheek")
UM = 1e-6


def er_yag(fluence_j_cm2, duration=300e-6, **kwargs):
    return simulate(LaserSettings(2.94e-6, fluence_j_cm2 * 1e4, duration, **kwargs), CHEEK)


def test_er_yag_depth_per_pulse_at_1hz():
    # Kaufmann & Hibst 1996: ~40 um per pulse at 10 J/cm2 and 1 Hz. Pulses after
    # the first (no stratum corneum left) are compared; +-25 % covers the
    # "about" of the source and the 4-6 um per J/cm2 spread between the two
    # Hibst/Kaufmann papers.
    ref = REFERENCE["er_yag_rate"]
    effect = er_yag(ref["fluence_j_cm2"], pulses=4, repetition_rate=1.0)
    per_pulse = np.diff(effect.depth_after_pulse).mean() / UM
    assert per_pulse == pytest.approx(ref["depth_per_pulse_1hz_um"], rel=0.25)
    # the first pulse, stratum corneum included: at 1 Hz the crater depth is
    # linear in the exposure (Hibst & Kaufmann 1991), so the first pulse
    # removes about as much as the others. (Until the stratum corneum left
    # cell by cell, the model blew it off whole and this compared the first
    # pulse less the stratum corneum.)
    first = er_yag(ref["fluence_j_cm2"]).ablation_depth
    assert first / UM == pytest.approx(ref["depth_per_pulse_1hz_um"], rel=0.25)


@pytest.mark.parametrize("fluence", REFERENCE["er_yag_linearity"]["fluences_j_cm2"])
def test_er_yag_depth_per_pulse_stays_level_at_1hz(fluence):
    # Hibst & Kaufmann (1991): at 1 Hz the crater depth is exactly linear in
    # the radiant exposure. Out of sample. It failed while the ejecta of a
    # wide spot filled only the crater (78, 53, 45, 40, 37 um per pulse at
    # 20 J/cm^2): the deeper the crater, the more ejecta the beam crossed.
    ref = REFERENCE["er_yag_linearity"]
    effect = er_yag(fluence, pulses=5, repetition_rate=ref["repetition_rate_hz"])
    per_pulse = np.diff(effect.depth_after_pulse)  # pulses 2-5
    assert per_pulse.min() >= (1.0 - ref["max_fall"]) * per_pulse.max()


def test_er_yag_repetition_rate_lowers_depth_per_pulse():
    # Kaufmann & Hibst 1996: the depth per pulse falls with the rate
    depths = []
    for rate in (1.0, 2.0, 5.0, 10.0):
        effect = er_yag(10.0, pulses=4, repetition_rate=rate)
        depths.append(np.diff(effect.depth_after_pulse).mean() / UM)
    assert all(a > b for a, b in itertools.pairwise(depths))


def test_er_yag_depth_per_pulse_at_10hz():
    # A FIT, not a check: the recovery time (ablation.RECOVERY_TIME) was
    # fitted to this number; the test guards the fit against model changes.
    effect = er_yag(10.0, pulses=4, repetition_rate=10.0)
    per_pulse = np.diff(effect.depth_after_pulse).mean() / UM
    assert per_pulse == pytest.approx(REFERENCE["er_yag_rate"]["depth_per_pulse_10hz_um"], rel=0.3)


@pytest.mark.xfail(
    strict=True,
    reason=(
        "Known miss: 3.5 um per J/cm^2 from 5 to 20 J/cm^2 (19 and 72 um) against 4-6. "
        "The free plume over the spot takes a share of the beam that grows with the "
        "irradiance; without any ejecta the slope is 5.0. The upper half of the band is "
        "beyond a heat of ablation of 2.0 kJ/cm^3 (Walsh & Deutsch 1989: 5 um per J/cm^2 "
        "with no losses), so it points to explosive removal of partly vaporised tissue, "
        "which the model lacks. (3.9 with the earlier crater-depth plume, which made the "
        "depth per pulse fall at 1 Hz.)"
    ),
)
def test_er_yag_slope_above_threshold():
    # Hibst & Kaufmann 1991, Kaufmann & Hibst 1996: 4-6 um per J/cm2.
    ref = REFERENCE["er_yag_slope"]
    low, high = er_yag(5.0).ablation_depth, er_yag(20.0).ablation_depth
    slope = (high - low) / UM / 15.0
    assert ref["slope_low_um_per_j_cm2"] <= slope <= ref["slope_high_um_per_j_cm2"]


def test_er_yag_depth_continuous_from_threshold():
    # the stratum corneum leaves cell by cell: just above threshold a pulse
    # removes a micrometre or two (a nano peel), not the whole layer at once
    fluences = 0.8 * 1.1 ** np.arange(12)
    depths = np.array([er_yag(f).ablation_depth for f in fluences]) / UM
    first = depths[depths > 0][0]
    assert depths[0] == 0.0
    assert first <= 2.0
    assert np.all(np.diff(depths) <= 1.6)  # at most three 0.5 um cells per 10 % step


def test_no_ablation_below_threshold():
    effect = er_yag(0.5)
    assert effect.ablation_depth == 0.0
    co2 = simulate(LaserSettings(10.6e-6, 1e4, 0.8e-3, wipe_after_each_pass=False), CHEEK)
    assert co2.ablation_depth == 0.0
    # the wipe after the pass takes only what the pass dried: below threshold
    # no more than the stratum corneum (15 % water), never the wet epidermis
    wiped = simulate(LaserSettings(10.6e-6, 1e4, 0.8e-3), CHEEK)
    assert wiped.ablation_depth <= CHEEK.thickness("stratum_corneum") + 1e-9
    assert wiped.layers_ablated == ["stratum_corneum"]


@pytest.mark.parametrize("wavelength", [2.94e-6, 10.6e-6, 2.79e-6])
def test_depth_never_decreases_with_fluence(wavelength):
    depths = [
        simulate(LaserSettings(wavelength, f * 1e4, 300e-6), CHEEK).ablation_depth
        for f in (0.5, 1, 2, 4, 6, 8, 12, 16, 25)
    ]
    assert all(b >= a for a, b in itertools.pairwise(depths))


def test_q_switched_thermal_damage():
    # Walsh, Flotte & Deutsch 1989: 5-10 um for 90 ns pulses. The model's
    # coagulation depth is resolved to one grid cell (0.5 um), hence +0.5 um.
    ref = REFERENCE["er_yag_thermal_damage"]
    low, high = ref["q_switched_rtd_um"]
    effect = er_yag(5.0, duration=ref["q_switched_pulse_ns"] * 1e-9)
    assert effect.regime == ("blow_off",)
    assert low <= effect.coagulation_depth / UM <= high + 0.5


def test_normal_spiking_thermal_damage():
    # Walsh, Flotte & Deutsch 1989: 10-50 um for ~200 us normal-spiking pulses,
    # measured on incisions made with trains of pulses; Kaufmann & Hibst 1996:
    # <= 50 um at 10 J/cm2 up to 15 Hz.
    low, high = REFERENCE["er_yag_thermal_damage"]["normal_spiking_rtd_um"]
    for rate in (2.0, 10.0, 15.0):
        effect = er_yag(10.0, duration=200e-6, pulses=3, repetition_rate=rate)
        assert set(effect.regime) == {"steady_state"}
        assert low <= effect.coagulation_depth / UM <= high


def test_thermal_damage_grows_with_pulse_duration_and_coagulation_train():
    short = er_yag(10.0, duration=90e-9)
    normal = er_yag(10.0)
    long = er_yag(10.0, duration=5e-3)
    train = er_yag(10.0, coagulation_fluence=1.5e4, coagulation_pulses=6)
    assert short.coagulation_depth <= normal.coagulation_depth < long.coagulation_depth
    assert train.coagulation_depth > 2 * normal.coagulation_depth


@pytest.mark.xfail(
    strict=True,
    reason=(
        "Known miss: the 1.5 J/cm^2 train lands on a floor the ablative pulse left "
        "hot and dry; dry tissue needs no latent heat, so the train takes ~11 um "
        "more to decomposition. The Sciton coagulation mode is described as "
        "sub-ablative. (Dosimetry counts what the train removes in the delivered "
        "ablation: tests/test_dosimetry.py.)"
    ),
)
def test_coagulation_train_adds_no_ablation():
    normal = er_yag(10.0)
    train = er_yag(10.0, coagulation_fluence=1.5e4, coagulation_pulses=6)
    assert train.ablation_depth == pytest.approx(normal.ablation_depth, abs=0.5 * UM)


@pytest.mark.xfail(
    strict=True,
    reason=(
        "Known miss: ~11 um of damage at 80 J/cm^2 against up to ~100 um (with "
        "tears). The steady front outruns conduction at any fluence; the "
        "mechanical tearing the source reports is not modelled. The abstract of "
        "Walsh, Flotte & Deutsch (1989) places the tears and the 100 um in cornea "
        "and aorta, not in skin."
    ),
)
def test_er_yag_damage_rises_at_high_fluence():
    ref = REFERENCE["er_yag_high_fluence_damage"]
    effect = er_yag(ref["fluence_j_cm2"])
    assert effect.coagulation_depth / UM >= 0.5 * ref["rtd_um"]


def test_co2_first_pass_at_10_j_cm2():
    # 20-30 um on the first pass at >= 5 J/cm2 within 1 ms (secondary source);
    # 15-45 um accepted at 10 J/cm^2: the source gives no fluence for its range
    effect = simulate(LaserSettings(10.6e-6, 10e4, 0.8e-3), CHEEK)
    assert 15.0 <= effect.ablation_depth / UM <= 45.0
    assert 20.0 <= effect.coagulation_depth / UM <= 100.0  # "tens of um"


@pytest.mark.parametrize(
    "fluence",
    [
        pytest.param(
            5.0,
            marks=pytest.mark.xfail(
                strict=True,
                reason=(
                    "Known miss: 14 um at 5 J/cm^2 in 0.8 ms (10 um vaporised, 4 um of "
                    "desiccated tissue wiped off after the pass) against 20-30 um "
                    "(secondary). Over 0.8 ms conduction spreads the heat over ~18 um, as "
                    "deep as the light goes; the partly boiled tissue below the wiped "
                    "layer still holds water and stays, and the explosive ejection of "
                    "partly boiled tissue that Walsh & Deutsch and Payne's 1.15 J/cm^2 "
                    "TEA threshold point to is not modelled."
                ),
            ),
        ),
        7.0,
    ],
)
def test_co2_first_pass_at_5_to_7_j_cm2(fluence):
    # 20-30 um per first pass (secondary); 15-45 um accepted as at 10 J/cm^2:
    # the source gives no fluence for its range. The removal counts the
    # desiccated layer wiped off after the pass, as the clinical depth does
    # (the standard technique wipes after each pass, Yuksel 2001).
    effect = simulate(LaserSettings(10.6e-6, fluence * 1e4, 0.8e-3), CHEEK)
    assert 15.0 <= effect.ablation_depth / UM <= 45.0


def test_co2_coagulation_grows_with_passes():
    one = simulate(LaserSettings(10.6e-6, 7e4, 0.8e-3), CHEEK)
    three = simulate(LaserSettings(10.6e-6, 7e4, 0.8e-3, passes=3, pass_interval=2.0), CHEEK)
    assert three.coagulation_depth > one.coagulation_depth
    # the plateau near 100 um is not passed
    assert three.coagulation_depth / UM <= REFERENCE["co2_first_pass"]["coagulation_plateau_um"]


@pytest.mark.xfail(
    strict=True,
    reason=(
        "Known miss: with the desiccated layer wiped off after each pass the "
        "passes remove 22, 28 and 29 um (9, 9 and 6 um of it wiped), later ones "
        "still more than the first (without the wipe 13, 27, 30 um). Under the "
        "wiped layer lies partly boiled tissue, which the model lets absorb as "
        "much per volume as wet tissue (solids absorb like water, an assumption) "
        "while it needs less latent heat to leave; the clinical account has the "
        "drier floor ablating less."
    ),
)
def test_co2_passes_remove_less():
    three = simulate(LaserSettings(10.6e-6, 7e4, 0.8e-3, passes=3, pass_interval=2.0), CHEEK)
    per_pass = np.diff(np.concatenate(([0.0], three.depth_after_pulse)))
    assert np.all(per_pass[1:] < per_pass[0])


@pytest.mark.xfail(
    strict=True,
    reason=(
        "Known miss: no plateau. At 500 mJ on 3 mm (7.1 J/cm^2, 0.8 ms, wiped) the model "
        "removes 22, 50, 80, 110, 140, 171 um after passes 1-6 (14, 41, 71, 100, 130, 160 "
        "unwiped): each pass removes ~30 um, as much as the one before. Fitzpatrick et "
        "al. (1999) found vaporisation level after 3 passes at 100-250 um. The floor the "
        "wipe leaves still holds water and absorbs like wet tissue (the solids-absorption "
        "assumption); what stops a real floor (a desiccated, necrotic layer that absorbs "
        "less or is not wiped off) is not in the model."
    ),
)
def test_co2_vaporisation_levels_off_after_three_passes():
    # Fitzpatrick et al. (1999), UltraPulse 500 mJ, 3 mm: a plateau after 3
    # passes at 100-250 um. Out of sample. "Plateau": passes 4-6 add less
    # than a fifth of what the first three removed (the abstract gives no
    # per-pass figures).
    ref = REFERENCE["co2_passes_plateau"]
    spot = ref["spot_mm"] * 1e-3
    fluence = ref["energy_mj"] * 1e-3 / (np.pi * (0.5 * spot) ** 2)
    settings = LaserSettings(
        10.6e-6, fluence, 0.8e-3, passes=6, pass_interval=2.0, spot_diameter=spot
    )
    depths = simulate(settings, CHEEK).depth_after_pulse / UM
    at_plateau = depths[ref["plateau_after_passes"] - 1]
    low, high = ref["plateau_um"]
    assert low <= at_plateau <= high
    assert depths[-1] - at_plateau < 0.2 * at_plateau


def test_layers_reached():
    effect = er_yag(10.0)
    assert effect.layers_ablated[:2] == ["stratum_corneum", "viable_epidermis"]
    assert effect.deepest_layer_coagulated == "papillary_dermis"
    shallow = er_yag(2.0)
    assert shallow.layers_ablated[0] == "stratum_corneum"


def test_sources_listed():
    result = er_yag(10.0).to_dict()
    assert any("Walsh JT, Deutsch TF" in s for s in result["sources"])
    assert any("Henriques" in s for s in result["sources"])
    assert any("Hale GM" in s for s in result["sources"])


def test_coagulation_pulses_converged_at_the_coarser_step(monkeypatch):
    """Sub-ablative pulses take up to pulse/40 steps; 2 µs steps agree within a cell."""
    from dermalase.forward import full_field as module

    settings = LaserSettings(
        2.94e-6,
        8e4,
        300e-6,
        coagulation_fluence=0.6e4,
        coagulation_pulses=3,
        coagulation_repetition_rate=100.0,
    )
    coarse = module.simulate(settings, skin_model("cheek"))
    monkeypatch.setattr(module, "COAGULATION_PULSE_STEP", 2e-6)
    fine = module.simulate(settings, skin_model("cheek"))
    # The coagulation front is read off cells of 0.1-1 µm; agreement within
    # 1.5 µm is one to two cells, well inside the 5 µm dosimetry band.
    assert abs(coarse.coagulation_depth - fine.coagulation_depth) <= 1.5e-6
    # the train dries the floor (dry tissue conducts less) and may take one
    # more cell to decomposition: the floors agree within one cell
    assert coarse.ablation_depth == pytest.approx(fine.ablation_depth, abs=0.55e-6)


def _largest_jump(values, cell):
    """Largest change between neighbours beyond two grid cells, relative [-]."""
    values = np.asarray(values, float)
    step = np.abs(np.diff(values))
    return float(np.max(np.where(step <= 2 * cell, 0.0, step / np.maximum(values[1:], 1e-12))))


@pytest.mark.parametrize(
    ("wavelength", "fluence"),
    [(10.6e-6, 20e4), (2.94e-6, 10e4)],
)
def test_no_jump_over_pulse_duration(wavelength, fluence):
    # one regime for every us-ms pulse: a 10 % longer pulse moves depth and
    # coagulation by less than 15 % (or two grid cells, where they are small),
    # across the 1.3 ms at which the earlier model switched from blow-off to
    # steady state and doubled the CO2 depth
    durations = 100e-6 * 1.1 ** np.arange(0, 30)
    effects = [simulate(LaserSettings(wavelength, fluence, d), CHEEK) for d in durations]
    cell = effects[0].solution.grid.widths[0]
    assert _largest_jump([e.ablation_depth for e in effects], cell) < 0.15
    assert _largest_jump([e.coagulation_depth for e in effects], cell) < 0.15


def test_dry_floor_heats_above_boiling_and_the_peak_is_reported():
    # once its water is gone the floor heats on: the reported peak is above
    # 100 degC and never above the decomposition temperature (400 degC)
    effect = simulate(LaserSettings(10.6e-6, 20e4, 1e-3), CHEEK)
    assert 473.15 < effect.peak_temperature <= 673.15 + 1e-6
    assert effect.to_dict()["peak_temperature_c"] > 200.0


@pytest.mark.parametrize(
    ("wavelength", "duration", "low"),
    [(10.6e-6, 0.8e-3, 5e4), (2.94e-6, 300e-6, 3e4)],
)
def test_no_jump_over_fluence(wavelength, duration, low):
    # Depth grows faster than the fluence above threshold (CO2: about as
    # F^1.4 from 5 to 20 J/cm^2), so a jump is read as an increment more
    # than twice the one before it (beyond two grid cells); coagulation
    # moves by less than 15 % (or two cells) for each 10 % step.
    fluences = low * 1.1 ** np.arange(0, 16)
    effects = [simulate(LaserSettings(wavelength, f, duration), CHEEK) for f in fluences]
    cell = effects[0].solution.grid.widths[0]
    steps = np.diff([e.ablation_depth for e in effects])
    assert np.all(steps >= 0.0)
    assert np.all(steps[1:] <= 2.0 * steps[:-1] + 2 * cell)
    assert _largest_jump([e.coagulation_depth for e in effects], cell) < 0.15


def test_wipe_takes_the_desiccated_layer_and_nothing_wet():
    # After each CO2 pass the layer that lost all its water comes off, and only
    # that: the first cell left on the floor still holds water, and the pass
    # removes more than its pulses alone did by what the wipe took
    settings = LaserSettings(10.6e-6, 7e4, 0.8e-3, passes=3, pass_interval=2.0)
    wiped = simulate(settings, CHEEK)
    unwiped = simulate(replace(settings, wipe_after_each_pass=False), CHEEK)
    solution = wiped.solution
    assert solution.water_fraction[solution.surface_index] > 0.0
    assert np.all(solution.wiped_after_pulse > 0.0)
    assert wiped.depth_after_pulse[0] == pytest.approx(
        unwiped.depth_after_pulse[0] + solution.wiped_after_pulse[0]
    )
    assert wiped.ablation_depth > unwiped.ablation_depth
    # the heat the wiped layers carry leaves with them and the ledger closes
    assert wiped.energy["wiped"] > 0.0
    assert solution.energy_balance_error() < 0.01


def test_erbium_passes_are_not_wiped_by_default():
    # no source read wipes Er:YAG passes: the default leaves the crater as the
    # pulses made it, the same as asking for no wipe
    settings = LaserSettings(2.94e-6, 10e4, 300e-6, passes=2, pass_interval=2.0)
    plain = simulate(settings, CHEEK)
    assert not settings.wiped
    assert plain.energy["wiped"] == 0.0
    assert np.all(plain.solution.wiped_after_pulse == 0.0)
    wiped = simulate(replace(settings, wipe_after_each_pass=True), CHEEK)
    assert wiped.ablation_depth >= plain.ablation_depth


def _co2_threshold(pulse_duration):
    """Lowest fluence that ablates a single laboratory CO2 pulse [J/m^2].

    Log bisection between 1 and 10 J/cm^2 in 8 steps: to within 0.9 %.
    """
    low, high = 1e4, 10e4
    for _ in range(8):
        middle = np.sqrt(low * high)
        settings = LaserSettings(10.6e-6, middle, pulse_duration, wipe_after_each_pass=False)
        if simulate(settings, CHEEK).ablation_depth > 0.0:
            high = middle
        else:
            low = middle
    return high


def test_co2_pulses_longer_than_a_millisecond_need_more_and_damage_more():
    # Ross et al. (1996), out of sample: single CO2 pulses of 0.25-10 ms on
    # pig skin; those longer than 1 ms had higher ablation thresholds and more
    # thermal damage. The abstract gives only the order; each longer pulse
    # must exceed every pulse of 1 ms or less by more than the bisection's
    # 0.9 %, and leave more coagulation at 10 J/cm^2 (well above every
    # threshold; a laboratory pulse, not wiped) by more than one 1 um cell.
    ref = REFERENCE["co2_pulse_duration"]
    durations = [d * 1e-3 for d in ref["pulse_durations_ms"]]
    cut = ref["longest_short_pulse_ms"] * 1e-3
    threshold = {d: _co2_threshold(d) for d in durations}
    coagulation = {
        d: simulate(
            LaserSettings(10.6e-6, 10e4, d, wipe_after_each_pass=False), CHEEK
        ).coagulation_depth
        for d in durations
    }
    short = [d for d in durations if d <= cut]
    long = [d for d in durations if d > cut]
    assert short and long
    for d in long:
        assert threshold[d] > 1.01 * max(threshold[s] for s in short)
        assert coagulation[d] > max(coagulation[s] for s in short) + 1 * UM
