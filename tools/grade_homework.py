"""Grade a folder of homework submissions offline with otter, no Docker, no network.

    .venv/bin/python tools/grade_homework.py CHAPTER SUBMISSIONS [-o RESULTS] [--timeout S]

CHAPTER is a chapter's name (e.g. 04_from_scratch), SUBMISSIONS a folder of the students'
notebooks (.ipynb, or the .zip otter exports). Each one is graded by otter run (otter.run.main,
in a process of its own) with the chapter's autograder (built by `make book` into _build/assignments/CHAPTER/autograder/);
a submission that runs longer than --timeout seconds in all scores 0 with a note. Writes
RESULTS/<submission>.json (otter's results) and RESULTS/scores.csv (one row per submission,
one column per autograded question, then the total). The hand-graded questions are not in it.
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import multiprocessing
import os
import signal
import sys
import tempfile
from pathlib import Path
from typing import Dict, List

# nbformat imports jsonschema, which would import rfc3987_syntax and compile its grammars
# (1.6 s) for format checks that grading never makes (conftest.py does the same).
sys.modules.setdefault("rfc3987_syntax", None)
import otter.run  # noqa: E402  (imported once, before the children are forked)

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS = ROOT / "_build" / "assignments"


def _run_otter(submission: Path, autograder: Path, out: str) -> None:
    """In a child process of its own session: otter run on one submission."""
    os.setsid()  # so that a timeout can stop the kernel that otter starts, too
    log = io.StringIO()
    with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
        otter.run.main(str(submission), autograder=str(autograder), output_dir=out, no_logo=True)


def grade_one(submission: Path, autograder: Path, timeout: float) -> Dict:
    """Otter's results for one submission, or {'error': ...} when it fails or runs too long."""
    with tempfile.TemporaryDirectory() as out:
        child = multiprocessing.get_context("fork").Process(
            target=_run_otter, args=(submission, autograder, out))
        child.start()
        child.join(timeout)
        if child.is_alive():
            os.killpg(child.pid, signal.SIGKILL)
            child.join()
            return {"error": f"stopped after {timeout:g} s: a cell never ends"}
        results = Path(out) / "results.json"
        if child.exitcode != 0 or not results.exists():
            return {"error": f"otter run failed (exit code {child.exitcode})"}
        return json.loads(results.read_text())


def scores(results: Dict) -> Dict[str, float]:
    """Question name -> score, for the autograded questions in otter's results."""
    return {test["name"]: test["score"] for test in results.get("tests", [])
            if "score" in test and "max_score" in test}


def grade_folder(chapter: str, folder: Path, output: Path, timeout: float) -> Path:
    """Grade every submission in `folder`; return the path of scores.csv."""
    autograder = ASSIGNMENTS / chapter / "autograder" / f"{chapter}-autograder.zip"
    if not autograder.exists():
        raise SystemExit(f"no autograder at {autograder}: run `make book` first")
    submissions = sorted(p for p in folder.iterdir() if p.suffix in (".ipynb", ".zip"))
    if not submissions:
        raise SystemExit(f"no .ipynb or .zip submissions in {folder}")
    output.mkdir(parents=True, exist_ok=True)
    rows: List[Dict] = []
    for submission in submissions:
        results = grade_one(submission, autograder, timeout)
        (output / f"{submission.stem}.json").write_text(json.dumps(results, indent=2))
        row = {"submission": submission.name, **scores(results)}
        row["total"] = sum(value for key, value in row.items() if key != "submission")
        row["note"] = results.get("error", "")
        rows.append(row)
        print(f"{submission.name}: {row['total']:g} {row['note']}".rstrip())
    columns = ["submission"] + sorted({k for row in rows for k in row} - {"submission", "total", "note"})
    table = output / "scores.csv"
    with table.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns + ["total", "note"], restval=0)
        writer.writeheader()
        writer.writerows(rows)
    return table


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chapter", help="e.g. 04_from_scratch")
    parser.add_argument("submissions", type=Path, help="folder of submitted notebooks")
    parser.add_argument("-o", "--output", type=Path, default=Path("results"))
    parser.add_argument("--timeout", type=float, default=300, help="seconds per submission")
    args = parser.parse_args(argv)
    table = grade_folder(args.chapter.removesuffix(".ipynb"), args.submissions, args.output,
                         args.timeout)
    print(f"scores: {table}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
