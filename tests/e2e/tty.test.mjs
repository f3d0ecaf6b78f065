// End-to-end: the terminal as a tty (issue 14), in a real Chromium through the page: the
// transcript reads as typed even with type-ahead, a program cannot leave the prompt unusable,
// termios modes (getpass, raw mode) are honoured.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "../serve.mjs";
import { BASIC_REPL, launch, openRepl, paste, replPage, screenLines, typeLine, waitForScreen } from "../browser.mjs";

const dist = join(fileURLToPath(import.meta.url), "..", "..", "..", "dist");
let browser;
let site;

before(async () => {
  browser = await launch();
  site = await serve({ root: dist });
});
after(async () => {
  await browser?.close();
  await site?.close();
});

const freshPage = () => replPage(browser);

/** The screen from the row holding `first` on, as text. */
async function transcriptFrom(page, first) {
  const lines = await screenLines(page);
  return lines.slice(lines.findIndex((line) => line.includes(first))).join("\n").trimEnd();
}

/** The runs of text xterm's DOM draws in the last row that matches `pattern`, with their
 * classes (colours, concealed...). */
function rowRuns(page, pattern) {
  return page.$$eval(".xterm-rows > div", (rows, source) => {
    const row = rows.filter((r) => new RegExp(source).test(r.textContent.replace(/\u00a0/g, " "))).at(-1);
    return row ? [...row.querySelectorAll("span")].map((s) => ({ text: s.textContent, classes: s.className })) : [];
  }, pattern.source);
}

/** The classes of the runs of that row that hold `text`. */
async function classesOf(page, pattern, text) {
  return (await rowRuns(page, pattern)).filter((run) => run.text.includes(text)).map((run) => run.classes).join(" ");
}

describe("the transcript reads as if every line was typed at its prompt", () => {
  test("lines typed during time.sleep show at once, and then after the prompts that read them", async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    await typeLine(page, "import time; time.sleep(2)");
    await page.waitForTimeout(300);
    await page.keyboard.type("print(1)\nx = 5\nx", { delay: 20 });
    // A student sees what they type at once, while Python still sleeps.
    const during = await waitForScreen(page, /^x = 5$/m, 1500);
    assert.doesNotMatch(during, /^1$/m);
    await waitForScreen(page, /^>>> x$/m);
    assert.equal(await transcriptFrom(page, "time.sleep(2)"),
      ">>> import time; time.sleep(2)\n>>> print(1)\n1\n>>> x = 5\n>>> x");
    await page.keyboard.press("Enter");
    await waitForScreen(page, /^>>> x\n5\n>>>$/m);
    await page.context().close();
  });

  test("a block typed at 40 ms per key right after Enter keeps its prompts in place", async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    // The basic REPL needs the indent typed; PyREPL indents the block by itself.
    const indent = BASIC_REPL ? "    " : "";
    await page.keyboard.type(`y = 1\nfor i in range(2):\n${indent}print(i + y)\n\nprint('done')\n`, { delay: 40 });
    await waitForScreen(page, /^done$/m);
    assert.equal(await transcriptFrom(page, "y = 1"), [
      ">>> y = 1",
      ">>> for i in range(2):",
      "...     print(i + y)",
      "...",
      "1",
      "2",
      ">>> print('done')",
      "done",
      ">>>",
    ].join("\n"));
    await page.context().close();
  });
});

describe("Python's answer to a key is drawn in the frame after the key", () => {
  test("the page takes it from shared memory at that frame, and draws it once", async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    const taken = () => page.evaluate(() => performance.getEntriesByName("terminal: answer taken at a frame").length);
    await typeLine(page, "x = 41 + 1");
    await waitForScreen(page, /^>>> x = 41 \+ 1\n>>> ?$/m);
    await page.keyboard.type("x");
    await page.waitForTimeout(300);
    const before = await taken();
    // The frame after Enter starts with a callback that takes 300 ms: Python answers
    // meanwhile, and no task (the worker's posted message) runs during a frame, so only the
    // page's own take in that frame can have its answer.
    await page.evaluate(() => document.addEventListener("keydown", () => requestAnimationFrame(() => {
      const end = performance.now() + 300;
      while (performance.now() < end);
    }), { capture: true, once: true }));
    await page.keyboard.press("Enter");
    await waitForScreen(page, /^>>> x\n42\n>>> ?$/m);
    assert.ok(await taken() > before, "the answer was taken at the frame");
    await page.waitForTimeout(300);
    // Its posted copy was not drawn again.
    const text = (await screenLines(page)).join("\n");
    assert.equal(text.match(/^42$/gm).length, 1, text);
    assert.match(text, /^>>> x = 41 \+ 1\n>>> x\n42\n>>> ?$/m);
  });
});

describe("a program's output cannot make the REPL unusable", () => {
  test("concealed text, a hidden cursor and a colour left on are reset before the next prompt", async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    // The output itself is shown as the program wrote it: "hidden" is concealed (xterm draws
    // no text for it), and the prompt after it is not.
    await typeLine(page, String.raw`print("\x1b[8mhidden\x1b[?25l\x1b[31m")`);
    await waitForScreen(page, /print\(.*\)\n\n>>>$/m);
    await typeLine(page, "6 * 7");
    await waitForScreen(page, /^42$/m);
    // What the student types and the result are visible, in the default colour.
    assert.doesNotMatch(await classesOf(page, /^>>> 6 \* 7/, "6 * 7"), /xterm-invisible|xterm-fg-1\b/);
    assert.doesNotMatch(await classesOf(page, /^42$/, "42"), /xterm-invisible|xterm-fg-1\b/);
    assert.equal(await page.locator(".xterm-cursor").count(), 1, "the cursor is shown again");
    // A program's colour that was left on is also reset for the prompt.
    await typeLine(page, String.raw`print("\x1b[31mred", end="")`);
    // The basic REPL's prompt follows the text; PyREPL's starts the next row.
    const promptRow = BASIC_REPL ? /^red>>>/ : /^>>>$/;
    await waitForScreen(page, BASIC_REPL ? /^red>>>/m : /^red\n>>>$/m);
    assert.match(await classesOf(page, /^red/, "red"), /xterm-fg-1\b/, "the program's output keeps its colour");
    assert.doesNotMatch(await classesOf(page, promptRow, ">>>"), /xterm-fg-1\b/);
    await page.context().close();
  });
});

describe("termios: programs set the tty's modes", () => {
  test("getpass() does not echo what is typed, and the password stays out of the history", async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    await typeLine(page, "import getpass; secret = getpass.getpass('Password: ')");
    await waitForScreen(page, /^Password:$/m);
    await typeLine(page, "hunter2 é");
    await waitForScreen(page, /^Password:\n>>>$/m);
    await typeLine(page, "len(secret), secret[-1]");
    await waitForScreen(page, /^\(9, 'é'\)$/m);
    assert.doesNotMatch(await transcriptFrom(page, "Password"), /hunter2/);
    // Up twice: the line before, not the password.
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("ArrowUp");
    await waitForScreen(page, /^>>> import getpass; secret = getpass\.getpass\('Password: '\)$/m);
    await page.context().close();
  });

  test("a program in raw mode (tty.setraw) reads single keys as they are pressed, then the tty is restored", async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    await typeLine(page, [
      "import sys, termios, tty; saved = termios.tcgetattr(0); tty.setraw(0); print('ready', flush=True)",
      "keys = [sys.stdin.read(1) for _ in range(3)]; termios.tcsetattr(0, termios.TCSADRAIN, saved); print(keys)",
    ].join("; "));
    await waitForScreen(page, /^ready$/m);
    await page.keyboard.press("a");
    await page.keyboard.press("Enter");
    await page.keyboard.press("ArrowUp");
    // Enter is "\r" in raw mode (no ICRNL), the arrow key is its escape sequence; nothing echoed.
    await waitForScreen(page, /\['a', '\\r', '\\x1b'\]$/m);
    // Cooked again: the line discipline edits and echoes.
    await typeLine(page, "6 * 7");
    await waitForScreen(page, /^42$/m);
    await page.context().close();
  });
});

describe("CPython's new REPL (PyREPL)", { skip: BASIC_REPL && "PyREPL's (REPL=pyrepl)" }, () => {
  test("a coloured prompt, auto-indent, Tab completion, and a block recalled whole with Up", async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    assert.match(await classesOf(page, /^>>>\s*$/, ">>>"), /xterm-fg-(5|13)\b/, "PyREPL's magenta prompt");
    await typeLine(page, "import collections");
    await page.keyboard.type("collections.Ord");
    await page.keyboard.press("Tab");
    await waitForScreen(page, /^>>> collections\.OrderedDict\($/m);
    await page.keyboard.press("Control+U");
    await page.keyboard.press("Control+K");
    await page.keyboard.type("collections.");
    const asked = Date.now();
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await waitForScreen(page, /collections\.ChainMap\(.*\n.*collections\.Counter\(/);
    console.log(`Tab completion list shown in ${Date.now() - asked} ms (two Tab presses)`);
    await page.keyboard.press("Control+C");
    // The block's body is indented by PyREPL after the colon.
    await typeLine(page, "def area(w, h):");
    await typeLine(page, "return w * h");
    await typeLine(page, "");
    await typeLine(page, "area(6, 7)");
    await waitForScreen(page, /^42$/m);
    // Up twice: the whole def comes back as one block; edit its last line and run it again.
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("ArrowUp");
    await waitForScreen(page, /^>>> def area\(w, h\):\n\.\.\.     return w \* h$/m);
    await page.keyboard.press("End");
    await page.keyboard.type(" + 1");
    await page.keyboard.press("Enter");
    await typeLine(page, "");
    await typeLine(page, "area(6, 7)");
    await waitForScreen(page, /^43$/m);
    await page.context().close();
  });

  test("the code typed is coloured as CPython 3.14 colours it, and what input() reads is not", async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    await page.keyboard.type('for n in range(2): print(n, "x", 1.5)  # note');
    const row = /^>>> for n in range/;
    await waitForScreen(page, /# note$/m);
    const colours = {
      for: /xterm-bold.*xterm-fg-(4|12)\b|xterm-fg-(4|12)\b.*xterm-bold/, range: /xterm-fg-6\b/, print: /xterm-fg-6\b/,
      '"x"': /xterm-fg-2\b/, "1.5": /xterm-fg-3\b/, "# note": /xterm-fg-1\b/,
    };
    for (const [text, colour] of Object.entries(colours)) {
      assert.match(await classesOf(page, row, text), colour, `${text}: ${JSON.stringify(await rowRuns(page, row))}`);
    }
    assert.equal(await classesOf(page, row, " n "), "", "a plain name stays plain");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    await waitForScreen(page, /^0 x 1\.5\n1 x 1\.5\n>>> ?$/m);
    // A string still being typed is a string already; a name being defined is bold.
    await page.keyboard.type('def greet(name):\nreturn "hi');
    await waitForScreen(page, /^\.\.\.     return "hi$/m);
    assert.match(await classesOf(page, /^\.\.\.     return "hi/, '"hi'), /xterm-fg-2\b/);
    assert.match(await classesOf(page, /^>>> def greet/, "greet"), /xterm-bold/);
    await page.keyboard.type('" + name');
    await typeLine(page, "");
    await typeLine(page, "");
    await typeLine(page, 'answer = input("? ")');
    await waitForScreen(page, /^\? ?$/m);
    await page.keyboard.type("print");
    await waitForScreen(page, /^\? print$/m);
    assert.equal(await classesOf(page, /^\? print/, "print"), "", "input() reads plain text");
    await page.keyboard.press("Enter");
    await typeLine(page, "greet(answer)");
    await waitForScreen(page, /^'hiprint'$/m);
    // A pasted block is coloured once it has arrived (not at each chunk of it).
    await paste(page, "for k in range(2):\n    print(k * 10)");
    await waitForScreen(page, /^>>> for k in range\(2\):\n\.\.\.     print\(k \* 10\)$/m);
    const pastedRow = /^>>> for k in range\(2\):/;
    for (const deadline = Date.now() + 5000; Date.now() < deadline && !/xterm-fg-6\b/.test(await classesOf(page, pastedRow, "range"));) {
      await page.waitForTimeout(50);
    }
    assert.match(await classesOf(page, pastedRow, "range"), /xterm-fg-6\b/);
    assert.match(await classesOf(page, /^\.\.\.     print\(k/, "10"), /xterm-fg-3\b/);
    // The block ends, as typed, with an empty line.
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    await waitForScreen(page, /^0\n10\n>>> ?$/m);
    await page.context().close();
  });

  test("a narrower terminal: the line being typed is drawn again at the new width at once", async () => {
    const page = await freshPage();
    await page.setViewportSize({ width: 1400, height: 600 });
    await openRepl(page, `${site.url}?repl`);
    const numbers = Array.from({ length: 24 }, (_, i) => i * 11).join(", ");
    await page.keyboard.type(`x = [${numbers}]`);
    await waitForScreen(page, /^>>> x = \[0, 11, .*, 253\]$/m);
    await page.setViewportSize({ width: 700, height: 600 });
    // No key pressed: PyREPL redraws at the resize, wrapped at the new width with its "\".
    await waitForScreen(page, /^>>> x = \[0, 11, [\d, ]+\\\n[\d, ]+253\]$/m);
    await page.keyboard.press("Enter");
    await typeLine(page, "len(x)");
    await waitForScreen(page, /^24\n>>> ?$/m);
    await page.context().close();
  });

  test("the New REPL choice is kept across a reload, and switching back gives the basic REPL", async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    assert.equal(await page.getAttribute("[data-testid=new-repl]", "aria-pressed"), "true");
    await page.reload();
    await waitForScreen(page, /^>>> ?$/m, 30000);
    await page.click(".terminal");
    await typeLine(page, "1/0");
    await waitForScreen(page, /File "<python-input-0>", line 1/);
    await page.click("[data-testid=new-repl]");
    await page.click(".terminal");
    await waitForScreen(page, /--- restarting Python ---[\s\S]*>>>\s*$/);
    await typeLine(page, "1/0");
    await waitForScreen(page, /File "<stdin>", line 1/);
    assert.equal(await page.getAttribute("[data-testid=new-repl]", "aria-pressed"), "false");
    await page.click("[data-testid=new-repl]");
    await page.click(".terminal");
    await waitForScreen(page, /--- restarting Python ---[\s\S]*--- restarting Python ---[\s\S]*>>>\s*$/);
    await typeLine(page, "1/0");
    await waitForScreen(page, /File "<python-input-0>", line 1[\s\S]*File "<python-input-0>", line 1/);
    await page.context().close();
  });
});
