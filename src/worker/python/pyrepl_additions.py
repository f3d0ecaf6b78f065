"""What the page adds to CPython 3.13's PyREPL: the code typed at its prompt coloured, as
3.14 colours it, and a redraw as soon as the terminal is resized.

Colours: PyREPL 3.13 draws each line of its buffer from `disp_str(line)`: one entry per
character and its width. Our `disp_str` prefixes each character of a coloured token with
its colour and ends the token with a reset, so widths, wrapping and the cursor stay as
PyREPL computes them. The colours come from `tokenize` over the whole buffer (a string may
span lines), once per text. A PyREPL that colours by itself (3.14 has
`_pyrepl.utils.gen_colors`) is left alone, so moving to 3.14 needs no change here.

Resize: PyREPL's SIGWINCH handler queues a "resize" event and expects the read it
interrupted to fail with EINTR, but CPython retries a read after a signal handler that
raises nothing (PEP 475), so the redraw waited for the next key. The worker raises SIGWINCH
only inside a read; our handler raises EINTR there after PyREPL's.
"""

import bisect
import builtins
import errno
import io
import keyword
import signal
import tokenize

# After CPython 3.14's default theme (`_colorize`).
KEYWORD = "\x1b[1;34m"
BUILTIN = "\x1b[36m"
STRING = "\x1b[32m"
NUMBER = "\x1b[33m"
COMMENT = "\x1b[31m"
DEFINITION = "\x1b[1m"
RESET = "\x1b[0m"

# Longer buffers (a huge paste) are drawn plain: tokenizing them at every key would cost more
# than the colours are worth.
MAX_COLOURED = 20_000

_BUILTINS = frozenset(name for name in dir(builtins) if not name.startswith("_"))
_STRING_TOKENS = frozenset(
    getattr(tokenize, name)
    for name in ("STRING", "FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END")
    if hasattr(tokenize, name)
)


def colour_spans(text):
    """(start, end, colour) for the tokens of `text` to colour, as offsets into `text`; what
    cannot be tokenized (an unfinished string or bracket) is left plain from there on."""
    line_starts = [0]
    for line in text.splitlines(keepends=True):
        line_starts.append(line_starts[-1] + len(line))

    def offset(position):
        row, col = position
        return line_starts[row - 1] + col if row - 1 < len(line_starts) else len(text)

    spans = []
    previous = None
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            kind, string = token.type, token.string
            colour = None
            if kind == tokenize.NAME:
                if keyword.iskeyword(string):
                    colour = KEYWORD
                elif previous is not None and previous.string in ("def", "class"):
                    colour = DEFINITION
                elif string in _BUILTINS and not (previous is not None and previous.string == "."):
                    colour = BUILTIN
            elif kind == tokenize.NUMBER:
                colour = NUMBER
            elif kind in _STRING_TOKENS:
                colour = STRING
            elif kind == tokenize.COMMENT:
                colour = COMMENT
            if colour is not None and string:
                spans.append((offset(token.start), offset(token.end), colour))
            if kind not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT):
                previous = token
    except tokenize.TokenError as error:
        # A string being typed: coloured as one from its quote to the end of its line (or
        # of the text, for a triple-quoted one).
        message, position = (list(error.args) + [None, None])[:2]
        if "string" in str(message) and isinstance(position, tuple):
            row, col = position
            start = offset((row, max(col - 1, 0)))
            line_end = text.find("\n", start)
            end = len(text) if "multi-line" in message or line_end < 0 else line_end
            if start < end:
                spans.append((start, end, STRING))
    except SyntaxError:
        pass
    return spans


class _Colouring:
    """The colours of the buffer being drawn, and where the next line drawn starts in it."""

    def __init__(self):
        self.text = None
        self.spans = []
        # The spans' ends, in order (spans follow one another): where a line's first span is.
        self.span_ends = []
        self.next_line_start = None

    def begin(self, text, first_line_start):
        if text != self.text:
            self.text = text
            self.spans = colour_spans(text) if len(text) <= MAX_COLOURED else []
            self.span_ends = [span_end for _, span_end, _ in self.spans]
        self.next_line_start = first_line_start

    def end(self):
        self.next_line_start = None

    def colour(self, line, chars):
        """Adds the colours of `line` (the next line drawn) to its characters `chars`."""
        if self.next_line_start is None:
            return chars
        start, end = self.next_line_start, self.next_line_start + len(line)
        self.next_line_start = end + 1
        if len(chars) != len(line):
            return chars  # not one entry per character: drawn plain
        for index in range(bisect.bisect_right(self.span_ends, start), len(self.spans)):
            span_start, span_end, colour = self.spans[index]
            if span_start >= end:
                break
            first, last = max(span_start, start) - start, min(span_end, end) - start - 1
            # Each character carries its colour: PyREPL may wrap the line between any two,
            # and redraw one row without the one before it.
            for character in range(first, last + 1):
                chars[character] = colour + chars[character]
            chars[last] = chars[last] + RESET
        return chars


def install():
    """Adds colours (unless PyREPL colours by itself), the redraw at a resize, and a
    quicker width of ASCII text."""
    _install_colours()
    _install_resize()
    _install_ascii_widths()


def _install_ascii_widths():
    """PyREPL measures the width of every row it draws, character by character, several
    times per key (most of its time per key here, more with colours' escape codes): an
    ASCII row's width is its length less its escape sequences, as the same formula gives."""
    from _pyrepl import reader, unix_console, utils

    if getattr(utils, "_ascii_widths_installed", False):
        return
    plain_wlen = utils.wlen
    escapes = utils.ANSI_ESCAPE_SEQUENCE

    def wlen(text):
        if not text.isascii():
            return plain_wlen(text)
        if "\x1b" not in text and "\x1a" not in text:
            return len(text)
        return len(text) - sum(map(len, escapes.findall(text))) + text.count("\x1a")

    for module in (utils, reader, unix_console):
        module.wlen = wlen
    utils._ascii_widths_installed = True


def _install_resize():
    from _pyrepl import unix_console

    console = unix_console.UnixConsole
    if getattr(console, "_redraws_at_resize", False):
        return
    plain_prepare = console.prepare

    def prepare(self):
        plain_prepare(self)
        handler = signal.getsignal(signal.SIGWINCH)
        if callable(handler):

            def on_resize(signum, frame):
                handler(signum, frame)
                raise InterruptedError(errno.EINTR, "the terminal was resized")

            signal.signal(signal.SIGWINCH, on_resize)

    console.prepare = prepare
    console._redraws_at_resize = True


def _install_colours():
    from _pyrepl import reader, utils

    if hasattr(utils, "gen_colors") or getattr(reader, "_colours_installed", False):
        return
    colouring = _Colouring()
    plain_disp_str = reader.disp_str
    plain_calc_screen = reader.Reader.calc_screen

    def disp_str(buffer):
        chars, widths = plain_disp_str(buffer)
        return colouring.colour(buffer, chars), widths

    def calc_screen(self):
        # Statements at the REPL's prompts only (`more_lines` is set for them), not what a
        # program's input() reads; and not while a paste arrives (PyREPL redraws at each
        # chunk of it: tokenizing the growing buffer each time cost 0.4 s on 200 lines), but
        # once it has (PyREPL redraws everything then).
        if (not self.can_colorize or getattr(self, "more_lines", None) is None
                or getattr(self, "in_bracketed_paste", False)):
            return plain_calc_screen(self)
        # The line drawn first starts where PyREPL's cache of unchanged rows ends.
        cache = self.last_refresh_cache
        first = cache.get_cached_location(self)[0] if cache.valid(self) else 0
        colouring.begin("".join(self.buffer), first)
        try:
            return plain_calc_screen(self)
        finally:
            colouring.end()

    reader.disp_str = disp_str
    reader.Reader.calc_screen = calc_screen
    reader._colours_installed = True
