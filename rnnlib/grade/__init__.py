"""Grade exercise notebooks against their solution with nbval.

    python -m rnnlib.grade --solution SOLUTION.ipynb [--json FILE] [--csv FILE]
                           [--cell-timeout SECONDS] [--feedback-dir DIR] [--jobs N]
                           [--memory-limit MB] SUBMISSION.ipynb...

The solution's check cells (code cells tagged "check", with integer "points" in their
metadata) hold the expected output. Each submission is copied into its own temporary folder,
with every check cell restored from the solution (matched by cell id), and run by nbval under
pytest in a fresh kernel; a check scores its points when its output equals the solution's
(sanitized as in the lectures by nbval_sanitize.cfg). Cells a student added run but are not
compared, and markdown is not graded.

Outputs: a table on standard output, --json and --csv reports, and a Markdown feedback file
per submission in --feedback-dir (default: ./feedback). Exit status 0 whenever grading ran,
2 for a usage error.

Student code runs with the rights of the user who grades: run this in a container or as an
unprivileged account. This package imports nothing from rnnlib's teaching modules.
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path

import nbformat

from .notebook import (
    Solution,
    SolutionError,
    SubmissionError,
    build_graded_notebook,
    load_solution,
    read_submission,
)
from .report import (
    CellResult,
    SubmissionResult,
    feedback_markdown,
    feedback_names,
    table,
    truncate,
    write_csv,
    write_json,
)

__all__ = ["grade", "grade_submission", "load_solution", "main", "sanitizer_rules"]

DEFAULT_CELL_TIMEOUT = 30.0  # seconds per cell
DEFAULT_JOBS = os.cpu_count() or 2  # submissions graded at the same time: one per core
DEFAULT_MEMORY_LIMIT = 2048  # MB of address space for each grading process and its kernel
RUNNER = Path(__file__).with_name("runner.py")

# The rules nbval applies to outputs before comparing them. The canonical copy is the file
# nbval_sanitize.cfg at the root of the repository, which `make test` passes to nbval; this
# copy serves when rnnlib is installed without the repository, and a test keeps the two equal.
FALLBACK_SANITIZER = """\
[memory addresses]
regex: 0x[0-9a-fA-F]{6,}
replace: 0xADDRESS
"""

# BLAS libraries start a thread per core by default; with two submissions graded at once on a
# small machine that only costs time, so each kernel gets one (unless the caller says otherwise).
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
MAX_NOTES = 5  # notes in the feedback about the student's own cells that failed


def sanitizer_rules():
    """The text of the sanitizer file: the repository's nbval_sanitize.cfg when rnnlib runs
    from a checkout of the course, else the copy above."""
    repo_file = Path(__file__).resolve().parents[2] / "nbval_sanitize.cfg"
    if repo_file.is_file():
        return repo_file.read_text(encoding="utf-8")
    return FALLBACK_SANITIZER


def _check_title(source):
    """'Check 1.1 (2 points)' from a check cell's first comment line, else ''."""
    first = source.strip().splitlines()[0] if source.strip() else ""
    if not first.startswith("#"):
        return ""
    return first.lstrip("#").split(":")[0].strip()


def _empty_result(solution, submission):
    cells = [
        CellResult(
            id=c.id,
            status="not-run",
            points=0,
            max_points=c.points,
            expected=truncate(c.expected),
            got="",
            title=_check_title(c.source),
        )
        for c in solution.checks
    ]
    return SubmissionResult(submission=submission, max_score=solution.max_score, cells=cells)


def _read_records(path):
    records = []
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                try:
                    records.append(json.loads(line))
                except ValueError:
                    break  # a line cut short when the run was stopped
    except OSError:
        pass
    return records


def _kill_group(pgid):
    if pgid and hasattr(os, "killpg"):
        try:
            os.killpg(pgid, signal.SIGKILL)
        except OSError:
            pass


def _tail(path, lines=5):
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return " | ".join(line.strip() for line in text.strip().splitlines()[-lines:])


# The runner processes at work, so that an interrupted batch (Ctrl-C) can stop them all.
_running = set()
_running_lock = threading.Lock()
_stopping = threading.Event()


def _stop(process):
    """Kill a runner process and everything in its process group."""
    if hasattr(os, "killpg"):
        _kill_group(process.pid)
    else:  # pragma: no cover - not POSIX
        process.kill()


def _stop_all():
    with _running_lock:
        _stopping.set()
        for process in list(_running):
            _stop(process)


def grade_submission(solution, submission, *, sanitizer=None, cell_timeout=DEFAULT_CELL_TIMEOUT,
                     memory_limit=DEFAULT_MEMORY_LIMIT):
    """Grade one submission (a path) against a loaded Solution. Never raises for a bad
    submission: whatever goes wrong ends up in the result's `error`.

    Returns a SubmissionResult.
    """
    start = time.monotonic()
    # A kernel that fails to start (seen once in a loaded test run: every cell "not-run", no
    # error) is the machine's fault, never the student's: nothing of theirs has run yet, since
    # even a first cell that kills the kernel is an "error". Such a run is tried once more.
    for _attempt in range(2):
        result = _empty_result(solution, str(submission))
        try:
            _run(solution, result, submission, sanitizer or sanitizer_rules(), cell_timeout,
                 memory_limit)
        except Exception as exc:  # a bug or an environment problem: report it, keep going
            result.error = f"grading failed: {type(exc).__name__}: {exc}"
        if result.error or any(c.status != "not-run" for c in result.cells):
            break
    result.seconds = time.monotonic() - start
    return result


def _run(solution, result, submission, sanitizer, cell_timeout, memory_limit):
    try:
        nb = read_submission(submission)
    except SubmissionError as exc:
        result.error = str(exc)
        return
    graded, notes = build_graded_notebook(solution, nb)
    result.notes = notes
    with tempfile.TemporaryDirectory(prefix="rnnlib-grade-") as tmp:
        tmp = Path(tmp)
        notebook = tmp / "submission.ipynb"
        nbformat.write(graded, notebook)
        (tmp / "nbval_sanitize.cfg").write_text(sanitizer, encoding="utf-8")
        records_path, log_path = tmp / "results.jsonl", tmp / "pytest.log"
        env = dict(os.environ)
        for name in THREAD_VARIABLES:
            env.setdefault(name, "1")
        env["IPYTHONDIR"] = str(tmp / "ipython")  # no profile or startup file shared with others
        env.pop("PYTHONSTARTUP", None)
        command = [
            sys.executable, str(RUNNER), str(notebook),
            "--results", str(records_path),
            "--cell-timeout", str(cell_timeout),
            "--sanitize", str(tmp / "nbval_sanitize.cfg"),
            "--memory-limit", str(memory_limit or 0),
        ]
        # The whole notebook may take at most this long; each cell is limited by nbval already,
        # this only catches what nbval cannot stop (a hung kernel, say).
        limit = len(graded.cells) * (cell_timeout + 10) + 60
        stopped = False
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                command, cwd=tmp, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                env=env, start_new_session=True,
            )
            with _running_lock:
                _running.add(process)
                if _stopping.is_set():  # the batch was interrupted while this one started
                    _stop(process)
            try:
                process.wait(timeout=limit)
            except subprocess.TimeoutExpired:
                stopped = True
                _stop(process)
                process.wait()
            finally:
                with _running_lock:
                    _running.discard(process)
        returncode = process.returncode
        records = _read_records(records_path)
        kernel_pgid = next((r["kernel_pgid"] for r in records if "kernel_pgid" in r), None)
        if stopped or returncode not in (0, 1):
            _kill_group(kernel_pgid)  # the kernel runs in its own process group
        cells = [r for r in records if "index" in r]
        _fill(result, cells, graded)
        if stopped:
            result.error = (
                f"grading stopped after {limit:g} s, the limit for the whole notebook; "
                "checks after that point were not run"
            )
        elif returncode not in (0, 1) and not cells:
            result.error = (
                f"the notebook could not be run (exit status {returncode}): "
                f"{_tail(log_path)}"
            )


def _fill(result, records, graded):
    """Copy the runner's records of the check cells into `result`."""
    by_id = {}
    for r in records:
        by_id.setdefault(r["id"], r)
    for cell in result.cells:
        r = by_id.get(cell.id)
        if r is None:
            continue
        cell.status = r["status"]
        cell.got = truncate(r.get("got", ""), r.get("got_chars"))
        cell.message = r.get("message", "")
        cell.points = cell.max_points if cell.status == "pass" else 0
    check_ids = {c.id for c in result.cells}
    troubles = [r for r in records
                if r["id"] not in check_ids and r["status"] in ("error", "timeout")]
    for r in troubles[:MAX_NOTES]:
        what = ("ran longer than the time limit and was interrupted" if r["status"] == "timeout"
                else "stopped with an error")
        last = (r.get("got") or "").strip().splitlines()[-1:] or [r.get("message", "")]
        result.notes.append(f"Your {_describe(graded, r['index'])} {what}: "
                            f"{truncate(last[0], limit=300).strip()}")
    died = next((r for r in records if r.get("kernel_died")), None)
    if died is not None:
        result.error = (
            f"{died['message']} while running {_describe(graded, died['index'])}; "
            "the cells after it were not run"
        )


def _describe(graded, index):
    """'code cell 3 (def mul(a, b):)': a cell as a student can find it again."""
    cells = graded.cells
    first = cells[index].source.strip().splitlines()[:1] if index < len(cells) else []
    start = first[0] if first else ""
    start = start if len(start) <= 50 else start[:47] + "..."
    return f"code cell {index + 1}" + (f" ({start})" if start else "")


def grade(solution, submissions, *, cell_timeout=DEFAULT_CELL_TIMEOUT, jobs=DEFAULT_JOBS,
          memory_limit=DEFAULT_MEMORY_LIMIT, progress=None):
    """Grade submissions (paths) against a solution (a path or a loaded Solution).

    The solution is read once, before any submission runs. Submissions are graded `jobs` at a
    time, each in its own process and kernel. progress(done, total, result) is called as each
    one finishes. Returns the SubmissionResults in the order of `submissions`.
    """
    if not isinstance(solution, Solution):
        solution = load_solution(solution)
    sanitizer = sanitizer_rules()
    submissions = [str(s) for s in submissions]
    results = [None] * len(submissions)
    _stopping.clear()
    pool = ThreadPoolExecutor(max_workers=max(1, jobs))
    futures = {
        pool.submit(grade_submission, solution, path, sanitizer=sanitizer,
                    cell_timeout=cell_timeout, memory_limit=memory_limit): k
        for k, path in enumerate(submissions)
    }
    try:
        pending = set(futures)
        while pending:
            # Short waits, so that Ctrl-C reaches this thread at once.
            finished, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            for future in sorted(finished, key=futures.get):
                results[futures[future]] = future.result()
                if progress:
                    progress(sum(r is not None for r in results), len(results),
                             results[futures[future]])
    except KeyboardInterrupt:
        pool.shutdown(wait=False, cancel_futures=True)
        _stop_all()  # the workers then clean up the kernels and the temporary folders
        raise
    finally:
        pool.shutdown(wait=True)
    return results


def _parser():
    parser = argparse.ArgumentParser(
        prog="python -m rnnlib.grade",
        description="Grade exercise notebooks against their solution with nbval.",
        epilog="Student code runs with your rights: grade in a container or as an unprivileged "
        "user. Exit status: 0 when grading ran (whatever the scores), 2 for a usage error.",
    )
    parser.add_argument("--solution", required=True, metavar="SOLUTION.ipynb",
                        help="the executed solution notebook, whose check cells hold the answers")
    parser.add_argument("--json", metavar="FILE", help="write the full results as JSON")
    parser.add_argument("--csv", metavar="FILE",
                        help="write one row per submission: submission, score, max_score, error")
    parser.add_argument("--cell-timeout", type=float, default=DEFAULT_CELL_TIMEOUT,
                        metavar="SECONDS",
                        help=f"time allowed for each cell (default {DEFAULT_CELL_TIMEOUT:g})")
    parser.add_argument("--feedback-dir", default="feedback", metavar="DIR",
                        help="folder for one Markdown feedback file per submission "
                        "(default: ./feedback; created if needed)")
    parser.add_argument("--jobs", type=int, default=DEFAULT_JOBS, metavar="N",
                        help="submissions graded at the same time (default: one per core, "
                        f"{DEFAULT_JOBS} here)")
    parser.add_argument("--memory-limit", type=int, default=DEFAULT_MEMORY_LIMIT, metavar="MB",
                        help="address space allowed to each kernel, 0 for no limit "
                        f"(default {DEFAULT_MEMORY_LIMIT})")
    parser.add_argument("submissions", nargs="+", metavar="SUBMISSION.ipynb",
                        help="the notebooks to grade")
    return parser


def _writable(parser, path, what):
    """Fail early (usage error) when an output file cannot be created."""
    if path is None:
        return
    try:
        with open(path, "a", encoding="utf-8"):
            pass
    except OSError as exc:
        parser.error(f"cannot write the {what} file {path}: {exc.strerror}")


def main(argv=None):
    parser = _parser()
    args = parser.parse_args(argv)
    if args.cell_timeout <= 0:
        parser.error(f"--cell-timeout must be positive; got {args.cell_timeout:g}")
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1; got {args.jobs}")
    if args.memory_limit < 0:
        parser.error(f"--memory-limit must be 0 (no limit) or positive; got {args.memory_limit}")
    try:
        solution = load_solution(args.solution)  # read before any student code runs
    except SolutionError as exc:
        parser.error(str(exc))
    _writable(parser, args.json, "JSON")
    _writable(parser, args.csv, "CSV")
    try:
        os.makedirs(args.feedback_dir, exist_ok=True)
    except OSError as exc:
        parser.error(f"cannot create the feedback folder {args.feedback_dir}: {exc.strerror}")

    def progress(done, total, result):
        print(f"[{done}/{total}] {result.submission}: {result.score}/{result.max_score} "
              f"({result.seconds:.1f} s)", file=sys.stderr, flush=True)

    start = time.monotonic()
    try:
        results = grade(solution, args.submissions, cell_timeout=args.cell_timeout,
                        jobs=args.jobs, memory_limit=args.memory_limit, progress=progress)
    except KeyboardInterrupt:
        print("interrupted: no report written", file=sys.stderr)
        return 130
    elapsed = time.monotonic() - start

    names = feedback_names(args.submissions)
    solution_name = os.path.basename(args.solution)
    for result, name in zip(results, names):
        text = feedback_markdown(result, solution_name, cell_timeout=args.cell_timeout)
        Path(args.feedback_dir, name).write_text(text, encoding="utf-8")
    if args.json:
        write_json(results, args.json)
    if args.csv:
        write_csv(results, args.csv)

    print(table(results))
    print()
    written = [f"feedback in {os.path.join(args.feedback_dir, '')}"]
    written += [f"JSON in {args.json}"] if args.json else []
    written += [f"CSV in {args.csv}"] if args.csv else []
    print(f"Graded {len(results)} submission(s) in {elapsed:.1f} s; " + "; ".join(written) + ".")
    return 0
