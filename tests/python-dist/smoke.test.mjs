// The Python build under Node: every module students need imports and works.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runPython } from "../../python-dist/node-loader.mjs";

const here = dirname(fileURLToPath(import.meta.url));

test("python.mjs runs the build checks", async () => {
  const result = await runPython(["/tmp/checks.py"], {
    files: { "/tmp/checks.py": readFileSync(join(here, "checks.py"), "utf8") },
  });
  const lines = result.stdout.split("\n").filter(Boolean);
  const failures = lines.filter((l) => l.startsWith("FAIL"));
  assert.deepEqual(failures, [], result.stdout + result.stderr);
  assert.ok(lines.includes("checks done"), result.stdout + result.stderr);
  assert.equal(lines.filter((l) => l.startsWith("ok ")).length, 13, result.stdout);
  assert.equal(result.code, 0);
});

test("a Python exception exits with status 1 and a traceback", async () => {
  const result = await runPython(["-c", "1/0"]);
  assert.equal(result.code, 1);
  // Tracebacks are coloured on a tty (as in a terminal); compare the text.
  assert.match(result.stderr.replace(/\x1b\[[0-9;]*m/g, ""), /ZeroDivisionError: division by zero/);
  assert.doesNotMatch(result.stderr, /Could not find platform/);
});
