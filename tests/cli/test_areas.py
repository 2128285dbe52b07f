"""``dermalase areas``: every area name a consultation accepts, aliases included."""

import json

from dermalase.clinical.consultation import AREA_ALIASES, TREATMENT_AREAS, Consultation
from dermalase.tissue.areas import skin_model
from tests.cli import run

BASE = {
    "age": 40,
    "skin_type": "II",
    "conditions": ["fine_lines"],
    "downtime_days": 3,
    "correction": "mild",
}


def _listed(capsys) -> list[dict]:
    code, out, _ = run(["areas", "--json"], capsys)
    assert code == 0
    return json.loads(out)["areas"]


def test_every_name_a_consultation_accepts_is_listed(capsys):
    rows = _listed(capsys)
    names = [row["area"] for row in rows]
    aliases = [alias for row in rows for alias in row["aliases"]]
    assert "full_face" in names and "face" in aliases and "hands" in aliases
    assert sorted(names) == sorted(TREATMENT_AREAS)
    assert sorted(aliases) == sorted(AREA_ALIASES)


def test_every_listed_name_is_one_a_consultation_accepts(capsys):
    for row in _listed(capsys):
        for name in (row["area"], *row["aliases"]):
            assert Consultation(**BASE, areas=[name]).areas == (row["area"],)


def test_the_full_face_shows_the_skin_it_is_planned_on(capsys):
    full_face = next(row for row in _listed(capsys) if row["area"] == "full_face")
    cheek = skin_model("cheek")
    assert full_face["skin_area"] == "cheek"
    assert full_face["epidermis_thickness_um"] == round(cheek.epidermis_thickness * 1e6, 1)


def test_the_terminal_view_names_the_aliases(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    code, out, _ = run(["areas"], capsys)
    assert code == 0
    for name in [*TREATMENT_AREAS, *AREA_ALIASES]:
        assert name in out
