"""The atlas: sweeps as Dask tasks give the same rows wherever they run."""

import json

import numpy as np
import pytest
from distributed import Client, LocalCluster

from dermalase import atlas
from dermalase.cli import options
from dermalase.exceptions import InputError
from tests.cli import run

# the command reads "120um" with pint, which may differ from 120e-6 in the last bit;
# the library sweep is built from the same readers so the two runs get the same floats
SWEEP = atlas.Sweep(
    area="cheek",
    wavelengths=(options.wavelength("1470nm", "w"), options.wavelength("1927nm", "w")),
    skin_types=(2, 6),
    spot_diameters=(options.spot("120um", "s"),),
    energies=(options.energy("5mJ", "e"),),
    photons=3000,
    seed=4,
)
CLI = ["atlas", "--area", "cheek", "--wavelength", "1470nm,1927nm", "--skin-type", "II,VI",
       "--spot", "120um", "--energy", "5mJ", "--photons", "3e3", "--seed", "4"]  # fmt: skip


@pytest.fixture(scope="module")
def cluster():
    # a worker thread in this process (starts in milliseconds, shares the compiled
    # kernels) behind a real TCP scheduler that --scheduler can reach by address
    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None,
        protocol="tcp", host="127.0.0.1",
    ) as local:  # fmt: skip
        yield local


def test_absorption_depth_of_known_profiles():
    dz = 1e-6
    z = (np.arange(4000) + 0.5) * dz
    uniform = np.ones_like(z)
    assert atlas.absorption_depth(uniform, dz, 0.9) == pytest.approx(0.9 * 4000 * dz)
    mu = 5e3  # 1/m: 90 % of an exponential lies above ln(10)/mu = 460.5 um
    exponential = mu * np.exp(-mu * z)
    assert atlas.absorption_depth(exponential, dz, 0.9) == pytest.approx(np.log(10) / mu, rel=2e-3)


def test_a_sweep_too_large_is_refused():
    with pytest.raises(InputError, match="sweep"):
        atlas.Sweep("cheek", tuple(np.linspace(1.4e-6, 2e-6, 50)), (1, 2, 3, 4, 5, 6),
                    tuple(np.linspace(50e-6, 500e-6, 10)), (1e-3,))  # fmt: skip


def test_local_cluster_and_scheduler_address_give_identical_atlases(cluster, tmp_path, capsys):
    with Client(cluster) as client:
        rows = atlas.run(SWEEP, client)
    assert len(rows) == SWEEP.task_count * len(SWEEP.energies) == 4
    # the light goes shallower where water absorbs more (1927 vs 1470 nm)
    depth = {(round(r["wavelength"] * 1e9), r["skin_type"]): r["absorption_depth"] for r in rows}
    assert depth[(1927, "II")] < 0.5 * depth[(1470, "II")]
    # and scattering weighs less against absorption there
    ratio = {round(r["wavelength"] * 1e9): r["scattering_to_absorption"] for r in rows}
    assert ratio[1927] < 0.5 * ratio[1470]
    # the same sweep through the command, on the same cluster by its address
    out = tmp_path / "atlas.parquet"
    code, stdout, _ = run(
        [*CLI, "--scheduler", cluster.scheduler_address, "--out", str(out), "--json"], capsys
    )
    assert code == 0
    result = json.loads(stdout)
    stored, metadata = atlas.read(out)
    assert stored == result["rows"] == atlas.clinical_rows(rows)
    assert metadata["dermalase_version"] == result["dermalase_version"]
    assert json.loads(metadata["sweep"])["seed"] == 4


def test_an_existing_store_is_kept_and_bad_input_writes_nothing(cluster, tmp_path, capsys):
    out = tmp_path / "atlas.parquet"
    out.write_bytes(b"keep me")
    address = cluster.scheduler_address
    cases = [
        ([*CLI, "--out", str(out)], "--out"),
        (
            [*CLI, "--out", str(tmp_path / "new.parquet"), "--scheduler", "http://x:1"],
            "--scheduler",
        ),
        (
            [*CLI[:4], "1470nm,1470nm", *CLI[5:], "--out", str(tmp_path / "n.parquet")],
            "--wavelength",
        ),
        ([*CLI, "--out", str(tmp_path / "no" / "a.parquet"), "--scheduler", address], "--out"),
    ]
    for args, field in cases:
        code, stdout, err = run([*args, "--json"], capsys)
        assert code == 2, args
        assert json.loads(stdout)["field"] == field
        assert err.count("\n") == 1
    assert out.read_bytes() == b"keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["atlas.parquet"]


@pytest.mark.slow
def test_unreachable_scheduler_is_a_one_line_error(tmp_path, capsys):
    args = [*CLI, "--out", str(tmp_path / "a.parquet"), "--scheduler", "tcp://127.0.0.1:1"]
    code, stdout, _ = run([*args, "--json"], capsys)
    assert code == 2 and json.loads(stdout)["field"] == "--scheduler"


@pytest.mark.slow
def test_default_local_cluster_of_worker_processes(tmp_path, capsys):
    out = tmp_path / "atlas.parquet"
    code, stdout, _ = run([*CLI, "--workers", "1", "--out", str(out), "--json"], capsys)
    assert code == 0
    assert json.loads(stdout)["scheduler"] == "local"
    assert atlas.read(out)[0] == json.loads(stdout)["rows"]
