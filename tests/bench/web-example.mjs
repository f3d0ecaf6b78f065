// CPython's own web example (Tools/wasm/python.html + python.worker.js from the CPython
// source, the page our REPL replaces), linked from python-dist's objects and served from
// here, so the benchmark measures it side by side with ours instead of quoting a figure:
//   webExampleSite()             the directory to serve (links it first if needed)
//   webExampleBoot(browser, url) ms from navigation to its first ">>> " (empty cache)
//   webExamplePrint(page)        ms to print 100 000 lines at its REPL, timed in the page
//   webExampleFigures(...)       both, as the runner below prints them
// Run alone: `node tests/bench/web-example.mjs` (BENCH_RUNS boot runs, default 3).
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const XTERM = join(root, "node_modules", "xterm"); // xterm 4, the version their page pins
const BUILD = "python-dist/build-web-example.sh";
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Their page with xterm.js and its CSS from our copy instead of a CDN (the only change made
 * to their files: a benchmark must not depend on a third-party host, and the CDN tags carry
 * integrity hashes of the CDN's bytes). Throws if the page no longer looks as expected. */
export function localPage(html) {
  const xtermVersion = JSON.parse(readFileSync(join(XTERM, "package.json"), "utf8")).version;
  let swapped = 0;
  const swap = (pattern, tag) => {
    html = html.replace(pattern, (_, version) => {
      if (version !== xtermVersion) throw new Error(`CPython's python.html loads xterm ${version}; node_modules/xterm is ${xtermVersion}`);
      swapped++;
      return tag;
    });
  };
  swap(/<link\b[^>]*\bhref="https?:\/\/[^"]*\/xterm@([\d.]+)\/css\/xterm\.css"[^>]*>/, '<link rel="stylesheet" href="./xterm/xterm.css"/>');
  swap(/<script\b[^>]*\bsrc="https?:\/\/[^"]*\/xterm@([\d.]+)\/lib\/xterm\.js"[^>]*>/, '<script src="./xterm/xterm.js">');
  const remote = html.match(/<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)="(?:https?:)?\/\/[^"]*"/);
  if (swapped !== 2 || remote) throw new Error(`CPython's python.html changed: cannot serve it locally (${remote?.[0] ?? "xterm tags not found"})`);
  return html;
}

/** The directory to serve: the linked web example (python-dist/build-web-example.sh, which
 * takes under a second when nothing changed) plus xterm 4 from node_modules, in a fresh
 * temporary directory (the caller removes it when done). Open `python.html` in it. */
export function webExampleSite() {
  if (!existsSync(join(XTERM, "lib", "xterm.js"))) {
    throw new Error("node_modules/xterm (xterm@4.18.0, a devDependency) is missing: run `make npm`");
  }
  let built;
  try {
    // Its progress and errors go to our stderr; stdout is the output directory.
    built = execFileSync("bash", [join(root, BUILD)], { stdio: ["ignore", "pipe", "inherit"] })
      .toString().trim().split("\n").pop();
  } catch {
    throw new Error(`linking CPython's web example failed (see above): run \`${BUILD}\` or \`make bench-web-example\``);
  }
  const dir = mkdtempSync(join(tmpdir(), "cpython-web-example-"));
  for (const f of ["python.js", "python.wasm", "python.data", "python.worker.js"]) cpSync(join(built, f), join(dir, f));
  mkdirSync(join(dir, "xterm"));
  cpSync(join(XTERM, "lib", "xterm.js"), join(dir, "xterm", "xterm.js"));
  cpSync(join(XTERM, "css", "xterm.css"), join(dir, "xterm", "xterm.css"));
  writeFileSync(join(dir, "python.html"), localPage(readFileSync(join(built, "python.html"), "utf8")));
  return dir;
}

// Runs in their page before its scripts. Their terminal object is local to a module script
// and xterm 4 draws on a canvas (no DOM rows to read), so this keeps a reference to the
// Terminal they create (xterm's bundle assigns window.Terminal; a subclass records each
// instance) and reads its buffer. Their code runs unchanged.
function instrument() {
  let Real;
  const api = {
    term: null,
    /** The rows from `n - 1` above the cursor down to the cursor's, trailing spaces trimmed. */
    tail(n) {
      const buffer = api.term?.buffer.active;
      if (!buffer) return [];
      const y = buffer.baseY + buffer.cursorY;
      const rows = [];
      for (let i = Math.max(0, y - n + 1); i <= y; i++) rows.push((buffer.getLine(i)?.translateToString(true) ?? "").trimEnd());
      return rows;
    },
    /** The cursor's row is a bare prompt (">>>" or "..."). */
    atPrompt: (prompt) => api.tail(1)[0] === prompt,
    /** What the terminal shows, for error messages. */
    screen() {
      const buffer = api.term?.buffer.active;
      if (!buffer) return "(no terminal)";
      const rows = [];
      for (let i = buffer.viewportY; i < buffer.viewportY + api.term.rows; i++) rows.push(buffer.getLine(i)?.translateToString(true).trimEnd());
      return rows.join("\n").trimEnd();
    },
  };
  window.__webExample = api;
  Object.defineProperty(window, "Terminal", {
    configurable: true,
    get: () => Real,
    set(Terminal) {
      Real = class extends Terminal {
        constructor(...args) {
          super(...args);
          api.term = this;
        }
      };
    },
  });
}

/** Waits for `predicate` in the page (polled every 25 ms, as tests/browser.mjs's openRepl
 * polls ours); on a timeout, fails with what the terminal shows. */
async function waitInPage(page, predicate, arg, timeout, what) {
  try {
    await page.waitForFunction(predicate, arg, { timeout, polling: 25 });
  } catch (error) {
    const screen = await page.evaluate(() => window.__webExample?.screen()).catch(() => "(page gone)");
    throw new Error(`CPython's web example: ${what} (${error.message.split("\n")[0]}); the terminal shows:\n${screen}`);
  }
}

/** Opens `url` (the served site) in a new context (an empty cache), clicks "Start REPL" as
 * soon as it is enabled (their page has no REPL before that click: the button is enabled
 * when the worker's runtime is ready, python.data and python.wasm loaded) and waits for the
 * first ">>> ". Returns { ms, page, context }: ms from navigation to that prompt, measured as
 * openRepl measures ours. Fails if the page asks any host but the local server for anything. */
export async function webExampleBoot(browser, url, { timeout = 120000 } = {}) {
  const context = await browser.newContext();
  await context.addInitScript(instrument);
  const origin = new URL(url).origin;
  const foreign = [];
  // Watched, not intercepted: routing every request through Playwright would slow the boot.
  context.on("request", (request) => {
    if (!request.url().startsWith(origin) && !/^(data|blob):/.test(request.url())) foreign.push(request.url());
  });
  try {
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(new URL("python.html", url).href);
    await page.click("#repl", { timeout });
    await waitInPage(page, () => window.__webExample.atPrompt(">>>"), null, timeout, "no first prompt");
    const ms = Date.now() - started;
    if (foreign.length) throw new Error(`CPython's web example loaded from another host: ${foreign.join(", ")}`);
    return { ms, page, context };
  } catch (error) {
    await context.close();
    throw error;
  }
}

/** Types `for i in range(100_000): print(i)` at the REPL of `page` (at a ">>> " prompt, as
 * webExampleBoot leaves it) and returns the ms from the Enter that starts the loop (the
 * second: a blank line ends the statement) to the frame that shows "99999" with the next
 * ">>> " under it, timed inside the page as bench.mjs's terminalFigures times ours. Their
 * worker posts one message per output byte, so this takes long: the timeout is minutes. */
export async function webExamplePrint(page, { timeout = 10 * 60000 } = {}) {
  await page.focus(".xterm-helper-textarea");
  await page.evaluate(() => {
    const api = window.__webExample;
    window.__printed = new Promise((resolve) => {
      let enters = 0;
      let t0 = 0;
      const onKey = (event) => {
        if (event.key === "Enter" && ++enters === 2) {
          t0 = performance.now();
          document.removeEventListener("keydown", onKey, true);
        }
      };
      document.addEventListener("keydown", onKey, true);
      // Checked when xterm draws a frame (so the time is when it is on screen), and by a
      // timer in case no frame follows the check that would match.
      const check = () => {
        const [last, prompt] = api.tail(2);
        if (t0 && last === "99999" && prompt === ">>>") {
          clearInterval(timer);
          rendered.dispose();
          resolve(performance.now() - t0);
        }
      };
      const rendered = api.term.onRender(check);
      const timer = setInterval(check, 10);
    });
  });
  await page.keyboard.type("for i in range(100_000): print(i)");
  await page.keyboard.press("Enter");
  // Their terminal drops a non-printable key (Enter) typed while Python is not waiting for
  // input, so the second Enter waits for the "... " prompt.
  await waitInPage(page, () => window.__webExample.atPrompt("..."), null, 30000, "no continuation prompt");
  await page.keyboard.press("Enter");
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`CPython's web example: 100 000 lines not printed within ${timeout / 1000} s`)), timeout);
  });
  try {
    return await Promise.race([page.evaluate(() => window.__printed), limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** Boot `runs` times (each in a new context, so an empty cache) and print 100 000 lines
 * `printRuns` times (on the last boot's page: one run is a good minute, so one by default).
 * Returns { boot: median ms, boots: [ms], print: median ms, prints: [ms] }. */
export async function webExampleFigures(browser, url, { runs = 3, printRuns = 1 } = {}) {
  const boots = [];
  const prints = [];
  for (let i = 0; i < runs; i++) {
    const { ms, page, context } = await webExampleBoot(browser, url);
    boots.push(ms);
    try {
      if (i === runs - 1) {
        for (let j = 0; j < printRuns; j++) prints.push(await webExamplePrint(page));
      }
    } finally {
      await context.close();
    }
  }
  return { boot: median(boots), boots, print: median(prints), prints };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { launch } = await import("../browser.mjs");
  const { serve } = await import("../serve.mjs");
  const runs = Number(process.env.BENCH_RUNS || 3);
  const site = webExampleSite();
  // Cross-origin isolated (serve's default): their worker's stdin needs SharedArrayBuffer.
  const server = await serve({ root: site });
  const browser = await launch();
  try {
    const figures = await webExampleFigures(browser, server.url, { runs });
    const lines = figures.print.toFixed(0);
    console.log(`CPython web example: first prompt ${figures.boot} ms (median of ${runs}: ${figures.boots.join(", ")}), ` +
      `100 000 lines ${lines} ms (one run)`);
  } finally {
    await browser.close();
    await server.close();
    rmSync(site, { recursive: true, force: true });
  }
}
