// The three browser engines students have, behind one small page interface (the subset of
// Playwright's `Page` the tests use): Chromium through playwright-core, Firefox ESR through
// geckodriver and WebKitGTK's MiniBrowser through WebKitWebDriver, both over W3C WebDriver
// (selenium-webdriver). Firefox and WebKit run headful in their own Xvfb display, which also
// gives `xdotool` a keyboard to type into them as an operating system does.
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { Builder, By, Key } from "selenium-webdriver";
import { CHROMIUM, launch as launchChromium, paste } from "./browser.mjs";

/** Engines to run, from `ENGINES` (comma-separated), default all three. */
export const ENGINES = (process.env.ENGINES || "chromium,firefox,webkit").split(",").map((e) => e.trim()).filter(Boolean);

export const FIREFOX = process.env.FIREFOX || "/usr/bin/firefox-esr";

/** WebKitGTK's MiniBrowser, in the multiarch library directory. */
export function miniBrowser() {
  if (process.env.MINIBROWSER) return process.env.MINIBROWSER;
  for (const dir of readdirSync("/usr/lib")) {
    const path = join("/usr/lib", dir, "webkit2gtk-4.1", "MiniBrowser");
    if (existsSync(path)) return path;
  }
  throw new Error("WebKitGTK's MiniBrowser is not installed (Debian package libwebkit2gtk-4.1-0)");
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A virtual X display of its own; `close()` ends it. */
export async function startDisplay() {
  const proc = spawn("Xvfb", ["-displayfd", "1", "-screen", "0", "1280x900x24", "-nolisten", "tcp"], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  const number = await new Promise((resolve, reject) => {
    let out = "";
    proc.stdout.on("data", (d) => {
      out += d;
      if (out.includes("\n")) resolve(out.trim());
    });
    proc.on("exit", (code) => reject(new Error(`Xvfb exited with ${code}`)));
  });
  return { display: `:${number}`, close: () => proc.kill() };
}

/** Starts a WebDriver server and waits until it answers. */
async function startDriver(command, args, env) {
  const port = await freePort();
  const proc = spawn(command, [...args(port)], { env, stdio: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/status`)).ok) return { url, proc };
    } catch { /* not listening yet */ }
    await sleep(100);
  }
  proc.kill();
  throw new Error(`${command} did not start`);
}

const KEYS = {
  Enter: Key.ENTER, Tab: Key.TAB, Backspace: Key.BACK_SPACE, Delete: Key.DELETE, Escape: Key.ESCAPE,
  ArrowUp: Key.ARROW_UP, ArrowDown: Key.ARROW_DOWN, ArrowLeft: Key.ARROW_LEFT, ArrowRight: Key.ARROW_RIGHT,
  Home: Key.HOME, End: Key.END, Control: Key.CONTROL, Shift: Key.SHIFT, Alt: Key.ALT,
};

/** The Playwright `Page` subset the tests use, over a WebDriver session. */
class WebDriverPage {
  constructor(driver, quit) {
    this.driver = driver;
    this.quit = quit;
    this.keyboard = {
      type: (text) => driver.actions().sendKeys(text).perform(),
      press: async (combo) => {
        const parts = combo.split("+").map((k) => KEYS[k] ?? k.toLowerCase());
        const key = parts.pop();
        let actions = driver.actions();
        for (const m of parts) actions = actions.keyDown(m);
        actions = actions.sendKeys(key);
        for (const m of parts.reverse()) actions = actions.keyUp(m);
        await actions.perform();
      },
    };
  }
  /** Navigates; a navigation that never reaches its load event (seen once in about 30 WebKit
   * runs, the page never loading within 60 s) is tried once more before the test fails. */
  async goto(url) {
    try {
      await this.driver.get(url);
    } catch (error) {
      if (error?.name !== "TimeoutError") throw error;
      console.error(`navigation to ${url} timed out; trying once more`);
      await this.driver.get(url);
    }
  }
  reload() { return this.driver.navigate().refresh(); }
  evaluate(fn, arg) { return this.driver.executeScript(`return (${fn})(arguments[0]);`, arg); }
  async $$eval(selector, fn) {
    try {
      const result = await this.driver.executeScript(`return (${fn})(Array.from(document.querySelectorAll(arguments[0])));`, selector);
      return result ?? []; // null while the page navigates (Firefox)
    } catch (error) {
      // The page is navigating (the service worker's one reload): nothing to read yet.
      this.lastReadError = error;
      return [];
    }
  }
  textContent(selector) {
    return this.driver.executeScript("const e = document.querySelector(arguments[0]); return e && e.textContent;", selector);
  }
  async click(selector) { await (await this.driver.findElement(By.css(selector))).click(); }
  async waitForSelector(selector, { timeout = 30000 } = {}) {
    const deadline = Date.now() + timeout;
    while (Date.now() < deadline) {
      if (await this.evaluate((s) => document.querySelector(s) !== null, selector)) return;
      await sleep(50);
    }
    throw new Error(`no ${selector} after ${timeout} ms`);
  }
  waitForTimeout(ms) { return sleep(ms); }
  on() { /* page errors: WebDriver has no event stream; failures show on the screen */ }
  context() { return { close: () => this.quit() }; }
}

/**
 * Launches `name` ("chromium", "firefox" or "webkit"). Options: `sharedArrayBuffer` (WebKit
 * only: WebKitGTK exposes it only when told to, as Safari does under isolation), `headful`
 * (Chromium only; the others always are) and `prefs` (Firefox preferences).
 * Returns { name, display, newPage(), close() }.
 */
export async function launchEngine(name, { sharedArrayBuffer = true, headful = false, prefs = {} } = {}) {
  if (name === "chromium") {
    if (!headful) {
      const browser = await launchChromium();
      return {
        name, display: null,
        newPage: async () => (await browser.newContext()).newPage(),
        close: () => browser.close(),
      };
    }
    const display = await startDisplay();
    const profile = mkdtempSync(join(tmpdir(), "chromium-"));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: false, env: { ...process.env, DISPLAY: display.display },
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage", "--window-position=0,0",
        "--window-size=1200,850"],
    });
    return {
      name, display: display.display,
      newPage: async () => context.pages()[0] ?? context.newPage(),
      close: async () => { await context.close(); display.close(); rmSync(profile, { recursive: true, force: true }); },
    };
  }
  const display = await startDisplay();
  const env = { ...process.env, DISPLAY: display.display };
  let driverCommand;
  let capabilities;
  if (name === "firefox") {
    driverCommand = ["geckodriver", (port) => ["--port", String(port), "--host", "127.0.0.1"]];
    capabilities = {
      browserName: "firefox",
      "moz:firefoxOptions": {
        binary: FIREFOX, args: ["-width", "1200", "-height", "850"],
        // No calls home from a test browser.
        prefs: { "app.update.disabledForTesting": true, "browser.shell.checkDefaultBrowser": false,
          "datareporting.policy.dataSubmissionEnabled": false, "network.captive-portal-service.enabled": false,
          ...prefs },
      },
    };
  } else if (name === "webkit") {
    if (sharedArrayBuffer) env.JSC_useSharedArrayBuffer = "1";
    else delete env.JSC_useSharedArrayBuffer;
    driverCommand = ["WebKitWebDriver", (port) => [`--port=${port}`]];
    capabilities = {
      browserName: "MiniBrowser",
      "webkitgtk:browserOptions": { binary: miniBrowser(), args: ["--automation"] },
    };
  } else {
    throw new Error(`unknown engine ${name}`);
  }
  // Each page gets a driver of its own: a browser that stops answering (WebKitWebDriver
  // sometimes never completes a second session) takes only its own page down.
  const pages = new Set();
  const openSession = async () => {
    const driver = await startDriver(driverCommand[0], driverCommand[1], env);
    const build = new Builder().usingServer(driver.url).withCapabilities(capabilities).build();
    const session = await Promise.race([build, sleep(60_000).then(() => null)]);
    if (!session) {
      driver.proc.kill();
      throw new Error(`${name}: no browser session within 60 s`);
    }
    return { driver, session };
  };
  const close = async ({ driver, session }) => {
    // A browser that died leaves its driver's requests unanswered: never wait long.
    await Promise.race([session.quit().catch(() => {}), sleep(5000)]);
    driver.proc.kill();
  };
  return {
    name, display: display.display,
    newPage: async () => {
      const opened = await openSession().catch(openSession); // one more try on a stuck start
      pages.add(opened);
      const { session } = opened;
      await session.manage().setTimeouts({ script: 60000, pageLoad: 60000 });
      await session.manage().window().setRect({ x: 0, y: 0, width: 1200, height: 850 }).catch(() => {});
      return new WebDriverPage(session, async () => { pages.delete(opened); await close(opened); });
    },
    close: async () => {
      for (const opened of pages) await close(opened);
      display.close();
    },
  };
}

/** Types `text` on `display` as a keyboard does (X key events through the input method).
 * For a character the layout lacks, xdotool remaps a spare key code just before pressing it
 * and undoes that just after; Chromium reads such keymap changes late and then drops the key
 * (seen: "élève" as "élve"). So those characters get key codes of their own first (xmodmap),
 * and the whole keymap is then loaded again (xkbcomp): Chromium rereads all of a new keymap,
 * whereas after xmodmap's change alone it still dropped some keys (4 of 19 key codes). */
export async function xdotoolType(display, text, delayMs = 60) {
  const env = { ...process.env, DISPLAY: display };
  const missing = [...new Set(text.match(/[^\x20-\x7e]/gu) ?? [])];
  if (missing.length) {
    // Key codes the keymap names: a nameless one loses its binding when the keymap is reloaded.
    const named = new Set([...execFileSync("xkbcomp", ["-xkb", display, "-"], { env, encoding: "utf8" })
      .matchAll(/^\s*<\w+>\s*=\s*(\d+);/gm)].map((m) => m[1]));
    const spare = execFileSync("xmodmap", ["-pke"], { env, encoding: "utf8" })
      .split("\n")
      .map((line) => /^keycode\s+(\d+)\s*=\s*$/.exec(line)?.[1])
      .filter((code) => code && named.has(code));
    if (spare.length < missing.length) throw new Error(`only ${spare.length} spare key codes for ${missing.length} characters`);
    const bindings = missing.flatMap((char, i) => {
      const keysym = `U${char.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
      return ["-e", `keycode ${spare[i]} = ${keysym}`];
    });
    execFileSync("xmodmap", bindings, { env });
    const keymap = execFileSync("xkbcomp", ["-xkb", display, "-"], { env });
    execFileSync("xkbcomp", ["-", display], { env, input: keymap, stdio: ["pipe", "ignore", "ignore"] });
    await sleep(500);
  }
  execFileSync("xdotool", ["type", "--delay", String(delayMs), "--", text], { env });
}

/** Presses keys (xdotool key names, e.g. "dead_acute", "Return") on `display`. */
export function xdotoolKey(display, ...keys) {
  execFileSync("xdotool", ["key", "--delay", "60", ...keys], { env: { ...process.env, DISPLAY: display } });
}

/** Sets the keyboard layout of `display` (e.g. "us" and variant "intl", which has dead keys
 * of its own, so xdotool presses them without remapping a key code, a change browsers pick
 * up late); waits until browsers have seen the change. */
export async function keyboardLayout(display, layout, variant = "") {
  const args = ["-layout", layout, ...(variant ? ["-variant", variant] : [])];
  execFileSync("setxkbmap", args, { env: { ...process.env, DISPLAY: display } });
  await sleep(500);
}

/** Clicks at screen position (x, y) on `display`, giving that window the keyboard. */
export function xdotoolClick(display, x, y) {
  execFileSync("xdotool", ["mousemove", String(x), String(y), "click", "1"], { env: { ...process.env, DISPLAY: display } });
}

/** Pastes through the browser's clipboard where the engine's synthetic paste events carry no
 * data (Firefox): copy from a text area in the page, then Ctrl+V in the terminal. */
export async function pasteIn(engine, page, text) {
  if (engine !== "firefox") return paste(page, text);
  await page.evaluate((text) => {
    const area = document.createElement("textarea");
    area.id = "clipboard-source";
    area.value = text;
    document.body.append(area);
    area.focus();
    area.select();
  }, text);
  await page.keyboard.press("Control+C");
  await page.evaluate(() => document.getElementById("clipboard-source").remove());
  await page.click(".terminal");
  await page.keyboard.press("Control+V");
}

/** Runs `body` with a new page of `browser`, and closes the page (its context) afterwards,
 * whether or not `body` fails. */
export async function withPage(browser, body) {
  const page = await browser.newPage();
  try {
    return await body(page);
  } finally {
    await page.context().close();
  }
}
