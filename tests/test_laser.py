"""LaserSettings: the pulse schedule, its invariants and the values it refuses."""

import math

import numpy as np
import pytest

from dermalase.exceptions import InputError
from dermalase.laser import LaserSettings

J_CM2 = 1e4  # J/m^2 per J/cm^2


def er_yag(**changes):
    """A clinical short-pulse Er:YAG setting.

    10 J/cm^2 is the clinical setting of Kaufmann & Hibst 1996; 300 µs lies in
    the 250-350 µs of the 1996 FDA-cleared short-pulse devices (StatPearls 2023).
    """
    values = dict(wavelength=2.94e-6, fluence=10 * J_CM2, pulse_duration=300e-6)
    values.update(changes)
    return LaserSettings(**values)


# ------------------------------------------------------------------ schedule


def test_stacked_pulses_start_one_period_apart():
    settings = er_yag(pulses=4, repetition_rate=10.0)
    start, duration, fluence, coagulation = settings.pulse_schedule()
    assert start == pytest.approx([0.0, 0.1, 0.2, 0.3])
    assert np.all(duration == 300e-6)
    assert np.all(fluence == 10 * J_CM2)
    assert not coagulation.any()


def test_passes_start_one_pass_interval_apart():
    settings = er_yag(pulses=2, repetition_rate=5.0, passes=3, pass_interval=4.0)
    start, *_ = settings.pulse_schedule()
    assert len(start) == 6
    # the first pulse of each pass starts at a whole number of pass intervals
    assert start[::2] == pytest.approx([0.0, 4.0, 8.0])
    assert np.all(np.diff(start) > 0)


def test_coagulation_train_follows_the_ablative_pulses_of_each_pass():
    settings = er_yag(
        pulses=2,
        repetition_rate=10.0,
        coagulation_fluence=1.5 * J_CM2,
        coagulation_pulses=3,
        coagulation_pulse_duration=500e-6,
        coagulation_repetition_rate=200.0,
        passes=2,
        pass_interval=5.0,
    )
    start, duration, fluence, coagulation = settings.pulse_schedule()
    per_pass = settings.pulses + settings.coagulation_pulses
    assert len(start) == settings.passes * per_pass
    for p in range(settings.passes):
        kinds = coagulation[p * per_pass : (p + 1) * per_pass]
        # ablative first, then the coagulation train
        assert kinds.tolist() == [False] * 2 + [True] * 3
    # inside a train the pulses keep the train's period
    train = start[coagulation][:3]
    assert np.diff(train) == pytest.approx(1 / 200.0)
    assert np.all(fluence[coagulation] == 1.5 * J_CM2)
    assert np.all(duration[coagulation] == 500e-6)


def test_no_pulse_starts_before_the_previous_one_ends():
    settings = er_yag(
        pulses=3,
        repetition_rate=15.0,
        coagulation_fluence=2 * J_CM2,
        coagulation_pulses=5,
        passes=3,
        pass_interval=2.0,
    )
    start, duration, _, _ = settings.pulse_schedule()
    assert np.all(start[1:] >= start[:-1] + duration[:-1])


def test_schedule_delivers_the_set_fluence_of_every_pulse():
    # radiant exposure is conserved: the schedule sums to what the settings ask
    settings = er_yag(pulses=3, coagulation_fluence=2 * J_CM2, coagulation_pulses=4, passes=2)
    _, _, fluence, _ = settings.pulse_schedule()
    assert fluence.sum() == pytest.approx(2 * (3 * 10 + 4 * 2) * J_CM2)


# ------------------------------------------------------------------ energy and units


def test_fractional_energy_is_fluence_times_spot_area():
    # A fractional setting's fluence is the mean over the 1/e^2 spot: checked on
    # what dosimetry tells a fractional CO2 device for 600 µm columns at 15 %.
    from dermalase.devices import load_device
    from dermalase.dosimetry import dose
    from dermalase.prescription import Prescription

    device = load_device("fractional_co2")
    result = dose(
        Prescription("cheek", "fractional", device.wavelength, 600e-6, coverage=0.15), device
    )
    settings = result.settings
    assert settings.fractional
    spot_area = math.pi * settings.spot_diameter**2 / 4
    assert settings.energy == pytest.approx(settings.fluence * spot_area, rel=1e-12)


def test_clinical_units_of_the_view():
    view = er_yag(pulses=2, repetition_rate=15.0).to_dict()
    assert view["fluence_j_cm2"] == 10.0
    assert view["pulse_duration_us"] == 300.0
    assert view["wavelength_nm"] == 2940.0
    assert view["coverage_percent"] == 100.0
    micro = LaserSettings(
        10.6e-6, 1e5, 1e-3, spot_diameter=120e-6, energy=20e-3, coverage=0.1, density=1e6
    ).to_dict()
    # Hantash 2007 prototype values: 120 µm spot, 5-40 mJ per zone
    assert micro["spot_diameter_um"] == 120.0 and micro["energy_mj"] == 20.0
    assert micro["coverage_percent"] == 10.0 and micro["density_per_cm2"] == 100.0


def test_published_settings_are_accepted():
    # Kaufmann & Hibst 1996: 10 J/cm^2 up to 15 Hz; Walsh, Flotte & Deutsch 1989:
    # Q-switched 90 ns pulses; Pozner MicroLaserPeel: 12.5-17.5 J/cm^2, one pass.
    er_yag(pulses=5, repetition_rate=15.0)
    er_yag(pulse_duration=90e-9)
    er_yag(fluence=17.5 * J_CM2)
    # CO2: <= 1 ms pulses at ~5 J/cm^2 and above (Arch Dermatol 1996)
    LaserSettings(10.6e-6, 5 * J_CM2, 1e-3)


# ------------------------------------------------------------------ refusals


@pytest.mark.parametrize(
    "field, changes",
    [
        ("wavelength", dict(wavelength=0.0)),
        ("fluence", dict(fluence=-1.0)),
        ("fluence", dict(fluence=math.nan)),
        ("pulse_duration", dict(pulse_duration=math.inf)),
        ("repetition_rate", dict(repetition_rate=0.0)),
        ("pulses", dict(pulses=0)),
        ("pulses", dict(pulses=1.5)),
        ("pulses", dict(pulses=101)),
        ("passes", dict(passes=0)),
        ("coagulation_pulses", dict(coagulation_pulses=-1)),
        ("coagulation_fluence", dict(coagulation_fluence=-1.0)),
        ("overlap", dict(overlap=1.0)),
        ("coverage", dict(coverage=0.0)),
        ("coverage", dict(coverage=1.2)),
        ("spot_diameter", dict(spot_diameter=-1e-3)),
        ("energy", dict(energy=0.0)),
        ("wipe_after_each_pass", dict(wipe_after_each_pass="yes")),
    ],
)
def test_bad_values_are_refused_by_name(field, changes):
    with pytest.raises(InputError) as error:
        er_yag(**changes)
    assert error.value.field == field


def test_overlapping_stacked_pulses_are_refused():
    # a 10 ms pulse cannot repeat at 100 Hz (10 ms period)
    with pytest.raises(InputError, match="overlap") as error:
        er_yag(pulse_duration=10e-3, pulses=2, repetition_rate=100.0)
    assert error.value.field == "repetition_rate"
    # a single pulse has no period to respect
    er_yag(pulse_duration=10e-3, repetition_rate=100.0)


def test_overlapping_coagulation_pulses_are_refused():
    with pytest.raises(InputError) as error:
        er_yag(
            coagulation_fluence=J_CM2,
            coagulation_pulses=2,
            coagulation_pulse_duration=5e-3,
            coagulation_repetition_rate=200.0,
        )
    assert error.value.field == "coagulation_repetition_rate"


def test_coagulation_pulses_need_a_fluence():
    with pytest.raises(InputError) as error:
        er_yag(coagulation_pulses=3)
    assert error.value.field == "coagulation_fluence"


def test_next_pass_cannot_start_before_the_last_one_ends():
    # 5 pulses at 2 Hz take 2.5 s: a 2 s pass interval is too short
    with pytest.raises(InputError) as error:
        er_yag(pulses=5, repetition_rate=2.0, passes=2, pass_interval=2.0)
    assert error.value.field == "pass_interval"
    er_yag(pulses=5, repetition_rate=2.0, passes=2, pass_interval=3.0)


def test_only_co2_passes_are_wiped_by_default_and_the_wipe_follows_each_pass():
    # the multi-pass CO2 technique wipes before and after each pass; no source
    # read wipes Er:YAG passes
    co2 = LaserSettings(10.6e-6, 7e4, 0.8e-3, passes=3, pass_interval=2.0)
    assert co2.wiped and not er_yag().wiped
    assert er_yag(wipe_after_each_pass=True).wiped
    times = co2.wipe_schedule(end_time=4.1)
    start, duration, _, _ = co2.pulse_schedule()
    # one wipe per pass: between the end of each pass and the next start, the
    # last at the end of the run
    assert np.all(start[1:] > times[:-1]) and np.all(times[:-1] > (start + duration)[:-1])
    assert times[-1] == 4.1
    assert np.all(np.isinf(er_yag(passes=2).wipe_schedule(end_time=30.0)))
