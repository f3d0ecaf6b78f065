// Loads a python-dist build under Node the way the browser worker does: the module factory,
// a preRun hook that lays out the file system, devices and environment from the worker's own
// layout.json (src/worker/python/), then callMain. The build (to trace which modules the core
// zip needs), the tests and the benchmarks all run the interpreter a student gets.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const distDir = join(here, "dist");
// The build copies the folder beside this script; in the repository it is the worker's.
export const layoutDir = process.env.PYREPL_LAYOUT_DIR || join(here, "..", "src", "worker", "python");

const EINTR = 27;

/**
 * Runs Python once with `args`; resolves to { code, stdout, stderr, ms }.
 * Options: `dir` (the build, default python-dist/dist), `core` (stdlib zip, default
 * python313.zip), `extra` (whether the rest of the stdlib can be fetched on first use, as the
 * page's /dev/stdlib-extra does), `files` (path → text written first), `mounts` (FS path → host
 * dir), `env`, `terminalSize` ([columns, rows] that /dev/terminal-size answers), `signals` (a
 * one-byte Uint8Array, usually over a SharedArrayBuffer: CPython polls it for signals as the
 * page's shared region has it do; a sleep ends early when it is set) and `onPrint` (called
 * with each stdout line).
 */
export async function runPython(args, { dir = distDir, core = "python313.zip", extra = true, files = {}, mounts = {}, env = {}, terminalSize = [80, 24], signals = null, onPrint = null } = {}) {
  const { default: createEmscriptenModule } = await import(join(dir, "python.mjs"));
  const layout = JSON.parse(readFileSync(join(layoutDir, "layout.json"), "utf8"));
  const stdlib = readFileSync(join(dir, core));
  const extraFile = join(dir, "python313-extra.zip");
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
      for (const directory of layout.directories) m.FS.mkdirTree(directory);
      m.FS.writeFile(layout.core_zip, stdlib);
      for (const file of layout.files) {
        m.FS.writeFile(file.path, file.text ?? readFileSync(join(layoutDir, file.source), "utf8"));
      }
      const serve = devices(m, { layout, terminalSize, signals, extra: () => extra && existsSync(extraFile) ? readFileSync(extraFile) : null });
      for (const device of layout.devices) {
        const number = (layout.device_major << 8) | device.minor;
        m.FS.registerDevice(number, serve[device.serves]);
        m.FS.mkdev(device.path, number);
      }
      for (const [path, text] of Object.entries(files)) {
        m.FS.mkdirTree(dirname(path));
        m.FS.writeFile(path, text);
      }
      for (const [at, hostDir] of Object.entries(mounts)) {
        m.FS.mkdirTree(at);
        m.FS.mount(m.FS.filesystems.NODEFS, { root: hostDir }, at);
      }
      Object.assign(m.ENV, layout.environment, env);
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

/** The stream operations of layout.json's devices, as the worker serves them. */
function devices(m, { layout, terminalSize, signals, extra }) {
  const readText = (text) => (stream, buffer, offset, length, position) => {
    const bytes = new TextEncoder().encode(text());
    const chunk = bytes.subarray(position ?? 0, (position ?? 0) + length);
    buffer.set(chunk, offset);
    return chunk.length;
  };
  const parked = new Int32Array(new SharedArrayBuffer(4));
  // As the worker's: a sleep a signal cut short fails with EINTR; CPython's retry (when the
  // handler returned) then gets 0 at once, so the caller knows it was woken.
  let cut = false;
  return {
    "terminal-size": { read: readText(() => `${terminalSize[0]} ${terminalSize[1]}\n`) },
    sleep: {
      write(stream, buffer, offset, length) {
        if (cut) {
          cut = false;
          return 0;
        }
        const seconds = Number(new TextDecoder().decode(buffer.subarray(offset, offset + length))) || 0;
        const deadline = performance.now() + seconds * 1000;
        for (let left = seconds * 1000; left > 0; left = deadline - performance.now()) {
          if (signals?.[0]) {
            cut = true;
            throw new m.FS.ErrnoError(EINTR);
          }
          Atomics.wait(parked, 0, 0, Math.min(left, 50));
        }
        return length;
      },
    },
    // The page learns here that the prompt begins; nobody listens under Node.
    session: { write: (stream, buffer, offset, length) => length },
    "stdlib-extra": {
      read(stream, buffer, offset, length, position) {
        if (position > 0) return 0;
        const zip = extra();
        let answer = "not available under this host";
        if (zip) {
          m.FS.writeFile(layout.extra_zip, zip);
          answer = "ok";
        }
        return readText(() => answer)(stream, buffer, offset, length, 0);
      },
    },
  };
}

// Command line: node node-loader.mjs DIST_DIR CORE_ZIP SCRIPT → runs the script, prints stdout.
if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, core, script, ...rest] = process.argv.slice(2);
  const result = await runPython(["/tmp/script.py", ...rest], { dir, core, extra: false, files: { "/tmp/script.py": readFileSync(script, "utf8") } });
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exit(result.code);
}
