"""tkinter.simpledialog for the browser: askstring, askfloat and askinteger (what turtle's
textinput and numinput call) ask in a dialog of the page.

The page checks numbers and their bounds before it answers; they are checked again here, and a
value that fails is asked for again, as Tk's dialog keeps itself open until the value is valid.
The dialog classes (Dialog, SimpleDialog...) need Tk widgets and are not available.
"""

import tkinter as _tk

__all__ = ["askstring", "askfloat", "askinteger"]


def _ask(kind, convert, title, prompt, initialvalue=None, minvalue=None, maxvalue=None, **options):
    # `parent` and `show` (a password's mask character) are accepted and have no use here.
    while True:
        answer = _tk._ask(kind, title, prompt, initialvalue, minvalue, maxvalue)
        if answer is None:
            return None
        try:
            value = convert(answer)
        except ValueError:
            initialvalue = answer
            continue
        if (minvalue is not None and value < minvalue) or (maxvalue is not None and value > maxvalue):
            initialvalue = answer
            continue
        return value


def _integer(text):
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        return int(text, 0)  # Tcl's integers: 0x1f too


def askstring(title, prompt, **kw):
    """Asks for a string; None if the dialog is cancelled."""
    return _ask("string", str, title, prompt, **kw)


def askfloat(title, prompt, **kw):
    """Asks for a float (within minvalue..maxvalue if given); None if cancelled."""
    return _ask("float", float, title, prompt, **kw)


def askinteger(title, prompt, **kw):
    """Asks for an integer (within minvalue..maxvalue if given); None if cancelled."""
    return _ask("integer", _integer, title, prompt, **kw)


def __getattr__(name):
    if name.startswith("_"):
        raise AttributeError(f"module 'tkinter.simpledialog' has no attribute {name!r}")
    raise _tk._unavailable(f"tkinter.simpledialog.{name}")
