"""A customers CSV for tests that need rows, not particular data."""

from __future__ import annotations

import csv
from pathlib import Path


def customers_csv(folder: Path, count: int) -> Path:
    """`count` rows of name and product in `folder`/customers-<count>.csv."""
    path = folder / f"customers-{count}.csv"
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["name", "product"])
        writer.writerows([f"Ana Souza {i}", "blue teapot"] for i in range(count))
    return path
