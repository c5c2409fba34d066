"""Grading speed: a class of 30 submissions per exercise, graded by the command line exactly as
an instructor runs it, timed from start to exit.

    .venv/bin/python benchmarks/grading.py [--submissions 30] [--jobs 2] [--exercise 01 ...]

The class is mostly complete work (copies of the solution, the slowest case: every check
runs to the end), with some half-done notebooks (the first half of the tasks solved) and some
untouched exercises. The scores are checked too: a fast grader that grades wrongly would be no
use. Target (issue 4): 30 submissions in at most 60 s on the 2-core machine. Besides the
wall-clock time it prints the CPU time of all the processes involved (grader, pytest runners,
kernels), which does not depend on other load: on two idle cores the wall time is about half.
"""
import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 60.0


def make_class(solution, exercise, folder, count):
    """Write `count` submissions into folder; returns (paths, expected score of each or None)."""
    # nbformat is imported here, not at the top, so that --help stays fast.
    sys.modules.setdefault("rfc3987_syntax", None)  # see rnnlib/grade/__init__.py
    import nbformat

    sol = nbformat.read(str(solution), as_version=4)
    answers = [c for c in sol.cells if "### BEGIN SOLUTION" in c.source and c.cell_type == "code"]
    half = nbformat.read(str(exercise), as_version=4)
    for answer in answers[: len(answers) // 2]:
        next(c for c in half.cells if c.id == answer.id).source = answer.source
    max_score = sum(c.metadata["points"] for c in sol.cells
                    if "check" in c.metadata.get("tags", []))
    kinds = []
    for k in range(count):
        kinds.append("untouched" if k % 6 == 5 else "half" if k % 6 == 4 else "complete")
    paths, expected = [], []
    for k, kind in enumerate(kinds):
        path = folder / f"student{k + 1:02d}" / exercise.name
        path.parent.mkdir()
        nb = {"complete": sol, "half": half, "untouched": None}[kind]
        if nb is None:
            path.write_bytes(exercise.read_bytes())
        else:
            nbformat.write(nb, str(path))
        paths.append(path)
        expected.append({"complete": max_score, "untouched": 0, "half": None}[kind])
    return paths, expected


def bench(name, count, jobs):
    solution, exercise = ROOT / "solutions" / name, ROOT / "exercises" / name
    with tempfile.TemporaryDirectory(prefix="grading-bench-") as tmp:
        tmp = Path(tmp)
        paths, expected = make_class(solution, exercise, tmp, count)
        command = [sys.executable, "-m", "rnnlib.grade", "--solution", str(solution),
                   "--json", str(tmp / "grades.json"), "--feedback-dir", str(tmp / "feedback"),
                   "--jobs", str(jobs), *map(str, paths)]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        # CPU time of the grader, its runners and their kernels: unlike the wall-clock time it
        # does not depend on what else the machine is doing.
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        if done.returncode != 0:
            sys.exit(f"grading failed ({done.returncode}):\n{done.stderr}")
        results = json.loads((tmp / "grades.json").read_text())
    wrong = [(r["submission"], r["score"], want) for r, want in zip(results, expected)
             if want is not None and r["score"] != want]
    errors = [r["error"] for r in results if r["error"]]
    return seconds, cpu, wrong, errors


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=30, help="class size (default 30)")
    parser.add_argument("--jobs", type=int, default=2, help="submissions graded at once")
    parser.add_argument("--exercise", nargs="*", help="exercise names or prefixes (default: all)")
    args = parser.parse_args(argv)
    names = sorted(p.name for p in (ROOT / "solutions").glob("*.ipynb"))
    if args.exercise:
        names = [n for n in names if any(n.startswith(e) for e in args.exercise)]
    print(f"Grading {args.submissions} submissions per exercise, {args.jobs} at a time "
          f"(target: {TARGET_SECONDS:g} s for 30)")
    print(f"{'exercise':<34}{'wall s':>8}{'per submission':>16}{'CPU s':>8}  scores")
    status = 0
    for name in names:
        seconds, cpu, wrong, errors = bench(name, args.submissions, args.jobs)
        verdict = "as expected" if not wrong and not errors else f"WRONG {wrong} {errors[:3]}"
        print(f"{name:<34}{seconds:>8.1f}{seconds / args.submissions:>16.2f}{cpu:>8.1f}  "
              f"{verdict}")
        limit = TARGET_SECONDS * args.submissions / 30
        if wrong or errors or seconds > limit:
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
