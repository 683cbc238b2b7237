"""The figure color lint: labeled curves told apart by color alone are refused.

With the environment variable ``LIB_CHECK_FIGURES=1`` (set when the book is
executed and tested), lib.notebook.images runs this check on every figure it
encodes: in gray print or to a color-blind reader such curves would look the same.
"""
from typing import List

from matplotlib.figure import Figure


def curves_told_apart_by_color_only(figure: Figure) -> List[List[str]]:
    """Groups of labeled curves in one axes of `figure` that share line style and marker
    but not color (unlabeled lines, such as guides, are not counted)."""
    groups = []
    for axes in figure.axes:
        by_look = {}
        for line in axes.get_lines():
            label = line.get_label()
            if label.startswith("_") or not line.get_visible() or len(line.get_xdata()) < 2:
                continue
            marker = line.get_marker()
            look = (line.get_linestyle(), None if marker in (None, "None", "", " ") else marker)
            by_look.setdefault(look, []).append((label, str(line.get_color())))
        groups += [[label for label, _ in lines] for lines in by_look.values()
                   if len({color for _, color in lines}) > 1]
    return groups


def check_curves_differ_without_color(figure: Figure) -> None:
    """Refuse `figure` if some of its curves differ by color alone (see the module docstring)."""
    groups = curves_told_apart_by_color_only(figure)
    if groups:
        raise ValueError(f"the curves {groups} differ only by color: give each its own line "
                         "style or marker, so that they can be told apart in gray and by "
                         "color-blind readers")
