// Launches Debian's Chromium through playwright-core (no browser download) and gives tests
// helpers that read the terminal the way a person sees it: from xterm's DOM rows.
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

const ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
  // Containers (CI) often have a tiny /dev/shm.
  "--disable-dev-shm-usage"];

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** Which REPL the tests drive: CPython's basic one (the page's default) or, with
 * REPL=pyrepl in the environment, its new one (PyREPL, the page's "New REPL" choice). */
export const BASIC_REPL = process.env.REPL !== "pyrepl";

/** The file name tracebacks give for what was typed at the prompt. */
export const TYPED_FILE = BASIC_REPL ? "<stdin>" : "<python-input-\\d+>";

/** A browser context whose pages start the REPL the tests drive (see `BASIC_REPL`), or the
 * basic one when `basic`: the choice is in the page's kept preferences, as a student's click
 * on New REPL leaves it. */
export async function replContext(browser, basic = BASIC_REPL) {
  const context = await browser.newContext();
  if (!basic) {
    await context.addInitScript(() => {
      const key = "py-repl-web.layout";
      const prefs = JSON.parse(localStorage.getItem(key) || '{"split": 0.5, "editor_shown": true}');
      localStorage.setItem(key, JSON.stringify({ ...prefs, new_repl: true }));
    });
  }
  return context;
}

/** A page in a fresh context of `replContext`, whose page errors are printed. */
export async function replPage(browser) {
  const page = await (await replContext(browser)).newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  return page;
}

/** Chromium with a profile of its own in `dir`, as a student's browser has: its HTTP cache
 * is on disk and keeps large files (a context from `launch()` is like a private window,
 * whose cache lives in memory and keeps no file of several megabytes). */
export function launchWithProfile(dir) {
  return chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, args: ARGS });
}

/** The terminal's visible text, one string per row, trailing spaces trimmed. */
export async function screenLines(page) {
  try {
    return await page.$$eval(".xterm-rows > div", (rows) => rows.map((r) => r.textContent.replace(/\u00a0/g, " ").trimEnd()));
  } catch (error) {
    // The page is navigating (a reload): there is no screen to read yet.
    if (/context was destroyed|navigat/i.test(String(error))) return [];
    throw error;
  }
}

export async function screenText(page) {
  return (await screenLines(page)).join("\n");
}

/** Waits until the screen text matches `pattern`; fails with the screen when it does not. */
export async function waitForScreen(page, pattern, timeout = 20000) {
  const deadline = Date.now() + timeout;
  let text = "";
  while (Date.now() < deadline) {
    text = await screenText(page);
    if (typeof pattern === "function" ? pattern(text) : pattern.test(text)) return text;
    await page.waitForTimeout(25);
  }
  throw new Error(`screen never matched ${pattern}:\n${text}`);
}

/** Number of rows ending in the prompt `>>> ` (with nothing typed after it). */
export async function promptCount(page) {
  return (await screenLines(page)).filter((l) => l === ">>>").length;
}

/** Types text into the terminal and presses Enter. */
export async function typeLine(page, text) {
  await page.keyboard.type(text);
  await page.keyboard.press("Enter");
}

/** Pastes text as a user would: a clipboard paste event on `target` (by default xterm's
 * textarea, so into the terminal). */
export async function paste(page, text, target = ".xterm-helper-textarea") {
  await page.evaluate(([text, target]) => {
    const data = new DataTransfer();
    data.setData("text/plain", text);
    document.querySelector(target)
      .dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, [text, target]);
}

/** Opens the page and waits for the prompt and the editor (which loads after the prompt). */
export async function openWorkbench(page, url) {
  await openRepl(page, url);
  await page.waitForSelector(".cm-content", { timeout: 30000 });
}

/** Replaces the editor's text as a paste does (typing would auto-indent and close brackets). */
export async function setEditorText(page, text) {
  await page.click(".cm-content");
  await page.keyboard.press("Control+a");
  await paste(page, text, ".cm-content");
}

/** The editor's text, line by line as it shows it. */
export const editorText = (page) => page.$$eval(".cm-line", (lines) => lines.map((l) => l.textContent).join("\n"));

/** Opens the REPL and waits for the first prompt; returns the milliseconds it took. */
export async function openRepl(page, url) {
  const started = Date.now();
  await page.goto(url);
  await waitForScreen(page, /^>>> ?$/m, 30000);
  const ms = Date.now() - started;
  await page.click(".terminal");
  return ms;
}

/** The REPL embedded in `page`'s iframe: `frame`, and `screen` for the helpers above (it
 * reads the frame's terminal; keys go to the page, which sends them to the focused frame).
 * Waits for the first prompt and focuses the terminal. */
export async function openEmbeddedRepl(page, url) {
  await page.goto(url);
  const frame = page.frames().find((f) => f !== page.mainFrame());
  const screen = {
    $$eval: (...args) => frame.$$eval(...args),
    waitForTimeout: (ms) => frame.waitForTimeout(ms),
    keyboard: page.keyboard,
  };
  await waitForScreen(screen, /^>>> ?$/m, 60000);
  await frame.click(".terminal");
  return { frame, screen };
}
