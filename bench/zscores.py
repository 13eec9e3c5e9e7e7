"""Growth z-score benchmark: WHO 2006 HAZ, WAZ, WHZ and BAZ over random measurements.

    .venv/bin/python bench/zscores.py [N]

Generates N (default 2,000,000) realistic measurements with a fixed seed (ages 0-1826
days, both sexes, lengths and weights around the WHO medians, about one in three
measured in the other position, a few with oedema or missing values) and times
``mch.growth.compute`` on all of them at once. Prints measurements per second (median
of repeated runs), then the same for ``classify``.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mch.growth import ZScores, classify, compute  # noqa: E402
from mch.growth.tables import table  # noqa: E402

SEED = 20061
REPEAT = 7


def measurements(n: int, seed: int = SEED) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    sex = rng.integers(1, 3, n)
    age = rng.integers(0, 1827, n).astype(np.float64)
    rows = sex * 1827 + age.astype(np.intp)
    length = table("lhfa").m[rows] * (1 + table("lhfa").s[rows] * rng.normal(-0.5, 1.2, n))
    weight = table("wfa").m[rows] * np.exp(table("wfa").s[rows] * rng.normal(-0.3, 1.2, n))
    lying = np.where(rng.random(n) < 0.3, age >= 731, age < 731).astype(np.float64)
    oedema = (rng.random(n) < 0.002).astype(np.float64)
    weight[rng.random(n) < 0.01] = np.nan
    length[rng.random(n) < 0.02] = np.nan
    lying[rng.random(n) < 0.05] = np.nan
    return {
        "sex": sex,
        "age_days": age,
        "weight_kg": np.round(weight, 1),
        "length_cm": np.round(length, 1),
        "measured_lying": lying,
        "oedema": oedema,
    }


def run(data: dict[str, np.ndarray]) -> ZScores:
    return compute(
        data["sex"],
        data["age_days"],
        data["weight_kg"],
        data["length_cm"],
        data["measured_lying"],
        data["oedema"],
    )


def timed(label: str, n: int, func: Callable[[], object], repeat: int = REPEAT) -> None:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        runs.append(time.perf_counter() - start)
    median = statistics.median(runs)
    print(
        f"{label:<40} {median * 1000:9.1f} ms  {n / median:14,.0f} measurements/s"
        f"  (median of {repeat})"
    )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
    data = measurements(n)
    run({k: v[:10] for k, v in data.items()})  # load the tables before timing
    print(f"measurements: {n:,}  numpy {np.__version__}")
    timed("compute (HAZ, WAZ, WHZ, BAZ, flags)", n, lambda: run(data))
    scores = run(data)
    timed("classify", n, lambda: classify(scores))
    computed = {
        k: int(np.count_nonzero(~np.isnan(getattr(scores, k))))
        for k in ("haz", "waz", "whz", "baz")
    }
    print("computed:", ", ".join(f"{k} {v:,}" for k, v in computed.items()))


if __name__ == "__main__":
    main()
