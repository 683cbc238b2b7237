"""The glossary's terms and the Korean name a slide shows for each, from chapters/glossary.md.

The rows are read by tools/link_glossary.py (`entries`), from the table
English | 한국어 | definition | first section; the Korean index below it is not a source.
A 한국어 cell reads "main term (other, other)", and the decks (tools/slides.py) gloss a
term at its first use as "English (main term)".
"""
from pathlib import Path
from typing import Dict

from link_glossary import GLOSSARY, entries


def main_korean(cell: str) -> str:
    """The main Korean term of a 한국어 cell: what comes before its parenthesis."""
    return cell.split("(")[0].strip()


def parse(markdown: str) -> Dict[str, str]:
    """{English term: main Korean term} of the glossary's table; "" where the Korean is missing."""
    return {entry["term"]: main_korean(entry["korean"]) for entry in entries(markdown)}


def load(path: Path = GLOSSARY) -> Dict[str, str]:
    """The glossary's terms; fails when it holds none."""
    terms = parse(path.read_text(encoding="utf-8"))
    if not terms:
        raise ValueError(f"{path}: no glossary terms found (no English | 한국어 | definition | "
                         "first section table)")
    return terms
