// End-to-end: the terminal as a tty (issue 14), in a real Chromium through the page: the
// transcript reads as typed even with type-ahead, a program cannot leave the prompt unusable,
// termios modes (getpass, raw mode) are honoured.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "../serve.mjs";
import { BASIC_REPL, launch, openRepl, replContext, screenLines, typeLine, waitForScreen } from "../browser.mjs";

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

async function freshPage() {
  const context = await replContext(browser);
  const page = await context.newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  return page;
}

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
