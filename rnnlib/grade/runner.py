"""Run one prepared notebook under pytest + nbval and record what happened to every code cell.

rnnlib.grade runs it as a script in a subprocess of its own for every submission:

    python runner.py NOTEBOOK --results FILE --cell-timeout SECONDS --sanitize FILE
                     [--memory-limit MB]

It is a pytest plugin on top of nbval, and changes four things about how nbval runs a notebook:

- a kernel that dies (os._exit, a segfault, the memory limit) is noticed within a second,
  instead of after the cell timeout: nbval waits for the kernel's reply in one long blocking
  read, which here becomes short reads with a liveness check in between;
- a cell that times out does not turn the later cells into expected failures: they run and are
  judged like any other cell (nbval interrupts the kernel and carries on);
- reading a cell's output stops at the cell timeout plus a grace period, or after 5 million
  characters, even if the kernel keeps printing (nbval would read on forever);
- every cell's outcome and printed output go to a JSON-lines file, which rnnlib.grade reads.

It imports nothing from rnnlib (the grading code does not depend on the teaching code), and it
runs with its own directory removed from sys.path so that its sibling modules cannot shadow
anything pytest or jupyter_client import.
"""
import json
import os
import re
import signal
import sys
import time

if __name__ == "__main__" and sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(
    os.path.abspath(__file__)
):
    del sys.path[0]

# jsonschema (imported by nbformat, which nbval imports) loads the optional package
# rfc3987_syntax when it is installed, and that package builds a grammar at import time: about
# 4 s of CPU in every process. The notebook schema never checks that format, so it is skipped.
sys.modules.setdefault("rfc3987_syntax", None)

from queue import Empty  # noqa: E402

import pytest  # noqa: E402

POLL_SECONDS = 0.25  # how often a waiting grader checks that the kernel is still alive
OUTPUT_GRACE = 10  # seconds past the cell timeout allowed for reading a cell's output
MAX_OUTPUT_CHARS = 5_000_000  # a cell printing more than this is stopped
MAX_RECORDED_CHARS = 20_000  # longer outputs are cut here already; the report cuts them further
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class KernelDied(RuntimeError):
    """The kernel process exited while a cell was running."""


def output_text(outputs):
    """What a list of notebook outputs shows as text: streams, text/plain results, errors."""
    parts = []
    for out in outputs or ():
        kind = out.get("output_type")
        if kind == "stream":
            parts.append(out.get("text", ""))
        elif kind in ("execute_result", "display_data"):
            data = out.get("data", {})
            if "text/plain" in data:
                text = data["text/plain"]
                parts.append(text if text.endswith("\n") else text + "\n")
            elif data:
                parts.append(f"<{', '.join(sorted(data))} output>\n")
        elif kind == "error":
            evalue = ANSI.sub("", str(out.get("evalue", "")))
            parts.append(f"{out.get('ename', 'Error')}: {evalue}\n")
    return "".join(parts)


def _cut(text, limit=MAX_RECORDED_CHARS):
    if len(text) <= limit:
        return text, len(text)
    return text[:limit], len(text)


def _exit_description(km):
    """'exit code 3' or 'signal SIGSEGV' for a kernel process that has ended."""
    process = getattr(getattr(km, "provisioner", None), "process", None)
    code = getattr(process, "returncode", None)
    if code is None:
        return "no exit status available"
    if code < 0:
        try:
            return f"killed by signal {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def _kernel_pgid(kernel):
    provisioner = getattr(getattr(kernel, "km", None), "provisioner", None)
    return getattr(provisioner, "pgid", None)


def _patch_nbval():
    """Make nbval notice a dead kernel, and stop reading output in time (module docstring)."""
    from nbval.kernel import RunningKernel

    def await_reply(self, msg_id, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            wait = POLL_SECONDS
            if deadline is not None:
                wait = min(wait, deadline - time.monotonic())
                if wait <= 0:
                    raise Empty  # nbval treats this as the cell timeout
            try:
                msg = self.get_message(stream="shell", timeout=wait)
            except Empty:
                if not self.km.is_alive():
                    raise KernelDied(f"the kernel died ({_exit_description(self.km)})") from None
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                if msg["content"]["status"] == "aborted":
                    raise RuntimeError("Kernel aborted execution request")
                return

    RunningKernel.await_reply = await_reply

    # nbval reads a cell's output until the kernel says it is idle again, with no time limit:
    # a cell that keeps printing after the interrupt (or prints without end) would hold it
    # forever. Stop reading at the cell timeout plus a grace period, or after too much output;
    # nbval then stops the kernel and reports the cell as timed out.
    from nbval.plugin import IPyNbCell, IPyNbFile

    runtest = IPyNbCell.runtest

    def guarded_runtest(self):
        parent = self.parent
        parent._grading_deadline = (
            time.monotonic() + self.config.option.nbval_cell_timeout + OUTPUT_GRACE
        )
        parent._grading_chars = 0
        parent._grading_stop = None
        try:
            return runtest(self)
        finally:
            parent._grading_deadline = None

    get_kernel_message = IPyNbFile.get_kernel_message

    def guarded_get_kernel_message(self, timeout=None, stream="iopub"):
        deadline = getattr(self, "_grading_deadline", None)
        if deadline is not None:
            if time.monotonic() > deadline:
                self._grading_stop = "the cell kept running or printing after its time limit"
                raise Empty
            if self._grading_chars > MAX_OUTPUT_CHARS:
                self._grading_stop = f"the cell printed more than {MAX_OUTPUT_CHARS} characters"
                raise Empty
        msg = get_kernel_message(self, timeout=timeout, stream=stream)
        if deadline is not None and msg.get("msg_type") == "stream":
            self._grading_chars += len(msg.get("content", {}).get("text", ""))
        return msg

    IPyNbCell.runtest = guarded_runtest
    IPyNbFile.get_kernel_message = guarded_get_kernel_message


class Recorder:
    """The pytest plugin: one JSON line per code cell in the results file."""

    def __init__(self, path):
        self.path = path
        self.kernel_dead = None  # message once the kernel has died
        with open(self.path, "w", encoding="utf-8"):
            pass

    def _write(self, record):
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_setup(self, item):
        yield
        parent = getattr(item, "parent", None)
        kernel = getattr(parent, "kernel", None)
        if kernel is not None and not getattr(parent, "_grading_pid_written", False):
            parent._grading_pid_written = True
            self._write({"kernel_pgid": _kernel_pgid(kernel)})

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        if not hasattr(item, "cell_num"):
            return
        if call.when == "setup" and report.failed:
            self._record(item, "not-run", f"the cell could not start: {_message(call)}")
        elif call.when == "call":
            self._record_call(item, call, report)

    def _record_call(self, item, call, report):
        parent = item.parent
        timed_out = getattr(parent, "timed_out", False)
        # nbval marks every cell after a timeout as an expected failure; undo that so that the
        # later cells are judged on their own.
        parent.timed_out = False
        if report.passed:
            self._record(item, "pass", "")
            return
        if report.skipped:
            self._record(item, "not-run", "skipped")
            return
        exc = call.excinfo.value if call.excinfo else None
        if isinstance(exc, KernelDied):
            self.kernel_dead = str(exc)
            pgid = _kernel_pgid(parent.kernel)
            if pgid and hasattr(os, "killpg"):  # what the student's code started goes too
                try:
                    os.killpg(pgid, signal.SIGKILL)
                except OSError:
                    pass
            self._record(item, "error", str(exc), kernel_died=True)
        elif isinstance(exc, RuntimeError) and "Kernel dead" in str(exc):
            self._record(item, "not-run", self.kernel_dead or "the kernel was not running")
        elif timed_out:
            stop = getattr(parent, "_grading_stop", None)
            self._record(item, "timeout", f"{stop}; the kernel was stopped" if stop
                         else _message(call))
            if parent.kernel is None or not parent.kernel.is_alive():
                self.kernel_dead = "the kernel was stopped after an earlier cell ran out of time"
        elif str(exc) == "Cell outputs differ":
            self._record(item, "fail", "the output differs from the expected output")
        else:
            self._record(item, "error", _message(call))

    def _record(self, item, status, message, kernel_died=False):
        got, got_chars = _cut(output_text(getattr(item, "test_outputs", None) or []))
        self._write(
            {
                "index": item.cell_num,
                "id": item.cell.get("id"),
                "status": status,
                "message": _cut(message, 2000)[0],
                "got": got,
                "got_chars": got_chars,
                "kernel_died": kernel_died,
            }
        )


def _message(call):
    if call.excinfo is None:
        return ""
    exc = call.excinfo.value
    return ANSI.sub("", str(exc)) or type(exc).__name__


def _set_memory_limit(megabytes):
    """Cap the address space of this process and so of the kernel it starts (POSIX only)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        return
    limit = int(megabytes) * 1024 * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def run(notebook, *, results, cell_timeout, sanitize, memory_limit=0):
    """Run pytest + nbval on `notebook` in this process; returns pytest's exit status.

    Changes this process for good (memory limit, environment, nbval patched), so it runs in a
    process of its own.
    """
    if memory_limit and memory_limit > 0:
        _set_memory_limit(memory_limit)
    # Only nbval and this recorder: no other installed pytest plugin takes part.
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    _patch_nbval()
    folder = os.path.dirname(os.path.abspath(notebook))
    ini = os.path.join(folder, "pytest.ini")
    with open(ini, "w", encoding="utf-8") as f:
        f.write("[pytest]\n")  # an empty configuration: nothing from a surrounding project
    pytest_args = [
        notebook,
        "-c", ini,
        "--rootdir", folder,
        "-p", "nbval.plugin",
        "-p", "no:cacheprovider",
        "--nbval",
        "--nbval-current-env",
        "--nbval-sanitize-with", sanitize,
        "--nbval-cell-timeout", str(cell_timeout),
        "-q", "--tb=no", "--no-header", "-rN",
    ]
    return int(pytest.main(pytest_args, plugins=[Recorder(results)]))


def main(argv=None):
    import argparse

    parser = argparse.ArgumentParser(description="Run one notebook under nbval for rnnlib.grade.")
    parser.add_argument("notebook")
    parser.add_argument("--results", required=True)
    parser.add_argument("--cell-timeout", type=float, required=True)
    parser.add_argument("--sanitize", required=True)
    parser.add_argument("--memory-limit", type=float, default=0, help="MB; 0 for no limit")
    args = parser.parse_args(argv)
    return run(args.notebook, results=args.results, cell_timeout=args.cell_timeout,
               sanitize=args.sanitize, memory_limit=args.memory_limit)


if __name__ == "__main__":
    sys.exit(main())
