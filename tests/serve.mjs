// A plain static file server for the built site, for tests and benchmarks: optionally sends
// the cross-origin isolation headers, optionally serves under a sub-path, optionally gzip.
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize } from "node:path";
import { createGzip } from "node:zlib";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript",
  ".wasm": "application/wasm", ".css": "text/css", ".json": "application/json",
  ".zip": "application/zip", ".svg": "image/svg+xml", ".png": "image/png", ".txt": "text/plain",
};

/** Starts a server for `root`, plus `files` (path under `base` → contents, as a teacher
 * publishes exercises beside the site); resolves to { url, close }. */
export function serve({ root, isolate = true, base = "/", gzip = false, port = 0, files = {} } = {}) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (!path.startsWith(base)) { res.writeHead(404).end("not found"); return; }
    const published = files[path.slice(base.length)];
    if (published !== undefined) {
      const headers = { "Content-Type": TYPES[extname(path)] || "text/plain; charset=utf-8", "Cache-Control": "no-cache" };
      if (isolate) Object.assign(headers, { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" });
      res.writeHead(200, headers).end(published);
      return;
    }
    let file = normalize(join(root, path.slice(base.length)));
    if (!file.startsWith(normalize(root))) { res.writeHead(403).end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) { res.writeHead(404).end("not found"); return; }
    const headers = { "Content-Type": TYPES[extname(file)] || "application/octet-stream", "Cache-Control": "no-cache" };
    if (isolate) {
      headers["Cross-Origin-Opener-Policy"] = "same-origin";
      headers["Cross-Origin-Embedder-Policy"] = "require-corp";
    }
    if (gzip && /gzip/.test(req.headers["accept-encoding"] || "")) {
      headers["Content-Encoding"] = "gzip";
      res.writeHead(200, headers);
      createReadStream(file).pipe(createGzip({ level: 6 })).pipe(res);
    } else {
      headers["Content-Length"] = statSync(file).size;
      res.writeHead(200, headers);
      createReadStream(file).pipe(res);
    }
  });
  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}${base}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

/** A course page on `host` (another port, so another origin; 127.0.0.1 is the same site as
 * the REPL, 127.0.0.2 another site) that embeds `url` in an iframe, with the terminal alone
 * (`?repl`) as the README tells teachers to. */
export function embeddingPage(url, host = "127.0.0.1") {
  const html = `<!doctype html><title>A course page</title><h1>Exercise 1</h1>
<iframe src="${url}?repl" width="900" height="500"></iframe>`;
  const server = createServer((req, res) => res.writeHead(200, { "Content-Type": "text/html" }).end(html));
  return new Promise((resolve) => server.listen(0, host, () => resolve({
    url: `http://${host}:${server.address().port}/`,
    close: () => new Promise((r) => server.close(r)),
  })));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [root = "dist", port = "8080"] = process.argv.slice(2);
  const { url } = await serve({ root, port: Number(port) });
  console.log(`serving ${root} at ${url}`);
}
