"""``dermalase tables`` on the command line: what ships, and building without surprises."""

import json
import shutil

import pytest

from dermalase.devices import DEVICE_PATH_VARIABLE
from dermalase.forward import tables
from tests.cli import run


@pytest.fixture(autouse=True)
def no_user_devices(monkeypatch, tmp_path):
    monkeypatch.delenv(DEVICE_PATH_VARIABLE, raising=False)
    monkeypatch.setenv(tables.CACHE_VARIABLE, str(tmp_path / "cache"))


def test_list_shows_a_shipped_table_for_every_device_and_skin_class(capsys):
    code, out, _ = run(["tables", "list", "--json"], capsys)
    assert code == 0
    result = json.loads(out)
    assert result["model_version"] == tables.MODEL_VERSION
    rows = result["tables"]
    # two bundled fractional devices x six skin classes
    assert len(rows) == 12
    assert {row["device"] for row in rows} == {"fractional_co2", "fractional_er_yag"}
    for row in rows:
        assert row["file"] is not None, row
        assert row["file"].startswith(str(tables.shipped_directory()))


def test_build_skips_a_table_that_is_up_to_date(tmp_path, capsys):
    """Into a directory that already holds the table, nothing is simulated again."""
    out_dir = tmp_path / "built"
    out_dir.mkdir()
    spec = next(s for s in tables.default_specs() if round(s.wavelength * 1e9) == 10600)
    key = tables.table_key(spec, tables.reference_skin("cheek", spec.depth_limit))
    name = tables.table_file_name(key)
    shutil.copy(tables.shipped_directory() / name, out_dir / name)
    args = ["tables", "build", "--device", "fractional_co2", "--area", "cheek"]
    code, out, _ = run([*args, "--out", str(out_dir), "--json"], capsys)
    assert code == 0
    (row,) = json.loads(out)["tables"]
    assert row["built_now"] is False
    assert "cheek" in row["areas"] and "forehead" in row["areas"]
    assert row["interpolation_error"]["ablation_depth"] < 0.05
    assert sorted(p.name for p in out_dir.iterdir()) == [name]


def test_build_refuses_a_device_without_columns(capsys):
    code, out, _err = run(["tables", "build", "--device", "tunable_er_yag", "--json"], capsys)
    assert code == 2
    assert json.loads(out)["field"] == "--device"


def test_build_refuses_a_non_ablative_device(capsys):
    """A scattering line is served by the Monte Carlo column model: no table to build."""
    code, _, err = run(["tables", "build", "--device", "fractional_1550"], capsys)
    assert code == 2
    assert "fractional_1550" in err and "non-ablative" in err


def test_build_refuses_a_file_as_the_output_directory(tmp_path, capsys):
    target = tmp_path / "a-file"
    target.write_text("not a directory")
    code, _out, _ = run(
        ["tables", "build", "--device", "fractional_co2", "--out", str(target), "--json"], capsys
    )
    assert code == 2
    assert target.read_text() == "not a directory"


def test_a_fractional_dose_writes_nothing_to_the_cache(tmp_path, capsys):
    code, _, _ = run(
        [
            "dose",
            "--device",
            "fractional_co2",
            "--area",
            "cheek",
            "--ablation",
            "450um",
            "--fractional",
            "--coverage",
            "15%",
            "--json",
        ],
        capsys,
    )
    assert code == 0
    assert not (tmp_path / "cache").exists()


def test_build_refuses_an_output_directory_under_a_file(tmp_path, capsys):
    target = tmp_path / "a-file"
    target.write_text("not a directory")
    args = ["tables", "build", "--device", "fractional_co2", "--area", "cheek"]
    code, out, _ = run([*args, "--out", str(target / "sub"), "--json"], capsys)
    assert code == 2
    assert json.loads(out)["field"] == "--out"
    assert target.read_text() == "not a directory"
