// A static file server for the built site, for tests and benchmarks, that behaves as the
// hosts a teacher publishes on do: validators (ETag, Last-Modified) answered with 304,
// compression negotiated (brotli or gzip), and either revalidation on every load (Netlify,
// Cloudflare Pages: `caching: "revalidate"`) or ten minutes of freshness (GitHub Pages:
// `caching: "pages"`). Optionally sends the cross-origin isolation headers, optionally
// serves under a sub-path. It counts what it sends (`stats()`), so a benchmark can say what
// a returning visit downloaded.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript",
  ".wasm": "application/wasm", ".css": "text/css", ".json": "application/json",
  ".zip": "application/zip", ".svg": "image/svg+xml", ".png": "image/png", ".txt": "text/plain",
};
// What hosts compress: text and wasm; zip and png are compressed already.
const COMPRESSIBLE = /^(text\/|application\/(wasm|json)|image\/svg)/;
const CACHE_CONTROL = { revalidate: "no-cache", pages: "max-age=600" };

/** One file's bytes and validators, and its compressed forms (made once, on first request,
 * at the levels hosts compress on the fly with). */
class Representations {
  constructor(body, modified) {
    this.body = body;
    this.modified = modified;
    this.etag = `"${createHash("sha256").update(body).digest("hex").slice(0, 20)}"`;
    this.encoded = new Map();
  }

  encode(encoding) {
    if (!this.encoded.has(encoding)) {
      this.encoded.set(encoding, encoding === "br"
        ? brotliCompressSync(this.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: this.body.length } })
        : gzipSync(this.body, { level: 6 }));
    }
    return this.encoded.get(encoding);
  }
}

/** The encoding a host would pick for `acceptEncoding`: brotli, then gzip, else none. */
function negotiate(acceptEncoding = "") {
  const accepted = new Set(acceptEncoding.split(",").map((e) => e.split(";")[0].trim()));
  return accepted.has("br") ? "br" : accepted.has("gzip") ? "gzip" : null;
}

/** Starts a server for `root`, plus `files` (path under `base` → contents, as a teacher
 * publishes exercises beside the site); resolves to { url, close, stats, resetStats }. */
export function serve({ root, isolate = true, base = "/", port = 0, files = {}, caching = "revalidate", compress = true } = {}) {
  if (!(caching in CACHE_CONTROL)) throw new Error(`caching must be one of ${Object.keys(CACHE_CONTROL)}`);
  const known = new Map(); // file path → Representations, refreshed when the file changes
  let stats = { requests: 0, notModified: 0, bytes: 0 };
  const representation = (file) => {
    const { mtimeMs } = statSync(file);
    let r = known.get(file);
    if (!r || r.modified !== mtimeMs) {
      r = new Representations(readFileSync(file), mtimeMs);
      known.set(file, r);
    }
    return r;
  };
  const published = Object.fromEntries(Object.entries(files)
    .map(([path, text]) => [path, new Representations(Buffer.from(text), Date.now())]));

  const server = createServer((req, res) => {
    stats.requests += 1;
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (!path.startsWith(base)) { res.writeHead(404).end("not found"); return; }
    let r = published[path.slice(base.length)];
    let type = TYPES[extname(path)] || "text/plain; charset=utf-8";
    if (!r) {
      let file = normalize(join(root, path.slice(base.length)));
      if (!file.startsWith(normalize(root))) { res.writeHead(403).end(); return; }
      if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
      if (!existsSync(file)) { res.writeHead(404).end("not found"); return; }
      r = representation(file);
      type = TYPES[extname(file)] || "application/octet-stream";
    }
    const headers = {
      "Content-Type": type,
      "Cache-Control": CACHE_CONTROL[caching],
      ETag: r.etag,
      "Last-Modified": new Date(r.modified).toUTCString(),
      Vary: "Accept-Encoding",
    };
    if (isolate) {
      headers["Cross-Origin-Opener-Policy"] = "same-origin";
      headers["Cross-Origin-Embedder-Policy"] = "require-corp";
    }
    const ifNoneMatch = req.headers["if-none-match"];
    const ifModifiedSince = Date.parse(req.headers["if-modified-since"] || "");
    const unchanged = ifNoneMatch != null
      ? ifNoneMatch.split(",").map((t) => t.trim().replace(/^W\//, "")).some((t) => t === r.etag || t === "*")
      : Math.floor(r.modified / 1000) * 1000 <= ifModifiedSince;
    if (unchanged) {
      stats.notModified += 1;
      res.writeHead(304, headers).end();
      return;
    }
    const encoding = compress && COMPRESSIBLE.test(type) ? negotiate(req.headers["accept-encoding"]) : null;
    const body = encoding ? r.encode(encoding) : r.body;
    if (encoding) headers["Content-Encoding"] = encoding;
    headers["Content-Length"] = body.length;
    stats.bytes += body.length;
    res.writeHead(200, headers).end(req.method === "HEAD" ? undefined : body);
  });
  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}${base}`,
        close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }),
        /** Requests, 304 answers and body bytes sent since the start or the last reset. */
        stats: () => ({ ...stats }),
        resetStats: () => { stats = { requests: 0, notModified: 0, bytes: 0 }; },
      });
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
