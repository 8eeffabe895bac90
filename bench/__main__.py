"""Run the benchmarks and print one JSON document with each module's figures and the machine."""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import platform
import sys
import time
from pathlib import Path


def _machine() -> dict[str, object]:
    import psutil

    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "platform": platform.platform(),
    }


def main(argv: list[str]) -> int:
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    wanted = [n for n in names if not argv or n.removeprefix("bench_") in argv]
    results: dict[str, object] = {"machine": _machine()}
    for name in wanted:
        started = time.perf_counter()
        module = importlib.import_module(f"bench.{name}")
        try:
            figures = module.run()
        except Exception as error:  # one failing benchmark must not hide the others' figures
            figures = {"error": f"{type(error).__name__}: {error}"}
        figures["wall_seconds"] = round(time.perf_counter() - started, 2)
        results[name.removeprefix("bench_")] = figures
    json.dump(results, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
