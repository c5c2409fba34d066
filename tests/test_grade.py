"""rnnlib.grade: a corpus of synthetic submissions (tests/grading_corpus.py) graded against a
tiny solution, the real solutions against themselves and their untouched exercises, and the
command line. Grading starts kernels, so the corpus is graded once per module and shared."""
import csv
import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

import rnnlib.grade as grade
from grading_corpus import EXPECTED, MAX_SCORE, write_corpus, write_solution
from rnnlib.assign import make_exercise
from rnnlib.grade.notebook import SolutionError, build_graded_notebook, load_solution
from rnnlib.grade.report import MAX_REPORT_CHARS, feedback_names

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
CELL_TIMEOUT = 4  # seconds; short, so that the infinite loop costs little


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest() if Path(path).exists() else None


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Grade the whole corpus once. Returns (results by name, paths, hashes before, after)."""
    folder = tmp_path_factory.mktemp("corpus")
    solution = write_solution(folder / "solution.ipynb")
    paths = write_corpus(folder)
    files = [solution, *paths.values()]
    before = {str(p): sha256(p) for p in files}
    results = grade.grade(solution, [str(p) for p in paths.values()], cell_timeout=CELL_TIMEOUT)
    after = {str(p): sha256(p) for p in files}
    return dict(zip(paths, results)), paths, before, after


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_submission_gets_its_score(corpus, name):
    results, _, _, _ = corpus
    result = results[name]
    score, statuses = EXPECTED[name]
    assert [c.status for c in result.cells] == statuses, result.as_dict()
    assert result.score == score
    assert result.max_score == MAX_SCORE
    assert [c.id for c in result.cells] == ["check-add", "check-mul", "check-mean"]
    assert sum(c.points for c in result.cells) == result.score


def test_report_uses_the_path_as_given(corpus):
    results, paths, _, _ = corpus
    for name, result in results.items():
        assert result.as_dict()["submission"] == str(paths[name])


def test_grading_never_modifies_a_submission_or_the_solution(corpus):
    _, _, before, after = corpus
    assert before == after


def test_unreadable_notebooks_are_recorded_as_errors(corpus):
    results, _, _, _ = corpus
    for name in ("malformed.ipynb", "not-a-notebook.ipynb", "empty.ipynb", "binary.ipynb"):
        assert "not a readable notebook" in results[name].error
    assert results["missing.ipynb"].error == "file not found"
    for name in ("correct.ipynb", "partly-correct.ipynb", "untouched.ipynb", "infinite-loop.ipynb"):
        assert results[name].error is None


def test_untouched_exercise_says_not_implemented(corpus):
    results, _, _, _ = corpus
    for cell in results["untouched.ipynb"].cells:
        assert cell.got.startswith("NotImplementedError: Task")


def test_tampered_checks_are_restored_from_the_solution(corpus):
    results, _, _, _ = corpus
    result = results["tampered-checks.ipynb"]
    assert result.max_score == MAX_SCORE  # the points in the student's metadata do not count
    assert all("NotImplementedError" in c.got for c in result.cells)


def test_a_deleted_check_is_restored_and_noted(corpus):
    results, _, _, _ = corpus
    assert any("check-mul" in note for note in results["deleted-check.ipynb"].notes)


def test_failing_student_cells_are_noted_but_not_graded(corpus):
    results, _, _, _ = corpus
    notes = results["extra-cells.ipynb"].notes
    assert any("ValueError: a cell of mine that fails" in note for note in notes)


def test_expected_and_got_are_reported(corpus):
    results, _, _, _ = corpus
    mul = results["partly-correct.ipynb"].cells[1]
    assert (mul.expected, mul.got) == ("check 2 ok: True\n", "check 2 ok: False\n")


def test_infinite_loop_times_out_and_later_cells_still_run(corpus):
    results, _, _, _ = corpus
    result = results["infinite-loop.ipynb"]
    assert "KeyboardInterrupt" in result.cells[1].got
    assert result.cells[2].got == "mean of 1 to 4: 2.5\n"
    assert result.seconds < CELL_TIMEOUT + 20


def test_output_flood_is_stopped(corpus):
    results, _, _, _ = corpus
    result = results["output-flood.ipynb"]
    assert "flood flood" in result.cells[1].got and "[output truncated" in result.cells[1].got
    assert result.seconds < CELL_TIMEOUT + 30


def test_kernel_death_is_reported(corpus):
    results, _, _, _ = corpus
    result = results["kernel-dies.ipynb"]
    assert "the kernel died (exit code 3)" in result.error
    assert "cells after it were not run" in result.error


def test_huge_output_is_truncated(corpus):
    results, _, _, _ = corpus
    got = results["huge-output.ipynb"].cells[1].got
    assert len(got) < MAX_REPORT_CHARS + 200
    assert "[output truncated: 300" in got


def test_kernel_death_is_noticed_in_seconds_not_at_the_timeout(tmp_path):
    solution = write_solution(tmp_path / "solution.ipynb")
    paths = write_corpus(tmp_path, ["kernel-dies.ipynb"])
    start = time.monotonic()
    (result,) = grade.grade(solution, [paths["kernel-dies.ipynb"]], cell_timeout=120)
    assert [c.status for c in result.cells] == ["pass", "error", "not-run"]
    assert time.monotonic() - start < 30  # far below the 120 s cell timeout


def test_solution_is_read_before_any_student_code_runs(tmp_path):
    """A submission that overwrites the solution file changes nothing for the others."""
    solution = write_solution(tmp_path / "solution.ipynb")
    paths = write_corpus(tmp_path, ["correct.ipynb"])
    hostile = nbformat.read(str(paths["correct.ipynb"]), as_version=4)
    hostile.cells.insert(1, nbformat.v4.new_code_cell(
        f"open({str(solution)!r}, 'w').write('overwritten by a student')", id="hostile"))
    nbformat.write(hostile, str(tmp_path / "hostile.ipynb"))
    submissions = [tmp_path / "hostile.ipynb", paths["correct.ipynb"]]
    results = grade.grade(solution, submissions, cell_timeout=CELL_TIMEOUT, jobs=1)
    assert solution.read_text() == "overwritten by a student"  # the attack did happen
    assert [r.score for r in results] == [MAX_SCORE, MAX_SCORE]


def test_a_run_where_no_kernel_started_is_tried_again(tmp_path, monkeypatch):
    solution = load_solution(write_solution(tmp_path / "solution.ipynb"))
    paths = write_corpus(tmp_path, ["correct.ipynb"])
    real_run, calls = grade._run, []

    def kernel_fails_once(*args):
        calls.append(args)
        if len(calls) > 1:  # the first run leaves every check "not-run", as a dead start does
            real_run(*args)

    monkeypatch.setattr(grade, "_run", kernel_fails_once)
    result = grade.grade_submission(solution, paths["correct.ipynb"], cell_timeout=CELL_TIMEOUT)
    assert len(calls) == 2
    assert result.score == MAX_SCORE and result.error is None


def test_checks_are_matched_by_id_even_when_moved(tmp_path):
    solution = load_solution(write_solution(tmp_path / "solution.ipynb"))
    paths = write_corpus(tmp_path, ["stripped-outputs.ipynb"])
    nb = nbformat.read(str(paths["stripped-outputs.ipynb"]), as_version=4)
    graded, notes = build_graded_notebook(solution, nb)
    assert notes == []
    assert [c.id for c in graded.cells if "check" in c.metadata.get("tags", [])] == [
        "check-add", "check-mul", "check-mean"]
    assert all(c.outputs == [] and c.execution_count is None
               for c in graded.cells if "check" not in c.metadata.get("tags", []))


def test_an_unexecuted_or_checkless_solution_is_refused(tmp_path):
    nb = nbformat.read(str(write_solution(tmp_path / "solution.ipynb")), as_version=4)
    unexecuted = make_exercise(nb)  # same checks, no outputs
    nbformat.write(unexecuted, str(tmp_path / "unexecuted.ipynb"))
    with pytest.raises(SolutionError, match="no stored output"):
        load_solution(tmp_path / "unexecuted.ipynb")
    nb.cells = [c for c in nb.cells if "check" not in c.metadata.get("tags", [])]
    nbformat.write(nb, str(tmp_path / "checkless.ipynb"))
    with pytest.raises(SolutionError, match="no check cells"):
        load_solution(tmp_path / "checkless.ipynb")


# --- The real exercises ---------------------------------------------------------------------


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_real_solution_scores_full_and_untouched_exercise_zero(solution, tmp_path):
    exercise = ROOT / "exercises" / solution.name
    # A student who did only the first task: the solution's first answer cell in the exercise.
    sol_nb = nbformat.read(str(solution), as_version=4)
    partial = nbformat.read(str(exercise), as_version=4)
    first_answer = next(c for c in sol_nb.cells
                        if c.cell_type == "code" and "### BEGIN" in c.source)
    next(c for c in partial.cells if c.id == first_answer.id).source = first_answer.source
    nbformat.write(partial, str(tmp_path / "partial.ipynb"))
    loaded = load_solution(solution)
    first_check = loaded.checks[0]

    results = grade.grade(solution, [solution, exercise, tmp_path / "partial.ipynb"],
                          cell_timeout=60)
    full, untouched, partly = results
    assert (full.score, full.error) == (loaded.max_score, None), full.as_dict()
    assert {c.status for c in full.cells} == {"pass"}
    assert untouched.score == 0 and untouched.error is None
    assert {c.status for c in untouched.cells} == {"error"}
    assert partly.score == first_check.points
    assert [c.status for c in partly.cells][0] == "pass"


# --- Command line, reports, feedback --------------------------------------------------------


def run_cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "rnnlib.grade", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def test_cli_writes_json_csv_feedback_and_a_table(tmp_path):
    solution = write_solution(tmp_path / "solution.ipynb")
    subs = tmp_path / "subs"
    (subs / "alice").mkdir(parents=True)
    (subs / "bob").mkdir()
    alice = write_corpus(subs / "alice", ["correct.ipynb"])["correct.ipynb"]
    bob = write_corpus(subs / "bob", ["malformed.ipynb"])["malformed.ipynb"]
    alice = alice.rename(subs / "alice" / "ex.ipynb")
    bob = bob.rename(subs / "bob" / "ex.ipynb")
    given = ["subs/alice/ex.ipynb", "subs/bob/ex.ipynb"]
    done = run_cli("--solution", solution, "--json", "grades.json", "--csv", "grades.csv",
                   "--cell-timeout", CELL_TIMEOUT, *given, cwd=tmp_path)
    assert done.returncode == 0, done.stderr

    report = json.loads((tmp_path / "grades.json").read_text())
    assert [r["submission"] for r in report] == given
    for r in report:
        assert list(r) == ["submission", "score", "max_score", "error", "cells"]
        for c in r["cells"]:
            assert list(c) == ["id", "status", "points", "expected", "got"]
            assert c["status"] in {"pass", "fail", "error", "timeout", "not-run"}
    assert [(r["score"], r["max_score"]) for r in report] == [(6, 6), (0, 6)]
    assert report[0]["error"] is None and "not a readable notebook" in report[1]["error"]

    with open(tmp_path / "grades.csv", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["submission", "score", "max_score", "error"]
    assert rows[1] == ["subs/alice/ex.ipynb", "6", "6", ""]
    assert rows[2][:3] == ["subs/bob/ex.ipynb", "0", "6"] and rows[2][3]

    feedback = sorted(p.name for p in (tmp_path / "feedback").iterdir())
    assert feedback == ["alice__ex.md", "bob__ex.md"]
    text = (tmp_path / "feedback" / "alice__ex.md").read_text()
    assert "**6 / 6 points**" in text and "check 2 ok: True" in text

    assert "subs/alice/ex.ipynb" in done.stdout and "6/6" in done.stdout
    assert "0/6" in done.stdout


@pytest.mark.parametrize("args, message", [
    (["--solution", "nowhere.ipynb", "x.ipynb"], "solution notebook not found"),
    (["--solution", "solution.ipynb"], "required"),
    (["x.ipynb"], "--solution"),
    (["--solution", "solution.ipynb", "--cell-timeout", "0", "x.ipynb"], "positive"),
    (["--solution", "solution.ipynb", "--json", "no/such/dir/g.json", "x.ipynb"], "cannot write"),
    (["--solution", "unexecuted.ipynb", "x.ipynb"], "no stored output"),
])
def test_cli_usage_errors_exit_2(tmp_path, monkeypatch, capsys, args, message):
    nb = nbformat.read(str(write_solution(tmp_path / "solution.ipynb")), as_version=4)
    nbformat.write(make_exercise(nb), str(tmp_path / "unexecuted.ipynb"))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        grade.main(args)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "feedback").exists()


def test_feedback_names_are_distinct():
    assert feedback_names(["a/x/ex.ipynb", "a/y/ex.ipynb"]) == ["x__ex.md", "y__ex.md"]
    assert feedback_names(["ex.ipynb", "ex.ipynb"]) == ["ex.md", "ex-2.md"]
    assert feedback_names(["only/one.ipynb"]) == ["one.md"]


def test_fallback_sanitizer_matches_the_repository_file():
    from nbval.plugin import get_sanitize_patterns

    repo = (ROOT / "nbval_sanitize.cfg").read_text()
    assert get_sanitize_patterns(grade.FALLBACK_SANITIZER) == get_sanitize_patterns(repo)
    assert grade.sanitizer_rules() == repo
