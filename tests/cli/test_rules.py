"""``dermalase rules``: every rule a physician may override, with its reason and sources."""

import json

from dermalase import citations
from dermalase.clinical.rules.schema import load_rules
from tests.cli import run


def test_rules_json_lists_every_rule_with_its_references(capsys):
    code, out, _ = run(["rules", "--json"], capsys)
    assert code == 0
    listed = json.loads(out)["rules"]
    rules = load_rules()
    assert [rule["id"] for rule in listed] == list(rules.ids())
    for rule in listed:
        assert rule["kind"] == rules.get(rule["id"]).kind
        assert rule["reason"] == rules.get(rule["id"]).reason
        assert rule["sources"] and len(rule["sources"]) == len(set(rule["source_keys"]))
        # full references, not keys
        for key, text in zip(rule["source_keys"], rule["sources"], strict=True):
            assert text.startswith(str(citations.get(key)).rstrip("."))


def test_rules_terminal_view_names_every_id(capsys):
    code, out, _ = run(["rules"], capsys)
    assert code == 0
    for rule_id in load_rules().ids():
        assert rule_id in out


def test_an_unknown_override_points_to_the_rules_command(capsys):
    code, _, err = run(
        ["plan", "examples/face_neck_chest.toml", "--override", "zzz", "--reason", "x"], capsys
    )
    assert code == 2
    assert "dermalase rules" in err and "load_rules" not in err


def test_the_override_help_points_to_the_rules_command(capsys):
    code, out, _ = run(["plan", "--help"], capsys)
    assert code == 0
    assert "dermalase rules" in " ".join(out.split()) and "load_rules" not in out
