import pytest

from dermalase.devices import load_device
from dermalase.exceptions import InputError, RefusalError
from dermalase.scanner.order import ORDERS
from dermalase.scanner.request import (
    check_against_device,
    modality_name,
    order_name,
    positive_setting,
    zone_diameter_of,
)


@pytest.mark.parametrize("spelling", ["full-field", "full_field"])
def test_both_spellings_of_full_field(spelling):
    assert modality_name(spelling) == "full_field"


def test_unknown_order_lists_the_known_ones():
    with pytest.raises(InputError) as refusal:
        order_name("spiral")
    assert all(name in str(refusal.value) for name in ORDERS)


@pytest.mark.parametrize("value", [0.0, -1.0, float("nan"), float("inf"), True, "5"])
def test_a_setting_must_be_finite_and_positive(value):
    with pytest.raises(InputError):
        positive_setting(value, "repetition_rate", "Hz")


def test_a_zone_is_fractional_and_defaults_to_the_spot():
    assert zone_diameter_of("fractional", 120e-6, None) == 120e-6
    assert zone_diameter_of("fractional", 120e-6, 300e-6) == 300e-6
    with pytest.raises(InputError):
        zone_diameter_of("full-field", 3e-3, 4e-3)


def test_coverage_off_the_density_steps_is_refused():
    device = load_device("fractional_co2")
    step = device.density_for_coverage(0.20, 120e-6, 120e-6)
    # a coverage on a step passes; one 5 points off it is refused with the step named
    check_against_device(device, "fractional", 120e-6, 120e-6, 1, None, step.coverage)
    with pytest.raises(RefusalError, match="density step"):
        check_against_device(device, "fractional", 120e-6, 120e-6, 1, None, step.coverage + 0.05)
