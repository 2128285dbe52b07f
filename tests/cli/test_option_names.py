"""A bad value caught in the library is reported under the option the user typed."""

import json

import pytest

from tests.cli import run

FULL_FIELD = ["--area", "cheek", "--fluence", "5J/cm2"]
SIMULATE = ["simulate", "--wavelength", "2940nm", "--pulse-duration", "300us", *FULL_FIELD]
TRANSLATE = ["translate", "--device", "tunable_er_yag", *FULL_FIELD]
SCAN = ["scan", "--device", "tunable_er_yag", "--spot", "3mm", *FULL_FIELD]
DOSE = ["dose", "--device", "tunable_er_yag", "--area", "cheek", "--ablation", "50um"]


@pytest.mark.parametrize(
    ("command", "extra", "flag"),
    [
        (SIMULATE, ["--pulses", "0"], "--pulses"),
        (SIMULATE, ["--passes", "500"], "--passes"),
        (SIMULATE, ["--coag-pulses", "-1", "--coag-fluence", "1J/cm2"], "--coag-pulses"),
        (TRANSLATE, ["--pulses", "0"], "--pulses"),
        (TRANSLATE, ["--passes", "0"], "--passes"),
        (SCAN, ["--passes", "0"], "--passes"),
        (SCAN, ["--order", "spiral"], "--order"),
        (SCAN, ["--lattice", "triangle"], "--lattice"),
        (DOSE, ["--passes", "0"], "--passes"),
    ],
)
def test_error_names_the_option(command, extra, flag, capsys):
    code, out, err = run([*command, *extra, "--json"], capsys)
    assert code == 2
    error = json.loads(out)
    assert error["field"] == flag
    assert err.count("\n") == 1 and err.startswith(f"dermalase: error: {flag}: ")


def test_names_do_not_leak_into_the_next_command(capsys):
    # the plan command reads a file: its keys are not options
    run([*SIMULATE, "--pulses", "0"], capsys)
    code, out, _ = run(["plan", "no-such-file.toml", "--json"], capsys)
    assert code == 2
    assert not json.loads(out)["field"].startswith("--")
