"""The terminal database PyREPL reads, for the page's terminal (xterm.js, TERM=xterm-256color).

CPython 3.13's _pyrepl/_minimal_curses.py loads the C curses library with ctypes to read
terminfo; the browser has neither. make_stdlib_zip.py puts this module in its place: the
same three functions over the capabilities of xterm-256color that PyREPL asks for (their
values as in ncurses' terminfo entry), and the part of terminfo's parameter language those
capabilities use. CPython 3.14 replaced that module with a terminfo reader in pure Python
(_pyrepl/terminfo.py) for the same reason.
"""


class error(Exception):
    pass


_XTERM = {
    # output
    "bel": b"\x07",
    "civis": b"\x1b[?25l",
    "clear": b"\x1b[H\x1b[2J",
    "cnorm": b"\x1b[?12l\x1b[?25h",
    "cub": b"\x1b[%p1%dD",
    "cub1": b"\x08",
    "cud": b"\x1b[%p1%dB",
    "cud1": b"\n",
    "cuf": b"\x1b[%p1%dC",
    "cuf1": b"\x1b[C",
    "cup": b"\x1b[%i%p1%d;%p2%dH",
    "cuu": b"\x1b[%p1%dA",
    "cuu1": b"\x1b[A",
    "dch": b"\x1b[%p1%dP",
    "dch1": b"\x1b[P",
    "el": b"\x1b[K",
    "hpa": b"\x1b[%i%p1%dG",
    "ich": b"\x1b[%p1%d@",
    "ind": b"\n",
    "ri": b"\x1bM",
    "rmkx": b"\x1b[?1l\x1b>",
    "smkx": b"\x1b[?1h\x1b=",
    # keys (application cursor mode, which smkx turns on)
    "kbs": b"\x7f",
    "kcub1": b"\x1bOD",
    "kcud1": b"\x1bOB",
    "kcuf1": b"\x1bOC",
    "kcuu1": b"\x1bOA",
    "kdch1": b"\x1b[3~",
    "kend": b"\x1bOF",
    "kent": b"\x1bOM",
    "khome": b"\x1bOH",
    "kich1": b"\x1b[2~",
    "knp": b"\x1b[6~",
    "kpp": b"\x1b[5~",
    "kf1": b"\x1bOP",
    "kf2": b"\x1bOQ",
    "kf3": b"\x1bOR",
    "kf4": b"\x1bOS",
    "kf5": b"\x1b[15~",
    "kf6": b"\x1b[17~",
    "kf7": b"\x1b[18~",
    "kf8": b"\x1b[19~",
    "kf9": b"\x1b[20~",
    "kf10": b"\x1b[21~",
    "kf11": b"\x1b[23~",
    "kf12": b"\x1b[24~",
}

_TERMINALS = {"xterm", "xterm-256color", "xterm-color"}
_capabilities = None


def setupterm(termstr=None, fd=-1):
    global _capabilities
    name = termstr.decode() if isinstance(termstr, bytes) else termstr
    if name is None:
        import os
        name = os.environ.get("TERM", "")
    if name not in _TERMINALS:
        raise error(f"setupterm: unknown terminal {name!r} (this browser's terminal is xterm-256color)")
    _capabilities = _XTERM


def tigetstr(cap):
    if _capabilities is None:
        raise error("must call setupterm() first")
    if isinstance(cap, bytes):
        cap = cap.decode("ascii")
    return _capabilities.get(cap)


def tparm(string, *params):
    """Expands %pN (push parameter N), %i (parameters 1 and 2 count from one), %d (pop,
    as a decimal number) and %%: all that the capabilities above use."""
    values = list(params) + [0] * (9 - len(params))
    out = bytearray()
    stack = []
    i = 0
    while i < len(string):
        byte = string[i]
        i += 1
        if byte != 0x25:  # "%"
            out.append(byte)
            continue
        if i >= len(string):
            raise error("tparm: a lone % at the end")
        code = chr(string[i])
        i += 1
        if code == "%":
            out += b"%"
        elif code == "i":
            values[0] += 1
            values[1] += 1
        elif code == "p" and i < len(string) and chr(string[i]) in "123456789":
            stack.append(values[int(chr(string[i])) - 1])
            i += 1
        elif code == "d":
            out += str(stack.pop() if stack else 0).encode()
        else:
            raise error(f"tparm: %{code} is not supported")
    return bytes(out)
