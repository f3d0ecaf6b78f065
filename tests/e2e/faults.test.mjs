// Faults a student can trigger, tried in every engine as a student would, through the page:
// asyncio, sockets, pasted control characters, the alternate screen, deep parser recursion,
// sleep's edges, invalid UTF-8, and modules and calls that cannot work in a browser tab.
// Each case asserts what the student sees and what Python received.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "../serve.mjs";
import { openRepl, screenText, typeLine, waitForScreen } from "../browser.mjs";
import { ENGINES, launchEngine, pasteIn, withPage } from "../engines.mjs";

const dist = join(fileURLToPath(import.meta.url), "..", "..", "..", "dist");
const TEST_TIMEOUT = 300_000;
let site;
/** A TCP listener on this machine: no snippet may reach it. */
let listener;
const connections = [];

before(async () => {
  site = await serve({ root: dist });
  listener = createServer((socket) => {
    connections.push(socket.remoteAddress);
    socket.destroy();
  });
  await new Promise((resolve) => listener.listen(0, "127.0.0.1", resolve));
});
after(async () => {
  await site?.close();
  await new Promise((resolve) => listener.close(resolve));
});

/** The screen after the last prompt line that starts with `>>> ` + `command`. */
const after_ = (text, command) => text.split(`>>> ${command}`).at(-1);

/** Types `line` and waits for the next prompt (`>>>` or `...`) under it, as a person does. */
async function typeAtPrompt(page, line) {
  await typeLine(page, line);
  const escaped = line.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").trimEnd();
  const echoed = new RegExp(`\\n(>>>|\\.\\.\\.) ?${escaped}\\n(>>>|\\.\\.\\.)$`);
  await waitForScreen(page, (t) => echoed.test(t.trimEnd()));
}

/** Runs `command` at the prompt and waits until its output matches `pattern`. */
async function run(page, command, pattern, timeout = 30000) {
  await typeLine(page, command);
  return waitForScreen(page, (t) => pattern.test(after_(t, command)), timeout);
}

async function faultSession(engine, page, url, { compat }) {
  // The terminal alone (as a course page embeds it): wide enough that messages do not wrap.
  await openRepl(page, `${url}?repl`);

  // asyncio: tasks, gather, queues, timeouts, all without a network.
  await run(page, "import asyncio", /^\s*>>>/);
  for (const line of [
    "async def tick(n):",
    "    await asyncio.sleep(0.05); return n * 2",
    "",
    "async def main():",
    "    q = asyncio.Queue(); await q.put('q')",
    "    got = list(await asyncio.gather(tick(1), tick(2)))",
    "    try: await asyncio.wait_for(asyncio.sleep(10), 0.1)",
    "    except TimeoutError: got.append('timeout')",
    "    return got + [await q.get()]",
    "",
  ]) await typeAtPrompt(page, line);
  await run(page, "asyncio.run(main())", /^\[2, 4, 'timeout', 'q'\]$/m);
  // asyncio.sleep is interrupted by Ctrl+C (in compatibility mode too: Python waits there).
  await typeLine(page, "asyncio.run(asyncio.sleep(100))");
  await page.waitForTimeout(500);
  const pressed = Date.now();
  await page.keyboard.press("Control+C");
  await waitForScreen(page, (t) => /\nKeyboardInterrupt\n>>>\s*$/.test(after_(t, "asyncio.run(asyncio.sleep(100))")));
  assert.ok(Date.now() - pressed < 5000, `interrupted after ${Date.now() - pressed} ms`);
  await run(page, "asyncio.run(tick(21))", /^42$/m);

  // Sockets fail at once, saying why; nothing reaches this machine's listener.
  const port = listener.address().port;
  await run(page, `import socket; socket.create_connection(("127.0.0.1", ${port}))`,
    /^OSError: \[Errno \d+\] network sockets are not available: this Python runs in a browser tab/m);
  await run(page, "import urllib.request; urllib.request.urlopen('http://127.0.0.1:1/')", /^urllib\.error\.URLError: <urlopen error \[Errno \d+\] network sockets are not available/m);
  assert.deepEqual(connections, [], "no connection reached the machine");

  // Tracebacks show the student's code, not the product's sleep; sleep's limits as CPython's.
  await typeLine(page, "import time; time.sleep(100)");
  await page.waitForTimeout(300);
  await page.keyboard.press("Control+C");
  const slept = await waitForScreen(page, (t) => /KeyboardInterrupt\n>>>\s*$/.test(after_(t, "import time; time.sleep(100)")));
  assert.doesNotMatch(after_(slept, "import time; time.sleep(100)"), /sitecustomize|_os\.write/);
  await run(page, "time.sleep(1e300)", /^OverflowError: timestamp too large to convert to C PyTime_t$/m);
  await run(page, "time.sleep(-1)", /^ValueError: sleep length must be non-negative$/m);

  // Deep recursion in the parser is an error, and the session (its variables) stays.
  await run(page, "kept = 'still here'", /^\s*>>>/);
  await run(page, "eval('-' * 100000 + '1')", /^MemoryError: Parser stack overflowed - Python source too complex to parse$/m, 60000);
  // Just inside the parser's limit: as deep as the browser's stack must hold (the compiler
  // may still refuse it, with RecursionError).
  await run(page, "eval('-' * 2950 + '1')", /^(1|-1|RecursionError: .*)$/m, 60000);
  await run(page, "eval('(' * 60 + '7' + ')' * 60), kept", /^\(7, 'still here'\)$/m, 60000);

  // Invalid UTF-8 shows as U+FFFD, as a terminal with a UTF-8 decoder shows it.
  await run(page, "import sys; sys.stdout.buffer.write(b'a\\xffb\\xe2\\x82 ok\\n'); sys.stdout.flush()", /^a\uFFFDb\uFFFD ok$/m);

  // What cannot exist in a browser tab says so.
  // tkinter is the part of Tk that turtle draws with (on the page); the rest says why not.
  await run(page, "import tkinter; tkinter.Label", /^[\w.]*Error: .*Tk windows are not available in the browser/m);
  await run(page, "import multiprocessing", /^ModuleNotFoundError: No module named 'multiprocessing': a browser tab cannot start processes$/m);
  await run(page, "import os; os.system('ls')", /^os\.system\('ls'\): a browser tab has no shell.*\n127$/m);
  await run(page, "import subprocess; subprocess.run(['ls'])", /^OSError: \[Errno \d+\] a browser tab cannot start processes/m);

  // A web page Python asks for is offered, never opened by itself: the student's click opens
  // it in a new tab; other kinds of address are refused.
  await run(page, "import antigravity", /^\s*>>>/);
  await page.waitForSelector("[data-testid=link-offer]");
  assert.match(await page.textContent("[data-testid=link-offer]"), /^Python asks to open https:\/\/xkcd\.com\/353\/ \(in a new tab\)/);
  assert.deepEqual(await page.evaluate(() => {
    const link = document.querySelector("[data-testid=link-offer] a");
    return [link.getAttribute("href"), link.target, link.rel];
  }), ["https://xkcd.com/353/", "_blank", "noopener noreferrer"]);
  await page.click("[data-testid=link-offer] button");
  await page.click(".terminal");
  await run(page, "import webbrowser; webbrowser.open('javascript:alert(1)')", /^True$/m);
  await page.waitForSelector("[data-testid=link-offer]");
  assert.match(await page.textContent("[data-testid=link-offer]"), /only web addresses \(http:\/\/ or https:\/\/\) can be opened, not “javascript:alert\(1\)”/);
  assert.equal(await page.evaluate(() => document.querySelector("[data-testid=link-offer] a")), null);
  await page.click("[data-testid=link-offer] button");
  await page.click(".terminal");

  // A paste with a control character is refused whole, with a message; the line being typed
  // stays, and Python received none of the pasted lines.
  await page.keyboard.type("z = 1");
  await pasteIn(engine, page, "y = 2\nprint('a\x1b[Db')\n");
  await waitForScreen(page, /Not pasted: line 2 holds the control character \^\[/);
  await typeLine(page, "");
  await waitForScreen(page, (t) => /\n>>> z = 1\n>>>$/.test(t.trimEnd()));
  await run(page, "z, 'y' in dir()", /^\(1, False\)$/m);
  // Firefox's text area, through which its test pastes, drops a NUL before the clipboard
  // gets it; the other engines paste it as a student's clipboard would.
  if (engine !== "firefox") {
    await pasteIn(engine, page, "s = 'a\0b'\n");
    await waitForScreen(page, /Not pasted: line 1 holds the control character \^@/);
  }

  // A crash of the interpreter is told once, in words; Enter gives a fresh Python.
  await typeLine(page, "import faulthandler; faulthandler._sigsegv()");
  const crashed = await waitForScreen(page, /Python stopped abruptly: the interpreter aborted[\s\S]*Press Enter or click Restart/, 30000);
  assert.doesNotMatch(crashed, /ASSERTIONS/);
  assert.equal(crashed.match(/stopped abruptly/g).length, 1);
  await page.keyboard.press("Enter");
  await waitForScreen(page, (t) => /^>>> ?$/m.test(t.split("Press Enter or click Restart").at(-1)), 30000);

  // The alternate screen: a program that switches to it (and hides the cursor) and ends is
  // back on the main screen at the next prompt (the page makes the terminal sane for each
  // prompt), the wheel types no arrow keys into the prompt, and Restart leaves it too.
  await run(page, "hidden = 'no'", /^\s*>>>/);
  await typeLine(page, "print('\\x1b[?1049h\\x1b[?25l', end='')");
  await waitForScreen(page, /^>>> hidden = 'no'$/m);
  // Wheel events over the terminal (xterm turns them into Up keys on the alternate screen).
  await page.evaluate(() => {
    const screen = document.querySelector(".xterm-screen");
    for (let i = 0; i < 3; i++) screen.dispatchEvent(new WheelEvent("wheel", { deltaY: -300, bubbles: true, cancelable: true }));
  });
  await page.waitForTimeout(300);
  // Nothing was recalled into the prompt's line: what is typed next runs alone.
  await run(page, "'wheel' + 'ok'", /^'wheelok'$/m);
  await page.click("button.restart");
  await waitForScreen(page, (t) => /restarting Python/.test(t) && /^>>> ?$/m.test(t.split("restarting Python").at(-1)), 30000);
  // Back on the normal screen, with what it showed before the program switched away.
  assert.match(await screenText(page), /^>>> hidden = 'no'$/m);
  await run(page, "'hidden' in dir()", /^False$/m);
  if (compat) assert.match(await page.textContent("[data-testid=mode]"), /Compatibility mode/);
}

// Every engine, and WebKit as shipped (no SharedArrayBuffer: compatibility mode, the relay).
const CONFIGURATIONS = ENGINES.map((engine) => ({ engine, title: `${engine}: faults a student can trigger`, compat: false }));
if (ENGINES.includes("webkit")) {
  CONFIGURATIONS.push({ engine: "webkit", title: "webkit as shipped (no SharedArrayBuffer): faults in compatibility mode", compat: true });
}

for (const { engine, title, compat } of CONFIGURATIONS) {
  describe(title, () => {
    let browser;
    before(async () => { browser = await launchEngine(engine, { sharedArrayBuffer: !compat }); });
    after(async () => { await browser?.close(); });
    test("asyncio, sockets, sleep, deep parsing, invalid UTF-8, missing modules, control characters, the alternate screen", { timeout: TEST_TIMEOUT }, async () => {
      await withPage(browser, (page) => faultSession(engine, page, site.url, { compat }));
    });
  });
}
