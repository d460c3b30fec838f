"""One error hierarchy. The library raises these; only the CLI prints them and exits.

Every message says what was wrong, where (file, row/line, field) and what to do.
"""

from __future__ import annotations


class NotesError(Exception):
    """Root of every error `notes` reports to a user. exit_code is what the CLI exits with."""

    exit_code = 1

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def located(self, where: str) -> NotesError:
        """Return the same error with a location prefixed (e.g. 'customers.csv line 7')."""
        self.where = f"{where}, {self.where}" if self.where else where
        return self


class UsageError(NotesError):
    """The command line itself is wrong (bad option value, conflicting options)."""

    exit_code = 2


class ConfigError(NotesError):
    """notes.toml is wrong: unknown key, wrong type."""


class DataError(NotesError):
    """An input file or one of its rows is unusable."""


class TemplateError(NotesError):
    """A template is missing, broken, unsafe, or needs a field the data lacks."""


class FontError(NotesError):
    """A font cannot be loaded, or a character cannot be drawn by any font."""


class LayoutError(NotesError):
    """The text does not fit the card even at the smallest size."""


class OutputError(NotesError):
    """An output file cannot be written (exists without --force, folder missing...)."""


class PhotoError(NotesError):
    """A photo of the handwriting sheet cannot be learned from: no sheet in it, cut off, empty,
    too large, not an image."""


class PrintError(NotesError):
    """A file cannot be sent to a printer: no CUPS, no such printer, a paper size it lacks."""
