// Loads python-dist/dist/python.mjs under Node the way the browser worker does: the factory,
// a preRun hook that writes the stdlib zip, then callMain. Used by the build tests and
// benchmarks.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const distDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "python-dist", "dist");

/**
 * Runs Python once with `args` and returns { code, stdout, stderr, ms }.
 * `files` maps paths to text written before start; `mounts` maps host dirs onto the FS.
 */
export async function runPython(args, { files = {}, mounts = {}, env = {} } = {}) {
  const { default: createEmscriptenModule } = await import(join(distDir, "python.mjs"));
  const stdlib = readFileSync(join(distDir, "python313.zip"));
  let stdout = "";
  let stderr = "";
  const started = performance.now();
  const module = await createEmscriptenModule({
    print: (line) => { stdout += line + "\n"; },
    printErr: (line) => { stderr += line + "\n"; },
    preRun: [(m) => {
      m.FS.mkdirTree("/lib/python3.13/lib-dynload");
      m.FS.mkdirTree("/home/user");
      m.FS.writeFile("/lib/python313.zip", stdlib);
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
  let code;
  try {
    code = module.callMain(args);
  } catch (error) {
    return { code: -1, stdout, stderr: stderr + String(error), ms: performance.now() - started };
  }
  return { code, stdout, stderr, ms: performance.now() - started };
}
