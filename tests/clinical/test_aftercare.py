import pytest

from dermalase.clinical.aftercare import aftercare_for
from dermalase.clinical.recovery import predict_recovery, recovery_for
from dermalase.exceptions import InputError
from dermalase.prescription import Prescription

UM = 1e-6
PEEL = Prescription("full_face", "full_field", 2.94e-6, 35 * UM)
DEEP = Prescription("perioral", "full_field", 2.94e-6, 150 * UM, 50 * UM)


def rules(instructions):
    return [item.rule for item in instructions]


def test_every_plan_gets_the_core_aftercare():
    # Gentle cleansing, occlusive ointment, no exfoliants, sun protection (Cleveland Clinic;
    # clinic instructions; product brief).
    found = rules(aftercare_for([PEEL]))
    for rule in (
        "aftercare.cleansing",
        "aftercare.occlusive_ointment",
        "aftercare.no_exfoliants",
        "aftercare.sun_protection",
        "aftercare.makeup",
    ):
        assert rule in found
    assert "aftercare.deep_wound_care" not in found


def test_day_numbers_come_from_the_slowest_area():
    instructions = {item.rule: item.text for item in aftercare_for([PEEL, DEEP])}
    healed = recovery_for(DEEP).reepithelialized_day
    assert f"until day {healed}" in instructions["aftercare.occlusive_ointment"]
    assert f"from day {recovery_for(DEEP).makeup_day}" in instructions["aftercare.makeup"]
    assert "aftercare.deep_wound_care" in instructions


def test_simulated_recoveries_replace_the_prediction():
    simulated = predict_recovery(80 * UM, 40 * UM, 1.0, "full_face", "full_field")
    (ointment,) = [
        item
        for item in aftercare_for([PEEL], recoveries=[simulated])
        if item.rule == "aftercare.occlusive_ointment"
    ]
    assert f"until day {simulated.reepithelialized_day}" in ointment.text


@pytest.mark.parametrize(
    ("skin_type", "expected"), [(2, False), (4, True), (6, True), (None, False)]
)
def test_bleaching_agent_only_for_pih_prone_skin(skin_type, expected):
    # Hydroquinone 4 % before and after in skin types IV-VI (J Drugs Dermatol 2013).
    found = "aftercare.pigment_control" in rules(aftercare_for([PEEL], skin_type=skin_type))
    assert found is expected


def test_every_instruction_is_sourced():
    assert all(item.source and item.text for item in aftercare_for([PEEL, DEEP], skin_type=5))


def test_no_prescriptions_is_an_input_error():
    with pytest.raises(InputError):
        aftercare_for([])
