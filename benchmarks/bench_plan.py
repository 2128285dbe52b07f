"""Speed of the clinical planner (prints figures; asserts nothing).

Target (issue 6): a full-face plan with neck and chest <= 3 s warm on 2 cores.
"Warm" means numba kernels loaded and column tables on disk; the forward
models, dosimetry searches and scan layouts all run again on each call.
"""

import time
from pathlib import Path

from dermalase.clinical import load_consultation
from dermalase.clinical.planner import TreatmentPlanner

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def best_of(function, repeats=3):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times), sorted(times)[len(times) // 2]


def main():
    planner = TreatmentPlanner()
    for name in (
        "face_neck_chest",
        "microlaserpeel_texture",
        "deep_perioral_periorbital",
        "acne_scars_type_iv",
        "isotretinoin_two_months",
    ):
        consultation = load_consultation(EXAMPLES / f"{name}.toml")
        start = time.perf_counter()
        plan = planner.plan(consultation)
        first = time.perf_counter() - start
        best, median = best_of(lambda c=consultation: planner.plan(c))
        areas = ", ".join(
            f"{a.prescription.area} {a.prescription.modality} {a.dose.ablation_depth * 1e6:.0f} um"
            f" ({a.scan.spots} spots)"
            for a in plan.areas
        )
        print(
            f"{name:28s} first {first:6.2f} s  warm best {best:6.2f} s  median {median:6.2f} s"
            f"  [{areas}]"
        )


if __name__ == "__main__":
    main()
