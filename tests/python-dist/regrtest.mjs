// Runs a subset of CPython's own regression tests (Lib/test from the pinned source tarball,
// not shipped in the zip) against the browser build under Node, and prints passed / failed /
// skipped per test module. Exit status 1 if any test case fails that is not listed in
// KNOWN_FAILURES (by module and exact id, with its reason), if a listed failure no longer
// fails (the list must stay exact), or if a module ran no test case or skipped all of them
// without being listed in KNOWN_EMPTY.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { runPython } from "../../python-dist/node-loader.mjs";

export const TESTS = [
  "test_int", "test_float", "test_list", "test_dict", "test_set", "test_str",
  // test_unicode was folded into test_str before 3.13; these are its remaining relatives.
  "test_unicodedata", "test_unicode_identifiers",
  // Not test_bytes: its ByteArrayTest class body imports _testlimitedcapi, a CPython
  // test-only C module that python.wasm does not include (the build leaves CPython's test
  // modules out), so regrtest skips the whole module at import and it would test nothing.
  "test_json", "test_re", "test_decimal", "test_fractions", "test_statistics",
  "test_sqlite3", "test_zlib", "test_bz2", "test_lzma", "test_hashlib", "test_datetime", "test_csv",
  // Our small-int free list (python-dist/patches/) changes how every int is allocated.
  "test_long",
];

const STRFTIME_PERCENT =
  "Emscripten limitation: its strftime (JavaScript) turns a trailing '%' into a NUL byte, so "
  + "datetime.strftime('%') raises ValueError instead of returning '%'";

// Test cases that fail for a known reason: test module → full unittest id → reason (an
// Emscripten limitation or ours). Ids match exactly; an id listed here that passes is an error.
export const KNOWN_FAILURES = {
  test_datetime: {
    "test.datetimetester.TestDate_Pure.test_strftime_trailing_percent": STRFTIME_PERCENT,
    "test.datetimetester.TestDateTime_Pure.test_strftime_trailing_percent": STRFTIME_PERCENT,
    "test.datetimetester.TestDateTimeTZ_Pure.test_strftime_trailing_percent": STRFTIME_PERCENT,
    "test.datetimetester.TestSubclassDateTime_Pure.test_strftime_trailing_percent": STRFTIME_PERCENT,
    "test.datetimetester.TestDate_Fast.test_strftime_trailing_percent": STRFTIME_PERCENT,
    "test.datetimetester.TestDateTime_Fast.test_strftime_trailing_percent": STRFTIME_PERCENT,
    "test.datetimetester.TestDateTimeTZ_Fast.test_strftime_trailing_percent": STRFTIME_PERCENT,
    "test.datetimetester.TestSubclassDateTime_Fast.test_strftime_trailing_percent": STRFTIME_PERCENT,
  },
};

// Modules allowed to pass no test case at all (none ran, or every one was skipped), and why.
// Empty: every module in TESTS must run and pass at least one case.
export const KNOWN_EMPTY = {};

const cacheRoot = process.env.PYREPL_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "py-repl-web");

function testLib() {
  const pins = readFileSync(new URL("../../python-dist/pins.env", import.meta.url), "utf8");
  const file = pins.match(/^PYTHON_FILE=(.*)$/m)[1];
  const version = pins.match(/^PYTHON_VERSION=(.*)$/m)[1];
  const dir = join(cacheRoot, "python-dist", `testlib-${version}`);
  if (!existsSync(join(dir, "test", "__init__.py")) || !existsSync(join(dir, "_pydecimal.py"))) {
    const tarball = join(cacheRoot, "python-dist", "sources", file);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    execFileSync("tar", ["-xf", tarball, "-C", dir, "--strip-components=2", `Python-${version}/Lib/test`]);
    // The pure-Python decimal, left out of the browser zip (the C one is built), is what
    // test_decimal compares the C version against.
    execFileSync("tar", ["-xf", tarball, "-C", dir, "--strip-components=2", `Python-${version}/Lib/_pydecimal.py`]);
  }
  return dir;
}

function parseJunit(xml) {
  const results = {};
  // One <testsuite> per test module that ran. Its cases' ids are full unittest ids,
  // "test.test_int.IntTestCases.test_basic" (test_datetime runs its cases from
  // test.datetimetester), except doctests, named after what they document ("Decimal",
  // "encoder"): a suite belongs to the module most of its unittest ids name.
  for (const suite of xml.matchAll(/<testsuite\b[^>]*?(?:\/>|>([\s\S]*?)<\/testsuite>)/g)) {
    const cases = [];
    for (const m of (suite[1] || "").matchAll(/<testcase ([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
      const attrs = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((a) => [a[1], a[2]]));
      const id = attrs.classname ? `${attrs.classname}.${attrs.name}` : attrs.name;
      const body = m[3] || "";
      cases.push({ id, outcome: /<(failure|error)/.test(body) ? "failed" : /<skipped/.test(body) ? "skipped" : "passed" });
    }
    const named = {};
    for (const { id } of cases) {
      const parts = id.split(".");
      if (parts[0] !== "test" || parts.length < 3) continue;
      const module = parts[1] === "datetimetester" ? "test_datetime" : parts[1];
      named[module] = (named[module] || 0) + 1;
    }
    const module = Object.entries(named).sort((a, b) => b[1] - a[1])[0]?.[0] || "(a suite of doctests only)";
    for (const { id, outcome } of cases) {
      results[module] ??= { passed: 0, failed: 0, skipped: 0, failures: [], cases: {} };
      results[module][outcome] += 1;
      results[module].cases[id] = outcome;
      if (outcome === "failed") results[module].failures.push(id);
    }
  }
  return results;
}

/** What regrtest's own log says of a module that ran no case ("test_x skipped -- why"). */
function moduleNotes(stdout) {
  const notes = {};
  for (const m of stdout.matchAll(/^(?:[\d:]+ (?:load avg: [\d.]+ )?)?(?:\[[\d/]+\] )?(test_\w+) (skipped -- .*|failed\b.*)$/gm)) notes[m[1]] ??= m[2];
  return notes;
}

/**
 * Judges the results of the modules `tests`: returns the table's lines (one row per module,
 * then indented notes) and how many things in it are unexplained (each makes the run fail).
 */
export function judge(tests, results, notes = {}) {
  const lines = [];
  let unexplained = 0;
  const bad = (text) => { lines.push(`    UNEXPLAINED: ${text}`); unexplained += 1; };
  // Results under a module that was not asked for would otherwise go unseen.
  const modules = [...tests, ...Object.keys(results).filter((m) => !tests.includes(m))];
  for (const name of modules) {
    const r = results[name] || { passed: 0, failed: 0, skipped: 0, failures: [], cases: {} };
    lines.push(`${name.padEnd(20)} ${String(r.passed).padStart(6)}  ${String(r.failed).padStart(6)}  ${String(r.skipped).padStart(7)}`);
    if (!tests.includes(name)) bad("results for a module that was not asked for");
    const known = KNOWN_FAILURES[name] || {};
    for (const id of r.failures) {
      if (known[id]) lines.push(`    known: ${id} (${known[id]})`);
      else bad(id);
    }
    for (const id of Object.keys(known)) {
      if (r.cases[id] !== "failed" && (r.passed || r.failed)) {
        bad(`${id} is listed as a known failure but ${r.cases[id] ? `was ${r.cases[id]}` : "did not run"}: update KNOWN_FAILURES`);
      }
    }
    if (r.passed === 0 && r.failed === 0) {
      const what = r.skipped ? `all ${r.skipped} test cases were skipped` : "no test case ran";
      const note = notes[name] ? ` (regrtest: ${name} ${notes[name]})` : "";
      if (KNOWN_EMPTY[name]) lines.push(`    ${what}: ${KNOWN_EMPTY[name]}`);
      else bad(`${what}${note}`);
    }
  }
  return { lines, unexplained };
}

export async function runRegrtests(tests = TESTS) {
  const lib = testLib();
  const out = mkdtempSync(join(tmpdir(), "regrtest-"));
  const started = performance.now();
  const result = await runPython(
    ["-m", "test", "--junit-xml", "/out/junit.xml", "-u", "cpu", ...tests],
    { mounts: { "/testlib": lib, "/out": out }, env: { PYTHONPATH: "/testlib" } },
  );
  const xmlFile = join(out, "junit.xml");
  const results = existsSync(xmlFile) ? parseJunit(readFileSync(xmlFile, "utf8")) : {};
  rmSync(out, { recursive: true, force: true });
  return { results, notes: moduleNotes(result.stdout), result, seconds: (performance.now() - started) / 1000 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const tests = process.argv.slice(2).length ? process.argv.slice(2) : TESTS;
  const { results, notes, result, seconds } = await runRegrtests(tests);
  const { lines, unexplained } = judge(tests, results, notes);
  console.log(`CPython regression tests under Node (${seconds.toFixed(0)} s)`);
  console.log("module               passed  failed  skipped");
  for (const line of lines) console.log(line);
  if (unexplained) {
    console.log(result.stdout.split("\n").slice(-40).join("\n"));
    console.log(result.stderr.split("\n").slice(-20).join("\n"));
  }
  process.exit(unexplained ? 1 : 0);
}
