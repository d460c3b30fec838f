"""The --preset help of `notes day` and `notes demo`, built from the shop-format registry."""

from __future__ import annotations

from typer.core import TyperCommand


class ShopFormatHelp(TyperCommand):
    """A command whose --preset help lists the shop formats, read from the registry (with any
    plugin's) only when help is shown, so that starting a command stays fast."""

    def format_help(self, ctx, formatter) -> None:  # noqa: ANN001 - typer's own click types
        from notes.errors import NotesError
        from notes.shops import shop_formats

        demo = self.name == "demo"
        try:
            formats = [f for f in shop_formats() if f.demo_rows is not None or not demo]
        except NotesError as exc:  # a broken plugin: help still shows, and says why
            formats, broken = [], f" (no list: {exc.message})"
        else:
            broken = ""
        for param in self.params:
            if param.name == "preset":
                named = [
                    f"{f.name} ({f.description})" if f.description else f.name for f in formats
                ]
                auto = "" if demo else "auto (from the header row), "
                param.help = f"{auto}{', '.join(named)}.{broken}"
        super().format_help(ctx, formatter)
