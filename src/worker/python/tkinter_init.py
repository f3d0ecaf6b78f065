"""tkinter for the browser: the part of Tk that turtle graphics draws with, on a canvas in the page.

A browser tab has no Tk. CPython's own, unmodified turtle.py (and turtledemo) only needs a small
layer of it: a window (Tk), a Frame, a Canvas with line, polygon, text, image, oval and rectangle
items, a Scrollbar it never scrolls, PhotoImage, timers, mouse and key bindings, mainloop and the
dialogs of tkinter.simpledialog. This package implements exactly that, drawing in the page;
everything else in tkinter (Button, Label, Text, Menu, messagebox, ttk...) raises
TkUnavailableError, an ImportError that says why, rather than half working.

It talks to the page through the device /dev/canvas, opened once. Each os.write is a request:
  b"D" + a JSON array of drawing ops   (sent in batches at flush points, never one per item)
  b"W" + seconds                       (wait for a page event, the time, or Ctrl+C: EINTR)
  b"M" + JSON {"font", "text"}         (measure text: the next read answers "WIDTH ASCENT DESCENT")
and os.read answers a measurement, or the pending page events as JSON lines (b"" if none).
Flush points: update(), update_idletasks(), after(ms), waits in mainloop and dialogs, destroy,
2000 pending ops, exit, and each interactive prompt (sitecustomize's sys.ps1 runs its
`before_prompt` functions when the REPL calls str() on it, before each prompt).

Tk's coordinates, colours (X11 names, #rgb...), fonts (points), anchors and binding rules are
kept; ops carry them normalised (colours "#rrggbb", CSS font strings) so the page needs no Tk.
"""

import enum as _enum
import json as _json
import math as _math
import os as _os
import sys as _sys
import time as _time

from tkinter._colors import COLORS as _COLORS

TkVersion = 8.6
TclVersion = 8.6
READABLE = 2
WRITABLE = 4
EXCEPTION = 8

# tkinter.constants, which `from tkinter import *` also gives.
NO = FALSE = OFF = 0
YES = TRUE = ON = 1
N, S, W, E = "n", "s", "w", "e"
NW, SW, NE, SE = "nw", "sw", "ne", "se"
NS, EW, NSEW = "ns", "ew", "nsew"
CENTER = "center"
NONE, X, Y, BOTH = "none", "x", "y", "both"
LEFT, TOP, RIGHT, BOTTOM = "left", "top", "right", "bottom"
RAISED, SUNKEN, FLAT, RIDGE, GROOVE, SOLID = "raised", "sunken", "flat", "ridge", "groove", "solid"
HORIZONTAL, VERTICAL = "horizontal", "vertical"
NUMERIC = "numeric"
CHAR, WORD = "char", "word"
BASELINE = "baseline"
INSIDE, OUTSIDE = "inside", "outside"
SEL, SEL_FIRST, SEL_LAST = "sel", "sel.first", "sel.last"
END, INSERT, CURRENT, ANCHOR, ALL = "end", "insert", "current", "anchor", "all"
NORMAL, DISABLED, ACTIVE, HIDDEN = "normal", "disabled", "active", "hidden"
CASCADE, CHECKBUTTON, COMMAND, RADIOBUTTON, SEPARATOR = (
    "cascade", "checkbutton", "command", "radiobutton", "separator")
SINGLE, BROWSE, MULTIPLE, EXTENDED = "single", "browse", "multiple", "extended"
DOTBOX, UNDERLINE = "dotbox", "underline"
PIESLICE, CHORD, ARC, FIRST, LAST = "pieslice", "chord", "arc", "first", "last"
BUTT, PROJECTING, ROUND, BEVEL, MITER = "butt", "projecting", "round", "bevel", "miter"
MOVETO, SCROLL, UNITS, PAGES = "moveto", "scroll", "units", "pages"

_WHY = ("Tk windows are not available in the browser: this tkinter has only what turtle "
        "graphics draws with (Tk, Frame, Canvas, Scrollbar, PhotoImage, mainloop and "
        "simpledialog's askstring, askfloat and askinteger)")


class TclError(Exception):
    pass


class TkUnavailableError(ImportError):
    """A part of tkinter that cannot exist in a browser tab (an ImportError, so that
    `from tkinter import Button` and `import tkinter.ttk` fail the way a missing module does)."""


class _UnavailableMethod(AttributeError):
    """A Tk method this tkinter does not have (an AttributeError, so hasattr() keeps working)."""


def _unavailable(what, name="tkinter"):
    return TkUnavailableError(f"{what} is not available: {_WHY}", name=name)


# Submodules this package has; `import tkinter.messagebox` and the like get TkUnavailableError.
_SUBMODULES = ("tkinter.simpledialog", "tkinter._colors")


class _UnavailableSubmodules:
    """Meta-path finder: a tkinter submodule other than ours says why it is missing."""

    _tkinter_browser_finder = True

    @staticmethod
    def find_spec(name, path=None, target=None):
        if name.startswith("tkinter.") and name not in _SUBMODULES:
            raise _unavailable(f"module {name}", name)
        return None

    @staticmethod
    def invalidate_caches():
        pass


if not any(getattr(f, "_tkinter_browser_finder", False) for f in _sys.meta_path):
    _sys.meta_path.insert(0, _UnavailableSubmodules)


def __getattr__(name):
    # `from tkinter import simpledialog` (turtle's) looks for the attribute before it imports
    # the submodule. Private and dunder lookups (copy, pickle, hasattr probes) stay plain
    # AttributeErrors; every other public name is a part of Tk that is not here.
    if name == "simpledialog":
        import tkinter.simpledialog

        return tkinter.simpledialog
    if name.startswith("_"):
        raise AttributeError(f"module 'tkinter' has no attribute {name!r}")
    raise _unavailable(f"tkinter.{name}")


# ---------------------------------------------------------------------------------------------
# The device and the batch of ops


_MAX_PENDING = 2000  # flush on this many pending ops: a long tracer(0) loop still draws
_NO_TIMER = 3600.0  # a wait with no timer due: finite, the device wants a number


class _Device:
    """/dev/canvas and the ops not yet sent.

    Ops about the window, canvases and images go first in a batch (items refer to them); item
    ops are coalesced per item within a batch (a create, coords or config op not yet sent is
    updated in place), because turtle sets an item's coordinates and options again at every
    step and a tracer(0) loop would otherwise send each line's growing point list thousands
    of times."""

    def __init__(self):
        self.fd = None
        self.front = {}  # ("canvas", cv) / ("image", id) / ("window",) → op
        self.ops = []
        self.pending = {}  # item id → {"create"|"coords"|"config": op} of this batch
        self.measures = {}  # (css font, text) → (width, ascent, descent)

    def open(self):
        if self.fd is None:
            try:
                self.fd = _os.open("/dev/canvas", _os.O_RDWR)
            except OSError as error:
                raise TclError(f"no display: the page's drawing device is missing ({error})") from None
            import atexit

            atexit.register(self.flush_quietly)
        return self.fd

    # -- queueing

    def put_front(self, key, op):
        self.front[key] = op
        self._maybe_flush()

    def put(self, op):
        self.ops.append(op)
        self._maybe_flush()

    def create(self, op):
        self.ops.append(op)
        self.pending[op["id"]] = {"create": op}
        self._maybe_flush()

    def coords(self, item_id, coords):
        slot = self.pending.setdefault(item_id, {})
        op = slot.get("create") or slot.get("coords")
        if op is not None:
            op["coords"] = coords
            return
        slot["coords"] = op = {"op": "coords", "id": item_id, "coords": coords}
        self.put(op)

    def config(self, item_id, changes):
        slot = self.pending.setdefault(item_id, {})
        op = slot.get("create") or slot.get("config")
        if op is not None:
            op.update(changes)
            return
        slot["config"] = op = {"op": "config", "id": item_id, **changes}
        self.put(op)

    def delete(self, item_id):
        self.pending.pop(item_id, None)
        self.put({"op": "delete", "id": item_id})

    def restack(self, how, item_id):
        op = {"op": how, "id": item_id}
        if not self.ops or self.ops[-1] != op:  # turtle raises its shape at every step
            self.put(op)

    def _maybe_flush(self):
        if len(self.ops) + len(self.front) > _MAX_PENDING:
            self.flush()

    # -- requests

    def flush(self):
        if not self.ops and not self.front:
            return
        batch = list(self.front.values()) + self.ops
        self.front, self.ops, self.pending = {}, [], {}
        data = _json.dumps(batch, separators=(",", ":"))
        _os.write(self.open(), b"D" + data.encode())

    def flush_quietly(self):
        try:
            self.flush()
        except Exception:
            pass  # at exit, or a prompt: the page is gone or the device is missing

    def wait(self, seconds):
        """Flushes, then waits until the page has an event, `seconds` passed, or Ctrl+C (the
        device fails with EINTR, and CPython raises KeyboardInterrupt in its signal handler)."""
        self.flush()
        seconds = min(max(seconds, 0.0), _NO_TIMER)
        _os.write(self.open(), b"W%.3f" % seconds)

    def events(self):
        data = _os.read(self.open(), 1 << 20)
        events = []
        for line in data.decode("utf-8", "replace").splitlines():
            if line.strip():
                try:
                    events.append(_json.loads(line))
                except ValueError:
                    pass  # a malformed line from the page: nothing Python can do with it
        return events

    def measure(self, font, text):
        key = (font, text)
        found = self.measures.get(key)
        if found is None:
            request = _json.dumps({"font": font, "text": text})
            _os.write(self.open(), b"M" + request.encode())
            try:
                width, ascent, descent = (float(v) for v in _os.read(self.open(), 1 << 20).split()[:3])
            except ValueError:
                width, ascent, descent = 0.0, 0.0, 0.0
            found = self.measures[key] = (width, ascent, descent)
        return found


_device = _Device()


def _install_prompt_flush():
    """What was drawn since the last flush is sent before each interactive prompt, as a
    desktop Tk redraws while the REPL waits (sitecustomize runs `before_prompt` then)."""
    try:
        from sitecustomize import before_prompt
    except ImportError:
        return  # not the worker's Python: no prompt hook
    if _device.flush_quietly not in before_prompt:
        before_prompt.append(_device.flush_quietly)


_input_hook_installed = False


def _input_hook(signum, frame):
    """SIGUSR1: the worker's sign that the page sent events (a click, a key) while Python
    waits for input, at the prompt or in input(). Handled here as a desktop Tk's input hook
    handles them, then Python reads on."""
    if _loop.roots:
        _loop.update()
    else:
        _device.events()  # no window any more: its late events have nowhere to go


def _install_input_hook():
    """Asks the worker to raise SIGUSR1 for events that arrive while Python waits for input
    (see `canvas_protocol`), once our handler is in place."""
    global _input_hook_installed
    if _input_hook_installed:
        return
    try:
        import signal

        signal.signal(signal.SIGUSR1, _input_hook)
        _os.write(_device.open(), b"H")
    except (ValueError, OSError):
        return  # not the main thread, or no device: events then wait for update() or mainloop()
    _input_hook_installed = True


# ---------------------------------------------------------------------------------------------
# Colours, fonts, numbers


_color_cache = {}


def _rgb16(color):
    """Tk's colour lookup (Tk's xcolors.c): X11 names case-insensitively, #rgb, #rrggbb,
    #rrrgggbbb, #rrrrggggbbbb; 16-bit components."""
    name = str(color)
    if name.startswith("#"):
        digits = name[1:]
        if len(digits) in (3, 6, 9, 12) and all(c in "0123456789abcdefABCDEF" for c in digits):
            n = len(digits) // 3
            r, g, b = (int(digits[i * n:(i + 1) * n], 16) for i in range(3))
            if n == 1:
                return r * 0x1111, g * 0x1111, b * 0x1111
            if n == 2:
                return r * 0x101, g * 0x101, b * 0x101
            if n == 3:
                return tuple(v << 4 | v >> 8 for v in (r, g, b))
            return r, g, b
        raise TclError(f'invalid color name "{name}"')
    rgb = _COLORS.get(name.lower())
    if rgb is None:
        raise TclError(f'unknown color name "{name}"')
    return tuple(v * 0x101 for v in rgb)


def _color(value):
    """An option's colour as the ops carry it: "#rrggbb", or "" for none."""
    if value is None or value == "":
        return ""
    found = _color_cache.get(value) if isinstance(value, str) else None
    if found is None:
        r, g, b = _rgb16(value)
        found = f"#{r >> 8:02x}{g >> 8:02x}{b >> 8:02x}"
        if isinstance(value, str) and len(_color_cache) < 4096:
            _color_cache[value] = found
    return found


def _number(value, what="floating-point number"):
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise TclError(f'expected {what} but got "{value}"') from None
    if not _math.isfinite(number):
        raise TclError(f'expected {what} but got "{value}"')
    return number


_UNITS = {"c": 96 / 2.54, "i": 96.0, "m": 96 / 25.4, "p": 96 / 72}


def _pixels(value):
    """A Tk screen distance (300, "300", "3c", "2i", "10m", "72p") in pixels."""
    text = str(value).strip()
    scale = _UNITS.get(text[-1:], None)
    if scale is not None:
        text = text[:-1]
    number = _number(text, "screen distance")
    return int(round(number * (scale or 1.0)))


def _split_tcl_list(text):
    """Splits a Tcl list ("{Times New Roman} 12 bold") into its words."""
    words, i, n = [], 0, len(text)
    while i < n:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            break
        if text[i] == "{":
            depth, j = 1, i + 1
            while j < n and depth:
                depth += {"{": 1, "}": -1}.get(text[j], 0)
                j += 1
            words.append(text[i + 1:j - 1])
            i = j
        elif text[i] == '"':
            j = text.find('"', i + 1)
            j = n if j < 0 else j
            words.append(text[i + 1:j])
            i = j + 1
        else:
            j = i
            while j < n and not text[j].isspace():
                j += 1
            words.append(text[i:j])
            i = j
    return words


# Tk's standard named fonts, and the family names Tk guarantees, as CSS generic families.
_GENERIC = {
    "tkdefaultfont": "sans-serif", "tktextfont": "sans-serif", "tkheadingfont": "sans-serif",
    "tkcaptionfont": "sans-serif", "tksmallcaptionfont": "sans-serif", "tkiconfont": "sans-serif",
    "tkmenufont": "sans-serif", "tktooltipfont": "sans-serif", "tkfixedfont": "monospace",
    "courier": "monospace", "courier new": "monospace", "fixed": "monospace",
    "monospace": "monospace", "mono": "monospace",
    "times": "serif", "times new roman": "serif", "serif": "serif",
    "helvetica": "sans-serif", "arial": "sans-serif", "sans-serif": "sans-serif", "sans": "sans-serif",
}
_DEFAULT_FONT = ("TkDefaultFont", -12, ())
_font_cache = {}


def _css_font(font):
    """Tk's font description as (CSS font string, underline).

    Tk: (family, size, style words...) or the same as a string; size > 0 is points (4/3 px at
    Tk's usual 96 dpi), < 0 is pixels; style words normal, bold, roman, italic, underline,
    overstrike. CSS: '[italic ][bold ]SIZEpx "Family", generic' (a generic family alone for
    Tk's named fonts). Overstrike has no CSS font equivalent and is dropped."""
    try:
        key = font
        found = _font_cache.get(key)
    except TypeError:  # a list, or a tuple holding one
        key = repr(font)
        found = _font_cache.get(key)
    if found is not None:
        return found
    if font is None or font == "":
        family, size, styles = _DEFAULT_FONT
    else:
        if isinstance(font, str):
            words = _split_tcl_list(font)
        else:
            words = [str(w) for w in font[:2]]
            for style in font[2:]:  # ("Arial", 30, ("bold", "italic")) is a Tcl list too
                words.extend(str(w) for w in (style if isinstance(style, (list, tuple)) else [style]))
        if len(words) > 1 and words[0].startswith("-"):  # -family Arial -size 12 -weight bold
            opts = dict(zip(words[0::2], words[1::2]))
            words = [opts.get("-family", "TkDefaultFont"), opts.get("-size", "0"),
                     opts.get("-weight", ""), opts.get("-slant", ""),
                     "underline" if opts.get("-underline") in ("1", "true") else ""]
        family = words[0] if words else "TkDefaultFont"
        size = words[1] if len(words) > 1 else 0
        styles = [w for word in words[2:] for w in _split_tcl_list(word)]
        try:
            size = float(size)
        except ValueError:
            raise TclError(f'expected integer but got "{size}"') from None
        for style in styles:
            if style.lower() not in ("", "normal", "bold", "roman", "italic", "underline", "overstrike"):
                raise TclError(f'unknown font style "{style}"')
    if size > 0:
        px = size * 4 / 3
    elif size < 0:
        px = -size
    else:
        px = 12.0  # Tk's default size
    lowered = [s.lower() for s in styles]
    parts = []
    if "italic" in lowered:
        parts.append("italic")
    if "bold" in lowered:
        parts.append("bold")
    parts.append(f"{px:.2f}".rstrip("0").rstrip(".") + "px")
    generic = _GENERIC.get(family.lower())
    if not family.strip():
        parts.append("sans-serif")  # Tk's fallback; CSS has no empty family name
    elif family.lower().startswith("tk") and generic:
        parts.append(generic)
    else:
        quoted = family.replace("\\", "\\\\").replace('"', '\\"')
        parts.append(f'"{quoted}", {generic or "sans-serif"}')
    found = (" ".join(parts), "underline" in lowered)
    if len(_font_cache) < 1024:
        _font_cache[key] = found
    return found


# ---------------------------------------------------------------------------------------------
# The event loop: timers, idle callbacks, page events


class _Loop:
    def __init__(self):
        self.roots = []
        self.canvases = {}  # canvas id → Canvas
        self.next_canvas = 1
        self.next_item = 1
        self.next_image = 1
        self.next_ask = 1
        self.timers = {}  # "after#N" → (due, sequence, func, args)
        self.idle = {}  # "after#N" → (sequence, func, args)
        self.sequence = 0
        self.focus = None
        self.answers = {}
        self.quit = False
        self.configure_pending = set()

    def after(self, ms, func, args):
        self.sequence += 1
        name = f"after#{self.sequence}"
        self.timers[name] = (_time.monotonic() + max(ms, 0) / 1000, self.sequence, func, args)
        return name

    def after_idle(self, func, args):
        self.sequence += 1
        name = f"after#{self.sequence}"
        self.idle[name] = (self.sequence, func, args)
        return name

    def run_timers(self):
        # Like Tk, a pass runs only what was due and scheduled before it began: a callback
        # that schedules itself with after(0) runs in the next pass, not forever in this one.
        if not self.timers:
            return
        now, last = _time.monotonic(), self.sequence
        due = sorted((t[0], t[1], name) for name, t in self.timers.items() if t[0] <= now and t[1] <= last)
        for _, _, name in due:
            timer = self.timers.pop(name, None)
            if timer is not None:
                _call(timer[2], *timer[3])

    def run_idle(self):
        last = self.sequence
        for name in sorted(self.idle, key=lambda n: self.idle[n][0]):
            job = self.idle.get(name)
            if job is not None and job[0] <= last:
                del self.idle[name]
                _call(job[1], *job[2])

    def run_configure(self):
        while self.configure_pending:
            root = self.configure_pending.pop()
            if root._alive:
                width, height = root._size()
                root._fire(_Event("Configure", root, width=width, height=height))

    def dispatch_events(self, grab=False):
        """Reads the page's pending events and runs their bindings. During a dialog (grab),
        mouse and key events are dropped, as Tk's dialog grab does."""
        for event in _device.events():
            kind = event.get("ev")
            if kind == "answer":
                self.answers[event.get("ask")] = event.get("value")
            elif kind == "close":
                for root in list(self.roots):
                    root._close_requested()
            elif grab:
                continue
            elif kind in ("press", "release", "motion"):
                canvas = self.canvases.get(event.get("cv"))
                if canvas is not None and canvas._alive:
                    canvas._mouse(kind, event)
            elif kind == "key":
                canvas = self.key_target(event.get("cv"))
                if canvas is not None:
                    canvas._key(event)

    def key_target(self, cv):
        if self.focus is not None and self.focus._alive:
            return self.focus
        alive = [c for c in self.canvases.values() if c._alive]
        if len(alive) == 1:
            return alive[0]
        canvas = self.canvases.get(cv)
        return canvas if canvas is not None and canvas._alive else None

    def update(self):
        self.dispatch_events()
        self.run_timers()
        self.run_idle()
        self.run_configure()
        _device.flush()

    def update_idletasks(self):
        self.run_idle()
        self.run_configure()
        _device.flush()

    def timeout(self):
        if self.idle or self.configure_pending:
            return 0.0
        if not self.timers:
            return _NO_TIMER
        return min(t[0] for t in self.timers.values()) - _time.monotonic()

    def mainloop(self):
        """Tk's mainloop: until every window is destroyed (or quit()): timers, idle callbacks,
        the page's events; between them the device waits (Ctrl+C ends that wait)."""
        self.quit = False
        while self.roots and not self.quit:
            self.update()
            if not self.roots or self.quit:
                break
            timeout = self.timeout()
            if timeout > 0:
                _device.wait(timeout)
        _device.flush()

    def window_closed(self):
        # The Tcl interpreter goes with the last window: its timers never fire.
        self.timers.clear()
        self.idle.clear()
        self.focus = None
        self.quit = True
        _device.put({"op": "close"})
        _device.flush()


_loop = _Loop()
_default_root = None


class _TkApp:
    """widget.tk: the interpreter object. turtle calls `canvas.tk.mainloop()`."""

    def mainloop(self, n=0):
        _loop.mainloop()

    def quit(self):
        _loop.quit = True

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        raise _UnavailableMethod(f"the Tcl interpreter's {name} is not available: {_WHY}", name=name, obj=self)


_tkapp = _TkApp()


def _report_exception(error):
    """As tkinter's report_callback_exception: an error in a callback is printed and the
    loop goes on. Frames of this file are left out: the traceback starts at the callback."""
    import traceback

    _sys.last_exc = error
    _sys.last_type, _sys.last_value, _sys.last_traceback = type(error), error, error.__traceback__
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename == __file__:
        tb = tb.tb_next
    print("Exception in Tkinter callback", file=_sys.stderr)
    traceback.print_exception(type(error), error, tb)


def _call(func, *args):
    # SystemExit ends the program as in tkinter; KeyboardInterrupt too, unlike tkinter
    # (which prints it and carries on): Ctrl+C must stop a program whose work is in callbacks.
    try:
        return func(*args)
    except (SystemExit, KeyboardInterrupt):
        raise
    except BaseException as error:
        root = _default_root
        if root is not None and type(root).report_callback_exception is not Tk.report_callback_exception:
            root.report_callback_exception(type(error), error, error.__traceback__)
        else:
            _report_exception(error)


# ---------------------------------------------------------------------------------------------
# Events and bindings


class EventType(_enum.StrEnum):
    KeyPress = "2"
    Key = KeyPress
    KeyRelease = "3"
    ButtonPress = "4"
    Button = ButtonPress
    ButtonRelease = "5"
    Motion = "6"
    Configure = "22"


class Event:
    """Container for the properties of an event (as tkinter's)."""

    def __repr__(self):
        fields = " ".join(f"{k}={getattr(self, k)!r}" for k in ("num", "keysym", "char", "x", "y", "width", "height")
                          if getattr(self, k, "??") not in ("??", ""))
        return f"<{self.type.name} event {fields}>"


def _Event(kind, widget, **fields):
    event = Event()
    event.serial = event.keycode = event.state = event.delta = 0
    event.num = event.keysym = event.char = event.width = event.height = "??"
    event.keysym_num = 0
    event.x = event.y = event.x_root = event.y_root = 0
    event.time = int(_time.monotonic() * 1000) & 0x7FFFFFFF
    event.send_event = False
    event.type = EventType[kind]
    event.widget = widget
    for name, value in fields.items():
        setattr(event, name, value)
    return event


_MODIFIERS = {"control", "shift", "lock", "alt", "meta", "mod1", "mod2", "mod3", "mod4", "mod5",
              "m1", "m2", "m3", "m4", "m5", "double", "triple", "quadruple", "command", "option",
              "extended", "any"}
_TYPES = {"keypress": "keydown", "key": "keydown", "keyrelease": "keyup", "buttonpress": "press",
          "button": "press", "buttonrelease": "release", "motion": "motion", "configure": "configure",
          "enter": None, "leave": None, "focusin": None, "focusout": None, "mousewheel": None,
          "destroy": None, "expose": None, "map": None, "unmap": None, "visibility": None,
          "activate": None, "deactivate": None, "property": None, "colormap": None,
          "circulate": None, "gravity": None, "reparent": None, "create": None}
# Keysyms a binding may name besides single characters (X11's; Tk rejects unknown ones).
_KEYSYMS = set(
    "space Return Tab BackSpace Escape Delete Insert Home End Prior Next Up Down Left Right "
    "Page_Up Page_Down Shift_L Shift_R Control_L Control_R Alt_L Alt_R Meta_L Meta_R Super_L "
    "Super_R Caps_Lock Num_Lock Scroll_Lock Pause Print Menu Linefeed Clear Break Cancel "
    "exclam quotedbl numbersign dollar percent ampersand apostrophe quoteright parenleft "
    "parenright asterisk plus comma minus period slash colon semicolon less equal greater "
    "question at bracketleft backslash bracketright asciicircum underscore grave quoteleft "
    "braceleft bar braceright asciitilde KP_Enter KP_Add KP_Subtract KP_Multiply KP_Divide "
    "KP_Decimal KP_Home KP_End KP_Up KP_Down KP_Left KP_Right KP_Prior KP_Next KP_Insert "
    "KP_Delete KP_Begin KP_Equal ISO_Left_Tab".split()
    + [f"F{n}" for n in range(1, 25)] + [f"KP_{n}" for n in range(10)])


def _valid_keysym(name):
    # Catches "up" or "enter" for "Up" and "Return", as Tk does; X's many other keysyms
    # (Greek_alpha, XF86AudioPlay...) have an underscore or a prefix, and pass.
    return (len(name) == 1 or name in _KEYSYMS or name in _LATIN1_KEYSYMS or "_" in name
            or name.startswith("XF86"))


_LATIN1_KEYSYMS = set(
    "nobreakspace exclamdown cent sterling currency yen brokenbar section diaeresis copyright "
    "ordfeminine guillemotleft notsign hyphen registered macron degree plusminus twosuperior "
    "threesuperior acute mu paragraph periodcentered cedilla onesuperior masculine "
    "guillemotright onequarter onehalf threequarters questiondown agrave aacute acircumflex "
    "atilde adiaeresis aring ae ccedilla egrave eacute ecircumflex ediaeresis igrave iacute "
    "icircumflex idiaeresis eth ntilde ograve oacute ocircumflex otilde odiaeresis division "
    "oslash ugrave uacute ucircumflex udiaeresis yacute thorn ydiaeresis ssharp multiply".split())


def _parse_sequence(sequence):
    """A Tk event sequence as (type, detail, buttons held, fires): type "press", "release",
    "motion", "keydown", "keyup", "configure" or None (an event the page never sends);
    `fires` is False for modifiers the page's events do not carry (Control, Double...)."""
    if not isinstance(sequence, str) or not sequence:
        raise TclError(f'bad event pattern "{sequence}"')
    if not sequence.startswith("<"):
        if len(sequence) == 1:
            return ("keydown", sequence, (), True)
        return (None, None, (), False)  # a sequence of several keys: never fires here
    if not sequence.endswith(">") or sequence.count("<") != 1:
        if sequence.count("<") > 1:
            return (None, None, (), False)  # several events in a row (<1><1>)
        raise TclError(f'missing ">" in binding "{sequence}"')
    fields = sequence[1:-1].split("-")
    if sequence[1:-1].endswith("--"):  # <Key-->: the minus key
        fields = fields[:-2] + ["-"]
    buttons, fires, kind, detail = [], True, None, None
    i = 0
    while i < len(fields):
        word = fields[i]
        lowered = word.lower()
        if lowered in _MODIFIERS:
            if lowered != "any":
                fires = False
        elif len(lowered) == 2 and lowered[0] == "b" and lowered[1] in "12345":
            buttons.append(int(lowered[1]))
        elif lowered.startswith("button") and lowered[6:] in ("1", "2", "3", "4", "5") and i + 1 < len(fields):
            buttons.append(int(lowered[6:]))
        else:
            break
        i += 1
    rest = fields[i:]
    if not rest:
        raise TclError(f'no event type or button # or keysym in "{sequence}"')
    word = rest[0]
    if word.lower() in _TYPES:
        kind = _TYPES[word.lower()]
        if kind is None:
            return (None, None, (), False)
        if len(rest) > 1:
            detail = "-".join(rest[1:])
    elif len(rest) == 1 and word in ("1", "2", "3", "4", "5"):
        kind, detail = "press", word
    elif len(rest) == 1:
        kind, detail = "keydown", word
    else:
        raise TclError(f'bad event type or keysym "{word}"')
    if kind in ("press", "release") and detail is not None:
        if detail not in ("1", "2", "3", "4", "5"):
            raise TclError(f'bad button number "{detail}"')
        detail = int(detail)
    elif kind in ("keydown", "keyup") and detail is not None and not _valid_keysym(detail):
        raise TclError(f'bad event type or keysym "{detail}"')
    elif kind in ("motion", "configure") and detail is not None:
        raise TclError(f'specified keysym "{detail}" for non-key event')
    return (kind, detail, tuple(buttons), fires)


class _Bindings:
    """The bindings of one widget, item or tag: sequence → [(funcid, func)]."""

    def __init__(self):
        self.by_sequence = {}
        self.parsed = {}

    def bind(self, sequence, func, add):
        parsed = _parse_sequence(sequence)
        funcid = f"{id(func)}{getattr(func, '__name__', 'callback')}"
        entry = (funcid, func)
        if add and sequence in self.by_sequence:
            self.by_sequence[sequence].append(entry)
        else:
            self.by_sequence[sequence] = [entry]
        self.parsed[sequence] = parsed
        return funcid

    def unbind(self, sequence, funcid=None):
        if funcid is None:
            self.by_sequence.pop(sequence, None)
            self.parsed.pop(sequence, None)
        elif sequence in self.by_sequence:
            self.by_sequence[sequence] = [e for e in self.by_sequence[sequence] if e[0] != funcid]

    def get(self, sequence):
        return [func for _, func in self.by_sequence.get(sequence, [])]

    def best(self, kind, detail, button, char=None):
        """The callbacks of the most specific sequence matching the event (Tk fires one
        sequence per binding owner: <KeyPress-a> wins over <KeyPress> for an "a")."""
        best, best_score = None, -1
        for sequence, (skind, sdetail, sbuttons, fires) in self.parsed.items():
            if not fires or skind != kind:
                continue
            score = 0
            if sdetail is not None:
                if kind in ("keydown", "keyup"):
                    if sdetail != detail and not (len(sdetail) == 1 and sdetail == char):
                        continue
                elif sdetail != detail:
                    continue
                score += 2
            if sbuttons:
                if kind in ("release", "motion") and all(b == button for b in sbuttons):
                    score += 1
                else:
                    continue
            if score > best_score:
                best, best_score = sequence, score
        return [] if best is None else self.get(best)


def _fire_callbacks(callbacks, event):
    """Runs the callbacks; True if one returned "break" (the rest of the chain is skipped)."""
    for func in callbacks:
        if _call(func, event) == "break":
            return True
    return False


# ---------------------------------------------------------------------------------------------
# Widgets


class Misc:
    """What every widget has: timers, update, bindings, options, geometry management."""

    _w = "."
    master = None
    widgetName = None
    _alive = True
    _option_defaults = {}
    tk = _tkapp

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        raise _UnavailableMethod(f"{type(self).__name__}.{name} is not available: {_WHY}", name=name, obj=self)

    def __str__(self):
        return self._w

    def _check(self):
        if not self._alive:
            raise TclError(f'invalid command name "{self._w}"')

    def _root(self):
        widget = self
        while widget.master is not None:
            widget = widget.master
        return widget

    # -- timers and the loop

    def after(self, ms, func=None, *args):
        """Calls func(*args) after ms milliseconds; without func, sleeps (drawing first)."""
        ms = _number(ms, "integer")
        if func is None:
            _device.flush()
            _time.sleep(max(ms, 0) / 1000)
            return None
        return _loop.after(ms, func, args)

    def after_idle(self, func, *args):
        return _loop.after_idle(func, args)

    def after_cancel(self, id):
        if not id:
            raise ValueError("id must be a valid identifier returned from after or after_idle")
        _loop.timers.pop(id, None)
        _loop.idle.pop(id, None)

    def update(self):
        _loop.update()

    def update_idletasks(self):
        _loop.update_idletasks()

    def mainloop(self, n=0):
        _loop.mainloop()

    def quit(self):
        _loop.quit = True

    # -- bindings

    def bind(self, sequence=None, func=None, add=None):
        self._check()
        bindings = self.__dict__.setdefault("_bindings", _Bindings())
        if sequence is None:
            return tuple(bindings.by_sequence)
        if func is None:
            return bindings.get(sequence)
        return bindings.bind(sequence, func, add)

    def unbind(self, sequence, funcid=None):
        self._check()
        bindings = self.__dict__.get("_bindings")
        if bindings is not None:
            bindings.unbind(sequence, funcid)

    def _fire(self, event, kind=None, detail=None, button=None, char=None):
        """This widget's bindings, then its toplevel's (Tk's bindtags), for one event."""
        kind = kind or {"Configure": "configure"}.get(event.type.name)
        chain = [self] if self.master is None else [self, self._root()]
        for widget in chain:
            bindings = widget.__dict__.get("_bindings")
            if bindings is not None and _fire_callbacks(bindings.best(kind, detail, button, char), event):
                return

    def focus_set(self):
        self._check()

    focus = focus_set

    def focus_force(self):
        self.focus_set()

    # -- options

    def configure(self, cnf=None, **kw):
        self._check()
        if isinstance(cnf, str) and not kw:
            return (cnf, cnf, cnf.title(), "", self.cget(cnf))
        options = {**(cnf or {}), **kw}
        changed = {}
        for key, value in options.items():
            if value is None:
                continue  # as tkinter: an option given as None is left out
            key = _OPTION_ALIASES.get(key, key)
            changed[key] = value
        self._validate(changed)
        self._options.update(changed)
        self._configured(changed)
        return None

    config = configure

    def _validate(self, changed):
        for key in ("background", "foreground"):
            if key in changed:
                _color(changed[key])  # an unknown colour fails before anything changes, as in Tk

    def _configured(self, changed):
        pass

    def cget(self, key):
        self._check()
        key = _OPTION_ALIASES.get(key, key)
        if key in self._options:
            return self._options[key]
        if key in self._option_defaults:
            return self._option_defaults[key]
        raise TclError(f'unknown option "-{key}"')

    def __getitem__(self, key):
        return self.cget(key)

    def __setitem__(self, key, value):
        self.configure({key: value})

    def keys(self):
        return sorted(set(self._option_defaults) | set(self._options))

    # -- information

    def winfo_rgb(self, color):
        return _rgb16(color)

    def winfo_toplevel(self):
        return self._root()

    def winfo_exists(self):
        return 1 if self._alive else 0

    def winfo_ismapped(self):
        return 1 if self._alive else 0

    def winfo_screenwidth(self):
        return _SCREEN[0]

    def winfo_screenheight(self):
        return _SCREEN[1]

    def _size(self):
        """The widget's size in pixels: its window's when it fills it (turtle's canvas, gridded
        "news" or packed to fill both ways), otherwise its own width and height options."""
        root = self._root()
        if self._fills() and root._geometry is not None:
            return root._geometry
        try:
            width = _pixels(self._options.get("width", self._option_defaults.get("width", 1)))
            height = _pixels(self._options.get("height", self._option_defaults.get("height", 1)))
        except TclError:
            width = height = 1
        return max(width, 1), max(height, 1)

    def _fills(self):
        layout = self.__dict__.get("_layout") or {}
        sticky = str(layout.get("sticky", ""))
        if all(c in sticky for c in "nsew"):
            return True
        return str(layout.get("fill", "")) == "both" and str(layout.get("expand", "0")) not in ("0", "", "False", "false", "no")

    def winfo_width(self):
        self._check_window()
        return self._size()[0]

    def winfo_height(self):
        self._check_window()
        return self._size()[1]

    def _check_window(self):
        if not self._alive:
            raise TclError(f'bad window path name "{self._w}"')

    def destroy(self):
        for child in list(getattr(self, "children", {}).values()):
            child.destroy()
        if self.master is not None:
            self.master.children.pop(self._name, None)
        self._alive = False


_SCREEN = (1280, 800)  # what winfo_screenwidth/height report: turtle's window is 50% × 75% of it
_OPTION_ALIASES = {"bg": "background", "fg": "foreground", "bd": "borderwidth"}


class Wm:
    """The window manager's part of the main window."""

    def wm_title(self, string=None):
        if string is None:
            return self._title
        self._title = str(string)
        _device.put_front(("window",), {"op": "window", "title": self._title})
        return ""

    title = wm_title

    def wm_geometry(self, newGeometry=None):
        """"WIDTHxHEIGHT+X+Y" (any part may be left out); the size is the drawing's."""
        if newGeometry is None:
            width, height = self._geometry or (200, 200)
            return f"{width}x{height}+{self._position[0]}+{self._position[1]}"
        import re

        text = str(newGeometry).strip()
        match = re.fullmatch(r"=?(?:(\d+)x(\d+))?(?:([+-])(-?\d+)([+-])(-?\d+))?", text)
        if match is None:
            raise TclError(f'bad geometry specifier "{text}"')
        width, height, xsign, x, ysign, y = match.groups()
        if x is not None:
            self._position = (int(x) if xsign == "+" else -int(x), int(y) if ysign == "+" else -int(y))
        if width is not None:
            self._geometry = (max(int(width), 1), max(int(height), 1))
            _loop.configure_pending.add(self)  # a <Configure> event: turtle recentres its view
            for canvas in _loop.canvases.values():
                if canvas._root() is self:
                    canvas._sync()
        return ""

    geometry = wm_geometry

    def wm_protocol(self, name=None, func=None):
        if name is None:
            return tuple(self._protocols)
        if func is None:
            return self._protocols.get(name, "")
        self._protocols[name] = func
        return ""

    protocol = wm_protocol

    def wm_resizable(self, width=None, height=None):
        return None  # the page sizes the drawing

    resizable = wm_resizable

    def wm_minsize(self, width=None, height=None):
        return None

    minsize = wm_minsize

    def wm_maxsize(self, width=None, height=None):
        return None

    maxsize = wm_maxsize

    def wm_deiconify(self):
        return None

    deiconify = wm_deiconify

    def lift(self, aboveThis=None):
        return None

    tkraise = lift


class Tk(Misc, Wm):
    """The main window: in the page, the area that shows the canvases."""

    _option_defaults = {"background": "#d9d9d9", "width": 200, "height": 200}

    def __init__(self, screenName=None, baseName=None, className="Tk", useTk=True, sync=False, use=None):
        global _default_root
        _device.open()
        self.master = None
        self.children = {}
        self._w = "."
        self._name = "."
        self._options = {}
        self._geometry = None
        self._position = (0, 0)
        self._protocols = {}
        self._counts = {}
        if baseName is None:
            base = _os.path.basename(_sys.argv[0] if _sys.argv else "")
            stem, ext = _os.path.splitext(base)
            baseName = stem if ext in (".py", ".pyc") else base
        self._title = baseName if baseName and not baseName.startswith("-") else "tk"
        _loop.roots.append(self)
        _loop.quit = False
        if _default_root is None:
            _default_root = self
        _device.put_front(("window",), {"op": "window", "title": self._title})
        _install_prompt_flush()
        _install_input_hook()

    def destroy(self):
        global _default_root
        if not self._alive:
            return
        Misc.destroy(self)
        if self in _loop.roots:
            _loop.roots.remove(self)
        _loop.configure_pending.discard(self)
        if _default_root is self:
            _default_root = None
        if not _loop.roots:
            _loop.window_closed()

    def _close_requested(self):
        """The student closed the drawing: the WM_DELETE_WINDOW handler (turtle sets one),
        else destroy, as a window manager's close button does."""
        handler = self._protocols.get("WM_DELETE_WINDOW")
        if handler:
            _call(handler)
        else:
            self.destroy()

    def report_callback_exception(self, exc, val, tb):
        _report_exception(val)

    def winfo_width(self):
        return self._size()[0]

    def winfo_height(self):
        return self._size()[1]

    def _size(self):
        return self._geometry or (200, 200)


def Tcl(screenName=None, baseName=None, className="Tk", useTk=False):
    raise _unavailable("tkinter.Tcl")


def NoDefaultRoot():
    global _default_root
    _default_root = None


def _get_default_root(what=None):
    if _default_root is None:
        if what:
            raise RuntimeError(f"Too early to {what}: no default root window")
        return Tk()
    return _default_root


def mainloop(n=0):
    """Runs the event loop until every window is closed."""
    _get_default_root("run the main loop")
    _loop.mainloop()


class Widget(Misc):
    """A widget inside the main window; pack/grid/place only record how it fills its place."""

    def __init__(self, master, widgetName, cnf, kw):
        if master is None:
            master = _get_default_root()
        master._check()
        options = {_OPTION_ALIASES.get(k, k): v for k, v in {**(cnf or {}), **kw}.items() if v is not None}
        self._validate(options)  # fails before anything is registered or drawn
        self.master = master
        self.children = {}
        self.widgetName = widgetName
        root = master._root()
        count = root._counts[widgetName] = root._counts.get(widgetName, 0) + 1
        self._name = f"!{widgetName}" + (str(count) if count > 1 else "")
        self._w = ("" if master._w == "." else master._w) + "." + self._name
        master.children[self._name] = self
        self._layout = {}
        self._options = options

    def _manage(self, **kw):
        self._check()
        self._layout = {k: v for k, v in kw.items() if k not in ("in_", "in")}
        for canvas in _loop.canvases.values():
            if canvas._alive:
                canvas._sync()

    def pack_configure(self, cnf={}, **kw):
        self._manage(**{**cnf, **kw})

    pack = pack_configure

    def grid_configure(self, cnf={}, **kw):
        self._manage(**{**cnf, **kw})

    grid = grid_configure

    def place_configure(self, cnf={}, **kw):
        self._manage(**{**cnf, **kw})

    place = place_configure

    def pack_forget(self):
        pass

    def grid_forget(self):
        pass

    def place_forget(self):
        pass

    forget = pack_forget

    def grid_rowconfigure(self, index, cnf={}, **kw):
        pass

    rowconfigure = grid_rowconfigure

    def grid_columnconfigure(self, index, cnf={}, **kw):
        pass

    columnconfigure = grid_columnconfigure


class Frame(Widget):
    """An invisible container (turtle's ScrolledCanvas is one)."""

    _option_defaults = {"width": 0, "height": 0, "background": "#d9d9d9", "borderwidth": 0, "relief": "flat"}

    def __init__(self, master=None, cnf={}, **kw):
        Widget.__init__(self, master, "frame", cnf, kw)


class Scrollbar(Widget):
    """turtle creates scrollbars for its canvas; in the page the drawing is not scrolled."""

    _option_defaults = {"orient": "vertical", "command": "", "width": 15}

    def __init__(self, master=None, cnf={}, **kw):
        Widget.__init__(self, master, "scrollbar", cnf, kw)
        self._fraction = (0.0, 1.0)

    def set(self, first, last):
        self._fraction = (float(first), float(last))

    def get(self):
        return self._fraction


# ---------------------------------------------------------------------------------------------
# The canvas


_ANCHORS = ("n", "ne", "e", "se", "s", "sw", "w", "nw", "center")
_COMMON = {"state", "tags", "dash", "activedash", "disableddash", "dashoffset", "stipple",
           "activestipple", "disabledstipple", "offset", "activefill", "disabledfill", "fill"}
_OUTLINED = {"outline", "activeoutline", "disabledoutline", "outlinestipple", "activeoutlinestipple",
             "disabledoutlinestipple", "outlineoffset", "width", "activewidth", "disabledwidth"}
_ITEM_OPTIONS = {
    "line": _COMMON | {"width", "activewidth", "disabledwidth", "arrow", "arrowshape", "capstyle",
                       "joinstyle", "smooth", "splinesteps"},
    "polygon": _COMMON | _OUTLINED | {"joinstyle", "smooth", "splinesteps"},
    "oval": _COMMON | _OUTLINED,
    "rectangle": _COMMON | _OUTLINED,
    "text": {"anchor", "fill", "activefill", "disabledfill", "font", "justify", "text", "underline",
             "width", "angle", "state", "tags", "stipple", "activestipple", "disabledstipple", "offset"},
    "image": {"anchor", "image", "activeimage", "disabledimage", "state", "tags"},
}
# Tk's defaults, sent explicitly on create (the page needs none of its own).
_ITEM_DEFAULTS = {
    "line": {"fill": "black", "width": 1.0, "capstyle": "butt", "joinstyle": "round", "state": ""},
    "polygon": {"fill": "black", "outline": "", "width": 1.0, "joinstyle": "round", "state": ""},
    "oval": {"fill": "", "outline": "black", "width": 1.0, "state": ""},
    "rectangle": {"fill": "", "outline": "black", "width": 1.0, "state": ""},
    "text": {"fill": "black", "text": "", "font": "TkDefaultFont", "anchor": "center", "state": ""},
    "image": {"image": "", "anchor": "center", "state": ""},
}
_MIN_COORDS = {"line": 4, "polygon": 4, "oval": 4, "rectangle": 4, "text": 2, "image": 2}


class _Item:
    __slots__ = ("id", "kind", "coords", "options", "sent", "tags", "order", "box")

    def __init__(self, item_id, kind, coords, order):
        self.id, self.kind, self.coords, self.order = item_id, kind, coords, order
        self.options = dict(_ITEM_DEFAULTS[kind])
        self.sent = {}
        self.tags = ()
        self.box = None  # a text item's measured box (width, height), cached


def _flatten(args):
    """Canvas coordinates as Tk takes them: numbers, or (nested) sequences of them."""
    flat = []
    for arg in args:
        if isinstance(arg, (list, tuple)):
            flat.extend(_flatten(arg))
        elif isinstance(arg, str) and " " in arg.strip():
            flat.extend(_flatten(arg.split()))
        else:
            flat.append(_number(arg))
    return flat


class Canvas(Widget):
    """A drawing area in the page. Items keep Tk's geometry and stacking; the page is sent
    what changed (see _Device), never asked back."""

    _option_defaults = {"width": "10c", "height": "7c", "background": "#d9d9d9", "borderwidth": 0,
                        "relief": "flat", "highlightthickness": 1, "scrollregion": "", "confine": 1,
                        "xscrollcommand": "", "yscrollcommand": "", "cursor": "", "closeenough": 1.0,
                        "state": "normal", "xscrollincrement": 0, "yscrollincrement": 0}

    def __init__(self, master=None, cnf={}, **kw):
        Widget.__init__(self, master, "canvas", cnf, kw)
        self._cv = _loop.next_canvas
        _loop.next_canvas += 1
        _loop.canvases[self._cv] = self
        self._items = {}
        self._stack = 0  # order keys: raise takes the next above, lower the next below
        self._bottom = 0
        self._tag_bindings = {}
        self._x0 = self._y0 = 0.0
        self._current = None  # the item under the pointer since the last press (Tk's "current")
        self._sent = None
        self._sync()

    # -- the canvas itself

    def _sync(self):
        """Sends the canvas op if its size, background or view changed."""
        if not self._alive:
            return
        self._confine()  # idempotent: it only moves a view that crosses the region's edge
        width, height = self._size()
        state = (width, height, _background(self.cget("background")), self._x0, self._y0)
        if state != self._sent:
            self._sent = state
            _device.put_front(("canvas", self._cv), {"op": "canvas", "cv": self._cv, "width": width, "height": height,
                                                     "bg": state[2], "x0": self._x0, "y0": self._y0})

    def _validate(self, changed):
        # An unknown colour or region fails before anything changes, as in Tk.
        if "background" in changed:
            _background(changed["background"])
        if "scrollregion" in changed and changed["scrollregion"] not in ("", ()):
            values = _flatten([changed["scrollregion"]])
            if len(values) != 4:
                raise TclError(f'bad scrollRegion "{changed["scrollregion"]}"')

    def _configured(self, changed):
        self._sync()

    def _region(self):
        region = self._options.get("scrollregion", "")
        if region in ("", None, ()):
            return None
        values = _flatten([region])
        if len(values) != 4:
            raise TclError(f'bad scrollRegion "{region}"')
        return values

    def _confine(self):
        """Tk's CanvasSetOrigin with confine: the view stays within the scroll region where it
        can (a region smaller than the window keeps the window's origin when centred)."""
        region = self._region()
        if region is None or str(self._options.get("confine", 1)) in ("0", "false", "False", "no"):
            return
        width, height = self._size()
        x1, y1, x2, y2 = region

        def shift(origin, low, high, size):
            left = origin - low
            right = high - (origin + size)
            if left < 0 and right > 0:
                return origin + (-left if right > -left else right)
            if right < 0 and left > 0:
                return origin + (-right if left > -right else -left)
            return origin

        self._x0 = float(shift(self._x0, x1, x2, width))
        self._y0 = float(shift(self._y0, y1, y2, height))

    def xview_moveto(self, fraction):
        self._check()
        region = self._region() or (0, 0, 0, 0)
        self._x0 = float(region[0] + _math.floor(_number(fraction) * (region[2] - region[0]) + 0.5))
        self._sync()

    def yview_moveto(self, fraction):
        self._check()
        region = self._region() or (0, 0, 0, 0)
        self._y0 = float(region[1] + _math.floor(_number(fraction) * (region[3] - region[1]) + 0.5))
        self._sync()

    def _view(self, axis, args):
        region = self._region()
        size = self._size()[axis]
        origin = self._x0 if axis == 0 else self._y0
        if not args:
            if region is None or region[axis + 2] == region[axis]:
                return (0.0, 1.0)
            low, high = region[axis], region[axis + 2]
            return (max(0.0, (origin - low) / (high - low)), min(1.0, (origin + size - low) / (high - low)))
        if args[0] == "moveto":
            return (self.xview_moveto if axis == 0 else self.yview_moveto)(args[1])
        if args[0] == "scroll":
            count, what = int(_number(args[1])), args[2]
            increment = _pixels(self._options.get("xscrollincrement" if axis == 0 else "yscrollincrement", 0))
            step = (size * 9 // 10) if what == "pages" else (increment or size // 10)
            if axis == 0:
                self._x0 += count * step
            else:
                self._y0 += count * step
            self._sync()
            return None
        raise TclError(f'bad option "{args[0]}": must be moveto or scroll')

    def xview(self, *args):
        self._check()
        return self._view(0, args)

    def yview(self, *args):
        self._check()
        return self._view(1, args)

    def canvasx(self, screenx, gridspacing=None):
        self._check()
        x = _number(screenx) + self._x0
        if gridspacing:
            spacing = _number(gridspacing)
            x = spacing * _math.floor(x / spacing + 0.5)
        return x

    def canvasy(self, screeny, gridspacing=None):
        self._check()
        y = _number(screeny) + self._y0
        if gridspacing:
            spacing = _number(gridspacing)
            y = spacing * _math.floor(y / spacing + 0.5)
        return y

    def focus_set(self):
        self._check()
        _loop.focus = self
        _device.put({"op": "focus", "cv": self._cv})

    focus_force = focus_set

    def destroy(self):
        # No ops: a canvas goes with its window, whose close op hides the whole drawing.
        self._items.clear()
        _loop.canvases.pop(self._cv, None)
        if _loop.focus is self:
            _loop.focus = None
        Widget.destroy(self)

    # -- items

    def _create(self, kind, args, kw):
        self._check()
        if args and isinstance(args[-1], dict):
            kw = {**args[-1], **kw}
            args = args[:-1]
        coords = _flatten(args)
        self._check_coords(kind, coords)
        item_id = _loop.next_item
        _loop.next_item += 1
        self._stack += 1
        item = _Item(item_id, kind, coords, self._stack)
        self._set_options(item, kw)
        self._items[item_id] = item
        op = {"op": "create", "cv": self._cv, "id": item_id, "kind": kind, "coords": coords}
        op.update(self._render(item))
        item.sent = {k: v for k, v in op.items() if k not in ("op", "cv", "id", "kind", "coords")}
        _device.create(op)
        return item_id

    def _check_coords(self, kind, coords):
        if len(coords) % 2:
            raise TclError(f"wrong # coordinates: expected an even number, got {len(coords)}")
        least = _MIN_COORDS[kind]
        if kind in ("text", "image", "oval", "rectangle") and len(coords) != least:
            raise TclError(f"wrong # coordinates: expected {least}, got {len(coords)}")
        if len(coords) < least:
            raise TclError(f"wrong # coordinates: expected at least {least}, got {len(coords)}")

    def _set_options(self, item, options):
        allowed = _ITEM_OPTIONS[item.kind]
        checked = {}
        for key, value in options.items():
            if value is None:
                continue
            if key not in allowed:
                raise TclError(f'unknown option "-{key}"')
            if key in ("fill", "outline"):
                _color(value)
            elif key == "width" and item.kind != "text":
                _number(value, "screen distance")
            elif key == "anchor" and value not in _ANCHORS:
                raise TclError(f'bad anchor position "{value}": must be n, ne, e, se, s, sw, w, nw, or center')
            elif key == "capstyle" and value not in ("butt", "projecting", "round"):
                raise TclError(f'bad cap style "{value}": must be butt, projecting, or round')
            elif key == "joinstyle" and value not in ("bevel", "miter", "round"):
                raise TclError(f'bad join style "{value}": must be bevel, miter, or round')
            elif key == "state" and value not in ("", "normal", "disabled", "hidden"):
                raise TclError(f'bad state "{value}": must be active, disabled, hidden, or normal')
            elif key == "font":
                _css_font(value)
            elif key == "image" and value != "":
                _image_of(value)
            elif key == "tags":
                value = tuple(_split_tcl_list(value)) if isinstance(value, str) else tuple(str(t) for t in value)
            checked[key] = value
        item.options.update(checked)
        if "tags" in checked:
            item.tags = checked["tags"]
        if item.kind == "text" and ({"text", "font"} & checked.keys()):
            item.box = None

    def _render(self, item):
        """The item's options as the page draws them."""
        o = item.options
        state = "hidden" if o.get("state") == "hidden" else "normal"
        kind = item.kind
        if kind == "text":
            font, underline = _css_font(o["font"])
            return {"fill": _color(o["fill"]), "text": str(o["text"]), "font": font, "underline": underline,
                    "anchor": o["anchor"], "state": state}
        if kind == "image":
            image = _image_of(o["image"]) if o["image"] != "" else None
            return {"image": image._id if image is not None else 0, "anchor": o["anchor"], "state": state}
        out = {"fill": _color(o["fill"]), "width": _number(o["width"])}
        if kind != "line":
            out["outline"] = _color(o["outline"])
        if kind == "line":
            out["capstyle"] = o["capstyle"]
        if kind in ("line", "polygon"):
            out["joinstyle"] = o["joinstyle"]
        out["state"] = state
        return out

    def _find(self, tag_or_id):
        """The items a tag or id names, bottom to top."""
        if isinstance(tag_or_id, (list, tuple)):
            found = {}
            for one in tag_or_id:
                for item in self._find(one):
                    found[item.id] = item
            return sorted(found.values(), key=lambda i: i.order)
        if isinstance(tag_or_id, int) or (isinstance(tag_or_id, str) and tag_or_id.isdigit()):
            item = self._items.get(int(tag_or_id))
            return [item] if item is not None else []
        tag = str(tag_or_id)
        if tag == "all":
            return sorted(self._items.values(), key=lambda i: i.order)
        if tag == "current":
            item = self._current
            return [item] if item is not None and item.id in self._items else []
        return sorted((i for i in self._items.values() if tag in i.tags), key=lambda i: i.order)

    def create_line(self, *args, **kw):
        return self._create("line", args, kw)

    def create_polygon(self, *args, **kw):
        return self._create("polygon", args, kw)

    def create_oval(self, *args, **kw):
        return self._create("oval", args, kw)

    def create_rectangle(self, *args, **kw):
        return self._create("rectangle", args, kw)

    def create_text(self, *args, **kw):
        return self._create("text", args, kw)

    def create_image(self, *args, **kw):
        return self._create("image", args, kw)

    def coords(self, tagOrId, *args):
        self._check()
        items = self._find(tagOrId)
        if not args:
            return list(items[0].coords) if items else []
        coords = _flatten(args)
        for item in items[:1]:  # Tk moves the first item a tag names
            self._check_coords(item.kind, coords)
            if coords != item.coords:
                item.coords = coords
                _device.coords(item.id, coords)
        return None

    def move(self, tagOrId, xAmount, yAmount):
        self._check()
        dx, dy = _number(xAmount), _number(yAmount)
        for item in self._find(tagOrId):
            item.coords = [v + (dx if i % 2 == 0 else dy) for i, v in enumerate(item.coords)]
            _device.coords(item.id, item.coords)

    def itemconfigure(self, tagOrId, cnf=None, **kw):
        self._check()
        items = self._find(tagOrId)
        if isinstance(cnf, str) and not kw:
            if not items:
                return None
            value = self.itemcget(tagOrId, cnf)
            return (cnf, "", "", _ITEM_DEFAULTS[items[0].kind].get(cnf, ""), value)
        options = {**(cnf or {}), **kw}
        if not options:
            if not items:
                return None
            item = items[0]
            return {k: (k, "", "", _ITEM_DEFAULTS[item.kind].get(k, ""), self.itemcget(item.id, k))
                    for k in sorted(_ITEM_OPTIONS[item.kind])}
        for item in items:
            self._set_options(item, options)
            rendered = self._render(item)
            changes = {k: v for k, v in rendered.items() if item.sent.get(k) != v}
            if changes:
                item.sent.update(changes)
                _device.config(item.id, changes)
        return None

    itemconfig = itemconfigure

    def itemcget(self, tagOrId, option):
        self._check()
        items = self._find(tagOrId)
        if not items:
            return None
        item = items[0]
        if option not in _ITEM_OPTIONS[item.kind]:
            raise TclError(f'unknown option "-{option}"')
        value = item.options.get(option, "")
        if option == "tags":
            return " ".join(item.tags)
        if isinstance(value, float):
            return repr(value)
        return value if isinstance(value, str) else str(value)

    def type(self, tagOrId):
        self._check()
        items = self._find(tagOrId)
        return items[0].kind if items else None

    def find_all(self):
        self._check()
        return tuple(item.id for item in sorted(self._items.values(), key=lambda i: i.order))

    def find_withtag(self, tagOrId):
        self._check()
        return tuple(item.id for item in self._find(tagOrId))

    def gettags(self, tagOrId):
        self._check()
        items = self._find(tagOrId)
        return items[0].tags if items else ()

    def delete(self, *tagsOrIds):
        self._check()
        for tag in tagsOrIds:
            for item in self._find(tag):
                del self._items[item.id]
                self._tag_bindings.pop(item.id, None)  # as Tk: an item's bindings go with it
                if self._current is item:
                    self._current = None
                _device.delete(item.id)

    def tag_raise(self, tagOrId, aboveThis=None):
        """Raises to the top (with aboveThis: also to the top, which is above it)."""
        self._check()
        for item in self._find(tagOrId):
            self._stack += 1
            item.order = self._stack
            _device.restack("raise", item.id)

    lift = tkraise = tag_raise

    def tag_lower(self, tagOrId, belowThis=None):
        """Lowers to the bottom (with belowThis: also to the bottom, which is below it)."""
        self._check()
        for item in reversed(self._find(tagOrId)):
            self._bottom -= 1
            item.order = self._bottom
            _device.restack("lower", item.id)

    lower = tag_lower

    def bbox(self, *args):
        self._check()
        boxes = [self._bbox(item) for tag in args for item in self._find(tag)
                 if item.options.get("state") != "hidden"]
        boxes = [b for b in boxes if b is not None]
        if not boxes:
            return None
        return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))

    def _text_box(self, item):
        if item.box is None:
            font, _ = _css_font(item.options["font"])
            lines = str(item.options["text"]).split("\n")
            width, line_height = 0, 0
            for line in lines:
                w, ascent, descent = _device.measure(font, line)
                width = max(width, _math.ceil(w))
                line_height = max(line_height, _math.ceil(ascent) + _math.ceil(descent))
            item.box = (width, line_height * len(lines))
        return item.box

    def _anchored(self, item, width, height):
        """The top-left corner of a width × height box that `anchor` places at the item's point
        (Tk's text and image anchors position the whole box)."""
        x, y = int(_math.floor(item.coords[0] + 0.5)), int(_math.floor(item.coords[1] + 0.5))
        anchor = item.options.get("anchor", "center")
        if anchor in ("n", "s", "center"):
            x -= width // 2
        elif anchor in ("ne", "e", "se"):
            x -= width
        if anchor in ("w", "e", "center"):
            y -= height // 2
        elif anchor in ("sw", "s", "se"):
            y -= height
        return x, y

    def _bbox(self, item):
        kind = item.kind
        if kind == "text":
            width, height = self._text_box(item)
            x, y = self._anchored(item, width, height)
            return (x, y, x + width, y + height)
        if kind == "image":
            image = _image_of(item.options["image"]) if item.options["image"] != "" else None
            if image is None:
                return None
            x, y = self._anchored(item, image._width, image._height)
            return (x, y, x + image._width, y + image._height)
        xs, ys = item.coords[0::2], item.coords[1::2]
        pad = _number(item.options.get("width", 1)) / 2 if kind == "line" or item.options.get("outline") else 0
        return (int(_math.floor(min(xs) - pad)), int(_math.floor(min(ys) - pad)),
                int(_math.ceil(max(xs) + pad)) + 1, int(_math.ceil(max(ys) + pad)) + 1)

    # -- hit testing and events

    def _hit(self, item, x, y):
        """Whether the canvas point (x, y) is on the item (Tk's closeenough is 1 pixel)."""
        o = item.options
        if o.get("state") == "hidden":
            return False
        kind = item.kind
        c = item.coords
        if kind in ("line", "polygon"):
            points = list(zip(c[0::2], c[1::2]))
            half = _number(o.get("width", 1)) / 2 + 1
            if kind == "polygon":
                if o.get("fill") not in ("", None) and _inside(points, x, y):
                    return True
                if o.get("outline") in ("", None):
                    return False
                points = points + points[:1]
            return any(_segment_distance(x, y, a, b) <= half for a, b in zip(points, points[1:]))
        box = self._bbox(item)
        return box is not None and box[0] - 1 <= x <= box[2] + 1 and box[1] - 1 <= y <= box[3] + 1

    def _pick(self, x, y):
        for item in sorted(self._items.values(), key=lambda i: -i.order):
            if self._hit(item, x, y):
                return item
        return None

    def _mouse(self, kind, event):
        x = int(round(_number(event.get("x", 0))))  # Tk's event.x and .y are whole pixels
        y = int(round(_number(event.get("y", 0))))
        button = int(event.get("button", 1) or 1)
        if kind == "press":
            # Tk picks the item under the pointer on a press and keeps it while a button is
            # held: a drag goes on with the item it started on, even when the pointer leaves it.
            self._current = self._pick(x + self._x0, y + self._y0)
        elif self._current is not None and self._current.id not in self._items:
            self._current = None
        item = self._current
        tk_type = {"press": "ButtonPress", "release": "ButtonRelease", "motion": "Motion"}[kind]
        tk_event = _Event(tk_type, self, x=x, y=y, num=button if kind != "motion" else "??",
                          x_root=x, y_root=y, state=0)
        if item is not None:
            # Tk's canvas item bindings ("all", the item's tags, the item) come before the
            # widget's own; a "break" in them does not stop the widget's.
            for key in ("all",) + item.tags + (item.id,):
                bindings = self._tag_bindings.get(key)
                if bindings is not None and _fire_callbacks(bindings.best(kind, button, button), tk_event):
                    break
        if self._alive:
            self._fire(tk_event, kind, button, button)
        if kind == "release":
            self._current = None

    def _key(self, event):
        keysym = str(event.get("keysym", ""))
        char = str(event.get("char", ""))
        kind = "keydown" if event.get("down", True) else "keyup"
        tk_event = _Event("KeyPress" if kind == "keydown" else "KeyRelease", self, keysym=keysym, char=char,
                          keysym_num=ord(char) if len(char) == 1 else 0)
        self._fire(tk_event, kind, keysym, None, char)

    def tag_bind(self, tagOrId, sequence=None, func=None, add=None):
        self._check()
        if isinstance(tagOrId, (list, tuple)):  # turtle's compound shapes: one binding per item
            ids = [self.tag_bind(t, sequence, func, add) for t in tagOrId]
            return ids[0] if ids else None
        key = int(tagOrId) if isinstance(tagOrId, int) or str(tagOrId).isdigit() else str(tagOrId)
        bindings = self._tag_bindings.setdefault(key, _Bindings())
        if sequence is None:
            return tuple(bindings.by_sequence)
        if func is None:
            return bindings.get(sequence)
        return bindings.bind(sequence, func, add)

    def tag_unbind(self, tagOrId, sequence, funcid=None):
        self._check()
        if isinstance(tagOrId, (list, tuple)):
            for t in tagOrId:
                self.tag_unbind(t, sequence, funcid)
            return
        key = int(tagOrId) if isinstance(tagOrId, int) or str(tagOrId).isdigit() else str(tagOrId)
        bindings = self._tag_bindings.get(key)
        if bindings is not None:
            bindings.unbind(sequence, funcid)


def _background(color):
    """A canvas background: Tk refuses "" and unknown names."""
    if color == "" or color is None:
        raise TclError('unknown color name ""')
    return _color(color)


def _inside(points, x, y):
    """Even-odd rule, as Tk's polygon hit test."""
    inside = False
    j = len(points) - 1
    for i in range(len(points)):
        (xi, yi), (xj, yj) = points[i], points[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _segment_distance(px, py, a, b):
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
    return _math.hypot(px - (ax + t * dx), py - (ay + t * dy))


# ---------------------------------------------------------------------------------------------
# Images


_images = {}


class Image:
    """Base of PhotoImage (tkinter's name)."""


class PhotoImage(Image):
    """A GIF or PNG image (file= or data=), or a blank one of a size. The page draws the
    bytes itself; Python only reads the size from the header."""

    def __init__(self, name=None, cnf={}, master=None, **kw):
        options = {**cnf, **kw}
        self._id = _loop.next_image
        _loop.next_image += 1
        self.name = str(name) if name else f"pyimage{self._id}"
        self._options = {}
        self._width = self._height = 0
        self._mime, self._data = "", b""
        _device.open()
        self.configure(**options)
        _images[self.name] = self  # only once it loaded: a missing file leaves no image behind

    def __str__(self):
        return self.name

    def configure(self, **kw):
        for key in kw:
            if key not in ("file", "data", "width", "height", "format", "gamma", "palette"):
                raise TclError(f'unknown option "-{key}"')
        self._options.update({k: v for k, v in kw.items() if v is not None})
        if kw.get("file") not in (None, ""):
            path = _os.fspath(kw["file"])
            try:
                with open(path, "rb") as f:
                    data = f.read()
            except OSError as error:
                raise TclError(f'couldn\'t open "{path}": {(error.strerror or str(error)).lower()}') from None
            self._load(data, f'couldn\'t recognize data in image file "{path}"')
        elif kw.get("data") not in (None, ""):
            data = kw["data"]
            if isinstance(data, str):
                import base64
                import binascii

                try:
                    data = base64.b64decode(data, validate=False)
                except (binascii.Error, ValueError):
                    raise TclError("couldn't recognize image data") from None
            self._load(bytes(data), "couldn't recognize image data")
        if "width" in kw or "height" in kw:
            width = _pixels(self._options.get("width", 0) or 0)
            height = _pixels(self._options.get("height", 0) or 0)
            if width:
                self._width = width
            if height:
                self._height = height
        self._send()

    config = configure

    def _load(self, data, failure):
        if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
            self._mime = "image/png"
            self._width, self._height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        elif data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
            self._mime = "image/gif"
            self._width, self._height = int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little")
        else:
            raise TclError(failure)
        self._data = data

    def _send(self):
        import base64

        _device.put_front(("image", self._id), {
            "op": "image", "image": self._id, "width": self._width, "height": self._height,
            "mime": self._mime, "data": base64.b64encode(self._data).decode() if self._data else ""})

    def cget(self, option):
        if option in ("width", "height"):
            return getattr(self, "_" + option)
        return self._options.get(option, "")

    def __getitem__(self, key):
        return self.cget(key)

    def width(self):
        return self._width

    def height(self):
        return self._height

    def type(self):
        return "photo"

    def blank(self):
        self._mime, self._data = "", b""
        self._send()

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        raise _UnavailableMethod(f"PhotoImage.{name} is not available: {_WHY}", name=name, obj=self)


def _image_of(value):
    image = value if isinstance(value, PhotoImage) else _images.get(str(value))
    if image is None:
        raise TclError(f'image "{value}" doesn\'t exist')
    return image


def image_names():
    return tuple(_images)


def image_types():
    return ("photo",)


# ---------------------------------------------------------------------------------------------
# Dialogs (tkinter.simpledialog's ask functions)


def _ask(kind, title, prompt, initialvalue=None, minvalue=None, maxvalue=None):
    """Asks the page's dialog; the answer string, or None if cancelled (or the window closed
    meanwhile, which takes its dialogs with it). While it waits, timers run and the
    window's mouse and keys are ignored, as under a Tk dialog's grab; Ctrl+C stops it."""
    ask_id = _loop.next_ask
    _loop.next_ask += 1
    had_window = bool(_loop.roots)
    _device.put({"op": "ask", "ask": ask_id, "title": str(title), "prompt": str(prompt), "kind": kind,
                 "initial": None if initialvalue is None else str(initialvalue),
                 "min": None if minvalue is None else _number(minvalue),
                 "max": None if maxvalue is None else _number(maxvalue)})
    _device.flush()
    while ask_id not in _loop.answers:
        _loop.dispatch_events(grab=True)
        if ask_id in _loop.answers:
            break
        if had_window and not _loop.roots:
            return None
        _loop.run_timers()
        _loop.run_idle()
        _device.flush()
        _device.wait(_loop.timeout())
    value = _loop.answers.pop(ask_id)
    return None if value is None else str(value)


__all__ = [name for name, value in globals().items()
           if not name.startswith("_") and not isinstance(value, type(_os))]
