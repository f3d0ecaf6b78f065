// Ctrl+C is never lost: CPython (in a worker thread, as in the page) polls the signal byte
// while it computes and clears it after reading; a SIGINT stored by the page between that
// read and that clear used to vanish (python-dist/patches/emscripten-signal-exchange.patch
// makes it one atomic exchange). Here the main thread interrupts a busy loop many times, at
// varying moments, and every interrupt must arrive.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Worker } from "node:worker_threads";

const ROUNDS = 400;
const SIGINT = 2;

// The worker: Python counts the KeyboardInterrupts it catches in a busy loop.
const workerSource = `
import { parentPort, workerData } from "node:worker_threads";
import { runPython } from ${JSON.stringify(new URL("../../python-dist/node-loader.mjs", import.meta.url).href)};
const script = [
  "import sys",
  "caught = 0",
  "while caught < ${ROUNDS}:",
  "    try:",
  "        print('busy', caught, flush=True)",
  "        while True: pass",
  "    except KeyboardInterrupt:",
  "        caught += 1",
  "print('done', caught, flush=True)",
].join("\\n");
const result = await runPython(["/tmp/signals.py"], {
  files: { "/tmp/signals.py": script },
  signals: new Uint8Array(workerData.signals),
  onPrint: (line) => parentPort.postMessage(line),
});
parentPort.postMessage({ exit: result.code, stderr: result.stderr });
`;

test(`${ROUNDS} interrupts of a busy loop all arrive`, { timeout: 300_000 }, async () => {
  const shared = new SharedArrayBuffer(1);
  const signals = new Uint8Array(shared);
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(workerSource)}`), {
    workerData: { signals: shared },
  });
  let waiting = null;
  const lines = [];
  worker.on("message", (message) => {
    if (typeof message === "object" && message.exit) lines.push(`exit ${message.exit}: ${message.stderr}`);
    lines.push(message);
    waiting?.();
  });
  const next = (pattern, ms) => new Promise((resolve, reject) => {
    const check = () => {
      const found = lines.find((l) => typeof l === "string" && pattern.test(l));
      if (found !== undefined) { clearTimeout(timer); waiting = null; resolve(found); }
    };
    const timer = setTimeout(() => { waiting = null; reject(new Error(`no ${pattern} within ${ms} ms: ${lines.slice(-3).join(" | ")}`)); }, ms);
    waiting = check;
    check();
  });
  let lost = 0;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      await next(new RegExp(`^busy ${round}$`), 60_000);
      // Let the loop run a varying moment, so the store lands at every phase of its polling.
      const spin = Date.now() + (round % 4);
      while (Date.now() < spin) { /* busy wait: timers are too coarse */ }
      Atomics.store(signals, 0, SIGINT);
      try {
        await next(new RegExp(`^(busy ${round + 1}|done ${round + 1})$`), 3000);
      } catch {
        lost++;
        Atomics.store(signals, 0, SIGINT); // a second try, so the test goes on
        await next(new RegExp(`^(busy ${round + 1}|done ${round + 1})$`), 10_000);
      }
    }
    await next(new RegExp(`^done ${ROUNDS}$`), 10_000);
  } finally {
    await worker.terminate();
  }
  assert.equal(lost, 0, `${lost} of ${ROUNDS} interrupts were lost`);
});
