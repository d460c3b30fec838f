"""Do cards still look the same? Writes a fixed set of PDFs, then compares two sets at 300 dpi.

    python benchmarks/compare_renders.py make DIR      # this checkout's PDFs into DIR
    python benchmarks/compare_renders.py compare A B   # pdftoppm -r 300 each PDF of A and B

`make` writes a demo day (cards and envelopes), a merge imposed on A4 sheets with bleed, duplex
backs and envelopes, the same merge in plain and rough realism, a folded card, two cards with
signatures (PNG and SVG), a note in shaped scripts and the font specimen; all seeded and dated, so
two checkouts can be compared. `compare` renders each page with poppler's pdftoppm and counts the
pixels that differ; it exits 1 when any page differs.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIGNATURES = ROOT / "tests" / "fixtures" / "signature"
DAY = "2026-01-05"

PEOPLE = [
    ["Ana Souza", "blue teapot", "Rua Augusta 12", "São Paulo", "01305-000", "Brazil"],
    ["Ben Okafor", "green mug", "4 High Street", "London", "N1 9GU", "United Kingdom"],
    ["Nguyễn Thị Lan", "linen apron", "12 Hàng Bạc", "Hà Nội", "100000", "Viet Nam"],
    ["محمد علي", "olive oil soap", "5 Tahrir St", "Cairo", "11511", "Egypt"],
    ["प्रिया शर्मा", "rice bowl", "22 MG Road", "Pune", "411001", "India"],
    ["田中 さくら", "felt slippers", "1-2-3 Shibuya", "Tokyo", "150-0002", "Japan"],
    ["Zoë Lambert", "wool socks", "8 rue de la Paix", "Paris", "75002", "France"],
    ["Jonas Schmidt", "tea towel", "Hauptstraße 5", "Berlin", "10115", "Germany"],
    ["Mary O'Brien", "candle", "1 Main St", "Boston", "02134", "US"],
]


def _cli(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "notes", *args], check=True, capture_output=True)


def make(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "people.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "product", "address1", "city", "zip", "country"])
        writer.writerows(PEOPLE)
    _cli("demo", "--customers", "12", "--seed", "3", "-o", str(folder / "demo"))
    merge = ["merge", str(source), "-t", "thank-you", "-q", "-j", "1", "--today", DAY]
    _cli(*merge, "-o", str(folder / "sheets.pdf"), "--sheet", "a4", "--bleed", "3",
         "--envelopes", str(folder / "envelopes.pdf"), "--seed", "5")  # fmt: skip
    with tempfile.TemporaryDirectory() as work:
        postcard = ROOT / "tests" / "fixtures" / "merge" / "postcard.j2"
        _cli("merge", str(source), "-t", str(postcard), "-q", "-j", "1", "--duplex",
             "--sheet", "letter", "-o", str(folder / "duplex.pdf"),
             "--manifest", str(Path(work) / "m.csv"))  # fmt: skip
    for realism in ("plain", "rough"):
        _cli(*merge, "-o", str(folder / f"{realism}.pdf"), "--realism", realism, "--card", "a7")
    note = "Dear Ana,\n\nThank you so much for the blue teapot!\n\nWarmly,\nMaya"
    _cli("write", "--text", note, "--card", "a2-folded", "-o", str(folder / "folded.pdf"))
    _cli("write", "--text", note, "--card", "a2-folded", "--orientation", "landscape",
         "--font", "dancing-script", "-o", str(folder / "tent.pdf"))  # fmt: skip
    for kind in ("png", "svg"):
        _cli("write", "--text", note, "--signature", str(SIGNATURES / f"signature.{kind}"),
             "-o", str(folder / f"signed-{kind}.pdf"))  # fmt: skip
    shaped = "Dear محمد علي, प्रिया and שרה,\n\nขอบคุณ 谢谢你 Cảm ơn bạn 😍 thank you!\n\nMaya"
    _cli("write", "--text", shaped, "--ink", "#1a2b6d", "-o", str(folder / "shaped.pdf"))
    _cli("fonts", "--specimen", str(folder / "specimen.pdf"))
    print(f"wrote {len(list(folder.rglob('*.pdf')))} PDFs into {folder} ({date.today()})")


def _pages(pdf: Path, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "300", "-png", str(pdf), str(out / "p")], check=True)
    return sorted(out.glob("p-*.png"))


def compare(before: Path, after: Path) -> int:
    from PIL import Image, ImageChops

    different = 0
    with tempfile.TemporaryDirectory() as work:
        for pdf in sorted(before.rglob("*.pdf")):
            name = pdf.relative_to(before)
            other = after / name
            if not other.exists():
                print(f"{name}: missing in {after}")
                different += 1
                continue
            a = _pages(pdf, Path(work) / "a" / str(name))
            b = _pages(other, Path(work) / "b" / str(name))
            if len(a) != len(b):
                print(f"{name}: {len(a)} pages before, {len(b)} after")
                different += 1
                continue
            for page, (x, y) in enumerate(zip(a, b, strict=True), 1):
                first, second = Image.open(x), Image.open(y)
                if first.size != second.size:
                    print(f"{name} page {page}: size {first.size} -> {second.size}")
                    different += 1
                    continue
                box = ImageChops.difference(first.convert("RGB"), second.convert("RGB"))
                changed = first.width * first.height - box.convert("L").histogram()[0]
                print(f"{name} page {page}: {changed} of {first.width * first.height} px differ")
                different += changed > 0
    print("identical" if not different else f"{different} pages differ")
    return 1 if different else 0


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "make":
        make(Path(sys.argv[2]))
        return 0
    if len(sys.argv) == 4 and sys.argv[1] == "compare":
        return compare(Path(sys.argv[2]), Path(sys.argv[3]))
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
