"""Photons per second of the Monte Carlo engine against MCML (prints figures; asserts nothing).

Issue 18's two media:

- B: the van de Hulst slab, n = 1, mua = 10/cm, mus = 90/cm, g = 0.75,
  d = 0.2 mm (adding-doubling Rd 0.09739, Tt 0.66096);
- D: semi-infinite, n = 1.4 in air, mua = 20/cm, mus = 150/cm, g = 0.9 (a
  1470 nm dermis; adding-doubling Rd 0.0237).

Each medium runs on one thread and on all cores, ``--repeats`` times, the
runs of each kind interleaved; the figure is the median photons/s, with the
spread (min-max) and each run's Rd. Where a CUDA GPU is present
(``numba.cuda.is_available()``), each medium also runs there with
``GPU_PHOTON_FACTOR`` times the photons (enough threads to fill a large GPU),
the ratio to one CPU thread printed beside issue 18's target of 100x; the
kernel's compilation is timed on its own, before. Ratios are against the issue's MCML 1.2.2
figures (3.9 M/s on B, 251 k/s on D, one core, gcc -O3) and, with
``--mcml PATH``, against MCML built on this machine and run in between ours
(same input, wall time of the whole executable, median of the repeats).

To build MCML 1.2.2 for the comparison, outside this repository (its code is
not part of dermalase)::

    gcc -O3 -o /tmp/mcml mcmlgo.c mcmlio.c mcmlmain.c mcmlnr.c -lm

from the public C sources (e.g. github.com/mhjlam/MCML, folder 1.2.2/src/mcml).

The machine this runs on may be shared: the load average is printed before
and after; compare figures from one run only.

Usage::

    python benchmarks/bench_mc.py [--repeats 5] [--mcml /tmp/mcml]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import numba
import numpy as np

from dermalase.physics.transport import monte_carlo_gpu
from dermalase.physics.transport.monte_carlo import transport

#: name: (n, mua [1/cm], mus [1/cm], g, thickness [cm] or inf, photons, MCML 1-core photons/s)
MEDIA = {
    "B van de Hulst slab": (1.0, 10.0, 90.0, 0.75, 0.02, 2_000_000, 3.9e6),
    "D semi-infinite 1470 nm dermis": (1.4, 20.0, 150.0, 0.9, np.inf, 200_000, 251e3),
}
#: A GPU run traces this many times a medium's photons.
GPU_PHOTON_FACTOR = 10
#: Issue 18's target for the GPU: photons/s over one CPU core's.
GPU_TARGET = 100.0


def _ours(medium, threads: int, device: str = "cpu") -> tuple[float, float]:
    n, mua, mus, g, d, photons, _ = medium
    if device == "gpu":
        photons *= GPU_PHOTON_FACTOR
    start = time.perf_counter()
    out = transport([n], [mua * 100], [mus * 100], [g], [d / 100], photons=photons, seed=1,
                    threads=threads, radial_bins=50, depth_bins=100, device=device)  # fmt: skip
    return photons / (time.perf_counter() - start), out.diffuse_reflectance


def _mcml(binary: str, medium, folder: Path) -> tuple[float, float]:
    n, mua, mus, g, d, photons, _ = medium
    thickness = 1e8 if not np.isfinite(d) else d
    text = (
        f"1.0\n1\nrun.mco A\n{photons}\n0.001 0.001\n100 50 1\n1\n1.0\n"
        f"{n} {mua} {mus} {g} {thickness}\n1.0\n"
    )
    (folder / "run.mci").write_text(text)
    start = time.perf_counter()
    subprocess.run([binary, "run.mci"], cwd=folder, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    lines = (folder / "run.mco").read_text().splitlines()
    rd = next(float(line.split()[0]) for line in lines if "#Diffuse reflectance" in line)
    return photons / seconds, rd


def _gpu_name() -> str:
    from numba import cuda

    try:
        name = cuda.get_current_device().name
    except AttributeError:  # numba's CUDA simulator has no devices
        return "numba's CUDA simulator (NUMBA_ENABLE_CUDASIM=1)"
    return name.decode() if isinstance(name, bytes) else str(name)


def _summary(speeds: list[float]) -> str:
    return (
        f"{statistics.median(speeds) / 1e3:8.0f} k/s "
        f"(min {min(speeds) / 1e3:.0f}, max {max(speeds) / 1e3:.0f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--mcml", help="path of an MCML 1.2.2 executable built here")
    args = parser.parse_args()
    cores = numba.config.NUMBA_NUM_THREADS
    print(f"cores numba sees: {cores}; load average before: {os.getloadavg()}")
    start = time.perf_counter()
    transport([1.0], [1e3], [9e3], [0.75], [2e-4], photons=100, device="cpu")
    print(f"first call (numba load/compile): {time.perf_counter() - start:.2f} s")
    gpu = monte_carlo_gpu.available()
    if gpu:
        start = time.perf_counter()
        transport([1.0], [1e3], [9e3], [0.75], [2e-4], photons=100, device="gpu")
        print(f"GPU: {_gpu_name()}; first call (CUDA compile): {time.perf_counter() - start:.2f} s")
    else:
        print("GPU: none present (numba.cuda.is_available() is False)")
    with tempfile.TemporaryDirectory() as folder:
        for name, medium in MEDIA.items():
            runs: dict[str, list[tuple[float, float]]] = {"1": [], "all": [], "C": [], "G": []}
            for _ in range(args.repeats):
                runs["1"].append(_ours(medium, 1))
                runs["all"].append(_ours(medium, cores))
                if gpu:
                    runs["G"].append(_ours(medium, 1, "gpu"))
                if args.mcml:
                    runs["C"].append(_mcml(args.mcml, medium, Path(folder)))
            one = [s for s, _ in runs["1"]]
            every = [s for s, _ in runs["all"]]
            quoted = medium[-1]
            print(f"\n{name} ({medium[5]:,} photons per run, {args.repeats} runs each)")
            c1, call = statistics.median(one), statistics.median(every)
            print(f"  dermalase 1 thread : {_summary(one)} = {c1 / quoted:.2f}x MCML's quoted")
            print(f"  dermalase {cores} threads: {_summary(every)} = {call / c1:.2f}x its 1 thread")
            if runs["G"]:
                speeds = [s for s, _ in runs["G"]]
                ratio = statistics.median(speeds) / c1
                verdict = "meets" if ratio >= GPU_TARGET else "misses"
                print(
                    f"  dermalase GPU     : {_summary(speeds)} = {ratio:.3g}x its 1 thread "
                    f"({verdict} the {GPU_TARGET:.0f}x target; "
                    f"{medium[5] * GPU_PHOTON_FACTOR:,} photons per run)"
                )
            if runs["C"]:
                c = statistics.median(s for s, _ in runs["C"])
                print(f"  MCML C here       : {_summary([s for s, _ in runs['C']])}")
                print(
                    f"  dermalase / C here: {c1 / c:.2f}x on 1 thread, {call / c:.2f}x on {cores}"
                )
                print("  Rd MCML  :", " ".join(f"{rd:.5f}" for _, rd in runs["C"]))
            print("  Rd 1 thr :", " ".join(f"{rd:.5f}" for _, rd in runs["1"]))
            print(f"  Rd {cores} thr :", " ".join(f"{rd:.5f}" for _, rd in runs["all"]))
            if runs["G"]:
                print("  Rd GPU   :", " ".join(f"{rd:.5f}" for _, rd in runs["G"]))
    print(f"\nload average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
