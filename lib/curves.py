"""What a ProgressBoard records: named curves of (x, y) points, averaged in groups."""
import math
from typing import Dict, List, Tuple

Point = Tuple[float, float]


def mean_point(points: List[Point]) -> Point:
    """The point whose x and y are the means of `points`' x and y."""
    return (sum(x for x, _ in points) / len(points), sum(y for _, y in points) / len(points))


class Curves:
    """Points arriving one at a time, kept per label; each `every_n` of them become one point.

    `points` holds the finished averages of each curve, `pending` the raw points
    of the group still filling up. Non-finite points are left out: a diverged
    loss is said in words by the Trainer, never plotted.
    """

    def __init__(self):
        self.points: Dict[str, List[Point]] = {}
        self.pending: Dict[str, List[Point]] = {}

    def add(self, x: float, y: float, label: str, every_n: int) -> None:
        if not (math.isfinite(x) and math.isfinite(y)):
            return
        finished = self.points.setdefault(label, [])
        group = self.pending.setdefault(label, [])
        group.append((x, y))
        if len(group) >= every_n:
            finished.append(mean_point(group))
            group.clear()

    def close_groups(self) -> None:
        """Turn every partly filled group into a point, so later points start new groups."""
        for label, group in self.pending.items():
            if group:
                self.points[label].append(mean_point(group))
                group.clear()

    def curves(self) -> Dict[str, List[Point]]:
        """Every curve's points, a partly filled last group included as its mean."""
        return {label: finished + ([mean_point(self.pending[label])] if self.pending.get(label)
                                   else [])
                for label, finished in self.points.items()}

    def clear(self) -> None:
        self.points.clear()
        self.pending.clear()

    def describe(self) -> str:
        """Each curve's last point in words, or "no points yet"."""
        last = [f"{label}={points[-1][1]:.4g} at x={points[-1][0]:.4g}"
                for label, points in self.curves().items() if points]
        return "; ".join(last) if last else "no points yet"
