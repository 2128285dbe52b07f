"""Char: dry tissue that reaches the char temperature and stays (issue 13).

Published cases: Walsh et al. (CLEO 1989), CW CO2 on guinea pig skin, black
char seen grossly only below ~6 kW/cm^2 and a slight brown discoloration
above; Choi et al. (1998), stacked 100 us CO2 pulses at 1 Hz on rat skin,
carbonisation after pulses 5-8 at 2.4 J/cm^2 and after pulse 3 at
3.9 J/cm^2. Both sources report char grossly (seen or not, and when), not
as a thickness, so the tests assert presence and order only.
"""

import numpy as np
import pytest

from dermalase.constants import celsius_zero
from dermalase.forward.fractional import simulate_column
from dermalase.forward.full_field import simulate
from dermalase.laser import LaserSettings
from dermalase.tissue import skin_model
from dermalase.tissue.parameters import choi1999, walsh1989_co2

CHEEK = skin_model("cheek")
# the deep dermis of the CW CO2 tests in test_full_field.py
THICK = CHEEK.with_thicknesses(reticular_dermis=3e-3)
UM = 1e-6
#: CW exposure of the Walsh cases [s]: the 50 ms of the CW CO2 heat-of-ablation
#: and residual-damage tests (the summary read gives no exposure time).
CW_EXPOSURE = 0.05


def cw_co2(irradiance_kw_cm2):
    # a laboratory exposure: nothing wipes the crater afterwards
    irradiance = irradiance_kw_cm2 * 1e7
    settings = LaserSettings(
        10.6e-6, irradiance * CW_EXPOSURE, CW_EXPOSURE, wipe_after_each_pass=False
    )
    return simulate(settings, THICK)


def choi(fluence_j_cm2, pulses=10):
    # TruPulse CO2: 100 us pulses at 1 pulse/s on one 3 x 3 mm spot (wide
    # against the 20-40 um the pulses reach: the 1D full-field solver); a
    # laboratory exposure, not wiped
    settings = LaserSettings(
        10.6e-6,
        fluence_j_cm2 * 1e4,
        100e-6,
        pulses,
        repetition_rate=1.0,
        wipe_after_each_pass=False,
    )
    return simulate(settings, CHEEK)


def first_char_pulse(effect):
    """1-based number of the first pulse after which char remains (0 if none)."""
    charred = np.flatnonzero(effect.solution.char_after_pulse > 0.0)
    return int(charred[0]) + 1 if charred.size else 0


def test_cw_co2_chars_below_the_walsh_threshold():
    # Walsh et al. (1989): black char at irradiances below 6 kW/cm^2. The
    # model leaves ~6 um at 4 kW/cm^2; it leaves 4-8 um at every irradiance
    # from 2 to 20 kW/cm^2 (see the xfail below), so this half of the
    # threshold does not discriminate.
    assert 4.0 * 1e7 < walsh1989_co2.char_irradiance
    effect = cw_co2(4.0)
    assert effect.char_thickness > 0.0
    assert effect.to_dict()["char_thickness_um"] > 0.0


@pytest.mark.xfail(
    strict=True,
    reason=(
        "Known miss: the model leaves char at nearly every CW irradiance, 6 um at "
        "4 kW/cm^2, 5 at 6, 4 at 10, 6 at 20, none at 40 (50 ms, cheek): the dry crust "
        "of the steady front (~8 um between 100 and 400 degC, set by the absorption and "
        "the dry conductivity, barely by the irradiance) stays when the beam stops and "
        "its upper 5-6 um have passed 200 degC. Time at temperature barely separates "
        "them: the floor cell spent 0.62 ms dry above 200 degC at 4 kW/cm^2 and 0.47 ms "
        "at 20 (1.5 ms at 2); it levels off above ~4 kW/cm^2, where the front outruns "
        "conduction, so only a time criterion placed between 0.47 and 0.62 ms (a fit "
        "to this very threshold, not done) would separate them. Missing: "
        "carbonisation kinetics of dry dermis (no source read gives a rate) and whatever "
        "removes the hot dry layer at high irradiance before it browns past 'slight'."
    ),
)
def test_cw_co2_no_black_char_well_above_the_walsh_threshold():
    # Walsh et al. (1989): above 6 kW/cm^2 only a slight brown discoloration
    # of skin, no black char; the source grades char by eye, so the weakest
    # honest reading is a contrast: at 20 kW/cm^2 (above the 13 kW/cm^2 of
    # the high-irradiance values) at most half the char left at 4 kW/cm^2.
    assert 20.0 * 1e7 > walsh1989_co2.high_irradiance
    low, high = cw_co2(4.0), cw_co2(20.0)
    assert high.char_thickness <= 0.5 * low.char_thickness


def test_choi_stacked_pulses_char_where_choi_saw_it():
    # Choi et al. (1998): char after pulses 5-8 at 2.4 J/cm^2 and after
    # pulse 3 at 3.9 J/cm^2; the model must leave char by then (10 pulses,
    # 1 Hz). It leaves it from pulse 1 on (see the xfail below).
    low, high = choi(2.4), choi(3.9)
    assert low.solution.char_after_pulse[7] > 0.0
    assert high.solution.char_after_pulse[2] > 0.0


@pytest.mark.xfail(
    strict=True,
    reason=(
        "Known miss: both fluences leave char after pulse 1 (2.4 J/cm^2: 7-8 um after "
        "pulses 1-3, 2-3 um after each later one; 3.9 J/cm^2: 2-3 um after every pulse). A single "
        "2.4 J/cm^2 pulse removes 1 um, dries the stratum corneum (15 % water) and takes "
        "it past 200 degC. Choi saw the surface steady near 200 degC at 2.4 J/cm^2 and "
        "carbonisation only after pulses 5-8, so char needs time at temperature, not the "
        "temperature alone: a rate form needs pyrolysis kinetics of dry skin, which no "
        "source read gives (fitting them to these pulse counts is not done)."
    ),
)
def test_choi_higher_fluence_chars_in_fewer_pulses():
    # Choi et al. (1998): 3.9 J/cm^2 chars after pulse 3, 2.4 J/cm^2 after
    # pulses 5-8. The sources give pulse counts of a few samples, so only the
    # order is asserted.
    assert 0 < first_char_pulse(choi(3.9)) < first_char_pulse(choi(2.4))


@pytest.mark.parametrize(
    "settings",
    [
        LaserSettings(10.6e-6, 4.0e7 * CW_EXPOSURE, CW_EXPOSURE, wipe_after_each_pass=False),
        LaserSettings(10.6e-6, 7e4, 0.8e-3, passes=2, pass_interval=2.0),
        LaserSettings(2.94e-6, 10e4, 300e-6, pulses=3, repetition_rate=10.0),
        LaserSettings(
            10.6e-6, 3.9e4, 100e-6, pulses=4, repetition_rate=1.0, wipe_after_each_pass=False
        ),
    ],
)
def test_char_only_where_dry_tissue_passed_the_char_temperature(settings):
    # invariant: a charred cell that remains holds no water and reached the
    # char temperature; the reported thickness is that of those cells
    effect = simulate(settings, THICK)
    solution = effect.solution
    remaining = np.arange(solution.charred.size) >= solution.surface_index
    charred = solution.charred & remaining
    assert np.all(solution.water_fraction[charred] == 0.0)
    assert np.all(solution.peak_temperature[charred] >= choi1999.char_temperature - 1e-9)
    assert np.all(solution.char_time[~charred & remaining] == 0.0)
    widths = solution.grid.widths
    assert effect.char_thickness == pytest.approx(float(np.sum(widths[charred])))
    assert solution.char_after_pulse[-1] == pytest.approx(effect.char_thickness)
    # wet tissue never chars: none below the deepest dry cell
    dry = np.flatnonzero(remaining & (solution.water_fraction == 0.0))
    if dry.size:
        assert not np.any(charred[dry.max() + 1 :])
    assert solution.energy_balance_error() < 1e-6


def test_char_is_a_label_not_a_sink(monkeypatch):
    # the char temperature changes what is reported, nothing else: the same
    # depths, temperatures and ledger with char switched off (an infinite
    # char temperature) or set lower; a lower char temperature leaves at
    # least as much char (monotone)
    settings = LaserSettings(
        10.6e-6, 3.9e4, 100e-6, pulses=4, repetition_rate=1.0, wipe_after_each_pass=False
    )
    default = simulate(settings, CHEEK)
    monkeypatch.setattr(choi1999, "char_temperature", np.inf)
    off = simulate(settings, CHEEK)
    monkeypatch.setattr(choi1999, "char_temperature", celsius_zero + 150.0)
    lower = simulate(settings, CHEEK)
    assert default.char_thickness > 0.0
    assert off.char_thickness == 0.0 and not off.solution.charred.any()
    assert lower.char_thickness >= default.char_thickness
    for other in (off, lower):
        assert other.energy == default.energy
        assert np.array_equal(other.solution.temperature, default.solution.temperature)
        assert np.array_equal(other.solution.depth_after_pulse, default.depth_after_pulse)


def test_fractional_co2_column_char_on_the_axis(monkeypatch):
    # the column labels char as the 1D solver does: only remaining, dry
    # cells whose peak passed the char temperature; the label does not
    # change the column or its ledger
    skin = CHEEK.with_thicknesses(reticular_dermis=3.5e-3)
    effect = simulate_column(10.6e-6, 10e-3, 120 * UM, skin, pulse_duration=10e-3 / 30.0)
    solution = effect.solution
    charred = solution.charred
    assert charred[:, 0].any()
    assert not np.any(charred & solution.removed)
    assert np.all(solution.water_fraction[charred] == 0.0)
    assert np.all(solution.peak_temperature[charred] >= choi1999.char_temperature)
    axis = solution.grid.axial.widths[charred[:, 0]]
    assert effect.char_thickness == pytest.approx(float(axis.sum()))
    assert effect.to_dict()["char_thickness_um"] == pytest.approx(
        effect.char_thickness / UM, abs=0.06
    )
    monkeypatch.setattr(choi1999, "char_temperature", np.inf)
    off = simulate_column(10.6e-6, 10e-3, 120 * UM, skin, pulse_duration=10e-3 / 30.0)
    assert off.char_thickness == 0.0
    assert off.energy == effect.energy
    assert np.array_equal(off.solution.removed, solution.removed)
