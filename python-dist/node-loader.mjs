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
 * Runs Python once with `args`; resolves to { code, stdout, stderr, ms, canvas, canvasBatches }.
 * Options: `dir` (the build, default python-dist/dist), `core` (stdlib zip, default
 * python313.zip), `extra` (whether the rest of the stdlib can be fetched on first use, as the
 * page's /dev/stdlib-extra does), `files` (path → text written first), `mounts` (FS path → host
 * dir), `env`, `terminalSize` ([columns, rows] that /dev/terminal-size answers), `signals` (a
 * one-byte Uint8Array, usually over a SharedArrayBuffer: CPython polls it for signals as the
 * page's shared region has it do; a sleep ends early when it is set) and `onPrint` (called
 * with each stdout line).
 * The canvas device (turtle graphics) is headless: `canvas` in the result holds every drawing
 * op Python sent, `canvasBatches` how many batches (D requests) carried them, and
 * `onCanvas(ops)` sees each batch as it comes. `canvasEvents` plays the page's side: an array
 * of event JSON lines, or a function `(ops so far) => lines` polled on each read and during
 * each wait, so a test can click where something was drawn or answer a dialog.
 */
export async function runPython(args, { dir = distDir, core = "python313.zip", extra = true, files = {}, mounts = {}, env = {}, terminalSize = [80, 24], signals = null, onPrint = null, onCanvas = null, canvasEvents = null } = {}) {
  const { default: createEmscriptenModule } = await import(join(dir, "python.mjs"));
  const layout = JSON.parse(readFileSync(join(layoutDir, "layout.json"), "utf8"));
  const stdlib = readFileSync(join(dir, core));
  const extraFile = join(dir, "python313-extra.zip");
  let stdout = "";
  let stderr = "";
  const canvas = { ops: [], batches: 0, onCanvas, events: canvasEvents };
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
      const serve = devices(m, { layout, terminalSize, signals, canvas, extra: () => extra && existsSync(extraFile) ? readFileSync(extraFile) : null });
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
  const drawn = () => ({ canvas: canvas.ops, canvasBatches: canvas.batches, canvasInputHook: Boolean(canvas.inputHook) });
  try {
    code = module.callMain(args);
  } catch (error) {
    return { code: -1, stdout, stderr: stderr + String(error), ms: performance.now() - started, ...drawn() };
  }
  return { code, stdout, stderr, ms: performance.now() - started, ...drawn() };
}

/** The stream operations of layout.json's devices, as the worker serves them. */
function devices(m, { layout, terminalSize, signals, canvas, extra }) {
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
    canvas: canvasDevice(m, { signals, canvas, parked }),
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

/**
 * The page's side of /dev/canvas, headless: D requests (a JSON array of drawing ops) are
 * collected, W waits as the sleep device does but also ends when an event is there, M answers
 * an approximate measure, and reads give that measure or the pending event lines.
 */
function canvasDevice(m, { signals, canvas, parked }) {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  const queue = []; // event lines not read yet, each ending in "\n"
  let measured = null; // the answer to the last M request, for the next read
  let cut = false; // as the sleep device: the retry after EINTR returns 0 at once
  const poll = () => {
    const source = canvas.events;
    const lines = typeof source === "function" ? source(canvas.ops) : source;
    if (source && typeof source !== "function") canvas.events = null; // an array is given once
    for (const line of [lines ?? []].flat()) {
      const text = typeof line === "string" ? line : JSON.stringify(line);
      queue.push(text.endsWith("\n") ? text : text + "\n");
    }
  };
  return {
    write(stream, buffer, offset, length) {
      const request = buffer.subarray(offset, offset + length);
      const kind = String.fromCharCode(request[0]);
      const body = decoder.decode(request.subarray(1));
      if (kind === "D") {
        // A batch the page could not parse is a bug in the Python side: fail the run loudly
        // (a plain Error, not an errno, ends callMain) rather than drop the drawing.
        let ops;
        try {
          ops = JSON.parse(body);
        } catch (error) {
          throw new Error(`canvas device: malformed D batch (${error.message}): ${body.slice(0, 200)}`);
        }
        if (!Array.isArray(ops)) throw new Error(`canvas device: a D batch is not an array: ${body.slice(0, 200)}`);
        canvas.batches++;
        for (const op of ops) canvas.ops.push(op);
        canvas.onCanvas?.(ops);
        return length;
      }
      if (kind === "M") {
        // The browser measures with its canvas; here 0.6 em per character, 0.8 em up, 0.2 down.
        const { font, text } = JSON.parse(body);
        const px = Number(/([\d.]+)px/.exec(font)?.[1] ?? 12);
        measured = `${0.6 * px * [...text].length} ${0.8 * px} ${0.2 * px}`;
        return length;
      }
      if (kind === "W") {
        if (cut) {
          cut = false;
          return 0;
        }
        const seconds = Number(body) || 0;
        const deadline = performance.now() + seconds * 1000;
        for (let left = seconds * 1000; left > 0; left = deadline - performance.now()) {
          if (signals?.[0]) {
            cut = true;
            throw new m.FS.ErrnoError(EINTR);
          }
          poll();
          if (queue.length) break;
          // Short slices: a test's event source is polled here, as the page's events arrive.
          Atomics.wait(parked, 0, 0, Math.min(left, 10));
        }
        return length;
      }
      if (kind === "H") {
        // Events that arrive while Python reads stdin interrupt the read with SIGUSR1 in the
        // worker; Node's stdin is not the page's, so only the request is noted.
        canvas.inputHook = true;
        return length;
      }
      throw new Error(`canvas device: unknown request ${JSON.stringify(kind)}`);
    },
    read(stream, buffer, offset, length) {
      if (measured !== null) {
        const bytes = encoder.encode(measured);
        measured = null;
        buffer.set(bytes.subarray(0, length), offset);
        return Math.min(bytes.length, length);
      }
      poll();
      // Whole lines only, as many as fit; nothing pending is an empty read, never a wait.
      let used = 0;
      while (queue.length) {
        const bytes = encoder.encode(queue[0]);
        if (used + bytes.length > length) break;
        buffer.set(bytes, offset + used);
        used += bytes.length;
        queue.shift();
      }
      return used;
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
