"""Start-up cost of a single note from the shell, as a ratio against bare reportlab.

Runs `notes write` (full handwriting) and a bare reportlab script that writes one line in the same
font, each as a fresh process, several times, and prints the median wall and CPU times and their
ratios (CPU time swings less with the machine's load). Goal: notes write <= 1.5x the bare script.
The first run of each fills the caches (.pyc files, notes' outline store), as any second use would.

    python benchmarks/bench_write.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FONT = ROOT / "fonts" / "Caveat_400Regular.ttf"

# As installed: .pyc files written on the first run and read after (a shell or CI with
# PYTHONDONTWRITEBYTECODE would compile every notes module on every run, ~170 ms).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

BARE = f"""
import sys
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
pdfmetrics.registerFont(TTFont("Caveat", {str(FONT)!r}))
c = Canvas(sys.argv[1], pagesize=(297.6, 419.5), invariant=1)
c.setFont("Caveat", 17)
c.drawString(24, 380, "Dear Ana, thank you so much for choosing the blue teapot!")
c.showPage()
c.save()
"""


def _time(cmd: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one run, the child's user and system time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=ENV)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        bare_script = Path(folder) / "bare.py"
        bare_script.write_text(BARE)
        out = Path(folder) / "out.pdf"
        notes_cmd = [
            sys.executable,
            "-m",
            "notes",
            "write",
            "--force",
            "-o",
            str(out),
            "--template",
            "thank-you",
            "--set",
            "name=Ana Souza",
            "--set",
            "product=blue teapot",
        ]
        bare_cmd = [sys.executable, str(bare_script), str(out)]
        _time(notes_cmd), _time(bare_cmd)  # warm the file cache and .pyc files
        notes_times = [_time(notes_cmd) for _ in range(args.runs)]
        bare_times = [_time(bare_cmd) for _ in range(args.runs)]
    for label, at in (("wall", 0), ("CPU", 1)):
        notes_s = statistics.median(t[at] for t in notes_times)
        bare_s = statistics.median(t[at] for t in bare_times)
        print(f"{label}, median of {args.runs}:")
        print(f"  bare reportlab, one line : {bare_s * 1000:7.1f} ms")
        print(f"  notes write, full card   : {notes_s * 1000:7.1f} ms")
        print(f"  ratio                    : {notes_s / bare_s:7.2f}x  (goal <= 1.5x)")


if __name__ == "__main__":
    main()
