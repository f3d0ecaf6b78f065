"""Browser adaptations of the REPL's CPython, installed by the worker as sitecustomize.

- os.get_terminal_size() reads the page's terminal size (so shutil.get_terminal_size()
  follows the window); the Emscripten build has none of its own.
- time.sleep() waits in the worker without spinning the CPU, and Ctrl+C interrupts it;
  the Emscripten build busy-waits where no signal can reach it.
- The interactive prompt announces itself (a write to /dev/session) when it begins, after a
  program run with `python -i main.py` ended: the page then marks where a traceback points.
- The end of this file announces that signal handlers are in place: a Ctrl+C (or Stop)
  before then would be lost during startup, so until this point Stop restarts instead.
- A short loop at startup makes V8 optimise CPython's eval loop in the background while
  the student reads the prompt: V8 runs new wasm code in a baseline tier first, and only
  calls that start after optimisation use the fast code (measured: 2.3x native instead of
  3.5x for code typed at the prompt).
"""
import os as _os
import sys as _sys
import time as _time

_original_sleep = _time.sleep


def get_terminal_size(fd=1, /):
    with open("/dev/terminal-size", "rb") as f:
        columns, lines = map(int, f.read().split())
    return _os.terminal_size((columns or 80, lines or 24))


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
    fd = _os.open("/dev/sleep", _os.O_WRONLY)
    try:
        # The device blocks for this long; on Ctrl+C the write fails with EINTR and
        # CPython raises KeyboardInterrupt (PEP 475).
        _os.write(fd, repr(seconds).encode())
    finally:
        _os.close(fd)


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


def _interactive_hook():
    if _site_interactive_hook is not None:
        _site_interactive_hook()
    _tell_page(b"repl-started")


_sys.__interactivehook__ = _interactive_hook

for _ in range(20000):
    pass

_tell_page(b"signals-ready")
