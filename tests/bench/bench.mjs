// Benchmarks, measured side by side in one run and printed as figures and ratios, with the
// raw figures of every run and the machine they ran on. Never fails on a slow machine: it
// only reports. Every reference is measured in the same run, never a constant.
//   first prompt (headless Chromium, empty cache): ours vs Pyodide, served the same way, and
//   vs CPython's own web example (Tools/wasm/python.html, built from the same CPython)
//   a returning student: a host that revalidates (ETag, 304) with isolation headers, and the
//   GitHub Pages path (no isolation headers, the service worker's cache), against our cold start
//   transfer size gzip / brotli: ours vs Pyodide
//   keystroke-to-echo latency (p50 / p95), printing 100 000 lines (vs CPython's web example)
//   what the compatibility mode's relay carries, against full mode: an input() round trip,
//   type-ahead read while code ran, Ctrl+C in a computation, output past the 4 MiB window
//   first prompt, keystroke echo and 100 000 lines in Firefox and WebKit (with and without
//   SharedArrayBuffer) against Chromium's figures of the same run
//   a compute script: ours (the product's interpreter under Node) vs Pyodide (Node) vs native
//   CPython, and the same script pasted at the REPL in Chromium; startup under Node
//   turtle graphics: 10 000 segments to the frame showing them (vs Python's own time), a
//   star animated at the default speed (its frames' pacing; vs the same program under Node)
//   the editor: first prompt with it against the terminal alone (?repl, the page before
//   the editor), its bundle size, Run to a 20-line program's first output, and the compute
//   script through Run against the same script at a warm prompt
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, cpSync } from "node:fs";
import { cpus, homedir, tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import {
  launch, launchWithProfile, openEmbeddedRepl, openRepl, paste, replContext, setEditorText, typeLine, waitForScreen,
} from "../browser.mjs";
import { embeddingPage, serve } from "../serve.mjs";
import { launchEngine } from "../engines.mjs";
import { webExampleBoot, webExamplePrint, webExampleSite } from "./web-example.mjs";
import { runPython } from "../../python-dist/node-loader.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const dist = join(root, "dist");
const pyodideDir = join(root, "node_modules", "pyodide");
const RUNS = Number(process.env.BENCH_RUNS || 3);
const script = readFileSync(join(root, "tests", "bench", "compute.py"), "utf8");
const parse = (out) => Object.fromEntries([...out.matchAll(/(\w+)=([\d.]+)/g)].map((m) => [m[1], Number(m[2])]));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const rows = [];
const raw = []; // every run's figure, printed after the table
/** Per figure, the median over several runs' results (null if any run has none). */
function medianParts(results) {
  return results.some((r) => r == null) ? null
    : Object.fromEntries(Object.keys(results[0]).map((k) => [k, median(results.map((r) => r[k]))]));
}
const row = (what, ours, ref, refName, unit) => {
  rows.push({ what, ours, ref, refName, unit, ratio: ref ? ours / ref : null });
  console.error(`  measured: ${what}: ${ours} vs ${ref} ${unit}`);
};
/** Records each run's figures behind a row (`series`: name → list). */
const rawFigures = (what, series) => raw.push({ what, series });
const machine = [
  `date ${new Date().toISOString()}`,
  `commit ${(() => { try { return execFileSync("git", ["-C", root, "rev-parse", "--short", "HEAD"]).toString().trim(); } catch { return "unknown"; } })()}`,
  `CPU ${cpus()[0]?.model ?? "unknown"}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
  `Node ${process.version}`,
];

function sizes(files) {
  let raw = 0, gz = 0, br = 0;
  for (const f of files) {
    const data = readFileSync(f);
    raw += data.length;
    gz += gzipSync(data, { level: 9 }).length;
    br += brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } }).length;
  }
  return { raw, gz, br };
}

function walk(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

// A page that loads Pyodide from our own server and shows the first result.
function pyodideSite() {
  const dir = mkdtempSync(join(tmpdir(), "pyodide-bench-"));
  cpSync(pyodideDir, join(dir, "pyodide"), { recursive: true });
  writeFileSync(join(dir, "index.html"), `<!doctype html><pre id="out">loading</pre>
<script type="module">
import { loadPyodide } from "./pyodide/pyodide.mjs";
const py = await loadPyodide({ indexURL: "./pyodide/" });
document.getElementById("out").textContent = "result " + py.runPython("1+1");
</script>`);
  return dir;
}

const waterfalls = []; // the boot, step by step, printed after the table
/** The run whose time is the median. */
const medianRun = (boots) => boots.find((b) => b.ms === median(boots.map((x) => x.ms)));

/** Runs `open` (which navigates `page` to `url` and resolves to the milliseconds it waited
 * for) and records the boot step by step, in ms from the navigation: every request of the
 * context (the worker's too) from its start to its end, with `url`'s prefix cut, and the
 * page's `boot:` marks (src/page/timing.rs). */
async function withWaterfall(context, page, url, open) {
  const t0 = Date.now();
  const started = new Map();
  const steps = [];
  const onRequest = (request) => started.set(request, Date.now() - t0);
  const onFinished = (request) => steps.push({ what: request.url().replace(url, ""), start: started.get(request), end: Date.now() - t0 });
  context.on("request", onRequest);
  context.on("requestfinished", onFinished);
  const ms = await open();
  context.off("request", onRequest);
  context.off("requestfinished", onFinished);
  const marks = await page.evaluate(() => performance.getEntriesByType("mark")
    .filter((m) => m.name.startsWith("boot:")).map((m) => ({ name: m.name, at: performance.timeOrigin + m.startTime })));
  for (const { name, at } of marks) steps.push({ what: name, start: Math.round(at - t0), end: null });
  steps.push({ what: "seen by the bench", start: ms, end: null });
  return { ms, steps: steps.sort((a, b) => a.start - b.start) };
}

/** Opens the Pyodide page at `url` and waits for its first result; the milliseconds it took. */
async function openPyodide(page, url, timeout) {
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById("out").textContent === "result 2", null, { timeout });
  return Date.now() - t0;
}

/** Milliseconds from the click on Run to `marker` on the terminal's screen, timed in the page. */
async function timeRun(page, marker) {
  // The Run button, not Stop: the previous program has ended (its prompt may still be coming).
  await page.waitForSelector("button.run:not([disabled])", { timeout: 60000 });
  await page.evaluate((marker) => {
    window.__run = new Promise((resolve) => {
      let t0 = 0;
      document.querySelector("button.run").addEventListener("click", () => { t0 = performance.now(); }, { capture: true, once: true });
      const rows = document.querySelector(".xterm-rows");
      const observer = new MutationObserver(() => {
        if (t0 && rows.textContent.includes(marker)) {
          observer.disconnect();
          resolve(performance.now() - t0);
        }
      });
      observer.observe(rows, { childList: true, subtree: true, characterData: true });
    });
  }, marker);
  await page.click("button.run");
  return page.evaluate(() => window.__run);
}

/** A 20-line program as a student writes one: functions and a class, then its output. */
const twentyLines = (n) => `# A first program: a few functions, then what they give.
def greet(name):
    return f"Hello, {name}!"

def squares(n):
    return [i * i for i in range(n)]

def average(values):
    return sum(values) / len(values)

class Counter:
    def __init__(self):
        self.count = 0

    def add(self, k=1):
        self.count += k
        return self.count

print("RUN-${n}", greet("world"), average(squares(10)))
counter = Counter()
`;

/** The compute script through Run (a fresh interpreter each time); its figures. */
// Turtle graphics in the page (see the turtle rows).
const TURTLE_SETUP = "import turtle, time\nturtle.setup(600, 600)\nturtle.tracer(0)\nt = turtle.Turtle()\nt.hideturtle()\nprint('READY')\n";
const TEN_THOUSAND_SEGMENTS = (run) => `start = time.perf_counter(); _ = [t.goto((i * 7) % 500 - 250, (i * 13) % 500 - 250) for i in range(10_000)]; turtle.update(); print('DRAWN-${run}', len(turtle.getcanvas().find_all()), round((time.perf_counter() - start) * 1000))`;
const STAR_PROGRAM = "start = time.perf_counter()\nfor i in range(36): t.forward(200); t.left(170)\n\nprint('STAR', round((time.perf_counter() - start) * 1000))\n";
const STAR = "start = time.perf_counter(); [(t.forward(200), t.left(170)) for i in range(36)]; print('STAR', round((time.perf_counter() - start) * 1000)); print('STAR DONE')";

/** Arms a timer from the next Enter to the frame that drew Python's last batch: the last
 * redraw of the canvas before run `run`'s `DRAWN-run N` (printed after its update(), whose
 * batch the page gets first) has been on screen for five frames. `window.__drawn` resolves to
 * { ms } (null if that never came within a minute). */
function armDrawingTimer(page, run) {
  return page.evaluate((run) => {
    window.__drawn = new Promise((resolve) => {
      const started = performance.now();
      let t0 = 0;
      let lastRenders = null;
      let lastRenderAt = 0;
      let framesSinceSaid = -1;
      const pattern = new RegExp(`DRAWN-${run} \\d+ \\d+`);
      const onEnter = (event) => {
        if (event.key !== "Enter") return;
        t0 = performance.now();
        document.removeEventListener("keydown", onEnter, true);
      };
      document.addEventListener("keydown", onEnter, true);
      const frame = (now) => {
        const canvas = document.querySelector("canvas.drawing-canvas");
        const renders = canvas?.dataset.renders ?? null;
        if (t0 && renders !== lastRenders) lastRenderAt = now;
        lastRenders = renders;
        const rows = [...document.querySelectorAll(".xterm-rows > div")].map((r) => r.textContent);
        const found = t0 ? rows.join("\n").match(pattern) : null;
        if (found) framesSinceSaid++;
        if (framesSinceSaid >= 5) {
          resolve({ ms: lastRenderAt > t0 ? lastRenderAt - t0 : null });
          return;
        }
        if (performance.now() - started > 60_000) {
          resolve({ ms: null });
          return;
        }
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
  }, run);
}

/** Records, from the next Enter, when the drawing was redrawn and how long the page's own
 * animation frames took; `window.__pacing.stop()` returns the figures. */
function armFramePacing(page) {
  return page.evaluate(() => {
    const renders = [];
    const frames = [];
    let t0 = 0;
    let running = true;
    let lastRenders = null;
    const onEnter = (event) => {
      if (event.key !== "Enter") return;
      t0 = performance.now();
      document.removeEventListener("keydown", onEnter, true);
    };
    document.addEventListener("keydown", onEnter, true);
    const frame = (now) => {
      if (!running) return;
      if (t0) {
        frames.push(now);
        const count = document.querySelector("canvas.drawing-canvas")?.dataset.renders;
        if (lastRenders !== null && count !== lastRenders) renders.push(now);
        lastRenders = count;
      }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    const gaps = (times) => times.slice(1).map((t, i) => t - times[i]);
    window.__pacing = {
      stop: () => {
        running = false;
        const rows = [...document.querySelectorAll(".xterm-rows > div")].map((r) => r.textContent).join("\n");
        // Frames after the last redraw are the prompt's wait, not the animation.
        const animation = frames.filter((t) => t <= (renders.at(-1) ?? 0));
        const renderGaps = gaps(renders);
        return {
          renders: renders.length,
          renderGaps,
          longestRenderGap: Math.max(0, ...renderGaps),
          longestFrameGap: Math.max(0, ...gaps(animation)),
          pythonMs: Number(rows.match(/STAR (\d+)/)?.[1]),
        };
      },
    };
  });
}

async function computeByRun(page, run) {
  await setEditorText(page, script + `print("DONE-RUN", ${run})\n`);
  await page.click("button.run");
  const text = await waitForScreen(page, new RegExp(`^DONE-RUN ${run}$`, "m"), 120000);
  const lines = text.split("\n");
  return parse(lines[lines.findIndex((l) => l === `DONE-RUN ${run}`) - 1]);
}

/** The compute script run as a student would, pasted at the REPL's prompt; its figures. */
async function computeAtPrompt(page, run) {
  await paste(page, `exec(${JSON.stringify(script)}); print("DONE", ${run})`);
  await page.keyboard.press("Enter");
  const text = await waitForScreen(page, new RegExp(`^DONE ${run}$`, "m"), 120000);
  const lines = text.split("\n");
  return parse(lines[lines.findIndex((l) => l === `DONE ${run}`) - 1]);
}

/** Arms a timer in the REPL shown by `target` (the page or a frame): from the `enters`-th
 * Enter pressed from now until `done` (a source regex) matches the terminal's rows. Timed
 * inside the page, so that reading the screen from outside (a WebDriver round trip per
 * poll) costs no engine time; `window.__timed` resolves to the milliseconds. */
function armTimer(target, done, enters = 1, key = "Enter") {
  return target.evaluate(([done, enters, key]) => {
    const pattern = new RegExp(done, "m");
    window.__timed = new Promise((resolve) => {
      let seen = 0;
      let t0 = 0;
      const onKey = (event) => {
        if (event.key === key && ++seen === enters) {
          t0 = performance.now();
          document.removeEventListener("keydown", onKey, true);
        }
      };
      document.addEventListener("keydown", onKey, true);
      const timer = setInterval(() => {
        const rows = [...document.querySelectorAll(".xterm-rows > div")].map((r) => r.textContent.replace(/\u00a0/g, " ").trimEnd());
        if (t0 && pattern.test(rows.join("\n"))) {
          clearInterval(timer);
          resolve(performance.now() - t0);
        }
      }, 5);
    });
  }, [done.source, enters, key]);
}

/** Keystroke-to-echo latency (measured inside the page from the key event to the terminal's
 * DOM showing it) and the time to print 100 000 lines, in the REPL shown by `target` (the
 * page or a frame); `screen` reads its terminal. */
async function terminalFigures(page, target, screen = page) {
  const latencies = await echoLatencies(page, target);
  await page.keyboard.press("Control+U");
  // From the Enter that starts the loop (the second: a blank line ends the statement) to
  // the last line and the prompt on screen.
  await armTimer(target, /^99999\n>>> ?$/, 2);
  await typeLine(screen, "for i in range(100_000): print(i)");
  await typeLine(screen, "");
  const print = await target.evaluate(() => window.__timed);
  return { p50: median(latencies), p95: pct(latencies, 0.95), print, latencies };
}

/** Keystroke-to-echo latencies of 40 presses of "a" at the prompt shown by `target`: from
 * the key event to the terminal's DOM holding one more "a" (not merely changing: the cursor
 * blinks). */
async function echoLatencies(page, target) {
  const latencies = [];
  for (let i = 0; i < 40; i++) {
    // Listen first (and wait until listening), then press.
    await target.evaluate(() => {
      const rows = document.querySelector(".xterm-rows");
      const count = () => (rows.textContent.match(/a/g) || []).length;
      const before = count();
      window.__echo = new Promise((resolve) => {
        let t0 = 0;
        document.addEventListener("keydown", () => { t0 = performance.now(); }, { capture: true, once: true });
        const observer = new MutationObserver(() => {
          if (t0 && count() > before) { observer.disconnect(); resolve(performance.now() - t0); }
        });
        observer.observe(rows, { childList: true, subtree: true, characterData: true });
      });
    });
    await page.keyboard.press("a");
    latencies.push(await target.evaluate(() => window.__echo));
  }
  return latencies;
}

/** The interactive prompt in Chromium, CPython's new REPL (PyREPL, the page's New REPL
 * choice) or the basic one (`basic`, the default): first prompt (empty cache), keystroke echo, Enter to the next prompt
 * (x = i, 20 times), a 200-line paste to its result, and (PyREPL) Tab completion's list. */
async function promptFigures(browser, url, basic) {
  const context = await replContext(browser, basic);
  const page = await context.newPage();
  const first = await openRepl(page, url);
  const echo = await echoLatencies(page, page);
  await page.keyboard.press("Control+U");
  const enters = [];
  for (let i = 0; i < 20; i++) {
    await armTimer(page, new RegExp(`^>>> x = ${i}\\n>>> ?$`));
    await typeLine(page, `x = ${i}`);
    enters.push(await page.evaluate(() => window.__timed));
  }
  let tab = null;
  if (!basic) {
    await typeLine(page, "import collections");
    await waitForScreen(page, /^>>> import collections\n>>> ?$/m);
    await page.keyboard.type("collections.");
    // PyREPL shows the list at the second Tab (the first completes what all share).
    await page.keyboard.press("Tab");
    await armTimer(page, /collections\.ChainMap\(/, 1, "Tab");
    await page.keyboard.press("Tab");
    tab = await page.evaluate(() => window.__timed);
    await page.keyboard.press("Control+U");
    await page.keyboard.press("Control+K");
    await waitForScreen(page, /^>>> ?$/m);
  }
  // The paste's last line prints the total; PyREPL runs a pasted block at Enter.
  const lines = ["total = 0"];
  for (let i = 1; i < 200; i++) lines.push(`total += ${i}`);
  lines.push("print('total is', total)");
  const pasted = Date.now();
  await paste(page, lines.join("\n") + "\n");
  if (!basic) await page.keyboard.press("Enter");
  await waitForScreen(page, /^total is 19900$/m, 120000);
  const paste200 = Date.now() - pasted;
  await context.close();
  return { first, echo, enters, tab, paste200 };
}

/** What compatibility mode's relay carries, timed the same way in either mode: an input()
 * round trip (Enter to Python's answer on screen), a line typed ahead while code computed
 * (from input() to having it, timed by Python), Ctrl+C in a computation (to a prompt that
 * answers again) and 100 000 lines of 60 characters (6 MB, past the 4 MiB output window, so
 * the worker waits for the page's acknowledgements). */
// One line, so that no prompt arrives while the next line is typed.
const DEFINE_BUSY = `import time; exec("def busy(seconds):\\n    end = time.monotonic() + seconds\\n    while time.monotonic() < end: pass")`;
async function relayFigures(page, target, screen) {
  const promptAfter = (text) => waitForScreen(screen, (t) => t.includes(text) && /\n>>> ?$/.test(t.trimEnd() + " "), 120000);
  await typeLine(screen, DEFINE_BUSY);
  await promptAfter("pass");
  await typeLine(screen, `exec("while (s := input('? ')) != 'end': print('got', s[::-1])")`);
  await waitForScreen(screen, /^\? ?$/m);
  const roundTrips = [];
  for (let i = 0; i < 20; i++) {
    const word = `w${String(i).padStart(2, "0")}x`;
    await page.keyboard.type(word);
    await armTimer(target, new RegExp(`^got ${[...word].reverse().join("")}\\n\\? ?$`));
    await page.keyboard.press("Enter");
    roundTrips.push(await target.evaluate(() => window.__timed));
  }
  await typeLine(screen, "end");
  await promptAfter("end");
  const typedAhead = [];
  for (let i = 0; i < 5; i++) {
    await typeLine(screen, `busy(1.0); t = time.monotonic(); s = input(); print('ahead', s, round((time.monotonic() - t) * 1000, 2))`);
    await page.waitForTimeout(300);
    await typeLine(screen, `line${i}`);
    const text = await waitForScreen(screen, new RegExp(`^ahead line${i} [\\d.]+\\n>>> ?$`, "m"), 60000);
    typedAhead.push(Number(text.match(new RegExp(`^ahead line${i} ([\\d.]+)$`, "m"))[1]));
  }
  const interrupts = [];
  for (let i = 0; i < 3; i++) {
    await typeLine(screen, "busy(60)");
    await page.waitForTimeout(500);
    await target.evaluate(() => {
      window.__interrupted = new Promise((resolve) => {
        const t0 = performance.now();
        const timer = setInterval(() => {
          const rows = [...document.querySelectorAll(".xterm-rows > div")].map((r) => r.textContent.replace(/\u00a0/g, " ").trimEnd());
          if (/^>>> ?$/.test(rows.filter((r) => r).at(-1) ?? "")) {
            clearInterval(timer);
            resolve(performance.now() - t0);
          }
        }, 5);
      });
    });
    await page.keyboard.press("Control+C");
    interrupts.push(await target.evaluate(() => window.__interrupted));
    // A restart (compatibility mode) forgets busy(): defined again, and the prompt answers.
    await typeLine(screen, `${DEFINE_BUSY}; print('alive', ${i} * 2)`);
    await promptAfter(`alive ${i * 2}`);
  }
  await typeLine(screen, "line = 'x' * 59");
  await armTimer(target, /^x{59}\n>>> ?$/, 2);
  await typeLine(screen, "for i in range(100_000): print(line)");
  await typeLine(screen, "");
  const pastWindow = await target.evaluate(() => window.__timed);
  return { roundTrip: median(roundTrips), typedAhead: median(typedAhead), interrupt: median(interrupts), pastWindow, roundTrips, typedAheads: typedAhead, interrupts };
}

const browser = await launch();
machine.push(`Chromium ${browser.version()} (headless, through Playwright)`);
let webExample; // CPython's own web example's figures beside which ours are printed
let full; // the terminal and compute figures in full mode
try {
  // --- first prompt, empty cache (a new context has its own empty cache) ---
  const ours = await serve({ root: dist });
  const pyDir = pyodideSite();
  const theirs = await serve({ root: pyDir });
  // CPython's own web example (Tools/wasm/python.html), linked from the same CPython build.
  const webExampleDir = webExampleSite();
  const webExampleHost = await serve({ root: webExampleDir });
  const oursMs = [], theirsMs = [], replOnlyMs = [], editorMs = [], webExampleMs = [];
  const webExamplePrints = [];
  const oursBoots = [], pyodideBoots = []; // each run's waterfall
  for (let i = 0; i < RUNS; i++) {
    {
      const { ms, page, context } = await webExampleBoot(browser, `${webExampleHost.url}python.html`);
      webExampleMs.push(ms);
      // Their page prints one character per message: one print run (tens of seconds) is enough.
      if (i === 0) webExamplePrints.push(await webExamplePrint(page));
      await context.close();
    }
    let context = await browser.newContext();
    const workbench = await context.newPage();
    const opened = Date.now();
    const boot = await withWaterfall(context, workbench, ours.url, () => openRepl(workbench, ours.url));
    oursMs.push(boot.ms);
    oursBoots.push(boot);
    await workbench.waitForSelector(".cm-content", { timeout: 60000 });
    editorMs.push(Date.now() - opened);
    await context.close();
    // The terminal alone, as the page was before the editor.
    context = await browser.newContext();
    replOnlyMs.push(await openRepl(await context.newPage(), `${ours.url}?repl`));
    await context.close();
    context = await browser.newContext();
    const page = await context.newPage();
    const pyodideBoot = await withWaterfall(context, page, theirs.url, () => openPyodide(page, theirs.url, 60000));
    theirsMs.push(pyodideBoot.ms);
    pyodideBoots.push(pyodideBoot);
    await context.close();
  }
  waterfalls.push({ label: "ours, first prompt, empty cache", ...medianRun(oursBoots) });
  waterfalls.push({ label: "Pyodide, first result, empty cache", ...medianRun(pyodideBoots) });
  row("first prompt, empty cache (median of " + RUNS + ")", median(oursMs), median(theirsMs), "Pyodide", "ms");
  row("first prompt, empty cache (median)", median(oursMs), median(webExampleMs), "CPython's web example (after its Start REPL button)", "ms");
  webExample = { print: median(webExamplePrints) };
  await webExampleHost.close();
  rmSync(webExampleDir, { recursive: true, force: true });
  row("first prompt with the editor, empty cache (median)", median(oursMs), median(replOnlyMs), "terminal alone (?repl)", "ms");
  row("editor shown, empty cache (median)", median(editorMs), median(oursMs), "ours, first prompt", "ms");

  rawFigures("first prompt, empty cache", { ours: oursMs, Pyodide: theirsMs, "CPython's web example": webExampleMs, "terminal alone (?repl)": replOnlyMs, "editor shown": editorMs });
  rawFigures("print 100 000 lines, CPython's web example", { ms: webExamplePrints });

  // --- the same on a network like a school's (Chromium's emulation: 50 Mbit/s, 40 ms round
  // trips), where downloads take time: ours, ours without the early start (index.html's
  // inline script removed, so the app starts the worker and downloads itself, as the build
  // before it did) and Pyodide, interleaved ---
  {
    const lateDir = mkdtempSync(join(tmpdir(), "bench-no-early-start-"));
    cpSync(dist, lateDir, { recursive: true });
    const index = join(lateDir, "index.html");
    const withoutEarly = readFileSync(index, "utf8").replace(/<script>\s*if \(self\.crossOriginIsolated[\s\S]*?<\/script>/, "");
    if (withoutEarly === readFileSync(index, "utf8")) throw new Error("index.html has no early start to remove");
    writeFileSync(index, withoutEarly);
    const late = await serve({ root: lateDir });
    const onNetwork = async (open) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.enable");
      await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 40, downloadThroughput: 50e6 / 8, uploadThroughput: 10e6 / 8 });
      try {
        return await open(page);
      } finally {
        await context.close();
      }
    };
    const early = [], without = [], pyodide = [];
    for (let i = 0; i < RUNS; i++) {
      early.push(await onNetwork((page) => openRepl(page, ours.url)));
      without.push(await onNetwork((page) => openRepl(page, late.url)));
      pyodide.push(await onNetwork((page) => openPyodide(page, theirs.url, 120000)));
    }
    row("first prompt, empty cache, 50 Mbit/s and 40 ms round trips (median)", median(early), median(pyodide), "Pyodide", "ms");
    row("first prompt, empty cache, 50 Mbit/s and 40 ms round trips (median)", median(early), median(without), "ours without the early start in index.html", "ms");
    rawFigures("first prompt on a 50 Mbit/s network", { ours: early, "without the early start": without, Pyodide: pyodide });
    await late.close();
    rmSync(lateDir, { recursive: true, force: true });
  }

  // --- a returning student: the same browser profile opens the page again. Two hosts: one
  // that sends the isolation headers and has the browser revalidate every file (ETag, 304:
  // Netlify, Cloudflare Pages), and GitHub Pages (no isolation headers, files fresh for ten
  // minutes; the service worker isolates the page and answers from its own cache) ---
  const returning = async (label, site) => {
    // A profile of its own: a student's browser keeps its HTTP cache on disk.
    const profile = mkdtempSync(join(tmpdir(), "bench-profile-"));
    const context = await launchWithProfile(profile);
    const page = context.pages()[0] ?? await context.newPage();
    await openRepl(page, site.url);
    const warm = [], requests = [], notModified = [], bytes = [], boots = [];
    for (let i = 0; i < RUNS; i++) {
      site.resetStats();
      const boot = await withWaterfall(context, page, site.url, () => openRepl(page, site.url));
      warm.push(boot.ms);
      boots.push(boot);
      const sent = site.stats();
      requests.push(sent.requests);
      notModified.push(sent.notModified);
      bytes.push(sent.bytes);
    }
    await context.close();
    rmSync(profile, { recursive: true, force: true });
    waterfalls.push({ label: `returning student, ${label}`, ...medianRun(boots) });
    row(`returning student: first prompt, ${label} (median)`, median(warm), median(oursMs), "ours, empty cache", "ms");
    row(`returning student, ${label}: requests to the host (median)`,
      median(requests), null, `${median(notModified)} answered 304, ${(median(bytes) / 1e3).toFixed(1)} KB of bodies sent`, "");
    rawFigures(`returning student, ${label}`, { ms: warm, requests, "answered 304": notModified, "body bytes": bytes });
  };
  await returning("host revalidates (ETag, 304), isolation headers", ours);
  {
    const pagesHost = await serve({ root: dist, isolate: false, caching: "pages" });
    await returning("GitHub Pages path (service worker's cache, files fresh 10 min)", pagesHost);
    await pagesHost.close();
  }

  // --- a returning student with 200 files (10 MB) in the workspace against one with the
  // starter file only (warm cache, interleaved), and keeping a 1 MB file Python wrote ---
  {
    const entries = (page, name) => page.evaluate((n) => performance.getEntriesByName(n).map((e) => e.duration), name);
    const [plain, full] = [await browser.newContext(), await browser.newContext()];
    const [plainPage, fullPage] = [await plain.newPage(), await full.newPage()];
    await openRepl(plainPage, ours.url);
    await openRepl(fullPage, ours.url);
    // Only the save of the 200 files counts (the first visit's own save came before).
    await fullPage.evaluate(() => performance.clearMeasures());
    await typeLine(fullPage, "import os; [open(f'file{i:03}.bin', 'wb').write(os.urandom(50_000)) for i in range(200)] and None");
    await fullPage.waitForFunction(() => document.querySelectorAll(".file-list button.file").length === 201, null, { timeout: 60000 });
    await fullPage.waitForFunction(() => performance.getEntriesByName("workspace: saved in IndexedDB").length > 0, null, { timeout: 60000 });
    // Reloads are short and vary: more of them than elsewhere, interleaved.
    const withFiles = [], without = [];
    for (let i = 0; i < Math.max(RUNS, 7); i++) {
      without.push(await openRepl(plainPage, ours.url));
      withFiles.push(await openRepl(fullPage, ours.url));
    }
    const listed = await fullPage.evaluate(() => document.querySelectorAll(".file-list button.file").length);
    if (listed !== 201) throw new Error(`the workspace came back with ${listed} files, not 201`);
    rawFigures("returning student with 200 files", { "200 files": withFiles, "starter file only": without });
    row(`returning student (host revalidates): first prompt, 200 files (10 MB) in the workspace (median of ${withFiles.length})`, median(withFiles), median(without), "the starter file only", "ms");

    const takenIn = [], saved = [];
    await typeLine(fullPage, "import os");
    for (let i = 0; i < RUNS; i++) {
      await fullPage.evaluate(() => performance.clearMeasures());
      await typeLine(fullPage, `open('big.bin', 'wb').write(os.urandom(1_000_000)) and ${i}`);
      await fullPage.waitForFunction(() => performance.getEntriesByName("workspace: saved in IndexedDB").length > 0, null, { timeout: 60000 });
      takenIn.push(Math.max(...await entries(fullPage, "workspace: files Python wrote, taken in")));
      saved.push(Math.max(...await entries(fullPage, "workspace: saved in IndexedDB")));
    }
    rawFigures("a 1 MB file Python wrote", { "taken in": takenIn, "until IndexedDB has it": saved });
    row("a 1 MB file Python wrote: main-thread time to take it in (decode, update, save queued; median)", median(takenIn), 100, "the issue's limit, 100 ms", "ms");
    row("a 1 MB file Python wrote: until IndexedDB has it, wall time (median)", median(saved), null, "", "ms");
    await plain.close();
    await full.close();
  }

  // --- keystroke-to-echo latency and printing 100 000 lines: full mode (isolated), and
  // compatibility mode (in an iframe of a page that is not isolated; the service worker
  // relays input and output acknowledgements) ---
  full = await (async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await openRepl(page, ours.url);
    const figures = await terminalFigures(page, page);
    // The first run after boot, and a later one (V8 has optimised more of the interpreter).
    figures.computeFirst = await computeAtPrompt(page, 1);
    figures.computeLater = await computeAtPrompt(page, 2);
    figures.relay = await relayFigures(page, page, page);
    // Run from the editor: a 20-line program's first output (the first Run after boot, then
    // later ones: each is a fresh interpreter), and the compute script through Run.
    await page.waitForSelector(".cm-content", { timeout: 60000 });
    const runMs = [];
    for (let i = 0; i <= RUNS; i++) {
      await setEditorText(page, twentyLines(i));
      runMs.push(await timeRun(page, `RUN-${i} Hello, world! 28.5`));
      await waitForScreen(page, /^>>> ?$/m);
    }
    rawFigures("Run a 20-line program to its first output", { ms: runMs });
    figures.firstRunMs = runMs[0];
    figures.laterRunMs = median(runMs.slice(1));
    const byRun = [];
    for (let i = 0; i < RUNS; i++) byRun.push(await computeByRun(page, i));
    figures.computeByRun = medianParts(byRun);
    await context.close();
    return figures;
  })();
  row("keystroke to echo p50", full.p50, null, "", "ms");
  row("keystroke to echo p95", full.p95, null, "", "ms");
  {
    // The prompt: CPython's new REPL (PyREPL, the page's New REPL choice) against its basic
    // REPL (the default), alternating, same run.
    const runs = { pyrepl: [], basic: [] };
    for (let i = 0; i < RUNS; i++) {
      runs.pyrepl.push(await promptFigures(browser, ours.url, false));
      runs.basic.push(await promptFigures(browser, ours.url, true));
    }
    const all = (kind, key) => runs[kind].flatMap((r) => r[key]);
    const [p, b] = ["pyrepl", "basic"];
    row(`PyREPL: first prompt, empty cache (median of ${RUNS})`, median(all(p, "first")), median(all(b, "first")), "basic REPL", "ms");
    row("PyREPL: keystroke to echo p50", median(all(p, "echo")), median(all(b, "echo")), "basic REPL", "ms");
    row("PyREPL: keystroke to echo p95", pct(all(p, "echo"), 0.95), pct(all(b, "echo"), 0.95), "basic REPL", "ms");
    row("PyREPL: Enter to the next prompt (x = i) p50", median(all(p, "enters")), median(all(b, "enters")), "basic REPL", "ms");
    row("PyREPL: Tab completion list of collections. (second Tab to the list, median)", median(all(p, "tab")), 50, "the issue's limit", "ms");
    row("PyREPL: a 200-line paste to its result (timed outside the page, median)", median(all(p, "paste200")), median(all(b, "paste200")), "basic REPL (line by line)", "ms");
    for (const kind of [p, b]) {
      rawFigures(`prompt, ${kind}`, {
        "first prompt": all(kind, "first"), "Enter to prompt": all(kind, "enters"), "200-line paste": all(kind, "paste200"),
        ...(kind === p ? { "Tab list": all(kind, "tab") } : {}),
      });
    }
  }
  row("print 100 000 lines", full.print, webExample.print, "CPython's web example", "ms");
  rawFigures("keystroke to echo, full mode", { ms: full.latencies });
  row("Run a 20-line program to its first output, first Run after boot", full.firstRunMs, null, "", "ms");
  row("Run a 20-line program to its first output, later Runs (median)", full.laterRunMs, null, "", "ms");
  row("compute total through Run (median) vs at a warm prompt", full.computeByRun.total * 1000, full.computeLater.total * 1000, "same script, second run at the prompt", "ms");
  {
    const noHeaders = await serve({ root: dist, isolate: false });
    const course = await embeddingPage(noHeaders.url);
    const context = await browser.newContext();
    const page = await context.newPage();
    const { frame, screen } = await openEmbeddedRepl(page, course.url);
    const compat = await terminalFigures(page, frame, screen);
    row("compatibility mode: keystroke to echo p50", compat.p50, full.p50, "full mode", "ms");
    row("compatibility mode: print 100 000 lines", compat.print, full.print, "full mode", "ms");
    rawFigures("keystroke to echo, compatibility mode", { ms: compat.latencies });
    const relay = await relayFigures(page, frame, screen);
    row("compatibility mode: input() round trip, Enter to Python's answer (median of 20)", relay.roundTrip, full.relay.roundTrip, "full mode", "ms");
    row("compatibility mode: a line typed ahead while code ran, input() to having it (median of 5)", relay.typedAhead, full.relay.typedAhead, "full mode", "ms");
    row("compatibility mode: Ctrl+C in a computation to the next prompt (median of 3; compatibility mode restarts Python)", relay.interrupt, full.relay.interrupt, "full mode (KeyboardInterrupt)", "ms");
    row("compatibility mode: print 100 000 lines of 60 characters (6 MB, past the 4 MiB output window)", relay.pastWindow, full.relay.pastWindow, "full mode", "ms");
    rawFigures("relay figures, full mode", { "input() round trip": full.relay.roundTrips, "typed ahead": full.relay.typedAheads, "Ctrl+C": full.relay.interrupts, "6 MB": [full.relay.pastWindow] });
    rawFigures("relay figures, compatibility mode", { "input() round trip": relay.roundTrips, "typed ahead": relay.typedAheads, "Ctrl+C": relay.interrupts, "6 MB": [relay.pastWindow] });
    await context.close();
    await course.close();
    await noHeaders.close();
  }
  // --- turtle graphics: 10 000 segments drawn with tracer(0) and one update(), from Enter
  // to the frame that shows them all, against Python's own time for the same work (printed
  // by Python in that run); and a 36-step star animated at turtle's default speed, its frames
  // paced by the page, against the same program under Node (same Python, same delays, no
  // page) ---
  {
    const context = await browser.newContext();
    const page = await context.newPage();
    await openRepl(page, ours.url);
    await paste(page, TURTLE_SETUP);
    // PyREPL runs a pasted block at Enter (the basic REPL ran it line by line already).
    await page.keyboard.press("Enter");
    await waitForScreen(page, /^READY$/m, 60000);
    const segments = [];
    for (let i = 0; i < RUNS; i++) {
      await armDrawingTimer(page, i);
      await typeLine(page, TEN_THOUSAND_SEGMENTS(i));
      const { ms } = await page.evaluate(() => window.__drawn);
      const said = new RegExp(`^DRAWN-${i} \\d+ (\\d+)$`, "m");
      const text = await waitForScreen(page, said);
      // A frame that never came is left out (and shows in the raw figures' count).
      if (ms !== null) segments.push({ ms, python: Number(text.match(said)[1]) });
      await typeLine(page, "turtle.clearscreen(); turtle.tracer(0); t = turtle.Turtle(); t.hideturtle(); print('CLEARED')");
      await waitForScreen(page, /^CLEARED\n>>> ?$/m);
    }
    rawFigures("turtle: 10 000 segments, Enter to the frame that drew the last batch", { ms: segments.map((s) => s.ms), "Python's own time": segments.map((s) => s.python) });
    row("turtle: 10 000 segments (tracer(0), update()), Enter to the frame that drew them (median)", median(segments.map((s) => s.ms)), median(segments.map((s) => s.python)), "Python's own time for them (same run)", "ms");
    await typeLine(page, "turtle.clearscreen(); t = turtle.Turtle(); print('ANIMATING')");
    await waitForScreen(page, /^ANIMATING\n>>> ?$/m);
    await armFramePacing(page);
    await typeLine(page, STAR);
    await waitForScreen(page, /^STAR DONE\n>>> ?$/m, 60000);
    const pacing = await page.evaluate(() => window.__pacing.stop());
    const star = await runPython(["-c", `import turtle, time\nt = turtle.Turtle()\n${STAR_PROGRAM}`]);
    const nodeStar = Number(star.stdout.match(/^STAR (\d+)/m)?.[1]);
    rawFigures("turtle: star, gaps between drawn frames (median, p95, longest)", { ms: [median(pacing.renderGaps), pct(pacing.renderGaps, 0.95), pacing.longestRenderGap] });
    row("turtle: 36-step star at default speed, start to end (Python's clock)", pacing.pythonMs, nodeStar || null, "the same program under Node (no page)", "ms");
    row("turtle: star, frames drawn / longest gap between them", pacing.renders, null, `longest gap ${pacing.longestRenderGap.toFixed(0)} ms`, "frames");
    row("turtle: star, longest gap between the page's animation frames (the page's own stalls)", pacing.longestFrameGap, 50, "the issue's limit", "ms");
    await context.close();
  }

  // --- the same in Firefox and WebKit, against Chromium's figures above (first prompt: from
  // the navigation to the prompt read by a poll, a WebDriver round trip per poll here) ---
  const others = [
    ["Firefox", "firefox", {}],
    ["WebKit", "webkit", {}],
    ["WebKit without SharedArrayBuffer (compatibility mode)", "webkit", { sharedArrayBuffer: false }],
  ];
  for (const [label, engine, options] of others) {
    const other = await launchEngine(engine, options);
    try {
      const cold = [];
      for (let i = 0; i < RUNS; i++) {
        const page = await other.newPage(); // a new session: a new, empty profile
        cold.push(await openRepl(page, ours.url));
        await page.context().close();
      }
      const page = await other.newPage();
      await openRepl(page, ours.url);
      machine.push(`${label}: ${await page.evaluate(() => navigator.userAgent)} (headful under Xvfb, through WebDriver)`);
      const figures = await terminalFigures(page, page);
      rawFigures(`${label}: first prompt, empty cache`, { ms: cold });
      rawFigures(`${label}: keystroke to echo`, { ms: figures.latencies });
      await page.context().close();
      row(`${label}: first prompt, empty cache (median)`, median(cold), median(oursMs), "Chromium", "ms");
      row(`${label}: keystroke to echo p50`, figures.p50, full.p50, "Chromium", "ms");
      row(`${label}: keystroke to echo p95`, figures.p95, full.p95, "Chromium", "ms");
      row(`${label}: print 100 000 lines`, figures.print, full.print, "Chromium", "ms");
    } finally {
      await other.close();
    }
  }
  await ours.close();
  await theirs.close();

  // --- transfer size of what a first prompt needs ---
  // What a first prompt needs: not the lazily fetched rest of the stdlib, the service
  // worker or the host configuration files.
  const lazy = /python313-extra\.zip$|manifest\.json$|stdlib-report\.json$|sw\.js$|_headers$|\.htaccess$|\.trunk-lock$/;
  const oursFiles = walk(dist).filter((f) => !lazy.test(f));
  const extra = sizes(walk(dist).filter((f) => f.endsWith("python313-extra.zip")));
  const pyFiles = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"]
    .map((f) => join(pyodideDir, f));
  const a = sizes(oursFiles), b = sizes(pyFiles);
  row("transfer, gzip -9", a.gz / 1e6, b.gz / 1e6, "Pyodide", "MB");
  row("transfer, brotli 11", a.br / 1e6, b.br / 1e6, "Pyodide", "MB");
  row("transfer, uncompressed", a.raw / 1e6, b.raw / 1e6, "Pyodide", "MB");
  row("rest of the stdlib, fetched on first use (gzip -9)", extra.gz / 1e6, null, "", "MB");
  const editorBundle = sizes(walk(join(dist, "editor")));
  row("editor bundle (CodeMirror 6), gzip -9", editorBundle.gz / 1e6, 0.2, "the issue's limit, 200 KB", "MB");
} finally {
  await browser.close();
}

// --- compute: ours under Node vs Pyodide under Node vs native CPython ---
// Ours is the product's interpreter (node-loader.mjs installs the worker's layout and its
// sitecustomize, with the start-up loop that has V8 optimise the eval loop). "First thing
// run": the script right after start-up. "After a pause at the prompt": 0.6 s of
// time.sleep first, as a student reads the prompt before typing (V8 runs wasm in a baseline
// tier first and swaps in optimised code only for calls that start after optimisation).
// Pyodide gets the same pause.
const PAUSE = "import time\ntime.sleep(0.6)\n";
const oursRun = async (warm) => parse((await runPython([warm ? "/tmp/warm.py" : "/tmp/compute.py"], {
  files: { "/tmp/compute.py": script, "/tmp/warm.py": PAUSE + "exec(open('/tmp/compute.py').read())\n" },
})).stdout);
const { loadPyodide } = await import(join(pyodideDir, "pyodide.mjs"));
async function pyodideRun(warm) {
  const pyodide = await loadPyodide({ indexURL: pyodideDir + "/" });
  let out = "";
  pyodide.setStdout({ batched: (s) => { out += s + "\n"; } });
  if (warm) pyodide.runPython(PAUSE);
  pyodide.runPython(script);
  return parse(out);
}

// Native CPython 3.13: $NATIVE_PYTHON, python3.13 on PATH, or the Debian chroot's (as root).
const cacheRoot = process.env.PYREPL_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "py-repl-web");
const chrootDir = join(cacheRoot, "python-dist", "chroot-trixie");
const nativeCandidates = [
  process.env.NATIVE_PYTHON && [process.env.NATIVE_PYTHON],
  ["python3.13"],
  process.getuid?.() === 0 && existsSync(join(chrootDir, "usr/bin/python3.13")) && ["chroot", chrootDir, "python3.13"],
].filter(Boolean);
const native = nativeCandidates.find(([cmd, ...args]) => {
  try {
    return execFileSync(cmd, [...args, "-c", "import sys; print(sys.version_info[:2] == (3, 13))"]).toString().trim() === "True";
  } catch { return false; }
});
const nativeRun = () => (native ? parse(execFileSync(native[0], [...native.slice(1), "-"], { input: script }).toString()) : null);

// Rounds of all five, so that a slow moment of this machine hits every contender alike;
// per part, the median over the rounds.
const runs = { oursCold: [], oursWarm: [], pyCold: [], pyWarm: [], native: [] };
for (let i = 0; i < RUNS; i++) {
  runs.oursCold.push(await oursRun(false));
  runs.oursWarm.push(await oursRun(true));
  runs.pyCold.push(await pyodideRun(false));
  runs.pyWarm.push(await pyodideRun(true));
  runs.native.push(nativeRun());
}

for (const [name, results] of Object.entries(runs)) {
  rawFigures(`compute under Node, ${name} (ms)`, Object.fromEntries(Object.keys(results[0] ?? {}).map((k) => [k, results.map((r) => r[k] * 1000)])));
}
const [oursCold, oursWarm, pyCold, pyWarm, nativeCompute] =
  ["oursCold", "oursWarm", "pyCold", "pyWarm", "native"].map((k) => medianParts(runs[k]));
for (const part of ["fib", "integer_loop", "dict_str", "total"]) {
  const ms = (r) => (r?.[part] == null ? null : r[part] * 1000);
  row(`compute ${part}, ours after a pause at the prompt vs native`, ms(oursWarm), ms(nativeCompute), native ? "native CPython 3.13" : "", "ms");
  row(`compute ${part}, ours first thing run vs native`, ms(oursCold), ms(nativeCompute), native ? "native CPython 3.13" : "", "ms");
  row(`compute ${part}, ours after a pause vs Pyodide after a pause`, ms(oursWarm), ms(pyWarm), "Pyodide", "ms");
  row(`compute ${part}, ours first thing run vs Pyodide first thing run`, ms(oursCold), ms(pyCold), "Pyodide", "ms");
}
// Startup under Node: compile python.wasm, instantiate, run a first print.
const startups = [];
for (let i = 0; i < RUNS; i++) startups.push((await runPython(["-c", "print('hi')"])).ms);
let nativeStartup = null;
if (native) {
  const [cmd, ...args] = native;
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    execFileSync(cmd, [...args, "-c", "print('hi')"]);
    times.push(performance.now() - t0);
  }
  nativeStartup = median(times);
}
row("startup under Node: compile, instantiate, first print (median)", median(startups), nativeStartup, native ? "native CPython 3.13 process" : "", "ms");
// The product itself: the script pasted at the prompt in headless Chromium.
const totalMs = (r) => (r?.total == null ? null : r.total * 1000);
row("compute total, Chromium REPL, first run vs native", totalMs(full.computeFirst), totalMs(nativeCompute), native ? "native CPython 3.13" : "", "ms");
row("compute total, Chromium REPL, second run vs native", totalMs(full.computeLater), totalMs(nativeCompute), native ? "native CPython 3.13" : "", "ms");

rawFigures("startup under Node", { ms: startups });

const fmt = (x, unit) => (x == null || Number.isNaN(x) ? "-" : unit === "MB" ? x.toFixed(2) : unit === "ms" && x < 10 ? x.toFixed(1) : x.toFixed(0));
console.log("\n| what | ours | reference | ref | ratio (ours / ref) |\n|---|---:|---:|---|---:|");
for (const r of rows) {
  console.log(`| ${r.what} | ${fmt(r.ours, r.unit)} ${r.unit} | ${r.ref == null ? "-" : fmt(r.ref, r.unit) + " " + r.unit} | ${r.refName} | ${r.ratio == null || Number.isNaN(r.ratio) ? "-" : r.ratio.toFixed(2)} |`);
}
for (const { label, ms, steps } of waterfalls) {
  console.log(`\nBoot waterfall, ${label} (the median run, ${ms} ms; ms from the navigation):`);
  for (const { what, start, end } of steps) {
    console.log(`  ${String(start).padStart(5)} ${end == null ? "     " : String(end).padStart(5)}  ${what}`);
  }
}
console.log(`\nMachine and browsers:\n${machine.map((m) => `  ${m}`).join("\n")}`);
console.log(`\nRaw figures (each run, in order; times in ms unless named):`);
for (const { what, series } of raw) {
  const round = (x) => (typeof x === "number" ? Math.round(x * 10) / 10 : x);
  console.log(`  ${what}: ${Object.entries(series).map(([k, v]) => `${k} [${v.map(round).join(", ")}]`).join("; ")}`);
}
