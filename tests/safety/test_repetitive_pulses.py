"""Tests of the pulse-train MPE: the three rules, their invariants, refusals."""

from __future__ import annotations

import numpy as np
import pytest

from dermalase.exceptions import InputError
from dermalase.safety.exposure_limits import mpe_eye
from dermalase.safety.repetitive_pulses import RULES, c5, pulse_train_mpe, summation_time

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


# ------------------------------------------------------------------ C5, 2014 edition


@pytest.mark.parametrize(
    ("pulses", "expected"),
    [
        (2, 1.0),
        (600, 1.0),  # no reduction up to 600 pulses beyond 1400 nm
        (625, 1.0),  # 5 x 625^-0.25 = 1
        (1e4, 0.5),  # 5 x 1e4^-0.25
        (1e6, 0.4),  # floored at 0.4 (5 N^-0.25 = 0.158)
    ],
)
def test_c5_far_infrared(pulses, expected):
    assert c5(2.94e-6, 250e-6, pulses) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("alpha", "pulses", "expected"),
    [
        (1.5e-3, 1e6, 1.0),  # small sources: no reduction in the retinal region
        (5e-3, 1e6, 1.0),
        (10e-3, 16, 0.5),  # N^-0.25 ...
        (10e-3, 1e4, 0.4),  # ... floored at 0.4 up to α_max
        (0.2, 16, 0.5),
        (0.2, 1e4, 0.2),  # ... and at 0.2 beyond α_max
    ],
)
def test_c5_retinal_depends_on_the_source_size(alpha, pulses, expected):
    assert c5(532e-9, 1e-8, pulses, alpha) == pytest.approx(expected)


def test_c5_only_below_a_quarter_second_and_plain_in_the_ultraviolet():
    assert c5(2.94e-6, 0.25, 1e6) == 1.0
    assert c5(532e-9, 0.3, 1e6, 0.05) == 1.0
    assert c5(355e-9, 1e-8, 1e4) == pytest.approx(0.1)  # N^-0.25, no bound found


@pytest.mark.parametrize("wavelength", [355e-9, 532e-9, 1064e-9, *WAVELENGTHS])
def test_c5_never_raises_a_limit_and_falls_with_pulse_count(wavelength):
    counts = np.geomspace(1, 1e8, 60)
    for alpha in (1.5e-3, 20e-3, 0.3):
        values = [c5(wavelength, 1e-6, n, alpha) for n in counts]
        assert all(0 < value <= 1 for value in values)
        assert np.all(np.diff(values) <= 1e-12)


def test_2014_bounds_never_stricter_than_the_plain_rule():
    """The bounds relax N^-0.25; the earlier (unbounded) reading was the conservative one."""
    for wavelength in [*WAVELENGTHS, 532e-9, 1064e-9]:
        for pulses in (10, 1e3, 1e6):
            assert c5(wavelength, 1e-4, pulses, 0.05) >= pulses**-0.25


def test_far_infrared_train_by_hand():
    """2000 pulses of 250 µs at 2940 nm, 20 Hz for 100 s: rule 1 5600 (2.5e-4)^0.25 =
    704.2 J/m²; C5 = 5 x 2000^-0.25 = 0.7477, rule 3 526.5 J/m²; rule 2 1e5 / 2000 =
    50 J/m², which decides."""
    limit = pulse_train_mpe(2.94e-6, 250e-6, 20.0, 100.0)
    assert limit.c5 == pytest.approx(0.7477, rel=1e-4)
    assert limit.limits["reduced_pulse"] == pytest.approx(526.5, rel=1e-3)
    assert limit.rule == "average_power" and limit.radiant_exposure == pytest.approx(50.0)


def test_retinal_train_counts_pulses_within_t2():
    """532 nm, 10 ns at 1 kHz for 100 s, a 10 mrad source: C5 counts the 1e4 pulses
    within T_2 (10.9 s for 10 mrad), not the 1e5 of the whole exposure; both floor at 0.4."""
    limit = pulse_train_mpe(532e-9, 1e-8, 1e3, 100.0, angular_subtense=10e-3)
    assert limit.c5 == pytest.approx(0.4)
    point = pulse_train_mpe(532e-9, 1e-8, 1e3, 100.0)
    assert point.c5 == 1.0  # a point source: no reduction (2014)
    few = pulse_train_mpe(532e-9, 1e-8, 1.0, 10.0, angular_subtense=10e-3)
    assert few.c5 == pytest.approx(10**-0.25)


def test_photochemical_limits_take_no_c5():
    """C5 is a thermal correction: the 193 nm photochemical 30 J/m² is additive (rule 2)."""
    limit = pulse_train_mpe(193e-9, 2e-8, 100.0, 10.0)
    assert limit.c5 == 1.0
    assert limit.rule == "average_power"
    assert limit.radiant_exposure == pytest.approx(30.0 / 1000)


def test_retinal_summation_times_of_2014():
    assert summation_time(532e-9) == 5e-6
    assert summation_time(1064e-9) == 1.3e-5
    # 100 kHz at 1064 nm: pulses 10 µs apart fall within T_i = 13 µs and count as groups
    limit = pulse_train_mpe(1064e-9, 1e-8, 1e5, 1.0)
    assert limit.pulses == pytest.approx(1.0 / 1.3e-5)


def test_skin_train_uses_table_a5():
    limit = pulse_train_mpe(1064e-9, 1e-8, 1.0, 1.0, tissue="skin")
    assert limit.radiant_exposure == pytest.approx(1000.0)  # 200 C_A J/m², one pulse
    assert "Table A.5" in limit.reference
