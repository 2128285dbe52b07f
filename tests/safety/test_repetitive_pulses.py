"""Tests of the pulse-train MPE: the three rules, their invariants, refusals."""

from __future__ import annotations

import numpy as np
import pytest

from dermalase.exceptions import InputError
from dermalase.safety.exposure_limits import mpe_eye
from dermalase.safety.repetitive_pulses import RULES, pulse_train_mpe, summation_time

#: Wavelengths of the bundled devices and of the planned modules [m].
WAVELENGTHS = [1470e-9, 1550e-9, 1927e-9, 2790e-9, 2940e-9, 10.6e-6]


def test_few_far_infrared_pulses_are_not_reduced():
    """10 pulses of 1 ms at 1 Hz, 10.6 µm: C5 = 1 up to 600 pulses (2014 edition), so the
    single-pulse limit 5600 (1e-3)^0.25 = 995.8 J/m² decides (rule 2: 1e4 / 10 = 1000)."""
    limit = pulse_train_mpe(10.6e-6, 1e-3, 1.0, 10.0)
    assert limit.rule == "single_pulse"
    assert limit.c5 == 1.0
    assert limit.radiant_exposure == pytest.approx(995.8, rel=1e-4)
    assert limit.limits["average_power"] == pytest.approx(1000.0)


def test_average_power_rule_by_hand():
    """300 Hz for 100 s at 10.6 µm: 1000 W/m² x 100 s / 30 000 pulses = 3.33 J/m²."""
    limit = pulse_train_mpe(10.6e-6, 1e-3, 300.0, 100.0)
    assert limit.rule == "average_power"
    assert limit.radiant_exposure == pytest.approx(1e5 / 3e4)


@pytest.mark.parametrize("wavelength", WAVELENGTHS)
def test_one_pulse_is_the_single_pulse_limit(wavelength):
    limit = pulse_train_mpe(wavelength, 3e-4, 0.05, 20.0)  # T = one period
    assert limit.radiant_exposure == pytest.approx(mpe_eye(wavelength, 3e-4))


@pytest.mark.parametrize("wavelength", WAVELENGTHS)
@pytest.mark.parametrize("rate", [1.0, 30.0, 300.0])
def test_never_above_single_pulse_and_train_within_its_mpe(wavelength, rate):
    pulse_duration = 3e-4
    for exposure in (1.0, 10.0, 100.0):
        limit = pulse_train_mpe(wavelength, pulse_duration, rate, exposure)
        assert limit.rule in RULES
        assert limit.radiant_exposure == min(limit.limits.values())
        assert limit.radiant_exposure <= mpe_eye(wavelength, pulse_duration) * (1 + 1e-12)
        assert limit.radiant_exposure * rate * exposure <= mpe_eye(wavelength, exposure) * (
            1 + 1e-12
        )


@pytest.mark.parametrize("wavelength", WAVELENGTHS)
def test_more_pulses_never_raise_the_limit(wavelength):
    exposures = np.geomspace(0.1, 1e3, 40)
    limits = [pulse_train_mpe(wavelength, 2e-4, 20.0, t).radiant_exposure for t in exposures]
    assert np.all(np.diff(limits) <= 1e-9 * np.array(limits[:-1]))


def test_summation_times_by_band():
    assert [summation_time(w) for w in (1470e-9, 1550e-9, 1927e-9, 2940e-9)] == [
        1e-3,
        10.0,
        1e-3,
        1e-7,
    ]


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ((170e-9, 1e-3, 10.0, 10.0), "wavelength"),
        ((2.94e-6, 1e-3, 0.0, 10.0), "repetition_rate"),
        ((2.94e-6, 0.2, 10.0, 10.0), "pulse_duration"),
        ((2.94e-6, 1e-3, 10.0, 0.01), "exposure_duration"),
        ((2.94e-6, 1e-3, 10.0, 1e5), "exposure_duration"),
        ((2.94e-6, 1e-10, 10.0, 10.0), "exposure_duration"),
    ],
)
def test_bad_input_refused(arguments, field):
    with pytest.raises(InputError, match=field):
        pulse_train_mpe(*arguments)


def test_train_shorter_than_the_summation_time_is_one_exposure():
    """1550 nm, 100 Hz for 5 s (T_i = 10 s): the whole train counts as one exposure,
    1e4 J/m² shared by 500 pulses."""
    limit = pulse_train_mpe(1550e-9, 1e-3, 100.0, 5.0)
    assert limit.radiant_exposure == pytest.approx(1e4 / 500)
    assert limit.pulses == 1.0
