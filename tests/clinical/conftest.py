from pathlib import Path

import pytest

from dermalase.clinical.consultation import Consultation, load_consultation

# The example consultations live in the source tree, next to tests/. A run from an
# installed package with only tests/ copied (.ci/run) does not have them: those tests skip
# there, saying why, and run wherever the checkout is whole.
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def example(name: str) -> Consultation:
    """Load ``examples/<name>.toml``, or skip when the source tree's examples are absent."""
    path = EXAMPLES / f"{name}.toml"
    if not EXAMPLES.is_dir():
        pytest.skip(f"{EXAMPLES} is not here (tests copied without the source tree)")
    return load_consultation(path)


#: The five example consultations of examples/, inline, so that the scenario tests run
#: without the source tree; test_examples checks that the files say the same.
SCENARIOS = {
    "microlaserpeel_texture": {
        "skin_type": 2,
        "conditions": ["fine_lines", "tone_and_texture"],
        "areas": ["full_face"],
        "downtime_days": 3,
        "correction": "moderate",
        "devices": ["tunable_er_yag"],
    },
    "deep_perioral_periorbital": {
        "skin_type": 2,
        "conditions": ["deeper_wrinkles"],
        "areas": ["perioral", "periorbital"],
        "downtime_days": 10,
        "correction": "marked",
        "devices": ["tunable_er_yag"],
        "history": {"herpes_simplex": True},
    },
    "acne_scars_type_iv": {
        "skin_type": 4,
        "conditions": ["scars"],
        "areas": ["full_face"],
        "downtime_days": 7,
        "correction": "moderate",
        "devices": ["fractional_er_yag", "fractional_co2"],
        "history": {"isotretinoin_months_ago": 30},
    },
    "face_neck_chest": {
        "skin_type": 2,
        "conditions": ["sun_damage", "liver_spots"],
        "areas": ["full_face", "neck", "chest"],
        "downtime_days": 5,
        "correction": "moderate",
        "history": {"prior_resurfacing_months_ago": 24, "anticoagulants": True},
    },
    "texture_type_v_nonablative": {
        "skin_type": 5,
        "conditions": ["tone_and_texture"],
        "areas": ["cheek"],
        "downtime_days": 2,
        "correction": "moderate",
        "history": {"herpes_simplex": False, "recent_tan": False},
    },
    "photodamage_hybrid": {
        "skin_type": 2,
        "conditions": ["sun_damage", "fine_lines"],
        "areas": ["cheek"],
        "downtime_days": 5,
        "correction": "moderate",
        "devices": ["hybrid_1470"],
        "history": {"herpes_simplex": False, "smoking": False},
    },
    "isotretinoin_two_months": {
        "skin_type": 3,
        "conditions": ["fine_lines", "tone_and_texture"],
        "areas": ["full_face"],
        "downtime_days": 5,
        "correction": "moderate",
        "history": {"isotretinoin_months_ago": 2},
    },
}


def scenario(name: str) -> Consultation:
    """The consultation of one example scenario (see :data:`SCENARIOS`)."""
    return consultation(**SCENARIOS[name])


def consultation(**changes) -> Consultation:
    """A valid consultation (texture, face, type II), with some fields changed."""
    fields = {
        "age": 40,
        "skin_type": 2,
        "conditions": ["fine_lines"],
        "areas": ["full_face"],
        "downtime_days": 5,
        "correction": "moderate",
    }
    return Consultation(**(fields | changes))
