"""The notebooks of grading: the solution's checks, a submission as handed in, and the notebook
that actually runs, which is the submission with every check cell restored from the solution."""
import json
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell

from .runner import output_text

CHECK_TAG = "check"
CELL_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")  # what nbformat 4.5 allows as a cell id


class SolutionError(ValueError):
    """The solution notebook cannot be used for grading (missing, malformed, not executed)."""


class SubmissionError(ValueError):
    """A submission cannot be read as a notebook; the message says why, for the report."""


@dataclass(frozen=True)
class Check:
    """One check cell of the solution: what runs, what it must print, and what it is worth."""

    id: str
    position: int  # index among the solution's cells
    source: str
    outputs: list
    execution_count: int
    metadata: dict
    points: int

    @property
    def expected(self):
        """The solution's output as text, as the report shows it."""
        return output_text(self.outputs)


@dataclass(frozen=True)
class Solution:
    path: str
    cell_ids: tuple  # every cell id of the solution, in order
    checks: tuple  # Check, in order

    @property
    def max_score(self):
        return sum(c.points for c in self.checks)

    def check(self, cell_id):
        return next((c for c in self.checks if c.id == cell_id), None)


def is_check(cell):
    tags = cell.get("metadata", {}).get("tags", [])
    return isinstance(tags, list) and CHECK_TAG in tags


def load_solution(path):
    """Read the solution notebook and its check cells, or raise SolutionError.

    Every check cell must carry positive integer points and stored outputs from an execution
    (nbval compares nothing for a cell that was never run, which would pass anything).
    """
    path = Path(path)
    if not path.is_file():
        raise SolutionError(f"solution notebook not found: {path}")
    try:
        nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
    except Exception as exc:  # nbformat raises several kinds of errors for a bad file
        raise SolutionError(f"cannot read the solution notebook {path}: {exc}") from None
    ids = [cell.get("id") for cell in nb.cells]
    if None in ids or len(set(ids)) != len(ids):
        raise SolutionError(f"{path}: every cell needs a unique id (nbformat 4.5 or later)")
    checks = []
    for position, cell in enumerate(nb.cells):
        if not is_check(cell):
            continue
        where = f"{path}: check cell {cell.id}"
        if cell.cell_type != "code":
            raise SolutionError(f"{where} is not a code cell")
        points = cell.metadata.get("points")
        if not isinstance(points, int) or isinstance(points, bool) or points <= 0:
            raise SolutionError(f"{where} needs positive integer points in its metadata")
        if cell.get("execution_count") is None or not cell.get("outputs"):
            raise SolutionError(
                f"{where} has no stored output; execute the solution first "
                "(python -m rnnlib.execute SOLUTION.ipynb)"
            )
        checks.append(
            Check(
                id=cell.id,
                position=position,
                source=cell.source,
                outputs=json.loads(json.dumps(cell.outputs)),
                execution_count=cell.execution_count,
                metadata=json.loads(json.dumps(cell.metadata)),
                points=points,
            )
        )
    if not checks:
        raise SolutionError(f"{path} has no check cells (code cells tagged {CHECK_TAG!r})")
    return Solution(path=str(path), cell_ids=tuple(ids), checks=tuple(checks))


def read_submission(path):
    """The submission at `path` as a notebook node, or SubmissionError saying what is wrong."""
    path = Path(path)
    if not path.exists():
        raise SubmissionError("file not found")
    if not path.is_file():
        raise SubmissionError("not a file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SubmissionError(f"cannot read the file: {exc.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise SubmissionError("not a readable notebook: the file is not UTF-8 text") from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. cells without ids: handled when rebuilding
            nb = nbformat.reads(text, as_version=4)
    except Exception as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SubmissionError(f"not a readable notebook: {first_line[:300]}") from None
    if not isinstance(nb.get("cells"), list):
        raise SubmissionError("not a readable notebook: it has no list of cells")
    return nb


def _source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def build_graded_notebook(solution, submission):
    """The notebook nbval runs: the submission's code cells in their order, with each check
    cell replaced by the solution's, outputs included as the expected ones.

    - Check cells are matched by cell id. A check whose id is not found is matched to a cell
      with exactly its source (notebooks saved without cell ids, nbformat 4.4).
    - A student's own code cells keep their source only: no outputs, no execution count and
      no metadata, so nbval runs them without comparing anything (and ignores nbval tags a
      student may have added).
    - A check cell the student deleted (or changed beyond recognition) is put back after the
      nearest earlier solution cell that is still there; failing that, just before the next
      check that is there, or at the end: it still runs after the code it checks.
    - Markdown and raw cells are left out: they are not graded.

    Returns (notebook, notes): notes are sentences for the feedback, such as restored checks.
    """
    cells_in = [c for c in submission.get("cells", []) if isinstance(c, dict)]
    assigned = {}  # index in cells_in -> Check
    for k, cell in enumerate(cells_in):
        cell_id = cell.get("id")
        check = solution.check(cell_id) if isinstance(cell_id, str) else None
        if check is not None and check.id not in {c.id for c in assigned.values()}:
            assigned[k] = check
    for check in solution.checks:
        if check.id in {c.id for c in assigned.values()}:
            continue
        for k, cell in enumerate(cells_in):
            if k not in assigned and cell.get("cell_type") == "code" \
                    and _source(cell) == check.source:
                assigned[k] = check
                break

    notes, cells, used_ids = [], [], set()
    for k, cell in enumerate(cells_in):
        if k in assigned:
            cells.append(_check_cell(assigned[k]))
            used_ids.add(assigned[k].id)
            continue
        if cell.get("cell_type") != "code":
            continue
        cell_id = cell.get("id")
        new_id = cell_id if isinstance(cell_id, str) and CELL_ID.match(cell_id) else None
        if new_id is None or new_id in used_ids or solution.check(new_id) is not None:
            new_id = f"student-cell-{k}"
            while new_id in used_ids:
                new_id += "-x"
        used_ids.add(new_id)
        cells.append(new_code_cell(_source(cell), id=new_id))

    present = {c.id for c in assigned.values()}
    for check in solution.checks:
        if check.id in present:
            continue
        notes.append(f"Check cell `{check.id}` was missing from the notebook; it was restored.")
        cells.insert(_restore_position(solution, check, cells), _check_cell(check))
        present.add(check.id)
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    return nb, notes


def _restore_position(solution, check, cells):
    """Where a missing check goes in `cells` (see build_graded_notebook)."""
    ids = [c.id for c in cells]
    for prior in reversed(solution.cell_ids[: check.position]):
        if prior in ids:
            return ids.index(prior) + 1
    later_checks = [c.id for c in solution.checks if c.position > check.position]
    for later in later_checks:
        if later in ids:
            return ids.index(later)
    return len(cells)


def _check_cell(check):
    cell = new_code_cell(check.source, id=check.id)
    cell.metadata = nbformat.from_dict(json.loads(json.dumps(check.metadata)))
    cell.outputs = [nbformat.from_dict(o) for o in json.loads(json.dumps(check.outputs))]
    cell.execution_count = check.execution_count
    return cell
