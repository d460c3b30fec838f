"""People who asked not to be written to: the do-not-contact list named in notes.toml.

A plain file of e-mails, one a line (blank lines and # comments left out), or a CSV with an
e-mail column (a shop's export of unsubscribed customers). `day` and `merge` skip everyone on it
and say so in the manifest.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from notes.errors import ConfigError
from notes.files import read_listed_file

_EMAIL_COLUMNS = ("email", "e-mail", "email address", "customer email", "mail")


def read_do_not_contact(path: Path, *, where: str) -> dict[str, str]:
    """Casefolded e-mail -> where it is listed ('do-not-contact.txt line 3')."""
    text = read_listed_file(
        path,
        what="do-not-contact",
        where=where,
        hint="create it with one e-mail a line, or remove do_not_contact from notes.toml",
    )
    lines = text.splitlines()
    first = next((line for line in lines if line.strip() and not line.startswith("#")), "")
    if any(sep in first for sep in ",;\t"):
        return _from_csv(text, path)
    listed: dict[str, str] = {}
    for number, line in enumerate(lines, 1):
        email = line.split("#", 1)[0].strip()
        if email:
            listed.setdefault(email.casefold(), f"{path.name} line {number}")
    return listed


def _from_csv(text: str, path: Path) -> dict[str, str]:
    rows = list(csv.reader(io.StringIO(text), csv.Sniffer().sniff(text[:4096], ",;\t")))
    header = [h.strip().casefold() for h in rows[0]]
    column = next((header.index(c) for c in _EMAIL_COLUMNS if c in header), None)
    if column is None:
        raise ConfigError(
            f"the do-not-contact file has no e-mail column (columns: {', '.join(rows[0])})",
            where=str(path),
            hint="name the column 'email', or list one e-mail a line",
        )
    listed: dict[str, str] = {}
    for number, row in enumerate(rows[1:], 2):
        if len(row) > column and row[column].strip():
            listed.setdefault(row[column].strip().casefold(), f"{path.name} line {number}")
    return listed


def do_not_contact_from_config(config) -> dict[str, str]:  # noqa: ANN001 - notes.config.Config
    if not config.privacy.do_not_contact:
        return {}
    path = config.file(config.privacy.do_not_contact)
    return read_do_not_contact(path, where=config.where("privacy", "do_not_contact"))
