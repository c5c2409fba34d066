"""Run every benchmark of the course library, each in its own process, one thread each.

    .venv/bin/python benchmarks/run.py [--quick] [--keep-openblas-env]

(`make bench` runs this.) Some machines set OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE to steer old
OpenBLAS builds away from kernels that misbehave on their processor; they slow down a current
numpy. For the benchmark processes only, this script removes both (unless told to keep them)
and each benchmark prints which OpenBLAS kernel then runs. Nothing else is changed.
"""
import argparse
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small shapes, short runs")
    parser.add_argument("--keep-openblas-env", action="store_true",
                        help="leave OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE as they are")
    args = parser.parse_args(argv)
    env = dict(os.environ)
    if not args.keep_openblas_env:
        for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
            if env.pop(var, None) is not None:
                print(f"(unset {var} for the benchmarks)")
    runs = [
        ("recurrent layers", ["layers.py"] + (["--quick"] if args.quick else [])),
        ("character-level model", ["charrnn.py"] + (["--seconds", "3"] if args.quick else [])),
        ("notebooks: execution time and peak memory", ["notebooks.py"]),
        ("grading 30 submissions", ["grading.py"]),
    ]
    status = 0
    for title, cmd in runs:
        print(f"\n=== {title}: benchmarks/{' '.join(cmd)}", flush=True)
        status |= subprocess.run([sys.executable, str(HERE / cmd[0]), *cmd[1:]], env=env).returncode
    return status


if __name__ == "__main__":
    sys.exit(main())
