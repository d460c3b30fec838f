"""A Ctrl-C raised where it is safe. reportlab's PDF formatting catches every exception and
turns a KeyboardInterrupt into KeyError "forward reference ... not resolved", so a Ctrl-C that
lands inside it is held and raised at the next safe point (the next card) instead."""

from __future__ import annotations

import os
from types import FrameType

_UNSAFE = (f"{os.sep}reportlab{os.sep}",)  # libraries whose bare `except:` would swallow it
_held = False


def raise_now_or_hold(frame: FrameType | None) -> None:
    """From a SIGINT handler: raise KeyboardInterrupt, unless `frame` is inside a library that
    would swallow it; then hold it for `raise_held`."""
    global _held
    while frame is not None:
        if any(part in frame.f_code.co_filename for part in _UNSAFE):
            _held = True
            return
        frame = frame.f_back
    raise KeyboardInterrupt


def raise_held() -> None:
    """At a safe point of a long run: raise the Ctrl-C held meanwhile, if any."""
    global _held
    if _held:
        _held = False
        raise KeyboardInterrupt
