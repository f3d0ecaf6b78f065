"""Checks that the browser build of CPython works: run under Node by smoke.test.mjs.

Each check prints one line "ok NAME" or "FAIL NAME: reason"; the test reads them.
"""
import sys
import time


def check(name):
    def wrap(fn):
        try:
            fn()
            print(f"ok {name}")
        except BaseException as e:  # noqa: BLE001 - report everything, keep going
            print(f"FAIL {name}: {type(e).__name__}: {e}")
        return fn
    return wrap


@check("version")
def _():
    assert sys.version_info[:3] == (3, 13, 5), sys.version
    assert sys.platform == "emscripten", sys.platform


@check("sqlite3")
def _():
    import sqlite3
    db = sqlite3.connect(":memory:")
    db.execute("create table t (x integer, name text)")
    db.executemany("insert into t values (?, ?)", [(i, f"n{i}") for i in range(100)])
    assert db.execute("select sum(x), count(*) from t where name like 'n1%'").fetchone() == (146, 11)


@check("compression")
def _():
    import bz2
    import lzma
    import zlib
    data = b"students type python " * 1000
    for mod in (zlib, bz2, lzma):
        packed = mod.compress(data)
        assert len(packed) < len(data) // 10 and mod.decompress(packed) == data, mod.__name__


@check("decimal")
def _():
    from decimal import Decimal, getcontext
    import _decimal  # the C implementation, not the pure-Python fallback
    getcontext().prec = 30
    assert str(Decimal(1) / Decimal(7)) == "0.142857142857142857142857142857"


@check("hashes")
def _():
    import hashlib
    assert hashlib.sha256(b"abc").hexdigest().startswith("ba7816bf8f01cfea")
    assert hashlib.md5(b"abc").hexdigest() == "900150983cd24fb0d6963f7d28e17f72"
    assert hashlib.sha1(b"abc").hexdigest().startswith("a9993e36")
    assert hashlib.sha3_256(b"abc").hexdigest().startswith("3a985da74fe225b2")
    assert hashlib.blake2b(b"abc", digest_size=16).hexdigest() == "cf4ab791c62b8d2b2109c90275287816"


@check("unicodedata")
def _():
    import unicodedata
    assert unicodedata.name("é") == "LATIN SMALL LETTER E WITH ACUTE"
    assert unicodedata.normalize("NFC", "e\u0301") == "é"


@check("builtin-modules")
def _():
    import array, bisect, binascii, cmath, csv, datetime, heapq, io, json, math, pickle, random, select, struct
    import _bisect, _csv, _datetime, _heapq, _json, _pickle, _random, _struct  # C accelerators
    assert json.loads(json.dumps({"a": [1, 2.5, "é"]})) == {"a": [1, 2.5, "é"]}
    assert math.isclose(cmath.exp(1j * math.pi).real, -1)
    assert array.array("i", [1, 2, 3]).tobytes() == struct.pack("3i", 1, 2, 3)
    assert binascii.hexlify(b"\x01\xff") == b"01ff"
    assert pickle.loads(pickle.dumps({1, 2})) == {1, 2}
    assert next(csv.reader(['a,"b,c"'])) == ["a", "b,c"]
    assert datetime.date(2026, 11, 21).isoformat() == "2026-11-21"
    assert heapq.nsmallest(2, [5, 1, 3]) == [1, 3] and bisect.bisect([1, 3], 2) == 1
    random.seed(1)
    assert random.randint(1, 10) in range(1, 11)


@check("student-modules")
def _():
    import collections, dataclasses, doctest, fractions, itertools, re, statistics, typing, unittest
    assert fractions.Fraction(1, 3) + fractions.Fraction(1, 6) == fractions.Fraction(1, 2)
    assert statistics.median([3, 1, 2]) == 2
    assert re.sub(r"(\w+)@", r"\1 at ", "me@x") == "me at x"
    assert list(itertools.accumulate([1, 2, 3])) == [1, 3, 6]
    assert collections.Counter("hello")["l"] == 2


@check("help-topics")
def _():
    import pydoc
    import pydoc_data.topics
    assert "for" in pydoc_data.topics.topics
    text = pydoc.render_doc(len, renderer=pydoc.plaintext)
    assert "Return the number of items" in text


@check("sleep")
def _():
    # The product's sleep: sitecustomize's, which waits on the page's /dev/sleep device (no
    # spinning, and Ctrl+C ends it: signals.test.mjs), not the Emscripten build's busy-wait.
    assert time.sleep.__module__ == "sitecustomize", time.sleep.__module__
    start = time.monotonic()
    time.sleep(0.2)
    elapsed = time.monotonic() - start
    assert 0.19 <= elapsed < 1.0, elapsed


@check("recursion-error")
def _():
    def deep(n):
        return deep(n + 1)
    try:
        deep(0)
    except RecursionError:
        pass
    else:
        raise AssertionError("no RecursionError")
    # The interpreter is still usable afterwards.
    assert sum(range(10)) == 45


@check("memory-error")
def _():
    try:
        bytearray(2**31 - 2)  # more than wasm32 memory can ever hold
    except MemoryError:
        pass
    else:
        raise AssertionError("no MemoryError")
    assert len(bytearray(10 * 1024 * 1024)) == 10 * 1024 * 1024


@check("pyrepl-additions")
def _():
    from _pyrepl import reader, unix_console, utils
    import _pyrepl_additions as additions

    samples = ["", "a", "\x1a", "abc", "\x1b[1;34mfor\x1b[0m x", "é", "a日本", "\x1b[33m1\x1b[0m\x1a",
               "\x1b[1;35m>>> \x1b[0m", "x\x1b[?25l"]
    widths = [utils.wlen(s) for s in samples]
    additions.install()
    assert reader.wlen is unix_console.wlen is utils.wlen is not None
    assert [utils.wlen(s) for s in samples] == widths, "ASCII widths as PyREPL's own"
    text = 'for n in range(2): print("x", 1.5)  # c\ns = "open'
    coloured = {text[start:end]: colour for start, end, colour in additions.colour_spans(text)}
    assert coloured == {
        "for": additions.KEYWORD, "in": additions.KEYWORD, "range": additions.BUILTIN, "2": additions.NUMBER,
        "print": additions.BUILTIN, '"x"': additions.STRING, "1.5": additions.NUMBER, "# c": additions.COMMENT,
        '"open': additions.STRING,
    }, coloured
    # Drawn line by line, from the second line on (as PyREPL's cache of unchanged rows
    # leaves it), each line gets its own part of the spans, a string across lines too.
    text = 'x = 1\ns = """a\nb""" + str(2)  # c'
    colouring = additions._Colouring()
    colouring.begin(text, len("x = 1\n"))
    drawn = ["".join(colouring.colour(line, list(line))) for line in text.split("\n")[1:]]
    colouring.end()

    def coloured(part, colour):
        return "".join(colour + character for character in part) + additions.RESET

    assert drawn == ['s = ' + coloured('"""a', additions.STRING),
                     coloured('b"""', additions.STRING) + " + " + coloured("str", additions.BUILTIN) + "("
                     + coloured("2", additions.NUMBER) + ")  " + coloured("# c", additions.COMMENT)], drawn
    assert colouring.colour("x", ["x"]) == ["x"], "outside a drawing: plain"
    assert additions.colour_spans("def area(r): return r.real") == [(0, 3, additions.KEYWORD),
                                                                  (4, 8, additions.DEFINITION),
                                                                  (13, 19, additions.KEYWORD)]


print("checks done")
