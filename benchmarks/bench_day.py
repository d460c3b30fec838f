"""Peak memory of `notes day` on a big sales day (issue 15: under 250 MB for 3,000 customers).

Makes a Shopify export of N customers who all bought on one day with the demo shop's generator,
runs `notes day` on it in a child process (the real CLI, a fresh ledger) and prints the peak
RSS of that process and its workers summed, its time and the number of cards written.

    python benchmarks/bench_day.py [--customers 3000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

DAY = date(2026, 11, 21)
GOAL_MB = 250


def make_export(folder: Path, customers: int) -> Path:
    from notes.demo import make_orders, write_export

    orders = make_orders(customers=customers, locale="en_US", seed=1, day=DAY)
    return write_export(folder / "orders.csv", orders, "shopify")


def run_day(export: Path, folder: Path) -> tuple[float, float]:
    """(seconds, peak MB) of one `notes day` run: the resident memory of the CLI process and its
    workers summed, sampled from /proc (Linux), as bench_merge.py measures a merge."""
    from bench_merge import ENV, tree_rss_mb

    command = [sys.executable, "-m", "notes", "day", str(export), "--date", DAY.isoformat(),
               "--ledger", str(folder / "ledger.sqlite3"), "-o", str(folder / "out"), "--quiet"]  # fmt: skip
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=folder, stdout=subprocess.DEVNULL, env=ENV)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, tree_rss_mb(process.pid))
        time.sleep(0.05)
    if process.returncode:
        raise SystemExit(f"notes day failed with exit code {process.returncode}")
    return time.perf_counter() - start, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=3000)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        export = make_export(folder, args.customers)
        seconds, peak = run_day(export, folder)
        from pypdf import PdfReader

        cards = len(PdfReader(folder / "out" / "cards.pdf").pages)
    verdict = "ok" if peak <= GOAL_MB else "OVER"
    print(f"notes day, {args.customers} customers: {cards} cards in {seconds:.1f} s, "
          f"peak RSS {peak:.0f} MB (goal <= {GOAL_MB} MB: {verdict})")  # fmt: skip


if __name__ == "__main__":
    main()
