"""`notes day --explain` on a hand-made export whose every customer's card is known in advance
(tests/fixtures/day/expected.csv), without any order history and after importing the shop's
customers export; and `notes ledger import` itself.

Before occasions came from facts, notes like "This is a gift for a friend" made referrals,
"Sorry for the late reply" apologies, and every customer new to the ledger got a welcome.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from notes.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "day"
ORDERS, CUSTOMERS = str(FIXTURES / "orders.csv"), str(FIXTURES / "customers.csv")
runner = CliRunner()
_EXPLAINED = re.compile(r"^(?P<name>[^:\n]+): (?P<what>[^\[\n]+) \[(?P<rule>[\w-]+)\] (?P<why>.*)$")


def invoke(*args: str):
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output, result.output
    assert result.exit_code == 0, result.output
    return result


def expected() -> list[dict[str, str]]:
    with (FIXTURES / "expected.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def explained(ledger: Path) -> dict[str, tuple[str, str]]:
    """customer -> (rule, reason), from `notes day --explain --dry-run`."""
    result = invoke("day", ORDERS, "--ledger", str(ledger), "--date", "2026-11-21",
                    "--explain", "--dry-run")  # fmt: skip
    found = {}
    for line in result.output.splitlines():
        if match := _EXPLAINED.match(line):
            found[match["name"]] = (match["rule"], match["why"])
    return found


def test_every_customer_gets_the_expected_card_without_any_history(tmp_path):
    chosen = explained(tmp_path / "ledger.sqlite3")
    assert set(chosen) == {row["customer"] for row in expected()}
    assert {name: rule for name, (rule, _) in chosen.items()} == {
        row["customer"]: row["without_history"] for row in expected()
    }
    # Nothing tells a first order: said as such, never a welcome.
    assert chosen["Nora New"][1].startswith("order count unknown: no earlier order")
    assert "notes ledger import customers.csv" in chosen["Nora New"][1]


def test_every_customer_gets_the_expected_card_after_importing_the_customers_export(tmp_path):
    ledger = tmp_path / "ledger.sqlite3"
    imported = invoke("ledger", "import", CUSTOMERS, "--ledger", str(ledger), "--as-of",
                      "2026-11-20")  # fmt: skip
    assert "imported 6 customers from customers.csv (shopify), as of 2026-11-20" in imported.output
    assert "4 have ordered, 2 have not yet" in imported.output
    chosen = explained(ledger)
    assert {name: rule for name, (rule, _) in chosen.items()} == {
        row["customer"]: row["with_customers_export"] for row in expected()
    }
    reasons = {name: why for name, (_, why) in chosen.items()}
    assert reasons["Grace Gift"] == "0 orders in the customers export customers.csv (to 2026-11-20)"
    assert reasons["Nora New"] == "not in the customers export customers.csv (to 2026-11-20)"
    assert reasons["Sam Slow"] == "3 orders in the customers export customers.csv (to 2026-11-20)"
    assert reasons["Fay First"] == (
        "order #2003 total 150.00 is above 100.00; not in the customers export customers.csv "
        "(to 2026-11-20)"
    )
    assert reasons["Pat Partial"] == "order #2004 was partially refunded (9.00)"
    assert reasons["Rae Referred"] == "order #2005 note attribute referred_by: Grace Gift"


def test_phrases_opted_into_in_notes_toml_read_the_notes(tmp_path):
    config = tmp_path / "notes.toml"
    config.write_text('[day]\napology_phrases = ["late reply"]\n', encoding="utf-8")
    result = invoke("day", ORDERS, "--ledger", str(tmp_path / "l.sqlite3"), "--date",
                    "2026-11-21", "--explain", "--dry-run", "--config", str(config))  # fmt: skip
    assert (
        "Sam Slow: apology [apology] order #2002 note has the phrase 'late reply' "
        "(apology_phrases): “Sorry for the late reply”" in result.output
    )


@pytest.mark.parametrize(
    "header, row, preset",
    [
        ("Square Customer ID,First Name,Surname,Email Address,Transaction Count,First Visit",
         "SQ1,Ana,Souza,ana@example.com,4,2025-03-02", "square"),
        ("Name,Username,Last active,Date registered,Email,Orders,Total spend,AOV,Country / Region",
         "Ana Souza,ana,2026-11-01,2025-03-02,ana@example.com,4,99.00,24.75,BR", "woocommerce"),
        ("E-mail,Name,Orders Count,First Order", "ana@example.com,Ana Souza,4,2025-03-02",
         "generic"),
    ],
)  # fmt: skip
def test_customers_exports_of_every_shop_are_read(tmp_path, header, row, preset):
    export = tmp_path / "customers.csv"
    export.write_text(f"{header}\n{row}\n,,,,\n", encoding="utf-8")
    ledger = str(tmp_path / "l.sqlite3")
    result = invoke("ledger", "import", str(export), "--ledger", ledger, "--as-of", "2026-11-20")
    assert f"imported 1 customer from customers.csv ({preset})" in result.output
    orders = tmp_path / "orders.csv"
    orders.write_text("Order Number,Date,Name,Email,Product\n1,2026-11-21,Ana Souza,"
                      "ana@example.com,Mug\n", encoding="utf-8")  # fmt: skip
    day = invoke("day", str(orders), "--ledger", ledger, "--explain", "--dry-run")
    assert "Ana Souza: loyal [loyal] 4 orders in the customers export" in day.output


def test_a_customers_export_without_an_order_count_is_refused(tmp_path):
    export = tmp_path / "people.csv"
    export.write_text("Email,Name\nana@example.com,Ana\n", encoding="utf-8")
    result = runner.invoke(app, ["ledger", "import", str(export), "--ledger",
                                 str(tmp_path / "l.sqlite3")])  # fmt: skip
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "no order count column" in result.output and "Total Orders" in result.output


def test_rows_that_cannot_be_read_are_problems_and_the_rest_imported(tmp_path):
    export = tmp_path / "customers.csv"
    export.write_text(
        "Email,Name,Orders\nana@example.com,Ana,2\n,Bea,1\ncai@example.com,Cai,lots\n",
        encoding="utf-8",
    )
    result = invoke("ledger", "import", str(export), "--ledger", str(tmp_path / "l.sqlite3"),
                    "--as-of", "2026-11-20")  # fmt: skip
    assert "imported 1 customer from" in result.output
    assert "customers.csv line 3: no e-mail or customer id for 'Bea'; row skipped" in result.output
    assert "order count 'lots' is not a number" in result.output
