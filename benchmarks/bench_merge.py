"""Mail merge throughput, size and memory through the CLI, as ratios against plain reportlab.

In one run (absolute times swing with machine load, ratios less):
  1. `notes merge` of --notes rows (default 3000) at default realism, as a fresh process, with
     --jobs 1 and --jobs 2, against a plain reportlab script (also a fresh process) that draws the
     same texts with simpleSplit + drawString in the same font on the same card (frozen below);
     the three run in turn, --rounds times (default 3), and each one's median is compared;
     goal: >= 0.5x plain with --jobs 1, >= 1.0x with --jobs 2;
  2. KB per card of a 1000-row merge (goal <= 4.5);
  3. with --rows N (e.g. 20000): the peak resident memory of a merge of N rows, the CLI process
     and its workers summed, sampled from /proc (Linux) (goal <= 250 MB).
The texts for the plain script are the cards' own, taken from notes' PDF with pdftotext.

    python benchmarks/bench_merge.py [--notes 3000] [--rounds 3] [--rows 20000] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import os
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FONT = ROOT / "fonts" / "Caveat_400Regular.ttf"

FIRST = ["Ana", "Ben", "Carla", "Dmitri", "Emma", "Farah", "Giulia", "Hiro", "Ines", "Jonas"]
LAST = ["Souza", "Okafor", "Reyes", "Ivanov", "Schmidt", "Haddad", "Rossi", "Tanaka", "Lopez"]
THINGS = [
    "blue teapot",
    "linen apron",
    "wool socks",
    "olive oil soap",
    "rice bowl",
    "felt slippers",
]

# As installed: .pyc files written once and read after, even where PYTHONDONTWRITEBYTECODE is set.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

# The plain baseline, frozen (issue 16): do not make it faster or slower.
PLAIN = f"""
import sys
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
texts = open(sys.argv[1], encoding="utf-8").read().split("\\f")
pdfmetrics.registerFont(TTFont("Plain", {str(FONT)!r}))
width, height, size, margin = 297.64, 419.53, 17.0, 24.0
canvas = Canvas(sys.argv[2], pagesize=(width, height), invariant=1, pageCompression=1)
for text in texts:
    canvas.setFont("Plain", size)
    y = height - margin - size
    for paragraph in text.split("\\n"):
        for line in simpleSplit(paragraph, "Plain", size, width - 2 * margin) or [""]:
            canvas.drawString(margin, y, line)
            y -= size * 1.25
    canvas.showPage()
canvas.save()
"""


def write_rows(path: Path, rows: int) -> None:
    rng = random.Random(2)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Name", "Product", "Order Number"])
        for number in range(rows):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            writer.writerow([name, rng.choice(THINGS), f"#{10000 + number}"])


def merge_command(source: Path, out: Path, jobs: int) -> list[str]:
    return [
        sys.executable, "-m", "notes", "merge", str(source), "-t", "thank-you", "-o", str(out),
        "--jobs", str(jobs), "--today", "2026-01-05", "--quiet", "--force",
    ]  # fmt: skip


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=ENV)
    return time.perf_counter() - start


def tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue  # gone meanwhile
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid = int(entry.name)
        children.setdefault(int(fields["PPid"]), []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total / 1024


def peak_rss(cmd: list[str]) -> tuple[float, float]:
    """(seconds, peak MB of the process tree) for one run of `cmd`."""
    start = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    peak = 0.0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_mb(process.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, err = process.communicate()
    done.set()
    sampler.join()
    if process.returncode:
        raise SystemExit(err.decode())
    return time.perf_counter() - start, peak


def throughput(count: int, folder: Path, rounds: int) -> None:
    source = folder / "customers.csv"
    write_rows(source, count)
    out = folder / "cards.pdf"
    timed(merge_command(source, out, 1))  # .pyc files, outline store; and the plain script's texts
    texts = subprocess.run(["pdftotext", "-layout", str(out), "-"], check=True, capture_output=True)
    (folder / "texts.txt").write_bytes(texts.stdout.rstrip(b"\f"))
    (folder / "plain.py").write_text(PLAIN)
    commands = {
        "plain": [sys.executable, str(folder / "plain.py"), str(folder / "texts.txt"),
                  str(folder / "plain.pdf")],
        "jobs 1": merge_command(source, out, 1),
        "jobs 2": merge_command(source, folder / "cards2.pdf", 2),
    }  # fmt: skip
    # Rounds of the three, one after another: a change in the machine's load lands on all three
    # alike, and the median of each is reported (every round's ratios are shown too).
    seconds: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, cmd in commands.items():
            seconds[name].append(timed(cmd))
    plain, notes_1, notes_2 = (statistics.median(seconds[name]) for name in commands)
    print(
        f"{count} A6 thank-you notes from a CSV, each a fresh process (median of {rounds} rounds):"
    )
    print(f"  plain reportlab drawString script : {count / plain:7.0f} notes/s")
    print(f"  notes merge --jobs 1              : {count / notes_1:7.0f} notes/s")
    print(f"  notes merge --jobs 2              : {count / notes_2:7.0f} notes/s")
    print(f"  ratio --jobs 1 : {plain / notes_1:5.2f}x  (goal >= 0.5x)")
    print(f"  ratio --jobs 2 : {plain / notes_2:5.2f}x  (goal >= 1.0x)")
    for name in ("jobs 1", "jobs 2"):
        each = ", ".join(
            f"{p / n:.2f}x" for p, n in zip(seconds["plain"], seconds[name], strict=True)
        )
        print(f"  each round, --{name}: {each}")


def size_per_card(folder: Path, count: int = 1000) -> None:
    source = folder / "size.csv"
    write_rows(source, count)
    out = folder / "size.pdf"
    timed(merge_command(source, out, 1))
    print(f"{count} cards: {out.stat().st_size / count / 1024:.2f} KB per card (goal <= 4.5)")


def memory(rows: int, folder: Path) -> None:
    source = folder / "big.csv"
    write_rows(source, rows)
    for jobs in (1, 2):
        seconds, peak = peak_rss(merge_command(source, folder / "big.pdf", jobs))
        print(
            f"merge of {rows} rows --jobs {jobs}: {seconds:.0f} s, {rows / seconds:.0f} notes/s, "
            f"peak RSS {peak:.0f} MB with workers (goal <= 250)"
        )


def profile(count: int, folder: Path) -> None:
    """Where `merge` spends its time, in this process (--jobs 1)."""
    from notes.merge import Outputs, merge

    source = folder / "profile.csv"
    write_rows(source, count)
    profiler = cProfile.Profile()
    profiler.enable()
    merge(source, template="thank-you", outputs=Outputs(cards=folder / "p.pdf"), jobs=1)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(16)
    print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3, help="Runs of each, alternated.")
    parser.add_argument("--rows", type=int, default=0, help="Also the peak memory of N rows.")
    parser.add_argument("--profile", action="store_true", help="Show where merge spends time.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        throughput(args.notes, folder, args.rounds)
        size_per_card(folder)
        if args.rows:
            memory(args.rows, folder)
        if args.profile:
            profile(min(args.notes, 1000), folder)


if __name__ == "__main__":
    main()
