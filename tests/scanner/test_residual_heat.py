import math

import pytest

from dermalase.exceptions import InputError
from dermalase.scanner.residual_heat import ablation_threshold, residual_heat
from dermalase.scanner.settings import ScanSettings

ER_YAG = 2.94e-6


def _full_field(fluence, wavelength=ER_YAG, diameter=3e-3):
    energy = fluence * 0.25 * math.pi * diameter**2
    return ScanSettings(
        "full_field", diameter, diameter, energy, fluence, 10.0, 1.0, "square", 12e-3, wavelength
    )


def test_blow_off_residual_is_capped_at_the_threshold():
    threshold, sources = ablation_threshold(ER_YAG)
    assert sources
    below = residual_heat(_full_field(0.5 * threshold))
    above = residual_heat(_full_field(5.0 * threshold))
    spot_area = 0.25 * math.pi * 3e-3**2
    # below threshold all the pulse stays as heat; above it, only the threshold fluence
    assert below.per_spot == pytest.approx(0.5 * threshold * spot_area)
    assert above.per_spot == pytest.approx(threshold * spot_area)
    assert above.per_spot < _full_field(5.0 * threshold).energy


def test_a_given_fraction_and_a_given_heat_are_used_as_they_are():
    settings = _full_field(1e5)
    assert residual_heat(settings, residual_heat_fraction=0.3).per_spot == pytest.approx(
        0.3 * settings.energy
    )
    assert residual_heat(settings, heat_per_spot=0.01).per_spot == 0.01


def test_without_a_wavelength_all_the_energy_is_heat():
    settings = _full_field(1e5, wavelength=None)
    assert residual_heat(settings).per_spot == settings.energy


@pytest.mark.parametrize("given", [{"heat_per_spot": -1.0}, {"residual_heat_fraction": 1.5}])
def test_impossible_heat_is_refused(given):
    with pytest.raises(InputError):
        residual_heat(_full_field(1e5), **given)
