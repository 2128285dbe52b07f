"""Skin precooled by chilled air: the forward models start the tissue below body temperature.

Chilled air holds facial skin at 17-20 degC (Hammes & Raulin 2005); the
cooled figures start the tissue at the warmer of the two
(``cold_air.precooled_skin_temperature``).
"""

import pytest

from dermalase.constants import body_temperature
from dermalase.forward.fractional import simulate_column
from dermalase.forward.full_field import simulate
from dermalase.laser import LaserSettings
from dermalase.tissue import skin_model
from dermalase.tissue.parameters import cold_air

CHEEK = skin_model("cheek")
COOLED = CHEEK.precooled(cold_air.precooled_skin_temperature)
SHIFT = body_temperature - cold_air.precooled_skin_temperature  # 17 K

# CO2 pulses that heat the epidermis without boiling it (peaks 80-90 degC)
SUB_BOILING = [LaserSettings(10.6e-6, 0.3e4, 1e-3), LaserSettings(10.6e-6, 0.5e4, 5e-3)]


@pytest.mark.parametrize("settings", SUB_BOILING)
def test_a_pulse_below_boiling_peaks_lower_by_the_cooling(settings):
    # invariant: below boiling the heat equation is linear, so a tissue that
    # starts 17 K cooler peaks 17 K lower; the air above the surface and the
    # blood stay where they were, which moves the peak by well under 0.5 K
    # over a millisecond pulse
    warm, cool = simulate(settings, CHEEK), simulate(settings, COOLED)
    assert warm.epidermal_peak_temperature < 373.15
    drop = warm.epidermal_peak_temperature - cool.epidermal_peak_temperature
    assert drop == pytest.approx(SHIFT, abs=0.5)
    # and it coagulates no deeper
    assert cool.coagulation_depth <= warm.coagulation_depth


@pytest.mark.parametrize("settings", SUB_BOILING)
def test_cooling_allows_fifteen_percent_more_fluence_at_a_lower_peak(settings):
    # Raulin et al. (2000): chilled air let 15-30 % higher fluences be used
    # with fewer side effects; at the low end of that range the precooled
    # epidermis peaks lower than the uncooled one at the plain fluence
    stronger = LaserSettings(settings.wavelength, 1.15 * settings.fluence, settings.pulse_duration)
    warm = simulate(settings, CHEEK).epidermal_peak_temperature
    assert simulate(stronger, COOLED).epidermal_peak_temperature < warm


def test_an_ablating_pulse_still_removes_tissue_on_precooled_skin():
    # the front is set by boiling and decomposition: 17 K of cooling costs
    # the sensible heat of the removed layer, a few percent of the depth
    settings = LaserSettings(2.94e-6, 5e4, 300e-6)
    warm, cool = simulate(settings, CHEEK), simulate(settings, COOLED)
    assert 0.0 < cool.ablation_depth <= warm.ablation_depth
    assert cool.ablation_depth == pytest.approx(warm.ablation_depth, rel=0.15)


def test_precooled_ledgers_close():
    # the ledgers book heat against the starting temperature; blood at body
    # temperature warming the cooled tissue books a negative perfusion term
    for settings, effect in (
        ("full field", simulate(LaserSettings(10.6e-6, 7e4, 0.8e-3), COOLED)),
        ("column", simulate_column(10.6e-6, 10e-3, 120e-6, COOLED)),
    ):
        assert effect.solution.energy_balance_error() < 0.01, settings
        assert effect.energy["perfusion"] < 0.0
