// The editor and Run, used as a student would: write a program, run it, read its output
// and its error, stop it, come back to it after a reload, on a laptop and on a phone.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "../serve.mjs";
import {
  editorText, launch, openWorkbench, screenText, setEditorText, typeLine, waitForScreen,
} from "../browser.mjs";

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

async function freshPage(viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  return page;
}

/** The screen after the last "--- running main.py ---". */
const lastRun = (text) => text.split("--- running main.py ---").at(-1);

describe("the editor and Run", () => {
  test("a program typed in the editor runs as __main__ in main.py, and its variables stay at the prompt", async () => {
    const page = await freshPage();
    await openWorkbench(page, site.url);
    await setEditorText(page, [
      "import sys",
      "def area(r):",
      "    return 3 * r * r",
      "result = area(2)",
      "print('result', result, __name__, sys.argv[0], __file__)",
    ].join("\n"));
    assert.match(await editorText(page), /def area\(r\):\n {4}return 3 \* r \* r/);
    await page.click("button.run");
    await waitForScreen(page, (t) => /^result 12 __main__ main\.py \/home\/user\/main\.py\n>>> ?$/m.test(lastRun(t)));
    await typeLine(page, "result * 2");
    await waitForScreen(page, /^24$/m);
    await page.context().close();
  });

  test("a program's input() reads non-ASCII text typed in the terminal, which has the keyboard", async () => {
    const page = await freshPage();
    await openWorkbench(page, site.url);
    await setEditorText(page, "name = input('Nom ? ')\nprint(f'Bonjour {name} !', len(name))\n");
    await page.keyboard.press("Control+Enter"); // from the editor
    await waitForScreen(page, (t) => /^Nom \?$/m.test(lastRun(t)));
    // No click: the terminal took the keyboard when the program asked.
    await typeLine(page, "Élève 学生");
    await waitForScreen(page, /^Bonjour Élève 学生 ! 8$/m);
    await page.context().close();
  });

  test("a program run before the prompt gets the real rlcompleter (the start's placeholder steps aside)", async () => {
    const page = await freshPage();
    await openWorkbench(page, site.url);
    await setEditorText(page, "import pdb\nfrom rlcompleter import Completer\nprint('completes', Completer().complete('pri', 0))\n");
    await page.click("button.run");
    await waitForScreen(page, (t) => /^completes print\($/m.test(lastRun(t)));
    await page.context().close();
  });

  test("an error names main.py and its line, which the editor marks", async () => {
    const page = await freshPage();
    await openWorkbench(page, site.url);
    await setEditorText(page, "def f(x):\n    return 10 / x\n\nprint('before')\nf(0)\n");
    await page.keyboard.press("F5");
    const text = await waitForScreen(page, (t) => /ZeroDivisionError: division by zero\n>>> ?$/m.test(lastRun(t)));
    assert.match(lastRun(text), /File "\/home\/user\/main\.py", line 2, in f/);
    await page.waitForSelector(".cm-py-error-line");
    const marked = await page.$$eval(".cm-py-error-line", (lines) => lines.map((l) => l.textContent));
    assert.deepEqual(marked, ["    return 10 / x"]);
    assert.match(await page.getAttribute(".cm-py-error-line", "data-error"), /ZeroDivisionError: division by zero/);
    // Its marker in the gutter takes the student to the line.
    await page.click(".cm-content");
    await page.keyboard.press("Control+End");
    await page.click(".cm-py-error-marker");
    const cursorLine = await page.$eval(".cm-activeLine", (l) => l.textContent);
    assert.equal(cursorLine, "    return 10 / x");
    // F5 ran the program; it did not reload the page (the variables are there).
    await page.click(".terminal");
    await typeLine(page, "f");
    await waitForScreen(page, /<function f at/);
    // Running again without the error removes the mark.
    await setEditorText(page, "print('fixed')\n");
    await page.click("button.run");
    await waitForScreen(page, (t) => /^fixed\n>>> ?$/m.test(lastRun(t)));
    assert.equal(await page.$(".cm-py-error-line"), null);
    await page.context().close();
  });

  test("Run on an endless loop becomes Stop, and Stop interrupts it", async () => {
    const page = await freshPage();
    await openWorkbench(page, site.url);
    await setEditorText(page, "print('counting')\nn = 0\nwhile True:\n    n += 1\n");
    await page.click("button.run");
    await page.waitForSelector("button.stop");
    assert.equal(await page.$("button.run"), null, "no Run while the program runs");
    await waitForScreen(page, (t) => /^counting$/m.test(lastRun(t)));
    await page.click("button.stop");
    const text = await waitForScreen(page, (t) => /KeyboardInterrupt\n>>> ?$/m.test(lastRun(t)));
    assert.doesNotMatch(lastRun(text), /restarts/, "the interrupt stopped it: no restart was needed");
    await page.waitForSelector("button.run");
    await page.click(".terminal");
    await typeLine(page, "n > 1000");
    await waitForScreen(page, /^True$/m);
    await page.context().close();
  });

  test("Stop restarts Python when the program ignores KeyboardInterrupt", async () => {
    const page = await freshPage();
    await openWorkbench(page, site.url);
    await setEditorText(page, "print('looping')\nwhile True:\n    try:\n        while True:\n            pass\n    except KeyboardInterrupt:\n        print('ignored')\n");
    await page.click("button.run");
    await page.waitForSelector("button.stop");
    await waitForScreen(page, (t) => /^looping$/m.test(lastRun(t)));
    await page.click("button.stop");
    await waitForScreen(page, /did not stop at KeyboardInterrupt[\s\S]*restarting Python[\s\S]*>>> ?$/m, 30000);
    assert.match(await screenText(page), /\^Cignored$/m, "the interrupt was delivered first, and its output shown at once");
    await page.waitForSelector("button.run");
    await page.click(".terminal");
    await typeLine(page, "6 * 7");
    await waitForScreen(page, /^42$/m);
    await page.context().close();
  });

  test("Stop before the program has started gives a fresh prompt at once, without running it", async () => {
    const page = await freshPage();
    await openWorkbench(page, site.url);
    await setEditorText(page, "started = True\nwhile True:\n    pass\n");
    // Run, then Stop in the same moment: before the new interpreter could take a
    // KeyboardInterrupt (which would be lost while it starts).
    await page.evaluate(() => {
      const press = (key, ctrlKey) => window.dispatchEvent(new KeyboardEvent("keydown", { key, ctrlKey, bubbles: true }));
      press("F5", false);
      press("F2", true);
    });
    await waitForScreen(page, (t) => /Stopped before the program started\.[\s\S]*restarting Python[\s\S]*>>> ?$/m.test(lastRun(t)), 30000);
    await page.waitForSelector("button.run");
    await page.click(".terminal");
    await typeLine(page, "'started' in globals()");
    await waitForScreen(page, /^False$/m);
    assert.doesNotMatch(await screenText(page), /did not stop/);
    await page.context().close();
  });

  test("each Run starts a fresh interpreter: the first run's state is gone", async () => {
    const page = await freshPage();
    await openWorkbench(page, site.url);
    await typeLine(page, "typed_at_the_prompt = 1");
    await setEditorText(page, "try:\n    print('seen', first)\nexcept NameError:\n    print('fresh')\nfirst = 1\n");
    await page.click("button.run");
    await waitForScreen(page, (t) => /^fresh\n>>> ?$/m.test(lastRun(t)));
    await page.click("button.run");
    await waitForScreen(page, (t) => (t.match(/^fresh$/gm) || []).length === 2 && /^>>> ?$/m.test(lastRun(t)));
    assert.doesNotMatch(await screenText(page), /^seen/m);
    await typeLine(page, "'typed_at_the_prompt' in globals()");
    await waitForScreen(page, /^False$/m);
    await page.context().close();
  });

  test("the program survives a reload; Restart gives a prompt without running it", async () => {
    const page = await freshPage();
    await openWorkbench(page, site.url);
    await setEditorText(page, "print('kept é')\n");
    await page.waitForTimeout(600); // the editor saves 300 ms after the last edit
    await page.reload();
    await openWorkbench(page, site.url);
    assert.equal(await editorText(page), "print('kept é')\n");
    await page.click("button.restart");
    const text = await waitForScreen(page, (t) => /^>>> ?$/m.test(t.split("restarting Python").at(-1) ?? ""));
    assert.doesNotMatch(text, /kept é/);
    await page.click("button.clear");
    await waitForScreen(page, (t) => !/restarting Python/.test(t) && /^>>> ?$/m.test(t));
    await page.context().close();
  });

  test("on a phone-sized screen the editor sits above the terminal; ?repl shows the terminal alone", async () => {
    const page = await freshPage({ width: 390, height: 844 });
    await openWorkbench(page, site.url);
    const editor = await page.$eval(".editor-pane", (e) => e.getBoundingClientRect().toJSON());
    const terminal = await page.$eval(".terminal-pane", (e) => e.getBoundingClientRect().toJSON());
    assert.ok(editor.bottom <= terminal.top + 1, `editor ${JSON.stringify(editor)} above terminal ${JSON.stringify(terminal)}`);
    assert.ok(editor.width > 350 && terminal.width > 350, "both use the screen's width");
    const button = await page.$eval("button.run", (b) => b.getBoundingClientRect().toJSON());
    assert.ok(button.right <= 390 && button.height >= 30, "Run is on screen and big enough to tap");
    await setEditorText(page, "print(6 * 7)\n");
    await page.click("button.run");
    await waitForScreen(page, (t) => /^42$/m.test(lastRun(t)));
    await page.goto(`${site.url}?repl`);
    await waitForScreen(page, /^>>> ?$/m, 30000);
    assert.equal(await page.isVisible(".editor-pane"), false);
    assert.ok(await page.isDisabled("button.run"), "Run does nothing without the editor, so it cannot be clicked");
    await page.context().close();
  });

  test("keyboard only: Tab reaches Run and the editor, Escape then Tab leaves it for the terminal", async () => {
    const page = await freshPage();
    await openWorkbench(page, site.url);
    // Start where a reader starts: the top of the page.
    await page.click(".status .title");
    const focused = () => page.evaluate(() => {
      const e = document.activeElement;
      return e?.closest(".cm-content") ? "editor" : e?.closest(".terminal") ? "terminal" : e?.className || e?.tagName;
    });
    const tabUntil = async (want) => {
      for (let i = 0; i < 20; i++) {
        await page.keyboard.press("Tab");
        if ((await focused()) === want) return;
      }
      assert.fail(`Tab never reached ${want} (at ${await focused()})`);
    };
    await tabUntil("run");
    await tabUntil("editor");
    await page.keyboard.press("Control+a");
    await page.keyboard.type("print('by keyboard')");
    await page.keyboard.press("Tab"); // indents the line, inside the editor
    assert.equal(await focused(), "editor");
    assert.equal(await editorText(page), "    print('by keyboard')");
    await page.keyboard.press("Control+z");
    await page.keyboard.press("Escape");
    await tabUntil("terminal");
    await page.keyboard.press("Control+Enter");
    await waitForScreen(page, (t) => /^by keyboard\n>>> ?$/m.test(lastRun(t)));
    // Tab indents in the terminal too; Escape then Tab leaves it.
    await page.keyboard.press("Tab");
    assert.equal(await focused(), "terminal");
    await page.keyboard.press("Escape");
    await page.keyboard.press("Shift+Tab");
    assert.notEqual(await focused(), "terminal");
    await page.context().close();
  });

  test("the editor indents after a colon, closes brackets, toggles comments, searches and undoes", async () => {
    const page = await freshPage();
    await openWorkbench(page, site.url);
    await page.click(".cm-content");
    await page.keyboard.press("Control+a");
    await page.keyboard.press("Backspace");
    await page.keyboard.type("def f(x):");
    await page.keyboard.press("Enter");
    await page.keyboard.type("return (x");
    assert.equal(await editorText(page), "def f(x):\n    return (x)", "indented after the colon, bracket closed");
    await page.keyboard.press("Control+/");
    assert.equal(await editorText(page), "def f(x):\n    # return (x)");
    await page.keyboard.press("Control+z");
    assert.equal(await editorText(page), "def f(x):\n    return (x)");
    await page.keyboard.press("Control+f");
    await page.waitForSelector(".cm-search input[name=search]");
    await page.keyboard.type("return");
    await page.keyboard.press("Enter");
    assert.equal(await page.$$eval(".cm-searchMatch", (m) => m.length), 1);
    // Python's colours: a keyword and a number differ.
    await page.keyboard.press("Escape");
    const [keyword, name] = await page.evaluate(() => {
      const colour = (text) => {
        const span = [...document.querySelectorAll(".cm-line span")].find((s) => s.textContent === text);
        return span ? getComputedStyle(span).color : null;
      };
      return [colour("def"), colour("f")];
    });
    assert.ok(keyword && name && keyword !== name, `a keyword (${keyword}) and a function's name (${name}) have their own colours`);
    await page.context().close();
  });

  test("the split between editor and terminal can be dragged and is remembered", async () => {
    const page = await freshPage();
    await openWorkbench(page, site.url);
    const width = () => page.$eval(".editor-pane", (e) => e.getBoundingClientRect().width);
    const before = await width();
    const divider = await page.$eval(".divider", (e) => e.getBoundingClientRect().toJSON());
    await page.mouse.move(divider.x + 3, divider.y + 100);
    await page.mouse.down();
    await page.mouse.move(divider.x - 300, divider.y + 100, { steps: 5 });
    await page.mouse.up();
    const dragged = await width();
    assert.ok(dragged < before - 250, `${before} → ${dragged}`);
    await page.reload();
    await openWorkbench(page, site.url);
    assert.ok(Math.abs((await width()) - dragged) < 8, "the split was remembered");
    await page.context().close();
  });
});
