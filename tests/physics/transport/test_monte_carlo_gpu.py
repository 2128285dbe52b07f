"""The optional CUDA path of the Monte Carlo engine (physics.transport.monte_carlo_gpu).

No GPU is needed: the kernel runs in numba's CUDA simulator
(``NUMBA_ENABLE_CUDASIM=1``) in a child process, so that the simulator stays
out of this one, and, where the optional ``numba-cuda`` package with its
libnvvm is installed (extra ``gpu``), it is compiled to PTX.
"""

import importlib.util
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from dermalase.physics.transport import monte_carlo, monte_carlo_gpu
from dermalase.physics.transport.monte_carlo import transport

# Two layers with few interactions per packet (albedo 2/3 and 0.77), and few
# packets: the simulator runs each GPU thread as a Python thread, and its time
# grows steeply with the threads that walk at once (126 packets in 32 threads
# took 90-120 s per run on this machine, 18 packets in 5 threads 0.1 s). The
# last batch of packets is a short one (18 = 4 * 4 + 2).
LAYERS = ([1.4, 1.37], [1.0e4, 3.0e3], [2.0e4, 1.0e4], [0.5, 0.7], [100e-6, 200e-6])
SETTINGS = dict(photons=18, seed=11, batch_size=4, radial_bin=25e-6, radial_bins=8,
                depth_bin=25e-6, depth_bins=14)  # fmt: skip
BEAMS = {"gaussian": 60e-6, "diffuse": 0.0}
SCALARS = ("specular_reflectance", "diffuse_reflectance", "transmittance", "absorbed",
           "roulette_gain")  # fmt: skip

# The GPU adds each tally as an integer number of 2^-32 of a packet, rounded
# to nearest: at most 2^-33 of a packet off per tally. With albedos of 2/3
# and 0.77 a packet falls below the roulette weight (1e-4) within
# ln(1e-4) / ln(0.77) = 35 interactions, and a roulette win (1 in 10) buys
# about 9 more; 200 tallies per packet into one score bounds the run's total
# with room to spare, so the per-packet scores of the two paths may differ by
# at most 200 * 2^-33 = 2.3e-8. A packet that took another path would move a
# score by about its weight over 18 packets, some 1e-2.
FIXED_POINT_TOLERANCE = 200 * 2.0**-33

SIMULATED = textwrap.dedent(
    """
    import json, sys
    import numpy as np
    from dermalase.physics.transport import monte_carlo_gpu
    from dermalase.physics.transport.monte_carlo import transport

    layers, settings, beams = json.loads(sys.argv[1])
    assert monte_carlo_gpu.available()
    runs = {}
    for threads_per_block in (128, 5):
        monte_carlo_gpu.THREADS_PER_BLOCK = threads_per_block
        for beam, radius in beams.items():
            out = transport(*layers, device="gpu", beam=beam, beam_radius=radius, **settings)
            runs[f"{beam}/{threads_per_block}"] = {
                key: np.asarray(value).tolist() for key, value in vars(out).items()
            }
    print(json.dumps(runs))
    """
)


# numba 0.68 ships its CUDA target and simulator; a numba without it needs
# numba-cuda (the extra 'gpu') for these checks
needs_cuda_target = pytest.mark.skipif(
    importlib.util.find_spec("numba.cuda") is None,
    reason="numba has no CUDA target here (install the extra 'gpu')",
)


@pytest.fixture(scope="module")
def simulated():
    """The GPU runs, in numba's CUDA simulator, by beam and threads per block."""
    layers = [list(x) for x in LAYERS]
    environment = {**os.environ, "NUMBA_ENABLE_CUDASIM": "1"}
    done = subprocess.run(
        [sys.executable, "-W", "ignore::RuntimeWarning", "-c", SIMULATED,
         json.dumps([layers, SETTINGS, BEAMS])],
        env=environment, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def _per_packet(out) -> dict[str, np.ndarray]:
    """Every score as weight per packet (per bin for the binned ones) [-]."""
    get = (lambda key: np.asarray(out[key])) if isinstance(out, dict) else (
        lambda key: np.asarray(getattr(out, key))
    )  # fmt: skip
    ring = np.pi * np.diff(get("radial_edges") ** 2)
    dz = np.diff(get("depth_edges"))
    scores = {key: get(key) for key in (*SCALARS, "absorbed_per_layer")}
    scores["absorbed_depth"] = get("absorbed_depth") * dz
    scores["absorbed_rz"] = get("absorbed_rz") * ring[:, None] * dz[None, :]
    scores["diffuse_reflectance_radial"] = get("diffuse_reflectance_radial") * ring
    scores["transmittance_radial"] = get("transmittance_radial") * ring
    return scores


@needs_cuda_target
@pytest.mark.parametrize("beam", BEAMS)
def test_gpu_walk_agrees_with_the_cpu_walk_of_the_same_batches(simulated, beam):
    # same seed and batch size: the same streams, so the same packets
    gpu = simulated[f"{beam}/128"]
    assert gpu["device"] == "gpu"
    cpu = transport(*LAYERS, device="cpu", beam=beam, beam_radius=BEAMS[beam], **SETTINGS)
    assert cpu.device == "cpu"
    # every score is exercised
    assert min(cpu.absorbed_per_layer) > 0.01
    assert min(cpu.diffuse_reflectance, cpu.transmittance, abs(cpu.roulette_gain)) > 0.0
    for key, value in _per_packet(cpu).items():
        np.testing.assert_allclose(
            _per_packet(gpu)[key], value, rtol=0, atol=FIXED_POINT_TOLERANCE, err_msg=key
        )


@needs_cuda_target
@pytest.mark.parametrize("beam", BEAMS)
def test_gpu_gives_the_same_bits_for_any_launch(simulated, beam):
    # integer atomics do not depend on the order threads add them in
    assert simulated[f"{beam}/128"] == simulated[f"{beam}/5"]


@needs_cuda_target
@pytest.mark.parametrize("beam", BEAMS)
def test_gpu_energy_ledger_closes(simulated, beam):
    out = simulated[f"{beam}/128"]
    total = sum(out[key] for key in SCALARS[:4])
    assert total == pytest.approx(1.0 + out["roulette_gain"], abs=1e-6)
    assert sum(out["absorbed_per_layer"]) == pytest.approx(out["absorbed"], abs=1e-6)


def test_gpu_asked_for_without_one_is_refused(monkeypatch):
    monkeypatch.setattr(monte_carlo_gpu, "available", lambda: False)
    with pytest.raises(ValueError, match=r"device 'gpu'.*no CUDA GPU"):
        transport(*LAYERS, device="gpu", photons=10)


def test_auto_without_a_gpu_runs_on_the_cpu(monkeypatch):
    monkeypatch.setattr(monte_carlo_gpu, "available", lambda: False)

    def no_gpu(*args, **kwargs):
        raise AssertionError("the GPU kernel was called")

    monkeypatch.setattr(monte_carlo_gpu, "transport_kernel", no_gpu)
    auto = transport(*LAYERS, photons=200, seed=4)
    cpu = transport(*LAYERS, photons=200, seed=4, device="cpu")
    assert auto.device == "cpu"
    np.testing.assert_array_equal(auto.absorbed_rz, cpu.absorbed_rz)


def test_unknown_device_is_refused():
    with pytest.raises(ValueError, match="device 'tpu' is not one of"):
        transport(*LAYERS, photons=10, device="tpu")


def test_default_batch_sizes():
    # the CPU keeps its streams of 1000 photons (results as before the GPU
    # path); the GPU's are short so that a run fills many threads
    assert monte_carlo.CPU_BATCH_SIZE == 1000
    assert monte_carlo_gpu.GPU_BATCH_SIZE < monte_carlo.CPU_BATCH_SIZE


PTX = textwrap.dedent(
    """
    import types
    from numba import cuda
    from numba.types import float64 as f, int64 as i
    import numba.cuda.dispatcher
    from dermalase.physics.transport import monte_carlo_gpu

    # without a GPU numba-cuda cannot ask the driver which architecture to
    # build device functions for; name the one the PTX is for
    numba.cuda.dispatcher.get_current_device = lambda: types.SimpleNamespace(
        compute_capability=(8, 0)
    )
    column, table, block = f[::1], i[:, ::1], i[:, :, ::1]
    signature = (column,) * 6 + (f, f, i, i, i, i, f, f, i, f, i, f) + (block,) + (table,) * 5
    ptx, returns = cuda.compile_ptx(monte_carlo_gpu._kernel().py_func, signature, cc=(8, 0))
    print(ptx)
    """
)


def test_kernel_compiles_to_ptx():
    if importlib.util.find_spec("numba_cuda") is None:
        pytest.skip("numba-cuda (the optional extra 'gpu') is not installed")
    done = subprocess.run(
        [sys.executable, "-c", PTX], capture_output=True, text=True, timeout=300, check=False
    )
    if done.returncode != 0 and "NvvmSupportError" in done.stderr:
        pytest.skip("numba-cuda is installed without libnvvm (install 'numba-cuda[cu13]')")
    assert done.returncode == 0, done.stderr[-2000:]
    assert ".target sm_80" in done.stdout
    # the 14 scores (A(r, z), A(z), A per layer, Rd(r), Tt(r), the roulette
    # gain up and down, seven moments) are 64-bit integer atomics
    assert done.stdout.count("atom.global.add.u64") == 14
    assert "atom.global.add.f64" not in done.stdout
