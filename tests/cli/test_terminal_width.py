"""Every table stays readable at 80 columns (issue 19): values wrap, none ends in "…".

Each command's terminal view runs on an 80-column console, including a user
device whose name is longer than any column would be.
"""

from pathlib import Path

import pytest

from dermalase.devices import bundled_device_files
from tests.cli import run
from tests.cli.test_sources_flag import CITING

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

#: A device name longer than a quarter of an 80-column line.
LONG_NAME = "clinic_fractional_co2_bought_in_2024_for_the_second_room"

VIEWS = {
    **CITING,
    **{f"{name} --sources": [*args, "--sources"] for name, args in CITING.items()},
    "rules": ["rules"],
    "tables list": ["tables", "list"],
    "plan, three areas": ["plan", str(EXAMPLES / "face_neck_chest.toml")],
    "plan, deep zones": ["plan", str(EXAMPLES / "deep_perioral_periorbital.toml")],
    "dose on a long-named device": [
        "dose", "--device", LONG_NAME, "--area", "cheek",
        "--ablation", "450um", "--fractional", "--coverage", "15%",
    ],
    "scan on a long-named device": [
        "scan", "--area", "cheek", "--device", LONG_NAME, "--fractional",
        "--spot", "120um", "--zone", "220um", "--coverage", "30%",
    ],
}  # fmt: skip


@pytest.fixture
def long_named_device(tmp_path, monkeypatch):
    """The bundled fractional CO2 profile saved as a user device with a long name."""
    bundled = next(path for path in bundled_device_files() if path.stem == "fractional_co2")
    text = bundled.read_text(encoding="utf-8").replace(
        'name = "fractional_co2"', f'name = "{LONG_NAME}"', 1
    )
    (tmp_path / f"{LONG_NAME}.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("DERMALASE_DEVICE_PATH", str(tmp_path))


@pytest.mark.parametrize("name", VIEWS)
def test_no_value_is_cut_at_80_columns(name, capsys, monkeypatch, long_named_device):
    if name.startswith("plan") and not EXAMPLES.is_dir():
        pytest.skip(f"{EXAMPLES} is not here (tests copied without the source tree)")
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run(VIEWS[name], capsys)
    assert code == 0, err
    assert out.strip()
    assert "…" not in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_the_long_device_name_is_shown_whole(capsys, monkeypatch, long_named_device):
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run(["devices"], capsys)
    assert code == 0
    # folded over lines, but every character there
    assert LONG_NAME in "".join(out.replace("│", " ").split())


def test_bundled_device_names_stay_on_one_line(capsys, monkeypatch):
    # the name is what --device takes: a bundled name is never folded mid-word
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run(["devices"], capsys)
    assert code == 0
    rows = [line for line in out.splitlines() if line.startswith("│")]
    for path in bundled_device_files():
        assert any(f"│ {path.stem} " in row for row in rows), path.stem


@pytest.mark.parametrize(
    ("args", "title"),
    [
        (
            ["dose", "--device", "tunable_er_yag", "--area", "cheek", "--ablation", "40um"],
            "Tunable full-field Er:YAG (2940 nm) on the cheek",
        ),
        (
            ["translate", "--device", "tunable_er_yag", "--area", "dorsal_hand",
             "--fluence", "5J/cm2"],
            "Tunable full-field Er:YAG (2940 nm) on the back of the hands",
        ),
        (
            ["scan", "--area", "cheek", "--device", "pulsed_co2", "--fluence", "7J/cm2"],
            "Full-field resurfacing of the cheek with Pulsed full-field CO2 (10600 nm)",
        ),
        (["safety", "--device", "pulsed_co2"], "Laser safety: Pulsed full-field CO2 (10600 nm)"),
    ],
)  # fmt: skip
def test_titles_name_the_device_and_area_as_a_physician_reads_them(
    args, title, capsys, monkeypatch
):
    # the device's file name and the area's key stay in the JSON; the terminal
    # title gives the display name, on one line at 80 columns
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run(args, capsys)
    assert code == 0, err
    assert title in out.splitlines()[0]
    device = args[args.index("--device") + 1]
    assert device not in out.splitlines()[0]
