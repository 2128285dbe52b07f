import math

import pytest

from dermalase.exceptions import InputError
from dermalase.scanner.settings import PATTERN_SIZE, SCANNER_SPEED, scan_settings, spot_energy


def test_full_field_energy_is_fluence_over_the_spot_area():
    # 10 J/cm^2 = 1e5 J/m^2 over a 3 mm spot: 1e5 * pi * (1.5e-3)^2 = 0.7069 J
    fluence, energy = spot_energy("full_field", 3e-3, 1e5, None)
    assert fluence == 1e5
    assert energy == pytest.approx(1e5 * math.pi * 1.5e-3**2, rel=1e-12)
    assert energy == pytest.approx(0.7069, abs=1e-4)


def test_each_modality_takes_its_own_dose():
    with pytest.raises(InputError):
        spot_energy("full_field", 3e-3, None, 0.5)
    with pytest.raises(InputError):
        spot_energy("fractional", 120e-6, 1e5, None)
    assert spot_energy("fractional", 120e-6, None, 5e-3) == (None, 5e-3)


def _settings(**given):
    arguments = {
        "fluence": None,
        "energy": 5e-3,
        "repetition_rate": 300.0,
        "scanner_speed": None,
        "pattern_shape": None,
        "pattern_size": None,
        "wavelength": None,
    }
    return scan_settings(None, "fractional", 120e-6, 120e-6, **{**arguments, **given})


def test_stated_defaults_without_a_device():
    settings = _settings()
    assert settings.scanner_speed == SCANNER_SPEED
    assert settings.pattern_size == PATTERN_SIZE
    assert settings.pattern_shape == "square"


def test_without_a_device_the_rate_must_be_given():
    with pytest.raises(InputError, match="repetition_rate"):
        _settings(repetition_rate=None)


def test_a_pattern_holds_at_least_one_spot():
    with pytest.raises(InputError, match="pattern_size"):
        _settings(pattern_size=100e-6)
