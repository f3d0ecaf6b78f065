// End-to-end: the built site in a real Chromium, used as a person would, through the page.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "../serve.mjs";
import {
  BASIC_REPL, TYPED_FILE, launch, openRepl, paste, promptCount, replPage, screenText, typeLine, waitForScreen,
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

const freshPage = () => replPage(browser);

describe("the REPL", () => {
  test("boots to a prompt with CPython's banner and evaluates 1+1", async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    assert.match(await screenText(page), /Python 3\.13\.5/);
    await typeLine(page, "1+1");
    await waitForScreen(page, /^>>> 1\+1\n2\n>>>/m);
    await page.context().close();
  });

  test("the start does not need the rest of the library, and rlcompleter is the real one", async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    // CPython imports rlcompleter at an interactive start; sitecustomize gives that import a
    // placeholder, or inspect would have Python fetch and mount python313-extra.zip first.
    await typeLine(page, "import sys; '/lib/python313-extra.zip' in sys.path");
    await waitForScreen(page, /^False$/m);
    await typeLine(page, "import rlcompleter; rlcompleter.Completer().complete('pri', 0)");
    await waitForScreen(page, /^'print\('$/m);
    await page.context().close();
  });

  test("multi-line function with continuation prompts", async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    // As a person does: each line after its prompt appears.
    await typeLine(page, "def twice(x):");
    await waitForScreen(page, /^\.\.\.( +)?$/m);
    // The basic REPL indents with Tab; PyREPL indents the block's first line by itself.
    if (BASIC_REPL) await page.keyboard.press("Tab");
    await typeLine(page, "return 2 * x");
    await waitForScreen(page, (t) => t.trimEnd().endsWith("\n..."));
    await typeLine(page, "");
    await waitForScreen(page, (t) => t.trimEnd().endsWith("\n>>>"));
    await typeLine(page, "twice(21)");
    await waitForScreen(page, /^42$/m);
    assert.match(await screenText(page), /^\.\.\.     return 2 \* x$/m);
    await page.context().close();
  });

  test("input() shows its prompt, blocks, and round-trips non-ASCII text", async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    await typeLine(page, 'name = input("Nom : "); print(repr(name), len(name))');
    await waitForScreen(page, /^Nom :$/m);
    await typeLine(page, "Élève 日本 😀");
    await waitForScreen(page, /^'Élève 日本 😀' 10$/m);
    await typeLine(page, 'print("é" * 3)');
    await waitForScreen(page, /^ééé$/m);
    await page.context().close();
  });

  test("Ctrl+C stops a running loop and keeps state", async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    await typeLine(page, "kept = 41");
    await typeLine(page, "while True: pass");
    await typeLine(page, ""); // ends the compound statement: now it runs
    await page.waitForTimeout(300);
    const before = Date.now();
    await page.keyboard.press("Control+C");
    // Raised inside the running loop, not at a prompt: a traceback names the line.
    await waitForScreen(page, new RegExp(`File "${TYPED_FILE}", line 1, in <module>\\n(\\s.*\\n)*KeyboardInterrupt`));
    const ms = Date.now() - before;
    assert.ok(ms < 2000, `KeyboardInterrupt after ${ms} ms`);
    await typeLine(page, "kept + 1");
    await waitForScreen(page, /^42$/m);
    await page.context().close();
  });

  test("Ctrl+C while blocked in input() raises KeyboardInterrupt in the program", async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    await typeLine(page, `exec("try:\\n    input('wait: ')\\nexcept KeyboardInterrupt:\\n    print('caught it')")`);
    await waitForScreen(page, /^wait:$/m);
    await page.keyboard.press("Control+C");
    // As in a terminal: the tty echoes ^C, then the program prints. (At PyREPL's prompt,
    // input() is PyREPL's own line editor, as on a desktop: it reads keys raw, no echo.)
    await waitForScreen(page, BASIC_REPL ? /^wait: \^Ccaught it$/m : /^wait: caught it$/m);
    await page.context().close();
  });

  test("Ctrl+C at the prompt discards the line", async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    await page.keyboard.type("not run");
    await page.keyboard.press("Control+C");
    await waitForScreen(page, /KeyboardInterrupt\n>>>/);
    assert.doesNotMatch(await screenText(page), /NameError/);
    await page.context().close();
  });

  test("type-ahead: keys typed while Python is busy echo at once and run in order", async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    await typeLine(page, "import time; time.sleep(1.5); print('first')");
    await page.waitForTimeout(200);
    await typeLine(page, "print('second')");
    // Echoed while Python still sleeps, before 'first' is printed.
    const during = await waitForScreen(page, /print\('second'\)/, 1000);
    assert.doesNotMatch(during, /^first$/m);
    const done = await waitForScreen(page, /^first$[\s\S]*second$/m);
    assert.ok(done.indexOf("first") < done.lastIndexOf("second"));
    await page.context().close();
  });

  test("Ctrl+D on an empty line ends Python, and Enter restarts it", async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    await page.keyboard.press("Control+D");
    await waitForScreen(page, /Python exited \(status 0\)/);
    await page.keyboard.press("Enter");
    await waitForScreen(page, (t) => t.split("restarting Python")[1]?.match(/^>>>$/m));
    await page.context().close();
  });

  test("exit() ends Python; Enter restarts it", async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    await typeLine(page, "exit()");
    await waitForScreen(page, /Python exited \(status 0\)/);
    await page.keyboard.press("Enter");
    await waitForScreen(page, (t) => t.split("restarting Python")[1]?.match(/^>>> ?$/m));
    await typeLine(page, "6*7");
    await waitForScreen(page, /^42$/m);
    await page.context().close();
  });

  test("the Restart button gives a fresh interpreter while code runs", async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    await typeLine(page, "x = 5");
    await waitForScreen(page, (t) => t.trimEnd().endsWith(">>> x = 5\n>>>"));
    await typeLine(page, "x");
    await waitForScreen(page, /^5$/m); // x existed before the restart
    await typeLine(page, "while True: pass");
    await typeLine(page, "");
    await page.waitForTimeout(300);
    // The loop runs: no prompt after it (only the "..." that ended it).
    const running = await screenText(page);
    assert.doesNotMatch(running.slice(running.lastIndexOf(">>> while True: pass") + 4), />>>/, running);
    await page.click("button.restart");
    await waitForScreen(page, (t) => t.split("restarting Python")[1]?.match(/^>>> ?$/m));
    await page.click(".terminal");
    await typeLine(page, "'x' in dir()");
    await waitForScreen(page, /^False$/m);
    await page.context().close();
  });

  test("a 200-line paste runs line by line", async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    const lines = ["total = 0"];
    for (let i = 1; i < 200; i++) lines.push(`total += ${i}`);
    await paste(page, lines.join("\n") + "\n");
    await typeLine(page, "print('total is', total)");
    // PyREPL keeps a block of several statements open until an empty line, as on a desktop.
    if (!BASIC_REPL) await typeLine(page, "");
    await waitForScreen(page, /^total is 19900$/m);
    // Each pasted line was shown after its own prompt, as if typed (PyREPL: one block, as
    // pasted, that Enter ran with the line typed after it).
    const text = await screenText(page);
    assert.match(text, BASIC_REPL
      ? /^>>> total \+= 198\n>>> total \+= 199\n>>> print\('total is', total\)$/m
      : /^\.\.\. total \+= 199\n\.\.\. print\('total is', total\)\n\.\.\.\ntotal is 19900$/m);
    await page.context().close();
  });

  test("history survives a reload", async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    await typeLine(page, "print('from history')");
    await waitForScreen(page, /^from history$/m);
    await page.reload();
    await waitForScreen(page, /^>>> ?$/m, 30000);
    await page.click(".terminal");
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("Enter");
    await waitForScreen(page, (t) => t.split("from history").length >= 3);
    await page.context().close();
  });

  test("100 000 printed lines all arrive", async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    await typeLine(page, "for i in range(100_000): print(i)");
    await typeLine(page, "");
    await waitForScreen(page, /^99999\n>>> ?$/m, 60000);
    await page.context().close();
  });
});

describe("stopping, sizing and showing things", () => {
  test("Ctrl+C interrupts time.sleep(100) at once", async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    await typeLine(page, "import time; time.sleep(100)");
    await page.waitForTimeout(300);
    const before = Date.now();
    await page.keyboard.press("Control+C");
    await waitForScreen(page, /KeyboardInterrupt\n>>>/);
    assert.ok(Date.now() - before < 2000);
    await page.context().close();
  });

  test("Ctrl+C interrupts sum() over range(10**10) inside its C loop", async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    // sum() runs the range iterator in C (python-dist/patches/ makes that loop check for
    // signals); keeping the iterator shows afterwards how far the loop had got.
    await typeLine(page, "numbers = iter(range(10**10)); sum(numbers)");
    await page.waitForTimeout(300);
    // Still inside the C loop (about 20 minutes under wasm): no result and no prompt after it.
    assert.match((await screenText(page)).trimEnd(), /\n>>> numbers = iter\(range\(10\*\*10\)\); sum\(numbers\)$/);
    await page.keyboard.press("Control+C");
    // Raised inside the running statement: the traceback names it.
    await waitForScreen(page, new RegExp(`File "${TYPED_FILE}", line 1, in <module>\\n(\\s.*\\n)*KeyboardInterrupt\\n>>>`));
    // The loop stopped part way: the iterator has items left. Had the interrupt only been
    // noticed after sum() returned, the iterator would be exhausted (StopIteration).
    await typeLine(page, "print('stopped at', next(numbers))");
    const stoppedAt = Number((await waitForScreen(page, /^(stopped at \d+|StopIteration.*)$/m)).match(/^stopped at (\d+)$/m)?.[1]);
    assert.ok(stoppedAt > 0 && stoppedAt < 10 ** 10, `the iterator after Ctrl+C: ${await screenText(page)}`);
    await page.context().close();
  });

  test("an endless print loop stops with Ctrl+C and the page stays usable", async (t) => {
    const page = await freshPage();
    await openRepl(page, site.url);
    await typeLine(page, "while True: print('spam ' * 8)");
    await typeLine(page, "");
    await page.waitForTimeout(1500);
    await page.keyboard.press("Control+C");
    // The interrupt may land between print's text and its newline: that half line stays in
    // sys.stdout's buffer and is flushed before the prompt, as native CPython does.
    await waitForScreen(page, /KeyboardInterrupt\n(spam )*>>>/, 30000);
    await typeLine(page, "'still here'");
    await waitForScreen(page, /^'still here'$/m);
    // The page's heap stays bounded (Chromium reports it; other browsers do not).
    const heap = await page.evaluate(() => performance.memory?.usedJSHeapSize);
    if (heap === undefined) {
      t.skip("the page heap is not measured: this browser has no performance.memory (a Chromium API)");
    } else {
      assert.ok(heap > 0 && heap < 200e6, `page heap ${heap} bytes`);
    }
    await page.context().close();
  });

  test("shutil.get_terminal_size() follows the window", async () => {
    const page = await freshPage();
    await page.setViewportSize({ width: 1400, height: 700 });
    await openRepl(page, site.url);
    await typeLine(page, "import shutil; shutil.get_terminal_size()");
    const first = (await waitForScreen(page, /os\.terminal_size\(columns=\d+, lines=\d+\)/)).match(/columns=(\d+), lines=(\d+)/);
    await page.setViewportSize({ width: 1000, height: 500 });
    await page.waitForTimeout(300);
    await page.keyboard.press("Control+L");
    await typeLine(page, "shutil.get_terminal_size()");
    const second = (await waitForScreen(page, (t) => /columns=(\d+)/.exec(t)?.[1] !== first[1] && /columns=/.test(t))).match(/columns=(\d+), lines=(\d+)/);
    assert.ok(Number(second[1]) < Number(first[1]), `${second[1]} columns after shrinking from ${first[1]}`);
    assert.ok(Number(second[2]) < Number(first[2]));
    await page.context().close();
  });

  test("partial lines, help() and tracebacks look as in a terminal", async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    await typeLine(page, "print('no newline', end='')");
    // The basic REPL writes its prompt after the text; PyREPL draws its own from the row's
    // start, so the page starts it on the next row (as shells do) rather than over the text.
    await waitForScreen(page, BASIC_REPL ? /^no newline>>>$/m : /^no newline\n>>>$/m);
    await typeLine(page, "help(len)");
    await waitForScreen(page, /Return the number of items in a container\./);
    await typeLine(page, "1/0");
    await waitForScreen(page, /^ZeroDivisionError: division by zero$/m);
    await page.context().close();
  });

  test("a 1 MB paste arrives whole and the page stays responsive", { skip: !BASIC_REPL && "the basic REPL's (the next test is PyREPL's)" }, async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    // The first and last pasted lines note when Python began and ended running the paste.
    const lines = ["import time; parts = []; began = time.time()"];
    for (let i = 0; i < 100; i++) lines.push(`parts.append("${String(i).padStart(3, "0")}${"Élève日本".repeat(1000)}")`);
    lines.push("ended = time.time()");
    const text = lines.join("\n") + "\n";
    assert.ok(Buffer.byteLength(text) > 1_000_000);
    const expected = createHash("sha256").update(lines.slice(1, -1).map((l) => l.slice(14, -2)).join("")).digest("hex");
    // A heartbeat in the page: a timer that re-arms itself, each run a round trip through
    // the page's event loop, noting the time. It runs only when the main thread is free.
    const pasted = await page.evaluate(() => {
      window.heartbeats = [];
      const beat = () => {
        window.heartbeats.push(Date.now());
        if (!window.heartbeatsDone) setTimeout(beat, 10);
      };
      beat();
      return Date.now();
    });
    await paste(page, text);
    await typeLine(page, "print('ran from', round(began * 1000), 'to', round(ended * 1000))");
    const [, began, ended] = (await waitForScreen(page, /^ran from \d+ to \d+$/m, 120000)).match(/^ran from (\d+) to (\d+)$/m).map(Number);
    const beats = await page.evaluate(() => { window.heartbeatsDone = true; return window.heartbeats; });
    // The page answered while the paste ran: round trips came back while Python was running
    // the pasted lines, and from the paste until Python ran its last line the page was never
    // stalled for more than a third of that time (a paste handled in one blocking task, or a
    // main thread blocked until Python is done, is one stall as long as the paste).
    const during = beats.filter((t) => t > began && t < ended);
    assert.ok(during.length >= 3, `${during.length} round trips came back while Python ran the paste (${ended - began} ms)`);
    const times = [pasted, ...beats.filter((t) => t > pasted && t < ended), ended];
    const stall = Math.max(...times.slice(1).map((t, i) => t - times[i]));
    assert.ok(stall < (ended - pasted) / 3, `the page was stalled for ${stall} ms of the paste's ${ended - pasted} ms`);
    await typeLine(page, "import hashlib; hashlib.sha256(''.join(parts).encode()).hexdigest()");
    const screen = await waitForScreen(page, /'[0-9a-f]{64}'/, 120000);
    assert.match(screen, new RegExp(`'${expected}'`));
    await page.context().close();
  });

  test("a 1 MB paste at PyREPL's prompt is kept whole in a file, with a message, and nothing is typed", { skip: BASIC_REPL && "PyREPL's (REPL=pyrepl)" }, async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    const lines = ["parts = []"];
    for (let i = 0; i < 100; i++) lines.push(`parts.append("${String(i).padStart(3, "0")}${"Élève日本".repeat(1000)}")`);
    const text = lines.join("\n") + "\n";
    assert.ok(Buffer.byteLength(text) > 1_000_000);
    await paste(page, text);
    await page.getByText("too large to edit at the >>> prompt, so it is in pasted.py").waitFor();
    // The prompt is as it was, and the file Python sees holds exactly what was pasted.
    await page.click(".terminal");
    await typeLine(page, "import hashlib; hashlib.sha256(open('pasted.py', 'rb').read()).hexdigest()");
    const expected = createHash("sha256").update(text).digest("hex");
    await waitForScreen(page, new RegExp(`^'${expected}'$`, "m"));
    assert.doesNotMatch(await screenText(page), /parts\.append/);
    await page.context().close();
  });

  test("a crash of the interpreter shows a message, and Restart brings Python back", async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    // abort() in C: the same path as a wasm trap or a stack overflow.
    await typeLine(page, "import faulthandler; faulthandler._sigabrt()");
    await waitForScreen(page, /^Python stopped abruptly: the interpreter aborted/m);
    assert.match(await page.textContent("[data-testid=status]"), /Python stopped abruptly/);
    await page.keyboard.press("Enter");
    await waitForScreen(page, (t) => t.split("restarting Python")[1]?.match(/^>>>$/m));
    await typeLine(page, "2**10");
    await waitForScreen(page, /^1024$/m);
    await page.context().close();
  });

  test("a failed download says so, and retry works", async () => {
    const page = await freshPage();
    await page.route("**/python/python.wasm", (route) => route.abort("failed"));
    await page.goto(site.url);
    await waitForScreen(page, /could not download .*python\.wasm/);
    assert.match(await waitForScreen(page, /press Enter or click Restart to retry/i), /retry/);
    await page.unroute("**/python/python.wasm");
    await page.click(".terminal");
    await page.keyboard.press("Enter");
    await waitForScreen(page, (t) => t.split("restarting Python")[1]?.match(/^>>>$/m), 30000);
    await page.context().close();
  });
});
