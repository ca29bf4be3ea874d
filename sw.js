// Parcours's service worker: the player and every course opened once keep working offline.
//
// - The player's files have hashed names (Trunk): cached on install from index.html, then served
//   from the cache (they never change under the same name).
// - Pages (the app's routes, each pre-rendered by `build`), config.json and the courses: network
//   first, so an online learner always gets the current player and course together (no stale
//   mix); the cached copy only when the network fails, else the site's index.html, which the
//   player turns into the page asked for. Each fresh page prunes the player files it no longer
//   names.
// - Everything is found from the worker's scope (the site's folder), so a site works under any
//   path of its host.
// - Learning records (POST /xapi/…) are never intercepted: the player's outbox keeps them until
//   the network is back.
// - Videos and sounds (and their captions) are never kept: a course's media would fill a
//   learner's device, and a browser asks for them in ranges, which a cache cannot answer. A
//   lesson whose media cannot load offline shows its transcript instead.
"use strict";

const CACHE = "parcours-v1";
const HASHED = /-[0-9a-f]{12,20}(_bg)?\.(js|wasm|css|svg)$/;
// The site's folder ("/" at the root of a host, "/formations/ia/" under a path).
const SITE = new URL(self.registration.scope).pathname;
const INDEX = SITE + "index.html";

// The player's hashed files a page names (its addresses are relative to the page's).
function assetsOf(html, pageUrl) {
  const found = new Set();
  for (const match of html.matchAll(/(?:href|src)="([^"]+)"/g)) {
    const url = new URL(match[1], pageUrl);
    if (url.origin === self.location.origin && HASHED.test(url.pathname)) found.add(url.pathname);
  }
  return [...found];
}

// Keeps a page of the player under `key`, and the player's files it names.
async function cachePlayer(pageResponse, key) {
  const cache = await caches.open(CACHE);
  const html = await pageResponse.clone().text();
  const assets = assetsOf(html, pageResponse.url || self.location.origin + key);
  await cache.put(key, pageResponse);
  await Promise.all(assets.map(async (url) => {
    if (!(await cache.match(url))) await cache.add(url);
  }));
  // Player files of older builds are no longer needed.
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (HASHED.test(path) && !assets.includes(path)) await cache.delete(request);
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil(fetch(INDEX, { cache: "no-store" }).then((r) => (r.ok ? cachePlayer(r, INDEX) : undefined)));
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});

async function networkFirst(event, cacheKey, isPage) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(event.request, { cache: "no-cache" });
    if (response.ok) {
      // Stored after the page has its answer: caching never delays the learner.
      const copy = response.clone();
      event.waitUntil(isPage ? cachePlayer(copy, cacheKey) : cache.put(cacheKey, copy));
    }
    return response;
  } catch (offline) {
    // A page never opened here: the site's index.html, which the player turns into it.
    const cached = (await cache.match(cacheKey)) || (isPage ? await cache.match(INDEX) : undefined);
    if (cached) return cached;
    throw offline;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

// The player names the files of a course it opened (fetched, the first time, before this worker
// controlled the page): keep those not kept yet. A page can also ask to be claimed.
self.addEventListener("message", (event) => {
  const data = event.data || {};
  // A page that loaded while this worker was installing missed the claim made at activation.
  if (data.type === "claim") {
    event.waitUntil(self.clients.claim());
    return;
  }
  if (data.type !== "keep" || !Array.isArray(data.urls)) return;
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    for (const url of data.urls) {
      if (typeof url !== "string" || !url.startsWith("/") || url.startsWith("//")) continue;
      if (!(await cache.match(url))) await cache.add(url).catch(() => {});
    }
  })());
});

function isMedia(request) {
  return ["video", "audio", "track"].includes(request.destination) || request.headers.has("range");
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/xapi/")
      || url.pathname.startsWith(SITE + "xapi/") || url.pathname.startsWith("/__parcours/") || isMedia(request)) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(networkFirst(event, url.pathname, true));
  } else if (HASHED.test(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else {
    event.respondWith(networkFirst(event, url.pathname + url.search, false));
  }
});
