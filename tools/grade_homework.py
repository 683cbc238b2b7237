"""Grade a folder of homework submissions offline with otter, no Docker, no network.

    .venv/bin/python tools/grade_homework.py CHAPTER SUBMISSIONS [-o RESULTS] [--timeout S]

CHAPTER is a chapter's name (e.g. 04_from_scratch), SUBMISSIONS a folder of the students'
notebooks (.ipynb, or the .zip otter exports). Each one is graded by `otter run` with the
chapter's autograder (built by `make book` into _build/assignments/CHAPTER/autograder/);
a submission that runs longer than --timeout seconds in all scores 0 with a note. Writes
RESULTS/<submission>.json (otter's results) and RESULTS/scores.csv (one row per submission,
one column per autograded question, then the total). The hand-graded questions are not in it.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, List

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS = ROOT / "_build" / "assignments"


def grade_one(submission: Path, autograder: Path, timeout: float) -> Dict:
    """Otter's results for one submission, or {'error': ...} when it fails or runs too long."""
    otter = Path(sys.executable).parent / "otter"
    with tempfile.TemporaryDirectory() as out:
        process = subprocess.Popen(
            [str(otter), "run", "--no-logo", "-a", str(autograder), "-o", out, str(submission)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
        try:
            log, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # otter and the kernel it started
            process.communicate()
            return {"error": f"stopped after {timeout:g} s: a cell never ends"}
        results = Path(out) / "results.json"
        if process.returncode != 0 or not results.exists():
            return {"error": f"otter run failed: {log.strip().splitlines()[-1:]}"}
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
