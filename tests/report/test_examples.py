"""Every bundled example consultation runs as it is and writes the three report files."""

import json
from pathlib import Path

import jsonschema
import pytest

from dermalase.cli import main
from dermalase.report import plan_schema

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CONSULTATIONS = sorted(EXAMPLES.glob("*.toml"))


def test_the_examples_are_there():
    # .ci/run copies examples/ beside tests/; five consultations are promised (issue 6).
    assert len(CONSULTATIONS) >= 5


@pytest.mark.parametrize("consultation", CONSULTATIONS, ids=lambda p: p.stem)
def test_example_writes_its_report(consultation, tmp_path, capsys):
    out = tmp_path / consultation.stem
    with pytest.raises(SystemExit) as exit_info:
        main(["plan", str(consultation), "--out", str(out), "--json"])
    assert exit_info.value.code == 0, capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["plan.html", "plan.json", "plan.pdf"]
    plan = json.loads((out / "plan.json").read_text())
    jsonschema.validate(plan, plan_schema())
    # every area carries its laser-safety figures: OD and NOHDs, none negative
    assert [entry["area"] for entry in plan["laser_safety"]] == [a["area"] for a in plan["areas"]]
    for entry in plan["laser_safety"]:
        assert entry["wavelengths"]
        for line in entry["wavelengths"]:
            assert line["od_required"] >= 0
            for key in ("nohd_m", "nohd_diffuse_m", "nohd_delivery_arm_m"):
                assert line[key] >= 0, key
        # metal corneal shields exactly for the areas inside the orbital rim
        inside = entry["area"] in ("full_face", "periorbital")
        assert (entry["corneal_shields"] is not None) == inside
    assert (out / "plan.pdf").read_bytes().startswith(b"%PDF")
