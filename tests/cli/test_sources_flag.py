"""References only with ``--sources`` (issue 19): the terminal view of every command
that cites its sources prints the full references only when asked, and ``--json``
keeps its ``sources`` key whatever the flag."""

import json

import pytest

from tests.cli import run

#: One terminal call per command (and per view of it) that cites sources.
CITING = {
    "dose full field": [
        "dose", "--device", "tunable_er_yag", "--area", "cheek",
        "--ablation", "50um", "--coagulation", "30um",
    ],
    "dose fractional": [
        "dose", "--device", "fractional_co2", "--area", "cheek",
        "--ablation", "450um", "--fractional", "--coverage", "15%",
    ],
    "translate fractional": [
        "translate", "--device", "fractional_co2", "--area", "cheek",
        "--energy", "20mJ", "--density-step", "3",
    ],
    "translate full field": [
        "translate", "--device", "tunable_er_yag", "--area", "cheek", "--fluence", "10J/cm2",
    ],
    "simulate full field": [
        "simulate", "--area", "cheek", "--wavelength", "2940nm",
        "--fluence", "10J/cm2", "--pulse-duration", "300us",
    ],
    "simulate fractional": [
        "simulate", "--fractional", "--area", "cheek", "--wavelength", "10600nm",
        "--energy", "20mJ", "--spot", "120um",
    ],
    "scan full field": ["scan", "--area", "cheek", "--device", "tunable_er_yag"],
    "scan fractional": [
        "scan", "--area", "cheek", "--device", "fractional_co2", "--fractional",
        "--spot", "120um", "--zone", "220um", "--coverage", "30%",
    ],
    "areas": ["areas"],
    "devices": ["devices"],
}  # fmt: skip


def _words(text: str) -> str:
    """Text with its line wrapping undone, for finding a reference a console wrapped."""
    return " ".join(text.split())


@pytest.mark.parametrize("name", CITING)
def test_references_only_with_sources(name, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    args = CITING[name]
    code, out, _ = run([*args, "--json"], capsys)
    assert code == 0
    references = json.loads(out)["sources"]
    assert references
    code, plain, _ = run(args, capsys)
    assert code == 0
    for reference in references:
        assert _words(reference) not in _words(plain)
    code, cited, _ = run([*args, "--sources"], capsys)
    assert code == 0
    for reference in references:
        assert _words(reference) in _words(cited)
    code, out, _ = run([*args, "--json", "--sources"], capsys)
    assert code == 0 and json.loads(out)["sources"] == references
