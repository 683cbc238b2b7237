"""Build one otter-grader assignment per chapter from the chapter's own exercises.

    python tools/build_assignments.py [CHAPTER ...] [--site _build/html]   # default: every chapter

The chapter notebook is the only source. Its exercises (the markdown after "## Exercises",
each solution in a `<details>` block, solution code in cells tagged `hide-cell`) are read
afresh on every build; what the assignment adds lives in the metadata key "homework" of the
exercise's cells, which no reader of the chapter sees:

    "homework": {
      "setup": ["<cell id>", ...],          # once per chapter: the cells a student runs first
      "exercises": {
        "<n>": {                             # exercise n, on the cell holding its statement
          "points": 1,                       # the hand-graded answer (0: no written answer)
          "tasks": [{                        # the autograded questions of this exercise
            "name": "q1_best_constant", "points": 2,
            "prompt": "markdown", "starter": "code with ...", "solution": "code",
            "wrong": "a wrong answer (the tests' own check)",
            "public": ["assert ...", ...],   # checks the student can run
            "hidden": ["assert ...", ...]    # checks only the grader runs
          }]}}}

Every exercise becomes a hand-graded question (its statement; the teachers' notebook has the
chapter's solution), followed by its autograded tasks. The tool writes an otter "master"
notebook per chapter and runs `otter assign`, which writes `_build/assignments/<chapter>/`
with `student/` and `autograder/` (the solutions notebook and the autograder zip). A chapter
whose assignment hashes as last time is not built again. Bad metadata stops the build with a
message naming the chapter and the exercise.
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import sys
import symtable
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

# nbformat imports jsonschema, which would import rfc3987_syntax and compile its grammars
# (1.6 s) for format checks that this tool never makes (conftest.py does the same).
sys.modules.setdefault("rfc3987_syntax", None)
import nbformat  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "_build" / "assignments"
KEY = "homework"
TEST_SECONDS = 5            # each test's time limit: the answers are small
OUTPUT_LIMIT = 20_000       # characters an answer may print during one test
TASK_KEYS = {"name", "points", "prompt", "starter", "solution", "wrong", "public", "hidden"}
NAME = re.compile(r"^q[0-9a-z_]+$")
BOOK_LINK = re.compile(r"\[([^\]]+)\]\((?:glossary\.md|\d\d_[a-z_]+\.ipynb)(?:#[^)]*)?\)")
COLAB_OTTER = '    %pip install --quiet "otter-grader==7.0.0"\n'


class HomeworkError(Exception):
    """The homework metadata of a chapter is wrong; the message names chapter and exercise."""


@dataclass
class Exercise:
    number: int
    statement: List[str] = field(default_factory=list)
    solution: List[str] = field(default_factory=list)
    code: List[str] = field(default_factory=list)
    cells: List[str] = field(default_factory=list)
    spec: dict = field(default_factory=dict)


def chapters() -> List[Path]:
    return sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))


def _exercise_start(line: str, bold: bool, number: int) -> Optional[str]:
    """The rest of `line` if it starts exercise `number`, else None."""
    pattern = rf"\*\*{number}\.\*\*\s+" if bold else rf"{number}\.\s+"
    match = re.match(pattern, line)
    return line[match.end():] if match else None


def parse_exercises(nb, chapter: str) -> List[Exercise]:
    """The chapter's exercises: statement, solution prose and solution code of each."""
    start = next((i for i, cell in enumerate(nb.cells) if cell.cell_type == "markdown"
                  and re.search(r"^## Exercises", cell.source, re.M)), None)
    if start is None:
        raise HomeworkError(f"{chapter}: no '## Exercises' section")
    section = nb.cells[start:]
    text = "\n".join(c.source for c in section if c.cell_type == "markdown")
    bold = re.search(r"^\*\*1\.\*\*", text, re.M) is not None
    exercises: List[Exercise] = []
    in_details = False
    for index, cell in enumerate(section):
        if cell.cell_type == "code":
            if exercises and "hide-cell" in cell.metadata.get("tags", []):
                exercises[-1].code.append(cell.source)
            continue
        source = cell.source
        if index == 0:
            source = source[re.search(r"^## Exercises.*$", source, re.M).end():]
        for line in source.split("\n"):
            rest = None if in_details else _exercise_start(line, bold, len(exercises) + 1)
            if rest is not None:
                exercises.append(Exercise(len(exercises) + 1, [rest], cells=[cell.id]))
                indent = len(line) - len(rest)
                continue
            if not exercises:
                continue
            current = exercises[-1]
            stripped = line.strip()
            if stripped == "<details>":
                in_details = True
            elif stripped == "</details>":
                in_details = False
            elif stripped == "<summary>Solution</summary>":
                pass
            elif in_details or current.solution:
                current.solution.append(line)
            else:
                current.statement.append(line[indent:] if line[:indent].isspace() else line)
                if cell.id not in current.cells:
                    current.cells.append(cell.id)
    if not exercises:
        raise HomeworkError(f"{chapter}: no exercises found after '## Exercises'")
    return exercises


def _collect_specs(nb, chapter: str, exercises: List[Exercise]) -> List[str]:
    """Attach each exercise's metadata; return the setup cell ids."""
    ids = {cell.id for cell in nb.cells}
    by_number = {exercise.number: exercise for exercise in exercises}
    setup: Optional[List[str]] = None
    for cell in nb.cells:
        meta = cell.metadata.get(KEY)
        if meta is None:
            continue
        if "setup" in meta:
            if setup is not None:
                raise HomeworkError(f"{chapter}: 'setup' given twice (again on cell {cell.id})")
            setup = list(meta["setup"])
        for key, spec in meta.get("exercises", {}).items():
            number = int(key)
            where = f"{chapter}, exercise {number}"
            if number not in by_number:
                raise HomeworkError(f"{where}: metadata on cell {cell.id}, but the chapter "
                                    f"has exercises 1 to {len(exercises)} only")
            if cell.id not in by_number[number].cells:
                raise HomeworkError(f"{where}: metadata on cell {cell.id}, which does not hold "
                                    f"the exercise's statement (cells {by_number[number].cells})")
            _check_spec(spec, where, ids)
            by_number[number].spec = spec
    if setup is None:
        raise HomeworkError(f"{chapter}: no 'setup' cells named in the homework metadata")
    for cell_id in setup:
        if cell_id not in ids:
            raise HomeworkError(f"{chapter}: setup names cell {cell_id!r}, which the chapter "
                                f"does not have")
    return setup


def _check_spec(spec: dict, where: str, ids: set) -> None:
    points = spec.get("points", 1)
    if not isinstance(points, (int, float)) or points < 0:
        raise HomeworkError(f"{where}: points must be a number >= 0, got {points!r}")
    for task in spec.get("tasks", []):
        name = task.get("name", "?")
        what = f"{where}, task {name}"
        if not NAME.match(str(name)):
            raise HomeworkError(f"{what}: name must match {NAME.pattern}")
        unknown = set(task) - TASK_KEYS
        if unknown:
            raise HomeworkError(f"{what}: unknown keys {sorted(unknown)}")
        if not task.get("solution", "").strip():
            raise HomeworkError(f"{what}: tests with no solution to check them against")
        for key in ("prompt", "starter", "wrong"):
            if not task.get(key, "").strip():
                raise HomeworkError(f"{what}: '{key}' is missing")
        if "..." not in task["starter"]:
            raise HomeworkError(f"{what}: the starter has no '...' where the answer goes")
        for kind in ("public", "hidden"):
            tests = task.get(kind)
            if not tests or not all(isinstance(t, str) and t.strip() for t in tests):
                raise HomeworkError(f"{what}: needs at least one {kind} test")
            for test in tests:
                try:
                    compile(test, what, "exec")
                except SyntaxError as error:
                    raise HomeworkError(f"{what}: a {kind} test does not parse: {error}")
        if not isinstance(task.get("points"), (int, float)) or task["points"] <= 0:
            raise HomeworkError(f"{what}: points must be a number > 0")


def load(path: Path):
    """The chapter's notebook, exercises (with their metadata) and setup cell ids."""
    nb = nbformat.read(path, as_version=4)
    exercises = parse_exercises(nb, path.stem)
    setup = _collect_specs(nb, path.stem, exercises)
    names = [task["name"] for e in exercises for task in e.spec.get("tasks", [])]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise HomeworkError(f"{path.stem}: task names used twice: {sorted(duplicates)}")
    return nb, exercises, setup


def _free_names(body: str) -> List[str]:
    """Names a test body reads from the notebook (globals that are not builtins)."""
    table = symtable.symtable("def _test():\n" + textwrap.indent(body, "    "), "t", "exec")
    names, stack = set(), list(table.get_children())
    while stack:
        scope = stack.pop()
        names.update(s.get_name() for s in scope.get_symbols() if s.is_global())
        stack.extend(scope.get_children())
    import builtins
    return sorted(name for name in names if not hasattr(builtins, name))


def test_cell(name: str, body: str, hidden: bool) -> str:
    """An exception-based otter test: the body under a time limit and an output limit."""
    names = _free_names(body)
    lookup = ""
    if names:
        lookup = (f"    missing = [n for n in {tuple(names)!r} if n not in env]\n"
                  f"    assert not missing, 'not defined: ' + ', '.join(missing) + "
                  f"'; run every cell above this one first'\n"
                  f"    {', '.join(names)}, = [env[n] for n in {tuple(names)!r}]\n")
    return (f'""" # BEGIN TEST CONFIG\nhidden: {str(hidden).lower()}\n""" # END TEST CONFIG\n'
            f"def {name}(env):\n"
            f"    import contextlib, io, signal\n"
            f"{lookup}"
            f"    class CappedOutput(io.StringIO):\n"
            f"        def write(self, text):\n"
            f"            if self.tell() + len(text) > {OUTPUT_LIMIT}:\n"
            f"                raise RuntimeError('the answer printed more than {OUTPUT_LIMIT} "
            f"characters; stopped')\n"
            f"            return super().write(text)\n"
            f"    def stop(signum, frame):\n"
            f"        raise TimeoutError('the answer ran longer than {TEST_SECONDS} s; stopped')\n"
            f"    timed = hasattr(signal, 'setitimer')  # not on Windows: no time limit there\n"
            f"    if timed:\n"
            f"        previous = signal.signal(signal.SIGALRM, stop)\n"
            f"        signal.setitimer(signal.ITIMER_REAL, {TEST_SECONDS})\n"
            f"    try:\n"
            f"        with contextlib.redirect_stdout(CappedOutput()), "
            f"contextlib.redirect_stderr(CappedOutput()):\n"
            f"{textwrap.indent(body.strip(), ' ' * 12)}\n"
            f"    finally:\n"
            f"        if timed:\n"
            f"            signal.setitimer(signal.ITIMER_REAL, 0)\n"
            f"            signal.signal(signal.SIGALRM, previous)\n")


def _raw(text: str):
    return nbformat.v4.new_raw_cell(text)


def _title(nb) -> str:
    for cell in nb.cells:
        match = re.search(r"^# (.+)$", cell.source, re.M) if cell.cell_type == "markdown" else None
        if match:
            return match.group(1).strip()
    return "Homework"


def _unlink(markdown: str) -> str:
    """Links into the book (the glossary, other chapters) as plain text: the notebook travels alone."""
    return BOOK_LINK.sub(r"\1", markdown)


def _solution_markdown(exercise: Exercise) -> str:
    prose = _unlink("\n".join(exercise.solution).strip())
    code = "".join(f"\n\n```python\n{source.strip()}\n```" for source in exercise.code)
    return f"**Solution.**\n\n{prose}{code}"


def master_notebook(path: Path):
    """The otter master notebook of one chapter (deterministic, so it can be hashed)."""
    nb, exercises, setup = load(path)
    cells = [_raw(f"# ASSIGNMENT CONFIG\nname: {path.stem}\nexport_cell: false\n"
                  f"init_cell: false\ncheck_all_cell: false\nrun_tests: false\ntests:\n  ok_format: false\n"
                  f"generate: true\n")]
    number = path.stem.split("_")[0].lstrip("0")
    cells.append(nbformat.v4.new_markdown_cell(
        f"# Homework for chapter {number}: {_title(nb)}\n\n"
        f"The exercises of chapter {number}. Run the cells in order, from "
        f"the first. Questions that end in a `grader.check` cell are checked by code: "
        f"replace each `...` with your answer, then run the check. It tells you whether "
        f"the answer has the right form; your teacher's grader checks its values too. "
        f"Write the answers to the other questions in the cell below each of them."))
    by_id = {cell.id: cell for cell in nb.cells}
    for cell_id in setup:
        source = by_id[cell_id].source
        if 'if "google.colab" in sys.modules:\n' in source:  # Colab also needs otter
            source = source.rstrip("\n") + "\n" + COLAB_OTTER
        cells.append(nbformat.v4.new_code_cell(source))
    cells.append(nbformat.v4.new_code_cell(f'import otter\n\ngrader = otter.Notebook("{path.name}")'))
    for exercise in exercises:
        spec = exercise.spec
        statement = _unlink("\n".join(exercise.statement).strip())
        points = spec.get("points", 1)
        if points:
            cells += [_raw(f"# BEGIN QUESTION\nname: ex{exercise.number}\nmanual: true\n"
                           f"points: {points}"),
                      nbformat.v4.new_markdown_cell(f"**Exercise {exercise.number}.** {statement}"),
                      _raw("# BEGIN SOLUTION"),
                      nbformat.v4.new_markdown_cell(_solution_markdown(exercise)),
                      _raw("# END SOLUTION"), _raw("# END QUESTION")]
        else:
            cells.append(nbformat.v4.new_markdown_cell(
                f"**Exercise {exercise.number}.** {statement}"))
        for task in spec.get("tasks", []):
            cells += [_raw(f"# BEGIN QUESTION\nname: {task['name']}\npoints: {task['points']}"),
                      nbformat.v4.new_markdown_cell(task["prompt"].strip()),
                      _raw("# BEGIN SOLUTION"),
                      nbformat.v4.new_code_cell(
                          "''' # BEGIN PROMPT\n" + task["starter"].strip() + "\n''' # END PROMPT\n"
                          "# BEGIN SOLUTION NO PROMPT\n" + task["solution"].strip()
                          + "\n# END SOLUTION"),
                      _raw("# END SOLUTION"), _raw("# BEGIN TESTS")]
            for kind in ("public", "hidden"):
                for i, body in enumerate(task[kind], 1):
                    cells.append(nbformat.v4.new_code_cell(
                        test_cell(f"test_{kind}_{i}", body, kind == "hidden")))
            cells += [_raw("# END TESTS"), _raw("# END QUESTION")]
    for i, cell in enumerate(cells):
        cell.id = f"hw-{i:03d}"
    master = nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": nb.metadata.get("kernelspec", {}),
        "language_info": {"name": "python"}})
    return master, exercises


def tasks(path: Path) -> List[dict]:
    """The autograded tasks of a chapter, in order (for the tests)."""
    return [task for e in load(path)[1] for task in e.spec.get("tasks", [])]


def build(path: Path, output: Path = OUTPUT, force: bool = False) -> Path:
    """Write `output/<chapter>/{student,autograder}`; skip when nothing changed."""
    master, _ = master_notebook(path)
    text = nbformat.writes(master)
    digest = hashlib.sha256((text + Path(__file__).read_text()).encode()).hexdigest()
    target = output / path.stem
    stamp = target / ".source-hash"
    if not force and stamp.exists() and stamp.read_text() == digest:
        return target
    work = output / ".masters" / path.stem
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    (work / path.name).write_text(text)
    shutil.rmtree(target, ignore_errors=True)
    import contextlib
    import io

    from otter.assign import main as otter_assign  # imported here: 3 s, only when building
    log = io.StringIO()
    try:
        with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
            otter_assign(str(work / path.name), str(target.resolve()), no_pdfs=True)
    except Exception as error:
        raise HomeworkError(f"{path.stem}: otter assign failed: {error}\n{log.getvalue()}")
    for archive in (target / "autograder").glob("*-autograder_*.zip"):  # a stable name
        archive.rename(autograder_zip(target))
    stamp.write_text(digest)
    return target


def autograder_zip(target: Path) -> Path:
    """The autograder of the assignment built into `target`."""
    return target / "autograder" / f"{target.name}-autograder.zip"


def publish(target: Path, site: Path) -> List[Path]:
    """Copy an assignment into the site: the student's notebook under homework/, the
    solutions and the autograder under homework/teachers/."""
    chapter = target.name
    copies = {target / "student" / f"{chapter}.ipynb": site / "homework" / f"{chapter}.ipynb",
              target / "autograder" / f"{chapter}.ipynb":
                  site / "homework" / "teachers" / f"{chapter}-solutions.ipynb",
              autograder_zip(target): site / "homework" / "teachers" / autograder_zip(target).name}
    for source, copy in copies.items():
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, copy)
    return list(copies.values())


def main(argv: List[str]) -> int:
    """Build every chapter's assignment (or those named); `--site DIR` also copies them there."""
    site = None
    if "--site" in argv:
        index = argv.index("--site")
        site, argv = Path(argv[index + 1]), argv[:index] + argv[index + 2:]
    paths = [ROOT / "chapters" / f"{name.removesuffix('.ipynb')}.ipynb" for name in argv] \
        if argv else chapters()
    try:
        for path in paths:
            target = build(path)
            if site is not None:
                publish(target, site)
    except HomeworkError as error:
        print(f"homework: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
