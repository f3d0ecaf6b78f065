"""Browser adaptations of the REPL's CPython, installed by the worker as sitecustomize.

- os.get_terminal_size() reads the page's terminal size (so shutil.get_terminal_size()
  follows the window); the Emscripten build has none of its own.
- time.sleep() waits in the worker without spinning the CPU, and Ctrl+C interrupts it;
  the Emscripten build busy-waits where no signal can reach it.
- Tracebacks show the student's code only: frames of this file (the sleep above) are left
  out by sys.excepthook, as they would be for the C function it stands in for.
- Network sockets fail at once, saying why (the Emscripten build would open a WebSocket to
  any address a snippet names); asyncio's event loop needs no socket for its self-pipe and
  waits in the same interruptible sleep. Both are patched when first imported, so startup
  does not pay for them.
- Modules that cannot exist in a browser tab (Tk windows, processes) say so when imported,
  instead of a bare ModuleNotFoundError, and subprocess says so when asked for a process;
  os.system() says there is no shell (and clears the screen for "cls" and "clear", as
  students use it).
- webbrowser.open(url) asks the page, which offers the address; the student's click opens
  it in a new tab (a page never opens one by itself).
- An interactive start does not import rlcompleter (CPython does, for a readline this build
  has not): that import pulled in inspect and the download of the rest of the library.
- The interactive prompt announces itself (a write to /dev/session) whenever it begins: at
  startup, or once a program run with `python -i NAME` ended, when the page then marks where
  its traceback points.
- The end of this file announces that signal handlers are in place: a Ctrl+C (or Stop)
  before then would be lost during startup, so until this point Stop restarts instead.
- A short loop at startup makes V8 optimise CPython's eval loop in the background while
  the student reads the prompt: V8 runs new wasm code in a baseline tier first, and only
  calls that start after optimisation use the fast code (`make bench` shows the first and
  the second run of a compute script at the prompt against native CPython).
"""
import os as _os
import sys as _sys
import time as _time

_original_sleep = _time.sleep
# CPython counts time in 64-bit nanoseconds: a longer sleep is an OverflowError.
_LONGEST_SLEEP = (2**63 - 1) / 1e9


def get_terminal_size(fd=1, /):
    with open("/dev/terminal-size", "rb") as f:
        columns, lines = map(int, f.read().split())
    return _os.terminal_size((columns or 80, lines or 24))


def _wait(seconds):
    """Sleeps `seconds`; False if a signal whose handler returned cut the sleep short."""
    fd = _os.open("/dev/sleep", _os.O_WRONLY)
    try:
        # The device blocks for this long. On Ctrl+C the write fails with EINTR and CPython
        # runs the handler (PEP 475): KeyboardInterrupt, or, if the handler returns, a
        # retried write that the device answers at once with 0.
        return _os.write(fd, repr(seconds).encode()) > 0
    finally:
        _os.close(fd)


def sleep(seconds, /):
    if isinstance(seconds, (str, bytes, bytearray)) or not (
        hasattr(type(seconds), "__float__") or hasattr(type(seconds), "__index__")
    ):
        raise TypeError(f"'{type(seconds).__name__}' object cannot be interpreted as an integer or float")
    seconds = float(seconds)
    if seconds != seconds:
        raise ValueError("Invalid value NaN (not a number)")
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    if seconds > _LONGEST_SLEEP:
        raise OverflowError("timestamp too large to convert to C PyTime_t")
    # As CPython's: a signal handler that returns does not end the sleep early.
    deadline = _time.monotonic() + seconds
    while not _wait(seconds):
        seconds = deadline - _time.monotonic()
        if seconds <= 0:
            return


get_terminal_size.__doc__ = _os.get_terminal_size.__doc__ if hasattr(_os, "get_terminal_size") else None
sleep.__doc__ = _original_sleep.__doc__
_os.get_terminal_size = get_terminal_size
_time.sleep = sleep

_site_interactive_hook = getattr(_sys, "__interactivehook__", None)


def _tell_page(news):
    try:
        with open("/dev/session", "wb", buffering=0) as device:
            device.write(news)
    except OSError:
        pass  # a host without the device: nobody to tell


class _NoCompleterAtStart:
    """CPython imports rlcompleter when an interactive session starts on a terminal, for
    readline, which this build has not; rlcompleter imports inspect, which is in the part of
    the standard library downloaded on first use, so every start waited for that download
    and for inspect. That first import gets a placeholder, which the interactive hook takes
    away; a program run before the prompt that uses it (pdb, doctest) gets the real module
    the moment it reads anything from it."""

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name != "rlcompleter":
            return None
        _sys.meta_path.remove(cls)  # the first import only
        from _frozen_importlib import ModuleSpec
        return ModuleSpec(name, cls)

    @staticmethod
    def create_module(spec):
        return None

    @staticmethod
    def exec_module(module):
        def __getattr__(name):
            if _sys.modules.get("rlcompleter") is module:
                del _sys.modules["rlcompleter"]
            import rlcompleter
            return getattr(rlcompleter, name)

        module.__getattr__ = __getattr__

    @classmethod
    def forget(cls):
        if cls in _sys.meta_path:
            _sys.meta_path.remove(cls)
        placeholder = _sys.modules.get("rlcompleter")
        if placeholder is not None and getattr(placeholder.__spec__, "loader", None) is cls:
            del _sys.modules["rlcompleter"]


if _os.isatty(0):
    _sys.meta_path.insert(0, _NoCompleterAtStart)


# Functions run before each interactive prompt (our tkinter's drawing flush).
before_prompt = []


# How many of PyREPL's history entries the page has been told of (None: none looked at yet).
_history_told = None


def _new_statement():
    """Whether a new statement's prompt begins. The basic REPL asks for its prompt once per
    prompt; PyREPL at every redraw, so there it is a new statement only when its history
    grew (the page is told of the new entries: its history is the one kept across visits)
    or at the first prompt."""
    global _history_told
    pyrepl = _sys.modules.get("_pyrepl.readline")
    if pyrepl is None:
        return True
    history = pyrepl._get_reader().history
    told, _history_told = _history_told, len(history)
    if told is None:
        return True
    added = [entry for entry in history[told:] if "\0" not in entry]
    if added:
        _tell_page(b"history " + "\0".join(added).encode("utf-8", "replace"))
    return len(history) != told


class _Prompt:
    """Stands in for sys.ps1 / sys.ps2: the REPL calls str() on it for its prompt, so before
    each prompt the functions in `before_prompt` run and the page hears that a prompt
    follows (it puts the terminal back in a sane state for it, as a shell does, whatever a
    program left)."""

    def __init__(self, text):
        self.text = text

    def __str__(self):
        if _new_statement():
            for hook in before_prompt:
                hook()
            _tell_page(b"prompt")
        return self.text

    def __repr__(self):
        return repr(self.text)


def _interactive_hook():
    _NoCompleterAtStart.forget()
    if _site_interactive_hook is not None:
        _site_interactive_hook()
    # Set here, not at startup: a program run before the prompt that tests for sys.ps1 (to
    # know whether it is interactive) must not see one.
    if not hasattr(_sys, "ps1"):
        _sys.ps1 = _Prompt(">>> ")
    if not hasattr(_sys, "ps2"):
        _sys.ps2 = _Prompt("... ")
    if not _os.environ.get("PYTHON_BASIC_REPL"):
        # PyREPL follows: the code typed at it is coloured (as 3.14 colours it), and it
        # redraws at once when the terminal is resized.
        try:
            import _pyrepl_additions

            _pyrepl_additions.install()
        except Exception:  # noqa: BLE001 - PyREPL says itself why it cannot run
            pass
    _tell_page(b"repl-started")


_sys.__interactivehook__ = _interactive_hook


def _without_plumbing(traceback):
    """The traceback without this file's frames (relinked in place)."""
    kept = []
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename != __file__:
            kept.append(traceback)
        traceback = traceback.tb_next
    for entry, following in zip(kept, kept[1:] + [None]):
        entry.tb_next = following
    return kept[0] if kept else None


def _excepthook(kind, value, traceback):
    seen = set()
    chained = value
    while chained is not None and id(chained) not in seen:
        seen.add(id(chained))
        chained.__traceback__ = _without_plumbing(chained.__traceback__)
        chained = chained.__cause__ or chained.__context__
    _sys.__excepthook__(kind, value, value.__traceback__ if value is not None else _without_plumbing(traceback))


_sys.excepthook = _excepthook

_NO_NETWORK = (
    "network sockets are not available: this Python runs in a browser tab, which lets it "
    "reach no other computer (files in the workspace work: open() them)"
)


def _patch_socket(socket):
    original_init = socket.socket.__init__

    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        if fileno is None and family in (-1, socket.AF_INET, socket.AF_INET6):
            import errno

            raise OSError(errno.ENETUNREACH, _NO_NETWORK)
        original_init(self, family, type, proto, fileno)

    socket.socket.__init__ = __init__


def _patch_subprocess(subprocess):
    def __init__(self, *args, **kwargs):
        import errno

        raise OSError(errno.ENOTSUP, "a browser tab cannot start processes (no subprocess, no other programs)")

    # Emscripten's own message names Emscripten, which a student has never heard of.
    subprocess.Popen.__init__ = __init__


def _patch_selector_events(selector_events):
    import selectors

    class BrowserSelector(selectors._BaseSelectorImpl):
        """Nothing can become ready while the worker waits (no network, no other thread):
        waiting is sleeping until the loop's next timer, which Ctrl+C interrupts."""

        def select(self, timeout=None):
            if timeout is None or timeout > 0:
                _wait(86400.0 if timeout is None else timeout)
            return []

    loop = selector_events.BaseSelectorEventLoop
    original_init = loop.__init__

    def __init__(self, selector=None):
        original_init(self, BrowserSelector() if selector is None else selector)

    # The self-pipe wakes a loop from other threads and signal handlers; here a signal
    # ends the selector's sleep itself, and there are no other threads.
    loop.__init__ = __init__
    loop._make_self_pipe = lambda self: None
    loop._close_self_pipe = lambda self: None
    loop._write_to_self = lambda self: None


# tkinter itself is ours (site-packages/tkinter): the part of Tk that turtle draws with, on
# a canvas in the page; the rest of it explains itself.
_CANNOT_EXIST = {
    "_tkinter": "Tk windows are not available in the browser",
    "multiprocessing": "a browser tab cannot start processes",
    "idlelib": "IDLE needs Tk windows, which are not available in the browser",
}


class _WebBrowser:
    """Loads the page's webbrowser module: it asks the page to offer an address."""

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        def open(url, new=0, autoraise=True):
            """Asks the page to offer `url`; the student's click opens it in a new tab."""
            _tell_page(b"open-url " + str(url).encode())
            return True

        class Error(Exception):
            pass

        class PageBrowser:
            name = "page"

            def open(self, url, new=0, autoraise=True):
                return open(url, new, autoraise)

            def open_new(self, url):
                return open(url, 1)

            def open_new_tab(self, url):
                return open(url, 2)

        module.__doc__ = "Opening web pages: the page offers the address, and the student's click opens it."
        module.Error, module.open = Error, open
        module.open_new = PageBrowser().open_new
        module.open_new_tab = PageBrowser().open_new_tab
        module.get = lambda using=None: PageBrowser()
        module.register = lambda *args, **kwargs: None


class _BrowserImports:
    """Finds the page's webbrowser, explains the modules that cannot exist here, and
    patches a few once the usual finders have loaded them."""

    patches = {
        "socket": _patch_socket,
        "subprocess": _patch_subprocess,
        "asyncio.selector_events": _patch_selector_events,
    }

    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        if top in _CANNOT_EXIST:
            raise ModuleNotFoundError(f"No module named {name!r}: {_CANNOT_EXIST[top]}", name=name)
        if name == "webbrowser":
            from importlib.machinery import ModuleSpec

            return ModuleSpec(name, _WebBrowser())
        patch = self.patches.pop(name, None)
        if patch is None:
            return None
        for finder in _sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None and spec.loader is not None:
                spec.loader = _PatchingLoader(spec.loader, patch)
                return spec
        return None


class _PatchingLoader:
    """A module's own loader, then a patch."""

    def __init__(self, loader, patch):
        self._loader, self._patch = loader, patch

    def __getattr__(self, name):
        return getattr(self._loader, name)

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        self._patch(module)


_sys.meta_path.insert(0, _BrowserImports())


def _system(command):
    """No shell here: clearing the screen (a common use) works, anything else says why."""
    if str(command).strip() in ("cls", "clear"):
        _sys.stdout.write("\x1b[H\x1b[2J\x1b[3J")
        _sys.stdout.flush()
        return 0
    _sys.stderr.write(f"os.system({command!r}): a browser tab has no shell, so Python cannot run other programs here\n")
    return 127


_os.system = _system

for _ in range(20000):
    pass

_tell_page(b"signals-ready")
