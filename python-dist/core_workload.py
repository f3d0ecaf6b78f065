"""What the first minutes of a student's session import: traced at build time to decide
which modules go into the core stdlib zip (downloaded at boot). Everything else goes into
the extra zip, fetched on first import. Prints one zip member per line.

Run with the browser build itself (under Node), so imports are the platform's own.
"""
import sys

# The REPL itself: tracebacks (coloured on a tty), warnings, exit().
import traceback
import warnings  # noqa: F401

try:
    1 / 0
except ZeroDivisionError:
    traceback.print_exc(file=open("/dev/null", "w"))

# CPython's own REPL (PyREPL) at the prompt: its modules, and what it imports to start.
import _pyrepl.__main__  # noqa: F401,E402  (what CPython runs; it starts nothing when imported)
import _pyrepl.main  # noqa: F401,E402
import _pyrepl.readline  # noqa: F401,E402
import _pyrepl.simple_interact  # noqa: F401,E402
import _pyrepl.unix_console  # noqa: F401,E402
import rlcompleter  # noqa: F401,E402
import runpy  # noqa: F401,E402  (CPython starts PyREPL with runpy, which needs importlib._abc)

# The modules of a first lesson, and one real use of each. Everything else (help(),
# unittest, dataclasses, pathlib...) is one download away, made on first import.
for name in (
    "math random statistics fractions decimal datetime json csv re collections itertools "
    "functools string time copy operator sqlite3 io"
).split():
    __import__(name)

import csv
import datetime
import io
import json
import random
import re
import sqlite3
import statistics

json.loads(json.dumps({"a": [1, 2]}))
list(csv.reader(io.StringIO("a,b\n1,2\n")))
sqlite3.connect(":memory:").execute("select 1").fetchall()
statistics.mean([1, 2, 3]), statistics.stdev([1, 2, 3])
random.choice([1, 2]), random.shuffle([1, 2, 3])
datetime.datetime.now().strftime("%Y-%m-%d"), re.findall(r"\d+", "a1b22")
"é€".encode("utf-8").decode("utf-8"), "é".encode("latin-1"), "x".encode("ascii")

for name, module in sorted(sys.modules.items()):
    # __file__ too: _pyrepl.__main__ sets its __spec__ to None.
    origin = getattr(getattr(module, "__spec__", None), "origin", None) or getattr(module, "__file__", "")
    if ".zip/" in origin:
        print(origin.split(".zip/", 1)[1])
