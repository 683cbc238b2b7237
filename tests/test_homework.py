"""The homework built from each chapter's exercises (tools/build_assignments.py), graded by otter.

Every chapter's assignment is graded with `otter run` (otter.run.main, the function behind the
command) on: the solutions notebook (full marks), the untouched student notebook (zero), two
notebooks with a wrong answer (the metadata's "wrong") in every other question (exactly those
fail), and, for two chapters, answers that raise, never end or flood the output (each scores
zero, the rest still full). The gradings run in two processes that import otter once each.
"""
import ast
import json
import multiprocessing
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import build_assignments as hw  # noqa: E402

CHAPTERS = hw.chapters()
HOSTILE = {  # chapter -> the misbehavior of each of its first three tasks
    "01_linear_regression": ("loop", "flood", "raise"),
    "05_concise": ("raise at top level", "flood", "raise"),
}
MESSAGES = {"loop": "ran longer than", "flood": "printed more than", "raise": "ZeroDivisionError",
            "raise at top level": "not defined"}


def test_every_chapter_has_an_assignment_with_enough_autograded_questions():
    counts = {path.stem: len(hw.tasks(path)) for path in CHAPTERS}
    assert len(counts) == 7, counts
    assert all(count >= 3 for count in counts.values()), counts
    assert sum(counts.values()) >= 21, counts


def test_every_exercise_is_a_question():
    for path in CHAPTERS:
        exercises = hw.load(path)[1]
        assert exercises, path.stem
        master, _ = hw.master_notebook(path)
        manual = [c for c in master.cells if c.cell_type == "raw" and "manual: true" in c.source]
        assert len(manual) == sum(1 for e in exercises if e.spec.get("points", 1)), path.stem
        assert len(manual) == len(exercises), f"{path.stem}: an exercise has no question"


# --- bad metadata stops the build, naming chapter and exercise ---------------------------

def _broken_copy(tmp_path, change):
    """Chapter 4 copied to tmp_path with its homework metadata changed by `change`."""
    path = ROOT / "chapters" / "04_from_scratch.ipynb"
    nb = nbformat.read(path, as_version=4)
    change(nb)
    copy = tmp_path / path.name
    nbformat.write(nb, copy)
    return copy


def _spec_cell(nb, number):
    return next(c for c in nb.cells if str(number) in c.metadata.get("homework", {}).get("exercises", {}))


def test_a_missing_setup_cell_fails_the_build(tmp_path):
    def change(nb):
        meta = next(c.metadata["homework"] for c in nb.cells if "setup" in c.metadata.get("homework", {}))
        meta["setup"] = meta["setup"] + ["no-such-cell"]
    with pytest.raises(hw.HomeworkError, match=r"04_from_scratch: setup names cell 'no-such-cell'"):
        hw.build(_broken_copy(tmp_path, change), output=tmp_path / "out")


def test_tests_without_a_solution_fail_the_build(tmp_path):
    def change(nb):
        _spec_cell(nb, 8).metadata["homework"]["exercises"]["8"]["tasks"][0]["solution"] = ""
    with pytest.raises(hw.HomeworkError, match=r"04_from_scratch, exercise 8, task q8_robust_losses: "
                                               r"tests with no solution"):
        hw.build(_broken_copy(tmp_path, change), output=tmp_path / "out")


def test_metadata_on_the_wrong_cell_or_exercise_fails_the_build(tmp_path):
    def change(nb):
        cell = _spec_cell(nb, 3)
        cell.metadata["homework"]["exercises"]["12"] = cell.metadata["homework"]["exercises"].pop("3")
    with pytest.raises(hw.HomeworkError, match=r"04_from_scratch, exercise 12: .* exercises 1 to 9"):
        hw.build(_broken_copy(tmp_path, change), output=tmp_path / "out")


def test_a_task_without_hidden_tests_fails_the_build(tmp_path):
    def change(nb):
        _spec_cell(nb, 4).metadata["homework"]["exercises"]["4"]["tasks"][0]["hidden"] = []
    with pytest.raises(hw.HomeworkError, match=r"04_from_scratch, exercise 4, task q4_hessian: "
                                               r"needs at least one hidden test"):
        hw.build(_broken_copy(tmp_path, change), output=tmp_path / "out")


# --- the built notebooks ------------------------------------------------------------------

@pytest.fixture(scope="module")
def built():
    """chapter -> the folder of its built assignment (built now if stale)."""
    return {path.stem: hw.build(path) for path in CHAPTERS}


def _notebook(folder, kind):
    return nbformat.read(folder / kind / f"{folder.name}.ipynb", as_version=4)


def _text(nb):
    """Every cell's source and the notebook's metadata (where otter keeps the public tests)."""
    return "\n".join([c.source for c in nb.cells] + [json.dumps(nb.metadata)])


def _flat(text):
    return " ".join(text.split())


@pytest.mark.slow
def test_student_notebooks_hold_no_solution(built):
    for path in CHAPTERS:
        student = _text(_notebook(built[path.stem], "student"))
        teacher = _text(_notebook(built[path.stem], "autograder"))
        _, exercises, _ = hw.load(path)
        given = "\n".join(task["starter"] for e in exercises for task in e.spec.get("tasks", []))
        code_lines = {line.strip() for e in exercises for source in
                      e.code + [t["solution"] for t in e.spec.get("tasks", [])]
                      for line in source.split("\n")}
        code_lines = {line for line in code_lines if len(line) > 15 and line not in given}
        prose = {sentence for e in exercises
                 for sentence in re.split(r"(?<=[.:?])\s", _flat(hw._unlink("\n".join(e.solution))))}
        prose = {sentence for sentence in prose if len(sentence) > 40}
        assert len(code_lines) > 5 and len(prose) > 5, path.stem
        leaked = [line for line in code_lines if line in student]
        leaked += [sentence for sentence in prose if sentence in _flat(student)]
        assert not leaked, f"{path.stem}: the student notebook holds {leaked[:3]}"
        missing = [line for line in code_lines if line not in teacher]
        missing += [sentence for sentence in prose if sentence not in _flat(teacher)]
        assert not missing, f"{path.stem}: the teachers' notebook lacks {missing[:3]}"


@pytest.mark.slow
def test_student_notebooks_ask_every_question(built):
    for path in CHAPTERS:
        nb = _notebook(built[path.stem], "student")
        checks = [c.source for c in nb.cells if c.source.startswith("grader.check(")]
        names = [task["name"] for task in hw.tasks(path)]
        assert checks and checks == [f'grader.check("{name}")' for name in names], path.stem
        answers = [c for c in nb.cells if "otter_answer_cell" in c.metadata.get("tags", [])]
        assert sum(c.cell_type == "code" and "..." in c.source for c in answers) == len(names)
        assert sum(c.cell_type == "markdown" for c in answers) == len(hw.load(path)[1])
        assert hw.autograder_zip(built[path.stem]).exists()


# --- grading -----------------------------------------------------------------------------

def _answer_cell(nb, task):
    cells = [c for c in nb.cells if c.cell_type == "code" and task["solution"].strip() in c.source]
    assert len(cells) == 1, task["name"]
    return cells[0]


def _defined_names(code):
    return [node.name for node in ast.parse(code).body
            if isinstance(node, (ast.FunctionDef, ast.ClassDef))]


def _misbehaving(task, kind):
    """The task's solution, whose functions and classes raise, loop or flood when called."""
    if kind == "raise at top level":
        return "raise ZeroDivisionError('the answer cell fails')\n" + task["solution"]
    body = {"raise": "raise ZeroDivisionError('a bug')", "loop": "while True:\n            pass",
            "flood": "while True:\n            print('flood ' * 100)"}[kind]
    return (task["solution"] + "\n\n\ndef misbehave(original):\n    def call(*args, **kwargs):\n"
            f"        {body}\n    return call\n\n\n"
            + "".join(f"{name} = misbehave({name})\n" for name in _defined_names(task["solution"])))


def _variants(folder, path):
    """(label, notebook, {task name: should pass}) for the gradings of one chapter."""
    tasks = hw.tasks(path)
    solutions = _notebook(folder, "autograder")
    yield "solutions", solutions, {t["name"]: True for t in tasks}
    yield "blank", _notebook(folder, "student"), {t["name"]: False for t in tasks}
    for parity in (0, 1):
        nb = _notebook(folder, "autograder")
        for i, task in enumerate(tasks):
            if i % 2 == parity:
                _answer_cell(nb, task).source = task["wrong"]
        yield f"wrong {'even' if parity == 0 else 'odd'}", nb, {
            t["name"]: i % 2 != parity for i, t in enumerate(tasks)}
    if path.stem in HOSTILE:
        nb = _notebook(folder, "autograder")
        kinds = dict(zip([t["name"] for t in tasks], HOSTILE[path.stem]))
        for task in tasks:
            if task["name"] in kinds:
                _answer_cell(nb, task).source = _misbehaving(task, kinds[task["name"]])
        yield "misbehaving", nb, {t["name"]: t["name"] not in kinds for t in tasks}, kinds


def _grade(job):
    """Grade one notebook with otter run; return {question: (score, possible, messages)}."""
    import contextlib
    import io
    import otter.run
    notebook_path, autograder = job
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        results = otter.run.main(notebook_path, autograder=autograder, output_dir=None,
                                 no_logo=True)
    return {name: (results.get_score(name), results.get_result(name).possible,
                   " ".join(r.message for r in results.get_result(name).test_case_results))
            for name in results.test_files}


@pytest.fixture(scope="module")
def quick_kernels(tmp_path_factory):
    """The kernels that otter starts import otter, hence nbformat and jsonschema, which would
    import rfc3987_syntax and compile its grammars (1.6 s a kernel): an IPython start-up file
    hides it from them, as conftest.py does in this process."""
    folder = tmp_path_factory.mktemp("ipython")
    startup = folder / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-quick-jsonschema.py").write_text(
        'import sys\nsys.modules.setdefault("rfc3987_syntax", None)\n')
    previous = os.environ.get("IPYTHONDIR")
    os.environ["IPYTHONDIR"] = str(folder)
    yield
    if previous is None:
        del os.environ["IPYTHONDIR"]
    else:
        os.environ["IPYTHONDIR"] = previous


@pytest.fixture(scope="module")
def graded(built, quick_kernels, tmp_path_factory):
    """[(chapter, label, expected, kinds, scores)] for every grading of every chapter."""
    folder = tmp_path_factory.mktemp("submissions")
    plans, jobs = [], []
    for path in CHAPTERS:
        for variant in _variants(built[path.stem], path):
            label, nb, expected = variant[:3]
            kinds = variant[3] if len(variant) > 3 else {}
            submission = folder / f"{path.stem}-{label.replace(' ', '_')}" / f"{path.stem}.ipynb"
            submission.parent.mkdir()
            nbformat.write(nb, submission)
            plans.append((path.stem, label, expected, kinds))
            jobs.append((str(submission), str(hw.autograder_zip(built[path.stem]))))
    with multiprocessing.get_context("fork").Pool(2) as pool:
        results = pool.map(_grade, jobs, chunksize=1)
    return [plan + (result,) for plan, result in zip(plans, results)]


@pytest.mark.slow
def test_solutions_get_full_marks_and_blank_notebooks_zero(graded):
    full = [g for g in graded if g[1] == "solutions"]
    blank = [g for g in graded if g[1] == "blank"]
    assert len(full) == len(blank) == 7
    for chapter, _, expected, _, scores in full:
        assert set(scores) == set(expected), chapter
        assert all(score == possible > 0 for score, possible, _ in scores.values()), (chapter, scores)
    for chapter, _, expected, _, scores in blank:
        assert set(scores) == set(expected), chapter
        assert all(score == 0 for score, _, _ in scores.values()), (chapter, scores)


@pytest.mark.slow
def test_each_wrong_answer_fails_its_own_question_only(graded):
    wrong = [g for g in graded if g[1].startswith("wrong")]
    assert len(wrong) == 14
    tried = 0
    for chapter, label, expected, _, scores in wrong:
        for name, should_pass in expected.items():
            score, possible, messages = scores[name]
            assert (score == possible) == should_pass, (chapter, label, name, messages)
            tried += not should_pass
    assert tried == sum(len(hw.tasks(path)) for path in CHAPTERS)


@pytest.mark.slow
def test_an_answer_that_raises_loops_or_floods_scores_zero_there_only(graded):
    hostile = [g for g in graded if g[1] == "misbehaving"]
    assert len(hostile) == len(HOSTILE)
    for chapter, _, expected, kinds, scores in hostile:
        assert len(kinds) == 3 and sum(expected.values()) >= 1, chapter
        for name, should_pass in expected.items():
            score, possible, messages = scores[name]
            if should_pass:
                assert score == possible > 0, (chapter, name, messages)
            else:
                assert score == 0, (chapter, name, messages)
                assert MESSAGES[kinds[name]] in messages, (chapter, name, messages)


@pytest.mark.slow
def test_the_teachers_command_grades_a_folder(built, quick_kernels, tmp_path):
    """tools/grade_homework.py, the command in the README, on a solved and a blank notebook."""
    folder = built["02_object_oriented_design"]
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    (submissions / "alice.ipynb").write_bytes((folder / "autograder" / f"{folder.name}.ipynb").read_bytes())
    (submissions / "bob.ipynb").write_bytes((folder / "student" / f"{folder.name}.ipynb").read_bytes())
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "grade_homework.py"), folder.name,
                          str(submissions), "-o", str(tmp_path / "results")],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    rows = (tmp_path / "results" / "scores.csv").read_text().strip().split("\n")
    header, alice, bob = rows[0].split(","), rows[1].split(","), rows[2].split(",")
    questions = len(hw.tasks(ROOT / "chapters" / f"{folder.name}.ipynb"))
    assert questions > 0 and len(header) == questions + 3, header
    assert alice[0] == "alice.ipynb" and float(alice[-2]) == 6.0, rows
    assert bob[0] == "bob.ipynb" and float(bob[-2]) == 0.0, rows


@pytest.mark.slow
def test_the_homework_page_links_every_student_notebook_the_site_holds(built, tmp_path):
    links = re.findall(r'href="(homework/[^"]+\.ipynb)" download', (ROOT / "homework.md").read_text())
    assert links == [f"homework/{path.stem}.ipynb" for path in CHAPTERS]
    copies = [copy for path in CHAPTERS for copy in hw.publish(built[path.stem], tmp_path)]
    assert len(copies) == 3 * len(CHAPTERS)
    for link in links:
        assert (tmp_path / link).read_bytes() == (built[Path(link).stem] / "student" / Path(link).name).read_bytes()
    assert sorted(p.name for p in (tmp_path / "homework" / "teachers").iterdir()) == sorted(
        name for path in CHAPTERS for name in (f"{path.stem}-solutions.ipynb", f"{path.stem}-autograder.zip"))


@pytest.mark.slow
def test_a_submission_over_the_time_limit_scores_zero_with_a_note(built, tmp_path):
    import grade_homework
    folder = built["02_object_oriented_design"]
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    (submissions / "carol.ipynb").write_bytes((folder / "student" / f"{folder.name}.ipynb").read_bytes())
    table = grade_homework.grade_folder(folder.name, submissions, tmp_path / "results", timeout=0.5)
    rows = table.read_text().strip().split("\n")
    assert len(rows) == 2 and rows[1].startswith("carol.ipynb,0,"), rows
    assert "stopped after 0.5 s" in rows[1], rows
