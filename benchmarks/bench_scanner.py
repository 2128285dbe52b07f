"""Speed and memory of a full-face fractional pass: layout, heat-aware order, heat check.

Headline (the issue's target: >= 500,000 spots in <= 5 s on 2 cores, <= 2 GiB):
the built-in full-face template (284 cm^2) with the bundled ``fractional_co2``
device profile at its density step 5 (27.1 % coverage with its 120 um microbeam,
about 680,000 MTZ), 5 mJ per microbeam, random (jittered hexagonal) lattice,
300 Hz, the device's 20 mm square patterns and 1000 mm/s mirrors, 1 s per move,
heat-aware order, surface heat source with the residual heat from the column
model's energy ledger (one cached forward call, made in the warm-up), default
thermal window and 1 s heat horizon, and the same sum again with chilled air
on the surface. Every setting is checked against the device profile.

Scaling: the same settings without the device (so any coverage can be asked
for), coverage 2-40 % for about 50,000 to 1,000,000 MTZ; without a device there
is no pulse duration to simulate, so these keep the whole microbeam energy as
heat (the upper bound). The work of the heat
sum grows as spots x repetition rate x horizon (the spots fired within the
horizon); at the device's highest 1000 Hz it is 3.3 times that at 300 Hz, and
one such run is printed too.

Each size runs in its own process pinned to 2 cores (``NUMBA_NUM_THREADS=2``
and, where the OS allows, CPU affinity), after a warm-up that loads the numba
cache, so that its peak resident memory is its own.

Run: python benchmarks/bench_scanner.py   (prints, asserts nothing)
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time

CORES = 2
SPOT_DIAMETER = 120e-6
ENERGY = 5e-3
RATE = 300.0
# coverage -> about 50k, 100k, 250k, 500k, 1M MTZ on the full face
COVERAGES = (0.02, 0.04, 0.10, 0.20, 0.40)
DEVICE_STEP_COVERAGE = 0.271  # fractional_co2, density step 5 at 120 um


def _pin() -> None:
    if hasattr(os, "sched_setaffinity"):
        available = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, set(available[:CORES]))


def child(coverage: float, with_device: bool, rate: float) -> None:
    """Run one plan and print its figures as JSON (in a process of its own)."""
    _pin()
    from dermalase.devices import load_device
    from dermalase.scanner.plan import scan_area

    device = load_device("fractional_co2") if with_device else None
    common = {"energy": ENERGY, "repetition_rate": rate, "lattice": "random"}
    if device is None:
        common["pattern_size"] = 20e-3  # the device's largest pattern, given by hand
    scan_area("glabella", SPOT_DIAMETER, "fractional", coverage=0.0452, **common)  # warm-up
    start = time.perf_counter()
    plan = scan_area(
        "full-face", SPOT_DIAMETER, "fractional", coverage=coverage, device=device, **common
    )
    elapsed = time.perf_counter() - start
    summary = plan.to_dict()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10  # KiB -> MiB
    print(
        json.dumps(
            {
                "spots": plan.spots,
                "seconds": elapsed,
                "peak_rss_mib": peak,
                "rise": summary["max_bulk_temperature_rise_c"],
                "raster_rise": summary["versus_raster"]["raster_max_bulk_temperature_rise_c"],
                "cooled_rise": summary["cooling"]["max_bulk_temperature_rise_c"],
                "spacing": summary["min_spacing_within_window_mm"],
                "minutes": summary["treatment_minutes"],
            }
        )
    )


def run(coverage: float, with_device: bool, rate: float = RATE) -> dict:
    environment = {**os.environ, "NUMBA_NUM_THREADS": str(CORES)}
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(coverage), str(int(with_device)), str(rate)],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def show(label: str, result: dict) -> None:
    print(
        f"{label:<34} {result['spots']:>9,d} spots  {result['seconds']:6.2f} s  "
        f"{result['seconds'] / result['spots'] * 1e6:5.2f} us/spot  "
        f"peak RSS {result['peak_rss_mib']:6.0f} MiB  "
        f"rise {result['rise']:.1f} K (raster {result['raster_rise']:.1f} K, "
        f"chilled air {result['cooled_rise']:.1f} K)  "
        f"spacing {result['spacing']} mm  {result['minutes']:.1f} min"
    )


def main() -> None:
    print(f"cores used: {CORES} of {os.cpu_count()}")
    show("fractional_co2, step 5, 300 Hz", run(DEVICE_STEP_COVERAGE, True))
    show("fractional_co2, step 5, 1000 Hz", run(DEVICE_STEP_COVERAGE, True, 1000.0))
    series = []
    for coverage in COVERAGES:
        result = run(coverage, False)
        series.append(result)
        show(f"no device, {coverage:.0%} coverage, 300 Hz", result)
    first, last = series[0], series[-1]
    ratio = (last["seconds"] / last["spots"]) / (first["seconds"] / first["spots"])
    print(
        f"time per spot, {last['spots']:,} over {first['spots']:,} spots: {ratio:.2f} "
        "(1 = linear scaling)"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(float(sys.argv[2]), bool(int(sys.argv[3])), float(sys.argv[4]))
    else:
        main()
