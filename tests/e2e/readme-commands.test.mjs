// The README's other commands, run as a newcomer would: `make serve` serves a working REPL
// with the isolation headers, and `make bench` prints its table (it never fails on speed).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launch, openRepl, typeLine, waitForScreen } from "../browser.mjs";

const root = join(fileURLToPath(import.meta.url), "..", "..", "..");

async function waitForServer(url, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return response;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`${url} did not answer within ${ms} ms`);
}

test("make serve serves the REPL on 127.0.0.1:8080 with the isolation headers, and leaves dist/ alone", { timeout: 900_000 }, async () => {
  const published = join(root, "dist", "index.html");
  const before = existsSync(published) ? readFileSync(published, "utf8") : null;
  const server = spawn("make", ["serve"], { cwd: root, detached: true, stdio: "ignore" });
  try {
    const response = await waitForServer("http://127.0.0.1:8080/", 840_000);
    assert.equal(response.headers.get("cross-origin-opener-policy"), "same-origin");
    assert.equal(response.headers.get("cross-origin-embedder-policy"), "require-corp");
    const browser = await launch();
    const page = await browser.newPage();
    await openRepl(page, "http://127.0.0.1:8080/");
    await typeLine(page, "sum(range(5))");
    await waitForScreen(page, /^10$/m);
    await browser.close();
    // The development build (with trunk's live-reload client) went to a directory of its own.
    assert.match(await (await fetch("http://127.0.0.1:8080/")).text(), /__trunk_address__|trunk/i);
    const after = existsSync(published) ? readFileSync(published, "utf8") : null;
    assert.equal(after, before, "dist/index.html is untouched by make serve");
  } finally {
    process.kill(-server.pid, "SIGTERM"); // make and the trunk it started
  }
});

test("make bench prints its table of figures and ratios", { timeout: 900_000 }, () => {
  const result = spawnSync("make", ["bench"], { cwd: root, encoding: "utf8", env: { ...process.env, BENCH_RUNS: "1" } });
  assert.equal(result.status, 0, result.stderr.slice(-2000));
  assert.match(result.stdout, /\| first prompt, empty cache/);
  assert.match(result.stdout, /\| compute total, ours after a pause vs Pyodide after a pause \| \d+ ms/);
  // Every reference is measured in the run: CPython's own web example, a returning student on
  // both hosts, what the compatibility mode's relay carries.
  assert.match(result.stdout, /\| print 100 000 lines \| \d+ ms \| \d+ ms \| CPython's web example \|/);
  assert.match(result.stdout, /\| returning student: first prompt, GitHub Pages path[^|]*\| \d+ ms \| \d+ ms \|/);
  assert.match(result.stdout, /\| compatibility mode: input\(\) round trip[^|]*\| [\d.]+ ms \| [\d.]+ ms \| full mode \|/);
  assert.match(result.stdout, /\| PyREPL: keystroke to echo p50 \| [\d.]+ ms \| [\d.]+ ms \| basic REPL \|/);
  assert.match(result.stdout, /^Machine and browsers:\n {2}date /m);
  assert.match(result.stdout, /^Raw figures/m);
  for (const engine of ["Firefox", "WebKit", "WebKit without SharedArrayBuffer \\(compatibility mode\\)"]) {
    assert.match(result.stdout, new RegExp(`\\| ${engine}: print 100 000 lines \\| \\d+ ms`));
  }
});
