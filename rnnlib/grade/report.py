"""What grading produces: the results per submission, and their forms for the instructor (the
JSON and CSV files, the table on standard output) and for the student (a Markdown feedback
file per submission)."""
import csv
import json
import os
from dataclasses import dataclass, field

MAX_REPORT_CHARS = 2000  # an output longer than this is cut in the JSON and the feedback

STATUS_LETTER = {"pass": "P", "fail": "F", "error": "E", "timeout": "T", "not-run": "-"}

HINTS = {
    "fail": "The check ran, but printed something other than the expected output. Compare the "
    "two line by line; a debugging print left in your code also counts as a difference.",
    "error": "The check stopped with an error, shown at the end of your output. "
    "NotImplementedError means that the exercise was not done yet.",
    "timeout": "The check did not finish within the time limit: look for an endless loop or a "
    "computation far slower than it needs to be.",
    "not-run": "The check did not run.",
}


def truncate(text, total_chars=None, limit=MAX_REPORT_CHARS):
    """Cut `text` to `limit` characters, saying how long the whole output was."""
    total = len(text) if total_chars is None else max(total_chars, len(text))
    if total <= limit:
        return text
    return text[:limit] + f"\n... [output truncated: {total} characters in all]\n"


@dataclass
class CellResult:
    id: str
    status: str  # pass | fail | error | timeout | not-run
    points: int  # earned: the check's points when it passed, else 0
    max_points: int
    expected: str
    got: str
    title: str = ""
    message: str = ""

    def as_dict(self):
        return {
            "id": self.id,
            "status": self.status,
            "points": self.points,
            "expected": self.expected,
            "got": self.got,
        }


@dataclass
class SubmissionResult:
    submission: str  # the path exactly as given on the command line
    max_score: int
    cells: list
    error: str = None
    notes: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def score(self):
        return sum(c.points for c in self.cells)

    def as_dict(self):
        """The object of the --json report, with exactly the documented keys."""
        return {
            "submission": self.submission,
            "score": self.score,
            "max_score": self.max_score,
            "error": self.error,
            "cells": [c.as_dict() for c in self.cells],
        }


def write_json(results, path):
    with open(path, "w", encoding="utf-8") as f:
        json.dump([r.as_dict() for r in results], f, indent=2, ensure_ascii=False)
        f.write("\n")


def write_csv(results, path):
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["submission", "score", "max_score", "error"])
        for r in results:
            writer.writerow([r.submission, r.score, r.max_score, r.error or ""])


def table(results):
    """A plain-text table, one line per submission, and a legend for the checks column."""
    rows = [("submission", "score", "checks", "error")]
    for r in results:
        letters = "".join(STATUS_LETTER.get(c.status, "?") for c in r.cells)
        error = (r.error or "").replace("\n", " ")
        rows.append((r.submission, f"{r.score}/{r.max_score}", letters, error[:70]))
    widths = [max(len(row[k]) for row in rows) for k in range(3)]
    lines = []
    for k, row in enumerate(rows):
        line = f"{row[0]:<{widths[0]}}  {row[1]:>{widths[1]}}  {row[2]:<{widths[2]}}  {row[3]}"
        lines.append(line.rstrip())
        if k == 0:
            lines.append("-" * min(len(line) + 10, 120))
    lines.append("")
    lines.append("checks, in notebook order: P pass, F fail, E error, T timeout, - not run")
    return "\n".join(lines)


def _fence(text):
    """A Markdown code fence longer than any run of backticks inside `text`."""
    longest, run = 0, 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    return "`" * max(3, longest + 1)


def _block(text):
    body = text or "(nothing)\n"
    if not body.endswith("\n"):
        body += "\n"
    fence = _fence(body)
    return f"{fence}text\n{body}{fence}\n"


def feedback_markdown(result, solution_name, cell_timeout=None):
    """The feedback for one submission, as Markdown a student can read."""
    lines = [f"# Feedback on `{os.path.basename(result.submission)}`", ""]
    lines.append(f"Graded against `{solution_name}`: "
                 f"**{result.score} / {result.max_score} points**.")
    lines.append("")
    if result.error:
        lines += [f"**Problem:** {result.error}", ""]
    for note in result.notes:
        lines += [f"Note: {note}", ""]
    lines += ["| Check | Result | Points |", "|---|---|---|"]
    for c in result.cells:
        lines.append(f"| {c.title or c.id} | {c.status} | {c.points} / {c.max_points} |")
    lines.append("")
    for c in result.cells:
        lines.append(f"## {c.title or c.id}: {c.status} ({c.points} / {c.max_points})")
        lines.append("")
        if c.status != "pass":
            hint = HINTS.get(c.status, "")
            if c.status == "timeout" and cell_timeout:
                hint = hint.replace("the time limit", f"the time limit of {cell_timeout:g} s")
            if c.status == "not-run" and c.message:
                hint = f"{hint} Reason: {c.message}."
            lines += [hint, ""]
        lines += ["Expected output:", "", _block(c.expected)]
        if c.status != "pass":
            lines += ["Your output:", "", _block(c.got)]
    return "\n".join(lines).rstrip() + "\n"


def feedback_names(paths):
    """A distinct file name for every submission's feedback, from its path as given.

    The part the paths share is dropped and folders are joined with "__", so that
    subs/alice/ex1.ipynb and subs/bob/ex1.ipynb give alice__ex1.md and bob__ex1.md.
    """
    absolute = [os.path.abspath(p) for p in paths]
    if len(absolute) > 1:
        common = os.path.commonpath([os.path.dirname(p) for p in absolute])
    else:
        common = os.path.dirname(absolute[0]) if absolute else ""
    names, used = [], set()
    for p in absolute:
        rel = os.path.relpath(p, common) if common else os.path.basename(p)
        stem = rel[:-6] if rel.endswith(".ipynb") else rel
        stem = stem.replace(os.sep, "__").replace("/", "__").lstrip(".") or "submission"
        name, k = f"{stem}.md", 2
        while name in used:
            name, k = f"{stem}-{k}.md", k + 1
        used.add(name)
        names.append(name)
    return names
