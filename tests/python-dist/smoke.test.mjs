// The Python build under Node: every module students need imports and works.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runPython } from "../../python-dist/node-loader.mjs";

const here = dirname(fileURLToPath(import.meta.url));

test("python.mjs runs the build checks", async () => {
  const checks = readFileSync(join(here, "checks.py"), "utf8");
  const result = await runPython(["/tmp/checks.py"], { files: { "/tmp/checks.py": checks } });
  const lines = result.stdout.split("\n").filter(Boolean);
  const failures = lines.filter((l) => l.startsWith("FAIL"));
  assert.deepEqual(failures, [], result.stdout + result.stderr);
  assert.ok(lines.includes("checks done"), result.stdout + result.stderr);
  assert.equal(lines.filter((l) => l.startsWith("ok ")).length, checks.match(/^@check\(/gm).length, result.stdout);
  assert.equal(result.code, 0);
});

test("a Python exception exits with status 1 and a traceback", async () => {
  const result = await runPython(["-c", "1/0"]);
  assert.equal(result.code, 1);
  // Tracebacks are coloured on a tty (as in a terminal); compare the text.
  assert.match(result.stderr.replace(/\x1b\[[0-9;]*m/g, ""), /ZeroDivisionError: division by zero/);
  assert.doesNotMatch(result.stderr, /Could not find platform/);
});

test("the core zip alone starts Python; other modules say clearly they must be downloaded", async () => {
  const result = await runPython(["-c", [
    "import json, math, random, statistics, sqlite3, decimal",
    "try:",
    "    import unittest",
    "except ImportError as e:",
    "    print('ImportError:', e)",
  ].join("\n")], { extra: false });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /ImportError: this part of the standard library is downloaded on first use, and the download failed/);
});

test("with the extra zip installed, every kept module imports", async () => {
  const result = await runPython(["-c", [
    "import dataclasses, pydoc, unittest, doctest, asyncio, xml.dom.minidom, email.message, encodings.cp437",
    "print('imported', dataclasses.__name__, 'cp437'.encode('cp437'))",
  ].join("\n")]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /imported dataclasses/);
});

test("deep recursion in C is a RecursionError, not a crash", async () => {
  const result = await runPython(["-c", [
    "import json",
    "try:",
    "    json.loads('[' * 100000 + ']' * 100000)",
    "except RecursionError:",
    "    print('RecursionError')",
  ].join("\n")]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^RecursionError$/m);
});

test("under Node the interpreter is the page's: the worker's layout, sitecustomize and devices", async () => {
  const result = await runPython(["-c", [
    "import os, shutil, sys, time",
    "print(shutil.get_terminal_size())",
    "print(time.sleep.__module__, os.environ['TERM'], os.path.exists('/dev/sleep'))",
    "t = time.perf_counter(); time.sleep(0.2); print(round(time.perf_counter() - t, 1))",
  ].join("\n")], { terminalSize: [100, 30] });
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(result.stdout.trim().split("\n"), [
    "os.terminal_size(columns=100, lines=30)",
    "sitecustomize xterm-256color True",
    "0.2",
  ]);
});

test("termios and fcntl are built, and PyREPL's terminal database is xterm's", async () => {
  const result = await runPython(["-c", [
    "import fcntl, termios, tty",
    "from _pyrepl import curses",
    "curses.setupterm('xterm-256color', 1)",
    "print(curses.tparm(curses.tigetstr('cup'), 5, 10), curses.tparm(curses.tigetstr('cub'), 3))",
    "print(curses.tigetstr('kcuu1'), curses.tigetstr('no-such-capability'))",
    "try:",
    "    curses.setupterm('vt52', 1)",
    "except curses.error as e:",
    "    print('refused:', e)",
    "import _pyrepl.main",
    "print('PyREPL importable; termios ICANON', termios.ICANON, 'fcntl.ioctl', callable(fcntl.ioctl))",
  ].join("\n")]);
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.trim().split("\n");
  assert.equal(lines[0], String.raw`b'\x1b[6;11H' b'\x1b[3D'`);
  assert.equal(lines[1], String.raw`b'\x1bOA' None`);
  assert.match(lines[2], /^refused: setupterm: unknown terminal 'vt52'/);
  assert.equal(lines[3], "PyREPL importable; termios ICANON 2 fcntl.ioctl True");
});
