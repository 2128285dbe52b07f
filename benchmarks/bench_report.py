"""Speed of the main job end to end (prints figures; asserts nothing).

Target (issue 7): the full-face example end to end — plan, figures, HTML and
PDF — <= 15 s warm on 2 cores. "Warm" means numba kernels loaded and column
tables on disk; everything else runs again.
"""

import tempfile
import time
from pathlib import Path

from dermalase.clinical import load_consultation
from dermalase.clinical.planner import TreatmentPlanner
from dermalase.report import write_report
from dermalase.report.plan_figures import plan_figures

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run(name: str) -> dict:
    times = {}
    start = time.perf_counter()
    plan = TreatmentPlanner().plan(load_consultation(EXAMPLES / f"{name}.toml"))
    data = plan.to_dict()
    times["plan"] = time.perf_counter() - start
    start = time.perf_counter()
    figures = plan_figures(plan)
    times["figures"] = time.perf_counter() - start
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        paths = write_report(data, figures, out)
        sizes = {kind: path.stat().st_size // 1024 for kind, path in paths.items()}
    times["html+pdf+json"] = time.perf_counter() - start
    times["total"] = sum(times.values())
    times["sizes_kib"] = sizes
    return times


def main():
    for name in ("face_neck_chest", "microlaserpeel_texture", "acne_scars_type_iv"):
        run(name)  # warm-up
        result = run(name)
        sizes = result.pop("sizes_kib")
        figures = "  ".join(f"{key} {value:5.2f} s" for key, value in result.items())
        print(f"{name:24s} {figures}  files {sizes} KiB")


if __name__ == "__main__":
    main()
