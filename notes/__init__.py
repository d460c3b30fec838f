"""notes: turn customer data into printable thank-you cards that look written by hand."""

__version__ = "0.1.0"
