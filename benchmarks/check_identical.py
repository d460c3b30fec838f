"""The sha256 of a set of PDFs that a speed refactor must leave byte-identical.

Makes, in a temporary folder: a merge of bench_merge's rows at each realism (plain, natural,
rough) in one process and with a pool of two workers (forced, whatever POOL_FROM says); a small
merge imposed on A4 sheets with duplex backs and envelopes; a `notes demo` day (cards and
envelopes, on a fixed date); and `notes write` of a card in German, Japanese, Arabic, Hebrew and
Thai. Prints one line per file: its hash and its name. Run it on main and on your branch and
compare (`diff`), or save one run with --save FILE and check later runs against it with --check
FILE (exit status 1 on any difference).

    python benchmarks/check_identical.py [--rows 1000] [--save hashes.txt | --check hashes.txt]
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_merge import write_rows  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
WRITES = {
    "de": "Liebe Anna, vielen Dank für deinen Einkauf! Die Teekanne ist schön. Herzlich, Maya",
    "ja": "さくらさん、ご来店ありがとうございました。またお会いできるのを楽しみにしています。",
    "ar": "عزيزتي ليلى، شكرا جزيلا لزيارتك متجرنا اليوم! مع أطيب التحيات، مايا",
    "he": "נועה היקרה, תודה רבה שביקרת בחנות שלנו היום! בברכה, מאיה",
    "th": "ขอบคุณมากที่มาเยี่ยมร้านของเราวันนี้ หวังว่าจะได้พบกันอีก",
}


def merges(folder: Path, rows: int) -> list[Path]:
    import notes.batch
    from notes.merge import Outputs, merge
    from notes.render import Style

    source = folder / "rows.csv"
    write_rows(source, rows)
    made = []
    for realism in ("natural", "plain", "rough"):
        for jobs in (1, 2):
            out = folder / f"merge-{realism}-jobs{jobs}.pdf"
            pool_from, notes.batch.POOL_FROM = notes.batch.POOL_FROM, 0 if jobs > 1 else 10**9
            try:
                merge(source, template="thank-you", outputs=Outputs(cards=out), jobs=jobs,
                      style=Style(realism=realism), today="2026-01-05")  # fmt: skip
            finally:
                notes.batch.POOL_FROM = pool_from
            made.append(out)
    sheets = Outputs(
        cards=folder / "sheets-duplex.pdf", sheet="a4", duplex=True,
        envelopes=folder / "sheets-envelopes.pdf",
    )  # fmt: skip
    merge(ROOT / "examples" / "customers.csv", template="thank-you", outputs=sheets, jobs=1,
          today="2026-01-05")  # fmt: skip
    return [*made, sheets.cards, sheets.envelopes]


def demo_day(folder: Path) -> list[Path]:
    from notes.demo import run_demo

    report = run_demo(folder / "demo", customers=12, seed=0, day=date(2026, 11, 21))
    return [path for path in (report.result.cards, report.result.envelopes) if path is not None]


def writes(folder: Path) -> list[Path]:
    made = []
    for language, text in WRITES.items():
        out = folder / f"write-{language}.pdf"
        command = [sys.executable, "-m", "notes", "write", "--text", text, "-o", str(out),
                   "--seed", "3", "--today", "2026-01-05"]  # fmt: skip
        subprocess.run(command, check=True, capture_output=True, cwd=folder)
        made.append(out)
    return made


def hashes(rows: int) -> list[str]:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        paths = [*merges(folder, rows), *demo_day(folder), *writes(folder)]
        return [
            f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.relative_to(folder)}"
            for path in paths
        ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--save", type=Path, help="Write the hashes to this file too.")
    parser.add_argument("--check", type=Path, help="Compare with hashes saved by --save.")
    args = parser.parse_args()
    lines = hashes(args.rows)
    print("\n".join(lines))
    if args.save:
        args.save.write_text("\n".join(lines) + "\n")
    if args.check:
        expected = args.check.read_text().splitlines()
        differ = [line for line, want in zip(lines, expected, strict=True) if line != want]
        print(f"{len(differ)} of {len(lines)} files differ" if differ else "all identical")
        sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
