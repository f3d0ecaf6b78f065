// The site's service worker, used only where the host cannot send the cross-origin
// isolation headers (GitHub Pages): it adds them to every same-origin response, so the page
// gets SharedArrayBuffer, and it keeps this version of the site in a cache so it works
// offline. `make-service-worker.sh` fills in VERSION and ASSETS (what a first prompt needs)
// at build time; other files (the rest of the standard library) are cached when first
// fetched, into the same versioned cache.
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
  return isolated(response);
}

function isolated(response) {
  if (response.status === 0) return response; // opaque: headers cannot be changed
  const headers = new Headers(response.headers);
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  headers.set("Cross-Origin-Embedder-Policy", "require-corp");
  headers.set("Cross-Origin-Resource-Policy", "same-origin");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
