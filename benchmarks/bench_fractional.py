"""Speed of the fractional column model and its response tables (prints figures; asserts nothing).

Targets (issue 3): one MTZ simulation <= 1 s on one core; a table lookup
<= 50 us; building the default table set <= 2 min on 2 cores (cached on disk
after the first build).

Run: ``python benchmarks/bench_fractional.py [--no-build]``. The build goes to
a fresh temporary cache directory, so the figure is a cold build.
"""

import argparse
import os
import tempfile
import time
import timeit

os.environ.setdefault("NUMBA_NUM_THREADS", "1")

import numpy as np

from dermalase.forward import tables as column_table
from dermalase.forward.fractional import simulate_column
from dermalase.tissue import skin_model


def best_of(function, repeats=5):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times), sorted(times)[len(times) // 2]


def per_call(statement, number, namespace):
    return min(timeit.repeat(statement, number=number, repeat=5, globals=namespace)) / number


def simulations():
    cheek = skin_model("cheek")
    cases = {
        "CO2 20 mJ, 120 um, 1 ms (the CLI example)": dict(
            wavelength=10.6e-6, energy=20e-3, spot_diameter=120e-6, pulse_duration=1e-3
        ),
        "CO2 40 mJ, 120 um, 1 ms": dict(
            wavelength=10.6e-6, energy=40e-3, spot_diameter=120e-6, pulse_duration=1e-3
        ),
        "Er:YAG 10 mJ, 250 um, 300 us": dict(
            wavelength=2.94e-6, energy=10e-3, spot_diameter=250e-6, pulse_duration=300e-6
        ),
        "Er:YAG 10 mJ, 250 um, 300 us, 8 stacked": dict(
            wavelength=2.94e-6, energy=10e-3, spot_diameter=250e-6, pulse_duration=300e-6, pulses=8
        ),
    }
    start = time.perf_counter()
    simulate_column(skin=cheek, **next(iter(cases.values())))
    print(f"first call (numba load/compile): {1e3 * (time.perf_counter() - start):.0f} ms")
    for name, case in cases.items():
        effect = simulate_column(skin=cheek, **case)
        best, median = best_of(lambda c=case: simulate_column(skin=cheek, **c))
        print(
            f"  {name}: best {1e3 * best:.0f} ms, median {1e3 * median:.0f} ms "
            f"(depth {effect.ablation_depth * 1e6:.0f} um, grid {effect.solution.grid.shape})"
        )


def lookups(table):
    namespace = {"table": table, "np": np}
    scalar = per_call("table.predict(17e-3, 120e-6)", 5000, namespace)
    stacked = per_call("table.predict(17e-3, 120e-6, 3)", 5000, namespace)
    inverse = per_call("table.energy_for_depth(300e-6, 120e-6)", 5000, namespace)
    namespace_vector = dict(namespace, e=np.geomspace(5e-3, 40e-3, 1000))
    vector = min(
        timeit.repeat("table.predict(e, 120e-6)", number=5, repeat=5, globals=namespace_vector)
    )
    print(f"  predict, scalar: {1e6 * scalar:.1f} us per call")
    print(f"  predict, scalar, 3 stacked pulses: {1e6 * stacked:.1f} us per call")
    print(f"  energy_for_depth, scalar: {1e6 * inverse:.1f} us per call")
    print(
        f"  predict, 1000 energies: {1e3 * vector / 5:.1f} ms ({1e6 * vector / 5000:.1f} us each)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-build", action="store_true", help="skip the cold table build")
    args = parser.parse_args()
    print("One MTZ simulation, one core:")
    simulations()
    with tempfile.TemporaryDirectory(prefix="dermalase-bench-") as cache:
        if args.no_build:
            cache = None
        else:
            print("Building the default table set, 2 workers, cold cache:")
            column_table.clear_loaded()
            start = time.perf_counter()
            sets = [
                column_table.build_table(spec, "cheek", directory=cache, workers=2)
                for spec in column_table.default_specs()
            ]
            print(f"  total build: {time.perf_counter() - start:.1f} s")
            for item in sets:
                spec = item.spec
                print(
                    f"  {spec.wavelength * 1e9:.0f} nm: {len(spec.energies)} energies x "
                    f"{len(spec.spots)} spots x {len(spec.durations)} pulse durations x "
                    f"{spec.max_pulses} pulses, {item.build_seconds:.1f} s; interpolation "
                    "error (max relative): "
                    + ", ".join(f"{k} {100 * v:.1f} %" for k, v in item.interpolation_error.items())
                )
        column_table.clear_loaded()
        start = time.perf_counter()
        table = column_table.column_table(10.6e-6, 1e-3, "cheek", cache_dir=cache)
        where = "the build above" if cache else "the shipped tables"
        print(
            f"column_table(10600 nm, 1 ms, cheek) from {where}: "
            f"{1e3 * (time.perf_counter() - start):.0f} ms"
        )
        print("Table lookups (CO2, 1 ms):")
        lookups(table)


if __name__ == "__main__":
    main()
