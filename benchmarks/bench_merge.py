"""Mail merge throughput and memory, as ratios against plain reportlab.

Part 1 (always): the same 1000 notes of about 300 characters on A6, in this process,
  - written by `notes` (layout, full handwriting, per-glyph PDF operators, one PDF), and
  - written by a plain reportlab loop: simpleSplit + drawString per line, same font (Caveat);
  prints notes/s for each and the ratio (goal: notes >= 0.5x plain), and with --profile the
  functions that cost the most.
Part 2 (--rows N, e.g. 20000): a whole `notes.merge.merge` of N CSV rows through the library;
  prints the time and the peak RSS of this process and of its worker processes (goal <= 250 MB).

    python benchmarks/bench_merge.py [--notes 1000] [--profile] [--rows 20000] [--jobs 1]
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import pstats
import random
import resource
import sys
import tempfile
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
SENTENCES = [
    "Thank you so much for your order of the {thing}.",
    "I wrapped it by hand this week and I hope it brings you joy.",
    "Orders like yours keep our small shop going, and every one still makes my day.",
    "If anything is not quite right, just write back and I will sort it out.",
    "I would love to hear how you get on with it.",
    "Have a lovely, slow weekend with a good cup of tea.",
]


def make_texts(count: int, seed: int = 1) -> list[str]:
    """`count` notes of about 300 characters: a greeting, body sentences, a sign-off."""
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        thing = rng.choice(THINGS)
        body = ""
        while len(body) < 230:
            body += rng.choice(SENTENCES).format(thing=thing) + " "
        texts.append(f"Dear {rng.choice(FIRST)},\n\n{body.strip()}\n\nWarmly,\nMaya")
    return texts


def run_notes(texts: list[str], path: Path) -> float:
    from notes.render import Renderer, Style, write_cards

    start = time.perf_counter()
    renderer = Renderer(Style())
    plans = (renderer.plan(text, key=str(i)) for i, text in enumerate(texts))
    write_cards(plans, path, force=True)
    return time.perf_counter() - start


def run_plain(texts: list[str], path: Path) -> float:
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    from notes.cards import CARDS

    start = time.perf_counter()
    pdfmetrics.registerFont(TTFont("BenchCaveat", str(FONT)))
    card = CARDS["a6"]
    size, margin = 17.0, 24.0
    canvas = Canvas(str(path), pagesize=(card.width, card.height), invariant=1, pageCompression=1)
    for text in texts:
        canvas.setFont("BenchCaveat", size)
        y = card.height - margin - size
        for paragraph in text.split("\n"):
            for line in simpleSplit(paragraph, "BenchCaveat", size, card.width - 2 * margin) or [
                ""
            ]:
                canvas.drawString(margin, y, line)
                y -= size * 1.25
        canvas.showPage()
    canvas.save()
    return time.perf_counter() - start


def part_one(count: int, profile: bool) -> None:
    texts = make_texts(count)
    mean = sum(map(len, texts)) / len(texts)
    with tempfile.TemporaryDirectory() as folder:
        run_notes(texts[:20], Path(folder) / "warm.pdf")  # fonts loaded, caches warm
        plain_s = run_plain(texts, Path(folder) / "plain.pdf")
        notes_s = run_notes(texts, Path(folder) / "notes.pdf")
        print(f"{count} A6 notes, {mean:.0f} characters on average, one run, this process")
        print(f"plain reportlab drawString : {count / plain_s:8.0f} notes/s")
        print(f"notes, full handwriting    : {count / notes_s:8.0f} notes/s")
        print(f"ratio                      : {plain_s / notes_s:8.2f}x  (goal >= 0.5x)")
        if profile:
            profiler = cProfile.Profile()
            profiler.enable()
            run_notes(texts, Path(folder) / "profiled.pdf")
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(14)
            print(out.getvalue())


def part_two(rows: int, jobs: int) -> None:
    from notes.merge import Outputs, merge

    rng = random.Random(2)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "customers.csv"
        with source.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["Name", "Product", "Order Number"])
            for number in range(rows):
                name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                writer.writerow([name, rng.choice(THINGS), f"#{10000 + number}"])
        out = Path(folder) / "cards.pdf"
        start = time.perf_counter()
        report = merge(
            source,
            template="thank-you",
            outputs=Outputs(cards=out),
            jobs=jobs,
            today="2026-01-05",
        )
        seconds = time.perf_counter() - start
        size = out.stat().st_size / 1e6
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"merge of {rows} rows, --jobs {jobs}: {report.count('ok')} cards in {seconds:.1f} s")
    print(f"  {report.count('ok') / seconds:.0f} notes/s, PDF {size:.0f} MB")
    print(f"  peak RSS: this process {own:.0f} MB, largest worker {children:.0f} MB (goal <= 250)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--profile", action="store_true", help="Show where notes spends its time.")
    parser.add_argument("--rows", type=int, default=0, help="Also merge this many CSV rows.")
    parser.add_argument("--jobs", type=int, default=1, help="Processes for the --rows merge.")
    args = parser.parse_args()
    if args.rows:
        # Memory first: part one's fonts and pages would otherwise count in the peak.
        part_two(args.rows, args.jobs)
        sys.stdout.flush()
    part_one(args.notes, args.profile)


if __name__ == "__main__":
    main()
