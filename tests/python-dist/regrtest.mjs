// Runs a subset of CPython's own regression tests (Lib/test from the pinned source tarball,
// not shipped in the zip) against the browser build under Node, and prints passed / failed /
// skipped per test module. Exit status 1 if a test module fails that is not listed in
// KNOWN_FAILURES with its reason.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { runPython } from "../../python-dist/node-loader.mjs";

export const TESTS = [
  "test_int", "test_float", "test_list", "test_dict", "test_set", "test_str",
  // test_unicode was folded into test_str before 3.13; these are its remaining relatives.
  "test_unicodedata", "test_unicode_identifiers",
  "test_bytes", "test_json", "test_re", "test_decimal", "test_fractions", "test_statistics",
  "test_sqlite3", "test_zlib", "test_bz2", "test_lzma", "test_hashlib", "test_datetime", "test_csv",
  // Our small-int free list (python-dist/patches/) changes how every int is allocated.
  "test_long",
];

// Test cases that fail for a known reason, by unittest id prefix. Each reason says whether
// it is an Emscripten limitation or ours.
export const KNOWN_FAILURES = {
  "test_strftime_trailing_percent":
    "Emscripten limitation: its strftime (JavaScript) turns a trailing '%' into a NUL byte, so "
    + "datetime.strftime('%') raises ValueError instead of returning '%'",
};

// Modules that are skipped as a whole, and why.
export const KNOWN_SKIPS = {
  test_bytes: "needs _testlimitedcapi, a CPython test-only C module we do not build into python.wasm",
};

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
  for (const m of xml.matchAll(/<testcase ([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const attrs = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((a) => [a[1], a[2]]));
    // Names are full ids, "test.test_int.IntTestCases.test_basic"; test_datetime runs its
    // cases from test.datetimetester.
    const id = attrs.classname ? `${attrs.classname}.${attrs.name}` : attrs.name;
    const parts = id.split(".");
    const module = parts[1] === "datetimetester" ? "test_datetime" : parts[1] || "?";
    const body = m[3] || "";
    const outcome = /<(failure|error)/.test(body) ? "failed" : /<skipped/.test(body) ? "skipped" : "passed";
    results[module] ??= { passed: 0, failed: 0, skipped: 0, failures: [] };
    results[module][outcome] += 1;
    if (outcome === "failed") results[module].failures.push(id);
  }
  return results;
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
  return { results, result, seconds: (performance.now() - started) / 1000 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { results, result, seconds } = await runRegrtests(process.argv.slice(2).length ? process.argv.slice(2) : TESTS);
  let unexplained = 0;
  console.log(`CPython regression tests under Node (${seconds.toFixed(0)} s)`);
  console.log("module               passed  failed  skipped");
  for (const name of TESTS.filter((t) => results[t] || process.argv.length <= 2)) {
    const r = results[name] || { passed: 0, failed: 0, skipped: 0, failures: [] };
    console.log(`${name.padEnd(20)} ${String(r.passed).padStart(6)}  ${String(r.failed).padStart(6)}  ${String(r.skipped).padStart(7)}`);
    for (const f of r.failures) {
      const reason = Object.entries(KNOWN_FAILURES).find(([prefix]) => f.includes(prefix));
      console.log(`    ${reason ? "known" : "UNEXPLAINED"}: ${f}${reason ? ` (${reason[1]})` : ""}`);
      if (!reason) unexplained += 1;
    }
    if (!results[name] && KNOWN_SKIPS[name]) console.log(`    skipped as a whole: ${KNOWN_SKIPS[name]}`);
    else if (!results[name]) { console.log("    UNEXPLAINED: no results (module did not run)"); unexplained += 1; }
  }
  if (unexplained) {
    console.log(result.stdout.split("\n").slice(-40).join("\n"));
    console.log(result.stderr.split("\n").slice(-20).join("\n"));
  }
  process.exit(unexplained ? 1 : 0);
}
