import numpy as np
import pytest

from dermalase.exceptions import InputError
from dermalase.physics import damage


@pytest.mark.parametrize("temperature_c", [55.0, 60.0, 70.0, 90.0])
@pytest.mark.parametrize("duration", [1e-4, 1e-2, 1.0])
def test_integral_matches_closed_form_at_constant_temperature(temperature_c, duration):
    t = np.linspace(0.0, duration, 201)
    temperature = np.full(t.size, 273.15 + temperature_c)
    numeric = damage.damage_integral(t, temperature)
    closed = damage.constant_temperature_integral(273.15 + temperature_c, duration)
    assert numeric == pytest.approx(closed, rel=1e-12)


@pytest.mark.parametrize(
    ("duration", "expected_c"),
    # Henriques & Moritz constants, T = (Ea/R) / ln(A t); the table of hold
    # times and temperatures is in the reference notes (rounded to 1 degC).
    [(1e-4, 74.0), (1e-3, 70.0), (1e-2, 67.0), (0.1, 63.0), (1.0, 60.0), (10.0, 57.0)],
)
def test_threshold_temperature_table(duration, expected_c):
    assert damage.threshold_temperature(duration) - 273.15 == pytest.approx(expected_c, abs=0.6)


def test_threshold_temperature_gives_omega_one():
    t_hold = damage.threshold_temperature(1e-3)
    assert damage.constant_temperature_integral(t_hold, 1e-3) == pytest.approx(1.0, rel=1e-9)


def test_rate_monotone_in_temperature():
    temperature = np.linspace(300.0, 400.0, 50)
    for model in damage.DAMAGE_MODELS.values():
        assert np.all(np.diff(model.rate(temperature)) > 0)


def test_two_range_model_switches():
    model = damage.damage_model("weaver_stoll")
    below = model.rate(323.0)
    expected = 2.185e124 * np.exp(-7.82e5 / (8.314462618 * 323.0))
    assert below == pytest.approx(expected, rel=1e-9)


def test_unknown_model():
    with pytest.raises(InputError, match="known models"):
        damage.damage_model("nope")
