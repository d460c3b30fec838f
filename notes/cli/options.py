"""Options shared by the commands, each declared once.

The style options (font, ink, card ... seed) are the fields of `StyleOptions`. A command that
draws cards takes one parameter `style: StyleOptions = StyleOptions()` and is decorated with
`@style_options`, which shows typer each field as its own option (--font, --ink ...) and hands
the command the values as one StyleOptions. A new style option is one field here.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
from pathlib import Path
from typing import Annotated, NamedTuple, get_type_hints

import typer

ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", help="Shop settings file (default: ./notes.toml if present)."),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace an existing output file.")]
JobsOpt = Annotated[
    int | None,
    typer.Option("--jobs", "-j", min=1, help="Processes to render with (default: all cores)."),
]
LedgerOpt = Annotated[
    Path | None,
    typer.Option("--ledger", help="The ledger file (default: your user data folder)."),
]
FontOpt = Annotated[
    str | None, typer.Option("--font", help="Font id from `notes fonts`, or a path to a .ttf/.otf.")
]
InkOpt = Annotated[
    str | None, typer.Option("--ink", help="blue-black (default), blue, black, or a hex colour.")
]
CardOpt = Annotated[
    str | None,
    typer.Option("--card", help="a6, a7, a5, 4x6in, 5x7in, 3.5x5in, a2-folded, or e.g. 120x170mm."),
]
OrientationOpt = Annotated[str | None, typer.Option("--orientation", help="portrait or landscape.")]
SeedOpt = Annotated[
    int, typer.Option("--seed", help="Same input and seed give a byte-identical PDF.")
]
MessinessOpt = Annotated[
    float | None,
    typer.Option("--messiness", min=0.0, max=1.0, help="0 = plain font ... 1 = a hurried hand."),
]
RealismOpt = Annotated[
    str | None,
    typer.Option(
        "--realism", help="plain (font text, fastest), natural (default) or rough letter shapes."
    ),
]
XHeightOpt = Annotated[
    float | None,
    typer.Option(
        "--x-height",
        min=1.5,
        max=6.0,
        help="The hand's size: a letter x's height in mm (default 2.7), on every card.",
    ),
]
SignatureOpt = Annotated[
    Path | None,
    typer.Option("--signature", help="Your scanned signature (PNG with transparency, or SVG)."),
]


# A NamedTuple, not a dataclass: `import notes.cli` does not pay for dataclasses.
class StyleOptions(NamedTuple):
    """How the cards look, as given on the command line (None: not given, notes.toml decides)."""

    font: FontOpt = None
    ink: InkOpt = None
    card: CardOpt = None
    orientation: OrientationOpt = None
    seed: SeedOpt = 0
    messiness: MessinessOpt = None
    realism: RealismOpt = None
    signature: SignatureOpt = None
    x_height: XHeightOpt = None

    def resolve(self, config):  # noqa: ANN001, ANN201 - notes.config.Config -> notes.render.Style
        """Command-line options win over notes.toml, which wins over the defaults."""
        from notes.cards import parse_card
        from notes.config import check_style_settings
        from notes.render import Style

        given = ("card", "orientation", "ink", "font", "realism")
        check_style_settings(config, [key for key in given if getattr(self, key)])
        chosen = config.style
        orientation = self.orientation or chosen.orientation
        return Style(
            font=self.font or chosen.font,
            ink=self.ink or chosen.ink,
            card=parse_card(self.card or chosen.card, orientation=orientation),
            messiness=chosen.messiness if self.messiness is None else self.messiness,
            seed=self.seed,
            realism=self.realism or chosen.realism,
            signature=str(self.signature) if self.signature else (chosen.signature_image or None),
            x_height=chosen.x_height if self.x_height is None else self.x_height,
            envelope_font=chosen.envelope_font or None,
        )


def style_options(command):  # noqa: ANN001, ANN201 - a typer command function
    """Show typer the command's `style` parameter as one option per StyleOptions field, and call
    the command with them gathered back into one StyleOptions."""
    return _WithStyleOptions(command)


class _WithStyleOptions:
    """A command as typer reads it (name, help, signature, annotations) with `style` expanded.
    The signature is worked out when typer first asks, not at import: evaluating the options'
    annotations costs milliseconds that `import notes.cli` should not pay."""

    def __init__(self, command) -> None:  # noqa: ANN001
        functools.update_wrapper(self, command, assigned=("__module__", "__name__", "__doc__"))

    def __call__(self, **values):  # noqa: ANN003, ANN204 - typer passes every value by name
        chosen = {name: values.pop(name) for name in StyleOptions._fields}
        return self.__wrapped__(style=StyleOptions(**chosen), **values)

    @functools.cached_property
    def __signature__(self) -> inspect.Signature:
        signature = inspect.signature(self.__wrapped__, eval_str=True)
        if signature.parameters.get("style", inspect.Parameter).annotation is not StyleOptions:
            raise TypeError(f"{self.__name__} has no parameter `style: StyleOptions`")
        hints = get_type_hints(StyleOptions, include_extras=True)
        by_name = inspect.Parameter.KEYWORD_ONLY  # keeps any order of defaults valid
        defaults = StyleOptions()._asdict()
        expanded = [
            inspect.Parameter(name, by_name, default=default, annotation=hints[name])
            for name, default in defaults.items()
        ]
        parameters = []
        for parameter in signature.parameters.values():
            if parameter.name == "style":
                parameters += expanded
            else:
                parameters.append(parameter.replace(kind=by_name))
        return signature.replace(parameters=parameters)

    @functools.cached_property
    def __annotations__(self) -> dict[str, object]:
        return {p.name: p.annotation for p in self.__signature__.parameters.values()}


def parse_date(text: str | None, option: str) -> dt.date | None:
    """A YYYY-MM-DD option value, or a message that says how to write it."""
    from notes.errors import UsageError

    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"{option} {text!r} is not a date", hint=f"write it like {option} 2026-11-21"
        ) from None
