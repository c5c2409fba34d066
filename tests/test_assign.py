"""rnnlib.assign: solution regions become placeholders, and exercises/ is in sync with
solutions/."""
import ast
import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from rnnlib.assign import AssignError, assign, exercise_text, main, make_exercise

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))


def notebook(*cells):
    return new_notebook(cells=list(cells))


def code(source, cell_id, **metadata):
    cell = new_code_cell(source, id=cell_id, execution_count=3)
    cell.outputs = [new_output("stream", name="stdout", text="something\n")]
    cell.metadata.update(metadata)
    return cell


CHECK = {"tags": ["check"], "points": 2}


def test_code_region_becomes_a_placeholder_at_its_indentation():
    source = ("def f(x):\n    \"\"\"Doc.\"\"\"\n    ### BEGIN SOLUTION Exercise 9.1: write f\n"
              "    y = x + 1\n    return y\n    ### END SOLUTION\n\nprint('kept')")
    nb = make_exercise(notebook(code(source, "a")))
    assert nb.cells[0].source == (
        'def f(x):\n    """Doc."""\n    # YOUR CODE HERE\n'
        '    raise NotImplementedError("Exercise 9.1: write f")\n\nprint(\'kept\')')


def test_region_without_message_and_top_level_region():
    nb = make_exercise(notebook(code("a = 1\n### BEGIN SOLUTION\nb = 2\n### END SOLUTION", "a")))
    assert nb.cells[0].source == (
        'a = 1\n# YOUR CODE HERE\nraise NotImplementedError("write your solution here")')


def test_markdown_region_becomes_an_answer_line():
    cell = new_markdown_cell("Why?\n\n### BEGIN SOLUTION\nBecause.\n### END SOLUTION", id="m")
    nb = make_exercise(notebook(cell, code("### BEGIN SOLUTION\nx = 1\n### END SOLUTION", "c")))
    assert nb.cells[0].source == "Why?\n\n**Your answer:** (write it here)"


def test_outputs_and_counts_cleared_ids_tags_and_points_kept():
    solution = notebook(
        code("### BEGIN SOLUTION\nx = 1\n### END SOLUTION", "answer"),
        code("print(x == 1)", "check", **CHECK),
    )
    nb = make_exercise(solution)
    assert [c.id for c in nb.cells] == ["answer", "check"]
    assert all(c.outputs == [] and c.execution_count is None for c in nb.cells)
    assert nb.cells[1].metadata == CHECK
    assert nb.cells[1].source == "print(x == 1)"
    # the solution itself is left alone
    assert solution.cells[0].outputs and "BEGIN SOLUTION" in solution.cells[0].source


def test_binder_link_points_at_the_exercise():
    link = "(https://mybinder.org/v2/gh/o/r/HEAD?urlpath=lab/tree/solutions/01-x.ipynb)"
    nb = make_exercise(notebook(new_markdown_cell(f"# T\n[![b]({link})", id="t"),
                                code("### BEGIN SOLUTION\n### END SOLUTION", "c")))
    assert "lab/tree/exercises/01-x.ipynb" in nb.cells[0].source


@pytest.mark.parametrize("cells, message", [
    ([code("### BEGIN SOLUTION\nx = 1", "a")], "never closed"),
    ([code("x = 1\n### END SOLUTION", "a")], "without"),
    ([code("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", "a")], "inside another"),
    ([code("### BEGIN SOLUTION\n### END SOLUTION", "a"), code("print(1)", "b", tags=["check"])],
     "points"),
    ([code("### BEGIN SOLUTION\n### END SOLUTION", "a", **CHECK)], "cannot hold"),
    ([code("x = 1", "a")], "no solution region"),
])
def test_broken_solutions_are_refused(cells, message):
    with pytest.raises(AssignError, match=message):
        make_exercise(notebook(*cells))


def test_duplicate_cell_ids_are_refused():
    nb = notebook(code("### BEGIN SOLUTION\n### END SOLUTION", "a"), code("x", "b"))
    nb.cells[1].id = "a"  # new_notebook would have repaired a duplicate given to it
    with pytest.raises(AssignError, match="unique id"):
        make_exercise(nb)


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_exercises_are_up_to_date(solution):
    exercise = ROOT / "exercises" / solution.name
    assert exercise.is_file(), f"{exercise} is missing: run make exercises"
    assert exercise.read_text(encoding="utf-8") == exercise_text(solution), (
        f"{exercise} is out of date: run make exercises")


def test_there_are_two_exercises():
    assert [p.name for p in SOLUTIONS] == [
        "01-build-a-recurrent-unit.ipynb", "02-train-through-time.ipynb"]
    assert assign(ROOT / "solutions", ROOT / "exercises", check=True) == []


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_exercise_hides_every_solution_and_keeps_every_check(solution):
    sol = nbformat.read(str(solution), as_version=4)
    ex = nbformat.read(str(ROOT / "exercises" / solution.name), as_version=4)
    assert [c.id for c in ex.cells] == [c.id for c in sol.cells]
    text = json.dumps(ex)
    assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
    for s, e in zip(sol.cells, ex.cells):
        if "check" in s.metadata.get("tags", []):
            assert (e.source, e.metadata) == (s.source, s.metadata)
        if e.cell_type == "code":
            assert e.outputs == [] and e.execution_count is None
            ast.parse(e.source)  # the placeholders leave valid Python
    assert text.count("NotImplementedError(") >= 5


def test_cli_writes_then_checks(tmp_path):
    (tmp_path / "solutions").mkdir()
    solution = notebook(code("### BEGIN SOLUTION\nx = 1\n### END SOLUTION", "a"))
    nbformat.write(solution, str(tmp_path / "solutions" / "01-x.ipynb"))
    out = tmp_path / "exercises"
    assert main(["--check", str(tmp_path / "solutions"), str(out)]) == 1
    assert main([str(tmp_path / "solutions"), str(out)]) == 0
    assert main(["--check", str(tmp_path / "solutions"), str(out)]) == 0
    (out / "01-x.ipynb").write_text("{}")
    assert main(["--check", str(tmp_path / "solutions"), str(out)]) == 1
