// The site's service worker, used only where the host cannot send the cross-origin isolation
// headers (GitHub Pages): it adds them to the page and its workers (the rest is same-origin),
// so the page gets SharedArrayBuffer, and it keeps this version of the site in a cache so it
// works offline.
// Where the page still cannot be isolated (embedded in a page that is not), it relays the
// page's events to the Python worker: see "Compatibility mode" below.
// `make-service-worker.sh` fills in VERSION and ASSETS (what a first prompt needs) at build
// time; other files (the rest of the standard library) are cached when first fetched, into
// the same versioned cache.
const VERSION = "@VERSION@";
const ASSETS = @ASSETS@;
const PREFIX = "py-repl-web-";
const CACHE = PREFIX + VERSION;

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // All or nothing, and past the HTTP cache: a version is never mixed with an older one.
    await cache.addAll(ASSETS.map((url) => new Request(url, { cache: "reload" })));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith(PREFIX) && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin || event.request.method !== "GET") return;
  if (url.pathname === RELAY_PATH) {
    event.respondWith(relayed(url.searchParams.get("id"), Number(url.searchParams.get("wait")) || 0));
    return;
  }
  event.respondWith(respond(event.request));
});

async function respond(request) {
  const cache = await caches.open(CACHE);
  let response = await cache.match(request, { ignoreSearch: true });
  if (!response) {
    try {
      response = await fetch(request);
      if (response.ok) await cache.put(request, response.clone());
    } catch (error) {
      return new Response(`Offline, and ${new URL(request.url).pathname} is not in the cache.`, {
        status: 503,
        headers: { "Content-Type": "text/plain; charset=utf-8" },
      });
    }
  }
  return isolates(request) ? isolated(response) : response;
}

// Only a document and a worker's own script make an agent isolated; the rest is same-origin
// and passes under COEP as it is, and is answered straight from the cache (copying a body
// through a new Response would cost a returning visit a pass over python.wasm's 7 MB).
function isolates(request) {
  return request.mode === "navigate" || ["document", "iframe", "worker", "sharedworker"].includes(request.destination);
}

function isolated(response) {
  if (response.status === 0) return response; // opaque: headers cannot be changed
  const headers = new Headers(response.headers);
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  headers.set("Cross-Origin-Embedder-Policy", "require-corp");
  headers.set("Cross-Origin-Resource-Policy", "same-origin");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

// Compatibility mode. Without SharedArrayBuffer, Python's worker cannot be told anything
// while Python runs, except through synchronous requests. The page posts its events here
// ({ relay: id, events: [...] }, the RelayEvent type of src/logic/protocol.rs); the worker asks
// GET __relay__?id=..&wait=ms and gets the queued events as JSON, at once if there are any,
// else when the first arrives or the wait ends. The queue lives in this worker's memory,
// which the browser keeps while events wait (each message holds the worker up to 4 minutes,
// below the browsers' limit for one event): input typed ahead of code that computes longer
// than that without reading may be lost.
const RELAY_PATH = new URL("__relay__", self.registration.scope).pathname;
const LONGEST_WAIT_MS = 20000; // as LONGEST_WAIT_MS in src/worker/relay_receiver.rs
const EVENT_TYPES = new Set(["Input", "EndOfFile", "Interrupt", "OutputRendered", "Resize", "Supersede", "WorkspaceChanged", "Canvas"]);
const ABANDONED_MS = 10 * 60 * 1000;
const relays = new Map();

// A queue nobody fetches from for long belongs to a closed tab or a stopped worker.
function forgetAbandoned() {
  for (const [id, relay] of relays) if (Date.now() - relay.touched > ABANDONED_MS) relays.delete(id);
}

function relayOf(id) {
  let relay = relays.get(id);
  if (!relay) {
    relay = { events: [], waiters: [], drainWaiters: [], touched: Date.now() };
    relays.set(id, relay);
  }
  relay.touched = Date.now();
  return relay;
}

self.addEventListener("message", (event) => {
  const { relay: id, events, close } = event.data || {};
  if (typeof id !== "string") return;
  if (close) {
    const relay = relays.get(id);
    relays.delete(id);
    if (relay) for (const done of relay.drainWaiters.splice(0)) done();
    return;
  }
  if (!Array.isArray(events)) return;
  const relay = relayOf(id);
  for (const e of events) {
    if (!e || !EVENT_TYPES.has(e.type) || (e.type === "OutputRendered" && !Number.isInteger(e.bytes))
      || (e.type === "Supersede" && !Number.isInteger(e.generation))
      || (e.type === "WorkspaceChanged" && !(Number.isInteger(e.number) && typeof e.url === "string"))
      || (e.type === "Canvas" && typeof e.line !== "string")) continue;
    const last = relay.events[relay.events.length - 1];
    // Rendered-output counts add up: a long print must not queue thousands of them.
    if (e.type === "OutputRendered" && last && last.type === "OutputRendered") last.bytes += e.bytes;
    else relay.events.push(e);
  }
  for (const wake of relay.waiters.splice(0)) wake();
  // Stay alive while events wait for the worker (the browser may stop an idle service
  // worker, and the queue lives in its memory).
  if (relay.events.length) event.waitUntil(drained(relay));
  forgetAbandoned();
});

// Resolves when the worker has fetched the queue, or after a few minutes (browsers stop a
// service worker whose event lasts longer).
function drained(relay) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 4 * 60 * 1000);
    relay.drainWaiters.push(() => { clearTimeout(timer); resolve(); });
  });
}

async function relayed(id, waitMs) {
  if (!id) return new Response("no relay id", { status: 400 });
  forgetAbandoned();
  const relay = relayOf(id);
  if (relay.events.length === 0) {
    await new Promise((resolve) => {
      const wake = () => { clearTimeout(timer); resolve(); };
      const timer = setTimeout(() => {
        relay.waiters = relay.waiters.filter((w) => w !== wake);
        resolve();
      }, Math.min(waitMs, LONGEST_WAIT_MS));
      relay.waiters.push(wake);
    });
  }
  const body = JSON.stringify(relay.events.splice(0));
  relay.touched = Date.now();
  for (const done of relay.drainWaiters.splice(0)) done();
  return new Response(body, { headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } });
}
