// The python-dist build script's guards, run for real against a scratch cache directory.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(fileURLToPath(import.meta.url), "..", "..", "..");
const source = join(root, "python-dist");
const pins = readFileSync(join(source, "pins.env"), "utf8");

test("a source whose sha256 does not match its pin stops the build, naming the file and both hashes", () => {
  const cache = mkdtempSync(join(tmpdir(), "pins-"));
  // A copy of the scripts without dist/, so the build cannot be "up to date", and of the
  // worker's Python files that the build traces imports with.
  const copy = join(cache, "checkout", "python-dist");
  cpSync(source, copy, { recursive: true, filter: (path) => !path.includes(`${source}/dist`) });
  cpSync(join(root, "src", "worker", "python"), join(cache, "checkout", "src", "worker", "python"), { recursive: true });
  const script = join(copy, "build.sh");
  try {
    const file = pins.match(/^PYTHON_FILE=(.*)$/m)[1];
    const pinned = pins.match(/^PYTHON_SHA256=(.*)$/m)[1];
    mkdirSync(join(cache, "python-dist", "sources"), { recursive: true });
    writeFileSync(join(cache, "python-dist", "sources", file), "not the CPython tarball\n");
    const result = spawnSync("bash", [script], { env: { ...process.env, PYREPL_CACHE_DIR: cache }, encoding: "utf8" });
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, new RegExp(`sha256 mismatch for ${file.replace(/[.+]/g, "\\$&")}`));
    assert.match(result.stderr, new RegExp(`expected ${pinned}`));
    assert.match(result.stderr, /got [0-9a-f]{64}/);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});
