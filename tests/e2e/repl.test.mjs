// End-to-end: the built site in a real Chromium, used as a person would, through the page.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "../serve.mjs";
import { launch, openRepl, paste, promptCount, screenText, typeLine, waitForScreen } from "../browser.mjs";

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
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  return page;
}

describe("the REPL", () => {
  test("boots to a prompt with CPython's banner and evaluates 1+1", async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    assert.match(await screenText(page), /Python 3\.13\.5/);
    await typeLine(page, "1+1");
    await waitForScreen(page, /^>>> 1\+1\n2\n>>>/m);
    await page.context().close();
  });

  test("multi-line function with continuation prompts", async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    // As a person does: each line after its prompt appears.
    await typeLine(page, "def twice(x):");
    await waitForScreen(page, /^\.\.\.$/m);
    await page.keyboard.press("Tab");
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
    await page.waitForTimeout(300);
    const before = Date.now();
    await page.keyboard.press("Control+C");
    await waitForScreen(page, /KeyboardInterrupt/);
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
    // As in a terminal: the tty echoes ^C, then the program prints.
    await waitForScreen(page, /^wait: \^Ccaught it$/m);
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
    await typeLine(page, "while True: pass");
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
    await waitForScreen(page, /^total is 19900$/m);
    // Each pasted line was shown after its own prompt, as if typed.
    const text = await screenText(page);
    assert.match(text, /^>>> total \+= 198\n>>> total \+= 199\n>>> print\('total is', total\)$/m);
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

describe("a page without cross-origin isolation", () => {
  test("explains why Python cannot start and how to fix it", async () => {
    const plain = await serve({ root: dist, isolate: false });
    const page = await freshPage();
    await page.goto(plain.url);
    const help = page.locator(".isolation-help");
    await help.waitFor();
    assert.match(await help.textContent(), /Cross-Origin-Embedder-Policy: require-corp/);
    await page.context().close();
    await plain.close();
  });
});
