// Parcours's service worker: the player and every course opened once keep working offline.
//
// - The player's files have hashed names (Trunk): cached on install from index.html, then served
//   from the cache (they never change under the same name).
// - Pages (the app's routes), config.json and the courses: network first, so an online learner
//   always gets the current player and course together (no stale mix); the cached copy only when
//   the network fails. Each fresh index.html prunes the player files it no longer names.
// - Learning records (POST /xapi/…) are never intercepted: the player's outbox keeps them until
//   the network is back.
// - Videos and sounds (and their captions) are never kept: a course's media would fill a
//   learner's device, and a browser asks for them in ranges, which a cache cannot answer. A
//   lesson whose media cannot load offline shows its transcript instead.
"use strict";

const CACHE = "parcours-v1";
const HASHED = /-[0-9a-f]{12,20}(_bg)?\.(js|wasm|css|svg)$/;

function assetsOf(html) {
  const found = new Set();
  for (const match of html.matchAll(/(?:href|src)="(\/[^"]+)"/g)) {
    if (HASHED.test(match[1])) found.add(match[1]);
  }
  return [...found];
}

async function cachePlayer(indexResponse) {
  const cache = await caches.open(CACHE);
  const html = await indexResponse.clone().text();
  const assets = assetsOf(html);
  await cache.put("/index.html", indexResponse);
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
  event.waitUntil(fetch("/index.html", { cache: "no-store" }).then((r) => (r.ok ? cachePlayer(r) : undefined)));
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});

async function networkFirst(event, cacheKey) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(event.request, { cache: "no-cache" });
    if (response.ok) {
      // Stored after the page has its answer: caching never delays the learner.
      const copy = response.clone();
      event.waitUntil(cacheKey === "/index.html" ? cachePlayer(copy) : cache.put(cacheKey, copy));
    }
    return response;
  } catch (offline) {
    const cached = await cache.match(cacheKey);
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
      || url.pathname.startsWith("/__parcours/") || isMedia(request)) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(networkFirst(event, "/index.html"));
  } else if (HASHED.test(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else {
    event.respondWith(networkFirst(event, url.pathname + url.search));
  }
});
