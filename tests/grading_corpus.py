"""A tiny exercise and a corpus of synthetic submissions for tests/test_grade.py.

The tiny solution has three functions to write and three checks worth 1, 2 and 3 points. Its
outputs are written by hand (they are what executing it prints), so building it needs no
kernel. Each submission in CORPUS is built from the generated exercise, and EXPECTED says what
grading must make of it: the score, and the status of each check in order.
"""
import copy
import json

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from rnnlib.assign import make_exercise

ANSWERS = {
    "answer-add": "def add(a, b):\n    ### BEGIN SOLUTION Task 1: add\n    return a + b\n"
                  "    ### END SOLUTION",
    "answer-mul": "def mul(a, b):\n    ### BEGIN SOLUTION Task 2: multiply\n    return a * b\n"
                  "    ### END SOLUTION",
    "answer-mean": "def mean(xs):\n    ### BEGIN SOLUTION Task 3: the mean\n"
                   "    return sum(xs) / len(xs)\n    ### END SOLUTION",
}
CHECKS = {  # id: (source, expected output, points)
    "check-add": ('# Check 1 (1 point)\nprint("check 1 ok:", add(2, 3) == 5)',
                  "check 1 ok: True\n", 1),
    "check-mul": ('# Check 2 (2 points)\nprint("check 2 ok:", mul(4, 5) == 20)',
                  "check 2 ok: True\n", 2),
    "check-mean": ('# Check 3 (3 points)\nprint("mean of 1 to 4:", round(mean([1, 2, 3, 4]), 2))',
                   "mean of 1 to 4: 2.5\n", 3),
}
MAX_SCORE = 6


def _check_cell(cell_id, count):
    source, text, points = CHECKS[cell_id]
    cell = new_code_cell(source, id=cell_id, execution_count=count)
    cell.metadata = {"tags": ["check"], "points": points}
    cell.outputs = [new_output("stream", name="stdout", text=text)]
    return cell


def tiny_solution():
    """The executed solution notebook, as a NotebookNode."""
    cells = [new_markdown_cell("# A tiny exercise", id="title")]
    count = 0
    for answer, check in zip(ANSWERS, CHECKS):
        count += 1
        cells.append(new_code_cell(ANSWERS[answer], id=answer, execution_count=count))
        count += 1
        cells.append(_check_cell(check, count))
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    return nb


def _exercise():
    return make_exercise(tiny_solution())


def _with(nb, **sources):
    """nb with the code of the given answer cells replaced (keys use _ for -)."""
    nb = copy.deepcopy(nb)
    for key, source in sources.items():
        cell_id = key.replace("_", "-")
        cell = next(c for c in nb.cells if c.get("id") == cell_id)
        cell.source = source
    return nb


def _solved(nb):
    """nb with every answer written correctly (no markers: as a student would write it)."""
    return _with(nb, answer_add="def add(a, b):\n    return a + b",
                 answer_mul="def mul(a, b):\n    return a * b",
                 answer_mean="def mean(xs):\n    return sum(xs) / len(xs)")


def _build():
    ex = _exercise()
    corpus = {}

    corpus["correct.ipynb"] = tiny_solution()
    corpus["stripped-outputs.ipynb"] = _solved(ex)  # a correct answer, never executed

    corpus["partly-correct.ipynb"] = _with(
        _solved(ex), answer_mul="def mul(a, b):\n    return a + b")
    corpus["untouched.ipynb"] = ex

    tampered = copy.deepcopy(ex)
    for cell in tampered.cells:
        if cell.get("id") in CHECKS:
            _, text, _ = CHECKS[cell.id]
            cell.source = f"print({text.strip()!r})"  # prints the expected text, no work done
            cell.execution_count = 1
            cell.outputs = [new_output("stream", name="stdout", text=text)]
            cell.metadata["points"] = 100
    mean_check = next(c for c in tampered.cells if c.get("id") == "check-mean")
    tampered.cells[tampered.cells.index(mean_check)] = new_markdown_cell(
        "print('mean of 1 to 4: 2.5')", id="check-mean")
    corpus["tampered-checks.ipynb"] = tampered

    extra = _solved(ex)
    extra.cells.insert(2, new_code_cell("print('my own test:', add(1, 1))", id="mine-1"))
    extra.cells.insert(
        3, new_code_cell("raise ValueError('a cell of mine that fails')", id="mine-2"))
    extra.cells.insert(4, new_markdown_cell("Some notes of mine.", id="mine-3"))
    extra.cells.append(new_code_cell("x = [i * i for i in range(10)]\nx", id="mine-4"))
    corpus["extra-cells.ipynb"] = extra

    deleted = _solved(ex)
    deleted.cells = [c for c in deleted.cells if c.get("id") != "check-mul"]
    corpus["deleted-check.ipynb"] = deleted

    no_ids = _solved(ex)
    for cell in no_ids.cells:
        cell.pop("id", None)
    no_ids.nbformat_minor = 4
    corpus["no-cell-ids.ipynb"] = no_ids

    corpus["infinite-loop.ipynb"] = _with(
        _solved(ex), answer_mul="def mul(a, b):\n    while True:\n        pass")
    corpus["output-flood.ipynb"] = _with(  # prints without end, even through the interrupt
        _solved(ex), answer_mul="def mul(a, b):\n    while True:\n        try:\n"
                                "            print('flood ' * 200)\n"
                                "        except KeyboardInterrupt:\n            pass")
    corpus["kernel-dies.ipynb"] = _with(
        _solved(ex), answer_mul="import os\n\ndef mul(a, b):\n    os._exit(3)")
    corpus["huge-output.ipynb"] = _with(
        _solved(ex), answer_mul="def mul(a, b):\n    print('debug ' * 50_000)\n    return a * b")
    return corpus


CORPUS = _build()

# Files that are not notebooks at all, written as bytes.
BROKEN = {
    "malformed.ipynb": b'{"cells": [{"cell_type": "code", "source": "1 +',
    "not-a-notebook.ipynb": b"[1, 2, 3]",
    "empty.ipynb": b"",
    "binary.ipynb": bytes(range(256)),
}

P, F, E, T, N = "pass", "fail", "error", "timeout", "not-run"
EXPECTED = {  # name: (score, statuses of check-add, check-mul, check-mean)
    "correct.ipynb": (6, [P, P, P]),
    "stripped-outputs.ipynb": (6, [P, P, P]),
    "partly-correct.ipynb": (4, [P, F, P]),
    "untouched.ipynb": (0, [E, E, E]),
    "tampered-checks.ipynb": (0, [E, E, E]),
    "extra-cells.ipynb": (6, [P, P, P]),
    "deleted-check.ipynb": (6, [P, P, P]),
    "no-cell-ids.ipynb": (6, [P, P, P]),
    "infinite-loop.ipynb": (4, [P, T, P]),
    "output-flood.ipynb": (1, [P, T, N]),  # the kernel is stopped: nothing runs after it
    "kernel-dies.ipynb": (1, [P, E, N]),
    "huge-output.ipynb": (4, [P, F, P]),
    "malformed.ipynb": (0, [N, N, N]),
    "not-a-notebook.ipynb": (0, [N, N, N]),
    "empty.ipynb": (0, [N, N, N]),
    "binary.ipynb": (0, [N, N, N]),
    "missing.ipynb": (0, [N, N, N]),  # never written
}


def write_solution(path):
    nbformat.write(tiny_solution(), str(path))
    return path


def write_corpus(folder, names=None):
    """Write the corpus into folder; returns {name: path} for the names asked (default: all)."""
    names = list(EXPECTED) if names is None else names
    paths = {}
    for name in names:
        path = folder / name
        if name in CORPUS:
            nb = CORPUS[name]
            if name == "no-cell-ids.ipynb":  # nbformat.write would add ids back
                path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
            else:
                nbformat.write(nb, str(path))
        elif name in BROKEN:
            path.write_bytes(BROKEN[name])
        paths[name] = path
    return paths
