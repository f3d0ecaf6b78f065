// trunk post_build hook: gives the staged index.html a Content-Security-Policy in a <meta>
// tag (GitHub Pages sends no headers), allowing only the site's own scripts, workers and
// WebAssembly, plus the page's own inline scripts by their hashes (the import map and
// trunk's loader). A rendering bug that put markup into the page still could not run a script.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const stage = process.env.TRUNK_STAGING_DIR;
if (!stage) throw new Error("run by trunk as a post_build hook (TRUNK_STAGING_DIR is not set)");
const file = join(stage, "index.html");
const html = readFileSync(file, "utf8");
if (html.includes('http-equiv="Content-Security-Policy"')) throw new Error("index.html has a policy already");

const hashes = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)]
  .filter(([, body]) => body.trim() !== "")
  .map(([, body]) => `'sha256-${createHash("sha256").update(body, "utf8").digest("base64")}'`);
const policy = [
  "default-src 'self'",
  // WebAssembly compiles under 'wasm-unsafe-eval' only: no eval of strings.
  `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(" ")}`,
  // xterm.js and CodeMirror put their own styles into the page.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join("; ");
const meta = `<meta http-equiv="Content-Security-Policy" content="${policy}" />`;
// Right after the charset (which must come first), before any script it governs.
const patched = html.replace(/<head>(\s*<meta charset="utf-8" \/>)?/, (head) => `${head}\n    ${meta}`);
if (patched === html) throw new Error("index.html has no <head>");
writeFileSync(file, patched);
console.log(`add-csp: ${hashes.length} inline scripts allowed by hash`);
