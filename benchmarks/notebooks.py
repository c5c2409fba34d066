"""Execution time and peak kernel memory of every lecture and solution notebook.

    .venv/bin/python benchmarks/notebooks.py [NOTEBOOK ...]

Each notebook runs from a fresh kernel, as `make notebooks` runs it, on an in-memory copy (the
file is not rewritten). Peak memory is the kernel's resident-set high-water mark, read by one
extra cell appended to the copy. Budgets from the course's issue: 20 s and 400 MB per notebook,
100 s for the nine lectures together.
"""
import resource  # noqa: F401  (the appended cell reads it in the kernel; Unix only)
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
PEAK_CELL = "import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"


def measure(path):
    """Run the notebook at `path`; return (seconds, peak kernel memory in MB)."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PEAK_CELL))
    client = NotebookClient(nb, timeout=120, kernel_name="python3", record_timing=False,
                            store_widget_state=True,
                            resources={"metadata": {"path": str(Path(path).parent)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    peak_kb = int(nb.cells[-1].outputs[0]["text"])  # ru_maxrss is in kilobytes on Linux
    return seconds, peak_kb / 1024


def main(argv):
    paths = argv or sorted(map(str, ROOT.glob("notebooks/*.ipynb"))) + sorted(
        map(str, ROOT.glob("solutions/*.ipynb")))
    total_lectures = 0.0
    print(f"{'notebook':48s} {'seconds':>8s} {'peak MB':>8s}")
    for path in paths:
        seconds, peak = measure(path)
        if "/notebooks/" in path:
            total_lectures += seconds
        print(f"{Path(path).parent.name + '/' + Path(path).name:48s} {seconds:8.1f} {peak:8.0f}",
              flush=True)
    print(f"{'all lectures (budget 100 s)':48s} {total_lectures:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
