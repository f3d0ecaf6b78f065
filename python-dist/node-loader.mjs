// Loads a python-dist build under Node the way the browser worker does: the module factory,
// a preRun hook that installs the standard library, then callMain. Used by the build (to
// trace which modules the core zip needs), the tests and the benchmarks.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const distDir = join(dirname(fileURLToPath(import.meta.url)), "dist");

/**
 * Runs Python once with `args`; resolves to { code, stdout, stderr, ms }.
 * Options: `dir` (the build, default python-dist/dist), `core` (stdlib zip, default
 * python313.zip), `extra` (the lazily loaded rest: true to install it, false to leave it
 * out), `files` (path → text written first), `mounts` (FS path → host dir), `env`,
 * `signals` (a one-byte Uint8Array, usually over a SharedArrayBuffer: CPython polls it for
 * signals as the page's shared region has it do) and `onPrint` (called with each stdout line).
 */
export async function runPython(args, { dir = distDir, core = "python313.zip", extra = true, files = {}, mounts = {}, env = {}, signals = null, onPrint = null } = {}) {
  const { default: createEmscriptenModule } = await import(join(dir, "python.mjs"));
  const stdlib = readFileSync(join(dir, core));
  const extraFile = join(dir, "python313-extra.zip");
  const extraZip = extra && existsSync(extraFile) ? readFileSync(extraFile) : null;
  let stdout = "";
  let stderr = "";
  const started = performance.now();
  const module = await createEmscriptenModule({
    print: (line) => {
      stdout += line + "\n";
      onPrint?.(line);
    },
    printErr: (line) => { stderr += line + "\n"; },
    preRun: [(m) => {
      m.FS.mkdirTree("/lib/python3.13/lib-dynload");
      m.FS.mkdirTree("/lib/python3.13/site-packages");
      m.FS.mkdirTree("/home/user");
      m.FS.writeFile("/lib/python313.zip", stdlib);
      // getpath's landmark; the real os module comes from the zip, which is earlier on sys.path.
      m.FS.writeFile("/lib/python3.13/os.py", "# landmark for getpath: the standard library is in /lib/python313.zip\n");
      if (extraZip) m.FS.writeFile("/lib/python313-extra.zip", extraZip);
      m.FS.writeFile("/lib/python3.13/site-packages/stdlib-extra.pth", "import _stdlib_extra\n");
      for (const [path, text] of Object.entries(files)) {
        m.FS.mkdirTree(dirname(path));
        m.FS.writeFile(path, text);
      }
      for (const [at, hostDir] of Object.entries(mounts)) {
        m.FS.mkdirTree(at);
        m.FS.mount(m.FS.filesystems.NODEFS, { root: hostDir }, at);
      }
      Object.assign(m.ENV, { HOME: "/home/user", LANG: "C.UTF-8" }, env);
    }],
  });
  if (signals) {
    module.Py_EmscriptenSignalBuffer = signals;
    module.HEAPU8[module._Py_EMSCRIPTEN_SIGNAL_HANDLING] = 1;
  }
  let code;
  try {
    code = module.callMain(args);
  } catch (error) {
    return { code: -1, stdout, stderr: stderr + String(error), ms: performance.now() - started };
  }
  return { code, stdout, stderr, ms: performance.now() - started };
}

// Command line: node node-loader.mjs DIST_DIR CORE_ZIP SCRIPT → runs the script, prints stdout.
if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, core, script, ...rest] = process.argv.slice(2);
  const result = await runPython(["/tmp/script.py", ...rest], { dir, core, extra: false, files: { "/tmp/script.py": readFileSync(script, "utf8") } });
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exit(result.code);
}
