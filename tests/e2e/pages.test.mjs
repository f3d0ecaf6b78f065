// GitHub Pages conditions: a static server that sends no isolation headers, under a
// sub-path. The service worker must isolate the page (one reload, never a loop), keep it
// working offline, and stay out of the way where the server sends the headers itself.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { embeddingPage, serve } from "../serve.mjs";
import { BASIC_REPL, launch, openEmbeddedRepl, openRepl, screenText, typeLine, waitForScreen } from "../browser.mjs";

const root = join(fileURLToPath(import.meta.url), "..", "..", "..");
const BASE = "/REPO/";
let browser;
let site;
let siteDir;

before(async () => {
  browser = await launch();
  // A copy, so the update test can deploy a new version into it.
  siteDir = mkdtempSync(join(tmpdir(), "pages-site-"));
  cpSync(join(root, "dist"), siteDir, { recursive: true });
  site = await serve({ root: siteDir, isolate: false, base: BASE });
});
after(async () => {
  await browser?.close();
  await site?.close();
  rmSync(siteDir, { recursive: true, force: true });
});

/** Waits until the terminal shows one of `patterns` or `selector` is on the page. */
async function waitForAny(page, patterns, selector, timeout = 30000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    try {
      if (await page.locator(selector).count()) return;
    } catch {
      // navigating
    }
    const text = await screenText(page);
    if (patterns.some((p) => p.test(text))) return;
    await page.waitForTimeout(50);
  }
  throw new Error(`neither ${patterns} nor ${selector} appeared`);
}

/** A context that counts the top-level navigations of its pages. */
async function countingContext(options = {}) {
  const context = await browser.newContext(options);
  context.navigations = 0;
  context.on("page", (page) => page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) context.navigations += 1;
  }));
  return context;
}

/** input() waits for a typed, accented answer, which comes back whole; leaves x = 'Zoé'. */
async function inputRoundTrip(screen) {
  await typeLine(screen, "x = input('name? ')");
  await waitForScreen(screen, /^name\?$/m);
  await typeLine(screen, "Zoé");
  await waitForScreen(screen, (t) => t.trimEnd().endsWith("\n>>>"));
  await typeLine(screen, "x[::-1]");
  await waitForScreen(screen, /^'éoZ'$/m);
}

describe("on a host without isolation headers, under a sub-path", () => {
  test("the service worker isolates the page with one reload, and input() works", async () => {
    const context = await countingContext();
    const page = await context.newPage();
    await openRepl(page, site.url);
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    assert.equal(context.navigations, 2, "one load plus exactly one reload");
    await inputRoundTrip(page);
    await context.close();
  });

  test("the page's Content-Security-Policy: nothing the product does breaks it, and markup cannot run script", async () => {
    const context = await browser.newContext();
    await context.addInitScript(() => {
      window.violations = [];
      document.addEventListener("securitypolicyviolation", (e) => window.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const page = await context.newPage();
    await openRepl(page, site.url);
    assert.match(await page.getAttribute("meta[http-equiv=Content-Security-Policy]", "content"), /script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
    // The service worker, the worker, WebAssembly, the editor's module and a Run.
    assert.equal(await page.evaluate(() => navigator.serviceWorker.controller !== null), true);
    await page.waitForSelector(".cm-content");
    await page.click("button.run");
    await waitForScreen(page, /What is your name\?$/m);
    await typeLine(page, "Zoé");
    await waitForScreen(page, /^Hello, Zoé!$/m);
    assert.deepEqual(await page.evaluate(() => window.violations), []);
    // Markup that slipped into the page (a rendering bug) cannot run script.
    await page.evaluate(() => document.body.insertAdjacentHTML("beforeend", '<img src="x.png" onerror="window.ran = 1">'));
    await page.waitForFunction(() => window.violations.length > 0);
    assert.equal(await page.evaluate(() => window.ran), undefined);
    assert.match((await page.evaluate(() => window.violations)).join(), /script-src/);
    await context.close();
  });

  test("reload, hard reload and a second tab never loop", async () => {
    const context = await countingContext();
    const page = await context.newPage();
    await openRepl(page, site.url);
    const afterFirst = context.navigations;
    await page.reload();
    await waitForScreen(page, /^>>>$/m, 30000);
    assert.equal(context.navigations, afterFirst + 1, "a plain reload is one navigation");
    // A hard reload bypasses the service worker. The page makes one attempt to come back
    // under it; if the browser still bypasses it, the page explains and offers a reload.
    const beforeHard = context.navigations;
    const cdp = await context.newCDPSession(page);
    await cdp.send("Page.reload", { ignoreCache: true });
    await waitForAny(page, [/^>>>$/m], ".isolation-help");
    await page.waitForTimeout(2000);
    assert.ok(context.navigations - beforeHard <= 2, `${context.navigations - beforeHard} navigations after a hard reload`);
    if (!(await page.evaluate(() => crossOriginIsolated))) {
      await page.click("button.reload");
      await waitForScreen(page, /^>>>$/m, 30000);
    }
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    const second = await context.newPage();
    await openRepl(second, site.url);
    assert.equal(await second.evaluate(() => crossOriginIsolated), true);
    await page.waitForTimeout(1000);
    assert.ok(context.navigations <= afterFirst + 4, "no navigation loop");
    await context.close();
  });

  test("after one visit the site works offline, the lazily loaded stdlib too", async () => {
    const context = await countingContext();
    const page = await context.newPage();
    await openRepl(page, site.url);
    await context.setOffline(true);
    await page.reload();
    await waitForScreen(page, /^>>>$/m, 30000);
    await page.click(".terminal");
    await typeLine(page, "import dataclasses; dataclasses.__name__");
    await waitForScreen(page, /^'dataclasses'$/m);
    await context.close();
  });

  test("a new deploy replaces the cached version at once, and the page says so", async () => {
    const context = await countingContext();
    const page = await context.newPage();
    await openRepl(page, site.url);
    const oldVersion = await page.evaluate(async () => (await caches.keys()).join());
    // Deploy: change a file and rebuild sw.js, as `make dist` would.
    const index = readFileSync(join(siteDir, "index.html"), "utf8");
    writeFileSync(join(siteDir, "index.html"), index.replace("<title>Python REPL</title>", "<title>Python REPL v2</title>"));
    execFileSync("bash", [join(root, "src/service_worker/make-service-worker.sh")], { env: { ...process.env, TRUNK_STAGING_DIR: siteDir } });
    await page.reload();
    await page.locator("[data-testid=notice]").waitFor({ timeout: 30000 });
    assert.match(await page.textContent("[data-testid=notice]"), /Updated/);
    const newVersion = await page.evaluate(async () => (await caches.keys()).join());
    assert.notEqual(newVersion, oldVersion);
    assert.equal(newVersion.split(",").length, 1, `one cache, not a mix: ${newVersion}`);
    assert.equal(await page.title(), "Python REPL v2");
    await context.close();
  });

  test("without service workers the page explains why Python cannot start", async () => {
    const context = await browser.newContext({ serviceWorkers: "block" });
    const page = await context.newPage();
    await page.goto(site.url);
    const help = page.locator(".isolation-help");
    await help.waitFor({ timeout: 30000 });
    assert.match(await help.textContent(), /service workers/);
    await context.close();
  });
});

describe("embedded in another page, which is not isolated, so the frame cannot be", () => {
  test("compatibility mode: input(), sleep, endless output and Ctrl+C work through the service worker", async (t) => {
    // Same site (as USER.github.io/course embedding USER.github.io/REPO/): the frame may
    // use its service worker and storage.
    const course = await embeddingPage(site.url, "127.0.0.1");
    const context = await browser.newContext();
    // Closed whatever happens: an open server would keep the test process alive.
    t.after(() => Promise.all([context.close(), course.close()]));
    const page = await context.newPage();
    const { frame, screen: repl } = await openEmbeddedRepl(page, course.url);
    assert.equal(await frame.evaluate(() => crossOriginIsolated), false);
    assert.match(await frame.textContent("[data-testid=mode]"), /Compatibility mode/);
    await inputRoundTrip(repl);
    // time.sleep waits on the relay, not in a busy loop, and for as long as asked.
    await typeLine(repl, "import time; t = time.monotonic(); time.sleep(0.6); print('slept', round(time.monotonic() - t, 1))");
    await waitForScreen(repl, /^slept 0\.6$/m);
    // More output (5.4 MB) than the flow-control window (4 MiB): the worker waits for the
    // page's acknowledgements, relayed by the service worker.
    await typeLine(repl, "for i in range(80000): print('x' * 60, i)");
    await page.keyboard.press("Enter");
    await waitForScreen(repl, /^x{60} 79999\n>>>$/m, 120000);
    // Typed ahead while Python sleeps: kept, and run after.
    await typeLine(repl, "time.sleep(1)");
    await typeLine(repl, "print('after', 'sleep')");
    await waitForScreen(repl, /after sleep\n>>>$/m);
    // Ctrl+D in input(): EOFError. Ctrl+C at the prompt and in input(): KeyboardInterrupt,
    // and the session (its variables) lives on.
    await typeLine(repl, "input('more? ')");
    await waitForScreen(repl, /^more\?$/m);
    await page.keyboard.press("Control+D");
    await waitForScreen(repl, /^EOFError$/m);
    await page.keyboard.type("half a li");
    await page.keyboard.press("Control+C");
    // The basic REPL's line discipline echoes ^C; PyREPL does not.
    await waitForScreen(repl, BASIC_REPL ? /\^C\nKeyboardInterrupt\n>>>$/m : /KeyboardInterrupt\n>>>$/m);
    await typeLine(repl, "input('again? ')");
    await waitForScreen(repl, /^again\?$/m);
    await page.keyboard.press("Control+C");
    await waitForScreen(repl, /^KeyboardInterrupt\n>>>$/m);
    await typeLine(repl, "x");
    await waitForScreen(repl, /^'Zoé'$/m);
    // The browser stops the service worker while Python waits (it does so to idle ones, and
    // the relay's queues live in its memory): typing still reaches Python afterwards.
    const cdp = await context.newCDPSession(page);
    await cdp.send("ServiceWorker.enable");
    await cdp.send("ServiceWorker.stopAllWorkers");
    await page.waitForTimeout(500);
    await typeLine(repl, "x * 2");
    await waitForScreen(repl, /^'ZoéZoé'$/m);
    // Running code cannot be interrupted here: Ctrl+C restarts Python instead, and says so.
    await typeLine(repl, "while True: pass");
    await page.keyboard.press("Enter");
    await page.waitForTimeout(300);
    await page.keyboard.press("Control+C");
    await waitForScreen(repl, /KeyboardInterrupt: in compatibility mode/);
    await waitForScreen(repl, /restarting Python[\s\S]*>>>$/, 60000);
    await typeLine(repl, "'x' in dir()");
    await waitForScreen(repl, /^False$/m);
    // After exit() and a restart in the same worker, the terminal size is still known.
    const columns = async (label) => {
      await typeLine(repl, `import shutil; print('${label}', shutil.get_terminal_size().columns)`);
      const pattern = new RegExp(`^${label} (\\d+)$`, "m");
      return Number((await waitForScreen(repl, pattern)).match(pattern)[1]);
    };
    const before = await columns("before");
    assert.notEqual(before, 80, "the size comes from the terminal, not the default");
    await typeLine(repl, "exit()");
    await waitForScreen(repl, /Python exited/);
    await page.keyboard.press("Enter");
    await waitForScreen(repl, /restarting Python[\s\S]*>>>$/, 60000);
    assert.equal(await columns("after"), before);
  });

  test("in another site's page that refuses the frame storage, the frame explains, it does not crash", async (t) => {
    // 127.0.0.2 is another site; this browser context (like a private window) blocks
    // third-party storage, so the frame gets no service worker.
    const course = await embeddingPage(site.url, "127.0.0.2");
    const context = await browser.newContext();
    t.after(() => Promise.all([context.close(), course.close()]));
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    await page.goto(course.url);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    const help = frame.locator(".isolation-help");
    await help.waitFor({ timeout: 30000 });
    assert.match(await frame.textContent(".isolation-help .cause"), /service worker could not start|refuses this page storage/);
    assert.equal(await frame.getAttribute(".open-alone", "target"), "_blank", "a way out: the REPL in its own tab");
    assert.deepEqual(errors, []);
  });
});

describe("on a host that sends the headers", () => {
  test("no service worker is registered at all", async (t) => {
    const withHeaders = await serve({ root: siteDir, isolate: true, base: BASE });
    const context = await browser.newContext();
    t.after(() => Promise.all([context.close(), withHeaders.close()]));
    const page = await context.newPage();
    await openRepl(page, withHeaders.url);
    await typeLine(page, "6*7");
    await waitForScreen(page, /^42$/m);
    assert.equal(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length), 0);
  });
});
