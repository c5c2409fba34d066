"""Generate the student notebooks (exercises/) from the solution notebooks (solutions/).

    python -m rnnlib.assign solutions exercises          # write exercises/*.ipynb
    python -m rnnlib.assign --check solutions exercises  # exit 1 when exercises/ is out of date

The solutions are the one source of truth. In them:

- solution code sits between a line `### BEGIN SOLUTION` and a line `### END SOLUTION`; the
  rest of the BEGIN line, if any, is the message students see, e.g.
  `### BEGIN SOLUTION Exercise 1.3: write one step of the vector cell`. In the exercise the
  region becomes, at the indentation of the BEGIN line,
      # YOUR CODE HERE
      raise NotImplementedError("Exercise 1.3: write one step of the vector cell")
  In a markdown cell the region becomes `**Your answer:** (write it here)`;
- check cells are code cells tagged "check", with their points in the cell metadata, e.g.
  {"tags": ["check"], "points": 2}. They are copied as they are (rnnlib.grade restores them
  from the solution when grading, matching cells by id).

Every exercise notebook keeps the solution's cell ids, tags and metadata; outputs and execution
counts are cleared, and the Binder link of the first cell points at the exercise instead of
the solution.
"""
import argparse
import copy
import json
import re
import sys
from pathlib import Path

import nbformat

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
CHECK_TAG = "check"
DEFAULT_MESSAGE = "write your solution here"
MARKDOWN_PLACEHOLDER = "**Your answer:** (write it here)"


class AssignError(ValueError):
    """A solution notebook breaks the rules above; the message names the cell and the line."""


def _strip_region_lines(source, *, markdown, where):
    """Replace every BEGIN/END region of one cell's source. Returns (new source, regions)."""
    out, regions = [], 0
    inside = None  # (indent, message) of the open region
    for number, line in enumerate(source.split("\n"), start=1):
        stripped = line.strip()
        if stripped.startswith(BEGIN):
            if inside is not None:
                raise AssignError(f"{where}, line {number}: {BEGIN} inside another region")
            indent = line[: len(line) - len(line.lstrip())]
            message = stripped[len(BEGIN):].strip().lstrip(":").strip() or DEFAULT_MESSAGE
            inside = (indent, message)
            regions += 1
            if markdown:
                out.append(indent + MARKDOWN_PLACEHOLDER)
            else:
                out.append(indent + "# YOUR CODE HERE")
                literal = json.dumps(message, ensure_ascii=False)  # a valid Python string too
                out.append(f"{indent}raise NotImplementedError({literal})")
        elif stripped.startswith(END):
            if inside is None:
                raise AssignError(f"{where}, line {number}: {END} without {BEGIN}")
            inside = None
        elif inside is None:
            out.append(line)
    if inside is not None:
        raise AssignError(f"{where}: {BEGIN} is never closed by {END}")
    return "\n".join(out), regions


def _is_check(cell):
    tags = cell.get("metadata", {}).get("tags", [])
    return isinstance(tags, list) and CHECK_TAG in tags


def make_exercise(solution, *, solution_path="solutions", exercise_path="exercises"):
    """The exercise notebook for a solution notebook (a NotebookNode; not modified).

    solution_path/exercise_path: the folder names to swap in links (the Binder badge).
    Raises AssignError when the solution breaks a rule (see the module docstring).
    """
    nb = copy.deepcopy(solution)
    ids = [cell.get("id") for cell in nb.cells]
    if None in ids or len(set(ids)) != len(ids):
        raise AssignError("every cell needs a unique id (nbformat 4.5 or later)")
    regions = 0
    for cell in nb.cells:
        where = f"cell {cell.id}"
        if _is_check(cell):
            points = cell.metadata.get("points")
            if cell.cell_type != "code":
                raise AssignError(f"{where}: a check cell must be a code cell")
            if not isinstance(points, int) or isinstance(points, bool) or points <= 0:
                raise AssignError(f"{where}: a check cell needs positive integer 'points' metadata")
            if BEGIN in cell.source or END in cell.source:
                raise AssignError(f"{where}: a check cell cannot hold a solution region")
        if cell.cell_type in ("code", "markdown"):
            cell.source, found = _strip_region_lines(
                cell.source, markdown=cell.cell_type == "markdown", where=where
            )
            regions += found
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
        if cell.cell_type == "markdown":
            cell.source = re.sub(
                rf"(lab/tree/){re.escape(solution_path)}/", rf"\g<1>{exercise_path}/", cell.source
            )
    if regions == 0:
        raise AssignError("no solution region: the exercise would be the solution")
    nb.metadata.pop("widgets", None)
    return nb


def exercise_text(solution_file, **kwargs):
    """The exercise for the solution notebook at `solution_file`, as the text to write."""
    solution = nbformat.read(str(solution_file), as_version=4)
    try:
        return nbformat.writes(make_exercise(solution, **kwargs)) + "\n"
    except AssignError as exc:
        raise AssignError(f"{solution_file}: {exc}") from None


def assign(solutions_dir, exercises_dir, *, check=False):
    """Generate exercises_dir/NAME.ipynb for every solutions_dir/NAME.ipynb.

    With check=True nothing is written; returns the exercise files that are missing or differ.
    Otherwise writes them and returns the files written.
    """
    solutions_dir, exercises_dir = Path(solutions_dir), Path(exercises_dir)
    sources = sorted(solutions_dir.glob("*.ipynb"))
    if not sources:
        raise AssignError(f"no notebooks in {solutions_dir}")
    names = {"solution_path": solutions_dir.name, "exercise_path": exercises_dir.name}
    changed = []
    for source in sources:
        target = exercises_dir / source.name
        text = exercise_text(source, **names)
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current != text:
            changed.append(target)
            if not check:
                exercises_dir.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
    return changed


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m rnnlib.assign",
        description="Generate exercise notebooks from solution notebooks.",
    )
    parser.add_argument("solutions", help="folder of solution notebooks")
    parser.add_argument("exercises", help="folder to write the exercise notebooks to")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 when an exercise is missing or out of date")
    args = parser.parse_args(argv)
    try:
        changed = assign(args.solutions, args.exercises, check=args.check)
    except AssignError as exc:
        parser.exit(2, f"error: {exc}\n")
    if args.check:
        for path in changed:
            print(f"out of date: {path}")
        return 1 if changed else 0
    for path in changed:
        print(f"wrote {path}")
    if not changed:
        print(f"{args.exercises} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
