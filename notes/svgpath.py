"""SVG path data as polylines: what a pen follows. Curves are flattened to short chords.

Used for the glyphs of SVG stroke fonts (notes.strokefonts). Lines, cubic and quadratic curves
(with their smooth forms) and closed subpaths are read, relative or absolute; arcs are not (no
stroke font here uses them), and say so.
"""

from __future__ import annotations

import math
import re

Point = tuple[float, float]
Polyline = tuple[Point, ...]

_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ARGS = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "T": 2, "Z": 0}


def parse_path(d: str, step: float) -> tuple[Polyline, ...]:
    """SVG path data as polylines, one per subpath; curves flattened to chords about `step` long.

    ValueError for data that is not a path (unknown command, missing numbers, arcs).
    """
    tokens = _TOKEN.findall(d)
    strokes: list[list[Point]] = []
    x = y = 0.0
    start = (0.0, 0.0)
    control: Point | None = None  # the last curve's second control point, for S and T
    index, command = 0, ""
    while index < len(tokens):
        if tokens[index].isalpha():
            command = tokens[index]
            index += 1
        upper = command.upper()
        if upper not in _ARGS:
            raise ValueError(
                f"path command {command!r} is not supported" if command else "no path command"
            )
        count = _ARGS[upper]
        try:
            args = [float(t) for t in tokens[index : index + count]]
        except ValueError:
            raise ValueError(f"{command} needs {count} numbers") from None
        if len(args) < count:
            raise ValueError(f"{command} needs {count} numbers")
        index += count
        relative = command.islower()
        if upper == "Z":
            if strokes and strokes[-1][-1] != start:
                strokes[-1].append(start)
            x, y = start
            control = None
            if index < len(tokens) and not tokens[index].isalpha():
                raise ValueError("numbers after Z")
            continue
        if upper in "HV":
            value = args[0] + ((x if upper == "H" else y) if relative else 0.0)
            args = [value, y] if upper == "H" else [x, value]
        elif relative:
            args = [v + (x if i % 2 == 0 else y) for i, v in enumerate(args)]
        if upper == "M":
            strokes.append([(args[0], args[1])])
            start = (args[0], args[1])
            command = "l" if relative else "L"  # further pairs after a move are lines
        else:
            if not strokes:
                strokes.append([(x, y)])
            strokes[-1] += _segment(upper, (x, y), args, control, step)
        control = _next_control(upper, args, control, (x, y))
        x, y = args[-2], args[-1]
    return tuple(tuple(points) for points in strokes if len(points) >= 2)


def _segment(kind: str, here: Point, args: list[float], control: Point | None, step: float):
    if kind in "LHV":
        return [(args[-2], args[-1])]
    if kind in "ST":
        mirrored = (2 * here[0] - control[0], 2 * here[1] - control[1]) if control else here
        args = [*mirrored, *args]
        kind = "C" if kind == "S" else "Q"
    if kind == "Q":  # as a cubic: the same curve
        qx, qy, ex, ey = args
        args = [
            here[0] + 2 / 3 * (qx - here[0]),
            here[1] + 2 / 3 * (qy - here[1]),
            ex + 2 / 3 * (qx - ex),
            ey + 2 / 3 * (qy - ey),
            ex,
            ey,
        ]
    return _flatten_cubic(here, args, step)


def _next_control(kind: str, args: list[float], control: Point | None, here: Point):
    """The control point a following S (after C/S) or T (after Q/T) mirrors."""
    if kind in "CS":
        return (args[-4], args[-3])
    if kind == "Q":
        return (args[0], args[1])
    if kind == "T":
        return (2 * here[0] - control[0], 2 * here[1] - control[1]) if control else here
    return None


def _flatten_cubic(p0: Point, args: list[float], step: float) -> list[Point]:
    x1, y1, x2, y2, x3, y3 = args
    hull = math.dist(p0, (x1, y1)) + math.dist((x1, y1), (x2, y2)) + math.dist((x2, y2), (x3, y3))
    count = max(2, min(48, math.ceil(hull / step)))
    points = []
    for i in range(1, count + 1):
        t = i / count
        u = 1 - t
        a, b, c, e = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
        points.append(
            (
                a * p0[0] + b * x1 + c * x2 + e * x3,
                a * p0[1] + b * y1 + c * y2 + e * y3,
            )
        )
    return points
